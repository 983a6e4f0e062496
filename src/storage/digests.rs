//! Scheduled digests of a tenant and their delivery log.
//!
//! - A digest belongs to one tenant: a domain's digest to the domain's tenant, a portfolio
//!   digest (no domain) to the tenant whose subtree it covers. It is visible in its tenant's
//!   subtree like any tenant resource; another tenant's is not found.
//! - `next_run_at` is the next scheduled send. [`queue_due`] moves it forward and queues the
//!   delivery with its `send_digest` job in one transaction, and only with a conditional
//!   update (`… WHERE next_run_at = <the value read>`): when several instances find the same
//!   digest due, exactly one update matches, so each period is queued once.
//! - A delivery is one mail for one period. Each attempt is appended to its `attempt_log`
//!   by [`record_attempt`], in the transaction that settles its job (rescheduled or removed)
//!   and only while the job's lease is held, so the log and the job table cannot disagree.
//!
//! Must not depend on actix-web.

use super::schema::{digest_deliveries, digests, tenants};
use super::{DbConnection, StorageError, StorageResult, TenantScope, jobs};
use crate::domain::digest::{Frequency, Period, Schedule};
use crate::domain::ids::{DigestDeliveryId, DigestId, DomainId, TenantId};
use crate::domain::job::JobKind;
use crate::storage::write_transaction;
use chrono::{DateTime, Utc};
use diesel::prelude::*;

/// Delivery states (`digest_deliveries.status`).
pub const QUEUED: &str = "queued";
pub const SENT: &str = "sent";
pub const FAILED: &str = "failed";

/// What queued a delivery (`digest_deliveries.trigger`).
pub const SCHEDULE: &str = "schedule";
pub const MANUAL: &str = "manual";

/// Due digests queued per transaction of [`queue_due`].
const DUE_BATCH: i64 = 100;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = digests)]
pub struct Digest {
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub id: DigestId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub tenant_id: TenantId,
    /// The domain's id; `None`: the tenant's portfolio (see [`Digest::domain_id`]).
    #[diesel(column_name = domain_id)]
    pub domain: Option<String>,
    /// JSON array of addresses.
    pub recipients: String,
    pub frequency: String,
    pub day: i32,
    pub hour: i32,
    pub time_zone: String,
    /// A language code; `None`: the brand's.
    pub language: Option<String>,
    pub enabled: bool,
    pub next_run_at: i64,
    pub last_run_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Digest {
    /// The domain reported on; `None`: the tenant's portfolio.
    pub fn domain_id(&self) -> Option<DomainId> {
        self.domain.clone().map(DomainId::from)
    }

    /// The recipients (entries that are not strings are skipped).
    pub fn recipients(&self) -> Vec<String> {
        serde_json::from_str(&self.recipients).unwrap_or_default()
    }

    /// The schedule as stored; an error only for a row written by hand or another version.
    pub fn schedule(&self) -> Result<Schedule, String> {
        let frequency = Frequency::parse(&self.frequency)
            .ok_or_else(|| format!("unknown frequency {:?}", self.frequency))?;
        Schedule::new(frequency, self.day, self.hour, &self.time_zone).map_err(|e| e.to_string())
    }
}

/// The recipients as stored.
pub fn recipients_json(recipients: &[String]) -> String {
    serde_json::to_string(recipients).unwrap_or_else(|_| "[]".into())
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = digest_deliveries)]
pub struct Delivery {
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub id: DigestDeliveryId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub digest_id: DigestId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub tenant_id: TenantId,
    pub trigger: String,
    pub period_from: i64,
    pub period_to: i64,
    pub scheduled_for: i64,
    pub status: String,
    pub attempts: i32,
    /// JSON array of [`LoggedAttempt`].
    pub attempt_log: String,
    pub last_error: Option<String>,
    pub next_attempt_at: Option<i64>,
    pub smtp_message_id: Option<String>,
    pub smtp_response: Option<String>,
    pub sent_at: Option<i64>,
    pub created_at: i64,
}

impl Delivery {
    pub fn period(&self) -> Period {
        Period::from_epoch_days(self.period_from, self.period_to)
    }

    /// The attempts made, oldest first.
    pub fn attempt_log(&self) -> Vec<LoggedAttempt> {
        serde_json::from_str(&self.attempt_log).unwrap_or_default()
    }
}

/// One attempt as kept in a delivery's log.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LoggedAttempt {
    /// When the attempt started (epoch seconds).
    pub at: i64,
    /// `sent`, `retry` or `failed`.
    pub outcome: String,
    /// The relay's answer, or why there was none.
    pub reply: String,
}

