//! The brand a tenant's documents and digests carry: its own, else its nearest branded
//! ancestor's whole brand, else ruad's built-in [`Branding::ruad`].
//!
//! Invariants:
//! - [`effective`] costs two primary-key reads (the tenant's path, then the branding rows of
//!   the tenants on it), whatever the depth of the tree or the number of tenants.
//! - Brands are never merged field by field: a tenant that sets its own brand replaces its
//!   ancestor's entirely, so a customer's documents never mix two brands.

use crate::domain::branding::Branding;
use crate::domain::ids::TenantId;
use crate::storage::branding::{self, OwnBranding};
use crate::storage::tenants;
use crate::storage::{DbConnection, StorageError, StorageResult, TenantScope};

/// A tenant's effective brand and where it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Effective {
    pub branding: Branding,
    /// The tenant whose own brand this is (the tenant itself when `own`); `None` for ruad's
    /// built-in brand.
    pub source: Option<TenantId>,
    /// The tenant set this brand itself.
    pub own: bool,
    /// Unix time of the last change of the brand used; `None` for the built-in one.
    pub updated_at: Option<i64>,
}

fn from_nearest(tenant: &TenantId, nearest: Option<OwnBranding>) -> Effective {
    match nearest {
        Some(found) => Effective {
            own: &found.tenant_id == tenant,
            source: Some(found.tenant_id),
            branding: found.branding,
            updated_at: Some(found.updated_at),
        },
        None => Effective {
            branding: Branding::ruad(),
            source: None,
            own: false,
            updated_at: None,
        },
    }
}

/// The effective brand of a tenant in the caller's scope, with where it comes from (the
/// ancestor may be above the scope: its brand is what the tenant's readers see anyway).
pub fn resolve(
    conn: &mut DbConnection,
    scope: &TenantScope,
    tenant: &TenantId,
) -> StorageResult<Effective> {
    let t = tenants::get_tenant(conn, scope, tenant)?;
    let nearest = branding::find_nearest_branding(conn, &t.path)?;
    Ok(from_nearest(tenant, nearest))
}

/// The brand documents and digests of `tenant` carry. The caller has already checked that
/// the tenant is its own to render for (a document's domain, a digest's owner).
pub fn effective(conn: &mut DbConnection, tenant: &TenantId) -> StorageResult<Branding> {
    let t = tenants::find_tenant_unscoped(conn, tenant)?.ok_or(StorageError::NotFound)?;
    let nearest = branding::find_nearest_branding(conn, &t.path)?;
    Ok(from_nearest(tenant, nearest).branding)
}
