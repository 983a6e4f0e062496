//! Settings: built-in defaults → optional TOML file (`RUAD_CONFIG`) → `RUAD_*` environment.
//!
//! Keys (environment name in brackets):
//! - `database_url` [`RUAD_DATABASE_URL`]: `sqlite://PATH` (default `sqlite://ruad.db`, created
//!   and migrated on first start) or `postgres://USER@HOST:PORT/DB`.
//! - `database_pool_size` [`RUAD_DATABASE_POOL_SIZE`]: connections per instance (default 8).
//! - `listen` [`RUAD_LISTEN`]: address to bind (default `127.0.0.1:8080`).
//! - `jwt_secret` [`RUAD_JWT_SECRET`]: HMAC key for issued JWTs, at least 32 bytes. When unset,
//!   one is generated once and kept in `<database file>.jwt-secret` (SQLite) or
//!   `ruad.jwt-secret` in the working directory (PostgreSQL), so tokens survive restarts.
//!   Several instances sharing one PostgreSQL must be given the same secret.
//! - `jwt_max_ttl_seconds` [`RUAD_JWT_MAX_TTL_SECONDS`]: longest token lifetime (default 86400).
//! - `max_upload_bytes` [`RUAD_MAX_UPLOAD_BYTES`]: largest request body (default 64 MiB).
//! - `max_tlsrpt_bytes` [`RUAD_MAX_TLSRPT_BYTES`]: largest body the RFC 8460 receiver
//!   (`POST /api/v1/tlsrpt/{token}`, no credentials) accepts (default 4 MiB; TLS reports are
//!   small). A larger declared `Content-Length` is refused before the body is read, on every
//!   route against its own limit.
//! - `request_body_timeout_seconds` [`RUAD_REQUEST_BODY_TIMEOUT_SECONDS`]: time allowed to
//!   receive one request body in all (default 300).
//! - `request_body_grace_seconds` [`RUAD_REQUEST_BODY_GRACE_SECONDS`]: time a body may take
//!   before the minimum rate applies (default 10).
//! - `request_body_min_rate` [`RUAD_REQUEST_BODY_MIN_RATE`]: bytes per second a body must
//!   average after the grace time (default 4096); a slower body ends with 408
//!   `request_timeout`.
//! - `max_decompressed_bytes` [`RUAD_MAX_DECOMPRESSED_BYTES`]: decompressed size of one upload
//!   (default 512 MiB).
//! - `max_records` [`RUAD_MAX_RECORDS`]: records per aggregate report (default 2,000,000).
//! - `max_tls_failure_details` [`RUAD_MAX_TLS_FAILURE_DETAILS`]: failure details kept from one
//!   SMTP TLS report, all policies together (default 100,000; a report with more is refused).
//! - `workers` [`RUAD_WORKERS`]: HTTP worker threads (default: number of CPUs).
//! - `dns_nameservers` [`RUAD_DNS_NAMESERVERS`]: comma-separated `IP` or `IP:PORT` resolvers
//!   for DNS checks (default empty: the system's, from `/etc/resolv.conf`).
//! - `dns_timeout_ms` [`RUAD_DNS_TIMEOUT_MS`]: time allowed for one DNS answer (default 3000).
//! - `dns_check_budget_secs` [`RUAD_DNS_CHECK_BUDGET_SECS`]: time allowed for one DNS check,
//!   and for one run of all checks of a domain (default 10, 1 to 600); a lookup still
//!   unanswered then is reported as a `…_lookup_failed` finding.
//! - `outbound_allow_private` [`RUAD_OUTBOUND_ALLOW_PRIVATE`]: let HTTPS fetches (MTA-STS
//!   policies), webhook deliveries, IMAP mailboxes and OAuth2 token endpoints reach loopback
//!   and private addresses, and webhooks and token endpoints use plain `http` (default false;
//!   for testing only).
//! - `jobs_enabled` [`RUAD_JOBS_ENABLED`]: run the background job runner in this instance
//!   (default true; several instances may share the job table).
//! - `instance_id` [`RUAD_INSTANCE_ID`]: the name this instance records on the job leases it
//!   holds (default: the host name). It must stay the same across restarts and differ between
//!   instances sharing one PostgreSQL (give two instances on one host their own): at start an
//!   instance frees the leases recorded under its id, left by its previous run, at once.
//!   On SQLite, which one process owns, every lease is freed at start.
//! - `job_lease_seconds` [`RUAD_JOB_LEASE_SECONDS`]: how long a claimed job stays reserved
//!   without a heartbeat (default 30, 2 to 3600). A running job's lease is renewed every third
//!   of it; the jobs of a crashed instance run elsewhere within one lease period.
//! - `job_concurrency_enrich_sources` [`RUAD_JOB_CONCURRENCY_ENRICH_SOURCES`]: reports whose
//!   sources this instance names at once (default 2, 1 to 256).
//! - `job_concurrency_evaluate_issues` [`RUAD_JOB_CONCURRENCY_EVALUATE_ISSUES`]: domains whose
//!   issues this instance evaluates at once (default 2, 1 to 256).
//! - `job_concurrency_check_dns` [`RUAD_JOB_CONCURRENCY_CHECK_DNS`]: background DNS re-checks
//!   this instance runs at once (default 4, 1 to 256).
//! - `job_concurrency_deliver_webhook` [`RUAD_JOB_CONCURRENCY_DELIVER_WEBHOOK`]: webhook
//!   delivery attempts this instance makes at once (default 8, 1 to 256).
//! - `job_concurrency_poll_mailbox` [`RUAD_JOB_CONCURRENCY_POLL_MAILBOX`]: IMAP mailboxes
//!   this instance polls at once (default 4, 1 to 256).
//! - `job_concurrency_send_digest` [`RUAD_JOB_CONCURRENCY_SEND_DIGEST`]: digests this
//!   instance renders and mails at once (default 2, 1 to 256).
//!
//!   Each kind of job has its own slots, so webhooks, evaluations and re-checks never wait
//!   behind enrichment, and within a kind a slow job never holds up the next one.
//! - `enrich_concurrency` [`RUAD_ENRICH_CONCURRENCY`]: reverse-DNS lookups in flight in one
//!   enrichment job (default 32); each address gets `dns_timeout_ms` for all its lookups.
//! - `dns_recheck_hours` [`RUAD_DNS_RECHECK_HOURS`]: hours between background DNS checks of
//!   every registered domain, whose results feed the issue rules (default 24; 0 turns them
//!   off).
//! - `evaluate_delay_seconds` [`RUAD_EVALUATE_DELAY_SECONDS`]: how long an issue evaluation
//!   waits after new data, so a burst of reports is evaluated once (default 30).
//! - `webhook_max_attempts` [`RUAD_WEBHOOK_MAX_ATTEMPTS`]: attempts per webhook delivery
//!   before it is marked failed (default 8, 1 to 100).
//! - `webhook_backoff_base_seconds` [`RUAD_WEBHOOK_BACKOFF_BASE_SECONDS`]: wait after a
//!   delivery's first failed attempt, doubled after each further one (default 30; 0 retries
//!   at once, for tests).
//! - `webhook_backoff_max_seconds` [`RUAD_WEBHOOK_BACKOFF_MAX_SECONDS`]: longest wait between
//!   two attempts (default 21600).
//! - `webhook_timeout_seconds` [`RUAD_WEBHOOK_TIMEOUT_SECONDS`]: time limit of one delivery
//!   attempt (default 10, 1 to 60).
//! - `secret_key` [`RUAD_SECRET_KEY`]: 32 random bytes in base64 (`openssl rand -base64 32`)
//!   that encrypt the secrets ruad keeps for tenants at rest (IMAP passwords, OAuth2 refresh
//!   tokens and client secrets, cached access tokens) with XChaCha20-Poly1305. Unset (the
//!   default): mailboxes cannot be created or polled. Keep it: a changed key leaves the stored
//!   secrets unreadable (mailboxes then need their credentials again). Several instances
//!   sharing one PostgreSQL need the same key.
//! - `imap_ca_file` [`RUAD_IMAP_CA_FILE`]: a PEM file of CA certificates trusted for IMAP
//!   servers besides the WebPKI roots (an internal mail server's CA; default none).
//! - `imap_timeout_seconds` [`RUAD_IMAP_TIMEOUT_SECONDS`]: time limit of connecting to an IMAP
//!   server and of each command (default 60, 1 to 600).
//! - `imap_idle_seconds` [`RUAD_IMAP_IDLE_SECONDS`]: how long a mailbox poll that found
//!   nothing new waits in IMAP IDLE, where the server offers it, to read new mail the moment
//!   it arrives (default 0: off; at most 1740, and never longer than the mailbox's interval).
//!   An idling poll holds one `poll_mailbox` slot: give `job_concurrency_poll_mailbox` one per
//!   mailbox that should idle.
//! - `log_format` [`RUAD_LOG_FORMAT`]: `text` or `json` (default `text`); the level comes from
//!   `RUST_LOG` (default `info`).
//!
//!
//! Mail intake (the SMTP and LMTP receiver; off unless a listen address is set):
//! - `mail_domain` [`RUAD_MAIL_DOMAIN`]: the domain of report addresses
//!   (`<token>@<mail_domain>`); its MX points at the SMTP listener. Unset: no mail intake,
//!   and the intake API answers 409 `mail_intake_not_configured`.
//! - `smtp_listen` [`RUAD_SMTP_LISTEN`]: address of the SMTP listener (`IP:PORT`, e.g.
//!   `0.0.0.0:25`); unset: none. Needs `mail_domain`.
//! - `lmtp_listen` [`RUAD_LMTP_LISTEN`]: address of the LMTP listener (RFC 2033, for an MTA
//!   such as Postfix that delivers to ruad); unset: none. Needs `mail_domain`.
//! - `smtp_tls_cert` [`RUAD_SMTP_TLS_CERT`] and `smtp_tls_key` [`RUAD_SMTP_TLS_KEY`]: PEM
//!   files of the certificate chain and private key offered by STARTTLS (both or neither);
//!   re-read when a file's modification time changes, so a renewed certificate needs no
//!   restart. Unset: no STARTTLS.
//! - `smtp_max_message_bytes` [`RUAD_SMTP_MAX_MESSAGE_BYTES`]: largest message (the `SIZE`
//!   advertised; default: `max_upload_bytes`).
//! - `smtp_max_recipients` [`RUAD_SMTP_MAX_RECIPIENTS`]: recipients per message (default 100).
//! - `smtp_max_connections` [`RUAD_SMTP_MAX_CONNECTIONS`]: open SMTP and LMTP connections in
//!   all (default 256); more are answered 421 and closed.
//! - `smtp_max_connections_per_ip` [`RUAD_SMTP_MAX_CONNECTIONS_PER_IP`]: open connections per
//!   client address (default 16).
//! - `smtp_command_timeout_seconds` [`RUAD_SMTP_COMMAND_TIMEOUT_SECONDS`]: wait for a command
//!   (RFC 5321 §4.5.3.2: 5 minutes; default 300).
//! - `smtp_data_block_timeout_seconds` [`RUAD_SMTP_DATA_BLOCK_TIMEOUT_SECONDS`]: wait for
//!   each block of message data (default 180).
//! - `smtp_data_end_timeout_seconds` [`RUAD_SMTP_DATA_END_TIMEOUT_SECONDS`]: time the server
//!   may take to store a message after its final dot before the client gives up (RFC 5321:
//!   10 minutes; default 600); a store that takes longer answers 451 instead.
//! - `smtp_max_line_bytes` [`RUAD_SMTP_MAX_LINE_BYTES`]: longest command or message line
//!   (default 65536); a longer message line refuses the message (554 5.6.0), a longer command
//!   is an error.
//! - `smtp_max_errors` [`RUAD_SMTP_MAX_ERRORS`]: bad commands and refused recipients before
//!   the connection is closed (default 10).
//!
//! Scheduled digests (mailed through an SMTP relay; without one they are kept but not sent):
//! - `smtp_relay_url` [`RUAD_SMTP_RELAY_URL`]: the relay digests are submitted to:
//!   `smtp://user:password@host:587` (STARTTLS required), `smtps://user:password@host:465`
//!   (TLS from the first byte), or `smtp://127.0.0.1:PORT?tls=none` (plain text, loopback
//!   only, for tests). User and password are percent-encoded. Unset: scheduled digests are
//!   recorded as failed deliveries and `POST /digests/{id}/send` answers 409
//!   `digest_relay_not_configured`.
//! - `digest_from` [`RUAD_DIGEST_FROM`]: the `From` address of digests (the display name is
//!   the tenant's brand); needed with `smtp_relay_url`.
//! - `digest_max_attempts` [`RUAD_DIGEST_MAX_ATTEMPTS`]: attempts per digest mail before it is
//!   marked failed (default 8, 1 to 100); only transient failures (no connection, timeout,
//!   TLS, a 4xx answer) are tried again.
//! - `digest_backoff_base_seconds` [`RUAD_DIGEST_BACKOFF_BASE_SECONDS`]: wait after a digest's
//!   first failed attempt, doubled after each further one, at most 6 hours (default 60; 0
//!   retries at once, for tests).
//! - `digest_schedule_seconds` [`RUAD_DIGEST_SCHEDULE_SECONDS`]: how often due digests are
//!   looked for (default 60, 1 to 3600).
//! - `retention_sweep_seconds` [`RUAD_RETENTION_SWEEP_SECONDS`]: how often the retention
//!   sweep deletes what tenants' retention settings let expire and finishes domain deletions
//!   a crash interrupted (default 600; 0 turns it off, at most 86400). One sweep runs at most
//!   a minute; the next goes on where it stopped.
//!
//! [`SETTINGS_HELP`] lists the same keys for `ruad serve --help`; a test keeps it, this list
//! and README.md's settings table complete.

