//! `POST /query/dmarc` and `POST /query/tls`: the flexible query over one or more domains of
//! the caller's scope (group by, filters, metrics, order, cursor paging). HTTP only: the
//! request and answer DTOs, the range and cursor parsing, and the call to `services::query`,
//! which validates the rest, routes the query (rollups or records) and bounds it.

use crate::api::AppState;
use crate::api::aggregates::{Range, parse_range};
use crate::api::auth::Caller;
use crate::api::blocking;
use crate::api::error::{ApiError, ErrorCode, Problem};
use crate::api::export;
use crate::api::pagination::{decode_cursor, encode_cursor};
use crate::api::problems::{AmbiguousDomain, NotFound};
use crate::services::query::{
    self, AnsweredFrom, DmarcField, DmarcFilter, DmarcMetric, DmarcOrder, QueryError, TlsField,
    TlsFilter, TlsMetric, TlsOrder,
};
use actix_web::{HttpRequest, HttpResponse, post, web};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};

/// A DMARC query: which domains and days, grouped how, filtered how, which metrics, in
/// which order, which page.
#[derive(Debug, Clone, Default, Deserialize, ToSchema, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "domains": ["example.com"], "from": "2026-09-01", "to": "2026-11-30",
    "group_by": ["source_ip", "header_from", "month"],
    "filters": [{"field": "messages", "op": "range", "min": 10}],
    "metrics": ["messages", "dmarc_pass"],
    "order_by": [{"field": "messages", "direction": "desc"}],
    "limit": 100
}))]
pub struct DmarcQueryRequest {
    /// Domains (names or ids) of the caller's scope; absent or empty: every domain in scope
    /// (at most 100; name them beyond that). A domain outside the scope is a 404.
    #[serde(default)]
    pub domains: Vec<String>,
    /// First day, inclusive (ISO 8601 date; default: 30 days before `to`).
    pub from: Option<String>,
    /// Last day, inclusive (ISO 8601 date; default: today, UTC).
    pub to: Option<String>,
    /// Fields to group by, at most 4 (none: one group of everything).
    #[serde(default)]
    pub group_by: Vec<DmarcField>,
    /// Conditions, all of which must hold (at most 20): on fields, per message row; `range`
    /// on metrics, per group.
    #[serde(default)]
    pub filters: Vec<DmarcFilter>,
    /// Metrics of each group (default `messages`).
    #[serde(default)]
    pub metrics: Vec<DmarcMetric>,
    /// Sort keys, at most 4: grouped fields or requested metrics (default: the first metric,
    /// descending). Ties are ordered by the grouped fields, ascending.
    #[serde(default)]
    pub order_by: Vec<DmarcOrder>,
    /// Groups per page, 1 to 1000 (default 100).
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page of the same query.
    pub cursor: Option<String>,
}

/// A TLS query, shaped like the DMARC one.
#[derive(Debug, Clone, Default, Deserialize, ToSchema, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "from": "2026-11-01", "to": "2026-11-30",
    "group_by": ["receiving_mx_hostname", "result_type"],
    "metrics": ["failed_sessions"]
}))]
pub struct TlsQueryRequest {
    /// Domains (names or ids) of the caller's scope; absent or empty: every domain in scope
    /// (at most 100).
    #[serde(default)]
    pub domains: Vec<String>,
    /// First day, inclusive (ISO 8601 date; default: 30 days before `to`).
    pub from: Option<String>,
    /// Last day, inclusive (ISO 8601 date; default: today, UTC).
    pub to: Option<String>,
    /// Fields to group by, at most 4. Failure fields (`result_type`, `sending_mta_ip`,
    /// `receiving_mx_hostname`) have `failed_sessions` only; policy fields (`policy_type`,
    /// `policy_domain`) are read from the raw policy rows and do not combine with them.
    #[serde(default)]
    pub group_by: Vec<TlsField>,
    #[serde(default)]
    pub filters: Vec<TlsFilter>,
    /// Metrics of each group (default `failed_sessions`).
    #[serde(default)]
    pub metrics: Vec<TlsMetric>,
    #[serde(default)]
    pub order_by: Vec<TlsOrder>,
    /// Groups per page, 1 to 1000 (default 100).
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page of the same query.
    pub cursor: Option<String>,
}

/// A group's fields by name (`day`, `source_ip`, …); `null` where the reports gave no value.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct GroupKey(BTreeMap<String, Option<String>>);

/// A group's metrics by name (`messages`, `dmarc_pass`, …).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct GroupMetrics(BTreeMap<String, u64>);

