//! IMAP: one authenticated session on a customer's mailbox server, over TLS only (implicit
//! TLS or STARTTLS; no plain-text mode), through the maintained `async-imap` client on
//! tokio-rustls.
//!
//! - The outbound address rule applies ([`crate::outbound::https::is_public`]): the host is
//!   resolved with ruad's own resolver and only public addresses are connected to, unless
//!   `allow_private` (tests); an IP literal is checked the same way; `localhost` names are
//!   refused.
//! - Certificates are checked against the WebPKI roots plus, when configured, an operator's
//!   CA file (an internal mail server's CA), for the host name given.
//! - Every exchange is bounded by [`ImapSettings::timeout`].
//! - Credentials are `SecretString`s, exposed only to build the LOGIN or AUTHENTICATE
//!   command; `async-imap`'s own protocol trace is silenced in `app::telemetry`.
//!
//! Must not depend on actix-web or diesel.

use crate::dns::Resolver;
use crate::domain::mailbox::{OAuthMechanism, TlsMode};
use crate::outbound::https::{is_public, refused_block};
use async_imap::{Authenticator, Client, Session};
use futures_util::StreamExt;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use secrecy::{ExposeSecret, SecretString};
use std::collections::HashSet;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;

type Stream = TlsStream<TcpStream>;

/// How IMAP connections are made.
#[derive(Clone)]
pub struct ImapSettings {
    /// Allow loopback and private addresses (tests only).
    pub allow_private: bool,
    /// Time limit of connecting, of the TLS handshake, and of each command.
    pub timeout: Duration,
    /// Certificates trusted besides the WebPKI roots (`imap_ca_file`).
    pub extra_roots: Arc<Vec<CertificateDer<'static>>>,
}

impl std::fmt::Debug for ImapSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImapSettings")
            .field("allow_private", &self.allow_private)
            .field("timeout", &self.timeout)
            .field("extra_roots", &self.extra_roots.len())
            .finish()
    }
}

impl Default for ImapSettings {
    fn default() -> Self {
        ImapSettings {
            allow_private: false,
            timeout: Duration::from_secs(60),
            extra_roots: Arc::new(Vec::new()),
        }
    }
}

/// A CA file could not be used.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ImapSetupError(String);

/// The certificates of a PEM file (at least one).
pub fn parse_ca_pem(pem: &[u8]) -> Result<Vec<CertificateDer<'static>>, ImapSetupError> {
    let certs = CertificateDer::pem_slice_iter(pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| ImapSetupError(format!("bad PEM: {e}")))?;
    if certs.is_empty() {
        return Err(ImapSetupError("no certificate in the CA file".into()));
    }
    let mut roots = rustls::RootCertStore::empty();
    for cert in &certs {
        roots
            .add(cert.clone())
            .map_err(|e| ImapSetupError(format!("bad CA certificate: {e}")))?;
    }
    Ok(certs)
}

impl ImapSettings {
    /// The TLS client configuration: the WebPKI roots and the extra ones, ring's defaults.
    fn tls_config(&self, host: &str) -> Result<rustls::ClientConfig, ImapError> {
        let mut roots = rustls::RootCertStore::empty();
        roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        for cert in self.extra_roots.iter() {
            // Checked when the settings were loaded.
            let _ = roots.add(cert.clone());
        }
        Ok(rustls::ClientConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .map_err(|e| ImapError::Tls {
            host: host.to_string(),
            message: e.to_string(),
        })?
        .with_root_certificates(roots)
        .with_no_client_auth())
    }
}

/// Why an IMAP exchange failed. The texts name the server's words, never a credential.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImapError {
    /// The host is not a public address (or resolves to none).
    #[error("{0}")]
    Refused(String),
    #[error("cannot connect to {host}:{port}: {message}")]
    Connect {
        host: String,
        port: u16,
        message: String,
    },
    #[error("TLS with {host} failed: {message}")]
    Tls { host: String, message: String },
    /// The server refused the credentials.
    #[error("the server refused the login: {0}")]
    Auth(String),
    #[error("{what} timed out after {seconds} s")]
    Timeout { what: &'static str, seconds: u64 },
    #[error("{what} failed: {message}")]
    Command { what: &'static str, message: String },
}

/// How to log in.
pub enum Credentials<'a> {
    Password {
        username: &'a str,
        password: &'a SecretString,
    },
    OAuth {
        username: &'a str,
        mechanism: OAuthMechanism,
        access_token: &'a SecretString,
    },
}

