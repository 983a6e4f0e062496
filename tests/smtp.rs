//! The SMTP and LMTP receiver of `ruad serve`, on loopback, driven by clients ruad's authors
//! did not write: Python's `smtplib` (tests/smtp/client.py, standard library only) and
//! Debian's `swaks`. What a message delivers is read back through the HTTP API.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[allow(dead_code)]
#[path = "api/helpers.rs"]
mod helpers;

use helpers::{TestApp, corpus_dir, fixture, spawn_app_with};
use reqwest::{Method, StatusCode};
use ruad::app::settings::Settings;
use serde_json::{Value, json};

const MAIL_DOMAIN: &str = "reports.ruad.test";

async fn mail_app(adjust: impl FnOnce(&mut Settings)) -> TestApp {
    spawn_app_with(|s| {
        s.mail_domain = Some(MAIL_DOMAIN.into());
        s.smtp_listen = Some("127.0.0.1:0".into());
        s.lmtp_listen = Some("127.0.0.1:0".into());
        adjust(s);
    })
    .await
}

fn smtp(app: &TestApp) -> String {
    app.smtp_port.expect("smtp port").to_string()
}

/// Runs a program to its end on a blocking thread (the server shares this runtime).
async fn run(program: &'static str, args: Vec<String>) -> (i32, String) {
    let out = actix_web::rt::task::spawn_blocking(move || {
        std::process::Command::new(program)
            .args(&args)
            .output()
            .unwrap_or_else(|e| panic!("{program} must be installed: {e}"))
    })
    .await
    .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), text)
}

/// tests/smtp/client.py with these arguments; its JSON answer.
async fn client(args: &[&str]) -> Value {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/smtp/client.py");
    let mut all = vec![script.to_string()];
    all.extend(args.iter().map(|a| a.to_string()));
    let (code, text) = run("python3", all).await;
    assert_eq!(code, 0, "client.py {args:?} failed: {text}");
    serde_json::from_str(text.trim()).unwrap_or_else(|_| panic!("not JSON: {text}"))
}

async fn swaks(args: &[&str]) -> (i32, String) {
    run("swaks", args.iter().map(|a| a.to_string()).collect()).await
}

/// The report address of the tenant whose key this is.
async fn address(app: &TestApp, key: &str) -> String {
    let reply = app.get("/api/v1/intake", key).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    reply.body["address"].as_str().unwrap().to_string()
}

