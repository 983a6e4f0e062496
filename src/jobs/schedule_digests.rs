//! The digest scheduler (no job kind): every `digest_schedule_every` it queues a
//! `send_digest` job for each enabled digest whose `next_run_at` has come, and moves
//! `next_run_at` to the following run in the same transaction
//! (`storage::digests::queue_due`). Every instance runs it; the conditional update there
//! makes one of them win each digest's run.

use super::Context;
use crate::services::blocking;
use crate::storage::digests;
use crate::storage::now;
use std::sync::Arc;

/// Runs until the runner stops.
pub async fn run(ctx: Arc<Context>) {
    loop {
        let db = ctx.db.clone();
        match blocking(move || db.write(|conn| digests::queue_due(conn, now()))).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(digests = n, "digests queued"),
            Err(e) => tracing::warn!(error = %e, "queueing due digests"),
        }
        tokio::time::sleep(ctx.settings.digest_schedule_every).await;
    }
}
