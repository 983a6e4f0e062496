//! White-label branding of a tenant: `GET/PUT/DELETE /tenants/{tenant_id}/branding`.
//!
//! Invariants:
//! - Everything a PUT carries is checked here, once, into a [`Branding`]: the logo by
//!   [`Logo::parse`] (size cap, PNG that decodes, SVG without active content or external
//!   references), colours, language, contact. A refused input is a 422 with its own `code`
//!   (`logo_too_large`, `logo_invalid`, `logo_unsafe`, `unsupported_language`,
//!   `validation_failed`); a body over the JSON limit is the usual 413.
//! - GET answers the EFFECTIVE brand (own, else the nearest ancestor's, else ruad's) with
//!   where it comes from, and the logo inline as base64: it is capped at 256 KiB, PUT takes
//!   the same shape, so a client reads, edits and writes back one object, and the generated
//!   SDKs need no binary endpoint.
//! - Another tenant's id is a 404, as for every tenant route.

use crate::api::AppState;
use crate::api::auth::Caller;
use crate::api::blocking;
use crate::api::error::{ApiError, ErrorCode, Problem};
use crate::api::problems::{AdminRequired, NotFound};
use crate::domain::branding::{Branding, Color, Language, Logo, LogoFormat};
use crate::domain::domain_name::DomainName;
use crate::domain::ids::TenantId;
use crate::domain::logo::LogoError;
use crate::domain::tenant::Role;
use crate::services::branding::{self, Effective};
use crate::storage::branding as store;
use actix_web::{HttpResponse, delete, get, put, web};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The longest display name accepted, in characters.
const MAX_DISPLAY_NAME: usize = 100;
/// The longest footer text accepted, in characters.
const MAX_FOOTER: usize = 500;
/// The longest support contact accepted, in characters.
const MAX_CONTACT: usize = 254;

/// The image format of a logo.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum LogoFormatName {
    Png,
    Svg,
}

impl From<LogoFormatName> for LogoFormat {
    fn from(f: LogoFormatName) -> LogoFormat {
        match f {
            LogoFormatName::Png => LogoFormat::Png,
            LogoFormatName::Svg => LogoFormat::Svg,
        }
    }
}

impl From<LogoFormat> for LogoFormatName {
    fn from(f: LogoFormat) -> LogoFormatName {
        match f {
            LogoFormat::Png => LogoFormatName::Png,
            LogoFormat::Svg => LogoFormatName::Svg,
        }
    }
}

/// A logo image, base64-encoded.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LogoData {
    pub format: LogoFormatName,
    /// The image bytes in standard base64 (at most 256 KiB decoded). An SVG must be
    /// well-formed and hold no script, event attribute, `<foreignObject>`, `javascript:`,
    /// DOCTYPE or reference to anything but its own `#fragments`; a PNG must decode and be
    /// at most 4096 pixels on each side.
    #[schema(example = "iVBORw0KGgo…")]
    pub data: String,
}

/// A tenant's own brand. Omitted optional fields are unset (colours and language then take
/// ruad's defaults); nothing is merged with an ancestor's brand.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PutBrandingRequest {
    /// The name readers see as the sender of documents and digests (1 to 100 characters).
    #[schema(example = "Acme Security")]
    pub display_name: String,
    pub logo: Option<LogoData>,
    /// `#rrggbb` (or `#rgb`): headings, chart lines, title bar. Default `#1f4e79`.
    #[schema(example = "#0b5394")]
    pub primary_color: Option<String>,
    /// `#rrggbb` (or `#rgb`): highlights, the second chart series. Default `#e07a1f`.
    #[schema(example = "#f1c232")]
    pub accent_color: Option<String>,
    /// A line at the foot of every page (at most 500 characters).
    #[schema(example = "Acme Security B.V. · Keizersgracht 1 · Amsterdam")]
    pub footer_text: Option<String>,
    /// Where readers ask for help: an email address or an https URL.
    #[schema(example = "support@acme.example")]
    pub support_contact: Option<String>,
    /// The language of documents and digests: `en` or `nl` (a region such as `nl-BE` is
    /// accepted and ignored). Default `en`.
    #[schema(example = "nl")]
    pub language: Option<String>,
}

