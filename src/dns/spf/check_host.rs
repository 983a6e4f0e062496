//! `check_host` (RFC 7208 §4, §5, §6): the SPF result for one connecting IP, sender and HELO
//! name, through the resolver passed in, bounded by the §4.6.4 limits and a depth cap.

use super::macros::{
    MacroError, MacroVars, expand_tokens, macro_tokens, needs_ptr, truncate_domain,
};
use super::{
    BoxFuture, Evaluation, MAX_DEPTH, MAX_DNS_LOOKUPS, MAX_MX_NAMES, MAX_VOID_LOOKUPS, Mechanism,
    SpfResult, normalize, parse, select,
};
use crate::dns::{DnsError, Resolver, Severity};
use std::net::IpAddr;

/// §4.6.4: PTR names one `ptr` mechanism or `%{p}` looks at.
const MAX_PTR_NAMES: usize = 10;

/// Why a domain-spec gave no target name (§4.8, §7.3): the evaluation's permerror, shown in
/// its trace.
#[derive(Debug, thiserror::Error)]
enum ExpandError {
    #[error(transparent)]
    Macro(#[from] MacroError),
    #[error("'{spec}' expands to an empty name")]
    Empty { spec: String },
}

struct Outcome {
    result: SpfResult,
    term: Option<String>,
    explanation: Option<String>,
}

impl Outcome {
    fn bare(result: SpfResult) -> Self {
        Outcome {
            result,
            term: None,
            explanation: None,
        }
    }
}

struct Eval<'a> {
    resolver: &'a Resolver,
    ip: IpAddr,
    sender: String,
    local: String,
    sender_domain: String,
    helo: String,
    receiver: String,
    now: i64,
    lookups: u32,
    voids: u32,
    trace: Vec<String>,
}

/// §4.3: a domain check_host can evaluate: a multi-label name that a DNS query can carry
/// ([`crate::dns::resolver::is_query_name`]: labels of 1-63 visible characters other than `"`,
/// `\`, `[`, `]`, 253 bytes at most). Anything else — spaces, quotes, a domain literal such
/// as `[192.0.2.1]`, an empty or long label, a single label — is malformed, and check_host
/// returns "none" without a lookup.
pub(super) fn is_valid_domain(domain: &str) -> bool {
    let bare = domain.strip_suffix('.').unwrap_or(domain);
    bare.contains('.') && crate::dns::resolver::is_query_name(bare)
}

fn prefix_match(ip: IpAddr, net: IpAddr, len: u8) -> bool {
    match (ip, net) {
        (IpAddr::V4(a), IpAddr::V4(b)) => {
            let mask = u32::MAX
                .checked_shl(32 - u32::from(len.min(32)))
                .unwrap_or(0);
            u32::from(a) & mask == u32::from(b) & mask
        }
        (IpAddr::V6(a), IpAddr::V6(b)) => {
            let mask = u128::MAX
                .checked_shl(128 - u32::from(len.min(128)))
                .unwrap_or(0);
            u128::from(a) & mask == u128::from(b) & mask
        }
        _ => false,
    }
}

/// Parses an `address/prefix` network string from the parsed view.
fn parse_network(network: &str) -> Option<(IpAddr, u8)> {
    let (addr, len) = network.split_once('/')?;
    Some((addr.parse().ok()?, len.parse().ok()?))
}

/// Evaluates SPF for a connection from `ip` (RFC 7208 `check_host`). `domain` empty means
/// the domain of `sender`; an empty `sender` means `postmaster@<helo>` (§2.4). `now` (Unix
/// seconds) feeds the `%{t}` macro.
pub async fn check_host(
    resolver: &Resolver,
    ip: IpAddr,
    domain: &str,
    sender: &str,
    helo: Option<&str>,
    now: i64,
) -> Evaluation {
    check_host_as(resolver, ip, domain, sender, helo, now, None).await
}

/// [`check_host`] with the receiving host's name for the `%{r}` macro (`unknown` if `None`).
pub async fn check_host_as(
    resolver: &Resolver,
    ip: IpAddr,
    domain: &str,
    sender: &str,
    helo: Option<&str>,
    now: i64,
    receiver: Option<&str>,
) -> Evaluation {
    // IPv4-mapped IPv6 senders are IPv4 senders (§5: A records, ip4 networks).
    let ip = match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    };
    let helo = helo.unwrap_or("").trim_end_matches('.').to_string();
    let sender = if sender.is_empty() && !helo.is_empty() {
        format!("postmaster@{helo}")
    } else {
        sender.to_string()
    };
    // §4.3: a sender without a local-part gets "postmaster".
    let (local, sender_domain) = match sender.rsplit_once('@') {
        Some(("", d)) => ("postmaster".to_string(), d.to_string()),
        Some((l, d)) => (l.to_string(), d.to_string()),
        None => ("postmaster".to_string(), sender.clone()),
    };
    let sender = format!("{local}@{sender_domain}");
    let domain = if domain.is_empty() {
        sender_domain.clone()
    } else {
        domain.to_string()
    };
    let mut eval = Eval {
        resolver,
        ip,
        sender,
        local,
        sender_domain,
        helo: if helo.is_empty() {
            "unknown".to_string()
        } else {
            helo
        },
        receiver: receiver.unwrap_or("unknown").to_string(),
        now,
        lookups: 0,
        voids: 0,
        trace: Vec::new(),
    };
    let outcome = eval.check(normalize(&domain), false, 0).await;
    eval.trace.push(format!(
        "result {} ({} DNS lookups, {} void)",
        result_name(outcome.result),
        eval.lookups,
        eval.voids
    ));
    Evaluation {
        result: outcome.result,
        mechanism: outcome.term,
        explanation: outcome.explanation,
        dns_lookups: eval.lookups,
        void_lookups: eval.voids,
        trace: eval.trace,
    }
}

fn result_name(r: SpfResult) -> &'static str {
    match r {
        SpfResult::Pass => "pass",
        SpfResult::Fail => "fail",
        SpfResult::Softfail => "softfail",
        SpfResult::Neutral => "neutral",
        SpfResult::None => "none",
        SpfResult::Permerror => "permerror",
        SpfResult::Temperror => "temperror",
    }
}

impl<'a> Eval<'a> {
    fn vars(&self, domain: &str) -> MacroVars {
        MacroVars {
            sender: self.sender.clone(),
            local: self.local.clone(),
            sender_domain: self.sender_domain.clone(),
            domain: domain.to_string(),
            ip: self.ip,
            helo: self.helo.clone(),
            validated: None,
            receiver: self.receiver.clone(),
            now: self.now,
        }
    }

