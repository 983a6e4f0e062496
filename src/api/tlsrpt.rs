//! The RFC 8460 §3 HTTPS report receiver. Reporters cannot authenticate, so the URL holds the
//! domain's unguessable ingest token, which is public by design (it is published in
//! `_smtp._tls`). So this route accepts exactly what RFC 8460 §5.3 describes and nothing
//! else: one TLS report per request, as JSON (`application/tlsrpt+json`) or as one gzip
//! member holding that JSON (`application/tlsrpt+gzip`), for the token's domain. No DMARC
//! report, archive, email or second report gets through it.
//!
//! Order of checks, cheapest first and all before the body is read: media type (415), token
//! (404), declared length against `max_tlsrpt_bytes` (413, in [`crate::api::body`]). Then the
//! body is read under its deadline and size limit, decoded and parsed outside the database
//! writer, and only a well-formed TLS report is stored.

use crate::api::AppState;
use crate::api::blocking;
use crate::api::error::{ApiError, ErrorCode, Problem, UploadError};
use crate::api::reports::uploaded_response;
use crate::reports::envelope::{Sniffed, sniff};
use crate::reports::{Limits, ParseError, Warning, Warnings, tlsrpt};
use crate::storage::domains;
use crate::storage::reports as store;
use actix_web::{HttpRequest, HttpResponse, post, web};
use futures_util::StreamExt;
use std::io::Read;

/// The two media types of RFC 8460 §5.3.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Media {
    Json,
    Gzip,
}

impl Media {
    fn of(req: &HttpRequest) -> Option<Media> {
        let value = req
            .headers()
            .get(actix_web::http::header::CONTENT_TYPE)?
            .to_str()
            .ok()?;
        match value
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase()
            .as_str()
        {
            "application/tlsrpt+json" => Some(Media::Json),
            "application/tlsrpt+gzip" => Some(Media::Gzip),
            _ => None,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Media::Json => "application/tlsrpt+json",
            Media::Gzip => "application/tlsrpt+gzip",
        }
    }
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
    let Some(media) = Media::of(&req) else {
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
    let ingested = blocking(move || {
        let (report, warnings) = decode(&body, media, &limits).map_err(refused)?;
        let ingested =
            store::ingest_tls(&db, &domain, &body, Some(media.as_str()), report, warnings)?;
        Ok(ingested)
    })
    .await?;
    let response = uploaded_response(&state, vec![(None, vec![ingested])])?;
    Ok(HttpResponse::Created().json(response))
}

/// Decodes a receiver body: JSON, or one gzip member of JSON, and nothing else. The JSON is
/// parsed as it is decompressed (never held whole), under the parser's limits.
fn decode(
    body: &[u8],
    media: Media,
    limits: &Limits,
) -> Result<(crate::domain::report::TlsReport, Vec<Warning>), ParseError> {
    use std::io::BufRead;
    let not_tls = |what: &str| {
        ParseError::NotAReport(format!(
            "{what}; RFC 8460 §5.3 allows one TLS report as JSON, or that JSON in gzip"
        ))
    };
    let mut warnings = Warnings::default();
    let report = match (media, sniff(body)) {
        (Media::Json, Sniffed::Json) => tlsrpt::parse_reader(body, limits, &mut warnings)?,
        (Media::Gzip, Sniffed::Gzip) => {
            // One gzip member (a second layer or member is not followed), bounded like any
            // decompression.
            let cap = limits.max_decompressed_bytes;
            let mut reader = std::io::BufReader::with_capacity(
                64 << 10,
                flate2::read::GzDecoder::new(body).take(cap.saturating_add(1)),
            );
            let head = reader
                .fill_buf()
                .map_err(|e| ParseError::NotAReport(format!("the gzip body is corrupt: {e}")))?;
            if sniff(head) != Sniffed::Json {
                return Err(not_tls(&format!(
                    "the gzip body holds {:?}, not JSON",
                    sniff(head)
                )));
            }
            let parsed = tlsrpt::parse_reader(&mut reader, limits, &mut warnings);
            if reader.get_ref().limit() == 0 {
                return Err(ParseError::Limit(crate::reports::LimitExceeded {
                    kind: crate::reports::LimitKind::DecompressedBytes,
                    max: cap,
                }));
            }
            parsed?
        }
        (Media::Json, other) => return Err(not_tls(&format!("the body is {other:?}, not JSON"))),
        (Media::Gzip, other) => return Err(not_tls(&format!("the body is {other:?}, not gzip"))),
    };
    Ok((report, warnings.to_vec()))
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
