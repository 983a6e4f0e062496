//! IMAP mailboxes: the settings a tenant gives (checked, secrets sealed) and the poll that
//! reads new messages into the ingest service (the `poll_mailbox` job).
//!
//! # One poll
//! 1. Log in (password, or OAuth2 with an access token cached sealed until it expires,
//!    refreshed at the token endpoint when missing or expired, and once more when the server
//!    refuses a cached one), `SELECT` the folder.
//! 2. UIDVALIDITY: when it is not the one progress was recorded under, progress restarts at
//!    UID 0 under the new value (a change is counted in `uidvalidity_resets`).
//! 3. The UIDs above the last one dealt with are listed (`UID SEARCH`, 4 bytes per message),
//!    then handled in batches of [`MailboxSettings::batch`]: sizes first (`RFC822.SIZE`), then
//!    the messages in groups of at most [`MailboxSettings::fetch_bytes`] (`BODY.PEEK[]`, so
//!    nothing is marked read by the fetch), so memory holds one group whatever the backlog. A
//!    message over the upload size limit is not fetched.
//! 4. Each message goes to `services::ingest` on a blocking thread. Only when every message
//!    of the batch was ingested, its reports committed, are the messages moved, marked or
//!    deleted as the mailbox says (one command for the batch). A message without any stored
//!    report (nothing parsed, every report refused, too large) is moved to the rejected
//!    folder (created when missing), never deleted, and the reason kept (`last_rejection`).
//!    A storage failure stops the poll with an error (the job is retried with backoff) and
//!    leaves the batch's messages where they are.
//! 5. After each batch's actions, its UIDs and outcomes are recorded in one transaction, so a
//!    restart resumes after the last batch dealt with; a message stored but not yet moved
//!    when the process died is read again and found a duplicate, then moved: nothing is
//!    lost, nothing moved unstored.
//! 6. At most [`MailboxSettings::max_per_poll`] messages per run: a backlog continues in the
//!    next run at once, so a 100k-message backfill shows progress and other work interleaves.
//!    Otherwise the next poll is queued after the mailbox's interval. With IDLE on
//!    (`imap_idle_seconds`) and offered by the server, a run that found nothing more waits in
//!    IDLE up to that long (at most the interval) and reads new mail as soon as it comes.
//!
//! Must not depend on `api`, `cli` or actix-web.

use crate::dns::Resolver;
use crate::domain::ids::{MailboxId, TenantId};
use crate::domain::mailbox::{AfterAction, OAuthConfig, OAuthMechanism, TlsMode};
use crate::outbound::imap::{Connection, Credentials, ImapError, ImapSettings};
use crate::outbound::oauth2;
use crate::reports::Limits;
use crate::services::ingest::{IngestFailure, Ingested, Upload};
use crate::services::metrics::Metrics;
use crate::services::secrets::{SecretError, SecretKey};
use crate::storage::jobs::{Job, Lease};
use crate::storage::mailboxes::{self as store, Mailbox, MessageOutcome};
use crate::storage::{Db, StorageError, TenantScope, tenants};
use secrecy::{ExposeSecret, SecretString};
use std::sync::Arc;
use std::time::Duration;

/// Column names the sealed values are bound to.
const SECRETS_FIELD: &str = "secrets";
const ACCESS_TOKEN_FIELD: &str = "access_token";

/// Defaults and bounds of the settings a tenant gives.
pub const DEFAULT_FOLDER: &str = "INBOX";
pub const DEFAULT_REJECTED_FOLDER: &str = "ruad-rejected";
pub const DEFAULT_POLL_INTERVAL: i64 = 300;
pub const MIN_POLL_INTERVAL: i64 = 30;
pub const MAX_POLL_INTERVAL: i64 = 86_400;
const MAX_NAME: usize = 200;
const MAX_FOLDER: usize = 200;
const MAX_TEXT: usize = 1000;

