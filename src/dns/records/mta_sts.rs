//! MTA-STS (RFC 8461): the `_mta-sts.<domain>` TXT record (§3.1), the policy file served at
//! `https://mta-sts.<domain>/.well-known/mta-sts.txt` (§3.2), and MX pattern matching (§4.1).
//!
//! Both grammars are case-sensitive (`%s"v=STSv1"`, `%s"version"`), allow no white space around
//! `=` in the TXT record, and tell parsers to ignore unknown fields. No I/O: fetching the
//! policy (HTTPS only, no redirects, 64 KB cap) is done elsewhere.

use super::{Parsed, TagSyntax, is_hostname, parse_tag_list, starts_with_version};
use crate::dns::Finding;
use serde::{Deserialize, Serialize};

const SYNTAX: TagSyntax = TagSyntax {
    kind: "mta_sts",
    rfc: "RFC 8461 §3.1",
    case_insensitive_names: false,
    space_around_equals: false,
    extended_names: true,
};

/// Largest `max_age` allowed (about a year), RFC 8461 §3.2.
pub const MAX_AGE_LIMIT: u32 = 31_557_600;

/// Policy size senders are advised to accept at most (RFC 8461 §3.3).
pub const POLICY_SIZE_LIMIT: usize = 64 * 1024;

/// A field the record or policy defines beyond the RFC, kept as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Extension {
    pub name: String,
    pub value: String,
}

/// A parsed `_mta-sts` TXT record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MtaStsTxt {
    /// Policy id: senders refetch the policy when it changes.
    #[schema(example = "20261127T031500")]
    pub id: String,
    /// Extension fields (ignored by senders).
    pub extensions: Vec<Extension>,
}

/// Policy mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MtaStsMode {
    /// Senders refuse delivery to MX hosts that fail the policy.
    Enforce,
    /// Senders deliver anyway and report failures (TLS-RPT).
    Testing,
    /// No policy: used to withdraw MTA-STS.
    None,
}

impl MtaStsMode {
    /// The policy file value.
    pub fn as_str(self) -> &'static str {
        match self {
            MtaStsMode::Enforce => "enforce",
            MtaStsMode::Testing => "testing",
            MtaStsMode::None => "none",
        }
    }
}

/// A parsed policy file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MtaStsPolicy {
    pub mode: MtaStsMode,
    /// Seconds senders may cache the policy.
    pub max_age: u32,
    /// Valid MX patterns, in order, as written.
    pub mx: Vec<String>,
    /// Unknown keys (ignored by senders).
    pub extensions: Vec<Extension>,
}

/// Whether a TXT record is an MTA-STS record at all (selection before counting, §3.1).
pub fn is_mta_sts(text: &str) -> bool {
    starts_with_version(text, "STSv1", false)
}