    fn check(&mut self, domain: String, in_include: bool, depth: u32) -> BoxFuture<'_, Outcome> {
        Box::pin(async move {
            if depth > MAX_DEPTH {
                self.trace.push(format!("{domain}: nesting too deep"));
                return Outcome::bare(SpfResult::Permerror);
            }
            if !is_valid_domain(&domain) {
                self.trace
                    .push(format!("'{domain}': not a valid domain name"));
                return Outcome::bare(SpfResult::None);
            }
            let texts = match self.resolver.txt(&domain).await {
                Ok(records) => records.iter().map(|r| r.text()).collect::<Vec<_>>(),
                Err(DnsError::Failed { reason, .. }) => {
                    self.trace
                        .push(format!("{domain}: TXT lookup failed: {reason}"));
                    return Outcome::bare(SpfResult::Temperror);
                }
                Err(e) => {
                    self.trace.push(format!("{domain}: {e}"));
                    return Outcome::bare(SpfResult::None);
                }
            };
            let text = match select(&texts) {
                Ok(Some(text)) => text,
                Ok(None) => {
                    self.trace.push(format!("{domain}: no SPF record"));
                    return Outcome::bare(SpfResult::None);
                }
                Err(finding) => {
                    self.trace.push(format!("{domain}: {}", finding.message));
                    return Outcome::bare(SpfResult::Permerror);
                }
            };
            self.trace.push(format!("{domain}: {text}"));
            let parsed = parse(&text);
            let Some(record) = parsed.record else {
                for f in parsed
                    .findings
                    .iter()
                    .filter(|f| f.severity == Severity::Error)
                {
                    self.trace.push(format!("{domain}: {}", f.message));
                }
                return Outcome::bare(SpfResult::Permerror);
            };
            for directive in &record.directives {
                match self.matches(&directive.mechanism, &domain, depth).await {
                    Ok(false) => {}
                    Ok(true) => {
                        let result = directive.qualifier.result();
                        self.trace.push(format!(
                            "{domain}: '{}' matches: {}",
                            directive.text,
                            result_name(result)
                        ));
                        // §6.2: an include's own exp is never used.
                        let explanation = match (&record.exp, result, in_include) {
                            (Some(exp), SpfResult::Fail, false) => self.explain(exp, &domain).await,
                            _ => None,
                        };
                        return Outcome {
                            result,
                            term: Some(directive.text.clone()),
                            explanation,
                        };
                    }
                    Err(result) => {
                        self.trace.push(format!(
                            "{domain}: '{}': {}",
                            directive.text,
                            result_name(result)
                        ));
                        return Outcome {
                            result,
                            term: Some(directive.text.clone()),
                            explanation: None,
                        };
                    }
                }
            }
            // `all` always matches, so reaching here means there is none and a redirect
            // applies (§6.1).
            if let Some(spec) = &record.redirect {
                let term = format!("redirect={spec}");
                if let Err(result) = self.count_lookup(&domain, &term) {
                    return Outcome {
                        result,
                        term: Some(term),
                        explanation: None,
                    };
                }
                let target = match self.expand_domain(spec, &domain).await {
                    Ok(t) => t,
                    Err(why) => {
                        self.trace.push(format!("{domain}: '{term}': {why}"));
                        return Outcome {
                            result: SpfResult::Permerror,
                            term: Some(term),
                            explanation: None,
                        };
                    }
                };
                let inner = self.check(target.clone(), in_include, depth + 1).await;
                let result = if inner.result == SpfResult::None {
                    self.trace.push(format!(
                        "{domain}: redirect target {target} has no SPF record"
                    ));
                    SpfResult::Permerror
                } else {
                    inner.result
                };
                return Outcome {
                    result,
                    term: Some(term),
                    explanation: inner.explanation,
                };
            }
            self.trace
                .push(format!("{domain}: nothing matched: neutral (§4.7)"));
            Outcome::bare(SpfResult::Neutral)
        })
    }

    fn count_lookup(&mut self, domain: &str, term: &str) -> Result<(), SpfResult> {
        self.lookups = self.lookups.saturating_add(1);
        if self.lookups > MAX_DNS_LOOKUPS {
            self.trace.push(format!(
                "{domain}: '{term}' exceeds the limit of {MAX_DNS_LOOKUPS} DNS lookups"
            ));
            return Err(SpfResult::Permerror);
        }
        Ok(())
    }

    /// A target-name that no DNS query can carry (`InvalidName`): the mechanism does not
    /// match. RFC 7208 leaves this case to §4.3 (a malformed domain is "none" for
    /// check_host, so nothing there can match) and §7.1 (macro expansion may produce any
    /// visible character); it is not a DNS error, so never temperror, and no lookup was made,
    /// so not a void lookup either.
    fn unqueryable(&mut self, e: &DnsError) -> bool {
        self.trace
            .push(format!("{e}: no DNS query can carry it, so no match"));
        false
    }

    fn void(&mut self, what: &str) -> Result<(), SpfResult> {
        self.voids = self.voids.saturating_add(1);
        self.trace.push(format!("void lookup: {what}"));
        if self.voids > MAX_VOID_LOOKUPS {
            self.trace.push(format!(
                "more than {MAX_VOID_LOOKUPS} void lookups: permerror"
            ));
            return Err(SpfResult::Permerror);
        }
        Ok(())
    }

    /// The validated name of the client (§5.5 steps, used by `%{p}`): a PTR name whose
    /// addresses include the IP, preferring `domain` itself or a subdomain of it.
    async fn validated_name(&mut self, domain: &str) -> Option<String> {
        let names = self.resolver.ptr(self.ip).await.ok()?;
        let mut validated = Vec::new();
        for name in names.into_iter().take(MAX_PTR_NAMES) {
            if let Ok(addrs) = self.resolver.addresses(&name, self.ip.is_ipv6()).await
                && addrs.contains(&self.ip)
            {
                validated.push(name);
            }
        }
        let suffix = format!(".{domain}");
        validated
            .iter()
            .find(|n| n.eq_ignore_ascii_case(domain))
            .or_else(|| {
                validated
                    .iter()
                    .find(|n| n.to_ascii_lowercase().ends_with(&suffix))
            })
            .or_else(|| validated.first())
            .cloned()
    }

    async fn expand_domain(&mut self, spec: &str, domain: &str) -> Result<String, ExpandError> {
        let tokens = macro_tokens(spec, false, false)?;
        let mut vars = self.vars(domain);
        if needs_ptr(&tokens) {
            vars.validated = self.validated_name(domain).await;
        }
        let name = truncate_domain(&expand_tokens(&tokens, &vars));
        if name.is_empty() {
            return Err(ExpandError::Empty {
                spec: spec.to_string(),
            });
        }
        Ok(name)
    }

    /// §6.2: the explanation for a fail; any problem means no explanation.
    async fn explain(&mut self, spec: &str, domain: &str) -> Option<String> {
        let target = self.expand_domain(spec, domain).await.ok()?;
        // The exp lookup does not count toward the limits (§4.6.4).
        let records = self.resolver.txt(&target).await.ok()?;
        let [record] = records.as_slice() else {
            self.trace
                .push(format!("exp {target}: not exactly one TXT record, ignored"));
            return None;
        };
        let text = record.text();
        let tokens = macro_tokens(&text, true, true).ok()?;
        let mut vars = self.vars(domain);
        if needs_ptr(&tokens) {
            vars.validated = self.validated_name(domain).await;
        }
        Some(expand_tokens(&tokens, &vars))
    }

    async fn matches(
        &mut self,
        mechanism: &Mechanism,
        domain: &str,
        depth: u32,
    ) -> Result<bool, SpfResult> {
        let v6 = self.ip.is_ipv6();
        match mechanism {
            Mechanism::All => Ok(true),
            Mechanism::Ip4 { network } | Mechanism::Ip6 { network } => Ok(
                parse_network(network).is_some_and(|(net, len)| prefix_match(self.ip, net, len))
            ),
            Mechanism::Include { domain: spec } => {
                self.count_lookup(domain, &format!("include:{spec}"))?;
                let target = self
                    .expand_domain(spec, domain)
                    .await
                    .map_err(|_| SpfResult::Permerror)?;
                let inner = self.check(target.clone(), true, depth + 1).await;
                // §5.2 table.
                match inner.result {
                    SpfResult::Pass => Ok(true),
                    SpfResult::Fail | SpfResult::Softfail | SpfResult::Neutral => Ok(false),
                    SpfResult::Temperror => Err(SpfResult::Temperror),
                    SpfResult::None | SpfResult::Permerror => {
                        self.trace.push(format!(
                            "include target {target}: {} means permerror",
                            result_name(inner.result)
                        ));
                        Err(SpfResult::Permerror)
                    }
                }
            }
            Mechanism::A {
                domain: spec,
                ip4_cidr,
                ip6_cidr,
            } => {
                self.count_lookup(domain, "a")?;
                let target = match spec {
                    Some(spec) => self
                        .expand_domain(spec, domain)
                        .await
                        .map_err(|_| SpfResult::Permerror)?,
                    None => domain.to_string(),
                };
                let len = if v6 {
                    ip6_cidr.unwrap_or(128)
                } else {
                    ip4_cidr.unwrap_or(32)
                };
                match self.resolver.addresses(&target, v6).await {
                    Ok(addrs) => Ok(addrs.iter().any(|a| prefix_match(self.ip, *a, len))),
                    Err(DnsError::Failed { .. }) => Err(SpfResult::Temperror),
                    Err(e) if e.is_void() => {
                        self.void(&e.to_string())?;
                        Ok(false)
                    }
                    Err(e) => Ok(self.unqueryable(&e)),
                }
            }
            Mechanism::Mx {
                domain: spec,
                ip4_cidr,
                ip6_cidr,
            } => {
                self.count_lookup(domain, "mx")?;
                let target = match spec {
                    Some(spec) => self
                        .expand_domain(spec, domain)
                        .await
                        .map_err(|_| SpfResult::Permerror)?,
                    None => domain.to_string(),
                };
                let len = if v6 {
                    ip6_cidr.unwrap_or(128)
                } else {
                    ip4_cidr.unwrap_or(32)
                };
                let hosts = match self.resolver.mx(&target).await {
                    Ok(hosts) => hosts,
                    Err(DnsError::Failed { .. }) => return Err(SpfResult::Temperror),
                    Err(e) if e.is_void() => {
                        self.void(&e.to_string())?;
                        return Ok(false);
                    }
                    Err(e) => return Ok(self.unqueryable(&e)),
                };
                if hosts.len() > MAX_MX_NAMES {
                    self.trace.push(format!(
                        "{target}: {} MX names, more than {MAX_MX_NAMES}",
                        hosts.len()
                    ));
                    return Err(SpfResult::Permerror);
                }
                for host in hosts.iter().filter(|h| !h.exchange.is_empty()) {
                    match self.resolver.addresses(&host.exchange, v6).await {
                        Ok(addrs) => {
                            if addrs.iter().any(|a| prefix_match(self.ip, *a, len)) {
                                return Ok(true);
                            }
                        }
                        Err(DnsError::Failed { .. }) => return Err(SpfResult::Temperror),
                        // A host without addresses simply does not match; counting it as
                        // void would fail IPv6 senders against IPv4-only MX hosts.
                        Err(_) => {}
                    }
                }
                Ok(false)
            }
            Mechanism::Ptr { domain: spec } => {
                self.count_lookup(domain, "ptr")?;
                let target = match spec {
                    Some(spec) => self
                        .expand_domain(spec, domain)
                        .await
                        .map_err(|_| SpfResult::Permerror)?,
                    None => domain.to_string(),
                };
                let names = match self.resolver.ptr(self.ip).await {
                    Ok(names) => names,
                    // §5.5: a DNS error on the PTR lookup just means no match.
                    Err(DnsError::Failed { .. }) => return Ok(false),
                    Err(e) if e.is_void() => {
                        self.void(&e.to_string())?;
                        return Ok(false);
                    }
                    Err(_) => return Ok(false),
                };
                let target = normalize(&target);
                let suffix = format!(".{target}");
                for name in names.into_iter().take(MAX_PTR_NAMES) {
                    let lower = normalize(&name);
                    if lower != target && !lower.ends_with(&suffix) {
                        continue;
                    }
                    if let Ok(addrs) = self.resolver.addresses(&name, v6).await
                        && addrs.contains(&self.ip)
                    {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            Mechanism::Exists { domain: spec } => {
                self.count_lookup(domain, &format!("exists:{spec}"))?;
                let target = self
                    .expand_domain(spec, domain)
                    .await
                    .map_err(|_| SpfResult::Permerror)?;
                // §5.7: always an A query, whatever the client's address family.
                match self.resolver.a(&target).await {
                    Ok(addrs) => Ok(!addrs.is_empty()),
                    Err(DnsError::Failed { .. }) => Err(SpfResult::Temperror),
                    Err(e) if e.is_void() => {
                        self.void(&e.to_string())?;
                        Ok(false)
                    }
                    Err(e) => Ok(self.unqueryable(&e)),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::dns::StaticZone;
    use crate::dns::spf::macros::dotted_nibbles;
    use crate::dns::spf::resolve_tree;
    use crate::dns::spf::test_support::{IP, U, block, eval, hosts, terms, zone};

    struct Row {
        label: &'static str,
        zone: String,
        ip: &'static str,
        sender: String,
        helo: Option<&'static str>,
        result: SpfResult,
        mechanism: Option<String>,
    }

    fn row(
        label: &'static str,
        zone: impl Into<String>,
        ip: &'static str,
        sender: impl Into<String>,
        helo: Option<&'static str>,
        result: SpfResult,
        mechanism: Option<&str>,
    ) -> Row {
        Row {
            label,
            zone: zone.into(),
            ip,
            sender: sender.into(),
            helo,
            result,
            mechanism: mechanism.map(str::to_string),
        }
    }

    const OTHER: &str = "198.51.100.1";
    const V6: &str = "2001:db8::1";

    fn nibbles_v6_1() -> String {
        dotted_nibbles("2001:db8::1".parse().unwrap())
    }

    fn rows() -> Vec<Row> {
        use SpfResult::*;
        let long_local = "l".repeat(63);
        let long_name = format!("{l}.{l}.{l}.t.example.com", l = long_local);
        let many_mx: String = (1..=11)
            .map(|i| {
                format!("MX example.com {i} mx{i}.example.com|IP mx{i}.example.com 198.51.100.{i}")
            })
            .collect::<Vec<_>>()
            .join("|");
        let ten_mx: String = (1..=10)
            .map(|i| {
                format!("MX example.com {i} mx{i}.example.com|IP mx{i}.example.com 198.51.100.{i}")
            })
            .collect::<Vec<_>>()
            .join("|")
            + "|IP mx10.example.com 192.0.2.10";
        let many_ptr: String = (1..=11)
            .map(|i| format!("PTR 192.0.2.10 h{i:02}.example.com"))
            .collect::<Vec<_>>()
            .join("|");
        vec![
            // Mechanisms and qualifiers.
            row(
                "ip4 network match passes",
                "TXT example.com v=spf1 ip4:192.0.2.0/24 -all",
                IP,
                U,
                Option::None,
                Pass,
                Some("ip4:192.0.2.0/24"),
            ),
            row(
                "no match reaches -all",
                "TXT example.com v=spf1 ip4:192.0.2.0/24 -all",
                OTHER,
                U,
                Option::None,
                Fail,
                Some("-all"),
            ),
            row(
                "~all softfails",
                "TXT example.com v=spf1 ip4:192.0.2.0/24 ~all",
                OTHER,
                U,
                Option::None,
                Softfail,
                Some("~all"),
            ),
            row(
                "?all is neutral",
                "TXT example.com v=spf1 ip4:192.0.2.0/24 ?all",
                OTHER,
                U,
                Option::None,
                Neutral,
                Some("?all"),
            ),
            row(
                "+all passes anyone",
                "TXT example.com v=spf1 +all",
                OTHER,
                U,
                Option::None,
                Pass,
                Some("+all"),
            ),
            row(
                "bare all defaults to pass",
                "TXT example.com v=spf1 all",
                OTHER,
                U,
                Option::None,
                Pass,
                Some("all"),
            ),
            row(
                "-ip4 fails",
                "TXT example.com v=spf1 -ip4:192.0.2.10 +all",
                IP,
                U,
                Option::None,
                Fail,
                Some("-ip4:192.0.2.10"),
            ),
            row(
                "~ip4 softfails",
                "TXT example.com v=spf1 ~ip4:192.0.2.10 +all",
                IP,
                U,
                Option::None,
                Softfail,
                Some("~ip4:192.0.2.10"),
            ),
            row(
                "?ip4 is neutral",
                "TXT example.com v=spf1 ?ip4:192.0.2.10 -all",
                IP,
                U,
                Option::None,
                Neutral,
                Some("?ip4:192.0.2.10"),
            ),
            row(
                "no match and no all is neutral",
                "TXT example.com v=spf1 ip4:192.0.2.0/24",
                OTHER,
                U,
                Option::None,
                Neutral,
                Option::None,
            ),
            row(
                "ip4 /0 matches every ipv4",
                "TXT example.com v=spf1 ip4:0.0.0.0/0 -all",
                OTHER,
                U,
                Option::None,
                Pass,
                Some("ip4:0.0.0.0/0"),
            ),
            row(
                "ip4 /32 does not match the neighbour",
                "TXT example.com v=spf1 ip4:192.0.2.10/32 -all",
                "192.0.2.11",
                U,
                Option::None,
                Fail,
                Some("-all"),
            ),
            row(
                "ip6 network match passes",
                "TXT example.com v=spf1 ip6:2001:db8::/32 -all",
                V6,
                U,
                Option::None,
                Pass,
                Some("ip6:2001:db8::/32"),
            ),
            row(
                "ip6 never matches an ipv4 client",
                "TXT example.com v=spf1 ip6:::/0 -all",
                IP,
                U,
                Option::None,
                Fail,
                Some("-all"),
            ),
            row(
                "ip4 never matches an ipv6 client",
                "TXT example.com v=spf1 ip4:0.0.0.0/0 -all",
                V6,
                U,
                Option::None,
                Fail,
                Some("-all"),
            ),
            row(
                "ipv4-mapped client matches ip4",
                "TXT example.com v=spf1 ip4:192.0.2.0/24 -all",
                "::ffff:192.0.2.10",
                U,
                Option::None,
                Pass,
                Some("ip4:192.0.2.0/24"),
            ),
            row(
                "a matches the domain's address",
                "TXT example.com v=spf1 a -all|IP example.com 192.0.2.10",
                IP,
                U,
                Option::None,
                Pass,
                Some("a"),
            ),
            row(
                "a without a matching address falls through",
                "TXT example.com v=spf1 a -all|IP example.com 192.0.2.99",
                IP,
                U,
                Option::None,
                Fail,
                Some("-all"),
            ),
            row(
                "a/24 widens the match",
                "TXT example.com v=spf1 a/24 -all|IP example.com 192.0.2.1",
                IP,
                U,
                Option::None,
                Pass,
                Some("a/24"),
            ),
            row(
                "a:domain looks at that domain",
                "TXT example.com v=spf1 a:mail.example.com -all|IP mail.example.com 192.0.2.10",
                IP,
                U,
                Option::None,
                Pass,
                Some("a:mail.example.com"),
            ),
            row(
                "a//64 applies to an ipv6 client",
                "TXT example.com v=spf1 a//64 -all|IP example.com 2001:db8::ffff",
                V6,
                U,
                Option::None,
                Pass,
                Some("a//64"),
            ),
            row(
                "a/24//64 uses /24 for an ipv4 client",
                "TXT example.com v=spf1 a/24//64 -all|IP example.com 192.0.2.200",
                IP,
                U,
                Option::None,
                Pass,
                Some("a/24//64"),
            ),
            row(
                "a/24//64 uses /64 for an ipv6 client",
                "TXT example.com v=spf1 a/24//64 -all|IP example.com 2001:db8::abcd",
                V6,
                U,
                Option::None,
                Pass,
                Some("a/24//64"),
            ),
            row(
                "a//64 does not widen an ipv4 match",
                "TXT example.com v=spf1 a//64 -all|IP example.com 192.0.2.1",
                IP,
                U,
                Option::None,
                Fail,
                Some("-all"),
            ),
            row(
                "an ipv6 client is not matched by a records",
                "TXT example.com v=spf1 a -all|IP example.com 192.0.2.10",
                V6,
                U,
                Option::None,
                Fail,
                Some("-all"),
            ),
            row(
                "an ipv4-mapped client is matched by a records",
                "TXT example.com v=spf1 a -all|IP example.com 192.0.2.10",
                "::ffff:192.0.2.10",
                U,
                Option::None,
                Pass,
                Some("a"),
            ),
            row(
                "mx matches an mx host",
                "TXT example.com v=spf1 mx -all|MX example.com 10 mx1.example.com|IP mx1.example.com 192.0.2.10",
                IP,
                U,
                Option::None,
                Pass,
                Some("mx"),
            ),
            row(
                "mx matches the second mx host",
                "TXT example.com v=spf1 mx -all|MX example.com 10 mx1.example.com|MX example.com 20 mx2.example.com|IP mx1.example.com 198.51.100.1|IP mx2.example.com 192.0.2.10",
                IP,
                U,
                Option::None,
                Pass,
                Some("mx"),
            ),
            row(
                "mx:domain/24 widens the match",
                "TXT example.com v=spf1 mx:example.org/24 -all|MX example.org 10 mx.example.org|IP mx.example.org 192.0.2.1",
                IP,
                U,
                Option::None,
                Pass,
                Some("mx:example.org/24"),
            ),
            row(
                "mx matches an ipv6 client by aaaa",
                "TXT example.com v=spf1 mx -all|MX example.com 10 mx1.example.com|IP mx1.example.com 192.0.2.10|IP mx1.example.com 2001:db8::1",
                V6,
                U,
                Option::None,
                Pass,
                Some("mx"),
            ),
            row(
                "mx with eleven names is permerror",
                format!("TXT example.com v=spf1 mx -all|{many_mx}"),
                IP,
                U,
                Option::None,
                Permerror,
                Some("mx"),
            ),
            row(
                "mx with ten names is evaluated",
                format!("TXT example.com v=spf1 mx -all|{ten_mx}"),
                IP,
                U,
                Option::None,
                Pass,
                Some("mx"),
            ),
            row(
                "a null mx matches nothing",
                "TXT example.com v=spf1 mx -all|MX example.com 0 .",
                IP,
                U,
                Option::None,
                Fail,
                Some("-all"),
            ),
            row(
                "ptr matches a validated name",
                "TXT example.com v=spf1 ptr -all|PTR 192.0.2.10 mail.example.com|IP mail.example.com 192.0.2.10",
                IP,
                U,
                Option::None,
                Pass,
                Some("ptr"),
            ),
            row(
                "ptr ignores a name that does not resolve back",
                "TXT example.com v=spf1 ptr -all|PTR 192.0.2.10 mail.example.com|IP mail.example.com 192.0.2.99",
                IP,
                U,
                Option::None,
                Fail,
                Some("-all"),
            ),
            row(
                "ptr:domain matches a validated subdomain",
                "TXT example.com v=spf1 ptr:example.net -all|PTR 192.0.2.10 host.example.net|IP host.example.net 192.0.2.10",
                IP,
                U,
                Option::None,
                Pass,
                Some("ptr:example.net"),
            ),
            row(
                "ptr ignores names outside the domain",
                "TXT example.com v=spf1 ptr -all|PTR 192.0.2.10 host.example.net|IP host.example.net 192.0.2.10",
                IP,
                U,
                Option::None,
                Fail,
                Some("-all"),
            ),
            row(
                "ptr looks at ten names only",
                format!("TXT example.com v=spf1 ptr -all|{many_ptr}|IP h11.example.com 192.0.2.10"),
                IP,
                U,
                Option::None,
                Fail,
                Some("-all"),
            ),
            row(
                "ptr finds the tenth name",
                format!("TXT example.com v=spf1 ptr -all|{many_ptr}|IP h10.example.com 192.0.2.10"),
                IP,
                U,
                Option::None,
                Pass,
                Some("ptr"),
            ),
            row(
                "exists matches a name with an a record",
                "TXT example.com v=spf1 exists:%{i}.bl.example.com -all|IP 192.0.2.10.bl.example.com 127.0.0.2",
                IP,
                U,
                Option::None,
                Pass,
                Some("exists:%{i}.bl.example.com"),
            ),
            row(
                "exists without a record falls through",
                "TXT example.com v=spf1 exists:%{i}.bl.example.com -all|IP 192.0.2.99.bl.example.com 127.0.0.2",
                IP,
                U,
                Option::None,
                Fail,
                Some("-all"),
            ),
            row(
                "exists queries a even for an ipv6 client",
                "TXT example.com v=spf1 exists:always.example.com -all|IP always.example.com 127.0.0.1",
                V6,
                U,
                Option::None,
                Pass,
                Some("exists:always.example.com"),
            ),
            // include (§5.2).
            row(
                "include of a passing record matches",
                "TXT example.com v=spf1 include:_spf.example.net -all|TXT _spf.example.net v=spf1 ip4:192.0.2.0/24 -all",
                IP,
                U,
                Option::None,
                Pass,
                Some("include:_spf.example.net"),
            ),
            row(
                "include of a failing record does not match",
                "TXT example.com v=spf1 include:_spf.example.net ~all|TXT _spf.example.net v=spf1 -all",
                IP,
                U,
                Option::None,
                Softfail,
                Some("~all"),
            ),
            row(
                "include of a softfailing record does not match",
                "TXT example.com v=spf1 include:_spf.example.net -all|TXT _spf.example.net v=spf1 ~all",
                IP,
                U,
                Option::None,
                Fail,
                Some("-all"),
            ),
            row(
                "include of a neutral record does not match",
                "TXT example.com v=spf1 include:_spf.example.net -all|TXT _spf.example.net v=spf1 ip4:198.51.100.0/24",
                IP,
                U,
                Option::None,
                Fail,
                Some("-all"),
            ),
            row(
                "include of a domain without spf is permerror",
                "TXT example.com v=spf1 include:_spf.example.net -all|TXT _spf.example.net not spf",
                IP,
                U,
                Option::None,
                Permerror,
                Some("include:_spf.example.net"),
            ),
            row(
                "include of a missing domain is permerror",
                "TXT example.com v=spf1 include:nowhere.example.net -all",
                IP,
                U,
                Option::None,
                Permerror,
                Some("include:nowhere.example.net"),
            ),
            row(
                "include of a broken record is permerror",
                "TXT example.com v=spf1 include:_spf.example.net -all|TXT _spf.example.net v=spf1 bogus -all",
                IP,
                U,
                Option::None,
                Permerror,
                Some("include:_spf.example.net"),
            ),
            row(
                "include of a servfailing domain is temperror",
                "TXT example.com v=spf1 include:_spf.example.net -all|SERVFAIL _spf.example.net",
                IP,
                U,
                Option::None,
                Temperror,
                Some("include:_spf.example.net"),
            ),
            row(
                "include of a timing out domain is temperror",
                "TXT example.com v=spf1 include:_spf.example.net -all|TIMEOUT _spf.example.net",
                IP,
                U,
                Option::None,
                Temperror,
                Some("include:_spf.example.net"),
            ),
            row(
                "-include of a passing record fails",
                "TXT example.com v=spf1 -include:_spf.example.net +all|TXT _spf.example.net v=spf1 +ip4:192.0.2.10 -all",
                IP,
                U,
                Option::None,
                Fail,
                Some("-include:_spf.example.net"),
            ),
            row(
                "nested includes pass through",
                "TXT example.com v=spf1 include:a.example.net -all|TXT a.example.net v=spf1 include:b.example.net -all|TXT b.example.net v=spf1 ip4:192.0.2.10 -all",
                IP,
                U,
                Option::None,
                Pass,
                Some("include:a.example.net"),
            ),
            // redirect (§6.1).
            row(
                "redirect takes the target's pass",
                "TXT example.com v=spf1 redirect=_spf.example.net|TXT _spf.example.net v=spf1 ip4:192.0.2.0/24 -all",
                IP,
                U,
                Option::None,
                Pass,
                Some("redirect=_spf.example.net"),
            ),
            row(
                "redirect takes the target's fail",
                "TXT example.com v=spf1 redirect=_spf.example.net|TXT _spf.example.net v=spf1 ip4:192.0.2.0/24 -all",
                OTHER,
                U,
                Option::None,
                Fail,
                Some("redirect=_spf.example.net"),
            ),
            row(
                "redirect is ignored when all is present",
                "TXT example.com v=spf1 -all redirect=_spf.example.net|TXT _spf.example.net v=spf1 +all",
                IP,
                U,
                Option::None,
                Fail,
                Some("-all"),
            ),
            row(
                "redirect to a domain without spf is permerror",
                "TXT example.com v=spf1 redirect=nowhere.example.net",
                IP,
                U,
                Option::None,
                Permerror,
                Some("redirect=nowhere.example.net"),
            ),
            row(
                "a matching mechanism wins over redirect",
                "TXT example.com v=spf1 ip4:192.0.2.10 redirect=_spf.example.net|TXT _spf.example.net v=spf1 -all",
                IP,
                U,
                Option::None,
                Pass,
                Some("ip4:192.0.2.10"),
            ),
            row(
                "redirect to a record without all is neutral",
                "TXT example.com v=spf1 redirect=_spf.example.net|TXT _spf.example.net v=spf1 ip4:198.51.100.0/24",
                IP,
                U,
                Option::None,
                Neutral,
                Some("redirect=_spf.example.net"),
            ),
            // exp (§6.2): the explanation itself is checked in dedicated tests.
            row(
                "exp does not change a fail",
                "TXT example.com v=spf1 -all exp=explain.example.com|TXT explain.example.com %{i} may not send",
                IP,
                U,
                Option::None,
                Fail,
                Some("-all"),
            ),
            row(
                "a failing exp lookup does not change the result",
                "TXT example.com v=spf1 -all exp=explain.example.com|SERVFAIL explain.example.com",
                IP,
                U,
                Option::None,
                Fail,
                Some("-all"),
            ),
            // Macros (§7).
            row(
                "%{l} expands to the local-part",
                "TXT example.com v=spf1 exists:%{l}.users.example.com -all|IP user.users.example.com 127.0.0.2",
                IP,
                U,
                Option::None,
                Pass,
                Some("exists:%{l}.users.example.com"),
            ),
            row(
                "%{s} expands to the sender",
                "TXT example.com v=spf1 exists:%{s}.s.example.com -all|IP user@example.com.s.example.com 127.0.0.2",
                IP,
                U,
                Option::None,
                Pass,
                Some("exists:%{s}.s.example.com"),
            ),
            row(
                "%{o} is the sender domain inside an include",
                "TXT example.com v=spf1 include:_spf.example.net -all|TXT _spf.example.net v=spf1 exists:%{o}.o.example.org -all|IP example.com.o.example.org 127.0.0.2",
                IP,
                U,
                Option::None,
                Pass,
                Some("include:_spf.example.net"),
            ),
            row(
                "%{d} is the current domain inside an include",
                "TXT example.com v=spf1 include:_spf.example.net -all|TXT _spf.example.net v=spf1 exists:%{d}.d.example.org -all|IP _spf.example.net.d.example.org 127.0.0.2",
                IP,
                U,
                Option::None,
                Pass,
                Some("include:_spf.example.net"),
            ),
            row(
                "%{ir}.%{v} builds the in-addr name",
                "TXT example.com v=spf1 exists:%{ir}.%{v}.r.example.com -all|IP 10.2.0.192.in-addr.r.example.com 127.0.0.2",
                IP,
                U,
                Option::None,
                Pass,
                Some("exists:%{ir}.%{v}.r.example.com"),
            ),
            row(
                "%{i} of an ipv6 client is dotted nibbles",
                format!(
                    "TXT example.com v=spf1 exists:%{{i}}.%{{v}}.six.example.com -all|IP {}.ip6.six.example.com 127.0.0.2",
                    nibbles_v6_1()
                ),
                V6,
                U,
                Option::None,
                Pass,
                Some("exists:%{i}.%{v}.six.example.com"),
            ),
            row(
                "%{h} expands to the helo name",
                "TXT example.com v=spf1 exists:%{h}.h.example.com -all|IP mail.example.org.h.example.com 127.0.0.2",
                IP,
                U,
                Some("mail.example.org"),
                Pass,
                Some("exists:%{h}.h.example.com"),
            ),
            row(
                "%{p} expands to the validated ptr name",
                "TXT example.com v=spf1 exists:%{p}.p.example.com -all|PTR 192.0.2.10 mail.example.com|IP mail.example.com 192.0.2.10|IP mail.example.com.p.example.com 127.0.0.2",
                IP,
                U,
                Option::None,
                Pass,
                Some("exists:%{p}.p.example.com"),
            ),
            row(
                "%{p} without a validated name is unknown",
                "TXT example.com v=spf1 exists:%{p}.p.example.com -all|PTR 192.0.2.10 mail.example.com|IP mail.example.com 192.0.2.99|IP unknown.p.example.com 127.0.0.2",
                IP,
                U,
                Option::None,
                Pass,
                Some("exists:%{p}.p.example.com"),
            ),
            row(
                "%{d2} keeps the two right-hand labels",
                "TXT mail.sub.example.com v=spf1 exists:%{d2}.d2.example.org -all|IP example.com.d2.example.org 127.0.0.2",
                IP,
                "u@mail.sub.example.com",
                Option::None,
                Pass,
                Some("exists:%{d2}.d2.example.org"),
            ),
            row(
                "%{l-} splits on hyphens",
                "TXT example.com v=spf1 exists:%{l-}.lp.example.com -all|IP strong.bad.lp.example.com 127.0.0.2",
                IP,
                "strong-bad@example.com",
                Option::None,
                Pass,
                Some("exists:%{l-}.lp.example.com"),
            ),
            row(
                "%{lr-} reverses the parts",
                "TXT example.com v=spf1 exists:%{lr-}.lp.example.com -all|IP bad.strong.lp.example.com 127.0.0.2",
                IP,
                "strong-bad@example.com",
                Option::None,
                Pass,
                Some("exists:%{lr-}.lp.example.com"),
            ),
            row(
                "%{l1r-} keeps one part after reversal",
                "TXT example.com v=spf1 exists:%{l1r-}.lp.example.com -all|IP strong.lp.example.com 127.0.0.2",
                IP,
                "strong-bad@example.com",
                Option::None,
                Pass,
                Some("exists:%{l1r-}.lp.example.com"),
            ),
            row(
                "upper-case macros are url-escaped",
                "TXT example.com v=spf1 exists:%{L}.esc.example.com -all|IP a%2Bb.esc.example.com 127.0.0.2",
                IP,
                "a+b@example.com",
                Option::None,
                Pass,
                Some("exists:%{L}.esc.example.com"),
            ),
            row(
                "%{t} outside exp is a syntax error",
                "TXT example.com v=spf1 exists:%{t}.example.com -all",
                IP,
                U,
                Option::None,
                Permerror,
                Option::None,
            ),
            row(
                "an expanded name over 253 bytes loses left labels",
                format!(
                    "TXT example.com v=spf1 exists:%{{l}}.%{{l}}.%{{l}}.%{{l}}.t.example.com -all|IP {long_name} 127.0.0.2"
                ),
                IP,
                format!("{long_local}@example.com"),
                Option::None,
                Pass,
                Some("exists:%{l}.%{l}.%{l}.%{l}.t.example.com"),
            ),
            // Lookup limits (§4.6.4).
            row(
                "exactly ten dns terms pass",
                format!(
                    "TXT example.com v=spf1 {} a:h10.example.com -all|{}|IP h10.example.com 192.0.2.10",
                    terms("a", "h", 9),
                    hosts("h", 9, "198.51.100.1")
                ),
                IP,
                U,
                Option::None,
                Pass,
                Some("a:h10.example.com"),
            ),
            row(
                "an eleventh dns term is permerror",
                format!(
                    "TXT example.com v=spf1 {} a:h11.example.com -all|{}|IP h11.example.com 192.0.2.10",
                    terms("a", "h", 10),
                    hosts("h", 10, "198.51.100.1")
                ),
                IP,
                U,
                Option::None,
                Permerror,
                Some("a:h11.example.com"),
            ),
            row(
                "terms in includes count toward the limit",
                format!(
                    "TXT example.com v=spf1 include:inc.example.net a:h10.example.com -all|TXT inc.example.net v=spf1 {} -all|{}|IP h10.example.com 192.0.2.10",
                    terms("a", "h", 9),
                    hosts("h", 9, "198.51.100.1")
                ),
                IP,
                U,
                Option::None,
                Permerror,
                Some("a:h10.example.com"),
            ),
            row(
                "an include loop is permerror through the limit",
                "TXT example.com v=spf1 include:example.com -all",
                IP,
                U,
                Option::None,
                Permerror,
                Some("include:example.com"),
            ),
            row(
                "two void lookups are allowed",
                "TXT example.com v=spf1 a:nx1.example.com a:nx2.example.com ip4:192.0.2.10 -all",
                IP,
                U,
                Option::None,
                Pass,
                Some("ip4:192.0.2.10"),
            ),
            row(
                "a third void lookup is permerror",
                "TXT example.com v=spf1 a:nx1.example.com a:nx2.example.com a:nx3.example.com ip4:192.0.2.10 -all",
                IP,
                U,
                Option::None,
                Permerror,
                Some("a:nx3.example.com"),
            ),
            row(
                "mx and exists voids count too",
                "TXT example.com v=spf1 mx:nx1.example.com exists:nx2.example.com ptr a:nx3.example.com -all",
                IP,
                U,
                Option::None,
                Permerror,
                Some("ptr"),
            ),
            // Temporary errors.
            row(
                "a timeout on the record is temperror",
                "TIMEOUT example.com",
                IP,
                U,
                Option::None,
                Temperror,
                Option::None,
            ),
            row(
                "a servfail on the record is temperror",
                "SERVFAIL example.com",
                IP,
                U,
                Option::None,
                Temperror,
                Option::None,
            ),
            row(
                "a servfail on an a target is temperror",
                "TXT example.com v=spf1 a:broken.example.com -all|SERVFAIL broken.example.com",
                IP,
                U,
                Option::None,
                Temperror,
                Some("a:broken.example.com"),
            ),
            row(
                "a servfail on an mx target is temperror",
                "TXT example.com v=spf1 mx:broken.example.com -all|SERVFAIL broken.example.com",
                IP,
                U,
                Option::None,
                Temperror,
                Some("mx:broken.example.com"),
            ),
            row(
                "a servfail on an mx host is temperror",
                "TXT example.com v=spf1 mx -all|MX example.com 10 broken.example.com|SERVFAIL broken.example.com",
                IP,
                U,
                Option::None,
                Temperror,
                Some("mx"),
            ),
            row(
                "a servfail on exists is temperror",
                "TXT example.com v=spf1 exists:broken.example.com -all|SERVFAIL broken.example.com",
                IP,
                U,
                Option::None,
                Temperror,
                Some("exists:broken.example.com"),
            ),
            row(
                "a servfail on the ptr lookup only fails to match",
                "TXT example.com v=spf1 ptr -all|SERVFAIL 10.2.0.192.in-addr.arpa",
                IP,
                U,
                Option::None,
                Fail,
                Some("-all"),
            ),
            // Record selection and syntax.
            row(
                "a domain without spf is none",
                "TXT example.com google-site-verification=abc",
                IP,
                U,
                Option::None,
                None,
                Option::None,
            ),
            row(
                "a missing domain is none",
                "TXT example.org v=spf1 -all",
                IP,
                U,
                Option::None,
                None,
                Option::None,
            ),
            row(
                "v=spf10 is not an spf record",
                "TXT example.com v=spf10 -all",
                IP,
                U,
                Option::None,
                None,
                Option::None,
            ),
            row(
                "two spf records are permerror",
                "TXT example.com v=spf1 +all|TXT example.com v=spf1 -all",
                IP,
                U,
                Option::None,
                Permerror,
                Option::None,
            ),
            row(
                "an spf record beside other txt records is used",
                "TXT example.com hello|TXT example.com v=spf1 ip4:192.0.2.10 -all",
                IP,
                U,
                Option::None,
                Pass,
                Some("ip4:192.0.2.10"),
            ),
            row(
                "an unknown mechanism is permerror",
                "TXT example.com v=spf1 ip4:192.0.2.10 foo -all",
                IP,
                U,
                Option::None,
                Permerror,
                Option::None,
            ),
            row(
                "a short ip4 address is permerror",
                "TXT example.com v=spf1 ip4:192.0.2 -all",
                IP,
                U,
                Option::None,
                Permerror,
                Option::None,
            ),
            row(
                "a domain without a top label is permerror",
                "TXT example.com v=spf1 a:localhost -all",
                IP,
                U,
                Option::None,
                Permerror,
                Option::None,
            ),
            row(
                "duplicate redirect is permerror",
                "TXT example.com v=spf1 redirect=a.example.net redirect=b.example.net",
                IP,
                U,
                Option::None,
                Permerror,
                Option::None,
            ),
            row(
                "a syntax error after the match is still permerror",
                "TXT example.com v=spf1 ip4:192.0.2.10 -all ip4:1.2.3",
                IP,
                U,
                Option::None,
                Permerror,
                Option::None,
            ),
            row(
                "names and version are case-insensitive",
                "TXT example.com V=SPF1 IP4:192.0.2.0/24 -ALL",
                IP,
                U,
                Option::None,
                Pass,
                Some("IP4:192.0.2.0/24"),
            ),
            row(
                "unknown modifiers are ignored",
                "TXT example.com v=spf1 foo=bar ip4:192.0.2.10 -all",
                IP,
                U,
                Option::None,
                Pass,
                Some("ip4:192.0.2.10"),
            ),
            row(
                "extra spaces between terms are allowed",
                "TXT example.com v=spf1  ip4:192.0.2.10   -all  ",
                IP,
                U,
                Option::None,
                Pass,
                Some("ip4:192.0.2.10"),
            ),
            // Sender handling (§4.3, §2.4).
            row(
                "an empty sender uses the helo domain",
                "TXT mail.example.org v=spf1 exists:%{l}.%{o}.helo.example.com -all|IP postmaster.mail.example.org.helo.example.com 127.0.0.2",
                IP,
                "",
                Some("mail.example.org"),
                Pass,
                Some("exists:%{l}.%{o}.helo.example.com"),
            ),
            row(
                "a sender without local-part is postmaster",
                "TXT example.com v=spf1 exists:%{l}.lp.example.com -all|IP postmaster.lp.example.com 127.0.0.2",
                IP,
                "@example.com",
                Option::None,
                Pass,
                Some("exists:%{l}.lp.example.com"),
            ),
            row(
                "a single-label domain is none",
                "TXT localhost v=spf1 +all",
                IP,
                "user@localhost",
                Option::None,
                None,
                Option::None,
            ),
        ]
    }

    #[test]
    fn rfc_7208_scenarios_give_the_expected_result_and_mechanism() {
        let rows = rows();
        assert!(rows.len() >= 60, "only {} scenarios", rows.len());
        let mut failures = Vec::new();
        for r in &rows {
            let got = eval(&r.zone, r.ip, &r.sender, r.helo);
            if got.result != r.result || got.mechanism != r.mechanism {
                failures.push(format!(
                    "{}: expected {:?} {:?}, got {:?} {:?}\n  trace: {:#?}",
                    r.label, r.result, r.mechanism, got.result, got.mechanism, got.trace
                ));
            }
        }
        assert!(
            failures.is_empty(),
            "{} of {} scenarios failed:\n{}",
            failures.len(),
            rows.len(),
            failures.join("\n")
        );
    }

    fn eval_full(zone_spec: &str, ip: &str, sender: &str) -> Evaluation {
        let resolver = Resolver::fixed(zone(zone_spec));
        block(check_host_as(
            &resolver,
            ip.parse().unwrap(),
            "",
            sender,
            Some("mail.example.org"),
            1_700_000_000,
            Some("mx.receiver.example"),
        ))
    }

    #[test]
    fn exp_explains_a_fail_with_macros() {
        let e = eval_full(
            "TXT example.com v=spf1 -all exp=explain.%{d}|TXT explain.example.com %{i} is not one of %{d}'s hosts%_(%{c} at %{t} via %{r}, %{h}) 100%%",
            IP,
            U,
        );
        assert_eq!(e.result, SpfResult::Fail);
        assert_eq!(
            e.explanation.as_deref(),
            Some(
                "192.0.2.10 is not one of example.com's hosts (192.0.2.10 at 1700000000 via mx.receiver.example, mail.example.org) 100%"
            )
        );
        // The exp lookup is not a DNS-querying term.
        assert_eq!(e.dns_lookups, 0);
    }

    #[test]
    fn exp_is_not_used_for_other_results() {
        let e = eval_full(
            "TXT example.com v=spf1 ~all exp=explain.example.com|TXT explain.example.com nope",
            IP,
            U,
        );
        assert_eq!(e.result, SpfResult::Softfail);
        assert_eq!(e.explanation, None);
    }

    #[test]
    fn a_broken_exp_gives_no_explanation() {
        for zone_spec in [
            "TXT example.com v=spf1 -all exp=explain.example.com",
            "TXT example.com v=spf1 -all exp=explain.example.com|TXT explain.example.com one|TXT explain.example.com two",
            "TXT example.com v=spf1 -all exp=explain.example.com|TXT explain.example.com 100% wrong",
            "TXT example.com v=spf1 -all exp=explain.example.com|TIMEOUT explain.example.com",
        ] {
            let e = eval_full(zone_spec, IP, U);
            assert_eq!(e.result, SpfResult::Fail, "{zone_spec}");
            assert_eq!(e.explanation, None, "{zone_spec}");
        }
    }

    #[test]
    fn redirect_uses_the_target_exp_not_the_original() {
        let e = eval_full(
            "TXT example.com v=spf1 redirect=_spf.example.net exp=mine.example.com|TXT mine.example.com original|TXT _spf.example.net v=spf1 -all exp=theirs.example.net|TXT theirs.example.net target",
            IP,
            U,
        );
        assert_eq!(e.result, SpfResult::Fail);
        assert_eq!(e.explanation.as_deref(), Some("target"));
    }

    #[test]
    fn an_included_record_exp_is_not_used() {
        let e = eval_full(
            "TXT example.com v=spf1 -include:_spf.example.net -all|TXT _spf.example.net v=spf1 ip4:192.0.2.10 exp=theirs.example.net|TXT theirs.example.net theirs",
            IP,
            U,
        );
        assert_eq!(e.result, SpfResult::Fail);
        assert_eq!(e.explanation, None);
    }

    #[test]
    fn lookup_and_void_counts_are_reported() {
        let e = eval(
            "TXT example.com v=spf1 a:nx1.example.com include:_spf.example.net -all|TXT _spf.example.net v=spf1 mx -all",
            IP,
            U,
            None,
        );
        assert_eq!(e.result, SpfResult::Fail);
        // a, include, mx; _spf.example.net has no MX (NODATA), nx1 does not exist (NXDOMAIN).
        assert_eq!(e.dns_lookups, 3);
        assert_eq!(e.void_lookups, 2);
        assert!(e.trace.iter().any(|t| t.contains("void")));
    }

    #[test]
    fn a_record_split_into_strings_is_joined_without_spaces() {
        let resolver = Resolver::fixed(
            StaticZone::new().txt_chunks("example.com", &["v=spf1 ip4:192.0.2.", "10 -all"]),
        );
        let e = block(check_host(
            &resolver,
            IP.parse().unwrap(),
            "example.com",
            U,
            None,
            0,
        ));
        assert_eq!(e.result, SpfResult::Pass);
        assert_eq!(e.mechanism.as_deref(), Some("ip4:192.0.2.10"));
    }

    #[test]
    fn the_domain_argument_wins_over_the_sender_domain() {
        let resolver = Resolver::fixed(zone(
            "TXT example.com v=spf1 -all|TXT example.org v=spf1 ip4:192.0.2.10 -all",
        ));
        let e = block(check_host(
            &resolver,
            IP.parse().unwrap(),
            "example.org",
            U,
            None,
            0,
        ));
        assert_eq!(e.result, SpfResult::Pass);
    }

    #[test]
    fn check_host_is_send_so_it_can_be_spawned() {
        fn assert_send<T: Send>(_: &T) {}
        let resolver = Resolver::fixed(StaticZone::new());
        let fut = check_host(&resolver, IP.parse().unwrap(), "example.com", U, None, 0);
        assert_send(&fut);
        let tree = resolve_tree(&resolver, "example.com");
        assert_send(&tree);
    }

    #[test]
    fn names_no_query_can_carry_do_not_match_and_are_never_temperror() {
        let z = "TXT example.com v=spf1 a:%{l}.a.example.com exists:%{l}.x.example.com mx:%{l}.example.com ip4:192.0.2.0/24 -all";
        for sender in [
            "\"john doe\"@example.com",
            "[x]@example.com",
            "a b@example.com",
        ] {
            let e = eval(z, IP, sender, None);
            assert_eq!(e.result, SpfResult::Pass, "{sender}: {:#?}", e.trace);
            assert_eq!(e.mechanism.as_deref(), Some("ip4:192.0.2.0/24"));
            // No query was made for those names, so none of them is a void lookup.
            assert_eq!(e.void_lookups, 0, "{sender}: {:#?}", e.trace);
            assert_eq!(e.dns_lookups, 3);
            let e = eval(z, OTHER, sender, None);
            assert_eq!(e.result, SpfResult::Fail, "{sender}: {:#?}", e.trace);
        }
        // Visible characters other than quotes, brackets and `\` are asked about as they
        // are: `foo:bar/baz.example.com` is a lookup (here a void one), not a non-match.
        let e = eval(
            "TXT example.com v=spf1 a:foo:bar/baz.example.com a:%{l}.example.com -all|IP foo:bar/baz.example.com 192.0.2.10",
            IP,
            "\"a b\"@example.com",
            None,
        );
        assert_eq!(e.result, SpfResult::Pass, "{:#?}", e.trace);
        assert_eq!(e.mechanism.as_deref(), Some("a:foo:bar/baz.example.com"));
        // An include or redirect to such a name is check_host on a malformed domain:
        // "none" (§4.3), which those terms turn into permerror (§5.2, §6.1).
        let e = eval(
            "TXT example.com v=spf1 include:%{l}.example.com -all",
            IP,
            "\"a b\"@example.com",
            None,
        );
        assert_eq!(e.result, SpfResult::Permerror, "{:#?}", e.trace);
    }

    #[test]
    fn a_malformed_or_single_label_domain_is_none() {
        let z = "TXT example.com v=spf1 +all";
        for (sender, helo) in [
            ("", Some("[192.0.2.1]")),
            ("postmaster@[192.0.2.1]", None),
            ("user@[IPv6:2001:db8::1]", None),
            ("user@localhost", None),
            ("user@exa mple.com", None),
            ("user@a..example.com", None),
            ("user@\"quoted\".example.com", None),
        ] {
            let e = eval(z, IP, sender, helo);
            assert_eq!(
                e.result,
                SpfResult::None,
                "{sender} {helo:?}: {:#?}",
                e.trace
            );
            assert_eq!(e.dns_lookups, 0);
        }
        let label = "a".repeat(64);
        let e = eval(z, IP, &format!("user@{label}.example.com"), None);
        assert_eq!(e.result, SpfResult::None);
    }
}
