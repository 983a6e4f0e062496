//! DMARC policy records (`_dmarc.<domain>` TXT): RFC 7489 §6.3–6.4 and RFC 9989 §4.7.
//!
//! Findings speak to both kinds of receiver still in service: RFC 7489 ones (p second and
//! required, `pct` honoured) and RFC 9989 ones (`np`, `psd`, `t`; `pct`/`rf`/`ri` removed).
//! Following RFC 7489 §6.3, an invalid tag value is ignored (its default applies) rather than
//! voiding the record, except `p`/`sp`, where §6.6.3 applies: an invalid or missing policy
//! means "act as p=none" when `rua` holds a valid URI, and "no DMARC" otherwise. No I/O.

use super::{
    Parsed, TagSyntax, check_uri, mailto_domain, parse_tag_list, starts_with_version,
    unknown_tag_findings,
};
use crate::dns::Finding;
use serde::{Deserialize, Serialize};

const SYNTAX: TagSyntax = TagSyntax {
    kind: "dmarc",
    rfc: "RFC 7489 §6.4",
    case_insensitive_names: true,
    space_around_equals: true,
    extended_names: false,
};

const KNOWN: &[&str] = &[
    "v", "p", "sp", "np", "adkim", "aspf", "fo", "rua", "ruf", "pct", "rf", "ri", "psd", "t",
];

/// A requested disposition for mail failing DMARC, ordered from weakest to strongest.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum DmarcPolicy {
    None,
    Quarantine,
    Reject,
}

impl DmarcPolicy {
    /// The tag value.
    pub fn as_str(self) -> &'static str {
        match self {
            DmarcPolicy::None => "none",
            DmarcPolicy::Quarantine => "quarantine",
            DmarcPolicy::Reject => "reject",
        }
    }

    fn parse(value: &str) -> Option<Self> {
        match value.to_ascii_lowercase().as_str() {
            "none" => Some(DmarcPolicy::None),
            "quarantine" => Some(DmarcPolicy::Quarantine),
            "reject" => Some(DmarcPolicy::Reject),
            _ => None,
        }
    }
}

/// Identifier alignment mode (`adkim`, `aspf`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Alignment {
    /// `r`: organizational domains must match.
    Relaxed,
    /// `s`: domains must be identical.
    Strict,
}

impl Alignment {
    /// The tag value.
    pub fn as_str(self) -> &'static str {
        match self {
            Alignment::Relaxed => "r",
            Alignment::Strict => "s",
        }
    }

    fn parse(value: &str) -> Option<Self> {
        match value.to_ascii_lowercase().as_str() {
            "r" => Some(Alignment::Relaxed),
            "s" => Some(Alignment::Strict),
            _ => None,
        }
    }
}

/// Failure reporting option (`fo`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FailureOption {
    /// `0`: report when all underlying mechanisms fail to give an aligned pass.
    All,
    /// `1`: report when any underlying mechanism fails to give an aligned pass.
    Any,
    /// `d`: report when DKIM verification fails, aligned or not.
    Dkim,
    /// `s`: report when SPF evaluation fails, aligned or not.
    Spf,
}

impl FailureOption {
    /// The tag value.
    pub fn as_str(self) -> &'static str {
        match self {
            FailureOption::All => "0",
            FailureOption::Any => "1",
            FailureOption::Dkim => "d",
            FailureOption::Spf => "s",
        }
    }

    fn parse(value: &str) -> Option<Self> {
        match value.to_ascii_lowercase().as_str() {
            "0" => Some(FailureOption::All),
            "1" => Some(FailureOption::Any),
            "d" => Some(FailureOption::Dkim),
            "s" => Some(FailureOption::Spf),
            _ => None,
        }
    }
}

/// Public suffix domain flag (`psd`, RFC 9989).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Psd {
    /// `y`: the domain is a public suffix domain.
    Yes,
    /// `n`: the domain is an organizational domain; the tree walk stops here.
    No,
    /// `u` (default): unspecified.
    Unknown,
}

impl Psd {
    /// The tag value.
    pub fn as_str(self) -> &'static str {
        match self {
            Psd::Yes => "y",
            Psd::No => "n",
            Psd::Unknown => "u",
        }
    }

    fn parse(value: &str) -> Option<Self> {
        match value.to_ascii_lowercase().as_str() {
            "y" => Some(Psd::Yes),
            "n" => Some(Psd::No),
            "u" => Some(Psd::Unknown),
            _ => None,
        }
    }
}

