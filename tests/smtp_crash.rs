//! Durability of the mail intake: SIGKILL the server while eight SMTP clients (Python's
//! `smtplib`, tests/smtp/client.py) deliver reports. Every message answered `250` must be
//! stored whole after a restart; no partial report may exist. Runs the real binary,
//! bootstrapped with `ruad admin` as a script would (like tests/crash.rs for uploads). And
//! SIGTERM: an idle session is told `421 4.3.2` and the server exits cleanly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::{Value, json};
use std::collections::HashMap;
use std::io::BufRead;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Records per report: each message holds one report of this many records.
const RECORDS: usize = 300;

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

    fn bootstrap(&self) -> String {
        let tenant = self.admin(&["admin", "create-tenant", "--name", "mail"]);
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

/// Every stored report: its report id → records and messages.
fn stored_reports(base: &str, key: &str) -> HashMap<String, (u64, u64)> {
    let client = reqwest::blocking::Client::new();
    let mut out = HashMap::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut url = format!("{base}/api/v1/reports?limit=500");
        if let Some(c) = &cursor {
            url.push_str(&format!("&cursor={c}"));
        }
        let page: Value = client
            .get(url)
            .bearer_auth(key)
            .send()
            .unwrap()
            .json()
            .unwrap();
        for item in page["items"].as_array().unwrap() {
            out.insert(
                item["report_id"].as_str().unwrap().to_string(),
                (
                    item["records"].as_u64().unwrap(),
                    item["messages"].as_u64().unwrap(),
                ),
            );
        }
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => return out,
        }
    }
}

#[test]
fn sigkill_during_concurrent_smtp_sessions_loses_no_message_answered_250() {
    let dir = tempfile::tempdir().unwrap();
    let (port, smtp_port) = (free_port(), free_port());
    let server = Server {
        env: vec![
            ("RUAD_DATABASE_URL".into(), database_url(&dir)),
            ("RUAD_LISTEN".into(), format!("127.0.0.1:{port}")),
            (
                "RUAD_JWT_SECRET".into(),
                "crash-test-secret-crash-test-secret-0000".into(),
            ),
            ("RUAD_DNS_NAMESERVERS".into(), "127.0.0.1:1".into()),
            ("RUAD_DNS_TIMEOUT_MS".into(), "300".into()),
            ("RUAD_MAIL_DOMAIN".into(), "reports.ruad.test".into()),
            ("RUAD_SMTP_LISTEN".into(), format!("127.0.0.1:{smtp_port}")),
        ],
        base: format!("http://127.0.0.1:{port}"),
    };
    let key = server.bootstrap();
    let mut child = server.start();
    let client = reqwest::blocking::Client::new();
    let r = client
        .post(format!("{}/api/v1/domains", server.base))
        .bearer_auth(&key)
        .json(&json!({"name": "example.com"}))
        .send()
        .unwrap();
    assert_eq!(r.status(), 201);
    let intake: Value = client
        .get(format!("{}/api/v1/intake", server.base))
        .bearer_auth(&key)
        .send()
        .unwrap()
        .json()
        .unwrap();
    let to = intake["address"].as_str().unwrap().to_string();

    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/smtp/client.py");
    let mut flood = Command::new("python3")
        .args([
            script,
            "flood",
            "--port",
            &smtp_port.to_string(),
            "--to",
            &to,
            "--threads",
            "8",
            "--records",
            &RECORDS.to_string(),
            "--prefix",
            "crash",
        ])
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 must be installed");
    let stdout = flood.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    let reader = std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            let _ = tx.send(line);
        }
    });
    // Let messages flow, then kill without warning while more are in flight.
    let mut acked = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    while acked.len() < 100 && Instant::now() < deadline {
        if let Ok(line) = rx.recv_timeout(Duration::from_millis(100)) {
            let v: Value = serde_json::from_str(&line).unwrap();
            if let Some(id) = v["acked"].as_str() {
                acked.push(id.to_string());
            }
        }
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let status = flood.wait().unwrap();
    reader.join().unwrap();
    for line in rx.try_iter() {
        let v: Value = serde_json::from_str(&line).unwrap();
        if let Some(id) = v["acked"].as_str() {
            acked.push(id.to_string());
        }
    }
    assert!(status.success(), "the SMTP clients failed");
    assert!(
        acked.len() >= 100,
        "too few messages before the kill: {}",
        acked.len()
    );

    let mut child = server.start();
    let stored = stored_reports(&server.base, &key);
    for id in &acked {
        assert_eq!(
            stored.get(id),
            Some(&(RECORDS as u64, (RECORDS * (RECORDS + 1) / 2) as u64)),
            "report {id} answered 250 is missing or partial"
        );
    }
    // No partial report exists, acknowledged or not.
    for (id, counts) in &stored {
        assert_eq!(
            *counts,
            (RECORDS as u64, (RECORDS * (RECORDS + 1) / 2) as u64),
            "partial report {id}"
        );
    }
    eprintln!("{} answered 250, {} stored", acked.len(), stored.len());
    assert!(stored.len() >= acked.len());
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn sigterm_tells_an_idle_session_421_and_the_server_exits_cleanly() {
    use std::io::{BufRead, BufReader, Write};
    let dir = tempfile::tempdir().unwrap();
    let (port, smtp_port) = (free_port(), free_port());
    let server = Server {
        env: vec![
            ("RUAD_DATABASE_URL".into(), database_url(&dir)),
            ("RUAD_LISTEN".into(), format!("127.0.0.1:{port}")),
            (
                "RUAD_JWT_SECRET".into(),
                "crash-test-secret-crash-test-secret-0000".into(),
            ),
            ("RUAD_DNS_NAMESERVERS".into(), "127.0.0.1:1".into()),
            ("RUAD_MAIL_DOMAIN".into(), "reports.ruad.test".into()),
            ("RUAD_SMTP_LISTEN".into(), format!("127.0.0.1:{smtp_port}")),
        ],
        base: format!("http://127.0.0.1:{port}"),
    };
    let mut child = server.start();
    let stream = std::net::TcpStream::connect(("127.0.0.1", smtp_port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    assert!(line.starts_with("220 reports.ruad.test"), "{line}");
    let mut writer = stream;
    writer.write_all(b"EHLO client.example\r\n").unwrap();
    loop {
        line.clear();
        reader.read_line(&mut line).unwrap();
        if line.as_bytes().get(3) == Some(&b' ') {
            break;
        }
    }
    let term = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(term.success());
    line.clear();
    reader.read_line(&mut line).unwrap();
    assert_eq!(
        line,
        "421 4.3.2 reports.ruad.test shutting down, try again later\r\n"
    );
    line.clear();
    assert_eq!(reader.read_line(&mut line).unwrap(), 0, "{line}");
    let status = child.wait().unwrap();
    assert!(status.success(), "{status:?}");
    // Nothing listens any more.
    assert!(std::net::TcpStream::connect(("127.0.0.1", smtp_port)).is_err());
}
