//! The background worker: claims jobs from the shared job table and runs them, so that
//! nothing on the upload path waits for DNS. Several ruad instances can run workers against
//! one PostgreSQL; each job is claimed by one of them (see `storage::jobs`).
//!
//! Jobs:
//! - `enrich_sources` (enqueued with every stored DMARC report): forward-confirmed reverse DNS
//!   of each source address of the report whose cached names are missing or expired, looked
//!   up concurrently, and stored in `source_names` with the organizational domain of the
//!   confirmed name. Lookup failures are stored with a short expiry, so they are retried.
//! - `deliver_webhook` (enqueued per webhook delivery by `storage::webhooks::emit`): one
//!   signed POST; the job records the attempt and reschedules or removes itself, following the
//!   webhook retry policy (`crate::webhooks`).
//!
//! A job that fails with an error is retried with exponential backoff (30 s doubling, at
//! most 6 h).

use crate::dns::Resolver;
use crate::dns::checks::{self, organizational_domain};
use crate::storage::jobs::{self, DELIVER_WEBHOOK, ENRICH_SOURCES, Job};
use crate::storage::source_names::{self, SourceName};
use crate::storage::{Db, now};
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
    /// Webhook delivery: outbound rule, timeout and retry policy.
    pub webhooks: crate::webhooks::WebhookSettings,
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
            webhooks: crate::webhooks::WebhookSettings::default(),
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

/// Runs until the process stops.
pub async fn run(db: Db, resolver: Resolver, settings: WorkerSettings) {
    loop {
        match run_once(&db, &resolver, &settings).await {
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
    resolver: &Resolver,
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
            ENRICH_SOURCES => enrich_sources(db, resolver, settings, &job)
                .await
                .map(|()| Finished::Complete),
            DELIVER_WEBHOOK => crate::webhooks::deliver(db, resolver, &settings.webhooks, &job)
                .await
                .map(|()| Finished::Settled),
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

/// What is left to do for a job that ran without error.
enum Finished {
    /// The worker removes it.
    Complete,
    /// The job removed or rescheduled itself, in the transaction that recorded its result.
    Settled,
}

async fn enrich_sources(
    db: &Db,
    resolver: &Resolver,
    settings: &WorkerSettings,
    job: &Job,
) -> anyhow::Result<()> {
    let payload: serde_json::Value = serde_json::from_str(&job.payload)?;
    let report_id = payload["report_id"]
        .as_str()
        .ok_or_else(|| anyhow::anyhow!("payload has no report_id"))?
        .to_string();
    let ips = {
        let db = db.clone();
        blocking(move || Ok(db.read(|conn| jobs::ips_to_enrich(conn, &report_id, now()))?)).await?
    };
    // Store in slices, so a huge report's progress survives a restart.
    for slice in ips.chunks(1_000) {
        let rows: Vec<SourceName> = futures_util::stream::iter(slice.iter().cloned())
            .map(|ip| lookup(resolver, settings, ip))
            .buffer_unordered(settings.concurrency.max(1))
            .filter_map(|row| async move { row })
            .collect()
            .await;
        let db = db.clone();
        blocking(move || Ok(db.write(|conn| source_names::upsert(conn, &rows))?)).await?;
    }
    Ok(())
}

/// The names of one address; `None` when the stored value is not an IP address.
async fn lookup(resolver: &Resolver, settings: &WorkerSettings, ip: String) -> Option<SourceName> {
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
        },
        Err(e) => SourceName {
            ip,
            ptr_names: "[]".into(),
            confirmed_name: None,
            org_domain: None,
            lookup_error: Some(e.to_string()),
            checked_at,
            expires_at: checked_at + settings.failure_ttl,
        },
    })
}
