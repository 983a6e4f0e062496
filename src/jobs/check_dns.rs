//! `check_dns` (payload `{"domain_id": …}`): the periodic DNS re-check of one domain, which
//! queues an evaluation and the next re-check (`services::dns_checks::recheck`).

use super::{Context, Finished};
use crate::services::dns_checks;
use crate::storage::jobs::Job;
use crate::storage::now;

pub async fn run(ctx: &Context, job: &Job) -> anyhow::Result<Finished> {
    let domain_id = job.domain_id()?;
    dns_checks::recheck(
        &ctx.db,
        &ctx.checker,
        &domain_id,
        now(),
        ctx.settings.dns_recheck_interval,
        ctx.settings.evaluate_delay,
    )
    .await?;
    Ok(Finished::Complete)
}
