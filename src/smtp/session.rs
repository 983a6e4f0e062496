//! One SMTP or LMTP session: greeting, commands (parsed by `smtp-proto`), STARTTLS, the
//! message data, and the ingest of a message for each distinct recipient target.

use super::Shared;
use super::io::{Line, ReadError, data_line, read_line};
use super::reply::{self, Reply};
use crate::services::ingest::Upload;
use crate::services::intake::{self, Recipient, RecipientError};
use smtp_proto::{Error as ProtoError, Request};
use std::borrow::Cow;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::sync::watch;
use tracing::Instrument;

/// A plain or TLS connection.
trait Stream: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Stream for T {}

type Conn = BufReader<Box<dyn Stream>>;

const READ_BUFFER: usize = 16 * 1024;

/// What the session does after a command.
enum Next {
    Continue,
    Close,
    StartTls,
    Data,
}

struct Session {
    shared: Arc<Shared>,
    peer: SocketAddr,
    lmtp: bool,
    tls: bool,
    helo: Option<String>,
    mail_from: Option<String>,
    recipients: Vec<Recipient>,
    errors: u32,
    /// Replies not yet written (flushed when the client's input is drained: RFC 2920).
    out: Vec<u8>,
}

/// Serves one connection to its end.
pub(super) async fn run(
    shared: Arc<Shared>,
    stream: tokio::net::TcpStream,
    peer: SocketAddr,
    lmtp: bool,
    shutdown: watch::Receiver<bool>,
) {
    let span =
        tracing::info_span!("mail", peer = %peer, protocol = if lmtp { "lmtp" } else { "smtp" });
    let session = Session {
        shared,
        peer,
        lmtp,
        tls: false,
        helo: None,
        mail_from: None,
        recipients: Vec::new(),
        errors: 0,
        out: Vec::new(),
    };
    let conn: Conn = BufReader::with_capacity(READ_BUFFER, Box::new(stream));
    session.serve(conn, shutdown).instrument(span).await;
}

impl Session {
    fn domain(&self) -> &str {
        &self.shared.settings.mail_domain
    }

    fn push(&mut self, reply: Reply) {
        self.out.extend_from_slice(reply.line().as_bytes());
    }

    async fn flush(&mut self, conn: &mut Conn) -> bool {
        if self.out.is_empty() {
            return true;
        }
        let out = std::mem::take(&mut self.out);
        let timeout = self.shared.settings.command_timeout;
        let write = async {
            conn.get_mut().write_all(&out).await?;
            conn.get_mut().flush().await
        };
        matches!(tokio::time::timeout(timeout, write).await, Ok(Ok(())))
    }

    /// Counts an error; true when the session must end.
    fn error(&mut self) -> bool {
        self.errors += 1;
        if self.errors >= self.shared.settings.max_errors {
            let domain = self.domain().to_string();
            self.push(Reply::new(
                421,
                "4.7.0",
                format!("{domain} too many errors, closing"),
            ));
            return true;
        }
        false
    }

    fn reset(&mut self) {
        self.mail_from = None;
        self.recipients.clear();
    }

