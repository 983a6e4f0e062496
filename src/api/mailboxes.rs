//! IMAP mailboxes: where a tenant's reports are read from (the `rua` address's mailbox at
//! Microsoft 365, Gmail or any IMAP server), polled by the `poll_mailbox` job.
//!
//! Writes need the admin role, reads any role. A mailbox is visible in its tenant's subtree
//! like any tenant resource (another tenant's is a 404). Secrets (password, refresh token,
//! client secret) are write-only: accepted on creation and change, stored encrypted
//! (`secret_key` setting), never answered. Polling: `crate::services::mailboxes`.

use crate::api::AppState;
use crate::api::auth::Caller;
use crate::api::blocking;
use crate::api::error::{ApiError, Problem};
use crate::api::pagination::{self, PageQuery};
use crate::api::problems::{AdminRequired, NotFound};
use crate::domain::ids::{MailboxId, TenantId};
use crate::domain::mailbox::{AfterAction, OAuthConfig, OAuthMechanism, TlsMode};
use crate::domain::tenant::Role;
use crate::services::mailboxes::{
    self as service, AuthInput, DEFAULT_FOLDER, DEFAULT_POLL_INTERVAL, DEFAULT_REJECTED_FOLDER,
    MailboxChanges, MailboxError, MailboxInput,
};
use crate::storage::mailboxes::{self as store, Mailbox};
use crate::storage::now;
use actix_web::{HttpResponse, delete, get, patch, post, web};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The folder messages are moved to by default once their reports are stored.
pub const DEFAULT_AFTER_FOLDER: &str = "ruad-processed";

impl From<MailboxError> for ApiError {
    fn from(e: MailboxError) -> Self {
        match e {
            MailboxError::Invalid(m) => ApiError::Validation(m),
            MailboxError::NotConfigured(m) => ApiError::NotConfigured(m),
            MailboxError::Storage(e) => e.into(),
        }
    }
}

/// How a mailbox logs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AuthType {
    /// LOGIN with a password.
    Password,
    /// SASL XOAUTH2 or OAUTHBEARER with an access token obtained with a refresh token.
    Oauth2,
}

/// How a mailbox logs in, without its secrets.
#[derive(Serialize, ToSchema)]
pub struct MailboxAuth {
    #[serde(rename = "type")]
    pub auth_type: AuthType,
    /// OAuth2 client id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// OAuth2 token endpoint.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_endpoint: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mechanism: Option<OAuthMechanism>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
}

/// What happens to a message once its reports are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AfterKind {
    /// Move it to `folder` (created when missing).
    Move,
    /// Leave it in place, flagged `\Seen`.
    MarkSeen,
    /// Delete it (flag `\Deleted`, expunge).
    Delete,
}

/// What happens to a message once its reports are stored.
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MailboxAfter {
    pub action: AfterKind,
    /// The folder of `move` (required then, unused otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub folder: Option<String>,
}

impl MailboxAfter {
    fn into_action(self) -> Result<AfterAction, ApiError> {
        match (self.action, self.folder) {
            (AfterKind::Move, Some(folder)) => Ok(AfterAction::Move { folder }),
            (AfterKind::Move, None) => Err(ApiError::Validation(
                "after.folder is required with action move".into(),
            )),
            (AfterKind::MarkSeen, _) => Ok(AfterAction::MarkSeen),
            (AfterKind::Delete, _) => Ok(AfterAction::Delete),
        }
    }

    fn from_action(action: AfterAction) -> MailboxAfter {
        match action {
            AfterAction::Move { folder } => MailboxAfter {
                action: AfterKind::Move,
                folder: Some(folder),
            },
            AfterAction::MarkSeen => MailboxAfter {
                action: AfterKind::MarkSeen,
                folder: None,
            },
            AfterAction::Delete => MailboxAfter {
                action: AfterKind::Delete,
                folder: None,
            },
        }
    }
}

