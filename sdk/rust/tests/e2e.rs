//! End to end through the SDK only: domains, uploads, paging, aggregates, tenancy, tokens.
//!
//! Starts a real ruad (SQLite in a temporary directory, a free port on 127.0.0.1, no DNS or
//! background jobs reaching out) and makes tenants and keys with the `ruad admin` CLI.
//! `RUAD_BIN` names the server binary (default: `target/debug/ruad` of this repository, or of
//! `$CARGO_TARGET_DIR`); `RUAD_CORPUS_DIR` the shared report corpus (default
//! `../shared/corpus`). A missing binary or corpus fails the test: it never passes without
//! having run. `sdk/test.sh rust` builds the binary and runs it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use ruad_client::types::{self, ErrorCode, ReportKind, Role};
use ruad_client::{Client, Error, authenticated_client};
use serde_json::Value;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn ruad_bin() -> PathBuf {
    let bin = match std::env::var_os("RUAD_BIN") {
        Some(bin) => PathBuf::from(bin),
        None => std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| repo().join("target"))
            .join("debug/ruad"),
    };
    assert!(
        bin.is_file(),
        "ruad binary not found at {}: run `cargo build --bin ruad` or set RUAD_BIN",
        bin.display()
    );
    bin
}

fn corpus_dir() -> PathBuf {
    let dir = std::env::var_os("RUAD_CORPUS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("../shared/corpus"));
    assert!(
        dir.join("EXPECTED.json").is_file(),
        "report corpus not found at {}: set RUAD_CORPUS_DIR",
        dir.display()
    );
    dir
}

struct Ruad {
    bin: PathBuf,
    env: Vec<(String, String)>,
    base_url: String,
    child: Child,
    _dir: tempdir::Dir,
}

mod tempdir {
    /// A temporary directory removed on drop.
    pub struct Dir(pub std::path::PathBuf);
    impl Dir {
        pub fn new() -> Dir {
            let path = std::env::temp_dir().join(format!(
                "ruad-sdk-rust-{}-{}",
                std::process::id(),
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .as_nanos()
            ));
            std::fs::create_dir_all(&path).unwrap();
            Dir(path)
        }
    }
    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

impl Ruad {
    /// Starts ruad on a free port. The port is found by binding port 0 and letting it go, so
    /// another process can take it before ruad binds it: then ruad exits saying so, and it is
    /// started again on another port. Any other early exit fails with ruad's log.
    async fn start() -> Ruad {
        let bin = ruad_bin();
        let dir = tempdir::Dir::new();
        for _ in 0..5 {
            let port = std::net::TcpListener::bind("127.0.0.1:0")
                .unwrap()
                .local_addr()
                .unwrap()
                .port();
            let env = vec![
                (
                    "RUAD_DATABASE_URL".to_string(),
                    format!("sqlite://{}", dir.0.join("ruad.db").display()),
                ),
                ("RUAD_LISTEN".into(), format!("127.0.0.1:{port}")),
                ("RUAD_DNS_NAMESERVERS".into(), "127.0.0.1:1".into()),
                ("RUAD_DNS_TIMEOUT_MS".into(), "200".into()),
                ("RUAD_JOBS_ENABLED".into(), "false".into()),
                ("RUAD_WORKERS".into(), "2".into()),
                ("RUST_LOG".into(), "warn".into()),
            ];
            let log_path = dir.0.join("ruad.log");
            let log = std::fs::File::create(&log_path).unwrap();
            let mut child = command(&bin, &env)
                .arg("serve")
                .stdout(log.try_clone().unwrap())
                .stderr(log)
                .spawn()
                .unwrap();
            let base_url = format!("http://127.0.0.1:{port}");
            let unauthenticated = Client::new(&base_url);
            let deadline = Instant::now() + Duration::from_secs(30);
            let status = loop {
                if let Some(status) = child.try_wait().unwrap() {
                    break status;
                }
                if unauthenticated.get_readiness().send().await.is_ok() {
                    return Ruad {
                        bin,
                        env,
                        base_url,
                        child,
                        _dir: dir,
                    };
                }
                if Instant::now() >= deadline {
                    let _ = child.kill();
                    let log = std::fs::read_to_string(&log_path).unwrap_or_default();
                    panic!("ruad did not become ready in 30 s; its log:\n{log}");
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            };
            let log = std::fs::read_to_string(&log_path).unwrap_or_default();
            assert!(
                log.contains("Address already in use"),
                "ruad exited with {status}; its log:\n{log}"
            );
        }
        panic!("ruad found its port taken five times in a row")
    }

    /// `ruad admin ARGS…` against this server's database; its JSON answer.
    fn admin(&self, args: &[&str]) -> Value {
        let out = command(&self.bin, &self.env)
            .arg("admin")
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    }

    /// A tenant and an admin API key, made with the CLI; a client authenticated with the key.
    fn bootstrap(&self, name: &str) -> Client {
        let tenant = self.admin(&["create-tenant", "--name", name])["id"]
            .as_str()
            .unwrap()
            .to_string();
        let key = self.admin(&["create-api-key", "--tenant", &tenant, "--role", "admin"]);
        authenticated_client(&self.base_url, key["key"].as_str().unwrap()).unwrap()
    }
}

impl Drop for Ruad {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The server's environment: ours only, as a RUAD_* variable of the caller's (RUAD_BIN…) would
/// be read by ruad too.
fn command(bin: &Path, env: &[(String, String)]) -> Command {
    let mut command = Command::new(bin);
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("RUAD_") {
            command.env_remove(key);
        }
    }
    command.envs(env.iter().cloned()).stdin(Stdio::null());
    command
}

const DMARC: &str =
    "aggregate/samuelba-visualizer__google.com!example.com!1701129600!1701215999.xml.gz";
const TLS: &str = "smtp_tls/mail-auth__rpt02.json";

fn day(epoch: i64) -> String {
    // Days since the epoch to a civil date (Howard Hinnant's algorithm), to need no date crate.
    let z = epoch.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

fn nonzero(counts: &HashMap<String, i64>) -> HashMap<String, i64> {
    counts
        .iter()
        .filter(|(_, v)| **v > 0)
        .map(|(k, v)| (k.clone(), *v))
        .collect()
}

fn expected_counts(v: &Value) -> HashMap<String, i64> {
    serde_json::from_value(v.clone()).unwrap()
}

async fn upload(client: &Client, bytes: Vec<u8>) -> types::UploadResponse {
    client
        .upload_report()
        .body(bytes)
        .send()
        .await
        .unwrap()
        .into_inner()
}

#[tokio::test]
async fn the_sdk_covers_domains_uploads_paging_aggregates_tenancy_and_tokens() {
    let corpus = corpus_dir();
    let expected: Value =
        serde_json::from_slice(&std::fs::read(corpus.join("EXPECTED.json")).unwrap()).unwrap();
    let (dmarc_expected, tls_expected) = (&expected["files"][DMARC], &expected["files"][TLS]);
    let ruad = Ruad::start().await;
    let client = ruad.bootstrap("Operator");
    let other = ruad.bootstrap("Other operator");

    let domain = client
        .create_domain()
        .body_map(|b| b.name("example.com"))
        .send()
        .await
        .unwrap();
    assert_eq!(domain.status().as_u16(), 201);
    assert_eq!(domain.name, "example.com");
    other
        .create_domain()
        .body_map(|b| b.name("other.example"))
        .send()
        .await
        .unwrap();

    let dmarc = upload(&client, std::fs::read(corpus.join(DMARC)).unwrap()).await;
    assert_eq!(dmarc.reports.len(), 1);
    assert_eq!(dmarc.reports[0].kind, ReportKind::DmarcAggregate);
    assert_eq!(dmarc.reports[0].domain, "example.com");
    assert!(!dmarc.reports[0].duplicate);
    let tls_bytes = std::fs::read(corpus.join(TLS)).unwrap();
    let tls = upload(&client, tls_bytes.clone()).await;
    assert_eq!(tls.reports[0].kind, ReportKind::TlsReport);
    assert!(upload(&client, tls_bytes).await.reports[0].duplicate);

    // Two reports, one per page.
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let mut request = client.list_reports().limit(1);
        if let Some(c) = &cursor {
            request = request.cursor(c.clone());
        }
        let page = request.send().await.unwrap().into_inner();
        assert!(page.items.len() <= 1);
        seen.extend(page.items.iter().map(|r| r.id.clone()));
        pages += 1;
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    seen.sort();
    let mut uploaded = vec![dmarc.reports[0].id.clone(), tls.reports[0].id.clone()];
    uploaded.sort();
    assert_eq!(seen, uploaded);
    assert!(pages >= 2);

    let (from, to) = (
        day(dmarc_expected["begin"].as_i64().unwrap()),
        day(dmarc_expected["end"].as_i64().unwrap()),
    );
    let by_result = client
        .get_dmarc_by_result()
        .domain("example.com")
        .from(from.clone())
        .to(to.clone())
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        by_result.total_messages,
        dmarc_expected["messages"].as_i64().unwrap()
    );
    assert_eq!(
        by_result.dmarc_pass_messages,
        dmarc_expected["dmarc_pass_messages"].as_i64().unwrap()
    );
    assert_eq!(
        nonzero(&by_result.disposition),
        expected_counts(&dmarc_expected["disposition"])
    );
    assert_eq!(
        nonzero(&by_result.dkim_aligned),
        expected_counts(&dmarc_expected["dkim_aligned"])
    );
    assert_eq!(
        nonzero(&by_result.spf_aligned),
        expected_counts(&dmarc_expected["spf_aligned"])
    );
    let by_source = client
        .get_dmarc_by_source()
        .domain("example.com")
        .from(from)
        .to(to)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        by_source.total_sources,
        dmarc_expected["distinct_source_ips"].as_i64().unwrap()
    );
    assert_eq!(
        by_source.sources.iter().map(|s| s.messages).sum::<i64>(),
        dmarc_expected["messages"].as_i64().unwrap()
    );

    let (from, to) = (
        tls_expected["begin_date"].as_str().unwrap()[..10].to_string(),
        tls_expected["end_date"].as_str().unwrap()[..10].to_string(),
    );
    let tls_result = client
        .get_tls_by_result()
        .domain("example.com")
        .from(from.clone())
        .to(to.clone())
        .send()
        .await
        .unwrap()
        .into_inner();
    let (ok, failed) = (
        tls_expected["successful_sessions"].as_i64().unwrap(),
        tls_expected["failed_sessions"].as_i64().unwrap(),
    );
    assert_eq!(tls_result.successful_sessions, ok);
    assert_eq!(tls_result.failed_sessions, failed);
    let by_type = expected_counts(&tls_expected["failed_sessions_by_result_type"]);
    assert_eq!(nonzero(&tls_result.failed_sessions_by_result_type), by_type);
    let tls_source = client
        .get_tls_by_source()
        .domain("example.com")
        .from(from)
        .to(to)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        tls_source
            .organizations
            .iter()
            .map(|o| o.successful_sessions)
            .sum::<i64>(),
        ok
    );
    assert_eq!(
        tls_source
            .organizations
            .iter()
            .map(|o| o.failed_sessions)
            .sum::<i64>(),
        failed
    );
    assert_eq!(
        tls_source
            .failures
            .iter()
            .map(|f| f.failed_sessions)
            .sum::<i64>(),
        by_type.values().sum::<i64>()
    );

    // Another tenant's domain does not exist for this key: a typed 404 problem.
    match client.get_domain().domain("other.example").send().await {
        Err(Error::ErrorResponse(problem)) => {
            assert_eq!(problem.status().as_u16(), 404);
            assert_eq!(
                problem.headers()["content-type"].to_str().unwrap(),
                "application/problem+json"
            );
            assert_eq!(problem.code, ErrorCode::NotFound);
            assert_eq!(problem.status, 404);
        }
        other => panic!("expected a 404 problem, got {other:?}"),
    }

    // The key buys a short-lived reader JWT; the JWT reads but may not write.
    let token = client
        .create_token()
        .body_map(|b| b.role(Some(Role::Reader)).ttl_seconds(Some(600)))
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(token.role, Role::Reader);
    let reader = authenticated_client(&ruad.base_url, &token.token).unwrap();
    let domains = reader.list_domains().send().await.unwrap().into_inner();
    let names: Vec<&str> = domains.items.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, ["example.com"]);
    match reader
        .create_domain()
        .body_map(|b| b.name("example.org"))
        .send()
        .await
    {
        Err(Error::ErrorResponse(problem)) => assert_eq!(problem.code, ErrorCode::Forbidden),
        other => panic!("expected a 403 problem, got {other:?}"),
    }
}

