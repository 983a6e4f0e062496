ALTER TABLE domains DROP COLUMN rollups_kept_from;
