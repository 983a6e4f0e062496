//! Aggregate queries over the rollups of one domain. Superseded report versions are left
//! out. by-result costs O(days × result combinations) (`dmarc_daily`, keyed by report); the
//! per-source queries read the per-source rollups summed across reports
//! (`storage::reports::sources`): whole calendar months of the range from the monthly sums,
//! the days at its edges from the daily ones ([`source_union`]), so they cost
//! O(distinct sources × buckets), whatever the number of records or reports.
//!
//! Every public function takes the caller's [`TenantScope`] and the domain's [`DomainId`]
//! first and is `StorageError::NotFound` for a domain outside the scope: one lookup by primary
//! keys before the query (`storage::domain_in_scope`), so the rollup queries and their plans
//! stay as benchmarked. Use cases (by-service naming, timeseries buckets) belong to
//! `services::aggregates`, not here. Must not depend on actix-web.

use super::{DbConnection, StorageResult, TenantScope, binds, domain_in_scope, sql, wide_sums};
use crate::domain::ids::DomainId;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use std::collections::BTreeMap;

/// An inclusive range of UTC epoch days.
#[derive(Debug, Clone, Copy)]
pub struct DayRange {
    pub first: i64,
    pub last: i64,
}

#[derive(QueryableByName)]
struct ResultRow {
    #[diesel(sql_type = Text)]
    disposition: String,
    #[diesel(sql_type = Text)]
    dkim_aligned: String,
    #[diesel(sql_type = Text)]
    spf_aligned: String,
    #[diesel(sql_type = BigInt)]
    messages: i64,
}

/// DMARC totals by result.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DmarcByResult {
    pub total_messages: u64,
    pub dmarc_pass_messages: u64,
    pub disposition: BTreeMap<String, u64>,
    pub dkim_aligned: BTreeMap<String, u64>,
    pub spf_aligned: BTreeMap<String, u64>,
}

/// Source addresses bound in one `IN` list, within both backends' bound-value limits.
const MAX_SOURCES_PER_QUERY: usize = 10_000;

/// The rows of a per-source rollup (`dmarc_source_*` or `dmarc_auth_*`) for one domain over
/// a range, as a `UNION ALL` of at most three scans of primary-key ranges: the whole calendar
/// months from `{prefix}_months`, the days before and after them from `{prefix}_days`. Every
/// piece selects `columns` and has three binds (domain id, first and last day), in order; see
/// [`bind_union`].
fn source_union(prefix: &str, columns: &str, days: DayRange) -> (String, Vec<(i64, i64)>) {
    let mut pieces = Vec::new();
    let mut binds = Vec::new();
    for (table, first, last) in range_pieces(days) {
        pieces.push(format!(
            "SELECT {columns} FROM {prefix}_{table} WHERE domain_id = ? AND day >= ? AND day <= ?"
        ));
        binds.push((first, last));
    }
    if pieces.is_empty() {
        // An empty range: a scan that finds nothing, with the same columns.
        pieces.push(format!(
            "SELECT {columns} FROM {prefix}_days WHERE domain_id = ? AND day >= ? AND day <= ?"
        ));
        binds.push((1, 0));
    }
    (pieces.join(" UNION ALL "), binds)
}

/// The most (bucket × source) seeks [`source_rows`] makes on SQLite before it reads the range
/// whole instead: a page of 100 sources over 90 days is 300 seeks (three months) to 9,000 (90
/// edge days), where the range holds tens of thousands of rows.
pub const MAX_SEEKS: usize = 20_000;

/// The same on PostgreSQL, where each `day IN (…) AND source_ip IN (…)` pair is a descent of
/// the index and costs more: measured at 1M records (docs/benchmarks-server.md), 300 seeks
/// (three whole months) took by-source from 469 to 230 ms, but 3,000 (thirty edge days) from
/// 275 to 466 ms.
pub const MAX_SEEKS_POSTGRES: usize = 1_000;

/// Sources per [`source_rows`] statement: three pieces of them stay within both backends'
/// bound-value limits.
const SOURCES_PER_LOOKUP: usize = 3_000;

