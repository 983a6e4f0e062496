//! Retention: settings inherited down the tenant tree, field by field; the sweep deleting
//! raw data (records, uploads) while the aggregates stay, then whole reports and rollups by
//! calendar month; the guards that keep the per-source sums exact; the metrics; a domain
//! deletion cut short, invisible meanwhile and finished by the sweep.

use crate::helpers::{TestApp, spawn_app, spawn_app_with};
use crate::reports::report_xml;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::Duration;

const DAY: i64 = 86_400;

async fn put(app: &TestApp, tenant: &str, key: &str, body: Value) -> crate::helpers::Reply {
    app.send(
        reqwest::Method::PUT,
        &format!("/api/v1/tenants/{tenant}/retention"),
        Some(key),
        Some(body),
    )
    .await
}

#[actix_web::test]
async fn settings_are_inherited_field_by_field_and_checked() {
    let app = spawn_app().await;
    let root = app.tenant_id.clone();
    let (child, child_key) = app.child_tenant("customer").await;
    let none = app
        .get(
            &format!("/api/v1/tenants/{child}/retention"),
            &app.admin_key,
        )
        .await;
    assert_eq!(none.status, StatusCode::OK);
    assert!(none.body["records"].is_null() && none.body["rollups"].is_null());

    let r = put(
        &app,
        &root,
        &app.admin_key,
        json!({"records_days": 90, "rollups_days": 730}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let r = put(&app, &child, &app.admin_key, json!({"records_days": 30})).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(
        r.body["records"],
        json!({"days": 30, "inherited_from": child})
    );
    assert_eq!(
        r.body["rollups"],
        json!({"days": 730, "inherited_from": root})
    );
    assert_eq!(r.body["own_records_days"], 30);
    assert!(r.body["own_rollups_days"].is_null());

    // Rollups may not be kept for less time than records, here or below.
    put(&app, &child, &app.admin_key, json!({"records_days": 800}))
        .await
        .assert_problem(422, "validation_failed");
    put(
        &app,
        &root,
        &app.admin_key,
        json!({"records_days": 90, "rollups_days": 20}),
    )
    .await
    .assert_problem(422, "validation_failed");
    put(&app, &root, &app.admin_key, json!({"records_days": 0}))
        .await
        .assert_problem(422, "validation_failed");
    put(&app, &root, &app.admin_key, json!({"records": 5}))
        .await
        .assert_problem(400, "bad_request");
    // Admins only, and only within the caller's scope.
    let (_, reader) = {
        let r = app
            .post(
                &format!("/api/v1/tenants/{child}/api-keys"),
                &app.admin_key,
                json!({"name": "reader", "role": "reader"}),
            )
            .await;
        (
            r.body["id"].clone(),
            r.body["key"].as_str().unwrap().to_string(),
        )
    };
    put(&app, &child, &reader, json!({"records_days": 10}))
        .await
        .assert_problem(403, "forbidden");
    put(&app, &root, &child_key, json!({"records_days": 10}))
        .await
        .assert_problem(404, "not_found");

    // Removing the child's own setting: it inherits the root's again.
    let gone = app
        .send(
            reqwest::Method::DELETE,
            &format!("/api/v1/tenants/{child}/retention"),
            Some(&app.admin_key),
            None,
        )
        .await;
    assert_eq!(gone.status, StatusCode::NO_CONTENT);
    let r = app
        .get(
            &format!("/api/v1/tenants/{child}/retention"),
            &app.admin_key,
        )
        .await;
    assert_eq!(
        r.body["records"],
        json!({"days": 90, "inherited_from": root})
    );
}

async fn upload(app: &TestApp, xml: String) -> Value {
    let reply = app
        .upload(&app.admin_key, xml.into_bytes(), "application/xml")
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    reply.body["reports"][0].clone()
}

async fn json_at(app: &TestApp, path: &str) -> Value {
    let r = app.get(path, &app.admin_key).await;
    assert_eq!(r.status, StatusCode::OK, "{path}: {:?}", r.body);
    r.body
}

async fn metric(app: &TestApp, what: &str) -> u64 {
    let text = app
        .client
        .get(format!("{}/metrics", app.address))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let prefix = format!("ruad_retention_deleted_total{{what=\"{what}\"}} ");
    text.lines()
        .find_map(|l| l.strip_prefix(&prefix))
        .map_or(0, |n| n.parse().unwrap())
}

/// A by-source answer without what enrichment adds meanwhile.
fn counts(mut by_source: Value) -> Value {
    for s in by_source["sources"].as_array_mut().unwrap() {
        s.as_object_mut().unwrap().remove("reverse_dns");
    }
    by_source
}

/// Waits until `done` holds for the answer of `path` (the sweep runs every second).
async fn wait_for(app: &TestApp, path: &str, done: impl Fn(&crate::helpers::Reply) -> bool) {
    for _ in 0..120 {
        let r = app.get(path, &app.admin_key).await;
        if done(&r) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    panic!("the sweep did not get to {path}");
}

#[actix_web::test]
async fn the_sweep_deletes_raw_data_then_rollups_and_keeps_the_aggregates_exact() {
    let app = spawn_app_with(|s| s.retention_sweep_seconds = 1).await;
    app.register_domain("example.com").await;
    let today = chrono::Utc::now().timestamp().div_euclid(DAY);
    // Two old reports (1970) and a recent one (yesterday).
    let old = upload(
        &app,
        report_xml(
            "old-1",
            0,
            DAY - 1,
            &[
                ("192.0.2.1", 40, "none", "pass", "fail"),
                ("192.0.2.2", 2, "reject", "fail", "fail"),
            ],
        ),
    )
    .await;
    let old2 = upload(
        &app,
        report_xml(
            "old-2",
            DAY,
            2 * DAY - 1,
            &[("192.0.2.1", 7, "none", "pass", "pass")],
        ),
    )
    .await;
    let recent_begin = (today - 1) * DAY;
    let recent = upload(
        &app,
        report_xml(
            "recent",
            recent_begin,
            recent_begin + DAY - 1,
            &[("198.51.100.1", 5, "none", "pass", "pass")],
        ),
    )
    .await;
    let old_range = "from=1970-01-01&to=1970-01-02";
    let before_result = json_at(
        &app,
        &format!("/api/v1/domains/example.com/dmarc/by-result?{old_range}"),
    )
    .await;
    let before_sources = counts(
        json_at(
            &app,
            &format!("/api/v1/domains/example.com/dmarc/by-source?{old_range}"),
        )
        .await,
    );
    assert_eq!(before_result["total_messages"], 49);

    // Records kept 30 days: the old reports lose their records and uploads; the aggregates
    // stay as they were.
    let root = app.tenant_id.clone();
    let r = put(&app, &root, &app.admin_key, json!({"records_days": 30})).await;
    assert_eq!(r.status, StatusCode::OK);
    let old_id = old["id"].as_str().unwrap();
    wait_for(
        &app,
        &format!("/api/v1/reports/{}", old2["id"].as_str().unwrap()),
        |r| !r.body["records_expired_at"].is_null(),
    )
    .await;
    let summary = json_at(&app, &format!("/api/v1/reports/{old_id}")).await;
    assert!(summary["records_expired_at"].is_i64(), "{summary}");
    assert_eq!(summary["report"]["records"], json!([]));
    app.get(&format!("/api/v1/reports/{old_id}/raw"), &app.admin_key)
        .await
        .assert_problem(410, "expired");
    app.get(&format!("/api/v1/reports/{old_id}/records"), &app.admin_key)
        .await
        .assert_problem(410, "expired");
    let listed = json_at(
        &app,
        &format!("/api/v1/domains/example.com/records?{old_range}"),
    )
    .await;
    assert_eq!(listed["total_records"], 0);
    assert_eq!(
        json_at(
            &app,
            &format!("/api/v1/domains/example.com/dmarc/by-result?{old_range}")
        )
        .await,
        before_result
    );
    assert_eq!(
        counts(
            json_at(
                &app,
                &format!("/api/v1/domains/example.com/dmarc/by-source?{old_range}")
            )
            .await
        ),
        before_sources
    );
    // The recent report is untouched.
    let fresh = json_at(
        &app,
        &format!("/api/v1/reports/{}/records", recent["id"].as_str().unwrap()),
    )
    .await;
    assert_eq!(fresh["total_records"], 1);
    assert_eq!(fresh["items"].as_array().unwrap().len(), 1);
    assert!(metric(&app, "records").await >= 3);
    assert!(metric(&app, "report_records").await >= 2);
    assert!(metric(&app, "upload_bytes").await >= 2);

    // A flexible query that needs the raw records of the range says so rather than count
    // less than the rollups; one the rollups answer still counts everything.
    let raw = app
        .post(
            "/api/v1/query/dmarc",
            &app.admin_key,
            json!({"from": "1970-01-01", "to": "1970-01-02", "group_by": ["policy"]}),
        )
        .await;
    raw.assert_problem(422, "query_too_large");
    let rolled = app
        .post(
            "/api/v1/query/dmarc",
            &app.admin_key,
            json!({"from": "1970-01-01", "to": "1970-01-02", "group_by": ["source_ip"], "metrics": ["messages"]}),
        )
        .await;
    assert_eq!(rolled.status, StatusCode::OK, "{:?}", rolled.body);
    let total: u64 = rolled.body["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["metrics"]["messages"].as_u64().unwrap())
        .sum();
    assert_eq!(total, 49);

    // What it added to the per-source sums can no longer be recomputed: it cannot be deleted
    // nor replaced.
    app.send(
        reqwest::Method::DELETE,
        &format!("/api/v1/reports/{old_id}"),
        Some(&app.admin_key),
        None,
    )
    .await
    .assert_problem(409, "conflict");
    let newer = report_xml(
        "old-1",
        0,
        DAY - 1,
        &[("192.0.2.1", 41, "none", "pass", "fail")],
    );
    let refused = app
        .upload(&app.admin_key, newer.into_bytes(), "application/xml")
        .await;
    assert_eq!(refused.status.as_u16(), 422, "{:?}", refused.body);
    assert_eq!(refused.body["errors"][0]["code"], "report_expired");
    assert_eq!(
        json_at(
            &app,
            &format!("/api/v1/domains/example.com/dmarc/by-result?{old_range}")
        )
        .await,
        before_result
    );

    // Rollups kept a year: the old reports go whole, with their sums; the recent stays.
    let r = put(
        &app,
        &root,
        &app.admin_key,
        json!({"records_days": 30, "rollups_days": 365}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    wait_for(&app, &format!("/api/v1/reports/{old_id}"), |r| {
        r.status == StatusCode::NOT_FOUND
    })
    .await;
    wait_for(
        &app,
        &format!("/api/v1/domains/example.com/dmarc/by-source?{old_range}"),
        |r| r.body["total_sources"] == 0,
    )
    .await;
    let after = json_at(
        &app,
        &format!("/api/v1/domains/example.com/dmarc/by-result?{old_range}"),
    )
    .await;
    assert_eq!(after["total_messages"], 0);
    let recent_range = format!(
        "from={}&to={}",
        chrono::DateTime::from_timestamp(recent_begin, 0)
            .unwrap()
            .format("%Y-%m-%d"),
        chrono::DateTime::from_timestamp(recent_begin, 0)
            .unwrap()
            .format("%Y-%m-%d")
    );
    let kept = json_at(
        &app,
        &format!("/api/v1/domains/example.com/dmarc/by-source?{recent_range}"),
    )
    .await;
    assert_eq!(kept["total_sources"], 1);
    assert!(metric(&app, "reports").await >= 2);
    assert!(metric(&app, "rollup_rows").await >= 1);
}

/// Counts the rows of `table` (the whole database of the app).
fn rows(app: &TestApp, table: &str) -> i64 {
    use diesel::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let db = ruad::storage::Db::connect(&app.database_url, 1).unwrap();
    db.read(|c| {
        Ok(
            diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {table}"))
                .get_result::<N>(c)?
                .n,
        )
    })
    .unwrap()
}

#[actix_web::test]
async fn a_large_domain_is_deleted_in_batches_with_everything_it_holds() {
    let app = spawn_app().await;
    app.register_domain("example.com").await;
    let sources: Vec<(String, u64, &str, &str, &str)> = (0..12_000)
        .map(|i| {
            (
                format!("10.{}.{}.{}", i / 62_500, (i / 250) % 250, i % 250 + 1),
                1,
                "none",
                "pass",
                "fail",
            )
        })
        .collect();
    let refs: Vec<(&str, u64, &str, &str, &str)> = sources
        .iter()
        .map(|(ip, c, d, k, s)| (ip.as_str(), *c, *d, *k, *s))
        .collect();
    upload(&app, report_xml("big", 0, 2 * DAY - 1, &refs)).await;
    assert_eq!(rows(&app, "dmarc_records"), 12_000);
    assert!(rows(&app, "dmarc_source_days") >= 12_000);
    let gone = app
        .send(
            reqwest::Method::DELETE,
            "/api/v1/domains/example.com",
            Some(&app.admin_key),
            None,
        )
        .await;
    assert_eq!(gone.status, StatusCode::NO_CONTENT, "{:?}", gone.body);
    app.get("/api/v1/domains/example.com", &app.admin_key)
        .await
        .assert_problem(404, "not_found");
    for table in [
        "reports",
        "dmarc_records",
        "dmarc_daily",
        "dmarc_source_days",
        "dmarc_source_months",
        "dmarc_auth_days",
        "domain_daily",
        "uploads",
    ] {
        assert_eq!(rows(&app, table), 0, "{table}");
    }
}

/// The tables of `src/storage/schema.rs` with a `domain_id` column: the test below checks
/// every one, including tables added later.
fn tables_with_domain_id() -> Vec<String> {
    let schema = include_str!("../../src/storage/schema.rs");
    schema
        .split("diesel::table! {")
        .skip(1)
        .filter(|table| table.contains("domain_id ->"))
        .filter_map(|table| table.split_whitespace().next().map(str::to_string))
        .collect()
}

#[actix_web::test]
async fn a_domain_deletion_cut_short_is_invisible_and_the_sweep_finishes_it() {
    use diesel::RunQueryDsl;
    use diesel::sql_types::{BigInt, Text};
    use ruad::storage::{Db, StorageError, domains, retention};
    let app = spawn_app().await;
    let domain = app.register_domain("example.com").await;
    let id = domain["id"].as_str().unwrap().to_string();
    let rows = [
        ("192.0.2.1", 3, "none", "pass", "pass"),
        ("192.0.2.2", 1, "none", "fail", "fail"),
    ];
    let first = upload(&app, report_xml("r-1", 0, DAY - 1, &rows)).await;
    upload(&app, report_xml("r-2", DAY, 2 * DAY - 1, &rows)).await;
    let first = first["id"].as_str().unwrap().to_string();

    // An issue of the domain, as an evaluation stores it.
    let db = Db::connect(&app.database_url, 2).unwrap();
    let issue = ruad::domain::issue::DetectedIssue {
        code: ruad::domain::issue::IssueCode::SpoofingSuspected,
        severity: ruad::domain::issue::IssueSeverity::High,
        subject: String::new(),
        title: "Unknown sources send failing mail as example.com".into(),
        explanation: "test".into(),
        remediation: "test".into(),
        record: None,
        evidence: json!({}),
    };
    let evaluated = |at: i64| {
        db.write(|c| {
            ruad::storage::issues::reconcile(
                c,
                &ruad::domain::ids::TenantId::from(app.tenant_id.as_str()),
                &ruad::domain::ids::DomainId::from(id.as_str()),
                std::slice::from_ref(&issue),
                &[],
                at,
            )
        })
        .unwrap()
    };
    assert_eq!(evaluated(1).opened.len(), 1);
    let listed = json_at(&app, "/api/v1/issues").await;
    assert_eq!(listed["items"][0]["domain"], "example.com", "{listed}");

    // The deletion's first steps, then a crash: the mark, and one batch of one report's
    // records.
    let scope = {
        let root = ruad::domain::ids::TenantId::from(app.tenant_id.as_str());
        db.read(|c| ruad::storage::tenants::find_tenant_unscoped(c, &root))
            .unwrap()
            .unwrap()
            .scope()
    };
    db.write(|c| domains::mark_domain_deleting(c, &scope, "example.com", 1))
        .unwrap();
    // An evaluation that read the domain before the mark and writes after it opens nothing.
    let late = evaluated(2);
    assert!(
        late.opened.is_empty() && late.resolved.is_empty(),
        "{late:?}"
    );
    let reports = db
        .read(|c| domains::list_domain_report_ids(c, &id))
        .unwrap();
    assert_eq!(reports.len(), 2);
    let deleted = db
        .write(|c| retention::delete_report_records(c, &reports[0], 1))
        .unwrap();
    assert_eq!(deleted, 1);

    // Gone from every read: by name, by id, in lists, in its aggregates and reports.
    for path in [
        "/api/v1/domains/example.com".to_string(),
        format!("/api/v1/domains/{id}"),
        format!("/api/v1/domains/{id}/dmarc/by-source"),
        format!("/api/v1/domains/{id}/records"),
        format!("/api/v1/domains/{id}/timeseries?kind=dmarc"),
        format!("/api/v1/reports/{first}"),
    ] {
        app.get(&path, &app.admin_key)
            .await
            .assert_problem(404, "not_found");
    }
    let listed = json_at(&app, "/api/v1/domains").await;
    assert!(!listed.to_string().contains(&id), "{listed}");
    let listed = json_at(&app, "/api/v1/reports").await;
    assert!(!listed.to_string().contains(&first), "{listed}");
    let listed = json_at(&app, "/api/v1/issues").await;
    assert_eq!(listed["items"], json!([]), "{listed}");
    // A report for it is refused as for a domain never registered.
    let refused = app
        .upload(
            &app.admin_key,
            report_xml("r-3", 2 * DAY, 3 * DAY - 1, &rows).into_bytes(),
            "application/xml",
        )
        .await;
    refused.assert_problem(422, "domain_not_registered");
    // Its name is taken until the deletion has finished.
    let again = app
        .post(
            "/api/v1/domains",
            &app.admin_key,
            json!({"name": "example.com"}),
        )
        .await;
    again.assert_problem(409, "conflict");
    assert!(
        again.body["detail"]
            .as_str()
            .unwrap()
            .contains("being deleted")
    );

    // The sweep finishes it: nothing of the domain is left in any table.
    let metrics = ruad::services::metrics::Metrics::default();
    let swept =
        ruad::services::retention::sweep(&db, &metrics, 10 * DAY, Duration::from_secs(60)).unwrap();
    assert_eq!(swept.domains, 1);
    assert!(swept.done);
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let count = |text: &str, bind: &str| -> i64 {
        db.read(|c| {
            let text = match c {
                ruad::storage::DbConnection::Pg(_) => text.replace('?', "$1"),
                ruad::storage::DbConnection::Sqlite(_) => text.to_string(),
            };
            let row: Count = diesel::sql_query(text)
                .bind::<Text, _>(bind)
                .get_result(c)
                .map_err(StorageError::from)?;
            Ok(row.n)
        })
        .unwrap()
    };
    let tables = tables_with_domain_id();
    assert!(tables.len() > 10, "{tables:?}");
    for table in &tables {
        let n = count(
            &format!("SELECT COUNT(*) AS n FROM {table} WHERE domain_id = ?"),
            &id,
        );
        assert_eq!(n, 0, "{table} keeps rows of the deleted domain");
    }
    for report in &reports {
        for table in ["dmarc_records", "tls_policies", "reports"] {
            let column = if table == "reports" {
                "id"
            } else {
                "report_id"
            };
            let n = count(
                &format!("SELECT COUNT(*) AS n FROM {table} WHERE {column} = ?"),
                report,
            );
            assert_eq!(n, 0, "{table} keeps rows of a deleted report");
        }
    }
    assert_eq!(
        count("SELECT COUNT(*) AS n FROM domains WHERE id = ?", &id),
        0
    );
    assert_eq!(
        count(
            "SELECT COUNT(*) AS n FROM uploads WHERE tenant_id = ?",
            &app.tenant_id
        ),
        0
    );
    // And the name can be registered again.
    let again = app
        .post(
            "/api/v1/domains",
            &app.admin_key,
            json!({"name": "example.com"}),
        )
        .await;
    assert_eq!(again.status, StatusCode::CREATED, "{:?}", again.body);
}

/// A report straddling the rollups cutoff keeps its records (they are younger than the
/// records cutoff), so it can still be replaced and deleted after the sweep deleted its days
/// before the cutoff: what it subtracts then must not touch those days, or they come back as
/// negative rows.
#[actix_web::test]
async fn a_report_straddling_the_rollups_cutoff_is_replaced_and_deleted_exactly() {
    use diesel::RunQueryDsl;
    use diesel::sql_types::BigInt;
    use ruad::storage::{Db, StorageError};
    let app = spawn_app().await;
    app.register_domain("example.com").await;
    // Days 29..=38 of 1970 (30 January to 8 February), 10 messages a day.
    let (begin, end) = (29 * DAY, 39 * DAY - 1);
    let rows = |n: u64| [("192.0.2.1", n, "none", "pass", "pass")];
    let first = upload(&app, report_xml("straddle", begin, end, &rows(100))).await;
    let r = put(
        &app,
        &app.tenant_id.clone(),
        &app.admin_key,
        json!({"records_days": 30, "rollups_days": 30}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    // On day 66 (8 March): records of reports that ended by day 36 go (not this one); the
    // rollups before 1 February (day 31) go, with this report's first two days.
    let db = Db::connect(&app.database_url, 2).unwrap();
    let metrics = ruad::services::metrics::Metrics::default();
    let swept =
        ruad::services::retention::sweep(&db, &metrics, 66 * DAY, Duration::from_secs(60)).unwrap();
    assert!(swept.done);
    assert_eq!(swept.reports_purged, 0);
    assert!(swept.rollup_rows > 0);

    #[derive(diesel::QueryableByName, Debug, PartialEq)]
    struct Sums {
        #[diesel(sql_type = BigInt)]
        rows: i64,
        #[diesel(sql_type = diesel::sql_types::Nullable<BigInt>)]
        first_day: Option<i64>,
        #[diesel(sql_type = diesel::sql_types::Nullable<BigInt>)]
        least: Option<i64>,
        #[diesel(sql_type = diesel::sql_types::Nullable<BigInt>)]
        total: Option<i64>,
    }
    let sums = |table: &str| -> Sums {
        db.read(|c| {
            diesel::sql_query(format!(
                "SELECT COUNT(*) AS rows, MIN(day) AS first_day, MIN(messages) AS least, \
                 CAST(SUM(messages) AS BIGINT) AS total FROM {table}"
            ))
            .get_result(c)
            .map_err(StorageError::from)
        })
        .unwrap()
    };
    let kept = |table: &str, total: i64| {
        let s = sums(table);
        assert!(s.rows > 0, "{table}: {s:?}");
        assert_eq!(s.first_day, Some(31), "{table}: {s:?}");
        assert!(s.least.unwrap() > 0, "{table}: {s:?}");
        assert_eq!(s.total, Some(total), "{table}: {s:?}");
    };
    // Per source and header From, and per passing SPF domain (one per message here).
    let per_source = [
        "dmarc_source_days",
        "dmarc_source_months",
        "dmarc_auth_days",
        "dmarc_auth_months",
    ];
    let all_kept = |total: i64| {
        for table in per_source {
            kept(table, total);
        }
    };
    all_kept(80);

    // A newer version: the old one's kept days are subtracted, the new one's added, and the
    // deleted days stay deleted.
    let second = upload(&app, report_xml("straddle", begin, end, &rows(50))).await;
    assert_ne!(first["id"], second["id"]);
    all_kept(40);
    let by_source = json_at(
        &app,
        "/api/v1/domains/example.com/dmarc/by-source?from=1970-02-01&to=1970-02-08",
    )
    .await;
    assert_eq!(by_source["sources"][0]["messages"], 40, "{by_source}");

    // The newer version deleted, the first is current again: its kept days come back.
    let delete = |report: &Value| {
        let path = format!("/api/v1/reports/{}", report["id"].as_str().unwrap());
        let app = &app;
        async move {
            let deleted = app
                .send(reqwest::Method::DELETE, &path, Some(&app.admin_key), None)
                .await;
            assert_eq!(deleted.status, StatusCode::NO_CONTENT, "{:?}", deleted.body);
        }
    };
    delete(&second).await;
    all_kept(80);
    // Both deleted: nothing is left, not even a negative row for a deleted day.
    delete(&first).await;
    for table in per_source {
        assert_eq!(sums(table).rows, 0, "{table}: {:?}", sums(table));
    }
    // A report arriving now for those days adds only to the days still kept.
    upload(&app, report_xml("late", begin, end, &rows(10))).await;
    kept("dmarc_source_days", 8);
}
