//! Health, tenants, API keys, domains.

use crate::helpers::spawn_app;
use reqwest::{Method, StatusCode};
use serde_json::json;

#[actix_web::test]
async fn health_readiness_and_metrics_answer_without_credentials() {
    let app = spawn_app().await;
    let health = app.send(Method::GET, "/healthz", None, None).await;
    assert_eq!(health.status, StatusCode::OK);
    assert_eq!(health.body["status"], "ok");
    let ready = app.send(Method::GET, "/readyz", None, None).await;
    assert_eq!(ready.status, StatusCode::OK);
    let metrics = app.send(Method::GET, "/metrics", None, None).await;
    assert_eq!(metrics.status, StatusCode::OK);
    let text = String::from_utf8(metrics.bytes).unwrap();
    assert!(
        text.contains(
            "ruad_http_requests_total{method=\"GET\",route=\"/readyz\",status=\"200\"} 1"
        ),
        "{text}"
    );
}

#[actix_web::test]
async fn tenants_form_a_tree_visible_only_downwards() {
    let app = spawn_app().await;
    let (reseller, reseller_key) = app.child_tenant("reseller").await;
    let customer = app
        .post(
            "/api/v1/tenants",
            &reseller_key,
            json!({"name": "customer"}),
        )
        .await;
    assert_eq!(customer.status, StatusCode::CREATED);
    assert_eq!(customer.body["parent_id"], reseller.as_str());
    let customer_id = customer.body["id"].as_str().unwrap();

    let seen_by_root = app.get("/api/v1/tenants", &app.admin_key).await;
    assert_eq!(seen_by_root.body["items"].as_array().unwrap().len(), 3);
    let seen_by_reseller = app.get("/api/v1/tenants", &reseller_key).await;
    assert_eq!(seen_by_reseller.body["items"].as_array().unwrap().len(), 2);
    // The root is invisible to the reseller: 404, not 403.
    app.get(&format!("/api/v1/tenants/{}", app.tenant_id), &reseller_key)
        .await
        .assert_problem(404, "not_found");

    let renamed = app
        .send(
            Method::PATCH,
            &format!("/api/v1/tenants/{customer_id}"),
            Some(&reseller_key),
            Some(json!({"name": "Customer A"})),
        )
        .await;
    assert_eq!(renamed.body["name"], "Customer A");
    // A tenant with children cannot be deleted; a leaf can; a tenant cannot delete itself.
    app.send(
        Method::DELETE,
        &format!("/api/v1/tenants/{reseller}"),
        Some(&app.admin_key),
        None,
    )
    .await
    .assert_problem(409, "conflict");
    app.send(
        Method::DELETE,
        &format!("/api/v1/tenants/{reseller}"),
        Some(&reseller_key),
        None,
    )
    .await
    .assert_problem(409, "conflict");
    let deleted = app
        .send(
            Method::DELETE,
            &format!("/api/v1/tenants/{customer_id}"),
            Some(&reseller_key),
            None,
        )
        .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
}

#[actix_web::test]
async fn api_keys_are_shown_once_and_revocable_with_their_tokens() {
    let app = spawn_app().await;
    let created = app
        .post(
            &format!("/api/v1/tenants/{}/api-keys", app.tenant_id),
            &app.admin_key,
            json!({"name": "reader", "role": "reader"}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED);
    let key = created.body["key"].as_str().unwrap().to_string();
    let key_id = created.body["id"].as_str().unwrap().to_string();
    assert!(key.starts_with("ruad_"));
    let listed = app
        .get(
            &format!("/api/v1/tenants/{}/api-keys", app.tenant_id),
            &app.admin_key,
        )
        .await;
    assert!(
        listed.bytes.windows(key.len()).all(|w| w != key.as_bytes()),
        "the secret must not be listed"
    );

    let token = app.post("/api/v1/auth/token", &key, json!({})).await;
    assert_eq!(token.status, StatusCode::OK, "{:?}", token.body);
    let jwt = token.body["token"].as_str().unwrap().to_string();
    assert_eq!(
        app.get("/api/v1/domains", &jwt).await.status,
        StatusCode::OK
    );
    // A reader may not write, nor mint a stronger token.
    app.post("/api/v1/domains", &key, json!({"name": "x.example"}))
        .await
        .assert_problem(403, "forbidden");
    app.post("/api/v1/auth/token", &key, json!({"role": "admin"}))
        .await
        .assert_problem(403, "forbidden");

    let revoked = app
        .send(
            Method::DELETE,
            &format!("/api/v1/tenants/{}/api-keys/{key_id}", app.tenant_id),
            Some(&app.admin_key),
            None,
        )
        .await;
    assert_eq!(revoked.status, StatusCode::NO_CONTENT);
    assert!(revoked.bytes.is_empty());
    let listed = app
        .get(
            &format!("/api/v1/tenants/{}/api-keys", app.tenant_id),
            &app.admin_key,
        )
        .await;
    let entry = listed.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["id"] == key_id.as_str())
        .unwrap()
        .clone();
    assert!(entry["revoked_at"].is_i64(), "{entry:?}");
    app.get("/api/v1/domains", &key)
        .await
        .assert_problem(401, "unauthenticated");
    app.get("/api/v1/domains", &jwt)
        .await
        .assert_problem(401, "unauthenticated");
}

