use leptos::prelude::*;

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
                                "Is het kind nu in gevaar? Wacht dan niet, maar bel meteen 112."
                            } else {
                                "Ben je nu in gevaar? Wacht dan niet, maar bel meteen 112."
                            }
                        })}
                    </p>
                },
                view! {
                    <p>
                        "Je kunt dit formulier ook gewoon afmaken en versturen. "
                        "Dan gaat jouw vraag voor: we pakken hem als eerste op."
                    </p>
                },
            )
        })
        .unzip();
    view! {
        <section class="emergency" aria-labelledby="emergency-title">
            <h2 id="emergency-title">"Hulp die je nu kunt bellen"</h2>
            {before}
            <ul class="calls">
                <li>
                    <a class="call" href="tel:112">
                        <strong>"Bel 112"</strong>
                        " als er nu gevaar is"
                    </a>
                </li>
                <li>
                    <a class="call" href="tel:08002000">
                        <strong>"Veilig Thuis"</strong>
                        " 0800-2000, gratis, dag en nacht"
                    </a>
                </li>
                <li>
                    <a class="call" href="tel:08000432">
                        <strong>"De Kindertelefoon"</strong>
                        " 0800-0432, gratis"
                    </a>
                </li>
            </ul>
            {after}
        </section>
    }
}
