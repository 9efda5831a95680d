//! Local accounts: an argon2id password and a TOTP second factor (RFC 6238), for
//! self-hosting and `cargo xtask dev`. Failed sign-ins lock an account, and an address, for
//! a while.

use std::time::Duration;

use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use kjr_domain::staff::{Role, SignIn, StaffId};
use kjr_domain::{TeamId, Timestamp};
use totp_rs::{Algorithm, Secret, TOTP};

use crate::error::ApiError;
use crate::ids::random_bytes;
use crate::store::staff::normalise_email;
use crate::store::{Account, FailureKey, StaffMember, Store, StoreError};

/// Failed sign-ins are counted over this window…
pub const FAILURE_WINDOW_SECONDS: i64 = 15 * 60;
/// …and this many for one account lock it until the window has passed the oldest of them.
pub const ACCOUNT_FAILURE_LIMIT: usize = 5;
/// From one client address (a whole office may share one), more are allowed.
pub const CLIENT_FAILURE_LIMIT: usize = 20;

/// The name authenticator apps show for the account.
const ISSUER: &str = "Ken je rechten";

/// A hash to verify against when there is no account, so that an unknown address takes as
/// long as a wrong password.
fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_password("no account has this password").unwrap_or_default())
}

/// Hashes a password with argon2id (the crate's defaults: OWASP's recommended parameters).
pub fn hash_password(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &salt)?
        .to_string())
}

fn password_matches(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

fn totp(secret_base32: &str, email: &str) -> Option<TOTP> {
    let secret = Secret::Encoded(secret_base32.to_owned()).to_bytes().ok()?;
    TOTP::new(
        Algorithm::SHA1,
        6,
        1,
        30,
        secret,
        Some(ISSUER.to_owned()),
        email.to_owned(),
    )
    .ok()
}

/// A new TOTP secret (160 bits, base32) and its `otpauth://` URI for `email`.
pub fn new_totp(email: &str) -> (String, String) {
    let secret = Secret::Raw(random_bytes::<20>().to_vec())
        .to_encoded()
        .to_string();
    let uri = totp(&secret, email)
        .map(|t| t.get_url())
        .unwrap_or_default();
    (secret, uri)
}

/// The current code of a secret (for tests and tools that play the authenticator app).
pub fn current_code(secret_base32: &str, at: Timestamp) -> Option<String> {
    totp(secret_base32, "").map(|t| t.generate(at.0.max(0) as u64))
}

/// The time step whose code is `code`, one step of clock drift allowed either way.
fn matching_step(secret_base32: &str, email: &str, code: &str, now: Timestamp) -> Option<u64> {
    let totp = totp(secret_base32, email)?;
    let now = now.0.max(0) as u64;
    let step = now / 30;
    [step.saturating_sub(1), step, step + 1]
        .into_iter()
        .find(|s| constant_time_eq(totp.generate(s * 30).as_bytes(), code.trim().as_bytes()))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Seconds until `failures` (oldest first, within the window) drop below `limit`, if they
/// are at it now.
fn locked_for(failures: &[Timestamp], limit: usize, now: Timestamp) -> Option<Duration> {
    if failures.len() < limit {
        return None;
    }
    let unlock = failures[failures.len() - limit].0 + FAILURE_WINDOW_SECONDS;
    Some(Duration::from_secs((unlock - now.0).max(1) as u64))
}

/// Checks a sign-in with a local account. Every way it can fail gives the same answer and
/// counts as a failure for the account and for the client address.
pub async fn sign_in(
    store: &dyn Store,
    attempt: &SignIn,
    client: Option<&str>,
    now: Timestamp,
) -> Result<StaffMember, ApiError> {
    let email = normalise_email(&attempt.email);
    let account_key = FailureKey::account(&email);
    let client_key = client.map(FailureKey::client);
    let since = Timestamp(now.0 - FAILURE_WINDOW_SECONDS);
    let mut keys = vec![(account_key.clone(), ACCOUNT_FAILURE_LIMIT)];
    keys.extend(client_key.iter().map(|k| (k.clone(), CLIENT_FAILURE_LIMIT)));
    for (key, limit) in &keys {
        let failures = store.sign_in_failures(key, since).await?;
        if let Some(retry_after) = locked_for(&failures, *limit, now) {
            tracing::warn!("sign-in refused: locked after repeated failures");
            return Err(ApiError::SignInLocked { retry_after });
        }
    }
    let account = store.account(&email).await?;
    let password = attempt.password.clone();
    let hash = account
        .as_ref()
        .filter(|a| !a.disabled)
        .map_or_else(|| dummy_hash().to_owned(), |a| a.password_hash.clone());
    let password_ok = tokio::task::spawn_blocking(move || password_matches(&password, &hash))
        .await
        .unwrap_or(false);
    let verified = match account {
        Some(account) if password_ok && !account.disabled => {
            match account
                .totp_secret
                .as_deref()
                .and_then(|secret| matching_step(secret, &email, &attempt.code, now))
            {
                // A code works once: not again, nor an older one.
                Some(step) if account.last_totp_step.is_none_or(|last| step > last) => {
                    Some((account, step))
                }
                _ => None,
            }
        }
        _ => None,
    };
    let Some((mut account, step)) = verified else {
        let keep_until = Timestamp(now.0 + FAILURE_WINDOW_SECONDS);
        for (key, _) in &keys {
            store.record_sign_in_failure(key, now, keep_until).await?;
        }
        tracing::warn!("sign-in failed");
        return Err(ApiError::SignInFailed);
    };
    account.last_totp_step = Some(step);
    store.update_account(&account).await?;
    store.clear_sign_in_failures(&account_key).await?;
    Ok(account.member)
}

/// Problems of the account tools.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// There is an account with this address already.
    #[error("an account with this e-mail address exists already")]
    Exists,
    /// There is no account with this address.
    #[error("no account with this e-mail address")]
    Unknown,
    /// The input cannot be used.
    #[error("{0}")]
    Invalid(String),
}

/// What `staff add` needs.
#[derive(Debug, Clone)]
pub struct NewAccount {
    /// The e-mail address.
    pub email: String,
    /// The display name.
    pub name: String,
    /// The team (must be in the routing rules).
    pub team: TeamId,
    /// Coordinator or confidant.
    pub role: Role,
    /// The password.
    pub password: String,
}

/// The shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 12;

/// Creates a local account; returns its `otpauth://` URI.
pub async fn add_account(store: &dyn Store, new: NewAccount) -> Result<String, AccountError> {
    let email = normalise_email(&new.email);
    if !email.contains('@') || email.len() > 254 {
        return Err(AccountError::Invalid("not an e-mail address".into()));
    }
    if new.password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(AccountError::Invalid(format!(
            "the password must have at least {MIN_PASSWORD_CHARS} characters"
        )));
    }
    let password_hash = hash_password(&new.password)
        .map_err(|e| AccountError::Invalid(format!("could not hash the password: {e}")))?;
    let (secret, uri) = new_totp(&email);
    let id: String = random_bytes::<8>()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let account = Account {
        member: StaffMember {
            id: StaffId(format!("local:{id}")),
            name: if new.name.trim().is_empty() {
                email.clone()
            } else {
                new.name.trim().to_owned()
            },
            team: Some(new.team),
            role: new.role,
        },
        email,
        password_hash,
        totp_secret: Some(secret),
        last_totp_step: None,
        disabled: false,
    };
    if !store.create_account(&account).await? {
        return Err(AccountError::Exists);
    }
    store.upsert_staff(&account.member).await?;
    Ok(uri)
}

