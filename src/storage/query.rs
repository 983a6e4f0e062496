//! The reads behind the flexible query (`services::query`): facts of one or more domains over
//! a range, grouped in SQL by the columns a rollup holds, for the service to group further
//! (networks, services), filter, order and page.
//!
//! Sources, cheapest first:
//! - [`dmarc_source_facts`]: the per-source rollups (`dmarc_source_days`/`_months`), read as
//!   whole months plus edge days like `storage::aggregates` (day and week buckets read the
//!   daily rows only). O(distinct sources × buckets).
//! - [`dmarc_auth_facts`]: the passing DKIM/SPF domains per source (`dmarc_auth_*`).
//! - [`dmarc_result_facts`]: the per-report daily results (`dmarc_daily` joined to `reports`
//!   for the reporter and to leave superseded versions out).
//! - [`dmarc_record_facts`]: the raw records of the current reports in the range, bounded by
//!   a record count checked before the scan and a deadline checked between pages; on
//!   PostgreSQL every statement also runs under `SET LOCAL statement_timeout` in a read-only
//!   transaction ([`bounded_read`]).
//! - [`tls_facts`] (`tls_daily`) and [`tls_policy_facts`] (`tls_policies`, raw rows).
//!
//! Every function takes the caller's [`TenantScope`] first and checks each domain against it
//! (`StorageError::NotFound` otherwise). Grouped rows beyond `max_rows` are not loaded: the
//! answer is [`TooLarge`], never a silent cut. Messages of a report are attributed to days as
//! the rollups attribute them (`domain::days`), so every source gives the same sums.
//!
//! Must not depend on actix-web or `services`.

use super::aggregates::DayRange;
use super::reports::read::RecordRow;
use super::reports::sources::passing_auth_domains_of_row;
use super::reports::{KIND_DMARC, KIND_TLS};
use super::{DbConnection, StorageError, StorageResult, TenantScope, binds, domain_in_scope, sql};
use crate::domain::days::{day_weights, month_start, next_month_start, split, week_start};
use crate::domain::ids::{DomainId, ReportId};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use std::time::Instant;

/// How facts are bucketed in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bucket {
    /// Not at all: every fact has bucket 0.
    None,
    Day,
    /// ISO weeks: the bucket is the Monday's epoch day.
    Week,
    /// Calendar months: the bucket is the first day's epoch day.
    Month,
}

impl Bucket {
    /// The bucket of an epoch day.
    pub fn of(self, day: i64) -> i64 {
        match self {
            Bucket::None => 0,
            Bucket::Day => day,
            Bucket::Week => week_start(day),
            Bucket::Month => month_start(day),
        }
    }
}

/// A rollup column a text condition can be pushed down to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    SourceIp,
    HeaderFrom,
    Reporter,
    AuthDomain,
    ResultType,
    SendingMtaIp,
    ReceivingMxHostname,
}

/// A condition on a text column, pushed into SQL to read fewer rows (the service applies
/// every filter again, so a condition a source cannot push is simply not pushed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextCondition {
    Equals(Column, String),
    Not(Column, String),
    In(Column, Vec<String>),
    NotIn(Column, Vec<String>),
    Prefix(Column, String),
}

/// Which facts to read.
#[derive(Debug, Clone)]
pub struct FactQuery {
    pub domains: Vec<DomainId>,
    pub days: DayRange,
    pub bucket: Bucket,
    /// Columns to group by beside the bucket (others are read as `''`).
    pub by_domain: bool,
    pub by: Vec<Column>,
    pub conditions: Vec<TextCondition>,
    /// Most grouped rows to load.
    pub max_rows: usize,
    /// Most raw records (or TLS policy rows) to scan.
    pub max_records: u64,
    /// When a scan of raw records must have finished.
    pub deadline: Instant,
    /// PostgreSQL `statement_timeout`, milliseconds.
    pub statement_timeout_ms: u64,
}

/// A query exceeded a bound; the text says which.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TooLarge(pub String);

/// What a read returns: the facts and how many stored rows were read, or [`TooLarge`].
pub type Bounded<T> = Result<(T, u64), TooLarge>;

/// Sums of one DMARC fact: messages, DMARC pass, DMARC fail, DKIM aligned, SPF aligned,
/// disposition none (neither quarantined nor rejected), quarantine, reject.
pub type DmarcSums = [u64; 8];

