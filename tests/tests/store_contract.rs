//! One contract, two backends: SQLite (always) and DynamoDB (against moto_server).

use std::sync::Arc;

use kjr_api::ids::{TeamId, Timestamp};
use kjr_api::store::{
    CreateOutcome, Queue, RoutingDecision, SqliteStore, Status, Store, StoreError,
};
use kjr_tests::fixtures::{dynamo_store, foster_parent_body, new_request, urgent_child_body};
use kjr_tests::servers::{Process, start_moto};

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

    let queue = store
        .queue(&TeamId("noord".into()), Status::Routed)
        .await
        .unwrap();
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
    assert_eq!(items.count(), 3, "request, idempotency and reference items");
    for item in items.items() {
        assert_eq!(
            item["expires_at"].as_n().unwrap(),
            &new.expires_at.0.to_string()
        );
    }
}
