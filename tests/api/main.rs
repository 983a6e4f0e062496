//! HTTP API tests: the real server on loopback, a real database per test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod auth;
mod branding;
mod consistency;
mod corpus;
mod digests;
mod dns;
#[path = "../common/dns_server.rs"]
mod dns_server;
mod docs;
mod documents;
mod enrich;
mod errors;
mod exports;
mod failures;
mod guard;
mod helpers;
mod intake;
mod issues;
mod jobs;
mod mcp;
mod portfolio;
mod query;
mod readiness;
mod reports;
mod resources;
mod retention;
mod timeseries;
mod webhooks;
