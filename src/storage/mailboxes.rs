//! IMAP mailboxes of a tenant: their settings, their encrypted secrets, their progress
//! (UIDVALIDITY and last UID dealt with) and counters, and the `poll_mailbox` job of each.
//!
//! - A mailbox belongs to one tenant and is visible in that tenant's subtree, like any
//!   tenant resource (another tenant's is not found).
//! - Secrets arrive here already sealed (`services::mailboxes` encrypts them, bound to the
//!   mailbox id and column); this module never sees a password in clear, and `Debug` prints no
//!   ciphertext either.
//! - One job per mailbox: a `poll_mailbox` job is added when a mailbox is created or enabled
//!   and none exists ([`insert_mailbox`], [`update_settings`]), and a running poll adds its
//!   own successor in the transaction that removes it ([`finish_poll`]), so exactly one job
//!   exists while the mailbox is enabled and none after it was disabled or deleted. The job
//!   runner's lease makes sure one instance at a time runs it.
//! - Progress and counters are written by the poller only ([`record_message`],
//!   [`reset_uidvalidity`], [`record_poll`]); settings writes never touch them, except that
//!   a new host, user or folder starts the progress afresh.
//!
//! Must not depend on actix-web.

use super::schema::{jobs as jobs_table, mailboxes, tenants};
use super::tenants::get_tenant;
use super::{DbConnection, StorageResult, TenantScope, jobs};
use crate::domain::ids::{MailboxId, TenantId};
use crate::domain::job::JobKind;
use crate::storage::write_transaction;
use diesel::prelude::*;

/// A mailbox row.
#[derive(Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = mailboxes)]
pub struct Mailbox {
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub id: MailboxId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub tenant_id: TenantId,
    pub name: String,
    pub host: String,
    pub port: i32,
    /// `implicit` or `starttls` (`domain::mailbox::TlsMode`).
    pub tls: String,
    pub username: String,
    /// `password` or `oauth2`.
    pub auth: String,
    /// JSON of `domain::mailbox::OAuthConfig`, for `oauth2`.
    pub oauth: Option<String>,
    /// Sealed JSON of the secrets.
    pub secrets_enc: Vec<u8>,
    /// Sealed cached OAuth2 access token.
    pub access_token_enc: Option<Vec<u8>>,
    pub access_token_expires_at: Option<i64>,
    pub folder: String,
    pub after_action: String,
    pub after_folder: Option<String>,
    pub rejected_folder: String,
    pub enabled: bool,
    pub poll_interval_seconds: i64,
    pub uidvalidity: Option<i64>,
    pub last_uid: i64,
    pub uidvalidity_resets: i32,
    pub messages_seen: i64,
    pub reports_stored: i64,
    pub reports_duplicate: i64,
    pub reports_failed: i64,
    pub messages_rejected: i64,
    /// Polls run to their end.
    pub polls: i64,
    pub last_poll_at: Option<i64>,
    pub last_error: Option<String>,
    pub last_rejection: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl std::fmt::Debug for Mailbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailbox")
            .field("id", &self.id)
            .field("tenant_id", &self.tenant_id)
            .field("host", &self.host)
            .field("port", &self.port)
            .field("username", &self.username)
            .field("folder", &self.folder)
            .field("enabled", &self.enabled)
            .field("last_uid", &self.last_uid)
            .finish_non_exhaustive()
    }
}

/// What one message did, added to the counters with its UID as the new progress.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MessageOutcome {
    pub uid: i64,
    pub reports_stored: i64,
    pub reports_duplicate: i64,
    pub reports_failed: i64,
    /// Why the message was moved to the rejected folder, when it was.
    pub rejected: Option<String>,
}

/// The payload of a mailbox's `poll_mailbox` job.
pub fn job_payload(id: &MailboxId) -> serde_json::Value {
    serde_json::json!({ "mailbox_id": id })
}

