//! Outbound HTTP(S): the address rule every request ruad makes on its own obeys (MTA-STS
//! policy files here, webhook deliveries in `crate::services::webhooks`), and the client of the
//! checks'
//! fetches (the MTA-STS policy file): HTTPS only, a certificate valid for the host (WebPKI
//! roots), no redirects followed (RFC 8461 §3.3), a size cap and a timeout.
//!
//! The rule: names are resolved with ruad's own [`Resolver`] ([`CheckedResolve`]), and the
//! addresses that come back are checked before connecting with [`is_public`], unless
//! `allow_private` is set, which only tests should do. Checking the resolved address, not the
//! name, is what stops a hostile domain from pointing a request at an internal service. A URL
//! whose host is an IP literal never reaches a resolver (the HTTP client connects to it
//! directly), so [`check_url`] applies the same rule to literals before a request is sent;
//! `localhost` names are refused likewise. Proxies from the environment are not used: a proxy
//! would connect on our behalf, past the check.
//!
//! # Which addresses are public
//! Only plain global unicast is: the requests go to URLs that customers (or their DNS) choose,
//! from inside the operator's network, so anything else is refused. The refused blocks are
//! [`REFUSED_V4`] and [`REFUSED_V6`]: every entry of the IANA IPv4 and IPv6 Special-Purpose
//! Address Registries (RFC 6890, as updated), multicast (224.0.0.0/4, ff00::/8), the
//! deprecated IPv4-compatible (::/96, RFC 4291 §2.5.5.1) and site-local (fec0::/10, RFC 3879)
//! IPv6 ranges, and for IPv6 everything outside the global unicast space 2000::/3 (the rest is
//! reserved by the IETF).
//!
//! Some registry entries are marked "globally reachable: true" (AS112 192.31.196.0/24,
//! 192.175.48.0/24, 2001:4:112::/48 and 2620:4f:8000::/48; AMT 192.52.193.0/24 and 2001:3::/32;
//! the PCP, TURN and DNS-SD anycast addresses 192.0.0.9, 192.0.0.10, 2001:1::1 to 2001:1::3;
//! ORCHIDv2 2001:20::/28; drone remote ID 2001:30::/28; NAT64 64:ff9b::/96). They are refused
//! too: none of them is a web server a webhook or an MTA-STS policy can legitimately live on,
//! and some (NAT64, anycast services) reach a nearby middlebox rather than the internet at
//! large. Refusing them is the safe choice, and costs nothing legitimate.
//!
//! IPv6 forms that embed an IPv4 address are judged by what they embed where that is where the
//! packet goes: an IPv4-mapped address (::ffff:0:0/96) is the IPv4 address itself to a
//! dual-stack socket, so it is public exactly when that IPv4 address is. The other embedding
//! forms are tunnelling or translation mechanisms, not plain global unicast, and are refused
//! whatever they embed: IPv4-compatible ::/96, 6to4 2002::/16 (RFC 3056, relays deprecated by
//! RFC 7526), NAT64 64:ff9b::/96 (RFC 6052) and its local-use 64:ff9b:1::/48 (RFC 8215), and
//! Teredo 2001::/32 (RFC 4380). [`embedded_ipv4`] extracts the IPv4 addresses each embeds, so
//! refusal messages and tests can name them.

use crate::dns::checks::{Checker, FetchError, TextFetch};
use crate::dns::resolver::Resolver;
use std::future::Future;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

/// Fetch settings.
#[derive(Debug, Clone)]
pub struct FetchSettings {
    /// Allow non-public addresses (tests only).
    pub allow_private: bool,
    /// Whole-request time limit.
    pub timeout: Duration,
    /// Largest body read.
    pub max_bytes: usize,
    /// Extra trusted root certificate, PEM (tests only).
    pub extra_root_pem: Option<String>,
    /// Port for `https://` URLs (tests only; 443 otherwise).
    pub https_port: u16,
}

impl Default for FetchSettings {
    fn default() -> Self {
        FetchSettings {
            allow_private: false,
            timeout: Duration::from_secs(20),
            max_bytes: 64 * 1024,
            extra_root_pem: None,
            https_port: 443,
        }
    }
}

/// An HTTPS client bound to these rules.
#[derive(Clone)]
pub struct Fetcher {
    client: reqwest::Client,
    settings: FetchSettings,
}

