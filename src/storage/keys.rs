//! API keys (random, shown once, stored as SHA-256) and the register of issued JWTs.

use super::schema::{api_keys, issued_tokens};
use super::tenants::get_tenant;
use super::{DbConnection, StorageResult, TenantScope, now};
use crate::domain::ids::{ApiKeyId, TenantId};
use crate::domain::tenant::Role;
use crate::storage::write_transaction;
use base64::Engine;
use diesel::prelude::*;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// Every API key starts with this, so a bearer token is told apart from a JWT at a glance.
pub const KEY_PREFIX: &str = "ruad_";

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = api_keys)]
pub struct ApiKey {
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub id: ApiKeyId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub tenant_id: TenantId,
    pub name: String,
    pub role: String,
    pub key_hash: String,
    pub prefix: String,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
}

pub fn hash_secret(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Creates a key for `tenant_id` (in scope); returns it with the secret, shown only now.
#[tracing::instrument(skip_all, fields(tenant_id = %scope.tenant_id))]
pub fn insert_api_key(
    conn: &mut DbConnection,
    scope: &TenantScope,
    tenant_id: &TenantId,
    name: &str,
    role: Role,
) -> StorageResult<(ApiKey, String)> {
    get_tenant(conn, scope, tenant_id)?;
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let secret = format!(
        "{KEY_PREFIX}{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    );
    let key = ApiKey {
        id: ApiKeyId::generate(),
        tenant_id: tenant_id.clone(),
        name: name.to_string(),
        role: role.as_str().to_string(),
        key_hash: hash_secret(&secret),
        prefix: secret.chars().take(12).collect(),
        created_at: now(),
        revoked_at: None,
    };
    diesel::insert_into(api_keys::table)
        .values(key.clone())
        .execute(conn)?;
    Ok((key, secret))
}

/// The live key with this secret.
pub fn find_api_key_by_secret(
    conn: &mut DbConnection,
    secret: &str,
) -> StorageResult<Option<ApiKey>> {
    Ok(api_keys::table
        .filter(api_keys::key_hash.eq(hash_secret(secret)))
        .filter(api_keys::revoked_at.is_null())
        .select(ApiKey::as_select())
        .first(conn)
        .optional()?)
}

/// A tenant's keys, oldest first, after `(created_at, id)` (keyset paging), at most `limit`.
pub fn list_api_keys(
    conn: &mut DbConnection,
    scope: &TenantScope,
    tenant_id: &TenantId,
    after: Option<(i64, String)>,
    limit: i64,
) -> StorageResult<Vec<ApiKey>> {
    get_tenant(conn, scope, tenant_id)?;
    let mut query = api_keys::table
        .filter(api_keys::tenant_id.eq(tenant_id.as_str()))
        .select(ApiKey::as_select())
        .order((api_keys::created_at.asc(), api_keys::id.asc()))
        .limit(limit)
        .into_boxed();
    if let Some((created_at, id)) = after {
        query = query.filter(
            api_keys::created_at
                .gt(created_at)
                .or(api_keys::created_at.eq(created_at).and(api_keys::id.gt(id))),
        );
    }
    Ok(query.load(conn)?)
}

/// Revokes a key and every token it minted.
pub fn revoke_api_key(
    conn: &mut DbConnection,
    scope: &TenantScope,
    tenant_id: &TenantId,
    key_id: &ApiKeyId,
) -> StorageResult<ApiKey> {
    get_tenant(conn, scope, tenant_id)?;
    let (tenant_id, key_id) = (tenant_id.as_str(), key_id.as_str());
    let at = now();
    write_transaction(conn, |conn| {
        let key: ApiKey = api_keys::table
            .filter(api_keys::id.eq(key_id))
            .filter(api_keys::tenant_id.eq(tenant_id))
            .select(ApiKey::as_select())
            .first(conn)?;
        diesel::update(
            api_keys::table
                .filter(api_keys::id.eq(key_id))
                .filter(api_keys::revoked_at.is_null()),
        )
        .set(api_keys::revoked_at.eq(at))
        .execute(conn)?;
        diesel::update(
            issued_tokens::table
                .filter(issued_tokens::api_key_id.eq(key_id))
                .filter(issued_tokens::revoked_at.is_null()),
        )
        .set(issued_tokens::revoked_at.eq(at))
        .execute(conn)?;
        Ok(ApiKey {
            revoked_at: key.revoked_at.or(Some(at)),
            ..key
        })
    })
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedToken {
    pub jti: String,
    pub tenant_id: TenantId,
    pub api_key_id: Option<ApiKeyId>,
    pub role: String,
    pub issued_at: i64,
    pub expires_at: i64,
    pub revoked_at: Option<i64>,
}

/// The row as diesel reads and writes it (an optional id cannot be converted by
/// `deserialize_as`, so the ids are converted here).
#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = issued_tokens)]
struct IssuedTokenRow {
    jti: String,
    tenant_id: String,
    api_key_id: Option<String>,
    role: String,
    issued_at: i64,
    expires_at: i64,
    revoked_at: Option<i64>,
}

impl From<IssuedTokenRow> for IssuedToken {
    fn from(row: IssuedTokenRow) -> IssuedToken {
        IssuedToken {
            jti: row.jti,
            tenant_id: row.tenant_id.into(),
            api_key_id: row.api_key_id.map(ApiKeyId::from),
            role: row.role,
            issued_at: row.issued_at,
            expires_at: row.expires_at,
            revoked_at: row.revoked_at,
        }
    }
}

impl From<&IssuedToken> for IssuedTokenRow {
    fn from(t: &IssuedToken) -> IssuedTokenRow {
        IssuedTokenRow {
            jti: t.jti.clone(),
            tenant_id: t.tenant_id.as_str().to_string(),
            api_key_id: t.api_key_id.as_ref().map(|k| k.as_str().to_string()),
            role: t.role.clone(),
            issued_at: t.issued_at,
            expires_at: t.expires_at,
            revoked_at: t.revoked_at,
        }
    }
}

pub fn insert_issued_token(conn: &mut DbConnection, token: &IssuedToken) -> StorageResult<()> {
    // Expired entries are of no use any more; drop them as new ones arrive.
    diesel::delete(issued_tokens::table.filter(issued_tokens::expires_at.lt(now() - 86_400)))
        .execute(conn)?;
    diesel::insert_into(issued_tokens::table)
        .values(IssuedTokenRow::from(token))
        .execute(conn)?;
    Ok(())
}

/// A registered, unrevoked token.
pub fn find_live_token(conn: &mut DbConnection, jti: &str) -> StorageResult<Option<IssuedToken>> {
    Ok(issued_tokens::table
        .filter(issued_tokens::jti.eq(jti))
        .filter(issued_tokens::revoked_at.is_null())
        .select(IssuedTokenRow::as_select())
        .first(conn)
        .optional()?
        .map(IssuedToken::from))
}
