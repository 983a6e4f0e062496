//! DKIM key record generator: `<selector>._domainkey.<domain>` with `v=DKIM1; k=…; p=…`.
//! Generates an RSA (SubjectPublicKeyInfo, RFC 6376 §3.6.1) or Ed25519 (32 raw bytes,
//! RFC 8463 §4.2) key pair, or publishes a public key the user supplies. The private key is
//! returned once as PKCS#8 PEM and never logged or kept.

use super::{DEFAULT_TTL, GenerateError, Generated, PublishRecord, domain, round_trip, selector};
use crate::dns::Finding;
use crate::dns::records::dkim::{self, DkimKeyType, KeyShape, inspect_key};
use base64::Engine;
use rsa::pkcs1::DecodeRsaPublicKey;
use rsa::pkcs8::{EncodePrivateKey, EncodePublicKey, LineEnding};
use serde::{Deserialize, Serialize};

/// RSA sizes the generator offers.
pub const RSA_BITS: [u32; 4] = [1024, 2048, 3072, 4096];

fn default_bits() -> u32 {
    2048
}

/// What the DKIM key record should hold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DkimInput {
    /// Signing domain (`d=`), A-label form.
    #[schema(example = "example.com")]
    pub domain: String,
    /// Selector (`s=`): one or more DNS labels.
    #[schema(example = "s2026")]
    pub selector: String,
    /// Key type (default rsa). Ed25519 is not yet verified everywhere: sign with RSA too.
    #[serde(default)]
    pub key_type: DkimKeyType,
    /// RSA key size: 1024, 2048 (default), 3072 or 4096. Ignored for Ed25519 and for a
    /// supplied key.
    #[serde(default = "default_bits")]
    #[schema(default = 2048)]
    pub bits: u32,
    /// A public key to publish instead of generating one: base64 DER or PEM
    /// (`PUBLIC KEY` or `RSA PUBLIC KEY`; for Ed25519 also the 32 raw bytes in base64).
    #[serde(default)]
    pub public_key: Option<String>,
    /// Add `t=y` (testing: verifiers treat failures as unsigned mail).
    #[serde(default)]
    pub testing: bool,
}

/// Base64 DER from a PEM block or a bare base64 string.
fn decode_public_key(text: &str) -> Result<Vec<u8>, GenerateError> {
    let text = text.trim();
    let body: String = if text.starts_with("-----BEGIN") {
        text.lines()
            .map(str::trim)
            .filter(|l| !l.starts_with("-----"))
            .collect()
    } else {
        text.chars().filter(|c| !c.is_whitespace()).collect()
    };
    base64::engine::general_purpose::STANDARD
        .decode(body)
        .map_err(|_| GenerateError::new("public_key", "not valid base64 or PEM"))
}

/// The `p=` bytes for a supplied key: SubjectPublicKeyInfo for RSA, raw for Ed25519.
fn supplied_key(key_type: DkimKeyType, text: &str) -> Result<Vec<u8>, GenerateError> {
    let der = decode_public_key(text)?;
    let err = |m: &str| Err(GenerateError::new("public_key", m));
    match (key_type, inspect_key(&der)) {
        (DkimKeyType::Rsa, KeyShape::RsaSpki { bits }) if bits >= 1024 => Ok(der),
        (DkimKeyType::Rsa, KeyShape::RsaPkcs1 { bits }) if bits >= 1024 => {
            // Publish the usual SubjectPublicKeyInfo rather than the bare PKCS#1 form.
            let spki = rsa::RsaPublicKey::from_pkcs1_der(&der)
                .ok()
                .and_then(|k| k.to_public_key_der().ok());
            match spki {
                Some(d) => Ok(d.as_bytes().to_vec()),
                None => err(
                    "the RSA key could not be re-encoded (keys over 4096 bits are not supported)",
                ),
            }
        }
        (DkimKeyType::Rsa, KeyShape::RsaSpki { .. } | KeyShape::RsaPkcs1 { .. }) => {
            err("RSA keys under 1024 bits are rejected by verifiers (RFC 8301)")
        }
        (DkimKeyType::Rsa, KeyShape::Ed25519Spki { .. }) => {
            err("this is an Ed25519 key: set key_type to ed25519")
        }
        (DkimKeyType::Ed25519, _) if der.len() == 32 => Ok(der),
        (DkimKeyType::Ed25519, KeyShape::Ed25519Spki { raw }) if raw.len() == 32 => Ok(raw),
        (DkimKeyType::Ed25519, KeyShape::RsaSpki { .. } | KeyShape::RsaPkcs1 { .. }) => {
            err("this is an RSA key: set key_type to rsa")
        }
        _ => err("not an RSA or Ed25519 public key"),
    }
}

