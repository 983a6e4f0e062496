//! The job table: background work shared by every ruad instance on one database. A job is
//! claimed by setting a lease (`locked_until`); on PostgreSQL the claim uses
//! `FOR UPDATE SKIP LOCKED`, so instances never take the same job, and on SQLite it runs under
//! the single-writer lock. A job whose worker died is claimable again when its lease expires.
//! Jobs must be idempotent: a job can run twice if its lease expires mid-run.

use super::schema::jobs;
use super::{DbConnection, StorageResult, new_id};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

/// Enrich the sending sources of one stored report (payload: `{"report_id": …}`).
pub const ENRICH_SOURCES: &str = "enrich_sources";
/// Evaluate one domain's issues (payload: `{"domain_id": …}`).
pub const EVALUATE_ISSUES: &str = "evaluate_issues";
/// Run and store all DNS checks of one domain, then schedule the next run (payload:
/// `{"domain_id": …}`).
pub const CHECK_DNS: &str = "check_dns";

/// Make one delivery attempt of a webhook event (payload: `{"delivery_id": …}`); the job
/// reschedules itself until the delivery succeeds or runs out of attempts (`crate::services::webhooks`).
pub const DELIVER_WEBHOOK: &str = "deliver_webhook";

#[derive(Debug, Clone, Queryable, Selectable, Insertable, QueryableByName)]
#[diesel(table_name = jobs)]
pub struct Job {
    pub id: String,
    pub tenant_id: Option<String>,
    pub kind: String,
    pub payload: String,
    pub run_at: i64,
    pub attempts: i32,
    pub locked_until: Option<i64>,
    pub last_error: Option<String>,
    pub created_at: i64,
}

/// Adds a job to run at `run_at` (inside the caller's transaction, so that it exists exactly
/// when the work it refers to was committed).
pub fn enqueue(
    conn: &mut DbConnection,
    tenant_id: Option<&str>,
    kind: &str,
    payload: &serde_json::Value,
    run_at: i64,
) -> StorageResult<String> {
    let job = Job {
        id: new_id(),
        tenant_id: tenant_id.map(str::to_string),
        kind: kind.to_string(),
        payload: payload.to_string(),
        run_at,
        attempts: 0,
        locked_until: None,
        last_error: None,
        created_at: run_at,
    };
    diesel::insert_into(jobs::table)
        .values(&job)
        .execute(conn)?;
    Ok(job.id)
}

/// Adds a job unless one of the same kind and payload is waiting (not claimed); a waiting one
/// is made due no later than `run_at`. Returns whether a job was added.
pub fn enqueue_unique(
    conn: &mut DbConnection,
    tenant_id: Option<&str>,
    kind: &str,
    payload: &serde_json::Value,
    run_at: i64,
) -> StorageResult<bool> {
    let text = payload.to_string();
    let waiting: Option<(String, i64)> = jobs::table
        .filter(jobs::kind.eq(kind))
        .filter(jobs::payload.eq(&text))
        .filter(jobs::locked_until.is_null())
        .select((jobs::id, jobs::run_at))
        .first(conn)
        .optional()?;
    match waiting {
        Some((id, due)) => {
            if run_at < due {
                diesel::update(jobs::table.filter(jobs::id.eq(id)))
                    .set(jobs::run_at.eq(run_at))
                    .execute(conn)?;
            }
            Ok(false)
        }
        None => {
            enqueue(conn, tenant_id, kind, payload, run_at)?;
            Ok(true)
        }
    }
}

/// Adds one job of `kind` per payload in one transaction, due from `start` over `spread`
/// seconds (so a batch does not all come due at once).
pub fn enqueue_spread(
    conn: &mut DbConnection,
    kind: &str,
    payloads: &[serde_json::Value],
    start: i64,
    spread: i64,
) -> StorageResult<()> {
    conn.transaction(|conn| {
        for (i, payload) in payloads.iter().enumerate() {
            let offset = i64::try_from(i).unwrap_or(0) % spread.max(1);
            enqueue(conn, None, kind, payload, start + offset)?;
        }
        Ok(())
    })
}

#[derive(QueryableByName)]
struct IdRow {
    #[diesel(sql_type = Text)]
    id: String,
}

/// Domains with no job of `kind` (payload `{"domain_id": …}`) in the table.
pub fn domains_without_job(conn: &mut DbConnection, kind: &str) -> StorageResult<Vec<String>> {
    let sql = match conn {
        DbConnection::Pg(_) => {
            "SELECT d.id FROM domains d WHERE NOT EXISTS (SELECT 1 FROM jobs j WHERE j.kind = $1 \
             AND j.payload = '{\"domain_id\":\"' || d.id || '\"}') ORDER BY d.id"
        }
        DbConnection::Sqlite(_) => {
            "SELECT d.id FROM domains d WHERE NOT EXISTS (SELECT 1 FROM jobs j WHERE j.kind = ? \
             AND j.payload = '{\"domain_id\":\"' || d.id || '\"}') ORDER BY d.id"
        }
    };
    let rows: Vec<IdRow> = diesel::sql_query(sql).bind::<Text, _>(kind).load(conn)?;
    Ok(rows.into_iter().map(|r| r.id).collect())
}

