//! Egress adapters: every request ruad makes on its own to the network, other than DNS
//! (which goes through `crate::dns::Resolver`). Public addresses only, unless a test setting
//! allows private ones; size, time and redirects bounded.
//!
//! - [`https`]: the address rule and the HTTPS client of the record checks.
//!
//! Webhook sending moves here next; SMTP submission and IMAP will join it.

pub mod https;
