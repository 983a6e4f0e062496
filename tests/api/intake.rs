//! The mail intake API: report addresses, the records to publish, rotation and the
//! inherited `auto_register_domains` setting.

use crate::helpers::{spawn_app, spawn_app_with};
use reqwest::{Method, StatusCode};
use serde_json::json;

const MAIL_DOMAIN: &str = "reports.ruad.test";

fn local_part(address: &str) -> &str {
    address.split('@').next().unwrap()
}

#[actix_web::test]
async fn a_tenant_has_one_stable_report_address_with_the_records_that_use_it() {
    let app = spawn_app().await;
    let first = app.get("/api/v1/intake", &app.admin_key).await;
    assert_eq!(first.status, StatusCode::OK, "{:?}", first.body);
    let address = first.body["address"].as_str().unwrap().to_string();
    let token = local_part(&address);
    assert_eq!(address, format!("{token}@{MAIL_DOMAIN}"));
    assert_eq!(token.len(), 24);
    assert!(
        token
            .bytes()
            .all(|b| b.is_ascii_lowercase() || (b'2'..=b'7').contains(&b)),
        "{token}"
    );
    assert_eq!(first.body["tenant_id"], app.tenant_id.as_str());
    assert_eq!(first.body["dmarc_rua"], format!("mailto:{address}"));
    assert_eq!(first.body["dmarc_ruf"], format!("mailto:{address}"));
    assert_eq!(
        first.body["tlsrpt_record"],
        format!("v=TLSRPTv1; rua=mailto:{address}")
    );
    assert_eq!(
        first.body["dmarc_record"],
        format!("v=DMARC1; p=none; rua=mailto:{address}; ruf=mailto:{address}")
    );
    assert_eq!(
        first.body["authorization"]["name"],
        format!("{{domain}}._report._dmarc.{MAIL_DOMAIN}")
    );
    assert_eq!(first.body["authorization"]["value"], "v=DMARC1");
    assert_eq!(
        first.body["authorization"]["wildcard_name"],
        format!("*._report._dmarc.{MAIL_DOMAIN}")
    );
    assert_eq!(
        first.body["auto_register_domains"],
        json!({"effective": false, "own": null})
    );
    // The same address again, and the authorization record named for a domain.
    let again = app
        .get("/api/v1/intake?domain=Customer.Example", &app.admin_key)
        .await;
    assert_eq!(again.body["address"], address.as_str());
    assert_eq!(
        again.body["authorization"]["name"],
        format!("customer.example._report._dmarc.{MAIL_DOMAIN}")
    );
    let bad = app
        .get("/api/v1/intake?domain=not a domain", &app.admin_key)
        .await;
    bad.assert_problem(422, "validation_failed");
}

#[actix_web::test]
async fn every_intake_route_says_when_no_mail_domain_is_configured() {
    let app = spawn_app_with(|s| s.mail_domain = None).await;
    app.register_domain("example.com").await;
    for (method, path) in [
        (Method::GET, "/api/v1/intake"),
        (Method::PATCH, "/api/v1/intake"),
        (Method::POST, "/api/v1/intake/rotate"),
        (Method::GET, "/api/v1/domains/example.com/intake"),
        (Method::POST, "/api/v1/domains/example.com/intake/rotate"),
    ] {
        let body = (method == Method::PATCH).then(|| json!({"auto_register_domains": true}));
        let reply = app
            .send(method.clone(), path, Some(&app.admin_key), body)
            .await;
        reply.assert_problem(409, "mail_intake_not_configured");
        assert!(
            reply.body["detail"]
                .as_str()
                .unwrap()
                .contains("RUAD_MAIL_DOMAIN"),
            "{method} {path}: {:?}",
            reply.body
        );
    }
}

#[actix_web::test]
async fn rotating_needs_the_admin_role_and_gives_a_new_address() {
    let app = spawn_app().await;
    let reader = app
        .post(
            &format!("/api/v1/tenants/{}/api-keys", app.tenant_id),
            &app.admin_key,
            json!({"name": "r", "role": "reader"}),
        )
        .await;
    let reader = reader.body["key"].as_str().unwrap().to_string();
    let before = app.get("/api/v1/intake", &reader).await;
    assert_eq!(before.status, StatusCode::OK);
    let refused = app
        .send(Method::POST, "/api/v1/intake/rotate", Some(&reader), None)
        .await;
    refused.assert_problem(403, "forbidden");
    let patched = app
        .send(
            Method::PATCH,
            "/api/v1/intake",
            Some(&reader),
            Some(json!({"auto_register_domains": true})),
        )
        .await;
    patched.assert_problem(403, "forbidden");
    let rotated = app
        .send(
            Method::POST,
            "/api/v1/intake/rotate",
            Some(&app.admin_key),
            None,
        )
        .await;
    assert_eq!(rotated.status, StatusCode::OK, "{:?}", rotated.body);
    assert_ne!(rotated.body["address"], before.body["address"]);
    let after = app.get("/api/v1/intake", &reader).await;
    assert_eq!(after.body["address"], rotated.body["address"]);
}

