//! `ruad ingest PATH...`: bulk imports of report files, mail folders and mail archives,
//! either to a running server (`--url`, `--key`: each item is one `POST /api/v1/reports`)
//! or straight into the configured database through the same ingest service the server
//! uses (`--tenant`).
//!
//! - Inputs ([`sources`]): files, directories (recursively), mbox files (split message by
//!   message as a stream: a 10 GB mbox is read in the memory of one message), Maildir
//!   folders, and zip archives over the item limit (entry by entry).
//! - `--jobs N` workers ingest items in parallel; one reader feeds them through a bounded
//!   channel, so memory is about `2 × N` items whatever the input size.
//! - Progress on stderr: a bar on a terminal (bytes read, items, reports stored, duplicate,
//!   failed, rate, ETA), else one plain line every `--progress-seconds`.
//! - `--log FILE`: one JSON line per item (label, outcome, reports, errors).
//! - `--auto-register` (into the database only): a report about a domain the tenant has not
//!   registered registers it, as mail to the tenant's report address does.
//! - Re-running is safe: a stored report comes back `duplicate` (the ingest service's dedup).
//! - At the end, a JSON summary on stdout; the exit status is 1 when any item failed (no
//!   report, a report refused, unreadable, too large), 2 when the command could not start or
//!   the server refused the credentials.

mod destination;
mod progress;
pub mod sources;

pub use destination::{Destination, Direct, Remote};

use clap::Args;
use progress::{Progress, Tally};
use serde::Serialize;
use sources::Produced;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::sync_channel;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Debug, Args)]
pub struct IngestArgs {
    /// Files, directories, mbox files and Maildir folders to import.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Send to a running server at this base URL (e.g. http://127.0.0.1:8080) instead of
    /// writing to the configured database.
    #[arg(long, requires = "key")]
    pub url: Option<String>,
    /// The API key (writer role) for --url; also read from RUAD_API_KEY.
    #[arg(long, env = "RUAD_API_KEY", hide_env_values = true)]
    pub key: Option<String>,
    /// The tenant whose registered domains the reports are filed under: required without
    /// --url; with --url, a tenant of the key's subtree (as the upload's `tenant_id`).
    #[arg(long)]
    pub tenant: Option<String>,
    /// Register the domain of a report the tenant has not registered (its organizational
    /// domain, with its DNS check queued), as mail to the tenant's report address does with
    /// auto-registration on; reports are then filed under the tenant's own domains only.
    /// Without --url only: the upload API never registers domains.
    #[arg(long, conflicts_with = "url")]
    pub auto_register: bool,
    /// Items ingested in parallel.
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub jobs: u16,
    /// Write one JSON line per item to this file.
    #[arg(long)]
    pub log: Option<PathBuf>,
    /// Seconds between progress lines when stderr is not a terminal.
    #[arg(long, default_value_t = 10)]
    pub progress_seconds: u64,
}

/// One report an item gave.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ReportOutcome {
    pub id: String,
    pub kind: String,
    pub domain: String,
    pub duplicate: bool,
    pub conflict: bool,
}

/// Something in an item that was not stored.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ItemError {
    pub code: String,
    pub detail: String,
}

/// What became of one item.
#[derive(Debug, Default, Clone, Serialize)]
pub struct ItemOutcome {
    pub reports: Vec<ReportOutcome>,
    pub errors: Vec<ItemError>,
}

impl ItemOutcome {
    pub(crate) fn failed(code: &str, detail: impl Into<String>) -> ItemOutcome {
        ItemOutcome {
            reports: Vec::new(),
            errors: vec![ItemError {
                code: code.to_string(),
                detail: detail.into(),
            }],
        }
    }

    /// Something in the item was not stored (`failed` or `partial`): the run exits 1.
    pub(crate) fn is_failure(&self) -> bool {
        self.reports.is_empty() || !self.errors.is_empty()
    }

    /// `stored` (something new), `duplicate` (everything known), `failed` (nothing stored)
    /// or `partial` (reports stored and something refused).
    fn verdict(&self) -> &'static str {
        match (self.reports.is_empty(), self.errors.is_empty()) {
            (true, _) => "failed",
            (false, false) => "partial",
            (false, true) if self.reports.iter().all(|r| r.duplicate) => "duplicate",
            (false, true) => "stored",
        }
    }
}

/// A failure that stops the whole import (bad credentials, a database that cannot be
/// opened): going on would fail every item the same way.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Fatal(pub String);

#[derive(Serialize)]
struct LogLine<'a> {
    item: &'a str,
    input_bytes: u64,
    outcome: &'static str,
    reports: &'a [ReportOutcome],
    errors: &'a [ItemError],
}

