//! Webhook sending: one signed POST to a receiver, under the outbound rule of
//! [`super::https`]. Knows nothing of the delivery log or the retry policy
//! (`crate::services::webhooks`): it is given plain values and says how the attempt went.
//!
//! # The request
//! ```text
//! POST <webhook url>
//! content-type: application/json
//! user-agent: ruad/<version>
//! ruad-event: <event type>
//! ruad-delivery: <delivery id>           (the same on every attempt of this delivery)
//! ruad-timestamp: <unix seconds>         (of this attempt)
//! ruad-signature: v1=<hex HMAC-SHA256(secret, "<ruad-timestamp>.<body>")>
//! ```
//! No redirect is followed; the client's timeout bounds the whole attempt; at most
//! [`MAX_RESPONSE_BYTES`] of the answer are read and [`EXCERPT_CHARS`] characters of it kept
//! in the error of a failed attempt. IP literals never reach the resolver, so the address rule
//! is applied to them here before connecting.

use super::https::{ClientSetupError, check_url, client_builder, describe};
use crate::dns::Resolver;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::time::Duration;

/// Bytes of a receiver's answer read at most.
pub const MAX_RESPONSE_BYTES: usize = 4096;
/// Characters of a failed attempt's answer kept in the delivery log.
pub const EXCERPT_CHARS: usize = 200;

/// One delivery attempt to make.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// The webhook's URL.
    pub url: &'a str,
    /// The webhook's signing secret (`whsec_…`, used whole as the HMAC key).
    pub secret: &'a str,
    /// The `ruad-delivery` header: the delivery's id.
    pub delivery_id: &'a str,
    /// The `ruad-event` header: the event type.
    pub event_type: &'a str,
    /// The JSON body, sent as it is.
    pub body: &'a str,
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
    /// A client that allows `http` and non-public addresses only with `allow_private`
    /// (tests), and gives up an attempt after `timeout`.
    pub fn new(
        resolver: Resolver,
        allow_private: bool,
        timeout: Duration,
    ) -> Result<Sender, ClientSetupError> {
        let client = client_builder(resolver, allow_private, timeout)
            .https_only(!allow_private)
            .build()
            .map_err(|e| ClientSetupError::new("webhook client", e))?;
        Ok(Sender {
            client,
            allow_private,
        })
    }

    /// POSTs the request's body, signed at `timestamp`.
    pub async fn send(&self, request: Request<'_>, timestamp: i64) -> Sent {
        let failed = |error: String| Sent {
            status: None,
            error: Some(error),
        };
        let url = match url::Url::parse(request.url) {
            Ok(url) => url,
            Err(e) => return failed(format!("invalid url: {e}")),
        };
        // IP literals never reach the resolver, so the address rule is applied here too.
        if let Err(e) = check_url(&url, self.allow_private) {
            return failed(format!("url {e}"));
        }
        let body = request.body.as_bytes().to_vec();
        let post = self
            .client
            .post(url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header("ruad-event", request.event_type)
            .header("ruad-delivery", request.delivery_id)
            .header("ruad-timestamp", timestamp.to_string())
            .header(
                "ruad-signature",
                signature(request.secret, timestamp, &body),
            )
            .body(body);
        let mut response = match post.send().await {
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
    fn excerpts_are_short_single_lines() {
        assert_eq!(excerpt(b"  oops\r\n\tbad  "), "oops bad");
        let long = excerpt("x".repeat(5000).as_bytes());
        assert_eq!(long.chars().count(), EXCERPT_CHARS + 1);
        assert_eq!(excerpt(&[0xff, b'a']), "\u{fffd}a");
    }

    fn request(url: &str) -> Request<'_> {
        Request {
            url,
            secret: "whsec_x",
            delivery_id: "d1",
            event_type: "report.received",
            body: "{}",
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
        let sender = Sender::new(Resolver::fixed(zone), false, Duration::from_secs(10)).unwrap();
        for url in [
            format!("https://127.0.0.1:{port}/hook"),
            format!("https://[::ffff:127.0.0.1]:{port}/hook"),
            format!("https://localhost:{port}/hook"),
        ] {
            let sent = crate::dns::block_on(sender.send(request(&url), 1));
            assert_eq!(sent.status, None, "{url}");
            let error = sent.error.unwrap();
            assert!(error.contains("not a public address"), "{url}: {error}");
        }
        // Plain http is refused before any connection as well.
        let sent =
            crate::dns::block_on(sender.send(request(&format!("http://127.0.0.1:{port}/hook")), 1));
        assert!(sent.error.unwrap().contains("https"));
        std::thread::sleep(Duration::from_millis(50));
        assert_eq!(connections.load(std::sync::atomic::Ordering::SeqCst), 0);
    }

    #[test]
    fn names_resolving_to_loopback_are_refused_at_delivery_time() {
        let (port, connections) = counting_listener();
        let zone = crate::dns::StaticZone::new().ip("hooks.example.com", "127.0.0.1");
        let sender = Sender::new(Resolver::fixed(zone), false, Duration::from_secs(10)).unwrap();
        let sent = crate::dns::block_on(sender.send(
            request(&format!("https://hooks.example.com:{port}/hook")),
            1,
        ));
        let error = sent.error.unwrap();
        assert!(error.contains("non-public"), "{error}");
        std::thread::sleep(Duration::from_millis(50));
        assert_eq!(connections.load(std::sync::atomic::Ordering::SeqCst), 0);
    }
}