    async fn serve(mut self, mut conn: Conn, mut shutdown: watch::Receiver<bool>) {
        let greeting = format!(
            "{} {} ruad report receiver",
            self.domain(),
            if self.lmtp { "LMTP" } else { "ESMTP" }
        );
        self.out
            .extend_from_slice(format!("220 {greeting}\r\n").as_bytes());
        loop {
            if conn.buffer().is_empty() && !self.flush(&mut conn).await {
                return;
            }
            let settings = &self.shared.settings;
            let (max, timeout) = (settings.max_line_bytes, settings.command_timeout);
            let line = tokio::select! {
                line = read_line(&mut conn, max, timeout) => line,
                () = stopped(&mut shutdown) => {
                    let text = format!("{} shutting down, try again later", self.domain());
                    self.push(Reply::new(421, "4.3.2", text));
                    self.flush(&mut conn).await;
                    return;
                }
            };
            let bytes = match line {
                Ok(Line::Full(bytes)) => bytes,
                Ok(Line::TooLong) => {
                    self.push(Reply::new(500, "5.5.2", "line too long"));
                    if self.error() {
                        self.flush(&mut conn).await;
                        return;
                    }
                    continue;
                }
                Err(ReadError::TimedOut) => {
                    let text = format!("{} timeout waiting for a command, closing", self.domain());
                    self.push(Reply::new(421, "4.4.2", text));
                    self.flush(&mut conn).await;
                    return;
                }
                Err(ReadError::Closed | ReadError::Io(_)) => return,
            };
            match self.command(&bytes).await {
                Next::Continue => {}
                Next::Close => {
                    self.flush(&mut conn).await;
                    return;
                }
                Next::Data => {
                    if !self.flush(&mut conn).await {
                        return;
                    }
                    match self.data(&mut conn).await {
                        Some(replies) => {
                            for r in replies {
                                self.push(r);
                            }
                        }
                        None => {
                            self.flush(&mut conn).await;
                            return;
                        }
                    }
                }
                Next::StartTls => {
                    if !self.flush(&mut conn).await {
                        return;
                    }
                    // Anything the client sent after STARTTLS in the clear is dropped here
                    // with the buffer (RFC 3207 §4.2: no command injection).
                    let inner = conn.into_inner();
                    let Some(acceptor) = self.shared.tls.as_ref().and_then(|t| t.acceptor()) else {
                        return;
                    };
                    match tokio::time::timeout(timeout, acceptor.accept(inner)).await {
                        Ok(Ok(tls)) => {
                            conn = BufReader::with_capacity(READ_BUFFER, Box::new(tls));
                            self.tls = true;
                            self.helo = None;
                            self.reset();
                        }
                        Ok(Err(e)) => {
                            tracing::info!(error = %e, "TLS handshake failed");
                            return;
                        }
                        Err(_) => return,
                    }
                }
            }
        }
    }

    async fn command(&mut self, bytes: &[u8]) -> Next {
        let request = match Request::parse(&mut bytes.iter()) {
            Ok(request) => request,
            Err(e) => {
                self.push(protocol_error(&e));
                return if self.error() {
                    Next::Close
                } else {
                    Next::Continue
                };
            }
        };
        match request {
            Request::Ehlo { host } if !self.lmtp => self.hello(&host, true),
            Request::Helo { host } if !self.lmtp => self.hello(&host, false),
            Request::Lhlo { host } if self.lmtp => self.hello(&host, true),
            Request::Ehlo { .. } | Request::Helo { .. } => {
                self.push(Reply::new(500, "5.5.1", "this is an LMTP server: use LHLO"));
                if self.error() {
                    Next::Close
                } else {
                    Next::Continue
                }
            }
            Request::Lhlo { .. } => {
                self.push(Reply::new(500, "5.5.1", "this is an SMTP server: use EHLO"));
                if self.error() {
                    Next::Close
                } else {
                    Next::Continue
                }
            }
            Request::Mail { from } => {
                self.mail(from.address, from.size);
                Next::Continue
            }
            Request::Rcpt { to } => self.rcpt(&to.address).await,
            Request::Data => {
                if self.mail_from.is_none() || self.recipients.is_empty() {
                    self.push(Reply::new(503, "5.5.1", "no valid recipients"));
                    if self.error() {
                        Next::Close
                    } else {
                        Next::Continue
                    }
                } else {
                    self.push(Reply::new(354, "", "end data with <CR><LF>.<CR><LF>").bare());
                    Next::Data
                }
            }
            Request::Rset => {
                self.reset();
                self.push(Reply::new(250, "2.0.0", "OK"));
                Next::Continue
            }
            Request::Noop { .. } => {
                self.push(Reply::new(250, "2.0.0", "OK"));
                Next::Continue
            }
            Request::Quit => {
                let text = format!("{} closing", self.domain());
                self.push(Reply::new(221, "2.0.0", text));
                Next::Close
            }
            Request::StartTls => {
                if self.shared.tls.is_none() {
                    self.push(Reply::new(502, "5.5.1", "STARTTLS is not offered here"));
                    Next::Continue
                } else if self.tls {
                    self.push(Reply::new(503, "5.5.1", "TLS is already active"));
                    Next::Continue
                } else {
                    self.push(Reply::new(220, "2.0.0", "ready to start TLS"));
                    Next::StartTls
                }
            }
            Request::Vrfy { .. } => {
                self.push(Reply::new(252, "2.5.0", "cannot verify; send the message"));
                Next::Continue
            }
            Request::Help { .. } => {
                self.push(Reply::new(
                    214,
                    "2.0.0",
                    "this server receives DMARC and SMTP TLS reports for its report addresses",
                ));
                Next::Continue
            }
            Request::Bdat { .. }
            | Request::Auth { .. }
            | Request::Expn { .. }
            | Request::Etrn { .. }
            | Request::Atrn { .. }
            | Request::Burl { .. } => {
                self.push(Reply::new(502, "5.5.1", "command not implemented"));
                if self.error() {
                    Next::Close
                } else {
                    Next::Continue
                }
            }
        }
    }

