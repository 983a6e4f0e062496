//! Tenants: a tree (operator → reseller → customer) with materialized paths.

use super::schema::{api_keys, domains, issued_tokens, tenants};
use super::{DbConnection, StorageError, StorageResult, TenantScope, new_id, now};
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = tenants)]
pub struct Tenant {
    pub id: String,
    pub parent_id: Option<String>,
    pub name: String,
    pub path: String,
    pub created_at: i64,
}

impl Tenant {
    pub fn scope(&self) -> TenantScope {
        TenantScope {
            tenant_id: self.id.clone(),
            path: self.path.clone(),
        }
    }
}

/// Creates a tenant with no parent (the operator's root, or an independent tree).
#[tracing::instrument(skip_all)]
pub fn insert_root_tenant(conn: &mut DbConnection, name: &str) -> StorageResult<Tenant> {
    let id = new_id();
    let tenant = Tenant {
        path: format!("/{id}/"),
        id,
        parent_id: None,
        name: name.to_string(),
        created_at: now(),
    };
    diesel::insert_into(tenants::table)
        .values(&tenant)
        .execute(conn)?;
    Ok(tenant)
}

/// Creates a child of `parent_id`, which must be in the caller's scope.
#[tracing::instrument(skip_all, fields(tenant_id = %scope.tenant_id))]
pub fn insert_tenant(
    conn: &mut DbConnection,
    scope: &TenantScope,
    parent_id: &str,
    name: &str,
) -> StorageResult<Tenant> {
    let parent = get_tenant(conn, scope, parent_id)?;
    let id = new_id();
    let tenant = Tenant {
        path: format!("{}{id}/", parent.path),
        id,
        parent_id: Some(parent.id),
        name: name.to_string(),
        created_at: now(),
    };
    diesel::insert_into(tenants::table)
        .values(&tenant)
        .execute(conn)?;
    Ok(tenant)
}

/// A tenant in the caller's scope.
pub fn get_tenant(conn: &mut DbConnection, scope: &TenantScope, id: &str) -> StorageResult<Tenant> {
    Ok(tenants::table
        .filter(tenants::id.eq(id))
        .filter(tenants::path.like(scope.like()))
        .select(Tenant::as_select())
        .first(conn)?)
}

/// A tenant by id regardless of scope (bootstrap CLI and authentication only).
pub fn find_tenant_unscoped(conn: &mut DbConnection, id: &str) -> StorageResult<Option<Tenant>> {
    Ok(tenants::table
        .filter(tenants::id.eq(id))
        .select(Tenant::as_select())
        .first(conn)
        .optional()?)
}

/// Where a tenant is in [`list_tenants`]' order: depth, then creation time, then id.
pub fn tenant_sort_key(t: &Tenant) -> (i64, i64, String) {
    let depth = i64::try_from(t.path.matches('/').count()).unwrap_or(i64::MAX);
    (depth, t.created_at, t.id.clone())
}

/// The caller's tenant and all its descendants, shallowest first, after the sort key `after`
/// (see [`tenant_sort_key`]), at most `limit`.
pub fn list_tenants(
    conn: &mut DbConnection,
    scope: &TenantScope,
    after: Option<(i64, i64, String)>,
    limit: i64,
) -> StorageResult<Vec<Tenant>> {
    // Depth is not a column, so the subtree is ordered here; subtrees are small.
    let mut all: Vec<Tenant> = tenants::table
        .filter(tenants::path.like(scope.like()))
        .select(Tenant::as_select())
        .load(conn)?;
    all.sort_by_key(tenant_sort_key);
    Ok(all
        .into_iter()
        .filter(|t| after.as_ref().is_none_or(|a| &tenant_sort_key(t) > a))
        .take(usize::try_from(limit).unwrap_or(0))
        .collect())
}

pub fn update_tenant(
    conn: &mut DbConnection,
    scope: &TenantScope,
    id: &str,
    name: &str,
) -> StorageResult<Tenant> {
    get_tenant(conn, scope, id)?;
    diesel::update(tenants::table.filter(tenants::id.eq(id)))
        .set(tenants::name.eq(name))
        .execute(conn)?;
    get_tenant(conn, scope, id)
}

/// Deletes a descendant tenant that has no children and no domains, with its keys.
pub fn delete_tenant(conn: &mut DbConnection, scope: &TenantScope, id: &str) -> StorageResult<()> {
    let tenant = get_tenant(conn, scope, id)?;
    if tenant.id == scope.tenant_id {
        return Err(StorageError::Conflict(
            "a tenant cannot delete itself".into(),
        ));
    }
    conn.transaction(|conn| {
        let children: i64 = tenants::table
            .filter(tenants::parent_id.eq(id))
            .count()
            .get_result(conn)?;
        let owned_domains: i64 = domains::table
            .filter(domains::tenant_id.eq(id))
            .count()
            .get_result(conn)?;
        if children > 0 || owned_domains > 0 {
            return Err(StorageError::Conflict(format!(
                "tenant has {children} child tenants and {owned_domains} domains; delete them first"
            )));
        }
        diesel::delete(issued_tokens::table.filter(issued_tokens::tenant_id.eq(id)))
            .execute(conn)?;
        diesel::delete(api_keys::table.filter(api_keys::tenant_id.eq(id))).execute(conn)?;
        diesel::delete(tenants::table.filter(tenants::id.eq(id))).execute(conn)?;
        Ok(())
    })
}
