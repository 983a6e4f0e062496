//! ruad: ingest, store and analyse DMARC aggregate and SMTP TLS reports.

pub mod analysis;
pub mod api;
pub mod auth;
pub mod cli;
pub mod config;
pub mod dns;
pub mod domain;
pub mod domain_checks;
pub mod error;
pub mod evaluation;
pub mod metrics;
pub mod reports;
pub mod startup;
pub mod storage;
pub mod telemetry;
pub mod webhooks;
pub mod worker;
