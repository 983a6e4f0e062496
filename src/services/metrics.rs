//! Prometheus metrics of this instance, recorded by every front door, service and job, and
//! rendered in the text exposition format by `GET /metrics`:
//!
//! | metric | type | labels | what |
//! |---|---|---|---|
//! | `ruad_http_requests_total` | counter | method, route, status | HTTP requests |
//! | `ruad_http_request_duration_seconds` | histogram | method, route | HTTP latency |
//! | `ruad_reports_ingested_total` | counter | kind, outcome | reports found in uploads |
//! | `ruad_ingest_duration_seconds` | histogram | | time to ingest one upload (file, body or message), unpacking to last commit |
//! | `ruad_ingest_records` | histogram | kind | records per stored report (DMARC records, TLS policies); duplicates are not stored |
//! | `ruad_group_commit_batches_total` | counter | | transactions of the group commit (small reports written together) |
//! | `ruad_group_commit_units_total` | counter | | reports written by the group commit (per transaction: units / batches) |
//! | `ruad_retention_deleted_total` | counter | what | deleted by the retention sweep: `records`, `report_records`, `upload_bytes`, `uploads`, `failure_reports`, `reports`, `rollup_rows` |
//! | `ruad_database_up` | gauge | | whether the scrape could read the database |
//! | `ruad_jobs_queued` | gauge | kind | due jobs no instance holds, all instances (database) |
//! | `ruad_jobs_scheduled` | gauge | kind | jobs not due yet, all instances (database) |
//! | `ruad_jobs_leased` | gauge | kind | jobs held under a live lease, all instances (database) |
//! | `ruad_jobs_oldest_queued_age_seconds` | gauge | kind | how long the oldest queued job has been due (0: none) |
//! | `ruad_jobs_running` | gauge | kind | jobs this instance is running |
//! | `ruad_jobs_completed_total` | counter | kind | job runs that ended without error |
//! | `ruad_jobs_failures_total` | counter | kind | job runs that ended in an error (each is logged) |
//! | `ruad_jobs_retries_total` | counter | kind | job runs that were a retry (attempt 2 or later) |
//! | `ruad_jobs_leases_lost_total` | counter | kind | runs stopped because their lease was lost |
//! | `ruad_jobs_reclaimed_total` | counter | | stale leases of this instance freed at startup |
//! | `ruad_job_duration_seconds` | histogram | kind | time of one job run |
//! | `ruad_enrichment_lookups_total` | counter | outcome | source address lookups: `confirmed`, `unconfirmed`, `no_name`, `failed`, `timed_out` |
//! | `ruad_webhook_deliveries_total` | counter | outcome | delivery job runs: `succeeded`, `retry`, `failed`, `dropped`, `lease_lost` |
//! | `ruad_webhook_delivery_duration_seconds` | histogram | | time of one delivery attempt |
//! | `ruad_digests_total` | counter | outcome | digest mail attempts: `sent`, `retry` (a transient failure, tried again), `failed` (permanent, or out of attempts), `dropped` (digest deleted or disabled) |
//!
//! The `ruad_jobs_queued`, `_scheduled`, `_leased` and `_oldest_queued_age_seconds` gauges
//! are read from the job table at scrape time ([`QueueStats`]), so every instance reports the
//! same, true values; the others count what this instance did.

use crate::domain::job::JobKind;
use crate::storage::jobs::QueueStats;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::time::Duration;

/// HTTP latency buckets in seconds.
const BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

/// Records per report: a few for most, up to `max_records` (2,000,000 by default).
const RECORD_BUCKETS: &[f64] = &[
    1.0,
    5.0,
    10.0,
    50.0,
    100.0,
    500.0,
    1_000.0,
    5_000.0,
    10_000.0,
    50_000.0,
    100_000.0,
    500_000.0,
    2_000_000.0,
];

/// The report kinds of `ruad_ingest_records` (as stored, and as `ruad_reports_ingested_total`
/// names them).
const REPORT_KINDS: [&str; 2] = ["dmarc_aggregate", "tls_report"];

