//! Progress of `ruad ingest` on stderr: counters shared by the workers ([`Tally`]) and their
//! display: a bar on a terminal (by bytes read, so an mbox of unknown message count still
//! has an ETA), or one plain line every few seconds otherwise (logs, CI, pipes).

use super::ItemOutcome;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Counts kept by the workers.
#[derive(Debug, Default)]
pub struct Tally {
    items: AtomicU64,
    items_failed: AtomicU64,
    stored: AtomicU64,
    duplicate: AtomicU64,
    refused: AtomicU64,
    bytes: AtomicU64,
}

/// The counts at one moment.
#[derive(Debug, Clone, Copy, Default)]
pub struct Counts {
    pub items: u64,
    pub items_failed: u64,
    pub stored: u64,
    pub duplicate: u64,
    pub refused: u64,
    pub bytes: u64,
}

impl Tally {
    pub fn add(&self, outcome: &ItemOutcome, input_bytes: u64) {
        let duplicate = outcome.reports.iter().filter(|r| r.duplicate).count() as u64;
        self.stored
            .fetch_add(outcome.reports.len() as u64 - duplicate, Ordering::Relaxed);
        self.duplicate.fetch_add(duplicate, Ordering::Relaxed);
        self.refused
            .fetch_add(outcome.errors.len() as u64, Ordering::Relaxed);
        if outcome.is_failure() {
            self.items_failed.fetch_add(1, Ordering::Relaxed);
        }
        self.bytes.fetch_add(input_bytes, Ordering::Relaxed);
        self.items.fetch_add(1, Ordering::Relaxed);
    }

    pub fn snapshot(&self) -> Counts {
        Counts {
            items: self.items.load(Ordering::Relaxed),
            items_failed: self.items_failed.load(Ordering::Relaxed),
            stored: self.stored.load(Ordering::Relaxed),
            duplicate: self.duplicate.load(Ordering::Relaxed),
            refused: self.refused.load(Ordering::Relaxed),
            bytes: self.bytes.load(Ordering::Relaxed),
        }
    }
}

fn counters(c: &Counts) -> String {
    format!(
        "{} items · {} stored · {} duplicate · {} failed",
        c.items, c.stored, c.duplicate, c.items_failed
    )
}

/// The display, updated by its own thread until [`Progress::finish`].
pub struct Progress {
    bar: Option<ProgressBar>,
    done: Arc<(Mutex<bool>, Condvar)>,
    ticker: Option<JoinHandle<()>>,
    /// Failures printed so far (the first ones are shown; all are in `--log`).
    shown: AtomicU64,
    quiet_after: AtomicBool,
}

/// Failures printed on stderr before they are only counted.
const SHOW_FAILURES: u64 = 20;

impl Progress {
    pub fn start(files: usize, total_bytes: u64, tally: Arc<Tally>, every: Duration) -> Progress {
        let done = Arc::new((Mutex::new(false), Condvar::new()));
        let started = Instant::now();
        let terminal = std::io::stderr().is_terminal();
        let bar = terminal.then(|| {
            let bar = ProgressBar::with_draw_target(Some(total_bytes), ProgressDrawTarget::stderr());
            if let Ok(style) = ProgressStyle::with_template(
                "{bar:30} {binary_bytes}/{binary_total_bytes} {binary_bytes_per_sec} eta {eta} · {msg}",
            ) {
                bar.set_style(style);
            }
            bar
        });
        let _ = writeln!(
            std::io::stderr(),
            "ruad ingest: {files} files, {:.1} MiB",
            total_bytes as f64 / (1 << 20) as f64
        );
        let ticker =
            {
                let (bar, done, tally) = (bar.clone(), done.clone(), tally.clone());
                let every = if bar.is_some() {
                    Duration::from_millis(200)
                } else {
                    every
                };
                std::thread::Builder::new()
                .name("ingest-progress".into())
                .spawn(move || {
                    let (lock, wake) = &*done;
                    let Ok(mut finished) = lock.lock() else { return };
                    while !*finished {
                        let Ok((guard, _)) = wake.wait_timeout(finished, every) else {
                            return;
                        };
                        finished = guard;
                        let c = tally.snapshot();
                        match &bar {
                            Some(bar) => {
                                bar.set_position(c.bytes);
                                bar.set_message(counters(&c));
                            }
                            None if !*finished => {
                                let secs = started.elapsed().as_secs_f64().max(0.001);
                                let left = total_bytes.saturating_sub(c.bytes) as f64;
                                let rate = c.bytes as f64 / secs;
                                let eta = if rate > 0.0 {
                                    format!("{:.0}s", left / rate)
                                } else {
                                    "?".into()
                                };
                                let _ = writeln!(
                                    std::io::stderr(),
                                    "ruad ingest: {} · {:.1}% of bytes · {:.1} items/s · eta {eta}",
                                    counters(&c),
                                    100.0 * c.bytes as f64 / total_bytes.max(1) as f64,
                                    c.items as f64 / secs,
                                );
                            }
                            None => {}
                        }
                    }
                })
                .ok()
            };
        Progress {
            bar,
            done,
            ticker,
            shown: AtomicU64::new(0),
            quiet_after: AtomicBool::new(false),
        }
    }

    /// Reports a failed item on stderr (the first [`SHOW_FAILURES`] of them).
    pub fn failed(&self, label: &str, outcome: &ItemOutcome) {
        let n = self.shown.fetch_add(1, Ordering::Relaxed);
        let line = if n < SHOW_FAILURES {
            let errors: Vec<String> = outcome
                .errors
                .iter()
                .map(|e| format!("{}: {}", e.code, e.detail))
                .collect();
            format!("ruad ingest: failed: {label}: {}", errors.join("; "))
        } else if !self.quiet_after.swap(true, Ordering::Relaxed) {
            "ruad ingest: more failures are only counted (see --log)".to_string()
        } else {
            return;
        };
        match &self.bar {
            Some(bar) => bar.println(line),
            None => {
                let _ = writeln!(std::io::stderr(), "{line}");
            }
        }
    }

    /// Stops the display (the summary follows on stdout).
    pub fn finish(mut self) {
        let (lock, wake) = &*self.done;
        if let Ok(mut finished) = lock.lock() {
            *finished = true;
            wake.notify_all();
        }
        if let Some(ticker) = self.ticker.take() {
            let _ = ticker.join();
        }
        if let Some(bar) = &self.bar {
            bar.finish();
        }
    }
}