impl std::fmt::Debug for Fetcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fetcher")
            .field("settings", &self.settings)
            .finish()
    }
}

/// One refused block of addresses: the network, its prefix length, and what it is (the
/// registry's name and RFC; "globally reachable" where the registry says so, refused anyway,
/// see the module header).
#[derive(Debug, Clone, Copy)]
pub struct Block<A> {
    pub net: A,
    pub len: u8,
    pub name: &'static str,
}

const fn v4(a: u8, b: u8, c: u8, d: u8, len: u8, name: &'static str) -> Block<Ipv4Addr> {
    Block {
        net: Ipv4Addr::new(a, b, c, d),
        len,
        name,
    }
}

const fn v6(s: [u16; 8], len: u8, name: &'static str) -> Block<Ipv6Addr> {
    Block {
        net: Ipv6Addr::new(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7]),
        len,
        name,
    }
}

/// IPv4 addresses refused: the IANA IPv4 Special-Purpose Address Registry, entry by entry
/// (sub-entries of 192.0.0.0/24 listed for the record, though the /24 covers them), plus
/// multicast.
pub const REFUSED_V4: &[Block<Ipv4Addr>] = &[
    v4(0, 0, 0, 0, 8, "\"this network\" (RFC 791)"),
    v4(10, 0, 0, 0, 8, "private-use (RFC 1918)"),
    v4(100, 64, 0, 0, 10, "shared address space, CGNAT (RFC 6598)"),
    v4(127, 0, 0, 0, 8, "loopback (RFC 1122)"),
    v4(169, 254, 0, 0, 16, "link-local, cloud metadata (RFC 3927)"),
    v4(172, 16, 0, 0, 12, "private-use (RFC 1918)"),
    v4(192, 0, 0, 0, 24, "IETF protocol assignments (RFC 6890)"),
    v4(
        192,
        0,
        0,
        0,
        29,
        "IPv4 service continuity prefix, DS-Lite (RFC 7335)",
    ),
    v4(192, 0, 0, 8, 32, "IPv4 dummy address (RFC 7600)"),
    v4(
        192,
        0,
        0,
        9,
        32,
        "PCP anycast (RFC 7723; globally reachable)",
    ),
    v4(
        192,
        0,
        0,
        10,
        32,
        "TURN anycast (RFC 8155; globally reachable)",
    ),
    v4(192, 0, 0, 170, 32, "NAT64/DNS64 discovery (RFC 8880)"),
    v4(192, 0, 0, 171, 32, "NAT64/DNS64 discovery (RFC 8880)"),
    v4(192, 0, 2, 0, 24, "documentation TEST-NET-1 (RFC 5737)"),
    v4(
        192,
        31,
        196,
        0,
        24,
        "AS112-v4 (RFC 7535; globally reachable)",
    ),
    v4(192, 52, 193, 0, 24, "AMT (RFC 7450; globally reachable)"),
    v4(
        192,
        88,
        99,
        0,
        24,
        "deprecated 6to4 relay anycast (RFC 7526)",
    ),
    v4(192, 168, 0, 0, 16, "private-use (RFC 1918)"),
    v4(
        192,
        175,
        48,
        0,
        24,
        "direct delegation AS112 service (RFC 7534; globally reachable)",
    ),
    v4(198, 18, 0, 0, 15, "benchmarking (RFC 2544)"),
    v4(198, 51, 100, 0, 24, "documentation TEST-NET-2 (RFC 5737)"),
    v4(203, 0, 113, 0, 24, "documentation TEST-NET-3 (RFC 5737)"),
    v4(224, 0, 0, 0, 4, "multicast (RFC 5771)"),
    v4(240, 0, 0, 0, 4, "reserved (RFC 1112)"),
    v4(255, 255, 255, 255, 32, "limited broadcast (RFC 919)"),
];

