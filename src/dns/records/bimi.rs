//! BIMI assertion records (`<selector>._bimi.<domain>` TXT), per
//! draft-brand-indicators-for-message-identification §4.2, and the DMARC prerequisites a
//! domain must meet before receivers show its logo (§3). `v=BIMI1` must come first and match
//! exactly; `l=` and `a=` are each empty or a single HTTPS URI. No I/O.

use super::{
    Parsed, TagSyntax, check_uri, parse_tag_list, starts_with_version, unknown_tag_findings,
};
use crate::dns::Finding;
use crate::dns::records::dmarc::{DmarcPolicy, DmarcRecord};
use serde::{Deserialize, Serialize};

const DRAFT: &str = "draft-brand-indicators-for-message-identification";

const SYNTAX: TagSyntax = TagSyntax {
    kind: "bimi",
    rfc: "draft-brand-indicators-for-message-identification §4.2",
    case_insensitive_names: true,
    space_around_equals: true,
    extended_names: false,
};

const KNOWN: &[&str] = &["v", "l", "a", "avp"];

/// A parsed BIMI assertion record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct BimiRecord {
    /// HTTPS URL of the SVG logo (`l`); absent when empty.
    pub logo_url: Option<String>,
    /// HTTPS URL of the PEM evidence document, a VMC or CMC (`a`); absent when empty.
    pub authority_url: Option<String>,
    /// Avatar preference (`avp`: `brand` or `personal`), when given.
    pub avatar_preference: Option<String>,
    /// Both `l` and `a` are empty: the domain declines to publish a logo.
    pub declined: bool,
}

/// Whether a TXT record is a BIMI record at all (selection before counting).
pub fn is_bimi(text: &str) -> bool {
    starts_with_version(text, "BIMI1", true)
}

fn rfc(section: &str) -> String {
    format!("{DRAFT} {section}")
}

/// Checks an `l=`/`a=` value: empty, or a single `https:` URI with a host.
fn https_location(
    tag: &str,
    value: &str,
    pos: usize,
    findings: &mut Vec<Finding>,
) -> Result<Option<String>, ()> {
    if value.is_empty() {
        return Ok(None);
    }
    if value.contains(',') {
        findings.push(Finding::error(
            "bimi_multiple_uris",
            &rfc("§4.2"),
            format!(
                "{tag}= at position {pos} lists several URIs: the draft allows a single URI (earlier drafts allowed a list, which receivers no longer accept)"
            ),
        ));
        return Err(());
    }
    match check_uri(value) {
        // check_uri already requires a valid host for https.
        Ok(parts) if parts.scheme == "https" => Ok(Some(value.to_string())),
        Ok(parts) => {
            findings.push(Finding::error(
                "bimi_not_https",
                &rfc("§4.2"),
                format!(
                    "{tag}={value} at position {pos} uses {}: only https URIs with a host name are allowed",
                    parts.scheme
                ),
            ));
            Err(())
        }
        Err(why) => {
            findings.push(Finding::error(
                "bimi_invalid_uri",
                &rfc("§4.2"),
                format!("{tag}={value} at position {pos} {why}"),
            ));
            Err(())
        }
    }
}

