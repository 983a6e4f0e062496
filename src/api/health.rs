//! Liveness, readiness and metrics.

use crate::api::AppState;
use crate::api::blocking;
use crate::api::error::{ApiError, Problem};
use crate::storage::{jobs, now};
use actix_web::{HttpResponse, get, web};
use serde::Serialize;
use std::time::Duration;
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

/// How long readiness and a scrape wait for the database.
const DATABASE_WAIT: Duration = Duration::from_secs(2);

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
    let check = blocking(move || {
        db.read_within(DATABASE_WAIT, |conn| {
            use diesel::connection::SimpleConnection;
            Ok(conn.batch_execute("SELECT 1")?)
        })
        .map_err(|e| ApiError::Unavailable(e.to_string()))
    });
    // The pool bounds the wait for a connection; this bounds a query that hangs (a database
    // host that stopped answering without closing the connection).
    match tokio::time::timeout(DATABASE_WAIT + Duration::from_millis(500), check).await {
        Ok(result) => result?,
        Err(_) => {
            return Err(ApiError::Unavailable(
                "the database did not answer in time".into(),
            ));
        }
    }
    Ok(web::Json(HealthResponse {
        status: "ok".into(),
    }))
}

/// Prometheus metrics of this instance (text exposition format).
#[utoipa::path(tag = "health", responses((status = 200, description = "Metrics", body = String, content_type = "text/plain")))]
#[get("/metrics")]
pub async fn get_metrics(state: web::Data<AppState>) -> HttpResponse {
    // The job queue is read from the database, so every instance shows the whole queue.
    let db = state.db.clone();
    let at = now();
    let read = crate::services::blocking(move || {
        db.read_within(DATABASE_WAIT, |conn| jobs::queue_stats(conn, at))
    });
    let queues = match tokio::time::timeout(DATABASE_WAIT + Duration::from_millis(500), read).await
    {
        Ok(Ok(queues)) => Some(queues),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "metrics: reading the job queue");
            None
        }
        Err(_) => None,
    };
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(
            state
                .metrics
                .render(queues.as_deref(), state.db.commit_stats(), at),
        )
}
