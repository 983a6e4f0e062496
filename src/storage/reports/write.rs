//! The write path of a report: its upload row, its report row (pending, then completed), the
//! lookups dedup needs (natural key, content hash), supersede, and its content rows (DMARC
//! records; TLS policies and failure details), each followed by its rollups.
//!
//! `domain_daily` and `domains.last_report_at` follow which reports are current: a completed
//! report adds its sums, a superseded one subtracts them ([`complete_report`], [`supersede`]).
//!
//! Every function runs inside the caller's transaction and decides nothing about dedup.
//! Must not depend on `services`, `api` or `reports`.

use super::rollups::{DmarcRollup, apply_domain_daily, insert_tls_daily};
use super::sources::{self, Facts, SourceRollup};
use super::{BATCH, ReportRow, json};
use crate::domain::ids::{DomainId, ReportId, TenantId, UploadId};
use crate::domain::report::{Record, TlsReport};
use crate::storage::schema::{
    dmarc_records, domains, reports, tls_failures, tls_policies, uploads,
};
use crate::storage::{DbConnection, StorageResult, now};
use diesel::prelude::*;

/// The natural key of a report (DESIGN.md, "Identity and dedup").
#[derive(Debug, Clone, Copy)]
pub struct ReportKey<'a> {
    pub tenant_id: &'a TenantId,
    pub kind: &'static str,
    /// The reporting organization, as sent.
    pub org_name: &'a str,
    /// The reporter's report id.
    pub external_id: &'a str,
    pub policy_domain: &'a str,
    pub begin: i64,
    pub end: i64,
}

/// The bytes of an upload as stored: gzip-compressed, with the SHA-256 of the original.
#[derive(Debug, Clone)]
pub struct NewUpload {
    /// Hex SHA-256 of the bytes as received.
    pub sha256: String,
    /// Size of the bytes as received.
    pub size: i64,
    pub content_type: Option<String>,
    /// A plain base name, never a path.
    pub filename: Option<String>,
    /// The bytes, gzip-compressed.
    pub compressed: Vec<u8>,
}

/// The upload's row for `tenant_id`: the one stored with the same bytes, or a new one.
pub fn find_or_insert_upload(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    upload: &NewUpload,
) -> StorageResult<UploadId> {
    let existing: Option<(String, Option<i64>)> = uploads::table
        .filter(uploads::tenant_id.eq(tenant_id.as_str()))
        .filter(uploads::sha256.eq(&upload.sha256))
        .select((uploads::id, uploads::purged_at))
        .first(conn)
        .optional()?;
    if let Some((id, purged)) = existing {
        if purged.is_some() {
            // Retention emptied it; the report now stored needs its bytes again.
            diesel::update(uploads::table.filter(uploads::id.eq(&id)))
                .set((
                    uploads::data.eq(&upload.compressed),
                    uploads::purged_at.eq(None::<i64>),
                ))
                .execute(conn)?;
        }
        return Ok(UploadId::from(id));
    }
    let id = UploadId::generate();
    diesel::insert_into(uploads::table)
        .values((
            uploads::id.eq(id.as_str()),
            uploads::tenant_id.eq(tenant_id.as_str()),
            uploads::sha256.eq(&upload.sha256),
            uploads::size.eq(upload.size),
            uploads::content_type.eq(&upload.content_type),
            uploads::filename.eq(&upload.filename),
            uploads::data.eq(&upload.compressed),
            uploads::created_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(id)
}

/// The stored reports with this natural key (dedup and conflicts both start here).
fn with_key<'a>(
    key: &'a ReportKey<'a>,
) -> reports::BoxedQuery<'a, crate::storage::multi_connection_impl::MultiBackend> {
    reports::table
        .filter(reports::tenant_id.eq(key.tenant_id.as_str()))
        .filter(reports::kind.eq(key.kind))
        .filter(reports::org_name.eq(key.org_name))
        .filter(reports::external_id.eq(key.external_id))
        .filter(reports::policy_domain.eq(key.policy_domain))
        .filter(reports::begin_ts.eq(key.begin))
        .filter(reports::end_ts.eq(key.end))
        .into_boxed()
}

/// The stored report with this natural key and content hash, if any.
pub fn find_report_by_hash(
    conn: &mut DbConnection,
    key: &ReportKey<'_>,
    hash: &str,
) -> StorageResult<Option<ReportId>> {
    Ok(with_key(key)
        .filter(reports::content_hash.eq(hash))
        .select(reports::id)
        .first::<String>(conn)
        .optional()?
        .map(ReportId::from))
}

/// One stored version of a report (a row with its natural key).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportVersion {
    pub id: ReportId,
    pub content_hash: String,
}

