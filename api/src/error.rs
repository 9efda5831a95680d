//! The API's errors and their one mapping to HTTP: a status, a stable code and a JSON body
//! in Dutch.

use std::time::Duration;

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use kjr_domain::staff::SafeContactRule;
use kjr_domain::{
    ApiErrorBody, ApiProblem, Lang, RequestReceipt, ValidationErrors, VersionConflict,
};

use crate::store::StoreError;

/// The largest request body the API accepts.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// How long a client should wait after a storage failure.
const STORAGE_RETRY_AFTER: Duration = Duration::from_secs(30);

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
    /// The body is not JSON.
    #[error("malformed JSON at line {line}, column {column}")]
    MalformedJson {
        /// Where the parser stopped.
        line: u32,
        /// Where the parser stopped.
        column: u32,
    },
    /// The body is JSON but not an object.
    #[error("JSON body is not an object")]
    NotAnObject,
    /// One or more fields are wrong.
    #[error(transparent)]
    Validation(ValidationErrors),
    /// The idempotency key was used before for a different request; carries the receipt of
    /// the request stored then.
    #[error("idempotency key reused for different content")]
    IdempotencyConflict(Box<RequestReceipt>),
    /// No such route.
    #[error("not found")]
    NotFound,
    /// The route does not take this method.
    #[error("method not allowed")]
    MethodNotAllowed,
    /// Too many requests from this client, or from everyone together.
    #[error("rate limit reached ({scope:?}), retry after {retry_after:?}")]
    RateLimited {
        /// Which limit.
        scope: RateLimitScope,
        /// How long until one more request is allowed.
        retry_after: Duration,
    },
    /// Storage failed; nothing was accepted.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A staff route without a live session.
    #[error("not signed in")]
    Unauthenticated,
    /// Sign-in refused (the same whatever was wrong).
    #[error("sign-in failed")]
    SignInFailed,
    /// Too many failed sign-ins.
    #[error("sign-in locked, retry after {retry_after:?}")]
    SignInLocked {
        /// Until the lock ends.
        retry_after: Duration,
    },
    /// A staff change from another origin or without the CSRF token.
    #[error("cross-site change refused")]
    CrossSiteRefused,
    /// The role does not allow it.
    #[error("forbidden for this role")]
    Forbidden,
    /// The request changed since the version the change was made on.
    #[error("version conflict")]
    VersionConflict(Box<VersionConflict>),
    /// Not possible in the current status.
    #[error("invalid status transition")]
    InvalidTransition,
    /// A contact attempt against a safe-contact preference without a reason.
    #[error("override reason required")]
    OverrideReasonRequired {
        /// Which preferences.
        rules: Vec<SafeContactRule>,
    },
    /// A staff body or query does not have the documented shape.
    #[error("invalid input: {0}")]
    InvalidInput(String),
    /// A disclosure without the Veilig Thuis step cannot close.
    #[error("Veilig Thuis step required before closing")]
    VeiligThuisStepRequired,
    /// The person who asked to close tried to approve it.
    #[error("a second colleague must approve closing")]
    SecondColleagueRequired,
    /// The identity provider failed or refused.
    #[error("identity provider: {0}")]
    IdentityProvider(String),
    /// No conversation with this reference and these code words (either may be wrong).
    #[error("conversation not found")]
    ConversationNotFound,
    /// Too many wrong code words for the reference, or from the client address.
    #[error("conversation locked, retry after {retry_after:?}")]
    ConversationLocked {
        /// Until the lock ends.
        retry_after: Duration,
    },
    /// The request is closed: no more messages.
    #[error("conversation closed")]
    ConversationClosed,
    /// A reply on the website to a request whose asker chose another way of contact.
    #[error("request has no conversation")]
    NoConversation,
}

/// Which rate limit was reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RateLimitScope {
    /// This client's share.
    Client,
    /// Everyone's together.
    Everyone,
}

/// Whole seconds, rounded up: retrying after them must succeed.
fn seconds_up(wait: Duration) -> u64 {
    (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1)
}

