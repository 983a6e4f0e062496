//! DMARC failure reports through the HTTP API: uploaded (the corpus's forensic samples and
//! synthetic ones), stored redacted by default, read back by list, one, and summary, with
//! filters and pages; the privacy setting; no raw copy unless `full`; the burst issue.

use crate::helpers::{TestApp, corpus_dir, fixture, spawn_app};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// A synthetic ARF failure report about `domain`, from `ip`, whose failing message `from`
/// sent, that arrived `n` minutes ago (and is unique per `n` and `ip`).
pub fn failure_report(domain: &str, ip: &str, from: &str, n: u32) -> Vec<u8> {
    failure_report_with(domain, ip, from, n, "dmarc")
}

pub fn failure_report_with(domain: &str, ip: &str, from: &str, n: u32, auth: &str) -> Vec<u8> {
    let arrival = (chrono::Utc::now() - chrono::Duration::minutes(i64::from(n))).to_rfc2822();
    format!(
        "From: dmarc-reports@receiver.example\r\nTo: ruf@ruad.example\r\nDate: {arrival}\r\n\
         Subject: Failure report: Quarterly salary review\r\n\
         Message-ID: <fr-{n}-{ip}@receiver.example>\r\nMIME-Version: 1.0\r\n\
         Content-Type: multipart/report; report-type=feedback-report; boundary=\"b\"\r\n\r\n\
         --b\r\nContent-Type: text/plain\r\n\r\nA failure report.\r\n\
         --b\r\nContent-Type: message/feedback-report\r\n\r\n\
         Feedback-Type: auth-failure\r\nVersion: 1\r\nAuth-Failure: {auth}\r\nSource-IP: {ip}\r\n\
         Reported-Domain: {domain}\r\nArrival-Date: {arrival}\r\n\
         Original-Mail-From: <{from}>\r\nOriginal-Rcpt-To: <carol.jones@receiver.example>\r\n\
         Authentication-Results: mx.receiver.example; dmarc=fail header.from={domain};\r\n \
         spf=fail smtp.mailfrom={from}\r\n\r\n\
         --b\r\nContent-Type: message/rfc822\r\n\r\n\
         Received: from host ({ip}) by mx.receiver.example for <carol.jones@receiver.example>\r\n\
         From: \"Payroll\" <{from}>\r\nTo: carol.jones@receiver.example\r\n\
         Subject: Quarterly salary review\r\nMessage-ID: <m-{n}@{domain}>\r\nDate: {arrival}\r\n\r\n\
         Dear Carol, your salary is confidential.\r\n--b--\r\n"
    )
    .into_bytes()
}

/// Words of the synthetic report that must not survive redaction.
const SECRETS: &[&str] = &[
    "carol.jones",
    "payroll.team",
    "salary",
    "Dear Carol",
    "confidential",
];

fn text(reply: &crate::helpers::Reply) -> String {
    String::from_utf8_lossy(&reply.bytes).into_owned()
}

fn is_hashed(address: &Value, domain: &str) -> bool {
    let Some(a) = address.as_str() else {
        return false;
    };
    let Some(local) = a.strip_suffix(&format!("@{domain}")) else {
        return false;
    };
    local.len() == 17 && local.starts_with('#') && local[1..].chars().all(|c| c.is_ascii_hexdigit())
}

/// The `data` of every upload row (the raw copies kept).
fn stored_raw_copies(app: &TestApp) -> Vec<Vec<u8>> {
    use diesel::prelude::*;
    use ruad::storage::schema::uploads;
    let db = ruad::storage::Db::connect(&app.database_url, 1).unwrap();
    db.read(|conn| Ok(uploads::table.select(uploads::data).load::<Vec<u8>>(conn)?))
        .unwrap()
}

async fn upload(app: &TestApp, key: &str, bytes: Vec<u8>) -> crate::helpers::Reply {
    app.upload(key, bytes, "message/rfc822").await
}

