//! The Lambda binaries, run for real under a Lambda Runtime API emulator, with real
//! API Gateway HTTP API v2 and DynamoDB stream events, against moto (DynamoDB, Streams, SES).

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use kjr_api::store::{Queue, Status, Store};
use kjr_tests::fixtures::{
    aws_config_for, dynamo_store, moto_ses_messages, new_key, urgent_child_body,
};
use kjr_tests::lambda_runtime::{Outcome, RuntimeApi};
use kjr_tests::servers::{start_moto, venv};
use serde_json::{Value, json};

const SENDER: &str = "meldingen@jeugdstem.example";

fn lambda_bin(name: &str) -> PathBuf {
    let server = kjr_tests::servers::server_bin();
    let bin = server.with_file_name(name);
    assert!(
        bin.exists(),
        "{} is missing: build it with `cargo build -p kjr-api`",
        bin.display()
    );
    bin
}

/// Kills the function process when the test ends; keeps what it wrote to standard output
/// (where Lambda's Embedded Metric Format lines go).
struct Function {
    child: Child,
    stdout: tempfile::NamedTempFile,
}

impl Function {
    /// The Embedded Metric Format records the function wrote so far.
    fn metric_records(&self) -> Vec<Value> {
        std::fs::read_to_string(self.stdout.path())
            .unwrap_or_default()
            .lines()
            .filter_map(|l| serde_json::from_str::<Value>(l).ok())
            .filter(|v| v.get("_aws").is_some())
            .collect()
    }
}

impl Drop for Function {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_function(name: &str, runtime: &RuntimeApi, moto: &str, table: &str) -> Function {
    let stdout = tempfile::NamedTempFile::new().expect("stdout file");
    let child = Command::new(lambda_bin(name))
        .env_clear()
        .env("AWS_LAMBDA_RUNTIME_API", &runtime.address)
        .env("AWS_LAMBDA_FUNCTION_NAME", name)
        .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "256")
        .env("AWS_LAMBDA_LOG_GROUP_NAME", "/kjr/test")
        .env("AWS_LAMBDA_LOG_STREAM_NAME", "test")
        .env("AWS_REGION", "eu-west-1")
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_ENDPOINT_URL", moto)
        .env("KJR_STORE", "dynamodb")
        .env("KJR_TABLE_NAME", table)
        .env("KJR_NOTIFY", "ses")
        .env("KJR_MAIL_FROM", SENDER)
        .env("KJR_STAFF_BASE_URL", "https://portal.example")
        .env("KJR_METRICS_NAMESPACE", "KenJeRechten/test")
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(stdout.reopen().expect("stdout file"))
        .spawn()
        .unwrap_or_else(|e| panic!("start {name}: {e}"));
    Function { child, stdout }
}

/// An API Gateway HTTP API (payload format 2.0) event, as AWS sends it.
fn http_api_event(method: &str, path: &str, headers: Value, body: Option<String>) -> Value {
    json!({
        "version": "2.0",
        "routeKey": "ANY /api/{proxy+}",
        "rawPath": path,
        "rawQueryString": "",
        "headers": headers,
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "r3pmxmplak",
            "domainName": "r3pmxmplak.execute-api.eu-west-1.amazonaws.com",
            "domainPrefix": "r3pmxmplak",
            "http": {
                "method": method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": "203.0.113.10",
                "userAgent": "Mozilla/5.0 (Linux; Android 13)"
            },
            "requestId": "JKJaXmPLvHcESHA=",
            "routeKey": "ANY /api/{proxy+}",
            "stage": "$default",
            "time": "24/Nov/2026:10:00:00 +0000",
            "timeEpoch": 1795514400000i64
        },
        "pathParameters": { "proxy": path.trim_start_matches("/api/") },
        "body": body,
        "isBase64Encoded": false
    })
}

/// Makes the notification sender a verified SES identity on moto (as deploying does).
async fn verify_sender(moto: &str) {
    aws_sdk_sesv2::Client::new(&aws_config_for(moto).await)
        .create_email_identity()
        .email_identity(SENDER)
        .send()
        .await
        .expect("sender identity on moto");
}

