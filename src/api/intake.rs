//! Mail intake: a tenant's report address (`<token>@<RUAD_MAIL_DOMAIN>`), a domain's own
//! address, the records to publish to send reports there, rotation, and the tenant setting
//! `auto_register_domains` (`services::intake` has the routing rules).
//!
//! Without `RUAD_MAIL_DOMAIN` there is no address to give: every route answers 409
//! `mail_intake_not_configured` (the request conflicts with the server's configuration, and
//! retrying does not help until the operator sets it, so not a 503).

use crate::api::AppState;
use crate::api::auth::Caller;
use crate::api::blocking;
use crate::api::error::{ApiError, Problem};
use crate::api::problems::{AdminRequired, NotFound};
use crate::domain::ids::TenantId;
use crate::domain::tenant::Role;
use crate::services::intake::{self, IntakeRecords};
use crate::storage::intake::{self as store, AutoRegisterSetting};
use crate::storage::{TenantScope, domains, tenants};
use actix_web::{get, patch, post, web};
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::{IntoParams, ToSchema};

/// The records that make receivers send reports to a report address.
#[derive(Serialize, ToSchema)]
pub struct IntakeRecordsResponse {
    /// The report address.
    #[schema(example = "k3v7q2…@reports.example.net")]
    pub address: String,
    /// Value of the DMARC `rua` tag (aggregate reports).
    #[schema(example = "mailto:k3v7q2…@reports.example.net")]
    pub dmarc_rua: String,
    /// Value of the DMARC `ruf` tag (failure reports).
    pub dmarc_ruf: String,
    /// A DMARC record (`_dmarc.<domain>` TXT) with both tags and `p=none`; keep the domain's
    /// own policy and other tags when it has a record already.
    #[schema(
        example = "v=DMARC1; p=none; rua=mailto:k3v7q2…@reports.example.net; ruf=mailto:k3v7q2…@reports.example.net"
    )]
    pub dmarc_record: String,
    /// The TLS-RPT record (`_smtp._tls.<domain>` TXT).
    #[schema(example = "v=TLSRPTv1; rua=mailto:k3v7q2…@reports.example.net")]
    pub tlsrpt_record: String,
    /// The external destination authorization (RFC 7489 §7.1) the operator of the mail
    /// domain publishes so that receivers send a domain's reports to an address outside it.
    pub authorization: AuthorizationRecord,
}

/// The RFC 7489 §7.1 authorization record: TXT `value` at `name`, published in the mail
/// domain's zone by the ruad operator (not by the domain owner). Receivers check it before
/// sending a domain's reports to an address in another organizational domain.
#[derive(Serialize, ToSchema)]
pub struct AuthorizationRecord {
    /// The record name for the domain asked about, or the pattern with `{domain}` standing
    /// for each customer domain.
    #[schema(example = "customer.example._report._dmarc.reports.example.net")]
    pub name: String,
    /// The TXT value.
    #[schema(example = "v=DMARC1")]
    pub value: String,
    /// One record at this name authorizes every domain at once (a wildcard: the mail domain
    /// then accepts any domain's reports, which suits a dedicated report domain).
    #[schema(example = "*._report._dmarc.reports.example.net")]
    pub wildcard_name: String,
}

impl From<IntakeRecords> for IntakeRecordsResponse {
    fn from(r: IntakeRecords) -> Self {
        IntakeRecordsResponse {
            address: r.address,
            dmarc_rua: r.dmarc_rua,
            dmarc_ruf: r.dmarc_ruf,
            dmarc_record: r.dmarc_record,
            tlsrpt_record: r.tlsrpt_record,
            authorization: AuthorizationRecord {
                name: r.authorization_name,
                value: r.authorization_value,
                wildcard_name: r.authorization_wildcard,
            },
        }
    }
}

/// Whether reports for domains the tenant has not registered register them.
#[derive(Serialize, ToSchema)]
pub struct AutoRegisterResponse {
    /// The value in force: the tenant's own, else the nearest ancestor's, else false.
    pub effective: bool,
    /// The tenant's own value; `null` inherits.
    pub own: Option<bool>,
}

impl From<AutoRegisterSetting> for AutoRegisterResponse {
    fn from(s: AutoRegisterSetting) -> Self {
        AutoRegisterResponse {
            effective: s.effective,
            own: s.own,
        }
    }
}

/// A tenant's mail intake.
#[derive(Serialize, ToSchema)]
pub struct IntakeResponse {
    #[schema(value_type = String)]
    pub tenant_id: TenantId,
    /// The tenant's report address and the records that use it. Reports arriving there are
    /// filed under the tenant's own registered domains (not its sub-tenants').
    #[serde(flatten)]
    pub records: IntakeRecordsResponse,
    /// `auto_register_domains`: with it, a report for a domain the tenant has not registered
    /// registers the domain (its organizational domain); without it, the report is refused.
    pub auto_register_domains: AutoRegisterResponse,
}