/// IPv6 addresses refused by name: the IANA IPv6 Special-Purpose Address Registry, entry by
/// entry, plus the deprecated IPv4-compatible and site-local ranges and multicast. Whatever
/// else lies outside global unicast (2000::/3) is refused as reserved by [`refused_block`]. IPv4-mapped addresses (::ffff:0:0/96) are not listed: they
/// are judged as the IPv4 address they are (see [`is_public`]).
pub const REFUSED_V6: &[Block<Ipv6Addr>] = &[
    v6([0, 0, 0, 0, 0, 0, 0, 1], 128, "loopback (RFC 4291)"),
    v6([0, 0, 0, 0, 0, 0, 0, 0], 128, "unspecified (RFC 4291)"),
    v6(
        [0, 0, 0, 0, 0, 0, 0, 0],
        96,
        "deprecated IPv4-compatible (RFC 4291 §2.5.5.1)",
    ),
    v6(
        [0x64, 0xff9b, 0, 0, 0, 0, 0, 0],
        96,
        "NAT64 well-known prefix (RFC 6052; globally reachable)",
    ),
    v6(
        [0x64, 0xff9b, 1, 0, 0, 0, 0, 0],
        48,
        "NAT64 local-use prefix (RFC 8215)",
    ),
    v6([0x100, 0, 0, 0, 0, 0, 0, 0], 64, "discard-only (RFC 6666)"),
    v6(
        [0x100, 0, 0, 1, 0, 0, 0, 0],
        64,
        "dummy IPv6 prefix (RFC 9780)",
    ),
    v6(
        [0x2001, 0, 0, 0, 0, 0, 0, 0],
        23,
        "IETF protocol assignments (RFC 2928)",
    ),
    v6([0x2001, 0, 0, 0, 0, 0, 0, 0], 32, "Teredo (RFC 4380)"),
    v6(
        [0x2001, 1, 0, 0, 0, 0, 0, 1],
        128,
        "PCP anycast (RFC 7723; globally reachable)",
    ),
    v6(
        [0x2001, 1, 0, 0, 0, 0, 0, 2],
        128,
        "TURN anycast (RFC 8155; globally reachable)",
    ),
    v6(
        [0x2001, 1, 0, 0, 0, 0, 0, 3],
        128,
        "DNS-SD SRP anycast (RFC 9665; globally reachable)",
    ),
    v6([0x2001, 2, 0, 0, 0, 0, 0, 0], 48, "benchmarking (RFC 5180)"),
    v6(
        [0x2001, 3, 0, 0, 0, 0, 0, 0],
        32,
        "AMT (RFC 7450; globally reachable)",
    ),
    v6(
        [0x2001, 4, 0x112, 0, 0, 0, 0, 0],
        48,
        "AS112-v6 (RFC 7535; globally reachable)",
    ),
    v6(
        [0x2001, 0x10, 0, 0, 0, 0, 0, 0],
        28,
        "deprecated ORCHID (RFC 4843)",
    ),
    v6(
        [0x2001, 0x20, 0, 0, 0, 0, 0, 0],
        28,
        "ORCHIDv2 (RFC 7343; globally reachable)",
    ),
    v6(
        [0x2001, 0x30, 0, 0, 0, 0, 0, 0],
        28,
        "drone remote ID DETs (RFC 9374; globally reachable)",
    ),
    v6(
        [0x2001, 0xdb8, 0, 0, 0, 0, 0, 0],
        32,
        "documentation (RFC 3849)",
    ),
    v6([0x2002, 0, 0, 0, 0, 0, 0, 0], 16, "6to4 (RFC 3056)"),
    v6(
        [0x2620, 0x4f, 0x8000, 0, 0, 0, 0, 0],
        48,
        "direct delegation AS112 service (RFC 7534; globally reachable)",
    ),
    v6(
        [0x3fff, 0, 0, 0, 0, 0, 0, 0],
        20,
        "documentation (RFC 9637)",
    ),
    v6([0x5f00, 0, 0, 0, 0, 0, 0, 0], 16, "SRv6 SIDs (RFC 9602)"),
    v6([0xfc00, 0, 0, 0, 0, 0, 0, 0], 7, "unique local (RFC 4193)"),
    v6([0xfe80, 0, 0, 0, 0, 0, 0, 0], 10, "link-local (RFC 4291)"),
    v6(
        [0xfec0, 0, 0, 0, 0, 0, 0, 0],
        10,
        "deprecated site-local (RFC 3879)",
    ),
    v6([0xff00, 0, 0, 0, 0, 0, 0, 0], 8, "multicast (RFC 4291)"),
];

fn in_v4(ip: Ipv4Addr, b: &Block<Ipv4Addr>) -> bool {
    let mask = u32::MAX.checked_shl(32 - u32::from(b.len)).unwrap_or(0);
    u32::from(ip) & mask == u32::from(b.net) & mask
}