async fn total_messages(app: &TestApp, key: &str, domain: &str, from: &str, to: &str) -> Value {
    let reply = app
        .get(
            &format!("/api/v1/domains/{domain}/dmarc/by-result?from={from}&to={to}"),
            key,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    reply.body["total_messages"].clone()
}

fn write_temp(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> String {
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    path.display().to_string()
}

#[actix_web::test]
async fn an_email_sent_with_smtplib_shows_in_the_aggregates() {
    let app = mail_app(|_| {}).await;
    app.register_domain("ueber.net").await;
    let to = address(&app, &app.admin_key).await;
    let dir = tempfile::tempdir().unwrap();
    let file = write_temp(&dir, "m.eml", &fixture("008-email-crlf.eml"));
    let sent = client(&["send", "--port", &smtp(&app), "--to", &to, "--file", &file]).await;
    assert_eq!(sent, json!({"ok": true, "refused": {}}));
    assert_eq!(
        total_messages(
            &app,
            &app.admin_key,
            "ueber.net",
            "2021-10-12",
            "2021-10-12"
        )
        .await,
        5
    );
    // The same message again is a duplicate: accepted, counted once.
    let again = client(&["send", "--port", &smtp(&app), "--to", &to, "--file", &file]).await;
    assert_eq!(again["ok"], true, "{again}");
    assert_eq!(
        total_messages(
            &app,
            &app.admin_key,
            "ueber.net",
            "2021-10-12",
            "2021-10-12"
        )
        .await,
        5
    );
}

#[actix_web::test]
async fn the_shared_corpus_emails_by_smtp_give_the_aggregates_of_the_upload_api() {
    let Some(corpus) = corpus_dir() else {
        eprintln!("skipped: no report corpus (set RUAD_CORPUS_DIR)");
        return;
    };
    let file = corpus.join("email/synthetic__microsoft!example.com!2000rec.eml");
    let bytes = std::fs::read(&file).unwrap();
    // By SMTP into one server, by the upload API into another.
    let by_mail = mail_app(|_| {}).await;
    by_mail.register_domain("example.com").await;
    let to = address(&by_mail, &by_mail.admin_key).await;
    let path = file.display().to_string();
    let (code, out) = swaks(&[
        "--server",
        "127.0.0.1",
        "--port",
        &smtp(&by_mail),
        "--from",
        "dmarcreport@microsoft.com",
        "--to",
        &to,
        "--data",
        &format!("@{path}"),
    ])
    .await;
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("<-  250 2.0.0 stored 1 report(s)"), "{out}");
    let by_upload = mail_app(|_| {}).await;
    by_upload.register_domain("example.com").await;
    let uploaded = by_upload
        .upload(&by_upload.admin_key, bytes, "message/rfc822")
        .await;
    assert_eq!(uploaded.status, StatusCode::CREATED, "{:?}", uploaded.body);
    let range = "/api/v1/domains/example.com/dmarc/by-result?from=2025-01-01&to=2025-01-01";
    let mail = by_mail.get(range, &by_mail.admin_key).await;
    let upload = by_upload.get(range, &by_upload.admin_key).await;
    assert_eq!(mail.body["total_messages"], 6361, "{:?}", mail.body);
    assert_eq!(mail.body, upload.body);
}

#[actix_web::test]
async fn swaks_delivers_over_starttls_and_a_renewed_certificate_is_used_without_restart() {
    let dir = tempfile::tempdir().unwrap();
    let issue = |name: &str| {
        let key = rcgen::KeyPair::generate().unwrap();
        let cert = rcgen::CertificateParams::new(vec![name.to_string()])
            .unwrap()
            .self_signed(&key)
            .unwrap();
        (cert.pem(), key.serialize_pem(), cert.der().to_vec())
    };
    let (cert_pem, key_pem, first_der) = issue(MAIL_DOMAIN);
    let cert = write_temp(&dir, "cert.pem", cert_pem.as_bytes());
    let key = write_temp(&dir, "key.pem", key_pem.as_bytes());
    let app = mail_app(|s| {
        s.smtp_tls_cert = Some(cert.clone().into());
        s.smtp_tls_key = Some(key.clone().into());
    })
    .await;
    app.register_domain("ueber.net").await;
    let to = address(&app, &app.admin_key).await;
    let file = write_temp(&dir, "m.eml", &fixture("008-email-crlf.eml"));
    let (code, out) = swaks(&[
        "--server",
        "127.0.0.1",
        "--port",
        &smtp(&app),
        "--tls",
        "--to",
        &to,
        "--from",
        "noreply-dmarc-support@google.com",
        "--data",
        &format!("@{file}"),
    ])
    .await;
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("<-  250 STARTTLS"), "{out}");
    assert!(out.contains("<-  220 2.0.0 ready to start TLS"), "{out}");
    assert!(out.contains("=== TLS started"), "{out}");
    // After TLS, STARTTLS is no longer offered, and the message is stored.
    assert!(out.contains("<~  250 2.0.0 stored 1 report(s)"), "{out}");
    assert_eq!(
        total_messages(
            &app,
            &app.admin_key,
            "ueber.net",
            "2021-10-12",
            "2021-10-12"
        )
        .await,
        5
    );
    let sha = |der: &[u8]| {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(der))
    };
    let seen = client(&["peercert", "--port", &smtp(&app)]).await;
    assert_eq!(seen["sha256"], sha(&first_der));
    assert_eq!(seen["ehlo_after_tls"], 250);
    // Renewal: new files in place; the next STARTTLS presents the new certificate.
    let (cert_pem, key_pem, second_der) = issue(MAIL_DOMAIN);
    actix_web::rt::time::sleep(std::time::Duration::from_millis(20)).await;
    std::fs::write(&key, key_pem).unwrap();
    std::fs::write(&cert, cert_pem).unwrap();
    let seen = client(&["peercert", "--port", &smtp(&app)]).await;
    assert_eq!(seen["sha256"], sha(&second_der));
}

