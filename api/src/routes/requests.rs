//! `POST /api/requests`: a confidant request comes in.

use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use kjr_domain::{ConfidantRequest, Reference, RequestDraft, RequestReceipt};

use crate::error::ApiError;
use crate::extract::{IdempotencyKeyHeader, JsonContentType};
use crate::ids::{Timestamp, random_bytes};
use crate::startup::AppState;
use crate::store::{CreateOutcome, NewRequest, StoreError, StoredRequest};

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
    match state.calendar.local(stored.case.due_at) {
        Some(due) => receipt.due_by(due),
        None => receipt,
    }
}

/// Accepts a confidant request (see `/api/openapi.json`).
pub async fn create_request(
    State(state): State<AppState>,
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
        };
        match state.store.create(new).await {
            Err(StoreError::ReferenceTaken) if attempts < 5 => attempts += 1,
            other => break other?,
        }
    };
    let (stored, replayed) = match outcome {
        CreateOutcome::Created(stored) => {
            tracing::info!(request_id = %stored.id, urgent = stored.request.is_urgent(), "request stored");
            state.metrics.request_accepted();
            if let Some(wake) = &state.wake_outbox {
                wake.notify_one();
            }
            (stored, false)
        }
        CreateOutcome::Existing(stored) if stored.request == request => {
            tracing::info!(request_id = %stored.id, "idempotent replay");
            (stored, true)
        }
        CreateOutcome::Existing(stored) => {
            return Err(ApiError::IdempotencyConflict(Box::new(receipt(
                &state, &stored,
            ))));
        }
    };
    let mut response = (StatusCode::CREATED, Json(receipt(&state, &stored))).into_response();
    if replayed {
        response
            .headers_mut()
            .insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    Ok(response)
}
