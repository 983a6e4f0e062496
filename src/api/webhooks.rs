//! Webhooks: a tenant's subscriptions to events (`report.received`, `issue.opened`,
//! `issue.resolved`), their signing secret, test pings and the delivery log.
//!
//! Writes need the admin role, reads any role. A webhook is visible in its tenant's subtree
//! like any tenant resource (another tenant's is a 404) and receives the events of its
//! tenant and of every tenant below it. The secret appears only in the answers of creation
//! and rotation. Delivery, signing and retries: `crate::services::webhooks`.

use crate::api::AppState;
use crate::api::auth::Caller;
use crate::api::blocking;
use crate::api::error::{ApiError, Problem};
use crate::api::pagination::{self, PageQuery};
use crate::api::problems::{AdminRequired, NotFound};
use crate::domain::event::Event;
use crate::domain::ids::{DeliveryId, TenantId, WebhookId};
use crate::domain::tenant::Role;
use crate::storage::now;
use crate::storage::webhooks::{
    self as store, Delivery, DeliveryFilter, NewWebhook, Webhook, WebhookChanges,
};
use actix_web::{HttpResponse, delete, get, patch, post, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Longest webhook description.
const MAX_DESCRIPTION: usize = 500;

/// A webhook (without its secret).
#[derive(Serialize, ToSchema)]
pub struct WebhookResponse {
    #[schema(value_type = String)]
    pub id: WebhookId,
    /// Owning tenant; the webhook gets the events of this tenant and of its descendants.
    #[schema(value_type = String)]
    pub tenant_id: TenantId,
    /// Where deliveries are POSTed.
    #[schema(example = "https://hooks.example.com/ruad")]
    pub url: String,
    /// The events delivered.
    pub events: Vec<Event>,
    pub description: String,
    /// A disabled webhook gets no new deliveries, and its pending ones are marked failed.
    pub enabled: bool,
    /// Unix time of creation.
    pub created_at: i64,
    /// Unix time of the last change (including a secret rotation).
    pub updated_at: i64,
}

impl From<Webhook> for WebhookResponse {
    fn from(w: Webhook) -> Self {
        WebhookResponse {
            events: w.events(),
            id: w.id,
            tenant_id: w.tenant_id,
            url: w.url,
            description: w.description,
            enabled: w.enabled,
            created_at: w.created_at,
            updated_at: w.updated_at,
        }
    }
}

/// A webhook with its signing secret, shown only in this answer.
#[derive(Serialize, ToSchema)]
pub struct WebhookSecretResponse {
    #[serde(flatten)]
    pub webhook: WebhookResponse,
    /// HMAC-SHA256 key of the `ruad-signature` header (the whole string, `whsec_` included).
    /// Not retrievable later; rotate it to get a new one.
    #[schema(example = "whsec_9n4pX2…")]
    pub secret: String,
}

impl From<Webhook> for WebhookSecretResponse {
    fn from(w: Webhook) -> Self {
        WebhookSecretResponse {
            secret: w.secret.clone(),
            webhook: w.into(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct WebhookListResponse {
    pub items: Vec<WebhookResponse>,
    /// Pass as `cursor` to get the next page; `null` on the last page (always present).(always present).
    pub next_cursor: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateWebhookRequest {
    /// `https` URL on a public address (at most 2048 bytes, no user name or password).
    #[schema(example = "https://hooks.example.com/ruad")]
    pub url: String,
    /// Events to deliver (at least one).
    #[schema(example = json!(["report.received", "issue.opened"]))]
    pub events: Vec<Event>,
    /// What the webhook is for (at most 500 characters).
    pub description: Option<String>,
    /// Owning tenant (default: the caller's); must be in the caller's subtree.
    #[schema(value_type = Option<String>)]
    pub tenant_id: Option<TenantId>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateWebhookRequest {
    /// New URL (same rules as at creation).
    pub url: Option<String>,
    /// New set of events (at least one).
    pub events: Option<Vec<Event>>,
    /// New description (`""` clears it).
    pub description: Option<String>,
    /// Enable or disable deliveries.
    pub enabled: Option<bool>,
}

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    /// Not delivered yet; `next_attempt_at` says when it is tried (again).
    Pending,
    /// The receiver answered 2xx.
    Succeeded,
    /// Every attempt failed, or the webhook was disabled before delivery.
    Failed,
}

impl DeliveryStatus {
    fn from_storage(status: &str) -> DeliveryStatus {
        match status {
            store::SUCCEEDED => DeliveryStatus::Succeeded,
            store::FAILED => DeliveryStatus::Failed,
            _ => DeliveryStatus::Pending,
        }
    }

    fn as_storage(self) -> &'static str {
        match self {
            DeliveryStatus::Pending => store::PENDING,
            DeliveryStatus::Succeeded => store::SUCCEEDED,
            DeliveryStatus::Failed => store::FAILED,
        }
    }
}

/// One event sent (or to be sent) to one webhook.
#[derive(Serialize, ToSchema)]
pub struct DeliveryResponse {
    /// Delivery id, sent as the `ruad-delivery` header.
    #[schema(value_type = String)]
    pub id: DeliveryId,
    #[schema(value_type = String)]
    pub webhook_id: WebhookId,
    /// Event id: the body's `id`, the same in every delivery of the event.
    pub event_id: String,
    /// `report.received`, `issue.opened`, `issue.resolved`, or `webhook.test`.
    #[schema(example = "report.received")]
    pub event_type: String,
    pub status: DeliveryStatus,
    /// Attempts made so far.
    pub attempts: i32,
    /// HTTP status of the receiver's last answer, if it answered.
    #[schema(example = 500)]
    pub response_status: Option<i32>,
    /// Why the last attempt failed (with the start of the answer), if it did.
    pub last_error: Option<String>,
    /// Unix time the event was queued.
    pub created_at: i64,
    /// Unix time of the next attempt, while pending.
    pub next_attempt_at: Option<i64>,
    /// Unix time of the successful attempt.
    pub delivered_at: Option<i64>,
    /// The request body, as sent (see `WebhookEvent`).
    #[schema(value_type = Object)]
    pub payload: serde_json::Value,
}

impl From<Delivery> for DeliveryResponse {
    fn from(d: Delivery) -> Self {
        DeliveryResponse {
            status: DeliveryStatus::from_storage(&d.status),
            payload: serde_json::from_str(&d.payload)
                .unwrap_or(serde_json::Value::String(d.payload)),
            id: d.id,
            webhook_id: d.webhook_id,
            event_id: d.event_id,
            event_type: d.event_type,
            attempts: d.attempts,
            response_status: d.response_status,
            last_error: d.last_error,
            created_at: d.created_at,
            next_attempt_at: d.next_attempt_at,
            delivered_at: d.delivered_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct DeliveryListResponse {
    /// Newest first.
    pub items: Vec<DeliveryResponse>,
    /// Pass as `cursor` to get the next page; `null` on the last page (always present).(always present).
    pub next_cursor: Option<String>,
}

/// Filters and pagination of a delivery log.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DeliveryListQuery {
    /// Only deliveries in this state.
    pub status: Option<DeliveryStatus>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Page size (1 to 500, default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
}

/// The body of every webhook request (documentation of what receivers get; not an API
/// answer). Signed as described under the `webhooks` tag.
#[derive(Serialize, ToSchema)]
pub struct WebhookEvent {
    /// Event id: the same in every delivery of this event, to every webhook; deduplicate on it.
    pub id: String,
    /// `report.received`, `issue.opened`, `issue.resolved`, or `webhook.test`.
    #[serde(rename = "type")]
    #[schema(example = "report.received")]
    pub event_type: String,
    /// When the event happened (RFC 3339, UTC).
    #[schema(example = "2026-11-27T10:00:00Z")]
    pub created_at: String,
    /// The tenant the event is about (a descendant of the webhook's tenant, or itself).
    pub tenant_id: String,
    /// Event details: `ReportReceived` for `report.received`, `FailureReportReceived` for
    /// `failure_report.received`.
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
}

fn valid_url(state: &AppState, url: &str) -> Result<String, ApiError> {
    crate::services::webhooks::parse_url(url, state.settings.outbound_allow_private)
        .map(String::from)
        .map_err(|e| ApiError::Validation(e.to_string()))
}

fn valid_events(events: &[Event]) -> Result<(), ApiError> {
    if events.is_empty() {
        return Err(ApiError::Validation(
            "events must name at least one event".into(),
        ));
    }
    Ok(())
}

fn valid_description(description: &str) -> Result<String, ApiError> {
    let description = description.trim();
    if description.chars().count() > MAX_DESCRIPTION {
        return Err(ApiError::Validation(format!(
            "description must have at most {MAX_DESCRIPTION} characters"
        )));
    }
    Ok(description.to_string())
}

/// Create a webhook. The answer holds the signing secret, shown only now.
#[utoipa::path(tag = "webhooks", security(("bearer" = [])), request_body = CreateWebhookRequest, responses(
    (status = 201, description = "Created; the answer holds the secret", body = WebhookSecretResponse),
    (status = 403, response = AdminRequired),
    (status = 404, description = "Tenant not found", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "Invalid URL (not https, a non-public address, credentials, too long), no event, or a description too long", body = Problem, content_type = "application/problem+json"),
))]
#[post("/webhooks")]
pub async fn create_webhook(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<CreateWebhookRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Role::Admin)?;
    let body = body.into_inner();
    let url = valid_url(&state, &body.url)?;
    valid_events(&body.events)?;
    let description = valid_description(body.description.as_deref().unwrap_or_default())?;
    let tenant = body
        .tenant_id
        .unwrap_or_else(|| caller.scope.tenant_id.clone());
    let webhook = blocking(move || {
        let new = NewWebhook {
            url: &url,
            events: &body.events,
            description: &description,
        };
        Ok(state
            .db
            .write(|conn| store::insert_webhook(conn, &caller.scope, &tenant, &new, now()))?)
    })
    .await?;
    Ok(HttpResponse::Created().json(WebhookSecretResponse::from(webhook)))
}

/// List the webhooks of the caller's tenant and its descendants, newest first.
#[utoipa::path(tag = "webhooks", security(("bearer" = [])), params(PageQuery), responses(
    (status = 200, description = "A page of webhooks", body = WebhookListResponse),
))]
#[get("/webhooks")]
pub async fn list_webhooks(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<PageQuery>,
) -> Result<web::Json<WebhookListResponse>, ApiError> {
    let limit = query.limit()?;
    let after = pagination::number_cursor(query.cursor.as_deref())?;
    let rows = blocking(move || {
        Ok(state
            .db
            .read(|conn| store::list_webhooks(conn, &caller.scope, after.as_ref(), limit + 1))?)
    })
    .await?;
    let (rows, next_cursor) =
        pagination::page(rows, limit, |w| format!("{}:{}", w.created_at, w.id));
    Ok(web::Json(WebhookListResponse {
        items: rows.into_iter().map(Into::into).collect(),
        next_cursor,
    }))
}

/// Get a webhook (without its secret).
#[utoipa::path(tag = "webhooks", security(("bearer" = [])), params(("webhook_id" = String, Path, description = "Webhook id")), responses(
    (status = 200, description = "The webhook", body = WebhookResponse),
    (status = 404, response = NotFound),
))]
#[get("/webhooks/{webhook_id}")]
pub async fn get_webhook(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<WebhookId>,
) -> Result<web::Json<WebhookResponse>, ApiError> {
    let id = path.into_inner();
    let webhook = blocking(move || {
        Ok(state
            .db
            .read(|conn| store::get_webhook(conn, &caller.scope, &id))?)
    })
    .await?;
    Ok(web::Json(webhook.into()))
}

