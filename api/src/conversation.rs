//! The conversation without an account: a person who chose "I'll check this website myself"
//! gets a reference and three code words, once, and opens the confidant's replies with
//! them on the website.
//!
//! - The code words come from bundled lists (`api/words/`), are stored only as an argon2id
//!   hash with a salt of its own, and are compared as typed back: capitals, accents and
//!   extra spaces do not matter.
//! - Wrong tries are counted per reference (whether it exists or not) and per client
//!   address. Five wrong in 15 minutes lock the reference for 15 minutes.
//! - An unknown reference takes the same time and gets the same answer as wrong words: it
//!   is checked against a hash of the same cost.

use std::sync::OnceLock;
use std::time::Duration;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use kjr_domain::staff::{AuditEntry, CaseEvent};
use kjr_domain::{
    CODE_WORD_COUNT, CONVERSATION_IDLE_SECONDS, Conversation, ConversationMessage, Lang,
    MAX_MESSAGE_CHARS, MessageAuthor, Timestamp,
};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::error::ApiError;
use crate::ids::random_bytes;
use crate::store::{FailureKey, Store, StoreError, StoredRequest};

/// The argon2id cost of a code-word hash: OWASP's first recommended setting (19 MiB, two
/// passes, one lane), the same as the staff passwords.
pub const ARGON2_MEMORY_KIB: u32 = 19 * 1024;
/// Passes over the memory.
pub const ARGON2_ITERATIONS: u32 = 2;
/// Lanes.
pub const ARGON2_LANES: u32 = 1;

/// Wrong tries for one reference within [`FAILURE_WINDOW_SECONDS`] that lock it.
pub const REFERENCE_FAILURE_LIMIT: usize = 5;
/// Wrong tries are counted over this window…
pub const FAILURE_WINDOW_SECONDS: i64 = 15 * 60;
/// …and a locked reference stays locked this long.
pub const LOCK_SECONDS: i64 = 15 * 60;
/// Wrong tries from one client address (a school or a library may share one) that lock
/// that address, for every reference, until the oldest leaves the window.
pub const CLIENT_FAILURE_LIMIT: usize = 20;

/// A replayed request (its first answer was lost) gets new code words, so the person can
/// still see them: only this soon after it was sent.
pub const REISSUE_WITHIN_SECONDS: i64 = 60 * 60;

const NL_WORDS: &str = include_str!("../words/nl.txt");
const EN_WORDS: &str = include_str!("../words/en.txt");

/// The code-word list of `lang`: short, common words a young reader knows.
pub fn word_list(lang: Lang) -> &'static [&'static str] {
    static NL: OnceLock<Vec<&'static str>> = OnceLock::new();
    static EN: OnceLock<Vec<&'static str>> = OnceLock::new();
    let (cell, text) = match lang {
        Lang::Nl => (&NL, NL_WORDS),
        Lang::En => (&EN, EN_WORDS),
    };
    cell.get_or_init(|| {
        text.lines()
            .map(str::trim)
            .filter(|w| !w.is_empty())
            .collect()
    })
}

/// A uniform index below `n`, from the operating system's random numbers (rejection
/// sampling, so no word is likelier than another).
fn uniform_below(n: usize) -> usize {
    let n = u32::try_from(n).unwrap_or(u32::MAX).max(1);
    let zone = u32::MAX - u32::MAX % n;
    loop {
        let r = u32::from_le_bytes(random_bytes::<4>());
        if r < zone {
            return (r % n) as usize;
        }
    }
}

/// New code words in `lang`: [`CODE_WORD_COUNT`] different words drawn from its list, one
/// space between.
pub fn new_code_words(lang: Lang) -> String {
    let list = word_list(lang);
    let mut words: Vec<&str> = Vec::with_capacity(CODE_WORD_COUNT);
    while words.len() < CODE_WORD_COUNT.min(list.len()) {
        let word = list[uniform_below(list.len())];
        if !words.contains(&word) {
            words.push(word);
        }
    }
    words.join(" ")
}

/// The code words as typed back, as they are hashed: lower case, accents dropped, the words
/// split on spaces and punctuation and joined by one space.
pub fn normalise_code_words(raw: &str) -> String {
    let folded: String = raw
        .nfkd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn hasher() -> Argon2<'static> {
    let params =
        Params::new(ARGON2_MEMORY_KIB, ARGON2_ITERATIONS, ARGON2_LANES, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// The argon2id hash (PHC string) of code words, with a salt of its own.
pub fn hash_code_words(words: &str) -> Result<String, StoreError> {
    let salt = SaltString::generate(&mut OsRng);
    hasher()
        .hash_password(normalise_code_words(words).as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| StoreError::backend(e.to_string()))
}

/// A hash of the same cost that no words match: what an unknown reference is checked
/// against, so that it takes as long as wrong words.
fn dummy_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| hash_code_words("geen gesprek heeft deze woorden").unwrap_or_default())
}

