//! Storing reports: one transaction per report holding its row, its records and its per-day
//! rollups, so a report is stored whole or not at all.
//!
//! Dedup (see DESIGN.md): natural key (tenant, kind, reporter org, report id, policy domain,
//! begin, end) plus a SHA-256 over the normalized content. Same key and hash: duplicate,
//! nothing stored. Same key, other hash: conflict — the new version is stored, supersedes the
//! older ones in aggregates, and all versions are flagged.
//!
//! A newly stored report (not a duplicate) queues its `report.received` webhook event in the
//! same transaction (and a DMARC report its source enrichment job).

use super::domains::{Domain, resolve_domain};
use super::schema::{
    dmarc_daily, dmarc_daily_auth, dmarc_daily_sources, dmarc_records, reports, tls_daily,
    tls_failures, tls_policies, uploads,
};
use super::{Db, DbConnection, StorageError, StorageResult, TenantScope, new_id, now};
use crate::domain::days::{day_weights, split};
use crate::domain::event::{Event, ReportReceived};
use crate::domain::report::{AggregateHeader, Record, TlsReport};
use crate::reports::{
    AggregateReader, Input, Limits, Origin, ParseError, ReportHandler, Warning, parse_input,
};
use diesel::prelude::*;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::io::Write;

/// Records inserted per statement.
const BATCH: usize = 500;
/// Distinct (day, source, header_from) groups held before they are flushed to the rollup.
const MAX_SOURCE_GROUPS: usize = 100_000;
/// Records of one report held in memory while it is staged; the rest go to a temporary file.
pub const SPILL_AFTER: usize = 10_000;

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

/// What happened to one report found in an upload.
#[derive(Debug, Clone)]
pub enum Ingested {
    Stored {
        id: String,
        kind: &'static str,
        policy_domain: String,
        domain: String,
        duplicate: bool,
        conflict: bool,
        origin: Origin,
    },
    Failed {
        origin: Origin,
        error: IngestFailure,
    },
}