fn response_of(outcome: Outcome) -> Value {
    match outcome {
        Outcome::Response(v) => v,
        Outcome::Error(e) => panic!("the function failed: {e}"),
    }
}

#[tokio::test]
async fn api_lambda_stores_a_request_from_an_http_api_v2_event() {
    let moto = start_moto();
    let store = dynamo_store(&moto.url()).await;
    let mut runtime = RuntimeApi::start().await;
    let _f = start_function("kjr-lambda-api", &runtime, &moto.url(), store.table_name());

    let headers = json!({
        "content-type": "application/json",
        "idempotency-key": new_key(),
        "host": "r3pmxmplak.execute-api.eu-west-1.amazonaws.com",
        "x-forwarded-for": "203.0.113.10",
        "x-forwarded-proto": "https"
    });
    let event = http_api_event(
        "POST",
        "/api/requests",
        headers.clone(),
        Some(urgent_child_body().to_string()),
    );
    let answer = response_of(runtime.invoke(&event).await);
    assert_eq!(answer["statusCode"], 201, "{answer}");
    let body: Value = serde_json::from_str(answer["body"].as_str().unwrap()).unwrap();
    assert!(body["reference"].as_str().unwrap().starts_with("KJR-"));
    assert_eq!(store.count().await.unwrap(), 1);

    // The same event again (a retry): same answer, still one request.
    let again = response_of(runtime.invoke(&event).await);
    assert_eq!(again["statusCode"], 201);
    let again_body: Value = serde_json::from_str(again["body"].as_str().unwrap()).unwrap();
    assert_eq!(again_body["reference"], body["reference"]);
    assert_eq!(store.count().await.unwrap(), 1);

    // One accepted request in the metrics (the replay is not counted), and no personal data
    // or reference in what the function wrote.
    let accepted: Vec<Value> = _f
        .metric_records()
        .into_iter()
        .filter_map(|r| r.get("RequestsAccepted").cloned())
        .collect();
    assert_eq!(accepted, vec![json!(1)]);
    let written = std::fs::read_to_string(_f.stdout.path()).unwrap();
    let reference = body["reference"].as_str().unwrap();
    assert!(
        !written.contains(reference) && !written.contains("06 12345678"),
        "{written}"
    );
}

#[tokio::test]
async fn api_lambda_answers_bad_input_with_a_dutch_error_and_stores_nothing() {
    let moto = start_moto();
    let store = dynamo_store(&moto.url()).await;
    let mut runtime = RuntimeApi::start().await;
    let _f = start_function("kjr-lambda-api", &runtime, &moto.url(), store.table_name());

    let headers = json!({ "content-type": "application/json", "idempotency-key": new_key() });
    let event = http_api_event("POST", "/api/requests", headers, Some("{\"asker\":".into()));
    let answer = response_of(runtime.invoke(&event).await);
    assert_eq!(answer["statusCode"], 400);
    assert!(
        answer["body"]
            .as_str()
            .unwrap()
            .contains("geen geldig JSON-object")
    );

    let health = response_of(
        runtime
            .invoke(&http_api_event("GET", "/api/health", json!({}), None))
            .await,
    );
    assert_eq!(health["statusCode"], 200);
    assert_eq!(store.count().await.unwrap(), 0);
}

