//! Polling a real Dovecot through the job runner: reports stored, messages moved only after,
//! non-reports rejected (never deleted), counters, nothing read twice, UIDVALIDITY changes,
//! STARTTLS, mark-as-seen and delete.

use crate::dovecot::{Auth, Dovecot, PASSWORD, USER};
use crate::{corpus_email, mailbox, not_a_report, poll_now, spawn_for, wait_for_polls};
use serde_json::{Value, json};

async fn create(app: &crate::helpers::TestApp, body: Value) -> String {
    let reply = app.post("/api/v1/mailboxes", &app.admin_key, body).await;
    assert_eq!(reply.status.as_u16(), 201, "{:?}", reply.body);
    let text = String::from_utf8_lossy(&reply.bytes);
    assert!(
        !text.contains(PASSWORD),
        "the password was answered: {text}"
    );
    reply.body["id"].as_str().unwrap().to_string()
}

fn reports() -> Vec<std::path::PathBuf> {
    [
        "mox__google.eml",
        "mox__outlook.eml",
        "mox__yahoo.eml",
        "mail-auth__100.eml",
    ]
    .into_iter()
    .map(corpus_email)
    .collect()
}

async fn report_count(app: &crate::helpers::TestApp) -> usize {
    let reply = app.get("/api/v1/reports?limit=500", &app.admin_key).await;
    assert_eq!(reply.status.as_u16(), 200, "{:?}", reply.body);
    reply.body["items"].as_array().unwrap().len()
}

#[actix_web::test]
async fn reports_are_stored_before_their_messages_move_and_non_reports_are_rejected() {
    let Some(dovecot) = Dovecot::start(Auth::Password) else {
        return;
    };
    let app = spawn_for(&dovecot).await;
    app.register_domain("ueber.net").await;
    app.register_domain("stalw.art").await;
    let mut inbox = reports();
    inbox.push(not_a_report(dovecot.dir.path(), 1));
    // A report about a domain the tenant did not register.
    inbox.push(corpus_email("parsedmarc__twilight.eml"));
    dovecot.append("INBOX", &inbox);
    assert_eq!(dovecot.count("INBOX"), 6);

    let id = create(
        &app,
        json!({
            "host": "127.0.0.1", "port": dovecot.imaps_port, "tls": "implicit",
            "username": USER, "auth": {"type": "password", "password": PASSWORD},
        }),
    )
    .await;
    let m = wait_for_polls(&app, &id, 1).await;
    let s = &m["status"];
    assert_eq!(s["last_error"], Value::Null, "{m:#}\n{}", dovecot.log());
    assert_eq!(s["messages_seen"], 6, "{m:#}");
    assert_eq!(s["reports_stored"], 4, "{m:#}");
    assert_eq!(s["reports_duplicate"], 0, "{m:#}");
    assert_eq!(s["messages_rejected"], 2, "{m:#}");
    assert!(s["reports_failed"].as_i64().unwrap() >= 1, "{m:#}");
    assert!(s["last_rejection"].is_string(), "{m:#}");
    assert!(s["uidvalidity"].as_i64().unwrap() > 0);
    assert_eq!(s["last_uid"], 6);
    assert_eq!(
        m["after"],
        json!({"action": "move", "folder": "ruad-processed"})
    );
    assert_eq!(m["auth"], json!({"type": "password"}));

    assert_eq!(dovecot.count("INBOX"), 0);
    assert_eq!(dovecot.count("ruad-processed"), 4);
    assert_eq!(dovecot.count("ruad-rejected"), 2);
    assert_eq!(report_count(&app).await, 4);

    // The next poll finds nothing new and reads nothing again.
    let m = poll_now(&app, &id).await;
    assert_eq!(m["status"]["messages_seen"], 6, "{m:#}");
    assert_eq!(m["status"]["last_error"], Value::Null, "{m:#}");

    // A report sent twice is a duplicate: nothing new stored, the message still moved.
    dovecot.append("INBOX", &[corpus_email("mox__google.eml")]);
    let m = poll_now(&app, &id).await;
    let s = &m["status"];
    assert_eq!(s["messages_seen"], 7, "{m:#}");
    assert_eq!(s["reports_stored"], 4);
    assert_eq!(s["reports_duplicate"], 1);
    assert_eq!(dovecot.count("INBOX"), 0);
    assert_eq!(dovecot.count("ruad-processed"), 5);
    assert_eq!(report_count(&app).await, 4);

    // Nothing in the server's own log or answers holds the password.
    let listed = app.get("/api/v1/mailboxes", &app.admin_key).await;
    assert!(!String::from_utf8_lossy(&listed.bytes).contains(PASSWORD));
}

