-- Retention (issue 16): how long a tenant keeps its raw data (uploads, DMARC records, TLS
-- policies and failure details, failure reports) and its rollups (the per-day and per-month
-- sums the aggregates read). A tenant without a row, or with a NULL field, inherits that field
-- from its nearest ancestor that sets it; nobody setting it keeps data forever. The sweep
-- (services::retention) deletes what expired in small batches.
CREATE TABLE tenant_retention (
    tenant_id TEXT PRIMARY KEY NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    records_days BIGINT,
    rollups_days BIGINT,
    updated_at BIGINT NOT NULL
);

-- When the report's records (DMARC) or policies (TLS) were deleted by retention; its rollups
-- remain until they expire in turn.
ALTER TABLE reports ADD COLUMN records_purged_at BIGINT;
-- When the upload's bytes were deleted by retention (data is then empty).
ALTER TABLE uploads ADD COLUMN purged_at BIGINT;
-- The sweep finds a tenant's expired reports by their end, and the reports and failure
-- reports of an upload (whether its bytes or its row may go).
CREATE INDEX reports_expiry ON reports(tenant_id, end_ts);
CREATE INDEX reports_upload ON reports(upload_id);
CREATE INDEX failure_reports_upload ON failure_reports(upload_id);
