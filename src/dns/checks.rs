//! Checks: look up a domain's (or an address's) records through the [`Resolver`], parse them
//! with `records`/`spf`, and add the rules that need more than one record: DMARC discovery
//! and external report destinations, the SPF include tree, BIMI's DMARC prerequisites,
//! MTA-STS coverage of the MX hosts, forward-confirmed reverse DNS.
//!
//! Every check returns the raw records it found (also when they are invalid), a parsed view
//! and findings. A lookup that failed (timeout, SERVFAIL) is reported as such, never as "no
//! record".
//!
//! Every check, and every run of all checks of a domain ([`crate::services::dns_checks`]), has a
//! time budget ([`Checker::budget`]): lookups still unanswered when it runs out fail at once,
//! so a dead resolver costs the budget, not every query's timeout, and the answer holds what
//! was learned plus a `…_lookup_failed` finding for each lookup cut short.

use super::records::Parsed;
use super::resolver::{DnsError, Resolver, TxtRecord, normalize};
use super::{Finding, Severity};
use serde::{Deserialize, Serialize};
use std::net::IpAddr;

/// The kinds of check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CheckKind {
    Dmarc,
    Spf,
    Dkim,
    Bimi,
    MtaSts,
    Tlsrpt,
    Fcrdns,
}

impl CheckKind {
    pub const ALL: [CheckKind; 7] = [
        CheckKind::Dmarc,
        CheckKind::Spf,
        CheckKind::Dkim,
        CheckKind::Bimi,
        CheckKind::MtaSts,
        CheckKind::Tlsrpt,
        CheckKind::Fcrdns,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CheckKind::Dmarc => "dmarc",
            CheckKind::Spf => "spf",
            CheckKind::Dkim => "dkim",
            CheckKind::Bimi => "bimi",
            CheckKind::MtaSts => "mta_sts",
            CheckKind::Tlsrpt => "tlsrpt",
            CheckKind::Fcrdns => "fcrdns",
        }
    }

    /// A kind as people write it: case, `-` and `_` do not matter (`tls-rpt`, `TLSRPT`,
    /// `mta-sts`, `mta_sts`, `MTASTS`).
    pub fn parse(s: &str) -> Option<CheckKind> {
        let squashed = |s: &str| -> String {
            s.chars()
                .filter(|c| !matches!(c, '-' | '_'))
                .map(|c| c.to_ascii_lowercase())
                .collect()
        };
        let wanted = squashed(s.trim());
        CheckKind::ALL
            .into_iter()
            .find(|k| squashed(k.as_str()) == wanted)
    }
}

/// One DNS question asked during a check and how it ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Query {
    /// The name asked.
    pub name: String,
    /// `TXT`, `A`, `MX`, `PTR`...
    pub rtype: String,
    /// `answer`, `nxdomain`, `nodata`, `failed` or `invalid_name`.
    pub outcome: String,
    /// Why it failed, when it did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// The result of one check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CheckReport {
    pub kind: CheckKind,
    /// The domain (or, for FCrDNS, the IP address) checked.
    pub subject: String,
    /// The name whose records are reported (e.g. `_dmarc.example.com`).
    pub name: String,
    /// Every record found there, as published (also invalid ones).
    pub records: Vec<String>,
    /// The parsed view of the record receivers use, when there is one.
    #[schema(value_type = Option<Object>)]
    pub parsed: Option<serde_json::Value>,
    /// Kind-specific details: the DMARC discovery path, the SPF include tree, the MTA-STS
    /// policy and MX coverage, the PTR names of an address...
    /// Always an object (empty when a check has nothing to add), as the schema says.
    #[schema(value_type = Object)]
    #[serde(serialize_with = "object_or_empty")]
    pub details: serde_json::Value,
    pub findings: Vec<Finding>,
    /// The DNS questions asked, in order.
    pub queries: Vec<Query>,
}

impl CheckReport {
    fn new(kind: CheckKind, subject: &str, name: &str) -> Self {
        CheckReport {
            kind,
            subject: subject.to_string(),
            name: name.to_string(),
            records: Vec::new(),
            parsed: None,
            details: serde_json::Value::Null,
            findings: Vec::new(),
            queries: Vec::new(),
        }
    }

    /// The worst severity among the findings, if any.
    pub fn worst(&self) -> Option<Severity> {
        self.findings.iter().map(|f| f.severity).max()
    }

    fn record_query<T>(&mut self, name: &str, rtype: &str, result: &Result<T, DnsError>) {
        self.queries.push(query_of(name, rtype, result));
    }

    /// TXT records at `name`, noting the query; a failure becomes a finding.
    async fn txt(
        &mut self,
        resolver: &Resolver,
        name: &str,
        failure_code: &str,
        rfc: &str,
    ) -> Result<Vec<TxtRecord>, DnsError> {
        let result = resolver.txt(name).await;
        self.record_query(name, "TXT", &result);
        if let Err(e @ (DnsError::Failed { .. } | DnsError::InvalidName { .. })) = &result {
            self.findings.push(Finding::error(
                failure_code,
                rfc,
                format!(
                    "the lookup of {name} failed ({e}); the result is unknown until it answers"
                ),
            ));
        }
        result
    }

    fn set_parsed<T: Serialize>(&mut self, parsed: Parsed<T>) {
        self.parsed = parsed
            .record
            .as_ref()
            .and_then(|r| serde_json::to_value(r).ok());
        self.findings.extend(parsed.findings);
    }
}

