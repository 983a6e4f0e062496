//! Detected issues: list (across the caller's tenants, or one domain), read, acknowledge, and
//! evaluate a domain now. Issues are opened and resolved by ruad's evaluation (background
//! jobs after new data, or `POST /domains/{domain}/issues/evaluate`); clients acknowledge
//! them.

use crate::api::AppState;
use crate::api::auth::Caller;
use crate::api::blocking;
use crate::api::error::{ApiError, Problem};
use crate::api::pagination;
use crate::api::problems::{NotFound, WriterRequired};
use crate::domain::ids::{IssueId, TenantId};
use crate::domain::issue::{IssueCode, IssueSeverity, IssueStatus, SuggestedRecord};
use crate::domain::tenant::Role;
use crate::storage::domains;
use crate::storage::issues::{self as store, IssueFilter, IssueRow};
use actix_web::{get, patch, post, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// One issue of a domain.
#[derive(Serialize, ToSchema)]
pub struct IssueResponse {
    #[schema(value_type = String)]
    pub id: IssueId,
    /// The tenant owning the domain.
    #[schema(value_type = String)]
    pub tenant_id: TenantId,
    /// The domain the issue is about.
    pub domain: String,
    pub code: IssueCode,
    /// What the issue is about within the domain: a service id (`sendgrid`), a reporter, an
    /// MX host; empty for the domain as a whole. (domain, code, subject) identifies the issue.
    pub subject: String,
    pub severity: IssueSeverity,
    pub status: IssueStatus,
    /// One line.
    pub title: String,
    /// What was seen and why it matters.
    pub explanation: String,
    /// What to do about it.
    pub remediation: String,
    /// A DNS record to publish as the fix, when ruad can write it.
    pub record: Option<SuggestedRecord>,
    /// The figures behind the conclusion, as of the last evaluation that found it: counts,
    /// sources (confirmed names, unconfirmed PTR names shown as such), reporters, report ids.
    #[schema(value_type = Object)]
    pub evidence: serde_json::Value,
    /// First detected (Unix time).
    pub first_seen_at: i64,
    /// Last evaluation that found it (Unix time).
    pub last_seen_at: i64,
    /// Last change of status (Unix time).
    pub status_changed_at: i64,
    pub acknowledged_at: Option<i64>,
    pub resolved_at: Option<i64>,
}

impl IssueResponse {
    fn from_row(r: IssueRow, domain: String) -> Result<Self, ApiError> {
        let bad = |what: &str| ApiError::Internal(anyhow::anyhow!("stored issue has bad {what}"));
        Ok(IssueResponse {
            code: IssueCode::parse(&r.code).ok_or_else(|| bad("code"))?,
            severity: IssueSeverity::parse(&r.severity).ok_or_else(|| bad("severity"))?,
            status: IssueStatus::parse(&r.status).ok_or_else(|| bad("status"))?,
            record: r
                .record
                .as_deref()
                .map(serde_json::from_str)
                .transpose()
                .map_err(|_| bad("record"))?,
            evidence: serde_json::from_str(&r.evidence).map_err(|_| bad("evidence"))?,
            id: r.id,
            tenant_id: r.tenant_id,
            domain,
            subject: r.subject,
            title: r.title,
            explanation: r.explanation,
            remediation: r.remediation,
            first_seen_at: r.first_seen_at,
            last_seen_at: r.last_seen_at,
            status_changed_at: r.status_changed_at,
            acknowledged_at: r.acknowledged_at,
            resolved_at: r.resolved_at,
        })
    }
}

/// A page of issues.
#[derive(Serialize, ToSchema)]
pub struct IssueListResponse {
    pub items: Vec<IssueResponse>,
    /// Pass as `cursor` to get the next page; `null` on the last page (always present).(always present).
    pub next_cursor: Option<String>,
}

/// Filters and pagination for listing issues.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct IssueListQuery {
    /// Only issues of this tenant and its descendants.
    #[param(value_type = Option<String>)]
    pub tenant_id: Option<TenantId>,
    /// Only issues of this registered domain.
    pub domain: Option<String>,
    /// Only these severities, comma-separated (`critical,high`).
    pub severity: Option<String>,
    /// Only these statuses, comma-separated; default `open,acknowledged` (`resolved` for
    /// history, `all` for every status).
    pub status: Option<String>,
    /// Only this issue code.
    pub code: Option<IssueCode>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Page size (1 to 500, default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
}

/// Filters and pagination for one domain's issues.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DomainIssueListQuery {
    /// Only these severities, comma-separated (`critical,high`).
    pub severity: Option<String>,
    /// Only these statuses, comma-separated; default `open,acknowledged` (`resolved` for
    /// history, `all` for every status).
    pub status: Option<String>,
    /// Only this issue code.
    pub code: Option<IssueCode>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Page size (1 to 500, default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
}

/// The (severity rank, last seen, id) key of an issue page cursor.
fn cursor_key(cursor: Option<&str>) -> Result<Option<(i32, i64, String)>, ApiError> {
    pagination::two_number_cursor(cursor)?
        .map(|(rank, seen, id)| {
            let rank = i32::try_from(rank).map_err(|_| pagination::bad_cursor())?;
            Ok((rank, seen, id))
        })
        .transpose()
}

fn parse_list<T>(
    name: &str,
    value: Option<&str>,
    parse: impl Fn(&str) -> Option<T>,
) -> Result<Vec<T>, ApiError> {
    let Some(value) = value else {
        return Ok(Vec::new());
    };
    value
        .split(',')
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(|v| {
            parse(v).ok_or_else(|| ApiError::BadRequest(format!("{name}: unknown value '{v}'")))
        })
        .collect()
}

/// The filter common to both listings.
pub(crate) fn filter(
    severity: Option<&str>,
    status: Option<&str>,
    code: Option<IssueCode>,
    cursor: Option<&str>,
    limit: Option<i64>,
) -> Result<(IssueFilter, i64), ApiError> {
    let limit = pagination::checked_limit(limit)?;
    let statuses = match status.map(str::trim) {
        None | Some("") => vec![IssueStatus::Open, IssueStatus::Acknowledged],
        Some("all") => Vec::new(),
        Some(list) => parse_list("status", Some(list), IssueStatus::parse)?,
    };
    Ok((
        IssueFilter {
            tenant_id: None,
            domain_id: None,
            severities: parse_list("severity", severity, IssueSeverity::parse)?,
            statuses,
            code: code.map(|c| c.as_str().to_string()),
            after: cursor_key(cursor)?,
            limit: limit + 1,
        },
        limit,
    ))
}

pub(crate) fn page(
    rows: Vec<(IssueRow, String)>,
    limit: i64,
) -> Result<IssueListResponse, ApiError> {
    let (rows, next_cursor) = pagination::page(rows, limit, |(r, _)| {
        format!("{}:{}:{}", r.severity_rank, r.last_seen_at, r.id)
    });
    Ok(IssueListResponse {
        items: rows
            .into_iter()
            .map(|(r, d)| IssueResponse::from_row(r, d))
            .collect::<Result<_, _>>()?,
        next_cursor,
    })
}

/// List the issues of every domain the caller can see, most severe first, then most
/// recently seen. By default only open and acknowledged issues.
#[utoipa::path(tag = "issues", security(("bearer" = [])), params(IssueListQuery), responses(
    (status = 200, description = "A page of issues", body = IssueListResponse),
    (status = 404, description = "Tenant or domain not found", body = Problem, content_type = "application/problem+json"),
))]
#[get("/issues")]
pub async fn list_issues(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<IssueListQuery>,
) -> Result<web::Json<IssueListResponse>, ApiError> {
    let q = query.into_inner();
    let (mut f, limit) = filter(
        q.severity.as_deref(),
        q.status.as_deref(),
        q.code,
        q.cursor.as_deref(),
        q.limit,
    )?;
    f.tenant_id = q.tenant_id;
    let rows = blocking(move || {
        Ok(state.db.read(|conn| {
            if let Some(name) = &q.domain {
                f.domain_id = Some(domains::get_domain_by_name(conn, &caller.scope, name)?.id);
            }
            store::list_issues(conn, &caller.scope, &f)
        })?)
    })
    .await?;
    Ok(web::Json(page(rows, limit)?))
}