#[actix_web::test]
async fn a_new_uidvalidity_reads_the_folder_again_and_finds_duplicates() {
    let Some(dovecot) = Dovecot::start(Auth::Password) else {
        return;
    };
    let app = spawn_for(&dovecot).await;
    app.register_domain("ueber.net").await;
    let two = vec![
        corpus_email("mox__google.eml"),
        corpus_email("mox__outlook.eml"),
    ];
    dovecot.append("dmarc", &two);
    let id = create(
        &app,
        json!({
            "host": "127.0.0.1", "port": dovecot.imaps_port,
            "username": USER, "auth": {"type": "password", "password": PASSWORD},
            "folder": "dmarc", "after": {"action": "mark_seen"},
        }),
    )
    .await;
    let m = wait_for_polls(&app, &id, 1).await;
    assert_eq!(m["status"]["reports_stored"], 2, "{m:#}\n{}", dovecot.log());
    assert_eq!(dovecot.count("dmarc"), 2, "marked, not moved");
    assert_eq!(dovecot.client(&["seen", "dmarc"]).trim(), "2");
    let first = dovecot.uidvalidity("dmarc");
    assert_eq!(m["status"]["uidvalidity"], first);

    // Still there, but dealt with: not read again.
    let m = poll_now(&app, &id).await;
    assert_eq!(m["status"]["messages_seen"], 2, "{m:#}");

    // The folder is made anew (a new UIDVALIDITY) with the same messages.
    dovecot.client(&["recreate", "dmarc"]);
    dovecot.append("dmarc", &two);
    let second = dovecot.uidvalidity("dmarc");
    assert_ne!(first, second);
    let m = poll_now(&app, &id).await;
    let s = &m["status"];
    assert_eq!(s["uidvalidity"], second, "{m:#}");
    assert_eq!(s["uidvalidity_resets"], 1, "{m:#}");
    assert_eq!(s["messages_seen"], 4, "{m:#}");
    assert_eq!(s["reports_stored"], 2);
    assert_eq!(s["reports_duplicate"], 2);
    assert_eq!(s["last_uid"], 2);
}

#[actix_web::test]
async fn starttls_and_delete_after_storing() {
    let Some(dovecot) = Dovecot::start(Auth::Password) else {
        return;
    };
    let app = spawn_for(&dovecot).await;
    app.register_domain("stalw.art").await;
    dovecot.append(
        "INBOX",
        &[
            corpus_email("mail-auth__100.eml"),
            corpus_email("mail-auth__104.eml"),
            not_a_report(dovecot.dir.path(), 2),
        ],
    );
    let id = create(
        &app,
        json!({
            "host": "127.0.0.1", "port": dovecot.imap_port, "tls": "starttls",
            "username": USER, "auth": {"type": "password", "password": PASSWORD},
            "after": {"action": "delete"}, "rejected_folder": "Junk/ruad",
        }),
    )
    .await;
    let m = wait_for_polls(&app, &id, 1).await;
    let s = &m["status"];
    assert_eq!(s["last_error"], Value::Null, "{m:#}\n{}", dovecot.log());
    assert_eq!(s["reports_stored"], 2, "{m:#}");
    assert_eq!(s["messages_rejected"], 1, "{m:#}");
    assert_eq!(dovecot.count("INBOX"), 0);
    // The message without a report is kept, in the rejected folder.
    assert_eq!(dovecot.count("Junk/ruad"), 1);
}

