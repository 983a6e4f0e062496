//! Pure parsers and linters for the TXT records (and the MTA-STS policy file) that email
//! authentication publishes. No I/O: text in, parsed view and findings out.
//!
//! Every parser takes arbitrary text and never panics. The shared pieces live here: the
//! `tag=value` list of RFC 6376 §3.2 / RFC 7489 §6.4 (with character positions so findings can
//! point at the spot), host-name checks and URI checks.

pub mod bimi;
pub mod dkim;
pub mod dmarc;
pub mod mta_sts;
pub mod tlsrpt;

use super::Finding;
use serde::Serialize;

/// What a parser made of one record: the parsed view when the record is usable (possibly
/// with warnings), and every finding, each naming its rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Parsed<T> {
    pub record: Option<T>,
    pub findings: Vec<Finding>,
}

/// One `name=value` pair of a tag list, as written (whitespace around the value removed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Tag<'a> {
    pub name: &'a str,
    pub value: &'a str,
    /// 1-based character position of the tag name in the record, for messages.
    pub pos: usize,
}

/// The grammar details that differ between the record kinds using a tag list.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TagSyntax {
    /// Finding code prefix, e.g. `dmarc`.
    pub kind: &'static str,
    /// The rule cited by syntax findings.
    pub rfc: &'static str,
    /// DMARC and BIMI tag names are ABNF quoted strings, so case-insensitive; DKIM, MTA-STS
    /// and TLS-RPT names are case-sensitive.
    pub case_insensitive_names: bool,
    /// RFC 6376/7489 allow whitespace around `=`; the RFC 8460/8461 grammars do not.
    pub space_around_equals: bool,
    /// RFC 8460/8461 extension names may start with a digit and contain `-` and `.`.
    pub extended_names: bool,
}

/// A parsed tag list: the well-formed tags in order, plus the syntax findings.
#[derive(Debug, Clone)]
pub(crate) struct TagList<'a> {
    pub tags: Vec<Tag<'a>>,
    pub findings: Vec<Finding>,
    /// Some segment was malformed (and was left out of `tags`).
    pub malformed: bool,
    /// Some tag name occurred more than once (every occurrence is kept in `tags`).
    pub duplicates: bool,
    syntax: TagSyntax,
}

impl<'a> TagList<'a> {
    /// The first occurrence of a tag.
    pub fn get(&self, name: &str) -> Option<&Tag<'a>> {
        self.tags.iter().find(|t| self.same_name(t.name, name))
    }

    fn same_name(&self, a: &str, b: &str) -> bool {
        if self.syntax.case_insensitive_names {
            a.eq_ignore_ascii_case(b)
        } else {
            a == b
        }
    }

    /// Tags whose names are not in `known`, in order.
    pub fn unknown<'s>(&'s self, known: &'s [&str]) -> impl Iterator<Item = &'s Tag<'a>> + 's {
        self.tags
            .iter()
            .filter(move |t| !known.iter().any(|k| self.same_name(t.name, k)))
    }
}

/// 1-based character position of byte offset `byte` in `text`.
pub(crate) fn char_pos(text: &str, byte: usize) -> usize {
    text.get(..byte).map_or(0, |s| s.chars().count()) + 1
}