/// Job and delivery duration buckets in seconds (a job may take minutes).
const LONG_BUCKETS: &[f64] = &[
    0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0, 900.0,
];

struct Histogram {
    bounds: &'static [f64],
    counts: Vec<u64>,
    count: u64,
    sum: f64,
}

impl Histogram {
    fn new(bounds: &'static [f64]) -> Histogram {
        Histogram {
            bounds,
            counts: vec![0; bounds.len()],
            count: 0,
            sum: 0.0,
        }
    }

    fn observe(&mut self, value: f64) {
        self.count += 1;
        self.sum += value;
        for (i, bound) in self.bounds.iter().enumerate() {
            if value <= *bound {
                self.counts[i] += 1;
            }
        }
    }

    /// The `_bucket`, `_sum` and `_count` lines; `labels` is `a="b",` (trailing comma) or
    /// empty.
    fn render(&self, out: &mut String, name: &str, labels: &str) {
        for (i, bound) in self.bounds.iter().enumerate() {
            let _ = writeln!(
                out,
                "{name}_bucket{{{labels}le=\"{bound}\"}} {}",
                self.counts[i]
            );
        }
        let _ = writeln!(out, "{name}_bucket{{{labels}le=\"+Inf\"}} {}", self.count);
        let bare = match labels.trim_end_matches(',') {
            "" => String::new(),
            set => format!("{{{set}}}"),
        };
        let _ = writeln!(out, "{name}_sum{bare} {}", self.sum);
        let _ = writeln!(out, "{name}_count{bare} {}", self.count);
    }
}

/// What this instance's runner did with one kind of job.
struct JobCounters {
    running: i64,
    completed: u64,
    failures: u64,
    retries: u64,
    leases_lost: u64,
    duration: Histogram,
}

impl Default for JobCounters {
    fn default() -> Self {
        JobCounters {
            running: 0,
            completed: 0,
            failures: 0,
            retries: 0,
            leases_lost: 0,
            duration: Histogram::new(LONG_BUCKETS),
        }
    }
}

/// How one job run ended, for [`Metrics::job_finished`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobEnd {
    Completed,
    Failed,
    LeaseLost,
}

pub struct Metrics {
    requests: Mutex<BTreeMap<(String, String, u16), u64>>,
    latency: Mutex<BTreeMap<(String, String), Histogram>>,
    reports: Mutex<BTreeMap<(String, String), u64>>,
    ingest_duration: Mutex<Histogram>,
    ingest_records: Mutex<BTreeMap<String, Histogram>>,
    jobs: Mutex<BTreeMap<JobKind, JobCounters>>,
    reclaimed: Mutex<u64>,
    lookups: Mutex<BTreeMap<&'static str, u64>>,
    deliveries: Mutex<BTreeMap<&'static str, u64>>,
    delivery_latency: Mutex<Histogram>,
    /// Digest mails by outcome (`services::digests`).
    digests: Mutex<BTreeMap<&'static str, u64>>,
    /// Mail intake (`crate::smtp`): messages by protocol and reply code, and connections
    /// turned away by a limit.
    mail: Mutex<BTreeMap<(&'static str, u16), u64>>,
    mail_refused: Mutex<u64>,
    /// Rows and items the retention sweep deleted, by what (`services::retention`).
    retention: Mutex<BTreeMap<&'static str, u64>>,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics {
            requests: Mutex::default(),
            latency: Mutex::default(),
            reports: Mutex::default(),
            ingest_duration: Mutex::new(Histogram::new(LONG_BUCKETS)),
            ingest_records: Mutex::new(
                REPORT_KINDS
                    .into_iter()
                    .map(|k| (k.to_string(), Histogram::new(RECORD_BUCKETS)))
                    .collect(),
            ),
            jobs: Mutex::new(
                JobKind::ALL
                    .into_iter()
                    .map(|k| (k, JobCounters::default()))
                    .collect(),
            ),
            reclaimed: Mutex::default(),
            lookups: Mutex::default(),
            deliveries: Mutex::default(),
            digests: Mutex::default(),
            delivery_latency: Mutex::new(Histogram::new(LONG_BUCKETS)),
            mail: Mutex::default(),
            mail_refused: Mutex::default(),
            retention: Mutex::default(),
        }
    }
}

