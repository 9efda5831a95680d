//! Domain types shared by the app (wasm) and the api (native).
//!
//! A [`ConfidantRequest`] can only be built through [`RequestDraft::validate`], so an
//! invalid request cannot exist past the boundary, in the browser or in the API.

mod contact;
mod error;
mod municipality;
mod reference;
mod request;
mod text;

pub use contact::{Channel, ContactAddress, DutchMobile, EmailAddress};
pub use error::{FieldError, ValidationErrors, field_label};
pub use municipality::{Municipality, Province, municipalities};
pub use reference::{IdempotencyKey, Reference};
pub use request::{
    AgeBand, Asker, AskerKind, ChildKnows, ConfidantRequest, ContactTime, DRAFT_FIELDS,
    RequestDraft, SafeNow, Topic,
};
pub use text::{FreeText, Nickname, ViaPerson};

/// Upper bound of the free-text message, in Unicode scalar values.
pub const MAX_MESSAGE_CHARS: usize = 4_000;
/// Upper bound of the nickname, in Unicode scalar values.
pub const MAX_NICKNAME_CHARS: usize = 60;
/// Upper bound of the "via a named person" description, in Unicode scalar values.
pub const MAX_VIA_PERSON_CHARS: usize = 200;

/// What `POST /api/requests` answers with 201: what the person sees on the confirmation page.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequestReceipt {
    /// The reference to quote, e.g. `KJR-7F3K-9QX2`.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "KJR-7F3K-9QX2"))]
    pub reference: Reference,
    /// Whether the request went to the urgent queue.
    pub urgent: bool,
    /// Within how many hours a confidant will make contact.
    pub respond_within_hours: u32,
    /// In Dutch: who will make contact, how, and when.
    pub next_steps: String,
}

/// The JSON body of every error answer of the API.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiErrorBody {
    /// A stable machine-readable code (`validation_failed`, `payload_too_large`, …).
    pub error: String,
    /// In Dutch: what went wrong and what to do.
    pub message: String,
    /// Problems per field; empty when the problem is not about one field.
    #[serde(default)]
    pub fields: Vec<FieldError>,
    /// With `idempotency_key_reused`: the request that was already received under this key,
    /// so a client whose first answer got lost can still show its confirmation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receipt: Option<RequestReceipt>,
}
