//! Tenant branding: each tenant's own brand (`tenant_branding`), and the nearest branded
//! ancestor of a tenant, found in one query over the ancestors its materialized path names.
//!
//! Invariants:
//! - A row holds a complete [`Branding`] whose logo was checked at the boundary
//!   ([`crate::domain::logo`]); a row that no longer reads as one (a format or colour the
//!   code does not know) is an error, never silently replaced.
//! - Scoped functions take the caller's [`TenantScope`] first and answer
//!   [`StorageError::NotFound`] for a tenant outside it. [`find_nearest_branding`] is
//!   unscoped: it reads a tenant's ancestors, which the caller may not see, for the brand its
//!   documents carry (callers check the scope of the tenant first).
//!
//! Must not depend on `services` or `api`.

use super::schema::tenant_branding;
use super::{DbConnection, StorageError, StorageResult, TenantScope, now};
use crate::domain::branding::{Branding, Color, Language, Logo, LogoFormat};
use crate::domain::ids::TenantId;
use diesel::prelude::*;

#[derive(Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = tenant_branding)]
#[diesel(treat_none_as_null = true)]
struct BrandingRow {
    tenant_id: String,
    display_name: String,
    logo_format: Option<String>,
    logo: Option<Vec<u8>>,
    primary_color: String,
    accent_color: String,
    footer_text: Option<String>,
    support_contact: Option<String>,
    language: String,
    updated_at: i64,
}

fn format_name(format: LogoFormat) -> &'static str {
    match format {
        LogoFormat::Png => "png",
        LogoFormat::Svg => "svg",
    }
}

impl BrandingRow {
    fn new(tenant: &TenantId, b: &Branding) -> BrandingRow {
        BrandingRow {
            tenant_id: tenant.as_str().to_string(),
            display_name: b.display_name.clone(),
            logo_format: b.logo.as_ref().map(|l| format_name(l.format).to_string()),
            logo: b.logo.as_ref().map(|l| l.bytes.clone()),
            primary_color: b.primary_color.to_string(),
            accent_color: b.accent_color.to_string(),
            footer_text: b.footer_text.clone(),
            support_contact: b.support_contact.clone(),
            language: b.language.code().to_string(),
            updated_at: now(),
        }
    }

    fn into_branding(self) -> StorageResult<(TenantId, Branding, i64)> {
        let corrupt = |what: String| {
            StorageError::Other(anyhow::anyhow!(
                "tenant_branding of {}: {what}",
                self.tenant_id
            ))
        };
        let logo = match (self.logo_format.as_deref(), &self.logo) {
            (None, None) => None,
            (Some("png"), Some(bytes)) => Some(Logo {
                format: LogoFormat::Png,
                bytes: bytes.clone(),
            }),
            (Some("svg"), Some(bytes)) => Some(Logo {
                format: LogoFormat::Svg,
                bytes: bytes.clone(),
            }),
            (format, _) => return Err(corrupt(format!("unreadable logo (format {format:?})"))),
        };
        let color = |s: &str| s.parse::<Color>().map_err(|e| corrupt(e.to_string()));
        let branding = Branding {
            primary_color: color(&self.primary_color)?,
            accent_color: color(&self.accent_color)?,
            language: self
                .language
                .parse::<Language>()
                .map_err(|e| corrupt(e.to_string()))?,
            logo,
            display_name: self.display_name,
            footer_text: self.footer_text,
            support_contact: self.support_contact,
        };
        Ok((self.tenant_id.into(), branding, self.updated_at))
    }
}

/// A tenant's own brand, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnBranding {
    pub tenant_id: TenantId,
    pub branding: Branding,
    /// Unix time of the last change.
    pub updated_at: i64,
}

/// The brand a tenant in the caller's scope set itself, if any.
#[tracing::instrument(skip_all, fields(tenant_id = %scope.tenant_id))]
pub fn find_own_branding(
    conn: &mut DbConnection,
    scope: &TenantScope,
    tenant: &TenantId,
) -> StorageResult<Option<OwnBranding>> {
    super::tenants::get_tenant(conn, scope, tenant)?;
    tenant_branding::table
        .find(tenant.as_str())
        .select(BrandingRow::as_select())
        .first(conn)
        .optional()?
        .map(|row| {
            row.into_branding()
                .map(|(tenant_id, branding, updated_at)| OwnBranding {
                    tenant_id,
                    branding,
                    updated_at,
                })
        })
        .transpose()
}

/// Sets (creates or replaces) the brand of a tenant in the caller's scope.
#[tracing::instrument(skip_all, fields(tenant_id = %scope.tenant_id))]
pub fn upsert_branding(
    conn: &mut DbConnection,
    scope: &TenantScope,
    tenant: &TenantId,
    branding: &Branding,
) -> StorageResult<()> {
    super::tenants::get_tenant(conn, scope, tenant)?;
    let row = BrandingRow::new(tenant, branding);
    match conn {
        DbConnection::Pg(pg) => diesel::insert_into(tenant_branding::table)
            .values(&row)
            .on_conflict(tenant_branding::tenant_id)
            .do_update()
            .set(&row)
            .execute(pg)?,
        DbConnection::Sqlite(lite) => diesel::insert_into(tenant_branding::table)
            .values(&row)
            .on_conflict(tenant_branding::tenant_id)
            .do_update()
            .set(&row)
            .execute(lite)?,
    };
    Ok(())
}

/// Removes the brand of a tenant in the caller's scope (it inherits again); `false` when it
/// had none.
#[tracing::instrument(skip_all, fields(tenant_id = %scope.tenant_id))]
pub fn delete_branding(
    conn: &mut DbConnection,
    scope: &TenantScope,
    tenant: &TenantId,
) -> StorageResult<bool> {
    super::tenants::get_tenant(conn, scope, tenant)?;
    let deleted = diesel::delete(tenant_branding::table.find(tenant.as_str())).execute(conn)?;
    Ok(deleted > 0)
}

/// The tenant ids a materialized path (`/root/…/tenant/`) names, root first.
pub fn path_ancestors(path: &str) -> Vec<&str> {
    path.split('/').filter(|s| !s.is_empty()).collect()
}

/// The brand of the deepest tenant on `path` (the tenant itself included) that has one, with
/// that tenant's id: one query by primary key over the path's tenants. Unscoped (see the
/// module's header).
#[tracing::instrument(skip_all)]
pub fn find_nearest_branding(
    conn: &mut DbConnection,
    path: &str,
) -> StorageResult<Option<OwnBranding>> {
    let ancestors = path_ancestors(path);
    let rows: Vec<BrandingRow> = tenant_branding::table
        .filter(tenant_branding::tenant_id.eq_any(&ancestors))
        .select(BrandingRow::as_select())
        .load(conn)?;
    let depth = |row: &BrandingRow| ancestors.iter().position(|a| *a == row.tenant_id);
    rows.into_iter()
        .max_by_key(depth)
        .map(|row| {
            row.into_branding()
                .map(|(tenant_id, branding, updated_at)| OwnBranding {
                    tenant_id,
                    branding,
                    updated_at,
                })
        })
        .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_names_its_tenants_root_first() {
        assert_eq!(path_ancestors("/a/b/c/"), vec!["a", "b", "c"]);
        assert!(path_ancestors("").is_empty());
    }
}