/// One valid reporting URI of `rua` or `ruf`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ReportUri {
    /// The URI without its size limit.
    #[schema(example = "mailto:dmarc@example.com")]
    pub uri: String,
    /// Lower-cased scheme.
    #[schema(example = "mailto")]
    pub scheme: String,
    /// The `!size` limit in bytes, if given (RFC 7489; ignored by RFC 9989 reporters).
    pub max_size: Option<u64>,
}

/// The values receivers act on, defaults applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DmarcEffective {
    /// Policy for the domain itself (`none` when `p` was missing or invalid and `rua` valid).
    pub policy: DmarcPolicy,
    /// Policy for existing subdomains: `sp`, else `p`.
    pub subdomain_policy: DmarcPolicy,
    /// Policy for non-existent subdomains (RFC 9989): `np`, else `sp`, else `p`.
    pub nonexistent_policy: DmarcPolicy,
    /// DKIM alignment (default relaxed).
    pub adkim: Alignment,
    /// SPF alignment (default relaxed).
    pub aspf: Alignment,
    /// Failure reporting options (default `0`).
    pub fo: Vec<FailureOption>,
    /// Percentage of failing mail the policy applies to at RFC 7489 receivers (default 100).
    pub pct: u8,
    /// Test mode (`t=y`): RFC 9989 receivers apply one level less strict.
    pub testing: bool,
    /// Public suffix domain flag (default `u`).
    pub psd: Psd,
}

/// A parsed DMARC record: the tags as published, and the effective values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DmarcRecord {
    /// `p` as published; absent when missing or invalid.
    pub p: Option<DmarcPolicy>,
    /// `sp` as published.
    pub sp: Option<DmarcPolicy>,
    /// `np` as published (RFC 9989).
    pub np: Option<DmarcPolicy>,
    /// `adkim` as published.
    pub adkim: Option<Alignment>,
    /// `aspf` as published.
    pub aspf: Option<Alignment>,
    /// `fo` as published (empty when absent or invalid).
    pub fo: Vec<FailureOption>,
    /// Valid aggregate report URIs, in order.
    pub rua: Vec<ReportUri>,
    /// Valid failure report URIs, in order.
    pub ruf: Vec<ReportUri>,
    /// `pct` as published (removed by RFC 9989).
    pub pct: Option<u8>,
    /// `rf` as published (removed by RFC 9989).
    pub rf: Option<String>,
    /// `ri` as published (removed by RFC 9989).
    pub ri: Option<u32>,
    /// `t` as published (RFC 9989): true for `y`.
    pub t: Option<bool>,
    /// `psd` as published (RFC 9989).
    pub psd: Option<Psd>,
    /// `p` (or `sp`) was missing or invalid but `rua` holds a valid URI, so receivers act as
    /// if the record said `p=none` (RFC 7489 §6.6.3).
    pub policy_from_rua_fallback: bool,
    /// Values with defaults applied.
    pub effective: DmarcEffective,
}

/// Whether a TXT record is a DMARC record at all (RFC 7489 §6.6.3: records not starting with
/// `v=DMARC1` are discarded before counting).
pub fn is_dmarc(text: &str) -> bool {
    starts_with_version(text, "DMARC1", true)
}