/// Whether a `poll_mailbox` job exists for the mailbox (waiting, due or running).
fn has_job(conn: &mut DbConnection, id: &MailboxId) -> StorageResult<bool> {
    let n: i64 = jobs_table::table
        .filter(jobs_table::kind.eq(JobKind::PollMailbox.as_str()))
        .filter(jobs_table::payload.eq(job_payload(id).to_string()))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Gives an enabled mailbox its job, due at `run_at`, unless it has one.
fn ensure_job(conn: &mut DbConnection, mailbox: &Mailbox, run_at: i64) -> StorageResult<()> {
    if mailbox.enabled && !has_job(conn, &mailbox.id)? {
        jobs::enqueue(
            conn,
            Some(&mailbox.tenant_id),
            JobKind::PollMailbox,
            &job_payload(&mailbox.id),
            run_at,
        )?;
    }
    Ok(())
}

/// Stores a new mailbox of a tenant in scope (the row is complete: its id was needed to seal
/// its secrets) and, when enabled, its first poll, due at once.
#[tracing::instrument(skip_all, fields(tenant_id = %scope.tenant_id))]
pub fn insert_mailbox(
    conn: &mut DbConnection,
    scope: &TenantScope,
    mailbox: &Mailbox,
) -> StorageResult<Mailbox> {
    get_tenant(conn, scope, &mailbox.tenant_id)?;
    write_transaction(conn, |conn| {
        diesel::insert_into(mailboxes::table)
            .values(mailbox.clone())
            .execute(conn)?;
        ensure_job(conn, mailbox, mailbox.created_at)?;
        Ok(mailbox.clone())
    })
}

/// A mailbox in the caller's scope.
pub fn get_mailbox(
    conn: &mut DbConnection,
    scope: &TenantScope,
    id: &MailboxId,
) -> StorageResult<Mailbox> {
    let scoped = tenants::table
        .filter(tenants::path.like(scope.like()))
        .select(tenants::id);
    Ok(mailboxes::table
        .filter(mailboxes::id.eq(id.as_str()))
        .filter(mailboxes::tenant_id.eq_any(scoped))
        .select(Mailbox::as_select())
        .first(conn)?)
}

/// A mailbox whatever its tenant (the poller, which got the id from its job); `None` when it
/// was deleted.
pub fn find_mailbox(conn: &mut DbConnection, id: &MailboxId) -> StorageResult<Option<Mailbox>> {
    Ok(mailboxes::table
        .filter(mailboxes::id.eq(id.as_str()))
        .select(Mailbox::as_select())
        .first(conn)
        .optional()?)
}

/// The mailboxes in scope, newest first, at most `limit`, after the cursor `after`.
pub fn list_mailboxes(
    conn: &mut DbConnection,
    scope: &TenantScope,
    after: Option<&(i64, String)>,
    limit: i64,
) -> StorageResult<Vec<Mailbox>> {
    let scoped = tenants::table
        .filter(tenants::path.like(scope.like()))
        .select(tenants::id);
    let mut query = mailboxes::table
        .filter(mailboxes::tenant_id.eq_any(scoped))
        .into_boxed();
    if let Some((created, id)) = after {
        query = query.filter(
            mailboxes::created_at.lt(*created).or(mailboxes::created_at
                .eq(*created)
                .and(mailboxes::id.lt(id.clone()))),
        );
    }
    Ok(query
        .order((mailboxes::created_at.desc(), mailboxes::id.desc()))
        .limit(limit)
        .select(Mailbox::as_select())
        .load(conn)?)
}

/// Writes the settings of `updated` (a mailbox in scope, as read and changed by the caller):
/// everything but progress and counters. A new host, user name or folder starts the progress
/// afresh (UIDs belong to one folder of one account); a new secret drops the cached access
/// token. Gives the mailbox its job when it is (re-)enabled without one.
#[tracing::instrument(skip_all, fields(tenant_id = %scope.tenant_id))]
pub fn update_settings(
    conn: &mut DbConnection,
    scope: &TenantScope,
    updated: &Mailbox,
    now: i64,
) -> StorageResult<Mailbox> {
    write_transaction(conn, |conn| {
        let current = get_mailbox(conn, scope, &updated.id)?;
        let restart = current.host != updated.host
            || current.username != updated.username
            || current.folder != updated.folder;
        let new_secrets = current.secrets_enc != updated.secrets_enc;
        diesel::update(mailboxes::table.filter(mailboxes::id.eq(updated.id.as_str())))
            .set((
                mailboxes::name.eq(&updated.name),
                mailboxes::host.eq(&updated.host),
                mailboxes::port.eq(updated.port),
                mailboxes::tls.eq(&updated.tls),
                mailboxes::username.eq(&updated.username),
                mailboxes::auth.eq(&updated.auth),
                mailboxes::oauth.eq(&updated.oauth),
                mailboxes::secrets_enc.eq(&updated.secrets_enc),
                mailboxes::folder.eq(&updated.folder),
                mailboxes::after_action.eq(&updated.after_action),
                mailboxes::after_folder.eq(&updated.after_folder),
                mailboxes::rejected_folder.eq(&updated.rejected_folder),
                mailboxes::enabled.eq(updated.enabled),
                mailboxes::poll_interval_seconds.eq(updated.poll_interval_seconds),
                mailboxes::updated_at.eq(now),
            ))
            .execute(conn)?;
        if restart {
            diesel::update(mailboxes::table.filter(mailboxes::id.eq(updated.id.as_str())))
                .set((
                    mailboxes::uidvalidity.eq(None::<i64>),
                    mailboxes::last_uid.eq(0i64),
                ))
                .execute(conn)?;
        }
        if new_secrets {
            store_access_token(conn, &updated.id, None, None)?;
        }
        let stored = get_mailbox(conn, scope, &updated.id)?;
        ensure_job(conn, &stored, now)?;
        Ok(stored)
    })
}

/// Deletes a mailbox and its waiting job (a running poll finds it gone and stops).
#[tracing::instrument(skip_all, fields(tenant_id = %scope.tenant_id))]
pub fn delete_mailbox(
    conn: &mut DbConnection,
    scope: &TenantScope,
    id: &MailboxId,
) -> StorageResult<()> {
    let mailbox = get_mailbox(conn, scope, id)?;
    write_transaction(conn, |conn| {
        diesel::delete(
            jobs_table::table
                .filter(jobs_table::kind.eq(JobKind::PollMailbox.as_str()))
                .filter(jobs_table::payload.eq(job_payload(&mailbox.id).to_string()))
                .filter(jobs_table::locked_until.is_null()),
        )
        .execute(conn)?;
        diesel::delete(mailboxes::table.filter(mailboxes::id.eq(mailbox.id.as_str())))
            .execute(conn)?;
        Ok(())
    })
}

/// Makes the mailbox's waiting poll due at `now` (or gives an enabled mailbox without one a
/// poll due now); a poll running now is left alone. `false` when the mailbox is disabled.
#[tracing::instrument(skip_all, fields(tenant_id = %scope.tenant_id))]
pub fn poll_now(
    conn: &mut DbConnection,
    scope: &TenantScope,
    id: &MailboxId,
    now: i64,
) -> StorageResult<bool> {
    write_transaction(conn, |conn| {
        let mailbox = get_mailbox(conn, scope, id)?;
        if !mailbox.enabled {
            return Ok(false);
        }
        diesel::update(
            jobs_table::table
                .filter(jobs_table::kind.eq(JobKind::PollMailbox.as_str()))
                .filter(jobs_table::payload.eq(job_payload(&mailbox.id).to_string()))
                .filter(jobs_table::locked_until.is_null())
                .filter(jobs_table::run_at.gt(now)),
        )
        .set(jobs_table::run_at.eq(now))
        .execute(conn)?;
        ensure_job(conn, &mailbox, now)?;
        Ok(true)
    })
}

/// Keeps (or, with `None`, drops) the sealed OAuth2 access token and its expiry.
pub fn store_access_token(
    conn: &mut DbConnection,
    id: &MailboxId,
    sealed: Option<&[u8]>,
    expires_at: Option<i64>,
) -> StorageResult<()> {
    diesel::update(mailboxes::table.filter(mailboxes::id.eq(id.as_str())))
        .set((
            mailboxes::access_token_enc.eq(sealed),
            mailboxes::access_token_expires_at.eq(expires_at),
        ))
        .execute(conn)?;
    Ok(())
}

/// Replaces the sealed secrets (a refresh token the provider rotated).
pub fn store_secrets(conn: &mut DbConnection, id: &MailboxId, sealed: &[u8]) -> StorageResult<()> {
    diesel::update(mailboxes::table.filter(mailboxes::id.eq(id.as_str())))
        .set(mailboxes::secrets_enc.eq(sealed))
        .execute(conn)?;
    Ok(())
}

/// The folder's UIDVALIDITY is not the one progress was recorded under (or none was): UIDs
/// start again from 0 under `uidvalidity`; a change (not the first sight) is counted.
pub fn reset_uidvalidity(
    conn: &mut DbConnection,
    id: &MailboxId,
    uidvalidity: i64,
) -> StorageResult<()> {
    let current: Option<Option<i64>> = mailboxes::table
        .filter(mailboxes::id.eq(id.as_str()))
        .select(mailboxes::uidvalidity)
        .first(conn)
        .optional()?;
    let changed = matches!(current, Some(Some(_)));
    diesel::update(mailboxes::table.filter(mailboxes::id.eq(id.as_str())))
        .set((
            mailboxes::uidvalidity.eq(Some(uidvalidity)),
            mailboxes::last_uid.eq(0i64),
            mailboxes::uidvalidity_resets.eq(mailboxes::uidvalidity_resets + i32::from(changed)),
        ))
        .execute(conn)?;
    Ok(())
}

/// Records that one message was dealt with (its after-action or rejection done): its UID
/// becomes the progress, its outcome is added to the counters.
pub fn record_message(
    conn: &mut DbConnection,
    id: &MailboxId,
    outcome: &MessageOutcome,
) -> StorageResult<()> {
    let rejected = i64::from(outcome.rejected.is_some());
    let query = diesel::update(mailboxes::table.filter(mailboxes::id.eq(id.as_str())));
    let counters = (
        mailboxes::last_uid.eq(outcome.uid),
        mailboxes::messages_seen.eq(mailboxes::messages_seen + 1),
        mailboxes::reports_stored.eq(mailboxes::reports_stored + outcome.reports_stored),
        mailboxes::reports_duplicate.eq(mailboxes::reports_duplicate + outcome.reports_duplicate),
        mailboxes::reports_failed.eq(mailboxes::reports_failed + outcome.reports_failed),
        mailboxes::messages_rejected.eq(mailboxes::messages_rejected + rejected),
    );
    match &outcome.rejected {
        Some(reason) => query
            .set((counters, mailboxes::last_rejection.eq(Some(reason))))
            .execute(conn)?,
        None => query.set(counters).execute(conn)?,
    };
    Ok(())
}

/// Records a batch of messages dealt with, in one transaction (see [`record_message`]).
pub fn record_messages(
    conn: &mut DbConnection,
    id: &MailboxId,
    outcomes: &[MessageOutcome],
) -> StorageResult<()> {
    write_transaction(conn, |conn| {
        for outcome in outcomes {
            record_message(conn, id, outcome)?;
        }
        Ok(())
    })
}

/// Records the end of a poll at `at`: its error, or `None` when it went through.
pub fn record_poll(
    conn: &mut DbConnection,
    id: &MailboxId,
    at: i64,
    error: Option<&str>,
) -> StorageResult<()> {
    diesel::update(mailboxes::table.filter(mailboxes::id.eq(id.as_str())))
        .set((
            mailboxes::polls.eq(mailboxes::polls + 1),
            mailboxes::last_poll_at.eq(Some(at)),
            mailboxes::last_error.eq(error),
        ))
        .execute(conn)?;
    Ok(())
}

/// Ends a poll job under its lease, in one transaction: the next poll is queued at `next`
/// when the mailbox still exists and is enabled, and the running job is removed. `false`
/// (and nothing written) when the lease was lost.
pub fn finish_poll(
    conn: &mut DbConnection,
    lease: &jobs::Lease,
    id: &MailboxId,
    next: i64,
) -> StorageResult<bool> {
    write_transaction(conn, |conn| {
        if !jobs::complete(conn, lease)? {
            return Ok(false);
        }
        if let Some(mailbox) = find_mailbox(conn, id)?
            && mailbox.enabled
        {
            jobs::enqueue(
                conn,
                Some(&mailbox.tenant_id),
                JobKind::PollMailbox,
                &job_payload(id),
                next,
            )?;
        }
        Ok(true)
    })
}
