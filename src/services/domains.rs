//! Registering a domain: the one path the domain API (`POST /domains`) and the mail
//! intake's auto-registration (`services::intake`) share, so a domain registered either way
//! gets its first DNS check queued in the same transaction. And deleting one in batches
//! ([`delete_domain`]), so a large domain never holds the writer for long.

use crate::domain::domain_name::DomainName;
use crate::domain::ids::TenantId;
use crate::domain::job::JobKind;
use crate::storage::domains::{self, Domain};
use crate::storage::{DbConnection, StorageResult, TenantScope, jobs, now};

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

/// Deletes a domain of the caller's scope with everything it holds. Its records and its
/// per-source rollups go first, in batches of `storage::retention` (one short transaction
/// each, so other tenants' writes go between them); the last transaction deletes its reports
/// and the domain, whose remaining rows (per-report rollups, issues, snapshots) cascade.
pub fn delete_domain(
    db: &crate::storage::Db,
    scope: &TenantScope,
    name: &str,
) -> StorageResult<()> {
    use crate::services::retention::BATCH;
    use crate::storage::retention as batch;
    let domain = db.read(|conn| domains::get_domain_by_name(conn, scope, name))?;
    let id = domain.id.as_str().to_string();
    for report in db.read(|conn| domains::list_domain_report_ids(conn, &id))? {
        while db.write(|conn| batch::delete_report_records(conn, &report, BATCH))? as i64 >= BATCH {
        }
    }
    while db.write(|conn| batch::delete_rollup_day(conn, &id, i64::MAX))? > 0 {}
    db.write(|conn| domains::delete_domain(conn, scope, domain.id.as_str()))?;
    // The original uploads no other report or failure report of the tenant uses.
    let tenant = domain.tenant_id.as_str().to_string();
    while db.write(|conn| batch::delete_orphan_uploads(conn, &tenant, 100))? >= 100 {}
    Ok(())
}
