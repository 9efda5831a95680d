//! The one HTTP call of the public side: `POST /api/requests`.

use gloo_net::http::Request;
use kjr_domain::{ApiErrorBody, IdempotencyKey, RequestDraft, RequestReceipt};

/// Where requests are sent (same origin, so the strict CSP's `connect-src 'self'` allows it).
const REQUESTS_URL: &str = "/api/requests";

/// Why a request was not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubmitError {
    /// The API refused the request (400, 413, 415, 422): the person must change something.
    Rejected(ApiErrorBody),
    /// The network failed, the server had a problem (5xx) or answered something unexpected:
    /// sending the same request again with the same key is safe.
    Failed,
}

/// Sends `draft` with `key` as its `Idempotency-Key`, so a resend after a lost answer
/// cannot create a second request.
pub async fn submit_request(
    draft: &RequestDraft,
    key: &IdempotencyKey,
) -> Result<RequestReceipt, SubmitError> {
    let response = Request::post(REQUESTS_URL)
        .header("Idempotency-Key", key.as_str())
        // `json` sets `Content-Type: application/json`.
        .json(draft)
        .map_err(|_| SubmitError::Failed)?
        .send()
        .await
        .map_err(|_| SubmitError::Failed)?;
    match response.status() {
        200..=299 => response
            .json::<RequestReceipt>()
            .await
            // The API did accept it; resending with the same key returns the same receipt.
            .map_err(|_| SubmitError::Failed),
        400 | 413 | 415 | 422 => {
            let body = response
                .json::<ApiErrorBody>()
                .await
                .unwrap_or_else(|_| ApiErrorBody {
                    error: "rejected".to_owned(),
                    message: "Je vraag kon niet worden verstuurd. Kijk je antwoorden na en \
                              probeer het opnieuw."
                        .to_owned(),
                    fields: Vec::new(),
                });
            Err(SubmitError::Rejected(body))
        }
        _ => Err(SubmitError::Failed),
    }
}

/// A fresh random key from `crypto.getRandomValues`.
pub fn new_idempotency_key() -> IdempotencyKey {
    let mut bytes = [0u8; 16];
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .is_some_and(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok());
    if !filled {
        // Every browser that runs wasm has `crypto`; this only keeps the form working if not.
        for b in &mut bytes {
            *b = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    IdempotencyKey::from_random(bytes)
}
