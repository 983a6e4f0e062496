//! The job runner: claim, lease, heartbeat, backoff, dispatch.
//!
//! - At start it frees the leases this instance left when it last died
//!   (`storage::jobs::release_stale_leases`), so their jobs run again at once.
//! - Dispatch: whenever a kind has free slots (its limit in [`Concurrency`] minus the jobs of
//!   that kind running here), the runner claims that many due jobs of the kind, under a lease
//!   of `lease` seconds recorded with this instance's id, and runs each in its own task. It
//!   claims again as soon as a job ends, and at least every `poll`.
//! - Heartbeat: every third of the lease, one write renews the leases of every job running
//!   here. A job whose lease was taken over (it lapsed and another instance claimed it), or
//!   whose lease lapsed while the database could not be reached, is stopped at once: a job
//!   never runs in two places at the same time for longer than that.
//! - End of a run: a job that completed is removed (only while its lease is held); a job that
//!   failed is logged at warn (kind, id, attempt, error), counted, and retried after
//!   60 s × 2^(attempt−1), at most 6 h; a panic counts as a failure.
//!
//! Metrics (`services::metrics`): running per kind, runs completed, failed, retried and
//! stopped for a lost lease, run durations, and leases freed at startup.

use super::{Finished, dispatch, schedule_digests, schedule_dns_checks, sweep_retention};
use crate::analysis::issues::Thresholds;
use crate::dns::checks::Checker;
use crate::domain::ids::JobId;
use crate::domain::job::JobKind;
use crate::outbound::webhook::Sender;
use crate::services::blocking;
use crate::services::digests::DigestSettings;
use crate::services::enrichment::EnrichSettings;
use crate::services::mailboxes::MailboxSettings;
use crate::services::metrics::{JobEnd, Metrics};
use crate::services::webhooks::WebhookSettings;
use crate::storage::jobs::{self, Job, Lease};
use crate::storage::{Db, StorageError, now};
use futures_util::FutureExt;
use std::collections::HashMap;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::Notify;
use tokio::task::AbortHandle;
use tracing::Instrument;

/// How many jobs of each kind one instance runs at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Concurrency {
    pub enrich_sources: usize,
    pub evaluate_issues: usize,
    pub check_dns: usize,
    pub deliver_webhook: usize,
    pub poll_mailbox: usize,
    pub send_digest: usize,
}

impl Default for Concurrency {
    fn default() -> Self {
        Concurrency {
            enrich_sources: 2,
            evaluate_issues: 2,
            check_dns: 4,
            deliver_webhook: 8,
            poll_mailbox: 4,
            send_digest: 2,
        }
    }
}

impl Concurrency {
    pub fn of(&self, kind: JobKind) -> usize {
        match kind {
            JobKind::EnrichSources => self.enrich_sources,
            JobKind::EvaluateIssues => self.evaluate_issues,
            JobKind::CheckDns => self.check_dns,
            JobKind::DeliverWebhook => self.deliver_webhook,
            JobKind::PollMailbox => self.poll_mailbox,
            JobKind::SendDigest => self.send_digest,
        }
    }
}

/// Runner and job settings.
#[derive(Debug, Clone)]
pub struct JobSettings {
    /// The id leases are recorded under (`instance_id`).
    pub instance_id: String,
    /// Seconds a claim holds a job without a heartbeat (`job_lease_seconds`).
    pub lease: i64,
    /// Longest pause between two claims while nothing ends.
    pub poll: Duration,
    /// Jobs of each kind running at once.
    pub concurrency: Concurrency,
    /// Seconds between DNS re-checks of each domain; 0 turns them off.
    pub dns_recheck_interval: i64,
    /// Seconds an evaluation waits after the data that queued it, so that a burst of reports
    /// is evaluated once.
    pub evaluate_delay: i64,
    /// The issue rules' thresholds.
    pub thresholds: Thresholds,
    /// Enrichment: lookups in flight, per-address timeout, how long names are kept.
    pub enrich: EnrichSettings,
    /// Webhook delivery: outbound rule, timeout and retry policy.
    pub webhooks: WebhookSettings,
    /// Mailbox polling: the secret key, IMAP connections, batch sizes, limits.
    pub mailboxes: MailboxSettings,
    /// Digest sending: the relay, the sender address and the retry policy.
    pub digests: DigestSettings,
    /// How often due digests are looked for.
    pub digest_schedule_every: Duration,
    /// How often the retention sweep runs; zero turns it off.
    pub retention_sweep_every: Duration,
}

