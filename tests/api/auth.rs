//! Every operation of the spec against missing, forged, expired, mis-addressed and unsigned
//! credentials, and against another tenant's resources. A coverage test fails when an
//! operation is missing from the table. The public endpoints are listed by hand.

use crate::helpers::{JWT_SECRET, TestApp, fixture, spawn_app};
use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// Operations that need no credentials.
const PUBLIC: &[(&str, &str)] = &[
    ("get", "/healthz"),
    ("get", "/readyz"),
    ("get", "/metrics"),
    ("post", "/api/v1/tlsrpt/{ingest_token}"),
];

/// Resources owned by a victim tenant, and an attacker in a sibling tenant.
struct World {
    victim_tenant: String,
    victim_key_id: String,
    victim_report: String,
    victim_issue: String,
    victim_webhook: String,
    victim_failure: String,
    victim_mailbox: String,
    victim_digest: String,
    attacker_key: String,
}

/// (method, path template, concrete path with the victim's resources, body).
fn table(w: &World) -> Vec<(&'static str, &'static str, String, Option<Value>)> {
    let t = &w.victim_tenant;
    vec![
        (
            "post",
            "/api/v1/auth/token",
            "/api/v1/auth/token".into(),
            Some(json!({"tenant_id": t})),
        ),
        (
            "post",
            "/api/v1/tenants",
            "/api/v1/tenants".into(),
            Some(json!({"name": "x", "parent_id": t})),
        ),
        ("get", "/api/v1/tenants", "/api/v1/tenants".into(), None),
        (
            "get",
            "/api/v1/tenants/{tenant_id}",
            format!("/api/v1/tenants/{t}"),
            None,
        ),
        (
            "patch",
            "/api/v1/tenants/{tenant_id}",
            format!("/api/v1/tenants/{t}"),
            Some(json!({"name": "pwned"})),
        ),
        (
            "delete",
            "/api/v1/tenants/{tenant_id}",
            format!("/api/v1/tenants/{t}"),
            None,
        ),
        (
            "post",
            "/api/v1/tenants/{tenant_id}/api-keys",
            format!("/api/v1/tenants/{t}/api-keys"),
            Some(json!({"name": "x", "role": "admin"})),
        ),
        (
            "get",
            "/api/v1/tenants/{tenant_id}/api-keys",
            format!("/api/v1/tenants/{t}/api-keys"),
            None,
        ),
        (
            "delete",
            "/api/v1/tenants/{tenant_id}/api-keys/{key_id}",
            format!("/api/v1/tenants/{t}/api-keys/{}", w.victim_key_id),
            None,
        ),
        (
            "post",
            "/api/v1/domains",
            "/api/v1/domains".into(),
            Some(json!({"name": "new.example", "tenant_id": t})),
        ),
        ("get", "/api/v1/domains", "/api/v1/domains".into(), None),
        (
            "get",
            "/api/v1/domains/{domain}",
            "/api/v1/domains/foo-bar.io".into(),
            None,
        ),
        (
            "delete",
            "/api/v1/domains/{domain}",
            "/api/v1/domains/foo-bar.io".into(),
            None,
        ),
        (
            "post",
            "/api/v1/domains/{domain}/ingest-token",
            "/api/v1/domains/foo-bar.io/ingest-token".into(),
            None,
        ),
        (
            "get",
            "/api/v1/intake",
            format!("/api/v1/intake?tenant_id={t}"),
            None,
        ),
        (
            "patch",
            "/api/v1/intake",
            format!("/api/v1/intake?tenant_id={t}"),
            Some(json!({"auto_register_domains": true})),
        ),
        (
            "post",
            "/api/v1/intake/rotate",
            format!("/api/v1/intake/rotate?tenant_id={t}"),
            None,
        ),
        (
            "get",
            "/api/v1/domains/{domain}/intake",
            "/api/v1/domains/foo-bar.io/intake".into(),
            None,
        ),
        (
            "post",
            "/api/v1/domains/{domain}/intake/rotate",
            "/api/v1/domains/foo-bar.io/intake/rotate".into(),
            None,
        ),
        ("post", "/api/v1/reports", "/api/v1/reports".into(), None),
        (
            "post",
            "/api/v1/reports/files",
            "/api/v1/reports/files".into(),
            None,
        ),
        ("get", "/api/v1/reports", "/api/v1/reports".into(), None),
        (
            "get",
            "/api/v1/reports/{report_id}",
            format!("/api/v1/reports/{}", w.victim_report),
            None,
        ),
        (
            "get",
            "/api/v1/reports/{report_id}/raw",
            format!("/api/v1/reports/{}/raw", w.victim_report),
            None,
        ),
        (
            "get",
            "/api/v1/reports/{report_id}/records",
            format!("/api/v1/reports/{}/records", w.victim_report),
            None,
        ),
        (
            "get",
            "/api/v1/domains/{domain}/records",
            "/api/v1/domains/foo-bar.io/records".into(),
            None,
        ),
        (
            "delete",
            "/api/v1/reports/{report_id}",
            format!("/api/v1/reports/{}", w.victim_report),
            None,
        ),
        (
            "get",
            "/api/v1/domains/{domain}/dmarc/by-result",
            "/api/v1/domains/foo-bar.io/dmarc/by-result".into(),
            None,
        ),
        (
            "get",
            "/api/v1/domains/{domain}/dmarc/by-source",
            "/api/v1/domains/foo-bar.io/dmarc/by-source".into(),
            None,
        ),
        (
            "get",
            "/api/v1/domains/{domain}/dmarc/by-service",
            "/api/v1/domains/foo-bar.io/dmarc/by-service".into(),
            None,
        ),
        (
            "get",
            "/api/v1/domains/{domain}/enforcement-readiness",
            "/api/v1/domains/foo-bar.io/enforcement-readiness".into(),
            None,
        ),
        (
            "get",
            "/api/v1/domains/{domain}/tls/by-result",
            "/api/v1/domains/foo-bar.io/tls/by-result".into(),
            None,
        ),
        (
            "get",
            "/api/v1/domains/{domain}/tls/by-source",
            "/api/v1/domains/foo-bar.io/tls/by-source".into(),
            None,
        ),
        (
            "post",
            "/api/v1/query/dmarc",
            "/api/v1/query/dmarc".into(),
            Some(json!({"domains": ["foo-bar.io"], "group_by": ["source_ip"]})),
        ),
        (
            "post",
            "/api/v1/query/tls",
            "/api/v1/query/tls".into(),
            Some(json!({"domains": ["foo-bar.io"], "group_by": ["reporter"]})),
        ),
        (
            "get",
            "/api/v1/domains/{domain}/timeseries",
            "/api/v1/domains/foo-bar.io/timeseries?kind=dmarc".into(),
            None,
        ),
        (
            "get",
            "/api/v1/domains/{domain}/document",
            "/api/v1/domains/foo-bar.io/document?format=pdf".into(),
            None,
        ),
        (
            "get",
            "/api/v1/portfolio/document",
            "/api/v1/portfolio/document?format=pdf".into(),
            None,
        ),
        (
            "get",
            "/api/v1/reports/{report_id}/document",
            format!("/api/v1/reports/{}/document", w.victim_report),
            None,
        ),
        (
            "post",
            "/api/v1/domains/{domain}/dns-checks",
            "/api/v1/domains/foo-bar.io/dns-checks".into(),
            None,
        ),
        (
            "get",
            "/api/v1/domains/{domain}/dns-checks",
            "/api/v1/domains/foo-bar.io/dns-checks".into(),
            None,
        ),
        (
            "get",
            "/api/v1/domains/{domain}/dns-checks/history",
            "/api/v1/domains/foo-bar.io/dns-checks/history?kind=dmarc".into(),
            None,
        ),
        ("get", "/api/v1/issues", "/api/v1/issues".into(), None),
        (
            "get",
            "/api/v1/issues/{issue_id}",
            format!("/api/v1/issues/{}", w.victim_issue),
            None,
        ),
        (
            "patch",
            "/api/v1/issues/{issue_id}",
            format!("/api/v1/issues/{}", w.victim_issue),
            Some(json!({"status": "acknowledged"})),
        ),
        (
            "get",
            "/api/v1/domains/{domain}/issues",
            "/api/v1/domains/foo-bar.io/issues".into(),
            None,
        ),
        (
            "post",
            "/api/v1/domains/{domain}/issues/evaluate",
            "/api/v1/domains/foo-bar.io/issues/evaluate".into(),
            None,
        ),
        (
            "get",
            "/api/v1/domains/{domain}/failures",
            "/api/v1/domains/foo-bar.io/failures".into(),
            None,
        ),
        (
            "get",
            "/api/v1/domains/{domain}/failures/summary",
            "/api/v1/domains/foo-bar.io/failures/summary".into(),
            None,
        ),
        (
            "get",
            "/api/v1/domains/{domain}/failures/{failure_id}",
            format!("/api/v1/domains/foo-bar.io/failures/{}", w.victim_failure),
            None,
        ),
        (
            "delete",
            "/api/v1/domains/{domain}/failures/{failure_id}",
            format!("/api/v1/domains/foo-bar.io/failures/{}", w.victim_failure),
            None,
        ),
        (
            "get",
            "/api/v1/tenants/{tenant_id}/failure-settings",
            format!("/api/v1/tenants/{t}/failure-settings"),
            None,
        ),
        (
            "patch",
            "/api/v1/tenants/{tenant_id}/failure-settings",
            format!("/api/v1/tenants/{t}/failure-settings"),
            Some(json!({"failure_report_privacy": "full"})),
        ),
        (
            "get",
            "/api/v1/portfolio",
            format!("/api/v1/portfolio?tenant={t}"),
            None,
        ),
        (
            "get",
            "/api/v1/tenants/{tenant_id}/branding",
            format!("/api/v1/tenants/{t}/branding"),
            None,
        ),
        (
            "put",
            "/api/v1/tenants/{tenant_id}/branding",
            format!("/api/v1/tenants/{t}/branding"),
            Some(json!({"display_name": "Stolen"})),
        ),
        (
            "delete",
            "/api/v1/tenants/{tenant_id}/branding",
            format!("/api/v1/tenants/{t}/branding"),
            None,
        ),
        (
            "get",
            "/api/v1/tenants/{tenant_id}/retention",
            format!("/api/v1/tenants/{t}/retention"),
            None,
        ),
        (
            "put",
            "/api/v1/tenants/{tenant_id}/retention",
            format!("/api/v1/tenants/{t}/retention"),
            Some(json!({"records_days": 1, "rollups_days": 1})),
        ),
        (
            "delete",
            "/api/v1/tenants/{tenant_id}/retention",
            format!("/api/v1/tenants/{t}/retention"),
            None,
        ),
        (
            "post",
            "/api/v1/webhooks",
            "/api/v1/webhooks".into(),
            Some(
                json!({"url": "https://hooks.example.com/x", "events": ["report.received"], "tenant_id": t}),
            ),
        ),
        ("get", "/api/v1/webhooks", "/api/v1/webhooks".into(), None),
        (
            "get",
            "/api/v1/webhooks/{webhook_id}",
            format!("/api/v1/webhooks/{}", w.victim_webhook),
            None,
        ),
        (
            "patch",
            "/api/v1/webhooks/{webhook_id}",
            format!("/api/v1/webhooks/{}", w.victim_webhook),
            Some(json!({"url": "https://attacker.example.net/steal"})),
        ),
        (
            "delete",
            "/api/v1/webhooks/{webhook_id}",
            format!("/api/v1/webhooks/{}", w.victim_webhook),
            None,
        ),
        (
            "post",
            "/api/v1/webhooks/{webhook_id}/rotate-secret",
            format!("/api/v1/webhooks/{}/rotate-secret", w.victim_webhook),
            None,
        ),
        (
            "post",
            "/api/v1/webhooks/{webhook_id}/test",
            format!("/api/v1/webhooks/{}/test", w.victim_webhook),
            None,
        ),
        (
            "get",
            "/api/v1/webhooks/{webhook_id}/deliveries",
            format!("/api/v1/webhooks/{}/deliveries", w.victim_webhook),
            None,
        ),
        (
            "post",
            "/api/v1/mailboxes",
            "/api/v1/mailboxes".into(),
            Some(json!({"host": "1.1.1.1", "username": "u", "enabled": false,
                "auth": {"type": "password", "password": "p"}, "tenant_id": t})),
        ),
        ("get", "/api/v1/mailboxes", "/api/v1/mailboxes".into(), None),
        (
            "get",
            "/api/v1/mailboxes/{mailbox_id}",
            format!("/api/v1/mailboxes/{}", w.victim_mailbox),
            None,
        ),
        (
            "patch",
            "/api/v1/mailboxes/{mailbox_id}",
            format!("/api/v1/mailboxes/{}", w.victim_mailbox),
            Some(json!({"host": "1.0.0.1"})),
        ),
        (
            "delete",
            "/api/v1/mailboxes/{mailbox_id}",
            format!("/api/v1/mailboxes/{}", w.victim_mailbox),
            None,
        ),
        (
            "post",
            "/api/v1/mailboxes/{mailbox_id}/poll",
            format!("/api/v1/mailboxes/{}/poll", w.victim_mailbox),
            None,
        ),
        (
            "post",
            "/api/v1/digests",
            "/api/v1/digests".into(),
            Some(
                json!({"recipients": ["a@example.com"], "frequency": "weekly", "day": 1,
                "hour": 8, "tenant_id": t}),
            ),
        ),
        ("get", "/api/v1/digests", "/api/v1/digests".into(), None),
        (
            "get",
            "/api/v1/digests/{digest_id}",
            format!("/api/v1/digests/{}", w.victim_digest),
            None,
        ),
        (
            "patch",
            "/api/v1/digests/{digest_id}",
            format!("/api/v1/digests/{}", w.victim_digest),
            Some(json!({"recipients": ["attacker@example.net"]})),
        ),
        (
            "delete",
            "/api/v1/digests/{digest_id}",
            format!("/api/v1/digests/{}", w.victim_digest),
            None,
        ),
        (
            "post",
            "/api/v1/digests/{digest_id}/send",
            format!("/api/v1/digests/{}/send", w.victim_digest),
            None,
        ),
        (
            "get",
            "/api/v1/digests/{digest_id}/deliveries",
            format!("/api/v1/digests/{}/deliveries", w.victim_digest),
            None,
        ),
        // Not tenant resources: the same answer for everyone.
        (
            "get",
            "/api/v1/dns/{kind}/check",
            "/api/v1/dns/dmarc/check?domain=example.com".into(),
            None,
        ),
        (
            "post",
            "/api/v1/dns/spf/evaluate",
            "/api/v1/dns/spf/evaluate".into(),
            Some(json!({"ip": "192.0.2.1", "sender": "a@example.com"})),
        ),
        (
            "post",
            "/api/v1/dns/dmarc/generate",
            "/api/v1/dns/dmarc/generate".into(),
            Some(json!({"domain": "example.com", "p": "reject"})),
        ),
        (
            "post",
            "/api/v1/dns/spf/generate",
            "/api/v1/dns/spf/generate".into(),
            Some(json!({"domain": "example.com", "ip4": ["192.0.2.0/24"]})),
        ),
        (
            "post",
            "/api/v1/dns/dkim/generate",
            "/api/v1/dns/dkim/generate".into(),
            Some(json!({"domain": "example.com", "selector": "s1", "key_type": "ed25519"})),
        ),
        (
            "post",
            "/api/v1/dns/bimi/generate",
            "/api/v1/dns/bimi/generate".into(),
            Some(json!({"domain": "example.com"})),
        ),
        (
            "post",
            "/api/v1/dns/mta_sts/generate",
            "/api/v1/dns/mta_sts/generate".into(),
            Some(json!({"domain": "example.com", "mode": "testing", "mx": ["mx.example.com"]})),
        ),
        (
            "post",
            "/api/v1/dns/tlsrpt/generate",
            "/api/v1/dns/tlsrpt/generate".into(),
            Some(json!({"domain": "example.com", "rua": ["mailto:tlsrpt@example.com"]})),
        ),
    ]
}

