//! The job table: background work shared by every ruad instance on one database.
//!
//! A job is claimed by setting a short lease: `locked_until` (when it lapses), `locked_by`
//! (the instance holding it) and one more `attempts`. The attempt number a claim gives is the
//! claim's token: a later claim of the same job has a higher one, so a [`Lease`] (job id,
//! holder, attempt) names exactly one claim.
//!
//! Invariants:
//! - A claim takes only due jobs whose lease is absent or lapsed. On PostgreSQL it runs as one
//!   `UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED)`, so instances sharing the
//!   database never take the same job; on SQLite it runs under the single writer.
//! - [`heartbeat`], [`complete`] and [`retry`] touch a job only while the caller's lease is
//!   the current one: after another claim (the lease lapsed and someone took it), a late
//!   heartbeat renews nothing and a late completion removes nothing.
//! - [`release_stale_leases`] at startup frees the leases a dead process left: on SQLite every
//!   lease (one process owns the file), on PostgreSQL those recorded under the starting
//!   instance's id. Leases of other instances lapse by themselves within one lease period.
//!
//! Jobs must be idempotent: a job whose holder stalls past its lease can run again elsewhere.

use super::schema::jobs;
use super::{DbConnection, StorageResult, sql};
use crate::domain::ids::{DeliveryId, DomainId, JobId, ReportId, TenantId};
use crate::domain::job::JobKind;
use crate::storage::write_transaction;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text};

/// One job as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    pub id: JobId,
    pub tenant_id: Option<TenantId>,
    pub kind: JobKind,
    /// JSON; its fields depend on the kind ([`JobKind`]).
    pub payload: String,
    pub run_at: i64,
    /// Claims so far, this one included.
    pub attempts: i32,
    pub locked_until: Option<i64>,
    pub locked_by: Option<String>,
    pub last_error: Option<String>,
    pub created_at: i64,
}

/// One claim of a job: what a runner presents to renew, complete or reschedule it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Lease {
    pub job_id: JobId,
    /// The instance holding it (`locked_by`).
    pub holder: String,
    /// The attempt number this claim gave the job.
    pub attempt: i32,
}

impl Job {
    /// The lease this job was claimed with; `None` for a job that is not claimed.
    pub fn lease(&self) -> Option<Lease> {
        Some(Lease {
            job_id: self.id.clone(),
            holder: self.locked_by.clone()?,
            attempt: self.attempts,
        })
    }

    /// The report of an `enrich_sources` job (payload `{"report_id": …}`).
    pub fn report_id(&self) -> Result<ReportId, PayloadError> {
        self.payload_id("report_id")
    }

    /// The domain of an `evaluate_issues` or `check_dns` job (payload `{"domain_id": …}`).
    pub fn domain_id(&self) -> Result<DomainId, PayloadError> {
        self.payload_id("domain_id")
    }

    /// The delivery of a `deliver_webhook` job (payload `{"delivery_id": …}`).
    pub fn delivery_id(&self) -> Result<DeliveryId, PayloadError> {
        self.payload_id("delivery_id")
    }

    /// The mailbox of a `poll_mailbox` job (payload `{"mailbox_id": …}`).
    pub fn mailbox_id(&self) -> Result<crate::domain::ids::MailboxId, PayloadError> {
        self.payload_id("mailbox_id")
    }

    /// The delivery of a `send_digest` job (payload `{"delivery_id": …}`).
    pub fn digest_delivery_id(&self) -> Result<crate::domain::ids::DigestDeliveryId, PayloadError> {
        self.payload_id("delivery_id")
    }

    /// The id in the string field `key` of the payload.
    fn payload_id<T: From<String>>(&self, key: &'static str) -> Result<T, PayloadError> {
        let payload: serde_json::Value =
            serde_json::from_str(&self.payload).map_err(|source| PayloadError::NotJson {
                kind: self.kind,
                job: self.id.clone(),
                source,
            })?;
        payload[key]
            .as_str()
            .map(|id| T::from(id.to_string()))
            .ok_or_else(|| PayloadError::Missing {
                kind: self.kind,
                job: self.id.clone(),
                key,
            })
    }
}

