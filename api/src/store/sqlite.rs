//! The embedded store: SQLite in WAL mode with `synchronous=FULL`, so a commit that returned
//! is on disk. One writer thread groups concurrent writes into one transaction (group commit:
//! one fsync for many requests); reads use their own connection.

use std::path::Path;
use std::sync::{Arc, Mutex, mpsc};

use async_trait::async_trait;
use rusqlite::{Connection, OptionalExtension, Row, params};
use rusqlite_migration::{M, Migrations};
use tokio::sync::oneshot;

use super::{
    CreateOutcome, NewRequest, Queue, QueueEntry, RoutingDecision, Status, Store, StoreError,
    StoredRequest,
};
use crate::ids::{RequestId, TeamId, Timestamp};

/// The schema: one file per migration, applied in this order. Those a database lacks run in
/// one transaction that also sets `PRAGMA user_version` to how many it has now. A schema
/// change is one more file and one more line here, never an edit of one that has shipped.
///
/// They run with foreign keys off, as SQLite's procedure for changing a table asks (dropping
/// `requests` to rebuild it would otherwise cascade into `outbox`); `foreign_key_check` makes
/// each one fail, and roll back, if it leaves a dangling reference instead.
const MIGRATIONS: &[M<'static>] =
    &[M::up(include_str!("migrations/0001_requests_and_outbox.sql")).foreign_key_check()];

/// Why a stored id, reference, queue or status is corrupt.
const MALFORMED: &str = "malformed or unknown value";

const COLUMNS: &str = "id, reference, payload, queue, received_at, expires_at, status, team, \
                       routing_reason, routed_at, notified_at";

/// Runs after the batch's commit with its outcome (shared by every job of the batch).
type Completion = Box<dyn FnOnce(Result<(), Arc<rusqlite::Error>>) + Send>;
/// A unit of write work, run inside the batch's transaction.
type Job = Box<dyn FnOnce(&Connection) -> Completion + Send>;

/// The SQLite backend.
#[derive(Clone)]
pub struct SqliteStore {
    writer: mpsc::Sender<Job>,
    reader: Arc<Mutex<Connection>>,
}

fn open_connection(path: &Path) -> Result<Connection, StoreError> {
    let conn = Connection::open(path).map_err(StoreError::backend)?;
    conn.execute_batch(
        "PRAGMA journal_mode = WAL;
         PRAGMA synchronous = FULL;
         PRAGMA foreign_keys = ON;
         PRAGMA busy_timeout = 5000;",
    )
    .map_err(StoreError::backend)?;
    Ok(conn)
}

/// Applies the migrations `conn`'s database does not have yet (see [`MIGRATIONS`]).
fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    conn.pragma_update(None, "foreign_keys", false)
        .map_err(StoreError::backend)?;
    Migrations::from_slice(MIGRATIONS)
        .to_latest(conn)
        .map_err(StoreError::backend)?;
    conn.pragma_update(None, "foreign_keys", true)
        .map_err(StoreError::backend)
}

impl SqliteStore {
    /// Opens (and if needed creates) the database at `path` and brings its schema up to date.
    /// Fails on a database from a newer version (more migrations than this one knows).
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(StoreError::backend)?;
        }
        let mut conn = open_connection(path)?;
        migrate(&mut conn)?;
        let reader = open_connection(path)?;
        let (tx, rx) = mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || writer_loop(conn, rx))
            .map_err(StoreError::backend)?;
        Ok(Self {
            writer: tx,
            reader: Arc::new(Mutex::new(reader)),
        })
    }

    /// Runs `f` in the next write batch and answers once that batch is committed.
    async fn write<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let (tx, rx) = oneshot::channel();
        let job: Job = Box::new(move |conn| {
            let result = run_in_savepoint(conn, f);
            Box::new(move |committed| {
                let outcome = committed
                    .map_err(|e| StoreError::Backend(Box::new(e)))
                    .and(result);
                let _ = tx.send(outcome);
            })
        });
        self.writer
            .send(job)
            .map_err(|_| StoreError::backend("writer thread stopped"))?;
        rx.await
            .map_err(|_| StoreError::backend("writer thread dropped the job"))?
    }

    async fn read<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let reader = Arc::clone(&self.reader);
        tokio::task::spawn_blocking(move || {
            let conn = reader
                .lock()
                .map_err(|_| StoreError::backend("reader lock poisoned"))?;
            f(&conn)
        })
        .await
        .map_err(StoreError::backend)?
    }
}

