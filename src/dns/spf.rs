//! SPF (RFC 7208): record parsing and linting with byte positions, record selection, macro
//! expansion, `check_host` evaluation, and the resolved include tree for the checker.
//!
//! Invariants:
//! - Nothing here panics on any input: untrusted text is only sliced at positions of ASCII
//!   bytes found in it, and every count saturates.
//! - The only I/O is through the [`Resolver`] passed in; everything else is pure.
//! - A record with any syntax error has no parsed view (`Parsed::record` is `None`), because
//!   §4.6 makes the whole record a permerror; lint findings (`+all`, `ptr`...) keep the view.
//! - Evaluation is bounded by the RFC limits (10 DNS-querying terms, 2 void lookups, 10 MX
//!   names, 10 PTR names) plus a recursion depth cap; the tree walk by node and query caps.

use super::records::Parsed;
use super::{DnsError, Finding, Resolver, Severity};
use serde::{Deserialize, Serialize};
use std::future::Future;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::pin::Pin;

/// §4.6.4: DNS-querying terms allowed during one evaluation.
pub const MAX_DNS_LOOKUPS: u32 = 10;
/// §4.6.4: void lookups allowed (the RECOMMENDED default).
pub const MAX_VOID_LOOKUPS: u32 = 2;
/// §4.6.4: MX names one `mx` mechanism may look up.
const MAX_MX_NAMES: usize = 10;
/// §4.6.4: PTR names one `ptr` mechanism or `%{p}` looks at.
const MAX_PTR_NAMES: usize = 10;
/// §3.4: keep the record small enough for a 512-byte UDP answer.
const RECOMMENDED_MAX_LEN: usize = 450;
/// The lookup limit already bounds recursion; this is a second guard for the tree walk and
/// for evaluation paths that do not count (none today, but cheap insurance).
const MAX_DEPTH: u32 = 12;
/// Tree walk caps, so a hostile record cannot make the checker issue unbounded queries.
const MAX_TREE_NODES: usize = 64;
const MAX_TREE_QUERIES: usize = 256;

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

/// Whether `text` is an SPF record at all: `v=spf1` followed by a space or the end (§4.5).
pub fn is_spf_record(text: &str) -> bool {
    let Some(version) = text.get(..6) else {
        return false;
    };
    version.eq_ignore_ascii_case("v=spf1") && matches!(text.as_bytes().get(6), None | Some(b' '))
}

/// §4.5: the one SPF record among a name's TXT records. `Ok(None)` when there is none;
/// more than one is a permerror.
pub fn select(records: &[String]) -> Result<Option<String>, Finding> {
    let mut spf = records.iter().filter(|r| is_spf_record(r));
    let first = spf.next();
    let others = spf.count();
    if others > 0 {
        return Err(Finding::error(
            "spf_multiple_records",
            "RFC 7208 §4.5",
            format!(
                "{} SPF records are published; receivers return permerror: merge them into one",
                others + 1
            ),
        ));
    }
    Ok(first.cloned())
}

fn syntax(position: usize, term: &str, why: impl std::fmt::Display) -> Finding {
    Finding::error(
        "spf_syntax",
        "RFC 7208 §4.6",
        format!("syntax error at byte {position} in '{term}': {why}; receivers return permerror"),
    )
}

/// Parses and lints one SPF record (§4.6, §5, §6, §7.1, §12).
pub fn parse(text: &str) -> Parsed<SpfRecord> {
    let mut findings = Vec::new();
    if !is_spf_record(text) {
        findings.push(Finding::error(
            "spf_syntax",
            "RFC 7208 §4.5",
            "the record does not start with 'v=spf1' followed by a space or its end",
        ));
        return Parsed {
            record: None,
            findings,
        };
    }
    let mut record = SpfRecord {
        directives: Vec::new(),
        redirect: None,
        exp: None,
        unknown_modifiers: Vec::new(),
    };
    let mut redirect_at: Option<usize> = None;
    let mut syntax_ok = true;
    // Terms are separated by SP only (§4.6.1); any other whitespace falls into a term and
    // fails its grammar there.
    let mut offset = 6usize;
    let rest = text.get(6..).unwrap_or("");
    for piece in rest.split(' ') {
        let position = offset;
        offset = offset.saturating_add(piece.len()).saturating_add(1);
        if piece.is_empty() {
            continue;
        }
        match parse_term(piece, position) {
            Ok(Term::Directive(d)) => record.directives.push(d),
            Ok(Term::Redirect(spec)) => {
                if record.redirect.is_some() {
                    syntax_ok = false;
                    findings.push(Finding::error(
                        "spf_duplicate_modifier",
                        "RFC 7208 §6",
                        format!("'redirect' appears twice (again at byte {position}); receivers return permerror"),
                    ));
                } else {
                    record.redirect = Some(spec);
                    redirect_at = Some(position);
                }
            }
            Ok(Term::Exp(spec)) => {
                if record.exp.is_some() {
                    syntax_ok = false;
                    findings.push(Finding::error(
                        "spf_duplicate_modifier",
                        "RFC 7208 §6",
                        format!("'exp' appears twice (again at byte {position}); receivers return permerror"),
                    ));
                } else {
                    record.exp = Some(spec);
                }
            }
            Ok(Term::Unknown(m)) => {
                findings.push(Finding::info(
                    "spf_unknown_modifier",
                    "RFC 7208 §6",
                    format!(
                        "unknown modifier '{}' at byte {} is ignored by receivers",
                        m.name, m.position
                    ),
                ));
                record.unknown_modifiers.push(m);
            }
            Err(why) => {
                syntax_ok = false;
                findings.push(syntax(position, piece, why));
            }
        }
    }
    if !syntax_ok {
        return Parsed {
            record: None,
            findings,
        };
    }
    lint(text, &record, redirect_at, &mut findings);
    Parsed {
        record: Some(record),
        findings,
    }
}

fn lint(text: &str, record: &SpfRecord, redirect_at: Option<usize>, findings: &mut Vec<Finding>) {
    if text.len() > RECOMMENDED_MAX_LEN {
        findings.push(Finding::warning(
            "spf_record_too_long",
            "RFC 7208 §3.4",
            format!(
                "the record is {} bytes; above {RECOMMENDED_MAX_LEN} the DNS answer may not fit in 512 bytes of UDP",
                text.len()
            ),
        ));
    }
    for d in &record.directives {
        if matches!(d.mechanism, Mechanism::Ptr { .. }) {
            findings.push(Finding::warning(
                "spf_ptr_mechanism",
                "RFC 7208 §5.5",
                format!(
                    "'{}' at byte {}: the ptr mechanism is slow, unreliable and SHOULD NOT be used; list the addresses with ip4/ip6 instead",
                    d.text, d.position
                ),
            ));
        }
    }
    let first_all = record
        .directives
        .iter()
        .position(|d| d.mechanism == Mechanism::All);
    match first_all.and_then(|i| record.directives.get(i)) {
        Some(all) => {
            match all.qualifier {
                Qualifier::Pass => findings.push(Finding::error(
                    "spf_pass_all",
                    "RFC 7208 §5.1",
                    format!(
                        "'{}' authorizes every host on the internet to send for this domain",
                        all.text
                    ),
                )),
                Qualifier::Neutral => findings.push(Finding::warning(
                    "spf_neutral_all",
                    "RFC 7208 §5.1",
                    format!(
                        "'{}' asserts nothing about other hosts; use '~all' or '-all'",
                        all.text
                    ),
                )),
                Qualifier::Fail | Qualifier::Softfail => {}
            }
            let after = record
                .directives
                .iter()
                .skip(first_all.unwrap_or(0).saturating_add(1))
                .map(|d| d.text.as_str())
                .collect::<Vec<_>>();
            if !after.is_empty() {
                findings.push(Finding::warning(
                    "spf_terms_after_all",
                    "RFC 7208 §5.1",
                    format!(
                        "mechanisms after '{}' are never evaluated: {}",
                        all.text,
                        after.join(" ")
                    ),
                ));
            }
            if let Some(at) = redirect_at {
                findings.push(Finding::warning(
                    "spf_redirect_ignored",
                    "RFC 7208 §6.1",
                    format!(
                        "'redirect' at byte {at} is ignored because the record has an 'all' mechanism"
                    ),
                ));
            }
        }
        None if record.redirect.is_none() => findings.push(Finding::info(
            "spf_no_all",
            "RFC 7208 §4.7",
            "no 'all' mechanism and no 'redirect': hosts not listed get the default result neutral",
        )),
        None => {}
    }
    let terms = record.dns_terms();
    if terms > MAX_DNS_LOOKUPS {
        findings.push(Finding::error(
            "spf_too_many_lookups",
            "RFC 7208 §4.6.4",
            format!(
                "the record itself has {terms} DNS-querying terms (include, a, mx, ptr, exists, redirect); more than {MAX_DNS_LOOKUPS} makes receivers return permerror"
            ),
        ));
    }
}