/// A job's payload lacks what its kind needs (a row written by another version, or by hand).
#[derive(Debug, thiserror::Error)]
pub enum PayloadError {
    #[error("{kind} job {job}: payload is not JSON")]
    NotJson {
        kind: JobKind,
        job: JobId,
        #[source]
        source: serde_json::Error,
    },
    #[error("{kind} job {job}: payload has no {key}")]
    Missing {
        kind: JobKind,
        job: JobId,
        key: &'static str,
    },
}

/// The row as diesel reads and writes it (`kind` as text).
#[derive(Debug, Clone, Queryable, Selectable, Insertable, QueryableByName)]
#[diesel(table_name = jobs)]
struct JobRow {
    id: String,
    tenant_id: Option<String>,
    kind: String,
    payload: String,
    run_at: i64,
    attempts: i32,
    locked_until: Option<i64>,
    last_error: Option<String>,
    created_at: i64,
    locked_by: Option<String>,
}

impl JobRow {
    fn new(tenant_id: Option<&TenantId>, kind: JobKind, payload: String, run_at: i64) -> JobRow {
        JobRow {
            id: JobId::generate().into_string(),
            tenant_id: tenant_id.map(|t| t.as_str().to_string()),
            kind: kind.as_str().to_string(),
            payload,
            run_at,
            attempts: 0,
            locked_until: None,
            last_error: None,
            created_at: run_at,
            locked_by: None,
        }
    }

    /// The job, when this version knows its kind (claims ask for known kinds only).
    fn into_job(self) -> Option<Job> {
        Some(Job {
            kind: JobKind::parse(&self.kind)?,
            id: self.id.into(),
            tenant_id: self.tenant_id.map(TenantId::from),
            payload: self.payload,
            run_at: self.run_at,
            attempts: self.attempts,
            locked_until: self.locked_until,
            locked_by: self.locked_by,
            last_error: self.last_error,
            created_at: self.created_at,
        })
    }
}

/// Adds a job to run at `run_at` (inside the caller's transaction, so that it exists exactly
/// when the work it refers to was committed).
pub fn enqueue(
    conn: &mut DbConnection,
    tenant_id: Option<&TenantId>,
    kind: JobKind,
    payload: &serde_json::Value,
    run_at: i64,
) -> StorageResult<JobId> {
    let row = JobRow::new(tenant_id, kind, payload.to_string(), run_at);
    diesel::insert_into(jobs::table)
        .values(&row)
        .execute(conn)?;
    Ok(row.id.into())
}

