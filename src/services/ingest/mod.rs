//! Ingesting reports: the one use case behind every front door that brings report bytes
//! (the HTTP upload, the RFC 8460 HTTPS receiver, SMTP/LMTP through `services::intake`; next
//! IMAP and `ruad ingest`).
//! A front door knows who sends (the tenant of a key or token, the recipient of a message),
//! turns that into a [`Target`], and calls [`ingest`] (or [`ingest_tlsrpt`] for the RFC
//! 8460 receiver) with the bytes, on a blocking thread: everything here is synchronous.
//!
//! # Order, per upload
//! 1. The upload is hashed and compressed for storage ([`stage`]).
//! 2. `reports::parse_input` sniffs and unpacks it (gzip, zlib, zip, email, mbox; bounded by
//!    [`Limits`]) and streams each report it holds to this module, in upload order.
//! 3. Per report: the registered domain it is about is looked up (a read), and the report is
//!    staged whole: parsed to its last record, its content hash computed.
//! 4. Then the report's writes, all or nothing ([`ReportWrite`]): the dedup decision (same
//!    natural key and hash: a duplicate, nothing written), the upload row, the report row,
//!    its records and rollups, the conflict decision (same key, other hash: the new version
//!    supersedes the older ones, all flagged), its job (`enrich_sources` for DMARC,
//!    `evaluate_issues` for TLS) and its `report.received` webhook event. A small report
//!    (at most [`GROUP_COMMIT_MAX_RECORDS`]) is written by the group commit
//!    (`storage::commit`): one writer thread puts the reports queued by all front doors into
//!    one transaction, each in a savepoint, so a report refused (a duplicate) or failing
//!    leaves the others stored. A large report, or a small one whose batch failed or that
//!    PostgreSQL aborted as a deadlock victim, takes a transaction of its own.
//! 5. The outcome of each report is returned in upload order ([`Ingested`]) and counted in
//!    `/metrics` (`services::metrics`): `ruad_reports_ingested_total` per outcome,
//!    `ruad_ingest_records` per stored report, `ruad_ingest_duration_seconds` per upload.
//!
//! # Invariants
//! - Parsing never holds the writer: unpacking, parsing, staging and hashing all happen
//!   before `Db::write` is entered, so a decompression bomb or a slow parse never stops
//!   other tenants' ingestion.
//! - A report is stored whole or not at all, together with its job and webhook event (jobs
//!   are enqueued in the transaction of the data that needs them, DESIGN.md).
//! - When [`ingest`] returns, every report it answers `Stored` for is committed: a front door
//!   that answers 2xx (or SMTP 250, or moves the IMAP message) only after it returns never
//!   acknowledges a report that is not stored.
//! - [`Target::Tenant`] may register a domain (auto-registration) before a report's own
//!   transaction: a report that then fails leaves the domain registered, as its sender meant.
//! - A report that does not parse, or that names no registered domain of the target, is an
//!   [`Ingested::Failed`] outcome and the others go on; a storage failure ends the upload
//!   with an error (reports committed before it stay committed).
//!
//! DMARC failure reports take their own arm (`failure.rs`): redacted as the filing tenant's
//! privacy setting says, deduplicated by content hash, stored in `storage::failures`, with no
//! raw copy of the upload unless the tenant keeps everything.
//!
//! Must not depend on `api`, `cli`, `jobs` or actix-web; database work is
//! `storage::reports`, composed here.

mod failure;
mod rfc8460;
mod stage;

pub use rfc8460::TlsrptMedia;
pub use stage::SPILL_AFTER;

use crate::domain::event::{Event, ReportReceived};
use crate::domain::ids::{DomainId, ReportId, TenantId};
use crate::domain::job::JobKind;
use crate::domain::report::TlsReport;
use crate::reports::{
    AggregateReader, Input, Limits, Origin, ParseError, ReportHandler, Warning, parse_input,
};
use crate::services::metrics::Metrics;
use crate::storage::commit::{Outcome, Rollback, Unit};
use crate::storage::domains::{self, Domain};
use crate::storage::reports::{
    self as store, DmarcWriter, KIND_DMARC, KIND_TLS, NewUpload, ReportKey, ReportRow,
    ReportVersion,
};
use crate::storage::{Db, DbConnection, StorageError, StorageResult, TenantScope, jobs, now};
use stage::{StageError, StagedDmarc};
use std::sync::Arc;
use std::time::Instant;

