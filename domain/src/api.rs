//! What the API answers, as the app and the API share it: the receipt of a request and the
//! error body, each with stable codes beside the Dutch text.

use serde::de::{self, MapAccess};
use serde::{Deserialize, Serialize};

use crate::tagged::{Flattened, OwnKeys, take_once};

use crate::{FieldError, Lang, Reference, ValidationErrors};

/// When first contact is due, as the confirmation states it: a day and a time in the
/// Netherlands, computed by the API from the teams' working hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalDue {
    /// The moment.
    pub at: crate::Timestamp,
    /// 1 = Monday … 7 = Sunday.
    pub weekday: u8,
    /// Day of the month.
    pub day: u8,
    /// 1 = January.
    pub month: u8,
    /// Hour (0–23).
    pub hour: u8,
    /// Minute.
    pub minute: u8,
}

/// What `POST /api/requests` answers with 201: what the person sees on the confirmation page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestReceipt {
    /// The reference to quote, e.g. `KJR-7F3K-9QX2`.
    pub reference: Reference,
    /// Whether the request went to the urgent queue.
    pub urgent: bool,
    /// Within how many hours a confidant will make contact (working hours or days).
    pub respond_within_hours: u32,
    /// At the latest when: the promise, in working time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<LocalDue>,
    /// The person chose to read the replies on the website (nobody contacts them).
    #[serde(default)]
    pub replies_on_website: bool,
    /// With `replies_on_website`, in the answer that stored the request: the three code
    /// words that open the conversation with the reference. They are shown this once; the
    /// API keeps only their hash.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_words: Option<String>,
    /// In Dutch: who will make contact, how, and when ([`RequestReceipt::next_steps_in`]).
    pub next_steps: String,
}

impl RequestReceipt {
    /// A receipt whose promise is written in the default language.
    pub fn new(reference: Reference, urgent: bool, respond_within_hours: u32) -> Self {
        let mut receipt = Self {
            next_steps: String::new(),
            reference,
            urgent,
            respond_within_hours,
            due: None,
            replies_on_website: false,
            code_words: None,
        };
        receipt.next_steps = receipt.next_steps_in(Lang::DEFAULT);
        receipt
    }

    /// The receipt with the day and time contact is due by.
    pub fn due_by(mut self, due: LocalDue) -> Self {
        self.due = Some(due);
        self.next_steps = self.next_steps_in(Lang::DEFAULT);
        self
    }

    /// The receipt of a person who reads the replies on the website.
    pub fn on_website(mut self) -> Self {
        self.replies_on_website = true;
        self.next_steps = self.next_steps_in(Lang::DEFAULT);
        self
    }

    /// The receipt with the code words, for the one answer that shows them.
    pub fn with_code_words(mut self, code_words: String) -> Self {
        self.code_words = Some(code_words);
        self.on_website()
    }

    /// The promise in `lang`: the same words the API sends, in another language.
    pub fn next_steps_in(&self, lang: Lang) -> String {
        lang.words().next_steps(self)
    }
}

