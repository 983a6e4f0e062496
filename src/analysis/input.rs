//! What the issue rules look at: one domain's stored data, summarized by the caller (the
//! evaluation job reads it from storage), plus the time of the evaluation. Plain owned data,
//! so a test builds an input in a few lines.

use std::collections::{BTreeMap, BTreeSet};

/// Everything the rules know about one domain at one evaluation.
#[derive(Debug, Clone, Default)]
pub struct DomainInput {
    /// The registered domain, lower-case.
    pub domain: String,
    /// The evaluation time (epoch seconds). Rules never read the clock.
    pub now: i64,
    /// When the domain was registered in ruad (epoch seconds); `None` when not known, and
    /// then no rule judges how long reports have been awaited.
    pub registered_at: Option<i64>,
    pub dmarc: DmarcData,
    pub tls: TlsData,
    /// The newest stored DNS check of each kind (and selector).
    pub dns: Vec<DnsCheck>,
    /// DMARC failure reports (RFC 6591) of the domain.
    pub failures: FailureData,
}

/// DMARC failure reports that arrived in the burst window.
#[derive(Debug, Clone, Default)]
pub struct FailureData {
    /// The window: failures that arrived in `[from, to)` (`to` is the evaluation time).
    pub from: i64,
    pub to: i64,
    /// Per source IP, busiest first.
    pub sources: Vec<FailureSource>,
}

/// Failure reports about messages from one source IP.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FailureSource {
    pub ip: String,
    /// Failure reports.
    pub reports: u64,
    /// Messages they stand for (`Incidents`, 1 per report when absent).
    pub incidents: u64,
}

/// DMARC aggregate data of the domain.
#[derive(Debug, Clone, Default)]
pub struct DmarcData {
    /// The analysis window: reports ending in `(from, to]`. `to` is the end of the newest
    /// report, so a history uploaded late is analysed as of its own last day.
    pub from: i64,
    pub to: i64,
    /// Sending sources in the window (current report versions only).
    pub sources: Vec<SourceData>,
    /// The published policy of each stored report (newest first), as reporters saw it.
    pub policies: Vec<PolicyObservation>,
    /// Every receiver that reported on the domain, with when its reports ended. Empty exactly
    /// when no DMARC report is stored for the domain (the newest is always in the history).
    pub reporters: Vec<ReporterData>,
}

/// `policy_published` of one report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyObservation {
    pub begin: i64,
    pub end: i64,
    /// `p=` as reported, lower-case (`none`, `quarantine`, `reject`, or what was sent).
    pub p: String,
    /// `sp=` as reported, lower-case, when reported.
    pub sp: Option<String>,
    /// `np=` (RFC 9990) as reported, lower-case, when reported.
    pub np: Option<String>,
    /// `pct=`, when reported.
    pub pct: Option<u32>,
    /// RFC 9990 `t=y`.
    pub testing: bool,
}

/// A reporting organization and its reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReporterData {
    /// `org_name` as sent.
    pub org: String,
    /// End of each of its reports (any order).
    pub report_ends: Vec<i64>,
}

/// What DNS says about a source address (from the enrichment cache).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum SourceNames {
    /// Not looked up yet.
    #[default]
    Pending,
    /// A PTR name resolves back to the address.
    Confirmed {
        name: String,
        /// Every PTR name.
        ptr_names: Vec<String>,
    },
    /// No PTR name resolves back: names shown, never trusted.
    Unconfirmed {
        ptr_names: Vec<String>,
        lookup_error: Option<String>,
    },
    /// The reverse DNS lookup failed (timeout, SERVFAIL...) every time since `since` (epoch
    /// seconds): like `Pending` during the grace period of the thresholds, then unidentified.
    LookupFailed { error: String, since: i64 },
}

