-- The per-report rollups come back empty: the code that filled them is gone with this
-- migration's reversal, so reverting needs that code's release, which re-ingests.
DROP TABLE rollup_rebuilds;
DROP TABLE dmarc_auth_months;
DROP TABLE dmarc_auth_days;
DROP TABLE dmarc_source_months;
DROP TABLE dmarc_source_days;

CREATE TABLE dmarc_daily_sources (
    report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
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

CREATE TABLE dmarc_daily_auth (
    report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    seq BIGINT NOT NULL,
    domain_id TEXT NOT NULL,
    day BIGINT NOT NULL,
    source_ip TEXT NOT NULL,
    method TEXT NOT NULL,
    auth_domain TEXT NOT NULL,
    messages BIGINT NOT NULL,
    PRIMARY KEY (report_id, seq, day, source_ip, method, auth_domain)
);
CREATE INDEX dmarc_daily_auth_domain ON dmarc_daily_auth(domain_id, day);