/// List one domain's issues, most severe first. By default only open and acknowledged
/// issues.
#[utoipa::path(tag = "issues", security(("bearer" = [])),
    params(("domain" = String, Path, description = "Domain name"), DomainIssueListQuery),
    responses(
        (status = 200, description = "A page of issues", body = IssueListResponse),
        (status = 404, response = NotFound),
))]
#[get("/domains/{domain}/issues")]
pub async fn list_domain_issues(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    query: web::Query<DomainIssueListQuery>,
) -> Result<web::Json<IssueListResponse>, ApiError> {
    let q = query.into_inner();
    let (mut f, limit) = filter(
        q.severity.as_deref(),
        q.status.as_deref(),
        q.code,
        q.cursor.as_deref(),
        q.limit,
    )?;
    let name = path.into_inner();
    let rows = blocking(move || {
        Ok(state.db.read(|conn| {
            f.domain_id = Some(domains::get_domain_by_name(conn, &caller.scope, &name)?.id);
            store::list_issues(conn, &caller.scope, &f)
        })?)
    })
    .await?;
    Ok(web::Json(page(rows, limit)?))
}

/// One issue.
#[utoipa::path(tag = "issues", security(("bearer" = [])),
    params(("issue_id" = String, Path, description = "Issue id")),
    responses(
        (status = 200, description = "The issue", body = IssueResponse),
        (status = 404, response = NotFound),
))]
#[get("/issues/{issue_id}")]
pub async fn get_issue(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<IssueId>,
) -> Result<web::Json<IssueResponse>, ApiError> {
    let id = path.into_inner();
    let (row, domain) = blocking(move || {
        Ok(state
            .db
            .read(|conn| store::get_issue_with_domain(conn, &caller.scope, &id))?)
    })
    .await?;
    Ok(web::Json(IssueResponse::from_row(row, domain)?))
}