/// Adds a job unless one of the same kind and payload is waiting (not claimed); a waiting one
/// is made due no later than `run_at`. Returns whether a job was added.
pub fn enqueue_unique(
    conn: &mut DbConnection,
    tenant_id: Option<&TenantId>,
    kind: JobKind,
    payload: &serde_json::Value,
    run_at: i64,
) -> StorageResult<bool> {
    let text = payload.to_string();
    let waiting: Option<(String, i64)> = jobs::table
        .filter(jobs::kind.eq(kind.as_str()))
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
    kind: JobKind,
    payloads: &[serde_json::Value],
    start: i64,
    spread: i64,
) -> StorageResult<()> {
    write_transaction(conn, |conn| {
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
pub fn domains_without_job(conn: &mut DbConnection, kind: JobKind) -> StorageResult<Vec<DomainId>> {
    let text = sql(
        conn,
        "SELECT d.id FROM domains d WHERE d.deleting_since IS NULL AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.kind = ? \
         AND j.payload = '{\"domain_id\":\"' || d.id || '\"}') ORDER BY d.id",
    );
    let rows: Vec<IdRow> = diesel::sql_query(text)
        .bind::<Text, _>(kind.as_str())
        .load(conn)?;
    Ok(rows.into_iter().map(|r| DomainId::from(r.id)).collect())
}

/// Adds jobs of `kind` due at `run_at`, one per payload, in one statement per 500 (inside the
/// caller's transaction, like [`enqueue`]).
pub fn enqueue_many(
    conn: &mut DbConnection,
    kind: JobKind,
    jobs: &[(Option<&TenantId>, serde_json::Value)],
    run_at: i64,
) -> StorageResult<Vec<JobId>> {
    let rows: Vec<JobRow> = jobs
        .iter()
        .map(|(tenant_id, payload)| JobRow::new(*tenant_id, kind, payload.to_string(), run_at))
        .collect();
    super::insert_batch!(conn, jobs::table, rows, 500)?;
    Ok(rows.into_iter().map(|j| JobId::from(j.id)).collect())
}

/// Claims up to `max` due jobs of `kind` for `holder` until `now + lease` (seconds), oldest
/// first, and counts the attempt.
pub fn claim(
    conn: &mut DbConnection,
    kind: JobKind,
    holder: &str,
    now: i64,
    lease: i64,
    max: i64,
) -> StorageResult<Vec<Job>> {
    if max <= 0 {
        return Ok(Vec::new());
    }
    let until = now + lease;
    let rows: Vec<JobRow> = match conn {
        DbConnection::Pg(pg) => diesel::sql_query(
            "UPDATE jobs SET locked_until = $1, locked_by = $2, attempts = attempts + 1 WHERE id IN ( \
               SELECT id FROM jobs WHERE kind = $3 AND run_at <= $4 \
               AND (locked_until IS NULL OR locked_until < $4) \
               ORDER BY run_at LIMIT $5 FOR UPDATE SKIP LOCKED) \
             RETURNING id, tenant_id, kind, payload, run_at, attempts, locked_until, last_error, \
               created_at, locked_by",
        )
        .bind::<BigInt, _>(until)
        .bind::<Text, _>(holder)
        .bind::<Text, _>(kind.as_str())
        .bind::<BigInt, _>(now)
        .bind::<BigInt, _>(max)
        .load(pg)?,
        DbConnection::Sqlite(_) => write_transaction(conn, |conn| {
            let due: Vec<JobRow> = jobs::table
                .filter(jobs::kind.eq(kind.as_str()))
                .filter(jobs::run_at.le(now))
                .filter(jobs::locked_until.is_null().or(jobs::locked_until.lt(now)))
                .order(jobs::run_at.asc())
                .limit(max)
                .select(JobRow::as_select())
                .load(conn)?;
            let ids: Vec<&String> = due.iter().map(|j| &j.id).collect();
            diesel::update(jobs::table.filter(jobs::id.eq_any(&ids)))
                .set((
                    jobs::locked_until.eq(until),
                    jobs::locked_by.eq(holder),
                    jobs::attempts.eq(jobs::attempts + 1),
                ))
                .execute(conn)?;
            Ok::<_, super::StorageError>(
                due.into_iter()
                    .map(|j| JobRow {
                        locked_until: Some(until),
                        locked_by: Some(holder.to_string()),
                        attempts: j.attempts + 1,
                        ..j
                    })
                    .collect(),
            )
        })?,
    };
    let mut claimed: Vec<Job> = rows.into_iter().filter_map(JobRow::into_job).collect();
    claimed.sort_by_key(|j| j.run_at);
    Ok(claimed)
}

/// Renews the leases still held until `until`; returns the ids of the jobs renewed. A lease
/// that another claim replaced is left alone and missing from the answer.
pub fn heartbeat(
    conn: &mut DbConnection,
    leases: &[Lease],
    until: i64,
) -> StorageResult<Vec<JobId>> {
    write_transaction(conn, |conn| {
        let mut renewed = Vec::new();
        for lease in leases {
            let n = diesel::update(jobs::table)
                .filter(jobs::id.eq(lease.job_id.as_str()))
                .filter(jobs::locked_by.eq(&lease.holder))
                .filter(jobs::attempts.eq(lease.attempt))
                .set(jobs::locked_until.eq(until))
                .execute(conn)?;
            if n > 0 {
                renewed.push(lease.job_id.clone());
            }
        }
        Ok(renewed)
    })
}

/// Removes a finished job; `false` (and nothing removed) when the lease is no longer held.
pub fn complete(conn: &mut DbConnection, lease: &Lease) -> StorageResult<bool> {
    let n = diesel::delete(jobs::table)
        .filter(jobs::id.eq(lease.job_id.as_str()))
        .filter(jobs::locked_by.eq(&lease.holder))
        .filter(jobs::attempts.eq(lease.attempt))
        .execute(conn)?;
    Ok(n > 0)
}

/// Schedules a job again at `retry_at`, releasing its lease and keeping `error` (the reason);
/// `false` (and nothing changed) when the lease is no longer held.
pub fn retry(
    conn: &mut DbConnection,
    lease: &Lease,
    retry_at: i64,
    error: &str,
) -> StorageResult<bool> {
    let n = diesel::update(jobs::table)
        .filter(jobs::id.eq(lease.job_id.as_str()))
        .filter(jobs::locked_by.eq(&lease.holder))
        .filter(jobs::attempts.eq(lease.attempt))
        .set((
            jobs::run_at.eq(retry_at),
            jobs::locked_until.eq(None::<i64>),
            jobs::locked_by.eq(None::<String>),
            jobs::last_error.eq(Some(error)),
        ))
        .execute(conn)?;
    Ok(n > 0)
}

/// Frees, at startup, the leases a dead process of this instance left, so their jobs run
/// again at once: on SQLite every lease (one process owns the database file), on PostgreSQL
/// the leases recorded under `holder`. Returns how many were freed.
pub fn release_stale_leases(conn: &mut DbConnection, holder: &str) -> StorageResult<usize> {
    let release = (
        jobs::locked_until.eq(None::<i64>),
        jobs::locked_by.eq(None::<String>),
    );
    Ok(match conn {
        DbConnection::Sqlite(_) => diesel::update(jobs::table)
            .filter(jobs::locked_until.is_not_null())
            .set(release)
            .execute(conn)?,
        DbConnection::Pg(_) => diesel::update(jobs::table)
            .filter(jobs::locked_by.eq(holder))
            .set(release)
            .execute(conn)?,
    })
}

/// Jobs of `kind` not finished yet, due or not, claimed or not (tests and metrics).
pub fn count_pending(conn: &mut DbConnection, kind: JobKind) -> StorageResult<i64> {
    Ok(jobs::table
        .filter(jobs::kind.eq(kind.as_str()))
        .count()
        .get_result(conn)?)
}

/// The queue of one kind at some moment, across all instances.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueStats {
    pub kind: JobKind,
    /// Due jobs no instance holds (never claimed, released, or their lease lapsed).
    pub queued: i64,
    /// Jobs held under a lease that has not lapsed.
    pub leased: i64,
    /// Jobs not due yet (later retries, the next DNS re-checks, delayed evaluations).
    pub scheduled: i64,
    /// When the oldest queued job came due.
    pub oldest_due: Option<i64>,
}

#[derive(QueryableByName)]
struct StatsRow {
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = BigInt)]
    queued: i64,
    #[diesel(sql_type = BigInt)]
    leased: i64,
    #[diesel(sql_type = BigInt)]
    scheduled: i64,
    #[diesel(sql_type = Nullable<BigInt>)]
    oldest_due: Option<i64>,
}