/// A check's target or selector that is not what the check needs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CheckArgError {
    #[error("'{input}' is not a domain name (use the A-label form for IDNs)")]
    NotADomain { input: String },
    #[error("'{input}' is not a selector (DNS labels)")]
    NotASelector { input: String },
    #[error("'{input}' is not an IP address")]
    NotAnIp { input: String },
    #[error("a DKIM check needs a selector (the s= of the DKIM-Signature)")]
    NoDkimSelector,
}

// [`run`] still reports its refusals as text: its callers outside `dns` take a `String`.
/// A syntactically plausible domain name, lower-case, without the trailing dot.
pub fn domain_arg(domain: &str) -> Result<String, CheckArgError> {
    let d = normalize(domain.trim());
    if super::records::is_hostname(&d) {
        Ok(d)
    } else {
        Err(CheckArgError::NotADomain {
            input: domain.to_string(),
        })
    }
}

/// The organizational domain by the public suffix list (RFC 7489 §3.2).
pub fn organizational_domain(domain: &str) -> String {
    let d = normalize(domain);
    psl::domain_str(&d).map(str::to_string).unwrap_or(d)
}

/// One PTR name of an address and whether it resolves back to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PtrName {
    pub name: String,
    pub addresses: Vec<IpAddr>,
    pub confirmed: bool,
    pub error: Option<String>,
}

/// What reverse DNS says about an address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirmation {
    /// PTR names beyond this many are not followed.
    pub truncated_from: Option<usize>,
    pub names: Vec<PtrName>,
    /// The first name that resolves back to the address.
    pub confirmed_name: Option<String>,
}

/// PTR names followed per address (RFC 7208 §5.5 uses the same bound).
const MAX_PTR_NAMES: usize = 10;

/// Forward-confirmed reverse DNS of `ip` (RFC 8601 §3 `iprev`), with the queries noted in
/// `queries`. `Err` when the PTR lookup itself gave no answer; an address without PTR
/// records is `Ok` with no names.
pub async fn confirm(
    resolver: &Resolver,
    ip: IpAddr,
    queries: &mut Vec<Query>,
) -> Result<Confirmation, DnsError> {
    let ip = unmapped(ip);
    let reverse = super::resolver::reverse_name(ip);
    let found = resolver.ptr(ip).await;
    queries.push(query_of(&reverse, "PTR", &found));
    let mut names = match found {
        Ok(n) => n,
        Err(e) if e.is_void() => Vec::new(),
        Err(e) => return Err(e),
    };
    let truncated_from = (names.len() > MAX_PTR_NAMES).then_some(names.len());
    names.truncate(MAX_PTR_NAMES);
    let mut checked = Vec::new();
    let mut confirmed_name = None;
    for name in names {
        let found = resolver.addresses(&name, ip.is_ipv6()).await;
        queries.push(query_of(
            &name,
            if ip.is_ipv6() { "AAAA" } else { "A" },
            &found,
        ));
        let (addresses, error) = match found {
            Ok(a) => (a, None),
            Err(e) => (Vec::new(), Some(e.to_string())),
        };
        let confirmed = addresses.contains(&ip);
        if confirmed && confirmed_name.is_none() {
            confirmed_name = Some(name.clone());
        }
        checked.push(PtrName {
            name,
            addresses,
            confirmed,
            error,
        });
    }
    Ok(Confirmation {
        truncated_from,
        names: checked,
        confirmed_name,
    })
}

/// An IPv4-mapped IPv6 address as the IPv4 address it is.
fn unmapped(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
        v4 => v4,
    }
}

fn query_of<T>(name: &str, rtype: &str, result: &Result<T, DnsError>) -> Query {
    let (outcome, error) = match result {
        Ok(_) => ("answer", None),
        Err(DnsError::NxDomain { .. }) => ("nxdomain", None),
        Err(DnsError::NoData { .. }) => ("nodata", None),
        Err(e @ DnsError::Failed { .. }) => ("failed", Some(e.to_string())),
        Err(e @ DnsError::InvalidName { .. }) => ("invalid_name", Some(e.to_string())),
    };
    Query {
        name: name.to_string(),
        rtype: rtype.to_string(),
        outcome: outcome.to_string(),
        error,
    }
}

