//! Webhooks end to end: a receiver on loopback gets signed deliveries from the real job
//! worker; failures are retried with backoff and end `failed` after the last attempt; URLs
//! obey the outbound rule at creation and at delivery; tenants see their own webhooks and
//! those of their descendants' events only.

use crate::dns_server;
use crate::helpers::{TestApp, fixture, spawn_app_with};
use crate::reports::report_xml;
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use hmac::{Hmac, Mac};
use reqwest::{Method, StatusCode};
use ruad::app::settings::Settings;
use serde_json::{Value, json};
use sha2::Sha256;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One request the receiver got.
#[derive(Debug, Clone)]
pub(crate) struct Received {
    headers: HashMap<String, String>,
    body: Vec<u8>,
}

impl Received {
    pub(crate) fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .map(String::as_str)
            .unwrap_or_default()
    }

    pub(crate) fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap()
    }
}

#[derive(Default)]
struct ReceiverState {
    requests: Mutex<Vec<Received>>,
    /// Answer 500 to this many requests before answering 200.
    fail_first: AtomicUsize,
}

/// A webhook receiver on 127.0.0.1 that records every request.
pub(crate) struct Receiver {
    port: u16,
    state: Arc<ReceiverState>,
}

impl Receiver {
    /// `fail_first`: how many requests get a 500 first (`usize::MAX`: all of them).
    pub(crate) fn start(fail_first: usize) -> Receiver {
        let state = Arc::new(ReceiverState {
            fail_first: AtomicUsize::new(fail_first),
            ..Default::default()
        });
        let shared = web::Data::from(state.clone());
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = HttpServer::new(move || {
            App::new()
                .app_data(shared.clone())
                .default_service(web::to(record))
        })
        .workers(1)
        .listen(listener)
        .unwrap()
        .run();
        actix_web::rt::spawn(server);
        Receiver { port, state }
    }

    pub(crate) fn url(&self) -> String {
        format!("http://127.0.0.1:{}/hook", self.port)
    }

    pub(crate) fn requests(&self) -> Vec<Received> {
        self.state.requests.lock().unwrap().clone()
    }