use crate::reports::Limits;
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub database_url: String,
    pub database_pool_size: u32,
    pub listen: String,
    #[serde(skip_serializing)]
    pub jwt_secret: Option<SecretString>,
    pub jwt_max_ttl_seconds: i64,
    pub max_upload_bytes: u64,
    pub max_tlsrpt_bytes: u64,
    pub request_body_timeout_seconds: u64,
    pub request_body_grace_seconds: u64,
    pub request_body_min_rate: u64,
    pub max_decompressed_bytes: u64,
    pub max_records: u64,
    pub max_tls_failure_details: usize,
    pub workers: Option<usize>,
    pub dns_nameservers: String,
    pub dns_timeout_ms: u64,
    pub dns_check_budget_secs: u64,
    pub outbound_allow_private: bool,
    pub jobs_enabled: bool,
    pub instance_id: String,
    pub job_lease_seconds: u64,
    pub job_concurrency_enrich_sources: usize,
    pub job_concurrency_evaluate_issues: usize,
    pub job_concurrency_check_dns: usize,
    pub job_concurrency_deliver_webhook: usize,
    pub job_concurrency_poll_mailbox: usize,
    pub job_concurrency_send_digest: usize,
    pub enrich_concurrency: usize,
    pub dns_recheck_hours: u64,
    pub evaluate_delay_seconds: u64,
    pub webhook_max_attempts: i32,
    pub webhook_backoff_base_seconds: i64,
    pub webhook_backoff_max_seconds: i64,
    pub webhook_timeout_seconds: u64,
    #[serde(skip_serializing)]
    pub secret_key: Option<SecretString>,
    pub imap_ca_file: String,
    pub imap_timeout_seconds: u64,
    pub imap_idle_seconds: u64,
    pub log_format: String,
    // Mail intake (issue 14).
    pub mail_domain: Option<String>,
    pub smtp_listen: Option<String>,
    pub lmtp_listen: Option<String>,
    pub smtp_tls_cert: Option<PathBuf>,
    pub smtp_tls_key: Option<PathBuf>,
    pub smtp_max_message_bytes: Option<u64>,
    pub smtp_max_recipients: usize,
    pub smtp_max_connections: usize,
    pub smtp_max_connections_per_ip: usize,
    pub smtp_command_timeout_seconds: u64,
    pub smtp_data_block_timeout_seconds: u64,
    pub smtp_data_end_timeout_seconds: u64,
    pub smtp_max_line_bytes: usize,
    pub smtp_max_errors: u32,
    // Scheduled digests (issue 15).
    #[serde(skip_serializing)]
    pub smtp_relay_url: Option<SecretString>,
    pub digest_from: Option<String>,
    pub digest_max_attempts: i32,
    pub digest_backoff_base_seconds: i64,
    pub digest_schedule_seconds: u64,
    pub retention_sweep_seconds: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            database_url: "sqlite://ruad.db".into(),
            database_pool_size: 8,
            listen: "127.0.0.1:8080".into(),
            jwt_secret: None,
            jwt_max_ttl_seconds: 86_400,
            max_upload_bytes: 64 << 20,
            max_tlsrpt_bytes: 4 << 20,
            request_body_timeout_seconds: 300,
            request_body_grace_seconds: 10,
            request_body_min_rate: 4096,
            max_decompressed_bytes: 512 << 20,
            max_records: 2_000_000,
            max_tls_failure_details: 100_000,
            workers: None,
            dns_nameservers: String::new(),
            dns_timeout_ms: 3000,
            dns_check_budget_secs: 10,
            outbound_allow_private: false,
            jobs_enabled: true,
            instance_id: String::new(),
            job_lease_seconds: 30,
            job_concurrency_enrich_sources: 2,
            job_concurrency_evaluate_issues: 2,
            job_concurrency_check_dns: 4,
            job_concurrency_deliver_webhook: 8,
            job_concurrency_poll_mailbox: 4,
            job_concurrency_send_digest: 2,
            enrich_concurrency: 32,
            dns_recheck_hours: 24,
            evaluate_delay_seconds: 30,
            webhook_max_attempts: 8,
            webhook_backoff_base_seconds: 30,
            webhook_backoff_max_seconds: 6 * 3600,
            webhook_timeout_seconds: 10,
            secret_key: None,
            imap_ca_file: String::new(),
            imap_timeout_seconds: 60,
            imap_idle_seconds: 0,
            log_format: "text".into(),
            mail_domain: None,
            smtp_listen: None,
            lmtp_listen: None,
            smtp_tls_cert: None,
            smtp_tls_key: None,
            smtp_max_message_bytes: None,
            smtp_max_recipients: 100,
            smtp_max_connections: 256,
            smtp_max_connections_per_ip: 16,
            smtp_command_timeout_seconds: 300,
            smtp_data_block_timeout_seconds: 180,
            smtp_data_end_timeout_seconds: 600,
            smtp_max_line_bytes: 65_536,
            smtp_max_errors: 10,
            smtp_relay_url: None,
            digest_from: None,
            digest_max_attempts: 8,
            digest_backoff_base_seconds: 60,
            digest_schedule_seconds: 60,
            retention_sweep_seconds: 600,
        }
    }
}

