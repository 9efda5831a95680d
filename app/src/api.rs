//! The one HTTP call of the public side: `POST /api/requests`, through gloo-net, with JSON
//! through serde.

use gloo_net::http::Request;
use kjr_domain::{
    ApiErrorBody, ApiProblem, FieldError, IdempotencyKey, RequestDraft, RequestReceipt,
};

/// Where requests are sent (same origin, so the strict CSP's `connect-src 'self'` allows it).
const REQUESTS_URL: &str = "/api/requests";

/// A request the API has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    pub receipt: RequestReceipt,
    /// The API already had a request under this idempotency key from before the person changed
    /// something (409 `idempotency_key_reused`): those later changes were not sent.
    pub changes_not_sent: bool,
}

/// Why a request was not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubmitError {
    /// The API refused the request (400, 409 without a receipt, 413, 415, 422) or asks to
    /// wait (429): the person must change something or try again later. `problem` is the
    /// API's code (`None` for an answer without our body); `fields` its problems per field.
    Rejected {
        problem: Option<ApiProblem>,
        fields: Vec<FieldError>,
    },
    /// The network failed, the server had a problem (5xx) or answered something unexpected:
    /// sending the same request again with the same key is safe.
    Failed,
}

/// Sends `draft` with `key` as its `Idempotency-Key`, so a resend after a lost answer
/// cannot create a second request.
pub async fn submit_request(
    draft: &RequestDraft,
    key: &IdempotencyKey,
    lang: kjr_domain::Lang,
) -> Result<Accepted, SubmitError> {
    let response = Request::post(REQUESTS_URL)
        .header("Idempotency-Key", key.as_str())
        // The code words (for "I'll check this website myself") come in this language.
        .header("Accept-Language", lang.tag())
        .json(draft)
        .map_err(|_| SubmitError::Failed)?
        .send()
        .await
        .map_err(|_| SubmitError::Failed)?;
    let status = response.status();
    let body = response.text().await.ok();
    read_answer(status, body.as_deref())
}

/// What an answer with `status` and `body` (`None` if unreadable) means.
fn read_answer(status: u16, body: Option<&str>) -> Result<Accepted, SubmitError> {
    match status {
        // The API did accept it if the body is unreadable; a resend with the same key returns
        // the same receipt.
        200..=299 => body
            .and_then(|b| serde_json::from_str::<RequestReceipt>(b).ok())
            .map(|receipt| Accepted {
                receipt,
                changes_not_sent: false,
            })
            .ok_or(SubmitError::Failed),
        // 429: the rate limits; the same button sends again with the same key.
        400 | 409 | 413 | 415 | 422 | 429 => {
            match body.and_then(|b| serde_json::from_str::<ApiErrorBody>(b).ok()) {
                // The request under this key was received before: that is a success.
                Some(ApiErrorBody {
                    problem: ApiProblem::IdempotencyKeyReused,
                    receipt: Some(receipt),
                    ..
                }) => Ok(Accepted {
                    receipt,
                    changes_not_sent: true,
                }),
                Some(body) => Err(SubmitError::Rejected {
                    problem: Some(body.problem),
                    fields: body.fields.into_iter().map(|f| f.error).collect(),
                }),
                // A 429 without our body comes from API Gateway's throttling: "busy, wait".
                None if status == 429 => Err(SubmitError::Rejected {
                    problem: Some(ApiProblem::Busy {
                        retry_after_seconds: 60,
                    }),
                    fields: Vec::new(),
                }),
                None => Err(SubmitError::Rejected {
                    problem: None,
                    fields: Vec::new(),
                }),
            }
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

#[cfg(test)]
mod tests {
    use super::*;
    use kjr_domain::{Field, Lang, Problem, Reference, ValidationErrors};

    fn receipt() -> RequestReceipt {
        RequestReceipt::new(Reference::parse("KJR-7F3K-9QX2").unwrap(), true, 4)
    }

    fn answer(status: u16, body: &impl serde::Serialize) -> Result<Accepted, SubmitError> {
        read_answer(status, Some(&serde_json::to_string(body).unwrap()))
    }

    #[test]
    fn a_409_with_a_receipt_is_accepted_with_a_note_that_later_changes_were_not_sent() {
        let body = ApiErrorBody {
            receipt: Some(receipt()),
            ..ApiErrorBody::new(ApiProblem::IdempotencyKeyReused, Lang::Nl)
        };
        assert_eq!(
            answer(409, &body),
            Ok(Accepted {
                receipt: receipt(),
                changes_not_sent: true
            })
        );
        let without = ApiErrorBody::new(ApiProblem::IdempotencyKeyReused, Lang::Nl);
        assert!(matches!(
            answer(409, &without),
            Err(SubmitError::Rejected {
                problem: Some(ApiProblem::IdempotencyKeyReused),
                ..
            })
        ));
    }

    #[test]
    fn field_problems_are_read_by_their_codes() {
        let errors = ValidationErrors {
            fields: vec![FieldError::new(Field::Topics, Problem::Required)],
            ..ValidationErrors::default()
        };
        let body = ApiErrorBody::validation(errors, Lang::Nl);
        assert_eq!(
            answer(422, &body),
            Err(SubmitError::Rejected {
                problem: Some(ApiProblem::ValidationFailed),
                fields: vec![FieldError::new(Field::Topics, Problem::Required)],
            })
        );
    }

    #[test]
    fn answers_are_read_by_their_status() {
        assert_eq!(
            answer(201, &receipt()),
            Ok(Accepted {
                receipt: receipt(),
                changes_not_sent: false
            })
        );
        // Accepted but unreadable: resending with the same key fetches the receipt.
        assert_eq!(read_answer(201, None), Err(SubmitError::Failed));
        assert_eq!(read_answer(503, Some("{}")), Err(SubmitError::Failed));
        // API Gateway's own throttling answer has none of our fields: "busy, wait".
        assert!(matches!(
            read_answer(429, Some(r#"{"message": "Too Many Requests"}"#)),
            Err(SubmitError::Rejected {
                problem: Some(ApiProblem::Busy { .. }),
                ..
            })
        ));
        assert_eq!(
            read_answer(400, None),
            Err(SubmitError::Rejected {
                problem: None,
                fields: Vec::new()
            })
        );
    }
}
