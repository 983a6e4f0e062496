//! The API's error type: RFC 9457 `application/problem+json` with a stable `code`.
//!
//! `ApiError` is the only `ResponseError`. `detail` is what clients see; internal causes (a
//! database's own error text among them) go to the log only, in the request's span, never to
//! the client. Every problem carries the request's id ([`crate::api::request_id`]).

use crate::storage::StorageError;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

/// Stable machine-readable error codes (part of the API contract).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// No valid credentials were given.
    Unauthenticated,
    /// The credentials do not allow this operation.
    Forbidden,
    /// The resource does not exist (or is not visible to the caller).
    NotFound,
    /// The request body, path or query is malformed.
    BadRequest,
    /// The request conflicts with the current state (e.g. a domain registered twice).
    Conflict,
    /// The request body is larger than allowed.
    PayloadTooLarge,
    /// The request body arrived too slowly or too late.
    RequestTimeout,
    /// The content type is not accepted here.
    UnsupportedMediaType,
    /// A report is about a domain that is not registered.
    DomainNotRegistered,
    /// A domain name is held by several tenants of the caller's subtree: name the domain by
    /// its id, or (for uploads) the tenant with `tenant_id`.
    AmbiguousDomain,
    /// The upload holds no report that could be stored.
    NoReport,
    /// The request is well-formed but not valid.
    ValidationFailed,
    /// The method is not allowed on this resource.
    MethodNotAllowed,
    /// The database is unavailable; retry later.
    Unavailable,
    /// Mail intake is not configured on this server (`RUAD_MAIL_DOMAIN` is unset).
    MailIntakeNotConfigured,
    /// An unexpected error; details are in the server log.
    Internal,
    /// The server lacks a setting this operation needs (e.g. `secret_key` for mailboxes).
    NotConfigured,
    /// A branding logo is larger than allowed (256 KiB decoded).
    LogoTooLarge,
    /// A branding logo is not an image of its declared format, or has absurd dimensions.
    LogoInvalid,
    /// An SVG logo is not well-formed or holds a script, an event handler, `javascript:` or an
    /// external reference.
    LogoUnsafe,
    /// No message catalog covers the language asked for.
    UnsupportedLanguage,
    /// A recipient is not an email address, or there are none or more than 20.
    InvalidRecipients,
    /// A time zone is not an IANA time zone name.
    InvalidTimeZone,
    /// A schedule's day or hour is out of range (weekly: ISO weekday 1 to 7; monthly: day
    /// 1 to 28; hour 0 to 23).
    InvalidSchedule,
    /// No SMTP relay is configured (`RUAD_SMTP_RELAY_URL`, `RUAD_DIGEST_FROM`): digests
    /// cannot be sent.
    DigestRelayNotConfigured,
    /// A document was asked for a period longer than documents cover (366 days).
    PeriodTooLong,
    /// A document format other than `html` or `pdf` was asked for.
    UnsupportedFormat,
    /// The data asked for was deleted by the tenant's retention (410).
    Expired,
    /// A flexible query exceeds a bound (domains, rows, raw records, time, or day/week
    /// buckets over more than 366 days): narrow it.
    QueryTooLarge,
}

/// RFC 9457 problem details.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Problem {
    /// A URI reference naming the problem type.
    #[serde(rename = "type")]
    #[schema(example = "https://ruad.dev/problems/not_found")]
    pub problem_type: String,
    /// Short summary of the problem type.
    pub title: String,
    /// HTTP status code.
    pub status: u16,
    /// What went wrong, for this occurrence.
    pub detail: String,
    /// Stable error code to branch on.
    pub code: ErrorCode,
    /// The request's id, as in the `x-request-id` header and the server's log lines.
    #[schema(example = "0b7d4c52-3f0e-4f39-9a43-c7d6e5a1f2b8")]
    pub request_id: String,
    /// For an upload that stored nothing: why each part was refused.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<UploadError>>,
}

/// A part of an upload that yielded no stored report.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UploadError {
    /// Multipart file name, when uploaded as multipart.
    pub file: Option<String>,
    /// Where inside the upload the part was found (zip member, attachment…).
    pub part: Option<String>,
    /// Stable code: a parser code (`not_a_report`, `malformed_xml`, `limit_exceeded`, …),
    /// `domain_not_registered` or `ambiguous_domain`.
    pub code: String,
    /// What went wrong with this part.
    pub detail: String,
    /// For `domain_not_registered` and `ambiguous_domain`: the domain the report is about.
    pub domain: Option<String>,
}

