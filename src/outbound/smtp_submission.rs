//! SMTP submission: hands one message to the operator's relay (`RUAD_SMTP_RELAY_URL`)
//! through `lettre`, over rustls with the WebPKI roots. Knows nothing of digests, their log or
//! their retry policy (`crate::services::digests`): it is given a [`Mail`] and says how the
//! attempt went ([`Submitted`] or [`SubmitError`]).
//!
//! # The relay URL
//! - `smtp://[user:password@]host[:port]` (port 587 by default): STARTTLS is required; a relay
//!   that does not offer it, or whose certificate does not verify, is not sent to.
//! - `smtps://[user:password@]host[:port]` (port 465 by default): TLS from the first byte.
//! - `smtp://host:port?tls=none`: plain text, for tests and a relay on the same machine only;
//!   the host must be a loopback address, so neither the message nor a password crosses a
//!   network in clear.
//!
//! User name and password are percent-decoded and sent with AUTH (PLAIN or LOGIN, whichever
//! the relay offers). The relay is the operator's own configuration, not a tenant's input, so
//! it may be on a private address. One attempt is bounded by the timeout in [`RelayConfig`].
//!
//! # The message
//! `multipart/mixed` of a `multipart/alternative` (`text/plain`, then `text/html`) and, when
//! given, one attachment. The `From` display name is the brand's; every recipient is in `To`
//! (they are the same organisation's readers, and a digest is no newsletter).

use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{Address, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::net::IpAddr;
use std::time::Duration;

/// Characters of a relay's answer kept in a delivery log.
pub const REPLY_CHARS: usize = 300;

/// How the relay is reached: parsed once from the relay URL.
#[derive(Clone)]
pub struct RelayConfig {
    host: String,
    port: u16,
    security: Security,
    credentials: Option<(String, String)>,
    /// Time limit of one submission (connecting, TLS, AUTH, the message).
    pub timeout: Duration,
}

impl std::fmt::Debug for RelayConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RelayConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("user", &self.credentials.as_ref().map(|(u, _)| u))
            .finish_non_exhaustive()
    }
}

/// How the connection to the relay is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// `smtp://`: STARTTLS, required.
    StartTls,
    /// `smtps://`: TLS from the first byte.
    Implicit,
    /// `smtp://…?tls=none` on loopback: none.
    None,
}

/// Why a relay URL was refused; the text names the setting's problem.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RelayUrlError {
    #[error("is not a URL: {0}")]
    Invalid(String),
    #[error("must start with smtp:// (STARTTLS) or smtps:// (TLS)")]
    Scheme,
    #[error("names no host")]
    NoHost,
    #[error("has an unknown parameter {0:?} (only tls=none is known)")]
    Parameter(String),
    #[error("may use tls=none only with smtp:// and a loopback host (127.0.0.1, ::1, localhost)")]
    PlainNotLoopback,
    #[error("must not have a path")]
    Path,
}

impl RelayConfig {
    /// Parses a relay URL (see the module header).
    pub fn parse(raw: &str, timeout: Duration) -> Result<RelayConfig, RelayUrlError> {
        let url = url::Url::parse(raw.trim()).map_err(|e| RelayUrlError::Invalid(e.to_string()))?;
        let mut security = match url.scheme() {
            "smtp" => Security::StartTls,
            "smtps" => Security::Implicit,
            _ => return Err(RelayUrlError::Scheme),
        };
        if !matches!(url.path(), "" | "/") {
            return Err(RelayUrlError::Path);
        }
        for (key, value) in url.query_pairs() {
            match (key.as_ref(), value.as_ref()) {
                ("tls", "none") => {
                    if security != Security::StartTls || !is_loopback(&url) {
                        return Err(RelayUrlError::PlainNotLoopback);
                    }
                    security = Security::None;
                }
                _ => return Err(RelayUrlError::Parameter(format!("{key}={value}"))),
            }
        }
        let host = url
            .host_str()
            .filter(|h| !h.is_empty())
            .ok_or(RelayUrlError::NoHost)?
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_string();
        let port = url.port().unwrap_or(match security {
            Security::Implicit => 465,
            Security::StartTls | Security::None => 587,
        });
        let decode = |s: &str| {
            percent_decode(s).map_err(|_| RelayUrlError::Invalid("bad percent-encoding".into()))
        };
        let credentials = match url.username() {
            "" => None,
            user => Some((decode(user)?, decode(url.password().unwrap_or_default())?)),
        };
        Ok(RelayConfig {
            host,
            port,
            security,
            credentials,
            timeout,
        })
    }

