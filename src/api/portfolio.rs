//! `GET /portfolio`: every domain of the caller's subtree (or of a tenant in it) with its
//! figures for a period, whether it needs attention and why; sorted, filtered, paged.
//!
//! HTTP only: query parsing and the DTO; the rows are computed by `services::portfolio`,
//! shared with the portfolio document. The period is parsed as the aggregates parse theirs.

use crate::api::AppState;
use crate::api::aggregates::{Range, parse_range};
use crate::api::auth::Caller;
use crate::api::blocking;
use crate::api::error::ApiError;
use crate::api::pagination::{self, bad_cursor, checked_limit};
use crate::api::problems::NotFound;
use crate::domain::ids::TenantId;
use crate::services::portfolio::{self, PortfolioQuery, PortfolioRow, PortfolioSort, SortKey};
use actix_web::{get, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Sort direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SortOrder {
    Asc,
    Desc,
}

/// Which domains, in which order, over which period.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PortfolioListQuery {
    /// `next_cursor` of the previous page (with the same sort and filters).
    pub cursor: Option<String>,
    /// Page size (1 to 500, default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// Sort by `domain` (default), `messages`, `pass_rate`, `last_report_at` or `attention`.
    #[param(inline)]
    pub sort: Option<PortfolioSort>,
    /// `asc` or `desc`; default `asc` for `domain`, `desc` for the others. Equal values are
    /// ordered by domain name.
    #[param(inline)]
    pub order: Option<SortOrder>,
    /// Only the domains of this tenant and its descendants (a tenant in the caller's subtree).
    pub tenant: Option<String>,
    /// `true`: only domains that need attention.
    pub attention: Option<bool>,
    /// First day of the period, inclusive (ISO 8601 date; default: 30 days before `to`).
    #[param(example = "2026-11-01")]
    pub from: Option<String>,
    /// Last day of the period, inclusive (ISO 8601 date; default: today, UTC).
    #[param(example = "2026-11-30")]
    pub to: Option<String>,
}

/// A page of the portfolio.
#[derive(Serialize, ToSchema)]
pub struct PortfolioResponse {
    /// First day of the period (ISO 8601 date).
    pub from: String,
    /// Last day of the period (ISO 8601 date).
    pub to: String,
    /// Domains matching the filters (all pages).
    pub total: usize,
    pub items: Vec<PortfolioRow>,
    /// Pass as `cursor` to get the next page; `null` on the last page (always present).
    pub next_cursor: Option<String>,
}

/// Every domain of the caller's subtree with its DMARC volume and pass rate, TLS sessions,
/// published DMARC policy, unresolved issues by severity and last report, and whether it
/// needs attention: an unresolved critical issue, no valid DMARC policy or `p=none`, a pass
/// rate under 90 %, or no report for 7 days. Read from per-domain daily rollups kept at
/// ingest, so its cost grows with the number of domains, not of reports.
#[utoipa::path(tag = "portfolio", security(("bearer" = [])), params(PortfolioListQuery),
    responses(
        (status = 200, description = "A page of domains", body = PortfolioResponse),
        (status = 404, response = NotFound),
))]
#[get("/portfolio")]
pub async fn list_portfolio(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<PortfolioListQuery>,
) -> Result<web::Json<PortfolioResponse>, ApiError> {
    let (query, range) = portfolio_query(query.into_inner())?;
    let page = blocking(move || {
        Ok(state
            .db
            .read(|conn| portfolio::list(conn, &caller.scope, &query))?)
    })
    .await?;
    Ok(web::Json(PortfolioResponse::new(range, page)))
}

impl PortfolioResponse {
    /// A page of `services::portfolio::list`, with the cursor of the next one.
    pub(crate) fn new(range: Range, page: portfolio::PortfolioPage) -> Self {
        PortfolioResponse {
            from: range.from,
            to: range.to,
            total: page.total,
            items: page.rows,
            next_cursor: page.next.map(|k| pagination::encode_cursor(&k.encode())),
        }
    }
}

/// The service's query for a `GET /portfolio` query string (limit, period, sort, cursor
/// checked as every list checks them), and the period as days.
pub(crate) fn portfolio_query(q: PortfolioListQuery) -> Result<(PortfolioQuery, Range), ApiError> {
    let limit = checked_limit(q.limit)?;
    let range = parse_range(q.from.as_deref(), q.to.as_deref())?;
    let sort = q.sort.unwrap_or_default();
    let descending = match q.order {
        Some(order) => order == SortOrder::Desc,
        None => sort != PortfolioSort::Domain,
    };
    let after = q
        .cursor
        .as_deref()
        .map(|c| {
            let key = SortKey::decode(&pagination::decode_cursor(c)?).ok_or_else(bad_cursor)?;
            // A cursor of another sort has another number of values: refuse it rather than
            // continue somewhere arbitrary.
            let expected = match sort {
                PortfolioSort::Domain => 0,
                PortfolioSort::Attention => 6,
                _ => 1,
            };
            if key.values.len() == expected {
                Ok(key)
            } else {
                Err(bad_cursor())
            }
        })
        .transpose()?;
    let query = PortfolioQuery {
        tenant: q.tenant.map(TenantId::from),
        attention_only: q.attention.unwrap_or(false),
        sort,
        descending,
        days: range.days,
        after,
        limit: usize::try_from(limit).ok(),
        now: chrono::Utc::now().timestamp(),
        rules: Default::default(),
    };
    Ok((query, range))
}
