//! One rule each, on every operation (issue 12, item 14): dates, ranges, limits, cursors,
//! unknown fields, empty generator input, DELETE, key names, plain-word errors.

use crate::helpers::{into_reply, spawn_app};
use crate::reports::report_xml;
use reqwest::{Method, StatusCode};
use serde_json::json;

const BEGIN: i64 = 1_763_337_600; // 2025-11-17
const DAY: i64 = 86_400;

#[actix_web::test]
async fn from_and_to_are_days_and_from_after_to_is_a_400_everywhere() {
    let app = spawn_app().await;
    app.register_domain("example.com").await;
    let ranged = [
        "/api/v1/reports?",
        "/api/v1/domains/example.com/dmarc/by-result?",
        "/api/v1/domains/example.com/dmarc/by-source?",
        "/api/v1/domains/example.com/dmarc/by-service?",
        "/api/v1/domains/example.com/tls/by-result?",
        "/api/v1/domains/example.com/tls/by-source?",
        "/api/v1/domains/example.com/timeseries?kind=dmarc&",
    ];
    for path in ranged {
        app.get(
            &format!("{path}from=2025-11-20&to=2025-11-10"),
            &app.admin_key,
        )
        .await
        .assert_problem(400, "bad_request");
        for bad in [
            "2025-11-20T00:00:00Z",
            "1763337600",
            "2025-11-2",
            "20251120",
        ] {
            let reply = app
                .get(&format!("{path}from={bad}&to=2025-11-21"), &app.admin_key)
                .await;
            reply.assert_problem(400, "bad_request");
            assert!(
                reply.body["detail"]
                    .as_str()
                    .unwrap()
                    .contains("YYYY-MM-DD"),
                "{path} {bad}: {:?}",
                reply.body
            );
        }
        let ok = app
            .get(
                &format!("{path}from=2025-11-10&to=2025-11-20"),
                &app.admin_key,
            )
            .await;
        assert_eq!(ok.status, StatusCode::OK, "{path}: {:?}", ok.body);
    }
}

#[actix_web::test]
async fn limit_is_checked_the_same_way_on_every_aggregate() {
    let app = spawn_app().await;
    app.register_domain("example.com").await;
    for path in [
        "dmarc/by-result",
        "dmarc/by-source",
        "dmarc/by-service",
        "tls/by-result",
        "tls/by-source",
    ] {
        for bad in ["0", "-1", "1000000000", "x"] {
            app.get(
                &format!("/api/v1/domains/example.com/{path}?limit={bad}"),
                &app.admin_key,
            )
            .await
            .assert_problem(400, "bad_request");
        }
    }
}

