//! What every handler shares, built by the composition root (`crate::app`). No state another
//! instance would need lives here.

use crate::analysis::issues::Thresholds;
use crate::api::auth::AuthKeys;
use crate::dns::checks::Checker;
use crate::reports::Limits;
use crate::services::metrics::Metrics;
use crate::storage::Db;
use std::sync::Arc;

pub struct AppState {
    pub db: Db,
    pub keys: AuthKeys,
    pub limits: Limits,
    pub settings: ApiSettings,
    /// Shared with the job runner.
    pub metrics: Arc<Metrics>,
    pub checker: Checker,
}

/// The settings handlers read (the rest configure the parts they are given to).
#[derive(Debug, Clone)]
pub struct ApiSettings {
    /// Largest upload body (`max_upload_bytes`).
    pub max_upload_bytes: u64,
    /// Largest body of the RFC 8460 receiver (`max_tlsrpt_bytes`).
    pub max_tlsrpt_bytes: u64,
    /// Longest lifetime of a JWT minted by `POST /auth/token` (`jwt_max_ttl_seconds`).
    pub jwt_max_ttl_seconds: i64,
    /// Whether webhook URLs may point at private addresses (`outbound_allow_private`).
    pub outbound_allow_private: bool,
    /// Whether domains get periodic DNS re-checks (`dns_recheck_hours` > 0).
    pub dns_recheck: bool,
    /// The mail domain of report addresses (`mail_domain`); `None`: mail intake is off.
    pub mail_domain: Option<String>,
    /// The issue rules' thresholds.
    pub thresholds: Thresholds,
    /// The key mailbox secrets are sealed with (`secret_key`), when configured.
    pub secret_key: Option<crate::services::secrets::SecretKey>,
    /// Whether digests can be mailed (`smtp_relay_url` and `digest_from` are set).
    pub digest_relay: bool,
}