/// The FCrDNS check of `ip`: its PTR names, each confirmed or not, with findings.
pub async fn fcrdns(resolver: &Resolver, ip: IpAddr) -> CheckReport {
    let ip = unmapped(ip);
    let reverse = super::resolver::reverse_name(ip);
    let mut report = CheckReport::new(CheckKind::Fcrdns, &ip.to_string(), &reverse);
    let confirmation = match confirm(resolver, ip, &mut report.queries).await {
        Ok(c) => c,
        Err(e) => {
            report.findings.push(Finding::error(
                "fcrdns_lookup_failed",
                "RFC 8601 §3",
                format!("the PTR lookup for {ip} failed ({e}); try again later"),
            ));
            report.details = serde_json::json!({ "names": [], "confirmed_name": null });
            return report;
        }
    };
    if confirmation.names.is_empty() {
        report.findings.push(Finding::error(
            "fcrdns_no_ptr",
            "RFC 1912 §2.1",
            format!("{ip} has no PTR record: large mailbox providers refuse or junk mail from senders without forward-confirmed reverse DNS. Publish a PTR name for it that resolves back to {ip}"),
        ));
    } else {
        if let Some(n) = confirmation.truncated_from {
            report.findings.push(Finding::info(
                "fcrdns_too_many_names",
                "RFC 7208 §5.5",
                format!("{ip} has {n} PTR names; only the first {MAX_PTR_NAMES} were checked"),
            ));
        }
        match &confirmation.confirmed_name {
            Some(name) => report.findings.push(Finding::info(
                "fcrdns_confirmed",
                "RFC 8601 §3",
                format!("{ip} is {name}: the PTR name resolves back to the address"),
            )),
            None => report.findings.push(Finding::error(
                "fcrdns_unconfirmed",
                "RFC 8601 §3",
                format!(
                    "no PTR name of {ip} ({}) resolves back to it: the names are unconfirmed, and large mailbox providers refuse or junk mail from senders without forward-confirmed reverse DNS. Make one of them resolve to {ip}",
                    confirmation.names.iter().map(|n| n.name.as_str()).collect::<Vec<_>>().join(", ")
                ),
            )),
        }
    }
    report.records = confirmation.names.iter().map(|n| n.name.clone()).collect();
    report.details = serde_json::json!({
        "names": confirmation.names,
        "confirmed_name": confirmation.confirmed_name,
    });
    report
}

/// What one DMARC lookup found.
#[derive(Debug, Clone)]
enum DmarcAt {
    /// The DMARC records there (other TXT records discarded, RFC 7489 §6.6.3).
    Found(Vec<String>),
    None,
    Failed,
}

/// Most names the RFC 9989 tree walk asks about (§4.10.1).
const MAX_WALK_QUERIES: usize = 8;

/// The names the RFC 9989 DNS tree walk asks about for `domain`, in order: the domain, then
/// its ancestors; a name of more than 8 labels jumps to its 7-label suffix first.
pub fn tree_walk_names(domain: &str) -> Vec<String> {
    let labels: Vec<&str> = domain.split('.').collect();
    let mut names = vec![domain.to_string()];
    let start = if labels.len() > 8 {
        labels.len() - 7
    } else {
        1
    };
    for i in start..labels.len() {
        names.push(labels[i..].join("."));
    }
    names.truncate(MAX_WALK_QUERIES);
    names
}

struct DmarcLookups<'r> {
    resolver: &'r Resolver,
    seen: std::collections::HashMap<String, DmarcAt>,
}

impl DmarcLookups<'_> {
    /// The DMARC records at `domain`. A failed lookup is an error when the policy depends on
    /// it (`critical`), else (a lookup above an already found policy, only needed for the
    /// organizational domain) a warning.
    async fn at(&mut self, report: &mut CheckReport, domain: &str, critical: bool) -> DmarcAt {
        if let Some(found) = self.seen.get(domain) {
            return found.clone();
        }
        let name = format!("_dmarc.{domain}");
        let result = self.resolver.txt(&name).await;
        report.record_query(&name, "TXT", &result);
        if let Err(e @ (DnsError::Failed { .. } | DnsError::InvalidName { .. })) = &result {
            let message = if critical {
                format!("the lookup of {name} failed ({e}); the policy is unknown until it answers")
            } else {
                format!(
                    "the lookup of {name} failed ({e}); the organizational domain by the RFC 9989 tree walk may be wrong"
                )
            };
            report.findings.push(if critical {
                Finding::error("dmarc_lookup_failed", "RFC 7489 §6.6.3", message)
            } else {
                Finding::warning("dmarc_lookup_failed", "RFC 9989 §4.10.2", message)
            });
        }
        let found = match result {
            Ok(records) => {
                let dmarc: Vec<String> = records
                    .iter()
                    .map(TxtRecord::text)
                    .filter(|t| super::records::dmarc::is_dmarc(t))
                    .collect();
                if dmarc.is_empty() {
                    DmarcAt::None
                } else {
                    DmarcAt::Found(dmarc)
                }
            }
            Err(e) if e.is_void() => DmarcAt::None,
            Err(_) => DmarcAt::Failed,
        };
        self.seen.insert(domain.to_string(), found.clone());
        found
    }
}