#[actix_web::test]
async fn a_pipelined_session_gets_every_reply_in_order() {
    let app = mail_app(|_| {}).await;
    app.register_domain("example.com").await;
    let to = address(&app, &app.admin_key).await;
    let got = client(&[
        "pipeline",
        "--port",
        &smtp(&app),
        "--to",
        &to,
        "--report",
        "example.com:pipe",
        "--count",
        "3",
    ])
    .await;
    let ehlo: Vec<&str> = got["ehlo"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap())
        .collect();
    for ext in [
        "SIZE 8388608",
        "PIPELINING",
        "8BITMIME",
        "ENHANCEDSTATUSCODES",
    ] {
        assert!(ehlo.iter().any(|l| l.ends_with(ext)), "{ext}: {ehlo:?}");
    }
    assert!(!ehlo.iter().any(|l| l.contains("STARTTLS")), "{ehlo:?}");
    for replies in got["messages"].as_array().unwrap() {
        let codes: Vec<&str> = replies
            .as_array()
            .unwrap()
            .iter()
            .map(|r| &r.as_str().unwrap()[..3])
            .collect();
        assert_eq!(codes, ["250", "250", "250", "354", "250"], "{replies}");
    }
    let tail: Vec<&str> = got["tail"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r.as_str().unwrap()[..3])
        .collect();
    assert_eq!(tail, ["250", "250", "221"]);
    // Swaks' own pipelining agrees.
    let (code, out) = swaks(&[
        "--server",
        "127.0.0.1",
        "--port",
        &smtp(&app),
        "--pipeline",
        "--to",
        &to,
        "--from",
        "a@receiver.example",
    ])
    .await;
    // A message that is no report: refused after DATA, with a reason a postmaster reads.
    assert_ne!(code, 0, "{out}");
    assert!(
        out.contains("<** 554 5.6.0 the message holds no DMARC aggregate report"),
        "{out}"
    );
    // Three distinct reports were stored: 2 records each, 1 + 2 messages.
    let reports = app.get("/api/v1/reports", &app.admin_key).await;
    assert_eq!(reports.body["items"].as_array().unwrap().len(), 3);
    // And /metrics counts the replies.
    let metrics = app
        .client
        .get(format!("{}/metrics", app.address))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics.contains("ruad_mail_messages_total{protocol=\"smtp\",code=\"250\"} 3"),
        "{metrics}"
    );
    assert!(metrics.contains("ruad_mail_messages_total{protocol=\"smtp\",code=\"554\"} 1"));
}

