//! A request's whole audit trail, views and exports included, with each event's place in the
//! hash chain.

use kjr_domain::RequestId;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::{self, AuditTrail};
use crate::components::page_opened;
use crate::pages::request::history::describe;
use crate::session::Session;
use crate::time::date_time;

/// The first characters of a hash: enough to compare by eye.
fn short(hash: &str) -> &str {
    hash.get(..12).unwrap_or(hash)
}

/// The audit screen at `/staff/requests/:id/audit`.
#[component]
pub fn AuditPage() -> impl IntoView {
    let session = Session::use_context();
    page_opened("Audit-trail");
    let id = use_params_map().with_untracked(|p| p.get("id").and_then(|id| RequestId::parse(&id)));
    let Some(id) = id else {
        return view! {
            <h1 tabindex="-1">"Deze vraag bestaat niet"</h1>
            <p><a href="/staff">"Naar de wachtrij"</a></p>
        }
        .into_any();
    };
    let url = api::request_url(&id, Some("audit"));
    let trail = session.load::<AuditTrail>(move || url.clone());

    let heading = move || match trail.get() {
        Some(Ok(t)) => format!("Audit-trail van {}", t.reference),
        _ => "Audit-trail".into(),
    };
    let back = format!("/staff/requests/{id}");
    let csv = format!("{}?format=csv", api::request_url(&id, Some("audit")));
    view! {
        <p class="back">
            <a href=back>"← Terug naar de vraag"</a>
        </p>
        <h1 tabindex="-1">{heading}</h1>
        <p>
            "Elke gebeurtenis, ook wie de vraag bekeek. Elke regel bevat de hash van de vorige, zodat achteraf wijzigen opvalt. "
            <a href=csv download>"Download als CSV"</a>
        </p>
        {move || match trail.get() {
            None => view! { <p class="loading">"Laden…"</p> }.into_any(),
            Some(Err(e)) => view! { <p class="feedback failed" role="alert">{e.message()}</p> }.into_any(),
            Some(Ok(t)) => {
                view! {
                    <table class="audit">
                        <caption>{format!("{} gebeurtenissen, oudste eerst", t.entries.len())}</caption>
                        <thead>
                            <tr>
                                <th scope="col">"Nr."</th>
                                <th scope="col">"Tijd"</th>
                                <th scope="col">"Wie"</th>
                                <th scope="col">"Wat"</th>
                                <th scope="col">"Hash"</th>
                                <th scope="col">"Vorige hash"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {t
                                .entries
                                .into_iter()
                                .map(|e| {
                                    let (what, details) = describe(&e, session);
                                    let who = e.actor.as_ref().map_or_else(|| "Systeem".to_owned(), |a| a.name.clone());
                                    view! {
                                        <tr>
                                            <td>{e.seq}</td>
                                            <td>{date_time(e.at)}</td>
                                            <td>{who}</td>
                                            <td>
                                                {what}
                                                {details
                                                    .into_iter()
                                                    .map(|d| view! { <span class="detail">{d}</span> })
                                                    .collect_view()}
                                            </td>
                                            <td><code>{short(&e.hash).to_owned()}</code></td>
                                            <td><code>{short(&e.prev_hash).to_owned()}</code></td>
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                }
                    .into_any()
            }
        }}
    }
    .into_any()
}
