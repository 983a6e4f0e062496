ALTER TABLE domains DROP COLUMN deleting_since;
