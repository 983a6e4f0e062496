//! Documents end to end: real corpus reports uploaded through the API, then the domain and
//! report documents read back as PDF (through poppler's `pdftotext` and `pdftoppm`) and as
//! HTML (rendered by headless Chromium with the network off), compared with the aggregates
//! API's answers for the same range.
//!
//! The tools are skipped when absent, unless `TEST_REQUIRE_POPPLER=1` /
//! `TEST_REQUIRE_BROWSER=1` (set by `.ci/run`) make their absence a failure.

use crate::helpers::{TestApp, corpus_dir, spawn_app};
use reqwest::StatusCode;
use ruad::domain::branding::{Branding, Color, Language};
use ruad::services::documents::i18n::{format_count, format_percent};
use ruad::services::documents::{self, DayRange, Format, Subject, model};
use ruad::storage::{Db, TenantScope};
use std::path::Path;
use std::process::Command;

const LARGE: &str = "aggregate/parsedmarc__!large-example.com!1711897200!1711983600.xml";
const TLS: &str = "smtp_tls/parsedmarc__rfc8460.json";

fn tool(name: &str, require: &str) -> bool {
    let found = Command::new(name)
        .arg("-v")
        .output()
        .is_ok_and(|o| o.status.success() || !o.stderr.is_empty());
    if !found && std::env::var(require).is_ok_and(|v| v == "1") {
        panic!("{name} is required ({require}=1) but not installed");
    }
    found
}

fn poppler() -> bool {
    tool("pdftotext", "TEST_REQUIRE_POPPLER")
}

fn chromium() -> Option<&'static str> {
    let found = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|b| {
            Command::new(b)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        });
    if found.is_none() && std::env::var("TEST_REQUIRE_BROWSER").is_ok_and(|v| v == "1") {
        panic!("chromium is required (TEST_REQUIRE_BROWSER=1) but not installed");
    }
    found
}

/// The text of a PDF, as `pdftotext -layout` reads it, with runs of blanks made one space.
fn pdf_text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdftotext")
        .arg("-enc")
        .arg("UTF-8")
        .arg(&path)
        .arg("-")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Renders every page with `pdftoppm`; returns the page images' sizes.
fn pdf_pages(pdf: &[u8]) -> Vec<u64> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdftoppm")
        .args(["-r", "40", "-png"])
        .arg(&path)
        .arg(dir.path().join("page"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut sizes: Vec<(String, u64)> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".png"))
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                e.metadata().unwrap().len(),
            )
        })
        .collect();
    sizes.sort();
    sizes.into_iter().map(|(_, s)| s).collect()
}

async fn upload_corpus(app: &TestApp, file: &str) -> Option<serde_json::Value> {
    let dir = corpus_dir()?;
    let bytes = std::fs::read(dir.join(file)).unwrap();
    let reply = app
        .upload(&app.admin_key, bytes, "application/octet-stream")
        .await;
    assert!(reply.status.is_success(), "{:?}", reply.body);
    Some(reply.body)
}

/// Text without spaces, hyphens and zero-width spaces. Narrow table cells wrap long host
/// names and error strings: pdftotext then splits them with spaces and drops the hyphen at a
/// break, so PDF text is compared squeezed.
fn squeeze(s: &str) -> String {
    s.replace(
        |c: char| c.is_whitespace() || c == '-' || c == '\u{200b}',
        "",
    )
}

async fn document(app: &TestApp, path: &str) -> crate::helpers::Reply {
    app.get(path, &app.admin_key).await
}

