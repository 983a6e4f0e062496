//! TLS-RPT record generator: `_smtp._tls.<domain>` with `v=TLSRPTv1; rua=…` (RFC 8460 §3),
//! destinations `mailto:` or `https:` only.

use super::{DEFAULT_TTL, GenerateError, Generated, PublishRecord, domain, report_uri, round_trip};
use crate::dns::records::{check_uri, tlsrpt};
use serde::{Deserialize, Serialize};

/// Where TLS reports should go.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TlsRptInput {
    /// Domain receiving mail (A-label form).
    #[schema(example = "example.com")]
    pub domain: String,
    /// Report destinations: addresses (`mailto:` is added), `mailto:` or `https:` URIs.
    pub rua: Vec<String>,
}

/// Builds the TLS-RPT record.
pub fn generate_tlsrpt(input: &TlsRptInput) -> Result<Generated, GenerateError> {
    let domain = domain("domain", &input.domain)?;
    if input.rua.is_empty() {
        return Err(GenerateError::new(
            "rua",
            "at least one destination is required",
        ));
    }
    let mut rua: Vec<String> = Vec::new();
    for v in &input.rua {
        let uri = report_uri("rua", v)?;
        match check_uri(&uri) {
            Ok(parts) if parts.scheme == "mailto" || parts.scheme == "https" => {}
            Ok(parts) => {
                return Err(GenerateError::new(
                    "rua",
                    format!(
                        "`{v}` uses {}: only mailto and https are allowed",
                        parts.scheme
                    ),
                ));
            }
            Err(why) => return Err(GenerateError::new("rua", format!("`{v}` {why}"))),
        }
        if !rua.iter().any(|u| u.eq_ignore_ascii_case(&uri)) {
            rua.push(uri);
        }
    }
    let value = format!("v=TLSRPTv1; rua={}", rua.join(","));
    let findings = round_trip("rua", tlsrpt::parse(&value).findings)?;
    Ok(Generated {
        records: vec![PublishRecord::txt(
            &format!("_smtp._tls.{domain}"),
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

    #[test]
    fn destinations_round_trip_without_findings() {
        let g = generate_tlsrpt(&TlsRptInput {
            domain: "Example.com".into(),
            rua: vec![
                "tls@example.com".into(),
                "https://reports.example.net/tlsrpt".into(),
                "mailto:tls@example.com".into(),
            ],
        })
        .unwrap();
        let r = &g.records[0];
        assert_eq!(r.name, "_smtp._tls.example.com");
        assert_eq!(
            r.value,
            "v=TLSRPTv1; rua=mailto:tls@example.com,https://reports.example.net/tlsrpt"
        );
        let parsed = tlsrpt::parse(&r.value);
        assert!(parsed.findings.is_empty(), "{:?}", parsed.findings);
    }

    #[test]
    fn bad_input_is_refused_naming_the_field() {
        let e = generate_tlsrpt(&TlsRptInput {
            domain: "example.com".into(),
            rua: vec![],
        })
        .unwrap_err();
        assert_eq!(e.field, "rua");
        let e = generate_tlsrpt(&TlsRptInput {
            domain: "example.com".into(),
            rua: vec!["http://r.example.com/x".into()],
        })
        .unwrap_err();
        assert_eq!(e.field, "rua");
        let e = generate_tlsrpt(&TlsRptInput {
            domain: "example.com".into(),
            rua: vec!["mailto:nobody".into()],
        })
        .unwrap_err();
        assert_eq!(e.field, "rua");
        let e = generate_tlsrpt(&TlsRptInput {
            domain: "-bad-.com".into(),
            rua: vec!["tls@example.com".into()],
        })
        .unwrap_err();
        assert_eq!(e.field, "domain");
    }
}
