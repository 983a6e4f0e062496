//! The command-line front door: `ruad parse`, `ruad ingest`, `ruad admin`, `ruad dns` (the command table
//! and `ruad serve` are in [`crate::app`]).
//!
//! JSON goes to stdout, human messages to stderr.

pub mod admin;
pub mod dns;
pub mod ingest;
pub mod parse;

use clap::Args;

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