/// The rows of a per-source rollup (`dmarc_source_*` or `dmarc_auth_*`) of the sources `ips`
/// of one domain over a range, `columns` of them, for `select` to group: `select` holds
/// `{rows}` where the rows go and filters nothing itself. Sources of a page are few, so each
/// piece of the [`source_union`] names its days (or month starts) one by one and the primary
/// key (domain, day, source, …) seeks each source's rows; past [`MAX_SEEKS`] (PostgreSQL:
/// [`MAX_SEEKS_POSTGRES`]) the range is read whole and filtered, as the seeks would then cost
/// more than the scan.
fn source_rows<R>(
    conn: &mut DbConnection,
    (prefix, columns): (&str, &str),
    domain_id: &str,
    days: DayRange,
    ips: &[String],
    select: &str,
) -> StorageResult<Vec<R>>
where
    R: diesel::deserialize::QueryableByName<crate::storage::multi_connection_impl::MultiBackend>
        + 'static,
{
    let mut pieces: Vec<(&str, Vec<i64>)> = Vec::new();
    for (table, first, last) in range_pieces(days) {
        let mut buckets = Vec::new();
        let mut day = first;
        while day <= last {
            buckets.push(day);
            day = if table == "months" {
                crate::domain::days::next_month_start(day)
            } else {
                day + 1
            };
        }
        pieces.push((table, buckets));
    }
    let buckets: usize = pieces.iter().map(|(_, b)| b.len()).sum();
    let mut out = Vec::new();
    if buckets == 0 || ips.is_empty() {
        return Ok(out);
    }
    let max_seeks = match conn {
        DbConnection::Pg(_) => MAX_SEEKS_POSTGRES,
        _ => MAX_SEEKS,
    };
    if buckets.saturating_mul(ips.len()) > max_seeks {
        let (union, union_binds) = source_union(prefix, columns, days);
        for chunk in ips.chunks(MAX_SOURCES_PER_QUERY) {
            let rows = format!(
                "(SELECT {columns} FROM ({union}) u WHERE u.source_ip IN ({}))",
                binds(chunk.len())
            );
            let sql = select.replace("{rows}", &rows);
            let mut query = bind_union(
                diesel::sql_query(query_text(conn, &sql)).into_boxed(),
                domain_id,
                &union_binds,
            );
            for ip in chunk {
                query = query.bind::<Text, _>(ip.clone());
            }
            out.extend(query.load::<R>(conn)?);
        }
        return Ok(out);
    }
    for chunk in ips.chunks(SOURCES_PER_LOOKUP) {
        let list = binds(chunk.len());
        let union = pieces
            .iter()
            .map(|(table, buckets)| {
                let days: Vec<String> = buckets.iter().map(i64::to_string).collect();
                format!(
                    "SELECT {columns} FROM {prefix}_{table} WHERE domain_id = ? AND day IN ({}) AND source_ip IN ({list})",
                    days.join(", ")
                )
            })
            .collect::<Vec<_>>()
            .join(" UNION ALL ");
        let sql = select.replace("{rows}", &format!("({union})"));
        let mut query = diesel::sql_query(query_text(conn, &sql)).into_boxed();
        for _ in &pieces {
            query = query.bind::<Text, _>(domain_id.to_string());
            for ip in chunk {
                query = query.bind::<Text, _>(ip.clone());
            }
        }
        out.extend(query.load::<R>(conn)?);
    }
    Ok(out)
}

/// The pieces a range of days is read in from a per-source rollup: `("days", first, last)`
/// for the days before and after the whole calendar months, `("months", first, last)` for the
/// months (`day` is then the first day of each).
fn range_pieces(days: DayRange) -> Vec<(&'static str, i64, i64)> {
    let (before, months, after) = crate::domain::days::months_and_edges(days.first, days.last);
    [("days", before), ("months", months), ("days", after)]
        .into_iter()
        .filter_map(|(table, range)| range.map(|(first, last)| (table, first, last)))
        .collect()
}

/// Binds a [`source_union`]'s values to a boxed query.
fn bind_union<'a>(
    mut query: diesel::query_builder::BoxedSqlQuery<
        'a,
        crate::storage::multi_connection_impl::MultiBackend,
        diesel::query_builder::SqlQuery,
    >,
    domain_id: &str,
    binds: &[(i64, i64)],
) -> diesel::query_builder::BoxedSqlQuery<
    'a,
    crate::storage::multi_connection_impl::MultiBackend,
    diesel::query_builder::SqlQuery,
> {
    for &(first, last) in binds {
        query = query
            .bind::<Text, _>(domain_id.to_string())
            .bind::<BigInt, _>(first)
            .bind::<BigInt, _>(last);
    }
    query
}

/// The rows of `table` (aliased) for one domain over a range of days, from reports no newer
/// version supersedes: three binds, domain id, first and last day.
fn range_sql(table: &str) -> String {
    format!(
        "{table}.domain_id = ? AND {table}.day >= ? AND {table}.day <= ? AND r.superseded_by IS NULL"
    )
}

/// The query text for this backend: binds numbered ([`sql`]), sums widened ([`wide_sums`]).
fn query_text(conn: &DbConnection, text: &str) -> String {
    wide_sums(conn, sql(conn, text))
}

