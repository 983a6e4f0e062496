//! Retention: tenants' own settings (`tenant_retention`) and the small deletions the sweep
//! (`services::retention`) is made of. Every deletion here touches a bounded number of rows
//! (its `limit`), so the caller runs each in a short transaction of its own and the writer
//! is never held for long.
//!
//! - Raw data: a report's DMARC records or TLS policies and failure details go
//!   ([`delete_report_records`]) and the report is marked ([`mark_records_purged`]); an upload
//!   whose reports are all marked loses its bytes ([`purge_uploads`]); failure reports go
//!   whole ([`delete_failure_reports`]).
//! - Rollups go by whole calendar months: the reports that ended before the cutoff (their
//!   per-report rollups with them, [`delete_expired_reports`]), then the per-day and
//!   per-month sums of the days before it ([`delete_rollup_day`]), then the uploads no row
//!   uses any more ([`delete_orphan_uploads`]).
//!
//! Must not depend on `services` or `api`.

use super::schema::{tenant_retention, tenants};
use super::{DbConnection, StorageResult, sql};
use crate::domain::ids::TenantId;
use crate::storage::write_transaction;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Binary, Text};

/// A tenant's own settings (a field left `None` is inherited).
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = tenant_retention)]
pub struct OwnRetention {
    pub tenant_id: String,
    pub records_days: Option<i64>,
    pub rollups_days: Option<i64>,
    pub updated_at: i64,
}

pub fn find_own_retention(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
) -> StorageResult<Option<OwnRetention>> {
    Ok(tenant_retention::table
        .filter(tenant_retention::tenant_id.eq(tenant_id.as_str()))
        .select(OwnRetention::as_select())
        .first(conn)
        .optional()?)
}

/// Every tenant's own settings (the sweep resolves inheritance from these).
pub fn list_own_retention(conn: &mut DbConnection) -> StorageResult<Vec<OwnRetention>> {
    Ok(tenant_retention::table
        .select(OwnRetention::as_select())
        .load(conn)?)
}

/// Every tenant's id and path (ancestors first, `/`-separated ids).
pub fn list_tenant_paths(conn: &mut DbConnection) -> StorageResult<Vec<(String, String)>> {
    Ok(tenants::table
        .select((tenants::id, tenants::path))
        .load(conn)?)
}

pub fn upsert_retention(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    records_days: Option<i64>,
    rollups_days: Option<i64>,
    now: i64,
) -> StorageResult<()> {
    write_transaction(conn, |conn| {
        diesel::delete(
            tenant_retention::table.filter(tenant_retention::tenant_id.eq(tenant_id.as_str())),
        )
        .execute(conn)?;
        diesel::insert_into(tenant_retention::table)
            .values((
                tenant_retention::tenant_id.eq(tenant_id.as_str()),
                tenant_retention::records_days.eq(records_days),
                tenant_retention::rollups_days.eq(rollups_days),
                tenant_retention::updated_at.eq(now),
            ))
            .execute(conn)?;
        Ok(())
    })
}

/// Removes a tenant's own settings; whether it had any.
pub fn delete_retention(conn: &mut DbConnection, tenant_id: &TenantId) -> StorageResult<bool> {
    Ok(diesel::delete(
        tenant_retention::table.filter(tenant_retention::tenant_id.eq(tenant_id.as_str())),
    )
    .execute(conn)?
        > 0)
}

#[derive(QueryableByName)]
struct Expired {
    #[diesel(sql_type = Text)]
    id: String,
}

/// Marks up to `limit` reports of a tenant that ended by `before` (Unix time) as having lost
/// their records, before any record goes: from then on nothing may delete or replace them
/// (their share of the per-source sums could no longer be recomputed). The reports marked.
pub fn mark_reports_to_purge(
    conn: &mut DbConnection,
    tenant_id: &str,
    before: i64,
    now: i64,
    limit: i64,
) -> StorageResult<usize> {
    let text = "UPDATE reports SET records_purged_at = ? WHERE id IN (SELECT id FROM reports \
                WHERE tenant_id = ? AND end_ts <= ? AND records_purged_at IS NULL LIMIT ?)";
    Ok(diesel::sql_query(sql(conn, text))
        .bind::<BigInt, _>(now)
        .bind::<Text, _>(tenant_id)
        .bind::<BigInt, _>(before)
        .bind::<BigInt, _>(limit)
        .execute(conn)?)
}