/// Why a report (or a part of the upload) was not stored.
#[derive(Debug, Clone)]
pub enum IngestFailure {
    /// The bytes did not yield a report; `code` is the parser's stable code.
    Parse { code: &'static str, message: String },
    /// The report is about a domain not registered in the caller's scope.
    DomainNotRegistered { domain: String },
    /// The RFC 8460 receiver got a report about another domain than its token's.
    OtherDomain {
        domain: String,
        token_domain: String,
    },
    /// The report's domain is registered by several tenants of the caller's scope.
    AmbiguousDomain {
        domain: String,
        tenants: Vec<String>,
    },
}

/// Where uploaded reports may go.
#[derive(Clone, Copy)]
pub enum Target<'a> {
    /// Any registered domain in the caller's scope.
    Scope(&'a TenantScope),
    /// Only this domain (the RFC 8460 HTTPS receiver).
    Domain(&'a Domain),
}

/// Parses `bytes` and stores every report found. Each report is its own transaction; the
/// returned list says, in upload order, what happened to each. Storage failures abort.
///
/// Unpacking, parsing and hashing run without the database writer: a report is read whole
/// into a [`Staged`] form first (records beyond [`SPILL_AFTER`] go to a temporary file, so
/// memory stays bounded), and only its database writes run under [`Db::write`]. A
/// decompression bomb or a slow parse therefore never stops other tenants' ingestion.
#[tracing::instrument(skip_all, fields(bytes = file.bytes.len()))]
pub fn ingest(
    db: &Db,
    target: Target<'_>,
    file: &UploadFile<'_>,
    limits: &Limits,
) -> StorageResult<Vec<Ingested>> {
    let bytes = file.bytes;
    let upload = Upload::new(bytes, file.content_type, file.filename)?;
    let mut handler = Ingest {
        db,
        target,
        upload,
        results: Vec::new(),
    };
    match parse_input(Input::Bytes(bytes), limits, &mut handler) {
        Ok(()) => Ok(handler.results),
        Err(ParseError::Handler(e)) => match e.downcast::<StorageError>() {
            Ok(storage) => Err(*storage),
            Err(other) => Err(StorageError::Other(anyhow::anyhow!("{other}"))),
        },
        Err(other) => Err(StorageError::Other(anyhow::anyhow!(
            "unexpected parse failure: {other}"
        ))),
    }
}

/// One uploaded file: its bytes and what the sender said of them.
#[derive(Debug, Clone, Copy)]
pub struct UploadFile<'a> {
    pub bytes: &'a [u8],
    pub content_type: Option<&'a str>,
    /// The file name it was sent with (multipart), kept for its raw download.
    pub filename: Option<&'a str>,
}

/// Stores one TLS report that the caller has already parsed (the RFC 8460 receiver, which
/// accepts nothing else), filed under `domain` when one of its policy domains is `domain` or
/// below it. `bytes` are the original request body, kept as the report's upload.
pub fn ingest_tls(
    db: &Db,
    domain: &Domain,
    bytes: &[u8],
    content_type: Option<&str>,
    report: TlsReport,
    warnings: Vec<Warning>,
) -> StorageResult<Ingested> {
    let upload = Upload::new(bytes, content_type, None)?;
    let mut handler = Ingest {
        db,
        target: Target::Domain(domain),
        upload,
        results: Vec::new(),
    };
    let origin = Origin::default();
    match handler.tls(&origin, report, warnings) {
        Ok(()) => {}
        Err(ParseError::Handler(e)) => {
            return Err(match e.downcast::<StorageError>() {
                Ok(storage) => *storage,
                Err(other) => StorageError::Other(anyhow::anyhow!("{other}")),
            });
        }
        Err(other) => handler.failed(&origin, other),
    }
    handler
        .results
        .pop()
        .ok_or_else(|| StorageError::Other(anyhow::anyhow!("a TLS report left no result")))
}

struct Upload {
    sha256: String,
    size: i64,
    content_type: Option<String>,
    filename: Option<String>,
    compressed: Vec<u8>,
    /// Upload row id per tenant, once stored.
    ids: HashMap<String, String>,
}

impl Upload {
    fn new(
        bytes: &[u8],
        content_type: Option<&str>,
        filename: Option<&str>,
    ) -> StorageResult<Upload> {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(6));
        gz.write_all(bytes)
            .map_err(|e| StorageError::Other(e.into()))?;
        Ok(Upload {
            sha256: hex::encode(Sha256::digest(bytes)),
            size: bytes.len() as i64,
            content_type: content_type.map(str::to_string),
            // Only a plain base name; never a path a client chose.
            filename: filename
                .map(|f| f.rsplit(['/', '\\']).next().unwrap_or_default().trim())
                .filter(|f| !f.is_empty() && f.len() <= 255 && !f.chars().any(char::is_control))
                .map(str::to_string),
            compressed: gz.finish().map_err(|e| StorageError::Other(e.into()))?,
            ids: HashMap::new(),
        })
    }

    /// The upload's row for `tenant_id`, inserted inside the caller's transaction if new.
    fn row_id(&self, conn: &mut DbConnection, tenant_id: &str) -> Result<String, TxError> {
        if let Some(id) = self.ids.get(tenant_id) {
            // Inserted by an earlier report's committed transaction.
            return Ok(id.clone());
        }
        let existing: Option<String> = uploads::table
            .filter(uploads::tenant_id.eq(tenant_id))
            .filter(uploads::sha256.eq(&self.sha256))
            .select(uploads::id)
            .first(conn)
            .optional()?;
        if let Some(id) = existing {
            return Ok(id);
        }
        let id = new_id();
        diesel::insert_into(uploads::table)
            .values((
                uploads::id.eq(&id),
                uploads::tenant_id.eq(tenant_id),
                uploads::sha256.eq(&self.sha256),
                uploads::size.eq(self.size),
                uploads::content_type.eq(&self.content_type),
                uploads::filename.eq(&self.filename),
                uploads::data.eq(&self.compressed),
                uploads::created_at.eq(now()),
            ))
            .execute(conn)?;
        Ok(id)
    }
}

/// Errors inside one report's transaction.
#[derive(Debug)]
enum TxError {
    Storage(StorageError),
    Parse(ParseError),
    /// Same key and content already stored: roll back, answer with the stored id.
    Duplicate(String),
}

impl From<diesel::result::Error> for TxError {
    fn from(e: diesel::result::Error) -> Self {
        TxError::Storage(e.into())
    }
}

