//! The composition root: reads the command line and the settings, builds the parts and
//! hands them to a front door (the HTTP server, a command). Nothing else imports it.
//!
//! - [`settings`]: defaults → TOML file → `RUAD_*` environment.
//! - [`server`]: the HTTP server and the job runner beside it.
//! - [`telemetry`]: logging to stderr.

pub mod server;
pub mod settings;
pub mod telemetry;

pub use server::Application;
pub use settings::Settings;

use crate::api::auth::AuthKeys;
use clap::{Parser, Subcommand};
use std::io::Write;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "ruad",
    version,
    about = "DMARC aggregate and SMTP TLS report server"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the HTTP API server (configuration: RUAD_* environment, RUAD_CONFIG TOML file).
    #[command(after_help = settings::settings_help())]
    Serve,
    /// Bootstrap tenants and API keys directly in the database.
    Admin {
        #[command(subcommand)]
        command: crate::cli::admin::AdminCommand,
    },
    /// Parse report files (XML, JSON, gzip, zlib, zip, email, mbox) and print JSON:
    /// one document per report found, or one summary line per report with --summary.
    Parse(crate::cli::ParseArgs),
    /// Import report files, mbox files and Maildir folders in bulk: to a running server
    /// (--url, --key) or straight into the configured database (--tenant). A JSON summary on
    /// stdout; exit 1 when any item failed.
    Ingest(crate::cli::ingest::IngestArgs),
    /// Check, evaluate and generate DNS records (DMARC, SPF, DKIM, BIMI, MTA-STS, TLS-RPT) and
    /// confirm reverse DNS; JSON on stdout.
    Dns {
        #[command(subcommand)]
        command: crate::cli::dns::DnsCommand,
    },
    /// Serve read-only tools to an AI agent over the Model Context Protocol on stdin/stdout
    /// (domains, portfolio, aggregates, issues, DNS checks and generators), in the tenant
    /// scope of an API key. `ruad serve` offers the same tools at /mcp (streamable HTTP).
    Mcp(crate::mcp::stdio::McpArgs),
}

