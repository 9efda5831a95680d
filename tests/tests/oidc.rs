//! Staff sign-in through an identity provider, against real ones: npm `oidc-provider` for the
//! whole authorization code + PKCE flow through the browser's redirects, and moto's Cognito
//! for ID tokens as a Cognito user pool issues them (moto has no hosted UI or authorization
//! endpoint, so the redirect flow is tested against oidc-provider only).

use kjr_api::auth::SESSION_COOKIE;
use kjr_api::auth::oidc::{Oidc, OidcConfig, OidcError, STATE_COOKIE};
use kjr_api::routing::{DEFAULT_RULES, RoutingRules};
use kjr_domain::staff::Role;
use kjr_tests::fixtures::TestApp;
use kjr_tests::oidc::{
    Browser, CognitoPool, OidcProvider, TestAccount, location, set_cookie, sign_in_at_provider,
    spawn_app_with_provider,
};
use serde_json::Value;

const ANNA: TestAccount = TestAccount {
    id: "anna",
    name: "Anna de Vries",
    groups: &["medewerkers", "zuid-holland"],
};
const BRAM: TestAccount = TestAccount {
    id: "bram",
    name: "Bram Jansen",
    groups: &["coordinator"],
};
const CEES: TestAccount = TestAccount {
    id: "cees",
    name: "Cees Bakker",
    groups: &["medewerkers"],
};

async fn app_with_provider() -> (TestApp, OidcProvider) {
    spawn_app_with_provider(|redirect| OidcProvider::start(redirect, &[ANNA, BRAM, CEES])).await
}

/// A browser that started a sign-in and logged in at the provider as `account`, and the
/// callback URL the provider sends it to.
async fn at_the_callback(account: &str) -> (TestApp, OidcProvider, Browser, String) {
    let (app, provider) = app_with_provider().await;
    let mut browser = Browser::new();
    let callback = sign_in_at_provider(&mut browser, &app, "/staff/", account).await;
    (app, provider, browser, callback)
}

/// `GET path` with the session cookie the browser holds for the app, as the staff app sends it.
async fn staff_get(app: &TestApp, browser: &Browser, path: &str) -> reqwest::Response {
    let mut request = app.request(reqwest::Method::GET, path);
    if let Some(token) = browser.cookie(&app.url("/"), SESSION_COOKIE) {
        request = request.header("cookie", format!("{SESSION_COOKIE}={token}"));
    }
    request.send().await.expect("staff call answered")
}

/// `GET /api/staff/me` as the browser.
async fn me(app: &TestApp, browser: &Browser) -> reqwest::Response {
    staff_get(app, browser, "/api/staff/me").await
}

/// Asserts that `response` sends the browser back to the staff app with `code`, and no session.
fn assert_refused(response: &reqwest::Response, code: &str) {
    assert_eq!(response.status(), 303);
    assert_eq!(
        response.headers()["location"],
        format!("/staff/?sign_in_error={code}").as_str()
    );
    assert!(
        set_cookie(response, SESSION_COOKIE).is_none(),
        "no session cookie"
    );
}

#[tokio::test]
async fn a_team_member_signs_in_through_the_provider_and_works_on_their_team() {
    let (app, _provider) = app_with_provider().await;
    let mut browser = Browser::new();

    let start = browser
        .get(&app.url("/api/staff/sign-in/oidc?return_to=/staff/verzoeken"))
        .await;
    assert_eq!(start.status(), 303);
    let cookie = set_cookie(&start, STATE_COOKIE).expect("the state cookie");
    for attribute in [
        "HttpOnly",
        "Secure",
        "SameSite=Lax",
        "Path=/api/staff/sign-in",
    ] {
        assert!(cookie.contains(attribute), "{attribute}: {cookie}");
    }
    let authorize = reqwest::Url::parse(&location(&start)).unwrap();
    let params: std::collections::HashMap<_, _> = authorize.query_pairs().into_owned().collect();
    assert_eq!(params["response_type"], "code");
    assert_eq!(params["code_challenge_method"], "S256");
    assert!(params.contains_key("nonce") && params.contains_key("state"));
    assert_eq!(params["scope"], "openid email profile");
    assert!(
        !authorize
            .as_str()
            .contains(&cookie[STATE_COOKIE.len() + 1..][..64]),
        "the browser binding is not in the URL"
    );

    // Where the person logs in at the provider.
    let authorized = browser.follow(&start).await;
    let interaction = location(&authorized);
    let logged_in = browser.get(&format!("{interaction}?account=anna")).await;
    let resumed = browser.follow(&logged_in).await;
    let callback = browser.follow(&resumed).await;

    assert_eq!(callback.status(), 303);
    assert_eq!(callback.headers()["location"], "/staff/verzoeken");
    let session = set_cookie(&callback, SESSION_COOKIE).expect("a session cookie");
    assert!(session.contains("HttpOnly") && session.contains("SameSite=Strict"));
    assert!(
        set_cookie(&callback, STATE_COOKIE).is_some_and(|c| c.contains("Max-Age=0")),
        "the state cookie is cleared"
    );

    let me = me(&app, &browser).await;
    assert_eq!(me.status(), 200);
    let me: Value = me.json().await.unwrap();
    assert_eq!(me["team"], "zuid-holland", "{me}");
    assert_eq!(me["role"], "confidant");
    assert_eq!(me["name"], "Anna de Vries");
    assert!(
        me["id"].as_str().unwrap().starts_with("oidc:")
            && me["id"].as_str().unwrap().ends_with(":anna"),
        "{me}"
    );
    // The session works like a local one: Anna sees her team's queue.
    let queue = staff_get(&app, &browser, "/api/staff/requests").await;
    assert_eq!(queue.status(), 200);
}

