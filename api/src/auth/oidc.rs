//! Signing in through the organisation's identity provider: OpenID Connect, the authorization
//! code flow with PKCE (Amazon Cognito in AWS; Entra ID or any certified provider elsewhere).
//!
//! `GET /api/staff/sign-in/oidc` keeps state, nonce and PKCE verifier on the server (the
//! store, ten minutes, keyed by the state's hash) and gives the browser only a random token
//! that binds the state to it. The callback takes that sign-in once, checks the binding,
//! exchanges the code with the verifier, verifies the ID token (signature by the provider's
//! JWKS, issuer, audience, expiry, nonce), maps its groups to a team and role and starts an
//! ordinary session ([`super::start_session`]). Local accounts keep working beside it.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::{RawQuery, State};
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Redirect, Response};
use kjr_domain::staff::{Role, StaffId};
use kjr_domain::{TeamId, Timestamp};
use openidconnect::core::{
    CoreAuthenticationFlow, CoreClient, CoreGenderClaim, CoreIdTokenVerifier, CoreJsonWebKeySet,
    CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm,
};
use openidconnect::{
    AdditionalClaims, AuthUrl, AuthorizationCode, ClaimsVerificationError, ClientId, ClientSecret,
    CsrfToken, IdToken, IdTokenClaims, IssuerUrl, JsonWebKeySetUrl, Nonce, PkceCodeChallenge,
    PkceCodeVerifier, RedirectUrl, Scope, SignatureVerificationError, TokenResponse, TokenUrl,
};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use tokio::sync::RwLock;

use crate::config::ConfigError;
use crate::error::ApiError;
use crate::ids::new_token;
use crate::routing::RoutingRules;
use crate::startup::AppState;
use crate::store::oidc::OIDC_LOGIN_SECONDS;
use crate::store::staff::token_hash;
use crate::store::{OidcLogin, StaffMember, StoreError};

/// The cookie that binds a started sign-in to the browser. Not `__Host-`: it is scoped to
/// the sign-in paths. `SameSite=Lax`, because the provider sends the browser back from
/// another site.
pub const STATE_COOKIE: &str = "__Secure-kjr_oidc";

/// The path under which [`STATE_COOKIE`] is sent.
const STATE_COOKIE_PATH: &str = "/api/staff/sign-in";

/// The callback's path, after the staff base URL.
pub const CALLBACK_PATH: &str = "/api/staff/sign-in/oidc/callback";

/// Where the staff app lives; `return_to` must be under it.
const STAFF_HOME: &str = "/staff/";

/// How long the provider's discovery document and keys are used before they are fetched
/// again (keys rotate).
const DISCOVERY_TTL: Duration = Duration::from_secs(3600);

/// A token signed with a key we do not know makes us fetch the keys again, if they are older
/// than this. Short: tokens reach us only from the provider's token endpoint, so nobody can
/// send unknown key ids to make us hammer the provider.
const KEY_REFRESH_AFTER: Duration = Duration::from_secs(5);

/// The provider's HTTP calls give up after this.
const HTTP_TIMEOUT: Duration = Duration::from_secs(10);

kjr_domain::wire_enum! {
    /// Why a sign-in through the identity provider ended without a session: the
    /// `sign_in_error` of the redirect to the staff app, which says it in Dutch.
    pub enum SignInError {
        /// It did not work (the provider, the state, the token…); try again.
        Oidc = "oidc",
        /// The person is known to the provider but is in no team and no coordinator.
        NoAccess = "no_access",
    }
}

