//! The staff workspace through its API: signing in, access, the queue, the request page, its
//! actions and the audit trail, against the real server with SQLite.

use kjr_api::auth::SESSION_COOKIE;
use kjr_api::routes::staff::{Access, table};
use kjr_api::store::Session;
use kjr_api::store::staff::token_hash;
use kjr_domain::Timestamp;
use kjr_domain::staff::Role;
use kjr_tests::fixtures::{api_error, foster_parent_body, spawn_app, urgent_child_body};
use kjr_tests::staff::PASSWORD;
use reqwest::Method;
use serde_json::{Value, json};

#[tokio::test]
async fn a_confidant_sees_the_urgent_request_first_without_contact_details() {
    let app = spawn_app().await;
    let mut calm = urgent_child_body();
    calm["safe_now"] = "yes".into();
    let calm = app.routed_request(&calm).await;
    let urgent = app.routed_request(&urgent_child_body()).await;
    let _other_team = app.routed_request(&foster_parent_body()).await;
    let user = app
        .add_staff("anna@jeugdstem.example", "zuid-holland", Role::Confidant)
        .await;
    let session = app.sign_in(&user).await;
    assert_eq!(session.me.team.as_ref().unwrap().as_str(), "zuid-holland");

    let page = app.staff_json(&session, "/api/staff/requests").await;
    let ids: Vec<&str> = page["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [urgent.as_str(), calm.as_str()],
        "urgent first, then oldest; own team only"
    );
    assert_eq!(page["rows"][0]["urgency"], "urgent");
    assert_eq!(page["counts"], json!([{"status": "new", "count": 2}]));
    let text = page.to_string();
    assert!(
        !text.contains("+31612345678") && !text.contains("Sam"),
        "no contact details: {text}"
    );
}

/// A request from the picture route: the staff page gets the child's feeling, and no
/// guessed answer about a trusted person (the route does not ask it).
#[tokio::test]
async fn a_request_from_the_picture_route_shows_the_feeling_and_asks_nothing_it_did_not() {
    let app = spawn_app().await;
    let id = app
        .routed_request(&json!({
            "asker": "child", "age_band": "under_12", "feeling": "sad",
            "topics": ["body"], "safe_now": "yes", "channel": "on_website",
            "never_via_foster_parents": true
        }))
        .await;
    let coordinator = app
        .add_staff("coco@jeugdstem.example", "landelijk", Role::Coordinator)
        .await;
    let session = app.sign_in(&coordinator).await;
    let view = app
        .staff_json(&session, &format!("/api/staff/requests/{}", id.as_str()))
        .await;
    assert_eq!(view["feeling"], "sad", "{view}");
    assert_eq!(view["has_trusted_person"], Value::Null, "{view}");
    assert_eq!(view["topics"], json!(["body"]), "{view}");
}

#[tokio::test]
async fn a_wrong_account_password_or_code_gets_one_and_the_same_answer() {
    let app = spawn_app().await;
    let user = app
        .add_staff("bo@jeugdstem.example", "noord", Role::Confidant)
        .await;
    let code = user.code(0);
    let answers = [
        app.try_sign_in("nobody@jeugdstem.example", PASSWORD, &code)
            .await,
        app.try_sign_in(&user.email, "wrong password!", &code).await,
        app.try_sign_in(&user.email, PASSWORD, "000000").await,
    ];
    let mut bodies = Vec::new();
    for answer in answers {
        assert_eq!(answer.status(), 401);
        assert!(answer.headers().get("set-cookie").is_none());
        bodies.push(answer.text().await.unwrap());
    }
    assert!(bodies.iter().all(|b| *b == bodies[0]), "{bodies:?}");
    assert!(bodies[0].contains("\"error\":\"sign_in_failed\""));
}

#[tokio::test]
async fn five_failures_lock_the_account_for_fifteen_minutes() {
    let app = spawn_app().await;
    let user = app
        .add_staff("cas@jeugdstem.example", "noord", Role::Confidant)
        .await;
    for _ in 0..5 {
        let answer = app
            .try_sign_in(&user.email, "not the password", &user.code(0))
            .await;
        assert_eq!(answer.status(), 401);
    }
    let locked = app.try_sign_in(&user.email, PASSWORD, &user.code(0)).await;
    assert_eq!(locked.status(), 429, "even the right password waits");
    let wait: u64 = locked.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((880..=900).contains(&wait), "{wait}");
    assert_eq!(
        api_error(locked).await.problem,
        kjr_domain::ApiProblem::SignInLocked {
            retry_after_seconds: wait
        }
    );
    // Another account is not locked by it.
    let other = app
        .add_staff("dirk@jeugdstem.example", "noord", Role::Confidant)
        .await;
    app.sign_in(&other).await;
}