    pub fn host(&self) -> &str {
        &self.host
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn security(&self) -> Security {
        self.security
    }

    fn transport(&self) -> Result<AsyncSmtpTransport<Tokio1Executor>, SubmitError> {
        let tls = match self.security {
            Security::None => Tls::None,
            Security::StartTls | Security::Implicit => {
                let params = TlsParameters::new_rustls(self.host.clone())
                    .map_err(|e| SubmitError::Transient(format!("TLS setup: {e}")))?;
                if self.security == Security::Implicit {
                    Tls::Wrapper(params)
                } else {
                    Tls::Required(params)
                }
            }
        };
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&self.host)
            .port(self.port)
            .tls(tls)
            .timeout(Some(self.timeout));
        if let Some((user, password)) = &self.credentials {
            builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
        }
        Ok(builder.build())
    }
}

fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(name)) => {
            name.eq_ignore_ascii_case("localhost")
                || name.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
        }
        None => false,
    }
}

fn percent_decode(s: &str) -> Result<String, std::string::FromUtf8Error> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&a), Some(&b)) if hex(a).is_some() && hex(b).is_some() => {
                let value = hex(a).unwrap_or(0) * 16 + hex(b).unwrap_or(0);
                out.push(u8::try_from(value).unwrap_or(b'?'));
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out)
}

/// One message to submit.
#[derive(Debug, Clone)]
pub struct Mail {
    /// The `From` display name (the brand's).
    pub from_name: String,
    pub from: Address,
    pub to: Vec<Address>,
    pub subject: String,
    /// The `text/plain` alternative.
    pub text: String,
    /// The `text/html` alternative.
    pub html: String,
    /// One attachment: file name, media type, bytes.
    pub attachment: Option<(String, String, Vec<u8>)>,
}

/// The relay took the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submitted {
    /// The `Message-ID` header sent.
    pub message_id: String,
    /// The relay's answer to the message (`250 …`), shortened to [`REPLY_CHARS`].
    pub response: String,
}

/// Why a submission failed: whether trying again later can help.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SubmitError {
    /// No connection, a timeout, a TLS failure or a 4xx answer: try again later.
    #[error("{0}")]
    Transient(String),
    /// A 5xx answer (or a message that cannot be built): the same message will fail again.
    #[error("{0}")]
    Permanent(String),
}

impl Mail {
    /// The MIME message (see the module header).
    pub fn build(&self) -> Result<Message, SubmitError> {
        let bad = |e: &dyn std::fmt::Display| SubmitError::Permanent(format!("message: {e}"));
        let mut builder = Message::builder()
            .from(Mailbox::new(
                Some(self.from_name.clone()),
                self.from.clone(),
            ))
            .subject(self.subject.clone())
            .message_id(None)
            .user_agent(format!("ruad/{}", env!("CARGO_PKG_VERSION")));
        for to in &self.to {
            builder = builder.to(Mailbox::new(None, to.clone()));
        }
        let alternative = MultiPart::alternative_plain_html(self.text.clone(), self.html.clone());
        let mut body = MultiPart::mixed().multipart(alternative);
        if let Some((file_name, media_type, bytes)) = &self.attachment {
            let content_type = ContentType::parse(media_type).map_err(|e| bad(&e))?;
            let part: SinglePart =
                Attachment::new(file_name.clone()).body(bytes.clone(), content_type);
            body = body.singlepart(part);
        }
        builder.multipart(body).map_err(|e| bad(&e))
    }
}

fn shorten(text: &str) -> String {
    let text = text.trim();
    match text.char_indices().nth(REPLY_CHARS) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_string(),
    }
}