/// One group: its grouped fields and its metrics.
#[derive(Debug, Serialize, ToSchema)]
pub struct QueryGroup {
    /// The grouped fields, by name; `null` where the reports gave no value (e.g. a source no
    /// service is named for).
    #[schema(value_type = GroupKey, example = json!({"source_ip": "192.0.2.1", "month": "2026-11"}))]
    pub key: BTreeMap<String, Option<String>>,
    /// The requested metrics, by name.
    #[schema(value_type = GroupMetrics, example = json!({"messages": 120, "dmarc_pass": 118}))]
    pub metrics: BTreeMap<String, u64>,
}

/// One page of a query's answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct QueryResponse {
    /// The domains covered, by name.
    pub domains: Vec<String>,
    /// First day (inclusive).
    pub from: String,
    /// Last day (inclusive).
    pub to: String,
    /// `rollups` (the sums kept at ingest) or `records` (the raw rows, scanned within the
    /// server's bounds: at most 200,000 rows and 10 seconds).
    pub answered_from: AnsweredFrom,
    /// Stored rows read to answer (rollup groups or raw records).
    pub scanned_rows: u64,
    /// Groups in all pages (after the `range` filters).
    pub total_groups: u64,
    pub groups: Vec<QueryGroup>,
    /// Pass as `cursor` (with the same query) for the next page; `null` on the last page.
    pub next_cursor: Option<String>,
    /// The grouped fields, then the metrics, in request order: the columns of the CSV
    /// form of this answer.
    pub columns: Vec<String>,
}

impl QueryResponse {
    /// One row per group: the grouped fields (empty where absent), then the metrics.
    fn table(&self) -> export::Table {
        let mut t = export::Table::new(self.columns.clone());
        for g in &self.groups {
            t.row(
                self.columns
                    .iter()
                    .map(|c| match (g.key.get(c), g.metrics.get(c)) {
                        (Some(v), _) => v.clone().unwrap_or_default(),
                        (None, Some(n)) => n.to_string(),
                        (None, None) => String::new(),
                    })
                    .collect(),
            );
        }
        t
    }
}

/// The answer's format.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct QueryFormat {
    /// `json` (default) or `csv` (`text/csv`: a header row of the grouped fields and the
    /// metrics, then one row per group; `Accept: text/csv` asks for it too). A CSV asked for
    /// without `limit` and `cursor` holds every group of the answer, not a page.
    #[param(value_type = Option<crate::api::export::ExportFormat>)]
    pub format: Option<String>,
}

/// Answers a query read from the body, as JSON or as CSV (every group when the body names no
/// page).
async fn respond<B>(
    req: &HttpRequest,
    format: &QueryFormat,
    body: B,
    paged: impl Fn(&B) -> bool,
    name: &str,
    run: impl AsyncFnOnce(B, bool) -> Result<QueryResponse, ApiError>,
) -> Result<HttpResponse, ApiError> {
    let format = export::negotiate(req, format.format.as_deref())?;
    let whole = format == export::Format::Csv && !paged(&body);
    let answer = run(body, whole).await?;
    let file = format!("{name}-{}-{}", answer.from, answer.to);
    export::respond(format, answer, QueryResponse::table, &file)
}

impl QueryResponse {
    pub(crate) fn new(r: Range, answer: query::Answer) -> Self {
        QueryResponse {
            columns: answer.columns.iter().map(|c| c.to_string()).collect(),
            domains: answer.domains,
            from: r.from,
            to: r.to,
            answered_from: answer.answered_from,
            scanned_rows: answer.scanned_rows,
            total_groups: answer.total_groups,
            next_cursor: answer.next.as_deref().map(encode_cursor),
            groups: answer
                .groups
                .into_iter()
                .map(|g| QueryGroup {
                    key: g
                        .key
                        .into_iter()
                        .map(|(k, v)| (k.to_string(), (!v.is_empty()).then_some(v)))
                        .collect(),
                    metrics: g
                        .metrics
                        .into_iter()
                        .map(|(k, v)| (k.to_string(), v))
                        .collect(),
                })
                .collect(),
        }
    }
}

impl From<QueryError> for ApiError {
    fn from(e: QueryError) -> Self {
        match e {
            QueryError::Invalid(detail) => ApiError::BadRequest(detail),
            QueryError::TooLarge(detail) => ApiError::Unprocessable {
                code: ErrorCode::QueryTooLarge,
                detail,
            },
            QueryError::Storage(e) => e.into(),
        }
    }
}

fn cursor(raw: Option<&str>) -> Result<Option<String>, ApiError> {
    raw.map(decode_cursor).transpose()
}

