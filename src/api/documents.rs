//! Documents: a domain's report for a period and one stored report, as a self-contained
//! HTML page or a PDF, in a language of the catalogs, under the caller's brand.
//!
//! HTTP only: query parsing (the range as every aggregate reads it), the brand
//! ([`branding_for`]), the call to `services::documents` in the blocking pool (rendering is
//! CPU work), and the response headers. Must not read storage.

use crate::api::AppState;
use crate::api::aggregates::parse_range;
use crate::api::auth::Caller;
use crate::api::blocking;
use crate::api::error::{ApiError, ErrorCode, Problem};
use crate::domain::branding::Language;
use crate::domain::ids::ReportId;
use crate::services::documents::{self, DocumentError, Format, Rendered, Subject};
use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
use actix_web::{HttpResponse, get, web};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

/// How a domain's document is asked for.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DomainDocumentQuery {
    /// First day, inclusive (ISO 8601 date; default: 30 days before `to`). A document covers
    /// at most 366 days.
    #[param(example = "2026-11-01")]
    pub from: Option<String>,
    /// Last day, inclusive (ISO 8601 date; default: today, UTC).
    #[param(example = "2026-11-30")]
    pub to: Option<String>,
    /// `html` (default) or `pdf`.
    #[param(example = "pdf")]
    pub format: Option<String>,
    /// The language to write in (`en`, `nl`; a region such as `nl-BE` is ignored). Default:
    /// the brand's language.
    #[param(example = "nl")]
    pub language: Option<String>,
}

/// How a report's document is asked for.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ReportDocumentQuery {
    /// `html` (default) or `pdf`.
    #[param(example = "pdf")]
    pub format: Option<String>,
    /// The language to write in (`en`, `nl`). Default: the brand's language.
    #[param(example = "en")]
    pub language: Option<String>,
}

/// A document: an HTML page (`text/html`) or a PDF (`application/pdf`).
#[derive(ToSchema)]
#[schema(value_type = String, format = Binary)]
#[allow(dead_code)]
pub struct DocumentFile(Vec<u8>);

fn format_of(value: Option<&str>) -> Result<Format, ApiError> {
    value
        .unwrap_or("html")
        .parse()
        .map_err(|e: documents::UnsupportedFormat| ApiError::Unprocessable {
            code: ErrorCode::UnsupportedFormat,
            detail: e.to_string(),
        })
}

fn language_of(value: Option<&str>) -> Result<Option<Language>, ApiError> {
    value
        .map(|v| v.parse::<Language>().map_err(ApiError::from))
        .transpose()
}

impl From<DocumentError> for ApiError {
    fn from(e: DocumentError) -> Self {
        match e {
            DocumentError::NotFound => ApiError::NotFound,
            DocumentError::PeriodTooLong { .. } => ApiError::Unprocessable {
                code: ErrorCode::PeriodTooLong,
                detail: e.to_string(),
            },
            DocumentError::NotAvailable(_) => ApiError::NotConfigured(e.to_string()),
            DocumentError::Storage(s) => s.into(),
            DocumentError::Render(_) => {
                ApiError::Internal(anyhow::Error::new(e).context("failed to render a document"))
            }
        }
    }
}

fn respond(doc: Rendered) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(doc.media_type)
        .insert_header(ContentDisposition {
            disposition: DispositionType::Inline,
            parameters: vec![DispositionParam::Filename(doc.file_name)],
        })
        .body(doc.bytes)
}

/// Makes a document in the blocking pool.
async fn render(
    state: web::Data<AppState>,
    caller: Caller,
    subject: Subject,
    format: Format,
    language: Option<String>,
) -> Result<HttpResponse, ApiError> {
    let language = language_of(language.as_deref())?;
    let now = chrono::Utc::now().timestamp();
    let doc = blocking(move || {
        let branding = state
            .db
            .read(|conn| documents::branding_for(conn, &caller.scope, &subject))?;
        let language = language.unwrap_or(branding.language);
        Ok(documents::render(
            &state.db,
            &caller.scope,
            &subject,
            format,
            &branding,
            language,
            now,
        )?)
    })
    .await?;
    Ok(respond(doc))
}

