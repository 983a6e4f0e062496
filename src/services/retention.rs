//! Retention: how long each tenant keeps its raw data and its rollups, and the sweep that
//! deletes what expired.
//!
//! # Settings
//! Two fields per tenant, each inherited on its own from the nearest tenant up the tree that
//! sets it (the tenant itself first); nobody setting a field keeps that data forever:
//! - `records_days`: raw data. The DMARC records and TLS policies of reports that ended more
//!   than this many days ago, the original uploads once all their reports are past it, and
//!   failure reports that arrived before it. The report rows stay (their summaries list and
//!   their rollups count), marked `records_expired_at`.
//! - `rollups_days`: everything else. Reports that ended before the cutoff, with their
//!   per-report rollups, and the per-source, per-day and per-month sums of the days before
//!   it. Rollups are kept in whole calendar months: the cutoff is the first day of the month
//!   `rollups_days` ago, so a month is never partly counted, and data stays at most a month
//!   longer than asked.
//!
//! `rollups_days` may not be shorter than `records_days` (the effective values are checked
//! when a tenant's own settings change).
//!
//! # The sweep
//! [`sweep`] first finishes the deletion of every domain still marked as being deleted
//! (`services::domains::delete_domain` marks it, then deletes in batches; a crash between
//! them leaves the mark, and the domain invisible, until the sweep is done with it). Then it
//! walks the tenants with an effective setting and deletes what expired in small
//! batches ([`BATCH`] rows, one transaction each, under the writer on SQLite), until nothing
//! is left or its time budget is spent (the next sweep goes on). Nothing is deleted before its
//! time: cutoffs are computed from `now` and the settings when the sweep starts. Each deletion
//! is counted in `/metrics` (`ruad_retention_deleted_total{what}`).
//!
//! Guards elsewhere keep the per-source rollups exact after a report's records are gone: such
//! a report cannot be deleted, nor replaced by a newer version (`services::ingest`,
//! `storage::reports::delete_report`), since what it added could no longer be recomputed.
//! A report that straddles the rollups cutoff keeps its records and can still be replaced or
//! deleted: before deleting any day the sweep raises each domain's boundary
//! (`domains.rollups_kept_from`) to the cutoff, and reports add to and subtract from the
//! per-source sums only from that day on, so nothing is subtracted from a deleted day.
//!
//! Must not depend on `api` or actix-web.

use crate::domain::days::month_start;
use crate::domain::ids::TenantId;
use crate::services::metrics::Metrics;
use crate::storage::retention as store;
use crate::storage::{Db, StorageError, StorageResult, TenantScope, domains, tenants};
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// Rows one sweep transaction deletes at most.
pub const BATCH: i64 = 5_000;

/// Reports read per step of the sweep.
const REPORTS_PER_STEP: i64 = 100;

/// The longest retention accepted (100 years).
pub const MAX_DAYS: i64 = 36_500;

/// One field of a tenant's effective settings, with the tenant that set it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inherited {
    pub days: i64,
    pub from: TenantId,
}

/// A tenant's settings: its own, and what applies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Retention {
    pub own_records_days: Option<i64>,
    pub own_rollups_days: Option<i64>,
    pub records: Option<Inherited>,
    pub rollups: Option<Inherited>,
    pub updated_at: Option<i64>,
}

