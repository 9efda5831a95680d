//! Free-text fields: trimmed, bounded in characters (not bytes), any Unicode.

use serde::{Deserialize, Serialize};

use crate::{
    Channel, Field, FieldError, MAX_MESSAGE_CHARS, MAX_NICKNAME_CHARS, MAX_VIA_PERSON_CHARS,
    Problem,
};

/// Checks `raw` as typed (its length and characters, so the limit is what the form's counter
/// shows), then trims it; `None` when nothing is left.
fn bounded(
    field: Field,
    raw: &str,
    max: usize,
    single_line: bool,
) -> Result<Option<String>, FieldError> {
    let len = raw.chars().count();
    if len > max {
        return Err(FieldError::new(
            field,
            Problem::TooLong {
                max: max as u32,
                length: len.min(u32::MAX as usize) as u32,
            },
        ));
    }
    // NUL and other control characters have no place in text a person typed; line breaks and
    // tabs do, except in one-line fields.
    let bad_control = raw
        .chars()
        .any(|c| c.is_control() && (single_line || !matches!(c, '\n' | '\r' | '\t')));
    if bad_control {
        return Err(FieldError::new(field, Problem::ControlCharacter));
    }
    let trimmed = raw.trim();
    Ok((!trimmed.is_empty()).then(|| trimmed.to_owned()))
}

/// The child's own words: optional, at most [`MAX_MESSAGE_CHARS`] characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct FreeText(String);

impl FreeText {
    /// Parses the message; `Ok(None)` when it is empty.
    pub fn parse(raw: &str) -> Result<Option<Self>, FieldError> {
        Ok(bounded(Field::Message, raw, MAX_MESSAGE_CHARS, false)?.map(Self))
    }
    /// The text as typed (trimmed).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A first name or nickname: optional, one line, at most [`MAX_NICKNAME_CHARS`] characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Nickname(String);

impl Nickname {
    /// Parses the nickname; `Ok(None)` when it is empty.
    pub fn parse(raw: &str) -> Result<Option<Self>, FieldError> {
        Ok(bounded(Field::Nickname, raw, MAX_NICKNAME_CHARS, true)?.map(Self))
    }
    /// The nickname as typed (trimmed).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Who to contact the child through, and how, when the channel is "via a named person".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ViaPerson(String);

impl ViaPerson {
    /// Parses the description; it is required for this channel.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        bounded(Field::Contact, raw, MAX_VIA_PERSON_CHARS, false)?
            .map(Self)
            .ok_or(FieldError::new(
                Field::Contact,
                Problem::ContactRequired {
                    channel: Channel::ViaPerson,
                },
            ))
    }
    /// The description as typed (trimmed).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

macro_rules! string_conversions {
    ($($ty:ident => $parse:expr),* $(,)?) => {$(
        impl TryFrom<String> for $ty {
            type Error = String;
            fn try_from(raw: String) -> Result<Self, String> {
                $parse(&raw)
            }
        }
        impl From<$ty> for String {
            fn from(value: $ty) -> String {
                value.0
            }
        }
    )*};
}

string_conversions! {
    FreeText => |raw: &str| FreeText::parse(raw)
        .map_err(|e| e.to_string())?
        .ok_or_else(|| "empty".to_owned()),
    Nickname => |raw: &str| Nickname::parse(raw)
        .map_err(|e| e.to_string())?
        .ok_or_else(|| "empty".to_owned()),
    ViaPerson => |raw: &str| ViaPerson::parse(raw).map_err(|e| e.to_string()),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_of_exactly_the_limit_in_multibyte_characters_is_accepted() {
        let text = "é".repeat(MAX_MESSAGE_CHARS);
        assert!(FreeText::parse(&text).unwrap().is_some());
    }

    #[test]
    fn message_one_over_the_limit_names_the_length() {
        let err = FreeText::parse(&"a".repeat(MAX_MESSAGE_CHARS + 1)).unwrap_err();
        assert_eq!(
            err,
            FieldError::new(
                Field::Message,
                Problem::TooLong {
                    max: 4000,
                    length: 4001
                }
            )
        );
    }

    #[test]
    fn script_tags_and_emoji_are_kept_as_text() {
        let text = FreeText::parse("<script>alert(1)</script> 😢\nhelp")
            .unwrap()
            .unwrap();
        assert_eq!(text.as_str(), "<script>alert(1)</script> 😢\nhelp");
    }

    #[test]
    fn blank_nickname_is_no_nickname() {
        assert_eq!(Nickname::parse("   ").unwrap(), None);
    }

    #[test]
    fn nickname_may_not_contain_a_line_break() {
        assert!(Nickname::parse("Sam\nmy").is_err());
    }

    #[test]
    fn nul_byte_is_refused() {
        assert!(FreeText::parse("a\0b").is_err());
    }
}
