//! The fields of a request and what can be wrong with them, as typed values with stable
//! wire codes. Texts for people come from [`crate::Words`], by these codes.

use serde::{Deserialize, Serialize};

use crate::{Channel, Lang};

crate::wire_enum! {
    /// A field of the request form and of `POST /api/requests`, in the order the form asks.
    pub enum Field {
        Asker = "asker",
        ChildKnows = "child_knows",
        AgeBand = "age_band",
        /// Asked by the picture route only.
        Feeling = "feeling",
        SafeNow = "safe_now",
        Topics = "topics",
        Message = "message",
        HasTrustedPerson = "has_trusted_person",
        Nickname = "nickname",
        Channel = "channel",
        Contact = "contact",
        ContactTimes = "contact_times",
        MayLeaveMessage = "may_leave_message",
        NeverViaFosterParents = "never_via_foster_parents",
        Municipality = "municipality",
        /// The honeypot: a field people never see (see [`crate::RequestDraft::website`]).
        Website = "website",
    }
}

/// The JSON type a field's value has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// A string: free text or one choice.
    Text,
    /// A list of choices.
    List,
    /// `true` or `false`.
    Bool,
}

impl Field {
    /// The JSON type of this field's value.
    pub fn shape(self) -> Shape {
        match self {
            Field::Topics | Field::ContactTimes => Shape::List,
            Field::HasTrustedPerson | Field::MayLeaveMessage | Field::NeverViaFosterParents => {
                Shape::Bool
            }
            _ => Shape::Text,
        }
    }

    /// The field's name as the form calls it.
    pub fn label(self, lang: Lang) -> &'static str {
        lang.words().field(self)
    }

    /// The position of this field in the form.
    pub fn form_position(self) -> usize {
        Self::ALL
            .iter()
            .position(|f| *f == self)
            .unwrap_or(usize::MAX)
    }
}

crate::tagged_enum! {
tag = "problem";
twin = ProblemTwin;
/// What is wrong with a field. On the wire: `"problem": "<code>"` and its parameters.
/// (Deserialized tag-first: see [`crate::tagged`].)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// Nothing was given for a field that must be answered.
    Required,
    /// A choice (or one of a list) is not one of the answers.
    UnknownChoice,
    /// The value has the wrong JSON type for this field (see [`Field::shape`]).
    WrongType,
    /// Longer than the field allows, in characters.
    TooLong {
        /// The most the field allows.
        max: u32,
        /// How many characters were given.
        length: u32,
    },
    /// A control character (or, in a one-line field, a line break).
    ControlCharacter,
    /// The address for the chosen way of contact is missing.
    ContactRequired {
        /// The chosen way of contact.
        channel: Channel,
    },
    /// The address does not fit the chosen way of contact.
    InvalidContact {
        /// The chosen way of contact.
        channel: Channel,
    },
    /// The honeypot was filled.
    MustBeEmpty,
    /// The municipality is not in the bundled list.
    UnknownMunicipality,
    /// A foster parent asking for themself chose an age under 18.
    FosterParentIsAdult,
}
}

impl Problem {
    /// The stable code (`too_long`).
    pub fn code(self) -> &'static str {
        match self {
            Problem::Required => "required",
            Problem::UnknownChoice => "unknown_choice",
            Problem::WrongType => "wrong_type",
            Problem::TooLong { .. } => "too_long",
            Problem::ControlCharacter => "control_character",
            Problem::ContactRequired { .. } => "contact_required",
            Problem::InvalidContact { .. } => "invalid_contact",
            Problem::MustBeEmpty => "must_be_empty",
            Problem::UnknownMunicipality => "unknown_municipality",
            Problem::FosterParentIsAdult => "foster_parent_is_adult",
        }
    }
}

/// Whose situation the messages speak about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Perspective {
    /// The person filling in the form asks for themself ("Kies hoe oud je bent").
    #[default]
    Own,
    /// An adult asks for a child ("Kies hoe oud het kind is").
    ForAChild,
}

/// A problem with one field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// The field.
    pub field: Field,
    /// What is wrong.
    #[serde(flatten)]
    pub problem: Problem,
}

impl FieldError {
    /// `problem` with `field`.
    pub fn new(field: Field, problem: Problem) -> Self {
        Self { field, problem }
    }

    /// What is wrong and how to fix it, in `lang`.
    pub fn message(&self, lang: Lang, perspective: Perspective) -> String {
        lang.words().problem(self, perspective)
    }
}

impl std::fmt::Display for FieldError {
    /// The field and the code only: never the value, which may be what a child typed.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.problem.code())
    }
}

impl std::error::Error for FieldError {}

/// Every problem found in one draft; never both empty.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ValidationErrors {
    /// Problems per field, at most one per field.
    pub fields: Vec<FieldError>,
    /// Names in the body that are no field of the form.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unknown_fields: Vec<String>,
    /// Whose situation the request is about, for the wording of the messages.
    #[serde(skip)]
    pub perspective: Perspective,
}

impl ValidationErrors {
    /// The problem with `field`, if it has one.
    pub fn for_field(&self, field: Field) -> Option<Problem> {
        self.fields
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.problem)
    }

    /// The problems in the order of the form.
    pub fn in_form_order(mut self) -> Self {
        self.fields.sort_by_key(|e| e.field.form_position());
        self
    }
}

impl std::fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let codes: Vec<String> = self.fields.iter().map(ToString::to_string).collect();
        write!(f, "invalid request: {}", codes.join(", "))?;
        if !self.unknown_fields.is_empty() {
            write!(f, "; {} unknown field(s)", self.unknown_fields.len())?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationErrors {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_error_is_its_field_and_a_code_with_parameters_on_the_wire() {
        let e = FieldError::new(
            Field::Message,
            Problem::TooLong {
                max: 4000,
                length: 4001,
            },
        );
        let json = serde_json::to_value(e).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"field": "message", "problem": "too_long", "max": 4000, "length": 4001})
        );
        assert_eq!(
            serde_json::from_str::<FieldError>(&serde_json::to_string(&e).unwrap()).unwrap(),
            e
        );
        let contact = FieldError::new(
            Field::Contact,
            Problem::InvalidContact {
                channel: Channel::Email,
            },
        );
        assert_eq!(
            serde_json::to_value(contact).unwrap()["channel"],
            serde_json::json!("email")
        );
    }

    #[test]
    fn every_field_has_a_label_in_every_language() {
        for lang in Lang::ALL {
            for field in Field::ALL {
                assert!(!field.label(*lang).is_empty(), "{field} in {lang}");
            }
        }
    }
}
