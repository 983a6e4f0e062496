//! Webhook delivery: the retry policy, and one delivery attempt per run of a
//! `deliver_webhook` job (`crate::jobs::deliver_webhook`); events are queued by
//! `storage::webhooks::emit`. The request itself, its headers and its signature, is
//! `crate::outbound::webhook`.
//!
//! # Rules
//! - The URL obeys the outbound rule of `outbound::https` (public addresses only, names
//!   resolved by ruad's resolver, IP literals checked before connecting, `https` only) unless
//!   `allow_private` is set, which only tests should do. Creation checks the URL too, but the
//!   check that counts is the one made at each attempt: DNS answers change.
//! - A 2xx answer is a success. Anything else, or no answer within `timeout`, is retried after
//!   `backoff_base × 2^(attempt−1)` seconds, capped at `backoff_max`, until `max_attempts`
//!   attempts were made; then the delivery is `failed`. Every attempt updates the delivery
//!   row, in the transaction that settles the job, and only while the job's lease is held.
//! - A delivery whose webhook was deleted is dropped; one whose webhook was disabled is marked
//!   `failed` without an attempt (test pings excepted).

use crate::domain::event::TEST_EVENT;
use crate::outbound::https::check_url;
use crate::outbound::webhook::{Request, Sender};
use crate::services::blocking;
use crate::services::metrics::Metrics;
use crate::storage::jobs::{self, Job, Lease};
use crate::storage::webhooks::{self as store, Attempt, Outcome};
use crate::storage::{Db, now};
use std::time::{Duration, Instant};

/// Longest webhook URL accepted.
pub const MAX_URL_LEN: usize = 2048;

/// Delivery settings (see `app::settings` for the keys).
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
pub fn parse_url(raw: &str, allow_private: bool) -> Result<url::Url, WebhookUrlError> {
    let raw = raw.trim();
    if raw.len() > MAX_URL_LEN {
        return Err(WebhookUrlError::TooLong);
    }
    let url = url::Url::parse(raw).map_err(WebhookUrlError::Invalid)?;
    if url.fragment().is_some() {
        return Err(WebhookUrlError::Fragment);
    }
    check_url(&url, allow_private)?;
    Ok(url)
}

/// Why a webhook URL was refused; the text is the API's validation message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WebhookUrlError {
    #[error("url must be at most {MAX_URL_LEN} bytes")]
    TooLong,
    #[error("url is not a valid URL: {0}")]
    Invalid(url::ParseError),
    #[error("url must not have a #fragment")]
    Fragment,
    #[error("url {0}")]
    Refused(#[from] crate::outbound::https::UrlRefused),
}

/// What one run of a delivery job came to (the `outcome` label of
/// `ruad_webhook_deliveries_total`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivered {
    /// The receiver answered 2xx.
    Succeeded,
    /// The attempt failed; another one is scheduled.
    Retry,
    /// The last attempt failed: the delivery is `failed`.
    Failed,
    /// Nothing was sent: the webhook was deleted or disabled, or the delivery was settled.
    Dropped,
    /// The job's lease was lost during the attempt (another instance took the job over), so
    /// its result was not recorded.
    LeaseLost,
}

impl Delivered {
    pub fn as_str(self) -> &'static str {
        match self {
            Delivered::Succeeded => "succeeded",
            Delivered::Retry => "retry",
            Delivered::Failed => "failed",
            Delivered::Dropped => "dropped",
            Delivered::LeaseLost => "lease_lost",
        }
    }
}

/// Runs one `deliver_webhook` job held under `lease`: one attempt, recorded with the job's
/// next step in one transaction, so the job settles itself (removed or rescheduled). An error
/// (the database) leaves the job to the runner's generic retry.
pub async fn deliver(
    db: &Db,
    sender: &Sender,
    settings: &WebhookSettings,
    metrics: &Metrics,
    job: &Job,
    lease: &Lease,
) -> anyhow::Result<Delivered> {
    let delivery_id = job.delivery_id()?;
    let found = {
        let (db, delivery_id) = (db.clone(), delivery_id.clone());
        blocking(move || {
            db.read(|conn| store::find_delivery(conn, &delivery_id))
                .map_err(anyhow::Error::from)
        })
        .await?
    };
    let (delivery, webhook) = match found {
        Some((d, w)) if d.status == store::PENDING => (d, w),
        // Deleted with its webhook, or already settled by an earlier run of this job.
        _ => {
            let (db, lease) = (db.clone(), lease.clone());
            blocking(move || {
                db.write(|conn| jobs::complete(conn, &lease))
                    .map_err(anyhow::Error::from)
            })
            .await?;
            metrics.webhook_delivery(Delivered::Dropped.as_str(), None);
            return Ok(Delivered::Dropped);
        }
    };
    if !webhook.enabled && delivery.event_type != TEST_EVENT {
        let (db, lease, id) = (db.clone(), lease.clone(), delivery.id.clone());
        let held = blocking(move || {
            db.write(|conn| store::abandon_delivery(conn, &lease, &id, "the webhook is disabled"))
                .map_err(anyhow::Error::from)
        })
        .await?;
        let result = if held {
            Delivered::Dropped
        } else {
            Delivered::LeaseLost
        };
        metrics.webhook_delivery(result.as_str(), None);
        return Ok(result);
    }
    let at = now();
    let started = Instant::now();
    let sent = sender
        .send(
            Request {
                url: &webhook.url,
                secret: &webhook.secret,
                delivery_id: delivery.id.as_str(),
                event_type: &delivery.event_type,
                body: &delivery.payload,
            },
            at,
        )
        .await;
    let latency = started.elapsed();
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
    let mut result = match attempt.outcome {
        Outcome::Succeeded => Delivered::Succeeded,
        Outcome::RetryAt(_) => Delivered::Retry,
        Outcome::Failed => Delivered::Failed,
    };
    let (db, lease_held, id) = (db.clone(), lease.clone(), delivery.id.clone());
    let held = blocking(move || {
        db.write(|conn| store::record_attempt(conn, &lease_held, &id, &attempt))
            .map_err(anyhow::Error::from)
    })
    .await?;
    if !held {
        tracing::warn!(
            delivery = %delivery.id, job = %job.id, attempt = lease.attempt,
            "webhook attempt not recorded: the job's lease was lost"
        );
        result = Delivered::LeaseLost;
    }
    metrics.webhook_delivery(result.as_str(), Some(latency));
    Ok(result)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

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
            let error = parse_url(url, false).unwrap_err().to_string();
            assert!(error.contains(why), "{url}: {error}");
        }
        let long = format!("https://hooks.example.com/{}", "a".repeat(MAX_URL_LEN));
        assert_eq!(
            parse_url(&long, false).unwrap_err(),
            WebhookUrlError::TooLong
        );
        assert!(parse_url("http://127.0.0.1:8080/hook", true).is_ok());
    }
}
