//! The per-domain figures of a tenant subtree that the portfolio shows, read in three
//! queries whose cost grows with the number of domains, not of reports or records:
//! - the domains, each with its `last_report_at` and its latest DMARC DNS check (one
//!   index-ordered lookup per domain in `dns_snapshots`);
//! - the sums of `domain_daily` over a range of days (kept current at ingest, see
//!   `reports::rollups`);
//! - the unresolved (open or acknowledged) issues counted by domain and severity.
//!
//! Every function takes the caller's [`TenantScope`] first; the subtree read is the scope's
//! own or that of a tenant inside it (another one is [`super::StorageError::NotFound`]).
//! Must not depend on `services` or `api`.

use super::aggregates::DayRange;
use super::{DbConnection, StorageResult, TenantScope, sql, tenants, wide_sums};
use crate::domain::ids::{DomainId, TenantId};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text};
use std::collections::HashMap;

/// A domain of the subtree with what the portfolio shows of it besides its sums.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortfolioDomain {
    pub id: DomainId,
    pub name: String,
    pub tenant_id: TenantId,
    /// When its newest stored report arrived.
    pub last_report_at: Option<i64>,
    /// Its latest DMARC DNS check: (checked at, the check report as JSON).
    pub dmarc_check: Option<(i64, String)>,
}

/// A domain's sums over a range of days, from its current reports.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DomainSums {
    pub messages: i64,
    pub dmarc_pass_messages: i64,
    pub tls_successful: i64,
    pub tls_failed: i64,
}

/// Unresolved issues of one domain by severity (`critical`, `high`, …).
pub type IssueCounts = HashMap<String, i64>;

#[derive(QueryableByName)]
struct DomainRow {
    #[diesel(sql_type = Text)]
    id: String,
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    tenant_id: String,
    #[diesel(sql_type = Nullable<BigInt>)]
    last_report_at: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    dmarc_checked_at: Option<i64>,
    #[diesel(sql_type = Nullable<Text>)]
    dmarc_report: Option<String>,
}

#[derive(QueryableByName)]
struct SumRow {
    #[diesel(sql_type = Text)]
    domain_id: String,
    #[diesel(sql_type = BigInt)]
    messages: i64,
    #[diesel(sql_type = BigInt)]
    pass: i64,
    #[diesel(sql_type = BigInt)]
    ok: i64,
    #[diesel(sql_type = BigInt)]
    failed: i64,
}

#[derive(QueryableByName)]
struct IssueRow {
    #[diesel(sql_type = Text)]
    domain_id: String,
    #[diesel(sql_type = Text)]
    severity: String,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// The `LIKE` pattern of the subtree read: the scope's, or `tenant`'s (in scope).
fn subtree(
    conn: &mut DbConnection,
    scope: &TenantScope,
    tenant: Option<&TenantId>,
) -> StorageResult<String> {
    match tenant {
        Some(t) => Ok(tenants::get_tenant(conn, scope, t)?.scope().like()),
        None => Ok(scope.like()),
    }
}

/// Every domain of the subtree (the scope's, or `tenant`'s within it), in no order.
#[tracing::instrument(skip_all, fields(tenant_id = %scope.tenant_id))]
pub fn list_portfolio_domains(
    conn: &mut DbConnection,
    scope: &TenantScope,
    tenant: Option<&TenantId>,
) -> StorageResult<Vec<PortfolioDomain>> {
    let like = subtree(conn, scope, tenant)?;
    // The latest DMARC check per domain: two scalar subqueries that each walk the
    // (domain_id, kind, selector, checked_at) index backwards to its first row.
    let latest = "FROM dns_snapshots s WHERE s.domain_id = d.id AND s.kind = 'dmarc' \
                  AND s.selector = '' ORDER BY s.checked_at DESC, s.id DESC LIMIT 1";
    let text = format!(
        "SELECT d.id, d.name, d.tenant_id, d.last_report_at, \
           (SELECT s.checked_at {latest}) AS dmarc_checked_at, \
           (SELECT s.report {latest}) AS dmarc_report \
         FROM domains d JOIN tenants t ON t.id = d.tenant_id \
         WHERE t.path LIKE ? AND d.deleting_since IS NULL"
    );
    let rows: Vec<DomainRow> = diesel::sql_query(sql(conn, &text))
        .bind::<Text, _>(like)
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|r| PortfolioDomain {
            id: r.id.into(),
            name: r.name,
            tenant_id: r.tenant_id.into(),
            last_report_at: r.last_report_at,
            dmarc_check: r.dmarc_checked_at.zip(r.dmarc_report),
        })
        .collect())
}