/// Every setting as `(key, default, meaning)`: the text of `ruad serve --help`. The
/// environment variable is `RUAD_` + the key in upper case.
pub const SETTINGS_HELP: &[(&str, &str, &str)] = &[
    (
        "database_url",
        "sqlite://ruad.db",
        "sqlite://PATH or postgres://USER@HOST:PORT/DB",
    ),
    (
        "database_pool_size",
        "8",
        "database connections per instance",
    ),
    ("listen", "127.0.0.1:8080", "address to bind (IP:PORT)"),
    (
        "jwt_secret",
        "generated",
        "HMAC key for JWTs, at least 32 bytes; unset: generated once and kept beside the database",
    ),
    ("jwt_max_ttl_seconds", "86400", "longest JWT lifetime"),
    ("max_upload_bytes", "67108864", "largest request body"),
    (
        "max_tlsrpt_bytes",
        "4194304",
        "largest body of the RFC 8460 receiver (no credentials)",
    ),
    (
        "request_body_timeout_seconds",
        "300",
        "time allowed to receive one request body",
    ),
    (
        "request_body_grace_seconds",
        "10",
        "time a body may take before the minimum rate applies",
    ),
    (
        "request_body_min_rate",
        "4096",
        "bytes per second a body must average after the grace time",
    ),
    (
        "max_decompressed_bytes",
        "536870912",
        "decompressed size of one upload",
    ),
    ("max_records", "2000000", "records per aggregate report"),
    (
        "max_tls_failure_details",
        "100000",
        "failure details kept from one SMTP TLS report (more is refused)",
    ),
    ("workers", "CPUs", "HTTP worker threads"),
    (
        "dns_nameservers",
        "system",
        "comma-separated IP or IP:PORT resolvers for DNS checks",
    ),
    ("dns_timeout_ms", "3000", "time allowed for one DNS answer"),
    (
        "dns_check_budget_secs",
        "10",
        "time allowed for one DNS check or one run of all checks of a domain (1 to 600)",
    ),
    (
        "outbound_allow_private",
        "false",
        "let MTA-STS fetches and webhooks reach loopback/private addresses and webhooks use http (testing only)",
    ),
    (
        "jobs_enabled",
        "true",
        "run the background job runner in this instance",
    ),
    (
        "instance_id",
        "host name",
        "name recorded on this instance's job leases; stable across restarts, unique per instance",
    ),
    (
        "job_lease_seconds",
        "30",
        "how long a claimed job stays reserved without a heartbeat (2 to 3600)",
    ),
    (
        "job_concurrency_enrich_sources",
        "2",
        "enrichment jobs (reports whose sources are named) run at once (1 to 256)",
    ),
    (
        "job_concurrency_evaluate_issues",
        "2",
        "issue evaluations run at once (1 to 256)",
    ),
    (
        "job_concurrency_check_dns",
        "4",
        "background DNS re-checks run at once (1 to 256)",
    ),
    (
        "job_concurrency_deliver_webhook",
        "8",
        "webhook delivery attempts made at once (1 to 256)",
    ),
    (
        "job_concurrency_poll_mailbox",
        "4",
        "IMAP mailboxes polled at once (1 to 256)",
    ),
    (
        "job_concurrency_send_digest",
        "2",
        "digests rendered and mailed at once (1 to 256)",
    ),
    (
        "enrich_concurrency",
        "32",
        "reverse-DNS lookups in flight in one enrichment job",
    ),
    (
        "dns_recheck_hours",
        "24",
        "hours between background DNS checks of registered domains (0: off)",
    ),
    (
        "evaluate_delay_seconds",
        "30",
        "how long an issue evaluation waits after new data",
    ),
    (
        "webhook_max_attempts",
        "8",
        "attempts per webhook delivery (1 to 100)",
    ),
    (
        "webhook_backoff_base_seconds",
        "30",
        "wait after a delivery's first failed attempt, doubled after each further one",
    ),
    (
        "webhook_backoff_max_seconds",
        "21600",
        "longest wait between two delivery attempts",
    ),
    (
        "webhook_timeout_seconds",
        "10",
        "time limit of one delivery attempt (1 to 60)",
    ),
    (
        "secret_key",
        "none",
        "32 bytes in base64 encrypting mailbox passwords and tokens at rest; unset: no mailboxes",
    ),
    (
        "imap_ca_file",
        "none",
        "PEM file of CA certificates trusted for IMAP servers besides the WebPKI roots",
    ),
    (
        "imap_timeout_seconds",
        "60",
        "time limit of an IMAP connection and of each command (1 to 600)",
    ),
    (
        "imap_idle_seconds",
        "0",
        "how long a mailbox poll waits in IMAP IDLE for new mail (0: off; at most 1740; holds a poll slot)",
    ),
    (
        "log_format",
        "text",
        "text or json (level from RUST_LOG, default info)",
    ),
    (
        "mail_domain",
        "unset",
        "domain of report addresses <token>@<mail_domain> (unset: no mail intake)",
    ),
    (
        "smtp_listen",
        "unset",
        "SMTP listener address IP:PORT (unset: none)",
    ),
    (
        "lmtp_listen",
        "unset",
        "LMTP listener address IP:PORT (unset: none)",
    ),
    (
        "smtp_tls_cert",
        "unset",
        "PEM certificate chain for STARTTLS (re-read when it changes)",
    ),
    ("smtp_tls_key", "unset", "PEM private key for STARTTLS"),
    (
        "smtp_max_message_bytes",
        "max_upload_bytes",
        "largest message (advertised SIZE)",
    ),
    ("smtp_max_recipients", "100", "recipients per message"),
    (
        "smtp_max_connections",
        "256",
        "open SMTP/LMTP connections in all",
    ),
    (
        "smtp_max_connections_per_ip",
        "16",
        "open SMTP/LMTP connections per client address",
    ),
    (
        "smtp_command_timeout_seconds",
        "300",
        "wait for an SMTP command (RFC 5321 4.5.3.2)",
    ),
    (
        "smtp_data_block_timeout_seconds",
        "180",
        "wait for each block of message data",
    ),
    (
        "smtp_data_end_timeout_seconds",
        "600",
        "longest store of a message after its final dot (then 451)",
    ),
    (
        "smtp_max_line_bytes",
        "65536",
        "longest SMTP command or message line",
    ),
    (
        "smtp_max_errors",
        "10",
        "bad commands and refused recipients before disconnect",
    ),
    (
        "smtp_relay_url",
        "unset",
        "SMTP relay for digests: smtp://user:pass@host:587 (STARTTLS), smtps://…:465, or smtp://127.0.0.1:PORT?tls=none",
    ),
    (
        "digest_from",
        "unset",
        "From address of digests (display name: the tenant's brand)",
    ),
    (
        "digest_max_attempts",
        "8",
        "attempts per digest mail (1 to 100; transient failures only)",
    ),
    (
        "digest_backoff_base_seconds",
        "60",
        "wait after a digest's first failed attempt, doubled after each further one (at most 6 h)",
    ),
    (
        "digest_schedule_seconds",
        "60",
        "how often due digests are looked for (1 to 3600)",
    ),
    (
        "retention_sweep_seconds",
        "600",
        "how often the retention sweep deletes expired data (0: never, at most 86400)",
    ),
];

