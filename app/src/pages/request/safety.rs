//! "Ben je nu veilig?"

use kjr_domain::{Field, SafeNow};
use leptos::prelude::*;

use crate::components::{EmergencyHelp, FormErrors, RadioGroup, options};
use crate::i18n::use_texts;

/// "Are you safe right now?" Answering "No" shows the emergency numbers at once, before
/// sending.
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
            <div hidden=Signal::derive(move || selected.get() != Some(SafeNow::No))>
                <EmergencyHelp on_behalf/>
            </div>
        </div>
    }
}
