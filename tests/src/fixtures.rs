//! Test data and the in-process app (`spawn_app`, after zero-to-production's helper).

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

use kjr_api::config::Config;
use kjr_api::startup::Application;
use kjr_api::store::Store;
use kjr_domain::ApiErrorBody;
use reqwest::{Method, Response};
use serde_json::{Value, json};

/// A complete, valid request body from a 12+ child who is not safe now.
pub fn urgent_child_body() -> Value {
    json!({
        "asker": "child",
        "age_band": "12_17",
        "topics": ["home", "not_heard"],
        "message": "Ik wil met iemand praten. <script>alert('x')</script>",
        "nickname": "Sam",
        "has_trusted_person": false,
        "channel": "whatsapp",
        "contact": "06 12345678",
        "contact_times": ["afternoon"],
        "may_leave_message": false,
        "never_via_foster_parents": true,
        "safe_now": "no",
        "municipality": "Vlaardingen"
    })
}

/// A complete, valid request body from a foster parent, for themself.
pub fn foster_parent_body() -> Value {
    json!({
        "asker": "foster_parent",
        "topics": ["worker"],
        "has_trusted_person": true,
        "channel": "email",
        "contact": "pleegouder@voorbeeld.nl",
        "contact_times": ["evening"],
        "may_leave_message": true,
        "safe_now": "yes",
        "municipality": "Groningen"
    })
}

/// A fresh idempotency key.
pub fn new_key() -> String {
    kjr_domain::IdempotencyKey::from_random(kjr_api::ids::random_bytes())
        .as_str()
        .to_owned()
}

/// The app running in this process on a free port, with SQLite in a temp dir.
pub struct TestApp {
    /// Where it listens.
    pub addr: SocketAddr,
    /// Its store, for assertions.
    pub store: Arc<dyn Store>,
    /// The SQLite file.
    pub db_path: PathBuf,
    /// The operations listener (metrics), unless the test turned it off.
    pub admin_addr: Option<SocketAddr>,
    /// One client for every request a test sends, as a browser keeps one.
    client: reqwest::Client,
    _dir: tempfile::TempDir,
}

/// Where people send their requests.
const REQUESTS_PATH: &str = "/api/requests";

impl TestApp {
    /// `http://addr`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// A request to `path`, to add what a test needs (headers) before sending it.
    pub fn request(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        self.client.request(method, self.url(path))
    }

    /// `GET path`.
    pub async fn get(&self, path: &str) -> Response {
        self.send(Method::GET, path, None).await
    }

    /// `method path`; a `body` goes as JSON with a fresh idempotency key, as the app sends it.
    pub async fn send(&self, method: Method, path: &str, body: Option<String>) -> Response {
        let request = self.request(method, path);
        match body {
            Some(body) => sent_as_json(request, body, &new_key(), path).await,
            None => sent(request, path).await,
        }
    }

    /// Posts `body` to `/api/requests` as JSON with a fresh idempotency key.
    pub async fn post_request(&self, body: &Value) -> Response {
        self.post_request_with_key(body, &new_key()).await
    }

    /// As [`TestApp::post_request`], with the idempotency key `key` (to send one again).
    pub async fn post_request_with_key(&self, body: &Value, key: &str) -> Response {
        let request = self.request(Method::POST, REQUESTS_PATH);
        sent_as_json(request, body.to_string(), key, REQUESTS_PATH).await
    }

    /// As [`TestApp::post_request`], from the local address `ip` (such as 127.0.0.2): another
    /// client as the rate limits see it.
    pub async fn post_request_from(&self, ip: impl Into<IpAddr>, body: &Value) -> Response {
        let client = reqwest::Client::builder()
            .local_address(ip.into())
            .build()
            .expect("client with a local address");
        let request = client.post(self.url(REQUESTS_PATH));
        sent_as_json(request, body.to_string(), &new_key(), REQUESTS_PATH).await
    }

    /// Posts `body` to `/api/requests` as it is, as `content_type`, with `key` as its
    /// idempotency key if there is one: for requests the app would not send.
    pub async fn post_raw(
        &self,
        body: impl Into<reqwest::Body>,
        key: Option<&str>,
        content_type: &str,
    ) -> Response {
        let mut request = self
            .request(Method::POST, REQUESTS_PATH)
            .header("content-type", content_type)
            .body(body);
        if let Some(key) = key {
            request = request.header("idempotency-key", key);
        }
        sent(request, REQUESTS_PATH).await
    }
}

/// Sends `request` with `body` as JSON and `key` as its idempotency key, as the app does.
async fn sent_as_json(
    request: reqwest::RequestBuilder,
    body: String,
    key: &str,
    path: &str,
) -> Response {
    let request = request
        .header("content-type", "application/json")
        .header("idempotency-key", key)
        .body(body);
    sent(request, path).await
}

/// Sends `request`; a test cannot go on without the answer.
async fn sent(request: reqwest::RequestBuilder, path: &str) -> Response {
    request
        .send()
        .await
        .unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The API's JSON error body of `response`.
pub async fn api_error(response: Response) -> ApiErrorBody {
    response.json().await.expect("error body is JSON")
}

/// Starts the app on 127.0.0.1:0 with SQLite and log-only notifications.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(&[]).await
}

