//! Migrations: both trees list the same versions and run up → down → up on both backends
//! (PostgreSQL when `TEST_DATABASE_URL` is set); job claims and leases; reads keyed by a
//! domain id find nothing outside the caller's scope.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use diesel::Connection;
use diesel::connection::SimpleConnection;
use ruad::storage::{DbConnection, revert_all_migrations, run_migrations};

fn versions(dir: &str) -> Vec<String> {
    let mut v: Vec<String> =
        std::fs::read_dir(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
    v.sort();
    v
}

#[test]
fn both_migration_trees_have_the_same_versions() {
    let sqlite = versions("migrations/sqlite");
    assert!(!sqlite.is_empty());
    assert_eq!(sqlite, versions("migrations/postgres"));
    for v in &sqlite {
        for backend in ["sqlite", "postgres"] {
            for file in ["up.sql", "down.sql"] {
                assert!(
                    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                        .join(format!("migrations/{backend}/{v}/{file}"))
                        .is_file(),
                    "{backend}/{v}/{file}"
                );
            }
        }
    }
}

fn up_down_up(conn: &mut DbConnection) {
    run_migrations(conn).unwrap();
    conn.batch_execute("INSERT INTO tenants (id, parent_id, name, path, created_at) VALUES ('t', NULL, 'n', '/t/', 0)").unwrap();
    revert_all_migrations(conn).unwrap();
    assert!(
        conn.batch_execute("SELECT 1 FROM tenants").is_err(),
        "down left the tables"
    );
    run_migrations(conn).unwrap();
    conn.batch_execute("SELECT 1 FROM reports").unwrap();
}

#[test]
fn sqlite_migrations_run_up_down_up() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.db");
    let mut conn =
        DbConnection::Sqlite(diesel::SqliteConnection::establish(path.to_str().unwrap()).unwrap());
    up_down_up(&mut conn);
}