#[actix_web::test]
async fn a_domain_report_pdf_says_what_the_aggregates_api_says_in_both_languages() {
    if !poppler() {
        return;
    }
    let app = spawn_app().await;
    app.register_domain("example.com").await;
    if upload_corpus(&app, LARGE).await.is_none() {
        return;
    }
    let range = "from=2024-03-31&to=2024-04-01";
    let totals = document(
        &app,
        &format!("/api/v1/domains/example.com/dmarc/by-result?{range}"),
    )
    .await;
    assert_eq!(totals.status, StatusCode::OK, "{:?}", totals.body);
    let total = totals.body["total_messages"].as_u64().unwrap();
    let pass = totals.body["dmarc_pass_messages"].as_u64().unwrap();
    assert!(total > 1000, "{total}");
    let sources = document(
        &app,
        &format!("/api/v1/domains/example.com/dmarc/by-source?{range}&limit=5"),
    )
    .await;
    assert_eq!(sources.status, StatusCode::OK);
    let top: Vec<(String, u64)> = sources.body["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["source_ip"].as_str().unwrap().to_string(),
                s["messages"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(top.len(), 5);
    let readiness = document(
        &app,
        &format!("/api/v1/domains/example.com/enforcement-readiness?{range}"),
    )
    .await;
    assert_eq!(readiness.status, StatusCode::OK, "{:?}", readiness.body);
    let affected = |policy: &str| {
        readiness.body[policy]["newly_affected_messages"]
            .as_u64()
            .unwrap()
    };
    for language in [Language::En, Language::Nl] {
        let reply = document(
            &app,
            &format!("/api/v1/domains/example.com/document?{range}&format=pdf&language={language}"),
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        assert_eq!(reply.content_type, "application/pdf");
        assert!(reply.bytes.starts_with(b"%PDF-"));
        let text = pdf_text(&reply.bytes);
        assert!(text.contains("example.com"), "{language}: {text}");
        assert!(
            text.contains(&format_count(language, total)),
            "{language}: no total in {text}"
        );
        assert!(
            text.contains(&format_percent(language, pass, total)),
            "{language}: no pass rate in {text}"
        );
        for (ip, messages) in &top {
            assert!(text.contains(&format!("{ip} ")), "{language}: {ip} missing");
            assert!(text.contains(&format_count(language, *messages)));
        }
        // The source table is capped, and says what it left out.
        let more = match language {
            Language::En => "more sources carrying",
            Language::Nl => "bronnen met samen",
        };
        assert!(text.contains(more), "{language}: {text}");
        // Enforcement readiness, as the readiness endpoint says.
        let heading = match language {
            Language::En => "Enforcement readiness",
            Language::Nl => "Klaar voor handhaving",
        };
        let (_, section) = text
            .split_once(heading)
            .unwrap_or_else(|| panic!("{language}: no readiness in {text}"));
        // pdftotext reads the table's label column first, then the figures row by row: the
        // total row's two figures end the figures.
        let total_row = format!(
            "{} {}",
            format_count(language, affected("quarantine")),
            format_count(language, affected("reject"))
        );
        let section = section.split("SMTP TLS").next().unwrap_or_default();
        assert!(
            squeeze(section).ends_with(&squeeze(&total_row)),
            "{language}: the readiness table does not end with '{total_row}': {section}"
        );
        let pages = pdf_pages(&reply.bytes);
        assert!(!pages.is_empty());
        assert!(pages.iter().all(|&s| s > 1000), "{pages:?}");
    }
    let nl = document(
        &app,
        &format!("/api/v1/domains/example.com/document?{range}&format=pdf&language=nl"),
    )
    .await;
    assert!(pdf_text(&nl.bytes).contains("Samenvatting"));
}

#[actix_web::test]
async fn a_domain_report_in_html_renders_offline_in_a_browser_with_headings_and_table_headers() {
    let app = spawn_app().await;
    app.register_domain("example.com").await;
    if upload_corpus(&app, LARGE).await.is_none() {
        return;
    }
    for language in ["en", "nl"] {
        let reply = document(
            &app,
            &format!("/api/v1/domains/example.com/document?from=2024-03-31&to=2024-04-01&language={language}"),
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        assert_eq!(reply.content_type, "text/html; charset=utf-8");
        let html = String::from_utf8(reply.bytes.clone()).unwrap();
        assert!(html.contains(&format!("<html lang=\"{language}\">")));
        assert!(
            html.contains("<h1>") && html.contains("<h2>") && html.contains("<th scope=\"col\"")
        );
        assert!(html.contains("<svg"), "the trend chart is inline SVG");
        // Self-contained: nothing to fetch.
        for external in ["src=\"http", "href=\"http", "url(http", "@import"] {
            assert!(!html.contains(external), "{external}");
        }
        let Some(browser) = chromium() else {
            continue;
        };
        let dir = tempfile::tempdir().unwrap();
        let page = dir.path().join("doc.html");
        std::fs::write(&page, &html).unwrap();
        let shot = dir.path().join("shot.png");
        let out = Command::new(browser)
            .args([
                "--headless",
                "--disable-gpu",
                "--no-sandbox",
                "--hide-scrollbars",
                "--proxy-server=127.0.0.1:9",
                "--host-resolver-rules=MAP * ~NOTFOUND",
                "--window-size=1000,1400",
            ])
            .arg(format!(
                "--user-data-dir={}",
                dir.path().join("profile").display()
            ))
            .arg(format!("--screenshot={}", shot.display()))
            .arg(format!("file://{}", page.display()))
            .output()
            .unwrap();
        assert!(
            shot.is_file(),
            "no screenshot: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_not_blank(&shot);
    }
}

/// A PNG with more than one colour.
fn assert_not_blank(path: &Path) {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let bytes = &buf[..info.buffer_size()];
    let px = info.color_type.samples();
    let first = &bytes[..px];
    let distinct = bytes.chunks(px).filter(|p| *p != first).count();
    assert!(
        distinct > 1000,
        "screenshot is blank ({distinct} pixels differ)"
    );
}

#[actix_web::test]
async fn a_single_tls_report_document_shows_its_policy_and_failure_details() {
    let app = spawn_app().await;
    app.register_domain("company-y.example").await;
    let Some(body) = upload_corpus(&app, TLS).await else {
        return;
    };
    let id = body["reports"][0]["id"].as_str().unwrap().to_string();
    let html = document(&app, &format!("/api/v1/reports/{id}/document")).await;
    assert_eq!(html.status, StatusCode::OK, "{:?}", html.body);
    let html = String::from_utf8(html.bytes).unwrap();
    assert!(html.contains("Company-X"));
    assert!(html.contains("mx2.mail.company-y.example"));
    assert!(html.contains("203.0.113.56"));
    if !poppler() {
        return;
    }
    for language in ["en", "nl"] {
        let pdf = document(
            &app,
            &format!("/api/v1/reports/{id}/document?format=pdf&language={language}"),
        )
        .await;
        assert_eq!(pdf.status, StatusCode::OK, "{:?}", pdf.body);
        let text = pdf_text(&pdf.bytes);
        for expected in [
            "Company-X",
            "company-y.example",
            "mx2.mail.company-y.example",
            "203.0.113.56",
            "starttls-not-supported",
            "X509_V_ERR_PROXY_PATH_LENGTH_EXCEEDED",
            "testing",
        ] {
            assert!(
                squeeze(&text).contains(&squeeze(expected)),
                "{language}: {expected} missing from {text}"
            );
        }
        assert!(text.contains(&format_count(language.parse().unwrap(), 5326)));
        assert!(!pdf_pages(&pdf.bytes).is_empty());
    }
}

#[actix_web::test]
async fn bad_document_requests_are_clear_problems() {
    let app = spawn_app().await;
    app.register_domain("example.com").await;
    let base = "/api/v1/domains/example.com/document";
    document(&app, &format!("{base}?from=2024-01-01&to=2025-01-01"))
        .await
        .assert_problem(422, "period_too_long");
    document(&app, &format!("{base}?language=fr"))
        .await
        .assert_problem(422, "unsupported_language");
    document(&app, &format!("{base}?format=docx"))
        .await
        .assert_problem(422, "unsupported_format");
    document(&app, "/api/v1/domains/unknown.example/document")
        .await
        .assert_problem(404, "not_found");
    document(
        &app,
        "/api/v1/reports/00000000-0000-0000-0000-000000000000/document?format=pdf",
    )
    .await
    .assert_problem(404, "not_found");
    // Another tenant's domain does not exist for the caller.
    let (_, other) = app.child_tenant("other").await;
    app.get(&format!("{base}?format=pdf"), &other)
        .await
        .assert_problem(404, "not_found");
}

fn scope_of_root(app: &TestApp, db: &Db) -> TenantScope {
    let id = ruad::domain::ids::TenantId::from(app.tenant_id.as_str());
    db.read(|c| ruad::storage::tenants::find_tenant_unscoped(c, &id))
        .unwrap()
        .unwrap()
        .scope()
}

#[actix_web::test]
async fn a_branded_document_shows_the_brand_and_never_ruad() {
    let app = spawn_app().await;
    app.register_domain("company-y.example").await;
    if upload_corpus(&app, TLS).await.is_none() {
        return;
    }
    let db = Db::connect(&app.database_url, 1).unwrap();
    let scope = scope_of_root(&app, &db);
    let brand = Branding {
        display_name: "Acme Mail Security".into(),
        logo: None,
        primary_color: "#224466".parse::<Color>().unwrap(),
        accent_color: "#aa3300".parse::<Color>().unwrap(),
        footer_text: Some("Acme B.V., Keizersgracht 1, Amsterdam".into()),
        support_contact: Some("support@acme.example".into()),
        language: Language::Nl,
    };
    let days = DayRange {
        first: 16_892,
        last: 16_892,
    }; // 2016-04-01
    for format in [Format::Html, Format::Pdf] {
        for language in [Language::En, Language::Nl] {
            let subject = Subject::Domain {
                domain: "company-y.example".into(),
                days,
            };
            let doc = documents::render(
                &db,
                &scope,
                &subject,
                format,
                &brand,
                language,
                1_780_000_000,
            )
            .unwrap();
            let text = match format {
                Format::Html => String::from_utf8(doc.bytes.clone()).unwrap(),
                Format::Pdf if poppler() => pdf_text(&doc.bytes),
                Format::Pdf => continue,
            };
            assert!(text.contains("Acme Mail Security"), "{format} {language}");
            assert!(text.contains("support@acme.example"));
            assert!(text.contains("Keizersgracht"));
            assert!(
                !text.to_lowercase().contains("ruad"),
                "{format} {language}: {text}"
            );
            assert!(!doc.file_name.contains("ruad"));
            assert!(doc.file_name.ends_with(&format!(".{format}")));
        }
    }
}

fn hostile_document() -> model::Document {
    let hostile = "Evil </script><script>alert(1)</script> #set page(fill: red) ] \" < & Org";
    model::Document {
        language: "en".into(),
        title: format!("Report from {hostile}"),
        subtitle: "#let x = 1".into(),
        brand: model::Brand {
            name: "Brand ]#[".into(),
            primary_color: "#1f4e79".into(),
            accent_color: "#e07a1f".into(),
            footer: Some("<b>footer</b>".into()),
            support: None,
            logo: None,
            has_logo: false,
            logo_extension: None,
        },
        generated: "now".into(),
        blocks: vec![
            model::Block::Paragraph {
                text: hostile.into(),
            },
            model::Block::Table(model::Table {
                caption: "#table".into(),
                columns: vec![model::Column {
                    title: "<th>".into(),
                    align: model::Align::Start,
                }],
                rows: vec![vec![hostile.into()]],
                more: Some("$x$ *bold* _it_ @ref <label>".into()),
                empty: String::new(),
            }),
        ],
    }
}

#[test]
fn hostile_strings_are_escaped_in_html_and_printed_literally_in_the_pdf() {
    let doc = hostile_document();
    let html = documents::html::render(&doc);
    assert!(!html.contains("<script>"));
    assert!(!html.contains("</script>"));
    assert!(!html.contains("<b>footer"));
    assert!(html.contains("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("&quot; &lt; &amp; Org"));
    let pdf = documents::pdf::render(&doc).unwrap();
    if !poppler() {
        return;
    }
    let text = pdf_text(&pdf);
    assert!(text.contains("#set page(fill: red) ] \" < & Org"), "{text}");
    assert!(
        text.contains("</script><script>alert(1)</script>"),
        "{text}"
    );
    assert!(text.contains("$x$ *bold* _it_ @ref <label>"), "{text}");
    assert!(text.contains("Brand ]#["), "{text}");
    assert!(text.contains("#let x = 1"), "{text}");
}

#[actix_web::test]
async fn the_portfolio_document_lists_every_domain_with_the_portfolio_apis_figures() {
    let app = spawn_app().await;
    app.register_domain("example.com").await;
    app.register_domain("company-y.example").await;
    app.register_domain("quiet.example").await;
    if upload_corpus(&app, LARGE).await.is_none() || upload_corpus(&app, TLS).await.is_none() {
        return;
    }
    let range = "from=2024-03-01&to=2024-04-30";
    let listed = document(&app, &format!("/api/v1/portfolio?{range}")).await;
    assert_eq!(listed.status, StatusCode::OK, "{:?}", listed.body);
    let rows = listed.body["items"].as_array().unwrap().clone();
    assert_eq!(rows.len(), 3);
    let html = document(&app, &format!("/api/v1/portfolio/document?{range}")).await;
    assert_eq!(html.status, StatusCode::OK, "{:?}", html.body);
    assert_eq!(html.content_type, "text/html; charset=utf-8");
    let html = String::from_utf8(html.bytes).unwrap();
    assert!(html.contains("<th"), "no table headers");
    for row in &rows {
        assert!(html.contains(row["domain"].as_str().unwrap()));
    }
    if !poppler() {
        return;
    }
    for language in [Language::En, Language::Nl] {
        let pdf = document(
            &app,
            &format!("/api/v1/portfolio/document?{range}&format=pdf&language={language}"),
        )
        .await;
        assert_eq!(pdf.status, StatusCode::OK, "{:?}", pdf.body);
        let text = pdf_text(&pdf.bytes);
        for row in &rows {
            let domain = row["domain"].as_str().unwrap();
            // A narrow column may break a name at its hyphen, which pdftotext then drops.
            let squeeze = |s: &str| {
                s.replace(
                    |c: char| c.is_whitespace() || c == '-' || c == '\u{200b}',
                    "",
                )
            };
            assert!(
                squeeze(&text).contains(&squeeze(domain)),
                "{language}: {domain} missing from {text}"
            );
            let messages = row["messages"].as_u64().unwrap();
            assert!(
                text.contains(&format_count(language, messages)),
                "{language}: {messages} messages of {domain} missing from {text}"
            );
        }
        assert!(!pdf_pages(&pdf.bytes).is_empty());
    }
    let too_long = document(
        &app,
        "/api/v1/portfolio/document?from=2024-01-01&to=2025-06-30",
    )
    .await;
    assert_eq!(too_long.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(too_long.body["code"], "period_too_long");
}
