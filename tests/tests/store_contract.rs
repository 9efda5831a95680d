//! One contract, two backends: SQLite (always) and DynamoDB (against moto_server).

use std::sync::Arc;

use kjr_api::ids::{TeamId, Timestamp};
use kjr_api::store::{
    Account, ApplyOutcome, CaseChange, CaseState, CreateOutcome, Cursor, FailureKey, OutboxStatus,
    Queue, QueueQuery, QueueScope, RoutingDecision, Session, SqliteStore, StaffMember, Status,
    Store, StoreError, verify_chain,
};
use kjr_domain::staff::{CaseEvent, CaseStatus, QueueFilter, Role, StaffId, StatusCount};
use kjr_tests::fixtures::{dynamo_store, foster_parent_body, new_request, urgent_child_body};
use kjr_tests::servers::{Process, start_moto};

use kjr_api::store::OidcLogin;
use kjr_api::store::staff::token_hash;

/// Keeps the backend's server (if any) alive for the test.
struct Backend {
    store: Arc<dyn Store>,
    _guard: Option<Process>,
    _dir: Option<tempfile::TempDir>,
}

fn sqlite() -> Backend {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("kjr.sqlite3")).unwrap();
    Backend {
        store: Arc::new(store),
        _guard: None,
        _dir: Some(dir),
    }
}

async fn dynamo() -> Backend {
    let moto = start_moto();
    let store = dynamo_store(&moto.url()).await;
    Backend {
        store: Arc::new(store),
        _guard: Some(moto),
        _dir: None,
    }
}

fn decision(team: &str, queue: Queue) -> RoutingDecision {
    RoutingDecision {
        team: TeamId(team.into()),
        queue,
        reason: "test".into(),
        decided_at: Timestamp(100),
    }
}

async fn created_request_reads_back_identically(store: Arc<dyn Store>) {
    let new = new_request(&urgent_child_body(), 10);
    let CreateOutcome::Created(created) = store.create(new.clone()).await.unwrap() else {
        panic!("not created")
    };
    let read = store.get(&new.id).await.unwrap().expect("stored");
    assert_eq!(read, created);
    assert_eq!(read.status, Status::New);
    assert_eq!(read.request, new.request);
    assert_eq!(store.count().await.unwrap(), 1);

    // From the picture route: a feeling, the body topic, and no answer about a trusted person.
    let pictures = new_request(
        &serde_json::json!({
            "asker": "child", "age_band": "under_12", "feeling": "scared",
            "topics": ["home", "body"], "safe_now": "not_sure", "channel": "on_website",
            "never_via_foster_parents": true
        }),
        12,
    );
    store.create(pictures.clone()).await.unwrap();
    let read = store.get(&pictures.id).await.unwrap().expect("stored");
    assert_eq!(read.request, pictures.request);
    assert_eq!(read.request.feeling(), Some(kjr_domain::Feeling::Scared));
    assert_eq!(read.request.has_trusted_person(), None);
}

async fn same_idempotency_key_returns_the_existing_request(store: Arc<dyn Store>) {
    let first = new_request(&urgent_child_body(), 10);
    store.create(first.clone()).await.unwrap();
    let mut again = new_request(&urgent_child_body(), 11);
    again.idempotency_key = first.idempotency_key.clone();
    match store.create(again).await.unwrap() {
        CreateOutcome::Existing(existing) => assert_eq!(existing.id, first.id),
        other => panic!("expected the existing request, got {other:?}"),
    }
    assert_eq!(store.count().await.unwrap(), 1);
}

async fn taken_reference_is_reported_and_nothing_is_stored(store: Arc<dyn Store>) {
    let first = new_request(&urgent_child_body(), 10);
    store.create(first.clone()).await.unwrap();
    let mut clash = new_request(&foster_parent_body(), 11);
    clash.reference = first.reference.clone();
    assert!(matches!(
        store.create(clash.clone()).await,
        Err(StoreError::ReferenceTaken)
    ));
    assert_eq!(store.count().await.unwrap(), 1);
    assert!(store.get(&clash.id).await.unwrap().is_none());
}

async fn routing_is_recorded_once(store: Arc<dyn Store>) {
    let new = new_request(&urgent_child_body(), 10);
    store.create(new.clone()).await.unwrap();
    assert!(
        store
            .record_routing(&new.id, &decision("zuid-holland", Queue::Urgent))
            .await
            .unwrap()
    );
    assert!(
        !store
            .record_routing(&new.id, &decision("noord", Queue::Normal))
            .await
            .unwrap()
    );
    let stored = store.get(&new.id).await.unwrap().unwrap();
    assert_eq!(stored.status, Status::Routed);
    assert_eq!(stored.routing.unwrap().team.as_str(), "zuid-holland");
}

