use leptos::prelude::*;
use leptos_router::components::A;

use crate::set_title;

/// Any path the app does not know.
#[component]
pub fn NotFound() -> impl IntoView {
    set_title("Pagina niet gevonden");
    view! {
        <h1 tabindex="-1">"Deze pagina bestaat niet"</h1>
        <p>"Misschien is de link oud, of zit er een typfout in. Geen probleem: begin gewoon opnieuw."</p>
        <p>
            <A href="/" {..} class="button">
                "Naar de startpagina"
            </A>
        </p>
    }
}
