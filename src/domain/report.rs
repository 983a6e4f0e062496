//! Normalized DMARC aggregate (RFC 7489 Appendix C, RFC 9990) and SMTP TLS (RFC 8460 §4)
//! reports.
//!
//! Invariants:
//! - Every enumerated value is an *open* enum: a value outside the RFC vocabulary is kept
//!   verbatim in an `Other` variant (serialized as the raw string), never mapped to a default.
//! - Times are UTC epoch seconds.
//! - A DMARC aggregate report is split into an [`AggregateHeader`] and a stream of
//!   [`Record`]s, so that consumers can process records one at a time.

use serde::{Deserialize, Serialize};
use std::net::IpAddr;

/// How a raw word was matched against an open enum's vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Match {
    /// The word is the canonical spelling.
    Exact,
    /// The word matched after ASCII case folding (e.g. `Pass`).
    CaseFolded,
    /// The word is a known non-standard synonym that was mapped (e.g. SPF `hardfail`).
    Synonym,
    /// The word is not in the vocabulary; it is kept raw.
    Unknown,
}

/// Declares an open enum: known variants with their canonical spelling, optional synonyms,
/// and `Other(String)` for everything else. Serialized as a plain string.
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        $name:ident { $($variant:ident => $text:literal),+ $(,)? }
        $(synonyms { $($syn:literal => $target:ident),* $(,)? })?
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $(#[doc = concat!("`", $text, "`")] $variant,)+
            /// A value outside the vocabulary, kept verbatim (trimmed).
            Other(String),
        }

        impl $name {
            /// Every canonical spelling, in declaration order.
            pub const KNOWN: &'static [&'static str] = &[$($text),+];

            /// Reads a raw word, saying how it matched.
            pub fn parse(raw: &str) -> (Self, Match) {
                let raw = raw.trim();
                $(if raw == $text { return (Self::$variant, Match::Exact); })+
                $(if raw.eq_ignore_ascii_case($text) { return (Self::$variant, Match::CaseFolded); })+
                $($(if raw.eq_ignore_ascii_case($syn) { return (Self::$target, Match::Synonym); })*)?
                (Self::Other(raw.to_string()), Match::Unknown)
            }

            /// The canonical spelling, or the raw value for `Other`.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $text,)+
                    Self::Other(raw) => raw,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                let known: Vec<String> = Self::KNOWN.iter().map(|k| format!("`{k}`")).collect();
                utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .description(Some(format!(
                        "One of {}; any other value a reporter sent is kept verbatim.",
                        known.join(", ")
                    )))
                    .examples(Self::KNOWN.first().map(|k| serde_json::Value::from(*k)))
                    .into()
            }
        }

        impl utoipa::ToSchema for $name {}

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let raw = String::deserialize(d)?;
                Ok(Self::parse(&raw).0)
            }
        }
    };
}

open_enum! {
    /// `p`, `sp`, `np` of a published DMARC policy.
    Policy { None => "none", Quarantine => "quarantine", Reject => "reject" }
}

open_enum! {
    /// `adkim` / `aspf` alignment mode.
    Alignment { Relaxed => "r", Strict => "s" }
    synonyms { "relaxed" => Relaxed, "strict" => Strict }
}

open_enum! {
    /// What the receiver did with the messages (RFC 7489 `DispositionType`).
    Disposition { None => "none", Quarantine => "quarantine", Reject => "reject" }
}

open_enum! {
    /// DMARC-aligned result of DKIM or SPF in `policy_evaluated` (RFC 7489 `DMARCResultType`).
    DmarcResult { Pass => "pass", Fail => "fail" }
}

open_enum! {
    /// Raw DKIM verification result (RFC 7489 `DKIMResultType`).
    DkimResult {
        None => "none", Pass => "pass", Fail => "fail", Policy => "policy",
        Neutral => "neutral", TempError => "temperror", PermError => "permerror",
    }
}

open_enum! {
    /// Raw SPF result (RFC 7208 §2.6). RFC 4408-era words are read as their RFC 7208
    /// equivalents: `hardfail` → fail, `unknown` → permerror, `error` → temperror.
    SpfResult {
        None => "none", Neutral => "neutral", Pass => "pass", Fail => "fail",
        SoftFail => "softfail", TempError => "temperror", PermError => "permerror",
    }
    synonyms { "hardfail" => Fail, "unknown" => PermError, "error" => TempError }
}

open_enum! {
    /// Which identity SPF checked (RFC 7489 `SPFDomainScope`).
    SpfScope { Helo => "helo", MailFrom => "mfrom" }
}

open_enum! {
    /// Why the receiver overrode the published policy (RFC 7489 and RFC 9990 `PolicyOverrideType`).
    OverrideType {
        Forwarded => "forwarded", SampledOut => "sampled_out",
        TrustedForwarder => "trusted_forwarder", MailingList => "mailing_list",
        LocalPolicy => "local_policy", PolicyTestMode => "policy_test_mode", Other_ => "other",
    }
}

open_enum! {
    /// RFC 8460 §4.3 policy type.
    TlsPolicyType { Tlsa => "tlsa", Sts => "sts", NoPolicyFound => "no-policy-found" }
}