#[test]
fn postgres_migrations_run_up_down_up() {
    let Ok(base) = std::env::var("TEST_DATABASE_URL") else {
        eprintln!("TEST_DATABASE_URL not set; skipping the PostgreSQL migration test");
        return;
    };
    use diesel::RunQueryDsl;
    let name = format!("test_{}", uuid::Uuid::new_v4().simple());
    let mut admin = diesel::PgConnection::establish(&base).unwrap();
    diesel::sql_query(format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .unwrap();
    let (server, _) = base.rsplit_once('/').unwrap();
    let mut conn =
        DbConnection::Pg(diesel::PgConnection::establish(&format!("{server}/{name}")).unwrap());
    up_down_up(&mut conn);
    drop(conn);
    diesel::sql_query(format!("DROP DATABASE {name}"))
        .execute(&mut admin)
        .unwrap();
}

#[test]
fn unknown_database_schemes_are_refused() {
    assert!(ruad::storage::Backend::from_url("mysql://x").is_err());
    assert!(ruad::storage::Backend::from_url("ruad.db").is_err());
}

/// A fresh, migrated database of each backend available (the directory keeps SQLite's).
fn databases() -> Vec<(ruad::storage::Db, tempfile::TempDir)> {
    let dir = tempfile::tempdir().unwrap();
    let sqlite = format!("sqlite://{}", dir.path().join("jobs.db").display());
    let mut out = vec![(ruad::storage::Db::connect(&sqlite, 4).unwrap(), dir)];
    if let Ok(base) = std::env::var("TEST_DATABASE_URL")
        && !base.is_empty()
    {
        use diesel::{Connection, RunQueryDsl};
        let name = format!("test_{}", uuid::Uuid::new_v4().simple());
        let mut admin = diesel::PgConnection::establish(&base).unwrap();
        diesel::sql_query(format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .unwrap();
        let url = format!("{}/{name}", base.rsplit_once('/').unwrap().0);
        out.push((
            ruad::storage::Db::connect(&url, 8).unwrap(),
            tempfile::tempdir().unwrap(),
        ));
    }
    out
}

/// The job table's claims and leases, on SQLite and (with `TEST_DATABASE_URL`) PostgreSQL.
mod job_leases {
    use super::databases;
    use ruad::domain::job::JobKind;
    use ruad::storage::jobs::{self, Lease};
    use ruad::storage::{Backend, Db};
    use serde_json::json;

    fn enqueue(db: &Db, kind: JobKind, n: usize, run_at: i64) {
        db.write(|c| {
            for i in 0..n {
                jobs::enqueue(c, None, kind, &json!({ "n": i }), run_at)?;
            }
            Ok(())
        })
        .unwrap();
    }

    #[test]
    fn two_claimers_never_get_one_job() {
        for (db, _dir) in databases() {
            enqueue(&db, JobKind::DeliverWebhook, 60, 100);
            // Instances claiming at once, each in its own thread and connection.
            let claimers: Vec<_> = (0..4)
                .map(|i| {
                    let db = db.clone();
                    std::thread::spawn(move || {
                        let mut mine = Vec::new();
                        loop {
                            let got = db
                                .write(|c| {
                                    jobs::claim(
                                        c,
                                        JobKind::DeliverWebhook,
                                        &format!("i{i}"),
                                        200,
                                        30,
                                        3,
                                    )
                                })
                                .unwrap();
                            if got.is_empty() {
                                return mine;
                            }
                            mine.extend(got.into_iter().map(|j| j.id));
                        }
                    })
                })
                .collect();
            let mut all: Vec<ruad::domain::ids::JobId> = claimers
                .into_iter()
                .flat_map(|t| t.join().unwrap())
                .collect();
            assert_eq!(all.len(), 60, "{:?}", db.backend());
            all.sort();
            all.dedup();
            assert_eq!(
                all.len(),
                60,
                "a job was claimed twice on {:?}",
                db.backend()
            );
            // Claimed jobs are not claimable again while their leases last.
            let again = db
                .write(|c| jobs::claim(c, JobKind::DeliverWebhook, "i9", 229, 30, 100))
                .unwrap();
            assert!(again.is_empty());
        }
    }

    #[test]
    fn claims_take_due_jobs_of_one_kind_only_and_record_the_holder() {
        for (db, _dir) in databases() {
            enqueue(&db, JobKind::EnrichSources, 3, 100);
            enqueue(&db, JobKind::DeliverWebhook, 1, 100);
            enqueue(&db, JobKind::DeliverWebhook, 1, 500);
            let got = db
                .write(|c| jobs::claim(c, JobKind::DeliverWebhook, "a", 200, 30, 10))
                .unwrap();
            assert_eq!(got.len(), 1, "only the due webhook job");
            let job = &got[0];
            assert_eq!(job.kind, JobKind::DeliverWebhook);
            assert_eq!(job.locked_by.as_deref(), Some("a"));
            assert_eq!(job.locked_until, Some(230));
            assert_eq!(job.attempts, 1);
            let stats = db.read(|c| jobs::queue_stats(c, 200)).unwrap();
            let of = |k| stats.iter().find(|s| s.kind == k).unwrap().clone();
            assert_eq!(of(JobKind::EnrichSources).queued, 3);
            assert_eq!(of(JobKind::EnrichSources).oldest_due, Some(100));
            assert_eq!(of(JobKind::DeliverWebhook).queued, 0);
            assert_eq!(of(JobKind::DeliverWebhook).leased, 1);
            assert_eq!(of(JobKind::DeliverWebhook).scheduled, 1);
            assert_eq!(of(JobKind::CheckDns).queued, 0);
        }
    }

    #[test]
    fn a_heartbeat_after_losing_the_lease_does_not_steal_it_back() {
        for (db, _dir) in databases() {
            enqueue(&db, JobKind::CheckDns, 1, 100);
            let first = db
                .write(|c| jobs::claim(c, JobKind::CheckDns, "a", 100, 10, 1))
                .unwrap();
            let a: Lease = first[0].lease().unwrap();
            // While held, a heartbeat renews it.
            let renewed = db
                .write(|c| jobs::heartbeat(c, std::slice::from_ref(&a), 115))
                .unwrap();
            assert_eq!(renewed, vec![a.job_id.clone()]);
            assert!(
                db.write(|c| jobs::claim(c, JobKind::CheckDns, "b", 112, 10, 1))
                    .unwrap()
                    .is_empty()
            );
            // The lease lapses (a stalled) and b takes the job over.
            let second = db
                .write(|c| jobs::claim(c, JobKind::CheckDns, "b", 116, 10, 1))
                .unwrap();
            assert_eq!(second.len(), 1, "{:?}", db.backend());
            let b = second[0].lease().unwrap();
            assert_eq!(b.attempt, 2);
            // a's late heartbeat, completion and retry change nothing.
            assert!(
                db.write(|c| jobs::heartbeat(c, std::slice::from_ref(&a), 200))
                    .unwrap()
                    .is_empty()
            );
            assert!(!db.write(|c| jobs::complete(c, &a)).unwrap());
            assert!(!db.write(|c| jobs::retry(c, &a, 300, "late")).unwrap());
            let stats = db.read(|c| jobs::queue_stats(c, 120)).unwrap();
            let check = stats.iter().find(|s| s.kind == JobKind::CheckDns).unwrap();
            assert_eq!((check.queued, check.leased), (0, 1), "b still holds it");
            // Even the same instance's older claim is not the current one.
            let stale_same_holder = Lease {
                holder: "b".into(),
                attempt: 1,
                ..b.clone()
            };
            assert!(!db.write(|c| jobs::complete(c, &stale_same_holder)).unwrap());
            assert!(db.write(|c| jobs::complete(c, &b)).unwrap());
            assert_eq!(
                db.read(|c| jobs::count_pending(c, JobKind::CheckDns))
                    .unwrap(),
                0
            );
        }
    }

    #[test]
    fn a_retry_releases_the_lease_and_keeps_the_error() {
        for (db, _dir) in databases() {
            enqueue(&db, JobKind::EvaluateIssues, 1, 100);
            let got = db
                .write(|c| jobs::claim(c, JobKind::EvaluateIssues, "a", 100, 30, 1))
                .unwrap();
            let lease = got[0].lease().unwrap();
            assert!(db.write(|c| jobs::retry(c, &lease, 160, "boom")).unwrap());
            assert!(
                db.write(|c| jobs::claim(c, JobKind::EvaluateIssues, "a", 150, 30, 1))
                    .unwrap()
                    .is_empty()
            );
            let again = db
                .write(|c| jobs::claim(c, JobKind::EvaluateIssues, "b", 160, 30, 1))
                .unwrap();
            assert_eq!(again[0].attempts, 2);
            assert_eq!(again[0].last_error.as_deref(), Some("boom"));
        }
    }

    #[test]
    fn at_startup_sqlite_frees_every_lease_and_postgres_only_the_instances_own() {
        for (db, _dir) in databases() {
            enqueue(&db, JobKind::DeliverWebhook, 2, 100);
            let now = ruad::storage::now();
            db.write(|c| jobs::claim(c, JobKind::DeliverWebhook, "crashed", now, 600, 1))
                .unwrap();
            db.write(|c| jobs::claim(c, JobKind::DeliverWebhook, "other", now, 600, 1))
                .unwrap();
            let freed = db
                .write(|c| jobs::release_stale_leases(c, "crashed"))
                .unwrap();
            let claimable = db
                .write(|c| jobs::claim(c, JobKind::DeliverWebhook, "crashed", now, 600, 10))
                .unwrap();
            match db.backend() {
                Backend::Sqlite => {
                    assert_eq!(freed, 2);
                    assert_eq!(claimable.len(), 2);
                }
                Backend::Postgres => {
                    assert_eq!(freed, 1);
                    assert_eq!(claimable.len(), 1, "the other instance keeps its lease");
                }
            }
        }
    }
}

/// Reads keyed by a domain id (aggregates, the evaluation's input) see the domain only in a
/// scope that holds its tenant, on SQLite and (with `TEST_DATABASE_URL`) PostgreSQL.
mod scoped_domain_reads {
    use super::databases;
    use ruad::domain::domain_name::DomainName;
    use ruad::domain::ids::DomainId;
    use ruad::reports::Limits;
    use ruad::services::ingest::{self, Target, Upload};
    use ruad::services::metrics::Metrics;
    use ruad::storage::aggregates::{self, DayRange};
    use ruad::storage::analysis_data::{self, KIND_DMARC, KIND_TLS};
    use ruad::storage::{StorageError, StorageResult, TenantScope, domains, tenants};

    const BEGIN: i64 = 1_700_006_400; // 2023-11-15T00:00:00Z

    fn report() -> String {
        format!(
            "<?xml version=\"1.0\"?><feedback><version>1.0</version><report_metadata><org_name>receiver.example</org_name>\
             <email>dmarc@receiver.example</email><report_id>scope-1</report_id><date_range><begin>{BEGIN}</begin>\
             <end>{}</end></date_range></report_metadata><policy_published><domain>example.com</domain><p>none</p>\
             </policy_published><record><row><source_ip>192.0.2.1</source_ip><count>3</count><policy_evaluated>\
             <disposition>none</disposition><dkim>pass</dkim><spf>pass</spf></policy_evaluated></row><identifiers>\
             <header_from>example.com</header_from></identifiers><auth_results><dkim><domain>example.com</domain>\
             <result>pass</result></dkim><spf><domain>example.com</domain><result>pass</result></spf></auth_results>\
             </record></feedback>",
            BEGIN + 86_399
        )
    }

    /// Every read of the domain `id` in `scope`, each reduced to whether it found the domain.
    fn every_read(
        conn: &mut ruad::storage::DbConnection,
        scope: &TenantScope,
        id: &DomainId,
    ) -> Vec<(&'static str, StorageResult<()>)> {
        let days = DayRange {
            first: BEGIN / 86_400 - 1,
            last: BEGIN / 86_400 + 1,
        };
        let ips = vec!["192.0.2.1".to_string()];
        let naming = vec![("dkim".to_string(), "example.com".to_string())];
        vec![
            (
                "dmarc_by_result",
                aggregates::dmarc_by_result(conn, scope, id, days).map(drop),
            ),
            (
                "dmarc_by_result_per_day",
                aggregates::dmarc_by_result_per_day(conn, scope, id, days).map(drop),
            ),
            (
                "dmarc_by_source",
                aggregates::dmarc_by_source(conn, scope, id, days, 10, None).map(drop),
            ),
            (
                "dmarc_source_auth",
                aggregates::dmarc_source_auth(conn, scope, id, days, &ips).map(drop),
            ),
            (
                "dmarc_auth_domains",
                aggregates::dmarc_auth_domains(conn, scope, id, days).map(drop),
            ),
            (
                "dmarc_evidence_groups",
                aggregates::dmarc_evidence_groups(conn, scope, id, days, &naming).map(drop),
            ),
            (
                "tls_by_result",
                aggregates::tls_by_result(conn, scope, id, days).map(drop),
            ),
            (
                "tls_by_result_per_day",
                aggregates::tls_by_result_per_day(conn, scope, id, days).map(drop),
            ),
            (
                "tls_by_source",
                aggregates::tls_by_source(conn, scope, id, days).map(drop),
            ),
            (
                "newest_report_end",
                analysis_data::newest_report_end(conn, scope, id, KIND_DMARC).map(drop),
            ),
            (
                "reports_ending_after",
                analysis_data::reports_ending_after(conn, scope, id, KIND_DMARC, 0, 10).map(drop),
            ),
            (
                "report_ends_after",
                analysis_data::report_ends_after(conn, scope, id, KIND_TLS, 0).map(drop),
            ),
            (
                "tls_failures_after",
                analysis_data::tls_failures_after(conn, scope, id, 0).map(drop),
            ),
        ]
    }

    #[test]
    fn a_domain_outside_the_scope_is_not_found_by_any_read_of_its_data() {
        for (db, _dir) in databases() {
            // Arrange: two customers under one operator; a report for the first one's domain.
            let (root, owner, sibling, domain) = db
                .write(|c| {
                    let root = tenants::insert_root_tenant(c, "operator")?;
                    let owner = tenants::insert_tenant(c, &root.scope(), &root.id, "owner")?;
                    let sibling = tenants::insert_tenant(c, &root.scope(), &root.id, "sibling")?;
                    let name = DomainName::parse("example.com").unwrap();
                    let domain = domains::insert_domain(c, &owner.scope(), &owner.id, &name)?;
                    Ok((root, owner, sibling, domain))
                })
                .unwrap();
            let xml = report();
            let upload = Upload {
                bytes: xml.as_bytes(),
                content_type: None,
                file_name: None,
            };
            ingest::ingest(
                &db,
                &Metrics::default(),
                Target::Domain(&domain),
                &upload,
                &Limits::default(),
            )
            .unwrap();
            let id = DomainId::from(domain.id.as_str());
            let days = DayRange {
                first: BEGIN / 86_400,
                last: BEGIN / 86_400,
            };

            // Act and assert: the owner and its operator see the domain and its data.
            for scope in [owner.scope(), root.scope()] {
                db.read(|c| {
                    for (read, result) in every_read(c, &scope, &id) {
                        assert!(result.is_ok(), "{read} in scope: {result:?}");
                    }
                    assert_eq!(
                        aggregates::dmarc_by_result(c, &scope, &id, days)?.total_messages,
                        3
                    );
                    assert!(
                        analysis_data::newest_report_end(c, &scope, &id, KIND_DMARC)?.is_some()
                    );
                    Ok(())
                })
                .unwrap();
            }
            // The sibling finds nothing, for the domain and for an id that does not exist.
            for missing in [id.clone(), DomainId::generate()] {
                db.read(|c| {
                    for (read, result) in every_read(c, &sibling.scope(), &missing) {
                        assert!(
                            matches!(result, Err(StorageError::NotFound)),
                            "{read} outside the scope: {result:?}"
                        );
                    }
                    Ok(())
                })
                .unwrap();
            }
        }
    }
}

/// The per-source rollups, summed across reports, stay equal to a recomputation from the
/// stored records of the current reports through random uploads, supersedes (a new version of
/// a report) and deletes, on SQLite and (with `TEST_DATABASE_URL`) PostgreSQL.
mod source_rollups_exact {
    use super::databases;
    use ruad::domain::domain_name::DomainName;
    use ruad::domain::ids::{DomainId, ReportId};
    use ruad::reports::Limits;
    use ruad::services::ingest::{self, Ingested, Target, Upload};
    use ruad::services::metrics::Metrics;
    use ruad::storage::aggregates::{self, DayRange};
    use ruad::storage::reports::sources;
    use ruad::storage::{Db, TenantScope, domains, tenants};

    /// 2026-10-30T00:00:00Z: reports straddle the end of October, so months and days differ.
    const BASE: i64 = 1_761_782_400;

    /// A tiny deterministic generator (xorshift), so a failure replays.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
        fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
            items[self.below(items.len() as u64) as usize]
        }
    }

    fn report(rng: &mut Rng, key: u64) -> String {
        // The key fixes org, id and range (a new version keeps them); the content varies.
        let begin = BASE + (key % 4) as i64 * 43_200;
        let end = begin + [86_399, 2 * 86_400 - 1, 3 * 86_400 + 3_600][(key % 3) as usize];
        let mut records = String::new();
        for _ in 0..1 + rng.below(6) {
            let ip = format!("192.0.2.{}", 1 + rng.below(5));
            let dkim = rng.pick(&["pass", "fail"]);
            let spf = rng.pick(&["pass", "fail"]);
            let disposition = rng.pick(&["none", "quarantine", "reject"]);
            let reason = match rng.below(4) {
                0 => "<reason><type>forwarded</type></reason>",
                1 => "<reason><type>mailing_list</type></reason>",
                _ => "",
            };
            let from = rng.pick(&["example.com", "news.example.com", ""]);
            let header_from = if from.is_empty() {
                String::new()
            } else {
                format!("<header_from>{from}</header_from>")
            };
            let signer = rng.pick(&["example.com", "sendgrid.net", "Mailchimp.com."]);
            let dkim_raw = rng.pick(&["pass", "fail", "neutral"]);
            let spf_domain = rng.pick(&["bounce.example.com", "amazonses.com"]);
            let spf_raw = rng.pick(&["pass", "softfail"]);
            let count = [0, 1, 2, 7, 1_000_003][rng.below(5) as usize];
            records.push_str(&format!(
                "<record><row><source_ip>{ip}</source_ip><count>{count}</count><policy_evaluated>\
                 <disposition>{disposition}</disposition><dkim>{dkim}</dkim><spf>{spf}</spf>{reason}\
                 </policy_evaluated></row><identifiers>{header_from}</identifiers><auth_results>\
                 <dkim><domain>{signer}</domain><result>{dkim_raw}</result></dkim>\
                 <spf><domain>{spf_domain}</domain><result>{spf_raw}</result></spf></auth_results></record>"
            ));
        }
        format!(
            "<?xml version=\"1.0\"?><feedback><report_metadata><org_name>org{}.example</org_name>\
             <email>dmarc@receiver.example</email><report_id>r{key}</report_id><date_range><begin>{begin}</begin>\
             <end>{end}</end></date_range></report_metadata><policy_published><domain>example.com</domain>\
             <p>none</p></policy_published>{records}</feedback>",
            key % 2
        )
    }

    fn assert_exact(db: &Db, domain: &DomainId, step: &str) {
        let (recomputed, stored) = db.read(|c| sources::check(c, domain.as_str())).unwrap();
        assert_eq!(stored, recomputed, "after {step}");
    }

    #[test]
    fn random_uploads_supersedes_and_deletes_keep_every_per_source_rollup_exact() {
        for (db, _dir) in databases() {
            let (scope, domain): (TenantScope, _) = db
                .write(|c| {
                    let root = tenants::insert_root_tenant(c, "operator")?;
                    let name = DomainName::parse("example.com").unwrap();
                    let domain = domains::insert_domain(c, &root.scope(), &root.id, &name)?;
                    Ok((root.scope(), domain))
                })
                .unwrap();
            let domain_id = DomainId::from(domain.id.as_str());
            let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
            let mut stored: Vec<ReportId> = Vec::new();
            let (mut deletes, mut supersedes) = (0, 0);
            for step in 0..60 {
                let action = rng.below(10);
                if action < 2 && !stored.is_empty() {
                    let i = rng.below(stored.len() as u64) as usize;
                    let id = stored.swap_remove(i);
                    db.write(|c| ruad::storage::reports::delete_report(c, &scope, &id))
                        .unwrap();
                    assert_exact(&db, &domain_id, &format!("step {step}: delete"));
                    deletes += 1;
                    continue;
                }
                // Keys repeat (0..8), so many uploads are new versions of stored reports.
                let key = rng.below(8);
                let xml = report(&mut rng, key);
                let outcome = ingest::ingest(
                    &db,
                    &Metrics::default(),
                    Target::Domain(&domain),
                    &Upload {
                        bytes: xml.as_bytes(),
                        content_type: None,
                        file_name: None,
                    },
                    &Limits::default(),
                )
                .unwrap();
                match outcome.as_slice() {
                    [
                        Ingested::Stored {
                            id,
                            duplicate,
                            conflict,
                            ..
                        },
                    ] => {
                        if !duplicate {
                            stored.push(id.clone());
                        }
                        if *conflict {
                            supersedes += 1;
                        }
                    }
                    other => panic!("step {step}: {other:?}"),
                }
                assert_exact(
                    &db,
                    &domain_id,
                    &format!("step {step}: upload of key {key}"),
                );
            }
            assert!(
                deletes >= 5 && supersedes >= 10,
                "{deletes} deletes, {supersedes} supersedes"
            );
            // The migration's rebuild (rollup_rebuilds) recomputes the same rows from the
            // stored records: wipe them, ask for it, and start as the application does.
            let (before, _) = db.read(|c| sources::check(c, domain_id.as_str())).unwrap();
            db.write(|c| {
                use diesel::RunQueryDsl;
                for table in [
                    "dmarc_source_days",
                    "dmarc_source_months",
                    "dmarc_auth_days",
                    "dmarc_auth_months",
                ] {
                    diesel::sql_query(format!("DELETE FROM {table}")).execute(c)?;
                }
                diesel::sql_query(
                    "INSERT INTO rollup_rebuilds (name, requested_at) VALUES ('dmarc_sources', 0)",
                )
                .execute(c)?;
                ruad::storage::run_migrations(c)
            })
            .unwrap();
            assert_exact(&db, &domain_id, "the rebuild");
            let (after, _) = db.read(|c| sources::check(c, domain_id.as_str())).unwrap();
            assert_eq!(after, before);
            // by-source over the whole range equals the sums of the daily rollup, whichever
            // way the range is cut into months and days.
            let (recomputed, _) = db.read(|c| sources::check(c, domain_id.as_str())).unwrap();
            let total: i64 = recomputed
                .iter()
                .filter(|(table, _, _)| table == "dmarc_source_days")
                .map(|(_, _, v)| v[0])
                .sum();
            assert!(total > 0);
            let first = BASE / 86_400 - 40;
            for last in [BASE / 86_400 + 2, BASE / 86_400 + 40] {
                let days = DayRange { first, last };
                let (found, _) = db
                    .read(|c| aggregates::dmarc_by_source(c, &scope, &domain_id, days, 100, None))
                    .unwrap();
                let by_source: u64 = found.iter().map(|s| s.messages).sum();
                if last == BASE / 86_400 + 40 {
                    assert_eq!(by_source as i64, total);
                } else {
                    assert!(by_source as i64 <= total);
                }
            }
            // A page's sources are looked up by key, bucket by bucket; past MAX_SEEKS (bucket
            // × source) the range is read whole instead. Both give the same rows.
            let days = DayRange {
                first,
                last: BASE / 86_400 + 40,
            };
            let (_, months, _) = ruad::domain::days::months_and_edges(days.first, days.last);
            assert!(
                months.is_some(),
                "the range holds whole months and edge days"
            );
            let real: Vec<String> = (1..=5).map(|i| format!("192.0.2.{i}")).collect();
            let mut padded = real.clone();
            padded.extend(
                (0..aggregates::MAX_SEEKS / 10).map(|i| format!("10.0.{}.{}", i / 256, i % 256)),
            );
            let seek = db
                .read(|c| aggregates::dmarc_source_auth(c, &scope, &domain_id, days, &real))
                .unwrap();
            let scan = db
                .read(|c| aggregates::dmarc_source_auth(c, &scope, &domain_id, days, &padded))
                .unwrap();
            assert!(!seek.is_empty());
            assert_eq!(seek, scan);
        }
    }
}

