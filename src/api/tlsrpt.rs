//! The RFC 8460 §3 HTTPS report receiver. Reporters cannot authenticate, so the URL holds the
//! domain's unguessable ingest token; a report is accepted only for that domain.

use crate::api::reports::{IncomingFile, IngestTarget, ingest_files};
use crate::error::{ApiError, Problem};
use crate::startup::{AppState, blocking};
use crate::storage::domains;
use actix_web::{HttpRequest, HttpResponse, post, web};

/// Receive an SMTP TLS report (`application/tlsrpt+gzip` or `application/tlsrpt+json`).
#[utoipa::path(tag = "reports", params(("ingest_token" = String, Path, description = "The domain's ingest token")),
    request_body(description = "One TLS report", content(
        (inline(crate::api::reports::ReportFile) = "application/tlsrpt+gzip"),
        (String = "application/tlsrpt+json"),
    )),
    responses(
        (status = 201, description = "Stored", body = crate::api::reports::UploadResponse),
        (status = 404, description = "Unknown ingest token", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not a TLS report media type", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a TLS report for this domain", body = Problem, content_type = "application/problem+json"),
    ))]
#[post("/tlsrpt/{ingest_token}")]
pub async fn receive_tls_report(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let content_type = req
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase()
        })
        .unwrap_or_default();
    if !matches!(
        content_type.as_str(),
        "application/tlsrpt+gzip" | "application/tlsrpt+json"
    ) {
        return Err(ApiError::UnsupportedMediaType(
            "expected application/tlsrpt+gzip or application/tlsrpt+json (RFC 8460 §3)".into(),
        ));
    }
    let token = path.into_inner();
    let db = state.db.clone();
    let domain =
        blocking(move || Ok(db.read(|conn| domains::find_domain_by_ingest_token(conn, &token))?))
            .await?
            .ok_or(ApiError::NotFound)?;
    let file = IncomingFile {
        name: None,
        content_type: Some(content_type),
        bytes: body,
    };
    ingest_files(state, IngestTarget::Domain(domain), vec![file]).await
}