/// DMARC (RFC 7489, RFC 9989): discovery by both the RFC 7489 public-suffix rule and the
/// RFC 9989 DNS tree walk (reporting which found the policy), the one-record rule, the record
/// itself, and authorization of report destinations outside the domain (RFC 7489 §7.1).
pub async fn dmarc(resolver: &Resolver, domain: &str) -> CheckReport {
    let mut report = CheckReport::new(CheckKind::Dmarc, domain, &format!("_dmarc.{domain}"));
    let mut lookups = DmarcLookups {
        resolver,
        seen: Default::default(),
    };
    let org_psl = organizational_domain(domain);

    // RFC 7489 §6.6.3: the domain, then its organizational domain by the PSL.
    let mut rfc7489 = None;
    for (candidate, rule) in [
        (domain.to_string(), "exact"),
        (org_psl.clone(), "organizational_domain"),
    ] {
        if rfc7489.is_some() || (rule != "exact" && candidate == domain) {
            continue;
        }
        match lookups.at(&mut report, &candidate, true).await {
            DmarcAt::Found(_) => rfc7489 = Some((candidate, rule)),
            DmarcAt::None => {}
            DmarcAt::Failed => break,
        }
    }
    // RFC 9989 §4.10: the tree walk, which also gives the organizational domain (§4.10.2:
    // the first record saying psd=n, the name below one saying psd=y, else the topmost
    // record found).
    let mut rfc9989 = None;
    let mut org_tree: Option<String> = None;
    let mut topmost = None;
    let walk = tree_walk_names(domain);
    let mut walk_failed = false;
    for (i, candidate) in walk.iter().enumerate() {
        let critical = rfc9989.is_none() && rfc7489.is_none();
        match lookups.at(&mut report, candidate, critical).await {
            DmarcAt::Found(records) => {
                if rfc9989.is_none() {
                    rfc9989 = Some(candidate.clone());
                }
                topmost = Some(candidate.clone());
                if org_tree.is_none()
                    && let [only] = records.as_slice()
                    && let Some(parsed) = super::records::dmarc::parse(only).record
                {
                    match parsed.psd {
                        Some(super::records::dmarc::Psd::No) => org_tree = Some(candidate.clone()),
                        Some(super::records::dmarc::Psd::Yes) => {
                            org_tree = Some(
                                walk.get(i.saturating_sub(1))
                                    .cloned()
                                    .unwrap_or_else(|| candidate.clone()),
                            )
                        }
                        _ => {}
                    }
                }
            }
            DmarcAt::None => {}
            DmarcAt::Failed => {
                walk_failed = critical;
                break;
            }
        }
    }
    let org_tree = org_tree.or(topmost).unwrap_or_else(|| domain.to_string());

    let policy_domain = rfc9989
        .clone()
        .or_else(|| rfc7489.as_ref().map(|(d, _)| d.clone()));
    report.details = serde_json::json!({
        "organizational_domain_psl": org_psl,
        "organizational_domain_tree_walk": org_tree,
        "rfc7489": rfc7489.as_ref().map(|(d, rule)| serde_json::json!({"policy_domain": d, "rule": rule})),
        "rfc9989": rfc9989.as_ref().map(|d| serde_json::json!({"policy_domain": d, "rule": "tree_walk"})),
        "tree_walk": walk,
    });
    let failed = walk_failed
        || (rfc7489.is_none() && lookups.seen.values().any(|v| matches!(v, DmarcAt::Failed)));
    let Some(policy_domain) = policy_domain else {
        if !failed {
            report.findings.push(Finding::error(
                "dmarc_no_record",
                "RFC 7489 §6.6.3",
                format!("no DMARC record at _dmarc.{domain} or above it: receivers apply no DMARC policy, and no reports are sent. Publish one, e.g. \"v=DMARC1; p=none; rua=mailto:dmarc@{org_psl}\", and tighten p once reports show all legitimate mail passes"),
            ));
        }
        return report;
    };
    if let (Some((d7489, _)), Some(d9989)) = (&rfc7489, &rfc9989)
        && d7489 != d9989
    {
        report.findings.push(Finding::warning(
            "dmarc_discovery_differs",
            "RFC 9989 §4.10",
            format!("receivers using the public suffix list (RFC 7489) take the policy of {d7489}, receivers doing the RFC 9989 tree walk that of {d9989}"),
        ));
    }
    if rfc7489.is_none() && rfc9989.is_some() {
        report.findings.push(Finding::warning(
            "dmarc_found_by_tree_walk_only",
            "RFC 9989 §4.10",
            format!("the policy at {policy_domain} is found only by the RFC 9989 tree walk: RFC 7489 receivers (most today) apply no policy to {domain}"),
        ));
    }
    if policy_domain != domain {
        report.findings.push(Finding::info(
            "dmarc_inherited_policy",
            "RFC 7489 §6.6.3",
            format!("{domain} has no record of its own; the policy of {policy_domain} applies (its sp= for existing subdomains, np= for non-existent ones)"),
        ));
    }
    report.name = format!("_dmarc.{policy_domain}");
    let records = match lookups.seen.get(&policy_domain) {
        Some(DmarcAt::Found(r)) => r.clone(),
        _ => Vec::new(),
    };
    report.records = records.clone();
    if records.len() > 1 {
        report.findings.push(Finding::error(
            "dmarc_multiple_records",
            "RFC 7489 §6.6.3",
            format!("_dmarc.{policy_domain} holds {} DMARC records: receivers apply none of them. Keep exactly one", records.len()),
        ));
        return report;
    }
    let Some(text) = records.first() else {
        return report;
    };
    let parsed = super::records::dmarc::parse(text);
    let record = parsed.record.clone();
    report.set_parsed(parsed);
    if let Some(record) = record {
        external_destinations(&mut report, resolver, &policy_domain, &record).await;
    }
    report
}