fn is_fws(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

fn valid_tag_name(name: &str, extended: bool) -> bool {
    let mut chars = name.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    if extended {
        // RFC 8460/8461: (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".")
        first.is_ascii_alphanumeric()
            && name.len() <= 32
            && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
    } else {
        // RFC 6376 §3.2: ALPHA *ALNUMPUNC
        first.is_ascii_alphabetic() && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
    }
}

/// Parses `tag=value` pairs separated by `;` (RFC 6376 §3.2, RFC 7489 §6.4): optional folding
/// white space around tags, a trailing `;` allowed. Malformed segments are reported and left
/// out; duplicates are reported and kept so each kind can apply its own rule.
pub(crate) fn parse_tag_list(text: &str, syntax: TagSyntax) -> TagList<'_> {
    let kind = syntax.kind;
    let mut list = TagList {
        tags: Vec::new(),
        findings: Vec::new(),
        malformed: false,
        duplicates: false,
        syntax,
    };
    let mut start = 0usize;
    let segments: Vec<(usize, &str)> = text
        .split(';')
        .map(|seg| {
            let at = start;
            start += seg.len() + 1;
            (at, seg)
        })
        .collect();
    let last = segments.len().saturating_sub(1);
    for (i, (offset, seg)) in segments.into_iter().enumerate() {
        let lead = seg.len() - seg.trim_start_matches(is_fws).len();
        let body = seg.trim_matches(is_fws);
        let at = offset + lead;
        if body.is_empty() {
            // A trailing `;` (or an empty record) is allowed; an empty field in the middle
            // is not in the grammar, though receivers generally skip it.
            if i != last {
                list.findings.push(Finding::warning(
                    &format!("{kind}_empty_tag"),
                    syntax.rfc,
                    format!(
                        "empty field (two `;` in a row) at position {}: remove it; strict parsers reject it",
                        char_pos(text, at)
                    ),
                ));
            }
            continue;
        }
        let pos = char_pos(text, at);
        let Some(eq) = body.find('=') else {
            list.malformed = true;
            list.findings.push(Finding::error(
                &format!("{kind}_syntax"),
                syntax.rfc,
                format!("`{body}` at position {pos} is not a tag=value pair: it is ignored"),
            ));
            continue;
        };
        let raw_name = &body[..eq];
        let raw_value = &body[eq + 1..];
        let name = raw_name.trim_end_matches(is_fws);
        let value = raw_value.trim_matches(is_fws);
        if !syntax.space_around_equals
            && (name.len() != raw_name.len() || raw_value.starts_with(is_fws))
        {
            list.malformed = true;
            list.findings.push(Finding::error(
                &format!("{kind}_syntax"),
                syntax.rfc,
                format!(
                    "tag `{name}` at position {pos} has white space around `=`, which this record's grammar does not allow: it is ignored"
                ),
            ));
            continue;
        }
        if !valid_tag_name(name, syntax.extended_names) {
            list.malformed = true;
            list.findings.push(Finding::error(
                &format!("{kind}_syntax"),
                syntax.rfc,
                format!("`{name}` at position {pos} is not a valid tag name: the tag is ignored"),
            ));
            continue;
        }
        // tag-value: VALCHAR (printable ASCII except `;`) runs separated by white space.
        if let Some(bad) = value
            .chars()
            .find(|c| !(c.is_ascii_graphic() || is_fws(*c)))
        {
            list.malformed = true;
            list.findings.push(Finding::error(
                &format!("{kind}_syntax"),
                syntax.rfc,
                format!(
                    "tag `{name}` at position {pos} contains the character {bad:?}, which is not allowed in a tag value: the tag is ignored"
                ),
            ));
            continue;
        }
        if list.get(name).is_some() {
            list.duplicates = true;
            list.findings.push(Finding::error(
                &format!("{kind}_duplicate_tag"),
                syntax.rfc,
                format!("tag `{name}` at position {pos} appears more than once"),
            ));
        }
        list.tags.push(Tag { name, value, pos });
    }
    list
}

/// Reports every unknown tag as information: all these records' grammars say unknown tags
/// must be ignored.
pub(crate) fn unknown_tag_findings(list: &TagList<'_>, known: &[&str], rfc: &str) -> Vec<Finding> {
    let kind = list.syntax.kind;
    list.unknown(known)
        .map(|t| {
            Finding::info(
                &format!("{kind}_unknown_tag"),
                rfc,
                format!(
                    "unknown tag `{}` at position {} is ignored by receivers",
                    t.name, t.pos
                ),
            )
        })
        .collect()
}

