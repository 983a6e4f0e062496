//! Per-domain aggregates over a range of UTC days: HTTP only (query parsing and validation,
//! DTOs). The answers are computed by `services::aggregates`, shared with the other front
//! doors.

use crate::api::AppState;
use crate::api::auth::Caller;
use crate::api::blocking;
use crate::api::error::{ApiError, Problem};
use crate::services::aggregates::{self, DayRange, ForDomain};
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
    /// How many sources (dmarc/by-source) or failure paths (tls/by-source) to return,
    /// largest first (1 to 10000, default 100). Checked the same way on every aggregate,
    /// including those that return no list.
    #[param(minimum = 1, maximum = 10000)]
    pub limit: Option<i64>,
    /// dmarc/by-source: `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

impl AggregateQuery {
    /// The list length, or 400 when it is outside 1..=10000.
    fn limit(&self) -> Result<i64, ApiError> {
        let limit = self.limit.unwrap_or(100);
        if !(1..=10_000).contains(&limit) {
            return Err(ApiError::BadRequest(
                "limit must be between 1 and 10000".into(),
            ));
        }
        Ok(limit)
    }
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

/// The range of an aggregate query; its `limit` is checked here too, so every aggregate
/// refuses the same bad values whether it returns a list or not.
fn range(q: &AggregateQuery) -> Result<Range, ApiError> {
    q.limit()?;
    parse_range(q.from.as_deref(), q.to.as_deref())
}

fn parse_range(from: Option<&str>, to: Option<&str>) -> Result<Range, ApiError> {
    let to = match to {
        Some(v) => crate::api::parse_day("to", v)? / 86_400,
        None => chrono::Utc::now().timestamp().div_euclid(86_400),
    };
    let from = match from {
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

/// Counts keyed by a value as reporters sent it (a disposition, a result, a result type).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct Counts(BTreeMap<String, u64>);

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
    #[schema(value_type = Counts)]
    pub disposition: BTreeMap<String, u64>,
    /// Messages by DMARC-aligned DKIM result (`pass`, `fail`, …).
    #[schema(value_type = Counts)]
    pub dkim_aligned: BTreeMap<String, u64>,
    /// Messages by DMARC-aligned SPF result (`pass`, `fail`, …).
    #[schema(value_type = Counts)]
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
    let ForDomain { domain, value: t } = blocking(move || {
        Ok(aggregates::dmarc_by_result(
            &state.db,
            &caller.scope,
            &name,
            days,
        )?)
    })
    .await?;
    Ok(web::Json(DmarcByResultResponse {
        domain,
        from: r.from,
        to: r.to,
        total_messages: t.total_messages,
        dmarc_pass_messages: t.dmarc_pass_messages,
        dmarc_fail_messages: t.dmarc_fail_messages,
        disposition: t.disposition,
        dkim_aligned: t.dkim_aligned,
        spf_aligned: t.spf_aligned,
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
    /// What reverse DNS says about the address; absent until the background enrichment has
    /// looked it up (usually seconds after the upload).
    pub reverse_dns: Option<ReverseDnsResponse>,
    /// DKIM signing domains (`d=`) whose signatures passed on its mail, most messages first.
    pub dkim_domains: Vec<AuthDomainCount>,
    /// SPF domains (envelope senders, or HELO names) that passed for it, most messages first.
    pub spf_domains: Vec<AuthDomainCount>,
    /// The sending service, named from the forward-confirmed PTR name first, then from the
    /// passing DKIM domains, then from the passing SPF domains (`matched_by` says which). An
    /// unconfirmed PTR name, or a failing DKIM or SPF result, never names a source.
    pub service: Option<crate::analysis::services::ServiceMatch>,
}

/// A DKIM or SPF domain that passed, with the messages it passed for.
#[derive(Serialize, ToSchema)]
pub struct AuthDomainCount {
    #[schema(example = "sendgrid.net")]
    pub domain: String,
    pub messages: u64,
}

/// Reverse DNS of a source address.
#[derive(Serialize, ToSchema)]
pub struct ReverseDnsResponse {
    /// The first PTR name that resolves back to the address (FCrDNS), if any.
    #[schema(example = "mail-sor-f41.google.com")]
    pub confirmed_name: Option<String>,
    /// Organizational domain of the confirmed name.
    #[schema(example = "google.com")]
    pub org_domain: Option<String>,
    /// PTR names that do not resolve back to the address: anyone controlling the reverse
    /// zone can set these, so they are shown, never trusted.
    pub unconfirmed_names: Vec<String>,
    /// Why the lookup failed, when it did (retried later).
    pub lookup_error: Option<String>,
    /// When the names were looked up (epoch seconds).
    pub checked_at: i64,
}

impl From<crate::storage::source_names::SourceName> for ReverseDnsResponse {
    fn from(n: crate::storage::source_names::SourceName) -> Self {
        let names: Vec<String> = serde_json::from_str(&n.ptr_names).unwrap_or_default();
        ReverseDnsResponse {
            unconfirmed_names: names
                .into_iter()
                .filter(|name| Some(name) != n.confirmed_name.as_ref())
                .collect(),
            confirmed_name: n.confirmed_name,
            org_domain: n.org_domain,
            lookup_error: n.lookup_error,
            checked_at: n.checked_at,
        }
    }
}

fn auth_counts(list: &[(String, u64)]) -> Vec<AuthDomainCount> {
    list.iter()
        .map(|(domain, messages)| AuthDomainCount {
            domain: domain.clone(),
            messages: *messages,
        })
        .collect()
}

#[derive(Serialize, ToSchema)]
pub struct DmarcBySourceResponse {
    pub domain: String,
    pub from: String,
    pub to: String,
    /// Distinct sources in the range (the list holds at most `limit`).
    pub total_sources: u64,
    /// Sources by message volume, largest first (then by address).
    pub sources: Vec<DmarcSourceResponse>,
    /// Pass as `cursor` to get the next page; `null` on the last page (always present).
    pub next_cursor: Option<String>,
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
    let limit = query.limit()?;
    let after = crate::api::pagination::number_cursor(query.cursor.as_deref())?;
    let name = path.into_inner();
    let days = r.days;
    let page = aggregates::SourcePage { limit, after };
    let ForDomain { domain, value } = blocking(move || {
        Ok(aggregates::dmarc_by_source(
            &state.db,
            &caller.scope,
            &name,
            days,
            page,
        )?)
    })
    .await?;
    let next_cursor =
        value.more.then(|| value.sources.last()).flatten().map(|s| {
            crate::api::pagination::encode_cursor(&format!("{}:{}", s.messages, s.source_ip))
        });
    Ok(web::Json(DmarcBySourceResponse {
        domain,
        from: r.from,
        to: r.to,
        total_sources: value.total,
        next_cursor,
        sources: value
            .sources
            .into_iter()
            .map(|s| DmarcSourceResponse {
                reverse_dns: s.reverse_dns.map(ReverseDnsResponse::from),
                service: s.service,
                dkim_domains: auth_counts(&s.dkim_domains),
                spf_domains: auth_counts(&s.spf_domains),
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

/// One group of sources by sending service.
#[derive(Serialize, ToSchema)]
pub struct DmarcServiceResponse {
    /// The named service; absent for sources no service could be named for.
    pub service: Option<crate::analysis::services::ServiceMatch>,
    /// How the group was formed: `service` (a named service), `organization` (confirmed PTR
    /// names of one organizational domain that the service table does not know),
    /// `unconfirmed` (no PTR name resolves back to the address) or `pending` (not looked up
    /// yet).
    #[schema(example = "service")]
    pub group: String,
    /// Organizational domain of the confirmed PTR names (`organization` groups).
    pub org_domain: Option<String>,
    /// Distinct source addresses.
    pub sources: u64,
    pub messages: u64,
    pub dmarc_pass_messages: u64,
    pub dmarc_fail_messages: u64,
}

#[derive(Serialize, ToSchema)]
pub struct DmarcByServiceResponse {
    pub domain: String,
    pub from: String,
    pub to: String,
    /// Groups by message volume, largest first.
    pub services: Vec<DmarcServiceResponse>,
}

/// DMARC results per sending service for a domain over a range of days. Each source is named
/// through ruad's service table from its forward-confirmed PTR name, else from the DKIM
/// domains that passed for it, else from its passing SPF domains; the rest are grouped by the
/// organization of their confirmed PTR names, or as unconfirmed, or as not looked up yet.
#[utoipa::path(tag = "aggregates", security(("bearer" = [])), params(("domain" = String, Path, description = "Domain name"), AggregateQuery), responses(
    (status = 200, description = "Services", body = DmarcByServiceResponse),
    (status = 400, description = "Bad range", body = Problem, content_type = "application/problem+json"),
    (status = 401, description = "Unauthenticated", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "Domain not found", body = Problem, content_type = "application/problem+json"),
))]
#[get("/domains/{domain}/dmarc/by-service")]
pub async fn get_dmarc_by_service(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    query: web::Query<AggregateQuery>,
) -> Result<web::Json<DmarcByServiceResponse>, ApiError> {
    let r = range(&query)?;
    let name = path.into_inner();
    let days = r.days;
    let ForDomain { domain, value } = blocking(move || {
        Ok(aggregates::dmarc_by_service(
            &state.db,
            &caller.scope,
            &name,
            days,
        )?)
    })
    .await?;
    Ok(web::Json(DmarcByServiceResponse {
        domain,
        from: r.from,
        to: r.to,
        services: value
            .into_iter()
            .map(|g| DmarcServiceResponse {
                service: g.service,
                group: g.group.as_str().to_string(),
                org_domain: g.org_domain,
                sources: g.sources,
                messages: g.messages,
                dmarc_pass_messages: g.dmarc_pass_messages,
                dmarc_fail_messages: g.dmarc_fail_messages,
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
    #[schema(value_type = Counts)]
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
    let ForDomain { domain, value: t } = blocking(move || {
        Ok(aggregates::tls_by_result(
            &state.db,
            &caller.scope,
            &name,
            days,
        )?)
    })
    .await?;
    Ok(web::Json(TlsByResultResponse {
        domain,
        from: r.from,
        to: r.to,
        total_sessions: t.total_sessions,
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
    /// Distinct failure paths in the range (the list holds at most `limit`).
    pub total_failures: u64,
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
    let limit = query.limit()?;
    let name = path.into_inner();
    let days = r.days;
    let ForDomain { domain, value } = blocking(move || {
        Ok(aggregates::tls_by_source(
            &state.db,
            &caller.scope,
            &name,
            days,
            limit,
        )?)
    })
    .await?;
    Ok(web::Json(TlsBySourceResponse {
        domain,
        from: r.from,
        to: r.to,
        organizations: value
            .organizations
            .into_iter()
            .map(|o| TlsOrganizationResponse {
                organization: o.organization,
                successful_sessions: o.successful_sessions,
                failed_sessions: o.failed_sessions,
            })
            .collect(),
        total_failures: value.total_failures,
        failures: value
            .failures
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

/// What a timeseries counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TimeseriesKind {
    /// DMARC messages, as in `dmarc/by-result`.
    Dmarc,
    /// SMTP TLS sessions, as in `tls/by-result`.
    Tls,
}

/// How long a timeseries bucket is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TimeseriesInterval {
    /// One UTC day.
    Day,
    /// One ISO week, Monday to Sunday (UTC).
    Week,
}

impl From<TimeseriesKind> for aggregates::Kind {
    fn from(kind: TimeseriesKind) -> Self {
        match kind {
            TimeseriesKind::Dmarc => aggregates::Kind::Dmarc,
            TimeseriesKind::Tls => aggregates::Kind::Tls,
        }
    }
}

impl From<TimeseriesInterval> for aggregates::Interval {
    fn from(interval: TimeseriesInterval) -> Self {
        match interval {
            TimeseriesInterval::Day => aggregates::Interval::Day,
            TimeseriesInterval::Week => aggregates::Interval::Week,
        }
    }
}

/// The series to compute.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct TimeseriesQuery {
    /// `dmarc` (messages) or `tls` (sessions).
    #[param(value_type = TimeseriesKind, example = "dmarc")]
    pub kind: String,
    /// `day` (default) or `week` (ISO weeks, starting Monday). At most 366 daily or 260
    /// weekly points.
    #[param(value_type = Option<TimeseriesInterval>, example = "week")]
    pub interval: Option<String>,
    /// First day, inclusive (ISO 8601 date; default: 30 days before `to`).
    #[param(example = "2026-11-01")]
    pub from: Option<String>,
    /// Last day, inclusive (ISO 8601 date; default: today, UTC).
    #[param(example = "2026-11-22")]
    pub to: Option<String>,
}

fn timeseries_kind(raw: &str) -> Result<TimeseriesKind, ApiError> {
    match raw {
        "dmarc" => Ok(TimeseriesKind::Dmarc),
        "tls" => Ok(TimeseriesKind::Tls),
        _ => Err(ApiError::BadRequest(format!(
            "unknown kind '{raw}' (dmarc, tls)"
        ))),
    }
}

fn timeseries_interval(raw: Option<&str>) -> Result<TimeseriesInterval, ApiError> {
    match raw {
        None | Some("day") => Ok(TimeseriesInterval::Day),
        Some("week") => Ok(TimeseriesInterval::Week),
        Some(other) => Err(ApiError::BadRequest(format!(
            "unknown interval '{other}' (day, week)"
        ))),
    }
}

/// The totals of one bucket. `start` and `end` are always present; the other fields are
/// those of the requested kind only (`dmarc`: `messages` … `spf_aligned`; `tls`:
/// `successful_sessions` … `failed_sessions_by_result_type`), each present in every point.
#[derive(Serialize, ToSchema)]
pub struct TimeseriesPoint {
    /// First day of the bucket (inclusive; the range's first day for a clipped first week).
    #[schema(example = "2026-11-02")]
    pub start: String,
    /// Last day of the bucket (inclusive; the range's last day for a clipped last week).
    #[schema(example = "2026-11-08")]
    pub end: String,
    /// dmarc: messages.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub messages: Option<u64>,
    /// dmarc: messages where DMARC-aligned DKIM or SPF passed.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub dmarc_pass_messages: Option<u64>,
    /// dmarc: messages where neither passed.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub dmarc_fail_messages: Option<u64>,
    /// dmarc: messages by disposition (`none`, `quarantine`, `reject`, and any other value
    /// reporters sent).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, value_type = Option<Counts>)]
    pub disposition: Option<BTreeMap<String, u64>>,
    /// dmarc: messages by DMARC-aligned DKIM result (`pass`, `fail`, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, value_type = Option<Counts>)]
    pub dkim_aligned: Option<BTreeMap<String, u64>>,
    /// dmarc: messages by DMARC-aligned SPF result (`pass`, `fail`, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, value_type = Option<Counts>)]
    pub spf_aligned: Option<BTreeMap<String, u64>>,
    /// tls: successful sessions.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub successful_sessions: Option<u64>,
    /// tls: failed sessions.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub failed_sessions: Option<u64>,
    /// tls: failed sessions reported in failure details, by result type.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, value_type = Option<Counts>)]
    pub failed_sessions_by_result_type: Option<BTreeMap<String, u64>>,
}

impl TimeseriesPoint {
    fn empty(start: i64, end: i64) -> TimeseriesPoint {
        TimeseriesPoint {
            start: day_string(start),
            end: day_string(end),
            messages: None,
            dmarc_pass_messages: None,
            dmarc_fail_messages: None,
            disposition: None,
            dkim_aligned: None,
            spf_aligned: None,
            successful_sessions: None,
            failed_sessions: None,
            failed_sessions_by_result_type: None,
        }
    }

    fn from_point(p: aggregates::Point) -> TimeseriesPoint {
        let empty = TimeseriesPoint::empty(p.start, p.end);
        match p.totals {
            aggregates::PointTotals::Dmarc(t) => TimeseriesPoint {
                messages: Some(t.total_messages),
                dmarc_pass_messages: Some(t.dmarc_pass_messages),
                dmarc_fail_messages: Some(t.dmarc_fail_messages),
                disposition: Some(t.disposition),
                dkim_aligned: Some(t.dkim_aligned),
                spf_aligned: Some(t.spf_aligned),
                ..empty
            },
            aggregates::PointTotals::Tls(t) => TimeseriesPoint {
                successful_sessions: Some(t.successful_sessions),
                failed_sessions: Some(t.failed_sessions),
                failed_sessions_by_result_type: Some(t.failed_sessions_by_result_type),
                ..empty
            },
        }
    }
}

/// A domain's DMARC or TLS totals per day or week.
#[derive(Serialize, ToSchema)]
pub struct TimeseriesResponse {
    pub domain: String,
    pub kind: TimeseriesKind,
    pub interval: TimeseriesInterval,
    /// First day (inclusive).
    pub from: String,
    /// Last day (inclusive).
    pub to: String,
    /// One point per day or week of the range, oldest first, days without reports included
    /// (as zeros).
    pub points: Vec<TimeseriesPoint>,
}

/// DMARC or SMTP TLS results of a domain per day or ISO week, to draw trends.
///
/// Each point holds the figures of `dmarc/by-result` (`kind=dmarc`) or `tls/by-result`
/// (`kind=tls`) for its bucket. Every bucket of the range is present, zero when no report
/// covers it; weeks run Monday to Sunday (UTC), the first and last clipped to the range.
#[utoipa::path(tag = "aggregates", security(("bearer" = [])), params(("domain" = String, Path, description = "Domain name"), TimeseriesQuery), responses(
    (status = 200, description = "Points, oldest first", body = TimeseriesResponse),
    (status = 400, description = "Unknown kind or interval, bad range, or too many points", body = Problem, content_type = "application/problem+json"),
    (status = 401, description = "Unauthenticated", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "Domain not found", body = Problem, content_type = "application/problem+json"),
))]
#[get("/domains/{domain}/timeseries")]
pub async fn get_timeseries(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    query: web::Query<TimeseriesQuery>,
) -> Result<web::Json<TimeseriesResponse>, ApiError> {
    let kind = timeseries_kind(&query.kind)?;
    let interval = timeseries_interval(query.interval.as_deref())?;
    let r = parse_range(query.from.as_deref(), query.to.as_deref())?;
    let series = aggregates::Series::new(kind.into(), interval.into(), r.days)
        .map_err(|e| ApiError::BadRequest(e.to_string()))?;
    let name = path.into_inner();
    let ForDomain { domain, value } = blocking(move || {
        Ok(aggregates::timeseries(
            &state.db,
            &caller.scope,
            &name,
            series,
        )?)
    })
    .await?;
    Ok(web::Json(TimeseriesResponse {
        domain,
        kind,
        interval,
        from: r.from,
        to: r.to,
        points: value.into_iter().map(TimeseriesPoint::from_point).collect(),
    }))
}
