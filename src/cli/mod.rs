//! Command line: `ruad serve`, `ruad parse`, `ruad admin`, `ruad dns`.
//!
//! JSON goes to stdout, human messages to stderr.

mod admin;
pub mod dns;
mod parse;

use clap::{Args, Parser, Subcommand};
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
    #[command(after_help = crate::config::settings_help())]
    Serve,
    /// Bootstrap tenants and API keys directly in the database.
    Admin {
        #[command(subcommand)]
        command: admin::AdminCommand,
    },
    /// Parse report files (XML, JSON, gzip, zlib, zip, email, mbox) and print JSON:
    /// one document per report found, or one summary line per report with --summary.
    Parse(ParseArgs),
    /// Check, evaluate and generate DNS records (DMARC, SPF, DKIM, BIMI, MTA-STS, TLS-RPT) and
    /// confirm reverse DNS; JSON on stdout.
    Dns {
        #[command(subcommand)]
        command: dns::DnsCommand,
    },
}

#[derive(Debug, Args)]
pub struct ParseArgs {
    /// Print one summary line per report instead of the full normalized report.
    #[arg(long)]
    pub summary: bool,
    /// Files to parse; `-` reads standard input.
    #[arg(required = true)]
    pub files: Vec<String>,
    #[command(flatten)]
    pub limits: LimitArgs,
}

/// Overrides of the parser's hard limits (defaults in brackets).
#[derive(Debug, Args, Default)]
pub struct LimitArgs {
    /// Maximum input size in bytes [67108864].
    #[arg(long)]
    pub max_input_bytes: Option<u64>,
    /// Maximum total decompressed bytes per input [536870912].
    #[arg(long)]
    pub max_decompressed_bytes: Option<u64>,
    /// Maximum members of one zip archive [256].
    #[arg(long)]
    pub max_zip_entries: Option<usize>,
    /// Maximum XML element depth [32].
    #[arg(long)]
    pub max_xml_depth: Option<usize>,
    /// Maximum size of one XML token (tag, text run) in bytes [1048576].
    #[arg(long)]
    pub max_token_bytes: Option<usize>,
    /// Maximum records per aggregate report [2000000].
    #[arg(long)]
    pub max_records: Option<u64>,
}

impl LimitArgs {
    pub fn apply(&self, mut limits: crate::reports::Limits) -> crate::reports::Limits {
        if let Some(v) = self.max_input_bytes {
            limits.max_input_bytes = v;
        }
        if let Some(v) = self.max_decompressed_bytes {
            limits.max_decompressed_bytes = v;
        }
        if let Some(v) = self.max_zip_entries {
            limits.max_zip_entries = v;
        }
        if let Some(v) = self.max_xml_depth {
            limits.max_xml_depth = v;
        }
        if let Some(v) = self.max_token_bytes {
            limits.max_token_bytes = v;
        }
        if let Some(v) = self.max_records {
            limits.max_records = v;
        }
        limits
    }
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Parse(args) => parse::run(&args),
        Command::Serve => serve(),
        Command::Dns { command } => dns::run(&command),
        Command::Admin { command } => match admin::run(&command) {
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

fn serve() -> ExitCode {
    let settings = match crate::config::Settings::load() {
        Ok(s) => s,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "ruad: {e}");
            return ExitCode::from(2);
        }
    };
    crate::telemetry::init(&settings.log_format);
    let database = settings.database_for_display();
    tracing::info!("database {database}");
    let result = actix_web::rt::System::new().block_on(async move {
        let ip = settings.listen_addr()?.ip();
        let app = crate::startup::Application::build(settings)?;
        let addr = std::net::SocketAddr::new(ip, app.port());
        tracing::info!("ruad listening on {addr}");
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
