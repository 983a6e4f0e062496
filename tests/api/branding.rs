//! Tenant branding through the API: round trip, inheritance down the tenant tree, fallback on
//! DELETE, scope, and every refused input with its status, code and content type.

use crate::helpers::{TestApp, spawn_app};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

fn branding_path(tenant: &str) -> String {
    format!("/api/v1/tenants/{tenant}/branding")
}

async fn put(app: &TestApp, key: &str, tenant: &str, body: Value) -> crate::helpers::Reply {
    app.send(Method::PUT, &branding_path(tenant), Some(key), Some(body))
        .await
}

/// A small RGBA PNG encoded with the png crate.
fn png(width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, width, height);
        encoder.set_color(png::ColorType::Rgba);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().unwrap();
        writer
            .write_image_data(&vec![0x40; (width * height * 4) as usize])
            .unwrap();
    }
    out
}

/// A tenant below `parent` with an admin key, created by the root's admin.
async fn grandchild(app: &TestApp, parent: &str, name: &str) -> (String, String) {
    let tenant = app
        .post(
            "/api/v1/tenants",
            &app.admin_key,
            json!({ "name": name, "parent_id": parent }),
        )
        .await;
    assert_eq!(tenant.status, StatusCode::CREATED, "{:?}", tenant.body);
    let id = tenant.body["id"].as_str().unwrap().to_string();
    let key = app
        .post(
            &format!("/api/v1/tenants/{id}/api-keys"),
            &app.admin_key,
            json!({ "name": "k", "role": "admin" }),
        )
        .await;
    (id, key.body["key"].as_str().unwrap().to_string())
}

#[actix_web::test]
async fn a_tenant_without_any_branding_gets_the_built_in_brand() {
    let app = spawn_app().await;
    let reply = app
        .get(&branding_path(&app.tenant_id), &app.admin_key)
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    assert_eq!(reply.body["display_name"], "ruad");
    assert_eq!(reply.body["own"], false);
    assert_eq!(reply.body["inherited_from"], Value::Null);
    assert_eq!(reply.body["logo"], Value::Null);
    assert_eq!(reply.body["language"], "en");
    assert_eq!(reply.body["updated_at"], Value::Null);
}

#[actix_web::test]
async fn a_brand_put_is_read_back_unchanged_logo_included() {
    let app = spawn_app().await;
    let logo = png(8, 4);
    let body = json!({
        "display_name": "  Acme Security ",
        "logo": { "format": "png", "data": STANDARD.encode(&logo) },
        "primary_color": "#0B5394",
        "accent_color": "#fc2",
        "footer_text": "Acme Security B.V. · Amsterdam",
        "support_contact": "support@acme.example",
        "language": "nl-BE",
    });
    let put_reply = put(&app, &app.admin_key, &app.tenant_id, body).await;
    assert_eq!(put_reply.status, StatusCode::OK, "{:?}", put_reply.body);

    let reply = app
        .get(&branding_path(&app.tenant_id), &app.admin_key)
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body, put_reply.body);
    let b = &reply.body;
    assert_eq!(b["display_name"], "Acme Security");
    assert_eq!(b["own"], true);
    assert_eq!(b["inherited_from"], app.tenant_id.as_str());
    assert_eq!(b["primary_color"], "#0b5394");
    assert_eq!(b["accent_color"], "#ffcc22");
    assert_eq!(b["footer_text"], "Acme Security B.V. · Amsterdam");
    assert_eq!(b["support_contact"], "support@acme.example");
    assert_eq!(b["language"], "nl");
    assert_eq!(b["logo"]["format"], "png");
    assert_eq!(
        STANDARD
            .decode(b["logo"]["data"].as_str().unwrap())
            .unwrap(),
        logo
    );
    assert!(b["updated_at"].as_i64().unwrap() > 0);

    // A second PUT replaces the whole brand: what it omits is unset, not kept.
    let reply = put(
        &app,
        &app.admin_key,
        &app.tenant_id,
        json!({ "display_name": "Acme" }),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    assert_eq!(reply.body["logo"], Value::Null);
    assert_eq!(reply.body["footer_text"], Value::Null);
    assert_eq!(reply.body["language"], "en");
    assert_eq!(reply.body["primary_color"], "#1f4e79");
}

