//! The staff API through one helper over gloo-net: same-origin credentials (the session
//! cookie goes along), JSON through serde, the CSRF token on every change, and a 401 on any
//! call sends the person back to the sign-in screen.

use gloo_net::http::{Method, RequestBuilder};
use kjr_domain::staff::{QueueFilter, StaffRef};
use kjr_domain::{ApiErrorBody, ApiProblem, RequestId, Timestamp};
use leptos::prelude::*;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::session::Session;

/// Who is signed in.
pub const ME: &str = "/api/staff/me";
/// Sign in (POST) and out (DELETE).
pub const SESSION: &str = "/api/staff/session";
/// Which ways of signing in the server offers.
pub const SIGN_IN_OPTIONS: &str = "/api/staff/sign-in/options";
/// Where signing in through the identity provider starts (a full-page navigation).
pub const SIGN_IN_OIDC: &str = "/api/staff/sign-in/oidc";
/// The team's members.
pub const COLLEAGUES: &str = "/api/staff/colleagues";

/// The queue with `filter`.
pub fn queue_url(filter: &QueueFilter) -> String {
    format!("/api/staff/requests{}", crate::filter::to_query(filter))
}

/// One request; `action` is a sub-resource such as `claim` or `audit`.
pub fn request_url(id: &RequestId, action: Option<&str>) -> String {
    match action {
        Some(action) => format!("/api/staff/requests/{id}/{action}"),
        None => format!("/api/staff/requests/{id}"),
    }
}

/// `GET /api/staff/sign-in/options`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct SignInOptions {
    /// E-mail, password and authenticator code.
    pub local: bool,
    /// An identity provider, with the text of its button.
    pub oidc: Option<OidcOption>,
}

/// The identity provider's button.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct OidcOption {
    /// Such as "Inloggen met Microsoft".
    pub label: String,
}

/// `GET /api/staff/requests/{id}/audit`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct AuditTrail {
    /// The request's reference.
    pub reference: kjr_domain::Reference,
    /// Every event, oldest first.
    pub entries: Vec<kjr_domain::staff::AuditEntry>,
}

/// What a `GET` gave: `None` while the first answer is on its way.
pub type Loaded<T> = RwSignal<Option<Result<T, ApiError>>>;

/// Why a call did not give what was asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// No valid session (401): the person signs in again.
    Unauthenticated,
    /// The API refused with its error body.
    Problem(Box<ApiErrorBody>),
    /// An error answer whose code this app does not know, with its message if it had one.
    Other {
        status: u16,
        message: Option<String>,
    },
    /// The network failed.
    Network,
    /// The server answered something this app cannot read (a different version?).
    Unreadable,
}

/// An error body with a code this app does not know (a newer server).
#[derive(Deserialize)]
struct UnknownProblem {
    message: Option<String>,
}

impl ApiError {
    /// The API's problem code, if it sent one this app knows.
    pub fn problem(&self) -> Option<&ApiProblem> {
        match self {
            ApiError::Problem(body) => Some(&body.problem),
            _ => None,
        }
    }

    /// With a version conflict: who changed the request, and when.
    pub fn conflict(&self) -> Option<(Option<&StaffRef>, Timestamp)> {
        match self {
            ApiError::Problem(body) => body
                .conflict
                .as_ref()
                .map(|c| (c.changed_by.as_ref(), c.changed_at)),
            _ => None,
        }
    }

    /// What to tell the person, in Dutch.
    pub fn message(&self) -> String {
        match self {
            ApiError::Unauthenticated => "Je bent niet meer ingelogd. Log opnieuw in.".into(),
            ApiError::Problem(body) => match (&body.problem, &body.conflict) {
                (ApiProblem::VersionConflict, Some(c)) => format!(
                    "Gewijzigd door {} om {}. De vraag is opnieuw geladen; wat je had getypt staat er nog.",
                    c.changed_by
                        .as_ref()
                        .map_or("het systeem", |who| who.name.as_str()),
                    crate::time::clock(c.changed_at)
                ),
                _ => body.message.clone(),
            },
            ApiError::Other {
                message: Some(m), ..
            } => m.clone(),
            ApiError::Other { status, .. } if *status >= 500 => {
                format!("Er ging iets mis op de server ({status}). Probeer het zo nog eens.")
            }
            ApiError::Other { status, .. } => {
                format!("De server antwoordde onverwacht ({status}).")
            }
            ApiError::Network => {
                "Geen verbinding met de server. Controleer je verbinding en probeer het opnieuw."
                    .into()
            }
            ApiError::Unreadable => {
                "Het antwoord van de server kon niet gelezen worden. Laad de pagina opnieuw.".into()
            }
        }
    }
}

/// What an error answer with `status` and `body` means.
pub fn read_error(status: u16, body: &str) -> ApiError {
    match serde_json::from_str::<ApiErrorBody>(body) {
        // A refused sign-in is an answer to show, not a lost session.
        Ok(body) if status == 401 && body.problem != ApiProblem::Unauthenticated => {
            ApiError::Problem(Box::new(body))
        }
        _ if status == 401 => ApiError::Unauthenticated,
        Ok(body) => ApiError::Problem(Box::new(body)),
        Err(_) => ApiError::Other {
            status,
            message: serde_json::from_str::<UnknownProblem>(body)
                .ok()
                .and_then(|p| p.message),
        },
    }
}

