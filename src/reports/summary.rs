//! Totals of a report, as printed by `ruad parse --summary` and compared with the corpus'
//! expectations: message counts by disposition and by DMARC-aligned DKIM / SPF result, and
//! TLS session counts. Computed record by record, so a report never has to be held whole.
//! Sums saturate (the parser already bounds every count and every report's total).

use crate::domain::report::{Record, TlsReport};
use serde::Serialize;
use std::collections::BTreeMap;

fn add(sum: &mut u64, n: u64) {
    *sum = sum.saturating_add(n);
}

/// Running totals over the records of one aggregate report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AggregateTotals {
    /// Usable records.
    pub records: u64,
    /// Sum of record counts.
    pub messages: u64,
    /// Messages by lower-case disposition.
    pub disposition: BTreeMap<String, u64>,
    /// Messages by lower-case DMARC-aligned DKIM result.
    pub dkim_aligned: BTreeMap<String, u64>,
    /// Messages by lower-case DMARC-aligned SPF result.
    pub spf_aligned: BTreeMap<String, u64>,
    /// Messages where aligned DKIM or aligned SPF passed.
    pub dmarc_pass_messages: u64,
}

impl AggregateTotals {
    pub fn add(&mut self, record: &Record) {
        let n = record.count;
        self.records += 1;
        self.messages = self.messages.saturating_add(n);
        let e = &record.policy_evaluated;
        if let Some(d) = &e.disposition {
            add(
                self.disposition
                    .entry(d.as_str().to_ascii_lowercase())
                    .or_default(),
                n,
            );
        }
        if let Some(d) = &e.dkim {
            add(
                self.dkim_aligned
                    .entry(d.as_str().to_ascii_lowercase())
                    .or_default(),
                n,
            );
        }
        if let Some(s) = &e.spf {
            add(
                self.spf_aligned
                    .entry(s.as_str().to_ascii_lowercase())
                    .or_default(),
                n,
            );
        }
        if record.dmarc_pass() {
            add(&mut self.dmarc_pass_messages, n);
        }
    }
}

/// Totals of one TLS report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TlsTotals {
    pub policies: u64,
    pub successful_sessions: u64,
    pub failed_sessions: u64,
    /// Sum of `failed-session-count` of the failure details, by result type.
    pub failed_sessions_by_result_type: BTreeMap<String, u64>,
}

impl From<&TlsReport> for TlsTotals {
    fn from(report: &TlsReport) -> Self {
        let mut t = TlsTotals::default();
        for p in &report.policies {
            t.policies += 1;
            add(&mut t.successful_sessions, p.total_successful_session_count);
            add(&mut t.failed_sessions, p.total_failure_session_count);
            for d in &p.failure_details {
                add(
                    t.failed_sessions_by_result_type
                        .entry(d.result_type.as_str().to_string())
                        .or_default(),
                    d.failed_session_count,
                );
            }
        }
        t
    }
}