enum Term {
    Directive(Directive),
    Redirect(String),
    Exp(String),
    Unknown(UnknownModifier),
}

fn is_modifier_name(name: &str) -> bool {
    let mut bytes = name.bytes();
    matches!(bytes.next(), Some(b) if b.is_ascii_alphabetic())
        && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

fn parse_term(term: &str, position: usize) -> Result<Term, String> {
    let (qualifier, body, explicit) = match term.as_bytes().first() {
        Some(b'+') => (Qualifier::Pass, term.get(1..).unwrap_or(""), true),
        Some(b'-') => (Qualifier::Fail, term.get(1..).unwrap_or(""), true),
        Some(b'~') => (Qualifier::Softfail, term.get(1..).unwrap_or(""), true),
        Some(b'?') => (Qualifier::Neutral, term.get(1..).unwrap_or(""), true),
        _ => (Qualifier::Pass, term, false),
    };
    let split = body.find([':', '/', '=']);
    let (name, rest) = match split {
        Some(i) => (body.get(..i).unwrap_or(""), body.get(i..).unwrap_or("")),
        None => (body, ""),
    };
    if let Some(value) = rest.strip_prefix('=') {
        if explicit {
            return Err("a modifier cannot have a qualifier".into());
        }
        if !is_modifier_name(name) {
            return Err(format!("'{name}' is not a valid modifier name"));
        }
        if name.eq_ignore_ascii_case("redirect") || name.eq_ignore_ascii_case("exp") {
            domain_spec(value)?;
            return Ok(if name.eq_ignore_ascii_case("redirect") {
                Term::Redirect(value.to_string())
            } else {
                Term::Exp(value.to_string())
            });
        }
        macro_tokens(value, false, true).map_err(|e| format!("modifier value: {e}"))?;
        return Ok(Term::Unknown(UnknownModifier {
            name: name.to_string(),
            value: value.to_string(),
            position,
        }));
    }
    let lname = name.to_ascii_lowercase();
    let mechanism = match lname.as_str() {
        "all" => {
            if !rest.is_empty() {
                return Err("'all' takes no argument".into());
            }
            Mechanism::All
        }
        "include" | "exists" => {
            let Some(spec) = rest.strip_prefix(':') else {
                return Err(format!("'{lname}' needs ':' and a domain"));
            };
            domain_spec(spec)?;
            if lname == "include" {
                Mechanism::Include {
                    domain: spec.to_string(),
                }
            } else {
                Mechanism::Exists {
                    domain: spec.to_string(),
                }
            }
        }
        "a" | "mx" => {
            let (domain, cidr) = match rest.strip_prefix(':') {
                Some(after) => {
                    let (spec, cidr) = split_cidr(after);
                    domain_spec(spec)?;
                    (Some(spec.to_string()), cidr)
                }
                None => (None, rest),
            };
            let (ip4_cidr, ip6_cidr) = dual_cidr(cidr)?;
            if lname == "a" {
                Mechanism::A {
                    domain,
                    ip4_cidr,
                    ip6_cidr,
                }
            } else {
                Mechanism::Mx {
                    domain,
                    ip4_cidr,
                    ip6_cidr,
                }
            }
        }
        "ptr" => {
            let domain = match rest.strip_prefix(':') {
                Some(spec) => {
                    domain_spec(spec)?;
                    Some(spec.to_string())
                }
                None if rest.is_empty() => None,
                None => return Err("'ptr' takes only ':' and a domain".into()),
            };
            Mechanism::Ptr { domain }
        }
        "ip4" => {
            let Some(arg) = rest.strip_prefix(':') else {
                return Err("'ip4' needs ':' and an address".into());
            };
            let (addr, len) = match arg.split_once('/') {
                Some((addr, len)) => (addr, Some(cidr_len(len, 32)?)),
                None => (arg, None),
            };
            let ip = parse_ip4(addr)
                .ok_or_else(|| format!("'{addr}' is not a dotted-quad IPv4 address"))?;
            Mechanism::Ip4 {
                network: format!("{ip}/{}", len.unwrap_or(32)),
            }
        }
        "ip6" => {
            let Some(arg) = rest.strip_prefix(':') else {
                return Err("'ip6' needs ':' and an address".into());
            };
            let (addr, len) = match arg.split_once('/') {
                Some((addr, len)) => (addr, Some(cidr_len(len, 128)?)),
                None => (arg, None),
            };
            let ip: Ipv6Addr = addr
                .parse()
                .map_err(|_| format!("'{addr}' is not an IPv6 address"))?;
            Mechanism::Ip6 {
                network: format!("{ip}/{}", len.unwrap_or(128)),
            }
        }
        "" => return Err("empty mechanism".into()),
        _ => return Err(format!("unknown mechanism '{name}'")),
    };
    Ok(Term::Directive(Directive {
        qualifier,
        mechanism,
        text: term.to_string(),
        position,
    }))
}

/// Splits `domain-spec [dual-cidr-length]` (§5.3, §5.4). The cidr is a `/N`, `//N` or
/// `/N//N` of digits that ends the term; any other `/` belongs to the domain-spec, whose
/// macro-literals may hold any visible character (§7.1): `a:foo:bar/baz.example.com` has no
/// cidr, `a:example.com/24` has one. (A domain-spec cannot end in `/digits`: it ends in a
/// toplabel or a `}`.)
fn split_cidr(s: &str) -> (&str, &str) {
    let b = s.as_bytes();
    let digits_from = |end: usize| -> usize {
        let mut i = end;
        while i > 0 && b.get(i - 1).is_some_and(u8::is_ascii_digit) {
            i -= 1;
        }
        i
    };
    let slash_at = |i: usize| i > 0 && b.get(i - 1) == Some(&b'/');
    let last = digits_from(b.len());
    if last == b.len() || !slash_at(last) {
        return (s, "");
    }
    let mut start = last - 1;
    if slash_at(start) {
        // `//N`: an IPv6 length, maybe after an IPv4 one (`/M//N`).
        start -= 1;
        let v4 = digits_from(start);
        if v4 < start && slash_at(v4) && !slash_at(v4 - 1) {
            start = v4 - 1;
        }
    }
    (s.get(..start).unwrap_or(""), s.get(start..).unwrap_or(""))
}

/// A cidr length: `"0"` or digits without a leading zero, at most `max` (§12).
pub(crate) fn cidr_len(s: &str, max: u8) -> Result<u8, String> {
    let digits_ok = !s.is_empty()
        && s.len() <= 3
        && s.bytes().all(|b| b.is_ascii_digit())
        && (s == "0" || !s.starts_with('0'));
    let value: Option<u8> = if digits_ok { s.parse().ok() } else { None };
    match value {
        Some(v) if v <= max => Ok(v),
        _ => Err(format!("'/{s}' is not a prefix length between 0 and {max}")),
    }
}

fn dual_cidr(s: &str) -> Result<(Option<u8>, Option<u8>), String> {
    if s.is_empty() {
        return Ok((None, None));
    }
    if let Some(v6) = s.strip_prefix("//") {
        return Ok((None, Some(cidr_len(v6, 128)?)));
    }
    let Some(rest) = s.strip_prefix('/') else {
        return Err(format!("unexpected '{s}'"));
    };
    match rest.split_once("//") {
        Some((v4, v6)) => Ok((Some(cidr_len(v4, 32)?), Some(cidr_len(v6, 128)?))),
        None => Ok((Some(cidr_len(rest, 32)?), None)),
    }
}

/// A strict dotted quad: four decimal numbers 0-255 without leading zeros (§12 `qnum`).
pub(crate) fn parse_ip4(s: &str) -> Option<Ipv4Addr> {
    let parts: Vec<&str> = s.split('.').collect();
    if parts.len() != 4 {
        return None;
    }
    let mut octets = [0u8; 4];
    for (slot, part) in octets.iter_mut().zip(parts) {
        let ok = !part.is_empty()
            && part.len() <= 3
            && part.bytes().all(|b| b.is_ascii_digit())
            && (part == "0" || !part.starts_with('0'));
        if !ok {
            return None;
        }
        *slot = part.parse().ok()?;
    }
    Some(Ipv4Addr::from(octets))
}

pub(crate) fn is_toplabel(label: &str) -> bool {
    let b = label.as_bytes();
    let (Some(first), Some(last)) = (b.first(), b.last()) else {
        return false;
    };
    if !first.is_ascii_alphanumeric() || !last.is_ascii_alphanumeric() {
        return false;
    }
    if !b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-') {
        return false;
    }
    // Without a hyphen a toplabel needs a letter, so an IP address is not a domain.
    b.contains(&b'-') || b.iter().any(u8::is_ascii_alphabetic)
}

