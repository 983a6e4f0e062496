//! Migrations: both trees list the same versions and run up → down → up on both backends
//! (PostgreSQL when `TEST_DATABASE_URL` is set).
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
