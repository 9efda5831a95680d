//! Where the child lives, so the request reaches the team of that region.

use kjr_domain::{Field, municipalities};
use leptos::prelude::*;

use crate::components::{FieldErrorText, FormErrors};
use crate::i18n::use_texts;

/// The municipality, picked from the bundled list, or "Weet ik niet" ("I don’t know").
#[component]
pub fn MunicipalityField(
    name: RwSignal<String>,
    unknown: RwSignal<bool>,
    errors: FormErrors,
    on_behalf: Signal<bool>,
) -> impl IntoView {
    let t = use_texts();
    let question = t.municipality;
    view! {
        <div class="field">
            <label for="municipality">{Signal::derive(move || question.pick(on_behalf.get()))}</label>
            <p class="hint" id="municipality-hint">{t.municipality_hint}</p>
            <FieldErrorText field=Field::Municipality errors/>
            <input
                type="text"
                id="municipality"
                name="municipality"
                list="gemeenten"
                autocomplete="off"
                bind:value=name
                disabled=unknown
                aria-invalid=errors.invalid(Field::Municipality)
                aria-describedby=errors.described_by(Field::Municipality, true)
            />
            <datalist id="gemeenten">
                {municipalities()
                    .iter()
                    .map(|m| view! { <option value=m.name()></option> })
                    .collect_view()}
            </datalist>
            <div class="choice">
                <input
                    type="checkbox"
                    id="municipality-unknown"
                    name="municipality-unknown"
                    bind:checked=unknown
                />
                <label for="municipality-unknown">{t.dont_know}</label>
            </div>
        </div>
    }
}