/// The group commit (`storage::commit`): many threads' units in few transactions, each unit
/// whole or not at all, on SQLite and (with `TEST_DATABASE_URL`) PostgreSQL.
mod group_commit {
    use super::databases;
    use diesel::RunQueryDsl;
    use diesel::sql_types::BigInt;
    use ruad::storage::commit::{Outcome, Rollback, Unit};
    use ruad::storage::{Db, DbConnection, StorageError};
    use std::time::Duration;

    /// Inserts its rows; refuses after writing when asked to, or fails on a duplicate key.
    struct Rows {
        ids: Vec<i64>,
        refuse: bool,
        pause: Duration,
        panic: bool,
        error: Option<String>,
    }

    impl Rows {
        fn new(ids: Vec<i64>) -> Rows {
            Rows {
                ids,
                refuse: false,
                pause: Duration::ZERO,
                panic: false,
                error: None,
            }
        }
    }

    impl Unit for Rows {
        fn write(&mut self, conn: &mut DbConnection) -> Result<(), Rollback> {
            std::thread::sleep(self.pause);
            for id in &self.ids {
                let inserted = diesel::sql_query("INSERT INTO gc_rows (id) VALUES ($1)")
                    .bind::<BigInt, _>(*id)
                    .execute(conn);
                if let Err(e) = inserted {
                    self.error = Some(e.to_string());
                    return Err(Rollback);
                }
            }
            assert!(!self.panic, "a unit that panics");
            if self.refuse { Err(Rollback) } else { Ok(()) }
        }
    }

