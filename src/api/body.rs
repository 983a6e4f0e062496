//! Request bodies under guard, on every route: a declared `Content-Length` above the route's
//! limit is refused with 413 before a byte of the body is read, and every body has a deadline
//! and a minimum rate, so a slow or stalled client cannot hold a connection and a worker.
//!
//! The rule: after `request_body_grace_seconds`, a body must keep arriving at
//! `request_body_min_rate` bytes per second on average, and it must be complete within
//! `request_body_timeout_seconds` in all. A body that breaks it ends with 408
//! `request_timeout`. The RFC 8460 receiver (`/api/v1/tlsrpt/…`, no credentials) has its own,
//! smaller size limit, `max_tlsrpt_bytes`; every other route `max_upload_bytes` (JSON bodies
//! are further limited to 1 MiB by their extractor).

use crate::api::error::ApiError;
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::error::PayloadError;
use actix_web::middleware::Next;
use actix_web::web::Bytes;
use actix_web::{HttpMessage, ResponseError};
use futures_util::Stream;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::time::{Instant, Sleep};

/// Path prefix of the RFC 8460 receiver.
pub const TLSRPT_PREFIX: &str = "/api/v1/tlsrpt/";

/// The limits every request body is held to (from the settings).
#[derive(Debug, Clone, Copy)]
pub struct BodyLimits {
    pub max_upload_bytes: u64,
    pub max_tlsrpt_bytes: u64,
    pub timeout: Duration,
    pub grace: Duration,
    /// Bytes per second.
    pub min_rate: u64,
}

impl BodyLimits {
    /// The size limit of the route `path`.
    pub fn max_bytes(&self, path: &str) -> u64 {
        if path.starts_with(TLSRPT_PREFIX) {
            self.max_tlsrpt_bytes
        } else {
            self.max_upload_bytes
        }
    }
}

/// The middleware: checks `Content-Length`, then wraps the body in a [`Deadline`].
pub async fn guard(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody + 'static>>, actix_web::Error> {
    let Some(limits) = req
        .app_data::<actix_web::web::Data<BodyLimits>>()
        .map(|l| *l.get_ref())
    else {
        return Ok(next.call(req).await?.map_into_left_body());
    };
    let max = limits.max_bytes(req.path());
    let declared = req
        .headers()
        .get(actix_web::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim().parse::<u64>());
    match declared {
        Some(Ok(n)) if n > max => {
            let error = ApiError::PayloadTooLarge(format!(
                "the body declares {n} bytes; this route accepts at most {max}"
            ));
            // The body was never read: close the connection rather than drain it.
            let mut response = error.error_response();
            response
                .head_mut()
                .set_connection_type(actix_web::http::ConnectionType::Close);
            return Ok(req.into_response(response).map_into_right_body());
        }
        Some(Err(_)) => {
            let error = ApiError::BadRequest("the Content-Length header is not a number".into());
            return Ok(req
                .into_response(error.error_response())
                .map_into_right_body());
        }
        _ => {}
    }
    let payload = req.take_payload();
    let deadline = Deadline::new(payload, limits);
    let stream: Pin<Box<dyn Stream<Item = Result<Bytes, PayloadError>>>> = Box::pin(deadline);
    req.set_payload(Payload::from(stream));
    Ok(next.call(req).await?.map_into_left_body())
}

/// A body stream that fails with a timeout once the body is too slow or too late.
pub struct Deadline {
    inner: Payload,
    started: Instant,
    received: u64,
    limits: BodyLimits,
    timer: Pin<Box<Sleep>>,
    expired: bool,
}

impl Deadline {
    fn new(inner: Payload, limits: BodyLimits) -> Deadline {
        let started = Instant::now();
        let mut deadline = Deadline {
            inner,
            started,
            received: 0,
            limits,
            timer: Box::pin(tokio::time::sleep_until(started)),
            expired: false,
        };
        let at = deadline.deadline();
        deadline.timer.as_mut().reset(at);
        deadline
    }

    /// When the body must have made more progress (or be complete).
    fn deadline(&self) -> Instant {
        let rate = self.limits.min_rate.max(1);
        let earned = Duration::from_secs_f64(self.received as f64 / rate as f64);
        let allowed = self
            .limits
            .grace
            .saturating_add(earned)
            .min(self.limits.timeout);
        self.started + allowed
    }
}

/// The error a body past its deadline ends with; [`is_timeout`] recognises it.
fn timeout_error() -> PayloadError {
    PayloadError::Io(std::io::Error::new(
        std::io::ErrorKind::TimedOut,
        "the request body arrived too slowly",
    ))
}

/// Whether a body error is the deadline of this module.
pub fn is_timeout(error: &PayloadError) -> bool {
    matches!(error, PayloadError::Io(e) if e.kind() == std::io::ErrorKind::TimedOut)
}

/// The API error for a failed body read: 408 for the deadline, 413 for the size, else 400.
pub fn body_error(error: &PayloadError) -> ApiError {
    match error {
        e if is_timeout(e) => ApiError::RequestTimeout(
            "the request body arrived too slowly or too late; send it faster".into(),
        ),
        PayloadError::Overflow => ApiError::PayloadTooLarge("the request body is too large".into()),
        _ => ApiError::BadRequest("the request body could not be read completely".into()),
    }
}

impl Stream for Deadline {
    type Item = Result<Bytes, PayloadError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.expired {
            return Poll::Ready(None);
        }
        match Pin::new(&mut this.inner).poll_next(cx) {
            Poll::Ready(Some(Ok(chunk))) => {
                this.received += chunk.len() as u64;
                let at = this.deadline();
                this.timer.as_mut().reset(at);
                Poll::Ready(Some(Ok(chunk)))
            }
            Poll::Ready(other) => Poll::Ready(other),
            Poll::Pending => match this.timer.as_mut().poll(cx) {
                Poll::Ready(()) => {
                    this.expired = true;
                    Poll::Ready(Some(Err(timeout_error())))
                }
                Poll::Pending => Poll::Pending,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> BodyLimits {
        BodyLimits {
            max_upload_bytes: 1000,
            max_tlsrpt_bytes: 10,
            timeout: Duration::from_secs(60),
            grace: Duration::from_secs(5),
            min_rate: 100,
        }
    }

    #[test]
    fn the_receiver_has_its_own_size_limit() {
        assert_eq!(limits().max_bytes("/api/v1/tlsrpt/abc"), 10);
        assert_eq!(limits().max_bytes("/api/v1/reports"), 1000);
    }

    #[tokio::test]
    async fn the_deadline_grows_with_the_bytes_received_up_to_the_timeout() {
        let mut d = Deadline::new(Payload::None, limits());
        assert_eq!(d.deadline() - d.started, Duration::from_secs(5));
        d.received = 1000;
        assert_eq!(d.deadline() - d.started, Duration::from_secs(15));
        d.received = 1_000_000;
        assert_eq!(d.deadline() - d.started, Duration::from_secs(60));
    }
}