/// The bytes one request, file or message brought, and what the sender said of them.
#[derive(Debug, Clone, Copy)]
pub struct Upload<'a> {
    pub bytes: &'a [u8],
    /// The declared content type: kept with the upload, never trusted (the bytes decide).
    pub content_type: Option<&'a str>,
    /// The file name it was sent with (multipart, attachment, CLI argument), kept for its raw
    /// download (as a base name only).
    pub file_name: Option<&'a str>,
}

/// Where an upload's reports may go.
#[derive(Debug, Clone, Copy)]
pub enum Target<'a> {
    /// Any registered domain in the sender's scope, the one a report is about (a name in
    /// several tenants of the scope is refused as ambiguous).
    Scope(&'a TenantScope),
    /// Only this domain or names below it (the RFC 8460 receiver, whose token names it).
    Domain(&'a Domain),
    /// Only the registered domains of this one tenant (`scope.tenant_id`), not of its
    /// subtree: a tenant's report address (`services::intake`), so naming a domain never
    /// files a report with another tenant. With `auto_register`, a report about a domain
    /// the tenant has not registered first registers that name's organizational domain for
    /// the tenant ([`crate::services::domains::register_domain`], in its own transaction
    /// before the report's, its DNS check queued), then is filed under it.
    Tenant {
        scope: &'a TenantScope,
        auto_register: Option<AutoRegister>,
    },
}

/// How [`Target::Tenant`] registers a domain it meets for the first time.
#[derive(Debug, Clone, Copy)]
pub struct AutoRegister {
    /// Queue the new domain's DNS check (periodic re-checks are on).
    pub check_dns: bool,
}

/// What happened to one report found in an upload.
#[derive(Debug, Clone)]
pub enum Ingested {
    /// Committed, or recognized as a duplicate of a committed report.
    Stored {
        /// The stored report (the one stored before, when `duplicate`).
        id: ReportId,
        /// `dmarc_aggregate`, `tls_report` (`storage::reports::KIND_*`) or `failure_report`
        /// (`storage::failures::KIND_FAILURE`).
        kind: &'static str,
        /// The policy domain named in the report.
        policy_domain: String,
        /// The registered domain it was filed under.
        domain: String,
        duplicate: bool,
        /// Another version with the same key exists; this one supersedes it.
        conflict: bool,
        /// Where in the upload it was found.
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
    /// The report is about a domain not registered in the target scope.
    DomainNotRegistered { domain: String },
    /// The RFC 8460 receiver got a report about another domain than its token's.
    OtherDomain {
        domain: String,
        token_domain: String,
    },
    /// The report's domain is registered by several tenants of the target scope.
    AmbiguousDomain {
        domain: String,
        tenants: Vec<String>,
    },
    /// A newer version of a stored DMARC report whose records retention has deleted: what
    /// the stored version added to the per-source sums can no longer be recomputed, so it
    /// cannot be replaced.
    Expired { domain: String, report_id: ReportId },
}

impl IngestFailure {
    /// The stable code every front door reports this failure with (the parser's code for
    /// a parse failure).
    pub fn code(&self) -> &'static str {
        match self {
            IngestFailure::Parse { code, .. } => code,
            IngestFailure::DomainNotRegistered { .. } | IngestFailure::OtherDomain { .. } => {
                "domain_not_registered"
            }
            IngestFailure::AmbiguousDomain { .. } => "ambiguous_domain",
            IngestFailure::Expired { .. } => "report_expired",
        }
    }

    /// The report domain the failure is about, when it is about one.
    pub fn domain(&self) -> Option<&str> {
        match self {
            IngestFailure::Parse { .. } => None,
            IngestFailure::DomainNotRegistered { domain }
            | IngestFailure::OtherDomain { domain, .. }
            | IngestFailure::AmbiguousDomain { domain, .. }
            | IngestFailure::Expired { domain, .. } => Some(domain),
        }
    }
}

impl std::fmt::Display for IngestFailure {
    /// What a person sending reports can act on.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            IngestFailure::Parse { message, .. } => f.write_str(message),
            IngestFailure::DomainNotRegistered { domain } => write!(
                f,
                "the report is about {domain}, which is not a registered domain of this tenant"
            ),
            IngestFailure::OtherDomain {
                domain,
                token_domain,
            } => write!(
                f,
                "the report is about {domain}, but this ingest token is for {token_domain}"
            ),
            IngestFailure::AmbiguousDomain { domain, tenants } => write!(
                f,
                "the report is about {domain}, which {} tenants of your subtree have registered ({}); upload again with tenant_id naming one",
                tenants.len(),
                tenants.join(", ")
            ),
            IngestFailure::Expired { report_id, .. } => write!(
                f,
                "this is a newer version of report {report_id}, whose records have expired under the tenant's retention; it cannot replace it"
            ),
        }
    }
}

