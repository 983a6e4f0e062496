//! Webhooks of a tenant, their delivery log, and [`emit`]: the one way the rest of ruad
//! announces an event.
//!
//! - A webhook belongs to one tenant and receives the subscribed events of that tenant and of
//!   every tenant below it (an MSSP's webhook sees its customers' events, a customer's does
//!   not see its siblings'). Disabled webhooks get nothing new.
//! - [`emit`] runs inside the caller's transaction, so an event is queued exactly when what it
//!   reports is committed. It writes one `webhook_deliveries` row per matching webhook, each
//!   with its `deliver_webhook` job; the rows of one event share the event id and the body.
//! - Sending is `crate::outbound::webhook`, the retry policy `crate::services::webhooks`,
//!   which records each attempt with [`record_attempt`]: it updates the delivery and settles
//!   its job in one transaction, so the log and the job table cannot disagree.
//! - The signing secret is stored in clear (HMAC needs it); it leaves storage only towards
//!   the signer and the create/rotate answers, and `Debug` does not print it.
//!
//! Must not depend on actix-web.

use super::schema::{tenants, webhook_deliveries, webhooks};
use super::tenants::get_tenant;
use super::{DbConnection, StorageError, StorageResult, TenantScope, jobs};
use crate::domain::event::{Event, TEST_EVENT};
use crate::domain::ids::{DeliveryId, TenantId, WebhookId};
use crate::domain::job::JobKind;
use crate::storage::write_transaction;
use base64::Engine;
use diesel::prelude::*;
use rand::RngCore;

/// Every webhook secret starts with this, so it is recognizable in a configuration.
pub const SECRET_PREFIX: &str = "whsec_";

/// Delivery states (`webhook_deliveries.status`).
pub const PENDING: &str = "pending";
pub const SUCCEEDED: &str = "succeeded";
pub const FAILED: &str = "failed";

#[derive(Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = webhooks)]
pub struct Webhook {
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub id: WebhookId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub tenant_id: TenantId,
    pub url: String,
    /// JSON array of event names.
    pub events: String,
    pub secret: String,
    pub description: String,
    pub enabled: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

impl std::fmt::Debug for Webhook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Webhook")
            .field("id", &self.id)
            .field("tenant_id", &self.tenant_id)
            .field("url", &self.url)
            .field("events", &self.events)
            .field("enabled", &self.enabled)
            .finish_non_exhaustive()
    }
}

impl Webhook {
    /// The subscribed events (names no longer known are skipped).
    pub fn events(&self) -> Vec<Event> {
        serde_json::from_str::<Vec<String>>(&self.events)
            .unwrap_or_default()
            .iter()
            .filter_map(|e| Event::parse(e))
            .collect()
    }

    pub fn subscribes(&self, event: Event) -> bool {
        self.events().contains(&event)
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = webhook_deliveries)]
pub struct Delivery {
    #[diesel(deserialize_as = String)]
    pub id: DeliveryId,
    /// The webhook's tenant (the event's tenant is in the payload).
    #[diesel(deserialize_as = String)]
    pub tenant_id: TenantId,
    #[diesel(deserialize_as = String)]
    pub webhook_id: WebhookId,
    pub event_id: String,
    pub event_type: String,
    /// The request body, exactly as sent.
    pub payload: String,
    pub status: String,
    pub attempts: i32,
    pub response_status: Option<i32>,
    pub last_error: Option<String>,
    pub created_at: i64,
    pub next_attempt_at: Option<i64>,
    pub delivered_at: Option<i64>,
}

/// A delivery as inserted: by reference, so that a batch is inserted without copying it
/// (`serialize_as` would need owned values).
#[derive(Insertable)]
#[diesel(table_name = webhook_deliveries)]
struct DeliveryInsert<'a> {
    id: &'a str,
    tenant_id: &'a str,
    webhook_id: &'a str,
    event_id: &'a str,
    event_type: &'a str,
    payload: &'a str,
    status: &'a str,
    attempts: i32,
    response_status: Option<i32>,
    last_error: Option<&'a str>,
    created_at: i64,
    next_attempt_at: Option<i64>,
    delivered_at: Option<i64>,
}

