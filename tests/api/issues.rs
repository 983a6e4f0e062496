//! Issue detection end to end: crafted reports and DNS for example.com, enrichment against a
//! real DNS server, the background evaluation, and the issue lifecycle through the API.

use crate::dns_server;
use crate::helpers::{TestApp, spawn_app, spawn_app_with};
use reqwest::StatusCode;
use ruad::domain::job::JobKind;
use ruad::storage::{Db, jobs};
use serde_json::{Value, json};

const DAY: i64 = 86_400;
const SOA: &str = "@ 3600 IN SOA ns.example.com. admin.example.com. 1 7200 3600 1209600 3600\n@ 3600 IN NS ns.example.com.\n";

/// One record: source, count, aligned DKIM / SPF results, and auth results
/// (`(dkim domain, result)`, `(spf domain, result)`).
pub(crate) struct Row<'a> {
    pub ip: &'a str,
    pub count: u64,
    pub dkim: &'a str,
    pub spf: &'a str,
    pub auth_dkim: Option<(&'a str, &'a str)>,
    pub auth_spf: (&'a str, &'a str),
}

pub(crate) fn report(org: &str, id: &str, begin: i64, rows: &[Row]) -> Vec<u8> {
    let mut records = String::new();
    for r in rows {
        let dkim = r
            .auth_dkim
            .map(|(d, res)| {
                format!(
                    "<dkim><domain>{d}</domain><selector>s1</selector><result>{res}</result></dkim>"
                )
            })
            .unwrap_or_default();
        records.push_str(&format!(
            "<record><row><source_ip>{}</source_ip><count>{}</count><policy_evaluated><disposition>none</disposition>\
             <dkim>{}</dkim><spf>{}</spf></policy_evaluated></row><identifiers><header_from>example.com</header_from></identifiers>\
             <auth_results>{dkim}<spf><domain>{}</domain><result>{}</result></spf></auth_results></record>",
            r.ip, r.count, r.dkim, r.spf, r.auth_spf.0, r.auth_spf.1
        ));
    }
    format!(
        "<?xml version=\"1.0\"?><feedback><report_metadata><org_name>{org}</org_name>\
         <email>dmarc@{org}</email><report_id>{id}</report_id><date_range><begin>{begin}</begin><end>{}</end>\
         </date_range></report_metadata><policy_published><domain>example.com</domain><p>none</p><pct>100</pct></policy_published>{records}</feedback>",
        begin + DAY - 1
    )
    .into_bytes()
}

pub(crate) fn tls_report(id: &str, begin: i64, failed: u64) -> Vec<u8> {
    let start = chrono::DateTime::from_timestamp(begin, 0).unwrap();
    let end = chrono::DateTime::from_timestamp(begin + DAY - 1, 0).unwrap();
    json!({
        "organization-name": "Google Inc.",
        "date-range": {"start-datetime": start.to_rfc3339(), "end-datetime": end.to_rfc3339()},
        "contact-info": "smtp-tls-reporting@google.com",
        "report-id": id,
        "policies": [{
            "policy": {"policy-type": "sts", "policy-string": ["version: STSv1", "mode: enforce", "mx: mx1.example.com", "max_age: 86400"],
                       "policy-domain": "example.com", "mx-host": ["mx1.example.com"]},
            "summary": {"total-successful-session-count": 500, "total-failure-session-count": failed},
            "failure-details": [{"result-type": "certificate-expired", "sending-mta-ip": "209.85.220.69",
                                 "receiving-mx-hostname": "mx1.example.com", "failed-session-count": failed}]
        }]
    })
    .to_string()
    .into_bytes()
}