/// How one attempt ended, as decided by the sender's retry policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The relay took the message (its `Message-ID`).
    Sent { message_id: String },
    /// Failed for now; try again at this time.
    RetryAt(i64),
    /// Failed for good.
    Failed,
}

/// One attempt, to record.
#[derive(Debug, Clone)]
pub struct Attempt {
    pub at: i64,
    /// The relay's answer, or why there was none.
    pub reply: String,
    pub outcome: Outcome,
}

/// Filters and pagination of a delivery log.
#[derive(Debug, Default, Clone)]
pub struct DeliveryFilter {
    pub status: Option<String>,
    /// Continue after this (created_at, id), in descending order.
    pub after: Option<(i64, String)>,
    pub limit: i64,
}

/// Ids sort by creation time (UUID v7), so lists are in creation order within a second too.
fn new_time_ordered_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// Stores a new digest (validated by the caller) whose tenant is in scope.
#[tracing::instrument(skip_all, fields(tenant_id = %scope.tenant_id))]
pub fn insert_digest(
    conn: &mut DbConnection,
    scope: &TenantScope,
    digest: &Digest,
) -> StorageResult<()> {
    super::tenants::get_tenant(conn, scope, &digest.tenant_id)?;
    diesel::insert_into(digests::table)
        .values(digest.clone())
        .execute(conn)?;
    Ok(())
}

/// A new digest id.
pub fn new_digest_id() -> DigestId {
    DigestId::from(new_time_ordered_id())
}

/// A digest in the caller's scope.
pub fn get_digest(
    conn: &mut DbConnection,
    scope: &TenantScope,
    id: &DigestId,
) -> StorageResult<Digest> {
    Ok(digests::table
        .filter(digests::id.eq(id.as_str()))
        .filter(
            digests::tenant_id.eq_any(
                tenants::table
                    .filter(tenants::path.like(scope.like()))
                    .select(tenants::id),
            ),
        )
        .select(Digest::as_select())
        .first(conn)?)
}

/// The digests in scope, newest first, at most `limit`, after the cursor `after`.
pub fn list_digests(
    conn: &mut DbConnection,
    scope: &TenantScope,
    after: Option<&(i64, String)>,
    limit: i64,
) -> StorageResult<Vec<Digest>> {
    let mut query = digests::table
        .filter(
            digests::tenant_id.eq_any(
                tenants::table
                    .filter(tenants::path.like(scope.like()))
                    .select(tenants::id),
            ),
        )
        .into_boxed();
    if let Some((created, id)) = after {
        query = query.filter(
            digests::created_at.lt(*created).or(digests::created_at
                .eq(*created)
                .and(digests::id.lt(id.clone()))),
        );
    }
    Ok(query
        .order((digests::created_at.desc(), digests::id.desc()))
        .limit(limit)
        .select(Digest::as_select())
        .load(conn)?)
}

/// Writes the changeable columns of a digest in scope (recipients, schedule, language,
/// enabled, next run, updated time), as the caller merged and validated them.
#[tracing::instrument(skip_all, fields(tenant_id = %scope.tenant_id))]
pub fn update_digest(
    conn: &mut DbConnection,
    scope: &TenantScope,
    digest: &Digest,
) -> StorageResult<()> {
    get_digest(conn, scope, &digest.id)?;
    diesel::update(digests::table.filter(digests::id.eq(digest.id.as_str())))
        .set((
            digests::recipients.eq(&digest.recipients),
            digests::frequency.eq(&digest.frequency),
            digests::day.eq(digest.day),
            digests::hour.eq(digest.hour),
            digests::time_zone.eq(&digest.time_zone),
            digests::language.eq(&digest.language),
            digests::enabled.eq(digest.enabled),
            digests::next_run_at.eq(digest.next_run_at),
            digests::updated_at.eq(digest.updated_at),
        ))
        .execute(conn)?;
    Ok(())
}

/// Deletes a digest in scope with its delivery log; its queued jobs find nothing to send.
#[tracing::instrument(skip_all, fields(tenant_id = %scope.tenant_id))]
pub fn delete_digest(
    conn: &mut DbConnection,
    scope: &TenantScope,
    id: &DigestId,
) -> StorageResult<()> {
    let digest = get_digest(conn, scope, id)?;
    let id = digest.id.as_str();
    write_transaction(conn, |conn| {
        diesel::delete(digest_deliveries::table.filter(digest_deliveries::digest_id.eq(id)))
            .execute(conn)?;
        diesel::delete(digests::table.filter(digests::id.eq(id))).execute(conn)?;
        Ok(())
    })
}

