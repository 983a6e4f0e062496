//! Scheduled digests: a domain's report, or a tenant's portfolio, mailed weekly or monthly
//! as HTML with the PDF attached, under the tenant's brand; their delivery log; and a send
//! now.
//!
//! Writes need the admin role, reads any role. A digest is visible in its tenant's subtree
//! like any tenant resource (another tenant's is a 404). A domain's digest belongs to the
//! domain's tenant (whose brand it carries); a portfolio digest to the tenant named (default:
//! the caller's) and covers that tenant's subtree. Validation problems carry precise codes:
//! `invalid_recipients`, `invalid_time_zone`, `invalid_schedule`, `unsupported_language`.
//! Scheduling, rendering and sending: `crate::services::digests`.

use crate::api::AppState;
use crate::api::auth::Caller;
use crate::api::blocking;
use crate::api::error::{ApiError, ErrorCode, Problem};
use crate::api::pagination::{self, PageQuery};
use crate::api::problems::{AdminRequired, NotFound};
use crate::domain::branding::Language;
use crate::domain::digest::{Frequency, Schedule, ScheduleError, date_of_epoch_day};
use crate::domain::ids::{DigestDeliveryId, DigestId, DomainId, TenantId};
use crate::domain::tenant::Role;
use crate::services::digests::{self as service, DigestError};
use crate::storage::digests::{self as store, Delivery, DeliveryFilter, Digest};
use crate::storage::{StorageError, now};
use actix_web::{HttpResponse, delete, get, patch, post, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

impl From<DigestError> for ApiError {
    fn from(e: DigestError) -> Self {
        let code = match &e {
            DigestError::RecipientCount | DigestError::Recipient(_) => ErrorCode::InvalidRecipients,
            DigestError::Schedule(ScheduleError::TimeZone(_)) => ErrorCode::InvalidTimeZone,
            DigestError::Schedule(_) | DigestError::Frequency => ErrorCode::InvalidSchedule,
            DigestError::Language(_) => ErrorCode::UnsupportedLanguage,
        };
        ApiError::Unprocessable {
            code,
            detail: e.to_string(),
        }
    }
}

/// How often a digest is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DigestFrequency {
    /// Every week on `day` (ISO weekday, 1 = Monday), reporting on the 7 days before.
    Weekly,
    /// Every month on `day` (1 to 28), reporting on the previous calendar month.
    Monthly,
}

impl From<DigestFrequency> for Frequency {
    fn from(f: DigestFrequency) -> Frequency {
        match f {
            DigestFrequency::Weekly => Frequency::Weekly,
            DigestFrequency::Monthly => Frequency::Monthly,
        }
    }
}

impl From<Frequency> for DigestFrequency {
    fn from(f: Frequency) -> DigestFrequency {
        match f {
            Frequency::Weekly => DigestFrequency::Weekly,
            Frequency::Monthly => DigestFrequency::Monthly,
        }
    }
}

