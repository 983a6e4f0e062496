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

/// A one-record DMARC aggregate report.
fn aggregate_xml(report_id: &str, domain: &str, ip: &str, count: u64) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<feedback><report_metadata><org_name>Receiver Example</org_name><email>noreply@receiver.example</email><report_id>{report_id}</report_id><date_range><begin>1700000000</begin><end>1700086399</end></date_range></report_metadata><policy_published><domain>{domain}</domain><p>none</p></policy_published><record><row><source_ip>{ip}</source_ip><count>{count}</count><policy_evaluated><disposition>none</disposition><dkim>pass</dkim><spf>pass</spf></policy_evaluated></row><identifiers><header_from>{domain}</header_from></identifiers><auth_results><spf><domain>{domain}</domain><result>pass</result></spf></auth_results></record></feedback>
"#
    )
}

/// An email carrying `xml` as its attachment.
fn report_email(xml: &str, report_id: &str) -> String {
    format!(
        "From: noreply@receiver.example\nTo: dmarc@ruad.example\nSubject: Report Domain: example.com Report-ID: {report_id}\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b1\"\n\n--b1\nContent-Type: text/plain\n\nA DMARC report.\n\n--b1\nContent-Type: application/xml\nContent-Disposition: attachment; filename=\"{report_id}.xml\"\n\n{xml}\n--b1--\n"
    )
}

/// A database with tenant `Operator` that registered example.com and example.org; returns
/// its URL and the tenant id.
fn database_with_domains(dir: &tempfile::TempDir) -> (String, String) {
    let url = sqlite_url(dir);
    let out = ruad()
        .args(["admin", "create-tenant", "--name", "Operator"])
        .env("RUAD_DATABASE_URL", &url)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let tenant: Value = serde_json::from_slice(&out.stdout).unwrap();
    let tenant = tenant["id"].as_str().unwrap().to_string();
    let db = ruad::storage::Db::connect(&url, 1).unwrap();
    let id = ruad::domain::ids::TenantId::from(tenant.as_str());
    db.write(|conn| {
        let scope = ruad::storage::tenants::find_tenant_unscoped(conn, &id)?
            .unwrap()
            .scope();
        for name in ["example.com", "example.org"] {
            let name = ruad::domain::domain_name::DomainName::parse(name).unwrap();
            ruad::storage::domains::insert_domain(conn, &scope, &id, &name)?;
        }
        Ok(())
    })
    .unwrap();
    (url, tenant)
}

/// An import tree: an mbox of three messages (two reports, one letter), a Maildir with one
/// report in `new/` and a half-delivered one in `tmp/`, a plain XML report, and a zip of two
/// reports that is over the item limit given to the run. Seven items, six reports.
fn import_tree(dir: &Path) -> Vec<PathBuf> {
    let mbox = dir.join("archive.mbox");
    let mut text = String::new();
    for (i, id) in ["mbox-1", "mbox-2"].iter().enumerate() {
        let xml = aggregate_xml(id, "example.com", &format!("192.0.2.{}", i + 1), 10);
        text.push_str("From noreply@receiver.example Mon Jan  1 00:00:00 2024\n");
        text.push_str(&report_email(&xml, id));
        text.push('\n');
    }
    text.push_str(
        "From someone@example.net Mon Jan  1 00:00:00 2024\nSubject: hello\n\nno report here\n",
    );
    std::fs::write(&mbox, text).unwrap();
    let maildir = dir.join("Maildir");
    for sub in ["cur", "new", "tmp"] {
        std::fs::create_dir_all(maildir.join(sub)).unwrap();
    }
    let xml = aggregate_xml("maildir-1", "example.org", "198.51.100.7", 5);
    std::fs::write(maildir.join("new/1.host"), report_email(&xml, "maildir-1")).unwrap();
    std::fs::write(maildir.join("tmp/2.host"), "half delivered").unwrap();
    let plain = dir.join("plain.xml");
    std::fs::write(
        &plain,
        aggregate_xml("plain-1", "example.org", "198.51.100.8", 3),
    )
    .unwrap();
    let zip_path = dir.join("bundle.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&zip_path).unwrap());
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for id in ["zip-1", "zip-2"] {
        use std::io::Write;
        zip.start_file(format!("{id}.xml"), stored).unwrap();
        let mut xml = aggregate_xml(id, "example.com", "203.0.113.9", 2);
        // Pad so the archive is over the item limit and each entry under it.
        xml.push_str(&format!("<!-- {} -->\n", "x".repeat(1500)));
        zip.write_all(xml.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
    vec![mbox, maildir, plain, zip_path]
}

fn summary_of(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            stderr_of(out)
        )
    })
}

