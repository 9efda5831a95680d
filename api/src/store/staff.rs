//! What the store keeps for the staff side: local accounts, the directory of staff members,
//! sessions and failed sign-ins.

use kjr_domain::staff::{Role, StaffId, StaffRef};
use kjr_domain::{TeamId, Timestamp};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// A local account (self-hosting and development): argon2id password, TOTP second factor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    /// The staff member it signs in as.
    pub member: StaffMember,
    /// The e-mail address, normalised (trimmed, lower case).
    pub email: String,
    /// The argon2id hash of the password (PHC string).
    pub password_hash: String,
    /// The TOTP secret, base32; `None` after `reset-mfa` until a new one is set.
    pub totp_secret: Option<String>,
    /// The last TOTP time step used, so a code works once.
    pub last_totp_step: Option<u64>,
    /// A disabled account cannot sign in.
    pub disabled: bool,
}

/// Normalises an e-mail address for lookups.
pub fn normalise_email(raw: &str) -> String {
    raw.trim().to_lowercase()
}

/// A staff member as the workspace knows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffMember {
    /// Stable id.
    pub id: StaffId,
    /// Display name.
    pub name: String,
    /// Their team (coordinators may have none).
    pub team: Option<TeamId>,
    /// Their role.
    pub role: Role,
}

impl StaffMember {
    /// Id and name.
    pub fn as_ref(&self) -> StaffRef {
        StaffRef {
            id: self.id.clone(),
            name: self.name.clone(),
        }
    }
}

/// A signed-in session. The browser holds the token; the store only its hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    /// SHA-256 of the cookie's token, hex.
    pub token_hash: String,
    /// Who.
    pub member: StaffMember,
    /// The token the staff app sends in `X-Kjr-Csrf`.
    pub csrf_token: String,
    /// When it started.
    pub created_at: Timestamp,
    /// When it was last used.
    pub last_seen_at: Timestamp,
    /// When it ends at the latest.
    pub expires_at: Timestamp,
}

/// SHA-256 of a token, hex: what the store keeps instead of the token.
pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// What failed sign-ins are counted under: an account or a client address, hashed so the
/// store keeps neither.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FailureKey(String);

impl FailureKey {
    /// The failures of one account (whether or not it exists).
    pub fn account(email: &str) -> Self {
        Self(format!("account:{}", token_hash(&normalise_email(email))))
    }
    /// The failures from one client address.
    pub fn client(address: &str) -> Self {
        Self(format!("client:{}", token_hash(address)))
    }
    /// Wrong code words for one reference (as typed, normalised; whether or not it exists).
    pub fn conversation(reference: &str) -> Self {
        Self(format!("conversation:{}", token_hash(reference)))
    }
    /// The locks of one reference: one entry each time wrong code words locked it.
    pub fn conversation_lock(reference: &str) -> Self {
        Self(format!("conversation-lock:{}", token_hash(reference)))
    }
    /// Wrong code words from one client address.
    pub fn conversation_client(address: &str) -> Self {
        Self(format!("conversation-client:{}", token_hash(address)))
    }
    /// The key as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}
