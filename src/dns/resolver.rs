//! The only DNS I/O in ruad: hickory-resolver in production (and in the integration tests,
//! against an authoritative server on loopback), or a [`StaticZone`] in pure unit tests.
//!
//! Every lookup returns the records, or one of three distinct outcomes: the name does not
//! exist (NXDOMAIN), it exists without records of that type (NODATA), or the lookup failed
//! (timeout, SERVFAIL, refused...). SPF counts the first two as "void lookups" and turns the
//! third into `temperror`; DMARC discovery treats a failure as "try again later", never as "no
//! policy".
//!
//! Only names a query can carry are asked about: labels of 1-63 bytes of visible ASCII (what
//! SPF macro expansion produces, RFC 7208 §7.1: `user@example.com.s.example.com`,
//! `a%2Bb.example.com` and `foo:bar/baz.example.com` are all asked as they are, as binary
//! labels, RFC 2181 §11) other than `"`, `\`, `[` and `]`, at most 253 bytes in all. Quotes
//! and brackets make quoted local-parts and address literals (RFC 5321 §4.1.2), which are not
//! DNS names, and `\` is the master-file escape. Any other name (an empty or long label,
//! spaces, quotes, brackets, a domain literal such as `[192.0.2.1]`, non-ASCII) is
//! [`DnsError::InvalidName`] at once, without a query, in both backends, so callers can treat
//! it as "no such name" and never as a lookup failure.
//!
//! A resolver can carry a deadline ([`Resolver::with_deadline`]): a lookup still running then
//! ends as [`DnsError::Failed`] (`timeout`), so a check that runs out of time reports what it
//! learned so far instead of waiting for every unanswered query.

use hickory_resolver::TokioResolver;
use hickory_resolver::config::{NameServerConfig, ResolverConfig, ResolverOpts};
use hickory_resolver::net::NetError;
use hickory_resolver::net::runtime::TokioRuntimeProvider;
use hickory_resolver::proto::rr::RData;
use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

/// Why a lookup returned no records.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DnsError {
    /// The name does not exist.
    #[error("{name}: no such domain (NXDOMAIN)")]
    NxDomain { name: String },
    /// The name exists but has no record of the type asked for.
    #[error("{name}: no {rtype} record (NODATA)")]
    NoData { name: String, rtype: &'static str },
    /// The lookup did not get an answer: timeout, SERVFAIL, REFUSED, network error.
    #[error("{name}: {rtype} lookup failed: {reason}")]
    Failed {
        name: String,
        rtype: &'static str,
        reason: String,
        timeout: bool,
    },
    /// The name is not a valid domain name.
    #[error("'{name}' is not a valid domain name")]
    InvalidName { name: String },
}

impl DnsError {
    /// NXDOMAIN or NODATA: a definite "no such record" (RFC 7208 §4.6.4 "void lookup").
    pub fn is_void(&self) -> bool {
        matches!(self, DnsError::NxDomain { .. } | DnsError::NoData { .. })
    }
}

/// Why [`Resolver::new`] could not build a hickory resolver.
#[derive(Debug, thiserror::Error)]
pub enum ResolverSetupError {
    /// No nameservers were given and the system's configuration (`/etc/resolv.conf`) could
    /// not be read.
    #[error("system resolver: {0}")]
    SystemConfig(NetError),
    /// hickory refused the settings.
    #[error("resolver: {0}")]
    Build(NetError),
}

/// A nameserver setting that is not `IP`, `IP:PORT` or `[IPv6]:PORT`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{input}' is not a nameserver address (IP or IP:PORT)")]
pub struct NameserverError {
    /// The setting as given.
    pub input: String,
}

// For the callers that still report setup errors as text (settings, the CLI).
/// One TXT record as published: its character-strings, each at most 255 bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TxtRecord {
    pub chunks: Vec<Vec<u8>>,
}

impl TxtRecord {
    pub fn from_text(text: &str) -> Self {
        TxtRecord {
            chunks: vec![text.as_bytes().to_vec()],
        }
    }

