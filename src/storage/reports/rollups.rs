//! Rollups keyed by report: the per-day sums by result the aggregate endpoints read, so an
//! aggregate costs O(days × result combinations), not O(records). A report's counts are
//! spread over the days it covers with largest-remainder rounding (`domain::days`), so totals
//! stay exact; rows are keyed by report, so supersede and delete keep them exact too. (The
//! per-source sums, summed across reports, are [`super::sources`].)
//!
//! - `dmarc_daily`: messages per (domain, day, disposition, DKIM and SPF alignment).
//! - `tls_daily`: sessions per (domain, day, result type, sending address, receiving MX).
//! - `domain_daily`: per (domain, day), the sums of the rollups above over the domain's
//!   CURRENT reports only (messages, DMARC pass messages, TLS sessions): what the portfolio
//!   reads. Unlike the others it is not keyed by report, so every change of which reports are
//!   current (a new report, a supersede, a delete) adds or subtracts that report's own
//!   rollup rows, read back by primary key ([`apply_domain_daily`]), in the same transaction.
//!
//! Must not depend on `services`, `api` or `reports`.

use super::BATCH;
use crate::domain::days::{day_weights, split};
use crate::domain::ids::{DomainId, ReportId};
use crate::domain::report::{Record, TlsReport};
use crate::storage::schema::{dmarc_daily, tls_daily};
use crate::storage::{DbConnection, StorageResult, sql};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use std::collections::HashMap;

fn text_or_empty(value: Option<&impl ToString>) -> String {
    value.map(ToString::to_string).unwrap_or_default()
}

/// A DMARC report's `dmarc_daily` rows (per day and result), summed while its records
/// stream by. The result combinations are few, so memory stays small.
pub(super) struct DmarcRollup {
    report_id: String,
    domain_id: String,
    weights: Vec<(i64, i64)>,
    results: HashMap<(i64, String, String, String), u64>,
    messages: u64,
}

impl DmarcRollup {
    pub(super) fn new(
        report_id: &ReportId,
        domain_id: &DomainId,
        begin: i64,
        end: i64,
    ) -> DmarcRollup {
        DmarcRollup {
            report_id: report_id.as_str().to_string(),
            domain_id: domain_id.as_str().to_string(),
            weights: day_weights(begin, end),
            results: HashMap::new(),
            messages: 0,
        }
    }

    pub(super) fn add(&mut self, record: &Record) {
        let e = &record.policy_evaluated;
        let count = record.count;
        self.messages = self.messages.saturating_add(count);
        let disposition = text_or_empty(e.disposition.as_ref());
        let dkim = text_or_empty(e.dkim.as_ref());
        let spf = text_or_empty(e.spf.as_ref());
        for (day, n) in split(count, &self.weights) {
            let slot = self
                .results
                .entry((day, disposition.clone(), dkim.clone(), spf.clone()))
                .or_default();
            *slot = slot.saturating_add(n);
        }
    }

    /// Writes the sums; returns the report's messages.
    pub(super) fn finish(mut self, conn: &mut DbConnection) -> StorageResult<u64> {
        let rows: Vec<_> = self
            .results
            .drain()
            .map(|((day, disposition, dkim, spf), messages)| {
                (
                    dmarc_daily::report_id.eq(self.report_id.clone()),
                    dmarc_daily::domain_id.eq(self.domain_id.clone()),
                    dmarc_daily::day.eq(day),
                    dmarc_daily::disposition.eq(disposition),
                    dmarc_daily::dkim_aligned.eq(dkim),
                    dmarc_daily::spf_aligned.eq(spf),
                    dmarc_daily::messages.eq(i64::try_from(messages).unwrap_or(i64::MAX)),
                )
            })
            .collect();
        crate::storage::insert_batch!(conn, dmarc_daily::table, rows, BATCH)?;
        Ok(self.messages)
    }
}

