//! The SMTP (RFC 5321) and LMTP (RFC 2033) receiver of `ruad serve`: a front door beside the
//! HTTP API that takes mail for report addresses (`<token>@<mail domain>`,
//! `services::intake`) and ingests it.
//!
//! # Promises
//! - Never a relay: `RCPT` is accepted only for a report address of this deployment; any
//!   other domain is `550 5.7.1`, an unknown address at the mail domain `550 5.1.1`.
//! - `250` after `DATA` (per recipient in LMTP) only once every report the message holds
//!   for that recipient is committed or a duplicate (`services::ingest`'s promise, the same
//!   as the upload API's `201`). Storage trouble or overload answers `451 4.3.0`, so the
//!   sender retries (and dedup makes the retry harmless); a message with no report, or
//!   whose reports are all refused, answers `5xx` with the reason. A message some of whose
//!   reports are stored and others refused for good (not parsable, domain not registered) is
//!   answered `250` with the counts: sending it again could not store more.
//! - With several recipients of different targets, the message is ingested once per distinct
//!   target. SMTP gives one reply: `250` when all succeeded, else `451` when any failed for
//!   a temporary reason (a retry then stores what is missing), else the first permanent
//!   refusal. LMTP gives one reply per accepted recipient, in order.
//! - Bounded: message size (`SIZE`; over it the data is read to the final dot without being
//!   kept, then `552 5.3.4`), recipients per message, connections in all and per client
//!   address, line length, errors before disconnect, and the RFC 5321 §4.5.3.2 timeouts.
//! - Parsing of commands is `smtp-proto`'s; lines are read here (CRLF or bare LF, bounded),
//!   with dot-unstuffing. Replies to pipelined commands are flushed when the client's input
//!   is drained (RFC 2920). Input buffered before `STARTTLS` is discarded (no command
//!   injection across the handshake).
//!
//! Must not depend on `api`, `cli` or `app`; the database work is `services`'.

mod io;
mod reply;
mod session;
mod tls;

use crate::reports::Limits;
use crate::services::metrics::Metrics;
use crate::storage::Db;
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{Notify, Semaphore, watch};

/// The receiver's settings (`app::settings` documents each key).
#[derive(Debug, Clone)]
pub struct SmtpSettings {
    /// Report addresses' domain, lower case.
    pub mail_domain: String,
    pub smtp_listen: Option<String>,
    pub lmtp_listen: Option<String>,
    /// Certificate chain and key PEM files for STARTTLS.
    pub tls: Option<(PathBuf, PathBuf)>,
    pub max_message_bytes: u64,
    pub max_recipients: usize,
    pub max_connections: usize,
    pub max_connections_per_ip: usize,
    pub command_timeout: Duration,
    pub data_block_timeout: Duration,
    pub data_end_timeout: Duration,
    pub max_line_bytes: usize,
    pub max_errors: u32,
    /// Queue a DNS check for a domain registered by a report (periodic re-checks are on).
    pub check_dns: bool,
}

/// What every session shares.
struct Shared {
    settings: SmtpSettings,
    db: Db,
    metrics: Arc<Metrics>,
    limits: Limits,
    tls: Option<tls::TlsSource>,
    /// Messages being stored at once: beyond it a message waits, then is answered 451.
    ingest_slots: Semaphore,
    connections: Mutex<HashMap<IpAddr, usize>>,
    open: AtomicUsize,
    closed: Notify,
}

/// The bound SMTP and LMTP listeners, not yet serving.
pub struct Receiver {
    shared: Arc<Shared>,
    smtp: Option<std::net::TcpListener>,
    lmtp: Option<std::net::TcpListener>,
}

fn bind(addr: &str) -> anyhow::Result<std::net::TcpListener> {
    let addr: SocketAddr = addr
        .parse()
        .map_err(|_| anyhow::anyhow!("{addr:?} is not an IP:PORT address"))?;
    let listener = std::net::TcpListener::bind(addr)
        .map_err(|e| anyhow::anyhow!("cannot listen on {addr}: {e}"))?;
    listener.set_nonblocking(true)?;
    Ok(listener)
}

impl Receiver {
    /// Binds the configured listeners and loads the TLS certificate (a bad one stops the
    /// start, with its path in the message).
    pub fn bind(
        settings: SmtpSettings,
        db: Db,
        metrics: Arc<Metrics>,
        limits: Limits,
    ) -> anyhow::Result<Receiver> {
        let tls = match &settings.tls {
            Some((cert, key)) => Some(tls::TlsSource::load(cert.clone(), key.clone())?),
            None => None,
        };
        let smtp = settings.smtp_listen.as_deref().map(bind).transpose()?;
        let lmtp = settings.lmtp_listen.as_deref().map(bind).transpose()?;
        let mut limits = limits;
        // A message may be as large as the SMTP limit allows, whatever the upload limit.
        limits.max_input_bytes = limits.max_input_bytes.max(settings.max_message_bytes);
        let slots = std::thread::available_parallelism().map_or(2, |n| n.get() * 2);
        Ok(Receiver {
            shared: Arc::new(Shared {
                settings,
                db,
                metrics,
                limits,
                tls,
                ingest_slots: Semaphore::new(slots),
                connections: Mutex::new(HashMap::new()),
                open: AtomicUsize::new(0),
                closed: Notify::new(),
            }),
            smtp,
            lmtp,
        })
    }

