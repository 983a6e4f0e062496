//! Durability: SIGKILL the server in the middle of concurrent uploads. Every report that
//! was answered 201 must be there after a restart, complete; no partial report may exist.
//! And SIGKILL it while it holds job leases: its jobs are finished at once by the restarted
//! instance (SQLite), or within one lease period by another instance (PostgreSQL).
//! Runs the real binary, bootstrapped with `ruad admin` as a script would.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::{Value, json};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const RECORDS: usize = 300;

fn report(n: usize) -> Vec<u8> {
    let mut xml = format!(
        "<?xml version=\"1.0\"?><feedback><version>1.0</version><report_metadata><org_name>crash.example</org_name>\
         <email>d@crash.example</email><report_id>crash-{n}</report_id><date_range><begin>1700000000</begin><end>1700086399</end>\
         </date_range></report_metadata><policy_published><domain>example.com</domain><p>reject</p></policy_published>"
    );
    for i in 0..RECORDS {
        xml.push_str(&format!(
            "<record><row><source_ip>10.{}.{}.{}</source_ip><count>2</count><policy_evaluated><disposition>none</disposition>\
             <dkim>pass</dkim><spf>pass</spf></policy_evaluated></row><identifiers><header_from>example.com</header_from></identifiers>\
             <auth_results><spf><domain>example.com</domain><result>pass</result></spf></auth_results></record>",
            n % 250,
            i / 250,
            i % 250
        ));
    }
    xml.push_str("</feedback>");
    xml.into_bytes()
}

struct Server {
    env: Vec<(String, String)>,
    base: String,
}

impl Server {
    fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_ruad"));
        c.args(args)
            .envs(self.env.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        c
    }

    fn admin(&self, args: &[&str]) -> Value {
        let out = self.command(args).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    }

    /// A tenant and its admin API key, made with `ruad admin` as a script would.
    fn bootstrap(&self, name: &str) -> String {
        let tenant = self.admin(&["admin", "create-tenant", "--name", name]);
        let key = self.admin(&[
            "admin",
            "create-api-key",
            "--tenant",
            tenant["id"].as_str().unwrap(),
            "--role",
            "admin",
        ]);
        key["key"].as_str().unwrap().to_string()
    }