fn run_in_savepoint<T>(
    conn: &Connection,
    f: impl FnOnce(&Connection) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    conn.execute_batch("SAVEPOINT job")
        .map_err(StoreError::backend)?;
    let result = f(conn);
    let end = if result.is_ok() {
        "RELEASE job"
    } else {
        "ROLLBACK TO job; RELEASE job"
    };
    conn.execute_batch(end).map_err(StoreError::backend)?;
    result
}

fn writer_loop(conn: Connection, rx: mpsc::Receiver<Job>) {
    const MAX_BATCH: usize = 256;
    while let Ok(first) = rx.recv() {
        let mut jobs = vec![first];
        while jobs.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(job) => jobs.push(job),
                Err(_) => break,
            }
        }
        let began = conn.execute_batch("BEGIN IMMEDIATE");
        let completions: Vec<Completion> = match &began {
            Ok(()) => jobs.into_iter().map(|job| job(&conn)).collect(),
            Err(e) => {
                // Dropping the jobs fails each waiting caller; nothing was written.
                tracing::error!(error = %e, jobs = jobs.len(), "sqlite: could not begin a write batch");
                continue;
            }
        };
        let committed = conn.execute_batch("COMMIT").map_err(|e| {
            let _ = conn.execute_batch("ROLLBACK");
            Arc::new(e)
        });
        for done in completions {
            done(committed.clone());
        }
    }
}

fn row_to_stored(row: &Row<'_>) -> rusqlite::Result<Result<StoredRequest, StoreError>> {
    let id: String = row.get(0)?;
    let reference: String = row.get(1)?;
    let payload: String = row.get(2)?;
    let queue: String = row.get(3)?;
    let received_at: i64 = row.get(4)?;
    let expires_at: i64 = row.get(5)?;
    let status: String = row.get(6)?;
    let team: Option<String> = row.get(7)?;
    let reason: Option<String> = row.get(8)?;
    let routed_at: Option<i64> = row.get(9)?;
    let notified_at: Option<i64> = row.get(10)?;
    Ok((|| {
        let queue =
            Queue::from_wire(&queue).ok_or_else(|| StoreError::corrupt("queue", MALFORMED))?;
        let routing = match (team, routed_at) {
            (Some(team), Some(at)) => Some(RoutingDecision {
                team: TeamId(team),
                queue,
                reason: reason.unwrap_or_default(),
                decided_at: Timestamp(at),
            }),
            _ => None,
        };
        Ok(StoredRequest {
            id: RequestId::parse(&id).ok_or_else(|| StoreError::corrupt("id", MALFORMED))?,
            reference: kjr_domain::Reference::parse(&reference)
                .ok_or_else(|| StoreError::corrupt("reference", MALFORMED))?,
            request: super::request_from_payload(&payload)?,
            received_at: Timestamp(received_at),
            expires_at: Timestamp(expires_at),
            status: Status::from_wire(&status)
                .ok_or_else(|| StoreError::corrupt("status", MALFORMED))?,
            routing,
            notified_at: notified_at.map(Timestamp),
        })
    })())
}

fn select_one(
    conn: &Connection,
    where_clause: &str,
    key: &str,
) -> Result<Option<StoredRequest>, StoreError> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM requests WHERE {where_clause} = ?1"),
        params![key],
        row_to_stored,
    )
    .optional()
    .map_err(StoreError::backend)?
    .transpose()
}

fn is_unique_violation_on(e: &rusqlite::Error, column: &str) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, Some(msg))
        if f.code == rusqlite::ErrorCode::ConstraintViolation && msg.contains(column))
}

