//! Per-domain aggregates over a range of UTC days: `dmarc/by-result|by-source|by-service`
//! ([`dmarc`]), `tls/by-result|by-source` ([`tls`]), `timeseries` ([`timeseries`]) and
//! `enforcement-readiness` ([`readiness`]).
//!
//! HTTP only: query parsing and validation (the query and range types shared by all of them
//! live here), the call to `services::aggregates` through the span-carrying `blocking`
//! helper, and DTOs. The answers themselves are computed by the service, shared with the
//! other front doors; nothing here reads storage. Every aggregate validates `from`, `to` and
//! `limit` the same way ([`range`]).

pub mod dmarc;
pub mod readiness;
pub mod timeseries;
pub mod tls;

pub use dmarc::{get_dmarc_by_result, get_dmarc_by_service, get_dmarc_by_source};
pub use readiness::get_enforcement_readiness;
pub use timeseries::get_timeseries;
pub(crate) use tls::failure_page;
pub use tls::{get_tls_by_result, get_tls_by_source};

use crate::api::error::ApiError;
use crate::services::aggregates::DayRange;
use serde::Deserialize;
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
    /// dmarc/by-source and tls/by-source: `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// `json` (default) or `csv` (`text/csv` with a header row; `Accept: text/csv` asks for
    /// it too). A dmarc/by-source CSV asked for without `limit` and `cursor` holds every
    /// source of the range, streamed; a tls/by-source one every failure path.
    #[param(value_type = Option<crate::api::export::ExportFormat>)]
    pub format: Option<String>,
}

impl AggregateQuery {
    /// The list length, or 400 when it is outside 1..=10000.
    pub(crate) fn limit(&self) -> Result<i64, ApiError> {
        let limit = self.limit.unwrap_or(100);
        if !(1..=10_000).contains(&limit) {
            return Err(ApiError::BadRequest(
                "limit must be between 1 and 10000".into(),
            ));
        }
        Ok(limit)
    }
}

/// A validated range of days, with its bounds as ISO dates.
pub(crate) struct Range {
    pub(crate) days: DayRange,
    pub(crate) from: String,
    pub(crate) to: String,
}

fn day_string(day: i64) -> String {
    chrono::DateTime::from_timestamp(day * 86_400, 0)
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// The range of an aggregate query; its `limit` is checked here too, so every aggregate
/// refuses the same bad values whether it returns a list or not.
pub(crate) fn range(q: &AggregateQuery) -> Result<Range, ApiError> {
    q.limit()?;
    parse_range(q.from.as_deref(), q.to.as_deref())
}

/// `from` and `to` as every aggregate reads them (defaults: the 30 days before today, UTC).
pub(crate) fn parse_range(from: Option<&str>, to: Option<&str>) -> Result<Range, ApiError> {
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
