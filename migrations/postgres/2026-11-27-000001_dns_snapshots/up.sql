-- The last DNS checks of each registered domain, kept over time so changes can be seen.
CREATE TABLE dns_snapshots (
    id TEXT PRIMARY KEY NOT NULL,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    domain_id TEXT NOT NULL REFERENCES domains(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    -- selector for DKIM/BIMI, '' otherwise
    selector TEXT NOT NULL,
    checked_at BIGINT NOT NULL,
    -- worst finding severity: 'error', 'warning', 'info' or '' (no finding)
    worst TEXT NOT NULL,
    report TEXT NOT NULL
);
CREATE INDEX dns_snapshots_domain ON dns_snapshots(domain_id, kind, selector, checked_at);
