//! The DNS re-check scheduler (no job kind): while re-checks are on, every
//! [`SCHEDULE_EVERY`] it gives each domain without a `check_dns` job one
//! (`services::dns_checks::schedule_rechecks`), spread over ten minutes.

use super::Context;
use crate::services::{blocking, dns_checks};
use crate::storage::now;
use std::sync::Arc;
use std::time::Duration;

/// How often domains without a scheduled re-check are looked for.
pub const SCHEDULE_EVERY: Duration = Duration::from_secs(60);

/// Runs until the runner stops.
pub async fn run(ctx: Arc<Context>) {
    loop {
        let db = ctx.db.clone();
        match blocking(move || dns_checks::schedule_rechecks(&db, now())).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(domains = n, "DNS re-checks scheduled"),
            Err(e) => tracing::warn!(error = %e, "scheduling DNS re-checks"),
        }
        tokio::time::sleep(SCHEDULE_EVERY).await;
    }
}
