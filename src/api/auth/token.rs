//! `POST /auth/token`: exchanges credentials for a short-lived JWT, optionally scoped to a
//! descendant tenant with a narrower role (for embedding in a reseller's customer portal).

use crate::api::AppState;
use crate::api::auth::Caller;
use crate::api::auth::claims::{API_AUDIENCE, Claims, ISSUER};
use crate::api::blocking;
use crate::api::error::{ApiError, Problem};
use crate::domain::ids::TenantId;
use crate::domain::tenant::Role;
use crate::storage::keys::{IssuedToken, insert_issued_token};
use crate::storage::{new_id, now, tenants};
use actix_web::{post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct CreateTokenRequest {
    /// Tenant the token acts for: the caller's own (default) or, for admins, a descendant.
    #[schema(value_type = Option<String>)]
    pub tenant_id: Option<TenantId>,
    /// Role of the token: at most the caller's (default: the caller's).
    pub role: Option<Role>,
    /// Lifetime in seconds (default 3600, at most the server's maximum).
    #[schema(example = 3600)]
    pub ttl_seconds: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct TokenResponse {
    /// The JWT; send it as `Authorization: Bearer <token>`.
    pub token: String,
    #[schema(example = "Bearer")]
    pub token_type: String,
    /// Unix time the token expires.
    pub expires_at: i64,
    #[schema(value_type = String)]
    pub tenant_id: TenantId,
    pub role: Role,
}

/// Exchange an API key (or a token) for a short-lived JWT.
#[utoipa::path(tag = "auth", security(("bearer" = [])), request_body = CreateTokenRequest, responses(
    (status = 200, description = "Token issued", body = TokenResponse),
    (status = 403, description = "Role or tenant not allowed", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "Tenant not found", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "Invalid lifetime", body = Problem, content_type = "application/problem+json"),
))]
#[post("/auth/token")]
pub async fn create_token(
    state: web::Data<AppState>,
    caller: Caller,
    body: Option<web::Json<CreateTokenRequest>>,
) -> Result<web::Json<TokenResponse>, ApiError> {
    let body = body.map(web::Json::into_inner).unwrap_or_default();
    let role = body.role.unwrap_or(caller.role);
    caller.require(role)?;
    let max_ttl = state.settings.jwt_max_ttl_seconds;
    let ttl = body.ttl_seconds.unwrap_or(3600.min(max_ttl));
    if !(60..=max_ttl).contains(&ttl) {
        return Err(ApiError::Validation(format!(
            "ttl_seconds must be between 60 and {max_ttl}"
        )));
    }
    let target = body
        .tenant_id
        .clone()
        .unwrap_or_else(|| caller.scope.tenant_id.clone());
    if target != caller.scope.tenant_id {
        caller.require(Role::Admin)?;
    }
    let response = blocking(move || {
        let tenant = state
            .db
            .read(|conn| tenants::get_tenant(conn, &caller.scope, &target))?;
        let issued_at = now();
        let claims = Claims {
            sub: caller.key_id.clone(),
            tid: tenant.id.clone(),
            role,
            aud: API_AUDIENCE.into(),
            iss: ISSUER.into(),
            iat: issued_at,
            nbf: issued_at,
            exp: issued_at + ttl,
            jti: new_id(),
        };
        state.db.write(|conn| {
            insert_issued_token(
                conn,
                &IssuedToken {
                    jti: claims.jti.clone(),
                    tenant_id: tenant.id.clone(),
                    api_key_id: Some(caller.key_id.clone()),
                    role: role.as_str().into(),
                    issued_at,
                    expires_at: claims.exp,
                    revoked_at: None,
                },
            )
        })?;
        let token = state
            .keys
            .sign(&claims)
            .map_err(|e| ApiError::Internal(anyhow::anyhow!("failed to sign token: {e}")))?;
        Ok(TokenResponse {
            token,
            token_type: "Bearer".into(),
            expires_at: claims.exp,
            tenant_id: tenant.id,
            role,
        })
    })
    .await?;
    Ok(web::Json(response))
}
