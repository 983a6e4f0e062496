//! All DNS checks of a registered domain, run now and stored as snapshots: used by
//! `POST /domains/{domain}/dns-checks` and by the periodic re-check job, so both check the
//! same things and store them the same way; and the scheduling of those re-checks.

use crate::dns::Severity;
use crate::dns::checks::{self, CheckKind, Checker};
use crate::domain::ids::DomainId;
use crate::domain::job::JobKind;
use crate::storage::dns_snapshots::{self, DnsSnapshot, NewSnapshot};
use crate::storage::domains::Domain;
use crate::storage::{Db, StorageError, StorageResult, domains, jobs};

/// What to check beyond the fixed kinds.
#[derive(Debug, Clone, Default)]
pub struct Selectors {
    /// DKIM selectors (none: DKIM is not checked).
    pub dkim: Vec<String>,
    /// BIMI selector (`default` when absent).
    pub bimi: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum DomainCheckError {
    /// A selector is not valid.
    #[error(transparent)]
    Invalid(#[from] crate::dns::checks::CheckArgError),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

fn severity_str(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    }
}

/// Runs every check of `domain` (DMARC, SPF, MTA-STS, TLS-RPT, BIMI, and DKIM for the
/// selectors given) as the snapshots to store, all within one time budget
/// ([`Checker::budget`]): checks still waiting for DNS when it runs out report those
/// lookups as failed.
pub async fn run(
    checker: &Checker,
    domain: &str,
    selectors: &Selectors,
) -> Result<Vec<NewSnapshot>, DomainCheckError> {
    let checker = &checker.for_one_run();
    let mut plan: Vec<(CheckKind, Vec<String>)> = vec![
        (CheckKind::Dmarc, vec![]),
        (CheckKind::Spf, vec![]),
        (CheckKind::MtaSts, vec![]),
        (CheckKind::Tlsrpt, vec![]),
        (CheckKind::Bimi, selectors.bimi.iter().cloned().collect()),
    ];
    if !selectors.dkim.is_empty() {
        plan.push((CheckKind::Dkim, selectors.dkim.clone()));
    }
    let mut items = Vec::new();
    for (kind, selectors) in plan {
        let reports = checks::run(checker, kind, domain, &selectors).await?;
        for (i, report) in reports.into_iter().enumerate() {
            let selector = match kind {
                CheckKind::Dkim => selectors.get(i).cloned().unwrap_or_default(),
                CheckKind::Bimi => selectors
                    .first()
                    .cloned()
                    .unwrap_or_else(|| "default".into()),
                _ => String::new(),
            };
            items.push(NewSnapshot {
                kind: kind.as_str().to_string(),
                selector,
                worst: report
                    .worst()
                    .map(severity_str)
                    .unwrap_or_default()
                    .to_string(),
                report: serde_json::to_string(&report)
                    .map_err(|e| StorageError::Other(anyhow::anyhow!("encode check: {e}")))?,
            });
        }
    }
    Ok(items)
}

/// Runs every check of `domain` and stores them at `checked_at`. With `only_changes`, a check
/// whose result equals the stored latest one only moves that snapshot's `checked_at`
/// (periodic re-checks keep the history to the changes).
pub async fn run_and_store(
    db: &Db,
    checker: &Checker,
    domain: &Domain,
    selectors: &Selectors,
    checked_at: i64,
    only_changes: bool,
) -> Result<Vec<DnsSnapshot>, DomainCheckError> {
    let items = run(checker, &domain.name, selectors).await?;
    let (db, domain) = (db.clone(), domain.clone());
    let rows = tokio::task::spawn_blocking(move || {
        db.write(|conn| {
            dns_snapshots::insert_for_domain(conn, &domain, checked_at, items, only_changes)
        })
    })
    .await
    .map_err(|e| StorageError::Other(anyhow::anyhow!("dns check task: {e}")))??;
    Ok(rows)
}

/// The periodic re-check of one domain (the `check_dns` job): runs every check with the DKIM
/// and BIMI selectors checked last time, stores what changed at `now`, queues an evaluation
/// `evaluate_delay` seconds later, and queues the next re-check `interval` seconds later (none
/// when 0). A deleted domain is not checked, and not queued again.
pub async fn recheck(
    db: &Db,
    checker: &Checker,
    domain_id: &DomainId,
    now: i64,
    interval: i64,
    evaluate_delay: i64,
) -> Result<(), DomainCheckError> {
    let found = {
        let (db, id) = (db.clone(), domain_id.clone());
        super::blocking(move || db.read(|conn| domains::find_domain_by_id(conn, &id))).await?
    };
    let Some(domain) = found else {
        return Ok(());
    };
    let latest = {
        let (db, id) = (db.clone(), domain.id.clone());
        super::blocking(move || db.read(|conn| dns_snapshots::latest_for_domain(conn, &id))).await?
    };
    let selectors = Selectors {
        dkim: latest
            .iter()
            .filter(|s| s.kind == "dkim")
            .map(|s| s.selector.clone())
            .collect(),
        bimi: latest
            .iter()
            .find(|s| s.kind == "bimi")
            .map(|s| s.selector.clone()),
    };
    run_and_store(db, checker, &domain, &selectors, now, true).await?;
    let db = db.clone();
    super::blocking(move || {
        super::evaluation::queue(
            &db,
            Some(&domain.tenant_id),
            &domain.id,
            now + evaluate_delay,
        )?;
        if interval > 0 {
            // The running job is still in the table (it is removed when it returns), so the
            // next one is added without the uniqueness check.
            db.write(|conn| {
                jobs::enqueue(
                    conn,
                    Some(&domain.tenant_id),
                    JobKind::CheckDns,
                    &serde_json::json!({ "domain_id": domain.id }),
                    now + interval,
                )
            })?;
        }
        Ok::<_, StorageError>(())
    })
    .await?;
    Ok(())
}

/// Queues a `check_dns` job for every domain that has none (new domains, and every domain
/// when re-checks are first turned on), spread over ten minutes from `now`. Returns how many
/// were queued.
pub fn schedule_rechecks(db: &Db, now: i64) -> StorageResult<usize> {
    // Read and enqueue in one transaction under the writer: read apart, a domain registered
    // in between (its row committed, its first check not yet) was given a second check.
    db.write(|conn| {
        diesel::Connection::transaction(conn, |conn| {
            let ids = jobs::domains_without_job(conn, JobKind::CheckDns)?;
            let payloads: Vec<serde_json::Value> = ids
                .iter()
                .map(|id| serde_json::json!({ "domain_id": id }))
                .collect();
            jobs::enqueue_spread(conn, JobKind::CheckDns, &payloads, now, 600)?;
            Ok(ids.len())
        })
    })
}

/// The latest stored check of each kind (and selector) of `domain` (a name or an id in
/// `scope`; another tenant's is not found).
pub fn latest(
    db: &Db,
    scope: &crate::storage::TenantScope,
    domain: &str,
) -> StorageResult<Vec<DnsSnapshot>> {
    db.read(|conn| dns_snapshots::list_latest(conn, scope, domain))
}