#[test]
fn ingest_imports_mbox_maildir_files_and_large_zips_into_the_database_and_a_rerun_stores_nothing_new()
 {
    let dir = tempfile::tempdir().unwrap();
    let (url, tenant) = database_with_domains(&dir);
    let inputs = tempfile::tempdir().unwrap();
    let paths = import_tree(inputs.path());
    let log = dir.path().join("ingest.jsonl");
    let run = || {
        ruad()
            .arg("ingest")
            .args(["--tenant", &tenant, "--jobs", "3", "--log"])
            .arg(&log)
            .args(&paths)
            .env("RUAD_DATABASE_URL", &url)
            .env("RUAD_MAX_UPLOAD_BYTES", "3000")
            .output()
            .unwrap()
    };
    let out = run();
    let summary = summary_of(&out);
    // The letter in the mbox holds no report: the run says so and exits 1.
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
    assert_eq!(summary["items"], 7, "{summary}");
    assert_eq!(summary["reports_stored"], 6, "{summary}");
    assert_eq!(summary["reports_duplicate"], 0, "{summary}");
    assert_eq!(summary["items_failed"], 1, "{summary}");
    let err = stderr_of(&out);
    assert!(err.contains("archive.mbox#3"), "{err}");
    let lines: Vec<Value> = std::fs::read_to_string(&log)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 7);
    let failed: Vec<&Value> = lines.iter().filter(|l| l["outcome"] == "failed").collect();
    assert_eq!(failed.len(), 1);
    assert!(
        failed[0]["item"]
            .as_str()
            .unwrap()
            .ends_with("archive.mbox#3")
    );
    assert!(lines.iter().any(|l| {
        l["item"]
            .as_str()
            .unwrap()
            .ends_with("bundle.zip!zip-2.xml")
            && l["outcome"] == "stored"
    }));
    let bytes: u64 = lines
        .iter()
        .map(|l| l["input_bytes"].as_u64().unwrap())
        .sum();
    let total: u64 = [
        "archive.mbox",
        "Maildir/new/1.host",
        "plain.xml",
        "bundle.zip",
    ]
    .iter()
    .map(|p| std::fs::metadata(inputs.path().join(p)).unwrap().len())
    .sum();
    assert_eq!(bytes, total, "every input byte is accounted for once");

    // What the database holds: six reports, 10+10+5+3+2+2 messages.
    let db = ruad::storage::Db::connect(&url, 1).unwrap();
    let (reports, messages): (i64, i64) = db
        .read(|conn| {
            use diesel::prelude::*;
            use ruad::storage::schema::reports::dsl::*;
            let counts: Vec<i64> = reports.select(message_count).load(conn)?;
            Ok((counts.len() as i64, counts.iter().sum()))
        })
        .unwrap();
    assert_eq!((reports, messages), (6, 32));

    // Again: everything is a duplicate, nothing new is stored.
    let out = run();
    let summary = summary_of(&out);
    assert_eq!(summary["reports_stored"], 0, "{summary}");
    assert_eq!(summary["reports_duplicate"], 6, "{summary}");
    assert_eq!(summary["items_failed"], 1, "{summary}");
}

#[test]
fn ingest_needs_a_tenant_or_a_server_and_names_a_missing_path() {
    let dir = tempfile::tempdir().unwrap();
    let (url, tenant) = database_with_domains(&dir);
    let out = ruad()
        .args(["ingest", "some.xml"])
        .env("RUAD_DATABASE_URL", &url)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr_of(&out).contains("--tenant"), "{}", stderr_of(&out));
    let out = ruad()
        .args(["ingest", "--tenant", &tenant, "/nonexistent/ruad-import"])
        .env("RUAD_DATABASE_URL", &url)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr_of(&out).contains("/nonexistent/ruad-import"),
        "{}",
        stderr_of(&out)
    );
}

