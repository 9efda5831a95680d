//! The language of the form: the page's own (`<html lang>`), read once per mount (see
//! [`crate::mount`]). Labels, problems, helplines and the promise come from the domain's
//! [`kjr_domain::Words`] by their codes; the form's own sentences are pairs here.

use std::cell::Cell;

pub use kjr_domain::Lang;

thread_local! {
    /// The language of the mounted form.
    static LANG: Cell<Lang> = const { Cell::new(Lang::DEFAULT) };
}

/// Sets the language of the form (before it is mounted).
pub fn set_lang(lang: Lang) {
    LANG.with(|l| l.set(lang));
}

/// The language of the form.
pub fn lang() -> Lang {
    LANG.with(Cell::get)
}

/// `nl` or `en`, in the language of the form.
pub fn t(nl: &'static str, en: &'static str) -> &'static str {
    match lang() {
        Lang::Nl => nl,
        Lang::En => en,
    }
}
