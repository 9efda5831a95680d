//! How Jeugdstem may reach the person who asks: a channel and the matching address.

use serde::{Deserialize, Serialize};

use crate::{FieldError, ViaPerson};

/// The way the person wants to be contacted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// A phone call.
    Phone,
    /// A text message.
    Sms,
    /// A WhatsApp message.
    Whatsapp,
    /// An e-mail.
    Email,
    /// Through a person the child names (a teacher, a grandparent, …).
    ViaPerson,
}

impl Channel {
    /// Every channel, in the order the form shows them.
    pub const ALL: [Channel; 5] = [
        Channel::Phone,
        Channel::Sms,
        Channel::Whatsapp,
        Channel::Email,
        Channel::ViaPerson,
    ];

    /// The wire name (`phone`, `sms`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Phone => "phone",
            Channel::Sms => "sms",
            Channel::Whatsapp => "whatsapp",
            Channel::Email => "email",
            Channel::ViaPerson => "via_person",
        }
    }

    /// Parses a wire name.
    pub fn from_wire(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == raw)
    }

    /// Dutch label for the form.
    pub fn label(self) -> &'static str {
        match self {
            Channel::Phone => "Bellen",
            Channel::Sms => "Sms",
            Channel::Whatsapp => "WhatsApp",
            Channel::Email => "E-mail",
            Channel::ViaPerson => "Via iemand die ik vertrouw",
        }
    }

    /// Parses the address typed for this channel.
    pub fn parse_address(self, raw: &str) -> Result<ContactAddress, FieldError> {
        match self {
            Channel::Phone | Channel::Sms | Channel::Whatsapp => {
                DutchMobile::parse(raw).map(ContactAddress::Mobile)
            }
            Channel::Email => EmailAddress::parse(raw).map(ContactAddress::Email),
            Channel::ViaPerson => ViaPerson::parse(raw).map(ContactAddress::ViaPerson),
        }
    }
}

/// A validated address that matches its channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum ContactAddress {
    /// A Dutch mobile number.
    Mobile(DutchMobile),
    /// An e-mail address.
    Email(EmailAddress),
    /// A named person and how to reach them.
    ViaPerson(ViaPerson),
}

impl ContactAddress {
    /// The address as text, normalised.
    pub fn as_str(&self) -> &str {
        match self {
            ContactAddress::Mobile(m) => m.as_str(),
            ContactAddress::Email(e) => e.as_str(),
            ContactAddress::ViaPerson(v) => v.as_str(),
        }
    }
}

/// A Dutch mobile number, normalised to `+316XXXXXXXX`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DutchMobile(String);

impl DutchMobile {
    /// Accepts `06 12345678`, `06-12345678`, `+31 6 12345678` and `0031612345678`.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let invalid = || {
            FieldError::new(
                "contact",
                "Dit mobiele nummer klopt niet. Een mobiel nummer begint met 06 en heeft 10 cijfers, bijvoorbeeld 06 12345678.",
            )
        };
        // "+31 (0)6 …" writes the trunk zero in brackets: it is not dialled after +31.
        let compact: String = raw
            .trim()
            .replace("(0)", "")
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')'))
            .collect();
        if compact.is_empty() {
            return Err(FieldError::new(
                "contact",
                "Vul je mobiele nummer in, bijvoorbeeld 06 12345678.",
            ));
        }
        let national = if let Some(rest) = compact.strip_prefix("+31") {
            rest.to_owned()
        } else if let Some(rest) = compact.strip_prefix("0031") {
            rest.to_owned()
        } else if let Some(rest) = compact.strip_prefix('0') {
            rest.to_owned()
        } else {
            return Err(invalid());
        };
        // 6 followed by eight digits; 06-7x is used for other services, not for mobiles.
        let digits_ok = national.len() == 9 && national.bytes().all(|b| b.is_ascii_digit());
        if !digits_ok || !national.starts_with('6') || national.as_bytes()[1] == b'7' {
            return Err(invalid());
        }
        Ok(Self(format!("+31{national}")))
    }

    /// The number as `+316XXXXXXXX`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An e-mail address, checked for shape (one `@`, a domain with a dot), lower-cased domain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EmailAddress(String);

impl EmailAddress {
    /// Parses an address such as `sam@voorbeeld.nl`.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(FieldError::new(
                "contact",
                "Vul je e-mailadres in, bijvoorbeeld naam@voorbeeld.nl.",
            ));
        }
        let invalid = || {
            FieldError::new(
                "contact",
                "Dit e-mailadres klopt niet. Een e-mailadres ziet eruit als naam@voorbeeld.nl.",
            )
        };
        let (local, domain) = raw.rsplit_once('@').ok_or_else(invalid)?;
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && local
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c));
        let labels: Vec<&str> = domain.split('.').collect();
        let domain_ok = labels.len() >= 2
            && labels.iter().all(|l| {
                !l.is_empty()
                    && l.len() <= 63
                    && !l.starts_with('-')
                    && !l.ends_with('-')
                    && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            })
            && labels.last().is_some_and(|tld| tld.len() >= 2);
        if !local_ok || !domain_ok || raw.len() > 254 {
            return Err(invalid());
        }
        Ok(Self(format!("{local}@{}", domain.to_ascii_lowercase())))
    }

    /// The address, domain lower-cased.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

macro_rules! wire_string {
    ($($ty:ident),*) => {$(
        impl TryFrom<String> for $ty {
            type Error = String;
            fn try_from(raw: String) -> Result<Self, String> {
                Self::parse(&raw).map_err(|e| e.message)
            }
        }
        impl From<$ty> for String {
            fn from(value: $ty) -> String {
                value.0
            }
        }
    )*};
}
wire_string!(DutchMobile, EmailAddress);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dutch_mobile_numbers_in_every_common_notation_normalise_alike() {
        for raw in [
            "0612345678",
            "06 12 34 56 78",
            "06-12345678",
            "+31 6 12345678",
            "+31612345678",
            "0031612345678",
            "+31 (0)6 12345678",
        ] {
            assert_eq!(
                DutchMobile::parse(raw).unwrap().as_str(),
                "+31612345678",
                "{raw}"
            );
        }
    }

    #[test]
    fn landlines_short_numbers_and_foreign_numbers_are_not_mobiles() {
        for raw in [
            "0101234567",
            "061234567",
            "06123456789",
            "+32612345678",
            "0670123456",
            "06abcdefgh",
        ] {
            assert!(DutchMobile::parse(raw).is_err(), "{raw}");
        }
    }

    #[test]
    fn email_shape_is_checked_and_domain_lowercased() {
        assert_eq!(
            EmailAddress::parse(" Sam.de-Vries@Voorbeeld.NL ")
                .unwrap()
                .as_str(),
            "Sam.de-Vries@voorbeeld.nl"
        );
        for raw in [
            "sam",
            "sam@",
            "@x.nl",
            "sam@x",
            "sam@@x.nl",
            "s am@x.nl",
            "sam@x..nl",
        ] {
            assert!(EmailAddress::parse(raw).is_err(), "{raw}");
        }
    }

    #[test]
    fn channel_decides_which_address_is_valid() {
        assert!(Channel::Whatsapp.parse_address("0612345678").is_ok());
        assert!(Channel::Email.parse_address("0612345678").is_err());
        assert!(Channel::Sms.parse_address("sam@x.nl").is_err());
        assert!(
            Channel::ViaPerson
                .parse_address("Juf Anna, via school")
                .is_ok()
        );
    }
}
