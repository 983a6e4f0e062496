//! DNS rules: the findings of the newest stored DNS checks that matter for deliverability and
//! reporting. A check whose lookup failed decides nothing: its codes are undetermined, so a
//! DNS outage neither opens nor resolves issues.
//!
//! TLS-RPT is asked for whenever the domain receives mail and publishes no usable TLS-RPT
//! record (`tlsrpt_no_record`, `tlsrpt_multiple_records`): without it nobody reports TLS
//! failures delivering to the domain. It matters most (medium) when MTA-STS is published,
//! enforced or testing (testing mode exists to collect those reports); otherwise it is low.
//! A null MX (the domain receives no mail) needs none. An MTA-STS policy that could not be
//! fetched leaves the MX coverage undetermined; DKIM keys are judged per selector checked.

use super::input::{DnsCheck, DomainInput};
use super::issues::Evaluation;
use crate::domain::issue::{DetectedIssue, IssueCode, IssueSeverity, SuggestedRecord};
use serde_json::json;

pub fn detect(input: &DomainInput, out: &mut Evaluation) {
    let check = |kind: &str| input.dns.iter().find(|c| c.kind == kind);
    let domain = &input.domain;
    if let Some(c) = check("dmarc") {
        if c.lookup_failed() {
            out.undetermined
                .extend([IssueCode::DmarcRecordMissing, IssueCode::DmarcNoRua]);
        } else if c.has("dmarc_no_record") || c.has("dmarc_multiple_records") {
            out.issues.push(dns_issue(
                c,
                IssueCode::DmarcRecordMissing,
                IssueSeverity::Critical,
                format!("{domain} has no DMARC record"),
                format!("No usable DMARC record is published at _dmarc.{domain} (none, or more than one, which receivers treat as none): they apply no policy to mail using the domain, and send no reports."),
                "Publish a DMARC record, starting with p=none to collect reports, then enforce.".into(),
                Some(txt(format!("_dmarc.{domain}"), format!("v=DMARC1; p=none; rua=mailto:dmarc-reports@{domain}"))),
                &["dmarc_no_record", "dmarc_multiple_records"],
            ));
        } else if c.has("dmarc_no_rua") {
            let current = c
                .records()
                .first()
                .map(|r| r.trim_end_matches(';').trim().to_string());
            out.issues.push(dns_issue(
                c,
                IssueCode::DmarcNoRua,
                IssueSeverity::Medium,
                format!("The DMARC record of {domain} asks for no reports"),
                "The DMARC record has no rua= tag, so receivers send no aggregate reports: nothing shows who sends as the domain or whether it passes.".into(),
                "Add a rua= address whose mailbox feeds ruad (replace the example address).".into(),
                current.map(|r| {
                    txt(
                        format!("_dmarc.{domain}"),
                        format!("{r}; rua=mailto:dmarc-reports@{domain}"),
                    )
                }),
                &["dmarc_no_rua"],
            ));
        }
    }
    if let Some(c) = check("spf") {
        if c.lookup_failed() {
            out.undetermined.extend([
                IssueCode::SpfRecordMissing,
                IssueCode::SpfLookupLimitExceeded,
                IssueCode::SpfPassAll,
            ]);
        } else {
            if c.has("spf_no_record") {
                out.issues.push(dns_issue(
                    c,
                    IssueCode::SpfRecordMissing,
                    IssueSeverity::High,
                    format!("{domain} has no SPF record"),
                    format!("No SPF record is published for {domain}: no server is authorized to send with it as envelope sender, so SPF cannot align and DMARC rests on DKIM alone."),
                    "Publish an SPF record listing the services that send for the domain (their include: mechanisms) and ending in ~all or -all; if the domain sends no mail, publish v=spf1 -all.".into(),
                    Some(txt(domain.clone(), "v=spf1 -all".into())),
                    &["spf_no_record"],
                ));
            }
            if c.has("spf_too_many_lookups") {
                out.issues.push(dns_issue(
                    c,
                    IssueCode::SpfLookupLimitExceeded,
                    IssueSeverity::High,
                    format!("The SPF record of {domain} needs too many DNS lookups"),
                    "Evaluating the SPF record takes more than 10 DNS-querying terms (RFC 7208 §4.6.4): receivers stop and return permerror, which DMARC treats as an SPF failure for all mail.".into(),
                    "Remove includes of services no longer used, replace a and mx mechanisms by ip4:/ip6: ranges where they are stable, or move senders to subdomains with their own SPF records. ruad's SPF check shows the include tree with each term's cost.".into(),
                    None,
                    &["spf_too_many_lookups"],
                ));
            }
            if c.has("spf_pass_all") {
                out.issues.push(dns_issue(
                    c,
                    IssueCode::SpfPassAll,
                    IssueSeverity::Critical,
                    format!("The SPF record of {domain} authorizes everyone"),
                    "The SPF record ends in +all (or all): every host on the internet passes SPF for the domain, so SPF-aligned spoofing passes DMARC.".into(),
                    "End the record with ~all or -all instead.".into(),
                    None,
                    &["spf_pass_all"],
                ));
            }
        }
    }
    let sts = check("mta_sts");
    if let Some(c) = sts {
        if c.lookup_failed() {
            out.undetermined.extend([
                IssueCode::MtaStsMxNotCovered,
                IssueCode::MtaStsPolicyUnavailable,
            ]);
        } else if c.has("mta_sts_policy_fetch_failed") {
            // Without the policy its MX lines are unknown: coverage stays as it was.
            out.undetermined.push(IssueCode::MtaStsMxNotCovered);
            let url = c.report["details"]["policy_url"]
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| format!("https://mta-sts.{domain}/.well-known/mta-sts.txt"));
            // The check's message is "the policy at <url> could not be fetched: <error>.
            // Senders treat ...": keep the error.
            let message = c
                .findings()
                .find(|f| f.0 == "mta_sts_policy_fetch_failed")
                .map_or("", |f| f.2);
            let why = message
                .split_once("could not be fetched: ")
                .map_or(message, |(_, rest)| rest);
            let why = why
                .split_once(". Senders treat")
                .map_or(why, |(error, _)| error)
                .to_string();
            let mut issue = dns_issue(
                c,
                IssueCode::MtaStsPolicyUnavailable,
                IssueSeverity::Medium,
                format!("The MTA-STS policy of {domain} cannot be fetched"),
                format!(
                    "{domain} publishes an _mta-sts record, but the policy at {url} could not be fetched ({why}). Senders without a cached copy treat the domain as having no MTA-STS policy, so TLS to its MX hosts is not enforced, and TLS reports show sts-policy-fetch-error."
                ),
                format!(
                    "Serve the policy at {url} with status 200, no redirects, content type text/plain and a certificate valid for mta-sts.{domain} from a publicly trusted CA; check that mta-sts.{domain} resolves and answers HTTPS from the internet. If MTA-STS is no longer wanted, remove the _mta-sts.{domain} record instead."
                ),
                None,
                &["mta_sts_policy_fetch_failed"],
            );
            issue.evidence["policy_url"] = json!(url);
            issue.evidence["error"] = json!(why);
            out.issues.push(issue);
        } else if c.has("mta_sts_mx_not_covered") {
            let enforced = c.has_error("mta_sts_mx_not_covered");
            out.issues.push(dns_issue(
                c,
                IssueCode::MtaStsMxNotCovered,
                if enforced { IssueSeverity::High } else { IssueSeverity::Medium },
                format!("The MTA-STS policy of {domain} does not cover every MX host"),
                format!(
                    "Senders that apply the MTA-STS policy refuse to deliver to an MX host no mx: line matches{}.",
                    if enforced { "; the policy is enforced, so mail to those hosts is not delivered" } else { " once the policy is enforced" }
                ),
                "Add an mx: line for every MX host (a *.example.com pattern covers one label), change the policy id in the _mta-sts record, and wait for senders' cached policies to expire.".into(),
                None,
                &["mta_sts_mx_not_covered"],
            ));
        }
    }
    tlsrpt(input, sts, out);
    dkim(input, out);
}

