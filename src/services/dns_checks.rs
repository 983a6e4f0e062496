//! All DNS checks of a registered domain, run now and stored as snapshots: used by
//! `POST /domains/{domain}/dns-checks` and by the periodic re-check job, so both check the
//! same things and store them the same way.

use crate::dns::Severity;
use crate::dns::checks::{self, CheckKind, Checker};
use crate::storage::dns_snapshots::{self, DnsSnapshot, NewSnapshot};
use crate::storage::domains::Domain;
use crate::storage::{Db, StorageError};

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
