//! The audit trail's hash chain: each event carries the hash of the one before, and the
//! request records the hash of its last, so an edited, removed or inserted event shows.

use kjr_domain::Timestamp;
use kjr_domain::staff::{AuditEntry, CaseEvent, StaffRef};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// The `prev_hash` of a request's first event.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The last event of a request's trail as the request records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainHead {
    /// Its number (0: no events yet).
    pub seq: u32,
    /// Its hash ([`GENESIS`] when there are none).
    pub hash: String,
}

impl ChainHead {
    /// The head of a trail without events.
    pub fn empty() -> Self {
        Self {
            seq: 0,
            hash: GENESIS.to_owned(),
        }
    }
}

/// What is hashed: everything an entry says, in a fixed order.
#[derive(Serialize)]
struct Hashed<'a> {
    seq: u32,
    at: Timestamp,
    actor: &'a Option<StaffRef>,
    event: &'a CaseEvent,
    prev_hash: &'a str,
}

fn hash_of(
    seq: u32,
    at: Timestamp,
    actor: &Option<StaffRef>,
    event: &CaseEvent,
    prev: &str,
) -> String {
    let canonical = serde_json::to_vec(&Hashed {
        seq,
        at,
        actor,
        event,
        prev_hash: prev,
    })
    .unwrap_or_default();
    Sha256::digest(&canonical)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The entries for `events` after `head`, and the new head.
pub fn extend(
    head: &ChainHead,
    actor: &Option<StaffRef>,
    at: Timestamp,
    events: &[CaseEvent],
) -> (Vec<AuditEntry>, ChainHead) {
    let mut prev = head.clone();
    let mut entries = Vec::with_capacity(events.len());
    for event in events {
        let seq = prev.seq + 1;
        let hash = hash_of(seq, at, actor, event, &prev.hash);
        entries.push(AuditEntry {
            seq,
            at,
            actor: actor.clone(),
            event: event.clone(),
            prev_hash: prev.hash.clone(),
            hash: hash.clone(),
        });
        prev = ChainHead { seq, hash };
    }
    (entries, prev)
}

/// How a trail fails verification.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainError {
    /// An event is missing or one was inserted.
    #[error("event {found} where {expected} was expected")]
    Gap {
        /// The number expected.
        expected: u32,
        /// The number found.
        found: u32,
    },
    /// An event does not point at the one before.
    #[error("event {0} does not point at the event before it")]
    BrokenLink(u32),
    /// An event's content does not match its hash.
    #[error("event {0} was changed after it was written")]
    Altered(u32),
    /// The request records another last event than the trail ends with.
    #[error("the trail ends at event {found}, the request records {recorded}")]
    Truncated {
        /// The last event found.
        found: u32,
        /// The last event the request records.
        recorded: u32,
    },
}

/// Checks a whole trail, oldest first, against the head its request records.
pub fn verify_chain(entries: &[AuditEntry], head: &ChainHead) -> Result<(), ChainError> {
    let mut prev = ChainHead::empty();
    for e in entries {
        if e.seq != prev.seq + 1 {
            return Err(ChainError::Gap {
                expected: prev.seq + 1,
                found: e.seq,
            });
        }
        if e.prev_hash != prev.hash {
            return Err(ChainError::BrokenLink(e.seq));
        }
        if hash_of(e.seq, e.at, &e.actor, &e.event, &e.prev_hash) != e.hash {
            return Err(ChainError::Altered(e.seq));
        }
        prev = ChainHead {
            seq: e.seq,
            hash: e.hash.clone(),
        };
    }
    if prev != *head {
        return Err(ChainError::Truncated {
            found: prev.seq,
            recorded: head.seq,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trail() -> (Vec<AuditEntry>, ChainHead) {
        let (mut all, head) = extend(
            &ChainHead::empty(),
            &None,
            Timestamp(10),
            &[CaseEvent::Viewed, CaseEvent::Note { text: "a".into() }],
        );
        let (more, head) = extend(&head, &None, Timestamp(11), &[CaseEvent::Viewed]);
        all.extend(more);
        (all, head)
    }

    #[test]
    fn an_untouched_trail_verifies() {
        let (entries, head) = trail();
        assert_eq!(head.seq, 3);
        verify_chain(&entries, &head).unwrap();
    }

    #[test]
    fn an_edited_removed_or_cut_off_event_is_detected() {
        let (entries, head) = trail();
        let mut edited = entries.clone();
        edited[1].event = CaseEvent::Note { text: "b".into() };
        assert_eq!(verify_chain(&edited, &head), Err(ChainError::Altered(2)));
        let mut removed = entries.clone();
        removed.remove(1);
        assert!(matches!(
            verify_chain(&removed, &head),
            Err(ChainError::Gap { .. })
        ));
        let cut = &entries[..2];
        assert!(matches!(
            verify_chain(cut, &head),
            Err(ChainError::Truncated { .. })
        ));
    }
}
