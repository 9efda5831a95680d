//! `POST /api/conversations/open` and `POST /api/conversations/messages`: the conversation
//! of a request sent with "I'll check this website myself", opened with its reference and
//! code words (see [`crate::conversation`]). Nothing is kept for the browser: each call
//! brings the reference and the words again.

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use kjr_domain::staff::CaseEvent;
use kjr_domain::{
    ChildMessage, FieldError, FreeText, OpenConversation, Perspective, Problem, Timestamp,
    ValidationErrors,
};

use crate::conversation;
use crate::error::ApiError;
use crate::extract::{ClientIp, IdempotencyKeyHeader, ShapedJson};
use crate::startup::AppState;
use crate::store::{ApplyOutcome, CaseChange, CaseState, ConversationState, StoredRequest};

/// How often writing is tried again when a confidant changed the request at that moment.
const APPEND_RETRIES: usize = 3;

/// The routes of this resource.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/conversations/open", post(open))
        .route("/conversations/messages", post(write))
}

async fn conversation_of(
    state: &AppState,
    stored: &StoredRequest,
) -> Result<kjr_domain::Conversation, ApiError> {
    let (trail, _) = state
        .store
        .audit_trail(&stored.id)
        .await?
        .ok_or(ApiError::ConversationNotFound)?;
    Ok(conversation::view(stored, &trail))
}

/// Opens the conversation: the messages, oldest first.
pub async fn open(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    ShapedJson(body): ShapedJson<OpenConversation>,
) -> Result<Json<kjr_domain::Conversation>, ApiError> {
    let client = client.map(|ip| ip.to_string());
    let stored = conversation::open(
        state.store.as_ref(),
        &body.reference,
        &body.code_words,
        client.as_deref(),
        Timestamp::now(),
    )
    .await?;
    Ok(Json(conversation_of(&state, &stored).await?))
}

/// The message as the person typed it: required, at most 4,000 characters.
fn message_text(raw: &str) -> Result<String, ApiError> {
    let invalid = |e: FieldError| {
        ApiError::Validation(ValidationErrors {
            fields: vec![e],
            unknown_fields: Vec::new(),
            perspective: Perspective::Own,
        })
    };
    match FreeText::parse(raw).map_err(invalid)? {
        Some(text) => Ok(text.as_str().to_owned()),
        None => Err(invalid(FieldError::new(
            kjr_domain::Field::Message,
            Problem::Required,
        ))),
    }
}

/// The person writes back: the message is stored as an event of the request, the request
/// goes to the top of its team's queue and the team mailbox is told (without the message).
/// The same `Idempotency-Key` again adds nothing and answers as the first time did.
pub async fn write(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    IdempotencyKeyHeader(key): IdempotencyKeyHeader,
    ShapedJson(body): ShapedJson<ChildMessage>,
) -> Result<Response, ApiError> {
    let text = message_text(&body.text)?;
    let client = client.map(|ip| ip.to_string());
    let now = Timestamp::now();
    let mut stored = conversation::open(
        state.store.as_ref(),
        &body.reference,
        &body.code_words,
        client.as_deref(),
        now,
    )
    .await?;
    for _ in 0..APPEND_RETRIES {
        let (trail, _) = state
            .store
            .audit_trail(&stored.id)
            .await?
            .ok_or(ApiError::ConversationNotFound)?;
        let sent_before = trail.iter().any(|e| {
            matches!(&e.event, CaseEvent::MessageFromAsker { idempotency_key, .. }
                if idempotency_key == key.as_str())
        });
        if sent_before {
            tracing::info!(request_id = %stored.id, "idempotent replay of a message");
            let mut response = (
                StatusCode::CREATED,
                Json(conversation::view(&stored, &trail)),
            )
                .into_response();
            response
                .headers_mut()
                .insert("idempotent-replayed", HeaderValue::from_static("true"));
            return Ok(response);
        }
        if !stored.case.status.is_open() {
            return Err(ApiError::ConversationClosed);
        }
        let Some(current) = stored.case.conversation.clone() else {
            return Err(ApiError::ConversationNotFound);
        };
        let case = CaseState {
            version: stored.case.version + 1,
            changed_by: None,
            changed_at: now,
            conversation: Some(ConversationState {
                asker_waiting_since: current.asker_waiting_since.or(Some(now)),
                ..current
            }),
            ..stored.case.clone()
        };
        let change = CaseChange {
            actor: None,
            at: now,
            events: vec![CaseEvent::MessageFromAsker {
                text: text.clone(),
                idempotency_key: key.as_str().to_owned(),
            }],
            state: Some((stored.case.version, case)),
            team: None,
            expires_at: None,
            first_contact: None,
            renotify: true,
        };
        match state.store.apply(&stored.id, change).await? {
            Some(ApplyOutcome::Applied(now_stored)) => {
                tracing::info!(request_id = %stored.id, "message from the asker stored");
                if let Some(wake) = &state.wake_outbox {
                    wake.notify_one();
                }
                let view = conversation_of(&state, &now_stored).await?;
                return Ok((StatusCode::CREATED, Json(view)).into_response());
            }
            Some(ApplyOutcome::Conflict(current)) => stored = *current,
            None => return Err(ApiError::ConversationNotFound),
        }
    }
    Err(ApiError::Store(crate::store::StoreError::backend(
        "the request kept changing while a message was written",
    )))
}