#[actix_web::test]
async fn lmtp_answers_once_per_recipient_and_files_each_under_its_own_tenant() {
    let app = mail_app(|_| {}).await;
    let (_, a_key) = app.child_tenant("customer-a").await;
    let (_, b_key) = app.child_tenant("customer-b").await;
    let registered = app
        .send(
            Method::POST,
            "/api/v1/domains",
            Some(&a_key),
            Some(json!({"name": "example.com"})),
        )
        .await;
    assert_eq!(registered.status, StatusCode::CREATED);
    let a = address(&app, &a_key).await;
    let b = address(&app, &b_key).await;
    let unknown = format!("aaaaaaaaaaaaaaaaaaaaaaaa@{MAIL_DOMAIN}");
    let dir = tempfile::tempdir().unwrap();
    let (_, made) = run(
        "python3",
        vec![
            "-c".into(),
            format!(
                "import sys; sys.path.insert(0, '{}'); import client; sys.stdout.buffer.write(client.report_email('example.com:lmtp'))",
                concat!(env!("CARGO_MANIFEST_DIR"), "/tests/smtp")
            ),
        ],
    )
    .await;
    let file = write_temp(&dir, "m.eml", made.as_bytes());
    let lmtp = app.lmtp_port.unwrap().to_string();
    let (code, out) = swaks(&[
        "--server",
        "127.0.0.1",
        "--port",
        &lmtp,
        "--protocol",
        "LMTP",
        "--from",
        "a@receiver.example",
        "--to",
        &format!("{a},{unknown},{b}"),
        "--data",
        &format!("@{file}"),
    ])
    .await;
    // The unknown address is refused at RCPT; then one reply per accepted recipient.
    assert!(
        out.contains("<** 550 5.1.1 no such report address"),
        "{out}"
    );
    assert!(
        out.contains("<~  250 2.0.0 stored 1 report(s)")
            || out.contains("<-  250 2.0.0 stored 1 report(s)"),
        "{out}"
    );
    assert!(
        out.contains("550 5.7.1 report for example.com, which is not registered"),
        "{out}"
    );
    let _ = code;
    // A's report is A's; B has nothing.
    assert_eq!(
        total_messages(&app, &a_key, "example.com", "2023-11-15", "2023-11-15").await,
        3
    );
    let b_domains = app.get("/api/v1/domains", &b_key).await;
    assert_eq!(b_domains.body["items"], json!([]));
    // SMTP gives one reply for both: B's permanent refusal, though A's copy is stored.
    let both = client(&[
        "send",
        "--port",
        &smtp(&app),
        "--to",
        &a,
        "--to",
        &b,
        "--report",
        "example.com:smtp-both",
    ])
    .await;
    assert_eq!(both["code"], 550, "{both}");
    assert_eq!(
        total_messages(&app, &a_key, "example.com", "2023-11-15", "2023-11-15").await,
        6
    );
    // SMTP says EHLO, LMTP LHLO: each refuses the other's greeting.
    let (_, out) = swaks(&[
        "--server",
        "127.0.0.1",
        "--port",
        &lmtp,
        "--to",
        &a,
        "--quit-after",
        "EHLO",
    ])
    .await;
    assert!(
        out.contains("500 5.5.1 this is an LMTP server: use LHLO"),
        "{out}"
    );
}

#[actix_web::test]
async fn auto_registration_files_an_unregistered_domain_under_the_tenant_of_the_address() {
    let app = mail_app(|_| {}).await;
    let (child, key) = app.child_tenant("mssp-customer").await;
    let to = address(&app, &key).await;
    let port = smtp(&app);
    let refused = client(&[
        "send",
        "--port",
        &port,
        "--to",
        &to,
        "--report",
        "mail.customer.example:1",
    ])
    .await;
    assert_eq!(refused["code"], 550, "{refused}");
    assert!(
        refused["message"]
            .as_str()
            .unwrap()
            .contains("5.7.1 report for mail.customer.example, which is not registered"),
        "{refused}"
    );
    // The operator turns auto-registration on at the root; the customer inherits it.
    let on = app
        .send(
            Method::PATCH,
            "/api/v1/intake",
            Some(&app.admin_key),
            Some(json!({"auto_register_domains": true})),
        )
        .await;
    assert_eq!(on.status, StatusCode::OK);
    let stored = client(&[
        "send",
        "--port",
        &port,
        "--to",
        &to,
        "--report",
        "mail.customer.example:1",
    ])
    .await;
    assert_eq!(stored["ok"], true, "{stored}");
    // Registered as its organizational domain, for the customer (not the root).
    let domains = app.get("/api/v1/domains", &key).await;
    assert_eq!(domains.body["items"][0]["name"], "customer.example");
    assert_eq!(domains.body["items"][0]["tenant_id"], child.as_str());
    assert_eq!(
        total_messages(&app, &key, "customer.example", "2023-11-15", "2023-11-15").await,
        3
    );
    // A rotated address stops working at once.
    let rotated = app
        .send(Method::POST, "/api/v1/intake/rotate", Some(&key), None)
        .await;
    assert_eq!(rotated.status, StatusCode::OK);
    let old = client(&[
        "send",
        "--port",
        &port,
        "--to",
        &to,
        "--report",
        "customer.example:2",
    ])
    .await;
    assert_eq!(old["error"], "recipients", "{old}");
    assert_eq!(old["refused"][&to][0], 550);
    // A domain's own address takes that domain's reports only.
    let own = app
        .send(
            Method::POST,
            "/api/v1/domains/customer.example/intake/rotate",
            Some(&key),
            None,
        )
        .await;
    let domain_address = own.body["address"].as_str().unwrap().to_string();
    let other = client(&[
        "send",
        "--port",
        &port,
        "--to",
        &domain_address,
        "--report",
        "elsewhere.example:3",
    ])
    .await;
    assert_eq!(other["code"], 550, "{other}");
    assert!(
        other["message"]
            .as_str()
            .unwrap()
            .contains("5.7.1 report for elsewhere.example, which is not registered"),
        "{other}"
    );
    let ok = client(&[
        "send",
        "--port",
        &port,
        "--to",
        &domain_address,
        "--report",
        "customer.example:4",
    ])
    .await;
    assert_eq!(ok["ok"], true, "{ok}");
}

