//! Request parts the handlers need, read and checked before the handler runs.

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use kjr_domain::IdempotencyKey;

use crate::error::ApiError;

/// The body is declared as `application/json` (parameters such as `charset` allowed).
#[derive(Debug, Clone, Copy)]
pub struct JsonContentType;

impl<S: Send + Sync> FromRequestParts<S> for JsonContentType {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let is_json = parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|mime| mime.trim().eq_ignore_ascii_case("application/json"));
        if is_json {
            Ok(JsonContentType)
        } else {
            Err(ApiError::UnsupportedMediaType)
        }
    }
}

/// The client's `Idempotency-Key` header, parsed.
#[derive(Debug, Clone)]
pub struct IdempotencyKeyHeader(pub IdempotencyKey);

/// The header's name.
pub const IDEMPOTENCY_KEY: &str = "idempotency-key";

impl<S: Send + Sync> FromRequestParts<S> for IdempotencyKeyHeader {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        parts
            .headers
            .get(IDEMPOTENCY_KEY)
            .and_then(|v| v.to_str().ok())
            .and_then(IdempotencyKey::parse)
            .map(IdempotencyKeyHeader)
            .ok_or(ApiError::MissingIdempotencyKey)
    }
}
