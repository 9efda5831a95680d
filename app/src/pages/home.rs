use leptos::prelude::*;
use leptos_router::components::A;

use crate::set_title;

/// `/`: a short welcome and the three ways in. `index.html` has the same content as static
/// HTML; keep the two alike.
#[component]
pub fn Home() -> impl IntoView {
    set_title("Jouw rechten in het pleeggezin");
    view! {
        <h1 tabindex="-1">"Jouw rechten in het pleeggezin"</h1>
        <p>
            "Woon je in een pleeggezin? Dan heb je rechten. "
            "Je mag altijd praten met een vertrouwenspersoon van Jeugdstem. "
            "Dat is iemand die naar je luistert en niet voor je pleeggezin werkt. Het is gratis."
        </p>
        <h2 class="choices-title">"Wie ben jij?"</h2>
        <ul class="choices">
            <li>
                <A href="/jonger-dan-12" {..} class="choice-link">
                    "Ik ben jonger dan 12"
                </A>
            </li>
            <li>
                <A href="/12-plus" {..} class="choice-link">
                    "Ik ben 12 of ouder"
                </A>
            </li>
            <li>
                <A href="/pleegouders" {..} class="choice-link">
                    "Ik ben pleegouder"
                </A>
            </li>
        </ul>
    }
}
