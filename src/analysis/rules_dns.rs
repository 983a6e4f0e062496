//! DNS rules: the findings of the newest stored DNS checks that matter for deliverability and
//! reporting. A check whose lookup failed decides nothing: its codes are undetermined, so a
//! DNS outage neither opens nor resolves issues.

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
            out.undetermined.push(IssueCode::MtaStsMxNotCovered);
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
    let enforced = sts
        .filter(|c| !c.lookup_failed())
        .is_some_and(|c| c.report["details"]["policy"]["mode"] == "enforce");
    if let Some(c) = check("tlsrpt") {
        if c.lookup_failed() {
            out.undetermined.push(IssueCode::TlsrptMissing);
        } else if enforced && c.has("tlsrpt_no_record") {
            out.issues.push(dns_issue(
                c,
                IssueCode::TlsrptMissing,
                IssueSeverity::Medium,
                format!("{domain} enforces MTA-STS without TLS reporting"),
                "MTA-STS is enforced, so senders refuse delivery when TLS to an MX host fails, but without a TLS-RPT record nobody tells you: mail can be lost silently.".into(),
                "Publish a TLS-RPT record whose address feeds ruad (replace the example address, or use the domain's HTTPS ingest URL from ruad).".into(),
                Some(txt(format!("_smtp._tls.{domain}"), format!("v=TLSRPTv1; rua=mailto:tls-reports@{domain}"))),
                &["tlsrpt_no_record"],
            ));
        }
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
