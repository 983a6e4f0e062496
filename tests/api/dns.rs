//! The DNS endpoints against a real DNS server on loopback.

use crate::dns_server;
use crate::helpers::{TestApp, spawn_app_with};
use reqwest::{Method, StatusCode};
use serde_json::json;

const ZONE: &str = r#"
@ 3600 IN SOA ns.good.test. admin.good.test. 1 7200 3600 1209600 3600
@ 3600 IN NS ns.good.test.
@           IN MX   10 mx1.good.test.
mx1         IN A    192.0.2.10
@           IN TXT  "v=spf1 ip4:192.0.2.0/24 -all"
_dmarc      IN TXT  "v=DMARC1; p=none"
_smtp._tls  IN TXT  "v=TLSRPTv1; rua=mailto:tlsrpt@good.test"
"#;

async fn app_with_dns() -> (TestApp, dns_server::TestDns) {
    let dns = dns_server::start(&[
        ("good.test.", ZONE),
        (
            "2.0.192.in-addr.arpa.",
            "@ 3600 IN SOA ns.good.test. admin.good.test. 1 7200 3600 1209600 3600\n@ 3600 IN NS ns.good.test.\n10 IN PTR mx1.good.test.\n",
        ),
    ]);
    let ns = dns.addr.to_string();
    let app = spawn_app_with(move |s| s.dns_nameservers = ns).await;
    (app, dns)
}

#[actix_web::test]
async fn checks_answer_records_parsed_views_and_findings() {
    let (app, _dns) = app_with_dns().await;
    let r = app
        .get("/api/v1/dns/dmarc/check?domain=good.test", &app.admin_key)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["records"][0], "v=DMARC1; p=none");
    let codes: Vec<&str> = r.body["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"dmarc_policy_none"), "{codes:?}");
    let r = app
        .get("/api/v1/dns/fcrdns/check?ip=192.0.2.10", &app.admin_key)
        .await;
    assert_eq!(r.body["details"]["confirmed_name"], "mx1.good.test");
    let r = app
        .get("/api/v1/dns/mta-sts/check?domain=good.test", &app.admin_key)
        .await;
    assert_eq!(r.body["kind"], "mta_sts");
}

#[actix_web::test]
async fn bad_check_requests_are_problems() {
    let (app, _dns) = app_with_dns().await;
    app.get("/api/v1/dns/nope/check?domain=good.test", &app.admin_key)
        .await
        .assert_problem(400, "bad_request");
    app.get("/api/v1/dns/dmarc/check", &app.admin_key)
        .await
        .assert_problem(400, "bad_request");
    app.get("/api/v1/dns/dkim/check?domain=good.test", &app.admin_key)
        .await
        .assert_problem(422, "validation_failed");
    app.get(
        "/api/v1/dns/spf/check?domain=not%20a%20domain",
        &app.admin_key,
    )
    .await
    .assert_problem(422, "validation_failed");
    app.get("/api/v1/dns/fcrdns/check?ip=999.1.1.1", &app.admin_key)
        .await
        .assert_problem(422, "validation_failed");
}