/// The identity provider's settings (`KJR_OIDC_*`). OIDC is on when issuer and client id
/// are both set.
#[derive(Debug, Clone)]
pub struct OidcConfig {
    /// `KJR_OIDC_ISSUER`: the `iss` the ID tokens carry.
    pub issuer: IssuerUrl,
    /// `KJR_OIDC_DISCOVERY_URL`: where `/.well-known/openid-configuration` is, when it is not
    /// under the issuer (moto serves on 127.0.0.1 with the real AWS `iss`).
    pub discovery_url: Option<String>,
    /// `KJR_OIDC_CLIENT_ID`.
    pub client_id: ClientId,
    /// `KJR_OIDC_CLIENT_SECRET` (optional: public clients use PKCE alone).
    pub client_secret: Option<SecretString>,
    /// `KJR_OIDC_ROLES_CLAIM`, default `cognito:groups` (Entra ID: `roles` or `groups`).
    pub roles_claim: String,
    /// `KJR_OIDC_COORDINATOR_GROUP`, default `coordinator`.
    pub coordinator_group: String,
    /// `KJR_OIDC_LABEL`: the sign-in button's text.
    pub label: String,
    /// `KJR_OIDC_SCOPES`, default `openid email profile`.
    pub scopes: Vec<String>,
}

impl OidcConfig {
    /// Reads `KJR_OIDC_*` through `get`; `None` when OIDC is not configured.
    pub fn from_lookup(get: &impl Fn(&str) -> Option<String>) -> Result<Option<Self>, ConfigError> {
        let set = |name: &str| {
            get(name)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let (issuer, client_id) = match (set("KJR_OIDC_ISSUER"), set("KJR_OIDC_CLIENT_ID")) {
            (None, None) => return Ok(None),
            (Some(_), None) => return Err(ConfigError::Missing("KJR_OIDC_CLIENT_ID")),
            (None, Some(_)) => return Err(ConfigError::Missing("KJR_OIDC_ISSUER")),
            (Some(i), Some(c)) => (i, c),
        };
        let url = |name: &'static str, raw: String| {
            let parsed = IssuerUrl::new(raw).map_err(|e| ConfigError::Invalid {
                name,
                problem: e.to_string(),
            })?;
            match parsed.url().scheme() {
                "https" | "http" => Ok(parsed),
                other => Err(ConfigError::Invalid {
                    name,
                    problem: format!("{other}: is not http(s)"),
                }),
            }
        };
        let issuer = url("KJR_OIDC_ISSUER", issuer)?;
        let discovery_url = set("KJR_OIDC_DISCOVERY_URL")
            .map(|raw| url("KJR_OIDC_DISCOVERY_URL", raw).map(|u| u.as_str().to_owned()))
            .transpose()?;
        let scopes: Vec<String> = set("KJR_OIDC_SCOPES")
            .unwrap_or_else(|| "openid email profile".into())
            .split_whitespace()
            .map(str::to_owned)
            .collect();
        if !scopes.iter().any(|s| s == "openid") {
            return Err(ConfigError::Invalid {
                name: "KJR_OIDC_SCOPES",
                problem: "must contain openid".into(),
            });
        }
        Ok(Some(Self {
            issuer,
            discovery_url,
            client_id: ClientId::new(client_id),
            client_secret: set("KJR_OIDC_CLIENT_SECRET").map(SecretString::from),
            roles_claim: set("KJR_OIDC_ROLES_CLAIM").unwrap_or_else(|| "cognito:groups".into()),
            coordinator_group: set("KJR_OIDC_COORDINATOR_GROUP")
                .unwrap_or_else(|| "coordinator".into()),
            label: set("KJR_OIDC_LABEL")
                .unwrap_or_else(|| "Inloggen met je Jeugdstem-account".into()),
            scopes,
        }))
    }
}

