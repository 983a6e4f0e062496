//! The mailbox API without a mail server: settings checked, secrets write-only and sealed
//! at rest, the secret key required, the public-address rule, pagination.

use crate::helpers::{spawn_app_with, test_database_url};
use crate::{SECRET_KEY, mailbox};
use reqwest::Method;
use serde_json::{Value, json};

const SECRET: &str = "s3cret-app-password";

fn body() -> Value {
    json!({
        "host": "127.0.0.1", "port": 9993,
        "username": "dmarc@example.com",
        "auth": {"type": "password", "password": SECRET},
        "enabled": false,
    })
}

#[actix_web::test]
async fn without_a_secret_key_mailboxes_cannot_be_created() {
    let app = spawn_app_with(|s| {
        s.secret_key = None;
        s.outbound_allow_private = true;
    })
    .await;
    let reply = app.post("/api/v1/mailboxes", &app.admin_key, body()).await;
    reply.assert_problem(501, "not_configured");
    assert!(
        reply.body["detail"]
            .as_str()
            .unwrap()
            .contains("RUAD_SECRET_KEY"),
        "{:?}",
        reply.body
    );
}

#[actix_web::test]
async fn secrets_are_write_only_and_sealed_at_rest() {
    let app = spawn_app_with(|s| {
        s.secret_key = Some(secrecy::SecretString::from(SECRET_KEY.to_string()));
        s.outbound_allow_private = true;
    })
    .await;
    let created = app.post("/api/v1/mailboxes", &app.admin_key, body()).await;
    assert_eq!(created.status.as_u16(), 201, "{:?}", created.body);
    let id = created.body["id"].as_str().unwrap().to_string();
    assert_eq!(created.body["name"], "dmarc@example.com@127.0.0.1");
    assert_eq!(created.body["tls"], "implicit");
    assert_eq!(created.body["folder"], "INBOX");
    assert_eq!(created.body["rejected_folder"], "ruad-rejected");
    assert_eq!(created.body["poll_interval_seconds"], 300);
    assert_eq!(created.body["enabled"], false);
    assert_eq!(created.body["status"]["messages_seen"], 0);
    let oauth = app
        .send(
            Method::PATCH,
            &format!("/api/v1/mailboxes/{id}"),
            Some(&app.admin_key),
            Some(json!({"auth": {
                "type": "oauth2", "refresh_token": "rt-very-secret", "client_id": "cid",
                "client_secret": "cs-very-secret", "token_endpoint": "http://127.0.0.1:1/token",
                "mechanism": "oauthbearer", "scope": "imap"
            }})),
        )
        .await;
    assert_eq!(oauth.status.as_u16(), 200, "{:?}", oauth.body);
    assert_eq!(
        oauth.body["auth"],
        json!({"type": "oauth2", "client_id": "cid", "token_endpoint": "http://127.0.0.1:1/token",
               "mechanism": "oauthbearer", "scope": "imap"})
    );
    for reply in [
        created,
        oauth,
        app.get(&format!("/api/v1/mailboxes/{id}"), &app.admin_key)
            .await,
        app.get("/api/v1/mailboxes", &app.admin_key).await,
    ] {
        let text = String::from_utf8_lossy(&reply.bytes);
        for secret in [SECRET, "rt-very-secret", "cs-very-secret"] {
            assert!(!text.contains(secret), "{secret} answered: {text}");
        }
    }
    // At rest: the database file holds no secret in clear.
    let db = ruad::storage::Db::connect(&app.database_url, 1).unwrap();
    let row = db
        .read(|conn| {
            ruad::storage::mailboxes::find_mailbox(
                conn,
                &ruad::domain::ids::MailboxId::from(id.as_str()),
            )
        })
        .unwrap()
        .unwrap();
    for secret in [SECRET, "rt-very-secret", "cs-very-secret"] {
        assert!(
            !row.secrets_enc
                .windows(secret.len())
                .any(|w| w == secret.as_bytes()),
            "{secret} stored in clear"
        );
    }
    let key = ruad::services::secrets::SecretKey::from_base64(&secrecy::SecretString::from(
        SECRET_KEY.to_string(),
    ))
    .unwrap();
    let opened = key.open(&id, "secrets", &row.secrets_enc).unwrap();
    assert!(secrecy::ExposeSecret::expose_secret(&opened).contains("rt-very-secret"));
    // Bound to its row: the same value under another id does not open.
    assert!(key.open("another-id", "secrets", &row.secrets_enc).is_err());
}