/// The `domain_daily` sums of every domain of the subtree with figures in `days`.
#[tracing::instrument(skip_all, fields(tenant_id = %scope.tenant_id))]
pub fn sum_domain_daily(
    conn: &mut DbConnection,
    scope: &TenantScope,
    tenant: Option<&TenantId>,
    days: DayRange,
) -> StorageResult<HashMap<DomainId, DomainSums>> {
    let like = subtree(conn, scope, tenant)?;
    let text = "SELECT dd.domain_id, CAST(SUM(dd.messages) AS BIGINT) AS messages, \
           CAST(SUM(dd.dmarc_pass_messages) AS BIGINT) AS pass, \
           CAST(SUM(dd.tls_successful) AS BIGINT) AS ok, \
           CAST(SUM(dd.tls_failed) AS BIGINT) AS failed \
         FROM domain_daily dd JOIN tenants t ON t.id = dd.tenant_id \
         WHERE t.path LIKE ? AND dd.day >= ? AND dd.day <= ? GROUP BY dd.domain_id";
    let rows: Vec<SumRow> = diesel::sql_query(wide_sums(conn, sql(conn, text)))
        .bind::<Text, _>(like)
        .bind::<BigInt, _>(days.first)
        .bind::<BigInt, _>(days.last)
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|r| {
            (
                DomainId::from(r.domain_id),
                DomainSums {
                    messages: r.messages,
                    dmarc_pass_messages: r.pass,
                    tls_successful: r.ok,
                    tls_failed: r.failed,
                },
            )
        })
        .collect())
}

/// Unresolved (open or acknowledged) issues of every domain of the subtree, by severity.
#[tracing::instrument(skip_all, fields(tenant_id = %scope.tenant_id))]
pub fn count_unresolved_issues(
    conn: &mut DbConnection,
    scope: &TenantScope,
    tenant: Option<&TenantId>,
) -> StorageResult<HashMap<DomainId, IssueCounts>> {
    let like = subtree(conn, scope, tenant)?;
    let text = "SELECT i.domain_id, i.severity, COUNT(*) AS n \
         FROM issues i JOIN tenants t ON t.id = i.tenant_id \
         WHERE t.path LIKE ? AND i.status IN ('open', 'acknowledged') \
         GROUP BY i.domain_id, i.severity";
    let rows: Vec<IssueRow> = diesel::sql_query(sql(conn, text))
        .bind::<Text, _>(like)
        .load(conn)?;
    let mut out: HashMap<DomainId, IssueCounts> = HashMap::new();
    for r in rows {
        *out.entry(DomainId::from(r.domain_id))
            .or_default()
            .entry(r.severity)
            .or_default() += r.n;
    }
    Ok(out)
}

/// Per day, (messages, DMARC pass messages, TLS successful, TLS failed) sessions.
pub type DailyFigures = Vec<(i64, [i64; 4])>;

/// The `domain_daily` rows of one domain recomputed from the per-report rollups of its
/// current reports, and as stored, by day: (messages, pass, TLS ok, TLS failed). For tests
/// and checks that the kept table is exact.
pub fn domain_daily_check(
    conn: &mut DbConnection,
    domain: &DomainId,
) -> StorageResult<(DailyFigures, DailyFigures)> {
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = BigInt)]
        day: i64,
        #[diesel(sql_type = BigInt)]
        messages: i64,
        #[diesel(sql_type = BigInt)]
        pass: i64,
        #[diesel(sql_type = BigInt)]
        ok: i64,
        #[diesel(sql_type = BigInt)]
        failed: i64,
    }
    let recomputed = "SELECT x.day, CAST(SUM(x.messages) AS BIGINT) AS messages, \
           CAST(SUM(x.pass) AS BIGINT) AS pass, CAST(SUM(x.ok) AS BIGINT) AS ok, \
           CAST(SUM(x.failed) AS BIGINT) AS failed \
         FROM ( \
           SELECT report_id, day, messages, \
             CASE WHEN dkim_aligned = 'pass' OR spf_aligned = 'pass' THEN messages ELSE 0 END AS pass, \
             0 AS ok, 0 AS failed FROM dmarc_daily WHERE domain_id = ? \
           UNION ALL \
           SELECT report_id, day, 0, 0, successful_sessions, failed_sessions \
           FROM tls_daily WHERE domain_id = ? AND result_type = '' \
         ) x JOIN reports r ON r.id = x.report_id \
         WHERE r.superseded_by IS NULL GROUP BY x.day ORDER BY x.day";
    let stored = "SELECT day, messages, dmarc_pass_messages AS pass, tls_successful AS ok, \
           tls_failed AS failed FROM domain_daily WHERE domain_id = ? ORDER BY day";
    let shape = |rows: Vec<Row>| -> DailyFigures {
        rows.into_iter()
            .map(|r| (r.day, [r.messages, r.pass, r.ok, r.failed]))
            .filter(|(_, v)| v.iter().any(|n| *n != 0))
            .collect()
    };
    let a: Vec<Row> = diesel::sql_query(wide_sums(conn, sql(conn, recomputed)))
        .bind::<Text, _>(domain.as_str())
        .bind::<Text, _>(domain.as_str())
        .load(conn)?;
    let b: Vec<Row> = diesel::sql_query(sql(conn, stored))
        .bind::<Text, _>(domain.as_str())
        .load(conn)?;
    Ok((shape(a), shape(b)))
}
