//! JWT claims, signing and validation.

use crate::domain::ids::{ApiKeyId, TenantId};
use crate::domain::tenant::Role;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, encode};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

pub const ISSUER: &str = "ruad";
/// Audience of tokens that call the API.
pub const API_AUDIENCE: &str = "ruad-api";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Claims {
    /// The API key that minted the token.
    pub sub: ApiKeyId,
    /// The tenant the token acts for.
    pub tid: TenantId,
    pub role: Role,
    pub aud: String,
    pub iss: String,
    pub iat: i64,
    pub nbf: i64,
    pub exp: i64,
    pub jti: String,
}

#[derive(Clone)]
pub struct AuthKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
}

impl AuthKeys {
    pub fn new(secret: &SecretString) -> AuthKeys {
        let bytes = secret.expose_secret().as_bytes();
        AuthKeys {
            encoding: EncodingKey::from_secret(bytes),
            decoding: DecodingKey::from_secret(bytes),
        }
    }

    pub fn sign(&self, claims: &Claims) -> Result<String, jsonwebtoken::errors::Error> {
        encode(&Header::new(Algorithm::HS256), claims, &self.encoding)
    }

    /// Validates signature (HS256 only), issuer, audience, expiry and not-before.
    pub fn verify(&self, token: &str) -> Result<Claims, jsonwebtoken::errors::Error> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[API_AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "nbf", "iat", "iss", "aud", "sub"]);
        validation.validate_nbf = true;
        validation.leeway = 30;
        Ok(decode::<Claims>(token, &self.decoding, &validation)?.claims)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn keys() -> AuthKeys {
        AuthKeys::new(&SecretString::from(
            "0123456789abcdef0123456789abcdef".to_string(),
        ))
    }

    fn claims(exp: i64, aud: &str) -> Claims {
        let now = chrono::Utc::now().timestamp();
        Claims {
            sub: "k".into(),
            tid: "t".into(),
            role: Role::Reader,
            aud: aud.into(),
            iss: ISSUER.into(),
            iat: now,
            nbf: now,
            exp,
            jti: "j".into(),
        }
    }

    #[test]
    fn a_signed_token_verifies() {
        let now = chrono::Utc::now().timestamp();
        let token = keys().sign(&claims(now + 60, API_AUDIENCE)).unwrap();
        assert_eq!(keys().verify(&token).unwrap().tid, "t");
    }

    #[test]
    fn expired_wrong_audience_and_unsigned_tokens_are_refused() {
        let now = chrono::Utc::now().timestamp();
        assert!(
            keys()
                .verify(&keys().sign(&claims(now - 120, API_AUDIENCE)).unwrap())
                .is_err()
        );
        assert!(
            keys()
                .verify(&keys().sign(&claims(now + 60, "other")).unwrap())
                .is_err()
        );
        let token = keys().sign(&claims(now + 60, API_AUDIENCE)).unwrap();
        let mut parts: Vec<&str> = token.split('.').collect();
        use base64::Engine;
        let none = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(br#"{"alg":"none","typ":"JWT"}"#);
        parts[0] = &none;
        let unsigned = format!("{}.{}.", parts[0], parts[1]);
        assert!(keys().verify(&unsigned).is_err());
    }
}
