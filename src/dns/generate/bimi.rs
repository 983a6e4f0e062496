//! BIMI assertion record generator: `<selector>._bimi.<domain>` with `v=BIMI1; l=…; a=…`
//! (draft-brand-indicators-for-message-identification §4.2). HTTPS URLs only; no URL at all
//! gives the declination record. Whether DMARC is enforced is checked elsewhere (it needs DNS).

use super::{DEFAULT_TTL, GenerateError, Generated, PublishRecord, domain, round_trip, selector};
use crate::dns::records::bimi;
use crate::dns::records::check_uri;
use serde::{Deserialize, Serialize};

fn default_selector() -> String {
    "default".into()
}

/// What the BIMI record should point to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BimiInput {
    /// Domain the logo is for (A-label form).
    #[schema(example = "example.com")]
    pub domain: String,
    /// Selector (default `default`, the one receivers look up without a BIMI-Selector header).
    #[serde(default = "default_selector")]
    #[schema(default = "default")]
    pub selector: String,
    /// HTTPS URL of the SVG Tiny PS logo. Leave out (with authority_url) to publish a
    /// declination record.
    #[serde(default)]
    pub logo_url: Option<String>,
    /// HTTPS URL of the PEM evidence document (VMC or CMC).
    #[serde(default)]
    pub authority_url: Option<String>,
}

fn https_url(field: &str, value: &Option<String>) -> Result<String, GenerateError> {
    let Some(v) = value.as_deref().map(str::trim) else {
        return Ok(String::new());
    };
    if v.contains([',', ';']) {
        return Err(GenerateError::new(
            field,
            "a single URL without `,` or `;` (percent-encode them)",
        ));
    }
    match check_uri(v) {
        Ok(parts) if parts.scheme == "https" => Ok(v.to_string()),
        Ok(_) => Err(GenerateError::new(field, "only https URLs are allowed")),
        Err(why) => Err(GenerateError::new(field, format!("`{v}` {why}"))),
    }
}

/// Builds the BIMI assertion record.
pub fn generate_bimi(input: &BimiInput) -> Result<Generated, GenerateError> {
    let domain = domain("domain", &input.domain)?;
    let selector = selector("selector", &input.selector)?;
    let logo = https_url("logo_url", &input.logo_url)?;
    let authority = https_url("authority_url", &input.authority_url)?;
    if logo.is_empty() && !authority.is_empty() {
        return Err(GenerateError::new(
            "logo_url",
            "required when authority_url is given",
        ));
    }
    let value = if logo.is_empty() {
        "v=BIMI1; l=; a=;".to_string()
    } else {
        format!("v=BIMI1; l={logo}; a={authority}")
    };
    let findings = round_trip("logo_url", bimi::parse(&value).findings)?;
    Ok(Generated {
        records: vec![PublishRecord::txt(
            &format!("{selector}._bimi.{domain}"),
            value,
            DEFAULT_TTL,
        )],
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

    fn input(logo: Option<&str>, authority: Option<&str>) -> BimiInput {
        BimiInput {
            domain: "example.com".into(),
            selector: default_selector(),
            logo_url: logo.map(str::to_string),
            authority_url: authority.map(str::to_string),
        }
    }

    #[test]
    fn logo_and_evidence_round_trip_without_findings() {
        let g = generate_bimi(&input(
            Some("https://example.com/logo.svg"),
            Some("https://example.com/vmc.pem"),
        ))
        .unwrap();
        let r = &g.records[0];
        assert_eq!(r.name, "default._bimi.example.com");
        assert_eq!(
            r.value,
            "v=BIMI1; l=https://example.com/logo.svg; a=https://example.com/vmc.pem"
        );
        let parsed = bimi::parse(&r.value);
        assert!(parsed.findings.is_empty(), "{:?}", parsed.findings);
        assert!(g.findings.is_empty());
    }

    #[test]
    fn a_logo_alone_round_trips_with_a_warning() {
        let g = generate_bimi(&input(Some("https://example.com/logo.svg"), None)).unwrap();
        assert!(!has_errors(&bimi::parse(&g.records[0].value).findings));
        assert!(g.findings.iter().any(|f| f.code == "bimi_no_authority"));
    }

    #[test]
    fn no_urls_give_the_declination_record() {
        let g = generate_bimi(&BimiInput {
            selector: "Brand".into(),
            ..input(None, None)
        })
        .unwrap();
        assert_eq!(g.records[0].name, "brand._bimi.example.com");
        assert_eq!(g.records[0].value, "v=BIMI1; l=; a=;");
        let parsed = bimi::parse(&g.records[0].value);
        assert!(parsed.record.unwrap().declined);
    }

    #[test]
    fn bad_input_is_refused_naming_the_field() {
        let e = generate_bimi(&input(Some("http://example.com/logo.svg"), None)).unwrap_err();
        assert_eq!(e.field, "logo_url");
        let e = generate_bimi(&input(
            Some("https://example.com/a.svg,https://example.com/b.svg"),
            None,
        ))
        .unwrap_err();
        assert_eq!(e.field, "logo_url");
        let e = generate_bimi(&input(None, Some("https://example.com/vmc.pem"))).unwrap_err();
        assert_eq!(e.field, "logo_url");
        let e =
            generate_bimi(&input(Some("https://example.com/l.svg"), Some("vmc.pem"))).unwrap_err();
        assert_eq!(e.field, "authority_url");
        let e = generate_bimi(&BimiInput {
            selector: "a b".into(),
            ..input(None, None)
        })
        .unwrap_err();
        assert_eq!(e.field, "selector");
    }
}
