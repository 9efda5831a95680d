use kjr_domain::{Field, FieldError, Lang, Perspective};
use leptos::html::Div;
use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;

use super::focus_field;
use crate::i18n::texts;

/// The problems of the form: per field (typed, worded in the page's language by their code)
/// and in general.
#[derive(Clone, Copy)]
pub struct FormErrors {
    /// Problems per field, in form order.
    pub fields: RwSignal<Vec<FieldError>>,
    /// A problem with the whole request (from the API), shown at the top.
    pub general: RwSignal<Option<String>>,
    /// Whose situation the messages speak about.
    pub perspective: RwSignal<Perspective>,
    /// The language the messages are shown in.
    pub lang: Lang,
}

impl FormErrors {
    /// No problems yet; messages will be in `lang`.
    pub fn new(lang: Lang) -> Self {
        Self {
            lang,
            fields: RwSignal::new(Vec::new()),
            general: RwSignal::new(None),
            perspective: RwSignal::new(Perspective::Own),
        }
    }

    /// The message for `field`, if it has a problem (reactive).
    pub fn message(self, field: Field) -> Option<String> {
        let perspective = self.perspective.get();
        self.fields.with(|errors| {
            errors
                .iter()
                .find(|e| e.field == field)
                .map(|e| e.message(self.lang, perspective))
        })
    }

    /// Whether `field` has a problem (reactive).
    pub fn has(self, field: Field) -> bool {
        self.fields
            .with(|errors| errors.iter().any(|e| e.field == field))
    }

    /// Whether there is nothing to show (reactive).
    pub fn is_empty(self) -> bool {
        self.fields.with(Vec::is_empty) && self.general.with(Option::is_none)
    }

    /// Replaces every problem at once; field problems are shown in form order.
    pub fn set(self, general: Option<String>, mut fields: Vec<FieldError>) {
        fields.sort_by_key(|e| e.field.form_position());
        self.general.set(general);
        self.fields.set(fields);
    }

    /// `aria-invalid` for `field`: `Some("true")` while it has a problem.
    pub fn invalid(self, field: Field) -> impl Fn() -> Option<&'static str> + Copy {
        move || self.has(field).then_some("true")
    }

    /// `aria-describedby` for `field`: its hint `<field>-hint` (if `has_hint`) and, while it
    /// has a problem, its error message `<field>-error`.
    pub fn described_by(self, field: Field, has_hint: bool) -> impl Fn() -> Option<String> + Copy {
        move || {
            let hint = has_hint.then(|| format!("{field}-hint"));
            let error = self.has(field).then(|| format!("{field}-error"));
            match (hint, error) {
                (Some(h), Some(e)) => Some(format!("{h} {e}")),
                (h, e) => h.or(e),
            }
        }
    }
}

/// The error message of one field, shown right next to it (id `<field>-error`).
#[component]
pub fn FieldErrorText(field: Field, errors: FormErrors) -> impl IntoView {
    move || {
        errors.message(field).map(|message| {
            view! {
                <p class="field-error" id=format!("{field}-error")>
                    <span class="visually-hidden">{texts(errors.lang).error_prefix}</span>
                    {message}
                </p>
            }
        })
    }
}

/// A problem as the summary lists it, "<label>: <message>", so that two problems with the same
/// message (such as "Kies ja of nee") still read differently.
fn summary_line(e: &FieldError, lang: Lang, perspective: Perspective) -> String {
    format!("{}: {}", e.field.label(lang), e.message(lang, perspective))
}

/// The list of problems at the top of the form, each a link to its field. Announced at once
/// (`aria-live="assertive"`) when it appears.
#[component]
pub fn ErrorSummary(errors: FormErrors, summary_ref: NodeRef<Div>) -> impl IntoView {
    // One click handler for all links (a handler per link costs more code): focus the field
    // instead of only scrolling to it.
    let on_click = |ev: leptos::ev::MouseEvent| {
        let field = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| el.closest("a").ok().flatten())
            .and_then(|a| a.get_attribute("href"));
        if let Some(field) = field.as_deref().and_then(|href| href.strip_prefix('#')) {
            ev.prevent_default();
            focus_field(field);
        }
    };
    view! {
        <div
            id="error-summary"
            tabindex="-1"
            aria-live="assertive"
            node_ref=summary_ref
            on:click=on_click
        >
            {move || {
                if errors.is_empty() {
                    return None;
                }
                let general = errors.general.get().map(|m| view! { <p>{m}</p> });
                let perspective = errors.perspective.get();
                let items = errors
                    .fields
                    .get()
                    .into_iter()
                    .map(|e| {
                        view! {
                            <li>
                                <a href=format!("#{}", e.field)>{summary_line(&e, errors.lang, perspective)}</a>
                            </li>
                        }
                    })
                    .collect_view();
                Some(
                    view! {
                        <div class="error-summary">
                            <h2>{texts(errors.lang).summary_title}</h2>
                            {general}
                            <ul>{items}</ul>
                        </div>
                    },
                )
            }}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kjr_domain::Problem;

    #[test]
    fn summary_lines_name_their_field() {
        let e = FieldError::new(Field::HasTrustedPerson, Problem::Required);
        let own = Perspective::Own;
        assert_eq!(
            summary_line(&e, Lang::Nl, own),
            "Iemand om te vertrouwen: Kies ja of nee."
        );
        assert_eq!(
            summary_line(&e, Lang::En, own),
            "Someone to trust: Choose yes or no."
        );
        let other = FieldError::new(Field::MayLeaveMessage, Problem::Required);
        assert_ne!(
            summary_line(&e, Lang::Nl, own),
            summary_line(&other, Lang::Nl, own)
        );
    }
}