/// How mailboxes are polled.
#[derive(Debug, Clone)]
pub struct MailboxSettings {
    /// The key secrets are sealed with (`secret_key`); without it no mailbox can be created
    /// or polled.
    pub secret_key: Option<SecretKey>,
    pub imap: ImapSettings,
    /// Messages whose sizes are asked for at once.
    pub batch: usize,
    /// Messages handled in one run of the job.
    pub max_per_poll: usize,
    /// Largest message fetched (`max_upload_bytes`); a larger one is rejected unread.
    pub max_message_bytes: u64,
    /// Bytes of messages fetched at once (a larger message alone).
    pub fetch_bytes: u64,
    /// Parser limits, as for uploads.
    pub limits: Limits,
    /// Time limit of one token refresh.
    pub oauth_timeout: Duration,
    /// How long a poll that found nothing more waits in IDLE for new mail (zero: no IDLE).
    pub idle: Duration,
    /// A domain registered by a report (the tenant's `auto_register_domains`) gets its DNS
    /// check queued, as one registered through the API (on when DNS re-checks are).
    pub check_dns: bool,
}

impl Default for MailboxSettings {
    fn default() -> Self {
        MailboxSettings {
            secret_key: None,
            imap: ImapSettings::default(),
            batch: 50,
            max_per_poll: 500,
            max_message_bytes: 64 << 20,
            fetch_bytes: 8 << 20,
            limits: Limits::default(),
            oauth_timeout: Duration::from_secs(20),
            idle: Duration::ZERO,
            check_dns: true,
        }
    }
}

/// How a mailbox logs in, as given (secrets in clear, only in memory).
pub enum AuthInput {
    Password {
        password: SecretString,
    },
    OAuth2 {
        config: OAuthConfig,
        refresh_token: SecretString,
        client_secret: SecretString,
    },
}

/// A mailbox's settings, as given.
pub struct MailboxInput {
    pub name: String,
    pub host: String,
    pub port: u16,
    pub tls: TlsMode,
    pub username: String,
    pub auth: AuthInput,
    pub folder: String,
    pub after: AfterAction,
    pub rejected_folder: String,
    pub enabled: bool,
    pub poll_interval_seconds: i64,
}

/// Changes to a mailbox; `None` keeps the current value.
#[derive(Default)]
pub struct MailboxChanges {
    pub name: Option<String>,
    pub host: Option<String>,
    pub port: Option<u16>,
    pub tls: Option<TlsMode>,
    pub username: Option<String>,
    pub auth: Option<AuthInput>,
    pub folder: Option<String>,
    pub after: Option<AfterAction>,
    pub rejected_folder: Option<String>,
    pub enabled: Option<bool>,
    pub poll_interval_seconds: Option<i64>,
}

#[derive(Debug, thiserror::Error)]
pub enum MailboxError {
    /// The settings are not acceptable; the text says which and why.
    #[error("{0}")]
    Invalid(String),
    /// `secret_key` is not configured (or does not open what is stored).
    #[error("{0}")]
    NotConfigured(String),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

impl From<crate::services::BlockingError> for MailboxError {
    fn from(e: crate::services::BlockingError) -> Self {
        MailboxError::Storage(e.into())
    }
}

/// The `secret_key` setting is missing: what to do about it.
pub fn not_configured() -> MailboxError {
    MailboxError::NotConfigured(
        "mailboxes need the secret_key setting (RUAD_SECRET_KEY: 32 random bytes in base64, \
         e.g. `openssl rand -base64 32`), which encrypts their passwords and tokens at rest; \
         this server has none"
            .into(),
    )
}

fn text(field: &str, value: &str, max: usize) -> Result<String, MailboxError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(MailboxError::Invalid(format!("{field} must not be empty")));
    }
    if value.chars().count() > max {
        return Err(MailboxError::Invalid(format!(
            "{field} must have at most {max} characters"
        )));
    }
    if value.chars().any(char::is_control) {
        return Err(MailboxError::Invalid(format!(
            "{field} must not contain control characters"
        )));
    }
    Ok(value.to_string())
}

fn folder(field: &str, value: &str) -> Result<String, MailboxError> {
    let value = text(field, value, MAX_FOLDER)?;
    if value.contains('"') || value.contains('\\') {
        return Err(MailboxError::Invalid(format!(
            "{field} must not contain quotes or backslashes"
        )));
    }
    Ok(value)
}