#[tokio::test]
async fn failures_from_one_address_are_counted_across_accounts() {
    let app = spawn_app().await;
    let user = app
        .add_staff("eva@jeugdstem.example", "noord", Role::Confidant)
        .await;
    for i in 0..20 {
        let answer = app
            .try_sign_in(&format!("guess{i}@jeugdstem.example"), PASSWORD, "123456")
            .await;
        assert_eq!(answer.status(), 401);
    }
    let answer = app.try_sign_in(&user.email, PASSWORD, &user.code(0)).await;
    assert_eq!(answer.status(), 429);
}

#[tokio::test]
async fn a_code_works_only_once() {
    let app = spawn_app().await;
    let user = app
        .add_staff("fem@jeugdstem.example", "noord", Role::Confidant)
        .await;
    let code = user.code(0);
    assert_eq!(
        app.try_sign_in(&user.email, PASSWORD, &code).await.status(),
        200
    );
    assert_eq!(
        app.try_sign_in(&user.email, PASSWORD, &code).await.status(),
        401
    );
}

#[tokio::test]
async fn the_session_cookie_is_http_only_secure_strict_and_sign_out_ends_it() {
    let app = spawn_app().await;
    let user = app
        .add_staff("gijs@jeugdstem.example", "noord", Role::Confidant)
        .await;
    let answer = app.try_sign_in(&user.email, PASSWORD, &user.code(0)).await;
    let cookie = answer.headers()["set-cookie"].to_str().unwrap().to_owned();
    for part in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/"] {
        assert!(cookie.contains(part), "{cookie}");
    }
    let me: Value = answer.json().await.unwrap();
    assert!(
        !me.to_string()
            .contains(cookie.split(';').next().unwrap().split('=').nth(1).unwrap()),
        "the session token never reaches JavaScript"
    );
    let session = app.sign_in(&user).await;
    assert_eq!(
        app.staff(&session, Method::GET, "/api/staff/me", None)
            .await
            .status(),
        200
    );
    let out = app
        .staff(&session, Method::DELETE, "/api/staff/session", None)
        .await;
    assert_eq!(out.status(), 204);
    assert!(
        out.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
    let after = app
        .staff(&session, Method::GET, "/api/staff/me", None)
        .await;
    assert_eq!(after.status(), 401);
    assert!(
        app.store
            .session(&token_hash(&session.token))
            .await
            .unwrap()
            .is_none()
    );
}

/// Every session that must not work: none, forged, expired, idle too long, revoked.
async fn dead_sessions(app: &kjr_tests::fixtures::TestApp) -> Vec<(&'static str, Option<String>)> {
    let user = app
        .add_staff("dead@jeugdstem.example", "zuid-holland", Role::Confidant)
        .await;
    let template = app.sign_in(&user).await;
    let stored = app
        .store
        .session(&token_hash(&template.token))
        .await
        .unwrap()
        .unwrap();
    let now = Timestamp::now();
    let plant = |token: String, created: i64, seen: i64, expires: i64| {
        let store = app.store.clone();
        let member = stored.member.clone();
        async move {
            store
                .create_session(&Session {
                    token_hash: token_hash(&token),
                    member,
                    csrf_token: "x".repeat(64),
                    created_at: Timestamp(created),
                    last_seen_at: Timestamp(seen),
                    expires_at: Timestamp(expires),
                })
                .await
                .unwrap();
            token
        }
    };
    let expired = plant("a".repeat(64), now.0 - 13 * 3600, now.0 - 10, now.0 - 3600).await;
    let idle = plant("b".repeat(64), now.0 - 3600, now.0 - 31 * 60, now.0 + 3600).await;
    let revoked = app.sign_in(&user).await;
    app.staff(&revoked, Method::DELETE, "/api/staff/session", None)
        .await;
    vec![
        ("no session", None),
        ("forged", Some("c".repeat(64))),
        ("expired", Some(expired)),
        ("idle", Some(idle)),
        ("revoked", Some(revoked.token)),
    ]
}