/// Marked reports of a tenant that ended by `before` and still hold records, policies or
/// failure details, at most `limit`.
pub fn list_marked_with_records(
    conn: &mut DbConnection,
    tenant_id: &str,
    before: i64,
    limit: i64,
) -> StorageResult<Vec<String>> {
    let text = "SELECT r.id FROM reports r WHERE r.tenant_id = ? AND r.end_ts <= ? \
                AND r.records_purged_at IS NOT NULL \
                AND (EXISTS (SELECT 1 FROM dmarc_records d WHERE d.report_id = r.id) \
                     OR EXISTS (SELECT 1 FROM tls_policies p WHERE p.report_id = r.id)) \
                LIMIT ?";
    let rows: Vec<Expired> = diesel::sql_query(sql(conn, text))
        .bind::<Text, _>(tenant_id)
        .bind::<BigInt, _>(before)
        .bind::<BigInt, _>(limit)
        .load(conn)?;
    Ok(rows.into_iter().map(|r| r.id).collect())
}

/// Deletes up to `limit` of a report's records (DMARC) or all its policies and failure
/// details (TLS: a few rows); the rows deleted.
pub fn delete_report_records(
    conn: &mut DbConnection,
    report_id: &str,
    limit: i64,
) -> StorageResult<usize> {
    let text = "DELETE FROM dmarc_records WHERE report_id = ? AND seq IN \
                (SELECT seq FROM dmarc_records WHERE report_id = ? ORDER BY seq LIMIT ?)";
    let mut deleted = diesel::sql_query(sql(conn, text))
        .bind::<Text, _>(report_id)
        .bind::<Text, _>(report_id)
        .bind::<BigInt, _>(limit)
        .execute(conn)?;
    // TLS: failure details first (they refer to their policy), each bounded.
    let text = "DELETE FROM tls_failures WHERE report_id = ? AND (policy_seq, seq) IN \
                (SELECT policy_seq, seq FROM tls_failures WHERE report_id = ? LIMIT ?)";
    deleted += diesel::sql_query(sql(conn, text))
        .bind::<Text, _>(report_id)
        .bind::<Text, _>(report_id)
        .bind::<BigInt, _>(limit)
        .execute(conn)?;
    if deleted == 0 {
        let text = "DELETE FROM tls_policies WHERE report_id = ? AND seq IN \
                    (SELECT seq FROM tls_policies WHERE report_id = ? LIMIT ?)";
        deleted += diesel::sql_query(sql(conn, text))
            .bind::<Text, _>(report_id)
            .bind::<Text, _>(report_id)
            .bind::<BigInt, _>(limit)
            .execute(conn)?;
    }
    Ok(deleted)
}

/// Empties up to `limit` uploads of a tenant whose reports have all lost their records; the
/// uploads emptied.
pub fn purge_uploads(
    conn: &mut DbConnection,
    tenant_id: &str,
    now: i64,
    limit: i64,
) -> StorageResult<usize> {
    let text = "UPDATE uploads SET data = ?, purged_at = ? WHERE id IN ( \
                  SELECT u.id FROM uploads u WHERE u.tenant_id = ? AND u.purged_at IS NULL \
                  AND EXISTS (SELECT 1 FROM reports r WHERE r.upload_id = u.id) \
                  AND NOT EXISTS (SELECT 1 FROM reports r WHERE r.upload_id = u.id \
                                  AND r.records_purged_at IS NULL) \
                  LIMIT ?)";
    Ok(diesel::sql_query(sql(conn, text))
        .bind::<Binary, _>(Vec::<u8>::new())
        .bind::<BigInt, _>(now)
        .bind::<Text, _>(tenant_id)
        .bind::<BigInt, _>(limit)
        .execute(conn)?)
}

/// Deletes up to `limit` failure reports of a domain that arrived before `before`.
pub fn delete_failure_reports(
    conn: &mut DbConnection,
    domain_id: &str,
    before: i64,
    limit: i64,
) -> StorageResult<usize> {
    let text = "DELETE FROM failure_reports WHERE id IN (SELECT id FROM failure_reports \
                WHERE domain_id = ? AND arrival_ts < ? LIMIT ?)";
    Ok(diesel::sql_query(sql(conn, text))
        .bind::<Text, _>(domain_id)
        .bind::<BigInt, _>(before)
        .bind::<BigInt, _>(limit)
        .execute(conn)?)
}

