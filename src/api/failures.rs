//! DMARC failure reports of a domain (RFC 6591 ARF, stored redacted as the tenant's privacy
//! setting says): list with filters, read one, delete one, counts by source and by failure
//! type; and the tenant's failure report settings (`failure_report_privacy`).
//!
//! Failure reports arrive through every intake path (upload, mail); the upload answer names
//! them with kind `failure_report`.

use crate::api::AppState;
use crate::api::auth::Caller;
use crate::api::blocking;
use crate::api::error::{ApiError, Problem};
use crate::api::pagination;
use crate::api::problems::{AdminRequired, NotFound, WriterRequired};
use crate::domain::failure::{FailurePrivacy, FailureReport};
use crate::domain::ids::{ReportId, TenantId};
use crate::domain::tenant::Role;
use crate::reports::Warning;
use crate::storage::domains;
use crate::storage::failures::{self as store, FailureCount, FailureFilter, FailureRow};
use actix_web::{HttpResponse, delete, get, patch, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// One stored failure report.
#[derive(Serialize, ToSchema)]
pub struct FailureResponse {
    #[schema(value_type = String)]
    pub id: ReportId,
    /// The registered domain it is filed under.
    pub domain: String,
    /// `Reported-Domain`, else the From domain of the failing message.
    pub policy_domain: String,
    /// How it was stored: `redacted`, `headers` or `full`.
    pub privacy: FailurePrivacy,
    /// The domain of the report email's sender (the reporting organization).
    pub reporter: Option<String>,
    /// Where the failing message came from.
    pub source_ip: Option<String>,
    /// `Auth-Failure` values.
    pub auth_failure: Vec<String>,
    pub delivery_result: Option<String>,
    /// When the failing message arrived (Unix time; the report's date when it did not say).
    pub arrival_date: i64,
    /// Messages the report stands for.
    pub incidents: i64,
    /// When ruad stored it (Unix time).
    pub created_at: i64,
    /// The report as stored (redacted unless the tenant keeps more).
    pub report: FailureReport,
    /// Tolerances applied while parsing.
    pub warnings: Vec<Warning>,
}

impl FailureResponse {
    fn from_row(row: FailureRow, domain: &str) -> Result<Self, ApiError> {
        let bad = |what: &str| {
            ApiError::Internal(anyhow::anyhow!(
                "stored failure report {} has bad {what}",
                row.id
            ))
        };
        Ok(FailureResponse {
            report: serde_json::from_str(&row.report).map_err(|_| bad("report"))?,
            warnings: serde_json::from_str(&row.warnings).map_err(|_| bad("warnings"))?,
            privacy: FailurePrivacy::parse(&row.privacy).ok_or_else(|| bad("privacy"))?,
            auth_failure: row.auth_failures(),
            id: row.id,
            domain: domain.to_string(),
            policy_domain: row.policy_domain,
            reporter: row.reporter,
            source_ip: row.source_ip,
            delivery_result: row.delivery_result,
            arrival_date: row.arrival_ts,
            incidents: row.incidents,
            created_at: row.created_at,
        })
    }
}

/// A page of failure reports.
#[derive(Serialize, ToSchema)]
pub struct FailureListResponse {
    pub items: Vec<FailureResponse>,
    /// Pass as `cursor` to get the next page; `null` on the last page (always present).
    pub next_cursor: Option<String>,
}

/// Filters and pagination for a domain's failure reports.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct FailureListQuery {
    /// Only failures that arrived on or after this day (ISO 8601 date, UTC).
    #[param(example = "2026-11-01")]
    pub from: Option<String>,
    /// Only failures that arrived on or before this day (ISO 8601 date, UTC).
    #[param(example = "2026-11-30")]
    pub to: Option<String>,
    /// Only failures of messages from this IP address.
    pub source_ip: Option<String>,
    /// Only failures with this `Auth-Failure` value (`dmarc`, `spf`, `dkim`, `bodyhash`, …).
    pub auth_failure: Option<String>,
    /// Only failures about this policy domain (the domain or a name below it that the
    /// report named).
    pub policy_domain: Option<String>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Page size (1 to 500, default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
}

fn ip_filter(value: Option<String>) -> Result<Option<String>, ApiError> {
    value
        .map(|v| {
            v.trim()
                .parse::<std::net::IpAddr>()
                .map(|ip| ip.to_string())
                .map_err(|_| ApiError::BadRequest(format!("source_ip: '{v}' is not an IP address")))
        })
        .transpose()
}

/// List a domain's failure reports, newest arrival first.
#[utoipa::path(tag = "failures", security(("bearer" = [])),
    params(("domain" = String, Path, description = "Domain name"), FailureListQuery),
    responses(
        (status = 200, description = "A page of failure reports", body = FailureListResponse),
        (status = 400, description = "Bad filter or cursor", body = Problem, content_type = "application/problem+json"),
        (status = 404, response = NotFound),
))]
#[get("/domains/{domain}/failures")]
pub async fn list_failures(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    query: web::Query<FailureListQuery>,
) -> Result<web::Json<FailureListResponse>, ApiError> {
    let q = query.into_inner();
    let limit = pagination::checked_limit(q.limit)?;
    let after = pagination::number_cursor(q.cursor.as_deref())?;
    let (from, to) = crate::api::parse_day_bounds(q.from.as_deref(), q.to.as_deref())?;
    let filter = FailureFilter {
        from,
        to,
        source_ip: ip_filter(q.source_ip)?,
        auth_failure: q
            .auth_failure
            .map(|t| t.trim().to_ascii_lowercase())
            .filter(|t| !t.is_empty()),
        policy_domain: q
            .policy_domain
            .map(|d| d.trim().trim_end_matches('.').to_ascii_lowercase())
            .filter(|d| !d.is_empty()),
    };
    let name = path.into_inner();
    let (rows, domain) = blocking(move || {
        Ok(state.db.read(|conn| {
            let domain = domains::get_domain_by_name(conn, &caller.scope, &name)?;
            let rows =
                store::list_failures(conn, &caller.scope, &domain.id, &filter, after, limit + 1)?;
            Ok((rows, domain.name))
        })?)
    })
    .await?;
    let (rows, next_cursor) =
        pagination::page(rows, limit, |r| format!("{}:{}", r.arrival_ts, r.id));
    Ok(web::Json(FailureListResponse {
        items: rows
            .into_iter()
            .map(|r| FailureResponse::from_row(r, &domain))
            .collect::<Result<_, _>>()?,
        next_cursor,
    }))
}