/// What `SELECT` said of a folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Selected {
    pub uidvalidity: u32,
    pub exists: u32,
}

/// An authenticated session.
pub struct Connection {
    session: Session<Stream>,
    capabilities: HashSet<String>,
    timeout: Duration,
    /// Folders known to exist (created or seen here).
    folders: HashSet<String>,
}

fn command_error(what: &'static str) -> impl Fn(async_imap::error::Error) -> ImapError {
    move |e| ImapError::Command {
        what,
        message: e.to_string(),
    }
}

async fn bounded<T>(
    timeout: Duration,
    what: &'static str,
    f: impl std::future::Future<Output = Result<T, ImapError>>,
) -> Result<T, ImapError> {
    tokio::time::timeout(timeout, f)
        .await
        .map_err(|_| ImapError::Timeout {
            what,
            seconds: timeout.as_secs(),
        })?
}

/// The addresses `host` may be reached at under the outbound rule.
pub async fn resolve(
    resolver: &Resolver,
    host: &str,
    allow_private: bool,
) -> Result<Vec<IpAddr>, ImapError> {
    let literal = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<IpAddr>();
    if let Ok(ip) = literal {
        return match refused_block(ip) {
            Some(block) if !allow_private => Err(ImapError::Refused(format!(
                "{ip} ({block}) is not a public address; mailboxes are reached on public addresses only"
            ))),
            _ => Ok(vec![ip]),
        };
    }
    let lower = host.trim_end_matches('.').to_ascii_lowercase();
    if !allow_private && (lower == "localhost" || lower.ends_with(".localhost")) {
        return Err(ImapError::Refused(format!(
            "{host} is not a public address; mailboxes are reached on public addresses only"
        )));
    }
    let (v4, v6) = (resolver.a(host).await, resolver.aaaa(host).await);
    let mut ips: Vec<IpAddr> = Vec::new();
    if let Ok(list) = &v4 {
        ips.extend(list.iter().copied().map(IpAddr::V4));
    }
    if let Ok(list) = &v6 {
        ips.extend(list.iter().copied().map(IpAddr::V6));
    }
    if ips.is_empty() {
        let why = v4
            .err()
            .or(v6.err())
            .map(|e| e.to_string())
            .unwrap_or_else(|| "no A or AAAA record".into());
        return Err(ImapError::Refused(format!("{host} has no address: {why}")));
    }
    let allowed: Vec<IpAddr> = ips
        .iter()
        .copied()
        .filter(|ip| allow_private || is_public(*ip))
        .collect();
    if allowed.is_empty() {
        let list: Vec<String> = ips.iter().map(ToString::to_string).collect();
        return Err(ImapError::Refused(format!(
            "{host} resolves only to non-public addresses ({}); mailboxes are reached on public addresses only",
            list.join(", ")
        )));
    }
    Ok(allowed)
}

/// SASL for OAuth2: the initial response with the token, then (after a failure challenge) the
/// empty or `%x01` answer that lets the server send its tagged `NO`.
struct OAuthSasl {
    initial: Option<String>,
    after: &'static [u8],
}

impl Authenticator for OAuthSasl {
    type Response = Vec<u8>;

    fn process(&mut self, _challenge: &[u8]) -> Vec<u8> {
        match self.initial.take() {
            Some(first) => first.into_bytes(),
            None => self.after.to_vec(),
        }
    }
}

fn oauth_sasl(
    mechanism: OAuthMechanism,
    username: &str,
    host: &str,
    port: u16,
    token: &SecretString,
) -> OAuthSasl {
    let token = token.expose_secret();
    match mechanism {
        OAuthMechanism::Xoauth2 => OAuthSasl {
            initial: Some(format!("user={username}\x01auth=Bearer {token}\x01\x01")),
            after: b"",
        },
        OAuthMechanism::Oauthbearer => OAuthSasl {
            // RFC 7628 §3.1; the authzid is the user, escaped per RFC 5801 (`=2C`, `=3D`).
            initial: Some(format!(
                "n,a={},\x01host={host}\x01port={port}\x01auth=Bearer {token}\x01\x01",
                username.replace('=', "=3D").replace(',', "=2C")
            )),
            after: b"\x01",
        },
    }
}