    fn setup(db: &Db) {
        db.write(|c| {
            diesel::sql_query("CREATE TABLE gc_rows (id BIGINT PRIMARY KEY)")
                .execute(c)
                .map_err(StorageError::from)
        })
        .unwrap();
    }

    fn stored(db: &Db) -> Vec<i64> {
        #[derive(diesel::QueryableByName)]
        struct Id {
            #[diesel(sql_type = BigInt)]
            id: i64,
        }
        let rows: Vec<Id> = db
            .read(|c| {
                diesel::sql_query("SELECT id FROM gc_rows ORDER BY id")
                    .load(c)
                    .map_err(StorageError::from)
            })
            .unwrap();
        rows.into_iter().map(|r| r.id).collect()
    }

    #[test]
    fn units_from_many_threads_share_transactions_and_stay_whole() {
        for (db, _dir) in databases() {
            setup(&db);
            // The first unit holds the writer while the others queue behind it.
            let mut first = Rows::new(vec![1000]);
            first.pause = Duration::from_millis(300);
            let db1 = db.clone();
            let head = std::thread::spawn(move || db1.commit(first).unwrap().1);
            std::thread::sleep(Duration::from_millis(50));
            let threads: Vec<_> = (0..24i64)
                .map(|i| {
                    let db = db.clone();
                    std::thread::spawn(move || {
                        let mut unit = Rows::new(vec![i * 10, i * 10 + 1]);
                        // Every third unit refuses after writing; every fourth collides
                        // with the first unit's row (a database error inside the batch).
                        unit.refuse = i % 3 == 0;
                        if i % 4 == 1 {
                            unit.ids.push(1000);
                        }
                        let (unit, outcome) = db.commit(unit).unwrap();
                        (i, unit, outcome)
                    })
                })
                .collect();
            assert!(matches!(head.join().unwrap(), Outcome::Committed));
            let mut want = vec![1000];
            for t in threads {
                let (i, unit, outcome) = t.join().unwrap();
                if i % 3 == 0 {
                    assert!(
                        matches!(outcome, Outcome::RolledBack),
                        "unit {i}: {outcome:?}"
                    );
                } else if i % 4 == 1 {
                    assert!(
                        matches!(outcome, Outcome::RolledBack),
                        "unit {i}: {outcome:?}"
                    );
                    assert!(unit.error.is_some(), "unit {i} kept no error");
                } else {
                    assert!(
                        matches!(outcome, Outcome::Committed),
                        "unit {i}: {outcome:?}"
                    );
                    want.extend([i * 10, i * 10 + 1]);
                }
            }
            want.sort_unstable();
            assert_eq!(stored(&db), want, "{:?}", db.backend());
            let (batches, units) = db.commit_stats();
            assert_eq!(units, 25);
            // 24 units queued behind the first: far fewer transactions than units.
            assert!(batches <= 4, "{batches} transactions for {units} units");
        }
    }

