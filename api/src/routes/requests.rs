//! `POST /api/requests`: a confidant request comes in.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use kjr_domain::{ConfidantRequest, IdempotencyKey, Reference, RequestDraft, RequestReceipt};

use crate::error::ApiError;
use crate::ids::{RequestId, Timestamp, random_bytes};
use crate::startup::AppState;
use crate::store::{CreateOutcome, NewRequest, StoreError, StoredRequest};

/// Parses the body: UTF-8, then a JSON object, then the draft, then the request.
pub fn parse_body(body: &[u8]) -> Result<ConfidantRequest, ApiError> {
    let text = std::str::from_utf8(body).map_err(|_| ApiError::InvalidUtf8)?;
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        ApiError::MalformedJson(format!("regel {}, kolom {}", e.line(), e.column()))
    })?;
    let serde_json::Value::Object(object) = value else {
        return Err(ApiError::MalformedJson(
            "we verwachten een object { … }".into(),
        ));
    };
    RequestDraft::parse_json_object(object).map_err(ApiError::Validation)
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|mime| mime.trim().eq_ignore_ascii_case("application/json"))
}

fn receipt(state: &AppState, stored: &StoredRequest) -> RequestReceipt {
    let urgent = stored.request.is_urgent();
    let hours = if urgent {
        state.settings.urgent_response_hours
    } else {
        state.settings.response_hours
    };
    let within = if hours >= 24 && hours % 24 == 0 {
        match hours / 24 {
            1 => "binnen 1 dag".to_owned(),
            days => format!("binnen {days} dagen"),
        }
    } else {
        format!("binnen {hours} uur")
    };
    let next_steps = if urgent {
        format!(
            "Je vraag gaat voor. Een vertrouwenspersoon van Jeugdstem probeert {within} contact met je op te nemen, op de manier die jij koos. Is er nu gevaar? Bel dan meteen 112."
        )
    } else {
        format!(
            "Een vertrouwenspersoon van Jeugdstem neemt {within} contact met je op, op de manier en het moment die jij koos."
        )
    };
    RequestReceipt {
        reference: stored.reference.clone(),
        urgent,
        respond_within_hours: hours,
        next_steps,
    }
}

/// Accepts a confidant request.
#[utoipa::path(
    post,
    path = "/api/requests",
    tag = "requests",
    request_body(content = kjr_domain::RequestDraft, content_type = "application/json"),
    params(("Idempotency-Key" = String, Header, description = "16–64 characters [A-Za-z0-9_-]; a retry with the same key and body gets the same answer")),
    responses(
        (status = 201, description = "Stored; a team will be told", body = kjr_domain::RequestReceipt),
        (status = 400, description = "Malformed JSON, not UTF-8, or no idempotency key", body = kjr_domain::ApiErrorBody),
        (status = 409, description = "Idempotency key used before for a different body; `receipt` is the request stored then", body = kjr_domain::ApiErrorBody),
        (status = 413, description = "Body larger than 64 kB", body = kjr_domain::ApiErrorBody),
        (status = 415, description = "Not application/json", body = kjr_domain::ApiErrorBody),
        (status = 422, description = "Fields missing, unknown or invalid; each is named", body = kjr_domain::ApiErrorBody),
        (status = 503, description = "Storage unavailable; nothing was stored", body = kjr_domain::ApiErrorBody),
    )
)]
pub async fn create_request(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    if !is_json(&headers) {
        return Err(ApiError::UnsupportedMediaType);
    }
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .and_then(IdempotencyKey::parse)
        .ok_or(ApiError::MissingIdempotencyKey)?;
    let body = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::PayloadTooLarge
        } else {
            ApiError::UnreadableBody
        }
    })?;
    let request = parse_body(&body)?;

    let received_at = Timestamp::now();
    let mut attempts = 0;
    let outcome = loop {
        let new = NewRequest {
            id: RequestId::generate(),
            reference: Reference::from_random(random_bytes()),
            idempotency_key: key.clone(),
            request: request.clone(),
            received_at,
            expires_at: received_at.plus_days(state.settings.retention_days),
        };
        match state.store.create(new).await {
            Err(StoreError::ReferenceTaken) if attempts < 5 => attempts += 1,
            other => break other?,
        }
    };
    let (stored, replayed) = match outcome {
        CreateOutcome::Created(stored) => {
            tracing::info!(request_id = %stored.id, urgent = stored.request.is_urgent(), "request stored");
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
