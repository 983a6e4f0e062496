//! Analysis: pure rules over stored data (aggregated DMARC records, stored DNS check
//! reports) that turn them into conclusions a person can act on, e.g. which sending service
//! is behind a source of DMARC traffic.
//!
//! No I/O and no clock: every function takes what was stored (or derived from it) and
//! returns a value, so the rules are tested without a database, DNS or time. Must not depend
//! on actix-web or diesel; callers in `api`/`storage` fetch the data and pass it in.

pub mod services;
