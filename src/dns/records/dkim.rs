//! DKIM key records (`<selector>._domainkey.<domain>` TXT): RFC 6376 §3.6.1, with RFC 8301
//! (no SHA-1, RSA at least 1024 bits) and RFC 8463 (Ed25519 keys).
//!
//! Tag names and values are case-sensitive (RFC 6376 §3.2). A tag list that does not parse
//! or repeats a tag makes the whole record invalid (§3.2, §6.1.2). The key itself is decoded
//! to measure it: the RSA modulus from the DER SubjectPublicKeyInfo (or a bare PKCS#1
//! RSAPublicKey), or the 32 raw bytes of an Ed25519 key. No I/O.

use super::{Parsed, TagSyntax, parse_tag_list, unknown_tag_findings};
use crate::dns::Finding;
use base64::Engine;
use rsa::pkcs8::der::Decode;
use serde::{Deserialize, Serialize};

const SYNTAX: TagSyntax = TagSyntax {
    kind: "dkim",
    rfc: "RFC 6376 §3.2",
    case_insensitive_names: false,
    space_around_equals: true,
    extended_names: false,
};

const KNOWN: &[&str] = &["v", "h", "k", "n", "p", "s", "t"];

const OID_RSA: &str = "1.2.840.113549.1.1.1";
const OID_ED25519: &str = "1.3.101.112";

/// DKIM key type (`k=`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DkimKeyType {
    #[default]
    Rsa,
    Ed25519,
}

impl DkimKeyType {
    /// The tag value.
    pub fn as_str(self) -> &'static str {
        match self {
            DkimKeyType::Rsa => "rsa",
            DkimKeyType::Ed25519 => "ed25519",
        }
    }
}

/// How the `p=` key data is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DkimKeyFormat {
    /// DER SubjectPublicKeyInfo (what RSA keys are published as).
    Spki,
    /// A bare PKCS#1 RSAPublicKey.
    Pkcs1,
    /// The 32 raw bytes of an Ed25519 key (RFC 8463 §4.2).
    Raw,
}

/// A parsed DKIM key record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DkimKey {
    /// Key type (`k`, default rsa).
    pub key_type: DkimKeyType,
    /// Key size in bits: the RSA modulus length, 256 for Ed25519; absent when revoked.
    pub key_bits: Option<u32>,
    /// Encoding of the key data; absent when revoked.
    pub key_format: Option<DkimKeyFormat>,
    /// `t=y`: the domain is testing DKIM; verifiers must not treat failures differently.
    pub testing: bool,
    /// `p=` is empty: the key has been revoked.
    pub revoked: bool,
    /// Acceptable hash algorithms (`h`); empty means all.
    pub hashes: Vec<String>,
    /// Service types (`s`); empty means all (`*`).
    pub services: Vec<String>,
    /// Flags (`t`), e.g. `y`, `s`.
    pub flags: Vec<String>,
    /// Notes (`n`).
    pub notes: Option<String>,
}

/// What the DER key data turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum KeyShape {
    RsaSpki { bits: u32 },
    RsaPkcs1 { bits: u32 },
    Ed25519Spki { raw: Vec<u8> },
    OtherSpki { oid: String },
    Unknown,
}

fn modulus_bits(modulus: &[u8]) -> u32 {
    let m: &[u8] = match modulus.iter().position(|b| *b != 0) {
        Some(i) => &modulus[i..],
        None => &[],
    };
    match m.first() {
        Some(first) => (m.len() as u32 - 1) * 8 + (8 - first.leading_zeros()),
        None => 0,
    }
}

