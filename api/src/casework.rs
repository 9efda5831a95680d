//! The rules of handling a request: who may do what, safe-contact preferences enforced, and
//! what the staff app is shown. The routes call these; the store records the outcome.

use jiff::civil::Weekday;
use kjr_domain::staff::{
    AttemptChannel, AttemptResult, AuditEntry, CaseStatus, ContactView, MAX_NOTE_CHARS, QueueRow,
    RequestView, SafeContactRule,
};
use kjr_domain::{ContactTime, Timestamp};

use crate::auth::Staff;
use crate::error::ApiError;
use crate::store::{Queue, StoredRequest, asker_kind};

/// The time zone of Jeugdstem's working hours and of children's "safe times".
pub const TIME_ZONE: &str = "Europe/Amsterdam";

/// The part of the day `at` falls in, in the Netherlands, and whether it is a weekend day.
/// Morning 08–12, afternoon 12–17, evening 17–21; other hours are no safe time at all.
pub fn part_of_day(at: Timestamp) -> (Option<ContactTime>, bool) {
    let zoned = jiff::Timestamp::from_second(at.0).ok().and_then(|t| {
        jiff::tz::TimeZone::get(TIME_ZONE)
            .ok()
            .map(|tz| t.to_zoned(tz))
    });
    let Some(zoned) = zoned else {
        return (None, false);
    };
    let part = match zoned.hour() {
        8..=11 => Some(ContactTime::Morning),
        12..=16 => Some(ContactTime::Afternoon),
        17..=20 => Some(ContactTime::Evening),
        _ => None,
    };
    let weekend = matches!(zoned.weekday(), Weekday::Saturday | Weekday::Sunday);
    (part, weekend)
}

/// The safe-contact preferences a contact attempt at `at` goes against. On a weekend day a
/// time is safe only if the person chose "weekend"; on a weekday only in a part of the day
/// they chose.
pub fn broken_preferences(
    stored: &StoredRequest,
    channel: AttemptChannel,
    result: AttemptResult,
    at: Timestamp,
) -> Vec<SafeContactRule> {
    let request = &stored.request;
    let mut broken = Vec::new();
    let (part, weekend) = part_of_day(at);
    let times = request.contact_times();
    let safe_time = match part {
        None => false,
        Some(_) if weekend => times.contains(&ContactTime::Weekend),
        Some(part) => times.contains(&part),
    };
    if !safe_time {
        broken.push(SafeContactRule::OutsideSafeTimes);
    }
    if result == AttemptResult::MessageLeft && !request.may_leave_message() {
        broken.push(SafeContactRule::MessageNotAllowed);
    }
    if channel == AttemptChannel::ViaFosterParents && request.never_via_foster_parents() {
        broken.push(SafeContactRule::ViaFosterParents);
    }
    broken
}

/// A staff member's free text (note, reason): trimmed, 1 to [`MAX_NOTE_CHARS`] characters,
/// no control characters but line breaks and tabs.
pub fn staff_text(raw: &str, what: &str) -> Result<String, ApiError> {
    bounded_staff_text(raw, what, MAX_NOTE_CHARS)
}

/// A reply for the website: as a note, up to [`kjr_domain::MAX_MESSAGE_CHARS`] characters
/// (what the person may write back, too).
pub fn message_text(raw: &str) -> Result<String, ApiError> {
    bounded_staff_text(raw, "bericht", kjr_domain::MAX_MESSAGE_CHARS)
}

fn bounded_staff_text(raw: &str, what: &str, max: usize) -> Result<String, ApiError> {
    let text = raw.trim();
    if text.is_empty() {
        return Err(ApiError::InvalidInput(format!("{what}: vul iets in.")));
    }
    if text.chars().count() > max {
        return Err(ApiError::InvalidInput(format!(
            "{what}: maximaal {max} tekens."
        )));
    }
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(ApiError::InvalidInput(format!(
            "{what}: bevat tekens die niet kunnen."
        )));
    }
    Ok(text.to_owned())
}

