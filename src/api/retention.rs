//! Retention of a tenant: `GET/PUT/DELETE /tenants/{tenant_id}/retention`. What each setting
//! deletes, and when, is `services::retention`'s header; here: HTTP, DTOs and the admin check.

use crate::api::AppState;
use crate::api::auth::Caller;
use crate::api::blocking;
use crate::api::error::{ApiError, Problem};
use crate::api::problems::{AdminRequired, NotFound};
use crate::domain::ids::TenantId;
use crate::domain::tenant::Role;
use crate::services::retention::{self, Inherited, Retention, RetentionError};
use crate::storage::now;
use actix_web::{HttpResponse, delete, get, put, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// One effective setting and the tenant it comes from.
#[derive(Serialize, ToSchema)]
pub struct RetentionSetting {
    pub days: i64,
    /// The tenant that set it: this one, or the nearest ancestor that did.
    pub inherited_from: String,
}

impl From<Inherited> for RetentionSetting {
    fn from(i: Inherited) -> Self {
        RetentionSetting {
            days: i.days,
            inherited_from: i.from.into_string(),
        }
    }
}

/// A tenant's retention: what applies to its data, and its own settings.
#[derive(Serialize, ToSchema)]
pub struct RetentionResponse {
    pub tenant_id: String,
    /// Raw data (DMARC records, TLS policies and failure details, original uploads, failure
    /// reports) is deleted this many days after a report's end (a failure report's arrival);
    /// `null`: kept forever.
    pub records: Option<RetentionSetting>,
    /// Reports and their rollups (the aggregates) are deleted this many days after, in whole
    /// calendar months; `null`: kept forever.
    pub rollups: Option<RetentionSetting>,
    /// The tenant's own `records_days` (`null`: inherited).
    pub own_records_days: Option<i64>,
    /// The tenant's own `rollups_days` (`null`: inherited).
    pub own_rollups_days: Option<i64>,
    /// When the tenant's own settings last changed (Unix time).
    pub updated_at: Option<i64>,
}

impl RetentionResponse {
    fn new(tenant: TenantId, r: Retention) -> Self {
        RetentionResponse {
            tenant_id: tenant.into_string(),
            records: r.records.map(Into::into),
            rollups: r.rollups.map(Into::into),
            own_records_days: r.own_records_days,
            own_rollups_days: r.own_rollups_days,
            updated_at: r.updated_at,
        }
    }
}

/// A tenant's own retention; a field left out or `null` is inherited from the nearest
/// ancestor that sets it.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PutRetentionRequest {
    /// Days raw data is kept after a report's end (1 to 36500).
    #[schema(example = 90, minimum = 1, maximum = 36500)]
    pub records_days: Option<i64>,
    /// Days reports and rollups are kept (1 to 36500; not less than the effective
    /// `records_days`, here or in any tenant below).
    #[schema(example = 730, minimum = 1, maximum = 36500)]
    pub rollups_days: Option<i64>,
}

impl From<RetentionError> for ApiError {
    fn from(e: RetentionError) -> Self {
        match e {
            RetentionError::Invalid(m) => ApiError::Validation(m),
            RetentionError::Storage(e) => e.into(),
        }
    }
}

/// A tenant's retention: what applies (own or inherited, per field) and its own settings.
#[utoipa::path(tag = "tenants", security(("bearer" = [])),
    params(("tenant_id" = String, Path, description = "Tenant id")),
    responses(
        (status = 200, description = "The retention", body = RetentionResponse),
        (status = 404, response = NotFound),
))]
#[get("/tenants/{tenant_id}/retention")]
pub async fn get_retention(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<TenantId>,
) -> Result<web::Json<RetentionResponse>, ApiError> {
    let id = path.into_inner();
    let tenant = id.clone();
    let r = blocking(move || Ok(retention::get(&state.db, &caller.scope, &tenant)?)).await?;
    Ok(web::Json(RetentionResponse::new(id, r)))
}

/// Set a tenant's own retention (admin). It applies to the tenant and to every tenant below
/// without a setting of its own; the sweep deletes what expires within
/// `RUAD_RETENTION_SWEEP_SECONDS`.
#[utoipa::path(tag = "tenants", security(("bearer" = [])),
    params(("tenant_id" = String, Path, description = "Tenant id")),
    request_body = PutRetentionRequest,
    responses(
        (status = 200, description = "The retention as it now applies", body = RetentionResponse),
        (status = 403, response = AdminRequired),
        (status = 404, response = NotFound),
        (status = 422, description = "`validation_failed`: days out of range, or rollups kept for less time than records", body = Problem, content_type = "application/problem+json"),
))]
#[put("/tenants/{tenant_id}/retention")]
pub async fn put_retention(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<TenantId>,
    body: web::Json<PutRetentionRequest>,
) -> Result<web::Json<RetentionResponse>, ApiError> {
    caller.require(Role::Admin)?;
    let id = path.into_inner();
    let tenant = id.clone();
    let PutRetentionRequest {
        records_days,
        rollups_days,
    } = body.into_inner();
    let r = blocking(move || {
        retention::put(
            &state.db,
            &caller.scope,
            &tenant,
            records_days,
            rollups_days,
            now(),
        )
        .map_err(ApiError::from)
    })
    .await?;
    Ok(web::Json(RetentionResponse::new(id, r)))
}

/// Remove a tenant's own retention (admin): it inherits again.
#[utoipa::path(tag = "tenants", security(("bearer" = [])),
    params(("tenant_id" = String, Path, description = "Tenant id")),
    responses(
        (status = 204, description = "Removed (also when the tenant had none of its own)"),
        (status = 403, response = AdminRequired),
        (status = 404, response = NotFound),
        (status = 422, description = "`validation_failed`: the tenant, or one below it, would then keep rollups for less time than records", body = Problem, content_type = "application/problem+json"),
))]
#[delete("/tenants/{tenant_id}/retention")]
pub async fn delete_retention(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<TenantId>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Role::Admin)?;
    let id = path.into_inner();
    blocking(move || retention::delete(&state.db, &caller.scope, &id).map_err(ApiError::from))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