/// Whether `typed` matches `hash` (argon2's comparison is constant-time). Runs on a
/// blocking thread: a check costs tens of milliseconds of CPU.
pub async fn code_words_match(typed: &str, hash: Option<&str>) -> bool {
    let typed = normalise_code_words(typed);
    let hash = hash.unwrap_or_else(|| dummy_hash()).to_owned();
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash)
            .is_ok_and(|parsed| hasher().verify_password(typed.as_bytes(), &parsed).is_ok())
    })
    .await
    .unwrap_or(false)
}

/// The keys wrong tries are counted under: the reference as typed (normalised, whether or
/// not it exists, so a lock says nothing about existence), its lock, and the client.
struct TryKeys {
    reference: FailureKey,
    lock: FailureKey,
    client: Option<FailureKey>,
}

impl TryKeys {
    fn new(reference: &str, client: Option<&str>) -> Self {
        let reference = kjr_domain::Reference::parse_typed(reference)
            .map(|r| r.as_str().to_owned())
            .unwrap_or_else(|| reference.trim().to_uppercase());
        Self {
            reference: FailureKey::conversation(&reference),
            lock: FailureKey::conversation_lock(&reference),
            client: client.map(FailureKey::conversation_client),
        }
    }
}

fn locked(until: i64, now: Timestamp) -> ApiError {
    ApiError::ConversationLocked {
        retry_after: Duration::from_secs((until - now.0).max(1) as u64),
    }
}

/// Refuses at once while the reference or the client address is locked; otherwise the
/// time a lock ended lately (only tries after it count).
async fn refuse_if_locked(
    store: &dyn Store,
    keys: &TryKeys,
    now: Timestamp,
) -> Result<Option<Timestamp>, ApiError> {
    let locks = store
        .sign_in_failures(
            &keys.lock,
            Timestamp(now.0 - LOCK_SECONDS - FAILURE_WINDOW_SECONDS),
        )
        .await?;
    if let Some(last) = locks.last()
        && last.0 + LOCK_SECONDS > now.0
    {
        return Err(locked(last.0 + LOCK_SECONDS, now));
    }
    if let Some(client) = &keys.client {
        let failures = store
            .sign_in_failures(client, Timestamp(now.0 - FAILURE_WINDOW_SECONDS))
            .await?;
        if failures.len() >= CLIENT_FAILURE_LIMIT {
            let oldest = failures[failures.len() - CLIENT_FAILURE_LIMIT];
            return Err(locked(oldest.0 + FAILURE_WINDOW_SECONDS, now));
        }
    }
    Ok(locks.last().copied())
}

/// Counts a wrong try; the one that reaches the limit locks the reference (and says so).
async fn count_wrong_try(
    store: &dyn Store,
    keys: &TryKeys,
    lock_ended: Option<Timestamp>,
    now: Timestamp,
) -> Result<ApiError, ApiError> {
    let keep_until = Timestamp(now.0 + FAILURE_WINDOW_SECONDS);
    store
        .record_sign_in_failure(&keys.reference, now, keep_until)
        .await?;
    if let Some(client) = &keys.client {
        store
            .record_sign_in_failure(client, now, keep_until)
            .await?;
    }
    let since =
        Timestamp((now.0 - FAILURE_WINDOW_SECONDS).max(lock_ended.map_or(i64::MIN, |t| t.0 + 1)));
    let failures = store.sign_in_failures(&keys.reference, since).await?;
    if failures.len() >= REFERENCE_FAILURE_LIMIT {
        store
            .record_sign_in_failure(&keys.lock, now, Timestamp(now.0 + 2 * LOCK_SECONDS))
            .await?;
        tracing::warn!("conversation locked after repeated wrong code words");
        return Ok(locked(now.0 + LOCK_SECONDS, now));
    }
    tracing::info!("conversation not opened: unknown reference or wrong code words");
    Ok(ApiError::ConversationNotFound)
}

