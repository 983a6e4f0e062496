-- What DNS says about a sending address (not tenant data: the same for everyone), cached
-- until expires_at. Only a forward-confirmed PTR name is ever used to name a source.
CREATE TABLE source_names (
    ip TEXT PRIMARY KEY NOT NULL,
    -- JSON array of the PTR names found (confirmed or not)
    ptr_names TEXT NOT NULL,
    -- the first PTR name that resolves back to ip (FCrDNS), if any
    confirmed_name TEXT,
    -- organizational domain of confirmed_name (public suffix list)
    org_domain TEXT,
    -- why the lookup failed, when it did (retried after a short TTL)
    lookup_error TEXT,
    checked_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX jobs_kind ON jobs(kind);