/// Disables an account and ends its sessions.
pub async fn disable_account(store: &dyn Store, email: &str) -> Result<(), AccountError> {
    let mut account = store
        .account(&normalise_email(email))
        .await?
        .ok_or(AccountError::Unknown)?;
    account.disabled = true;
    store.update_account(&account).await?;
    store.delete_sessions_of(&account.member.id).await?;
    Ok(())
}

/// Gives an account a new TOTP secret (a lost phone) and ends its sessions; returns the new
/// `otpauth://` URI.
pub async fn reset_mfa(store: &dyn Store, email: &str) -> Result<String, AccountError> {
    let mut account = store
        .account(&normalise_email(email))
        .await?
        .ok_or(AccountError::Unknown)?;
    let (secret, uri) = new_totp(&account.email);
    account.totp_secret = Some(secret);
    account.last_totp_step = None;
    store.update_account(&account).await?;
    store.delete_sessions_of(&account.member.id).await?;
    Ok(uri)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_matches_its_step_and_the_neighbours_only() {
        let (secret, uri) = new_totp("a@b.nl");
        assert!(uri.starts_with("otpauth://totp/"), "{uri}");
        let now = Timestamp(1_800_000_000);
        let code = current_code(&secret, now).unwrap();
        assert_eq!(
            matching_step(&secret, "a@b.nl", &code, now),
            Some(60_000_000)
        );
        assert!(matching_step(&secret, "a@b.nl", &code, Timestamp(now.0 + 30)).is_some());
        assert!(matching_step(&secret, "a@b.nl", &code, Timestamp(now.0 + 120)).is_none());
    }

    #[test]
    fn five_failures_lock_until_the_oldest_leaves_the_window() {
        let f: Vec<Timestamp> = (0..5).map(|i| Timestamp(1000 + i * 10)).collect();
        assert_eq!(locked_for(&f[..4], 5, Timestamp(1050)), None);
        assert_eq!(
            locked_for(&f, 5, Timestamp(1050)),
            Some(Duration::from_secs(850))
        );
    }
}
