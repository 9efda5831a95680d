use leptos::prelude::*;

use kjr_domain::Helpline;

use crate::i18n::{lang, t};

/// Numbers to call right now, as big tap-to-call links (in `.emergency`).
///
/// In the form, `on_behalf` says whether an adult asks for a child, and the text around the
/// numbers speaks to them. On the confirmation page (`on_behalf` left out) the numbers stand
/// alone: the receipt's next steps already say that the request goes first.
#[component]
pub fn EmergencyHelp(#[prop(optional)] on_behalf: Option<Signal<bool>>) -> impl IntoView {
    // Before and after the numbers, only in the form.
    let (before, after) = on_behalf
        .map(|on_behalf| {
            (
                view! {
                    <p>
                        {Signal::derive(move || {
                            if on_behalf.get() {
                                t(
                                    "Is het kind nu in gevaar? Wacht dan niet, maar bel meteen 112.",
                                    "Is the child in danger right now? Don’t wait: call 112 straight away.",
                                )
                            } else {
                                t(
                                    "Ben je nu in gevaar? Wacht dan niet, maar bel meteen 112.",
                                    "Are you in danger right now? Don’t wait: call 112 straight away.",
                                )
                            }
                        })}
                    </p>
                },
                view! {
                    <p>
                        {t(
                            "Je kunt dit formulier ook gewoon afmaken en versturen. \
                             Dan gaat jouw vraag voor: we pakken hem als eerste op.",
                            "You can also just finish this form and send it. \
                             Then your request goes first: we pick it up before all others.",
                        )}
                    </p>
                },
            )
        })
        .unzip();
    view! {
        <section class="emergency" aria-labelledby="emergency-title">
            <h2 id="emergency-title">
                {t("Hulp die je nu kunt bellen", "Help you can call right now")}
            </h2>
            {before}
            <ul class="calls">
                {Helpline::ALL
                    .iter()
                    .map(|h| {
                        let (bold, rest) = lang().words().helpline_call(*h);
                        view! {
                            <li>
                                <a class="call" href=h.tel_href()>
                                    <strong>{bold}</strong>
                                    {rest}
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            {after}
        </section>
    }
}
