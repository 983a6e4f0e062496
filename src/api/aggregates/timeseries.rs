//! A domain's DMARC or SMTP TLS totals per day or ISO week. Parses and checks the query
//! (kind, interval, range; the point limit is the service's `Series::new`) and maps the
//! service's points to DTOs. Must not read storage.

use super::{Counts, Range, day_string, parse_range};
use crate::api::AppState;
use crate::api::auth::Caller;
use crate::api::blocking;
use crate::api::error::{ApiError, Problem};
use crate::services::aggregates::{self, ForDomain};
use actix_web::{get, web};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};

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

pub(crate) fn timeseries_kind(raw: &str) -> Result<TimeseriesKind, ApiError> {
    match raw {
        "dmarc" => Ok(TimeseriesKind::Dmarc),
        "tls" => Ok(TimeseriesKind::Tls),
        _ => Err(ApiError::BadRequest(format!(
            "unknown kind '{raw}' (dmarc, tls)"
        ))),
    }
}

pub(crate) fn timeseries_interval(raw: Option<&str>) -> Result<TimeseriesInterval, ApiError> {
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
    let answer = blocking(move || {
        Ok(aggregates::timeseries(
            &state.db,
            &caller.scope,
            &name,
            series,
        )?)
    })
    .await?;
    Ok(web::Json(TimeseriesResponse::new(
        kind, interval, r, answer,
    )))
}

impl TimeseriesResponse {
    /// The points of `services::aggregates::timeseries`, every bucket present.
    pub(crate) fn new(
        kind: TimeseriesKind,
        interval: TimeseriesInterval,
        r: Range,
        answer: ForDomain<Vec<aggregates::Point>>,
    ) -> Self {
        let ForDomain { domain, value } = answer;
        TimeseriesResponse {
            domain,
            kind,
            interval,
            from: r.from,
            to: r.to,
            points: value.into_iter().map(TimeseriesPoint::from_point).collect(),
        }
    }
}