/// RFC 7489 §7.1 / RFC 9990 §3.2.3: a report address in another organizational domain only
/// receives reports if `<policy domain>._report._dmarc.<host>` holds a DMARC record.
async fn external_destinations(
    report: &mut CheckReport,
    resolver: &Resolver,
    policy_domain: &str,
    record: &super::records::dmarc::DmarcRecord,
) {
    let own = organizational_domain(policy_domain);
    let mut hosts: Vec<(String, String)> = super::records::dmarc::rua_hosts(record);
    hosts.extend(super::records::dmarc::ruf_hosts(record));
    let mut done = std::collections::HashSet::new();
    for (uri, host) in hosts {
        if organizational_domain(&host) == own || !done.insert(host.clone()) {
            continue;
        }
        let name = format!("{policy_domain}._report._dmarc.{host}");
        let result = resolver.txt(&name).await;
        report.record_query(&name, "TXT", &result);
        match result {
            Ok(txt) if txt.iter().any(|t| super::records::dmarc::is_dmarc(&t.text())) => {
                report.findings.push(Finding::info(
                    "dmarc_external_destination_authorized",
                    "RFC 7489 §7.1",
                    format!("{host} accepts reports for {policy_domain} ({name} is published)"),
                ));
            }
            Err(e @ DnsError::Failed { .. }) => report.findings.push(Finding::warning(
                "dmarc_lookup_failed",
                "RFC 7489 §7.1",
                format!("could not check that {host} accepts reports for {policy_domain}: {e}"),
            )),
            _ => report.findings.push(Finding::error(
                "dmarc_external_destination_unauthorized",
                "RFC 7489 §7.1",
                format!("{uri} is in another organization, and {name} has no \"v=DMARC1\" TXT record: receivers will not send reports there. The operator of {host} must publish it (or a wildcard *._report._dmarc.{host})"),
            )),
        }
    }
}

/// The time budget of a check when none is configured.
pub const DEFAULT_BUDGET: std::time::Duration = std::time::Duration::from_secs(10);

/// Fetches a text resource over HTTPS for the checks (the MTA-STS policy file). The network
/// client is an outbound adapter (`crate::outbound::https::Fetcher`); tests can pass another.
pub trait TextFetch: Send + Sync + std::fmt::Debug {
    /// `https://<host><path>` (with the port the fetcher is configured for).
    fn url(&self, host: &str, path: &str) -> String;
    /// The body when the answer is 200, else why not.
    fn get_text<'a>(
        &'a self,
        url: &'a str,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<String, FetchError>> + Send + 'a>>;
}

/// Why a [`TextFetch`] got no text; shown after "could not be fetched: " in findings.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    #[error("invalid URL {url}: {reason}")]
    InvalidUrl { url: String, reason: String },
    /// The outbound address rule refused the URL (`reason` says how).
    #[error("{url} {reason}")]
    Refused { url: String, reason: String },
    /// The request failed; the innermost cause (certificate, refused address, timeout…).
    #[error("{0}")]
    Request(String),
    #[error("answered {status} (redirect to {to}); redirects must not be followed")]
    Redirect { status: String, to: String },
    #[error("answered {0}, not 200")]
    Status(String),
    #[error("the body is larger than {0} bytes")]
    TooLarge(usize),
    #[error("the body is not UTF-8 text")]
    NotText,
    /// The check's time budget ran out before the answer came.
    #[error("{}", super::resolver::BUDGET_EXHAUSTED)]
    OutOfBudget,
}

/// What checks need: DNS, and HTTPS for the MTA-STS policy.
#[derive(Debug, Clone)]
pub struct Checker {
    pub resolver: Resolver,
    pub fetcher: std::sync::Arc<dyn TextFetch>,
    /// The longest one check, or one run of all checks of a domain, may take.
    pub budget: std::time::Duration,
}

impl Checker {
    pub fn new(resolver: Resolver, fetcher: std::sync::Arc<dyn TextFetch>) -> Checker {
        Checker {
            fetcher,
            resolver,
            budget: DEFAULT_BUDGET,
        }
    }

    /// This checker with another time budget.
    pub fn with_budget(mut self, budget: std::time::Duration) -> Checker {
        self.budget = budget;
        self
    }

    /// This checker for one run that starts now: every lookup ends by the deadline it
    /// already has (a run of several checks), else by now + the budget.
    pub fn for_one_run(&self) -> Checker {
        let deadline = self
            .resolver
            .deadline()
            .unwrap_or_else(|| tokio::time::Instant::now() + self.budget);
        Checker {
            resolver: self.resolver.with_deadline(deadline),
            fetcher: self.fetcher.clone(),
            budget: self.budget,
        }
    }
}

/// Runs the check `kind` on `target` (a domain, or an IP address for FCrDNS). DKIM needs at
/// least one selector and gives one report per selector; BIMI takes one (default `default`).
pub async fn run(
    checker: &Checker,
    kind: CheckKind,
    target: &str,
    selectors: &[String],
) -> Result<Vec<CheckReport>, CheckArgError> {
    let checker = &checker.for_one_run();
    let resolver = &checker.resolver;
    if kind == CheckKind::Fcrdns {
        let ip: IpAddr = target.trim().parse().map_err(|_| CheckArgError::NotAnIp {
            input: target.to_string(),
        })?;
        return Ok(vec![fcrdns(resolver, ip).await]);
    }
    let domain = domain_arg(target)?;
    for s in selectors {
        selector_arg(s)?;
    }
    Ok(match kind {
        CheckKind::Dmarc => vec![dmarc(resolver, &domain).await],
        CheckKind::Spf => vec![spf(resolver, &domain).await],
        CheckKind::Dkim => {
            if selectors.is_empty() {
                return Err(CheckArgError::NoDkimSelector);
            }
            let mut out = Vec::new();
            for s in selectors {
                out.push(dkim(resolver, &domain, s).await);
            }
            out
        }
        CheckKind::Bimi => {
            let selector = selectors.first().map_or("default", String::as_str);
            vec![bimi(resolver, &domain, selector).await]
        }
        CheckKind::MtaSts => {
            let url = checker
                .fetcher
                .url(&format!("mta-sts.{domain}"), "/.well-known/mta-sts.txt");
            let fetch = checker.fetcher.get_text(&url);
            let policy = match resolver.deadline() {
                Some(deadline) => tokio::time::timeout_at(deadline, fetch)
                    .await
                    .unwrap_or(Err(FetchError::OutOfBudget)),
                None => fetch.await,
            };
            vec![mta_sts_with_policy(resolver, &domain, Some(policy)).await]
        }
        CheckKind::Tlsrpt => vec![tlsrpt(resolver, &domain).await],
        CheckKind::Fcrdns => Vec::new(),
    })
}

