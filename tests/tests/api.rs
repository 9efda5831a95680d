//! The public API over real HTTP against the in-process app with SQLite.

use kjr_domain::{ApiProblem, Field, RequestReceipt};
use kjr_tests::fixtures::{api_error, foster_parent_body, new_key, spawn_app, urgent_child_body};
use reqwest::StatusCode;

#[tokio::test]
async fn health_answers_ok() {
    let app = spawn_app().await;
    let r = app.get("/api/health").await;
    assert_eq!(r.status(), StatusCode::OK);
}

#[tokio::test]
async fn openapi_document_describes_the_request_endpoint() {
    let app = spawn_app().await;
    let doc: serde_json::Value = app.get("/api/openapi.json").await.json().await.unwrap();
    assert!(doc["paths"]["/api/requests"]["post"]["responses"]["201"].is_object());
    assert!(doc["components"]["schemas"]["RequestDraft"].is_object());
}

#[tokio::test]
async fn valid_request_is_stored_and_answered_with_a_reference() {
    let app = spawn_app().await;
    let r = app.post_request(&urgent_child_body()).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let receipt: RequestReceipt = r.json().await.unwrap();
    assert!(receipt.urgent);
    assert!(receipt.next_steps.contains("112"));
    assert_eq!(app.store.count().await.unwrap(), 1);
}

#[tokio::test]
async fn the_promise_names_the_day_and_time_the_queue_has_as_its_deadline() {
    let app = spawn_app().await;
    let r = app.post_request(&urgent_child_body()).await;
    let receipt: RequestReceipt = r.json().await.unwrap();
    let due = receipt.due.expect("a day and a time");
    let id = app.store.request_ids().await.unwrap()[0].clone();
    let stored = app.store.get(&id).await.unwrap().unwrap();
    assert_eq!(due.at, stored.case.due_at, "one computation for both");
    assert!(due.at > stored.received_at);
    let calendar = kjr_api::calendar::Calendar::bundled();
    let team = kjr_domain::TeamId("zuid-holland".into());
    assert_eq!(due.at, calendar.due(&team, stored.received_at, true));
    assert!(
        receipt.next_steps.contains("uiterlijk "),
        "{}",
        receipt.next_steps
    );
    assert!(
        receipt
            .next_steps
            .contains(&format!("{:02}:{:02}", due.hour, due.minute))
    );
    assert!(receipt.next_steps.contains("Heb je dan nog niets gehoord?"));
    assert!(receipt.next_steps_in(kjr_domain::Lang::En).contains("by "));
}

#[tokio::test]
async fn script_in_the_message_is_stored_as_text() {
    let app = spawn_app().await;
    assert_eq!(
        app.post_request(&urgent_child_body()).await.status(),
        StatusCode::CREATED
    );
    let raw = std::fs::read(&app.db_path).unwrap_or_default();
    let wal = std::fs::read(app.db_path.with_extension("sqlite3-wal")).unwrap_or_default();
    let haystack = [raw, wal].concat();
    let needle = b"<script>alert('x')</script>";
    assert!(
        haystack.windows(needle.len()).any(|w| w == needle),
        "stored verbatim, not escaped or dropped"
    );
}

#[tokio::test]
async fn same_idempotency_key_gives_the_same_answer_and_one_request() {
    let app = spawn_app().await;
    let key = new_key();
    let body = foster_parent_body();
    let first: RequestReceipt = app
        .post_request_with_key(&body, &key)
        .await
        .json()
        .await
        .unwrap();
    let again = app.post_request_with_key(&body, &key).await;
    assert_eq!(again.status(), StatusCode::CREATED);
    let second: RequestReceipt = again.json().await.unwrap();
    assert_eq!(first, second);
    assert_eq!(app.store.count().await.unwrap(), 1);
}

#[tokio::test]
async fn concurrent_double_submit_creates_one_request() {
    let app = spawn_app().await;
    let key = new_key();
    let body = urgent_child_body();
    let (a, b) = tokio::join!(
        app.post_request_with_key(&body, &key),
        app.post_request_with_key(&body, &key)
    );
    assert_eq!(a.status(), StatusCode::CREATED);
    assert_eq!(b.status(), StatusCode::CREATED);
    let (a, b): (RequestReceipt, RequestReceipt) =
        (a.json().await.unwrap(), b.json().await.unwrap());
    assert_eq!(a.reference, b.reference);
    assert_eq!(app.store.count().await.unwrap(), 1);
}

#[tokio::test]
async fn same_key_with_other_content_is_a_conflict() {
    let app = spawn_app().await;
    let key = new_key();
    app.post_request_with_key(&foster_parent_body(), &key).await;
    let r = app.post_request_with_key(&urgent_child_body(), &key).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert_eq!(api_error(r).await.problem, ApiProblem::IdempotencyKeyReused);
    assert_eq!(app.store.count().await.unwrap(), 1);
}