/// Why the RFC 8460 receiver stored nothing.
#[derive(Debug, thiserror::Error)]
pub enum TlsrptError {
    /// The body is not one TLS report in the declared media type.
    #[error("not one TLS report: {0}")]
    NotOneReport(ParseError),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// Unpacks and parses `upload`, and stores every report found that belongs to `target`, each
/// all or nothing (with other uploads' reports in a group commit when small). Returns, in upload order, what happened to each report; a storage
/// failure is an error (see the module's invariants).
#[tracing::instrument(skip_all, fields(bytes = upload.bytes.len()))]
pub fn ingest(
    db: &Db,
    metrics: &Metrics,
    target: Target<'_>,
    upload: &Upload<'_>,
    limits: &Limits,
) -> StorageResult<Vec<Ingested>> {
    let started = Instant::now();
    let stored = stage::upload(upload.bytes, upload.content_type, upload.file_name)
        .map_err(StorageError::Other)?;
    let mut handler = Handler {
        db,
        metrics,
        target,
        upload: Arc::new(stored),
        results: Vec::new(),
    };
    match parse_input(Input::Bytes(upload.bytes), limits, &mut handler) {
        Ok(()) => {
            metrics.ingest_duration(started.elapsed());
            Ok(handler.results)
        }
        Err(ParseError::Handler(e)) => Err(storage_error(e)),
        Err(other) => Err(StorageError::Other(anyhow::anyhow!(
            "unexpected parse failure: {other}"
        ))),
    }
}

/// The RFC 8460 §3 receiver: `body` must be exactly one TLS report in `media` ([`TlsrptMedia`])
/// about `domain` (or a name below it); it is stored like any report, with the body kept as
/// its upload. Anything else is [`TlsrptError::NotOneReport`], and nothing is stored.
#[tracing::instrument(skip_all, fields(bytes = body.len()))]
pub fn ingest_tlsrpt(
    db: &Db,
    metrics: &Metrics,
    domain: &Domain,
    body: &[u8],
    media: TlsrptMedia,
    limits: &Limits,
) -> Result<Ingested, TlsrptError> {
    let started = Instant::now();
    let (report, warnings) =
        rfc8460::decode(body, media, limits).map_err(TlsrptError::NotOneReport)?;
    let stored = stage::upload(body, Some(media.as_str()), None).map_err(StorageError::Other)?;
    let mut handler = Handler {
        db,
        metrics,
        target: Target::Domain(domain),
        upload: Arc::new(stored),
        results: Vec::new(),
    };
    let origin = Origin::default();
    match handler.tls(&origin, report, warnings) {
        Ok(()) => {}
        Err(ParseError::Handler(e)) => return Err(storage_error(e).into()),
        Err(other) => handler.failed(&origin, other),
    }
    let ingested = handler
        .results
        .pop()
        .ok_or_else(|| StorageError::Other(anyhow::anyhow!("a TLS report left no result")))?;
    metrics.ingest_duration(started.elapsed());
    Ok(ingested)
}

/// The storage error a handler failure carries.
fn storage_error(e: Box<dyn std::error::Error + Send + Sync>) -> StorageError {
    match e.downcast::<StorageError>() {
        Ok(storage) => *storage,
        Err(other) => StorageError::Other(anyhow::anyhow!("{other}")),
    }
}

/// The registered domain a report is filed under.
struct Filed {
    tenant_id: TenantId,
    domain_id: DomainId,
    name: String,
}

impl Filed {
    fn of(domain: &Domain) -> Filed {
        Filed {
            tenant_id: domain.tenant_id.clone(),
            domain_id: domain.id.clone(),
            name: domain.name.clone(),
        }
    }
}

/// Where a policy domain files a report.
enum Lookup {
    Filed(Filed),
    NotRegistered,
    /// The name is ambiguous; the report's failure is recorded already.
    Recorded,
}

/// Errors inside one report's transaction.
#[derive(Debug)]
enum TxError {
    Storage(StorageError),
    /// Same key and content already stored: roll back, answer with the stored id.
    Duplicate(ReportId),
    /// Other content under the key of a DMARC report whose records have expired: roll back.
    Expired(ReportId),
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

impl From<anyhow::Error> for TxError {
    fn from(e: anyhow::Error) -> Self {
        TxError::Storage(StorageError::Other(e))
    }
}

fn json<T: serde::Serialize>(value: &T) -> Result<String, TxError> {
    serde_json::to_string(value).map_err(|e| TxError::Storage(StorageError::Other(e.into())))
}

/// What a report's content is, given the other versions stored with its natural key.
#[derive(Debug, PartialEq, Eq)]
enum Verdict {
    /// No other version: a new report.
    New,
    /// The same content is stored already.
    Duplicate(ReportId),
    /// Other content is stored with the same key: the new version supersedes these.
    Conflict(Vec<ReportId>),
}

fn verdict(others: &[ReportVersion], hash: &str) -> Verdict {
    if let Some(same) = others.iter().find(|v| v.content_hash == hash) {
        return Verdict::Duplicate(same.id.clone());
    }
    if others.is_empty() {
        Verdict::New
    } else {
        Verdict::Conflict(others.iter().map(|v| v.id.clone()).collect())
    }
}

/// Completes a pending report row once its content is written, deciding duplicate and
/// conflict against the versions visible now (another instance may have committed the same
/// report since the first look).
fn settle(
    conn: &mut DbConnection,
    key: &ReportKey<'_>,
    mut row: ReportRow,
) -> Result<ReportRow, TxError> {
    let id = row.id.clone();
    let others = store::list_versions(conn, key, &id)?;
    match verdict(&others, &row.content_hash) {
        Verdict::Duplicate(id) => return Err(TxError::Duplicate(id)),
        Verdict::Conflict(older) => {
            if key.kind == KIND_DMARC
                && let Some(expired) = store::find_expired_current(conn, &older)?
            {
                return Err(TxError::Expired(expired));
            }
            row.conflict = true;
            store::supersede(conn, &older, &id)?;
        }
        Verdict::New => {}
    }
    store::complete_report(conn, &row)?;
    Ok(row)
}

/// Queues the `report.received` event of a newly stored report (a duplicate never gets here:
/// its transaction is rolled back first).
fn announce(conn: &mut DbConnection, row: &ReportRow, filed: &Filed) -> Result<(), TxError> {
    let data = serde_json::to_value(ReportReceived {
        report_id: row.id.clone(),
        kind: row.kind.clone(),
        domain: filed.name.clone(),
        domain_id: filed.domain_id.clone(),
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
    crate::storage::webhooks::emit(conn, &filed.tenant_id, Event::ReportReceived, &data, now())?;
    Ok(())
}

/// Attempts of one report's transaction when PostgreSQL aborts it as a deadlock victim or a
/// serialization failure (reports of one domain written at once share rollup rows).
const TRANSACTION_ATTEMPTS: usize = 4;

/// Whether the database rolled the transaction back only to break a lock cycle or keep
/// transactions serializable, so running it again will do.
fn is_transient(e: &TxError) -> bool {
    use diesel::result::{DatabaseErrorKind, Error};
    match e {
        TxError::Storage(StorageError::Database(Error::DatabaseError(kind, info))) => {
            matches!(kind, DatabaseErrorKind::SerializationFailure)
                || info.message().contains("deadlock detected")
        }
        _ => false,
    }
}

/// Runs one report's transaction under the writer (on SQLite); nothing else is done there.
/// A transaction PostgreSQL aborted as a deadlock victim runs again (it is all or nothing, and
/// it reads its staged report from the start each time).
fn write_report<T>(
    db: &Db,
    f: impl FnMut(&mut DbConnection) -> Result<T, TxError>,
) -> Result<T, TxError> {
    use crate::storage::write_transaction;
    let mut f = f;
    let mut attempt = 0;
    loop {
        attempt += 1;
        let mut outcome = None;
        let written = db.write(|conn| {
            outcome = Some(write_transaction(conn, &mut f));
            Ok(())
        });
        let result = match (written, outcome) {
            (Err(e), _) => Err(TxError::Storage(e)),
            (Ok(()), Some(result)) => result,
            (Ok(()), None) => Err(TxError::Storage(StorageError::Other(anyhow::anyhow!(
                "the report transaction did not run"
            )))),
        };
        match result {
            Err(e) if attempt < TRANSACTION_ATTEMPTS && is_transient(&e) => {
                tracing::warn!(
                    attempt,
                    "report transaction aborted by the database; running it again"
                );
            }
            other => return other,
        }
    }
}

/// Reports with at most this many records (DMARC) or failure details (TLS) are written by the
/// group commit ([`Db::commit`]), several to a transaction; larger ones, whose own writes
/// dwarf a transaction's fixed cost, take a transaction of their own, so they never hold up
/// the small reports queued with them (and on PostgreSQL they write side by side).
pub const GROUP_COMMIT_MAX_RECORDS: usize = 2_000;

/// A report's natural key, owned (the group commit's writer runs on another thread).
struct OwnedKey {
    tenant_id: TenantId,
    kind: &'static str,
    org_name: String,
    external_id: String,
    policy_domain: String,
    begin: i64,
    end: i64,
}

impl OwnedKey {
    fn key(&self) -> ReportKey<'_> {
        ReportKey {
            tenant_id: &self.tenant_id,
            kind: self.kind,
            org_name: &self.org_name,
            external_id: &self.external_id,
            policy_domain: &self.policy_domain,
            begin: self.begin,
            end: self.end,
        }
    }
}

/// What a staged report holds.
enum Content {
    Dmarc(Box<StagedDmarc>),
    Tls(Box<StagedTls>),
}

/// A TLS report with what staging computed of it.
struct StagedTls {
    report: TlsReport,
    hash: String,
    header: String,
    warnings: Vec<Warning>,
}

/// One staged report's transaction: everything it writes, owned, so that the group commit's
/// writer can run it. Its outcome stays with it ([`ReportWrite::result`]).
struct ReportWrite {
    key: OwnedKey,
    filed: Filed,
    upload: Arc<NewUpload>,
    origin_json: String,
    content: Content,
    result: Option<Result<ReportRow, TxError>>,
}

impl ReportWrite {
    /// Whether the report is small enough for the group commit.
    fn small(&self) -> bool {
        match &self.content {
            Content::Dmarc(staged) => staged.records.len() <= GROUP_COMMIT_MAX_RECORDS,
            Content::Tls(staged) => {
                staged
                    .report
                    .policies
                    .iter()
                    .map(|p| 1 + p.failure_details.len())
                    .sum::<usize>()
                    <= GROUP_COMMIT_MAX_RECORDS
            }
        }
    }

    /// The report's writes (see the module's order): dedup, upload, report row, content and
    /// rollups, the conflict decision, its job and its webhook event. Runs again from the
    /// start when a transaction is retried.
    fn write(&mut self, conn: &mut DbConnection) -> Result<ReportRow, TxError> {
        let key = self.key.key();
        let filed = &self.filed;
        let hash = match &self.content {
            Content::Dmarc(staged) => &staged.hash,
            Content::Tls(staged) => &staged.hash,
        };
        if let Some(id) = store::find_report_by_hash(conn, &key, hash)? {
            return Err(TxError::Duplicate(id));
        }
        // Reports of one domain take turns at its shared rollup rows (PostgreSQL).
        crate::storage::lock_domain_rollups(conn, filed.domain_id.as_str())?;
        let upload_id = store::find_or_insert_upload(conn, key.tenant_id, &self.upload)?;
        let row = store::insert_pending_report(
            conn,
            &key,
            &filed.domain_id,
            &upload_id,
            &self.origin_json,
        )?;
        match &mut self.content {
            Content::Dmarc(staged) => {
                let mut writer = DmarcWriter::new(&row.id, &filed.domain_id, key.begin, key.end);
                staged
                    .records
                    .for_each(|record| writer.add(conn, record).map_err(TxError::from))?;
                let (records, messages) = writer.finish(conn)?;
                let row = ReportRow {
                    content_hash: staged.hash.clone(),
                    header: json(&staged.header)?,
                    warnings: json(&staged.warnings)?,
                    record_count: records,
                    message_count: messages,
                    ..row
                };
                let row = settle(conn, &key, row)?;
                announce(conn, &row, filed)?;
                // Committed with the report, so every stored report gets its sources enriched.
                jobs::enqueue(
                    conn,
                    Some(&filed.tenant_id),
                    JobKind::EnrichSources,
                    &serde_json::json!({ "report_id": row.id }),
                    now(),
                )?;
                Ok(row)
            }
            Content::Tls(staged) => {
                let StagedTls {
                    report,
                    hash,
                    header,
                    warnings,
                } = &**staged;
                let (policies, sessions) =
                    store::insert_tls(conn, &row.id, &filed.domain_id, report)?;
                let row = ReportRow {
                    content_hash: hash.clone(),
                    header: header.clone(),
                    warnings: json(warnings)?,
                    record_count: policies,
                    message_count: sessions,
                    ..row
                };
                let row = settle(conn, &key, row)?;
                // TLS data needs no enrichment: evaluate the domain's issues.
                jobs::enqueue_unique(
                    conn,
                    Some(&filed.tenant_id),
                    JobKind::EvaluateIssues,
                    &serde_json::json!({ "domain_id": filed.domain_id }),
                    now(),
                )?;
                announce(conn, &row, filed)?;
                Ok(row)
            }
        }
    }
}

impl Unit for ReportWrite {
    fn weight(&self) -> usize {
        match &self.content {
            Content::Dmarc(staged) => staged.records.len().max(1),
            Content::Tls(staged) => staged.report.policies.len().max(1),
        }
    }

    fn write(&mut self, conn: &mut DbConnection) -> Result<(), Rollback> {
        let result = ReportWrite::write(self, conn);
        let kept = result.is_ok();
        self.result = Some(result);
        if kept { Ok(()) } else { Err(Rollback) }
    }
}

/// Stores one staged report: a small one through the group commit, a large one (or a small
/// one whose batch failed, or that the database aborted to break a lock cycle) in a
/// transaction of its own. Returns where it was filed and the transaction's result; `Ok`
/// only once the report is committed.
fn store_report(db: &Db, mut unit: ReportWrite) -> Result<ReportRow, TxError> {
    if unit.small() {
        match db.commit(unit) {
            Ok((done, Outcome::Committed)) => {
                return done.result.unwrap_or_else(|| {
                    Err(TxError::Storage(StorageError::Other(anyhow::anyhow!(
                        "a committed report left no result"
                    ))))
                });
            }
            Ok((done, Outcome::RolledBack)) => match done.result {
                Some(Err(e)) if !is_transient(&e) => return Err(e),
                // Aborted by the database, not refused: on its own.
                _ => {
                    unit = ReportWrite {
                        result: None,
                        ..done
                    }
                }
            },
            Ok((done, Outcome::Failed(e))) => {
                tracing::warn!(error = %e, "a report's group commit failed; writing it alone");
                unit = ReportWrite {
                    result: None,
                    ..done
                };
            }
            // The unit was lost (which `storage::commit` rules out): nothing of it is stored.
            Err(e) => return Err(TxError::Storage(e)),
        }
    }
    write_report(db, |conn| ReportWrite::write(&mut unit, conn))
}

/// Receives the reports of one upload from the parser and stores each.
struct Handler<'a> {
    db: &'a Db,
    metrics: &'a Metrics,
    target: Target<'a>,
    upload: Arc<NewUpload>,
    results: Vec<Ingested>,
}

impl Handler<'_> {
    /// Records one report's outcome and counts it.
    fn push(&mut self, outcome: Ingested) {
        match &outcome {
            Ingested::Stored {
                kind,
                duplicate,
                conflict,
                ..
            } => {
                let counted = if *duplicate {
                    "duplicate"
                } else if *conflict {
                    "conflict"
                } else {
                    "stored"
                };
                self.metrics.report(kind, counted);
            }
            Ingested::Failed { .. } => self.metrics.report("unknown", "rejected"),
        }
        self.results.push(outcome);
    }