impl ApiError {
    /// The status and the wire problem.
    pub fn problem(&self) -> (StatusCode, ApiProblem) {
        use ApiError::*;
        match self {
            UnsupportedMediaType => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                ApiProblem::UnsupportedMediaType,
            ),
            MissingIdempotencyKey => (StatusCode::BAD_REQUEST, ApiProblem::MissingIdempotencyKey),
            PayloadTooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                ApiProblem::PayloadTooLarge {
                    max_bytes: MAX_BODY_BYTES as u32,
                },
            ),
            UnreadableBody => (StatusCode::BAD_REQUEST, ApiProblem::UnreadableBody),
            InvalidUtf8 => (StatusCode::BAD_REQUEST, ApiProblem::InvalidEncoding),
            MalformedJson { line, column } => (
                StatusCode::BAD_REQUEST,
                ApiProblem::MalformedJson {
                    line: *line,
                    column: *column,
                },
            ),
            NotAnObject => (StatusCode::BAD_REQUEST, ApiProblem::NotAnObject),
            Validation(_) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                ApiProblem::ValidationFailed,
            ),
            IdempotencyConflict(_) => (StatusCode::CONFLICT, ApiProblem::IdempotencyKeyReused),
            RateLimited { scope, retry_after } => {
                let retry_after_seconds = seconds_up(*retry_after);
                (
                    StatusCode::TOO_MANY_REQUESTS,
                    match scope {
                        RateLimitScope::Client => ApiProblem::RateLimited {
                            retry_after_seconds,
                        },
                        RateLimitScope::Everyone => ApiProblem::Busy {
                            retry_after_seconds,
                        },
                    },
                )
            }
            NotFound => (StatusCode::NOT_FOUND, ApiProblem::NotFound),
            MethodNotAllowed => (StatusCode::METHOD_NOT_ALLOWED, ApiProblem::MethodNotAllowed),
            Store(_) => (
                StatusCode::SERVICE_UNAVAILABLE,
                ApiProblem::StorageUnavailable,
            ),
            Unauthenticated => (StatusCode::UNAUTHORIZED, ApiProblem::Unauthenticated),
            SignInFailed => (StatusCode::UNAUTHORIZED, ApiProblem::SignInFailed),
            SignInLocked { retry_after } => (
                StatusCode::TOO_MANY_REQUESTS,
                ApiProblem::SignInLocked {
                    retry_after_seconds: seconds_up(*retry_after),
                },
            ),
            CrossSiteRefused => (StatusCode::FORBIDDEN, ApiProblem::CrossSiteRefused),
            Forbidden => (StatusCode::FORBIDDEN, ApiProblem::Forbidden),
            VersionConflict(_) => (StatusCode::CONFLICT, ApiProblem::VersionConflict),
            InvalidTransition => (StatusCode::CONFLICT, ApiProblem::InvalidTransition),
            OverrideReasonRequired { rules } => (
                StatusCode::UNPROCESSABLE_ENTITY,
                ApiProblem::OverrideReasonRequired {
                    outside_safe_times: rules.contains(&SafeContactRule::OutsideSafeTimes),
                    message_not_allowed: rules.contains(&SafeContactRule::MessageNotAllowed),
                    via_foster_parents: rules.contains(&SafeContactRule::ViaFosterParents),
                },
            ),
            InvalidInput(_) => (StatusCode::UNPROCESSABLE_ENTITY, ApiProblem::InvalidInput),
            IdentityProvider(_) => (StatusCode::BAD_GATEWAY, ApiProblem::IdentityProviderFailed),
            VeiligThuisStepRequired => (StatusCode::CONFLICT, ApiProblem::VeiligThuisStepRequired),
            SecondColleagueRequired => (StatusCode::FORBIDDEN, ApiProblem::SecondColleagueRequired),
            ConversationNotFound => (StatusCode::NOT_FOUND, ApiProblem::ConversationNotFound),
            ConversationLocked { retry_after } => (
                StatusCode::TOO_MANY_REQUESTS,
                ApiProblem::ConversationLocked {
                    retry_after_seconds: seconds_up(*retry_after),
                },
            ),
            ConversationClosed => (StatusCode::CONFLICT, ApiProblem::ConversationClosed),
            NoConversation => (StatusCode::CONFLICT, ApiProblem::NoConversation),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, problem) = self.problem();
        if let ApiError::Store(e) = &self {
            tracing::error!(error = %e, "storage failed");
        }
        let retry_after = match problem {
            ApiProblem::RateLimited {
                retry_after_seconds,
            }
            | ApiProblem::Busy {
                retry_after_seconds,
            }
            | ApiProblem::SignInLocked {
                retry_after_seconds,
            }
            | ApiProblem::ConversationLocked {
                retry_after_seconds,
            } => Some(retry_after_seconds),
            ApiProblem::StorageUnavailable => Some(STORAGE_RETRY_AFTER.as_secs()),
            _ => None,
        };
        if let ApiError::IdentityProvider(e) = &self {
            tracing::warn!(error = %e, "identity provider sign-in failed");
        }
        let body = match self {
            ApiError::Validation(errors) => ApiErrorBody::validation(errors, Lang::DEFAULT),
            ApiError::VersionConflict(conflict) => ApiErrorBody {
                conflict: Some(*conflict),
                ..ApiErrorBody::new(problem, Lang::DEFAULT)
            },
            ApiError::InvalidInput(detail) => {
                let mut body = ApiErrorBody::new(problem, Lang::DEFAULT);
                body.message = format!("{} {detail}", body.message);
                body
            }
            ApiError::IdempotencyConflict(receipt) => ApiErrorBody {
                receipt: Some(*receipt),
                ..ApiErrorBody::new(problem, Lang::DEFAULT)
            },
            _ => ApiErrorBody::new(problem, Lang::DEFAULT),
        };
        let mut response = (status, Json(body)).into_response();
        if let Some(secs) = retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        response
    }
}
