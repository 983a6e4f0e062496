//! The background worker: claims jobs from the shared job table and runs them, so that
//! nothing on the upload path waits for DNS. Several ruad instances can run workers against
//! one PostgreSQL; each job is claimed by one of them (see `storage::jobs`).
//!
//! Jobs:
//! - `enrich_sources` (enqueued with every stored DMARC report): forward-confirmed reverse DNS
//!   of each source address of the report whose cached names are missing or expired, looked
//!   up concurrently, and stored in `source_names` with the organizational domain of the
//!   confirmed name. Lookup failures are stored with a short expiry, so they are retried, and
//!   with the time of the first failure in a row (`failing_since`), which the issue rules
//!   compare with their grace period.
//! - `deliver_webhook` (enqueued per webhook delivery by `storage::webhooks::emit`): one
//!   signed POST; the job records the attempt and reschedules or removes itself, following the
//!   webhook retry policy (`crate::services::webhooks`).
//!
//!   When `enrich_sources` is done, the report's domain is queued for issue evaluation.
//! - `evaluate_issues` (queued after enrichment, after a TLS report, after DNS checks; at most
//!   one waiting per domain): runs the analysis rules over the domain's data and updates its
//!   issues (`evaluation`).
//! - `check_dns` (one per domain when periodic re-checks are on): runs all DNS checks of the
//!   domain, stores what changed, queues an evaluation, and queues itself again after the
//!   interval. The worker makes sure, at start, that every domain has one.
//!
//! A job that fails with an error is retried with exponential backoff (30 s doubling, at
//! most 6 h).

use crate::analysis::issues::Thresholds;
use crate::dns::checks::{self, Checker, organizational_domain};
use crate::storage::jobs::{
    self, CHECK_DNS, DELIVER_WEBHOOK, ENRICH_SOURCES, EVALUATE_ISSUES, Job,
};
use crate::storage::source_names::{self, SourceName};
use crate::storage::{Db, analysis_data, domains, now};
use futures_util::StreamExt;
use std::time::Duration;

/// Worker settings.
#[derive(Debug, Clone)]
pub struct WorkerSettings {
    /// DNS lookups in flight at once.
    pub concurrency: usize,
    /// Jobs claimed at a time.
    pub batch: i64,
    /// Pause when no job is due.
    pub idle: Duration,
    /// How long a claimed job is reserved for this worker, in seconds.
    pub lease: i64,
    /// How long names are kept before they are looked up again, in seconds.
    pub names_ttl: i64,
    /// How long a failed lookup is kept before it is tried again, in seconds.
    pub failure_ttl: i64,
    /// Seconds between DNS re-checks of each domain; 0 turns them off.
    pub dns_recheck_interval: i64,
    /// Seconds an evaluation waits after the data that queued it, so that a burst of reports
    /// is evaluated once.
    pub evaluate_delay: i64,
    /// The issue rules' thresholds.
    pub thresholds: Thresholds,
    /// Webhook delivery: outbound rule, timeout and retry policy.
    pub webhooks: crate::services::webhooks::WebhookSettings,
}

impl Default for WorkerSettings {
    fn default() -> Self {
        WorkerSettings {
            concurrency: 32,
            batch: 16,
            idle: Duration::from_secs(1),
            lease: 600,
            names_ttl: 7 * 86_400,
            failure_ttl: 3_600,
            dns_recheck_interval: 86_400,
            evaluate_delay: 30,
            thresholds: Thresholds::default(),
            webhooks: crate::services::webhooks::WebhookSettings::default(),
        }
    }
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> anyhow::Result<T> + Send + 'static,
) -> anyhow::Result<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| anyhow::anyhow!("worker task: {e}"))?
}

/// How often the worker looks for domains without a scheduled DNS re-check.
const SCHEDULE_EVERY: Duration = Duration::from_secs(60);

/// Runs until the process stops.
pub async fn run(db: Db, checker: Checker, settings: WorkerSettings) {
    let mut last_schedule: Option<std::time::Instant> = None;
    loop {
        if settings.dns_recheck_interval > 0
            && last_schedule.is_none_or(|t| t.elapsed() >= SCHEDULE_EVERY)
        {
            last_schedule = Some(std::time::Instant::now());
            let db = db.clone();
            if let Err(e) = blocking(move || Ok(schedule_dns_checks(&db)?)).await {
                tracing::warn!(error = %format!("{e:#}"), "scheduling DNS re-checks");
            }
        }
        match run_once(&db, &checker, &settings).await {
            Ok(0) => tokio::time::sleep(settings.idle).await,
            Ok(_) => {}
            Err(e) => {
                tracing::warn!(error = %format!("{e:#}"), "job worker");
                tokio::time::sleep(settings.idle).await;
            }
        }
    }
}

