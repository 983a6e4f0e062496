-- Per-day rollup of the DKIM signing domains and SPF domains that *passed* for each sending
-- source: beside a forward-confirmed PTR name, the evidence that names a source's sending
-- service in the aggregates (a passing d=sendgrid.net signature means SendGrid signed).
-- Failing results are left out: anyone can claim a domain they do not hold.
CREATE TABLE dmarc_daily_auth (
    report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    -- flush batch, as in dmarc_daily_sources
    seq BIGINT NOT NULL,
    domain_id TEXT NOT NULL,
    day BIGINT NOT NULL,
    source_ip TEXT NOT NULL,
    -- 'dkim' or 'spf'
    method TEXT NOT NULL,
    -- lower-case, no trailing dot
    auth_domain TEXT NOT NULL,
    messages BIGINT NOT NULL,
    PRIMARY KEY (report_id, seq, day, source_ip, method, auth_domain)
);
CREATE INDEX dmarc_daily_auth_domain ON dmarc_daily_auth(domain_id, day);
