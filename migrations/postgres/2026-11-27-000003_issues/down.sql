DROP INDEX jobs_kind_payload;
DROP TABLE issues;
