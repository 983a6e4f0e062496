//! The HTTP API under `/api/v1` (plus `/healthz`, `/readyz`, `/metrics`, `/docs`).
//!
//! [`configure`] registers every endpoint; the server and [`openapi`] both use it, so the
//! route table and the spec cannot disagree. DTOs live here and convert from domain and
//! storage types.

pub mod aggregates;
pub mod auth;
pub mod body;
pub mod branding;
pub mod digests;
pub mod dns;
pub mod documents;
pub mod domains;
pub mod error;
pub mod export;
pub mod failures;
pub mod health;
pub mod intake;
pub mod issues;
pub mod mailboxes;
pub mod metrics;
pub mod pagination;
pub mod portfolio;
pub mod problems;
pub mod query;
pub mod records;
pub mod reports;
pub mod request_id;
pub mod retention;
pub mod state;
pub mod tenants;
pub mod tlsrpt;
pub mod webhooks;

pub use state::{ApiSettings, AppState};

/// [`crate::services::blocking`] for handlers: their closures answer [`ApiError`].
pub async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    crate::services::blocking(f).await
}

use crate::api::error::{ApiError, Problem};
use actix_web::{HttpRequest, HttpResponse};
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::service_config::ServiceConfig;
use utoipa_actix_web::{AppExt, scope};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "ruad",
        description = "Multi-tenant API for DMARC aggregate and SMTP TLS (RFC 8460) reports: \
            upload reports, read aggregates, manage tenants, API keys and domains. Errors are \
            RFC 9457 problem+json documents with a stable `code` and the \
            request's `request_id`; every response carries that id in `x-request-id` (the \
            client's own, when it sends a sane one).",
        license(name = "Apache-2.0", identifier = "Apache-2.0")
    ),
    components(schemas(
        Problem,
        crate::api::error::ErrorCode,
        crate::api::export::ExportFormat,
        webhooks::WebhookEvent,
        crate::domain::event::ReportReceived,
        crate::domain::event::FailureReportReceived,
    )),
    modifiers(&BearerAuth),
    tags(
        (name = "health", description = "Liveness, readiness and metrics"),
        (name = "auth", description = "Token exchange"),
        (name = "tenants", description = "Tenants and their API keys"),
        (name = "domains", description = "Registered domains"),
        (name = "reports", description = "Report upload and retrieval"),
        (name = "aggregates", description = "Per-domain aggregates over time"),
        (name = "query", description = "The flexible query: DMARC or TLS figures of one or \
            more domains grouped by any of a fixed set of fields, filtered, ordered and paged, \
            answered from the rollups when one holds every field named, else from the raw \
            records within bounds"),
        (name = "portfolio", description = "Every domain of a tenant subtree at once: volume, \
            DMARC pass rate, TLS sessions, published policy, unresolved issues, last report, and \
            whether it needs attention"),
        (name = "documents", description = "Readable documents (self-contained HTML or PDF, in English or Dutch, under the caller's brand): a domain's report for a period and one stored report"),
        (name = "dns", description = "DNS record checks, SPF evaluation, record generators and stored check snapshots"),
        (name = "failures", description = "DMARC failure reports (RFC 6591 ARF) of a domain, stored redacted by default, and the tenant's failure report privacy setting"),
        (name = "issues", description = "Problems detected in a domain's reports and DNS, with their remediation"),
        (name = "intake", description = "Mail intake: report addresses `<token>@<mail domain>` \
            (the SMTP and LMTP receiver of `ruad serve`), the DMARC and TLS-RPT records that send \
            reports there, and the tenant setting `auto_register_domains`"),
        (name = "webhooks", description = "Webhooks: events (`report.received`, `issue.opened`, \
            `issue.resolved`) of a tenant and its descendants POSTed as JSON (`WebhookEvent`) to an \
            https URL on a public address, retried with exponential backoff until the receiver \
            answers 2xx, with a delivery log. Each request carries `ruad-event`, `ruad-delivery` \
            (delivery id), `ruad-timestamp` (Unix seconds) and `ruad-signature: \
            v1=<hex HMAC-SHA256(secret, \"<ruad-timestamp>.<raw body>\")>`, keyed with the \
            webhook's whole secret (`whsec_…`). Receivers should compare in constant time, refuse \
            old timestamps, accept any of several comma-separated `v1=` values, and deduplicate \
            on the body's `id` (the event id, the same in every delivery of one event)."),
        (name = "mailboxes", description = "IMAP mailboxes reports are read from (Microsoft 365 \
            and Gmail through OAuth2, or any IMAP server with a password), polled in the \
            background: each new message goes through the same ingest as an upload, and is moved, \
            marked or deleted only once its reports are stored; a message without any report is \
            moved to a rejected folder, never deleted. Secrets are write-only and stored encrypted \
            (`secret_key` setting)."),
        (name = "digests", description = "Scheduled digests: a domain's report, or a tenant's \
            portfolio, mailed weekly or monthly at a local day and hour (IANA time zone) as an \
            HTML mail with the PDF attached, under the tenant's brand, through the SMTP relay of \
            `RUAD_SMTP_RELAY_URL`; a transient failure is retried with backoff, and every attempt \
            is in the delivery log. A period without reports is still sent, and says so."),
    )
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let mut scheme = Http::new(HttpAuthScheme::Bearer);
        scheme.description =
            Some("An API key (`ruad_…`) or a JWT from `POST /api/v1/auth/token`.".into());
        components.add_security_scheme("bearer", SecurityScheme::Http(scheme));
    }
}

