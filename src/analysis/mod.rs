//! Analysis: pure rules over stored data (aggregated DMARC records, TLS failure details,
//! stored DNS check reports) that turn them into conclusions a person can act on: which
//! sending service is behind a source of DMARC traffic (`services`), and which issues a
//! domain has, with their remediation (`issues` and its rule families).
//!
//! No I/O and no clock: every function takes what was stored (or derived from it) and
//! returns a value, so the rules are tested without a database, DNS or time. Must not depend
//! on actix-web or diesel; callers in `api`/`storage` fetch the data and pass it in.

pub mod input;
pub mod issues;
pub mod readiness;
mod rules_dmarc;
mod rules_dns;
mod rules_failure;
mod rules_tls;
pub mod services;

#[cfg(test)]
mod scenario_tests;