/// An optional free text: absent or blank is `None`.
pub fn optional_staff_text(raw: Option<&str>, what: &str) -> Result<Option<String>, ApiError> {
    match raw {
        Some(t) if !t.trim().is_empty() => staff_text(t, what).map(Some),
        _ => Ok(None),
    }
}

/// Whether `staff` may see the contact address: the one who claimed it, or a coordinator.
pub fn may_see_contact(staff: &Staff, stored: &StoredRequest) -> bool {
    staff.is_coordinator()
        || stored
            .case
            .claimed_by
            .as_ref()
            .is_some_and(|c| c.id == staff.member().id)
}

/// Whether `staff` may act on the contact with the person (attempts, status).
pub fn may_handle(staff: &Staff, stored: &StoredRequest) -> bool {
    may_see_contact(staff, stored)
}

/// The queue row of a request (no contact details).
pub fn queue_row(stored: &StoredRequest) -> QueueRow {
    QueueRow {
        id: stored.id.clone(),
        reference: stored.reference.clone(),
        team: stored
            .routing
            .as_ref()
            .map(|r| r.team.clone())
            .unwrap_or_else(|| kjr_domain::TeamId(String::new())),
        received_at: stored.received_at,
        urgency: Queue::for_request(&stored.request),
        asker: asker_kind(&stored.request),
        age_band: stored.request.age_band(),
        topics: stored.request.topics().to_vec(),
        status: stored.case.status,
        claimed_by: stored.case.claimed_by.clone(),
        due_at: stored.case.due_at,
        first_contact_at: stored.case.first_contact_at,
        unanswered_message: stored
            .case
            .conversation
            .as_ref()
            .is_some_and(|c| c.asker_waiting_since.is_some()),
    }
}

/// The request page for `staff`.
pub fn request_view(
    staff: &Staff,
    stored: &StoredRequest,
    trail: &[AuditEntry],
    now: Timestamp,
) -> RequestView {
    let request = &stored.request;
    let child_knows = match request.asker() {
        kjr_domain::Asker::OnBehalf { child_knows } => Some(child_knows),
        _ => None,
    };
    RequestView {
        row: queue_row(stored),
        version: stored.case.version,
        changed_by: stored.case.changed_by.clone(),
        changed_at: stored.case.changed_at,
        contact: ContactView {
            channel: request.channel(),
            address: may_see_contact(staff, stored).then(|| request.contact().as_str().to_owned()),
            contact_times: request.contact_times().to_vec(),
            may_leave_message: request.may_leave_message(),
            never_via_foster_parents: request.never_via_foster_parents(),
        },
        child_knows,
        safe_now: request.safe_now(),
        has_trusted_person: request.has_trusted_person(),
        feeling: request.feeling(),
        nickname: request.nickname().map(|n| n.as_str().to_owned()),
        message: request.message().map(|m| m.as_str().to_owned()),
        municipality: request.municipality().map(|m| m.name().to_owned()),
        disclosure: stored.case.disclosure,
        veilig_thuis: stored.case.veilig_thuis.clone(),
        closing: stored.case.closing.clone(),
        needs_four_eyes: needs_four_eyes(stored),
        transferred_from: stored.case.transferred_from.clone(),
        legal_hold: stored.case.legal_hold.clone(),
        deleted_after: (stored.expires_at != Timestamp::NEVER).then_some(stored.expires_at),
        history: trail
            .iter()
            .filter(|e| e.event.is_handling())
            .cloned()
            .collect(),
        now,
    }
}

/// Whether closing needs a second colleague: the request is urgent, or there are signs of
/// abuse or danger.
pub fn needs_four_eyes(stored: &StoredRequest) -> bool {
    stored.request.is_urgent() || stored.case.disclosure
}

