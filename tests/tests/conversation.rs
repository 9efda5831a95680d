//! The conversation without an account, over real HTTP against the server with SQLite: a
//! request sent with "I'll check this website myself", its code words, the reply and the
//! answer back, the locks, and what stays out of the audit export.

use kjr_domain::staff::Role;
use kjr_domain::{ApiProblem, Conversation, MessageAuthor, RequestReceipt};
use kjr_tests::fixtures::{TestApp, api_error, new_key, spawn_app};
use reqwest::{Method, Response, StatusCode};
use serde_json::{Value, json};

/// A 12+ child without a phone of their own, not in danger now.
fn website_body() -> Value {
    json!({
        "asker": "child",
        "age_band": "12_17",
        "topics": ["home"],
        "message": "Ik wil praten.",
        "has_trusted_person": false,
        "channel": "on_website",
        "safe_now": "yes",
        "municipality": "Vlaardingen"
    })
}

async fn post(app: &TestApp, path: &str, body: &Value, key: Option<&str>) -> Response {
    let mut request = app
        .request(Method::POST, path)
        .header("content-type", "application/json")
        .body(body.to_string());
    if let Some(key) = key {
        request = request.header("idempotency-key", key);
    }
    request.send().await.expect("answered")
}

async fn open(app: &TestApp, reference: &str, words: &str) -> Response {
    post(
        app,
        "/api/conversations/open",
        &json!({"reference": reference, "code_words": words}),
        None,
    )
    .await
}

async fn write(app: &TestApp, reference: &str, words: &str, text: &str, key: &str) -> Response {
    post(
        app,
        "/api/conversations/messages",
        &json!({"reference": reference, "code_words": words, "text": text}),
        Some(key),
    )
    .await
}

/// Sends a website request; its receipt (with the code words).
async fn website_request(app: &TestApp) -> RequestReceipt {
    let response = app.post_request(&website_body()).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json().await.expect("receipt")
}

fn words_of(receipt: &RequestReceipt) -> String {
    receipt.code_words.clone().expect("code words")
}

#[tokio::test]
async fn a_website_request_gets_three_code_words_once_and_they_open_its_conversation() {
    let app = spawn_app().await;
    let receipt = website_request(&app).await;
    assert!(receipt.replies_on_website);
    let words = words_of(&receipt);
    assert_eq!(words.split(' ').count(), 3, "{words}");
    assert!(
        receipt.next_steps.contains("Lees je antwoord"),
        "{}",
        receipt.next_steps
    );

    // Stored without any address, with a hash and never the words.
    let id = app.store.request_ids().await.unwrap()[0].clone();
    let stored = app.store.get(&id).await.unwrap().unwrap();
    assert_eq!(stored.request.contact().as_str(), "");
    let hash = &stored
        .case
        .conversation
        .as_ref()
        .expect("conversation")
        .code_hash;
    assert!(hash.starts_with("$argon2id$"), "{hash}");
    for word in words.split(' ') {
        assert!(!hash.contains(word));
    }

    // Typed back with capitals, an accent, extra spaces and a reference without dashes.
    let typed = format!(
        "  {} ",
        words
            .to_uppercase()
            .replacen('E', "É", 1)
            .replace(' ', "   ")
    );
    let reference = receipt.reference.as_str().replace('-', " ").to_lowercase();
    let response = open(&app, &reference, &typed).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()["cache-control"],
        "no-store",
        "nothing is kept in the browser's cache"
    );
    let conversation: Conversation = response.json().await.unwrap();
    assert_eq!(conversation.reference, receipt.reference);
    assert!(conversation.messages.is_empty());
    assert!(conversation.open);
    assert_eq!(conversation.max_message_chars, 4_000);
    assert_eq!(conversation.idle_seconds, 600);
}