open_enum! {
    /// RFC 8460 §4.3 failure result type.
    TlsResultType {
        StarttlsNotSupported => "starttls-not-supported",
        CertificateHostMismatch => "certificate-host-mismatch",
        CertificateExpired => "certificate-expired",
        CertificateNotTrusted => "certificate-not-trusted",
        ValidationFailure => "validation-failure",
        TlsaInvalid => "tlsa-invalid",
        DnssecInvalid => "dnssec-invalid",
        DaneRequired => "dane-required",
        StsPolicyFetchError => "sts-policy-fetch-error",
        StsPolicyInvalid => "sts-policy-invalid",
        StsWebpkiInvalid => "sts-webpki-invalid",
    }
}

/// Which schema generation an aggregate report follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AggregateSchema {
    /// Pre-RFC draft: no `<version>` element.
    Draft,
    /// RFC 7489 Appendix C (`<version>1.0</version>`, no namespace).
    Rfc7489,
    /// RFC 9990 (namespace `urn:ietf:params:xml:ns:dmarc-2.0`).
    Rfc9990,
}

/// The RFC 9990 XML namespace.
pub const DMARC2_NAMESPACE: &str = "urn:ietf:params:xml:ns:dmarc-2.0";

/// An element the schema does not define (or an RFC 9990 `<extension>` child), kept so
/// that nothing in a report is lost.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default, utoipa::ToSchema)]
pub struct XmlElement {
    /// Qualified element name as written (e.g. `vendor:category`).
    pub name: String,
    /// Attributes as written, as `[name, value]` pairs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schema(value_type = Vec<Vec<String>>)]
    pub attributes: Vec<(String, String)>,
    /// Trimmed text content.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text: String,
    /// Child elements.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schema(no_recursion)]
    pub children: Vec<XmlElement>,
}

/// `date_range` of a report, in UTC epoch seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DateRange {
    pub begin: i64,
    pub end: i64,
}

/// `report_metadata`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ReportMetadata {
    /// The reporter's own name, as sent (falls back to the domain of `email` when absent).
    pub org_name: String,
    pub email: Option<String>,
    pub extra_contact_info: Option<String>,
    pub report_id: String,
    pub date_range: DateRange,
    /// Errors the reporter declared while generating the report.
    #[serde(default)]
    pub errors: Vec<String>,
    /// RFC 9990 `generator`.
    pub generator: Option<String>,
}

/// `policy_published`: the DMARC record the receiver found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default, utoipa::ToSchema)]
pub struct PolicyPublished {
    pub domain: String,
    pub adkim: Option<Alignment>,
    pub aspf: Option<Alignment>,
    pub p: Option<Policy>,
    pub sp: Option<Policy>,
    /// RFC 9990 non-existent subdomain policy.
    pub np: Option<Policy>,
    /// Kept as sent (RFC 9990 removed `pct`).
    pub pct: Option<String>,
    pub fo: Option<String>,
    /// RFC 9990 `t` tag as reported (`y` / `n`).
    pub testing: Option<String>,
    /// RFC 9990: how the policy was found (`psl` or `treewalk`).
    pub discovery_method: Option<String>,
}

/// Everything of an aggregate report except its records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AggregateHeader {
    pub schema: AggregateSchema,
    /// `<version>` as sent.
    pub version: Option<String>,
    /// Default XML namespace of `<feedback>`.
    pub namespace: Option<String>,
    pub report_metadata: ReportMetadata,
    pub policy_published: PolicyPublished,
    /// `<extension>` content and unknown top-level elements.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extensions: Vec<XmlElement>,
}

/// One `<reason>` of `policy_evaluated`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OverrideReason {
    #[serde(rename = "type")]
    pub kind: OverrideType,
    pub comment: Option<String>,
}

/// `row/policy_evaluated`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default, utoipa::ToSchema)]
pub struct PolicyEvaluated {
    pub disposition: Option<Disposition>,
    /// DMARC-aligned DKIM result.
    pub dkim: Option<DmarcResult>,
    /// DMARC-aligned SPF result.
    pub spf: Option<DmarcResult>,
    #[serde(default)]
    pub reasons: Vec<OverrideReason>,
}

/// `identifiers` (`identities` in the draft schema).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default, utoipa::ToSchema)]
pub struct Identifiers {
    pub header_from: Option<String>,
    pub envelope_from: Option<String>,
    pub envelope_to: Option<String>,
}

/// One `auth_results/dkim`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DkimAuth {
    pub domain: Option<String>,
    pub selector: Option<String>,
    pub result: Option<DkimResult>,
    pub human_result: Option<String>,
}

/// One `auth_results/spf`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SpfAuth {
    pub domain: Option<String>,
    pub scope: Option<SpfScope>,
    pub result: Option<SpfResult>,
    pub human_result: Option<String>,
}

/// The domain of a DKIM or SPF auth result as ruad compares and stores it: trimmed,
/// lower-case, without trailing dot; `None` when nothing is left.
pub fn normalized_auth_domain(domain: &str) -> Option<String> {
    let d = domain.trim().trim_end_matches('.');
    (!d.is_empty()).then(|| d.to_ascii_lowercase())
}

