//! `ruad dns`: record checks, SPF evaluation and record generators from the command line.
//! JSON on stdout; the exit status is 1 when a check has an error finding, 2 on bad input.

use crate::dns::checks::{self, CheckKind};
use crate::dns::resolver::{Resolver, ResolverSettings, parse_nameserver};
use crate::outbound::https::FetchSettings;
use anyhow::{Context, anyhow};
use clap::{Args, Subcommand};
use std::io::{Read, Write};
use std::net::{IpAddr, SocketAddr};
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub enum DnsCommand {
    /// Check a domain's records of one kind (dmarc, spf, dkim, bimi, mta-sts, tlsrpt), or an IP
    /// address's reverse DNS (fcrdns).
    Check(CheckArgs),
    /// Evaluate SPF for a sending IP and envelope sender (RFC 7208 check_host).
    SpfEval(SpfEvalArgs),
    /// Generate a record to publish (dmarc, spf, dkim, bimi, mta-sts, tlsrpt) from a JSON input.
    Generate(GenerateArgs),
}

#[derive(Debug, Args)]
pub struct Resolving {
    /// Nameserver to ask, IP or IP:PORT (repeatable; default: RUAD_DNS_NAMESERVERS, else the
    /// system's resolvers).
    #[arg(long = "nameserver")]
    pub nameservers: Vec<String>,
    /// Seconds to wait for one DNS answer.
    #[arg(long, default_value_t = 3.0)]
    pub timeout: f64,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// dmarc, spf, dkim, bimi, mta-sts, tlsrpt or fcrdns (case, `-` and `_` do not matter:
    /// `tls-rpt`, `MTA_STS`).
    pub kind: String,
    /// The domain (an IP address for fcrdns).
    pub target: String,
    /// DKIM selector (repeatable; required for dkim) or BIMI selector (default `default`).
    #[arg(long = "selector")]
    pub selectors: Vec<String>,
    #[command(flatten)]
    pub resolving: Resolving,
}

#[derive(Debug, Args)]
pub struct SpfEvalArgs {
    /// The connecting client's IP address.
    #[arg(long)]
    pub ip: IpAddr,
    /// The envelope sender (MAIL FROM), e.g. `bounce@example.com`; empty for bounces.
    #[arg(long)]
    pub sender: String,
    /// The HELO/EHLO name (used when the sender is empty).
    #[arg(long)]
    pub helo: Option<String>,
    #[command(flatten)]
    pub resolving: Resolving,
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// dmarc, spf, dkim, bimi, mta-sts or tlsrpt.
    pub kind: String,
    /// The input as JSON (the same body as POST /api/v1/dns/{kind}/generate), `@FILE`, or `-`
    /// for standard input.
    #[arg(long)]
    pub input: String,
}

/// Nameservers from `--nameserver`, else `RUAD_DNS_NAMESERVERS` (comma-separated).
fn nameservers(given: &[String]) -> anyhow::Result<Vec<SocketAddr>> {
    let from_env;
    let list: Vec<&str> = if given.is_empty() {
        from_env = std::env::var("RUAD_DNS_NAMESERVERS").unwrap_or_default();
        from_env
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect()
    } else {
        given.iter().map(String::as_str).collect()
    };
    list.into_iter()
        .map(|s| parse_nameserver(s).map_err(anyhow::Error::from))
        .collect()
}

/// The time budget of a check: `RUAD_DNS_CHECK_BUDGET_SECS`, as for the server.
fn check_budget() -> anyhow::Result<std::time::Duration> {
    match std::env::var("RUAD_DNS_CHECK_BUDGET_SECS") {
        Ok(v) if !v.trim().is_empty() => v
            .trim()
            .parse::<u64>()
            .ok()
            .filter(|s| (1..=600).contains(s))
            .map(std::time::Duration::from_secs)
            .ok_or_else(|| anyhow!("RUAD_DNS_CHECK_BUDGET_SECS={v}: must be between 1 and 600")),
        _ => Ok(checks::DEFAULT_BUDGET),
    }
}

fn resolver(r: &Resolving) -> anyhow::Result<Resolver> {
    let timeout = std::time::Duration::try_from_secs_f64(r.timeout)
        .map_err(|_| anyhow!("--timeout {} is not a duration", r.timeout))?;
    Ok(Resolver::new(&ResolverSettings {
        nameservers: nameservers(&r.nameservers)?,
        timeout,
        ..ResolverSettings::default()
    })?)
}

/// Prints `value` as JSON. A closed pipe (`ruad dns generate … | head -c 1`) is the reader
/// having seen enough: not an error, nothing to say.
fn print(value: &impl serde::Serialize) -> anyhow::Result<()> {
    let text = serde_json::to_string_pretty(value)?;
    let mut out = std::io::stdout().lock();
    match writeln!(out, "{text}").and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(anyhow!("cannot write output: {e}"))
        }
        _ => Ok(()),
    }
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("runtime")
}

/// Runs `ruad dns …`.
pub fn run(command: &DnsCommand) -> ExitCode {
    let result = match command {
        DnsCommand::Check(args) => check(args),
        DnsCommand::SpfEval(args) => spf_eval(args),
        DnsCommand::Generate(args) => generate(args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            // `{:#}`: each context with its cause, as `stdin: …`.
            let _ = writeln!(std::io::stderr(), "ruad dns: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn check(args: &CheckArgs) -> anyhow::Result<ExitCode> {
    let kind = CheckKind::parse(&args.kind).ok_or_else(|| {
        anyhow!(
            "unknown check '{}' (dmarc, spf, dkim, bimi, mta-sts, tlsrpt, fcrdns)",
            args.kind
        )
    })?;
    let resolver = resolver(&args.resolving)?;
    let checker = crate::outbound::https::checker(resolver, FetchSettings::default())?
        .with_budget(check_budget()?);
    let reports =
        runtime()?.block_on(checks::run(&checker, kind, &args.target, &args.selectors))?;
    let failed = reports.iter().any(|r| crate::dns::has_errors(&r.findings));
    if let [one] = reports.as_slice() {
        print(one)?;
    } else {
        print(&reports)?;
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn spf_eval(args: &SpfEvalArgs) -> anyhow::Result<ExitCode> {
    let resolver = resolver(&args.resolving)?;
    let domain = match args.sender.rsplit_once('@') {
        Some((_, d)) if !d.is_empty() => d.to_string(),
        _ => args
            .helo
            .clone()
            .context("--sender has no domain: give --helo for a null sender")?,
    };
    let now = chrono::Utc::now().timestamp();
    let evaluation = runtime()?.block_on(crate::dns::spf::check_host(
        &resolver,
        args.ip,
        &domain,
        &args.sender,
        args.helo.as_deref(),
        now,
    ));
    print(&evaluation)?;
    Ok(ExitCode::SUCCESS)
}

fn generate(args: &GenerateArgs) -> anyhow::Result<ExitCode> {
    let text = match args.input.as_str() {
        "-" => {
            let mut s = String::new();
            std::io::stdin().read_to_string(&mut s).context("stdin")?;
            s
        }
        path if path.starts_with('@') => {
            std::fs::read_to_string(&path[1..]).with_context(|| path[1..].to_string())?
        }
        json => json.to_string(),
    };
    let input: serde_json::Value = serde_json::from_str(&text).context("--input is not JSON")?;
    let now = chrono::Utc::now().timestamp();
    let generated = crate::dns::generate::from_json(&args.kind, input, now)?;
    print(&generated)?;
    Ok(ExitCode::SUCCESS)
}
