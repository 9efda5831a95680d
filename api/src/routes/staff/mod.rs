//! The staff workspace's API, under `/api/staff`. Every route is in [`routes`], with whether
//! it needs a session; the access tests walk that same list, so a new route cannot be
//! forgotten. Routes that need a session take [`crate::auth::Staff`] (reads) or
//! [`crate::auth::StaffChange`] (changes: same origin and the CSRF token too).

pub mod openapi;
pub mod requests;
pub mod session;

use axum::Router;
use axum::http::Method;
use axum::routing::{MethodRouter, delete, get, post};

use crate::startup::AppState;

/// Whether a route needs a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone: signing in, and what signing in needs.
    Public,
    /// A live session (and for changes, the CSRF checks).
    SignedIn,
}

/// One staff route: method, path under `/api`, access.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffRoute {
    /// The method.
    pub method: Method,
    /// The path under `/api`, with `{id}` for a request id.
    pub path: &'static str,
    /// Who may call it.
    pub access: Access,
}

fn route(
    method: Method,
    path: &'static str,
    access: Access,
    handler: MethodRouter<AppState>,
) -> (StaffRoute, MethodRouter<AppState>) {
    (
        StaffRoute {
            method,
            path,
            access,
        },
        handler,
    )
}

/// Every staff route with its handler.
pub fn routes() -> Vec<(StaffRoute, MethodRouter<AppState>)> {
    use Access::{Public, SignedIn};
    vec![
        route(
            Method::GET,
            "/staff/sign-in/options",
            Public,
            get(session::options),
        ),
        route(
            Method::POST,
            "/staff/session",
            Public,
            post(session::sign_in),
        ),
        route(
            Method::GET,
            "/staff/sign-in/oidc",
            Public,
            get(crate::auth::oidc::start),
        ),
        route(
            Method::GET,
            "/staff/sign-in/oidc/callback",
            Public,
            get(crate::auth::oidc::callback),
        ),
        route(
            Method::DELETE,
            "/staff/session",
            SignedIn,
            delete(session::sign_out),
        ),
        route(Method::GET, "/staff/me", SignedIn, get(session::me)),
        route(
            Method::GET,
            "/staff/overview",
            SignedIn,
            get(requests::overview),
        ),
        route(
            Method::GET,
            "/staff/colleagues",
            SignedIn,
            get(requests::colleagues),
        ),
        route(
            Method::GET,
            "/staff/requests",
            SignedIn,
            get(requests::queue),
        ),
        route(
            Method::GET,
            "/staff/requests/{id}",
            SignedIn,
            get(requests::request),
        ),
        route(
            Method::POST,
            "/staff/requests/{id}/claim",
            SignedIn,
            post(requests::claim),
        ),
        route(
            Method::POST,
            "/staff/requests/{id}/contact-attempts",
            SignedIn,
            post(requests::contact_attempt),
        ),
        route(
            Method::POST,
            "/staff/requests/{id}/notes",
            SignedIn,
            post(requests::note),
        ),
        route(
            Method::POST,
            "/staff/requests/{id}/messages",
            SignedIn,
            post(requests::message),
        ),
        route(
            Method::POST,
            "/staff/requests/{id}/status",
            SignedIn,
            post(requests::status),
        ),
        route(
            Method::POST,
            "/staff/requests/{id}/transfer",
            SignedIn,
            post(requests::transfer),
        ),
        route(
            Method::POST,
            "/staff/requests/{id}/disclosure",
            SignedIn,
            post(requests::disclosure),
        ),
        route(
            Method::POST,
            "/staff/requests/{id}/veilig-thuis",
            SignedIn,
            post(requests::veilig_thuis),
        ),
        route(
            Method::POST,
            "/staff/requests/{id}/close",
            SignedIn,
            post(requests::close),
        ),
        route(
            Method::POST,
            "/staff/requests/{id}/approve-close",
            SignedIn,
            post(requests::approve_close),
        ),
        route(
            Method::POST,
            "/staff/requests/{id}/legal-hold",
            SignedIn,
            post(requests::legal_hold),
        ),
        route(
            Method::GET,
            "/staff/requests/{id}/audit",
            SignedIn,
            get(requests::audit),
        ),
    ]
}

/// The staff routes' methods and paths (for the access tests).
pub fn table() -> Vec<StaffRoute> {
    routes().into_iter().map(|(r, _)| r).collect()
}

/// The staff routes.
pub fn router() -> Router<AppState> {
    routes()
        .into_iter()
        .fold(Router::new(), |router, (r, handler)| {
            router.route(r.path, handler)
        })
}