#[actix_web::test]
async fn unknown_addresses_relays_and_non_reports_are_refused_with_a_reason() {
    let app = mail_app(|_| {}).await;
    let to = address(&app, &app.admin_key).await;
    let port = smtp(&app);
    let base = [
        "--server",
        "127.0.0.1",
        "--port",
        &port,
        "--from",
        "a@sender.example",
    ];
    let unknown = format!("abcdefghijklmnopqrstuvwx@{MAIL_DOMAIN}");
    let (code, out) = swaks(&[&base[..], &["--to", &unknown]].concat()).await;
    assert_ne!(code, 0);
    assert!(
        out.contains("<** 550 5.1.1 no such report address"),
        "{out}"
    );
    let (code, out) = swaks(&[&base[..], &["--to", "victim@gmail.com"]].concat()).await;
    assert_ne!(code, 0);
    assert!(out.contains("<** 550 5.7.1 relaying denied"), "{out}");
    let (code, out) = swaks(&[&base[..], &["--to", "postmaster@reports.ruad.test"]].concat()).await;
    assert_ne!(code, 0);
    assert!(out.contains("<** 550 5.1.1"), "{out}");
    // Case and a +suffix do not matter; a plain test message is no report.
    let upper = to.to_uppercase().replace('@', "+dmarc@");
    let (code, out) = swaks(&[&base[..], &["--to", &upper]].concat()).await;
    assert_ne!(code, 0);
    assert!(
        out.contains("<~  250 2.1.5 OK") || out.contains("<-  250 2.1.5 OK"),
        "{out}"
    );
    assert!(
        out.contains("<** 554 5.6.0 the message holds no DMARC aggregate report"),
        "{out}"
    );
}

#[actix_web::test]
async fn hostile_messages_get_a_clear_reply_and_the_server_stays_up() {
    let app = mail_app(|s| {
        s.max_decompressed_bytes = 16 << 20;
        s.smtp_max_line_bytes = 65_536;
    })
    .await;
    app.register_domain("example.com").await;
    let to = address(&app, &app.admin_key).await;
    let port = smtp(&app);
    let dir = tempfile::tempdir().unwrap();
    let make = |kind: &'static str, n: &'static str| {
        let out = dir.path().join(kind).display().to_string();
        async move {
            client(&["make", kind, &out, n]).await;
            out
        }
    };
    // A zip of 200 MiB of zeros, a few hundred KiB on the wire.
    let bomb = make("zipbomb", "200").await;
    let got = client(&["send", "--port", &port, "--to", &to, "--file", &bomb]).await;
    assert_eq!(got["code"], 552, "{got}");
    assert!(
        got["message"]
            .as_str()
            .unwrap()
            .starts_with("5.3.4 the message exceeds a limit"),
        "{got}"
    );
    // 10,000 MIME parts, none a report.
    let parts = make("parts", "10000").await;
    let got = client(&["send", "--port", &port, "--to", &to, "--file", &parts]).await;
    assert_eq!(got["code"], 554, "{got}");
    assert!(
        got["message"].as_str().unwrap().starts_with("5.6.0"),
        "{got}"
    );
    // A header line of 1 MB: over the line bound.
    let header = make("header", "1000000").await;
    let got = client(&["raw", "--port", &port, "--to", &to, "--file", &header]).await;
    let replies = got["replies"].as_array().unwrap();
    assert!(
        replies[5]
            .as_str()
            .unwrap()
            .starts_with("554 5.6.0 a line of the message is longer than 65536 bytes"),
        "{got}"
    );
    assert_eq!(replies[6].as_str().unwrap()[..3].to_string(), "221");
    // Still serving.
    let ok = client(&[
        "send",
        "--port",
        &port,
        "--to",
        &to,
        "--report",
        "example.com:after",
    ])
    .await;
    assert_eq!(ok["ok"], true, "{ok}");
}

