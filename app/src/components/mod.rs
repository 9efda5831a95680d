//! Reusable pieces of the public pages.

mod choice;
mod emergency_help;
mod errors;
mod read_aloud;

pub use choice::{CheckboxGroup, Choice, RadioGroup, options, yes_no};
pub use emergency_help::EmergencyHelp;
pub use errors::{ErrorSummary, FieldErrorText, FormErrors};
pub use read_aloud::ReadAloud;

use leptos::prelude::document;
use leptos::wasm_bindgen::JsCast;

/// Focuses the first element that matches `selector`, if there is one.
pub fn focus_selector(selector: &str) {
    if let Some(el) = document()
        .query_selector(selector)
        .ok()
        .flatten()
        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}

/// Focuses the form field named `field`: the input with that id, or for a group of radio
/// buttons or checkboxes (a fieldset with that id) its first enabled input.
pub fn focus_field(field: &str) {
    let group_input = format!("#{field} input:not([disabled])");
    if document()
        .query_selector(&group_input)
        .ok()
        .flatten()
        .is_some()
    {
        focus_selector(&group_input);
    } else {
        focus_selector(&format!("#{field}"));
    }
}
