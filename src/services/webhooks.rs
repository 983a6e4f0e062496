//! Webhook delivery: the signed POST, the outbound rule, and the retry policy. Run by the job
//! worker as the `deliver_webhook` job, one attempt per run; events are queued by
//! `storage::webhooks::emit`.
//!
//! # The request
//! ```text
//! POST <webhook url>
//! content-type: application/json
//! user-agent: ruad/<version>
//! ruad-event: report.received            (or issue.opened, issue.resolved, webhook.test)
//! ruad-delivery: <delivery id>           (the same on every attempt of this delivery)
//! ruad-timestamp: <unix seconds>         (of this attempt)
//! ruad-signature: v1=<hex HMAC-SHA256(secret, "<ruad-timestamp>.<body>")>
//!
//! {"id": "<event id>", "type": "report.received", "created_at": "2026-11-27T10:00:00Z",
//!  "tenant_id": "…", "data": {…}}
//! ```
//! The HMAC key is the webhook's secret exactly as shown at creation (`whsec_…`, prefix
//! included) and the message is the timestamp, a dot and the raw body bytes. A receiver
//! recomputes it, compares in constant time, refuses timestamps far from its clock (replay),
//! and deduplicates on the body's `id`: every delivery of one event, to every webhook, carries
//! the same event id, and a retried delivery is the same body again. Accept the request when
//! any comma-separated `v1=` value matches, so that several signatures can be sent later
//! (e.g. while a secret is rolled over).
//!
//! # Rules
//! - The URL obeys the outbound rule of `outbound::https` (public addresses only, names resolved by
//!   ruad's resolver, IP literals checked before connecting, `https` only) unless
//!   `allow_private` is set, which only tests should do. Creation checks the URL too, but the
//!   check that counts is the one made at each attempt: DNS answers change.
//! - No redirect is followed; `timeout` bounds the whole attempt; at most
//!   [`MAX_RESPONSE_BYTES`] of the answer are read and [`EXCERPT_CHARS`] characters of it kept
//!   in the delivery log for a failed attempt.
//! - A 2xx answer is a success. Anything else, or no answer, is retried after
//!   `backoff_base × 2^(attempt−1)` seconds, capped at `backoff_max`, until `max_attempts`
//!   attempts were made; then the delivery is `failed`. Every attempt updates the delivery row.
//! - A delivery whose webhook was deleted is dropped; one whose webhook was disabled is marked
//!   `failed` without an attempt (test pings excepted).

use crate::dns::Resolver;
use crate::domain::event::TEST_EVENT;
use crate::outbound::https::{check_url, client_builder, describe};
use crate::storage::jobs::{self, Job};
use crate::storage::webhooks::{self as store, Attempt, Delivery, Outcome, Webhook};
use crate::storage::{Db, now};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::time::Duration;

/// Bytes of a receiver's answer read at most.
pub const MAX_RESPONSE_BYTES: usize = 4096;
/// Characters of a failed attempt's answer kept in the delivery log.
pub const EXCERPT_CHARS: usize = 200;
/// Longest webhook URL accepted.
pub const MAX_URL_LEN: usize = 2048;

/// Delivery settings (see `config.rs` for the keys).
#[derive(Debug, Clone)]
pub struct WebhookSettings {
    /// Allow `http` and non-public addresses (tests only).
    pub allow_private: bool,
    /// Attempts per delivery before it is `failed`.
    pub max_attempts: i32,
    /// Wait after the first failed attempt, in seconds; doubled after each further one.
    pub backoff_base: i64,
    /// Longest wait between attempts, in seconds.
    pub backoff_max: i64,
    /// Time limit of one attempt (connecting, sending, reading the answer).
    pub timeout: Duration,
}

impl Default for WebhookSettings {
    fn default() -> Self {
        WebhookSettings {
            allow_private: false,
            max_attempts: 8,
            backoff_base: 30,
            backoff_max: 6 * 3600,
            timeout: Duration::from_secs(10),
        }
    }
}

/// The `ruad-signature` value: `v1=` and the hex HMAC-SHA256 of `"<timestamp>.<body>"` keyed
/// with the secret.
pub fn signature(secret: &str, timestamp: i64, body: &[u8]) -> String {
    // HMAC accepts keys of any length, so this cannot fail; keep the signature empty rather
    // than panic if it ever did.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        return String::new();
    };
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!("v1={}", hex::encode(mac.finalize().into_bytes()))
}

