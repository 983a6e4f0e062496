//! Egress adapters: every request ruad makes on its own to the network, other than DNS
//! (which goes through `crate::dns::Resolver`). Public addresses only, unless a test setting
//! allows private ones; size, time and redirects bounded.
//!
//! - [`https`]: the address rule and the HTTPS client of the record checks.
//!
//! - [`webhook`]: the signed POST of one webhook delivery attempt.
//!
//! - [`imap`]: one TLS session on a tenant's IMAP mailbox (login by password or OAuth2,
//!   search, fetch, move, flag, expunge, IDLE).
//!
//! - [`oauth2`]: the refresh-token exchange at an OAuth2 token endpoint.

pub mod https;
pub mod imap;
pub mod oauth2;
pub mod webhook;