/// Everything that can go wrong signing in through the provider. The texts go to logs: they
/// name what failed, never a person (no claims, no e-mail addresses, no codes or tokens).
#[derive(Debug, thiserror::Error)]
pub enum OidcError {
    /// The discovery document or the keys could not be fetched or read.
    #[error("provider discovery failed: {0}")]
    Discovery(String),
    /// The callback's query has no usable `state` or `code`.
    #[error("callback without state or code")]
    BadCallback,
    /// The provider sent the browser back with an error.
    #[error("provider answered with error {0}")]
    ProviderRefused(String),
    /// The answer names another issuer than ours (RFC 9207: a mix-up of providers).
    #[error("callback names another issuer")]
    WrongIssuer,
    /// No started sign-in has this state (tampered, replayed or expired).
    #[error("unknown, used or expired state")]
    UnknownState,
    /// The state was started in another browser.
    #[error("state not bound to this browser")]
    WrongBrowser,
    /// Exchanging the code failed.
    #[error("code exchange failed: {0}")]
    Exchange(String),
    /// The token response has no ID token.
    #[error("token response without an ID token")]
    NoIdToken,
    /// The ID token is malformed or does not verify.
    #[error("ID token refused: {0}")]
    InvalidToken(String),
    /// The person is in no team and not a coordinator.
    #[error("no team and no coordinator group in the roles claim")]
    NoAccess,
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Starting the session failed.
    #[error("session could not start: {0}")]
    Session(String),
}

impl OidcError {
    /// What the staff app is told.
    pub fn sign_in_error(&self) -> SignInError {
        match self {
            OidcError::NoAccess => SignInError::NoAccess,
            _ => SignInError::Oidc,
        }
    }
}

/// Every claim besides the standard ones, by name (the roles claim is configurable, and
/// Cognito's are named `cognito:…`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct OtherClaims(serde_json::Map<String, serde_json::Value>);

impl AdditionalClaims for OtherClaims {}

impl OtherClaims {
    /// A claim that is one string.
    fn string(&self, name: &str) -> Option<&str> {
        self.0.get(name).and_then(|v| v.as_str())
    }

    /// A claim that is a list of strings (or one string, as some providers send one group).
    fn strings(&self, name: &str) -> Vec<&str> {
        match self.0.get(name) {
            Some(serde_json::Value::Array(items)) => {
                items.iter().filter_map(|v| v.as_str()).collect()
            }
            Some(serde_json::Value::String(one)) => vec![one.as_str()],
            _ => Vec::new(),
        }
    }
}

type StaffIdToken = IdToken<
    OtherClaims,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJwsSigningAlgorithm,
>;

/// The parts of the discovery document the flow needs. Read by hand rather than as
/// `CoreProviderMetadata`, which requires fields some providers leave out (moto's Cognito has
/// no authorization endpoint).
#[derive(Debug, Clone, Deserialize)]
struct DiscoveryDocument {
    issuer: String,
    authorization_endpoint: Option<String>,
    token_endpoint: Option<String>,
    jwks_uri: String,
}

/// The provider as discovered: endpoints and keys.
#[derive(Debug)]
struct Discovered {
    authorization_endpoint: Option<AuthUrl>,
    token_endpoint: Option<TokenUrl>,
    jwks: CoreJsonWebKeySet,
    fetched_at: Instant,
}

/// The configured identity provider, with its discovery document and keys cached.
#[derive(Debug)]
pub struct Oidc {
    config: OidcConfig,
    redirect: RedirectUrl,
    http: reqwest::Client,
    discovered: RwLock<Option<Arc<Discovered>>>,
}

impl Oidc {
    /// The provider of `config`, calling back to `staff_base_url`. Nothing is fetched yet:
    /// a provider that is down must not stop the API from starting.
    pub fn new(config: OidcConfig, staff_base_url: &str) -> Result<Self, ConfigError> {
        let redirect = RedirectUrl::new(format!(
            "{}{CALLBACK_PATH}",
            staff_base_url.trim_end_matches('/')
        ))
        .map_err(|e| ConfigError::Invalid {
            name: "KJR_STAFF_BASE_URL",
            problem: e.to_string(),
        })?;
        // No redirects: the library's advice against SSRF through a provider's answers.
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(HTTP_TIMEOUT)
            .build()
            .map_err(|e| ConfigError::Invalid {
                name: "KJR_OIDC_ISSUER",
                problem: format!("HTTP client: {e}"),
            })?;
        Ok(Self {
            config,
            redirect,
            http,
            discovered: RwLock::new(None),
        })
    }

