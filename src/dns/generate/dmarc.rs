//! DMARC record generator: `_dmarc.<domain>` with `v=DMARC1; p=…` first (what RFC 7489
//! parsers need), and the RFC 7489 §7.1 authorization record for every report destination
//! outside the domain's organization. Pure: the organizational domain comes from the
//! compiled-in public suffix list.

use super::{DEFAULT_TTL, GenerateError, Generated, PublishRecord, domain, report_uri, round_trip};
use crate::dns::Finding;
use crate::dns::records::dmarc::{self, Alignment, DmarcPolicy, FailureOption, Psd};
use crate::dns::records::{check_uri, https_host, mailto_domain};
use serde::{Deserialize, Serialize};

/// What the DMARC record should say.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DmarcInput {
    /// Domain the policy is for (A-label form).
    #[schema(example = "example.com")]
    pub domain: String,
    /// Policy for mail failing DMARC.
    pub p: DmarcPolicy,
    /// Policy for subdomains (default: same as p).
    #[serde(default)]
    pub sp: Option<DmarcPolicy>,
    /// Policy for non-existent subdomains, RFC 9989 (default: same as sp).
    #[serde(default)]
    pub np: Option<DmarcPolicy>,
    /// DKIM alignment (default relaxed).
    #[serde(default)]
    pub adkim: Option<Alignment>,
    /// SPF alignment (default relaxed).
    #[serde(default)]
    pub aspf: Option<Alignment>,
    /// Aggregate report destinations: addresses (`mailto:` is added) or URIs.
    #[serde(default)]
    pub rua: Vec<String>,
    /// Failure report destinations: addresses or URIs.
    #[serde(default)]
    pub ruf: Vec<String>,
    /// Failure reporting options; only meaningful with ruf.
    #[serde(default)]
    pub fo: Vec<FailureOption>,
    /// Test mode, RFC 9989 (`t=y`): receivers apply one level less strict.
    #[serde(default)]
    pub t: Option<bool>,
    /// Public suffix domain flag, RFC 9989: only for public suffix operators.
    #[serde(default)]
    pub psd: Option<Psd>,
}

fn org_domain(name: &str) -> String {
    psl::domain_str(name).unwrap_or(name).to_ascii_lowercase()
}

fn uri_host(uri: &str) -> Option<String> {
    let parts = check_uri(uri).ok()?;
    match parts.scheme.as_str() {
        "mailto" => mailto_domain(parts.rest),
        "https" | "http" => https_host(parts.rest),
        _ => None,
    }
}

fn uris(field: &str, values: &[String]) -> Result<Vec<String>, GenerateError> {
    let mut out: Vec<String> = Vec::new();
    for v in values {
        let uri = report_uri(field, v)?;
        if let Err(why) = check_uri(&uri) {
            return Err(GenerateError::new(field, format!("`{v}` {why}")));
        }
        if !out.iter().any(|u| u.eq_ignore_ascii_case(&uri)) {
            out.push(uri);
        }
    }
    Ok(out)
}

