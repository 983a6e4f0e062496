//! Registering a domain: the one path the domain API (`POST /domains`) and the mail
//! intake's auto-registration (`services::intake`) share, so a domain registered either way
//! gets its first DNS check queued in the same transaction.

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
