//! `GET /api/health`: liveness, and `GET /api/health/ready`: readiness. Neither is counted by
//! the rate limits, so a monitor polling them never locks out the children behind the same
//! address. Readiness tells the truth about the routing backlog, with counts and times only.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;

use crate::config::ReadinessLimits;
use crate::ids::Timestamp;
use crate::startup::AppState;
use crate::store::OutboxStatus;

/// The health answer.
#[derive(Serialize)]
pub struct Health {
    /// Always `ok` when the process answers.
    pub status: &'static str,
}

/// Liveness check.
pub async fn health() -> Json<Health> {
    Json(Health { status: "ok" })
}

kjr_domain::wire_enum! {
    /// Whether the service does its work.
    pub enum ReadyStatus {
        /// The store answers and no routing job waits too long.
        Ready = "ready",
        /// A routing job waits longer than the threshold: a team may not know of a request.
        Backlog = "backlog",
        /// The store does not answer.
        StoreUnavailable = "store_unavailable",
    }
}

/// The readiness answer: no ids, no references, nothing a person wrote.
#[derive(Debug, Clone, Serialize)]
pub struct Readiness {
    /// The verdict (503 unless `ready`).
    pub status: ReadyStatus,
    /// Whether the store answered.
    pub store: bool,
    /// Unfinished routing jobs (absent when the store did not answer).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pending_jobs: Option<usize>,
    /// Seconds the oldest of them has waited (absent when none waits).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub oldest_pending_seconds: Option<i64>,
    /// When a team was last notified (absent when no stored request was ever).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_notification_at: Option<Timestamp>,
    /// The threshold for `oldest_pending_seconds`.
    pub max_backlog_seconds: i64,
    /// When this was measured (answers may be reused for `KJR_READY_CACHE_SECONDS`).
    pub checked_at: Timestamp,
}

impl Readiness {
    /// Judges what the store said at `now`.
    pub fn judge(outbox: Option<&OutboxStatus>, limits: &ReadinessLimits, now: Timestamp) -> Self {
        let Some(outbox) = outbox else {
            return Self {
                status: ReadyStatus::StoreUnavailable,
                store: false,
                pending_jobs: None,
                oldest_pending_seconds: None,
                last_notification_at: None,
                max_backlog_seconds: limits.max_backlog_seconds,
                checked_at: now,
            };
        };
        let oldest = outbox
            .oldest_pending_since
            .map(|_| outbox.backlog_age_seconds(now));
        let stuck = oldest.is_some_and(|age| age > limits.max_backlog_seconds);
        Self {
            status: if stuck {
                ReadyStatus::Backlog
            } else {
                ReadyStatus::Ready
            },
            store: true,
            pending_jobs: Some(outbox.pending),
            oldest_pending_seconds: oldest,
            last_notification_at: outbox.last_notified_at,
            max_backlog_seconds: limits.max_backlog_seconds,
            checked_at: now,
        }
    }
}

impl IntoResponse for Readiness {
    fn into_response(self) -> Response {
        let code = match self.status {
            ReadyStatus::Ready => StatusCode::OK,
            _ => StatusCode::SERVICE_UNAVAILABLE,
        };
        (code, Json(self)).into_response()
    }
}

/// The last readiness answer, reused for `cache_seconds`.
#[derive(Default)]
pub struct ReadinessCache(Mutex<Option<(Instant, Readiness)>>);

impl ReadinessCache {
    fn fresh(&self, max_age: Duration) -> Option<Readiness> {
        let guard = self.0.lock().ok()?;
        guard
            .as_ref()
            .filter(|(at, _)| at.elapsed() < max_age)
            .map(|(_, r)| r.clone())
    }

    fn keep(&self, readiness: &Readiness) {
        if let Ok(mut guard) = self.0.lock() {
            *guard = Some((Instant::now(), readiness.clone()));
        }
    }
}

/// Readiness check: 200 when ready, 503 with the same body when not.
pub async fn ready(State(state): State<AppState>) -> Readiness {
    let limits = state.settings.readiness;
    let max_age = Duration::from_secs(u64::from(limits.cache_seconds));
    if !max_age.is_zero()
        && let Some(cached) = state.readiness.fresh(max_age)
    {
        return cached;
    }
    let now = Timestamp::now();
    let outbox = match state.store.outbox_status().await {
        Ok(outbox) => {
            state.metrics.backlog(&outbox, now);
            Some(outbox)
        }
        Err(e) => {
            tracing::error!(error = %e, "readiness: the store did not answer");
            None
        }
    };
    let readiness = Readiness::judge(outbox.as_ref(), &limits, now);
    if readiness.status == ReadyStatus::Backlog {
        tracing::warn!(
            pending = readiness.pending_jobs,
            oldest_seconds = readiness.oldest_pending_seconds,
            "readiness: routing jobs wait too long"
        );
    }
    state.readiness.keep(&readiness);
    readiness
}

/// The routes of this resource.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/health", get(health))
        .route("/health/ready", get(ready))
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: ReadinessLimits = ReadinessLimits {
        max_backlog_seconds: 900,
        cache_seconds: 0,
    };

    #[test]
    fn an_empty_outbox_is_ready() {
        let r = Readiness::judge(Some(&OutboxStatus::default()), &LIMITS, Timestamp(1000));
        assert_eq!(r.status, ReadyStatus::Ready);
        assert_eq!(r.oldest_pending_seconds, None);
    }

    #[test]
    fn a_job_older_than_the_threshold_is_a_backlog() {
        let outbox = OutboxStatus {
            pending: 2,
            oldest_pending_since: Some(Timestamp(1000)),
            last_notified_at: Some(Timestamp(900)),
        };
        let at_threshold = Readiness::judge(Some(&outbox), &LIMITS, Timestamp(1900));
        assert_eq!(at_threshold.status, ReadyStatus::Ready);
        let past = Readiness::judge(Some(&outbox), &LIMITS, Timestamp(1901));
        assert_eq!(past.status, ReadyStatus::Backlog);
        assert_eq!(past.oldest_pending_seconds, Some(901));
        assert_eq!(past.pending_jobs, Some(2));
        assert_eq!(
            past.into_response().status(),
            StatusCode::SERVICE_UNAVAILABLE
        );
    }

    #[test]
    fn a_silent_store_is_not_ready() {
        let r = Readiness::judge(None, &LIMITS, Timestamp(0));
        assert_eq!(r.status, ReadyStatus::StoreUnavailable);
        assert!(!r.store);
    }
}
