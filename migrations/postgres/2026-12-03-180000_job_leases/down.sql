DROP INDEX jobs_kind_due;
ALTER TABLE jobs DROP COLUMN locked_by;