/// A domain's report for a period: summary (messages, DMARC pass rate, published policy,
/// change against the previous period of the same length), daily trend chart, DMARC by
/// result, sending sources and services with their compliance, SMTP TLS by result, per
/// reporting organization and per failure path, open issues with their remediation, and the
/// latest DNS check of each kind. HTML and PDF carry the same content; tables list the
/// largest 50 rows and say how many were left out.
#[utoipa::path(tag = "documents", security(("bearer" = [])), params(("domain" = String, Path, description = "Domain name or id"), DomainDocumentQuery), responses(
    (status = 200, description = "The document (`Content-Disposition` gives its file name)", content(
        (DocumentFile = "text/html"),
        (DocumentFile = "application/pdf"),
    )),
    (status = 400, description = "Bad range", body = Problem, content_type = "application/problem+json"),
    (status = 401, description = "Unauthenticated", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "Domain not found", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "Period over 366 days (`period_too_long`), unknown language (`unsupported_language`) or format (`unsupported_format`)", body = Problem, content_type = "application/problem+json"),
))]
#[get("/domains/{domain}/document")]
pub async fn get_domain_document(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    query: web::Query<DomainDocumentQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let range = parse_range(query.from.as_deref(), query.to.as_deref())?;
    let format = format_of(query.format.as_deref())?;
    documents::check_period(range.days)?;
    let subject = Subject::Domain {
        domain: path.into_inner(),
        days: range.days,
    };
    render(state, caller, subject, format, query.language).await
}

/// One stored DMARC aggregate or SMTP TLS report as a readable document: who sent it, the
/// period and the policy published, its records (DMARC) or policies and failure details
/// (TLS), and what its reader had to correct, in plain words.
#[utoipa::path(tag = "documents", security(("bearer" = [])), params(("report_id" = String, Path, description = "Report id"), ReportDocumentQuery), responses(
    (status = 200, description = "The document (`Content-Disposition` gives its file name)", content(
        (DocumentFile = "text/html"),
        (DocumentFile = "application/pdf"),
    )),
    (status = 401, description = "Unauthenticated", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "Report not found", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "Unknown language (`unsupported_language`) or format (`unsupported_format`)", body = Problem, content_type = "application/problem+json"),
))]
#[get("/reports/{report_id}/document")]
pub async fn get_report_document(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<ReportId>,
    query: web::Query<ReportDocumentQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let format = format_of(query.format.as_deref())?;
    let subject = Subject::Report {
        id: path.into_inner(),
    };
    render(state, caller, subject, format, query.language).await
}

/// The caller's portfolio as a readable document: every domain of its subtree with volume,
/// DMARC pass rate, published policy, unresolved issues by severity and the last report
/// received, those needing attention first (the figures `GET /portfolio` answers for the same
/// period). Under the brand of the caller's tenant.
#[utoipa::path(tag = "documents", security(("bearer" = [])), params(DomainDocumentQuery), responses(
    (status = 200, description = "The document (`Content-Disposition` gives its file name)", content(
        (DocumentFile = "text/html"),
        (DocumentFile = "application/pdf"),
    )),
    (status = 400, description = "Bad range", body = Problem, content_type = "application/problem+json"),
    (status = 401, description = "Unauthenticated", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "Period over 366 days (`period_too_long`), unknown language (`unsupported_language`) or format (`unsupported_format`)", body = Problem, content_type = "application/problem+json"),
))]
#[get("/portfolio/document")]
pub async fn get_portfolio_document(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<DomainDocumentQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let range = parse_range(query.from.as_deref(), query.to.as_deref())?;
    let format = format_of(query.format.as_deref())?;
    documents::check_period(range.days)?;
    let subject = Subject::Portfolio { days: range.days };
    render(state, caller, subject, format, query.language).await
}
