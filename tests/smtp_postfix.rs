//! Postfix from Debian in front of ruad: a private Postfix instance (its own configuration,
//! queue and ports under a temporary directory) accepts mail for the report domain on
//! loopback and delivers it to ruad's LMTP listener (`virtual_transport = lmtp:inet:…`), the
//! setup the README describes. Needs root (Postfix's queue belongs to the `postfix` user)
//! and the `postfix` package; skipped with a notice without them, unless
//! `TEST_REQUIRE_POSTFIX=1` (set by .ci/run), which makes their absence a failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[allow(dead_code)]
#[path = "api/helpers.rs"]
mod helpers;

use helpers::{TestApp, fixture, spawn_app_with};
use reqwest::StatusCode;
use std::path::Path;
use std::time::{Duration, Instant};

const MAIL_DOMAIN: &str = "reports.ruad.test";

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Whether a private Postfix can run here; the reason when not.
fn postfix_unavailable() -> Option<String> {
    if !Path::new("/usr/sbin/postfix").exists() {
        return Some("postfix is not installed (apt-get install postfix)".into());
    }
    let uid = std::process::Command::new("id").arg("-u").output().ok()?;
    if String::from_utf8_lossy(&uid.stdout).trim() != "0" {
        return Some("a private postfix instance needs root".into());
    }
    None
}

/// A private Postfix: smtpd on `smtp_port`, mail for the report domain to ruad's LMTP port.
struct Postfix {
    dir: tempfile::TempDir,
    child: std::process::Child,
}

impl Postfix {
    fn start(smtp_port: u16, lmtp_port: u16) -> Postfix {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().display().to_string();
        std::fs::create_dir_all(dir.path().join("spool")).unwrap();
        std::fs::create_dir_all(dir.path().join("data")).unwrap();
        let main_cf = format!(
            "compatibility_level = 3.6\n\
             queue_directory = {d}/spool\n\
             data_directory = {d}/data\n\
             mail_owner = postfix\n\
             setgid_group = postdrop\n\
             inet_interfaces = 127.0.0.1\n\
             inet_protocols = ipv4\n\
             myhostname = mx.ruad.test\n\
             mydestination =\n\
             mynetworks = 127.0.0.0/8\n\
             relay_domains =\n\
             virtual_mailbox_domains = {MAIL_DOMAIN}\n\
             virtual_transport = lmtp:inet:127.0.0.1:{lmtp_port}\n\
             maillog_file = /dev/stdout\n\
             smtp_dns_support_level = disabled\n\
             alias_maps =\n\
             alias_database =\n"
        );
        std::fs::write(dir.path().join("main.cf"), main_cf).unwrap();
        // Debian's master.cf, with smtpd on our port and nothing chrooted.
        let master = std::fs::read_to_string("/etc/postfix/master.cf").unwrap();
        let master: String = master
            .lines()
            .map(|line| {
                let fields: Vec<&str> = line.split_whitespace().collect();
                if line.starts_with('#') || line.starts_with(' ') || fields.len() < 8 {
                    return line.to_string();
                }
                if fields[0] == "smtp" && fields[1] == "inet" {
                    return format!("127.0.0.1:{smtp_port} inet n - n - - smtpd");
                }
                let mut fields: Vec<String> = fields.iter().map(|f| f.to_string()).collect();
                fields[4] = "n".into();
                fields.join(" ")
            })
            .collect::<Vec<_>>()
            .join("\n");
        std::fs::write(dir.path().join("master.cf"), master + "\n").unwrap();
        let chown = std::process::Command::new("chown")
            .args(["postfix", &format!("{d}/data")])
            .status()
            .unwrap();
        assert!(chown.success());
        let child = std::process::Command::new("postfix")
            .args(["-c", &d, "start-fg"])
            .stdout(std::fs::File::create(dir.path().join("maillog")).unwrap())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", smtp_port)).is_err() {
            assert!(Instant::now() < deadline, "postfix did not start: {}", {
                std::fs::read_to_string(dir.path().join("maillog")).unwrap_or_default()
            });
            std::thread::sleep(Duration::from_millis(100));
        }
        Postfix { dir, child }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("maillog")).unwrap_or_default()
    }
}

