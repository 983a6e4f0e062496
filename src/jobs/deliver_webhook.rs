//! `deliver_webhook` (payload `{"delivery_id": …}`): one delivery attempt, which records
//! itself and reschedules or removes its job under the job's lease
//! (`services::webhooks::deliver`).

use super::{Context, Finished};
use crate::services::webhooks::{self, Delivered};
use crate::storage::jobs::{Job, Lease};

pub async fn run(ctx: &Context, job: &Job, lease: &Lease) -> anyhow::Result<Finished> {
    let delivered = webhooks::deliver(
        &ctx.db,
        &ctx.sender,
        &ctx.settings.webhooks,
        &ctx.metrics,
        job,
        lease,
    )
    .await?;
    Ok(match delivered {
        Delivered::LeaseLost => Finished::LeaseLost,
        _ => Finished::Settled,
    })
}