    /// Why a report about `domain`, which the target does not hold, is not stored: another
    /// domain than a domain token's, or a domain the tenant has not registered.
    fn not_registered(&self, domain: String) -> IngestFailure {
        match &self.target {
            Target::Domain(d) => IngestFailure::OtherDomain {
                domain,
                token_domain: d.name.clone(),
            },
            Target::Scope(_) | Target::Tenant { .. } => {
                IngestFailure::DomainNotRegistered { domain }
            }
        }
    }

    fn unfiled(&mut self, origin: &Origin, error: IngestFailure) {
        self.push(Ingested::Failed {
            origin: origin.clone(),
            error,
        });
    }

    /// The registered domain of the target that `policy_domain` is (or is below).
    fn domain_for(&self, policy_domain: &str) -> StorageResult<Option<Filed>> {
        match self.target {
            Target::Scope(scope) => Ok(self
                .db
                .read(|conn| domains::resolve_domain(conn, scope, policy_domain))?
                .as_ref()
                .map(Filed::of)),
            Target::Domain(d) => {
                let lower = policy_domain
                    .trim()
                    .trim_end_matches('.')
                    .to_ascii_lowercase();
                let matches = lower == d.name || lower.ends_with(&format!(".{}", d.name));
                Ok(matches.then(|| Filed::of(d)))
            }
            Target::Tenant {
                scope,
                auto_register,
            } => {
                let own = self.db.read(|conn| {
                    crate::storage::intake::find_own_domain_for(
                        conn,
                        &scope.tenant_id,
                        policy_domain,
                    )
                })?;
                match (own, auto_register) {
                    (Some(d), _) => Ok(Some(Filed::of(&d))),
                    (None, None) => Ok(None),
                    (None, Some(auto)) => Ok(self
                        .register(scope, policy_domain, auto)?
                        .as_ref()
                        .map(Filed::of)),
                }
            }
        }
    }

