//! Events ruad announces to the outside (webhooks): what happened, named by a stable
//! dotted string. The API (subscriptions), storage (`webhooks::emit`) and the issue detector
//! share this one enum, so an event name is spelled in one place.
//!
//! Must not depend on actix-web or diesel.

use super::ids::{DomainId, ReportId};
use serde::{Deserialize, Serialize};

/// Something that happened in a tenant, delivered to the webhooks subscribed to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
pub enum Event {
    /// A new report was stored (not sent again for a duplicate upload).
    #[serde(rename = "report.received")]
    ReportReceived,
    /// Issue detection opened an issue.
    #[serde(rename = "issue.opened")]
    IssueOpened,
    /// An open issue was resolved.
    #[serde(rename = "issue.resolved")]
    IssueResolved,
    /// A new failure report (RFC 6591) was stored, as redacted as the tenant keeps it (not
    /// sent again for a duplicate).
    #[serde(rename = "failure_report.received")]
    FailureReportReceived,
}

impl Event {
    /// Every event, in documentation order.
    pub const ALL: [Event; 4] = [
        Event::ReportReceived,
        Event::IssueOpened,
        Event::IssueResolved,
        Event::FailureReportReceived,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Event::ReportReceived => "report.received",
            Event::IssueOpened => "issue.opened",
            Event::IssueResolved => "issue.resolved",
            Event::FailureReportReceived => "failure_report.received",
        }
    }

    pub fn parse(s: &str) -> Option<Event> {
        Event::ALL.into_iter().find(|e| e.as_str() == s)
    }
}

impl std::fmt::Display for Event {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The `data` of a `report.received` event: the stored report, as `GET /reports/{report_id}`
/// summarizes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ReportReceived {
    /// ruad's id of the stored report.
    #[schema(value_type = String)]
    pub report_id: ReportId,
    /// `dmarc_aggregate` or `tls_report`.
    #[schema(example = "dmarc_aggregate")]
    pub kind: String,
    /// The registered domain the report was filed under.
    #[schema(example = "example.com")]
    pub domain: String,
    #[schema(value_type = String)]
    pub domain_id: DomainId,
    /// Policy domain named in the report.
    pub policy_domain: String,
    /// Reporting organization, as sent.
    #[schema(example = "google.com")]
    pub org_name: String,
    /// The reporter's own report id.
    pub external_id: String,
    /// Start of the reported range (Unix time).
    pub begin: i64,
    /// End of the reported range (Unix time).
    pub end: i64,
    /// DMARC records, or TLS policies.
    pub records: i64,
    /// DMARC messages, or TLS sessions.
    pub messages: i64,
    /// Another version with the same key and other content was stored before; this one
    /// supersedes it.
    pub conflict: bool,
}

/// The `data` of a `failure_report.received` event: the stored failure report's summary, as
/// `GET /domains/{domain}/failures` lists it (nothing the tenant's privacy setting removes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FailureReportReceived {
    /// ruad's id of the stored failure report (`GET /domains/{domain}/failures/{id}`).
    #[schema(value_type = String)]
    pub failure_id: ReportId,
    /// The registered domain the report was filed under.
    #[schema(example = "example.com")]
    pub domain: String,
    #[schema(value_type = String)]
    pub domain_id: DomainId,
    /// The domain the report is about (`Reported-Domain`, else the original From domain).
    pub policy_domain: String,
    /// The address that sent the failing message, when the report gives it.
    pub source_ip: Option<String>,
    /// What failed (`Auth-Failure`: `dmarc`, `dkim`, `spf`, …).
    pub auth_failures: Vec<String>,
    /// When the failing message arrived (Unix time).
    pub arrival: i64,
    /// Messages the report stands for (`Incidents`, at least 1).
    pub incidents: i64,
}

/// The type of the ping sent by `POST /webhooks/{id}/test`. Not an [`Event`]: nobody
/// subscribes to it, it goes to the one webhook being tested.
pub const TEST_EVENT: &str = "webhook.test";

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn serde_names_and_as_str_agree() {
        for event in Event::ALL {
            let json = serde_json::to_value(event).unwrap();
            assert_eq!(json, event.as_str());
            assert_eq!(Event::parse(event.as_str()), Some(event));
            assert_eq!(serde_json::from_value::<Event>(json).unwrap(), event);
        }
    }

    #[test]
    fn unknown_names_are_not_events() {
        assert_eq!(Event::parse("report_received"), None);
        assert_eq!(Event::parse(TEST_EVENT), None);
    }
}