/// Seconds to wait after the `attempts`-th failed attempt.
pub fn retry_delay(attempts: i32, settings: &WebhookSettings) -> i64 {
    let doublings = attempts.saturating_sub(1).clamp(0, 40) as u32;
    settings
        .backoff_base
        .saturating_mul(1i64 << doublings)
        .min(settings.backoff_max)
        .max(0)
}

/// What follows an attempt: done, another try at some time, or giving up.
pub fn outcome(succeeded: bool, attempts: i32, now: i64, settings: &WebhookSettings) -> Outcome {
    if succeeded {
        Outcome::Succeeded
    } else if attempts >= settings.max_attempts {
        Outcome::Failed
    } else {
        Outcome::RetryAt(now + retry_delay(attempts, settings))
    }
}

/// A webhook URL as given to the API: at most [`MAX_URL_LEN`] bytes, absolute, without a
/// fragment, and allowed by the outbound rule (`outbound::https::check_url`).
pub fn parse_url(raw: &str, allow_private: bool) -> Result<url::Url, String> {
    let raw = raw.trim();
    if raw.len() > MAX_URL_LEN {
        return Err(format!("url must be at most {MAX_URL_LEN} bytes"));
    }
    let url = url::Url::parse(raw).map_err(|e| format!("url is not a valid URL: {e}"))?;
    if url.fragment().is_some() {
        return Err("url must not have a #fragment".into());
    }
    check_url(&url, allow_private).map_err(|e| format!("url {e}"))?;
    Ok(url)
}

/// How one attempt went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sent {
    /// The receiver's HTTP status, when it answered.
    pub status: Option<u16>,
    /// Why the attempt failed; `None` when it succeeded (2xx).
    pub error: Option<String>,
}

/// An HTTP client bound to the outbound rule.
pub struct Sender {
    client: reqwest::Client,
    allow_private: bool,
}

impl Sender {
    pub fn new(resolver: Resolver, settings: &WebhookSettings) -> Result<Sender, String> {
        let client = client_builder(resolver, settings.allow_private, settings.timeout)
            .https_only(!settings.allow_private)
            .build()
            .map_err(|e| format!("webhook client: {e}"))?;
        Ok(Sender {
            client,
            allow_private: settings.allow_private,
        })
    }

    /// POSTs the delivery's body to the webhook, signed at `timestamp`.
    pub async fn send(&self, webhook: &Webhook, delivery: &Delivery, timestamp: i64) -> Sent {
        let failed = |error: String| Sent {
            status: None,
            error: Some(error),
        };
        let url = match url::Url::parse(&webhook.url) {
            Ok(url) => url,
            Err(e) => return failed(format!("invalid url: {e}")),
        };
        // IP literals never reach the resolver, so the address rule is applied here too.
        if let Err(e) = check_url(&url, self.allow_private) {
            return failed(format!("url {e}"));
        }
        let body = delivery.payload.as_bytes().to_vec();
        let request = self
            .client
            .post(url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header("ruad-event", &delivery.event_type)
            .header("ruad-delivery", &delivery.id)
            .header("ruad-timestamp", timestamp.to_string())
            .header(
                "ruad-signature",
                signature(&webhook.secret, timestamp, &body),
            )
            .body(body);
        let mut response = match request.send().await {
            Ok(r) => r,
            Err(e) => return failed(describe(e)),
        };
        let status = response.status();
        // Read a bounded start of the answer (for the log), then drop the connection.
        let mut answer = Vec::new();
        while answer.len() < MAX_RESPONSE_BYTES {
            match response.chunk().await {
                Ok(Some(chunk)) => answer.extend_from_slice(&chunk),
                Ok(None) | Err(_) => break,
            }
        }
        if status.is_success() {
            return Sent {
                status: Some(status.as_u16()),
                error: None,
            };
        }
        let mut error = if status.is_redirection() {
            let to = response
                .headers()
                .get(reqwest::header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("?");
            format!("answered {status} (redirect to {to}); redirects are not followed")
        } else {
            format!("answered {status}")
        };
        let excerpt = excerpt(&answer);
        if !excerpt.is_empty() {
            error = format!("{error}: {excerpt}");
        }
        Sent {
            status: Some(status.as_u16()),
            error: Some(error),
        }
    }
}

/// The start of an answer as one line of printable text.
fn excerpt(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(MAX_RESPONSE_BYTES)]);
    let mut out: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(EXCERPT_CHARS)
        .collect();
    if text.chars().count() > EXCERPT_CHARS {
        out.push('…');
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> anyhow::Result<T> + Send + 'static,
) -> anyhow::Result<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| anyhow::anyhow!("webhook task: {e}"))?
}

