//! Domain types shared by the app (wasm), the site and the API (native): the one vocabulary
//! of Ken je rechten.
//!
//! A [`ConfidantRequest`] can only be built through [`RequestDraft::validate`], so an
//! invalid request cannot exist past the boundary, in the browser or in the API. Fields,
//! problems, audiences, helplines and the promise of the confirmation page are typed values
//! here, with their texts per language in [`i18n`].

#[doc(hidden)]
pub use serde;

#[doc(hidden)]
pub mod tagged;
mod wire;

mod api;
mod contact;
mod conversation;
mod error;
mod help;
pub mod i18n;
mod ids;
mod lang;
mod municipality;
mod reference;
mod request;
pub mod staff;
mod text;

pub use api::{
    ApiErrorBody, ApiProblem, FieldErrorBody, LocalDue, RequestReceipt, VersionConflict,
};
pub use contact::{Channel, ContactAddress, DutchMobile, EmailAddress};
pub use conversation::{
    CODE_WORD_COUNT, CONVERSATION_IDLE_SECONDS, ChildMessage, Conversation, ConversationMessage,
    MessageAuthor, OpenConversation,
};
pub use error::{Field, FieldError, Perspective, Problem, Shape, ValidationErrors};
pub use help::{Audience, Helpline};
pub use ids::{RequestId, TeamId, Timestamp};
pub use lang::{Direction, Lang, ReadAloudWords, Words};
pub use municipality::{Municipality, Province, municipalities, municipality_names};
pub use reference::{IdempotencyKey, Reference};
pub use request::{
    AgeBand, Asker, AskerKind, ChildKnows, ConfidantRequest, ContactTime, Feeling, RequestDraft,
    SafeNow, Topic,
};
pub use text::{FreeText, Nickname, ViaPerson};

/// Upper bound of the free-text message, in Unicode scalar values.
pub const MAX_MESSAGE_CHARS: usize = 4_000;
/// Upper bound of the nickname, in Unicode scalar values.
pub const MAX_NICKNAME_CHARS: usize = 60;
/// Upper bound of the "via a named person" description, in Unicode scalar values.
pub const MAX_VIA_PERSON_CHARS: usize = 200;
