//! Stored reports: the database work of ingestion, composed by `crate::services::ingest`
//! into one transaction per report, and the read path of the API.
//!
//! A report is stored as its row (inserted pending, completed once its content is in), its
//! records (DMARC records, or TLS policies and failure details) and its per-day rollups
//! (`dmarc_daily`, `dmarc_daily_sources`, `dmarc_daily_auth`, `tls_daily`, summed per
//! (domain, day, source)); run inside the caller's transaction, that is all or nothing.
//! Dedup and conflict decisions are the service's: this module finds the versions with a
//! natural key and marks older ones superseded when told to.
//!
//! Must not depend on `services`, `api` or `reports` (it stores domain types; parsing is
//! done before any of this runs).

use super::schema::{
    dmarc_daily, dmarc_daily_auth, dmarc_daily_sources, dmarc_records, reports, tls_daily,
    tls_failures, tls_policies, uploads,
};
use super::{DbConnection, StorageError, StorageResult, TenantScope, new_id, now};
use crate::domain::days::{day_weights, split};
use crate::domain::ids::{DomainId, ReportId, TenantId, UploadId};
use crate::domain::report::{Record, TlsReport};
use diesel::prelude::*;
use std::collections::HashMap;

/// Records inserted per statement.
const BATCH: usize = 500;
/// Distinct (day, source, header_from) groups held before they are flushed to the rollup.
const MAX_SOURCE_GROUPS: usize = 100_000;

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

// ---------------------------------------------------------------------------------------
// Write path: uploads, report rows, versions, records.

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
    let existing: Option<String> = uploads::table
        .filter(uploads::tenant_id.eq(tenant_id.as_str()))
        .filter(uploads::sha256.eq(&upload.sha256))
        .select(uploads::id)
        .first(conn)
        .optional()?;
    if let Some(id) = existing {
        return Ok(UploadId::from(id));
    }
    let id = new_id();
    diesel::insert_into(uploads::table)
        .values((
            uploads::id.eq(&id),
            uploads::tenant_id.eq(tenant_id.as_str()),
            uploads::sha256.eq(&upload.sha256),
            uploads::size.eq(upload.size),
            uploads::content_type.eq(&upload.content_type),
            uploads::filename.eq(&upload.filename),
            uploads::data.eq(&upload.compressed),
            uploads::created_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(UploadId::from(id))
}

/// The stored reports with this natural key (dedup and conflicts both start here).
fn with_key<'a>(
    key: &'a ReportKey<'a>,
) -> reports::BoxedQuery<'a, super::multi_connection_impl::MultiBackend> {
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

/// Flags `older` as conflicting and lets `newer` supersede those not superseded yet.
pub fn supersede(
    conn: &mut DbConnection,
    older: &[ReportId],
    newer: &ReportId,
) -> StorageResult<()> {
    let older: Vec<&str> = older.iter().map(ReportId::as_str).collect();
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
        id: new_id(),
        tenant_id: key.tenant_id.as_str().to_string(),
        domain_id: domain_id.as_str().to_string(),
        upload_id: upload_id.as_str().to_string(),
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
    };
    diesel::insert_into(reports::table)
        .values(&row)
        .execute(conn)?;
    Ok(row)
}

/// Writes the content fields of a pending row: hash, conflict flag, header, warnings and
/// counts.
pub fn complete_report(conn: &mut DbConnection, row: &ReportRow) -> StorageResult<()> {
    diesel::update(reports::table.filter(reports::id.eq(&row.id)))
        .set((
            reports::content_hash.eq(&row.content_hash),
            reports::conflict.eq(row.conflict),
            reports::header.eq(&row.header),
            reports::warnings.eq(&row.warnings),
            reports::record_count.eq(row.record_count),
            reports::message_count.eq(row.message_count),
        ))
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
}

