DROP INDEX failure_reports_upload;
DROP INDEX reports_upload;
DROP INDEX reports_expiry;
ALTER TABLE uploads DROP COLUMN purged_at;
ALTER TABLE reports DROP COLUMN records_purged_at;
DROP TABLE tenant_retention;
