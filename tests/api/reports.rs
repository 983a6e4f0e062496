//! Upload, dedup, conflicts, listing, retrieval, deletion, aggregates, TLS receiver.

use crate::helpers::{TestApp, fixture, spawn_app};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const DAY: i64 = 86_400;

pub(crate) fn report_xml(
    id: &str,
    begin: i64,
    end: i64,
    rows: &[(&str, u64, &str, &str, &str)],
) -> String {
    let mut records = String::new();
    for (ip, count, disposition, dkim, spf) in rows {
        records.push_str(&format!(
            "<record><row><source_ip>{ip}</source_ip><count>{count}</count><policy_evaluated><disposition>{disposition}</disposition>\
             <dkim>{dkim}</dkim><spf>{spf}</spf></policy_evaluated></row><identifiers><header_from>example.com</header_from></identifiers>\
             <auth_results><spf><domain>example.com</domain><result>{spf}</result></spf></auth_results></record>"
        ));
    }
    format!(
        "<?xml version=\"1.0\"?><feedback><version>1.0</version><report_metadata><org_name>receiver.example</org_name>\
         <email>dmarc@receiver.example</email><report_id>{id}</report_id><date_range><begin>{begin}</begin><end>{end}</end>\
         </date_range></report_metadata><policy_published><domain>example.com</domain><p>none</p></policy_published>{records}</feedback>"
    )
}

