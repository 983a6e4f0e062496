//! IMAP mailbox settings shared by the API, the mailbox service and storage: how to connect,
//! how to log in, and what to do with a message once its reports are committed. Stored as
//! the `snake_case` names below.
//!
//! Must not depend on actix-web or diesel.

use serde::{Deserialize, Serialize};

/// How the connection is secured. There is no plain-text mode: credentials never cross the
/// network in clear.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TlsMode {
    /// TLS from the first byte (IMAPS, usually port 993).
    Implicit,
    /// Plain connection upgraded with `STARTTLS` before anything else is sent (usually 143).
    Starttls,
}

impl TlsMode {
    pub fn as_str(self) -> &'static str {
        match self {
            TlsMode::Implicit => "implicit",
            TlsMode::Starttls => "starttls",
        }
    }

    pub fn parse(s: &str) -> Option<TlsMode> {
        [TlsMode::Implicit, TlsMode::Starttls]
            .into_iter()
            .find(|m| m.as_str() == s)
    }
}

/// The SASL mechanism an OAuth2 access token is presented with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OAuthMechanism {
    /// Google's and Microsoft's `XOAUTH2`.
    Xoauth2,
    /// RFC 7628 `OAUTHBEARER`.
    Oauthbearer,
}

impl OAuthMechanism {
    pub fn as_str(self) -> &'static str {
        match self {
            OAuthMechanism::Xoauth2 => "xoauth2",
            OAuthMechanism::Oauthbearer => "oauthbearer",
        }
    }

    /// The SASL name sent with `AUTHENTICATE`.
    pub fn sasl_name(self) -> &'static str {
        match self {
            OAuthMechanism::Xoauth2 => "XOAUTH2",
            OAuthMechanism::Oauthbearer => "OAUTHBEARER",
        }
    }
}

/// What happens to a message once every report it holds is committed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AfterAction {
    /// Move it to `folder` (created when missing).
    Move { folder: String },
    /// Leave it in place, flagged `\Seen`.
    MarkSeen,
    /// Delete it (flag `\Deleted` and expunge it).
    Delete,
}

impl AfterAction {
    /// The stored action name (`move`, `mark_seen`, `delete`).
    pub fn as_str(&self) -> &'static str {
        match self {
            AfterAction::Move { .. } => "move",
            AfterAction::MarkSeen => "mark_seen",
            AfterAction::Delete => "delete",
        }
    }

    /// The action from its stored name and folder; `None` for an unknown name or a move
    /// without folder.
    pub fn from_parts(action: &str, folder: Option<&str>) -> Option<AfterAction> {
        match action {
            "move" => folder.map(|f| AfterAction::Move {
                folder: f.to_string(),
            }),
            "mark_seen" => Some(AfterAction::MarkSeen),
            "delete" => Some(AfterAction::Delete),
            _ => None,
        }
    }

    pub fn folder(&self) -> Option<&str> {
        match self {
            AfterAction::Move { folder } => Some(folder),
            _ => None,
        }
    }
}

/// OAuth2 settings that are not secret (the refresh token and client secret are kept
/// encrypted apart).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OAuthConfig {
    pub client_id: String,
    pub token_endpoint: String,
    pub mechanism: OAuthMechanism,
    pub scope: Option<String>,
}