/// The queue of every known kind at `now` (a kind without jobs has zeros).
pub fn queue_stats(conn: &mut DbConnection, now: i64) -> StorageResult<Vec<QueueStats>> {
    // One parameter used several times: `?1` on SQLite, `$1` on PostgreSQL.
    let at = match conn {
        DbConnection::Sqlite(_) => "?1",
        DbConnection::Pg(_) => "$1",
    };
    let lapsed = format!("(locked_until IS NULL OR locked_until < {at})");
    let sql = format!(
        "SELECT kind, \
           CAST(COALESCE(SUM(CASE WHEN run_at <= {at} AND {lapsed} THEN 1 ELSE 0 END), 0) AS BIGINT) AS queued, \
           CAST(COALESCE(SUM(CASE WHEN NOT {lapsed} THEN 1 ELSE 0 END), 0) AS BIGINT) AS leased, \
           CAST(COALESCE(SUM(CASE WHEN run_at > {at} AND {lapsed} THEN 1 ELSE 0 END), 0) AS BIGINT) AS scheduled, \
           MIN(CASE WHEN run_at <= {at} AND {lapsed} THEN run_at END) AS oldest_due \
         FROM jobs GROUP BY kind"
    );
    let rows: Vec<StatsRow> = diesel::sql_query(sql).bind::<BigInt, _>(now).load(conn)?;
    Ok(JobKind::ALL
        .into_iter()
        .map(|kind| {
            let row = rows.iter().find(|r| r.kind == kind.as_str());
            QueueStats {
                kind,
                queued: row.map_or(0, |r| r.queued),
                leased: row.map_or(0, |r| r.leased),
                scheduled: row.map_or(0, |r| r.scheduled),
                oldest_due: row.and_then(|r| r.oldest_due),
            }
        })
        .collect())
}

