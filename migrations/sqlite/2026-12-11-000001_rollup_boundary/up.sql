-- The first epoch day of a domain whose per-source sums are kept (dmarc_source_days, _months,
-- dmarc_auth_days, _months): the retention sweep raises it to its rollups cutoff before it
-- deletes the days before it, and it never comes down. A report's per-source sums are added
-- and subtracted only for the days from it on, so a report straddling the cutoff that is
-- later replaced or deleted subtracts nothing from the days already deleted (which would
-- leave negative rows). NULL: nothing swept yet.
ALTER TABLE domains ADD COLUMN rollups_kept_from BIGINT;
