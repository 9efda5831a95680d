//! Who is signed in, in memory only: the session itself is an HttpOnly cookie the app never
//! sees; it holds the CSRF token the server gave, and where the person was when the session
//! was lost, so signing in again leads back there.

use kjr_domain::TeamId;
use kjr_domain::staff::{Role, StaffMe};
use leptos::prelude::*;

/// Where the app stands with the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Auth {
    /// Asking `GET /api/staff/me`.
    Checking,
    /// Not signed in; `expired` when a session ended while the app was open.
    SignedOut { expired: bool },
    /// Signed in.
    SignedIn(Box<StaffMe>),
}

/// The session, shared through context (a `Copy` handle on signals).
#[derive(Clone, Copy)]
pub struct Session {
    /// Where the app stands.
    pub auth: RwSignal<Auth>,
    /// The path (and query) to return to after signing in again.
    pub return_to: RwSignal<Option<String>>,
}

impl Session {
    /// A session that has not asked the server yet.
    pub fn new() -> Self {
        Self {
            auth: RwSignal::new(Auth::Checking),
            return_to: RwSignal::new(None),
        }
    }

    /// The session from context.
    pub fn use_context() -> Self {
        expect_context()
    }

    /// The CSRF token for changes.
    pub fn csrf_token(self) -> Option<String> {
        self.auth.with_untracked(|auth| match auth {
            Auth::SignedIn(me) => Some(me.csrf_token.clone()),
            _ => None,
        })
    }

    /// Who is signed in (tracked).
    pub fn me(self) -> Option<StaffMe> {
        self.auth.with(|auth| match auth {
            Auth::SignedIn(me) => Some((**me).clone()),
            _ => None,
        })
    }

    /// Whether the signed-in person is a coordinator.
    pub fn is_coordinator(self) -> bool {
        self.auth
            .with(|auth| matches!(auth, Auth::SignedIn(me) if me.role == Role::Coordinator))
    }

    /// The name of team `id`, or the id when the team is unknown.
    pub fn team_name(self, id: &TeamId) -> String {
        self.auth
            .with_untracked(|auth| match auth {
                Auth::SignedIn(me) => me
                    .teams
                    .iter()
                    .find(|t| &t.id == id)
                    .map(|t| t.name.clone()),
                _ => None,
            })
            .unwrap_or_else(|| id.0.clone())
    }

    /// The server answered 401: remember where the person was and show the sign-in screen.
    pub fn lost(self) {
        if matches!(self.auth.get_untracked(), Auth::SignedIn(_)) {
            self.return_to.set(Some(current_path()));
            self.auth.set(Auth::SignedOut { expired: true });
        }
    }
}

impl Default for Session {
    fn default() -> Self {
        Self::new()
    }
}

/// The browser's current path and query.
pub fn current_path() -> String {
    let location = window().location();
    format!(
        "{}{}",
        location.pathname().unwrap_or_default(),
        location.search().unwrap_or_default()
    )
}