#[tokio::test]
async fn every_staff_route_refuses_a_missing_forged_expired_idle_or_revoked_session() {
    let app = spawn_app().await;
    let id = app.routed_request(&urgent_child_body()).await;
    let dead = dead_sessions(&app).await;
    let routes = table();
    assert!(routes.len() >= 10, "the staff routes are listed");
    for route in routes.iter().filter(|r| r.access == Access::SignedIn) {
        let path = format!("/api{}", route.path.replace("{id}", id.as_str()));
        for (what, token) in &dead {
            let mut request = app
                .request(route.method.clone(), &path)
                .header("content-type", "application/json")
                .header("origin", app.url(""))
                .header("x-kjr-csrf", "x".repeat(64))
                .body("{}");
            if let Some(token) = token {
                request = request.header("cookie", format!("{SESSION_COOKIE}={token}"));
            }
            let answer = request.send().await.unwrap();
            assert_eq!(answer.status(), 401, "{} {path} with {what}", route.method);
            assert_eq!(
                api_error(answer).await.problem,
                kjr_domain::ApiProblem::Unauthenticated
            );
        }
    }
}

#[tokio::test]
async fn every_staff_route_hides_another_teams_request_and_refuses_cross_site_changes() {
    let app = spawn_app().await;
    let id = app.routed_request(&urgent_child_body()).await;
    let stranger = app
        .add_staff("noord@jeugdstem.example", "noord", Role::Confidant)
        .await;
    let stranger = app.sign_in(&stranger).await;
    let missing = kjr_api::ids::new_request_id();
    for route in table().iter().filter(|r| r.access == Access::SignedIn) {
        if route.path.contains("{id}") {
            let mut answers = Vec::new();
            for target in [&id, &missing] {
                let path = format!("/api{}", route.path.replace("{id}", target.as_str()));
                let answer = app
                    .staff(
                        &stranger,
                        route.method.clone(),
                        &path,
                        Some(valid_body(route.path)),
                    )
                    .await;
                assert_eq!(answer.status(), 404, "{} {path}", route.method);
                answers.push(answer.text().await.unwrap());
            }
            assert_eq!(
                answers[0], answers[1],
                "another team's request looks like none"
            );
        }
        if kjr_api::auth::is_change(&route.method) {
            let path = format!("/api{}", route.path.replace("{id}", id.as_str()));
            let base = || {
                app.request(route.method.clone(), &path)
                    .header("cookie", format!("{SESSION_COOKIE}={}", stranger.token))
                    .header("content-type", "application/json")
                    .body("{}")
            };
            let refusals = [
                ("no CSRF token", base().header("origin", app.url(""))),
                (
                    "another origin",
                    base()
                        .header("origin", "https://evil.example")
                        .header("x-kjr-csrf", &stranger.me.csrf_token),
                ),
                (
                    "a cross-site fetch",
                    base()
                        .header("sec-fetch-site", "cross-site")
                        .header("x-kjr-csrf", &stranger.me.csrf_token),
                ),
            ];
            for (what, request) in refusals {
                let answer = request.send().await.unwrap();
                assert_eq!(answer.status(), 403, "{} {path} with {what}", route.method);
            }
        }
    }
    // The stranger's own session still works: refusals did not end it.
    assert_eq!(
        app.staff(&stranger, Method::GET, "/api/staff/me", None)
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn a_confidant_claims_logs_attempts_and_notes_and_the_audit_trail_shows_every_step() {
    let app = spawn_app().await;
    let id = app.routed_request(&urgent_child_body()).await;
    let anna = app
        .add_staff("anna@jeugdstem.example", "zuid-holland", Role::Confidant)
        .await;
    let bram = app
        .add_staff("bram@jeugdstem.example", "zuid-holland", Role::Confidant)
        .await;
    let anna = app.sign_in(&anna).await;
    let bram = app.sign_in(&bram).await;
    let page = format!("/api/staff/requests/{id}");

    let view = app.staff_json(&anna, &page).await;
    assert_eq!(view["contact"]["channel"], "whatsapp");
    assert_eq!(
        view["contact"]["address"],
        Value::Null,
        "only for whoever claimed it"
    );
    assert_eq!(view["contact"]["never_via_foster_parents"], true);
    assert_eq!(view["version"], 0);

    let claimed = app
        .staff_post(&anna, &format!("{page}/claim"), json!({"version": 0}))
        .await;
    assert_eq!(claimed.status(), 200);
    let claimed: Value = claimed.json().await.unwrap();
    assert_eq!(claimed["status"], "in_progress");
    assert_eq!(claimed["contact"]["address"], "+31612345678");
    assert_eq!(claimed["claimed_by"]["name"], "anna");
    let for_bram = app.staff_json(&bram, &page).await;
    assert_eq!(
        for_bram["contact"]["address"],
        Value::Null,
        "a colleague who did not claim it"
    );

    // Leaving a message where the child said no: refused without a reason, then recorded.
    let attempts = format!("{page}/contact-attempts");
    let message = json!({"channel": "whatsapp", "result": "message_left", "note": "Kort bericht"});
    let refused = app.staff_post(&anna, &attempts, message.clone()).await;
    assert_eq!(refused.status(), 422);
    let refused: Value = refused.json().await.unwrap();
    assert_eq!(refused["error"], "override_reason_required");
    assert_eq!(refused["message_not_allowed"], true);
    let mut with_reason = message;
    with_reason["override_reason"] = "Geen andere weg; zonder naam van Jeugdstem".into();
    assert_eq!(
        app.staff_post(&anna, &attempts, with_reason).await.status(),
        200
    );
    let via_parents = json!({"channel": "via_foster_parents", "result": "no_answer"});
    let refused: Value = app
        .staff_post(&anna, &attempts, via_parents)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(refused["via_foster_parents"], true);
    // Bram has not claimed it: he may not contact the child.
    let not_his = app
        .staff_post(
            &bram,
            &attempts,
            json!({"channel": "whatsapp", "result": "no_answer", "override_reason": "test"}),
        )
        .await;
    assert_eq!(not_his.status(), 403);

    let reached = app
        .staff_post(
            &anna,
            &attempts,
            json!({"channel": "phone", "result": "reached", "override_reason": "Afgesproken tijd"}),
        )
        .await;
    assert_eq!(reached.status(), 200);
    let reached: Value = reached.json().await.unwrap();
    assert_eq!(reached["status"], "contact_made");
    assert!(reached["first_contact_at"].is_number());

    let noted = app
        .staff_post(
            &bram,
            &format!("{page}/notes"),
            json!({"text": "=HYPERLINK(\"x\") overleg"}),
        )
        .await;
    assert_eq!(noted.status(), 200, "a team member may add a note");

    // A change on an old version is refused with who changed it and when.
    let stale = app
        .staff_post(
            &anna,
            &format!("{page}/status"),
            json!({"version": 0, "status": "in_progress"}),
        )
        .await;
    assert_eq!(stale.status(), 409);
    let stale: Value = stale.json().await.unwrap();
    assert_eq!(stale["error"], "version_conflict");
    assert_eq!(stale["conflict"]["changed_by"]["name"], "anna");
    assert_eq!(stale["conflict"]["version"], reached["version"]);

    let audit = app.staff_json(&anna, &format!("{page}/audit")).await;
    let actions: Vec<&str> = audit["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event"]["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "received",
            "routed",
            "notified",
            "viewed",
            "claimed",
            "status_changed",
            "viewed",
            "contact_attempt",
            "contact_attempt",
            "status_changed",
            "note",
            "exported"
        ]
    );
    let entries = audit["entries"].as_array().unwrap();
    assert_eq!(entries[3]["actor"]["name"], "anna");
    assert_eq!(entries[6]["actor"]["name"], "bram");
    let overrides = entries[7]["event"]["overrides"].as_array().unwrap();
    assert!(
        overrides.contains(&json!("message_not_allowed")),
        "{overrides:?}"
    );
    for pair in entries.windows(2) {
        assert_eq!(
            pair[1]["prev_hash"], pair[0]["hash"],
            "the events form a chain"
        );
    }

    let csv = app
        .staff(
            &anna,
            Method::GET,
            &format!("{page}/audit?format=csv"),
            None,
        )
        .await;
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    assert!(
        csv.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    let csv = csv.text().await.unwrap();
    assert!(csv.starts_with("\u{feff}seq,"));
    assert!(
        csv.contains("'=HYPERLINK"),
        "a note cannot become a formula: {csv}"
    );
    assert_eq!(
        csv.lines().count(),
        1 + 13,
        "header and every event, this export too"
    );
}

#[tokio::test]
async fn a_coordinator_sees_every_team_filters_and_pages() {
    let app = spawn_app().await;
    let urgent = app.routed_request(&urgent_child_body()).await;
    let foster = app.routed_request(&foster_parent_body()).await;
    // Arrival counts in seconds: the next one comes later.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let mut young = urgent_child_body();
    young["age_band"] = "under_12".into();
    young["safe_now"] = "yes".into();
    young["topics"] = json!(["school"]);
    let young = app.routed_request(&young).await;
    let coordinator = app
        .add_staff("coco@jeugdstem.example", "landelijk", Role::Coordinator)
        .await;
    let coordinator = app.sign_in(&coordinator).await;
    let ids = |page: &Value| -> Vec<String> {
        page["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap().to_owned())
            .collect()
    };
    let all = app.staff_json(&coordinator, "/api/staff/requests").await;
    assert_eq!(
        ids(&all),
        [urgent.to_string(), foster.to_string(), young.to_string()]
    );
    let view = app
        .staff_json(&coordinator, &format!("/api/staff/requests/{foster}"))
        .await;
    assert_eq!(
        view["contact"]["address"], "pleegouder@voorbeeld.nl",
        "coordinators see contact details"
    );

    let cases = [
        ("team=noord", vec![foster.to_string()]),
        ("urgency=urgent", vec![urgent.to_string()]),
        ("asker=foster_parent", vec![foster.to_string()]),
        ("age_band=under_12", vec![young.to_string()]),
        ("topic=school", vec![young.to_string()]),
        ("municipality=groningen", vec![foster.to_string()]),
        ("status=in_progress", vec![]),
        ("overdue=true", vec![]),
    ];
    for (query, expected) in cases {
        let page = app
            .staff_json(&coordinator, &format!("/api/staff/requests?{query}"))
            .await;
        assert_eq!(ids(&page), expected, "{query}");
    }
    let first = app
        .staff_json(&coordinator, "/api/staff/requests?limit=2")
        .await;
    assert_eq!(ids(&first).len(), 2);
    let cursor = first["next_cursor"].as_str().unwrap();
    let second = app
        .staff_json(
            &coordinator,
            &format!("/api/staff/requests?limit=2&cursor={}", urlencode(cursor)),
        )
        .await;
    assert_eq!(ids(&second), [young.to_string()]);
    assert!(second["next_cursor"].is_null());
    for bad in [
        "limit=0",
        "limit=101",
        "cursor=nonsense",
        "status=weird",
        "colour=red",
        "team=nope",
    ] {
        let answer = app
            .staff(
                &coordinator,
                Method::GET,
                &format!("/api/staff/requests?{bad}"),
                None,
            )
            .await;
        assert_eq!(answer.status(), 422, "{bad}");
    }
}

/// A body of the right shape for a staff action, so that only access decides the answer.
fn valid_body(path: &str) -> Value {
    match path.rsplit('/').next().unwrap_or_default() {
        "claim" => json!({"version": 0}),
        "contact-attempts" => {
            json!({"channel": "phone", "result": "no_answer", "override_reason": "x"})
        }
        "notes" => json!({"text": "notitie"}),
        "messages" => json!({"text": "hallo"}),
        "status" => json!({"version": 0, "status": "contact_made"}),
        "transfer" => json!({"version": 0, "team": "noord", "reason": "woont daar"}),
        "disclosure" => json!({"version": 0, "disclosure": true}),
        "veilig-thuis" => json!({"version": 0, "step": "consulted"}),
        "close" => json!({"version": 0, "reason": "helped", "text": "klaar"}),
        "approve-close" => json!({"version": 0}),
        "legal-hold" => json!({"version": 0, "hold": true, "reason": "klacht"}),
        _ => json!({}),
    }
}

fn urlencode(raw: &str) -> String {
    raw.replace('#', "%23")
}

#[tokio::test]
async fn closing_an_urgent_disclosure_needs_the_veilig_thuis_step_and_a_second_colleague() {
    let app = spawn_app().await;
    let id = app.routed_request(&urgent_child_body()).await;
    let anna = app
        .add_staff("anna@jeugdstem.example", "zuid-holland", Role::Confidant)
        .await;
    let bram = app
        .add_staff("bram@jeugdstem.example", "zuid-holland", Role::Confidant)
        .await;
    let anna = app.sign_in(&anna).await;
    let bram = app.sign_in(&bram).await;
    let page = format!("/api/staff/requests/{id}");
    let version = |v: &Value| v["version"].as_u64().unwrap();
    let post = |session, action: &str, body: Value| {
        let path = format!("{page}/{action}");
        let app = &app;
        async move { app.staff_post(session, &path, body).await }
    };
    let view: Value = post(&anna, "claim", json!({"version": 0}))
        .await
        .json()
        .await
        .unwrap();
    let view: Value = post(
        &anna,
        "disclosure",
        json!({"version": version(&view), "disclosure": true}),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(view["disclosure"], true);
    assert_eq!(view["needs_four_eyes"], true);
    let close = |v: &Value| json!({"version": version(v), "reason": "referred", "text": "Melding gedaan, kind is veilig"});
    let refused = post(&anna, "close", close(&view)).await;
    assert_eq!(refused.status(), 409);
    assert_eq!(
        api_error(refused).await.problem,
        kjr_domain::ApiProblem::VeiligThuisStepRequired
    );
    let future = Timestamp::now().0 + 3600;
    let bad_time = post(
        &anna,
        "veilig-thuis",
        json!({"version": version(&view), "step": "reported", "at": future}),
    )
    .await;
    assert_eq!(bad_time.status(), 422, "not in the future");
    let view: Value = post(
        &anna,
        "veilig-thuis",
        json!({"version": version(&view), "step": "reported", "note": "Melding 12-345"}),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(view["veilig_thuis"]["step"], "reported");
    assert_eq!(view["veilig_thuis"]["by"]["name"], "anna");
    let asked = post(&anna, "close", close(&view)).await;
    assert_eq!(asked.status(), 200);
    let view: Value = asked.json().await.unwrap();
    assert_eq!(view["status"], "awaiting_approval");
    assert_eq!(view["closing"]["requested_by"]["name"], "anna");

    let own = post(&anna, "approve-close", json!({"version": version(&view)})).await;
    assert_eq!(own.status(), 403, "the one who asked cannot approve");
    assert_eq!(
        api_error(own).await.problem,
        kjr_domain::ApiProblem::SecondColleagueRequired
    );
    let approved = post(&bram, "approve-close", json!({"version": version(&view)})).await;
    assert_eq!(approved.status(), 200);
    let view: Value = approved.json().await.unwrap();
    assert_eq!(view["status"], "closed");
    assert_eq!(view["closing"]["approved_by"]["name"], "bram");
    assert!(view["closing"]["closed_at"].is_number());

    let open = app.staff_json(&anna, "/api/staff/requests").await;
    assert!(
        open["rows"].as_array().unwrap().is_empty(),
        "closed requests leave the queue"
    );
    let closed = app
        .staff_json(&anna, "/api/staff/requests?status=closed")
        .await;
    assert_eq!(closed["rows"][0]["id"], id.as_str());
    let audit = app.staff_json(&anna, &format!("{page}/audit")).await;
    let actions: Vec<&str> = audit["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event"]["action"].as_str().unwrap())
        .collect();
    for step in [
        "disclosure_marked",
        "veilig_thuis_recorded",
        "close_requested",
        "closed",
    ] {
        assert!(actions.contains(&step), "{step} in {actions:?}");
    }
}

#[tokio::test]
async fn a_calm_request_without_signs_closes_at_once() {
    let app = spawn_app().await;
    let mut calm = urgent_child_body();
    calm["safe_now"] = "yes".into();
    let id = app.routed_request(&calm).await;
    let anna = app
        .add_staff("anna@jeugdstem.example", "zuid-holland", Role::Confidant)
        .await;
    let anna = app.sign_in(&anna).await;
    let page = format!("/api/staff/requests/{id}");
    let view: Value = app
        .staff_post(&anna, &format!("{page}/claim"), json!({"version": 0}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(view["needs_four_eyes"], false);
    let closed = app
        .staff_post(
            &anna,
            &format!("{page}/close"),
            json!({"version": view["version"], "reason": "helped", "text": "Gesprek gehad"}),
        )
        .await;
    assert_eq!(closed.status(), 200);
    let closed: Value = closed.json().await.unwrap();
    assert_eq!(closed["status"], "closed");
    assert_eq!(closed["closing"]["approved_by"], Value::Null);
}

#[tokio::test]
async fn a_transferred_request_goes_first_in_the_other_teams_queue_with_its_deadline() {
    let app = spawn_app().await;
    let waiting_in_noord = app.routed_request(&foster_parent_body()).await;
    // Arrival counts in seconds: the next one comes later.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let mut calm = urgent_child_body();
    calm["safe_now"] = "yes".into();
    let id = app.routed_request(&calm).await;
    let anna = app
        .add_staff("anna@jeugdstem.example", "zuid-holland", Role::Confidant)
        .await;
    let noor = app
        .add_staff("noor@jeugdstem.example", "noord", Role::Confidant)
        .await;
    let anna = app.sign_in(&anna).await;
    let noor = app.sign_in(&noor).await;
    let page = format!("/api/staff/requests/{id}");
    let before = app.staff_json(&anna, &page).await;
    let view: Value = app
        .staff_post(&anna, &format!("{page}/claim"), json!({"version": 0}))
        .await
        .json()
        .await
        .unwrap();
    let same = app
        .staff_post(
            &anna,
            &format!("{page}/transfer"),
            json!({"version": view["version"], "team": "zuid-holland", "reason": "x"}),
        )
        .await;
    assert_eq!(same.status(), 409, "not to its own team");
    let moved = app
        .staff_post(&anna, &format!("{page}/transfer"), json!({"version": view["version"], "team": "noord", "reason": "Kind woont in Groningen"}))
        .await;
    assert_eq!(moved.status(), 200);
    assert_eq!(
        app.staff(&anna, Method::GET, &page, None).await.status(),
        404,
        "gone from the old team"
    );

    let queue = app.staff_json(&noor, "/api/staff/requests").await;
    let ids: Vec<&str> = queue["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [id.as_str(), waiting_in_noord.as_str()],
        "first in the receiving queue"
    );
    let row = &queue["rows"][0];
    assert_eq!(row["status"], "new");
    assert_eq!(row["claimed_by"], Value::Null);
    assert_eq!(
        row["due_at"], before["due_at"],
        "with its original deadline"
    );
    let view = app.staff_json(&noor, &page).await;
    assert_eq!(view["transferred_from"], "zuid-holland");
    // Once taken, it sorts by arrival again.
    app.staff_post(
        &noor,
        &format!("{page}/claim"),
        json!({"version": view["version"]}),
    )
    .await;
    let queue = app.staff_json(&noor, "/api/staff/requests").await;
    let ids: Vec<&str> = queue["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [waiting_in_noord.as_str(), id.as_str()]);
}

#[tokio::test]
async fn retention_counts_from_closing_and_a_legal_hold_pauses_it() {
    let app = spawn_app().await;
    let mut calm = urgent_child_body();
    calm["safe_now"] = "yes".into();
    let id = app.routed_request(&calm).await;
    let other = app.routed_request(&calm).await;
    let anna = app
        .add_staff("anna@jeugdstem.example", "zuid-holland", Role::Confidant)
        .await;
    let coco = app
        .add_staff("coco@jeugdstem.example", "landelijk", Role::Coordinator)
        .await;
    let anna = app.sign_in(&anna).await;
    let coco = app.sign_in(&coco).await;
    let open = app
        .staff_json(&anna, &format!("/api/staff/requests/{id}"))
        .await;
    assert_eq!(
        open["deleted_after"],
        Value::Null,
        "an open request never expires"
    );
    assert_eq!(
        app.store
            .purge_expired(Timestamp(i64::from(i32::MAX)))
            .await
            .unwrap(),
        0
    );

    let mut closed_at = 0;
    for request in [&id, &other] {
        let page = format!("/api/staff/requests/{request}");
        let view: Value = app
            .staff_post(&anna, &format!("{page}/claim"), json!({"version": 0}))
            .await
            .json()
            .await
            .unwrap();
        let view: Value = app
            .staff_post(
                &anna,
                &format!("{page}/close"),
                json!({"version": view["version"], "reason": "helped", "text": "Klaar"}),
            )
            .await
            .json()
            .await
            .unwrap();
        closed_at = view["closing"]["closed_at"].as_i64().unwrap();
        assert_eq!(
            view["deleted_after"],
            closed_at + 365 * 86_400,
            "a year after closing"
        );
    }
    let page = format!("/api/staff/requests/{id}");
    let view = app.staff_json(&coco, &page).await;
    let refused = app
        .staff_post(
            &anna,
            &format!("{page}/legal-hold"),
            json!({"version": view["version"], "hold": true, "reason": "Klacht"}),
        )
        .await;
    assert_eq!(refused.status(), 403, "only coordinators");
    let held: Value = app
        .staff_post(
            &coco,
            &format!("{page}/legal-hold"),
            json!({"version": view["version"], "hold": true, "reason": "Klacht ingediend"}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(held["deleted_after"], Value::Null);
    assert_eq!(held["legal_hold"]["by"]["name"], "coco");

    // A year and a day later: the other request goes, the one on hold stays.
    let later = Timestamp(closed_at + 366 * 86_400);
    assert_eq!(app.store.purge_expired(later).await.unwrap(), 1);
    assert!(app.store.get(&other).await.unwrap().is_none());
    assert!(
        app.store.audit_trail(&other).await.unwrap().is_none(),
        "its audit trail goes with it"
    );
    assert!(app.store.get(&id).await.unwrap().is_some());

    let released: Value = app
        .staff_post(
            &coco,
            &format!("{page}/legal-hold"),
            json!({"version": held["version"], "hold": false, "reason": "Klacht afgehandeld"}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(released["deleted_after"], closed_at + 365 * 86_400);
}

#[tokio::test]
async fn the_coordinators_overview_counts_per_team_and_keeps_the_weekly_figures_after_deletion() {
    let app = spawn_app().await;
    let mut calm = urgent_child_body();
    calm["safe_now"] = "yes".into();
    let id = app.routed_request(&calm).await;
    app.routed_request(&foster_parent_body()).await;
    let anna = app
        .add_staff("anna@jeugdstem.example", "zuid-holland", Role::Confidant)
        .await;
    let coco = app
        .add_staff("coco@jeugdstem.example", "landelijk", Role::Coordinator)
        .await;
    let anna = app.sign_in(&anna).await;
    let coco = app.sign_in(&coco).await;
    assert_eq!(
        app.staff(&anna, Method::GET, "/api/staff/overview", None)
            .await
            .status(),
        403
    );

    let page = format!("/api/staff/requests/{id}");
    let view: Value = app
        .staff_post(&anna, &format!("{page}/claim"), json!({"version": 0}))
        .await
        .json()
        .await
        .unwrap();
    let reached: Value = app
        .staff_post(
            &anna,
            &format!("{page}/contact-attempts"),
            json!({"channel": "whatsapp", "result": "reached", "override_reason": "afgesproken"}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(reached["status"], "contact_made");
    let overview = app.staff_json(&coco, "/api/staff/overview").await;
    let team = |id: &str| {
        overview["teams"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["team"]["id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(
        team("zuid-holland")["counts"],
        json!([{"status": "contact_made", "count": 1}])
    );
    assert_eq!(
        team("noord")["counts"],
        json!([{"status": "new", "count": 1}])
    );
    assert_eq!(team("noord")["overdue"], 0);
    let week = &overview["weeks"][0];
    assert_eq!(week["contacted"], 1);
    assert_eq!(week["within_deadline"], 1);
    assert!(week["median_minutes"].is_number());
    let _ = view;

    // Closed and past retention: the request goes, the count stays.
    let view = app.staff_json(&anna, &page).await;
    let closed: Value = app
        .staff_post(
            &anna,
            &format!("{page}/close"),
            json!({"version": view["version"], "reason": "helped", "text": "Klaar"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let after = Timestamp(closed["closing"]["closed_at"].as_i64().unwrap() + 366 * 86_400);
    assert_eq!(app.store.purge_expired(after).await.unwrap(), 1);
    let overview = app.staff_json(&coco, "/api/staff/overview").await;
    assert_eq!(
        overview["weeks"][0]["contacted"], 1,
        "the anonymous count outlives the request"
    );
}
