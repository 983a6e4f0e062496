//! The RFC 8460 §3 HTTPS report receiver. Reporters cannot authenticate, so the URL holds the
//! domain's unguessable ingest token, which is public by design (it is published in
//! `_smtp._tls`). So this route accepts exactly what RFC 8460 §5.3 describes and nothing
//! else: one TLS report per request, as JSON (`application/tlsrpt+json`) or as one gzip
//! member holding that JSON (`application/tlsrpt+gzip`), for the token's domain. No DMARC
//! report, archive, email or second report gets through it.
//!
//! Order of checks, cheapest first and all before the body is read: media type (415), token
//! (404), declared length against `max_tlsrpt_bytes` (413, in [`crate::api::body`]). Then the
//! body is read under its deadline and size limit and handed to `services::ingest`, which
//! decodes and parses it outside the database writer and stores only a well-formed TLS
//! report; the 201 is sent after its commit.

use crate::api::AppState;
use crate::api::blocking;
use crate::api::error::{ApiError, ErrorCode, Problem, UploadError};
use crate::api::reports::uploaded_response;
use crate::reports::ParseError;
use crate::services::ingest::{self, TlsrptError, TlsrptMedia};
use crate::storage::domains;
use actix_web::{HttpRequest, HttpResponse, post, web};
use futures_util::StreamExt;

/// The RFC 8460 §5.3 media type the request declares, if it is one.
fn media_of(req: &HttpRequest) -> Option<TlsrptMedia> {
    let value = req
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)?
        .to_str()
        .ok()?;
    TlsrptMedia::parse(value)
}

/// Receive an SMTP TLS report (`application/tlsrpt+gzip` or `application/tlsrpt+json`):
/// exactly one report per request, for the domain whose ingest token is in the path.
#[utoipa::path(tag = "reports", params(("ingest_token" = String, Path, description = "The domain's ingest token")),
    request_body(description = "One TLS report", content(
        (inline(crate::api::reports::ReportFile) = "application/tlsrpt+gzip"),
        (String = "application/tlsrpt+json"),
    )),
    responses(
        (status = 201, description = "Stored (or recognized as a duplicate)", body = crate::api::reports::UploadResponse),
        (status = 400, description = "Malformed request", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Unknown ingest token", body = Problem, content_type = "application/problem+json"),
        (status = 408, description = "The body arrived too slowly", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Larger than `max_tlsrpt_bytes`", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not a TLS report media type", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not one TLS report for this domain", body = Problem, content_type = "application/problem+json"),
    ))]
#[post("/tlsrpt/{ingest_token}")]
pub async fn receive_tls_report(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    mut payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let Some(media) = media_of(&req) else {
        return Err(ApiError::UnsupportedMediaType(
            "expected application/tlsrpt+gzip or application/tlsrpt+json (RFC 8460 §3)".into(),
        ));
    };
    let token = path.into_inner();
    let db = state.db.clone();
    let domain =
        blocking(move || Ok(db.read(|conn| domains::find_domain_by_ingest_token(conn, &token))?))
            .await?
            .ok_or(ApiError::NotFound)?;
    let max = state.settings.max_tlsrpt_bytes;
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| crate::api::body::body_error(&e))?;
        if (body.len() + chunk.len()) as u64 > max {
            return Err(ApiError::PayloadTooLarge(format!(
                "a TLS report is at most {max} bytes here (max_tlsrpt_bytes)"
            )));
        }
        body.extend_from_slice(&chunk);
    }
    let body = body.freeze();
    let limits = state.limits;
    let db = state.db.clone();
    let metrics = state.metrics.clone();
    let ingested = blocking(move || {
        ingest::ingest_tlsrpt(&db, &metrics, &domain, &body, media, &limits).map_err(|e| match e {
            TlsrptError::NotOneReport(e) => refused(e),
            TlsrptError::Storage(e) => ApiError::from(e),
        })
    })
    .await?;
    let response = uploaded_response(vec![(None, vec![ingested])])?;
    Ok(HttpResponse::Created().json(response))
}

/// A body that is not one TLS report: 422, with the parser's code.
fn refused(error: ParseError) -> ApiError {
    let detail = error.to_string();
    ApiError::Upload {
        code: ErrorCode::NoReport,
        detail: detail.clone(),
        errors: vec![UploadError {
            file: None,
            part: None,
            code: error.code().to_string(),
            detail,
            domain: None,
        }],
    }
}
