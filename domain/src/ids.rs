//! Identifiers and time that the API and the staff app share.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The internal id of a stored request (never shown to the child; used in staff links).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RequestId(String);

impl RequestId {
    /// An id from 16 random bytes: 32 lowercase hex characters (the caller supplies the
    /// randomness, as for [`crate::Reference`]).
    pub fn from_random(bytes: [u8; 16]) -> Self {
        Self(bytes.iter().map(|b| format!("{b:02x}")).collect())
    }
    /// Parses an id read back from storage or a URL.
    pub fn parse(raw: &str) -> Option<Self> {
        (raw.len() == 32 && raw.bytes().all(|b| b.is_ascii_hexdigit()))
            .then(|| Self(raw.to_ascii_lowercase()))
    }
    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RequestId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for RequestId {
    type Error = String;
    fn try_from(raw: String) -> Result<Self, String> {
        Self::parse(&raw).ok_or_else(|| "not a request id".to_owned())
    }
}

impl From<RequestId> for String {
    fn from(id: RequestId) -> String {
        id.0
    }
}

/// The id of a Jeugdstem team (from the routing rules), such as `zuid-holland`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TeamId(pub String);

impl TeamId {
    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TeamId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Seconds since the Unix epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Timestamp(pub i64);

impl Timestamp {
    /// "Not before the end of time": the expiry of a request that is still open (31 December
    /// 9999). Retention counts from closing, so an open request never expires quietly.
    pub const NEVER: Timestamp = Timestamp(253_402_300_799);

    /// The current time (native only: in the browser the clock is the API's).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn now() -> Self {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        Self(secs)
    }
    /// This time plus `days`.
    pub fn plus_days(self, days: u32) -> Self {
        Self(self.0 + i64::from(days) * 86_400)
    }
    /// This time plus `seconds`.
    pub fn plus_seconds(self, seconds: i64) -> Self {
        Self(self.0 + seconds)
    }
}
