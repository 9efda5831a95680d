use leptos::prelude::*;

use crate::api::Accepted;
use crate::components::{EmergencyHelp, ReadAloud};
use crate::i18n::{use_lang, use_texts};
use crate::{SentRequest, set_title};

/// The receipt of the request just sent, from memory: after a reload it is gone (on
/// purpose).
///
/// When and how contact follows comes from the receipt's `urgent` and `respond_within_hours`,
/// worded by the domain (the same words the API sends), so the page makes one promise.
#[component]
pub fn Confirmation(sent: SentRequest) -> impl IntoView {
    let lang = use_lang();
    let t = use_texts();
    set_title(t.sent_title);
    let SentRequest {
        accepted: Accepted {
            receipt,
            changes_not_sent,
        },
        simple_words,
    } = sent;
    let (reference_intro, keep_it, keep_words) = if simple_words {
        (t.code_intro, t.keep_code, t.keep_words_code)
    } else {
        (t.reference_intro, t.keep_reference, t.keep_words)
    };
    let home = match lang.path_prefix() {
        "" => "/",
        prefix => prefix,
    };
    view! {
        <h1 tabindex="-1">{t.sent_title}</h1>
        {changes_not_sent.then(|| view! { <p class="notice">{t.already_arrived}</p> })}
        // Read aloud as a voice should say it: the reference letter by letter, the words with
        // a pause between them.
        <ReadAloud text="receipt"/>
        <div id="receipt">
            <p>{reference_intro}</p>
            <p id="reference" class="reference" data-say=receipt.reference.spelled()>
                {receipt.reference.to_string()}
            </p>
            {receipt.code_words.clone().map(|words| {
                let said = format!("{}.", words.split(' ').collect::<Vec<_>>().join(", "));
                view! {
                    <p>{t.words_intro}</p>
                    <p id="code-words" class="reference code-words" data-say=said>
                        {words}
                    </p>
                    <p>{keep_words}</p>
                }
            })}
        </div>
        <h2>{t.what_now}</h2>
        <p>{receipt.next_steps_in(lang)}</p>
        {receipt.urgent.then(|| view! { <EmergencyHelp/> })}
        // With the website, the reference is needed to read the reply (said above).
        {(!receipt.replies_on_website).then(|| view! { <p>{keep_it}</p> })}
        <p>
            <a href=home class="button secondary">
                {t.to_home}
            </a>
        </p>
    }
}
