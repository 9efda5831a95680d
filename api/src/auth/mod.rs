//! Who is signed in: one session model for every source of identity (local accounts now,
//! an OIDC provider beside them), and the extractors every staff route goes through.
//!
//! The browser holds only an opaque random token in an `HttpOnly; Secure; SameSite=Strict`
//! cookie; the store keeps its SHA-256 with the session. A session ends after the idle time
//! or the total time (configurable), or when its person signs out.

pub mod local;
pub mod oidc;

use axum::extract::FromRequestParts;
use axum::http::Method;
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::request::Parts;
use kjr_domain::staff::{Role, StaffMe, TeamRef};
use kjr_domain::{TeamId, Timestamp};

use crate::error::ApiError;
use crate::ids::new_token;
use crate::startup::AppState;
use crate::store::staff::token_hash;
use crate::store::{Session, StaffMember};

/// The session cookie. `__Host-`: only over HTTPS (or localhost), for this host, path `/`.
pub const SESSION_COOKIE: &str = "__Host-kjr_staff";

/// The header a staff change carries: the session's CSRF token.
pub const CSRF_HEADER: &str = "x-kjr-csrf";

/// How often a session's last activity is written (not on every request).
const TOUCH_EVERY_SECONDS: i64 = 60;

/// A signed-in staff member: the extractor of every staff route that reads.
#[derive(Debug, Clone)]
pub struct Staff {
    /// The session.
    pub session: Session,
}

impl Staff {
    /// Who.
    pub fn member(&self) -> &StaffMember {
        &self.session.member
    }

    /// Whether they oversee every team.
    pub fn is_coordinator(&self) -> bool {
        self.session.member.role == Role::Coordinator
    }

    /// Whether they may see requests of `team`.
    pub fn may_see(&self, team: Option<&TeamId>) -> bool {
        self.is_coordinator() || (team.is_some() && team == self.session.member.team.as_ref())
    }

    /// What `GET /api/staff/me` answers.
    pub fn me(&self, state: &AppState) -> StaffMe {
        me(&self.session, state)
    }
}

/// What `GET /api/staff/me` answers for `session`.
pub fn me(session: &Session, state: &AppState) -> StaffMe {
    StaffMe {
        who: session.member.as_ref(),
        team: session.member.team.clone(),
        role: session.member.role,
        teams: state
            .rules
            .teams()
            .iter()
            .map(|t| TeamRef {
                id: t.id.clone(),
                name: t.name.clone(),
            })
            .collect(),
        session_expires_at: session.expires_at,
        csrf_token: session.csrf_token.clone(),
    }
}

/// A signed-in staff member whose request may change something: it came from the portal's
/// own pages (`Sec-Fetch-Site`/`Origin`) and carries the session's CSRF token.
#[derive(Debug, Clone)]
pub struct StaffChange(pub Staff);

/// The value of the cookie `name` the request carries.
pub(crate) fn cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, value)| value)
}

fn session_token(headers: &HeaderMap) -> Option<&str> {
    cookie(headers, SESSION_COOKIE)
        .filter(|v| v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Whether a session is still valid at `now`.
pub fn is_live(session: &Session, now: Timestamp, state: &AppState) -> bool {
    now < session.expires_at && now.0 - session.last_seen_at.0 < state.settings.session.idle_seconds
}

impl FromRequestParts<AppState> for Staff {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = session_token(&parts.headers).ok_or(ApiError::Unauthenticated)?;
        let hash = token_hash(token);
        let session = state
            .store
            .session(&hash)
            .await?
            .ok_or(ApiError::Unauthenticated)?;
        let now = Timestamp::now();
        if !is_live(&session, now, state) {
            state.store.delete_session(&hash).await?;
            return Err(ApiError::Unauthenticated);
        }
        if now.0 - session.last_seen_at.0 >= TOUCH_EVERY_SECONDS {
            state.store.touch_session(&hash, now).await?;
        }
        Ok(Staff { session })
    }
}

/// Whether a request comes from the portal's own origin, as far as the browser says. Clients
/// that send neither header (scripts, tests) are judged by the CSRF token alone.
pub fn same_origin(headers: &HeaderMap, own_origin: &str) -> bool {
    if let Some(site) = headers.get("sec-fetch-site") {
        return site.as_bytes() == b"same-origin";
    }
    match headers.get(header::ORIGIN) {
        Some(origin) => origin
            .to_str()
            .is_ok_and(|o| o == own_origin || o == host_origin(headers)),
        None => true,
    }
}

/// The origin the request was addressed to, from `Host` (for servers reached under another
/// name than the configured one, such as a test's port).
fn host_origin(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default();
    format!("http://{host}")
}

/// Constant-time equality of two tokens.
fn same_token(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

impl FromRequestParts<AppState> for StaffChange {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        if !same_origin(&parts.headers, &state.settings.staff_origin) {
            return Err(ApiError::CrossSiteRefused);
        }
        let staff = Staff::from_request_parts(parts, state).await?;
        let sent = parts
            .headers
            .get(CSRF_HEADER)
            .map(HeaderValue::as_bytes)
            .unwrap_or_default();
        if !same_token(sent, staff.session.csrf_token.as_bytes()) {
            return Err(ApiError::CrossSiteRefused);
        }
        Ok(StaffChange(staff))
    }
}

/// Starts a session for `member`: stores it and returns it with the cookie that carries it.
pub async fn start_session(
    state: &AppState,
    member: StaffMember,
) -> Result<(Session, HeaderValue), ApiError> {
    let token = new_token();
    let now = Timestamp::now();
    let session = Session {
        token_hash: token_hash(&token),
        member,
        csrf_token: new_token(),
        created_at: now,
        last_seen_at: now,
        expires_at: now.plus_seconds(state.settings.session.max_seconds),
    };
    state.store.upsert_staff(&session.member).await?;
    state.store.create_session(&session).await?;
    let cookie = format!(
        "{SESSION_COOKIE}={token}; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age={}",
        state.settings.session.max_seconds
    );
    let cookie = HeaderValue::from_str(&cookie).map_err(|_| ApiError::Unauthenticated)?;
    tracing::info!(staff = %session.member.id.as_str(), "staff session started");
    Ok((session, cookie))
}

/// The cookie that removes the session cookie from the browser.
pub fn cleared_cookie() -> HeaderValue {
    HeaderValue::from_static(
        "__Host-kjr_staff=; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age=0",
    )
}

/// Ends the session of `staff` on the server.
pub async fn end_session(state: &AppState, staff: &Staff) -> Result<(), ApiError> {
    state
        .store
        .delete_session(&staff.session.token_hash)
        .await?;
    tracing::info!(staff = %staff.member().id.as_str(), "staff session ended");
    Ok(())
}

/// Whether `method` changes something (and so needs [`StaffChange`]).
pub fn is_change(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}
