-- Tenants form a tree; `path` is the chain of ids from the root, '/'-separated and
-- '/'-terminated, so a subtree is `path LIKE '<caller path>%'`.
CREATE TABLE tenants (
    id TEXT PRIMARY KEY NOT NULL,
    parent_id TEXT REFERENCES tenants(id),
    name TEXT NOT NULL,
    path TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
);
CREATE INDEX tenants_parent ON tenants(parent_id);

CREATE TABLE api_keys (
    id TEXT PRIMARY KEY NOT NULL,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    -- SHA-256 (hex) of the secret key; the key itself is shown once and never stored.
    key_hash TEXT NOT NULL UNIQUE,
    prefix TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);
CREATE INDEX api_keys_tenant ON api_keys(tenant_id);

-- Every JWT ruad issues, so tokens can be revoked (with the key that minted them).
CREATE TABLE issued_tokens (
    jti TEXT PRIMARY KEY NOT NULL,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    api_key_id TEXT REFERENCES api_keys(id),
    role TEXT NOT NULL,
    issued_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    revoked_at BIGINT
);
CREATE INDEX issued_tokens_expiry ON issued_tokens(expires_at);

CREATE TABLE domains (
    id TEXT PRIMARY KEY NOT NULL,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    name TEXT NOT NULL UNIQUE,
    ingest_token TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
);
CREATE INDEX domains_tenant ON domains(tenant_id);

-- Original uploads, gzip-compressed, stored once per content.
CREATE TABLE uploads (
    id TEXT PRIMARY KEY NOT NULL,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    sha256 TEXT NOT NULL,
    size BIGINT NOT NULL,
    content_type TEXT,
    data BLOB NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (tenant_id, sha256)
);

CREATE TABLE reports (
    id TEXT PRIMARY KEY NOT NULL,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    domain_id TEXT NOT NULL REFERENCES domains(id),
    upload_id TEXT NOT NULL REFERENCES uploads(id),
    -- where inside the upload the report was found (JSON array of layer names)
    origin TEXT NOT NULL,
    kind TEXT NOT NULL,
    org_name TEXT NOT NULL,
    external_id TEXT NOT NULL,
    policy_domain TEXT NOT NULL,
    begin_ts BIGINT NOT NULL,
    end_ts BIGINT NOT NULL,
    content_hash TEXT NOT NULL,
    -- set when a later upload with the same natural key and other content replaced it
    superseded_by TEXT,
    conflict BOOLEAN NOT NULL,
    header TEXT NOT NULL,
    warnings TEXT NOT NULL,
    record_count BIGINT NOT NULL,
    message_count BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (tenant_id, kind, org_name, external_id, policy_domain, begin_ts, end_ts, content_hash)
);
CREATE INDEX reports_list ON reports(tenant_id, begin_ts, id);
CREATE INDEX reports_domain ON reports(domain_id, begin_ts);
CREATE INDEX reports_natural ON reports(tenant_id, kind, org_name, external_id, policy_domain, begin_ts, end_ts);

CREATE TABLE dmarc_records (
    report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    seq BIGINT NOT NULL,
    source_ip TEXT NOT NULL,
    count BIGINT NOT NULL,
    disposition TEXT,
    dkim_aligned TEXT,
    spf_aligned TEXT,
    header_from TEXT,
    envelope_from TEXT,
    envelope_to TEXT,
    -- JSON: override reasons, DKIM and SPF auth results, extensions
    reasons TEXT NOT NULL,
    dkim TEXT NOT NULL,
    spf TEXT NOT NULL,
    extensions TEXT,
    PRIMARY KEY (report_id, seq)
);

CREATE TABLE tls_policies (
    report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    seq BIGINT NOT NULL,
    policy_type TEXT NOT NULL,
    policy_domain TEXT NOT NULL,
    policy_string TEXT NOT NULL,
    mx_host TEXT NOT NULL,
    successful_sessions BIGINT NOT NULL,
    failed_sessions BIGINT NOT NULL,
    PRIMARY KEY (report_id, seq)
);

CREATE TABLE tls_failures (
    report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    policy_seq BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    result_type TEXT NOT NULL,
    sending_mta_ip TEXT,
    receiving_mx_hostname TEXT,
    receiving_mx_helo TEXT,
    receiving_ip TEXT,
    failed_session_count BIGINT NOT NULL,
    additional_information TEXT,
    failure_reason_code TEXT,
    PRIMARY KEY (report_id, policy_seq, seq)
);

-- Per-day rollups: a report's counts spread over the UTC days its range covers.
CREATE TABLE dmarc_daily (
    report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    domain_id TEXT NOT NULL,
    day BIGINT NOT NULL,
    disposition TEXT NOT NULL,
    dkim_aligned TEXT NOT NULL,
    spf_aligned TEXT NOT NULL,
    messages BIGINT NOT NULL,
    PRIMARY KEY (report_id, day, disposition, dkim_aligned, spf_aligned)
);
CREATE INDEX dmarc_daily_domain ON dmarc_daily(domain_id, day);

CREATE TABLE dmarc_daily_sources (
    report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    -- flush batch: a huge report's sources are summed in bounded batches
    seq BIGINT NOT NULL,
    domain_id TEXT NOT NULL,
    day BIGINT NOT NULL,
    source_ip TEXT NOT NULL,
    header_from TEXT NOT NULL,
    messages BIGINT NOT NULL,
    pass_messages BIGINT NOT NULL,
    PRIMARY KEY (report_id, seq, day, source_ip, header_from)
);
CREATE INDEX dmarc_daily_sources_domain ON dmarc_daily_sources(domain_id, day);

CREATE TABLE tls_daily (
    report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    domain_id TEXT NOT NULL,
    day BIGINT NOT NULL,
    org_name TEXT NOT NULL,
    result_type TEXT NOT NULL,
    sending_mta_ip TEXT NOT NULL,
    receiving_mx_hostname TEXT NOT NULL,
    successful_sessions BIGINT NOT NULL,
    failed_sessions BIGINT NOT NULL,
    PRIMARY KEY (report_id, day, org_name, result_type, sending_mta_ip, receiving_mx_hostname)
);
CREATE INDEX tls_daily_domain ON tls_daily(domain_id, day);

-- Background work shared by all ruad instances (claimed with FOR UPDATE SKIP LOCKED on PostgreSQL).
CREATE TABLE jobs (
    id TEXT PRIMARY KEY NOT NULL,
    tenant_id TEXT,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    run_at BIGINT NOT NULL,
    attempts INTEGER NOT NULL,
    locked_until BIGINT,
    last_error TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX jobs_due ON jobs(run_at);
