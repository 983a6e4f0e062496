//! The per-source rollups, summed across reports: one row per (domain, day, source,
//! header from) in `dmarc_source_days` and per (domain, day, source, passing DKIM/SPF domain)
//! in `dmarc_auth_days`, and the same sums per calendar month in `dmarc_source_months` and
//! `dmarc_auth_months`. They hold the domain's CURRENT reports only (no newer version
//! supersedes them), so by-source, by-service and the flexible query cost
//! O(distinct sources × buckets of the range), whatever the number of records or reports.
//!
//! Exactness: a report adds its records' sums when it becomes current ([`SourceRollup`] while
//! its records stream in) and subtracts them when it stops being current ([`apply`] with
//! `sign` = -1, recomputed from its stored records by the same code), in the caller's
//! transaction; rows whose sums fall to zero are removed, so the tables always equal a
//! recomputation from the current reports' records (a test checks this after random uploads,
//! supersedes and deletes), from the domain's `rollups_kept_from` day on: the retention sweep
//! raises it before deleting the days before it, and no report adds to or subtracts from
//! those days (a report straddling the cutoff, replaced later, would otherwise subtract from
//! deleted days and leave negative rows). On PostgreSQL a transaction that read the boundary
//! just before the sweep raised it may still write to a day being deleted; the next sweep
//! deletes that day's rows again, whatever they hold.
//!
//! Must not depend on `services`, `api` or `reports`.

use super::read::{RecordRow, list_records_page};
use crate::domain::days::{day_weights, month_start, split};
use crate::domain::ids::ReportId;
use crate::domain::report::{
    AuthResults, DkimAuth, DkimResult, OverrideReason, OverrideType, Record, SpfAuth, SpfResult,
    normalized_auth_domain,
};
use crate::storage::schema::{domains, reports, rollup_rebuilds};
use crate::storage::write_transaction;
use crate::storage::{DbConnection, StorageError, StorageResult, sql};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use std::collections::HashMap;

/// Distinct groups summed in memory before they are written, so memory stays bounded
/// whatever the report's size.
const MAX_GROUPS: usize = 100_000;

/// Rows per upsert statement: 11 bound values each, within both backends' limits.
const UPSERT_ROWS: usize = 400;

/// Records read back per page when a report's sums are recomputed.
const RECORD_PAGE: i64 = 5_000;

/// The counters of one (day or month, source, header from) group, in the order of
/// [`SOURCE_COLUMNS`]'s sums.
type Sums = [i64; 7];

const SOURCE_COLUMNS: [&str; 7] = [
    "messages",
    "pass_messages",
    "dkim_aligned_messages",
    "spf_aligned_messages",
    "quarantine_messages",
    "reject_messages",
    "forwarded_messages",
];