/// `auth_results`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default, utoipa::ToSchema)]
pub struct AuthResults {
    #[serde(default)]
    pub dkim: Vec<DkimAuth>,
    #[serde(default)]
    pub spf: Vec<SpfAuth>,
}

/// One `<record>`: messages from one source with one set of results.
// Named `DmarcRecord` in the spec: `Record` would shadow TypeScript's built-in `Record` type
// in the generated SDK.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = DmarcRecord)]
pub struct Record {
    #[schema(value_type = String, example = "192.0.2.1")]
    pub source_ip: IpAddr,
    pub count: u64,
    pub policy_evaluated: PolicyEvaluated,
    pub identifiers: Identifiers,
    pub auth_results: AuthResults,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extensions: Vec<XmlElement>,
}

impl Record {
    /// DMARC passes when either aligned DKIM or aligned SPF passed (RFC 7489 §4.2).
    pub fn dmarc_pass(&self) -> bool {
        self.policy_evaluated.dkim == Some(DmarcResult::Pass)
            || self.policy_evaluated.spf == Some(DmarcResult::Pass)
    }
}

/// A whole aggregate report in memory (for small reports, tests and the API).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AggregateReport {
    #[serde(flatten)]
    pub header: AggregateHeader,
    pub records: Vec<Record>,
}

/// RFC 8460 `date-range`, with the strings as sent and their epoch seconds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TlsDateRange {
    pub start_datetime: String,
    pub end_datetime: String,
    pub begin: i64,
    pub end: i64,
}

/// RFC 8460 §4.3 `policy`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TlsPolicy {
    pub policy_type: TlsPolicyType,
    #[serde(default)]
    pub policy_string: Vec<String>,
    pub policy_domain: String,
    /// `mx-host` (string or array in the wild; always a list here).
    #[serde(default)]
    pub mx_host: Vec<String>,
}

/// RFC 8460 §4.3 `failure-details` entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TlsFailureDetail {
    pub result_type: TlsResultType,
    pub sending_mta_ip: Option<String>,
    pub receiving_mx_hostname: Option<String>,
    pub receiving_mx_helo: Option<String>,
    pub receiving_ip: Option<String>,
    pub failed_session_count: u64,
    pub additional_information: Option<String>,
    pub failure_reason_code: Option<String>,
}

/// One entry of `policies`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TlsPolicyResult {
    pub policy: TlsPolicy,
    pub total_successful_session_count: u64,
    pub total_failure_session_count: u64,
    #[serde(default)]
    pub failure_details: Vec<TlsFailureDetail>,
}

/// Everything of a TLS report except its policies: what is stored as a TLS report's header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TlsHeader {
    pub organization_name: String,
    pub date_range: TlsDateRange,
    pub contact_info: Option<String>,
    pub report_id: String,
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    pub extensions: serde_json::Map<String, serde_json::Value>,
}

impl TlsHeader {
    /// The whole report again, with `policies`.
    pub fn with_policies(self, policies: Vec<TlsPolicyResult>) -> TlsReport {
        TlsReport {
            organization_name: self.organization_name,
            date_range: self.date_range,
            contact_info: self.contact_info,
            report_id: self.report_id,
            policies,
            extensions: self.extensions,
        }
    }
}

impl TlsReport {
    /// The report without its policies.
    pub fn header(&self) -> TlsHeader {
        TlsHeader {
            organization_name: self.organization_name.clone(),
            date_range: self.date_range.clone(),
            contact_info: self.contact_info.clone(),
            report_id: self.report_id.clone(),
            extensions: self.extensions.clone(),
        }
    }
}

/// An SMTP TLS report (RFC 8460 §4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TlsReport {
    pub organization_name: String,
    pub date_range: TlsDateRange,
    pub contact_info: Option<String>,
    pub report_id: String,
    pub policies: Vec<TlsPolicyResult>,
    /// Top-level fields the RFC does not define, kept verbatim.
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    #[schema(value_type = Object)]
    pub extensions: serde_json::Map<String, serde_json::Value>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_enum_reads_canonical_case_folded_synonym_and_unknown_words() {
        assert_eq!(SpfResult::parse("pass"), (SpfResult::Pass, Match::Exact));
        assert_eq!(
            SpfResult::parse(" Pass "),
            (SpfResult::Pass, Match::CaseFolded)
        );
        assert_eq!(
            SpfResult::parse("hardfail"),
            (SpfResult::Fail, Match::Synonym)
        );
        assert_eq!(
            SpfResult::parse("weird"),
            (SpfResult::Other("weird".into()), Match::Unknown)
        );
    }

    #[test]
    fn open_enum_serializes_unknown_values_verbatim() {
        let json = serde_json::to_string(&Disposition::Other("pass".into())).unwrap_or_default();
        assert_eq!(json, "\"pass\"");
        let json = serde_json::to_string(&OverrideType::Other_).unwrap_or_default();
        assert_eq!(json, "\"other\"");
    }
}
