//! Runs routing after a request is committed: decide, record, notify, finish the job.
//!
//! Every step is idempotent, so a job that is run again after a crash or a retry never
//! routes twice; at worst a team gets the same notification twice.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;

use super::RoutingRules;
use crate::ids::{RequestId, Timestamp};
use crate::notify::{Notifier, NotifyError, TeamNotification};
use crate::store::{Store, StoreError};

/// What routing needs: the store, the rules, the notifier and where the staff pages live.
#[derive(Clone)]
pub struct RoutingJob {
    /// Where requests are stored.
    pub store: Arc<dyn Store>,
    /// Team and queue rules.
    pub rules: Arc<RoutingRules>,
    /// Team notifications.
    pub notifier: Arc<dyn Notifier>,
    /// Base URL of the staff pages, for links in notifications.
    pub staff_base_url: String,
    /// Working hours (the digest goes out on working days).
    pub calendar: Arc<crate::calendar::Calendar>,
    /// The operational counters.
    pub metrics: Arc<crate::metrics::Metrics>,
}

/// Routing failures (the job stays pending and is retried).
#[derive(Debug, thiserror::Error)]
pub enum RoutingError {
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The notification could not be sent.
    #[error(transparent)]
    Notify(#[from] NotifyError),
    /// The job names a request that does not exist (it expired, or was never stored).
    #[error("request {0} not found")]
    NotFound(RequestId),
    /// The stored decision names a team the current rules no longer have.
    #[error("team {0} not in the routing rules")]
    UnknownTeam(String),
}

/// Routes request `id` and notifies its team; safe to run more than once.
pub async fn process_request(job: &RoutingJob, id: &RequestId) -> Result<(), RoutingError> {
    let stored = job
        .store
        .get(id)
        .await?
        .ok_or_else(|| RoutingError::NotFound(id.clone()))?;
    if stored.notified_at.is_some() {
        return Ok(());
    }
    let decision = match stored.routing {
        Some(decision) => decision,
        None => {
            let decision = job.rules.route(&stored.request, Timestamp::now());
            if !job.store.record_routing(id, &decision).await? {
                // Someone else routed it meanwhile: use what they recorded.
                return Box::pin(process_request(job, id)).await;
            }
            tracing::info!(request_id = %id, team = %decision.team, queue = decision.queue.as_str(), "request routed");
            job.metrics.request_routed();
            decision
        }
    };
    let team = job
        .rules
        .team(&decision.team)
        .ok_or_else(|| RoutingError::UnknownTeam(decision.team.0.clone()))?;
    let notification = TeamNotification::new(
        &stored.reference,
        id,
        team,
        decision.queue,
        &job.staff_base_url,
    );
    let waiting = stored
        .case
        .conversation
        .as_ref()
        .is_some_and(|c| c.asker_waiting_since.is_some());
    let notification = if waiting {
        notification.of_new_message()
    } else {
        notification
    };
    if let Err(e) = job.notifier.notify(&notification).await {
        job.metrics.notification_failed();
        return Err(e.into());
    }
    job.store.mark_notified(id, Timestamp::now()).await?;
    tracing::info!(request_id = %id, team = %decision.team, "team notified");
    Ok(())
}

/// Runs every unfinished routing job once; returns how many succeeded and failed.
pub async fn run_pending_jobs(job: &RoutingJob) -> Result<(usize, usize), StoreError> {
    let (mut done, mut failed) = (0, 0);
    for id in job.store.pending_jobs().await? {
        match process_request(job, &id).await {
            Ok(()) => done += 1,
            Err(RoutingError::NotFound(_)) => {
                // Expired and purged before it could be routed: nothing left to do.
                tracing::warn!(request_id = %id, "routing job for a request that no longer exists");
            }
            Err(e) => {
                failed += 1;
                tracing::warn!(request_id = %id, error = %e, "routing job failed; will retry");
            }
        }
    }
    Ok((done, failed))
}

/// The local outbox worker: runs every pending job, then waits for `wake` (or a timer, so
/// failed jobs are retried). Pending jobs survive a crash because they are rows in the store.
pub async fn run_outbox(job: RoutingJob, wake: Arc<Notify>) {
    const RETRY: Duration = Duration::from_secs(15);
    const PURGE_EVERY: Duration = Duration::from_secs(3600);
    // The digest goes out once a day from this hour on (Dutch time). Locally the day it was
    // sent is kept in memory: a restart after that hour sends it once more.
    const DIGEST_HOUR: i8 = 8;
    let mut last_purge: Option<std::time::Instant> = None;
    let mut last_digest: Option<jiff::civil::Date> = None;
    loop {
        if let Some((day, hour)) = job.calendar.local_hour(Timestamp::now())
            && hour >= DIGEST_HOUR
            && last_digest != Some(day)
        {
            match super::digest::send_digests(&job, Timestamp::now()).await {
                Ok(_) => last_digest = Some(day),
                Err(e) => tracing::error!(error = %e, "could not send the daily digests"),
            }
        }
        if let Err(e) = run_pending_jobs(&job).await {
            tracing::error!(error = %e, "could not read the outbox");
        }
        if last_purge.is_none_or(|t| t.elapsed() >= PURGE_EVERY) {
            match job.store.purge_expired(Timestamp::now()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(purged = n, "expired requests deleted"),
                Err(e) => tracing::error!(error = %e, "could not purge expired requests"),
            }
            last_purge = Some(std::time::Instant::now());
        }
        tokio::select! {
            _ = wake.notified() => {}
            _ = tokio::time::sleep(RETRY) => {}
        }
    }
}