pub fn dmarc_by_result(
    conn: &mut DbConnection,
    scope: &TenantScope,
    domain: &DomainId,
    days: DayRange,
) -> StorageResult<DmarcByResult> {
    domain_in_scope(conn, scope, domain)?;
    let domain_id = domain.as_str();
    let sql = format!(
        "SELECT d.disposition, d.dkim_aligned, d.spf_aligned, CAST(SUM(d.messages) AS BIGINT) AS messages \
         FROM dmarc_daily d JOIN reports r ON r.id = d.report_id WHERE {} \
         GROUP BY d.disposition, d.dkim_aligned, d.spf_aligned",
        range_sql("d")
    );
    let rows: Vec<ResultRow> = diesel::sql_query(query_text(conn, &sql))
        .bind::<Text, _>(domain_id)
        .bind::<BigInt, _>(days.first)
        .bind::<BigInt, _>(days.last)
        .load(conn)?;
    let mut out = DmarcByResult::default();
    for row in rows {
        out.add(row);
    }
    Ok(out)
}

impl DmarcByResult {
    fn add(&mut self, row: ResultRow) {
        let n = count(row.messages);
        self.total_messages = self.total_messages.saturating_add(n);
        if row.dkim_aligned == "pass" || row.spf_aligned == "pass" {
            self.dmarc_pass_messages = self.dmarc_pass_messages.saturating_add(n);
        }
        // An empty value means the reporter left the field out: counted in the total only.
        for (map, key) in [
            (&mut self.disposition, row.disposition),
            (&mut self.dkim_aligned, row.dkim_aligned),
            (&mut self.spf_aligned, row.spf_aligned),
        ] {
            if !key.is_empty() {
                let slot = map.entry(key).or_default();
                *slot = slot.saturating_add(n);
            }
        }
    }

    /// Adds another range's totals to these.
    pub fn merge(&mut self, other: &DmarcByResult) {
        self.total_messages = self.total_messages.saturating_add(other.total_messages);
        self.dmarc_pass_messages = self
            .dmarc_pass_messages
            .saturating_add(other.dmarc_pass_messages);
        for (map, more) in [
            (&mut self.disposition, &other.disposition),
            (&mut self.dkim_aligned, &other.dkim_aligned),
            (&mut self.spf_aligned, &other.spf_aligned),
        ] {
            for (key, n) in more {
                let slot = map.entry(key.clone()).or_default();
                *slot = slot.saturating_add(*n);
            }
        }
    }
}

#[derive(QueryableByName)]
struct DayResultRow {
    #[diesel(sql_type = BigInt)]
    day: i64,
    #[diesel(embed)]
    result: ResultRow,
}

/// DMARC totals by result for each day of the range that has any (days without reports are
/// left out), in one grouped query.
pub fn dmarc_by_result_per_day(
    conn: &mut DbConnection,
    scope: &TenantScope,
    domain: &DomainId,
    days: DayRange,
) -> StorageResult<BTreeMap<i64, DmarcByResult>> {
    domain_in_scope(conn, scope, domain)?;
    let domain_id = domain.as_str();
    let sql = format!(
        "SELECT d.day, d.disposition, d.dkim_aligned, d.spf_aligned, CAST(SUM(d.messages) AS BIGINT) AS messages \
         FROM dmarc_daily d JOIN reports r ON r.id = d.report_id WHERE {} \
         GROUP BY d.day, d.disposition, d.dkim_aligned, d.spf_aligned",
        range_sql("d")
    );
    let rows: Vec<DayResultRow> = diesel::sql_query(query_text(conn, &sql))
        .bind::<Text, _>(domain_id)
        .bind::<BigInt, _>(days.first)
        .bind::<BigInt, _>(days.last)
        .load(conn)?;
    let mut out: BTreeMap<i64, DmarcByResult> = BTreeMap::new();
    for row in rows {
        out.entry(row.day).or_default().add(row.result);
    }
    Ok(out)
}

#[derive(QueryableByName)]
struct SourceRow {
    #[diesel(sql_type = Text)]
    source_ip: String,
    #[diesel(sql_type = BigInt)]
    messages: i64,
    #[diesel(sql_type = BigInt)]
    pass_messages: i64,
    #[diesel(sql_type = BigInt)]
    dkim_aligned_messages: i64,
    #[diesel(sql_type = BigInt)]
    spf_aligned_messages: i64,
    #[diesel(sql_type = BigInt)]
    forwarded_messages: i64,
    /// Distinct sources in the range, before the limit.
    #[diesel(sql_type = BigInt)]
    total: i64,
}

#[derive(QueryableByName)]
struct SourceFromRow {
    #[diesel(sql_type = Text)]
    source_ip: String,
    #[diesel(sql_type = Text)]
    header_from: String,
    #[diesel(sql_type = BigInt)]
    messages: i64,
}

