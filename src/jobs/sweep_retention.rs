//! The retention sweeper (no job kind): every `retention_sweep_every` it runs
//! `services::retention::sweep` for at most [`BUDGET`], which deletes what tenants' retention
//! settings let expire in small batches, after finishing any domain deletion a crash
//! interrupted; what is left waits for the next sweep.
//!
//! On PostgreSQL several instances may sweep at once: every deletion is idempotent and each
//! batch is its own short transaction, so they only share the work.

use super::Context;
use crate::services::{blocking, retention};
use crate::storage::now;
use std::sync::Arc;
use std::time::Duration;

/// How long one sweep may run.
pub const BUDGET: Duration = Duration::from_secs(60);

/// Runs until the runner stops.
pub async fn run(ctx: Arc<Context>) {
    // Not at startup: a restart loop must not turn into a deletion loop.
    tokio::time::sleep(Duration::from_secs(30).min(ctx.settings.retention_sweep_every)).await;
    loop {
        let (db, metrics) = (ctx.db.clone(), ctx.metrics.clone());
        match blocking(move || retention::sweep(&db, &metrics, now(), BUDGET)).await {
            Ok(swept)
                if swept
                    == retention::Swept {
                        done: true,
                        ..Default::default()
                    } => {}
            Ok(swept) => tracing::info!(?swept, "retention sweep"),
            Err(e) => tracing::warn!(error = %e, "retention sweep"),
        }
        tokio::time::sleep(ctx.settings.retention_sweep_every).await;
    }
}