/// What MTA-STS says about the domain, for the TLS-RPT rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sts {
    /// The MTA-STS check could not tell.
    Unknown,
    /// No MTA-STS record (or no check).
    Absent,
    /// A null MX: the domain receives no mail.
    NullMx,
    /// Published; `enforce` when the policy fetched says `mode: enforce`.
    Published { enforce: bool },
}

fn sts_state(sts: Option<&DnsCheck>) -> Sts {
    let Some(c) = sts else {
        return Sts::Absent;
    };
    if c.lookup_failed() {
        Sts::Unknown
    } else if c.has("mta_sts_null_mx") {
        Sts::NullMx
    } else if c.has("mta_sts_no_record")
        || c.has("mta_sts_multiple_records")
        || c.records().is_empty()
    {
        Sts::Absent
    } else {
        Sts::Published {
            enforce: c.report["details"]["policy"]["mode"] == "enforce",
        }
    }
}

/// No usable TLS-RPT record while the domain receives mail.
fn tlsrpt(input: &DomainInput, sts: Option<&DnsCheck>, out: &mut Evaluation) {
    let domain = &input.domain;
    let Some(c) = input.dns.iter().find(|c| c.kind == "tlsrpt") else {
        return;
    };
    let state = sts_state(sts);
    if c.lookup_failed() || state == Sts::Unknown {
        out.undetermined.push(IssueCode::TlsrptMissing);
        return;
    }
    if !(c.has("tlsrpt_no_record") || c.has("tlsrpt_multiple_records")) || state == Sts::NullMx {
        return;
    }
    let (severity, title, explanation) = match state {
        Sts::Published { enforce: true } => (
            IssueSeverity::Medium,
            format!("{domain} enforces MTA-STS without TLS reporting"),
            "MTA-STS is enforced, so senders refuse delivery when TLS to an MX host fails, but without a TLS-RPT record nobody tells you: mail can be lost silently.".to_string(),
        ),
        Sts::Published { enforce: false } => (
            IssueSeverity::Medium,
            format!("{domain} publishes MTA-STS without TLS reporting"),
            "The domain publishes MTA-STS but no usable TLS-RPT record: senders do not report the TLS failures the policy would cause (in testing mode, those reports are the point), and once it is enforced, mail can be lost silently.".to_string(),
        ),
        _ => (
            IssueSeverity::Low,
            format!("{domain} asks for no TLS reports"),
            format!("No usable TLS-RPT record is published at _smtp._tls.{domain} (none, or more than one): sending servers do not report TLS failures delivering mail to {domain}, so certificate or STARTTLS problems at its MX hosts go unnoticed."),
        ),
    };
    out.issues.push(dns_issue(
        c,
        IssueCode::TlsrptMissing,
        severity,
        title,
        explanation,
        "Publish one TLS-RPT record whose address feeds ruad (replace the example address, or use the domain's HTTPS ingest URL from ruad).".into(),
        Some(txt(format!("_smtp._tls.{domain}"), format!("v=TLSRPTv1; rua=mailto:tls-reports@{domain}"))),
        &["tlsrpt_no_record", "tlsrpt_multiple_records"],
    ));
}