/// Opens the conversation of `reference` with `code_words`: the request, or the same
/// answer for every way it can fail.
pub async fn open(
    store: &dyn Store,
    reference: &str,
    code_words: &str,
    client: Option<&str>,
    now: Timestamp,
) -> Result<StoredRequest, ApiError> {
    let keys = TryKeys::new(reference, client);
    let lock_ended = refuse_if_locked(store, &keys, now).await?;
    let stored = match kjr_domain::Reference::parse_typed(reference) {
        Some(r) => store.find_by_reference(&r).await?,
        None => None,
    };
    let hash = stored
        .as_ref()
        .and_then(|s| s.case.conversation.as_ref())
        .map(|c| c.code_hash.clone());
    let matched = code_words_match(code_words, hash.as_deref()).await;
    match stored {
        Some(stored) if matched && hash.is_some() => {
            store.clear_sign_in_failures(&keys.reference).await?;
            Ok(stored)
        }
        _ => Err(count_wrong_try(store, &keys, lock_ended, now).await?),
    }
}

/// The first name of a staff member's display name, what the person sees above a reply:
/// "Anna" for "Anna de Vries", and for a name made from an address ("anna.de.vries").
fn first_name(name: &str) -> Option<String> {
    let first = name
        .split(|c: char| c.is_whitespace() || matches!(c, '.' | '@' | '_'))
        .find(|part| !part.is_empty())?;
    let mut chars = first.chars();
    let initial = chars.next()?;
    Some(initial.to_uppercase().chain(chars).collect())
}

/// The conversation as the person sees it: the messages of the audit trail, oldest first.
pub fn view(stored: &StoredRequest, trail: &[AuditEntry]) -> Conversation {
    let messages = trail
        .iter()
        .filter_map(|entry| match &entry.event {
            CaseEvent::MessageToAsker { text } => Some(ConversationMessage {
                from: MessageAuthor::Confidant,
                name: entry.actor.as_ref().and_then(|a| first_name(&a.name)),
                text: text.clone(),
                at: entry.at,
            }),
            CaseEvent::MessageFromAsker { text, .. } => Some(ConversationMessage {
                from: MessageAuthor::Asker,
                name: None,
                text: text.clone(),
                at: entry.at,
            }),
            _ => None,
        })
        .collect();
    Conversation {
        reference: stored.reference.clone(),
        messages,
        open: stored.case.status.is_open(),
        max_message_chars: MAX_MESSAGE_CHARS as u32,
        idle_seconds: CONVERSATION_IDLE_SECONDS,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_confidant_is_shown_by_first_name() {
        assert_eq!(first_name("Anna de Vries").as_deref(), Some("Anna"));
        assert_eq!(first_name("anna.de.vries").as_deref(), Some("Anna"));
        assert_eq!(first_name("  "), None);
    }

    #[test]
    fn typed_back_words_ignore_capitals_accents_and_spaces() {
        for typed in [
            "appel fiets wolk",
            "  Appel   FIETS wolk ",
            "appél fïets wólk",
            "appel, fiets - wolk",
            "appel\tfiets\nwolk",
        ] {
            assert_eq!(normalise_code_words(typed), "appel fiets wolk", "{typed:?}");
        }
    }

    #[test]
    fn the_lists_are_long_plain_and_distinct() {
        for lang in [Lang::Nl, Lang::En] {
            let list = word_list(lang);
            assert!(list.len() >= 2_000, "{lang:?}: {}", list.len());
            let mut seen = std::collections::HashSet::new();
            for w in list {
                assert!(
                    (3..=8).contains(&w.len()) && w.bytes().all(|b| b.is_ascii_lowercase()),
                    "{lang:?}: {w:?}"
                );
                assert!(seen.insert(*w), "{lang:?}: {w} twice");
            }
        }
    }

    #[test]
    fn new_words_come_from_the_list_and_differ() {
        let list = word_list(Lang::Nl);
        let a = new_code_words(Lang::Nl);
        assert_eq!(a.split(' ').count(), CODE_WORD_COUNT);
        let distinct: std::collections::HashSet<&str> = a.split(' ').collect();
        assert_eq!(distinct.len(), CODE_WORD_COUNT, "{a}");
        assert!(a.split(' ').all(|w| list.contains(&w)));
        let draws: std::collections::HashSet<String> =
            (0..50).map(|_| new_code_words(Lang::Nl)).collect();
        assert!(draws.len() > 45, "{} distinct of 50", draws.len());
    }

    #[tokio::test]
    async fn the_hash_matches_the_words_as_typed_back_and_nothing_else() {
        let hash = hash_code_words("appel fiets wolk").unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(!hash.contains("appel"));
        assert!(code_words_match("Appel  Fiets Wólk", Some(&hash)).await);
        assert!(!code_words_match("appel fiets", Some(&hash)).await);
        assert!(!code_words_match("appel fiets wolken", Some(&hash)).await);
        assert!(!code_words_match("appel fiets wolk", None).await);
        let again = hash_code_words("appel fiets wolk").unwrap();
        assert_ne!(hash, again, "each hash has a salt of its own");
    }
}