    fn hello(&mut self, host: &str, extended: bool) -> Next {
        self.reset();
        self.helo = Some(clean_host(host));
        let domain = self.domain().to_string();
        if !extended {
            self.push(Reply::new(250, "", format!("{domain} hello")).bare());
            return Next::Continue;
        }
        let mut lines = vec![
            format!("{domain} hello {}", clean_host(host)),
            format!("SIZE {}", self.shared.settings.max_message_bytes),
            "PIPELINING".to_string(),
            "8BITMIME".to_string(),
            "ENHANCEDSTATUSCODES".to_string(),
        ];
        if self.shared.tls.is_some() && !self.tls {
            lines.push("STARTTLS".to_string());
        }
        let last = lines.len() - 1;
        for (i, line) in lines.iter().enumerate() {
            let sep = if i == last { ' ' } else { '-' };
            self.out
                .extend_from_slice(format!("250{sep}{line}\r\n").as_bytes());
        }
        Next::Continue
    }

    fn mail(&mut self, from: Cow<'_, str>, size: usize) {
        let greeting = if self.lmtp { "LHLO" } else { "EHLO" };
        let max = self.shared.settings.max_message_bytes;
        if self.helo.is_none() {
            self.push(Reply::new(503, "5.5.1", format!("send {greeting} first")));
        } else if self.mail_from.is_some() {
            self.push(Reply::new(503, "5.5.1", "nested MAIL command"));
        } else if size as u64 > max {
            self.push(Reply::new(
                552,
                "5.3.4",
                format!("message size exceeds the limit of {max} bytes"),
            ));
        } else {
            self.mail_from = Some(from.into_owned());
            self.push(Reply::new(250, "2.1.0", "OK"));
        }
    }