impl From<StorageError> for TxError {
    fn from(e: StorageError) -> Self {
        TxError::Storage(e)
    }
}

impl From<ParseError> for TxError {
    fn from(e: ParseError) -> Self {
        TxError::Parse(e)
    }
}

struct Ingest<'d, 't> {
    db: &'d Db,
    target: Target<'t>,
    upload: Upload,
    results: Vec<Ingested>,
}

/// The natural key of a report.
struct Key<'a> {
    tenant_id: &'a str,
    kind: &'static str,
    org_name: &'a str,
    external_id: &'a str,
    policy_domain: &'a str,
    begin: i64,
    end: i64,
}

impl Ingest<'_, '_> {
    fn domain_for(&mut self, policy_domain: &str) -> StorageResult<Option<Domain>> {
        match &self.target {
            Target::Scope(scope) => self
                .db
                .read(|conn| resolve_domain(conn, scope, policy_domain)),
            Target::Domain(d) => {
                let lower = policy_domain
                    .trim()
                    .trim_end_matches('.')
                    .to_ascii_lowercase();
                let matches = lower == d.name || lower.ends_with(&format!(".{}", d.name));
                Ok(matches.then(|| (*d).clone()))
            }
        }
    }

    /// Records a report that could not be filed under a domain, and goes on.
    fn unfiled(&mut self, origin: &Origin, error: IngestFailure) -> Result<(), ParseError> {
        self.results.push(Ingested::Failed {
            origin: origin.clone(),
            error,
        });
        Ok(())
    }

    fn record_result(
        &mut self,
        origin: &Origin,
        result: Result<Ingested, TxError>,
    ) -> Result<(), ParseError> {
        match result {
            Ok(done) => {
                self.results.push(done);
                Ok(())
            }
            Err(TxError::Storage(e)) => Err(ParseError::Handler(Box::new(e))),
            Err(TxError::Parse(e)) if e.is_fatal() => Err(e),
            Err(TxError::Parse(e)) => {
                self.failed(origin, e);
                Ok(())
            }
            Err(TxError::Duplicate(_)) => Err(ParseError::Handler(Box::new(StorageError::Other(
                anyhow::anyhow!("duplicate escaped its transaction"),
            )))),
        }
    }
}

/// Inserts a report's row before its content, to be completed by [`finish_report`].
fn insert_pending(
    conn: &mut DbConnection,
    key: &Key<'_>,
    domain_id: &str,
    upload_id: String,
    origin_json: &str,
) -> Result<ReportRow, TxError> {
    let row = ReportRow {
        id: new_id(),
        tenant_id: key.tenant_id.to_string(),
        domain_id: domain_id.to_string(),
        upload_id,
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

/// The stored reports with this natural key (dedup and conflicts both start here).
fn with_key<'a>(
    key: &'a Key<'a>,
) -> reports::BoxedQuery<'a, super::multi_connection_impl::MultiBackend> {
    reports::table
        .filter(reports::tenant_id.eq(key.tenant_id))
        .filter(reports::kind.eq(key.kind))
        .filter(reports::org_name.eq(key.org_name))
        .filter(reports::external_id.eq(key.external_id))
        .filter(reports::policy_domain.eq(key.policy_domain))
        .filter(reports::begin_ts.eq(key.begin))
        .filter(reports::end_ts.eq(key.end))
        .into_boxed()
}

/// Stores the report row after its content, resolving duplicates and conflicts.
fn finish_report(
    conn: &mut DbConnection,
    key: &Key<'_>,
    mut row: ReportRow,
) -> Result<ReportRow, TxError> {
    let same_key: Vec<(String, String, Option<String>)> = with_key(key)
        .filter(reports::id.ne(&row.id))
        .select((reports::id, reports::content_hash, reports::superseded_by))
        .load(conn)?;
    if let Some((id, _, _)) = same_key
        .iter()
        .find(|(_, hash, _)| *hash == row.content_hash)
    {
        return Err(TxError::Duplicate(id.clone()));
    }
    if !same_key.is_empty() {
        row.conflict = true;
        let older: Vec<&String> = same_key.iter().map(|(id, _, _)| id).collect();
        diesel::update(reports::table.filter(reports::id.eq_any(&older)))
            .set(reports::conflict.eq(true))
            .execute(conn)?;
        diesel::update(
            reports::table
                .filter(reports::id.eq_any(&older))
                .filter(reports::superseded_by.is_null()),
        )
        .set(reports::superseded_by.eq(&row.id))
        .execute(conn)?;
    }
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
    Ok(row)
}

