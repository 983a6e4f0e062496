//! Issue detection: deterministic rules over one domain's [`DomainInput`], each yielding
//! [`DetectedIssue`]s with a stable code, a severity, the evidence, an explanation and the
//! remediation. The rule families live in `rules_dmarc`, `rules_tls`, `rules_dns` and
//! `rules_failure`.
//!
//! Invariants:
//! - Pure: same input, same output (sorted by code and subject). No clock, no I/O: the
//!   evaluation time is `input.now`.
//! - At most one issue per (code, subject): that pair is the issue's identity across
//!   evaluations (see `domain::issue`).
//! - A rule that cannot tell (its data could not be read, e.g. a DNS lookup failed) names its
//!   codes in [`Evaluation::undetermined`], so the caller keeps those issues as they are
//!   instead of resolving them.

use super::input::DomainInput;
use super::{rules_dmarc, rules_dns, rules_failure, rules_tls};
use crate::domain::issue::{DetectedIssue, IssueCode};

pub const DAY: i64 = 86_400;

/// The rules' thresholds. The defaults are what ruad uses; tests may lower them.
#[derive(Debug, Clone)]
pub struct Thresholds {
    /// DMARC data analysed: reports ending within this many days of the newest report.
    pub dmarc_window_days: i64,
    /// A known service's failing messages needed to raise an issue...
    pub service_min_failing: u64,
    /// ...and their least share of that service's messages (forwarded copies of a service's
    /// mail fail too; a few are not a configuration problem).
    pub service_min_failing_share: f64,
    /// A service passing DMARC through one mechanism: its least messages to be reported.
    pub service_min_messages: u64,
    /// Failing messages from unknown sources needed to suspect spoofing.
    pub spoofing_min_messages: u64,
    /// A source whose reverse DNS lookups have failed for this many hours in a row (since the
    /// first failure, retried hourly while reports name it) counts as unidentified for
    /// spoofing; before that it is treated like a source not looked up yet, so a short
    /// resolver outage does not call a known service's servers spoofers.
    pub source_lookup_grace_hours: i64,
    /// Forwarded messages needed to mention forwarding.
    pub forwarding_min_messages: u64,
    /// `p=none` for at least this many days...
    pub policy_none_min_days: i64,
    /// ...with at least this share of messages passing DMARC...
    pub policy_none_min_pass_share: f64,
    /// ...over at least this many messages, suggests enforcing.
    pub policy_none_min_messages: u64,
    /// A reporter with this many reports in the window is reporting regularly...
    pub reporter_min_reports: u64,
    /// ...and has stopped when its newest report ended this many days before now.
    pub reports_stopped_days: i64,
    /// A domain registered this many days ago without any DMARC report yet is not receiving
    /// them (receivers send one a day once `rua=` points at ruad).
    pub first_report_days: i64,
    /// TLS failure details analysed: reports ending within this many days of the newest.
    pub tls_window_days: i64,
    /// TLS failure rate: the recent days compared...
    pub tls_recent_days: i64,
    /// ...with this many days before them.
    pub tls_baseline_days: i64,
    /// Least failed sessions in the recent days to speak of a jump.
    pub tls_jump_min_failures: u64,
    /// A burst of failures: at least this many DMARC failure reports about messages from one
    /// source IP...
    pub failure_burst_min_reports: u64,
    /// ...that arrived within this many hours before the evaluation.
    pub failure_burst_hours: i64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            dmarc_window_days: 30,
            service_min_failing: 5,
            service_min_failing_share: 0.02,
            service_min_messages: 10,
            spoofing_min_messages: 10,
            source_lookup_grace_hours: 24,
            forwarding_min_messages: 10,
            policy_none_min_days: 30,
            policy_none_min_pass_share: 0.98,
            policy_none_min_messages: 100,
            reporter_min_reports: 3,
            reports_stopped_days: 3,
            first_report_days: 3,
            tls_window_days: 7,
            tls_recent_days: 2,
            tls_baseline_days: 28,
            tls_jump_min_failures: 10,
            failure_burst_min_reports: 10,
            failure_burst_hours: 24,
        }
    }
}

/// The outcome of evaluating one domain.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Evaluation {
    /// Every issue found, sorted by code and subject.
    pub issues: Vec<DetectedIssue>,
    /// Codes whose rules could not tell this time: keep their stored issues unchanged.
    pub undetermined: Vec<IssueCode>,
}

/// Runs every rule over `input`.
pub fn detect(input: &DomainInput, t: &Thresholds) -> Evaluation {
    let mut out = Evaluation::default();
    rules_dmarc::detect(input, t, &mut out);
    rules_tls::detect(input, t, &mut out);
    rules_dns::detect(input, &mut out);
    rules_failure::detect(input, t, &mut out);
    out.issues
        .sort_by(|a, b| (a.code, &a.subject).cmp(&(b.code, &b.subject)));
    out.issues
        .dedup_by(|a, b| a.code == b.code && a.subject == b.subject);
    out.undetermined.sort();
    out.undetermined.dedup();
    out
}

/// `n` of `total` as a percentage with one decimal, for explanations.
pub(crate) fn percent(n: u64, total: u64) -> String {
    if total == 0 {
        return "0%".into();
    }
    let p = n as f64 * 100.0 / total as f64;
    if p >= 10.0 || p == p.trunc() {
        format!("{p:.0}%")
    } else {
        format!("{p:.1}%")
    }
}

/// `YYYY-MM-DD` of an epoch second.
pub(crate) fn date(ts: i64) -> String {
    chrono::DateTime::from_timestamp(ts, 0)
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_else(|| ts.to_string())
}

/// The first `n` items, for evidence lists that must stay small.
pub(crate) fn first<T: Clone>(items: impl IntoIterator<Item = T>, n: usize) -> Vec<T> {
    items.into_iter().take(n).collect()
}

/// Items joined with ", ", at most `n`, with "and k more".
pub(crate) fn list(items: &[String], n: usize) -> String {
    let mut s = items.iter().take(n).cloned().collect::<Vec<_>>().join(", ");
    if items.len() > n {
        s.push_str(&format!(" and {} more", items.len() - n));
    }
    s
}
