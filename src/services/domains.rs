//! Registering a domain: the one path the domain API (`POST /domains`) and the mail
//! intake's auto-registration (`services::intake`) share, so a domain registered either way
//! gets its first DNS check queued in the same transaction. And deleting one in batches
//! ([`delete_domain`]), so a large domain never holds the writer for long, all or nothing as
//! far as anyone can see: the domain is marked first and invisible from then on, and a
//! deletion a crash interrupted is finished by the retention sweep ([`finish_deleting`]).

use crate::domain::domain_name::DomainName;
use crate::domain::ids::{DomainId, TenantId};
use crate::domain::job::JobKind;
use crate::storage::domains::{self, Domain};
use crate::storage::{Db, DbConnection, StorageResult, TenantScope, jobs, now};

/// Registers `name` for `tenant` (in `scope`). With `check_dns` (periodic re-checks are on),
/// its DNS check (and then its evaluation) is queued in the same transaction, so the
/// background scheduler never sees the one without the other. Call inside `Db::write`.
pub fn register_domain(
    conn: &mut DbConnection,
    scope: &TenantScope,
    tenant: &TenantId,
    name: &DomainName,
    check_dns: bool,
) -> StorageResult<Domain> {
    domains::insert_domain_and(conn, scope, tenant, name, |conn, domain| {
        if check_dns {
            jobs::enqueue_unique(
                conn,
                Some(&domain.tenant_id),
                JobKind::CheckDns,
                &serde_json::json!({ "domain_id": domain.id }),
                now(),
            )?;
        }
        Ok(())
    })
}

/// One page of the domains `scope` sees, by name after `after`, at most `limit` (front doors
/// ask for one more than they show, to know whether a page follows).
pub fn list_domains(
    db: &crate::storage::Db,
    scope: &TenantScope,
    after: Option<&str>,
    limit: i64,
) -> StorageResult<Vec<Domain>> {
    db.read(|conn| domains::list_domains(conn, scope, after, limit))
}

/// Deletes a domain of the caller's scope with everything it holds. First, in one
/// transaction, the domain is marked as being deleted
/// ([`domains::mark_domain_deleting`]): from then on no read, list, aggregate or ingest sees
/// it, so a deletion cut short leaves no live domain with part of its data. Then
/// [`finish_deleting`] deletes the rest in batches.
pub fn delete_domain(db: &Db, scope: &TenantScope, name: &str) -> StorageResult<()> {
    let domain = db.write(|conn| domains::mark_domain_deleting(conn, scope, name, now()))?;
    finish_deleting(db, &domain.id, &domain.tenant_id)
}

/// Deletes what a domain marked as being deleted still holds: its records and its
/// per-source rollups first, in batches of `storage::retention` (one short transaction each,
/// so other tenants' writes go between them); the last transaction deletes its reports and
/// the domain, whose remaining rows (per-report rollups, snapshots, failure reports) cascade;
/// then the tenant's uploads no row uses any more. Every step can run again: a deletion
/// interrupted anywhere is finished by calling this again, which the retention sweep does
/// for every domain still marked (`services::retention::sweep`).
pub fn finish_deleting(db: &Db, id: &DomainId, tenant: &TenantId) -> StorageResult<()> {
    use crate::services::retention::BATCH;
    use crate::storage::retention as batch;
    let domain = id.as_str();
    for report in db.read(|conn| domains::list_domain_report_ids(conn, domain))? {
        while db.write(|conn| batch::delete_report_records(conn, &report, BATCH))? as i64 >= BATCH {
        }
    }
    while db.write(|conn| batch::delete_rollup_day(conn, domain, i64::MAX))? > 0 {}
    db.write(|conn| domains::finish_domain_deletion(conn, id))?;
    // The original uploads no other report or failure report of the tenant uses.
    while db.write(|conn| batch::delete_orphan_uploads(conn, tenant.as_str(), 100))? >= 100 {}
    Ok(())
}
