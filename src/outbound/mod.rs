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
//!
//! - [`smtp_submission`]: one message handed to the operator's SMTP relay (digests). The
//!   relay is operator configuration, so it is the one egress allowed to a private address.

pub mod https;
pub mod imap;
pub mod oauth2;
pub mod smtp_submission;
pub mod webhook;
