//! A DMARC failure report: an RFC 5965 ARF message of feedback type `auth-failure`
//! (RFC 6591, DMARC RFC 7489 §7.3, RFC 9991), as the parser reads it and before any
//! redaction (storage keeps a redacted copy, see `services::ingest`).
//!
//! Must not depend on actix-web or diesel.

use serde::{Deserialize, Serialize};

/// The `Auth-Failure` values RFC 6591 §3.1, RFC 7489 §7.3 and RFC 9991 define; other values
/// are kept as sent (lower-cased) with a warning.
pub const AUTH_FAILURE_TYPES: &[&str] = &[
    "adsp",
    "bodyhash",
    "revoked",
    "signature",
    "spf",
    "dmarc",
    "dkim",
    "policy",
];

/// The `Delivery-Result` values of RFC 6591 §3.2.
pub const DELIVERY_RESULTS: &[&str] = &["delivered", "spam", "policy", "reject", "other"];

/// One failure report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FailureReport {
    /// `Feedback-Type`: always `auth-failure` for a report ruad accepts.
    #[schema(example = "auth-failure")]
    pub feedback_type: String,
    /// `Version` of the ARF format the reporter declared.
    pub version: Option<String>,
    /// `User-Agent`: the software that made the report.
    pub user_agent: Option<String>,
    /// `Auth-Failure`: which mechanisms failed, lower-case (`dmarc`, `spf`, `dkim`,
    /// `bodyhash`, `signature`, `revoked`, `adsp`, `policy`, or another value as sent).
    pub auth_failure: Vec<String>,
    /// `Reported-Domain`: the domain the failing message claimed (its RFC 5322 From domain).
    pub reported_domain: Option<String>,
    /// `Source-IP`: the address the failing message came from.
    #[schema(example = "192.0.2.1")]
    pub source_ip: Option<String>,
    /// `Arrival-Date` (or the older `Received-Date`), as Unix seconds (UTC).
    pub arrival_date: Option<i64>,
    /// `Original-Mail-From`: the SMTP envelope sender, without angle brackets.
    pub original_mail_from: Option<String>,
    /// `Original-Rcpt-To`: the SMTP envelope recipients, without angle brackets.
    pub original_rcpt_to: Vec<String>,
    /// `Original-Envelope-Id`: the receiver's id of the SMTP transaction.
    pub original_envelope_id: Option<String>,
    /// `Authentication-Results` the receiver computed (RFC 8601), unfolded.
    pub authentication_results: Vec<String>,
    /// `DKIM-Domain`: the `d=` of the failing signature.
    pub dkim_domain: Option<String>,
    /// `DKIM-Identity`: the `i=` of the failing signature.
    pub dkim_identity: Option<String>,
    /// `DKIM-Selector`: the `s=` of the failing signature.
    pub dkim_selector: Option<String>,
    /// `DKIM-Canonicalized-Header`: base64 of the canonicalized header the verifier hashed.
    pub dkim_canonicalized_header: Option<String>,
    /// `DKIM-Canonicalized-Body`: base64 of the canonicalized body the verifier hashed.
    pub dkim_canonicalized_body: Option<String>,
    /// `SPF-DNS`: the SPF records the receiver evaluated.
    pub spf_dns: Vec<String>,
    /// `Delivery-Result`: `delivered`, `spam`, `policy`, `reject` or `other`.
    pub delivery_result: Option<String>,
    /// `Identity-Alignment` (RFC 9991): the mechanisms that were aligned (`none`, `spf`,
    /// `dkim`).
    pub identity_alignment: Vec<String>,
    /// `Reporting-MTA`: the receiver's MTA.
    pub reporting_mta: Option<String>,
    /// `Incidents`: how many messages this report stands for (1 when absent).
    pub incidents: Option<u64>,
    /// The report email itself: who sent it and when.
    pub reporter: ReporterInfo,
    /// The failing message (or its header block), when the report included it.
    pub original: Option<OriginalMessage>,
}

/// The email that carried the report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ReporterInfo {
    /// Its From address (the reporting organization's mailbox).
    pub from: Option<String>,
    /// Its Date, as Unix seconds (UTC).
    pub date: Option<i64>,
    /// Its Message-ID, without angle brackets.
    pub message_id: Option<String>,
    /// Its Subject: reporters often copy the failing message's subject into it.
    pub subject: Option<String>,
}

/// The failing message, as included in the report (RFC 6591 §3.3: the whole message or only
/// its header block).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OriginalMessage {
    /// Only the header block was included (`text/rfc822-headers`).
    pub headers_only: bool,
    /// The From address (addr-spec).
    pub from: Option<String>,
    /// The To addresses (addr-specs).
    pub to: Vec<String>,
    pub subject: Option<String>,
    /// The Date, as Unix seconds (UTC).
    pub date: Option<i64>,
    /// The Message-ID, without angle brackets.
    pub message_id: Option<String>,
    /// Every header field in order, values unfolded.
    pub headers: Vec<HeaderField>,
    /// The body as text (lossy UTF-8, cut at the parser's token limit); absent when only
    /// headers were included.
    pub body: Option<String>,
}

/// One header field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct HeaderField {
    pub name: String,
    pub value: String,
}

impl FailureReport {
    /// The domain a report is about: `Reported-Domain`, else the domain of the failing
    /// message's From address, lower-case without a trailing dot.
    pub fn policy_domain(&self) -> Option<String> {
        let from_domain = || {
            self.original
                .as_ref()
                .and_then(|o| o.from.as_deref())
                .and_then(|a| a.rsplit_once('@'))
                .map(|(_, d)| d)
        };
        self.reported_domain
            .as_deref()
            .or_else(from_domain)
            .map(|d| d.trim().trim_end_matches('.').to_ascii_lowercase())
            .filter(|d| !d.is_empty())
    }

    /// How many messages the report stands for.
    pub fn message_count(&self) -> u64 {
        self.incidents.unwrap_or(1).max(1)
    }
}

/// How much of a failure report a tenant keeps (its `failure_report_privacy` setting).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FailurePrivacy {
    /// The default: no message body, no subjects, no DKIM canonicalized header or body, and
    /// the local part of every address replaced by a keyed hash (the same address always
    /// hashes the same within the tenant, so it can be counted, but not read back). The raw
    /// message is not kept.
    #[default]
    Redacted,
    /// Headers and addresses as sent, but no body (nor the DKIM canonicalized body); the raw
    /// message is not kept.
    Headers,
    /// Everything, including the body and the raw message.
    Full,
}

impl FailurePrivacy {
    pub fn as_str(self) -> &'static str {
        match self {
            FailurePrivacy::Redacted => "redacted",
            FailurePrivacy::Headers => "headers",
            FailurePrivacy::Full => "full",
        }
    }

    pub fn parse(s: &str) -> Option<FailurePrivacy> {
        match s {
            "redacted" => Some(FailurePrivacy::Redacted),
            "headers" => Some(FailurePrivacy::Headers),
            "full" => Some(FailurePrivacy::Full),
            _ => None,
        }
    }
}
