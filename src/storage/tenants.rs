//! Tenants: a tree (operator → reseller → customer) with materialized paths.

use super::schema::{api_keys, domains, issued_tokens, tenants};
use super::{DbConnection, StorageError, StorageResult, TenantScope, now};
use crate::domain::ids::TenantId;
use crate::storage::write_transaction;
use diesel::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tenant {
    pub id: TenantId,
    pub parent_id: Option<TenantId>,
    pub name: String,
    pub path: String,
    pub created_at: i64,
}

/// The row as diesel reads and writes it: an optional id has no `deserialize_as` (no
/// conversion from `Option<String>` to `Option<TenantId>` can be written), so the ids are
/// converted here.
#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = tenants)]
struct TenantRow {
    id: String,
    parent_id: Option<String>,
    name: String,
    path: String,
    created_at: i64,
}

impl From<TenantRow> for Tenant {
    fn from(row: TenantRow) -> Tenant {
        Tenant {
            id: row.id.into(),
            parent_id: row.parent_id.map(TenantId::from),
            name: row.name,
            path: row.path,
            created_at: row.created_at,
        }
    }
}

impl From<&Tenant> for TenantRow {
    fn from(t: &Tenant) -> TenantRow {
        TenantRow {
            id: t.id.as_str().to_string(),
            parent_id: t.parent_id.as_ref().map(|p| p.as_str().to_string()),
            name: t.name.clone(),
            path: t.path.clone(),
            created_at: t.created_at,
        }
    }
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
    let id = TenantId::generate();
    let tenant = Tenant {
        path: format!("/{id}/"),
        id,
        parent_id: None,
        name: name.to_string(),
        created_at: now(),
    };
    diesel::insert_into(tenants::table)
        .values(TenantRow::from(&tenant))
        .execute(conn)?;
    Ok(tenant)
}

/// Creates a child of `parent_id`, which must be in the caller's scope.
#[tracing::instrument(skip_all, fields(tenant_id = %scope.tenant_id))]
pub fn insert_tenant(
    conn: &mut DbConnection,
    scope: &TenantScope,
    parent_id: &TenantId,
    name: &str,
) -> StorageResult<Tenant> {
    let parent = get_tenant(conn, scope, parent_id)?;
    let id = TenantId::generate();
    let tenant = Tenant {
        path: format!("{}{id}/", parent.path),
        id,
        parent_id: Some(parent.id),
        name: name.to_string(),
        created_at: now(),
    };
    diesel::insert_into(tenants::table)
        .values(TenantRow::from(&tenant))
        .execute(conn)?;
    Ok(tenant)
}

/// A tenant in the caller's scope.
pub fn get_tenant(
    conn: &mut DbConnection,
    scope: &TenantScope,
    id: &TenantId,
) -> StorageResult<Tenant> {
    Ok(tenants::table
        .filter(tenants::id.eq(id.as_str()))
        .filter(tenants::path.like(scope.like()))
        .select(TenantRow::as_select())
        .first(conn)
        .map(Tenant::from)?)
}

/// A tenant by id regardless of scope (bootstrap CLI and authentication only).
pub fn find_tenant_unscoped(
    conn: &mut DbConnection,
    id: &TenantId,
) -> StorageResult<Option<Tenant>> {
    Ok(tenants::table
        .filter(tenants::id.eq(id.as_str()))
        .select(TenantRow::as_select())
        .first(conn)
        .optional()?
        .map(Tenant::from))
}

/// Where a tenant is in [`list_tenants`]' order: depth, then creation time, then id.
pub fn tenant_sort_key(t: &Tenant) -> (i64, i64, String) {
    let depth = i64::try_from(t.path.matches('/').count()).unwrap_or(i64::MAX);
    (depth, t.created_at, t.id.as_str().to_string())
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
        .select(TenantRow::as_select())
        .load(conn)?
        .into_iter()
        .map(Tenant::from)
        .collect();
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
    id: &TenantId,
    name: &str,
) -> StorageResult<Tenant> {
    get_tenant(conn, scope, id)?;
    diesel::update(tenants::table.filter(tenants::id.eq(id.as_str())))
        .set(tenants::name.eq(name))
        .execute(conn)?;
    get_tenant(conn, scope, id)
}

/// Deletes a descendant tenant that has no children and no domains, with its keys.
pub fn delete_tenant(
    conn: &mut DbConnection,
    scope: &TenantScope,
    id: &TenantId,
) -> StorageResult<()> {
    let tenant = get_tenant(conn, scope, id)?;
    let id = id.as_str();
    if tenant.id == scope.tenant_id {
        return Err(StorageError::Conflict(
            "a tenant cannot delete itself".into(),
        ));
    }
    write_transaction(conn, |conn| {
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