/// Whether the record starts with `v=<version>` followed by the end, white space or `;`,
/// after optional leading white space. `lenient`: the DMARC/BIMI grammars, where `v` is
/// case-insensitive and white space may surround `=`.
pub(crate) fn starts_with_version(text: &str, version: &str, lenient: bool) -> bool {
    let t = text.trim_start_matches(is_fws);
    let Some(rest) = t
        .strip_prefix('v')
        .or_else(|| t.strip_prefix('V').filter(|_| lenient))
    else {
        return false;
    };
    let rest = if lenient {
        rest.trim_start_matches(is_fws)
    } else {
        rest
    };
    let Some(rest) = rest.strip_prefix('=') else {
        return false;
    };
    let rest = if lenient {
        rest.trim_start_matches(is_fws)
    } else {
        rest
    };
    let Some(rest) = rest.strip_prefix(version) else {
        return false;
    };
    rest.is_empty() || rest.starts_with(|c: char| c == ';' || is_fws(c))
}

/// A host name: dot-separated labels of letters, digits, `-` and `_` (1–63 bytes, no `-` at
/// either end), at most 253 bytes; one trailing dot allowed.
pub(crate) fn is_hostname(name: &str) -> bool {
    let name = name.strip_suffix('.').unwrap_or(name);
    !name.is_empty() && name.len() <= 253 && name.split('.').all(is_label)
}

/// One DNS label as used in host names (letters, digits, `-`, `_`).
pub(crate) fn is_label(label: &str) -> bool {
    !label.is_empty()
        && label.len() <= 63
        && !label.starts_with('-')
        && !label.ends_with('-')
        && label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// A URI split at its scheme, checked against the RFC 3986 character set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UriParts<'a> {
    /// Lower-cased scheme.
    pub scheme: String,
    /// Everything after `scheme:`.
    pub rest: &'a str,
}

/// Checks a URI's syntax (RFC 3986: scheme, then only unreserved, reserved or `%HH`
/// characters). For `mailto:` the address needs a domain part; for `https:`/`http:` an
/// authority with a valid host. Returns why it is not valid.
pub(crate) fn check_uri(uri: &str) -> Result<UriParts<'_>, String> {
    let Some(colon) = uri.find(':') else {
        return Err("has no scheme".into());
    };
    let scheme = &uri[..colon];
    let rest = &uri[colon + 1..];
    let mut sc = scheme.chars();
    if !sc.next().is_some_and(|c| c.is_ascii_alphabetic())
        || !sc.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    {
        return Err(format!("has an invalid scheme `{scheme}`"));
    }
    if rest.is_empty() {
        return Err("is empty after the scheme".into());
    }
    let bytes = rest.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'%' {
            let hex = bytes.get(i + 1..i + 3);
            if !hex.is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)) {
                return Err("has a `%` not followed by two hex digits".into());
            }
            i += 3;
            continue;
        }
        let ok = b.is_ascii_alphanumeric() || b"-._~:/?#[]@!$&'()*+,;=".contains(&b);
        if !ok {
            return Err(format!(
                "contains {:?}, which must be percent-encoded",
                char::from(b)
            ));
        }
        i += 1;
    }
    let scheme = scheme.to_ascii_lowercase();
    let is_web = scheme == "https" || scheme == "http";
    if scheme == "mailto" && mailto_domain(rest).is_none() {
        return Err("is not a mailto address with a valid domain".into());
    }
    if is_web && https_host(rest).is_none() {
        return Err("has no valid host name".into());
    }
    Ok(UriParts { scheme, rest })
}

/// The domain of a `mailto:` URI body (`local@domain[?query]`), lower-cased, when valid.
pub(crate) fn mailto_domain(rest: &str) -> Option<String> {
    let addr = rest.split('?').next().unwrap_or_default();
    let (local, domain) = addr.rsplit_once('@')?;
    if local.is_empty() || !is_hostname(domain) {
        return None;
    }
    Some(domain.trim_end_matches('.').to_ascii_lowercase())
}

