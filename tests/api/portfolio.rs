//! `GET /portfolio`: its figures against the aggregates API, `domain_daily` kept exact
//! through supersede and delete, sorting and paging, the tenant and attention filters.

use crate::helpers::{TestApp, spawn_app};
use reqwest::{Method, StatusCode};
use ruad::domain::ids::DomainId;
use ruad::storage::{Db, portfolio};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};

const DAY: i64 = 86_400;

/// Midnight UTC, some days ago, so reports fall inside the default 30-day period.
fn days_ago(n: i64) -> i64 {
    let now = chrono::Utc::now().timestamp();
    now - now.rem_euclid(DAY) - n * DAY
}

fn day_string(ts: i64) -> String {
    chrono::DateTime::from_timestamp(ts, 0)
        .unwrap()
        .format("%Y-%m-%d")
        .to_string()
}

/// A DMARC aggregate report about `domain`: rows of (source, count, dkim, spf).
fn dmarc_xml(
    domain: &str,
    id: &str,
    begin: i64,
    end: i64,
    rows: &[(&str, u64, &str, &str)],
) -> Vec<u8> {
    let mut records = String::new();
    for (ip, count, dkim, spf) in rows {
        records.push_str(&format!(
            "<record><row><source_ip>{ip}</source_ip><count>{count}</count><policy_evaluated>\
             <disposition>none</disposition><dkim>{dkim}</dkim><spf>{spf}</spf></policy_evaluated></row>\
             <identifiers><header_from>{domain}</header_from></identifiers>\
             <auth_results><spf><domain>{domain}</domain><result>{spf}</result></spf></auth_results></record>"
        ));
    }
    format!(
        "<?xml version=\"1.0\"?><feedback><version>1.0</version><report_metadata>\
         <org_name>receiver.example</org_name><email>dmarc@receiver.example</email>\
         <report_id>{id}</report_id><date_range><begin>{begin}</begin><end>{end}</end></date_range>\
         </report_metadata><policy_published><domain>{domain}</domain><p>none</p></policy_published>\
         {records}</feedback>"
    )
    .into_bytes()
}

/// An SMTP TLS report about `domain` covering one day.
fn tls_json(domain: &str, id: &str, day: i64, ok: u64, failed: u64) -> Vec<u8> {
    json!({
        "organization-name": "Receiver Example",
        "date-range": {
            "start-datetime": chrono::DateTime::from_timestamp(day, 0).unwrap().to_rfc3339(),
            "end-datetime": chrono::DateTime::from_timestamp(day + DAY - 1, 0).unwrap().to_rfc3339(),
        },
        "contact-info": "tlsrpt@receiver.example",
        "report-id": id,
        "policies": [{
            "policy": {"policy-type": "sts", "policy-domain": domain,
                       "policy-string": ["version: STSv1", "mode: enforce", "mx: mx.example.org", "max_age: 86400"]},
            "summary": {"total-successful-session-count": ok, "total-failure-session-count": failed},
            "failure-details": [{"result-type": "certificate-expired", "sending-mta-ip": "192.0.2.9",
                                 "receiving-mx-hostname": "mx.example.org", "failed-session-count": failed}]
        }]
    })
    .to_string()
    .into_bytes()
}

/// Uploads a report with the root's key; answers the stored report's id.
async fn upload(app: &TestApp, bytes: Vec<u8>) -> String {
    let reply = app
        .upload(&app.admin_key, bytes, "application/octet-stream")
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    reply.body["reports"][0]["id"].as_str().unwrap().to_string()
}

async fn portfolio(app: &TestApp, key: &str, query: &str) -> Value {
    let reply = app.get(&format!("/api/v1/portfolio?{query}"), key).await;
    assert_eq!(reply.status, StatusCode::OK, "{query}: {:?}", reply.body);
    reply.body
}

fn by_domain(body: &Value) -> BTreeMap<String, Value> {
    body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| (row["domain"].as_str().unwrap().to_string(), row.clone()))
        .collect()
}

/// `domain_daily` of a domain equals its recomputation from the per-report rollups.
fn assert_domain_daily_exact(app: &TestApp, domain_id: &str) {
    let db = Db::connect(&app.database_url, 1).unwrap();
    let (recomputed, stored) = db
        .read(|conn| portfolio::domain_daily_check(conn, &DomainId::from(domain_id.to_string())))
        .unwrap();
    assert_eq!(stored, recomputed);
}

