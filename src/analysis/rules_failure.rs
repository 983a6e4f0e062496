//! DMARC failure report rules: a burst of failure reports about messages from one source
//! address (`failure_report_burst`), one issue per source IP.
//!
//! A receiver sends a failure report for each message that failed DMARC (when the domain
//! asks for them with `ruf=`). Many of them about one address within a day means that
//! address is sending a lot of mail in the domain's name right now that fails: either a
//! legitimate sender whose DKIM or SPF broke, or someone spoofing the domain. The aggregate
//! reports show the same a day later; failure reports show it within minutes.

use super::input::{DomainInput, SourceNames};
use super::issues::{Evaluation, Thresholds, date};
use crate::domain::issue::{DetectedIssue, IssueCode, IssueSeverity};
use serde_json::json;

pub fn detect(input: &DomainInput, t: &Thresholds, out: &mut Evaluation) {
    let threshold = t.failure_burst_min_reports.max(1);
    for source in &input.failures.sources {
        if source.reports < threshold {
            continue;
        }
        // What the aggregate data knows about the address, if anything.
        let known = input.dmarc.sources.iter().find(|s| s.ip == source.ip);
        let name = known.and_then(|s| match &s.names {
            SourceNames::Confirmed { name, .. } => Some(name.clone()),
            _ => None,
        });
        let shown = match &name {
            Some(n) => format!("{} ({n})", source.ip),
            None => source.ip.clone(),
        };
        out.issues.push(DetectedIssue {
            code: IssueCode::FailureReportBurst,
            severity: IssueSeverity::High,
            subject: source.ip.clone(),
            title: format!(
                "{} DMARC failure reports about mail from {shown} in {} hours",
                source.reports, t.failure_burst_hours
            ),
            explanation: format!(
                "Receivers sent {} failure reports ({} messages) between {} and {} about mail from \
                 {shown} that used {} in its From address and failed DMARC. So many from one \
                 address in so short a time means it is sending a lot of mail in the domain's name \
                 right now: either a service you use whose DKIM signature or SPF authorization \
                 broke, or someone spoofing the domain.",
                source.reports,
                source.incidents,
                date(input.failures.from),
                date(input.failures.to),
                input.domain,
            ),
            remediation: format!(
                "Open the failure reports of {ip} (GET /api/v1/domains/{domain}/failures?source_ip={ip}) \
                 and look at the Auth-Failure values and the original headers. If the address \
                 belongs to a service you send with, fix its authentication: publish the DKIM key \
                 it signs with under {domain} (or have it sign with d={domain}) and add it to the \
                 SPF record, then check that its envelope sender aligns. If you do not send from \
                 it, it is spoofing: move the DMARC policy to p=quarantine and then p=reject once \
                 your own services pass, and report the address to its network's abuse contact.",
                ip = source.ip,
                domain = input.domain,
            ),
            record: None,
            evidence: json!({
                "source_ip": source.ip,
                "confirmed_name": name,
                "failure_reports": source.reports,
                "messages": source.incidents,
                "window_hours": t.failure_burst_hours,
                "threshold": threshold,
                "from": input.failures.from,
                "to": input.failures.to,
            }),
        });
    }
}