/// The settings section of `ruad serve --help`, from [`SETTINGS_HELP`].
pub fn settings_help() -> String {
    let width = SETTINGS_HELP
        .iter()
        .map(|(key, _, _)| key.len() + "RUAD_".len())
        .max()
        .unwrap_or(0);
    let mut out = String::from(
        "Settings: built-in defaults, then the TOML file named by RUAD_CONFIG (keys are the\n\
         names below without RUAD_, in lower case), then RUAD_* environment variables.\n\n",
    );
    for (key, default, meaning) in SETTINGS_HELP {
        let var = format!("RUAD_{}", key.to_ascii_uppercase());
        out.push_str(&format!(
            "  {var:<width$}  {meaning} [default: {default}]\n"
        ));
    }
    out.push_str("  RUAD_CONFIG  a TOML file of settings (optional)\n");
    out
}

/// A database URL fit to show: the password (in the user info or a `password=` parameter)
/// removed.
pub fn database_url_for_display(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let (before_query, query) = match rest.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (rest, None),
    };
    // The user info ends at the last `@` (a password may hold `/` or `@`); a SQLite URL is
    // a path, shown as it is.
    let rest = match before_query.rsplit_once('@') {
        Some((userinfo, host)) if !scheme.eq_ignore_ascii_case("sqlite") => {
            let user = userinfo.split_once(':').map_or(userinfo, |(u, _)| u);
            format!("{user}@{host}")
        }
        _ => before_query.to_string(),
    };
    let mut shown = format!("{scheme}://{rest}");
    if let Some(query) = query {
        let kept: Vec<&str> = query
            .split('&')
            .filter(|p| {
                let key = p.split_once('=').map_or(*p, |(k, _)| k);
                !key.eq_ignore_ascii_case("password")
            })
            .collect();
        if !kept.is_empty() {
            shown.push('?');
            shown.push_str(&kept.join("&"));
        }
    }
    shown
}