/// Inserts a queued delivery of `digest` for `period` with its `send_digest` job, due at
/// `now` (inside the caller's transaction, or its own).
fn insert_delivery(
    conn: &mut DbConnection,
    digest: &Digest,
    trigger: &str,
    period: Period,
    scheduled_for: i64,
    now: i64,
) -> StorageResult<Delivery> {
    let (period_from, period_to) = period.epoch_days();
    let delivery = Delivery {
        id: DigestDeliveryId::from(new_time_ordered_id()),
        digest_id: digest.id.clone(),
        tenant_id: digest.tenant_id.clone(),
        trigger: trigger.to_string(),
        period_from,
        period_to,
        scheduled_for,
        status: QUEUED.to_string(),
        attempts: 0,
        attempt_log: "[]".to_string(),
        last_error: None,
        next_attempt_at: Some(now),
        smtp_message_id: None,
        smtp_response: None,
        sent_at: None,
        created_at: now,
    };
    write_transaction(conn, |conn| {
        diesel::insert_into(digest_deliveries::table)
            .values(delivery.clone())
            .execute(conn)?;
        jobs::enqueue(
            conn,
            Some(&digest.tenant_id),
            JobKind::SendDigest,
            &serde_json::json!({ "delivery_id": delivery.id }),
            now,
        )?;
        Ok(delivery)
    })
}

/// Queues a delivery of a digest in scope for `period` now (`POST /digests/{id}/send`).
#[tracing::instrument(skip_all, fields(tenant_id = %scope.tenant_id))]
pub fn queue_now(
    conn: &mut DbConnection,
    scope: &TenantScope,
    id: &DigestId,
    period: impl FnOnce(&Digest) -> StorageResult<Period>,
    now: i64,
) -> StorageResult<Delivery> {
    let digest = get_digest(conn, scope, id)?;
    let period = period(&digest)?;
    insert_delivery(conn, &digest, MANUAL, period, now, now)
}

/// Queues every enabled digest due at `now` (all tenants: the scheduler): for each, the run
/// it is late for (the latest scheduled run not after `now`, so a scheduler that was down
/// sends the last period once rather than every missed one), with its `send_digest` job,
/// and moves `next_run_at` to the run after `now`, in one transaction guarded by a
/// conditional update (see the module header). Returns how many were queued.
#[tracing::instrument(skip_all)]
pub fn queue_due(conn: &mut DbConnection, now: i64) -> StorageResult<usize> {
    let due: Vec<Digest> = digests::table
        .filter(digests::enabled.eq(true))
        .filter(digests::next_run_at.le(now))
        .order(digests::next_run_at.asc())
        .limit(DUE_BATCH)
        .select(Digest::as_select())
        .load(conn)?;
    let at = DateTime::<Utc>::from_timestamp(now, 0).unwrap_or_default();
    let mut queued = 0;
    for digest in due {
        let schedule = match digest.schedule() {
            Ok(s) => s,
            Err(e) => {
                tracing::warn!(digest = %digest.id, error = %e, "digest with an unusable schedule skipped");
                continue;
            }
        };
        let run = schedule.latest_run(at);
        let next = schedule.next_run(at).timestamp();
        let period = schedule.period_of(run);
        let taken = write_transaction(conn, |conn| {
            let claimed = diesel::update(
                digests::table
                    .filter(digests::id.eq(digest.id.as_str()))
                    .filter(digests::enabled.eq(true))
                    .filter(digests::next_run_at.eq(digest.next_run_at)),
            )
            .set((
                digests::next_run_at.eq(next),
                digests::last_run_at.eq(Some(run.timestamp())),
            ))
            .execute(conn)?;
            if claimed == 0 {
                return Ok::<_, StorageError>(false);
            }
            insert_delivery(conn, &digest, SCHEDULE, period, run.timestamp(), now)?;
            Ok(true)
        })?;
        queued += usize::from(taken);
    }
    Ok(queued)
}

/// The delivery log of a digest in scope, newest first.
pub fn list_deliveries(
    conn: &mut DbConnection,
    scope: &TenantScope,
    digest_id: &DigestId,
    filter: &DeliveryFilter,
) -> StorageResult<Vec<Delivery>> {
    let digest = get_digest(conn, scope, digest_id)?;
    let mut query = digest_deliveries::table
        .filter(digest_deliveries::digest_id.eq(digest.id.into_string()))
        .into_boxed();
    if let Some(status) = &filter.status {
        query = query.filter(digest_deliveries::status.eq(status.clone()));
    }
    if let Some((created, id)) = &filter.after {
        query = query.filter(
            digest_deliveries::created_at
                .lt(*created)
                .or(digest_deliveries::created_at
                    .eq(*created)
                    .and(digest_deliveries::id.lt(id.clone()))),
        );
    }
    Ok(query
        .order((
            digest_deliveries::created_at.desc(),
            digest_deliveries::id.desc(),
        ))
        .limit(filter.limit)
        .select(Delivery::as_select())
        .load(conn)?)
}

