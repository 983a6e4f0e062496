-- A domain name is unique within a tenant, not across tenants: every ingest path knows its
-- tenant, so two customers may both register example.com and neither learns of the other.
ALTER TABLE domains DROP CONSTRAINT domains_name_key;
ALTER TABLE domains ADD CONSTRAINT domains_tenant_name_key UNIQUE (tenant_id, name);
CREATE INDEX domains_name ON domains(name);
