//! SMTP TLS Reporting records (`_smtp._tls.<domain>` TXT), RFC 8460 §3: `v=TLSRPTv1` first
//! (case-sensitive), a required `rua` of comma-separated `mailto:` or `https:` URIs, and
//! extension fields that senders ignore. No I/O.

use super::{Parsed, TagSyntax, check_uri, parse_tag_list, starts_with_version};
use crate::dns::Finding;
use serde::{Deserialize, Serialize};

const SYNTAX: TagSyntax = TagSyntax {
    kind: "tlsrpt",
    rfc: "RFC 8460 §3",
    case_insensitive_names: false,
    space_around_equals: false,
    extended_names: true,
};

/// A parsed TLS-RPT record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TlsRptRecord {
    /// Valid report destinations, in order (`mailto:` or `https:`).
    pub rua: Vec<String>,
    /// Names of the extension fields (ignored by senders).
    pub extensions: Vec<String>,
}

/// Whether a TXT record is a TLS-RPT record at all (selection before counting).
pub fn is_tlsrpt(text: &str) -> bool {
    starts_with_version(text, "TLSRPTv1", false)
}

/// Parses and lints one TLS-RPT record.
pub fn parse(text: &str) -> Parsed<TlsRptRecord> {
    let mut findings = Vec::new();
    let none = |findings: Vec<Finding>| Parsed {
        record: None,
        findings,
    };
    if !is_tlsrpt(text) {
        findings.push(Finding::error(
            "tlsrpt_invalid_version",
            "RFC 8460 §3",
            "the record must start with v=TLSRPTv1 (case-sensitive, no spaces): senders discard it",
        ));
        return none(findings);
    }
    let tags = parse_tag_list(text, SYNTAX);
    findings.extend(tags.findings.iter().cloned());
    let Some(rua) = tags.get("rua") else {
        findings.push(Finding::error(
            "tlsrpt_missing_rua",
            "RFC 8460 §3",
            "no rua= field: senders have nowhere to send reports",
        ));
        return none(findings);
    };
    let mut uris = Vec::new();
    for raw in rua.value.split(',') {
        let uri = raw.trim_matches([' ', '\t']);
        match check_uri(uri) {
            Ok(parts) if parts.scheme == "mailto" || parts.scheme == "https" => {
                uris.push(uri.to_string());
            }
            Ok(parts) => findings.push(Finding::error(
                "tlsrpt_unsupported_scheme",
                "RFC 8460 §3",
                format!(
                    "rua URI `{uri}` (field at position {}) uses {}: only mailto and https are defined",
                    rua.pos, parts.scheme
                ),
            )),
            Err(why) => findings.push(Finding::error(
                "tlsrpt_invalid_uri",
                "RFC 8460 §3",
                format!(
                    "rua URI `{uri}` (field at position {}) {why} (commas and semicolons inside a URI must be percent-encoded)",
                    rua.pos
                ),
            )),
        }
    }
    let mut extensions = Vec::new();
    for t in tags.tags.iter().skip(1).filter(|t| t.name != "rua") {
        findings.push(Finding::info(
            "tlsrpt_unknown_tag",
            "RFC 8460 §3",
            format!(
                "extension field `{}` at position {} is ignored by senders",
                t.name, t.pos
            ),
        ));
        extensions.push(t.name.to_string());
    }
    if uris.is_empty() {
        return none(findings);
    }
    Parsed {
        record: Some(TlsRptRecord {
            rua: uris,
            extensions,
        }),
        findings,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::dns::Severity;
    use proptest::prelude::*;

    const GOOD: &str = "v=TLSRPTv1; rua=mailto:tls@example.com,https://r.example.com/tlsrpt";

    fn codes(p: &Parsed<TlsRptRecord>) -> Vec<&str> {
        p.findings.iter().map(|f| f.code.as_str()).collect()
    }

    fn fires(text: &str, code: &str) -> bool {
        codes(&parse(text)).contains(&code)
    }

    #[test]
    fn a_valid_record_has_no_findings() {
        let p = parse(GOOD);
        assert!(p.findings.is_empty(), "{:?}", p.findings);
        assert_eq!(
            p.record.unwrap().rua,
            vec!["mailto:tls@example.com", "https://r.example.com/tlsrpt"]
        );
    }

    #[test]
    fn the_version_must_be_first_and_exact() {
        for bad in [
            "rua=mailto:a@example.com; v=TLSRPTv1",
            "v=tlsrptv1; rua=mailto:a@example.com",
        ] {
            assert!(fires(bad, "tlsrpt_invalid_version"));
            assert!(parse(bad).record.is_none());
        }
        assert!(!fires(GOOD, "tlsrpt_invalid_version"));
    }

    #[test]
    fn rua_is_required() {
        let p = parse("v=TLSRPTv1;");
        assert_eq!(codes(&p), vec!["tlsrpt_missing_rua"]);
        assert!(p.record.is_none());
        assert!(!fires(GOOD, "tlsrpt_missing_rua"));
    }

    #[test]
    fn only_mailto_and_https_are_accepted() {
        let p = parse("v=TLSRPTv1; rua=http://r.example.com/x,mailto:a@example.com");
        assert_eq!(codes(&p), vec!["tlsrpt_unsupported_scheme"]);
        assert_eq!(p.record.unwrap().rua, vec!["mailto:a@example.com"]);
        let p = parse("v=TLSRPTv1; rua=ftp://r.example.com/x");
        assert!(p.record.is_none());
        assert!(!fires(GOOD, "tlsrpt_unsupported_scheme"));
    }

    #[test]
    fn invalid_uris_are_errors() {
        assert!(fires(
            "v=TLSRPTv1; rua=tls@example.com",
            "tlsrpt_invalid_uri"
        ));
        assert!(fires("v=TLSRPTv1; rua=mailto:", "tlsrpt_invalid_uri"));
        assert!(!fires(GOOD, "tlsrpt_invalid_uri"));
    }

    #[test]
    fn extension_fields_are_information() {
        let p = parse(&format!("{GOOD}; x-y=1"));
        assert_eq!(codes(&p), vec!["tlsrpt_unknown_tag"]);
        assert_eq!(p.findings[0].severity, Severity::Info);
        assert_eq!(p.record.unwrap().extensions, vec!["x-y"]);
        assert!(!fires(GOOD, "tlsrpt_unknown_tag"));
    }

    #[test]
    fn syntax_errors_and_duplicates_are_reported() {
        assert!(fires(
            "v=TLSRPTv1; rua = mailto:a@example.com",
            "tlsrpt_syntax"
        ));
        assert!(fires(
            &format!("{GOOD}; rua=mailto:b@example.com"),
            "tlsrpt_duplicate_tag"
        ));
        assert!(!fires(GOOD, "tlsrpt_syntax"));
        assert!(!fires(GOOD, "tlsrpt_duplicate_tag"));
    }

    proptest! {
        #[test]
        fn parse_never_panics(s in ".{0,200}") {
            let _ = parse(&s);
            let _ = parse(&format!("v=TLSRPTv1; rua={s}"));
        }
    }
}