/// The host of a `//host[:port]/path` URI body, lower-cased, when it is a valid host name.
pub(crate) fn https_host(rest: &str) -> Option<String> {
    let authority = rest.strip_prefix("//")?;
    let authority = authority.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.contains('@') {
        return None;
    }
    let host = match authority.rsplit_once(':') {
        Some((h, port)) if port.bytes().all(|b| b.is_ascii_digit()) => h,
        Some(_) => return None,
        None => authority,
    };
    is_hostname(host).then(|| host.trim_end_matches('.').to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    const DKIM_LIKE: TagSyntax = TagSyntax {
        kind: "x",
        rfc: "RFC 6376 §3.2",
        case_insensitive_names: false,
        space_around_equals: true,
        extended_names: false,
    };

    #[test]
    fn tag_lists_allow_folding_white_space_and_a_trailing_semicolon() {
        let l = parse_tag_list(" a = 1 ;\r\n\tb=two words ; ", DKIM_LIKE);
        assert!(l.findings.is_empty(), "{:?}", l.findings);
        assert_eq!(l.tags.len(), 2);
        assert_eq!(
            (l.tags[0].name, l.tags[0].value, l.tags[0].pos),
            ("a", "1", 2)
        );
        assert_eq!(l.tags[1].value, "two words");
    }

    #[test]
    fn malformed_segments_are_reported_with_their_position() {
        let l = parse_tag_list("a=1; junk; 9x=2", DKIM_LIKE);
        assert!(l.malformed);
        assert_eq!(l.tags.len(), 1);
        assert!(l.findings[0].message.contains("position 6"));
        assert_eq!(l.findings[0].code, "x_syntax");
        assert!(l.findings[1].message.contains("9x"));
    }

    #[test]
    fn duplicate_tags_are_errors_and_case_sensitivity_follows_the_kind() {
        let l = parse_tag_list("a=1; a=2", DKIM_LIKE);
        assert!(l.duplicates);
        assert_eq!(l.findings[0].code, "x_duplicate_tag");
        assert_eq!(l.get("a").unwrap().value, "1");
        let l = parse_tag_list("a=1; A=2", DKIM_LIKE);
        assert!(!l.duplicates);
        let ci = TagSyntax {
            case_insensitive_names: true,
            ..DKIM_LIKE
        };
        assert!(parse_tag_list("a=1; A=2", ci).duplicates);
    }

    #[test]
    fn an_empty_field_in_the_middle_is_a_warning() {
        let l = parse_tag_list("a=1;; b=2", DKIM_LIKE);
        assert_eq!(l.findings.len(), 1);
        assert_eq!(l.findings[0].code, "x_empty_tag");
        assert!(parse_tag_list("", DKIM_LIKE).findings.is_empty());
    }

    #[test]
    fn strict_grammars_refuse_space_around_equals_and_allow_extended_names() {
        let strict = TagSyntax {
            space_around_equals: false,
            extended_names: true,
            ..DKIM_LIKE
        };
        let l = parse_tag_list("v=1; x-y.z=3; id =4", strict);
        assert_eq!(l.tags.len(), 2);
        assert!(l.malformed);
    }

    #[test]
    fn uris_are_checked_for_scheme_characters_and_hosts() {
        assert!(check_uri("mailto:a@example.com").is_ok());
        assert!(check_uri("mailto:a@example.com?subject=x").is_ok());
        assert!(check_uri("mailto:example.com").is_err());
        assert!(check_uri("https://r.example.com/x").is_ok());
        assert!(check_uri("https://r.example.com:8443/x").is_ok());
        assert!(check_uri("https:/x").is_err());
        assert!(check_uri("a@example.com").is_err());
        assert!(check_uri("mailto:a b@example.com").is_err());
        assert!(check_uri("mailto:a%2@example.com").is_err());
        assert!(check_uri("ftp://x.example").is_ok());
    }

    #[test]
    fn host_names_follow_label_rules() {
        assert!(is_hostname("mx1.example.com."));
        assert!(!is_hostname("-a.example.com"));
        assert!(!is_hostname("a..b"));
        assert!(!is_hostname(&format!("{}.com", "a".repeat(64))));
    }

    #[test]
    fn version_prefixes_need_a_separator_after_the_value() {
        assert!(starts_with_version("v=DMARC1; p=none", "DMARC1", true));
        assert!(starts_with_version(" V = DMARC1", "DMARC1", true));
        assert!(!starts_with_version("v=DMARC10", "DMARC1", true));
        assert!(!starts_with_version("v = STSv1", "STSv1", false));
        assert!(starts_with_version("v=STSv1;id=1", "STSv1", false));
    }
}