fn method(m: &str) -> Method {
    Method::from_bytes(m.to_ascii_uppercase().as_bytes()).unwrap()
}

fn jwt(secret: &str, header: Header, claims: Value) -> String {
    encode(
        &header,
        &claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap()
}

fn claims(tenant: &str, key_id: &str, aud: &str, exp_offset: i64) -> Value {
    let now = chrono::Utc::now().timestamp();
    json!({"sub": key_id, "tid": tenant, "role": "admin", "aud": aud, "iss": "ruad", "iat": now, "nbf": now, "exp": now + exp_offset, "jti": uuid::Uuid::new_v4().to_string()})
}

async fn world(app: &TestApp) -> World {
    let (victim_tenant, victim_key) = app.child_tenant("victim").await;
    let (_, attacker_key) = app.child_tenant("attacker").await;
    let keys = app
        .get(
            &format!("/api/v1/tenants/{victim_tenant}/api-keys"),
            &victim_key,
        )
        .await;
    let victim_key_id = keys.body["items"][0]["id"].as_str().unwrap().to_string();
    let domain = app
        .post(
            "/api/v1/domains",
            &victim_key,
            json!({"name": "foo-bar.io"}),
        )
        .await;
    assert_eq!(domain.status, StatusCode::CREATED);
    let upload = app
        .upload(
            &victim_key,
            fixture("001-rfc7489-google.xml"),
            "application/xml",
        )
        .await;
    let victim_report = upload.body["reports"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    // The victim's report is old: evaluating finds that reports stopped.
    let evaluated = app
        .post(
            "/api/v1/domains/foo-bar.io/issues/evaluate",
            &victim_key,
            json!({}),
        )
        .await;
    assert_eq!(evaluated.status, StatusCode::OK, "{:?}", evaluated.body);
    let victim_issue = evaluated.body["issues"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let webhook = app
        .post(
            "/api/v1/webhooks",
            &victim_key,
            json!({"url": "https://hooks.example.com/victim", "events": ["report.received"]}),
        )
        .await;
    assert_eq!(webhook.status, StatusCode::CREATED, "{:?}", webhook.body);
    let victim_webhook = webhook.body["id"].as_str().unwrap().to_string();
    let failure = app
        .upload(
            &victim_key,
            crate::failures::failure_report("foo-bar.io", "192.0.2.7", "victim@foo-bar.io", 1),
            "message/rfc822",
        )
        .await;
    assert_eq!(failure.status, StatusCode::CREATED, "{:?}", failure.body);
    let victim_failure = failure.body["reports"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let mailbox = app
        .post(
            "/api/v1/mailboxes",
            &victim_key,
            json!({"host": "1.1.1.1", "username": "victim", "enabled": false,
                "auth": {"type": "password", "password": "victim-password"}}),
        )
        .await;
    assert_eq!(mailbox.status, StatusCode::CREATED, "{:?}", mailbox.body);
    let victim_mailbox = mailbox.body["id"].as_str().unwrap().to_string();
    let digest = app
        .post(
            "/api/v1/digests",
            &victim_key,
            json!({"domain": "foo-bar.io", "recipients": ["victim@foo-bar.io"],
                "frequency": "weekly", "day": 1, "hour": 8}),
        )
        .await;
    assert_eq!(digest.status, StatusCode::CREATED, "{:?}", digest.body);
    let victim_digest = digest.body["id"].as_str().unwrap().to_string();
    World {
        victim_tenant,
        victim_key_id,
        victim_report,
        victim_issue,
        victim_webhook,
        victim_failure,
        victim_mailbox,
        victim_digest,
        attacker_key,
    }
}

#[actix_web::test]
async fn every_protected_operation_refuses_bad_credentials() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let now = chrono::Utc::now().timestamp();
    let unsigned = {
        use base64::Engine;
        let b64 =
            |v: &Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string());
        format!(
            "{}.{}.",
            b64(&json!({"alg": "none", "typ": "JWT"})),
            b64(&claims(&app.tenant_id, "k", "ruad-api", 600))
        )
    };
    let bad: Vec<(&str, Option<String>)> = vec![
        ("no token", None),
        ("unknown api key", Some("ruad_not-a-real-key".into())),
        (
            "bad signature",
            Some(jwt(
                "another-secret-another-secret-another",
                Header::new(Algorithm::HS256),
                claims(&app.tenant_id, "k", "ruad-api", 600),
            )),
        ),
        (
            "expired",
            Some(jwt(
                JWT_SECRET,
                Header::new(Algorithm::HS256),
                claims(&app.tenant_id, "k", "ruad-api", -3600),
            )),
        ),
        (
            "wrong audience",
            Some(jwt(
                JWT_SECRET,
                Header::new(Algorithm::HS256),
                claims(&app.tenant_id, "k", "other-api", 600),
            )),
        ),
        ("alg none", Some(unsigned)),
        (
            "never issued",
            Some(jwt(
                JWT_SECRET,
                Header::new(Algorithm::HS256),
                claims(&app.tenant_id, "k", "ruad-api", 600),
            )),
        ),
        (
            "not yet valid",
            Some(jwt(JWT_SECRET, Header::new(Algorithm::HS256), {
                let mut c = claims(&app.tenant_id, "k", "ruad-api", 7200);
                c["nbf"] = json!(now + 3600);
                c
            })),
        ),
    ];
    for (m, template, path, body) in table(&w) {
        for (what, token) in &bad {
            let reply = app
                .send(method(m), &path, token.as_deref(), body.clone())
                .await;
            assert_eq!(
                reply.status,
                StatusCode::UNAUTHORIZED,
                "{m} {template} with {what}: {:?}",
                reply.body
            );
            reply.assert_problem(401, "unauthenticated");
        }
    }
}

#[actix_web::test]
async fn another_tenants_resources_are_not_found() {
    let app = spawn_app().await;
    let w = world(&app).await;
    for (m, template, path, body) in table(&w) {
        let reply = app
            .send(method(m), &path, Some(&w.attacker_key), body.clone())
            .await;
        match (m, template) {
            // Collections answer with the caller's own (empty) subtree.
            (
                "get",
                "/api/v1/tenants"
                | "/api/v1/domains"
                | "/api/v1/reports"
                | "/api/v1/issues"
                | "/api/v1/webhooks"
                | "/api/v1/mailboxes"
                | "/api/v1/digests"
                | "/api/v1/portfolio/document",
            ) => {
                assert_eq!(reply.status, StatusCode::OK);
                let text = String::from_utf8_lossy(&reply.bytes);
                assert!(
                    !text.contains(&w.victim_tenant) && !text.contains("foo-bar.io"),
                    "{template} leaked: {text}"
                );
            }
            // An upload is filed under the uploader's own domains only.
            ("post", "/api/v1/reports") => {
                let reply = app
                    .upload(
                        &w.attacker_key,
                        fixture("001-rfc7489-google.xml"),
                        "application/xml",
                    )
                    .await;
                reply.assert_problem(422, "domain_not_registered");
            }
            ("post", "/api/v1/reports/files") => {
                let form = reqwest::multipart::Form::new().part(
                    "files",
                    reqwest::multipart::Part::bytes(fixture("001-rfc7489-google.xml"))
                        .file_name("report.xml"),
                );
                let reply = crate::helpers::into_reply(
                    app.client
                        .post(format!("{}/api/v1/reports/files", app.address))
                        .bearer_auth(&w.attacker_key)
                        .multipart(form)
                        .send()
                        .await
                        .unwrap(),
                )
                .await;
                reply.assert_problem(422, "domain_not_registered");
            }
            // DNS tools hold no tenant data: they work for any caller.
            (_, t) if t.starts_with("/api/v1/dns/") => {
                assert_eq!(reply.status, StatusCode::OK, "{template}: {:?}", reply.body);
            }
            _ => reply.assert_problem(404, "not_found"),
        }
    }
    // Nothing of the victim's changed.
    let report = app
        .get(
            &format!("/api/v1/reports/{}", w.victim_report),
            &app.admin_key,
        )
        .await;
    assert_eq!(report.status, StatusCode::OK);
    let webhook = app
        .get(
            &format!("/api/v1/webhooks/{}", w.victim_webhook),
            &app.admin_key,
        )
        .await;
    assert_eq!(webhook.status, StatusCode::OK);
    assert_eq!(webhook.body["url"], "https://hooks.example.com/victim");
    assert_eq!(webhook.body["enabled"], true);
    let mailbox = app
        .get(
            &format!("/api/v1/mailboxes/{}", w.victim_mailbox),
            &app.admin_key,
        )
        .await;
    assert_eq!(mailbox.status, StatusCode::OK);
    assert_eq!(mailbox.body["host"], "1.1.1.1");
    let digest = app
        .get(
            &format!("/api/v1/digests/{}", w.victim_digest),
            &app.admin_key,
        )
        .await;
    assert_eq!(digest.status, StatusCode::OK);
    assert_eq!(digest.body["recipients"], json!(["victim@foo-bar.io"]));
}

#[actix_web::test]
async fn the_table_covers_every_operation_of_the_spec() {
    let spec = ruad::api::openapi();
    let w = World {
        victim_tenant: String::new(),
        victim_key_id: String::new(),
        victim_report: String::new(),
        victim_issue: String::new(),
        victim_webhook: String::new(),
        victim_failure: String::new(),
        victim_mailbox: String::new(),
        victim_digest: String::new(),
        attacker_key: String::new(),
    };
    let listed: Vec<(String, String)> = table(&w)
        .into_iter()
        .map(|(m, t, _, _)| (m.to_string(), t.to_string()))
        .collect();
    let mut missing = Vec::new();
    let mut count = 0;
    let doc = serde_json::to_value(&spec).unwrap();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for m in ["get", "post", "put", "patch", "delete"] {
            let Some(op) = item.get(m) else { continue };
            count += 1;
            let key = (m.to_string(), path.clone());
            let public = PUBLIC.contains(&(m, path.as_str()));
            if public == listed.contains(&key) {
                missing.push(format!("{m} {path}"));
            }
            // Protected operations declare the bearer scheme; public ones do not.
            assert_eq!(
                op.get("security").is_some(),
                !public,
                "{m} {path}: security declaration"
            );
        }
    }
    assert!(
        missing.is_empty(),
        "operations missing from (or listed twice in) the auth table: {missing:?}"
    );
    assert_eq!(count, listed.len() + PUBLIC.len());
}
