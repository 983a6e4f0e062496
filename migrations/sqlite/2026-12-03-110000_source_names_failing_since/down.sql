ALTER TABLE source_names DROP COLUMN failing_since;