#[tokio::test]
async fn router_lambda_routes_stream_inserts_and_notifies_the_team_through_ses() {
    let moto = start_moto();
    let store = dynamo_store(&moto.url()).await;
    let table = store.table_name().to_owned();
    verify_sender(&moto.url()).await;

    // A request arrives through the API Lambda.
    let mut api_runtime = RuntimeApi::start().await;
    let api = start_function("kjr-lambda-api", &api_runtime, &moto.url(), &table);
    let headers = json!({ "content-type": "application/json", "idempotency-key": new_key() });
    let created = response_of(
        api_runtime
            .invoke(&http_api_event(
                "POST",
                "/api/requests",
                headers,
                Some(urgent_child_body().to_string()),
            ))
            .await,
    );
    assert_eq!(created["statusCode"], 201);
    let reference =
        serde_json::from_str::<Value>(created["body"].as_str().unwrap()).unwrap()["reference"]
            .as_str()
            .unwrap()
            .to_owned();
    drop(api);

    // The table's stream, as Lambda would deliver it to the router.
    let event = stream_event(&moto.url(), &table);
    let records = event["Records"].as_array().unwrap();
    assert_eq!(
        records.len(),
        4,
        "request, its first audit event, idempotency and reference items"
    );
    assert!(records.iter().all(|r| r["eventName"] == "INSERT"));

    let mut router_runtime = RuntimeApi::start().await;
    let _router = start_function("kjr-lambda-router", &router_runtime, &moto.url(), &table);
    let answer = response_of(router_runtime.invoke(&event).await);
    assert_eq!(answer["batchItemFailures"], json!([]), "{answer}");

    let queue = store
        .routed_queue(&kjr_api::ids::TeamId("zuid-holland".into()))
        .await
        .unwrap();
    assert_eq!(queue.len(), 1);
    assert_eq!(queue[0].queue, Queue::Urgent);
    assert_eq!(queue[0].reference.as_str(), reference);

    // The notification: reference, team, urgency and link; none of the child's words or number.
    let messages = moto_ses_messages(&moto.url()).await;
    assert_eq!(messages.len(), 1, "{messages:?}");
    let mail = messages[0].to_string();
    assert!(mail.contains(&reference));
    assert!(mail.contains("SPOED"));
    assert!(mail.contains("team-zuid-holland@jeugdstem.example"));
    assert!(mail.contains("https://portal.example/staff/requests/"));
    for secret in ["Sam", "612345678", "praten", "Vlaardingen"] {
        assert!(
            !mail.contains(secret),
            "notification leaks {secret:?}: {mail}"
        );
    }

    // Delivered twice (Lambda retries): routed once, no second mail.
    let answer = response_of(router_runtime.invoke(&event).await);
    assert_eq!(answer["batchItemFailures"], json!([]));
    assert_eq!(moto_ses_messages(&moto.url()).await.len(), 1);
}

/// A JSON `POST` through the API function, with a fresh idempotency key; its answer.
async fn post_event(runtime: &mut RuntimeApi, path: &str, body: &Value) -> Value {
    let headers = json!({ "content-type": "application/json", "idempotency-key": new_key() });
    response_of(
        runtime
            .invoke(&http_api_event(
                "POST",
                path,
                headers,
                Some(body.to_string()),
            ))
            .await,
    )
}

/// The table's stream from its start, as Lambda would deliver it to the router.
fn stream_event(moto: &str, table: &str) -> Value {
    let out = Command::new(venv().join("bin/python"))
        .arg(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("support/stream_event.py"))
        .args([moto, table])
        .output()
        .expect("read the stream");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("event JSON")
}