#[actix_web::test]
async fn an_admin_mints_a_narrower_token_for_a_customer_portal() {
    let app = spawn_app().await;
    let (customer, _) = app.child_tenant("customer").await;
    let token = app
        .post(
            "/api/v1/auth/token",
            &app.admin_key,
            json!({"tenant_id": customer, "role": "reader", "ttl_seconds": 600}),
        )
        .await;
    assert_eq!(token.status, StatusCode::OK, "{:?}", token.body);
    let jwt = token.body["token"].as_str().unwrap();
    let tenants = app.get("/api/v1/tenants", jwt).await;
    assert_eq!(tenants.body["items"].as_array().unwrap().len(), 1);
    assert_eq!(tenants.body["items"][0]["id"], customer.as_str());
    app.post(
        "/api/v1/auth/token",
        &app.admin_key,
        json!({"ttl_seconds": 10_000_000}),
    )
    .await
    .assert_problem(422, "validation_failed");
}

#[actix_web::test]
async fn domains_belong_to_exactly_one_tenant() {
    let app = spawn_app().await;
    let (_, other_key) = app.child_tenant("other").await;
    let created = app.register_domain("Example.COM").await;
    assert_eq!(created["name"], "example.com");
    assert!(created["ingest_token"].as_str().unwrap().len() >= 32);
    // Registering it again for the same tenant is a conflict.
    app.post(
        "/api/v1/domains",
        &app.admin_key,
        json!({"name": "example.com"}),
    )
    .await
    .assert_problem(409, "conflict");
    // Another tenant cannot see it (a name is unique per tenant: see tests/api/guard.rs for
    // two tenants holding one name).
    app.get("/api/v1/domains", &other_key).await;
    app.post(
        "/api/v1/domains",
        &app.admin_key,
        json!({"name": "not a domain"}),
    )
    .await
    .assert_problem(422, "validation_failed");
    app.get("/api/v1/domains/example.com", &other_key)
        .await
        .assert_problem(404, "not_found");
    let rotated = app
        .post(
            "/api/v1/domains/example.com/ingest-token",
            &app.admin_key,
            json!({}),
        )
        .await;
    assert_ne!(rotated.body["ingest_token"], created["ingest_token"]);
    let deleted = app
        .send(
            Method::DELETE,
            "/api/v1/domains/example.com",
            Some(&app.admin_key),
            None,
        )
        .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    app.get("/api/v1/domains/example.com", &app.admin_key)
        .await
        .assert_problem(404, "not_found");
}

/// Follows `next_cursor` from `path` with pages of `limit` and returns every item in order.
async fn all_pages(
    app: &crate::helpers::TestApp,
    path: &str,
    limit: usize,
) -> Vec<serde_json::Value> {
    let sep = if path.contains('?') { '&' } else { '?' };
    let mut items = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..100 {
        let url = match &cursor {
            Some(c) => format!("{path}{sep}limit={limit}&cursor={c}"),
            None => format!("{path}{sep}limit={limit}"),
        };
        let page = app.get(&url, &app.admin_key).await;
        assert_eq!(page.status, StatusCode::OK, "{url}: {:?}", page.body);
        let got = page.body["items"].as_array().unwrap();
        assert!(got.len() <= limit);
        items.extend(got.iter().cloned());
        match page.body["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_string()),
            None => return items,
        }
    }
    panic!("{path}: more than 100 pages");
}

#[actix_web::test]
async fn every_list_pages_with_limit_and_cursor_in_the_same_order_as_one_page() {
    let app = spawn_app().await;
    for name in [
        "c.example",
        "a.example",
        "e.example",
        "b.example",
        "d.example",
    ] {
        app.register_domain(name).await;
    }
    for name in ["t1", "t2", "t3", "t4"] {
        app.child_tenant(name).await;
    }
    let keys_path = format!("/api/v1/tenants/{}/api-keys", app.tenant_id);
    for name in ["k1", "k2", "k3"] {
        let r = app
            .post(
                &keys_path,
                &app.admin_key,
                json!({"name": name, "role": "reader"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED);
    }
    for path in ["/api/v1/domains", "/api/v1/tenants", keys_path.as_str()] {
        let whole = app.get(&format!("{path}?limit=500"), &app.admin_key).await;
        assert!(whole.body["next_cursor"].is_null(), "{path}");
        let whole = whole.body["items"].as_array().unwrap().clone();
        assert!(whole.len() >= 4, "{path}: {whole:?}");
        assert_eq!(all_pages(&app, path, 2).await, whole, "{path}");
        assert_eq!(all_pages(&app, path, 1).await, whole, "{path}");
        app.get(&format!("{path}?limit=0"), &app.admin_key)
            .await
            .assert_problem(400, "bad_request");
        app.get(&format!("{path}?cursor=not-a-cursor"), &app.admin_key)
            .await
            .assert_problem(400, "bad_request");
    }
    let domains = all_pages(&app, "/api/v1/domains", 2).await;
    let names: Vec<&str> = domains
        .iter()
        .map(|d| d["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "a.example",
            "b.example",
            "c.example",
            "d.example",
            "e.example"
        ]
    );
    // The caller's own tenant comes first.
    let tenants = all_pages(&app, "/api/v1/tenants", 2).await;
    assert_eq!(tenants[0]["id"], app.tenant_id.as_str());
}