/// A host name or IP literal (not yet resolved: [`check_host`]).
fn host(value: &str) -> Result<String, MailboxError> {
    let value = text("host", value, 253)?.to_ascii_lowercase();
    let bare = value.trim_start_matches('[').trim_end_matches(']');
    if bare.parse::<std::net::IpAddr>().is_ok() {
        return Ok(bare.to_string());
    }
    let name_ok = value.split('.').all(|label| {
        !label.is_empty()
            && label.len() <= 63
            && label
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    });
    if !name_ok {
        return Err(MailboxError::Invalid(
            "host must be a DNS name or an IP address".into(),
        ));
    }
    Ok(value)
}

/// Whether `host` may be reached under the outbound rule (resolved now; checked again at
/// each connection).
pub async fn check_host(
    resolver: &Resolver,
    host_name: &str,
    allow_private: bool,
) -> Result<(), MailboxError> {
    let name = host(host_name)?;
    crate::outbound::imap::resolve(resolver, &name, allow_private)
        .await
        .map(|_| ())
        .map_err(|e| MailboxError::Invalid(format!("host {e}")))
}

fn interval(value: i64) -> Result<i64, MailboxError> {
    if !(MIN_POLL_INTERVAL..=MAX_POLL_INTERVAL).contains(&value) {
        return Err(MailboxError::Invalid(format!(
            "poll_interval_seconds must be between {MIN_POLL_INTERVAL} and {MAX_POLL_INTERVAL}"
        )));
    }
    Ok(value)
}