/// A selector is one or more DNS labels (RFC 6376 §3.1).
pub fn selector_arg(selector: &str) -> Result<(), CheckArgError> {
    // A selector is labels only (no trailing dot), short enough to leave room for
    // `._domainkey.<domain>` in a 253-byte name.
    if selector.len() <= 189 && !selector.ends_with('.') && super::records::is_hostname(selector) {
        Ok(())
    } else {
        Err(CheckArgError::NotASelector {
            input: selector.to_string(),
        })
    }
}

/// The records at `name` that `is_kind` accepts, noting the query. `None` when the lookup
/// failed (a finding says so).
async fn select_txt(
    report: &mut CheckReport,
    resolver: &Resolver,
    name: &str,
    failure_code: &str,
    rfc: &str,
    is_kind: fn(&str) -> bool,
) -> Option<Vec<String>> {
    match report.txt(resolver, name, failure_code, rfc).await {
        Ok(records) => Some(
            records
                .iter()
                .map(TxtRecord::text)
                .filter(|t| is_kind(t))
                .collect(),
        ),
        Err(e) if e.is_void() => Some(Vec::new()),
        Err(_) => None,
    }
}

/// Applies the one-record rule: records other than exactly one mean "no record" to receivers.
fn one_record(
    report: &mut CheckReport,
    records: Vec<String>,
    code_prefix: &str,
    rfc: &str,
    what: &str,
    absent: (Severity, &str),
) -> Option<String> {
    report.records = records.clone();
    match records.len() {
        0 => {
            report.findings.push(Finding::new(
                &format!("{code_prefix}_no_record"),
                absent.0,
                rfc,
                format!("no {what} record at {}: {}", report.name, absent.1),
            ));
            None
        }
        1 => records.into_iter().next(),
        n => {
            report.findings.push(Finding::error(
                &format!("{code_prefix}_multiple_records"),
                rfc,
                format!(
                    "{} holds {n} {what} records: receivers use none of them. Keep exactly one",
                    report.name
                ),
            ));
            None
        }
    }
}

/// SPF (RFC 7208): one record, its syntax, and the include/redirect tree with lookup counts.
pub async fn spf(resolver: &Resolver, domain: &str) -> CheckReport {
    let mut report = CheckReport::new(CheckKind::Spf, domain, domain);
    let Some(records) = select_txt(
        &mut report,
        resolver,
        domain,
        "spf_lookup_failed",
        "RFC 7208 §4.4",
        super::spf::is_spf_record,
    )
    .await
    else {
        return report;
    };
    report.records = records.clone();
    match super::spf::select(&records) {
        Err(finding) => {
            report.findings.push(finding);
            return report;
        }
        Ok(None) => {
            report.findings.push(Finding::error(
                "spf_no_record",
                "RFC 7208 §4.5",
                format!("{domain} publishes no SPF record: check_host gives \"none\", and DMARC can pass only through DKIM. Publish e.g. \"v=spf1 mx -all\" listing every service that sends as {domain}"),
            ));
            return report;
        }
        Ok(Some(_)) => {}
    }
    let tree = super::spf::resolve_tree(resolver, domain).await;
    let parsed = records
        .first()
        .map(|r| super::spf::parse(r))
        .and_then(|p| p.record)
        .and_then(|r| serde_json::to_value(r).ok());
    report.parsed = parsed;
    report.findings.extend(tree.findings.iter().cloned());
    report.details = serde_json::to_value(&tree).unwrap_or_default();
    report
}

/// DKIM key record (RFC 6376 §3.6.1, RFC 8301, RFC 8463) at `<selector>._domainkey.<domain>`.
pub async fn dkim(resolver: &Resolver, domain: &str, selector: &str) -> CheckReport {
    let name = format!("{selector}._domainkey.{domain}");
    let mut report = CheckReport::new(CheckKind::Dkim, domain, &name);
    report.details = serde_json::json!({ "selector": selector });
    let Some(records) = select_txt(
        &mut report,
        resolver,
        &name,
        "dkim_lookup_failed",
        "RFC 6376 §3.6.2",
        |_| true,
    )
    .await
    else {
        return report;
    };
    if let Some(text) = one_record(
        &mut report,
        records,
        "dkim",
        "RFC 6376 §3.6.2.2",
        "DKIM key",
        (
            Severity::Error,
            "signatures with this selector cannot be verified, so they fail",
        ),
    ) {
        report.set_parsed(super::records::dkim::parse(&text));
    }
    report
}