crate::tagged_enum! {
tag = "error";
twin = ApiProblemTwin;
/// A problem of a whole API request. On the wire: `"error": "<code>"` and its parameters.
/// (Deserialized tag-first: see [`crate::tagged`].)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiProblem {
    /// The body is not declared as `application/json`.
    UnsupportedMediaType,
    /// The `Idempotency-Key` header is missing or malformed.
    MissingIdempotencyKey,
    /// The body is larger than the API accepts.
    PayloadTooLarge {
        /// The largest body accepted.
        max_bytes: u32,
    },
    /// The body could not be read (the connection broke).
    UnreadableBody,
    /// The body is not UTF-8.
    InvalidEncoding,
    /// The body is not JSON.
    MalformedJson {
        /// Where the parser stopped (1-based).
        line: u32,
        /// Where the parser stopped (1-based).
        column: u32,
    },
    /// The body is JSON, but not an object.
    NotAnObject,
    /// Fields are missing, unknown or invalid; each is named in `fields`/`unknown_fields`.
    ValidationFailed,
    /// The idempotency key was used before for other content; `receipt` is that request.
    IdempotencyKeyReused,
    /// Too many requests from this client.
    RateLimited {
        /// Seconds until one more request is allowed (also in `Retry-After`).
        retry_after_seconds: u64,
    },
    /// Too many requests from everyone together.
    Busy {
        /// Seconds until one more request is allowed (also in `Retry-After`).
        retry_after_seconds: u64,
    },
    /// No such address.
    NotFound,
    /// The address does not take this method.
    MethodNotAllowed,
    /// Storage failed; nothing was stored.
    StorageUnavailable,
    /// A staff route without a valid session (none, expired, revoked or forged).
    Unauthenticated,
    /// Sign-in refused: the same answer whether the account, the password or the code was
    /// wrong.
    SignInFailed,
    /// Too many failed sign-ins for this account or from this address.
    SignInLocked {
        /// Seconds until signing in is possible again (also in `Retry-After`).
        retry_after_seconds: u64,
    },
    /// A change that did not come from the portal's own pages (cross-site request forgery).
    CrossSiteRefused,
    /// The signed-in person's role does not allow this.
    Forbidden,
    /// Someone else changed the request since this version; `conflict` says who and when.
    VersionConflict,
    /// The action is not possible in the request's current status.
    InvalidTransition,
    /// A contact attempt went against a safe-contact preference and needs a reason.
    OverrideReasonRequired {
        /// Outside the safe times.
        outside_safe_times: bool,
        /// A message was left where none may be.
        message_not_allowed: bool,
        /// Through the foster parents where that may never be.
        via_foster_parents: bool,
    },
    /// A staff body or query does not have the documented shape; `message` says where.
    InvalidInput,
    /// Signing in through the identity provider failed.
    IdentityProviderFailed,
    /// A request with signs of abuse or danger can only close after the Veilig Thuis step.
    VeiligThuisStepRequired,
    /// The person who asked to close cannot approve it: a second colleague must.
    SecondColleagueRequired,
    /// No conversation opens with this reference and these code words: the same answer
    /// whether the reference is unknown or the words are wrong.
    ConversationNotFound,
    /// Too many wrong tries for this reference, or from this address.
    ConversationLocked {
        /// Seconds until trying again is possible (also in `Retry-After`).
        retry_after_seconds: u64,
    },
    /// The request is closed: its conversation can be read, not written to.
    ConversationClosed,
    /// The request was not sent with "I'll check this website myself": a confidant
    /// contacts this person another way, and a reply cannot be written here.
    NoConversation,
}
}

/// With `version_conflict`: the request's current version, and who changed it when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionConflict {
    /// The current version.
    pub version: u32,
    /// Who made the last change.
    pub changed_by: Option<crate::staff::StaffRef>,
    /// When.
    pub changed_at: crate::Timestamp,
}

/// A field's problem as the API sends it: code and parameters, with its label and message in
/// Dutch for clients that do not translate. (Deserialized in one pass: see
/// [`crate::tagged::Flattened`].)
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldErrorBody {
    /// The field and the problem.
    #[serde(flatten)]
    pub error: FieldError,
    /// The field's name as the form calls it.
    pub label: String,
    /// What is wrong and how to fix it.
    pub message: String,
}

/// The JSON body of every error answer of the API. (Deserialized in one pass: see
/// [`crate::tagged::Flattened`].)
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiErrorBody {
    /// The problem: `error` and its parameters.
    #[serde(flatten)]
    pub problem: ApiProblem,
    /// In Dutch: what went wrong and what to do.
    pub message: String,
    /// With `validation_failed`: the problem of each field.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldErrorBody>,
    /// With `validation_failed`: names sent that are no field.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unknown_fields: Vec<String>,
    /// With `idempotency_key_reused`: the request that was already received under this key,
    /// so a client whose first answer got lost can still show its confirmation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receipt: Option<RequestReceipt>,
    /// With `version_conflict`: who changed the request, and when.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conflict: Option<VersionConflict>,
}

/// The own keys of [`FieldErrorBody`] (besides its problem's).
#[derive(Default)]
struct FieldErrorKeys {
    field: Option<crate::Field>,
    label: Option<String>,
    message: Option<String>,
}

impl<'de> OwnKeys<'de> for FieldErrorKeys {
    fn take<A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error> {
        match key {
            "field" => take_once(&mut self.field, "field", map),
            "label" => take_once(&mut self.label, "label", map),
            "message" => take_once(&mut self.message, "message", map),
            _ => Ok(false),
        }
    }
}

impl<'de> Deserialize<'de> for FieldErrorBody {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let (own, problem) = Flattened::<FieldErrorKeys, crate::Problem>::deserialize(d)?;
        Ok(Self {
            error: FieldError {
                field: own.field.ok_or_else(|| de::Error::missing_field("field"))?,
                problem,
            },
            label: own.label.ok_or_else(|| de::Error::missing_field("label"))?,
            message: own
                .message
                .ok_or_else(|| de::Error::missing_field("message"))?,
        })
    }
}

/// The own keys of [`ApiErrorBody`] (besides its problem's).
#[derive(Default)]
struct ErrorBodyKeys {
    message: Option<String>,
    fields: Option<Vec<FieldErrorBody>>,
    unknown_fields: Option<Vec<String>>,
    receipt: Option<Option<RequestReceipt>>,
    conflict: Option<Option<VersionConflict>>,
}