#[tokio::test]
async fn the_coordinator_group_gives_the_coordinator_role() {
    let (app, _provider, mut browser, callback) = at_the_callback("bram").await;
    let done = browser.get(&callback).await;
    assert_eq!(done.headers()["location"], "/staff/");
    let me: Value = me(&app, &browser).await.json().await.unwrap();
    assert_eq!(me["role"], "coordinator", "{me}");
    assert_eq!(me["team"], Value::Null);
}

#[tokio::test]
async fn someone_in_no_team_and_no_coordinator_group_gets_no_session() {
    let (app, _provider, mut browser, callback) = at_the_callback("cees").await;
    let refused = browser.get(&callback).await;
    assert_refused(&refused, "no_access");
    assert_eq!(me(&app, &browser).await.status(), 401);
    assert!(
        app.store
            .staff_directory()
            .await
            .unwrap()
            .iter()
            .all(|m| !m.id.as_str().ends_with(":cees")),
        "not added to the directory"
    );
}

#[tokio::test]
async fn someone_who_cancels_at_the_provider_comes_back_without_a_session() {
    let (app, _provider) = app_with_provider().await;
    let mut browser = Browser::new();
    let start = browser.get(&app.url("/api/staff/sign-in/oidc")).await;
    let authorized = browser.follow(&start).await;
    let cancelled = browser
        .get(&format!("{}?cancel", location(&authorized)))
        .await;
    let resumed = browser.follow(&cancelled).await;
    let callback = location(&resumed);
    assert!(callback.contains("error=access_denied"), "{callback}");
    assert_refused(&browser.get(&callback).await, "oidc");
    assert_eq!(me(&app, &browser).await.status(), 401);
}

#[tokio::test]
async fn a_tampered_state_is_refused() {
    let (app, _provider, mut browser, callback) = at_the_callback("anna").await;
    let mut url = reqwest::Url::parse(&callback).unwrap();
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .map(|(k, v)| {
            let v = if k == "state" {
                format!("{v}x")
            } else {
                v.into_owned()
            };
            (k.into_owned(), v)
        })
        .collect();
    url.query_pairs_mut().clear().extend_pairs(pairs);
    let refused = browser.get(url.as_str()).await;
    assert_refused(&refused, "oidc");
    assert_eq!(me(&app, &browser).await.status(), 401);
}

#[tokio::test]
async fn a_replayed_callback_is_refused() {
    let (app, _provider, mut browser, callback) = at_the_callback("anna").await;
    let first = browser.get(&callback).await;
    assert!(set_cookie(&first, SESSION_COOKIE).is_some());
    assert_eq!(me(&app, &browser).await.status(), 200);
    let mut replayer = Browser::new();
    let again = replayer.get(&callback).await;
    assert_refused(&again, "oidc");
    // Even with the binding cookie of the first browser.
    let again = browser.get(&callback).await;
    assert_refused(&again, "oidc");
}

#[tokio::test]
async fn a_callback_in_another_browser_is_refused_and_spends_the_state() {
    let (app, _provider, mut browser, callback) = at_the_callback("anna").await;
    // A link with someone else's code and state, opened where no sign-in was started.
    let mut other = Browser::new();
    assert_refused(&other.get(&callback).await, "oidc");
    assert_eq!(me(&app, &other).await.status(), 401);
    // The state is spent: the person who started cannot finish with it either.
    assert_refused(&browser.get(&callback).await, "oidc");
}