/// Decodes DER key data as SubjectPublicKeyInfo, or else as a PKCS#1 RSAPublicKey.
pub(crate) fn inspect_key(der: &[u8]) -> KeyShape {
    if let Ok(spki) = rsa::pkcs8::SubjectPublicKeyInfoRef::from_der(der) {
        let oid = spki.algorithm.oid.to_string();
        let key = spki.subject_public_key.raw_bytes();
        return match oid.as_str() {
            OID_RSA => match rsa::pkcs1::RsaPublicKey::from_der(key) {
                Ok(k) => KeyShape::RsaSpki {
                    bits: modulus_bits(k.modulus.as_bytes()),
                },
                Err(_) => KeyShape::Unknown,
            },
            OID_ED25519 => KeyShape::Ed25519Spki { raw: key.to_vec() },
            _ => KeyShape::OtherSpki { oid },
        };
    }
    match rsa::pkcs1::RsaPublicKey::from_der(der) {
        Ok(k) => KeyShape::RsaPkcs1 {
            bits: modulus_bits(k.modulus.as_bytes()),
        },
        Err(_) => KeyShape::Unknown,
    }
}

fn list(value: &str) -> Vec<String> {
    value
        .split(':')
        .map(|s| s.trim_matches([' ', '\t', '\r', '\n']).to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Parses and lints one DKIM key record (the TXT strings already joined).
pub fn parse(text: &str) -> Parsed<DkimKey> {
    let tags = parse_tag_list(text, SYNTAX);
    let mut findings = tags.findings.clone();
    let none = |findings: Vec<Finding>| Parsed {
        record: None,
        findings,
    };
    if tags.malformed || tags.duplicates {
        findings.push(Finding::error(
            "dkim_invalid_record",
            "RFC 6376 §3.2",
            "the tag list is invalid, so verifiers reject the whole record (PERMFAIL)",
        ));
        return none(findings);
    }
    if let Some(v) = tags.get("v") {
        if v.value != "DKIM1" {
            findings.push(Finding::error(
                "dkim_invalid_version",
                "RFC 6376 §3.6.1",
                format!(
                    "v={} at position {}: only DKIM1 exists (case-sensitive), verifiers discard the record",
                    v.value, v.pos
                ),
            ));
            return none(findings);
        }
        if tags.tags.first().is_some_and(|first| first != v) {
            findings.push(Finding::error(
                "dkim_invalid_version",
                "RFC 6376 §3.6.1",
                format!("v=DKIM1 at position {} must be the first tag", v.pos),
            ));
        }
    }

    let key_type = match tags.get("k") {
        None => DkimKeyType::Rsa,
        Some(k) if k.value == "rsa" => DkimKeyType::Rsa,
        Some(k) if k.value == "ed25519" => DkimKeyType::Ed25519,
        Some(k) => {
            findings.push(Finding::error(
                "dkim_unknown_key_type",
                "RFC 6376 §3.6.1",
                format!(
                    "k={} at position {} is not a key type verifiers know (rsa, ed25519): signatures with this key cannot be verified",
                    k.value, k.pos
                ),
            ));
            return none(findings);
        }
    };

    let hashes = tags.get("h").map(|h| list(h.value)).unwrap_or_default();
    if let Some(h) = tags.get("h") {
        for unknown in hashes.iter().filter(|x| *x != "sha1" && *x != "sha256") {
            findings.push(Finding::info(
                "dkim_unknown_hash",
                "RFC 6376 §3.6.1",
                format!(
                    "hash `{unknown}` in h= at position {} is unknown and ignored",
                    h.pos
                ),
            ));
        }
        if !hashes.iter().any(|x| x == "sha256") {
            let (code, why) = if hashes.iter().any(|x| x == "sha1") {
                (
                    "dkim_sha1_only",
                    "h= allows only sha1, which verifiers must not accept (RFC 8301 §3.1): no signature with this key can pass; use h=sha256 or drop h=",
                )
            } else {
                (
                    "dkim_no_usable_hash",
                    "h= lists no hash algorithm verifiers support: no signature with this key can pass",
                )
            };
            findings.push(Finding::error(
                code,
                if code == "dkim_sha1_only" {
                    "RFC 8301 §3.1"
                } else {
                    "RFC 6376 §3.6.1"
                },
                why,
            ));
        }
    }

    let services = tags.get("s").map(|s| list(s.value)).unwrap_or_default();
    if let Some(s) = tags.get("s")
        && !services.iter().any(|x| x == "*" || x == "email")
    {
        findings.push(Finding::error(
            "dkim_not_for_email",
            "RFC 6376 §3.6.1",
            format!(
                "s={} at position {} does not include email or *: verifiers must not use this key for mail",
                s.value, s.pos
            ),
        ));
    }

    let flags = tags.get("t").map(|t| list(t.value)).unwrap_or_default();
    if let Some(t) = tags.get("t") {
        for unknown in flags.iter().filter(|f| *f != "y" && *f != "s") {
            findings.push(Finding::info(
                "dkim_unknown_flag",
                "RFC 6376 §3.6.1",
                format!(
                    "flag `{unknown}` in t= at position {} is unknown and ignored",
                    t.pos
                ),
            ));
        }
    }
    let testing = flags.iter().any(|f| f == "y");
    if testing {
        findings.push(Finding::warning(
            "dkim_testing",
            "RFC 6376 §3.6.1",
            "t=y: the domain is testing DKIM, so verifiers treat signatures as unsigned mail; remove it once signing works",
        ));
    }

    let Some(p) = tags.get("p") else {
        findings.push(Finding::error(
            "dkim_missing_key",
            "RFC 6376 §3.6.1",
            "no p= tag: the key data is required",
        ));
        return none(findings);
    };
    let b64: String = p
        .value
        .chars()
        .filter(|c| !matches!(c, ' ' | '\t' | '\r' | '\n'))
        .collect();
    let notes = tags.get("n").map(|n| n.value.to_string());
    let mut key = DkimKey {
        key_type,
        key_bits: None,
        key_format: None,
        testing,
        revoked: false,
        hashes,
        services,
        flags,
        notes,
    };
    if b64.is_empty() {
        findings.push(Finding::error(
            "dkim_key_revoked",
            "RFC 6376 §3.6.1",
            "p= is empty: the key is revoked and every signature made with it fails",
        ));
        key.revoked = true;
        findings.extend(unknown_tag_findings(&tags, KNOWN, "RFC 6376 §3.6.1"));
        return Parsed {
            record: Some(key),
            findings,
        };
    }
    let Ok(der) = base64::engine::general_purpose::STANDARD.decode(&b64) else {
        findings.push(Finding::error(
            "dkim_invalid_key",
            "RFC 6376 §3.6.1",
            format!("p= at position {} is not valid base64", p.pos),
        ));
        return none(findings);
    };

    let bad_key = |findings: &mut Vec<Finding>, msg: String| {
        findings.push(Finding::error("dkim_invalid_key", "RFC 6376 §3.6.1", msg));
    };
    match key_type {
        DkimKeyType::Ed25519 => {
            if der.len() == 32 {
                key.key_bits = Some(256);
                key.key_format = Some(DkimKeyFormat::Raw);
            } else {
                let hint = match inspect_key(&der) {
                    KeyShape::Ed25519Spki { .. } => {
                        "it is wrapped in a SubjectPublicKeyInfo; publish only the 32 raw key bytes"
                    }
                    KeyShape::RsaSpki { .. } | KeyShape::RsaPkcs1 { .. } => {
                        "it is an RSA key; use k=rsa"
                    }
                    _ => "it must be exactly 32 bytes",
                };
                bad_key(
                    &mut findings,
                    format!(
                        "the ed25519 key in p= is {} bytes: {hint} (RFC 8463 §4.2)",
                        der.len()
                    ),
                );
                return none(findings);
            }
        }
        DkimKeyType::Rsa => {
            let bits = match inspect_key(&der) {
                KeyShape::RsaSpki { bits } => {
                    key.key_format = Some(DkimKeyFormat::Spki);
                    bits
                }
                KeyShape::RsaPkcs1 { bits } => {
                    findings.push(Finding::info(
                        "dkim_pkcs1_key",
                        "RFC 6376 §3.6.1",
                        "the key is a bare PKCS#1 RSAPublicKey rather than the usual SubjectPublicKeyInfo: most verifiers accept it, but republishing it as SubjectPublicKeyInfo is safer",
                    ));
                    key.key_format = Some(DkimKeyFormat::Pkcs1);
                    bits
                }
                KeyShape::Ed25519Spki { .. } => {
                    bad_key(
                        &mut findings,
                        "p= holds an Ed25519 key but k is rsa: use k=ed25519 with the 32 raw key bytes".into(),
                    );
                    return none(findings);
                }
                KeyShape::OtherSpki { oid } => {
                    bad_key(
                        &mut findings,
                        format!("p= holds a key of algorithm {oid}, not RSA"),
                    );
                    return none(findings);
                }
                KeyShape::Unknown => {
                    bad_key(
                        &mut findings,
                        "p= is not a DER-encoded RSA public key".into(),
                    );
                    return none(findings);
                }
            };
            key.key_bits = Some(bits);
            if bits < 1024 {
                findings.push(Finding::error(
                    "dkim_key_too_short",
                    "RFC 8301 §3.2",
                    format!(
                        "the RSA key is {bits} bits: verifiers must not accept keys under 1024 bits; publish a 2048-bit key"
                    ),
                ));
            } else if bits < 2048 {
                findings.push(Finding::warning(
                    "dkim_key_weak",
                    "RFC 8301 §3.2",
                    format!("the RSA key is {bits} bits: signers should use at least 2048"),
                ));
            } else if bits > 4096 {
                findings.push(Finding::warning(
                    "dkim_key_too_long",
                    "RFC 8301 §3.2",
                    format!(
                        "the RSA key is {bits} bits: verifiers are only required to handle up to 4096"
                    ),
                ));
            }
        }
    }
    findings.extend(unknown_tag_findings(&tags, KNOWN, "RFC 6376 §3.6.1"));
    Parsed {
        record: Some(key),
        findings,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::dns::Severity;
    use proptest::prelude::*;
    use rsa::pkcs1::EncodeRsaPublicKey;
    use rsa::pkcs8::EncodePublicKey;
    use std::sync::OnceLock;

    fn b64(bytes: &[u8]) -> String {
        base64::engine::general_purpose::STANDARD.encode(bytes)
    }

    /// A public RSA key of `bits` bits built from a fixed odd modulus, so no key generation
    /// (slow) is needed: the parser only measures the modulus.
    fn rsa_public(bits: usize) -> rsa::RsaPublicKey {
        let mut bytes = vec![0xC5u8; bits / 8];
        if let Some(last) = bytes.last_mut() {
            *last |= 1;
        }
        rsa::RsaPublicKey::new_unchecked(
            rsa::BigUint::from_bytes_be(&bytes),
            rsa::BigUint::from(65537u32),
        )
    }

    fn spki_b64(bits: usize) -> String {
        b64(rsa_public(bits).to_public_key_der().unwrap().as_bytes())
    }

    fn key2048() -> &'static str {
        static K: OnceLock<String> = OnceLock::new();
        K.get_or_init(|| spki_b64(2048))
    }

    fn codes(p: &Parsed<DkimKey>) -> Vec<&str> {
        p.findings.iter().map(|f| f.code.as_str()).collect()
    }

    fn fires(text: &str, code: &str) -> bool {
        codes(&parse(text)).contains(&code)
    }

    fn good() -> String {
        format!("v=DKIM1; k=rsa; p={}", key2048())
    }

    #[test]
    fn a_2048_bit_rsa_key_has_no_findings() {
        let p = parse(&good());
        assert!(p.findings.is_empty(), "{:?}", p.findings);
        let k = p.record.unwrap();
        assert_eq!(k.key_type, DkimKeyType::Rsa);
        assert_eq!(k.key_bits, Some(2048));
        assert_eq!(k.key_format, Some(DkimKeyFormat::Spki));
        assert!(!k.revoked && !k.testing);
    }

    #[test]
    fn key_data_may_contain_folding_white_space() {
        let k = key2048();
        let (a, b) = k.split_at(100);
        let p = parse(&format!("v=DKIM1; p={a} \r\n\t{b}"));
        assert_eq!(p.record.unwrap().key_bits, Some(2048));
    }

    #[test]
    fn short_and_weak_and_oversized_keys_are_flagged() {
        assert!(fires(&format!("p={}", spki_b64(512)), "dkim_key_too_short"));
        assert!(fires(&format!("p={}", spki_b64(1024)), "dkim_key_weak"));
        assert!(!fires(
            &format!("p={}", spki_b64(1024)),
            "dkim_key_too_short"
        ));
        assert!(fires(&format!("p={}", spki_b64(8192)), "dkim_key_too_long"));
        assert!(!fires(&good(), "dkim_key_weak"));
        assert!(!fires(&good(), "dkim_key_too_long"));
        assert!(!fires(&good(), "dkim_key_too_short"));
    }

    #[test]
    fn a_bare_pkcs1_key_is_accepted_with_information() {
        let der = rsa_public(2048).to_pkcs1_der().unwrap();
        let p = parse(&format!("v=DKIM1; p={}", b64(der.as_bytes())));
        assert_eq!(codes(&p), vec!["dkim_pkcs1_key"]);
        let k = p.record.unwrap();
        assert_eq!(
            (k.key_bits, k.key_format),
            (Some(2048), Some(DkimKeyFormat::Pkcs1))
        );
        assert!(!fires(&good(), "dkim_pkcs1_key"));
    }

    #[test]
    fn an_empty_key_means_revoked() {
        let p = parse("v=DKIM1; p=");
        assert_eq!(codes(&p), vec!["dkim_key_revoked"]);
        assert_eq!(p.findings[0].severity, Severity::Error);
        assert!(p.record.unwrap().revoked);
        assert!(!fires(&good(), "dkim_key_revoked"));
    }

    #[test]
    fn a_missing_or_undecodable_key_voids_the_record() {
        let p = parse("v=DKIM1; k=rsa");
        assert!(p.record.is_none());
        assert_eq!(codes(&p), vec!["dkim_missing_key"]);
        let p = parse("v=DKIM1; p=!!notbase64");
        assert!(p.record.is_none());
        assert!(codes(&p).contains(&"dkim_invalid_key"));
        assert!(fires("p=AAAA", "dkim_invalid_key"));
        assert!(!fires(&good(), "dkim_invalid_key"));
        assert!(!fires(&good(), "dkim_missing_key"));
    }

    #[test]
    fn ed25519_keys_must_be_32_raw_bytes() {
        let p = parse(&format!("v=DKIM1; k=ed25519; p={}", b64(&[7u8; 32])));
        assert!(p.findings.is_empty(), "{:?}", p.findings);
        let k = p.record.unwrap();
        assert_eq!(k.key_type, DkimKeyType::Ed25519);
        assert_eq!(k.key_bits, Some(256));
        let p = parse(&format!("v=DKIM1; k=ed25519; p={}", b64(&[7u8; 31])));
        assert!(p.record.is_none());
        assert!(codes(&p).contains(&"dkim_invalid_key"));
    }

    #[test]
    fn an_ed25519_key_in_an_rsa_record_is_rejected() {
        let signing = ed25519_dalek::SigningKey::from_bytes(&[9u8; 32]);
        let der = signing.verifying_key().to_public_key_der().unwrap();
        let p = parse(&format!("v=DKIM1; p={}", b64(der.as_bytes())));
        assert!(p.record.is_none());
        assert!(p.findings[0].message.contains("k=ed25519"));
        let p = parse(&format!("v=DKIM1; k=ed25519; p={}", b64(der.as_bytes())));
        assert!(p.findings[0].message.contains("32 raw key bytes"));
    }

    #[test]
    fn unknown_key_types_are_errors() {
        let p = parse("v=DKIM1; k=dsa; p=AAAA");
        assert!(p.record.is_none());
        assert_eq!(codes(&p), vec!["dkim_unknown_key_type"]);
        assert!(!fires(&good(), "dkim_unknown_key_type"));
    }

    #[test]
    fn the_version_must_be_dkim1_and_first() {
        let p = parse(&format!("v=DKIM2; p={}", key2048()));
        assert!(p.record.is_none());
        assert!(codes(&p).contains(&"dkim_invalid_version"));
        let p = parse(&format!("k=rsa; v=DKIM1; p={}", key2048()));
        assert!(codes(&p).contains(&"dkim_invalid_version"));
        // v is optional.
        assert!(parse(&format!("p={}", key2048())).findings.is_empty());
        assert!(!fires(&good(), "dkim_invalid_version"));
    }

    #[test]
    fn sha1_only_hash_lists_are_errors() {
        assert!(fires(&format!("{}; h=sha1", good()), "dkim_sha1_only"));
        assert!(!fires(
            &format!("{}; h=sha1:sha256", good()),
            "dkim_sha1_only"
        ));
        assert!(fires(&format!("{}; h=md5", good()), "dkim_no_usable_hash"));
        let p = parse(&format!("{}; h=sha256:sha512", good()));
        assert_eq!(codes(&p), vec!["dkim_unknown_hash"]);
        assert_eq!(p.record.unwrap().hashes, vec!["sha256", "sha512"]);
        assert!(!fires(&good(), "dkim_unknown_hash"));
        assert!(!fires(&good(), "dkim_no_usable_hash"));
    }

    #[test]
    fn service_types_must_include_email() {
        assert!(fires(
            &format!("{}; s=tlsrpt", good()),
            "dkim_not_for_email"
        ));
        assert!(!fires(
            &format!("{}; s=email:tlsrpt", good()),
            "dkim_not_for_email"
        ));
        assert!(!fires(&format!("{}; s=*", good()), "dkim_not_for_email"));
    }

    #[test]
    fn flags_are_parsed_and_testing_is_a_warning() {
        let p = parse(&format!("{}; t=y:s:z", good()));
        assert!(codes(&p).contains(&"dkim_testing"));
        assert!(codes(&p).contains(&"dkim_unknown_flag"));
        let k = p.record.unwrap();
        assert!(k.testing);
        assert_eq!(k.flags, vec!["y", "s", "z"]);
        assert!(!fires(&format!("{}; t=s", good()), "dkim_testing"));
        assert!(!fires(&format!("{}; t=s", good()), "dkim_unknown_flag"));
    }

    #[test]
    fn unknown_tags_are_ignored_with_information_and_names_are_case_sensitive() {
        let p = parse(&format!("{}; g=*; n=hello", good()));
        assert_eq!(codes(&p), vec!["dkim_unknown_tag"]);
        assert_eq!(p.record.unwrap().notes.as_deref(), Some("hello"));
        let p = parse(&format!("v=DKIM1; P={}", key2048()));
        assert!(codes(&p).contains(&"dkim_missing_key"));
        assert!(!fires(&good(), "dkim_unknown_tag"));
    }

    #[test]
    fn syntax_errors_and_duplicates_void_the_record() {
        let p = parse(&format!("{}; junk", good()));
        assert!(p.record.is_none());
        assert!(codes(&p).contains(&"dkim_syntax"));
        assert!(codes(&p).contains(&"dkim_invalid_record"));
        let p = parse(&format!("{}; k=rsa", good()));
        assert!(p.record.is_none());
        assert!(codes(&p).contains(&"dkim_duplicate_tag"));
        assert!(!fires(&good(), "dkim_invalid_record"));
    }

    proptest! {
        #[test]
        fn parse_never_panics(s in ".{0,200}") {
            let _ = parse(&s);
            let _ = parse(&format!("v=DKIM1; p={s}"));
        }

        #[test]
        fn parse_never_panics_on_arbitrary_key_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            let _ = parse(&format!("v=DKIM1; p={}", b64(&bytes)));
            let _ = parse(&format!("v=DKIM1; k=ed25519; p={}", b64(&bytes)));
        }
    }
}