/// Progress and counters of a mailbox's polling.
#[derive(Serialize, ToSchema)]
pub struct MailboxStatus {
    /// Unix time the last poll ended (with or without error).
    pub last_poll_at: Option<i64>,
    /// Why the last poll failed; `null` when it went through.
    pub last_error: Option<String>,
    /// Why the last rejected message was moved to the rejected folder.
    pub last_rejection: Option<String>,
    /// UIDVALIDITY of the folder the progress is recorded under.
    pub uidvalidity: Option<i64>,
    /// Highest UID dealt with (stored and moved, or rejected); later messages are next.
    pub last_uid: i64,
    /// Times the folder's UIDVALIDITY changed and it was read again from the start.
    pub uidvalidity_resets: i32,
    /// Messages dealt with.
    pub messages_seen: i64,
    /// Reports stored from them.
    pub reports_stored: i64,
    /// Reports that were already stored.
    pub reports_duplicate: i64,
    /// Reports that could not be stored (unparsable, unregistered domain, …).
    pub reports_failed: i64,
    /// Messages moved to the rejected folder (no report stored from them).
    pub messages_rejected: i64,
    /// Polls run to their end (with or without error).
    pub polls: i64,
}

/// A mailbox (without its secrets).
#[derive(Serialize, ToSchema)]
pub struct MailboxResponse {
    #[schema(value_type = String)]
    pub id: MailboxId,
    /// Owning tenant; reports are filed under its registered domains.
    #[schema(value_type = String)]
    pub tenant_id: TenantId,
    pub name: String,
    #[schema(example = "outlook.office365.com")]
    pub host: String,
    #[schema(example = 993)]
    pub port: u16,
    pub tls: TlsMode,
    #[schema(example = "dmarc@example.com")]
    pub username: String,
    pub auth: MailboxAuth,
    /// The folder read.
    #[schema(example = "INBOX")]
    pub folder: String,
    /// What happens to a message once its reports are stored.
    pub after: MailboxAfter,
    /// Where messages without any report go (never deleted).
    pub rejected_folder: String,
    /// A disabled mailbox is not polled.
    pub enabled: bool,
    /// Seconds between polls.
    pub poll_interval_seconds: i64,
    pub status: MailboxStatus,
    /// Unix time of creation.
    pub created_at: i64,
    /// Unix time of the last change of the settings.
    pub updated_at: i64,
}

