//! Report addresses of the mail intake: `<token>@<mail domain>`, one per tenant and, on
//! demand, one per registered domain; and the tenant setting `auto_register_domains`.
//!
//! A token is 24 characters of lower-case base32 (`a-z`, `2-7`: 120 random bits), unique
//! across tenant and domain addresses (the table's primary key), so one lookup by token names
//! the tenant and, for a domain address, the domain. The token is the only thing that routes
//! mail to a tenant, so [`find_address`] is not scoped: the recipient address is the
//! credential, like the RFC 8460 receiver's token. Rotating replaces the row: the old
//! address stops working at once.
//!
//! A tenant's address is created the first time it is asked for ([`tenant_address`]), so
//! tenants created before this table, or by any path, get one without a backfill.

use super::schema::{domains, intake_addresses, tenants};
use super::tenants::get_tenant;
use super::{DbConnection, StorageError, StorageResult, TenantScope, now};
use crate::domain::ids::{DomainId, TenantId};
use crate::storage::write_transaction;
use diesel::prelude::*;
use rand::Rng;

/// Length of a report address token.
pub const TOKEN_LEN: usize = 24;

const TOKEN_ALPHABET: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";

/// A fresh unguessable token (lower-case base32).
pub fn new_token() -> String {
    let mut rng = rand::rng();
    (0..TOKEN_LEN)
        .map(|_| char::from(TOKEN_ALPHABET[rng.random_range(0..TOKEN_ALPHABET.len())]))
        .collect()
}

/// Whether `text` has the shape of a token (cheap check before a lookup).
pub fn looks_like_token(text: &str) -> bool {
    text.len() == TOKEN_LEN && text.bytes().all(|b| TOKEN_ALPHABET.contains(&b))
}

/// One report address row.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = intake_addresses)]
struct AddressRow {
    token: String,
    tenant_id: String,
    domain_id: Option<String>,
    created_at: i64,
}

/// Whom a report address names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntakeAddress {
    pub token: String,
    pub tenant_id: TenantId,
    /// Set for a domain's own address.
    pub domain_id: Option<DomainId>,
}

impl From<AddressRow> for IntakeAddress {
    fn from(row: AddressRow) -> Self {
        IntakeAddress {
            token: row.token,
            tenant_id: TenantId::from(row.tenant_id),
            domain_id: row.domain_id.map(DomainId::from),
        }
    }
}

/// The address whose token is `token`, whoever owns it (mail routing; the token is the
/// credential).
pub fn find_address(conn: &mut DbConnection, token: &str) -> StorageResult<Option<IntakeAddress>> {
    Ok(intake_addresses::table
        .filter(intake_addresses::token.eq(token))
        .select(AddressRow::as_select())
        .first(conn)
        .optional()?
        .map(IntakeAddress::from))
}

/// [`find_address`] with the materialized path of the address's tenant, in one query (mail
/// routing looks this up for every recipient).
pub fn find_address_with_path(
    conn: &mut DbConnection,
    token: &str,
) -> StorageResult<Option<(IntakeAddress, String)>> {
    Ok(intake_addresses::table
        .inner_join(tenants::table.on(tenants::id.eq(intake_addresses::tenant_id)))
        .filter(intake_addresses::token.eq(token))
        .select((AddressRow::as_select(), tenants::path))
        .first::<(AddressRow, String)>(conn)
        .optional()?
        .map(|(row, path)| (IntakeAddress::from(row), path)))
}

fn find_tenant_token(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
) -> StorageResult<Option<String>> {
    Ok(intake_addresses::table
        .filter(intake_addresses::tenant_id.eq(tenant_id.as_str()))
        .filter(intake_addresses::domain_id.is_null())
        .select(intake_addresses::token)
        .first(conn)
        .optional()?)
}

fn insert_address(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    domain_id: Option<&DomainId>,
) -> StorageResult<String> {
    let token = new_token();
    diesel::insert_into(intake_addresses::table)
        .values(AddressRow {
            token: token.clone(),
            tenant_id: tenant_id.as_str().to_string(),
            domain_id: domain_id.map(|d| d.as_str().to_string()),
            created_at: now(),
        })
        .execute(conn)?;
    Ok(token)
}

/// The token of `tenant_id`'s report address (in scope), created on first use. Two callers
/// creating it at once both get the one that was stored.
pub fn tenant_address(
    conn: &mut DbConnection,
    scope: &TenantScope,
    tenant_id: &TenantId,
) -> StorageResult<String> {
    get_tenant(conn, scope, tenant_id)?;
    if let Some(token) = find_tenant_token(conn, tenant_id)? {
        return Ok(token);
    }
    match insert_address(conn, tenant_id, None) {
        Ok(token) => Ok(token),
        Err(StorageError::UniqueViolation(_)) => find_tenant_token(conn, tenant_id)?
            .ok_or_else(|| StorageError::Other(anyhow::anyhow!("report address vanished"))),
        Err(e) => Err(e),
    }
}

