//! The API's errors and their one mapping to HTTP: a status and a JSON body in Dutch.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use kjr_domain::{ApiErrorBody, FieldError, RequestReceipt, ValidationErrors};

use crate::store::StoreError;

/// The largest request body the API accepts.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// Everything that can go wrong answering a request.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The body is not declared as JSON.
    #[error("unsupported media type")]
    UnsupportedMediaType,
    /// The `Idempotency-Key` header is missing or malformed.
    #[error("missing or invalid idempotency key")]
    MissingIdempotencyKey,
    /// The body is larger than [`MAX_BODY_BYTES`].
    #[error("payload too large")]
    PayloadTooLarge,
    /// The body could not be read.
    #[error("body could not be read")]
    UnreadableBody,
    /// The body is not UTF-8.
    #[error("body is not UTF-8")]
    InvalidUtf8,
    /// The body is not JSON, or not a JSON object.
    #[error("malformed JSON: {0}")]
    MalformedJson(String),
    /// One or more fields are wrong.
    #[error("validation failed")]
    Validation(ValidationErrors),
    /// The idempotency key was used before for a different request; carries the receipt of
    /// the request stored then.
    #[error("idempotency key reused for different content")]
    IdempotencyConflict(Box<RequestReceipt>),
    /// No such route.
    #[error("not found")]
    NotFound,
    /// Too many requests from this client, or from everyone together.
    #[error("rate limit reached ({scope:?}), retry after {retry_after:?}")]
    RateLimited {
        /// Which limit.
        scope: RateLimitScope,
        /// How long until one more request is allowed.
        retry_after: std::time::Duration,
    },
    /// Storage failed; nothing was accepted.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Which rate limit was reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RateLimitScope {
    /// This client's share.
    Client,
    /// Everyone's together.
    Everyone,
}

impl ApiError {
    fn parts(&self) -> (StatusCode, &'static str, String) {
        use ApiError::*;
        match self {
            UnsupportedMediaType => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "Stuur de gegevens als JSON, met de header Content-Type: application/json.".into(),
            ),
            MissingIdempotencyKey => (
                StatusCode::BAD_REQUEST,
                "missing_idempotency_key",
                "De header Idempotency-Key ontbreekt of klopt niet. Gebruik 16 tot 64 tekens: letters, cijfers, - of _.".into(),
            ),
            PayloadTooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                format!(
                    "Het bericht is te groot. Het mag maximaal {} kB zijn. Maak je tekst korter.",
                    MAX_BODY_BYTES / 1024
                ),
            ),
            UnreadableBody => (
                StatusCode::BAD_REQUEST,
                "unreadable_body",
                "Het bericht kwam niet goed aan. Probeer het opnieuw.".into(),
            ),
            InvalidUtf8 => (
                StatusCode::BAD_REQUEST,
                "invalid_encoding",
                "De gegevens zijn niet goed gecodeerd. Stuur ze als UTF-8.".into(),
            ),
            MalformedJson(detail) => (
                StatusCode::BAD_REQUEST,
                "malformed_json",
                format!("De gegevens zijn geen geldig JSON-object ({detail})."),
            ),
            Validation(_) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
                "Niet alles is goed ingevuld. Kijk bij de velden wat er nog mist of anders moet.".into(),
            ),
            IdempotencyConflict(_) => (
                StatusCode::CONFLICT,
                "idempotency_key_reused",
                "Je vraag was al aangekomen voordat je iets veranderde. Wat je daarna veranderde, is niet meegestuurd: vertel het aan de vertrouwenspersoon.".into(),
            ),
            RateLimited {
                scope: RateLimitScope::Client,
                ..
            } => (
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                "Er zijn in korte tijd te veel berichten verstuurd vanaf dit apparaat of netwerk. \
                 Wat je hebt ingevuld is niet weg. Wacht een minuut en probeer het dan opnieuw."
                    .into(),
            ),
            RateLimited {
                scope: RateLimitScope::Everyone,
                ..
            } => (
                StatusCode::TOO_MANY_REQUESTS,
                "busy",
                "Het is nu erg druk. Wat je hebt ingevuld is niet weg. \
                 Wacht even en probeer het dan opnieuw. Is er nu gevaar? Bel 112."
                    .into(),
            ),
            NotFound => (
                StatusCode::NOT_FOUND,
                "not_found",
                "Dit adres bestaat niet.".into(),
            ),
            Store(_) => (
                StatusCode::SERVICE_UNAVAILABLE,
                "storage_unavailable",
                "Het opslaan lukt nu niet. Je vraag is nog niet verstuurd. Probeer het over een paar minuten opnieuw.".into(),
            ),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code, message) = self.parts();
        let self_retry = match &self {
            // Rounded up: retrying after the header's seconds must succeed.
            ApiError::RateLimited { retry_after, .. } => Some(std::time::Duration::from_secs(
                retry_after.as_secs() + u64::from(retry_after.subsec_nanos() > 0),
            )),
            _ => None,
        };
        if let ApiError::Store(e) = &self {
            tracing::error!(error = %e, "storage failed");
        }
        let (fields, receipt): (Vec<FieldError>, _) = match self {
            ApiError::Validation(errors) => (errors.0, None),
            ApiError::IdempotencyConflict(receipt) => (Vec::new(), Some(*receipt)),
            _ => (Vec::new(), None),
        };
        let mut response = (
            status,
            Json(ApiErrorBody {
                error: code.to_owned(),
                message,
                fields,
                receipt,
            }),
        )
            .into_response();
        let retry_after = match (&self_retry, status) {
            (Some(wait), _) => Some(wait.as_secs().max(1)),
            (None, StatusCode::SERVICE_UNAVAILABLE) => Some(30),
            _ => None,
        };
        if let Some(secs) = retry_after {
            response
                .headers_mut()
                .insert("retry-after", axum::http::HeaderValue::from(secs));
        }
        response
    }
}