#[tokio::test]
async fn a_new_signing_key_of_the_provider_is_fetched_when_a_token_carries_it() {
    let (app, mut provider) = app_with_provider().await;
    let mut browser = Browser::new();
    let callback = sign_in_at_provider(&mut browser, &app, "/staff/", "anna").await;
    assert!(set_cookie(&browser.get(&callback).await, SESSION_COOKIE).is_some());

    // The app has the old key cached (for an hour) when the provider rotates.
    provider.restart_with_a_new_key();
    tokio::time::sleep(std::time::Duration::from_secs(6)).await;
    let mut browser = Browser::new();
    let callback = sign_in_at_provider(&mut browser, &app, "/staff/", "anna").await;
    let done = browser.get(&callback).await;
    assert_eq!(done.headers()["location"], "/staff/");
    assert!(set_cookie(&done, SESSION_COOKIE).is_some());
}

#[tokio::test]
async fn return_to_outside_the_staff_app_goes_to_its_start() {
    let (app, _provider) = app_with_provider().await;
    for bad in [
        "https://evil.example/staff/",
        "//evil.example/staff",
        "/staffing",
        "/staff/../api/requests",
        "/",
    ] {
        let mut browser = Browser::new();
        let encoded: String = url_encode(bad);
        let callback = sign_in_at_provider(&mut browser, &app, &encoded, "anna").await;
        let done = browser.get(&callback).await;
        assert_eq!(done.headers()["location"], "/staff/", "{bad}");
    }
}

fn url_encode(raw: &str) -> String {
    raw.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn the_sign_in_options_offer_the_provider_beside_local_accounts() {
    let (app, _provider) = app_with_provider().await;
    let options: Value = app
        .get("/api/staff/sign-in/options")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        options,
        serde_json::json!({"local": true, "oidc": {"label": "Inloggen met je Jeugdstem-account"}})
    );
    // A local account signs in as before.
    let user = app
        .add_staff("lokaal@jeugdstem.example", "noord", Role::Confidant)
        .await;
    let session = app.sign_in(&user).await;
    assert_eq!(session.me.team.unwrap().as_str(), "noord");
}

#[tokio::test]
async fn without_a_provider_there_is_no_oidc_sign_in() {
    let app = kjr_tests::fixtures::spawn_app().await;
    let options: Value = app
        .get("/api/staff/sign-in/options")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(options, serde_json::json!({"local": true, "oidc": null}));
    assert_eq!(app.get("/api/staff/sign-in/oidc").await.status(), 404);
}

#[tokio::test]
async fn an_unreachable_provider_sends_the_browser_back_with_an_error() {
    let port = kjr_tests::servers::free_port();
    let issuer = format!("http://127.0.0.1:{port}");
    let app = kjr_tests::fixtures::spawn_app_with(&[
        ("KJR_OIDC_ISSUER", &issuer),
        ("KJR_OIDC_CLIENT_ID", "kjr-staff"),
    ])
    .await;
    let mut browser = Browser::new();
    let start = browser.get(&app.url("/api/staff/sign-in/oidc")).await;
    assert_refused(&start, "oidc");
}

// ------------------------------------------------------------------ Cognito (moto)

/// The server's OIDC configured for `pool`'s `client_id`, expecting `issuer` (the pool's own
/// when `None`), as the environment would configure it.
fn cognito_oidc_expecting(pool: &CognitoPool, client_id: &str, issuer: Option<&str>) -> Oidc {
    let env = [
        (
            "KJR_OIDC_ISSUER",
            issuer.map_or_else(|| pool.issuer(), str::to_owned),
        ),
        ("KJR_OIDC_DISCOVERY_URL", pool.discovery_url()),
        ("KJR_OIDC_CLIENT_ID", client_id.to_owned()),
    ];
    let config = OidcConfig::from_lookup(&|k: &str| {
        env.iter().find(|(n, _)| *n == k).map(|(_, v)| v.clone())
    })
    .unwrap()
    .expect("OIDC is configured");
    assert_eq!(config.roles_claim, "cognito:groups", "the default");
    Oidc::new(config, "https://portaal.example").unwrap()
}

fn cognito_oidc(pool: &CognitoPool, client_id: &str) -> Oidc {
    cognito_oidc_expecting(pool, client_id, None)
}

fn rules() -> RoutingRules {
    RoutingRules::parse(DEFAULT_RULES).unwrap()
}

