//! The embedded store: SQLite in WAL mode with `synchronous=FULL`, so a commit that returned
//! is on disk. One writer thread groups concurrent writes into one transaction (group commit:
//! one fsync for many requests); reads use their own connection.

use std::path::Path;
use std::sync::{Arc, Mutex, mpsc};

use async_trait::async_trait;
use rusqlite::{Connection, OptionalExtension, Row, params};
use rusqlite_migration::{M, Migrations};
use tokio::sync::oneshot;

use kjr_domain::staff::{AuditEntry, CaseEvent, CaseStatus, StaffId, StaffRef, StatusCount};

use super::OidcLogin;
use super::audit::{self, ChainHead};
use super::{
    Account, ApplyOutcome, CaseChange, CaseState, CreateOutcome, FailureKey, FirstContact,
    NewRequest, OutboxStatus, Queue, QueueQuery, QueueScope, QueueSlice, RoutingDecision, Session,
    StaffMember, Status, Store, StoreError, StoredRequest, asker_kind,
};
use crate::ids::{RequestId, TeamId, Timestamp};

/// The schema: one file per migration, applied in this order. Those a database lacks run in
/// one transaction that also sets `PRAGMA user_version` to how many it has now. A schema
/// change is one more file and one more line here, never an edit of one that has shipped.
///
/// They run with foreign keys off, as SQLite's procedure for changing a table asks (dropping
/// `requests` to rebuild it would otherwise cascade into `outbox`); `foreign_key_check` makes
/// each one fail, and roll back, if it leaves a dangling reference instead.
const MIGRATIONS: &[M<'static>] = &[
    M::up(include_str!("migrations/0001_requests_and_outbox.sql")).foreign_key_check(),
    M::up(include_str!("migrations/0002_staff_workspace.sql")).foreign_key_check(),
    M::up(include_str!("migrations/0003_retention_from_closing.sql")).foreign_key_check(),
    M::up(include_str!("migrations/0004_first_contacts.sql")).foreign_key_check(),
    M::up(include_str!("migrations/0005_count_indexes.sql")).foreign_key_check(),
    M::up(include_str!("migrations/0006_oidc_logins.sql")).foreign_key_check(),
    M::up(include_str!("migrations/0007_last_notified.sql")).foreign_key_check(),
];

/// The schema version of a store this version made (`PRAGMA user_version`).
pub(crate) const SCHEMA_VERSION: usize = MIGRATIONS.len();

/// Why a stored id, reference, queue or status is corrupt.
const MALFORMED: &str = "malformed or unknown value";

const COLUMNS: &str = "id, reference, payload, queue, received_at, expires_at, status, team, \
                       routing_reason, routed_at, notified_at, case_state, due_at";

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
         PRAGMA busy_timeout = 5000;
         PRAGMA secure_delete = ON;",
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
    let case_state: Option<String> = row.get(11)?;
    let due_at: i64 = row.get(12)?;
    Ok((|| {
        let case = match case_state {
            Some(json) => serde_json::from_str::<CaseState>(&json)
                .map_err(|e| StoreError::corrupt("case_state", e))?,
            None => CaseState::new(Timestamp(received_at), Timestamp(due_at)),
        };
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
            case,
        })
    })())
}

fn to_json(value: &impl serde::Serialize) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(StoreError::backend)
}

fn from_json<T: serde::de::DeserializeOwned>(
    what: &'static str,
    json: &str,
) -> Result<T, StoreError> {
    serde_json::from_str(json).map_err(|e| StoreError::corrupt(what, e))
}

/// The head of a request's audit chain, or `None` if there is no such request.
fn chain_head(conn: &Connection, id: &RequestId) -> Result<Option<ChainHead>, StoreError> {
    conn.query_row(
        "SELECT audit_seq, audit_hash FROM requests WHERE id = ?1",
        params![id.as_str()],
        |row| {
            Ok(ChainHead {
                seq: row.get(0)?,
                hash: row.get(1)?,
            })
        },
    )
    .optional()
    .map_err(StoreError::backend)
}

