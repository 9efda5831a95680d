use kjr_domain::Field;
use leptos::prelude::*;

use super::{FieldErrorText, FormErrors};

/// A choice shown in a group: its wire value and its label.
pub type Choice = (&'static str, &'static str);

/// One answer from a list: a fieldset (`id=<field>`) of radio buttons
/// (`id=<field>-<wire value>`), with its error message next to it.
#[component]
pub fn RadioGroup(
    field: Field,
    #[prop(into)] legend: TextProp,
    choices: Vec<Choice>,
    selected: RwSignal<Option<&'static str>>,
    errors: FormErrors,
    #[prop(optional)] hint: Option<&'static str>,
) -> impl IntoView {
    view! {
        <fieldset
            id=field.as_str()
            class="group"
            aria-invalid=errors.invalid(field)
            aria-describedby=errors.described_by(field, hint.is_some())
        >
            <legend>{move || legend.get()}</legend>
            {hint.map(|h| view! { <p class="hint" id=format!("{field}-hint")>{h}</p> })}
            <FieldErrorText field errors/>
            {choices
                .into_iter()
                .map(|(value, label)| {
                    let id = format!("{field}-{value}");
                    view! {
                        <div class="choice">
                            <input
                                type="radio"
                                id=id.clone()
                                name=field.as_str()
                                value=value
                                prop:checked=move || selected.get() == Some(value)
                                on:change=move |_| selected.set(Some(value))
                            />
                            <label for=id>{label}</label>
                        </div>
                    }
                })
                .collect_view()}
        </fieldset>
    }
}

/// Any number of answers from a list: a fieldset (`id=<field>`) of checkboxes
/// (`id=<field>-<wire value>`), with its error message next to it.
#[component]
pub fn CheckboxGroup(
    field: Field,
    #[prop(into)] legend: TextProp,
    choices: Vec<Choice>,
    selected: RwSignal<Vec<&'static str>>,
    errors: FormErrors,
    #[prop(optional)] hint: Option<&'static str>,
) -> impl IntoView {
    view! {
        <fieldset
            id=field.as_str()
            class="group"
            aria-invalid=errors.invalid(field)
            aria-describedby=errors.described_by(field, hint.is_some())
        >
            <legend>{move || legend.get()}</legend>
            {hint.map(|h| view! { <p class="hint" id=format!("{field}-hint")>{h}</p> })}
            <FieldErrorText field errors/>
            {choices
                .into_iter()
                .map(|(value, label)| {
                    let id = format!("{field}-{value}");
                    view! {
                        <div class="choice">
                            <input
                                type="checkbox"
                                id=id.clone()
                                name=field.as_str()
                                value=value
                                prop:checked=move || selected.with(|s| s.contains(&value))
                                on:change=move |ev| {
                                    let checked = event_target_checked(&ev);
                                    selected
                                        .update(|s| {
                                            s.retain(|v| *v != value);
                                            if checked {
                                                s.push(value);
                                            }
                                        });
                                }
                            />
                            <label for=id>{label}</label>
                        </div>
                    }
                })
                .collect_view()}
        </fieldset>
    }
}