#[tokio::test]
async fn a_cognito_id_token_maps_its_groups_to_team_and_role() {
    let pool = CognitoPool::create().await;
    pool.add_user("anna", &["zuid-holland"]).await;
    pool.add_user("bram", &["coordinator"]).await;
    let oidc = cognito_oidc(&pool, &pool.client_id);

    let token = pool.id_token("anna", &pool.client_id).await;
    let anna = oidc.verify_id_token(&token, None, &rules()).await.unwrap();
    assert_eq!(anna.team.as_ref().map(|t| t.as_str()), Some("zuid-holland"));
    assert_eq!(anna.role, Role::Confidant);
    assert_eq!(anna.name, "anna", "cognito:username when there is no name");
    assert!(anna.id.as_str().starts_with("oidc:"));

    let token = pool.id_token("bram", &pool.client_id).await;
    let bram = oidc.verify_id_token(&token, None, &rules()).await.unwrap();
    assert_eq!(bram.role, Role::Coordinator);
    assert_eq!(bram.team, None);
}

#[tokio::test]
async fn a_cognito_user_without_a_team_group_is_refused() {
    let pool = CognitoPool::create().await;
    pool.add_user("cees", &[]).await;
    let oidc = cognito_oidc(&pool, &pool.client_id);
    let token = pool.id_token("cees", &pool.client_id).await;
    assert!(matches!(
        oidc.verify_id_token(&token, None, &rules()).await,
        Err(OidcError::NoAccess)
    ));
}

#[tokio::test]
async fn a_cognito_token_for_another_app_client_is_refused() {
    let pool = CognitoPool::create().await;
    pool.add_user("anna", &["zuid-holland"]).await;
    let other_client = pool.app_client("another-app").await;
    let token = pool.id_token("anna", &other_client).await;
    let oidc = cognito_oidc(&pool, &pool.client_id);
    let refused = oidc.verify_id_token(&token, None, &rules()).await;
    assert!(
        matches!(&refused, Err(OidcError::InvalidToken(why)) if why.contains("audience")),
        "{refused:?}"
    );
}

#[tokio::test]
async fn a_cognito_token_with_a_forged_payload_or_signature_is_refused() {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let pool = CognitoPool::create().await;
    pool.add_user("anna", &["zuid-holland"]).await;
    let oidc = cognito_oidc(&pool, &pool.client_id);
    let token = pool.id_token("anna", &pool.client_id).await;
    let parts: Vec<&str> = token.split('.').collect();

    // Anna makes herself coordinator, keeping Cognito's signature.
    let mut claims: Value = serde_json::from_slice(&b64.decode(parts[1]).unwrap()).unwrap();
    claims["cognito:groups"] = serde_json::json!(["zuid-holland", "coordinator"]);
    let forged = format!(
        "{}.{}.{}",
        parts[0],
        b64.encode(claims.to_string()),
        parts[2]
    );
    let refused = oidc.verify_id_token(&forged, None, &rules()).await;
    assert!(
        matches!(&refused, Err(OidcError::InvalidToken(why)) if why.contains("ignature")),
        "{refused:?}"
    );

    // A signature that is not Cognito's.
    let mut signature = b64.decode(parts[2]).unwrap();
    signature[0] ^= 0xff;
    let bad = format!("{}.{}.{}", parts[0], parts[1], b64.encode(signature));
    assert!(matches!(
        oidc.verify_id_token(&bad, None, &rules()).await,
        Err(OidcError::InvalidToken(_))
    ));

    // The untouched token verifies (so the refusals above are about the changes).
    assert!(oidc.verify_id_token(&token, None, &rules()).await.is_ok());
}

#[tokio::test]
async fn a_cognito_token_from_another_issuer_is_refused() {
    let pool = CognitoPool::create().await;
    pool.add_user("anna", &["zuid-holland"]).await;
    let token = pool.id_token("anna", &pool.client_id).await;
    let oidc = cognito_oidc_expecting(
        &pool,
        &pool.client_id,
        Some("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_another"),
    );
    let refused = oidc.verify_id_token(&token, None, &rules()).await;
    assert!(
        matches!(&refused, Err(OidcError::InvalidToken(why)) if why.contains("ssuer")),
        "{refused:?}"
    );
}

#[test]
fn the_template_has_a_cognito_group_for_every_team_and_for_coordinators() {
    let template = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../infra/template.yaml"
    ))
    .expect("infra/template.yaml");
    let groups: std::collections::BTreeSet<String> = template
        .lines()
        .filter_map(|l| l.trim().strip_prefix("GroupName: "))
        .map(str::to_owned)
        .collect();
    let mut expected: std::collections::BTreeSet<String> = rules()
        .teams()
        .iter()
        .map(|t| t.id.as_str().to_owned())
        .collect();
    expected.insert("coordinator".into());
    assert_eq!(groups, expected);
}
