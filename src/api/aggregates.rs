//! Per-domain aggregates over a range of UTC days, read from the per-day rollups.

use crate::auth::Caller;
use crate::error::{ApiError, Problem};
use crate::startup::{AppState, blocking};
use crate::storage::aggregates::{self, DayRange};
use crate::storage::domains;
use actix_web::{get, web};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};

/// The range of days to aggregate.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AggregateQuery {
    /// First day, inclusive (ISO 8601 date; default: 30 days before `to`).
    #[param(example = "2026-11-01")]
    pub from: Option<String>,
    /// Last day, inclusive (ISO 8601 date; default: today, UTC).
    #[param(example = "2026-11-22")]
    pub to: Option<String>,
    /// by-source only: how many sources to return, largest first (1 to 10000, default 100).
    pub limit: Option<i64>,
}

struct Range {
    days: DayRange,
    from: String,
    to: String,
}

fn day_string(day: i64) -> String {
    chrono::DateTime::from_timestamp(day * 86_400, 0)
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

fn range(q: &AggregateQuery) -> Result<Range, ApiError> {
    let to = match &q.to {
        Some(v) => crate::api::parse_day("to", v)? / 86_400,
        None => chrono::Utc::now().timestamp().div_euclid(86_400),
    };
    let from = match &q.from {
        Some(v) => crate::api::parse_day("from", v)? / 86_400,
        None => to - 30,
    };
    if from > to {
        return Err(ApiError::BadRequest("from must not be after to".into()));
    }
    if to - from > 50_000 {
        return Err(ApiError::BadRequest(
            "the range may span at most 136 years".into(),
        ));
    }
    Ok(Range {
        days: DayRange {
            first: from,
            last: to,
        },
        from: day_string(from),
        to: day_string(to),
    })
}

fn with_keys(mut map: BTreeMap<String, u64>, keys: &[&str]) -> BTreeMap<String, u64> {
    for k in keys {
        map.entry((*k).to_string()).or_default();
    }
    map
}

/// DMARC message totals by result.
#[derive(Serialize, ToSchema)]
pub struct DmarcByResultResponse {
    pub domain: String,
    /// First day (inclusive).
    pub from: String,
    /// Last day (inclusive).
    pub to: String,
    pub total_messages: u64,
    /// Messages where DMARC-aligned DKIM or SPF passed.
    pub dmarc_pass_messages: u64,
    pub dmarc_fail_messages: u64,
    /// Messages by disposition (`none`, `quarantine`, `reject`, and any other value reporters sent).
    pub disposition: BTreeMap<String, u64>,
    /// Messages by DMARC-aligned DKIM result (`pass`, `fail`, …).
    pub dkim_aligned: BTreeMap<String, u64>,
    /// Messages by DMARC-aligned SPF result (`pass`, `fail`, …).
    pub spf_aligned: BTreeMap<String, u64>,
}

/// DMARC results for a domain over a range of days.
#[utoipa::path(tag = "aggregates", security(("bearer" = [])), params(("domain" = String, Path, description = "Domain name"), AggregateQuery), responses(
    (status = 200, description = "Totals", body = DmarcByResultResponse),
    (status = 400, description = "Bad range", body = Problem, content_type = "application/problem+json"),
    (status = 401, description = "Unauthenticated", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "Domain not found", body = Problem, content_type = "application/problem+json"),
))]
#[get("/domains/{domain}/dmarc/by-result")]
pub async fn get_dmarc_by_result(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    query: web::Query<AggregateQuery>,
) -> Result<web::Json<DmarcByResultResponse>, ApiError> {
    let r = range(&query)?;
    let name = path.into_inner();
    let days = r.days;
    let (domain, totals) = blocking(move || {
        Ok(state.db.read(|conn| {
            let domain = domains::get_domain_by_name(conn, &caller.scope, &name)?;
            let totals = aggregates::dmarc_by_result(conn, &domain.id, days)?;
            Ok((domain.name, totals))
        })?)
    })
    .await?;
    Ok(web::Json(DmarcByResultResponse {
        domain,
        from: r.from,
        to: r.to,
        dmarc_fail_messages: totals.total_messages - totals.dmarc_pass_messages,
        total_messages: totals.total_messages,
        dmarc_pass_messages: totals.dmarc_pass_messages,
        disposition: with_keys(totals.disposition, &["none", "quarantine", "reject"]),
        dkim_aligned: with_keys(totals.dkim_aligned, &["pass", "fail"]),
        spf_aligned: with_keys(totals.spf_aligned, &["pass", "fail"]),
    }))
}

