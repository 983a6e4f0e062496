//! IMAP mailboxes end to end: the real server (HTTP API, job runner, ingest) polling a real
//! Dovecot on loopback over TLS, with messages put in and checked by Python's imaplib; and
//! OAuth2 through Dovecot's `oauth2` passdb against a token and introspection endpoint
//! written here. Without Dovecot the tests say so loudly and pass, unless
//! `TEST_REQUIRE_DOVECOT` is set (CI).
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../api/helpers.rs"]
#[allow(dead_code)]
mod helpers;

mod api;
mod bench;
mod crash;
mod dovecot;
mod oauth;
mod polling;
mod token_server;

use helpers::TestApp;
use serde_json::Value;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// The secret key of the test servers (32 bytes, base64).
pub const SECRET_KEY: &str = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

/// A server that may reach Dovecot on loopback and trusts its test CA.
pub async fn spawn_for(dovecot: &dovecot::Dovecot) -> TestApp {
    spawn_for_with(dovecot, |_| {}).await
}

/// [`spawn_for`], with settings changed by `adjust`.
pub async fn spawn_for_with(
    dovecot: &dovecot::Dovecot,
    adjust: impl FnOnce(&mut ruad::app::settings::Settings),
) -> TestApp {
    let ca = dovecot.ca_file.display().to_string();
    helpers::spawn_app_with(move |s| {
        s.secret_key = Some(secrecy::SecretString::from(SECRET_KEY.to_string()));
        s.imap_ca_file = ca;
        s.outbound_allow_private = true;
        s.imap_timeout_seconds = 20;
        adjust(s);
    })
    .await
}

/// A corpus email (`shared/corpus/email/NAME`).
pub fn corpus_email(name: &str) -> PathBuf {
    let dir = helpers::corpus_dir().expect(
        "the shared report corpus (RUAD_CORPUS_DIR, or ../shared/corpus beside the repository)",
    );
    let path = dir.join("email").join(name);
    assert!(path.is_file(), "{} is missing", path.display());
    path
}

/// A message that holds no report, written into `dir`.
pub fn not_a_report(dir: &std::path::Path, n: usize) -> PathBuf {
    let path = dir.join(format!("hello-{n}.eml"));
    std::fs::write(
        &path,
        format!(
            "From: someone@example.org\r\nTo: reports@example.net\r\nSubject: lunch {n}\r\n\
             Message-ID: <lunch-{n}@example.org>\r\nDate: Sat, 05 Dec 2026 12:00:00 +0000\r\n\
             Content-Type: text/plain\r\n\r\nAre we still on for lunch?\r\n"
        ),
    )
    .unwrap();
    path
}

/// The mailbox, as the API shows it.
pub async fn mailbox(app: &TestApp, id: &str) -> Value {
    let reply = app
        .get(&format!("/api/v1/mailboxes/{id}"), &app.admin_key)
        .await;
    assert_eq!(reply.status.as_u16(), 200, "{:?}", reply.body);
    reply.body
}

/// Waits until the mailbox has finished `polls` polls; answers it then.
pub async fn wait_for_polls(app: &TestApp, id: &str, polls: i64) -> Value {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let m = mailbox(app, id).await;
        if m["status"]["polls"].as_i64().unwrap() >= polls {
            return m;
        }
        assert!(Instant::now() < deadline, "no poll {polls} in 60 s: {m:#}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Asks for a poll now and waits for it to end; answers the mailbox.
pub async fn poll_now(app: &TestApp, id: &str) -> Value {
    let before = mailbox(app, id).await["status"]["polls"].as_i64().unwrap();
    let reply = app
        .post(
            &format!("/api/v1/mailboxes/{id}/poll"),
            &app.admin_key,
            serde_json::json!({}),
        )
        .await;
    assert_eq!(reply.status.as_u16(), 202, "{:?}", reply.body);
    wait_for_polls(app, id, before + 1).await
}