    /// The record's text: the strings joined without separator (RFC 7208 §3.3, RFC 6376
    /// §3.6.2.2), invalid UTF-8 replaced.
    pub fn text(&self) -> String {
        let bytes: Vec<u8> = self.chunks.concat();
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

/// One MX record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mx {
    pub preference: u16,
    /// Lower-case, without the trailing dot; `""` for a null MX (RFC 7505).
    pub exchange: String,
}

/// Resolver settings.
#[derive(Debug, Clone)]
pub struct ResolverSettings {
    /// Nameservers to ask; empty: the system's (`/etc/resolv.conf`).
    pub nameservers: Vec<SocketAddr>,
    /// Time allowed for one query attempt.
    pub timeout: Duration,
    /// Attempts per query.
    pub attempts: usize,
    /// Answers cached (0: no cache).
    pub cache_size: u64,
}

impl Default for ResolverSettings {
    fn default() -> Self {
        ResolverSettings {
            nameservers: Vec::new(),
            timeout: Duration::from_secs(3),
            attempts: 2,
            cache_size: 4096,
        }
    }
}

/// A DNS resolver: hickory, or a fixed in-memory zone for unit tests; with an optional
/// deadline for every lookup.
#[derive(Clone)]
pub struct Resolver {
    backend: Backend,
    deadline: Option<tokio::time::Instant>,
}

#[derive(Clone)]
enum Backend {
    Hickory(Arc<TokioResolver>),
    Static(Arc<StaticZone>),
}

impl std::fmt::Debug for Resolver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.backend {
            Backend::Hickory(_) => f.write_str("Resolver::Hickory"),
            Backend::Static(z) => f.debug_tuple("Resolver::Static").field(z).finish(),
        }?;
        if let Some(deadline) = self.deadline {
            write!(f, " until {deadline:?}")?;
        }
        Ok(())
    }
}

/// Why a lookup cut short by the deadline failed.
pub const BUDGET_EXHAUSTED: &str = "the time budget of the check ran out";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum RType {
    Txt,
    A,
    Aaaa,
    Mx,
    Ptr,
}

impl RType {
    fn name(self) -> &'static str {
        match self {
            RType::Txt => "TXT",
            RType::A => "A",
            RType::Aaaa => "AAAA",
            RType::Mx => "MX",
            RType::Ptr => "PTR",
        }
    }
}

impl Resolver {
    /// A hickory resolver with these settings.
    pub fn new(settings: &ResolverSettings) -> Result<Resolver, ResolverSetupError> {
        let mut opts = ResolverOpts::default();
        opts.timeout = settings.timeout;
        opts.attempts = settings.attempts;
        opts.cache_size = settings.cache_size;
        // Answers are used as they are: no search list, names are absolute.
        opts.ndots = 0;
        let builder = if settings.nameservers.is_empty() {
            TokioResolver::builder_tokio().map_err(ResolverSetupError::SystemConfig)?
        } else {
            let servers = settings
                .nameservers
                .iter()
                .map(|addr| {
                    let mut ns = NameServerConfig::udp_and_tcp(addr.ip());
                    for c in ns.connections.iter_mut() {
                        c.port = addr.port();
                    }
                    ns
                })
                .collect();
            TokioResolver::builder_with_config(
                ResolverConfig::from_name_servers(servers),
                TokioRuntimeProvider::default(),
            )
        };
        let resolver = builder
            .with_options(opts)
            .build()
            .map_err(ResolverSetupError::Build)?;
        Ok(Resolver {
            backend: Backend::Hickory(Arc::new(resolver)),
            deadline: None,
        })
    }

    /// A resolver answering from a fixed zone.
    pub fn fixed(zone: StaticZone) -> Resolver {
        Resolver {
            backend: Backend::Static(Arc::new(zone)),
            deadline: None,
        }
    }

    /// This resolver, with every lookup ending by `deadline` (or by its own earlier one).
    pub fn with_deadline(&self, deadline: tokio::time::Instant) -> Resolver {
        Resolver {
            backend: self.backend.clone(),
            deadline: Some(self.deadline.map_or(deadline, |d| d.min(deadline))),
        }
    }

    /// The deadline of this resolver's lookups, if it has one.
    pub fn deadline(&self) -> Option<tokio::time::Instant> {
        self.deadline
    }