#[actix_web::test]
async fn auto_registration_is_inherited_down_the_tenant_tree_until_set() {
    let app = spawn_app().await;
    let (child, child_key) = app.child_tenant("customer").await;
    let patch = |key: String, value: serde_json::Value| {
        let app = &app;
        async move {
            app.send(
                Method::PATCH,
                "/api/v1/intake",
                Some(&key),
                Some(json!({ "auto_register_domains": value })),
            )
            .await
        }
    };
    let root = patch(app.admin_key.clone(), json!(true)).await;
    assert_eq!(root.status, StatusCode::OK, "{:?}", root.body);
    assert_eq!(
        root.body["auto_register_domains"],
        json!({"effective": true, "own": true})
    );
    let inherited = app.get("/api/v1/intake", &child_key).await;
    assert_eq!(inherited.body["tenant_id"], child.as_str());
    assert_eq!(
        inherited.body["auto_register_domains"],
        json!({"effective": true, "own": null})
    );
    let own = patch(child_key.clone(), json!(false)).await;
    assert_eq!(
        own.body["auto_register_domains"],
        json!({"effective": false, "own": false})
    );
    // The parent reads (and sets) the child's through `tenant_id`.
    let seen = app
        .get(&format!("/api/v1/intake?tenant_id={child}"), &app.admin_key)
        .await;
    assert_eq!(
        seen.body["auto_register_domains"],
        json!({"effective": false, "own": false})
    );
    assert_eq!(seen.body["address"], inherited.body["address"]);
    let cleared = patch(child_key.clone(), json!(null)).await;
    assert_eq!(
        cleared.body["auto_register_domains"],
        json!({"effective": true, "own": null})
    );
    // An absent field changes nothing; an unknown one is refused.
    let unchanged = app
        .send(
            Method::PATCH,
            "/api/v1/intake",
            Some(&child_key),
            Some(json!({})),
        )
        .await;
    assert_eq!(
        unchanged.body["auto_register_domains"],
        json!({"effective": true, "own": null})
    );
    let unknown = app
        .send(
            Method::PATCH,
            "/api/v1/intake",
            Some(&child_key),
            Some(json!({"auto_register": true})),
        )
        .await;
    assert_eq!(unknown.status.as_u16() / 100, 4, "{:?}", unknown.body);
    // The child cannot reach its parent's.
    let parent = app
        .get(
            &format!("/api/v1/intake?tenant_id={}", app.tenant_id),
            &child_key,
        )
        .await;
    parent.assert_problem(404, "not_found");
}

#[actix_web::test]
async fn a_domain_uses_its_tenants_address_until_it_gets_its_own() {
    let app = spawn_app().await;
    app.register_domain("example.com").await;
    let tenant = app.get("/api/v1/intake", &app.admin_key).await;
    let shared = app
        .get("/api/v1/domains/example.com/intake", &app.admin_key)
        .await;
    assert_eq!(shared.status, StatusCode::OK, "{:?}", shared.body);
    assert_eq!(shared.body["own_address"], false);
    assert_eq!(shared.body["domain"], "example.com");
    assert_eq!(shared.body["address"], tenant.body["address"]);
    assert_eq!(
        shared.body["authorization"]["name"],
        format!("example.com._report._dmarc.{MAIL_DOMAIN}")
    );
    let own = app
        .send(
            Method::POST,
            "/api/v1/domains/example.com/intake/rotate",
            Some(&app.admin_key),
            None,
        )
        .await;
    assert_eq!(own.status, StatusCode::OK, "{:?}", own.body);
    assert_eq!(own.body["own_address"], true);
    assert_ne!(own.body["address"], tenant.body["address"]);
    let again = app
        .send(
            Method::POST,
            "/api/v1/domains/example.com/intake/rotate",
            Some(&app.admin_key),
            None,
        )
        .await;
    assert_ne!(again.body["address"], own.body["address"]);
    let read = app
        .get("/api/v1/domains/example.com/intake", &app.admin_key)
        .await;
    assert_eq!(read.body["address"], again.body["address"]);
    assert_eq!(read.body["own_address"], true);
    // The tenant's own address is unchanged.
    let tenant_again = app.get("/api/v1/intake", &app.admin_key).await;
    assert_eq!(tenant_again.body["address"], tenant.body["address"]);
    let missing = app
        .get("/api/v1/domains/nothing.example/intake", &app.admin_key)
        .await;
    missing.assert_problem(404, "not_found");
}