/// Parses and lints one DMARC record.
pub fn parse(text: &str) -> Parsed<DmarcRecord> {
    let mut findings = Vec::new();
    if !is_dmarc(text) {
        let hint = if text.to_ascii_lowercase().contains("v=dmarc1") {
            "v=DMARC1 must be the first tag, with the version in upper case"
        } else {
            "the record must start with v=DMARC1"
        };
        findings.push(Finding::error(
            "dmarc_invalid_version",
            "RFC 7489 §6.6.3",
            format!("{hint}: receivers discard this record"),
        ));
        return Parsed {
            record: None,
            findings,
        };
    }
    let list = parse_tag_list(text, SYNTAX);
    findings.extend(list.findings.iter().cloned());

    let invalid = |findings: &mut Vec<Finding>, name: &str, pos: usize, value: &str, want: &str| {
        findings.push(Finding::error(
            "dmarc_invalid_value",
            "RFC 7489 §6.3",
            format!(
                "`{name}={value}` at position {pos} is not valid ({want}): receivers ignore it and use the default"
            ),
        ));
    };

    // p: required, and second for RFC 7489 parsers.
    let p_tag = list.get("p");
    let p = p_tag.and_then(|t| DmarcPolicy::parse(t.value));
    if let Some(t) = p_tag
        && p.is_some()
        && list.tags.get(1).is_none_or(|second| second != t)
    {
        findings.push(Finding::warning(
            "dmarc_policy_not_second",
            "RFC 7489 §6.4",
            "p is not the tag right after v: RFC 9989 allows any order, but RFC 7489 \
             parsers expect p second and may reject the record",
        ));
    }

    let mut sp_invalid = false;
    let mut policy_tag = |name: &str, findings: &mut Vec<Finding>| -> Option<DmarcPolicy> {
        let t = list.get(name)?;
        let v = DmarcPolicy::parse(t.value);
        if v.is_none() {
            if name == "sp" {
                sp_invalid = true;
            }
            invalid(findings, name, t.pos, t.value, "none, quarantine or reject");
        }
        v
    };
    let sp = policy_tag("sp", &mut findings);
    let np = policy_tag("np", &mut findings);

    let flag = |name: &str, findings: &mut Vec<Finding>, want: &str| {
        list.get(name).and_then(|t| {
            let v = t.value.to_ascii_lowercase();
            if !want.split('|').any(|w| w == v) {
                invalid(findings, name, t.pos, t.value, &format!("one of {want}"));
                return None;
            }
            Some(v)
        })
    };
    let adkim = flag("adkim", &mut findings, "r|s").and_then(|v| Alignment::parse(&v));
    let aspf = flag("aspf", &mut findings, "r|s").and_then(|v| Alignment::parse(&v));
    let psd = flag("psd", &mut findings, "y|n|u").and_then(|v| Psd::parse(&v));
    let t = flag("t", &mut findings, "y|n").map(|v| v == "y");

    let fo = match list.get("fo") {
        None => Vec::new(),
        Some(tag) => {
            let parsed: Option<Vec<FailureOption>> = tag
                .value
                .split(':')
                .map(|o| FailureOption::parse(o.trim()))
                .collect();
            parsed.unwrap_or_else(|| {
                invalid(
                    &mut findings,
                    "fo",
                    tag.pos,
                    tag.value,
                    "a colon-separated list of 0, 1, d and s",
                );
                Vec::new()
            })
        }
    };

    let pct = list.get("pct").and_then(|tag| {
        let v = tag
            .value
            .parse::<u8>()
            .ok()
            .filter(|v| *v <= 100 && tag.value.bytes().all(|b| b.is_ascii_digit()));
        if v.is_none() {
            invalid(
                &mut findings,
                "pct",
                tag.pos,
                tag.value,
                "an integer from 0 to 100",
            );
        }
        v
    });
    let rf = list.get("rf").map(|t| t.value.to_string());
    let ri = list.get("ri").and_then(|t| t.value.parse::<u32>().ok());

    let rua = list
        .get("rua")
        .map(|t| report_uris("rua", t.value, t.pos, &mut findings))
        .unwrap_or_default();
    let ruf = list
        .get("ruf")
        .map(|t| report_uris("ruf", t.value, t.pos, &mut findings))
        .unwrap_or_default();

    // RFC 7489 §6.6.3: a missing or invalid p, or an invalid sp.
    let policy_broken = p.is_none() || sp_invalid;
    let fallback = policy_broken && !rua.is_empty();
    if p_tag.is_none() {
        findings.push(Finding::error(
            "dmarc_missing_policy",
            "RFC 7489 §6.6.3",
            if rua.is_empty() {
                "no p tag and no valid rua URI: RFC 7489 receivers apply no DMARC processing \
                 (RFC 9989 receivers treat a missing p as none); add p=none, quarantine or reject"
            } else {
                "no p tag: receivers act as if p=none because rua holds a valid URI \
                 (RFC 7489 §6.6.3); add p=none, quarantine or reject"
            },
        ));
    } else if policy_broken {
        let what = match p_tag {
            Some(t) if p.is_none() => format!(
                "`p={}` at position {} is not none, quarantine or reject",
                t.value, t.pos
            ),
            _ => "sp is invalid".to_string(),
        };
        let consequence = if fallback {
            "receivers act as if the record said p=none because rua holds a valid URI"
        } else {
            "with no valid rua URI, receivers apply no DMARC processing"
        };
        findings.push(Finding::error(
            "dmarc_invalid_policy",
            "RFC 7489 §6.6.3",
            format!("{what}: {consequence}"),
        ));
    }

    if p == Some(DmarcPolicy::None) {
        findings.push(Finding::warning(
            "dmarc_policy_none",
            "RFC 7489 §6.3",
            "p=none: monitoring only, failing mail is delivered as usual; move to quarantine \
             or reject once the aggregate reports show all legitimate mail aligned",
        ));
    }
    if rua.is_empty() {
        findings.push(Finding::warning(
            "dmarc_no_rua",
            "RFC 7489 §7.2",
            "no valid rua URI: nobody receives aggregate reports, so you cannot see who sends \
             mail as this domain; add rua=mailto:<address>",
        ));
    }
    for (name, uris) in [("rua", &rua), ("ruf", &ruf)] {
        if uris.len() > 2 {
            findings.push(Finding::warning(
                "dmarc_too_many_uris",
                "RFC 7489 §6.2",
                format!(
                    "{name} lists {} URIs: receivers need only support two, later ones may get no reports",
                    uris.len()
                ),
            ));
        }
    }
    if !ruf.is_empty() && list.get("fo").is_none() {
        findings.push(Finding::info(
            "dmarc_ruf_without_fo",
            "RFC 7489 §6.3",
            "ruf without fo: failure reports are requested only when both SPF and DKIM fail \
             to align (fo=0); fo=1 asks for a report when either fails",
        ));
    }
    if list.get("fo").is_some() && ruf.is_empty() {
        findings.push(Finding::info(
            "dmarc_fo_without_ruf",
            "RFC 7489 §6.3",
            "fo has no effect without a valid ruf URI",
        ));
    }
    if let (Some(p), Some(sp)) = (p, sp)
        && sp < p
    {
        findings.push(Finding::warning(
            "dmarc_sp_weaker",
            "RFC 7489 §6.3",
            format!(
                "sp={} is weaker than p={}: subdomains can be spoofed more easily than the domain",
                sp.as_str(),
                p.as_str()
            ),
        ));
    }
    let sub_effective = sp.or(p).unwrap_or(DmarcPolicy::None);
    if let Some(np) = np {
        if np < sub_effective {
            findings.push(Finding::warning(
                "dmarc_np_weaker",
                "RFC 9989 §4.7",
                format!(
                    "np={} is weaker than the subdomain policy {}: non-existent subdomains send no legitimate mail, so np can safely be reject",
                    np.as_str(),
                    sub_effective.as_str()
                ),
            ));
        } else if np > sub_effective {
            findings.push(Finding::info(
                "dmarc_np_legacy",
                "RFC 9989 §4.7",
                format!(
                    "np={} is honoured by RFC 9989 receivers only; RFC 7489 receivers apply {} to non-existent subdomains",
                    np.as_str(),
                    sub_effective.as_str()
                ),
            ));
        }
    }
    if let Some(pct) = pct {
        findings.push(Finding::warning(
            "dmarc_removed_tag",
            "RFC 9989 §4.7",
            "pct was removed by RFC 9989: its receivers ignore it and apply the policy to all \
             failing mail; use t=y for a test phase instead",
        ));
        if pct < 100 {
            findings.push(Finding::warning(
                "dmarc_pct_partial",
                "RFC 7489 §6.3",
                format!(
                    "pct={pct}: RFC 7489 receivers apply the policy to only {pct}% of failing mail (the rest gets one level less strict)"
                ),
            ));
        }
    }
    for name in ["rf", "ri"] {
        if let Some(tag) = list.get(name) {
            findings.push(Finding::info(
                "dmarc_obsolete_tag",
                "RFC 9989 §4.7",
                format!(
                    "{name} at position {} was removed by RFC 9989 and is ignored by most receivers; it can be dropped",
                    tag.pos
                ),
            ));
        }
    }
    if t == Some(true) {
        findings.push(Finding::warning(
            "dmarc_test_mode",
            "RFC 9989 §4.7",
            "t=y: test mode, RFC 9989 receivers apply one level less strict than the policy \
             (reject becomes quarantine, quarantine becomes none)",
        ));
    }
    if psd == Some(Psd::Yes) {
        findings.push(Finding::info(
            "dmarc_psd_declared",
            "RFC 9989 §4.7",
            "psd=y declares a public suffix domain: its subdomains are treated as separate \
             organizations; only public suffix operators should publish it",
        ));
    }
    findings.extend(unknown_tag_findings(&list, KNOWN, "RFC 9989 §4.7"));

    if policy_broken && !fallback {
        return Parsed {
            record: None,
            findings,
        };
    }
    let (policy, subdomain_policy, nonexistent_policy) = if fallback {
        (DmarcPolicy::None, DmarcPolicy::None, DmarcPolicy::None)
    } else {
        let p = p.unwrap_or(DmarcPolicy::None);
        let sp_eff = sp.unwrap_or(p);
        (p, sp_eff, np.unwrap_or(sp_eff))
    };
    let effective = DmarcEffective {
        policy,
        subdomain_policy,
        nonexistent_policy,
        adkim: adkim.unwrap_or(Alignment::Relaxed),
        aspf: aspf.unwrap_or(Alignment::Relaxed),
        fo: if fo.is_empty() {
            vec![FailureOption::All]
        } else {
            fo.clone()
        },
        pct: pct.unwrap_or(100),
        testing: t == Some(true),
        psd: psd.unwrap_or(Psd::Unknown),
    };
    Parsed {
        record: Some(DmarcRecord {
            p,
            sp,
            np,
            adkim,
            aspf,
            fo,
            rua,
            ruf,
            pct,
            rf,
            ri,
            t,
            psd,
            policy_from_rua_fallback: fallback,
            effective,
        }),
        findings,
    }
}

