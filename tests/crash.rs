//! Durability: SIGKILL the server in the middle of concurrent uploads. Every report that
//! was answered 201 must be there after a restart, complete; no partial report may exist.
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
    let database_url = match std::env::var("TEST_DATABASE_URL") {
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
    };
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
    let tenant = server.admin(&["admin", "create-tenant", "--name", "crash"]);
    let key = server.admin(&[
        "admin",
        "create-api-key",
        "--tenant",
        tenant["id"].as_str().unwrap(),
        "--role",
        "admin",
    ]);
    let key = key["key"].as_str().unwrap().to_string();
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