/// One sending source of a domain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DmarcSource {
    pub source_ip: String,
    pub messages: u64,
    pub dmarc_pass_messages: u64,
    pub dmarc_fail_messages: u64,
    /// Messages whose DKIM result was aligned and passed.
    pub dkim_aligned_messages: u64,
    /// Messages whose SPF result was aligned and passed.
    pub spf_aligned_messages: u64,
    /// Messages the receiver reported as forwarded (override reason forwarded,
    /// trusted_forwarder or mailing_list).
    pub forwarded_messages: u64,
    /// header_from values with their message counts.
    pub header_from: BTreeMap<String, u64>,
}

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// Sources by message volume (largest first, then by address), at most `limit` after the
/// source `after` (the `(messages, address)` of the last source of the previous page), and
/// the number of sources in the range.
pub fn dmarc_by_source(
    conn: &mut DbConnection,
    scope: &TenantScope,
    domain: &DomainId,
    days: DayRange,
    limit: i64,
    after: Option<(i64, String)>,
) -> StorageResult<(Vec<DmarcSource>, u64)> {
    domain_in_scope(conn, scope, domain)?;
    let domain_id = domain.as_str();
    // One pass over the range gives the sources of the page and (as a window over the
    // groups, before the page is cut) how many there are; a second gives the header_from
    // split of just those sources.
    let (union, union_binds) = source_union(
        "dmarc_source",
        "source_ip, header_from, messages, pass_messages, dkim_aligned_messages, \
         spf_aligned_messages, forwarded_messages",
        days,
    );
    let (after_messages, after_ip) = after.unwrap_or((i64::MAX, String::new()));
    let sql = format!(
        "SELECT g.source_ip, g.messages, g.pass_messages, g.dkim_aligned_messages, g.spf_aligned_messages, \
           g.forwarded_messages, g.total FROM \
           (SELECT s.source_ip, CAST(SUM(s.messages) AS BIGINT) AS messages, CAST(SUM(s.pass_messages) AS BIGINT) AS pass_messages, \
              CAST(SUM(s.dkim_aligned_messages) AS BIGINT) AS dkim_aligned_messages, \
              CAST(SUM(s.spf_aligned_messages) AS BIGINT) AS spf_aligned_messages, \
              CAST(SUM(s.forwarded_messages) AS BIGINT) AS forwarded_messages, \
              CAST(COUNT(*) OVER () AS BIGINT) AS total \
            FROM ({union}) s GROUP BY s.source_ip) g \
         WHERE g.messages < ? OR (g.messages = ? AND g.source_ip > ?) \
         ORDER BY g.messages DESC, g.source_ip ASC LIMIT ?"
    );
    let query = diesel::sql_query(query_text(conn, &sql)).into_boxed();
    let rows: Vec<SourceRow> = bind_union(query, domain_id, &union_binds)
        .bind::<BigInt, _>(after_messages)
        .bind::<BigInt, _>(after_messages)
        .bind::<Text, _>(after_ip)
        .bind::<BigInt, _>(limit)
        .load(conn)?;
    // Without a cursor, `(i64::MAX, "")` admits every source, even one of i64::MAX
    // (saturated) messages.
    let total = rows.first().map(|r| count(r.total)).unwrap_or(0);
    let mut sources: Vec<DmarcSource> = rows
        .into_iter()
        .map(|r| {
            let messages = count(r.messages);
            let pass = count(r.pass_messages);
            DmarcSource {
                source_ip: r.source_ip,
                messages,
                dmarc_pass_messages: pass,
                dmarc_fail_messages: messages.saturating_sub(pass),
                dkim_aligned_messages: count(r.dkim_aligned_messages),
                spf_aligned_messages: count(r.spf_aligned_messages),
                forwarded_messages: count(r.forwarded_messages),
                header_from: BTreeMap::new(),
            }
        })
        .collect();
    // header_from values of the sources shown.
    let index: std::collections::HashMap<String, usize> = sources
        .iter()
        .enumerate()
        .map(|(i, s)| (s.source_ip.clone(), i))
        .collect();
    let ips: Vec<String> = sources.iter().map(|s| s.source_ip.clone()).collect();
    let rows: Vec<SourceFromRow> = source_rows(
        conn,
        ("dmarc_source", "source_ip, header_from, messages"),
        domain_id,
        days,
        &ips,
        "SELECT s.source_ip, s.header_from, CAST(SUM(s.messages) AS BIGINT) AS messages \
         FROM {rows} s GROUP BY s.source_ip, s.header_from",
    )?;
    for row in rows {
        if let Some(s) = index.get(&row.source_ip).and_then(|&i| sources.get_mut(i)) {
            let key = if row.header_from.is_empty() {
                "(none)".to_string()
            } else {
                row.header_from
            };
            let slot = s.header_from.entry(key).or_default();
            *slot = slot.saturating_add(count(row.messages));
        }
    }
    Ok((sources, total))
}

