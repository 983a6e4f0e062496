DROP TABLE intake_addresses;
ALTER TABLE tenants DROP COLUMN auto_register_domains;
