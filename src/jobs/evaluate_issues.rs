//! `evaluate_issues` (payload `{"domain_id": …}`): runs the issue rules over one domain and
//! updates its issues (`services::evaluation`).

use super::{Context, Finished};
use crate::services::{blocking, evaluation};
use crate::storage::jobs::Job;
use crate::storage::now;

pub async fn run(ctx: &Context, job: &Job) -> anyhow::Result<Finished> {
    let domain_id = job.domain_id()?;
    let (db, thresholds) = (ctx.db.clone(), ctx.settings.thresholds.clone());
    blocking(move || evaluation::evaluate_domain_id(&db, &domain_id, now(), &thresholds)).await?;
    Ok(Finished::Complete)
}
