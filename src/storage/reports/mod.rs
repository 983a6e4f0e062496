//! Stored reports: the database work of ingestion, composed by `crate::services::ingest`
//! into one transaction per report, and the read path of the API.
//!
//! - [`write`]: the upload row, the report row (inserted pending, completed once its content
//!   is in), natural-key and content-hash lookups, supersede, DMARC records, TLS policies and
//!   failure details.
//! - [`rollups`]: the per-day sums by result, keyed by report (`dmarc_daily`, `tls_daily`),
//!   and `domain_daily`, spread over the days a report covers, written with its records.
//! - [`sources`]: the per-source sums summed across the current reports, per day and per
//!   month, added at ingest and subtracted (recomputed from the records) when a report stops
//!   being current.
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
pub mod sources;
pub mod write;

pub use read::{
    RecordRow, ReportFilter, ReportRef, StoredUpload, TlsFailureRow, TlsPolicyRow,
    count_current_dmarc_records, delete_report, find_current_dmarc_report, get_report,
    get_report_upload, list_current_dmarc_reports, list_records, list_records_page, list_reports,
    list_tls,
};
pub use write::{
    DmarcWriter, NewUpload, ReportKey, ReportVersion, complete_report, find_expired_current,
    find_or_insert_upload, find_report_by_hash, insert_pending_report, insert_tls, list_versions,
    supersede,
};

use super::schema::reports;
use super::{StorageError, StorageResult};
use crate::domain::ids::{DomainId, ReportId, TenantId, UploadId};
use crate::domain::report::{AggregateHeader, TlsHeader};
use diesel::prelude::*;

/// Rows inserted per statement.
const BATCH: usize = 500;

pub const KIND_DMARC: &str = "dmarc_aggregate";
pub const KIND_TLS: &str = "tls_report";

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = reports)]
pub struct ReportRow {
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub id: ReportId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub tenant_id: TenantId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub domain_id: DomainId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub upload_id: UploadId,
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
    /// The report without its records or policies, as JSON: read it with [`ReportRow::header`].
    pub header: String,
    pub warnings: String,
    pub record_count: i64,
    pub message_count: i64,
    pub created_at: i64,
    /// When retention deleted its records (DMARC) or policies (TLS); its rollups remain.
    pub records_purged_at: Option<i64>,
}

/// A stored report's header, typed by the report's kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoredHeader {
    Dmarc(Box<AggregateHeader>),
    Tls(TlsHeader),
}

/// A stored header that does not read back as its kind's type.
#[derive(Debug, thiserror::Error)]
pub enum HeaderError {
    #[error("report {id} has the unknown kind '{kind}'")]
    UnknownKind { id: ReportId, kind: String },
    #[error("the header of report {id} is unreadable")]
    Unreadable {
        id: ReportId,
        #[source]
        source: serde_json::Error,
    },
}

impl ReportRow {
    /// The header, read back as the type it was stored from.
    pub fn header(&self) -> Result<StoredHeader, HeaderError> {
        let unreadable = |source| HeaderError::Unreadable {
            id: self.id.clone(),
            source,
        };
        match self.kind.as_str() {
            KIND_DMARC => serde_json::from_str(&self.header)
                .map(|h| StoredHeader::Dmarc(Box::new(h)))
                .map_err(unreadable),
            KIND_TLS => serde_json::from_str(&self.header)
                .map(StoredHeader::Tls)
                .map_err(unreadable),
            other => Err(HeaderError::UnknownKind {
                id: self.id.clone(),
                kind: other.to_string(),
            }),
        }
    }
}

fn json<T: serde::Serialize>(value: &T) -> StorageResult<String> {
    serde_json::to_string(value).map_err(|e| StorageError::Other(e.into()))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]
    use super::*;
    use crate::domain::report::{TlsDateRange, TlsReport};

    fn row(kind: &str, header: String) -> ReportRow {
        ReportRow {
            id: ReportId::from("r1"),
            tenant_id: TenantId::from("t1"),
            domain_id: DomainId::from("d1"),
            upload_id: UploadId::from("u1"),
            origin: "[]".into(),
            kind: kind.into(),
            org_name: "receiver.example".into(),
            external_id: "x".into(),
            policy_domain: "example.com".into(),
            begin_ts: 0,
            end_ts: 86_399,
            content_hash: String::new(),
            superseded_by: None,
            conflict: false,
            header,
            warnings: "[]".into(),
            record_count: 0,
            message_count: 0,
            created_at: 0,
            records_purged_at: None,
        }
    }

    #[test]
    fn a_tls_header_reads_back_as_the_report_without_its_policies() {
        let report = TlsReport {
            organization_name: "receiver.example".into(),
            date_range: TlsDateRange {
                start_datetime: "2026-11-01T00:00:00Z".into(),
                end_datetime: "2026-11-01T23:59:59Z".into(),
                begin: 1_761_955_200,
                end: 1_762_041_599,
            },
            contact_info: Some("tls@receiver.example".into()),
            report_id: "2026-11-01".into(),
            policies: Vec::new(),
            extensions: serde_json::Map::new(),
        };
        let stored = row(KIND_TLS, serde_json::to_string(&report.header()).unwrap());
        match stored.header().unwrap() {
            StoredHeader::Tls(header) => assert_eq!(header.with_policies(Vec::new()), report),
            StoredHeader::Dmarc(_) => panic!("a TLS report read back as DMARC"),
        }
    }

    #[test]
    fn an_unreadable_header_or_an_unknown_kind_is_an_error_naming_the_report() {
        let broken = row(KIND_DMARC, "{\"schema\": 7}".into());
        assert!(matches!(
            broken.header(),
            Err(HeaderError::Unreadable { id, .. }) if id == "r1"
        ));
        let unknown = row("failure_report", "{}".into());
        assert!(matches!(
            unknown.header(),
            Err(HeaderError::UnknownKind { kind, .. }) if kind == "failure_report"
        ));
    }
}