#[async_trait]
impl Store for SqliteStore {
    async fn create(&self, new: NewRequest) -> Result<CreateOutcome, StoreError> {
        self.write(move |conn| {
            if let Some(existing) =
                select_one(conn, "idempotency_key", new.idempotency_key.as_str())?
            {
                return Ok(CreateOutcome::Existing(existing));
            }
            let payload = serde_json::to_string(&new.request).map_err(StoreError::backend)?;
            let queue = Queue::for_request(&new.request);
            conn.execute(
                "INSERT INTO requests (id, reference, idempotency_key, payload, queue, \
                 received_at, expires_at, status) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    new.id.as_str(),
                    new.reference.as_str(),
                    new.idempotency_key.as_str(),
                    payload,
                    queue.as_str(),
                    new.received_at.0,
                    new.expires_at.0,
                    Status::New.as_str(),
                ],
            )
            .map_err(|e| {
                if is_unique_violation_on(&e, "requests.reference") {
                    StoreError::ReferenceTaken
                } else {
                    StoreError::backend(e)
                }
            })?;
            conn.execute(
                "INSERT INTO outbox (request_id, enqueued_at) VALUES (?1, ?2)",
                params![new.id.as_str(), new.received_at.0],
            )
            .map_err(StoreError::backend)?;
            Ok(CreateOutcome::Created(new.into_stored()))
        })
        .await
    }

    async fn get(&self, id: &RequestId) -> Result<Option<StoredRequest>, StoreError> {
        let id = id.clone();
        self.read(move |conn| select_one(conn, "id", id.as_str()))
            .await
    }

    async fn record_routing(
        &self,
        id: &RequestId,
        decision: &RoutingDecision,
    ) -> Result<bool, StoreError> {
        let (id, d) = (id.clone(), decision.clone());
        self.write(move |conn| {
            let changed = conn
                .execute(
                    "UPDATE requests SET status = ?2, team = ?3, queue = ?4, routing_reason = ?5, \
                     routed_at = ?6 WHERE id = ?1 AND status = ?7",
                    params![
                        id.as_str(),
                        Status::Routed.as_str(),
                        d.team.as_str(),
                        d.queue.as_str(),
                        d.reason,
                        d.decided_at.0,
                        Status::New.as_str(),
                    ],
                )
                .map_err(StoreError::backend)?;
            Ok(changed == 1)
        })
        .await
    }

    async fn mark_notified(&self, id: &RequestId, at: Timestamp) -> Result<(), StoreError> {
        let id = id.clone();
        self.write(move |conn| {
            conn.execute(
                "UPDATE requests SET notified_at = ?2 WHERE id = ?1 AND notified_at IS NULL",
                params![id.as_str(), at.0],
            )
            .map_err(StoreError::backend)?;
            conn.execute(
                "DELETE FROM outbox WHERE request_id = ?1",
                params![id.as_str()],
            )
            .map_err(StoreError::backend)?;
            Ok(())
        })
        .await
    }

    async fn pending_jobs(&self) -> Result<Vec<RequestId>, StoreError> {
        self.read(|conn| {
            let mut stmt = conn
                .prepare("SELECT request_id FROM outbox ORDER BY enqueued_at, request_id")
                .map_err(StoreError::backend)?;
            let ids = stmt
                .query_map([], |row| row.get::<_, String>(0))
                .map_err(StoreError::backend)?
                .filter_map(|r| r.ok().and_then(|s| RequestId::parse(&s)))
                .collect();
            Ok(ids)
        })
        .await
    }

    async fn queue(&self, team: &TeamId, status: Status) -> Result<Vec<QueueEntry>, StoreError> {
        let team = team.clone();
        self.read(move |conn| {
            let mut stmt = conn
                .prepare(
                    "SELECT id, reference, queue, received_at FROM requests \
                     WHERE team = ?1 AND status = ?2 \
                     ORDER BY queue = 'urgent' DESC, received_at, id",
                )
                .map_err(StoreError::backend)?;
            let rows = stmt
                .query_map(params![team.as_str(), status.as_str()], |row| {
                    Ok((
                        row.get::<_, String>(0)?,
                        row.get::<_, String>(1)?,
                        row.get::<_, String>(2)?,
                        row.get::<_, i64>(3)?,
                    ))
                })
                .map_err(StoreError::backend)?;
            rows.map(|r| {
                let (id, reference, queue, received_at) = r.map_err(StoreError::backend)?;
                Ok(QueueEntry {
                    id: RequestId::parse(&id)
                        .ok_or_else(|| StoreError::corrupt("id", MALFORMED))?,
                    reference: kjr_domain::Reference::parse(&reference)
                        .ok_or_else(|| StoreError::corrupt("reference", MALFORMED))?,
                    queue: Queue::from_wire(&queue)
                        .ok_or_else(|| StoreError::corrupt("queue", MALFORMED))?,
                    received_at: Timestamp(received_at),
                })
            })
            .collect()
        })
        .await
    }

    async fn count(&self) -> Result<usize, StoreError> {
        self.read(|conn| {
            conn.query_row("SELECT COUNT(*) FROM requests", [], |r| r.get::<_, i64>(0))
                .map(|n| n as usize)
                .map_err(StoreError::backend)
        })
        .await
    }

    async fn purge_expired(&self, now: Timestamp) -> Result<usize, StoreError> {
        self.write(move |conn| {
            conn.execute(
                "DELETE FROM requests WHERE expires_at <= ?1",
                params![now.0],
            )
            .map_err(StoreError::backend)
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_apply_in_order_to_an_empty_database() {
        Migrations::from_slice(MIGRATIONS).validate().unwrap();
    }
}
