//! Generators: typed inputs in, validated records to publish out (name, type, value, the
//! value split into 255-byte strings). Every generated record passes ruad's own check.

use super::Finding;
use serde::{Deserialize, Serialize};

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
}
