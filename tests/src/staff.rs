//! Staff helpers for tests: local accounts in a [`TestApp`]'s store, signing in with a real
//! TOTP code, and calls with the session cookie and the CSRF token, as the staff app sends
//! them.

use kjr_api::auth::local::{self, NewAccount};
use kjr_api::auth::{CSRF_HEADER, SESSION_COOKIE};
use kjr_api::ids::{RequestId, Timestamp};
use kjr_domain::TeamId;
use kjr_domain::staff::{Role, StaffMe};
use reqwest::{Method, Response};
use serde_json::{Value, json};

use crate::fixtures::TestApp;

/// The password every test account gets.
pub const PASSWORD: &str = "correct horse battery staple";

/// A local account a test made.
#[derive(Debug, Clone)]
pub struct StaffUser {
    /// Its e-mail address.
    pub email: String,
    /// Its TOTP secret (base32), to play the authenticator app.
    pub secret: String,
}

impl StaffUser {
    /// The code the authenticator app shows now (`steps` later: 1 is the next one).
    pub fn code(&self, steps: i64) -> String {
        local::current_code(&self.secret, Timestamp(Timestamp::now().0 + steps * 30))
            .expect("a valid secret")
    }
}

/// A signed-in session: the cookie's token and the CSRF token.
#[derive(Debug, Clone)]
pub struct StaffSession {
    /// The session cookie's value.
    pub token: String,
    /// What `/api/staff/me` said at sign-in.
    pub me: StaffMe,
}

/// The secret of an `otpauth://` URI.
pub fn secret_of(uri: &str) -> String {
    uri.split(['?', '&'])
        .find_map(|p| p.strip_prefix("secret="))
        .expect("otpauth URI has a secret")
        .to_owned()
}

impl TestApp {
    /// Creates a local account in this app's store.
    pub async fn add_staff(&self, email: &str, team: &str, role: Role) -> StaffUser {
        let uri = local::add_account(
            self.store.as_ref(),
            NewAccount {
                email: email.to_owned(),
                name: email.split('@').next().unwrap_or(email).to_owned(),
                team: TeamId(team.to_owned()),
                role,
                password: PASSWORD.to_owned(),
            },
        )
        .await
        .expect("account created");
        StaffUser {
            email: email.to_owned(),
            secret: secret_of(&uri),
        }
    }

    /// `POST /api/staff/session` with `email`, `password` and `code`.
    pub async fn try_sign_in(&self, email: &str, password: &str, code: &str) -> Response {
        self.request(Method::POST, "/api/staff/session")
            .header("content-type", "application/json")
            .header("origin", self.url(""))
            .body(json!({"email": email, "password": password, "code": code}).to_string())
            .send()
            .await
            .expect("sign-in answered")
    }

    /// Signs `user` in (with the next code if this one was used already).
    pub async fn sign_in(&self, user: &StaffUser) -> StaffSession {
        for steps in [0, 1] {
            let response = self
                .try_sign_in(&user.email, PASSWORD, &user.code(steps))
                .await;
            if response.status() == 200 {
                let cookie = response
                    .headers()
                    .get("set-cookie")
                    .and_then(|v| v.to_str().ok())
                    .expect("a session cookie")
                    .to_owned();
                let token = cookie
                    .split(';')
                    .next()
                    .and_then(|p| p.strip_prefix(&format!("{SESSION_COOKIE}=")))
                    .expect("the session cookie")
                    .to_owned();
                let me = response.json().await.expect("StaffMe");
                return StaffSession { token, me };
            }
        }
        panic!("{} could not sign in", user.email);
    }

    /// A staff call with the session's cookie, and for changes the origin and CSRF token
    /// the staff app sends.
    pub async fn staff(
        &self,
        session: &StaffSession,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Response {
        let mut request = self
            .request(method.clone(), path)
            .header("cookie", format!("{SESSION_COOKIE}={}", session.token));
        if kjr_api::auth::is_change(&method) {
            request = request
                .header("origin", self.url(""))
                .header(CSRF_HEADER, &session.me.csrf_token);
        }
        if let Some(body) = body {
            request = request
                .header("content-type", "application/json")
                .body(body.to_string());
        }
        request.send().await.expect("staff call answered")
    }

    /// `GET path` as `session`, expecting 200 and JSON.
    pub async fn staff_json(&self, session: &StaffSession, path: &str) -> Value {
        let response = self.staff(session, Method::GET, path, None).await;
        assert_eq!(response.status(), 200, "GET {path}");
        response.json().await.expect("JSON")
    }

    /// `POST path` as `session` with `body`.
    pub async fn staff_post(&self, session: &StaffSession, path: &str, body: Value) -> Response {
        self.staff(session, Method::POST, path, Some(body)).await
    }

    /// Sends `body` as a request and waits until it is routed and its team notified; returns
    /// its id.
    pub async fn routed_request(&self, body: &Value) -> RequestId {
        let response = self.post_request(body).await;
        assert_eq!(response.status(), 201);
        let reference: Value = response.json().await.expect("receipt");
        let reference = reference["reference"]
            .as_str()
            .expect("reference")
            .to_owned();
        for _ in 0..200 {
            for id in self.store.request_ids().await.expect("ids") {
                let stored = self.store.get(&id).await.expect("get").expect("stored");
                if stored.reference.as_str() == reference && stored.notified_at.is_some() {
                    return id;
                }
            }
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        }
        panic!("request {reference} was not routed");
    }
}