/// A scheduled digest.
#[derive(Serialize, ToSchema)]
pub struct DigestResponse {
    #[schema(value_type = String)]
    pub id: DigestId,
    /// Owning tenant: the domain's tenant, or the tenant whose portfolio is sent. Its brand
    /// is the mail's.
    #[schema(value_type = String)]
    pub tenant_id: TenantId,
    /// The domain reported on; `null`: the tenant's portfolio (every domain of its subtree).
    #[schema(value_type = Option<String>)]
    pub domain_id: Option<DomainId>,
    /// Where the digest is mailed.
    #[schema(example = json!(["security@customer.example"]))]
    pub recipients: Vec<String>,
    pub frequency: DigestFrequency,
    /// Weekly: ISO weekday (1 = Monday … 7 = Sunday); monthly: day of the month (1 to 28).
    #[schema(example = 1)]
    pub day: i32,
    /// Local hour (0 to 23) in `time_zone`.
    #[schema(example = 8)]
    pub hour: i32,
    /// IANA time zone the day and hour are in.
    #[schema(example = "Europe/Amsterdam")]
    pub time_zone: String,
    /// Language of the mail and documents (`en`, `nl`); `null`: the brand's.
    #[schema(example = "nl")]
    pub language: Option<String>,
    /// A disabled digest is not sent on schedule (a send now still is).
    pub enabled: bool,
    /// Unix time of the next scheduled send.
    pub next_run_at: i64,
    /// Unix time of the last scheduled send queued.
    pub last_run_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl From<Digest> for DigestResponse {
    fn from(d: Digest) -> Self {
        DigestResponse {
            recipients: d.recipients(),
            domain_id: d.domain_id(),
            frequency: Frequency::parse(&d.frequency)
                .unwrap_or(Frequency::Weekly)
                .into(),
            id: d.id,
            tenant_id: d.tenant_id,
            day: d.day,
            hour: d.hour,
            time_zone: d.time_zone,
            language: d.language,
            enabled: d.enabled,
            next_run_at: d.next_run_at,
            last_run_at: d.last_run_at,
            created_at: d.created_at,
            updated_at: d.updated_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct DigestListResponse {
    pub items: Vec<DigestResponse>,
    /// Pass as `cursor` to get the next page; `null` on the last page (always present).
    pub next_cursor: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateDigestRequest {
    /// The domain to report on (name or id, in the caller's subtree); omit for the
    /// portfolio of `tenant_id`.
    #[schema(example = "example.com")]
    pub domain: Option<String>,
    /// For a portfolio digest: the tenant whose subtree it covers (default: the caller's).
    /// Not allowed with `domain` (a domain's digest belongs to the domain's tenant).
    #[schema(value_type = Option<String>)]
    pub tenant_id: Option<TenantId>,
    /// 1 to 20 email addresses (plain addresses, no display names).
    #[schema(example = json!(["security@customer.example"]))]
    pub recipients: Vec<String>,
    pub frequency: DigestFrequency,
    /// Weekly: ISO weekday (1 = Monday … 7 = Sunday); monthly: day of the month (1 to 28).
    #[schema(example = 1)]
    pub day: i32,
    /// Local hour (0 to 23) in `time_zone`.
    #[schema(example = 8)]
    pub hour: i32,
    /// IANA time zone name (default `UTC`).
    #[schema(example = "Europe/Amsterdam")]
    pub time_zone: Option<String>,
    /// `en` or `nl` (default: the brand's language).
    pub language: Option<String>,
    /// Default true.
    pub enabled: Option<bool>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateDigestRequest {
    /// New recipients (1 to 20).
    pub recipients: Option<Vec<String>>,
    pub frequency: Option<DigestFrequency>,
    /// New day (checked against the new or current frequency).
    pub day: Option<i32>,
    pub hour: Option<i32>,
    pub time_zone: Option<String>,
    /// `en` or `nl`; `""` returns to the brand's language.
    pub language: Option<String>,
    /// Enable or disable scheduled sends.
    pub enabled: Option<bool>,
}

/// Where a digest delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DigestDeliveryStatus {
    /// Not sent yet; `next_attempt_at` says when it is tried (again).
    Queued,
    /// The relay took the message.
    Sent,
    /// A permanent failure, every attempt failed, or the digest was disabled.
    Failed,
}

impl DigestDeliveryStatus {
    fn from_storage(status: &str) -> Self {
        match status {
            store::SENT => DigestDeliveryStatus::Sent,
            store::FAILED => DigestDeliveryStatus::Failed,
            _ => DigestDeliveryStatus::Queued,
        }
    }

    fn as_storage(self) -> &'static str {
        match self {
            DigestDeliveryStatus::Queued => store::QUEUED,
            DigestDeliveryStatus::Sent => store::SENT,
            DigestDeliveryStatus::Failed => store::FAILED,
        }
    }
}

/// One attempt to hand a digest to the relay.
#[derive(Serialize, ToSchema)]
pub struct DigestAttempt {
    /// Unix time of the attempt.
    pub at: i64,
    /// `sent`, `retry` (a transient failure: tried again) or `failed`.
    #[schema(example = "retry")]
    pub outcome: String,
    /// The relay's answer, or why there was none.
    #[schema(example = "451 4.3.0 try again later")]
    pub reply: String,
}

/// One digest mail for one period.
#[derive(Serialize, ToSchema)]
pub struct DigestDeliveryResponse {
    #[schema(value_type = String)]
    pub id: DigestDeliveryId,
    #[schema(value_type = String)]
    pub digest_id: DigestId,
    /// `schedule` or `manual` (a send now).
    #[schema(example = "schedule")]
    pub trigger: String,
    /// First day reported on (UTC day, `YYYY-MM-DD`).
    #[schema(example = "2026-11-30")]
    pub period_from: String,
    /// Last day reported on, included.
    #[schema(example = "2026-12-06")]
    pub period_to: String,
    /// Unix time of the scheduled run (or of the send now).
    pub scheduled_for: i64,
    pub status: DigestDeliveryStatus,
    /// Attempts made so far.
    pub attempts: i32,
    /// Every attempt's outcome, oldest first.
    pub attempt_log: Vec<DigestAttempt>,
    /// Why the last attempt failed, if it did.
    pub last_error: Option<String>,
    /// Unix time of the next attempt, while queued.
    pub next_attempt_at: Option<i64>,
    /// The `Message-ID` of the mail sent.
    pub smtp_message_id: Option<String>,
    /// The relay's answer to the mail sent.
    pub smtp_response: Option<String>,
    /// Unix time the relay took the mail.
    pub sent_at: Option<i64>,
    pub created_at: i64,
}

impl From<Delivery> for DigestDeliveryResponse {
    fn from(d: Delivery) -> Self {
        DigestDeliveryResponse {
            status: DigestDeliveryStatus::from_storage(&d.status),
            attempt_log: d
                .attempt_log()
                .into_iter()
                .map(|a| DigestAttempt {
                    at: a.at,
                    outcome: a.outcome,
                    reply: a.reply,
                })
                .collect(),
            period_from: date_of_epoch_day(d.period_from).to_string(),
            period_to: date_of_epoch_day(d.period_to).to_string(),
            id: d.id,
            digest_id: d.digest_id,
            trigger: d.trigger,
            scheduled_for: d.scheduled_for,
            attempts: d.attempts,
            last_error: d.last_error,
            next_attempt_at: d.next_attempt_at,
            smtp_message_id: d.smtp_message_id,
            smtp_response: d.smtp_response,
            sent_at: d.sent_at,
            created_at: d.created_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct DigestDeliveryListResponse {
    /// Newest first.
    pub items: Vec<DigestDeliveryResponse>,
    /// Pass as `cursor` to get the next page; `null` on the last page (always present).
    pub next_cursor: Option<String>,
}

/// Filters and pagination of a digest's delivery log.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DigestDeliveryListQuery {
    /// Only deliveries in this state.
    pub status: Option<DigestDeliveryStatus>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Page size (1 to 500, default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
}

fn language(raw: &str) -> Result<Option<String>, ApiError> {
    if raw.trim().is_empty() {
        return Ok(None);
    }
    let language: Language = raw.trim().parse().map_err(DigestError::from)?;
    Ok(Some(language.code().to_string()))
}

/// A schedule from its parts, with the zone's canonical name.
fn schedule(
    frequency: Frequency,
    day: i32,
    hour: i32,
    time_zone: &str,
) -> Result<(Schedule, String), ApiError> {
    let schedule =
        Schedule::new(frequency, day, hour, time_zone.trim()).map_err(DigestError::from)?;
    let name = schedule.zone().name().to_string();
    Ok((schedule, name))
}

/// Create a digest. It is first sent at the next occurrence of its day and hour.
#[utoipa::path(tag = "digests", security(("bearer" = [])), request_body = CreateDigestRequest, responses(
    (status = 201, description = "Created", body = DigestResponse),
    (status = 403, response = AdminRequired),
    (status = 404, description = "Domain or tenant not found", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "The domain name is held by several tenants of the caller's subtree (`ambiguous_domain`): name it by id", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "A bad recipient (`invalid_recipients`), time zone (`invalid_time_zone`), day or hour (`invalid_schedule`), language (`unsupported_language`), or `tenant_id` with `domain` (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
))]
#[post("/digests")]
pub async fn create_digest(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<CreateDigestRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Role::Admin)?;
    let body = body.into_inner();
    let recipients = service::parse_recipients(&body.recipients)?;
    let (schedule, time_zone) = schedule(
        body.frequency.into(),
        body.day,
        body.hour,
        body.time_zone.as_deref().unwrap_or("UTC"),
    )?;
    let language = language(body.language.as_deref().unwrap_or_default())?;
    if body.domain.is_some() && body.tenant_id.is_some() {
        return Err(ApiError::Validation(
            "give domain or tenant_id, not both: a domain's digest belongs to the domain's tenant"
                .into(),
        ));
    }
    let at = now();
    let digest = blocking(move || {
        Ok(state.db.write(|conn| {
            let (tenant_id, domain_id) = match &body.domain {
                Some(name) => {
                    let domain =
                        crate::storage::domains::get_domain_by_name(conn, &caller.scope, name)?;
                    (domain.tenant_id, Some(domain.id.into_string()))
                }
                None => (
                    body.tenant_id
                        .clone()
                        .unwrap_or_else(|| caller.scope.tenant_id.clone()),
                    None,
                ),
            };
            let digest = Digest {
                id: store::new_digest_id(),
                tenant_id,
                domain: domain_id,
                recipients: store::recipients_json(&recipients),
                frequency: schedule.frequency().as_str().to_string(),
                day: body.day,
                hour: body.hour,
                time_zone,
                language,
                enabled: body.enabled.unwrap_or(true),
                next_run_at: service::next_run_at(&schedule, at),
                last_run_at: None,
                created_at: at,
                updated_at: at,
            };
            store::insert_digest(conn, &caller.scope, &digest)?;
            Ok::<_, StorageError>(digest)
        })?)
    })
    .await?;
    Ok(HttpResponse::Created().json(DigestResponse::from(digest)))
}

/// List the digests of the caller's tenant and its descendants, newest first.
#[utoipa::path(tag = "digests", security(("bearer" = [])), params(PageQuery), responses(
    (status = 200, description = "A page of digests", body = DigestListResponse),
))]
#[get("/digests")]
pub async fn list_digests(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<PageQuery>,
) -> Result<web::Json<DigestListResponse>, ApiError> {
    let limit = query.limit()?;
    let after = pagination::number_cursor(query.cursor.as_deref())?;
    let rows = blocking(move || {
        Ok(state
            .db
            .read(|conn| store::list_digests(conn, &caller.scope, after.as_ref(), limit + 1))?)
    })
    .await?;
    let (rows, next_cursor) =
        pagination::page(rows, limit, |d| format!("{}:{}", d.created_at, d.id));
    Ok(web::Json(DigestListResponse {
        items: rows.into_iter().map(Into::into).collect(),
        next_cursor,
    }))
}

/// Get a digest.
#[utoipa::path(tag = "digests", security(("bearer" = [])), params(("digest_id" = String, Path, description = "Digest id")), responses(
    (status = 200, description = "The digest", body = DigestResponse),
    (status = 404, response = NotFound),
))]
#[get("/digests/{digest_id}")]
pub async fn get_digest(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<DigestId>,
) -> Result<web::Json<DigestResponse>, ApiError> {
    let id = path.into_inner();
    let digest = blocking(move || {
        Ok(state
            .db
            .read(|conn| store::get_digest(conn, &caller.scope, &id))?)
    })
    .await?;
    Ok(web::Json(digest.into()))
}

