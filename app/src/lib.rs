//! The request form of Ken je rechten: a Leptos app rendered in the browser.
//!
//! The public pages are static HTML from `kjr-site`, painted before any script runs. On the
//! form page (`/vraag`, `/en/ask`) this app mounts the form into `#app`, below the page's own
//! heading, and shows the confirmation in its place once the request is sent. It speaks the
//! page's language, given to every component through context (see [`i18n`]).
//!
//! Nothing here writes to cookies, localStorage, sessionStorage or IndexedDB: a child may be
//! using a phone that a foster parent can see.

pub mod api;
pub mod components;
pub mod i18n;
pub mod pages;

use std::cell::RefCell;

use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use leptos::wasm_bindgen::closure::Closure;

use crate::i18n::Lang;
use crate::pages::{Confirmation, RequestPage};

/// The request that was just sent: in memory only, never in storage or the URL, so a reload
/// or a closed tab leaves no trace of it.
#[derive(Clone, Copy)]
pub struct LastReceipt(pub RwSignal<Option<SentRequest>>);

/// What the confirmation shows.
#[derive(Clone)]
pub struct SentRequest {
    pub accepted: api::Accepted,
    /// Sent from the form for children under 12: the confirmation uses simpler words.
    pub simple_words: bool,
}

/// The form, then (once sent) the confirmation in its place, in the page's language.
#[component]
pub fn App(lang: Lang) -> impl IntoView {
    let sent = RwSignal::new(None);
    provide_context(lang);
    provide_context(LastReceipt(sent));
    move || match sent.get() {
        None => view! { <RequestPage/> }.into_any(),
        Some(sent) => {
            // The page's own heading and intro belong to the form; the confirmation has its
            // own heading, which takes focus so a screen reader announces the new state.
            if let Some(intro) = document().get_element_by_id("page-intro") {
                let _ = intro.set_attribute("hidden", "");
            }
            request_animation_frame(|| components::focus_selector("#app h1"));
            view! { <Confirmation sent/> }.into_any()
        }
    }
}

/// Sets the document title to "`page` – Ken je rechten".
pub fn set_title(page: &str) {
    document().set_title(&format!("{page} – Ken je rechten"));
}

thread_local! {
    /// The mounted app, dropped (unmounted) when the page is mounted again.
    static MOUNTED: RefCell<Option<Box<dyn std::any::Any>>> = const { RefCell::new(None) };
}

/// Mounts the app into `#app` (replacing the "loading" text), if the page has one.
pub fn mount() {
    let Some(root) = document()
        .get_element_by_id("app")
        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return;
    };
    MOUNTED.with(|m| m.borrow_mut().take());
    // Read on every mount: `site.js` can load the form page in another language.
    let lang = document()
        .document_element()
        .and_then(|html| html.get_attribute("lang"))
        .map_or(Lang::DEFAULT, |tag| Lang::from_tag(&tag));
    root.set_inner_html("");
    let handle = leptos::mount::mount_to(root, move || view! { <App lang/> });
    MOUNTED.with(|m| *m.borrow_mut() = Some(Box::new(handle)));
}

/// Mounts the app now and again whenever `site.js` loads the form page into the document.
pub fn start() {
    mount();
    let again = Closure::<dyn Fn()>::new(mount);
    let _ = document().add_event_listener_with_callback("kjr:page", again.as_ref().unchecked_ref());
    again.forget();
}
