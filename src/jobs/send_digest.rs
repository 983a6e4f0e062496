//! `send_digest` (payload `{"delivery_id": …}`): renders and mails one digest delivery, and
//! records the attempt with the job's next step under its lease (`services::digests::send`).

use super::{Context, Finished};
use crate::services::digests::{self, Sent};
use crate::storage::jobs::{Job, Lease};

pub async fn run(ctx: &Context, job: &Job, lease: &Lease) -> anyhow::Result<Finished> {
    let sent = digests::send(&ctx.db, &ctx.settings.digests, &ctx.metrics, job, lease).await?;
    Ok(match sent {
        Sent::LeaseLost => Finished::LeaseLost,
        _ => Finished::Settled,
    })
}
