DROP TABLE failure_settings;
DROP TABLE failure_report_types;
DROP TABLE failure_reports;