/// Generates a key pair: (`p=` bytes, private key PEM).
fn generate_key(key_type: DkimKeyType, bits: u32) -> Result<(Vec<u8>, String), GenerateError> {
    let mut rng = rsa::rand_core::OsRng;
    match key_type {
        DkimKeyType::Rsa => {
            if !RSA_BITS.contains(&bits) {
                return Err(GenerateError::new(
                    "bits",
                    format!("{bits} is not one of 1024, 2048, 3072, 4096"),
                ));
            }
            let fail = |_| GenerateError::new("key_type", "RSA key generation failed");
            let private = rsa::RsaPrivateKey::new(&mut rng, bits as usize).map_err(fail)?;
            let pem = private
                .to_pkcs8_pem(LineEnding::LF)
                .map_err(|_| GenerateError::new("key_type", "could not encode the private key"))?;
            let public = private
                .to_public_key()
                .to_public_key_der()
                .map_err(|_| GenerateError::new("key_type", "could not encode the public key"))?;
            Ok((public.as_bytes().to_vec(), pem.as_str().to_owned()))
        }
        DkimKeyType::Ed25519 => {
            let signing = ed25519_dalek::SigningKey::generate(&mut rng);
            let pem = signing
                .to_pkcs8_pem(LineEnding::LF)
                .map_err(|_| GenerateError::new("key_type", "could not encode the private key"))?;
            Ok((
                signing.verifying_key().to_bytes().to_vec(),
                pem.as_str().to_owned(),
            ))
        }
    }
}