/// Appends `events` to a request's trail, inside the caller's transaction.
fn append_events(
    conn: &Connection,
    id: &RequestId,
    actor: &Option<StaffRef>,
    at: Timestamp,
    events: &[CaseEvent],
) -> Result<(), StoreError> {
    let head = chain_head(conn, id)?
        .ok_or_else(|| StoreError::backend(format!("request {id} not found")))?;
    let (entries, head) = audit::extend(&head, actor, at, events);
    for entry in &entries {
        conn.execute(
            "INSERT INTO audit_events (request_id, seq, entry) VALUES (?1, ?2, ?3)",
            params![id.as_str(), entry.seq, to_json(entry)?],
        )
        .map_err(StoreError::backend)?;
    }
    conn.execute(
        "UPDATE requests SET audit_seq = ?2, audit_hash = ?3 WHERE id = ?1",
        params![id.as_str(), head.seq, head.hash],
    )
    .map_err(StoreError::backend)?;
    Ok(())
}

/// Writes a request's handling, its team if it moves, and the columns its queue sorts and
/// filters on.
fn write_case(
    conn: &Connection,
    current: &StoredRequest,
    case: &CaseState,
    team: Option<&TeamId>,
) -> Result<(), StoreError> {
    conn.execute(
        "UPDATE requests SET case_state = ?2, case_status = ?3, is_open = ?4, due_at = ?5, \
         first_contact_at = ?6, sort_key = ?7, team = COALESCE(?8, team) WHERE id = ?1",
        params![
            current.id.as_str(),
            to_json(case)?,
            case.status.as_str(),
            case.status.is_open(),
            case.due_at.0,
            case.first_contact_at.map(|t| t.0),
            super::case_sort_key(&current.request, case, current.received_at, &current.id),
            team.map(TeamId::as_str),
        ],
    )
    .map_err(StoreError::backend)?;
    Ok(())
}

/// The SQL condition and parameters of a queue query.
fn queue_condition(query: &QueueQuery) -> (String, Vec<rusqlite::types::Value>) {
    use rusqlite::types::Value;
    let mut sql = vec!["team IS NOT NULL".to_owned()];
    let mut args: Vec<Value> = Vec::new();
    let mut arg = |sql: &mut Vec<String>, clause: &str, v: Value| {
        args.push(v);
        sql.push(clause.replace('?', &format!("?{}", args.len())));
    };
    if let QueueScope::Team(team) = &query.scope {
        arg(&mut sql, "team = ?", Value::Text(team.0.clone()));
    }
    let f = &query.filter;
    match f.status {
        Some(status) => {
            arg(
                &mut sql,
                "is_open = ?",
                Value::Integer(status.is_open().into()),
            );
            arg(
                &mut sql,
                "case_status = ?",
                Value::Text(status.as_str().into()),
            );
        }
        None => arg(&mut sql, "is_open = ?", Value::Integer(1)),
    }
    if let Some(u) = f.urgency {
        arg(&mut sql, "queue = ?", Value::Text(u.as_str().into()));
    }
    if let Some(a) = f.asker {
        arg(&mut sql, "asker = ?", Value::Text(a.as_str().into()));
    }
    if let Some(a) = f.age_band {
        arg(&mut sql, "age_band = ?", Value::Text(a.as_str().into()));
    }
    if let Some(t) = f.topic {
        arg(
            &mut sql,
            "instr(topics, ?) > 0",
            Value::Text(format!(",{},", t.as_str())),
        );
    }
    if let Some(m) = &f.municipality {
        arg(
            &mut sql,
            "municipality = ? COLLATE NOCASE",
            Value::Text(m.clone()),
        );
    }
    if f.overdue == Some(true) {
        arg(
            &mut sql,
            "first_contact_at IS NULL AND due_at < ?",
            Value::Integer(query.now.0),
        );
    }
    if let Some(after) = &query.after {
        arg(&mut sql, "sort_key > ?", Value::Text(after.as_str().into()));
    }
    (sql.join(" AND "), args)
}