fn token_endpoint(value: &str, allow_private: bool) -> Result<String, MailboxError> {
    let url = url::Url::parse(value.trim())
        .map_err(|e| MailboxError::Invalid(format!("token_endpoint is not a URL: {e}")))?;
    crate::outbound::https::check_url(&url, allow_private)
        .map_err(|e| MailboxError::Invalid(format!("token_endpoint {e}")))?;
    Ok(url.to_string())
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Secrets {
    #[serde(skip_serializing_if = "Option::is_none")]
    password: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    refresh_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    client_secret: Option<String>,
}

/// The auth columns of a row: `auth`, `oauth` and the sealed secrets.
fn seal_auth(
    key: &SecretKey,
    id: &MailboxId,
    auth: &AuthInput,
    allow_private: bool,
) -> Result<(String, Option<String>, Vec<u8>), MailboxError> {
    let (kind, oauth, secrets) = match auth {
        AuthInput::Password { password } => {
            if password.expose_secret().is_empty() {
                return Err(MailboxError::Invalid("password must not be empty".into()));
            }
            (
                "password",
                None,
                Secrets {
                    password: Some(password.expose_secret().to_string()),
                    refresh_token: None,
                    client_secret: None,
                },
            )
        }
        AuthInput::OAuth2 {
            config,
            refresh_token,
            client_secret,
        } => {
            if refresh_token.expose_secret().is_empty() {
                return Err(MailboxError::Invalid(
                    "refresh_token must not be empty".into(),
                ));
            }
            let config = OAuthConfig {
                client_id: text("client_id", &config.client_id, MAX_TEXT)?,
                token_endpoint: token_endpoint(&config.token_endpoint, allow_private)?,
                mechanism: config.mechanism,
                scope: config
                    .scope
                    .as_deref()
                    .map(|s| text("scope", s, MAX_TEXT))
                    .transpose()?,
            };
            let json = serde_json::to_string(&config)
                .map_err(|e| StorageError::Other(anyhow::anyhow!("encode oauth settings: {e}")))?;
            (
                "oauth2",
                Some(json),
                Secrets {
                    password: None,
                    refresh_token: Some(refresh_token.expose_secret().to_string()),
                    client_secret: Some(client_secret.expose_secret().to_string()),
                },
            )
        }
    };
    let plain = serde_json::to_vec(&secrets)
        .map_err(|e| StorageError::Other(anyhow::anyhow!("encode secrets: {e}")))?;
    let sealed = key
        .seal(id.as_str(), SECRETS_FIELD, &plain)
        .map_err(|e| MailboxError::NotConfigured(e.to_string()))?;
    Ok((kind.to_string(), oauth, sealed))
}

fn after_parts(
    after: &AfterAction,
    source: &str,
) -> Result<(String, Option<String>), MailboxError> {
    match after {
        AfterAction::Move { folder: target } => {
            let target = folder("after.folder", target)?;
            if target == source {
                return Err(MailboxError::Invalid(
                    "after.folder must differ from the folder read".into(),
                ));
            }
            Ok(("move".into(), Some(target)))
        }
        other => Ok((other.as_str().into(), None)),
    }
}

/// Creates a mailbox of `tenant_id` (in scope) with its secrets sealed; enabled ones get
/// their first poll at once. The host is checked by the caller ([`check_host`]), which must
/// await DNS.
pub fn create(
    db: &Db,
    key: Option<&SecretKey>,
    allow_private: bool,
    scope: &TenantScope,
    tenant_id: &TenantId,
    input: MailboxInput,
    now: i64,
) -> Result<Mailbox, MailboxError> {
    let key = key.ok_or_else(not_configured)?;
    let id = MailboxId::generate();
    let source = folder("folder", &input.folder)?;
    let rejected = folder("rejected_folder", &input.rejected_folder)?;
    if rejected == source {
        return Err(MailboxError::Invalid(
            "rejected_folder must differ from the folder read".into(),
        ));
    }
    let (after_action, after_folder) = after_parts(&input.after, &source)?;
    let (auth, oauth, secrets_enc) = seal_auth(key, &id, &input.auth, allow_private)?;
    if input.port == 0 {
        return Err(MailboxError::Invalid(
            "port must be between 1 and 65535".into(),
        ));
    }
    let mailbox = Mailbox {
        id,
        tenant_id: tenant_id.clone(),
        name: text("name", &input.name, MAX_NAME)?,
        host: host(&input.host)?,
        port: i32::from(input.port),
        tls: input.tls.as_str().into(),
        username: text("username", &input.username, MAX_TEXT)?,
        auth,
        oauth,
        secrets_enc,
        access_token_enc: None,
        access_token_expires_at: None,
        folder: source,
        after_action,
        after_folder,
        rejected_folder: rejected,
        enabled: input.enabled,
        poll_interval_seconds: interval(input.poll_interval_seconds)?,
        uidvalidity: None,
        last_uid: 0,
        uidvalidity_resets: 0,
        messages_seen: 0,
        reports_stored: 0,
        reports_duplicate: 0,
        reports_failed: 0,
        messages_rejected: 0,
        polls: 0,
        last_poll_at: None,
        last_error: None,
        last_rejection: None,
        created_at: now,
        updated_at: now,
    };
    Ok(db.write(|conn| store::insert_mailbox(conn, scope, &mailbox))?)
}

/// Applies `changes` to a mailbox in scope. New credentials need the secret key; other
/// changes do not.
pub fn update(
    db: &Db,
    key: Option<&SecretKey>,
    allow_private: bool,
    scope: &TenantScope,
    id: &MailboxId,
    changes: MailboxChanges,
    now: i64,
) -> Result<Mailbox, MailboxError> {
    let current = db.read(|conn| store::get_mailbox(conn, scope, id))?;
    let mut next = current.clone();
    if let Some(name) = &changes.name {
        next.name = text("name", name, MAX_NAME)?;
    }
    if let Some(h) = &changes.host {
        next.host = host(h)?;
    }
    if let Some(port) = changes.port {
        if port == 0 {
            return Err(MailboxError::Invalid(
                "port must be between 1 and 65535".into(),
            ));
        }
        next.port = i32::from(port);
    }
    if let Some(tls) = changes.tls {
        next.tls = tls.as_str().into();
    }
    if let Some(user) = &changes.username {
        next.username = text("username", user, MAX_TEXT)?;
    }
    if let Some(f) = &changes.folder {
        next.folder = folder("folder", f)?;
    }
    if let Some(r) = &changes.rejected_folder {
        next.rejected_folder = folder("rejected_folder", r)?;
    }
    if next.rejected_folder == next.folder {
        return Err(MailboxError::Invalid(
            "rejected_folder must differ from the folder read".into(),
        ));
    }
    let after = match &changes.after {
        Some(after) => after.clone(),
        None => AfterAction::from_parts(&next.after_action, next.after_folder.as_deref())
            .unwrap_or(AfterAction::MarkSeen),
    };
    let (action, after_folder) = after_parts(&after, &next.folder)?;
    next.after_action = action;
    next.after_folder = after_folder;
    if let Some(auth) = &changes.auth {
        let key = key.ok_or_else(not_configured)?;
        let (kind, oauth, sealed) = seal_auth(key, &next.id, auth, allow_private)?;
        next.auth = kind;
        next.oauth = oauth;
        next.secrets_enc = sealed;
    }
    if let Some(enabled) = changes.enabled {
        next.enabled = enabled;
    }
    if let Some(seconds) = changes.poll_interval_seconds {
        next.poll_interval_seconds = interval(seconds)?;
    }
    Ok(db.write(|conn| store::update_settings(conn, scope, &next, now))?)
}

/// How a run of the poll ended without error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Polled {
    /// The job removed itself (and queued the next poll, if the mailbox is enabled).
    Settled,
    /// The mailbox is gone: nothing to do; the runner removes the job.
    Gone,
    /// The job's lease was lost before it could settle.
    LeaseLost,
}

