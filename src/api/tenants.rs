//! Tenants (a tree under the caller's tenant) and their API keys.

use crate::api::AppState;
use crate::api::auth::Caller;
use crate::api::blocking;
use crate::api::error::{ApiError, Problem};
use crate::api::pagination::{self, PageQuery};
use crate::api::problems::{AdminRequired, NotFound};
use crate::domain::ids::{ApiKeyId, TenantId};
use crate::domain::tenant::Role;
use crate::storage::keys::{self, ApiKey};
use crate::storage::tenants::{self, Tenant};
use actix_web::{HttpResponse, delete, get, patch, post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A tenant: the operator, a reseller/MSSP or a customer.
#[derive(Serialize, ToSchema)]
pub struct TenantResponse {
    #[schema(value_type = String)]
    pub id: TenantId,
    /// Parent tenant; absent for a root tenant.
    #[schema(value_type = Option<String>)]
    pub parent_id: Option<TenantId>,
    pub name: String,
    /// Unix time of creation.
    pub created_at: i64,
}

impl From<Tenant> for TenantResponse {
    fn from(t: Tenant) -> Self {
        TenantResponse {
            id: t.id,
            parent_id: t.parent_id,
            name: t.name,
            created_at: t.created_at,
        }
    }
}

/// A page of the caller's tenant and its descendants, shallowest first.
#[derive(Serialize, ToSchema)]
pub struct TenantListResponse {
    pub items: Vec<TenantResponse>,
    /// Pass as `cursor` to get the next page; `null` on the last page (always present).(always present).
    pub next_cursor: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateTenantRequest {
    /// Display name.
    #[schema(example = "Customer A")]
    pub name: String,
    /// Parent tenant (default: the caller's tenant); must be in the caller's subtree.
    #[schema(value_type = Option<String>)]
    pub parent_id: Option<TenantId>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateTenantRequest {
    /// New display name.
    pub name: String,
}

/// The name of a key created without one, in the API as in the CLI.
pub const DEFAULT_KEY_NAME: &str = "api key";

fn valid_name(name: &str) -> Result<String, ApiError> {
    let name = name.trim();
    if name.is_empty() || name.len() > 200 {
        return Err(ApiError::Validation(
            "name must have 1 to 200 characters".into(),
        ));
    }
    Ok(name.to_string())
}

/// Create a tenant below the caller's tenant.
#[utoipa::path(tag = "tenants", security(("bearer" = [])), request_body = CreateTenantRequest, responses(
    (status = 201, description = "Created", body = TenantResponse),
    (status = 403, response = AdminRequired),
    (status = 404, description = "Parent not found", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "Invalid name", body = Problem, content_type = "application/problem+json"),
))]
#[post("/tenants")]
pub async fn create_tenant(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<CreateTenantRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Role::Admin)?;
    let name = valid_name(&body.name)?;
    let parent = body
        .parent_id
        .clone()
        .unwrap_or_else(|| caller.scope.tenant_id.clone());
    let tenant = blocking(move || {
        Ok(state
            .db
            .write(|conn| tenants::insert_tenant(conn, &caller.scope, &parent, &name))?)
    })
    .await?;
    Ok(HttpResponse::Created().json(TenantResponse::from(tenant)))
}

/// List the caller's tenant and every tenant below it, shallowest first.
#[utoipa::path(tag = "tenants", security(("bearer" = [])), params(PageQuery), responses(
    (status = 200, description = "A page of tenants", body = TenantListResponse),
))]
#[get("/tenants")]
pub async fn list_tenants(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<PageQuery>,
) -> Result<web::Json<TenantListResponse>, ApiError> {
    let limit = query.limit()?;
    let after = pagination::two_number_cursor(query.cursor.as_deref())?;
    let rows = blocking(move || {
        Ok(state
            .db
            .read(|conn| tenants::list_tenants(conn, &caller.scope, after, limit + 1))?)
    })
    .await?;
    let (rows, next_cursor) = pagination::page(rows, limit, |t| {
        let (depth, created_at, id) = tenants::tenant_sort_key(t);
        format!("{depth}:{created_at}:{id}")
    });
    Ok(web::Json(TenantListResponse {
        items: rows.into_iter().map(Into::into).collect(),
        next_cursor,
    }))
}