/// Messages of one header_from value from a source.
#[derive(Serialize, ToSchema)]
pub struct HeaderFromCount {
    pub header_from: String,
    pub messages: u64,
}

/// One sending source (IP address).
#[derive(Serialize, ToSchema)]
pub struct DmarcSourceResponse {
    pub source_ip: String,
    pub messages: u64,
    pub dmarc_pass_messages: u64,
    pub dmarc_fail_messages: u64,
    /// The From domains it sent, with message counts.
    pub header_from: Vec<HeaderFromCount>,
}

#[derive(Serialize, ToSchema)]
pub struct DmarcBySourceResponse {
    pub domain: String,
    pub from: String,
    pub to: String,
    /// Distinct sources in the range (the list holds at most `limit`).
    pub total_sources: u64,
    /// Sources by message volume, largest first.
    pub sources: Vec<DmarcSourceResponse>,
}

/// DMARC results per sending source for a domain over a range of days.
#[utoipa::path(tag = "aggregates", security(("bearer" = [])), params(("domain" = String, Path, description = "Domain name"), AggregateQuery), responses(
    (status = 200, description = "Sources", body = DmarcBySourceResponse),
    (status = 400, description = "Bad range or limit", body = Problem, content_type = "application/problem+json"),
    (status = 401, description = "Unauthenticated", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "Domain not found", body = Problem, content_type = "application/problem+json"),
))]
#[get("/domains/{domain}/dmarc/by-source")]
pub async fn get_dmarc_by_source(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    query: web::Query<AggregateQuery>,
) -> Result<web::Json<DmarcBySourceResponse>, ApiError> {
    let r = range(&query)?;
    let limit = query.limit.unwrap_or(100);
    if !(1..=10_000).contains(&limit) {
        return Err(ApiError::BadRequest(
            "limit must be between 1 and 10000".into(),
        ));
    }
    let name = path.into_inner();
    let days = r.days;
    let (domain, (sources, total)) = blocking(move || {
        Ok(state.db.read(|conn| {
            let domain = domains::get_domain_by_name(conn, &caller.scope, &name)?;
            Ok((
                domain.name,
                aggregates::dmarc_by_source(conn, &domain.id, days, limit)?,
            ))
        })?)
    })
    .await?;
    Ok(web::Json(DmarcBySourceResponse {
        domain,
        from: r.from,
        to: r.to,
        total_sources: total,
        sources: sources
            .into_iter()
            .map(|s| DmarcSourceResponse {
                source_ip: s.source_ip,
                messages: s.messages,
                dmarc_pass_messages: s.dmarc_pass_messages,
                dmarc_fail_messages: s.dmarc_fail_messages,
                header_from: s
                    .header_from
                    .into_iter()
                    .map(|(header_from, messages)| HeaderFromCount {
                        header_from,
                        messages,
                    })
                    .collect(),
            })
            .collect(),
    }))
}

/// TLS session totals by result.
#[derive(Serialize, ToSchema)]
pub struct TlsByResultResponse {
    pub domain: String,
    pub from: String,
    pub to: String,
    pub total_sessions: u64,
    pub successful_sessions: u64,
    pub failed_sessions: u64,
    /// Failed sessions reported in failure details, by result type.
    pub failed_sessions_by_result_type: BTreeMap<String, u64>,
}