#[actix_web::test]
async fn the_corpus_failure_reports_are_stored_redacted_once_and_read_back() {
    let Some(dir) = corpus_dir() else {
        eprintln!("corpus not found (set RUAD_CORPUS_DIR); skipping");
        return;
    };
    let app = spawn_app().await;
    for d in [
        "example.com",
        "example.net",
        "domain.de",
        "cardinal.com",
        "interpublication.org",
    ] {
        app.register_domain(d).await;
    }
    let mut files: Vec<_> = std::fs::read_dir(dir.join("forensic"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "eml"))
        .collect();
    files.sort();
    let mut stored = Vec::new();
    for f in &files {
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        let reply = upload(&app, &app.admin_key, std::fs::read(f).unwrap()).await;
        match name.as_str() {
            // An abuse report: not a failure report.
            "mail-auth__001.eml" => {
                reply.assert_problem(422, "no_report");
                assert_eq!(reply.body["errors"][0]["code"], "unsupported_report_type");
            }
            // The domain.de report again, exported with lines of spaces for blank lines: the
            // same report once repaired (files sort after it), so a duplicate.
            "parsedmarc__subject.eml" => {
                assert_eq!(
                    reply.status,
                    StatusCode::CREATED,
                    "{name}: {:?}",
                    reply.body
                );
                assert_eq!(reply.body["reports"][0]["domain"], "domain.de");
                assert_eq!(reply.body["reports"][0]["duplicate"], true, "{name}");
            }
            _ => {
                assert_eq!(
                    reply.status,
                    StatusCode::CREATED,
                    "{name}: {:?}",
                    reply.body
                );
                let report = &reply.body["reports"][0];
                assert_eq!(report["kind"], "failure_report", "{name}");
                assert_eq!(report["duplicate"], false, "{name}");
                stored.push((name, report["domain"].as_str().unwrap().to_string()));
            }
        }
    }
    assert_eq!(stored.len(), 6, "{stored:?}");

    // The same files again: every report is a duplicate.
    for f in &files {
        let reply = upload(&app, &app.admin_key, std::fs::read(f).unwrap()).await;
        if reply.status == StatusCode::CREATED {
            assert_eq!(reply.body["reports"][0]["duplicate"], true, "{f:?}");
        }
    }

    // LinkedIn's two samples (LF and CRLF) are about example.com.
    let list = app
        .get("/api/v1/domains/example.com/failures", &app.admin_key)
        .await;
    assert_eq!(list.status, StatusCode::OK, "{:?}", list.body);
    let items = list.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{:?}", list.body);
    let shown = text(&list);
    for secret in [
        "recipient@linkedin.com",
        "sender@example.com",
        "Subject line",
        "HTML Text",
    ] {
        assert!(!shown.contains(secret), "{secret} survived: {shown}");
    }
    for item in items {
        assert_eq!(item["privacy"], "redacted");
        assert_eq!(item["source_ip"], "10.10.10.10");
        assert_eq!(item["auth_failure"], json!(["dmarc"]));
        assert_eq!(item["delivery_result"], "delivered");
        let report = &item["report"];
        assert!(
            is_hashed(&report["original_rcpt_to"][0], "linkedin.com"),
            "{report}"
        );
        assert!(is_hashed(&report["original"]["from"], "example.com"));
        assert_eq!(report["original"]["body"], Value::Null);
        assert_eq!(report["original"]["subject"], Value::Null);
        assert_eq!(report["reporter"]["subject"], Value::Null);
        // Message-IDs stay, so the sender can find the message in its logs.
        assert_eq!(
            report["original"]["message_id"],
            "01010101010101010101010101010101@ABAB01MS0016.someserver.loc"
        );
    }
    // The same address hashes the same in both reports: it can be counted.
    assert_eq!(
        items[0]["report"]["original_rcpt_to"],
        items[1]["report"]["original_rcpt_to"]
    );

    // Field by field for one more (a text/rfc822-headers sample).
    let list = app
        .get(
            "/api/v1/domains/interpublication.org/failures",
            &app.admin_key,
        )
        .await;
    let item = &list.body["items"][0];
    assert_eq!(item["source_ip"], "148.163.85.135");
    assert!(is_hashed(
        &item["report"]["original_mail_from"],
        "interpublication.org"
    ));
    assert!(!text(&list).contains("Wir kaufen"));
    assert_eq!(item["report"]["original"]["headers_only"], true);

    // One by id, and the same through the summary.
    let id = item["id"].as_str().unwrap();
    let one = app
        .get(
            &format!("/api/v1/domains/interpublication.org/failures/{id}"),
            &app.admin_key,
        )
        .await;
    assert_eq!(one.status, StatusCode::OK);
    assert_eq!(one.body["id"], item["id"]);

    // No raw copy of any failure report was kept.
    let raw = stored_raw_copies(&app);
    assert!(raw.iter().all(Vec::is_empty), "{} raw copies", raw.len());
}