/// A configuration problem, naming the key.
#[derive(Debug, thiserror::Error)]
#[error("invalid configuration: {key}: {message}")]
pub struct ConfigError {
    pub key: String,
    pub message: String,
}

/// Why the DNS and HTTPS clients of the checks could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum CheckerSetupError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Resolver(#[from] crate::dns::resolver::ResolverSetupError),
    #[error(transparent)]
    Client(#[from] crate::outbound::https::ClientSetupError),
}

fn bad(key: &str, message: impl Into<String>) -> ConfigError {
    ConfigError {
        key: key.to_string(),
        message: message.into(),
    }
}

impl Settings {
    /// Loads defaults, then `RUAD_CONFIG` (a TOML file) if set, then `RUAD_*` variables.
    pub fn load() -> Result<Settings, ConfigError> {
        let mut figment = Figment::from(Serialized::defaults(Settings::default()));
        if let Some(path) = std::env::var_os("RUAD_CONFIG") {
            let path = PathBuf::from(path);
            if !path.is_file() {
                return Err(bad(
                    "RUAD_CONFIG",
                    format!("{} is not a file", path.display()),
                ));
            }
            figment = figment.merge(Toml::file(path));
        }
        // Not settings: the credentials `ruad ingest` (`RUAD_API_KEY`) and `ruad mcp`
        // (`RUAD_MCP_API_KEY`) take from the environment through their own flags.
        figment = figment.merge(Env::prefixed("RUAD_").ignore(&[
            "CONFIG",
            "CORPUS_DIR",
            "API_KEY",
            "MCP_API_KEY",
        ]));
        let settings: Settings = figment.extract().map_err(|e| {
            let key = e.path.join(".");
            bad(
                if key.is_empty() { "settings" } else { &key },
                e.kind.to_string(),
            )
        })?;
        settings.validate()?;
        Ok(settings)
    }

    pub fn validate(&self) -> Result<(), ConfigError> {
        crate::storage::Backend::from_url(&self.database_url)
            .map_err(|e| bad("database_url", e.to_string()))?;
        self.listen_addr()?;
        if let Some(secret) = &self.jwt_secret
            && secret.expose_secret().len() < 32
        {
            return Err(bad("jwt_secret", "must be at least 32 bytes"));
        }
        if self.database_pool_size == 0 {
            return Err(bad("database_pool_size", "must be at least 1"));
        }
        if self.jwt_max_ttl_seconds < 60 {
            return Err(bad("jwt_max_ttl_seconds", "must be at least 60"));
        }
        if self.max_upload_bytes < 1024 {
            return Err(bad("max_upload_bytes", "must be at least 1024"));
        }
        if self.max_tlsrpt_bytes < 1024 {
            return Err(bad("max_tlsrpt_bytes", "must be at least 1024"));
        }
        if !(1..=86_400).contains(&self.request_body_timeout_seconds) {
            return Err(bad(
                "request_body_timeout_seconds",
                "must be between 1 and 86400",
            ));
        }
        if self.request_body_grace_seconds > self.request_body_timeout_seconds {
            return Err(bad(
                "request_body_grace_seconds",
                "must not exceed request_body_timeout_seconds",
            ));
        }
        self.resolver_settings()?;
        if self.dns_recheck_hours > 24 * 366 {
            return Err(bad("dns_recheck_hours", "must be at most a year (8784)"));
        }
        if self.evaluate_delay_seconds > 86_400 {
            return Err(bad(
                "evaluate_delay_seconds",
                "must be at most a day (86400)",
            ));
        }
        if !(2..=3600).contains(&self.job_lease_seconds) {
            return Err(bad("job_lease_seconds", "must be between 2 and 3600"));
        }
        for (key, value) in [
            (
                "job_concurrency_enrich_sources",
                self.job_concurrency_enrich_sources,
            ),
            (
                "job_concurrency_evaluate_issues",
                self.job_concurrency_evaluate_issues,
            ),
            ("job_concurrency_check_dns", self.job_concurrency_check_dns),
            (
                "job_concurrency_deliver_webhook",
                self.job_concurrency_deliver_webhook,
            ),
            (
                "job_concurrency_poll_mailbox",
                self.job_concurrency_poll_mailbox,
            ),
            (
                "job_concurrency_send_digest",
                self.job_concurrency_send_digest,
            ),
        ] {
            if !(1..=256).contains(&value) {
                return Err(bad(key, "must be between 1 and 256"));
            }
        }
        if self.instance_id.len() > 200 || self.instance_id.chars().any(char::is_control) {
            return Err(bad(
                "instance_id",
                "must be at most 200 characters, without control characters",
            ));
        }
        if !(1..=1024).contains(&self.enrich_concurrency) {
            return Err(bad("enrich_concurrency", "must be between 1 and 1024"));
        }
        if !(1..=100).contains(&self.webhook_max_attempts) {
            return Err(bad("webhook_max_attempts", "must be between 1 and 100"));
        }
        if !(0..=86_400).contains(&self.webhook_backoff_base_seconds) {
            return Err(bad(
                "webhook_backoff_base_seconds",
                "must be between 0 and 86400",
            ));
        }
        if !(self.webhook_backoff_base_seconds..=7 * 86_400)
            .contains(&self.webhook_backoff_max_seconds)
        {
            return Err(bad(
                "webhook_backoff_max_seconds",
                "must be at least webhook_backoff_base_seconds and at most 604800",
            ));
        }
        if !(1..=600).contains(&self.dns_check_budget_secs) {
            return Err(bad("dns_check_budget_secs", "must be between 1 and 600"));
        }
        if !(1..=60).contains(&self.webhook_timeout_seconds) {
            return Err(bad("webhook_timeout_seconds", "must be between 1 and 60"));
        }
        self.secret_key()?;
        self.imap_settings()?;
        if self.imap_idle_seconds > 1740 {
            return Err(bad(
                "imap_idle_seconds",
                "must be at most 1740 (29 minutes, RFC 2177)",
            ));
        }
        if !(1..=600).contains(&self.imap_timeout_seconds) {
            return Err(bad("imap_timeout_seconds", "must be between 1 and 600"));
        }
        if !matches!(self.log_format.as_str(), "text" | "json") {
            return Err(bad("log_format", "must be text or json"));
        }
        self.digest_settings()?;
        self.validate_mail()
    }

