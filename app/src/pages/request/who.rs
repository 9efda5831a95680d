//! Who asks, whether the child knows, and how old the child is.

use kjr_domain::{AgeBand, AskerKind, Audience, ChildKnows, Field};
use leptos::prelude::*;

use super::answers::{Answers, asks_age};
use crate::components::{FormErrors, RadioGroup, options};
use crate::i18n::use_texts;

/// "Who is filling in this form?" — not asked when the form was opened from a child's page;
/// a foster parent chooses between asking for themself and for their foster child.
#[component]
pub fn AskerQuestion(voor: Option<Audience>, a: Answers, errors: FormErrors) -> impl IntoView {
    let t = use_texts();
    match voor {
        Some(Audience::Under12 | Audience::TwelvePlus) => None,
        Some(Audience::FosterParent) => Some(
            view! {
                <RadioGroup
                    field=Field::Asker
                    legend=t.who_for
                    choices=vec![
                        (AskerKind::FosterParent, t.for_myself),
                        (AskerKind::OnBehalf, t.for_my_foster_child),
                    ]
                    selected=a.asker
                    errors
                />
            }
            .into_any(),
        ),
        Some(Audience::Professional) | None => Some(
            view! {
                <RadioGroup
                    field=Field::Asker
                    legend=t.who_fills_in
                    choices=options(AskerKind::ALL)
                    selected=a.asker
                    errors
                />
            }
            .into_any(),
        ),
    }
}

/// Whether the child knows (only for an adult asking for a child) and the child's age (once we
/// know whose age it is).
#[component]
pub fn ChildQuestions(a: Answers, errors: FormErrors, on_behalf: Signal<bool>) -> impl IntoView {
    let t = use_texts();
    let not_on_behalf = Signal::derive(move || !on_behalf.get());
    let age_hidden = Signal::derive(move || !asks_age(a.asker.get()));
    let age = t.age;
    view! {
        <div hidden=not_on_behalf>
            <RadioGroup
                field=Field::ChildKnows
                legend=t.child_knows
                choices=options(ChildKnows::ALL)
                selected=a.child_knows
                errors
            />
        </div>
        <div hidden=age_hidden>
            <RadioGroup
                field=Field::AgeBand
                legend=Signal::derive(move || age.pick(on_behalf.get()))
                choices=options(AgeBand::ALL)
                selected=a.age_band
                errors
            />
        </div>
    }
}