async fn queue_lists_urgent_first_then_oldest(store: Arc<dyn Store>) {
    let old_normal = new_request(&foster_parent_body(), 10);
    let new_normal = new_request(&foster_parent_body(), 20);
    let urgent = new_request(&urgent_child_body(), 30);
    for (r, q) in [
        (&new_normal, Queue::Normal),
        (&urgent, Queue::Urgent),
        (&old_normal, Queue::Normal),
    ] {
        store.create(r.clone()).await.unwrap();
        store
            .record_routing(&r.id, &decision("noord", q))
            .await
            .unwrap();
    }
    let other = new_request(&foster_parent_body(), 5);
    store.create(other.clone()).await.unwrap();
    store
        .record_routing(&other.id, &decision("zuid", Queue::Normal))
        .await
        .unwrap();

    let queue = store.routed_queue(&TeamId("noord".into())).await.unwrap();
    let ids: Vec<_> = queue.iter().map(|e| e.id.clone()).collect();
    assert_eq!(ids, vec![urgent.id, old_normal.id, new_normal.id]);
    assert_eq!(queue[0].queue, Queue::Urgent);
}

async fn routing_job_stays_pending_until_the_team_is_notified(store: Arc<dyn Store>) {
    let new = new_request(&urgent_child_body(), 10);
    store.create(new.clone()).await.unwrap();
    assert_eq!(store.pending_jobs().await.unwrap(), vec![new.id.clone()]);
    store
        .record_routing(&new.id, &decision("zuid-holland", Queue::Urgent))
        .await
        .unwrap();
    assert_eq!(store.pending_jobs().await.unwrap(), vec![new.id.clone()]);
    store.mark_notified(&new.id, Timestamp(200)).await.unwrap();
    assert!(store.pending_jobs().await.unwrap().is_empty());
    assert_eq!(
        store.get(&new.id).await.unwrap().unwrap().notified_at,
        Some(Timestamp(200))
    );
}

async fn the_outbox_status_counts_unfinished_jobs_and_the_last_notification(store: Arc<dyn Store>) {
    assert_eq!(
        store.outbox_status().await.unwrap(),
        OutboxStatus::default()
    );
    let older = new_request(&urgent_child_body(), 10);
    let newer = new_request(&foster_parent_body(), 30);
    for r in [&newer, &older] {
        store.create(r.clone()).await.unwrap();
    }
    let status = store.outbox_status().await.unwrap();
    assert_eq!(status.pending, 2);
    assert_eq!(status.oldest_pending_since, Some(Timestamp(10)));
    assert_eq!(status.last_notified_at, None);
    assert_eq!(status.backlog_age_seconds(Timestamp(70)), 60);

    store
        .record_routing(&older.id, &decision("zuid-holland", Queue::Urgent))
        .await
        .unwrap();
    store
        .mark_notified(&older.id, Timestamp(200))
        .await
        .unwrap();
    let status = store.outbox_status().await.unwrap();
    assert_eq!(status.pending, 1);
    assert_eq!(status.oldest_pending_since, Some(Timestamp(30)));
    assert_eq!(status.last_notified_at, Some(Timestamp(200)));
}

async fn routed(
    store: &Arc<dyn Store>,
    body: &serde_json::Value,
    at: i64,
    team: &str,
) -> kjr_api::ids::RequestId {
    let new = new_request(body, at);
    store.create(new.clone()).await.unwrap();
    let queue = Queue::for_request(&new.request);
    store
        .record_routing(&new.id, &decision(team, queue))
        .await
        .unwrap();
    new.id
}

fn query(scope: QueueScope, filter: QueueFilter, limit: u32) -> QueueQuery {
    QueueQuery {
        scope,
        filter,
        after: None,
        limit,
        now: Timestamp(1_000),
    }
}