/// Why settings were refused.
#[derive(Debug, thiserror::Error)]
pub enum RetentionError {
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// Resolves the fields of the tenant at `path` from every tenant's own settings.
fn resolve(
    path: &str,
    own: &HashMap<String, store::OwnRetention>,
) -> (Option<Inherited>, Option<Inherited>) {
    let mut records = None;
    let mut rollups = None;
    for id in crate::storage::branding::path_ancestors(path) {
        if let Some(o) = own.get(id) {
            if let Some(days) = o.records_days {
                records = Some(Inherited {
                    days,
                    from: TenantId::from(id),
                });
            }
            if let Some(days) = o.rollups_days {
                rollups = Some(Inherited {
                    days,
                    from: TenantId::from(id),
                });
            }
        }
    }
    (records, rollups)
}

fn own_map(
    conn: &mut crate::storage::DbConnection,
) -> StorageResult<HashMap<String, store::OwnRetention>> {
    Ok(store::list_own_retention(conn)?
        .into_iter()
        .map(|o| (o.tenant_id.clone(), o))
        .collect())
}

/// The settings of a tenant in the caller's scope.
pub fn get(db: &Db, scope: &TenantScope, tenant: &TenantId) -> StorageResult<Retention> {
    db.read(|conn| {
        let t = tenants::get_tenant(conn, scope, tenant)?;
        let own = own_map(conn)?;
        let (records, rollups) = resolve(&t.path, &own);
        let mine = own.get(tenant.as_str());
        Ok(Retention {
            own_records_days: mine.and_then(|o| o.records_days),
            own_rollups_days: mine.and_then(|o| o.rollups_days),
            records,
            rollups,
            updated_at: mine.map(|o| o.updated_at),
        })
    })
}

fn check_days(name: &str, days: Option<i64>) -> Result<(), RetentionError> {
    match days {
        Some(d) if !(1..=MAX_DAYS).contains(&d) => Err(RetentionError::Invalid(format!(
            "{name} must be between 1 and {MAX_DAYS}"
        ))),
        _ => Ok(()),
    }
}

/// Sets a tenant's own settings (`None` fields inherit); refused when the tenant would keep
/// rollups for less time than records, or a descendant would.
pub fn put(
    db: &Db,
    scope: &TenantScope,
    tenant: &TenantId,
    records_days: Option<i64>,
    rollups_days: Option<i64>,
    now: i64,
) -> Result<Retention, RetentionError> {
    check_days("records_days", records_days)?;
    check_days("rollups_days", rollups_days)?;
    db.write(|conn| {
        let t = tenants::get_tenant(conn, scope, tenant)?;
        let mut own = own_map(conn)?;
        own.insert(
            tenant.as_str().to_string(),
            store::OwnRetention {
                tenant_id: tenant.as_str().to_string(),
                records_days,
                rollups_days,
                updated_at: now,
            },
        );
        if let Err(why) = consistent(conn, tenant, &t.path, &own)? {
            return Ok(Err(why));
        }
        store::upsert_retention(conn, tenant, records_days, rollups_days, now)?;
        Ok(Ok(()))
    })??;
    Ok(get(db, scope, tenant)?)
}

/// Whether, with `own` as every tenant's own settings, the tenant at `path` and every tenant
/// below it keep rollups at least as long as records.
fn consistent(
    conn: &mut crate::storage::DbConnection,
    tenant: &TenantId,
    path: &str,
    own: &HashMap<String, store::OwnRetention>,
) -> StorageResult<Result<(), RetentionError>> {
    for (_, below) in store::list_tenant_paths(conn)? {
        if !below.split('/').any(|id| id == tenant.as_str()) {
            continue;
        }
        if let (Some(r), Some(u)) = resolve(&below, own)
            && u.days < r.days
        {
            let whose = if below == path {
                String::new()
            } else {
                format!(" for a tenant below (its path: {below})")
            };
            return Ok(Err(RetentionError::Invalid(format!(
                "rollups would be kept {} days and records {} days{whose}: rollups_days may not be shorter than records_days",
                u.days, r.days
            ))));
        }
    }
    Ok(Ok(()))
}

/// Removes a tenant's own settings (it inherits again); whether it had any. Refused when the
/// tenant or one below it would then keep rollups for less time than records.
pub fn delete(db: &Db, scope: &TenantScope, tenant: &TenantId) -> Result<bool, RetentionError> {
    db.write(|conn| {
        let t = tenants::get_tenant(conn, scope, tenant)?;
        let mut own = own_map(conn)?;
        own.remove(tenant.as_str());
        if let Err(why) = consistent(conn, tenant, &t.path, &own)? {
            return Ok(Err(why));
        }
        Ok(Ok(store::delete_retention(conn, tenant)?))
    })?
}

/// What one sweep deleted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Swept {
    /// DMARC records, TLS policies and failure details.
    pub records: u64,
    /// Reports whose records went (marked).
    pub reports_purged: u64,
    /// Uploads whose bytes went.
    pub uploads_purged: u64,
    pub failure_reports: u64,
    /// Reports deleted whole (their rollups expired).
    pub reports: u64,
    /// Per-day and per-month rollup rows.
    pub rollup_rows: u64,
    /// Uploads deleted (no report uses them any more).
    pub uploads: u64,
    /// Domains whose interrupted deletion the sweep finished.
    pub domains: u64,
    /// Whether everything that expired is gone (else the budget ran out first).
    pub done: bool,
}