/// A compact UID set (`1:5,9,12:13`) of ascending `uids`.
pub fn uid_set(uids: &[u32]) -> String {
    let mut sorted: Vec<u32> = uids.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < sorted.len() {
        let start = sorted[i];
        let mut end = start;
        while i + 1 < sorted.len() && sorted[i + 1] == end + 1 {
            i += 1;
            end = sorted[i];
        }
        parts.push(if start == end {
            start.to_string()
        } else {
            format!("{start}:{end}")
        });
        i += 1;
    }
    parts.join(",")
}

impl Connection {
    /// Connects to `host:port` under the outbound rule, secures the connection as `tls`
    /// says, and logs in.
    pub async fn open(
        resolver: &Resolver,
        settings: &ImapSettings,
        host: &str,
        port: u16,
        tls: TlsMode,
        credentials: Credentials<'_>,
    ) -> Result<Connection, ImapError> {
        let timeout = settings.timeout;
        let addrs = bounded(
            timeout,
            "resolving the host",
            resolve(resolver, host, settings.allow_private),
        )
        .await?;
        let tcp = bounded(timeout, "connecting", async {
            let mut last = String::new();
            for ip in &addrs {
                match TcpStream::connect(SocketAddr::new(*ip, port)).await {
                    Ok(s) => return Ok(s),
                    Err(e) => last = format!("{ip}: {e}"),
                }
            }
            Err(ImapError::Connect {
                host: host.to_string(),
                port,
                message: last,
            })
        })
        .await?;
        let server_name = ServerName::try_from(
            host.trim_start_matches('[')
                .trim_end_matches(']')
                .to_string(),
        )
        .map_err(|e| ImapError::Tls {
            host: host.to_string(),
            message: e.to_string(),
        })?;
        let connector = TlsConnector::from(Arc::new(settings.tls_config(host)?));
        let tcp = match tls {
            TlsMode::Implicit => tcp,
            TlsMode::Starttls => {
                bounded(timeout, "STARTTLS", async {
                    let mut plain = Client::new(tcp);
                    plain
                        .read_response()
                        .await
                        .map_err(|e| ImapError::Command {
                            what: "reading the greeting",
                            message: e.to_string(),
                        })?
                        .ok_or_else(|| ImapError::Command {
                            what: "reading the greeting",
                            message: "connection closed".into(),
                        })?;
                    plain
                        .run_command_and_check_ok("STARTTLS", None)
                        .await
                        .map_err(command_error("STARTTLS"))?;
                    Ok(plain.into_inner())
                })
                .await?
            }
        };
        let stream = bounded(timeout, "the TLS handshake", async {
            connector
                .connect(server_name, tcp)
                .await
                .map_err(|e| ImapError::Tls {
                    host: host.to_string(),
                    message: e.to_string(),
                })
        })
        .await?;
        let mut client = Client::new(stream);
        if tls == TlsMode::Implicit {
            bounded(timeout, "reading the greeting", async {
                client
                    .read_response()
                    .await
                    .map_err(|e| ImapError::Command {
                        what: "reading the greeting",
                        message: e.to_string(),
                    })?
                    .ok_or_else(|| ImapError::Command {
                        what: "reading the greeting",
                        message: "connection closed".into(),
                    })
                    .map(|_| ())
            })
            .await?;
        }
        let session = bounded(timeout, "logging in", async {
            match credentials {
                Credentials::Password { username, password } => client
                    .login(username, password.expose_secret())
                    .await
                    .map_err(|(e, _)| ImapError::Auth(e.to_string())),
                Credentials::OAuth {
                    username,
                    mechanism,
                    access_token,
                } => client
                    .authenticate(
                        mechanism.sasl_name(),
                        oauth_sasl(mechanism, username, host, port, access_token),
                    )
                    .await
                    .map_err(|(e, _)| ImapError::Auth(e.to_string())),
            }
        })
        .await?;
        let mut connection = Connection {
            session,
            capabilities: HashSet::new(),
            timeout,
            folders: HashSet::new(),
        };
        let capabilities = bounded(timeout, "CAPABILITY", async {
            connection
                .session
                .capabilities()
                .await
                .map_err(command_error("CAPABILITY"))
        })
        .await?;
        for name in ["MOVE", "UIDPLUS", "IDLE"] {
            if capabilities.has_str(name) {
                connection.capabilities.insert(name.to_string());
            }
        }
        Ok(connection)
    }

