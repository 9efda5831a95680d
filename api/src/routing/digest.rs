//! The daily digest: each team's mailbox gets, on working days, how many requests are open
//! per status and which are overdue (reference and deadline only; never personal data).

use kjr_domain::Lang;
use kjr_domain::staff::{MAX_QUEUE_PAGE, QueueFilter};

use super::{RoutingError, RoutingJob};
use crate::ids::Timestamp;
use crate::notify::TeamDigest;
use crate::store::{Cursor, QueueQuery, QueueScope};

/// The deadline `at` in words: "dinsdag 1 december 13:00".
fn in_words(job: &RoutingJob, at: Timestamp) -> String {
    match job.calendar.local(at) {
        Some(d) => format!(
            "{} {:02}:{:02}",
            Lang::Nl.words().day_in_words(d.weekday, d.day, d.month),
            d.hour,
            d.minute
        ),
        None => at.0.to_string(),
    }
}

/// Sends every team its digest for the day of `now` (only on a working day of the team);
/// returns how many were sent.
pub async fn send_digests(job: &RoutingJob, now: Timestamp) -> Result<usize, RoutingError> {
    let Some(today) = job.calendar.local(now) else {
        return Ok(0);
    };
    let day = Lang::Nl
        .words()
        .day_in_words(today.weekday, today.day, today.month);
    let mut sent = 0;
    for team in job.rules.teams() {
        if !job.calendar.is_working_day(&team.id, now) {
            continue;
        }
        let scope = QueueScope::Team(team.id.clone());
        let counts = job.store.status_counts(&scope).await?;
        let mut query = QueueQuery {
            scope,
            filter: QueueFilter {
                overdue: Some(true),
                ..QueueFilter::default()
            },
            after: None,
            limit: MAX_QUEUE_PAGE,
            now,
        };
        let mut overdue = Vec::new();
        loop {
            let slice = job.store.queue(&query).await?;
            overdue.extend(
                slice
                    .requests
                    .iter()
                    .map(|r| (r.reference.clone(), in_words(job, r.case.due_at))),
            );
            match slice.next_cursor.as_deref().and_then(Cursor::parse) {
                Some(c) => query.after = Some(c),
                None => break,
            }
        }
        let digest = TeamDigest {
            team_name: team.name.clone(),
            to: team.email.clone(),
            day: day.clone(),
            counts,
            overdue,
            staff_url: format!("{}/staff/", job.staff_base_url.trim_end_matches('/')),
        };
        job.notifier.notify(&digest).await?;
        sent += 1;
    }
    tracing::info!(teams = sent, "daily digests sent");
    Ok(sent)
}