impl<'de> OwnKeys<'de> for ErrorBodyKeys {
    fn take<A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error> {
        match key {
            "message" => take_once(&mut self.message, "message", map),
            "fields" => take_once(&mut self.fields, "fields", map),
            "unknown_fields" => take_once(&mut self.unknown_fields, "unknown_fields", map),
            "receipt" => take_once(&mut self.receipt, "receipt", map),
            "conflict" => take_once(&mut self.conflict, "conflict", map),
            _ => Ok(false),
        }
    }
}

impl<'de> Deserialize<'de> for ApiErrorBody {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let (own, problem) = Flattened::<ErrorBodyKeys, ApiProblem>::deserialize(d)?;
        Ok(Self {
            problem,
            message: own
                .message
                .ok_or_else(|| de::Error::missing_field("message"))?,
            fields: own.fields.unwrap_or_default(),
            unknown_fields: own.unknown_fields.unwrap_or_default(),
            receipt: own.receipt.flatten(),
            conflict: own.conflict.flatten(),
        })
    }
}

impl ApiErrorBody {
    /// The body for `problem`, its message in `lang`.
    pub fn new(problem: ApiProblem, lang: Lang) -> Self {
        Self {
            message: lang.words().api_problem(&problem),
            problem,
            fields: Vec::new(),
            unknown_fields: Vec::new(),
            receipt: None,
            conflict: None,
        }
    }

    /// The body for a request that did not validate, every message in `lang`.
    pub fn validation(errors: ValidationErrors, lang: Lang) -> Self {
        let words = lang.words();
        let errors = errors.in_form_order();
        let mut body = Self::new(ApiProblem::ValidationFailed, lang);
        if !errors.unknown_fields.is_empty() {
            body.message = format!(
                "{} {}",
                body.message,
                words.unknown_fields(&errors.unknown_fields)
            );
        }
        body.fields = errors
            .fields
            .iter()
            .map(|e| FieldErrorBody {
                error: *e,
                label: e.field.label(lang).to_owned(),
                message: e.message(lang, errors.perspective),
            })
            .collect();
        body.unknown_fields = errors.unknown_fields;
        body
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Field, Problem};

    #[test]
    fn error_bodies_carry_codes_and_parameters_beside_the_dutch_text() {
        let body = ApiErrorBody::new(
            ApiProblem::MalformedJson { line: 1, column: 9 },
            Lang::DEFAULT,
        );
        let json = serde_json::to_value(&body).unwrap();
        assert_eq!(json["error"], "malformed_json");
        assert_eq!(json["line"], 1);
        assert!(json["message"].as_str().unwrap().contains("regel 1"));
        assert!(json.get("fields").is_none());
        assert_eq!(
            serde_json::from_str::<ApiErrorBody>(&serde_json::to_string(&body).unwrap()).unwrap(),
            body
        );
    }

    #[test]
    fn a_validation_body_lists_fields_in_form_order_with_labels() {
        let errors = ValidationErrors {
            fields: vec![
                FieldError::new(Field::Topics, Problem::Required),
                FieldError::new(Field::AgeBand, Problem::Required),
            ],
            unknown_fields: vec!["colour".into()],
            perspective: crate::Perspective::ForAChild,
        };
        let body = ApiErrorBody::validation(errors, Lang::Nl);
        assert_eq!(body.fields[0].error.field, Field::AgeBand);
        assert_eq!(body.fields[0].message, "Kies hoe oud het kind is.");
        assert!(body.message.contains("colour"), "{}", body.message);
        let json = serde_json::to_value(&body).unwrap();
        assert_eq!(json["fields"][0]["problem"], "required");
        assert_eq!(json["fields"][0]["field"], "age_band");
        assert_eq!(
            serde_json::from_str::<ApiErrorBody>(&serde_json::to_string(&body).unwrap()).unwrap(),
            body
        );
    }

    #[test]
    fn the_promise_is_the_same_in_every_language() {
        let r = RequestReceipt::new(Reference::parse("KJR-7F3K-9QX2").unwrap(), true, 4);
        assert!(r.next_steps.contains("4 uur"));
        for lang in Lang::ALL {
            let text = r.next_steps_in(*lang);
            assert!(text.contains('4') && text.contains("112"), "{lang}: {text}");
        }
        let days = RequestReceipt::new(r.reference.clone(), false, 72);
        assert!(days.next_steps.contains("3 dagen"));
        assert!(days.next_steps_in(Lang::En).contains("3 days"));
        let one = RequestReceipt::new(r.reference, false, 24);
        assert!(one.next_steps.contains("binnen 1 dag "));
    }
}
