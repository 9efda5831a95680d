//! The languages people read the portal in, and the one place their words live.
//!
//! A language is a [`Lang`] value plus one file in `i18n/` that implements [`Words`]; the
//! compiler then asks for every text the domain shows. The site and the app keep their own
//! page texts the same way (one file per language).

use crate::RequestReceipt;
use crate::{
    AgeBand, ApiProblem, AskerKind, Channel, ChildKnows, ContactTime, Feeling, Field, FieldError,
    Helpline, Perspective, SafeNow, Topic,
};

/// Writing direction of a language, for the `dir` attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Left to right.
    Ltr,
    /// Right to left (Arabic, Hebrew, …).
    Rtl,
}

impl Direction {
    /// The value of a `dir` attribute.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Ltr => "ltr",
            Direction::Rtl => "rtl",
        }
    }
}

crate::wire_enum! {
    /// A language the portal is written in. The first is the default.
    pub enum Lang {
        /// Dutch, the main language.
        Nl = "nl",
        /// English.
        En = "en",
    }
}

impl Lang {
    /// The language pages are in when nothing else is said.
    pub const DEFAULT: Lang = Lang::Nl;

    /// The BCP 47 tag for `lang` attributes.
    pub fn tag(self) -> &'static str {
        self.as_str()
    }

    /// The language of a `lang` attribute (`en-GB` is English); the default if unknown.
    pub fn from_tag(tag: &str) -> Self {
        let primary = tag.split(['-', '_']).next().unwrap_or("");
        Self::ALL
            .iter()
            .copied()
            .find(|l| l.tag().eq_ignore_ascii_case(primary))
            .unwrap_or(Self::DEFAULT)
    }

    /// How pages in this language run.
    pub fn dir(self) -> Direction {
        self.words().direction()
    }

    /// The start of every route in this language: `` for the default, `/en` for English.
    pub fn path_prefix(self) -> &'static str {
        if self == Self::DEFAULT {
            ""
        } else {
            self.words().path_prefix()
        }
    }

    /// The language of a request path, by its first segment.
    pub fn of_path(path: &str) -> Self {
        Self::ALL
            .iter()
            .copied()
            .filter(|l| *l != Self::DEFAULT)
            .find(|l| {
                let prefix = l.path_prefix();
                path == prefix || path.starts_with(&format!("{prefix}/"))
            })
            .unwrap_or(Self::DEFAULT)
    }

    /// Every other language (for a language switch).
    pub fn others(self) -> impl Iterator<Item = Lang> {
        Self::ALL.iter().copied().filter(move |l| *l != self)
    }

    /// This language's words.
    pub fn words(self) -> &'static dyn Words {
        match self {
            Lang::Nl => &crate::i18n::nl::Dutch,
            Lang::En => &crate::i18n::en::English,
        }
    }
}

/// The texts of the "Lees voor" control, the same on the site's pages and on the form's
/// confirmation.
#[derive(Debug, Clone, Copy)]
pub struct ReadAloudWords {
    /// The name of the group of buttons, for screen readers.
    pub label: &'static str,
    pub play: &'static str,
    pub pause: &'static str,
    pub resume: &'static str,
    pub stop: &'static str,
    /// Said when the device has no voice of this language (it never reads with another one).
    pub no_voice: &'static str,
    pub failed: &'static str,
    /// The voice's language tag (`nl-NL`); `nl_NL` matches it too.
    pub voice: &'static str,
}

/// Every text of the domain in one language: labels, problems, the promise, helplines.
pub trait Words: Sync {
    /// Writing direction.
    fn direction(&self) -> Direction;
    /// The first segment of this language's routes (`/en`); unused for the default language.
    fn path_prefix(&self) -> &'static str;
    /// The language's own name, for a language switch ("English", "Nederlands").
    fn name(&self) -> &'static str;

    /// A field's name as the form calls it, for error summaries.
    fn field(&self, field: Field) -> &'static str;
    /// What is wrong with a field and how to fix it.
    fn problem(&self, error: &FieldError, perspective: Perspective) -> String;
    /// A general problem of the API.
    fn api_problem(&self, problem: &ApiProblem) -> String;
    /// Names the fields the API does not know.
    fn unknown_fields(&self, names: &[String]) -> String;

    /// Choice labels.
    fn asker(&self, value: AskerKind) -> &'static str;
    /// Choice labels.
    fn child_knows(&self, value: ChildKnows) -> &'static str;
    /// Choice labels.
    fn age_band(&self, value: AgeBand) -> &'static str;
    /// Choice labels.
    fn topic(&self, value: Topic) -> &'static str;
    /// Choice labels.
    fn contact_time(&self, value: ContactTime) -> &'static str;
    /// Choice labels.
    fn safe_now(&self, value: SafeNow) -> &'static str;
    /// Choice labels.
    fn feeling(&self, value: Feeling) -> &'static str;
    /// Choice labels.
    fn channel(&self, value: Channel) -> &'static str;

    /// A day in words: "dinsdag 9 december" (weekday 1 = Monday, month 1 = January).
    fn day_in_words(&self, weekday: u8, day: u8, month: u8) -> String;

    /// The promise on the confirmation page: who makes contact, how, and by when (a day and a
    /// time when the API computed one from the working hours), and what to do if nobody has.
    /// A person who reads the replies on the website is told where to find them.
    fn next_steps(&self, receipt: &RequestReceipt) -> String;

    /// A helpline as a footer link ("Veilig Thuis 0800-2000").
    fn helpline_short(&self, helpline: Helpline) -> String;
    /// A helpline in running text ("Veilig Thuis: 0800-2000"): its own name, which is the
    /// same in most languages.
    fn helpline_inline(&self, helpline: Helpline) -> String {
        let n = helpline.number();
        match helpline {
            Helpline::Emergency => n.to_owned(),
            Helpline::VeiligThuis => format!("Veilig Thuis: {n}"),
            Helpline::Kindertelefoon => format!("De Kindertelefoon: {n}"),
        }
    }
    /// A helpline as a big call button: the bold part and the rest.
    fn helpline_call(&self, helpline: Helpline) -> (String, String);

    /// The read-aloud control.
    fn read_aloud(&self) -> &'static ReadAloudWords;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lang_attributes_and_paths_name_their_language() {
        assert_eq!(Lang::from_tag("en-GB"), Lang::En);
        assert_eq!(Lang::from_tag("EN"), Lang::En);
        assert_eq!(Lang::from_tag("nl"), Lang::Nl);
        assert_eq!(Lang::from_tag("e"), Lang::DEFAULT);
        assert_eq!(Lang::of_path("/en"), Lang::En);
        assert_eq!(Lang::of_path("/en/ask"), Lang::En);
        assert_eq!(Lang::of_path("/english"), Lang::Nl);
        assert_eq!(Lang::of_path("/vraag"), Lang::Nl);
    }

    #[test]
    fn every_language_has_a_distinct_prefix_and_a_direction() {
        let prefixes: std::collections::HashSet<_> =
            Lang::ALL.iter().map(|l| l.path_prefix()).collect();
        assert_eq!(prefixes.len(), Lang::ALL.len());
        for l in Lang::ALL {
            assert!(!l.dir().as_str().is_empty());
            assert_eq!(Lang::of_path(&format!("{}/x", l.path_prefix())), *l);
        }
    }
}