/// A domain's mail intake.
#[derive(Serialize, ToSchema)]
pub struct DomainIntakeResponse {
    #[schema(example = "example.com")]
    pub domain: String,
    #[schema(value_type = String)]
    pub tenant_id: TenantId,
    /// Whether the address is the domain's own (`POST …/intake/rotate` creates one); else it
    /// is its tenant's.
    pub own_address: bool,
    /// The address and the records for this domain (the authorization record named for it).
    #[serde(flatten)]
    pub records: IntakeRecordsResponse,
}

/// Query of the tenant intake routes.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct IntakeQuery {
    /// The tenant (default: the caller's); must be in the caller's subtree.
    #[param(value_type = Option<String>)]
    pub tenant_id: Option<TenantId>,
    /// A customer domain: the authorization record is named for it (default: the pattern).
    #[param(example = "customer.example")]
    pub domain: Option<String>,
}

/// `PATCH /intake` body.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateIntakeRequest {
    /// `true` or `false` sets the tenant's own value; `null` inherits its parent's (false at
    /// the root). Absent: unchanged.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<bool>, nullable)]
    pub auto_register_domains: Option<Option<bool>>,
}

/// A present field (even `null`) is `Some`; an absent one stays `None` (the default).
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<bool>>, D::Error> {
    Option::<bool>::deserialize(d).map(Some)
}

fn mail_domain(state: &AppState) -> Result<String, ApiError> {
    state.settings.mail_domain.clone().ok_or_else(|| {
        ApiError::MailIntakeNotConfigured(
            "mail intake is not configured on this server: the operator sets RUAD_MAIL_DOMAIN"
                .into(),
        )
    })
}

fn tenant_of(caller: &Caller, query: &IntakeQuery) -> TenantId {
    query
        .tenant_id
        .clone()
        .unwrap_or_else(|| caller.scope.tenant_id.clone())
}

fn intake_response(
    tenant_id: TenantId,
    token: &str,
    mail_domain: &str,
    domain: Option<&str>,
    setting: AutoRegisterSetting,
) -> IntakeResponse {
    IntakeResponse {
        tenant_id,
        records: intake::records(token, mail_domain, domain).into(),
        auto_register_domains: setting.into(),
    }
}

/// What the tenant routes read: the token (created on first use) and the setting.
fn read_tenant(
    state: &AppState,
    scope: &TenantScope,
    tenant: &TenantId,
    rotate: bool,
) -> Result<(String, AutoRegisterSetting), ApiError> {
    Ok(state.db.write(|conn| {
        let token = if rotate {
            store::rotate_tenant_address(conn, scope, tenant)?
        } else {
            store::tenant_address(conn, scope, tenant)?
        };
        Ok((token, store::auto_register_setting(conn, tenant)?))
    })?)
}

fn checked_domain(domain: Option<&str>) -> Result<Option<String>, ApiError> {
    domain
        .map(|d| {
            crate::domain::domain_name::DomainName::parse(d)
                .map(|n| n.as_str().to_string())
                .map_err(|e| ApiError::Validation(e.to_string()))
        })
        .transpose()
}

/// Get a tenant's report address, its `auto_register_domains` setting, and the records to
/// publish: the DMARC `rua`/`ruf` values, the TLS-RPT record, and the RFC 7489 §7.1
/// authorization record the operator publishes in the mail domain.
#[utoipa::path(tag = "intake", security(("bearer" = [])), params(IntakeQuery), responses(
    (status = 200, description = "The tenant's report address and records", body = IntakeResponse),
    (status = 404, response = NotFound),
    (status = 409, description = "Mail intake is not configured (`mail_intake_not_configured`: RUAD_MAIL_DOMAIN is unset)", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "`domain` is not a valid domain name", body = Problem, content_type = "application/problem+json"),
))]
#[get("/intake")]
pub async fn get_intake(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<IntakeQuery>,
) -> Result<web::Json<IntakeResponse>, ApiError> {
    let mail_domain = mail_domain(&state)?;
    let tenant = tenant_of(&caller, &query);
    let domain = checked_domain(query.domain.as_deref())?;
    let t = tenant.clone();
    let (token, setting) = blocking(move || read_tenant(&state, &caller.scope, &t, false)).await?;
    Ok(web::Json(intake_response(
        tenant,
        &token,
        &mail_domain,
        domain.as_deref(),
        setting,
    )))
}

/// Replace a tenant's report address; the old address stops receiving at once (mail to it
/// is refused with 550 5.1.1), so update the published records first.
#[utoipa::path(tag = "intake", security(("bearer" = [])), params(IntakeQuery), responses(
    (status = 200, description = "The new report address and records", body = IntakeResponse),
    (status = 403, response = AdminRequired),
    (status = 404, response = NotFound),
    (status = 409, description = "Mail intake is not configured (`mail_intake_not_configured`: RUAD_MAIL_DOMAIN is unset)", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "`domain` is not a valid domain name", body = Problem, content_type = "application/problem+json"),
))]
#[post("/intake/rotate")]
pub async fn rotate_intake_address(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<IntakeQuery>,
) -> Result<web::Json<IntakeResponse>, ApiError> {
    caller.require(Role::Admin)?;
    let mail_domain = mail_domain(&state)?;
    let tenant = tenant_of(&caller, &query);
    let domain = checked_domain(query.domain.as_deref())?;
    let t = tenant.clone();
    let (token, setting) = blocking(move || read_tenant(&state, &caller.scope, &t, true)).await?;
    Ok(web::Json(intake_response(
        tenant,
        &token,
        &mail_domain,
        domain.as_deref(),
        setting,
    )))
}