async fn queue_filters_and_pages(store: Arc<dyn Store>) {
    let mut calm = urgent_child_body();
    calm["safe_now"] = "yes".into();
    let mut young = calm.clone();
    young["age_band"] = "under_12".into();
    young["topics"] = serde_json::json!(["school"]);
    let urgent = routed(&store, &urgent_child_body(), 30, "zuid-holland").await;
    let old_calm = routed(&store, &calm, 10, "zuid-holland").await;
    let young = routed(&store, &young, 20, "zuid-holland").await;
    let foster = routed(&store, &foster_parent_body(), 5, "noord").await;
    let unrouted = new_request(&calm, 1);
    store.create(unrouted).await.unwrap();
    let team = || QueueScope::Team(TeamId("zuid-holland".into()));
    let ids = |q: QueueQuery| {
        let store = store.clone();
        async move {
            store
                .queue(&q)
                .await
                .unwrap()
                .requests
                .into_iter()
                .map(|r| r.id)
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        ids(query(team(), QueueFilter::default(), 10)).await,
        [urgent.clone(), old_calm.clone(), young.clone()],
        "urgent first, then oldest; routed only"
    );
    assert_eq!(
        ids(query(QueueScope::All, QueueFilter::default(), 10)).await,
        [
            urgent.clone(),
            foster.clone(),
            old_calm.clone(),
            young.clone()
        ]
    );
    let filtered = |f: QueueFilter| query(QueueScope::All, f, 10);
    use kjr_domain::{AgeBand, AskerKind, Topic};
    let cases = [
        (
            QueueFilter {
                urgency: Some(Queue::Urgent),
                ..Default::default()
            },
            vec![urgent.clone()],
        ),
        (
            QueueFilter {
                asker: Some(AskerKind::FosterParent),
                ..Default::default()
            },
            vec![foster.clone()],
        ),
        (
            QueueFilter {
                age_band: Some(AgeBand::Under12),
                ..Default::default()
            },
            vec![young.clone()],
        ),
        (
            QueueFilter {
                topic: Some(Topic::School),
                ..Default::default()
            },
            vec![young.clone()],
        ),
        (
            QueueFilter {
                municipality: Some("Groningen".into()),
                ..Default::default()
            },
            vec![foster.clone()],
        ),
        (
            QueueFilter {
                status: Some(CaseStatus::Closed),
                ..Default::default()
            },
            vec![],
        ),
        // Deadlines: 48 h after arrival (new_request), so nothing is overdue at t=1000...
        (
            QueueFilter {
                overdue: Some(true),
                ..Default::default()
            },
            vec![],
        ),
    ];
    for (filter, expected) in cases {
        assert_eq!(ids(filtered(filter.clone())).await, expected, "{filter:?}");
    }
    // ...and everything open is, three days later.
    let late = QueueQuery {
        now: Timestamp(3 * 86_400),
        ..filtered(QueueFilter {
            overdue: Some(true),
            ..Default::default()
        })
    };
    assert_eq!(ids(late).await.len(), 4);

    let first = store
        .queue(&query(team(), QueueFilter::default(), 2))
        .await
        .unwrap();
    assert_eq!(first.requests.len(), 2);
    let cursor = Cursor::parse(first.next_cursor.as_deref().unwrap()).unwrap();
    let second = store
        .queue(&QueueQuery {
            after: Some(cursor),
            ..query(team(), QueueFilter::default(), 2)
        })
        .await
        .unwrap();
    assert_eq!(
        second
            .requests
            .iter()
            .map(|r| r.id.clone())
            .collect::<Vec<_>>(),
        [young]
    );
    assert_eq!(second.next_cursor, None);

    assert_eq!(
        store.status_counts(&team()).await.unwrap(),
        [StatusCount {
            status: CaseStatus::New,
            count: 3
        }]
    );
}

fn staff_ref(name: &str) -> kjr_domain::staff::StaffRef {
    kjr_domain::staff::StaffRef {
        id: StaffId(format!("local:{name}")),
        name: name.into(),
    }
}

async fn changes_lock_on_the_version_and_chain_their_events(store: Arc<dyn Store>) {
    let id = routed(&store, &urgent_child_body(), 10, "zuid-holland").await;
    store.mark_notified(&id, Timestamp(20)).await.unwrap();
    let current = store.get(&id).await.unwrap().unwrap();
    let viewed = CaseChange {
        actor: Some(staff_ref("anna")),
        at: Timestamp(30),
        events: vec![CaseEvent::Viewed],
        state: None,
        team: None,
        expires_at: None,
        first_contact: None,
        renotify: false,
    };
    assert!(matches!(
        store.apply(&id, viewed).await.unwrap(),
        Some(ApplyOutcome::Applied(_))
    ));
    let claimed = CaseState {
        status: CaseStatus::InProgress,
        version: 1,
        claimed_by: Some(staff_ref("anna")),
        changed_by: Some(staff_ref("anna")),
        changed_at: Timestamp(40),
        ..current.case.clone()
    };
    let claim = |at: i64| CaseChange {
        actor: Some(staff_ref("anna")),
        at: Timestamp(at),
        events: vec![CaseEvent::Claimed {
            assignee: staff_ref("anna"),
        }],
        state: Some((0, claimed.clone())),
        team: None,
        expires_at: None,
        first_contact: None,
        renotify: false,
    };
    let Some(ApplyOutcome::Applied(now)) = store.apply(&id, claim(40)).await.unwrap() else {
        panic!("first claim applies")
    };
    assert_eq!(now.case, claimed);
    let Some(ApplyOutcome::Conflict(now)) = store.apply(&id, claim(50)).await.unwrap() else {
        panic!("a second change on version 0 conflicts")
    };
    assert_eq!(now.case.changed_by, Some(staff_ref("anna")));

    let (entries, head) = store.audit_trail(&id).await.unwrap().unwrap();
    let actions: Vec<&str> = entries.iter().map(|e| e.event.action()).collect();
    assert_eq!(
        actions,
        ["received", "routed", "notified", "viewed", "claimed"]
    );
    assert_eq!(head.seq, 5);
    verify_chain(&entries, &head).unwrap();
    assert_eq!(
        store
            .queue(&query(
                QueueScope::All,
                QueueFilter {
                    status: Some(CaseStatus::InProgress),
                    ..Default::default()
                },
                5
            ))
            .await
            .unwrap()
            .requests
            .len(),
        1
    );
    assert!(
        store
            .apply(&kjr_api::ids::new_request_id(), claim(60))
            .await
            .unwrap()
            .is_none()
    );
}

async fn a_transfer_moves_the_request_to_the_top_of_the_other_queue(store: Arc<dyn Store>) {
    let waiting = routed(&store, &foster_parent_body(), 10, "noord").await;
    let mut calm = urgent_child_body();
    calm["safe_now"] = "yes".into();
    let moving = routed(&store, &calm, 20, "zuid-holland").await;
    let current = store.get(&moving).await.unwrap().unwrap();
    let moved = CaseState {
        version: 1,
        transferred_from: Some(TeamId("zuid-holland".into())),
        first_in_queue: true,
        ..current.case.clone()
    };
    let change = CaseChange {
        actor: Some(staff_ref("anna")),
        at: Timestamp(30),
        events: vec![CaseEvent::Transferred {
            from: TeamId("zuid-holland".into()),
            to: TeamId("noord".into()),
            reason: "verhuisd".into(),
        }],
        state: Some((0, moved)),
        team: Some(TeamId("noord".into())),
        expires_at: None,
        first_contact: None,
        renotify: false,
    };
    assert!(matches!(
        store.apply(&moving, change).await.unwrap(),
        Some(ApplyOutcome::Applied(_))
    ));
    let team = |t: &str| {
        query(
            QueueScope::Team(TeamId(t.into())),
            QueueFilter::default(),
            10,
        )
    };
    let after = store.get(&moving).await.unwrap().unwrap();
    assert_eq!(
        after.routing.as_ref().unwrap().team,
        TeamId("noord".into()),
        "{after:?}"
    );
    let noord: Vec<_> = store
        .queue(&team("noord"))
        .await
        .unwrap()
        .requests
        .into_iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(noord, [moving.clone(), waiting]);
    assert!(
        store
            .queue(&team("zuid-holland"))
            .await
            .unwrap()
            .requests
            .is_empty()
    );
    let all = store
        .queue(&query(QueueScope::All, QueueFilter::default(), 10))
        .await
        .unwrap();
    assert_eq!(all.requests[0].id, moving);
    assert_eq!(
        all.requests[0].routing.as_ref().unwrap().team,
        TeamId("noord".into())
    );
}

async fn a_new_deletion_date_is_recorded_with_the_change(store: Arc<dyn Store>) {
    let mut new = new_request(&urgent_child_body(), 10);
    new.expires_at = Timestamp::NEVER;
    store.create(new.clone()).await.unwrap();
    store
        .record_routing(&new.id, &decision("zuid-holland", Queue::Urgent))
        .await
        .unwrap();
    let current = store.get(&new.id).await.unwrap().unwrap();
    let change = CaseChange {
        actor: Some(staff_ref("anna")),
        at: Timestamp(50),
        events: vec![CaseEvent::Viewed],
        state: Some((
            0,
            CaseState {
                version: 1,
                ..current.case.clone()
            },
        )),
        team: None,
        expires_at: Some(Timestamp(50).plus_days(365)),
        first_contact: None,
        renotify: false,
    };
    assert!(matches!(
        store.apply(&new.id, change).await.unwrap(),
        Some(ApplyOutcome::Applied(_))
    ));
    assert_eq!(
        store.get(&new.id).await.unwrap().unwrap().expires_at,
        Timestamp(50).plus_days(365)
    );
}

async fn first_contact_counts_are_kept_with_the_change(store: Arc<dyn Store>) {
    let id = routed(&store, &urgent_child_body(), 10, "zuid-holland").await;
    let current = store.get(&id).await.unwrap().unwrap();
    let count = kjr_api::store::FirstContact {
        week: "2026-W49".into(),
        team: TeamId("zuid-holland".into()),
        urgent: true,
        minutes: 42,
        within_deadline: true,
    };
    let change = CaseChange {
        actor: Some(staff_ref("anna")),
        at: Timestamp(60),
        events: vec![CaseEvent::Viewed],
        state: Some((
            0,
            CaseState {
                version: 1,
                first_contact_at: Some(Timestamp(60)),
                ..current.case.clone()
            },
        )),
        team: None,
        expires_at: None,
        first_contact: Some(count.clone()),
        renotify: false,
    };
    store.apply(&id, change).await.unwrap();
    let weeks = ["2026-W48".to_owned(), "2026-W49".to_owned()];
    assert_eq!(store.first_contacts(&weeks).await.unwrap(), vec![count]);
}

async fn accounts_sessions_and_failures_round_trip(store: Arc<dyn Store>) {
    let member = StaffMember {
        id: StaffId("local:1".into()),
        name: "Anna".into(),
        team: Some(TeamId("noord".into())),
        role: Role::Confidant,
    };
    let account = Account {
        member: member.clone(),
        email: "anna@jeugdstem.example".into(),
        password_hash: "$argon2id$x".into(),
        totp_secret: Some("SECRET".into()),
        last_totp_step: None,
        disabled: false,
    };
    assert!(store.create_account(&account).await.unwrap());
    assert!(
        !store.create_account(&account).await.unwrap(),
        "one account per address"
    );
    let mut changed = account.clone();
    changed.last_totp_step = Some(7);
    store.update_account(&changed).await.unwrap();
    assert_eq!(
        store.account("anna@jeugdstem.example").await.unwrap(),
        Some(changed)
    );
    assert_eq!(
        store.account("other@jeugdstem.example").await.unwrap(),
        None
    );

    store.upsert_staff(&member).await.unwrap();
    store.upsert_staff(&member).await.unwrap();
    assert_eq!(store.staff_directory().await.unwrap(), vec![member.clone()]);

    let session = Session {
        token_hash: "h1".into(),
        member: member.clone(),
        csrf_token: "c".into(),
        created_at: Timestamp(100),
        last_seen_at: Timestamp(100),
        expires_at: Timestamp(i64::from(i32::MAX)),
    };
    store.create_session(&session).await.unwrap();
    store
        .create_session(&Session {
            token_hash: "h2".into(),
            ..session.clone()
        })
        .await
        .unwrap();
    store.touch_session("h1", Timestamp(160)).await.unwrap();
    assert_eq!(
        store.session("h1").await.unwrap().unwrap().last_seen_at,
        Timestamp(160)
    );
    store.delete_session("h1").await.unwrap();
    assert_eq!(store.session("h1").await.unwrap(), None);
    store.delete_sessions_of(&member.id).await.unwrap();
    assert_eq!(store.session("h2").await.unwrap(), None);

    let key = FailureKey::account("anna@jeugdstem.example");
    for at in [100, 200, 300] {
        store
            .record_sign_in_failure(&key, Timestamp(at), Timestamp(at + 900))
            .await
            .unwrap();
    }
    assert_eq!(
        store.sign_in_failures(&key, Timestamp(150)).await.unwrap(),
        [Timestamp(200), Timestamp(300)]
    );
    assert!(
        store
            .sign_in_failures(&FailureKey::client("127.0.0.1"), Timestamp(0))
            .await
            .unwrap()
            .is_empty()
    );
    store.clear_sign_in_failures(&key).await.unwrap();
    assert!(
        store
            .sign_in_failures(&key, Timestamp(0))
            .await
            .unwrap()
            .is_empty()
    );
}

fn oidc_login(state: &str, created_at: i64) -> OidcLogin {
    OidcLogin {
        state_hash: token_hash(state),
        browser_hash: token_hash("browser"),
        nonce: "nonce".into(),
        pkce_verifier: "verifier".into(),
        return_to: "/staff/".into(),
        created_at: Timestamp(created_at),
        expires_at: Timestamp(created_at + 600),
    }
}

async fn an_oidc_login_is_taken_once_and_not_after_it_expired(store: Arc<dyn Store>) {
    let login = oidc_login("state-one", 1000);
    store.create_oidc_login(&login).await.unwrap();
    store
        .create_oidc_login(&oidc_login("state-two", 1000))
        .await
        .unwrap();
    assert_eq!(
        store
            .take_oidc_login(&token_hash("another state"), Timestamp(1001))
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        store
            .take_oidc_login(&login.state_hash, Timestamp(1001))
            .await
            .unwrap(),
        Some(login.clone()),
    );
    assert_eq!(
        store
            .take_oidc_login(&login.state_hash, Timestamp(1002))
            .await
            .unwrap(),
        None,
        "a second take finds nothing"
    );
    assert_eq!(
        store
            .take_oidc_login(&token_hash("state-two"), Timestamp(1600))
            .await
            .unwrap(),
        None,
        "expired after ten minutes"
    );
}

async fn a_message_from_the_asker_finds_it_by_reference_puts_it_on_top_and_tells_the_team_again(
    store: Arc<dyn Store>,
) {
    let earlier = routed(&store, &foster_parent_body(), 10, "noord").await;
    let mut website = foster_parent_body();
    website["channel"] = "on_website".into();
    website.as_object_mut().unwrap().remove("contact");
    website.as_object_mut().unwrap().remove("contact_times");
    let mut new = new_request(&website, 20);
    new.code_hash = Some("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into());
    store.create(new.clone()).await.unwrap();
    store
        .record_routing(&new.id, &decision("noord", Queue::Normal))
        .await
        .unwrap();
    for id in [&earlier, &new.id] {
        store.mark_notified(id, Timestamp(30)).await.unwrap();
    }
    let found = store
        .find_by_reference(&new.reference)
        .await
        .unwrap()
        .expect("found by its reference");
    assert_eq!(found.id, new.id);
    assert_eq!(
        found
            .case
            .conversation
            .as_ref()
            .map(|c| c.code_hash.as_str()),
        new.code_hash.as_deref()
    );
    let unknown = kjr_domain::Reference::parse("KJR-2222-3333").unwrap();
    assert!(store.find_by_reference(&unknown).await.unwrap().is_none());
    let order = |store: Arc<dyn Store>| async move {
        store
            .routed_queue(&TeamId("noord".into()))
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.id)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        order(store.clone()).await,
        vec![earlier.clone(), new.id.clone()]
    );

    let mut waiting = found.case.clone();
    waiting.version += 1;
    if let Some(c) = waiting.conversation.as_mut() {
        c.asker_waiting_since = Some(Timestamp(100));
    }
    let change = CaseChange {
        actor: None,
        at: Timestamp(100),
        events: vec![CaseEvent::MessageFromAsker {
            text: "Ik wil praten.".into(),
            idempotency_key: "k".repeat(22),
        }],
        state: Some((found.case.version, waiting)),
        team: None,
        expires_at: None,
        first_contact: None,
        renotify: true,
    };
    let Some(ApplyOutcome::Applied(now)) = store.apply(&new.id, change).await.unwrap() else {
        panic!("the message is recorded")
    };
    assert_eq!(now.notified_at, None, "the team is to be told again");
    assert_eq!(store.pending_jobs().await.unwrap(), vec![new.id.clone()]);
    let status = store.outbox_status().await.unwrap();
    assert_eq!(
        status.oldest_pending_since,
        Some(Timestamp(100)),
        "waits since the message"
    );
    assert_eq!(
        order(store.clone()).await,
        vec![new.id.clone(), earlier.clone()]
    );
    store.mark_notified(&new.id, Timestamp(110)).await.unwrap();
    assert!(store.pending_jobs().await.unwrap().is_empty());
}

macro_rules! contract {
    ($($case:ident),* $(,)?) => {
        mod sqlite_backend {
            use super::*;
            $(#[tokio::test] async fn $case() { let b = sqlite(); super::$case(b.store.clone()).await; })*
        }
        mod dynamodb_backend {
            use super::*;
            $(#[tokio::test] async fn $case() { let b = dynamo().await; super::$case(b.store.clone()).await; })*
        }
    };
}

contract!(
    created_request_reads_back_identically,
    same_idempotency_key_returns_the_existing_request,
    taken_reference_is_reported_and_nothing_is_stored,
    routing_is_recorded_once,
    queue_lists_urgent_first_then_oldest,
    routing_job_stays_pending_until_the_team_is_notified,
    the_outbox_status_counts_unfinished_jobs_and_the_last_notification,
    queue_filters_and_pages,
    changes_lock_on_the_version_and_chain_their_events,
    accounts_sessions_and_failures_round_trip,
    a_transfer_moves_the_request_to_the_top_of_the_other_queue,
    a_new_deletion_date_is_recorded_with_the_change,
    first_contact_counts_are_kept_with_the_change,
    an_oidc_login_is_taken_once_and_not_after_it_expired,
    a_message_from_the_asker_finds_it_by_reference_puts_it_on_top_and_tells_the_team_again,
);

#[tokio::test]
async fn sqlite_purges_requests_past_retention() {
    let b = sqlite();
    let new = new_request(&urgent_child_body(), 10);
    b.store.create(new.clone()).await.unwrap();
    assert_eq!(b.store.purge_expired(Timestamp(10)).await.unwrap(), 0);
    assert_eq!(b.store.purge_expired(new.expires_at).await.unwrap(), 1);
    assert_eq!(b.store.count().await.unwrap(), 0);
}

#[tokio::test]
async fn dynamodb_gives_every_item_of_a_closed_request_its_deletion_date() {
    let moto = start_moto();
    let store = dynamo_store(&moto.url()).await;
    let mut new = new_request(&urgent_child_body(), 10);
    new.expires_at = Timestamp::NEVER;
    store.create(new.clone()).await.unwrap();
    store
        .record_routing(&new.id, &decision("zuid-holland", Queue::Urgent))
        .await
        .unwrap();
    let current = store.get(&new.id).await.unwrap().unwrap();
    let deleted_after = Timestamp(50).plus_days(365);
    let change = CaseChange {
        actor: None,
        at: Timestamp(50),
        events: vec![CaseEvent::Viewed],
        state: Some((
            0,
            CaseState {
                version: 1,
                ..current.case.clone()
            },
        )),
        team: None,
        expires_at: Some(deleted_after),
        first_contact: None,
        renotify: false,
    };
    store.apply(&new.id, change).await.unwrap();
    let client = kjr_tests::fixtures::dynamo_client(&moto.url()).await;
    let items = client
        .scan()
        .table_name(store.table_name())
        .send()
        .await
        .unwrap();
    assert_eq!(
        items.count(),
        6,
        "request, three events, idempotency and reference items"
    );
    for item in items.items() {
        assert_eq!(
            item["expires_at"].as_n().unwrap(),
            &deleted_after.0.to_string(),
            "{item:?}"
        );
    }
}

#[tokio::test]
async fn dynamodb_items_carry_the_ttl_attribute() {
    let moto = start_moto();
    let store = dynamo_store(&moto.url()).await;
    let new = new_request(&urgent_child_body(), 10);
    store.create(new.clone()).await.unwrap();
    let client = kjr_tests::fixtures::dynamo_client(&moto.url()).await;
    let tables = client.list_tables().send().await.unwrap();
    let table = tables.table_names()[0].clone();
    let ttl = client
        .describe_time_to_live()
        .table_name(&table)
        .send()
        .await
        .unwrap();
    let desc = ttl.time_to_live_description().unwrap();
    assert_eq!(desc.attribute_name(), Some("expires_at"));
    let items = client.scan().table_name(&table).send().await.unwrap();
    assert_eq!(
        items.count(),
        4,
        "request, its first audit event, idempotency and reference items"
    );
    for item in items.items() {
        assert_eq!(
            item["expires_at"].as_n().unwrap(),
            &new.expires_at.0.to_string()
        );
    }
}

/// The error and every source under it, as a log or error report would show them.
fn error_chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(e) = source {
        text.push_str(" <- ");
        text.push_str(&e.to_string());
        source = e.source();
    }
    text
}

/// A stored payload that no longer reads as a request, with something personal in the field
/// whose type is wrong (serde's own message would quote it).
const CORRUPT_PAYLOAD: &str = r#"{"asker":"child","has_trusted_person":"mijn geheim 0699999999"}"#;

fn assert_corrupt_payload_is_named_but_not_shown(
    result: Result<Option<impl std::fmt::Debug>, StoreError>,
) {
    let err = result.expect_err("a corrupt payload is an error");
    assert!(
        matches!(
            err,
            StoreError::Corrupt {
                field: "payload",
                ..
            }
        ),
        "{err:?}"
    );
    let chain = error_chain(&err);
    assert!(chain.contains("payload"), "{chain}");
    assert!(std::error::Error::source(&err).is_some(), "{chain}");
    assert!(
        !chain.contains("geheim") && !chain.contains("0699999999"),
        "the error shows stored content: {chain}"
    );
}

#[tokio::test]
async fn sqlite_reports_a_corrupt_payload_by_field_without_its_content() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kjr.sqlite3");
    let store = SqliteStore::open(&path).unwrap();
    let new = new_request(&urgent_child_body(), 10);
    store.create(new.clone()).await.unwrap();
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute(
            "UPDATE requests SET payload = ?1 WHERE id = ?2",
            [CORRUPT_PAYLOAD, new.id.as_str()],
        )
        .unwrap();

    assert_corrupt_payload_is_named_but_not_shown(store.get(&new.id).await);
}

#[tokio::test]
async fn dynamodb_reports_a_corrupt_payload_by_field_without_its_content() {
    use aws_sdk_dynamodb::types::AttributeValue;
    let moto = start_moto();
    let store = dynamo_store(&moto.url()).await;
    let new = new_request(&urgent_child_body(), 10);
    store.create(new.clone()).await.unwrap();
    kjr_tests::fixtures::dynamo_client(&moto.url())
        .await
        .update_item()
        .table_name(store.table_name())
        .key("pk", AttributeValue::S(format!("REQ#{}", new.id)))
        .key("sk", AttributeValue::S("REQ".into()))
        .update_expression("SET payload = :p")
        .expression_attribute_values(":p", AttributeValue::S(CORRUPT_PAYLOAD.into()))
        .send()
        .await
        .unwrap();

    assert_corrupt_payload_is_named_but_not_shown(store.get(&new.id).await);
}

#[tokio::test]
async fn dynamodb_items_keep_their_attribute_names_and_types() {
    use std::collections::BTreeMap;

    use aws_sdk_dynamodb::types::AttributeValue;
    let moto = start_moto();
    let store = dynamo_store(&moto.url()).await;
    let routed = new_request(&urgent_child_body(), 10);
    let fresh = new_request(&foster_parent_body(), 20);
    store.create(routed.clone()).await.unwrap();
    store.create(fresh.clone()).await.unwrap();
    store
        .record_routing(&routed.id, &decision("zuid-holland", Queue::Urgent))
        .await
        .unwrap();
    store
        .mark_notified(&routed.id, Timestamp(200))
        .await
        .unwrap();

    let client = kjr_tests::fixtures::dynamo_client(&moto.url()).await;
    let scan = client
        .scan()
        .table_name(store.table_name())
        .send()
        .await
        .unwrap();
    let items = scan.items();
    let s = |item: &std::collections::HashMap<String, AttributeValue>, name: &str| {
        item[name].as_s().unwrap().clone()
    };
    let types = |item: &std::collections::HashMap<String, AttributeValue>| {
        item.iter()
            .map(|(name, value)| {
                let kind = match value {
                    AttributeValue::S(_) => "S",
                    AttributeValue::N(_) => "N",
                    AttributeValue::Null(_) => "NULL",
                    AttributeValue::M(_) => "M",
                    AttributeValue::L(_) => "L",
                    _ => "other",
                };
                (name.clone(), kind)
            })
            .collect::<BTreeMap<_, _>>()
    };
    let expected = |names: &[(&str, &'static str)]| {
        names
            .iter()
            .map(|(n, k)| (n.to_string(), *k))
            .collect::<BTreeMap<_, _>>()
    };
    let request_item = |id: &kjr_api::ids::RequestId| {
        items
            .iter()
            .find(|item| s(item, "pk") == format!("REQ#{id}") && s(item, "sk") == "REQ")
            .expect("request item")
    };
    let new_request_attributes = [
        ("pk", "S"),
        ("sk", "S"),
        ("id", "S"),
        ("reference", "S"),
        ("idempotency_key", "S"),
        ("payload", "S"),
        ("queue", "S"),
        ("status", "S"),
        ("received_at", "N"),
        ("expires_at", "N"),
        ("gsi1pk", "S"),
        ("gsi1sk", "S"),
        ("case_state", "M"),
        ("case_status", "S"),
        ("version", "N"),
        ("asker", "S"),
        ("age_band", "S"),
        ("topics", "L"),
        ("municipality", "S"),
        ("due_at", "N"),
        ("audit_seq", "N"),
        ("audit_hash", "S"),
    ];
    let mut routed_attributes = new_request_attributes.to_vec();
    routed_attributes.extend([
        ("team", "S"),
        ("routing_reason", "S"),
        ("routed_at", "N"),
        ("notified_at", "N"),
        ("gsi2pk", "S"),
        ("gsi2sk", "S"),
    ]);

    let fresh_item = request_item(&fresh.id);
    assert_eq!(types(fresh_item), expected(&new_request_attributes));
    assert_eq!(s(fresh_item, "sk"), "REQ");
    assert_eq!(s(fresh_item, "status"), "new");
    assert_eq!(s(fresh_item, "gsi1pk"), "UNROUTED");
    assert_eq!(fresh_item["received_at"].as_n().unwrap(), "20");
    let routed_item = request_item(&routed.id);
    assert_eq!(types(routed_item), expected(&routed_attributes));
    assert_eq!(s(routed_item, "status"), "routed");
    assert_eq!(s(routed_item, "queue"), "urgent");
    assert_eq!(s(routed_item, "team"), "zuid-holland");
    assert_eq!(s(routed_item, "gsi1pk"), "QUEUE#zuid-holland#open");
    assert_eq!(s(routed_item, "gsi2pk"), "QUEUE#*#open");
    assert_eq!(
        routed_item["audit_seq"].as_n().unwrap(),
        "3",
        "received, routed, notified"
    );
    assert_eq!(
        s(routed_item, "gsi1sk"),
        format!("0#{:012}#{}", 10, routed.id)
    );
    assert_eq!(routed_item["notified_at"].as_n().unwrap(), "200");

    let pointer_attributes = expected(&[
        ("pk", "S"),
        ("sk", "S"),
        ("request_id", "S"),
        ("expires_at", "N"),
    ]);
    let mut pointers: Vec<_> = items
        .iter()
        .filter(|item| ["IDEM", "REF"].contains(&s(item, "sk").as_str()))
        .map(|item| {
            assert_eq!(types(item), pointer_attributes, "{item:?}");
            (s(item, "pk"), s(item, "sk"), s(item, "request_id"))
        })
        .collect();
    pointers.sort();
    let mut expected_pointers: Vec<_> = [&routed, &fresh]
        .iter()
        .flat_map(|r| {
            [
                (format!("IDEM#{}", r.idempotency_key.as_str()), "IDEM"),
                (format!("REF#{}", r.reference.as_str()), "REF"),
            ]
            .map(|(pk, sk)| (pk, sk.to_owned(), r.id.to_string()))
        })
        .collect();
    expected_pointers.sort();
    assert_eq!(pointers, expected_pointers);
}