/// Claims and runs one batch of due jobs; returns how many it ran.
pub async fn run_once(
    db: &Db,
    checker: &Checker,
    settings: &WorkerSettings,
) -> anyhow::Result<usize> {
    let (lease, batch) = (settings.lease, settings.batch);
    let claimed = {
        let db = db.clone();
        blocking(move || Ok(db.write(|conn| jobs::claim(conn, now(), lease, batch))?)).await?
    };
    let n = claimed.len();
    for job in claimed {
        let outcome = match job.kind.as_str() {
            ENRICH_SOURCES => enrich_sources(db, &checker.resolver, settings, &job)
                .await
                .map(|()| Finished::Complete),
            EVALUATE_ISSUES => evaluate_issues(db, settings, &job)
                .await
                .map(|()| Finished::Complete),
            CHECK_DNS => check_dns(db, checker, settings, &job)
                .await
                .map(|()| Finished::Complete),
            DELIVER_WEBHOOK => {
                crate::services::webhooks::deliver(db, &checker.resolver, &settings.webhooks, &job)
                    .await
                    .map(|()| Finished::Settled)
            }
            other => Err(anyhow::anyhow!("unknown job kind '{other}'")),
        };
        let db = db.clone();
        match outcome {
            Ok(Finished::Settled) => {}
            Ok(Finished::Complete) => {
                blocking(move || Ok(db.write(|conn| jobs::complete(conn, &job.id))?)).await?;
            }
            Err(e) => {
                let error = format!("{e:#}");
                tracing::warn!(job = %job.id, kind = %job.kind, attempts = job.attempts, %error, "job failed");
                let backoff = 30i64
                    .saturating_mul(1 << job.attempts.clamp(0, 10))
                    .min(6 * 3600);
                let retry_at = now() + backoff;
                blocking(
                    move || Ok(db.write(|conn| jobs::retry(conn, &job.id, retry_at, &error))?),
                )
                .await?;
            }
        }
    }
    Ok(n)
}

/// Queues a `check_dns` job for every domain that has none (new domains, and every domain
/// when re-checks are first turned on), spread over ten minutes.
pub fn schedule_dns_checks(db: &Db) -> crate::storage::StorageResult<usize> {
    // Read and enqueue in one transaction under the writer: read apart, a domain registered
    // in between (its row committed, its first check not yet) was given a second check.
    db.write(|conn| {
        diesel::Connection::transaction(conn, |conn| {
            let ids = jobs::domains_without_job(conn, CHECK_DNS)?;
            let payloads: Vec<serde_json::Value> =
                ids.iter().map(|id| domain_payload(id)).collect();
            jobs::enqueue_spread(conn, CHECK_DNS, &payloads, now(), 600)?;
            Ok(ids.len())
        })
    })
}

fn domain_payload(domain_id: &str) -> serde_json::Value {
    serde_json::json!({ "domain_id": domain_id })
}

fn payload_str(job: &Job, key: &str) -> anyhow::Result<String> {
    let payload: serde_json::Value = serde_json::from_str(&job.payload)?;
    payload[key]
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| anyhow::anyhow!("payload has no {key}"))
}

/// What is left to do for a job that ran without error.
enum Finished {
    /// The worker removes it.
    Complete,
    /// The job removed or rescheduled itself, in the transaction that recorded its result.
    Settled,
}

/// Queues an evaluation of `domain_id` unless one is already waiting.
fn queue_evaluation(
    db: &Db,
    tenant_id: Option<&str>,
    domain_id: &str,
    run_at: i64,
) -> anyhow::Result<()> {
    db.write(|conn| {
        jobs::enqueue_unique(
            conn,
            tenant_id,
            EVALUATE_ISSUES,
            &domain_payload(domain_id),
            run_at,
        )
    })?;
    Ok(())
}

async fn evaluate_issues(db: &Db, settings: &WorkerSettings, job: &Job) -> anyhow::Result<()> {
    let domain_id = payload_str(job, "domain_id")?;
    let (db, thresholds) = (db.clone(), settings.thresholds.clone());
    blocking(move || {
        // A deleted domain has nothing to evaluate.
        let Some(domain) = db.read(|conn| domains::find_domain_by_id(conn, &domain_id))? else {
            return Ok(());
        };
        let (evaluation, changes) =
            crate::services::evaluation::evaluate(&db, &domain, now(), &thresholds)?;
        tracing::info!(
            domain = %domain.name,
            issues = evaluation.issues.len(),
            opened = changes.opened.len(),
            resolved = changes.resolved.len(),
            "issues evaluated"
        );
        Ok(())
    })
    .await
}