/// One value of a queue row at a time, for a per-kind gauge.
type QueueGauge = fn(&QueueStats, i64) -> i64;
/// One counter of this instance's runner, per kind.
type JobCounter = fn(&JobCounters) -> i64;

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn header(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} {kind}");
}

impl Metrics {
    pub fn observe(&self, method: &str, route: &str, status: u16, seconds: f64) {
        *lock(&self.requests)
            .entry((method.to_string(), route.to_string(), status))
            .or_default() += 1;
        lock(&self.latency)
            .entry((method.to_string(), route.to_string()))
            .or_insert_with(|| Histogram::new(BUCKETS))
            .observe(seconds);
    }

    /// Counts one report found in an upload: kind `dmarc_aggregate`/`tls_report`/`unknown`,
    /// outcome `stored`/`duplicate`/`conflict`/`rejected`.
    pub fn report(&self, kind: &str, outcome: &str) {
        *lock(&self.reports)
            .entry((kind.to_string(), outcome.to_string()))
            .or_default() += 1;
    }

    /// One upload ingested (unpacked, parsed and its reports committed) in `took`.
    pub fn ingest_duration(&self, took: Duration) {
        lock(&self.ingest_duration).observe(took.as_secs_f64());
    }

    /// One report of `kind` stored with `records` records (DMARC records, TLS policies).
    pub fn ingest_records(&self, kind: &str, records: i64) {
        lock(&self.ingest_records)
            .entry(kind.to_string())
            .or_insert_with(|| Histogram::new(RECORD_BUCKETS))
            .observe(records.max(0) as f64);
    }

    /// A job run of `kind` started (its `attempt`-th claim).
    pub fn job_started(&self, kind: JobKind, attempt: i32) {
        let mut jobs = lock(&self.jobs);
        let counters = jobs.entry(kind).or_default();
        counters.running += 1;
        if attempt > 1 {
            counters.retries += 1;
        }
    }

    /// A job run of `kind` ended after `took`.
    pub fn job_finished(&self, kind: JobKind, end: Option<JobEnd>, took: Duration) {
        let mut jobs = lock(&self.jobs);
        let counters = jobs.entry(kind).or_default();
        counters.running -= 1;
        counters.duration.observe(took.as_secs_f64());
        match end {
            Some(JobEnd::Completed) => counters.completed += 1,
            Some(JobEnd::Failed) => counters.failures += 1,
            Some(JobEnd::LeaseLost) => counters.leases_lost += 1,
            // Ended without an answer (the runner stopped).
            None => {}
        }
    }

    /// Stale leases of this instance freed at startup.
    pub fn jobs_reclaimed(&self, n: usize) {
        *lock(&self.reclaimed) += n as u64;
    }

    /// One source address looked up by enrichment (`outcome` as in the table above).
    pub fn enrichment_lookup(&self, outcome: &'static str) {
        *lock(&self.lookups).entry(outcome).or_default() += 1;
    }

    /// One delivery job run; `attempt`: how long the POST took, when one was made.
    pub fn webhook_delivery(&self, outcome: &'static str, attempt: Option<Duration>) {
        *lock(&self.deliveries).entry(outcome).or_default() += 1;
        if let Some(took) = attempt {
            lock(&self.delivery_latency).observe(took.as_secs_f64());
        }
    }

    /// One digest job run (`outcome` as in the table above).
    pub fn digest(&self, outcome: &'static str) {
        *lock(&self.digests).entry(outcome).or_default() += 1;
    }

    /// One message answered by the mail intake (`protocol`: `smtp` or `lmtp`; one per
    /// recipient in LMTP), by its reply code.
    pub fn mail_message(&self, protocol: &'static str, code: u16) {
        *lock(&self.mail).entry((protocol, code)).or_default() += 1;
    }

