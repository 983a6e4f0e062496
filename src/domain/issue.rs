//! Detected issues: what the analysis rules conclude about a domain, with a stable code, a
//! severity, the evidence, a plain-language explanation and the remediation.
//!
//! An issue is identified by (domain, code, subject): the same problem found again updates the
//! stored issue instead of creating another. `subject` names what the issue is about within
//! the domain (a service id, a reporter, an MX host; `""` for the domain as a whole).
//!
//! Must not depend on actix-web or diesel.

use serde::{Deserialize, Serialize};

/// Stable identifier of a rule's conclusion: clients branch on it, so a code is never renamed
/// or reused for another meaning.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum IssueCode {
    /// A known sending service's mail fails DMARC: neither DKIM nor SPF is aligned.
    ServiceFailingDmarc,
    /// A known service passes DMARC through SPF only: DKIM is not aligned, so forwarded mail
    /// fails.
    ServiceDkimUnaligned,
    /// A known service passes DMARC through DKIM only: its envelope sender is its own domain.
    ServiceSpfUnaligned,
    /// Receivers quarantined or rejected mail of a known service (by the domain's policy).
    ServiceMailBlocked,
    /// Sources that are not a known service send mail failing DMARC in the domain's name.
    SpoofingSuspected,
    /// The policy has been `p=none` long enough, with nearly all mail passing, to enforce it.
    PolicyNoneReadyToEnforce,
    /// A receiver that reported regularly has stopped sending reports.
    ReportsStopped,
    /// No DMARC report has arrived for the domain recently.
    NoRecentReports,
    /// Forwarders and mailing lists re-send the domain's mail (SPF fails, DKIM survives).
    ForwardingDetected,
    /// TLS-RPT: the MX certificate has expired.
    TlsCertificateExpired,
    /// TLS-RPT: the MX certificate does not name the MX host.
    TlsCertificateHostMismatch,
    /// TLS-RPT: the MX does not offer STARTTLS.
    TlsStarttlsNotSupported,
    /// TLS-RPT: senders could not fetch the MTA-STS policy.
    TlsStsPolicyFetchError,
    /// TLS-RPT: the MTA-STS policy could not be parsed.
    TlsStsPolicyInvalid,
    /// TLS-RPT: the MTA-STS policy host's certificate is not valid for the Web PKI.
    TlsStsWebpkiInvalid,
    /// TLS-RPT: the MX certificate chain could not be validated.
    TlsValidationFailure,
    /// TLS-RPT: the TLSA records do not match the MX certificate.
    TlsTlsaInvalid,
    /// TLS-RPT: DNSSEC validation failed for the MX or its TLSA records.
    TlsDnssecInvalid,
    /// TLS-RPT: the sender requires DANE but the MX does not support it.
    TlsDaneRequired,
    /// TLS-RPT: failures of a type outside RFC 8460's list.
    TlsOtherFailure,
    /// TLS-RPT: the failure rate jumped above the domain's own baseline.
    TlsFailureRateJump,
    /// DNS: no DMARC record.
    DmarcRecordMissing,
    /// DNS: the DMARC record asks for no aggregate reports.
    DmarcNoRua,
    /// DNS: no SPF record.
    SpfRecordMissing,
    /// DNS: SPF needs more than 10 DNS lookups, so receivers return `permerror`.
    SpfLookupLimitExceeded,
    /// DNS: SPF ends in `+all`, authorizing every host on the internet.
    SpfPassAll,
    /// DNS: the MTA-STS policy does not cover an MX host.
    MtaStsMxNotCovered,
    /// DNS: the domain receives mail but publishes no usable TLS-RPT record, so nobody
    /// reports TLS failures delivering to it (medium when MTA-STS is published, else low).
    TlsrptMissing,
    /// DNS: an `_mta-sts` record is published but the policy file could not be fetched.
    MtaStsPolicyUnavailable,
    /// DNS: the DKIM key record of a selector cannot verify signatures (subject: the selector).
    DkimKeyInvalid,
    /// No DMARC aggregate report has ever arrived for a domain registered days ago.
    DmarcReportsNotReceived,
    /// DMARC failure reports: a burst of failures about messages from one source address.
    FailureReportBurst,
    /// The policy has been `p=quarantine` long enough, with the domain's own services passing,
    /// to move to `p=reject`.
    PolicyQuarantineReadyToReject,
    /// The domain is at `p=reject` but its subdomains are not (`sp=` weaker): anyone can still
    /// send as a name under the domain.
    SubdomainPolicyNotEnforced,
}

