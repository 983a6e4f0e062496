//! Egress adapters: every request ruad makes on its own to the network, other than DNS
//! (which goes through `crate::dns::Resolver`). Public addresses only, unless a test setting
//! allows private ones; size, time and redirects bounded.
//!
//! - [`https`]: the address rule and the HTTPS client of the record checks.
//!
//! - [`webhook`]: the signed POST of one webhook delivery attempt.
//!
//! SMTP submission and IMAP will join them.

pub mod https;
pub mod webhook;