impl Default for JobSettings {
    fn default() -> Self {
        JobSettings {
            instance_id: "ruad".into(),
            lease: 30,
            poll: Duration::from_millis(500),
            concurrency: Concurrency::default(),
            dns_recheck_interval: 86_400,
            evaluate_delay: 30,
            thresholds: Thresholds::default(),
            enrich: EnrichSettings::default(),
            webhooks: WebhookSettings::default(),
            mailboxes: MailboxSettings::default(),
            digests: DigestSettings::default(),
            digest_schedule_every: Duration::from_secs(60),
            retention_sweep_every: Duration::ZERO,
        }
    }
}

impl JobSettings {
    /// Time between two heartbeats: a third of the lease, so one lost beat does not lose it.
    pub fn heartbeat_every(&self) -> Duration {
        Duration::from_millis(u64::try_from(self.lease.max(1) * 1000 / 3).unwrap_or(1000))
    }
}

/// What every job is given.
pub struct Context {
    pub db: Db,
    /// DNS (enrichment, checks) and HTTPS (MTA-STS policies).
    pub checker: Checker,
    /// The webhook client, built once.
    pub sender: Sender,
    pub metrics: Arc<Metrics>,
    pub settings: JobSettings,
}

/// A job running in this instance.
struct Running {
    kind: JobKind,
    lease: Lease,
    /// When its lease lapses unless renewed (epoch seconds).
    until: i64,
    started: Instant,
    abort: Option<AbortHandle>,
}

