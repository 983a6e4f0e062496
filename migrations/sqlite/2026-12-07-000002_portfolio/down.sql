ALTER TABLE domains DROP COLUMN last_report_at;
DROP TABLE domain_daily;