    /// Runs `lookup`, failing it as timed out when the deadline passes first.
    async fn bounded<T>(
        &self,
        name: &str,
        rtype: RType,
        lookup: impl Future<Output = Result<T, DnsError>>,
    ) -> Result<T, DnsError> {
        let Some(deadline) = self.deadline else {
            return lookup.await;
        };
        match tokio::time::timeout_at(deadline, lookup).await {
            Ok(found) => found,
            Err(_) => Err(DnsError::Failed {
                name: normalize(name),
                rtype: rtype.name(),
                reason: BUDGET_EXHAUSTED.into(),
                timeout: true,
            }),
        }
    }

    /// TXT records at `name`.
    pub async fn txt(&self, name: &str) -> Result<Vec<TxtRecord>, DnsError> {
        self.bounded(name, RType::Txt, async {
            match &self.backend {
                Backend::Static(z) => z.answer(name, RType::Txt, |a| match a {
                    Answer::Txt(t) => Some(t.clone()),
                    _ => None,
                }),
                Backend::Hickory(r) => {
                    let found = r.txt_lookup(query_name(name)?).await;
                    collect(name, RType::Txt, found, |data| match data {
                        RData::TXT(t) => Some(TxtRecord {
                            chunks: t.txt_data.iter().map(|c| c.to_vec()).collect(),
                        }),
                        _ => None,
                    })
                }
            }
        })
        .await
    }

    /// IPv4 addresses of `name`.
    pub async fn a(&self, name: &str) -> Result<Vec<Ipv4Addr>, DnsError> {
        self.bounded(name, RType::A, async {
            match &self.backend {
                Backend::Static(z) => z.answer(name, RType::A, |a| match a {
                    Answer::Ip(IpAddr::V4(ip)) => Some(*ip),
                    _ => None,
                }),
                Backend::Hickory(r) => {
                    let found = r.ipv4_lookup(query_name(name)?).await;
                    collect(name, RType::A, found, |data| match data {
                        RData::A(a) => Some(a.0),
                        _ => None,
                    })
                }
            }
        })
        .await
    }

    /// IPv6 addresses of `name`.
    pub async fn aaaa(&self, name: &str) -> Result<Vec<Ipv6Addr>, DnsError> {
        self.bounded(name, RType::Aaaa, async {
            match &self.backend {
                Backend::Static(z) => z.answer(name, RType::Aaaa, |a| match a {
                    Answer::Ip(IpAddr::V6(ip)) => Some(*ip),
                    _ => None,
                }),
                Backend::Hickory(r) => {
                    let found = r.ipv6_lookup(query_name(name)?).await;
                    collect(name, RType::Aaaa, found, |data| match data {
                        RData::AAAA(a) => Some(a.0),
                        _ => None,
                    })
                }
            }
        })
        .await
    }

    /// Addresses of `name` in the family of `like` (A for IPv4, AAAA for IPv6).
    pub async fn addresses(&self, name: &str, ipv6: bool) -> Result<Vec<IpAddr>, DnsError> {
        if ipv6 {
            Ok(self.aaaa(name).await?.into_iter().map(IpAddr::V6).collect())
        } else {
            Ok(self.a(name).await?.into_iter().map(IpAddr::V4).collect())
        }
    }

    /// MX records of `name`, by preference.
    pub async fn mx(&self, name: &str) -> Result<Vec<Mx>, DnsError> {
        let mut found = self
            .bounded(name, RType::Mx, async {
                match &self.backend {
                    Backend::Static(z) => z.answer(name, RType::Mx, |a| match a {
                        Answer::Mx(mx) => Some(mx.clone()),
                        _ => None,
                    }),
                    Backend::Hickory(r) => {
                        let found = r.mx_lookup(query_name(name)?).await;
                        collect(name, RType::Mx, found, |data| match data {
                            RData::MX(mx) => Some(Mx {
                                preference: mx.preference,
                                exchange: normalize(&mx.exchange.to_ascii()),
                            }),
                            _ => None,
                        })
                    }
                }
            })
            .await?;
        found.sort_by(|a, b| (a.preference, &a.exchange).cmp(&(b.preference, &b.exchange)));
        Ok(found)
    }