#[actix_web::test]
async fn each_domains_figures_equal_its_aggregates_for_the_same_period() {
    let app = spawn_app().await;
    let domains = ["alpha.example", "beta.example", "gamma.example"];
    for d in domains {
        app.register_domain(d).await;
    }
    // Reports over several days, one spanning two days, in several shapes per domain.
    for (i, d) in domains.iter().enumerate() {
        let n = i as u64 + 1;
        upload(
            &app,
            dmarc_xml(
                d,
                &format!("{d}-1"),
                days_ago(5),
                days_ago(5) + DAY - 1,
                &[
                    ("192.0.2.1", 10 * n, "pass", "fail"),
                    ("192.0.2.2", 3 * n, "fail", "fail"),
                ],
            ),
        )
        .await;
        upload(
            &app,
            dmarc_xml(
                d,
                &format!("{d}-2"),
                days_ago(3),
                days_ago(1) - 1,
                &[
                    ("192.0.2.3", 7 * n, "fail", "pass"),
                    ("192.0.2.4", 5, "fail", "fail"),
                ],
            ),
        )
        .await;
        upload(&app, tls_json(d, &format!("{d}-t"), days_ago(2), 40 * n, n)).await;
    }
    for (from, to) in [
        (day_string(days_ago(30)), day_string(days_ago(0))),
        (day_string(days_ago(3)), day_string(days_ago(2))),
        (day_string(days_ago(5)), day_string(days_ago(5))),
    ] {
        let body = portfolio(
            &app,
            &app.admin_key,
            &format!("from={from}&to={to}&limit=500"),
        )
        .await;
        assert_eq!(body["total"], 3);
        let rows = by_domain(&body);
        for d in domains {
            let dmarc = app
                .get(
                    &format!("/api/v1/domains/{d}/dmarc/by-result?from={from}&to={to}"),
                    &app.admin_key,
                )
                .await
                .body;
            let tls = app
                .get(
                    &format!("/api/v1/domains/{d}/tls/by-result?from={from}&to={to}"),
                    &app.admin_key,
                )
                .await
                .body;
            let row = &rows[d];
            assert_eq!(row["messages"], dmarc["total_messages"], "{d} {from}..{to}");
            assert_eq!(
                row["dmarc_pass_messages"], dmarc["dmarc_pass_messages"],
                "{d} {from}..{to}"
            );
            assert_eq!(
                row["tls_successful_sessions"], tls["successful_sessions"],
                "{d} {from}..{to}"
            );
            assert_eq!(
                row["tls_failed_sessions"], tls["failed_sessions"],
                "{d} {from}..{to}"
            );
            let messages = row["messages"].as_f64().unwrap();
            if messages > 0.0 {
                let rate = row["dmarc_pass_messages"].as_f64().unwrap() / messages;
                assert!((row["pass_rate"].as_f64().unwrap() - rate).abs() < 1e-9);
            } else {
                assert_eq!(row["pass_rate"], Value::Null);
            }
            assert!(row["last_report_at"].as_i64().unwrap() > 0);
            assert_domain_daily_exact(&app, row["domain_id"].as_str().unwrap());
        }
    }
    // The whole period holds every message sent.
    let body = portfolio(&app, &app.admin_key, "").await;
    assert_eq!(
        by_domain(&body)["beta.example"]["messages"],
        20 + 6 + 14 + 5
    );
}

