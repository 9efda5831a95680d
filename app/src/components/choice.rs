use kjr_domain::{
    AgeBand, AskerKind, Channel, ChildKnows, ContactTime, Field, Lang, SafeNow, Topic,
};
use leptos::prelude::*;

use super::{FieldErrorText, FormErrors};
use crate::i18n::{texts, use_lang};

/// A value a person can pick in the form: its wire name (for ids and `value`) and its label.
pub trait Choice: Copy + PartialEq + Send + Sync + 'static {
    /// The stable name (`child`, `yes`).
    fn wire(self) -> &'static str;
    /// What the person reads, in `lang`.
    fn label(self, lang: Lang) -> &'static str;
}

macro_rules! domain_choices {
    ($($ty:ty),*) => {$(
        impl Choice for $ty {
            fn wire(self) -> &'static str {
                self.as_str()
            }
            fn label(self, lang: Lang) -> &'static str {
                <$ty>::label(self, lang)
            }
        }
    )*};
}

domain_choices!(
    AskerKind,
    ChildKnows,
    AgeBand,
    Topic,
    ContactTime,
    SafeNow,
    Channel
);

/// Yes and no.
impl Choice for bool {
    fn wire(self) -> &'static str {
        if self { "yes" } else { "no" }
    }
    fn label(self, lang: Lang) -> &'static str {
        let t = texts(lang);
        if self { t.yes } else { t.no }
    }
}

/// Every value of `all` with its label in the page's language.
pub fn options<T: Choice>(all: &[T]) -> Vec<(T, &'static str)> {
    let lang = use_lang();
    all.iter().map(|&v| (v, v.label(lang))).collect()
}

/// Yes, then no.
pub fn yes_no() -> Vec<(bool, &'static str)> {
    options(&[true, false])
}

/// One fieldset (`id=<field>`) of radio buttons or checkboxes (`id=<field>-<wire value>`)
/// with its legend, hint and error message. Not generic, so its rendering code exists once in
/// the wasm whatever the types of the groups.
#[component]
fn Inputs(
    field: Field,
    kind: &'static str,
    legend: Signal<&'static str>,
    hint: Option<&'static str>,
    errors: FormErrors,
    /// (wire value, label) of each input.
    items: Vec<(&'static str, &'static str)>,
    /// Whether input `i` is checked (reactive).
    checked: Callback<usize, bool>,
    /// Input `i` was changed to checked or not.
    changed: Callback<(usize, bool)>,
) -> impl IntoView {
    view! {
        <fieldset
            id=field.as_str()
            class="group"
            aria-invalid=errors.invalid(field)
            aria-describedby=errors.described_by(field, hint.is_some())
        >
            <legend>{legend}</legend>
            {hint.map(|h| view! { <p class="hint" id=format!("{field}-hint")>{h}</p> })}
            <FieldErrorText field errors/>
            {items
                .into_iter()
                .enumerate()
                .map(|(i, (value, label))| {
                    let id = format!("{field}-{value}");
                    view! {
                        <div class="choice">
                            <input
                                type=kind
                                id=id.clone()
                                name=field.as_str()
                                value=value
                                prop:checked=move || checked.run(i)
                                on:change=move |ev| changed.run((i, event_target_checked(&ev)))
                            />
                            <label for=id>{label}</label>
                        </div>
                    }
                })
                .collect_view()}
        </fieldset>
    }
}

/// The wire values and labels of `choices`, and the values themselves.
fn split<T: Choice>(
    choices: Vec<(T, &'static str)>,
) -> (Vec<(&'static str, &'static str)>, StoredValue<Vec<T>>) {
    let items = choices.iter().map(|(v, l)| (v.wire(), *l)).collect();
    let values = StoredValue::new(choices.into_iter().map(|(v, _)| v).collect());
    (items, values)
}

/// One answer from a list of radio buttons.
#[component]
pub fn RadioGroup<T: Choice>(
    field: Field,
    #[prop(into)] legend: Signal<&'static str>,
    choices: Vec<(T, &'static str)>,
    selected: RwSignal<Option<T>>,
    errors: FormErrors,
    #[prop(optional)] hint: Option<&'static str>,
) -> impl IntoView {
    let (items, values) = split(choices);
    let value = move |i: usize| values.with_value(|v| v[i]);
    let checked = Callback::new(move |i| selected.get() == Some(value(i)));
    let changed = Callback::new(move |(i, _)| selected.set(Some(value(i))));
    view! { <Inputs field kind="radio" legend hint errors items checked changed/> }
}

/// Any number of answers from a list of checkboxes; the chosen ones are kept in the list's
/// order, whatever the order of ticking.
#[component]
pub fn CheckboxGroup<T: Choice>(
    field: Field,
    #[prop(into)] legend: Signal<&'static str>,
    choices: Vec<(T, &'static str)>,
    selected: RwSignal<Vec<T>>,
    errors: FormErrors,
    #[prop(optional)] hint: Option<&'static str>,
) -> impl IntoView {
    let (items, values) = split(choices);
    let checked =
        Callback::new(move |i| values.with_value(|v| selected.with(|s| s.contains(&v[i]))));
    let changed = Callback::new(move |(i, on): (usize, bool)| {
        selected.update(|s| {
            *s = values.with_value(|all| {
                all.iter()
                    .enumerate()
                    .filter(|(j, v)| if *j == i { on } else { s.contains(v) })
                    .map(|(_, v)| *v)
                    .collect()
            });
        });
    });
    view! { <Inputs field kind="checkbox" legend hint errors items checked changed/> }
}
