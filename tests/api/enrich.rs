//! Background enrichment: a stored report's sources get their reverse DNS confirmed by the
//! job worker, against a real DNS server, without the upload waiting for it.

use crate::dns_server;
use crate::helpers::spawn_app_with;
use crate::reports::report_xml;
use reqwest::StatusCode;
use ruad::storage::{Db, jobs, source_names};

const SOA: &str = "@ 3600 IN SOA ns.sender.test. admin.sender.test. 1 7200 3600 1209600 3600\n@ 3600 IN NS ns.sender.test.\n";

#[actix_web::test]
async fn stored_reports_get_their_sources_confirmed_in_the_background() {
    let dns = dns_server::start(&[
        (
            "2.0.192.in-addr.arpa.",
            &format!("{SOA}10 IN PTR o1.ptr2345.sendgrid.net.\n11 IN PTR fake.sender.test.\n"),
        ),
        (
            "sendgrid.net.",
            &format!("{SOA}o1.ptr2345 IN A 192.0.2.10\n"),
        ),
        ("sender.test.", &format!("{SOA}fake IN A 198.51.100.1\n")),
    ]);
    let ns = dns.addr.to_string();
    let app = spawn_app_with(move |s| s.dns_nameservers = ns).await;
    app.register_domain("example.com").await;
    let xml = report_xml(
        "enrich-1",
        1_700_000_000,
        1_700_086_399,
        &[
            ("192.0.2.10", 5, "none", "pass", "pass"),
            ("192.0.2.11", 3, "none", "fail", "fail"),
            ("192.0.2.12", 1, "none", "fail", "fail"),
        ],
    );
    let reply = app
        .upload(&app.admin_key, xml.into_bytes(), "application/xml")
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);

    let db = Db::connect(&app.database_url, 1).unwrap();
    let ips: Vec<String> = ["192.0.2.10", "192.0.2.11", "192.0.2.12"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let mut rows = Vec::new();
    for _ in 0..150 {
        rows = db.read(|c| source_names::find_many(c, &ips)).unwrap();
        if rows.len() == 3 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(rows.len(), 3, "sources not enriched: {rows:?}");
    let by_ip = |ip: &str| rows.iter().find(|r| r.ip == ip).unwrap().clone();
    let confirmed = by_ip("192.0.2.10");
    assert_eq!(
        confirmed.confirmed_name.as_deref(),
        Some("o1.ptr2345.sendgrid.net")
    );
    assert_eq!(confirmed.org_domain.as_deref(), Some("sendgrid.net"));
    let spoofable = by_ip("192.0.2.11");
    assert_eq!(
        spoofable.confirmed_name, None,
        "an unconfirmed PTR must not name the source"
    );
    assert_eq!(spoofable.org_domain, None);
    assert_eq!(spoofable.ptr_names, r#"["fake.sender.test"]"#);
    let nameless = by_ip("192.0.2.12");
    assert_eq!(nameless.ptr_names, "[]");
    assert_eq!(nameless.lookup_error, None);
    for _ in 0..50 {
        if db
            .read(|c| jobs::count_pending(c, jobs::ENRICH_SOURCES))
            .unwrap()
            == 0
        {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(
        db.read(|c| jobs::count_pending(c, jobs::ENRICH_SOURCES))
            .unwrap(),
        0
    );
}
