//! The queue, the request page, its actions and its audit trail.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use kjr_domain::staff::{
    ApproveCloseAction, AuditEntry, CaseEvent, CaseStatus, ClaimAction, CloseAction, Closing,
    ContactAttemptAction, DEFAULT_QUEUE_PAGE, DisclosureAction, LegalHold, LegalHoldAction,
    MAX_QUEUE_PAGE, MessageAction, NoteAction, QueueFilter, QueuePage, RequestView, StaffRef,
    StatusAction, TransferAction, VeiligThuisAction, VeiligThuisRecord,
};
use kjr_domain::{Municipality, RequestId, Timestamp, VersionConflict};
use serde::Deserialize;

use crate::auth::{Staff, StaffChange};
use crate::casework::{
    self, broken_preferences, may_handle, optional_staff_text, request_view, staff_text,
    status_after_claim,
};
use crate::error::ApiError;
use crate::extract::{ShapedJson, StaffQuery};
use crate::startup::AppState;
use crate::store::{
    ApplyOutcome, CaseChange, CaseState, Cursor, QueueQuery, QueueScope, StoredRequest,
};

/// How often a change that does not depend on the version (a contact attempt) is tried again
/// when someone else changed the request at the same moment.
const APPEND_RETRIES: usize = 3;

/// The request `raw_id` if `staff` may see it; otherwise, and for ids that do not exist,
/// 404: nobody can find out that another team's request exists.
async fn load(state: &AppState, staff: &Staff, raw_id: &str) -> Result<StoredRequest, ApiError> {
    let id = RequestId::parse(raw_id).ok_or(ApiError::NotFound)?;
    let stored = state.store.get(&id).await?.ok_or(ApiError::NotFound)?;
    if !staff.may_see(stored.routing.as_ref().map(|r| &r.team)) {
        return Err(ApiError::NotFound);
    }
    Ok(stored)
}

/// The request `raw_id` for a change of its handling: `staff` must be the one who claimed it
/// (or a coordinator), and it must be open and not waiting for approval to close.
async fn load_for_handling(
    state: &AppState,
    staff: &Staff,
    raw_id: &str,
) -> Result<StoredRequest, ApiError> {
    let stored = load(state, staff, raw_id).await?;
    if !may_handle(staff, &stored) {
        return Err(ApiError::Forbidden);
    }
    if !stored.case.status.is_open() || stored.case.status == CaseStatus::AwaitingApproval {
        return Err(ApiError::InvalidTransition);
    }
    Ok(stored)
}

fn conflict(current: &StoredRequest) -> ApiError {
    ApiError::VersionConflict(Box::new(VersionConflict {
        version: current.case.version,
        changed_by: current.case.changed_by.clone(),
        changed_at: current.case.changed_at,
    }))
}

/// Records `change`; a version conflict becomes 409 with who changed it and when.
async fn record(
    state: &AppState,
    id: &RequestId,
    change: CaseChange,
) -> Result<StoredRequest, ApiError> {
    match state.store.apply(id, change).await? {
        Some(ApplyOutcome::Applied(now)) => Ok(*now),
        Some(ApplyOutcome::Conflict(current)) => Err(conflict(&current)),
        None => Err(ApiError::NotFound),
    }
}

/// The page as it is now, for the answer to a change (not recorded as a view: the person
/// has the page open already).
async fn view_after_change(
    state: &AppState,
    staff: &Staff,
    stored: &StoredRequest,
) -> Result<Json<RequestView>, ApiError> {
    let (trail, _) = state
        .store
        .audit_trail(&stored.id)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(Json(request_view(staff, stored, &trail, Timestamp::now())))
}

fn next_state(stored: &StoredRequest, staff: &Staff, now: Timestamp) -> CaseState {
    CaseState {
        version: stored.case.version + 1,
        changed_by: Some(staff.member().as_ref()),
        changed_at: now,
        ..stored.case.clone()
    }
}

