//! Identity providers for the OIDC tests, both real: npm `oidc-provider` (the whole
//! authorization code + PKCE flow, with a login the test plays) and moto's Cognito (user
//! pools, groups and ID tokens as AWS issues them; moto has no hosted UI, so no redirect
//! flow). And a browser-like HTTP client that keeps cookies and follows no redirects, so a
//! test can look at every hop.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use aws_sdk_cognitoidentityprovider as cognito;
use cognito::types::{AttributeType, AuthFlowType, ExplicitAuthFlowsType};
use reqwest::{Response, StatusCode, Url, header};
use serde_json::{Value, json};

use crate::fixtures::{TestApp, aws_config_for, spawn_app_with};
use crate::servers::{Process, free_port, wait_for_port};

/// The client id every test provider knows.
pub const CLIENT_ID: &str = "kjr-staff";
/// Its secret.
pub const CLIENT_SECRET: &str = "test-client-secret-that-is-long-enough";

/// A test account of the provider: its groups decide team and role.
#[derive(Debug, Clone)]
pub struct TestAccount {
    /// The account id (`sub`).
    pub id: &'static str,
    /// `name`.
    pub name: &'static str,
    /// `groups`.
    pub groups: &'static [&'static str],
}

/// Where the npm tools are: `KJR_NODE_MODULES`, or the repository's `xtask/node`.
fn node_modules() -> PathBuf {
    std::env::var_os("KJR_NODE_MODULES")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../xtask/node/node_modules"))
}

/// npm `oidc-provider` on 127.0.0.1, running `tests/support/oidc_provider.mjs`.
pub struct OidcProvider {
    /// The node process.
    pub process: Process,
    /// What it was started with (to start it again).
    config: Value,
}

impl OidcProvider {
    /// Starts a provider whose one client calls back to `redirect_uri`, with `accounts`.
    pub fn start(redirect_uri: &str, accounts: &[TestAccount]) -> Self {
        let accounts: serde_json::Map<String, Value> = accounts
            .iter()
            .map(|a| {
                (
                    a.id.to_owned(),
                    json!({"name": a.name, "email": format!("{}@jeugdstem.example", a.id), "groups": a.groups}),
                )
            })
            .collect();
        let config = json!({
            "port": free_port(),
            "clientId": CLIENT_ID,
            "clientSecret": CLIENT_SECRET,
            "redirectUri": redirect_uri,
            "accounts": accounts,
        });
        Self {
            process: Self::spawn(&config),
            config,
        }
    }

    fn spawn(config: &Value) -> Process {
        let modules = node_modules();
        assert!(
            modules.join("oidc-provider").exists(),
            "{} has no oidc-provider: run `npm ci` in xtask/node or `cargo xtask test`",
            modules.display()
        );
        let port = config["port"]
            .as_u64()
            .and_then(|p| u16::try_from(p).ok())
            .expect("port");
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("support/oidc_provider.mjs");
        let mut child = Command::new("node")
            .arg(script)
            .env("KJR_OIDC_PROVIDER_CONFIG", config.to_string())
            .env("KJR_NODE_MODULES", &modules)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("could not start node (oidc-provider): {e}"));
        wait_for_port(port, &mut child, "oidc-provider");
        Process::adopt(child, port)
    }

    /// Stops it and starts it again on the same address, with a new signing key (what a
    /// key rotation looks like to its clients).
    pub fn restart_with_a_new_key(&mut self) {
        self.process.kill9();
        self.process = Self::spawn(&self.config);
    }

    /// The issuer, `http://127.0.0.1:PORT`.
    pub fn issuer(&self) -> String {
        self.process.url()
    }
}

/// The app on a port chosen before it starts (the provider must know the redirect URI),
/// signing staff in through `provider` with its `groups` claim.
pub async fn spawn_app_with_provider(
    provider: impl FnOnce(&str) -> OidcProvider,
) -> (TestApp, OidcProvider) {
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let provider = provider(&format!("{base}/api/staff/sign-in/oidc/callback"));
    let listen = format!("127.0.0.1:{port}");
    let issuer = provider.issuer();
    let app = spawn_app_with(&[
        ("KJR_LISTEN", &listen),
        ("KJR_STAFF_BASE_URL", &base),
        ("KJR_OIDC_ISSUER", &issuer),
        ("KJR_OIDC_CLIENT_ID", CLIENT_ID),
        ("KJR_OIDC_CLIENT_SECRET", CLIENT_SECRET),
        ("KJR_OIDC_ROLES_CLAIM", "groups"),
    ])
    .await;
    (app, provider)
}