/// Builds the DKIM key record, generating a key pair unless a public key is supplied.
pub fn generate_dkim(input: &DkimInput) -> Result<Generated, GenerateError> {
    let domain = domain("domain", &input.domain)?;
    let selector = selector("selector", &input.selector)?;
    let name = format!("{selector}._domainkey.{domain}");
    if name.len() > 253 {
        return Err(GenerateError::new(
            "selector",
            "selector and domain together exceed 253 bytes",
        ));
    }
    let (key, private_key_pem) = match &input.public_key {
        Some(text) => (supplied_key(input.key_type, text)?, None),
        None => {
            let (key, pem) = generate_key(input.key_type, input.bits)?;
            (key, Some(pem))
        }
    };
    let p = base64::engine::general_purpose::STANDARD.encode(&key);
    let mut value = format!("v=DKIM1; k={}", input.key_type.as_str());
    if input.testing {
        value.push_str("; t=y");
    }
    value.push_str(&format!("; p={p}"));
    let field = if input.public_key.is_some() {
        "public_key"
    } else {
        "key_type"
    };
    let mut findings = round_trip(field, dkim::parse(&value).findings)?;
    if input.key_type == DkimKeyType::Ed25519 {
        findings.push(Finding::info(
            "dkim_ed25519_dual_sign",
            "RFC 8463 §3",
            "many verifiers do not support Ed25519 yet: also sign with an RSA key under another selector",
        ));
    }
    let record = PublishRecord::txt(&name, value, DEFAULT_TTL);
    if record.chunks.len() > 1 {
        findings.push(Finding::info(
            "dkim_record_split",
            "RFC 6376 §3.6.2.2",
            format!(
                "the record is {} bytes, so it is published as {} strings of at most 255 bytes; verifiers join them. Some DNS hosting panels need the strings entered separately",
                record.value.len(),
                record.chunks.len()
            ),
        ));
    }
    Ok(Generated {
        records: vec![record],
        file: None,
        private_key_pem,
        findings,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::dns::has_errors;
    use crate::dns::records::dkim::DkimKeyFormat;
    use rsa::pkcs1::EncodeRsaPublicKey;
    use rsa::pkcs8::DecodePrivateKey;

    fn input(key_type: DkimKeyType, bits: u32) -> DkimInput {
        DkimInput {
            domain: "example.com".into(),
            selector: "s2026".into(),
            key_type,
            bits,
            public_key: None,
            testing: false,
        }
    }

    fn b64(bytes: &[u8]) -> String {
        base64::engine::general_purpose::STANDARD.encode(bytes)
    }

    #[test]
    fn a_generated_rsa_key_round_trips_and_matches_its_private_key() {
        let g = generate_dkim(&input(DkimKeyType::Rsa, 2048)).unwrap();
        let r = &g.records[0];
        assert_eq!(r.name, "s2026._domainkey.example.com");
        assert!(r.value.starts_with("v=DKIM1; k=rsa; p=MII"));
        assert!(r.chunks.iter().all(|c| c.len() <= 255));
        assert_eq!(r.chunks.concat(), r.value);
        let parsed = dkim::parse(&r.value);
        assert!(!has_errors(&parsed.findings), "{:?}", parsed.findings);
        assert_eq!(parsed.record.unwrap().key_bits, Some(2048));
        let pem = g.private_key_pem.unwrap();
        assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----"));
        let private = rsa::RsaPrivateKey::from_pkcs8_pem(&pem).unwrap();
        let spki = private.to_public_key().to_public_key_der().unwrap();
        assert!(r.value.ends_with(&b64(spki.as_bytes())));
        assert!(g.findings.iter().any(|f| f.code == "dkim_record_split"));
    }

    #[test]
    fn a_1024_bit_key_is_allowed_with_a_warning() {
        let g = generate_dkim(&input(DkimKeyType::Rsa, 1024)).unwrap();
        assert!(g.findings.iter().any(|f| f.code == "dkim_key_weak"));
        assert!(!g.findings.iter().any(|f| f.code == "dkim_record_split"));
    }

    #[test]
    fn a_generated_ed25519_key_is_32_raw_bytes() {
        let g = generate_dkim(&DkimInput {
            testing: true,
            ..input(DkimKeyType::Ed25519, 2048)
        })
        .unwrap();
        let value = &g.records[0].value;
        assert!(value.starts_with("v=DKIM1; k=ed25519; t=y; p="));
        let parsed = dkim::parse(value);
        assert!(!has_errors(&parsed.findings), "{:?}", parsed.findings);
        let k = parsed.record.unwrap();
        assert_eq!(k.key_format, Some(DkimKeyFormat::Raw));
        assert!(k.testing);
        let pem = g.private_key_pem.unwrap();
        let signing = ed25519_dalek::SigningKey::from_pkcs8_pem(&pem).unwrap();
        assert!(value.ends_with(&b64(&signing.verifying_key().to_bytes())));
        assert!(
            g.findings
                .iter()
                .any(|f| f.code == "dkim_ed25519_dual_sign")
        );
    }

    fn sample_rsa_public() -> rsa::RsaPublicKey {
        // A fixed modulus: only the encoding matters here, not the key's security.
        let mut n = vec![0xB3u8; 256];
        n[255] |= 1;
        rsa::RsaPublicKey::new(
            rsa::BigUint::from_bytes_be(&n),
            rsa::BigUint::from(65537u32),
        )
        .unwrap()
    }

    #[test]
    fn a_supplied_rsa_key_is_published_as_subject_public_key_info() {
        let public = sample_rsa_public();
        let spki = b64(public.to_public_key_der().unwrap().as_bytes());
        let pem = public.to_public_key_pem(LineEnding::LF).unwrap();
        let pkcs1_pem = public.to_pkcs1_pem(LineEnding::CRLF).unwrap();
        for supplied in [spki.clone(), pem, pkcs1_pem] {
            let g = generate_dkim(&DkimInput {
                public_key: Some(supplied),
                ..input(DkimKeyType::Rsa, 4096)
            })
            .unwrap();
            assert!(g.private_key_pem.is_none());
            assert_eq!(g.records[0].value, format!("v=DKIM1; k=rsa; p={spki}"));
            let parsed = dkim::parse(&g.records[0].value);
            assert!(parsed.findings.is_empty(), "{:?}", parsed.findings);
        }
    }

    #[test]
    fn a_supplied_ed25519_key_is_accepted_raw_or_wrapped() {
        let signing = ed25519_dalek::SigningKey::from_bytes(&[5u8; 32]);
        let raw = b64(&signing.verifying_key().to_bytes());
        let pem = signing
            .verifying_key()
            .to_public_key_pem(LineEnding::LF)
            .unwrap();
        for supplied in [raw.clone(), pem] {
            let g = generate_dkim(&DkimInput {
                public_key: Some(supplied),
                ..input(DkimKeyType::Ed25519, 2048)
            })
            .unwrap();
            assert!(g.records[0].value.ends_with(&format!("p={raw}")));
        }
    }

    #[test]
    fn bad_input_is_refused_naming_the_field() {
        assert_eq!(
            generate_dkim(&input(DkimKeyType::Rsa, 1536))
                .unwrap_err()
                .field,
            "bits"
        );
        let e = generate_dkim(&DkimInput {
            selector: "bad_selector".into(),
            ..input(DkimKeyType::Rsa, 2048)
        })
        .unwrap_err();
        assert_eq!(e.field, "selector");
        let e = generate_dkim(&DkimInput {
            domain: "".into(),
            ..input(DkimKeyType::Rsa, 2048)
        })
        .unwrap_err();
        assert_eq!(e.field, "domain");
        let e = generate_dkim(&DkimInput {
            public_key: Some("not base64!".into()),
            ..input(DkimKeyType::Rsa, 2048)
        })
        .unwrap_err();
        assert_eq!(e.field, "public_key");
        let ed = b64(&[5u8; 32]);
        let e = generate_dkim(&DkimInput {
            public_key: Some(b64(sample_rsa_public()
                .to_public_key_der()
                .unwrap()
                .as_bytes())),
            ..input(DkimKeyType::Ed25519, 2048)
        })
        .unwrap_err();
        assert!(e.message.contains("key_type to rsa"));
        let e = generate_dkim(&DkimInput {
            public_key: Some(ed),
            ..input(DkimKeyType::Rsa, 2048)
        })
        .unwrap_err();
        assert_eq!(e.field, "public_key");
    }

    #[test]
    fn a_supplied_short_rsa_key_is_refused() {
        let mut n = vec![0xB3u8; 64];
        n[63] |= 1;
        let short = rsa::RsaPublicKey::new_unchecked(
            rsa::BigUint::from_bytes_be(&n),
            rsa::BigUint::from(65537u32),
        );
        let e = generate_dkim(&DkimInput {
            public_key: Some(b64(short.to_public_key_der().unwrap().as_bytes())),
            ..input(DkimKeyType::Rsa, 2048)
        })
        .unwrap_err();
        assert!(e.message.contains("1024"));
    }
}