/// Change a digest's recipients, schedule, language, or enable/disable it. A changed
/// schedule, or enabling, sets the next run from now.
#[utoipa::path(tag = "digests", security(("bearer" = [])), params(("digest_id" = String, Path, description = "Digest id")), request_body = UpdateDigestRequest, responses(
    (status = 200, description = "Updated", body = DigestResponse),
    (status = 403, response = AdminRequired),
    (status = 404, response = NotFound),
    (status = 422, description = "A bad recipient (`invalid_recipients`), time zone (`invalid_time_zone`), day or hour (`invalid_schedule`) or language (`unsupported_language`)", body = Problem, content_type = "application/problem+json"),
))]
#[patch("/digests/{digest_id}")]
pub async fn update_digest(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<DigestId>,
    body: web::Json<UpdateDigestRequest>,
) -> Result<web::Json<DigestResponse>, ApiError> {
    caller.require(Role::Admin)?;
    let body = body.into_inner();
    let recipients = body
        .recipients
        .as_deref()
        .map(service::parse_recipients)
        .transpose()?;
    let language = body.language.as_deref().map(language).transpose()?;
    let id = path.into_inner();
    let at = now();
    let digest = blocking(move || {
        state.db.write(|conn| {
            let current = store::get_digest(conn, &caller.scope, &id)?;
            let frequency = body
                .frequency
                .map(Frequency::from)
                .or_else(|| Frequency::parse(&current.frequency))
                .unwrap_or(Frequency::Weekly);
            let day = body.day.unwrap_or(current.day);
            let hour = body.hour.unwrap_or(current.hour);
            let zone = body
                .time_zone
                .clone()
                .unwrap_or_else(|| current.time_zone.clone());
            let (schedule, time_zone) = match schedule(frequency, day, hour, &zone) {
                Ok(s) => s,
                Err(e) => return Ok(Err(e)),
            };
            let enabled = body.enabled.unwrap_or(current.enabled);
            let rescheduled = body.frequency.is_some()
                || body.day.is_some()
                || body.hour.is_some()
                || body.time_zone.is_some()
                || (enabled && !current.enabled);
            let updated = Digest {
                recipients: recipients
                    .as_deref()
                    .map(store::recipients_json)
                    .unwrap_or(current.recipients.clone()),
                frequency: frequency.as_str().to_string(),
                day,
                hour,
                time_zone,
                language: language.clone().unwrap_or(current.language.clone()),
                enabled,
                next_run_at: if rescheduled {
                    service::next_run_at(&schedule, at)
                } else {
                    current.next_run_at
                },
                updated_at: at,
                ..current
            };
            store::update_digest(conn, &caller.scope, &updated)?;
            Ok::<_, StorageError>(Ok(updated))
        })?
    })
    .await?;
    Ok(web::Json(digest.into()))
}