impl Session {
    /// `GET url`, the answer as `T`.
    pub async fn get<T: DeserializeOwned>(self, url: &str) -> Result<T, ApiError> {
        let text = self.call(Method::GET, url, None).await?;
        serde_json::from_str(&text).map_err(|_| ApiError::Unreadable)
    }

    /// `GET url()` into a signal (`None` until the first answer), again whenever what `url`
    /// reads changes; an answer that arrives after a newer call started is dropped.
    pub fn load<T>(self, url: impl Fn() -> String + 'static) -> Loaded<T>
    where
        T: DeserializeOwned + Send + Sync + 'static,
    {
        let out = RwSignal::new(None);
        let latest = StoredValue::new(0u32);
        Effect::new(move |_| {
            let url = url();
            let call = latest.get_value() + 1;
            latest.set_value(call);
            leptos::task::spawn_local(async move {
                let answer = self.get::<T>(&url).await;
                if latest.try_get_value() == Some(call) {
                    out.try_set(Some(answer));
                }
            });
        });
        out
    }

    /// `POST url` with `body` as JSON, the answer as `T`.
    pub async fn post<T: DeserializeOwned>(
        self,
        url: &str,
        body: &impl Serialize,
    ) -> Result<T, ApiError> {
        let json = serde_json::to_string(body).map_err(|_| ApiError::Unreadable)?;
        self.post_json(url, json).await
    }

    /// `POST url` with `json`, the answer as `T`.
    pub async fn post_json<T: DeserializeOwned>(
        self,
        url: &str,
        json: String,
    ) -> Result<T, ApiError> {
        let text = self.call(Method::POST, url, Some(json)).await?;
        serde_json::from_str(&text).map_err(|_| ApiError::Unreadable)
    }

    /// `DELETE url`; the answer has no body.
    pub async fn delete(self, url: &str) -> Result<(), ApiError> {
        self.call(Method::DELETE, url, None).await.map(|_| ())
    }

    async fn call(
        self,
        method: Method,
        url: &str,
        body: Option<String>,
    ) -> Result<String, ApiError> {
        let mut request = RequestBuilder::new(url)
            .method(method.clone())
            .credentials(web_sys::RequestCredentials::SameOrigin)
            .header("Accept", "application/json");
        if method != Method::GET {
            request = request.header("Content-Type", "application/json");
            if let Some(token) = self.csrf_token() {
                request = request.header("X-Kjr-Csrf", &token);
            }
        }
        let request = match body {
            Some(body) => request.body(body),
            None => request.build(),
        }
        .map_err(|_| ApiError::Network)?;
        let response = request.send().await.map_err(|_| ApiError::Network)?;
        let status = response.status();
        let text = response.text().await.map_err(|_| ApiError::Network)?;
        if (200..300).contains(&status) {
            return Ok(text);
        }
        let error = read_error(status, &text);
        if error == ApiError::Unauthenticated {
            self.lost();
        }
        Err(error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kjr_domain::{Lang, VersionConflict};

    #[test]
    fn a_lost_session_and_a_refused_sign_in_are_told_apart() {
        let lost = serde_json::to_string(&ApiErrorBody::new(ApiProblem::Unauthenticated, Lang::Nl))
            .unwrap();
        assert_eq!(read_error(401, &lost), ApiError::Unauthenticated);
        assert_eq!(read_error(401, "not json"), ApiError::Unauthenticated);
        let refused =
            serde_json::to_string(&ApiErrorBody::new(ApiProblem::SignInFailed, Lang::Nl)).unwrap();
        assert_eq!(
            read_error(401, &refused).problem(),
            Some(&ApiProblem::SignInFailed)
        );
    }

    #[test]
    fn an_override_is_read_with_the_preferences_it_goes_against() {
        let body = r#"{"error":"override_reason_required","outside_safe_times":true,
            "message_not_allowed":false,"via_foster_parents":true,"message":"Waarom?"}"#;
        assert_eq!(
            read_error(422, body).problem(),
            Some(&ApiProblem::OverrideReasonRequired {
                outside_safe_times: true,
                message_not_allowed: false,
                via_foster_parents: true
            })
        );
    }

    #[test]
    fn a_version_conflict_says_who_changed_it_and_when() {
        let body = ApiErrorBody {
            conflict: Some(VersionConflict {
                version: 4,
                changed_by: Some(StaffRef {
                    id: kjr_domain::staff::StaffId("local:2".into()),
                    name: "Noor".into(),
                }),
                // 1 Dec 2026 13:05 in Amsterdam.
                changed_at: Timestamp(1_796_126_700),
            }),
            ..ApiErrorBody::new(ApiProblem::VersionConflict, Lang::Nl)
        };
        let error = read_error(409, &serde_json::to_string(&body).unwrap());
        assert!(
            error.message().starts_with("Gewijzigd door Noor om 13:05"),
            "{}",
            error.message()
        );
    }

    #[test]
    fn an_unknown_code_still_shows_its_message() {
        let error = read_error(
            409,
            r#"{"error":"something_new","message":"Dat kan niet."}"#,
        );
        assert_eq!(error.message(), "Dat kan niet.");
        assert!(read_error(502, "<html>").message().contains("502"));
    }
}