/// The spec's fixed parts (info, tags, security scheme); paths come from [`configure`].
pub fn base_openapi() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// Registers every endpoint.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(health::get_health)
        .service(health::get_readiness)
        .service(health::get_metrics)
        .service(
            scope::scope("/api/v1")
                .service(auth::token::create_token)
                .service(tenants::create_tenant)
                .service(tenants::list_tenants)
                .service(tenants::get_tenant)
                .service(tenants::update_tenant)
                .service(tenants::delete_tenant)
                .service(tenants::create_api_key)
                .service(tenants::list_api_keys)
                .service(tenants::revoke_api_key)
                .service(branding::get_branding)
                .service(branding::put_branding)
                .service(branding::delete_branding)
                .service(retention::get_retention)
                .service(retention::put_retention)
                .service(retention::delete_retention)
                .service(domains::create_domain)
                .service(domains::list_domains)
                .service(domains::get_domain)
                .service(domains::delete_domain)
                .service(domains::rotate_ingest_token)
                .service(reports::upload_report)
                .service(reports::upload_report_files)
                .service(reports::list_reports)
                .service(reports::get_report)
                .service(reports::get_report_raw)
                .service(records::list_report_records)
                .service(records::list_domain_records)
                .service(reports::delete_report)
                .service(aggregates::get_dmarc_by_result)
                .service(aggregates::get_dmarc_by_source)
                .service(aggregates::get_dmarc_by_service)
                .service(aggregates::get_enforcement_readiness)
                .service(aggregates::get_tls_by_result)
                .service(aggregates::get_tls_by_source)
                .service(aggregates::get_timeseries)
                .service(query::query_dmarc)
                .service(query::query_tls)
                .service(portfolio::list_portfolio)
                .service(documents::get_domain_document)
                .service(documents::get_report_document)
                .service(documents::get_portfolio_document)
                .service(tlsrpt::receive_tls_report)
                .service(dns::run_dns_check)
                .service(dns::evaluate_spf)
                .service(dns::generate_dmarc_record)
                .service(dns::generate_spf_record)
                .service(dns::generate_dkim_record)
                .service(dns::generate_bimi_record)
                .service(dns::generate_mta_sts_record)
                .service(dns::generate_tlsrpt_record)
                .service(dns::run_domain_dns_checks)
                .service(dns::list_domain_dns_checks)
                .service(dns::list_domain_dns_check_history)
                .service(failures::list_failures)
                .service(failures::summarize_failures)
                .service(failures::get_failure)
                .service(failures::delete_failure)
                .service(failures::get_failure_settings)
                .service(failures::update_failure_settings)
                .service(issues::list_issues)
                .service(issues::list_domain_issues)
                .service(issues::get_issue)
                .service(issues::update_issue)
                .service(issues::evaluate_domain_issues)
                .service(webhooks::create_webhook)
                .service(webhooks::list_webhooks)
                .service(webhooks::get_webhook)
                .service(webhooks::update_webhook)
                .service(webhooks::delete_webhook)
                .service(webhooks::rotate_webhook_secret)
                .service(webhooks::send_test_webhook)
                .service(webhooks::list_webhook_deliveries)
                .service(mailboxes::create_mailbox)
                .service(mailboxes::list_mailboxes)
                .service(mailboxes::get_mailbox)
                .service(mailboxes::update_mailbox)
                .service(mailboxes::delete_mailbox)
                .service(mailboxes::poll_mailbox)
                .service(digests::create_digest)
                .service(digests::list_digests)
                .service(digests::get_digest)
                .service(digests::update_digest)
                .service(digests::delete_digest)
                .service(digests::send_digest)
                .service(digests::list_digest_deliveries)
                .service(intake::get_intake)
                .service(intake::update_intake)
                .service(intake::rotate_intake_address)
                .service(intake::get_domain_intake)
                .service(intake::rotate_domain_intake_address)
                // The spec itself is not an operation of the spec.
                .route("/openapi.json", actix_web::web::get().to(get_openapi)),
        );
}

