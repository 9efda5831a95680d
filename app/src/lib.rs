//! The public portal of Ken je rechten: a Leptos single-page app rendered in the browser.
//!
//! `index.html` carries the home page as plain HTML so the page is useful before the wasm
//! arrives; [`mount`] replaces that static copy with the live app.
//!
//! Nothing here writes to cookies, localStorage, sessionStorage or IndexedDB: a child may be
//! using a phone that a foster parent can see.

pub mod api;
pub mod components;
pub mod content;
pub mod pages;

use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::hooks::use_location;
use leptos_router::path;

use crate::components::{HelpLine, SiteHeader};
use crate::pages::{Confirmation, Home, NotFound, RequestPage, RightsPage};

/// The request that was just sent: in memory only, never in storage or the URL, so a reload
/// or a closed tab leaves no trace of it.
#[derive(Clone, Copy)]
pub struct LastReceipt(pub RwSignal<Option<SentRequest>>);

/// What the confirmation page shows.
#[derive(Clone)]
pub struct SentRequest {
    pub accepted: api::Accepted,
    /// Sent from the form for children under 12: the confirmation uses simpler words.
    pub simple_words: bool,
}

/// The whole app: header, the routed page inside `<main>`, and the help line.
#[component]
pub fn App() -> impl IntoView {
    provide_context(LastReceipt(RwSignal::new(None)));
    view! {
        <Router>
            <SiteHeader/>
            <main>
                <FocusHeadingOnNavigation/>
                <Routes fallback=NotFound>
                    <Route path=path!("") view=Home/>
                    <Route
                        path=path!("jonger-dan-12")
                        view=|| view! { <RightsPage page=&content::UNDER_12 voor="jonger-dan-12"/> }
                    />
                    <Route
                        path=path!("12-plus")
                        view=|| view! { <RightsPage page=&content::TWELVE_PLUS voor="12-plus"/> }
                    />
                    <Route
                        path=path!("pleegouders")
                        view=|| view! { <RightsPage page=&content::FOSTER_PARENT voor="pleegouder"/> }
                    />
                    <Route path=path!("vraag") view=RequestPage/>
                    <Route path=path!("bevestiging") view=Confirmation/>
                </Routes>
            </main>
            <HelpLine/>
        </Router>
    }
}

/// After a client-side navigation, moves focus to the new page's `<h1>` so screen readers
/// announce the page, as a full page load would.
#[component]
fn FocusHeadingOnNavigation() -> impl IntoView {
    let location = use_location();
    Effect::new(move |previous: Option<String>| {
        let path = location.pathname.get();
        if previous.is_some_and(|p| p != path) {
            // Wait a frame: the new route's view is rendered after this effect runs.
            request_animation_frame(|| components::focus_selector("main h1"));
        }
        path
    });
}

/// Sets the document title to "`page` – Ken je rechten".
pub fn set_title(page: &str) {
    document().set_title(&format!("{page} – Ken je rechten"));
}

/// Replaces the static copy of the home page in `#app` with the live app.
pub fn mount() {
    let root = document()
        .get_element_by_id("app")
        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok());
    match root {
        Some(root) => {
            root.set_inner_html("");
            leptos::mount::mount_to(root, App).forget();
        }
        None => leptos::mount::mount_to_body(App),
    }
}