    /// The mail intake's settings (see the module header).
    fn validate_mail(&self) -> Result<(), ConfigError> {
        if let Some(domain) = &self.mail_domain {
            crate::domain::domain_name::DomainName::parse(domain)
                .map_err(|e| bad("mail_domain", e.to_string()))?;
        }
        for (key, value) in [
            ("smtp_listen", &self.smtp_listen),
            ("lmtp_listen", &self.lmtp_listen),
        ] {
            if let Some(addr) = value {
                if self.mail_domain.is_none() {
                    return Err(bad(key, "needs mail_domain (RUAD_MAIL_DOMAIN)"));
                }
                addr.parse::<SocketAddr>()
                    .map_err(|_| bad(key, format!("{addr:?} is not an IP:PORT address")))?;
            }
        }
        if self.smtp_tls_cert.is_some() != self.smtp_tls_key.is_some() {
            return Err(bad(
                "smtp_tls_cert",
                "set both smtp_tls_cert and smtp_tls_key, or neither",
            ));
        }
        if self.smtp_max_message_bytes.is_some_and(|n| n < 1024) {
            return Err(bad("smtp_max_message_bytes", "must be at least 1024"));
        }
        for (key, value, max) in [
            ("smtp_max_recipients", self.smtp_max_recipients, 10_000),
            ("smtp_max_connections", self.smtp_max_connections, 100_000),
            (
                "smtp_max_connections_per_ip",
                self.smtp_max_connections_per_ip,
                100_000,
            ),
        ] {
            if !(1..=max).contains(&value) {
                return Err(bad(key, format!("must be between 1 and {max}")));
            }
        }
        for (key, value) in [
            (
                "smtp_command_timeout_seconds",
                self.smtp_command_timeout_seconds,
            ),
            (
                "smtp_data_block_timeout_seconds",
                self.smtp_data_block_timeout_seconds,
            ),
            (
                "smtp_data_end_timeout_seconds",
                self.smtp_data_end_timeout_seconds,
            ),
        ] {
            if !(1..=86_400).contains(&value) {
                return Err(bad(key, "must be between 1 and 86400"));
            }
        }
        if !(512..=16 << 20).contains(&self.smtp_max_line_bytes) {
            return Err(bad(
                "smtp_max_line_bytes",
                "must be between 512 and 16777216",
            ));
        }
        if self.smtp_max_errors == 0 {
            return Err(bad("smtp_max_errors", "must be at least 1"));
        }
        Ok(())
    }

    pub fn listen_addr(&self) -> Result<SocketAddr, ConfigError> {
        self.listen.parse().map_err(|_| {
            bad(
                "listen",
                format!("'{}' is not an IP:PORT address", self.listen),
            )
        })
    }