/// One DMARC fact: a group of a rollup or one record on one day. Columns a source does not
/// hold, or the query did not group by, are `""`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DmarcFact {
    pub domain_id: String,
    /// The bucket's first epoch day (0 without buckets).
    pub bucket: i64,
    pub source_ip: String,
    pub header_from: String,
    pub reporter: String,
    pub disposition: String,
    pub dkim_result: String,
    pub spf_result: String,
    /// Passing DKIM / SPF domains (a message counts once under each).
    pub dkim_domains: Vec<String>,
    pub spf_domains: Vec<String>,
    /// `p` of the published policy.
    pub policy: String,
    pub sums: DmarcSums,
}

/// Sums of one TLS fact: successful sessions, failed sessions.
pub type TlsSums = [u64; 2];

/// One TLS fact: a group of `tls_daily` or of policy rows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TlsFact {
    pub domain_id: String,
    pub bucket: i64,
    pub reporter: String,
    pub result_type: String,
    pub sending_mta_ip: String,
    pub receiving_mx_hostname: String,
    pub policy_type: String,
    pub policy_domain: String,
    pub sums: TlsSums,
}

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// A value bound to a generated statement, in order.
enum Bind {
    Text(String),
    Int(i64),
}

type Boxed<'a> = diesel::query_builder::BoxedSqlQuery<
    'a,
    crate::storage::multi_connection_impl::MultiBackend,
    diesel::query_builder::SqlQuery,
>;

fn bind_all<'a>(mut query: Boxed<'a>, values: Vec<Bind>) -> Boxed<'a> {
    for v in values {
        query = match v {
            Bind::Text(s) => query.bind::<Text, _>(s),
            Bind::Int(n) => query.bind::<BigInt, _>(n),
        };
    }
    query
}

/// Checks every domain against the scope.
fn in_scope(conn: &mut DbConnection, scope: &TenantScope, q: &FactQuery) -> StorageResult<()> {
    for d in &q.domains {
        domain_in_scope(conn, scope, d)?;
    }
    Ok(())
}

/// Runs `f` in a read-only transaction; on PostgreSQL each of its statements is cancelled
/// after `timeout_ms` (a cancelled one is [`TooLarge`]). SQLite has no statement timeout
/// diesel exposes: callers bound rows and check a deadline instead.
fn bounded_read<T>(
    conn: &mut DbConnection,
    timeout_ms: u64,
    f: impl FnOnce(&mut DbConnection) -> StorageResult<Bounded<T>>,
) -> StorageResult<Bounded<T>> {
    let result = conn.transaction(|conn| {
        if let DbConnection::Pg(c) = conn {
            c.batch_execute(&format!(
                "SET TRANSACTION READ ONLY; SET LOCAL statement_timeout = {timeout_ms}"
            ))?;
        }
        f(conn)
    });
    match result {
        Err(StorageError::Database(diesel::result::Error::DatabaseError(_, info)))
            if info.message().contains("statement timeout") =>
        {
            Ok(Err(TooLarge(format!(
                "the query ran longer than {} ms; narrow the range, the domains or the filters",
                timeout_ms
            ))))
        }
        other => other,
    }
}

fn column_sql(c: Column) -> &'static str {
    match c {
        Column::SourceIp => "source_ip",
        Column::HeaderFrom => "header_from",
        Column::Reporter => "org_name",
        Column::AuthDomain => "auth_domain",
        Column::ResultType => "result_type",
        Column::SendingMtaIp => "sending_mta_ip",
        Column::ReceivingMxHostname => "receiving_mx_hostname",
    }
}

/// `AND …` for the conditions on columns of `alias` that `holds`, with their binds.
fn conditions_sql(
    q: &FactQuery,
    alias: &str,
    holds: &[Column],
    binds_out: &mut Vec<Bind>,
) -> String {
    let mut out = String::new();
    for c in &q.conditions {
        let column = match c {
            TextCondition::Equals(col, _)
            | TextCondition::Not(col, _)
            | TextCondition::In(col, _)
            | TextCondition::NotIn(col, _)
            | TextCondition::Prefix(col, _) => *col,
        };
        if !holds.contains(&column) {
            continue;
        }
        let name = format!("{alias}.{}", column_sql(column));
        let text = match c {
            TextCondition::Equals(_, v) => {
                binds_out.push(Bind::Text(v.clone()));
                format!("{name} = ?")
            }
            TextCondition::Not(_, v) => {
                binds_out.push(Bind::Text(v.clone()));
                format!("{name} <> ?")
            }
            TextCondition::In(_, vs) => {
                binds_out.extend(vs.iter().cloned().map(Bind::Text));
                format!("{name} IN ({})", binds(vs.len()))
            }
            TextCondition::NotIn(_, vs) => {
                binds_out.extend(vs.iter().cloned().map(Bind::Text));
                format!("{name} NOT IN ({})", binds(vs.len()))
            }
            TextCondition::Prefix(_, v) => {
                // substr, not LIKE: SQLite's LIKE ignores ASCII case, PostgreSQL's does not.
                binds_out.push(Bind::Int(i64::try_from(v.chars().count()).unwrap_or(0)));
                binds_out.push(Bind::Text(v.clone()));
                format!("substr({name}, 1, CAST(? AS INTEGER)) = ?")
            }
        };
        out.push_str(" AND ");
        out.push_str(&text);
    }
    out
}

