//! Scheduled digests: CRUD and its validation problems, and the mail itself through a real
//! SMTP server on loopback (Python's aiosmtpd, `tests/digests/smtp_sink.py`): its MIME
//! structure, the PDF, the brand, a relay that first answers 451, one that refuses with 554,
//! no relay at all, and a scheduled run that two instances see due, sent once.

use crate::helpers::{TestApp, spawn_app, spawn_app_with};
use mail_parser::MimeHeaders;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The SMTP server the digests are submitted to.
struct SmtpSink {
    port: u16,
    dir: tempfile::TempDir,
    child: Child,
}

impl SmtpSink {
    /// Starts `smtp_sink.py` on a free port; `args`: its failure options.
    fn start(args: &[&str]) -> SmtpSink {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let dir = tempfile::tempdir().unwrap();
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/digests/smtp_sink.py");
        let mut child = Command::new("python3")
            .arg(script)
            .arg(port.to_string())
            .arg(dir.path())
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("python3 with aiosmtpd (pip install aiosmtpd)");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert_eq!(line.trim(), "READY", "smtp_sink.py did not start");
        SmtpSink { port, dir, child }
    }

    fn relay_url(&self) -> String {
        format!("smtp://127.0.0.1:{}?tls=none", self.port)
    }

    /// The messages received so far, in order.
    fn messages(&self) -> Vec<(Vec<u8>, Value)> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(self.dir.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "eml"))
            .collect();
        files.sort();
        files
            .into_iter()
            .map(|p| {
                let envelope = std::fs::read(p.with_extension("json")).unwrap();
                (
                    std::fs::read(&p).unwrap(),
                    serde_json::from_slice(&envelope).unwrap(),
                )
            })
            .collect()
    }

    /// Every answer given to a DATA command, in order.
    fn answers(&self) -> Vec<String> {
        std::fs::read_to_string(self.dir.path().join("answers.log"))
            .unwrap_or_default()
            .lines()
            .map(str::to_string)
            .collect()
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An app whose digests go to `sink`, retried at once.
async fn app_with_relay(sink: &SmtpSink) -> TestApp {
    let url = sink.relay_url();
    spawn_app_with(move |s| {
        s.smtp_relay_url = Some(url.into());
        s.digest_from = Some("digests@mssp.example".into());
        s.digest_backoff_base_seconds = 0;
        s.digest_schedule_seconds = 1;
    })
    .await
}

async fn create(app: &TestApp, body: Value) -> Value {
    let reply = app.post("/api/v1/digests", &app.admin_key, body).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    reply.body
}

fn weekly(domain: &str) -> Value {
    json!({"domain": domain, "recipients": ["ciso@customer.example", "noc@customer.example"],
        "frequency": "weekly", "day": 1, "hour": 8, "time_zone": "Europe/Amsterdam"})
}

/// Waits until the digest's deliveries satisfy `done`; answers them (newest first).
async fn deliveries_until(app: &TestApp, id: &str, done: impl Fn(&[Value]) -> bool) -> Vec<Value> {
    let deadline = Instant::now() + Duration::from_secs(180);
    loop {
        let reply = app
            .get(&format!("/api/v1/digests/{id}/deliveries"), &app.admin_key)
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        let items = reply.body["items"].as_array().unwrap().clone();
        if done(&items) {
            return items;
        }
        assert!(
            Instant::now() < deadline,
            "deliveries never settled: {items:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

fn settled(items: &[Value]) -> bool {
    !items.is_empty() && items.iter().all(|d| d["status"] != "queued")
}

/// Makes a digest due now, as if its time had come.
fn make_due(app: &TestApp, id: &str) {
    use diesel::prelude::*;
    use ruad::storage::schema::digests;
    let db = ruad::storage::Db::connect(&app.database_url, 1).unwrap();
    let now = chrono::Utc::now().timestamp();
    db.write(|conn| {
        Ok(diesel::update(digests::table.filter(digests::id.eq(id)))
            .set(digests::next_run_at.eq(now - 1))
            .execute(conn)?)
    })
    .unwrap();
}

#[actix_web::test]
async fn digests_are_created_read_listed_changed_and_deleted() {
    let app = spawn_app().await;
    app.register_domain("example.com").await;
    let digest = create(&app, weekly("example.com")).await;
    let id = digest["id"].as_str().unwrap();
    assert_eq!(digest["tenant_id"], app.tenant_id.as_str());
    assert!(digest["domain_id"].is_string());
    assert_eq!(
        digest["recipients"],
        json!(["ciso@customer.example", "noc@customer.example"])
    );
    assert_eq!(digest["frequency"], "weekly");
    assert_eq!(digest["time_zone"], "Europe/Amsterdam");
    assert_eq!(digest["language"], Value::Null);
    assert_eq!(digest["enabled"], true);
    // The next Monday 08:00 in Amsterdam: 06:00 or 07:00 UTC, within a week.
    let now = chrono::Utc::now().timestamp();
    let next = digest["next_run_at"].as_i64().unwrap();
    assert!(next > now && next <= now + 7 * 86_400, "{next}");
    let next_utc = chrono::DateTime::from_timestamp(next, 0).unwrap();
    assert_eq!(
        chrono::Datelike::weekday(&next_utc),
        chrono::Weekday::Mon,
        "{next_utc}"
    );

    let portfolio = create(
        &app,
        json!({"recipients": ["mssp@example.net"], "frequency": "monthly", "day": 28,
            "hour": 23, "language": "nl-BE"}),
    )
    .await;
    assert_eq!(portfolio["domain_id"], Value::Null);
    assert_eq!(portfolio["time_zone"], "UTC");
    assert_eq!(portfolio["language"], "nl");

    let got = app
        .get(&format!("/api/v1/digests/{id}"), &app.admin_key)
        .await;
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(got.body, digest);

    let first = app.get("/api/v1/digests?limit=1", &app.admin_key).await;
    assert_eq!(first.body["items"][0]["id"], portfolio["id"]);
    let cursor = first.body["next_cursor"].as_str().unwrap();
    let second = app
        .get(
            &format!("/api/v1/digests?limit=1&cursor={cursor}"),
            &app.admin_key,
        )
        .await;
    assert_eq!(second.body["items"][0]["id"], digest["id"]);
    assert_eq!(second.body["next_cursor"], Value::Null);

    let changed = app
        .send(
            reqwest::Method::PATCH,
            &format!("/api/v1/digests/{id}"),
            Some(&app.admin_key),
            Some(
                json!({"frequency": "monthly", "day": 1, "hour": 6, "language": "nl",
                "recipients": ["new@customer.example"], "enabled": false}),
            ),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{:?}", changed.body);
    assert_eq!(changed.body["frequency"], "monthly");
    assert_eq!(changed.body["recipients"], json!(["new@customer.example"]));
    assert_eq!(changed.body["language"], "nl");
    assert_eq!(changed.body["enabled"], false);
    let next = changed.body["next_run_at"].as_i64().unwrap();
    let next_local = chrono::DateTime::from_timestamp(next, 0)
        .unwrap()
        .with_timezone(&chrono_tz::Europe::Amsterdam);
    assert_eq!(
        (
            chrono::Datelike::day(&next_local),
            chrono::Timelike::hour(&next_local)
        ),
        (1, 6)
    );
    let cleared = app
        .send(
            reqwest::Method::PATCH,
            &format!("/api/v1/digests/{id}"),
            Some(&app.admin_key),
            Some(json!({"language": ""})),
        )
        .await;
    assert_eq!(cleared.body["language"], Value::Null);
    assert_eq!(cleared.body["next_run_at"], next);

    let deleted = app
        .send(
            reqwest::Method::DELETE,
            &format!("/api/v1/digests/{id}"),
            Some(&app.admin_key),
            None,
        )
        .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    app.get(&format!("/api/v1/digests/{id}"), &app.admin_key)
        .await
        .assert_problem(404, "not_found");
}

#[actix_web::test]
async fn bad_digests_are_refused_with_precise_problems() {
    let app = spawn_app().await;
    app.register_domain("example.com").await;
    let with = |change: Value| {
        let mut body = weekly("example.com");
        for (k, v) in change.as_object().unwrap() {
            body[k] = v.clone();
        }
        body
    };
    for (change, status, code) in [
        (json!({"recipients": []}), 422, "invalid_recipients"),
        (
            json!({"recipients": ["not an address"]}),
            422,
            "invalid_recipients",
        ),
        (
            json!({"recipients": ["Boss <boss@example.com>"]}),
            422,
            "invalid_recipients",
        ),
        (
            json!({"recipients": (0..21).map(|i| format!("r{i}@example.com")).collect::<Vec<_>>()}),
            422,
            "invalid_recipients",
        ),
        (
            json!({"time_zone": "Europe/Atlantis"}),
            422,
            "invalid_time_zone",
        ),
        (json!({"day": 0}), 422, "invalid_schedule"),
        (json!({"day": 8}), 422, "invalid_schedule"),
        (
            json!({"frequency": "monthly", "day": 29}),
            422,
            "invalid_schedule",
        ),
        (json!({"hour": 24}), 422, "invalid_schedule"),
        (json!({"language": "fr"}), 422, "unsupported_language"),
        (
            json!({"tenant_id": app.tenant_id}),
            422,
            "validation_failed",
        ),
        (json!({"domain": "unknown.example"}), 404, "not_found"),
        (json!({"frequency": "daily"}), 400, "bad_request"),
    ] {
        let reply = app
            .post("/api/v1/digests", &app.admin_key, with(change.clone()))
            .await;
        reply.assert_problem(status, code);
        assert!(
            !reply.body["detail"].as_str().unwrap().is_empty(),
            "{change}"
        );
    }
    let digest = create(&app, weekly("example.com")).await;
    let id = digest["id"].as_str().unwrap();
    for (change, code) in [
        (json!({"day": 9}), "invalid_schedule"),
        (json!({"time_zone": "Nowhere/City"}), "invalid_time_zone"),
        (json!({"recipients": ["x"]}), "invalid_recipients"),
        (json!({"language": "pl"}), "unsupported_language"),
    ] {
        app.send(
            reqwest::Method::PATCH,
            &format!("/api/v1/digests/{id}"),
            Some(&app.admin_key),
            Some(change),
        )
        .await
        .assert_problem(422, code);
    }
    // Nothing changed.
    let got = app
        .get(&format!("/api/v1/digests/{id}"), &app.admin_key)
        .await;
    assert_eq!(got.body, digest);
}

#[actix_web::test]
async fn without_a_relay_a_send_is_refused_and_a_scheduled_run_is_logged_as_failed() {
    let app = spawn_app_with(|s| s.digest_schedule_seconds = 1).await;
    app.register_domain("example.com").await;
    let digest = create(&app, weekly("example.com")).await;
    let id = digest["id"].as_str().unwrap();
    app.post(
        &format!("/api/v1/digests/{id}/send"),
        &app.admin_key,
        json!({}),
    )
    .await
    .assert_problem(409, "digest_relay_not_configured");

    make_due(&app, id);
    let items = deliveries_until(&app, id, settled).await;
    assert_eq!(items.len(), 1, "{items:?}");
    let d = &items[0];
    assert_eq!(d["status"], "failed");
    assert_eq!(d["trigger"], "schedule");
    assert_eq!(d["attempts"], 1);
    assert!(
        d["last_error"]
            .as_str()
            .unwrap()
            .contains("RUAD_SMTP_RELAY_URL"),
        "{d}"
    );
}

#[actix_web::test]
async fn a_digest_is_mailed_as_html_with_the_pdf_attached_under_the_brand() {
    let sink = SmtpSink::start(&[]);
    let app = app_with_relay(&sink).await;
    app.register_domain("example.com").await;
    let digest = create(&app, weekly("example.com")).await;
    let id = digest["id"].as_str().unwrap();

    let queued = app
        .post(
            &format!("/api/v1/digests/{id}/send"),
            &app.admin_key,
            json!({}),
        )
        .await;
    assert_eq!(queued.status, StatusCode::ACCEPTED, "{:?}", queued.body);
    assert_eq!(queued.body["status"], "queued");
    assert_eq!(queued.body["trigger"], "manual");
    // The last complete Monday-to-Sunday week in Amsterdam.
    let from =
        chrono::NaiveDate::parse_from_str(queued.body["period_from"].as_str().unwrap(), "%Y-%m-%d")
            .unwrap();
    let to =
        chrono::NaiveDate::parse_from_str(queued.body["period_to"].as_str().unwrap(), "%Y-%m-%d")
            .unwrap();
    assert_eq!(chrono::Datelike::weekday(&from), chrono::Weekday::Mon);
    assert_eq!((to - from).num_days(), 6);

    let items = deliveries_until(&app, id, settled).await;
    let d = &items[0];
    assert_eq!(d["status"], "sent", "{d}");
    assert_eq!(d["attempts"], 1);
    assert!(d["smtp_response"].as_str().unwrap().starts_with("250"));
    assert!(d["sent_at"].is_i64());

    let messages = sink.messages();
    assert_eq!(messages.len(), 1);
    let (raw, envelope) = &messages[0];
    assert_eq!(envelope["mail_from"], "digests@mssp.example");
    assert_eq!(
        envelope["rcpt_tos"],
        json!(["ciso@customer.example", "noc@customer.example"])
    );
    let mail = mail_parser::MessageParser::default().parse(raw).unwrap();
    assert_eq!(
        mail.message_id().map(|m| format!("<{m}>")),
        d["smtp_message_id"].as_str().map(str::to_string)
    );
    // From: the brand's display name (the tenant has no branding: ruad's own).
    let from_header = mail.from().unwrap().first().unwrap();
    assert_eq!(from_header.name(), Some("ruad"));
    assert_eq!(from_header.address(), Some("digests@mssp.example"));
    let subject = mail.subject().unwrap();
    assert!(
        subject.starts_with("ruad: example.com, weekly report"),
        "{subject}"
    );
    assert!(subject.contains(&from.to_string()) && subject.contains(&to.to_string()));
    // multipart/mixed = multipart/alternative (text/plain, text/html) + the PDF.
    let ct = mail.content_type().unwrap();
    assert_eq!((ct.ctype(), ct.subtype()), ("multipart", Some("mixed")));
    let root = &mail.parts[0];
    let mail_parser::PartType::Multipart(children) = &root.body else {
        panic!("the root is not multipart")
    };
    assert_eq!(children.len(), 2);
    let alternative = &mail.parts[children[0] as usize];
    let act = alternative.content_type().unwrap();
    assert_eq!(
        (act.ctype(), act.subtype()),
        ("multipart", Some("alternative"))
    );
    let text = mail.body_text(0).unwrap();
    assert!(
        text.contains("example.com") && text.contains("PDF"),
        "{text}"
    );
    let html = mail.body_html(0).unwrap();
    assert!(html.contains("<html") && html.contains("lang=\"en\""));
    assert!(html.contains("example.com"));
    let pdf = mail.attachment(0).unwrap();
    let pct = pdf.content_type().unwrap();
    assert_eq!((pct.ctype(), pct.subtype()), ("application", Some("pdf")));
    assert!(pdf.attachment_name().unwrap().ends_with(".pdf"));
    assert!(pdf.contents().starts_with(b"%PDF"));
}

#[actix_web::test]
async fn a_relay_that_first_answers_451_is_tried_again_and_the_log_shows_both_attempts() {
    let sink = SmtpSink::start(&["--fail-first", "1", "451"]);
    let app = app_with_relay(&sink).await;
    app.register_domain("example.com").await;
    let digest = create(&app, weekly("example.com")).await;
    let id = digest["id"].as_str().unwrap();
    let queued = app
        .post(
            &format!("/api/v1/digests/{id}/send"),
            &app.admin_key,
            json!({}),
        )
        .await;
    assert_eq!(queued.status, StatusCode::ACCEPTED);
    let items = deliveries_until(&app, id, settled).await;
    let d = &items[0];
    assert_eq!(d["status"], "sent", "{d}");
    assert_eq!(d["attempts"], 2);
    let log = d["attempt_log"].as_array().unwrap();
    assert_eq!(log.len(), 2, "{d}");
    assert_eq!(log[0]["outcome"], "retry");
    assert!(log[0]["reply"].as_str().unwrap().contains("451"), "{d}");
    assert_eq!(log[1]["outcome"], "sent");
    assert!(log[1]["reply"].as_str().unwrap().starts_with("250"), "{d}");
    assert_eq!(d["last_error"], Value::Null);
    assert_eq!(
        sink.answers(),
        ["451 4.3.0 try again later", "250 2.0.0 OK queued as 001"]
    );
    assert_eq!(sink.messages().len(), 1);
    let metrics = app
        .client
        .get(format!("{}/metrics", app.address))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(metrics.contains("ruad_digests_total{outcome=\"retry\"} 1"));
    assert!(metrics.contains("ruad_digests_total{outcome=\"sent\"} 1"));
}

#[actix_web::test]
async fn a_relay_that_refuses_with_554_fails_the_delivery_without_retrying() {
    let sink = SmtpSink::start(&["--always", "554"]);
    let app = app_with_relay(&sink).await;
    app.register_domain("example.com").await;
    let digest = create(&app, weekly("example.com")).await;
    let id = digest["id"].as_str().unwrap();
    app.post(
        &format!("/api/v1/digests/{id}/send"),
        &app.admin_key,
        json!({}),
    )
    .await;
    let items = deliveries_until(&app, id, settled).await;
    let d = &items[0];
    assert_eq!(d["status"], "failed", "{d}");
    assert_eq!(d["attempts"], 1);
    assert!(d["last_error"].as_str().unwrap().contains("554"), "{d}");
    assert_eq!(d["attempt_log"][0]["outcome"], "failed");
    // Given time, nothing more is tried.
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(sink.answers().len(), 1);
}

#[actix_web::test]
async fn a_due_digest_is_sent_once_even_with_two_instances_scheduling() {
    let sink = SmtpSink::start(&[]);
    let app = app_with_relay(&sink).await;
    // A second instance on the same database, with its own scheduler and runner.
    let mut settings = crate::helpers::settings(&app.database_url);
    settings.smtp_relay_url = Some(sink.relay_url().into());
    settings.digest_from = Some("digests@mssp.example".into());
    settings.digest_schedule_seconds = 1;
    settings.instance_id = "second".into();
    let second = ruad::app::Application::build(settings).unwrap();
    actix_web::rt::spawn(second.run_until_stopped());

    app.register_domain("example.com").await;
    let digest = create(
        &app,
        json!({"domain": "example.com", "recipients": ["mssp@example.net"],
            "frequency": "monthly", "day": 1, "hour": 0, "time_zone": "UTC"}),
    )
    .await;
    let id = digest["id"].as_str().unwrap();
    make_due(&app, id);
    let items = deliveries_until(&app, id, settled).await;
    // Both schedulers have had several turns since.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let items_after = deliveries_until(&app, id, settled).await;
    assert_eq!(items_after.len(), 1, "{items_after:?}");
    let d = &items[0];
    assert_eq!(d["status"], "sent", "{d}");
    assert_eq!(d["trigger"], "schedule");
    // A monthly digest on the 1st at 00:00 UTC: the previous calendar month.
    let today = chrono::Utc::now().date_naive();
    let this_month = chrono::Datelike::with_day(&today, 1).unwrap();
    let last_month = this_month - chrono::Months::new(1);
    assert_eq!(d["period_from"], last_month.to_string());
    assert_eq!(
        d["period_to"],
        (this_month - chrono::Days::new(1)).to_string()
    );
    assert_eq!(sink.messages().len(), 1);
    let subject = mail_parser::MessageParser::default()
        .parse(&sink.messages()[0].0)
        .unwrap()
        .subject()
        .unwrap()
        .to_string();
    assert!(
        subject.starts_with("ruad: example.com, monthly report"),
        "{subject}"
    );
    // The next run is the first of next month.
    let got = app
        .get(&format!("/api/v1/digests/{id}"), &app.admin_key)
        .await;
    let next = got.body["next_run_at"].as_i64().unwrap();
    let next_day = chrono::DateTime::from_timestamp(next, 0)
        .unwrap()
        .date_naive();
    assert_eq!(next_day, this_month + chrono::Months::new(1));
    assert!(got.body["last_run_at"].is_i64());
}