    /// `n` things of one kind deleted by the retention sweep.
    pub fn retention_deleted(&self, what: &'static str, n: u64) {
        if n > 0 {
            *lock(&self.retention).entry(what).or_default() += n;
        }
    }

    /// One mail connection turned away by a connection limit.
    pub fn mail_connection_refused(&self) {
        *lock(&self.mail_refused) += 1;
    }

    /// The exposition text; `queues`: the job table read at `now` for this scrape (`None`
    /// when the database could not be read); `group_commit`: the group commit's (batches,
    /// units) so far (`storage::Db::commit_stats`).
    pub fn render(
        &self,
        queues: Option<&[QueueStats]>,
        group_commit: (u64, u64),
        now: i64,
    ) -> String {
        let mut out = String::new();
        header(
            &mut out,
            "ruad_http_requests_total",
            "counter",
            "HTTP requests by method, route and status.",
        );
        for ((method, route, status), n) in lock(&self.requests).iter() {
            let _ = writeln!(
                out,
                "ruad_http_requests_total{{method=\"{method}\",route=\"{route}\",status=\"{status}\"}} {n}"
            );
        }
        header(
            &mut out,
            "ruad_http_request_duration_seconds",
            "histogram",
            "HTTP request latency.",
        );
        for ((method, route), h) in lock(&self.latency).iter() {
            h.render(
                &mut out,
                "ruad_http_request_duration_seconds",
                &format!("method=\"{method}\",route=\"{route}\","),
            );
        }
        header(
            &mut out,
            "ruad_reports_ingested_total",
            "counter",
            "Reports found in uploads by kind and outcome.",
        );
        for ((kind, outcome), n) in lock(&self.reports).iter() {
            let _ = writeln!(
                out,
                "ruad_reports_ingested_total{{kind=\"{kind}\",outcome=\"{outcome}\"}} {n}"
            );
        }
        header(
            &mut out,
            "ruad_ingest_duration_seconds",
            "histogram",
            "Time to ingest one upload, from unpacking to its last commit.",
        );
        lock(&self.ingest_duration).render(&mut out, "ruad_ingest_duration_seconds", "");
        header(
            &mut out,
            "ruad_ingest_records",
            "histogram",
            "Records per stored report by kind (DMARC records, TLS policies).",
        );
        for (kind, h) in lock(&self.ingest_records).iter() {
            h.render(
                &mut out,
                "ruad_ingest_records",
                &format!("kind=\"{kind}\","),
            );
        }
        let (batches, units) = group_commit;
        header(
            &mut out,
            "ruad_group_commit_batches_total",
            "counter",
            "Transactions of the group commit (small reports written together).",
        );
        let _ = writeln!(out, "ruad_group_commit_batches_total {batches}");
        header(
            &mut out,
            "ruad_group_commit_units_total",
            "counter",
            "Reports written by the group commit.",
        );
        let _ = writeln!(out, "ruad_group_commit_units_total {units}");
        self.render_jobs(&mut out, queues, now);
        header(
            &mut out,
            "ruad_enrichment_lookups_total",
            "counter",
            "Source address lookups of enrichment by outcome.",
        );
        for (outcome, n) in lock(&self.lookups).iter() {
            let _ = writeln!(
                out,
                "ruad_enrichment_lookups_total{{outcome=\"{outcome}\"}} {n}"
            );
        }
        header(
            &mut out,
            "ruad_webhook_deliveries_total",
            "counter",
            "Webhook delivery job runs by outcome.",
        );
        for (outcome, n) in lock(&self.deliveries).iter() {
            let _ = writeln!(
                out,
                "ruad_webhook_deliveries_total{{outcome=\"{outcome}\"}} {n}"
            );
        }
        header(
            &mut out,
            "ruad_webhook_delivery_duration_seconds",
            "histogram",
            "Time of one webhook delivery attempt.",
        );
        lock(&self.delivery_latency).render(&mut out, "ruad_webhook_delivery_duration_seconds", "");
        header(
            &mut out,
            "ruad_digests_total",
            "counter",
            "Digest mail attempts by outcome.",
        );
        for (outcome, n) in lock(&self.digests).iter() {
            let _ = writeln!(out, "ruad_digests_total{{outcome=\"{outcome}\"}} {n}");
        }
        header(
            &mut out,
            "ruad_mail_messages_total",
            "counter",
            "Messages answered by the SMTP/LMTP receiver, by protocol and reply code (per recipient in LMTP).",
        );
        for ((protocol, code), n) in lock(&self.mail).iter() {
            let _ = writeln!(
                out,
                "ruad_mail_messages_total{{protocol=\"{protocol}\",code=\"{code}\"}} {n}"
            );
        }
        header(
            &mut out,
            "ruad_mail_connections_refused_total",
            "counter",
            "Mail connections turned away by a connection limit (421).",
        );
        let _ = writeln!(
            out,
            "ruad_mail_connections_refused_total {}",
            *lock(&self.mail_refused)
        );
        header(
            &mut out,
            "ruad_retention_deleted_total",
            "counter",
            "What the retention sweep deleted: records, report_records (reports whose records went), upload_bytes, uploads, failure_reports, reports, rollup_rows.",
        );
        for (what, n) in lock(&self.retention).iter() {
            let _ = writeln!(out, "ruad_retention_deleted_total{{what=\"{what}\"}} {n}");
        }
        out
    }