    /// PTR names of `ip` (lower-case, without the trailing dot).
    pub async fn ptr(&self, ip: IpAddr) -> Result<Vec<String>, DnsError> {
        let name = reverse_name(ip);
        self.bounded(&name, RType::Ptr, async {
            match &self.backend {
                Backend::Static(z) => z.answer(&name, RType::Ptr, |a| match a {
                    Answer::Name(n) => Some(n.clone()),
                    _ => None,
                }),
                Backend::Hickory(r) => {
                    let found = r.reverse_lookup(ip).await;
                    collect(&name, RType::Ptr, found, |data| match data {
                        RData::PTR(p) => Some(normalize(&p.0.to_ascii())),
                        _ => None,
                    })
                }
            }
        })
        .await
    }
}

/// `IP`, `IP:PORT` or `[IPv6]:PORT`.
pub fn parse_nameserver(s: &str) -> Result<SocketAddr, NameserverError> {
    if let Ok(addr) = s.parse::<SocketAddr>() {
        return Ok(addr);
    }
    s.parse::<IpAddr>()
        .map(|ip| SocketAddr::new(ip, 53))
        .map_err(|_| NameserverError {
            input: s.to_string(),
        })
}

/// The `in-addr.arpa` / `ip6.arpa` name of an address.
pub fn reverse_name(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            format!("{}.{}.{}.{}.in-addr.arpa", o[3], o[2], o[1], o[0])
        }
        IpAddr::V6(v6) => {
            let mut labels = Vec::with_capacity(34);
            for byte in v6.octets().iter().rev() {
                labels.push(format!("{:x}", byte & 0x0f));
                labels.push(format!("{:x}", byte >> 4));
            }
            labels.push("ip6".into());
            labels.push("arpa".into());
            labels.join(".")
        }
    }
}

/// Lower-case, without the trailing dot.
pub fn normalize(name: &str) -> String {
    name.trim_end_matches('.').to_ascii_lowercase()
}

/// Whether `name` (with or without its trailing dot) is one a query can carry: see the
/// module header.
pub fn is_query_name(name: &str) -> bool {
    query_name(name).is_ok()
}

/// The absolute name to query for `name`, or `InvalidName` when no query can carry it.
fn query_name(name: &str) -> Result<hickory_resolver::proto::rr::Name, DnsError> {
    let invalid = || DnsError::InvalidName {
        name: name.to_string(),
    };
    let bare = name.strip_suffix('.').unwrap_or(name);
    let labels_ok = !bare.is_empty()
        && bare.len() <= 253
        && bare.split('.').all(|label| {
            let b = label.as_bytes();
            !b.is_empty()
                && b.len() <= 63
                && b.iter()
                    .all(|c| c.is_ascii_graphic() && !matches!(c, b'"' | b'\\' | b'[' | b']'))
        });
    if !labels_ok {
        return Err(invalid());
    }
    // Raw labels: hickory's text parser would refuse anything but letters, digits, `-`, `_`.
    hickory_resolver::proto::rr::Name::from_labels(bare.split('.').map(str::as_bytes))
        .map_err(|_| invalid())
}

fn collect<T>(
    name: &str,
    rtype: RType,
    found: Result<hickory_resolver::lookup::Lookup, NetError>,
    pick: impl Fn(&RData) -> Option<T>,
) -> Result<Vec<T>, DnsError> {
    let name = normalize(name);
    match found {
        Ok(lookup) => {
            let out: Vec<T> = lookup
                .answers()
                .iter()
                .filter_map(|r| pick(&r.data))
                .collect();
            if out.is_empty() {
                // Only CNAMEs came back (a CNAME to a name without this type).
                return Err(DnsError::NoData {
                    name,
                    rtype: rtype.name(),
                });
            }
            Ok(out)
        }
        Err(e) if e.is_nx_domain() => Err(DnsError::NxDomain { name }),
        Err(e) if e.is_no_records_found() => Err(DnsError::NoData {
            name,
            rtype: rtype.name(),
        }),
        Err(e) => Err(DnsError::Failed {
            name,
            rtype: rtype.name(),
            timeout: matches!(e, NetError::Timeout),
            reason: e.to_string(),
        }),
    }
}

