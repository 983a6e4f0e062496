//! The Model Context Protocol front door: read-only tools over the same services the HTTP API
//! uses, for AI agents. Two transports serve one tool set ([`Ruad`]):
//!
//! - [`stdio`]: `ruad mcp --api-key <key>`: one agent, the tenant scope of that key.
//! - [`http`]: streamable HTTP at `/mcp` of `ruad serve`, behind the API's own authentication
//!   (the `Caller` extractor: API key or JWT, 401 problem+json without one), each request
//!   served statelessly with the caller's scope.
//!
//! Invariants:
//! - Every tool reads through `services` (never `storage`), in the scope of the credential,
//!   and answers the JSON the REST API answers for the same question (built by the API's own
//!   DTO conversions), so an agent and a script see one contract. Another tenant's domain is
//!   "not found", exactly as in the REST API.
//! - A tool never writes: no tool registers, deletes, acknowledges or stores anything, and no
//!   tool answers a secret (ingest tokens are left out of domains whatever the key's role).
//! - A failure is a tool result with `isError` and `{code, detail}` (the API's stable error
//!   code and its client-facing detail); nothing here panics on an agent's input.
//!
//! This layer sits above `api` (it reuses its DTOs, validation and authentication) and below
//! `app`, which builds it; nothing imports it but `app`.

pub mod http;
pub mod stdio;
pub mod tools;

use crate::api::error::{ApiError, ErrorCode};
use crate::dns::checks::Checker;
use crate::storage::{Db, TenantScope};
use rmcp::handler::server::router::tool::ToolRouter;
use rmcp::model::{CallToolResult, Implementation, ServerCapabilities, ServerConfig};
use rmcp::{ServerHandler, tool_handler};
use serde::Serialize;

/// What the tools need, shared by every request (built once by the composition root).
#[derive(Clone)]
pub struct Context {
    pub db: Db,
    pub checker: Checker,
    /// The tool table, built once and cloned into each server.
    router: ToolRouter<Ruad>,
}

impl Context {
    pub fn new(db: Db, checker: Checker) -> Context {
        let mut router = Ruad::tool_router();
        // The generators' inputs are the API's schemas, not schemars structs: give the tool
        // those (kept as a free-form object if the spec could not be read).
        if let (Some(route), Some(schema)) = (
            router.map.get_mut("generate_dns_record"),
            tools::generate_input_schema(),
        ) {
            route.attr.input_schema = std::sync::Arc::new(schema);
        }
        Context {
            db,
            checker,
            router,
        }
    }
}

/// The MCP server of one caller: the tools, answering in `scope`.
#[derive(Clone)]
pub struct Ruad {
    ctx: Context,
    scope: TenantScope,
    tool_router: ToolRouter<Ruad>,
}

impl Ruad {
    pub fn new(ctx: Context, scope: TenantScope) -> Ruad {
        Ruad {
            tool_router: ctx.router.clone(),
            ctx,
            scope,
        }
    }
}

const INSTRUCTIONS: &str = "ruad holds the DMARC aggregate and SMTP TLS (RFC 8460) reports of \
    the domains your credential sees. Start with list_domains or get_portfolio (which domains \
    need attention and why), then ask about one domain: list_domain_issues (problems with their \
    remediation and the DNS record to publish), get_dmarc_by_source and get_dmarc_by_service \
    (who sends mail as the domain, and whether it passes DMARC), get_enforcement_readiness \
    (what p=quarantine or p=reject would block, and the next policy step), get_dmarc_by_result, \
    get_timeseries, get_tls_by_result, get_tls_by_source, list_domain_dns_checks (the stored \
    DNS checks). query_dmarc and query_tls answer anything else, over one or more domains: \
    group by fields (source, network, service, reporter, results, DKIM/SPF domains, policy, \
    day/week/month), filter, order and page. check_dns looks a record up live; generate_dns_record writes a record to \
    publish. Days are YYYY-MM-DD (UTC) and default to the last 30 days. Every tool only reads.";

#[tool_handler(router = self.tool_router)]
impl ServerHandler for Ruad {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("ruad", env!("CARGO_PKG_VERSION")))
            .with_instructions(INSTRUCTIONS)
    }
}

/// A tool's answer: the value as structured content (and as its JSON text, for clients that
/// read text only), or the failure as an error result.
fn answer<T: Serialize>(result: Result<T, ApiError>) -> CallToolResult {
    answer_about(None, result)
}

/// [`answer`] for a tool about one domain: "not found" names the domain the agent gave, and
/// reads the same for a domain that does not exist and for one of another tenant, so nothing
/// reveals that it exists (the code is the API's `not_found` either way).
fn answer_for<T: Serialize>(domain: &str, result: Result<T, ApiError>) -> CallToolResult {
    answer_about(Some(domain), result)
}

fn answer_about<T: Serialize>(domain: Option<&str>, result: Result<T, ApiError>) -> CallToolResult {
    let encoded = result.and_then(|value| {
        serde_json::to_value(value)
            .map_err(|e| ApiError::Internal(anyhow::anyhow!("failed to encode a tool answer: {e}")))
    });
    match encoded {
        Ok(value) => CallToolResult::structured(value),
        Err(e) => failure(domain, e),
    }
}

/// A failure as an MCP tool error: the API's stable code and its client-facing detail. Causes
/// (a database's own text) are logged, never answered, as the HTTP API does.
fn failure(domain: Option<&str>, e: ApiError) -> CallToolResult {
    match &e {
        ApiError::Internal(cause) => tracing::error!(error = ?cause, "mcp tool failed"),
        ApiError::Unavailable(cause) => tracing::warn!(error = %cause, "database unavailable"),
        _ => {}
    }
    let problem = e.problem();
    let detail = match (problem.code, domain) {
        (ErrorCode::NotFound, Some(domain)) => format!(
            "no domain '{domain}' among the domains this credential sees (list_domains lists them)"
        ),
        _ => problem.detail,
    };
    CallToolResult::structured_error(serde_json::json!({
        "code": problem.code,
        "detail": detail,
    }))
}
