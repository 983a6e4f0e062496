//! SPF (RFC 7208): record parsing and linting with byte positions, record selection, macro
//! expansion, `check_host` evaluation, and the resolved include tree for the checker.
//!
//! Layout:
//! - `parse`: record selection (§4.5), the grammar with byte positions (§4.6, §5, §6, §12)
//!   and the linter.
//! - `macros`: macro tokens and their expansion (§7).
//! - `check_host`: the evaluation for one connection (§4, §5, §6).
//! - `tree`: the include/redirect tree as the checker resolves it, without a client IP.
//!
//! This file holds the parsed view and the results the others share.
//!
//! Invariants:
//! - Nothing here panics on any input: untrusted text is only sliced at positions of ASCII
//!   bytes found in it, and every count saturates.
//! - The only I/O is through the [`Resolver`](super::Resolver) passed in; everything else is
//!   pure.
//! - A record with any syntax error has no parsed view (`Parsed::record` is `None`), because
//!   §4.6 makes the whole record a permerror; lint findings (`+all`, `ptr`...) keep the view.
//! - Evaluation is bounded by the RFC limits (10 DNS-querying terms, 2 void lookups, 10 MX
//!   names, 10 PTR names) plus a recursion depth cap; the tree walk by node and query caps.
//!
//! Must not depend on `dns::generate`: the SPF generator (`dns::generate::spf`) builds on this
//! module, not the other way round.

mod check_host;
mod macros;
mod parse;
mod tree;

pub use check_host::{check_host, check_host_as};
pub use parse::{is_spf_record, parse, select};
pub use tree::{SpfNode, SpfTree, resolve_tree};
// The grammar pieces the generator validates its input with.
pub(crate) use parse::{cidr_len, is_toplabel, parse_ip4};

use serde::{Deserialize, Serialize};
use std::future::Future;
use std::pin::Pin;

/// §4.6.4: DNS-querying terms allowed during one evaluation.
pub const MAX_DNS_LOOKUPS: u32 = 10;
/// §4.6.4: void lookups allowed (the RECOMMENDED default).
pub const MAX_VOID_LOOKUPS: u32 = 2;
/// §4.6.4: MX names one `mx` mechanism may look up.
const MAX_MX_NAMES: usize = 10;
/// The lookup limit already bounds recursion; this is a second guard for the tree walk and
/// for evaluation paths that do not count (none today, but cheap insurance).
const MAX_DEPTH: u32 = 12;

// ---------------------------------------------------------------------------------------
// Parsed view
// ---------------------------------------------------------------------------------------

/// A directive's qualifier (§4.6.2); `+` when omitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Qualifier {
    Pass,
    Fail,
    Softfail,
    Neutral,
}

impl Qualifier {
    fn result(self) -> SpfResult {
        match self {
            Qualifier::Pass => SpfResult::Pass,
            Qualifier::Fail => SpfResult::Fail,
            Qualifier::Softfail => SpfResult::Softfail,
            Qualifier::Neutral => SpfResult::Neutral,
        }
    }
}

/// A mechanism (§5) with its arguments. Domain-specs are kept as the raw macro-string text;
/// networks as `address/prefix` strings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Mechanism {
    All,
    Include {
        domain: String,
    },
    A {
        domain: Option<String>,
        ip4_cidr: Option<u8>,
        ip6_cidr: Option<u8>,
    },
    Mx {
        domain: Option<String>,
        ip4_cidr: Option<u8>,
        ip6_cidr: Option<u8>,
    },
    Ptr {
        domain: Option<String>,
    },
    Ip4 {
        #[schema(example = "192.0.2.0/24")]
        network: String,
    },
    Ip6 {
        #[schema(example = "2001:db8::/32")]
        network: String,
    },
    Exists {
        domain: String,
    },
}

impl Mechanism {
    /// Whether evaluating it queries DNS (§4.6.4).
    fn queries_dns(&self) -> bool {
        !matches!(
            self,
            Mechanism::All | Mechanism::Ip4 { .. } | Mechanism::Ip6 { .. }
        )
    }
}

/// One `[qualifier] mechanism` term.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Directive {
    pub qualifier: Qualifier,
    pub mechanism: Mechanism,
    /// The term as written, e.g. `~include:_spf.example.com`.
    pub text: String,
    /// Byte offset of the term in the record.
    pub position: usize,
}

/// A modifier ruad does not know; §6 says receivers ignore it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct UnknownModifier {
    pub name: String,
    pub value: String,
    pub position: usize,
}

/// The parsed view of an SPF record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SpfRecord {
    pub directives: Vec<Directive>,
    /// `redirect=` domain-spec, as written.
    pub redirect: Option<String>,
    /// `exp=` domain-spec, as written.
    pub exp: Option<String>,
    pub unknown_modifiers: Vec<UnknownModifier>,
}

impl SpfRecord {
    fn has_all(&self) -> bool {
        self.directives
            .iter()
            .any(|d| d.mechanism == Mechanism::All)
    }