fn in_v6(ip: Ipv6Addr, b: &Block<Ipv6Addr>) -> bool {
    let mask = u128::MAX.checked_shl(128 - u32::from(b.len)).unwrap_or(0);
    u128::from(ip) & mask == u128::from(b.net) & mask
}

/// The refused block `ip` is in, if any (the most specific one listed first wins for
/// messages; any one refuses). IPv6 outside 2000::/3 that no entry names is refused as
/// IETF-reserved space; an IPv4-mapped address as the IPv4 address it maps.
pub fn refused_block(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => most_specific(REFUSED_V4.iter().filter(|b| in_v4(v4, b))),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return refused_block(IpAddr::V4(v4));
            }
            most_specific(REFUSED_V6.iter().filter(|b| in_v6(v6, b))).or_else(|| {
                // Global unicast is 2000::/3; the rest of the space is reserved.
                (v6.segments()[0] & 0xe000 != 0x2000)
                    .then_some("reserved by the IETF (outside global unicast 2000::/3, RFC 4291)")
            })
        }
    }
}

fn most_specific<'a, A: 'a>(blocks: impl Iterator<Item = &'a Block<A>>) -> Option<&'static str> {
    blocks.max_by_key(|b| b.len).map(|b| b.name)
}

/// Whether an address is plain global unicast, the only kind outbound requests may reach: not
/// in any special-purpose, multicast, deprecated or reserved block ([`refused_block`]).
pub fn is_public(ip: IpAddr) -> bool {
    refused_block(ip).is_none()
}

/// The IPv4 addresses an IPv6 address embeds: IPv4-mapped and IPv4-compatible (the last 32
/// bits), 6to4 (bits 16..48), NAT64 with the well-known prefix (the last 32 bits), Teredo (the
/// server in bits 32..64, the client in the last 32 bits inverted). Empty for other addresses.
pub fn embedded_ipv4(ip: Ipv6Addr) -> Vec<Ipv4Addr> {
    let s = ip.segments();
    let pair = |hi: u16, lo: u16| Ipv4Addr::from((u32::from(hi) << 16) | u32::from(lo));
    let last = pair(s[6], s[7]);
    match s {
        [0, 0, 0, 0, 0, 0xffff, _, _] | [0, 0, 0, 0, 0, 0, _, _] => vec![last],
        [0x2002, hi, lo, ..] => vec![pair(hi, lo)],
        [0x64, 0xff9b, 0, 0, 0, 0, _, _] => vec![last],
        [0x2001, 0, hi, lo, ..] => vec![pair(hi, lo), pair(!s[6], !s[7])],
        _ => Vec::new(),
    }
}

/// Whether `url` may be requested: `https` (or `http` when `allow_private`, for test
/// receivers), no user name or password, a host, and a host that is not a non-public IP
/// literal or a `localhost` name unless `allow_private`. Names are checked when they are
/// resolved, by [`CheckedResolve`].
pub fn check_url(url: &url::Url, allow_private: bool) -> Result<(), UrlRefused> {
    match url.scheme() {
        "https" => {}
        "http" if allow_private => {}
        "http" => return Err(UrlRefused::HttpsRequired),
        other => return Err(UrlRefused::Scheme(other.to_string())),
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(UrlRefused::Credentials);
    }
    let literal = match url.host() {
        None => return Err(UrlRefused::NoHost),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip),
        Some(url::Host::Domain(name)) if !allow_private && is_localhost(name) => {
            return Err(UrlRefused::NotPublic(name.to_string()));
        }
        Some(url::Host::Domain(_)) => return Ok(()),
    };
    match refused_block(literal) {
        Some(block) if !allow_private => {
            Err(UrlRefused::NotPublic(describe_refused(literal, block)))
        }
        _ => Ok(()),
    }
}

/// Why [`check_url`] refused a URL; its text follows the URL or the word `url` in messages.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UrlRefused {
    #[error("must use https")]
    HttpsRequired,
    #[error("scheme '{0}' is not allowed; use https")]
    Scheme(String),
    #[error("must not contain a user name or password")]
    Credentials,
    #[error("has no host")]
    NoHost,
    /// The host (an address with the block it is in, or a `localhost` name).
    #[error("{0} is not a public address; outbound requests go to public addresses only")]
    NotPublic(String),
}

/// An HTTP client that could not be built (a bad extra root certificate, no TLS backend).
#[derive(Debug, thiserror::Error)]
#[error("{what}: {source}")]
pub struct ClientSetupError {
    what: &'static str,
    #[source]
    source: reqwest::Error,
}