    /// Registers the organizational domain of `policy_domain` for the tenant of `scope`
    /// ([`Target::Tenant`] with auto-registration); `None` for a name that is no domain or
    /// has no organizational domain (a public suffix).
    fn register(
        &self,
        scope: &TenantScope,
        policy_domain: &str,
        auto: AutoRegister,
    ) -> StorageResult<Option<Domain>> {
        let Ok(name) = crate::domain::domain_name::DomainName::parse(policy_domain) else {
            return Ok(None);
        };
        let Some(org) = psl::domain_str(name.as_str()) else {
            return Ok(None);
        };
        let Ok(org) = crate::domain::domain_name::DomainName::parse(org) else {
            return Ok(None);
        };
        let registered = self.db.write(|conn| {
            crate::services::domains::register_domain(
                conn,
                scope,
                &scope.tenant_id,
                &org,
                auto.check_dns,
            )
        });
        match registered {
            Ok(domain) => {
                tracing::info!(tenant_id = %scope.tenant_id, domain = %domain.name, "domain registered by a report");
                Ok(Some(domain))
            }
            // Registered meanwhile (another message of the same tenant): file under it.
            Err(StorageError::Conflict(_)) => self.db.read(|conn| {
                crate::storage::intake::find_own_domain_for(conn, &scope.tenant_id, policy_domain)
            }),
            Err(e) => Err(e),
        }
    }

