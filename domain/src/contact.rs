//! How Jeugdstem may reach the person who asks: a channel and the matching address.

use serde::{Deserialize, Serialize};

use crate::{Field, FieldError, Problem, ViaPerson};

crate::wire_enum! {
    /// The way the person wants to be contacted.
    pub enum Channel {
        /// A phone call.
        Phone = "phone",
        /// A text message.
        Sms = "sms",
        /// A WhatsApp message.
        Whatsapp = "whatsapp",
        /// An e-mail.
        Email = "email",
        /// Through a person the child names (a teacher, a grandparent, …).
        ViaPerson = "via_person",
        /// Nobody is contacted: the person reads the confidant's replies on this website
        /// themself, with the reference and the code words of the confirmation.
        OnWebsite = "on_website",
    }
}

impl Channel {
    /// Whether the address is a mobile number (and a message could be left on it).
    pub fn has_phone_number(self) -> bool {
        matches!(self, Channel::Phone | Channel::Sms | Channel::Whatsapp)
    }

    /// Whether Jeugdstem reaches out at all: not for [`Channel::OnWebsite`], where the person
    /// comes to read the replies (so no address, no safe times, no messages left).
    pub fn reaches_out(self) -> bool {
        self != Channel::OnWebsite
    }

    /// Parses the address typed for this channel.
    pub fn parse_address(self, raw: &str) -> Result<ContactAddress, FieldError> {
        let problem = |problem| FieldError::new(Field::Contact, problem);
        if self == Channel::OnWebsite {
            // No address is asked: one sent anyway is not stored.
            return if raw.trim().is_empty() {
                Ok(ContactAddress::OnWebsite)
            } else {
                Err(problem(Problem::MustBeEmpty))
            };
        }
        if raw.trim().is_empty() {
            return Err(problem(Problem::ContactRequired { channel: self }));
        }
        let invalid = || problem(Problem::InvalidContact { channel: self });
        match self {
            Channel::Phone | Channel::Sms | Channel::Whatsapp => DutchMobile::parse(raw)
                .map(ContactAddress::Mobile)
                .ok_or_else(invalid),
            Channel::Email => EmailAddress::parse(raw)
                .map(ContactAddress::Email)
                .ok_or_else(invalid),
            Channel::ViaPerson => ViaPerson::parse(raw).map(ContactAddress::ViaPerson),
            Channel::OnWebsite => Ok(ContactAddress::OnWebsite),
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
    /// No address: the person reads the replies on the website.
    OnWebsite,
}

impl ContactAddress {
    /// The address as text, normalised.
    pub fn as_str(&self) -> &str {
        match self {
            ContactAddress::Mobile(m) => m.as_str(),
            ContactAddress::Email(e) => e.as_str(),
            ContactAddress::ViaPerson(v) => v.as_str(),
            ContactAddress::OnWebsite => "",
        }
    }
}

/// A Dutch mobile number, normalised to `+316XXXXXXXX`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DutchMobile(String);

impl DutchMobile {
    /// Accepts `06 12345678`, `06-12345678`, `+31 6 12345678` and `0031612345678`.
    pub fn parse(raw: &str) -> Option<Self> {
        // "+31 (0)6 …" writes the trunk zero in brackets: it is not dialled after +31.
        let compact: String = raw
            .trim()
            .replace("(0)", "")
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')'))
            .collect();
        let national = compact
            .strip_prefix("+31")
            .or_else(|| compact.strip_prefix("0031"))
            .or_else(|| compact.strip_prefix('0'))?;
        // 6 followed by eight digits; 06-7x is used for other services, not for mobiles.
        let digits_ok = national.len() == 9 && national.bytes().all(|b| b.is_ascii_digit());
        (digits_ok && national.starts_with('6') && national.as_bytes()[1] != b'7')
            .then(|| Self(format!("+31{national}")))
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
    pub fn parse(raw: &str) -> Option<Self> {
        let raw = raw.trim();
        let (local, domain) = raw.rsplit_once('@')?;
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
        (local_ok && domain_ok && raw.len() <= 254)
            .then(|| Self(format!("{local}@{}", domain.to_ascii_lowercase())))
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
                Self::parse(&raw).ok_or_else(|| format!("not a valid {}", stringify!($ty)))
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
            assert!(DutchMobile::parse(raw).is_none(), "{raw}");
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
            assert!(EmailAddress::parse(raw).is_none(), "{raw}");
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

    #[test]
    fn the_website_takes_no_address() {
        assert_eq!(
            Channel::OnWebsite.parse_address("  "),
            Ok(ContactAddress::OnWebsite)
        );
        assert_eq!(
            Channel::OnWebsite
                .parse_address("0612345678")
                .unwrap_err()
                .problem,
            Problem::MustBeEmpty
        );
        assert!(!Channel::OnWebsite.has_phone_number());
        assert!(!Channel::OnWebsite.reaches_out());
    }
}