/// The stored versions with this natural key, but `except`.
pub fn list_versions(
    conn: &mut DbConnection,
    key: &ReportKey<'_>,
    except: &ReportId,
) -> StorageResult<Vec<ReportVersion>> {
    let rows: Vec<(String, String)> = with_key(key)
        .filter(reports::id.ne(except.as_str()))
        .select((reports::id, reports::content_hash))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, content_hash)| ReportVersion {
            id: ReportId::from(id),
            content_hash,
        })
        .collect())
}

/// The first of `ids` that is current and whose records retention has deleted.
pub fn find_expired_current(
    conn: &mut DbConnection,
    ids: &[ReportId],
) -> StorageResult<Option<ReportId>> {
    let ids: Vec<&str> = ids.iter().map(ReportId::as_str).collect();
    Ok(reports::table
        .filter(reports::id.eq_any(&ids))
        .filter(reports::superseded_by.is_null())
        .filter(reports::records_purged_at.is_not_null())
        .select(reports::id)
        .first::<String>(conn)
        .optional()?
        .map(ReportId::from))
}

/// Flags `older` as conflicting and lets `newer` supersede those not superseded yet.
pub fn supersede(
    conn: &mut DbConnection,
    older: &[ReportId],
    newer: &ReportId,
) -> StorageResult<()> {
    let older: Vec<&str> = older.iter().map(ReportId::as_str).collect();
    // The versions current until now leave domain_daily before they are marked.
    let leaving: Vec<String> = reports::table
        .filter(reports::id.eq_any(&older))
        .filter(reports::superseded_by.is_null())
        .select(reports::id)
        .load(conn)?;
    for id in &leaving {
        apply_domain_daily(conn, id, -1)?;
        sources::apply(conn, id, -1)?;
    }
    diesel::update(reports::table.filter(reports::id.eq_any(&older)))
        .set(reports::conflict.eq(true))
        .execute(conn)?;
    diesel::update(
        reports::table
            .filter(reports::id.eq_any(&older))
            .filter(reports::superseded_by.is_null()),
    )
    .set(reports::superseded_by.eq(newer.as_str()))
    .execute(conn)?;
    Ok(())
}

/// Inserts a report's row before its content, to be completed by [`complete_report`].
pub fn insert_pending_report(
    conn: &mut DbConnection,
    key: &ReportKey<'_>,
    domain_id: &DomainId,
    upload_id: &UploadId,
    origin_json: &str,
) -> StorageResult<ReportRow> {
    let row = ReportRow {
        id: ReportId::generate(),
        tenant_id: key.tenant_id.clone(),
        domain_id: domain_id.clone(),
        upload_id: upload_id.clone(),
        origin: origin_json.to_string(),
        kind: key.kind.to_string(),
        org_name: key.org_name.to_string(),
        external_id: key.external_id.to_string(),
        policy_domain: key.policy_domain.to_string(),
        begin_ts: key.begin,
        end_ts: key.end,
        content_hash: String::new(),
        superseded_by: None,
        conflict: false,
        header: String::new(),
        warnings: String::new(),
        record_count: 0,
        message_count: 0,
        created_at: now(),
        records_purged_at: None,
    };
    diesel::insert_into(reports::table)
        .values(row.clone())
        .execute(conn)?;
    Ok(row)
}

/// Writes the content fields of a pending row: hash, conflict flag, header, warnings and
/// counts; the report, current from now on, adds its sums to `domain_daily` and its arrival
/// to its domain's `last_report_at`. Called once per stored report, after its rollups.
pub fn complete_report(conn: &mut DbConnection, row: &ReportRow) -> StorageResult<()> {
    diesel::update(reports::table.filter(reports::id.eq(row.id.as_str())))
        .set((
            reports::content_hash.eq(&row.content_hash),
            reports::conflict.eq(row.conflict),
            reports::header.eq(&row.header),
            reports::warnings.eq(&row.warnings),
            reports::record_count.eq(row.record_count),
            reports::message_count.eq(row.message_count),
        ))
        .execute(conn)?;
    apply_domain_daily(conn, row.id.as_str(), 1)?;
    diesel::update(
        domains::table
            .filter(domains::id.eq(row.domain_id.as_str()))
            .filter(
                domains::last_report_at
                    .is_null()
                    .or(domains::last_report_at.lt(row.created_at)),
            ),
    )
    .set(domains::last_report_at.eq(row.created_at))
    .execute(conn)?;
    Ok(())
}

fn opt(value: Option<&impl ToString>) -> Option<String> {
    value.map(ToString::to_string)
}

#[derive(Insertable)]
#[diesel(table_name = dmarc_records)]
struct NewRecord {
    report_id: String,
    seq: i64,
    source_ip: String,
    count: i64,
    disposition: Option<String>,
    dkim_aligned: Option<String>,
    spf_aligned: Option<String>,
    header_from: Option<String>,
    envelope_from: Option<String>,
    envelope_to: Option<String>,
    reasons: String,
    dkim: String,
    spf: String,
    extensions: Option<String>,
}