pub(crate) async fn wait_for_jobs(app: &TestApp) {
    let db = Db::connect(&app.database_url, 1).unwrap();
    for _ in 0..300 {
        let pending: i64 = [JobKind::EnrichSources, JobKind::EvaluateIssues]
            .into_iter()
            .map(|k| db.read(|c| jobs::count_pending(c, k)).unwrap())
            .sum();
        if pending == 0 {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("background jobs did not finish");
}

fn summary(issues: &Value) -> Vec<(String, String, String)> {
    let mut v: Vec<(String, String, String)> = issues
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["code"].as_str().unwrap().to_string(),
                i["subject"].as_str().unwrap().to_string(),
                i["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    v.sort();
    v
}

fn expected(list: &[(&str, &str, &str)]) -> Vec<(String, String, String)> {
    let mut v: Vec<(String, String, String)> = list
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect();
    v.sort();
    v
}

#[actix_web::test]
async fn crafted_reports_yield_the_issues_an_expert_expects_and_they_follow_their_lifecycle() {
    let dns = dns_server::start(&[
        (
            "2.0.192.in-addr.arpa.",
            &format!(
                "{SOA}10 IN PTR o1.ptr2345.sendgrid.net.\n11 IN PTR mail.example.com.\n20 IN PTR out.example.com.\n"
            ),
        ),
        (
            "sendgrid.net.",
            &format!("{SOA}o1.ptr2345 IN A 192.0.2.10\n"),
        ),
        (
            "example.com.",
            &format!(
                "{SOA}out IN A 192.0.2.20\nmail IN A 198.51.100.99\n_dmarc IN TXT \"v=DMARC1; p=none\"\n@ IN TXT \"v=spf1 ip4:192.0.2.20 -all\"\n@ IN MX 10 mx1.example.com.\n"
            ),
        ),
    ]);
    let ns = dns.addr.to_string();
    let app = spawn_app_with(move |s| {
        s.dns_nameservers = ns;
        crate::webhooks::fast(s);
    })
    .await;
    // The first delivery fails: issue events are retried like any other.
    let receiver = crate::webhooks::Receiver::start(1);
    let hook = crate::webhooks::create_webhook(
        &app,
        &app.admin_key,
        &receiver.url(),
        &["issue.opened", "issue.resolved"],
    )
    .await;
    let secret = hook["secret"].as_str().unwrap().to_string();
    app.register_domain("example.com").await;
    let checks = app
        .post(
            "/api/v1/domains/example.com/dns-checks",
            &app.admin_key,
            json!({}),
        )
        .await;
    assert_eq!(checks.status, StatusCode::CREATED, "{:?}", checks.body);

    // Written down before the rules: what a DMARC expert concludes from the data below.
    let want = expected(&[
        // SendGrid (confirmed PTR) signs with d=sendgrid.net and bounces to its own domain.
        ("service_failing_dmarc", "sendgrid", "high"),
        // 192.0.2.11 claims mail.example.com by PTR, which does not resolve back to it; its
        // mail fails and the policy is p=none.
        ("spoofing_suspected", "", "high"),
        // Mail.Ru reported daily until ten days ago; Google still reports.
        ("reports_stopped", "Mail.Ru", "medium"),
        // The DMARC record has no rua=.
        ("dmarc_no_rua", "", "medium"),
        // Google's TLS report: the certificate of mx1 expired.
        ("tls_certificate_expired", "mx1.example.com", "critical"),
        // No TLS-RPT record (and no MTA-STS): nobody reports TLS failures to this domain.
        ("tlsrpt_missing", "", "low"),
    ]);

    let today = chrono::Utc::now().timestamp().div_euclid(DAY) * DAY;
    for d in 1..=5 {
        let rows = [
            Row {
                ip: "192.0.2.10",
                count: 40,
                dkim: "fail",
                spf: "fail",
                auth_dkim: Some(("sendgrid.net", "pass")),
                auth_spf: ("em1234.sendgrid.net", "pass"),
            },
            Row {
                ip: "192.0.2.11",
                count: 20,
                dkim: "fail",
                spf: "fail",
                auth_dkim: None,
                auth_spf: ("example.com", "fail"),
            },
            Row {
                ip: "192.0.2.20",
                count: 300,
                dkim: "pass",
                spf: "pass",
                auth_dkim: Some(("example.com", "pass")),
                auth_spf: ("example.com", "pass"),
            },
        ];
        let up = app
            .upload(
                &app.admin_key,
                report("google.com", &format!("g{d}"), today - d * DAY, &rows),
                "application/xml",
            )
            .await;
        assert_eq!(up.status, StatusCode::CREATED, "{:?}", up.body);
    }
    for d in 10..=14 {
        let rows = [Row {
            ip: "192.0.2.20",
            count: 50,
            dkim: "pass",
            spf: "pass",
            auth_dkim: Some(("example.com", "pass")),
            auth_spf: ("example.com", "pass"),
        }];
        let up = app
            .upload(
                &app.admin_key,
                report("Mail.Ru", &format!("m{d}"), today - d * DAY, &rows),
                "application/xml",
            )
            .await;
        assert_eq!(up.status, StatusCode::CREATED, "{:?}", up.body);
    }
    let tls = app
        .upload(
            &app.admin_key,
            tls_report("t1", today - DAY, 7),
            "application/json",
        )
        .await;
    assert_eq!(tls.status, StatusCode::CREATED, "{:?}", tls.body);
    let tls_id = tls.body["reports"][0]["id"].as_str().unwrap().to_string();

    // Enrichment names the sources, then the domain is evaluated, all in the background.
    wait_for_jobs(&app).await;
    let listed = app
        .get("/api/v1/domains/example.com/issues", &app.admin_key)
        .await;
    assert_eq!(listed.status, StatusCode::OK, "{:?}", listed.body);
    assert_eq!(summary(&listed.body["items"]), want);
    // Most severe first.
    assert_eq!(listed.body["items"][0]["code"], "tls_certificate_expired");
    let sendgrid = listed.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == "service_failing_dmarc")
        .unwrap()
        .clone();
    assert_eq!(sendgrid["status"], "open");
    assert_eq!(sendgrid["domain"], "example.com");
    assert_eq!(sendgrid["evidence"]["dmarc_fail_messages"], 200);
    assert_eq!(
        sendgrid["evidence"]["sources"][0]["confirmed_name"],
        "o1.ptr2345.sendgrid.net"
    );
    assert!(
        sendgrid["explanation"]
            .as_str()
            .unwrap()
            .contains("d=sendgrid.net")
    );
    let spoofing = listed.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == "spoofing_suspected")
        .unwrap()
        .clone();
    assert_eq!(spoofing["evidence"]["sources"][0]["ip"], "192.0.2.11");
    assert_eq!(
        spoofing["evidence"]["sources"][0]["confirmed_name"],
        Value::Null
    );
    assert_eq!(
        spoofing["evidence"]["sources"][0]["unconfirmed_ptr_names"][0],
        "mail.example.com"
    );
    assert_eq!(spoofing["record"]["name"], "_dmarc.example.com");
    assert_eq!(spoofing["record"]["value"], "v=DMARC1; p=quarantine");
    let no_rua = listed.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == "dmarc_no_rua")
        .unwrap()
        .clone();
    assert_eq!(
        no_rua["record"]["value"],
        "v=DMARC1; p=none; rua=mailto:dmarc-reports@example.com"
    );

    // The same issues across the tenant, filtered by severity.
    let high = app
        .get("/api/v1/issues?severity=critical,high", &app.admin_key)
        .await;
    assert_eq!(high.status, StatusCode::OK);
    assert_eq!(high.body["items"].as_array().unwrap().len(), 3);

    // Each opened issue reached the webhook, signed, the first after a failed attempt.
    let got = receiver.wait_for(want.len() + 1).await;
    let mut announced: Vec<(String, String, String)> = got
        .iter()
        .skip(1)
        .map(|r| {
            assert!(crate::webhooks::verifies(r, &secret), "bad signature");
            assert_eq!(r.header("ruad-event"), "issue.opened");
            let body = r.json();
            assert_eq!(body["type"], "issue.opened");
            assert_eq!(body["data"]["domain"], "example.com");
            (
                body["data"]["code"].as_str().unwrap().to_string(),
                body["data"]["subject"].as_str().unwrap().to_string(),
                body["data"]["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    announced.sort();
    assert_eq!(announced, want);
    let first_id = got[0].json()["id"].clone();
    assert!(
        got[1..].iter().any(|r| r.json()["id"] == first_id),
        "the failed delivery was retried"
    );

    // Acknowledge: stays acknowledged through the next evaluation.
    let spoof_id = spoofing["id"].as_str().unwrap();
    let ack = app
        .send(
            reqwest::Method::PATCH,
            &format!("/api/v1/issues/{spoof_id}"),
            Some(&app.admin_key),
            Some(json!({"status": "acknowledged"})),
        )
        .await;
    assert_eq!(ack.status, StatusCode::OK, "{:?}", ack.body);
    assert_eq!(ack.body["status"], "acknowledged");
    assert!(ack.body["acknowledged_at"].is_i64());
    let again = app
        .post(
            "/api/v1/domains/example.com/issues/evaluate",
            &app.admin_key,
            json!({}),
        )
        .await;
    assert_eq!(again.status, StatusCode::OK, "{:?}", again.body);
    assert_eq!(again.body["opened"], 0);
    assert_eq!(again.body["resolved"], 0);
    assert_eq!(summary(&again.body["issues"]), want);
    let spoof_now = app
        .get(&format!("/api/v1/issues/{spoof_id}"), &app.admin_key)
        .await;
    assert_eq!(spoof_now.body["status"], "acknowledged");

    // The condition clears (the TLS report is deleted): resolved, and listed as history.
    let deleted = app
        .send(
            reqwest::Method::DELETE,
            &format!("/api/v1/reports/{tls_id}"),
            Some(&app.admin_key),
            None,
        )
        .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT, "{:?}", deleted.body);
    let cleared = app
        .post(
            "/api/v1/domains/example.com/issues/evaluate",
            &app.admin_key,
            json!({}),
        )
        .await;
    assert_eq!(cleared.body["resolved"], 1, "{:?}", cleared.body);
    let resolved = app
        .get(
            "/api/v1/domains/example.com/issues?status=resolved",
            &app.admin_key,
        )
        .await;
    assert_eq!(
        summary(&resolved.body["items"]),
        expected(&[("tls_certificate_expired", "mx1.example.com", "critical")])
    );
    let resolved_id = resolved.body["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(resolved.body["items"][0]["resolved_at"].is_i64());
    // Clients cannot resolve or touch a resolved issue.
    let refused = app
        .send(
            reqwest::Method::PATCH,
            &format!("/api/v1/issues/{resolved_id}"),
            Some(&app.admin_key),
            Some(json!({"status": "acknowledged"})),
        )
        .await;
    refused.assert_problem(409, "conflict");
    let refused = app
        .send(
            reqwest::Method::PATCH,
            &format!("/api/v1/issues/{spoof_id}"),
            Some(&app.admin_key),
            Some(json!({"status": "resolved"})),
        )
        .await;
    refused.assert_problem(422, "validation_failed");

    // The condition returns: the same issue opens again.
    let back = app
        .upload(
            &app.admin_key,
            tls_report("t1", today - DAY, 7),
            "application/json",
        )
        .await;
    assert_eq!(back.status, StatusCode::CREATED, "{:?}", back.body);
    wait_for_jobs(&app).await;
    let reopened = app
        .get(&format!("/api/v1/issues/{resolved_id}"), &app.admin_key)
        .await;
    assert_eq!(reopened.body["status"], "open", "{:?}", reopened.body);
    assert_eq!(reopened.body["resolved_at"], Value::Null);
}

#[actix_web::test]
async fn issue_listing_pages_and_rejects_bad_filters() {
    let app = spawn_app().await;
    for name in ["a.example", "b.example", "c.example"] {
        app.register_domain(name).await;
        // Reports stopped long ago for each: one issue per domain.
        let xml = format!(
            "<feedback><report_metadata><org_name>google.com</org_name><report_id>{name}</report_id>\
             <date_range><begin>1700000000</begin><end>1700086399</end></date_range></report_metadata>\
             <policy_published><domain>{name}</domain><p>reject</p></policy_published>\
             <record><row><source_ip>192.0.2.1</source_ip><count>1</count><policy_evaluated><disposition>none</disposition>\
             <dkim>pass</dkim><spf>pass</spf></policy_evaluated></row><identifiers><header_from>{name}</header_from></identifiers>\
             <auth_results><spf><domain>{name}</domain><result>pass</result></spf></auth_results></record></feedback>"
        );
        let up = app
            .upload(&app.admin_key, xml.into_bytes(), "application/xml")
            .await;
        assert_eq!(up.status, StatusCode::CREATED, "{:?}", up.body);
        let ev = app
            .post(
                &format!("/api/v1/domains/{name}/issues/evaluate"),
                &app.admin_key,
                json!({}),
            )
            .await;
        assert_eq!(ev.status, StatusCode::OK, "{:?}", ev.body);
    }
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/issues?limit=2&cursor={c}"),
            None => "/api/v1/issues?limit=2".into(),
        };
        let page = app.get(&path, &app.admin_key).await;
        assert_eq!(page.status, StatusCode::OK, "{:?}", page.body);
        for i in page.body["items"].as_array().unwrap() {
            seen.push(i["domain"].as_str().unwrap().to_string());
        }
        match page.body["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    seen.sort();
    assert_eq!(seen, vec!["a.example", "b.example", "c.example"]);
    let one = app
        .get(
            "/api/v1/issues?domain=b.example&code=no_recent_reports",
            &app.admin_key,
        )
        .await;
    assert_eq!(one.body["items"].as_array().unwrap().len(), 1);
    for bad in [
        "/api/v1/issues?severity=urgent",
        "/api/v1/issues?status=closed",
        "/api/v1/issues?limit=0",
        "/api/v1/issues?cursor=nope",
        "/api/v1/issues?code=not_a_code",
    ] {
        let reply = app.get(bad, &app.admin_key).await;
        reply.assert_problem(400, "bad_request");
    }
    let unknown = app
        .get("/api/v1/issues?domain=z.example", &app.admin_key)
        .await;
    unknown.assert_problem(404, "not_found");
    let missing = app
        .get(
            "/api/v1/issues/00000000-0000-0000-0000-000000000000",
            &app.admin_key,
        )
        .await;
    missing.assert_problem(404, "not_found");
}

#[actix_web::test]
async fn readers_can_list_but_not_acknowledge_or_evaluate() {
    let app = spawn_app().await;
    app.register_domain("a.example").await;
    let key = app
        .post(
            &format!("/api/v1/tenants/{}/api-keys", app.tenant_id),
            &app.admin_key,
            json!({"name": "ro", "role": "reader"}),
        )
        .await;
    let reader = key.body["key"].as_str().unwrap().to_string();
    let list = app.get("/api/v1/domains/a.example/issues", &reader).await;
    assert_eq!(list.status, StatusCode::OK);
    let ev = app
        .post(
            "/api/v1/domains/a.example/issues/evaluate",
            &reader,
            json!({}),
        )
        .await;
    ev.assert_problem(403, "forbidden");
}

#[actix_web::test]
async fn registered_domains_are_rechecked_in_the_background_and_unchanged_checks_add_no_rows() {
    let dns = dns_server::start(&[(
        "example.com.",
        &format!("{SOA}_dmarc IN TXT \"v=DMARC1; p=none\"\n@ IN TXT \"v=spf1 -all\"\n"),
    )]);
    let ns = dns.addr.to_string();
    let app = spawn_app_with(move |s| {
        s.dns_nameservers = ns;
        s.dns_recheck_hours = 1;
    })
    .await;
    app.register_domain("example.com").await;
    // Nobody asks: the worker finds the new domain, checks its DNS and evaluates it.
    let mut codes = Vec::new();
    for _ in 0..300 {
        let listed = app
            .get("/api/v1/domains/example.com/issues", &app.admin_key)
            .await;
        codes = listed.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["code"].as_str().unwrap().to_string())
            .collect();
        if !codes.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    codes.sort();
    // No rua= in the DMARC record, and no TLS-RPT record.
    assert_eq!(codes, vec!["dmarc_no_rua", "tlsrpt_missing"]);
    let db = Db::connect(&app.database_url, 1).unwrap();
    // The next re-check is queued an hour out.
    assert_eq!(
        db.read(|c| jobs::count_pending(c, JobKind::CheckDns))
            .unwrap(),
        1
    );

    // Re-checking with nothing changed moves the snapshots' time instead of adding rows.
    let settings = ruad::app::settings::Settings {
        dns_nameservers: dns.addr.to_string(),
        ..Default::default()
    };
    let checker = settings.checker().unwrap();
    let domain = db
        .read(|c| {
            let ids = ruad::storage::domains::list_all_domain_ids(c)?;
            ruad::storage::domains::find_domain_by_id(c, &ids[0])
        })
        .unwrap()
        .unwrap();
    async fn history(app: &TestApp) -> usize {
        let reply = app
            .get(
                "/api/v1/domains/example.com/dns-checks/history?kind=dmarc",
                &app.admin_key,
            )
            .await;
        reply.body["items"].as_array().unwrap().len()
    }
    assert_eq!(history(&app).await, 1);
    let selectors = ruad::services::dns_checks::Selectors::default();
    let rows = ruad::services::dns_checks::run_and_store(
        &db,
        &checker,
        &domain,
        &selectors,
        2_000_000_000,
        true,
    )
    .await
    .unwrap();
    assert!(rows.iter().all(|r| r.checked_at == 2_000_000_000));
    assert_eq!(history(&app).await, 1, "an unchanged check added a row");
    // Asked for explicitly, a run is always kept.
    let run = app
        .post(
            "/api/v1/domains/example.com/dns-checks",
            &app.admin_key,
            json!({}),
        )
        .await;
    assert_eq!(run.status, StatusCode::CREATED);
    assert_eq!(history(&app).await, 2);
}

/// The codes of a domain's issues, sorted.
async fn issue_codes(app: &TestApp, domain: &str) -> Vec<String> {
    let listed = app
        .get(&format!("/api/v1/domains/{domain}/issues"), &app.admin_key)
        .await;
    assert_eq!(listed.status, StatusCode::OK, "{:?}", listed.body);
    let mut codes: Vec<String> = listed.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["code"].as_str().unwrap().to_string())
        .collect();
    codes.sort();
    codes
}

/// Reverse DNS that cannot be looked up (the resolver is a closed port) neither silences the
/// spoofing alert for good nor raises it at once: within the grace period the source is not
/// looked up yet; once its lookups have failed for longer, it counts as unidentified and the
/// evidence says why.
#[actix_web::test]
async fn a_source_whose_lookups_keep_failing_counts_as_unidentified_after_the_grace_period() {
    // The default test resolver is a closed local port: every lookup fails.
    let app = spawn_app().await;
    app.register_domain("example.com").await;
    let today = chrono::Utc::now().timestamp().div_euclid(DAY) * DAY;
    let rows = [Row {
        ip: "192.0.2.66",
        count: 35_000,
        dkim: "fail",
        spf: "fail",
        auth_dkim: None,
        auth_spf: ("example.com", "fail"),
    }];
    let up = app
        .upload(
            &app.admin_key,
            report("google.com", "servfail-1", today - DAY, &rows),
            "application/xml",
        )
        .await;
    assert_eq!(up.status, StatusCode::CREATED, "{:?}", up.body);
    wait_for_jobs(&app).await;
    let db = Db::connect(&app.database_url, 1).unwrap();
    let names = db
        .read(|c| ruad::storage::source_names::find_many(c, &["192.0.2.66".to_string()]))
        .unwrap();
    assert_eq!(names.len(), 1, "the source was looked up");
    assert!(names[0].lookup_error.is_some(), "{names:?}");

    // Just failed: not called spoofing yet.
    let codes = issue_codes(&app, "example.com").await;
    assert!(
        !codes.contains(&"spoofing_suspected".to_string()),
        "{codes:?}"
    );

    // 26 hours of failures later (the stored start of the failures moved back)...
    let since = chrono::Utc::now().timestamp() - 26 * 3600;
    db.write(|c| {
        use diesel::RunQueryDsl;
        diesel::sql_query(format!(
            "UPDATE source_names SET failing_since = {since} WHERE ip = '192.0.2.66'"
        ))
        .execute(c)?;
        Ok(())
    })
    .unwrap();
    let evaluated = app
        .post(
            "/api/v1/domains/example.com/issues/evaluate",
            &app.admin_key,
            json!({}),
        )
        .await;
    assert_eq!(evaluated.status, StatusCode::OK, "{:?}", evaluated.body);
    let spoofing = evaluated.body["issues"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == "spoofing_suspected")
        .unwrap_or_else(|| panic!("no spoofing issue: {:?}", evaluated.body))
        .clone();
    assert_eq!(spoofing["severity"], "high");
    let source = &spoofing["evidence"]["sources"][0];
    assert_eq!(source["ip"], "192.0.2.66");
    assert_eq!(source["failing_messages"], 35_000);
    assert_eq!(source["reverse_dns"], "lookup_failed");
    let why = source["why_unidentified"].as_str().unwrap();
    assert!(
        why.starts_with("reverse DNS could not be looked up for 26 h (lookup_failed"),
        "{why}"
    );
    assert!(why.ends_with("treated as unidentified"), "{why}");
    assert_eq!(
        spoofing["evidence"]["sources_unidentified_after_lookup_failures"],
        1
    );
    assert!(
        spoofing["explanation"]
            .as_str()
            .unwrap()
            .contains("could not be looked up in reverse DNS"),
        "{}",
        spoofing["explanation"]
    );
}

/// Rules that never fired before, through real DNS checks: the domain receives mail (an MX),
/// publishes MTA-STS (whose policy cannot be fetched here), no TLS-RPT record and a DKIM key
/// that is not a key; and once it has been registered for days, no DMARC report arrived.
#[actix_web::test]
async fn dns_checks_and_a_silent_domain_open_the_rules_that_never_fired() {
    let dns = dns_server::start(&[(
        "example.com.",
        &format!(
            "{SOA}_dmarc IN TXT \"v=DMARC1; p=reject; rua=mailto:d@example.com\"\n@ IN TXT \"v=spf1 -all\"\n@ IN MX 10 mx1.example.com.\n_mta-sts IN TXT \"v=STSv1; id=20261203\"\ns1._domainkey IN TXT \"v=DKIM1; k=rsa; p=AAAA\"\n"
        ),
    )]);
    let ns = dns.addr.to_string();
    let app = spawn_app_with(move |s| s.dns_nameservers = ns).await;
    app.register_domain("example.com").await;
    let checks = app
        .post(
            "/api/v1/domains/example.com/dns-checks",
            &app.admin_key,
            json!({"dkim_selectors": ["s1"]}),
        )
        .await;
    assert_eq!(checks.status, StatusCode::CREATED, "{:?}", checks.body);
    let evaluated = app
        .post(
            "/api/v1/domains/example.com/issues/evaluate",
            &app.admin_key,
            json!({}),
        )
        .await;
    assert_eq!(evaluated.status, StatusCode::OK, "{:?}", evaluated.body);
    let issues = evaluated.body["issues"].as_array().unwrap().clone();
    let find = |code: &str| {
        issues
            .iter()
            .find(|i| i["code"] == code)
            .unwrap_or_else(|| panic!("no {code}: {issues:?}"))
            .clone()
    };
    let tlsrpt = find("tlsrpt_missing");
    // MTA-STS is published: without TLS reports its failures go unheard.
    assert_eq!(tlsrpt["severity"], "medium");
    assert_eq!(tlsrpt["record"]["name"], "_smtp._tls.example.com");
    assert_eq!(
        tlsrpt["evidence"]["findings"][0]["code"],
        "tlsrpt_no_record"
    );
    // The policy file could not be fetched (mta-sts.example.com has no address): said so.
    let sts = find("mta_sts_policy_unavailable");
    assert_eq!(
        sts["evidence"]["policy_url"],
        "https://mta-sts.example.com/.well-known/mta-sts.txt"
    );
    assert!(
        sts["explanation"]
            .as_str()
            .unwrap()
            .contains("https://mta-sts.example.com/.well-known/mta-sts.txt"),
        "{sts}"
    );
    let dkim = find("dkim_key_invalid");
    assert_eq!(dkim["subject"], "s1");
    assert_eq!(dkim["evidence"]["findings"][0]["code"], "dkim_invalid_key");
    assert_eq!(
        issue_codes(&app, "example.com").await,
        vec![
            "dkim_key_invalid",
            "mta_sts_policy_unavailable",
            "tlsrpt_missing"
        ]
    );

    // Five days after registration, still no DMARC report: the rua= does not reach ruad.
    let db = Db::connect(&app.database_url, 1).unwrap();
    let registered = chrono::Utc::now().timestamp() - 5 * DAY;
    db.write(|c| {
        use diesel::RunQueryDsl;
        diesel::sql_query(format!(
            "UPDATE domains SET created_at = {registered} WHERE name = 'example.com'"
        ))
        .execute(c)?;
        Ok(())
    })
    .unwrap();
    let evaluated = app
        .post(
            "/api/v1/domains/example.com/issues/evaluate",
            &app.admin_key,
            json!({}),
        )
        .await;
    assert_eq!(evaluated.status, StatusCode::OK, "{:?}", evaluated.body);
    assert_eq!(evaluated.body["opened"], 1, "{:?}", evaluated.body);
    let silent = evaluated.body["issues"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == "dmarc_reports_not_received")
        .unwrap_or_else(|| panic!("no dmarc_reports_not_received: {:?}", evaluated.body))
        .clone();
    assert_eq!(silent["severity"], "high");
    assert_eq!(silent["evidence"]["rua"], "mailto:d@example.com");
    assert!(
        silent["explanation"]
            .as_str()
            .unwrap()
            .contains("rua=mailto:d@example.com"),
        "{silent}"
    );
}