/// One source IP's DMARC traffic in the window.
#[derive(Debug, Clone, Default)]
pub struct SourceData {
    pub ip: String,
    pub names: SourceNames,
    pub messages: u64,
    /// Messages passing DMARC (DKIM or SPF aligned).
    pub dmarc_pass: u64,
    /// Messages whose DKIM result was aligned and passing (`policy_evaluated/dkim`).
    pub dkim_aligned: u64,
    /// Messages whose SPF result was aligned and passing (`policy_evaluated/spf`).
    pub spf_aligned: u64,
    /// Messages the receiver quarantined.
    pub quarantined: u64,
    /// Messages the receiver rejected.
    pub rejected: u64,
    /// Messages whose receiver gave a `forwarded`, `mailing_list` or `trusted_forwarder`
    /// override reason.
    pub forwarded_reason: u64,
    /// `header_from` domains (lower-case) and their messages.
    pub header_from: BTreeMap<String, u64>,
    /// Of those, the messages passing DMARC, per `header_from` domain.
    pub header_from_pass: BTreeMap<String, u64>,
    /// DKIM `d=` domains with a passing signature, and their messages.
    pub dkim_pass_domains: BTreeMap<String, u64>,
    /// DKIM `d=` domains whose signature failed, and their messages.
    pub dkim_fail_domains: BTreeMap<String, u64>,
    /// SPF domains (envelope sender or HELO) with result `pass`, and their messages.
    pub spf_pass_domains: BTreeMap<String, u64>,
    /// SPF domains whose result was not `pass`, and their messages.
    pub spf_fail_domains: BTreeMap<String, u64>,
    pub reporters: BTreeSet<String>,
    /// Stored report ids (a few, for drill-down).
    pub report_ids: BTreeSet<String>,
}

/// TLS-RPT data of the domain.
#[derive(Debug, Clone, Default)]
pub struct TlsData {
    /// The failure window: reports ending in `(from, to]`; `to` is the newest report's end.
    pub from: i64,
    pub to: i64,
    /// Failure details in the window by result type and MX host.
    pub failures: Vec<TlsFailureData>,
    /// Session totals per UTC day (day start, epoch seconds), for the baseline.
    pub daily: Vec<TlsDay>,
    /// Whether any TLS report is stored for the domain at all.
    pub any_report: bool,
}

/// Failed sessions of one result type at one MX host.
#[derive(Debug, Clone, Default)]
pub struct TlsFailureData {
    /// RFC 8460 result type as reported (e.g. `certificate-expired`).
    pub result_type: String,
    /// `receiving-mx-hostname`, lower-case, `""` when not reported.
    pub mx_host: String,
    pub sessions: u64,
    pub reporters: BTreeSet<String>,
    pub sending_ips: BTreeSet<String>,
    pub receiving_ips: BTreeSet<String>,
    /// `additional-information` and `failure-reason-code` values.
    pub details: BTreeSet<String>,
    pub report_ids: BTreeSet<String>,
}

/// TLS sessions of one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TlsDay {
    pub day: i64,
    pub successful: u64,
    pub failed: u64,
}

/// A stored DNS check report (the JSON `GET /dns/{kind}/check` answers).
#[derive(Debug, Clone)]
pub struct DnsCheck {
    /// `dmarc`, `spf`, `dkim`, `bimi`, `mta_sts`, `tlsrpt`.
    pub kind: String,
    pub selector: String,
    pub checked_at: i64,
    pub report: serde_json::Value,
}

impl DnsCheck {
    /// Codes of the report's findings.
    pub fn finding_codes(&self) -> impl Iterator<Item = &str> {
        self.findings().map(|f| f.0)
    }

    /// (code, severity, message) of each finding.
    pub fn findings(&self) -> impl Iterator<Item = (&str, &str, &str)> {
        self.report["findings"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|f| {
                (
                    f["code"].as_str().unwrap_or(""),
                    f["severity"].as_str().unwrap_or(""),
                    f["message"].as_str().unwrap_or(""),
                )
            })
    }

    pub fn has(&self, code: &str) -> bool {
        self.finding_codes().any(|c| c == code)
    }

    /// The check could not tell what is published (a lookup of the record itself failed,
    /// reported as an error): its absence findings mean nothing, and issues it would clear
    /// stay as they are. A failed side lookup (a warning, e.g. the DMARC tree walk asking a
    /// TLD) does not make the record unknown.
    pub fn lookup_failed(&self) -> bool {
        self.findings()
            .any(|(c, s, _)| c.ends_with("_lookup_failed") && s == "error")
    }

    /// The records found, as published.
    pub fn records(&self) -> Vec<&str> {
        self.report["records"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|r| r.as_str())
            .collect()
    }
}
