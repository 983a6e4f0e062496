//! Generators: typed inputs in, validated records to publish out (name, type, value, the
//! value split into 255-byte strings). Every generated record passes ruad's own check.

mod bimi;
mod dkim;
mod dmarc;
mod mta_sts;
pub mod spf;
mod tlsrpt;

pub use bimi::{BimiInput, generate_bimi};
pub use dkim::{DkimInput, generate_dkim};
pub use dmarc::{DmarcInput, generate_dmarc};
pub use mta_sts::{MtaStsInput, generate_mta_sts};
pub use tlsrpt::{TlsRptInput, generate_tlsrpt};

use super::records::is_hostname;
use super::{Finding, has_errors};
use serde::{Deserialize, Serialize};

/// TTL suggested for every generated record: short enough to fix mistakes within the hour.
pub const DEFAULT_TTL: u32 = 3600;

/// One DNS record to publish.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PublishRecord {
    /// Owner name, without the trailing dot.
    #[schema(example = "_dmarc.example.com")]
    pub name: String,
    /// Record type (`TXT`).
    #[schema(example = "TXT")]
    pub rtype: String,
    /// The whole value, as receivers read it (the strings joined).
    pub value: String,
    /// The value split into character-strings of at most 255 bytes, as a zone file or DNS
    /// provider needs them.
    pub chunks: Vec<String>,
    /// Suggested TTL in seconds.
    pub ttl: u32,
}

impl PublishRecord {
    pub fn txt(name: &str, value: String, ttl: u32) -> Self {
        PublishRecord {
            name: name.trim_end_matches('.').to_ascii_lowercase(),
            rtype: "TXT".into(),
            chunks: chunks(&value),
            value,
            ttl,
        }
    }
}

/// Splits a TXT value into strings of at most 255 bytes, never inside a UTF-8 character.
pub fn chunks(value: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = value;
    while !rest.is_empty() {
        let mut end = rest.len().min(255);
        while !rest.is_char_boundary(end) {
            end -= 1;
        }
        out.push(rest[..end].to_string());
        rest = &rest[end..];
    }
    if out.is_empty() {
        out.push(String::new());
    }
    out
}

/// What a generator produced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Generated {
    /// Records to publish (e.g. the DMARC record and the `_report._dmarc` authorization
    /// record a third-party report destination needs).
    pub records: Vec<PublishRecord>,
    /// A file to serve, when the mechanism needs one (the MTA-STS policy).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<PublishFile>,
    /// A generated private key (DKIM), PEM. Shown once; ruad does not keep it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub private_key_pem: Option<String>,
    /// Advice about the inputs (never errors: invalid input is refused instead).
    pub findings: Vec<Finding>,
}

/// A file to publish over HTTPS.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PublishFile {
    #[schema(example = "https://mta-sts.example.com/.well-known/mta-sts.txt")]
    pub url: String,
    #[schema(example = "text/plain")]
    pub content_type: String,
    pub body: String,
}

/// Invalid generator input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct GenerateError {
    /// The input field at fault.
    pub field: String,
    pub message: String,
}

impl GenerateError {
    pub fn new(field: &str, message: impl Into<String>) -> Self {
        GenerateError {
            field: field.to_string(),
            message: message.into(),
        }
    }
}

/// Validates and normalises a domain name input: trimmed, lower case, no trailing dot.
/// Internationalised names must be given in A-label (`xn--`) form.
pub(crate) fn domain(field: &str, value: &str) -> Result<String, GenerateError> {
    let d = value.trim().trim_end_matches('.').to_ascii_lowercase();
    if d.is_empty() {
        return Err(GenerateError::new(field, "a domain name is required"));
    }
    if !d.is_ascii() {
        return Err(GenerateError::new(
            field,
            "give internationalised names in A-label (xn--) form",
        ));
    }
    if !is_hostname(&d) {
        return Err(GenerateError::new(
            field,
            format!("`{d}` is not a valid domain name"),
        ));
    }
    Ok(d)
}

/// Validates a selector (DKIM, BIMI): one or more RFC 5321 sub-domain labels (letters,
/// digits, inner hyphens), lower-cased.
pub(crate) fn selector(field: &str, value: &str) -> Result<String, GenerateError> {
    let s = value.trim().to_ascii_lowercase();
    let ok = !s.is_empty()
        && s.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        });
    if ok {
        Ok(s)
    } else {
        Err(GenerateError::new(
            field,
            format!(
                "`{value}` is not a valid selector: use DNS labels of letters, digits and inner hyphens"
            ),
        ))
    }
}

/// Turns report addresses into URIs: a bare address gets `mailto:`; `,` `!` `;` are
/// percent-encoded because they separate URIs, sizes and tags in the records.
pub(crate) fn report_uri(field: &str, value: &str) -> Result<String, GenerateError> {
    let v = value.trim();
    if v.is_empty() {
        return Err(GenerateError::new(field, "empty address"));
    }
    if v.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(GenerateError::new(
            field,
            format!("`{v}` contains white space"),
        ));
    }
    let has_scheme = v.split_once(':').is_some_and(|(scheme, _)| {
        scheme
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
            && !scheme.contains('@')
    });
    let uri = if has_scheme {
        v.to_string()
    } else {
        format!("mailto:{v}")
    };
    Ok(uri
        .replace(',', "%2C")
        .replace('!', "%21")
        .replace(';', "%3B"))
}