/// BIMI (draft-brand-indicators-for-message-identification): the assertion record at
/// `<selector>._bimi.<domain>`, falling back to `default._bimi.<organizational domain>`, and
/// the DMARC enforcement BIMI requires.
pub async fn bimi(resolver: &Resolver, domain: &str, selector: &str) -> CheckReport {
    let name = format!("{selector}._bimi.{domain}");
    let mut report = CheckReport::new(CheckKind::Bimi, domain, &name);
    let is_bimi: fn(&str) -> bool = super::records::bimi::is_bimi;
    let Some(mut records) = select_txt(
        &mut report,
        resolver,
        &name,
        "bimi_lookup_failed",
        "BIMI §4.2",
        is_bimi,
    )
    .await
    else {
        return report;
    };
    let org = organizational_domain(domain);
    if records.is_empty() && org != domain {
        let fallback = format!("default._bimi.{org}");
        match select_txt(
            &mut report,
            resolver,
            &fallback,
            "bimi_lookup_failed",
            "BIMI §4.2",
            is_bimi,
        )
        .await
        {
            Some(found) if !found.is_empty() => {
                report.findings.push(Finding::info(
                    "bimi_organizational_fallback",
                    "BIMI §4.2",
                    format!("{name} has no record; receivers use {fallback}"),
                ));
                report.name = fallback;
                records = found;
            }
            Some(_) => {}
            None => return report,
        }
    }
    let Some(text) = one_record(
        &mut report,
        records,
        "bimi",
        "BIMI §4.2",
        "BIMI",
        (Severity::Info, "mailbox providers show no brand logo"),
    ) else {
        return report;
    };
    let parsed = super::records::bimi::parse(&text);
    let declined = parsed.record.as_ref().is_some_and(|r| r.declined);
    report.set_parsed(parsed);
    if !declined {
        let dmarc_report = dmarc(resolver, domain).await;
        let dmarc_record = dmarc_report
            .parsed
            .clone()
            .and_then(|v| serde_json::from_value::<super::records::dmarc::DmarcRecord>(v).ok());
        match dmarc_record {
            Some(record) => report
                .findings
                .extend(super::records::bimi::dmarc_prerequisites(&record)),
            None => report.findings.push(Finding::error(
                "bimi_dmarc_missing",
                "BIMI §3",
                format!("BIMI needs a valid DMARC policy at enforcement (p=quarantine or reject) for {domain}, and none was found"),
            )),
        }
        report.details = serde_json::json!({ "dmarc": dmarc_report.parsed });
    }
    report
}

/// TLS-RPT (RFC 8460 §3) at `_smtp._tls.<domain>`.
pub async fn tlsrpt(resolver: &Resolver, domain: &str) -> CheckReport {
    let name = format!("_smtp._tls.{domain}");
    let mut report = CheckReport::new(CheckKind::Tlsrpt, domain, &name);
    let Some(records) = select_txt(
        &mut report,
        resolver,
        &name,
        "tlsrpt_lookup_failed",
        "RFC 8460 §3",
        super::records::tlsrpt::is_tlsrpt,
    )
    .await
    else {
        return report;
    };
    if let Some(text) = one_record(
        &mut report,
        records,
        "tlsrpt",
        "RFC 8460 §3",
        "TLS-RPT",
        (
            Severity::Warning,
            "sending servers will not report TLS failures delivering to this domain; publish \"v=TLSRPTv1; rua=mailto:tlsrpt@<domain>\"",
        ),
    ) {
        report.set_parsed(super::records::tlsrpt::parse(&text));
    }
    report
}

/// MTA-STS (RFC 8461): the `_mta-sts` record, the domain's MX hosts, and the policy file
/// (as fetched by the caller: the body, or why it could not be had), with every MX checked
/// against the policy's patterns.
pub async fn mta_sts_with_policy(
    resolver: &Resolver,
    domain: &str,
    policy: Option<Result<String, FetchError>>,
) -> CheckReport {
    let name = format!("_mta-sts.{domain}");
    let mut report = CheckReport::new(CheckKind::MtaSts, domain, &name);
    let Some(records) = select_txt(
        &mut report,
        resolver,
        &name,
        "mta_sts_lookup_failed",
        "RFC 8461 §3.1",
        super::records::mta_sts::is_mta_sts,
    )
    .await
    else {
        return report;
    };
    let Some(text) = one_record(
        &mut report,
        records,
        "mta_sts",
        "RFC 8461 §3.1",
        "MTA-STS",
        (
            Severity::Warning,
            "senders may deliver to this domain without TLS, or to a forged MX; publish a policy (mode testing first)",
        ),
    ) else {
        return report;
    };
    report.set_parsed(super::records::mta_sts::parse_txt(&text));
    let mx = resolver.mx(domain).await;
    report.record_query(domain, "MX", &mx);
    let mx_hosts: Vec<String> = match &mx {
        Ok(list) => list
            .iter()
            .map(|m| m.exchange.clone())
            .filter(|e| !e.is_empty())
            .collect(),
        Err(_) => Vec::new(),
    };
    let url = format!("https://mta-sts.{domain}/.well-known/mta-sts.txt");
    if let Ok(list) = &mx
        && list.len() == 1
        && list[0].exchange.is_empty()
    {
        report.findings.push(Finding::warning(
            "mta_sts_null_mx",
            "RFC 7505",
            format!(
                "{domain} has a null MX: it receives no mail, so an MTA-STS policy protects nothing"
            ),
        ));
    }
    let mut details = serde_json::json!({ "mx": mx_hosts, "policy_url": url });
    match policy {
        None => report.findings.push(Finding::info(
            "mta_sts_policy_not_fetched",
            "RFC 8461 §3.3",
            format!("the policy at {url} was not fetched in this check"),
        )),
        Some(Err(why)) => report.findings.push(Finding::error(
            "mta_sts_policy_fetch_failed",
            "RFC 8461 §3.3",
            format!("the policy at {url} could not be fetched: {why}. Senders treat the domain as having no MTA-STS policy"),
        )),
        Some(Ok(body)) => {
            let parsed = super::records::mta_sts::parse_policy(&body);
            if let Some(policy) = &parsed.record {
                report
                    .findings
                    .extend(super::records::mta_sts::uncovered_mx(policy, &mx_hosts));
                details["policy"] = serde_json::to_value(policy).unwrap_or_default();
            }
            report.findings.extend(parsed.findings);
        }
    }
    report.details = details;
    report
}

