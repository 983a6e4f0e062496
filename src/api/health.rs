//! Liveness, readiness and metrics.

use crate::api::AppState;
use crate::api::blocking;
use crate::api::error::{ApiError, Problem};
use actix_web::{HttpResponse, get, web};
use serde::Serialize;
use utoipa::ToSchema;

/// Health status.
#[derive(Serialize, ToSchema)]
pub struct HealthResponse {
    /// `ok` when healthy.
    #[schema(example = "ok")]
    pub status: String,
}

/// Liveness: the process is up.
#[utoipa::path(tag = "health", responses((status = 200, description = "Alive", body = HealthResponse)))]
#[get("/healthz")]
pub async fn get_health() -> web::Json<HealthResponse> {
    web::Json(HealthResponse {
        status: "ok".into(),
    })
}

/// Readiness: the database answers.
#[utoipa::path(tag = "health", responses(
    (status = 200, description = "Ready", body = HealthResponse),
    (status = 503, description = "Database unreachable", body = Problem, content_type = "application/problem+json"),
))]
#[get("/readyz")]
pub async fn get_readiness(
    state: web::Data<AppState>,
) -> Result<web::Json<HealthResponse>, ApiError> {
    let db = state.db.clone();
    blocking(move || {
        db.read(|conn| {
            use diesel::connection::SimpleConnection;
            Ok(conn.batch_execute("SELECT 1")?)
        })
        .map_err(|e| ApiError::Unavailable(e.to_string()))
    })
    .await?;
    Ok(web::Json(HealthResponse {
        status: "ok".into(),
    }))
}

/// Prometheus metrics of this instance (text exposition format).
#[utoipa::path(tag = "health", responses((status = 200, description = "Metrics", body = String, content_type = "text/plain")))]
#[get("/metrics")]
pub async fn get_metrics(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(state.metrics.render())
}
