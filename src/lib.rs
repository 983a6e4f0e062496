//! ruad: ingest, store and analyse DMARC aggregate and SMTP TLS reports.
//!
//! The folders are the architecture; dependencies point down this list only
//! (`tests/architecture.rs` keeps it so):
//!
//! - `app`: the composition root: settings, telemetry, startup. Nothing imports it.
//! - `mcp`: the Model Context Protocol front door (`ruad mcp`, `/mcp`): read-only tools over
//!   the services, answering the API's own DTOs behind the API's own authentication, so it
//!   sits above `api` (which never imports it).
//! - `api`, `cli`: front doors (HTTP handlers and DTOs, commands); a new intake channel
//!   (SMTP, IMAP, `ruad ingest`) is another front door calling `services::ingest`.
//! - `smtp`: the SMTP and LMTP receiver of `ruad serve`, a front door beside `api`
//!   (mail to report addresses → `services::intake`).
//! - `jobs`: the background runner and one thin file per job kind; a new job goes here.
//! - `services`: one module per use case (ingest, evaluation, DNS checks, enrichment,
//!   aggregates, webhooks, mailboxes; documents next), shared by the front doors and the jobs.
//! - `storage`, `outbound`: diesel on SQLite or PostgreSQL, tenant-scoped functions taking
//!   the scope first; egress to the network (HTTPS fetches, webhook sending, IMAP, OAuth2).
//! - `analysis`, `dns`, `reports`: pure cores: issue rules, DNS records and checks, report
//!   parsing.
//! - `domain`: the types every layer shares (id newtypes, reports, issues, job kinds).

pub mod analysis;
pub mod api;
pub mod app;
pub mod cli;
pub mod dns;
pub mod domain;
pub mod jobs;
pub mod mcp;
pub mod outbound;
pub mod reports;
pub mod services;
pub mod smtp;
pub mod storage;