/// Runs a DMARC query for a caller (shared with the MCP tool).
pub(crate) async fn run_dmarc_query(
    db: crate::storage::Db,
    scope: crate::storage::TenantScope,
    body: DmarcQueryRequest,
    whole: bool,
) -> Result<QueryResponse, ApiError> {
    let r = parse_range(body.from.as_deref(), body.to.as_deref())?;
    let q = query::DmarcQuery {
        domains: body.domains,
        days: r.days,
        group_by: body.group_by,
        filters: body.filters,
        metrics: body.metrics,
        order_by: body.order_by,
        limit: body.limit,
        after: cursor(body.cursor.as_deref())?,
        whole,
    };
    let answer = blocking(move || Ok(query::query_dmarc(&db, &scope, q)?)).await?;
    Ok(QueryResponse::new(r, answer))
}

/// Runs a TLS query for a caller (shared with the MCP tool).
pub(crate) async fn run_tls_query(
    db: crate::storage::Db,
    scope: crate::storage::TenantScope,
    body: TlsQueryRequest,
    whole: bool,
) -> Result<QueryResponse, ApiError> {
    let r = parse_range(body.from.as_deref(), body.to.as_deref())?;
    let q = query::TlsQuery {
        domains: body.domains,
        days: r.days,
        group_by: body.group_by,
        filters: body.filters,
        metrics: body.metrics,
        order_by: body.order_by,
        limit: body.limit,
        after: cursor(body.cursor.as_deref())?,
        whole,
    };
    let answer = blocking(move || Ok(query::query_tls(&db, &scope, q)?)).await?;
    Ok(QueryResponse::new(r, answer))
}

/// Query DMARC traffic of one or more domains.
///
/// Group by any of day, week, month, domain,
/// header_from, source_ip, source_network (/24, /48), service, service_category, reporter,
/// disposition, dkim_result, spf_result, dkim_domain, spf_domain, alignment and policy;
/// filter (`equals`, `not`, `in`, `not_in`, `prefix`, `cidr`; `range` on metrics, per
/// group); pick metrics; order; page with `limit` and `cursor`. Queries whose fields a
/// rollup holds are answered from it (`answered_from: rollups`); the others (`policy`,
/// result fields with source fields, DKIM/SPF domains with metrics other than `messages`)
/// scan the raw records within bounds (`answered_from: records`) and are refused with 422
/// `query_too_large` beyond them.
#[utoipa::path(tag = "query", security(("bearer" = [])), request_body = DmarcQueryRequest, params(QueryFormat),
    responses(
        (status = 200, description = "A page of groups (CSV: a header row of the grouped fields and metrics, one row per group; without `limit` and `cursor`, every group)", content((QueryResponse = "application/json"), (String = "text/csv"))),
        (status = 404, response = NotFound),
        (status = 409, response = AmbiguousDomain),
        (status = 422, description = "The query exceeds a bound (`query_too_large`): too many domains, rows or records, too long, or day/week buckets over more than 366 days", body = Problem, content_type = "application/problem+json"),
))]
#[post("/query/dmarc")]
pub async fn query_dmarc(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    format: web::Query<QueryFormat>,
    body: web::Json<DmarcQueryRequest>,
) -> Result<HttpResponse, ApiError> {
    respond(
        &req,
        &format,
        body.into_inner(),
        |b| b.limit.is_some() || b.cursor.is_some(),
        "dmarc-query",
        async |body, whole| run_dmarc_query(state.db.clone(), caller.scope, body, whole).await,
    )
    .await
}

/// Query SMTP TLS sessions of one or more domains.
///
/// Group by day, week, month, domain,
/// reporter, result_type, sending_mta_ip, receiving_mx_hostname, policy_type or
/// policy_domain; filter, pick metrics (successful, failed, total sessions), order and page
/// like the DMARC query. Policy fields are read from the raw policy rows
/// (`answered_from: records`, bounded).
#[utoipa::path(tag = "query", security(("bearer" = [])), request_body = TlsQueryRequest, params(QueryFormat),
    responses(
        (status = 200, description = "A page of groups (CSV: a header row of the grouped fields and metrics, one row per group; without `limit` and `cursor`, every group)", content((QueryResponse = "application/json"), (String = "text/csv"))),
        (status = 404, response = NotFound),
        (status = 409, response = AmbiguousDomain),
        (status = 422, description = "The query exceeds a bound (`query_too_large`)", body = Problem, content_type = "application/problem+json"),
))]
#[post("/query/tls")]
pub async fn query_tls(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    format: web::Query<QueryFormat>,
    body: web::Json<TlsQueryRequest>,
) -> Result<HttpResponse, ApiError> {
    respond(
        &req,
        &format,
        body.into_inner(),
        |b| b.limit.is_some() || b.cursor.is_some(),
        "tls-query",
        async |body, whole| run_tls_query(state.db.clone(), caller.scope, body, whole).await,
    )
    .await
}