    /// The settings.
    pub fn config(&self) -> &OidcConfig {
        &self.config
    }

    /// The redirect URI registered with the provider.
    pub fn redirect_uri(&self) -> &str {
        self.redirect.as_str()
    }

    async fn fetch(&self) -> Result<Discovered, OidcError> {
        let base = self
            .config
            .discovery_url
            .as_deref()
            .unwrap_or(self.config.issuer.as_str())
            .trim_end_matches('/');
        let url = format!("{base}/.well-known/openid-configuration");
        let failed = |e: &dyn std::fmt::Display| OidcError::Discovery(e.to_string());
        let doc: DiscoveryDocument = self
            .http
            .get(&url)
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .map_err(|e| failed(&e))?
            .bytes()
            .await
            .map_err(|e| failed(&e))
            .and_then(|body| serde_json::from_slice(&body).map_err(|e| failed(&e)))?;
        if doc.issuer.trim_end_matches('/') != self.config.issuer.as_str().trim_end_matches('/') {
            // Tokens are checked against KJR_OIDC_ISSUER all the same.
            tracing::info!("the discovery document names another issuer; KJR_OIDC_ISSUER is used");
        }
        let jwks_uri = JsonWebKeySetUrl::new(doc.jwks_uri).map_err(|e| failed(&e))?;
        let jwks = CoreJsonWebKeySet::fetch_async(&jwks_uri, &self.http)
            .await
            .map_err(|e| failed(&e))?;
        Ok(Discovered {
            authorization_endpoint: doc
                .authorization_endpoint
                .map(AuthUrl::new)
                .transpose()
                .map_err(|e| failed(&e))?,
            token_endpoint: doc
                .token_endpoint
                .map(TokenUrl::new)
                .transpose()
                .map_err(|e| failed(&e))?,
            jwks,
            fetched_at: Instant::now(),
        })
    }

    /// The discovered provider, fetched on first use and again after [`DISCOVERY_TTL`]; if
    /// fetching again fails, the keys from before serve until it works.
    async fn discovered(&self) -> Result<Arc<Discovered>, OidcError> {
        self.discovered_within(DISCOVERY_TTL).await
    }

    /// As [`Oidc::discovered`], fetched again if older than `max_age`.
    async fn discovered_within(&self, max_age: Duration) -> Result<Arc<Discovered>, OidcError> {
        let cached = self.discovered.read().await.clone();
        if let Some(d) = &cached
            && d.fetched_at.elapsed() < max_age
        {
            return Ok(Arc::clone(d));
        }
        let mut slot = self.discovered.write().await;
        if let Some(d) = slot.as_ref()
            && d.fetched_at.elapsed() < max_age
        {
            return Ok(Arc::clone(d));
        }
        match self.fetch().await {
            Ok(fresh) => {
                let fresh = Arc::new(fresh);
                *slot = Some(Arc::clone(&fresh));
                Ok(fresh)
            }
            Err(e) => match cached {
                Some(old) => {
                    tracing::warn!(error = %e, "provider discovery failed; using the keys from before");
                    Ok(old)
                }
                None => Err(e),
            },
        }
    }

    /// The flow's client: the provider's endpoints and keys with our id, secret and redirect.
    fn client(
        &self,
        d: &Discovered,
    ) -> Result<
        CoreClient<
            openidconnect::EndpointSet,
            openidconnect::EndpointNotSet,
            openidconnect::EndpointNotSet,
            openidconnect::EndpointNotSet,
            openidconnect::EndpointSet,
            openidconnect::EndpointNotSet,
        >,
        OidcError,
    > {
        let missing =
            |what: &str| OidcError::Discovery(format!("no {what} in the discovery document"));
        let mut client = CoreClient::new(
            self.config.client_id.clone(),
            self.config.issuer.clone(),
            d.jwks.clone(),
        )
        .set_auth_uri(
            d.authorization_endpoint
                .clone()
                .ok_or_else(|| missing("authorization_endpoint"))?,
        )
        .set_token_uri(
            d.token_endpoint
                .clone()
                .ok_or_else(|| missing("token_endpoint"))?,
        )
        .set_redirect_uri(self.redirect.clone());
        if let Some(secret) = &self.config.client_secret {
            client = client.set_client_secret(ClientSecret::new(secret.expose_secret().to_owned()));
        }
        Ok(client)
    }