#[actix_web::test]
async fn a_silent_client_is_told_421_after_the_command_timeout() {
    let app = mail_app(|s| s.smtp_command_timeout_seconds = 1).await;
    let got = client(&["slow", "--port", &smtp(&app), "--sleep", "2"]).await;
    assert_eq!(got["closed"], true, "{got}");
    assert!(
        got["greeting"]
            .as_str()
            .unwrap()
            .starts_with("220 reports.ruad.test"),
        "{got}"
    );
    assert_eq!(
        got["after"],
        json!(["421 4.4.2 reports.ruad.test timeout waiting for a command, closing"])
    );
}

#[actix_web::test]
async fn a_message_over_the_size_limit_is_refused_at_mail_or_after_data() {
    let app = mail_app(|s| s.smtp_max_message_bytes = Some(4096)).await;
    app.register_domain("example.com").await;
    let to = address(&app, &app.admin_key).await;
    let port = smtp(&app);
    let dir = tempfile::tempdir().unwrap();
    let mut big = b"From: a@sender.example\r\nSubject: big\r\n\r\n".to_vec();
    for _ in 0..200 {
        big.extend_from_slice(b"0123456789012345678901234567890123456789\r\n");
    }
    let file = write_temp(&dir, "big.eml", &big);
    // smtplib declares SIZE= on MAIL: refused before the data is sent.
    let got = client(&["send", "--port", &port, "--to", &to, "--file", &file]).await;
    assert_eq!(got["error"], "SMTPSenderRefused", "{got}");
    assert_eq!(got["code"], 552);
    assert!(
        got["message"]
            .as_str()
            .unwrap()
            .starts_with("5.3.4 message size exceeds the limit of 4096 bytes")
    );
    // Without SIZE=: the data is read to the final dot, then refused.
    let got = client(&["raw", "--port", &port, "--to", &to, "--file", &file]).await;
    let replies = got["replies"].as_array().unwrap();
    assert_eq!(
        replies[4].as_str().unwrap(),
        "354 end data with <CR><LF>.<CR><LF>"
    );
    assert_eq!(
        replies[5].as_str().unwrap(),
        "552 5.3.4 message size exceeds the limit of 4096 bytes"
    );
    assert!(replies[6].as_str().unwrap().starts_with("221 2.0.0"));
}

/// A plain TCP conversation: reads the greeting, then sends each command and reads its
/// reply (the last line of a multi-line one); `<closed>` once the server hung up.
fn converse(port: u16, commands: &[String]) -> Vec<String> {
    use std::io::{BufRead, BufReader, Write};
    let stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .unwrap();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut writer = stream;
    let mut read_reply = || {
        let mut line = String::new();
        loop {
            line.clear();
            match reader.read_line(&mut line) {
                Ok(0) | Err(_) => return "<closed>".to_string(),
                Ok(_) if line.as_bytes().get(3) == Some(&b'-') => continue,
                Ok(_) => return line.trim_end().to_string(),
            }
        }
    };
    let mut replies = vec![read_reply()];
    for c in commands {
        if writer.write_all(format!("{c}\r\n").as_bytes()).is_err() {
            replies.push("<closed>".into());
            continue;
        }
        replies.push(read_reply());
    }
    replies
}