/// What one run needs besides the job.
pub struct PollContext<'a> {
    pub db: &'a Db,
    pub resolver: &'a Resolver,
    pub metrics: &'a Arc<Metrics>,
    pub settings: &'a MailboxSettings,
}

async fn run_blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, StorageError> + Send + 'static,
) -> Result<T, StorageError> {
    crate::services::blocking(f).await
}

/// The `poll_mailbox` job: one run over the mailbox of `job` (see the module's steps).
#[tracing::instrument(skip_all, fields(job = %job.id))]
pub async fn poll(ctx: &PollContext<'_>, job: &Job, lease: &Lease) -> anyhow::Result<Polled> {
    let id = job.mailbox_id()?;
    let found = {
        let (db, id) = (ctx.db.clone(), id.clone());
        run_blocking(move || db.read(|conn| store::find_mailbox(conn, &id))).await?
    };
    let Some(mailbox) = found else {
        return Ok(Polled::Gone);
    };
    if !mailbox.enabled {
        let (db, lease, id) = (ctx.db.clone(), lease.clone(), id.clone());
        let held =
            run_blocking(move || db.write(|conn| store::finish_poll(conn, &lease, &id, 0))).await?;
        return Ok(if held {
            Polled::Settled
        } else {
            Polled::LeaseLost
        });
    }
    let started = crate::storage::now();
    let outcome = poll_once(ctx, &mailbox).await;
    let error = outcome.as_ref().err().map(|e| format!("{e:#}"));
    {
        let (db, id, error) = (ctx.db.clone(), id.clone(), error.clone());
        run_blocking(move || {
            db.write(|conn| store::record_poll(conn, &id, started, error.as_deref()))
        })
        .await?;
    }
    let more = outcome?;
    let next = if more {
        crate::storage::now()
    } else {
        started + mailbox.poll_interval_seconds
    };
    let (db, lease) = (ctx.db.clone(), lease.clone());
    let held =
        run_blocking(move || db.write(|conn| store::finish_poll(conn, &lease, &id, next))).await?;
    Ok(if held {
        Polled::Settled
    } else {
        Polled::LeaseLost
    })
}