impl ClientSetupError {
    pub fn new(what: &'static str, source: reqwest::Error) -> ClientSetupError {
        ClientSetupError { what, source }
    }
}

/// `ip (block[, embedding a.b.c.d])`, for refusal messages.
fn describe_refused(ip: IpAddr, block: &str) -> String {
    let embedded = match ip {
        IpAddr::V6(v6) => embedded_ipv4(v6),
        IpAddr::V4(_) => Vec::new(),
    };
    if embedded.is_empty() {
        format!("{ip} ({block})")
    } else {
        let list: Vec<String> = embedded.iter().map(ToString::to_string).collect();
        format!("{ip} ({block}, embedding {})", list.join(" and "))
    }
}

/// `localhost` and names under it always mean loopback (RFC 6761 §6.3).
fn is_localhost(name: &str) -> bool {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    name == "localhost" || name.ends_with(".localhost")
}

/// A resolver for the HTTP client: ruad's [`Resolver`], keeping only public addresses unless
/// `allow_private`.
pub struct CheckedResolve {
    resolver: Resolver,
    allow_private: bool,
}

impl CheckedResolve {
    pub fn new(resolver: Resolver, allow_private: bool) -> CheckedResolve {
        CheckedResolve {
            resolver,
            allow_private,
        }
    }
}

/// An HTTP client builder bound to the outbound rule: names through [`CheckedResolve`], no
/// proxy, no redirects followed, `timeout` for connecting and for the whole request, and the
/// `ruad/<version>` user agent. Callers still check each URL with [`check_url`].
pub fn client_builder(
    resolver: Resolver,
    allow_private: bool,
    timeout: Duration,
) -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(timeout)
        .connect_timeout(timeout)
        .user_agent(concat!("ruad/", env!("CARGO_PKG_VERSION")))
        .dns_resolver(Arc::new(CheckedResolve::new(resolver, allow_private)))
}

impl reqwest::dns::Resolve for CheckedResolve {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let resolver = self.resolver.clone();
        let allow_private = self.allow_private;
        let host = name.as_str().to_string();
        Box::pin(async move {
            let mut ips: Vec<IpAddr> = Vec::new();
            let (v4, v6) = (resolver.a(&host).await, resolver.aaaa(&host).await);
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
                    .unwrap_or_default();
                return Err(format!("{host} has no address: {why}").into());
            }
            let allowed: Vec<SocketAddr> = ips
                .iter()
                .filter(|ip| allow_private || is_public(**ip))
                .map(|ip| SocketAddr::new(*ip, 0))
                .collect();
            if allowed.is_empty() {
                return Err(format!(
                    "{host} resolves only to non-public addresses ({}); refused",
                    ips.iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                )
                .into());
            }
            let addrs: reqwest::dns::Addrs = Box::new(allowed.into_iter());
            Ok(addrs)
        })
    }
}

impl Fetcher {
    pub fn new(resolver: Resolver, settings: FetchSettings) -> Result<Fetcher, ClientSetupError> {
        let mut builder =
            client_builder(resolver, settings.allow_private, settings.timeout).https_only(true);
        if let Some(pem) = &settings.extra_root_pem {
            let cert = reqwest::Certificate::from_pem(pem.as_bytes())
                .map_err(|e| ClientSetupError::new("extra root certificate", e))?;
            builder = builder.add_root_certificate(cert);
        }
        let client = builder
            .build()
            .map_err(|e| ClientSetupError::new("https client", e))?;
        Ok(Fetcher { client, settings })
    }

    /// `https://<host><path>` with the configured port.
    pub fn url(&self, host: &str, path: &str) -> String {
        if self.settings.https_port == 443 {
            format!("https://{host}{path}")
        } else {
            format!("https://{host}:{}{path}", self.settings.https_port)
        }
    }