#[tokio::test]
async fn missing_idempotency_key_is_refused() {
    let app = spawn_app().await;
    let r = app
        .post_raw(foster_parent_body().to_string(), None, "application/json")
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(api_error(r).await.message.contains("Idempotency-Key"));
    assert_eq!(app.store.count().await.unwrap(), 0);
}

#[tokio::test]
async fn malformed_json_is_a_400_that_says_where() {
    let app = spawn_app().await;
    let r = app
        .post_raw(
            "{\"asker\": \"child\",",
            Some(&new_key()),
            "application/json",
        )
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let e = api_error(r).await;
    assert!(
        matches!(e.problem, ApiProblem::MalformedJson { line: 1, .. }),
        "{e:?}"
    );
    assert!(e.message.contains("regel 1"), "{}", e.message);
    assert_eq!(app.store.count().await.unwrap(), 0);
}

#[tokio::test]
async fn json_that_is_not_an_object_is_a_400() {
    let app = spawn_app().await;
    let r = app
        .post_raw("[1,2,3]", Some(&new_key()), "application/json")
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn wrong_content_type_is_a_415() {
    let app = spawn_app().await;
    let r = app
        .post_raw(
            foster_parent_body().to_string(),
            Some(&new_key()),
            "text/plain",
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(api_error(r).await.problem, ApiProblem::UnsupportedMediaType);
    assert_eq!(app.store.count().await.unwrap(), 0);
}

#[tokio::test]
async fn a_one_megabyte_body_is_a_413() {
    let app = spawn_app().await;
    let mut body = foster_parent_body();
    body["message"] = serde_json::Value::String("a".repeat(1024 * 1024));
    let r = app.post_request(&body).await;
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(api_error(r).await.message.contains("64 kB"));
    assert_eq!(app.store.count().await.unwrap(), 0);
}

#[tokio::test]
async fn invalid_utf8_is_a_400() {
    let app = spawn_app().await;
    let body: Vec<u8> = b"{\"asker\": \"ch\xffld\"}".to_vec();
    let r = app
        .post_raw(body, Some(&new_key()), "application/json")
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert_eq!(api_error(r).await.problem, ApiProblem::InvalidEncoding);
    assert_eq!(app.store.count().await.unwrap(), 0);
}

#[tokio::test]
async fn missing_and_unknown_fields_are_each_named_in_dutch() {
    let app = spawn_app().await;
    let mut body = foster_parent_body();
    let obj = body.as_object_mut().unwrap();
    obj.remove("channel");
    obj.remove("safe_now");
    obj.insert("favourite_colour".into(), "blauw".into());
    let r = app.post_request(&body).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let e = api_error(r).await;
    let message_for = |f: Field| {
        e.fields
            .iter()
            .find(|x| x.error.field == f)
            .map(|x| x.message.clone())
    };
    assert!(message_for(Field::Channel).unwrap().contains("contact"));
    assert!(message_for(Field::SafeNow).unwrap().contains("veilig"));
    assert_eq!(e.unknown_fields, ["favourite_colour"]);
    assert!(e.message.contains("kennen we niet"), "{}", e.message);
    assert!(e.message.contains("favourite_colour"), "{}", e.message);
    assert_eq!(app.store.count().await.unwrap(), 0);
}

#[tokio::test]
async fn overlong_message_is_a_422_naming_the_limit() {
    let app = spawn_app().await;
    let mut body = urgent_child_body();
    body["message"] = serde_json::Value::String("ä".repeat(4001));
    let r = app.post_request(&body).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let e = api_error(r).await;
    assert!(
        e.fields
            .iter()
            .any(|f| f.error.field == Field::Message && f.message.contains("4000"))
    );
    assert_eq!(app.store.count().await.unwrap(), 0);
}

#[tokio::test]
async fn wrong_phone_number_for_whatsapp_is_named() {
    let app = spawn_app().await;
    let mut body = urgent_child_body();
    body["contact"] = "010 1234567".into();
    let e = api_error(app.post_request(&body).await).await;
    assert!(
        e.fields
            .iter()
            .any(|f| f.error.field == Field::Contact && f.message.contains("06"))
    );
}

#[tokio::test]
async fn unknown_api_path_is_a_json_404() {
    let app = spawn_app().await;
    let r = app.get("/api/nothing-here").await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(api_error(r).await.problem, ApiProblem::NotFound);
}

#[tokio::test]
async fn accepted_request_is_routed_and_its_team_notified() {
    let app = spawn_app().await;
    app.post_request(&urgent_child_body()).await;
    let team = kjr_api::ids::TeamId("zuid-holland".into());
    for _ in 0..100 {
        let queue = app.store.routed_queue(&team).await.unwrap();
        if let Some(entry) = queue.first() {
            assert_eq!(entry.queue, kjr_api::store::Queue::Urgent);
            // The job first, then the request: a job that finishes in between has already
            // recorded the notification (both in one commit), so neither order can miss it.
            let pending = app.store.pending_jobs().await.unwrap().contains(&entry.id);
            let stored = app.store.get(&entry.id).await.unwrap().unwrap();
            assert!(pending || stored.notified_at.is_some());
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("request was not routed to zuid-holland");
}
