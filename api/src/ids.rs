//! Server-side identifiers and time: the shared types from the domain, and the randomness
//! that mints them.

pub use kjr_domain::{RequestId, TeamId, Timestamp};

/// Fills a buffer from the operating system's random source.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut buf = [0u8; N];
    // The OS random source failing is not recoverable for a server that must mint unguessable ids.
    getrandom::fill(&mut buf).unwrap_or_else(|e| panic!("OS random source failed: {e}"));
    buf
}

/// A new random request id.
pub fn new_request_id() -> RequestId {
    RequestId::from_random(random_bytes())
}

/// A new random token of 32 bytes as 64 hex characters (sessions, CSRF).
pub fn new_token() -> String {
    random_bytes::<32>()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
