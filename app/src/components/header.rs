use leptos::prelude::*;
use leptos_router::components::A;

/// Where "Snel weg" goes: an ordinary, neutral site.
const QUICK_EXIT_URL: &str = "https://www.google.nl/";

/// The site name (a link home) and the quick-exit link.
#[component]
pub fn SiteHeader() -> impl IntoView {
    view! {
        <header class="site-header">
            <A href="/" exact=true {..} class="site-name">
                "Ken je rechten"
            </A>
            <a class="quick-exit" href=QUICK_EXIT_URL rel="noreferrer" on:click=quick_exit>
                "Snel weg"
            </a>
        </header>
    }
}

/// Leaves the site without adding this page to the back history.
fn quick_exit(ev: leptos::ev::MouseEvent) {
    ev.prevent_default();
    let _ = window().location().replace(QUICK_EXIT_URL);
}
