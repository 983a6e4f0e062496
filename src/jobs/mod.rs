//! Background work: the runner ([`runner`]) claims jobs from the shared job table
//! (`storage::jobs`) and runs each in its own task, so nothing on the upload path waits for
//! DNS or HTTP, and one slow job never holds up another. Several ruad instances can run
//! runners against one PostgreSQL; a job is held by one of them at a time, under a short
//! lease renewed by heartbeat.
//!
//! Each kind has its own limit of jobs running at once (`job_concurrency_*` settings), and
//! the runner claims per kind only as many jobs as that kind has free slots, so webhooks,
//! evaluations and DNS re-checks never queue behind enrichment. The kinds, each a thin call
//! into its service:
//!
//! | kind | file | enqueued by | does |
//! |---|---|---|---|
//! | `enrich_sources` | [`enrich_sources`] | every stored DMARC report | names the report's sources (`services::enrichment`), then queues the domain's evaluation |
//! | `evaluate_issues` | [`evaluate_issues`] | enrichment, TLS reports, DNS checks (one waiting per domain) | runs the issue rules over the domain (`services::evaluation`) |
//! | `check_dns` | [`check_dns`] | registration, [`schedule_dns_checks`] | runs and stores all DNS checks of a domain, queues an evaluation and the next re-check (`services::dns_checks`) |
//! | `deliver_webhook` | [`deliver_webhook`] | `storage::webhooks::emit` | one signed POST; records the attempt and reschedules or removes itself (`services::webhooks`) |
//! | `poll_mailbox` | [`poll_mailbox`] | mailbox creation or enabling, then itself | reads an IMAP mailbox's new messages into ingest, moves them, queues its next run (`services::mailboxes`) |
//! | `send_digest` | [`send_digest`] | [`schedule_digests`], `POST /digests/{id}/send` | renders a digest's HTML and PDF and mails them; records the attempt and reschedules or removes itself (`services::digests`) |
//!
//! [`schedule_dns_checks`] is no job kind: every minute, when re-checks are on, it gives each
//! domain without a `check_dns` job one. Nor is [`schedule_digests`]: every minute it queues
//! the digests whose next run has come.
//!
//! A job that fails with an error is logged (warn: kind, id, attempt, error), counted, and
//! retried with exponential backoff (60 s doubling, at most 6 h); webhook deliveries and
//! digests follow their own retry policy and settle themselves.

pub mod check_dns;
pub mod deliver_webhook;
pub mod enrich_sources;
pub mod evaluate_issues;
pub mod poll_mailbox;
pub mod runner;
pub mod schedule_digests;
pub mod schedule_dns_checks;
pub mod send_digest;
pub mod sweep_retention;

pub use runner::{Concurrency, Context, JobSettings, run};

use crate::domain::job::JobKind;
use crate::storage::jobs::{Job, Lease};

/// What is left to do for a job that ran without error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Finished {
    /// The runner removes it.
    Complete,
    /// The job removed or rescheduled itself, in the transaction that recorded its result.
    Settled,
    /// The job found its lease gone when it tried to settle: another instance has it.
    LeaseLost,
}

/// Runs one claimed job: the kinds table.
pub async fn dispatch(ctx: &Context, job: &Job, lease: &Lease) -> anyhow::Result<Finished> {
    match job.kind {
        JobKind::EnrichSources => enrich_sources::run(ctx, job).await,
        JobKind::EvaluateIssues => evaluate_issues::run(ctx, job).await,
        JobKind::CheckDns => check_dns::run(ctx, job).await,
        JobKind::DeliverWebhook => deliver_webhook::run(ctx, job, lease).await,
        JobKind::PollMailbox => poll_mailbox::run(ctx, job, lease).await,
        JobKind::SendDigest => send_digest::run(ctx, job, lease).await,
    }
}
