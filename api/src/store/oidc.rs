//! What the store keeps of a sign-in through the identity provider while the browser is
//! away at the provider: kept server-side, so the browser holds only a random binding token.

use kjr_domain::Timestamp;
use serde::{Deserialize, Serialize};

/// How long a started OIDC sign-in may take before it is forgotten.
pub const OIDC_LOGIN_SECONDS: i64 = 10 * 60;

/// A started OIDC sign-in, keyed by the SHA-256 of its `state`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OidcLogin {
    /// SHA-256 of the `state` sent to the provider, hex (the key).
    pub state_hash: String,
    /// SHA-256 of the binding token in the browser's cookie, hex.
    pub browser_hash: String,
    /// The nonce the ID token must carry.
    pub nonce: String,
    /// The PKCE code verifier (its challenge went to the provider).
    pub pkce_verifier: String,
    /// Where to go after signing in (a checked path under `/staff`).
    pub return_to: String,
    /// When it started.
    pub created_at: Timestamp,
    /// When it is forgotten.
    pub expires_at: Timestamp,
}
