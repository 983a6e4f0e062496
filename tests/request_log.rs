//! The request id in the logs: an internal error is logged with the request's id and its
//! cause, and answered without the cause. In its own test binary: the log is captured through
//! a scoped tracing subscriber, and tracing caches each callsite's interest process-wide, so
//! concurrent tests elsewhere in one binary (the library's own) could cache "no interest" for
//! the request span and make this test flaky under load.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use actix_web::{App, test as actix_test, web};
use ruad::api::error::ApiError;
use ruad::api::request_id::{HEADER, assign};
use std::sync::{Arc, Mutex};

/// A log writer that keeps what is written.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

async fn failing() -> Result<String, ApiError> {
    tracing::info!("handling");
    Err(ApiError::Internal(anyhow::anyhow!(
        "no such table: secret_table_name"
    )))
}

#[actix_web::test]
async fn an_internal_error_is_logged_with_the_request_id_and_answered_without_its_cause() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    // Other tests' threads may have cached "no interest" for shared callsites (the
    // internal-error log) while no subscriber was set: recompute it with this one.
    tracing::callsite::rebuild_interest_cache();
    let app = actix_test::init_service(
        App::new()
            .route("/fail", web::get().to(failing))
            .wrap(actix_web::middleware::from_fn(assign)),
    )
    .await;

    let response = actix_test::call_service(
        &app,
        actix_test::TestRequest::get()
            .uri("/fail")
            .insert_header((HEADER, "client-id-1"))
            .to_request(),
    )
    .await;

    assert_eq!(response.status(), 500);
    assert_eq!(response.headers().get(HEADER).unwrap(), "client-id-1");
    let body: serde_json::Value = actix_test::read_body_json(response).await;
    assert_eq!(body["request_id"], "client-id-1");
    assert_eq!(body["code"], "internal");
    assert!(!body.to_string().contains("secret_table_name"), "{body}");
    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    let lines: Vec<&str> = log.lines().collect();
    assert!(
        lines
            .iter()
            .any(|l| l.contains("request_id=client-id-1") && l.contains("handling")),
        "{log}"
    );
    assert!(
        lines.iter().any(|l| l.contains("request_id=client-id-1")
            && l.contains("internal error")
            && l.contains("secret_table_name")),
        "{log}"
    );
}