#[actix_web::test]
async fn a_superseded_or_deleted_report_keeps_domain_daily_exact() {
    let app = spawn_app().await;
    let domain = app.register_domain("example.com").await;
    let domain_id = domain["id"].as_str().unwrap().to_string();
    let begin = days_ago(4);
    let end = days_ago(2) - 1;
    let messages = |body: &Value| by_domain(body)["example.com"]["messages"].clone();

    let first = upload(
        &app,
        dmarc_xml(
            "example.com",
            "r1",
            begin,
            end,
            &[("192.0.2.1", 30, "pass", "pass")],
        ),
    )
    .await;
    assert_domain_daily_exact(&app, &domain_id);
    assert_eq!(messages(&portfolio(&app, &app.admin_key, "").await), 30);

    // Same report id, other content: the new version supersedes the first.
    let second = upload(
        &app,
        dmarc_xml(
            "example.com",
            "r1",
            begin,
            end,
            &[
                ("192.0.2.1", 12, "pass", "pass"),
                ("192.0.2.2", 5, "fail", "fail"),
            ],
        ),
    )
    .await;
    assert_ne!(first, second);
    assert_domain_daily_exact(&app, &domain_id);
    let body = portfolio(&app, &app.admin_key, "").await;
    assert_eq!(messages(&body), 17);
    assert_eq!(by_domain(&body)["example.com"]["dmarc_pass_messages"], 12);

    // A third version supersedes the second (the first stays superseded).
    let third = upload(
        &app,
        dmarc_xml(
            "example.com",
            "r1",
            begin,
            end,
            &[("192.0.2.3", 8, "fail", "pass")],
        ),
    )
    .await;
    assert_domain_daily_exact(&app, &domain_id);
    assert_eq!(messages(&portfolio(&app, &app.admin_key, "").await), 8);

    // Another report on an overlapping day, and a TLS report.
    let other = upload(
        &app,
        dmarc_xml(
            "example.com",
            "r2",
            days_ago(3),
            days_ago(3) + DAY - 1,
            &[("192.0.2.4", 100, "pass", "fail")],
        ),
    )
    .await;
    upload(&app, tls_json("example.com", "t1", days_ago(3), 50, 2)).await;
    assert_domain_daily_exact(&app, &domain_id);
    assert_eq!(messages(&portfolio(&app, &app.admin_key, "").await), 108);

    // Deleting the current version brings back the ones it superseded (here the second).
    for (id, expected) in [(&third, 117), (&second, 130), (&other, 30), (&first, 0)] {
        let reply = app
            .send(
                Method::DELETE,
                &format!("/api/v1/reports/{id}"),
                Some(&app.admin_key),
                None,
            )
            .await;
        assert_eq!(reply.status, StatusCode::NO_CONTENT, "{:?}", reply.body);
        assert_domain_daily_exact(&app, &domain_id);
        let body = portfolio(&app, &app.admin_key, "").await;
        let by_result = app
            .get(
                "/api/v1/domains/example.com/dmarc/by-result",
                &app.admin_key,
            )
            .await
            .body;
        assert_eq!(
            messages(&body),
            by_result["total_messages"],
            "after deleting {id}"
        );
        assert_eq!(messages(&body), expected, "after deleting {id}");
    }
    // The TLS report is the only one left: it is the last report received.
    let body = portfolio(&app, &app.admin_key, "").await;
    assert_eq!(
        by_domain(&body)["example.com"]["tls_successful_sessions"],
        50
    );
    assert!(by_domain(&body)["example.com"]["last_report_at"].is_i64());
}

/// Registers `n` domains with different volumes and pass rates.
async fn many_domains(app: &TestApp, n: usize) -> Vec<String> {
    let mut names = Vec::new();
    for i in 0..n {
        let name = format!("d{i:02}.example");
        app.register_domain(&name).await;
        // Volumes collide in pairs, so ties are broken by name.
        let total = 10 + (i as u64 / 2) * 10;
        let pass = total * (i as u64 % 3 + 1) / 3;
        if i % 4 != 3 {
            upload(
                app,
                dmarc_xml(
                    &name,
                    "r",
                    days_ago(2),
                    days_ago(1) - 1,
                    &[
                        ("192.0.2.1", pass, "pass", "pass"),
                        ("192.0.2.2", total - pass, "fail", "fail"),
                    ]
                    .into_iter()
                    .filter(|r| r.1 > 0)
                    .collect::<Vec<_>>(),
                ),
            )
            .await;
        }
        names.push(name);
    }
    names
}

