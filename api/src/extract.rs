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

/// A body of a fixed shape (the staff routes', the conversation's): declared as JSON,
/// within the body limit, and of the documented shape (unknown fields refused), or
/// `invalid_input` saying where it went wrong.
#[derive(Debug, Clone)]
pub struct ShapedJson<T>(pub T);

impl<S, T> axum::extract::FromRequest<S> for ShapedJson<T>
where
    S: Send + Sync,
    T: serde::de::DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, ApiError> {
        let (mut parts, body) = req.into_parts();
        JsonContentType::from_request_parts(&mut parts, state).await?;
        let req = axum::extract::Request::from_parts(parts, body);
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|e| {
                if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                    ApiError::PayloadTooLarge
                } else {
                    ApiError::UnreadableBody
                }
            })?;
        let text = std::str::from_utf8(&bytes).map_err(|_| ApiError::InvalidUtf8)?;
        serde_json::from_str(text)
            .map(ShapedJson)
            .map_err(|e| match e.classify() {
                serde_json::error::Category::Syntax | serde_json::error::Category::Eof => {
                    ApiError::MalformedJson {
                        line: e.line().try_into().unwrap_or(u32::MAX),
                        column: e.column().try_into().unwrap_or(u32::MAX),
                    }
                }
                _ => ApiError::InvalidInput(format!(
                    "(regel {}, kolom {}: {})",
                    e.line(),
                    e.column(),
                    shape_error(&e)
                )),
            })
    }
}

/// What is wrong with a body's shape, without quoting what was sent.
fn shape_error(e: &serde_json::Error) -> String {
    let text = e.to_string();
    // serde names the field or the expected type before " at line"; values it quotes are
    // between backticks after "invalid value:"/"invalid type:", which we leave out.
    let text = text.split(" at line").next().unwrap_or_default();
    match text.split_once(": `") {
        Some((kind, _)) if kind.starts_with("invalid") => kind.to_owned(),
        _ => text.to_owned(),
    }
}

/// A staff query string of the documented shape, or `invalid_input`.
#[derive(Debug, Clone)]
pub struct StaffQuery<T>(pub T);

impl<S, T> FromRequestParts<S> for StaffQuery<T>
where
    S: Send + Sync,
    T: serde::de::DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let query = parts.uri.query().unwrap_or_default();
        serde_urlencoded::from_str(query)
            .map(StaffQuery)
            .map_err(|e| ApiError::InvalidInput(format!("({e})")))
    }
}

/// The client's address as the rate limits see it (the child's or staff member's, behind
/// CloudFront with the origin secret; else the TCP peer or API Gateway's source).
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub Option<std::net::IpAddr>);

impl FromRequestParts<crate::startup::AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &crate::startup::AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(ClientIp(
            state.limiter.client_ip(&parts.headers, &parts.extensions),
        ))
    }
}
