//! OAuth2 token refresh (RFC 6749 §6): a form POST of `grant_type=refresh_token` with the
//! client's id and secret to the provider's token endpoint (Microsoft 365, Google, or any
//! other), answering a new access token with its lifetime, and the new refresh token when
//! the provider rotates it.
//!
//! The endpoint obeys the outbound rule ([`crate::outbound::https`]): `https` on a public
//! address (`http` and private addresses only with `allow_private`, for tests), no redirects,
//! a time limit, a bounded answer. Error texts carry the provider's `error` code and
//! description, never a token.
//!
//! Must not depend on actix-web or diesel.

use crate::dns::Resolver;
use crate::outbound::https::{check_url, client_builder};
use secrecy::{ExposeSecret, SecretString};
use std::time::Duration;

/// Largest token answer read.
const MAX_ANSWER: usize = 64 * 1024;

/// What to present to the token endpoint.
pub struct RefreshRequest<'a> {
    pub token_endpoint: &'a str,
    pub client_id: &'a str,
    pub client_secret: &'a SecretString,
    pub refresh_token: &'a SecretString,
    pub scope: Option<&'a str>,
}

/// A fresh access token.
pub struct Token {
    pub access_token: SecretString,
    /// Seconds it is valid for, when the provider said.
    pub expires_in: Option<i64>,
    /// A new refresh token, when the provider rotated it (the old one may stop working).
    pub refresh_token: Option<SecretString>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OAuthError {
    #[error("token endpoint url {0}")]
    Url(String),
    #[error("token endpoint request failed: {0}")]
    Request(String),
    /// The provider refused (its `error` and `error_description`, or the HTTP status).
    #[error("token endpoint refused the refresh: {0}")]
    Refused(String),
    #[error("token endpoint answer is not a token: {0}")]
    BadAnswer(String),
}

#[derive(serde::Deserialize)]
struct Answer {
    access_token: Option<String>,
    expires_in: Option<serde_json::Value>,
    refresh_token: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
}

/// Exchanges the refresh token for an access token.
pub async fn refresh(
    resolver: &Resolver,
    allow_private: bool,
    timeout: Duration,
    request: &RefreshRequest<'_>,
) -> Result<Token, OAuthError> {
    let url = url::Url::parse(request.token_endpoint)
        .map_err(|e| OAuthError::Url(format!("is invalid: {e}")))?;
    check_url(&url, allow_private).map_err(|e| OAuthError::Url(e.to_string()))?;
    let client = client_builder(resolver.clone(), allow_private, timeout)
        .https_only(!allow_private)
        .build()
        .map_err(|e| OAuthError::Request(e.to_string()))?;
    let mut form: Vec<(&str, &str)> = vec![
        ("grant_type", "refresh_token"),
        ("refresh_token", request.refresh_token.expose_secret()),
        ("client_id", request.client_id),
        ("client_secret", request.client_secret.expose_secret()),
    ];
    if let Some(scope) = request.scope {
        form.push(("scope", scope));
    }
    let mut response = client
        .post(url)
        .header("accept", "application/json")
        .form(&form)
        .send()
        .await
        .map_err(|e| OAuthError::Request(crate::outbound::https::describe(e)))?;
    let status = response.status();
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| OAuthError::Request(crate::outbound::https::describe(e)))?
    {
        if body.len() + chunk.len() > MAX_ANSWER {
            return Err(OAuthError::BadAnswer(format!(
                "larger than {MAX_ANSWER} bytes"
            )));
        }
        body.extend_from_slice(&chunk);
    }
    let answer: Option<Answer> = serde_json::from_slice(&body).ok();
    if !status.is_success() {
        let why = answer
            .and_then(|a| {
                a.error.map(|e| match a.error_description {
                    Some(d) => format!("{e}: {}", d.chars().take(300).collect::<String>()),
                    None => e,
                })
            })
            .unwrap_or_else(|| format!("HTTP {}", status.as_u16()));
        return Err(OAuthError::Refused(why));
    }
    let answer = answer.ok_or_else(|| OAuthError::BadAnswer("not JSON".into()))?;
    let access_token = answer
        .access_token
        .filter(|t| !t.is_empty())
        .ok_or_else(|| OAuthError::BadAnswer("no access_token".into()))?;
    // Some providers send the lifetime as a string.
    let expires_in = match answer.expires_in {
        Some(serde_json::Value::Number(n)) => n.as_i64(),
        Some(serde_json::Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    };
    Ok(Token {
        access_token: SecretString::from(access_token),
        expires_in,
        refresh_token: answer
            .refresh_token
            .filter(|t| !t.is_empty())
            .map(SecretString::from),
    })
}
