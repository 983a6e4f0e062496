//! Record lists for drill-down and export: `GET /reports/{id}/records` (one DMARC report's
//! records) and `GET /domains/{domain}/records` (the records of a domain's current reports
//! over a range). JSON pages with a cursor, or CSV (`format=csv` / `Accept: text/csv`): one
//! page when `limit` or `cursor` is given, else the whole list, streamed in bounded memory.
//! The pages come from `services::records`.

use crate::api::AppState;
use crate::api::aggregates::parse_range;
use crate::api::auth::Caller;
use crate::api::blocking;
use crate::api::error::{ApiError, Problem};
use crate::api::export::{self, Format, Sink};
use crate::api::pagination::{bad_cursor, decode_cursor, encode_cursor, split_number_key};
use crate::domain::ids::ReportId;
use crate::domain::report::Record;
use crate::services::aggregates::DayRange;
use crate::services::records::{self, RecordCursor, RecordPage};
use actix_web::{HttpRequest, HttpResponse, get, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Records per page unless `limit` says otherwise.
const DEFAULT_LIMIT: i64 = 500;
/// The largest page.
const MAX_LIMIT: i64 = 5_000;

/// A page of a report's records.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ReportRecordsQuery {
    /// Records per page (1 to 5000, default 500).
    #[param(minimum = 1, maximum = 5000)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// `json` (default) or `csv` (`text/csv` with a header row; `Accept: text/csv` asks for
    /// it too). A CSV without `limit` and `cursor` holds every record, streamed.
    #[param(value_type = Option<crate::api::export::ExportFormat>)]
    pub format: Option<String>,
}

/// A page of a domain's records over a range of days.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DomainRecordsQuery {
    /// First day, inclusive (ISO 8601 date; default: 30 days before `to`).
    #[param(example = "2026-11-01")]
    pub from: Option<String>,
    /// Last day, inclusive (ISO 8601 date; default: today, UTC).
    #[param(example = "2026-11-22")]
    pub to: Option<String>,
    /// Records per page (1 to 5000, default 500).
    #[param(minimum = 1, maximum = 5000)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// `json` (default) or `csv` (`text/csv` with a header row; `Accept: text/csv` asks for
    /// it too). A CSV without `limit` and `cursor` holds every record of the range, streamed.
    #[param(value_type = Option<crate::api::export::ExportFormat>)]
    pub format: Option<String>,
}

/// One DMARC record with the report it came in.
#[derive(Serialize, ToSchema)]
pub struct RecordItem {
    /// The stored report.
    pub report_id: String,
    /// The reporting organization.
    pub org_name: String,
    /// The report's period (Unix time).
    pub begin: i64,
    pub end: i64,
    /// The record's place in its report, from 1.
    pub seq: i64,
    #[serde(flatten)]
    pub record: Record,
}

/// A page of one report's records.
#[derive(Serialize, ToSchema)]
pub struct ReportRecordsResponse {
    pub report_id: String,
    /// Records of the report (every page).
    pub total_records: u64,
    pub items: Vec<RecordItem>,
    /// Pass as `cursor` to get the next page; `null` on the last page (always present).
    pub next_cursor: Option<String>,
}

/// A page of a domain's records over a range.
#[derive(Serialize, ToSchema)]
pub struct DomainRecordsResponse {
    pub domain: String,
    /// First day (inclusive).
    pub from: String,
    /// Last day (inclusive).
    pub to: String,
    /// Records of the current reports overlapping the range (every page).
    pub total_records: u64,
    /// By report (begin, then id), then by record number.
    pub items: Vec<RecordItem>,
    /// Pass as `cursor` to get the next page; `null` on the last page (always present).
    pub next_cursor: Option<String>,
}

fn checked_limit(limit: Option<i64>) -> Result<i64, ApiError> {
    let limit = limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ApiError::BadRequest(format!(
            "limit must be between 1 and {MAX_LIMIT}"
        )));
    }
    Ok(limit)
}

fn encode(c: &RecordCursor) -> String {
    encode_cursor(&format!("{}:{}:{}", c.begin, c.seq, c.report_id))
}

fn decode(cursor: Option<&str>) -> Result<Option<RecordCursor>, ApiError> {
    cursor
        .map(|c| {
            let (begin, rest) = split_number_key(&decode_cursor(c)?)?;
            let (seq, report_id) = split_number_key(&rest)?;
            if report_id.is_empty() {
                return Err(bad_cursor());
            }
            Ok(RecordCursor {
                begin,
                report_id,
                seq,
            })
        })
        .transpose()
}

