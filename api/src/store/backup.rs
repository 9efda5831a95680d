//! Backups of the SQLite store, and putting one back.
//!
//! A backup is taken with SQLite's online backup API while the server runs and writes: all
//! pages are copied in one step, inside one read transaction, so the copy is the database as
//! it was at one moment (WAL mode lets the server go on writing meanwhile). The copy is
//! written beside its destination and renamed into place only once it is complete and
//! checked, so a file with the backup's name is always a whole backup.
//!
//! The store runs with `secure_delete`: a request deleted at the end of its retention is
//! overwritten in the file, so a backup taken after that holds no trace of it. Older backups
//! do, until they are deleted themselves (README: how long to keep them).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};

use super::StoreError;
use super::sqlite::SCHEMA_VERSION;

/// What a backup or a restore copied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupSummary {
    /// Requests in the copy.
    pub requests: u64,
    /// Routing jobs not yet finished in the copy.
    pub pending_jobs: u64,
    /// The schema version (migrations applied).
    pub schema_version: u32,
    /// Size of the copy in bytes.
    pub bytes: u64,
    /// How long it took.
    pub took: Duration,
}

/// Why a backup or restore was refused or failed; the messages are for an operator.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// The destination exists; a backup never overwrites one.
    #[error("{0} exists already; choose a new file name")]
    DestinationExists(PathBuf),
    /// The store to restore into exists, and `--force` was not given.
    #[error(
        "{0} exists; stop the server and run restore again with --force to replace it (the current file is kept beside it)"
    )]
    TargetExists(PathBuf),
    /// The file to back up or restore does not exist.
    #[error("{0} does not exist")]
    Missing(PathBuf),
    /// The backup and the store are the same file.
    #[error("the backup and the store are the same file")]
    SameFile,
    /// The file is not a usable store of this version.
    #[error("{path} is not a usable store: {problem}")]
    NotAStore { path: PathBuf, problem: String },
    /// SQLite or the file system failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn backend(e: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> BackupError {
    BackupError::Store(StoreError::backend(e))
}

/// Copies every page of `from` into `to` in one step (one read transaction of `from`),
/// waiting while another connection holds a lock.
fn copy_all(from: &Connection, to: &mut Connection) -> Result<(), BackupError> {
    let backup = Backup::new(from, to).map_err(backend)?;
    let started = Instant::now();
    loop {
        match backup.step(-1).map_err(backend)? {
            StepResult::Done => return Ok(()),
            StepResult::More => {}
            StepResult::Busy | StepResult::Locked => {
                if started.elapsed() > Duration::from_secs(60) {
                    return Err(backend("the database stayed locked for a minute"));
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            other => return Err(backend(format!("unexpected backup step result {other:?}"))),
        }
    }
}

/// Checks that `conn` holds a whole store this version can open, and counts it.
fn check(conn: &Connection, path: &Path) -> Result<(u64, u64, u32), BackupError> {
    let not_a_store = |problem: String| BackupError::NotAStore {
        path: path.to_owned(),
        problem,
    };
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|e| not_a_store(e.to_string()))?;
    if integrity != "ok" {
        return Err(not_a_store(format!("integrity check: {integrity}")));
    }
    let version: u32 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| not_a_store(e.to_string()))?;
    if version == 0 || version as usize > SCHEMA_VERSION {
        return Err(not_a_store(format!(
            "schema version {version}; this version reads 1 to {SCHEMA_VERSION}"
        )));
    }
    let count = |sql: &str| -> Result<u64, BackupError> {
        conn.query_row(sql, [], |r| r.get(0))
            .map_err(|e| not_a_store(e.to_string()))
    };
    Ok((
        count("SELECT count(*) FROM requests")?,
        count("SELECT count(*) FROM outbox")?,
        version,
    ))
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    path.with_file_name(name)
}

/// Writes a consistent copy of the store at `store` to the new file `dest`, while the server
/// may be running and writing.
pub fn backup(store: &Path, dest: &Path) -> Result<BackupSummary, BackupError> {
    let started = Instant::now();
    if !store.exists() {
        return Err(BackupError::Missing(store.to_owned()));
    }
    if dest.exists() {
        return Err(BackupError::DestinationExists(dest.to_owned()));
    }
    if let Some(dir) = dest.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(backend)?;
    }
    // Read-only: a backup never changes the store (nor creates one where none is).
    let source = Connection::open_with_flags(
        store,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(backend)?;
    source
        .busy_timeout(Duration::from_secs(5))
        .map_err(backend)?;
    let partial = sibling(dest, ".partial");
    let _ = std::fs::remove_file(&partial);
    let result = (|| -> Result<(u64, u64, u32), BackupError> {
        let mut copy = Connection::open(&partial).map_err(backend)?;
        copy_all(&source, &mut copy)?;
        // One self-contained file: no write-ahead log beside it.
        copy.pragma_update(None, "journal_mode", "DELETE")
            .map_err(backend)?;
        let (requests, pending_jobs, schema_version) = check(&copy, dest)?;
        drop(copy);
        std::fs::File::open(&partial)
            .and_then(|f| f.sync_all())
            .map_err(backend)?;
        std::fs::rename(&partial, dest).map_err(backend)?;
        Ok((requests, pending_jobs, schema_version))
    })();
    let (requests, pending_jobs, schema_version) = result.inspect_err(|_| {
        let _ = std::fs::remove_file(&partial);
    })?;
    Ok(BackupSummary {
        requests,
        pending_jobs,
        schema_version,
        bytes: std::fs::metadata(dest).map_err(backend)?.len(),
        took: started.elapsed(),
    })
}

/// Puts the backup `from` in place of the store at `store`. Refuses to replace an existing
/// store unless `force`; then the replaced file is first kept beside it, as
/// `<store>.replaced-<unix seconds>`, which is returned.
pub fn restore(
    from: &Path,
    store: &Path,
    force: bool,
) -> Result<(BackupSummary, Option<PathBuf>), BackupError> {
    let started = Instant::now();
    if !from.exists() {
        return Err(BackupError::Missing(from.to_owned()));
    }
    if same_file(from, store) {
        return Err(BackupError::SameFile);
    }
    let source =
        Connection::open_with_flags(from, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(|e| {
            BackupError::NotAStore {
                path: from.to_owned(),
                problem: e.to_string(),
            }
        })?;
    check(&source, from)?;
    let mut kept = None;
    if store.exists() {
        if !force {
            return Err(BackupError::TargetExists(store.to_owned()));
        }
        let aside = sibling(
            store,
            &format!(".replaced-{}", jiff::Timestamp::now().as_second()),
        );
        backup(store, &aside)?;
        kept = Some(aside);
    } else if let Some(dir) = store.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(backend)?;
    }
    // Through SQLite into the store's own file (its write-ahead log included), not a file
    // copy: a stale log beside the old file could otherwise be replayed over the restore.
    let mut target = Connection::open(store).map_err(backend)?;
    target
        .busy_timeout(Duration::from_secs(5))
        .map_err(backend)?;
    copy_all(&source, &mut target)?;
    target
        .pragma_update(None, "journal_mode", "WAL")
        .map_err(backend)?;
    let (requests, pending_jobs, schema_version) = check(&target, store)?;
    drop(target);
    Ok((
        BackupSummary {
            requests,
            pending_jobs,
            schema_version,
            bytes: std::fs::metadata(store).map_err(backend)?.len(),
            took: started.elapsed(),
        },
        kept,
    ))
}