/// Change a webhook's URL, events, description, or enable/disable it.
#[utoipa::path(tag = "webhooks", security(("bearer" = [])), params(("webhook_id" = String, Path, description = "Webhook id")), request_body = UpdateWebhookRequest, responses(
    (status = 200, description = "Updated", body = WebhookResponse),
    (status = 403, response = AdminRequired),
    (status = 404, response = NotFound),
    (status = 422, description = "Invalid URL, no event, or a description too long", body = Problem, content_type = "application/problem+json"),
))]
#[patch("/webhooks/{webhook_id}")]
pub async fn update_webhook(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<WebhookId>,
    body: web::Json<UpdateWebhookRequest>,
) -> Result<web::Json<WebhookResponse>, ApiError> {
    caller.require(Role::Admin)?;
    let body = body.into_inner();
    if let Some(events) = &body.events {
        valid_events(events)?;
    }
    let changes = WebhookChanges {
        url: body
            .url
            .as_deref()
            .map(|u| valid_url(&state, u))
            .transpose()?,
        events: body.events,
        description: body
            .description
            .as_deref()
            .map(valid_description)
            .transpose()?,
        enabled: body.enabled,
    };
    let id = path.into_inner();
    let webhook = blocking(move || {
        Ok(state
            .db
            .write(|conn| store::update_webhook(conn, &caller.scope, &id, &changes, now()))?)
    })
    .await?;
    Ok(web::Json(webhook.into()))
}