/// `domain_id IN (…)` with its binds.
fn domains_sql(alias: &str, q: &FactQuery, binds_out: &mut Vec<Bind>) -> String {
    binds_out.extend(q.domains.iter().map(|d| Bind::Text(d.as_str().to_string())));
    format!("{alias}.domain_id IN ({})", binds(q.domains.len()))
}

/// The pieces of a per-source rollup over the range: `(table suffix, first, last, bucket
/// SQL)`. Without a bucket, or by month, whole months come from `_months` and the edges from
/// `_days` (by month, cut at month ends so each piece's bucket is a constant); by day or week
/// only `_days` has the detail.
fn rollup_pieces(q: &FactQuery) -> Vec<(&'static str, i64, i64, String)> {
    let (first, last) = (q.days.first, q.days.last);
    match q.bucket {
        Bucket::Day => vec![("days", first, last, "day".into())],
        // Epoch day 0 was a Thursday; `%` truncates toward zero on both backends.
        Bucket::Week => vec![(
            "days",
            first,
            last,
            "(day - ((((day + 3) % 7) + 7) % 7))".into(),
        )],
        Bucket::None | Bucket::Month => {
            let (before, months, after) = crate::domain::days::months_and_edges(first, last);
            let mut out = Vec::new();
            for (table, span) in [("days", before), ("months", months), ("days", after)] {
                let Some((a, b)) = span else { continue };
                match q.bucket {
                    Bucket::Month if table == "months" => out.push((table, a, b, "day".into())),
                    // Daily rows by month: one piece per month, its bucket a constant (a range
                    // without a whole month is all edge, and may cross a month's end).
                    Bucket::Month => {
                        let mut start = a;
                        while start <= b {
                            let end = next_month_start(start).saturating_sub(1).min(b);
                            let bucket = format!("CAST({} AS BIGINT)", month_start(start));
                            out.push((table, start, end, bucket));
                            if end == i64::MAX {
                                break;
                            }
                            start = end + 1;
                        }
                    }
                    _ => out.push((table, a, b, "CAST(0 AS BIGINT)".into())),
                }
            }
            out
        }
    }
}

