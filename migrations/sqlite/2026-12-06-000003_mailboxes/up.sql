-- IMAP mailboxes a tenant's reports are read from (issue 14), polled by `poll_mailbox` jobs.
-- Secrets are stored encrypted (XChaCha20-Poly1305 under the key of the `secret_key`
-- setting: a 24-byte random nonce followed by the ciphertext, with the mailbox id and the
-- column name as associated data, so a value cannot be moved to another row or column).
CREATE TABLE mailboxes (
    id TEXT PRIMARY KEY NOT NULL,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    host TEXT NOT NULL,
    port INTEGER NOT NULL,
    -- 'implicit' (TLS from the first byte) or 'starttls'
    tls TEXT NOT NULL,
    username TEXT NOT NULL,
    -- 'password' or 'oauth2'
    auth TEXT NOT NULL,
    -- OAuth2 settings that are not secret, JSON: client_id, token_endpoint, mechanism
    -- ('xoauth2' or 'oauthbearer'), scope
    oauth TEXT,
    -- encrypted JSON: {"password"} or {"refresh_token", "client_secret"}
    secrets_enc BLOB NOT NULL,
    -- encrypted OAuth2 access token cached until it expires
    access_token_enc BLOB,
    access_token_expires_at BIGINT,
    folder TEXT NOT NULL,
    -- after a message's reports are committed: 'move' (to after_folder), 'mark_seen' or 'delete'
    after_action TEXT NOT NULL,
    after_folder TEXT,
    -- where a message without any report goes (never deleted)
    rejected_folder TEXT NOT NULL,
    enabled BOOLEAN NOT NULL,
    poll_interval_seconds BIGINT NOT NULL,
    -- progress: the folder's UIDVALIDITY and the highest UID dealt with under it
    uidvalidity BIGINT,
    last_uid BIGINT NOT NULL,
    uidvalidity_resets INTEGER NOT NULL,
    messages_seen BIGINT NOT NULL,
    reports_stored BIGINT NOT NULL,
    reports_duplicate BIGINT NOT NULL,
    reports_failed BIGINT NOT NULL,
    messages_rejected BIGINT NOT NULL,
    -- polls run to their end (with or without error)
    polls BIGINT NOT NULL,
    last_poll_at BIGINT,
    last_error TEXT,
    last_rejection TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX mailboxes_tenant ON mailboxes(tenant_id, created_at);