fn bad_row(e: rusqlite::Error) -> StoreError {
    StoreError::backend(e)
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
            let case = new.case_state();
            let topics: String = new
                .request
                .topics()
                .iter()
                .map(|t| format!(",{}", t.as_str()))
                .collect::<String>()
                + ",";
            conn.execute(
                "INSERT INTO requests (id, reference, idempotency_key, payload, queue, \
                 received_at, expires_at, status, case_state, case_status, is_open, sort_key, \
                 asker, age_band, topics, municipality, due_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 1, ?11, ?12, ?13, ?14, ?15, ?16)",
                params![
                    new.id.as_str(),
                    new.reference.as_str(),
                    new.idempotency_key.as_str(),
                    payload,
                    queue.as_str(),
                    new.received_at.0,
                    new.expires_at.0,
                    Status::New.as_str(),
                    to_json(&case)?,
                    case.status.as_str(),
                    super::queue_sort_key(queue, new.received_at, &new.id),
                    asker_kind(&new.request).as_str(),
                    new.request.age_band().as_str(),
                    topics,
                    new.request.municipality().map(|m| m.name()),
                    new.due_at.0,
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
            append_events(
                conn,
                &new.id,
                &None,
                new.received_at,
                &[new.received_event()],
            )?;
            Ok(CreateOutcome::Created(new.into_stored()))
        })
        .await
    }

    async fn get(&self, id: &RequestId) -> Result<Option<StoredRequest>, StoreError> {
        let id = id.clone();
        self.read(move |conn| select_one(conn, "id", id.as_str()))
            .await
    }

    async fn find_by_reference(
        &self,
        reference: &kjr_domain::Reference,
    ) -> Result<Option<StoredRequest>, StoreError> {
        let reference = reference.clone();
        self.read(move |conn| select_one(conn, "reference", reference.as_str()))
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
            if changed == 1 {
                append_events(
                    conn,
                    &id,
                    &None,
                    d.decided_at,
                    &[CaseEvent::Routed {
                        team: d.team.clone(),
                        reason: d.reason.clone(),
                    }],
                )?;
            }
            Ok(changed == 1)
        })
        .await
    }

    async fn mark_notified(&self, id: &RequestId, at: Timestamp) -> Result<(), StoreError> {
        let id = id.clone();
        self.write(move |conn| {
            let changed = conn
                .execute(
                    "UPDATE requests SET notified_at = ?2 WHERE id = ?1 AND notified_at IS NULL",
                    params![id.as_str(), at.0],
                )
                .map_err(StoreError::backend)?;
            let team: Option<String> = conn
                .query_row(
                    "SELECT team FROM requests WHERE id = ?1",
                    params![id.as_str()],
                    |r| r.get(0),
                )
                .optional()
                .map_err(StoreError::backend)?
                .flatten();
            if let (1, Some(team)) = (changed, team) {
                append_events(
                    conn,
                    &id,
                    &None,
                    at,
                    &[CaseEvent::Notified {
                        team: kjr_domain::TeamId(team),
                    }],
                )?;
            }
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

    async fn outbox_status(&self) -> Result<OutboxStatus, StoreError> {
        self.read(|conn| {
            let (pending, oldest): (i64, Option<i64>) = conn
                .query_row("SELECT count(*), min(enqueued_at) FROM outbox", [], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .map_err(StoreError::backend)?;
            let last: Option<i64> = conn
                .query_row("SELECT max(notified_at) FROM requests", [], |r| r.get(0))
                .map_err(StoreError::backend)?;
            Ok(OutboxStatus {
                pending: usize::try_from(pending).unwrap_or(0),
                oldest_pending_since: oldest.map(Timestamp),
                last_notified_at: last.map(Timestamp),
            })
        })
        .await
    }

    async fn queue(&self, query: &QueueQuery) -> Result<QueueSlice, StoreError> {
        let query = query.clone();
        self.read(move |conn| {
            let (condition, args) = queue_condition(&query);
            let sql = format!(
                "SELECT {COLUMNS} FROM requests WHERE {condition} ORDER BY sort_key LIMIT {}",
                query.limit + 1
            );
            let mut stmt = conn.prepare(&sql).map_err(StoreError::backend)?;
            let mut requests = stmt
                .query_map(rusqlite::params_from_iter(args), row_to_stored)
                .map_err(StoreError::backend)?
                .map(|r| r.map_err(bad_row)?)
                .collect::<Result<Vec<_>, _>>()?;
            let next_cursor = if requests.len() > query.limit as usize {
                requests.truncate(query.limit as usize);
                requests.last().map(StoredRequest::sort_key)
            } else {
                None
            };
            Ok(QueueSlice {
                requests,
                next_cursor,
            })
        })
        .await
    }

    async fn status_counts(&self, scope: &QueueScope) -> Result<Vec<StatusCount>, StoreError> {
        let team = match scope {
            QueueScope::Team(t) => Some(t.0.clone()),
            QueueScope::All => None,
        };
        self.read(move |conn| {
            // One statement per scope, so each reads its covering index.
            let sql = if team.is_some() {
                "SELECT case_status, COUNT(*) FROM requests WHERE team = ?1 AND is_open = 1 \
                 GROUP BY case_status"
            } else {
                "SELECT case_status, COUNT(*) FROM requests WHERE is_open = 1 AND ?1 IS NULL \
                 AND team IS NOT NULL GROUP BY case_status"
            };
            let mut stmt = conn.prepare(sql).map_err(StoreError::backend)?;
            let rows = stmt
                .query_map(params![team], |r| {
                    Ok((r.get::<_, String>(0)?, r.get::<_, u32>(1)?))
                })
                .map_err(StoreError::backend)?;
            let mut counts = Vec::new();
            for row in rows {
                let (status, count) = row.map_err(StoreError::backend)?;
                let status = CaseStatus::from_wire(&status)
                    .ok_or_else(|| StoreError::corrupt("case_status", MALFORMED))?;
                counts.push(StatusCount { status, count });
            }
            counts.sort_by_key(|c| c.status);
            Ok(counts)
        })
        .await
    }

    async fn apply(
        &self,
        id: &RequestId,
        change: CaseChange,
    ) -> Result<Option<ApplyOutcome>, StoreError> {
        let id = id.clone();
        self.write(move |conn| {
            let Some(current) = select_one(conn, "id", id.as_str())? else {
                return Ok(None);
            };
            if let Some((expected, state)) = &change.state {
                if current.case.version != *expected {
                    return Ok(Some(ApplyOutcome::Conflict(Box::new(current))));
                }
                write_case(conn, &current, state, change.team.as_ref())?;
            }
            if let Some(expires_at) = change.expires_at {
                conn.execute(
                    "UPDATE requests SET expires_at = ?2 WHERE id = ?1",
                    params![id.as_str(), expires_at.0],
                )
                .map_err(StoreError::backend)?;
            }
            append_events(conn, &id, &change.actor, change.at, &change.events)?;
            if change.renotify {
                // The notification job again, in this commit: the worker tells the team.
                conn.execute(
                    "UPDATE requests SET notified_at = NULL WHERE id = ?1",
                    params![id.as_str()],
                )
                .map_err(StoreError::backend)?;
                conn.execute(
                    "INSERT OR IGNORE INTO outbox (request_id, enqueued_at) VALUES (?1, ?2)",
                    params![id.as_str(), change.at.0],
                )
                .map_err(StoreError::backend)?;
            }
            if let Some(fc) = &change.first_contact {
                conn.execute(
                    "INSERT INTO first_contacts (week, team, urgent, minutes, within_deadline) \
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![
                        fc.week,
                        fc.team.as_str(),
                        fc.urgent,
                        fc.minutes,
                        fc.within_deadline
                    ],
                )
                .map_err(StoreError::backend)?;
            }
            let now = select_one(conn, "id", id.as_str())?
                .ok_or_else(|| StoreError::backend("request vanished in its own transaction"))?;
            Ok(Some(ApplyOutcome::Applied(Box::new(now))))
        })
        .await
    }

    async fn audit_trail(
        &self,
        id: &RequestId,
    ) -> Result<Option<(Vec<AuditEntry>, ChainHead)>, StoreError> {
        let id = id.clone();
        self.read(move |conn| {
            let Some(head) = chain_head(conn, &id)? else {
                return Ok(None);
            };
            let mut stmt = conn
                .prepare("SELECT entry FROM audit_events WHERE request_id = ?1 ORDER BY seq")
                .map_err(StoreError::backend)?;
            let entries = stmt
                .query_map(params![id.as_str()], |r| r.get::<_, String>(0))
                .map_err(StoreError::backend)?
                .map(|r| from_json::<AuditEntry>("audit entry", &r.map_err(bad_row)?))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Some((entries, head)))
        })
        .await
    }

    async fn request_ids(&self) -> Result<Vec<RequestId>, StoreError> {
        self.read(|conn| {
            let mut stmt = conn
                .prepare("SELECT id FROM requests ORDER BY id")
                .map_err(StoreError::backend)?;
            stmt.query_map([], |r| r.get::<_, String>(0))
                .map_err(StoreError::backend)?
                .map(|r| {
                    RequestId::parse(&r.map_err(bad_row)?)
                        .ok_or_else(|| StoreError::corrupt("id", MALFORMED))
                })
                .collect()
        })
        .await
    }

    async fn create_account(&self, account: &Account) -> Result<bool, StoreError> {
        let account = account.clone();
        self.write(move |conn| {
            let inserted = conn
                .execute(
                    "INSERT INTO accounts (email, account) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
                    params![account.email, to_json(&account)?],
                )
                .map_err(StoreError::backend)?;
            Ok(inserted == 1)
        })
        .await
    }

    async fn update_account(&self, account: &Account) -> Result<(), StoreError> {
        let account = account.clone();
        self.write(move |conn| {
            conn.execute(
                "UPDATE accounts SET account = ?2 WHERE email = ?1",
                params![account.email, to_json(&account)?],
            )
            .map_err(StoreError::backend)?;
            Ok(())
        })
        .await
    }

    async fn account(&self, email: &str) -> Result<Option<Account>, StoreError> {
        let email = email.to_owned();
        self.read(move |conn| {
            conn.query_row(
                "SELECT account FROM accounts WHERE email = ?1",
                params![email],
                |r| r.get::<_, String>(0),
            )
            .optional()
            .map_err(StoreError::backend)?
            .map(|json| from_json("account", &json))
            .transpose()
        })
        .await
    }

    async fn upsert_staff(&self, member: &StaffMember) -> Result<(), StoreError> {
        let member = member.clone();
        self.write(move |conn| {
            conn.execute(
                "INSERT INTO staff (id, member) VALUES (?1, ?2) \
                 ON CONFLICT (id) DO UPDATE SET member = excluded.member",
                params![member.id.as_str(), to_json(&member)?],
            )
            .map_err(StoreError::backend)?;
            Ok(())
        })
        .await
    }

    async fn staff_directory(&self) -> Result<Vec<StaffMember>, StoreError> {
        self.read(|conn| {
            let mut stmt = conn
                .prepare("SELECT member FROM staff ORDER BY id")
                .map_err(StoreError::backend)?;
            stmt.query_map([], |r| r.get::<_, String>(0))
                .map_err(StoreError::backend)?
                .map(|r| from_json("staff member", &r.map_err(bad_row)?))
                .collect()
        })
        .await
    }

    async fn create_session(&self, session: &Session) -> Result<(), StoreError> {
        let session = session.clone();
        self.write(move |conn| {
            conn.execute(
                "DELETE FROM sessions WHERE expires_at <= ?1",
                params![session.created_at.0],
            )
            .map_err(StoreError::backend)?;
            conn.execute(
                "INSERT INTO sessions (token_hash, staff_id, session, expires_at) \
                 VALUES (?1, ?2, ?3, ?4)",
                params![
                    session.token_hash,
                    session.member.id.as_str(),
                    to_json(&session)?,
                    session.expires_at.0
                ],
            )
            .map_err(StoreError::backend)?;
            Ok(())
        })
        .await
    }

    async fn session(&self, token_hash: &str) -> Result<Option<Session>, StoreError> {
        let token_hash = token_hash.to_owned();
        self.read(move |conn| {
            conn.query_row(
                "SELECT session FROM sessions WHERE token_hash = ?1",
                params![token_hash],
                |r| r.get::<_, String>(0),
            )
            .optional()
            .map_err(StoreError::backend)?
            .map(|json| from_json("session", &json))
            .transpose()
        })
        .await
    }

    async fn touch_session(&self, token_hash: &str, at: Timestamp) -> Result<(), StoreError> {
        let token_hash = token_hash.to_owned();
        self.write(move |conn| {
            conn.execute(
                "UPDATE sessions SET session = json_set(session, '$.last_seen_at', ?2) \
                 WHERE token_hash = ?1",
                params![token_hash, at.0],
            )
            .map_err(StoreError::backend)?;
            Ok(())
        })
        .await
    }

    async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
        let token_hash = token_hash.to_owned();
        self.write(move |conn| {
            conn.execute(
                "DELETE FROM sessions WHERE token_hash = ?1",
                params![token_hash],
            )
            .map_err(StoreError::backend)?;
            Ok(())
        })
        .await
    }

    async fn delete_sessions_of(&self, staff: &StaffId) -> Result<(), StoreError> {
        let staff = staff.clone();
        self.write(move |conn| {
            conn.execute(
                "DELETE FROM sessions WHERE staff_id = ?1",
                params![staff.as_str()],
            )
            .map_err(StoreError::backend)?;
            Ok(())
        })
        .await
    }

    async fn record_sign_in_failure(
        &self,
        key: &FailureKey,
        at: Timestamp,
        keep_until: Timestamp,
    ) -> Result<(), StoreError> {
        let key = key.as_str().to_owned();
        self.write(move |conn| {
            conn.execute(
                "DELETE FROM sign_in_failures WHERE keep_until <= ?1",
                params![at.0],
            )
            .map_err(StoreError::backend)?;
            conn.execute(
                "INSERT INTO sign_in_failures (key, at, keep_until) VALUES (?1, ?2, ?3)",
                params![key, at.0, keep_until.0],
            )
            .map_err(StoreError::backend)?;
            Ok(())
        })
        .await
    }

    async fn sign_in_failures(
        &self,
        key: &FailureKey,
        since: Timestamp,
    ) -> Result<Vec<Timestamp>, StoreError> {
        let key = key.as_str().to_owned();
        self.read(move |conn| {
            let mut stmt = conn
                .prepare("SELECT at FROM sign_in_failures WHERE key = ?1 AND at >= ?2 ORDER BY at")
                .map_err(StoreError::backend)?;
            stmt.query_map(params![key, since.0], |r| r.get::<_, i64>(0).map(Timestamp))
                .map_err(StoreError::backend)?
                .map(|r| r.map_err(bad_row))
                .collect()
        })
        .await
    }

    async fn first_contacts(&self, weeks: &[String]) -> Result<Vec<FirstContact>, StoreError> {
        let weeks = weeks.to_vec();
        self.read(move |conn| {
            let mut stmt = conn
                .prepare(
                    "SELECT week, team, urgent, minutes, within_deadline FROM first_contacts \
                     WHERE week = ?1",
                )
                .map_err(StoreError::backend)?;
            let mut out = Vec::new();
            for week in &weeks {
                let rows = stmt
                    .query_map(params![week], |r| {
                        Ok(FirstContact {
                            week: r.get(0)?,
                            team: TeamId(r.get(1)?),
                            urgent: r.get(2)?,
                            minutes: r.get(3)?,
                            within_deadline: r.get(4)?,
                        })
                    })
                    .map_err(StoreError::backend)?;
                for row in rows {
                    out.push(row.map_err(StoreError::backend)?);
                }
            }
            Ok(out)
        })
        .await
    }

    async fn clear_sign_in_failures(&self, key: &FailureKey) -> Result<(), StoreError> {
        let key = key.as_str().to_owned();
        self.write(move |conn| {
            conn.execute("DELETE FROM sign_in_failures WHERE key = ?1", params![key])
                .map_err(StoreError::backend)?;
            Ok(())
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

    async fn create_oidc_login(&self, login: &OidcLogin) -> Result<(), StoreError> {
        let login = login.clone();
        self.write(move |conn| {
            conn.execute(
                "DELETE FROM oidc_logins WHERE expires_at <= ?1",
                params![login.created_at.0],
            )
            .map_err(StoreError::backend)?;
            conn.execute(
                "INSERT INTO oidc_logins (state_hash, login, expires_at) VALUES (?1, ?2, ?3)",
                params![login.state_hash, to_json(&login)?, login.expires_at.0],
            )
            .map_err(StoreError::backend)?;
            Ok(())
        })
        .await
    }

    async fn take_oidc_login(
        &self,
        state_hash: &str,
        now: Timestamp,
    ) -> Result<Option<OidcLogin>, StoreError> {
        let state_hash = state_hash.to_owned();
        self.write(move |conn| {
            // One statement deletes and reads, so two callbacks cannot both take it.
            conn.query_row(
                "DELETE FROM oidc_logins WHERE state_hash = ?1 RETURNING login, expires_at",
                params![state_hash],
                |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)),
            )
            .optional()
            .map_err(StoreError::backend)?
            .filter(|(_, expires_at)| *expires_at > now.0)
            .map(|(json, _)| from_json("oidc login", &json))
            .transpose()
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