#[derive(QueryableByName)]
struct TlsRow {
    #[diesel(sql_type = Text)]
    key1: String,
    #[diesel(sql_type = Text)]
    key2: String,
    #[diesel(sql_type = Text)]
    key3: String,
    #[diesel(sql_type = BigInt)]
    successful: i64,
    #[diesel(sql_type = BigInt)]
    failed: i64,
}

/// TLS session totals.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TlsByResult {
    pub successful_sessions: u64,
    pub failed_sessions: u64,
    pub failed_sessions_by_result_type: BTreeMap<String, u64>,
}

fn tls_rows(
    conn: &mut DbConnection,
    domain_id: &str,
    days: DayRange,
    keys: [&str; 3],
    filter: &str,
) -> StorageResult<Vec<TlsRow>> {
    let range = range_sql("t");
    let sql = format!(
        "SELECT {} AS key1, {} AS key2, {} AS key3, CAST(SUM(t.successful_sessions) AS BIGINT) AS successful, \
         CAST(SUM(t.failed_sessions) AS BIGINT) AS failed FROM tls_daily t JOIN reports r ON r.id = t.report_id \
         WHERE {range} AND {filter} GROUP BY {}, {}, {}",
        keys[0], keys[1], keys[2], keys[0], keys[1], keys[2]
    );
    Ok(diesel::sql_query(query_text(conn, &sql))
        .bind::<Text, _>(domain_id)
        .bind::<BigInt, _>(days.first)
        .bind::<BigInt, _>(days.last)
        .load(conn)?)
}

pub fn tls_by_result(
    conn: &mut DbConnection,
    scope: &TenantScope,
    domain: &DomainId,
    days: DayRange,
) -> StorageResult<TlsByResult> {
    domain_in_scope(conn, scope, domain)?;
    let domain_id = domain.as_str();
    let rows = tls_rows(
        conn,
        domain_id,
        days,
        ["t.result_type", "t.result_type", "t.result_type"],
        "1 = 1",
    )?;
    let mut out = TlsByResult::default();
    for row in rows {
        out.add(row.key1, row.successful, row.failed);
    }
    Ok(out)
}

impl TlsByResult {
    /// Adds one rollup group: the summary rows (empty result type) carry the session
    /// counts, the failure-detail rows the failed sessions by result type.
    fn add(&mut self, result_type: String, successful: i64, failed: i64) {
        let ok = count(successful);
        let failed = count(failed);
        if result_type.is_empty() {
            self.successful_sessions = self.successful_sessions.saturating_add(ok);
            self.failed_sessions = self.failed_sessions.saturating_add(failed);
        } else {
            *self
                .failed_sessions_by_result_type
                .entry(result_type)
                .or_default() += failed;
        }
    }

    /// Adds another range's totals to these.
    pub fn merge(&mut self, other: &TlsByResult) {
        self.successful_sessions = self
            .successful_sessions
            .saturating_add(other.successful_sessions);
        self.failed_sessions = self.failed_sessions.saturating_add(other.failed_sessions);
        for (key, n) in &other.failed_sessions_by_result_type {
            *self
                .failed_sessions_by_result_type
                .entry(key.clone())
                .or_default() += n;
        }
    }
}

#[derive(QueryableByName)]
struct TlsDayRow {
    #[diesel(sql_type = BigInt)]
    day: i64,
    #[diesel(sql_type = Text)]
    result_type: String,
    #[diesel(sql_type = BigInt)]
    successful: i64,
    #[diesel(sql_type = BigInt)]
    failed: i64,
}

/// TLS totals for each day of the range that has any (days without reports are left out),
/// in one grouped query.
pub fn tls_by_result_per_day(
    conn: &mut DbConnection,
    scope: &TenantScope,
    domain: &DomainId,
    days: DayRange,
) -> StorageResult<BTreeMap<i64, TlsByResult>> {
    domain_in_scope(conn, scope, domain)?;
    let domain_id = domain.as_str();
    let sql = format!(
        "SELECT t.day, t.result_type, CAST(SUM(t.successful_sessions) AS BIGINT) AS successful, \
         CAST(SUM(t.failed_sessions) AS BIGINT) AS failed FROM tls_daily t JOIN reports r ON r.id = t.report_id \
         WHERE {} GROUP BY t.day, t.result_type",
        range_sql("t")
    );
    let rows: Vec<TlsDayRow> = diesel::sql_query(query_text(conn, &sql))
        .bind::<Text, _>(domain_id)
        .bind::<BigInt, _>(days.first)
        .bind::<BigInt, _>(days.last)
        .load(conn)?;
    let mut out: BTreeMap<i64, TlsByResult> = BTreeMap::new();
    for row in rows {
        out.entry(row.day)
            .or_default()
            .add(row.result_type, row.successful, row.failed);
    }
    Ok(out)
}