/// An API failure. The `String` of most variants is the client-facing `detail`; those of
/// `Unavailable` and `UniqueViolation` (like `Internal`'s error) are causes, logged and never
/// answered.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("unauthenticated: {0}")]
    Unauthenticated(String),
    #[error("forbidden: {0}")]
    Forbidden(String),
    #[error("not found")]
    NotFound,
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("payload too large: {0}")]
    PayloadTooLarge(String),
    #[error("request timeout: {0}")]
    RequestTimeout(String),
    #[error("unsupported media type: {0}")]
    UnsupportedMediaType(String),
    #[error("validation failed: {0}")]
    Validation(String),
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("ambiguous domain: {0}")]
    AmbiguousDomain(String),
    /// `RUAD_MAIL_DOMAIN` is unset: no report address to give (409).
    #[error("mail intake not configured: {0}")]
    MailIntakeNotConfigured(String),
    #[error("upload failed: {detail}")]
    Upload {
        code: ErrorCode,
        detail: String,
        errors: Vec<UploadError>,
    },
    /// The database is unavailable; the cause is logged.
    #[error("unavailable: {0}")]
    Unavailable(String),
    /// A unique constraint refused a write the code did not foresee (a race); the database's
    /// text is logged.
    #[error("unique violation: {0}")]
    UniqueViolation(String),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
    /// The server lacks a setting the operation needs; the text names it.
    #[error("not configured: {0}")]
    NotConfigured(String),
    /// Well-formed input refused for a reason a client branches on (422 with `code`).
    #[error("unprocessable ({code:?}): {detail}")]
    Unprocessable { code: ErrorCode, detail: String },
    /// No SMTP relay to send a digest through (409).
    #[error("digest relay not configured: {0}")]
    DigestRelayNotConfigured(String),
    /// Deleted by retention (410 `expired`).
    #[error("expired: {0}")]
    Expired(String),
}

impl From<crate::domain::branding::UnsupportedLanguage> for ApiError {
    fn from(e: crate::domain::branding::UnsupportedLanguage) -> Self {
        ApiError::Unprocessable {
            code: ErrorCode::UnsupportedLanguage,
            detail: e.to_string(),
        }
    }
}

impl ApiError {
    pub fn code(&self) -> ErrorCode {
        match self {
            ApiError::Unauthenticated(_) => ErrorCode::Unauthenticated,
            ApiError::Forbidden(_) => ErrorCode::Forbidden,
            ApiError::NotFound => ErrorCode::NotFound,
            ApiError::BadRequest(_) => ErrorCode::BadRequest,
            ApiError::Conflict(_) | ApiError::UniqueViolation(_) => ErrorCode::Conflict,
            ApiError::PayloadTooLarge(_) => ErrorCode::PayloadTooLarge,
            ApiError::RequestTimeout(_) => ErrorCode::RequestTimeout,
            ApiError::UnsupportedMediaType(_) => ErrorCode::UnsupportedMediaType,
            ApiError::Validation(_) => ErrorCode::ValidationFailed,
            ApiError::MethodNotAllowed => ErrorCode::MethodNotAllowed,
            ApiError::AmbiguousDomain(_) => ErrorCode::AmbiguousDomain,
            ApiError::MailIntakeNotConfigured(_) => ErrorCode::MailIntakeNotConfigured,
            ApiError::Upload { code, .. } => *code,
            ApiError::Unavailable(_) => ErrorCode::Unavailable,
            ApiError::Internal(_) => ErrorCode::Internal,
            ApiError::NotConfigured(_) => ErrorCode::NotConfigured,
            ApiError::Unprocessable { code, .. } => *code,
            ApiError::DigestRelayNotConfigured(_) => ErrorCode::DigestRelayNotConfigured,
            ApiError::Expired(_) => ErrorCode::Expired,
        }
    }

    fn detail(&self) -> String {
        match self {
            ApiError::Unauthenticated(m)
            | ApiError::Forbidden(m)
            | ApiError::BadRequest(m)
            | ApiError::Conflict(m)
            | ApiError::PayloadTooLarge(m)
            | ApiError::RequestTimeout(m)
            | ApiError::UnsupportedMediaType(m)
            | ApiError::Validation(m)
            | ApiError::AmbiguousDomain(m)
            | ApiError::NotConfigured(m)
            | ApiError::DigestRelayNotConfigured(m)
            | ApiError::Expired(m)
            | ApiError::MailIntakeNotConfigured(m) => m.clone(),
            ApiError::Upload { detail, .. } | ApiError::Unprocessable { detail, .. } => {
                detail.clone()
            }
            ApiError::NotFound => "the resource does not exist".into(),
            ApiError::MethodNotAllowed => "the method is not allowed on this resource".into(),
            ApiError::Unavailable(_) => "the database is unavailable; retry later".into(),
            ApiError::UniqueViolation(_) => {
                "the request conflicts with data written at the same time; read the resource \
                 and retry"
                    .into()
            }
            ApiError::Internal(_) => "an internal error occurred; it has been logged".into(),
        }
    }