    /// Terms that query DNS when evaluated: the mechanisms, plus `redirect` unless an `all`
    /// makes it unreachable (§6.1).
    pub fn dns_terms(&self) -> u32 {
        let mechanisms = self
            .directives
            .iter()
            .filter(|d| d.mechanism.queries_dns())
            .count();
        let redirect = usize::from(self.redirect.is_some() && !self.has_all());
        u32::try_from(mechanisms.saturating_add(redirect)).unwrap_or(u32::MAX)
    }
}

// ---------------------------------------------------------------------------------------
// Evaluation (§4, §5, §6)
// ---------------------------------------------------------------------------------------

/// The result of `check_host` (§2.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum SpfResult {
    Pass,
    Fail,
    Softfail,
    Neutral,
    None,
    Permerror,
    Temperror,
}

/// What `check_host` concluded, and how.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Evaluation {
    pub result: SpfResult,
    /// The term of the checked domain's record that decided the result, as written (e.g.
    /// `-all`, `include:_spf.example.com`, `redirect=_spf.example.com`); `None` for the
    /// default result or when no record could be evaluated.
    pub mechanism: Option<String>,
    /// The `exp=` explanation, on fail only (§6.2).
    pub explanation: Option<String>,
    /// DNS-querying terms evaluated (§4.6.4).
    pub dns_lookups: u32,
    /// Lookups that found no such name or no records (§4.6.4).
    pub void_lookups: u32,
    /// What was looked at, in order, for humans.
    pub trace: Vec<String>,
}

type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

pub(crate) fn normalize(name: &str) -> String {
    name.trim_end_matches('.').to_ascii_lowercase()
}

#[cfg(test)]
mod test_support {
    //! What the tests of the SPF modules share: a static zone from one line of text, and
    //! helpers over findings.
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::{Evaluation, check_host};
    use crate::dns::{Finding, Resolver, StaticZone};

    pub(super) use crate::dns::block_on as block;

    /// A zone from `|`-separated lines: `TXT name text`, `IP name addr`, `MX name pref host`,
    /// `PTR addr name`, `SERVFAIL name`, `TIMEOUT name`.
    pub(super) fn zone(spec: &str) -> StaticZone {
        let mut z = StaticZone::new();
        for line in spec.split('|').map(str::trim).filter(|l| !l.is_empty()) {
            let mut parts = line.splitn(3, ' ');
            let kind = parts.next().unwrap();
            let name = parts.next().unwrap();
            let rest = parts.next().unwrap_or("");
            z = match kind {
                "TXT" => z.txt(name, rest),
                "IP" => z.ip(name, rest),
                "MX" => {
                    let (pref, host) = rest.split_once(' ').unwrap();
                    z.mx(name, pref.parse().unwrap(), host)
                }
                "PTR" => z.ptr(name, rest),
                "SERVFAIL" => z.fail(name, false),
                "TIMEOUT" => z.fail(name, true),
                other => panic!("unknown zone line kind {other}"),
            };
        }
        z
    }

    pub(super) fn eval(zone_spec: &str, ip: &str, sender: &str, helo: Option<&str>) -> Evaluation {
        let resolver = Resolver::fixed(zone(zone_spec));
        block(check_host(
            &resolver,
            ip.parse().unwrap(),
            "",
            sender,
            helo,
            1_700_000_000,
        ))
    }

    pub(super) const U: &str = "user@example.com";
    pub(super) const IP: &str = "192.0.2.10";

    pub(super) fn hosts(prefix: &str, n: usize, addr: &str) -> String {
        (1..=n)
            .map(|i| format!("IP {prefix}{i}.example.com {addr}"))
            .collect::<Vec<_>>()
            .join("|")
    }

    pub(super) fn terms(kind: &str, prefix: &str, n: usize) -> String {
        (1..=n)
            .map(|i| format!("{kind}:{prefix}{i}.example.com"))
            .collect::<Vec<_>>()
            .join(" ")
    }

    pub(super) fn codes(findings: &[Finding]) -> Vec<&str> {
        findings.iter().map(|f| f.code.as_str()).collect()
    }

    pub(super) fn has_errors_in(findings: &[Finding]) -> bool {
        crate::dns::has_errors(findings)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::parse;
    use super::test_support::{IP, U, eval};

    #[test]
    fn the_evaluation_serializes_with_lower_case_results() {
        let e = eval("TXT example.com v=spf1 -all", IP, U, None);
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["result"], "fail");
        assert_eq!(json["mechanism"], "-all");
        let parsed = serde_json::to_value(parse("v=spf1 ip4:192.0.2.0/24 ~all").record).unwrap();
        assert_eq!(
            parsed["directives"][0]["mechanism"]["network"],
            "192.0.2.0/24"
        );
        assert_eq!(parsed["directives"][0]["mechanism"]["kind"], "ip4");
        assert_eq!(parsed["directives"][1]["qualifier"], "softfail");
    }
}
