//! The one HTTP call of the public side: `POST /api/requests`.
//!
//! Written against the browser's `fetch` and `JSON` directly rather than with gloo-net and
//! serde_json: that keeps about 15 KB (brotli) of JSON code out of the first load, which has
//! to stay under 150 KB.

use js_sys::{Array, JSON, Reflect};
use kjr_domain::{
    ApiErrorBody, FieldError, IdempotencyKey, Reference, RequestDraft, RequestReceipt,
};
use leptos::wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, RequestInit, Response};

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
    let (status, body) = post_json(REQUESTS_URL, &draft_json(draft), key.as_str())
        .await
        .map_err(|_| SubmitError::Failed)?;
    match status {
        // The API did accept it if the body is unreadable; a resend with the same key returns
        // the same receipt.
        200..=299 => parse_receipt(&body).ok_or(SubmitError::Failed),
        400 | 413 | 415 | 422 => Err(SubmitError::Rejected(
            parse_error_body(&body).unwrap_or_else(|| ApiErrorBody {
                error: "rejected".to_owned(),
                message: "Je vraag kon niet worden verstuurd. Kijk je antwoorden na en \
                          probeer het opnieuw."
                    .to_owned(),
                fields: Vec::new(),
            }),
        )),
        _ => Err(SubmitError::Failed),
    }
}

/// POSTs `body` as JSON; the status and the body of the answer.
async fn post_json(url: &str, body: &str, key: &str) -> Result<(u16, String), JsValue> {
    let headers = Headers::new()?;
    headers.set("Content-Type", "application/json")?;
    headers.set("Idempotency-Key", key)?;
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_headers(&headers);
    init.set_body(&JsValue::from_str(body));
    let window = web_sys::window().ok_or(JsValue::NULL)?;
    let response: Response = JsFuture::from(window.fetch_with_str_and_init(url, &init))
        .await?
        .dyn_into()?;
    let text = JsFuture::from(response.text()?).await?;
    Ok((response.status(), text.as_string().unwrap_or_default()))
}

/// Reads a [`RequestReceipt`] from JSON.
fn parse_receipt(text: &str) -> Option<RequestReceipt> {
    let v = JSON::parse(text).ok()?;
    Some(RequestReceipt {
        reference: Reference::parse(&string(&v, "reference")?)?,
        urgent: get(&v, "urgent")?.as_bool()?,
        respond_within_hours: get(&v, "respond_within_hours")?.as_f64()? as u32,
        next_steps: string(&v, "next_steps")?,
    })
}

/// Reads an [`ApiErrorBody`] from JSON.
fn parse_error_body(text: &str) -> Option<ApiErrorBody> {
    let v = JSON::parse(text).ok()?;
    let fields = get(&v, "fields")
        .filter(Array::is_array)
        .map(|list| {
            Array::from(&list)
                .iter()
                .filter_map(|e| {
                    Some(FieldError::new(
                        &string(&e, "field")?,
                        string(&e, "message")?,
                    ))
                })
                .collect()
        })
        .unwrap_or_default();
    Some(ApiErrorBody {
        error: string(&v, "error")?,
        message: string(&v, "message")?,
        fields,
    })
}

fn get(v: &JsValue, key: &str) -> Option<JsValue> {
    Reflect::get(v, &JsValue::from_str(key)).ok()
}

fn string(v: &JsValue, key: &str) -> Option<String> {
    get(v, key)?.as_string()
}

/// A value in the draft's JSON.
enum Json<'a> {
    Str(&'a str),
    Bool(bool),
    List(&'a [String]),
}

/// The draft as JSON, exactly as serde would write it (absent fields left out, lists always
/// present). The tests compare the two.
pub fn draft_json(d: &RequestDraft) -> String {
    fn text(v: &Option<String>) -> Option<Json<'_>> {
        v.as_deref().map(Json::Str)
    }
    let fields: [(&str, Option<Json>); 14] = [
        ("asker", text(&d.asker)),
        ("child_knows", text(&d.child_knows)),
        ("age_band", text(&d.age_band)),
        ("topics", Some(Json::List(&d.topics))),
        ("message", text(&d.message)),
        ("nickname", text(&d.nickname)),
        ("has_trusted_person", d.has_trusted_person.map(Json::Bool)),
        ("channel", text(&d.channel)),
        ("contact", text(&d.contact)),
        ("contact_times", Some(Json::List(&d.contact_times))),
        ("may_leave_message", d.may_leave_message.map(Json::Bool)),
        (
            "never_via_foster_parents",
            d.never_via_foster_parents.map(Json::Bool),
        ),
        ("safe_now", text(&d.safe_now)),
        ("municipality", text(&d.municipality)),
    ];
    let mut out = String::from("{");
    for (key, value) in fields {
        let Some(value) = value else { continue };
        if out.len() > 1 {
            out.push(',');
        }
        push_json_str(&mut out, key);
        out.push(':');
        match value {
            Json::Str(s) => push_json_str(&mut out, s),
            Json::Bool(b) => out.push_str(if b { "true" } else { "false" }),
            Json::List(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    push_json_str(&mut out, item);
                }
                out.push(']');
            }
        }
    }
    out.push('}');
    out
}

/// Appends `text` as a JSON string.
fn push_json_str(out: &mut String, text: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                out.push_str("\\u00");
                out.push(HEX[(c as usize) >> 4] as char);
                out.push(HEX[(c as usize) & 0xf] as char);
            }
            c => out.push(c),
        }
    }
    out.push('"');
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

    fn full_draft() -> RequestDraft {
        RequestDraft {
            asker: Some("on_behalf".into()),
            child_knows: Some("not_sure".into()),
            age_band: Some("12_17".into()),
            topics: vec!["home".into(), "other".into()],
            message: Some("Regel 1\nRegel 2 \"quote\" \\ tab\t nul\u{0} bel\u{7} é ✓ 🙂".into()),
            nickname: Some("Sam".into()),
            has_trusted_person: Some(false),
            channel: Some("whatsapp".into()),
            contact: Some("06 12345678".into()),
            contact_times: vec!["evening".into()],
            may_leave_message: Some(true),
            never_via_foster_parents: Some(true),
            safe_now: Some("no".into()),
            municipality: Some("'s-Hertogenbosch".into()),
        }
    }

    fn same_as_serde(d: &RequestDraft) {
        let ours: serde_json::Value = serde_json::from_str(&draft_json(d)).unwrap();
        assert_eq!(ours, serde_json::to_value(d).unwrap(), "{}", draft_json(d));
    }

    #[test]
    fn hand_written_draft_json_matches_serde_for_a_full_draft() {
        same_as_serde(&full_draft());
    }

    #[test]
    fn hand_written_draft_json_leaves_out_absent_fields_like_serde() {
        same_as_serde(&RequestDraft::default());
        same_as_serde(&RequestDraft {
            asker: Some("foster_parent".into()),
            topics: vec!["rights".into()],
            ..RequestDraft::default()
        });
    }

    #[test]
    fn hand_written_draft_json_names_every_draft_field() {
        let value: serde_json::Value = serde_json::from_str(&draft_json(&full_draft())).unwrap();
        for field in kjr_domain::DRAFT_FIELDS {
            assert!(value.get(field).is_some(), "{field}");
        }
    }
}