/// Parses and lints one BIMI assertion record.
pub fn parse(text: &str) -> Parsed<BimiRecord> {
    let mut findings = Vec::new();
    let none = |findings: Vec<Finding>| Parsed {
        record: None,
        findings,
    };
    if !is_bimi(text) {
        findings.push(Finding::error(
            "bimi_invalid_version",
            &rfc("§4.2"),
            "the record must start with v=BIMI1 (exact value): receivers ignore it",
        ));
        return none(findings);
    }
    let tags = parse_tag_list(text, SYNTAX);
    findings.extend(tags.findings.iter().cloned());

    let mut broken = false;
    let logo_url = match tags.get("l") {
        Some(l) => https_location("l", l.value, l.pos, &mut findings).unwrap_or_else(|()| {
            broken = true;
            None
        }),
        None => None,
    };
    let authority_url = match tags.get("a") {
        Some(a) => https_location("a", a.value, a.pos, &mut findings).unwrap_or_else(|()| {
            broken = true;
            None
        }),
        None => None,
    };
    let avatar_preference = tags.get("avp").and_then(|t| {
        let v = t.value.to_ascii_lowercase();
        if v == "brand" || v == "personal" {
            Some(v)
        } else {
            findings.push(Finding::warning(
                "bimi_invalid_avp",
                &rfc("§4.2"),
                format!(
                    "avp={} at position {} is not brand or personal: receivers ignore it",
                    t.value, t.pos
                ),
            ));
            None
        }
    });
    findings.extend(unknown_tag_findings(&tags, KNOWN, &rfc("§4.2")));
    if broken {
        return none(findings);
    }
    if tags.get("l").is_none() && authority_url.is_some() {
        findings.push(Finding::error(
            "bimi_missing_logo",
            &rfc("§4.2"),
            "a= is given without l=: receivers need the logo location",
        ));
        return none(findings);
    }
    let declined = logo_url.is_none() && authority_url.is_none();
    if declined {
        findings.push(Finding::info(
            "bimi_declined",
            &rfc("§4.2"),
            "l= and a= are empty: this is a declination record, no logo will be shown",
        ));
    } else if logo_url.is_some() && authority_url.is_none() {
        findings.push(Finding::warning(
            "bimi_no_authority",
            &rfc("§4.2"),
            "no evidence document (a=): Gmail and Apple Mail show logos only with a VMC or CMC",
        ));
    }
    Parsed {
        record: Some(BimiRecord {
            logo_url,
            authority_url,
            avatar_preference,
            declined,
        }),
        findings,
    }
}