/// `GET /api/staff/requests`: the queue.
pub async fn queue(
    State(state): State<AppState>,
    staff: Staff,
    StaffQuery(mut filter): StaffQuery<QueueFilter>,
) -> Result<Json<QueuePage>, ApiError> {
    let scope = if staff.is_coordinator() {
        match &filter.team {
            Some(team) if state.rules.team(team).is_none() => {
                return Err(ApiError::InvalidInput(
                    "(team: dit team bestaat niet)".into(),
                ));
            }
            Some(team) => QueueScope::Team(team.clone()),
            None => QueueScope::All,
        }
    } else {
        let own = staff.member().team.clone().ok_or(ApiError::Forbidden)?;
        if filter.team.as_ref().is_some_and(|t| *t != own) {
            return Err(ApiError::Forbidden);
        }
        QueueScope::Team(own)
    };
    let limit = filter.limit.unwrap_or(DEFAULT_QUEUE_PAGE);
    if !(1..=MAX_QUEUE_PAGE).contains(&limit) {
        return Err(ApiError::InvalidInput(format!(
            "(limit: 1 tot en met {MAX_QUEUE_PAGE})"
        )));
    }
    let after = match filter.cursor.as_deref() {
        Some(raw) => Some(
            Cursor::parse(raw)
                .ok_or_else(|| ApiError::InvalidInput("(cursor: onbekende plek)".into()))?,
        ),
        None => None,
    };
    if let Some(raw) = filter.municipality.as_deref() {
        let name = Municipality::find(raw)
            .ok_or_else(|| ApiError::InvalidInput("(municipality: onbekende gemeente)".into()))?
            .name();
        filter.municipality = Some(name.to_owned());
    }
    let now = Timestamp::now();
    let query = QueueQuery {
        scope: scope.clone(),
        filter,
        after,
        limit,
        now,
    };
    let slice = state.store.queue(&query).await?;
    let counts = state.store.status_counts(&scope).await?;
    Ok(Json(QueuePage {
        rows: slice.requests.iter().map(casework::queue_row).collect(),
        counts,
        next_cursor: slice.next_cursor,
        now,
    }))
}