    pub fn problem(&self) -> Problem {
        let status = self.status_code();
        let code = self.code();
        let code_text = serde_json::to_value(code)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        Problem {
            problem_type: format!("https://ruad.dev/problems/{code_text}"),
            title: status.canonical_reason().unwrap_or("Error").to_string(),
            status: status.as_u16(),
            detail: self.detail(),
            code,
            request_id: crate::api::request_id::current()
                .unwrap_or_else(crate::api::request_id::RequestId::generate)
                .to_string(),
            errors: match self {
                ApiError::Upload { errors, .. } => Some(errors.clone()),
                _ => None,
            },
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Conflict(_) | ApiError::UniqueViolation(_) => StatusCode::CONFLICT,
            ApiError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::RequestTimeout(_) => StatusCode::REQUEST_TIMEOUT,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::AmbiguousDomain(_)
            | ApiError::MailIntakeNotConfigured(_)
            | ApiError::DigestRelayNotConfigured(_)
            | ApiError::Upload {
                code: ErrorCode::AmbiguousDomain,
                ..
            } => StatusCode::CONFLICT,
            ApiError::Validation(_) | ApiError::Upload { .. } | ApiError::Unprocessable { .. } => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            ApiError::NotConfigured(_) => StatusCode::NOT_IMPLEMENTED,
            ApiError::Expired(_) => StatusCode::GONE,
        }
    }

    fn error_response(&self) -> HttpResponse {
        // Logged in the request's span, so the line carries the request id the client sees.
        match self {
            ApiError::Internal(e) => tracing::error!(error = ?e, "internal error"),
            ApiError::Unavailable(e) => tracing::warn!(error = %e, "database unavailable"),
            ApiError::UniqueViolation(e) => {
                tracing::warn!(error = %e, "a unique constraint refused a write")
            }
            _ => {}
        }
        let mut response = HttpResponse::build(self.status_code());
        response.content_type("application/problem+json");
        if matches!(self, ApiError::Unauthenticated(_)) {
            response.insert_header(("WWW-Authenticate", "Bearer"));
        }
        response.json(self.problem())
    }
}

impl From<StorageError> for ApiError {
    fn from(e: StorageError) -> Self {
        match e {
            StorageError::NotFound => ApiError::NotFound,
            StorageError::Conflict(m) => ApiError::Conflict(m),
            StorageError::Ambiguous { name, tenants } => ApiError::AmbiguousDomain(format!(
                "{name} is registered by {} tenants in your subtree ({}); name the domain by \
                 its id instead",
                tenants.len(),
                tenants.join(", ")
            )),
            StorageError::Unavailable(m) => ApiError::Unavailable(m),
            StorageError::UniqueViolation(m) => ApiError::UniqueViolation(m),
            other => ApiError::Internal(anyhow::Error::new(other)),
        }
    }
}

impl From<crate::services::BlockingError> for ApiError {
    fn from(e: crate::services::BlockingError) -> Self {
        ApiError::Internal(anyhow::Error::new(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_database_failure_answers_a_fixed_detail_without_the_database_text() {
        let secret = "UNIQUE constraint failed: tenants.secret_column";
        for (error, status, code) in [
            (
                StorageError::UniqueViolation(secret.into()),
                409,
                ErrorCode::Conflict,
            ),
            (
                StorageError::Unavailable(secret.into()),
                503,
                ErrorCode::Unavailable,
            ),
            (
                StorageError::Config(secret.into()),
                500,
                ErrorCode::Internal,
            ),
            (
                StorageError::Database(diesel::result::Error::QueryBuilderError(secret.into())),
                500,
                ErrorCode::Internal,
            ),
            (
                StorageError::Other(anyhow::anyhow!(secret)),
                500,
                ErrorCode::Internal,
            ),
        ] {
            let problem = ApiError::from(error).problem();
            assert_eq!((problem.status, problem.code), (status, code));
            let body = serde_json::to_string(&problem).unwrap_or_default();
            assert!(!body.contains("secret_column"), "{body}");
            assert!(!problem.detail.is_empty());
        }
    }

    #[test]
    fn a_problem_outside_a_request_still_has_a_request_id() {
        assert!(!ApiError::NotFound.problem().request_id.is_empty());
    }
}
