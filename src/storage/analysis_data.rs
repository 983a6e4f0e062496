//! What the issue evaluation reads about one domain: its current reports in a window, their
//! DMARC records (report by report, so memory follows the number of sources, not records),
//! TLS failure details, and the newest DNS check of each kind.
//!
//! Every read of a domain's data takes a [`TenantScope`] first and the domain's id, and finds
//! nothing (`StorageError::NotFound`) for a domain outside the scope. The evaluation has no
//! caller, so it passes the domain's own tenant's scope (`services::evaluation`).
//! [`report_domain`] is the one unscoped read: the enrichment job learns from it which domain
//! a report it enriched belongs to.

use super::schema::{reports, tls_failures};
use super::{DbConnection, StorageResult, TenantScope, domain_in_scope};
use crate::domain::ids::{DomainId, ReportId};
use crate::domain::report::AggregateHeader;
use diesel::dsl::max;
use diesel::prelude::*;

pub use super::reports::{KIND_DMARC, KIND_TLS};

/// A current (not superseded) report of the domain.
#[derive(Debug, Clone, Queryable)]
pub struct WindowReport {
    #[diesel(deserialize_as = String)]
    pub id: ReportId,
    pub org_name: String,
    pub begin_ts: i64,
    pub end_ts: i64,
    /// The header JSON (DMARC: `AggregateHeader`; TLS: `TlsHeader`).
    pub header: String,
}

impl WindowReport {
    /// The header of a DMARC report, typed.
    pub fn dmarc_header(&self) -> Result<AggregateHeader, serde_json::Error> {
        serde_json::from_str(&self.header)
    }
}

/// End of the newest current report of `kind`.
pub fn newest_report_end(
    conn: &mut DbConnection,
    scope: &TenantScope,
    domain: &DomainId,
    kind: &str,
) -> StorageResult<Option<i64>> {
    domain_in_scope(conn, scope, domain)?;
    Ok(reports::table
        .filter(reports::domain_id.eq(domain.as_str()))
        .filter(reports::kind.eq(kind))
        .filter(reports::superseded_by.is_null())
        .select(max(reports::end_ts))
        .first(conn)?)
}

/// Current reports of `kind` ending after `after_end`, newest first, at most `limit`.
pub fn reports_ending_after(
    conn: &mut DbConnection,
    scope: &TenantScope,
    domain: &DomainId,
    kind: &str,
    after_end: i64,
    limit: i64,
) -> StorageResult<Vec<WindowReport>> {
    domain_in_scope(conn, scope, domain)?;
    Ok(reports::table
        .filter(reports::domain_id.eq(domain.as_str()))
        .filter(reports::kind.eq(kind))
        .filter(reports::superseded_by.is_null())
        .filter(reports::end_ts.gt(after_end))
        .order((reports::end_ts.desc(), reports::id.desc()))
        .limit(limit)
        .select((
            reports::id,
            reports::org_name,
            reports::begin_ts,
            reports::end_ts,
            reports::header,
        ))
        .load(conn)?)
}

/// (reporting organization, report end) of current reports of `kind` ending after
/// `after_end`.
pub fn report_ends_after(
    conn: &mut DbConnection,
    scope: &TenantScope,
    domain: &DomainId,
    kind: &str,
    after_end: i64,
) -> StorageResult<Vec<(String, i64)>> {
    domain_in_scope(conn, scope, domain)?;
    Ok(reports::table
        .filter(reports::domain_id.eq(domain.as_str()))
        .filter(reports::kind.eq(kind))
        .filter(reports::superseded_by.is_null())
        .filter(reports::end_ts.gt(after_end))
        .select((reports::org_name, reports::end_ts))
        .load(conn)?)
}

/// One TLS failure detail with its report's id and reporter.
#[derive(Debug, Clone, Queryable)]
pub struct TlsFailureInWindow {
    pub report_id: String,
    pub org_name: String,
    pub result_type: String,
    pub sending_mta_ip: Option<String>,
    pub receiving_mx_hostname: Option<String>,
    pub receiving_ip: Option<String>,
    pub failed_session_count: i64,
    pub additional_information: Option<String>,
    pub failure_reason_code: Option<String>,
}

/// Failure details of the current TLS reports ending after `after_end`.
pub fn tls_failures_after(
    conn: &mut DbConnection,
    scope: &TenantScope,
    domain: &DomainId,
    after_end: i64,
) -> StorageResult<Vec<TlsFailureInWindow>> {
    domain_in_scope(conn, scope, domain)?;
    Ok(tls_failures::table
        .inner_join(reports::table.on(reports::id.eq(tls_failures::report_id)))
        .filter(reports::domain_id.eq(domain.as_str()))
        .filter(reports::kind.eq(KIND_TLS))
        .filter(reports::superseded_by.is_null())
        .filter(reports::end_ts.gt(after_end))
        .select((
            tls_failures::report_id,
            reports::org_name,
            tls_failures::result_type,
            tls_failures::sending_mta_ip,
            tls_failures::receiving_mx_hostname,
            tls_failures::receiving_ip,
            tls_failures::failed_session_count,
            tls_failures::additional_information,
            tls_failures::failure_reason_code,
        ))
        .load(conn)?)
}

/// The domain a stored report is filed under, whoever owns it (the enrichment job, which has
/// no caller and is handed the report's id by the ingest that queued it).
pub fn report_domain(
    conn: &mut DbConnection,
    report_id: &ReportId,
) -> StorageResult<Option<DomainId>> {
    Ok(reports::table
        .filter(reports::id.eq(report_id.as_str()))
        .select(reports::domain_id)
        .first::<String>(conn)
        .optional()?
        .map(DomainId::from))
}
