//! Domains: each belongs to exactly one tenant and has an unguessable TLS-RPT ingest token.
//!
//! A name is unique within a tenant, not across tenants (DESIGN.md, Tenancy): every ingest
//! path knows its tenant, so two customers may register the same name, and registering one
//! never reveals that another tenant holds it. Within a caller's subtree a name can therefore
//! match several domains: lookups by name then fail with [`StorageError::Ambiguous`] naming
//! the tenants (all visible to the caller), and the caller names the domain by its id or
//! the tenant instead.
//!
//! A domain being deleted (`deleting_since` set, [`mark_domain_deleting`]) is invisible: no
//! lookup here (by name, id, token, list, report resolution) nor [`super::domain_in_scope`]
//! finds it, so no read, aggregate or ingest reaches its data while it goes in batches. Its
//! name stays taken for its tenant until the row goes ([`finish_domain_deletion`]):
//! registering it again is a conflict that says so.

use super::schema::{domains, reports};
use super::tenants::get_tenant;
use super::{DbConnection, StorageError, StorageResult, TenantScope, now};
use crate::domain::domain_name::DomainName;
use crate::domain::ids::{DomainId, TenantId};
use crate::storage::write_transaction;
use base64::Engine;
use diesel::prelude::*;
use rand::RngCore;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = domains)]
pub struct Domain {
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub id: DomainId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub tenant_id: TenantId,
    pub name: String,
    pub ingest_token: String,
    pub created_at: i64,
}