    /// [`Self::domain_for`] for the report at `origin`: a name several tenants of the scope
    /// hold is recorded as that report's failure; a storage error ends the upload.
    fn file_under(&mut self, origin: &Origin, policy_domain: &str) -> Result<Lookup, ParseError> {
        match self.domain_for(policy_domain) {
            Ok(Some(filed)) => Ok(Lookup::Filed(filed)),
            Ok(None) => Ok(Lookup::NotRegistered),
            Err(StorageError::Ambiguous { name, tenants }) => {
                self.unfiled(
                    origin,
                    IngestFailure::AmbiguousDomain {
                        domain: name,
                        tenants,
                    },
                );
                Ok(Lookup::Recorded)
            }
            Err(e) => Err(ParseError::Handler(Box::new(e))),
        }
    }

    /// A report that could not be staged: a parse error fails that report (or, when fatal,
    /// the rest of the upload); anything else is a storage failure.
    fn stage_failed(&mut self, origin: &Origin, error: StageError) -> Result<(), ParseError> {
        match error {
            StageError::Parse(e) if e.is_fatal() => Err(e),
            StageError::Parse(e) => {
                self.failed(origin, e);
                Ok(())
            }
            StageError::Io(e) => Err(ParseError::Handler(Box::new(StorageError::Other(e)))),
        }
    }

