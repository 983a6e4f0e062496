//! TLS-RPT rules: failed sessions by RFC 8460 result type (§4.3), each mapped to its cause
//! and fix, per MX host; and a jump of the failure rate against the domain's own baseline.

use super::input::{DomainInput, TlsFailureData};
use super::issues::{DAY, Evaluation, Thresholds, first, list, percent};
use crate::domain::issue::{DetectedIssue, IssueCode, IssueSeverity};
use serde_json::json;

pub fn detect(input: &DomainInput, t: &Thresholds, out: &mut Evaluation) {
    for f in &input.tls.failures {
        if f.sessions > 0 {
            out.issues.push(failure_issue(input, f));
        }
    }
    rate_jump(input, t, out);
}

/// (code, severity, cause, fix) of a result type.
fn meaning(result_type: &str) -> (IssueCode, IssueSeverity, &'static str, &'static str) {
    match result_type {
        "certificate-expired" => (
            IssueCode::TlsCertificateExpired,
            IssueSeverity::Critical,
            "the MX host presented an expired certificate",
            "Renew the certificate on the MX host (and automate renewal, e.g. with ACME). Under an enforced MTA-STS or DANE policy, senders do not deliver until it is fixed.",
        ),
        "certificate-host-mismatch" => (
            IssueCode::TlsCertificateHostMismatch,
            IssueSeverity::High,
            "the MX host's certificate does not name the MX host",
            "Install a certificate whose subject alternative names include the MX host name exactly as published in the MX record (and covered by the MTA-STS policy's mx: lines).",
        ),
        "starttls-not-supported" => (
            IssueCode::TlsStarttlsNotSupported,
            IssueSeverity::High,
            "the MX host did not offer STARTTLS",
            "Enable STARTTLS on the MX host with a valid certificate; check that no firewall or middlebox strips STARTTLS from the EHLO answer.",
        ),
        "sts-policy-fetch-error" => (
            IssueCode::TlsStsPolicyFetchError,
            IssueSeverity::High,
            "senders could not fetch the MTA-STS policy",
            "Serve the policy at https://mta-sts.<domain>/.well-known/mta-sts.txt with status 200, no redirects and a valid certificate for mta-sts.<domain>; check that the host resolves and answers from the internet.",
        ),
        "sts-policy-invalid" => (
            IssueCode::TlsStsPolicyInvalid,
            IssueSeverity::High,
            "the MTA-STS policy could not be parsed",
            "Fix the policy file (version: STSv1, mode, mx and max_age lines, CRLF or LF endings, content type text/plain); ruad's MTA-STS check shows what is wrong.",
        ),
        "sts-webpki-invalid" => (
            IssueCode::TlsStsWebpkiInvalid,
            IssueSeverity::High,
            "the MTA-STS policy host's certificate is not valid in the Web PKI",
            "Install a publicly trusted certificate for mta-sts.<domain> with the full chain.",
        ),
        "validation-failure" => (
            IssueCode::TlsValidationFailure,
            IssueSeverity::Medium,
            "the MX host's certificate chain could not be validated",
            "Serve the full certificate chain from a publicly trusted CA on the MX host; self-signed or incomplete chains fail under MTA-STS.",
        ),
        "tlsa-invalid" => (
            IssueCode::TlsTlsaInvalid,
            IssueSeverity::High,
            "the TLSA records do not match the MX host's certificate",
            "Publish TLSA records matching the current certificate or key (publish the new one before rolling over), or remove them.",
        ),
        "dnssec-invalid" => (
            IssueCode::TlsDnssecInvalid,
            IssueSeverity::High,
            "DNSSEC validation failed for the MX host or its TLSA records",
            "Fix the zone's DNSSEC signatures and DS records (check expiry of RRSIGs) for the MX host's zone.",
        ),
        "dane-required" => (
            IssueCode::TlsDaneRequired,
            IssueSeverity::High,
            "the sender requires DANE but found no usable TLSA records",
            "Publish DNSSEC-signed TLSA records for the MX host (_25._tcp.<mx>), or ask the sender to drop its DANE requirement.",
        ),
        _ => (
            IssueCode::TlsOtherFailure,
            IssueSeverity::Medium,
            "senders reported TLS failures of a type outside RFC 8460's list",
            "Read the additional information the reporters gave, and check the MX host's TLS configuration.",
        ),
    }
}