#[actix_web::test]
async fn a_tenant_inherits_its_nearest_ancestors_whole_brand() {
    let app = spawn_app().await;
    let (mssp, mssp_key) = app.child_tenant("MSSP").await;
    let (customer, customer_key) = grandchild(&app, &mssp, "Customer").await;

    // Only the root is branded: parent and grandchild both inherit it.
    let reply = put(
        &app,
        &app.admin_key,
        &app.tenant_id,
        json!({ "display_name": "Operator", "language": "en", "footer_text": "op" }),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    let reply = app.get(&branding_path(&customer), &customer_key).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    assert_eq!(reply.body["display_name"], "Operator");
    assert_eq!(reply.body["own"], false);
    assert_eq!(reply.body["inherited_from"], app.tenant_id.as_str());
    assert_eq!(reply.body["tenant_id"], customer.as_str());

    // The MSSP brands itself: the customer now carries the MSSP's whole brand, nothing of the
    // root's (no footer).
    let reply = put(
        &app,
        &mssp_key,
        &mssp,
        json!({ "display_name": "Acme MSSP", "language": "nl", "primary_color": "#112233" }),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    let reply = app.get(&branding_path(&customer), &customer_key).await;
    assert_eq!(reply.body["display_name"], "Acme MSSP");
    assert_eq!(reply.body["inherited_from"], mssp.as_str());
    assert_eq!(reply.body["language"], "nl");
    assert_eq!(reply.body["primary_color"], "#112233");
    assert_eq!(reply.body["footer_text"], Value::Null);

    // The root still sees its own.
    let reply = app
        .get(&branding_path(&app.tenant_id), &app.admin_key)
        .await;
    assert_eq!(reply.body["display_name"], "Operator");
    assert_eq!(reply.body["own"], true);
}

#[actix_web::test]
async fn deleting_a_brand_falls_back_to_the_nearest_ancestors() {
    let app = spawn_app().await;
    let (mssp, mssp_key) = app.child_tenant("MSSP").await;
    let (customer, customer_key) = grandchild(&app, &mssp, "Customer").await;
    for (key, tenant, name) in [
        (&app.admin_key, &app.tenant_id, "Operator"),
        (&mssp_key, &mssp, "Acme MSSP"),
        (&customer_key, &customer, "Customer Inc"),
    ] {
        let reply = put(&app, key, tenant, json!({ "display_name": name })).await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    }
    let name = |reply: crate::helpers::Reply| reply.body["display_name"].clone();
    assert_eq!(
        name(app.get(&branding_path(&customer), &customer_key).await),
        "Customer Inc"
    );

    let reply = app
        .send(
            Method::DELETE,
            &branding_path(&customer),
            Some(&customer_key),
            None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT);
    assert_eq!(
        name(app.get(&branding_path(&customer), &customer_key).await),
        "Acme MSSP"
    );

    let reply = app
        .send(Method::DELETE, &branding_path(&mssp), Some(&mssp_key), None)
        .await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT);
    let reply = app.get(&branding_path(&customer), &customer_key).await;
    assert_eq!(reply.body["display_name"], "Operator");
    assert_eq!(reply.body["inherited_from"], app.tenant_id.as_str());

    // Deleting again is still a success: the tenant has no brand of its own either way.
    let reply = app
        .send(Method::DELETE, &branding_path(&mssp), Some(&mssp_key), None)
        .await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT);
}

#[actix_web::test]
async fn another_tenants_branding_is_not_found() {
    let app = spawn_app().await;
    let (a, a_key) = app.child_tenant("A").await;
    let (b, _) = app.child_tenant("B").await;
    let reply = put(&app, &app.admin_key, &b, json!({ "display_name": "B" })).await;
    assert_eq!(reply.status, StatusCode::OK);

    // A sibling, the parent (above the caller's scope) and an unknown id all look alike.
    for other in [b.as_str(), app.tenant_id.as_str(), "no-such-tenant"] {
        app.get(&branding_path(other), &a_key)
            .await
            .assert_problem(404, "not_found");
        put(&app, &a_key, other, json!({ "display_name": "Mine" }))
            .await
            .assert_problem(404, "not_found");
        app.send(Method::DELETE, &branding_path(other), Some(&a_key), None)
            .await
            .assert_problem(404, "not_found");
    }
    // B's brand is untouched.
    let reply = app.get(&branding_path(&b), &app.admin_key).await;
    assert_eq!(reply.body["display_name"], "B");
    assert_eq!(
        app.get(&branding_path(&a), &a_key).await.body["display_name"],
        "ruad"
    );
}

#[actix_web::test]
async fn a_reader_may_read_the_brand_but_not_change_it() {
    let app = spawn_app().await;
    let key = app
        .post(
            &format!("/api/v1/tenants/{}/api-keys", app.tenant_id),
            &app.admin_key,
            json!({ "role": "reader" }),
        )
        .await;
    let reader = key.body["key"].as_str().unwrap();
    assert_eq!(
        app.get(&branding_path(&app.tenant_id), reader).await.status,
        StatusCode::OK
    );
    put(&app, reader, &app.tenant_id, json!({ "display_name": "x" }))
        .await
        .assert_problem(403, "forbidden");
    app.send(
        Method::DELETE,
        &branding_path(&app.tenant_id),
        Some(reader),
        None,
    )
    .await
    .assert_problem(403, "forbidden");
}