/// Every page of a sort, walked with `limit`; the domains in order.
async fn walk(app: &TestApp, query: &str, limit: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut q = format!("{query}&limit={limit}");
        if let Some(c) = &cursor {
            q.push_str(&format!("&cursor={c}"));
        }
        let body = portfolio(app, &app.admin_key, &q).await;
        let items = body["items"].as_array().unwrap();
        assert!(items.len() <= limit);
        out.extend(
            items
                .iter()
                .map(|r| r["domain"].as_str().unwrap().to_string()),
        );
        match body["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    out
}

#[actix_web::test]
async fn every_sort_pages_through_every_domain_once_in_order() {
    let app = spawn_app().await;
    let names = many_domains(&app, 11).await;
    for sort in [
        "domain",
        "messages",
        "pass_rate",
        "last_report_at",
        "attention",
    ] {
        for order in ["asc", "desc"] {
            let query = format!("sort={sort}&order={order}");
            let whole = portfolio(&app, &app.admin_key, &format!("{query}&limit=500")).await;
            assert_eq!(whole["total"], 11);
            let rows = whole["items"].as_array().unwrap().clone();
            let listed: Vec<String> = rows
                .iter()
                .map(|r| r["domain"].as_str().unwrap().to_string())
                .collect();
            for limit in [1, 3, 4] {
                assert_eq!(
                    walk(&app, &query, limit).await,
                    listed,
                    "{query} limit {limit}"
                );
            }
            assert_eq!(
                listed.iter().collect::<BTreeSet<_>>(),
                names.iter().collect::<BTreeSet<_>>()
            );
            // The order is the asked one: sort values monotone, ties by name.
            let value = |r: &Value| -> f64 {
                match sort {
                    "domain" => 0.0,
                    "messages" => r["messages"].as_f64().unwrap(),
                    "pass_rate" => r["pass_rate"].as_f64().unwrap_or(-1.0),
                    "last_report_at" => r["last_report_at"].as_f64().unwrap_or(f64::MIN),
                    _ => {
                        let n = r["attention_reasons"].as_array().unwrap().len() as f64;
                        if r["needs_attention"].as_bool().unwrap() {
                            100.0 + n
                        } else {
                            n
                        }
                    }
                }
            };
            for pair in rows.windows(2) {
                let (a, b) = (value(&pair[0]), value(&pair[1]));
                let ordered = if order == "asc" { a <= b } else { a >= b };
                assert!(
                    ordered,
                    "{query}: {} then {}",
                    pair[0]["domain"], pair[1]["domain"]
                );
                if a == b {
                    assert!(
                        pair[0]["domain"].as_str() < pair[1]["domain"].as_str(),
                        "{query}"
                    );
                }
            }
        }
    }
    // A cursor from one sort is refused by another.
    let body = portfolio(&app, &app.admin_key, "sort=messages&limit=2").await;
    let cursor = body["next_cursor"].as_str().unwrap();
    app.get(
        &format!("/api/v1/portfolio?sort=attention&cursor={cursor}"),
        &app.admin_key,
    )
    .await
    .assert_problem(400, "bad_request");
    app.get("/api/v1/portfolio?cursor=bm9wZQ", &app.admin_key)
        .await
        .assert_problem(400, "bad_request");
    app.get("/api/v1/portfolio?sort=volume", &app.admin_key)
        .await
        .assert_problem(400, "bad_request");
}

#[actix_web::test]
async fn the_tenant_filter_reads_one_subtree_and_another_tenant_is_not_found() {
    let app = spawn_app().await;
    app.register_domain("root.example").await;
    let (child, child_key) = app.child_tenant("Customer").await;
    let (sibling, _) = app.child_tenant("Other").await;
    let reply = app
        .post(
            "/api/v1/domains",
            &child_key,
            json!({ "name": "customer.example" }),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);

    let all = portfolio(&app, &app.admin_key, "").await;
    assert_eq!(all["total"], 2);
    let body = portfolio(&app, &app.admin_key, &format!("tenant={child}")).await;
    assert_eq!(body["total"], 1);
    assert_eq!(body["items"][0]["domain"], "customer.example");
    assert_eq!(body["items"][0]["tenant_id"], child.as_str());
    // The customer sees only its own, with or without naming itself.
    let own = portfolio(&app, &child_key, "").await;
    assert_eq!(own["total"], 1);
    let own = portfolio(&app, &child_key, &format!("tenant={child}")).await;
    assert_eq!(own["total"], 1);
    // Its parent, a sibling and an unknown id look alike.
    for other in [app.tenant_id.as_str(), sibling.as_str(), "no-such-tenant"] {
        app.get(&format!("/api/v1/portfolio?tenant={other}"), &child_key)
            .await
            .assert_problem(404, "not_found");
    }
}

#[actix_web::test]
async fn the_attention_filter_keeps_only_domains_that_need_it_with_their_reasons() {
    let app = spawn_app().await;
    for d in ["healthy.example", "failing.example", "silent.example"] {
        app.register_domain(d).await;
    }
    upload(
        &app,
        dmarc_xml(
            "healthy.example",
            "h",
            days_ago(2),
            days_ago(1) - 1,
            &[("192.0.2.1", 100, "pass", "pass")],
        ),
    )
    .await;
    upload(
        &app,
        dmarc_xml(
            "failing.example",
            "f",
            days_ago(2),
            days_ago(1) - 1,
            &[
                ("192.0.2.1", 50, "pass", "pass"),
                ("192.0.2.2", 50, "fail", "fail"),
            ],
        ),
    )
    .await;

    let all = by_domain(&portfolio(&app, &app.admin_key, "").await);
    assert_eq!(all["healthy.example"]["needs_attention"], false);
    assert_eq!(all["healthy.example"]["attention_reasons"], json!([]));
    assert_eq!(
        all["failing.example"]["attention_reasons"],
        json!(["low_pass_rate"])
    );
    assert_eq!(
        all["silent.example"]["attention_reasons"],
        json!(["no_recent_report"])
    );
    assert_eq!(all["silent.example"]["messages"], 0);
    assert_eq!(all["silent.example"]["pass_rate"], Value::Null);
    assert_eq!(all["silent.example"]["dmarc_policy"], Value::Null);
    assert_eq!(all["silent.example"]["open_issues"]["critical"], 0);

    let body = portfolio(&app, &app.admin_key, "attention=true&sort=domain").await;
    assert_eq!(body["total"], 2);
    let names: Vec<&str> = body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["domain"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["failing.example", "silent.example"]);
    // Sorted by attention, the domains needing it come first.
    let body = portfolio(&app, &app.admin_key, "sort=attention").await;
    assert_eq!(body["items"][2]["domain"], "healthy.example");
}