    /// GETs `url`; the body as text when the answer is 200, else why not.
    pub async fn get_text(&self, url: &str) -> Result<String, FetchError> {
        let parsed = url::Url::parse(url).map_err(|e| FetchError::InvalidUrl {
            url: url.to_string(),
            reason: e.to_string(),
        })?;
        check_url(&parsed, self.settings.allow_private).map_err(|e| FetchError::Refused {
            url: url.to_string(),
            reason: e.to_string(),
        })?;
        let request_failed = |e| FetchError::Request(describe(e));
        let mut response = self.client.get(url).send().await.map_err(request_failed)?;
        let status = response.status();
        if status.is_redirection() {
            let to = response
                .headers()
                .get(reqwest::header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("?");
            return Err(FetchError::Redirect {
                status: status.to_string(),
                to: to.to_string(),
            });
        }
        if status != reqwest::StatusCode::OK {
            return Err(FetchError::Status(status.to_string()));
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(request_failed)? {
            if body.len() + chunk.len() > self.settings.max_bytes {
                return Err(FetchError::TooLarge(self.settings.max_bytes));
            }
            body.extend_from_slice(&chunk);
        }
        String::from_utf8(body).map_err(|_| FetchError::NotText)
    }
}

impl TextFetch for Fetcher {
    fn url(&self, host: &str, path: &str) -> String {
        Fetcher::url(self, host, path)
    }

    fn get_text<'a>(
        &'a self,
        url: &'a str,
    ) -> Pin<Box<dyn Future<Output = Result<String, FetchError>> + Send + 'a>> {
        Box::pin(Fetcher::get_text(self, url))
    }
}

/// A record checker whose HTTPS fetches (the MTA-STS policy) go through a [`Fetcher`] with
/// `settings`.
pub fn checker(resolver: Resolver, settings: FetchSettings) -> Result<Checker, ClientSetupError> {
    let fetcher = Fetcher::new(resolver.clone(), settings)?;
    Ok(Checker::new(resolver, std::sync::Arc::new(fetcher)))
}