/// SMTP TLS results for a domain over a range of days.
#[utoipa::path(tag = "aggregates", security(("bearer" = [])), params(("domain" = String, Path, description = "Domain name"), AggregateQuery), responses(
    (status = 200, description = "Totals", body = TlsByResultResponse),
    (status = 400, description = "Bad range", body = Problem, content_type = "application/problem+json"),
    (status = 401, description = "Unauthenticated", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "Domain not found", body = Problem, content_type = "application/problem+json"),
))]
#[get("/domains/{domain}/tls/by-result")]
pub async fn get_tls_by_result(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    query: web::Query<AggregateQuery>,
) -> Result<web::Json<TlsByResultResponse>, ApiError> {
    let r = range(&query)?;
    let name = path.into_inner();
    let days = r.days;
    let (domain, t) = blocking(move || {
        Ok(state.db.read(|conn| {
            let domain = domains::get_domain_by_name(conn, &caller.scope, &name)?;
            Ok((
                domain.name,
                aggregates::tls_by_result(conn, &domain.id, days)?,
            ))
        })?)
    })
    .await?;
    Ok(web::Json(TlsByResultResponse {
        domain,
        from: r.from,
        to: r.to,
        total_sessions: t.successful_sessions + t.failed_sessions,
        successful_sessions: t.successful_sessions,
        failed_sessions: t.failed_sessions,
        failed_sessions_by_result_type: t.failed_sessions_by_result_type,
    }))
}

/// Sessions reported by one organization.
#[derive(Serialize, ToSchema)]
pub struct TlsOrganizationResponse {
    pub organization: String,
    pub successful_sessions: u64,
    pub failed_sessions: u64,
}

/// Failed sessions between one sending MTA and one receiving MX.
#[derive(Serialize, ToSchema)]
pub struct TlsFailurePathResponse {
    /// Empty when the reporter did not say.
    pub sending_mta_ip: String,
    /// Empty when the reporter did not say.
    pub receiving_mx_hostname: String,
    pub result_type: String,
    pub failed_sessions: u64,
}

#[derive(Serialize, ToSchema)]
pub struct TlsBySourceResponse {
    pub domain: String,
    pub from: String,
    pub to: String,
    /// Per reporting organization.
    pub organizations: Vec<TlsOrganizationResponse>,
    /// Failures per sending MTA IP, receiving MX and result type, largest first.
    pub failures: Vec<TlsFailurePathResponse>,
}

/// SMTP TLS results per reporting organization and per sending MTA / receiving MX.
#[utoipa::path(tag = "aggregates", security(("bearer" = [])), params(("domain" = String, Path, description = "Domain name"), AggregateQuery), responses(
    (status = 200, description = "Breakdown", body = TlsBySourceResponse),
    (status = 400, description = "Bad range", body = Problem, content_type = "application/problem+json"),
    (status = 401, description = "Unauthenticated", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "Domain not found", body = Problem, content_type = "application/problem+json"),
))]
#[get("/domains/{domain}/tls/by-source")]
pub async fn get_tls_by_source(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    query: web::Query<AggregateQuery>,
) -> Result<web::Json<TlsBySourceResponse>, ApiError> {
    let r = range(&query)?;
    let name = path.into_inner();
    let days = r.days;
    let (domain, (orgs, paths)) = blocking(move || {
        Ok(state.db.read(|conn| {
            let domain = domains::get_domain_by_name(conn, &caller.scope, &name)?;
            Ok((
                domain.name,
                aggregates::tls_by_source(conn, &domain.id, days)?,
            ))
        })?)
    })
    .await?;
    Ok(web::Json(TlsBySourceResponse {
        domain,
        from: r.from,
        to: r.to,
        organizations: orgs
            .into_iter()
            .map(|o| TlsOrganizationResponse {
                organization: o.organization,
                successful_sessions: o.successful_sessions,
                failed_sessions: o.failed_sessions,
            })
            .collect(),
        failures: paths
            .into_iter()
            .map(|p| TlsFailurePathResponse {
                sending_mta_ip: p.sending_mta_ip,
                receiving_mx_hostname: p.receiving_mx_hostname,
                result_type: p.result_type,
                failed_sessions: p.failed_sessions,
            })
            .collect(),
    }))
}