impl From<Mailbox> for MailboxResponse {
    fn from(m: Mailbox) -> Self {
        let auth = match m
            .oauth
            .as_deref()
            .and_then(|j| serde_json::from_str::<OAuthConfig>(j).ok())
        {
            Some(c) if m.auth == "oauth2" => MailboxAuth {
                auth_type: AuthType::Oauth2,
                client_id: Some(c.client_id),
                token_endpoint: Some(c.token_endpoint),
                mechanism: Some(c.mechanism),
                scope: c.scope,
            },
            _ => MailboxAuth {
                auth_type: AuthType::Password,
                client_id: None,
                token_endpoint: None,
                mechanism: None,
                scope: None,
            },
        };
        MailboxResponse {
            after: MailboxAfter::from_action(
                AfterAction::from_parts(&m.after_action, m.after_folder.as_deref())
                    .unwrap_or(AfterAction::MarkSeen),
            ),
            tls: TlsMode::parse(&m.tls).unwrap_or(TlsMode::Implicit),
            port: u16::try_from(m.port).unwrap_or_default(),
            auth,
            status: MailboxStatus {
                last_poll_at: m.last_poll_at,
                last_error: m.last_error,
                last_rejection: m.last_rejection,
                uidvalidity: m.uidvalidity,
                last_uid: m.last_uid,
                uidvalidity_resets: m.uidvalidity_resets,
                messages_seen: m.messages_seen,
                reports_stored: m.reports_stored,
                reports_duplicate: m.reports_duplicate,
                reports_failed: m.reports_failed,
                messages_rejected: m.messages_rejected,
                polls: m.polls,
            },
            id: m.id,
            tenant_id: m.tenant_id,
            name: m.name,
            host: m.host,
            username: m.username,
            folder: m.folder,
            rejected_folder: m.rejected_folder,
            enabled: m.enabled,
            poll_interval_seconds: m.poll_interval_seconds,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct MailboxListResponse {
    pub items: Vec<MailboxResponse>,
    /// Pass as `cursor` to get the next page; `null` on the last page (always present).
    pub next_cursor: Option<String>,
}

/// How to log in; the secrets are stored encrypted and never shown again.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MailboxAuthRequest {
    #[serde(rename = "type")]
    pub auth_type: AuthType,
    /// With `password`: the password (an app password where the provider requires one).
    #[schema(value_type = Option<String>, format = Password)]
    pub password: Option<SecretString>,
    /// With `oauth2`: the refresh token an access token is obtained with whenever needed.
    #[schema(value_type = Option<String>, format = Password)]
    pub refresh_token: Option<SecretString>,
    /// With `oauth2`: the client id.
    pub client_id: Option<String>,
    /// With `oauth2`: the client secret.
    #[schema(value_type = Option<String>, format = Password)]
    pub client_secret: Option<SecretString>,
    /// With `oauth2`: the provider's token endpoint (`https`, public address).
    #[schema(example = "https://login.microsoftonline.com/common/oauth2/v2.0/token")]
    pub token_endpoint: Option<String>,
    /// With `oauth2`: the SASL mechanism (default `xoauth2`).
    pub mechanism: Option<OAuthMechanism>,
    /// With `oauth2`: the scope to ask for, when the provider wants one (Microsoft:
    /// `https://outlook.office.com/IMAP.AccessAsUser.All offline_access`).
    pub scope: Option<String>,
}

impl MailboxAuthRequest {
    fn into_input(self) -> Result<AuthInput, ApiError> {
        let missing = |field: &str| {
            ApiError::Validation(format!(
                "auth.{field} is required with type {}",
                match self.auth_type {
                    AuthType::Password => "password",
                    AuthType::Oauth2 => "oauth2",
                }
            ))
        };
        match self.auth_type {
            AuthType::Password => {
                if self.refresh_token.is_some()
                    || self.client_secret.is_some()
                    || self.client_id.is_some()
                    || self.token_endpoint.is_some()
                {
                    return Err(ApiError::Validation(
                        "auth of type password takes only a password".into(),
                    ));
                }
                Ok(AuthInput::Password {
                    password: self.password.ok_or_else(|| missing("password"))?,
                })
            }
            AuthType::Oauth2 => {
                if self.password.is_some() {
                    return Err(ApiError::Validation(
                        "auth of type oauth2 takes no password".into(),
                    ));
                }
                Ok(AuthInput::OAuth2 {
                    config: OAuthConfig {
                        client_id: self.client_id.clone().ok_or_else(|| missing("client_id"))?,
                        token_endpoint: self
                            .token_endpoint
                            .clone()
                            .ok_or_else(|| missing("token_endpoint"))?,
                        mechanism: self.mechanism.unwrap_or(OAuthMechanism::Xoauth2),
                        scope: self.scope.clone(),
                    },
                    refresh_token: self
                        .refresh_token
                        .clone()
                        .ok_or_else(|| missing("refresh_token"))?,
                    client_secret: self
                        .client_secret
                        .clone()
                        .ok_or_else(|| missing("client_secret"))?,
                })
            }
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateMailboxRequest {
    /// A name for people (default `username@host`, at most 200 characters).
    pub name: Option<String>,
    /// IMAP server: a DNS name or IP address that resolves to a public address.
    #[schema(example = "outlook.office365.com")]
    pub host: String,
    /// Default 993 with implicit TLS, 143 with STARTTLS.
    pub port: Option<u16>,
    /// Default `implicit`.
    pub tls: Option<TlsMode>,
    #[schema(example = "dmarc@example.com")]
    pub username: String,
    pub auth: MailboxAuthRequest,
    /// Folder to read (default `INBOX`).
    pub folder: Option<String>,
    /// What to do with a message once its reports are stored (default: move to
    /// `ruad-processed`).
    pub after: Option<MailboxAfter>,
    /// Where messages without any report go (default `ruad-rejected`; created when missing).
    pub rejected_folder: Option<String>,
    /// Default true.
    pub enabled: Option<bool>,
    /// Seconds between polls (30 to 86400, default 300).
    pub poll_interval_seconds: Option<i64>,
    /// Owning tenant (default: the caller's); must be in the caller's subtree.
    #[schema(value_type = Option<String>)]
    pub tenant_id: Option<TenantId>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateMailboxRequest {
    pub name: Option<String>,
    /// A new host, user name or folder starts the progress afresh.
    pub host: Option<String>,
    pub port: Option<u16>,
    pub tls: Option<TlsMode>,
    pub username: Option<String>,
    /// New credentials (replace the stored ones).
    pub auth: Option<MailboxAuthRequest>,
    pub folder: Option<String>,
    pub after: Option<MailboxAfter>,
    pub rejected_folder: Option<String>,
    /// Enable (polled again at once) or disable polling.
    pub enabled: Option<bool>,
    pub poll_interval_seconds: Option<i64>,
}

/// Add an IMAP mailbox to read reports from. The host must resolve to a public address;
/// secrets are stored encrypted and never shown. An enabled mailbox is polled at once.
#[utoipa::path(tag = "mailboxes", security(("bearer" = [])), request_body = CreateMailboxRequest, responses(
    (status = 201, description = "Created", body = MailboxResponse),
    (status = 403, response = AdminRequired),
    (status = 404, description = "Tenant not found", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "Invalid settings: a host that is not public or does not resolve, a bad folder, interval or token endpoint", body = Problem, content_type = "application/problem+json"),
    (status = 501, description = "`not_configured`: this server has no `secret_key`, so it cannot keep mailbox secrets", body = Problem, content_type = "application/problem+json"),
))]
#[post("/mailboxes")]
pub async fn create_mailbox(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<CreateMailboxRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Role::Admin)?;
    let body = body.into_inner();
    if state.settings.secret_key.is_none() {
        // Before anything else: no point checking settings that cannot be kept.
        return Err(service::not_configured().into());
    }
    let allow_private = state.settings.outbound_allow_private;
    service::check_host(&state.checker.resolver, &body.host, allow_private).await?;
    let tls = body.tls.unwrap_or(TlsMode::Implicit);
    let input = MailboxInput {
        name: body
            .name
            .unwrap_or_else(|| format!("{}@{}", body.username.trim(), body.host.trim())),
        port: body.port.unwrap_or(match tls {
            TlsMode::Implicit => 993,
            TlsMode::Starttls => 143,
        }),
        host: body.host,
        tls,
        username: body.username,
        auth: body.auth.into_input()?,
        folder: body.folder.unwrap_or_else(|| DEFAULT_FOLDER.into()),
        after: match body.after {
            Some(after) => after.into_action()?,
            None => AfterAction::Move {
                folder: DEFAULT_AFTER_FOLDER.into(),
            },
        },
        rejected_folder: body
            .rejected_folder
            .unwrap_or_else(|| DEFAULT_REJECTED_FOLDER.into()),
        enabled: body.enabled.unwrap_or(true),
        poll_interval_seconds: body.poll_interval_seconds.unwrap_or(DEFAULT_POLL_INTERVAL),
    };
    let tenant = body
        .tenant_id
        .unwrap_or_else(|| caller.scope.tenant_id.clone());
    let mailbox = blocking(move || {
        Ok(service::create(
            &state.db,
            state.settings.secret_key.as_ref(),
            allow_private,
            &caller.scope,
            &tenant,
            input,
            now(),
        )?)
    })
    .await?;
    Ok(HttpResponse::Created().json(MailboxResponse::from(mailbox)))
}

/// List the mailboxes of the caller's tenant and its descendants, newest first, with their
/// progress.
#[utoipa::path(tag = "mailboxes", security(("bearer" = [])), params(PageQuery), responses(
    (status = 200, description = "A page of mailboxes", body = MailboxListResponse),
))]
#[get("/mailboxes")]
pub async fn list_mailboxes(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<PageQuery>,
) -> Result<web::Json<MailboxListResponse>, ApiError> {
    let limit = query.limit()?;
    let after = pagination::number_cursor(query.cursor.as_deref())?;
    let rows = blocking(move || {
        Ok(state
            .db
            .read(|conn| store::list_mailboxes(conn, &caller.scope, after.as_ref(), limit + 1))?)
    })
    .await?;
    let (rows, next_cursor) =
        pagination::page(rows, limit, |m| format!("{}:{}", m.created_at, m.id));
    Ok(web::Json(MailboxListResponse {
        items: rows.into_iter().map(Into::into).collect(),
        next_cursor,
    }))
}