/// Get a tenant.
#[utoipa::path(tag = "tenants", security(("bearer" = [])), params(("tenant_id" = String, Path, description = "Tenant id")), responses(
    (status = 200, description = "The tenant", body = TenantResponse),
    (status = 404, response = NotFound),
))]
#[get("/tenants/{tenant_id}")]
pub async fn get_tenant(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<TenantId>,
) -> Result<web::Json<TenantResponse>, ApiError> {
    let id = path.into_inner();
    let tenant = blocking(move || {
        Ok(state
            .db
            .read(|conn| tenants::get_tenant(conn, &caller.scope, &id))?)
    })
    .await?;
    Ok(web::Json(tenant.into()))
}

/// Rename a tenant.
#[utoipa::path(tag = "tenants", security(("bearer" = [])), params(("tenant_id" = String, Path, description = "Tenant id")), request_body = UpdateTenantRequest, responses(
    (status = 200, description = "Updated", body = TenantResponse),
    (status = 403, response = AdminRequired),
    (status = 404, response = NotFound),
    (status = 422, description = "Invalid name", body = Problem, content_type = "application/problem+json"),
))]
#[patch("/tenants/{tenant_id}")]
pub async fn update_tenant(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<TenantId>,
    body: web::Json<UpdateTenantRequest>,
) -> Result<web::Json<TenantResponse>, ApiError> {
    caller.require(Role::Admin)?;
    let name = valid_name(&body.name)?;
    let id = path.into_inner();
    let tenant = blocking(move || {
        Ok(state
            .db
            .write(|conn| tenants::update_tenant(conn, &caller.scope, &id, &name))?)
    })
    .await?;
    Ok(web::Json(tenant.into()))
}

/// Delete a tenant below the caller's (it must have no child tenants and no domains).
#[utoipa::path(tag = "tenants", security(("bearer" = [])), params(("tenant_id" = String, Path, description = "Tenant id")), responses(
    (status = 204, description = "Deleted"),
    (status = 403, response = AdminRequired),
    (status = 404, response = NotFound),
    (status = 409, description = "Has children or domains, or is the caller's own tenant", body = Problem, content_type = "application/problem+json"),
))]
#[delete("/tenants/{tenant_id}")]
pub async fn delete_tenant(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<TenantId>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Role::Admin)?;
    let id = path.into_inner();
    blocking(move || {
        Ok(state
            .db
            .write(|conn| tenants::delete_tenant(conn, &caller.scope, &id))?)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// An API key (the secret is only in the creation response).
#[derive(Serialize, ToSchema)]
pub struct ApiKeyResponse {
    #[schema(value_type = String)]
    pub id: ApiKeyId,
    #[schema(value_type = String)]
    pub tenant_id: TenantId,
    pub name: String,
    pub role: Role,
    /// First characters of the key, to recognize it.
    #[schema(example = "ruad_Xk3vQ9")]
    pub prefix: String,
    pub created_at: i64,
    /// Unix time of revocation, if revoked.
    pub revoked_at: Option<i64>,
}

impl From<ApiKey> for ApiKeyResponse {
    fn from(k: ApiKey) -> Self {
        ApiKeyResponse {
            role: Role::parse(&k.role).unwrap_or(Role::Reader),
            id: k.id,
            tenant_id: k.tenant_id,
            name: k.name,
            prefix: k.prefix,
            created_at: k.created_at,
            revoked_at: k.revoked_at,
        }
    }
}

/// A new API key with its secret, shown only once.
#[derive(Serialize, ToSchema)]
pub struct CreatedApiKeyResponse {
    #[serde(flatten)]
    pub api_key: ApiKeyResponse,
    /// The secret key: send it as `Authorization: Bearer <key>`. Not retrievable later.
    pub key: String,
}

/// A page of a tenant's API keys, oldest first.
#[derive(Serialize, ToSchema)]
pub struct ApiKeyListResponse {
    pub items: Vec<ApiKeyResponse>,
    /// Pass as `cursor` to get the next page; `null` on the last page (always present).(always present).
    pub next_cursor: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateApiKeyRequest {
    /// What the key is for (default `api key`, as `ruad admin create-api-key` without
    /// `--name`).
    #[schema(example = "ingest script")]
    pub name: Option<String>,
    /// At most the caller's own role.
    pub role: Role,
}

/// Create an API key for a tenant.
#[utoipa::path(tag = "tenants", security(("bearer" = [])), params(("tenant_id" = String, Path, description = "Tenant id")), request_body = CreateApiKeyRequest, responses(
    (status = 201, description = "Created; the response holds the secret key", body = CreatedApiKeyResponse),
    (status = 403, description = "Needs the admin role, or a role above the caller's", body = Problem, content_type = "application/problem+json"),
    (status = 404, response = NotFound),
    (status = 422, description = "Invalid name", body = Problem, content_type = "application/problem+json"),
))]
#[post("/tenants/{tenant_id}/api-keys")]
pub async fn create_api_key(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<TenantId>,
    body: web::Json<CreateApiKeyRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Role::Admin)?;
    caller.require(body.role)?;
    let name = valid_name(body.name.as_deref().unwrap_or(DEFAULT_KEY_NAME))?;
    let role = body.role;
    let tenant_id = path.into_inner();
    let (key, secret) = blocking(move || {
        Ok(state
            .db
            .write(|conn| keys::insert_api_key(conn, &caller.scope, &tenant_id, &name, role))?)
    })
    .await?;
    Ok(HttpResponse::Created().json(CreatedApiKeyResponse {
        api_key: key.into(),
        key: secret,
    }))
}

