//! Stored DNS checks of registered domains: every run is kept, so a client can see when a
//! record changed or a finding appeared. The report is stored as the JSON the API returns.

use super::domains::{Domain, get_domain_by_name};
use super::schema::dns_snapshots;
use super::{DbConnection, StorageResult, TenantScope, new_id};
use crate::domain::ids::{DomainId, TenantId};
use crate::storage::write_transaction;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = dns_snapshots)]
pub struct DnsSnapshot {
    pub id: String,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub tenant_id: TenantId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub domain_id: DomainId,
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
    let rows = insert_for_domain(conn, &domain, checked_at, items, false)?;
    Ok((domain, rows))
}

/// The report without the DNS questions asked (which vary with caching), for comparing two
/// runs of a check.
fn result_part(report: &str) -> serde_json::Value {
    let mut v: serde_json::Value = serde_json::from_str(report).unwrap_or_default();
    if let Some(o) = v.as_object_mut() {
        o.remove("queries");
    }
    v
}

/// Stores the checks of `domain` run at `checked_at`. With `only_changes`, a check whose
/// result equals the latest stored one of its kind and selector moves that snapshot's
/// `checked_at` instead of adding a row.
pub fn insert_for_domain(
    conn: &mut DbConnection,
    domain: &Domain,
    checked_at: i64,
    items: Vec<NewSnapshot>,
    only_changes: bool,
) -> StorageResult<Vec<DnsSnapshot>> {
    write_transaction(conn, |conn| {
        let latest = if only_changes {
            latest_for_domain(conn, &domain.id)?
        } else {
            Vec::new()
        };
        let mut rows = Vec::with_capacity(items.len());
        for item in items {
            let same = latest.iter().find(|l| {
                l.kind == item.kind
                    && l.selector == item.selector
                    && result_part(&l.report) == result_part(&item.report)
            });
            if let Some(same) = same {
                diesel::update(dns_snapshots::table.filter(dns_snapshots::id.eq(&same.id)))
                    .set(dns_snapshots::checked_at.eq(checked_at))
                    .execute(conn)?;
                rows.push(DnsSnapshot {
                    checked_at,
                    ..same.clone()
                });
                continue;
            }
            let row = DnsSnapshot {
                id: new_id(),
                tenant_id: domain.tenant_id.clone(),
                domain_id: domain.id.clone(),
                kind: item.kind,
                selector: item.selector,
                checked_at,
                worst: item.worst,
                report: item.report,
            };
            diesel::insert_into(dns_snapshots::table)
                .values(row.clone())
                .execute(conn)?;
            rows.push(row);
        }
        Ok(rows)
    })
}

/// The latest snapshot of each (kind, selector) of the domain `name` (in scope).
pub fn list_latest(
    conn: &mut DbConnection,
    scope: &TenantScope,
    name: &str,
) -> StorageResult<Vec<DnsSnapshot>> {
    let domain = get_domain_by_name(conn, scope, name)?;
    latest_for_domain(conn, &domain.id)
}

/// The latest snapshot of each (kind, selector) of the domain `domain_id`, by kind and
/// selector. Reads one row per kind, however long the history.
pub fn latest_for_domain(
    conn: &mut DbConnection,
    domain_id: &DomainId,
) -> StorageResult<Vec<DnsSnapshot>> {
    use diesel::dsl::max;
    let domain_id = domain_id.as_str();
    let newest: Vec<(String, String, Option<i64>)> = dns_snapshots::table
        .filter(dns_snapshots::domain_id.eq(domain_id))
        .group_by((dns_snapshots::kind, dns_snapshots::selector))
        .select((
            dns_snapshots::kind,
            dns_snapshots::selector,
            max(dns_snapshots::checked_at),
        ))
        .order((dns_snapshots::kind.asc(), dns_snapshots::selector.asc()))
        .load(conn)?;
    let mut latest = Vec::with_capacity(newest.len());
    for (kind, selector, checked_at) in newest {
        let Some(checked_at) = checked_at else {
            continue;
        };
        let row: Option<DnsSnapshot> = dns_snapshots::table
            .filter(dns_snapshots::domain_id.eq(domain_id))
            .filter(dns_snapshots::kind.eq(&kind))
            .filter(dns_snapshots::selector.eq(&selector))
            .filter(dns_snapshots::checked_at.eq(checked_at))
            .order(dns_snapshots::id.desc())
            .select(DnsSnapshot::as_select())
            .first(conn)
            .optional()?;
        latest.extend(row);
    }
    Ok(latest)
}

/// The snapshots of one kind of the domain `name` (in scope), newest first, before
/// `(checked_at, id)` (keyset paging), at most `limit`.
pub fn list_history(
    conn: &mut DbConnection,
    scope: &TenantScope,
    name: &str,
    kind: &str,
    before: Option<(i64, String)>,
    limit: i64,
) -> StorageResult<Vec<DnsSnapshot>> {
    let domain = get_domain_by_name(conn, scope, name)?;
    let mut query = dns_snapshots::table
        .filter(dns_snapshots::domain_id.eq(domain.id.into_string()))
        .filter(dns_snapshots::kind.eq(kind.to_string()))
        .order((dns_snapshots::checked_at.desc(), dns_snapshots::id.desc()))
        .limit(limit)
        .select(DnsSnapshot::as_select())
        .into_boxed();
    if let Some((checked_at, id)) = before {
        query = query.filter(
            dns_snapshots::checked_at
                .lt(checked_at)
                .or(dns_snapshots::checked_at
                    .eq(checked_at)
                    .and(dns_snapshots::id.lt(id))),
        );
    }
    Ok(query.load(conn)?)
}