/// Deletes what expired at `now` for every tenant with an effective setting, batch by batch,
/// until done or `budget` is spent.
pub fn sweep(db: &Db, metrics: &Metrics, now: i64, budget: Duration) -> StorageResult<Swept> {
    let started = Instant::now();
    let over = || started.elapsed() >= budget;
    let (paths, own) = db.read(|conn| Ok((store::list_tenant_paths(conn)?, own_map(conn)?)))?;
    let mut swept = Swept::default();
    // Deletions of domains that a crash (or a lost request) left unfinished, oldest first.
    for (domain, tenant) in db.read(domains::list_deleting_domains)? {
        if over() {
            return Ok(swept);
        }
        crate::services::domains::finish_deleting(db, &domain, &tenant)?;
        swept.domains += 1;
    }
    let today = now.div_euclid(86_400);
    for (tenant, path) in paths {
        let (records, rollups) = resolve(&path, &own);
        if let Some(r) = records {
            // A report ending at this midnight covers only the days before it.
            let cutoff = (today - r.days).saturating_mul(86_400);
            if !purge_raw(db, metrics, &tenant, cutoff, now, &mut swept, &over)? {
                return Ok(swept);
            }
        }
        if let Some(u) = rollups {
            let cutoff_day = month_start(today - u.days);
            if !expire_rollups(db, metrics, &tenant, cutoff_day, now, &mut swept, &over)? {
                return Ok(swept);
            }
        }
    }
    swept.done = true;
    Ok(swept)
}

/// Runs `step` (one short write transaction) until it deletes fewer than `full` rows; counts
/// each batch in `count` and in the metric `what`. With `budgeted`, stops early (`false`)
/// after a full batch once the budget is spent.
fn drain(
    db: &Db,
    metrics: &Metrics,
    what: &'static str,
    count: &mut u64,
    full: usize,
    over: Option<&dyn Fn() -> bool>,
    mut step: impl FnMut(&mut crate::storage::DbConnection) -> StorageResult<usize>,
) -> StorageResult<bool> {
    loop {
        let n = db.write(&mut step)?;
        *count += n as u64;
        metrics.retention_deleted(what, n as u64);
        if n < full {
            return Ok(true);
        }
        if over.is_some_and(|over| over()) {
            return Ok(false);
        }
    }
}

/// Marks the reports of a tenant that ended by `cutoff`, then deletes the records of
/// every marked one in batches until none is left (the mark comes first, so a report never
/// loses records while it may still be deleted or replaced; deleting until nothing is left,
/// so a sweep that stops half-way, or another instance sweeping too, leaves nothing behind).
/// `false` when the budget ran out.
fn purge_records(
    db: &Db,
    metrics: &Metrics,
    tenant: &str,
    cutoff: i64,
    now: i64,
    swept: &mut Swept,
    over: &impl Fn() -> bool,
) -> StorageResult<bool> {
    let step = REPORTS_PER_STEP as usize;
    if !drain(
        db,
        metrics,
        "report_records",
        &mut swept.reports_purged,
        step,
        Some(over),
        |c| store::mark_reports_to_purge(c, tenant, cutoff, now, REPORTS_PER_STEP),
    )? {
        return Ok(false);
    }
    loop {
        let reports =
            db.read(|c| store::list_marked_with_records(c, tenant, cutoff, REPORTS_PER_STEP))?;
        if reports.is_empty() {
            return Ok(true);
        }
        for id in reports {
            if !drain(
                db,
                metrics,
                "records",
                &mut swept.records,
                1,
                Some(over),
                |c| store::delete_report_records(c, &id, BATCH),
            )? {
                return Ok(false);
            }
        }
    }
}

/// Deletes the uploads of a tenant no row uses any more, in batches.
fn delete_orphans(
    db: &Db,
    metrics: &Metrics,
    tenant: &str,
    swept: &mut Swept,
) -> StorageResult<()> {
    drain(db, metrics, "uploads", &mut swept.uploads, 100, None, |c| {
        store::delete_orphan_uploads(c, tenant, 100)
    })?;
    Ok(())
}