/// Delete a webhook and its delivery log; pending deliveries are dropped.
#[utoipa::path(tag = "webhooks", security(("bearer" = [])), params(("webhook_id" = String, Path, description = "Webhook id")), responses(
    (status = 204, description = "Deleted"),
    (status = 403, response = AdminRequired),
    (status = 404, response = NotFound),
))]
#[delete("/webhooks/{webhook_id}")]
pub async fn delete_webhook(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<WebhookId>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Role::Admin)?;
    let id = path.into_inner();
    blocking(move || {
        Ok(state
            .db
            .write(|conn| store::delete_webhook(conn, &caller.scope, &id))?)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Replace a webhook's signing secret. The old one stops at once: every later attempt,
/// including retries of earlier events, is signed with the new one.
#[utoipa::path(tag = "webhooks", security(("bearer" = [])), params(("webhook_id" = String, Path, description = "Webhook id")), responses(
    (status = 200, description = "The webhook with its new secret, shown only now", body = WebhookSecretResponse),
    (status = 403, response = AdminRequired),
    (status = 404, response = NotFound),
))]
#[post("/webhooks/{webhook_id}/rotate-secret")]
pub async fn rotate_webhook_secret(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<WebhookId>,
) -> Result<web::Json<WebhookSecretResponse>, ApiError> {
    caller.require(Role::Admin)?;
    let id = path.into_inner();
    let webhook = blocking(move || {
        Ok(state
            .db
            .write(|conn| store::rotate_secret(conn, &caller.scope, &id, now()))?)
    })
    .await?;
    Ok(web::Json(webhook.into()))
}

