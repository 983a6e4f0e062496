//! Benchmark (ignored by default): a backfill of `BENCH_IMAP_MESSAGES` (default 10,000)
//! report messages from Dovecot on loopback into the real server binary (`RUAD_BIN`, default
//! the dev build), on SQLite (or PostgreSQL with `TEST_DATABASE_URL`). Prints messages/s and
//! the server's peak RSS (VmHWM). Run:
//!
//! ```sh
//! cargo build --release --bin ruad
//! RUAD_BIN=target/release/ruad BENCH_IMAP_MESSAGES=10000 cargo test --release --test imap -- --ignored --nocapture bench
//! ```

use crate::SECRET_KEY;
use crate::crash::report_email;
use crate::dovecot::{Auth, Dovecot, PASSWORD, USER};
use serde_json::{Value, json};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn peak_rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

#[test]
#[ignore = "benchmark: run with --ignored"]
fn bench_imap_backfill() {
    let messages: usize = std::env::var("BENCH_IMAP_MESSAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let Some(dovecot) = Dovecot::start(Auth::Password) else {
        return;
    };
    let started = Instant::now();
    let files: Vec<std::path::PathBuf> = (0..messages)
        .map(|n| {
            let path = dovecot.dir.path().join(format!("m-{n}.eml"));
            std::fs::write(&path, report_email(n)).unwrap();
            path
        })
        .collect();
    dovecot.deliver(&files);
    for f in &files {
        let _ = std::fs::remove_file(f);
    }
    assert_eq!(dovecot.count("INBOX"), messages);
    eprintln!(
        "delivered {messages} messages into the Maildir in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let bin = std::env::var("RUAD_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_ruad").into());
    let dir = tempfile::tempdir().unwrap();
    let database_url = crate::helpers::test_database_url(&dir);
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let env: Vec<(&str, String)> = vec![
        ("RUAD_DATABASE_URL", database_url.clone()),
        ("RUAD_LISTEN", format!("127.0.0.1:{port}")),
        (
            "RUAD_JWT_SECRET",
            "imap-bench-secret-imap-bench-secret-0000".into(),
        ),
        ("RUAD_SECRET_KEY", SECRET_KEY.into()),
        ("RUAD_IMAP_CA_FILE", dovecot.ca_file.display().to_string()),
        ("RUAD_OUTBOUND_ALLOW_PRIVATE", "true".into()),
        ("RUAD_DNS_NAMESERVERS", "127.0.0.1:1".into()),
        ("RUAD_DNS_TIMEOUT_MS", "300".into()),
        ("RUAD_DNS_RECHECK_HOURS", "0".into()),
    ];
    let admin = |args: &[&str]| -> Value {
        let out = Command::new(&bin)
            .args(args)
            .env_remove("RUAD_BIN")
            .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let tenant = admin(&["admin", "create-tenant", "--name", "bench"]);
    let key = admin(&[
        "admin",
        "create-api-key",
        "--tenant",
        tenant["id"].as_str().unwrap(),
        "--role",
        "admin",
    ])["key"]
        .as_str()
        .unwrap()
        .to_string();
    let mut child = Command::new(&bin)
        .arg("serve")
        .env_remove("RUAD_BIN")
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::blocking::Client::new();
    let deadline = Instant::now() + Duration::from_secs(30);
    while !client
        .get(format!("{base}/readyz"))
        .send()
        .is_ok_and(|r| r.status().is_success())
    {
        assert!(Instant::now() < deadline, "server did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    let post = |path: &str, body: Value| -> Value {
        client
            .post(format!("{base}{path}"))
            .bearer_auth(&key)
            .json(&body)
            .send()
            .unwrap()
            .json()
            .unwrap()
    };
    post("/api/v1/domains", json!({"name": "example.com"}));
    let rss_before = peak_rss_kib(child.id());
    let started = Instant::now();
    let created = post(
        "/api/v1/mailboxes",
        json!({"host": "127.0.0.1", "port": dovecot.imaps_port, "username": USER,
               "auth": {"type": "password", "password": PASSWORD}}),
    );
    let id = created["id"].as_str().unwrap().to_string();
    let mut checkpoints = Vec::new();
    let status = loop {
        let s: Value = client
            .get(format!("{base}/api/v1/mailboxes/{id}"))
            .bearer_auth(&key)
            .send()
            .unwrap()
            .json()
            .unwrap();
        let seen = s["status"]["messages_seen"].as_u64().unwrap() as usize;
        if checkpoints.len() < 10 && seen >= (checkpoints.len() + 1) * messages / 10 {
            checkpoints.push((
                seen,
                started.elapsed().as_secs_f64(),
                peak_rss_kib(child.id()),
            ));
        }
        if seen >= messages {
            break s;
        }
        assert!(
            started.elapsed() < Duration::from_secs(3600),
            "backfill too slow: {s:#}"
        );
        std::thread::sleep(Duration::from_millis(200));
    };
    let elapsed = started.elapsed().as_secs_f64();
    let peak = peak_rss_kib(child.id());
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(
        status["status"]["reports_stored"], messages as u64,
        "{status:#}"
    );
    assert_eq!(dovecot.count("INBOX"), 0);
    assert_eq!(dovecot.count("ruad-processed"), messages);
    eprintln!("messages seen, seconds, peak RSS (KiB) along the way:");
    for (seen, secs, rss) in &checkpoints {
        eprintln!("  {seen:>7} {secs:>8.1} {rss:>9}");
    }
    eprintln!(
        "IMAP backfill: {messages} messages in {elapsed:.1} s = {:.0} messages/s; server peak RSS {} KiB (before the backfill {} KiB); database {}",
        messages as f64 / elapsed,
        peak,
        rss_before,
        if database_url.starts_with("sqlite") {
            "SQLite"
        } else {
            "PostgreSQL"
        }
    );
}