/// Raw data of one tenant older than `cutoff` (Unix time); `false` when the budget ran out.
fn purge_raw(
    db: &Db,
    metrics: &Metrics,
    tenant: &str,
    cutoff: i64,
    now: i64,
    swept: &mut Swept,
    over: &impl Fn() -> bool,
) -> StorageResult<bool> {
    if !purge_records(db, metrics, tenant, cutoff, now, swept, over)? {
        return Ok(false);
    }
    if !drain(
        db,
        metrics,
        "upload_bytes",
        &mut swept.uploads_purged,
        100,
        Some(over),
        |c| store::purge_uploads(c, tenant, now, 100),
    )? {
        return Ok(false);
    }
    for domain in db.read(|c| store::list_tenant_domain_ids(c, tenant))? {
        let full = BATCH as usize;
        if !drain(
            db,
            metrics,
            "failure_reports",
            &mut swept.failure_reports,
            full,
            Some(over),
            |c| store::delete_failure_reports(c, &domain, cutoff, BATCH),
        )? {
            return Ok(false);
        }
    }
    delete_orphans(db, metrics, tenant, swept)?;
    Ok(!over())
}

/// Rollups of one tenant before `cutoff_day` (the first day of a month); `false` when the
/// budget ran out.
fn expire_rollups(
    db: &Db,
    metrics: &Metrics,
    tenant: &str,
    cutoff_day: i64,
    now: i64,
    swept: &mut Swept,
    over: &impl Fn() -> bool,
) -> StorageResult<bool> {
    let cutoff = cutoff_day.saturating_mul(86_400);
    // The records of the reports about to go, in batches, so that no report's delete
    // cascades over many rows at once.
    if !purge_records(db, metrics, tenant, cutoff, now, swept, over)? {
        return Ok(false);
    }
    let step = REPORTS_PER_STEP as usize;
    if !drain(
        db,
        metrics,
        "reports",
        &mut swept.reports,
        step,
        Some(over),
        |c| store::delete_expired_reports(c, tenant, cutoff, REPORTS_PER_STEP),
    )? {
        return Ok(false);
    }
    // The boundary first (committed before any day goes), so that a report straddling the
    // cutoff replaced or deleted meanwhile subtracts nothing from the days being deleted.
    db.write(|c| store::raise_rollup_boundary(c, tenant, cutoff_day))?;
    for domain in db.read(|c| store::list_tenant_domain_ids(c, tenant))? {
        if !drain(
            db,
            metrics,
            "rollup_rows",
            &mut swept.rollup_rows,
            1,
            Some(over),
            |c| store::delete_rollup_day(c, &domain, cutoff_day),
        )? {
            return Ok(false);
        }
    }
    delete_orphans(db, metrics, tenant, swept)?;
    Ok(!over())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn own(id: &str, records: Option<i64>, rollups: Option<i64>) -> (String, store::OwnRetention) {
        (
            id.to_string(),
            store::OwnRetention {
                tenant_id: id.to_string(),
                records_days: records,
                rollups_days: rollups,
                updated_at: 0,
            },
        )
    }

    #[test]
    fn each_field_comes_from_the_nearest_tenant_that_sets_it() {
        let settings: HashMap<_, _> = [
            own("root", Some(90), Some(730)),
            own("mssp", None, Some(365)),
            own("customer", Some(30), None),
        ]
        .into_iter()
        .collect();
        let (records, rollups) = resolve("/root/mssp/customer/", &settings);
        assert_eq!(
            records.unwrap(),
            Inherited {
                days: 30,
                from: TenantId::from("customer")
            }
        );
        assert_eq!(
            rollups.unwrap(),
            Inherited {
                days: 365,
                from: TenantId::from("mssp")
            }
        );
        let (records, rollups) = resolve("/root/mssp/", &settings);
        assert_eq!(records.unwrap().from, TenantId::from("root"));
        assert_eq!(rollups.unwrap().days, 365);
        assert_eq!(resolve("/other/", &settings), (None, None));
    }
}