/// A tenant's effective brand: its own, else its nearest branded ancestor's, else ruad's.
#[derive(Debug, Serialize, ToSchema)]
pub struct BrandingResponse {
    /// The tenant asked about.
    #[schema(value_type = String)]
    pub tenant_id: TenantId,
    /// True when the tenant set this brand itself.
    pub own: bool,
    /// The tenant this brand comes from (the tenant itself when `own`); `null` for ruad's
    /// built-in brand (always present).
    #[schema(value_type = Option<String>)]
    pub inherited_from: Option<TenantId>,
    pub display_name: String,
    pub logo: Option<LogoData>,
    #[schema(example = "#0b5394")]
    pub primary_color: String,
    #[schema(example = "#f1c232")]
    pub accent_color: String,
    pub footer_text: Option<String>,
    pub support_contact: Option<String>,
    /// `en` or `nl`.
    #[schema(value_type = String, example = "nl")]
    pub language: Language,
    /// Unix time of the last change of this brand; `null` for the built-in one (always
    /// present).
    pub updated_at: Option<i64>,
}

impl BrandingResponse {
    fn new(tenant_id: TenantId, e: Effective) -> BrandingResponse {
        let b = e.branding;
        BrandingResponse {
            tenant_id,
            own: e.own,
            inherited_from: e.source,
            display_name: b.display_name,
            logo: b.logo.map(|l| LogoData {
                format: l.format.into(),
                data: STANDARD.encode(&l.bytes),
            }),
            primary_color: b.primary_color.to_string(),
            accent_color: b.accent_color.to_string(),
            footer_text: b.footer_text,
            support_contact: b.support_contact,
            language: b.language,
            updated_at: e.updated_at,
        }
    }
}

/// A text field trimmed, without control characters, of 1 to `max` characters.
fn text(field: &str, value: &str, max: usize) -> Result<String, ApiError> {
    let value = value.trim();
    if value.is_empty() || value.chars().count() > max {
        return Err(ApiError::Validation(format!(
            "{field} must have 1 to {max} characters"
        )));
    }
    if value.chars().any(char::is_control) {
        return Err(ApiError::Validation(format!(
            "{field} must not contain control characters"
        )));
    }
    Ok(value.to_string())
}

fn color(field: &str, value: Option<&str>, default: Color) -> Result<Color, ApiError> {
    match value {
        None => Ok(default),
        Some(v) => v
            .parse()
            .map_err(|_| ApiError::Validation(format!("{field} must be #rrggbb (got {v:?})"))),
    }
}

/// An email address (`local@domain`, the domain a valid name) or an https URL with a host.
fn support_contact(value: &str) -> Result<String, ApiError> {
    let value = text("support_contact", value, MAX_CONTACT)?;
    let invalid =
        || ApiError::Validation("support_contact must be an email address or an https URL".into());
    if value.contains("://") {
        let url = url::Url::parse(&value).map_err(|_| invalid())?;
        if url.scheme() != "https" || url.host_str().is_none_or(str::is_empty) {
            return Err(invalid());
        }
    } else {
        let (local, domain) = value.rsplit_once('@').ok_or_else(invalid)?;
        if local.is_empty()
            || local
                .chars()
                .any(|c| c.is_whitespace() || "<>()[]\\,;:\"@".contains(c))
            || DomainName::parse(domain).is_err()
            || !domain.contains('.')
        {
            return Err(invalid());
        }
    }
    Ok(value)
}

fn logo(data: &LogoData) -> Result<Logo, ApiError> {
    let bytes = STANDARD
        .decode(data.data.trim())
        .map_err(|_| ApiError::Validation("logo.data must be standard base64 (RFC 4648)".into()))?;
    Logo::parse(data.format.into(), bytes).map_err(|e| {
        let code = match e {
            LogoError::TooLarge(_) => ErrorCode::LogoTooLarge,
            LogoError::Invalid { .. } => ErrorCode::LogoInvalid,
            LogoError::Unsafe(_) => ErrorCode::LogoUnsafe,
        };
        ApiError::Unprocessable {
            code,
            detail: e.to_string(),
        }
    })
}