/// The end-of-run summary printed on stdout.
#[derive(Debug, Serialize)]
struct Summary {
    items: u64,
    reports_stored: u64,
    reports_duplicate: u64,
    reports_refused: u64,
    items_failed: u64,
    input_bytes: u64,
    seconds: f64,
    items_per_second: f64,
    /// Set when the import stopped early.
    stopped: Option<String>,
}

/// Runs the import into `destination`; see the module documentation.
pub fn run(args: &IngestArgs, destination: Destination) -> ExitCode {
    let (files, total_bytes) = match sources::plan(&args.paths) {
        Ok(plan) => plan,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "ruad ingest: {e}");
            return ExitCode::from(2);
        }
    };
    let log = match &args.log {
        None => None,
        Some(path) => match std::fs::File::create(path) {
            Ok(f) => Some(Mutex::new(std::io::BufWriter::new(f))),
            Err(e) => {
                let _ = writeln!(
                    std::io::stderr(),
                    "ruad ingest: cannot create {}: {e}",
                    path.display()
                );
                return ExitCode::from(2);
            }
        },
    };
    let started = Instant::now();
    let tally = Arc::new(Tally::default());
    let progress = Progress::start(
        files.len(),
        total_bytes,
        tally.clone(),
        Duration::from_secs(args.progress_seconds.max(1)),
    );
    let max_item_bytes = destination.max_item_bytes();
    let workers = usize::from(args.jobs);
    let (tx, rx) = sync_channel::<Produced>(workers * 2);
    let rx = Mutex::new(rx);
    let fatal: Mutex<Option<String>> = Mutex::new(None);
    // Set on a fatal failure: the reader stops, the workers drain what is queued unread.
    let stop = AtomicBool::new(false);
    let destination = &destination;
    std::thread::scope(|scope| {
        let (files, stop) = (&files, &stop);
        // The reader owns the sender: when it is done, the workers see the channel close.
        scope.spawn(move || {
            sources::produce(files, max_item_bytes, |produced| {
                !stop.load(Ordering::Relaxed) && tx.send(produced).is_ok()
            })
        });
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let next = match rx.lock() {
                        Ok(rx) => rx.recv(),
                        Err(_) => return,
                    };
                    let Ok(produced) = next else { return };
                    if stop.load(Ordering::Relaxed) {
                        continue;
                    }
                    let (label, input_bytes, outcome) = match produced {
                        Produced::Item(item) => match destination.ingest(&item) {
                            Ok(outcome) => (item.label, item.input_bytes, outcome),
                            Err(Fatal(message)) => {
                                if let Ok(mut f) = fatal.lock() {
                                    f.get_or_insert(message);
                                }
                                stop.store(true, Ordering::Relaxed);
                                continue;
                            }
                        },
                        Produced::Unreadable {
                            label,
                            input_bytes,
                            code,
                            detail,
                        } => (label, input_bytes, ItemOutcome::failed(code, detail)),
                    };
                    let verdict = outcome.verdict();
                    tally.add(&outcome, input_bytes);
                    if outcome.is_failure() {
                        progress.failed(&label, &outcome);
                    }
                    if let Some(log) = &log {
                        let line = LogLine {
                            item: &label,
                            input_bytes,
                            outcome: verdict,
                            reports: &outcome.reports,
                            errors: &outcome.errors,
                        };
                        if let (Ok(mut log), Ok(json)) = (log.lock(), serde_json::to_string(&line))
                        {
                            let _ = writeln!(log, "{json}");
                        }
                    }
                }
            });
        }
    });
    progress.finish();
    if let Some(log) = &log
        && let Ok(mut log) = log.lock()
        && let Err(e) = log.flush()
    {
        let _ = writeln!(std::io::stderr(), "ruad ingest: writing the log: {e}");
    }
    let stopped = fatal.into_inner().ok().flatten();
    let seconds = started.elapsed().as_secs_f64();
    let snapshot = tally.snapshot();
    let summary = Summary {
        items: snapshot.items,
        reports_stored: snapshot.stored,
        reports_duplicate: snapshot.duplicate,
        reports_refused: snapshot.refused,
        items_failed: snapshot.items_failed,
        input_bytes: snapshot.bytes,
        seconds: (seconds * 1000.0).round() / 1000.0,
        items_per_second: if seconds > 0.0 {
            (snapshot.items as f64 / seconds * 10.0).round() / 10.0
        } else {
            0.0
        },
        stopped: stopped.clone(),
    };
    if let Ok(json) = serde_json::to_string(&summary) {
        let _ = writeln!(std::io::stdout(), "{json}");
    }
    if let Some(message) = stopped {
        let _ = writeln!(std::io::stderr(), "ruad ingest: stopped: {message}");
        return ExitCode::from(2);
    }
    if snapshot.items_failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