impl Drop for Postfix {
    fn drop(&mut self) {
        let _ = std::process::Command::new("postfix")
            .args(["-c", &self.dir.path().display().to_string(), "stop"])
            .status();
        let _ = self.child.wait();
    }
}

async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    actix_web::rt::task::spawn_blocking(f).await.unwrap()
}

async fn wait_for(mut check: impl AsyncFnMut() -> bool, what: &str, log: impl Fn() -> String) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !check().await {
        assert!(Instant::now() < deadline, "{what}; postfix log:\n{}", log());
        actix_web::rt::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn report_address(app: &TestApp) -> String {
    let reply = app.get("/api/v1/intake", &app.admin_key).await;
    assert_eq!(reply.status, StatusCode::OK);
    reply.body["address"].as_str().unwrap().to_string()
}

#[actix_web::test]
async fn postfix_relays_mail_for_the_report_domain_into_the_lmtp_listener() {
    if let Some(why) = postfix_unavailable() {
        assert!(
            std::env::var_os("TEST_REQUIRE_POSTFIX").is_none(),
            "TEST_REQUIRE_POSTFIX is set but {why}"
        );
        eprintln!("skipped: {why}");
        return;
    }
    let app = spawn_app_with(|s| {
        s.mail_domain = Some(MAIL_DOMAIN.into());
        s.lmtp_listen = Some("127.0.0.1:0".into());
    })
    .await;
    app.register_domain("ueber.net").await;
    let to = report_address(&app).await;
    let lmtp = app.lmtp_port.unwrap();
    let smtp_port = free_port();
    let postfix = blocking(move || Postfix::start(smtp_port, lmtp)).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("m.eml");
    std::fs::write(&file, fixture("008-email-crlf.eml")).unwrap();
    let (port, data) = (smtp_port.to_string(), format!("@{}", file.display()));
    let unregistered = fixture("010-tlsrpt-email-unterminated-base64.eml");
    let file2 = dir.path().join("other.eml");
    std::fs::write(&file2, unregistered).unwrap();
    let data2 = format!("@{}", file2.display());
    let to2 = to.clone();
    let out = blocking(move || {
        let send = |data: &str| {
            std::process::Command::new("swaks")
                .args(["--server", "127.0.0.1", "--port", &port, "--from"])
                .args(["noreply@receiver.example", "--to", &to2, "--data", data])
                .output()
                .unwrap()
        };
        [send(&data), send(&data2)]
    })
    .await;
    for o in &out {
        let text = String::from_utf8_lossy(&o.stdout);
        // Postfix queues both: its own 250, before ruad has seen anything.
        assert!(text.contains("250 2.0.0 Ok: queued as"), "{text}");
    }
    // Postfix delivers the report to ruad over LMTP; it shows in the aggregates.
    let log = || postfix.log();
    wait_for(
        async || {
            let reply = app
                .get(
                    "/api/v1/domains/ueber.net/dmarc/by-result?from=2021-10-12&to=2021-10-12",
                    &app.admin_key,
                )
                .await;
            reply.body["total_messages"] == 5
        },
        "the report never arrived",
        log,
    )
    .await;
    // The report for a domain the tenant has not registered is refused by ruad for good;
    // Postfix records ruad's reply and bounces it.
    wait_for(
        async || {
            let log = postfix.log();
            log.contains("status=bounced") && log.contains("550 5.7.1 report for company-y.example")
        },
        "the refusal never reached postfix",
        log,
    )
    .await;
    let log = postfix.log();
    assert!(
        log.contains("status=sent (250 2.0.0 stored 1 report(s)"),
        "{log}"
    );
    assert!(log.contains("relay=127.0.0.1[127.0.0.1]"), "{log}");
}