    fn render_jobs(&self, out: &mut String, queues: Option<&[QueueStats]>, now: i64) {
        header(
            out,
            "ruad_database_up",
            "gauge",
            "Whether this scrape could read the database (1) or not (0).",
        );
        let _ = writeln!(out, "ruad_database_up {}", u8::from(queues.is_some()));
        if let Some(queues) = queues {
            let gauges: [(&str, &str, QueueGauge); 4] = [
                (
                    "ruad_jobs_queued",
                    "Due jobs that no instance holds, across all instances.",
                    |q, _| q.queued,
                ),
                (
                    "ruad_jobs_scheduled",
                    "Jobs not due yet, across all instances.",
                    |q, _| q.scheduled,
                ),
                (
                    "ruad_jobs_leased",
                    "Jobs held under a live lease, across all instances.",
                    |q, _| q.leased,
                ),
                (
                    "ruad_jobs_oldest_queued_age_seconds",
                    "How long the oldest queued job has been due (0 when none is queued).",
                    |q, now| q.oldest_due.map_or(0, |due| (now - due).max(0)),
                ),
            ];
            for (name, help, value) in gauges {
                header(out, name, "gauge", help);
                for q in queues {
                    let _ = writeln!(out, "{name}{{kind=\"{}\"}} {}", q.kind, value(q, now));
                }
            }
        }
        let jobs = lock(&self.jobs);
        let counters: [(&str, &str, &str, JobCounter); 5] = [
            (
                "ruad_jobs_running",
                "gauge",
                "Jobs this instance is running.",
                |c| c.running,
            ),
            (
                "ruad_jobs_completed_total",
                "counter",
                "Job runs that ended without error.",
                |c| c.completed as i64,
            ),
            (
                "ruad_jobs_failures_total",
                "counter",
                "Job runs that ended in an error (retried with backoff).",
                |c| c.failures as i64,
            ),
            (
                "ruad_jobs_retries_total",
                "counter",
                "Job runs that were a retry (the job's second or later claim).",
                |c| c.retries as i64,
            ),
            (
                "ruad_jobs_leases_lost_total",
                "counter",
                "Job runs stopped because their lease was lost.",
                |c| c.leases_lost as i64,
            ),
        ];
        for (name, kind, help, value) in counters {
            header(out, name, kind, help);
            for (job, c) in jobs.iter() {
                let _ = writeln!(out, "{name}{{kind=\"{job}\"}} {}", value(c));
            }
        }
        header(
            out,
            "ruad_jobs_reclaimed_total",
            "counter",
            "Stale leases of this instance freed at startup.",
        );
        let _ = writeln!(out, "ruad_jobs_reclaimed_total {}", *lock(&self.reclaimed));
        header(
            out,
            "ruad_job_duration_seconds",
            "histogram",
            "Time of one job run.",
        );
        for (job, c) in jobs.iter() {
            c.duration.render(
                out,
                "ruad_job_duration_seconds",
                &format!("kind=\"{job}\","),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn job_gauges_come_from_the_queue_read_at_scrape_time() {
        let metrics = Metrics::default();
        metrics.job_started(JobKind::DeliverWebhook, 2);
        metrics.job_finished(
            JobKind::DeliverWebhook,
            Some(JobEnd::Failed),
            Duration::from_millis(30),
        );
        metrics.job_started(JobKind::EnrichSources, 1);
        let queues = [QueueStats {
            kind: JobKind::EnrichSources,
            queued: 3,
            leased: 1,
            scheduled: 0,
            oldest_due: Some(900),
        }];
        let text = metrics.render(Some(&queues), (0, 0), 1000);
        for line in [
            "ruad_database_up 1",
            "ruad_jobs_queued{kind=\"enrich_sources\"} 3",
            "ruad_jobs_oldest_queued_age_seconds{kind=\"enrich_sources\"} 100",
            "ruad_jobs_running{kind=\"enrich_sources\"} 1",
            "ruad_jobs_running{kind=\"deliver_webhook\"} 0",
            "ruad_jobs_failures_total{kind=\"deliver_webhook\"} 1",
            "ruad_jobs_retries_total{kind=\"deliver_webhook\"} 1",
            "ruad_job_duration_seconds_bucket{kind=\"deliver_webhook\",le=\"0.05\"} 1",
            "ruad_job_duration_seconds_count{kind=\"deliver_webhook\"} 1",
        ] {
            assert!(text.contains(line), "{line} missing in:\n{text}");
        }
        let down = metrics.render(None, (0, 0), 1000);
        assert!(down.contains("ruad_database_up 0"));
        assert!(!down.contains("ruad_jobs_queued{"));
    }

    #[test]
    fn ingest_histograms_count_uploads_and_records_per_kind() {
        let metrics = Metrics::default();
        metrics.ingest_duration(Duration::from_millis(40));
        metrics.ingest_records("dmarc_aggregate", 3);
        metrics.ingest_records("dmarc_aggregate", 700);
        let text = metrics.render(None, (0, 0), 0);
        for line in [
            "ruad_ingest_duration_seconds_bucket{le=\"0.05\"} 1",
            "ruad_ingest_duration_seconds_count 1\n",
            "ruad_ingest_records_bucket{kind=\"dmarc_aggregate\",le=\"5\"} 1",
            "ruad_ingest_records_bucket{kind=\"dmarc_aggregate\",le=\"1000\"} 2",
            "ruad_ingest_records_sum{kind=\"dmarc_aggregate\"} 703",
            "ruad_ingest_records_count{kind=\"tls_report\"} 0",
        ] {
            assert!(text.contains(line), "{line} missing in:\n{text}");
        }
    }

    #[test]
    fn histograms_without_labels_render_bare_sums() {
        let metrics = Metrics::default();
        metrics.webhook_delivery("succeeded", Some(Duration::from_millis(200)));
        let text = metrics.render(None, (0, 0), 0);
        assert!(text.contains("ruad_webhook_deliveries_total{outcome=\"succeeded\"} 1"));

        assert!(text.contains("ruad_webhook_delivery_duration_seconds_bucket{le=\"0.25\"} 1"));
        assert!(text.contains("ruad_webhook_delivery_duration_seconds_count 1\n"));
    }

    #[test]
    fn digest_mails_are_counted_by_outcome() {
        let metrics = Metrics::default();
        metrics.digest("sent");
        metrics.digest("sent");
        metrics.digest("failed");
        let text = metrics.render(None, (0, 0), 0);
        assert!(
            text.contains("ruad_digests_total{outcome=\"sent\"} 2"),
            "{text}"
        );
        assert!(
            text.contains("ruad_digests_total{outcome=\"failed\"} 1"),
            "{text}"
        );
    }
}