/// Grouped rows of a per-source rollup (`dmarc_source` or `dmarc_auth`): the SQL and binds.
fn rollup_sql(
    q: &FactQuery,
    prefix: &str,
    columns: &[&str],
    extra_where: &str,
    sums: &[&str],
    holds: &[Column],
    binds_out: &mut Vec<Bind>,
) -> String {
    let inner = columns
        .iter()
        .chain(sums)
        .map(|c| format!("s.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut pieces = Vec::new();
    for (table, first, last, bucket) in rollup_pieces(q) {
        let domains = domains_sql("s", q, binds_out);
        binds_out.push(Bind::Int(first));
        binds_out.push(Bind::Int(last));
        let conditions = conditions_sql(q, "s", holds, binds_out);
        pieces.push(format!(
            "SELECT s.domain_id, {bucket} AS bucket, {inner} FROM {prefix}_{table} s \
             WHERE {domains} AND s.day >= ? AND s.day <= ?{extra_where}{conditions}"
        ));
    }
    if pieces.is_empty() {
        pieces.push(format!(
            "SELECT s.domain_id, CAST(0 AS BIGINT) AS bucket, {inner} FROM {prefix}_days s WHERE 1 = 0"
        ));
    }
    let union = pieces.join(" UNION ALL ");
    let (mut select, mut group) = (Vec::new(), Vec::new());
    let key = |name: &str, grouped: bool, select: &mut Vec<String>, group: &mut Vec<String>| {
        if grouped {
            select.push(format!("u.{name} AS {name}"));
            group.push(format!("u.{name}"));
        } else {
            select.push(format!("'' AS {name}"));
        }
    };
    key("domain_id", q.by_domain, &mut select, &mut group);
    select.push(if q.bucket == Bucket::None {
        "CAST(0 AS BIGINT) AS bucket".into()
    } else {
        group.push("u.bucket".into());
        "u.bucket AS bucket".into()
    });
    for (c, col) in holds.iter().zip(columns) {
        key(col, q.by.contains(c), &mut select, &mut group);
    }
    for s in sums {
        select.push(format!("CAST(SUM(u.{s}) AS BIGINT) AS {s}"));
    }
    let group_by = if group.is_empty() {
        String::new()
    } else {
        format!(" GROUP BY {}", group.join(", "))
    };
    binds_out.push(Bind::Int(
        i64::try_from(q.max_rows)
            .unwrap_or(i64::MAX)
            .saturating_add(1),
    ));
    format!(
        "SELECT {} FROM ({union}) u{group_by} LIMIT ?",
        select.join(", ")
    )
}

fn too_many_rows(q: &FactQuery) -> TooLarge {
    TooLarge(format!(
        "the query has more than {} rows to group; narrow the range, the domains or the filters, \
         or group by fewer or coarser fields",
        q.max_rows
    ))
}

#[derive(QueryableByName)]
struct SourceRow {
    #[diesel(sql_type = Text)]
    domain_id: String,
    #[diesel(sql_type = BigInt)]
    bucket: i64,
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
}

/// The sums of a DMARC fact from its messages and counters.
fn dmarc_sums(
    messages: u64,
    pass: u64,
    dkim: u64,
    spf: u64,
    quarantine: u64,
    reject: u64,
) -> DmarcSums {
    [
        messages,
        pass,
        messages.saturating_sub(pass),
        dkim,
        spf,
        messages.saturating_sub(quarantine).saturating_sub(reject),
        quarantine,
        reject,
    ]
}

/// Facts from the per-source rollups, grouped by domain, bucket, source and header From as
/// `q` asks.
pub fn dmarc_source_facts(
    conn: &mut DbConnection,
    scope: &TenantScope,
    q: &FactQuery,
) -> StorageResult<Bounded<Vec<DmarcFact>>> {
    in_scope(conn, scope, q)?;
    let mut values = Vec::new();
    let text = rollup_sql(
        q,
        "dmarc_source",
        &["source_ip", "header_from"],
        "",
        &[
            "messages",
            "pass_messages",
            "dkim_aligned_messages",
            "spf_aligned_messages",
            "quarantine_messages",
            "reject_messages",
        ],
        &[Column::SourceIp, Column::HeaderFrom],
        &mut values,
    );
    bounded_read(conn, q.statement_timeout_ms, |conn| {
        let query = diesel::sql_query(super::wide_sums(conn, sql(conn, &text))).into_boxed();
        let rows: Vec<SourceRow> = bind_all(query, values).load(conn)?;
        if rows.len() > q.max_rows {
            return Ok(Err(too_many_rows(q)));
        }
        let scanned = rows.len() as u64;
        let facts = rows
            .into_iter()
            .map(|r| DmarcFact {
                domain_id: r.domain_id,
                bucket: r.bucket,
                source_ip: r.source_ip,
                header_from: r.header_from,
                sums: dmarc_sums(
                    count(r.messages),
                    count(r.pass_messages),
                    count(r.dkim_aligned_messages),
                    count(r.spf_aligned_messages),
                    count(r.quarantine_messages),
                    count(r.reject_messages),
                ),
                ..DmarcFact::default()
            })
            .collect();
        Ok(Ok((facts, scanned)))
    })
}

#[derive(QueryableByName)]
struct AuthRow {
    #[diesel(sql_type = Text)]
    domain_id: String,
    #[diesel(sql_type = BigInt)]
    bucket: i64,
    #[diesel(sql_type = Text)]
    source_ip: String,
    #[diesel(sql_type = Text)]
    auth_domain: String,
    #[diesel(sql_type = BigInt)]
    messages: i64,
}

/// Messages per passing DKIM (`method` "dkim") or SPF ("spf") domain from the per-source
/// rollups; only `messages` is known there (the other sums are zero).
pub fn dmarc_auth_facts(
    conn: &mut DbConnection,
    scope: &TenantScope,
    q: &FactQuery,
    method: &str,
) -> StorageResult<Bounded<Vec<DmarcFact>>> {
    in_scope(conn, scope, q)?;
    let method = if method == "dkim" { "dkim" } else { "spf" };
    let mut values = Vec::new();
    let text = rollup_sql(
        q,
        "dmarc_auth",
        &["source_ip", "auth_domain"],
        &format!(" AND s.method = '{method}'"),
        &["messages"],
        &[Column::SourceIp, Column::AuthDomain],
        &mut values,
    );
    bounded_read(conn, q.statement_timeout_ms, |conn| {
        let query = diesel::sql_query(super::wide_sums(conn, sql(conn, &text))).into_boxed();
        let rows: Vec<AuthRow> = bind_all(query, values).load(conn)?;
        if rows.len() > q.max_rows {
            return Ok(Err(too_many_rows(q)));
        }
        let scanned = rows.len() as u64;
        let facts = rows
            .into_iter()
            .map(|r| {
                let domains = vec![r.auth_domain];
                let messages = count(r.messages);
                let mut fact = DmarcFact {
                    domain_id: r.domain_id,
                    bucket: r.bucket,
                    source_ip: r.source_ip,
                    sums: [messages, 0, 0, 0, 0, 0, 0, 0],
                    ..DmarcFact::default()
                };
                if method == "dkim" {
                    fact.dkim_domains = domains;
                } else {
                    fact.spf_domains = domains;
                }
                fact
            })
            .collect();
        Ok(Ok((facts, scanned)))
    })
}

#[derive(QueryableByName)]
struct ResultRow {
    #[diesel(sql_type = Text)]
    domain_id: String,
    #[diesel(sql_type = BigInt)]
    day: i64,
    #[diesel(sql_type = Text)]
    org_name: String,
    #[diesel(sql_type = Text)]
    disposition: String,
    #[diesel(sql_type = Text)]
    dkim_aligned: String,
    #[diesel(sql_type = Text)]
    spf_aligned: String,
    #[diesel(sql_type = BigInt)]
    messages: i64,
}

/// Facts from the per-report daily results (`dmarc_daily`), by domain, day (bucketed here),
/// reporter as `q` asks, and always by result (the sums derive from it).
pub fn dmarc_result_facts(
    conn: &mut DbConnection,
    scope: &TenantScope,
    q: &FactQuery,
) -> StorageResult<Bounded<Vec<DmarcFact>>> {
    in_scope(conn, scope, q)?;
    let mut values = Vec::new();
    let domains = domains_sql("d", q, &mut values);
    values.push(Bind::Int(q.days.first));
    values.push(Bind::Int(q.days.last));
    let conditions = conditions_sql(q, "r", &[Column::Reporter], &mut values);
    let (mut select, mut group) = (Vec::new(), Vec::new());
    for (grouped, column, name) in [
        (q.by_domain, "d.domain_id", "domain_id"),
        (q.bucket != Bucket::None, "d.day", "day"),
        (q.by.contains(&Column::Reporter), "r.org_name", "org_name"),
    ] {
        if grouped {
            select.push(format!("{column} AS {name}"));
            group.push(column.to_string());
        } else if name == "day" {
            select.push("CAST(0 AS BIGINT) AS day".to_string());
        } else {
            select.push(format!("'' AS {name}"));
        }
    }
    for column in ["d.disposition", "d.dkim_aligned", "d.spf_aligned"] {
        select.push(column.to_string());
        group.push(column.to_string());
    }
    values.push(Bind::Int(
        i64::try_from(q.max_rows)
            .unwrap_or(i64::MAX)
            .saturating_add(1),
    ));
    let text = format!(
        "SELECT {}, CAST(SUM(d.messages) AS BIGINT) AS messages \
         FROM dmarc_daily d JOIN reports r ON r.id = d.report_id \
         WHERE {domains} AND d.day >= ? AND d.day <= ? AND r.superseded_by IS NULL{conditions} \
         GROUP BY {} LIMIT ?",
        select.join(", "),
        group.join(", ")
    );
    bounded_read(conn, q.statement_timeout_ms, |conn| {
        let query = diesel::sql_query(super::wide_sums(conn, sql(conn, &text))).into_boxed();
        let rows: Vec<ResultRow> = bind_all(query, values).load(conn)?;
        if rows.len() > q.max_rows {
            return Ok(Err(too_many_rows(q)));
        }
        let scanned = rows.len() as u64;
        let facts = rows
            .into_iter()
            .map(|r| {
                let messages = count(r.messages);
                let of = |yes: bool| if yes { messages } else { 0 };
                let (dkim, spf) = (r.dkim_aligned == "pass", r.spf_aligned == "pass");
                DmarcFact {
                    domain_id: r.domain_id,
                    bucket: q.bucket.of(r.day),
                    reporter: r.org_name,
                    sums: dmarc_sums(
                        messages,
                        of(dkim || spf),
                        of(dkim),
                        of(spf),
                        of(r.disposition == "quarantine"),
                        of(r.disposition == "reject"),
                    ),
                    disposition: r.disposition,
                    dkim_result: r.dkim_aligned,
                    spf_result: r.spf_aligned,
                    ..DmarcFact::default()
                }
            })
            .collect();
        Ok(Ok((facts, scanned)))
    })
}

/// A current report of the range, for a scan of its rows.
#[derive(QueryableByName)]
struct ReportRow {
    #[diesel(sql_type = Text)]
    id: String,
    #[diesel(sql_type = Text)]
    domain_id: String,
    #[diesel(sql_type = Text)]
    org_name: String,
    #[diesel(sql_type = BigInt)]
    begin_ts: i64,
    #[diesel(sql_type = BigInt)]
    end_ts: i64,
    #[diesel(sql_type = Text)]
    header: String,
    /// 1 when retention deleted the report's raw rows.
    #[diesel(sql_type = BigInt)]
    purged: i64,
    #[diesel(sql_type = BigInt)]
    record_count: i64,
}

/// The current reports of `kind` that may cover a day of the range (a superset: the days
/// each covers are worked out from its range, as at ingest).
fn reports_in_range(
    conn: &mut DbConnection,
    q: &FactQuery,
    kind: &str,
) -> StorageResult<Vec<ReportRow>> {
    let mut values = Vec::new();
    let domains = domains_sql("r", q, &mut values);
    values.push(Bind::Text(kind.to_string()));
    values.push(Bind::Int(
        q.days.last.saturating_add(1).saturating_mul(86_400),
    ));
    values.push(Bind::Int(q.days.first.saturating_mul(86_400)));
    let text = format!(
        "SELECT r.id, r.domain_id, r.org_name, r.begin_ts, r.end_ts, r.header, r.record_count, \
         CAST(CASE WHEN r.records_purged_at IS NULL THEN 0 ELSE 1 END AS BIGINT) AS purged \
         FROM reports r WHERE {domains} AND r.kind = ? AND r.superseded_by IS NULL \
         AND r.begin_ts <= ? AND r.end_ts >= ? ORDER BY r.id"
    );
    let query = diesel::sql_query(sql(conn, &text)).into_boxed();
    Ok(bind_all(query, values).load(conn)?)
}

/// Refusal when reports of the range lost their raw rows to retention: an answer from the
/// rest would count less than the rollups do, silently.
fn expired_records(reports: &[ReportRow]) -> Option<TooLarge> {
    let expired = reports.iter().filter(|r| r.purged != 0).count();
    (expired > 0).then(|| {
        TooLarge(format!(
            "the query needs the raw records, and the tenant's retention has deleted those of {expired} reports in the range; group by fields the rollups hold, or narrow the range to recent days"
        ))
    })
}

fn too_many_records(limit: u64, found: u64) -> TooLarge {
    TooLarge(format!(
        "the query needs the raw records, and the range holds {found} of them (at most {limit} \
         are scanned); narrow the range or the domains, or group by fields the rollups hold"
    ))
}

fn too_slow() -> TooLarge {
    TooLarge(
        "the scan of raw records took longer than allowed; narrow the range or the domains".into(),
    )
}

/// `p` of the published policy in a stored DMARC header (`""` when unreadable or absent).
fn published_policy(header: &str) -> String {
    serde_json::from_str::<serde_json::Value>(header)
        .ok()
        .and_then(|h| {
            h.pointer("/policy_published/p")
                .and_then(|p| p.as_str())
                .map(|p| p.trim().to_ascii_lowercase())
        })
        .unwrap_or_default()
}

/// Records read per page of a scan.
const RECORD_PAGE: i64 = 5_000;

/// Facts from the raw records of the current reports in the range: one per record and day
/// of the range its report covers (messages spread as the rollups spread them), passed to
/// `each`. Refused ([`TooLarge`]) before the scan when the reports hold more than
/// `q.max_records` records, and between pages once `q.deadline` has passed.
pub fn dmarc_record_facts(
    conn: &mut DbConnection,
    scope: &TenantScope,
    q: &FactQuery,
    each: &mut dyn FnMut(DmarcFact),
) -> StorageResult<Bounded<()>> {
    in_scope(conn, scope, q)?;
    bounded_read(conn, q.statement_timeout_ms, |conn| {
        let reports = reports_in_range(conn, q, KIND_DMARC)?;
        if let Some(refused) = expired_records(&reports) {
            return Ok(Err(refused));
        }
        let total: u64 = reports
            .iter()
            .fold(0u64, |acc, r| acc.saturating_add(count(r.record_count)));
        if total > q.max_records {
            return Ok(Err(too_many_records(q.max_records, total)));
        }
        let mut scanned = 0u64;
        for report in reports {
            let weights = day_weights(report.begin_ts, report.end_ts);
            let policy = published_policy(&report.header);
            let id = ReportId::from(report.id.as_str());
            let mut after = 0i64;
            loop {
                if Instant::now() > q.deadline {
                    return Ok(Err(too_slow()));
                }
                let page: Vec<RecordRow> =
                    super::reports::read::list_records_page(conn, &id, after, RECORD_PAGE)?;
                let Some(last) = page.last() else { break };
                after = last.seq;
                scanned = scanned.saturating_add(page.len() as u64);
                for row in &page {
                    let (dkim_domains, spf_domains) = passing_auth_domains_of_row(row)?;
                    let (dkim, spf) = (
                        row.dkim_aligned.as_deref() == Some("pass"),
                        row.spf_aligned.as_deref() == Some("pass"),
                    );
                    let disposition = row.disposition.clone().unwrap_or_default();
                    for (day, n) in split(count(row.count), &weights) {
                        if n == 0 || day < q.days.first || day > q.days.last {
                            continue;
                        }
                        let of = |yes: bool| if yes { n } else { 0 };
                        each(DmarcFact {
                            domain_id: report.domain_id.clone(),
                            bucket: q.bucket.of(day),
                            source_ip: row.source_ip.clone(),
                            header_from: row.header_from.clone().unwrap_or_default(),
                            reporter: report.org_name.clone(),
                            disposition: disposition.clone(),
                            dkim_result: row.dkim_aligned.clone().unwrap_or_default(),
                            spf_result: row.spf_aligned.clone().unwrap_or_default(),
                            dkim_domains: dkim_domains.clone(),
                            spf_domains: spf_domains.clone(),
                            policy: policy.clone(),
                            sums: dmarc_sums(
                                n,
                                of(dkim || spf),
                                of(dkim),
                                of(spf),
                                of(disposition == "quarantine"),
                                of(disposition == "reject"),
                            ),
                        });
                    }
                }
                if (page.len() as i64) < RECORD_PAGE {
                    break;
                }
            }
        }
        Ok(Ok(((), scanned)))
    })
}

#[derive(QueryableByName)]
struct TlsRow {
    #[diesel(sql_type = Text)]
    domain_id: String,
    #[diesel(sql_type = BigInt)]
    day: i64,
    #[diesel(sql_type = Text)]
    org_name: String,
    #[diesel(sql_type = Text)]
    result_type: String,
    #[diesel(sql_type = Text)]
    sending_mta_ip: String,
    #[diesel(sql_type = Text)]
    receiving_mx_hostname: String,
    #[diesel(sql_type = BigInt)]
    successful: i64,
    #[diesel(sql_type = BigInt)]
    failed: i64,
}

/// Facts from `tls_daily`: the summary rows (`details` false: sessions per report and day)
/// or the failure-detail rows (`details` true: failed sessions per result type, sending MTA
/// and receiving MX), grouped as `q` asks.
pub fn tls_facts(
    conn: &mut DbConnection,
    scope: &TenantScope,
    q: &FactQuery,
    details: bool,
) -> StorageResult<Bounded<Vec<TlsFact>>> {
    in_scope(conn, scope, q)?;
    let mut values = Vec::new();
    let domains = domains_sql("t", q, &mut values);
    values.push(Bind::Int(q.days.first));
    values.push(Bind::Int(q.days.last));
    let holds = [
        Column::Reporter,
        Column::ResultType,
        Column::SendingMtaIp,
        Column::ReceivingMxHostname,
    ];
    let conditions = conditions_sql(q, "t", &holds, &mut values);
    let (mut select, mut group) = (Vec::new(), Vec::new());
    for (grouped, column, name) in [
        (q.by_domain, "t.domain_id", "domain_id"),
        (q.bucket != Bucket::None, "t.day", "day"),
        (q.by.contains(&Column::Reporter), "t.org_name", "org_name"),
        (
            q.by.contains(&Column::ResultType),
            "t.result_type",
            "result_type",
        ),
        (
            q.by.contains(&Column::SendingMtaIp),
            "t.sending_mta_ip",
            "sending_mta_ip",
        ),
        (
            q.by.contains(&Column::ReceivingMxHostname),
            "t.receiving_mx_hostname",
            "receiving_mx_hostname",
        ),
    ] {
        if grouped {
            select.push(format!("{column} AS {name}"));
            group.push(column.to_string());
        } else if name == "day" {
            select.push("CAST(0 AS BIGINT) AS day".to_string());
        } else {
            select.push(format!("'' AS {name}"));
        }
    }
    let group_by = if group.is_empty() {
        String::new()
    } else {
        format!(" GROUP BY {}", group.join(", "))
    };
    let kind = if details {
        "t.result_type <> ''"
    } else {
        "t.result_type = ''"
    };
    values.push(Bind::Int(
        i64::try_from(q.max_rows)
            .unwrap_or(i64::MAX)
            .saturating_add(1),
    ));
    let text = format!(
        "SELECT {}, CAST(SUM(t.successful_sessions) AS BIGINT) AS successful, \
           CAST(SUM(t.failed_sessions) AS BIGINT) AS failed \
         FROM tls_daily t JOIN reports r ON r.id = t.report_id \
         WHERE {domains} AND t.day >= ? AND t.day <= ? AND r.superseded_by IS NULL AND {kind}{conditions}\
         {group_by} LIMIT ?",
        select.join(", ")
    );
    bounded_read(conn, q.statement_timeout_ms, |conn| {
        let query = diesel::sql_query(super::wide_sums(conn, sql(conn, &text))).into_boxed();
        let rows: Vec<TlsRow> = bind_all(query, values).load(conn)?;
        if rows.len() > q.max_rows {
            return Ok(Err(too_many_rows(q)));
        }
        let scanned = rows.len() as u64;
        let facts = rows
            .into_iter()
            // An empty group of an ungrouped sum over no rows.
            .filter(|r| r.successful != 0 || r.failed != 0)
            .map(|r| TlsFact {
                domain_id: r.domain_id,
                bucket: q.bucket.of(r.day),
                reporter: r.org_name,
                result_type: r.result_type,
                sending_mta_ip: r.sending_mta_ip,
                receiving_mx_hostname: r.receiving_mx_hostname,
                sums: [count(r.successful), count(r.failed)],
                ..TlsFact::default()
            })
            .collect();
        Ok(Ok((facts, scanned)))
    })
}

#[derive(QueryableByName)]
struct PolicyRow {
    #[diesel(sql_type = Text)]
    report_id: String,
    #[diesel(sql_type = Text)]
    policy_type: String,
    #[diesel(sql_type = Text)]
    policy_domain: String,
    #[diesel(sql_type = BigInt)]
    successful_sessions: i64,
    #[diesel(sql_type = BigInt)]
    failed_sessions: i64,
}

/// Facts from the raw policy rows of the current TLS reports in the range (sessions per
/// policy type and policy domain), spread over the days each report covers. Bounded like
/// [`dmarc_record_facts`].
pub fn tls_policy_facts(
    conn: &mut DbConnection,
    scope: &TenantScope,
    q: &FactQuery,
) -> StorageResult<Bounded<Vec<TlsFact>>> {
    in_scope(conn, scope, q)?;
    bounded_read(conn, q.statement_timeout_ms, |conn| {
        let reports = reports_in_range(conn, q, KIND_TLS)?;
        if let Some(refused) = expired_records(&reports) {
            return Ok(Err(refused));
        }
        if reports.len() as u64 > q.max_records {
            return Ok(Err(too_many_records(q.max_records, reports.len() as u64)));
        }
        let mut facts = Vec::new();
        let mut scanned = 0u64;
        for chunk in reports.chunks(500) {
            if Instant::now() > q.deadline {
                return Ok(Err(too_slow()));
            }
            let text = format!(
                "SELECT p.report_id, p.policy_type, p.policy_domain, p.successful_sessions, \
                   p.failed_sessions FROM tls_policies p WHERE p.report_id IN ({})",
                binds(chunk.len())
            );
            let values = chunk.iter().map(|r| Bind::Text(r.id.clone())).collect();
            let query = diesel::sql_query(sql(conn, &text)).into_boxed();
            let rows: Vec<PolicyRow> = bind_all(query, values).load(conn)?;
            scanned = scanned.saturating_add(rows.len() as u64);
            if scanned > q.max_records {
                return Ok(Err(too_many_records(q.max_records, scanned)));
            }
            for row in rows {
                let Some(report) = chunk.iter().find(|r| r.id == row.report_id) else {
                    continue;
                };
                let weights = day_weights(report.begin_ts, report.end_ts);
                let ok = split(count(row.successful_sessions), &weights);
                let failed = split(count(row.failed_sessions), &weights);
                for ((day, s), (_, f)) in ok.into_iter().zip(failed) {
                    if (s == 0 && f == 0) || day < q.days.first || day > q.days.last {
                        continue;
                    }
                    facts.push(TlsFact {
                        domain_id: report.domain_id.clone(),
                        bucket: q.bucket.of(day),
                        reporter: report.org_name.clone(),
                        policy_type: row.policy_type.clone(),
                        policy_domain: row.policy_domain.clone(),
                        sums: [s, f],
                        ..TlsFact::default()
                    });
                }
            }
        }
        Ok(Ok((facts, scanned)))
    })
}