#[actix_web::test]
async fn connections_recipients_and_errors_are_bounded() {
    let app = mail_app(|s| {
        s.smtp_max_connections_per_ip = 2;
        s.smtp_max_recipients = 2;
        s.smtp_max_errors = 3;
    })
    .await;
    let port = app.smtp_port.unwrap();
    let to = address(&app, &app.admin_key).await;
    // Two connections held open; the third from the same address is turned away.
    let held: Vec<_> = (0..2)
        .map(|_| std::net::TcpStream::connect(("127.0.0.1", port)).unwrap())
        .collect();
    actix_web::rt::time::sleep(std::time::Duration::from_millis(200)).await;
    let third = actix_web::rt::task::spawn_blocking(move || converse(port, &[]))
        .await
        .unwrap();
    assert_eq!(
        third,
        ["421 4.7.0 reports.ruad.test too many connections from your address, try again later"]
    );
    drop(held);
    let metrics = app
        .client
        .get(format!("{}/metrics", app.address))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics.contains("ruad_mail_connections_refused_total 1"),
        "{metrics}"
    );
    actix_web::rt::time::sleep(std::time::Duration::from_millis(200)).await;
    // Recipients per message: the third is deferred (452), not refused.
    let commands: Vec<String> = [
        "EHLO client.example".to_string(),
        "MAIL FROM:<a@sender.example>".into(),
        format!("RCPT TO:<{to}>"),
        format!("RCPT TO:<{to}>"),
        format!("RCPT TO:<{to}>"),
        "RSET".into(),
        "QUIT".into(),
    ]
    .into();
    let got = actix_web::rt::task::spawn_blocking(move || converse(port, &commands))
        .await
        .unwrap();
    assert_eq!(
        got[3..6],
        [
            "250 2.1.5 OK",
            "250 2.1.5 OK",
            "452 4.5.3 too many recipients"
        ]
    );
    // Errors: the third bad command ends the session.
    let commands: Vec<String> = [
        "EHLO client.example",
        "BOGUS",
        "MAIL FROM:<a@b",
        "RCPT TO:<x@y.example>",
        "NOOP",
        "NOOP",
    ]
    .map(String::from)
    .into();
    let got = actix_web::rt::task::spawn_blocking(move || converse(port, &commands))
        .await
        .unwrap();
    assert_eq!(got[2], "500 5.5.1 command not recognized");
    assert!(got[3].starts_with("501 "), "{got:?}");
    // The third error's own reply, then the 421 (read here as the answer to the first
    // NOOP), then nothing: the server has hung up.
    assert_eq!(got[4], "503 5.5.1 send MAIL FROM first");
    assert_eq!(
        got[5],
        "421 4.7.0 reports.ruad.test too many errors, closing"
    );
    assert_eq!(got[6], "<closed>");
}

#[actix_web::test]
async fn a_domain_registered_by_a_report_gets_its_dns_check_queued_like_one_registered_by_hand() {
    use ruad::domain::job::JobKind;
    use ruad::storage::{Db, jobs};
    // Re-checks on, the runner off: the queued job stays visible.
    let app = mail_app(|s| {
        s.dns_recheck_hours = 24;
        s.jobs_enabled = false;
    })
    .await;
    let on = app
        .send(
            Method::PATCH,
            "/api/v1/intake",
            Some(&app.admin_key),
            Some(json!({"auto_register_domains": true})),
        )
        .await;
    assert_eq!(on.status, StatusCode::OK);
    let to = address(&app, &app.admin_key).await;
    let db = Db::connect(&app.database_url, 1).unwrap();
    let pending = || {
        db.read(|c| jobs::count_pending(c, JobKind::CheckDns))
            .unwrap()
    };
    assert_eq!(pending(), 0);
    let sent = client(&[
        "send",
        "--port",
        &smtp(&app),
        "--to",
        &to,
        "--report",
        "auto.example:1",
    ])
    .await;
    assert_eq!(sent["ok"], true, "{sent}");
    assert_eq!(pending(), 1);
    // A second report for it registers nothing more.
    let sent = client(&[
        "send",
        "--port",
        &smtp(&app),
        "--to",
        &to,
        "--report",
        "mail.auto.example:2",
    ])
    .await;
    assert_eq!(sent["ok"], true, "{sent}");
    assert_eq!(pending(), 1);
    let domains = app.get("/api/v1/domains", &app.admin_key).await;
    assert_eq!(domains.body["items"].as_array().unwrap().len(), 1);
}
