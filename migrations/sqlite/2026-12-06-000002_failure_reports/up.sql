-- DMARC failure reports (RFC 6591 ARF), stored redacted as the tenant's
-- failure_settings.privacy says (default 'redacted': no body, no subject, local parts of
-- addresses replaced by a keyed hash). Deduplicated per tenant by the content hash of the
-- parsed report (before redaction), so the same report twice is stored once.
CREATE TABLE failure_reports (
    id TEXT PRIMARY KEY NOT NULL,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    domain_id TEXT NOT NULL REFERENCES domains(id) ON DELETE CASCADE,
    -- the raw message, only when privacy was 'full'
    upload_id TEXT REFERENCES uploads(id) ON DELETE SET NULL,
    origin TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    -- redacted | headers | full: how this row was stored
    privacy TEXT NOT NULL,
    policy_domain TEXT NOT NULL,
    reporter TEXT,
    source_ip TEXT,
    -- ',dmarc,spf,': the Auth-Failure values, comma-delimited on both ends for filtering
    auth_failures TEXT NOT NULL,
    delivery_result TEXT,
    -- Arrival-Date (else the report's Date, else the time it was stored), Unix seconds
    arrival_ts BIGINT NOT NULL,
    incidents BIGINT NOT NULL,
    original_mail_from TEXT,
    header_from TEXT,
    -- the whole report as stored (redacted), JSON
    report TEXT NOT NULL,
    warnings TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX failure_reports_hash ON failure_reports(tenant_id, content_hash);
CREATE INDEX failure_reports_domain_time ON failure_reports(domain_id, arrival_ts, id);
CREATE INDEX failure_reports_domain_source ON failure_reports(domain_id, source_ip, arrival_ts);

-- One row per (report, Auth-Failure value): counts by failure type.
CREATE TABLE failure_report_types (
    report_id TEXT NOT NULL REFERENCES failure_reports(id) ON DELETE CASCADE,
    domain_id TEXT NOT NULL REFERENCES domains(id) ON DELETE CASCADE,
    auth_failure TEXT NOT NULL,
    arrival_ts BIGINT NOT NULL,
    incidents BIGINT NOT NULL,
    PRIMARY KEY (report_id, auth_failure)
);
CREATE INDEX failure_report_types_domain_time ON failure_report_types(domain_id, arrival_ts);

-- Per-tenant failure report settings: the privacy mode and the key of the address hashes
-- (random, made on first use, never shown).
CREATE TABLE failure_settings (
    tenant_id TEXT PRIMARY KEY NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    privacy TEXT NOT NULL,
    hash_key TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