/// `GET /api/v1/openapi.json`: the spec, built once.
async fn get_openapi() -> HttpResponse {
    static SPEC: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let body = SPEC.get_or_init(|| openapi().to_json().unwrap_or_default());
    HttpResponse::Ok()
        .content_type("application/json")
        .body(body.clone())
}

/// The complete OpenAPI document, built from the same registration as the server.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let (_, mut api) = actix_web::App::new()
        .into_utoipa_app()
        .openapi(base_openapi())
        .configure(configure)
        .split_for_parts();
    problems::apply(&mut api);
    api
}

/// `/docs` → `/docs/`.
pub async fn docs_redirect() -> HttpResponse {
    HttpResponse::PermanentRedirect()
        .insert_header(("Location", "/docs/"))
        .finish()
}

/// The interactive documentation at `/docs`, its assets served by ruad itself (no CDN),
/// reading the spec from `/api/v1/openapi.json`.
pub fn docs() -> utoipa_swagger_ui::SwaggerUi {
    utoipa_swagger_ui::SwaggerUi::new("/docs/{_:.*}")
        .config(utoipa_swagger_ui::Config::from("/api/v1/openapi.json"))
}

pub async fn not_found(req: HttpRequest) -> HttpResponse {
    use actix_web::ResponseError;
    let known = openapi()
        .paths
        .paths
        .keys()
        .any(|p| path_matches(p, req.path()));
    if known {
        ApiError::MethodNotAllowed.error_response()
    } else {
        ApiError::NotFound.error_response()
    }
}

/// Whether a concrete path fits an OpenAPI path template.
fn path_matches(template: &str, path: &str) -> bool {
    let t: Vec<&str> = template.trim_end_matches('/').split('/').collect();
    let p: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    t.len() == p.len() && t.iter().zip(&p).all(|(a, b)| a.starts_with('{') || a == b)
}

pub fn json_error(err: actix_web::error::JsonPayloadError, _: &HttpRequest) -> actix_web::Error {
    use actix_web::error::JsonPayloadError;
    let api = match &err {
        JsonPayloadError::Overflow { .. } | JsonPayloadError::OverflowKnownLength { .. } => {
            ApiError::PayloadTooLarge("JSON body is too large".into())
        }
        JsonPayloadError::ContentType => {
            ApiError::UnsupportedMediaType("expected Content-Type: application/json".into())
        }
        JsonPayloadError::Payload(e) => body::body_error(e),
        JsonPayloadError::Deserialize(e) => ApiError::BadRequest(json_problem(e)),
        JsonPayloadError::Serialize(_) => ApiError::BadRequest("the JSON body is invalid".into()),
        _ => ApiError::BadRequest("the JSON body could not be read".into()),
    };
    api.into()
}

