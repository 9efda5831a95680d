use kjr_domain::RequestReceipt;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::EmergencyHelp;
use crate::{LastReceipt, set_title};

/// `/bevestiging`: the receipt of the request just sent, from memory. After a reload there is
/// no receipt any more (on purpose), and the page says so without alarming anyone.
#[component]
pub fn Confirmation() -> impl IntoView {
    let receipt = use_context::<LastReceipt>().and_then(|r| r.0.get_untracked());
    match receipt {
        Some(receipt) => view! { <Sent receipt/> }.into_any(),
        None => view! { <NoReceipt/> }.into_any(),
    }
}

#[component]
fn Sent(receipt: RequestReceipt) -> impl IntoView {
    set_title("Je vraag is verstuurd");
    let hours = receipt.respond_within_hours;
    view! {
        <h1 tabindex="-1">"Je vraag is verstuurd"</h1>
        <p>"Je referentie is:"</p>
        <p id="reference" class="reference">
            {receipt.reference.to_string()}
        </p>
        <p>{receipt.next_steps}</p>
        {receipt.urgent.then(|| view! { <EmergencyHelp sent=true/> })}
        <h2>"Wat gebeurt er nu?"</h2>
        <ul>
            <li>
                "Iemand van Jeugdstem neemt contact met je op. "
                "Op de manier en op het moment dat jij hebt gekozen."
            </li>
            <li>{format!("Dat doen we binnen {hours} uur.")}</li>
            <li>
                "Bewaar de referentie of schrijf hem op, maar alleen als dat veilig is voor jou. "
                "Je hebt hem niet nodig om geholpen te worden."
            </li>
        </ul>
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