    /// Whether the server announced `name` (`MOVE`, `UIDPLUS`, `IDLE`).
    pub fn has(&self, name: &str) -> bool {
        self.capabilities.contains(name)
    }

    /// Selects `folder` (read-write).
    pub async fn select(&mut self, folder: &str) -> Result<Selected, ImapError> {
        let timeout = self.timeout;
        let mailbox = bounded(timeout, "SELECT", async {
            self.session
                .select(folder)
                .await
                .map_err(command_error("SELECT"))
        })
        .await?;
        self.folders.insert(folder.to_string());
        Ok(Selected {
            // A server without UIDVALIDITY (RFC 3501 makes it mandatory) is treated as one
            // whose UIDs never change meaning.
            uidvalidity: mailbox.uid_validity.unwrap_or(1),
            exists: mailbox.exists,
        })
    }

    /// The UIDs above `last` in the selected folder, ascending.
    pub async fn uids_above(&mut self, last: u32) -> Result<Vec<u32>, ImapError> {
        let timeout = self.timeout;
        let from = last.saturating_add(1);
        let found = bounded(timeout, "UID SEARCH", async {
            self.session
                .uid_search(format!("UID {from}:*"))
                .await
                .map_err(command_error("UID SEARCH"))
        })
        .await?;
        // `n:*` includes the highest UID even when it is below n (RFC 3501 §6.4.8).
        let mut uids: Vec<u32> = found.into_iter().filter(|u| *u > last).collect();
        uids.sort_unstable();
        Ok(uids)
    }

    /// The sizes (RFC822.SIZE) of `uids`, as `(uid, size)`; a message gone meanwhile is
    /// missing from the answer.
    pub async fn sizes(&mut self, uids: &[u32]) -> Result<Vec<(u32, u32)>, ImapError> {
        if uids.is_empty() {
            return Ok(Vec::new());
        }
        let timeout = self.timeout;
        let set = uid_set(uids);
        bounded(timeout, "UID FETCH (RFC822.SIZE)", async {
            let mut stream = self
                .session
                .uid_fetch(&set, "(UID RFC822.SIZE)")
                .await
                .map_err(command_error("UID FETCH"))?;
            let mut out = Vec::new();
            while let Some(item) = stream.next().await {
                let fetch = item.map_err(command_error("UID FETCH"))?;
                if let (Some(uid), Some(size)) = (fetch.uid, fetch.size) {
                    out.push((uid, size));
                }
            }
            out.sort_unstable();
            Ok(out)
        })
        .await
    }

    /// The whole message `uid` (without setting `\Seen`); `None` when it is gone.
    pub async fn fetch(&mut self, uid: u32) -> Result<Option<Vec<u8>>, ImapError> {
        let timeout = self.timeout;
        bounded(timeout, "UID FETCH (BODY.PEEK[])", async {
            let mut stream = self
                .session
                .uid_fetch(uid.to_string(), "(UID BODY.PEEK[])")
                .await
                .map_err(command_error("UID FETCH"))?;
            let mut body = None;
            while let Some(item) = stream.next().await {
                let fetch = item.map_err(command_error("UID FETCH"))?;
                if fetch.uid == Some(uid)
                    && let Some(bytes) = fetch.body()
                {
                    body = Some(bytes.to_vec());
                }
            }
            Ok(body)
        })
        .await
    }