#[actix_web::test]
async fn by_source_pages_with_a_cursor_like_every_list() {
    let app = spawn_app().await;
    app.register_domain("example.com").await;
    let rows: Vec<(String, u64)> = (1..=7)
        .map(|i| (format!("192.0.2.{i}"), i % 3 + 1))
        .collect();
    let rows: Vec<(&str, u64, &str, &str, &str)> = rows
        .iter()
        .map(|(ip, n)| (ip.as_str(), *n, "none", "pass", "pass"))
        .collect();
    let xml = report_xml("paged", BEGIN, BEGIN + DAY - 1, &rows);
    let stored = app
        .upload(&app.admin_key, xml.into_bytes(), "application/xml")
        .await;
    assert_eq!(stored.status, StatusCode::CREATED, "{:?}", stored.body);
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..10 {
        let mut path =
            "/api/v1/domains/example.com/dmarc/by-source?from=2025-11-17&to=2025-11-17&limit=3"
                .to_string();
        if let Some(c) = &cursor {
            path.push_str(&format!("&cursor={c}"));
        }
        let page = app.get(&path, &app.admin_key).await;
        assert_eq!(page.status, StatusCode::OK, "{:?}", page.body);
        assert_eq!(page.body["total_sources"], 7);
        for s in page.body["sources"].as_array().unwrap() {
            seen.push((
                s["messages"].as_u64().unwrap(),
                s["source_ip"].as_str().unwrap().to_string(),
            ));
        }
        assert!(page.body.as_object().unwrap().contains_key("next_cursor"));
        match page.body["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    assert_eq!(seen.len(), 7, "{seen:?}");
    let mut sorted = seen.clone();
    sorted.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    assert_eq!(seen, sorted, "largest first, then by address, no repeats");
    app.get(
        "/api/v1/domains/example.com/dmarc/by-source?cursor=bm90IGEgY3Vyc29y",
        &app.admin_key,
    )
    .await
    .assert_problem(400, "bad_request");
}

#[actix_web::test]
async fn next_cursor_is_always_present_and_null_on_the_last_page() {
    let app = spawn_app().await;
    app.register_domain("example.com").await;
    for path in [
        "/api/v1/domains",
        "/api/v1/tenants",
        "/api/v1/reports",
        "/api/v1/issues",
        "/api/v1/webhooks",
        &format!("/api/v1/tenants/{}/api-keys", app.tenant_id),
        "/api/v1/domains/example.com/dns-checks/history?kind=dmarc",
        "/api/v1/domains/example.com/dmarc/by-source",
        "/api/v1/domains/example.com/tls/by-source",
    ] {
        let reply = app.get(path, &app.admin_key).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}: {:?}", reply.body);
        let object = reply.body.as_object().unwrap();
        assert!(object.contains_key("next_cursor"), "{path}: {object:?}");
        assert!(object["next_cursor"].is_null(), "{path}");
    }
}

#[actix_web::test]
async fn unknown_json_fields_and_empty_generator_input_are_the_same_400_everywhere() {
    let app = spawn_app().await;
    let bogus = app
        .post(
            "/api/v1/dns/dmarc/generate",
            &app.admin_key,
            json!({"domain": "example.com", "p": "reject", "pct": 50, "bogus": true}),
        )
        .await;
    bogus.assert_problem(400, "bad_request");
    let detail = bogus.body["detail"].as_str().unwrap();
    assert!(detail.contains("unknown field"), "{detail}");
    for kind in ["dmarc", "spf", "dkim", "bimi", "mta_sts", "tlsrpt"] {
        let reply = app
            .post(
                &format!("/api/v1/dns/{kind}/generate"),
                &app.admin_key,
                json!({}),
            )
            .await;
        reply.assert_problem(400, "bad_request");
        let detail = reply.body["detail"].as_str().unwrap();
        assert!(detail.contains("missing field"), "{kind}: {detail}");
        let extra = app
            .post(
                &format!("/api/v1/dns/{kind}/generate"),
                &app.admin_key,
                json!({"domain": "example.com", "bogus": 1}),
            )
            .await;
        extra.assert_problem(400, "bad_request");
    }
}

#[actix_web::test]
async fn error_details_are_plain_words() {
    let app = spawn_app().await;
    app.register_domain("example.com").await;
    let replies = [
        app.get("/api/v1/reports?limit=abc", &app.admin_key).await,
        app.get("/api/v1/reports?kind=nope", &app.admin_key).await,
        app.get("/api/v1/reports?bogus=1", &app.admin_key).await,
        app.post("/api/v1/domains", &app.admin_key, json!({"name": 5}))
            .await,
        into_reply(
            app.client
                .post(format!("{}/api/v1/domains", app.address))
                .bearer_auth(&app.admin_key)
                .header("content-type", "application/json")
                .body("{not json")
                .send()
                .await
                .unwrap(),
        )
        .await,
    ];
    for reply in replies {
        reply.assert_problem(400, "bad_request");
        let detail = reply.body["detail"].as_str().unwrap();
        for rust in [
            "deserialize",
            "Deserialize",
            "invalid digit",
            "`",
            "Json",
            "Query",
            "serde",
        ] {
            assert!(!detail.contains(rust), "{detail:?} has {rust:?}");
        }
    }
}

#[actix_web::test]
async fn every_delete_answers_204_and_a_key_needs_no_name() {
    let app = spawn_app().await;
    let key = app
        .post(
            &format!("/api/v1/tenants/{}/api-keys", app.tenant_id),
            &app.admin_key,
            json!({"role": "reader"}),
        )
        .await;
    assert_eq!(key.status, StatusCode::CREATED, "{:?}", key.body);
    assert_eq!(key.body["name"], "api key");
    let key_id = key.body["id"].as_str().unwrap().to_string();
    let (child, _) = app.child_tenant("child").await;
    app.register_domain("example.com").await;
    let xml = report_xml(
        "del",
        BEGIN,
        BEGIN + DAY - 1,
        &[("192.0.2.1", 1, "none", "pass", "pass")],
    );
    let stored = app
        .upload(&app.admin_key, xml.into_bytes(), "application/xml")
        .await;
    let report = stored.body["reports"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let hook = app
        .post(
            "/api/v1/webhooks",
            &app.admin_key,
            json!({"url": "https://hooks.example.com/x", "events": ["report.received"]}),
        )
        .await;
    assert_eq!(hook.status, StatusCode::CREATED, "{:?}", hook.body);
    let hook = hook.body["id"].as_str().unwrap().to_string();
    let paths = [
        format!("/api/v1/tenants/{}/api-keys/{key_id}", app.tenant_id),
        format!("/api/v1/reports/{report}"),
        "/api/v1/domains/example.com".to_string(),
        format!("/api/v1/tenants/{child}"),
        format!("/api/v1/webhooks/{hook}"),
    ];
    for path in paths {
        let reply = app
            .send(Method::DELETE, &path, Some(&app.admin_key), None)
            .await;
        assert_eq!(
            reply.status,
            StatusCode::NO_CONTENT,
            "{path}: {:?}",
            reply.body
        );
        assert!(reply.bytes.is_empty(), "{path}");
    }
}