#[derive(Default)]
struct Shared {
    running: Mutex<HashMap<JobId, Running>>,
    /// Signalled whenever a job ends, so its slot is filled at once.
    ended: Notify,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Shared {
    fn running_of(&self, kind: JobKind) -> usize {
        lock(&self.running)
            .values()
            .filter(|r| r.kind == kind)
            .count()
    }

    /// Accounts for the end of job `id` once, whoever sees it first (its task, or the
    /// heartbeat that stops it); returns its abort handle when this call ended it.
    fn end(&self, metrics: &Metrics, id: &JobId, end: Option<JobEnd>) -> Option<AbortHandle> {
        let running = lock(&self.running).remove(id)?;
        metrics.job_finished(running.kind, end, running.started.elapsed());
        self.ended.notify_one();
        running.abort
    }
}

/// Ends a job's accounting when its task ends in any way (also when it is aborted).
struct RunGuard {
    shared: Arc<Shared>,
    ctx: Arc<Context>,
    id: JobId,
    end: Option<JobEnd>,
}

impl Drop for RunGuard {
    fn drop(&mut self) {
        self.shared.end(&self.ctx.metrics, &self.id, self.end);
    }
}

/// Stops the runner's tasks when the runner itself is stopped (dropped).
struct Tasks {
    shared: Arc<Shared>,
    background: Vec<AbortHandle>,
}

impl Drop for Tasks {
    fn drop(&mut self) {
        for task in &self.background {
            task.abort();
        }
        for running in lock(&self.shared.running).values() {
            if let Some(abort) = &running.abort {
                abort.abort();
            }
        }
    }
}

/// Runs jobs until the process stops (or this future is dropped, which stops every job it
/// started).
pub async fn run(ctx: Arc<Context>) {
    let shared = Arc::new(Shared::default());
    release_stale_leases(&ctx).await;
    let mut tasks = Tasks {
        shared: shared.clone(),
        background: vec![tokio::spawn(heartbeat(ctx.clone(), shared.clone())).abort_handle()],
    };
    if ctx.settings.dns_recheck_interval > 0 {
        tasks
            .background
            .push(tokio::spawn(schedule_dns_checks::run(ctx.clone())).abort_handle());
    }
    tasks
        .background
        .push(tokio::spawn(schedule_digests::run(ctx.clone())).abort_handle());
    if !ctx.settings.retention_sweep_every.is_zero() {
        tasks
            .background
            .push(tokio::spawn(sweep_retention::run(ctx.clone())).abort_handle());
    }
    loop {
        let claimed = claim(&ctx, &shared).await;
        let any = !claimed.is_empty();
        for job in claimed {
            start(&ctx, &shared, job);
        }
        if !any {
            tokio::select! {
                () = tokio::time::sleep(ctx.settings.poll) => {}
                () = shared.ended.notified() => {}
            }
        }
    }
}

async fn release_stale_leases(ctx: &Context) {
    let (db, holder) = (ctx.db.clone(), ctx.settings.instance_id.clone());
    match blocking(move || db.write(|conn| jobs::release_stale_leases(conn, &holder))).await {
        Ok(0) => {}
        Ok(n) => {
            tracing::info!(jobs = n, instance = %ctx.settings.instance_id, "released the job leases of this instance's previous run");
            ctx.metrics.jobs_reclaimed(n);
        }
        Err(e) => tracing::warn!(error = %e, "releasing stale job leases"),
    }
}

/// Claims, per kind, as many due jobs as it has free slots.
async fn claim(ctx: &Context, shared: &Shared) -> Vec<Job> {
    let wanted: Vec<(JobKind, i64)> = JobKind::ALL
        .into_iter()
        .filter_map(|kind| {
            let free = ctx
                .settings
                .concurrency
                .of(kind)
                .saturating_sub(shared.running_of(kind));
            (free > 0).then(|| (kind, i64::try_from(free).unwrap_or(i64::MAX)))
        })
        .collect();
    if wanted.is_empty() {
        return Vec::new();
    }
    let (db, holder, lease) = (
        ctx.db.clone(),
        ctx.settings.instance_id.clone(),
        ctx.settings.lease,
    );
    let claimed = blocking(move || {
        db.write(|conn| {
            let mut all = Vec::new();
            for (kind, free) in wanted {
                all.extend(jobs::claim(conn, kind, &holder, now(), lease, free)?);
            }
            Ok::<_, StorageError>(all)
        })
    })
    .await;
    match claimed {
        Ok(jobs) => jobs,
        Err(e) => {
            tracing::warn!(error = %e, "claiming jobs");
            Vec::new()
        }
    }
}

/// Runs one claimed job in its own task.
fn start(ctx: &Arc<Context>, shared: &Arc<Shared>, job: Job) {
    let Some(lease) = job.lease() else {
        return;
    };
    ctx.metrics.job_started(job.kind, job.attempts);
    let id = job.id.clone();
    lock(&shared.running).insert(
        id.clone(),
        Running {
            kind: job.kind,
            lease: lease.clone(),
            until: job.locked_until.unwrap_or_else(now),
            started: Instant::now(),
            abort: None,
        },
    );
    let guard = RunGuard {
        shared: shared.clone(),
        ctx: ctx.clone(),
        id: id.clone(),
        end: None,
    };
    let task = tokio::spawn(run_one(guard, job, lease));
    // Unless it already ended.
    if let Some(entry) = lock(&shared.running).get_mut(&id) {
        entry.abort = Some(task.abort_handle());
    }
}

async fn run_one(mut guard: RunGuard, job: Job, lease: Lease) {
    let ctx = guard.ctx.clone();
    let span = tracing::info_span!("job", kind = %job.kind, job = %job.id, attempt = job.attempts);
    let result = AssertUnwindSafe(dispatch(&ctx, &job, &lease).instrument(span))
        .catch_unwind()
        .await
        .unwrap_or_else(|panic| {
            let why = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown".into());
            Err(anyhow::anyhow!("the job panicked: {why}"))
        });
    guard.end = Some(match result {
        Ok(Finished::Settled) => JobEnd::Completed,
        Ok(Finished::LeaseLost) => JobEnd::LeaseLost,
        Ok(Finished::Complete) => {
            let (db, held) = (ctx.db.clone(), lease.clone());
            match blocking(move || db.write(|conn| jobs::complete(conn, &held))).await {
                Ok(true) => JobEnd::Completed,
                Ok(false) => {
                    tracing::warn!(kind = %job.kind, job = %job.id, attempt = job.attempts, "job finished after its lease was lost; another run will redo it");
                    JobEnd::LeaseLost
                }
                Err(e) => {
                    // The lease lapses and the job runs again: jobs are idempotent.
                    tracing::warn!(kind = %job.kind, job = %job.id, attempt = job.attempts, error = %e, "removing a finished job");
                    JobEnd::Completed
                }
            }
        }
        Err(e) => {
            let error = format!("{e:#}");
            let retry_at = now() + backoff(job.attempts);
            tracing::warn!(
                kind = %job.kind, job = %job.id, attempt = job.attempts, %error, retry_at,
                "job failed"
            );
            let (db, held) = (ctx.db.clone(), lease.clone());
            let retried =
                blocking(move || db.write(|conn| jobs::retry(conn, &held, retry_at, &error))).await;
            if let Err(e) = retried {
                tracing::warn!(kind = %job.kind, job = %job.id, error = %e, "rescheduling a failed job");
            }
            JobEnd::Failed
        }
    });
}

/// Seconds before a failed job runs again after its `attempt`-th run.
pub fn backoff(attempt: i32) -> i64 {
    30i64
        .saturating_mul(1 << attempt.clamp(0, 10))
        .min(6 * 3600)
}

/// Renews the leases of the jobs running here, and stops those whose lease is gone.
async fn heartbeat(ctx: Arc<Context>, shared: Arc<Shared>) {
    loop {
        tokio::time::sleep(ctx.settings.heartbeat_every()).await;
        let leases: Vec<Lease> = lock(&shared.running)
            .values()
            .map(|r| r.lease.clone())
            .collect();
        if leases.is_empty() {
            continue;
        }
        let until = now() + ctx.settings.lease;
        let db = ctx.db.clone();
        let sent = leases.clone();
        let lost: Vec<Lease> =
            match blocking(move || db.write(|conn| jobs::heartbeat(conn, &sent, until))).await {
                Ok(renewed) => {
                    let mut running = lock(&shared.running);
                    for id in &renewed {
                        if let Some(r) = running.get_mut(id) {
                            r.until = until;
                        }
                    }
                    drop(running);
                    leases
                        .into_iter()
                        .filter(|l| !renewed.contains(&l.job_id))
                        .collect()
                }
                Err(e) => {
                    tracing::warn!(error = %e, jobs = leases.len(), "renewing job leases");
                    // A lease that lapsed unrenewed may be taken by another instance any moment.
                    let at = now();
                    lock(&shared.running)
                        .values()
                        .filter(|r| r.until < at)
                        .map(|r| r.lease.clone())
                        .collect()
                }
            };
        for lease in lost {
            let kind = lock(&shared.running).get(&lease.job_id).map(|r| r.kind);
            if let Some(abort) = shared.end(&ctx.metrics, &lease.job_id, Some(JobEnd::LeaseLost)) {
                abort.abort();
                tracing::warn!(
                    kind = %kind.map_or("?", JobKind::as_str), job = %lease.job_id,
                    attempt = lease.attempt, "job stopped: its lease was lost"
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failed_jobs_back_off_exponentially_up_to_six_hours() {
        let delays: Vec<i64> = (1..=11).map(backoff).collect();
        assert_eq!(
            delays,
            [
                60, 120, 240, 480, 960, 1920, 3840, 7680, 15360, 21600, 21600
            ]
        );
        assert_eq!(backoff(i32::MAX), 21600);
    }

    #[test]
    fn the_heartbeat_beats_three_times_per_lease() {
        let settings = JobSettings {
            lease: 30,
            ..JobSettings::default()
        };
        assert_eq!(settings.heartbeat_every(), Duration::from_secs(10));
        let short = JobSettings {
            lease: 1,
            ..JobSettings::default()
        };
        assert_eq!(short.heartbeat_every(), Duration::from_millis(333));
    }
}