/// Deletes up to `limit` reports of a tenant that ended by `before` (Unix time), with
/// whatever records and per-report rollups they still hold; the reports deleted.
pub fn delete_expired_reports(
    conn: &mut DbConnection,
    tenant_id: &str,
    before: i64,
    limit: i64,
) -> StorageResult<usize> {
    // Records first, so each report's delete cascades over few rows (the caller purged
    // them already, in batches, unless their retention is longer than the rollups').
    let text = "DELETE FROM reports WHERE id IN (SELECT id FROM reports \
                WHERE tenant_id = ? AND end_ts <= ? ORDER BY end_ts LIMIT ?)";
    Ok(diesel::sql_query(sql(conn, text))
        .bind::<Text, _>(tenant_id)
        .bind::<BigInt, _>(before)
        .bind::<BigInt, _>(limit)
        .execute(conn)?)
}

/// The per-day and per-month sums of a domain, by table: day-keyed tables hold epoch days,
/// month-keyed ones the first epoch day of each month.
const ROLLUP_TABLES: [&str; 7] = [
    "dmarc_source_days",
    "dmarc_auth_days",
    "dmarc_source_months",
    "dmarc_auth_months",
    "domain_daily",
    // Per-report rows of reports that straddle the cutoff (the others went with them).
    "dmarc_daily",
    "tls_daily",
];

/// Raises the per-source rollup boundary (`domains.rollups_kept_from`) of every domain of a
/// tenant to `cutoff_day`, before any of those days is deleted: from then on no report adds
/// to or subtracts from the days before it. It never comes down (a longer retention set later
/// keeps what is left, since the days deleted could not be subtracted from again).
pub fn raise_rollup_boundary(
    conn: &mut DbConnection,
    tenant_id: &str,
    cutoff_day: i64,
) -> StorageResult<usize> {
    let text = "UPDATE domains SET rollups_kept_from = ? WHERE tenant_id = ? \
                AND (rollups_kept_from IS NULL OR rollups_kept_from < ?)";
    Ok(diesel::sql_query(sql(conn, text))
        .bind::<BigInt, _>(cutoff_day)
        .bind::<Text, _>(tenant_id)
        .bind::<BigInt, _>(cutoff_day)
        .execute(conn)?)
}

/// Deletes the sums of a domain's oldest day (or month) before `before_day` in one rollup
/// table after another; the rows deleted, 0 when none is left before it.
pub fn delete_rollup_day(
    conn: &mut DbConnection,
    domain_id: &str,
    before_day: i64,
) -> StorageResult<usize> {
    for table in ROLLUP_TABLES {
        let text = format!(
            "DELETE FROM {table} WHERE domain_id = ? AND day = \
             (SELECT MIN(day) FROM {table} WHERE domain_id = ? AND day < ?)"
        );
        let deleted = diesel::sql_query(sql(conn, &text))
            .bind::<Text, _>(domain_id)
            .bind::<Text, _>(domain_id)
            .bind::<BigInt, _>(before_day)
            .execute(conn)?;
        if deleted > 0 {
            return Ok(deleted);
        }
    }
    Ok(0)
}

/// Deletes up to `limit` uploads of a tenant that no report and no failure report uses.
pub fn delete_orphan_uploads(
    conn: &mut DbConnection,
    tenant_id: &str,
    limit: i64,
) -> StorageResult<usize> {
    let text = "DELETE FROM uploads WHERE id IN (SELECT u.id FROM uploads u \
                WHERE u.tenant_id = ? \
                AND NOT EXISTS (SELECT 1 FROM reports r WHERE r.upload_id = u.id) \
                AND NOT EXISTS (SELECT 1 FROM failure_reports f WHERE f.upload_id = u.id) \
                LIMIT ?)";
    Ok(diesel::sql_query(sql(conn, text))
        .bind::<Text, _>(tenant_id)
        .bind::<BigInt, _>(limit)
        .execute(conn)?)
}

/// The ids of a tenant's own domains.
pub fn list_tenant_domain_ids(
    conn: &mut DbConnection,
    tenant_id: &str,
) -> StorageResult<Vec<String>> {
    use super::schema::domains;
    Ok(domains::table
        .filter(domains::tenant_id.eq(tenant_id))
        .select(domains::id)
        .load(conn)?)
}
