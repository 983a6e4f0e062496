//! `GET /domains/{domain}/timeseries`: per-day and per-week points against the by-result
//! totals, zero-filled buckets, week alignment and clipping, errors.

use crate::helpers::{TestApp, spawn_app};
use crate::reports::report_xml;
use chrono::{Datelike, NaiveDate, Weekday};
use reqwest::StatusCode;
use serde_json::{Value, json};

const DMARC_FIELDS: &[&str] = &[
    "messages",
    "dmarc_pass_messages",
    "dmarc_fail_messages",
    "disposition",
    "dkim_aligned",
    "spf_aligned",
];
const TLS_FIELDS: &[&str] = &[
    "successful_sessions",
    "failed_sessions",
    "failed_sessions_by_result_type",
];

fn epoch(date: &str) -> i64 {
    NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap()
        .and_utc()
        .timestamp()
}

fn date(value: &Value) -> NaiveDate {
    NaiveDate::parse_from_str(value.as_str().unwrap(), "%Y-%m-%d").unwrap()
}

async fn ok(app: &TestApp, path: &str) -> Value {
    let reply = app.get(path, &app.admin_key).await;
    assert_eq!(reply.status, StatusCode::OK, "{path}: {:?}", reply.body);
    reply.body
}

async fn series(app: &TestApp, domain: &str, query: &str) -> Value {
    ok(app, &format!("/api/v1/domains/{domain}/timeseries?{query}")).await
}

/// A point's figures in the by-result response's naming.
fn as_by_result(point: &Value, kind: &str) -> Value {
    if kind == "dmarc" {
        json!({
            "total_messages": point["messages"],
            "dmarc_pass_messages": point["dmarc_pass_messages"],
            "dmarc_fail_messages": point["dmarc_fail_messages"],
            "disposition": point["disposition"],
            "dkim_aligned": point["dkim_aligned"],
            "spf_aligned": point["spf_aligned"],
        })
    } else {
        json!({
            "total_sessions": point["successful_sessions"].as_u64().unwrap()
                + point["failed_sessions"].as_u64().unwrap(),
            "successful_sessions": point["successful_sessions"],
            "failed_sessions": point["failed_sessions"],
            "failed_sessions_by_result_type": point["failed_sessions_by_result_type"],
        })
    }
}

/// Asserts that every point equals `{kind}/by-result` over the point's own days, and that
/// the points hold exactly the fields of their kind.
async fn assert_points_match_by_result(app: &TestApp, domain: &str, body: &Value) {
    let kind = body["kind"].as_str().unwrap();
    let (own, other) = if kind == "dmarc" {
        (DMARC_FIELDS, TLS_FIELDS)
    } else {
        (TLS_FIELDS, DMARC_FIELDS)
    };
    for point in body["points"].as_array().unwrap() {
        for f in own {
            assert!(point.get(*f).is_some(), "{f} missing in {point}");
        }
        for f in other {
            assert!(point.get(*f).is_none(), "{f} in a {kind} point: {point}");
        }
        let mut totals = ok(
            app,
            &format!(
                "/api/v1/domains/{domain}/{kind}/by-result?from={}&to={}",
                point["start"].as_str().unwrap(),
                point["end"].as_str().unwrap()
            ),
        )
        .await;
        let totals = totals.as_object_mut().unwrap();
        for k in ["domain", "from", "to"] {
            totals.remove(k);
        }
        assert_eq!(
            as_by_result(point, kind),
            Value::Object(totals.clone()),
            "{point}"
        );
    }
}

/// The sum of a numeric field, or of one key of a map field, over all points.
fn sum(body: &Value, field: &str, key: Option<&str>) -> u64 {
    body["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let v = match key {
                Some(k) => &p[field][k],
                None => &p[field],
            };
            v.as_u64().unwrap_or(0)
        })
        .sum()
}

async fn upload(app: &TestApp, bytes: Vec<u8>) {
    let reply = app
        .upload(&app.admin_key, bytes, "application/octet-stream")
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
}

