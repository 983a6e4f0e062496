//! The flexible query (`POST /query/dmarc`, `/query/tls`) checked against an independent
//! recomputation: a pseudo-random set of uploaded reports is summed by brute force in the
//! test for every grouping and filter, and the totals must equal what the aggregate
//! endpoints say. Paging must neither repeat nor skip; queries needing raw records must say
//! so and be bounded; bad input is a 400 problem; another tenant's domain a 404.

use crate::helpers::{TestApp, spawn_app};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashSet};

const DAY: i64 = 86_400;
/// 2026-10-25 (a Sunday), so the days cross a month and several ISO weeks.
const FIRST_DAY: i64 = 20_751;

/// One uploaded record, with what the brute force needs.
#[derive(Debug, Clone)]
struct Rec {
    domain: &'static str,
    day: i64,
    ip: String,
    header_from: String,
    reporter: String,
    disposition: &'static str,
    dkim: &'static str,
    spf: &'static str,
    dkim_pass: Vec<String>,
    spf_pass: Vec<String>,
    policy: &'static str,
    count: u64,
}

/// A tiny deterministic generator (no dependency, same data on every run).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

const IPS: &[&str] = &[
    "192.0.2.1",
    "192.0.2.77",
    "198.51.100.5",
    "198.51.100.9",
    "203.0.113.200",
    "2001:db8:1:2::5",
    "2001:db8:1:ff::1",
    "2001:db8:9::1",
];

fn report_xml(domain: &str, org: &str, id: &str, day: i64, policy: &str, recs: &[Rec]) -> String {
    let mut records = String::new();
    for r in recs {
        let sendgrid = if r.dkim_pass.iter().any(|x| x == "sendgrid.net") {
            "pass"
        } else {
            "fail"
        };
        let mut auth =
            format!("<dkim><domain>sendgrid.net</domain><result>{sendgrid}</result></dkim>");
        if r.dkim_pass.iter().any(|x| x == domain) {
            auth.push_str(&format!(
                "<dkim><domain>{domain}</domain><result>pass</result></dkim>"
            ));
        }
        let spf_domain = r
            .spf_pass
            .first()
            .cloned()
            .unwrap_or_else(|| domain.to_string());
        let spf_result = if r.spf_pass.is_empty() {
            "fail"
        } else {
            "pass"
        };
        auth.push_str(&format!(
            "<spf><domain>{spf_domain}</domain><result>{spf_result}</result></spf>"
        ));
        records.push_str(&format!(
            "<record><row><source_ip>{}</source_ip><count>{}</count><policy_evaluated>\
             <disposition>{}</disposition><dkim>{}</dkim><spf>{}</spf></policy_evaluated></row>\
             <identifiers><header_from>{}</header_from></identifiers><auth_results>{auth}</auth_results></record>",
            r.ip, r.count, r.disposition, r.dkim, r.spf, r.header_from
        ));
    }
    format!(
        "<?xml version=\"1.0\"?><feedback><version>1.0</version><report_metadata><org_name>{org}</org_name>\
         <email>dmarc@{org}</email><report_id>{id}</report_id><date_range><begin>{}</begin><end>{}</end>\
         </date_range></report_metadata><policy_published><domain>{domain}</domain><p>{policy}</p></policy_published>{records}</feedback>",
        day * DAY,
        day * DAY + DAY - 1
    )
}

/// Registers two domains and uploads 14 pseudo-random reports; the records uploaded.
async fn seed(app: &TestApp, key: &str) -> Vec<Rec> {
    for name in ["example.com", "example.net"] {
        let reply = app
            .post("/api/v1/domains", key, json!({ "name": name }))
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    }
    let mut rng = Lcg(16);
    let mut all = Vec::new();
    for n in 0..14 {
        let domain: &'static str = if n % 3 == 2 {
            "example.net"
        } else {
            "example.com"
        };
        let org = ["google.com", "outlook.com", "yahoo.com"][rng.next(3)];
        let day = FIRST_DAY + rng.next(20) as i64;
        let policy = ["none", "quarantine", "reject"][rng.next(3)];
        let mut recs = Vec::new();
        for _ in 0..(2 + rng.next(4)) {
            let dkim = ["pass", "fail"][rng.next(2)];
            let spf = ["pass", "fail"][rng.next(2)];
            let mut dkim_pass = Vec::new();
            if rng.next(2) == 0 {
                dkim_pass.push("sendgrid.net".to_string());
            }
            if dkim == "pass" {
                dkim_pass.push(domain.to_string());
            }
            let spf_pass = if spf == "pass" {
                vec![format!("bounce.{domain}")]
            } else {
                vec![]
            };
            recs.push(Rec {
                domain,
                day,
                ip: IPS[rng.next(IPS.len())].to_string(),
                header_from: [domain.to_string(), format!("mail.{domain}")][rng.next(2)].clone(),
                reporter: org.to_string(),
                disposition: ["none", "none", "quarantine", "reject"][rng.next(4)],
                dkim,
                spf,
                dkim_pass,
                spf_pass,
                policy,
                count: 1 + rng.next(9) as u64,
            });
        }
        let xml = report_xml(domain, org, &format!("q-{n}"), day, policy, &recs);
        let reply = app.upload(key, xml.into_bytes(), "application/xml").await;
        assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
        all.extend(recs);
    }
    all
}