/// A browser as far as cookies go: one jar per `host:port` (names only; paths and expiry
/// are not needed by these tests), no automatic redirects.
pub struct Browser {
    client: reqwest::Client,
    jar: BTreeMap<(String, String), String>,
}

impl Default for Browser {
    fn default() -> Self {
        Self::new()
    }
}

fn origin_key(url: &Url) -> String {
    format!(
        "{}:{}",
        url.host_str().unwrap_or_default(),
        url.port_or_known_default().unwrap_or(0)
    )
}

impl Browser {
    /// A browser with no cookies.
    pub fn new() -> Self {
        Self {
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("HTTP client"),
            jar: BTreeMap::new(),
        }
    }

    /// The cookie `name` it holds for the origin of `url`.
    pub fn cookie(&self, url: &str, name: &str) -> Option<&str> {
        let url = Url::parse(url).expect("URL");
        self.jar
            .get(&(origin_key(&url), name.to_owned()))
            .map(String::as_str)
    }

    /// Forgets the cookie `name` of the origin of `url` (another browser, as it were).
    pub fn forget(&mut self, url: &str, name: &str) {
        let url = Url::parse(url).expect("URL");
        self.jar.remove(&(origin_key(&url), name.to_owned()));
    }

    /// `GET url` with this browser's cookies for its origin; keeps what it sets.
    pub async fn get(&mut self, url: &str) -> Response {
        let url = Url::parse(url).unwrap_or_else(|e| panic!("{url}: {e}"));
        let origin = origin_key(&url);
        let cookies: Vec<String> = self
            .jar
            .iter()
            .filter(|((o, _), _)| *o == origin)
            .map(|((_, name), value)| format!("{name}={value}"))
            .collect();
        let mut request = self.client.get(url.clone());
        if !cookies.is_empty() {
            request = request.header(header::COOKIE, cookies.join("; "));
        }
        let response = request
            .send()
            .await
            .unwrap_or_else(|e| panic!("GET {url}: {e}"));
        for set in response.headers().get_all(header::SET_COOKIE) {
            let set = set.to_str().expect("Set-Cookie is text");
            let (pair, attributes) = set.split_once(';').unwrap_or((set, ""));
            let (name, value) = pair.split_once('=').expect("cookie name=value");
            let attributes = attributes.to_ascii_lowercase();
            let key = (origin.clone(), name.trim().to_owned());
            if value.is_empty() || attributes.contains("max-age=0") || attributes.contains("1970") {
                self.jar.remove(&key);
            } else {
                self.jar.insert(key, value.trim().to_owned());
            }
        }
        response
    }

    /// Follows `response`'s redirect (which must be a 303 or 302) once.
    pub async fn follow(&mut self, response: &Response) -> Response {
        let next = location(response);
        self.get(&next).await
    }
}

/// The absolute URL a redirect points at.
pub fn location(response: &Response) -> String {
    assert!(
        matches!(response.status(), StatusCode::SEE_OTHER | StatusCode::FOUND),
        "{} answered {} instead of a redirect",
        response.url(),
        response.status()
    );
    let raw = response.headers()[header::LOCATION]
        .to_str()
        .expect("Location is text");
    response
        .url()
        .join(raw)
        .expect("Location is a URL")
        .to_string()
}

/// The `Set-Cookie` header of `response` that sets `name`, if any.
pub fn set_cookie(response: &Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(str::to_owned)
}

