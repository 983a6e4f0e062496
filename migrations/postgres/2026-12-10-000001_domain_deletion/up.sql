-- A domain being deleted (services::domains::delete_domain): set, in one transaction, before
-- its data goes in batches; from then on no read, list, aggregate or ingest sees the domain,
-- and the retention sweep finishes a deletion a crash interrupted. The row goes last.
ALTER TABLE domains ADD COLUMN deleting_since BIGINT;