#[tokio::test]
async fn a_message_written_on_the_website_reaches_the_team_as_a_mail_without_its_content() {
    let moto = start_moto();
    let store = dynamo_store(&moto.url()).await;
    let table = store.table_name().to_owned();
    verify_sender(&moto.url()).await;
    let mut api_runtime = RuntimeApi::start().await;
    let _api = start_function("kjr-lambda-api", &api_runtime, &moto.url(), &table);
    let mut body = urgent_child_body();
    body["channel"] = "on_website".into();
    for field in ["contact", "contact_times", "may_leave_message"] {
        body.as_object_mut().unwrap().remove(field);
    }
    let created = post_event(&mut api_runtime, "/api/requests", &body).await;
    assert_eq!(created["statusCode"], 201, "{created}");
    let receipt: Value = serde_json::from_str(created["body"].as_str().unwrap()).unwrap();
    let reference = receipt["reference"].as_str().unwrap().to_owned();
    let words = receipt["code_words"]
        .as_str()
        .expect("code words")
        .to_owned();

    let mut router_runtime = RuntimeApi::start().await;
    let _router = start_function("kjr-lambda-router", &router_runtime, &moto.url(), &table);
    let answer = response_of(
        router_runtime
            .invoke(&stream_event(&moto.url(), &table))
            .await,
    );
    assert_eq!(answer["batchItemFailures"], json!([]), "{answer}");
    assert_eq!(moto_ses_messages(&moto.url()).await.len(), 1);

    let text = "Ik durf het niet te zeggen thuis.";
    let written = post_event(
        &mut api_runtime,
        "/api/conversations/messages",
        &json!({"reference": reference, "code_words": words, "text": text}),
    )
    .await;
    assert_eq!(written["statusCode"], 201, "{written}");

    // The stream now has the change of the request item, without `notified_at`.
    let event = stream_event(&moto.url(), &table);
    assert!(
        event["Records"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["eventName"] == "MODIFY"),
        "{event}"
    );
    let answer = response_of(router_runtime.invoke(&event).await);
    assert_eq!(answer["batchItemFailures"], json!([]), "{answer}");
    let messages = moto_ses_messages(&moto.url()).await;
    assert_eq!(
        messages.len(),
        2,
        "one more mail, for the message: {messages:?}"
    );
    let mail = messages
        .iter()
        .map(Value::to_string)
        .find(|m| m.contains("Nieuw bericht"))
        .expect("a mail about the new message");
    assert!(mail.contains(&reference));
    for secret in [text, "durf", words.as_str(), "Sam"] {
        assert!(!mail.contains(secret), "the mail leaks {secret:?}: {mail}");
    }
    // Delivered again: no third mail.
    let answer = response_of(router_runtime.invoke(&event).await);
    assert_eq!(answer["batchItemFailures"], json!([]));
    assert_eq!(moto_ses_messages(&moto.url()).await.len(), 2);
}

#[tokio::test]
async fn router_lambda_reports_a_failed_record_for_retry() {
    let moto = start_moto();
    let store = dynamo_store(&moto.url()).await;
    let table = store.table_name().to_owned();
    // No SES identity: sending fails, so the record must come back as a batch item failure.
    let new = kjr_tests::fixtures::new_request(&urgent_child_body(), 10);
    store.create(new.clone()).await.unwrap();
    let event = json!({ "Records": [{
        "eventID": "1", "eventName": "INSERT", "eventVersion": "1.1", "eventSource": "aws:dynamodb",
        "awsRegion": "eu-west-1",
        "eventSourceARN": format!("arn:aws:dynamodb:eu-west-1:123456789012:table/{table}/stream/2026-11-24T00:00:00.000"),
        "dynamodb": {
            "ApproximateCreationDateTime": 1795514400.0,
            "Keys": { "pk": { "S": format!("REQ#{}", new.id) }, "sk": { "S": "REQ" } },
            "NewImage": { "pk": { "S": format!("REQ#{}", new.id) }, "sk": { "S": "REQ" } },
            "SequenceNumber": "111", "SizeBytes": 26, "StreamViewType": "NEW_IMAGE"
        }
    }]});
    let mut runtime = RuntimeApi::start().await;
    let _router = start_function("kjr-lambda-router", &runtime, &moto.url(), &table);
    let answer = response_of(runtime.invoke(&event).await);
    assert_eq!(
        answer["batchItemFailures"],
        json!([{ "itemIdentifier": "111" }]),
        "{answer}"
    );
    // The routing itself was recorded; only the notification is retried.
    let stored = store.get(&new.id).await.unwrap().unwrap();
    assert_eq!(stored.status, Status::Routed);
    assert_eq!(stored.routing.unwrap().team.as_str(), "zuid-holland");
    assert!(stored.notified_at.is_none());
    assert_eq!(store.pending_jobs().await.unwrap(), vec![new.id.clone()]);

    // Later the sender is verified; the scheduled sweep finishes the job.
    verify_sender(&moto.url()).await;
    let report = response_of(runtime.invoke(&json!({ "sweep": true })).await);
    assert_eq!(report, json!({ "finished": 1, "failed": 0 }));

    // What the alarms watch, as Embedded Metric Format lines: the routing, the failed
    // notification, and after the sweep an empty backlog.
    let records = _router.metric_records();
    let value_of = |name: &str| -> Vec<Value> {
        records
            .iter()
            .filter(|r| {
                r["_aws"]["CloudWatchMetrics"][0]["Namespace"] == "KenJeRechten/test"
                    && r["_aws"]["CloudWatchMetrics"][0]["Metrics"]
                        .as_array()
                        .is_some_and(|m| m.iter().any(|m| m["Name"] == name))
            })
            .map(|r| r[name].clone())
            .collect()
    };
    assert_eq!(value_of("RequestsRouted"), vec![json!(1)], "{records:?}");
    assert_eq!(
        value_of("NotificationsFailed"),
        vec![json!(1)],
        "{records:?}"
    );
    assert_eq!(
        value_of("RoutingBacklogAgeSeconds"),
        vec![json!(0)],
        "{records:?}"
    );
    assert_eq!(
        value_of("RoutingJobsPending"),
        vec![json!(0)],
        "{records:?}"
    );
    assert!(
        store
            .get(&new.id)
            .await
            .unwrap()
            .unwrap()
            .notified_at
            .is_some()
    );
    assert!(store.pending_jobs().await.unwrap().is_empty());
}

