//! The form's own sentences, one file per language. Labels of choices, problems, helplines
//! and the promise come from the domain's [`kjr_domain::Words`]; a new language adds a file
//! here and one line in [`texts`].
//!
//! The language is the page's own (`<html lang>`), given to the components through Leptos
//! context ([`use_lang`]).

mod en;
mod nl;

use leptos::prelude::{expect_context, use_context};

pub use kjr_domain::Lang;

/// A sentence that speaks to the person who asks for themself, or about the child an adult
/// asks for.
#[derive(Debug, Clone, Copy)]
pub struct Either {
    /// For the child, the young person or a foster parent asking for themself.
    pub own: &'static str,
    /// For an adult asking on a child's behalf.
    pub for_a_child: &'static str,
}

impl Either {
    /// The one that fits `on_behalf`.
    pub fn pick(self, on_behalf: bool) -> &'static str {
        if on_behalf {
            self.for_a_child
        } else {
            self.own
        }
    }
}

/// Every sentence of the form and its confirmation in one language.
#[derive(Debug)]
pub struct Texts {
    pub yes: &'static str,
    pub no: &'static str,
    pub optional: &'static str,

    pub who_fills_in: &'static str,
    pub who_for: &'static str,
    pub for_myself: &'static str,
    pub for_my_foster_child: &'static str,
    pub child_knows: &'static str,
    pub age: Either,

    pub safe_now: Either,
    pub help_now_title: &'static str,
    /// "Are you (is the child) in danger right now? … call {number}."
    pub in_danger: fn(bool, &str) -> String,
    pub finish_the_form: &'static str,

    pub topics: &'static str,
    pub more_than_one: &'static str,
    pub message: &'static str,
    pub message_hint: &'static str,
    /// "12 of 4000 characters".
    pub counter: fn(usize, usize) -> String,
    pub trusted_person: Either,
    pub nickname: &'static str,
    pub nickname_hint: &'static str,

    pub channel: &'static str,
    pub contact_phone: &'static str,
    pub contact_sms: &'static str,
    pub contact_whatsapp: &'static str,
    pub contact_email: &'static str,
    pub contact_via_person: &'static str,
    pub phone_hint: &'static str,
    pub email_hint: &'static str,
    pub via_person_hint: &'static str,
    pub contact_times: &'static str,
    pub contact_times_hint: &'static str,
    pub leave_message: &'static str,
    pub leave_message_simple: &'static str,
    pub leave_message_hint: &'static str,
    pub never_via_foster_parents: Either,
    pub municipality: Either,
    pub municipality_hint: &'static str,
    pub dont_know: &'static str,

    pub honeypot: &'static str,
    pub honeypot_filled: &'static str,
    pub nothing_to_foster_parents: &'static str,
    pub sending: &'static str,
    pub send_failed: &'static str,
    pub retry: &'static str,
    pub send_button: &'static str,
    pub sending_button: &'static str,
    pub not_sent: &'static str,

    pub error_prefix: &'static str,
    pub summary_title: &'static str,

    pub sent_title: &'static str,
    pub already_arrived: &'static str,
    pub code_intro: &'static str,
    pub keep_code: &'static str,
    pub reference_intro: &'static str,
    pub keep_reference: &'static str,
    pub words_intro: &'static str,
    pub keep_words: &'static str,
    /// [`Texts::keep_words`] where the reference is called a code.
    pub keep_words_code: &'static str,
    pub what_now: &'static str,
    pub to_home: &'static str,
}

/// The sentences of `lang`.
pub fn texts(lang: Lang) -> &'static Texts {
    match lang {
        Lang::Nl => &nl::TEXTS,
        Lang::En => &en::TEXTS,
    }
}

/// The language of the page the form is mounted in.
pub fn use_lang() -> Lang {
    use_context::<Lang>().unwrap_or(Lang::DEFAULT)
}

/// The sentences in the language of the page.
pub fn use_texts() -> &'static Texts {
    texts(expect_context::<Lang>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_its_sentences_and_a_counter() {
        for lang in Lang::ALL {
            let t = texts(*lang);
            assert!(!t.send_button.is_empty() && !t.age.for_a_child.is_empty());
            assert!((t.counter)(12, 4000).contains("4000"));
        }
    }
}
