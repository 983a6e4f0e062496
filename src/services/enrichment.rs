//! Enrichment: the sending sources of a stored DMARC report named by forward-confirmed
//! reverse DNS (PTR, then the PTR names' addresses), run by the `enrich_sources` job.
//!
//! - Only addresses whose stored names are missing or expired are looked up, [`SLICE`] at a
//!   time, `concurrency` lookups in flight; each slice is stored before the next starts, so a
//!   huge report's progress survives a restart.
//! - Each address gets `lookup_timeout` (the DNS timeout) for all its queries together; an
//!   address still unanswered then is a failure like any other. A dead resolver therefore
//!   costs one timeout per address and slot, never more, and never holds up other kinds of
//!   job, which the runner runs beside this one.
//! - A name is stored with the organizational domain of the confirmed name, and kept for
//!   `names_ttl`. A failed lookup is stored with the error, a short expiry (`failure_ttl`, so
//!   it is retried) and the time of the first failure in a row (`failing_since`), which the
//!   issue rules compare with their grace period.
//! - When the report's sources are named, its domain is queued for evaluation
//!   `evaluate_delay` seconds later.

use super::blocking;
use super::metrics::Metrics;
use crate::dns::Resolver;
use crate::dns::checks::{confirm, organizational_domain};
use crate::dns::resolver::DnsError;
use crate::domain::ids::{ReportId, TenantId};
use crate::storage::source_names::{self, SourceName};
use crate::storage::{Db, StorageError, analysis_data, jobs, now};
use futures_util::StreamExt;
use std::collections::HashMap;
use std::time::Duration;

/// Addresses looked up and stored at a time.
pub const SLICE: usize = 1_000;

/// Enrichment settings.
#[derive(Debug, Clone)]
pub struct EnrichSettings {
    /// Lookups in flight at once (`enrich_concurrency`).
    pub concurrency: usize,
    /// Time allowed for all lookups of one address (`dns_timeout_ms`).
    pub lookup_timeout: Duration,
    /// How long names are kept before they are looked up again, in seconds.
    pub names_ttl: i64,
    /// How long a failed lookup is kept before it is tried again, in seconds.
    pub failure_ttl: i64,
    /// Seconds the evaluation queued afterwards waits (`evaluate_delay_seconds`).
    pub evaluate_delay: i64,
}

impl Default for EnrichSettings {
    fn default() -> Self {
        EnrichSettings {
            concurrency: 32,
            lookup_timeout: Duration::from_secs(3),
            names_ttl: 7 * 86_400,
            failure_ttl: 3_600,
            evaluate_delay: 30,
        }
    }
}

/// Names the sources of report `report_id` that need it, then queues the evaluation of its
/// domain (of tenant `tenant_id`). Returns how many addresses were looked up.
pub async fn enrich_report(
    db: &Db,
    resolver: &Resolver,
    settings: &EnrichSettings,
    metrics: &Metrics,
    report_id: &ReportId,
    tenant_id: Option<&TenantId>,
) -> Result<usize, StorageError> {
    let ips = {
        let (db, report_id) = (db.clone(), report_id.clone());
        blocking(move || db.read(|conn| jobs::ips_to_enrich(conn, &report_id, now()))).await?
    };
    for slice in ips.chunks(SLICE) {
        // The stored rows, so a failure carries forward since when lookups have been failing.
        let previous: HashMap<String, SourceName> = {
            let (db, slice) = (db.clone(), slice.to_vec());
            blocking(move || db.read(|conn| source_names::find_many(conn, &slice)))
                .await?
                .into_iter()
                .map(|row| (row.ip.clone(), row))
                .collect()
        };
        let mut rows: Vec<SourceName> = futures_util::stream::iter(slice.iter().cloned())
            .map(|ip| lookup(resolver, settings, metrics, ip))
            .buffer_unordered(settings.concurrency.max(1))
            .filter_map(|row| async move { row })
            .collect()
            .await;
        for row in &mut rows {
            if row.lookup_error.is_some() {
                row.failing_since = Some(source_names::failing_since(
                    previous.get(&row.ip),
                    row.checked_at,
                ));
            }
        }
        let db = db.clone();
        blocking(move || db.write(|conn| source_names::upsert(conn, &rows))).await?;
    }
    // The sources are named now: evaluate the report's domain.
    let (db, report_id, tenant_id) = (db.clone(), report_id.clone(), tenant_id.cloned());
    let delay = settings.evaluate_delay;
    blocking(move || {
        if let Some(domain_id) = db.read(|conn| analysis_data::report_domain(conn, &report_id))? {
            super::evaluation::queue(&db, tenant_id.as_ref(), &domain_id, now() + delay)?;
        }
        Ok::<_, StorageError>(())
    })
    .await?;
    Ok(ips.len())
}

/// The names of one address, looked up within `lookup_timeout`; `None` when the stored value
/// is not an IP address.
async fn lookup(
    resolver: &Resolver,
    settings: &EnrichSettings,
    metrics: &Metrics,
    ip: String,
) -> Option<SourceName> {
    let addr: std::net::IpAddr = ip.parse().ok()?;
    let resolver = resolver.with_deadline(tokio::time::Instant::now() + settings.lookup_timeout);
    let mut queries = Vec::new();
    let checked_at = now();
    let found = confirm(&resolver, addr, &mut queries).await;
    metrics.enrichment_lookup(match &found {
        Ok(c) if c.confirmed_name.is_some() => "confirmed",
        Ok(c) if !c.names.is_empty() => "unconfirmed",
        Ok(_) => "no_name",
        Err(DnsError::Failed { timeout: true, .. }) => "timed_out",
        Err(_) => "failed",
    });
    Some(match found {
        Ok(c) => SourceName {
            ip,
            ptr_names: serde_json::to_string(
                &c.names.iter().map(|n| n.name.as_str()).collect::<Vec<_>>(),
            )
            .unwrap_or_else(|_| "[]".into()),
            org_domain: c.confirmed_name.as_deref().map(organizational_domain),
            confirmed_name: c.confirmed_name,
            lookup_error: None,
            checked_at,
            expires_at: checked_at + settings.names_ttl,
            failing_since: None,
        },
        Err(e) => SourceName {
            ip,
            ptr_names: "[]".into(),
            confirmed_name: None,
            org_domain: None,
            lookup_error: Some(e.to_string()),
            checked_at,
            expires_at: checked_at + settings.failure_ttl,
            failing_since: Some(checked_at),
        },
    })
}
