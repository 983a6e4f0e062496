-- Per-source rollups summed across reports (issue 16). One row per (domain, day, source,
-- header from) and per (domain, day, source, passing DKIM/SPF domain), over the domain's
-- CURRENT reports only, beside the same sums per calendar month, so a range costs O(distinct
-- sources × buckets), not O(records) or O(reports). A report adds its records' sums when it
-- becomes current and subtracts them (recomputed from its stored records) when it stops being
-- current, in the same transaction (storage::reports::sources); a row whose sums fall to zero
-- is removed.
--
-- `day` is an epoch day (UTC); in the *_months tables it is the epoch day of the first day
-- of the month. Messages are spread over the days a report covers with largest-remainder
-- rounding (domain::days), as in dmarc_daily.
CREATE TABLE dmarc_source_days (
    domain_id TEXT NOT NULL REFERENCES domains(id) ON DELETE CASCADE,
    day BIGINT NOT NULL,
    source_ip TEXT NOT NULL,
    -- '' when the reporter left header_from out
    header_from TEXT NOT NULL,
    messages BIGINT NOT NULL,
    -- DKIM or SPF aligned: DMARC pass
    pass_messages BIGINT NOT NULL,
    dkim_aligned_messages BIGINT NOT NULL,
    spf_aligned_messages BIGINT NOT NULL,
    -- the disposition the receiver applied
    quarantine_messages BIGINT NOT NULL,
    reject_messages BIGINT NOT NULL,
    -- with a policy override reason forwarded, mailing_list or trusted_forwarder
    forwarded_messages BIGINT NOT NULL,
    PRIMARY KEY (domain_id, day, source_ip, header_from)
);

CREATE TABLE dmarc_source_months (
    domain_id TEXT NOT NULL REFERENCES domains(id) ON DELETE CASCADE,
    day BIGINT NOT NULL,
    source_ip TEXT NOT NULL,
    header_from TEXT NOT NULL,
    messages BIGINT NOT NULL,
    pass_messages BIGINT NOT NULL,
    dkim_aligned_messages BIGINT NOT NULL,
    spf_aligned_messages BIGINT NOT NULL,
    quarantine_messages BIGINT NOT NULL,
    reject_messages BIGINT NOT NULL,
    forwarded_messages BIGINT NOT NULL,
    PRIMARY KEY (domain_id, day, source_ip, header_from)
);

-- Messages per source and passing DKIM signing domain or SPF domain (lower-case, no trailing
-- dot): the evidence that names a source's sending service. Failing results are left out.
CREATE TABLE dmarc_auth_days (
    domain_id TEXT NOT NULL REFERENCES domains(id) ON DELETE CASCADE,
    day BIGINT NOT NULL,
    source_ip TEXT NOT NULL,
    -- 'dkim' or 'spf'
    method TEXT NOT NULL,
    auth_domain TEXT NOT NULL,
    messages BIGINT NOT NULL,
    PRIMARY KEY (domain_id, day, source_ip, method, auth_domain)
);

CREATE TABLE dmarc_auth_months (
    domain_id TEXT NOT NULL REFERENCES domains(id) ON DELETE CASCADE,
    day BIGINT NOT NULL,
    source_ip TEXT NOT NULL,
    method TEXT NOT NULL,
    auth_domain TEXT NOT NULL,
    messages BIGINT NOT NULL,
    PRIMARY KEY (domain_id, day, source_ip, method, auth_domain)
);

-- Rebuilds the application runs once after migrating (storage::rebuild_pending): the new
-- rollups are recomputed from the stored records of every current report by the same code
-- that keeps them at ingest, so they cannot differ from what ingest would have written.
CREATE TABLE rollup_rebuilds (
    name TEXT PRIMARY KEY NOT NULL,
    requested_at BIGINT NOT NULL
);
INSERT INTO rollup_rebuilds (name, requested_at) VALUES ('dmarc_sources', CAST(EXTRACT(EPOCH FROM now()) AS BIGINT));

DROP TABLE dmarc_daily_sources;
DROP TABLE dmarc_daily_auth;
