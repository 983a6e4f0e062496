//! CSV exports of every aggregate and of record lists (`format=csv` or `Accept: text/csv`),
//! checked against the JSON answers, and the record lists' JSON pages.

use crate::helpers::{TestApp, spawn_app};
use crate::reports::report_xml;
use reqwest::StatusCode;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

const DAY: i64 = 86_400;

/// A CSV answer: its header and rows.
struct Csv {
    header: Vec<String>,
    rows: Vec<BTreeMap<String, String>>,
}

async fn get_csv(app: &TestApp, path: &str, accept: Option<&str>) -> Csv {
    let mut request = app
        .client
        .get(format!("{}{path}", app.address))
        .bearer_auth(&app.admin_key);
    if let Some(accept) = accept {
        request = request.header("accept", accept);
    }
    let reply = request.send().await.expect("request");
    assert_eq!(reply.status(), StatusCode::OK, "{path}");
    let ctype = reply.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_string();
    assert_eq!(ctype, "text/csv; charset=utf-8; header=present", "{path}");
    let disposition = reply.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        disposition.starts_with("attachment; filename=\"") && disposition.ends_with(".csv\""),
        "{disposition}"
    );
    let body = reply.bytes().await.unwrap();
    let mut reader = csv::Reader::from_reader(&body[..]);
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let rows = reader
        .records()
        .map(|r| {
            let r = r.expect("a CSV row");
            header
                .iter()
                .cloned()
                .zip(r.iter().map(String::from))
                .collect()
        })
        .collect();
    Csv { header, rows }
}

async fn get_json(app: &TestApp, path: &str) -> Value {
    let reply = app.get(path, &app.admin_key).await;
    assert_eq!(reply.status, StatusCode::OK, "{path}: {:?}", reply.body);
    reply.body
}

fn n(v: &str) -> u64 {
    v.parse().unwrap()
}

async fn upload(app: &TestApp, bytes: Vec<u8>) -> Value {
    let reply = app
        .upload(&app.admin_key, bytes, "application/octet-stream")
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    reply.body["reports"][0].clone()
}

