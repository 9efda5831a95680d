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

use crate::i18n::t;

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
    /// wait (429): the person must change something or try again later. (Boxed: it is much bigger than the other variant.)
    Rejected(Box<ApiErrorBody>),
    /// The network failed, the server had a problem (5xx) or answered something unexpected:
    /// sending the same request again with the same key is safe.
    Failed,
}

/// Sends `draft` with `key` as its `Idempotency-Key`, so a resend after a lost answer
/// cannot create a second request.
pub async fn submit_request(
    draft: &RequestDraft,
    key: &IdempotencyKey,
) -> Result<Accepted, SubmitError> {
    let (status, body) = post_json(REQUESTS_URL, &draft_json(draft), key.as_str())
        .await
        .map_err(|_| SubmitError::Failed)?;
    read_answer(status, JSON::parse(&body).ok())
}

/// What an answer with `status` and the parsed JSON `body` (`None` if unreadable) means.
fn read_answer<J: Json>(status: u16, body: Option<J>) -> Result<Accepted, SubmitError> {
    match status {
        // The API did accept it if the body is unreadable; a resend with the same key returns
        // the same receipt.
        200..=299 => body
            .and_then(|b| read_receipt(&b))
            .map(|receipt| Accepted {
                receipt,
                changes_not_sent: false,
            })
            .ok_or(SubmitError::Failed),
        // 429: the rate limits; its message says to wait a minute, and the same button
        // sends again with the same key.
        400 | 409 | 413 | 415 | 422 | 429 => {
            let mut body = body
                .and_then(|b| read_error_body(&b))
                .unwrap_or_else(|| ApiErrorBody {
                    error: "rejected".to_owned(),
                    // A 429 without our body comes from API Gateway's throttling.
                    message: if status == 429 {
                        t(
                            "Het is nu erg druk. Wat je hebt ingevuld is niet weg. Wacht even en \
                             probeer het dan opnieuw. Is er nu gevaar? Bel 112.",
                            "It is very busy right now. What you filled in is still here. Wait a \
                             moment and try again. In danger right now? Call 112.",
                        )
                    } else {
                        t(
                            "Je vraag kon niet worden verstuurd. Kijk je antwoorden na en probeer \
                             het opnieuw.",
                            "Your request could not be sent. Check your answers and try again.",
                        )
                    }
                    .to_owned(),
                    fields: Vec::new(),
                    receipt: None,
                });
            match body.receipt.take() {
                // The request under this key was received before: that is a success.
                Some(receipt) if status == 409 => Ok(Accepted {
                    receipt,
                    changes_not_sent: true,
                }),
                _ => Err(SubmitError::Rejected(Box::new(body))),
            }
        }
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

/// Parsed JSON, as far as the readers below need it: the browser's `JSON.parse` result in
/// the app, serde_json's `Value` in the tests (which run natively, without a browser).
trait Json: Sized {
    /// The member `key` of an object.
    fn get(&self, key: &str) -> Option<Self>;
    fn string(&self) -> Option<String>;
    fn boolean(&self) -> Option<bool>;
    fn number(&self) -> Option<f64>;
    /// The elements of an array.
    fn items(&self) -> Option<Vec<Self>>;
}

impl Json for JsValue {
    fn get(&self, key: &str) -> Option<Self> {
        // Fails (and gives `None`) on `undefined`, `null` and other non-objects.
        Reflect::get(self, &JsValue::from_str(key)).ok()
    }
    fn string(&self) -> Option<String> {
        self.as_string()
    }
    fn boolean(&self) -> Option<bool> {
        self.as_bool()
    }
    fn number(&self) -> Option<f64> {
        self.as_f64()
    }
    fn items(&self) -> Option<Vec<Self>> {
        Array::is_array(self).then(|| Array::from(self).iter().collect())
    }
}

fn string<J: Json>(v: &J, key: &str) -> Option<String> {
    v.get(key)?.string()
}

/// Reads a [`RequestReceipt`].
fn read_receipt<J: Json>(v: &J) -> Option<RequestReceipt> {
    Some(RequestReceipt {
        reference: Reference::parse(&string(v, "reference")?)?,
        urgent: v.get("urgent")?.boolean()?,
        respond_within_hours: v.get("respond_within_hours")?.number()? as u32,
        next_steps: string(v, "next_steps")?,
    })
}

/// Reads an [`ApiErrorBody`]: a field without a `label` gets the domain's label for it.
fn read_error_body<J: Json>(v: &J) -> Option<ApiErrorBody> {
    let fields = v
        .get("fields")
        .and_then(|list| list.items())
        .unwrap_or_default()
        .iter()
        .filter_map(|e| {
            let mut error = FieldError::new(&string(e, "field")?, string(e, "message")?);
            if let Some(label) = string(e, "label").filter(|l| !l.is_empty()) {
                error.label = label;
            }
            Some(error)
        })
        .collect();
    Some(ApiErrorBody {
        error: string(v, "error")?,
        message: string(v, "message")?,
        fields,
        receipt: v.get("receipt").and_then(|r| read_receipt(&r)),
    })
}

/// A value in the draft's JSON.
enum Value<'a> {
    Str(&'a str),
    Bool(bool),
    List(&'a [String]),
}

/// The draft as JSON, exactly as serde would write it (absent fields left out, lists always
/// present). The tests compare the two.
pub fn draft_json(d: &RequestDraft) -> String {
    fn text(v: &Option<String>) -> Option<Value<'_>> {
        v.as_deref().map(Value::Str)
    }
    let fields: [(&str, Option<Value>); 15] = [
        ("asker", text(&d.asker)),
        ("child_knows", text(&d.child_knows)),
        ("age_band", text(&d.age_band)),
        ("topics", Some(Value::List(&d.topics))),
        ("message", text(&d.message)),
        ("nickname", text(&d.nickname)),
        ("has_trusted_person", d.has_trusted_person.map(Value::Bool)),
        ("channel", text(&d.channel)),
        ("contact", text(&d.contact)),
        ("contact_times", Some(Value::List(&d.contact_times))),
        ("may_leave_message", d.may_leave_message.map(Value::Bool)),
        (
            "never_via_foster_parents",
            d.never_via_foster_parents.map(Value::Bool),
        ),
        ("safe_now", text(&d.safe_now)),
        ("municipality", text(&d.municipality)),
        ("website", text(&d.website)),
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
            Value::Str(s) => push_json_str(&mut out, s),
            Value::Bool(b) => out.push_str(if b { "true" } else { "false" }),
            Value::List(items) => {
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
    use serde_json::json;

    impl Json for serde_json::Value {
        fn get(&self, key: &str) -> Option<Self> {
            serde_json::Value::get(self, key).cloned()
        }
        fn string(&self) -> Option<String> {
            self.as_str().map(str::to_owned)
        }
        fn boolean(&self) -> Option<bool> {
            self.as_bool()
        }
        fn number(&self) -> Option<f64> {
            self.as_f64()
        }
        fn items(&self) -> Option<Vec<Self>> {
            self.as_array().cloned()
        }
    }

    fn receipt() -> RequestReceipt {
        RequestReceipt {
            reference: Reference::parse("KJR-7F3K-9QX2").unwrap(),
            urgent: true,
            respond_within_hours: 4,
            next_steps: "Een vertrouwenspersoon probeert binnen 4 uur contact met je op te nemen."
                .into(),
        }
    }

    fn answer(status: u16, body: &serde_json::Value) -> Result<Accepted, SubmitError> {
        read_answer(status, Some(body.clone()))
    }

    #[test]
    fn hand_written_readers_read_what_serde_writes() {
        let body = ApiErrorBody {
            error: "validation_failed".into(),
            message: "Niet alles is goed ingevuld.".into(),
            fields: vec![
                FieldError::new("message", "Je bericht is te lang."),
                FieldError {
                    field: "contact".into(),
                    label: "Hoe we je bereiken".into(),
                    message: "Dit nummer klopt niet.".into(),
                },
            ],
            receipt: Some(receipt()),
        };
        let json = serde_json::to_value(&body).unwrap();
        assert_eq!(read_error_body(&json), Some(body));
        let json = serde_json::to_value(receipt()).unwrap();
        assert_eq!(read_receipt(&json), Some(receipt()));
    }

    #[test]
    fn a_409_with_a_receipt_is_accepted_with_a_note_that_later_changes_were_not_sent() {
        let body = json!({
            "error": "idempotency_key_reused",
            "message": "Je vraag was al aangekomen voordat je iets veranderde.",
            "fields": [],
            "receipt": {
                "reference": "KJR-7F3K-9QX2",
                "urgent": true,
                "respond_within_hours": 4,
                "next_steps": "Een vertrouwenspersoon probeert binnen 4 uur contact met je op te nemen."
            }
        });
        assert_eq!(
            answer(409, &body),
            Ok(Accepted {
                receipt: receipt(),
                changes_not_sent: true
            })
        );
        // Without a readable receipt it is a refusal like any other.
        let mut without = body.clone();
        without["receipt"] = serde_json::Value::Null;
        assert!(matches!(
            answer(409, &without),
            Err(SubmitError::Rejected(b)) if b.error == "idempotency_key_reused"
        ));
        // A receipt in another refusal is not a success.
        assert!(matches!(answer(422, &body), Err(SubmitError::Rejected(_))));
    }

    #[test]
    fn answers_are_read_by_their_status() {
        assert_eq!(
            answer(201, &serde_json::to_value(receipt()).unwrap()),
            Ok(Accepted {
                receipt: receipt(),
                changes_not_sent: false
            })
        );
        // Accepted but unreadable: resending with the same key fetches the receipt.
        assert_eq!(
            read_answer::<serde_json::Value>(201, None),
            Err(SubmitError::Failed)
        );
        assert_eq!(
            answer(503, &json!({"error": "x", "message": "y"})),
            Err(SubmitError::Failed)
        );
        // API Gateway's own throttling answer has none of our fields: "busy, wait".
        let Err(SubmitError::Rejected(busy)) =
            read_answer(429, Some(json!({"message": "Too Many Requests"})))
        else {
            panic!("a 429 asks to wait");
        };
        assert!(busy.message.contains("druk"), "{}", busy.message);
        let Err(SubmitError::Rejected(body)) = read_answer::<serde_json::Value>(400, None) else {
            panic!("an unreadable refusal is still a refusal");
        };
        assert!(body.fields.is_empty() && body.receipt.is_none());
    }

    #[test]
    fn a_field_error_without_a_label_gets_the_domain_label() {
        let body = json!({
            "error": "validation_failed",
            "message": "Niet alles is goed ingevuld.",
            "fields": [{"field": "message", "message": "Te lang."}, {"field": "x", "message": "?"}]
        });
        let Err(SubmitError::Rejected(body)) = answer(422, &body) else {
            panic!("a 422 is a refusal");
        };
        assert_eq!(
            body.fields[0].label,
            kjr_domain::field_label("message").unwrap()
        );
        assert_eq!(body.fields[1].label, "x");
    }

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
            website: Some("bot".into()),
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
