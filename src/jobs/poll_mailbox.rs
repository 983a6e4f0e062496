//! `poll_mailbox` (payload `{"mailbox_id": …}`): one run over an IMAP mailbox, which reads
//! its new messages into the ingest service and queues its own next run in the transaction
//! that removes it (`services::mailboxes::poll`). One job exists per enabled mailbox, and the
//! runner's lease keeps it on one instance at a time, so a mailbox is never polled twice at
//! once.

use super::{Context, Finished};
use crate::services::mailboxes::{self, PollContext, Polled};
use crate::storage::jobs::{Job, Lease};

pub async fn run(ctx: &Context, job: &Job, lease: &Lease) -> anyhow::Result<Finished> {
    let poll = PollContext {
        db: &ctx.db,
        resolver: &ctx.checker.resolver,
        metrics: &ctx.metrics,
        settings: &ctx.settings.mailboxes,
    };
    Ok(match mailboxes::poll(&poll, job, lease).await? {
        Polled::Settled => Finished::Settled,
        Polled::Gone => Finished::Complete,
        Polled::LeaseLost => Finished::LeaseLost,
    })
}