/// TLS sessions per reporting organization.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsByOrganization {
    pub organization: String,
    pub successful_sessions: u64,
    pub failed_sessions: u64,
}

/// Failed TLS sessions per sending MTA, receiving MX and result type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsFailurePath {
    pub sending_mta_ip: String,
    pub receiving_mx_hostname: String,
    pub result_type: String,
    pub failed_sessions: u64,
}

pub fn tls_by_source(
    conn: &mut DbConnection,
    scope: &TenantScope,
    domain: &DomainId,
    days: DayRange,
) -> StorageResult<(Vec<TlsByOrganization>, Vec<TlsFailurePath>)> {
    domain_in_scope(conn, scope, domain)?;
    let domain_id = domain.as_str();
    let orgs = tls_rows(
        conn,
        domain_id,
        days,
        ["t.org_name", "t.org_name", "t.org_name"],
        "t.result_type = ''",
    )?
    .into_iter()
    .map(|r| TlsByOrganization {
        organization: r.key1,
        successful_sessions: count(r.successful),
        failed_sessions: count(r.failed),
    })
    .collect();
    let paths: Vec<TlsFailurePath> = tls_rows(
        conn,
        domain_id,
        days,
        [
            "t.sending_mta_ip",
            "t.receiving_mx_hostname",
            "t.result_type",
        ],
        "t.result_type <> ''",
    )?
    .into_iter()
    .map(|r| TlsFailurePath {
        sending_mta_ip: r.key1,
        receiving_mx_hostname: r.key2,
        result_type: r.key3,
        failed_sessions: count(r.failed),
    })
    .collect();
    Ok((orgs, paths))
}

#[derive(QueryableByName)]
struct EvidenceGroupRow {
    #[diesel(sql_type = diesel::sql_types::Nullable<Text>)]
    confirmed_name: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<Text>)]
    org_domain: Option<String>,
    #[diesel(sql_type = BigInt)]
    enriched: i64,
    #[diesel(sql_type = diesel::sql_types::Nullable<Text>)]
    best: Option<String>,
    #[diesel(sql_type = BigInt)]
    sources: i64,
    #[diesel(sql_type = BigInt)]
    messages: i64,
    #[diesel(sql_type = BigInt)]
    pass_messages: i64,
    #[diesel(sql_type = BigInt)]
    forwarded_messages: i64,
    #[diesel(sql_type = BigInt)]
    quarantine_messages: i64,
    #[diesel(sql_type = BigInt)]
    reject_messages: i64,
}

/// Sources of a domain over a range that share the same evidence of who sends: the same
/// reverse DNS and the same best naming auth domain. Every source is in exactly one group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidenceGroup {
    /// Forward-confirmed PTR name of the group's sources, if any.
    pub confirmed_name: Option<String>,
    /// Organizational domain of the confirmed name.
    pub org_domain: Option<String>,
    /// False when the sources have not been looked up yet.
    pub enriched: bool,
    /// The best naming auth domain of the sources (see [`dmarc_evidence_groups`]):
    /// `("dkim" | "spf", domain)`.
    pub auth: Option<(String, String)>,
    pub sources: u64,
    pub messages: u64,
    pub dmarc_pass_messages: u64,
    /// Messages receivers reported as forwarded (override reason forwarded,
    /// trusted_forwarder or mailing_list).
    pub forwarded_messages: u64,
    /// Messages receivers quarantined or rejected (whatever the reason).
    pub quarantine_messages: u64,
    pub reject_messages: u64,
}

/// Most naming auth domains of one kind passed to one query.
const MAX_NAMING_DOMAINS: usize = 10_000;

/// The distinct (method, domain) pairs of passing DKIM and SPF results of a domain over
/// `days`, most messages first.
pub fn dmarc_auth_domains(
    conn: &mut DbConnection,
    scope: &TenantScope,
    domain: &DomainId,
    days: DayRange,
) -> StorageResult<Vec<(String, String)>> {
    domain_in_scope(conn, scope, domain)?;
    let domain_id = domain.as_str();
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = Text)]
        method: String,
        #[diesel(sql_type = Text)]
        auth_domain: String,
    }
    let (union, union_binds) = source_union("dmarc_auth", "method, auth_domain, messages", days);
    let sql = format!(
        "SELECT a.method, a.auth_domain FROM ({union}) a \
         GROUP BY a.method, a.auth_domain ORDER BY SUM(a.messages) DESC, a.method, a.auth_domain"
    );
    let query = diesel::sql_query(query_text(conn, &sql)).into_boxed();
    let rows: Vec<Row> = bind_union(query, domain_id, &union_binds).load(conn)?;
    Ok(rows
        .into_iter()
        .map(|r| (r.method, r.auth_domain))
        .collect())
}

