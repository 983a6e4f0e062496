//! `GET /domains/{domain}/enforcement-readiness`: what `p=quarantine` and `p=reject` would
//! have done to the domain's mail over a period, whose mail it is, and the next policy step
//! with the record to publish. DTOs and HTTP only; the assessment is
//! `services::readiness` over the rollups.

use super::parse_range;
use crate::analysis::readiness::Readiness;
use crate::api::AppState;
use crate::api::auth::Caller;
use crate::api::blocking;
use crate::api::error::{ApiError, Problem};
use crate::services::aggregates::ForDomain;
use crate::services::readiness;
use actix_web::{get, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// The period to judge from.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ReadinessQuery {
    /// First day, inclusive (ISO 8601 date; default: 30 days before `to`).
    #[param(example = "2026-11-01")]
    pub from: Option<String>,
    /// Last day, inclusive (ISO 8601 date; default: today, UTC).
    #[param(example = "2026-11-30")]
    pub to: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct EnforcementReadinessResponse {
    pub domain: String,
    /// First day (inclusive).
    pub from: String,
    /// Last day (inclusive).
    pub to: String,
    #[serde(flatten)]
    pub readiness: Readiness,
}

/// Enforcement readiness of a domain: from its own aggregate reports over the period, the
/// messages `p=quarantine` and `p=reject` would have affected (failing DMARC and not already
/// treated so by the receiver), split into the domain's named services (legitimate mail that
/// would be lost: each with its fix), forwarders and mailing lists (how much receivers already
/// accept, how much needs DKIM that survives forwarding) and unknown sources (what enforcement
/// stops); subdomain mail under `sp`; and the recommended next step with the DMARC record to
/// publish (the current record with the policy changed).
#[utoipa::path(tag = "aggregates", security(("bearer" = [])), params(("domain" = String, Path, description = "Domain name"), ReadinessQuery), responses(
    (status = 200, description = "The assessment", body = EnforcementReadinessResponse),
    (status = 400, description = "Bad range", body = Problem, content_type = "application/problem+json"),
    (status = 401, description = "Unauthenticated", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "Domain not found", body = Problem, content_type = "application/problem+json"),
))]
#[get("/domains/{domain}/enforcement-readiness")]
pub async fn get_enforcement_readiness(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    query: web::Query<ReadinessQuery>,
) -> Result<web::Json<EnforcementReadinessResponse>, ApiError> {
    let r = parse_range(query.from.as_deref(), query.to.as_deref())?;
    let name = path.into_inner();
    let days = r.days;
    let ForDomain { domain, value } = blocking(move || {
        Ok(readiness::enforcement_readiness(
            &state.db,
            &caller.scope,
            &name,
            days,
        )?)
    })
    .await?;
    Ok(web::Json(EnforcementReadinessResponse {
        domain,
        from: r.from,
        to: r.to,
        readiness: value,
    }))
}
