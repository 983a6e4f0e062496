DROP INDEX dmarc_daily_auth_domain;
DROP TABLE dmarc_daily_auth;
