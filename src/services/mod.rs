//! Use cases, one module each, shared by every front door (`api`, `cli`) and by `jobs`:
//! they sequence the pure cores (`reports`, `dns`, `analysis`), `storage` and `outbound`.

pub mod aggregates;
pub mod branding;
pub mod digests;
pub mod dns_checks;
pub mod documents;
pub mod domains;
pub mod enrichment;
pub mod evaluation;
pub mod ingest;
pub mod intake;
pub mod issues;
pub mod mailboxes;
pub mod metrics;
pub mod portfolio;
pub mod query;
pub mod readiness;
pub mod records;
pub mod retention;
pub mod secrets;
pub mod webhooks;

/// The blocking task running a [`blocking`] closure was cancelled or panicked.
#[derive(Debug, thiserror::Error)]
#[error("blocking task failed: {0}")]
pub struct BlockingError(String);

impl From<BlockingError> for crate::storage::StorageError {
    fn from(e: BlockingError) -> Self {
        crate::storage::StorageError::Other(anyhow::Error::new(e))
    }
}

/// Runs blocking work (database, parsing) on the blocking thread pool, inside the current
/// tracing span, so its log lines keep the request's or the job's fields.
pub async fn blocking<T, E>(f: impl FnOnce() -> Result<T, E> + Send + 'static) -> Result<T, E>
where
    T: Send + 'static,
    E: From<BlockingError> + Send + 'static,
{
    let span = tracing::Span::current();
    match tokio::task::spawn_blocking(move || span.in_scope(f)).await {
        Ok(result) => result,
        Err(e) => Err(E::from(BlockingError(e.to_string()))),
    }
}