fn items(page: RecordPage) -> Result<Vec<RecordItem>, ApiError> {
    page.records
        .into_iter()
        .map(|(report, row)| {
            let seq = row.seq;
            Ok(RecordItem {
                report_id: report.id,
                org_name: report.org_name,
                begin: report.begin_ts,
                end: report.end_ts,
                seq,
                record: crate::api::reports::to_record(row)?,
            })
        })
        .collect()
}

/// The columns of a record CSV.
const COLUMNS: &[&str] = &[
    "report_id",
    "org_name",
    "report_begin",
    "report_end",
    "seq",
    "source_ip",
    "count",
    "disposition",
    "dkim_aligned",
    "spf_aligned",
    "header_from",
    "envelope_from",
    "envelope_to",
    "override_reasons",
    "dkim_results",
    "spf_results",
];

/// A record as a CSV row (`COLUMNS`). Auth results are `domain/selector=result` (DKIM) and
/// `domain/scope=result` (SPF), override reasons `type:comment`, each list joined by `;`.
fn row(item: &RecordItem) -> Vec<String> {
    let r = &item.record;
    let e = &r.policy_evaluated;
    let text = |v: Option<&str>| v.unwrap_or_default().to_string();
    let reasons = e
        .reasons
        .iter()
        .map(|o| match &o.comment {
            Some(c) => format!("{}:{c}", o.kind.as_str()),
            None => o.kind.as_str().to_string(),
        })
        .collect::<Vec<_>>()
        .join(";");
    let dkim = r
        .auth_results
        .dkim
        .iter()
        .map(|d| {
            format!(
                "{}/{}={}",
                text(d.domain.as_deref()),
                text(d.selector.as_deref()),
                text(d.result.as_ref().map(|x| x.as_str()))
            )
        })
        .collect::<Vec<_>>()
        .join(";");
    let spf = r
        .auth_results
        .spf
        .iter()
        .map(|s| {
            format!(
                "{}/{}={}",
                text(s.domain.as_deref()),
                text(s.scope.as_ref().map(|x| x.as_str())),
                text(s.result.as_ref().map(|x| x.as_str()))
            )
        })
        .collect::<Vec<_>>()
        .join(";");
    vec![
        item.report_id.clone(),
        item.org_name.clone(),
        item.begin.to_string(),
        item.end.to_string(),
        item.seq.to_string(),
        r.source_ip.to_string(),
        r.count.to_string(),
        text(e.disposition.as_ref().map(|d| d.as_str())),
        text(e.dkim.as_ref().map(|d| d.as_str())),
        text(e.spf.as_ref().map(|d| d.as_str())),
        text(r.identifiers.header_from.as_deref()),
        text(r.identifiers.envelope_from.as_deref()),
        text(r.identifiers.envelope_to.as_deref()),
        reasons,
        dkim,
        spf,
    ]
}

/// A streamed CSV of `first` and, for a whole export (`everything`), of every page after
/// it: `more` reads the page after a cursor (`None`: there is none).
fn csv_pages(
    file: &str,
    first: RecordPage,
    everything: bool,
    mut more: impl FnMut(&RecordCursor) -> Result<Option<RecordPage>, ApiError> + Send + 'static,
) -> HttpResponse {
    export::stream(file, COLUMNS, move |sink| {
        let mut next = first.next.clone();
        write_rows(sink, first)?;
        while everything && let Some(c) = next.take() {
            let Some(page) = more(&c)? else { break };
            next = page.next.clone();
            write_rows(sink, page)?;
        }
        Ok(())
    })
}

fn write_rows(sink: &mut Sink, page: RecordPage) -> Result<(), ApiError> {
    for item in items(page)? {
        sink.row(row(&item))?;
    }
    Ok(())
}

