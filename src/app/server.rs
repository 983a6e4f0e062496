//! Builds the application: database (migrated), shared state, HTTP server bound to the
//! configured address (port 0 picks a free one, reported by [`Application::port`]).

use super::settings::Settings;
use crate::api::auth::AuthKeys;
use crate::api::{self, AppState};
use crate::services::metrics::Metrics;
use crate::storage::Db;
use actix_web::dev::Server;
use actix_web::{App, HttpServer, web};
use std::net::TcpListener;
use std::sync::Arc;
use utoipa_actix_web::AppExt;

pub struct Application {
    port: u16,
    server: Server,
    /// The job runner's context, started with the server when enabled.
    jobs: Option<Arc<crate::jobs::Context>>,
    /// The SMTP/LMTP receiver, when a mail listener is configured.
    mail: Option<crate::smtp::Receiver>,
}

impl Application {
    /// Connects to (and migrates) the database and binds the listener.
    pub fn build(settings: Settings) -> anyhow::Result<Application> {
        let db = Db::connect_server(&settings.database_url, settings.database_pool_size)?;
        let keys = AuthKeys::new(&settings.jwt_key()?);
        let addr = settings.listen_addr()?;
        let listener = TcpListener::bind(addr)
            .map_err(|e| anyhow::anyhow!("cannot listen on {addr}: {}", io_message(&e)))?;
        let port = listener.local_addr()?.port();
        let state = web::Data::new(AppState {
            db,
            keys,
            limits: settings.limits(),
            metrics: Arc::new(Metrics::default()),
            checker: settings
                .checker()
                .map_err(|e| anyhow::anyhow!("dns checks: {e}"))?,
            settings: settings.api_settings(),
        });
        let jobs = if settings.jobs_enabled {
            let job_settings = settings.job_settings();
            let sender = crate::outbound::webhook::Sender::new(
                state.checker.resolver.clone(),
                job_settings.webhooks.allow_private,
                job_settings.webhooks.timeout,
            )
            .map_err(|e| anyhow::anyhow!(e))?;
            tracing::info!(instance = %job_settings.instance_id, lease_seconds = job_settings.lease, "job runner enabled");
            Some(Arc::new(crate::jobs::Context {
                db: state.db.clone(),
                checker: state.checker.clone(),
                sender,
                metrics: state.metrics.clone(),
                settings: job_settings,
            }))
        } else {
            None
        };
        let mail = settings
            .smtp_settings()
            .map(|mail| {
                crate::smtp::Receiver::bind(
                    mail,
                    state.db.clone(),
                    state.metrics.clone(),
                    state.limits,
                )
            })
            .transpose()?;
        let workers = settings
            .workers
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()));
        let mcp = web::Data::new(crate::mcp::http::Transport::new(crate::mcp::Context::new(
            state.db.clone(),
            state.checker.clone(),
        )));
        let max_body = settings.max_upload_bytes as usize;
        let body_limits = web::Data::new(settings.body_limits());
        let server = HttpServer::new(move || {
            let app = App::new()
                .into_utoipa_app()
                .openapi(api::base_openapi())
                .configure(api::configure)
                .into_app();
            app.app_data(state.clone())
                .app_data(body_limits.clone())
                .app_data(web::PayloadConfig::new(max_body).limit(max_body))
                .app_data(
                    web::JsonConfig::default()
                        .limit(1 << 20)
                        .error_handler(api::json_error),
                )
                .app_data(web::PathConfig::default().error_handler(api::path_error))
                .app_data(web::QueryConfig::default().error_handler(api::query_error))
                .service(api::docs())
                .service(crate::mcp::http::resource(mcp.clone()))
                .route("/docs", web::get().to(api::docs_redirect))
                .default_service(web::to(api::not_found))
                .wrap(actix_web::middleware::from_fn(api::body::guard))
                .wrap(actix_web::middleware::from_fn(api::metrics::record))
                // Around everything but the access log: every response and problem made
                // inside carries the request id, and the access line reads it back.
                .wrap(actix_web::middleware::from_fn(api::request_id::assign))
                .wrap(
                    actix_web::middleware::Logger::new(
                        "%a \"%r\" %s %b %Dms request_id=%{x-request-id}o",
                    )
                    .log_target("ruad::http"),
                )
        })
        .workers(workers)
        .shutdown_timeout(10)
        .listen(listener)?
        .run();
        Ok(Application {
            port,
            server,
            jobs,
            mail,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The SMTP listener's port, when `smtp_listen` is set.
    pub fn smtp_port(&self) -> Option<u16> {
        self.mail.as_ref().and_then(|m| m.smtp_port())
    }

    /// The LMTP listener's port, when `lmtp_listen` is set.
    pub fn lmtp_port(&self) -> Option<u16> {
        self.mail.as_ref().and_then(|m| m.lmtp_port())
    }

    /// Serves (and runs the job runner and the mail receiver, when enabled) until the server
    /// stops; then the mail receiver stops accepting and finishes the messages it is storing
    /// (up to the HTTP server's 10 s shutdown time).
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let worker = self
            .jobs
            .map(|ctx| actix_web::rt::spawn(crate::jobs::run(ctx)));
        let (stop_mail, mail_stopped) = tokio::sync::watch::channel(false);
        let mail = self.mail.map(|mail| {
            actix_web::rt::spawn(mail.run(mail_stopped, std::time::Duration::from_secs(10)))
        });
        let result = self.server.await;
        let _ = stop_mail.send(true);
        if let Some(mail) = mail {
            let _ = mail.await;
        }
        if let Some(worker) = worker {
            worker.abort();
        }
        result
    }
}

/// An I/O error as people read it: `Address already in use`, without `(os error 98)`.
fn io_message(e: &std::io::Error) -> String {
    let text = e.to_string();
    match text.rfind(" (os error ") {
        Some(i) if text.ends_with(')') => text[..i].to_string(),
        _ => text,
    }
}