#[actix_web::test]
async fn dmarc_days_and_weeks_match_by_result_with_every_bucket_present() {
    let app = spawn_app().await;
    app.register_domain("example.com").await;
    // Wednesday 2024-01-03; Monday to Wednesday 2024-01-08..10 (spread 3/3/3); Monday 2024-01-15.
    let d = epoch;
    for xml in [
        report_xml(
            "a",
            d("2024-01-03"),
            d("2024-01-04") - 1,
            &[
                ("192.0.2.1", 5, "none", "pass", "pass"),
                ("192.0.2.2", 2, "reject", "fail", "fail"),
            ],
        ),
        report_xml(
            "b",
            d("2024-01-08"),
            d("2024-01-11") - 1,
            &[("192.0.2.3", 9, "quarantine", "fail", "pass")],
        ),
        report_xml(
            "c",
            d("2024-01-15"),
            d("2024-01-16") - 1,
            &[("192.0.2.1", 4, "none", "pass", "fail")],
        ),
    ] {
        upload(&app, xml.into_bytes()).await;
    }

    // Tuesday 2024-01-02 to Tuesday 2024-01-16.
    let range = "from=2024-01-02&to=2024-01-16";
    let days = series(&app, "example.com", &format!("kind=dmarc&{range}")).await;
    assert_eq!(days["domain"], "example.com");
    assert_eq!(days["kind"], "dmarc");
    assert_eq!(days["interval"], "day");
    assert_eq!(days["from"], "2024-01-02");
    assert_eq!(days["to"], "2024-01-16");
    let points = days["points"].as_array().unwrap();
    assert_eq!(points.len(), 15);
    for (i, p) in points.iter().enumerate() {
        let expected = NaiveDate::from_ymd_opt(2024, 1, 2).unwrap() + chrono::Days::new(i as u64);
        assert_eq!(date(&p["start"]), expected);
        assert_eq!(p["end"], p["start"]);
    }
    // Days without reports are there, as zeros with the usual keys.
    let empty = &points[0];
    assert_eq!(empty["messages"], 0);
    assert_eq!(
        empty["disposition"],
        json!({"none": 0, "quarantine": 0, "reject": 0})
    );
    assert_eq!(empty["dkim_aligned"], json!({"pass": 0, "fail": 0}));
    let messages: Vec<u64> = points
        .iter()
        .map(|p| p["messages"].as_u64().unwrap())
        .collect();
    assert_eq!(messages, vec![0, 7, 0, 0, 0, 0, 3, 3, 3, 0, 0, 0, 0, 4, 0]);
    assert_points_match_by_result(&app, "example.com", &days).await;

    // The days add up to the totals of the whole range.
    let total = ok(
        &app,
        &format!("/api/v1/domains/example.com/dmarc/by-result?{range}"),
    )
    .await;
    assert_eq!(total["total_messages"], 20);
    assert_eq!(sum(&days, "messages", None), 20);
    assert_eq!(
        sum(&days, "dmarc_pass_messages", None),
        total["dmarc_pass_messages"].as_u64().unwrap()
    );
    assert_eq!(
        sum(&days, "dmarc_fail_messages", None),
        total["dmarc_fail_messages"].as_u64().unwrap()
    );
    for (field, keys) in [
        ("disposition", &["none", "quarantine", "reject"][..]),
        ("dkim_aligned", &["pass", "fail"][..]),
        ("spf_aligned", &["pass", "fail"][..]),
    ] {
        for k in keys {
            assert_eq!(
                sum(&days, field, Some(k)),
                total[field][k].as_u64().unwrap(),
                "{field}.{k}"
            );
        }
    }

    // Weeks start on Mondays; the first and last are clipped to the range.
    let weeks = series(
        &app,
        "example.com",
        &format!("kind=dmarc&interval=week&{range}"),
    )
    .await;
    assert_eq!(weeks["interval"], "week");
    let spans: Vec<(String, String, u64)> = weeks["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["start"].as_str().unwrap().to_string(),
                p["end"].as_str().unwrap().to_string(),
                p["messages"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        spans,
        vec![
            ("2024-01-02".into(), "2024-01-07".into(), 7),
            ("2024-01-08".into(), "2024-01-14".into(), 9),
            ("2024-01-15".into(), "2024-01-16".into(), 4),
        ]
    );
    for p in &weeks["points"].as_array().unwrap()[1..] {
        assert_eq!(date(&p["start"]).weekday(), Weekday::Mon);
    }
    assert_points_match_by_result(&app, "example.com", &weeks).await;

    // Calendar months, the first and last clipped to the range, match by-result too.
    let months = series(
        &app,
        "example.com",
        "kind=dmarc&interval=month&from=2023-12-20&to=2024-02-10",
    )
    .await;
    assert_eq!(months["interval"], "month");
    let points = months["points"].as_array().unwrap();
    assert_eq!(points.len(), 3);
    assert_eq!(points[0]["end"], "2023-12-31");
    assert_eq!(points[1]["start"], "2024-01-01");
    assert_eq!(points[1]["messages"], 20);
    assert_eq!(points[2]["end"], "2024-02-10");
    assert_points_match_by_result(&app, "example.com", &months).await;

    // A range starting on a Monday and ending on a Sunday has only whole weeks.
    let whole = series(
        &app,
        "example.com",
        "kind=dmarc&interval=week&from=2024-01-08&to=2024-01-21",
    )
    .await;
    let whole = whole["points"].as_array().unwrap();
    assert_eq!(whole.len(), 2);
    assert_eq!(whole[1]["start"], "2024-01-15");
    assert_eq!(whole[1]["end"], "2024-01-21");
    assert_eq!(date(&whole[1]["end"]).weekday(), Weekday::Sun);

    // Without from/to: the by-result default range, 31 days ending today.
    let default = series(&app, "example.com", "kind=dmarc").await;
    assert_eq!(default["points"].as_array().unwrap().len(), 31);
    assert_eq!(default["points"][30]["end"], default["to"]);
}

pub(crate) fn tls_json(
    id: &str,
    start: &str,
    end: &str,
    ok: u64,
    failures: &[(&str, u64)],
) -> Vec<u8> {
    let failed: u64 = failures.iter().map(|(_, n)| n).sum();
    let details: Vec<Value> = failures
        .iter()
        .map(|(result, n)| {
            json!({"result-type": result, "sending-mta-ip": "192.0.2.9",
                   "receiving-mx-hostname": "mx.example.org", "failed-session-count": n})
        })
        .collect();
    json!({
        "organization-name": "Receiver Example",
        "date-range": {"start-datetime": start, "end-datetime": end},
        "contact-info": "tlsrpt@receiver.example",
        "report-id": id,
        "policies": [{
            "policy": {"policy-type": "sts", "policy-domain": "example.org",
                       "policy-string": ["version: STSv1", "mode: enforce", "mx: mx.example.org", "max_age: 86400"]},
            "summary": {"total-successful-session-count": ok, "total-failure-session-count": failed},
            "failure-details": details
        }]
    })
    .to_string()
    .into_bytes()
}

#[actix_web::test]
async fn tls_points_match_tls_by_result() {
    let app = spawn_app().await;
    app.register_domain("example.org").await;
    upload(
        &app,
        tls_json(
            "t1",
            "2024-03-04T00:00:00Z",
            "2024-03-04T23:59:59Z",
            10,
            &[("certificate-expired", 2)],
        ),
    )
    .await;
    // Two days: the counts are spread over both.
    upload(
        &app,
        tls_json(
            "t2",
            "2024-03-06T00:00:00Z",
            "2024-03-07T23:59:59Z",
            7,
            &[("starttls-not-supported", 3), ("certificate-expired", 1)],
        ),
    )
    .await;
    let range = "from=2024-03-03&to=2024-03-08";
    let days = series(&app, "example.org", &format!("kind=tls&{range}")).await;
    assert_eq!(days["kind"], "tls");
    let points = days["points"].as_array().unwrap();
    assert_eq!(points.len(), 6);
    assert_eq!(points[0]["successful_sessions"], 0);
    assert_eq!(points[0]["failed_sessions_by_result_type"], json!({}));
    assert_eq!(points[1]["successful_sessions"], 10);
    assert_eq!(
        points[1]["failed_sessions_by_result_type"]["certificate-expired"],
        2
    );
    assert_eq!(points[2]["failed_sessions"], 0);
    assert_points_match_by_result(&app, "example.org", &days).await;

    let total = ok(
        &app,
        &format!("/api/v1/domains/example.org/tls/by-result?{range}"),
    )
    .await;
    assert_eq!(total["successful_sessions"], 17);
    assert_eq!(sum(&days, "successful_sessions", None), 17);
    assert_eq!(
        sum(&days, "failed_sessions", None),
        total["failed_sessions"].as_u64().unwrap()
    );
    for (k, _) in total["failed_sessions_by_result_type"].as_object().unwrap() {
        assert_eq!(
            sum(&days, "failed_sessions_by_result_type", Some(k)),
            total["failed_sessions_by_result_type"][k].as_u64().unwrap(),
            "{k}"
        );
    }

    // 2024-03-03 is a Sunday: a one-day first week, then Monday to Friday.
    let weeks = series(
        &app,
        "example.org",
        &format!("kind=tls&interval=week&{range}"),
    )
    .await;
    let weeks_points = weeks["points"].as_array().unwrap();
    assert_eq!(weeks_points.len(), 2);
    assert_eq!(
        (&weeks_points[0]["start"], &weeks_points[0]["end"]),
        (&json!("2024-03-03"), &json!("2024-03-03"))
    );
    assert_eq!(
        (&weeks_points[1]["start"], &weeks_points[1]["end"]),
        (&json!("2024-03-04"), &json!("2024-03-08"))
    );
    assert_eq!(weeks_points[1]["successful_sessions"], 17);
    assert_points_match_by_result(&app, "example.org", &weeks).await;
}

#[actix_web::test]
async fn bad_parameters_are_problems_and_other_tenants_domains_are_not_found() {
    let app = spawn_app().await;
    app.register_domain("example.com").await;
    let base = "/api/v1/domains/example.com/timeseries";
    for query in [
        "kind=spf",
        "kind=DMARC",
        "interval=day",
        "kind=dmarc&interval=Month",
        "kind=dmarc&from=2024-02-01&to=2024-01-01",
        "kind=dmarc&from=yesterday",
        "kind=dmarc&to=2024-13-01",
        "kind=dmarc&limit=5",
    ] {
        app.get(&format!("{base}?{query}"), &app.admin_key)
            .await
            .assert_problem(400, "bad_request");
    }
    let unknown = app
        .get(&format!("{base}?kind=tls&interval=year"), &app.admin_key)
        .await;
    unknown.assert_problem(400, "bad_request");
    assert!(
        unknown.body["detail"].as_str().unwrap().contains("year"),
        "{:?}",
        unknown.body
    );

    // The point limits: 366 days (2024 is a leap year) and 260 weeks.
    series(
        &app,
        "example.com",
        "kind=dmarc&from=2024-01-01&to=2024-12-31",
    )
    .await;
    let days = app
        .get(
            &format!("{base}?kind=dmarc&from=2024-01-01&to=2025-01-01"),
            &app.admin_key,
        )
        .await;
    days.assert_problem(400, "bad_request");
    assert!(days.body["detail"].as_str().unwrap().contains("366"));
    // Ten years: 2016-01-13 (a Wednesday) to 2026-01-14 touch 523 ISO weeks and 121 months.
    let max = series(
        &app,
        "example.com",
        "kind=tls&interval=week&from=2016-01-13&to=2026-01-14",
    )
    .await;
    assert_eq!(max["points"].as_array().unwrap().len(), 523);
    let months = series(
        &app,
        "example.com",
        "kind=dmarc&interval=month&from=2016-01-13&to=2026-01-14",
    )
    .await;
    let points = months["points"].as_array().unwrap();
    assert_eq!(points.len(), 121);
    assert_eq!(points[0]["start"], "2016-01-13");
    assert_eq!(points[0]["end"], "2016-01-31");
    assert_eq!(points[1]["start"], "2016-02-01");
    assert_eq!(points[1]["end"], "2016-02-29");
    assert_eq!(points[120]["start"], "2026-01-01");
    assert_eq!(points[120]["end"], "2026-01-14");
    for (interval, to, max) in [
        ("week", "2026-01-19", "523"),
        ("month", "2026-02-01", "121"),
    ] {
        let refused = app
            .get(
                &format!("{base}?kind=tls&interval={interval}&from=2016-01-13&to={to}"),
                &app.admin_key,
            )
            .await;
        refused.assert_problem(400, "bad_request");
        assert!(
            refused.body["detail"].as_str().unwrap().contains(max),
            "{:?}",
            refused.body
        );
    }

    // Another tenant's domain, and a domain nobody registered.
    let (_, other_key) = app.child_tenant("other").await;
    app.get(&format!("{base}?kind=dmarc"), &other_key)
        .await
        .assert_problem(404, "not_found");
    app.get(
        "/api/v1/domains/unknown.example/timeseries?kind=dmarc",
        &app.admin_key,
    )
    .await
    .assert_problem(404, "not_found");
}
