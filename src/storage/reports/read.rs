//! The read path of stored reports: listing (tenant scope, filters, keyset pages), one
//! report, its upload, its DMARC records or TLS policies and failures; and deletion, which
//! lets a version it superseded become current again (keeping `domain_daily` and the
//! domain's `last_report_at` exact).
//!
//! Tenant-scoped functions take the caller's scope first. Must not depend on `services`,
//! `api` or `reports`.

use super::ReportRow;
use super::rollups::apply_domain_daily;
use crate::domain::ids::ReportId;
use crate::storage::schema::{
    dmarc_records, domains, reports, tls_failures, tls_policies, uploads,
};
use crate::storage::write_transaction;
use crate::storage::{DbConnection, StorageError, StorageResult, TenantScope};
use diesel::prelude::*;

/// Filters for listing reports.
#[derive(Debug, Default, Clone)]
pub struct ReportFilter {
    pub domain_id: Option<String>,
    pub kind: Option<String>,
    pub from: Option<i64>,
    pub to: Option<i64>,
    pub reporter: Option<String>,
    /// Continue after this (begin_ts, id), in descending order.
    pub after: Option<(i64, String)>,
    pub limit: i64,
}

/// Reports in scope, newest range first.
pub fn list_reports(
    conn: &mut DbConnection,
    scope: &TenantScope,
    filter: &ReportFilter,
) -> StorageResult<Vec<ReportRow>> {
    use crate::storage::schema::tenants;
    let in_scope = tenants::table
        .filter(tenants::path.like(scope.like()))
        .select(tenants::id);
    let mut query = reports::table
        .filter(reports::tenant_id.eq_any(in_scope))
        // A domain being deleted shows none of its reports (usually none is).
        .filter(
            reports::domain_id.ne_all(
                domains::table
                    .filter(domains::deleting_since.is_not_null())
                    .select(domains::id),
            ),
        )
        .into_boxed();
    if let Some(d) = &filter.domain_id {
        query = query.filter(reports::domain_id.eq(d.clone()));
    }
    if let Some(k) = &filter.kind {
        query = query.filter(reports::kind.eq(k.clone()));
    }
    if let Some(from) = filter.from {
        query = query.filter(reports::end_ts.ge(from));
    }
    if let Some(to) = filter.to {
        query = query.filter(reports::begin_ts.lt(to));
    }
    if let Some(r) = &filter.reporter {
        query = query.filter(reports::org_name.eq(r.clone()));
    }
    if let Some((begin, id)) = &filter.after {
        query = query.filter(
            reports::begin_ts
                .lt(*begin)
                .or(reports::begin_ts.eq(*begin).and(reports::id.lt(id.clone()))),
        );
    }
    Ok(query
        .order((reports::begin_ts.desc(), reports::id.desc()))
        .limit(filter.limit)
        .select(ReportRow::as_select())
        .load(conn)?)
}

pub fn get_report(
    conn: &mut DbConnection,
    scope: &TenantScope,
    id: &ReportId,
) -> StorageResult<ReportRow> {
    use crate::storage::schema::tenants;
    let in_scope = tenants::table
        .filter(tenants::path.like(scope.like()))
        .select(tenants::id);
    Ok(reports::table
        .filter(reports::id.eq(id.as_str()))
        .filter(reports::tenant_id.eq_any(in_scope))
        // A domain being deleted shows none of its reports (usually none is).
        .filter(
            reports::domain_id.ne_all(
                domains::table
                    .filter(domains::deleting_since.is_not_null())
                    .select(domains::id),
            ),
        )
        .select(ReportRow::as_select())
        .first(conn)?)
}

/// The original upload a report came from: (bytes gzip-compressed, content type).
pub fn get_report_upload(
    conn: &mut DbConnection,
    scope: &TenantScope,
    id: &ReportId,
) -> StorageResult<StoredUpload> {
    let report = get_report(conn, scope, id)?;
    let (compressed, content_type, filename) = uploads::table
        .filter(uploads::id.eq(report.upload_id.as_str()))
        .select((uploads::data, uploads::content_type, uploads::filename))
        .first::<(Vec<u8>, Option<String>, Option<String>)>(conn)?;
    // The raw copy was withheld (the upload also held a redacted failure report).
    if compressed.is_empty() {
        return Err(StorageError::NotFound);
    }
    Ok(StoredUpload {
        compressed,
        content_type,
        filename,
        report,
    })
}

/// The upload a report came in (gzip-compressed as stored), with the report's row.
#[derive(Debug)]
pub struct StoredUpload {
    pub compressed: Vec<u8>,
    /// The content type the uploader declared (a hint only).
    pub content_type: Option<String>,
    /// The file name it was sent with, when known.
    pub filename: Option<String>,
    pub report: ReportRow,
}