/// Reports and incidents of one source or failure type.
#[derive(Serialize, ToSchema)]
pub struct FailureCountResponse {
    /// The source IP (`null`: reports that named none) or the `Auth-Failure` value.
    pub key: Option<String>,
    pub reports: i64,
    pub incidents: i64,
}

impl From<FailureCount> for FailureCountResponse {
    fn from(c: FailureCount) -> Self {
        FailureCountResponse {
            key: c.key,
            reports: c.reports,
            incidents: c.incidents,
        }
    }
}

/// Failure counts of a domain over a range of days.
#[derive(Serialize, ToSchema)]
pub struct FailureSummaryResponse {
    /// First day counted (ISO 8601 date).
    pub from: String,
    /// Last day counted (ISO 8601 date).
    pub to: String,
    pub reports: i64,
    pub incidents: i64,
    /// By source IP, most incidents first (at most 1000 sources).
    pub by_source: Vec<FailureCountResponse>,
    /// By `Auth-Failure` value, most incidents first (a report with several values counts
    /// under each).
    pub by_type: Vec<FailureCountResponse>,
}

/// The range of a summary.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct FailureSummaryQuery {
    /// First day, inclusive (ISO 8601 date; default: 30 days before `to`).
    #[param(example = "2026-11-01")]
    pub from: Option<String>,
    /// Last day, inclusive (ISO 8601 date; default: today, UTC).
    #[param(example = "2026-11-30")]
    pub to: Option<String>,
}

fn day_text(ts: i64) -> String {
    chrono::DateTime::from_timestamp(ts, 0)
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// Count a domain's failure reports by source IP and by failure type over a range of days.
#[utoipa::path(tag = "failures", security(("bearer" = [])),
    params(("domain" = String, Path, description = "Domain name"), FailureSummaryQuery),
    responses(
        (status = 200, description = "Counts by source and by failure type", body = FailureSummaryResponse),
        (status = 400, description = "Bad range", body = Problem, content_type = "application/problem+json"),
        (status = 404, response = NotFound),
))]
#[get("/domains/{domain}/failures/summary")]
pub async fn summarize_failures(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    query: web::Query<FailureSummaryQuery>,
) -> Result<web::Json<FailureSummaryResponse>, ApiError> {
    let q = query.into_inner();
    let (from, to) = crate::api::parse_day_bounds(q.from.as_deref(), q.to.as_deref())?;
    // `to` is exclusive here: the day after the last day.
    let end = match to {
        Some(t) => t,
        None => {
            let now = crate::storage::now();
            now - now.rem_euclid(86_400) + 86_400
        }
    };
    let start = from.unwrap_or(end - 30 * 86_400);
    if start >= end {
        return Err(ApiError::BadRequest("from must not be after to".into()));
    }
    let name = path.into_inner();
    let summary = blocking(move || {
        Ok(state.db.read(|conn| {
            let domain = domains::get_domain_by_name(conn, &caller.scope, &name)?;
            store::summarize_failures(conn, &caller.scope, &domain.id, start, end)
        })?)
    })
    .await?;
    Ok(web::Json(FailureSummaryResponse {
        from: day_text(start),
        to: day_text(end - 86_400),
        reports: summary.reports,
        incidents: summary.incidents,
        by_source: summary.by_source.into_iter().map(Into::into).collect(),
        by_type: summary.by_type.into_iter().map(Into::into).collect(),
    }))
}

