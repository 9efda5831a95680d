use leptos::prelude::*;

use crate::api::Accepted;
use crate::components::EmergencyHelp;
use crate::{SentRequest, set_title};

/// The receipt of the request just sent, from memory: after a reload it is gone (on
/// purpose).
///
/// When and how contact follows comes only from the API's `next_steps`, so the page makes
/// one promise, not two that could differ.
#[component]
pub fn Confirmation(sent: SentRequest) -> impl IntoView {
    set_title("Je vraag is verstuurd");
    let SentRequest {
        accepted: Accepted {
            receipt,
            changes_not_sent,
        },
        simple_words,
    } = sent;
    let (reference_intro, keep_it) = if simple_words {
        (
            "Dit is je code. Met deze code kan Jeugdstem je vraag terugvinden:",
            "Schrijf je code alleen op als dat veilig is. \
             Je hebt de code niet nodig om geholpen te worden.",
        )
    } else {
        (
            "Je referentie is:",
            "Bewaar de referentie of schrijf hem op, maar alleen als dat veilig is voor jou. \
             Je hebt hem niet nodig om geholpen te worden.",
        )
    };
    view! {
        <h1 tabindex="-1">"Je vraag is verstuurd"</h1>
        {changes_not_sent
            .then(|| {
                view! {
                    <p class="notice">
                        "Je vraag was al aangekomen. Wat je daarna nog veranderde, is niet meegestuurd. "
                        "Vertel het aan de vertrouwenspersoon."
                    </p>
                }
            })}
        <p>{reference_intro}</p>
        <p id="reference" class="reference">
            {receipt.reference.to_string()}
        </p>
        <h2>"Wat gebeurt er nu?"</h2>
        <p>{receipt.next_steps}</p>
        {receipt.urgent.then(|| view! { <EmergencyHelp/> })}
        <p>{keep_it}</p>
        <p>
            <a href="/" class="button secondary">
                "Naar de startpagina"
            </a>
        </p>
    }
}