/// Splits a `rua`/`ruf` value into URIs (RFC 7489 §6.4: comma-separated, each with an
/// optional `!size[kmgt]`), reporting the invalid ones.
fn report_uris(name: &str, value: &str, pos: usize, findings: &mut Vec<Finding>) -> Vec<ReportUri> {
    let mut out = Vec::new();
    for raw in value.split(',') {
        let raw = raw.trim_matches([' ', '\t', '\r', '\n']);
        let (uri, size) = match raw.rsplit_once('!') {
            Some((u, s)) => (u, Some(s)),
            None => (raw, None),
        };
        let max_size = match size.map(parse_size) {
            None => None,
            Some(Some(n)) => Some(n),
            Some(None) => {
                findings.push(Finding::error(
                    "dmarc_invalid_uri",
                    "RFC 7489 §6.4",
                    format!(
                        "{name} URI `{raw}` (tag at position {pos}) has an invalid size limit: receivers skip it"
                    ),
                ));
                continue;
            }
        };
        let parts = match check_uri(uri) {
            Ok(parts) => parts,
            Err(why) => {
                findings.push(Finding::error(
                    "dmarc_invalid_uri",
                    "RFC 7489 §6.4",
                    format!(
                        "{name} URI `{raw}` (tag at position {pos}) {why}: receivers skip it (a bare address needs mailto:)"
                    ),
                ));
                continue;
            }
        };
        if parts.scheme != "mailto" {
            findings.push(Finding::warning(
                "dmarc_non_mailto_uri",
                "RFC 7489 §6.2",
                format!(
                    "{name} URI `{uri}` uses {}: receivers are only required to support mailto",
                    parts.scheme
                ),
            ));
        }
        if max_size.is_some() {
            findings.push(Finding::info(
                "dmarc_uri_size_ignored",
                "RFC 9990",
                format!(
                    "{name} URI `{raw}` has a size limit: RFC 9990 reporters ignore it, RFC 7489 ones may skip large reports"
                ),
            ));
        }
        out.push(ReportUri {
            uri: uri.to_string(),
            scheme: parts.scheme,
            max_size,
        });
    }
    out
}

