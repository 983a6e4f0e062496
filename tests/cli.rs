//! The `ruad` binary as users run it (`env!("CARGO_BIN_EXE_ruad")`): what `ruad parse`
//! prints, what goes to stderr, exit statuses, and the messages of `ruad admin` and
//! `ruad serve`.
//!
//! The corpus tests read the shared corpus from `RUAD_CORPUS_DIR` (default
//! `../shared/corpus`), like `tests/corpus.rs`, and pass with a notice when it is absent.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use ruad::domain::report::{Record, TlsReport};
use ruad::reports::summary::{AggregateTotals, TlsTotals};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn ruad() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_ruad"));
    // Nothing from the caller's environment may steer the binary.
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("RUAD_") {
            cmd.env_remove(key);
        }
    }
    cmd.env_remove("RUST_LOG");
    cmd
}

fn corpus_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("RUAD_CORPUS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"));
    dir.join("EXPECTED.json").is_file().then_some(dir)
}

fn corpus_files(dir: &Path) -> Vec<String> {
    let expected: Value =
        serde_json::from_slice(&std::fs::read(dir.join("EXPECTED.json")).unwrap()).unwrap();
    expected["files"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect()
}

/// Runs `ruad parse [--summary] FILE` and returns its stdout lines.
fn parse_lines(path: &Path, summary: bool) -> Vec<String> {
    let mut cmd = ruad();
    cmd.arg("parse");
    if summary {
        cmd.arg("--summary");
    }
    let out = cmd.arg(path).output().expect("run ruad parse");
    String::from_utf8(out.stdout)
        .expect("stdout is UTF-8")
        .lines()
        .map(str::to_string)
        .collect()
}

/// The totals fields of a summary line.
fn totals_of(summary: &Value, fields: &[&str]) -> Value {
    let mut out = serde_json::Map::new();
    for f in fields {
        out.insert((*f).to_string(), summary[*f].clone());
    }
    Value::Object(out)
}

#[test]
fn full_parse_output_is_one_json_document_per_report_whose_records_add_up_to_the_summary() {
    let Some(dir) = corpus_dir() else {
        eprintln!("corpus not found (set RUAD_CORPUS_DIR); skipping");
        return;
    };
    let mut problems = Vec::new();
    let (mut aggregates, mut tls) = (0, 0);
    for name in corpus_files(&dir) {
        let path = dir.join(&name);
        let full = parse_lines(&path, false);
        let summaries = parse_lines(&path, true);
        if full.len() != summaries.len() {
            problems.push(format!(
                "{name}: {} full documents, {} summary lines",
                full.len(),
                summaries.len()
            ));
            continue;
        }
        for (i, (line, summary)) in full.iter().zip(&summaries).enumerate() {
            let doc: Value = match serde_json::from_str(line) {
                Ok(v) => v,
                Err(e) => {
                    let shown: String = line.chars().take(300).collect();
                    problems.push(format!("{name} #{i}: not JSON ({e}): {shown}…"));
                    continue;
                }
            };
            let summary: Value = serde_json::from_str(summary).unwrap();
            if doc["kind"] != summary["kind"] || doc["error"]["code"] != summary["error"]["code"] {
                problems.push(format!(
                    "{name} #{i}: full says {} / {}, summary {} / {}",
                    doc["kind"], doc["error"]["code"], summary["kind"], summary["error"]["code"]
                ));
                continue;
            }
            match doc["kind"].as_str() {
                Some("dmarc_aggregate") => {
                    aggregates += 1;
                    let mut totals = AggregateTotals::default();
                    for record in doc["records"].as_array().unwrap() {
                        let record: Record = serde_json::from_value(record.clone()).unwrap();
                        totals.add(&record);
                    }
                    let want = totals_of(
                        &summary,
                        &[
                            "records",
                            "messages",
                            "disposition",
                            "dkim_aligned",
                            "spf_aligned",
                            "dmarc_pass_messages",
                        ],
                    );
                    if serde_json::to_value(&totals).unwrap() != want {
                        problems.push(format!(
                            "{name} #{i}: records add up to {}, summary says {want}",
                            serde_json::to_value(&totals).unwrap()
                        ));
                    }
                    if doc["policy_published"]["domain"] != summary["policy_domain"]
                        || doc["report_metadata"]["report_id"] != summary["report_id"]
                        || !doc["warnings"].is_array()
                    {
                        problems.push(format!("{name} #{i}: header differs from the summary"));
                    }
                }
                Some("tls_report") => {
                    tls += 1;
                    let report: TlsReport = serde_json::from_value(doc.clone()).unwrap();
                    let want = totals_of(
                        &summary,
                        &[
                            "policies",
                            "successful_sessions",
                            "failed_sessions",
                            "failed_sessions_by_result_type",
                        ],
                    );
                    let got = serde_json::to_value(TlsTotals::from(&report)).unwrap();
                    if got != want {
                        problems.push(format!(
                            "{name} #{i}: policies add up to {got}, summary says {want}"
                        ));
                    }
                }
                _ => {}
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
    assert!(
        aggregates >= 80 && tls >= 10,
        "{aggregates} aggregate / {tls} TLS reports"
    );
}

fn stderr_of(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn sqlite_url(dir: &tempfile::TempDir) -> String {
    format!("sqlite://{}", dir.path().join("ruad.db").display())
}

#[test]
fn admin_errors_name_the_missing_tenant() {
    let dir = tempfile::tempdir().unwrap();
    let url = sqlite_url(&dir);
    let out = ruad()
        .args([
            "admin",
            "create-api-key",
            "--tenant",
            "123",
            "--role",
            "admin",
        ])
        .env("RUAD_DATABASE_URL", &url)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        stderr_of(&out).contains("tenant 123 not found"),
        "{}",
        stderr_of(&out)
    );
    let out = ruad()
        .args([
            "admin",
            "create-tenant",
            "--name",
            "child",
            "--parent",
            "p-9",
        ])
        .env("RUAD_DATABASE_URL", &url)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        stderr_of(&out).contains("parent tenant p-9 not found"),
        "{}",
        stderr_of(&out)
    );
}

#[test]
fn admin_says_which_database_it_uses_without_the_password() {
    let dir = tempfile::tempdir().unwrap();
    let url = sqlite_url(&dir);
    let out = ruad()
        .args(["admin", "create-tenant", "--name", "Operator"])
        .env("RUAD_DATABASE_URL", &url)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(
        stderr_of(&out).contains(&format!("ruad: database {url}")),
        "{}",
        stderr_of(&out)
    );
    // Nothing listens on port 1: the connection fails at once, after the line is printed.
    let out = ruad()
        .args(["admin", "create-tenant", "--name", "Operator"])
        .env(
            "RUAD_DATABASE_URL",
            "postgres://ruad:s3cret@127.0.0.1:1/ruad?sslmode=disable&password=s3cret",
        )
        .output()
        .unwrap();
    let err = stderr_of(&out);
    assert!(!out.status.success());
    assert!(
        err.contains("ruad: database postgres://ruad@127.0.0.1:1/ruad?sslmode=disable"),
        "{err}"
    );
    assert!(!err.contains("s3cret"), "{err}");
}

/// Reads `child`'s stderr until a line contains `marker` (or 20 s pass); returns it all.
fn stderr_until(child: &mut std::process::Child, marker: &str) -> String {
    use std::io::BufRead;
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut seen = String::new();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while let Some(left) = deadline.checked_duration_since(std::time::Instant::now()) {
        match rx.recv_timeout(left) {
            Ok(line) => {
                seen.push_str(&line);
                seen.push('\n');
                if line.contains(marker) {
                    break;
                }
            }
            Err(_) => break,
        }
    }
    seen
}

fn serve_command(dir: &tempfile::TempDir, listen: &str) -> Command {
    let mut cmd = ruad();
    cmd.arg("serve")
        .env("RUAD_DATABASE_URL", sqlite_url(dir))
        .env("RUAD_LISTEN", listen)
        .env("RUAD_JOBS_ENABLED", "false")
        .env("RUAD_DNS_RECHECK_HOURS", "0")
        .env("RUAD_WORKERS", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    cmd
}

#[test]
fn serve_logs_its_database_and_address_without_colour_when_piped() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = serve_command(&dir, "127.0.0.1:0").spawn().unwrap();
    let err = stderr_until(&mut child, "listening");
    let _ = child.kill();
    let _ = child.wait();
    assert!(err.contains("listening"), "{err}");
    assert!(
        err.contains(&format!("database {}", sqlite_url(&dir))),
        "{err}"
    );
    assert!(err.contains("127.0.0.1:"), "{err}");
    assert!(
        !err.contains("127.0.0.1:0 "),
        "the bound port, not 0: {err}"
    );
    assert!(
        !err.contains('\u{1b}'),
        "ANSI escapes in piped logs: {err:?}"
    );
}

#[test]
fn serve_names_the_address_it_cannot_listen_on() {
    let dir = tempfile::tempdir().unwrap();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let out = serve_command(&dir, &addr).output().unwrap();
    let err = stderr_of(&out);
    assert!(!out.status.success(), "{err}");
    assert!(
        err.contains(&format!("cannot listen on {addr}: Address already in use")),
        "{err}"
    );
    assert!(!err.contains('\u{1b}'), "{err:?}");
}

#[test]
fn a_closed_pipe_ends_output_quietly() {
    for args in [
        &[
            "dns",
            "generate",
            "dmarc",
            "--input",
            r#"{"domain":"example.com","p":"reject"}"#,
        ][..],
        &["parse", "tests/fixtures/reports/001-rfc7489-google.xml"][..],
    ] {
        // The read end is closed before the process starts, so its first write fails.
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let out = ruad()
            .args(args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdout(writer)
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        let err = stderr_of(&out);
        assert!(out.status.success(), "{args:?}: {:?} {err}", out.status);
        assert_eq!(err, "", "{args:?}");
    }
}

/// Every field of [`ruad::app::settings::Settings`], from serde's own list (the one it prints for
/// an unknown field), so a new field cannot be missed.
fn settings_fields() -> Vec<String> {
    let e = serde_json::from_str::<ruad::app::settings::Settings>(r#"{"no_such_field": 1}"#)
        .unwrap_err()
        .to_string();
    let list = e.split("expected one of").nth(1).expect(&e);
    let fields: Vec<String> = list
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect();
    assert!(fields.len() > 10, "{e}");
    fields
}

#[test]
fn serve_help_lists_every_setting() {
    let out = ruad().args(["serve", "--help"]).output().unwrap();
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    for field in settings_fields() {
        let var = format!("RUAD_{}", field.to_ascii_uppercase());
        let line = help
            .lines()
            .find(|l| l.split_whitespace().next() == Some(var.as_str()))
            .unwrap_or_else(|| panic!("{var} missing from `ruad serve --help`:\n{help}"));
        assert!(
            line.split_whitespace().count() > 2,
            "{var} has no description: {line}"
        );
    }
    assert!(help.contains("RUAD_CONFIG"), "{help}");
}

#[test]
fn tls_summaries_give_the_policy_domain() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/reports/026-tls-rfc8460-mx-host-string.json");
    let full: Value = serde_json::from_str(&parse_lines(&path, false)[0]).unwrap();
    let summary: Value = serde_json::from_str(&parse_lines(&path, true)[0]).unwrap();
    assert_eq!(summary["kind"], "tls_report");
    let first = &full["policies"][0]["policy"]["policy_domain"];
    assert!(first.is_string(), "{full}");
    assert_eq!(summary["policy_domain"], *first, "{summary}");
}

#[test]
fn a_failure_report_parses_to_json_with_the_same_summary_fields() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/reports/031-failure-report.eml");
    let full: Value = serde_json::from_str(&parse_lines(&path, false)[0]).unwrap();
    let summary: Value = serde_json::from_str(&parse_lines(&path, true)[0]).unwrap();
    assert_eq!(full["kind"], "failure_report", "{full}");
    assert_eq!(summary["kind"], "failure_report", "{summary}");
    assert_eq!(full["policy_domain"], "example.com");
    assert_eq!(summary["policy_domain"], "example.com");
    assert_eq!(full["source_ip"], "10.10.10.10");
    assert_eq!(summary["source_ip"], full["source_ip"]);
    assert_eq!(summary["auth_failure"], full["auth_failure"]);
    assert_eq!(summary["arrival_date"], full["arrival_date"]);
    assert_eq!(
        full["original"]["subject"],
        "Subject line, could be UTF8 encoded"
    );
    assert!(full["warnings"].is_array());
    // `ruad parse` reads local files: nothing is redacted.
    assert_eq!(full["original_rcpt_to"][0], "recipient@linkedin.com");
    let status = ruad().arg("parse").arg(&path).output().unwrap().status;
    assert!(status.success());
}