/// One answer in a [`StaticZone`].
#[derive(Debug, Clone)]
enum Answer {
    Txt(TxtRecord),
    Ip(IpAddr),
    Mx(Mx),
    Name(String),
}

/// A fixed set of records for unit tests of DNS logic. Names that hold no record, and are
/// not an ancestor of one that does, are NXDOMAIN; names marked with [`StaticZone::fail`]
/// fail every lookup (as SERVFAIL or a timeout would).
#[derive(Debug, Clone, Default)]
pub struct StaticZone {
    records: HashMap<(String, RType), Vec<Answer>>,
    failing: HashMap<String, bool>,
}

impl StaticZone {
    pub fn new() -> Self {
        StaticZone::default()
    }

    fn add(mut self, name: &str, rtype: RType, answer: Answer) -> Self {
        self.records
            .entry((normalize(name), rtype))
            .or_default()
            .push(answer);
        self
    }

    /// A TXT record made of one string.
    pub fn txt(self, name: &str, text: &str) -> Self {
        self.add(name, RType::Txt, Answer::Txt(TxtRecord::from_text(text)))
    }

    /// A TXT record made of several strings.
    pub fn txt_chunks(self, name: &str, chunks: &[&str]) -> Self {
        let record = TxtRecord {
            chunks: chunks.iter().map(|c| c.as_bytes().to_vec()).collect(),
        };
        self.add(name, RType::Txt, Answer::Txt(record))
    }

    /// An A or AAAA record.
    pub fn ip(self, name: &str, ip: &str) -> Self {
        match ip.parse::<IpAddr>() {
            Ok(ip @ IpAddr::V4(_)) => self.add(name, RType::A, Answer::Ip(ip)),
            Ok(ip @ IpAddr::V6(_)) => self.add(name, RType::Aaaa, Answer::Ip(ip)),
            Err(_) => self,
        }
    }

    pub fn mx(self, name: &str, preference: u16, exchange: &str) -> Self {
        let mx = Mx {
            preference,
            exchange: normalize(exchange),
        };
        self.add(name, RType::Mx, Answer::Mx(mx))
    }

    /// A PTR record for `ip`.
    pub fn ptr(self, ip: &str, name: &str) -> Self {
        match ip.parse::<IpAddr>() {
            Ok(ip) => self.add(&reverse_name(ip), RType::Ptr, Answer::Name(normalize(name))),
            Err(_) => self,
        }
    }

    /// Every lookup of `name` fails (`timeout`: as a timeout, else as SERVFAIL).
    pub fn fail(mut self, name: &str, timeout: bool) -> Self {
        self.failing.insert(normalize(name), timeout);
        self
    }

    fn exists(&self, name: &str) -> bool {
        let suffix = format!(".{name}");
        self.records
            .keys()
            .any(|(n, _)| n == name || n.ends_with(&suffix))
    }