    /// A unit whose [`Unit::weight`] panics: the writer asks it outside any savepoint, so
    /// the panic ends the writer thread (no test hook needed to kill it).
    struct Poison(Rows);

    impl Unit for Poison {
        fn write(&mut self, conn: &mut DbConnection) -> Result<(), Rollback> {
            self.0.write(conn)
        }

        fn weight(&self) -> usize {
            panic!("a unit whose weight panics")
        }
    }

    #[test]
    fn a_writer_that_dies_gives_every_unit_back_to_be_written_and_the_next_commit_starts_another() {
        for (db, _dir) in databases() {
            setup(&db);
            // One unit holds the writer while the poisoned one, then two more, queue behind
            // it: the writer panics taking the poisoned one into its next batch.
            let mut first = Rows::new(vec![1]);
            first.pause = Duration::from_millis(300);
            let db1 = db.clone();
            let head = std::thread::spawn(move || db1.commit(first).unwrap().1);
            std::thread::sleep(Duration::from_millis(50));
            let db2 = db.clone();
            let poison =
                std::thread::spawn(move || db2.commit(Poison(Rows::new(vec![2]))).unwrap().1);
            std::thread::sleep(Duration::from_millis(50));
            let behind: Vec<_> = [3, 4]
                .into_iter()
                .map(|id| {
                    let db = db.clone();
                    std::thread::spawn(move || db.commit(Rows::new(vec![id])).unwrap().1)
                })
                .collect();
            assert!(matches!(head.join().unwrap(), Outcome::Committed));
            // The units the dead writer held or had queued were written alone.
            let outcome = poison.join().unwrap();
            assert!(matches!(outcome, Outcome::Committed), "{outcome:?}");
            for unit in behind {
                let outcome = unit.join().unwrap();
                assert!(matches!(outcome, Outcome::Committed), "{outcome:?}");
            }
            assert_eq!(stored(&db), vec![1, 2, 3, 4], "{:?}", db.backend());
            // The next unit goes through a new writer (it counts units; writing alone does
            // not), and later ones share its transactions again.
            let (_, before) = db.commit_stats();
            let (_, outcome) = db.commit(Rows::new(vec![5])).unwrap();
            assert!(matches!(outcome, Outcome::Committed), "{outcome:?}");
            assert_eq!(db.commit_stats().1, before + 1, "no writer took the unit");
            let (_, outcome) = db.commit(Rows::new(vec![6])).unwrap();
            assert!(matches!(outcome, Outcome::Committed), "{outcome:?}");
            assert_eq!(stored(&db), vec![1, 2, 3, 4, 5, 6], "{:?}", db.backend());
        }
    }

