-- Report addresses of the mail intake (issue 14): `<token>@<mail domain>`. A tenant has one
-- (domain_id NULL); a registered domain may have its own. Tokens are random, lower case and
-- unique across both kinds, so one lookup by token names the tenant (and the domain).
CREATE TABLE intake_addresses (
    token TEXT PRIMARY KEY NOT NULL,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    domain_id TEXT REFERENCES domains(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX intake_addresses_tenant ON intake_addresses(tenant_id) WHERE domain_id IS NULL;
CREATE UNIQUE INDEX intake_addresses_domain ON intake_addresses(domain_id);
-- Whether a report for a domain the tenant has not registered registers it: NULL inherits
-- the parent's value (false at the root).
ALTER TABLE tenants ADD COLUMN auto_register_domains BOOLEAN;