/// Get a mailbox (without its secrets) with its progress: last poll, messages seen, reports
/// stored, duplicates, rejected messages, failures, last error.
#[utoipa::path(tag = "mailboxes", security(("bearer" = [])), params(("mailbox_id" = String, Path, description = "Mailbox id")), responses(
    (status = 200, description = "The mailbox", body = MailboxResponse),
    (status = 404, response = NotFound),
))]
#[get("/mailboxes/{mailbox_id}")]
pub async fn get_mailbox(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<MailboxId>,
) -> Result<web::Json<MailboxResponse>, ApiError> {
    let id = path.into_inner();
    let mailbox = blocking(move || {
        Ok(state
            .db
            .read(|conn| store::get_mailbox(conn, &caller.scope, &id))?)
    })
    .await?;
    Ok(web::Json(mailbox.into()))
}

/// Change a mailbox's settings or credentials, or enable/disable it.
#[utoipa::path(tag = "mailboxes", security(("bearer" = [])), params(("mailbox_id" = String, Path, description = "Mailbox id")), request_body = UpdateMailboxRequest, responses(
    (status = 200, description = "Updated", body = MailboxResponse),
    (status = 403, response = AdminRequired),
    (status = 404, response = NotFound),
    (status = 422, description = "Invalid settings", body = Problem, content_type = "application/problem+json"),
    (status = 501, description = "`not_configured`: new credentials, and this server has no `secret_key`", body = Problem, content_type = "application/problem+json"),
))]
#[patch("/mailboxes/{mailbox_id}")]
pub async fn update_mailbox(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<MailboxId>,
    body: web::Json<UpdateMailboxRequest>,
) -> Result<web::Json<MailboxResponse>, ApiError> {
    caller.require(Role::Admin)?;
    let body = body.into_inner();
    let allow_private = state.settings.outbound_allow_private;
    if let Some(host) = &body.host {
        service::check_host(&state.checker.resolver, host, allow_private).await?;
    }
    let changes = MailboxChanges {
        name: body.name,
        host: body.host,
        port: body.port,
        tls: body.tls,
        username: body.username,
        auth: body.auth.map(MailboxAuthRequest::into_input).transpose()?,
        folder: body.folder,
        after: body.after.map(MailboxAfter::into_action).transpose()?,
        rejected_folder: body.rejected_folder,
        enabled: body.enabled,
        poll_interval_seconds: body.poll_interval_seconds,
    };
    let id = path.into_inner();
    let mailbox = blocking(move || {
        Ok(service::update(
            &state.db,
            state.settings.secret_key.as_ref(),
            allow_private,
            &caller.scope,
            &id,
            changes,
            now(),
        )?)
    })
    .await?;
    Ok(web::Json(mailbox.into()))
}