/// The new deletion date when a change closes a request or puts a legal hold on or off:
/// retention counts from closing, a hold pauses it, and an open request never expires.
pub fn expiry_after(
    before: &crate::store::CaseState,
    after: &crate::store::CaseState,
    retention_days: u32,
) -> Option<Timestamp> {
    let closed_at = |c: &crate::store::CaseState| {
        c.closing
            .as_ref()
            .and_then(|c| c.closed_at)
            .filter(|_| c.status == CaseStatus::Closed)
    };
    let expiry = |c: &crate::store::CaseState| match (closed_at(c), &c.legal_hold) {
        (Some(at), None) => at.plus_days(retention_days),
        _ => Timestamp::NEVER,
    };
    let (old, new) = (expiry(before), expiry(after));
    (old != new).then_some(new)
}

/// The ISO week of `at` in the Netherlands, e.g. `2026-W49`.
pub fn iso_week(at: Timestamp) -> String {
    jiff::Timestamp::from_second(at.0)
        .ok()
        .and_then(|t| {
            jiff::tz::TimeZone::get(TIME_ZONE)
                .ok()
                .map(|tz| t.to_zoned(tz))
        })
        .map(|z| {
            let w = z.date().iso_week_date();
            format!("{}-W{:02}", w.year(), w.week())
        })
        .unwrap_or_default()
}

/// The anonymous count to keep when a change makes first contact.
pub fn first_contact(
    stored: &StoredRequest,
    after: &crate::store::CaseState,
) -> Option<crate::store::FirstContact> {
    let at = after
        .first_contact_at
        .filter(|_| stored.case.first_contact_at.is_none())?;
    Some(crate::store::FirstContact {
        week: iso_week(at),
        team: stored.routing.as_ref()?.team.clone(),
        urgent: stored.request.is_urgent(),
        minutes: u32::try_from((at.0 - stored.received_at.0).max(0) / 60).unwrap_or(u32::MAX),
        within_deadline: at <= after.due_at,
    })
}

/// The median and 90th percentile (nearest rank) of `minutes`.
pub fn percentiles(mut minutes: Vec<u32>) -> (Option<u32>, Option<u32>) {
    if minutes.is_empty() {
        return (None, None);
    }
    minutes.sort_unstable();
    let rank = |p: f64| {
        let i = ((p * minutes.len() as f64).ceil() as usize).clamp(1, minutes.len()) - 1;
        minutes[i]
    };
    (Some(rank(0.5)), Some(rank(0.9)))
}

/// The status after a claim: a new request is in progress once someone has it.
pub fn status_after_claim(status: CaseStatus) -> Result<CaseStatus, ApiError> {
    match status {
        CaseStatus::New => Ok(CaseStatus::InProgress),
        CaseStatus::Closed | CaseStatus::AwaitingApproval => Err(ApiError::InvalidTransition),
        other => Ok(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_nearest_rank() {
        assert_eq!(percentiles(vec![]), (None, None));
        assert_eq!(percentiles(vec![30]), (Some(30), Some(30)));
        let ten: Vec<u32> = (1..=10).map(|m| m * 10).collect();
        assert_eq!(percentiles(ten), (Some(50), Some(90)));
        assert_eq!(iso_week(Timestamp(1_796_169_600)), "2026-W49");
    }

    #[test]
    fn parts_of_the_day_are_dutch_time_winter_and_summer() {
        // 2025-12-01 10:00 UTC = 11:00 CET, a Monday.
        assert_eq!(
            part_of_day(Timestamp(1_764_583_200)),
            (Some(ContactTime::Morning), false)
        );
        // 2026-07-04 15:30 UTC = 17:30 CEST, a Saturday.
        assert_eq!(
            part_of_day(Timestamp(1_783_179_000)),
            (Some(ContactTime::Evening), true)
        );
        // 2025-12-01 22:00 UTC = 23:00 CET: never a safe time.
        assert_eq!(part_of_day(Timestamp(1_764_626_400)).0, None);
    }
}
