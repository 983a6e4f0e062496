DROP INDEX jobs_kind;
DROP TABLE source_names;
