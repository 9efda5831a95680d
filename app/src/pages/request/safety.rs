//! "Ben je nu veilig?"

use kjr_domain::{Field, SafeNow};
use leptos::prelude::*;

use crate::components::{EmergencyHelp, FormErrors, RadioGroup, options};
use crate::i18n::use_texts;

/// "Are you safe right now?" Answering "No" or "I don't know" shows the emergency numbers at
/// once, before sending (as the picture route does): someone who is not sure they are safe
/// should not have to wait for the confidant to learn where help is now.
#[component]
pub fn SafeNowQuestion(
    selected: RwSignal<Option<SafeNow>>,
    errors: FormErrors,
    on_behalf: Signal<bool>,
) -> impl IntoView {
    let question = use_texts().safe_now;
    view! {
        <RadioGroup
            field=Field::SafeNow
            legend=Signal::derive(move || question.pick(on_behalf.get()))
            choices=options(SafeNow::ALL)
            selected
            errors
        />
        // Always in the page and shown by un-hiding, which a live region announces as an
        // addition: cheaper in code than inserting it.
        <div id="safe_now-help" aria-live="polite">
            <div hidden=Signal::derive(move || {
                !matches!(selected.get(), Some(SafeNow::No | SafeNow::NotSure))
            })>
                <EmergencyHelp on_behalf/>
            </div>
        </div>
    }
}
