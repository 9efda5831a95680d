//! The SQLite schema moves on by migrations, and a database written before migrations existed
//! (schema v0: the tables, `user_version` 0) opens with every request and routing job intact.

use std::path::{Path, PathBuf};

use kjr_api::ids::{RequestId, TeamId, Timestamp};
use kjr_api::store::{
    CaseState, CreateOutcome, Queue, RoutingDecision, SqliteStore, Status, Store, StoreError,
    StoredRequest,
};
use kjr_tests::fixtures::{foster_parent_body, new_request, request_from, urgent_child_body};
use rusqlite::Connection;
use serde_json::Value;

/// A v0 database as SQL, written by the store before migrations (its header says how).
const SCHEMA_V0: &str = include_str!("../fixtures/schema-v0.sql");

/// How many migrations the api ships: one file each.
fn migration_count() -> i64 {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../api/src/store/migrations");
    std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter(|entry| {
            entry
                .as_ref()
                .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "sql"))
        })
        .count() as i64
}

fn pragma(path: &Path, name: &str) -> i64 {
    Connection::open(path)
        .unwrap()
        .query_row(&format!("PRAGMA {name}"), [], |r| r.get(0))
        .unwrap()
}

/// Every table and index, as SQLite keeps their definitions.
fn schema(path: &Path) -> Vec<(String, String)> {
    let conn = Connection::open(path).unwrap();
    let mut stmt = conn
        .prepare("SELECT name, sql FROM sqlite_schema WHERE sql IS NOT NULL ORDER BY name")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn v0_database(dir: &Path) -> PathBuf {
    let path = dir.join("kjr.sqlite3");
    Connection::open(&path)
        .unwrap()
        .execute_batch(SCHEMA_V0)
        .unwrap();
    path
}

/// The body of the fixture's fourth request: quotes, an apostrophe and a dash in the text.
fn child_writing_quotes_body() -> Value {
    let mut body = urgent_child_body();
    body["message"] =
        "Ik woon in 's-Hertogenbosch en wil \"gewoon\" praten — graag na school.".into();
    body["safe_now"] = "rather_not_say".into();
    body["channel"] = "email".into();
    body["contact"] = "sam@voorbeeld.nl".into();
    body["municipality"] = "'s-Hertogenbosch".into();
    body
}

fn id(raw: &str) -> RequestId {
    RequestId::parse(raw).unwrap()
}

fn stored(
    raw_id: &str,
    reference: &str,
    body: &Value,
    received_at: i64,
    routing: Option<(&str, Queue, &str)>,
    notified_at: Option<i64>,
) -> StoredRequest {
    StoredRequest {
        id: id(raw_id),
        reference: kjr_domain::Reference::parse(reference).unwrap(),
        request: request_from(body),
        received_at: Timestamp(received_at),
        expires_at: Timestamp(received_at).plus_days(365),
        status: if routing.is_some() {
            Status::Routed
        } else {
            Status::New
        },
        routing: routing.map(|(team, queue, reason)| RoutingDecision {
            team: TeamId(team.into()),
            queue,
            reason: reason.into(),
            decided_at: Timestamp(received_at + 1),
        }),
        notified_at: notified_at.map(Timestamp),
        // The deadline as it was promised then: 4 hours when urgent, else 48.
        case: CaseState::new(
            Timestamp(received_at),
            Timestamp(
                received_at
                    + if request_from(body).is_urgent() {
                        4
                    } else {
                        48
                    } * 3600,
            ),
        ),
    }
}

const NEW_URGENT: &str = "a26955335defb6152bb5b9a28bc2053a";
const ROUTED_WAITING: &str = "7b27b9ccbff7b8b2d3a32b672a9577f3";
const ROUTED_NOTIFIED: &str = "28aefc419910a9464e6a616a56f519c0";
const NEW_WITH_QUOTES: &str = "8fd5466891992ed42cd81c4bfc791de0";

#[tokio::test]
async fn a_database_from_before_migrations_opens_with_every_request_and_job_intact() {
    let dir = tempfile::tempdir().unwrap();
    let path = v0_database(dir.path());
    assert_eq!(pragma(&path, "user_version"), 0);

    let store = SqliteStore::open(&path).unwrap();

    let expected = [
        stored(
            NEW_URGENT,
            "KJR-J7DW-HZ5B",
            &urgent_child_body(),
            1_760_000_000,
            None,
            None,
        ),
        stored(
            ROUTED_WAITING,
            "KJR-R83H-R2NR",
            &foster_parent_body(),
            1_760_000_060,
            Some(("noord", Queue::Normal, "municipality Groningen")),
            None,
        ),
        stored(
            ROUTED_NOTIFIED,
            "KJR-84AE-69M6",
            &urgent_child_body(),
            1_760_000_120,
            Some(("zuid-holland", Queue::Urgent, "municipality Vlaardingen")),
            Some(1_760_000_122),
        ),
        stored(
            NEW_WITH_QUOTES,
            "KJR-YZHX-2CMK",
            &child_writing_quotes_body(),
            1_760_000_180,
            None,
            None,
        ),
    ];
    for request in &expected {
        assert_eq!(
            store.get(&request.id).await.unwrap().as_ref(),
            Some(request)
        );
    }
    assert_eq!(store.count().await.unwrap(), expected.len());
    assert_eq!(
        store.pending_jobs().await.unwrap(),
        vec![id(NEW_URGENT), id(ROUTED_WAITING), id(NEW_WITH_QUOTES)]
    );
    let noord = store.routed_queue(&TeamId("noord".into())).await.unwrap();
    assert_eq!(
        noord.iter().map(|e| e.id.clone()).collect::<Vec<_>>(),
        vec![id(ROUTED_WAITING)]
    );
    assert_eq!(pragma(&path, "user_version"), migration_count());

    // The old tables keep working: their constraints hold, the outbox cascades.
    let mut clash = new_request(&foster_parent_body(), 1_760_000_300);
    clash.reference = expected[0].reference.clone();
    assert!(matches!(
        store.create(clash).await,
        Err(StoreError::ReferenceTaken)
    ));
    store
        .mark_notified(&id(NEW_URGENT), Timestamp(1_760_000_400))
        .await
        .unwrap();
    let purged = store.purge_expired(expected[1].expires_at).await.unwrap();
    assert_eq!(purged, 2, "the two oldest requests are past retention");
    assert_eq!(
        store.pending_jobs().await.unwrap(),
        vec![id(NEW_WITH_QUOTES)]
    );
}

#[tokio::test]
async fn a_migrated_old_database_has_the_schema_of_a_new_one() {
    let old = tempfile::tempdir().unwrap();
    let old_path = v0_database(old.path());
    SqliteStore::open(&old_path).unwrap();
    let new = tempfile::tempdir().unwrap();
    let new_path = new.path().join("kjr.sqlite3");
    SqliteStore::open(&new_path).unwrap();

    assert_eq!(pragma(&new_path, "user_version"), migration_count());
    assert_eq!(
        pragma(&old_path, "user_version"),
        pragma(&new_path, "user_version")
    );
    assert_eq!(schema(&old_path), schema(&new_path));
}

#[tokio::test]
async fn reopening_a_migrated_database_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kjr.sqlite3");
    let new = new_request(&urgent_child_body(), 10);
    let created = {
        let store = SqliteStore::open(&path).unwrap();
        match store.create(new.clone()).await.unwrap() {
            CreateOutcome::Created(created) => created,
            other => panic!("not created: {other:?}"),
        }
    };
    let before = (
        pragma(&path, "user_version"),
        pragma(&path, "schema_version"),
        schema(&path),
    );

    let store = SqliteStore::open(&path).unwrap();

    let after = (
        pragma(&path, "user_version"),
        pragma(&path, "schema_version"),
        schema(&path),
    );
    assert_eq!(after, before);
    assert_eq!(store.get(&new.id).await.unwrap(), Some(created));
    assert_eq!(store.pending_jobs().await.unwrap(), vec![new.id]);
}

#[test]
fn a_database_from_a_newer_version_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kjr.sqlite3");
    drop(SqliteStore::open(&path).unwrap());
    let newer = migration_count() + 1;
    Connection::open(&path)
        .unwrap()
        .pragma_update(None, "user_version", newer)
        .unwrap();

    let err = SqliteStore::open(&path)
        .err()
        .expect("a newer schema is refused");

    assert!(matches!(err, StoreError::Backend(_)), "{err}");
    assert!(
        std::error::Error::source(&err).is_some(),
        "the migration error is kept as the source"
    );
    assert_eq!(pragma(&path, "user_version"), newer);
}
