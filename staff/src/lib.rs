//! The staff workspace of Ken je rechten: a Leptos app rendered in the browser under
//! `/staff`, a bundle of its own that the child's pages never load.
//!
//! Jeugdstem's confidants sign in, see their team's queue, open a request, take it, record
//! contact attempts, notes and status changes, and read its audit trail. Everything comes from
//! the staff API (see [`api`]) in the shared types of `kjr_domain::staff`. Nothing is kept in
//! storage: the session is an HttpOnly cookie, and the CSRF token lives in memory only.

pub mod api;
pub mod components;
pub mod filter;
pub mod pages;
pub mod session;
pub mod time;

use kjr_domain::staff::{Role, StaffMe};
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::hooks::use_navigate;
use leptos_router::path;

use crate::components::focus_after_render;
use crate::pages::{AuditPage, NotFound, OverviewPage, QueuePage, RequestPage, SignInPage};
use crate::session::{Auth, Session};

/// The phase of the session, without who: the pages are rebuilt only when it changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Checking,
    SignedOut,
    SignedIn,
}

/// The whole app: the sign-in screen until someone is signed in, then the pages.
#[component]
pub fn App() -> impl IntoView {
    let session = Session::new();
    provide_context(session);
    leptos::task::spawn_local(async move {
        let auth = match session.get::<StaffMe>(api::ME).await {
            Ok(me) => Auth::SignedIn(Box::new(me)),
            Err(_) => Auth::SignedOut { expired: false },
        };
        session.auth.set(auth);
    });
    let phase = Memo::new(move |_| match session.auth.get() {
        Auth::Checking => Phase::Checking,
        Auth::SignedOut { .. } => Phase::SignedOut,
        Auth::SignedIn(_) => Phase::SignedIn,
    });
    view! {
        <Router>
            <a class="skip-link" href="#main" rel="external">"Naar de inhoud"</a>
            {move || match phase.get() {
                Phase::Checking => {
                    view! {
                        <main id="main" class="page">
                            <p class="loading">"Laden…"</p>
                        </main>
                    }
                        .into_any()
                }
                Phase::SignedOut => view! { <SignInPage/> }.into_any(),
                Phase::SignedIn => view! { <SignedIn/> }.into_any(),
            }}
        </Router>
    }
}

/// The bar on top and the pages, for someone who is signed in.
#[component]
fn SignedIn() -> impl IntoView {
    let session = Session::use_context();
    // Back to where the person was when the session was lost.
    if let Some(path) = session.return_to.get_untracked() {
        session.return_to.set(None);
        if path != session::current_path() {
            use_navigate()(&path, Default::default());
        }
    }
    view! {
        <TopBar/>
        <main id="main" class="page" tabindex="-1">
            <Routes fallback=|| view! { <NotFound/> }>
                <Route path=path!("/staff") view=QueuePage/>
                <Route path=path!("/staff/requests/:id") view=RequestPage/>
                <Route path=path!("/staff/requests/:id/audit") view=AuditPage/>
                <Route path=path!("/staff/overzicht") view=OverviewPage/>
            </Routes>
        </main>
    }
}

/// Who is signed in, in which team, and "Uitloggen".
#[component]
fn TopBar() -> impl IntoView {
    let session = Session::use_context();
    let signing_out = RwSignal::new(false);
    let failed = RwSignal::new(None::<String>);
    let navigate = use_navigate();
    let sign_out = move |_| {
        signing_out.set(true);
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            match session.delete(api::SESSION).await {
                Ok(()) | Err(api::ApiError::Unauthenticated) => {
                    session.return_to.set(None);
                    session.auth.set(Auth::SignedOut { expired: false });
                    // A fresh start at the queue for whoever signs in next.
                    navigate(
                        "/staff",
                        leptos_router::NavigateOptions {
                            replace: true,
                            ..Default::default()
                        },
                    );
                }
                Err(e) => {
                    failed.set(Some(e.message()));
                    focus_after_render("#sign-out-error");
                }
            }
            signing_out.set(false);
        });
    };
    let who = move || {
        session.me().map(|me| {
            let team = me.team.as_ref().map(|t| session.team_name(t));
            let role = match me.role {
                Role::Coordinator => "coördinator",
                Role::Confidant => "vertrouwenspersoon",
            };
            match team {
                Some(team) => format!("{} ({role}, {team})", me.who.name),
                None => format!("{} ({role})", me.who.name),
            }
        })
    };
    view! {
        <header class="topbar">
            <a class="brand" href="/staff">"Jeugdstem · vragen"</a>
            {move || {
                session
                    .me()
                    .filter(|me| me.role == Role::Coordinator)
                    .map(|_| view! { <a class="overview-link" href="/staff/overzicht">"Overzicht alle teams"</a> })
            }}
            <p class="who">"Ingelogd als " {who}</p>
            <button type="button" class="secondary" on:click=sign_out disabled=signing_out>
                "Uitloggen"
            </button>
            {move || {
                failed
                    .get()
                    .map(|m| {
                        view! {
                            <p id="sign-out-error" class="feedback failed" role="alert" tabindex="-1">
                                {m}
                            </p>
                        }
                    })
            }}
        </header>
    }
}

/// Mounts the app into `#staff` (the page's placeholder).
pub fn start() {
    let Some(root) = document()
        .get_element_by_id("staff")
        .and_then(|el| leptos::wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el).ok())
    else {
        return;
    };
    root.set_inner_html("");
    leptos::mount::mount_to(root, App).forget();
}