#[actix_web::test]
async fn failures_are_filtered_paged_and_counted_by_source_and_type() {
    let app = spawn_app().await;
    app.register_domain("example.org").await;
    let key = app.admin_key.clone();
    for n in 0..3 {
        let r = upload(
            &app,
            &key,
            failure_report("example.org", "192.0.2.1", "payroll.team@example.org", n),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    }
    for n in 0..2 {
        let r = upload(
            &app,
            &key,
            failure_report_with(
                "mail.example.org",
                "2001:db8::7",
                "payroll.team@example.org",
                n,
                "spf, dkim",
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
        assert_eq!(r.body["reports"][0]["domain"], "example.org");
        assert_eq!(r.body["reports"][0]["policy_domain"], "mail.example.org");
    }
    let get = |q: &str| {
        let path = format!("/api/v1/domains/example.org/failures{q}");
        let key = key.clone();
        let app = &app;
        async move { app.get(&path, &key).await }
    };
    let all = get("").await;
    assert_eq!(all.body["items"].as_array().unwrap().len(), 5);
    let shown = text(&all);
    for secret in SECRETS {
        assert!(!shown.contains(secret), "{secret} survived: {shown}");
    }
    assert_eq!(
        get("?source_ip=192.0.2.1").await.body["items"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    // An address is compared in its canonical form.
    assert_eq!(
        get("?source_ip=2001:0db8:0:0:0:0:0:7").await.body["items"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        get("?auth_failure=spf").await.body["items"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        get("?auth_failure=dmarc&policy_domain=example.org")
            .await
            .body["items"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    assert_eq!(
        get("?from=2020-01-01&to=2020-12-31").await.body["items"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    get("?source_ip=not-an-ip")
        .await
        .assert_problem(400, "bad_request");

    // Pages of two, newest first, nothing repeated or skipped.
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let q = match &cursor {
            Some(c) => format!("?limit=2&cursor={c}"),
            None => "?limit=2".into(),
        };
        let page = get(&q).await;
        assert_eq!(page.status, StatusCode::OK, "{:?}", page.body);
        for item in page.body["items"].as_array().unwrap() {
            seen.push((
                item["arrival_date"].as_i64().unwrap(),
                item["id"].as_str().unwrap().to_string(),
            ));
        }
        match page.body["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    assert_eq!(seen.len(), 5);
    let mut sorted = seen.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(seen, sorted);

    let summary = app
        .get("/api/v1/domains/example.org/failures/summary", &key)
        .await;
    assert_eq!(summary.status, StatusCode::OK, "{:?}", summary.body);
    assert_eq!(summary.body["reports"], 5);
    assert_eq!(summary.body["incidents"], 5);
    assert_eq!(
        summary.body["by_source"],
        json!([
            {"key": "192.0.2.1", "reports": 3, "incidents": 3},
            {"key": "2001:db8::7", "reports": 2, "incidents": 2},
        ])
    );
    assert_eq!(
        summary.body["by_type"],
        json!([
            {"key": "dmarc", "reports": 3, "incidents": 3},
            {"key": "dkim", "reports": 2, "incidents": 2},
            {"key": "spf", "reports": 2, "incidents": 2},
        ])
    );
    let old = app
        .get(
            "/api/v1/domains/example.org/failures/summary?from=2020-01-01&to=2020-01-31",
            &key,
        )
        .await;
    assert_eq!(old.body["reports"], 0);
    assert_eq!(old.body["by_source"], json!([]));
}

#[actix_web::test]
async fn the_privacy_setting_decides_what_is_kept_and_only_an_admin_changes_it() {
    let app = spawn_app().await;
    app.register_domain("example.org").await;
    let settings = format!("/api/v1/tenants/{}/failure-settings", app.tenant_id);
    let current = app.get(&settings, &app.admin_key).await;
    assert_eq!(current.status, StatusCode::OK, "{:?}", current.body);
    assert_eq!(current.body["failure_report_privacy"], "redacted");

    let writer = app
        .post(
            &format!("/api/v1/tenants/{}/api-keys", app.tenant_id),
            &app.admin_key,
            json!({"name": "w", "role": "writer"}),
        )
        .await;
    let writer_key = writer.body["key"].as_str().unwrap().to_string();
    app.send(
        Method::PATCH,
        &settings,
        Some(&writer_key),
        Some(json!({"failure_report_privacy": "full"})),
    )
    .await
    .assert_problem(403, "forbidden");
    let bad = app
        .send(
            Method::PATCH,
            &settings,
            Some(&app.admin_key),
            Some(json!({"failure_report_privacy": "everything"})),
        )
        .await;
    assert_eq!(bad.status.as_u16() / 100, 4, "{:?}", bad.body);

    // headers: addresses and subjects as sent, no body, no raw copy.
    let set = |mode: &'static str| {
        let app = &app;
        let settings = settings.clone();
        async move {
            let r = app
                .send(
                    Method::PATCH,
                    &settings,
                    Some(&app.admin_key),
                    Some(json!({"failure_report_privacy": mode})),
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
            assert_eq!(r.body["failure_report_privacy"], mode);
        }
    };
    set("headers").await;
    let r = upload(
        &app,
        &app.admin_key,
        failure_report("example.org", "192.0.2.1", "payroll.team@example.org", 1),
    )
    .await;
    let id = r.body["reports"][0]["id"].as_str().unwrap().to_string();
    let one = app
        .get(
            &format!("/api/v1/domains/example.org/failures/{id}"),
            &app.admin_key,
        )
        .await;
    assert_eq!(one.body["privacy"], "headers");
    assert_eq!(
        one.body["report"]["original"]["from"],
        "payroll.team@example.org"
    );
    assert_eq!(
        one.body["report"]["original"]["subject"],
        "Quarterly salary review"
    );
    assert_eq!(one.body["report"]["original"]["body"], Value::Null);
    assert!(stored_raw_copies(&app).iter().all(Vec::is_empty));

    // full: everything, and the raw message.
    set("full").await;
    let r = upload(
        &app,
        &app.admin_key,
        failure_report("example.org", "192.0.2.1", "payroll.team@example.org", 2),
    )
    .await;
    let id = r.body["reports"][0]["id"].as_str().unwrap().to_string();
    let one = app
        .get(
            &format!("/api/v1/domains/example.org/failures/{id}"),
            &app.admin_key,
        )
        .await;
    assert_eq!(one.body["privacy"], "full");
    assert!(
        one.body["report"]["original"]["body"]
            .as_str()
            .unwrap()
            .contains("Dear Carol")
    );
    assert_eq!(
        stored_raw_copies(&app)
            .iter()
            .filter(|d| !d.is_empty())
            .count(),
        1
    );
    let current = app.get(&settings, &app.admin_key).await;
    assert_eq!(current.body["failure_report_privacy"], "full");

    // Deleting it drops its raw copy too.
    let path = format!("/api/v1/domains/example.org/failures/{id}");
    let deleted = app
        .send(Method::DELETE, &path, Some(&app.admin_key), None)
        .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT, "{:?}", deleted.body);
    app.get(&path, &app.admin_key)
        .await
        .assert_problem(404, "not_found");
    assert!(stored_raw_copies(&app).iter().all(Vec::is_empty));
    let left = app
        .get("/api/v1/domains/example.org/failures", &app.admin_key)
        .await;
    assert_eq!(left.body["items"].as_array().unwrap().len(), 1);
}

#[actix_web::test]
async fn a_mixed_upload_keeps_no_raw_copy_that_would_undo_the_redaction() {
    let app = spawn_app().await;
    app.register_domain("foo-bar.io").await;
    // An mbox: an aggregate report, then a failure report.
    let mut mbox = b"From reports@google.com Mon Mar  4 00:00:00 2024\nFrom: noreply-dmarc-support@google.com\nContent-Type: text/xml\n\n".to_vec();
    mbox.extend(fixture("001-rfc7489-google.xml"));
    mbox.extend(b"\n\nFrom dmarc@receiver.example Mon Mar  4 00:00:00 2024\n");
    mbox.extend(failure_report(
        "foo-bar.io",
        "192.0.2.1",
        "payroll.team@foo-bar.io",
        1,
    ));
    let reply = app.upload(&app.admin_key, mbox, "application/mbox").await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    let kinds: Vec<&str> = reply.body["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["dmarc_aggregate", "failure_report"]);
    // The aggregate report is stored and readable, but its raw copy is withheld.
    let aggregate = reply.body["reports"][0]["id"].as_str().unwrap();
    let stored = app
        .get(&format!("/api/v1/reports/{aggregate}"), &app.admin_key)
        .await;
    assert_eq!(stored.status, StatusCode::OK);
    app.get(&format!("/api/v1/reports/{aggregate}/raw"), &app.admin_key)
        .await
        .assert_problem(404, "not_found");
    assert!(stored_raw_copies(&app).iter().all(Vec::is_empty));
}

#[actix_web::test]
async fn a_burst_of_failures_from_one_source_raises_an_issue_for_that_source() {
    let app = spawn_app().await;
    app.register_domain("example.org").await;
    for n in 0..10 {
        let r = upload(
            &app,
            &app.admin_key,
            failure_report("example.org", "203.0.113.9", "billing@example.org", n),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    }
    for n in 0..3 {
        upload(
            &app,
            &app.admin_key,
            failure_report("example.org", "198.51.100.7", "billing@example.org", n),
        )
        .await;
    }
    let evaluated = app
        .post(
            "/api/v1/domains/example.org/issues/evaluate",
            &app.admin_key,
            json!({}),
        )
        .await;
    assert_eq!(evaluated.status, StatusCode::OK, "{:?}", evaluated.body);
    let bursts: Vec<&Value> = evaluated.body["issues"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["code"] == "failure_report_burst")
        .collect();
    assert_eq!(bursts.len(), 1, "{:?}", evaluated.body);
    assert_eq!(bursts[0]["subject"], "203.0.113.9");
    assert_eq!(bursts[0]["evidence"]["failure_reports"], 10);
}