/// Delete a mailbox: it is polled no more, and its stored secrets are gone. Its messages
/// and the reports stored from them stay.
#[utoipa::path(tag = "mailboxes", security(("bearer" = [])), params(("mailbox_id" = String, Path, description = "Mailbox id")), responses(
    (status = 204, description = "Deleted"),
    (status = 403, response = AdminRequired),
    (status = 404, response = NotFound),
))]
#[delete("/mailboxes/{mailbox_id}")]
pub async fn delete_mailbox(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<MailboxId>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Role::Admin)?;
    let id = path.into_inner();
    blocking(move || {
        Ok(state
            .db
            .write(|conn| store::delete_mailbox(conn, &caller.scope, &id))?)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Poll a mailbox now instead of at its next interval (a poll running now finishes first).
#[utoipa::path(tag = "mailboxes", security(("bearer" = [])), params(("mailbox_id" = String, Path, description = "Mailbox id")), responses(
    (status = 202, description = "The poll is queued"),
    (status = 403, response = AdminRequired),
    (status = 404, response = NotFound),
    (status = 409, description = "The mailbox is disabled", body = Problem, content_type = "application/problem+json"),
))]
#[post("/mailboxes/{mailbox_id}/poll")]
pub async fn poll_mailbox(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<MailboxId>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Role::Admin)?;
    let id = path.into_inner();
    let queued = blocking(move || {
        Ok(state
            .db
            .write(|conn| store::poll_now(conn, &caller.scope, &id, now()))?)
    })
    .await?;
    if !queued {
        return Err(ApiError::Conflict(
            "the mailbox is disabled; enable it to poll it".into(),
        ));
    }
    Ok(HttpResponse::Accepted().finish())
}