/// A JSON body error in plain words: what is wrong and where, never serde's own wording.
fn json_problem(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let at = format!("line {}, column {}", e.line(), e.column());
    match e.classify() {
        Category::Syntax | Category::Eof => format!("the body is not valid JSON (at {at})"),
        Category::Io => "the JSON body could not be read".into(),
        Category::Data => format!("the JSON body does not fit this operation: {}", plain(e)),
    }
}

/// serde's data-error message turned into plain words ("unknown field `pct`, expected one
/// of …" → "unknown field pct"; "missing field `domain`" → "missing field domain"; type
/// errors name the value).
pub(crate) fn plain(e: &impl std::fmt::Display) -> String {
    let text = e.to_string();
    // serde_json appends " at line L column C"; the location is given separately.
    let text = text.split(" at line ").next().unwrap_or(&text);
    let text = text.split(", expected one of").next().unwrap_or(text);
    let text = text
        .replace("invalid type: ", "wrong type: ")
        .replace("invalid value: ", "wrong value: ")
        .replace('`', "");
    text.trim().to_string()
}

pub fn path_error(err: actix_web::error::PathError, _: &HttpRequest) -> actix_web::Error {
    let _ = err;
    ApiError::BadRequest("a path segment is not valid here".into()).into()
}

pub fn query_error(err: actix_web::error::QueryPayloadError, _: &HttpRequest) -> actix_web::Error {
    use actix_web::error::QueryPayloadError;
    let detail = match &err {
        QueryPayloadError::Deserialize(e) => query_problem(&e.to_string()),
        _ => "the query string is malformed".into(),
    };
    ApiError::BadRequest(detail).into()
}

/// A query-string error in plain words ("invalid digit found in string" says nothing about
/// which parameter: serde_urlencoded does not tell, so the message says what is expected).
fn query_problem(text: &str) -> String {
    if let Some(field) = text.strip_prefix("unknown field `") {
        let field = field.split('`').next().unwrap_or_default();
        return format!("unknown query parameter {field}");
    }
    if let Some(field) = text.strip_prefix("missing field `") {
        let field = field.split('`').next().unwrap_or_default();
        return format!("the query parameter {field} is required");
    }
    if text.contains("invalid digit") || text.contains("number") {
        return "a query parameter that takes a number has something else".into();
    }
    if text.starts_with("unknown variant `") {
        let value = text
            .trim_start_matches("unknown variant `")
            .split('`')
            .next()
            .unwrap_or_default();
        return format!("{value} is not one of the values this query parameter takes");
    }
    "a query parameter has a value of the wrong kind".into()
}

/// Parses an ISO 8601 calendar date (`2026-11-22`, nothing else: one date format for every
/// `from` and `to` of the API) into epoch seconds at 00:00 UTC of that day.
pub fn parse_day(field: &str, value: &str) -> Result<i64, ApiError> {
    let valid = value.len() == 10
        && value.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    valid
        .then(|| chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d").ok())
        .flatten()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|dt| dt.and_utc().timestamp())
        .ok_or_else(|| {
            ApiError::BadRequest(format!(
                "{field}: '{value}' is not a date in the form YYYY-MM-DD"
            ))
        })
}

/// `from` and `to` of a list, each a day (see [`parse_day`]); `from` after `to` is a 400, as
/// on every aggregate. Returns epoch seconds: the start of `from`, the end of `to` (exclusive).
pub fn parse_day_bounds(
    from: Option<&str>,
    to: Option<&str>,
) -> Result<(Option<i64>, Option<i64>), ApiError> {
    let from = from.map(|v| parse_day("from", v)).transpose()?;
    let to = to.map(|v| parse_day("to", v)).transpose()?;
    if let (Some(f), Some(t)) = (from, to)
        && f > t
    {
        return Err(ApiError::BadRequest("from must not be after to".into()));
    }
    Ok((from, to.map(|t| t + 86_400)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_templates_match_concrete_paths() {
        assert!(path_matches("/api/v1/reports/{id}", "/api/v1/reports/abc"));
        assert!(!path_matches("/api/v1/reports/{id}", "/api/v1/reports"));
    }
}