impl IssueCode {
    /// Every code, in declaration order.
    pub const ALL: &'static [IssueCode] = &[
        IssueCode::ServiceFailingDmarc,
        IssueCode::ServiceDkimUnaligned,
        IssueCode::ServiceSpfUnaligned,
        IssueCode::ServiceMailBlocked,
        IssueCode::SpoofingSuspected,
        IssueCode::PolicyNoneReadyToEnforce,
        IssueCode::ReportsStopped,
        IssueCode::NoRecentReports,
        IssueCode::ForwardingDetected,
        IssueCode::TlsCertificateExpired,
        IssueCode::TlsCertificateHostMismatch,
        IssueCode::TlsStarttlsNotSupported,
        IssueCode::TlsStsPolicyFetchError,
        IssueCode::TlsStsPolicyInvalid,
        IssueCode::TlsStsWebpkiInvalid,
        IssueCode::TlsValidationFailure,
        IssueCode::TlsTlsaInvalid,
        IssueCode::TlsDnssecInvalid,
        IssueCode::TlsDaneRequired,
        IssueCode::TlsOtherFailure,
        IssueCode::TlsFailureRateJump,
        IssueCode::DmarcRecordMissing,
        IssueCode::DmarcNoRua,
        IssueCode::SpfRecordMissing,
        IssueCode::SpfLookupLimitExceeded,
        IssueCode::SpfPassAll,
        IssueCode::MtaStsMxNotCovered,
        IssueCode::TlsrptMissing,
        IssueCode::MtaStsPolicyUnavailable,
        IssueCode::DkimKeyInvalid,
        IssueCode::DmarcReportsNotReceived,
        IssueCode::FailureReportBurst,
        IssueCode::PolicyQuarantineReadyToReject,
        IssueCode::SubdomainPolicyNotEnforced,
    ];

    /// The snake_case name (as in the API).
    pub fn as_str(self) -> &'static str {
        match self {
            IssueCode::ServiceFailingDmarc => "service_failing_dmarc",
            IssueCode::ServiceDkimUnaligned => "service_dkim_unaligned",
            IssueCode::ServiceSpfUnaligned => "service_spf_unaligned",
            IssueCode::ServiceMailBlocked => "service_mail_blocked",
            IssueCode::SpoofingSuspected => "spoofing_suspected",
            IssueCode::PolicyNoneReadyToEnforce => "policy_none_ready_to_enforce",
            IssueCode::ReportsStopped => "reports_stopped",
            IssueCode::NoRecentReports => "no_recent_reports",
            IssueCode::ForwardingDetected => "forwarding_detected",
            IssueCode::TlsCertificateExpired => "tls_certificate_expired",
            IssueCode::TlsCertificateHostMismatch => "tls_certificate_host_mismatch",
            IssueCode::TlsStarttlsNotSupported => "tls_starttls_not_supported",
            IssueCode::TlsStsPolicyFetchError => "tls_sts_policy_fetch_error",
            IssueCode::TlsStsPolicyInvalid => "tls_sts_policy_invalid",
            IssueCode::TlsStsWebpkiInvalid => "tls_sts_webpki_invalid",
            IssueCode::TlsValidationFailure => "tls_validation_failure",
            IssueCode::TlsTlsaInvalid => "tls_tlsa_invalid",
            IssueCode::TlsDnssecInvalid => "tls_dnssec_invalid",
            IssueCode::TlsDaneRequired => "tls_dane_required",
            IssueCode::TlsOtherFailure => "tls_other_failure",
            IssueCode::TlsFailureRateJump => "tls_failure_rate_jump",
            IssueCode::DmarcRecordMissing => "dmarc_record_missing",
            IssueCode::DmarcNoRua => "dmarc_no_rua",
            IssueCode::SpfRecordMissing => "spf_record_missing",
            IssueCode::SpfLookupLimitExceeded => "spf_lookup_limit_exceeded",
            IssueCode::SpfPassAll => "spf_pass_all",
            IssueCode::MtaStsMxNotCovered => "mta_sts_mx_not_covered",
            IssueCode::TlsrptMissing => "tlsrpt_missing",
            IssueCode::MtaStsPolicyUnavailable => "mta_sts_policy_unavailable",
            IssueCode::DkimKeyInvalid => "dkim_key_invalid",
            IssueCode::DmarcReportsNotReceived => "dmarc_reports_not_received",
            IssueCode::FailureReportBurst => "failure_report_burst",
            IssueCode::PolicyQuarantineReadyToReject => "policy_quarantine_ready_to_reject",
            IssueCode::SubdomainPolicyNotEnforced => "subdomain_policy_not_enforced",
        }
    }

    /// Reads a snake_case name.
    pub fn parse(s: &str) -> Option<IssueCode> {
        IssueCode::ALL.iter().copied().find(|c| c.as_str() == s)
    }
}

