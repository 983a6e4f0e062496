//! `ruad mcp`: the tools over standard input and output, for one agent that runs ruad as its
//! subprocess. The credential is an API key (`--api-key` or `RUAD_MCP_API_KEY`), resolved by
//! the HTTP API's own lookup, so the agent sees exactly what that key sees through the API.
//! Standard output carries the protocol only; logs go to standard error.

use super::{Context, Ruad};
use crate::storage::TenantScope;
use clap::Args;
use rmcp::ServiceExt;

#[derive(Debug, Args)]
pub struct McpArgs {
    /// The API key whose tenant scope the tools answer in (an environment variable keeps it
    /// out of the process list).
    #[arg(long, env = "RUAD_MCP_API_KEY", hide_env_values = true)]
    pub api_key: Option<String>,
}

/// Serves the tools in `scope` over stdio until the client closes its end.
pub async fn serve(ctx: Context, scope: TenantScope) -> anyhow::Result<()> {
    let running = Ruad::new(ctx, scope)
        .serve(rmcp::transport::stdio())
        .await
        .map_err(|e| anyhow::anyhow!("the MCP session did not start: {e}"))?;
    running
        .waiting()
        .await
        .map_err(|e| anyhow::anyhow!("the MCP session failed: {e}"))?;
    Ok(())
}
