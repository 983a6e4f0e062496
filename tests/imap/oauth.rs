//! OAuth2 against Dovecot's `oauth2` passdb: the access token comes from the refresh token
//! at the token endpoint, is cached (sealed) until it expires, and is refreshed once when
//! the server refuses it; XOAUTH2 and OAUTHBEARER.

use crate::dovecot::{Auth, Dovecot, USER};
use crate::token_server::{CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN, TokenServer};
use crate::{corpus_email, poll_now, spawn_for, wait_for_polls};
use serde_json::{Value, json};

#[actix_web::test]
async fn oauth2_tokens_are_refreshed_cached_and_refreshed_again_when_refused() {
    let tokens = TokenServer::start(USER);
    let Some(dovecot) = Dovecot::start(Auth::OAuth2 {
        introspection_url: tokens.url("/introspect"),
    }) else {
        return;
    };
    let app = spawn_for(&dovecot).await;
    app.register_domain("ueber.net").await;
    // Only OAuth2 logins exist here: messages are delivered into the Maildir directly.
    dovecot.deliver(&[
        corpus_email("mox__google.eml"),
        corpus_email("mox__outlook.eml"),
    ]);
    let created = app
        .post(
            "/api/v1/mailboxes",
            &app.admin_key,
            json!({
                "host": "127.0.0.1", "port": dovecot.imap_port, "tls": "starttls",
                "username": USER,
                "auth": {"type": "oauth2", "refresh_token": REFRESH_TOKEN, "client_id": CLIENT_ID,
                         "client_secret": CLIENT_SECRET, "token_endpoint": tokens.url("/token")},
            }),
        )
        .await;
    assert_eq!(created.status.as_u16(), 201, "{:?}", created.body);
    let id = created.body["id"].as_str().unwrap().to_string();
    let m = wait_for_polls(&app, &id, 1).await;
    assert_eq!(
        m["status"]["last_error"],
        Value::Null,
        "{m:#}\n{}",
        dovecot.log()
    );
    assert_eq!(m["status"]["reports_stored"], 2, "{m:#}");
    assert_eq!(tokens.token_requests(), 1);
    {
        let state = tokens.state.lock().unwrap();
        let request = &state.token_requests[0];
        assert_eq!(request["grant_type"], "refresh_token");
        assert_eq!(request["refresh_token"], REFRESH_TOKEN);
        assert_eq!(request["client_id"], CLIENT_ID);
        assert!(state.introspections >= 1);
    }

    // The cached token serves the next poll.
    let m = poll_now(&app, &id).await;
    assert_eq!(m["status"]["last_error"], Value::Null, "{m:#}");
    assert_eq!(tokens.token_requests(), 1);

    // Revoked before it expired: refused once, refreshed, and the poll goes through.
    tokens.revoke_all();
    dovecot.deliver(&[corpus_email("mox__yahoo.eml")]);
    let m = poll_now(&app, &id).await;
    assert_eq!(
        m["status"]["last_error"],
        Value::Null,
        "{m:#}\n{}",
        dovecot.log()
    );
    assert_eq!(tokens.token_requests(), 2);
    assert_eq!(m["status"]["reports_stored"], 3);

    // OAUTHBEARER: new credentials drop the cached token.
    let patched = app
        .send(
            reqwest::Method::PATCH,
            &format!("/api/v1/mailboxes/{id}"),
            Some(&app.admin_key),
            Some(
                json!({"auth": {"type": "oauth2", "refresh_token": REFRESH_TOKEN,
                "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
                "token_endpoint": tokens.url("/token"), "mechanism": "oauthbearer"}}),
            ),
        )
        .await;
    assert_eq!(patched.status.as_u16(), 200, "{:?}", patched.body);
    dovecot.deliver(&[corpus_email("mox__google.eml")]);
    let m = poll_now(&app, &id).await;
    assert_eq!(
        m["status"]["last_error"],
        Value::Null,
        "{m:#}\n{}",
        dovecot.log()
    );
    assert_eq!(tokens.token_requests(), 3);
    assert_eq!(m["status"]["reports_duplicate"], 1);

    // A refresh token the provider refuses: the poll fails with the provider's reason.
    let patched = app
        .send(
            reqwest::Method::PATCH,
            &format!("/api/v1/mailboxes/{id}"),
            Some(&app.admin_key),
            Some(
                json!({"auth": {"type": "oauth2", "refresh_token": "rt-revoked",
                "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
                "token_endpoint": tokens.url("/token")}}),
            ),
        )
        .await;
    assert_eq!(patched.status.as_u16(), 200, "{:?}", patched.body);
    let m = poll_now(&app, &id).await;
    let error = m["status"]["last_error"].as_str().unwrap();
    assert!(error.contains("invalid_grant"), "{error}");
    assert!(!error.contains("rt-revoked"), "{error}");
}