/// A DMARC report's records, page by page (JSON), or as CSV.
#[utoipa::path(tag = "reports", security(("bearer" = [])), params(("report_id" = String, Path, description = "Report id"), ReportRecordsQuery), responses(
    (status = 200, description = "A page of records in report order (CSV: one row per record; without `limit` and `cursor`, every record)", content((ReportRecordsResponse = "application/json"), (String = "text/csv"))),
    (status = 400, description = "Bad limit, cursor or format, or a TLS report (its policies are in `GET /reports/{id}`)", body = Problem, content_type = "application/problem+json"),
    (status = 401, description = "Unauthenticated", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "Not found", body = Problem, content_type = "application/problem+json"),
    (status = 410, description = "`expired`: the tenant's retention deleted the report's records", body = Problem, content_type = "application/problem+json"),
))]
#[get("/reports/{report_id}/records")]
pub async fn list_report_records(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    path: web::Path<ReportId>,
    query: web::Query<ReportRecordsQuery>,
) -> Result<HttpResponse, ApiError> {
    let format = export::negotiate(&req, query.format.as_deref())?;
    let limit = checked_limit(query.limit)?;
    let after = decode(query.cursor.as_deref())?;
    let everything = format == Format::Csv && query.limit.is_none() && after.is_none();
    let id = path.into_inner();
    let after_seq = after.as_ref().map_or(0, |c| c.seq);
    let page_size = if everything { MAX_LIMIT } else { limit };
    let (db, scope, report) = (state.db.clone(), caller.scope.clone(), id.clone());
    let (row, page) = blocking(move || {
        Ok(records::report_records(
            &db, &scope, &report, after_seq, page_size,
        )?)
    })
    .await?;
    if row.records_purged_at.is_some() {
        return Err(crate::api::reports::expired());
    }
    let Some(page) = page else {
        return Err(ApiError::BadRequest(
            "only DMARC aggregate reports have records; a TLS report's policies and failures are in GET /reports/{id}".into(),
        ));
    };
    let file = format!("report-{}-records", row.id);
    if format == Format::Csv {
        return Ok(csv_pages(&file, page, everything, move |c| {
            Ok(records::report_records(&state.db, &caller.scope, &id, c.seq, MAX_LIMIT)?.1)
        }));
    }
    let next_cursor = page.next.as_ref().map(encode);
    let total_records = page.total;
    Ok(HttpResponse::Ok().json(ReportRecordsResponse {
        report_id: row.id.as_str().to_string(),
        total_records,
        items: items(page)?,
        next_cursor,
    }))
}

/// The DMARC records of a domain's current reports (not superseded) whose period overlaps a
/// range of days, whole reports, page by page (JSON) or as CSV.
#[utoipa::path(tag = "aggregates", security(("bearer" = [])), params(("domain" = String, Path, description = "Domain name"), DomainRecordsQuery), responses(
    (status = 200, description = "A page of records, by report then record number (CSV: one row per record; without `limit` and `cursor`, every record of the range)", content((DomainRecordsResponse = "application/json"), (String = "text/csv"))),
    (status = 400, description = "Bad range, limit, cursor or format", body = Problem, content_type = "application/problem+json"),
    (status = 401, description = "Unauthenticated", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "Domain not found", body = Problem, content_type = "application/problem+json"),
))]
#[get("/domains/{domain}/records")]
pub async fn list_domain_records(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
    query: web::Query<DomainRecordsQuery>,
) -> Result<HttpResponse, ApiError> {
    let format = export::negotiate(&req, query.format.as_deref())?;
    let r = parse_range(query.from.as_deref(), query.to.as_deref())?;
    let limit = checked_limit(query.limit)?;
    let after = decode(query.cursor.as_deref())?;
    let everything = format == Format::Csv && query.limit.is_none() && after.is_none();
    let name = path.into_inner();
    let days: DayRange = r.days;
    let page_size = if everything { MAX_LIMIT } else { limit };
    let (db, scope, domain) = (state.db.clone(), caller.scope.clone(), name.clone());
    let first = blocking(move || {
        Ok(records::domain_records(
            &db,
            &scope,
            &domain,
            days,
            after.as_ref(),
            page_size,
        )?)
    })
    .await?;
    if format == Format::Csv {
        let file = format!("{}-records-{}-{}", first.domain, r.from, r.to);
        let page = first.value;
        return Ok(csv_pages(&file, page, everything, move |c| {
            Ok(Some(
                records::domain_records(&state.db, &caller.scope, &name, days, Some(c), MAX_LIMIT)?
                    .value,
            ))
        }));
    }
    let page = first.value;
    let next_cursor = page.next.as_ref().map(encode);
    let total_records = page.total;
    Ok(HttpResponse::Ok().json(DomainRecordsResponse {
        domain: first.domain,
        from: r.from,
        to: r.to,
        total_records,
        items: items(page)?,
        next_cursor,
    }))
}
