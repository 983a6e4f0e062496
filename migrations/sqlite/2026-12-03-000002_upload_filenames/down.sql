ALTER TABLE uploads DROP COLUMN filename;