/// Three reports over three days with `rows` sources each.
async fn seed(app: &TestApp, rows: usize) -> Vec<String> {
    app.register_domain("example.com").await;
    let mut ids = Vec::new();
    for r in 0..3i64 {
        let sources: Vec<(String, u64, &str, &str, &str)> = (0..rows)
            .map(|i| {
                let (d, dkim) = if i % 3 == 0 {
                    ("reject", "fail")
                } else {
                    ("none", "pass")
                };
                (
                    format!("10.{r}.{}.{}", i / 250, i % 250 + 1),
                    (i % 7 + 1) as u64,
                    d,
                    dkim,
                    "fail",
                )
            })
            .collect();
        let refs: Vec<(&str, u64, &str, &str, &str)> = sources
            .iter()
            .map(|(ip, c, d, k, s)| (ip.as_str(), *c, *d, *k, *s))
            .collect();
        let xml = report_xml(&format!("x{r}"), r * DAY, (r + 1) * DAY - 1, &refs);
        ids.push(
            upload(app, xml.into_bytes()).await["id"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    ids
}

const RANGE: &str = "from=1970-01-01&to=1970-01-03";

#[actix_web::test]
async fn every_aggregate_exports_the_figures_of_its_json_answer() {
    let app = spawn_app().await;
    seed(&app, 12).await;
    let base = "/api/v1/domains/example.com";

    // by-result: one row per figure, the same numbers as the JSON.
    let json = get_json(&app, &format!("{base}/dmarc/by-result?{RANGE}")).await;
    for (path, accept) in [
        (format!("{base}/dmarc/by-result?{RANGE}&format=csv"), None),
        (
            format!("{base}/dmarc/by-result?{RANGE}"),
            Some("text/csv, application/json;q=0.5"),
        ),
    ] {
        let csv = get_csv(&app, &path, accept).await;
        assert_eq!(
            csv.header,
            ["domain", "from", "to", "dimension", "value", "messages"]
        );
        let figure = |dimension: &str, value: &str| {
            csv.rows
                .iter()
                .find(|r| r["dimension"] == dimension && r["value"] == value)
                .map(|r| n(&r["messages"]))
                .unwrap_or_else(|| panic!("no {dimension}/{value} row"))
        };
        assert_eq!(figure("total", ""), json["total_messages"]);
        assert_eq!(figure("dmarc", "pass"), json["dmarc_pass_messages"]);
        assert_eq!(figure("dmarc", "fail"), json["dmarc_fail_messages"]);
        assert_eq!(
            figure("disposition", "reject"),
            json["disposition"]["reject"]
        );
        assert_eq!(figure("dkim_aligned", "pass"), json["dkim_aligned"]["pass"]);
        assert_eq!(figure("spf_aligned", "fail"), json["spf_aligned"]["fail"]);
    }
    // Accept preferring JSON, or naming neither, keeps JSON.
    let reply = app
        .client
        .get(format!("{}{base}/dmarc/by-result?{RANGE}", app.address))
        .bearer_auth(&app.admin_key)
        .header("accept", "application/json, text/csv")
        .send()
        .await
        .unwrap();
    assert!(
        reply.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );

    // by-source: a page, then every source (streamed), the same as the JSON pages.
    let all = get_json(&app, &format!("{base}/dmarc/by-source?{RANGE}&limit=1000")).await;
    let want: BTreeMap<String, (u64, u64)> = all["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["source_ip"].as_str().unwrap().to_string(),
                (
                    s["messages"].as_u64().unwrap(),
                    s["dmarc_pass_messages"].as_u64().unwrap(),
                ),
            )
        })
        .collect();
    assert_eq!(want.len(), 36);
    let page = get_csv(
        &app,
        &format!("{base}/dmarc/by-source?{RANGE}&limit=5&format=csv"),
        None,
    )
    .await;
    assert_eq!(page.rows.len(), 5);
    assert_eq!(page.header[0], "source_ip");
    let every = get_csv(
        &app,
        &format!("{base}/dmarc/by-source?{RANGE}&format=csv"),
        None,
    )
    .await;
    let got: BTreeMap<String, (u64, u64)> = every
        .rows
        .iter()
        .map(|r| {
            (
                r["source_ip"].clone(),
                (n(&r["messages"]), n(&r["dmarc_pass_messages"])),
            )
        })
        .collect();
    assert_eq!(got, want);
    assert_eq!(every.rows.len(), 36, "no source twice");

    // by-service: one row per group, messages summing to the total.
    let services = get_csv(
        &app,
        &format!("{base}/dmarc/by-service?{RANGE}&format=csv"),
        None,
    )
    .await;
    assert_eq!(services.header[0], "group");
    let sum: u64 = services.rows.iter().map(|r| n(&r["messages"])).sum();
    assert_eq!(sum, json["total_messages"].as_u64().unwrap());

    // timeseries: a row per day, a column per disposition seen.
    let series = get_csv(
        &app,
        &format!("{base}/timeseries?kind=dmarc&{RANGE}&format=csv"),
        None,
    )
    .await;
    assert_eq!(series.rows.len(), 3);
    assert!(
        series.header.contains(&"disposition_reject".to_string()),
        "{:?}",
        series.header
    );
    let points = get_json(&app, &format!("{base}/timeseries?kind=dmarc&{RANGE}")).await;
    for (row, point) in series.rows.iter().zip(points["points"].as_array().unwrap()) {
        assert_eq!(row["start"], point["start"].as_str().unwrap());
        assert_eq!(n(&row["messages"]), point["messages"].as_u64().unwrap());
        assert_eq!(
            n(&row["disposition_reject"]),
            point["disposition"]["reject"].as_u64().unwrap_or(0)
        );
    }

    // TLS aggregates of a domain without TLS reports: the header and the zero figures.
    let tls = get_csv(
        &app,
        &format!("{base}/tls/by-result?{RANGE}&format=csv"),
        None,
    )
    .await;
    assert_eq!(
        tls.header,
        ["domain", "from", "to", "dimension", "value", "sessions"]
    );
    assert!(tls.rows.iter().all(|r| r["sessions"] == "0"));
    let paths = get_csv(
        &app,
        &format!("{base}/tls/by-source?{RANGE}&format=csv"),
        None,
    )
    .await;
    assert_eq!(paths.header[0], "kind");
    assert!(paths.rows.is_empty());

    // An unknown format is a problem, not a guess.
    app.get(
        &format!("{base}/dmarc/by-result?{RANGE}&format=xlsx"),
        &app.admin_key,
    )
    .await
    .assert_problem(400, "bad_request");
}

#[actix_web::test]
async fn record_lists_page_without_repeats_and_export_every_record() {
    let app = spawn_app().await;
    let ids = seed(&app, 20).await;

    // One report, 20 records, pages of 7.
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut path = format!("/api/v1/reports/{}/records?limit=7", ids[1]);
        if let Some(c) = &cursor {
            path.push_str(&format!("&cursor={c}"));
        }
        let page = get_json(&app, &path).await;
        assert_eq!(page["total_records"], 20);
        for item in page["items"].as_array().unwrap() {
            assert_eq!(item["report_id"], ids[1].as_str());
            seen.push(item["seq"].as_i64().unwrap());
            assert!(item["source_ip"].as_str().unwrap().starts_with("10.1."));
        }
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    assert_eq!(seen, (1..=20).collect::<Vec<_>>());

    // The domain over three days: 60 records, pages of 8, report by report, none twice.
    let mut seen = BTreeSet::new();
    let mut order = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let mut path = format!("/api/v1/domains/example.com/records?{RANGE}&limit=8");
        if let Some(c) = &cursor {
            path.push_str(&format!("&cursor={c}"));
        }
        let page = get_json(&app, &path).await;
        pages += 1;
        assert_eq!(page["total_records"], 60);
        for item in page["items"].as_array().unwrap() {
            let key = (
                item["report_id"].as_str().unwrap().to_string(),
                item["seq"].as_i64().unwrap(),
            );
            assert!(seen.insert(key.clone()), "{key:?} twice");
            order.push((item["begin"].as_i64().unwrap(), key));
        }
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    assert_eq!(seen.len(), 60);
    assert_eq!(pages, 8);
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(
        order, sorted,
        "records come by report begin, id, then number"
    );

    // One day only: one report's records.
    let day = get_json(
        &app,
        "/api/v1/domains/example.com/records?from=1970-01-02&to=1970-01-02&limit=100",
    )
    .await;
    assert_eq!(day["total_records"], 20);
    assert!(
        day["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["report_id"] == ids[1].as_str())
    );

    // CSV: every record of the range, streamed, the same records.
    let csv = get_csv(
        &app,
        &format!("/api/v1/domains/example.com/records?{RANGE}"),
        Some("text/csv"),
    )
    .await;
    assert_eq!(
        csv.header[..7],
        [
            "report_id",
            "org_name",
            "report_begin",
            "report_end",
            "seq",
            "source_ip",
            "count"
        ]
    );
    assert_eq!(csv.rows.len(), 60);
    let from_csv: BTreeSet<(String, i64)> = csv
        .rows
        .iter()
        .map(|r| (r["report_id"].clone(), r["seq"].parse().unwrap()))
        .collect();
    assert_eq!(from_csv, seen);
    let one = csv
        .rows
        .iter()
        .find(|r| r["source_ip"] == "10.0.0.1")
        .unwrap();
    assert_eq!(one["disposition"], "reject");
    assert_eq!(one["spf_results"], "example.com/=fail");
    let report_csv = get_csv(
        &app,
        &format!("/api/v1/reports/{}/records?format=csv", ids[2]),
        None,
    )
    .await;
    assert_eq!(report_csv.rows.len(), 20);

    // Bad cursors and limits; another tenant's report and domain.
    for path in [
        format!("/api/v1/reports/{}/records?cursor=nonsense", ids[0]),
        format!("/api/v1/reports/{}/records?limit=0", ids[0]),
        format!("/api/v1/reports/{}/records?limit=5001", ids[0]),
        "/api/v1/domains/example.com/records?cursor=Zm9v".to_string(),
        format!("/api/v1/reports/{}/records?format=pdf", ids[0]),
    ] {
        app.get(&path, &app.admin_key)
            .await
            .assert_problem(400, "bad_request");
    }
    let (_, other) = app.child_tenant("other").await;
    app.get(&format!("/api/v1/reports/{}/records", ids[0]), &other)
        .await
        .assert_problem(404, "not_found");
    app.get("/api/v1/domains/example.com/records", &other)
        .await
        .assert_problem(404, "not_found");
}

/// A superseded version's records leave the domain's list with it; text that a spreadsheet
/// would run as a formula is defused in CSV.
#[actix_web::test]
async fn superseded_records_leave_the_list_and_formulas_are_defused() {
    let app = spawn_app().await;
    app.register_domain("example.com").await;
    let v1 = report_xml("v", 0, DAY - 1, &[("192.0.2.1", 5, "none", "pass", "pass")]);
    let v2 = report_xml(
        "v",
        0,
        DAY - 1,
        &[
            ("192.0.2.1", 6, "none", "pass", "pass"),
            ("192.0.2.2", 1, "none", "pass", "pass"),
        ],
    );
    upload(&app, v1.into_bytes()).await;
    let second = upload(&app, v2.into_bytes()).await;
    let list = get_json(
        &app,
        "/api/v1/domains/example.com/records?from=1970-01-01&to=1970-01-01",
    )
    .await;
    assert_eq!(list["total_records"], 2);
    assert!(
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["report_id"] == second["id"])
    );

    let hostile = report_xml(
        "f",
        DAY,
        2 * DAY - 1,
        &[("192.0.2.9", 1, "none", "pass", "pass")],
    )
    .replace(
        "<org_name>receiver.example</org_name>",
        "<org_name>=HYPERLINK(\"http://evil.example\")</org_name>",
    );
    upload(&app, hostile.into_bytes()).await;
    let csv = get_csv(
        &app,
        "/api/v1/domains/example.com/records?from=1970-01-02&to=1970-01-02&format=csv",
        None,
    )
    .await;
    assert_eq!(csv.rows.len(), 1);
    assert_eq!(
        csv.rows[0]["org_name"],
        "'=HYPERLINK(\"http://evil.example\")"
    );
}

/// A TLS report has no records.
#[actix_web::test]
async fn a_tls_report_has_no_record_list() {
    let app = spawn_app().await;
    app.register_domain("example.org").await;
    let tls =
        crate::timeseries::tls_json("t1", "2024-01-01T00:00:00Z", "2024-01-01T23:59:59Z", 5, &[]);
    let report = upload(&app, tls).await;
    app.get(
        &format!("/api/v1/reports/{}/records", report["id"].as_str().unwrap()),
        &app.admin_key,
    )
    .await
    .assert_problem(400, "bad_request");
}