/// A TLS report's `tls_daily` rows: sessions per (day, result type, sending address,
/// receiving MX), successful sessions under the empty result type.
pub(super) fn insert_tls_daily(
    conn: &mut DbConnection,
    report_id: &str,
    domain_id: &str,
    report: &TlsReport,
) -> StorageResult<()> {
    let weights = day_weights(report.date_range.begin, report.date_range.end);
    let mut rollup: HashMap<(i64, String, String, String), (u64, u64)> = HashMap::new();
    for p in &report.policies {
        let ok = split(p.total_successful_session_count, &weights);
        let failed = split(p.total_failure_session_count, &weights);
        for ((day, s), (_, f)) in ok.into_iter().zip(failed) {
            let e = rollup
                .entry((day, String::new(), String::new(), String::new()))
                .or_default();
            e.0 += s;
            e.1 += f;
        }
        for d in &p.failure_details {
            for (day, n) in split(d.failed_session_count, &weights) {
                let key = (
                    day,
                    d.result_type.as_str().to_string(),
                    d.sending_mta_ip.clone().unwrap_or_default(),
                    d.receiving_mx_hostname.clone().unwrap_or_default(),
                );
                rollup.entry(key).or_default().1 += n;
            }
        }
    }
    let rows: Vec<_> = rollup
        .into_iter()
        .map(|((day, result_type, ip, mx), (ok, failed))| {
            (
                tls_daily::report_id.eq(report_id.to_string()),
                tls_daily::domain_id.eq(domain_id.to_string()),
                tls_daily::day.eq(day),
                tls_daily::org_name.eq(report.organization_name.clone()),
                tls_daily::result_type.eq(result_type),
                tls_daily::sending_mta_ip.eq(ip),
                tls_daily::receiving_mx_hostname.eq(mx),
                tls_daily::successful_sessions.eq(ok as i64),
                tls_daily::failed_sessions.eq(failed as i64),
            )
        })
        .collect();
    crate::storage::insert_batch!(conn, tls_daily::table, rows, BATCH)?;
    Ok(())
}

/// Adds (`sign` = 1) or subtracts (`sign` = -1) the report's per-day sums to `domain_daily`
/// (see the module's header). Reads the report's own `dmarc_daily` and `tls_daily` rows by
/// their primary key's prefix, so it costs O(days × results of this report). Call it when
/// the report becomes current (stored, or a newer version deleted) and when it stops being
/// current (superseded, deleted), before its rows are removed.
pub(crate) fn apply_domain_daily(
    conn: &mut DbConnection,
    report_id: &str,
    sign: i64,
) -> StorageResult<()> {
    // One statement on both backends: INSERT … SELECT … ON CONFLICT is SQLite (3.24+) and
    // PostgreSQL syntax alike; the SELECT has a WHERE so SQLite does not read ON as a join's.
    let text = "INSERT INTO domain_daily \
         (domain_id, tenant_id, day, messages, dmarc_pass_messages, tls_successful, tls_failed) \
         SELECT r.domain_id, r.tenant_id, x.day, \
           ? * CAST(SUM(x.messages) AS BIGINT), ? * CAST(SUM(x.pass) AS BIGINT), \
           ? * CAST(SUM(x.ok) AS BIGINT), ? * CAST(SUM(x.failed) AS BIGINT) \
         FROM ( \
           SELECT report_id, day, messages, \
             CASE WHEN dkim_aligned = 'pass' OR spf_aligned = 'pass' THEN messages ELSE 0 END AS pass, \
             0 AS ok, 0 AS failed \
           FROM dmarc_daily WHERE report_id = ? \
           UNION ALL \
           SELECT report_id, day, 0, 0, successful_sessions, failed_sessions \
           FROM tls_daily WHERE report_id = ? AND result_type = '' \
         ) x JOIN reports r ON r.id = x.report_id \
         WHERE r.id = ? \
         GROUP BY r.domain_id, r.tenant_id, x.day \
         ON CONFLICT (domain_id, day) DO UPDATE SET \
           messages = domain_daily.messages + excluded.messages, \
           dmarc_pass_messages = domain_daily.dmarc_pass_messages + excluded.dmarc_pass_messages, \
           tls_successful = domain_daily.tls_successful + excluded.tls_successful, \
           tls_failed = domain_daily.tls_failed + excluded.tls_failed";
    diesel::sql_query(sql(conn, text))
        .bind::<BigInt, _>(sign)
        .bind::<BigInt, _>(sign)
        .bind::<BigInt, _>(sign)
        .bind::<BigInt, _>(sign)
        .bind::<Text, _>(report_id)
        .bind::<Text, _>(report_id)
        .bind::<Text, _>(report_id)
        .execute(conn)?;
    if sign < 0 {
        // A day the domain no longer has any current figure for is no row at all, so the
        // table equals a recomputation from the per-report rollups.
        let text = "DELETE FROM domain_daily WHERE domain_id = (SELECT domain_id FROM reports WHERE id = ?) \
             AND messages = 0 AND dmarc_pass_messages = 0 AND tls_successful = 0 AND tls_failed = 0";
        diesel::sql_query(sql(conn, text))
            .bind::<Text, _>(report_id)
            .execute(conn)?;
    }
    Ok(())
}