fn valid_id(id: &str) -> bool {
    (1..=32).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// Parses and lints the `_mta-sts` TXT record.
pub fn parse_txt(text: &str) -> Parsed<MtaStsTxt> {
    let mut findings = Vec::new();
    let none = |findings: Vec<Finding>| Parsed {
        record: None,
        findings,
    };
    if !is_mta_sts(text) {
        findings.push(Finding::error(
            "mta_sts_invalid_version",
            "RFC 8461 §3.1",
            "the record must start with v=STSv1 (case-sensitive, no spaces): senders discard it",
        ));
        return none(findings);
    }
    let tags = parse_tag_list(text, SYNTAX);
    findings.extend(tags.findings.iter().cloned());
    let Some(id) = tags.get("id") else {
        findings.push(Finding::error(
            "mta_sts_missing_id",
            "RFC 8461 §3.1",
            "no id= field: senders cannot tell when the policy changes, so the record is invalid",
        ));
        return none(findings);
    };
    if !valid_id(id.value) {
        findings.push(Finding::error(
            "mta_sts_invalid_id",
            "RFC 8461 §3.1",
            format!(
                "id={} at position {} must be 1 to 32 letters and digits",
                id.value, id.pos
            ),
        ));
        return none(findings);
    }
    let mut extensions = Vec::new();
    for t in tags.tags.iter().skip(1) {
        if t.name == "id" {
            continue;
        }
        findings.push(Finding::info(
            "mta_sts_unknown_tag",
            "RFC 8461 §3.1",
            format!(
                "extension field `{}` at position {} is ignored by senders",
                t.name, t.pos
            ),
        ));
        extensions.push(Extension {
            name: t.name.to_string(),
            value: t.value.to_string(),
        });
    }
    Parsed {
        record: Some(MtaStsTxt {
            id: id.value.to_string(),
            extensions,
        }),
        findings,
    }
}

/// Whether an `mx:` value is a valid pattern: a host name, or `*.` followed by one (the
/// wildcard only as the whole leftmost label).
pub fn valid_mx_pattern(pattern: &str) -> bool {
    let host = pattern.strip_prefix("*.").unwrap_or(pattern);
    is_hostname(host) && !host.contains('*')
}

fn valid_key(key: &str) -> bool {
    (1..=32).contains(&key.len())
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
}

/// Parses and lints the policy file body.
pub fn parse_policy(body: &str) -> Parsed<MtaStsPolicy> {
    let mut findings = Vec::new();
    if body.len() > POLICY_SIZE_LIMIT {
        findings.push(Finding::error(
            "mta_sts_policy_too_large",
            "RFC 8461 §3.3",
            format!(
                "the policy is {} bytes: senders may refuse policies over 64 KB",
                body.len()
            ),
        ));
    }
    let mut lf_only = false;
    let mut fields: Vec<(usize, &str, &str)> = Vec::new();
    let mut rest = body;
    let mut line_no = 0;
    while !rest.is_empty() {
        line_no += 1;
        let (line, next, terminated) = match rest.find('\n') {
            Some(i) => (&rest[..i], &rest[i + 1..], true),
            None => (rest, "", false),
        };
        let line = match line.strip_suffix('\r') {
            Some(l) => l,
            None => {
                lf_only |= terminated;
                line
            }
        };
        rest = next;
        if line.trim_matches([' ', '\t']).is_empty() {
            continue;
        }
        let Some((key, value)) = line.split_once(':') else {
            findings.push(Finding::error(
                "mta_sts_syntax",
                "RFC 8461 §3.2",
                format!("line {line_no} is not a `key: value` pair: it is ignored"),
            ));
            continue;
        };
        let value = value.trim_matches([' ', '\t']);
        if !valid_key(key) {
            findings.push(Finding::error(
                "mta_sts_syntax",
                "RFC 8461 §3.2",
                format!(
                    "line {line_no}: `{key}` is not a valid key (letters, digits, `_`, `-`, `.`, with no space before the colon): the line is ignored"
                ),
            ));
            continue;
        }
        if value.is_empty() || value.chars().any(|c| !c.is_ascii_graphic() && c != ' ') {
            findings.push(Finding::error(
                "mta_sts_syntax",
                "RFC 8461 §3.2",
                format!("line {line_no}: the value of `{key}` is empty or has invalid characters: the line is ignored"),
            ));
            continue;
        }
        fields.push((line_no, key, value));
    }
    if lf_only {
        findings.push(Finding::info(
            "mta_sts_lf_line_endings",
            "RFC 8461 §3.2",
            "lines end with LF only: senders accept it, but the policy format is CRLF lines",
        ));
    }

    let first = |key: &str, findings: &mut Vec<Finding>| -> Option<(usize, &str)> {
        let mut hits = fields.iter().filter(|(_, k, _)| *k == key);
        let found = hits.next().map(|(n, _, v)| (*n, *v));
        for (n, _, _) in hits {
            findings.push(Finding::error(
                "mta_sts_duplicate_key",
                "RFC 8461 §3.2",
                format!(
                    "line {n}: `{key}` appears again; senders may use either value (this check uses the first)"
                ),
            ));
        }
        found
    };
    let version = first("version", &mut findings);
    let mode_field = first("mode", &mut findings);
    let max_age_field = first("max_age", &mut findings);

    let mut valid = true;
    match version {
        Some((_, "STSv1")) => {}
        Some((n, v)) => {
            valid = false;
            findings.push(Finding::error(
                "mta_sts_invalid_version",
                "RFC 8461 §3.2",
                format!("line {n}: version {v} is not STSv1 (case-sensitive)"),
            ));
        }
        None => {
            valid = false;
            findings.push(Finding::error(
                "mta_sts_invalid_version",
                "RFC 8461 §3.2",
                "no `version: STSv1` line: senders reject the policy",
            ));
        }
    }
    let mode = match mode_field {
        Some((_, "enforce")) => Some(MtaStsMode::Enforce),
        Some((_, "testing")) => Some(MtaStsMode::Testing),
        Some((_, "none")) => Some(MtaStsMode::None),
        Some((n, v)) => {
            findings.push(Finding::error(
                "mta_sts_invalid_mode",
                "RFC 8461 §3.2",
                format!("line {n}: mode {v} is not enforce, testing or none (case-sensitive)"),
            ));
            None
        }
        None => {
            findings.push(Finding::error(
                "mta_sts_invalid_mode",
                "RFC 8461 §3.2",
                "no `mode:` line: senders reject the policy",
            ));
            None
        }
    };
    match mode {
        Some(MtaStsMode::Testing) => findings.push(Finding::info(
            "mta_sts_testing",
            "RFC 8461 §5",
            "mode testing: senders deliver even when TLS fails and only report it (TLS-RPT); switch to enforce once reports are clean",
        )),
        Some(MtaStsMode::None) => findings.push(Finding::warning(
            "mta_sts_mode_none",
            "RFC 8461 §5",
            "mode none: MTA-STS is switched off for this domain",
        )),
        _ => {}
    }
    let max_age = match max_age_field {
        Some((n, v)) => {
            let parsed = (v.len() <= 10 && v.bytes().all(|b| b.is_ascii_digit()))
                .then(|| v.parse::<u64>().ok())
                .flatten();
            match parsed {
                Some(age) if age <= u64::from(MAX_AGE_LIMIT) => u32::try_from(age).ok(),
                Some(_) => {
                    findings.push(Finding::error(
                        "mta_sts_invalid_max_age",
                        "RFC 8461 §3.2",
                        format!(
                            "line {n}: max_age {v} is above the maximum of {MAX_AGE_LIMIT} seconds"
                        ),
                    ));
                    None
                }
                None => {
                    findings.push(Finding::error(
                        "mta_sts_invalid_max_age",
                        "RFC 8461 §3.2",
                        format!("line {n}: max_age {v} is not a whole number of seconds"),
                    ));
                    None
                }
            }
        }
        None => {
            findings.push(Finding::error(
                "mta_sts_missing_max_age",
                "RFC 8461 §3.2",
                "no `max_age:` line: senders reject the policy",
            ));
            None
        }
    };
    if let Some(age) = max_age
        && age < 86_400
    {
        findings.push(Finding::warning(
            "mta_sts_max_age_low",
            "RFC 8461 §3.2",
            format!(
                "max_age {age} is under a day: an attacker who blocks the policy fetch can strip TLS once the cache expires; use weeks (e.g. 604800 or more) in enforce mode"
            ),
        ));
    }

    let mut mx = Vec::new();
    for (n, _, v) in fields.iter().filter(|(_, k, _)| *k == "mx") {
        if valid_mx_pattern(v) {
            mx.push(v.to_string());
        } else {
            findings.push(Finding::error(
                "mta_sts_invalid_mx",
                "RFC 8461 §3.2",
                format!(
                    "line {n}: mx {v} is not a host name or `*.` followed by one (the wildcard must be the whole leftmost label)"
                ),
            ));
        }
    }
    if mx.is_empty() && mode.is_some_and(|m| m != MtaStsMode::None) {
        findings.push(Finding::error(
            "mta_sts_missing_mx",
            "RFC 8461 §3.2",
            "no valid `mx:` line: a policy in testing or enforce mode needs at least one MX pattern",
        ));
        valid = false;
    }

    let mut extensions = Vec::new();
    for (n, k, v) in &fields {
        if ["version", "mode", "max_age", "mx"].contains(k) {
            continue;
        }
        let hint = if ["version", "mode", "max_age", "mx"]
            .iter()
            .any(|known| known.eq_ignore_ascii_case(k))
        {
            " (keys are case-sensitive: use lower case)"
        } else {
            ""
        };
        findings.push(Finding::info(
            "mta_sts_unknown_key",
            "RFC 8461 §3.2",
            format!("line {n}: unknown key `{k}` is ignored by senders{hint}"),
        ));
        extensions.push(Extension {
            name: k.to_string(),
            value: v.to_string(),
        });
    }

    let record = match (valid, mode, max_age) {
        (true, Some(mode), Some(max_age)) => Some(MtaStsPolicy {
            mode,
            max_age,
            mx,
            extensions,
        }),
        _ => None,
    };
    Parsed { record, findings }
}

fn normalise(name: &str) -> String {
    name.trim_end_matches('.').to_ascii_lowercase()
}

/// Whether an MX host matches a policy pattern (RFC 8461 §4.1): case-insensitive, trailing
/// dots ignored; `*.example.com` matches exactly one extra leftmost label.
pub fn mx_matches(pattern: &str, host: &str) -> bool {
    let pattern = normalise(pattern);
    let host = normalise(host);
    if pattern.is_empty() || host.is_empty() {
        return false;
    }
    match pattern.strip_prefix("*.") {
        Some(suffix) => host
            .strip_suffix(suffix)
            .and_then(|prefix| prefix.strip_suffix('.'))
            .is_some_and(|label| !label.is_empty() && !label.contains('.')),
        None => pattern == host,
    }
}

/// Findings for the MX hosts the policy does not cover (an error in enforce mode, where
/// senders refuse to deliver to them; a warning in testing) and for patterns no MX uses.
pub fn uncovered_mx(policy: &MtaStsPolicy, mx_hosts: &[String]) -> Vec<Finding> {
    let mut out = Vec::new();
    if policy.mode == MtaStsMode::None {
        return out;
    }
    // A null MX (RFC 7505) is "." and is not a host to cover.
    let hosts: Vec<&String> = mx_hosts
        .iter()
        .filter(|h| !normalise(h).is_empty())
        .collect();
    for host in &hosts {
        if !policy.mx.iter().any(|p| mx_matches(p, host)) {
            let message = format!(
                "MX host {host} matches no mx pattern of the policy: {}",
                if policy.mode == MtaStsMode::Enforce {
                    "senders enforcing MTA-STS will not deliver to it"
                } else {
                    "in testing mode senders deliver but report a failure; in enforce mode they would not deliver"
                }
            );
            out.push(if policy.mode == MtaStsMode::Enforce {
                Finding::error("mta_sts_mx_not_covered", "RFC 8461 §4.1", message)
            } else {
                Finding::warning("mta_sts_mx_not_covered", "RFC 8461 §4.1", message)
            });
        }
    }
    for pattern in &policy.mx {
        if !hosts.iter().any(|h| mx_matches(pattern, h)) {
            out.push(Finding::info(
                "mta_sts_unused_mx_pattern",
                "RFC 8461 §4.1",
                format!("mx pattern {pattern} matches none of the domain's MX hosts"),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::dns::Severity;
    use proptest::prelude::*;

    const POLICY: &str = "version: STSv1\r\nmode: enforce\r\nmx: mx1.example.com\r\nmx: *.mail.example.com\r\nmax_age: 604800\r\n";

    fn codes<T>(p: &Parsed<T>) -> Vec<&str> {
        p.findings.iter().map(|f| f.code.as_str()).collect()
    }

    fn policy_fires(body: &str, code: &str) -> bool {
        codes(&parse_policy(body)).contains(&code)
    }

    fn txt_fires(text: &str, code: &str) -> bool {
        codes(&parse_txt(text)).contains(&code)
    }

    #[test]
    fn a_valid_txt_record_has_no_findings() {
        let p = parse_txt("v=STSv1; id=20261127T031500;");
        assert!(p.findings.is_empty(), "{:?}", p.findings);
        assert_eq!(p.record.unwrap().id, "20261127T031500");
    }

    #[test]
    fn the_txt_version_must_be_first_and_exact() {
        for bad in [
            "id=1; v=STSv1",
            "v=stsv1; id=1",
            "v = STSv1; id=1",
            "v=STSv10; id=1",
        ] {
            assert!(txt_fires(bad, "mta_sts_invalid_version"), "{bad}");
            assert!(parse_txt(bad).record.is_none());
        }
        assert!(!txt_fires("v=STSv1; id=1", "mta_sts_invalid_version"));
    }

    #[test]
    fn the_id_must_be_1_to_32_letters_and_digits() {
        assert!(txt_fires("v=STSv1; id=2026-11-27", "mta_sts_invalid_id"));
        assert!(txt_fires(
            &format!("v=STSv1; id={}", "a".repeat(33)),
            "mta_sts_invalid_id"
        ));
        assert!(!txt_fires(
            &format!("v=STSv1; id={}", "a".repeat(32)),
            "mta_sts_invalid_id"
        ));
        assert!(txt_fires("v=STSv1", "mta_sts_missing_id"));
        assert!(!txt_fires("v=STSv1; id=1", "mta_sts_missing_id"));
    }

    #[test]
    fn txt_extension_fields_are_ignored_with_information() {
        let p = parse_txt("v=STSv1; id=abc; x-ext.1=val");
        assert_eq!(codes(&p), vec!["mta_sts_unknown_tag"]);
        assert_eq!(p.record.unwrap().extensions[0].name, "x-ext.1");
        assert!(!txt_fires("v=STSv1; id=1", "mta_sts_unknown_tag"));
    }

    #[test]
    fn txt_syntax_errors_are_reported() {
        assert!(txt_fires("v=STSv1; id = 1", "mta_sts_syntax"));
        assert!(txt_fires("v=STSv1; id=1; id=2", "mta_sts_duplicate_tag"));
    }

    #[test]
    fn a_valid_policy_has_no_findings() {
        let p = parse_policy(POLICY);
        assert!(p.findings.is_empty(), "{:?}", p.findings);
        let r = p.record.unwrap();
        assert_eq!(r.mode, MtaStsMode::Enforce);
        assert_eq!(r.max_age, 604_800);
        assert_eq!(r.mx, vec!["mx1.example.com", "*.mail.example.com"]);
    }

    #[test]
    fn lf_line_endings_are_accepted_with_information() {
        let p = parse_policy(&POLICY.replace("\r\n", "\n"));
        assert_eq!(codes(&p), vec!["mta_sts_lf_line_endings"]);
        assert!(p.record.is_some());
        assert!(!policy_fires(POLICY, "mta_sts_lf_line_endings"));
        // A last line without a terminator is fine.
        assert!(!policy_fires(POLICY.trim_end(), "mta_sts_lf_line_endings"));
    }

    #[test]
    fn version_mode_and_max_age_are_required() {
        for (key, code) in [
            ("version", "mta_sts_invalid_version"),
            ("mode", "mta_sts_invalid_mode"),
            ("max_age", "mta_sts_missing_max_age"),
        ] {
            let body: String = POLICY
                .split_inclusive("\r\n")
                .filter(|l| !l.starts_with(key))
                .collect();
            let p = parse_policy(&body);
            assert!(p.record.is_none(), "{key}");
            assert!(codes(&p).contains(&code), "{key}");
            assert!(!policy_fires(POLICY, code));
        }
    }

    #[test]
    fn values_are_case_sensitive() {
        let p = parse_policy(&POLICY.replace("enforce", "Enforce"));
        assert!(codes(&p).contains(&"mta_sts_invalid_mode"));
        let p = parse_policy(&POLICY.replace("STSv1", "stsv1"));
        assert!(codes(&p).contains(&"mta_sts_invalid_version"));
        let p = parse_policy(&POLICY.replace("mode:", "Mode:"));
        assert!(
            p.findings
                .iter()
                .any(|f| f.code == "mta_sts_unknown_key" && f.message.contains("case-sensitive"))
        );
    }

    #[test]
    fn max_age_must_be_a_number_up_to_a_year() {
        let p = parse_policy(&POLICY.replace("604800", "31557601"));
        assert!(codes(&p).contains(&"mta_sts_invalid_max_age"));
        assert!(p.record.is_none());
        assert!(policy_fires(
            &POLICY.replace("604800", "1w"),
            "mta_sts_invalid_max_age"
        ));
        assert!(policy_fires(
            &POLICY.replace("604800", "99999999999"),
            "mta_sts_invalid_max_age"
        ));
        assert!(!policy_fires(
            &POLICY.replace("604800", "31557600"),
            "mta_sts_invalid_max_age"
        ));
        assert!(!policy_fires(POLICY, "mta_sts_invalid_max_age"));
    }

    #[test]
    fn a_low_max_age_is_a_warning() {
        let p = parse_policy(&POLICY.replace("604800", "3600"));
        assert_eq!(codes(&p), vec!["mta_sts_max_age_low"]);
        assert_eq!(p.record.unwrap().max_age, 3600);
        assert!(!policy_fires(POLICY, "mta_sts_max_age_low"));
    }

    #[test]
    fn mx_patterns_are_validated_and_required_unless_mode_none() {
        let p = parse_policy(&POLICY.replace("*.mail.example.com", "mx*.example.com"));
        assert!(codes(&p).contains(&"mta_sts_invalid_mx"));
        assert_eq!(p.record.unwrap().mx, vec!["mx1.example.com"]);
        assert!(policy_fires(
            &POLICY.replace("*.mail", "*.*.mail"),
            "mta_sts_invalid_mx"
        ));
        assert!(!policy_fires(POLICY, "mta_sts_invalid_mx"));
        let no_mx = "version: STSv1\r\nmode: enforce\r\nmax_age: 604800\r\n";
        let p = parse_policy(no_mx);
        assert!(codes(&p).contains(&"mta_sts_missing_mx"));
        assert!(p.record.is_none());
        let p = parse_policy(&no_mx.replace("enforce", "none"));
        assert!(!codes(&p).contains(&"mta_sts_missing_mx"));
        assert_eq!(p.record.unwrap().mode, MtaStsMode::None);
        assert!(!policy_fires(POLICY, "mta_sts_missing_mx"));
    }

    #[test]
    fn modes_testing_and_none_are_reported() {
        assert!(policy_fires(
            &POLICY.replace("enforce", "testing"),
            "mta_sts_testing"
        ));
        assert!(policy_fires(
            &POLICY.replace("enforce", "none"),
            "mta_sts_mode_none"
        ));
        assert!(!policy_fires(POLICY, "mta_sts_testing"));
        assert!(!policy_fires(POLICY, "mta_sts_mode_none"));
    }

    #[test]
    fn duplicate_keys_other_than_mx_are_errors() {
        let p = parse_policy(&format!("{POLICY}mode: testing\r\n"));
        assert!(codes(&p).contains(&"mta_sts_duplicate_key"));
        assert_eq!(p.record.unwrap().mode, MtaStsMode::Enforce);
        assert!(!policy_fires(POLICY, "mta_sts_duplicate_key"));
    }

    #[test]
    fn unknown_keys_are_ignored_with_information() {
        let p = parse_policy(&format!("{POLICY}x-note: hello\r\n"));
        assert_eq!(codes(&p), vec!["mta_sts_unknown_key"]);
        assert_eq!(p.record.unwrap().extensions[0].value, "hello");
        assert!(!policy_fires(POLICY, "mta_sts_unknown_key"));
    }

    #[test]
    fn malformed_lines_and_oversized_policies_are_errors() {
        assert!(policy_fires(
            &format!("{POLICY}garbage\r\n"),
            "mta_sts_syntax"
        ));
        assert!(policy_fires(
            &format!("{POLICY}mode : x\r\n"),
            "mta_sts_syntax"
        ));
        assert!(!policy_fires(POLICY, "mta_sts_syntax"));
        let big = format!("{POLICY}{}", "x-pad: 0123456789\r\n".repeat(4000));
        assert!(policy_fires(&big, "mta_sts_policy_too_large"));
        assert!(!policy_fires(POLICY, "mta_sts_policy_too_large"));
    }

    #[test]
    fn wildcards_match_exactly_one_leftmost_label() {
        assert!(mx_matches("*.example.com", "mx1.example.com"));
        assert!(mx_matches("*.Example.COM.", "MX1.example.com."));
        assert!(!mx_matches("*.example.com", "a.b.example.com"));
        assert!(!mx_matches("*.example.com", "example.com"));
        assert!(!mx_matches("*.example.com", "xexample.com"));
        assert!(!mx_matches("*.example.com", ".example.com"));
        assert!(mx_matches("mx1.example.com", "MX1.EXAMPLE.COM."));
        assert!(!mx_matches("mx1.example.com", "mx2.example.com"));
        assert!(!mx_matches("", ""));
    }

    #[test]
    fn uncovered_mx_hosts_are_errors_in_enforce_and_warnings_in_testing() {
        let policy = parse_policy(POLICY).record.unwrap();
        let hosts = vec![
            "mx1.example.com.".to_string(),
            "a.mail.example.com".to_string(),
            "backup.example.net".to_string(),
        ];
        let f = uncovered_mx(&policy, &hosts);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].code, "mta_sts_mx_not_covered");
        assert_eq!(f[0].severity, Severity::Error);
        assert!(f[0].message.contains("backup.example.net"));
        let testing = MtaStsPolicy {
            mode: MtaStsMode::Testing,
            ..policy.clone()
        };
        assert_eq!(
            uncovered_mx(&testing, &hosts)[0].severity,
            Severity::Warning
        );
        assert!(uncovered_mx(&policy, &hosts[..2]).is_empty());
        let off = MtaStsPolicy {
            mode: MtaStsMode::None,
            ..policy.clone()
        };
        assert!(uncovered_mx(&off, &hosts).is_empty());
    }

    #[test]
    fn patterns_matching_no_mx_are_information() {
        let policy = parse_policy(POLICY).record.unwrap();
        let f = uncovered_mx(&policy, &["mx1.example.com".to_string()]);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].code, "mta_sts_unused_mx_pattern");
        assert_eq!(f[0].severity, Severity::Info);
    }

    proptest! {
        #[test]
        fn parsers_never_panic(s in "(?s).{0,300}") {
            let _ = parse_txt(&s);
            let _ = parse_txt(&format!("v=STSv1; {s}"));
            let _ = parse_policy(&s);
            let _ = parse_policy(&format!("version: STSv1\r\n{s}"));
            let _ = mx_matches(&s, &s);
            let _ = mx_matches("*.example.com", &s);
        }
    }
}
