use leptos::prelude::*;

/// Numbers to call right now, as big tap-to-call links.
///
/// `sent` says whether the request has already been sent (confirmation page) or can still be
/// sent (form).
#[component]
pub fn EmergencyHelp(#[prop(optional)] sent: bool) -> impl IntoView {
    let first = if sent {
        "Je vraag gaat voor: we pakken hem als eerste op. \
         Ben je nu in gevaar? Wacht dan niet, maar bel meteen."
    } else {
        "Ben je nu in gevaar? Wacht dan niet, maar bel meteen."
    };
    view! {
        <section class="emergency" aria-labelledby="emergency-title">
            <h2 id="emergency-title">"Hulp die je nu kunt bellen"</h2>
            <p>{first}</p>
            <ul class="calls">
                <li>
                    <a class="call" href="tel:112">
                        <strong>"Bel 112"</strong>
                        " als je nu in gevaar bent"
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
            {(!sent)
                .then(|| {
                    view! {
                        <p>
                            "Je kunt dit formulier ook gewoon afmaken en versturen. "
                            "Dan gaat jouw vraag voor: we pakken hem als eerste op."
                        </p>
                    }
                })}
        </section>
    }
}