    /// The whole messages `uids` (without setting `\Seen`), in UID order; a message gone
    /// meanwhile is missing from the answer. The caller bounds the total size.
    pub async fn fetch_many(&mut self, uids: &[u32]) -> Result<Vec<(u32, Vec<u8>)>, ImapError> {
        if uids.is_empty() {
            return Ok(Vec::new());
        }
        let timeout = self.timeout;
        let set = uid_set(uids);
        bounded(timeout, "UID FETCH (BODY.PEEK[])", async {
            let mut stream = self
                .session
                .uid_fetch(&set, "(UID BODY.PEEK[])")
                .await
                .map_err(command_error("UID FETCH"))?;
            let mut out = Vec::new();
            while let Some(item) = stream.next().await {
                let fetch = item.map_err(command_error("UID FETCH"))?;
                if let (Some(uid), Some(bytes)) = (fetch.uid, fetch.body())
                    && uids.contains(&uid)
                {
                    out.push((uid, bytes.to_vec()));
                }
            }
            out.sort_by_key(|(uid, _)| *uid);
            Ok(out)
        })
        .await
    }

    /// Creates `folder` unless it exists.
    pub async fn ensure_folder(&mut self, folder: &str) -> Result<(), ImapError> {
        if self.folders.contains(folder) {
            return Ok(());
        }
        let timeout = self.timeout;
        let exists = bounded(timeout, "LIST", async {
            let mut names = self
                .session
                .list(Some(""), Some(folder))
                .await
                .map_err(command_error("LIST"))?;
            let mut found = false;
            while let Some(name) = names.next().await {
                if name.map_err(command_error("LIST"))?.name() == folder {
                    found = true;
                }
            }
            Ok(found)
        })
        .await?;
        if !exists {
            bounded(timeout, "CREATE", async {
                self.session
                    .create(folder)
                    .await
                    .map_err(command_error("CREATE"))
            })
            .await?;
        }
        self.folders.insert(folder.to_string());
        Ok(())
    }

    /// Adds `flags` (e.g. `\Seen`) to `uids`.
    pub async fn add_flags(&mut self, uids: &[u32], flags: &str) -> Result<(), ImapError> {
        let timeout = self.timeout;
        let set = uid_set(uids);
        bounded(timeout, "UID STORE", async {
            let mut stream = self
                .session
                .uid_store(&set, format!("+FLAGS.SILENT ({flags})"))
                .await
                .map_err(command_error("UID STORE"))?;
            while let Some(item) = stream.next().await {
                item.map_err(command_error("UID STORE"))?;
            }
            Ok(())
        })
        .await
    }

    /// Expunges `uids` (flagged `\Deleted`): `UID EXPUNGE` with UIDPLUS, else `EXPUNGE`.
    async fn expunge(&mut self, uids: &[u32]) -> Result<(), ImapError> {
        let timeout = self.timeout;
        let set = uid_set(uids);
        let uidplus = self.has("UIDPLUS");
        bounded(timeout, "EXPUNGE", async {
            if uidplus {
                let stream = self
                    .session
                    .uid_expunge(&set)
                    .await
                    .map_err(command_error("UID EXPUNGE"))?;
                let mut stream = std::pin::pin!(stream);
                while let Some(item) = stream.next().await {
                    item.map_err(command_error("UID EXPUNGE"))?;
                }
            } else {
                let stream = self
                    .session
                    .expunge()
                    .await
                    .map_err(command_error("EXPUNGE"))?;
                let mut stream = std::pin::pin!(stream);
                while let Some(item) = stream.next().await {
                    item.map_err(command_error("EXPUNGE"))?;
                }
            }
            Ok(())
        })
        .await
    }

    /// Moves `uids` to `folder` (created when missing): `UID MOVE` where the server has
    /// MOVE, else COPY, flag `\Deleted` and expunge.
    pub async fn move_to(&mut self, uids: &[u32], folder: &str) -> Result<(), ImapError> {
        if uids.is_empty() {
            return Ok(());
        }
        self.ensure_folder(folder).await?;
        let timeout = self.timeout;
        let set = uid_set(uids);
        if self.has("MOVE") {
            return bounded(timeout, "UID MOVE", async {
                self.session
                    .uid_mv(&set, folder)
                    .await
                    .map_err(command_error("UID MOVE"))
            })
            .await;
        }
        bounded(timeout, "UID COPY", async {
            self.session
                .uid_copy(&set, folder)
                .await
                .map_err(command_error("UID COPY"))
        })
        .await?;
        self.add_flags(uids, "\\Deleted").await?;
        self.expunge(uids).await
    }