fn day_label(day: i64) -> String {
    chrono::DateTime::from_timestamp(day * DAY, 0)
        .unwrap()
        .format("%Y-%m-%d")
        .to_string()
}

fn network(ip: &str) -> String {
    match ip.parse::<std::net::IpAddr>().unwrap() {
        std::net::IpAddr::V4(a) => {
            let o = a.octets();
            format!("{}.{}.{}.0/24", o[0], o[1], o[2])
        }
        std::net::IpAddr::V6(a) => {
            let s = a.segments();
            format!("{:x}:{:x}:{:x}::/48", s[0], s[1], s[2])
        }
    }
}

/// The values of a field for a record (several for DKIM/SPF domains).
fn values(r: &Rec, field: &str) -> Vec<String> {
    let one = |s: &str| vec![s.to_string()];
    match field {
        "day" => one(&day_label(r.day)),
        // Epoch day 0 was a Thursday.
        "week" => one(&day_label(r.day - (r.day + 3).rem_euclid(7))),
        "month" => one(&day_label(r.day)[..7]),
        "domain" => one(r.domain),
        "header_from" => one(&r.header_from),
        "source_ip" => one(&r.ip),
        "source_network" => one(&network(&r.ip)),
        "reporter" => one(&r.reporter),
        "disposition" => one(r.disposition),
        "dkim_result" => one(r.dkim),
        "spf_result" => one(r.spf),
        "dkim_domain" => r.dkim_pass.clone(),
        "spf_domain" => r.spf_pass.clone(),
        "alignment" => one(match (r.dkim == "pass", r.spf == "pass") {
            (true, true) => "dkim_and_spf",
            (true, false) => "dkim_only",
            (false, true) => "spf_only",
            (false, false) => "neither",
        }),
        "policy" => one(r.policy),
        other => panic!("no brute force for {other}"),
    }
}

const METRICS: &[&str] = &[
    "messages",
    "dmarc_pass",
    "dmarc_fail",
    "dkim_aligned",
    "spf_aligned",
    "disposition_none",
    "disposition_quarantine",
    "disposition_reject",
];

fn metrics_of(r: &Rec) -> Vec<u64> {
    let n = r.count;
    let of = |yes: bool| if yes { n } else { 0 };
    let pass = r.dkim == "pass" || r.spf == "pass";
    vec![
        n,
        of(pass),
        of(!pass),
        of(r.dkim == "pass"),
        of(r.spf == "pass"),
        of(r.disposition == "none"),
        of(r.disposition == "quarantine"),
        of(r.disposition == "reject"),
    ]
}

type Groups = BTreeMap<Vec<String>, Vec<u64>>;

/// The brute-force groups of `recs` in `[first, last]` that pass `keep`.
fn brute(
    recs: &[Rec],
    first: i64,
    last: i64,
    group_by: &[&str],
    keep: &dyn Fn(&Rec, &BTreeMap<&str, String>) -> bool,
) -> Groups {
    let mut out = Groups::new();
    for r in recs.iter().filter(|r| r.day >= first && r.day <= last) {
        // Combinations of the (possibly several) values of each field.
        let mut combos: Vec<BTreeMap<&str, String>> = vec![BTreeMap::new()];
        for f in group_by {
            let mut next = Vec::new();
            for c in &combos {
                for v in values(r, f) {
                    let mut c = c.clone();
                    c.insert(*f, v);
                    next.push(c);
                }
            }
            combos = next;
        }
        for c in combos {
            if !keep(r, &c) {
                continue;
            }
            let key: Vec<String> = group_by.iter().map(|f| c[f].clone()).collect();
            let slot = out.entry(key).or_insert_with(|| vec![0; METRICS.len()]);
            for (s, m) in slot.iter_mut().zip(metrics_of(r)) {
                *s += m;
            }
        }
    }
    out
}

/// Every page of a query, followed by cursor; the groups as (key, metrics) in order.
async fn all_pages(app: &TestApp, key: &str, path: &str, mut body: Value) -> (Value, Vec<Value>) {
    let mut groups = Vec::new();
    let mut first = Value::Null;
    for _ in 0..200 {
        let reply = app.post(path, key, body.clone()).await;
        assert_eq!(reply.status, StatusCode::OK, "{body}: {:?}", reply.body);
        groups.extend(reply.body["groups"].as_array().unwrap().iter().cloned());
        let next = reply.body["next_cursor"].clone();
        if first.is_null() {
            first = reply.body;
        }
        if next.is_null() {
            return (first, groups);
        }
        body["cursor"] = next;
    }
    panic!("paging did not end");
}

