//! DNS: checks and generators for the records behind email authentication (DMARC, SPF,
//! DKIM, BIMI, MTA-STS, TLS-RPT), SPF evaluation (RFC 7208 `check_host`) and forward-confirmed
//! reverse DNS.
//!
//! Layers:
//! - `records/`: pure parsers and linters, one per record kind, from raw TXT text to a parsed
//!   view plus [`Finding`]s. No I/O.
//! - [`resolver`]: the only place that talks DNS (hickory-resolver, or a static zone for unit
//!   tests). NXDOMAIN, NODATA and lookup failure are distinct outcomes everywhere, because the
//!   RFCs treat them differently.
//! - `spf`: `check_host` over a resolver.
//! - `checks`: discovery + parsing + cross-record rules for each kind.
//!
//! Must not depend on actix-web or diesel.

pub mod checks;
pub mod generate;
pub mod records;
pub mod resolver;
pub mod spf;

use serde::{Deserialize, Serialize};

pub use resolver::{DnsError, Resolver, StaticZone, TxtRecord};

/// How much a finding matters.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Worth knowing; nothing is wrong.
    Info,
    /// Works, but is risky, deprecated or likely not what was meant.
    Warning,
    /// Broken: receivers will ignore or misread the record.
    Error,
}

/// One observation about a record, with the rule it comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Finding {
    /// Stable snake_case identifier, e.g. `spf_too_many_lookups`.
    #[schema(example = "dmarc_policy_none")]
    pub code: String,
    pub severity: Severity,
    /// What was found and what to do about it, in plain language.
    pub message: String,
    /// The rule: RFC and section, e.g. `RFC 7208 §4.6.4`.
    #[schema(example = "RFC 7489 §6.3")]
    pub rfc: String,
}

impl Finding {
    pub fn new(code: &str, severity: Severity, rfc: &str, message: impl Into<String>) -> Self {
        Finding {
            code: code.to_string(),
            severity,
            message: message.into(),
            rfc: rfc.to_string(),
        }
    }

    pub fn error(code: &str, rfc: &str, message: impl Into<String>) -> Self {
        Finding::new(code, Severity::Error, rfc, message)
    }

    pub fn warning(code: &str, rfc: &str, message: impl Into<String>) -> Self {
        Finding::new(code, Severity::Warning, rfc, message)
    }

    pub fn info(code: &str, rfc: &str, message: impl Into<String>) -> Self {
        Finding::new(code, Severity::Info, rfc, message)
    }
}

/// Whether any finding is an error.
pub fn has_errors(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.severity == Severity::Error)
}

/// Runs a future to completion on a fresh single-threaded runtime (unit tests of async DNS
/// code).
#[cfg(test)]
#[allow(clippy::expect_used)]
pub(crate) fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("test runtime")
        .block_on(f)
}