/// Deletes a report with its records and rollups; a version it superseded becomes current.
pub fn delete_report(
    conn: &mut DbConnection,
    scope: &TenantScope,
    id: &ReportId,
) -> StorageResult<()> {
    let report = get_report(conn, scope, id)?;
    write_transaction(conn, |conn| {
        crate::storage::lock_domain_rollups(conn, report.domain_id.as_str())?;
        // A DMARC report whose records retention deleted cannot leave the per-source sums
        // (nor come back into them): what it added can no longer be recomputed.
        let current = if report.superseded_by.is_none() {
            Some(report.id.as_str())
        } else {
            None
        };
        let expired: i64 = reports::table
            .filter(reports::kind.eq(super::KIND_DMARC))
            .filter(reports::records_purged_at.is_not_null())
            .filter(
                reports::superseded_by
                    .eq(report.id.as_str())
                    .or(reports::id.nullable().eq(current)),
            )
            .count()
            .get_result(conn)?;
        if expired > 0 {
            return Err(StorageError::Conflict(
                "the records of this report (or of the version it replaced) have expired under the tenant's retention, so its share of the aggregates can no longer be recomputed; it is deleted with its rollups when they expire".into(),
            ));
        }
        // domain_daily follows which reports are current: this one leaves it (while its
        // rollup rows still exist), the versions it superseded come back.
        if report.superseded_by.is_none() {
            apply_domain_daily(conn, report.id.as_str(), -1)?;
            super::sources::apply(conn, report.id.as_str(), -1)?;
        }
        let returning: Vec<String> = reports::table
            .filter(reports::superseded_by.eq(report.id.as_str()))
            .select(reports::id)
            .load(conn)?;
        diesel::update(reports::table.filter(reports::superseded_by.eq(report.id.as_str())))
            .set(reports::superseded_by.eq(None::<String>))
            .execute(conn)?;
        for older in &returning {
            apply_domain_daily(conn, older, 1)?;
            super::sources::apply(conn, older, 1)?;
        }
        diesel::delete(reports::table.filter(reports::id.eq(report.id.as_str()))).execute(conn)?;
        let last: Option<i64> = reports::table
            .filter(reports::domain_id.eq(report.domain_id.as_str()))
            .select(diesel::dsl::max(reports::created_at))
            .first(conn)?;
        diesel::update(domains::table.filter(domains::id.eq(report.domain_id.as_str())))
            .set(domains::last_report_at.eq(last))
            .execute(conn)?;
        let still_used: i64 = reports::table
            .filter(reports::upload_id.eq(report.upload_id.as_str()))
            .count()
            .get_result(conn)?;
        if still_used == 0 {
            diesel::delete(uploads::table.filter(uploads::id.eq(report.upload_id.as_str())))
                .execute(conn)?;
        }
        Ok(())
    })
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = dmarc_records)]
pub struct RecordRow {
    pub seq: i64,
    pub source_ip: String,
    pub count: i64,
    pub disposition: Option<String>,
    pub dkim_aligned: Option<String>,
    pub spf_aligned: Option<String>,
    pub header_from: Option<String>,
    pub envelope_from: Option<String>,
    pub envelope_to: Option<String>,
    pub reasons: String,
    pub dkim: String,
    pub spf: String,
    pub extensions: Option<String>,
}

/// Up to `limit` records of a report after record `after_seq`, in order (reading a huge
/// report page by page keeps memory flat).
pub fn list_records_page(
    conn: &mut DbConnection,
    report_id: &ReportId,
    after_seq: i64,
    limit: i64,
) -> StorageResult<Vec<RecordRow>> {
    Ok(dmarc_records::table
        .filter(dmarc_records::report_id.eq(report_id.as_str()))
        .filter(dmarc_records::seq.gt(after_seq))
        .order(dmarc_records::seq.asc())
        .limit(limit)
        .select(RecordRow::as_select())
        .load(conn)?)
}

/// A current DMARC report of a domain, as a record list names it.
#[derive(Debug, Clone, Queryable)]
pub struct ReportRef {
    pub id: String,
    pub org_name: String,
    pub begin_ts: i64,
    pub end_ts: i64,
}

/// The current (not superseded) DMARC reports of a domain whose period overlaps
/// `first_ts..=last_ts`, ordered by (begin, id), after the report `after` (that begin and id),
/// at most `limit`. Runs on `reports_domain` (domain, begin).
pub fn list_current_dmarc_reports(
    conn: &mut DbConnection,
    domain_id: &str,
    (first_ts, last_ts): (i64, i64),
    after: Option<(i64, &str)>,
    limit: i64,
) -> StorageResult<Vec<ReportRef>> {
    let mut query = reports::table
        .filter(reports::domain_id.eq(domain_id))
        .filter(reports::kind.eq(super::KIND_DMARC))
        .filter(reports::superseded_by.is_null())
        .filter(reports::records_purged_at.is_null())
        .filter(reports::begin_ts.le(last_ts))
        .filter(reports::end_ts.ge(first_ts))
        .into_boxed();
    if let Some((begin, id)) = after {
        query = query.filter(
            reports::begin_ts
                .gt(begin)
                .or(reports::begin_ts.eq(begin).and(reports::id.gt(id))),
        );
    }
    Ok(query
        .order((reports::begin_ts.asc(), reports::id.asc()))
        .limit(limit)
        .select((
            reports::id,
            reports::org_name,
            reports::begin_ts,
            reports::end_ts,
        ))
        .load(conn)?)
}