/// What one record adds to the per-source rollups.
#[derive(Debug, Clone)]
pub(crate) struct Facts {
    source_ip: String,
    count: u64,
    header_from: String,
    /// DKIM aligned, SPF aligned, disposition quarantine, reject, forwarded.
    dkim: bool,
    spf: bool,
    quarantine: bool,
    reject: bool,
    forwarded: bool,
    /// The distinct (method, domain) of its passing DKIM and SPF results.
    auth: Vec<(&'static str, String)>,
}

fn forwarded(reasons: &[OverrideReason]) -> bool {
    reasons.iter().any(|r| {
        matches!(
            r.kind,
            OverrideType::Forwarded | OverrideType::TrustedForwarder | OverrideType::MailingList
        )
    })
}

/// The distinct (method, domain) pairs of passing DKIM and SPF results, domains lower-case
/// without trailing dot: what the aggregates name a sending service from.
fn passing_auth_domains(auth: &AuthResults) -> Vec<(&'static str, String)> {
    let dkim = auth
        .dkim
        .iter()
        .filter(|a| a.result == Some(DkimResult::Pass))
        .filter_map(|a| a.domain.as_deref().map(|d| ("dkim", d)));
    let spf = auth
        .spf
        .iter()
        .filter(|a| a.result == Some(SpfResult::Pass))
        .filter_map(|a| a.domain.as_deref().map(|d| ("spf", d)));
    let mut out: Vec<(&'static str, String)> = Vec::new();
    for (method, domain) in dkim.chain(spf) {
        let Some(domain) = normalized_auth_domain(domain) else {
            continue;
        };
        if !out.iter().any(|(m, d)| *m == method && *d == domain) {
            out.push((method, domain));
        }
    }
    out
}

/// The passing DKIM and SPF domains of a stored record (lower-case, no trailing dot), as the
/// per-source rollups count them: what the flexible query groups `dkim_domain` and
/// `spf_domain` by when it reads raw records.
pub(crate) fn passing_auth_domains_of_row(
    row: &RecordRow,
) -> StorageResult<(Vec<String>, Vec<String>)> {
    let auth = AuthResults {
        dkim: serde_json::from_str::<Vec<DkimAuth>>(&row.dkim)
            .map_err(|e| StorageError::Other(e.into()))?,
        spf: serde_json::from_str::<Vec<SpfAuth>>(&row.spf)
            .map_err(|e| StorageError::Other(e.into()))?,
    };
    let (mut dkim, mut spf) = (Vec::new(), Vec::new());
    for (method, domain) in passing_auth_domains(&auth) {
        if method == "dkim" {
            dkim.push(domain);
        } else {
            spf.push(domain);
        }
    }
    Ok((dkim, spf))
}

impl Facts {
    /// Which of the [`SOURCE_COLUMNS`] counters the record's messages add to.
    fn counted(&self) -> [bool; 7] {
        [
            true,
            self.dkim || self.spf,
            self.dkim,
            self.spf,
            self.quarantine,
            self.reject,
            self.forwarded,
        ]
    }

    pub(crate) fn of_record(record: &Record) -> Facts {
        use crate::domain::report::{Disposition, DmarcResult};
        let e = &record.policy_evaluated;
        Facts {
            source_ip: record.source_ip.to_string(),
            count: record.count,
            header_from: record.identifiers.header_from.clone().unwrap_or_default(),
            dkim: e.dkim == Some(DmarcResult::Pass),
            spf: e.spf == Some(DmarcResult::Pass),
            quarantine: e.disposition == Some(Disposition::Quarantine),
            reject: e.disposition == Some(Disposition::Reject),
            forwarded: forwarded(&e.reasons),
            auth: passing_auth_domains(&record.auth_results),
        }
    }

    /// The facts of a stored record: the columns [`super::write::DmarcWriter`] wrote from the
    /// [`Record`], read back, so they equal [`Facts::of_record`] of that record.
    fn of_row(row: &RecordRow) -> StorageResult<Facts> {
        fn parse<T: serde::de::DeserializeOwned>(text: &str) -> StorageResult<T> {
            serde_json::from_str(text).map_err(|e| StorageError::Other(e.into()))
        }
        let reasons: Vec<OverrideReason> = parse(&row.reasons)?;
        let auth = AuthResults {
            dkim: parse::<Vec<DkimAuth>>(&row.dkim)?,
            spf: parse::<Vec<SpfAuth>>(&row.spf)?,
        };
        Ok(Facts {
            source_ip: row.source_ip.clone(),
            count: u64::try_from(row.count).unwrap_or(0),
            header_from: row.header_from.clone().unwrap_or_default(),
            dkim: row.dkim_aligned.as_deref() == Some("pass"),
            spf: row.spf_aligned.as_deref() == Some("pass"),
            quarantine: row.disposition.as_deref() == Some("quarantine"),
            reject: row.disposition.as_deref() == Some("reject"),
            forwarded: forwarded(&reasons),
            auth: passing_auth_domains(&auth),
        })
    }
}

/// A report's contribution to the per-source rollups, summed while its records stream by and
/// written (added or subtracted) in bounded batches.
pub(crate) struct SourceRollup {
    domain_id: String,
    weights: Vec<(i64, i64)>,
    sign: i64,
    sources: HashMap<(i64, String, String), Sums>,
    auth: HashMap<(i64, String, &'static str, String), i64>,
}

fn clamp(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

impl SourceRollup {
    /// For a report filed under `domain_id` covering `begin..=end`; `sign` 1 adds, -1
    /// subtracts.
    pub(crate) fn new(domain_id: &str, begin: i64, end: i64, sign: i64) -> SourceRollup {
        SourceRollup {
            domain_id: domain_id.to_string(),
            weights: day_weights(begin, end),
            sign,
            sources: HashMap::new(),
            auth: HashMap::new(),
        }
    }

    pub(crate) fn add(&mut self, conn: &mut DbConnection, facts: &Facts) -> StorageResult<()> {
        for (day, n) in split(facts.count, &self.weights) {
            // A group a record adds nothing to is no row: the tables equal a recomputation.
            if n == 0 {
                continue;
            }
            let n = clamp(n);
            let sums = self
                .sources
                .entry((day, facts.source_ip.clone(), facts.header_from.clone()))
                .or_default();
            for (slot, counted) in sums.iter_mut().zip(facts.counted()) {
                if counted {
                    *slot = slot.saturating_add(n);
                }
            }
            for (method, domain) in &facts.auth {
                let slot = self
                    .auth
                    .entry((day, facts.source_ip.clone(), method, domain.clone()))
                    .or_default();
                *slot = slot.saturating_add(n);
            }
        }
        if self.sources.len() + self.auth.len() >= MAX_GROUPS {
            self.flush(conn)?;
        }
        Ok(())
    }

    fn flush(&mut self, conn: &mut DbConnection) -> StorageResult<()> {
        let sign = self.sign;
        // Days the retention sweep deleted (or is deleting) are neither added to nor
        // subtracted from: a report straddling the cutoff subtracts only what is still kept.
        if let Some(kept_from) = domains::table
            .filter(domains::id.eq(&self.domain_id))
            .select(domains::rollups_kept_from)
            .first::<Option<i64>>(conn)
            .optional()?
            .flatten()
        {
            self.sources.retain(|(day, _, _), _| *day >= kept_from);
            self.auth.retain(|(day, _, _, _), _| *day >= kept_from);
        }
        let mut months: HashMap<(i64, String, String), Sums> = HashMap::new();
        let mut days: Vec<(i64, String, String, Sums)> = self
            .sources
            .drain()
            .map(|((day, ip, from), sums)| {
                let month = months
                    .entry((month_start(day), ip.clone(), from.clone()))
                    .or_default();
                for (m, s) in month.iter_mut().zip(sums) {
                    *m = m.saturating_add(s);
                }
                (day, ip, from, sums.map(|s| s.saturating_mul(sign)))
            })
            .collect();
        let mut months: Vec<(i64, String, String, Sums)> = months
            .into_iter()
            .map(|((m, ip, from), sums)| (m, ip, from, sums.map(|s| s.saturating_mul(sign))))
            .collect();
        // Rows in key order: concurrent writers of one domain (PostgreSQL) then lock shared
        // rows in the same order and wait for each other instead of deadlocking.
        days.sort_unstable_by(|a, b| (a.0, &a.1, &a.2).cmp(&(b.0, &b.1, &b.2)));
        months.sort_unstable_by(|a, b| (a.0, &a.1, &a.2).cmp(&(b.0, &b.1, &b.2)));
        upsert_sources(conn, "dmarc_source_days", &self.domain_id, &days)?;
        upsert_sources(conn, "dmarc_source_months", &self.domain_id, &months)?;

        let mut auth_months: HashMap<(i64, String, &'static str, String), i64> = HashMap::new();
        let mut auth_days: Vec<(i64, String, &'static str, String, i64)> = self
            .auth
            .drain()
            .map(|((day, ip, method, domain), n)| {
                let m = auth_months
                    .entry((month_start(day), ip.clone(), method, domain.clone()))
                    .or_default();
                *m = m.saturating_add(n);
                (day, ip, method, domain, n.saturating_mul(sign))
            })
            .collect();
        let mut auth_months: Vec<(i64, String, &'static str, String, i64)> = auth_months
            .into_iter()
            .map(|((m, ip, method, domain), n)| (m, ip, method, domain, n.saturating_mul(sign)))
            .collect();
        auth_days.sort_unstable_by(|a, b| (a.0, &a.1, a.2, &a.3).cmp(&(b.0, &b.1, b.2, &b.3)));
        auth_months.sort_unstable_by(|a, b| (a.0, &a.1, a.2, &a.3).cmp(&(b.0, &b.1, b.2, &b.3)));
        upsert_auth(conn, "dmarc_auth_days", &self.domain_id, &auth_days)?;
        upsert_auth(conn, "dmarc_auth_months", &self.domain_id, &auth_months)?;
        Ok(())
    }

    /// Writes what is still summed; after a subtraction, removes the rows that fell to zero
    /// in the days and months the report covers.
    pub(crate) fn finish(mut self, conn: &mut DbConnection) -> StorageResult<()> {
        self.flush(conn)?;
        if self.sign < 0 {
            let (Some(&(first, _)), Some(&(last, _))) = (self.weights.first(), self.weights.last())
            else {
                return Ok(());
            };
            for (table, from, to) in [
                ("dmarc_source_days", first, last),
                ("dmarc_auth_days", first, last),
                ("dmarc_source_months", month_start(first), month_start(last)),
                ("dmarc_auth_months", month_start(first), month_start(last)),
            ] {
                let text = format!(
                    "DELETE FROM {table} WHERE domain_id = ? AND day >= ? AND day <= ? AND messages = 0"
                );
                diesel::sql_query(sql(conn, &text))
                    .bind::<Text, _>(&self.domain_id)
                    .bind::<BigInt, _>(from)
                    .bind::<BigInt, _>(to)
                    .execute(conn)?;
            }
        }
        Ok(())
    }
}

/// Adds `rows` (signed sums) to `table` (`dmarc_source_days` or `_months`): one multi-row
/// `INSERT … ON CONFLICT DO UPDATE` per [`UPSERT_ROWS`] (SQLite 3.24+ and PostgreSQL alike).
/// The rows of one call have distinct keys, as PostgreSQL requires.
fn upsert_sources(
    conn: &mut DbConnection,
    table: &str,
    domain_id: &str,
    rows: &[(i64, String, String, Sums)],
) -> StorageResult<()> {
    let columns = SOURCE_COLUMNS.join(", ");
    let updates = SOURCE_COLUMNS
        .iter()
        .map(|c| format!("{c} = {table}.{c} + excluded.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    for chunk in rows.chunks(UPSERT_ROWS) {
        let values = vec!["(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"; chunk.len()].join(", ");
        let text = format!(
            "INSERT INTO {table} (domain_id, day, source_ip, header_from, {columns}) VALUES {values} \
             ON CONFLICT (domain_id, day, source_ip, header_from) DO UPDATE SET {updates}"
        );
        let mut query = diesel::sql_query(sql(conn, &text)).into_boxed();
        for (day, ip, from, sums) in chunk {
            query = query
                .bind::<Text, _>(domain_id.to_string())
                .bind::<BigInt, _>(*day)
                .bind::<Text, _>(ip.clone())
                .bind::<Text, _>(from.clone());
            for s in sums {
                query = query.bind::<BigInt, _>(*s);
            }
        }
        query.execute(conn)?;
    }
    Ok(())
}

/// [`upsert_sources`] for `dmarc_auth_days` or `_months`.
fn upsert_auth(
    conn: &mut DbConnection,
    table: &str,
    domain_id: &str,
    rows: &[(i64, String, &'static str, String, i64)],
) -> StorageResult<()> {
    for chunk in rows.chunks(UPSERT_ROWS) {
        let values = vec!["(?, ?, ?, ?, ?, ?)"; chunk.len()].join(", ");
        let text = format!(
            "INSERT INTO {table} (domain_id, day, source_ip, method, auth_domain, messages) VALUES {values} \
             ON CONFLICT (domain_id, day, source_ip, method, auth_domain) \
             DO UPDATE SET messages = {table}.messages + excluded.messages"
        );
        let mut query = diesel::sql_query(sql(conn, &text)).into_boxed();
        for (day, ip, method, domain, n) in chunk {
            query = query
                .bind::<Text, _>(domain_id.to_string())
                .bind::<BigInt, _>(*day)
                .bind::<Text, _>(ip.clone())
                .bind::<Text, _>(*method)
                .bind::<Text, _>(domain.clone())
                .bind::<BigInt, _>(*n);
        }
        query.execute(conn)?;
    }
    Ok(())
}

/// Adds (`sign` = 1) or subtracts (`sign` = -1) a stored DMARC report's sums, recomputed from
/// its records page by page (memory stays bounded). Call it when the report becomes current
/// again (a newer version deleted) or stops being current (superseded, deleted), before its
/// records are removed. A TLS report has no records here and changes nothing.
pub(crate) fn apply(conn: &mut DbConnection, report_id: &str, sign: i64) -> StorageResult<()> {
    let (domain_id, kind, begin, end): (String, String, i64, i64) = reports::table
        .filter(reports::id.eq(report_id))
        .select((
            reports::domain_id,
            reports::kind,
            reports::begin_ts,
            reports::end_ts,
        ))
        .first(conn)?;
    if kind != super::KIND_DMARC {
        return Ok(());
    }
    let mut rollup = SourceRollup::new(&domain_id, begin, end, sign);
    let id = ReportId::from(report_id.to_string());
    let mut after = 0;
    loop {
        let page = list_records_page(conn, &id, after, RECORD_PAGE)?;
        let Some(last) = page.last() else {
            break;
        };
        after = last.seq;
        for row in &page {
            rollup.add(conn, &Facts::of_row(row)?)?;
        }
    }
    rollup.finish(conn)
}

/// Runs the rollup rebuilds a migration asked for (`rollup_rebuilds`), once, in one
/// transaction per rebuild: on PostgreSQL the rebuild's row is locked first, so of several
/// instances starting together one rebuilds and the others find it done. Returns the number
/// of reports replayed.
pub fn rebuild_pending(conn: &mut DbConnection) -> StorageResult<u64> {
    let pending: Vec<String> = rollup_rebuilds::table
        .select(rollup_rebuilds::name)
        .load(conn)?;
    let mut replayed = 0u64;
    for name in pending {
        replayed += write_transaction(conn, |conn| -> StorageResult<u64> {
            let claimed = match conn {
                DbConnection::Pg(_) => {
                    diesel::sql_query("SELECT name FROM rollup_rebuilds WHERE name = $1 FOR UPDATE")
                        .bind::<Text, _>(&name)
                        .execute(conn)?
                }
                DbConnection::Sqlite(_) => rollup_rebuilds::table
                    .filter(rollup_rebuilds::name.eq(&name))
                    .count()
                    .get_result::<i64>(conn)
                    .map(|n| n as usize)?,
            };
            if claimed == 0 {
                return Ok(0);
            }
            let n = match name.as_str() {
                "dmarc_sources" => rebuild_sources(conn)?,
                _ => 0,
            };
            diesel::delete(rollup_rebuilds::table.filter(rollup_rebuilds::name.eq(&name)))
                .execute(conn)?;
            Ok(n)
        })?;
    }
    Ok(replayed)
}

/// Empties the per-source rollups and adds every current DMARC report's records again.
fn rebuild_sources(conn: &mut DbConnection) -> StorageResult<u64> {
    for table in [
        "dmarc_source_days",
        "dmarc_source_months",
        "dmarc_auth_days",
        "dmarc_auth_months",
    ] {
        diesel::sql_query(format!("DELETE FROM {table}")).execute(conn)?;
    }
    let current: Vec<String> = reports::table
        .filter(reports::kind.eq(super::KIND_DMARC))
        .filter(reports::superseded_by.is_null())
        .order(reports::id.asc())
        .select(reports::id)
        .load(conn)?;
    for id in &current {
        apply(conn, id, 1)?;
    }
    Ok(current.len() as u64)
}

/// The contents of the four per-source rollups of one domain: (table, key, sums), the key
/// `day|source|header_from` or `day|source|method|domain`, the sums in column order.
pub type RollupContents = std::collections::BTreeSet<(String, String, Vec<i64>)>;

/// The domain's per-source rollups as stored, and as recomputed from scratch from the stored
/// records of its current DMARC reports (what a test compares after uploads, supersedes and
/// deletes: they must be equal).
pub fn check(
    conn: &mut DbConnection,
    domain_id: &str,
) -> StorageResult<(RollupContents, RollupContents)> {
    #[derive(QueryableByName)]
    struct SourceRow {
        #[diesel(sql_type = BigInt)]
        day: i64,
        #[diesel(sql_type = Text)]
        source_ip: String,
        #[diesel(sql_type = Text)]
        header_from: String,
        #[diesel(sql_type = BigInt)]
        messages: i64,
        #[diesel(sql_type = BigInt)]
        pass_messages: i64,
        #[diesel(sql_type = BigInt)]
        dkim_aligned_messages: i64,
        #[diesel(sql_type = BigInt)]
        spf_aligned_messages: i64,
        #[diesel(sql_type = BigInt)]
        quarantine_messages: i64,
        #[diesel(sql_type = BigInt)]
        reject_messages: i64,
        #[diesel(sql_type = BigInt)]
        forwarded_messages: i64,
    }
    #[derive(QueryableByName)]
    struct AuthRow {
        #[diesel(sql_type = BigInt)]
        day: i64,
        #[diesel(sql_type = Text)]
        source_ip: String,
        #[diesel(sql_type = Text)]
        method: String,
        #[diesel(sql_type = Text)]
        auth_domain: String,
        #[diesel(sql_type = BigInt)]
        messages: i64,
    }
    let mut stored = RollupContents::new();
    for table in ["dmarc_source_days", "dmarc_source_months"] {
        let text = format!("SELECT * FROM {table} WHERE domain_id = ?");
        let rows: Vec<SourceRow> = diesel::sql_query(sql(conn, &text))
            .bind::<Text, _>(domain_id)
            .load(conn)?;
        for r in rows {
            stored.insert((
                table.to_string(),
                format!("{}|{}|{}", r.day, r.source_ip, r.header_from),
                vec![
                    r.messages,
                    r.pass_messages,
                    r.dkim_aligned_messages,
                    r.spf_aligned_messages,
                    r.quarantine_messages,
                    r.reject_messages,
                    r.forwarded_messages,
                ],
            ));
        }
    }
    for table in ["dmarc_auth_days", "dmarc_auth_months"] {
        let text = format!("SELECT * FROM {table} WHERE domain_id = ?");
        let rows: Vec<AuthRow> = diesel::sql_query(sql(conn, &text))
            .bind::<Text, _>(domain_id)
            .load(conn)?;
        for r in rows {
            stored.insert((
                table.to_string(),
                format!("{}|{}|{}|{}", r.day, r.source_ip, r.method, r.auth_domain),
                vec![r.messages],
            ));
        }
    }

    // From scratch: every current report's records, split over its days, summed in memory.
    let current: Vec<(String, i64, i64)> = reports::table
        .filter(reports::domain_id.eq(domain_id))
        .filter(reports::kind.eq(super::KIND_DMARC))
        .filter(reports::superseded_by.is_null())
        .select((reports::id, reports::begin_ts, reports::end_ts))
        .load(conn)?;
    let mut sums: HashMap<(&'static str, String), Vec<i64>> = HashMap::new();
    let mut add = |table: &'static str, key: String, values: &[i64]| {
        let slot = sums
            .entry((table, key))
            .or_insert_with(|| vec![0; values.len()]);
        for (s, v) in slot.iter_mut().zip(values) {
            *s += v;
        }
    };
    for (id, begin, end) in current {
        let weights = day_weights(begin, end);
        for row in super::read::list_records(conn, &ReportId::from(id))? {
            let f = Facts::of_row(&row)?;
            for (day, n) in split(f.count, &weights) {
                if n == 0 {
                    continue;
                }
                let n = clamp(n);
                let values: Vec<i64> = f
                    .counted()
                    .iter()
                    .map(|&counted| if counted { n } else { 0 })
                    .collect();
                for (table, bucket) in [
                    ("dmarc_source_days", day),
                    ("dmarc_source_months", month_start(day)),
                ] {
                    add(
                        table,
                        format!("{bucket}|{}|{}", f.source_ip, f.header_from),
                        &values,
                    );
                }
                for (method, domain) in &f.auth {
                    for (table, bucket) in [
                        ("dmarc_auth_days", day),
                        ("dmarc_auth_months", month_start(day)),
                    ] {
                        add(
                            table,
                            format!("{bucket}|{}|{method}|{domain}", f.source_ip),
                            &[n],
                        );
                    }
                }
            }
        }
    }
    let recomputed = sums
        .into_iter()
        .map(|((table, key), values)| (table.to_string(), key, values))
        .collect();
    Ok((recomputed, stored))
}