/// DKIM keys that cannot verify signatures, per selector checked.
fn dkim(input: &DomainInput, out: &mut Evaluation) {
    let domain = &input.domain;
    for c in input.dns.iter().filter(|c| c.kind == "dkim") {
        if c.lookup_failed() {
            out.undetermined.push(IssueCode::DkimKeyInvalid);
            continue;
        }
        let errors: Vec<&str> = c
            .findings()
            .filter(|f| f.1 == "error")
            .map(|f| f.0)
            .collect();
        if errors.is_empty() {
            continue;
        }
        let selector = &c.selector;
        let name = format!("{selector}._domainkey.{domain}");
        let messages: Vec<String> = c
            .findings()
            .filter(|f| f.1 == "error")
            .map(|f| f.2.to_string())
            .collect();
        let mut issue = dns_issue(
            c,
            IssueCode::DkimKeyInvalid,
            IssueSeverity::High,
            format!("The DKIM key of selector {selector} for {domain} is not usable"),
            format!(
                "The DKIM key record at {name} cannot verify signatures: {}. Mail signed with s={selector} fails DKIM, so it passes DMARC only through SPF, and forwarded copies fail.",
                messages.join("; ")
            ),
            format!(
                "Publish exactly one TXT record at {name} with the public key the signing service or server gives for this selector (v=DKIM1; k=rsa; p=<base64 key>, RSA of at least 2048 bits, or k=ed25519), and check that the service signs with s={selector}. If the selector is retired, stop signing with it."
            ),
            None,
            &errors,
        );
        issue.subject = selector.clone();
        issue.evidence["selector"] = json!(selector);
        out.issues.push(issue);
    }
}

impl DnsCheck {
    fn has_error(&self, code: &str) -> bool {
        self.findings().any(|(c, s, _)| c == code && s == "error")
    }
}

fn txt(name: String, value: String) -> SuggestedRecord {
    SuggestedRecord {
        name,
        record_type: "TXT".into(),
        value,
    }
}

#[allow(clippy::too_many_arguments)]
fn dns_issue(
    check: &DnsCheck,
    code: IssueCode,
    severity: IssueSeverity,
    title: String,
    explanation: String,
    remediation: String,
    record: Option<SuggestedRecord>,
    codes: &[&str],
) -> DetectedIssue {
    let findings: Vec<serde_json::Value> = check
        .findings()
        .filter(|(c, _, _)| codes.contains(c))
        .map(|(c, s, m)| json!({"code": c, "severity": s, "message": m}))
        .collect();
    DetectedIssue {
        code,
        severity,
        subject: String::new(),
        title,
        explanation,
        remediation,
        record,
        evidence: json!({
            "check": check.kind,
            "checked_at": check.checked_at,
            "records": check.records(),
            "findings": findings,
        }),
    }
}
