//! Reading a domain's issues with their remediation, for the front doors that only read
//! (`ruad mcp`); the HTTP API's issue routes share the same storage query. Opening and
//! resolving issues is `services::evaluation`'s.

use crate::storage::issues::{IssueFilter, IssueRow, list_issues};
use crate::storage::{Db, StorageResult, TenantScope, domains};

/// The issues of `domain` (a name or an id in `scope`; another tenant's is not found) that
/// `filter` selects, each with its domain's name, most severe and most recent first.
pub fn list_domain_issues(
    db: &Db,
    scope: &TenantScope,
    domain: &str,
    mut filter: IssueFilter,
) -> StorageResult<Vec<(IssueRow, String)>> {
    db.read(|conn| {
        filter.domain_id = Some(domains::get_domain_by_name(conn, scope, domain)?.id);
        list_issues(conn, scope, &filter)
    })
}