/// Set a tenant's `auto_register_domains` (`null`: inherit from its parent).
#[utoipa::path(tag = "intake", security(("bearer" = [])), params(IntakeQuery), request_body = UpdateIntakeRequest, responses(
    (status = 200, description = "The tenant's intake after the change", body = IntakeResponse),
    (status = 403, response = AdminRequired),
    (status = 404, response = NotFound),
    (status = 409, description = "Mail intake is not configured (`mail_intake_not_configured`: RUAD_MAIL_DOMAIN is unset)", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "`domain` is not a valid domain name", body = Problem, content_type = "application/problem+json"),
))]
#[patch("/intake")]
pub async fn update_intake(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<IntakeQuery>,
    body: web::Json<UpdateIntakeRequest>,
) -> Result<web::Json<IntakeResponse>, ApiError> {
    caller.require(Role::Admin)?;
    let mail_domain = mail_domain(&state)?;
    let tenant = tenant_of(&caller, &query);
    let domain = checked_domain(query.domain.as_deref())?;
    let change = body.into_inner().auto_register_domains;
    let t = tenant.clone();
    let (token, setting) = blocking(move || {
        if let Some(value) = change {
            state
                .db
                .write(|conn| store::set_auto_register(conn, &caller.scope, &t, value))?;
        }
        read_tenant(&state, &caller.scope, &t, false)
    })
    .await?;
    Ok(web::Json(intake_response(
        tenant,
        &token,
        &mail_domain,
        domain.as_deref(),
        setting,
    )))
}

/// A domain's address (its own, else its tenant's), created or rotated on request.
fn domain_intake(
    state: &AppState,
    scope: &TenantScope,
    name: &str,
    rotate: bool,
) -> Result<DomainIntakeResponse, ApiError> {
    let mail_domain = mail_domain(state)?;
    let (domain, token, own) = state.db.write(|conn| {
        let domain = domains::get_domain_by_name(conn, scope, name)?;
        let own = if rotate {
            Some(store::rotate_domain_address(
                conn,
                &domain.tenant_id,
                &domain.id,
            )?)
        } else {
            store::domain_address(conn, &domain.id)?
        };
        let (token, own) = match own {
            Some(token) => (token, true),
            None => {
                // The domain's tenant is in scope (the domain is).
                let tenant = tenants::get_tenant(conn, scope, &domain.tenant_id)?;
                (store::tenant_address(conn, scope, &tenant.id)?, false)
            }
        };
        Ok((domain, token, own))
    })?;
    Ok(DomainIntakeResponse {
        records: intake::records(&token, &mail_domain, Some(&domain.name)).into(),
        domain: domain.name,
        tenant_id: domain.tenant_id,
        own_address: own,
    })
}

/// Get the report address for one domain (its own address when it has one, else its
/// tenant's) and the records to publish for it.
#[utoipa::path(tag = "intake", security(("bearer" = [])), params(("domain" = String, Path, description = "Domain name")), responses(
    (status = 200, description = "The domain's report address and records", body = DomainIntakeResponse),
    (status = 404, response = NotFound),
    (status = 409, description = "Mail intake is not configured (`mail_intake_not_configured`: RUAD_MAIL_DOMAIN is unset)", body = Problem, content_type = "application/problem+json"),
))]
#[get("/domains/{domain}/intake")]
pub async fn get_domain_intake(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> Result<web::Json<DomainIntakeResponse>, ApiError> {
    mail_domain(&state)?;
    let name = path.into_inner();
    let response = blocking(move || domain_intake(&state, &caller.scope, &name, false)).await?;
    Ok(web::Json(response))
}

/// Give a domain a report address of its own, or replace the one it has (the old one stops
/// receiving at once). Reports arriving there are filed under this domain only.
#[utoipa::path(tag = "intake", security(("bearer" = [])), params(("domain" = String, Path, description = "Domain name")), responses(
    (status = 200, description = "The domain's new report address and records", body = DomainIntakeResponse),
    (status = 403, response = AdminRequired),
    (status = 404, response = NotFound),
    (status = 409, description = "Mail intake is not configured (`mail_intake_not_configured`: RUAD_MAIL_DOMAIN is unset)", body = Problem, content_type = "application/problem+json"),
))]
#[post("/domains/{domain}/intake/rotate")]
pub async fn rotate_domain_intake_address(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> Result<web::Json<DomainIntakeResponse>, ApiError> {
    caller.require(Role::Admin)?;
    mail_domain(&state)?;
    let name = path.into_inner();
    let response = blocking(move || domain_intake(&state, &caller.scope, &name, true)).await?;
    Ok(web::Json(response))
}
