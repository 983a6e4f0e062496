-- Scheduled digests (issue 15): a domain's report, or a tenant's portfolio, mailed as HTML
-- with the PDF attached, weekly or monthly at a local day and hour.
CREATE TABLE digests (
    id TEXT PRIMARY KEY NOT NULL,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    -- NULL: the tenant's portfolio (its subtree's domains)
    domain_id TEXT REFERENCES domains(id) ON DELETE CASCADE,
    -- JSON array of 1 to 20 addresses
    recipients TEXT NOT NULL,
    -- 'weekly' or 'monthly'
    frequency TEXT NOT NULL,
    -- ISO weekday 1 (Monday) to 7 for weekly; day of the month 1 to 28 for monthly
    day INTEGER NOT NULL,
    -- local hour 0 to 23
    hour INTEGER NOT NULL,
    -- IANA time zone name the day and hour are in
    time_zone TEXT NOT NULL,
    -- NULL: the brand's language
    language TEXT,
    enabled BOOLEAN NOT NULL,
    -- the next scheduled send (epoch seconds); advanced in the transaction that queues it
    next_run_at BIGINT NOT NULL,
    last_run_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX digests_tenant ON digests(tenant_id, created_at);
CREATE INDEX digests_due ON digests(enabled, next_run_at);

-- One digest mail for one period, with every attempt to hand it to the relay.
CREATE TABLE digest_deliveries (
    id TEXT PRIMARY KEY NOT NULL,
    digest_id TEXT NOT NULL REFERENCES digests(id) ON DELETE CASCADE,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    -- 'schedule' or 'manual' (POST /digests/{id}/send)
    trigger TEXT NOT NULL,
    -- the period reported on: first and last UTC day (epoch day numbers), inclusive
    period_from BIGINT NOT NULL,
    period_to BIGINT NOT NULL,
    scheduled_for BIGINT NOT NULL,
    -- 'queued', 'sent' or 'failed'
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    -- JSON array of {at, outcome, reply}: each attempt's result, oldest first
    attempt_log TEXT NOT NULL,
    last_error TEXT,
    next_attempt_at BIGINT,
    smtp_message_id TEXT,
    smtp_response TEXT,
    sent_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX digest_deliveries_digest ON digest_deliveries(digest_id, created_at, id);
