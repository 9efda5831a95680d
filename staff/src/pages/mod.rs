//! One file per screen.

mod audit;
mod overview;
mod queue;
mod request;
mod sign_in;

pub use audit::AuditPage;
pub use overview::OverviewPage;
pub use queue::QueuePage;
pub use request::RequestPage;
pub use sign_in::SignInPage;

use leptos::prelude::*;

use crate::components::page_opened;

/// An address under `/staff` that is no screen.
#[component]
pub fn NotFound() -> impl IntoView {
    page_opened("Pagina niet gevonden");
    view! {
        <h1 tabindex="-1">"Deze pagina bestaat niet"</h1>
        <p>
            <a href="/staff">"Naar de wachtrij"</a>
        </p>
    }
}
