//! Secrets at rest: values ruad must keep to act on a tenant's behalf (an IMAP password, an
//! OAuth2 refresh token and client secret, a cached access token) are stored sealed with
//! XChaCha20-Poly1305 under the key of the `secret_key` setting (`RUAD_SECRET_KEY`, 32 bytes
//! in base64).
//!
//! - Each value gets a fresh random 192-bit nonce (safe to draw at random at any volume);
//!   stored as `nonce ‖ ciphertext+tag`.
//! - The associated data is `ruad:<row id>:<field>`, so a sealed value copied to another row
//!   or another column does not open.
//! - Opened values are `SecretString`s: their `Debug` prints nothing, and nothing here logs.
//!
//! Must not depend on actix-web or diesel.

use base64::Engine;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use rand::RngCore;
use secrecy::{ExposeSecret, SecretString};
use std::sync::Arc;

const NONCE_LEN: usize = 24;

/// The key secrets are sealed with.
#[derive(Clone)]
pub struct SecretKey {
    cipher: Arc<XChaCha20Poly1305>,
}

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(..)")
    }
}

/// Why a key or a sealed value was refused. The texts never include secret material.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecretError {
    #[error("must be 32 bytes in base64 (for example the output of `openssl rand -base64 32`)")]
    BadKey,
    /// The value does not open with this key for this row and field: another key, or damage.
    #[error("a stored secret does not open with the configured secret_key (was the key changed?)")]
    Undecryptable,
    #[error("sealing a secret failed")]
    Seal,
}

impl SecretKey {
    /// The key from its base64 text (standard or URL-safe alphabet, padded or not).
    pub fn from_base64(text: &SecretString) -> Result<SecretKey, SecretError> {
        let text = text.expose_secret().trim();
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(text)
            .or_else(|_| base64::engine::general_purpose::STANDARD_NO_PAD.decode(text))
            .or_else(|_| base64::engine::general_purpose::URL_SAFE.decode(text))
            .or_else(|_| base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(text))
            .map_err(|_| SecretError::BadKey)?;
        let bytes: [u8; 32] = bytes.try_into().map_err(|_| SecretError::BadKey)?;
        Ok(SecretKey {
            cipher: Arc::new(XChaCha20Poly1305::new(&Key::from(bytes))),
        })
    }

    /// Seals `plain` for column `field` of row `row`.
    pub fn seal(&self, row: &str, field: &str, plain: &[u8]) -> Result<Vec<u8>, SecretError> {
        let mut nonce = [0u8; NONCE_LEN];
        rand::rng().fill_bytes(&mut nonce);
        let aad = associated_data(row, field);
        let sealed = self
            .cipher
            .encrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: plain,
                    aad: aad.as_bytes(),
                },
            )
            .map_err(|_| SecretError::Seal)?;
        let mut out = Vec::with_capacity(NONCE_LEN + sealed.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        Ok(out)
    }

    /// Opens what [`SecretKey::seal`] sealed for the same row and field.
    pub fn open(&self, row: &str, field: &str, sealed: &[u8]) -> Result<SecretString, SecretError> {
        if sealed.len() < NONCE_LEN {
            return Err(SecretError::Undecryptable);
        }
        let (nonce, body) = sealed.split_at(NONCE_LEN);
        let nonce: [u8; NONCE_LEN] = nonce.try_into().map_err(|_| SecretError::Undecryptable)?;
        let aad = associated_data(row, field);
        let plain = self
            .cipher
            .decrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: body,
                    aad: aad.as_bytes(),
                },
            )
            .map_err(|_| SecretError::Undecryptable)?;
        String::from_utf8(plain)
            .map(SecretString::from)
            .map_err(|_| SecretError::Undecryptable)
    }
}

fn associated_data(row: &str, field: &str) -> String {
    format!("ruad:{row}:{field}")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn key(byte: u8) -> SecretKey {
        let text = base64::engine::general_purpose::STANDARD.encode([byte; 32]);
        SecretKey::from_base64(&SecretString::from(text)).unwrap()
    }

    #[test]
    fn a_sealed_value_opens_for_its_row_and_field_only() {
        let k = key(7);
        let sealed = k.seal("m1", "secrets", b"hunter2").unwrap();
        assert!(!sealed.windows(7).any(|w| w == b"hunter2"));
        assert_eq!(
            k.open("m1", "secrets", &sealed).unwrap().expose_secret(),
            "hunter2"
        );
        assert_eq!(
            k.open("m2", "secrets", &sealed).unwrap_err(),
            SecretError::Undecryptable
        );
        assert_eq!(
            k.open("m1", "access_token", &sealed).unwrap_err(),
            SecretError::Undecryptable
        );
        assert_eq!(
            key(8).open("m1", "secrets", &sealed).unwrap_err(),
            SecretError::Undecryptable
        );
        assert_eq!(
            k.open("m1", "secrets", &sealed[..10]).unwrap_err(),
            SecretError::Undecryptable
        );
    }

    #[test]
    fn each_seal_draws_a_new_nonce() {
        let k = key(1);
        let a = k.seal("m", "f", b"same").unwrap();
        let b = k.seal("m", "f", b"same").unwrap();
        assert_ne!(a, b);
        assert_ne!(a[..NONCE_LEN], b[..NONCE_LEN]);
    }

    #[test]
    fn keys_must_be_32_bytes_of_base64() {
        for bad in ["", "not base64!", "AAAA", &"A".repeat(64)] {
            assert_eq!(
                SecretKey::from_base64(&SecretString::from(bad.to_string())).unwrap_err(),
                SecretError::BadKey,
                "{bad}"
            );
        }
        let url_safe = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode([0xfb; 32]);
        assert!(SecretKey::from_base64(&SecretString::from(url_safe)).is_ok());
        assert_eq!(format!("{:?}", key(3)), "SecretKey(..)");
    }
}