/// `GET /api/staff/requests/{id}`: the request page. Every opening is recorded.
pub async fn request(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> Result<Json<RequestView>, ApiError> {
    let stored = load(&state, &staff, &id).await?;
    let now = Timestamp::now();
    let stored = record(
        &state,
        &stored.id,
        CaseChange {
            actor: Some(staff.member().as_ref()),
            at: now,
            events: vec![CaseEvent::Viewed],
            state: None,
            team: None,
            expires_at: None,
            first_contact: None,
            renotify: false,
        },
    )
    .await?;
    tracing::info!(request_id = %stored.id, staff = %staff.member().id.as_str(), "request viewed");
    view_after_change(&state, &staff, &stored).await
}

/// `POST /api/staff/requests/{id}/claim`: take it, or give it to a colleague.
pub async fn claim(
    State(state): State<AppState>,
    StaffChange(staff): StaffChange,
    Path(id): Path<String>,
    ShapedJson(action): ShapedJson<ClaimAction>,
) -> Result<Json<RequestView>, ApiError> {
    let stored = load(&state, &staff, &id).await?;
    let team = stored.routing.as_ref().map(|r| r.team.clone());
    let assignee = match &action.assignee {
        None => staff.member().clone(),
        Some(other) => {
            let member = state
                .store
                .staff_directory()
                .await?
                .into_iter()
                .find(|m| &m.id == other)
                .ok_or_else(|| ApiError::InvalidInput("(assignee: onbekende collega)".into()))?;
            // A confidant assigns within the team; a coordinator also to a coordinator.
            let same_team = member.team.is_some() && member.team == team;
            let allowed = same_team
                || (staff.is_coordinator() && member.role == kjr_domain::staff::Role::Coordinator);
            if !allowed {
                return Err(ApiError::Forbidden);
            }
            member
        }
    };
    if stored.case.version != action.version {
        return Err(conflict(&stored));
    }
    let now = Timestamp::now();
    let status = status_after_claim(stored.case.status)?;
    let mut events = vec![CaseEvent::Claimed {
        assignee: assignee.as_ref(),
    }];
    if status != stored.case.status {
        events.push(CaseEvent::StatusChanged {
            from: stored.case.status,
            to: status,
        });
    }
    let state_now = CaseState {
        status,
        claimed_by: Some(assignee.as_ref()),
        first_in_queue: false,
        ..next_state(&stored, &staff, now)
    };
    let stored = record(
        &state,
        &stored.id,
        CaseChange {
            actor: Some(staff.member().as_ref()),
            at: now,
            events,
            state: Some((action.version, state_now)),
            team: None,
            expires_at: None,
            first_contact: None,
            renotify: false,
        },
    )
    .await?;
    view_after_change(&state, &staff, &stored).await
}

/// The status once the person was reached (or replied to on the website): contact made,
/// from in progress or unreachable; the change is added to `events`.
fn contact_made(stored: &StoredRequest, events: &mut Vec<CaseEvent>) -> CaseStatus {
    let status = match stored.case.status {
        CaseStatus::InProgress | CaseStatus::Unreachable => CaseStatus::ContactMade,
        other => other,
    };
    if status != stored.case.status {
        events.push(CaseEvent::StatusChanged {
            from: stored.case.status,
            to: status,
        });
    }
    status
}

/// `POST /api/staff/requests/{id}/contact-attempts`.
pub async fn contact_attempt(
    State(state): State<AppState>,
    StaffChange(staff): StaffChange,
    Path(id): Path<String>,
    ShapedJson(action): ShapedJson<ContactAttemptAction>,
) -> Result<Json<RequestView>, ApiError> {
    let mut stored = load(&state, &staff, &id).await?;
    let note = optional_staff_text(action.note.as_deref(), "notitie")?;
    let reason = optional_staff_text(action.override_reason.as_deref(), "reden")?;
    for _ in 0..APPEND_RETRIES {
        if !may_handle(&staff, &stored) {
            return Err(ApiError::Forbidden);
        }
        if matches!(
            stored.case.status,
            CaseStatus::New | CaseStatus::AwaitingApproval | CaseStatus::Closed
        ) {
            return Err(ApiError::InvalidTransition);
        }
        let now = Timestamp::now();
        let overrides = broken_preferences(&stored, action.channel, action.result, now);
        if !overrides.is_empty() && reason.is_none() {
            return Err(ApiError::OverrideReasonRequired { rules: overrides });
        }
        let mut events = vec![CaseEvent::ContactAttempt {
            channel: action.channel,
            result: action.result,
            note: note.clone(),
            overrides: overrides.clone(),
            override_reason: reason.clone().filter(|_| !overrides.is_empty()),
        }];
        // Reaching the person is first contact; it changes the state (and its version).
        let reached = action.result == kjr_domain::staff::AttemptResult::Reached;
        let new_state = reached.then(|| {
            let status = contact_made(&stored, &mut events);
            (
                stored.case.version,
                CaseState {
                    status,
                    first_contact_at: stored.case.first_contact_at.or(Some(now)),
                    ..next_state(&stored, &staff, now)
                },
            )
        });
        let first_contact = new_state
            .as_ref()
            .and_then(|(_, after)| casework::first_contact(&stored, after));
        let change = CaseChange {
            actor: Some(staff.member().as_ref()),
            at: now,
            events,
            state: new_state,
            team: None,
            expires_at: None,
            first_contact,
            renotify: false,
        };
        match state.store.apply(&stored.id, change).await? {
            Some(ApplyOutcome::Applied(now)) => {
                if !overrides.is_empty() {
                    tracing::warn!(request_id = %now.id, "contact attempt against a safe-contact preference, with a reason");
                }
                return view_after_change(&state, &staff, &now).await;
            }
            Some(ApplyOutcome::Conflict(current)) => stored = *current,
            None => return Err(ApiError::NotFound),
        }
    }
    Err(conflict(&stored))
}

/// `POST /api/staff/requests/{id}/messages`: a reply to a person who reads the replies on
/// the website. Nothing is sent anywhere: the person reads it there. The first reply is
/// first contact; a reply answers what the person wrote, so the request leaves the top of
/// the queue.
pub async fn message(
    State(state): State<AppState>,
    StaffChange(staff): StaffChange,
    Path(id): Path<String>,
    ShapedJson(action): ShapedJson<MessageAction>,
) -> Result<Json<RequestView>, ApiError> {
    let text = casework::message_text(&action.text)?;
    let mut stored = load_for_handling(&state, &staff, &id).await?;
    for _ in 0..APPEND_RETRIES {
        let Some(conversation) = stored.case.conversation.clone() else {
            return Err(ApiError::NoConversation);
        };
        if !may_handle(&staff, &stored) {
            return Err(ApiError::Forbidden);
        }
        if !stored.case.status.is_open() || stored.case.status == CaseStatus::AwaitingApproval {
            return Err(ApiError::InvalidTransition);
        }
        let now = Timestamp::now();
        let mut events = vec![CaseEvent::MessageToAsker { text: text.clone() }];
        let status = contact_made(&stored, &mut events);
        let after = CaseState {
            status,
            first_contact_at: stored.case.first_contact_at.or(Some(now)),
            conversation: Some(crate::store::ConversationState {
                asker_waiting_since: None,
                ..conversation
            }),
            ..next_state(&stored, &staff, now)
        };
        let change = CaseChange {
            actor: Some(staff.member().as_ref()),
            at: now,
            events,
            first_contact: casework::first_contact(&stored, &after),
            state: Some((stored.case.version, after)),
            team: None,
            expires_at: None,
            renotify: false,
        };
        match state.store.apply(&stored.id, change).await? {
            Some(ApplyOutcome::Applied(now)) => {
                tracing::info!(request_id = %now.id, "reply for the website written");
                return view_after_change(&state, &staff, &now).await;
            }
            Some(ApplyOutcome::Conflict(current)) => stored = *current,
            None => return Err(ApiError::NotFound),
        }
    }
    Err(conflict(&stored))
}

/// `POST /api/staff/requests/{id}/notes`: an internal note.
pub async fn note(
    State(state): State<AppState>,
    StaffChange(staff): StaffChange,
    Path(id): Path<String>,
    ShapedJson(action): ShapedJson<NoteAction>,
) -> Result<Json<RequestView>, ApiError> {
    let stored = load(&state, &staff, &id).await?;
    let text = staff_text(&action.text, "notitie")?;
    let stored = record(
        &state,
        &stored.id,
        CaseChange {
            actor: Some(staff.member().as_ref()),
            at: Timestamp::now(),
            events: vec![CaseEvent::Note { text }],
            state: None,
            team: None,
            expires_at: None,
            first_contact: None,
            renotify: false,
        },
    )
    .await?;
    view_after_change(&state, &staff, &stored).await
}

/// `POST /api/staff/requests/{id}/status`.
pub async fn status(
    State(state): State<AppState>,
    StaffChange(staff): StaffChange,
    Path(id): Path<String>,
    ShapedJson(action): ShapedJson<StatusAction>,
) -> Result<Json<RequestView>, ApiError> {
    let stored = load(&state, &staff, &id).await?;
    if !may_handle(&staff, &stored) {
        return Err(ApiError::Forbidden);
    }
    if stored.case.version != action.version {
        return Err(conflict(&stored));
    }
    if !stored.case.status.may_become(action.status) {
        return Err(ApiError::InvalidTransition);
    }
    let now = Timestamp::now();
    let first_contact_at = match action.status {
        CaseStatus::ContactMade => stored.case.first_contact_at.or(Some(now)),
        _ => stored.case.first_contact_at,
    };
    let new_state = CaseState {
        status: action.status,
        first_contact_at,
        ..next_state(&stored, &staff, now)
    };
    let first_contact = casework::first_contact(&stored, &new_state);
    let stored = record(
        &state,
        &stored.id,
        CaseChange {
            actor: Some(staff.member().as_ref()),
            at: now,
            events: vec![CaseEvent::StatusChanged {
                from: stored.case.status,
                to: action.status,
            }],
            state: Some((action.version, new_state)),
            team: None,
            expires_at: None,
            first_contact,
            renotify: false,
        },
    )
    .await?;
    view_after_change(&state, &staff, &stored).await
}

/// Records a state change computed from the request as it is now.
async fn change(
    state: &AppState,
    staff: &Staff,
    stored: &StoredRequest,
    version: u32,
    events: Vec<CaseEvent>,
    new_state: CaseState,
    team: Option<kjr_domain::TeamId>,
) -> Result<Json<RequestView>, ApiError> {
    if stored.case.version != version {
        return Err(conflict(stored));
    }
    let now = record(
        state,
        &stored.id,
        CaseChange {
            actor: Some(staff.member().as_ref()),
            at: new_state.changed_at,
            events,
            expires_at: casework::expiry_after(
                &stored.case,
                &new_state,
                state.settings.retention_days,
            ),
            first_contact: None,
            renotify: false,
            state: Some((version, new_state)),
            team,
        },
    )
    .await?;
    view_after_change(state, staff, &now).await
}

/// `POST /api/staff/requests/{id}/transfer`: to another team, with a reason. The receiving
/// team sees it first in its queue, with its original deadline.
pub async fn transfer(
    State(state): State<AppState>,
    StaffChange(staff): StaffChange,
    Path(id): Path<String>,
    ShapedJson(action): ShapedJson<TransferAction>,
) -> Result<Json<RequestView>, ApiError> {
    let stored = load(&state, &staff, &id).await?;
    let reason = staff_text(&action.reason, "reden")?;
    let from = stored
        .routing
        .as_ref()
        .map(|r| r.team.clone())
        .ok_or(ApiError::InvalidTransition)?;
    if state.rules.team(&action.team).is_none() {
        return Err(ApiError::InvalidInput(
            "(team: dit team bestaat niet)".into(),
        ));
    }
    if action.team == from
        || matches!(
            stored.case.status,
            CaseStatus::AwaitingApproval | CaseStatus::Closed
        )
    {
        return Err(ApiError::InvalidTransition);
    }
    let now = Timestamp::now();
    let mut events = vec![CaseEvent::Transferred {
        from: from.clone(),
        to: action.team.clone(),
        reason,
    }];
    if stored.case.status != CaseStatus::New {
        events.push(CaseEvent::StatusChanged {
            from: stored.case.status,
            to: CaseStatus::New,
        });
    }
    let new_state = CaseState {
        status: CaseStatus::New,
        claimed_by: None,
        transferred_from: Some(from),
        first_in_queue: true,
        ..next_state(&stored, &staff, now)
    };
    tracing::info!(request_id = %stored.id, to = %action.team, "request transferred");
    change(
        &state,
        &staff,
        &stored,
        action.version,
        events,
        new_state,
        Some(action.team),
    )
    .await
}

/// `POST /api/staff/requests/{id}/disclosure`: mark "signs of abuse or danger".
pub async fn disclosure(
    State(state): State<AppState>,
    StaffChange(staff): StaffChange,
    Path(id): Path<String>,
    ShapedJson(action): ShapedJson<DisclosureAction>,
) -> Result<Json<RequestView>, ApiError> {
    let stored = load_for_handling(&state, &staff, &id).await?;
    let now = Timestamp::now();
    let new_state = CaseState {
        disclosure: action.disclosure,
        ..next_state(&stored, &staff, now)
    };
    let events = vec![CaseEvent::DisclosureMarked {
        disclosure: action.disclosure,
    }];
    change(
        &state,
        &staff,
        &stored,
        action.version,
        events,
        new_state,
        None,
    )
    .await
}

/// `POST /api/staff/requests/{id}/veilig-thuis`: consulted or reported, by whom, when.
pub async fn veilig_thuis(
    State(state): State<AppState>,
    StaffChange(staff): StaffChange,
    Path(id): Path<String>,
    ShapedJson(action): ShapedJson<VeiligThuisAction>,
) -> Result<Json<RequestView>, ApiError> {
    let stored = load_for_handling(&state, &staff, &id).await?;
    let now = Timestamp::now();
    let at = action.at.unwrap_or(now);
    if at > now || at < stored.received_at {
        return Err(ApiError::InvalidInput(
            "(at: tussen het binnenkomen van de vraag en nu)".into(),
        ));
    }
    let record = VeiligThuisRecord {
        step: action.step,
        by: staff.member().as_ref(),
        at,
        note: optional_staff_text(action.note.as_deref(), "notitie")?,
    };
    let new_state = CaseState {
        veilig_thuis: Some(record.clone()),
        ..next_state(&stored, &staff, now)
    };
    let events = vec![CaseEvent::VeiligThuisRecorded { record }];
    change(
        &state,
        &staff,
        &stored,
        action.version,
        events,
        new_state,
        None,
    )
    .await
}

/// `POST /api/staff/requests/{id}/close`: closes, or (urgent, or signs of abuse or danger)
/// asks a second colleague to approve.
pub async fn close(
    State(state): State<AppState>,
    StaffChange(staff): StaffChange,
    Path(id): Path<String>,
    ShapedJson(action): ShapedJson<CloseAction>,
) -> Result<Json<RequestView>, ApiError> {
    let stored = load(&state, &staff, &id).await?;
    if !may_handle(&staff, &stored) {
        return Err(ApiError::Forbidden);
    }
    let text = staff_text(&action.text, "toelichting")?;
    if matches!(
        stored.case.status,
        CaseStatus::New | CaseStatus::AwaitingApproval | CaseStatus::Closed
    ) {
        return Err(ApiError::InvalidTransition);
    }
    if stored.case.disclosure && stored.case.veilig_thuis.is_none() {
        return Err(ApiError::VeiligThuisStepRequired);
    }
    let now = Timestamp::now();
    let four_eyes = casework::needs_four_eyes(&stored);
    let closing = Closing {
        reason: action.reason,
        text: text.clone(),
        requested_by: staff.member().as_ref(),
        requested_at: now,
        approved_by: None,
        closed_at: (!four_eyes).then_some(now),
    };
    let status = if four_eyes {
        CaseStatus::AwaitingApproval
    } else {
        CaseStatus::Closed
    };
    let mut events = vec![if four_eyes {
        CaseEvent::CloseRequested {
            reason: action.reason,
            text,
        }
    } else {
        CaseEvent::Closed {
            reason: action.reason,
            text,
            approved_by: None,
        }
    }];
    events.push(CaseEvent::StatusChanged {
        from: stored.case.status,
        to: status,
    });
    let new_state = CaseState {
        status,
        closing: Some(closing),
        ..next_state(&stored, &staff, now)
    };
    change(
        &state,
        &staff,
        &stored,
        action.version,
        events,
        new_state,
        None,
    )
    .await
}

/// `POST /api/staff/requests/{id}/approve-close`: a second colleague closes it.
pub async fn approve_close(
    State(state): State<AppState>,
    StaffChange(staff): StaffChange,
    Path(id): Path<String>,
    ShapedJson(action): ShapedJson<ApproveCloseAction>,
) -> Result<Json<RequestView>, ApiError> {
    let stored = load(&state, &staff, &id).await?;
    let Some(closing) = stored
        .case
        .closing
        .clone()
        .filter(|_| stored.case.status == CaseStatus::AwaitingApproval)
    else {
        return Err(ApiError::InvalidTransition);
    };
    if closing.requested_by.id == staff.member().id {
        return Err(ApiError::SecondColleagueRequired);
    }
    let now = Timestamp::now();
    let events = vec![
        CaseEvent::Closed {
            reason: closing.reason,
            text: closing.text.clone(),
            approved_by: Some(staff.member().as_ref()),
        },
        CaseEvent::StatusChanged {
            from: CaseStatus::AwaitingApproval,
            to: CaseStatus::Closed,
        },
    ];
    let new_state = CaseState {
        status: CaseStatus::Closed,
        closing: Some(Closing {
            approved_by: Some(staff.member().as_ref()),
            closed_at: Some(now),
            ..closing
        }),
        ..next_state(&stored, &staff, now)
    };
    change(
        &state,
        &staff,
        &stored,
        action.version,
        events,
        new_state,
        None,
    )
    .await
}

/// `POST /api/staff/requests/{id}/legal-hold` (coordinators): pause or resume deletion.
pub async fn legal_hold(
    State(state): State<AppState>,
    StaffChange(staff): StaffChange,
    Path(id): Path<String>,
    ShapedJson(action): ShapedJson<LegalHoldAction>,
) -> Result<Json<RequestView>, ApiError> {
    let stored = load(&state, &staff, &id).await?;
    if !staff.is_coordinator() {
        return Err(ApiError::Forbidden);
    }
    let reason = staff_text(&action.reason, "reden")?;
    if action.hold == stored.case.legal_hold.is_some() {
        return Err(ApiError::InvalidTransition);
    }
    let now = Timestamp::now();
    let new_state = CaseState {
        legal_hold: action.hold.then(|| LegalHold {
            by: staff.member().as_ref(),
            at: now,
            reason: reason.clone(),
        }),
        ..next_state(&stored, &staff, now)
    };
    let events = vec![CaseEvent::LegalHoldChanged {
        hold: action.hold,
        reason,
    }];
    change(
        &state,
        &staff,
        &stored,
        action.version,
        events,
        new_state,
        None,
    )
    .await
}

/// The query of the audit export.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    /// `json` (default) or `csv`.
    #[serde(default)]
    pub format: Option<String>,
}