/// Builds the DMARC record (and any external-destination authorization records).
pub fn generate_dmarc(input: &DmarcInput) -> Result<Generated, GenerateError> {
    let domain = domain("domain", &input.domain)?;
    let rua = uris("rua", &input.rua)?;
    let ruf = uris("ruf", &input.ruf)?;
    if !input.fo.is_empty() && ruf.is_empty() {
        return Err(GenerateError::new(
            "fo",
            "fo only applies to failure reports: give ruf as well, or leave fo out",
        ));
    }

    let mut tags = vec!["v=DMARC1".to_string(), format!("p={}", input.p.as_str())];
    if let Some(sp) = input.sp {
        tags.push(format!("sp={}", sp.as_str()));
    }
    if let Some(np) = input.np {
        tags.push(format!("np={}", np.as_str()));
    }
    if let Some(a) = input.adkim {
        tags.push(format!("adkim={}", a.as_str()));
    }
    if let Some(a) = input.aspf {
        tags.push(format!("aspf={}", a.as_str()));
    }
    if let Some(t) = input.t {
        tags.push(format!("t={}", if t { "y" } else { "n" }));
    }
    if let Some(psd) = input.psd {
        tags.push(format!("psd={}", psd.as_str()));
    }
    if !rua.is_empty() {
        tags.push(format!("rua={}", rua.join(",")));
    }
    if !ruf.is_empty() {
        tags.push(format!("ruf={}", ruf.join(",")));
    }
    if !input.fo.is_empty() {
        let fo: Vec<&str> = input.fo.iter().map(|f| f.as_str()).collect();
        tags.push(format!("fo={}", fo.join(":")));
    }
    let value = tags.join("; ");
    let mut findings = round_trip("domain", dmarc::parse(&value).findings)?;
    let mut records = vec![PublishRecord::txt(
        &format!("_dmarc.{domain}"),
        value,
        DEFAULT_TTL,
    )];

    // RFC 7489 §7.1: a destination in another organization must authorize the domain.
    let own_org = org_domain(&domain);
    let mut seen: Vec<String> = Vec::new();
    for uri in rua.iter().chain(&ruf) {
        let Some(host) = uri_host(uri) else { continue };
        if org_domain(&host) == own_org || seen.contains(&host) {
            continue;
        }
        let name = format!("{domain}._report._dmarc.{host}");
        findings.push(Finding::info(
            "dmarc_external_destination",
            "RFC 7489 §7.1",
            format!(
                "{uri} is outside {own_org}: receivers send reports there only if the operator of {host} publishes TXT {name} \"v=DMARC1\" (or a wildcard *._report._dmarc.{host}); it belongs in their zone, not yours"
            ),
        ));
        records.push(PublishRecord::txt(&name, "v=DMARC1".into(), DEFAULT_TTL));
        seen.push(host);
    }
    Ok(Generated {
        records,
        file: None,
        private_key_pem: None,
        findings,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::dns::has_errors;

    fn input(p: DmarcPolicy) -> DmarcInput {
        DmarcInput {
            domain: "Example.com.".into(),
            p,
            sp: None,
            np: None,
            adkim: None,
            aspf: None,
            rua: vec!["dmarc@example.com".into()],
            ruf: vec![],
            fo: vec![],
            t: None,
            psd: None,
        }
    }

    #[test]
    fn a_minimal_record_puts_p_right_after_v_and_parses_cleanly() {
        let g = generate_dmarc(&input(DmarcPolicy::Reject)).unwrap();
        assert_eq!(g.records.len(), 1);
        let r = &g.records[0];
        assert_eq!(r.name, "_dmarc.example.com");
        assert_eq!(r.value, "v=DMARC1; p=reject; rua=mailto:dmarc@example.com");
        let parsed = dmarc::parse(&r.value);
        assert!(parsed.findings.is_empty(), "{:?}", parsed.findings);
        assert!(g.findings.is_empty());
    }

    #[test]
    fn every_field_round_trips_without_errors() {
        let full = DmarcInput {
            sp: Some(DmarcPolicy::Quarantine),
            np: Some(DmarcPolicy::Reject),
            adkim: Some(Alignment::Strict),
            aspf: Some(Alignment::Relaxed),
            ruf: vec!["mailto:forensic@example.com".into()],
            fo: vec![FailureOption::Any, FailureOption::Dkim],
            t: Some(true),
            psd: Some(Psd::No),
            ..input(DmarcPolicy::Reject)
        };
        let g = generate_dmarc(&full).unwrap();
        let parsed = dmarc::parse(&g.records[0].value);
        assert!(!has_errors(&parsed.findings), "{:?}", parsed.findings);
        let r = parsed.record.unwrap();
        assert_eq!(r.sp, Some(DmarcPolicy::Quarantine));
        assert_eq!(r.np, Some(DmarcPolicy::Reject));
        assert_eq!(r.adkim, Some(Alignment::Strict));
        assert_eq!(r.fo, vec![FailureOption::Any, FailureOption::Dkim]);
        assert_eq!(r.t, Some(true));
        assert_eq!(r.psd, Some(Psd::No));
        assert_eq!(r.ruf[0].uri, "mailto:forensic@example.com");
    }

    #[test]
    fn p_none_comes_with_a_warning() {
        let g = generate_dmarc(&input(DmarcPolicy::None)).unwrap();
        assert!(g.findings.iter().any(|f| f.code == "dmarc_policy_none"));
    }

    #[test]
    fn external_destinations_get_an_authorization_record() {
        let g = generate_dmarc(&DmarcInput {
            rua: vec![
                "dmarc@example.com".into(),
                "x@reports.vendor.example.net".into(),
                "mailto:y@reports.vendor.example.net".into(),
            ],
            ruf: vec!["z@sub.example.com".into()],
            fo: vec![FailureOption::Any],
            ..input(DmarcPolicy::Quarantine)
        })
        .unwrap();
        let names: Vec<&str> = g.records.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(
            names,
            vec![
                "_dmarc.example.com",
                "example.com._report._dmarc.reports.vendor.example.net"
            ]
        );
        assert_eq!(g.records[1].value, "v=DMARC1");
        assert!(dmarc::is_dmarc(&g.records[1].value));
        assert!(
            g.findings
                .iter()
                .any(|f| f.code == "dmarc_external_destination")
        );
        assert!(!has_errors(&dmarc::parse(&g.records[0].value).findings));
    }

    #[test]
    fn same_organization_destinations_need_no_authorization() {
        let g = generate_dmarc(&DmarcInput {
            domain: "mail.example.co.uk".into(),
            rua: vec!["dmarc@example.co.uk".into()],
            ..input(DmarcPolicy::Reject)
        })
        .unwrap();
        assert_eq!(g.records.len(), 1);
    }

    #[test]
    fn bad_input_is_refused_naming_the_field() {
        let e = generate_dmarc(&DmarcInput {
            domain: "not a domain".into(),
            ..input(DmarcPolicy::Reject)
        })
        .unwrap_err();
        assert_eq!(e.field, "domain");
        let e = generate_dmarc(&DmarcInput {
            rua: vec!["nobody".into()],
            ..input(DmarcPolicy::Reject)
        })
        .unwrap_err();
        assert_eq!(e.field, "rua");
        let e = generate_dmarc(&DmarcInput {
            fo: vec![FailureOption::Any],
            ..input(DmarcPolicy::Reject)
        })
        .unwrap_err();
        assert_eq!(e.field, "fo");
    }

    #[test]
    fn separators_inside_addresses_are_percent_encoded() {
        let g = generate_dmarc(&DmarcInput {
            rua: vec!["a!b@example.com".into()],
            ..input(DmarcPolicy::Reject)
        })
        .unwrap();
        assert!(g.records[0].value.ends_with("rua=mailto:a%21b@example.com"));
        let r = dmarc::parse(&g.records[0].value).record.unwrap();
        assert_eq!(r.rua[0].max_size, None);
    }
}