    /// Deletes `uids`: flag `\Deleted` and expunge.
    pub async fn delete(&mut self, uids: &[u32]) -> Result<(), ImapError> {
        if uids.is_empty() {
            return Ok(());
        }
        self.add_flags(uids, "\\Deleted").await?;
        self.expunge(uids).await
    }

    /// Waits until the server reports a change in the selected folder (IDLE), or `wait`
    /// passes; `Ok(true)` when something changed. The session is given back either way.
    pub async fn idle(mut self, wait: Duration) -> Result<(Connection, bool), ImapError> {
        let mut handle = self.session.idle();
        bounded(self.timeout, "IDLE", async {
            handle.init().await.map_err(command_error("IDLE"))
        })
        .await?;
        let changed = {
            let (future, _stop) = handle.wait_with_timeout(wait);
            // Keepalives restart the client's own timer: the whole wait is bounded here.
            match tokio::time::timeout(wait, future).await {
                Ok(outcome) => matches!(
                    outcome.map_err(command_error("IDLE"))?,
                    async_imap::extensions::idle::IdleResponse::NewData(_)
                ),
                Err(_) => false,
            }
        };
        let session = bounded(self.timeout, "DONE", async {
            handle.done().await.map_err(command_error("IDLE"))
        })
        .await?;
        self.session = session;
        Ok((self, changed))
    }

    /// Ends the session politely (errors are of no interest any more).
    pub async fn logout(mut self) {
        let timeout = self.timeout;
        let _ = tokio::time::timeout(timeout, self.session.logout()).await;
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn uid_sets_compress_runs() {
        assert_eq!(uid_set(&[5, 1, 2, 3, 9, 12, 13]), "1:3,5,9,12:13");
        assert_eq!(uid_set(&[7]), "7");
        assert_eq!(uid_set(&[]), "");
        assert_eq!(uid_set(&[4, 4, 5]), "4:5");
    }

    #[test]
    fn oauth_initial_responses_follow_the_mechanisms() {
        let token = SecretString::from("tok".to_string());
        let mut x = oauth_sasl(OAuthMechanism::Xoauth2, "a@b.example", "h", 993, &token);
        assert_eq!(
            x.process(b""),
            b"user=a@b.example\x01auth=Bearer tok\x01\x01".to_vec()
        );
        assert_eq!(x.process(b"{\"status\":\"401\"}"), b"".to_vec());
        let mut o = oauth_sasl(OAuthMechanism::Oauthbearer, "a,b=c", "h", 993, &token);
        assert_eq!(
            o.process(b""),
            b"n,a=a=2Cb=3Dc,\x01host=h\x01port=993\x01auth=Bearer tok\x01\x01".to_vec()
        );
        assert_eq!(o.process(b"{}"), b"\x01".to_vec());
    }

    #[tokio::test]
    async fn private_hosts_are_refused_unless_allowed() {
        let resolver = Resolver::new(&crate::dns::resolver::ResolverSettings {
            nameservers: vec!["127.0.0.1:1".parse().unwrap()],
            timeout: Duration::from_millis(200),
            ..Default::default()
        })
        .unwrap();
        for host in [
            "127.0.0.1",
            "10.1.2.3",
            "[::1]",
            "localhost",
            "mail.localhost",
        ] {
            assert!(
                matches!(
                    resolve(&resolver, host, false).await,
                    Err(ImapError::Refused(_))
                ),
                "{host}"
            );
        }
        assert_eq!(
            resolve(&resolver, "127.0.0.1", true).await.unwrap(),
            vec!["127.0.0.1".parse::<IpAddr>().unwrap()]
        );
        let refused = resolve(&resolver, "192.0.2.1", false).await.unwrap_err();
        assert!(refused.to_string().starts_with("192.0.2.1 ("), "{refused}");
    }
}