impl DmarcWriter {
    /// A writer for the report `report_id`, filed under `domain_id`, covering `begin..=end`.
    pub fn new(report_id: &ReportId, domain_id: &DomainId, begin: i64, end: i64) -> DmarcWriter {
        DmarcWriter {
            report_id: report_id.as_str().to_string(),
            batch: Vec::with_capacity(BATCH),
            seq: 0,
            rollup: DmarcRollup::new(report_id, domain_id, begin, end),
        }
    }

    pub fn add(&mut self, conn: &mut DbConnection, record: &Record) -> StorageResult<()> {
        let e = &record.policy_evaluated;
        self.rollup.add(conn, record)?;
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
            super::insert_batch!(conn, dmarc_records::table, self.batch, BATCH)?;
            self.batch.clear();
        }
        Ok(())
    }

    /// Writes what is still buffered; returns (records, messages).
    pub fn finish(mut self, conn: &mut DbConnection) -> StorageResult<(i64, i64)> {
        self.flush_records(conn)?;
        let messages = self.rollup.finish(conn)?;
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

// ---------------------------------------------------------------------------------------
// Rollups: per-day sums per (domain, day, source), spread over the days a report covers.

/// The distinct (method, domain) pairs of a record's passing DKIM and SPF results, domains
/// lower-case without trailing dot: what the aggregates name its sending service from.
fn passing_auth_domains(record: &Record) -> Vec<(&'static str, String)> {
    use crate::domain::report::{DkimResult, SpfResult, normalized_auth_domain};
    let dkim = record
        .auth_results
        .dkim
        .iter()
        .filter(|a| a.result == Some(DkimResult::Pass))
        .filter_map(|a| a.domain.as_deref().map(|d| ("dkim", d)));
    let spf = record
        .auth_results
        .spf
        .iter()
        .filter(|a| a.result == Some(SpfResult::Pass))
        .filter_map(|a| a.domain.as_deref().map(|d| ("spf", d)));
    let mut out: Vec<(&'static str, String)> = Vec::new();
    for (method, domain) in dkim.chain(spf) {
        let Some(domain) = normalized_auth_domain(domain) else {
            continue;
        };
        if !out.iter().any(|(m, d)| *m == method && *d == domain) {
            out.push((method, domain));
        }
    }
    out
}

fn text_or_empty(value: Option<&impl ToString>) -> String {
    value.map(ToString::to_string).unwrap_or_default()
}

/// A DMARC report's rollups, summed while its records stream by: `dmarc_daily` (per day and
/// result), `dmarc_daily_sources` (per day, source and header from) and `dmarc_daily_auth`
/// (per day, source and passing DKIM/SPF domain). Source groups are flushed in numbered
/// batches when there are many, so memory stays bounded.
struct DmarcRollup {
    report_id: String,
    domain_id: String,
    weights: Vec<(i64, i64)>,
    results: HashMap<(i64, String, String, String), u64>,
    sources: HashMap<(i64, String, String), (u64, u64)>,
    /// Messages per (day, source, method, domain) of passing DKIM and SPF results.
    auth: HashMap<(i64, String, &'static str, String), u64>,
    source_flushes: i64,
    messages: u64,
}

impl DmarcRollup {
    fn new(report_id: &ReportId, domain_id: &DomainId, begin: i64, end: i64) -> DmarcRollup {
        DmarcRollup {
            report_id: report_id.as_str().to_string(),
            domain_id: domain_id.as_str().to_string(),
            weights: day_weights(begin, end),
            results: HashMap::new(),
            sources: HashMap::new(),
            auth: HashMap::new(),
            source_flushes: 0,
            messages: 0,
        }
    }

    fn add(&mut self, conn: &mut DbConnection, record: &Record) -> StorageResult<()> {
        let e = &record.policy_evaluated;
        let count = record.count;
        self.messages += count;
        let disposition = text_or_empty(e.disposition.as_ref());
        let dkim = text_or_empty(e.dkim.as_ref());
        let spf = text_or_empty(e.spf.as_ref());
        let ip = record.source_ip.to_string();
        let header_from = record.identifiers.header_from.clone().unwrap_or_default();
        let pass = record.dmarc_pass();
        let auth = passing_auth_domains(record);
        for (day, n) in split(count, &self.weights) {
            for (method, domain) in &auth {
                *self
                    .auth
                    .entry((day, ip.clone(), method, domain.clone()))
                    .or_default() += n;
            }
            *self
                .results
                .entry((day, disposition.clone(), dkim.clone(), spf.clone()))
                .or_default() += n;
            let s = self
                .sources
                .entry((day, ip.clone(), header_from.clone()))
                .or_default();
            s.0 += n;
            if pass {
                s.1 += n;
            }
        }
        if self.sources.len() + self.auth.len() >= MAX_SOURCE_GROUPS {
            self.flush_sources(conn)?;
        }
        Ok(())
    }

    fn flush_sources(&mut self, conn: &mut DbConnection) -> StorageResult<()> {
        self.source_flushes += 1;
        let rows: Vec<_> = self
            .sources
            .drain()
            .map(|((day, ip, from), (messages, pass))| {
                (
                    dmarc_daily_sources::report_id.eq(self.report_id.clone()),
                    dmarc_daily_sources::seq.eq(self.source_flushes),
                    dmarc_daily_sources::domain_id.eq(self.domain_id.clone()),
                    dmarc_daily_sources::day.eq(day),
                    dmarc_daily_sources::source_ip.eq(ip),
                    dmarc_daily_sources::header_from.eq(from),
                    dmarc_daily_sources::messages.eq(messages as i64),
                    dmarc_daily_sources::pass_messages.eq(pass as i64),
                )
            })
            .collect();
        super::insert_batch!(conn, dmarc_daily_sources::table, rows, BATCH)?;
        let rows: Vec<_> = self
            .auth
            .drain()
            .map(|((day, ip, method, domain), messages)| {
                (
                    dmarc_daily_auth::report_id.eq(self.report_id.clone()),
                    dmarc_daily_auth::seq.eq(self.source_flushes),
                    dmarc_daily_auth::domain_id.eq(self.domain_id.clone()),
                    dmarc_daily_auth::day.eq(day),
                    dmarc_daily_auth::source_ip.eq(ip),
                    dmarc_daily_auth::method.eq(method),
                    dmarc_daily_auth::auth_domain.eq(domain),
                    dmarc_daily_auth::messages.eq(messages as i64),
                )
            })
            .collect();
        super::insert_batch!(conn, dmarc_daily_auth::table, rows, BATCH)?;
        Ok(())
    }

    /// Writes what is still summed; returns the report's messages.
    fn finish(mut self, conn: &mut DbConnection) -> StorageResult<u64> {
        self.flush_sources(conn)?;
        let rows: Vec<_> = self
            .results
            .drain()
            .map(|((day, disposition, dkim, spf), messages)| {
                (
                    dmarc_daily::report_id.eq(self.report_id.clone()),
                    dmarc_daily::domain_id.eq(self.domain_id.clone()),
                    dmarc_daily::day.eq(day),
                    dmarc_daily::disposition.eq(disposition),
                    dmarc_daily::dkim_aligned.eq(dkim),
                    dmarc_daily::spf_aligned.eq(spf),
                    dmarc_daily::messages.eq(messages as i64),
                )
            })
            .collect();
        super::insert_batch!(conn, dmarc_daily::table, rows, BATCH)?;
        Ok(self.messages)
    }
}

/// A TLS report's `tls_daily` rows: sessions per (day, result type, sending address,
/// receiving MX), successful sessions under the empty result type.
fn insert_tls_daily(
    conn: &mut DbConnection,
    report_id: &str,
    domain_id: &str,
    report: &TlsReport,
) -> StorageResult<()> {
    let weights = day_weights(report.date_range.begin, report.date_range.end);
    let mut rollup: HashMap<(i64, String, String, String), (u64, u64)> = HashMap::new();
    for p in &report.policies {
        let ok = split(p.total_successful_session_count, &weights);
        let failed = split(p.total_failure_session_count, &weights);
        for ((day, s), (_, f)) in ok.into_iter().zip(failed) {
            let e = rollup
                .entry((day, String::new(), String::new(), String::new()))
                .or_default();
            e.0 += s;
            e.1 += f;
        }
        for d in &p.failure_details {
            for (day, n) in split(d.failed_session_count, &weights) {
                let key = (
                    day,
                    d.result_type.as_str().to_string(),
                    d.sending_mta_ip.clone().unwrap_or_default(),
                    d.receiving_mx_hostname.clone().unwrap_or_default(),
                );
                rollup.entry(key).or_default().1 += n;
            }
        }
    }
    let rows: Vec<_> = rollup
        .into_iter()
        .map(|((day, result_type, ip, mx), (ok, failed))| {
            (
                tls_daily::report_id.eq(report_id.to_string()),
                tls_daily::domain_id.eq(domain_id.to_string()),
                tls_daily::day.eq(day),
                tls_daily::org_name.eq(report.organization_name.clone()),
                tls_daily::result_type.eq(result_type),
                tls_daily::sending_mta_ip.eq(ip),
                tls_daily::receiving_mx_hostname.eq(mx),
                tls_daily::successful_sessions.eq(ok as i64),
                tls_daily::failed_sessions.eq(failed as i64),
            )
        })
        .collect();
    super::insert_batch!(conn, tls_daily::table, rows, BATCH)?;
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Read path.

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
    use super::schema::tenants;
    let in_scope = tenants::table
        .filter(tenants::path.like(scope.like()))
        .select(tenants::id);
    let mut query = reports::table
        .filter(reports::tenant_id.eq_any(in_scope))
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
    id: &str,
) -> StorageResult<ReportRow> {
    use super::schema::tenants;
    let in_scope = tenants::table
        .filter(tenants::path.like(scope.like()))
        .select(tenants::id);
    Ok(reports::table
        .filter(reports::id.eq(id))
        .filter(reports::tenant_id.eq_any(in_scope))
        .select(ReportRow::as_select())
        .first(conn)?)
}

/// The original upload a report came from: (bytes gzip-compressed, content type).
pub fn get_report_upload(
    conn: &mut DbConnection,
    scope: &TenantScope,
    id: &str,
) -> StorageResult<StoredUpload> {
    let report = get_report(conn, scope, id)?;
    let (compressed, content_type, filename) = uploads::table
        .filter(uploads::id.eq(&report.upload_id))
        .select((uploads::data, uploads::content_type, uploads::filename))
        .first(conn)?;
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
pub fn delete_report(conn: &mut DbConnection, scope: &TenantScope, id: &str) -> StorageResult<()> {
    let report = get_report(conn, scope, id)?;
    conn.transaction(|conn| {
        diesel::update(reports::table.filter(reports::superseded_by.eq(&report.id)))
            .set(reports::superseded_by.eq(None::<String>))
            .execute(conn)?;
        diesel::delete(reports::table.filter(reports::id.eq(&report.id))).execute(conn)?;
        let still_used: i64 = reports::table
            .filter(reports::upload_id.eq(&report.upload_id))
            .count()
            .get_result(conn)?;
        if still_used == 0 {
            diesel::delete(uploads::table.filter(uploads::id.eq(&report.upload_id)))
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
    report_id: &str,
    after_seq: i64,
    limit: i64,
) -> StorageResult<Vec<RecordRow>> {
    Ok(dmarc_records::table
        .filter(dmarc_records::report_id.eq(report_id))
        .filter(dmarc_records::seq.gt(after_seq))
        .order(dmarc_records::seq.asc())
        .limit(limit)
        .select(RecordRow::as_select())
        .load(conn)?)
}

pub fn list_records(conn: &mut DbConnection, report_id: &str) -> StorageResult<Vec<RecordRow>> {
    Ok(dmarc_records::table
        .filter(dmarc_records::report_id.eq(report_id))
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
    report_id: &str,
) -> StorageResult<(Vec<TlsPolicyRow>, Vec<TlsFailureRow>)> {
    let policies = tls_policies::table
        .filter(tls_policies::report_id.eq(report_id))
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
        .filter(tls_failures::report_id.eq(report_id))
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