/// The audit trail as JSON.
#[derive(Debug, serde::Serialize)]
pub struct AuditTrail {
    /// The request's reference.
    pub reference: kjr_domain::Reference,
    /// Every event, oldest first.
    pub entries: Vec<AuditEntry>,
}

/// `GET /api/staff/requests/{id}/audit[?format=csv]`: the whole history, itself recorded.
pub async fn audit(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    StaffQuery(query): StaffQuery<AuditQuery>,
) -> Result<Response, ApiError> {
    let stored = load(&state, &staff, &id).await?;
    let format = query.format.as_deref().unwrap_or("json");
    if !matches!(format, "json" | "csv") {
        return Err(ApiError::InvalidInput("(format: json of csv)".into()));
    }
    record(
        &state,
        &stored.id,
        CaseChange {
            actor: Some(staff.member().as_ref()),
            at: Timestamp::now(),
            events: vec![CaseEvent::Exported {
                format: format.to_owned(),
            }],
            state: None,
            team: None,
            expires_at: None,
            first_contact: None,
            renotify: false,
        },
    )
    .await?;
    let (entries, _) = state
        .store
        .audit_trail(&stored.id)
        .await?
        .ok_or(ApiError::NotFound)?;
    if format == "json" {
        return Ok(Json(AuditTrail {
            reference: stored.reference,
            entries,
        })
        .into_response());
    }
    let mut response = audit_csv(&entries).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(v) = HeaderValue::from_str(&format!(
        "attachment; filename=\"audit-{}.csv\"",
        stored.reference
    )) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(response)
}