    #[test]
    fn a_panicking_unit_fails_its_batch_and_the_writer_goes_on() {
        for (db, _dir) in databases() {
            setup(&db);
            let mut first = Rows::new(vec![1]);
            first.pause = Duration::from_millis(200);
            let db1 = db.clone();
            let head = std::thread::spawn(move || db1.commit(first).unwrap().1);
            std::thread::sleep(Duration::from_millis(50));
            let db2 = db.clone();
            let bad = std::thread::spawn(move || {
                let mut unit = Rows::new(vec![2]);
                unit.panic = true;
                db2.commit(unit).unwrap().1
            });
            let db3 = db.clone();
            let good = std::thread::spawn(move || db3.commit(Rows::new(vec![3])).unwrap());
            assert!(matches!(head.join().unwrap(), Outcome::Committed));
            assert!(matches!(bad.join().unwrap(), Outcome::Failed(_)));
            // The good unit shared the panicking unit's batch: it comes back untouched,
            // to be written again.
            let (again, outcome) = good.join().unwrap();
            assert!(matches!(outcome, Outcome::Failed(_)), "{outcome:?}");
            assert_eq!(stored(&db), vec![1]);
            assert!(matches!(db.commit(again).unwrap().1, Outcome::Committed));
            assert_eq!(stored(&db), vec![1, 3]);
        }
    }
}