    /// The token's claims if it verifies with `d`'s keys, our client id and the configured
    /// issuer, and carries `nonce` (when given).
    fn check<'t>(
        &self,
        token: &'t StaffIdToken,
        d: &Discovered,
        nonce: Option<&Nonce>,
    ) -> Result<&'t IdTokenClaims<OtherClaims, CoreGenderClaim>, ClaimsVerificationError> {
        let verifier = CoreIdTokenVerifier::new_public_client(
            self.config.client_id.clone(),
            self.config.issuer.clone(),
            d.jwks.clone(),
        )
        .set_allowed_algs([
            CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
            CoreJwsSigningAlgorithm::RsaSsaPssSha256,
            CoreJwsSigningAlgorithm::EcdsaP256Sha256,
        ]);
        match nonce {
            Some(expected) => token.claims(&verifier, expected),
            None => token.claims(&verifier, |_: Option<&Nonce>| Ok(())),
        }
    }

    /// Verifies an ID token against the configured issuer, the provider's keys and our client
    /// id (signature, `iss`, `aud`, `exp`, and the nonce when one was sent), and maps its
    /// claims to a staff member: see [`member_from_claims`].
    ///
    /// `nonce` is `None` only for tokens that no authorization request of ours asked for
    /// (a direct password sign-in against Cognito, in tests); the callback always gives it.
    pub async fn verify_id_token(
        &self,
        raw: &str,
        nonce: Option<&Nonce>,
        rules: &RoutingRules,
    ) -> Result<StaffMember, OidcError> {
        let token: StaffIdToken = raw
            .parse()
            // Only the kind of failure: serde's text could quote the token.
            .map_err(|e: serde_json::Error| {
                OidcError::InvalidToken(format!("malformed token ({:?})", e.classify()))
            })?;
        let discovered = self.discovered().await?;
        let mut verified = self.check(&token, &discovered, nonce);
        if let Err(ClaimsVerificationError::SignatureVerification(
            SignatureVerificationError::NoMatchingKey,
        )) = verified
        {
            // The provider may have rotated its keys: fetch them again.
            let fresh = self.discovered_within(KEY_REFRESH_AFTER).await?;
            if !Arc::ptr_eq(&fresh, &discovered) {
                verified = self.check(&token, &fresh, nonce);
            }
        }
        let claims = verified.map_err(|e| OidcError::InvalidToken(e.to_string()))?;
        let name = claims
            .name()
            .and_then(|n| n.get(None))
            .map(|n| n.as_str().to_owned())
            .or_else(|| claims.email().map(|e| e.as_str().to_owned()))
            .or_else(|| {
                claims
                    .additional_claims()
                    .string("cognito:username")
                    .map(str::to_owned)
            });
        member_from_claims(
            &self.config,
            rules,
            claims.subject().as_str(),
            name,
            &claims.additional_claims().strings(&self.config.roles_claim),
        )
    }
}

/// A staff member from verified claims: id `oidc:<issuer hash>:<sub>`, the first group that is
/// a team in the routing rules, and coordinator if the coordinator group is there. Neither a
/// team nor the coordinator group: refused.
pub fn member_from_claims(
    config: &OidcConfig,
    rules: &RoutingRules,
    subject: &str,
    name: Option<String>,
    groups: &[&str],
) -> Result<StaffMember, OidcError> {
    let team = groups
        .iter()
        .map(|g| TeamId((*g).to_owned()))
        .find(|id| rules.team(id).is_some());
    let coordinator = groups.iter().any(|g| *g == config.coordinator_group);
    if team.is_none() && !coordinator {
        return Err(OidcError::NoAccess);
    }
    let issuer = &token_hash(config.issuer.as_str())[..12];
    Ok(StaffMember {
        id: StaffId(format!("oidc:{issuer}:{subject}")),
        name: name
            .map(|n| n.trim().to_owned())
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| subject.to_owned()),
        team,
        role: if coordinator {
            Role::Coordinator
        } else {
            Role::Confidant
        },
    })
}