/// List a tenant's API keys, oldest first.
#[utoipa::path(tag = "tenants", security(("bearer" = [])), params(("tenant_id" = String, Path, description = "Tenant id"), PageQuery), responses(
    (status = 200, description = "A page of keys", body = ApiKeyListResponse),
    (status = 403, response = AdminRequired),
    (status = 404, response = NotFound),
))]
#[get("/tenants/{tenant_id}/api-keys")]
pub async fn list_api_keys(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<TenantId>,
    query: web::Query<PageQuery>,
) -> Result<web::Json<ApiKeyListResponse>, ApiError> {
    caller.require(Role::Admin)?;
    let limit = query.limit()?;
    let after = pagination::number_cursor(query.cursor.as_deref())?;
    let tenant_id = path.into_inner();
    let rows = blocking(move || {
        Ok(state
            .db
            .read(|conn| keys::list_api_keys(conn, &caller.scope, &tenant_id, after, limit + 1))?)
    })
    .await?;
    let (rows, next_cursor) =
        pagination::page(rows, limit, |k| format!("{}:{}", k.created_at, k.id));
    Ok(web::Json(ApiKeyListResponse {
        items: rows.into_iter().map(Into::into).collect(),
        next_cursor,
    }))
}

/// Revoke an API key and every token minted with it (it stays listed, with `revoked_at`).
#[utoipa::path(tag = "tenants", security(("bearer" = [])), params(("tenant_id" = String, Path, description = "Tenant id"), ("key_id" = String, Path, description = "API key id")), responses(
    (status = 204, description = "Revoked"),
    (status = 403, response = AdminRequired),
    (status = 404, response = NotFound),
))]
#[delete("/tenants/{tenant_id}/api-keys/{key_id}")]
pub async fn revoke_api_key(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(TenantId, ApiKeyId)>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Role::Admin)?;
    let (tenant_id, key_id) = path.into_inner();
    blocking(move || {
        Ok(state
            .db
            .write(|conn| keys::revoke_api_key(conn, &caller.scope, &tenant_id, &key_id))?)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
