//! Scheduled digests: CRUD and its validation problems, and a scheduled run without a relay.

use crate::helpers::{TestApp, spawn_app, spawn_app_with};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

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
