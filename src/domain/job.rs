//! The kinds of background job. Stored as their `snake_case` names in `jobs.kind` (the
//! strings stored before this type existed, so existing rows keep working); the runner
//! (`crate::jobs`) gives each kind its own concurrency.

use std::fmt;

/// What a job does; its payload is JSON with the field named here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum JobKind {
    /// Name the sending sources of one stored report by forward-confirmed reverse DNS
    /// (payload `{"report_id": …}`).
    EnrichSources,
    /// Evaluate one domain's issues (payload `{"domain_id": …}`).
    EvaluateIssues,
    /// Run and store all DNS checks of one domain, then schedule the next run (payload
    /// `{"domain_id": …}`).
    CheckDns,
    /// Make one delivery attempt of a webhook event (payload `{"delivery_id": …}`); the job
    /// reschedules itself until the delivery succeeds or runs out of attempts.
    DeliverWebhook,
    /// Read the new messages of one IMAP mailbox into the ingest service, then schedule the
    /// next poll (payload `{"mailbox_id": …}`); one job per mailbox.
    PollMailbox,
    /// Render and mail one digest delivery (payload `{"delivery_id": …}`, a
    /// `digest_deliveries` row); the job records each attempt and reschedules itself after a
    /// transient failure.
    SendDigest,
}

impl JobKind {
    /// Every kind, in the order metrics and settings list them.
    pub const ALL: [JobKind; 6] = [
        JobKind::EnrichSources,
        JobKind::EvaluateIssues,
        JobKind::CheckDns,
        JobKind::DeliverWebhook,
        JobKind::PollMailbox,
        JobKind::SendDigest,
    ];

    /// The name stored in `jobs.kind` and used in metrics and logs.
    pub fn as_str(self) -> &'static str {
        match self {
            JobKind::EnrichSources => "enrich_sources",
            JobKind::EvaluateIssues => "evaluate_issues",
            JobKind::CheckDns => "check_dns",
            JobKind::DeliverWebhook => "deliver_webhook",
            JobKind::PollMailbox => "poll_mailbox",
            JobKind::SendDigest => "send_digest",
        }
    }

    /// The kind a stored name stands for; `None` for a name this version does not know.
    pub fn parse(name: &str) -> Option<JobKind> {
        JobKind::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

impl fmt::Display for JobKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_keep_the_names_stored_before_the_enum() {
        let names: Vec<&str> = JobKind::ALL.iter().map(|k| k.as_str()).collect();
        assert_eq!(
            names,
            [
                "enrich_sources",
                "evaluate_issues",
                "check_dns",
                "deliver_webhook",
                "poll_mailbox",
                "send_digest"
            ]
        );
        for kind in JobKind::ALL {
            assert_eq!(JobKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(JobKind::parse("send_report"), None);
    }
}
