-- The portfolio (GET /portfolio) reads per-domain figures from here, so its cost grows with
-- the number of domains, not of reports or records.
--
-- domain_daily: per (domain, day), the sums over the domain's CURRENT reports (no newer
-- version supersedes them) of dmarc_daily (messages, and messages whose DKIM or SPF is
-- aligned: DMARC pass) and of the summary rows of tls_daily (result_type ''). Kept exact in
-- the transaction of every report write, supersede and delete (storage::reports::rollups);
-- a row whose sums all fall to zero is removed. A domain's rows go with it.
CREATE TABLE domain_daily (
    domain_id TEXT NOT NULL REFERENCES domains(id) ON DELETE CASCADE,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    day BIGINT NOT NULL,
    messages BIGINT NOT NULL,
    dmarc_pass_messages BIGINT NOT NULL,
    tls_successful BIGINT NOT NULL,
    tls_failed BIGINT NOT NULL,
    PRIMARY KEY (domain_id, day)
);
CREATE INDEX domain_daily_tenant_day ON domain_daily(tenant_id, day);

INSERT INTO domain_daily
    (domain_id, tenant_id, day, messages, dmarc_pass_messages, tls_successful, tls_failed)
SELECT r.domain_id, r.tenant_id, x.day,
       CAST(SUM(x.messages) AS BIGINT), CAST(SUM(x.pass) AS BIGINT),
       CAST(SUM(x.ok) AS BIGINT), CAST(SUM(x.failed) AS BIGINT)
FROM (
    SELECT report_id, day, messages,
           CASE WHEN dkim_aligned = 'pass' OR spf_aligned = 'pass' THEN messages ELSE 0 END AS pass,
           0 AS ok, 0 AS failed
    FROM dmarc_daily
    UNION ALL
    SELECT report_id, day, 0, 0, successful_sessions, failed_sessions
    FROM tls_daily WHERE result_type = ''
) x
JOIN reports r ON r.id = x.report_id
WHERE r.superseded_by IS NULL
GROUP BY r.domain_id, r.tenant_id, x.day;

-- When the domain's newest stored report arrived (Unix seconds); NULL before its first.
ALTER TABLE domains ADD COLUMN last_report_at BIGINT;
UPDATE domains SET last_report_at =
    (SELECT MAX(reports.created_at) FROM reports WHERE reports.domain_id = domains.id);
