//! `POST /api/requests`: a confidant request comes in.

use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use kjr_domain::{Channel, ConfidantRequest, Lang, Reference, RequestDraft, RequestReceipt};

use crate::error::ApiError;
use crate::extract::{IdempotencyKeyHeader, JsonContentType};
use crate::ids::{Timestamp, random_bytes};
use crate::startup::AppState;
use crate::store::{
    ApplyOutcome, CaseChange, CaseState, ConversationState, CreateOutcome, NewRequest, StoreError,
    StoredRequest,
};

/// The routes of this resource.
pub fn router() -> Router<AppState> {
    Router::new().route("/requests", post(create_request))
}

/// Parses the body: UTF-8, then a JSON object, then the draft, then the request.
pub fn parse_body(body: &[u8]) -> Result<ConfidantRequest, ApiError> {
    let text = std::str::from_utf8(body).map_err(|_| ApiError::InvalidUtf8)?;
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| ApiError::MalformedJson {
            line: e.line().try_into().unwrap_or(u32::MAX),
            column: e.column().try_into().unwrap_or(u32::MAX),
        })?;
    let serde_json::Value::Object(object) = value else {
        return Err(ApiError::NotAnObject);
    };
    RequestDraft::parse_json_object(object).map_err(ApiError::Validation)
}

/// Within how many hours first contact is promised for `request`.
fn promised_hours(state: &AppState, request: &ConfidantRequest) -> u32 {
    if request.is_urgent() {
        state.settings.urgent_response_hours
    } else {
        state.settings.response_hours
    }
}

fn receipt(state: &AppState, stored: &StoredRequest) -> RequestReceipt {
    let receipt = RequestReceipt::new(
        stored.reference.clone(),
        stored.request.is_urgent(),
        promised_hours(state, &stored.request),
    );
    let receipt = match state.calendar.local(stored.case.due_at) {
        Some(due) => receipt.due_by(due),
        None => receipt,
    };
    if stored.request.channel() == Channel::OnWebsite {
        receipt.on_website()
    } else {
        receipt
    }
}

/// The language of the code words: the form says which in `Accept-Language` (the app sets
/// it to its own language); Dutch otherwise.
fn code_word_lang(headers: &HeaderMap) -> Lang {
    let first = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split([',', ';', '-']).next())
        .map(|tag| tag.trim().to_ascii_lowercase());
    match first.as_deref() {
        Some("en") => Lang::En,
        _ => Lang::Nl,
    }
}

/// New code words for a request whose first answer (with the words) was lost: its hash is
/// replaced, so only the words of this answer open the conversation. Only soon after it
/// was sent; later the words are gone and a new request is the way.
async fn reissue_code_words(
    state: &AppState,
    mut stored: StoredRequest,
    lang: Lang,
) -> Result<(StoredRequest, Option<String>), ApiError> {
    let now = Timestamp::now();
    if now.0 - stored.received_at.0 > crate::conversation::REISSUE_WITHIN_SECONDS {
        return Ok((stored, None));
    }
    for _ in 0..3 {
        let Some(current) = stored.case.conversation.clone() else {
            return Ok((stored, None));
        };
        let words = crate::conversation::new_code_words(lang);
        let code_hash = hash_off_thread(words.clone()).await?;
        let case = CaseState {
            version: stored.case.version + 1,
            conversation: Some(ConversationState {
                code_hash,
                ..current
            }),
            ..stored.case.clone()
        };
        let change = CaseChange {
            actor: None,
            at: now,
            events: Vec::new(),
            state: Some((stored.case.version, case)),
            team: None,
            expires_at: None,
            first_contact: None,
            renotify: false,
        };
        match state.store.apply(&stored.id, change).await? {
            Some(ApplyOutcome::Applied(now_stored)) => return Ok((*now_stored, Some(words))),
            Some(ApplyOutcome::Conflict(current)) => stored = *current,
            None => return Ok((stored, None)),
        }
    }
    Ok((stored, None))
}

/// The argon2id hash of code words, on a blocking thread (it costs tens of milliseconds).
async fn hash_off_thread(words: String) -> Result<String, ApiError> {
    tokio::task::spawn_blocking(move || crate::conversation::hash_code_words(&words))
        .await
        .map_err(|e| ApiError::Store(StoreError::backend(e.to_string())))?
        .map_err(ApiError::Store)
}

/// Accepts a confidant request (see `/api/openapi.json`).
pub async fn create_request(
    State(state): State<AppState>,
    headers: HeaderMap,
    _: JsonContentType,
    IdempotencyKeyHeader(key): IdempotencyKeyHeader,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let body = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::PayloadTooLarge
        } else {
            ApiError::UnreadableBody
        }
    })?;
    let request = parse_body(&body)?;
    let lang = code_word_lang(&headers);
    // "I'll check this website myself": the code words, shown once, stored as a hash.
    let code_words = if request.channel() == Channel::OnWebsite {
        let words = crate::conversation::new_code_words(lang);
        let hash = hash_off_thread(words.clone()).await?;
        Some((words, hash))
    } else {
        None
    };

    let received_at = Timestamp::now();
    // The deadline in the working hours of the team the rules will choose (routing itself
    // runs after the commit, and comes to the same team).
    let team = state.rules.route(&request, received_at).team;
    let due_at = state.calendar.due(&team, received_at, request.is_urgent());
    let mut attempts = 0;
    let outcome = loop {
        let new = NewRequest {
            id: crate::ids::new_request_id(),
            reference: Reference::from_random(random_bytes()),
            idempotency_key: key.clone(),
            request: request.clone(),
            received_at,
            // Retention counts from closing: an open request never expires quietly.
            expires_at: Timestamp::NEVER,
            due_at,
            code_hash: code_words.as_ref().map(|(_, hash)| hash.clone()),
        };
        match state.store.create(new).await {
            Err(StoreError::ReferenceTaken) if attempts < 5 => attempts += 1,
            other => break other?,
        }
    };
    let (stored, replayed, words) = match outcome {
        CreateOutcome::Created(stored) => {
            tracing::info!(request_id = %stored.id, urgent = stored.request.is_urgent(), "request stored");
            state.metrics.request_accepted();
            if let Some(wake) = &state.wake_outbox {
                wake.notify_one();
            }
            (stored, false, code_words.map(|(words, _)| words))
        }
        CreateOutcome::Existing(stored) if stored.request == request => {
            tracing::info!(request_id = %stored.id, "idempotent replay");
            let (stored, words) = if request.channel() == Channel::OnWebsite {
                reissue_code_words(&state, stored, lang).await?
            } else {
                (stored, None)
            };
            (stored, true, words)
        }
        CreateOutcome::Existing(stored) => {
            return Err(ApiError::IdempotencyConflict(Box::new(receipt(
                &state, &stored,
            ))));
        }
    };
    let receipt = match words {
        Some(words) => receipt(&state, &stored).with_code_words(words),
        None => receipt(&state, &stored),
    };
    let mut response = (StatusCode::CREATED, Json(receipt)).into_response();
    if replayed {
        response
            .headers_mut()
            .insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    Ok(response)
}