/// Queue a `webhook.test` ping to this webhook only (also when it is disabled). Its outcome
/// appears in the delivery log.
#[utoipa::path(tag = "webhooks", security(("bearer" = [])), params(("webhook_id" = String, Path, description = "Webhook id")), responses(
    (status = 202, description = "Queued", body = DeliveryResponse),
    (status = 403, response = AdminRequired),
    (status = 404, response = NotFound),
))]
#[post("/webhooks/{webhook_id}/test")]
pub async fn send_test_webhook(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<WebhookId>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Role::Admin)?;
    let id = path.into_inner();
    let delivery = blocking(move || {
        Ok(state
            .db
            .write(|conn| store::queue_test(conn, &caller.scope, &id, now()))?)
    })
    .await?;
    Ok(HttpResponse::Accepted().json(DeliveryResponse::from(delivery)))
}

/// The delivery log of a webhook, newest first: each event sent to it, its state, the
/// attempts made, the last answer's status and error.
#[utoipa::path(tag = "webhooks", security(("bearer" = [])), params(("webhook_id" = String, Path, description = "Webhook id"), DeliveryListQuery), responses(
    (status = 200, description = "A page of deliveries", body = DeliveryListResponse),
    (status = 404, response = NotFound),
))]
#[get("/webhooks/{webhook_id}/deliveries")]
pub async fn list_webhook_deliveries(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<WebhookId>,
    query: web::Query<DeliveryListQuery>,
) -> Result<web::Json<DeliveryListResponse>, ApiError> {
    let q = query.into_inner();
    let limit = pagination::checked_limit(q.limit)?;
    let filter = DeliveryFilter {
        status: q.status.map(|s| s.as_storage().to_string()),
        after: pagination::number_cursor(q.cursor.as_deref())?,
        limit: limit + 1,
    };
    let id = path.into_inner();
    let rows = blocking(move || {
        Ok(state
            .db
            .read(|conn| store::list_deliveries(conn, &caller.scope, &id, &filter))?)
    })
    .await?;
    let (rows, next_cursor) =
        pagination::page(rows, limit, |d| format!("{}:{}", d.created_at, d.id));
    Ok(web::Json(DeliveryListResponse {
        items: rows.into_iter().map(Into::into).collect(),
        next_cursor,
    }))
}