#[tokio::test]
async fn api_lambda_signs_staff_in_and_out_with_the_cookie_api_gateway_carries() {
    use kjr_api::auth::local::{NewAccount, add_account, current_code};
    use kjr_domain::staff::Role;

    let moto = start_moto();
    let store = dynamo_store(&moto.url()).await;
    let uri = add_account(
        &store,
        NewAccount {
            email: "anna@jeugdstem.example".into(),
            name: "Anna".into(),
            team: kjr_domain::TeamId("zuid-holland".into()),
            role: Role::Confidant,
            password: "een lang wachtwoord".into(),
        },
    )
    .await
    .unwrap();
    let secret = kjr_tests::staff::secret_of(&uri);
    let mut runtime = RuntimeApi::start().await;
    let _f = start_function("kjr-lambda-api", &runtime, &moto.url(), store.table_name());

    let code = current_code(&secret, kjr_api::ids::Timestamp::now()).unwrap();
    let headers = json!({"content-type": "application/json", "origin": "https://portal.example"});
    let body =
        json!({"email": "anna@jeugdstem.example", "password": "een lang wachtwoord", "code": code});
    let signed_in = response_of(
        runtime
            .invoke(&http_api_event(
                "POST",
                "/api/staff/session",
                headers,
                Some(body.to_string()),
            ))
            .await,
    );
    assert_eq!(signed_in["statusCode"], 200, "{signed_in}");
    // Payload format 2.0 carries Set-Cookie in `cookies`.
    let cookie = signed_in["cookies"][0]
        .as_str()
        .expect("a cookie")
        .to_owned();
    assert!(
        cookie.starts_with("__Host-kjr_staff=") && cookie.contains("HttpOnly"),
        "{cookie}"
    );
    let token = cookie.split(';').next().unwrap().to_owned();
    let me: Value = serde_json::from_str(signed_in["body"].as_str().unwrap()).unwrap();
    let csrf = me["csrf_token"].as_str().unwrap().to_owned();

    let with_cookie = |method: &str, path: &str, headers: Value| {
        let mut event = http_api_event(method, path, headers, None);
        event["cookies"] = json!([token.clone()]);
        event
    };
    let who = response_of(
        runtime
            .invoke(&with_cookie("GET", "/api/staff/me", json!({})))
            .await,
    );
    assert_eq!(who["statusCode"], 200, "{who}");
    assert!(
        who["body"]
            .as_str()
            .unwrap()
            .contains("\"team\":\"zuid-holland\"")
    );

    let out = response_of(
        runtime
            .invoke(&with_cookie(
                "DELETE",
                "/api/staff/session",
                json!({"origin": "https://portal.example", "x-kjr-csrf": csrf}),
            ))
            .await,
    );
    assert_eq!(out["statusCode"], 204, "{out}");
    let gone = response_of(
        runtime
            .invoke(&with_cookie("GET", "/api/staff/me", json!({})))
            .await,
    );
    assert_eq!(gone["statusCode"], 401);
}