/// Serializes `details` as an object: `null` (nothing to add) becomes `{}`.
fn object_or_empty<S: serde::Serializer>(
    value: &serde_json::Value,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match value {
        serde_json::Value::Object(_) => value.serialize(serializer),
        serde_json::Value::Null => serde_json::Map::new().serialize(serializer),
        other => {
            let mut map = serde_json::Map::new();
            map.insert("value".into(), other.clone());
            map.serialize(serializer)
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::dns::StaticZone;

    use crate::dns::block_on as block;

    fn codes(r: &CheckReport) -> Vec<&str> {
        r.findings.iter().map(|f| f.code.as_str()).collect()
    }

    #[test]
    fn a_ptr_name_that_resolves_back_is_confirmed() {
        let r = Resolver::fixed(
            StaticZone::new()
                .ptr("192.0.2.25", "mail.example.test")
                .ptr("192.0.2.25", "spoof.example.test")
                .ip("mail.example.test", "192.0.2.25")
                .ip("spoof.example.test", "198.51.100.1"),
        );
        let report = block(fcrdns(&r, "192.0.2.25".parse().unwrap()));
        assert_eq!(codes(&report), vec!["fcrdns_confirmed"]);
        assert_eq!(report.details["confirmed_name"], "mail.example.test");
        assert_eq!(report.details["names"][1]["confirmed"], false);
    }

    #[test]
    fn a_ptr_name_that_does_not_resolve_back_is_unconfirmed() {
        let r = Resolver::fixed(
            StaticZone::new()
                .ptr("2001:db8::5", "mail.example.test")
                .ip("mail.example.test", "2001:db8::6"),
        );
        let report = block(fcrdns(&r, "2001:db8::5".parse().unwrap()));
        assert_eq!(codes(&report), vec!["fcrdns_unconfirmed"]);
        assert!(report.details["confirmed_name"].is_null());
    }

    #[test]
    fn no_ptr_and_a_failed_lookup_are_different_findings() {
        let r = Resolver::fixed(StaticZone::new().ip("x.example.test", "192.0.2.1"));
        let report = block(fcrdns(&r, "192.0.2.77".parse().unwrap()));
        assert_eq!(codes(&report), vec!["fcrdns_no_ptr"]);
        let r = Resolver::fixed(StaticZone::new().fail("77.2.0.192.in-addr.arpa", true));
        let report = block(fcrdns(&r, "192.0.2.77".parse().unwrap()));
        assert_eq!(codes(&report), vec!["fcrdns_lookup_failed"]);
        assert_eq!(report.queries[0].outcome, "failed");
    }

    #[test]
    fn organizational_domains_come_from_the_public_suffix_list() {
        assert_eq!(organizational_domain("a.b.example.co.uk."), "example.co.uk");
        assert_eq!(organizational_domain("mail.example.com"), "example.com");
        assert_eq!(organizational_domain("example.com"), "example.com");
    }

    #[test]
    fn domain_arguments_are_normalized_or_refused() {
        assert_eq!(domain_arg("Example.COM.").unwrap(), "example.com");
        assert!(domain_arg("exa mple.com").is_err());
        assert!(domain_arg("").is_err());
        assert!(domain_arg(&"a".repeat(64)).is_err());
    }

    #[test]
    fn no_ptr_or_an_unconfirmed_name_is_an_error() {
        let r = Resolver::fixed(
            StaticZone::new()
                .ptr("192.0.2.25", "mail.example.test")
                .ip("mail.example.test", "198.51.100.1")
                .ip("x.example.test", "192.0.2.1"),
        );
        for ip in ["192.0.2.25", "192.0.2.77"] {
            let report = block(fcrdns(&r, ip.parse().unwrap()));
            assert_eq!(report.findings.len(), 1, "{:?}", report.findings);
            assert_eq!(report.findings[0].severity, Severity::Error, "{ip}");
            assert_eq!(report.worst(), Some(Severity::Error));
        }
        let r = Resolver::fixed(
            StaticZone::new()
                .ptr("192.0.2.25", "mail.example.test")
                .ip("mail.example.test", "192.0.2.25"),
        );
        let report = block(fcrdns(&r, "192.0.2.25".parse().unwrap()));
        assert_eq!(report.worst(), Some(Severity::Info));
    }

    #[test]
    fn a_refused_argument_says_which_and_why() {
        assert_eq!(
            domain_arg("exa mple.com").err().map(|e| e.to_string()),
            Some("'exa mple.com' is not a domain name (use the A-label form for IDNs)".into())
        );
        assert_eq!(
            selector_arg("a b").err().map(|e| e.to_string()),
            Some("'a b' is not a selector (DNS labels)".into())
        );
    }
}