/// The README's example is `examples/quickstart.rs`, which `cargo test` builds; run it.
#[tokio::test]
async fn the_readme_example_runs_as_written() {
    let readme = std::fs::read_to_string(repo().join("sdk/rust/README.md")).unwrap();
    let example = readme
        .split("```rust\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .unwrap();
    let file = std::fs::read_to_string(repo().join("sdk/rust/examples/quickstart.rs")).unwrap();
    assert_eq!(example, file, "README.md and examples/quickstart.rs differ");

    // target/debug/deps/e2e-… → target/debug/examples/quickstart
    let exe = std::env::current_exe().unwrap();
    let quickstart = exe
        .parent()
        .unwrap()
        .parent()
        .unwrap()
        .join("examples/quickstart");
    assert!(quickstart.is_file(), "{} not built", quickstart.display());
    let ruad = Ruad::start().await;
    let tenant = ruad.admin(&["create-tenant", "--name", "Readme"])["id"]
        .as_str()
        .unwrap()
        .to_string();
    let key = ruad.admin(&["create-api-key", "--tenant", &tenant, "--role", "admin"]);
    let messages = serde_json::from_slice::<Value>(
        &std::fs::read(corpus_dir().join("EXPECTED.json")).unwrap(),
    )
    .unwrap()["files"][DMARC]["messages"]
        .clone();
    for duplicate in [false, true] {
        let out = Command::new(&quickstart)
            .arg(corpus_dir().join(DMARC))
            .env("RUAD_URL", &ruad.base_url)
            .env("RUAD_KEY", key["key"].as_str().unwrap())
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            stdout.contains(&format!("(duplicate: {duplicate})")),
            "{stdout}"
        );
        assert!(
            stdout.contains(&format!("DMARC: {messages} messages")),
            "{stdout}"
        );
        // Years-old reports: at least "no recent reports" is open.
        let open = stdout
            .lines()
            .find_map(|l| l.strip_suffix(" open issues of example.com"))
            .and_then(|n| n.parse::<usize>().ok());
        assert!(open.is_some_and(|n| n > 0), "{stdout}");
    }
}