async fn check_dns(
    db: &Db,
    checker: &Checker,
    settings: &WorkerSettings,
    job: &Job,
) -> anyhow::Result<()> {
    let domain_id = payload_str(job, "domain_id")?;
    let found = {
        let (db, id) = (db.clone(), domain_id.clone());
        blocking(move || Ok(db.read(|conn| domains::find_domain_by_id(conn, &id))?)).await?
    };
    let Some(domain) = found else {
        return Ok(());
    };
    // The selectors checked last time are checked again.
    let selectors = {
        let (db, id) = (db.clone(), domain.id.clone());
        blocking(move || {
            Ok(db.read(|conn| crate::storage::dns_snapshots::latest_for_domain(conn, &id))?)
        })
        .await?
    };
    let selectors = crate::services::dns_checks::Selectors {
        dkim: selectors
            .iter()
            .filter(|s| s.kind == "dkim")
            .map(|s| s.selector.clone())
            .collect(),
        bimi: selectors
            .iter()
            .find(|s| s.kind == "bimi")
            .map(|s| s.selector.clone()),
    };
    crate::services::dns_checks::run_and_store(db, checker, &domain, &selectors, now(), true)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let (db, interval, delay) = (
        db.clone(),
        settings.dns_recheck_interval,
        settings.evaluate_delay,
    );
    blocking(move || {
        queue_evaluation(&db, Some(&domain.tenant_id), &domain.id, now() + delay)?;
        if interval > 0 {
            // This job is still in the table (it is removed when this returns), so the next
            // one is added without the uniqueness check.
            db.write(|conn| {
                jobs::enqueue(
                    conn,
                    Some(&domain.tenant_id),
                    CHECK_DNS,
                    &domain_payload(&domain.id),
                    now() + interval,
                )
            })?;
        }
        Ok(())
    })
    .await
}

async fn enrich_sources(
    db: &Db,
    resolver: &crate::dns::Resolver,
    settings: &WorkerSettings,
    job: &Job,
) -> anyhow::Result<()> {
    let report_id = payload_str(job, "report_id")?;
    let job_tenant = job.tenant_id.clone();
    let ips = {
        let (db, report_id) = (db.clone(), report_id.clone());
        blocking(move || Ok(db.read(|conn| jobs::ips_to_enrich(conn, &report_id, now()))?)).await?
    };
    // Store in slices, so a huge report's progress survives a restart.
    for slice in ips.chunks(1_000) {
        // The stored rows, so a failure carries forward since when lookups have been failing.
        let previous: std::collections::HashMap<String, SourceName> = {
            let (db, slice) = (db.clone(), slice.to_vec());
            blocking(move || Ok(db.read(|conn| source_names::find_many(conn, &slice))?))
                .await?
                .into_iter()
                .map(|row| (row.ip.clone(), row))
                .collect()
        };
        let mut rows: Vec<SourceName> = futures_util::stream::iter(slice.iter().cloned())
            .map(|ip| lookup(resolver, settings, ip))
            .buffer_unordered(settings.concurrency.max(1))
            .filter_map(|row| async move { row })
            .collect()
            .await;
        for row in &mut rows {
            if row.lookup_error.is_some() {
                row.failing_since = Some(source_names::failing_since(
                    previous.get(&row.ip),
                    row.checked_at,
                ));
            }
        }
        let db = db.clone();
        blocking(move || Ok(db.write(|conn| source_names::upsert(conn, &rows))?)).await?;
    }
    // The sources are named now: evaluate the report's domain.
    let (db, delay) = (db.clone(), settings.evaluate_delay);
    blocking(move || {
        if let Some(domain_id) = db.read(|conn| analysis_data::report_domain(conn, &report_id))? {
            queue_evaluation(&db, job_tenant.as_deref(), &domain_id, now() + delay)?;
        }
        Ok(())
    })
    .await
}

/// The names of one address; `None` when the stored value is not an IP address.
async fn lookup(
    resolver: &crate::dns::Resolver,
    settings: &WorkerSettings,
    ip: String,
) -> Option<SourceName> {
    let addr: std::net::IpAddr = ip.parse().ok()?;
    let mut queries = Vec::new();
    let checked_at = now();
    Some(match checks::confirm(resolver, addr, &mut queries).await {
        Ok(c) => SourceName {
            ip,
            ptr_names: serde_json::to_string(
                &c.names.iter().map(|n| n.name.as_str()).collect::<Vec<_>>(),
            )
            .unwrap_or_else(|_| "[]".into()),
            org_domain: c.confirmed_name.as_deref().map(organizational_domain),
            confirmed_name: c.confirmed_name,
            lookup_error: None,
            checked_at,
            expires_at: checked_at + settings.names_ttl,
            failing_since: None,
        },
        Err(e) => SourceName {
            ip,
            ptr_names: "[]".into(),
            confirmed_name: None,
            org_domain: None,
            lookup_error: Some(e.to_string()),
            checked_at,
            expires_at: checked_at + settings.failure_ttl,
            failing_since: Some(checked_at),
        },
    })
}