#[derive(QueryableByName)]
struct IpRow {
    #[diesel(sql_type = Text)]
    source_ip: String,
}

/// The distinct source addresses of a report that have no fresh name information at `now`.
pub fn ips_to_enrich(
    conn: &mut DbConnection,
    report_id: &ReportId,
    now: i64,
) -> StorageResult<Vec<String>> {
    let text = sql(
        conn,
        "SELECT DISTINCT d.source_ip FROM dmarc_records d LEFT JOIN source_names n ON n.ip = d.source_ip \
         WHERE d.report_id = ? AND (n.ip IS NULL OR n.expires_at <= ?)",
    );
    let rows: Vec<IpRow> = diesel::sql_query(text)
        .bind::<Text, _>(report_id.as_str())
        .bind::<BigInt, _>(now)
        .load(conn)?;
    Ok(rows.into_iter().map(|r| r.source_ip).collect())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn job(payload: &str) -> Job {
        Job {
            id: JobId::from("j1"),
            tenant_id: None,
            kind: JobKind::CheckDns,
            payload: payload.to_string(),
            run_at: 0,
            attempts: 1,
            locked_until: None,
            locked_by: None,
            last_error: None,
            created_at: 0,
        }
    }

    #[test]
    fn a_payload_gives_its_id_typed() {
        let job = job(r#"{"domain_id":"d1"}"#);
        assert_eq!(job.domain_id().unwrap(), DomainId::from("d1"));
    }

    #[test]
    fn a_missing_or_broken_payload_names_the_job_and_what_is_missing() {
        let missing = job(r#"{"report_id":"r1"}"#).domain_id().unwrap_err();
        assert!(matches!(
            missing,
            PayloadError::Missing {
                key: "domain_id",
                ..
            }
        ));
        assert_eq!(
            missing.to_string(),
            "check_dns job j1: payload has no domain_id"
        );
        // The runner records `{:#}` of the error: the cause follows, as before the type.
        let broken = anyhow::Error::from(job("{").domain_id().unwrap_err());
        assert!(
            format!("{broken:#}").starts_with("check_dns job j1: payload is not JSON: EOF"),
            "{broken:#}"
        );
    }
}