/// Replaces `tenant_id`'s report address (in scope) with a new one; the old one stops
/// working at once.
pub fn rotate_tenant_address(
    conn: &mut DbConnection,
    scope: &TenantScope,
    tenant_id: &TenantId,
) -> StorageResult<String> {
    get_tenant(conn, scope, tenant_id)?;
    write_transaction(conn, |conn| {
        diesel::delete(
            intake_addresses::table
                .filter(intake_addresses::tenant_id.eq(tenant_id.as_str()))
                .filter(intake_addresses::domain_id.is_null()),
        )
        .execute(conn)?;
        insert_address(conn, tenant_id, None)
    })
}

/// The token of a domain's own report address, if it has one. The caller has checked that
/// the domain is in its scope.
pub fn domain_address(conn: &mut DbConnection, domain: &DomainId) -> StorageResult<Option<String>> {
    Ok(intake_addresses::table
        .filter(intake_addresses::domain_id.eq(domain.as_str()))
        .select(intake_addresses::token)
        .first(conn)
        .optional()?)
}

/// Gives a domain (of `tenant_id`, checked by the caller to be in scope) a new address of its
/// own, replacing the one it had.
pub fn rotate_domain_address(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    domain: &DomainId,
) -> StorageResult<String> {
    write_transaction(conn, |conn| {
        diesel::delete(
            intake_addresses::table.filter(intake_addresses::domain_id.eq(domain.as_str())),
        )
        .execute(conn)?;
        insert_address(conn, tenant_id, Some(domain))
    })
}

/// A tenant's `auto_register_domains`: its own value (`None`: inherited) and the effective
/// one, the nearest value set on the way up the tree (false when none is).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AutoRegisterSetting {
    pub own: Option<bool>,
    pub effective: bool,
}

/// [`AutoRegisterSetting`] of a tenant, whoever owns it (mail routing has no caller; the API
/// checks the scope first with [`get_tenant`]).
pub fn auto_register_setting(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
) -> StorageResult<AutoRegisterSetting> {
    let path: String = tenants::table
        .filter(tenants::id.eq(tenant_id.as_str()))
        .select(tenants::path)
        .first(conn)?;
    auto_register_setting_at(conn, tenant_id, &path)
}

/// [`auto_register_setting`] of the tenant whose materialized path is `path` (known already:
/// one query fewer).
pub fn auto_register_setting_at(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    path: &str,
) -> StorageResult<AutoRegisterSetting> {
    let ancestry: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let values: Vec<(String, Option<bool>)> = tenants::table
        .filter(tenants::id.eq_any(&ancestry))
        .select((tenants::id, tenants::auto_register_domains))
        .load(conn)?;
    let value_of = |id: &str| values.iter().find(|(i, _)| i == id).and_then(|(_, v)| *v);
    let own = value_of(tenant_id.as_str());
    let effective = ancestry
        .iter()
        .rev()
        .find_map(|id| value_of(id))
        .unwrap_or(false);
    Ok(AutoRegisterSetting { own, effective })
}

/// Sets (or, with `None`, clears to inherit) `tenant_id`'s `auto_register_domains`.
pub fn set_auto_register(
    conn: &mut DbConnection,
    scope: &TenantScope,
    tenant_id: &TenantId,
    value: Option<bool>,
) -> StorageResult<AutoRegisterSetting> {
    get_tenant(conn, scope, tenant_id)?;
    diesel::update(tenants::table.filter(tenants::id.eq(tenant_id.as_str())))
        .set(tenants::auto_register_domains.eq(value))
        .execute(conn)?;
    auto_register_setting(conn, tenant_id)
}

/// The registered domain of `tenant_id` itself (not of its descendants) that a report about
/// `policy_domain` belongs to: the name itself, else its nearest registered parent.
pub fn find_own_domain_for(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    policy_domain: &str,
) -> StorageResult<Option<super::domains::Domain>> {
    use crate::domain::domain_name::DomainName;
    let Ok(name) = DomainName::parse(policy_domain) else {
        return Ok(None);
    };
    let candidates = name.self_and_parents();
    let mut found: Vec<super::domains::Domain> = domains::table
        .filter(domains::tenant_id.eq(tenant_id.as_str()))
        .filter(domains::name.eq_any(&candidates))
        .filter(domains::deleting_since.is_null())
        .select(super::domains::Domain::as_select())
        .load(conn)?;
    // The longest name is the nearest.
    found.sort_by_key(|d| std::cmp::Reverse(d.name.len()));
    Ok(found.into_iter().next())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_token_has_the_token_shape_and_differs_each_time() {
        let a = new_token();
        let b = new_token();
        assert!(looks_like_token(&a), "{a}");
        assert_ne!(a, b);
    }

    #[test]
    fn upper_case_or_short_text_is_not_a_token() {
        assert!(!looks_like_token("ABCDEFGHIJKLMNOPQRSTUVWX"));
        assert!(!looks_like_token("abc"));
        assert!(!looks_like_token("abcdefghijklmnopqrstuvw1"));
    }
}