/// Runs one `deliver_webhook` job: one attempt, recorded with the job's next step in one
/// transaction. Settles the job itself (removed or rescheduled); an error leaves it to the
/// worker's generic retry.
pub async fn deliver(
    db: &Db,
    resolver: &Resolver,
    settings: &WebhookSettings,
    job: &Job,
) -> anyhow::Result<()> {
    let payload: serde_json::Value = serde_json::from_str(&job.payload)?;
    let delivery_id = payload["delivery_id"]
        .as_str()
        .ok_or_else(|| anyhow::anyhow!("payload has no delivery_id"))?
        .to_string();
    let job_id = job.id.clone();
    let found = {
        let (db, delivery_id) = (db.clone(), delivery_id.clone());
        blocking(move || Ok(db.read(|conn| store::find_delivery(conn, &delivery_id))?)).await?
    };
    let (delivery, webhook) = match found {
        Some((d, w)) if d.status == store::PENDING => (d, w),
        // Deleted with its webhook, or already settled by an earlier run of this job.
        _ => {
            let db = db.clone();
            return blocking(move || Ok(db.write(|conn| jobs::complete(conn, &job_id))?)).await;
        }
    };
    if !webhook.enabled && delivery.event_type != TEST_EVENT {
        let db = db.clone();
        return blocking(move || {
            Ok(db.write(|conn| {
                store::abandon_delivery(conn, &job_id, &delivery.id, "the webhook is disabled")
            })?)
        })
        .await;
    }
    let sender = Sender::new(resolver.clone(), settings).map_err(|e| anyhow::anyhow!(e))?;
    let at = now();
    let sent = sender.send(&webhook, &delivery, at).await;
    let attempts = delivery.attempts.saturating_add(1);
    let attempt = Attempt {
        at,
        response_status: sent.status.map(i32::from),
        outcome: outcome(sent.error.is_none(), attempts, now(), settings),
        error: sent.error,
    };
    match (&attempt.outcome, &attempt.error) {
        (Outcome::Succeeded, _) => {
            tracing::debug!(delivery = %delivery.id, webhook = %webhook.id, attempts, "webhook delivered")
        }
        (outcome, error) => tracing::info!(
            delivery = %delivery.id, webhook = %webhook.id, attempts, ?outcome,
            error = error.as_deref().unwrap_or_default(), "webhook delivery failed"
        ),
    }
    let db = db.clone();
    blocking(move || {
        Ok(db.write(|conn| store::record_attempt(conn, &job_id, &delivery.id, &attempt))?)
    })
    .await
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn the_signature_is_hmac_sha256_over_timestamp_dot_body() {
        // Reference value: printf '1700000000.{"a":1}' | openssl dgst -sha256 -hmac whsec_test
        assert_eq!(
            signature("whsec_test", 1_700_000_000, br#"{"a":1}"#),
            format!(
                "v1={}",
                "38877139021993b830af32feea6e18a8da83eb2f6e49ee50bd9e4cf4ca4d3789"
            )
        );
    }

    #[test]
    fn a_different_secret_timestamp_or_body_changes_the_signature() {
        let base = signature("whsec_a", 1, b"{}");
        assert_ne!(base, signature("whsec_b", 1, b"{}"));
        assert_ne!(base, signature("whsec_a", 2, b"{}"));
        assert_ne!(base, signature("whsec_a", 1, b"{ }"));
    }

    #[test]
    fn retries_back_off_exponentially_up_to_the_cap() {
        let settings = WebhookSettings {
            backoff_base: 30,
            backoff_max: 3600,
            max_attempts: 10,
            ..Default::default()
        };
        let delays: Vec<i64> = (1..=9).map(|n| retry_delay(n, &settings)).collect();
        assert_eq!(delays, [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]);
        assert_eq!(retry_delay(i32::MAX, &settings), 3600);
    }

    #[test]
    fn a_delivery_fails_for_good_after_the_last_attempt() {
        let settings = WebhookSettings {
            max_attempts: 3,
            backoff_base: 10,
            ..Default::default()
        };
        assert_eq!(outcome(false, 1, 1000, &settings), Outcome::RetryAt(1010));
        assert_eq!(outcome(false, 2, 1000, &settings), Outcome::RetryAt(1020));
        assert_eq!(outcome(false, 3, 1000, &settings), Outcome::Failed);
        assert_eq!(outcome(true, 3, 1000, &settings), Outcome::Succeeded);
    }

    #[test]
    fn urls_are_validated_when_a_webhook_is_created() {
        assert!(parse_url("https://hooks.example.com/ruad", false).is_ok());
        for (url, why) in [
            ("http://hooks.example.com/", "https"),
            ("https://10.0.0.1/", "not a public address"),
            ("https://user:pw@hooks.example.com/", "user name"),
            ("https://hooks.example.com/#x", "fragment"),
            ("hooks.example.com/x", "not a valid URL"),
            ("mailto:a@example.com", "not allowed"),
        ] {
            let error = parse_url(url, false).unwrap_err();
            assert!(error.contains(why), "{url}: {error}");
        }
        let long = format!("https://hooks.example.com/{}", "a".repeat(MAX_URL_LEN));
        assert!(parse_url(&long, false).unwrap_err().contains("at most"));
        assert!(parse_url("http://127.0.0.1:8080/hook", true).is_ok());
    }

    #[test]
    fn excerpts_are_short_single_lines() {
        assert_eq!(excerpt(b"  oops\r\n\tbad  "), "oops bad");
        let long = excerpt("x".repeat(5000).as_bytes());
        assert_eq!(long.chars().count(), EXCERPT_CHARS + 1);
        assert_eq!(excerpt(&[0xff, b'a']), "\u{fffd}a");
    }

    fn delivery(payload: &str) -> Delivery {
        Delivery {
            id: "d1".into(),
            tenant_id: "t".into(),
            webhook_id: "w".into(),
            event_id: "e".into(),
            event_type: "report.received".into(),
            payload: payload.into(),
            status: store::PENDING.into(),
            attempts: 0,
            response_status: None,
            last_error: None,
            created_at: 0,
            next_attempt_at: Some(0),
            delivered_at: None,
        }
    }

    fn webhook(url: &str) -> Webhook {
        Webhook {
            id: "w".into(),
            tenant_id: "t".into(),
            url: url.into(),
            events: "[]".into(),
            secret: "whsec_x".into(),
            description: String::new(),
            enabled: true,
            created_at: 0,
            updated_at: 0,
        }
    }

    /// A TCP listener that counts the connections it accepts.
    fn counting_listener() -> (u16, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let count = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let seen = count.clone();
        std::thread::spawn(move || {
            for _ in listener.incoming() {
                seen.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            }
        });
        (port, count)
    }

    #[test]
    fn without_the_test_setting_loopback_is_refused_at_delivery_time() {
        let (port, connections) = counting_listener();
        let zone = crate::dns::StaticZone::default();
        let sender = Sender::new(Resolver::fixed(zone), &WebhookSettings::default()).unwrap();
        for url in [
            format!("https://127.0.0.1:{port}/hook"),
            format!("https://[::ffff:127.0.0.1]:{port}/hook"),
            format!("https://localhost:{port}/hook"),
        ] {
            let sent = crate::dns::block_on(sender.send(&webhook(&url), &delivery("{}"), 1));
            assert_eq!(sent.status, None, "{url}");
            let error = sent.error.unwrap();
            assert!(error.contains("not a public address"), "{url}: {error}");
        }
        // Plain http is refused before any connection as well.
        let sent = crate::dns::block_on(sender.send(
            &webhook(&format!("http://127.0.0.1:{port}/hook")),
            &delivery("{}"),
            1,
        ));
        assert!(sent.error.unwrap().contains("https"));
        std::thread::sleep(Duration::from_millis(50));
        assert_eq!(connections.load(std::sync::atomic::Ordering::SeqCst), 0);
    }

    #[test]
    fn names_resolving_to_loopback_are_refused_at_delivery_time() {
        let (port, connections) = counting_listener();
        let zone = crate::dns::StaticZone::new().ip("hooks.example.com", "127.0.0.1");
        let sender = Sender::new(Resolver::fixed(zone), &WebhookSettings::default()).unwrap();
        let sent = crate::dns::block_on(sender.send(
            &webhook(&format!("https://hooks.example.com:{port}/hook")),
            &delivery("{}"),
            1,
        ));
        let error = sent.error.unwrap();
        assert!(error.contains("non-public"), "{error}");
        std::thread::sleep(Duration::from_millis(50));
        assert_eq!(connections.load(std::sync::atomic::Ordering::SeqCst), 0);
    }
}