impl PutBrandingRequest {
    /// The brand this request sets, every field checked.
    fn into_branding(self) -> Result<Branding, ApiError> {
        let defaults = Branding::ruad();
        let language = match self.language.as_deref() {
            None => Language::default(),
            Some(tag) => tag.parse::<Language>()?,
        };
        Ok(Branding {
            display_name: text("display_name", &self.display_name, MAX_DISPLAY_NAME)?,
            primary_color: color(
                "primary_color",
                self.primary_color.as_deref(),
                defaults.primary_color,
            )?,
            accent_color: color(
                "accent_color",
                self.accent_color.as_deref(),
                defaults.accent_color,
            )?,
            footer_text: self
                .footer_text
                .as_deref()
                .map(|f| text("footer_text", f, MAX_FOOTER))
                .transpose()?,
            support_contact: self
                .support_contact
                .as_deref()
                .map(support_contact)
                .transpose()?,
            language,
            logo: self.logo.as_ref().map(logo).transpose()?,
        })
    }
}

/// The effective brand of a tenant: its own, else its nearest branded ancestor's, else
/// ruad's; with where it comes from.
#[utoipa::path(tag = "tenants", security(("bearer" = [])),
    params(("tenant_id" = String, Path, description = "Tenant id")),
    responses(
        (status = 200, description = "The effective brand", body = BrandingResponse),
        (status = 404, response = NotFound),
))]
#[get("/tenants/{tenant_id}/branding")]
pub async fn get_branding(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<TenantId>,
) -> Result<web::Json<BrandingResponse>, ApiError> {
    let id = path.into_inner();
    let effective = {
        let id = id.clone();
        blocking(move || {
            Ok(state
                .db
                .read(|conn| branding::resolve(conn, &caller.scope, &id))?)
        })
        .await?
    };
    Ok(web::Json(BrandingResponse::new(id, effective)))
}

/// Set a tenant's own brand (admin). It replaces any brand the tenant had, and applies to the
/// tenant and every descendant without a brand of its own.
#[utoipa::path(tag = "tenants", security(("bearer" = [])),
    params(("tenant_id" = String, Path, description = "Tenant id")),
    request_body = PutBrandingRequest,
    responses(
        (status = 200, description = "The brand as stored", body = BrandingResponse),
        (status = 403, response = AdminRequired),
        (status = 404, response = NotFound),
        (status = 422, description = "A field is invalid: `logo_too_large` (over 256 KiB), \
            `logo_invalid` (not a decodable PNG, or over 4096 pixels a side), `logo_unsafe` \
            (an SVG with a script, event attribute, `javascript:`, DOCTYPE or external \
            reference, or not well-formed), `unsupported_language`, or `validation_failed` \
            (name, colour, footer, contact, base64)",
            body = Problem, content_type = "application/problem+json"),
))]
#[put("/tenants/{tenant_id}/branding")]
pub async fn put_branding(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<TenantId>,
    body: web::Json<PutBrandingRequest>,
) -> Result<web::Json<BrandingResponse>, ApiError> {
    caller.require(Role::Admin)?;
    let id = path.into_inner();
    // Decoding a PNG to prove it whole is CPU work: off the async workers.
    let body = body.into_inner();
    let new = blocking(move || body.into_branding()).await?;
    let effective = {
        let id = id.clone();
        blocking(move || {
            Ok(state.db.write(|conn| {
                store::upsert_branding(conn, &caller.scope, &id, &new)?;
                branding::resolve(conn, &caller.scope, &id)
            })?)
        })
        .await?
    };
    Ok(web::Json(BrandingResponse::new(id, effective)))
}

/// Remove a tenant's own brand (admin): it inherits its nearest branded ancestor's again.
#[utoipa::path(tag = "tenants", security(("bearer" = [])),
    params(("tenant_id" = String, Path, description = "Tenant id")),
    responses(
        (status = 204, description = "Removed (also when the tenant had no brand of its own)"),
        (status = 403, response = AdminRequired),
        (status = 404, response = NotFound),
))]
#[delete("/tenants/{tenant_id}/branding")]
pub async fn delete_branding(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<TenantId>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Role::Admin)?;
    let id = path.into_inner();
    blocking(move || {
        Ok(state
            .db
            .write(|conn| store::delete_branding(conn, &caller.scope, &id))?)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_support_contact_is_an_email_address_or_an_https_url() {
        for ok in [
            "support@acme.example",
            "https://acme.example/help",
            "first.last+dmarc@mail.acme.example",
        ] {
            assert!(support_contact(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://acme.example",
            "javascript://x",
            "acme.example",
            "@acme.example",
            "a b@acme.example",
            "x@localhost",
            "https://",
        ] {
            assert!(support_contact(bad).is_err(), "{bad}");
        }
    }
}