/// Queues the `report.received` event of a newly stored report (a duplicate never gets here:
/// its transaction is rolled back first).
fn announce(conn: &mut DbConnection, row: &ReportRow, domain: &Domain) -> Result<(), TxError> {
    let data = serde_json::to_value(ReportReceived {
        report_id: row.id.clone().into(),
        kind: row.kind.clone(),
        domain: domain.name.clone(),
        domain_id: domain.id.clone(),
        policy_domain: row.policy_domain.clone(),
        org_name: row.org_name.clone(),
        external_id: row.external_id.clone(),
        begin: row.begin_ts,
        end: row.end_ts,
        records: row.record_count,
        messages: row.message_count,
        conflict: row.conflict,
    })
    .map_err(|e| TxError::Storage(StorageError::Other(e.into())))?;
    super::webhooks::emit(
        conn,
        &row.tenant_id.as_str().into(),
        Event::ReportReceived,
        &data,
        now(),
    )?;
    Ok(())
}

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

fn json<T: serde::Serialize>(value: &T) -> Result<String, TxError> {
    serde_json::to_string(value).map_err(|e| TxError::Storage(StorageError::Other(e.into())))
}

fn opt(value: Option<&impl ToString>) -> Option<String> {
    value.map(ToString::to_string)
}

fn text_or_empty(value: Option<&impl ToString>) -> String {
    value.map(ToString::to_string).unwrap_or_default()
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

/// Accumulates a DMARC report's rows and rollups while its records stream by.
struct DmarcWriter {
    report_id: String,
    domain_id: String,
    weights: Vec<(i64, i64)>,
    batch: Vec<NewRecord>,
    seq: i64,
    results: HashMap<(i64, String, String, String), u64>,
    sources: HashMap<(i64, String, String), (u64, u64)>,
    /// Messages per (day, source, method, domain) of passing DKIM and SPF results.
    auth: HashMap<(i64, String, &'static str, String), u64>,
    source_flushes: i64,
    messages: u64,
}

impl DmarcWriter {
    fn add(&mut self, conn: &mut DbConnection, record: &Record) -> Result<(), TxError> {
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
        self.seq += 1;
        self.batch.push(NewRecord {
            report_id: self.report_id.clone(),
            seq: self.seq,
            source_ip: ip,
            count: i64::try_from(count).unwrap_or(i64::MAX),
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
        if self.sources.len() + self.auth.len() >= MAX_SOURCE_GROUPS {
            self.flush_sources(conn)?;
        }
        Ok(())
    }

    fn flush_records(&mut self, conn: &mut DbConnection) -> Result<(), TxError> {
        if !self.batch.is_empty() {
            super::insert_batch!(conn, dmarc_records::table, self.batch, BATCH)?;
            self.batch.clear();
        }
        Ok(())
    }

    fn flush_sources(&mut self, conn: &mut DbConnection) -> Result<(), TxError> {
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

    /// Writes what is still buffered; returns (records, messages).
    fn finish(mut self, conn: &mut DbConnection) -> Result<(i64, i64), TxError> {
        self.flush_records(conn)?;
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
        Ok((self.seq, i64::try_from(self.messages).unwrap_or(i64::MAX)))
    }
}

/// A DMARC report read whole before any database work: its final header, warnings, content
/// hash and records (in memory up to [`SPILL_AFTER`], then in a temporary file).
struct Staged {
    header: AggregateHeader,
    warnings: Vec<Warning>,
    hash: String,
    records: Spill,
}

impl Staged {
    /// Pulls every record from `reader`. The hash is the one every earlier version of ruad
    /// stored: SHA-256 over the header's JSON, a newline and the SHA-256 of the records' JSON
    /// lines, so a re-upload of a report stored before is still a duplicate.
    fn read(reader: &mut AggregateReader<'_>) -> Result<Staged, TxError> {
        let mut records = Spill::default();
        let mut hasher = Sha256::new();
        while let Some(record) = reader.next_record()? {
            let line = json(&record)?;
            hasher.update(line.as_bytes());
            hasher.update(b"\n");
            records.push(record, &line)?;
        }
        let (header, warnings) = reader.finish()?;
        let mut outer = Sha256::new();
        outer.update(json(&header)?.as_bytes());
        outer.update(b"\n");
        outer.update(hasher.finalize());
        Ok(Staged {
            header,
            warnings,
            hash: hex::encode(outer.finalize()),
            records: records.finish()?,
        })
    }
}

/// Records held in memory, or in a temporary file of JSON lines once there are many.
#[derive(Default)]
struct Spill {
    memory: Vec<Record>,
    file: Option<std::io::BufWriter<std::fs::File>>,
    spilled: Option<std::fs::File>,
}

impl Spill {
    fn push(&mut self, record: Record, line: &str) -> Result<(), TxError> {
        let io = |e: std::io::Error| TxError::Storage(StorageError::Other(e.into()));
        if self.file.is_none() && self.memory.len() < SPILL_AFTER {
            self.memory.push(record);
            return Ok(());
        }
        let file = match &mut self.file {
            Some(file) => file,
            None => {
                let mut file = std::io::BufWriter::new(tempfile::tempfile().map_err(io)?);
                for held in self.memory.drain(..) {
                    writeln!(file, "{}", json(&held)?).map_err(io)?;
                }
                self.file.insert(file)
            }
        };
        writeln!(file, "{line}").map_err(io)
    }

    /// Ends writing: the records can now be read back with [`Spill::for_each`].
    fn finish(mut self) -> Result<Spill, TxError> {
        use std::io::Seek;
        let io = |e: std::io::Error| TxError::Storage(StorageError::Other(e.into()));
        if let Some(file) = self.file.take() {
            let mut file = file.into_inner().map_err(|e| io(e.into_error()))?;
            file.rewind().map_err(io)?;
            self.spilled = Some(file);
        }
        Ok(self)
    }

    /// Calls `f` with every record, in order.
    fn for_each(
        &mut self,
        mut f: impl FnMut(&Record) -> Result<(), TxError>,
    ) -> Result<(), TxError> {
        use std::io::{BufRead, Seek};
        let io = |e: std::io::Error| TxError::Storage(StorageError::Other(e.into()));
        for record in &self.memory {
            f(record)?;
        }
        if let Some(file) = &mut self.spilled {
            // A transaction retried after a failure reads the file again from the start.
            file.rewind().map_err(io)?;
            let mut reader = std::io::BufReader::new(&*file);
            let mut line = String::new();
            loop {
                line.clear();
                if reader.read_line(&mut line).map_err(io)? == 0 {
                    break;
                }
                let record: Record = serde_json::from_str(&line)
                    .map_err(|e| TxError::Storage(StorageError::Other(e.into())))?;
                f(&record)?;
            }
        }
        Ok(())
    }
}

impl ReportHandler for Ingest<'_, '_> {
    fn aggregate(
        &mut self,
        origin: &Origin,
        reader: &mut AggregateReader<'_>,
    ) -> Result<(), ParseError> {
        let Some(header) = reader.header().cloned() else {
            return Err(ParseError::InvalidAggregate {
                path: "feedback".into(),
                message: "no header".into(),
            });
        };
        let policy_domain = header.policy_published.domain.clone();
        let domain = match self.domain_for(&policy_domain) {
            Ok(Some(d)) => d,
            Ok(None) => {
                self.results.push(Ingested::Failed {
                    origin: origin.clone(),
                    error: IngestFailure::DomainNotRegistered {
                        domain: policy_domain,
                    },
                });
                return Ok(());
            }
            Err(StorageError::Ambiguous { name, tenants }) => {
                return self.unfiled(
                    origin,
                    IngestFailure::AmbiguousDomain {
                        domain: name,
                        tenants,
                    },
                );
            }
            Err(e) => return Err(ParseError::Handler(Box::new(e))),
        };
        // Parse everything before the writer is taken.
        let mut staged = match Staged::read(reader) {
            Ok(staged) => staged,
            Err(e) => return self.record_result(origin, Err(e)),
        };
        let upload = &self.upload;
        let origin_json = serde_json::to_string(origin).unwrap_or_else(|_| "[]".into());
        let result = write_report(self.db, |conn| {
            let meta = &header.report_metadata;
            let key = Key {
                tenant_id: domain.tenant_id.as_str(),
                kind: KIND_DMARC,
                org_name: &meta.org_name,
                external_id: &meta.report_id,
                policy_domain: &policy_domain,
                begin: meta.date_range.begin,
                end: meta.date_range.end,
            };
            if let Some(id) = find_duplicate(conn, &key, &staged.hash)? {
                return Err(TxError::Duplicate(id));
            }
            let upload_id = upload.row_id(conn, domain.tenant_id.as_str())?;
            let row = insert_pending(conn, &key, domain.id.as_str(), upload_id, &origin_json)?;
            let mut writer = DmarcWriter {
                report_id: row.id.clone(),
                domain_id: domain.id.to_string(),
                weights: day_weights(meta.date_range.begin, meta.date_range.end),
                batch: Vec::with_capacity(BATCH),
                seq: 0,
                results: HashMap::new(),
                sources: HashMap::new(),
                auth: HashMap::new(),
                source_flushes: 0,
                messages: 0,
            };
            staged.records.for_each(|record| writer.add(conn, record))?;
            let (records, messages) = writer.finish(conn)?;
            let row = ReportRow {
                content_hash: staged.hash.clone(),
                header: json(&staged.header)?,
                warnings: json(&staged.warnings)?,
                record_count: records,
                message_count: messages,
                ..row
            };
            let row = finish_report(conn, &key, row)?;
            announce(conn, &row, &domain)?;
            // Committed with the report, so every stored report gets its sources enriched.
            super::jobs::enqueue(
                conn,
                Some(&domain.tenant_id),
                crate::domain::job::JobKind::EnrichSources,
                &serde_json::json!({ "report_id": row.id }),
                super::now(),
            )?;
            Ok(row)
        });
        let result = stored_or_duplicate(result, KIND_DMARC, &policy_domain, &domain, origin);
        self.record_result(origin, result)
    }

    fn tls(
        &mut self,
        origin: &Origin,
        report: TlsReport,
        warnings: Vec<Warning>,
    ) -> Result<(), ParseError> {
        // A TLS report belongs to the first of its policy domains that is registered.
        let mut chosen = None;
        for p in &report.policies {
            match self.domain_for(&p.policy.policy_domain) {
                Ok(Some(d)) => {
                    chosen = Some((p.policy.policy_domain.clone(), d));
                    break;
                }
                Ok(None) => {}
                Err(StorageError::Ambiguous { name, tenants }) => {
                    return self.unfiled(
                        origin,
                        IngestFailure::AmbiguousDomain {
                            domain: name,
                            tenants,
                        },
                    );
                }
                Err(e) => return Err(ParseError::Handler(Box::new(e))),
            }
        }
        let Some((policy_domain, domain)) = chosen else {
            let names: Vec<&str> = report
                .policies
                .iter()
                .map(|p| p.policy.policy_domain.as_str())
                .collect();
            let domain = names.first().copied().unwrap_or_default().to_string();
            let error = match &self.target {
                Target::Domain(d) => IngestFailure::OtherDomain {
                    domain,
                    token_domain: d.name.clone(),
                },
                Target::Scope(_) => IngestFailure::DomainNotRegistered { domain },
            };
            self.results.push(Ingested::Failed {
                origin: origin.clone(),
                error,
            });
            return Ok(());
        };
        let upload = &self.upload;
        let origin_json = serde_json::to_string(origin).unwrap_or_else(|_| "[]".into());
        // Hash and header before the writer is taken.
        let prepared = json(&report).and_then(|content| {
            let mut header = serde_json::to_value(&report)
                .map_err(|e| TxError::Storage(StorageError::Other(e.into())))?;
            if let Some(obj) = header.as_object_mut() {
                obj.remove("policies");
            }
            Ok((
                hex::encode(Sha256::digest(content.as_bytes())),
                json(&header)?,
            ))
        });
        let (hash, header) = match prepared {
            Ok(prepared) => prepared,
            Err(e) => return self.record_result(origin, Err(e)),
        };
        let result = write_report(self.db, |conn| {
            let key = Key {
                tenant_id: domain.tenant_id.as_str(),
                kind: KIND_TLS,
                org_name: &report.organization_name,
                external_id: &report.report_id,
                policy_domain: &policy_domain,
                begin: report.date_range.begin,
                end: report.date_range.end,
            };
            if let Some(id) = find_duplicate(conn, &key, &hash)? {
                return Err(TxError::Duplicate(id));
            }
            let upload_id = upload.row_id(conn, domain.tenant_id.as_str())?;
            let row = insert_pending(conn, &key, domain.id.as_str(), upload_id, &origin_json)?;
            let (policies, sessions) = insert_tls(conn, &row.id, domain.id.as_str(), &report)?;
            let row = ReportRow {
                content_hash: hash.clone(),
                header: header.clone(),
                warnings: json(&warnings)?,
                record_count: policies,
                message_count: sessions,
                ..row
            };
            let row = finish_report(conn, &key, row)?;
            // TLS data needs no enrichment: evaluate the domain's issues.
            super::jobs::enqueue_unique(
                conn,
                Some(&domain.tenant_id),
                crate::domain::job::JobKind::EvaluateIssues,
                &serde_json::json!({ "domain_id": domain.id }),
                super::now(),
            )?;
            announce(conn, &row, &domain)?;
            Ok(row)
        });
        let result = stored_or_duplicate(result, KIND_TLS, &policy_domain, &domain, origin);
        self.record_result(origin, result)
    }

    fn failed(&mut self, origin: &Origin, error: ParseError) {
        self.results.push(Ingested::Failed {
            origin: origin.clone(),
            error: IngestFailure::Parse {
                code: error.code(),
                message: error.to_string(),
            },
        });
    }
}

/// Runs one report's transaction under the writer (on SQLite); nothing else is done there.
fn write_report(
    db: &Db,
    f: impl FnMut(&mut DbConnection) -> Result<ReportRow, TxError>,
) -> Result<ReportRow, TxError> {
    let mut f = f;
    let mut outcome = None;
    let written = db.write(|conn| {
        outcome = Some(conn.transaction::<_, TxError, _>(&mut f));
        Ok(())
    });
    match (written, outcome) {
        (Err(e), _) => Err(TxError::Storage(e)),
        (Ok(()), Some(result)) => result,
        (Ok(()), None) => Err(TxError::Storage(StorageError::Other(anyhow::anyhow!(
            "the report transaction did not run"
        )))),
    }
}

/// The stored report with the same natural key and content, if any.
fn find_duplicate(
    conn: &mut DbConnection,
    key: &Key<'_>,
    hash: &str,
) -> Result<Option<String>, TxError> {
    Ok(with_key(key)
        .filter(reports::content_hash.eq(hash))
        .select(reports::id)
        .first(conn)
        .optional()?)
}

fn stored_or_duplicate(
    result: Result<ReportRow, TxError>,
    kind: &'static str,
    policy_domain: &str,
    domain: &Domain,
    origin: &Origin,
) -> Result<Ingested, TxError> {
    let stored = |id: String, duplicate: bool, conflict: bool| Ingested::Stored {
        id,
        kind,
        policy_domain: policy_domain.to_string(),
        domain: domain.name.clone(),
        duplicate,
        conflict,
        origin: origin.clone(),
    };
    match result {
        Ok(row) => Ok(stored(row.id, false, row.conflict)),
        Err(TxError::Duplicate(id)) => Ok(stored(id, true, false)),
        Err(e) => Err(e),
    }
}

/// Inserts a TLS report's policies, failure details and rollups; returns (policies, sessions).
fn insert_tls(
    conn: &mut DbConnection,
    report_id: &str,
    domain_id: &str,
    report: &TlsReport,
) -> Result<(i64, i64), TxError> {
    let weights = day_weights(report.date_range.begin, report.date_range.end);
    let mut rollup: HashMap<(i64, String, String, String), (u64, u64)> = HashMap::new();
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
        let ok = split(p.total_successful_session_count, &weights);
        let failed = split(p.total_failure_session_count, &weights);
        for ((day, s), (_, f)) in ok.into_iter().zip(failed) {
            let e = rollup
                .entry((day, String::new(), String::new(), String::new()))
                .or_default();
            e.0 += s;
            e.1 += f;
        }
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
    Ok((report.policies.len() as i64, sessions as i64))
}

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