/// Read one failure report of a domain.
#[utoipa::path(tag = "failures", security(("bearer" = [])),
    params(("domain" = String, Path, description = "Domain name"), ("failure_id" = String, Path, description = "Failure report id")),
    responses(
        (status = 200, description = "The failure report", body = FailureResponse),
        (status = 404, response = NotFound),
))]
#[get("/domains/{domain}/failures/{failure_id}")]
pub async fn get_failure(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, ReportId)>,
) -> Result<web::Json<FailureResponse>, ApiError> {
    let (name, id) = path.into_inner();
    let (row, domain) = blocking(move || {
        Ok(state.db.read(|conn| {
            let domain = domains::get_domain_by_name(conn, &caller.scope, &name)?;
            let row = store::get_failure(conn, &caller.scope, &domain.id, &id)?;
            Ok((row, domain.name))
        })?)
    })
    .await?;
    Ok(web::Json(FailureResponse::from_row(row, &domain)?))
}

/// Delete one failure report of a domain (and its raw copy, when kept).
#[utoipa::path(tag = "failures", security(("bearer" = [])),
    params(("domain" = String, Path, description = "Domain name"), ("failure_id" = String, Path, description = "Failure report id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, response = WriterRequired),
        (status = 404, response = NotFound),
))]
#[delete("/domains/{domain}/failures/{failure_id}")]
pub async fn delete_failure(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, ReportId)>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Role::Writer)?;
    let (name, id) = path.into_inner();
    blocking(move || {
        Ok(state.db.write(|conn| {
            let domain = domains::get_domain_by_name(conn, &caller.scope, &name)?;
            store::delete_failure(conn, &caller.scope, &domain.id, &id)
        })?)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A tenant's failure report settings.
#[derive(Serialize, ToSchema)]
pub struct FailureSettingsResponse {
    #[schema(value_type = String)]
    pub tenant_id: TenantId,
    /// How much of each failure report is kept (`failure_report_privacy`); applies to
    /// reports stored after it is set. Default `redacted`.
    pub failure_report_privacy: FailurePrivacy,
}

/// Changes to a tenant's failure report settings.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateFailureSettingsRequest {
    /// `redacted` (default: no body, no subjects, address local parts hashed), `headers`
    /// (no body) or `full` (everything, and the raw message).
    pub failure_report_privacy: FailurePrivacy,
}

/// Read a tenant's failure report settings.
#[utoipa::path(tag = "failures", security(("bearer" = [])),
    params(("tenant_id" = String, Path, description = "Tenant id")),
    responses(
        (status = 200, description = "The settings", body = FailureSettingsResponse),
        (status = 404, response = NotFound),
))]
#[get("/tenants/{tenant_id}/failure-settings")]
pub async fn get_failure_settings(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<TenantId>,
) -> Result<web::Json<FailureSettingsResponse>, ApiError> {
    let id = path.into_inner();
    let privacy = {
        let id = id.clone();
        blocking(move || {
            Ok(state
                .db
                .read(|conn| store::get_privacy(conn, &caller.scope, &id))?)
        })
        .await?
    };
    Ok(web::Json(FailureSettingsResponse {
        tenant_id: id,
        failure_report_privacy: privacy,
    }))
}

/// Change a tenant's failure report settings (admin).
#[utoipa::path(tag = "failures", security(("bearer" = [])),
    params(("tenant_id" = String, Path, description = "Tenant id")),
    request_body = UpdateFailureSettingsRequest,
    responses(
        (status = 200, description = "The settings as changed", body = FailureSettingsResponse),
        (status = 403, response = AdminRequired),
        (status = 404, response = NotFound),
))]
#[patch("/tenants/{tenant_id}/failure-settings")]
pub async fn update_failure_settings(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<TenantId>,
    body: web::Json<UpdateFailureSettingsRequest>,
) -> Result<web::Json<FailureSettingsResponse>, ApiError> {
    caller.require(Role::Admin)?;
    let id = path.into_inner();
    let privacy = body.failure_report_privacy;
    {
        let id = id.clone();
        blocking(move || {
            Ok(state
                .db
                .write(|conn| store::set_privacy(conn, &caller.scope, &id, privacy))?)
        })
        .await?;
    }
    Ok(web::Json(FailureSettingsResponse {
        tenant_id: id,
        failure_report_privacy: privacy,
    }))
}
