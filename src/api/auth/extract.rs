//! The `Caller` extractor: present in a handler's signature means the endpoint needs a valid
//! API key or JWT.

use super::claims::AuthKeys;
use crate::api::error::ApiError;
use crate::domain::ids::ApiKeyId;
use crate::domain::tenant::Role;
use crate::storage::keys::{KEY_PREFIX, find_api_key_by_secret, find_live_token};
use crate::storage::tenants::find_tenant_unscoped;
use crate::storage::{Db, TenantScope};
use actix_web::{FromRequest, HttpRequest, dev::Payload, web};
use std::future::Future;
use std::pin::Pin;

/// Who is calling: a tenant scope, a role and the key behind it.
#[derive(Debug, Clone)]
pub struct Caller {
    pub scope: TenantScope,
    pub role: Role,
    /// The API key used, or that minted the JWT used.
    pub key_id: ApiKeyId,
    /// True when authenticated with a JWT rather than an API key.
    pub via_token: bool,
}

impl Caller {
    /// 403 unless the caller's role is at least `role`.
    pub fn require(&self, role: Role) -> Result<(), ApiError> {
        if self.role >= role {
            Ok(())
        } else {
            Err(ApiError::Forbidden(format!(
                "this operation needs the {} role; the credentials have {}",
                role.as_str(),
                self.role.as_str()
            )))
        }
    }
}

fn bearer(req: &HttpRequest) -> Result<String, ApiError> {
    let header = req
        .headers()
        .get(actix_web::http::header::AUTHORIZATION)
        .ok_or_else(|| ApiError::Unauthenticated("missing Authorization: Bearer header".into()))?;
    let value = header
        .to_str()
        .map_err(|_| ApiError::Unauthenticated("malformed Authorization header".into()))?;
    let (scheme, token) = value.split_once(' ').ok_or_else(|| {
        ApiError::Unauthenticated("Authorization must be 'Bearer <token>'".into())
    })?;
    if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
        return Err(ApiError::Unauthenticated(
            "Authorization must be 'Bearer <token>'".into(),
        ));
    }
    Ok(token.trim().to_string())
}

/// Who a credential is: an API key (`ruad_…`) or a JWT, checked as every request's is. The
/// `ruad mcp` command resolves its key through this too, so it gets exactly the scope the
/// HTTP API would give the same key.
pub fn authenticate(db: &Db, keys: &AuthKeys, token: &str) -> Result<Caller, ApiError> {
    let invalid = || ApiError::Unauthenticated("invalid or revoked credentials".into());
    let mut conn = db.conn()?;
    let (tenant_id, role, key_id, via_token) = if token.starts_with(KEY_PREFIX) {
        let key = find_api_key_by_secret(&mut conn, token)?.ok_or_else(invalid)?;
        let role = Role::parse(&key.role).ok_or_else(invalid)?;
        (key.tenant_id, role, key.id, false)
    } else {
        let claims = keys.verify(token).map_err(|e| {
            tracing::debug!(error = %e, "token refused");
            invalid()
        })?;
        let live = find_live_token(&mut conn, &claims.jti)?.ok_or_else(invalid)?;
        if live.tenant_id != claims.tid || live.api_key_id.as_ref() != Some(&claims.sub) {
            return Err(invalid());
        }
        (claims.tid, claims.role, claims.sub, true)
    };
    let tenant = find_tenant_unscoped(&mut conn, &tenant_id)?.ok_or_else(invalid)?;
    Ok(Caller {
        scope: tenant.scope(),
        role,
        key_id,
        via_token,
    })
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Caller, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let token = bearer(req);
        let state = req.app_data::<web::Data<crate::api::AppState>>().cloned();
        Box::pin(async move {
            let token = token?;
            let state = state
                .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("application state missing")))?;
            crate::api::blocking(move || authenticate(&state.db, &state.keys, &token)).await
        })
    }
}
