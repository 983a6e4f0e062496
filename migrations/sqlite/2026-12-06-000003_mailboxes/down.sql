DROP INDEX mailboxes_tenant;
DROP TABLE mailboxes;