/// The DMARC conditions BIMI needs (the draft, §3): an enforcing policy for the domain and its
/// subdomains, applied to all mail. Errors for each condition not met.
pub fn dmarc_prerequisites(dmarc: &DmarcRecord) -> Vec<Finding> {
    let mut out = Vec::new();
    let e = &dmarc.effective;
    if e.policy == DmarcPolicy::None {
        out.push(Finding::error(
            "bimi_dmarc_not_enforced",
            &rfc("§3"),
            "the DMARC policy is none: BIMI needs p=quarantine or p=reject",
        ));
    }
    if e.subdomain_policy == DmarcPolicy::None && e.policy != DmarcPolicy::None {
        out.push(Finding::error(
            "bimi_dmarc_subdomain_not_enforced",
            &rfc("§3"),
            "the DMARC subdomain policy is none (sp=none): BIMI needs subdomains enforced too",
        ));
    }
    if e.pct < 100 {
        out.push(Finding::error(
            "bimi_dmarc_partial",
            &rfc("§3"),
            format!(
                "DMARC pct={}: BIMI needs the policy applied to all mail (pct=100 or no pct)",
                e.pct
            ),
        ));
    }
    if e.testing {
        out.push(Finding::error(
            "bimi_dmarc_test_mode",
            &rfc("§3"),
            "DMARC t=y (test mode) weakens the policy by one level: BIMI needs full enforcement",
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::dns::Severity;
    use crate::dns::records::dmarc;
    use proptest::prelude::*;

    const GOOD: &str = "v=BIMI1; l=https://example.com/logo.svg; a=https://example.com/vmc.pem";

    fn codes(p: &Parsed<BimiRecord>) -> Vec<&str> {
        p.findings.iter().map(|f| f.code.as_str()).collect()
    }

    fn fires(text: &str, code: &str) -> bool {
        codes(&parse(text)).contains(&code)
    }

    #[test]
    fn a_record_with_logo_and_evidence_has_no_findings() {
        let p = parse(GOOD);
        assert!(p.findings.is_empty(), "{:?}", p.findings);
        let r = p.record.unwrap();
        assert_eq!(r.logo_url.as_deref(), Some("https://example.com/logo.svg"));
        assert_eq!(
            r.authority_url.as_deref(),
            Some("https://example.com/vmc.pem")
        );
        assert!(!r.declined);
    }

    #[test]
    fn the_version_must_be_first_and_exact() {
        assert!(fires(
            "l=https://example.com/l.svg; v=BIMI1",
            "bimi_invalid_version"
        ));
        assert!(fires("v=bimi1; l=", "bimi_invalid_version"));
        assert!(parse("v=BIMI2; l=").record.is_none());
        assert!(!fires(GOOD, "bimi_invalid_version"));
        assert!(is_bimi(GOOD) && !is_bimi("v=BIMI10"));
    }

    #[test]
    fn empty_locations_declare_a_declination() {
        let p = parse("v=BIMI1; l=; a=;");
        assert_eq!(codes(&p), vec!["bimi_declined"]);
        assert_eq!(p.findings[0].severity, Severity::Info);
        assert!(p.record.unwrap().declined);
        assert!(!fires(GOOD, "bimi_declined"));
    }

    #[test]
    fn non_https_locations_are_errors() {
        let p = parse("v=BIMI1; l=http://example.com/logo.svg");
        assert!(p.record.is_none());
        assert_eq!(codes(&p), vec!["bimi_not_https"]);
        assert!(fires(
            "v=BIMI1; a=ftp://example.com/vmc.pem; l=",
            "bimi_not_https"
        ));
        assert!(!fires(GOOD, "bimi_not_https"));
    }

    #[test]
    fn invalid_uris_are_errors() {
        assert!(fires(
            "v=BIMI1; l=https://exa mple.com/x.svg",
            "bimi_invalid_uri"
        ));
        assert!(fires("v=BIMI1; l=logo.svg", "bimi_invalid_uri"));
        assert!(fires("v=BIMI1; l=https:/nohost.svg", "bimi_invalid_uri"));
        assert!(!fires(GOOD, "bimi_invalid_uri"));
    }

    #[test]
    fn several_logo_uris_are_refused() {
        let p = parse("v=BIMI1; l=https://a.example/l.svg,https://b.example/l.svg");
        assert!(p.record.is_none());
        assert_eq!(codes(&p), vec!["bimi_multiple_uris"]);
        assert!(!fires(GOOD, "bimi_multiple_uris"));
    }

    #[test]
    fn a_logo_without_evidence_is_a_warning() {
        let p = parse("v=BIMI1; l=https://example.com/logo.svg; a=");
        assert_eq!(codes(&p), vec!["bimi_no_authority"]);
        assert!(p.record.is_some());
        assert!(!fires(GOOD, "bimi_no_authority"));
    }

    #[test]
    fn evidence_without_a_logo_tag_is_an_error() {
        assert!(fires(
            "v=BIMI1; a=https://example.com/vmc.pem",
            "bimi_missing_logo"
        ));
        assert!(!fires(GOOD, "bimi_missing_logo"));
    }

    #[test]
    fn avatar_preference_and_unknown_tags() {
        let p = parse(&format!("{GOOD}; avp=personal; x=1"));
        assert_eq!(codes(&p), vec!["bimi_unknown_tag"]);
        assert_eq!(
            p.record.unwrap().avatar_preference.as_deref(),
            Some("personal")
        );
        assert!(fires(&format!("{GOOD}; avp=logo"), "bimi_invalid_avp"));
        assert!(!fires(GOOD, "bimi_invalid_avp"));
        assert!(!fires(GOOD, "bimi_unknown_tag"));
    }

    fn prereq(dmarc_text: &str) -> Vec<String> {
        let r = dmarc::parse(dmarc_text).record.unwrap();
        dmarc_prerequisites(&r)
            .into_iter()
            .map(|f| f.code)
            .collect()
    }

    #[test]
    fn dmarc_prerequisites_need_full_enforcement() {
        assert!(prereq("v=DMARC1; p=reject; rua=mailto:a@example.com").is_empty());
        assert!(prereq("v=DMARC1; p=quarantine; sp=reject").is_empty());
        assert_eq!(prereq("v=DMARC1; p=none"), vec!["bimi_dmarc_not_enforced"]);
        assert_eq!(
            prereq("v=DMARC1; p=reject; sp=none"),
            vec!["bimi_dmarc_subdomain_not_enforced"]
        );
        assert_eq!(
            prereq("v=DMARC1; p=quarantine; pct=50"),
            vec!["bimi_dmarc_partial"]
        );
        assert_eq!(
            prereq("v=DMARC1; p=reject; t=y"),
            vec!["bimi_dmarc_test_mode"]
        );
    }

    proptest! {
        #[test]
        fn parse_never_panics(s in ".{0,200}") {
            let _ = parse(&s);
            let _ = parse(&format!("v=BIMI1; {s}"));
        }
    }
}