/// Delete a digest and its delivery log; queued mails are dropped.
#[utoipa::path(tag = "digests", security(("bearer" = [])), params(("digest_id" = String, Path, description = "Digest id")), responses(
    (status = 204, description = "Deleted"),
    (status = 403, response = AdminRequired),
    (status = 404, response = NotFound),
))]
#[delete("/digests/{digest_id}")]
pub async fn delete_digest(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<DigestId>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Role::Admin)?;
    let id = path.into_inner();
    blocking(move || {
        Ok(state
            .db
            .write(|conn| store::delete_digest(conn, &caller.scope, &id))?)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Send a digest now, for the last complete period of its schedule (also when it is
/// disabled). The mail is queued; its outcome appears in the delivery log.
#[utoipa::path(tag = "digests", security(("bearer" = [])), params(("digest_id" = String, Path, description = "Digest id")), responses(
    (status = 202, description = "Queued", body = DigestDeliveryResponse),
    (status = 403, response = AdminRequired),
    (status = 404, response = NotFound),
    (status = 409, description = "No SMTP relay is configured (`digest_relay_not_configured`)", body = Problem, content_type = "application/problem+json"),
))]
#[post("/digests/{digest_id}/send")]
pub async fn send_digest(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<DigestId>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Role::Admin)?;
    let id = path.into_inner();
    if !state.settings.digest_relay {
        // Existence first, so another tenant's digest stays a 404.
        let (st, c, i) = (state.clone(), caller.clone(), id.clone());
        blocking(move || Ok(st.db.read(|conn| store::get_digest(conn, &c.scope, &i))?)).await?;
        return Err(ApiError::DigestRelayNotConfigured(
            "no SMTP relay is configured on this server (RUAD_SMTP_RELAY_URL and \
             RUAD_DIGEST_FROM): digests cannot be sent"
                .into(),
        ));
    }
    let at = now();
    let delivery = blocking(move || {
        Ok(state.db.write(|conn| {
            store::queue_now(
                conn,
                &caller.scope,
                &id,
                |digest| {
                    digest
                        .schedule()
                        .map(|s| service::last_complete_period(&s, at))
                        .map_err(|e| StorageError::Other(anyhow::anyhow!(e)))
                },
                at,
            )
        })?)
    })
    .await?;
    Ok(HttpResponse::Accepted().json(DigestDeliveryResponse::from(delivery)))
}

/// The delivery log of a digest, newest first: each mail, its state and every attempt.
#[utoipa::path(tag = "digests", security(("bearer" = [])), params(("digest_id" = String, Path, description = "Digest id"), DigestDeliveryListQuery), responses(
    (status = 200, description = "A page of deliveries", body = DigestDeliveryListResponse),
    (status = 404, response = NotFound),
))]
#[get("/digests/{digest_id}/deliveries")]
pub async fn list_digest_deliveries(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<DigestId>,
    query: web::Query<DigestDeliveryListQuery>,
) -> Result<web::Json<DigestDeliveryListResponse>, ApiError> {
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
    Ok(web::Json(DigestDeliveryListResponse {
        items: rows.into_iter().map(Into::into).collect(),
        next_cursor,
    }))
}