/// The innermost cause of a request error, which says what actually failed (certificate,
/// refused address, timeout...).
pub fn describe(e: reqwest::Error) -> String {
    let mut message = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        message = s.to_string();
        source = s.source();
    }
    if e.is_timeout() {
        return format!("timed out ({message})");
    }
    message
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    /// One row per entry of the IANA special-purpose registries (and the multicast,
    /// deprecated and reserved ranges refused beside them): a representative address inside
    /// the block, and a neighbour just outside it that is public, where one exists (a
    /// neighbour inside a larger refused block, or outside 2000::/3, is not).
    const REGISTRY: &[(&str, &str, Option<&str>)] = &[
        // IPv4 Special-Purpose Address Registry.
        ("0.0.0.0/8", "0.1.2.3", Some("1.0.0.1")),
        ("10.0.0.0/8", "10.255.0.1", Some("11.0.0.1")),
        ("100.64.0.0/10", "100.127.255.254", Some("100.128.0.1")),
        (
            "100.64.0.0/10 (start)",
            "100.64.0.1",
            Some("100.63.255.254"),
        ),
        ("127.0.0.0/8", "127.0.0.1", Some("128.0.0.1")),
        ("169.254.0.0/16", "169.254.169.254", Some("169.255.0.1")),
        ("172.16.0.0/12", "172.31.255.254", Some("172.32.0.1")),
        (
            "172.16.0.0/12 (start)",
            "172.16.0.1",
            Some("172.15.255.254"),
        ),
        ("192.0.0.0/24", "192.0.0.200", Some("192.0.1.1")),
        ("192.0.0.0/29", "192.0.0.1", None),
        ("192.0.0.8/32", "192.0.0.8", None),
        ("192.0.0.9/32", "192.0.0.9", None),
        ("192.0.0.10/32", "192.0.0.10", None),
        ("192.0.0.170/32", "192.0.0.170", None),
        ("192.0.0.171/32", "192.0.0.171", None),
        ("192.0.2.0/24", "192.0.2.1", Some("192.0.3.1")),
        ("192.31.196.0/24", "192.31.196.1", Some("192.31.197.1")),
        ("192.52.193.0/24", "192.52.193.1", Some("192.52.194.1")),
        ("192.88.99.0/24", "192.88.99.1", Some("192.88.100.1")),
        ("192.168.0.0/16", "192.168.1.1", Some("192.169.0.1")),
        ("192.175.48.0/24", "192.175.48.1", Some("192.175.49.1")),
        ("198.18.0.0/15", "198.19.255.254", Some("198.20.0.1")),
        (
            "198.18.0.0/15 (start)",
            "198.18.0.1",
            Some("198.17.255.254"),
        ),
        ("198.51.100.0/24", "198.51.100.1", Some("198.51.101.1")),
        ("203.0.113.0/24", "203.0.113.1", Some("203.0.114.1")),
        ("240.0.0.0/4", "240.0.0.1", None),
        ("255.255.255.255/32", "255.255.255.255", None),
        // Multicast.
        ("224.0.0.0/4", "224.0.0.251", Some("223.255.255.254")),
        // IPv6 Special-Purpose Address Registry.
        ("::1/128", "::1", None),
        ("::/128", "::", None),
        ("::ffff:0:0/96", "::ffff:10.0.0.1", None),
        ("64:ff9b::/96", "64:ff9b::808:808", None),
        ("64:ff9b:1::/48", "64:ff9b:1::808:808", None),
        ("100::/64", "100::1", None),
        ("100:0:0:1::/64", "100:0:0:1::1", None),
        ("2001::/23", "2001:1ff::1", Some("2001:200::1")),
        ("2001::/32", "2001:0:4136:e378:8000:63bf:3fff:fdd2", None),
        ("2001:1::1/128", "2001:1::1", None),
        ("2001:1::2/128", "2001:1::2", None),
        ("2001:1::3/128", "2001:1::3", None),
        ("2001:2::/48", "2001:2::1", None),
        ("2001:3::/32", "2001:3::1", None),
        ("2001:4:112::/48", "2001:4:112::1", None),
        ("2001:10::/28", "2001:10::1", None),
        ("2001:20::/28", "2001:20::1", None),
        ("2001:30::/28", "2001:30::1", None),
        ("2001:db8::/32", "2001:db8::1", Some("2001:db9::1")),
        ("2002::/16", "2002:808:808::1", Some("2003::1")),
        (
            "2620:4f:8000::/48",
            "2620:4f:8000::1",
            Some("2620:4f:8001::1"),
        ),
        ("3fff::/20", "3fff:fff::1", Some("3fff:1000::1")),
        ("5f00::/16", "5f00::1", None),
        ("fc00::/7", "fd00::1", None),
        ("fe80::/10", "fe80::1", None),
        // Deprecated, and multicast.
        ("::/96 (IPv4-compatible)", "::127.0.0.1", None),
        ("fec0::/10", "fec0::1", None),
        ("ff00::/8", "ff02::1", None),
        // Outside global unicast 2000::/3.
        ("4000::/3 (reserved)", "4000::1", Some("3fff:ffff::1")),
        ("::/3 (reserved)", "1fff::1", Some("2000::1")),
    ];

    #[test]
    fn every_special_purpose_block_is_refused_and_its_neighbours_are_not() {
        for (block, inside, outside) in REGISTRY {
            let ip: IpAddr = inside.parse().unwrap();
            assert!(!is_public(ip), "{block}: {inside} must be refused");
            if let Some(outside) = outside {
                let ip: IpAddr = outside.parse().unwrap();
                assert!(is_public(ip), "{block}: {outside} is outside it and public");
            }
        }
        for ip in ["8.8.8.8", "1.1.1.1", "2606:4700::1111", "2a00:1450:4001::1"] {
            assert!(is_public(ip.parse().unwrap()), "{ip}");
        }
    }

    #[test]
    fn every_listed_block_is_refused_from_its_first_to_its_last_address() {
        for b in REFUSED_V4 {
            let first = u32::from(b.net);
            let last = first | u32::MAX.checked_shr(u32::from(b.len)).unwrap_or(0);
            for ip in [first, last] {
                assert!(!is_public(IpAddr::V4(ip.into())), "{} /{}", b.net, b.len);
            }
        }
        for b in REFUSED_V6 {
            let first = u128::from(b.net);
            let last = first | u128::MAX.checked_shr(u32::from(b.len)).unwrap_or(0);
            for ip in [first, last] {
                assert!(!is_public(IpAddr::V6(ip.into())), "{} /{}", b.net, b.len);
            }
        }
    }

    #[test]
    fn ipv6_forms_embedding_ipv4_are_refused_and_name_what_they_embed() {
        let v6 = |s: &str| -> Ipv6Addr { s.parse().unwrap() };
        let v4 = |s: &str| -> Ipv4Addr { s.parse().unwrap() };
        for (ip, embedded) in [
            ("::ffff:127.0.0.1", vec![v4("127.0.0.1")]),
            ("::127.0.0.1", vec![v4("127.0.0.1")]),
            ("2002:7f00:1::", vec![v4("127.0.0.1")]),
            ("2002:a9fe:a9fe::1", vec![v4("169.254.169.254")]),
            ("64:ff9b::7f00:1", vec![v4("127.0.0.1")]),
            // Teredo: server 65.54.227.120, client the inverted last 32 bits.
            (
                "2001:0:4136:e378:8000:63bf:80ff:fffe",
                vec![v4("65.54.227.120"), v4("127.0.0.1")],
            ),
        ] {
            assert_eq!(embedded_ipv4(v6(ip)), embedded, "{ip}");
            assert!(!is_public(IpAddr::V6(v6(ip))), "{ip}");
        }
        // Only a mapped address is judged by what it embeds: it is that IPv4 address. The
        // tunnelling and translation forms are refused whatever they carry.
        assert!(is_public("::ffff:8.8.8.8".parse().unwrap()));
        for ip in [
            "::8.8.8.8",
            "2002:808:808::1",
            "64:ff9b::808:808",
            "2001:0:4136:e378:8000:63bf:f7f7:f7f7",
        ] {
            assert!(!is_public(ip.parse().unwrap()), "{ip}");
        }
        assert!(embedded_ipv4(v6("2606:4700::1111")).is_empty());
    }

    fn check(url: &str, allow_private: bool) -> Result<(), String> {
        check_url(&url::Url::parse(url).unwrap(), allow_private).map_err(|e| e.to_string())
    }

    #[test]
    fn non_public_literal_hosts_are_refused_without_the_test_setting() {
        for url in [
            "https://127.0.0.1/hook",
            "https://127.0.0.1:8443/hook",
            "https://10.0.0.1/",
            "https://169.254.169.254/latest/meta-data/",
            "https://[::1]/",
            "https://[fd00::1]:8443/",
            "https://[::ffff:192.168.1.1]/",
            "https://[::127.0.0.1]/",
            "https://[2002:7f00:1::]/",
            "https://[fec0::1]/",
            "https://[64:ff9b::7f00:1]/",
            "https://[2001:0:4136:e378:8000:63bf:80ff:fffe]/",
            "https://192.0.0.9/",
            "https://[2001:4:112::1]/",
            "https://localhost/",
            "https://api.localhost./",
            // Legacy IPv4 spellings are normalized by the URL parser, then checked.
            "https://0x7f.1/",
            "https://2130706433/",
        ] {
            let refused = check(url, false).unwrap_err();
            assert!(refused.contains("not a public address"), "{url}: {refused}");
            assert_eq!(check(url, true), Ok(()), "{url} with the test setting");
        }
    }

    #[test]
    fn a_refusal_names_the_block_and_the_embedded_ipv4() {
        let refused = check("https://[2002:7f00:1::]/", false).unwrap_err();
        assert!(refused.contains("6to4"), "{refused}");
        assert!(refused.contains("embedding 127.0.0.1"), "{refused}");
        let refused = check("https://100.64.0.1/", false).unwrap_err();
        assert!(refused.contains("CGNAT"), "{refused}");
    }

    #[test]
    fn public_hosts_pass_and_names_are_left_to_the_resolver() {
        for url in [
            "https://8.8.8.8/hook",
            "https://[2606:4700::1111]/",
            "https://hooks.example.com:8443/path?q=1",
        ] {
            assert_eq!(check(url, false), Ok(()), "{url}");
        }
    }

    #[test]
    fn only_https_without_credentials_is_allowed() {
        assert_eq!(
            check("http://hooks.example.com/", false),
            Err("must use https".into())
        );
        assert_eq!(check("http://127.0.0.1:9/", true), Ok(()));
        assert!(check("ftp://hooks.example.com/", true).is_err());
        assert!(check("file:///etc/passwd", true).is_err());
        assert!(check("https://user:pw@hooks.example.com/", false).is_err());
        assert!(check("https://user@hooks.example.com/", true).is_err());
    }

    #[test]
    fn a_literal_loopback_url_is_refused_before_any_connection() {
        let fetcher = Fetcher::new(
            Resolver::fixed(crate::dns::StaticZone::default()),
            FetchSettings::default(),
        )
        .unwrap();
        let error = crate::dns::block_on(fetcher.get_text("https://127.0.0.1:1/x")).unwrap_err();
        assert!(
            matches!(&error, FetchError::Refused { reason, .. } if reason.contains("not a public address")),
            "{error}"
        );
    }
}
