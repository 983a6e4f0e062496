DROP TABLE dns_snapshots;