    /// Records the outcome of one report's transaction; a storage failure ends the upload.
    fn written(
        &mut self,
        origin: &Origin,
        kind: &'static str,
        policy_domain: &str,
        domain_name: &str,
        result: Result<ReportRow, TxError>,
    ) -> Result<(), ParseError> {
        let (id, duplicate, conflict) = match result {
            Ok(row) => {
                self.metrics.ingest_records(kind, row.record_count);
                (row.id, false, row.conflict)
            }
            Err(TxError::Duplicate(id)) => (id, true, false),
            Err(TxError::Expired(report_id)) => {
                self.unfiled(
                    origin,
                    IngestFailure::Expired {
                        domain: domain_name.to_string(),
                        report_id,
                    },
                );
                return Ok(());
            }
            Err(TxError::Storage(e)) => return Err(ParseError::Handler(Box::new(e))),
        };
        self.push(Ingested::Stored {
            id,
            kind,
            policy_domain: policy_domain.to_string(),
            domain: domain_name.to_string(),
            duplicate,
            conflict,
            origin: origin.clone(),
        });
        Ok(())
    }
}

impl ReportHandler for Handler<'_> {
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
        let filed = match self.file_under(origin, &policy_domain)? {
            Lookup::Filed(filed) => filed,
            Lookup::NotRegistered => {
                self.unfiled(
                    origin,
                    IngestFailure::DomainNotRegistered {
                        domain: policy_domain,
                    },
                );
                return Ok(());
            }
            Lookup::Recorded => return Ok(()),
        };
        // Parse everything before the writer is taken.
        let staged = match StagedDmarc::read(reader) {
            Ok(staged) => staged,
            Err(e) => return self.stage_failed(origin, e),
        };
        let origin_json = serde_json::to_string(origin).unwrap_or_else(|_| "[]".into());
        let meta = &header.report_metadata;
        let key = OwnedKey {
            tenant_id: filed.tenant_id.clone(),
            kind: KIND_DMARC,
            org_name: meta.org_name.clone(),
            external_id: meta.report_id.clone(),
            policy_domain: policy_domain.clone(),
            begin: meta.date_range.begin,
            end: meta.date_range.end,
        };
        let domain_name = filed.name.clone();
        let unit = ReportWrite {
            key,
            filed,
            upload: Arc::clone(&self.upload),
            origin_json,
            content: Content::Dmarc(Box::new(staged)),
            result: None,
        };
        let result = store_report(self.db, unit);
        self.written(origin, KIND_DMARC, &policy_domain, &domain_name, result)
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
            match self.file_under(origin, &p.policy.policy_domain)? {
                Lookup::Filed(filed) => {
                    chosen = Some((p.policy.policy_domain.clone(), filed));
                    break;
                }
                Lookup::NotRegistered => {}
                Lookup::Recorded => return Ok(()),
            }
        }
        let Some((policy_domain, filed)) = chosen else {
            let domain = report
                .policies
                .first()
                .map(|p| p.policy.policy_domain.clone())
                .unwrap_or_default();
            let error = self.not_registered(domain);
            self.unfiled(origin, error);
            return Ok(());
        };
        // Hash and header before the writer is taken.
        let (hash, header) = match stage::tls_hash_and_header(&report) {
            Ok(prepared) => prepared,
            Err(e) => return self.stage_failed(origin, e),
        };
        let origin_json = serde_json::to_string(origin).unwrap_or_else(|_| "[]".into());
        let key = OwnedKey {
            tenant_id: filed.tenant_id.clone(),
            kind: KIND_TLS,
            org_name: report.organization_name.clone(),
            external_id: report.report_id.clone(),
            policy_domain: policy_domain.clone(),
            begin: report.date_range.begin,
            end: report.date_range.end,
        };
        let domain_name = filed.name.clone();
        let unit = ReportWrite {
            key,
            filed,
            upload: Arc::clone(&self.upload),
            origin_json,
            content: Content::Tls(Box::new(StagedTls {
                report,
                hash,
                header,
                warnings,
            })),
            result: None,
        };
        let result = store_report(self.db, unit);
        self.written(origin, KIND_TLS, &policy_domain, &domain_name, result)
    }

    fn failure(
        &mut self,
        origin: &Origin,
        report: crate::domain::failure::FailureReport,
        warnings: Vec<Warning>,
    ) -> Result<(), ParseError> {
        self.store_failure(origin, report, warnings)
    }

    fn failed(&mut self, origin: &Origin, error: ParseError) {
        self.push(Ingested::Failed {
            origin: origin.clone(),
            error: IngestFailure::Parse {
                code: error.code(),
                message: error.to_string(),
            },
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version(id: &str, hash: &str) -> ReportVersion {
        ReportVersion {
            id: ReportId::from(id),
            content_hash: hash.to_string(),
        }
    }

    #[test]
    fn a_report_with_no_other_version_is_new() {
        assert_eq!(verdict(&[], "h1"), Verdict::New);
    }

    #[test]
    fn the_same_content_under_the_same_key_is_a_duplicate_of_the_stored_one() {
        let others = [version("a", "h0"), version("b", "h1")];
        assert_eq!(
            verdict(&others, "h1"),
            Verdict::Duplicate(ReportId::from("b"))
        );
    }

    #[test]
    fn other_content_under_the_same_key_conflicts_with_every_older_version() {
        let others = [version("a", "h0"), version("b", "h2")];
        assert_eq!(
            verdict(&others, "h1"),
            Verdict::Conflict(vec![ReportId::from("a"), ReportId::from("b")])
        );
    }
}