/// `storage::write_transaction` on SQLite begins `BEGIN IMMEDIATE`: two processes sharing one
/// SQLite file (here two `Db`s, each with its own pool and its own in-process writer lock)
/// run read-then-write transactions at once, and each waits for the other instead of
/// failing with `SQLITE_BUSY_SNAPSHOT` (a deferred transaction whose snapshot another
/// process's commit made stale cannot write, and no busy timeout helps it). SQLite only: the
/// failure and the fix are SQLite's (on PostgreSQL a read-then-write takes row locks).
mod sqlite_write_transactions {
    use diesel::RunQueryDsl;
    use diesel::sql_types::BigInt;
    use ruad::storage::{Db, StorageError, write_transaction};
    use std::time::Duration;

    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }

    /// Reads the counter, lets the other process run, then writes what it read plus one.
    fn increment(db: &Db) -> Result<(), StorageError> {
        db.write(|conn| {
            write_transaction(conn, |conn| {
                let read: Count = diesel::sql_query("SELECT n FROM counter").get_result(conn)?;
                std::thread::sleep(Duration::from_millis(5));
                diesel::sql_query("UPDATE counter SET n = ?")
                    .bind::<BigInt, _>(read.n + 1)
                    .execute(conn)?;
                Ok(())
            })
        })
    }

    #[test]
    fn two_processes_on_one_file_run_read_then_write_transactions_without_failing() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("shared.db").display());
        let first = Db::connect(&url, 4).unwrap();
        let second = Db::connect(&url, 4).unwrap();
        first
            .write(|c| {
                diesel::sql_query("CREATE TABLE counter (n BIGINT NOT NULL)").execute(c)?;
                diesel::sql_query("INSERT INTO counter (n) VALUES (0)").execute(c)?;
                Ok(())
            })
            .unwrap();
        let threads: Vec<_> = [first.clone(), second.clone()]
            .into_iter()
            .flat_map(|db| (0..3).map(move |_| db.clone()))
            .map(|db| {
                std::thread::spawn(move || {
                    for _ in 0..10 {
                        increment(&db)?;
                    }
                    Ok::<_, StorageError>(())
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap().unwrap();
        }
        // Each transaction read what the one before it wrote: none was lost.
        let total: Count = second
            .read(|c| Ok(diesel::sql_query("SELECT n FROM counter").get_result(c)?))
            .unwrap();
        assert_eq!(total.n, 60);
    }
}

/// A server's SQLite database is checkpointed by a thread of its own, not by the commits of
/// the writer: its connections do not checkpoint, and pages written to the WAL reach the
/// database file within a second all the same.
#[test]
fn a_server_database_checkpoints_its_wal_in_the_background() {
    use diesel::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct Pages {
        #[diesel(sql_type = diesel::sql_types::Integer)]
        wal_autocheckpoint: i32,
    }
    let db_size = |db: &std::path::Path| std::fs::metadata(db).unwrap().len();
    for server in [false, true] {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.db");
        let url = format!("sqlite://{}", path.display());
        let db = if server {
            ruad::storage::Db::connect_server(&url, 2).unwrap()
        } else {
            ruad::storage::Db::connect(&url, 2).unwrap()
        };
        let pages = db
            .read(|c| {
                Ok(diesel::sql_query("PRAGMA wal_autocheckpoint")
                    .get_result::<Pages>(c)?
                    .wal_autocheckpoint)
            })
            .unwrap();
        assert_eq!(pages, if server { 0 } else { 4000 });
        let before = db_size(&path);
        // About 4 MiB, under the 16 MiB an ordinary connection's commits would checkpoint at.
        db.write(|c| {
            c.batch_execute(
                "CREATE TABLE filler (x BLOB); \
                 WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000) \
                 INSERT INTO filler SELECT randomblob(4000) FROM n;",
            )?;
            Ok(())
        })
        .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(1000));
        let after = db_size(&path);
        if server {
            assert!(after >= before + 4_000_000, "{before} → {after}");
        } else {
            assert!(after < before + 1_000_000, "{before} → {after}");
        }
    }
}
