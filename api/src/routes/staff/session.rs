//! Signing in and out, and who is signed in.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use kjr_domain::Timestamp;
use kjr_domain::staff::SignIn;
use serde::Serialize;

use crate::auth::{self, Staff, StaffChange, local};
use crate::error::ApiError;
use crate::extract::{ClientIp, ShapedJson};
use crate::startup::AppState;

/// How people can sign in here.
#[derive(Debug, Serialize)]
pub struct SignInOptions {
    /// With a local account (e-mail, password, code).
    pub local: bool,
    /// Through the organisation's identity provider, if one is configured.
    pub oidc: Option<OidcOption>,
}

/// The identity provider's button.
#[derive(Debug, Serialize)]
pub struct OidcOption {
    /// Its label.
    pub label: String,
}

/// `GET /api/staff/sign-in/options`.
pub async fn options(State(state): State<AppState>) -> Json<SignInOptions> {
    Json(SignInOptions {
        local: true,
        oidc: state.oidc.as_ref().map(|o| OidcOption {
            label: o.config().label.clone(),
        }),
    })
}

/// `POST /api/staff/session`: signs in with a local account.
pub async fn sign_in(
    State(state): State<AppState>,
    headers: HeaderMap,
    ClientIp(client): ClientIp,
    ShapedJson(attempt): ShapedJson<SignIn>,
) -> Result<Response, ApiError> {
    if !auth::same_origin(&headers, &state.settings.staff_origin) {
        return Err(ApiError::CrossSiteRefused);
    }
    let client = client.map(|ip| ip.to_string());
    let member = local::sign_in(
        state.store.as_ref(),
        &attempt,
        client.as_deref(),
        Timestamp::now(),
    )
    .await?;
    let (session, cookie) = auth::start_session(&state, member).await?;
    let mut response = Json(auth::me(&session, &state)).into_response();
    response.headers_mut().insert(header::SET_COOKIE, cookie);
    Ok(response)
}

/// `DELETE /api/staff/session`: signs out (the session ends on the server).
pub async fn sign_out(
    State(state): State<AppState>,
    StaffChange(staff): StaffChange,
) -> Result<Response, ApiError> {
    auth::end_session(&state, &staff).await?;
    let mut response = StatusCode::NO_CONTENT.into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, auth::cleared_cookie());
    Ok(response)
}

/// `GET /api/staff/me`.
pub async fn me(State(state): State<AppState>, staff: Staff) -> Json<kjr_domain::staff::StaffMe> {
    Json(staff.me(&state))
}
