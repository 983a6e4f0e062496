//! Every failure is an RFC 9457 problem with a stable code.

use crate::helpers::{spawn_app, spawn_app_with};
use reqwest::Method;

#[actix_web::test]
async fn malformed_requests_are_problems() {
    let app = spawn_app().await;
    app.send(
        Method::GET,
        "/api/v1/nothing-here",
        Some(&app.admin_key),
        None,
    )
    .await
    .assert_problem(404, "not_found");
    app.send(Method::PUT, "/api/v1/domains", Some(&app.admin_key), None)
        .await
        .assert_problem(405, "method_not_allowed");
    let bad_json = app
        .client
        .post(format!("{}/api/v1/domains", app.address))
        .bearer_auth(&app.admin_key)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    crate::helpers::into_reply(bad_json)
        .await
        .assert_problem(400, "bad_request");
    let wrong_type = app
        .client
        .post(format!("{}/api/v1/domains", app.address))
        .bearer_auth(&app.admin_key)
        .header("content-type", "text/plain")
        .body("example.com")
        .send()
        .await
        .unwrap();
    crate::helpers::into_reply(wrong_type)
        .await
        .assert_problem(415, "unsupported_media_type");
    app.get("/api/v1/reports?limit=abc", &app.admin_key)
        .await
        .assert_problem(400, "bad_request");
    app.get("/api/v1/reports?limit=100000", &app.admin_key)
        .await
        .assert_problem(400, "bad_request");
    app.get("/api/v1/reports?cursor=%%%", &app.admin_key)
        .await
        .assert_problem(400, "bad_request");
    app.register_domain("example.com").await;
    app.get(
        "/api/v1/domains/example.com/dmarc/by-result?from=yesterday",
        &app.admin_key,
    )
    .await
    .assert_problem(400, "bad_request");
}

#[actix_web::test]
async fn oversized_uploads_are_refused_with_413() {
    let app = spawn_app_with(|s| s.max_upload_bytes = 64 * 1024).await;
    let reply = app
        .upload(&app.admin_key, vec![b'<'; 200 * 1024], "application/xml")
        .await;
    reply.assert_problem(413, "payload_too_large");
}
