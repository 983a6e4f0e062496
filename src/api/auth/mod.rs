//! Authentication: API keys and JWTs, checked by the [`Caller`] extractor, and the token
//! exchange (`POST /auth/token`, [`token`]).
//!
//! - An API key (`ruad_…`) is looked up by its SHA-256; revoked keys are refused.
//! - A JWT is HS256 only, with pinned issuer and audience, `exp`/`nbf` checked with 30 s
//!   leeway, and its `jti` must be registered and unrevoked (revoking a key revokes the
//!   tokens it minted).
//! - A caller sees its tenant's subtree ([`TenantScope`]); roles are checked with
//!   [`Caller::require`].

pub mod claims;
pub mod extract;
pub mod token;

pub use claims::{AuthKeys, Claims};
pub use extract::Caller;
