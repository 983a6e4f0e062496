//! Outbound HTTP(S): the address rule every request ruad makes on its own obeys (MTA-STS
//! policy files here, webhook deliveries in `crate::webhooks`), and the client of the checks'
//! fetches (the MTA-STS policy file): HTTPS only, a certificate valid for the host (WebPKI
//! roots), no redirects followed (RFC 8461 §3.3), a size cap and a timeout.
//!
//! The rule: names are resolved with ruad's own [`Resolver`] ([`CheckedResolve`]), and the
//! addresses that come back are checked before connecting: loopback, private, link-local,
//! CGNAT, documentation, multicast and unspecified ranges (and the cloud metadata address
//! among them) are refused unless `allow_private` is set, which only tests should do.
//! Checking the resolved address, not the name, is what stops a hostile domain from pointing
//! a request at an internal service. A URL whose host is an IP literal never reaches a
//! resolver (the HTTP client connects to it directly), so [`check_url`] applies the same rule
//! to literals before a request is sent; `localhost` names are refused likewise. Proxies from
//! the environment are not used: a proxy would connect on our behalf, past the check.

use super::resolver::Resolver;
use std::net::{IpAddr, SocketAddr};
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

/// Whether an address is on the public internet (not loopback, private, shared, link-local,
/// documentation, benchmarking, multicast, reserved or unspecified).
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                || o[0] == 0
                || (o[0] == 100 && (64..128).contains(&o[1]))
                || (o[0] == 192 && o[1] == 0 && o[2] == 0)
                || (o[0] == 198 && (18..20).contains(&o[1]))
                || o[0] >= 240)
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            let s = v6.segments();
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (s[0] & 0xfe00) == 0xfc00
                || (s[0] & 0xffc0) == 0xfe80
                || (s[0] == 0x2001 && s[1] == 0x0db8)
                || (s[0] == 0x64 && s[1] == 0xff9b))
        }
    }
}

/// Whether `url` may be requested: `https` (or `http` when `allow_private`, for test
/// receivers), no user name or password, a host, and a host that is not a non-public IP
/// literal or a `localhost` name unless `allow_private`. Names are checked when they are
/// resolved, by [`CheckedResolve`].
pub fn check_url(url: &url::Url, allow_private: bool) -> Result<(), String> {
    match url.scheme() {
        "https" => {}
        "http" if allow_private => {}
        "http" => return Err("must use https".into()),
        other => return Err(format!("scheme '{other}' is not allowed; use https")),
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("must not contain a user name or password".into());
    }
    let refused = |what: String| -> Result<(), String> {
        Err(format!(
            "{what} is not a public address; outbound requests go to public addresses only"
        ))
    };
    match url.host() {
        None => Err("has no host".into()),
        Some(url::Host::Ipv4(ip)) if !allow_private && !is_public(IpAddr::V4(ip)) => {
            refused(ip.to_string())
        }
        Some(url::Host::Ipv6(ip)) if !allow_private && !is_public(IpAddr::V6(ip)) => {
            refused(ip.to_string())
        }
        Some(url::Host::Domain(name)) if !allow_private && is_localhost(name) => {
            refused(name.to_string())
        }
        Some(_) => Ok(()),
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
    pub fn new(resolver: Resolver, settings: FetchSettings) -> Result<Fetcher, String> {
        let mut builder =
            client_builder(resolver, settings.allow_private, settings.timeout).https_only(true);
        if let Some(pem) = &settings.extra_root_pem {
            let cert = reqwest::Certificate::from_pem(pem.as_bytes())
                .map_err(|e| format!("extra root certificate: {e}"))?;
            builder = builder.add_root_certificate(cert);
        }
        let client = builder.build().map_err(|e| format!("https client: {e}"))?;
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
    pub async fn get_text(&self, url: &str) -> Result<String, String> {
        let parsed = url::Url::parse(url).map_err(|e| format!("invalid URL {url}: {e}"))?;
        check_url(&parsed, self.settings.allow_private).map_err(|e| format!("{url} {e}"))?;
        let mut response = self.client.get(url).send().await.map_err(describe)?;
        let status = response.status();
        if status.is_redirection() {
            let to = response
                .headers()
                .get(reqwest::header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("?");
            return Err(format!(
                "answered {status} (redirect to {to}); redirects must not be followed"
            ));
        }
        if status != reqwest::StatusCode::OK {
            return Err(format!("answered {status}, not 200"));
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(describe)? {
            if body.len() + chunk.len() > self.settings.max_bytes {
                return Err(format!(
                    "the body is larger than {} bytes",
                    self.settings.max_bytes
                ));
            }
            body.extend_from_slice(&chunk);
        }
        String::from_utf8(body).map_err(|_| "the body is not UTF-8 text".to_string())
    }
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

    #[test]
    fn only_public_addresses_are_public() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "192.0.2.1",
            "198.18.0.1",
            "240.0.0.1",
            "::1",
            "fc00::1",
            "fe80::1",
            "2001:db8::1",
            "::ffff:127.0.0.1",
            "64:ff9b::a00:1",
        ] {
            assert!(!is_public(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["8.8.8.8", "1.1.1.1", "2606:4700::1111", "::ffff:8.8.8.8"] {
            assert!(is_public(ip.parse().unwrap()), "{ip}");
        }
    }

    fn check(url: &str, allow_private: bool) -> Result<(), String> {
        check_url(&url::Url::parse(url).unwrap(), allow_private)
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
        assert!(error.contains("not a public address"), "{error}");
    }
}