/// A delivery with its digest, regardless of scope (the sending job only); `None` when the
/// digest was deleted since.
pub fn find_delivery(
    conn: &mut DbConnection,
    delivery_id: &DigestDeliveryId,
) -> StorageResult<Option<(Delivery, Digest)>> {
    Ok(digest_deliveries::table
        .inner_join(digests::table)
        .filter(digest_deliveries::id.eq(delivery_id.as_str()))
        .select((Delivery::as_select(), Digest::as_select()))
        .first(conn)
        .optional()?)
}

/// Records one attempt of a delivery (appended to its log) and settles its job in one
/// transaction: rescheduled for [`Outcome::RetryAt`], removed otherwise. Only while `lease`
/// is still held: otherwise nothing is recorded and the answer is `false`.
pub fn record_attempt(
    conn: &mut DbConnection,
    lease: &jobs::Lease,
    delivery_id: &DigestDeliveryId,
    attempt: &Attempt,
) -> StorageResult<bool> {
    let (status, label, next, sent_at, message_id, error) = match &attempt.outcome {
        Outcome::Sent { message_id } => (
            SENT,
            "sent",
            None,
            Some(attempt.at),
            Some(message_id.clone()),
            None,
        ),
        Outcome::RetryAt(at) => (
            QUEUED,
            "retry",
            Some(*at),
            None,
            None,
            Some(attempt.reply.clone()),
        ),
        Outcome::Failed => (
            FAILED,
            "failed",
            None,
            None,
            None,
            Some(attempt.reply.clone()),
        ),
    };
    write_transaction(conn, |conn| {
        // The job first: its row lock orders this against a competing claim.
        let held = match attempt.outcome {
            Outcome::RetryAt(at) => jobs::retry(conn, lease, at, &attempt.reply)?,
            Outcome::Sent { .. } | Outcome::Failed => jobs::complete(conn, lease)?,
        };
        if !held {
            return Ok(false);
        }
        let current: Option<String> = digest_deliveries::table
            .filter(digest_deliveries::id.eq(delivery_id.as_str()))
            .select(digest_deliveries::attempt_log)
            .first(conn)
            .optional()?;
        let Some(current) = current else {
            // Deleted with its digest while the attempt ran.
            return Ok(true);
        };
        let mut log: Vec<LoggedAttempt> = serde_json::from_str(&current).unwrap_or_default();
        log.push(LoggedAttempt {
            at: attempt.at,
            outcome: label.to_string(),
            reply: attempt.reply.clone(),
        });
        let log = serde_json::to_string(&log).map_err(|e| {
            StorageError::Other(anyhow::anyhow!("failed to serialize an attempt log: {e}"))
        })?;
        let smtp_response =
            matches!(attempt.outcome, Outcome::Sent { .. }).then(|| attempt.reply.clone());
        diesel::update(
            digest_deliveries::table.filter(digest_deliveries::id.eq(delivery_id.as_str())),
        )
        .set((
            digest_deliveries::status.eq(status),
            digest_deliveries::attempts.eq(digest_deliveries::attempts + 1),
            digest_deliveries::attempt_log.eq(log),
            digest_deliveries::last_error.eq(error),
            digest_deliveries::next_attempt_at.eq(next),
            digest_deliveries::smtp_message_id.eq(message_id),
            digest_deliveries::smtp_response.eq(smtp_response),
            digest_deliveries::sent_at.eq(sent_at),
        ))
        .execute(conn)?;
        Ok(true)
    })
}

/// Gives up a delivery without an attempt (its digest was disabled), and removes its job;
/// like [`record_attempt`], only while `lease` is held.
pub fn abandon_delivery(
    conn: &mut DbConnection,
    lease: &jobs::Lease,
    delivery_id: &DigestDeliveryId,
    reason: &str,
) -> StorageResult<bool> {
    write_transaction(conn, |conn| {
        if !jobs::complete(conn, lease)? {
            return Ok(false);
        }
        diesel::update(
            digest_deliveries::table.filter(digest_deliveries::id.eq(delivery_id.as_str())),
        )
        .set((
            digest_deliveries::status.eq(FAILED),
            digest_deliveries::last_error.eq(Some(reason)),
            digest_deliveries::next_attempt_at.eq(None::<i64>),
        ))
        .execute(conn)?;
        Ok(true)
    })
}
