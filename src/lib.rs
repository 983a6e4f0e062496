//! ruad: ingest, store and analyse DMARC aggregate and SMTP TLS reports.

pub mod cli;
pub mod domain;
pub mod reports;
