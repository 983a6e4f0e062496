//! Test harness: the real application on 127.0.0.1 with a random port and a fresh database
//! (a SQLite file in a temporary directory, or with `TEST_DATABASE_URL=postgres://…` a new
//! PostgreSQL database), a fixed JWT key, and a bootstrapped root tenant with an admin key.

use reqwest::{Method, StatusCode};
use ruad::app::Application;
use ruad::app::settings::Settings;
use ruad::domain::tenant::Role;
use ruad::storage::{Db, keys, tenants};
use secrecy::SecretString;
use serde_json::{Value, json};
use tempfile::TempDir;

pub const JWT_SECRET: &str = "test-secret-test-secret-test-secret-0123";

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    /// Root tenant and its admin key.
    pub tenant_id: String,
    pub admin_key: String,
    pub database_url: String,
    /// The mail listeners' ports, when the test configured them (read by tests/smtp.rs,
    /// which shares this file).
    #[allow(dead_code)]
    pub smtp_port: Option<u16>,
    #[allow(dead_code)]
    pub lmtp_port: Option<u16>,
    _dir: TempDir,
}

/// A fresh database URL for one test.
pub fn test_database_url(dir: &TempDir) -> String {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(base) if !base.is_empty() => {
            use diesel::{Connection, RunQueryDsl};
            let name = format!("test_{}", uuid::Uuid::new_v4().simple());
            let mut admin =
                diesel::PgConnection::establish(&base).expect("connect to TEST_DATABASE_URL");
            diesel::sql_query(format!("CREATE DATABASE {name}"))
                .execute(&mut admin)
                .expect("create test database");
            let (server, _) = base
                .rsplit_once('/')
                .expect("TEST_DATABASE_URL names a database");
            // No TLS to the loopback server: a test binary exits while its apps' background
            // threads may still be talking to the database, and OpenSSL's exit-time cleanup
            // under a live TLS connection aborted the process once (free(): invalid pointer)
            // after every test had passed.
            format!("{server}/{name}?sslmode=disable")
        }
        _ => format!("sqlite://{}", dir.path().join("ruad.db").display()),
    }
}

pub fn settings(database_url: &str) -> Settings {
    Settings {
        database_url: database_url.to_string(),
        listen: "127.0.0.1:0".into(),
        jwt_secret: Some(SecretString::from(JWT_SECRET.to_string())),
        max_upload_bytes: 8 << 20,
        workers: Some(2),
        database_pool_size: 4,
        // Tests never reach the internet: DNS goes to a closed local port unless a test
        // points it at its own server.
        dns_nameservers: "127.0.0.1:1".into(),
        dns_timeout_ms: 300,
        // Background DNS re-checks would add snapshots behind the tests' backs; tests that
        // want them turn them on. Evaluations run as soon as their data is in.
        dns_recheck_hours: 0,
        evaluate_delay_seconds: 0,
        // Mailboxes keep their secrets sealed under this key.
        secret_key: Some(SecretString::from(
            "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=".to_string(),
        )),
        // Report addresses exist (the mail intake API answers); no mail listener is bound.
        mail_domain: Some("reports.ruad.test".into()),
        // The retention sweep deletes only what a test asks it to.
        retention_sweep_seconds: 0,
        ..Settings::default()
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

pub async fn spawn_app_with(adjust: impl FnOnce(&mut Settings)) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let database_url = test_database_url(&dir);
    let mut settings = settings(&database_url);
    adjust(&mut settings);
    let app = Application::build(settings).expect("build app");
    let address = format!("http://127.0.0.1:{}", app.port());
    let (smtp_port, lmtp_port) = (app.smtp_port(), app.lmtp_port());
    actix_web::rt::spawn(app.run_until_stopped());
    let db = Db::connect(&database_url, 2).expect("connect");
    let (tenant_id, admin_key) = db
        .write(|conn| {
            let tenant = tenants::insert_root_tenant(conn, "operator")?;
            let (_, key) =
                keys::insert_api_key(conn, &tenant.scope(), &tenant.id, "admin", Role::Admin)?;
            Ok((tenant.id.into_string(), key))
        })
        .expect("bootstrap");
    TestApp {
        address,
        client: reqwest::Client::new(),
        tenant_id,
        admin_key,
        database_url,
        smtp_port,
        lmtp_port,
        _dir: dir,
    }
}

/// A response: status, content type and JSON body (or Null).
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub content_type: String,
    pub body: Value,
    pub bytes: Vec<u8>,
    /// The `x-request-id` response header.
    pub request_id: Option<String>,
}

impl Reply {
    /// Asserts an RFC 9457 problem with this status and code.
    pub fn assert_problem(&self, status: u16, code: &str) {
        assert_eq!(self.status.as_u16(), status, "{:?}", self.body);
        assert_eq!(
            self.content_type, "application/problem+json",
            "{:?}",
            self.body
        );
        assert_eq!(self.body["code"], code, "{:?}", self.body);
        assert_eq!(self.body["status"], status);
        assert!(
            self.body["title"].is_string()
                && self.body["detail"].is_string()
                && self.body["type"].is_string()
        );
        assert!(
            self.request_id.is_some(),
            "no x-request-id: {:?}",
            self.body
        );
        assert_eq!(
            self.body["request_id"].as_str(),
            self.request_id.as_deref(),
            "{:?}",
            self.body
        );
    }
}

impl TestApp {
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Reply {
        let mut request = self
            .client
            .request(method, format!("{}{}", self.address, path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        into_reply(request.send().await.expect("request")).await
    }

    pub async fn get(&self, path: &str, token: &str) -> Reply {
        self.send(Method::GET, path, Some(token), None).await
    }

    pub async fn post(&self, path: &str, token: &str, body: Value) -> Reply {
        self.send(Method::POST, path, Some(token), Some(body)).await
    }

    pub async fn upload(&self, token: &str, bytes: Vec<u8>, content_type: &str) -> Reply {
        let request = self
            .client
            .post(format!("{}/api/v1/reports", self.address))
            .bearer_auth(token)
            .header("content-type", content_type)
            .body(bytes);
        into_reply(request.send().await.expect("request")).await
    }

    pub async fn register_domain(&self, name: &str) -> Value {
        let reply = self
            .post("/api/v1/domains", &self.admin_key, json!({ "name": name }))
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
        reply.body
    }

    /// Creates a child tenant of the root with an admin key; returns (tenant id, key).
    pub async fn child_tenant(&self, name: &str) -> (String, String) {
        let tenant = self
            .post("/api/v1/tenants", &self.admin_key, json!({ "name": name }))
            .await;
        assert_eq!(tenant.status, StatusCode::CREATED, "{:?}", tenant.body);
        let id = tenant.body["id"].as_str().expect("id").to_string();
        let key = self
            .post(
                &format!("/api/v1/tenants/{id}/api-keys"),
                &self.admin_key,
                json!({ "name": "k", "role": "admin" }),
            )
            .await;
        assert_eq!(key.status, StatusCode::CREATED, "{:?}", key.body);
        (id, key.body["key"].as_str().expect("key").to_string())
    }
}

pub async fn into_reply(response: reqwest::Response) -> Reply {
    let status = response.status();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let request_id = response
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let bytes = response.bytes().await.expect("body").to_vec();
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Reply {
        status,
        content_type,
        body,
        bytes,
        request_id,
    }
}

pub fn corpus_dir() -> Option<std::path::PathBuf> {
    let dir = std::env::var_os("RUAD_CORPUS_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus")
        });
    dir.join("EXPECTED.json").is_file().then_some(dir)
}

pub fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/reports")
            .join(name),
    )
    .expect("fixture")
}