    async fn rcpt(&mut self, to: &str) -> Next {
        if self.mail_from.is_none() {
            self.push(Reply::new(503, "5.5.1", "send MAIL FROM first"));
            return if self.error() {
                Next::Close
            } else {
                Next::Continue
            };
        }
        if self.recipients.len() >= self.shared.settings.max_recipients {
            self.push(Reply::new(452, "4.5.3", "too many recipients"));
            return Next::Continue;
        }
        let db = self.shared.db.clone();
        let (address, domain) = (to.to_string(), self.domain().to_string());
        let resolved =
            crate::services::blocking(move || intake::resolve_recipient(&db, &address, &domain))
                .await;
        match resolved {
            Ok(Ok(recipient)) => {
                self.recipients.push(recipient);
                self.push(Reply::new(250, "2.1.5", "OK"));
                Next::Continue
            }
            Ok(Err(RecipientError::OtherDomain(_))) => {
                let text = format!(
                    "relaying denied: this server receives mail only for report addresses at {}",
                    self.domain()
                );
                self.push(Reply::new(550, "5.7.1", text));
                if self.error() {
                    Next::Close
                } else {
                    Next::Continue
                }
            }
            Ok(Err(RecipientError::Unknown(_))) => {
                self.push(Reply::new(
                    550,
                    "5.1.1",
                    "no such report address; check the rua/ruf address published in DNS",
                ));
                if self.error() {
                    Next::Close
                } else {
                    Next::Continue
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "recipient lookup failed");
                self.push(Reply::new(
                    451,
                    "4.3.0",
                    "temporary lookup failure; try again later",
                ));
                Next::Continue
            }
        }
    }

    /// Reads the message to its final dot and stores it; the replies to give (one, or one
    /// per recipient in LMTP). `None`: the connection is lost or timed out.
    async fn data(&mut self, conn: &mut Conn) -> Option<Vec<Reply>> {
        let settings = &self.shared.settings;
        let max = usize::try_from(settings.max_message_bytes).unwrap_or(usize::MAX);
        let (line_max, timeout) = (settings.max_line_bytes, settings.data_block_timeout);
        let mut message = self.received_header().into_bytes();
        let mut over = false;
        let mut too_long = false;
        loop {
            match read_line(conn, line_max, timeout).await {
                Ok(Line::Full(line)) => match data_line(&line) {
                    None => break,
                    Some(_) if over || too_long => {}
                    Some(data) => {
                        if message.len() + data.len() > max {
                            // Keep reading to the dot, keeping nothing more.
                            over = true;
                            message = Vec::new();
                        } else {
                            message.extend_from_slice(&data);
                        }
                    }
                },
                Ok(Line::TooLong) => {
                    too_long = true;
                    message = Vec::new();
                }
                Err(ReadError::TimedOut) => {
                    let text = format!(
                        "{} timeout waiting for message data, closing",
                        self.domain()
                    );
                    self.push(Reply::new(421, "4.4.2", text));
                    return None;
                }
                Err(_) => return None,
            }
        }
        let recipients = std::mem::take(&mut self.recipients);
        self.mail_from = None;
        let refusal = if over {
            Some(Reply::new(
                552,
                "5.3.4",
                format!("message size exceeds the limit of {max} bytes"),
            ))
        } else if too_long {
            Some(Reply::new(
                554,
                "5.6.0",
                format!("a line of the message is longer than {line_max} bytes"),
            ))
        } else {
            None
        };
        let count = if self.lmtp { recipients.len() } else { 1 };
        let protocol = if self.lmtp { "lmtp" } else { "smtp" };
        if let Some(refusal) = refusal {
            tracing::info!(code = refusal.code, "message refused");
            for _ in 0..count {
                self.shared.metrics.mail_message(protocol, refusal.code);
            }
            return Some(vec![refusal; count]);
        }
        let message = Arc::new(message);
        // One ingest per distinct target, in recipient order.
        let mut done: Vec<(String, Reply)> = Vec::new();
        for recipient in &recipients {
            let key = recipient.key();
            if done.iter().any(|(k, _)| *k == key) {
                continue;
            }
            let reply = self.store(recipient.clone(), message.clone()).await;
            tracing::info!(bytes = message.len(), code = reply.code, text = %reply.text, "message received");
            done.push((key, reply));
        }
        let reply_of = |r: &Recipient| {
            let key = r.key();
            done.iter()
                .find(|(k, _)| *k == key)
                .map(|(_, reply)| reply.clone())
                .unwrap_or_else(|| Reply::new(451, "4.3.0", "not stored; try again later"))
        };
        let replies = if self.lmtp {
            recipients.iter().map(reply_of).collect()
        } else {
            let replies: Vec<Reply> = done.into_iter().map(|(_, r)| r).collect();
            vec![reply::combine(&replies)]
        };
        for r in &replies {
            self.shared.metrics.mail_message(protocol, r.code);
        }
        Some(replies)
    }