/// Rate limits so high that no test of anything else reaches them.
pub const NO_RATE_LIMITS: &[(&str, &str)] = &[
    ("KJR_RATE_LIMIT_PER_CLIENT", "1000000"),
    ("KJR_RATE_LIMIT_TOTAL", "1000000"),
];

/// As [`spawn_app`], with extra configuration (which wins over the defaults here).
pub async fn spawn_app_with(env: &[(&str, &str)]) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let db_path = dir.path().join("kjr.sqlite3");
    let db = db_path.display().to_string();
    let static_dir =
        std::env::var("KJR_SITE_DIR").unwrap_or_else(|_| dir.path().display().to_string());
    let config = Config::from_lookup(|k| {
        if let Some((_, v)) = env
            .iter()
            .chain(NO_RATE_LIMITS)
            .find(|(name, _)| *name == k)
        {
            return Some((*v).to_owned());
        }
        match k {
            "KJR_LISTEN" => Some("127.0.0.1:0".into()),
            "KJR_ADMIN_LISTEN" => Some("127.0.0.1:0".into()),
            "KJR_SQLITE_PATH" => Some(db.clone()),
            "KJR_STATIC_DIR" => Some(static_dir.clone()),
            _ => None,
        }
    })
    .expect("config");
    let app = Application::build(config).await.expect("app builds");
    let addr = app.local_addr().expect("bound");
    let admin_addr = app.admin_addr();
    let store = app.store();
    tokio::spawn(app.run());
    TestApp {
        addr,
        store,
        db_path,
        admin_addr,
        client: reqwest::Client::new(),
        _dir: dir,
    }
}

/// A validated request from a JSON body.
pub fn request_from(body: &Value) -> kjr_domain::ConfidantRequest {
    let Value::Object(map) = body.clone() else {
        panic!("body must be an object")
    };
    kjr_domain::RequestDraft::parse_json_object(map).expect("fixture is valid")
}

/// A new request ready for [`Store::create`], received at `received_at`.
pub fn new_request(body: &Value, received_at: i64) -> kjr_api::store::NewRequest {
    use kjr_api::ids::{Timestamp, random_bytes};
    kjr_api::store::NewRequest {
        id: kjr_api::ids::new_request_id(),
        reference: kjr_domain::Reference::from_random(random_bytes()),
        idempotency_key: kjr_domain::IdempotencyKey::from_random(random_bytes()),
        request: request_from(body),
        received_at: Timestamp(received_at),
        expires_at: Timestamp(received_at).plus_days(365),
        due_at: Timestamp(received_at).plus_seconds(48 * 3600),
        code_hash: None,
    }
}

/// A DynamoDB client for a moto server at `endpoint`.
pub async fn dynamo_client(endpoint: &str) -> aws_sdk_dynamodb::Client {
    aws_sdk_dynamodb::Client::new(&aws_config_for(endpoint).await)
}

/// AWS SDK configuration pointing at a local endpoint with dummy credentials.
pub async fn aws_config_for(endpoint: &str) -> aws_config::SdkConfig {
    aws_config::defaults(aws_config::BehaviorVersion::latest())
        .endpoint_url(endpoint)
        .region(aws_config::Region::new("eu-west-1"))
        .credentials_provider(aws_sdk_dynamodb::config::Credentials::new(
            "testing", "testing", None, None, "tests",
        ))
        .load()
        .await
}

/// A fresh table on moto, created as the template creates it.
pub async fn dynamo_store(endpoint: &str) -> kjr_api::store::DynamoStore {
    let table = format!("kjr-test-{}", kjr_api::ids::new_request_id());
    let store = kjr_api::store::DynamoStore::new(dynamo_client(endpoint).await, table);
    store.create_table().await.expect("create table on moto");
    store
}

/// Posts `body` to `<base_url>/api/requests` as JSON with a fresh idempotency key: for a
/// server that is not a [`TestApp`], such as a `kjr-server` process.
pub async fn post_request_to(base_url: &str, body: &Value) -> Response {
    let request = reqwest::Client::new().post(format!("{base_url}{REQUESTS_PATH}"));
    sent_as_json(request, body.to_string(), &new_key(), REQUESTS_PATH).await
}

/// Local-server settings that send notifications to plain SMTP on 127.0.0.1:`port`.
pub fn smtp_env(port: u16) -> Vec<(&'static str, String)> {
    vec![
        ("KJR_NOTIFY", "smtp".to_owned()),
        ("KJR_SMTP_HOST", "127.0.0.1".to_owned()),
        ("KJR_SMTP_PORT", port.to_string()),
        ("KJR_SMTP_SECURITY", "none".to_owned()),
        ("KJR_MAIL_FROM", "meldingen@jeugdstem.example".to_owned()),
    ]
}

/// Every mail moto's SES has accepted, from its `/moto-api/data.json`.
pub async fn moto_ses_messages(moto_url: &str) -> Vec<Value> {
    let data: Value = reqwest::get(format!("{moto_url}/moto-api/data.json"))
        .await
        .expect("moto answers")
        .json()
        .await
        .expect("moto data is JSON");
    data["ses"]["Message"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}
