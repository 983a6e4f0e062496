//! Registered domains. Reports are accepted only for these.

use crate::api::AppState;
use crate::api::auth::Caller;
use crate::api::blocking;
use crate::api::error::{ApiError, Problem};
use crate::api::pagination::{self, PageQuery};
use crate::api::problems::{AdminRequired, NotFound};
use crate::domain::domain_name::DomainName;
use crate::domain::ids::{DomainId, TenantId};
use crate::domain::tenant::Role;
use crate::storage::domains::{self, Domain};
use actix_web::{HttpResponse, delete, get, post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A registered domain.
#[derive(Serialize, ToSchema)]
pub struct DomainResponse {
    #[schema(value_type = String)]
    pub id: DomainId,
    #[schema(value_type = String)]
    pub tenant_id: TenantId,
    #[schema(example = "example.com")]
    pub name: String,
    /// Secret token of this domain's RFC 8460 HTTPS report receiver. Shown to the writer and
    /// admin roles only: anyone holding it can send TLS reports for the domain.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ingest_token: Option<String>,
    /// Path to publish in the domain's TLS-RPT record as `rua=https://<host><path>` (writer
    /// and admin roles only, like `ingest_token`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "/api/v1/tlsrpt/3q2-7uX…")]
    pub tlsrpt_ingest_path: Option<String>,
    pub created_at: i64,
}

impl DomainResponse {
    /// The domain as a caller of `role` may see it: its ingest token only for writers and
    /// admins.
    pub(crate) fn for_role(d: Domain, role: Role) -> Self {
        let token = (role >= Role::Writer).then_some(d.ingest_token);
        DomainResponse {
            tlsrpt_ingest_path: token.as_ref().map(|t| format!("/api/v1/tlsrpt/{t}")),
            id: d.id,
            tenant_id: d.tenant_id,
            name: d.name,
            ingest_token: token,
            created_at: d.created_at,
        }
    }
}

/// A page of domains, by name.
#[derive(Serialize, ToSchema)]
pub struct DomainListResponse {
    pub items: Vec<DomainResponse>,
    /// Pass as `cursor` to get the next page; `null` on the last page (always present).(always present).
    pub next_cursor: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateDomainRequest {
    /// Fully qualified domain name (internationalized names in `xn--` form).
    #[schema(example = "example.com")]
    pub name: String,
    /// Owning tenant (default: the caller's); must be in the caller's subtree.
    #[schema(value_type = Option<String>)]
    pub tenant_id: Option<TenantId>,
}

/// Register a domain. A domain belongs to exactly one tenant.
#[utoipa::path(tag = "domains", security(("bearer" = [])), request_body = CreateDomainRequest, responses(
    (status = 201, description = "Registered", body = DomainResponse),
    (status = 403, response = AdminRequired),
    (status = 404, description = "Tenant not found", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "Already registered", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "Not a valid domain name", body = Problem, content_type = "application/problem+json"),
))]
#[post("/domains")]
pub async fn create_domain(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<CreateDomainRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Role::Admin)?;
    let role = caller.role;
    let name = DomainName::parse(&body.name).map_err(|e| ApiError::Validation(e.to_string()))?;
    let tenant = body
        .tenant_id
        .clone()
        .unwrap_or_else(|| caller.scope.tenant_id.clone());
    let recheck = state.settings.dns_recheck;
    let domain = blocking(move || {
        Ok(state.db.write(|conn| {
            crate::services::domains::register_domain(conn, &caller.scope, &tenant, &name, recheck)
        })?)
    })
    .await?;
    Ok(HttpResponse::Created().json(DomainResponse::for_role(domain, role)))
}

/// List the domains of the caller's tenant and its descendants, by name.
#[utoipa::path(tag = "domains", security(("bearer" = [])), params(PageQuery), responses(
    (status = 200, description = "A page of domains", body = DomainListResponse),
))]
#[get("/domains")]
pub async fn list_domains(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<PageQuery>,
) -> Result<web::Json<DomainListResponse>, ApiError> {
    let limit = query.limit()?;
    let after = query.after()?;
    let role = caller.role;
    let rows = blocking(move || {
        Ok(state
            .db
            .read(|conn| domains::list_domains(conn, &caller.scope, after.as_deref(), limit + 1))?)
    })
    .await?;
    let (rows, next_cursor) = pagination::page(rows, limit, |d| d.name.clone());
    Ok(web::Json(DomainListResponse {
        items: rows
            .into_iter()
            .map(|d| DomainResponse::for_role(d, role))
            .collect(),
        next_cursor,
    }))
}

/// Get a domain by name.
#[utoipa::path(tag = "domains", security(("bearer" = [])), params(("domain" = String, Path, description = "Domain name")), responses(
    (status = 200, description = "The domain", body = DomainResponse),
    (status = 404, response = NotFound),
))]
#[get("/domains/{domain}")]
pub async fn get_domain(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> Result<web::Json<DomainResponse>, ApiError> {
    let name = path.into_inner();
    let role = caller.role;
    let domain = blocking(move || {
        Ok(state
            .db
            .read(|conn| domains::get_domain_by_name(conn, &caller.scope, &name))?)
    })
    .await?;
    Ok(web::Json(DomainResponse::for_role(domain, role)))
}

/// Delete a domain and all its reports (in batches: a large domain takes a while, and other
/// writes go on meanwhile).
#[utoipa::path(tag = "domains", security(("bearer" = [])), params(("domain" = String, Path, description = "Domain name")), responses(
    (status = 204, description = "Deleted"),
    (status = 403, response = AdminRequired),
    (status = 404, response = NotFound),
))]
#[delete("/domains/{domain}")]
pub async fn delete_domain(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Role::Admin)?;
    let name = path.into_inner();
    blocking(move || {
        Ok(crate::services::domains::delete_domain(
            &state.db,
            &caller.scope,
            &name,
        )?)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Replace the domain's TLS-RPT ingest token; the old one stops working at once.
#[utoipa::path(tag = "domains", security(("bearer" = [])), params(("domain" = String, Path, description = "Domain name")), responses(
    (status = 200, description = "New token", body = DomainResponse),
    (status = 403, response = AdminRequired),
    (status = 404, response = NotFound),
))]
#[post("/domains/{domain}/ingest-token")]
pub async fn rotate_ingest_token(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> Result<web::Json<DomainResponse>, ApiError> {
    caller.require(Role::Admin)?;
    let role = caller.role;
    let name = path.into_inner();
    let domain = blocking(move || {
        Ok(state
            .db
            .write(|conn| domains::rotate_ingest_token(conn, &caller.scope, &name))?)
    })
    .await?;
    Ok(web::Json(DomainResponse::for_role(domain, role)))
}