/// `return_to` if it is a local path in the staff app, else the staff app's start.
pub fn checked_return_to(raw: Option<&str>) -> String {
    let ok = |p: &str| {
        (p == "/staff" || p.starts_with("/staff/") || p.starts_with("/staff?"))
            && p.len() <= 512
            && !p.contains('\\')
            && !p.split(['/', '?', '#']).any(|s| s == "..")
            && p.bytes().all(|b| b.is_ascii_graphic())
    };
    raw.filter(|p| ok(p))
        .map_or_else(|| STAFF_HOME.to_owned(), str::to_owned)
}

/// The query of `GET /api/staff/sign-in/oidc`.
#[derive(Debug, Default, Deserialize)]
struct StartQuery {
    return_to: Option<String>,
}

/// The query the provider sends the browser back with.
#[derive(Debug, Default, Deserialize)]
struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
    /// RFC 9207: the provider that answers, against mix-up with another provider.
    iss: Option<String>,
}

fn state_cookie(value: &str, max_age: i64) -> HeaderValue {
    let cookie = format!(
        "{STATE_COOKIE}={value}; HttpOnly; Secure; SameSite=Lax; Path={STATE_COOKIE_PATH}; Max-Age={max_age}"
    );
    // The value is hex or empty: always a valid header.
    HeaderValue::from_str(&cookie).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// A 303 to `location` with `cookies`.
fn see_other(location: &str, cookies: impl IntoIterator<Item = HeaderValue>) -> Response {
    let mut response = Redirect::to(location).into_response();
    for cookie in cookies {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}

/// A provider's error code as it may be logged: short, and only the characters codes have.
fn loggable_code(raw: &str) -> String {
    raw.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .take(40)
        .collect()
}

/// `GET /api/staff/sign-in/oidc?return_to=/staff/…`: starts a sign-in at the provider.
pub async fn start(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let oidc = state.oidc.as_ref().ok_or(ApiError::NotFound)?;
    let query: StartQuery =
        serde_urlencoded::from_str(query.as_deref().unwrap_or_default()).unwrap_or_default();
    let return_to = checked_return_to(query.return_to.as_deref());
    match begin(&state, oidc, return_to).await {
        Ok(response) => Ok(response),
        Err(e) => {
            tracing::warn!(error = %e, "OIDC sign-in could not start");
            Ok(failed(&e))
        }
    }
}

async fn begin(state: &AppState, oidc: &Oidc, return_to: String) -> Result<Response, OidcError> {
    let discovered = oidc.discovered().await?;
    let client = oidc.client(&discovered)?;
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let mut request = client
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .set_pkce_challenge(challenge);
    for scope in oidc.config.scopes.iter().filter(|s| *s != "openid") {
        request = request.add_scope(Scope::new(scope.clone()));
    }
    let (url, csrf, nonce) = request.url();
    let browser = new_token();
    let now = Timestamp::now();
    state
        .store
        .create_oidc_login(&OidcLogin {
            state_hash: token_hash(csrf.secret()),
            browser_hash: token_hash(&browser),
            nonce: nonce.secret().clone(),
            pkce_verifier: verifier.secret().clone(),
            return_to,
            created_at: now,
            expires_at: now.plus_seconds(OIDC_LOGIN_SECONDS),
        })
        .await?;
    Ok(see_other(
        url.as_str(),
        [state_cookie(&browser, OIDC_LOGIN_SECONDS)],
    ))
}

/// The redirect back to the staff app after a failed sign-in (no details in the URL).
fn failed(e: &OidcError) -> Response {
    see_other(
        &format!("{STAFF_HOME}?sign_in_error={}", e.sign_in_error().as_str()),
        [state_cookie("", 0)],
    )
}

/// `GET /api/staff/sign-in/oidc/callback?code&state`: finishes a sign-in.
pub async fn callback(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let oidc = state.oidc.as_ref().ok_or(ApiError::NotFound)?;
    let query: CallbackQuery =
        serde_urlencoded::from_str(query.as_deref().unwrap_or_default()).unwrap_or_default();
    match finish(&state, oidc, &headers, query).await {
        Ok((session_cookie, return_to)) => {
            Ok(see_other(&return_to, [session_cookie, state_cookie("", 0)]))
        }
        Err(e) => {
            if let OidcError::Store(e) = &e {
                tracing::error!(error = %e, "storage failed");
            }
            tracing::warn!(error = %e, "OIDC sign-in failed");
            Ok(failed(&e))
        }
    }
}

async fn finish(
    state: &AppState,
    oidc: &Oidc,
    headers: &HeaderMap,
    query: CallbackQuery,
) -> Result<(HeaderValue, String), OidcError> {
    let state_param = query
        .state
        .filter(|s| !s.is_empty())
        .ok_or(OidcError::BadCallback)?;
    // Taken first, whatever follows: a state works once.
    let login = state
        .store
        .take_oidc_login(&token_hash(&state_param), Timestamp::now())
        .await?
        .ok_or(OidcError::UnknownState)?;
    let browser = super::cookie(headers, STATE_COOKIE).unwrap_or_default();
    if !super::same_token(
        token_hash(browser).as_bytes(),
        login.browser_hash.as_bytes(),
    ) {
        return Err(OidcError::WrongBrowser);
    }
    if query.iss.as_deref().is_some_and(|iss| {
        iss.trim_end_matches('/') != oidc.config.issuer.as_str().trim_end_matches('/')
    }) {
        return Err(OidcError::WrongIssuer);
    }
    if let Some(error) = query.error {
        return Err(OidcError::ProviderRefused(loggable_code(&error)));
    }
    let code = query
        .code
        .filter(|c| !c.is_empty())
        .ok_or(OidcError::BadCallback)?;
    let discovered = oidc.discovered().await?;
    let client = oidc.client(&discovered)?;
    let tokens = client
        .exchange_code(AuthorizationCode::new(code))
        .set_pkce_verifier(PkceCodeVerifier::new(login.pkce_verifier))
        .request_async(&oidc.http)
        .await
        .map_err(|e| OidcError::Exchange(exchange_failure(&e)))?;
    let id_token = tokens.id_token().ok_or(OidcError::NoIdToken)?.to_string();
    let member = oidc
        .verify_id_token(&id_token, Some(&Nonce::new(login.nonce)), &state.rules)
        .await?;
    let (_, cookie) = super::start_session(state, member)
        .await
        .map_err(|e| match e {
            ApiError::Store(e) => OidcError::Store(e),
            other => OidcError::Session(other.to_string()),
        })?;
    Ok((cookie, login.return_to))
}

/// What may be logged of a failed code exchange: the provider's error code, or the kind of
/// failure (never the response body).
fn exchange_failure(
    e: &openidconnect::RequestTokenError<
        openidconnect::HttpClientError<reqwest::Error>,
        openidconnect::StandardErrorResponse<openidconnect::core::CoreErrorResponseType>,
    >,
) -> String {
    use openidconnect::RequestTokenError::*;
    match e {
        ServerResponse(r) => format!("provider error {}", loggable_code(r.error().as_ref())),
        Request(e) => format!("request failed: {e}"),
        Parse(e, _) => format!("unreadable token response at {}", e.path()),
        Other(e) => loggable_code(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(env: &[(&str, &str)]) -> Result<Option<OidcConfig>, ConfigError> {
        let env: HashMap<_, _> = env.iter().copied().collect();
        OidcConfig::from_lookup(&|k: &str| env.get(k).map(|v| (*v).to_owned()))
    }

    fn on() -> OidcConfig {
        config(&[
            ("KJR_OIDC_ISSUER", "https://idp.example/pool"),
            ("KJR_OIDC_CLIENT_ID", "kjr"),
        ])
        .unwrap()
        .unwrap()
    }

    #[test]
    fn oidc_is_on_with_issuer_and_client_id_and_has_documented_defaults() {
        assert!(config(&[]).unwrap().is_none());
        assert!(config(&[("KJR_OIDC_ISSUER", "https://idp.example")]).is_err());
        assert!(config(&[("KJR_OIDC_CLIENT_ID", "kjr")]).is_err());
        let c = on();
        assert_eq!(c.roles_claim, "cognito:groups");
        assert_eq!(c.coordinator_group, "coordinator");
        assert_eq!(c.label, "Inloggen met je Jeugdstem-account");
        assert_eq!(c.scopes, ["openid", "email", "profile"]);
        assert!(c.client_secret.is_none());
        assert!(
            config(&[
                ("KJR_OIDC_ISSUER", "https://idp.example"),
                ("KJR_OIDC_CLIENT_ID", "kjr"),
                ("KJR_OIDC_SCOPES", "email profile"),
            ])
            .is_err(),
            "openid is required"
        );
    }

    #[test]
    fn the_client_secret_is_not_in_the_debug_output() {
        let c = config(&[
            ("KJR_OIDC_ISSUER", "https://idp.example"),
            ("KJR_OIDC_CLIENT_ID", "kjr"),
            ("KJR_OIDC_CLIENT_SECRET", "very-secret-value"),
        ])
        .unwrap()
        .unwrap();
        assert!(!format!("{c:?}").contains("very-secret-value"));
    }

    #[test]
    fn return_to_stays_inside_the_staff_app() {
        for ok in [
            "/staff",
            "/staff/",
            "/staff/verzoeken/abc?f=1",
            "/staff?x=1",
        ] {
            assert_eq!(checked_return_to(Some(ok)), ok);
        }
        for bad in [
            "https://evil.example/staff/",
            "//evil.example/staff/",
            "/staffing",
            "/staff/../api",
            "/staff/\\evil",
            "/staff/ spatie",
            "",
        ] {
            assert_eq!(checked_return_to(Some(bad)), "/staff/", "{bad:?}");
        }
        assert_eq!(checked_return_to(None), "/staff/");
    }

    #[test]
    fn the_first_known_team_group_is_the_team_and_coordinator_the_role() {
        let rules = RoutingRules::parse(crate::routing::DEFAULT_RULES).unwrap();
        let c = on();
        let m = member_from_claims(
            &c,
            &rules,
            "s1",
            Some("Anna".into()),
            &["staff", "oost", "noord"],
        )
        .unwrap();
        assert_eq!(m.team, Some(TeamId("oost".into())));
        assert_eq!(m.role, Role::Confidant);
        assert_eq!(m.name, "Anna");
        assert!(m.id.as_str().starts_with("oidc:") && m.id.as_str().ends_with(":s1"));
        let m = member_from_claims(&c, &rules, "s2", None, &["coordinator"]).unwrap();
        assert_eq!((m.team, m.role), (None, Role::Coordinator));
        assert!(matches!(
            member_from_claims(&c, &rules, "s3", None, &["staff"]),
            Err(OidcError::NoAccess)
        ));
    }

    #[test]
    fn the_same_subject_at_another_issuer_is_another_staff_member() {
        let rules = RoutingRules::parse(crate::routing::DEFAULT_RULES).unwrap();
        let mut other = on();
        other.issuer = IssuerUrl::new("https://other.example".into()).unwrap();
        let a = member_from_claims(&on(), &rules, "s1", None, &["oost"]).unwrap();
        let b = member_from_claims(&other, &rules, "s1", None, &["oost"]).unwrap();
        assert_ne!(a.id, b.id);
    }
}