/// Submits `mail` to the relay: one connection, one transaction.
pub async fn submit(relay: &RelayConfig, mail: &Mail) -> Result<Submitted, SubmitError> {
    let message = mail.build()?;
    let message_id = message
        .headers()
        .get_raw("Message-ID")
        .unwrap_or_default()
        .to_string();
    let transport = relay.transport()?;
    match transport.send(message).await {
        Ok(response) => Ok(Submitted {
            message_id,
            response: shorten(&format!(
                "{} {}",
                response.code(),
                response.message().collect::<Vec<_>>().join(" ")
            )),
        }),
        Err(e) => {
            let text = shorten(&format!("{e}"));
            if e.is_permanent() {
                Err(SubmitError::Permanent(text))
            } else {
                Err(SubmitError::Transient(text))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use mail_parser::MimeHeaders;

    const T: Duration = Duration::from_secs(5);

    #[test]
    fn smtp_urls_require_starttls_and_smtps_urls_use_tls_from_the_start() {
        let r =
            RelayConfig::parse("smtp://mailer%40example.com:p%40ss@smtp.example.com", T).unwrap();
        assert_eq!(
            (r.host(), r.port(), r.security()),
            ("smtp.example.com", 587, Security::StartTls)
        );
        assert_eq!(
            r.credentials,
            Some(("mailer@example.com".into(), "p@ss".into()))
        );
        let r = RelayConfig::parse("smtps://smtp.example.com", T).unwrap();
        assert_eq!((r.port(), r.security()), (465, Security::Implicit));
        assert_eq!(r.credentials, None);
        let r = RelayConfig::parse("smtp://smtp.example.com:2525", T).unwrap();
        assert_eq!((r.port(), r.security()), (2525, Security::StartTls));
    }

    #[test]
    fn plain_text_is_allowed_only_when_asked_for_on_loopback() {
        let r = RelayConfig::parse("smtp://127.0.0.1:2525?tls=none", T).unwrap();
        assert_eq!((r.host(), r.security()), ("127.0.0.1", Security::None));
        assert!(RelayConfig::parse("smtp://[::1]:25?tls=none", T).is_ok());
        assert!(RelayConfig::parse("smtp://localhost:25?tls=none", T).is_ok());
        for (url, error) in [
            (
                "smtp://smtp.example.com?tls=none",
                RelayUrlError::PlainNotLoopback,
            ),
            (
                "smtps://127.0.0.1?tls=none",
                RelayUrlError::PlainNotLoopback,
            ),
            (
                "smtp://127.0.0.1?tls=opportunistic",
                RelayUrlError::Parameter("tls=opportunistic".into()),
            ),
            ("http://smtp.example.com", RelayUrlError::Scheme),
            ("smtp://smtp.example.com/x", RelayUrlError::Path),
        ] {
            assert_eq!(RelayConfig::parse(url, T).unwrap_err(), error, "{url}");
        }
    }

    #[test]
    fn the_debug_form_never_shows_the_password() {
        let r = RelayConfig::parse("smtp://u:hunter2@smtp.example.com", T).unwrap();
        let text = format!("{r:?}");
        assert!(text.contains("smtp.example.com") && !text.contains("hunter2"));
    }

    #[test]
    fn a_mail_is_mixed_with_an_alternative_and_the_attachment() {
        let mail = Mail {
            from_name: "Acme Security".into(),
            from: "digest@acme.example".parse().unwrap(),
            to: vec![
                "a@customer.example".parse().unwrap(),
                "b@customer.example".parse().unwrap(),
            ],
            subject: "Acme Security: example.com, 1–7 December".into(),
            text: "plain summary".into(),
            html: "<html><body><h1>report</h1></body></html>".into(),
            attachment: Some((
                "example.com.pdf".into(),
                "application/pdf".into(),
                b"%PDF-1.7 test".to_vec(),
            )),
        };
        let bytes = mail.build().unwrap().formatted();
        let parsed = mail_parser::MessageParser::default()
            .parse(&bytes)
            .expect("parses");
        assert_eq!(
            parsed.from().and_then(|f| f.first()).and_then(|a| a.name()),
            Some("Acme Security")
        );
        assert_eq!(
            parsed.to().and_then(|t| t.as_list()).map(<[_]>::len),
            Some(2)
        );
        assert_eq!(
            parsed.content_type().map(|c| c.subtype()),
            Some(Some("mixed"))
        );
        assert_eq!(parsed.body_text(0).as_deref(), Some("plain summary"));
        assert!(parsed.body_html(0).unwrap().contains("<h1>report</h1>"));
        let pdf = parsed.attachment(0).expect("attachment");
        assert_eq!(pdf.attachment_name(), Some("example.com.pdf"));
        assert!(pdf.contents().starts_with(b"%PDF"));
        assert!(parsed.message_id().is_some());
    }
}