async fn by_result(app: &TestApp, from: &str, to: &str) -> Value {
    let reply = app
        .get(
            &format!("/api/v1/domains/example.com/dmarc/by-result?from={from}&to={to}"),
            &app.admin_key,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    reply.body
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

#[actix_web::test]
async fn the_same_report_in_another_envelope_is_a_duplicate() {
    let app = spawn_app().await;
    app.register_domain("foo-bar.io").await;
    let xml = fixture("001-rfc7489-google.xml");
    let first = app
        .upload(&app.admin_key, xml.clone(), "application/xml")
        .await;
    assert_eq!(first.status, StatusCode::CREATED, "{:?}", first.body);
    assert_eq!(first.body["reports"][0]["duplicate"], false);
    assert_eq!(first.body["reports"][0]["kind"], "dmarc_aggregate");
    assert_eq!(first.body["reports"][0]["domain"], "foo-bar.io");
    let again = app
        .upload(&app.admin_key, gzip(&xml), "application/octet-stream")
        .await;
    assert_eq!(again.status, StatusCode::CREATED);
    assert_eq!(again.body["reports"][0]["duplicate"], true);
    assert_eq!(
        again.body["reports"][0]["id"],
        first.body["reports"][0]["id"]
    );
    let list = app.get("/api/v1/reports", &app.admin_key).await;
    assert_eq!(list.body["items"].as_array().unwrap().len(), 1);
}

#[actix_web::test]
async fn changed_content_under_the_same_key_supersedes_and_is_flagged() {
    let app = spawn_app().await;
    app.register_domain("example.com").await;
    let v1 = report_xml(
        "r1",
        0,
        DAY - 1,
        &[("192.0.2.1", 5, "none", "pass", "pass")],
    );
    let v2 = report_xml(
        "r1",
        0,
        DAY - 1,
        &[("192.0.2.1", 7, "none", "pass", "pass")],
    );
    let first = app
        .upload(&app.admin_key, v1.into_bytes(), "application/xml")
        .await;
    let second = app
        .upload(&app.admin_key, v2.into_bytes(), "application/xml")
        .await;
    assert_eq!(
        second.body["reports"][0]["conflict"], true,
        "{:?}",
        second.body
    );
    assert_eq!(second.body["reports"][0]["duplicate"], false);
    let totals = by_result(&app, "1970-01-01", "1970-01-01").await;
    assert_eq!(totals["total_messages"], 7);
    let old = app
        .get(
            &format!(
                "/api/v1/reports/{}",
                first.body["reports"][0]["id"].as_str().unwrap()
            ),
            &app.admin_key,
        )
        .await;
    assert_eq!(old.body["conflict"], true);
    assert_eq!(old.body["superseded_by"], second.body["reports"][0]["id"]);
    // Deleting the newer version brings the older one back into the aggregates.
    let newer = second.body["reports"][0]["id"].as_str().unwrap();
    app.send(
        Method::DELETE,
        &format!("/api/v1/reports/{newer}"),
        Some(&app.admin_key),
        None,
    )
    .await;
    assert_eq!(
        by_result(&app, "1970-01-01", "1970-01-01").await["total_messages"],
        5
    );
}

#[actix_web::test]
async fn counts_are_spread_over_the_days_a_report_covers() {
    let app = spawn_app().await;
    app.register_domain("example.com").await;
    let xml = report_xml(
        "multi",
        10 * DAY,
        13 * DAY,
        &[("192.0.2.1", 10, "reject", "fail", "fail")],
    );
    app.upload(&app.admin_key, xml.into_bytes(), "application/xml")
        .await;
    let day = |d: i64| {
        chrono::DateTime::from_timestamp(d * DAY, 0)
            .unwrap()
            .format("%Y-%m-%d")
            .to_string()
    };
    let parts: Vec<u64> = futures_util::future::join_all((10..13).map(|d| {
        let app = &app;
        let d = day(d);
        async move {
            by_result(app, &d, &d).await["total_messages"]
                .as_u64()
                .unwrap()
        }
    }))
    .await;
    assert_eq!(parts, vec![4, 3, 3]);
    let all = by_result(&app, &day(10), &day(12)).await;
    assert_eq!(all["total_messages"], 10);
    assert_eq!(all["disposition"]["reject"], 10);
    assert_eq!(all["disposition"]["none"], 0);
    assert_eq!(all["dmarc_fail_messages"], 10);
}

#[actix_web::test]
async fn reports_for_unregistered_domains_are_refused_naming_the_domain() {
    let app = spawn_app().await;
    let reply = app
        .upload(
            &app.admin_key,
            fixture("001-rfc7489-google.xml"),
            "application/xml",
        )
        .await;
    reply.assert_problem(422, "domain_not_registered");
    assert_eq!(reply.body["errors"][0]["domain"], "foo-bar.io");
    assert!(
        reply.body["detail"]
            .as_str()
            .unwrap()
            .contains("foo-bar.io")
    );
    let garbage = app
        .upload(
            &app.admin_key,
            b"hello".to_vec(),
            "application/octet-stream",
        )
        .await;
    garbage.assert_problem(422, "no_report");
    assert_eq!(garbage.body["errors"][0]["code"], "not_a_report");
}

#[actix_web::test]
async fn a_zip_of_several_reports_lists_pages_and_serves_raw_bytes() {
    let app = spawn_app().await;
    app.register_domain("example.com").await;
    let zip = fixture("005-zip-three-members.zip");
    let reply = app
        .upload(&app.admin_key, zip.clone(), "application/zip")
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    let stored = reply.body["reports"].as_array().unwrap();
    assert_eq!(stored.len(), 3);
    assert!(
        stored
            .iter()
            .all(|r| r["part"].as_str().unwrap().ends_with(".xml"))
    );

    let page1 = app.get("/api/v1/reports?limit=2", &app.admin_key).await;
    assert_eq!(page1.body["items"].as_array().unwrap().len(), 2);
    let cursor = page1.body["next_cursor"].as_str().unwrap();
    let page2 = app
        .get(
            &format!("/api/v1/reports?limit=2&cursor={cursor}"),
            &app.admin_key,
        )
        .await;
    assert_eq!(page2.body["items"].as_array().unwrap().len(), 1);
    assert!(page2.body["next_cursor"].is_null());
    let filtered = app
        .get(
            "/api/v1/reports?domain=example.com&kind=tls_report",
            &app.admin_key,
        )
        .await;
    assert_eq!(filtered.body["items"].as_array().unwrap().len(), 0);

    let id = stored[0]["id"].as_str().unwrap();
    let report = app
        .get(&format!("/api/v1/reports/{id}"), &app.admin_key)
        .await;
    assert_eq!(
        report.body["report"]["records"].as_array().unwrap().len(),
        2
    );
    assert!(report.body["report"]["report_metadata"]["org_name"].is_string());
    // The report's own payload: the zip member, unpacked, as XML, named as in the zip.
    let part = stored[0]["part"].as_str().unwrap().to_string();
    let raw = app
        .client
        .get(format!("{}/api/v1/reports/{id}/raw", app.address))
        .bearer_auth(&app.admin_key)
        .send()
        .await
        .unwrap();
    assert_eq!(raw.headers()["content-type"], "application/xml");
    let disposition = raw.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        disposition.contains(&format!("filename=\"{part}\"")),
        "{disposition}"
    );
    let payload = raw.bytes().await.unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip.clone())).unwrap();
    let mut member = Vec::new();
    std::io::Read::read_to_end(&mut archive.by_name(&part).unwrap(), &mut member).unwrap();
    assert_eq!(payload.to_vec(), member);
    // The whole upload on request, as what it is.
    let original = app
        .client
        .get(format!(
            "{}/api/v1/reports/{id}/raw?original=true",
            app.address
        ))
        .bearer_auth(&app.admin_key)
        .send()
        .await
        .unwrap();
    assert_eq!(original.headers()["content-type"], "application/zip");
    assert!(
        original.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains(".zip")
    );
    assert_eq!(original.bytes().await.unwrap().to_vec(), zip);

    let sources = app
        .get(
            "/api/v1/domains/example.com/dmarc/by-source?from=2023-12-31&to=2024-01-02",
            &app.admin_key,
        )
        .await;
    assert_eq!(sources.status, StatusCode::OK, "{:?}", sources.body);
    let total: u64 = sources.body["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["messages"].as_u64().unwrap())
        .sum();
    assert_eq!(total, 49);
    let list = sources.body["sources"].as_array().unwrap();
    assert_eq!(
        sources.body["total_sources"].as_u64().unwrap(),
        list.len() as u64
    );
    for s in list {
        let by_from: u64 = s["header_from"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["messages"].as_u64().unwrap())
            .sum();
        assert_eq!(by_from, s["messages"].as_u64().unwrap(), "{s}");
    }
    let top = app
        .get(
            "/api/v1/domains/example.com/dmarc/by-source?from=2023-12-31&to=2024-01-02&limit=1",
            &app.admin_key,
        )
        .await;
    assert_eq!(top.body["sources"].as_array().unwrap().len(), 1);
    assert_eq!(top.body["total_sources"], sources.body["total_sources"]);
    assert_eq!(top.body["sources"][0], list[0]);
    assert!(list.len() > 1, "the fixture needs several sources");

    assert_eq!(
        app.send(
            Method::DELETE,
            &format!("/api/v1/reports/{id}"),
            Some(&app.admin_key),
            None
        )
        .await
        .status,
        StatusCode::NO_CONTENT
    );
    app.get(&format!("/api/v1/reports/{id}"), &app.admin_key)
        .await
        .assert_problem(404, "not_found");
}

