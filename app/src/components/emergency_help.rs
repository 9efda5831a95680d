use kjr_domain::Helpline;
use leptos::prelude::*;

use crate::i18n::{use_lang, use_texts};

/// Numbers to call right now, as big tap-to-call links (in `.emergency`).
///
/// In the form, `on_behalf` says whether an adult asks for a child, and the text around the
/// numbers speaks to them. On the confirmation page (`on_behalf` left out) the numbers stand
/// alone: the receipt's next steps already say that the request goes first.
#[component]
pub fn EmergencyHelp(#[prop(optional)] on_behalf: Option<Signal<bool>>) -> impl IntoView {
    let t = use_texts();
    let words = use_lang().words();
    let in_danger = t.in_danger;
    // Before and after the numbers, only in the form.
    let (before, after) = on_behalf
        .map(|on_behalf| {
            (
                view! {
                    <p>
                        {move || in_danger(on_behalf.get(), Helpline::Emergency.number())}
                    </p>
                },
                view! { <p>{t.finish_the_form}</p> },
            )
        })
        .unzip();
    view! {
        <section class="emergency" aria-labelledby="emergency-title">
            <h2 id="emergency-title">{t.help_now_title}</h2>
            {before}
            <ul class="calls">
                {Helpline::ALL
                    .iter()
                    .map(|h| {
                        let (bold, rest) = words.helpline_call(*h);
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