/// `ruad`: parses the command line and runs it.
pub fn main() -> ExitCode {
    run(Cli::parse())
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Parse(args) => crate::cli::parse::run(&args),
        Command::Serve => serve(),
        Command::Dns { command } => crate::cli::dns::run(&command),
        Command::Ingest(args) => ingest(&args),
        Command::Mcp(args) => mcp(&args),
        Command::Admin { command } => match admin(&command) {
            Ok(value) => {
                let _ = writeln!(std::io::stdout(), "{value}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                let _ = writeln!(std::io::stderr(), "ruad admin: {e:#}");
                ExitCode::FAILURE
            }
        },
    }
}

fn admin(command: &crate::cli::admin::AdminCommand) -> anyhow::Result<serde_json::Value> {
    let settings = Settings::load()?;
    let _ = writeln!(
        std::io::stderr(),
        "ruad: database {}",
        settings.database_for_display()
    );
    let db = crate::storage::Db::connect(&settings.database_url, 1)?;
    crate::cli::admin::run(command, &db)
}

/// `ruad ingest`: the destination from the arguments and the settings, then the import.
fn ingest(args: &crate::cli::ingest::IngestArgs) -> ExitCode {
    use crate::cli::ingest::{Destination, Direct, Remote};
    let fail = |message: String| {
        let _ = writeln!(std::io::stderr(), "ruad ingest: {message}");
        ExitCode::from(2)
    };
    let settings = match Settings::load() {
        Ok(s) => s,
        Err(e) => return fail(e.to_string()),
    };
    let destination = match (&args.url, &args.key) {
        (Some(url), Some(key)) => {
            match Remote::new(
                url,
                key.clone(),
                args.tenant.as_deref(),
                settings.max_upload_bytes as usize,
            ) {
                Ok(remote) => Destination::Remote(remote),
                Err(e) => return fail(e.0),
            }
        }
        (Some(_), None) => return fail("--url needs --key (or RUAD_API_KEY)".into()),
        (None, _) => {
            let Some(tenant) = &args.tenant else {
                return fail(
                    "give --tenant ID to write to the configured database, or --url and --key to send to a server"
                        .into(),
                );
            };
            let _ = writeln!(
                std::io::stderr(),
                "ruad ingest: database {}",
                settings.database_for_display()
            );
            let pool = u32::from(args.jobs).saturating_add(1);
            let db = match crate::storage::Db::connect(&settings.database_url, pool) {
                Ok(db) => db,
                Err(e) => return fail(format!("cannot open the database: {e}")),
            };
            let id = crate::domain::ids::TenantId::from(tenant.as_str());
            let scope =
                match db.read(|conn| crate::storage::tenants::find_tenant_unscoped(conn, &id)) {
                    Ok(Some(t)) => t.scope(),
                    Ok(None) => return fail(format!("tenant {tenant} not found")),
                    Err(e) => return fail(format!("cannot read the tenant: {e}")),
                };
            Destination::Direct(Box::new(Direct {
                db,
                scope,
                limits: settings.limits(),
                metrics: crate::services::metrics::Metrics::default(),
                auto_register: args.auto_register.then_some(
                    crate::services::ingest::AutoRegister {
                        check_dns: settings.dns_recheck_hours > 0,
                    },
                ),
            }))
        }
    };
    crate::cli::ingest::run(args, destination)
}

/// `ruad mcp`: the key's scope, then the tools on stdio until the client closes.
fn mcp(args: &crate::mcp::stdio::McpArgs) -> ExitCode {
    let fail = |message: String| {
        let _ = writeln!(std::io::stderr(), "ruad mcp: {message}");
        ExitCode::from(2)
    };
    let Some(key) = args.api_key.clone().filter(|k| !k.trim().is_empty()) else {
        return fail("give --api-key KEY (or RUAD_MCP_API_KEY)".into());
    };
    let settings = match Settings::load() {
        Ok(s) => s,
        Err(e) => return fail(e.to_string()),
    };
    // Logs on stderr: stdout carries the protocol.
    telemetry::init(&settings.log_format);
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => return fail(format!("cannot start the runtime: {e}")),
    };
    let result = runtime.block_on(async move {
        let db = crate::storage::Db::connect(&settings.database_url, 4)
            .map_err(|e| anyhow::anyhow!("cannot open the database: {e}"))?;
        // An API key needs no JWT key: read (or create) one only for a JWT, so a key works
        // where the JWT key file cannot be written.
        let keys = if key.trim().starts_with(crate::storage::keys::KEY_PREFIX) {
            AuthKeys::new(&secrecy::SecretString::from(crate::storage::new_id()))
        } else {
            AuthKeys::new(&settings.jwt_key()?)
        };
        let caller = crate::api::auth::extract::authenticate(&db, &keys, key.trim())
            .map_err(|e| anyhow::anyhow!("the API key was refused: {}", e.problem().detail))?;
        let checker = settings
            .checker()
            .map_err(|e| anyhow::anyhow!("dns checks: {e}"))?;
        tracing::info!(tenant_id = %caller.scope.tenant_id, "ruad mcp: serving on stdio");
        crate::mcp::stdio::serve(crate::mcp::Context::new(db, checker), caller.scope).await
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(format!("{e:#}")),
    }
}

fn serve() -> ExitCode {
    let settings = match Settings::load() {
        Ok(s) => s,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "ruad: {e}");
            return ExitCode::from(2);
        }
    };
    telemetry::init(&settings.log_format);
    let database = settings.database_for_display();
    tracing::info!("database {database}");
    let result = actix_web::rt::System::new().block_on(async move {
        let ip = settings.listen_addr()?.ip();
        let app = Application::build(settings)?;
        let addr = std::net::SocketAddr::new(ip, app.port());
        tracing::info!("ruad listening on {addr}");
        if let Some(port) = app.smtp_port() {
            tracing::info!("ruad SMTP listening on port {port}");
        }
        if let Some(port) = app.lmtp_port() {
            tracing::info!("ruad LMTP listening on port {port}");
        }
        app.run_until_stopped().await?;
        anyhow::Ok(())
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "ruad: {e:#}");
            ExitCode::FAILURE
        }
    }
}