#[tokio::test]
async fn a_replayed_request_gets_new_words_and_the_old_ones_stop_working() {
    let app = spawn_app().await;
    let key = new_key();
    let first: RequestReceipt = app
        .post_request_with_key(&website_body(), &key)
        .await
        .json()
        .await
        .unwrap();
    let replay = app.post_request_with_key(&website_body(), &key).await;
    assert_eq!(replay.headers()["idempotent-replayed"], "true");
    let second: RequestReceipt = replay.json().await.unwrap();
    assert_eq!(second.reference, first.reference);
    assert_ne!(second.code_words, first.code_words);
    assert_eq!(app.store.count().await.unwrap(), 1);
    let reference = first.reference.as_str();
    assert_eq!(
        open(&app, reference, &words_of(&first)).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        open(&app, reference, &words_of(&second)).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn wrong_words_and_an_unknown_reference_get_the_same_answer_and_lock_after_five() {
    let app = spawn_app().await;
    let receipt = website_request(&app).await;
    let reference = receipt.reference.as_str();
    let unknown = "KJR-2222-3333";
    let mut answers = Vec::new();
    for _ in 0..4 {
        for r in [reference, unknown] {
            let response = open(&app, r, "fout fout fout").await;
            assert_eq!(response.status(), StatusCode::NOT_FOUND);
            answers.push(response.text().await.unwrap());
        }
    }
    assert!(answers.windows(2).all(|w| w[0] == w[1]), "{answers:?}");
    let body: kjr_domain::ApiErrorBody = serde_json::from_str(&answers[0]).unwrap();
    assert_eq!(body.problem, ApiProblem::ConversationNotFound);

    // The fifth wrong try locks, for both alike: nothing tells which reference exists.
    let mut locked = Vec::new();
    for r in [reference, unknown] {
        let response = open(&app, r, "fout fout fout").await;
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        let retry: u64 = response.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((890..=900).contains(&retry), "{retry}");
        locked.push(api_error(response).await);
    }
    assert_eq!(locked[0], locked[1]);
    assert!(matches!(
        locked[0].problem,
        ApiProblem::ConversationLocked { .. }
    ));
    assert!(
        locked[0].message.contains("15 minuten"),
        "{}",
        locked[0].message
    );
    assert!(
        locked[0].message.contains("0800-0432"),
        "{}",
        locked[0].message
    );

    // Locked means locked, even with the right words.
    let right = open(&app, reference, &words_of(&receipt)).await;
    assert_eq!(right.status(), StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn a_message_is_stored_once_per_key_and_bounded_at_4000_characters() {
    let app = spawn_app().await;
    let receipt = website_request(&app).await;
    let (reference, words) = (receipt.reference.as_str(), words_of(&receipt));

    let too_long = "a".repeat(4_001);
    let refused = write(&app, reference, &words, &too_long, &new_key()).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        api_error(refused).await.problem,
        ApiProblem::ValidationFailed
    );
    let empty = write(&app, reference, &words, "   ", &new_key()).await;
    assert_eq!(empty.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let missing_key = post(
        &app,
        "/api/conversations/messages",
        &json!({"reference": reference, "code_words": words, "text": "hoi"}),
        None,
    )
    .await;
    assert_eq!(missing_key.status(), StatusCode::BAD_REQUEST);

    let key = new_key();
    let longest = "b".repeat(4_000);
    let first = write(&app, reference, &words, &longest, &key).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let replay = write(&app, reference, &words, &longest, &key).await;
    assert_eq!(replay.status(), StatusCode::CREATED);
    assert_eq!(replay.headers()["idempotent-replayed"], "true");
    let conversation: Conversation = replay.json().await.unwrap();
    assert_eq!(conversation.messages.len(), 1, "a replay adds nothing");
    assert_eq!(conversation.messages[0].from, MessageAuthor::Asker);
    assert_eq!(conversation.messages[0].text, longest);

    let wrong = write(&app, reference, "fout fout fout", "hoi", &new_key()).await;
    assert_eq!(wrong.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_reply_reaches_the_child_and_the_answer_puts_the_request_on_top_of_the_queue() {
    let app = spawn_app().await;
    // An earlier request of the same team, by phone: first in the queue at the start.
    let mut by_phone = website_body();
    by_phone["channel"] = "sms".into();
    by_phone["contact"] = "06 12345678".into();
    by_phone["contact_times"] = json!(["afternoon"]);
    by_phone["may_leave_message"] = false.into();
    let earlier = app.routed_request(&by_phone).await;
    // Arrival times are in seconds: the website request comes a second later.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let response = app.post_request(&website_body()).await;
    let receipt: RequestReceipt = response.json().await.unwrap();
    let words = words_of(&receipt);
    let id = loop {
        let ids = app.store.request_ids().await.unwrap();
        let mut found = None;
        for id in ids {
            let s = app.store.get(&id).await.unwrap().unwrap();
            if s.reference == receipt.reference && s.notified_at.is_some() {
                found = Some(id);
            }
        }
        if let Some(id) = found {
            break id;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    };

    let user = app
        .add_staff(
            "anna.de.vries@jeugdstem.example",
            "zuid-holland",
            Role::Confidant,
        )
        .await;
    let session = app.sign_in(&user).await;
    let queue = app.staff_json(&session, "/api/staff/requests").await;
    assert_eq!(queue["rows"][0]["id"], earlier.as_str());

    // Only the one who took it may reply; to a request by phone there is nothing to reply.
    let path = format!("/api/staff/requests/{id}/messages");
    let before_claim = app
        .staff_post(&session, &path, json!({"text": "Hoi!"}))
        .await;
    assert_eq!(before_claim.status(), StatusCode::FORBIDDEN);
    for target in [&id, &earlier] {
        let page = app
            .staff_json(&session, &format!("/api/staff/requests/{target}"))
            .await;
        let claimed = app
            .staff_post(
                &session,
                &format!("/api/staff/requests/{target}/claim"),
                json!({"version": page["version"]}),
            )
            .await;
        assert_eq!(claimed.status(), StatusCode::OK);
    }
    let to_phone = app
        .staff_post(
            &session,
            &format!("/api/staff/requests/{earlier}/messages"),
            json!({"text": "Hoi!"}),
        )
        .await;
    assert_eq!(to_phone.status(), StatusCode::CONFLICT);
    assert_eq!(
        api_error(to_phone).await.problem,
        ApiProblem::NoConversation
    );

    let reply = "Hoi, ik ben Anna. Fijn dat je schrijft. Wat wil je vertellen?";
    let replied = app
        .staff_post(&session, &path, json!({"text": reply}))
        .await;
    assert_eq!(replied.status(), StatusCode::OK);
    let view: Value = replied.json().await.unwrap();
    assert!(
        view["first_contact_at"].is_i64(),
        "the first reply is first contact"
    );

    let conversation: Conversation = open(&app, receipt.reference.as_str(), &words)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(conversation.messages.len(), 1);
    assert_eq!(conversation.messages[0].from, MessageAuthor::Confidant);
    assert_eq!(conversation.messages[0].name.as_deref(), Some("Anna"));
    assert_eq!(conversation.messages[0].text, reply);

    let answer = "Ik wil over thuis praten.";
    let written = write(&app, receipt.reference.as_str(), &words, answer, &new_key()).await;
    assert_eq!(written.status(), StatusCode::CREATED);
    let queue = app.staff_json(&session, "/api/staff/requests").await;
    assert_eq!(queue["rows"][0]["id"], id.as_str(), "{queue}");
    assert_eq!(queue["rows"][0]["unanswered_message"], true);
    assert_eq!(queue["rows"][1]["unanswered_message"], false);

    // The team is told again (the outbox job), and the page shows the answer.
    let mut notified = false;
    for _ in 0..200 {
        let s = app.store.get(&id).await.unwrap().unwrap();
        if s.notified_at.is_some() {
            notified = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    assert!(notified, "the notification job ran again");
    let page = app
        .staff_json(&session, &format!("/api/staff/requests/{id}"))
        .await;
    let texts: Vec<&str> = page["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["event"]["text"].as_str())
        .collect();
    assert!(
        texts.contains(&reply) && texts.contains(&answer),
        "{texts:?}"
    );

    // A reply answers it: off the top again.
    app.staff_post(&session, &path, json!({"text": "Vertel maar."}))
        .await;
    let queue = app.staff_json(&session, "/api/staff/requests").await;
    assert_eq!(queue["rows"][0]["id"], earlier.as_str());

    // The code words are nowhere in the audit export.
    for format in ["json", "csv"] {
        let export = app
            .staff(
                &session,
                Method::GET,
                &format!("/api/staff/requests/{id}/audit?format={format}"),
                None,
            )
            .await
            .text()
            .await
            .unwrap();
        assert!(export.contains(answer), "{format}");
        assert!(!export.contains(&words), "{format}");
        assert!(!export.contains("argon2"), "{format}");
    }
}

/// Everything the local server logs, at every level of our own crates, while a child gets
/// code words, opens the conversation (also typed back loosely, and wrongly until it
/// locks), writes, and gets new words from a replay: the words are never in it, in any form,
/// and neither is their hash.
#[tokio::test]
async fn code_words_appear_in_no_server_log() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("server.log");
    let server = kjr_tests::servers::start_local_server_logging(
        dir.path(),
        &log,
        "debug,kjr_api=trace,kjr_domain=trace",
    );
    let client = reqwest::Client::new();
    let post = |path: &str, body: Value, key: Option<String>| {
        let mut request = client
            .post(format!("{}{path}", server.url()))
            .header("content-type", "application/json")
            .header("accept-language", "nl")
            .body(body.to_string());
        if let Some(key) = key {
            request = request.header("idempotency-key", key);
        }
        async move { request.send().await.expect("answered") }
    };
    let key = new_key();
    let first: RequestReceipt = post("/api/requests", website_body(), Some(key.clone()))
        .await
        .json()
        .await
        .unwrap();
    let reference = first.reference.as_str().to_owned();
    let words = words_of(&first);
    let loosely = format!("  {} ", words.to_uppercase().replace(' ', " ,  "));
    for typed in [words.as_str(), loosely.as_str()] {
        let opened = post(
            "/api/conversations/open",
            json!({"reference": reference, "code_words": typed}),
            None,
        )
        .await;
        assert_eq!(opened.status(), StatusCode::OK);
    }
    let written = post(
        "/api/conversations/messages",
        json!({"reference": reference, "code_words": words, "text": "Hallo."}),
        Some(new_key()),
    )
    .await;
    assert_eq!(written.status(), StatusCode::CREATED);
    // The replay of the request gives new words.
    let second: RequestReceipt = post("/api/requests", website_body(), Some(key))
        .await
        .json()
        .await
        .unwrap();
    let new_words = words_of(&second);
    assert_ne!(new_words, words);
    // Wrong words (the old ones among them) until the reference locks.
    for _ in 0..5 {
        post(
            "/api/conversations/open",
            json!({"reference": reference, "code_words": words}),
            None,
        )
        .await;
    }
    drop(server);

    let logged = std::fs::read_to_string(&log).unwrap();
    for line in [
        "message from the asker stored",
        "conversation not opened",
        "conversation locked",
    ] {
        assert!(
            logged.contains(line),
            "the log is captured: {line:?} in\n{logged}"
        );
    }
    let logged = logged.to_lowercase();
    assert!(!logged.contains("$argon2"), "no hash in the log:\n{logged}");
    for words in [&words, &new_words] {
        let list: Vec<&str> = words.split(' ').collect();
        let mut forms = vec![words.to_lowercase(), list.join(",")];
        forms.extend(list.windows(2).map(|pair| pair.join(" ")));
        for form in forms {
            assert!(
                !logged.contains(&form),
                "{form:?} is in the server log:\n{logged}"
            );
        }
    }
}
