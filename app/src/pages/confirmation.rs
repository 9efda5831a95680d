use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::Accepted;
use crate::components::EmergencyHelp;
use crate::{LastReceipt, SentRequest, set_title};

/// `/bevestiging`: the receipt of the request just sent, from memory. After a reload there is
/// no receipt any more (on purpose), and the page says so without alarming anyone.
#[component]
pub fn Confirmation() -> impl IntoView {
    let sent = use_context::<LastReceipt>().and_then(|r| r.0.get_untracked());
    match sent {
        Some(sent) => view! { <Sent sent/> }.into_any(),
        None => view! { <NoReceipt/> }.into_any(),
    }
}

/// When and how contact follows comes only from the API's `next_steps`, so the page makes
/// one promise, not two that could differ.
#[component]
fn Sent(sent: SentRequest) -> impl IntoView {
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
            <A href="/" {..} class="button secondary">
                "Naar de startpagina"
            </A>
        </p>
    }
}

#[component]
fn NoReceipt() -> impl IntoView {
    set_title("Je vraag");
    view! {
        <h1 tabindex="-1">"Je vraag"</h1>
        <p>
            "Zag je net de melding ‘Je vraag is verstuurd’? Dan is je vraag aangekomen. "
            "Je referentie staat niet meer op deze pagina. Dat is zo gemaakt om je privacy te beschermen."
        </p>
        <p>"Weet je niet zeker of het gelukt is? Of wil je iets anders vragen? Stel je vraag dan opnieuw."</p>
        <p>
            <A href="/vraag" {..} class="button">
                "Stel een vraag"
            </A>
        </p>
    }
}