#[actix_web::test]
async fn settings_are_checked() {
    let app = spawn_app_with(|s| {
        s.secret_key = Some(secrecy::SecretString::from(SECRET_KEY.to_string()));
    })
    .await;
    let mut cases: Vec<(Value, &str)> = Vec::new();
    let with = |change: Value| {
        let mut b = body();
        for (k, v) in change.as_object().unwrap() {
            b[k] = v.clone();
        }
        b
    };
    // Loopback is not public (outbound_allow_private is off here).
    cases.push((body(), "not a public address"));
    cases.push((with(json!({"host": "10.0.0.8"})), "not a public address"));
    cases.push((
        with(json!({"host": "mail.localhost"})),
        "not a public address",
    ));
    cases.push((with(json!({"host": "bad host!"})), "host must be"));
    cases.push((
        with(json!({"host": "1.1.1.1", "poll_interval_seconds": 5})),
        "poll_interval_seconds",
    ));
    cases.push((
        with(json!({"host": "1.1.1.1", "rejected_folder": "INBOX"})),
        "rejected_folder",
    ));
    cases.push((
        with(json!({"host": "1.1.1.1", "after": {"action": "move", "folder": "INBOX"}})),
        "after.folder",
    ));
    cases.push((with(json!({"host": "1.1.1.1", "folder": "a\"b"})), "folder"));
    cases.push((
        with(json!({"host": "1.1.1.1", "auth": {"type": "oauth2", "refresh_token": "r",
            "client_id": "c", "client_secret": "s", "token_endpoint": "http://login.example.com/t"}})),
        "token_endpoint",
    ));
    for (body, needle) in cases {
        let reply = app
            .post("/api/v1/mailboxes", &app.admin_key, body.clone())
            .await;
        reply.assert_problem(422, "validation_failed");
        assert!(
            reply.body["detail"].as_str().unwrap().contains(needle),
            "{body}: {:?}",
            reply.body
        );
    }
    // A missing secret, secrets of the other type, unknown fields.
    for (auth, needle) in [
        (json!({"type": "password"}), "auth.password is required"),
        (
            json!({"type": "password", "password": "p", "refresh_token": "r"}),
            "only a password",
        ),
        (
            json!({"type": "oauth2", "refresh_token": "r", "client_id": "c", "client_secret": "s"}),
            "auth.token_endpoint is required",
        ),
    ] {
        let reply = app
            .post(
                "/api/v1/mailboxes",
                &app.admin_key,
                with(json!({"host": "1.1.1.1", "auth": auth})),
            )
            .await;
        reply.assert_problem(422, "validation_failed");
        assert!(
            reply.body["detail"].as_str().unwrap().contains(needle),
            "{:?}",
            reply.body
        );
    }
    let reply = app
        .post(
            "/api/v1/mailboxes",
            &app.admin_key,
            with(json!({"host": "1.1.1.1", "colour": "blue"})),
        )
        .await;
    reply.assert_problem(400, "bad_request");
    // A public address is accepted (disabled: never contacted).
    let ok = app
        .post(
            "/api/v1/mailboxes",
            &app.admin_key,
            with(json!({"host": "1.1.1.1"})),
        )
        .await;
    assert_eq!(ok.status.as_u16(), 201, "{:?}", ok.body);
    let id = ok.body["id"].as_str().unwrap();
    // A disabled mailbox is not polled on request.
    let poll = app
        .post(
            &format!("/api/v1/mailboxes/{id}/poll"),
            &app.admin_key,
            json!({}),
        )
        .await;
    poll.assert_problem(409, "conflict");
    let m = mailbox(&app, id).await;
    assert_eq!(m["host"], "1.1.1.1");
    let deleted = app
        .send(
            Method::DELETE,
            &format!("/api/v1/mailboxes/{id}"),
            Some(&app.admin_key),
            None,
        )
        .await;
    assert_eq!(deleted.status.as_u16(), 204);
    app.get(&format!("/api/v1/mailboxes/{id}"), &app.admin_key)
        .await
        .assert_problem(404, "not_found");
}

