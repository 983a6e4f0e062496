-- Outgoing webhooks: where to POST which events of a tenant's subtree, signed with `secret`.
CREATE TABLE webhooks (
    id TEXT PRIMARY KEY NOT NULL,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    url TEXT NOT NULL,
    -- JSON array of subscribed event types, e.g. ["report.received","issue.opened"]
    events TEXT NOT NULL,
    -- HMAC-SHA256 key of the signatures; kept in clear because signing needs it, shown to
    -- the API caller only when created or rotated
    secret TEXT NOT NULL,
    description TEXT NOT NULL,
    enabled BOOLEAN NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX webhooks_tenant ON webhooks(tenant_id, created_at);
-- One event to one webhook: the body as sent (the same event id for every webhook that gets
-- the event) and how its delivery went. tenant_id is the webhook's tenant.
CREATE TABLE webhook_deliveries (
    id TEXT PRIMARY KEY NOT NULL,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    webhook_id TEXT NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
    event_id TEXT NOT NULL,
    event_type TEXT NOT NULL,
    payload TEXT NOT NULL,
    -- 'pending', 'succeeded' or 'failed' (after the last attempt)
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    -- HTTP status of the last answer, if there was one
    response_status INTEGER,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    -- when the next attempt is due; NULL once succeeded or failed
    next_attempt_at BIGINT,
    delivered_at BIGINT
);
-- The delivery log of a webhook, newest first.
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries(webhook_id, created_at, id);
