-- Fails if two tenants hold the same name, as it must: the old rule cannot hold them.
CREATE TABLE domains_old (
    id TEXT PRIMARY KEY NOT NULL,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    name TEXT NOT NULL UNIQUE,
    ingest_token TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
);
INSERT INTO domains_old (id, tenant_id, name, ingest_token, created_at)
    SELECT id, tenant_id, name, ingest_token, created_at FROM domains;
DROP TABLE domains;
ALTER TABLE domains_old RENAME TO domains;
CREATE INDEX domains_tenant ON domains(tenant_id);