#[actix_web::test]
async fn multipart_uploads_carry_many_files() {
    let app = spawn_app().await;
    app.register_domain("example.com").await;
    app.register_domain("example.org").await;
    let form = reqwest::multipart::Form::new()
        .part(
            "file",
            reqwest::multipart::Part::bytes(fixture("005-zip-three-members.zip"))
                .file_name("a.zip"),
        )
        .part(
            "file",
            reqwest::multipart::Part::bytes(fixture("033-tls-gzip.json.gz")).file_name("t.json.gz"),
        )
        .part(
            "file",
            reqwest::multipart::Part::bytes(b"junk".to_vec()).file_name("junk.bin"),
        );
    let response = app
        .client
        .post(format!("{}/api/v1/reports", app.address))
        .bearer_auth(&app.admin_key)
        .multipart(form)
        .send()
        .await
        .unwrap();
    let reply = crate::helpers::into_reply(response).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    assert_eq!(reply.body["reports"].as_array().unwrap().len(), 4);
    assert_eq!(reply.body["reports"][3]["kind"], "tls_report");
    assert_eq!(reply.body["reports"][3]["file"], "t.json.gz");
    assert_eq!(reply.body["errors"][0]["file"], "junk.bin");

    // The multipart operation of the spec takes the same form; other bodies are a 415.
    let form = reqwest::multipart::Form::new().part(
        "files",
        reqwest::multipart::Part::bytes(fixture("033-tls-gzip.json.gz")).file_name("t.json.gz"),
    );
    let again = crate::helpers::into_reply(
        app.client
            .post(format!("{}/api/v1/reports/files", app.address))
            .bearer_auth(&app.admin_key)
            .multipart(form)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(again.status, StatusCode::CREATED, "{:?}", again.body);
    assert_eq!(again.body["reports"][0]["duplicate"], true);
    let raw = crate::helpers::into_reply(
        app.client
            .post(format!("{}/api/v1/reports/files", app.address))
            .bearer_auth(&app.admin_key)
            .header("content-type", "application/gzip")
            .body(fixture("033-tls-gzip.json.gz"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    raw.assert_problem(415, "unsupported_media_type");
}

#[actix_web::test]
async fn the_rfc8460_receiver_takes_tls_reports_for_its_domain_only() {
    let app = spawn_app().await;
    let domain = app.register_domain("example.org").await;
    let token = domain["ingest_token"].as_str().unwrap();
    let post = |content_type: &'static str, path: String, body: Vec<u8>| {
        let request = app
            .client
            .post(format!("{}{path}", app.address))
            .header("content-type", content_type)
            .body(body);
        async move { crate::helpers::into_reply(request.send().await.unwrap()).await }
    };
    let ok = post(
        "application/tlsrpt+gzip",
        format!("/api/v1/tlsrpt/{token}"),
        fixture("033-tls-gzip.json.gz"),
    )
    .await;
    assert_eq!(ok.status, StatusCode::CREATED, "{:?}", ok.body);
    post(
        "application/json",
        format!("/api/v1/tlsrpt/{token}"),
        fixture("033-tls-gzip.json.gz"),
    )
    .await
    .assert_problem(415, "unsupported_media_type");
    post(
        "application/tlsrpt+gzip",
        "/api/v1/tlsrpt/not-a-token".into(),
        fixture("033-tls-gzip.json.gz"),
    )
    .await
    .assert_problem(404, "not_found");
    // A DMARC report or another domain's TLS report is not accepted here.
    let other = fixture("026-tls-rfc8460-mx-host-string.json");
    let refused = post(
        "application/tlsrpt+json",
        format!("/api/v1/tlsrpt/{token}"),
        other,
    )
    .await;
    refused.assert_problem(422, "domain_not_registered");
    // It says the token is for another domain, not that the domain is unregistered.
    let detail = refused.body["detail"].as_str().unwrap();
    assert!(
        detail.contains("this ingest token is for example.org"),
        "{detail}"
    );

    let totals = app
        .get(
            "/api/v1/domains/example.org/tls/by-result?from=2023-11-14&to=2023-11-14",
            &app.admin_key,
        )
        .await;
    assert_eq!(totals.body["successful_sessions"], 10, "{:?}", totals.body);
    assert_eq!(totals.body["failed_sessions"], 1);
    assert_eq!(
        totals.body["failed_sessions_by_result_type"]["certificate-expired"],
        1
    );
    let sources = app
        .get(
            "/api/v1/domains/example.org/tls/by-source?from=2023-11-14&to=2023-11-14",
            &app.admin_key,
        )
        .await;
    assert_eq!(
        sources.body["organizations"][0]["organization"],
        "Receiver Example"
    );
    assert_eq!(
        sources.body["failures"][0]["receiving_mx_hostname"],
        "mx.example.org"
    );
    assert_eq!(sources.body["failures"][0]["sending_mta_ip"], "192.0.2.9");

    // The failure paths are ranked and cut at `limit`, with the total given.
    let detail = |ip: &str, n: u64| {
        json!({"result-type": "certificate-expired", "sending-mta-ip": ip,
               "receiving-mx-hostname": "mx.example.org", "failed-session-count": n})
    };
    let report = json!({
        "organization-name": "Other Receiver",
        "date-range": {"start-datetime": "2023-11-14T00:00:00Z", "end-datetime": "2023-11-14T23:59:59Z"},
        "contact-info": "tls@other.example",
        "report-id": "limit-1",
        "policies": [{
            "policy": {"policy-type": "sts", "policy-string": ["version: STSv1", "mode: enforce"],
                       "policy-domain": "example.org", "mx-host": ["mx.example.org"]},
            "summary": {"total-successful-session-count": 1, "total-failure-session-count": 6},
            "failure-details": [detail("192.0.2.21", 3), detail("192.0.2.22", 2), detail("192.0.2.23", 1)]
        }]
    });
    let stored = app
        .upload(
            &app.admin_key,
            report.to_string().into_bytes(),
            "application/json",
        )
        .await;
    assert_eq!(stored.status, StatusCode::CREATED, "{:?}", stored.body);
    let top = app
        .get(
            "/api/v1/domains/example.org/tls/by-source?from=2023-11-14&to=2023-11-14&limit=2",
            &app.admin_key,
        )
        .await;
    assert_eq!(top.body["total_failures"], 4, "{:?}", top.body);
    let ips: Vec<&str> = top.body["failures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["sending_mta_ip"].as_str().unwrap())
        .collect();
    assert_eq!(ips, vec!["192.0.2.21", "192.0.2.22"]);
    // The next page: the ties at one failed session by address, then no cursor.
    let cursor = top.body["next_cursor"].as_str().expect("a next page");
    let rest = app
        .get(
            &format!("/api/v1/domains/example.org/tls/by-source?from=2023-11-14&to=2023-11-14&limit=2&cursor={cursor}"),
            &app.admin_key,
        )
        .await;
    assert_eq!(rest.status, StatusCode::OK, "{:?}", rest.body);
    let ips: Vec<&str> = rest.body["failures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["sending_mta_ip"].as_str().unwrap())
        .collect();
    assert_eq!(ips, vec!["192.0.2.23", "192.0.2.9"]);
    assert!(rest.body["next_cursor"].is_null());
    assert_eq!(rest.body["total_failures"], 4);
    // A CSV page holds the page; a CSV without limit and cursor every failure path.
    for (query, paths) in [("&limit=2", 2), ("", 4)] {
        let csv = app
            .client
            .get(format!(
                "{}/api/v1/domains/example.org/tls/by-source?from=2023-11-14&to=2023-11-14&format=csv{query}",
                app.address
            ))
            .bearer_auth(&app.admin_key)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert_eq!(csv.matches("\nfailure_path,").count(), paths, "{csv}");
    }
    app.get(
        "/api/v1/domains/example.org/tls/by-source?cursor=bm90LWEtY3Vyc29y",
        &app.admin_key,
    )
    .await
    .assert_problem(400, "bad_request");
    app.get(
        "/api/v1/domains/example.org/tls/by-source?limit=0",
        &app.admin_key,
    )
    .await
    .assert_problem(400, "bad_request");
}

#[actix_web::test]
async fn writers_upload_but_readers_cannot() {
    let app = spawn_app().await;
    app.register_domain("foo-bar.io").await;
    let reader = app
        .post(
            &format!("/api/v1/tenants/{}/api-keys", app.tenant_id),
            &app.admin_key,
            json!({"name": "r", "role": "reader"}),
        )
        .await;
    let key = reader.body["key"].as_str().unwrap();
    app.upload(key, fixture("001-rfc7489-google.xml"), "application/xml")
        .await
        .assert_problem(403, "forbidden");
}

#[actix_web::test]
async fn raw_downloads_serve_the_detected_type_and_a_file_name() {
    let app = spawn_app().await;
    app.register_domain("example.com").await;
    // As the README's curl uploads it: --data-binary sends a form content type.
    let xml = report_xml(
        "raw-1",
        1_763_337_600,
        1_763_423_999,
        &[("192.0.2.1", 2, "none", "pass", "pass")],
    );
    let reply = app
        .upload(
            &app.admin_key,
            gzip(xml.as_bytes()),
            "application/x-www-form-urlencoded",
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    let id = reply.body["reports"][0]["id"].as_str().unwrap();
    let raw = app
        .client
        .get(format!("{}/api/v1/reports/{id}/raw", app.address))
        .bearer_auth(&app.admin_key)
        .send()
        .await
        .unwrap();
    assert_eq!(raw.headers()["content-type"], "application/xml");
    let disposition = raw.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        disposition.contains("receiver.example!example.com!1763337600!1763423999.xml"),
        "{disposition}"
    );
    assert_eq!(raw.bytes().await.unwrap().to_vec(), xml.as_bytes());
    let original = app
        .client
        .get(format!(
            "{}/api/v1/reports/{id}/raw?original=true",
            app.address
        ))
        .bearer_auth(&app.admin_key)
        .send()
        .await
        .unwrap();
    assert_eq!(original.headers()["content-type"], "application/gzip");

    // A multipart upload keeps its file name: the original under that name, the payload
    // under it without the compression suffix.
    let form = reqwest::multipart::Form::new().part(
        "files",
        reqwest::multipart::Part::bytes(fixture("033-tls-gzip.json.gz"))
            .file_name("receiver!example.org!1699920000!1700006399.json.gz"),
    );
    app.register_domain("example.org").await;
    let stored = crate::helpers::into_reply(
        app.client
            .post(format!("{}/api/v1/reports/files", app.address))
            .bearer_auth(&app.admin_key)
            .multipart(form)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(stored.status, StatusCode::CREATED, "{:?}", stored.body);
    let id = stored.body["reports"][0]["id"].as_str().unwrap();
    let raw = app
        .client
        .get(format!("{}/api/v1/reports/{id}/raw", app.address))
        .bearer_auth(&app.admin_key)
        .send()
        .await
        .unwrap();
    assert_eq!(raw.headers()["content-type"], "application/tlsrpt+json");
    assert!(
        raw.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("filename=\"receiver!example.org!1699920000!1700006399.json\""),
        "{:?}",
        raw.headers()["content-disposition"]
    );
    let original = app
        .client
        .get(format!(
            "{}/api/v1/reports/{id}/raw?original=true",
            app.address
        ))
        .bearer_auth(&app.admin_key)
        .send()
        .await
        .unwrap();
    assert!(
        original.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("filename=\"receiver!example.org!1699920000!1700006399.json.gz\"")
    );
    assert_eq!(
        original.bytes().await.unwrap().to_vec(),
        fixture("033-tls-gzip.json.gz")
    );
}

#[actix_web::test]
async fn metrics_show_each_upload_and_the_records_of_each_stored_report() {
    let app = spawn_app().await;
    let domain = app.register_domain("example.com").await;
    let token = domain["ingest_token"].as_str().unwrap();
    let xml = report_xml(
        "metered",
        1_700_000_000,
        1_700_086_399,
        &[
            ("192.0.2.1", 5, "none", "pass", "pass"),
            ("192.0.2.2", 2, "none", "fail", "pass"),
            ("192.0.2.3", 1, "reject", "fail", "fail"),
        ],
    );
    let first = app
        .upload(&app.admin_key, xml.clone().into_bytes(), "application/xml")
        .await;
    assert_eq!(first.status, StatusCode::CREATED, "{:?}", first.body);
    // A duplicate is an upload, but no stored report.
    let again = app
        .upload(&app.admin_key, xml.into_bytes(), "application/xml")
        .await;
    assert_eq!(again.body["reports"][0]["duplicate"], true);
    // The RFC 8460 receiver goes through the same service.
    let tls = app
        .client
        .post(format!("{}/api/v1/tlsrpt/{token}", app.address))
        .header("content-type", "application/tlsrpt+json")
        .body(crate::issues::tls_report("metered-tls", 1_700_000_000, 3))
        .send()
        .await
        .unwrap();
    assert_eq!(tls.status(), StatusCode::CREATED);

    let reply = app.send(Method::GET, "/metrics", None, None).await;
    let text = String::from_utf8(reply.bytes).unwrap();
    for line in [
        "ruad_ingest_duration_seconds_count 3",
        "ruad_ingest_duration_seconds_bucket{le=\"+Inf\"} 3",
        "ruad_ingest_records_count{kind=\"dmarc_aggregate\"} 1",
        "ruad_ingest_records_sum{kind=\"dmarc_aggregate\"} 3",
        "ruad_ingest_records_bucket{kind=\"dmarc_aggregate\",le=\"1\"} 0",
        "ruad_ingest_records_bucket{kind=\"dmarc_aggregate\",le=\"5\"} 1",
        "ruad_ingest_records_count{kind=\"tls_report\"} 1",
        "ruad_ingest_records_sum{kind=\"tls_report\"} 1",
        "ruad_reports_ingested_total{kind=\"dmarc_aggregate\",outcome=\"stored\"} 1",
        "ruad_reports_ingested_total{kind=\"dmarc_aggregate\",outcome=\"duplicate\"} 1",
        "ruad_reports_ingested_total{kind=\"tls_report\",outcome=\"stored\"} 1",
    ] {
        assert!(
            text.lines().any(|l| l == line),
            "{line} missing in:\n{text}"
        );
    }
}

/// Concurrent small uploads go through the group commit (several reports per transaction):
/// every report is answered after its own commit, a report sent twice at once is stored once
/// (the second answer names the first's id), two versions of one report sent at once end with
/// exactly one current, and the aggregates count each current report once.
#[actix_web::test]
async fn concurrent_uploads_are_each_stored_once_whole() {
    let app = spawn_app().await;
    app.register_domain("example.com").await;
    let distinct = 30u64;
    let mut bodies = Vec::new();
    for i in 0..distinct {
        let begin = (i as i64 % 5) * DAY;
        let xml = report_xml(
            &format!("c{i}"),
            begin,
            begin + DAY - 1,
            &[
                ("192.0.2.1", i + 1, "none", "pass", "fail"),
                ("198.51.100.7", 2, "reject", "fail", "fail"),
            ],
        );
        // Each report twice: once plain, once gzip (the same content, another upload).
        bodies.push((i, xml.clone().into_bytes()));
        bodies.push((i, gzip(xml.as_bytes())));
    }
    // Two versions of one more report: the same key, other content.
    let v = |n: u64| {
        report_xml(
            "versions",
            0,
            DAY - 1,
            &[("203.0.113.9", n, "none", "pass", "pass")],
        )
        .into_bytes()
    };
    bodies.push((100, v(1_000)));
    bodies.push((101, v(5_000)));
    let mut tasks = Vec::new();
    for (i, body) in bodies {
        let client = app.client.clone();
        let url = format!("{}/api/v1/reports", app.address);
        let key = app.admin_key.clone();
        tasks.push(actix_web::rt::spawn(async move {
            let reply = client
                .post(url)
                .bearer_auth(key)
                .header("content-type", "application/octet-stream")
                .body(body)
                .send()
                .await
                .expect("request");
            let status = reply.status();
            let body: Value = reply.json().await.expect("json");
            (i, status, body)
        }));
    }
    let mut stored: std::collections::BTreeMap<u64, Vec<(String, bool)>> = Default::default();
    for task in tasks {
        let (i, status, body) = task.await.unwrap();
        assert_eq!(status, StatusCode::CREATED, "{body:?}");
        let report = &body["reports"][0];
        stored.entry(i).or_default().push((
            report["id"].as_str().unwrap().to_string(),
            report["duplicate"].as_bool().unwrap(),
        ));
    }
    for i in 0..distinct {
        let answers = &stored[&i];
        assert_eq!(answers.len(), 2);
        assert_eq!(answers[0].0, answers[1].0, "report {i} stored twice");
        assert_eq!(
            answers.iter().filter(|(_, dup)| *dup).count(),
            1,
            "report {i}: {answers:?}"
        );
    }
    let list = app.get("/api/v1/reports?limit=200", &app.admin_key).await;
    let items = list.body["items"].as_array().unwrap();
    assert_eq!(items.len() as u64, distinct + 2);
    let current_versions: Vec<&Value> = items
        .iter()
        .filter(|r| r["report_id"] == "versions" && r["superseded_by"].is_null())
        .collect();
    assert_eq!(current_versions.len(), 1, "{items:?}");
    let current = current_versions[0]["messages"].as_i64().unwrap() as u64;
    assert!(current == 1_000 || current == 5_000);
    let want: u64 = (0..distinct).map(|i| i + 1 + 2).sum::<u64>() + current;
    let totals = by_result(&app, "1970-01-01", "1970-01-10").await;
    assert_eq!(totals["total_messages"], want, "{totals:?}");
    // Every report went through the group commit (each duplicate too, rolled back).
    let metrics = app
        .client
        .get(format!("{}/metrics", app.address))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let units: u64 = metrics
        .lines()
        .find_map(|l| l.strip_prefix("ruad_group_commit_units_total "))
        .expect("the group commit's counter")
        .parse()
        .unwrap();
    assert_eq!(units, 2 * distinct + 2, "{metrics}");
}
