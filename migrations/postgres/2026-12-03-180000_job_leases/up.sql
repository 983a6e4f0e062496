-- The instance that holds a job's lease (`locked_by`, its `instance_id`), so an instance can
-- release its own leases at once when it starts again after a crash, and so a heartbeat or
-- a completion touches only a lease its instance still holds.
ALTER TABLE jobs ADD COLUMN locked_by TEXT;
-- The runner claims per kind: due jobs of one kind, oldest first.
CREATE INDEX jobs_kind_due ON jobs(kind, run_at);
