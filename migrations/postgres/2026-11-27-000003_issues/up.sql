-- Issues detected by the analysis rules, one row per (domain, code, subject), kept through
-- their lifecycle: open -> acknowledged (by a client) -> resolved (by ruad when the condition
-- clears) -> open again if it comes back.
CREATE TABLE issues (
    id TEXT PRIMARY KEY NOT NULL,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    domain_id TEXT NOT NULL REFERENCES domains(id) ON DELETE CASCADE,
    code TEXT NOT NULL,
    -- what the issue is about within the domain ('' for the domain as a whole)
    subject TEXT NOT NULL,
    severity TEXT NOT NULL,
    -- 0 (info) .. 4 (critical), for sorting
    severity_rank INTEGER NOT NULL,
    status TEXT NOT NULL,
    title TEXT NOT NULL,
    explanation TEXT NOT NULL,
    remediation TEXT NOT NULL,
    -- suggested DNS record (JSON), if any
    record TEXT,
    -- the figures behind the conclusion (JSON)
    evidence TEXT NOT NULL,
    first_seen_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    status_changed_at BIGINT NOT NULL,
    acknowledged_at BIGINT,
    resolved_at BIGINT
);
CREATE UNIQUE INDEX issues_identity ON issues(domain_id, code, subject);
CREATE INDEX issues_tenant_status ON issues(tenant_id, status, severity_rank);
-- finding a waiting job of a kind for the same object (at most one evaluation per domain)
CREATE INDEX jobs_kind_payload ON jobs(kind, payload);