#[actix_web::test]
async fn mailboxes_are_listed_in_pages_newest_first() {
    let app = spawn_app_with(|s| {
        s.secret_key = Some(secrecy::SecretString::from(SECRET_KEY.to_string()));
        s.outbound_allow_private = true;
    })
    .await;
    let mut ids = Vec::new();
    for n in 0..5 {
        let mut b = body();
        b["name"] = json!(format!("box {n}"));
        let reply = app.post("/api/v1/mailboxes", &app.admin_key, b).await;
        assert_eq!(reply.status.as_u16(), 201, "{:?}", reply.body);
        ids.push(reply.body["id"].as_str().unwrap().to_string());
    }
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/mailboxes?limit=2&cursor={c}"),
            None => "/api/v1/mailboxes?limit=2".into(),
        };
        let page = app.get(&path, &app.admin_key).await;
        assert_eq!(page.status.as_u16(), 200, "{:?}", page.body);
        for item in page.body["items"].as_array().unwrap() {
            seen.push(item["id"].as_str().unwrap().to_string());
        }
        match page.body["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    let mut expected = ids.clone();
    expected.sort();
    let mut got = seen.clone();
    got.sort();
    assert_eq!(got, expected);
    let _ = test_database_url;
}

#[actix_web::test]
async fn an_enabled_mailbox_has_exactly_one_poll_job() {
    // No job runner: the jobs stay in the table to be counted (and nothing is contacted).
    let app = spawn_app_with(|s| {
        s.secret_key = Some(secrecy::SecretString::from(SECRET_KEY.to_string()));
        s.jobs_enabled = false;
    })
    .await;
    let db = ruad::storage::Db::connect(&app.database_url, 1).unwrap();
    let jobs = || {
        db.read(|conn| {
            ruad::storage::jobs::count_pending(conn, ruad::domain::job::JobKind::PollMailbox)
        })
        .unwrap()
    };
    let mut b = body();
    b["host"] = json!("1.1.1.1");
    let created = app.post("/api/v1/mailboxes", &app.admin_key, b).await;
    assert_eq!(created.status.as_u16(), 201, "{:?}", created.body);
    let id = created.body["id"].as_str().unwrap().to_string();
    assert_eq!(jobs(), 0, "a disabled mailbox is not polled");
    let path = format!("/api/v1/mailboxes/{id}");
    let patch = |enabled: bool| {
        app.send(
            Method::PATCH,
            &path,
            Some(&app.admin_key),
            Some(json!({ "enabled": enabled })),
        )
    };
    assert_eq!(patch(true).await.status.as_u16(), 200);
    assert_eq!(jobs(), 1);
    assert_eq!(patch(true).await.status.as_u16(), 200);
    let poll = app
        .post(
            &format!("/api/v1/mailboxes/{id}/poll"),
            &app.admin_key,
            json!({}),
        )
        .await;
    assert_eq!(poll.status.as_u16(), 202);
    assert_eq!(jobs(), 1, "enabling or polling again adds no second job");
    let deleted = app
        .send(
            Method::DELETE,
            &format!("/api/v1/mailboxes/{id}"),
            Some(&app.admin_key),
            None,
        )
        .await;
    assert_eq!(deleted.status.as_u16(), 204);
    assert_eq!(jobs(), 0, "the waiting job goes with its mailbox");
}