/// Checks a domain-spec: a macro-string (no `c`, `r`, `t`) that ends in `.toplabel[.]` or a
/// macro-expand (§7.1).
fn domain_spec(spec: &str) -> Result<(), String> {
    if spec.is_empty() {
        return Err("empty domain".into());
    }
    let tokens = macro_tokens(spec, false, false)?;
    match tokens.last() {
        Some(MacroToken::Literal(lit)) => {
            let lit = lit.strip_suffix('.').unwrap_or(lit);
            match lit.rsplit_once('.') {
                Some((_, top)) if is_toplabel(top) => Ok(()),
                _ => Err(format!(
                    "'{spec}' does not end in a top-level label or a macro"
                )),
            }
        }
        Some(_) => Ok(()),
        None => Err("empty domain".into()),
    }
}

// ---------------------------------------------------------------------------------------
// Macros (§7)
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq)]
enum MacroToken {
    Literal(String),
    Expand {
        letter: u8,
        upper: bool,
        digits: Option<usize>,
        reverse: bool,
        delimiters: Vec<u8>,
    },
    /// `%%`, `%_`, `%-`: literal text produced by an escape.
    Escape(&'static str),
}

fn macro_tokens(s: &str, allow_space: bool, allow_crt: bool) -> Result<Vec<MacroToken>, String> {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut literal = String::new();
    let mut i = 0usize;
    while let Some(&b) = bytes.get(i) {
        if b != b'%' {
            let ok = (0x21..=0x7e).contains(&b) || (allow_space && b == b' ');
            if !ok {
                return Err(format!(
                    "byte {i} of '{s}' is not allowed in a macro-string"
                ));
            }
            literal.push(char::from(b));
            i += 1;
            continue;
        }
        let escape = match bytes.get(i + 1) {
            Some(b'%') => Some("%"),
            Some(b'_') => Some(" "),
            Some(b'-') => Some("%20"),
            Some(b'{') => None,
            _ => {
                return Err(format!(
                    "stray '%' at byte {i} of '{s}' (write '%%' for a percent sign)"
                ));
            }
        };
        if !literal.is_empty() {
            out.push(MacroToken::Literal(std::mem::take(&mut literal)));
        }
        if let Some(text) = escape {
            out.push(MacroToken::Escape(text));
            i += 2;
            continue;
        }
        let start = i;
        i += 2;
        let letter = *bytes
            .get(i)
            .ok_or_else(|| format!("unterminated macro at byte {start} of '{s}'"))?;
        let lower = letter.to_ascii_lowercase();
        if !b"slodiphcrtv".contains(&lower) {
            return Err(format!(
                "unknown macro letter '{}' at byte {i} of '{s}'",
                char::from(letter)
            ));
        }
        if !allow_crt && b"crt".contains(&lower) {
            return Err(format!(
                "macro letter '{}' is only allowed in explanation text",
                char::from(letter)
            ));
        }
        i += 1;
        let mut digits: Option<usize> = None;
        while let Some(d) = bytes.get(i).filter(|d| d.is_ascii_digit()) {
            let value = digits
                .unwrap_or(0)
                .saturating_mul(10)
                .saturating_add(usize::from(d - b'0'));
            digits = Some(value);
            i += 1;
        }
        if digits == Some(0) {
            return Err(format!("macro at byte {start} of '{s}' keeps zero labels"));
        }
        let reverse = matches!(bytes.get(i), Some(b'r' | b'R'));
        if reverse {
            i += 1;
        }
        let mut delimiters = Vec::new();
        while let Some(&d) = bytes.get(i).filter(|d| b".-+,/_=".contains(d)) {
            delimiters.push(d);
            i += 1;
        }
        if bytes.get(i) != Some(&b'}') {
            return Err(format!("malformed macro at byte {start} of '{s}'"));
        }
        i += 1;
        out.push(MacroToken::Expand {
            letter: lower,
            upper: letter.is_ascii_uppercase(),
            digits,
            reverse,
            delimiters,
        });
    }
    if !literal.is_empty() {
        out.push(MacroToken::Literal(literal));
    }
    Ok(out)
}

/// The values macros expand to (§7.2).
#[derive(Debug, Clone)]
struct MacroVars {
    sender: String,
    local: String,
    sender_domain: String,
    domain: String,
    ip: IpAddr,
    helo: String,
    /// The validated PTR name, looked up only when a macro needs it.
    validated: Option<String>,
    receiver: String,
    now: i64,
}

fn dotted_nibbles(ip: Ipv6Addr) -> String {
    let mut out = String::with_capacity(63);
    for byte in ip.octets() {
        for nibble in [byte >> 4, byte & 0x0f] {
            if !out.is_empty() {
                out.push('.');
            }
            out.push(char::from_digit(u32::from(nibble), 16).unwrap_or('0'));
        }
    }
    out
}

fn url_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn expand_tokens(tokens: &[MacroToken], vars: &MacroVars) -> String {
    let mut out = String::new();
    for token in tokens {
        match token {
            MacroToken::Literal(text) => out.push_str(text),
            MacroToken::Escape(text) => out.push_str(text),
            MacroToken::Expand {
                letter,
                upper,
                digits,
                reverse,
                delimiters,
            } => {
                let value = match letter {
                    b's' => vars.sender.clone(),
                    b'l' => vars.local.clone(),
                    b'o' => vars.sender_domain.clone(),
                    b'd' => vars.domain.clone(),
                    b'i' => match vars.ip {
                        IpAddr::V4(v4) => v4.to_string(),
                        IpAddr::V6(v6) => dotted_nibbles(v6),
                    },
                    b'p' => vars
                        .validated
                        .clone()
                        .unwrap_or_else(|| "unknown".to_string()),
                    b'v' => match vars.ip {
                        IpAddr::V4(_) => "in-addr".to_string(),
                        IpAddr::V6(_) => "ip6".to_string(),
                    },
                    b'h' => vars.helo.clone(),
                    b'c' => vars.ip.to_string(),
                    b'r' => vars.receiver.clone(),
                    b't' => vars.now.to_string(),
                    _ => String::new(),
                };
                let delims: &[u8] = if delimiters.is_empty() {
                    b"."
                } else {
                    delimiters
                };
                let mut parts: Vec<&str> = value
                    .split(|c: char| c.is_ascii() && delims.contains(&(c as u8)))
                    .collect();
                if *reverse {
                    parts.reverse();
                }
                if let Some(n) = digits {
                    let skip = parts.len().saturating_sub(*n);
                    parts.drain(..skip);
                }
                let joined = parts.join(".");
                if *upper {
                    out.push_str(&url_escape(&joined));
                } else {
                    out.push_str(&joined);
                }
            }
        }
    }
    out
}

fn needs_ptr(tokens: &[MacroToken]) -> bool {
    tokens
        .iter()
        .any(|t| matches!(t, MacroToken::Expand { letter: b'p', .. }))
}

/// §7.3: an expanded name longer than 253 bytes loses labels on the left until it fits.
fn truncate_domain(name: &str) -> String {
    let mut name = name.trim_end_matches('.');
    while name.len() > 253 {
        match name.split_once('.') {
            Some((_, rest)) => name = rest,
            None => return String::new(),
        }
    }
    name.to_string()
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

type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

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
/// ([`super::resolver::is_query_name`]: labels of 1-63 visible characters other than `"`,
/// `\`, `[`, `]`, 253 bytes at most). Anything else — spaces, quotes, a domain literal such
/// as `[192.0.2.1]`, an empty or long label, a single label — is malformed, and check_host
/// returns "none" without a lookup.
fn is_valid_domain(domain: &str) -> bool {
    let bare = domain.strip_suffix('.').unwrap_or(domain);
    bare.contains('.') && super::resolver::is_query_name(bare)
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

pub(crate) fn normalize(name: &str) -> String {
    name.trim_end_matches('.').to_ascii_lowercase()
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

    async fn expand_domain(&mut self, spec: &str, domain: &str) -> Result<String, String> {
        let tokens = macro_tokens(spec, false, false)?;
        let mut vars = self.vars(domain);
        if needs_ptr(&tokens) {
            vars.validated = self.validated_name(domain).await;
        }
        let name = truncate_domain(&expand_tokens(&tokens, &vars));
        if name.is_empty() {
            return Err(format!("'{spec}' expands to an empty name"));
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

// ---------------------------------------------------------------------------------------
// Include tree (for the checker)
// ---------------------------------------------------------------------------------------

/// One record in the include/redirect tree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SpfNode {
    pub domain: String,
    /// How the parent reached it: `include` or `redirect`; `None` for the root.
    pub via: Option<String>,
    /// The SPF record text, or `None` when there is none (or it could not be fetched).
    pub record: Option<String>,
    /// DNS-querying terms in this record (§4.6.4).
    pub lookups_here: u32,
    /// This record's terms plus those of every record below it.
    pub lookups_total: u32,
    /// Void lookups this record's own terms cause, as far as known without a client IP.
    pub void_lookups: u32,
    #[schema(no_recursion)]
    pub children: Vec<SpfNode>,
    /// Findings about this record alone.
    pub findings: Vec<Finding>,
}

/// A domain's SPF record with everything it includes or redirects to, resolved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SpfTree {
    pub root: SpfNode,
    /// DNS-querying terms an evaluation that reaches every term performs.
    pub lookups_total: u32,
    pub void_lookups_total: u32,
    /// Whether the walk stopped early (too deep, too many records or queries).
    pub truncated: bool,
    /// Every finding of every node (nested ones prefixed with their domain), plus the
    /// limits checked over the whole tree.
    pub findings: Vec<Finding>,
}

/// How a node's lookup went, for the parent's findings.
#[derive(Debug, Clone, Copy, PartialEq)]
enum NodeStatus {
    Record,
    /// No SPF record; `void`: the TXT lookup itself was NXDOMAIN/NODATA.
    NoRecord {
        void: bool,
    },
    Failed,
    Broken,
}

struct TreeWalk<'a> {
    resolver: &'a Resolver,
    nodes: usize,
    queries: usize,
    truncated: bool,
}

fn has_macro(spec: &str) -> bool {
    spec.contains('%')
}

impl<'a> TreeWalk<'a> {
    fn budget(&mut self) -> bool {
        if self.queries >= MAX_TREE_QUERIES {
            self.truncated = true;
            return false;
        }
        self.queries += 1;
        true
    }

    /// Whether a literal name is void for addresses: no A and no AAAA record.
    async fn void_addresses(&mut self, name: &str) -> bool {
        if !self.budget() {
            return false;
        }
        match self.resolver.a(name).await {
            Err(e) if e.is_void() => {}
            _ => return false,
        }
        if !self.budget() {
            return false;
        }
        matches!(self.resolver.aaaa(name).await, Err(e) if e.is_void())
    }

    /// What can be known about an `a`, `mx` or `exists` term without a client IP: a literal
    /// target without records (a void lookup for every receiver), or too many MX names.
    async fn static_check(&mut self, d: &Directive, domain: &str) -> Option<Finding> {
        let void = |what: &str| {
            Finding::warning(
                "spf_void_target",
                "RFC 7208 §4.6.4",
                format!("'{}': {what} (a void lookup)", d.text),
            )
        };
        if let Mechanism::A {
            domain: Some(spec), ..
        }
        | Mechanism::Mx {
            domain: Some(spec), ..
        }
        | Mechanism::Exists { domain: spec } = &d.mechanism
            && !has_macro(spec)
            && !super::resolver::is_query_name(spec)
        {
            return Some(Finding::warning(
                "spf_unqueryable_target",
                "RFC 7208 §4.3",
                format!(
                    "'{}': '{spec}' is not a name a DNS query can carry, so the term never matches",
                    d.text
                ),
            ));
        }
        match &d.mechanism {
            Mechanism::A { domain: spec, .. } => {
                let name = normalize(spec.as_deref().unwrap_or(domain));
                if has_macro(&name) || !self.void_addresses(&name).await {
                    return None;
                }
                Some(void(&format!("{name} has no A or AAAA record")))
            }
            Mechanism::Mx { domain: spec, .. } => {
                let name = normalize(spec.as_deref().unwrap_or(domain));
                if has_macro(&name) || !self.budget() {
                    return None;
                }
                match self.resolver.mx(&name).await {
                    Err(e) if e.is_void() => Some(void(&format!("{name} has no MX record"))),
                    Ok(hosts) if hosts.len() > MAX_MX_NAMES => Some(Finding::error(
                        "spf_mx_too_many",
                        "RFC 7208 §4.6.4",
                        format!(
                            "'{}': {name} has {} MX names; more than {MAX_MX_NAMES} makes receivers return permerror",
                            d.text,
                            hosts.len()
                        ),
                    )),
                    _ => None,
                }
            }
            Mechanism::Exists { domain: spec } => {
                if has_macro(spec) || !self.budget() {
                    return None;
                }
                let name = normalize(spec);
                match self.resolver.a(&name).await {
                    Err(e) if e.is_void() => Some(void(&format!("{name} has no A record"))),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    fn node(
        &mut self,
        domain: String,
        via: Option<&'static str>,
        path: Vec<String>,
    ) -> BoxFuture<'_, (SpfNode, NodeStatus)> {
        Box::pin(async move {
            let mut node = SpfNode {
                domain: domain.clone(),
                via: via.map(str::to_string),
                record: None,
                lookups_here: 0,
                lookups_total: 0,
                void_lookups: 0,
                children: Vec::new(),
                findings: Vec::new(),
            };
            self.nodes += 1;
            if !is_valid_domain(&domain) {
                node.findings.push(Finding::error(
                    "spf_invalid_domain",
                    "RFC 7208 §4.3",
                    format!("'{domain}' is not a valid domain name"),
                ));
                return (node, NodeStatus::NoRecord { void: false });
            }
            self.queries += 1;
            let texts = match self.resolver.txt(&domain).await {
                Ok(records) => records.iter().map(|r| r.text()).collect::<Vec<_>>(),
                Err(e) if e.is_void() => return (node, NodeStatus::NoRecord { void: true }),
                Err(e) => {
                    node.findings.push(Finding::warning(
                        "spf_lookup_failed",
                        "RFC 7208 §4.4",
                        format!("{e}; receivers would return temperror"),
                    ));
                    return (node, NodeStatus::Failed);
                }
            };
            let text = match select(&texts) {
                Ok(Some(text)) => text,
                Ok(None) => return (node, NodeStatus::NoRecord { void: false }),
                Err(finding) => {
                    node.findings.push(finding);
                    return (node, NodeStatus::Broken);
                }
            };
            node.record = Some(text.clone());
            let parsed = parse(&text);
            node.findings.extend(parsed.findings);
            let Some(record) = parsed.record else {
                return (node, NodeStatus::Broken);
            };
            node.lookups_here = record.dns_terms();
            let mut path = path;
            path.push(domain.clone());
            let mut targets: Vec<(&'static str, String)> = Vec::new();
            for d in &record.directives {
                if let Mechanism::Include { domain: spec } = &d.mechanism {
                    targets.push(("include", spec.clone()));
                } else if let Some(finding) = self.static_check(d, &domain).await {
                    if finding.code == "spf_void_target" {
                        node.void_lookups += 1;
                    }
                    node.findings.push(finding);
                }
            }
            if let (Some(spec), false) = (&record.redirect, record.has_all()) {
                targets.push(("redirect", spec.clone()));
            }
            for (kind, spec) in targets {
                if has_macro(&spec) {
                    node.findings.push(Finding::info(
                        "spf_macro_target",
                        "RFC 7208 §7",
                        format!("{kind} target '{spec}' uses macros; it depends on the message and is not followed"),
                    ));
                    continue;
                }
                let target = normalize(&spec);
                if path.contains(&target) {
                    node.findings.push(Finding::error(
                        "spf_loop",
                        "RFC 7208 §4.6.4",
                        format!("{kind}:{target} leads back to a record already being evaluated; receivers exhaust the lookup limit and return permerror"),
                    ));
                    continue;
                }
                if path.len() >= MAX_DEPTH as usize || self.nodes >= MAX_TREE_NODES {
                    self.truncated = true;
                    continue;
                }
                let (child, status) = self.node(target.clone(), Some(kind), path.clone()).await;
                match (status, kind) {
                    (NodeStatus::NoRecord { void }, "include") => {
                        node.void_lookups += u32::from(void);
                        node.findings.push(Finding::error(
                            "spf_include_no_record",
                            "RFC 7208 §5.2",
                            format!("include:{target} has no SPF record; receivers return permerror when they reach it"),
                        ));
                    }
                    (NodeStatus::NoRecord { void }, _) => {
                        node.void_lookups += u32::from(void);
                        node.findings.push(Finding::error(
                            "spf_redirect_no_record",
                            "RFC 7208 §6.1",
                            format!(
                                "redirect={target} has no SPF record; receivers return permerror"
                            ),
                        ));
                    }
                    _ => {}
                }
                node.children.push(child);
            }
            node.lookups_total = node.children.iter().fold(node.lookups_here, |acc, c| {
                acc.saturating_add(c.lookups_total)
            });
            (node, NodeStatus::Record)
        })
    }
}

fn collect_findings(node: &SpfNode, nested: bool, out: &mut Vec<Finding>) {
    for f in &node.findings {
        let mut f = f.clone();
        if nested {
            f.message = format!("{}: {}", node.domain, f.message);
        }
        out.push(f);
    }
    for c in &node.children {
        collect_findings(c, true, out);
    }
}

fn sum_voids(node: &SpfNode) -> u32 {
    node.children
        .iter()
        .fold(node.void_lookups, |acc, c| acc.saturating_add(sum_voids(c)))
}

/// Resolves `domain`'s SPF record and every include/redirect target below it, with lookup
/// counts and findings (§4.6.4, §5.2, §6.1).
pub async fn resolve_tree(resolver: &Resolver, domain: &str) -> SpfTree {
    let mut walk = TreeWalk {
        resolver,
        nodes: 0,
        queries: 0,
        truncated: false,
    };
    let (root, status) = walk.node(normalize(domain), None, Vec::new()).await;
    let mut findings = Vec::new();
    if let NodeStatus::NoRecord { .. } = status {
        findings.push(Finding::warning(
            "spf_no_record",
            "RFC 7208 §4.5",
            format!(
                "{} publishes no SPF record; receivers get the result none",
                root.domain
            ),
        ));
    }
    collect_findings(&root, false, &mut findings);
    let lookups_total = root.lookups_total;
    let void_lookups_total = sum_voids(&root);
    if lookups_total > MAX_DNS_LOOKUPS {
        findings.push(Finding::error(
            "spf_too_many_lookups",
            "RFC 7208 §4.6.4",
            format!("evaluating the record takes {lookups_total} DNS-querying terms including nested includes and redirects; more than {MAX_DNS_LOOKUPS} makes receivers return permerror"),
        ));
    }
    if void_lookups_total > MAX_VOID_LOOKUPS {
        findings.push(Finding::error(
            "spf_void_lookups",
            "RFC 7208 §4.6.4",
            format!("{void_lookups_total} terms point at names without records; more than {MAX_VOID_LOOKUPS} void lookups makes receivers return permerror"),
        ));
    }
    if walk.truncated {
        findings.push(Finding::warning(
            "spf_tree_truncated",
            "RFC 7208 §4.6.4",
            "the include tree is too deep or too large to resolve completely; counts are lower bounds",
        ));
    }
    SpfTree {
        root,
        lookups_total,
        void_lookups_total,
        truncated: walk.truncated,
        findings,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::dns::StaticZone;
    use proptest::prelude::*;

    use crate::dns::block_on as block;

    /// A zone from `|`-separated lines: `TXT name text`, `IP name addr`, `MX name pref host`,
    /// `PTR addr name`, `SERVFAIL name`, `TIMEOUT name`.
    fn zone(spec: &str) -> StaticZone {
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

    fn eval(zone_spec: &str, ip: &str, sender: &str, helo: Option<&str>) -> Evaluation {
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

    const U: &str = "user@example.com";
    const IP: &str = "192.0.2.10";
    const OTHER: &str = "198.51.100.1";
    const V6: &str = "2001:db8::1";

    fn hosts(prefix: &str, n: usize, addr: &str) -> String {
        (1..=n)
            .map(|i| format!("IP {prefix}{i}.example.com {addr}"))
            .collect::<Vec<_>>()
            .join("|")
    }

    fn terms(kind: &str, prefix: &str, n: usize) -> String {
        (1..=n)
            .map(|i| format!("{kind}:{prefix}{i}.example.com"))
            .collect::<Vec<_>>()
            .join(" ")
    }

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

    fn codes(findings: &[Finding]) -> Vec<&str> {
        findings.iter().map(|f| f.code.as_str()).collect()
    }

    fn syntax_messages(text: &str) -> Vec<String> {
        let parsed = parse(text);
        assert!(parsed.record.is_none(), "{text} should not parse");
        parsed
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .map(|f| f.message.clone())
            .collect()
    }

    #[test]
    fn directives_keep_their_byte_positions_and_arguments() {
        let parsed = parse("v=spf1 a mx:example.org/24//64  ~ip6:2001:DB8::/32 -all");
        let record = parsed.record.unwrap();
        let positions: Vec<usize> = record.directives.iter().map(|d| d.position).collect();
        assert_eq!(positions, vec![7, 9, 32, 51]);
        assert_eq!(
            record.directives[1].mechanism,
            Mechanism::Mx {
                domain: Some("example.org".into()),
                ip4_cidr: Some(24),
                ip6_cidr: Some(64)
            }
        );
        assert_eq!(
            record.directives[2].mechanism,
            Mechanism::Ip6 {
                network: "2001:db8::/32".into()
            }
        );
        assert_eq!(record.directives[2].qualifier, Qualifier::Softfail);
        assert_eq!(record.directives[3].text, "-all");
        assert!(!has_errors_in(&parsed.findings));
    }

    fn has_errors_in(findings: &[Finding]) -> bool {
        crate::dns::has_errors(findings)
    }

    #[test]
    fn a_syntax_error_names_the_byte_position_and_the_term() {
        let messages = syntax_messages("v=spf1 ip4:192.0.2.0/24 ip4:192.0.2.300 -all");
        assert_eq!(messages.len(), 1);
        assert!(messages[0].contains("byte 24"), "{}", messages[0]);
        assert!(messages[0].contains("'ip4:192.0.2.300'"), "{}", messages[0]);
        let parsed = parse("v=spf1 ip4:192.0.2.300");
        assert_eq!(codes(&parsed.findings), vec!["spf_syntax"]);
    }

    #[test]
    fn every_malformed_term_is_a_syntax_error() {
        for bad in [
            "v=spf1 ip4:192.0.2.01",
            "v=spf1 ip4:192.0.2.0/33",
            "v=spf1 ip4:192.0.2.0/024",
            "v=spf1 ip4:2001:db8::1",
            "v=spf1 ip6:2001:db8::/129",
            "v=spf1 ip6:192.0.2.1",
            "v=spf1 ip6",
            "v=spf1 a/33",
            "v=spf1 a//129",
            "v=spf1 a/24/64",
            "v=spf1 mx:",
            "v=spf1 a:example",
            "v=spf1 a:192.0.2.1",
            "v=spf1 include",
            "v=spf1 include:",
            "v=spf1 exists",
            "v=spf1 all:example.com",
            "v=spf1 ptr/24",
            "v=spf1 foo",
            "v=spf1 +",
            "v=spf1 -redirect=example.com",
            "v=spf1 redirect=",
            "v=spf1 1x=y",
            "v=spf1 exists:%{x}.example.com",
            "v=spf1 exists:%{d0}.example.com",
            "v=spf1 exists:%{d.example.com",
            "v=spf1 exists:%.example.com",
            "v=spf1 exists:50%.example.com",
            "v=spf1 exists:%{c}.example.com",
            "v=spf1 exists:%{r}.example.com",
            "v=spf1 exists:%{d}com",
            "v=spf1 include:exämple.com",
            "v=spf1\t-all",
            "v=spf1 -all\t",
            "v=spf1 redirect=a.example redirect=b.example",
            "v=spf1 exp=a.example exp=b.example",
        ] {
            let parsed = parse(bad);
            assert!(parsed.record.is_none(), "{bad} parsed");
            assert!(
                has_errors_in(&parsed.findings),
                "{bad} has no error finding"
            );
        }
    }

    #[test]
    fn every_valid_form_of_the_grammar_parses() {
        for good in [
            "v=spf1",
            "v=spf1 ",
            "V=SpF1 -ALL",
            "v=spf1 a a:example.com a/24 a//64 a/24//64 a:example.com/24//64 a:example.com.",
            "v=spf1 mx mx:example.com mx/0 mx//0 mx:%{d}/24",
            "v=spf1 ptr ptr:example.com ~all",
            "v=spf1 ip4:0.0.0.0/0 ip4:255.255.255.255 ip6:::1 ip6:::ffff:192.0.2.1/128 ip6:2001:db8::/0",
            "v=spf1 exists:%{ir}.%{l1r+-}._spf.%{d} exists:%{i}._spf.%{d2}",
            "v=spf1 include:_spf.example.com include:%{d}",
            "v=spf1 exists:%{L}.%{S}.%{O}.%{D}.%{I}.%{P}.%{H}.%{V}.example.com",
            "v=spf1 exists:a%%b%_c%-d.example.com",
            "v=spf1 exists:%{l.-+,/_=}.example.com -all",
            "v=spf1 exists:x.1-2 -all",
            "v=spf1 redirect=_spf.example.com exp=explain.%{d}",
            "v=spf1 foo=bar x.y-z_w= ?all",
            "v=spf1 note=%{t}%{c}%{r} -all",
        ] {
            let parsed = parse(good);
            assert!(
                parsed.record.is_some() && !has_errors_in(&parsed.findings),
                "{good}: {:?}",
                parsed.findings
            );
        }
    }

    #[test]
    fn ptr_is_a_warning_and_plus_all_an_error() {
        let parsed = parse("v=spf1 ptr +all");
        assert!(parsed.record.is_some());
        assert_eq!(
            codes(&parsed.findings),
            vec!["spf_ptr_mechanism", "spf_pass_all"]
        );
        assert_eq!(parsed.findings[1].severity, Severity::Error);
        assert_eq!(codes(&parse("v=spf1 all").findings), vec!["spf_pass_all"]);
    }

    #[test]
    fn neutral_all_is_a_warning_and_a_missing_all_is_info() {
        let neutral = parse("v=spf1 mx ?all").findings;
        assert_eq!(codes(&neutral), vec!["spf_neutral_all"]);
        assert_eq!(neutral[0].severity, Severity::Warning);
        let none = parse("v=spf1 mx").findings;
        assert_eq!(codes(&none), vec!["spf_no_all"]);
        assert_eq!(none[0].severity, Severity::Info);
        assert!(parse("v=spf1 mx redirect=example.net").findings.is_empty());
        assert!(parse("v=spf1 mx -all").findings.is_empty());
    }

    #[test]
    fn redirect_beside_all_and_terms_after_all_are_warnings() {
        let f = parse("v=spf1 -all a redirect=example.net").findings;
        assert_eq!(
            codes(&f),
            vec!["spf_terms_after_all", "spf_redirect_ignored"]
        );
        assert!(f[0].message.contains("a"));
        assert!(f.iter().all(|f| f.severity == Severity::Warning));
    }

    #[test]
    fn unknown_modifiers_are_kept_with_an_info_finding() {
        let parsed = parse("v=spf1 foo=bar -all");
        assert_eq!(codes(&parsed.findings), vec!["spf_unknown_modifier"]);
        assert_eq!(
            parsed.record.unwrap().unknown_modifiers,
            vec![UnknownModifier {
                name: "foo".into(),
                value: "bar".into(),
                position: 7
            }]
        );
    }

    #[test]
    fn duplicate_modifiers_are_errors() {
        let parsed = parse("v=spf1 exp=a.example.com EXP=b.example.com -all");
        assert!(parsed.record.is_none());
        assert_eq!(codes(&parsed.findings), vec!["spf_duplicate_modifier"]);
    }

    #[test]
    fn a_long_record_is_a_warning() {
        let terms: Vec<String> = (0..40).map(|i| format!("ip4:198.51.100.{i}")).collect();
        let text = format!("v=spf1 {} -all", terms.join(" "));
        assert!(text.len() > 450);
        assert_eq!(codes(&parse(&text).findings), vec!["spf_record_too_long"]);
        let short = format!("v=spf1 {} -all", terms[..5].join(" "));
        assert!(parse(&short).findings.is_empty());
    }

    #[test]
    fn more_than_ten_dns_terms_in_the_record_is_an_error() {
        let ten = format!("v=spf1 {} -all", terms("a", "h", 10));
        assert!(parse(&ten).findings.is_empty());
        let eleven = format!("v=spf1 {} redirect=x.example.com", terms("a", "h", 10));
        let f = parse(&eleven).findings;
        assert_eq!(codes(&f), vec!["spf_too_many_lookups"]);
        assert_eq!(f[0].severity, Severity::Error);
        // A redirect behind an `all` is never evaluated, so it does not count.
        let ignored = format!("v=spf1 {} -all redirect=x.example.com", terms("a", "h", 10));
        assert!(!codes(&parse(&ignored).findings).contains(&"spf_too_many_lookups"));
    }

    #[test]
    fn text_that_is_not_spf_is_refused() {
        for text in [
            "",
            "v=spf",
            "v=spf10 -all",
            "spf1 -all",
            "v=DMARC1; p=none",
            "v=spf1é",
        ] {
            let parsed = parse(text);
            assert!(parsed.record.is_none(), "{text}");
            assert_eq!(codes(&parsed.findings), vec!["spf_syntax"], "{text}");
        }
    }

    #[test]
    fn select_keeps_the_one_spf_record() {
        let s = |v: &[&str]| v.iter().map(|t| t.to_string()).collect::<Vec<_>>();
        assert_eq!(select(&s(&[])), Ok(None));
        assert_eq!(select(&s(&["hello", "v=spf10 -all"])), Ok(None));
        assert_eq!(
            select(&s(&["hello", "V=SPF1 -all"])),
            Ok(Some("V=SPF1 -all".into()))
        );
        assert_eq!(select(&s(&["v=spf1"])), Ok(Some("v=spf1".into())));
        let err = select(&s(&["v=spf1 -all", "x", "v=spf1 ~all"])).unwrap_err();
        assert_eq!(err.code, "spf_multiple_records");
        assert_eq!(err.severity, Severity::Error);
    }

    fn rfc_vars(ip: &str) -> MacroVars {
        MacroVars {
            sender: "strong-bad@email.example.com".into(),
            local: "strong-bad".into(),
            sender_domain: "email.example.com".into(),
            domain: "email.example.com".into(),
            ip: ip.parse().unwrap(),
            helo: "mx.example.org".into(),
            validated: None,
            receiver: "mx.receiver.example".into(),
            now: 1_234_567_890,
        }
    }

    fn expand(spec: &str, vars: &MacroVars) -> String {
        expand_tokens(&macro_tokens(spec, true, true).unwrap(), vars)
    }

    #[test]
    fn macros_expand_as_in_the_rfc_7208_examples() {
        let v = rfc_vars("192.0.2.3");
        for (spec, want) in [
            ("%{s}", "strong-bad@email.example.com"),
            ("%{o}", "email.example.com"),
            ("%{d}", "email.example.com"),
            ("%{d4}", "email.example.com"),
            ("%{d3}", "email.example.com"),
            ("%{d2}", "example.com"),
            ("%{d1}", "com"),
            ("%{dr}", "com.example.email"),
            ("%{d2r}", "example.email"),
            ("%{l}", "strong-bad"),
            ("%{l-}", "strong.bad"),
            ("%{lr}", "strong-bad"),
            ("%{lr-}", "bad.strong"),
            ("%{l1r-}", "strong"),
            (
                "%{ir}.%{v}._spf.%{d2}",
                "3.2.0.192.in-addr._spf.example.com",
            ),
            ("%{lr-}.lp._spf.%{d2}", "bad.strong.lp._spf.example.com"),
            (
                "%{lr-}.lp.%{ir}.%{v}._spf.%{d2}",
                "bad.strong.lp.3.2.0.192.in-addr._spf.example.com",
            ),
            (
                "%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}",
                "3.2.0.192.in-addr.strong.lp._spf.example.com",
            ),
            (
                "%{d2}.trusted-domains.example.net",
                "example.com.trusted-domains.example.net",
            ),
        ] {
            assert_eq!(expand(spec, &v), want, "{spec}");
        }
        let v6 = rfc_vars("2001:db8::cb01");
        assert_eq!(
            expand("%{ir}.%{v}._spf.%{d2}", &v6),
            "1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6._spf.example.com"
        );
    }

    #[test]
    fn the_other_macro_letters_and_escapes_expand() {
        let mut v = rfc_vars("192.0.2.3");
        assert_eq!(
            expand("%{h} %{c} %{r} %{t} %{p}", &v),
            "mx.example.org 192.0.2.3 mx.receiver.example 1234567890 unknown"
        );
        v.validated = Some("mail.example.com".into());
        assert_eq!(expand("%{p2}", &v), "example.com");
        assert_eq!(expand("a%%b%_c%-d", &v), "a%b c%20d");
        assert_eq!(expand("%{S}", &v), "strong-bad%40email.example.com");
        assert_eq!(expand("%{L}", &rfc_vars("2001:db8::1")), "strong-bad");
        let v6 = rfc_vars("2001:db8::cb01");
        assert_eq!(expand("%{c}", &v6), "2001:db8::cb01");
        assert_eq!(expand("%{v}", &v6), "ip6");
        // A digit beyond the number of parts keeps them all.
        assert_eq!(expand("%{d99}", &v), "email.example.com");
        assert_eq!(
            expand("%{d99999999999999999999999}", &v),
            "email.example.com"
        );
    }

    #[test]
    fn url_escaping_keeps_only_unreserved_characters() {
        assert_eq!(url_escape("a+b c/d~e_f.g-h"), "a%2Bb%20c%2Fd~e_f.g-h");
    }

    #[test]
    fn a_long_expanded_domain_drops_labels_on_the_left() {
        let label = "a".repeat(63);
        let name = format!("{label}.{label}.{label}.{label}.example.com");
        let cut = truncate_domain(&name);
        assert_eq!(cut, format!("{label}.{label}.{label}.example.com"));
        assert!(cut.len() <= 253);
        assert_eq!(truncate_domain(&"a".repeat(300)), "");
        assert_eq!(truncate_domain("example.com."), "example.com");
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

    #[test]
    fn check_host_is_send_so_it_can_be_spawned() {
        fn assert_send<T: Send>(_: &T) {}
        let resolver = Resolver::fixed(StaticZone::new());
        let fut = check_host(&resolver, IP.parse().unwrap(), "example.com", U, None, 0);
        assert_send(&fut);
        let tree = resolve_tree(&resolver, "example.com");
        assert_send(&tree);
    }

    fn tree(zone_spec: &str) -> SpfTree {
        let resolver = Resolver::fixed(zone(zone_spec));
        block(resolve_tree(&resolver, "example.com"))
    }

    #[test]
    fn lookups_are_counted_through_nested_includes() {
        let t = tree(
            "TXT example.com v=spf1 a mx include:a.example.net -all|IP example.com 192.0.2.1|MX example.com 10 mx.example.com\
             |TXT a.example.net v=spf1 include:b.example.net ip4:192.0.2.0/24 -all\
             |TXT b.example.net v=spf1 a:x.example.net exists:%{i}.example.net ~all|IP x.example.net 192.0.2.2",
        );
        assert_eq!(t.root.lookups_here, 3);
        assert_eq!(t.root.lookups_total, 6);
        let a = &t.root.children[0];
        assert_eq!(
            (a.domain.as_str(), a.via.as_deref()),
            ("a.example.net", Some("include"))
        );
        assert_eq!((a.lookups_here, a.lookups_total), (1, 3));
        assert_eq!(a.children[0].lookups_here, 2);
        assert_eq!(t.lookups_total, 6);
        assert_eq!(t.void_lookups_total, 0);
        assert!(!has_errors_in(&t.findings), "{:?}", t.findings);
        assert!(!t.truncated);
    }

    #[test]
    fn more_than_ten_lookups_across_the_tree_is_an_error() {
        let t = tree(&format!(
            "TXT example.com v=spf1 include:a.example.net include:b.example.net -all\
             |TXT a.example.net v=spf1 {} -all|TXT b.example.net v=spf1 {} -all|{}|{}",
            terms("a", "x", 5),
            terms("a", "y", 4),
            hosts("x", 5, "192.0.2.1"),
            hosts("y", 4, "192.0.2.1"),
        ));
        assert_eq!(t.lookups_total, 11);
        assert!(codes(&t.findings).contains(&"spf_too_many_lookups"));
        let ok = tree(&format!(
            "TXT example.com v=spf1 include:a.example.net -all|TXT a.example.net v=spf1 {} -all|{}",
            terms("a", "x", 9),
            hosts("x", 9, "192.0.2.1"),
        ));
        assert_eq!(ok.lookups_total, 10);
        assert!(!codes(&ok.findings).contains(&"spf_too_many_lookups"));
    }

    #[test]
    fn an_include_loop_is_reported_and_not_followed() {
        let t = tree(
            "TXT example.com v=spf1 include:a.example.net -all|TXT a.example.net v=spf1 include:example.com -all",
        );
        let loop_finding = t.findings.iter().find(|f| f.code == "spf_loop").unwrap();
        assert_eq!(loop_finding.severity, Severity::Error);
        // Reported on the nested node, so prefixed with its domain.
        assert!(
            loop_finding.message.starts_with("a.example.net: "),
            "{}",
            loop_finding.message
        );
        assert!(t.root.children[0].children.is_empty());
    }

    #[test]
    fn include_without_record_is_an_error_and_a_void_lookup() {
        let t = tree(
            "TXT example.com v=spf1 include:nx1.example.net include:nx2.example.net include:nx3.example.net include:txt.example.net -all\
             |TXT txt.example.net not spf",
        );
        let missing = t
            .findings
            .iter()
            .filter(|f| f.code == "spf_include_no_record")
            .count();
        assert_eq!(missing, 4);
        // txt.example.net answers, so it is not void; the other three are.
        assert_eq!(t.void_lookups_total, 3);
        assert!(codes(&t.findings).contains(&"spf_void_lookups"));
    }

    #[test]
    fn void_literal_targets_are_counted_without_an_ip() {
        let t = tree(
            "TXT example.com v=spf1 a:nx.example.com mx:nomx.example.com exists:nx2.example.com a:v6.example.com -all\
             |IP nomx.example.com 192.0.2.1|IP v6.example.com 2001:db8::1",
        );
        assert_eq!(t.root.void_lookups, 3);
        assert!(codes(&t.findings).contains(&"spf_void_lookups"));
        let two = tree(
            "TXT example.com v=spf1 a:nx.example.com mx:nomx.example.com -all|IP nomx.example.com 192.0.2.1",
        );
        assert_eq!(two.void_lookups_total, 2);
        assert!(!codes(&two.findings).contains(&"spf_void_lookups"));
    }

    #[test]
    fn redirect_without_record_and_nested_parser_findings_are_reported() {
        let t = tree(
            "TXT example.com v=spf1 include:a.example.net redirect=nx.example.net|TXT a.example.net v=spf1 ptr ?all",
        );
        assert!(codes(&t.findings).contains(&"spf_redirect_no_record"));
        let ptr = t
            .findings
            .iter()
            .find(|f| f.code == "spf_ptr_mechanism")
            .unwrap();
        assert!(ptr.message.starts_with("a.example.net: "));
        assert_eq!(t.root.children[1].via.as_deref(), Some("redirect"));
    }

    #[test]
    fn tree_reports_missing_multiple_and_failed_records() {
        assert_eq!(
            codes(&tree("TXT example.com hello").findings),
            vec!["spf_no_record"]
        );
        let multi = tree(
            "TXT example.com v=spf1 include:m.example.net -all|TXT m.example.net v=spf1 -all|TXT m.example.net v=spf1 ~all",
        );
        assert!(codes(&multi.findings).contains(&"spf_multiple_records"));
        let failed =
            tree("TXT example.com v=spf1 include:f.example.net -all|SERVFAIL f.example.net");
        let f = failed
            .findings
            .iter()
            .find(|f| f.code == "spf_lookup_failed")
            .unwrap();
        assert_eq!(f.severity, Severity::Warning);
        let broken =
            tree("TXT example.com v=spf1 include:b.example.net -all|TXT b.example.net v=spf1 nope");
        assert!(codes(&broken.findings).contains(&"spf_syntax"));
    }

    #[test]
    fn a_hostile_include_fan_out_is_capped() {
        // Every record includes ten others: a full walk would be 10^depth records.
        let mut spec = String::from("TXT example.com v=spf1 include:n0.example.net -all");
        for i in 0..40 {
            let incs: Vec<String> = (1..=10)
                .map(|k| format!("include:n{}.example.net", (i + k) % 40))
                .collect();
            spec.push_str(&format!(
                "|TXT n{i}.example.net v=spf1 {} -all",
                incs.join(" ")
            ));
        }
        let t = tree(&spec);
        fn count(n: &SpfNode) -> usize {
            1 + n.children.iter().map(count).sum::<usize>()
        }
        assert!(count(&t.root) <= MAX_TREE_NODES + 1);
        assert!(t.truncated);
        assert!(codes(&t.findings).contains(&"spf_tree_truncated"));
        assert!(codes(&t.findings).contains(&"spf_too_many_lookups"));
    }

    proptest! {
        #[test]
        fn parse_never_panics(text in "\\PC{0,200}") {
            let _ = parse(&text);
            let _ = parse(&format!("v=spf1 {text}"));
        }

        #[test]
        fn parse_never_panics_on_spf_shaped_input(
            terms in proptest::collection::vec("[-+~?]?(all|a|mx|ptr|ip4|ip6|include|exists|redirect|exp|x)[:=/]?[%{}a-zA-Z0-9./:_-]{0,20}", 0..12)
        ) {
            let text = format!("v=spf1 {}", terms.join(" "));
            let parsed = parse(&text);
            // Any parse that succeeds yields directives whose positions point at their text.
            if let Some(record) = parsed.record {
                for d in record.directives {
                    prop_assert_eq!(text.get(d.position..d.position + d.text.len()), Some(d.text.as_str()));
                }
            }
        }

        #[test]
        fn macro_expansion_never_panics(spec in "[%{}a-zA-Z0-9.+,/_=-]{0,40}", local in "\\PC{0,20}") {
            if let Ok(tokens) = macro_tokens(&spec, true, true) {
                let mut vars = rfc_vars("2001:db8::1");
                vars.local = local;
                let _ = expand_tokens(&tokens, &vars);
            }
        }
    }

    fn a_or_mx(text: &str) -> (Option<String>, Option<u8>, Option<u8>) {
        let record = parse(&format!("v=spf1 {text} -all"))
            .record
            .unwrap_or_else(|| panic!("{text} should parse"));
        match &record.directives[0].mechanism {
            Mechanism::A {
                domain,
                ip4_cidr,
                ip6_cidr,
            }
            | Mechanism::Mx {
                domain,
                ip4_cidr,
                ip6_cidr,
            } => (domain.clone(), *ip4_cidr, *ip6_cidr),
            other => panic!("{text}: {other:?}"),
        }
    }

    #[test]
    fn a_domain_spec_may_hold_any_visible_character_and_only_a_final_cidr_is_one() {
        let d = |s: &str| Some(s.to_string());
        assert_eq!(
            a_or_mx("a:foo:bar/baz.example.com"),
            (d("foo:bar/baz.example.com"), None, None)
        );
        assert_eq!(
            a_or_mx("a:example.com/24"),
            (d("example.com"), Some(24), None)
        );
        assert_eq!(
            a_or_mx("mx:odd/name.example.com//64"),
            (d("odd/name.example.com"), None, Some(64))
        );
        assert_eq!(
            a_or_mx("a:x/1.example.com/24//64"),
            (d("x/1.example.com"), Some(24), Some(64))
        );
        assert_eq!(a_or_mx("a/24//64"), (None, Some(24), Some(64)));
        assert_eq!(a_or_mx("mx//0"), (None, None, Some(0)));
        assert_eq!(a_or_mx("a:%{d}/24"), (d("%{d}"), Some(24), None));
        assert_eq!(
            a_or_mx("a:%{ir/}.x.example.com"),
            (d("%{ir/}.x.example.com"), None, None)
        );
        for bad in [
            "a:example.com/33",
            "a:example.com/024",
            "a:example.com/24x",
            "a:example.com/",
            "a:1.2.3.4/24",
            "mx:example.com///64",
            "a:exa mple.com",
        ] {
            let parsed = parse(&format!("v=spf1 {bad} -all"));
            assert!(parsed.record.is_none(), "{bad} should be a syntax error");
        }
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
    fn the_checker_warns_about_a_literal_target_no_query_can_carry() {
        let r = Resolver::fixed(zone(
            "TXT example.com v=spf1 a:[x].example.com mx:foo:bar/baz.example.com -all",
        ));
        let tree = block(resolve_tree(&r, "example.com"));
        let flagged: Vec<&str> = tree
            .findings
            .iter()
            .filter(|f| f.code == "spf_unqueryable_target")
            .map(|f| f.message.as_str())
            .collect();
        assert_eq!(flagged.len(), 1, "{:#?}", tree.findings);
        assert!(flagged[0].contains("[x].example.com"), "{flagged:?}");
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