/// A domain's sources over `days` in [`EvidenceGroup`]s, grouped in the database, so the
/// answer grows with the number of distinct confirmed PTR names and naming domains, not with
/// the number of sources. `naming` are the (method, domain) pairs that name a service (the
/// first 10,000 of each method are used). A source's best one is its DKIM domain with the
/// most messages among them, else its SPF domain with the most messages (ties: the smaller
/// domain).
///
/// Plain aggregation only (one pass over each rollup, grouped twice): joining two grouped
/// subqueries made PostgreSQL without planner statistics pick a nested loop that took minutes.
pub fn dmarc_evidence_groups(
    conn: &mut DbConnection,
    scope: &TenantScope,
    domain: &DomainId,
    days: DayRange,
    naming: &[(String, String)],
) -> StorageResult<Vec<EvidenceGroup>> {
    domain_in_scope(conn, scope, domain)?;
    let domain_id = domain.as_str();
    let of = |method: &str| -> Vec<&String> {
        naming
            .iter()
            .filter(|(m, _)| m == method)
            .map(|(_, d)| d)
            .take(MAX_NAMING_DOMAINS)
            .collect()
    };
    let (dkim, spf) = (of("dkim"), of("spf"));
    let mut conditions = Vec::new();
    for (method, list) in [("dkim", &dkim), ("spf", &spf)] {
        if !list.is_empty() {
            conditions.push(format!(
                "(a.method = '{method}' AND a.auth_domain IN ({}))",
                binds(list.len())
            ));
        }
    }
    // The best naming domain of a source is the smallest of these keys: DKIM before SPF, then
    // most messages first (a fixed-width complement), then the domain.
    let complement = "999999999999999999 - g.messages";
    let padded = match conn {
        DbConnection::Sqlite(_) => format!("printf('%019d', {complement})"),
        DbConnection::Pg(_) => format!("lpad(CAST({complement} AS TEXT), 19, '0')"),
    };
    let (auth_union, auth_binds) = source_union(
        "dmarc_auth",
        "source_ip, method, auth_domain, messages",
        days,
    );
    let auth = if conditions.is_empty() {
        String::new()
    } else {
        format!(
            " UNION ALL SELECT g.source_ip, 0, 0, 0, 0, 0, \
               (CASE g.method WHEN 'dkim' THEN '0' ELSE '1' END) || {padded} || g.auth_domain \
             FROM (SELECT a.source_ip, a.method, a.auth_domain, CAST(SUM(a.messages) AS BIGINT) AS messages \
               FROM ({auth_union}) a WHERE ({}) \
               GROUP BY a.source_ip, a.method, a.auth_domain) g",
            conditions.join(" OR ")
        )
    };
    let (source_union, source_binds) = source_union(
        "dmarc_source",
        "source_ip, messages, pass_messages, forwarded_messages, quarantine_messages, reject_messages",
        days,
    );
    let sql = format!(
        "SELECT n.confirmed_name, n.org_domain, \
           CAST(CASE WHEN n.ip IS NULL THEN 0 ELSE 1 END AS BIGINT) AS enriched, p.best, \
           CAST(COUNT(*) AS BIGINT) AS sources, CAST(SUM(p.messages) AS BIGINT) AS messages, \
           CAST(SUM(p.pass_messages) AS BIGINT) AS pass_messages, \
           CAST(SUM(p.forwarded_messages) AS BIGINT) AS forwarded_messages, \
           CAST(SUM(p.quarantine_messages) AS BIGINT) AS quarantine_messages, \
           CAST(SUM(p.reject_messages) AS BIGINT) AS reject_messages \
         FROM (SELECT u.source_ip, SUM(u.messages) AS messages, SUM(u.pass_messages) AS pass_messages, \
                 SUM(u.forwarded_messages) AS forwarded_messages, \
                 SUM(u.quarantine_messages) AS quarantine_messages, \
                 SUM(u.reject_messages) AS reject_messages, MIN(u.best) AS best \
               FROM (SELECT s.source_ip, s.messages, s.pass_messages, s.forwarded_messages, \
                       s.quarantine_messages, s.reject_messages, CAST(NULL AS TEXT) AS best \
                     FROM ({source_union}) s{auth}) u \
               GROUP BY u.source_ip) p \
         LEFT JOIN source_names n ON n.ip = p.source_ip \
         GROUP BY n.confirmed_name, n.org_domain, CASE WHEN n.ip IS NULL THEN 0 ELSE 1 END, p.best \
         ORDER BY messages DESC"
    );
    let mut query = bind_union(
        diesel::sql_query(query_text(conn, &sql)).into_boxed(),
        domain_id,
        &source_binds,
    );
    if !conditions.is_empty() {
        query = bind_union(query, domain_id, &auth_binds);
        for d in dkim.iter().chain(spf.iter()) {
            query = query.bind::<Text, _>((*d).clone());
        }
    }
    let rows: Vec<EvidenceGroupRow> = query.load(conn)?;
    Ok(rows
        .into_iter()
        .map(|r| EvidenceGroup {
            confirmed_name: r.confirmed_name,
            org_domain: r.org_domain,
            enriched: r.enriched > 0,
            auth: r.best.as_deref().and_then(parse_best),
            sources: count(r.sources),
            messages: count(r.messages),
            dmarc_pass_messages: count(r.pass_messages),
            forwarded_messages: count(r.forwarded_messages),
            quarantine_messages: count(r.quarantine_messages),
            reject_messages: count(r.reject_messages),
        })
        .collect())
}

