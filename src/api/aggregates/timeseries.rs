//! A domain's DMARC or SMTP TLS totals per day, ISO week or calendar month. Parses and checks
//! the query
//! (kind, interval, range; the point limit is the service's `Series::new`) and maps the
//! service's points to DTOs. Must not read storage.

use super::{Counts, Range, day_string, parse_range};
use crate::api::AppState;
use crate::api::auth::Caller;
use crate::api::blocking;
use crate::api::error::{ApiError, Problem};
use crate::api::export::{self, Table};
use crate::services::aggregates::{self, ForDomain};
use actix_web::{HttpRequest, HttpResponse, get, web};
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
    /// One calendar month (UTC).
    Month,
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
            TimeseriesInterval::Month => aggregates::Interval::Month,
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
    /// `day` (default), `week` (ISO weeks, starting Monday) or `month` (calendar months). At
    /// most 366 daily points (a year), 523 weekly or 121 monthly points (ten years).
    #[param(value_type = Option<TimeseriesInterval>, example = "week")]
    pub interval: Option<String>,
    /// First day, inclusive (ISO 8601 date; default: 30 days before `to`).
    #[param(example = "2026-11-01")]
    pub from: Option<String>,
    /// Last day, inclusive (ISO 8601 date; default: today, UTC).
    #[param(example = "2026-11-22")]
    pub to: Option<String>,
    /// `json` (default) or `csv` (`text/csv`, one row per point; `Accept: text/csv` asks for
    /// it too).
    #[param(value_type = Option<crate::api::export::ExportFormat>)]
    pub format: Option<String>,
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
        Some("month") => Ok(TimeseriesInterval::Month),
        Some(other) => Err(ApiError::BadRequest(format!(
            "unknown interval '{other}' (day, week, month)"
        ))),
    }
}

/// The totals of one bucket. `start` and `end` are always present; the other fields are
/// those of the requested kind only (`dmarc`: `messages` … `spf_aligned`; `tls`:
/// `successful_sessions` … `failed_sessions_by_result_type`), each present in every point.
#[derive(Serialize, ToSchema)]
pub struct TimeseriesPoint {
    /// First day of the bucket (inclusive; the range's first day for a clipped first week or month).
    #[schema(example = "2026-11-02")]
    pub start: String,
    /// Last day of the bucket (inclusive; the range's last day for a clipped last week or month).
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

/// A domain's DMARC or TLS totals per day, week or month.
#[derive(Serialize, ToSchema)]
pub struct TimeseriesResponse {
    pub domain: String,
    pub kind: TimeseriesKind,
    pub interval: TimeseriesInterval,
    /// First day (inclusive).
    pub from: String,
    /// Last day (inclusive).
    pub to: String,
    /// One point per day, week or month of the range, oldest first, days without reports included
    /// (as zeros).
    pub points: Vec<TimeseriesPoint>,
}

/// DMARC or SMTP TLS results of a domain per day, ISO week or calendar month, to draw trends.
///
/// Each point holds the figures of `dmarc/by-result` (`kind=dmarc`) or `tls/by-result`
/// (`kind=tls`) for its bucket. Every bucket of the range is present, zero when no report
/// covers it; weeks run Monday to Sunday (UTC), months are calendar months, the first and
/// last bucket clipped to the range. Days span at most a year, weeks and months ten years.
#[utoipa::path(tag = "aggregates", security(("bearer" = [])), params(("domain" = String, Path, description = "Domain name"), TimeseriesQuery), responses(
    (status = 200, description = "Points, oldest first (CSV: one row per point, a column per figure, `disposition_none` … for the keyed counts)", content((TimeseriesResponse = "application/json"), (String = "text/csv"))),
    (status = 400, description = "Unknown kind or interval, bad range, or too many points", body = Problem, content_type = "application/problem+json"),
    (status = 401, description = "Unauthenticated", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "Domain not found", body = Problem, content_type = "application/problem+json"),
))]
#[get("/domains/{domain}/timeseries")]
pub async fn get_timeseries(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
    query: web::Query<TimeseriesQuery>,
) -> Result<HttpResponse, ApiError> {
    let format = export::negotiate(&req, query.format.as_deref())?;
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
    let answer = TimeseriesResponse::new(kind, interval, r, answer);
    let name = format!(
        "{}-timeseries-{}-{}-{}",
        answer.domain, query.kind, answer.from, answer.to
    );
    export::respond(format, answer, TimeseriesResponse::table, &name)
}

impl TimeseriesResponse {
    /// One row per point: its days, the plain figures of its kind, then one column per key
    /// of each keyed count (`disposition_reject`, `failed_starttls-not-supported`, …), the
    /// keys of all points, zero where a point lacks one.
    fn table(&self) -> Table {
        type Plain = (&'static str, fn(&TimeseriesPoint) -> Option<u64>);
        type Keyed = fn(&TimeseriesPoint) -> Option<&BTreeMap<String, u64>>;
        type Columns = (Vec<Plain>, Vec<(&'static str, Keyed)>);
        let (plain, keyed): Columns = match self.kind {
            TimeseriesKind::Dmarc => (
                vec![
                    ("messages", |p| p.messages),
                    ("dmarc_pass_messages", |p| p.dmarc_pass_messages),
                    ("dmarc_fail_messages", |p| p.dmarc_fail_messages),
                ],
                vec![
                    ("disposition", |p| p.disposition.as_ref()),
                    ("dkim_aligned", |p| p.dkim_aligned.as_ref()),
                    ("spf_aligned", |p| p.spf_aligned.as_ref()),
                ],
            ),
            TimeseriesKind::Tls => (
                vec![
                    ("successful_sessions", |p| p.successful_sessions),
                    ("failed_sessions", |p| p.failed_sessions),
                ],
                vec![("failed", |p| p.failed_sessions_by_result_type.as_ref())],
            ),
        };
        let keys: Vec<(&str, Keyed, Vec<String>)> = keyed
            .into_iter()
            .map(|(prefix, get)| {
                let mut all: Vec<String> = self
                    .points
                    .iter()
                    .filter_map(get)
                    .flat_map(|m| m.keys().cloned())
                    .collect();
                all.sort();
                all.dedup();
                (prefix, get, all)
            })
            .collect();
        let mut header: Vec<String> = vec!["start".into(), "end".into()];
        header.extend(plain.iter().map(|(name, _)| (*name).to_string()));
        for (prefix, _, all) in &keys {
            header.extend(all.iter().map(|k| format!("{prefix}_{k}")));
        }
        let mut t = Table::new(header);
        for p in &self.points {
            let mut row = vec![p.start.clone(), p.end.clone()];
            row.extend(plain.iter().map(|(_, get)| get(p).unwrap_or(0).to_string()));
            for (_, get, all) in &keys {
                let counts = get(p);
                row.extend(all.iter().map(|k| {
                    counts
                        .and_then(|m| m.get(k))
                        .copied()
                        .unwrap_or(0)
                        .to_string()
                }));
            }
            t.row(row);
        }
        t
    }

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
