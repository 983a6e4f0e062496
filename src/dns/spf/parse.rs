//! SPF record selection (§4.5), the record grammar with the byte position of every term
//! (§4.6, §5, §6, §12: terms, dual-cidr lengths, domain-specs), and the linter (§3.4, §4.6.4,
//! §4.7, §5.1, §5.5, §6.1). Pure: no I/O.
//!
//! A record with any syntax error has no parsed view (`Parsed::record` is `None`), because
//! §4.6 makes the whole record a permerror; lint findings (`+all`, `ptr`...) keep the view.

use super::macros::{MacroError, MacroToken, macro_tokens};
use super::{Directive, MAX_DNS_LOOKUPS, Mechanism, Qualifier, SpfRecord, UnknownModifier};
use crate::dns::Finding;
use crate::dns::records::Parsed;
use std::net::{Ipv4Addr, Ipv6Addr};

/// §3.4: keep the record small enough for a 512-byte UDP answer.
const RECOMMENDED_MAX_LEN: usize = 450;

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

/// Why a term is a syntax error (§4.6.1, §5, §6, §12); the finding adds the term and its byte
/// position.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum TermError {
    #[error("a modifier cannot have a qualifier")]
    QualifiedModifier,
    #[error("'{name}' is not a valid modifier name")]
    ModifierName { name: String },
    #[error("modifier value: {0}")]
    ModifierValue(MacroError),
    #[error("'all' takes no argument")]
    AllArgument,
    /// `include` or `exists` without `:domain`.
    #[error("'{mechanism}' needs ':' and a domain")]
    NoDomain { mechanism: String },
    #[error("'ptr' takes only ':' and a domain")]
    PtrArgument,
    /// `ip4` or `ip6` without `:address`.
    #[error("'{mechanism}' needs ':' and an address")]
    NoAddress { mechanism: &'static str },
    #[error("'{addr}' is not a dotted-quad IPv4 address")]
    Ip4 { addr: String },
    #[error("'{addr}' is not an IPv6 address")]
    Ip6 { addr: String },
    #[error("empty mechanism")]
    EmptyMechanism,
    #[error("unknown mechanism '{name}'")]
    UnknownMechanism { name: String },
    #[error("'/{text}' is not a prefix length between 0 and {max}")]
    PrefixLength { text: String, max: u8 },
    /// What follows a domain-spec (or the mechanism) is not a dual-cidr-length.
    #[error("unexpected '{text}'")]
    Unexpected { text: String },
    #[error("empty domain")]
    EmptyDomain,
    #[error("'{spec}' does not end in a top-level label or a macro")]
    NoTopLabel { spec: String },
    /// The domain-spec is not a macro-string.
    #[error(transparent)]
    Macro(#[from] MacroError),
}

fn parse_term(term: &str, position: usize) -> Result<Term, TermError> {
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
            return Err(TermError::QualifiedModifier);
        }
        if !is_modifier_name(name) {
            return Err(TermError::ModifierName {
                name: name.to_string(),
            });
        }
        if name.eq_ignore_ascii_case("redirect") || name.eq_ignore_ascii_case("exp") {
            domain_spec(value)?;
            return Ok(if name.eq_ignore_ascii_case("redirect") {
                Term::Redirect(value.to_string())
            } else {
                Term::Exp(value.to_string())
            });
        }
        macro_tokens(value, false, true).map_err(TermError::ModifierValue)?;
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
                return Err(TermError::AllArgument);
            }
            Mechanism::All
        }
        "include" | "exists" => {
            let Some(spec) = rest.strip_prefix(':') else {
                return Err(TermError::NoDomain { mechanism: lname });
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
                None => return Err(TermError::PtrArgument),
            };
            Mechanism::Ptr { domain }
        }
        "ip4" => {
            let Some(arg) = rest.strip_prefix(':') else {
                return Err(TermError::NoAddress { mechanism: "ip4" });
            };
            let (addr, len) = match arg.split_once('/') {
                Some((addr, len)) => (addr, Some(cidr_len(len, 32)?)),
                None => (arg, None),
            };
            let ip = parse_ip4(addr).ok_or_else(|| TermError::Ip4 {
                addr: addr.to_string(),
            })?;
            Mechanism::Ip4 {
                network: format!("{ip}/{}", len.unwrap_or(32)),
            }
        }
        "ip6" => {
            let Some(arg) = rest.strip_prefix(':') else {
                return Err(TermError::NoAddress { mechanism: "ip6" });
            };
            let (addr, len) = match arg.split_once('/') {
                Some((addr, len)) => (addr, Some(cidr_len(len, 128)?)),
                None => (arg, None),
            };
            let ip: Ipv6Addr = addr.parse().map_err(|_| TermError::Ip6 {
                addr: addr.to_string(),
            })?;
            Mechanism::Ip6 {
                network: format!("{ip}/{}", len.unwrap_or(128)),
            }
        }
        "" => return Err(TermError::EmptyMechanism),
        _ => {
            return Err(TermError::UnknownMechanism {
                name: name.to_string(),
            });
        }
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
pub(crate) fn cidr_len(s: &str, max: u8) -> Result<u8, TermError> {
    let digits_ok = !s.is_empty()
        && s.len() <= 3
        && s.bytes().all(|b| b.is_ascii_digit())
        && (s == "0" || !s.starts_with('0'));
    let value: Option<u8> = if digits_ok { s.parse().ok() } else { None };
    match value {
        Some(v) if v <= max => Ok(v),
        _ => Err(TermError::PrefixLength {
            text: s.to_string(),
            max,
        }),
    }
}