/// Messages and DMARC passes of a domain over `days` per header From domain (`""` when the
/// reporter left it out), most messages first.
pub fn dmarc_by_header_from(
    conn: &mut DbConnection,
    scope: &TenantScope,
    domain: &DomainId,
    days: DayRange,
) -> StorageResult<Vec<(String, u64, u64)>> {
    domain_in_scope(conn, scope, domain)?;
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = Text)]
        header_from: String,
        #[diesel(sql_type = BigInt)]
        messages: i64,
        #[diesel(sql_type = BigInt)]
        pass_messages: i64,
    }
    let (union, union_binds) =
        source_union("dmarc_source", "header_from, messages, pass_messages", days);
    let sql = format!(
        "SELECT s.header_from, CAST(SUM(s.messages) AS BIGINT) AS messages, \
           CAST(SUM(s.pass_messages) AS BIGINT) AS pass_messages \
         FROM ({union}) s GROUP BY s.header_from ORDER BY messages DESC, s.header_from"
    );
    let query = diesel::sql_query(query_text(conn, &sql)).into_boxed();
    let rows: Vec<Row> = bind_union(query, domain.as_str(), &union_binds).load(conn)?;
    Ok(rows
        .into_iter()
        .map(|r| (r.header_from, count(r.messages), count(r.pass_messages)))
        .collect())
}

/// (method, domain) of a best-naming-domain key: `0` (DKIM) or `1` (SPF), 19 digits, domain.
fn parse_best(key: &str) -> Option<(String, String)> {
    let method = match key.get(..1)? {
        "0" => "dkim",
        "1" => "spf",
        _ => return None,
    };
    let domain = key.get(20..).filter(|d| !d.is_empty())?;
    Some((method.to_string(), domain.to_string()))
}

#[derive(QueryableByName)]
struct AuthRow {
    #[diesel(sql_type = Text)]
    source_ip: String,
    #[diesel(sql_type = Text)]
    method: String,
    #[diesel(sql_type = Text)]
    auth_domain: String,
    #[diesel(sql_type = BigInt)]
    messages: i64,
}

/// The DKIM and SPF domains that passed for one source, each with its message count, most
/// messages first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceAuth {
    pub dkim: Vec<(String, u64)>,
    pub spf: Vec<(String, u64)>,
}

/// [`SourceAuth`] of the sources `ips` of a domain over `days`.
pub fn dmarc_source_auth(
    conn: &mut DbConnection,
    scope: &TenantScope,
    domain: &DomainId,
    days: DayRange,
    ips: &[String],
) -> StorageResult<std::collections::HashMap<String, SourceAuth>> {
    domain_in_scope(conn, scope, domain)?;
    let domain_id = domain.as_str();
    let mut out: std::collections::HashMap<String, SourceAuth> = Default::default();
    let rows: Vec<AuthRow> = source_rows(
        conn,
        ("dmarc_auth", "source_ip, method, auth_domain, messages"),
        domain_id,
        days,
        ips,
        "SELECT a.source_ip, a.method, a.auth_domain, CAST(SUM(a.messages) AS BIGINT) AS messages \
         FROM {rows} a GROUP BY a.source_ip, a.method, a.auth_domain",
    )?;
    for row in rows {
        let entry = out.entry(row.source_ip).or_default();
        let list = if row.method == "dkim" {
            &mut entry.dkim
        } else {
            &mut entry.spf
        };
        list.push((row.auth_domain, count(row.messages)));
    }
    for auth in out.values_mut() {
        for list in [&mut auth.dkim, &mut auth.spf] {
            list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        }
    }
    Ok(out)
}