    fn answer<T>(
        &self,
        name: &str,
        rtype: RType,
        pick: impl Fn(&Answer) -> Option<T>,
    ) -> Result<Vec<T>, DnsError> {
        query_name(name)?;
        let key = normalize(name);
        if let Some(&timeout) = self.failing.get(&key) {
            return Err(DnsError::Failed {
                name: key,
                rtype: rtype.name(),
                reason: if timeout { "timed out" } else { "SERVFAIL" }.into(),
                timeout,
            });
        }
        match self.records.get(&(key.clone(), rtype)) {
            Some(answers) => Ok(answers.iter().filter_map(pick).collect()),
            None if self.exists(&key) => Err(DnsError::NoData {
                name: key,
                rtype: rtype.name(),
            }),
            None => Err(DnsError::NxDomain { name: key }),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    use crate::dns::block_on as block;

    #[test]
    fn a_static_zone_tells_nxdomain_from_nodata_and_failure() {
        let r = Resolver::fixed(
            StaticZone::new()
                .txt("_dmarc.example.test", "v=DMARC1; p=none")
                .ip("mx.example.test", "192.0.2.1")
                .fail("broken.test", false),
        );
        block(async {
            assert_eq!(r.txt("_dmarc.example.test.").await.unwrap().len(), 1);
            assert!(matches!(
                r.txt("mx.example.test").await,
                Err(DnsError::NoData { .. })
            ));
            // An empty non-terminal exists.
            assert!(matches!(
                r.txt("example.test").await,
                Err(DnsError::NoData { .. })
            ));
            assert!(matches!(
                r.txt("nope.example.test").await,
                Err(DnsError::NxDomain { .. })
            ));
            assert!(matches!(
                r.a("broken.test").await,
                Err(DnsError::Failed { .. })
            ));
            assert!(matches!(
                r.txt("a..b").await,
                Err(DnsError::InvalidName { .. })
            ));
        });
    }

    #[test]
    fn only_names_a_query_can_carry_are_asked_about() {
        for ok in [
            "example.com",
            "example.com.",
            "_dmarc.example.com",
            "s1._domainkey.mail_1.example.com",
            "xn--bcher-kva.example",
            "a-b.c",
            "localhost",
            "-lead.example.com",
            "user@example.com.s.example.com",
            "a%2Bb.esc.example.com",
            "foo:bar/baz.example.com",
            "bounces+srs=x=y.example.com",
        ] {
            assert!(is_query_name(ok), "{ok}");
        }
        let long = format!("{}.example.com", "a".repeat(64));
        for bad in [
            "",
            ".",
            "example.com..",
            "a..b",
            "[192.0.2.1]",
            "\"john doe\".example.com",
            "john doe.example.com",
            "tab\there.example.com",
            "b\\058c.example.com",
            "bücher.example",
            long.as_str(),
        ] {
            assert!(!is_query_name(bad), "{bad}");
        }
    }

    #[test]
    fn a_deadline_only_ever_moves_earlier() {
        let r = Resolver::fixed(StaticZone::new().txt("example.test", "v=spf1 -all"));
        let past = r.with_deadline(tokio::time::Instant::now());
        block(async {
            // An answer that is ready comes back even at the deadline.
            assert!(past.txt("example.test").await.is_ok());
        });
        let later = tokio::time::Instant::now() + std::time::Duration::from_secs(60);
        let soon = tokio::time::Instant::now() + std::time::Duration::from_secs(1);
        assert_eq!(
            r.with_deadline(later).with_deadline(soon).deadline(),
            Some(soon)
        );
        assert_eq!(
            r.with_deadline(soon).with_deadline(later).deadline(),
            Some(soon)
        );
    }

    #[test]
    fn nameservers_take_an_optional_port() {
        assert_eq!(
            parse_nameserver("127.0.0.1:5353").unwrap(),
            "127.0.0.1:5353".parse().unwrap()
        );
        assert_eq!(
            parse_nameserver("192.0.2.53").unwrap(),
            "192.0.2.53:53".parse().unwrap()
        );
        assert_eq!(
            parse_nameserver("[2001:db8::53]:5300").unwrap(),
            "[2001:db8::53]:5300".parse().unwrap()
        );
        assert!(parse_nameserver("ns.example").is_err());
    }

    #[test]
    fn reverse_names_follow_rfc_1035_and_3596() {
        assert_eq!(
            reverse_name("192.0.2.25".parse().unwrap()),
            "25.2.0.192.in-addr.arpa"
        );
        assert_eq!(
            reverse_name("2001:db8::1".parse().unwrap()),
            "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa"
        );
    }

    #[test]
    fn txt_chunks_are_joined_without_spaces() {
        let t = TxtRecord {
            chunks: vec![b"v=spf1 ip4:192.0.2.0/24".to_vec(), b" -all".to_vec()],
        };
        assert_eq!(t.text(), "v=spf1 ip4:192.0.2.0/24 -all");
    }

    #[test]
    fn a_refused_nameserver_is_named() {
        assert_eq!(
            parse_nameserver("ns.example").err().map(|e| e.to_string()),
            Some("'ns.example' is not a nameserver address (IP or IP:PORT)".into())
        );
    }
}
