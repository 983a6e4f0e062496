//! Record lists for drill-down and export: the DMARC records of one report, or of every current
//! report of a domain whose period overlaps a range of days, page by page in a stable order
//! (report begin, report id, record number), so paging a domain that receives reports
//! meanwhile neither repeats nor skips a record of the reports it has passed.
//!
//! Each page is a keyset read (`storage::reports::list_current_dmarc_reports` on
//! `reports_domain`, then `list_records_page` on the records' primary key), so a page costs
//! the same at the start and at the millionth record, and an export that walks every page
//! holds one page in memory.
//!
//! Must not depend on `api` or actix-web.

use crate::domain::ids::ReportId;
use crate::services::aggregates::{DayRange, ForDomain};
use crate::storage::reports::{self as store, RecordRow, ReportRef, ReportRow};
use crate::storage::{Db, DbConnection, StorageResult, TenantScope, domains};

/// Where a page of a record list starts: after this record of this report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordCursor {
    /// The report's begin (Unix time); always 0 for one report's list.
    pub begin: i64,
    pub report_id: String,
    /// The last record already given.
    pub seq: i64,
}

/// A page of records, each with the report it belongs to.
#[derive(Debug, Clone)]
pub struct RecordPage {
    pub records: Vec<(ReportRef, RecordRow)>,
    /// Where the next page starts; `None` on the last page.
    pub next: Option<RecordCursor>,
    /// Records of the whole list (every page).
    pub total: u64,
}

/// Reports read per step while filling a page of a domain's list.
const REPORTS_PER_STEP: i64 = 100;

/// A page of the records of one report of the caller's scope, after record `after_seq`; no
/// page for a report that has no records (a TLS report).
pub fn report_records(
    db: &Db,
    scope: &TenantScope,
    report_id: &ReportId,
    after_seq: i64,
    limit: i64,
) -> StorageResult<(ReportRow, Option<RecordPage>)> {
    db.read(|conn| {
        let row = store::get_report(conn, scope, report_id)?;
        if row.kind != store::KIND_DMARC {
            return Ok((row, None));
        }
        let report = ReportRef {
            id: row.id.as_str().to_string(),
            org_name: row.org_name.clone(),
            begin_ts: row.begin_ts,
            end_ts: row.end_ts,
        };
        let mut records = store::list_records_page(conn, report_id, after_seq, limit + 1)?;
        let more = records.len() as i64 > limit;
        records.truncate(usize::try_from(limit).unwrap_or(0));
        let next = more
            .then(|| records.last())
            .flatten()
            .map(|r| RecordCursor {
                begin: 0,
                report_id: report.id.clone(),
                seq: r.seq,
            });
        let total = u64::try_from(row.record_count).unwrap_or(0);
        let page = RecordPage {
            records: records.into_iter().map(|r| (report.clone(), r)).collect(),
            next,
            total,
        };
        Ok((row, Some(page)))
    })
}

/// A page of the records of a domain's current DMARC reports overlapping `days`, after
/// `after`. `domain` is a name or an id in `scope`.
pub fn domain_records(
    db: &Db,
    scope: &TenantScope,
    domain: &str,
    days: DayRange,
    after: Option<&RecordCursor>,
    limit: i64,
) -> StorageResult<ForDomain<RecordPage>> {
    db.read(|conn| {
        let domain = domains::get_domain_by_name(conn, scope, domain)?;
        let span = (
            days.first.saturating_mul(86_400),
            days.last.saturating_mul(86_400).saturating_add(86_399),
        );
        let page = domain_page(conn, domain.id.as_str(), span, after, limit)?;
        Ok(ForDomain {
            domain: domain.name,
            value: page,
        })
    })
}

fn domain_page(
    conn: &mut DbConnection,
    domain_id: &str,
    span: (i64, i64),
    after: Option<&RecordCursor>,
    limit: i64,
) -> StorageResult<RecordPage> {
    let total =
        u64::try_from(store::count_current_dmarc_records(conn, domain_id, span)?).unwrap_or(0);
    let mut records: Vec<(ReportRef, RecordRow)> = Vec::new();
    let wanted = usize::try_from(limit).unwrap_or(0);
    // The report the cursor is inside, if it is still current and in the range, goes on
    // after its record; then the reports after it.
    let mut position: Option<(i64, String)> = None;
    if let Some(c) = after {
        if let Some(report) = store::find_current_dmarc_report(conn, domain_id, span, &c.report_id)?
        {
            let id = ReportId::from(report.id.as_str());
            let rest = store::list_records_page(conn, &id, c.seq, limit + 1)?;
            records.extend(rest.into_iter().map(|r| (report.clone(), r)));
        }
        position = Some((c.begin, c.report_id.clone()));
    }
    while records.len() <= wanted {
        let reports = store::list_current_dmarc_reports(
            conn,
            domain_id,
            span,
            position.as_ref().map(|(b, i)| (*b, i.as_str())),
            REPORTS_PER_STEP,
        )?;
        let last_step = (reports.len() as i64) < REPORTS_PER_STEP;
        for report in reports {
            position = Some((report.begin_ts, report.id.clone()));
            let need = wanted + 1 - records.len();
            let id = ReportId::from(report.id.as_str());
            let rows = store::list_records_page(conn, &id, 0, i64::try_from(need).unwrap_or(1))?;
            records.extend(rows.into_iter().map(|r| (report.clone(), r)));
            if records.len() > wanted {
                break;
            }
        }
        if last_step {
            break;
        }
    }
    let more = records.len() > wanted;
    records.truncate(wanted);
    let next = more
        .then(|| records.last())
        .flatten()
        .map(|(report, row)| RecordCursor {
            begin: report.begin_ts,
            report_id: report.id.clone(),
            seq: row.seq,
        });
    Ok(RecordPage {
        records,
        next,
        total,
    })
}