/// Refuses to hand out a record ruad's own parser finds an error in; such a record means the
/// input validation missed something.
pub(crate) fn round_trip(
    field: &str,
    findings: Vec<Finding>,
) -> Result<Vec<Finding>, GenerateError> {
    if has_errors(&findings) {
        let why: Vec<String> = findings
            .iter()
            .filter(|f| f.severity == super::Severity::Error)
            .map(|f| f.message.clone())
            .collect();
        return Err(GenerateError::new(field, why.join("; ")));
    }
    Ok(findings)
}

/// Why [`from_json`] produced nothing.
#[derive(Debug, thiserror::Error)]
pub enum FromJsonError {
    /// `kind` names no generator.
    #[error("unknown generator '{kind}' (dmarc, spf, dkim, bimi, mta-sts, tlsrpt)")]
    UnknownKind { kind: String },
    /// The JSON is not the generator's input.
    #[error("invalid input: {0}")]
    InvalidInput(serde_json::Error),
    /// The generator refused the input.
    #[error(transparent)]
    Refused(#[from] GenerateError),
}

// For the CLI, which reports errors as text.
/// Runs the generator `kind` (`dmarc`, `spf`, `dkim`, `bimi`, `mta_sts` or `mta-sts`,
/// `tlsrpt`) on a JSON input, as the CLI receives it.
pub fn from_json(
    kind: &str,
    input: serde_json::Value,
    now: i64,
) -> Result<Generated, FromJsonError> {
    fn decode<T: serde::de::DeserializeOwned>(
        input: serde_json::Value,
    ) -> Result<T, FromJsonError> {
        serde_json::from_value(input).map_err(FromJsonError::InvalidInput)
    }
    let generated = match kind.replace('-', "_").to_ascii_lowercase().as_str() {
        "dmarc" => generate_dmarc(&decode(input)?),
        "spf" => spf::generate(&decode(input)?),
        "dkim" => generate_dkim(&decode(input)?),
        "bimi" => generate_bimi(&decode(input)?),
        "mta_sts" => generate_mta_sts(&decode(input)?, now),
        "tlsrpt" => generate_tlsrpt(&decode(input)?),
        _ => {
            return Err(FromJsonError::UnknownKind {
                kind: kind.to_string(),
            });
        }
    };
    Ok(generated?)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn long_values_are_split_into_255_byte_strings() {
        let value = "a".repeat(600);
        let c = chunks(&value);
        assert_eq!(
            c.iter().map(String::len).collect::<Vec<_>>(),
            vec![255, 255, 90]
        );
        assert_eq!(c.concat(), value);
        assert_eq!(chunks(""), vec![String::new()]);
    }

    #[test]
    fn domains_are_normalised_and_validated() {
        assert_eq!(domain("domain", " Example.COM. ").unwrap(), "example.com");
        assert_eq!(domain("domain", "").unwrap_err().field, "domain");
        assert!(domain("domain", "exa mple.com").is_err());
        assert!(domain("domain", "bücher.example").is_err());
        assert!(domain("domain", "xn--bcher-kva.example").is_ok());
    }

    #[test]
    fn selectors_are_dns_labels_without_underscores() {
        assert_eq!(selector("selector", "S2026.eu").unwrap(), "s2026.eu");
        assert!(selector("selector", "a_b").is_err());
        assert!(selector("selector", "-a").is_err());
        assert!(selector("selector", "a..b").is_err());
        assert!(selector("selector", "").is_err());
    }

    #[test]
    fn report_addresses_become_uris_with_separators_encoded() {
        assert_eq!(
            report_uri("rua", "dmarc@example.com").unwrap(),
            "mailto:dmarc@example.com"
        );
        assert_eq!(
            report_uri("rua", "mailto:a,b!c@example.com").unwrap(),
            "mailto:a%2Cb%21c@example.com"
        );
        assert_eq!(
            report_uri("rua", "https://r.example.com/x").unwrap(),
            "https://r.example.com/x"
        );
        assert!(report_uri("rua", "a b@example.com").is_err());
        assert!(report_uri("rua", " ").is_err());
    }

    #[test]
    fn from_json_says_which_generator_or_input_it_refused() {
        let refusal = |kind: &str, input: serde_json::Value| {
            from_json(kind, input, 0).err().map(|e| e.to_string())
        };
        assert_eq!(
            refusal("nope", serde_json::json!({})).as_deref(),
            Some("unknown generator 'nope' (dmarc, spf, dkim, bimi, mta-sts, tlsrpt)")
        );
        let invalid = refusal("spf", serde_json::json!({"domain": 1})).unwrap();
        assert!(invalid.starts_with("invalid input: "), "{invalid}");
        assert_eq!(
            refusal(
                "spf",
                serde_json::json!({"domain": "example.com", "all": "pass"})
            )
            .as_deref(),
            Some(
                "all: 'pass' would authorize every host on the internet; use fail, softfail or neutral"
            )
        );
    }
}
