-- Fails if two tenants hold the same name, as it must: the old rule cannot hold them.
DROP INDEX domains_name;
ALTER TABLE domains DROP CONSTRAINT domains_tenant_name_key;
ALTER TABLE domains ADD CONSTRAINT domains_name_key UNIQUE (name);