/// One CSV field, quoted, and neutralised where a spreadsheet would read it as a formula.
fn csv_field(value: &str) -> String {
    let risky = value.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let value = if risky {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    format!("\"{}\"", value.replace('"', "\"\""))
}

/// What an event says in words, and the free text staff wrote with it.
fn describe(event: &CaseEvent) -> (String, String) {
    match event {
        CaseEvent::Received { urgency } => (
            format!("binnengekomen ({})", urgency.as_str()),
            String::new(),
        ),
        CaseEvent::Routed { team, reason } => (format!("naar {team}: {reason}"), String::new()),
        CaseEvent::Notified { team } => (
            format!("teammailbox {team} bericht gestuurd"),
            String::new(),
        ),
        CaseEvent::Viewed => ("vraag bekeken".into(), String::new()),
        CaseEvent::Exported { format } => (
            format!("audit-trail geëxporteerd ({format})"),
            String::new(),
        ),
        CaseEvent::Claimed { assignee } => {
            (format!("opgepakt door {}", assignee.name), String::new())
        }
        CaseEvent::ContactAttempt {
            channel,
            result,
            note,
            overrides,
            override_reason,
        } => {
            let mut what = format!("contactpoging: {} – {}", channel.label(), result.label());
            if !overrides.is_empty() {
                let rules: Vec<&str> = overrides.iter().map(|r| r.label()).collect();
                what.push_str(&format!("; tegen de voorkeur in: {}", rules.join(", ")));
            }
            let text = [
                note.as_deref(),
                override_reason.as_deref().map(|r| r.trim()),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" | reden: ");
            (what, text)
        }
        CaseEvent::Note { text } => ("notitie".into(), text.clone()),
        CaseEvent::MessageToAsker { text } => ("antwoord op de website".into(), text.clone()),
        CaseEvent::MessageFromAsker { text, .. } => {
            ("bericht van de vrager (website)".into(), text.clone())
        }
        CaseEvent::StatusChanged { from, to } => (
            format!("status: {} → {}", from.label(), to.label()),
            String::new(),
        ),
        CaseEvent::LegalHoldChanged { hold, reason } => (
            if *hold {
                "bewaarplicht aangezet: niet verwijderen".into()
            } else {
                "bewaarplicht eraf: de bewaartermijn loopt weer".into()
            },
            reason.clone(),
        ),
        CaseEvent::Transferred { from, to, reason } => {
            (format!("overgedragen van {from} naar {to}"), reason.clone())
        }
        CaseEvent::DisclosureMarked { disclosure } => (
            if *disclosure {
                "gemarkeerd: signalen van mishandeling of gevaar".into()
            } else {
                "markering signalen van mishandeling of gevaar weggehaald".into()
            },
            String::new(),
        ),
        CaseEvent::VeiligThuisRecorded { record } => (
            format!(
                "{} door {} op {}",
                record.step.label(),
                record.by.name,
                local_time(record.at)
            ),
            record.note.clone().unwrap_or_default(),
        ),
        CaseEvent::CloseRequested { reason, text } => (
            format!(
                "afsluiten gevraagd ({}), wacht op een tweede collega",
                reason.label()
            ),
            text.clone(),
        ),
        CaseEvent::Closed {
            reason,
            text,
            approved_by,
        } => (
            match approved_by {
                Some(by) => format!(
                    "afgesloten ({}), goedgekeurd door {}",
                    reason.label(),
                    by.name
                ),
                None => format!("afgesloten ({})", reason.label()),
            },
            text.clone(),
        ),
    }
}

/// The audit trail as CSV (with a byte-order mark, so spreadsheets read it as UTF-8).
pub fn audit_csv(entries: &[AuditEntry]) -> String {
    let mut out = String::from("\u{feff}");
    out.push_str("seq,tijd,wie_id,wie,actie,omschrijving,tekst,vorige_hash,hash\r\n");
    for e in entries {
        let (what, text) = describe(&e.event);
        let (who_id, who) = e
            .actor
            .as_ref()
            .map_or(("systeem", "systeem"), |a: &StaffRef| {
                (a.id.as_str(), a.name.as_str())
            });
        let fields = [
            e.seq.to_string(),
            local_time(e.at),
            who_id.to_owned(),
            who.to_owned(),
            e.event.action().to_owned(),
            what,
            text,
            e.prev_hash.clone(),
            e.hash.clone(),
        ];
        let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}

/// A time as Dutch local time with its offset, e.g. `2026-12-01 14:05:09 +01:00`.
fn local_time(at: Timestamp) -> String {
    jiff::Timestamp::from_second(at.0)
        .ok()
        .and_then(|t| {
            jiff::tz::TimeZone::get(casework::TIME_ZONE)
                .ok()
                .map(|tz| t.to_zoned(tz).strftime("%Y-%m-%d %H:%M:%S %:z").to_string())
        })
        .unwrap_or_else(|| at.0.to_string())
}

/// How many weeks the overview shows.
const OVERVIEW_WEEKS: i64 = 12;

/// `GET /api/staff/overview` (coordinators): open requests per team and status, overdue
/// requests, and time to first contact per week (from the anonymous counts, which outlive
/// the requests): what Jeugdstem reports to the ministry.
pub async fn overview(
    State(state): State<AppState>,
    staff: Staff,
) -> Result<Json<kjr_domain::staff::Overview>, ApiError> {
    use kjr_domain::staff::{Overview, TeamOverview, TeamRef, WeekFigures};
    if !staff.is_coordinator() {
        return Err(ApiError::Forbidden);
    }
    let now = Timestamp::now();
    let mut teams = Vec::new();
    for team in state.rules.teams() {
        let scope = QueueScope::Team(team.id.clone());
        let counts = state.store.status_counts(&scope).await?;
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
        let mut overdue = 0u32;
        loop {
            let slice = state.store.queue(&query).await?;
            overdue += slice.requests.len() as u32;
            match slice.next_cursor.as_deref().and_then(Cursor::parse) {
                Some(c) => query.after = Some(c),
                None => break,
            }
        }
        teams.push(TeamOverview {
            team: TeamRef {
                id: team.id.clone(),
                name: team.name.clone(),
            },
            counts,
            overdue,
        });
    }
    let weeks: Vec<String> = (0..OVERVIEW_WEEKS)
        .map(|i| casework::iso_week(Timestamp(now.0 - i * 7 * 86_400)))
        .collect();
    let counts = state.store.first_contacts(&weeks).await?;
    let weeks = weeks
        .into_iter()
        .map(|week| {
            let of_week: Vec<_> = counts.iter().filter(|c| c.week == week).collect();
            let (median_minutes, p90_minutes) =
                casework::percentiles(of_week.iter().map(|c| c.minutes).collect());
            WeekFigures {
                contacted: of_week.len() as u32,
                within_deadline: of_week.iter().filter(|c| c.within_deadline).count() as u32,
                median_minutes,
                p90_minutes,
                week,
            }
        })
        .collect();
    Ok(Json(Overview { teams, weeks, now }))
}

/// `GET /api/staff/colleagues`: whom a request can be assigned to.
pub async fn colleagues(
    State(state): State<AppState>,
    staff: Staff,
) -> Result<Json<Vec<StaffRef>>, ApiError> {
    let mut members: Vec<StaffRef> = state
        .store
        .staff_directory()
        .await?
        .into_iter()
        .filter(|m| staff.is_coordinator() || (m.team.is_some() && m.team == staff.member().team))
        .map(|m| m.as_ref())
        .collect();
    members.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(Json(members))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_cannot_become_formulas() {
        assert_eq!(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_field("-2+3"), "\"'-2+3\"");
        assert_eq!(csv_field("gewoon"), "\"gewoon\"");
    }
}
