//! The job runner under a dead resolver: enrichment of thousands of sources against a DNS
//! server that never answers holds up neither webhook deliveries nor issue evaluations, and
//! the operator sees it in `/metrics`. Also: `/readyz` fails fast when the database goes away.

use crate::helpers::{TestApp, spawn_app_with};
use crate::issues::tls_report;
use crate::reports::report_xml;
use crate::webhooks::{Receiver, create_webhook, fast};
use reqwest::StatusCode;
use ruad::storage::{Db, source_names};
use serde_json::json;
use std::net::{SocketAddr, TcpListener, UdpSocket};
use std::time::{Duration, Instant};

/// A DNS server that receives queries, on UDP and TCP, and never answers.
pub(crate) struct BlackHole {
    pub addr: SocketAddr,
    _udp: UdpSocket,
    _tcp: TcpListener,
}

impl BlackHole {
    pub(crate) fn start() -> BlackHole {
        loop {
            let udp = UdpSocket::bind("127.0.0.1:0").unwrap();
            let addr = udp.local_addr().unwrap();
            // A listener that never accepts: connections hang in its backlog, so a resolver
            // falling back to TCP waits too instead of being refused.
            if let Ok(tcp) = TcpListener::bind(addr) {
                return BlackHole {
                    addr,
                    _udp: udp,
                    _tcp: tcp,
                };
            }
        }
    }
}

/// `n` distinct public-looking source addresses (198.18.0.0/15, the benchmarking range).
fn sources(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            format!(
                "198.{}.{}.{}",
                18 + (i >> 16) % 2,
                (i >> 8) & 0xff,
                i & 0xff
            )
        })
        .collect()
}

async fn metrics(app: &TestApp) -> String {
    let reply = app
        .client
        .get(format!("{}/metrics", app.address))
        .send()
        .await
        .unwrap();
    reply.text().await.unwrap()
}

/// The value of one sample line of `/metrics` (`name{labels}`), 0 when absent.
fn sample(text: &str, series: &str) -> f64 {
    text.lines()
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' '))
        .map_or(0.0, |v| v.trim().parse().unwrap())
}