/// How urgent an issue is.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum IssueSeverity {
    /// Worth knowing; nothing to fix.
    Info,
    /// A weakness to fix when convenient.
    Low,
    /// Fix soon: mail or protection is degraded.
    Medium,
    /// Fix now: legitimate mail is at risk or the domain is being abused.
    High,
    /// Mail is being lost or the domain is unprotected now.
    Critical,
}

impl IssueSeverity {
    pub const ALL: [IssueSeverity; 5] = [
        IssueSeverity::Info,
        IssueSeverity::Low,
        IssueSeverity::Medium,
        IssueSeverity::High,
        IssueSeverity::Critical,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            IssueSeverity::Info => "info",
            IssueSeverity::Low => "low",
            IssueSeverity::Medium => "medium",
            IssueSeverity::High => "high",
            IssueSeverity::Critical => "critical",
        }
    }

    pub fn parse(s: &str) -> Option<IssueSeverity> {
        IssueSeverity::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// 0 (info) to 4 (critical), for sorting in storage.
    pub fn rank(self) -> i32 {
        self as i32
    }
}

/// Where an issue is in its lifecycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum IssueStatus {
    /// Detected and not acknowledged.
    Open,
    /// Someone has seen it; it stays until the condition clears.
    Acknowledged,
    /// The condition cleared at the last evaluation (set by ruad, not by clients).
    Resolved,
}

impl IssueStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            IssueStatus::Open => "open",
            IssueStatus::Acknowledged => "acknowledged",
            IssueStatus::Resolved => "resolved",
        }
    }

    pub fn parse(s: &str) -> Option<IssueStatus> {
        [
            IssueStatus::Open,
            IssueStatus::Acknowledged,
            IssueStatus::Resolved,
        ]
        .into_iter()
        .find(|v| v.as_str() == s)
    }
}

/// One conclusion of a rule about a domain at one evaluation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DetectedIssue {
    pub code: IssueCode,
    pub severity: IssueSeverity,
    /// What the issue is about within the domain (`""` for the domain as a whole).
    pub subject: String,
    /// One line.
    pub title: String,
    /// What was seen and why it matters, in plain language.
    pub explanation: String,
    /// What to do about it.
    pub remediation: String,
    /// A DNS record to publish, when ruad can write it.
    pub record: Option<SuggestedRecord>,
    /// The figures behind the conclusion (counts, sources, reporters, report ids).
    pub evidence: serde_json::Value,
}

/// A DNS record to publish as the fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SuggestedRecord {
    /// Owner name, e.g. `_dmarc.example.com`.
    pub name: String,
    /// Record type, e.g. `TXT`.
    #[serde(rename = "type")]
    pub record_type: String,
    /// The record's value.
    pub value: String,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn every_code_has_a_static_name_that_parses_back() {
        for code in IssueCode::ALL {
            let name = code.as_str();
            assert_eq!(IssueCode::parse(name), Some(*code));
            assert_eq!(serde_json::to_value(code).unwrap(), name);
        }
        let names: std::collections::BTreeSet<_> =
            IssueCode::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(names.len(), IssueCode::ALL.len());
    }

    #[test]
    fn severities_order_from_info_to_critical() {
        assert!(IssueSeverity::Critical > IssueSeverity::High);
        assert!(IssueSeverity::Low > IssueSeverity::Info);
        assert_eq!(IssueSeverity::parse("medium"), Some(IssueSeverity::Medium));
        assert_eq!(IssueSeverity::Critical.rank(), 4);
    }
}
