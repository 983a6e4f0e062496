//! Stored DNS checks of registered domains: every run is kept, so a client can see when a
//! record changed or a finding appeared. The report is stored as the JSON the API returns.

use super::domains::{Domain, get_domain_by_name};
use super::schema::dns_snapshots;
use super::{DbConnection, StorageResult, TenantScope, new_id};
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = dns_snapshots)]
pub struct DnsSnapshot {
    pub id: String,
    pub tenant_id: String,
    pub domain_id: String,
    pub kind: String,
    /// DKIM/BIMI selector, `""` for other kinds.
    pub selector: String,
    pub checked_at: i64,
    /// Worst finding severity (`error`, `warning`, `info`), `""` without findings.
    pub worst: String,
    /// The check report, JSON.
    pub report: String,
}

/// One check to store: kind, selector, worst severity, report JSON.
pub struct NewSnapshot {
    pub kind: String,
    pub selector: String,
    pub worst: String,
    pub report: String,
}

/// Stores the checks of the domain `name` (in scope) run at `checked_at`.
#[tracing::instrument(skip_all, fields(tenant_id = %scope.tenant_id))]
pub fn insert_snapshots(
    conn: &mut DbConnection,
    scope: &TenantScope,
    name: &str,
    checked_at: i64,
    items: Vec<NewSnapshot>,
) -> StorageResult<(Domain, Vec<DnsSnapshot>)> {
    let domain = get_domain_by_name(conn, scope, name)?;
    let rows: Vec<DnsSnapshot> = items
        .into_iter()
        .map(|item| DnsSnapshot {
            id: new_id(),
            tenant_id: domain.tenant_id.clone(),
            domain_id: domain.id.clone(),
            kind: item.kind,
            selector: item.selector,
            checked_at,
            worst: item.worst,
            report: item.report,
        })
        .collect();
    conn.transaction(|conn| {
        for row in &rows {
            diesel::insert_into(dns_snapshots::table)
                .values(row)
                .execute(conn)?;
        }
        Ok::<_, diesel::result::Error>(())
    })?;
    Ok((domain, rows))
}

/// The latest snapshot of each (kind, selector) of the domain `name` (in scope).
pub fn list_latest(
    conn: &mut DbConnection,
    scope: &TenantScope,
    name: &str,
) -> StorageResult<Vec<DnsSnapshot>> {
    let domain = get_domain_by_name(conn, scope, name)?;
    let all: Vec<DnsSnapshot> = dns_snapshots::table
        .filter(dns_snapshots::domain_id.eq(&domain.id))
        .order((
            dns_snapshots::kind.asc(),
            dns_snapshots::selector.asc(),
            dns_snapshots::checked_at.desc(),
            dns_snapshots::id.desc(),
        ))
        .select(DnsSnapshot::as_select())
        .load(conn)?;
    let mut latest: Vec<DnsSnapshot> = Vec::new();
    for s in all {
        if latest.last().is_none_or(|l| {
            (l.kind.as_str(), l.selector.as_str()) != (s.kind.as_str(), s.selector.as_str())
        }) {
            latest.push(s);
        }
    }
    Ok(latest)
}

/// The snapshots of one kind of the domain `name` (in scope), newest first, at most `limit`.
pub fn list_history(
    conn: &mut DbConnection,
    scope: &TenantScope,
    name: &str,
    kind: &str,
    limit: i64,
) -> StorageResult<Vec<DnsSnapshot>> {
    let domain = get_domain_by_name(conn, scope, name)?;
    Ok(dns_snapshots::table
        .filter(dns_snapshots::domain_id.eq(&domain.id))
        .filter(dns_snapshots::kind.eq(kind))
        .order((dns_snapshots::checked_at.desc(), dns_snapshots::id.desc()))
        .limit(limit)
        .select(DnsSnapshot::as_select())
        .load(conn)?)
}
