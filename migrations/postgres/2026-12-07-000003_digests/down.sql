DROP INDEX digest_deliveries_digest;
DROP TABLE digest_deliveries;
DROP INDEX digests_due;
DROP INDEX digests_tenant;
DROP TABLE digests;