/// Writes a DMARC report's records in batches while they stream by, and its rollups.
pub struct DmarcWriter {
    report_id: String,
    batch: Vec<NewRecord>,
    seq: i64,
    rollup: DmarcRollup,
    sources: SourceRollup,
}

impl DmarcWriter {
    /// A writer for the report `report_id`, filed under `domain_id`, covering `begin..=end`.
    pub fn new(report_id: &ReportId, domain_id: &DomainId, begin: i64, end: i64) -> DmarcWriter {
        DmarcWriter {
            report_id: report_id.as_str().to_string(),
            batch: Vec::with_capacity(BATCH),
            seq: 0,
            rollup: DmarcRollup::new(report_id, domain_id, begin, end),
            sources: SourceRollup::new(domain_id.as_str(), begin, end, 1),
        }
    }

    pub fn add(&mut self, conn: &mut DbConnection, record: &Record) -> StorageResult<()> {
        let e = &record.policy_evaluated;
        self.rollup.add(record);
        self.sources.add(conn, &Facts::of_record(record))?;
        self.seq += 1;
        self.batch.push(NewRecord {
            report_id: self.report_id.clone(),
            seq: self.seq,
            source_ip: record.source_ip.to_string(),
            count: i64::try_from(record.count).unwrap_or(i64::MAX),
            disposition: opt(e.disposition.as_ref()),
            dkim_aligned: opt(e.dkim.as_ref()),
            spf_aligned: opt(e.spf.as_ref()),
            header_from: record.identifiers.header_from.clone(),
            envelope_from: record.identifiers.envelope_from.clone(),
            envelope_to: record.identifiers.envelope_to.clone(),
            reasons: json(&e.reasons)?,
            dkim: json(&record.auth_results.dkim)?,
            spf: json(&record.auth_results.spf)?,
            extensions: if record.extensions.is_empty() {
                None
            } else {
                Some(json(&record.extensions)?)
            },
        });
        if self.batch.len() >= BATCH {
            self.flush_records(conn)?;
        }
        Ok(())
    }

    fn flush_records(&mut self, conn: &mut DbConnection) -> StorageResult<()> {
        if !self.batch.is_empty() {
            crate::storage::insert_batch!(conn, dmarc_records::table, self.batch, BATCH)?;
            self.batch.clear();
        }
        Ok(())
    }

    /// Writes what is still buffered; returns (records, messages).
    pub fn finish(mut self, conn: &mut DbConnection) -> StorageResult<(i64, i64)> {
        self.flush_records(conn)?;
        let messages = self.rollup.finish(conn)?;
        self.sources.finish(conn)?;
        Ok((self.seq, i64::try_from(messages).unwrap_or(i64::MAX)))
    }
}

/// Inserts a TLS report's policies, failure details and rollups; returns (policies, sessions).
pub fn insert_tls(
    conn: &mut DbConnection,
    report_id: &ReportId,
    domain_id: &DomainId,
    report: &TlsReport,
) -> StorageResult<(i64, i64)> {
    let report_id = report_id.as_str();
    let mut sessions = 0u64;
    for (i, p) in report.policies.iter().enumerate() {
        let seq = i as i64 + 1;
        diesel::insert_into(tls_policies::table)
            .values((
                tls_policies::report_id.eq(report_id),
                tls_policies::seq.eq(seq),
                tls_policies::policy_type.eq(p.policy.policy_type.as_str()),
                tls_policies::policy_domain.eq(&p.policy.policy_domain),
                tls_policies::policy_string.eq(json(&p.policy.policy_string)?),
                tls_policies::mx_host.eq(json(&p.policy.mx_host)?),
                tls_policies::successful_sessions.eq(p.total_successful_session_count as i64),
                tls_policies::failed_sessions.eq(p.total_failure_session_count as i64),
            ))
            .execute(conn)?;
        sessions += p.total_successful_session_count + p.total_failure_session_count;
        for (j, d) in p.failure_details.iter().enumerate() {
            diesel::insert_into(tls_failures::table)
                .values((
                    tls_failures::report_id.eq(report_id),
                    tls_failures::policy_seq.eq(seq),
                    tls_failures::seq.eq(j as i64 + 1),
                    tls_failures::result_type.eq(d.result_type.as_str()),
                    tls_failures::sending_mta_ip.eq(&d.sending_mta_ip),
                    tls_failures::receiving_mx_hostname.eq(&d.receiving_mx_hostname),
                    tls_failures::receiving_mx_helo.eq(&d.receiving_mx_helo),
                    tls_failures::receiving_ip.eq(&d.receiving_ip),
                    tls_failures::failed_session_count.eq(d.failed_session_count as i64),
                    tls_failures::additional_information.eq(&d.additional_information),
                    tls_failures::failure_reason_code.eq(&d.failure_reason_code),
                ))
                .execute(conn)?;
        }
    }
    insert_tls_daily(conn, report_id, domain_id.as_str(), report)?;
    Ok((report.policies.len() as i64, sessions as i64))
}