/// A query's answer as CSV (`?format=csv`, or `Accept: text/csv` when `accept`): the
/// header and the rows, in order.
async fn query_csv(
    app: &TestApp,
    key: &str,
    path: &str,
    body: &Value,
    accept: bool,
) -> (Vec<String>, Vec<Vec<String>>) {
    let mut request = if accept {
        app.client
            .post(format!("{}{path}", app.address))
            .header("accept", "text/csv, application/json;q=0.5")
    } else {
        app.client.post(format!("{}{path}?format=csv", app.address))
    };
    request = request.bearer_auth(key).json(body);
    let reply = request.send().await.expect("request");
    assert_eq!(reply.status(), StatusCode::OK, "{body}");
    assert_eq!(
        reply.headers()["content-type"],
        "text/csv; charset=utf-8; header=present"
    );
    let disposition = reply.headers()["content-disposition"].to_str().unwrap();
    assert!(disposition.contains("-query-"), "{disposition}");
    let bytes = reply.bytes().await.unwrap();
    let mut reader = csv::Reader::from_reader(&bytes[..]);
    let header = reader.headers().unwrap().iter().map(String::from).collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    (header, rows)
}

/// JSON groups as CSV rows: the grouped fields (null as ""), then the metrics.
fn as_rows(groups: &[Value], group_by: &[&str], metrics: &[&str]) -> Vec<Vec<String>> {
    groups
        .iter()
        .map(|g| {
            group_by
                .iter()
                .map(|f| g["key"][f].as_str().unwrap_or("").to_string())
                .chain(metrics.iter().map(|m| g["metrics"][m].to_string()))
                .collect()
        })
        .collect()
}

/// The answer's groups as brute-force-shaped groups (absent values as "").
fn as_groups(groups: &[Value], group_by: &[&str], metrics: &[&str]) -> Groups {
    let mut out = Groups::new();
    for g in groups {
        let key: Vec<String> = group_by
            .iter()
            .map(|f| g["key"][f].as_str().unwrap_or("").to_string())
            .collect();
        let sums: Vec<u64> = metrics
            .iter()
            .map(|m| g["metrics"][m].as_u64().unwrap())
            .collect();
        assert!(out.insert(key.clone(), sums).is_none(), "{key:?} twice");
    }
    out
}

/// The brute force limited to `metrics` and without empty groups.
fn project(groups: Groups, metrics: &[&str]) -> Groups {
    groups
        .into_iter()
        .map(|(k, v)| {
            let sums = metrics
                .iter()
                .map(|m| v[METRICS.iter().position(|x| x == m).unwrap()])
                .collect();
            (k, sums)
        })
        .collect()
}

const FROM: &str = "2026-10-28";
const TO: &str = "2026-11-10";

fn day_of(s: &str) -> i64 {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap()
        .and_utc()
        .timestamp()
        / DAY
}

#[actix_web::test]
async fn every_grouping_equals_a_brute_force_sum_over_the_uploaded_records() {
    let app = spawn_app().await;
    let key = app.admin_key.clone();
    let recs = seed(&app, &key).await;
    let (first, last) = (day_of(FROM), day_of(TO));
    for (group_by, metrics, from) in [
        (
            vec!["source_ip", "header_from", "month"],
            METRICS.to_vec(),
            "rollups",
        ),
        (vec![], METRICS.to_vec(), "rollups"),
        (vec!["day"], METRICS.to_vec(), "rollups"),
        (vec!["week", "domain"], METRICS.to_vec(), "rollups"),
        (vec!["source_network"], METRICS.to_vec(), "rollups"),
        (
            vec!["dkim_domain", "source_ip"],
            vec!["messages"],
            "rollups",
        ),
        (vec!["spf_domain", "month"], vec!["messages"], "rollups"),
        (
            vec!["reporter", "disposition", "alignment"],
            METRICS.to_vec(),
            "rollups",
        ),
        (
            vec!["dkim_result", "spf_result", "week"],
            METRICS.to_vec(),
            "rollups",
        ),
        (vec!["policy"], METRICS.to_vec(), "records"),
        (vec!["reporter", "source_ip"], METRICS.to_vec(), "records"),
        (
            vec!["dkim_domain"],
            vec!["messages", "dmarc_pass"],
            "records",
        ),
        (
            vec!["spf_domain", "dkim_domain", "domain"],
            vec!["messages"],
            "records",
        ),
    ] {
        let body = json!({"from": FROM, "to": TO, "group_by": group_by, "metrics": metrics,
                          "limit": 7});
        let (page, groups) = all_pages(&app, &key, "/api/v1/query/dmarc", body).await;
        assert_eq!(page["answered_from"], from, "{group_by:?}");
        assert_eq!(page["domains"], json!(["example.com", "example.net"]));
        let expected = project(brute(&recs, first, last, &group_by, &|_, _| true), &metrics);
        assert!(!expected.is_empty());
        assert_eq!(page["total_groups"], expected.len() as u64, "{group_by:?}");
        assert_eq!(
            as_groups(&groups, &group_by, &metrics),
            expected,
            "{group_by:?}"
        );
        // The CSV without limit or cursor: every group, in the pages' order, with a header
        // of the grouped fields and the metrics.
        let whole = json!({"from": FROM, "to": TO, "group_by": group_by, "metrics": metrics});
        let (header, rows) = query_csv(
            &app,
            &key,
            "/api/v1/query/dmarc",
            &whole,
            group_by.len() % 2 == 0,
        )
        .await;
        let columns: Vec<&str> = group_by.iter().chain(&metrics).copied().collect();
        assert_eq!(header, columns, "{group_by:?}");
        assert_eq!(rows, as_rows(&groups, &group_by, &metrics), "{group_by:?}");
    }
    // With a limit, the CSV is that page.
    let body = json!({"from": FROM, "to": TO, "group_by": ["source_ip"], "limit": 3});
    let (header, rows) = query_csv(&app, &key, "/api/v1/query/dmarc", &body, false).await;
    assert_eq!(header, ["source_ip", "messages"]);
    let page = app.post("/api/v1/query/dmarc", &key, body).await;
    assert_eq!(
        rows,
        as_rows(
            page.body["groups"].as_array().unwrap(),
            &["source_ip"],
            &["messages"]
        )
    );
    assert_eq!(rows.len(), 3);
    // No group: the header alone.
    let body = json!({"from": FROM, "to": TO, "group_by": ["source_ip"],
                      "filters": [{"field": "source_ip", "op": "equals", "value": "203.0.113.254"}]});
    let (header, rows) = query_csv(&app, &key, "/api/v1/query/dmarc", &body, false).await;
    assert_eq!(
        (header, rows.len()),
        (vec!["source_ip".to_string(), "messages".to_string()], 0)
    );
    // An unknown format is a 400 problem.
    let reply = app
        .client
        .post(format!("{}/api/v1/query/dmarc?format=xml", app.address))
        .bearer_auth(&key)
        .json(&json!({"from": FROM, "to": TO}))
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), StatusCode::BAD_REQUEST);
    assert_eq!(reply.headers()["content-type"], "application/problem+json");
}