/// Errors of one poll, as recorded in `last_error`.
#[derive(Debug, thiserror::Error)]
enum PollError {
    #[error(transparent)]
    Imap(#[from] ImapError),
    #[error(transparent)]
    OAuth(#[from] oauth2::OAuthError),
    #[error(transparent)]
    Secret(#[from] SecretError),
    #[error("mailbox settings are unreadable: {0}")]
    Settings(String),
    #[error("secret_key is not configured; mailboxes cannot be polled")]
    NoKey,
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// Logs in, reads what is new, and answers whether more messages wait than one run handles.
/// With [`MailboxSettings::idle`], a poll that found nothing more waits in IDLE (where the
/// server offers it) for new mail, reading it at once, until that time is up.
async fn poll_once(ctx: &PollContext<'_>, mailbox: &Mailbox) -> Result<bool, PollError> {
    let key = ctx.settings.secret_key.as_ref().ok_or(PollError::NoKey)?;
    let mut connection = login(ctx, key, mailbox).await?;
    let started = std::time::Instant::now();
    let idle = ctx.settings.idle.min(Duration::from_secs(
        u64::try_from(mailbox.poll_interval_seconds).unwrap_or(0),
    ));
    let mut current = mailbox.clone();
    let result = loop {
        let more = match read_new(ctx, &mut connection, &current).await {
            Ok(more) => more,
            Err(e) => break Err(e),
        };
        let left = idle.saturating_sub(started.elapsed());
        if more || left.is_zero() || !connection.has("IDLE") {
            break Ok(more);
        }
        let (back, changed) = connection.idle(left).await?;
        connection = back;
        if !changed {
            break Ok(false);
        }
        // Progress moved on: read it again before the next round.
        let (db, id) = (ctx.db.clone(), mailbox.id.clone());
        match run_blocking(move || db.read(|conn| store::find_mailbox(conn, &id))).await? {
            Some(m) if m.enabled => current = m,
            _ => break Ok(false),
        }
    };
    connection.logout().await;
    result
}

fn tls_mode(mailbox: &Mailbox) -> Result<TlsMode, PollError> {
    TlsMode::parse(&mailbox.tls).ok_or_else(|| PollError::Settings(format!("tls {}", mailbox.tls)))
}

fn port(mailbox: &Mailbox) -> Result<u16, PollError> {
    u16::try_from(mailbox.port).map_err(|_| PollError::Settings(format!("port {}", mailbox.port)))
}

fn open_secrets(key: &SecretKey, mailbox: &Mailbox) -> Result<Secrets, PollError> {
    let plain = key.open(mailbox.id.as_str(), SECRETS_FIELD, &mailbox.secrets_enc)?;
    serde_json::from_str(plain.expose_secret())
        .map_err(|_| PollError::Settings("sealed secrets are not what this version wrote".into()))
}

async fn login(
    ctx: &PollContext<'_>,
    key: &SecretKey,
    mailbox: &Mailbox,
) -> Result<Connection, PollError> {
    let (tls, port) = (tls_mode(mailbox)?, port(mailbox)?);
    let secrets = open_secrets(key, mailbox)?;
    let imap = &ctx.settings.imap;
    if mailbox.auth != "oauth2" {
        let password = SecretString::from(secrets.password.unwrap_or_default());
        let credentials = Credentials::Password {
            username: &mailbox.username,
            password: &password,
        };
        return Ok(
            Connection::open(ctx.resolver, imap, &mailbox.host, port, tls, credentials).await?,
        );
    }
    let config: OAuthConfig = mailbox
        .oauth
        .as_deref()
        .and_then(|j| serde_json::from_str(j).ok())
        .ok_or_else(|| PollError::Settings("oauth settings missing".into()))?;
    let now = crate::storage::now();
    let cached = match (&mailbox.access_token_enc, mailbox.access_token_expires_at) {
        (Some(sealed), Some(until)) if until > now + 60 => key
            .open(mailbox.id.as_str(), ACCESS_TOKEN_FIELD, sealed)
            .ok(),
        _ => None,
    };
    let connect = |token: SecretString, mechanism: OAuthMechanism| async move {
        let credentials = Credentials::OAuth {
            username: &mailbox.username,
            mechanism,
            access_token: &token,
        };
        Connection::open(ctx.resolver, imap, &mailbox.host, port, tls, credentials).await
    };
    if let Some(token) = cached {
        match connect(token, config.mechanism).await {
            Ok(connection) => return Ok(connection),
            // A cached token the server refuses (revoked early): refresh once.
            Err(ImapError::Auth(_)) => {}
            Err(other) => return Err(other.into()),
        }
    }
    let token = refresh_token(ctx, key, mailbox, &config, &secrets).await?;
    Ok(connect(token, config.mechanism).await?)
}

/// A new access token from the token endpoint, kept sealed with its expiry; a rotated
/// refresh token replaces the stored one.
async fn refresh_token(
    ctx: &PollContext<'_>,
    key: &SecretKey,
    mailbox: &Mailbox,
    config: &OAuthConfig,
    secrets: &Secrets,
) -> Result<SecretString, PollError> {
    let refresh = SecretString::from(secrets.refresh_token.clone().unwrap_or_default());
    let client_secret = SecretString::from(secrets.client_secret.clone().unwrap_or_default());
    let token = oauth2::refresh(
        ctx.resolver,
        ctx.settings.imap.allow_private,
        ctx.settings.oauth_timeout,
        &oauth2::RefreshRequest {
            token_endpoint: &config.token_endpoint,
            client_id: &config.client_id,
            client_secret: &client_secret,
            refresh_token: &refresh,
            scope: config.scope.as_deref(),
        },
    )
    .await?;
    let now = crate::storage::now();
    // Kept a minute less than the provider says, so it is not used at its last second.
    let expires_at = now + token.expires_in.unwrap_or(3600).clamp(60, 86_400) - 60;
    let sealed_token = key.seal(
        mailbox.id.as_str(),
        ACCESS_TOKEN_FIELD,
        token.access_token.expose_secret().as_bytes(),
    )?;
    let rotated = match &token.refresh_token {
        Some(new) if new.expose_secret() != refresh.expose_secret() => {
            let secrets = Secrets {
                password: None,
                refresh_token: Some(new.expose_secret().to_string()),
                client_secret: secrets.client_secret.clone(),
            };
            let plain = serde_json::to_vec(&secrets)
                .map_err(|e| PollError::Settings(format!("encode secrets: {e}")))?;
            Some(key.seal(mailbox.id.as_str(), SECRETS_FIELD, &plain)?)
        }
        _ => None,
    };
    let (db, id) = (ctx.db.clone(), mailbox.id.clone());
    run_blocking(move || {
        db.write(|conn| {
            store::store_access_token(conn, &id, Some(&sealed_token), Some(expires_at))?;
            if let Some(sealed) = rotated {
                store::store_secrets(conn, &id, &sealed)?;
            }
            Ok(())
        })
    })
    .await?;
    Ok(token.access_token)
}

/// What ingest made of one message.
fn tally(results: &[Ingested]) -> (i64, i64, i64, Option<String>) {
    let (mut stored, mut duplicate, mut failed) = (0i64, 0i64, 0i64);
    let mut last_failure = None;
    for result in results {
        match result {
            Ingested::Stored {
                duplicate: true, ..
            } => duplicate += 1,
            Ingested::Stored { .. } => stored += 1,
            Ingested::Failed { error, .. } => {
                failed += 1;
                last_failure = Some(describe(error));
            }
        }
    }
    (stored, duplicate, failed, last_failure)
}

/// A failure as the rejection reason: its stable code and the text every front door gives.
fn describe(failure: &IngestFailure) -> String {
    format!("{}: {failure}", failure.code())
}

async fn read_new(
    ctx: &PollContext<'_>,
    connection: &mut Connection,
    mailbox: &Mailbox,
) -> Result<bool, PollError> {
    let selected = connection.select(&mailbox.folder).await?;
    let mut last_uid = u32::try_from(mailbox.last_uid).unwrap_or(0);
    if mailbox.uidvalidity != Some(i64::from(selected.uidvalidity)) {
        if mailbox.uidvalidity.is_some() {
            tracing::warn!(mailbox = %mailbox.id, old = ?mailbox.uidvalidity, new = selected.uidvalidity,
                "the folder's UIDVALIDITY changed; reading it again from the start");
        }
        let (db, id, v) = (
            ctx.db.clone(),
            mailbox.id.clone(),
            i64::from(selected.uidvalidity),
        );
        run_blocking(move || db.write(|conn| store::reset_uidvalidity(conn, &id, v))).await?;
        last_uid = 0;
    }
    if selected.exists == 0 {
        return Ok(false);
    }
    let uids = connection.uids_above(last_uid).await?;
    let more = uids.len() > ctx.settings.max_per_poll;
    let scope = {
        let (db, tenant) = (ctx.db.clone(), mailbox.tenant_id.clone());
        run_blocking(move || db.read(|conn| tenants::find_tenant_unscoped(conn, &tenant)))
            .await?
            .ok_or(StorageError::NotFound)?
            .scope()
    };
    let after = AfterAction::from_parts(&mailbox.after_action, mailbox.after_folder.as_deref())
        .ok_or_else(|| PollError::Settings(format!("after action {}", mailbox.after_action)))?;
    for batch in uids[..uids.len().min(ctx.settings.max_per_poll)].chunks(ctx.settings.batch.max(1))
    {
        let sizes = connection.sizes(batch).await?;
        let mut outcomes: Vec<MessageOutcome> = Vec::with_capacity(sizes.len());
        let mut fetchable: Vec<(u32, u64)> = Vec::new();
        for (uid, size) in sizes {
            let size = u64::from(size);
            if size > ctx.settings.max_message_bytes {
                outcomes.push(MessageOutcome {
                    uid: i64::from(uid),
                    rejected: Some(format!(
                        "message of {size} bytes is over the upload limit of {} bytes",
                        ctx.settings.max_message_bytes
                    )),
                    ..MessageOutcome::default()
                });
            } else {
                fetchable.push((uid, size));
            }
        }
        // Fetched in groups of at most `fetch_bytes` (or one message), so memory holds one
        // group whatever the backlog.
        for group in groups(&fetchable, ctx.settings.fetch_bytes) {
            for (uid, bytes) in connection.fetch_many(&group).await? {
                let results = ingest_message(ctx, &scope, bytes).await?;
                let (stored, duplicate, failed, last_failure) = tally(&results);
                outcomes.push(MessageOutcome {
                    uid: i64::from(uid),
                    reports_stored: stored,
                    reports_duplicate: duplicate,
                    reports_failed: failed,
                    rejected: (stored + duplicate == 0).then(|| {
                        last_failure.unwrap_or_else(|| "no report in the message".to_string())
                    }),
                });
            }
        }
        outcomes.sort_by_key(|o| o.uid);
        // Only now, every report of the batch committed: act on its messages.
        let uids_of = |rejected: bool| -> Vec<u32> {
            outcomes
                .iter()
                .filter(|o| o.rejected.is_some() == rejected)
                .filter_map(|o| u32::try_from(o.uid).ok())
                .collect()
        };
        let (stored, rejected) = (uids_of(false), uids_of(true));
        connection
            .move_to(&rejected, &mailbox.rejected_folder)
            .await?;
        if !stored.is_empty() {
            match &after {
                AfterAction::Move { folder } => connection.move_to(&stored, folder).await?,
                AfterAction::MarkSeen => connection.add_flags(&stored, "\\Seen").await?,
                AfterAction::Delete => connection.delete(&stored).await?,
            }
        }
        let (db, id) = (ctx.db.clone(), mailbox.id.clone());
        run_blocking(move || db.write(|conn| store::record_messages(conn, &id, &outcomes))).await?;
    }
    Ok(more)
}

/// `(uid, size)`s cut into groups of at most `budget` bytes (a larger message alone).
fn groups(messages: &[(u32, u64)], budget: u64) -> Vec<Vec<u32>> {
    let mut out: Vec<Vec<u32>> = Vec::new();
    let mut current: Vec<u32> = Vec::new();
    let mut bytes = 0u64;
    for (uid, size) in messages {
        if !current.is_empty() && bytes + size > budget {
            out.push(std::mem::take(&mut current));
            bytes = 0;
        }
        current.push(*uid);
        bytes += size;
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// The one place a mailbox message enters ingestion: as mail to the tenant's report address
/// (`services::intake`), filed under the tenant's own registered domains, registering a new
/// one when its `auto_register_domains` is on.
async fn ingest_message(
    ctx: &PollContext<'_>,
    scope: &TenantScope,
    bytes: Vec<u8>,
) -> Result<Vec<Ingested>, StorageError> {
    let (db, metrics, scope, limits, check_dns) = (
        ctx.db.clone(),
        ctx.metrics.clone(),
        scope.clone(),
        ctx.settings.limits,
        ctx.settings.check_dns,
    );
    run_blocking(move || {
        crate::services::intake::ingest_for_tenant(
            &db,
            &metrics,
            &scope,
            &Upload {
                bytes: &bytes,
                content_type: Some("message/rfc822"),
                file_name: None,
            },
            &limits,
            check_dns,
        )
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fetch_groups_stay_within_the_budget_and_a_large_message_goes_alone() {
        let messages = [(1, 40), (2, 50), (3, 20), (4, 500), (5, 10), (6, 10)];
        assert_eq!(
            groups(&messages, 100),
            vec![vec![1, 2], vec![3], vec![4], vec![5, 6]]
        );
        assert!(groups(&[], 100).is_empty());
    }
}