/// A client's change of an issue's status.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateIssueRequest {
    /// `acknowledged` (seen, being handled) or `open` (take the acknowledgement back).
    /// `resolved` is set by ruad when the condition clears.
    pub status: IssueStatus,
}

/// Acknowledge an issue, or take the acknowledgement back. A resolved issue cannot be
/// changed (it reopens by itself if the condition returns).
#[utoipa::path(tag = "issues", security(("bearer" = [])),
    params(("issue_id" = String, Path, description = "Issue id")),
    request_body = UpdateIssueRequest,
    responses(
        (status = 200, description = "The issue", body = IssueResponse),
        (status = 403, response = WriterRequired),
        (status = 404, response = NotFound),
        (status = 409, description = "The issue is resolved", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`resolved` cannot be set by clients", body = Problem, content_type = "application/problem+json"),
))]
#[patch("/issues/{issue_id}")]
pub async fn update_issue(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<IssueId>,
    body: web::Json<UpdateIssueRequest>,
) -> Result<web::Json<IssueResponse>, ApiError> {
    caller.require(Role::Writer)?;
    let status = body.into_inner().status;
    if status == IssueStatus::Resolved {
        return Err(ApiError::Validation(
            "status 'resolved' is set by ruad when the condition clears; use 'acknowledged'".into(),
        ));
    }
    let id = path.into_inner();
    let now = chrono::Utc::now().timestamp();
    let (row, domain) = blocking(move || {
        Ok(state
            .db
            .write(|conn| store::set_issue_status(conn, &caller.scope, &id, status, now))?)
    })
    .await?;
    Ok(web::Json(IssueResponse::from_row(row, domain)?))
}

/// What an evaluation found and changed.
#[derive(Serialize, ToSchema)]
pub struct EvaluateIssuesResponse {
    /// Issues opened (or reopened) by this evaluation.
    pub opened: u64,
    /// Issues resolved by this evaluation.
    pub resolved: u64,
    /// The domain's open and acknowledged issues after it, most severe first.
    pub issues: Vec<IssueResponse>,
}

/// Evaluate a domain's issues now, from its stored reports, source names and DNS checks
/// (ruad also does this by itself after new data arrives).
#[utoipa::path(tag = "issues", security(("bearer" = [])),
    params(("domain" = String, Path, description = "Domain name")),
    responses(
        (status = 200, description = "The evaluation", body = EvaluateIssuesResponse),
        (status = 403, response = WriterRequired),
        (status = 404, response = NotFound),
))]
#[post("/domains/{domain}/issues/evaluate")]
pub async fn evaluate_domain_issues(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> Result<web::Json<EvaluateIssuesResponse>, ApiError> {
    caller.require(Role::Writer)?;
    let name = path.into_inner();
    let now = chrono::Utc::now().timestamp();
    let thresholds = state.settings.thresholds.clone();
    let (changes, rows) = blocking(move || {
        let domain = state
            .db
            .read(|conn| domains::get_domain_by_name(conn, &caller.scope, &name))?;
        let (_, changes) =
            crate::services::evaluation::evaluate(&state.db, &domain, now, &thresholds)?;
        let rows = state.db.read(|conn| {
            store::list_issues(
                conn,
                &caller.scope,
                &IssueFilter {
                    domain_id: Some(domain.id.clone()),
                    statuses: vec![IssueStatus::Open, IssueStatus::Acknowledged],
                    limit: 1_000,
                    ..Default::default()
                },
            )
        })?;
        Ok((changes, rows))
    })
    .await?;
    Ok(web::Json(EvaluateIssuesResponse {
        opened: changes.opened.len() as u64,
        resolved: changes.resolved.len() as u64,
        issues: rows
            .into_iter()
            .map(|(r, d)| IssueResponse::from_row(r, d))
            .collect::<Result<_, _>>()?,
    }))
}