fn dual_cidr(s: &str) -> Result<(Option<u8>, Option<u8>), TermError> {
    if s.is_empty() {
        return Ok((None, None));
    }
    if let Some(v6) = s.strip_prefix("//") {
        return Ok((None, Some(cidr_len(v6, 128)?)));
    }
    let Some(rest) = s.strip_prefix('/') else {
        return Err(TermError::Unexpected {
            text: s.to_string(),
        });
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
fn domain_spec(spec: &str) -> Result<(), TermError> {
    if spec.is_empty() {
        return Err(TermError::EmptyDomain);
    }
    let tokens = macro_tokens(spec, false, false)?;
    match tokens.last() {
        Some(MacroToken::Literal(lit)) => {
            let lit = lit.strip_suffix('.').unwrap_or(lit);
            match lit.rsplit_once('.') {
                Some((_, top)) if is_toplabel(top) => Ok(()),
                _ => Err(TermError::NoTopLabel {
                    spec: spec.to_string(),
                }),
            }
        }
        Some(_) => Ok(()),
        None => Err(TermError::EmptyDomain),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::dns::Severity;
    use crate::dns::spf::test_support::{codes, has_errors_in, terms};
    use proptest::prelude::*;

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
    fn a_term_error_says_what_is_wrong_in_words() {
        for (term, why) in [
            ("+foo=bar", "a modifier cannot have a qualifier"),
            ("1x=y", "'1x' is not a valid modifier name"),
            (
                "foo=50%",
                "modifier value: stray '%' at byte 2 of '50%' (write '%%' for a percent sign)",
            ),
            ("all:x", "'all' takes no argument"),
            ("EXISTS", "'exists' needs ':' and a domain"),
            ("ptr/24", "'ptr' takes only ':' and a domain"),
            ("ip4", "'ip4' needs ':' and an address"),
            ("ip6", "'ip6' needs ':' and an address"),
            (
                "ip4:192.0.2.01",
                "'192.0.2.01' is not a dotted-quad IPv4 address",
            ),
            ("ip6:192.0.2.1", "'192.0.2.1' is not an IPv6 address"),
            ("+", "empty mechanism"),
            ("foo", "unknown mechanism 'foo'"),
            ("a/33", "'/33' is not a prefix length between 0 and 32"),
            (
                "a//0129",
                "'/0129' is not a prefix length between 0 and 128",
            ),
            ("include:", "empty domain"),
            (
                "a:example",
                "'example' does not end in a top-level label or a macro",
            ),
            (
                "exists:%{x}.example.com",
                "unknown macro letter 'x' at byte 2 of '%{x}.example.com'",
            ),
            (
                "exists:%{c}.example.com",
                "macro letter 'c' is only allowed in explanation text",
            ),
            (
                "exists:%{d0}.example.com",
                "macro at byte 0 of '%{d0}.example.com' keeps zero labels",
            ),
            (
                "exists:%{d.example.com",
                "malformed macro at byte 0 of '%{d.example.com'",
            ),
            ("exists:%{", "unterminated macro at byte 0 of '%{'"),
            (
                "include:exämple.com",
                "byte 2 of 'exämple.com' is not allowed in a macro-string",
            ),
        ] {
            let got = parse_term(term, 7).err().map(|e| e.to_string());
            assert_eq!(got.as_deref(), Some(why), "{term}");
        }
        assert_eq!(
            syntax_messages("v=spf1 ip4:192.0.2.300"),
            vec![
                "syntax error at byte 7 in 'ip4:192.0.2.300': '192.0.2.300' is not a dotted-quad IPv4 address; receivers return permerror"
            ]
        );
    }
}