fn svg_logo(svg: &str) -> Value {
    json!({ "format": "svg", "data": STANDARD.encode(svg) })
}

#[actix_web::test]
async fn each_refused_input_is_a_problem_with_its_own_code() {
    let app = spawn_app().await;
    let t = app.tenant_id.clone();
    let cases: Vec<(Value, u16, &str)> = vec![
        // A logo over 256 KiB decoded (the body itself is under the JSON limit).
        (
            json!({ "display_name": "A", "logo": { "format": "png", "data": STANDARD.encode(vec![0u8; 256 * 1024 + 1]) } }),
            422,
            "logo_too_large",
        ),
        (
            json!({ "display_name": "A", "logo": { "format": "png", "data": STANDARD.encode(b"GIF89a not a png") } }),
            422,
            "logo_invalid",
        ),
        (
            json!({ "display_name": "A", "logo": { "format": "png", "data": STANDARD.encode(png(5000, 1)) } }),
            422,
            "logo_invalid",
        ),
        (
            json!({ "display_name": "A", "logo": svg_logo(r#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#) }),
            422,
            "logo_unsafe",
        ),
        (
            json!({ "display_name": "A", "logo": svg_logo(r#"<svg xmlns="http://www.w3.org/2000/svg"><image href="https://tracker.example/p.png"/></svg>"#) }),
            422,
            "logo_unsafe",
        ),
        (
            json!({ "display_name": "A", "logo": svg_logo(r#"<svg onload="alert(1)"/>"#) }),
            422,
            "logo_unsafe",
        ),
        (
            json!({ "display_name": "A", "logo": svg_logo("<svg><g></svg>") }),
            422,
            "logo_unsafe",
        ),
        (
            json!({ "display_name": "A", "language": "fr" }),
            422,
            "unsupported_language",
        ),
        (
            json!({ "display_name": "A", "primary_color": "red" }),
            422,
            "validation_failed",
        ),
        (
            json!({ "display_name": "A", "accent_color": "#12345" }),
            422,
            "validation_failed",
        ),
        (json!({ "display_name": "  " }), 422, "validation_failed"),
        (
            json!({ "display_name": "x".repeat(101) }),
            422,
            "validation_failed",
        ),
        (
            json!({ "display_name": "A", "support_contact": "http://acme.example" }),
            422,
            "validation_failed",
        ),
        (
            json!({ "display_name": "A", "logo": { "format": "png", "data": "not base64!" } }),
            422,
            "validation_failed",
        ),
        (
            json!({ "display_name": "A", "logo": { "format": "gif", "data": "" } }),
            400,
            "bad_request",
        ),
        (json!({ "name": "A" }), 400, "bad_request"),
    ];
    for (body, status, code) in cases {
        let reply = put(&app, &app.admin_key, &t, body.clone()).await;
        assert!(
            reply.status.as_u16() == status && reply.body["code"] == code,
            "{body:.200} → {} {:?}",
            reply.status,
            reply.body
        );
        reply.assert_problem(status, code);
    }
    // Nothing was stored by any of them.
    let reply = app.get(&branding_path(&t), &app.admin_key).await;
    assert_eq!(reply.body["own"], false);
}

#[actix_web::test]
async fn a_body_over_the_json_limit_is_payload_too_large() {
    let app = spawn_app().await;
    let body = json!({
        "display_name": "A",
        "logo": { "format": "svg", "data": "A".repeat(2 << 20) },
    });
    put(&app, &app.admin_key, &app.tenant_id, body)
        .await
        .assert_problem(413, "payload_too_large");
}

#[actix_web::test]
async fn a_clean_svg_logo_is_stored_byte_for_byte() {
    let app = spawn_app().await;
    let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><defs><linearGradient id="g"><stop offset="0" stop-color="#123"/></linearGradient></defs><rect width="10" height="10" fill="url(#g)"/></svg>"##;
    let reply = put(
        &app,
        &app.admin_key,
        &app.tenant_id,
        json!({ "display_name": "A", "logo": svg_logo(svg) }),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    assert_eq!(reply.body["logo"]["format"], "svg");
    assert_eq!(
        STANDARD
            .decode(reply.body["logo"]["data"].as_str().unwrap())
            .unwrap(),
        svg.as_bytes()
    );
}

#[actix_web::test]
async fn a_branded_tenant_can_still_be_deleted_and_its_brand_goes_with_it() {
    let app = spawn_app().await;
    let (child, child_key) = app.child_tenant("Customer").await;
    let reply = put(
        &app,
        &child_key,
        &child,
        json!({ "display_name": "Customer Inc" }),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);

    let reply = app
        .send(
            Method::DELETE,
            &format!("/api/v1/tenants/{child}"),
            Some(&app.admin_key),
            None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT, "{:?}", reply.body);
    app.get(&branding_path(&child), &app.admin_key)
        .await
        .assert_problem(404, "not_found");
}