/// Adds jobs of `kind` due at `run_at`, one per payload, in one statement per 500 (inside the
/// caller's transaction, like [`enqueue`]).
pub fn enqueue_many(
    conn: &mut DbConnection,
    kind: &str,
    jobs: &[(Option<&str>, serde_json::Value)],
    run_at: i64,
) -> StorageResult<Vec<String>> {
    let rows: Vec<Job> = jobs
        .iter()
        .map(|(tenant_id, payload)| Job {
            id: new_id(),
            tenant_id: tenant_id.map(str::to_string),
            kind: kind.to_string(),
            payload: payload.to_string(),
            run_at,
            attempts: 0,
            locked_until: None,
            last_error: None,
            created_at: run_at,
        })
        .collect();
    super::insert_batch!(conn, jobs::table, rows, 500)?;
    Ok(rows.into_iter().map(|j| j.id).collect())
}

/// Claims up to `max` due jobs for `lease` seconds and counts the attempt.
pub fn claim(conn: &mut DbConnection, now: i64, lease: i64, max: i64) -> StorageResult<Vec<Job>> {
    match conn {
        DbConnection::Pg(pg) => Ok(diesel::sql_query(
            "UPDATE jobs SET locked_until = $1, attempts = attempts + 1 WHERE id IN ( \
               SELECT id FROM jobs WHERE run_at <= $2 AND (locked_until IS NULL OR locked_until < $2) \
               ORDER BY run_at LIMIT $3 FOR UPDATE SKIP LOCKED) \
             RETURNING id, tenant_id, kind, payload, run_at, attempts, locked_until, last_error, created_at",
        )
        .bind::<BigInt, _>(now + lease)
        .bind::<BigInt, _>(now)
        .bind::<BigInt, _>(max)
        .load(pg)?),
        DbConnection::Sqlite(_) => conn.transaction(|conn| {
            let due: Vec<Job> = jobs::table
                .filter(jobs::run_at.le(now))
                .filter(jobs::locked_until.is_null().or(jobs::locked_until.lt(now)))
                .order(jobs::run_at.asc())
                .limit(max)
                .select(Job::as_select())
                .load(conn)?;
            let ids: Vec<&String> = due.iter().map(|j| &j.id).collect();
            diesel::update(jobs::table.filter(jobs::id.eq_any(&ids)))
                .set((
                    jobs::locked_until.eq(now + lease),
                    jobs::attempts.eq(jobs::attempts + 1),
                ))
                .execute(conn)?;
            Ok(due
                .into_iter()
                .map(|j| Job {
                    locked_until: Some(now + lease),
                    attempts: j.attempts + 1,
                    ..j
                })
                .collect())
        }),
    }
}

/// Removes a finished job.
pub fn complete(conn: &mut DbConnection, id: &str) -> StorageResult<()> {
    diesel::delete(jobs::table.filter(jobs::id.eq(id))).execute(conn)?;
    Ok(())
}

/// Schedules a failed job again at `retry_at`, keeping the error.
pub fn retry(conn: &mut DbConnection, id: &str, retry_at: i64, error: &str) -> StorageResult<()> {
    diesel::update(jobs::table.filter(jobs::id.eq(id)))
        .set((
            jobs::run_at.eq(retry_at),
            jobs::locked_until.eq(None::<i64>),
            jobs::last_error.eq(Some(error)),
        ))
        .execute(conn)?;
    Ok(())
}

/// Jobs of `kind` not finished yet (tests and metrics).
pub fn count_pending(conn: &mut DbConnection, kind: &str) -> StorageResult<i64> {
    Ok(jobs::table
        .filter(jobs::kind.eq(kind))
        .count()
        .get_result(conn)?)
}

#[derive(QueryableByName)]
struct IpRow {
    #[diesel(sql_type = Text)]
    source_ip: String,
}

/// The distinct source addresses of a report that have no fresh name information at `now`.
pub fn ips_to_enrich(
    conn: &mut DbConnection,
    report_id: &str,
    now: i64,
) -> StorageResult<Vec<String>> {
    let sql = match conn {
        DbConnection::Pg(_) => {
            "SELECT DISTINCT d.source_ip FROM dmarc_records d LEFT JOIN source_names n ON n.ip = d.source_ip \
             WHERE d.report_id = $1 AND (n.ip IS NULL OR n.expires_at <= $2)"
        }
        DbConnection::Sqlite(_) => {
            "SELECT DISTINCT d.source_ip FROM dmarc_records d LEFT JOIN source_names n ON n.ip = d.source_ip \
             WHERE d.report_id = ? AND (n.ip IS NULL OR n.expires_at <= ?)"
        }
    };
    let rows: Vec<IpRow> = diesel::sql_query(sql)
        .bind::<Text, _>(report_id)
        .bind::<BigInt, _>(now)
        .load(conn)?;
    Ok(rows.into_iter().map(|r| r.source_ip).collect())
}