/// The report `id` if it is one of those [`list_current_dmarc_reports`] lists.
pub fn find_current_dmarc_report(
    conn: &mut DbConnection,
    domain_id: &str,
    (first_ts, last_ts): (i64, i64),
    id: &str,
) -> StorageResult<Option<ReportRef>> {
    Ok(reports::table
        .filter(reports::id.eq(id))
        .filter(reports::domain_id.eq(domain_id))
        .filter(reports::kind.eq(super::KIND_DMARC))
        .filter(reports::superseded_by.is_null())
        .filter(reports::records_purged_at.is_null())
        .filter(reports::begin_ts.le(last_ts))
        .filter(reports::end_ts.ge(first_ts))
        .select((
            reports::id,
            reports::org_name,
            reports::begin_ts,
            reports::end_ts,
        ))
        .first(conn)
        .optional()?)
}

/// The records the current DMARC reports of a domain overlapping `first_ts..=last_ts` hold.
pub fn count_current_dmarc_records(
    conn: &mut DbConnection,
    domain_id: &str,
    (first_ts, last_ts): (i64, i64),
) -> StorageResult<i64> {
    let total: Option<i64> = reports::table
        .filter(reports::domain_id.eq(domain_id))
        .filter(reports::kind.eq(super::KIND_DMARC))
        .filter(reports::superseded_by.is_null())
        .filter(reports::records_purged_at.is_null())
        .filter(reports::begin_ts.le(last_ts))
        .filter(reports::end_ts.ge(first_ts))
        .select(diesel::dsl::sql::<
            diesel::sql_types::Nullable<diesel::sql_types::BigInt>,
        >("CAST(SUM(record_count) AS BIGINT)"))
        .first(conn)?;
    Ok(total.unwrap_or(0))
}

pub fn list_records(
    conn: &mut DbConnection,
    report_id: &ReportId,
) -> StorageResult<Vec<RecordRow>> {
    Ok(dmarc_records::table
        .filter(dmarc_records::report_id.eq(report_id.as_str()))
        .order(dmarc_records::seq.asc())
        .select(RecordRow::as_select())
        .load(conn)?)
}

#[derive(Debug, Clone, Queryable)]
pub struct TlsPolicyRow {
    pub seq: i64,
    pub policy_type: String,
    pub policy_domain: String,
    pub policy_string: String,
    pub mx_host: String,
    pub successful_sessions: i64,
    pub failed_sessions: i64,
}

#[derive(Debug, Clone, Queryable)]
pub struct TlsFailureRow {
    pub policy_seq: i64,
    pub result_type: String,
    pub sending_mta_ip: Option<String>,
    pub receiving_mx_hostname: Option<String>,
    pub receiving_mx_helo: Option<String>,
    pub receiving_ip: Option<String>,
    pub failed_session_count: i64,
    pub additional_information: Option<String>,
    pub failure_reason_code: Option<String>,
}

pub fn list_tls(
    conn: &mut DbConnection,
    report_id: &ReportId,
) -> StorageResult<(Vec<TlsPolicyRow>, Vec<TlsFailureRow>)> {
    let policies = tls_policies::table
        .filter(tls_policies::report_id.eq(report_id.as_str()))
        .order(tls_policies::seq.asc())
        .select((
            tls_policies::seq,
            tls_policies::policy_type,
            tls_policies::policy_domain,
            tls_policies::policy_string,
            tls_policies::mx_host,
            tls_policies::successful_sessions,
            tls_policies::failed_sessions,
        ))
        .load(conn)?;
    let failures = tls_failures::table
        .filter(tls_failures::report_id.eq(report_id.as_str()))
        .order((tls_failures::policy_seq.asc(), tls_failures::seq.asc()))
        .select((
            tls_failures::policy_seq,
            tls_failures::result_type,
            tls_failures::sending_mta_ip,
            tls_failures::receiving_mx_hostname,
            tls_failures::receiving_mx_helo,
            tls_failures::receiving_ip,
            tls_failures::failed_session_count,
            tls_failures::additional_information,
            tls_failures::failure_reason_code,
        ))
        .load(conn)?;
    Ok((policies, failures))
}
