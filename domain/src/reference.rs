//! Identifiers that cross the wire: the reference a child can read out, and idempotency keys.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Characters of a reference: digits and capitals without look-alikes (no 0/O, 1/I/L, U/V).
const ALPHABET: &[u8; 29] = b"23456789ABCDEFGHJKMNPQRSTWXYZ";

/// The reference a person can read out on the phone, e.g. `KJR-7F3K-9QX2`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Reference(String);

impl Reference {
    /// Builds a reference from 8 random bytes (the caller supplies the randomness).
    pub fn from_random(bytes: [u8; 8]) -> Self {
        let mut n = u64::from_le_bytes(bytes);
        let mut chars = [0u8; 8];
        for c in &mut chars {
            *c = ALPHABET[(n % ALPHABET.len() as u64) as usize];
            n /= ALPHABET.len() as u64;
        }
        let s = std::str::from_utf8(&chars).unwrap_or_default();
        Self(format!("KJR-{}-{}", &s[..4], &s[4..]))
    }

    /// Parses `KJR-XXXX-XXXX`, case-insensitively.
    pub fn parse(raw: &str) -> Option<Self> {
        let upper = raw.trim().to_ascii_uppercase();
        let rest = upper.strip_prefix("KJR-")?;
        let (a, b) = rest.split_once('-')?;
        let ok = |p: &str| p.len() == 4 && p.bytes().all(|c| ALPHABET.contains(&c));
        (ok(a) && ok(b)).then_some(Self(upper))
    }

    /// Parses a reference as a person types it back: any case, with or without `KJR`, with
    /// spaces, dots or no dashes (`kjr 7f3k 9qx2`, `7F3K9QX2`).
    pub fn parse_typed(raw: &str) -> Option<Self> {
        let compact: String = raw
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let code = compact.strip_prefix("KJR").unwrap_or(&compact);
        (code.len() == 8)
            .then(|| Self::parse(&format!("KJR-{}-{}", &code[..4], &code[4..])))
            .flatten()
    }

    /// The reference as a voice should say it: character by character, with a pause between
    /// the groups (`K J R, 7 F 3 K, 9 Q X 2.`).
    pub fn spelled(&self) -> String {
        let groups: Vec<String> = self
            .0
            .split('-')
            .map(|group| {
                group
                    .chars()
                    .map(String::from)
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        format!("{}.", groups.join(", "))
    }

    /// The reference as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Reference {
    type Error = String;
    fn try_from(raw: String) -> Result<Self, String> {
        Self::parse(&raw).ok_or_else(|| format!("not a reference: {raw:?}"))
    }
}

impl From<Reference> for String {
    fn from(r: Reference) -> String {
        r.0
    }
}

/// The client's key for one submission: 16–64 characters of `[A-Za-z0-9_-]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    /// Parses a key; `None` if it is too short, too long or has other characters.
    pub fn parse(raw: &str) -> Option<Self> {
        let ok = (16..=64).contains(&raw.len())
            && raw
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        ok.then(|| Self(raw.to_owned()))
    }

    /// Builds a key from 16 random bytes (the caller supplies the randomness).
    pub fn from_random(bytes: [u8; 16]) -> Self {
        Self(bytes.iter().map(|b| format!("{b:02x}")).collect())
    }

    /// The key as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for IdempotencyKey {
    type Error = String;
    fn try_from(raw: String) -> Result<Self, String> {
        Self::parse(&raw).ok_or_else(|| "not an idempotency key".to_owned())
    }
}

impl From<IdempotencyKey> for String {
    fn from(k: IdempotencyKey) -> String {
        k.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_have_the_readable_shape_and_parse_back() {
        for seed in [0u64, 1, 42, u64::MAX, 0x1234_5678_9abc_def0] {
            let r = Reference::from_random(seed.to_le_bytes());
            assert_eq!(r.as_str().len(), 13);
            assert!(r.as_str().starts_with("KJR-"));
            assert_eq!(
                Reference::parse(&r.as_str().to_lowercase()),
                Some(r.clone())
            );
        }
    }

    #[test]
    fn a_reference_is_spelled_out_for_a_voice() {
        let r = Reference::parse("KJR-7F3K-9QX2").unwrap();
        assert_eq!(r.spelled(), "K J R, 7 F 3 K, 9 Q X 2.");
    }

    #[test]
    fn a_typed_back_reference_may_drop_the_prefix_dashes_and_capitals() {
        let r = Reference::parse("KJR-7F3K-9QX2").unwrap();
        for typed in [
            "kjr 7f3k 9qx2",
            "7F3K9QX2",
            " KJR.7F3K.9QX2 ",
            "kjr-7f3k-9qx2",
        ] {
            assert_eq!(Reference::parse_typed(typed), Some(r.clone()), "{typed}");
        }
        for typed in ["7F3K9QX", "KJR-7F3K-9QX22", "KJR-7F3K-9QX0", ""] {
            assert_eq!(Reference::parse_typed(typed), None, "{typed}");
        }
    }

    #[test]
    fn references_never_contain_look_alike_characters() {
        for seed in 0..5_000u64 {
            let r = Reference::from_random(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15).to_le_bytes());
            assert!(
                !r.as_str()[4..].contains(['0', 'O', '1', 'I', 'L', 'U', 'V']),
                "{r}"
            );
        }
    }

    #[test]
    fn idempotency_keys_are_bounded() {
        assert!(IdempotencyKey::parse("short").is_none());
        assert!(IdempotencyKey::parse(&"a".repeat(65)).is_none());
        assert!(IdempotencyKey::parse("0123456789abcdef-_XY").is_some());
        assert!(IdempotencyKey::parse("0123456789abcdef 12").is_none());
        assert_eq!(IdempotencyKey::from_random([7; 16]).as_str().len(), 32);
    }
}
