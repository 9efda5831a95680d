//! The coordinators' overview at `/staff/overzicht`: open requests per team and status,
//! overdue requests, and time to first contact per week (the figures Jeugdstem reports to
//! the ministry; they come from anonymous counts that outlive the requests).

use kjr_domain::staff::{CaseStatus, Overview};
use leptos::prelude::*;

use crate::components::page_opened;
use crate::session::Session;

/// Minutes as hours and minutes: "3 u 20 min".
fn duration(minutes: Option<u32>) -> String {
    match minutes {
        None => "–".into(),
        Some(m) if m < 60 => format!("{m} min"),
        Some(m) => format!("{} u {} min", m / 60, m % 60),
    }
}

/// The overview screen.
#[component]
pub fn OverviewPage() -> impl IntoView {
    let session = Session::use_context();
    page_opened("Overzicht alle teams");
    let overview = session.load::<Overview>(|| "/api/staff/overview".to_owned());
    let open = [
        CaseStatus::New,
        CaseStatus::InProgress,
        CaseStatus::ContactMade,
        CaseStatus::Unreachable,
        CaseStatus::AwaitingApproval,
    ];
    view! {
        <p class="back">
            <a href="/staff">"← Naar de wachtrij"</a>
        </p>
        <h1 tabindex="-1">"Overzicht alle teams"</h1>
        {move || match overview.get() {
            None => view! { <p class="loading">"Laden…"</p> }.into_any(),
            Some(Err(e)) => {
                view! { <p class="feedback failed" role="alert">{e.message()}</p> }.into_any()
            }
            Some(Ok(o)) => {
                view! {
                    <table>
                        <caption>"Open vragen per team en status"</caption>
                        <thead>
                            <tr>
                                <th scope="col">"Team"</th>
                                {open.iter().map(|s| view! { <th scope="col">{s.label()}</th> }).collect_view()}
                                <th scope="col">"Te laat"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {o
                                .teams
                                .into_iter()
                                .map(|t| {
                                    let href = format!("/staff?team={}", t.team.id);
                                    let late = format!("/staff?team={}&overdue=true", t.team.id);
                                    let cells = open
                                        .iter()
                                        .map(|s| {
                                            let n = t.counts.iter().find(|c| c.status == *s).map_or(0, |c| c.count);
                                            view! { <td>{n}</td> }
                                        })
                                        .collect_view();
                                    let late_row = t.overdue > 0;
                                    view! {
                                        <tr class:overdue=late_row>
                                            <th scope="row"><a href=href>{t.team.name}</a></th>
                                            {cells}
                                            <td>
                                                {if t.overdue > 0 {
                                                    view! { <a href=late>{format!("{} te laat", t.overdue)}</a> }.into_any()
                                                } else {
                                                    view! { "0" }.into_any()
                                                }}
                                            </td>
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                    <table>
                        <caption>"Tijd tot het eerste contact, per week (nieuwste eerst)"</caption>
                        <thead>
                            <tr>
                                <th scope="col">"Week"</th>
                                <th scope="col">"Eerste contact"</th>
                                <th scope="col">"Mediaan"</th>
                                <th scope="col">"90% binnen"</th>
                                <th scope="col">"Op tijd"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {o
                                .weeks
                                .into_iter()
                                .map(|w| {
                                    let share = (w.within_deadline * 100)
                                        .checked_div(w.contacted)
                                        .map_or_else(|| "–".to_owned(), |p| format!("{p}%"));
                                    view! {
                                        <tr>
                                            <th scope="row">{w.week}</th>
                                            <td>{w.contacted}</td>
                                            <td>{duration(w.median_minutes)}</td>
                                            <td>{duration(w.p90_minutes)}</td>
                                            <td>{share}</td>
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                    <p>
                        "Deze cijfers blijven bestaan als vragen na de bewaartermijn worden verwijderd: ze bevatten geen gegevens over personen."
                    </p>
                }
                    .into_any()
            }
        }}
    }
}