    /// Waits until at least `n` requests arrived; returns them all.
    pub(crate) async fn wait_for(&self, n: usize) -> Vec<Received> {
        for _ in 0..300 {
            let got = self.requests();
            if got.len() >= n {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!(
            "the receiver got {} requests, not {n}",
            self.requests().len()
        );
    }
}

async fn record(
    req: HttpRequest,
    body: web::Bytes,
    state: web::Data<ReceiverState>,
) -> HttpResponse {
    let headers = req
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_string(),
                v.to_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    state.requests.lock().unwrap().push(Received {
        headers,
        body: body.to_vec(),
    });
    let fail = state
        .fail_first
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| match n {
            0 => None,
            usize::MAX => Some(usize::MAX),
            n => Some(n - 1),
        })
        .is_ok();
    if fail {
        HttpResponse::InternalServerError().body("receiver down\nretry later")
    } else {
        HttpResponse::Ok().body("thanks")
    }
}

/// What a receiver does: recompute HMAC-SHA256 keyed with the secret over
/// `"<ruad-timestamp>.<body>"` and compare it in constant time with any `v1=` value given.
pub(crate) fn verifies(request: &Received, secret: &str) -> bool {
    let timestamp = request.header("ruad-timestamp");
    request
        .header("ruad-signature")
        .split(',')
        .filter_map(|v| v.trim().strip_prefix("v1="))
        .filter_map(|hex_sig| hex::decode(hex_sig).ok())
        .any(|signature| {
            let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
            mac.update(timestamp.as_bytes());
            mac.update(b".");
            mac.update(&request.body);
            mac.verify_slice(&signature).is_ok()
        })
}

/// Test settings: loopback receivers allowed, retries at once, three attempts.
pub(crate) fn fast(s: &mut Settings) {
    s.outbound_allow_private = true;
    s.webhook_backoff_base_seconds = 0;
    s.webhook_max_attempts = 3;
}

pub(crate) async fn create_webhook(app: &TestApp, key: &str, url: &str, events: &[&str]) -> Value {
    let reply = app
        .post(
            "/api/v1/webhooks",
            key,
            json!({"url": url, "events": events, "description": "test receiver"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    reply.body
}

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap().to_string()
}

async fn deliveries(app: &TestApp, key: &str, webhook: &str) -> Vec<Value> {
    let reply = app
        .get(&format!("/api/v1/webhooks/{webhook}/deliveries"), key)
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    reply.body["items"].as_array().unwrap().clone()
}

/// Waits until the webhook's newest delivery is no longer pending; returns it.
async fn settled(app: &TestApp, webhook: &str) -> Value {
    for _ in 0..300 {
        let items = deliveries(app, &app.admin_key, webhook).await;
        if let Some(first) = items.first()
            && first["status"] != "pending"
        {
            return first.clone();
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!(
        "delivery still pending: {:?}",
        deliveries(app, &app.admin_key, webhook).await
    );
}

async fn upload_dmarc(app: &TestApp, key: &str, report_id: &str) -> Value {
    let xml = report_xml(
        report_id,
        1_700_000_000,
        1_700_086_399,
        &[("192.0.2.10", 5, "none", "pass", "pass")],
    );
    let reply = app.upload(key, xml.into_bytes(), "application/xml").await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    reply.body["reports"][0].clone()
}

#[actix_web::test]
async fn a_stored_report_arrives_signed_with_its_summary() {
    let receiver = Receiver::start(0);
    let app = spawn_app_with(fast).await;
    app.register_domain("example.com").await;
    app.register_domain("company-y.example").await;
    let webhook = create_webhook(&app, &app.admin_key, &receiver.url(), &["report.received"]).await;
    let secret = webhook["secret"].as_str().unwrap().to_string();
    assert!(
        secret.starts_with("whsec_") && secret.len() >= 40,
        "{secret}"
    );
    assert_eq!(webhook["events"], json!(["report.received"]));
    assert_eq!(webhook["enabled"], true);

    let stored = upload_dmarc(&app, &app.admin_key, "hook-1").await;
    let got = receiver.wait_for(1).await;
    let request = &got[0];
    assert_eq!(request.header("content-type"), "application/json");
    assert!(request.header("user-agent").starts_with("ruad/"));
    assert_eq!(request.header("ruad-event"), "report.received");
    assert!(verifies(request, &secret), "bad signature: {request:?}");
    assert!(!verifies(request, "whsec_wrong"));
    let timestamp: i64 = request.header("ruad-timestamp").parse().unwrap();
    assert!((timestamp - chrono::Utc::now().timestamp()).abs() < 60);

    let body = request.json();
    assert_eq!(body["type"], "report.received");
    assert_eq!(body["tenant_id"], app.tenant_id.as_str());
    chrono::DateTime::parse_from_rfc3339(body["created_at"].as_str().unwrap()).unwrap();
    let data = &body["data"];
    assert_eq!(data["report_id"], stored["id"]);
    assert_eq!(data["kind"], "dmarc_aggregate");
    assert_eq!(data["domain"], "example.com");
    assert_eq!(data["policy_domain"], "example.com");
    assert_eq!(data["org_name"], "receiver.example");
    assert_eq!(data["external_id"], "hook-1");
    assert_eq!(data["begin"], 1_700_000_000);
    assert_eq!(data["end"], 1_700_086_399);
    assert_eq!(data["records"], 1);
    assert_eq!(data["messages"], 5);
    assert_eq!(data["conflict"], false);

    let log = settled(&app, &id(&webhook)).await;
    assert_eq!(log["status"], "succeeded");
    assert_eq!(log["attempts"], 1);
    assert_eq!(log["response_status"], 200);
    assert_eq!(log["last_error"], Value::Null);
    assert_eq!(log["next_attempt_at"], Value::Null);
    assert!(log["delivered_at"].is_i64());
    assert_eq!(log["event_type"], "report.received");
    assert_eq!(log["id"], request.header("ruad-delivery"));
    assert_eq!(log["event_id"], body["id"]);
    assert_eq!(log["payload"], body);

    // The same report again is a duplicate: no event.
    let again = upload_dmarc(&app, &app.admin_key, "hook-1").await;
    assert_eq!(again["duplicate"], true);
    // A TLS report is announced too.
    let tls = app
        .upload(
            &app.admin_key,
            fixture("026-tls-rfc8460-mx-host-string.json"),
            "application/json",
        )
        .await;
    assert_eq!(tls.status, StatusCode::CREATED, "{:?}", tls.body);
    let got = receiver.wait_for(2).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        receiver.requests().len(),
        2,
        "the duplicate must not be announced"
    );
    let tls_event = got[1].json();
    assert_eq!(tls_event["data"]["kind"], "tls_report");
    assert_eq!(tls_event["data"]["report_id"], tls.body["reports"][0]["id"]);
    assert_eq!(tls_event["data"]["domain"], "company-y.example");
    assert_eq!(tls_event["data"]["org_name"], "Company-X");
    assert_ne!(tls_event["id"], body["id"]);
    assert!(verifies(&got[1], &secret));
}

#[actix_web::test]
async fn a_failing_receiver_gets_the_same_delivery_again_with_backoff() {
    let receiver = Receiver::start(2);
    let app = spawn_app_with(|s| {
        s.outbound_allow_private = true;
        s.webhook_backoff_base_seconds = 1;
    })
    .await;
    app.register_domain("example.com").await;
    let webhook = create_webhook(&app, &app.admin_key, &receiver.url(), &["report.received"]).await;
    let secret = webhook["secret"].as_str().unwrap();
    upload_dmarc(&app, &app.admin_key, "retry-1").await;

    // After the first failure the log says so, and when the next attempt is due.
    receiver.wait_for(1).await;
    let mut pending = Value::Null;
    for _ in 0..100 {
        pending = deliveries(&app, &app.admin_key, &id(&webhook)).await[0].clone();
        if pending["attempts"] == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(pending["status"], "pending", "{pending}");
    assert_eq!(pending["attempts"], 1);
    assert_eq!(pending["response_status"], 500);
    let error = pending["last_error"].as_str().unwrap();
    assert!(
        error.contains("500") && error.contains("receiver down retry later"),
        "{error}"
    );
    assert!(pending["next_attempt_at"].as_i64().unwrap() > pending["created_at"].as_i64().unwrap());

    let log = settled(&app, &id(&webhook)).await;
    assert_eq!(log["status"], "succeeded", "{log}");
    assert_eq!(log["attempts"], 3);
    assert_eq!(log["response_status"], 200);
    assert_eq!(log["last_error"], Value::Null);

    let got = receiver.requests();
    assert_eq!(got.len(), 3);
    let stamps: Vec<i64> = got
        .iter()
        .map(|r| r.header("ruad-timestamp").parse().unwrap())
        .collect();
    // 1 s after the first failure, 2 s after the second.
    assert!(stamps[1] - stamps[0] >= 1, "{stamps:?}");
    assert!(stamps[2] - stamps[1] >= 2, "{stamps:?}");
    for r in &got {
        // The same delivery and event, each attempt signed afresh.
        assert_eq!(r.header("ruad-delivery"), log["id"].as_str().unwrap());
        assert_eq!(r.body, got[0].body);
        assert!(verifies(r, secret));
    }
}

#[actix_web::test]
async fn a_receiver_that_always_fails_ends_failed_after_the_last_attempt() {
    let receiver = Receiver::start(usize::MAX);
    let app = spawn_app_with(fast).await;
    app.register_domain("example.com").await;
    let webhook = create_webhook(&app, &app.admin_key, &receiver.url(), &["report.received"]).await;
    upload_dmarc(&app, &app.admin_key, "fail-1").await;
    let log = settled(&app, &id(&webhook)).await;
    assert_eq!(log["status"], "failed", "{log}");
    assert_eq!(log["attempts"], 3);
    assert_eq!(log["response_status"], 500);
    assert!(log["last_error"].as_str().unwrap().contains("answered 500"));
    assert_eq!(log["next_attempt_at"], Value::Null);
    assert_eq!(log["delivered_at"], Value::Null);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(receiver.requests().len(), 3, "no attempt after the last");
    let failed = app
        .get(
            &format!("/api/v1/webhooks/{}/deliveries?status=failed", id(&webhook)),
            &app.admin_key,
        )
        .await;
    assert_eq!(failed.body["items"].as_array().unwrap().len(), 1);
    let db = ruad::storage::Db::connect(&app.database_url, 1).unwrap();
    let jobs = db
        .read(|c| ruad::storage::jobs::count_pending(c, ruad::domain::job::JobKind::DeliverWebhook))
        .unwrap();
    assert_eq!(jobs, 0, "the job is removed with the last attempt");
}

#[actix_web::test]
async fn a_connection_error_is_retried_like_an_error_answer() {
    // A port nobody listens on.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!(
        "http://127.0.0.1:{}/hook",
        closed.local_addr().unwrap().port()
    );
    drop(closed);
    let app = spawn_app_with(fast).await;
    let webhook = create_webhook(&app, &app.admin_key, &url, &["report.received"]).await;
    let ping = app
        .post(
            &format!("/api/v1/webhooks/{}/test", id(&webhook)),
            &app.admin_key,
            json!({}),
        )
        .await;
    assert_eq!(ping.status, StatusCode::ACCEPTED, "{:?}", ping.body);
    let log = settled(&app, &id(&webhook)).await;
    assert_eq!(log["status"], "failed");
    assert_eq!(log["attempts"], 3);
    assert_eq!(log["response_status"], Value::Null);
    assert!(
        log["last_error"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("refused"),
        "{log}"
    );
}

#[actix_web::test]
async fn webhook_urls_obey_the_outbound_rule_at_creation() {
    let app = spawn_app_with(|_| {}).await;
    for (url, why) in [
        ("http://hooks.example.com/x", "https"),
        ("https://10.0.0.1/x", "not a public address"),
        ("https://127.0.0.1:8080/x", "not a public address"),
        ("https://[::1]/x", "not a public address"),
        ("https://localhost/x", "not a public address"),
        (
            "https://user:secret@hooks.example.com/x",
            "user name or password",
        ),
        ("hooks.example.com/x", "not a valid URL"),
        ("ftp://hooks.example.com/x", "not allowed"),
    ] {
        let reply = app
            .post(
                "/api/v1/webhooks",
                &app.admin_key,
                json!({"url": url, "events": ["report.received"]}),
            )
            .await;
        reply.assert_problem(422, "validation_failed");
        let detail = reply.body["detail"].as_str().unwrap();
        assert!(detail.contains(why), "{url}: {detail}");
    }
    let long = format!("https://hooks.example.com/{}", "a".repeat(3000));
    app.post(
        "/api/v1/webhooks",
        &app.admin_key,
        json!({"url": long, "events": ["report.received"]}),
    )
    .await
    .assert_problem(422, "validation_failed");
    app.post(
        "/api/v1/webhooks",
        &app.admin_key,
        json!({"url": "https://hooks.example.com/x", "events": []}),
    )
    .await
    .assert_problem(422, "validation_failed");
    app.post(
        "/api/v1/webhooks",
        &app.admin_key,
        json!({"url": "https://hooks.example.com/x", "events": ["report.deleted"]}),
    )
    .await
    .assert_problem(400, "bad_request");
    app.post(
        "/api/v1/webhooks",
        &app.admin_key,
        json!({"url": "https://hooks.example.com/x", "events": ["report.received"], "description": "d".repeat(501)}),
    )
    .await
    .assert_problem(422, "validation_failed");

    // A public name is fine (it is resolved, and checked, at delivery time).
    let webhook = create_webhook(
        &app,
        &app.admin_key,
        "https://Hooks.Example.com/ruad?x=1",
        &["report.received", "issue.opened", "report.received"],
    )
    .await;
    assert_eq!(webhook["url"], "https://hooks.example.com/ruad?x=1");
    assert_eq!(
        webhook["events"],
        json!(["report.received", "issue.opened"])
    );
    app.send(
        Method::PATCH,
        &format!("/api/v1/webhooks/{}", id(&webhook)),
        Some(&app.admin_key),
        Some(json!({"url": "https://192.168.1.10/x"})),
    )
    .await
    .assert_problem(422, "validation_failed");
    app.send(
        Method::PATCH,
        &format!("/api/v1/webhooks/{}", id(&webhook)),
        Some(&app.admin_key),
        Some(json!({"events": []})),
    )
    .await
    .assert_problem(422, "validation_failed");
}

/// IPv6 spellings that embed an internal IPv4 address, or that are deprecated, are refused
/// like the plain internal addresses, with the same problem.
#[actix_web::test]
async fn webhook_urls_with_ipv6_forms_of_internal_addresses_are_refused() {
    let app = spawn_app_with(|_| {}).await;
    for url in [
        // IPv4-compatible ::127.0.0.1.
        "https://[::127.0.0.1]/",
        // 6to4 of 127.0.0.1.
        "https://[2002:7f00:1::]/",
        // Deprecated site-local.
        "https://[fec0::1]/",
        // NAT64 of 127.0.0.1.
        "https://[64:ff9b::7f00:1]/",
        // Teredo with client 127.0.0.1.
        "https://[2001:0:4136:e378:8000:63bf:80ff:fffe]/",
    ] {
        let reply = app
            .post(
                "/api/v1/webhooks",
                &app.admin_key,
                json!({"url": url, "events": ["report.received"]}),
            )
            .await;
        reply.assert_problem(422, "validation_failed");
        let detail = reply.body["detail"].as_str().unwrap();
        assert!(detail.contains("not a public address"), "{url}: {detail}");
    }
    let listed = app.get("/api/v1/webhooks", &app.admin_key).await;
    assert_eq!(listed.body["items"], json!([]), "{:?}", listed.body);
}

#[actix_web::test]
async fn without_the_test_setting_loopback_is_refused_at_delivery_time_too() {
    let receiver = Receiver::start(0);
    const SOA: &str = "@ 3600 IN SOA ns.hooks.test. admin.hooks.test. 1 7200 3600 1209600 3600\n@ 3600 IN NS ns.hooks.test.\n";
    let dns = dns_server::start(&[("hooks.test.", &format!("{SOA}in IN A 127.0.0.1\n"))]);
    let ns = dns.addr.to_string();
    let app = spawn_app_with(move |s| {
        s.dns_nameservers = ns;
        s.webhook_max_attempts = 1;
    })
    .await;
    // Webhooks created while private addresses were allowed (or whose name now resolves to
    // one) are checked again at each attempt.
    let db = ruad::storage::Db::connect(&app.database_url, 1).unwrap();
    for (url, why) in [
        (
            format!("https://127.0.0.1:{}/hook", receiver.port),
            "not a public address",
        ),
        (
            format!("https://in.hooks.test:{}/hook", receiver.port),
            "non-public",
        ),
        (receiver.url(), "https"),
    ] {
        let webhook = db
            .write(|conn| {
                let tenant_id = ruad::domain::ids::TenantId::from(app.tenant_id.as_str());
                let scope = ruad::storage::tenants::find_tenant_unscoped(conn, &tenant_id)?
                    .unwrap()
                    .scope();
                ruad::storage::webhooks::insert_webhook(
                    conn,
                    &scope,
                    &tenant_id,
                    &ruad::storage::webhooks::NewWebhook {
                        url: &url,
                        events: &[ruad::domain::event::Event::ReportReceived],
                        description: "",
                    },
                    chrono::Utc::now().timestamp(),
                )
            })
            .unwrap();
        let ping = app
            .post(
                &format!("/api/v1/webhooks/{}/test", webhook.id),
                &app.admin_key,
                json!({}),
            )
            .await;
        assert_eq!(ping.status, StatusCode::ACCEPTED);
        let log = settled(&app, webhook.id.as_str()).await;
        assert_eq!(log["status"], "failed", "{url}: {log}");
        let error = log["last_error"].as_str().unwrap();
        assert!(error.contains(why), "{url}: {error}");
    }
    assert!(receiver.requests().is_empty());
}

#[actix_web::test]
async fn webhook_host_names_are_resolved_by_ruads_resolver() {
    let receiver = Receiver::start(0);
    const SOA: &str = "@ 3600 IN SOA ns.hooks.test. admin.hooks.test. 1 7200 3600 1209600 3600\n@ 3600 IN NS ns.hooks.test.\n";
    let dns = dns_server::start(&[("hooks.test.", &format!("{SOA}in IN A 127.0.0.1\n"))]);
    let ns = dns.addr.to_string();
    let app = spawn_app_with(move |s| {
        fast(s);
        s.dns_nameservers = ns;
    })
    .await;
    let url = format!("http://in.hooks.test:{}/hook", receiver.port);
    let webhook = create_webhook(&app, &app.admin_key, &url, &["report.received"]).await;
    app.post(
        &format!("/api/v1/webhooks/{}/test", id(&webhook)),
        &app.admin_key,
        json!({}),
    )
    .await;
    let got = receiver.wait_for(1).await;
    assert_eq!(
        got[0].header("host"),
        format!("in.hooks.test:{}", receiver.port)
    );
    assert_eq!(settled(&app, &id(&webhook)).await["status"], "succeeded");
}

#[actix_web::test]
async fn an_ancestors_webhook_gets_a_childs_events_and_a_siblings_does_not() {
    let (mssp_hook, customer_hook, sibling_hook) =
        (Receiver::start(0), Receiver::start(0), Receiver::start(0));
    let app = spawn_app_with(fast).await;
    let (customer, customer_key) = app.child_tenant("customer").await;
    let (_, sibling_key) = app.child_tenant("sibling").await;
    let mssp = create_webhook(&app, &app.admin_key, &mssp_hook.url(), &["report.received"]).await;
    let own = create_webhook(
        &app,
        &customer_key,
        &customer_hook.url(),
        &["report.received"],
    )
    .await;
    let other = create_webhook(
        &app,
        &sibling_key,
        &sibling_hook.url(),
        &["report.received"],
    )
    .await;
    assert_eq!(own["tenant_id"], customer.as_str());

    let reply = app
        .post(
            "/api/v1/domains",
            &customer_key,
            json!({"name": "example.com"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED);
    upload_dmarc(&app, &customer_key, "tenant-1").await;
    let to_mssp = mssp_hook.wait_for(1).await;
    let to_customer = customer_hook.wait_for(1).await;
    assert!(verifies(&to_mssp[0], mssp["secret"].as_str().unwrap()));
    assert!(verifies(&to_customer[0], own["secret"].as_str().unwrap()));
    // One event: the same id and body for both, each signed with its own webhook's secret.
    assert_eq!(to_mssp[0].body, to_customer[0].body);
    assert_eq!(to_mssp[0].json()["tenant_id"], customer.as_str());
    assert_ne!(
        to_mssp[0].header("ruad-delivery"),
        to_customer[0].header("ruad-delivery")
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(
        sibling_hook.requests().is_empty(),
        "a sibling's webhook got the event"
    );

    // Visibility: own subtree only; another tenant's webhook is a 404.
    let listed = app.get("/api/v1/webhooks", &customer_key).await;
    let ids: Vec<&str> = listed.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [id(&own)]);
    let all = app.get("/api/v1/webhooks", &app.admin_key).await;
    assert_eq!(all.body["items"].as_array().unwrap().len(), 3);
    for path in [
        format!("/api/v1/webhooks/{}", id(&other)),
        format!("/api/v1/webhooks/{}/deliveries", id(&other)),
        format!("/api/v1/webhooks/{}", id(&mssp)),
    ] {
        app.get(&path, &customer_key)
            .await
            .assert_problem(404, "not_found");
    }
    for (m, path) in [
        (Method::DELETE, format!("/api/v1/webhooks/{}", id(&other))),
        (
            Method::POST,
            format!("/api/v1/webhooks/{}/test", id(&other)),
        ),
        (
            Method::POST,
            format!("/api/v1/webhooks/{}/rotate-secret", id(&other)),
        ),
    ] {
        app.send(m, &path, Some(&customer_key), None)
            .await
            .assert_problem(404, "not_found");
    }
    app.send(
        Method::PATCH,
        &format!("/api/v1/webhooks/{}", id(&other)),
        Some(&customer_key),
        Some(json!({"enabled": false})),
    )
    .await
    .assert_problem(404, "not_found");
    // Nor can a webhook be created for a tenant outside the caller's subtree.
    app.post(
        "/api/v1/webhooks",
        &customer_key,
        json!({"url": customer_hook.url(), "events": ["report.received"], "tenant_id": app.tenant_id}),
    )
    .await
    .assert_problem(404, "not_found");
    // The MSSP can manage its customer's webhook.
    let got = app
        .get(&format!("/api/v1/webhooks/{}", id(&own)), &app.admin_key)
        .await;
    assert_eq!(got.status, StatusCode::OK);
}

#[actix_web::test]
async fn the_secret_is_shown_once_and_rotating_it_changes_the_signatures() {
    let receiver = Receiver::start(0);
    let app = spawn_app_with(fast).await;
    let webhook = create_webhook(&app, &app.admin_key, &receiver.url(), &["issue.opened"]).await;
    let old = webhook["secret"].as_str().unwrap().to_string();
    let path = format!("/api/v1/webhooks/{}", id(&webhook));

    let got = app.get(&path, &app.admin_key).await;
    assert_eq!(got.status, StatusCode::OK);
    assert!(got.body.get("secret").is_none(), "{:?}", got.body);
    let listed = app.get("/api/v1/webhooks", &app.admin_key).await;
    assert!(!String::from_utf8_lossy(&listed.bytes).contains(&old));
    assert!(listed.body["items"][0].get("secret").is_none());

    app.post(&format!("{path}/test"), &app.admin_key, json!({}))
        .await;
    let first = receiver.wait_for(1).await;
    assert!(verifies(&first[0], &old));
    assert_eq!(first[0].header("ruad-event"), "webhook.test");
    let ping = first[0].json();
    assert_eq!(ping["type"], "webhook.test");
    assert_eq!(ping["data"]["webhook_id"], id(&webhook).as_str());

    let rotated = app
        .post(&format!("{path}/rotate-secret"), &app.admin_key, json!({}))
        .await;
    assert_eq!(rotated.status, StatusCode::OK, "{:?}", rotated.body);
    let new = rotated.body["secret"].as_str().unwrap().to_string();
    assert!(new.starts_with("whsec_"));
    assert_ne!(new, old);
    app.post(&format!("{path}/test"), &app.admin_key, json!({}))
        .await;
    let second = receiver.wait_for(2).await;
    assert!(verifies(&second[1], &new));
    assert!(
        !verifies(&second[1], &old),
        "the old secret must not verify"
    );
}

#[actix_web::test]
async fn deleting_a_webhook_stops_its_deliveries() {
    let receiver = Receiver::start(usize::MAX);
    let app = spawn_app_with(|s| {
        s.outbound_allow_private = true;
        s.webhook_backoff_base_seconds = 1;
    })
    .await;
    app.register_domain("example.com").await;
    let webhook = create_webhook(&app, &app.admin_key, &receiver.url(), &["report.received"]).await;
    let path = format!("/api/v1/webhooks/{}", id(&webhook));
    upload_dmarc(&app, &app.admin_key, "delete-1").await;
    receiver.wait_for(1).await;
    let deleted = app
        .send(Method::DELETE, &path, Some(&app.admin_key), None)
        .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    let seen = receiver.requests().len();
    tokio::time::sleep(Duration::from_millis(3500)).await;
    assert_eq!(receiver.requests().len(), seen, "delivered after deletion");
    app.get(&path, &app.admin_key)
        .await
        .assert_problem(404, "not_found");
    app.get(&format!("{path}/deliveries"), &app.admin_key)
        .await
        .assert_problem(404, "not_found");
    let db = ruad::storage::Db::connect(&app.database_url, 1).unwrap();
    let jobs = db
        .read(|c| ruad::storage::jobs::count_pending(c, ruad::domain::job::JobKind::DeliverWebhook))
        .unwrap();
    assert_eq!(jobs, 0, "the orphaned job is dropped when it runs");
}

#[actix_web::test]
async fn disabled_or_unsubscribed_webhooks_get_nothing() {
    let receiver = Receiver::start(0);
    let app = spawn_app_with(fast).await;
    app.register_domain("example.com").await;
    let disabled =
        create_webhook(&app, &app.admin_key, &receiver.url(), &["report.received"]).await;
    let updated = app
        .send(
            Method::PATCH,
            &format!("/api/v1/webhooks/{}", id(&disabled)),
            Some(&app.admin_key),
            Some(json!({"enabled": false, "description": "paused"})),
        )
        .await;
    assert_eq!(updated.status, StatusCode::OK, "{:?}", updated.body);
    assert_eq!(updated.body["enabled"], false);
    assert_eq!(updated.body["description"], "paused");
    let issues_only =
        create_webhook(&app, &app.admin_key, &receiver.url(), &["issue.resolved"]).await;
    upload_dmarc(&app, &app.admin_key, "quiet-1").await;
    tokio::time::sleep(Duration::from_millis(1000)).await;
    assert!(receiver.requests().is_empty());
    assert!(
        deliveries(&app, &app.admin_key, &id(&disabled))
            .await
            .is_empty()
    );
    assert!(
        deliveries(&app, &app.admin_key, &id(&issues_only))
            .await
            .is_empty()
    );
}

#[actix_web::test]
async fn the_delivery_log_pages_newest_first_and_filters_by_status() {
    let receiver = Receiver::start(0);
    let app = spawn_app_with(fast).await;
    let webhook = create_webhook(&app, &app.admin_key, &receiver.url(), &["report.received"]).await;
    let path = format!("/api/v1/webhooks/{}", id(&webhook));
    let mut queued = Vec::new();
    for _ in 0..3 {
        let ping = app
            .post(&format!("{path}/test"), &app.admin_key, json!({}))
            .await;
        assert_eq!(ping.status, StatusCode::ACCEPTED);
        assert_eq!(ping.body["status"], "pending");
        assert_eq!(ping.body["attempts"], 0);
        queued.push(id(&ping.body));
    }
    receiver.wait_for(3).await;
    for _ in 0..100 {
        let done = app
            .get(
                &format!("{path}/deliveries?status=succeeded"),
                &app.admin_key,
            )
            .await;
        if done.body["items"].as_array().unwrap().len() == 3 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let page1 = app
        .get(&format!("{path}/deliveries?limit=2"), &app.admin_key)
        .await;
    let items = page1.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    let cursor = page1.body["next_cursor"].as_str().unwrap();
    let page2 = app
        .get(
            &format!("{path}/deliveries?limit=2&cursor={cursor}"),
            &app.admin_key,
        )
        .await;
    assert_eq!(page2.body["next_cursor"], Value::Null);
    let mut order: Vec<String> = items.iter().map(id).collect();
    order.extend(page2.body["items"].as_array().unwrap().iter().map(id));
    queued.reverse();
    assert_eq!(order, queued, "newest first");
    let succeeded = app
        .get(
            &format!("{path}/deliveries?status=succeeded"),
            &app.admin_key,
        )
        .await;
    assert_eq!(succeeded.body["items"].as_array().unwrap().len(), 3);
    let failed = app
        .get(&format!("{path}/deliveries?status=failed"), &app.admin_key)
        .await;
    assert!(failed.body["items"].as_array().unwrap().is_empty());
    app.get(&format!("{path}/deliveries?status=lost"), &app.admin_key)
        .await
        .assert_problem(400, "bad_request");
    app.get(&format!("{path}/deliveries?limit=0"), &app.admin_key)
        .await
        .assert_problem(400, "bad_request");
    app.get(&format!("{path}/deliveries?cursor=nope"), &app.admin_key)
        .await
        .assert_problem(400, "bad_request");

    // The webhook list pages the same way.
    create_webhook(&app, &app.admin_key, &receiver.url(), &["issue.opened"]).await;
    let first = app.get("/api/v1/webhooks?limit=1", &app.admin_key).await;
    assert_eq!(first.body["items"].as_array().unwrap().len(), 1);
    let cursor = first.body["next_cursor"].as_str().unwrap();
    let rest = app
        .get(
            &format!("/api/v1/webhooks?limit=1&cursor={cursor}"),
            &app.admin_key,
        )
        .await;
    assert_eq!(rest.body["items"].as_array().unwrap().len(), 1);
    assert_eq!(rest.body["next_cursor"], Value::Null);
    assert_ne!(first.body["items"][0]["id"], rest.body["items"][0]["id"]);
}

#[actix_web::test]
async fn readers_see_webhooks_and_only_admins_change_them() {
    let receiver = Receiver::start(0);
    let app = spawn_app_with(fast).await;
    let webhook = create_webhook(&app, &app.admin_key, &receiver.url(), &["report.received"]).await;
    let reader = app
        .post(
            &format!("/api/v1/tenants/{}/api-keys", app.tenant_id),
            &app.admin_key,
            json!({"name": "r", "role": "reader"}),
        )
        .await;
    let reader = reader.body["key"].as_str().unwrap().to_string();
    let path = format!("/api/v1/webhooks/{}", id(&webhook));
    for p in [
        "/api/v1/webhooks".to_string(),
        path.clone(),
        format!("{path}/deliveries"),
    ] {
        assert_eq!(app.get(&p, &reader).await.status, StatusCode::OK, "{p}");
    }
    app.post(
        "/api/v1/webhooks",
        &reader,
        json!({"url": receiver.url(), "events": ["report.received"]}),
    )
    .await
    .assert_problem(403, "forbidden");
    for (m, p) in [
        (Method::DELETE, path.clone()),
        (Method::POST, format!("{path}/test")),
        (Method::POST, format!("{path}/rotate-secret")),
    ] {
        app.send(m, &p, Some(&reader), None)
            .await
            .assert_problem(403, "forbidden");
    }
    app.send(
        Method::PATCH,
        &path,
        Some(&reader),
        Some(json!({"enabled": false})),
    )
    .await
    .assert_problem(403, "forbidden");
}

#[actix_web::test]
async fn a_stored_failure_report_is_announced_redacted_and_a_duplicate_is_not() {
    let receiver = Receiver::start(0);
    let app = spawn_app_with(fast).await;
    app.register_domain("foo-bar.io").await;
    app.register_domain("example.com").await;
    let webhook = create_webhook(
        &app,
        &app.admin_key,
        &receiver.url(),
        &["failure_report.received"],
    )
    .await;
    let secret = webhook["secret"].as_str().unwrap().to_string();
    // An aggregate report is not what this webhook asked for.
    upload_dmarc(&app, &app.admin_key, "not-announced").await;
    let report = crate::failures::failure_report("foo-bar.io", "192.0.2.77", "alice@foo-bar.io", 1);
    let stored = app
        .upload(&app.admin_key, report.clone(), "message/rfc822")
        .await;
    assert_eq!(stored.status, StatusCode::CREATED, "{:?}", stored.body);
    let got = receiver.wait_for(1).await;
    assert_eq!(got[0].header("ruad-event"), "failure_report.received");
    assert!(verifies(&got[0], &secret));
    let body = got[0].json();
    assert_eq!(body["type"], "failure_report.received");
    let data = &body["data"];
    assert_eq!(data["failure_id"], stored.body["reports"][0]["id"]);
    assert_eq!(data["domain"], "foo-bar.io");
    assert_eq!(data["policy_domain"], "foo-bar.io");
    assert_eq!(data["source_ip"], "192.0.2.77");
    assert_eq!(data["auth_failures"], json!(["dmarc"]));
    assert_eq!(data["incidents"], 1);
    assert!(data["arrival"].is_i64(), "{data}");
    assert!(!body.to_string().contains("alice"), "{body}");
    // The same report again: a duplicate, no second event.
    let again = app.upload(&app.admin_key, report, "message/rfc822").await;
    assert_eq!(
        again.body["reports"][0]["duplicate"], true,
        "{:?}",
        again.body
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(receiver.requests().len(), 1);
}