#[actix_web::test]
async fn a_wrong_password_is_recorded_and_nothing_moves() {
    let Some(dovecot) = Dovecot::start(Auth::Password) else {
        return;
    };
    let app = spawn_for(&dovecot).await;
    app.register_domain("ueber.net").await;
    dovecot.append("INBOX", &[corpus_email("mox__google.eml")]);
    let id = create(
        &app,
        json!({
            "host": "127.0.0.1", "port": dovecot.imaps_port,
            "username": USER, "auth": {"type": "password", "password": "wrong"},
        }),
    )
    .await;
    let m = wait_for_polls(&app, &id, 1).await;
    let error = m["status"]["last_error"].as_str().unwrap();
    assert!(error.contains("refused the login"), "{error}");
    assert!(!error.contains("wrong"), "{error}");
    assert_eq!(m["status"]["messages_seen"], 0);
    assert_eq!(dovecot.count("INBOX"), 1);
    // New credentials: the next poll goes through.
    let reply = app
        .send(
            reqwest::Method::PATCH,
            &format!("/api/v1/mailboxes/{id}"),
            Some(&app.admin_key),
            Some(json!({"auth": {"type": "password", "password": PASSWORD}})),
        )
        .await;
    assert_eq!(reply.status.as_u16(), 200, "{:?}", reply.body);
    let m = poll_now(&app, &id).await;
    assert_eq!(m["status"]["last_error"], Value::Null, "{m:#}");
    assert_eq!(m["status"]["reports_stored"], 1);
    assert_eq!(dovecot.count("INBOX"), 0);
    let _ = mailbox(&app, &id).await;
}

#[actix_web::test]
async fn a_message_over_the_upload_limit_is_rejected_unread() {
    let Some(dovecot) = Dovecot::start(Auth::Password) else {
        return;
    };
    let app = crate::spawn_for_with(&dovecot, |s| s.max_upload_bytes = 16 * 1024).await;
    app.register_domain("example.com").await;
    app.register_domain("ueber.net").await;
    let big = corpus_email("synthetic__microsoft!example.com!2000rec.eml");
    assert!(std::fs::metadata(&big).unwrap().len() > 16 * 1024);
    dovecot.append("INBOX", &[big, corpus_email("mox__google.eml")]);
    let id = create(
        &app,
        json!({
            "host": "127.0.0.1", "port": dovecot.imaps_port,
            "username": USER, "auth": {"type": "password", "password": PASSWORD},
        }),
    )
    .await;
    let m = wait_for_polls(&app, &id, 1).await;
    let s = &m["status"];
    assert_eq!(s["last_error"], Value::Null, "{m:#}");
    assert_eq!(s["messages_rejected"], 1, "{m:#}");
    assert_eq!(s["reports_stored"], 1, "{m:#}");
    let why = s["last_rejection"].as_str().unwrap();
    assert!(
        why.contains("over the upload limit of 16384 bytes"),
        "{why}"
    );
    assert_eq!(dovecot.count("ruad-rejected"), 1);
    assert_eq!(dovecot.count("ruad-processed"), 1);
}

#[actix_web::test]
async fn with_idle_new_mail_is_read_as_it_arrives() {
    let Some(dovecot) = Dovecot::start(Auth::Password) else {
        return;
    };
    let app = crate::spawn_for_with(&dovecot, |s| s.imap_idle_seconds = 60).await;
    app.register_domain("ueber.net").await;
    dovecot.append("INBOX", &[corpus_email("mox__google.eml")]);
    let id = create(
        &app,
        json!({
            "host": "127.0.0.1", "port": dovecot.imaps_port,
            "username": USER, "auth": {"type": "password", "password": PASSWORD},
        }),
    )
    .await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while mailbox(&app, &id).await["status"]["messages_seen"] != 1 {
        assert!(
            std::time::Instant::now() < deadline,
            "first message not read"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    // The poll now idles; new mail is read within seconds, not after the 300 s interval,
    // and within the same poll.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    dovecot.append("INBOX", &[corpus_email("mox__outlook.eml")]);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let m = mailbox(&app, &id).await;
        if m["status"]["messages_seen"] == 2 {
            assert_eq!(m["status"]["reports_stored"], 2, "{m:#}");
            assert_eq!(m["status"]["polls"], 0, "still the first poll: {m:#}");
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "new mail not read during IDLE: {m:#}\n{}",
            dovecot.log()
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(dovecot.count("INBOX"), 0);
}