    /// The DNS resolver's settings.
    pub fn resolver_settings(&self) -> Result<crate::dns::resolver::ResolverSettings, ConfigError> {
        let nameservers = self
            .dns_nameservers
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(crate::dns::resolver::parse_nameserver)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| bad("dns_nameservers", e.to_string()))?;
        if !(100..=60_000).contains(&self.dns_timeout_ms) {
            return Err(bad("dns_timeout_ms", "must be between 100 and 60000"));
        }
        Ok(crate::dns::resolver::ResolverSettings {
            nameservers,
            timeout: std::time::Duration::from_millis(self.dns_timeout_ms),
            ..Default::default()
        })
    }

    /// The id this instance records on its job leases: `instance_id`, or the host name.
    pub fn instance_id(&self) -> String {
        match self.instance_id.trim() {
            "" => host_name(),
            id => id.to_string(),
        }
    }

    /// The job runner's settings.
    pub fn job_settings(&self) -> crate::jobs::JobSettings {
        let seconds = |s: u64| i64::try_from(s).unwrap_or(i64::MAX);
        crate::jobs::JobSettings {
            instance_id: self.instance_id(),
            lease: seconds(self.job_lease_seconds),
            concurrency: crate::jobs::Concurrency {
                enrich_sources: self.job_concurrency_enrich_sources,
                evaluate_issues: self.job_concurrency_evaluate_issues,
                check_dns: self.job_concurrency_check_dns,
                deliver_webhook: self.job_concurrency_deliver_webhook,
                poll_mailbox: self.job_concurrency_poll_mailbox,
                send_digest: self.job_concurrency_send_digest,
            },
            dns_recheck_interval: seconds(self.dns_recheck_hours.saturating_mul(3600)),
            evaluate_delay: seconds(self.evaluate_delay_seconds),
            enrich: crate::services::enrichment::EnrichSettings {
                concurrency: self.enrich_concurrency,
                lookup_timeout: std::time::Duration::from_millis(self.dns_timeout_ms),
                evaluate_delay: seconds(self.evaluate_delay_seconds),
                ..Default::default()
            },
            webhooks: self.webhook_settings(),
            mailboxes: self.mailbox_settings(),
            digests: self.digest_settings().unwrap_or_default(),
            digest_schedule_every: std::time::Duration::from_secs(self.digest_schedule_seconds),
            retention_sweep_every: std::time::Duration::from_secs(self.retention_sweep_seconds),
            ..Default::default()
        }
    }

    /// Digest sending: the relay and `From` address parsed, the retry policy checked.
    pub fn digest_settings(&self) -> Result<crate::services::digests::DigestSettings, ConfigError> {
        let relay = self
            .smtp_relay_url
            .as_ref()
            .map(|url| {
                crate::outbound::smtp_submission::RelayConfig::parse(
                    url.expose_secret(),
                    std::time::Duration::from_secs(60),
                )
                .map_err(|e| bad("smtp_relay_url", e.to_string()))
            })
            .transpose()?;
        let from = self
            .digest_from
            .as_deref()
            .map(|a| {
                a.trim()
                    .parse::<lettre::Address>()
                    .map_err(|_| bad("digest_from", "must be an email address"))
            })
            .transpose()?;
        if relay.is_some() && from.is_none() {
            return Err(bad("digest_from", "must be set with smtp_relay_url"));
        }
        if !(1..=100).contains(&self.digest_max_attempts) {
            return Err(bad("digest_max_attempts", "must be between 1 and 100"));
        }
        if !(0..=86_400).contains(&self.digest_backoff_base_seconds) {
            return Err(bad(
                "digest_backoff_base_seconds",
                "must be between 0 and 86400",
            ));
        }
        if !(1..=3600).contains(&self.digest_schedule_seconds) {
            return Err(bad("digest_schedule_seconds", "must be between 1 and 3600"));
        }
        if self.retention_sweep_seconds > 86_400 {
            return Err(bad(
                "retention_sweep_seconds",
                "must be between 0 and 86400",
            ));
        }
        Ok(crate::services::digests::DigestSettings {
            relay,
            from,
            max_attempts: self.digest_max_attempts,
            backoff_base: self.digest_backoff_base_seconds,
        })
    }

    /// The key of `secret_key`, when set.
    pub fn secret_key(&self) -> Result<Option<crate::services::secrets::SecretKey>, ConfigError> {
        self.secret_key
            .as_ref()
            .map(|text| {
                crate::services::secrets::SecretKey::from_base64(text)
                    .map_err(|e| bad("secret_key", e.to_string()))
            })
            .transpose()
    }

    /// How IMAP servers are reached (the CA file read and checked).
    pub fn imap_settings(&self) -> Result<crate::outbound::imap::ImapSettings, ConfigError> {
        let extra_roots = match self.imap_ca_file.trim() {
            "" => Vec::new(),
            path => {
                let pem = std::fs::read(path)
                    .map_err(|e| bad("imap_ca_file", format!("cannot read {path}: {e}")))?;
                crate::outbound::imap::parse_ca_pem(&pem)
                    .map_err(|e| bad("imap_ca_file", format!("{path}: {e}")))?
            }
        };
        Ok(crate::outbound::imap::ImapSettings {
            allow_private: self.outbound_allow_private,
            timeout: std::time::Duration::from_secs(self.imap_timeout_seconds),
            extra_roots: std::sync::Arc::new(extra_roots),
        })
    }

    /// Mailbox polling settings (validated settings: a bad key or CA file was refused at
    /// start).
    pub fn mailbox_settings(&self) -> crate::services::mailboxes::MailboxSettings {
        crate::services::mailboxes::MailboxSettings {
            secret_key: self.secret_key().ok().flatten(),
            imap: self.imap_settings().unwrap_or_default(),
            max_message_bytes: self.max_upload_bytes,
            limits: self.limits(),
            idle: std::time::Duration::from_secs(self.imap_idle_seconds),
            check_dns: self.dns_recheck_hours > 0,
            ..Default::default()
        }
    }

    /// DNS and HTTPS for the record checks.
    pub fn checker(&self) -> Result<crate::dns::checks::Checker, CheckerSetupError> {
        let settings = self.resolver_settings()?;
        let resolver = crate::dns::Resolver::new(&settings)?;
        let checker = crate::outbound::https::checker(
            resolver,
            crate::outbound::https::FetchSettings {
                allow_private: self.outbound_allow_private,
                ..Default::default()
            },
        )?;
        Ok(checker.with_budget(std::time::Duration::from_secs(self.dns_check_budget_secs)))
    }

    /// The database URL without credentials, for messages and logs.
    pub fn database_for_display(&self) -> String {
        database_url_for_display(&self.database_url)
    }

    /// Webhook delivery settings.
    pub fn webhook_settings(&self) -> crate::services::webhooks::WebhookSettings {
        crate::services::webhooks::WebhookSettings {
            allow_private: self.outbound_allow_private,
            max_attempts: self.webhook_max_attempts,
            backoff_base: self.webhook_backoff_base_seconds,
            backoff_max: self.webhook_backoff_max_seconds,
            timeout: std::time::Duration::from_secs(self.webhook_timeout_seconds),
        }
    }

    /// What the API handlers read.
    pub fn api_settings(&self) -> crate::api::ApiSettings {
        crate::api::ApiSettings {
            max_upload_bytes: self.max_upload_bytes,
            max_tlsrpt_bytes: self.max_tlsrpt_bytes,
            jwt_max_ttl_seconds: self.jwt_max_ttl_seconds,
            outbound_allow_private: self.outbound_allow_private,
            dns_recheck: self.dns_recheck_hours > 0,
            secret_key: self.secret_key().ok().flatten(),
            mail_domain: self.mail_domain_name(),
            thresholds: crate::analysis::issues::Thresholds::default(),
            digest_relay: self.digest_settings().is_ok_and(|d| d.can_send()),
        }
    }

    /// `mail_domain`, lower case without a trailing dot.
    pub fn mail_domain_name(&self) -> Option<String> {
        self.mail_domain
            .as_ref()
            .map(|d| d.trim().trim_end_matches('.').to_ascii_lowercase())
    }

    /// The SMTP and LMTP receiver's settings; `None` when neither listener is configured.
    pub fn smtp_settings(&self) -> Option<crate::smtp::SmtpSettings> {
        let mail_domain = self.mail_domain_name()?;
        if self.smtp_listen.is_none() && self.lmtp_listen.is_none() {
            return None;
        }
        let secs = std::time::Duration::from_secs;
        Some(crate::smtp::SmtpSettings {
            mail_domain,
            smtp_listen: self.smtp_listen.clone(),
            lmtp_listen: self.lmtp_listen.clone(),
            tls: self.smtp_tls_cert.clone().zip(self.smtp_tls_key.clone()),
            max_message_bytes: self.smtp_max_message_bytes.unwrap_or(self.max_upload_bytes),
            max_recipients: self.smtp_max_recipients,
            max_connections: self.smtp_max_connections,
            max_connections_per_ip: self.smtp_max_connections_per_ip,
            command_timeout: secs(self.smtp_command_timeout_seconds),
            data_block_timeout: secs(self.smtp_data_block_timeout_seconds),
            data_end_timeout: secs(self.smtp_data_end_timeout_seconds),
            max_line_bytes: self.smtp_max_line_bytes,
            max_errors: self.smtp_max_errors,
            check_dns: self.dns_recheck_hours > 0,
        })
    }

    /// Size, deadline and rate every request body is held to.
    pub fn body_limits(&self) -> crate::api::body::BodyLimits {
        crate::api::body::BodyLimits {
            max_upload_bytes: self.max_upload_bytes,
            max_tlsrpt_bytes: self.max_tlsrpt_bytes,
            timeout: std::time::Duration::from_secs(self.request_body_timeout_seconds),
            grace: std::time::Duration::from_secs(self.request_body_grace_seconds),
            min_rate: self.request_body_min_rate,
        }
    }

    /// Parser limits for uploads.
    pub fn limits(&self) -> Limits {
        Limits {
            max_input_bytes: self.max_upload_bytes,
            max_decompressed_bytes: self.max_decompressed_bytes,
            max_records: self.max_records,
            max_tls_failure_details: self.max_tls_failure_details,
            ..Limits::default()
        }
    }

    /// The JWT key: configured, or generated once and kept beside the database.
    pub fn jwt_key(&self) -> Result<SecretString, ConfigError> {
        if let Some(secret) = &self.jwt_secret {
            return Ok(secret.clone());
        }
        let path = match self.database_url.strip_prefix("sqlite://") {
            Some(db) => PathBuf::from(format!("{db}.jwt-secret")),
            None => PathBuf::from("ruad.jwt-secret"),
        };
        if let Ok(existing) = std::fs::read_to_string(&path) {
            let existing = existing.trim().to_string();
            if existing.len() >= 32 {
                return Ok(SecretString::from(existing));
            }
        }
        use base64::Engine;
        use rand::RngCore;
        let mut bytes = [0u8; 48];
        rand::rng().fill_bytes(&mut bytes);
        let secret = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
        write_private(&path, &secret).map_err(|e| {
            bad(
                "jwt_secret",
                format!(
                    "cannot persist a generated secret at {}: {e}",
                    path.display()
                ),
            )
        })?;
        Ok(SecretString::from(secret))
    }
}

