-- Since when the reverse DNS lookups of an address have been failing without a break (the
-- first failed lookup after the last successful one); NULL while lookups succeed. The issue
-- rules wait this long before treating a source that cannot be looked up as unidentified.
ALTER TABLE source_names ADD COLUMN failing_since BIGINT;