/// Starts `ruad serve` on a free port and keeps reading its logs (a server whose stderr is
/// closed fails its requests); returns it and its address.
fn serve_in_background(dir: &tempfile::TempDir) -> (std::process::Child, String) {
    use std::io::BufRead;
    let mut child = serve_command(dir, "127.0.0.1:0").spawn().unwrap();
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            if line.contains("listening") {
                let _ = tx.send(line);
            }
        }
    });
    let line = rx
        .recv_timeout(std::time::Duration::from_secs(20))
        .expect("the server says where it listens");
    let addr = line
        .split_whitespace()
        .last()
        .unwrap()
        .trim_end_matches(|c: char| !c.is_ascii_digit())
        .to_string();
    (child, addr)
}

#[test]
fn ingest_sends_to_a_running_server_with_a_key_and_stops_on_a_refused_key() {
    let dir = tempfile::tempdir().unwrap();
    let (url, tenant) = database_with_domains(&dir);
    let out = ruad()
        .args([
            "admin",
            "create-api-key",
            "--tenant",
            &tenant,
            "--role",
            "writer",
        ])
        .env("RUAD_DATABASE_URL", &url)
        .output()
        .unwrap();
    let key: Value = serde_json::from_slice(&out.stdout).unwrap();
    let key = key["key"].as_str().unwrap().to_string();
    let (mut child, addr) = serve_in_background(&dir);
    let base = format!("http://{addr}");
    let inputs = tempfile::tempdir().unwrap();
    let paths = import_tree(inputs.path());
    let out = ruad()
        .arg("ingest")
        .args(["--url", &base, "--key", &key, "--jobs", "2"])
        .args(&paths)
        .env("RUAD_MAX_UPLOAD_BYTES", "3000")
        .output()
        .unwrap();
    let summary = summary_of(&out);
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
    assert_eq!(summary["items"], 7, "{summary}");
    assert_eq!(
        summary["reports_stored"],
        6,
        "{summary} {}",
        stderr_of(&out)
    );
    assert_eq!(summary["items_failed"], 1, "{summary}");
    assert!(
        stderr_of(&out).contains("not_a_report"),
        "{}",
        stderr_of(&out)
    );

    let out = ruad()
        .arg("ingest")
        .args(["--url", &base, "--key", "ruad_wrong", "--jobs", "2"])
        .args(&paths)
        .output()
        .unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
    assert!(
        stderr_of(&out).contains("refused the key (401)"),
        "{}",
        stderr_of(&out)
    );
    assert_eq!(summary_of(&out)["reports_stored"], 0);
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

#[test]
fn ingest_with_auto_register_registers_the_report_domains_for_the_tenant() {
    let dir = tempfile::tempdir().unwrap();
    let url = sqlite_url(&dir);
    let out = ruad()
        .args(["admin", "create-tenant", "--name", "Fresh"])
        .env("RUAD_DATABASE_URL", &url)
        .output()
        .unwrap();
    let tenant: Value = serde_json::from_slice(&out.stdout).unwrap();
    let tenant = tenant["id"].as_str().unwrap().to_string();
    let inputs = tempfile::tempdir().unwrap();
    let xml = inputs.path().join("r.xml");
    std::fs::write(
        &xml,
        aggregate_xml("auto-1", "mail.example.com", "192.0.2.1", 4),
    )
    .unwrap();
    let run = |extra: &[&str]| {
        ruad()
            .args(["ingest", "--tenant", &tenant])
            .args(extra)
            .arg(&xml)
            .env("RUAD_DATABASE_URL", &url)
            .output()
            .unwrap()
    };
    // Without the flag the domain is not registered: refused, nothing registered.
    let out = run(&[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
    assert!(
        stderr_of(&out).contains("domain_not_registered"),
        "{}",
        stderr_of(&out)
    );
    // With it, the organizational domain is registered for the tenant and the report filed.
    let out = run(&["--auto-register"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert_eq!(summary_of(&out)["reports_stored"], 1);
    let db = ruad::storage::Db::connect(&url, 1).unwrap();
    let names: Vec<(String, String)> = db
        .read(|conn| {
            use diesel::prelude::*;
            use ruad::storage::schema::domains::dsl::*;
            Ok(domains.select((name, tenant_id)).load(conn)?)
        })
        .unwrap();
    assert_eq!(names, vec![("example.com".to_string(), tenant.clone())]);
    // The flag has no meaning for a server (the upload API never registers): refused.
    let out = ruad()
        .args([
            "ingest",
            "--url",
            "http://127.0.0.1:1",
            "--key",
            "k",
            "--auto-register",
        ])
        .arg(&xml)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
}
