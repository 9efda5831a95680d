use leptos::prelude::*;

use crate::api::Accepted;
use crate::components::EmergencyHelp;
use crate::i18n::{lang, t};
use crate::{SentRequest, set_title};

/// The receipt of the request just sent, from memory: after a reload it is gone (on
/// purpose).
///
/// When and how contact follows comes from the receipt's `urgent` and `respond_within_hours`,
/// worded by the domain (the same words the API sends), so the page makes one promise.
#[component]
pub fn Confirmation(sent: SentRequest) -> impl IntoView {
    let title = t("Je vraag is verstuurd", "Your request has been sent");
    set_title(title);
    let SentRequest {
        accepted: Accepted {
            receipt,
            changes_not_sent,
        },
        simple_words,
    } = sent;
    let (reference_intro, keep_it) = if simple_words {
        (
            t(
                "Dit is je code. Met deze code kan Jeugdstem je vraag terugvinden:",
                "This is your code. With this code, Jeugdstem can find your request again:",
            ),
            t(
                "Schrijf je code alleen op als dat veilig is. \
                 Je hebt de code niet nodig om geholpen te worden.",
                "Only write your code down if that is safe. \
                 You don’t need the code to get help.",
            ),
        )
    } else {
        (
            t("Je referentie is:", "Your reference is:"),
            t(
                "Bewaar de referentie of schrijf hem op, maar alleen als dat veilig is voor jou. \
                 Je hebt hem niet nodig om geholpen te worden.",
                "Keep the reference or write it down, but only if that is safe for you. \
                 You don’t need it to get help.",
            ),
        )
    };
    let next_steps = receipt.next_steps_in(lang());
    view! {
        <h1 tabindex="-1">{title}</h1>
        {changes_not_sent
            .then(|| {
                view! {
                    <p class="notice">
                        {t(
                            "Je vraag was al aangekomen. Wat je daarna nog veranderde, is niet meegestuurd. \
                             Vertel het aan de vertrouwenspersoon.",
                            "Your request had already arrived. What you changed after that was not sent. \
                             Tell the confidant.",
                        )}
                    </p>
                }
            })}
        <p>{reference_intro}</p>
        <p id="reference" class="reference">
            {receipt.reference.to_string()}
        </p>
        <h2>{t("Wat gebeurt er nu?", "What happens now?")}</h2>
        <p>{next_steps}</p>
        {receipt.urgent.then(|| view! { <EmergencyHelp/> })}
        <p>{keep_it}</p>
        <p>
            <a href=t("/", "/en") class="button secondary">
                {t("Naar de startpagina", "Go to the home page")}
            </a>
        </p>
    }
}