    /// The SMTP listener's port, when configured.
    pub fn smtp_port(&self) -> Option<u16> {
        port(self.smtp.as_ref())
    }

    /// The LMTP listener's port, when configured.
    pub fn lmtp_port(&self) -> Option<u16> {
        port(self.lmtp.as_ref())
    }

    /// Serves until `shutdown` turns true; then stops accepting, tells idle sessions
    /// `421` and waits up to `grace` for sessions storing a message to finish.
    pub async fn run(self, shutdown: watch::Receiver<bool>, grace: Duration) {
        let mut loops = Vec::new();
        for (listener, lmtp) in [(self.smtp, false), (self.lmtp, true)] {
            let Some(listener) = listener else { continue };
            match tokio::net::TcpListener::from_std(listener) {
                Ok(listener) => loops.push(tokio::spawn(accept_loop(
                    listener,
                    lmtp,
                    self.shared.clone(),
                    shutdown.clone(),
                ))),
                Err(e) => tracing::error!(error = %e, "mail listener could not start"),
            }
        }
        let mut stop = shutdown.clone();
        let _ = stop.wait_for(|s| *s).await.map(|_| ());
        for l in &loops {
            l.abort();
        }
        let shared = self.shared;
        let drained = async {
            loop {
                let notified = shared.closed.notified();
                if shared.open.load(Ordering::SeqCst) == 0 {
                    return;
                }
                notified.await;
            }
        };
        if tokio::time::timeout(grace, drained).await.is_err() {
            tracing::warn!(
                open = shared.open.load(Ordering::SeqCst),
                "mail sessions still open at shutdown"
            );
        }
    }
}

fn port(listener: Option<&std::net::TcpListener>) -> Option<u16> {
    listener.and_then(|l| l.local_addr().ok()).map(|a| a.port())
}

/// A connection slot: released (and counted down) when dropped.
struct Slot {
    shared: Arc<Shared>,
    ip: IpAddr,
}

impl Drop for Slot {
    fn drop(&mut self) {
        if let Ok(mut map) = self.shared.connections.lock()
            && let Some(n) = map.get_mut(&self.ip)
        {
            *n = n.saturating_sub(1);
            if *n == 0 {
                map.remove(&self.ip);
            }
        }
        self.shared.open.fetch_sub(1, Ordering::SeqCst);
        self.shared.closed.notify_waiters();
    }
}

/// Takes a connection slot for `ip`, or says which limit refuses it.
fn take_slot(shared: &Arc<Shared>, ip: IpAddr) -> Result<Slot, &'static str> {
    let mut map = shared
        .connections
        .lock()
        .map_err(|_| "connection table unavailable")?;
    if shared.open.load(Ordering::SeqCst) >= shared.settings.max_connections {
        return Err("too many connections, try again later");
    }
    let n = map.entry(ip).or_insert(0);
    if *n >= shared.settings.max_connections_per_ip {
        return Err("too many connections from your address, try again later");
    }
    *n += 1;
    shared.open.fetch_add(1, Ordering::SeqCst);
    Ok(Slot {
        shared: shared.clone(),
        ip,
    })
}

async fn accept_loop(
    listener: tokio::net::TcpListener,
    lmtp: bool,
    shared: Arc<Shared>,
    shutdown: watch::Receiver<bool>,
) {
    loop {
        let (stream, peer) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(e) => {
                // Out of file descriptors and the like: wait instead of spinning.
                tracing::warn!(error = %e, "mail listener accept failed");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let shared = shared.clone();
        let shutdown = shutdown.clone();
        tokio::spawn(async move {
            let slot = match take_slot(&shared, peer.ip()) {
                Ok(slot) => slot,
                Err(why) => {
                    use tokio::io::AsyncWriteExt;
                    shared.metrics.mail_connection_refused();
                    let mut stream = stream;
                    let line = format!("421 4.7.0 {} {why}\r\n", shared.settings.mail_domain);
                    let _ = tokio::time::timeout(
                        Duration::from_secs(5),
                        stream.write_all(line.as_bytes()),
                    )
                    .await;
                    return;
                }
            };
            let _ = stream.set_nodelay(true);
            session::run(shared.clone(), stream, peer, lmtp, shutdown).await;
            drop(slot);
        });
    }
}
