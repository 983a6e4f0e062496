//! Background enrichment: a stored report's sources get their reverse DNS confirmed by the
//! job worker, against a real DNS server, without the upload waiting for it.

use crate::dns_server;
use crate::helpers::spawn_app_with;
use crate::reports::report_xml;
use reqwest::StatusCode;
use ruad::domain::job::JobKind;
use ruad::storage::{Db, jobs, source_names};
use serde_json::Value;

const SOA: &str = "@ 3600 IN SOA ns.sender.test. admin.sender.test. 1 7200 3600 1209600 3600\n@ 3600 IN NS ns.sender.test.\n";

#[actix_web::test]
async fn stored_reports_get_their_sources_confirmed_in_the_background() {
    let dns = dns_server::start(&[
        (
            "2.0.192.in-addr.arpa.",
            &format!("{SOA}10 IN PTR o1.ptr2345.sendgrid.net.\n11 IN PTR fake.sender.test.\n"),
        ),
        (
            "sendgrid.net.",
            &format!("{SOA}o1.ptr2345 IN A 192.0.2.10\n"),
        ),
        ("sender.test.", &format!("{SOA}fake IN A 198.51.100.1\n")),
    ]);
    let ns = dns.addr.to_string();
    let app = spawn_app_with(move |s| s.dns_nameservers = ns).await;
    app.register_domain("example.com").await;
    let xml = report_xml(
        "enrich-1",
        1_700_000_000,
        1_700_086_399,
        &[
            ("192.0.2.10", 5, "none", "pass", "pass"),
            ("192.0.2.11", 3, "none", "fail", "fail"),
            ("192.0.2.12", 1, "none", "fail", "fail"),
        ],
    );
    let reply = app
        .upload(&app.admin_key, xml.into_bytes(), "application/xml")
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);

    let db = Db::connect(&app.database_url, 1).unwrap();
    let ips: Vec<String> = ["192.0.2.10", "192.0.2.11", "192.0.2.12"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let mut rows = Vec::new();
    for _ in 0..150 {
        rows = db.read(|c| source_names::find_many(c, &ips)).unwrap();
        if rows.len() == 3 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(rows.len(), 3, "sources not enriched: {rows:?}");
    let by_ip = |ip: &str| rows.iter().find(|r| r.ip == ip).unwrap().clone();
    let confirmed = by_ip("192.0.2.10");
    assert_eq!(
        confirmed.confirmed_name.as_deref(),
        Some("o1.ptr2345.sendgrid.net")
    );
    assert_eq!(confirmed.org_domain.as_deref(), Some("sendgrid.net"));
    let spoofable = by_ip("192.0.2.11");
    assert_eq!(
        spoofable.confirmed_name, None,
        "an unconfirmed PTR must not name the source"
    );
    assert_eq!(spoofable.org_domain, None);
    assert_eq!(spoofable.ptr_names, r#"["fake.sender.test"]"#);
    let nameless = by_ip("192.0.2.12");
    assert_eq!(nameless.ptr_names, "[]");
    assert_eq!(nameless.lookup_error, None);
    for _ in 0..50 {
        if db
            .read(|c| jobs::count_pending(c, JobKind::EnrichSources))
            .unwrap()
            == 0
        {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(
        db.read(|c| jobs::count_pending(c, JobKind::EnrichSources))
            .unwrap(),
        0
    );
}

/// Sources without a confirmed PTR name are named by the DKIM and SPF domains that passed for
/// them, never by failing ones, in by-source and by-service alike.
#[actix_web::test]
async fn sources_are_named_by_their_passing_dkim_and_spf_domains() {
    use crate::issues::{Row, report, wait_for_jobs};
    // Reverse DNS knows none of the sources: only their auth results can name them.
    let dns = dns_server::start(&[("2.0.192.in-addr.arpa.", SOA)]);
    let ns = dns.addr.to_string();
    let app = spawn_app_with(move |s| s.dns_nameservers = ns).await;
    app.register_domain("example.com").await;
    let row = |ip, count, auth_dkim, auth_spf| Row {
        ip,
        count,
        dkim: "fail",
        spf: "fail",
        auth_dkim,
        auth_spf,
    };
    let rows = [
        // Signed by SendGrid (a valid d=sendgrid.net signature), bouncing to its domain.
        row(
            "192.0.2.30",
            50,
            Some(("sendgrid.net", "pass")),
            ("em1.sendgrid.net", "pass"),
        ),
        // Amazon SES's bounce domain passes SPF: the address is one SES sends from.
        row("192.0.2.31", 20, None, ("bounces.amazonses.com", "pass")),
        // Claims SendGrid, but neither the signature nor SPF passes: no evidence at all.
        row(
            "192.0.2.32",
            10,
            Some(("SendGrid.net.", "fail")),
            ("sendgrid.net", "softfail"),
        ),
        // Another SendGrid address, by its signature only (upper case, trailing dot).
        row(
            "192.0.2.33",
            5,
            Some(("SendGrid.NET.", "pass")),
            ("example.org", "fail"),
        ), // Signed by SendGrid, SPF passing for SES: the signature is the stronger evidence.
        row(
            "192.0.2.34",
            7,
            Some(("sendgrid.net", "pass")),
            ("amazonses.com", "pass"),
        ),
    ];
    let begin = 1_700_006_400;
    let up = app
        .upload(
            &app.admin_key,
            report("google.com", "auth-1", begin, &rows),
            "application/xml",
        )
        .await;
    assert_eq!(up.status, StatusCode::CREATED, "{:?}", up.body);
    wait_for_jobs(&app).await;

    let range = "from=2023-11-15&to=2023-11-15";
    let by_source = app
        .get(
            &format!("/api/v1/domains/example.com/dmarc/by-source?{range}"),
            &app.admin_key,
        )
        .await;
    assert_eq!(by_source.status, StatusCode::OK, "{:?}", by_source.body);
    let source = |ip: &str| {
        by_source.body["sources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["source_ip"] == ip)
            .unwrap_or_else(|| panic!("{ip} missing: {:?}", by_source.body))
            .clone()
    };
    let sendgrid = source("192.0.2.30");
    assert_eq!(sendgrid["service"]["id"], "sendgrid");
    assert_eq!(sendgrid["service"]["matched_by"], "dkim_domain");
    assert_eq!(sendgrid["service"]["matched_value"], "sendgrid.net");
    assert_eq!(
        sendgrid["dkim_domains"],
        serde_json::json!([{"domain": "sendgrid.net", "messages": 50}])
    );
    assert_eq!(
        sendgrid["spf_domains"],
        serde_json::json!([{"domain": "em1.sendgrid.net", "messages": 50}])
    );
    assert_eq!(sendgrid["reverse_dns"]["confirmed_name"], Value::Null);
    let ses = source("192.0.2.31");
    assert_eq!(ses["service"]["id"], "amazon_ses");
    assert_eq!(ses["service"]["matched_by"], "spf_domain");
    assert_eq!(ses["service"]["matched_value"], "bounces.amazonses.com");
    assert_eq!(ses["dkim_domains"], serde_json::json!([]));
    let claimed = source("192.0.2.32");
    assert_eq!(claimed["service"], Value::Null, "{claimed}");
    assert_eq!(claimed["dkim_domains"], serde_json::json!([]));
    assert_eq!(claimed["spf_domains"], serde_json::json!([]));
    assert_eq!(source("192.0.2.33")["service"]["id"], "sendgrid");
    let both = source("192.0.2.34");
    assert_eq!(both["service"]["id"], "sendgrid");
    assert_eq!(both["service"]["matched_by"], "dkim_domain");
    assert_eq!(
        both["spf_domains"],
        serde_json::json!([{"domain": "amazonses.com", "messages": 7}])
    );

    let by_service = app
        .get(
            &format!("/api/v1/domains/example.com/dmarc/by-service?{range}"),
            &app.admin_key,
        )
        .await;
    assert_eq!(by_service.status, StatusCode::OK, "{:?}", by_service.body);
    let groups: Vec<(String, Option<String>, u64, u64)> = by_service.body["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["group"].as_str().unwrap().to_string(),
                g["service"]["id"].as_str().map(String::from),
                g["sources"].as_u64().unwrap(),
                g["messages"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        groups,
        vec![
            ("service".into(), Some("sendgrid".into()), 3, 62),
            ("service".into(), Some("amazon_ses".into()), 1, 20),
            ("unconfirmed".into(), None, 1, 10),
        ]
    );

    // A day without traffic names nothing.
    let empty = app
        .get(
            "/api/v1/domains/example.com/dmarc/by-service?from=2023-11-16&to=2023-11-16",
            &app.admin_key,
        )
        .await;
    assert_eq!(empty.body["services"], serde_json::json!([]));
}

/// A lookup that fails again keeps the time of the first failure, so the issue rules can tell
/// how long an address has been impossible to look up; each failure is retried after its
/// short expiry.
#[actix_web::test]
async fn repeated_lookup_failures_keep_the_time_of_the_first() {
    use crate::issues::{Row, report, wait_for_jobs};
    // The default test resolver is a closed local port: every lookup fails.
    let app = spawn_app_with(|_| {}).await;
    app.register_domain("example.com").await;
    let rows = [Row {
        ip: "192.0.2.77",
        count: 5,
        dkim: "fail",
        spf: "fail",
        auth_dkim: None,
        auth_spf: ("example.com", "fail"),
    }];
    let upload = |id: &'static str| report("google.com", id, 1_700_006_400, &rows);
    let up = app
        .upload(&app.admin_key, upload("fail-1"), "application/xml")
        .await;
    assert_eq!(up.status, StatusCode::CREATED, "{:?}", up.body);
    wait_for_jobs(&app).await;
    let db = Db::connect(&app.database_url, 1).unwrap();
    let ip = vec!["192.0.2.77".to_string()];
    let first = db.read(|c| source_names::find_many(c, &ip)).unwrap();
    assert_eq!(first.len(), 1);
    assert!(first[0].lookup_error.is_some(), "{first:?}");
    assert_eq!(first[0].failing_since, Some(first[0].checked_at));

    // The failure is old and expired; the next report naming the address looks it up again.
    db.write(|c| {
        use diesel::RunQueryDsl;
        diesel::sql_query(
            "UPDATE source_names SET failing_since = 1000, checked_at = 1000, expires_at = 0",
        )
        .execute(c)?;
        Ok(())
    })
    .unwrap();
    let up = app
        .upload(&app.admin_key, upload("fail-2"), "application/xml")
        .await;
    assert_eq!(up.status, StatusCode::CREATED, "{:?}", up.body);
    wait_for_jobs(&app).await;
    let again = db.read(|c| source_names::find_many(c, &ip)).unwrap();
    assert!(again[0].checked_at > 1000, "looked up again: {again:?}");
    assert!(again[0].lookup_error.is_some(), "{again:?}");
    assert_eq!(again[0].failing_since, Some(1000), "{again:?}");
}