#[actix_web::test]
async fn a_dead_resolver_holds_up_neither_webhooks_nor_evaluations() {
    let hole = BlackHole::start();
    let receiver = Receiver::start(0);
    let ns = hole.addr.to_string();
    let app = spawn_app_with(move |s| {
        fast(s);
        s.dns_nameservers = ns;
        s.dns_timeout_ms = 1000;
        s.evaluate_delay_seconds = 1;
    })
    .await;
    app.register_domain("example.com").await;
    let ips = sources(5_000);
    let rows: Vec<(&str, u64, &str, &str, &str)> = ips
        .iter()
        .map(|ip| (ip.as_str(), 1, "none", "fail", "fail"))
        .collect();
    let xml = report_xml("many-sources", 1_700_000_000, 1_700_086_399, &rows);
    let up = app
        .upload(&app.admin_key, xml.into_bytes(), "application/xml")
        .await;
    assert_eq!(up.status, StatusCode::CREATED, "{:?}", up.body);

    // Enrichment is under way: 5,000 lookups, each waiting out its timeout.
    let mut text = String::new();
    for _ in 0..200 {
        text = metrics(&app).await;
        if sample(&text, "ruad_jobs_running{kind=\"enrich_sources\"}") >= 1.0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert_eq!(
        sample(&text, "ruad_jobs_running{kind=\"enrich_sources\"}"),
        1.0,
        "{text}"
    );
    assert_eq!(
        sample(&text, "ruad_jobs_leased{kind=\"enrich_sources\"}"),
        1.0
    );

    // A webhook test ping is delivered at once all the same.
    let webhook = create_webhook(&app, &app.admin_key, &receiver.url(), &["report.received"]).await;
    let pinged = Instant::now();
    let ping = app
        .post(
            &format!("/api/v1/webhooks/{}/test", webhook["id"].as_str().unwrap()),
            &app.admin_key,
            json!({}),
        )
        .await;
    assert_eq!(ping.status, StatusCode::ACCEPTED, "{:?}", ping.body);
    while !receiver
        .requests()
        .iter()
        .any(|r| r.header("ruad-event") == "webhook.test")
    {
        assert!(
            pinged.elapsed() < Duration::from_secs(5),
            "the ping waited behind enrichment"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let ping_took = pinged.elapsed();
    let db = Db::connect(&app.database_url, 1).unwrap();
    let named = db.read(|c| source_names::find_many(c, &ips)).unwrap().len();
    assert!(named < ips.len(), "enrichment finished first: {named}");

    // A TLS report's evaluation runs within its delay (1 s) and some slack.
    let today = chrono::Utc::now().timestamp().div_euclid(86_400) * 86_400;
    let uploaded = Instant::now();
    let tls = app
        .upload(
            &app.admin_key,
            tls_report("tls-1", today - 86_400, 7),
            "application/json",
        )
        .await;
    assert_eq!(tls.status, StatusCode::CREATED, "{:?}", tls.body);
    loop {
        let listed = app
            .get("/api/v1/domains/example.com/issues", &app.admin_key)
            .await;
        let codes: Vec<&str> = listed.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|i| i["code"].as_str())
            .collect();
        if codes.contains(&"tls_certificate_expired") {
            break;
        }
        assert!(
            uploaded.elapsed() < Duration::from_secs(4),
            "the evaluation waited behind enrichment: {codes:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let evaluation_took = uploaded.elapsed();
    let named = db.read(|c| source_names::find_many(c, &ips)).unwrap().len();
    assert!(named < ips.len(), "enrichment finished first: {named}");
    eprintln!(
        "ping delivered in {:.2} s, TLS evaluation done in {:.2} s, with {} of 5000 lookups pending",
        ping_took.as_secs_f64(),
        evaluation_took.as_secs_f64(),
        ips.len() - named
    );

    // The operator sees all of it (the evaluation's job is removed just after its issues are
    // written).
    let mut text = metrics(&app).await;
    for _ in 0..100 {
        if sample(&text, "ruad_jobs_completed_total{kind=\"evaluate_issues\"}") >= 1.0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
        text = metrics(&app).await;
    }
    assert!(
        sample(
            &text,
            "ruad_webhook_deliveries_total{outcome=\"succeeded\"}"
        ) >= 1.0,
        "{text}"
    );
    assert!(sample(&text, "ruad_webhook_delivery_duration_seconds_count") >= 1.0);
    assert!(sample(&text, "ruad_jobs_completed_total{kind=\"evaluate_issues\"}") >= 1.0);
    assert_eq!(
        sample(&text, "ruad_jobs_running{kind=\"enrich_sources\"}"),
        1.0
    );
    assert!(
        sample(
            &text,
            "ruad_enrichment_lookups_total{outcome=\"timed_out\"}"
        ) >= 32.0
    );
    assert_eq!(sample(&text, "ruad_database_up"), 1.0);
}

/// Against a resolver that never answers, each address gives up within the DNS timeout, and
/// the failure is stored as any failed lookup is: with its error and since when it fails.
#[actix_web::test]
async fn lookups_against_a_dead_resolver_end_within_the_dns_timeout_as_failures() {
    let hole = BlackHole::start();
    let ns = hole.addr.to_string();
    let app = spawn_app_with(move |s| {
        s.dns_nameservers = ns;
        s.dns_timeout_ms = 300;
        s.enrich_concurrency = 2;
    })
    .await;
    app.register_domain("example.com").await;
    let ips = sources(6);
    let rows: Vec<(&str, u64, &str, &str, &str)> = ips
        .iter()
        .map(|ip| (ip.as_str(), 1, "none", "fail", "fail"))
        .collect();
    let started = Instant::now();
    let up = app
        .upload(
            &app.admin_key,
            report_xml("dead", 1_700_000_000, 1_700_086_399, &rows).into_bytes(),
            "application/xml",
        )
        .await;
    assert_eq!(up.status, StatusCode::CREATED, "{:?}", up.body);
    crate::issues::wait_for_jobs(&app).await;
    // Six addresses, two at a time, 0.3 s each (not the resolver's 2 attempts × 0.3 s).
    let took = started.elapsed();
    assert!(took < Duration::from_millis(2_500), "{took:?}");
    let db = Db::connect(&app.database_url, 1).unwrap();
    let stored = db.read(|c| source_names::find_many(c, &ips)).unwrap();
    assert_eq!(stored.len(), 6);
    for row in &stored {
        assert!(row.lookup_error.is_some(), "{row:?}");
        assert_eq!(row.failing_since, Some(row.checked_at), "{row:?}");
        assert_eq!(row.confirmed_name, None);
    }
    let text = metrics(&app).await;
    assert_eq!(
        sample(
            &text,
            "ruad_enrichment_lookups_total{outcome=\"timed_out\"}"
        ),
        6.0,
        "{text}"
    );
}

/// A TCP proxy on loopback that can be cut, as a database host that goes away.
struct Proxy {
    addr: SocketAddr,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    streams: std::sync::Arc<std::sync::Mutex<Vec<std::net::TcpStream>>>,
}

impl Proxy {
    fn start(upstream: String) -> Proxy {
        use std::sync::atomic::Ordering;
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap();
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let streams = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let (halt, kept) = (stop.clone(), streams.clone());
        std::thread::spawn(move || {
            while !halt.load(Ordering::SeqCst) {
                let Ok((client, _)) = listener.accept() else {
                    std::thread::sleep(Duration::from_millis(5));
                    continue;
                };
                client.set_nonblocking(false).unwrap();
                let Ok(server) = std::net::TcpStream::connect(&upstream) else {
                    continue;
                };
                let mut kept = kept.lock().unwrap();
                for (mut from, mut to) in [
                    (client.try_clone().unwrap(), server.try_clone().unwrap()),
                    (server.try_clone().unwrap(), client.try_clone().unwrap()),
                ] {
                    std::thread::spawn(move || {
                        let _ = std::io::copy(&mut from, &mut to);
                        let _ = to.shutdown(std::net::Shutdown::Both);
                    });
                }
                kept.push(client);
                kept.push(server);
            }
            // Dropping the listener here refuses new connections.
        });
        Proxy {
            addr,
            stop,
            streams,
        }
    }

    /// Refuses new connections and breaks the open ones.
    fn cut(&self) {
        self.stop.store(true, std::sync::atomic::Ordering::SeqCst);
        for stream in self.streams.lock().unwrap().iter() {
            let _ = stream.shutdown(std::net::Shutdown::Both);
        }
    }
}

#[actix_web::test]
async fn readiness_fails_within_seconds_when_the_database_goes_away() {
    // SQLite is a local file: only a database across the network can go away.
    let Ok(base) = std::env::var("TEST_DATABASE_URL") else {
        eprintln!("TEST_DATABASE_URL not set; skipping the unreachable-database test");
        return;
    };
    let upstream = base
        .split_once('@')
        .map_or(base.as_str(), |(_, rest)| rest)
        .split('/')
        .next()
        .unwrap()
        .to_string();
    let proxy = Proxy::start(upstream.clone());
    let through = proxy.addr.to_string();
    let app = spawn_app_with(move |s| {
        s.database_url = s.database_url.replacen(&upstream, &through, 1);
    })
    .await;
    let ready = app.send(reqwest::Method::GET, "/readyz", None, None).await;
    assert_eq!(ready.status, StatusCode::OK, "{:?}", ready.body);

    proxy.cut();
    let started = Instant::now();
    let down = app.send(reqwest::Method::GET, "/readyz", None, None).await;
    let took = started.elapsed();
    down.assert_problem(503, "unavailable");
    assert!(took < Duration::from_secs(4), "readiness took {took:?}");
    let text = metrics(&app).await;
    assert_eq!(sample(&text, "ruad_database_up"), 0.0, "{text}");
    eprintln!("readiness failed in {:.2} s", took.as_secs_f64());
}