/// `1*DIGIT [ "k" / "m" / "g" / "t" ]` in bytes; None when malformed or out of range.
fn parse_size(s: &str) -> Option<u64> {
    let (digits, unit) = match s.char_indices().last() {
        Some((i, c)) if c.is_ascii_alphabetic() => (&s[..i], Some(c.to_ascii_lowercase())),
        _ => (s, None),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: u64 = digits.parse().ok()?;
    let shift = match unit {
        None => 0,
        Some('k') => 10,
        Some('m') => 20,
        Some('g') => 30,
        Some('t') => 40,
        Some(_) => return None,
    };
    n.checked_mul(1u64 << shift)
}

/// The `mailto:` destinations of `rua` with their lower-cased domains, for the
/// external-destination check (RFC 7489 §7.1), which needs DNS and is done elsewhere.
pub fn rua_hosts(record: &DmarcRecord) -> Vec<(String, String)> {
    mailto_hosts(&record.rua)
}

/// Same as [`rua_hosts`] for `ruf`.
pub fn ruf_hosts(record: &DmarcRecord) -> Vec<(String, String)> {
    mailto_hosts(&record.ruf)
}

fn mailto_hosts(uris: &[ReportUri]) -> Vec<(String, String)> {
    uris.iter()
        .filter(|u| u.scheme == "mailto")
        .filter_map(|u| {
            let rest = u.uri.split_once(':').map(|(_, r)| r)?;
            Some((u.uri.clone(), mailto_domain(rest)?))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::dns::{Severity, has_errors};
    use proptest::prelude::*;

    fn codes(p: &Parsed<DmarcRecord>) -> Vec<&str> {
        p.findings.iter().map(|f| f.code.as_str()).collect()
    }

    fn fires(text: &str, code: &str) -> bool {
        codes(&parse(text)).contains(&code)
    }

    const GOOD: &str = "v=DMARC1; p=reject; rua=mailto:dmarc@example.com";

    #[test]
    fn a_good_record_has_no_findings() {
        let p = parse(GOOD);
        assert!(p.findings.is_empty(), "{:?}", p.findings);
        assert!(p.record.is_some());
    }

    #[test]
    fn selection_needs_v_dmarc1_first_in_upper_case() {
        assert!(is_dmarc("v=DMARC1; p=none"));
        assert!(is_dmarc("v = DMARC1"));
        assert!(!is_dmarc("v=dmarc1; p=none"));
        assert!(!is_dmarc("p=none; v=DMARC1"));
        assert!(!is_dmarc("v=DMARC10"));
        assert!(!is_dmarc("v=spf1 -all"));
    }

    #[test]
    fn a_record_without_the_version_first_is_discarded() {
        let p = parse("p=none; v=DMARC1");
        assert!(p.record.is_none());
        assert_eq!(codes(&p), vec!["dmarc_invalid_version"]);
        assert!(p.findings[0].message.contains("first tag"));
    }

    #[test]
    fn effective_values_apply_the_defaults() {
        let r = parse("v=DMARC1; p=quarantine; rua=mailto:a@example.com")
            .record
            .unwrap();
        let e = &r.effective;
        assert_eq!(e.policy, DmarcPolicy::Quarantine);
        assert_eq!(e.subdomain_policy, DmarcPolicy::Quarantine);
        assert_eq!(e.nonexistent_policy, DmarcPolicy::Quarantine);
        assert_eq!((e.adkim, e.aspf), (Alignment::Relaxed, Alignment::Relaxed));
        assert_eq!(e.fo, vec![FailureOption::All]);
        assert_eq!((e.pct, e.testing, e.psd), (100, false, Psd::Unknown));
        assert_eq!(r.sp, None);
    }

    #[test]
    fn np_defaults_to_sp_and_explicit_values_are_kept() {
        let r = parse(
            "v=DMARC1; p=reject; sp=quarantine; adkim=s; aspf=S; fo=1:d; t=n; psd=n; \
             rua=mailto:a@example.com; ruf=mailto:f@example.com",
        )
        .record
        .unwrap();
        assert_eq!(r.effective.subdomain_policy, DmarcPolicy::Quarantine);
        assert_eq!(r.effective.nonexistent_policy, DmarcPolicy::Quarantine);
        assert_eq!(r.effective.adkim, Alignment::Strict);
        assert_eq!(r.effective.aspf, Alignment::Strict);
        assert_eq!(r.fo, vec![FailureOption::Any, FailureOption::Dkim]);
        assert_eq!(r.t, Some(false));
        assert_eq!(r.psd, Some(Psd::No));
        let r = parse("v=DMARC1; p=none; sp=none; np=reject; rua=mailto:a@example.com")
            .record
            .unwrap();
        assert_eq!(r.effective.nonexistent_policy, DmarcPolicy::Reject);
    }

    #[test]
    fn a_missing_policy_with_a_valid_rua_acts_as_none() {
        let p = parse("v=DMARC1; rua=mailto:a@example.com");
        assert!(fires(
            "v=DMARC1; rua=mailto:a@example.com",
            "dmarc_missing_policy"
        ));
        let r = p.record.unwrap();
        assert!(r.policy_from_rua_fallback);
        assert_eq!(r.effective.policy, DmarcPolicy::None);
    }

    #[test]
    fn a_missing_policy_without_rua_voids_the_record() {
        let p = parse("v=DMARC1; adkim=s");
        assert!(p.record.is_none());
        assert!(codes(&p).contains(&"dmarc_missing_policy"));
    }

    #[test]
    fn an_invalid_policy_or_subdomain_policy_falls_back_like_a_missing_one() {
        let p = parse("v=DMARC1; p=block; rua=mailto:a@example.com");
        assert!(codes(&p).contains(&"dmarc_invalid_policy"));
        assert!(p.record.unwrap().policy_from_rua_fallback);
        let p = parse("v=DMARC1; p=reject; sp=bogus");
        assert!(codes(&p).contains(&"dmarc_invalid_policy"));
        assert!(codes(&p).contains(&"dmarc_invalid_value"));
        assert!(p.record.is_none());
        let p = parse("v=DMARC1; p=reject; sp=bogus; rua=mailto:a@example.com");
        assert_eq!(p.record.unwrap().effective.policy, DmarcPolicy::None);
    }

    #[test]
    fn policy_values_are_case_insensitive() {
        let r = parse("v=DMARC1; P=Reject; rua=mailto:a@example.com")
            .record
            .unwrap();
        assert_eq!(r.p, Some(DmarcPolicy::Reject));
    }

    #[test]
    fn p_not_second_is_a_warning_for_older_parsers() {
        assert!(fires(
            "v=DMARC1; rua=mailto:a@example.com; p=reject",
            "dmarc_policy_not_second"
        ));
        assert!(!fires(GOOD, "dmarc_policy_not_second"));
    }

    #[test]
    fn invalid_values_are_ignored_with_an_error() {
        for bad in [
            "adkim=x",
            "aspf=relaxed",
            "fo=2",
            "psd=maybe",
            "t=yes",
            "pct=101",
            "np=no",
        ] {
            let p = parse(&format!("{GOOD}; {bad}"));
            assert!(codes(&p).contains(&"dmarc_invalid_value"), "{bad}");
            assert!(p.record.is_some(), "{bad}");
        }
        let r = parse(&format!("{GOOD}; adkim=x")).record.unwrap();
        assert_eq!(r.effective.adkim, Alignment::Relaxed);
        assert!(!fires(
            &format!("{GOOD}; fo=0:1:d:s"),
            "dmarc_invalid_value"
        ));
    }

    #[test]
    fn p_none_is_flagged_as_monitoring_only() {
        assert!(fires(
            "v=DMARC1; p=none; rua=mailto:a@example.com",
            "dmarc_policy_none"
        ));
        assert!(!fires(GOOD, "dmarc_policy_none"));
    }

    #[test]
    fn a_record_without_aggregate_reports_is_flagged() {
        assert!(fires("v=DMARC1; p=reject", "dmarc_no_rua"));
        assert!(fires(
            "v=DMARC1; p=reject; rua=dmarc@example.com",
            "dmarc_no_rua"
        ));
        assert!(!fires(GOOD, "dmarc_no_rua"));
    }

    #[test]
    fn report_uris_are_validated_and_sizes_parsed() {
        let p = parse("v=DMARC1; p=reject; rua=mailto:a@example.com!10m, dmarc@example.com");
        assert!(codes(&p).contains(&"dmarc_invalid_uri"));
        assert!(codes(&p).contains(&"dmarc_uri_size_ignored"));
        let r = p.record.unwrap();
        assert_eq!(r.rua.len(), 1);
        assert_eq!(r.rua[0].uri, "mailto:a@example.com");
        assert_eq!(r.rua[0].max_size, Some(10 << 20));
        assert!(fires(
            "v=DMARC1; p=reject; rua=mailto:a@example.com!10x",
            "dmarc_invalid_uri"
        ));
        assert!(fires(
            "v=DMARC1; p=reject; rua=mailto:a@example.com!99999999999999999999t",
            "dmarc_invalid_uri"
        ));
        assert!(!fires(GOOD, "dmarc_invalid_uri"));
        assert!(!fires(GOOD, "dmarc_uri_size_ignored"));
    }

    #[test]
    fn non_mailto_uris_are_a_warning() {
        let text = "v=DMARC1; p=reject; rua=https://reports.example.com/dmarc";
        assert!(fires(text, "dmarc_non_mailto_uri"));
        assert!(!has_errors(&parse(text).findings));
        assert!(!fires(GOOD, "dmarc_non_mailto_uri"));
    }

    #[test]
    fn more_than_two_uris_are_a_warning() {
        let text =
            "v=DMARC1; p=reject; rua=mailto:a@x.example,mailto:b@x.example,mailto:c@x.example";
        assert!(fires(text, "dmarc_too_many_uris"));
        assert!(!fires(
            "v=DMARC1; p=reject; rua=mailto:a@x.example,mailto:b@x.example",
            "dmarc_too_many_uris"
        ));
    }

    #[test]
    fn ruf_and_fo_are_checked_together() {
        assert!(fires(
            &format!("{GOOD}; ruf=mailto:f@example.com"),
            "dmarc_ruf_without_fo"
        ));
        assert!(!fires(
            &format!("{GOOD}; ruf=mailto:f@example.com; fo=1"),
            "dmarc_ruf_without_fo"
        ));
        assert!(fires(&format!("{GOOD}; fo=1"), "dmarc_fo_without_ruf"));
        assert!(!fires(
            &format!("{GOOD}; ruf=mailto:f@example.com; fo=1"),
            "dmarc_fo_without_ruf"
        ));
    }

    #[test]
    fn weaker_subdomain_and_nonexistent_policies_are_flagged() {
        assert!(fires(&format!("{GOOD}; sp=none"), "dmarc_sp_weaker"));
        assert!(!fires(&format!("{GOOD}; sp=reject"), "dmarc_sp_weaker"));
        assert!(fires(&format!("{GOOD}; np=quarantine"), "dmarc_np_weaker"));
        assert!(!fires(&format!("{GOOD}; np=reject"), "dmarc_np_weaker"));
        let lax = "v=DMARC1; p=quarantine; sp=none; np=reject; rua=mailto:a@example.com";
        assert!(fires(lax, "dmarc_np_legacy"));
        assert!(!fires(GOOD, "dmarc_np_legacy"));
    }

    #[test]
    fn pct_is_a_removed_tag_and_partial_values_are_flagged() {
        let p = parse(&format!("{GOOD}; pct=50"));
        assert!(codes(&p).contains(&"dmarc_removed_tag"));
        assert!(codes(&p).contains(&"dmarc_pct_partial"));
        assert_eq!(p.record.unwrap().effective.pct, 50);
        let p = parse(&format!("{GOOD}; pct=100"));
        assert!(codes(&p).contains(&"dmarc_removed_tag"));
        assert!(!codes(&p).contains(&"dmarc_pct_partial"));
        assert!(!fires(GOOD, "dmarc_removed_tag"));
    }

    #[test]
    fn rf_and_ri_are_obsolete_information() {
        let p = parse(&format!("{GOOD}; rf=afrf; ri=3600"));
        let obsolete: Vec<_> = p
            .findings
            .iter()
            .filter(|f| f.code == "dmarc_obsolete_tag")
            .collect();
        assert_eq!(obsolete.len(), 2);
        assert!(obsolete.iter().all(|f| f.severity == Severity::Info));
        assert_eq!(p.record.unwrap().ri, Some(3600));
        assert!(!fires(GOOD, "dmarc_obsolete_tag"));
    }

    #[test]
    fn test_mode_and_psd_are_reported() {
        let p = parse(&format!("{GOOD}; t=y"));
        assert!(codes(&p).contains(&"dmarc_test_mode"));
        assert!(p.record.unwrap().effective.testing);
        assert!(!fires(&format!("{GOOD}; t=n"), "dmarc_test_mode"));
        assert!(fires(&format!("{GOOD}; psd=y"), "dmarc_psd_declared"));
        assert!(!fires(&format!("{GOOD}; psd=n"), "dmarc_psd_declared"));
    }

    #[test]
    fn unknown_tags_are_information_only() {
        let p = parse(&format!("{GOOD}; foo=bar"));
        let f = p
            .findings
            .iter()
            .find(|f| f.code == "dmarc_unknown_tag")
            .unwrap();
        assert_eq!(f.severity, Severity::Info);
        assert!(f.message.contains("position"));
        assert!(p.record.is_some());
        assert!(!fires(GOOD, "dmarc_unknown_tag"));
    }

    #[test]
    fn syntax_problems_and_duplicates_are_errors() {
        assert!(fires(&format!("{GOOD}; junk"), "dmarc_syntax"));
        assert!(fires(&format!("{GOOD}; p=none"), "dmarc_duplicate_tag"));
        assert!(fires(&format!("{GOOD};; adkim=s"), "dmarc_empty_tag"));
        assert!(!fires(&format!("{GOOD};"), "dmarc_empty_tag"));
        assert!(!fires(GOOD, "dmarc_syntax"));
        assert!(!fires(GOOD, "dmarc_duplicate_tag"));
    }

    #[test]
    fn rua_hosts_lists_the_mailto_domains() {
        let r = parse(
            "v=DMARC1; p=reject; rua=mailto:a@Reports.Example.NET,https://r.example.com/x; \
             ruf=mailto:f@example.org",
        )
        .record
        .unwrap();
        assert_eq!(
            rua_hosts(&r),
            vec![(
                "mailto:a@Reports.Example.NET".to_string(),
                "reports.example.net".to_string()
            )]
        );
        assert_eq!(ruf_hosts(&r)[0].1, "example.org");
    }

    proptest! {
        #[test]
        fn parse_never_panics(s in ".{0,200}") {
            let _ = parse(&s);
            let _ = parse(&format!("v=DMARC1; {s}"));
        }
    }
}