fn new_ingest_token() -> String {
    let mut bytes = [0u8; 24];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Registers `name` for `tenant_id` (in scope). The name registered already for the same
/// tenant is a conflict; another tenant holding it is not (and is not revealed).
#[tracing::instrument(skip_all, fields(tenant_id = %scope.tenant_id))]
pub fn insert_domain(
    conn: &mut DbConnection,
    scope: &TenantScope,
    tenant_id: &TenantId,
    name: &DomainName,
) -> StorageResult<Domain> {
    get_tenant(conn, scope, tenant_id)?;
    // Asked before the insert: on PostgreSQL nothing more can be read in a transaction once a
    // unique violation has aborted it.
    let deleting = domains::table
        .filter(domains::tenant_id.eq(tenant_id.as_str()))
        .filter(domains::name.eq(name.as_str()))
        .filter(domains::deleting_since.is_not_null())
        .count()
        .get_result::<i64>(conn)?;
    if deleting > 0 {
        return Err(StorageError::Conflict(format!(
            "domain {name} of tenant {tenant_id} is being deleted; it can be registered again once that has finished"
        )));
    }
    let domain = Domain {
        id: DomainId::generate(),
        tenant_id: tenant_id.clone(),
        name: name.as_str().to_string(),
        ingest_token: new_ingest_token(),
        created_at: now(),
    };
    diesel::insert_into(domains::table)
        .values(domain.clone())
        .execute(conn)
        .map_err(|e| match StorageError::from(e) {
            StorageError::UniqueViolation(_) => StorageError::Conflict(format!(
                "domain {name} is already registered for tenant {tenant_id}"
            )),
            other => other,
        })?;
    Ok(domain)
}

/// [`insert_domain`] and `then` (e.g. queueing the domain's first DNS check) in one
/// transaction, so nothing that scans domains sees the one without the other.
pub fn insert_domain_and(
    conn: &mut DbConnection,
    scope: &TenantScope,
    tenant_id: &TenantId,
    name: &DomainName,
    then: impl FnOnce(&mut DbConnection, &Domain) -> StorageResult<()>,
) -> StorageResult<Domain> {
    write_transaction(conn, |conn| {
        let domain = insert_domain(conn, scope, tenant_id, name)?;
        then(conn, &domain)?;
        Ok(domain)
    })
}

/// The domains in scope by name, after the name `after` (keyset paging), at most `limit`.
pub fn list_domains(
    conn: &mut DbConnection,
    scope: &TenantScope,
    after: Option<&str>,
    limit: i64,
) -> StorageResult<Vec<Domain>> {
    use super::schema::tenants;
    let tenants_in_scope = tenants::table
        .filter(tenants::path.like(scope.like()))
        .select(tenants::id);
    let mut query = domains::table
        .filter(domains::tenant_id.eq_any(tenants_in_scope))
        .filter(domains::deleting_since.is_null())
        .select(Domain::as_select())
        .order(domains::name.asc())
        .limit(limit)
        .into_boxed();
    if let Some(after) = after {
        query = query.filter(domains::name.gt(after.to_string()));
    }
    Ok(query.load(conn)?)
}

/// A domain in scope, by name or by id. A name that several tenants of the scope hold is
/// [`StorageError::Ambiguous`].
pub fn get_domain_by_name(
    conn: &mut DbConnection,
    scope: &TenantScope,
    name: &str,
) -> StorageResult<Domain> {
    let mut found = find_domains_by_name(conn, scope, name)?;
    if found.is_empty() {
        // Domain ids are UUIDs and names never look like one, so the two cannot collide.
        if uuid::Uuid::try_parse(name.trim()).is_ok() {
            return find_domain_in_scope_by_id(conn, scope, &DomainId::from(name.trim()));
        }
        return Err(StorageError::NotFound);
    }
    if found.len() > 1 {
        return Err(ambiguous(&found));
    }
    Ok(found.remove(0))
}

/// The error for a name several tenants of the caller's scope hold.
fn ambiguous(found: &[Domain]) -> StorageError {
    StorageError::Ambiguous {
        name: found.first().map(|d| d.name.clone()).unwrap_or_default(),
        tenants: found.iter().map(|d| d.tenant_id.to_string()).collect(),
    }
}

/// Every domain in scope with this name (at most a few: one per tenant).
fn find_domains_by_name(
    conn: &mut DbConnection,
    scope: &TenantScope,
    name: &str,
) -> StorageResult<Vec<Domain>> {
    use super::schema::tenants;
    let name = name.trim().trim_end_matches('.').to_ascii_lowercase();
    let tenants_in_scope = tenants::table
        .filter(tenants::path.like(scope.like()))
        .select(tenants::id);
    Ok(domains::table
        .filter(domains::name.eq(name))
        .filter(domains::tenant_id.eq_any(tenants_in_scope))
        .filter(domains::deleting_since.is_null())
        .select(Domain::as_select())
        .order(domains::tenant_id.asc())
        .limit(20)
        .load(conn)?)
}

fn find_domain_in_scope_by_id(
    conn: &mut DbConnection,
    scope: &TenantScope,
    id: &DomainId,
) -> StorageResult<Domain> {
    use super::schema::tenants;
    let tenants_in_scope = tenants::table
        .filter(tenants::path.like(scope.like()))
        .select(tenants::id);
    Ok(domains::table
        .filter(domains::id.eq(id.as_str()))
        .filter(domains::tenant_id.eq_any(tenants_in_scope))
        .filter(domains::deleting_since.is_null())
        .select(Domain::as_select())
        .first(conn)?)
}

/// The registered domain (in scope) that a report about `policy_domain` belongs to: the
/// domain itself, else its nearest registered parent. When the nearest registered name is
/// held by several tenants of the scope, the report cannot be filed:
/// [`StorageError::Ambiguous`] (the uploader then names the tenant).
pub fn resolve_domain(
    conn: &mut DbConnection,
    scope: &TenantScope,
    policy_domain: &str,
) -> StorageResult<Option<Domain>> {
    let Ok(name) = DomainName::parse(policy_domain) else {
        return Ok(None);
    };
    for candidate in name.self_and_parents() {
        let mut found = find_domains_by_name(conn, scope, candidate)?;
        match found.len() {
            0 => continue,
            1 => return Ok(Some(found.remove(0))),
            _ => return Err(ambiguous(&found)),
        }
    }
    Ok(None)
}

pub fn find_domain_by_ingest_token(
    conn: &mut DbConnection,
    token: &str,
) -> StorageResult<Option<Domain>> {
    Ok(domains::table
        .filter(domains::ingest_token.eq(token))
        .filter(domains::deleting_since.is_null())
        .select(Domain::as_select())
        .first(conn)
        .optional()?)
}

pub fn rotate_ingest_token(
    conn: &mut DbConnection,
    scope: &TenantScope,
    name: &str,
) -> StorageResult<Domain> {
    let domain = get_domain_by_name(conn, scope, name)?;
    let token = new_ingest_token();
    diesel::update(domains::table.filter(domains::id.eq(domain.id.as_str())))
        .set(domains::ingest_token.eq(&token))
        .execute(conn)?;
    Ok(Domain {
        ingest_token: token,
        ..domain
    })
}

/// Begins deleting a domain of the scope: marks it (`deleting_since`), which hides it from
/// every lookup, and deletes its issues (a few rows, so that no list of issues shows them
/// meanwhile), in one transaction. The rest goes in batches, then [`finish_domain_deletion`].
#[tracing::instrument(skip_all, fields(tenant_id = %scope.tenant_id))]
pub fn mark_domain_deleting(
    conn: &mut DbConnection,
    scope: &TenantScope,
    name: &str,
    now: i64,
) -> StorageResult<Domain> {
    use super::schema::issues;
    write_transaction(conn, |conn| {
        let domain = get_domain_by_name(conn, scope, name)?;
        let id = domain.id.as_str();
        diesel::update(domains::table.filter(domains::id.eq(id)))
            .set(domains::deleting_since.eq(Some(now)))
            .execute(conn)?;
        diesel::delete(issues::table.filter(issues::domain_id.eq(id))).execute(conn)?;
        Ok(domain)
    })
}

/// The domains whose deletion has begun and not finished, as (domain, tenant).
pub fn list_deleting_domains(conn: &mut DbConnection) -> StorageResult<Vec<(DomainId, TenantId)>> {
    Ok(domains::table
        .filter(domains::deleting_since.is_not_null())
        .order(domains::deleting_since.asc())
        .select((domains::id, domains::tenant_id))
        .load::<(String, String)>(conn)?
        .into_iter()
        .map(|(d, t)| (DomainId::from(d), TenantId::from(t)))
        .collect())
}

/// Deletes a domain marked by [`mark_domain_deleting`] with its reports; the rows left
/// (per-report rollups, snapshots, …) cascade. A domain not marked is left alone.
pub fn finish_domain_deletion(conn: &mut DbConnection, id: &DomainId) -> StorageResult<()> {
    write_transaction(conn, |conn| {
        let marked = domains::table
            .filter(domains::id.eq(id.as_str()))
            .filter(domains::deleting_since.is_not_null())
            .count()
            .get_result::<i64>(conn)?;
        if marked == 0 {
            return Ok(());
        }
        diesel::delete(reports::table.filter(reports::domain_id.eq(id.as_str()))).execute(conn)?;
        diesel::delete(domains::table.filter(domains::id.eq(id.as_str()))).execute(conn)?;
        Ok(())
    })
}

/// The ids of a domain's reports (its deletion goes through them in batches).
pub fn list_domain_report_ids(
    conn: &mut DbConnection,
    domain_id: &str,
) -> StorageResult<Vec<String>> {
    Ok(reports::table
        .filter(reports::domain_id.eq(domain_id))
        .select(reports::id)
        .load(conn)?)
}

/// The domain with id `id`, whoever owns it (background jobs, which have no caller); `None`
/// once its deletion has begun.
pub fn find_domain_by_id(conn: &mut DbConnection, id: &DomainId) -> StorageResult<Option<Domain>> {
    Ok(domains::table
        .filter(domains::id.eq(id.as_str()))
        .filter(domains::deleting_since.is_null())
        .select(Domain::as_select())
        .first(conn)
        .optional()?)
}

/// Every registered domain's id (background scheduling).
pub fn list_all_domain_ids(conn: &mut DbConnection) -> StorageResult<Vec<DomainId>> {
    Ok(domains::table
        .filter(domains::deleting_since.is_null())
        .order(domains::id.asc())
        .select(domains::id)
        .load::<String>(conn)?
        .into_iter()
        .map(DomainId::from)
        .collect())
}