/// The host name (Linux: the kernel's; else `HOSTNAME` or `/etc/hostname`), or `ruad`.
fn host_name() -> String {
    let candidates = [
        std::fs::read_to_string("/proc/sys/kernel/hostname").ok(),
        std::env::var("HOSTNAME").ok(),
        std::fs::read_to_string("/etc/hostname").ok(),
    ];
    candidates
        .into_iter()
        .flatten()
        .map(|name| name.trim().to_string())
        .find(|name| !name.is_empty())
        .unwrap_or_else(|| "ruad".into())
}

fn write_private(path: &std::path::Path, content: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(content.as_bytes())?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    /// Every field of [`Settings`], from serde's own list (printed for an unknown field).
    fn fields() -> Vec<String> {
        let e = serde_json::from_str::<Settings>(r#"{"no_such_field": 1}"#)
            .unwrap_err()
            .to_string();
        let list = e.split("expected one of").nth(1).expect(&e);
        list.split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn every_setting_is_documented_in_the_help_the_header_and_the_readme() {
        let fields = fields();
        assert!(fields.len() > 20, "{fields:?}");
        let help: Vec<&str> = SETTINGS_HELP.iter().map(|(k, _, _)| *k).collect();
        assert_eq!(help, fields, "SETTINGS_HELP must list the fields in order");
        let header = include_str!("settings.rs");
        let readme = include_str!("../../README.md");
        for field in &fields {
            let var = format!("RUAD_{}", field.to_ascii_uppercase());
            assert!(
                header.contains(&format!("`{field}` [`{var}`]")),
                "{field} is not in the //! header"
            );
            assert!(
                readme.contains(&format!("| `{var}` |")),
                "{var} is not in README.md's settings table"
            );
            assert!(settings_help().contains(&var));
        }
    }

    #[test]
    fn the_help_gives_the_real_defaults() {
        let defaults = serde_json::to_value(Settings::default()).unwrap();
        for (key, shown, _) in SETTINGS_HELP {
            let actual = match &defaults[*key] {
                serde_json::Value::String(s) if s.is_empty() => continue,
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Null => continue,
                other => other.to_string(),
            };
            assert_eq!(*shown, actual, "{key}");
        }
    }

    #[test]
    fn database_urls_are_shown_without_passwords() {
        for (url, shown) in [
            ("sqlite://ruad.db", "sqlite://ruad.db"),
            (
                "sqlite:///var/lib/ruad/ruad.db",
                "sqlite:///var/lib/ruad/ruad.db",
            ),
            (
                "postgres://ruad@db:5432/ruad",
                "postgres://ruad@db:5432/ruad",
            ),
            (
                "postgres://ruad:s3cret@db:5432/ruad",
                "postgres://ruad@db:5432/ruad",
            ),
            (
                "postgresql://ruad:p%40ss@db/ruad",
                "postgresql://ruad@db/ruad",
            ),
            ("postgres://ruad:pa/s@s@db/ruad", "postgres://ruad@db/ruad"),
            ("sqlite:///tmp/a:b@c/ruad.db", "sqlite:///tmp/a:b@c/ruad.db"),
            (
                "postgres://db/ruad?sslmode=require&password=s3cret",
                "postgres://db/ruad?sslmode=require",
            ),
            ("postgres://db/ruad?PASSWORD=x", "postgres://db/ruad"),
        ] {
            assert_eq!(database_url_for_display(url), shown, "{url}");
        }
    }
}