impl<'a> From<&'a Delivery> for DeliveryInsert<'a> {
    fn from(d: &'a Delivery) -> DeliveryInsert<'a> {
        DeliveryInsert {
            id: d.id.as_str(),
            tenant_id: d.tenant_id.as_str(),
            webhook_id: d.webhook_id.as_str(),
            event_id: &d.event_id,
            event_type: &d.event_type,
            payload: &d.payload,
            status: &d.status,
            attempts: d.attempts,
            response_status: d.response_status,
            last_error: d.last_error.as_deref(),
            created_at: d.created_at,
            next_attempt_at: d.next_attempt_at,
            delivered_at: d.delivered_at,
        }
    }
}

/// A webhook to create.
pub struct NewWebhook<'a> {
    pub url: &'a str,
    pub events: &'a [Event],
    pub description: &'a str,
}

/// Changes to a webhook; `None` keeps the current value.
#[derive(Debug, Default)]
pub struct WebhookChanges {
    pub url: Option<String>,
    pub events: Option<Vec<Event>>,
    pub description: Option<String>,
    pub enabled: Option<bool>,
}

/// Filters and pagination of a delivery log.
#[derive(Debug, Default, Clone)]
pub struct DeliveryFilter {
    pub status: Option<String>,
    /// Continue after this (created_at, id), in descending order.
    pub after: Option<(i64, String)>,
    pub limit: i64,
}

/// How one delivery attempt ended, as decided by the sender's retry policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The receiver answered 2xx.
    Succeeded,
    /// Failed; try again at this time.
    RetryAt(i64),
    /// Failed, and no attempt is left.
    Failed,
}

/// One delivery attempt, to record.
#[derive(Debug, Clone)]
pub struct Attempt {
    pub at: i64,
    /// The receiver's HTTP status, when it answered.
    pub response_status: Option<i32>,
    /// Why the attempt failed (with a short excerpt of the answer), `None` on success.
    pub error: Option<String>,
    pub outcome: Outcome,
}

/// Ids sort by creation time (UUID v7), so a log is in creation order within a second too.
fn new_time_ordered_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    format!(
        "{SECRET_PREFIX}{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    )
}

/// The events as stored: a JSON array without duplicates, in [`Event::ALL`] order.
fn events_json(events: &[Event]) -> String {
    let names: Vec<&str> = Event::ALL
        .into_iter()
        .filter(|e| events.contains(e))
        .map(Event::as_str)
        .collect();
    serde_json::to_string(&names).unwrap_or_else(|_| "[]".into())
}

/// Creates a webhook of `tenant_id` (in scope), enabled, with a new secret.
#[tracing::instrument(skip_all, fields(tenant_id = %scope.tenant_id))]
pub fn insert_webhook(
    conn: &mut DbConnection,
    scope: &TenantScope,
    tenant_id: &TenantId,
    new: &NewWebhook<'_>,
    now: i64,
) -> StorageResult<Webhook> {
    get_tenant(conn, scope, tenant_id)?;
    let webhook = Webhook {
        id: new_time_ordered_id().into(),
        tenant_id: tenant_id.clone(),
        url: new.url.to_string(),
        events: events_json(new.events),
        secret: new_secret(),
        description: new.description.to_string(),
        enabled: true,
        created_at: now,
        updated_at: now,
    };
    diesel::insert_into(webhooks::table)
        .values(webhook.clone())
        .execute(conn)?;
    Ok(webhook)
}

/// A webhook in the caller's scope.
pub fn get_webhook(
    conn: &mut DbConnection,
    scope: &TenantScope,
    id: &WebhookId,
) -> StorageResult<Webhook> {
    let in_scope = tenants::table
        .filter(tenants::path.like(scope.like()))
        .select(tenants::id);
    Ok(webhooks::table
        .filter(webhooks::id.eq(id.as_str()))
        .filter(webhooks::tenant_id.eq_any(in_scope))
        .select(Webhook::as_select())
        .first(conn)?)
}