    /// Ingests the message for one recipient target on a blocking thread, within the DATA
    /// termination time.
    async fn store(&self, recipient: Recipient, message: Arc<Vec<u8>>) -> Reply {
        let shared = self.shared.clone();
        let limit = shared.settings.data_end_timeout;
        let work = async {
            let _slot = shared.ingest_slots.acquire().await.ok()?;
            let s = shared.clone();
            let result = crate::services::blocking(move || {
                let upload = Upload {
                    bytes: &message,
                    content_type: Some("message/rfc822"),
                    file_name: None,
                };
                intake::ingest_for(
                    &s.db,
                    &s.metrics,
                    &recipient,
                    &upload,
                    &s.limits,
                    s.settings.check_dns,
                )
            })
            .await;
            Some(reply::for_outcome(&result))
        };
        match tokio::time::timeout(limit, work).await {
            Ok(Some(reply)) => reply,
            Ok(None) | Err(_) => Reply::new(
                451,
                "4.3.0",
                "the server is busy storing other messages; try again later",
            ),
        }
    }

    fn received_header(&self) -> String {
        let with = match (self.lmtp, self.tls) {
            (true, _) => "LMTP",
            (false, true) => "ESMTPS",
            (false, false) => "ESMTP",
        };
        format!(
            "Received: from {} ([{}])\r\n\tby {} (ruad) with {with};\r\n\t{}\r\n",
            self.helo.as_deref().unwrap_or("unknown"),
            self.peer.ip(),
            self.domain(),
            chrono::Utc::now().to_rfc2822()
        )
    }
}

impl Reply {
    /// A reply without an enhanced status code (`354` has none: RFC 2034 §3 gives them to
    /// 2xx, 4xx and 5xx only).
    fn bare(self) -> Reply {
        Reply { status: "", ..self }
    }
}

/// Resolves once the server is shutting down.
async fn stopped(shutdown: &mut watch::Receiver<bool>) {
    // The guard `wait_for` answers is dropped here, before any await of the caller.
    let _ = shutdown.wait_for(|stop| *stop).await.map(|_| ());
}

/// A HELO/EHLO name as it may appear in a header: letters, digits and `.-[]:_`.
fn clean_host(host: &str) -> String {
    let cleaned: String = host
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || ".-[]:_".contains(*c))
        .take(255)
        .collect();
    if cleaned.is_empty() {
        "unknown".into()
    } else {
        cleaned
    }
}

/// The reply to a command `smtp-proto` could not parse.
fn protocol_error(e: &ProtoError) -> Reply {
    match e {
        ProtoError::UnknownCommand | ProtoError::NeedsMoreData { .. } => {
            Reply::new(500, "5.5.1", "command not recognized")
        }
        ProtoError::SyntaxError { syntax } => Reply::new(501, "5.5.4", format!("syntax: {syntax}")),
        ProtoError::InvalidSenderAddress => Reply::new(501, "5.1.7", "bad sender address"),
        ProtoError::InvalidRecipientAddress => Reply::new(501, "5.1.3", "bad recipient address"),
        ProtoError::InvalidParameter { param } => {
            Reply::new(501, "5.5.4", format!("invalid parameter {param}"))
        }
        ProtoError::UnsupportedParameter { param } => {
            Reply::new(555, "5.5.4", format!("unsupported parameter {param}"))
        }
        ProtoError::ResponseTooLong | ProtoError::InvalidResponse { .. } => {
            Reply::new(500, "5.5.1", "command not recognized")
        }
    }
}
