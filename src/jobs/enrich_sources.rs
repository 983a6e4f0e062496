//! `enrich_sources` (payload `{"report_id": …}`): names the sources of one stored report
//! (`services::enrichment`), which then queues the domain's evaluation.

use super::{Context, Finished};
use crate::services::enrichment;
use crate::storage::jobs::Job;

pub async fn run(ctx: &Context, job: &Job) -> anyhow::Result<Finished> {
    let report_id = job.report_id()?;
    enrichment::enrich_report(
        &ctx.db,
        &ctx.checker.resolver,
        &ctx.settings.enrich,
        &ctx.metrics,
        &report_id,
        job.tenant_id.as_ref(),
    )
    .await?;
    Ok(Finished::Complete)
}
