use leptos::prelude::*;

use crate::api::Accepted;
use crate::components::EmergencyHelp;
use crate::i18n::{Lang, lang, t};
use crate::{SentRequest, set_title};

/// The receipt of the request just sent, from memory: after a reload it is gone (on
/// purpose).
///
/// When and how contact follows comes only from the API's receipt, so the page makes one
/// promise, not two that could differ: its Dutch `next_steps`, or on English pages the same
/// promise in English, built from the receipt's `urgent` and `respond_within_hours`.
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
    let next_steps = match lang() {
        Lang::Nl => receipt.next_steps,
        Lang::En => next_steps_en(receipt.urgent, receipt.respond_within_hours),
    };
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

/// The API's `next_steps` in English: the same promise, from the same receipt fields
/// (api/src/routes/requests.rs writes whole days as days).
fn next_steps_en(urgent: bool, hours: u32) -> String {
    let within = match hours {
        1 => "within 1 hour".to_owned(),
        24 => "within 1 day".to_owned(),
        h if h >= 24 && h % 24 == 0 => format!("within {} days", h / 24),
        h => format!("within {h} hours"),
    };
    if urgent {
        format!(
            "Your request goes first. A confidant from Jeugdstem will try to contact you {within}, \
             in the way you chose. Are you in danger right now? Then call 112 straight away."
        )
    } else {
        format!(
            "A confidant from Jeugdstem will contact you {within}, in the way and at the time \
             you chose."
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_next_steps_make_the_same_promise_as_the_receipt() {
        assert_eq!(
            next_steps_en(true, 4),
            "Your request goes first. A confidant from Jeugdstem will try to contact you \
             within 4 hours, in the way you chose. Are you in danger right now? Then call 112 \
             straight away."
        );
        assert_eq!(
            next_steps_en(false, 72),
            "A confidant from Jeugdstem will contact you within 3 days, in the way and at the \
             time you chose."
        );
        assert!(next_steps_en(false, 24).contains("within 1 day,"));
        assert!(next_steps_en(true, 1).contains("within 1 hour,"));
        assert!(next_steps_en(false, 36).contains("within 36 hours,"));
    }
}