/// The start of a sign-in, up to the callback URL the provider sends the browser to after
/// `account` logged in.
pub async fn sign_in_at_provider(
    browser: &mut Browser,
    app: &TestApp,
    return_to: &str,
    account: &str,
) -> String {
    let start = browser
        .get(&app.url(&format!("/api/staff/sign-in/oidc?return_to={return_to}")))
        .await;
    let authorize = browser.follow(&start).await;
    let interaction = location(&authorize);
    let logged_in = browser
        .get(&format!("{interaction}?account={account}"))
        .await;
    let resumed = browser.follow(&logged_in).await;
    let callback = location(&resumed);
    assert!(
        callback.starts_with(&app.url("/api/staff/sign-in/oidc/callback?")),
        "the provider sent the browser to {callback}"
    );
    callback
}

/// A Cognito user pool on moto with an app client, the groups and users of a test.
pub struct CognitoPool {
    /// The moto server (keeps it alive).
    pub moto: Process,
    client: cognito::Client,
    /// The pool id.
    pub pool_id: String,
    /// The app client the tokens are for.
    pub client_id: String,
}

/// The password every Cognito test user gets.
pub const COGNITO_PASSWORD: &str = "Lang-genoeg-wachtwoord-42!";

impl CognitoPool {
    /// A pool with an app client (password sign-in allowed, as moto cannot do the hosted UI)
    /// and the groups `zuid-holland` and `coordinator`.
    pub async fn create() -> Self {
        let moto = crate::servers::start_moto();
        let client = cognito::Client::new(&aws_config_for(&moto.url()).await);
        let pool_id = client
            .create_user_pool()
            .pool_name("kjr-staff")
            .send()
            .await
            .expect("CreateUserPool")
            .user_pool
            .and_then(|p| p.id)
            .expect("pool id");
        let mut pool = Self {
            moto,
            client,
            pool_id,
            client_id: String::new(),
        };
        pool.client_id = pool.app_client("kjr-staff").await;
        for group in ["zuid-holland", "coordinator"] {
            pool.client
                .create_group()
                .user_pool_id(&pool.pool_id)
                .group_name(group)
                .send()
                .await
                .expect("CreateGroup");
        }
        pool
    }

    /// Another app client of the pool; returns its id.
    pub async fn app_client(&self, name: &str) -> String {
        self.client
            .create_user_pool_client()
            .user_pool_id(&self.pool_id)
            .client_name(name)
            .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserPasswordAuth)
            .send()
            .await
            .expect("CreateUserPoolClient")
            .user_pool_client
            .and_then(|c| c.client_id)
            .expect("client id")
    }

    /// The issuer the pool's tokens carry (moto uses the real AWS address).
    pub fn issuer(&self) -> String {
        format!(
            "https://cognito-idp.eu-west-1.amazonaws.com/{}",
            self.pool_id
        )
    }

    /// Where moto serves the pool's discovery document and keys.
    pub fn discovery_url(&self) -> String {
        format!("{}/{}", self.moto.url(), self.pool_id)
    }

    /// Creates a user with a permanent password in `groups`.
    pub async fn add_user(&self, username: &str, groups: &[&str]) {
        self.client
            .admin_create_user()
            .user_pool_id(&self.pool_id)
            .username(username)
            .user_attributes(
                AttributeType::builder()
                    .name("email")
                    .value(format!("{username}@jeugdstem.example"))
                    .build()
                    .expect("attribute"),
            )
            .send()
            .await
            .expect("AdminCreateUser");
        self.client
            .admin_set_user_password()
            .user_pool_id(&self.pool_id)
            .username(username)
            .password(COGNITO_PASSWORD)
            .permanent(true)
            .send()
            .await
            .expect("AdminSetUserPassword");
        for group in groups {
            self.client
                .admin_add_user_to_group()
                .user_pool_id(&self.pool_id)
                .username(username)
                .group_name(*group)
                .send()
                .await
                .expect("AdminAddUserToGroup");
        }
    }

    /// The ID token Cognito gives `username` through `client_id` (USER_PASSWORD_AUTH).
    pub async fn id_token(&self, username: &str, client_id: &str) -> String {
        self.client
            .initiate_auth()
            .client_id(client_id)
            .auth_flow(AuthFlowType::UserPasswordAuth)
            .auth_parameters("USERNAME", username)
            .auth_parameters("PASSWORD", COGNITO_PASSWORD)
            .send()
            .await
            .expect("InitiateAuth")
            .authentication_result
            .and_then(|r| r.id_token)
            .expect("an ID token")
    }
}