    fn start(&self) -> Child {
        let mut child = self
            .command(&["serve"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if reqwest::blocking::get(format!("{}/readyz", self.base))
                .is_ok_and(|r| r.status().is_success())
            {
                return child;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = child.kill();
        let _ = child.wait();
        panic!("server did not become ready");
    }
}

/// A fresh database: a SQLite file in `dir`, or a new PostgreSQL database with
/// `TEST_DATABASE_URL`.
fn database_url(dir: &tempfile::TempDir) -> String {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(base) if !base.is_empty() => {
            use diesel::{Connection, RunQueryDsl};
            let name = format!("test_{}", uuid::Uuid::new_v4().simple());
            let mut admin = diesel::PgConnection::establish(&base).unwrap();
            diesel::sql_query(format!("CREATE DATABASE {name}"))
                .execute(&mut admin)
                .unwrap();
            format!("{}/{name}", base.rsplit_once('/').unwrap().0)
        }
        _ => format!("sqlite://{}", dir.path().join("ruad.db").display()),
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn sigkill_during_concurrent_uploads_loses_no_acknowledged_report() {
    let dir = tempfile::tempdir().unwrap();
    let database_url = database_url(&dir);
    let port = free_port();
    let server = Server {
        env: vec![
            ("RUAD_DATABASE_URL".into(), database_url),
            ("RUAD_LISTEN".into(), format!("127.0.0.1:{port}")),
            (
                "RUAD_JWT_SECRET".into(),
                "crash-test-secret-crash-test-secret-0000".into(),
            ),
            // The enrichment worker runs during the crash too; its DNS goes to a closed
            // local port, never to the internet.
            ("RUAD_DNS_NAMESERVERS".into(), "127.0.0.1:1".into()),
            ("RUAD_DNS_TIMEOUT_MS".into(), "300".into()),
        ],
        base: format!("http://127.0.0.1:{port}"),
    };
    let key = server.bootstrap("crash");
    let mut child = server.start();
    let client = reqwest::blocking::Client::new();
    let r = client
        .post(format!("{}/api/v1/domains", server.base))
        .bearer_auth(&key)
        .json(&json!({"name": "example.com"}))
        .send()
        .unwrap();
    assert_eq!(r.status(), 201);

    let acknowledged = Arc::new(Mutex::new(Vec::<(String, usize)>::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let next = Arc::new(Mutex::new(0usize));
    let workers: Vec<_> = (0..8)
        .map(|_| {
            let (acknowledged, stop, next, key, base) = (
                acknowledged.clone(),
                stop.clone(),
                next.clone(),
                key.clone(),
                server.base.clone(),
            );
            std::thread::spawn(move || {
                let client = reqwest::blocking::Client::builder()
                    .timeout(Duration::from_secs(20))
                    .build()
                    .unwrap();
                while !stop.load(Ordering::SeqCst) {
                    let n = {
                        let mut g = next.lock().unwrap();
                        *g += 1;
                        *g
                    };
                    let Ok(response) = client
                        .post(format!("{base}/api/v1/reports"))
                        .bearer_auth(&key)
                        .body(report(n))
                        .send()
                    else {
                        break;
                    };
                    if response.status() == 201 {
                        let body: Value = response.json().unwrap();
                        acknowledged
                            .lock()
                            .unwrap()
                            .push((body["reports"][0]["id"].as_str().unwrap().to_string(), n));
                    }
                }
            })
        })
        .collect();
    // Let uploads run, then kill without warning while more are in flight.
    let deadline = Instant::now() + Duration::from_secs(20);
    while acknowledged.lock().unwrap().len() < 20 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    stop.store(true, Ordering::SeqCst);
    for w in workers {
        w.join().unwrap();
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(
        acknowledged.len() >= 20,
        "too few uploads before the kill: {}",
        acknowledged.len()
    );

    let mut child = server.start();
    for (id, _) in &acknowledged {
        let r = client
            .get(format!("{}/api/v1/reports/{id}", server.base))
            .bearer_auth(&key)
            .send()
            .unwrap();
        assert_eq!(r.status(), 200, "acknowledged report {id} lost");
        let body: Value = r.json().unwrap();
        assert_eq!(body["report"]["records"].as_array().unwrap().len(), RECORDS);
    }
    // Every stored report is whole: records and aggregates agree with the number of reports.
    let mut stored = 0usize;
    let mut cursor: Option<String> = None;
    loop {
        let mut url = format!("{}/api/v1/reports?limit=500", server.base);
        if let Some(c) = &cursor {
            url.push_str(&format!("&cursor={c}"));
        }
        let page: Value = client
            .get(url)
            .bearer_auth(&key)
            .send()
            .unwrap()
            .json()
            .unwrap();
        for item in page["items"].as_array().unwrap() {
            assert_eq!(item["records"], RECORDS, "partial report {item}");
            assert_eq!(item["messages"], 2 * RECORDS);
            stored += 1;
        }
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    assert!(stored >= acknowledged.len());
    let totals: Value = client
        .get(format!(
            "{}/api/v1/domains/example.com/dmarc/by-result?from=2023-11-14&to=2023-11-15",
            server.base
        ))
        .bearer_auth(&key)
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(
        totals["total_messages"].as_u64().unwrap() as usize,
        stored * 2 * RECORDS
    );
    child.kill().unwrap();
    child.wait().unwrap();
}

/// A webhook receiver that, while `stall` is set, reads requests and never answers them.
struct StallingReceiver {
    port: u16,
    stall: Arc<AtomicBool>,
    /// The `ruad-delivery` header of every request received.
    seen: Arc<Mutex<Vec<String>>>,
}

impl StallingReceiver {
    fn start() -> StallingReceiver {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let stall = Arc::new(AtomicBool::new(true));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let (stalling, seen_by) = (stall.clone(), seen.clone());
        std::thread::spawn(move || {
            let held = Arc::new(Mutex::new(Vec::new()));
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let (stalling, seen_by, held) = (stalling.clone(), seen_by.clone(), held.clone());
                std::thread::spawn(move || answer(stream, &stalling, &seen_by, &held));
            }
        });
        StallingReceiver { port, stall, seen }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}/hook", self.port)
    }

    fn seen(&self) -> Vec<String> {
        self.seen.lock().unwrap().clone()
    }
}

/// Reads one HTTP request; answers 200, or keeps the connection open without a word.
fn answer(
    mut stream: std::net::TcpStream,
    stall: &AtomicBool,
    seen: &Mutex<Vec<String>>,
    held: &Mutex<Vec<std::net::TcpStream>>,
) {
    use std::io::{Read, Write};
    let mut request = Vec::new();
    let mut buf = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = request.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => request.extend_from_slice(&buf[..n]),
        }
    };
    let head = String::from_utf8_lossy(&request[..head_end]).to_lowercase();
    let header = |name: &str| {
        head.lines()
            .find_map(|l| l.strip_prefix(&format!("{name}:")))
            .map(|v| v.trim().to_string())
    };
    let length: usize = header("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    while request.len() < head_end + length {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => request.extend_from_slice(&buf[..n]),
        }
    }
    seen.lock()
        .unwrap()
        .push(header("ruad-delivery").unwrap_or_default());
    if stall.load(Ordering::SeqCst) {
        held.lock().unwrap().push(stream);
    } else {
        let _ = stream
            .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok");
    }
}

/// Status of every delivery of a webhook, by delivery id.
fn delivery_statuses(base: &str, key: &str, webhook: &str) -> Vec<(String, String)> {
    let page: Value = reqwest::blocking::Client::new()
        .get(format!("{base}/api/v1/webhooks/{webhook}/deliveries"))
        .bearer_auth(key)
        .send()
        .unwrap()
        .json()
        .unwrap();
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["id"].as_str().unwrap().to_string(),
                d["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn jobs_held_by_a_killed_instance_are_finished_by_the_next_one() {
    let dir = tempfile::tempdir().unwrap();
    let database_url = database_url(&dir);
    let postgres = database_url.starts_with("postgres");
    // SQLite: the restarted instance frees every lease at once, so a long lease shows that
    // nothing waited for it. PostgreSQL: another instance takes the jobs over when the short
    // lease lapses.
    let lease: u64 = if postgres { 3 } else { 30 };
    let receiver = StallingReceiver::start();
    let instance = |id: &str| {
        let port = free_port();
        Server {
            env: vec![
                ("RUAD_DATABASE_URL".into(), database_url.clone()),
                ("RUAD_LISTEN".into(), format!("127.0.0.1:{port}")),
                (
                    "RUAD_JWT_SECRET".into(),
                    "crash-test-secret-crash-test-secret-0000".into(),
                ),
                ("RUAD_DNS_NAMESERVERS".into(), "127.0.0.1:1".into()),
                ("RUAD_DNS_TIMEOUT_MS".into(), "300".into()),
                ("RUAD_DNS_RECHECK_HOURS".into(), "0".into()),
                ("RUAD_OUTBOUND_ALLOW_PRIVATE".into(), "true".into()),
                // A stalled attempt outlives the test: only the kill ends it.
                ("RUAD_WEBHOOK_TIMEOUT_SECONDS".into(), "60".into()),
                ("RUAD_JOB_LEASE_SECONDS".into(), lease.to_string()),
                ("RUAD_INSTANCE_ID".into(), id.into()),
            ],
            base: format!("http://127.0.0.1:{port}"),
        }
    };
    let first = instance("first");
    let key = first.bootstrap("leases");
    let mut child = first.start();
    let client = reqwest::blocking::Client::new();
    let webhook: Value = client
        .post(format!("{}/api/v1/webhooks", first.base))
        .bearer_auth(&key)
        .json(&json!({"url": receiver.url(), "events": ["report.received"]}))
        .send()
        .unwrap()
        .json()
        .unwrap();
    let webhook = webhook["id"].as_str().unwrap().to_string();
    for _ in 0..3 {
        let r = client
            .post(format!("{}/api/v1/webhooks/{webhook}/test", first.base))
            .bearer_auth(&key)
            .json(&json!({}))
            .send()
            .unwrap();
        assert_eq!(r.status(), 202);
    }
    // All three attempts are in flight, each job under a lease the first instance holds.
    let deadline = Instant::now() + Duration::from_secs(20);
    while receiver.seen().len() < 3 {
        assert!(Instant::now() < deadline, "attempts: {:?}", receiver.seen());
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let killed = Instant::now();
    receiver.stall.store(false, Ordering::SeqCst);

    let next = if postgres {
        instance("second")
    } else {
        instance("first")
    };
    let mut child = next.start();
    let statuses = loop {
        let statuses = delivery_statuses(&next.base, &key, &webhook);
        if statuses.len() == 3 && statuses.iter().all(|(_, s)| s == "succeeded") {
            break statuses;
        }
        assert!(
            killed.elapsed() < Duration::from_secs(lease + 15),
            "deliveries not finished: {statuses:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    let took = killed.elapsed();
    child.kill().unwrap();
    child.wait().unwrap();
    // Each delivery reached the receiver twice: the attempt cut by the kill, and its retry.
    let seen = receiver.seen();
    for (id, _) in &statuses {
        assert_eq!(seen.iter().filter(|s| *s == id).count(), 2, "{seen:?}");
    }
    if postgres {
        // Within one lease period of the kill (plus the second's granularity and slack).
        assert!(
            took < Duration::from_secs(lease + 4),
            "took {took:?} with a {lease} s lease"
        );
    } else {
        // At once after the restart, long before the 30 s lease would lapse.
        assert!(took < Duration::from_secs(10), "took {took:?}");
    }
    eprintln!(
        "{} jobs finished {:.2} s after the kill ({} s lease, {})",
        statuses.len(),
        took.as_secs_f64(),
        lease,
        if postgres {
            "another instance on PostgreSQL"
        } else {
            "restarted on SQLite"
        }
    );
}
