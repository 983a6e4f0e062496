//! What DNS says about sending addresses: PTR names and the forward-confirmed one, cached with
//! an expiry. Global, not tenant data: the same address has the same names for everyone.
//! A failed lookup keeps `failing_since` from the failure before it (see [`failing_since`]),
//! so the issue rules know how long an address has been impossible to look up.

use super::schema::source_names;
use super::{DbConnection, StorageResult};
use crate::storage::write_transaction;
use diesel::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = source_names)]
#[diesel(treat_none_as_null = true)]
pub struct SourceName {
    pub ip: String,
    /// JSON array of PTR names.
    pub ptr_names: String,
    pub confirmed_name: Option<String>,
    pub org_domain: Option<String>,
    pub lookup_error: Option<String>,
    pub checked_at: i64,
    pub expires_at: i64,
    /// Since when lookups of the address have failed without a break (the first failure
    /// after the last success); `None` while they succeed.
    pub failing_since: Option<i64>,
}

/// `failing_since` for a lookup of an address that failed at `now`, given its stored row: the
/// stored start of the failures when the row is a failure too (its `checked_at` for rows
/// written before the column existed), else `now`.
pub fn failing_since(previous: Option<&SourceName>, now: i64) -> i64 {
    match previous {
        Some(p) if p.lookup_error.is_some() => p.failing_since.unwrap_or(p.checked_at).min(now),
        _ => now,
    }
}

/// Inserts or replaces the rows (by address).
pub fn upsert(conn: &mut DbConnection, rows: &[SourceName]) -> StorageResult<()> {
    write_transaction(conn, |conn| {
        for row in rows {
            match conn {
                DbConnection::Pg(pg) => {
                    diesel::insert_into(source_names::table)
                        .values(row)
                        .on_conflict(source_names::ip)
                        .do_update()
                        .set(row)
                        .execute(pg)?;
                }
                DbConnection::Sqlite(lite) => {
                    diesel::insert_into(source_names::table)
                        .values(row)
                        .on_conflict(source_names::ip)
                        .do_update()
                        .set(row)
                        .execute(lite)?;
                }
            }
        }
        Ok::<_, diesel::result::Error>(())
    })?;
    Ok(())
}

/// The rows known for `ips` (missing addresses are simply absent).
pub fn find_many(conn: &mut DbConnection, ips: &[String]) -> StorageResult<Vec<SourceName>> {
    let mut out = Vec::new();
    for chunk in ips.chunks(5_000) {
        out.extend(
            source_names::table
                .filter(source_names::ip.eq_any(chunk))
                .select(SourceName::as_select())
                .load(conn)?,
        );
    }
    Ok(out)
}
