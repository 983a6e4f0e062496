//! The interactive documentation at /docs renders in a real headless browser, from assets
//! ruad serves itself (the browser runs with networking limited to loopback use).

use crate::helpers::spawn_app;
use reqwest::{Method, StatusCode};

fn chromium() -> Option<&'static str> {
    ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists())
}

#[actix_web::test]
async fn the_openapi_document_is_served() {
    let app = spawn_app().await;
    let spec = app
        .send(Method::GET, "/api/v1/openapi.json", None, None)
        .await;
    assert_eq!(spec.status, StatusCode::OK);
    assert_eq!(
        spec.body,
        serde_json::to_value(ruad::api::openapi()).unwrap()
    );
}

#[actix_web::test]
async fn the_docs_page_renders_in_headless_chromium() {
    let Some(browser) = chromium() else {
        assert!(
            std::env::var_os("TEST_REQUIRE_BROWSER").is_none(),
            "TEST_REQUIRE_BROWSER is set but chromium is not installed"
        );
        eprintln!("chromium not installed; skipping the browser test");
        return;
    };
    let app = spawn_app().await;
    let profile = tempfile::tempdir().unwrap();
    let url = format!("{}/docs", app.address);
    let profile_dir = profile.path().display().to_string();
    // Run the browser off the test's runtime thread: that thread also drives the server.
    let output = actix_web::rt::task::spawn_blocking(move || {
        std::process::Command::new(browser)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--virtual-time-budget=15000",
                &format!("--user-data-dir={profile_dir}"),
                "--dump-dom",
                &url,
            ])
            .output()
    })
    .await
    .unwrap()
    .expect("run chromium");
    let dom = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    // Swagger UI rendered the operations of the spec (not just the static shell).
    assert!(dom.contains("swagger-ui"), "no swagger-ui in the DOM");
    for needle in [
        "/api/v1/reports",
        "/api/v1/domains/{domain}/dmarc/by-result",
        "opblock",
    ] {
        assert!(
            dom.contains(needle),
            "{needle} not rendered; DOM starts: {}",
            &dom[..dom.len().min(2000)]
        );
    }
    assert!(
        !dom.contains("https://unpkg.com") && !dom.contains("cdn.jsdelivr"),
        "assets must not come from a CDN"
    );
}
