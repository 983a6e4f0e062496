//! Stored reports: the database work of ingestion, composed by `crate::services::ingest`
//! into one transaction per report, and the read path of the API.
//!
//! - [`write`]: the upload row, the report row (inserted pending, completed once its content
//!   is in), natural-key and content-hash lookups, supersede, DMARC records, TLS policies and
//!   failure details.
//! - [`rollups`]: the per-day sums aggregates read (`dmarc_daily`, `dmarc_daily_sources`,
//!   `dmarc_daily_auth`, `tls_daily`), summed per (domain, day, source) and spread over the
//!   days a report covers, written with the report's records.
//! - [`read`]: listing, getting and deleting reports, their records and their upload.
//!
//! Run inside the caller's transaction, a report's writes are all or nothing. Dedup and
//! conflict decisions are the service's: this module finds the versions with a natural key
//! and marks older ones superseded when told to.
//!
//! Must not depend on `services`, `api` or `reports` (it stores domain types; parsing is
//! done before any of this runs).

pub mod read;
pub mod rollups;
pub mod write;

pub use read::{
    RecordRow, ReportFilter, StoredUpload, TlsFailureRow, TlsPolicyRow, delete_report, get_report,
    get_report_upload, list_records, list_records_page, list_reports, list_tls,
};
pub use write::{
    DmarcWriter, NewUpload, ReportKey, ReportVersion, complete_report, find_or_insert_upload,
    find_report_by_hash, insert_pending_report, insert_tls, list_versions, supersede,
};

use super::schema::reports;
use super::{StorageError, StorageResult};
use diesel::prelude::*;

/// Rows inserted per statement.
const BATCH: usize = 500;

pub const KIND_DMARC: &str = "dmarc_aggregate";
pub const KIND_TLS: &str = "tls_report";

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = reports)]
pub struct ReportRow {
    pub id: String,
    pub tenant_id: String,
    pub domain_id: String,
    pub upload_id: String,
    pub origin: String,
    pub kind: String,
    pub org_name: String,
    pub external_id: String,
    pub policy_domain: String,
    pub begin_ts: i64,
    pub end_ts: i64,
    pub content_hash: String,
    pub superseded_by: Option<String>,
    pub conflict: bool,
    pub header: String,
    pub warnings: String,
    pub record_count: i64,
    pub message_count: i64,
    pub created_at: i64,
}

fn json<T: serde::Serialize>(value: &T) -> StorageResult<String> {
    serde_json::to_string(value).map_err(|e| StorageError::Other(e.into()))
}
