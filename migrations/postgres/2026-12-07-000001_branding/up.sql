-- A tenant's own white-label brand (issue 15). A tenant without a row inherits its nearest
-- ancestor's whole brand (services::branding), else ruad's built-in one. The logo was checked
-- at the boundary (domain::logo): a PNG that decodes, or an SVG without active content or
-- external references, at most 256 KiB.
CREATE TABLE tenant_branding (
    tenant_id TEXT PRIMARY KEY NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    display_name TEXT NOT NULL,
    -- both present or both absent: png | svg, and the image bytes
    logo_format TEXT,
    logo BYTEA,
    -- '#rrggbb', lower case
    primary_color TEXT NOT NULL,
    accent_color TEXT NOT NULL,
    footer_text TEXT,
    -- an email address or an https URL
    support_contact TEXT,
    -- en | nl
    language TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