fn failure_issue(input: &DomainInput, f: &TlsFailureData) -> DetectedIssue {
    let (code, severity, cause, fix) = meaning(&f.result_type);
    let host = if f.mx_host.is_empty() {
        input.domain.clone()
    } else {
        f.mx_host.clone()
    };
    let reporters: Vec<String> = f.reporters.iter().cloned().collect();
    let details: Vec<String> = f.details.iter().cloned().collect();
    DetectedIssue {
        code,
        severity,
        // Other result types are kept apart by their name.
        subject: if code == IssueCode::TlsOtherFailure {
            format!("{}/{}", f.result_type, f.mx_host)
        } else {
            f.mx_host.clone()
        },
        title: format!("TLS {}: {host}", f.result_type),
        explanation: format!(
            "{} TLS sessions delivering to {host} failed with {}: {cause}. Reported by {}{}.",
            f.sessions,
            f.result_type,
            list(&reporters, 5),
            if details.is_empty() {
                String::new()
            } else {
                format!(" ({})", list(&details, 3))
            }
        ),
        remediation: fix.replace("<domain>", &input.domain),
        record: None,
        evidence: json!({
            "result_type": f.result_type,
            "mx_host": f.mx_host,
            "failed_sessions": f.sessions,
            "reporters": f.reporters,
            "sending_ips": first(f.sending_ips.iter(), 10),
            "receiving_ips": first(f.receiving_ips.iter(), 10),
            "details": first(f.details.iter(), 5),
            "report_ids": first(f.report_ids.iter(), 10),
        }),
    }
}

/// The failure rate of the recent days against the baseline days before them.
fn rate_jump(input: &DomainInput, t: &Thresholds, out: &mut Evaluation) {
    let to = input.tls.to;
    let recent_from = to - t.tls_recent_days * DAY;
    let baseline_from = recent_from - t.tls_baseline_days * DAY;
    let (mut rs, mut rf, mut bs, mut bf) = (0u64, 0u64, 0u64, 0u64);
    for d in &input.tls.daily {
        if d.day >= recent_from && d.day < to {
            rs = rs.saturating_add(d.successful);
            rf = rf.saturating_add(d.failed);
        } else if d.day >= baseline_from && d.day < recent_from {
            bs = bs.saturating_add(d.successful);
            bf = bf.saturating_add(d.failed);
        }
    }
    if rf < t.tls_jump_min_failures || bs + bf == 0 {
        return;
    }
    let recent = rf as f64 / (rs + rf) as f64;
    let base = bf as f64 / (bs + bf) as f64;
    if recent < (2.0 * base).max(base + 0.05) {
        return;
    }
    let domain = &input.domain;
    out.issues.push(DetectedIssue {
        code: IssueCode::TlsFailureRateJump,
        severity: IssueSeverity::High,
        subject: String::new(),
        title: format!("TLS failures to {domain} jumped"),
        explanation: format!(
            "{} of TLS sessions to {domain} failed in the last {} days ({rf} of {}), against {} in the {} days before ({bf} of {}). Something changed: a certificate, the MX hosts or the MTA-STS policy.",
            percent(rf, rs + rf),
            t.tls_recent_days,
            rs + rf,
            percent(bf, bs + bf),
            t.tls_baseline_days,
            bs + bf
        ),
        remediation: "See the TLS failure issues of this domain for the result types and MX hosts involved, and fix what changed.".into(),
        record: None,
        evidence: json!({
            "recent_days": t.tls_recent_days,
            "recent_failed_sessions": rf,
            "recent_total_sessions": rs + rf,
            "baseline_days": t.tls_baseline_days,
            "baseline_failed_sessions": bf,
            "baseline_total_sessions": bs + bf,
        }),
    });
}