#[actix_web::test]
async fn spf_evaluation_and_generators_work_over_http() {
    let (app, _dns) = app_with_dns().await;
    let r = app
        .send(
            Method::POST,
            "/api/v1/dns/spf/evaluate",
            Some(&app.admin_key),
            Some(json!({"ip": "203.0.113.1", "sender": "a@good.test"})),
        )
        .await;
    assert_eq!(r.body["result"], "fail", "{:?}", r.body);
    assert_eq!(r.body["mechanism"], "-all");
    let r = app
        .send(
            Method::POST,
            "/api/v1/dns/dmarc/generate",
            Some(&app.admin_key),
            Some(json!({"domain": "good.test", "p": "reject", "rua": ["mailto:d@good.test"]})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["records"][0]["name"], "_dmarc.good.test");
    let r = app
        .send(
            Method::POST,
            "/api/v1/dns/dkim/generate",
            Some(&app.admin_key),
            Some(json!({"domain": "good.test", "selector": "s2026"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert!(
        r.body["private_key_pem"]
            .as_str()
            .unwrap()
            .contains("PRIVATE KEY")
    );
    app.send(
        Method::POST,
        "/api/v1/dns/spf/generate",
        Some(&app.admin_key),
        Some(json!({"domain": "good.test", "ip4": ["192.0.2.1/24"]})),
    )
    .await
    .assert_problem(422, "validation_failed");
}

#[actix_web::test]
async fn domain_checks_are_stored_and_kept_over_time() {
    let (app, _dns) = app_with_dns().await;
    let r = app
        .send(
            Method::POST,
            "/api/v1/domains",
            Some(&app.admin_key),
            Some(json!({"name": "good.test"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    for _ in 0..2 {
        let r = app
            .send(
                Method::POST,
                "/api/v1/domains/good.test/dns-checks",
                Some(&app.admin_key),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
        let kinds: Vec<&str> = r.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["kind"].as_str().unwrap())
            .collect();
        assert_eq!(kinds, vec!["dmarc", "spf", "mta_sts", "tlsrpt", "bimi"]);
    }
    let latest = app
        .get("/api/v1/domains/good.test/dns-checks", &app.admin_key)
        .await;
    assert_eq!(latest.body["items"].as_array().unwrap().len(), 5);
    let dmarc = latest.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == "dmarc")
        .unwrap();
    assert_eq!(dmarc["worst"], "warning");
    let history = app
        .get(
            "/api/v1/domains/good.test/dns-checks/history?kind=dmarc",
            &app.admin_key,
        )
        .await;
    let items = history.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert!(items[0]["checked_at"].as_i64() >= items[1]["checked_at"].as_i64());
    assert!(history.body["next_cursor"].is_null());
    // The history pages like every list: one item per page here, the second page last.
    let first = app
        .get(
            "/api/v1/domains/good.test/dns-checks/history?kind=dmarc&limit=1",
            &app.admin_key,
        )
        .await;
    assert_eq!(first.body["items"][0], items[0]);
    let cursor = first.body["next_cursor"].as_str().unwrap();
    let second = app
        .get(
            &format!(
                "/api/v1/domains/good.test/dns-checks/history?kind=dmarc&limit=1&cursor={cursor}"
            ),
            &app.admin_key,
        )
        .await;
    assert_eq!(second.body["items"][0], items[1]);
    assert!(second.body["next_cursor"].is_null());
    app.get("/api/v1/domains/other.test/dns-checks", &app.admin_key)
        .await
        .assert_problem(404, "not_found");
}

/// A nameserver that never answers: a UDP socket nobody reads and a TCP listener nobody
/// serves, on one loopback port.
struct BlackHole {
    addr: std::net::SocketAddr,
    _udp: std::net::UdpSocket,
    _tcp: std::net::TcpListener,
}

impl BlackHole {
    fn bind() -> BlackHole {
        for _ in 0..50 {
            let udp = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
            let addr = udp.local_addr().unwrap();
            if let Ok(tcp) = std::net::TcpListener::bind(addr) {
                return BlackHole {
                    addr,
                    _udp: udp,
                    _tcp: tcp,
                };
            }
        }
        panic!("no port free for both UDP and TCP");
    }
}

fn lookup_failures(report: &serde_json::Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["code"].as_str())
        .filter(|c| c.ends_with("_lookup_failed"))
        .map(str::to_string)
        .collect()
}

#[actix_web::test]
async fn checks_answer_within_their_budget_when_the_resolver_is_dead() {
    let hole = BlackHole::bind();
    let ns = hole.addr.to_string();
    // One unanswered query alone would take 2 × 5 s; the budget is 2 s.
    let app = spawn_app_with(move |s| {
        s.dns_nameservers = ns;
        s.dns_timeout_ms = 5000;
        s.dns_check_budget_secs = 2;
    })
    .await;
    let budget = std::time::Duration::from_secs(2);
    let margin = std::time::Duration::from_millis(1500);
    app.register_domain("dead.test").await;

    let started = std::time::Instant::now();
    let r = app
        .send(
            Method::POST,
            "/api/v1/domains/dead.test/dns-checks",
            Some(&app.admin_key),
            None,
        )
        .await;
    let took = started.elapsed();
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    assert!(took < budget + margin, "all checks took {took:?}");
    let items = r.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 5, "{:?}", r.body);
    for item in items {
        let failed = lookup_failures(&item["report"]);
        assert!(!failed.is_empty(), "{:#}", item["report"]);
        assert_eq!(item["worst"], "error", "{:#}", item["report"]);
    }

    let started = std::time::Instant::now();
    let r = app
        .get("/api/v1/dns/spf/check?domain=dead.test", &app.admin_key)
        .await;
    let took = started.elapsed();
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert!(took < budget + margin, "one check took {took:?}");
    assert_eq!(lookup_failures(&r.body), vec!["spf_lookup_failed"]);
}
