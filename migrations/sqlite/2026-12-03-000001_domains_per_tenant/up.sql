-- A domain name is unique within a tenant, not across tenants: every ingest path knows its
-- tenant, so two customers may both register example.com and neither learns of the other.
-- SQLite cannot drop the column constraint, so the table is rebuilt (migrations run with
-- foreign keys off; the tables referencing domains(id) keep their references).
CREATE TABLE domains_new (
    id TEXT PRIMARY KEY NOT NULL,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    name TEXT NOT NULL,
    ingest_token TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    UNIQUE (tenant_id, name)
);
INSERT INTO domains_new (id, tenant_id, name, ingest_token, created_at)
    SELECT id, tenant_id, name, ingest_token, created_at FROM domains;
DROP TABLE domains;
ALTER TABLE domains_new RENAME TO domains;
CREATE INDEX domains_tenant ON domains(tenant_id);
CREATE INDEX domains_name ON domains(name);