/// The webhooks in scope, newest first, at most `limit`, after the cursor `after`.
pub fn list_webhooks(
    conn: &mut DbConnection,
    scope: &TenantScope,
    after: Option<&(i64, String)>,
    limit: i64,
) -> StorageResult<Vec<Webhook>> {
    let in_scope = tenants::table
        .filter(tenants::path.like(scope.like()))
        .select(tenants::id);
    let mut query = webhooks::table
        .filter(webhooks::tenant_id.eq_any(in_scope))
        .into_boxed();
    if let Some((created, id)) = after {
        query = query.filter(
            webhooks::created_at.lt(*created).or(webhooks::created_at
                .eq(*created)
                .and(webhooks::id.lt(id.clone()))),
        );
    }
    Ok(query
        .order((webhooks::created_at.desc(), webhooks::id.desc()))
        .limit(limit)
        .select(Webhook::as_select())
        .load(conn)?)
}

/// Applies `changes` to a webhook in scope.
#[tracing::instrument(skip_all, fields(tenant_id = %scope.tenant_id))]
pub fn update_webhook(
    conn: &mut DbConnection,
    scope: &TenantScope,
    id: &WebhookId,
    changes: &WebhookChanges,
    now: i64,
) -> StorageResult<Webhook> {
    let current = get_webhook(conn, scope, id)?;
    let updated = Webhook {
        url: changes.url.clone().unwrap_or(current.url),
        events: changes
            .events
            .as_deref()
            .map(events_json)
            .unwrap_or(current.events),
        description: changes.description.clone().unwrap_or(current.description),
        enabled: changes.enabled.unwrap_or(current.enabled),
        updated_at: now,
        ..current
    };
    diesel::update(webhooks::table.filter(webhooks::id.eq(updated.id.as_str())))
        .set((
            webhooks::url.eq(&updated.url),
            webhooks::events.eq(&updated.events),
            webhooks::description.eq(&updated.description),
            webhooks::enabled.eq(updated.enabled),
            webhooks::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(updated)
}

/// Replaces a webhook's secret; the next attempt of every delivery is signed with the new one.
#[tracing::instrument(skip_all, fields(tenant_id = %scope.tenant_id))]
pub fn rotate_secret(
    conn: &mut DbConnection,
    scope: &TenantScope,
    id: &WebhookId,
    now: i64,
) -> StorageResult<Webhook> {
    let current = get_webhook(conn, scope, id)?;
    let updated = Webhook {
        secret: new_secret(),
        updated_at: now,
        ..current
    };
    diesel::update(webhooks::table.filter(webhooks::id.eq(updated.id.as_str())))
        .set((
            webhooks::secret.eq(&updated.secret),
            webhooks::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(updated)
}

/// Deletes a webhook with its delivery log. Its queued jobs find nothing left to send.
#[tracing::instrument(skip_all, fields(tenant_id = %scope.tenant_id))]
pub fn delete_webhook(
    conn: &mut DbConnection,
    scope: &TenantScope,
    id: &WebhookId,
) -> StorageResult<()> {
    let webhook = get_webhook(conn, scope, id)?;
    let id = webhook.id.as_str();
    write_transaction(conn, |conn| {
        diesel::delete(webhook_deliveries::table.filter(webhook_deliveries::webhook_id.eq(id)))
            .execute(conn)?;
        diesel::delete(webhooks::table.filter(webhooks::id.eq(id))).execute(conn)?;
        Ok(())
    })
}

/// The delivered body: `{"id", "type", "created_at" (RFC 3339), "tenant_id", "data"}`.
#[derive(serde::Serialize)]
struct EventBody<'a> {
    id: &'a str,
    #[serde(rename = "type")]
    event_type: &'a str,
    created_at: String,
    tenant_id: &'a TenantId,
    data: &'a serde_json::Value,
}

fn event_body(
    event_id: &str,
    event_type: &str,
    tenant_id: &TenantId,
    data: &serde_json::Value,
    created_at: i64,
) -> StorageResult<String> {
    let created_at = chrono::DateTime::from_timestamp(created_at, 0)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    serde_json::to_string(&EventBody {
        id: event_id,
        event_type,
        created_at,
        tenant_id,
        data,
    })
    .map_err(|e| StorageError::Other(anyhow::anyhow!("failed to serialize an event: {e}")))
}

/// A pending delivery of `body` to `webhook`, due at `now`.
fn new_delivery(
    webhook: &Webhook,
    event_id: &str,
    event_type: &str,
    body: String,
    now: i64,
) -> Delivery {
    Delivery {
        id: new_time_ordered_id().into(),
        tenant_id: webhook.tenant_id.clone(),
        webhook_id: webhook.id.clone(),
        event_id: event_id.to_string(),
        event_type: event_type.to_string(),
        payload: body,
        status: PENDING.to_string(),
        attempts: 0,
        response_status: None,
        last_error: None,
        created_at: now,
        next_attempt_at: Some(now),
        delivered_at: None,
    }
}

/// Inserts deliveries with their jobs, due at `now`: two statements however many webhooks
/// get the event, since this runs inside every report's ingest transaction.
fn insert_deliveries(
    conn: &mut DbConnection,
    deliveries: &[Delivery],
    now: i64,
) -> StorageResult<()> {
    let rows: Vec<DeliveryInsert<'_>> = deliveries.iter().map(DeliveryInsert::from).collect();
    super::insert_batch!(conn, webhook_deliveries::table, rows, 200)?;
    let jobs: Vec<(Option<&TenantId>, serde_json::Value)> = deliveries
        .iter()
        .map(|d| {
            (
                Some(&d.tenant_id),
                serde_json::json!({ "delivery_id": d.id }),
            )
        })
        .collect();
    jobs::enqueue_many(conn, JobKind::DeliverWebhook, &jobs, now)?;
    Ok(())
}

/// Queues one event for every enabled webhook subscribed to it, of the event's tenant and of
/// its ancestors (an MSSP's webhook sees its customers' events), inside the caller's
/// transaction; a delivery job per delivery. Returns the event id.
#[tracing::instrument(skip_all, fields(tenant_id = %tenant_id, event = %event))]
pub fn emit(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    event: Event,
    data: &serde_json::Value,
    now: i64,
) -> StorageResult<String> {
    write_transaction(conn, |conn| {
        let path: String = tenants::table
            .filter(tenants::id.eq(tenant_id.as_str()))
            .select(tenants::path)
            .first(conn)?;
        // The materialized path lists the tenant and all its ancestors.
        let lineage: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        let candidates: Vec<Webhook> = webhooks::table
            .filter(webhooks::tenant_id.eq_any(lineage))
            .filter(webhooks::enabled.eq(true))
            .select(Webhook::as_select())
            .load(conn)?;
        let event_id = new_time_ordered_id();
        let subscribed: Vec<&Webhook> = candidates.iter().filter(|w| w.subscribes(event)).collect();
        if subscribed.is_empty() {
            return Ok(event_id);
        }
        let body = event_body(&event_id, event.as_str(), tenant_id, data, now)?;
        let deliveries: Vec<Delivery> = subscribed
            .into_iter()
            .map(|w| new_delivery(w, &event_id, event.as_str(), body.clone(), now))
            .collect();
        insert_deliveries(conn, &deliveries, now)?;
        Ok(event_id)
    })
}

/// Queues a `webhook.test` ping to one webhook in scope (enabled or not).
#[tracing::instrument(skip_all, fields(tenant_id = %scope.tenant_id))]
pub fn queue_test(
    conn: &mut DbConnection,
    scope: &TenantScope,
    id: &WebhookId,
    now: i64,
) -> StorageResult<Delivery> {
    let webhook = get_webhook(conn, scope, id)?;
    write_transaction(conn, |conn| {
        let event_id = new_time_ordered_id();
        let data = serde_json::json!({
            "webhook_id": webhook.id,
            "message": "a test delivery requested through the API",
        });
        let body = event_body(&event_id, TEST_EVENT, &webhook.tenant_id, &data, now)?;
        let delivery = new_delivery(&webhook, &event_id, TEST_EVENT, body, now);
        insert_deliveries(conn, std::slice::from_ref(&delivery), now)?;
        Ok(delivery)
    })
}

/// The delivery log of a webhook in scope, newest first.
pub fn list_deliveries(
    conn: &mut DbConnection,
    scope: &TenantScope,
    webhook_id: &WebhookId,
    filter: &DeliveryFilter,
) -> StorageResult<Vec<Delivery>> {
    let webhook = get_webhook(conn, scope, webhook_id)?;
    let mut query = webhook_deliveries::table
        .filter(webhook_deliveries::webhook_id.eq(webhook.id.into_string()))
        .into_boxed();
    if let Some(status) = &filter.status {
        query = query.filter(webhook_deliveries::status.eq(status.clone()));
    }
    if let Some((created, id)) = &filter.after {
        query = query.filter(
            webhook_deliveries::created_at
                .lt(*created)
                .or(webhook_deliveries::created_at
                    .eq(*created)
                    .and(webhook_deliveries::id.lt(id.clone()))),
        );
    }
    Ok(query
        .order((
            webhook_deliveries::created_at.desc(),
            webhook_deliveries::id.desc(),
        ))
        .limit(filter.limit)
        .select(Delivery::as_select())
        .load(conn)?)
}

/// A delivery with its webhook, regardless of scope (the delivery worker only); `None` when
/// the webhook was deleted since.
pub fn find_delivery(
    conn: &mut DbConnection,
    delivery_id: &DeliveryId,
) -> StorageResult<Option<(Delivery, Webhook)>> {
    Ok(webhook_deliveries::table
        .inner_join(webhooks::table)
        .filter(webhook_deliveries::id.eq(delivery_id.as_str()))
        .select((Delivery::as_select(), Webhook::as_select()))
        .first(conn)
        .optional()?)
}

/// Records one attempt of a delivery and settles its job in one transaction: rescheduled for
/// [`Outcome::RetryAt`], removed otherwise. Only while `lease` is still held: otherwise
/// (another instance took the job over) nothing is recorded and the answer is `false`.
pub fn record_attempt(
    conn: &mut DbConnection,
    lease: &jobs::Lease,
    delivery_id: &DeliveryId,
    attempt: &Attempt,
) -> StorageResult<bool> {
    let (status, next, delivered) = match attempt.outcome {
        Outcome::Succeeded => (SUCCEEDED, None, Some(attempt.at)),
        Outcome::RetryAt(at) => (PENDING, Some(at), None),
        Outcome::Failed => (FAILED, None, None),
    };
    write_transaction(conn, |conn| {
        // The job first: its row lock orders this against a competing claim.
        let held = match attempt.outcome {
            Outcome::RetryAt(at) => jobs::retry(
                conn,
                lease,
                at,
                attempt.error.as_deref().unwrap_or_default(),
            )?,
            Outcome::Succeeded | Outcome::Failed => jobs::complete(conn, lease)?,
        };
        if !held {
            return Ok(false);
        }
        diesel::update(
            webhook_deliveries::table.filter(webhook_deliveries::id.eq(delivery_id.as_str())),
        )
        .set((
            webhook_deliveries::status.eq(status),
            webhook_deliveries::attempts.eq(webhook_deliveries::attempts + 1),
            webhook_deliveries::response_status.eq(attempt.response_status),
            webhook_deliveries::last_error.eq(&attempt.error),
            webhook_deliveries::next_attempt_at.eq(next),
            webhook_deliveries::delivered_at.eq(delivered),
        ))
        .execute(conn)?;
        Ok(true)
    })
}

/// Gives up a delivery without an attempt (its webhook was disabled), and removes its job;
/// like [`record_attempt`], only while `lease` is held.
pub fn abandon_delivery(
    conn: &mut DbConnection,
    lease: &jobs::Lease,
    delivery_id: &DeliveryId,
    reason: &str,
) -> StorageResult<bool> {
    write_transaction(conn, |conn| {
        if !jobs::complete(conn, lease)? {
            return Ok(false);
        }
        diesel::update(
            webhook_deliveries::table.filter(webhook_deliveries::id.eq(delivery_id.as_str())),
        )
        .set((
            webhook_deliveries::status.eq(FAILED),
            webhook_deliveries::last_error.eq(Some(reason)),
            webhook_deliveries::next_attempt_at.eq(None::<i64>),
        ))
        .execute(conn)?;
        Ok(true)
    })
}