#[actix_web::test]
async fn totals_equal_by_result_and_sources_equal_by_source_and_by_service() {
    let app = spawn_app().await;
    let key = app.admin_key.clone();
    seed(&app, &key).await;
    let body = json!({"domains": ["example.com"], "from": FROM, "to": TO, "metrics": METRICS});
    let reply = app.post("/api/v1/query/dmarc", &key, body).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    let total = &reply.body["groups"][0]["metrics"];
    let by_result = app
        .get(
            &format!("/api/v1/domains/example.com/dmarc/by-result?from={FROM}&to={TO}"),
            &key,
        )
        .await
        .body;
    assert_eq!(total["messages"], by_result["total_messages"]);
    assert_eq!(total["dmarc_pass"], by_result["dmarc_pass_messages"]);
    assert_eq!(total["dmarc_fail"], by_result["dmarc_fail_messages"]);
    assert_eq!(total["dkim_aligned"], by_result["dkim_aligned"]["pass"]);
    assert_eq!(total["spf_aligned"], by_result["spf_aligned"]["pass"]);
    assert_eq!(
        total["disposition_reject"],
        by_result["disposition"]["reject"]
    );
    assert_eq!(
        total["disposition_quarantine"],
        by_result["disposition"]["quarantine"]
    );

    let by_source = app
        .get(
            &format!("/api/v1/domains/example.com/dmarc/by-source?from={FROM}&to={TO}&limit=1000"),
            &key,
        )
        .await
        .body;
    let (_, groups) = all_pages(
        &app,
        &key,
        "/api/v1/query/dmarc",
        json!({"domains": ["example.com"], "from": FROM, "to": TO, "group_by": ["source_ip"],
               "metrics": ["messages", "dmarc_pass", "dkim_aligned", "spf_aligned"], "limit": 1000}),
    )
    .await;
    let mut expected = Groups::new();
    let mut services: BTreeMap<String, u64> = BTreeMap::new();
    for s in by_source["sources"].as_array().unwrap() {
        expected.insert(
            vec![s["source_ip"].as_str().unwrap().to_string()],
            [
                "messages",
                "dmarc_pass_messages",
                "dkim_aligned_messages",
                "spf_aligned_messages",
            ]
            .iter()
            .map(|m| s[m].as_u64().unwrap())
            .collect(),
        );
        let service = s["service"]["id"].as_str().unwrap_or("").to_string();
        *services.entry(service).or_default() += s["messages"].as_u64().unwrap();
    }
    assert_eq!(
        as_groups(
            &groups,
            &["source_ip"],
            &["messages", "dmarc_pass", "dkim_aligned", "spf_aligned"]
        ),
        expected
    );
    // Sources grouped by service, as by-source names each source.
    let reply = app
        .post(
            "/api/v1/query/dmarc",
            &key,
            json!({"domains": ["example.com"], "from": FROM, "to": TO,
                   "group_by": ["service"], "limit": 1000}),
        )
        .await;
    assert_eq!(reply.body["answered_from"], "rollups");
    let got: BTreeMap<String, u64> = reply.body["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["key"]["service"].as_str().unwrap_or("").to_string(),
                g["metrics"]["messages"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(got, services);
    assert!(got.contains_key("sendgrid"), "{got:?}");
    let categories = app
        .post(
            "/api/v1/query/dmarc",
            &key,
            json!({"domains": ["example.com"], "from": FROM, "to": TO,
                   "group_by": ["service_category"],
                   "filters": [{"field": "service", "op": "equals", "value": "sendgrid"}]}),
        )
        .await;
    assert_eq!(
        categories.body["groups"][0]["metrics"]["messages"],
        services["sendgrid"]
    );
    assert_eq!(
        categories.body["groups"][0]["key"]["service_category"],
        "transactional"
    );
}

#[actix_web::test]
async fn paging_neither_repeats_nor_skips_whatever_the_order() {
    let app = spawn_app().await;
    let key = app.admin_key.clone();
    seed(&app, &key).await;
    for order_by in [
        json!([]),
        json!([{"field": "messages", "direction": "asc"}]),
        json!([{"field": "header_from", "direction": "desc"}, {"field": "dmarc_pass"}]),
        json!([{"field": "source_ip", "direction": "asc"}]),
    ] {
        let query = json!({"from": FROM, "to": TO, "group_by": ["source_ip", "header_from"],
                           "metrics": ["messages", "dmarc_pass"], "order_by": order_by});
        let mut whole = query.clone();
        whole["limit"] = json!(1000);
        let reply = app.post("/api/v1/query/dmarc", &key, whole).await;
        let expected: Vec<Value> = reply.body["groups"].as_array().unwrap().clone();
        assert!(reply.body["next_cursor"].is_null());
        for limit in [1, 2, 5] {
            let mut paged = query.clone();
            paged["limit"] = json!(limit);
            let (first, groups) = all_pages(&app, &key, "/api/v1/query/dmarc", paged).await;
            assert_eq!(groups, expected, "{order_by} limit {limit}");
            assert_eq!(first["total_groups"], expected.len() as u64);
        }
        // The order is the one asked for, ties by the key.
        let keys: HashSet<String> = expected.iter().map(|g| g["key"].to_string()).collect();
        assert_eq!(keys.len(), expected.len());
    }
    // Ascending by messages really is ascending.
    let reply = app
        .post(
            "/api/v1/query/dmarc",
            &key,
            json!({"from": FROM, "to": TO, "group_by": ["source_ip"],
                   "order_by": [{"field": "messages", "direction": "asc"}], "limit": 1000}),
        )
        .await;
    let counts: Vec<u64> = reply.body["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["metrics"]["messages"].as_u64().unwrap())
        .collect();
    assert!(counts.windows(2).all(|w| w[0] <= w[1]), "{counts:?}");
    // A cursor of another query, or none of ours, is a 400.
    let reply = app
        .post(
            "/api/v1/query/dmarc",
            &key,
            json!({"from": FROM, "to": TO, "group_by": ["source_ip"], "limit": 1}),
        )
        .await;
    let cursor = reply.body["next_cursor"].clone();
    assert!(cursor.is_string());
    for (group_by, cursor) in [
        (json!(["source_ip", "month"]), cursor),
        (json!(["source_ip"]), json!("bm90IGEgY3Vyc29y")),
        (json!(["source_ip"]), json!("%%%")),
    ] {
        app.post(
            "/api/v1/query/dmarc",
            &key,
            json!({"from": FROM, "to": TO, "group_by": group_by, "cursor": cursor}),
        )
        .await
        .assert_problem(400, "bad_request");
    }
}

#[actix_web::test]
async fn each_filter_operator_keeps_what_it_says() {
    let app = spawn_app().await;
    let key = app.admin_key.clone();
    let recs = seed(&app, &key).await;
    let (first, last) = (day_of(FROM), day_of(TO));
    type Keep = Box<dyn Fn(&Rec, &BTreeMap<&str, String>) -> bool>;
    let cases: Vec<(Value, Vec<&str>, Keep)> = vec![
        (
            json!({"field": "source_ip", "op": "equals", "value": "192.0.2.77"}),
            vec!["header_from"],
            Box::new(|r, _| r.ip == "192.0.2.77"),
        ),
        (
            json!({"field": "header_from", "op": "not", "value": "example.com"}),
            vec!["source_ip"],
            Box::new(|r, _| r.header_from != "example.com"),
        ),
        (
            json!({"field": "reporter", "op": "in", "values": ["google.com", "yahoo.com"]}),
            vec!["disposition"],
            Box::new(|r, _| r.reporter == "google.com" || r.reporter == "yahoo.com"),
        ),
        (
            json!({"field": "source_ip", "op": "not_in", "values": ["192.0.2.1", "2001:db8:9::1"]}),
            vec!["source_network"],
            Box::new(|r, _| r.ip != "192.0.2.1" && r.ip != "2001:db8:9::1"),
        ),
        (
            json!({"field": "header_from", "op": "prefix", "value": "mail."}),
            vec!["domain"],
            Box::new(|r, _| r.header_from.starts_with("mail.")),
        ),
        (
            json!({"field": "source_ip", "op": "cidr", "value": "198.51.100.0/24"}),
            vec!["source_ip"],
            Box::new(|r, _| r.ip.starts_with("198.51.100.")),
        ),
        (
            json!({"field": "source_network", "op": "cidr", "value": "2001:db8::/32"}),
            vec!["source_network"],
            Box::new(|r, _| r.ip.contains(':')),
        ),
        (
            json!({"field": "dkim_domain", "op": "equals", "value": "sendgrid.net"}),
            vec!["source_ip", "dkim_domain"],
            Box::new(|_, c| c.get("dkim_domain").is_some_and(|d| d == "sendgrid.net")),
        ),
        (
            json!({"field": "policy", "op": "equals", "value": "reject"}),
            vec!["alignment"],
            Box::new(|r, _| r.policy == "reject"),
        ),
    ];
    for (filter, group_by, keep) in cases {
        let body = json!({"from": FROM, "to": TO, "group_by": group_by, "filters": [filter],
                          "metrics": ["messages"], "limit": 1000});
        let reply = app.post("/api/v1/query/dmarc", &key, body).await;
        assert_eq!(reply.status, StatusCode::OK, "{filter}: {:?}", reply.body);
        let expected = project(brute(&recs, first, last, &group_by, &*keep), &["messages"]);
        assert!(!expected.is_empty(), "{filter}");
        let got = as_groups(
            reply.body["groups"].as_array().unwrap(),
            &group_by,
            &["messages"],
        );
        assert_eq!(got, expected, "{filter}");
    }
    // range: a HAVING on the groups' metric.
    let all = project(
        brute(&recs, first, last, &["source_ip"], &|_, _| true),
        &["messages"],
    );
    let mut sizes: Vec<u64> = all.values().map(|v| v[0]).collect();
    sizes.sort();
    let (min, max) = (sizes[1], sizes[sizes.len() - 2]);
    let reply = app
        .post(
            "/api/v1/query/dmarc",
            &key,
            json!({"from": FROM, "to": TO, "group_by": ["source_ip"], "limit": 1000,
                   "filters": [{"field": "messages", "op": "range", "min": min, "max": max}]}),
        )
        .await;
    let expected: Groups = all
        .into_iter()
        .filter(|(_, v)| v[0] >= min && v[0] <= max)
        .collect();
    assert_eq!(reply.body["total_groups"], expected.len() as u64);
    assert_eq!(
        as_groups(
            reply.body["groups"].as_array().unwrap(),
            &["source_ip"],
            &["messages"]
        ),
        expected
    );
}

#[actix_web::test]
async fn queries_over_raw_records_say_so_and_are_bounded() {
    let app = spawn_app().await;
    let key = app.admin_key.clone();
    seed(&app, &key).await;
    let reply = app
        .post(
            "/api/v1/query/dmarc",
            &key,
            json!({"from": FROM, "to": TO, "group_by": ["policy"]}),
        )
        .await;
    assert_eq!(reply.body["answered_from"], "records");
    assert!(reply.body["scanned_rows"].as_u64().unwrap() > 0);
    // Day and week buckets over more than 366 days are refused.
    app.post(
        "/api/v1/query/dmarc",
        &key,
        json!({"from": "2025-01-01", "to": "2026-11-30", "group_by": ["day"]}),
    )
    .await
    .assert_problem(422, "query_too_large");
    // Months over that range are fine.
    let reply = app
        .post(
            "/api/v1/query/dmarc",
            &key,
            json!({"from": "2025-01-01", "to": "2026-11-30", "group_by": ["month"]}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);

    // The storage bounds themselves: too many records, a deadline passed, too many rows.
    use ruad::storage::query::{Bucket, FactQuery, dmarc_record_facts, dmarc_source_facts};
    let db = ruad::storage::Db::connect(&app.database_url, 1).unwrap();
    db.read(|conn| {
        let tenant = ruad::storage::tenants::find_tenant_unscoped(
            conn,
            &ruad::domain::ids::TenantId::from(app.tenant_id.as_str()),
        )?
        .unwrap();
        let scope = tenant.scope();
        let domain = ruad::storage::domains::get_domain_by_name(conn, &scope, "example.com")?;
        let q = |max_records: u64, max_rows: usize, deadline: std::time::Instant| FactQuery {
            domains: vec![domain.id.clone()],
            days: ruad::storage::aggregates::DayRange {
                first: day_of(FROM),
                last: day_of(TO),
            },
            bucket: Bucket::None,
            by_domain: false,
            by: vec![ruad::storage::query::Column::SourceIp],
            conditions: vec![],
            max_rows,
            max_records,
            deadline,
            statement_timeout_ms: 10_000,
        };
        let later = std::time::Instant::now() + std::time::Duration::from_secs(60);
        let refused = dmarc_record_facts(conn, &scope, &q(1, 10, later), &mut |_| {})?;
        assert!(refused.unwrap_err().0.contains("raw records"));
        let past = std::time::Instant::now();
        let refused = dmarc_record_facts(conn, &scope, &q(1_000, 10, past), &mut |_| {})?;
        assert!(refused.unwrap_err().0.contains("longer than allowed"));
        let refused = dmarc_source_facts(conn, &scope, &q(1_000, 1, later))?;
        assert!(refused.unwrap_err().0.contains("more than 1 rows"));
        let (facts, _) = dmarc_source_facts(conn, &scope, &q(1_000, 1_000, later))?.unwrap();
        assert!(facts.len() > 1);
        Ok(())
    })
    .unwrap();
}

#[actix_web::test]
async fn input_outside_the_schema_is_a_400_problem() {
    let app = spawn_app().await;
    let key = app.admin_key.clone();
    seed(&app, &key).await;
    for body in [
        json!({"group_by": ["source_ip"], "unknown": 1}),
        json!({"group_by": ["sender"]}),
        json!({"metrics": ["bytes"]}),
        json!({"group_by": ["day", "domain", "source_ip", "header_from", "reporter"]}),
        json!({"group_by": ["source_ip", "source_ip"]}),
        json!({"limit": 0}),
        json!({"limit": 1001}),
        json!({"from": "2026-11-10", "to": "2026-11-01"}),
        json!({"from": "yesterday"}),
        json!({"filters": [{"field": "header_from", "op": "cidr", "value": "192.0.2.0/24"}]}),
        json!({"filters": [{"field": "source_ip", "op": "cidr", "value": "192.0.2.0/99"}]}),
        json!({"filters": [{"field": "source_ip", "op": "range", "min": 1}]}),
        json!({"filters": [{"field": "messages", "op": "equals", "value": "1"}]}),
        json!({"filters": [{"field": "messages", "op": "range"}]}),
        json!({"filters": [{"field": "messages", "op": "range", "min": 5, "max": 1}]}),
        json!({"filters": [{"field": "day", "op": "equals", "value": "2026-11-01"}]}),
        json!({"filters": [{"field": "source_ip", "op": "equals"}]}),
        json!({"filters": [{"field": "source_ip", "op": "in", "values": []}]}),
        json!({"filters": [{"field": "source_ip", "op": "in", "value": "192.0.2.1"}]}),
        json!({"filters": [{"field": "source_ip", "op": "like", "value": "1"}]}),
        json!({"filters": [{"field": "source_ip", "op": "equals", "value": "1", "extra": 1}]}),
        json!({"order_by": [{"field": "source_ip"}]}),
        json!({"order_by": [{"field": "dmarc_pass"}]}),
    ] {
        let reply = app.post("/api/v1/query/dmarc", &key, body.clone()).await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{body}: {:?}",
            reply.body
        );
        reply.assert_problem(400, "bad_request");
    }
    for body in [
        json!({"group_by": ["result_type"], "metrics": ["successful_sessions"]}),
        json!({"group_by": ["policy_type", "result_type"]}),
        json!({"group_by": ["source_ip"]}),
    ] {
        app.post("/api/v1/query/tls", &key, body)
            .await
            .assert_problem(400, "bad_request");
    }
}

#[actix_web::test]
async fn another_tenants_domain_is_not_found_and_the_default_scope_is_the_callers() {
    let app = spawn_app().await;
    let (_, a_key) = app.child_tenant("a").await;
    let (_, b_key) = app.child_tenant("b").await;
    seed(&app, &a_key).await;
    for path in ["/api/v1/query/dmarc", "/api/v1/query/tls"] {
        app.post(path, &b_key, json!({"domains": ["example.com"]}))
            .await
            .assert_problem(404, "not_found");
        app.post(path, &b_key, json!({"domains": ["no-such.example"]}))
            .await
            .assert_problem(404, "not_found");
        // Without domains: the caller's own (none), never another tenant's.
        let reply = app.post(path, &b_key, json!({})).await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        assert_eq!(reply.body["domains"], json!([]));
        assert_eq!(reply.body["total_groups"], 0);
    }
    // The parent sees its children's domains; a domain may be named by id too.
    let domains = app.get("/api/v1/domains", &a_key).await;
    let id = domains.body["items"][0]["id"].as_str().unwrap().to_string();
    let reply = app
        .post(
            "/api/v1/query/dmarc",
            &app.admin_key,
            json!({"domains": [id], "from": FROM, "to": TO}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    assert_eq!(reply.body["domains"].as_array().unwrap().len(), 1);
    assert!(
        reply.body["groups"][0]["metrics"]["messages"]
            .as_u64()
            .unwrap()
            > 0
    );
}

fn tls_report(
    id: &str,
    org: &str,
    domain: &str,
    day: &str,
    ok: u64,
    failures: &[(&str, &str, &str, u64)],
) -> String {
    let failed: u64 = failures.iter().map(|f| f.3).sum();
    let details: Vec<String> = failures
        .iter()
        .map(|(rt, ip, mx, n)| {
            format!(
                r#"{{"result-type":"{rt}","sending-mta-ip":"{ip}","receiving-mx-hostname":"{mx}","failed-session-count":{n}}}"#
            )
        })
        .collect();
    format!(
        r#"{{"organization-name":"{org}","date-range":{{"start-datetime":"{day}T00:00:00Z","end-datetime":"{day}T23:59:59Z"}},
        "contact-info":"tls@{org}","report-id":"{id}","policies":[{{"policy":{{"policy-type":"sts",
        "policy-string":["version: STSv1","mode: enforce"],"policy-domain":"{domain}","mx-host":["mx.{domain}"]}},
        "summary":{{"total-successful-session-count":{ok},"total-failure-session-count":{failed}}},
        "failure-details":[{}]}}]}}"#,
        details.join(",")
    )
}

#[actix_web::test]
async fn tls_queries_equal_the_tls_aggregates() {
    let app = spawn_app().await;
    let key = app.admin_key.clone();
    app.register_domain("example.com").await;
    for (id, org, day, ok, failures) in [
        (
            "t1",
            "google.com",
            "2026-11-02",
            100,
            vec![("certificate-expired", "192.0.2.1", "mx1.example.com", 3)],
        ),
        (
            "t2",
            "microsoft.com",
            "2026-11-03",
            50,
            vec![
                ("starttls-not-supported", "192.0.2.2", "mx2.example.com", 4),
                ("certificate-expired", "192.0.2.3", "mx1.example.com", 1),
            ],
        ),
        ("t3", "google.com", "2026-11-09", 70, vec![]),
    ] {
        let json = tls_report(id, org, "example.com", day, ok, &failures);
        let reply = app
            .upload(&key, json.into_bytes(), "application/tlsrpt+json")
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    }
    let range = "from=2026-11-01&to=2026-11-30";
    let by_result = app
        .get(
            &format!("/api/v1/domains/example.com/tls/by-result?{range}"),
            &key,
        )
        .await
        .body;
    let body = |v: Value| {
        let mut v = v;
        v["from"] = json!("2026-11-01");
        v["to"] = json!("2026-11-30");
        v
    };
    let reply = app
        .post(
            "/api/v1/query/tls",
            &key,
            body(json!({"metrics": ["successful_sessions", "failed_sessions", "total_sessions"]})),
        )
        .await;
    assert_eq!(reply.body["answered_from"], "rollups");
    let m = &reply.body["groups"][0]["metrics"];
    assert_eq!(m["successful_sessions"], by_result["successful_sessions"]);
    assert_eq!(m["failed_sessions"], by_result["failed_sessions"]);
    assert_eq!(m["total_sessions"], by_result["total_sessions"]);
    assert_eq!(m["successful_sessions"], 220);

    let reply = app
        .post(
            "/api/v1/query/tls",
            &key,
            body(json!({"group_by": ["result_type"]})),
        )
        .await;
    let got: BTreeMap<String, u64> = reply.body["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["key"]["result_type"].as_str().unwrap().to_string(),
                g["metrics"]["failed_sessions"].as_u64().unwrap(),
            )
        })
        .collect();
    let expected: BTreeMap<String, u64> =
        serde_json::from_value(by_result["failed_sessions_by_result_type"].clone()).unwrap();
    assert_eq!(got, expected);

    let reply = app
        .post(
            "/api/v1/query/tls",
            &key,
            body(json!({"group_by": ["receiving_mx_hostname", "week"],
                        "filters": [{"field": "sending_mta_ip", "op": "cidr", "value": "192.0.2.0/30"}]})),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    assert_eq!(reply.body["total_groups"], 2, "{:?}", reply.body);
    let whole = body(json!({"group_by": ["receiving_mx_hostname", "week"],
                            "metrics": ["failed_sessions"],
                            "filters": [{"field": "sending_mta_ip", "op": "cidr", "value": "192.0.2.0/30"}]}));
    let (header, rows) = query_csv(&app, &key, "/api/v1/query/tls", &whole, false).await;
    assert_eq!(header, ["receiving_mx_hostname", "week", "failed_sessions"]);
    assert_eq!(
        rows,
        as_rows(
            reply.body["groups"].as_array().unwrap(),
            &["receiving_mx_hostname", "week"],
            &["failed_sessions"]
        )
    );

    let reply = app
        .post(
            "/api/v1/query/tls",
            &key,
            body(json!({"group_by": ["reporter", "policy_type"],
                        "metrics": ["successful_sessions", "failed_sessions"],
                        "order_by": [{"field": "reporter", "direction": "asc"}]})),
        )
        .await;
    assert_eq!(reply.body["answered_from"], "records");
    assert_eq!(
        reply.body["groups"],
        json!([
            {"key": {"reporter": "google.com", "policy_type": "sts"},
             "metrics": {"successful_sessions": 170, "failed_sessions": 3}},
            {"key": {"reporter": "microsoft.com", "policy_type": "sts"},
             "metrics": {"successful_sessions": 50, "failed_sessions": 5}},
        ])
    );
}
