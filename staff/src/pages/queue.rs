//! The team's queue: counts per status, filters, and a table of requests (urgent first, then
//! oldest), with the time left until first contact is due.

use kjr_domain::staff::{CaseStatus, Queue, QueueFilter, QueuePage as Page, QueueRow};
use kjr_domain::{AgeBand, AskerKind, Lang, TeamId, Topic};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api;
use crate::components::{Choice, ChoiceSelect, Clock, asker_and_age, name_or_nobody, page_opened};
use crate::filter::{self, to_query};
use crate::session::Session;
use crate::time::{date_time, time_left};

/// The queue screen at `/staff`; its filters are the query string.
#[component]
pub fn QueuePage() -> impl IntoView {
    let session = Session::use_context();
    page_opened("Wachtrij");
    let query = use_query_map();
    let filter = Memo::new(move |_| {
        query.with(|q| filter::from_query(q.latest_values().map(|(k, v)| (k.as_ref(), v))))
    });
    let clock = Clock::new();
    let page = session.load::<Page>(move || api::queue_url(&filter.get()));
    Effect::new(move |_| {
        page.with(|page| {
            if let Some(Ok(page)) = page {
                clock.sync(page.now);
            }
        })
    });

    // Coordinators see every team unless they choose one; confidants see their own.
    let heading = move || {
        let team = match filter.get().team {
            Some(team) => Some(team),
            None if session.is_coordinator() => None,
            None => session.me().and_then(|me| me.team),
        };
        match team.map(|t| session.team_name(&t)) {
            Some(team) => format!("Wachtrij van {team}"),
            None => "Wachtrij van alle teams".to_owned(),
        }
    };
    view! {
        <h1 tabindex="-1">{heading}</h1>
        <StatusCounts filter page/>
        <Filters filter/>
        {move || match page.get() {
            None => view! { <p class="loading">"Wachtrij laden…"</p> }.into_any(),
            Some(Err(e)) => {
                view! {
                    <p class="feedback failed" role="alert">
                        {e.message()}
                    </p>
                }
                    .into_any()
            }
            Some(Ok(page)) => view! { <QueueTable page filter clock/> }.into_any(),
        }}
    }
}

/// Open requests per status, each a link that filters on it.
#[component]
fn StatusCounts(filter: Memo<QueueFilter>, page: api::Loaded<Page>) -> impl IntoView {
    let link = move |status: Option<CaseStatus>| {
        let mut f = filter.get();
        f.status = status;
        f.cursor = None;
        format!("/staff{}", to_query(&f))
    };
    let current =
        move |status: Option<CaseStatus>| (filter.get().status == status).then_some("page");
    view! {
        <nav class="counts" aria-label="Per status">
            <ul>
                <li>
                    <a href=move || link(None) aria-current=move || current(None)>
                        "Alle open"
                    </a>
                </li>
                {move || {
                    page.get()
                        .and_then(Result::ok)
                        .map(|p| {
                            p.counts
                                .into_iter()
                                .map(|c| {
                                    let status = Some(c.status);
                                    view! {
                                        <li>
                                            <a href=move || link(status) aria-current=move || current(status)>
                                                {c.status.label()}
                                                " "
                                                <span class="count">{c.count}</span>
                                            </a>
                                        </li>
                                    }
                                })
                                .collect_view()
                        })
                }}
            </ul>
        </nav>
    }
}

/// The filter form; "Filteren" puts the choice in the address (and so in the history).
#[component]
fn Filters(filter: Memo<QueueFilter>) -> impl IntoView {
    let session = Session::use_context();
    let navigate = use_navigate();
    let status = RwSignal::new(None::<CaseStatus>);
    let urgency = RwSignal::new(None::<Queue>);
    let asker = RwSignal::new(None::<AskerKind>);
    let age_band = RwSignal::new(None::<AgeBand>);
    let topic = RwSignal::new(None::<Topic>);
    let municipality = RwSignal::new(String::new());
    let overdue = RwSignal::new(false);
    let team = RwSignal::new(String::new());
    // The form shows what the address says (after Back, or a count link).
    Effect::new(move |_| {
        let f = filter.get();
        status.set(f.status);
        urgency.set(f.urgency);
        asker.set(f.asker);
        age_band.set(f.age_band);
        topic.set(f.topic);
        municipality.set(f.municipality.unwrap_or_default());
        overdue.set(f.overdue == Some(true));
        team.set(f.team.map(|t| t.0).unwrap_or_default());
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let chosen = QueueFilter {
            status: status.get_untracked(),
            urgency: urgency.get_untracked(),
            asker: asker.get_untracked(),
            age_band: age_band.get_untracked(),
            topic: topic.get_untracked(),
            municipality: Some(municipality.get_untracked().trim().to_owned()),
            overdue: Some(overdue.get_untracked()),
            team: Some(TeamId(team.get_untracked())),
            ..QueueFilter::default()
        };
        navigate(&format!("/staff{}", to_query(&chosen)), Default::default());
    };
    let teams = move || {
        session.is_coordinator().then(|| {
            let teams = session.me().map(|me| me.teams).unwrap_or_default();
            view! {
                <p class="field">
                    <label for="f-team">"Team"</label>
                    <select id="f-team" on:change=move |ev| team.set(event_target_value(&ev))>
                        <option value="" prop:selected=move || team.get().is_empty()>
                            "Alle teams"
                        </option>
                        {teams
                            .into_iter()
                            .map(|t| {
                                let id = t.id.0.clone();
                                let selected = move || team.get() == id;
                                view! {
                                    <option value=t.id.0.clone() prop:selected=selected>
                                        {t.name}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </p>
            }
        })
    };
    view! {
        <form class="filters" on:submit=on_submit>
            <fieldset>
                <legend>"Filters"</legend>
                <div class="filter-grid">
                    <ChoiceSelect
                        id="f-status"
                        label="Status"
                        options=CaseStatus::all().to_vec()
                        value=status
                        none="Alle open"
                    />
                    <ChoiceSelect
                        id="f-urgency"
                        label="Urgentie"
                        options=Queue::all().to_vec()
                        value=urgency
                        none="Alle"
                    />
                    <ChoiceSelect
                        id="f-asker"
                        label="Wie vraagt"
                        options=AskerKind::all().to_vec()
                        value=asker
                        none="Iedereen"
                    />
                    <ChoiceSelect
                        id="f-age"
                        label="Leeftijd"
                        options=AgeBand::all().to_vec()
                        value=age_band
                        none="Alle leeftijden"
                    />
                    <ChoiceSelect
                        id="f-topic"
                        label="Onderwerp"
                        options=Topic::all().to_vec()
                        value=topic
                        none="Alle onderwerpen"
                    />
                    <p class="field">
                        <label for="f-municipality">"Gemeente"</label>
                        <input
                            id="f-municipality"
                            type="text"
                            prop:value=municipality
                            on:input=move |ev| municipality.set(event_target_value(&ev))
                        />
                    </p>
                    {teams}
                    <p class="field check">
                        <input
                            id="f-overdue"
                            type="checkbox"
                            prop:checked=overdue
                            on:change=move |ev| overdue.set(event_target_checked(&ev))
                        />
                        <label for="f-overdue">"Alleen te laat"</label>
                    </p>
                </div>
                <p class="actions">
                    <button type="submit">"Filteren"</button>
                    <a href="/staff">"Filters wissen"</a>
                </p>
            </fieldset>
        </form>
    }
}

/// Whether first contact is overdue at `now`.
fn is_overdue(row: &QueueRow, now: kjr_domain::Timestamp) -> bool {
    row.status.is_open() && row.first_contact_at.is_none() && row.due_at < now
}

/// The rows, and "Volgende pagina".
#[component]
fn QueueTable(page: Page, filter: Memo<QueueFilter>, clock: Clock) -> impl IntoView {
    let session = Session::use_context();
    let show_team = session.is_coordinator();
    let next = page.next_cursor.clone().map(|cursor| {
        let mut f = filter.get_untracked();
        f.cursor = Some(cursor);
        format!("/staff{}", to_query(&f))
    });
    let first = filter.get_untracked().cursor.is_some().then(|| {
        let mut f = filter.get_untracked();
        f.cursor = None;
        format!("/staff{}", to_query(&f))
    });
    if page.rows.is_empty() {
        return view! { <p class="empty">"Geen vragen die bij deze filters passen."</p> }
            .into_any();
    }
    let rows = page
        .rows
        .into_iter()
        .map(|row| {
            let urgent = row.urgency == Queue::Urgent;
            let overdue = {
                let row = row.clone();
                move || is_overdue(&row, clock.now())
            };
            let overdue2 = overdue.clone();
            let deadline = {
                let row = row.clone();
                move || match row.first_contact_at {
                    Some(at) => format!("Contact gehad {}", date_time(at)),
                    None if !row.status.is_open() => date_time(row.due_at),
                    None => format!("{} ({})", date_time(row.due_at), time_left(row.due_at, clock.now())),
                }
            };
            let topics = row
                .topics
                .iter()
                .map(|t| t.label(Lang::Nl))
                .collect::<Vec<_>>()
                .join(", ");
            let team = show_team.then(|| view! { <td>{session.team_name(&row.team)}</td> });
            view! {
                <tr class:urgent=urgent class:overdue=overdue.clone()>
                    <th scope="row">
                        <a href=format!("/staff/requests/{}", row.id)>{row.reference.to_string()}</a>
                    </th>
                    <td>{date_time(row.received_at)}</td>
                    <td>
                        {if urgent {
                            view! { <span class="badge urgent">"SPOED"</span> }.into_any()
                        } else {
                            view! { "Normaal" }.into_any()
                        }}
                    </td>
                    <td>{asker_and_age(row.asker, row.age_band)}</td>
                    <td>{topics}</td>
                    <td>
                        {row.unanswered_message.then(|| view! { <span class="badge message">"Nieuw bericht"</span> " " })}
                        {row.status.label()}
                    </td>
                    <td>{name_or_nobody(row.claimed_by.as_ref())}</td>
                    {team}
                    <td>
                        {move || overdue2().then(|| view! { <span class="badge late">"Te laat"</span> " " })}
                        {deadline}
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="queue">
            <caption>"Vragen, met spoed eerst en dan de oudste"</caption>
            <thead>
                <tr>
                    <th scope="col">"Referentie"</th>
                    <th scope="col">"Binnengekomen"</th>
                    <th scope="col">"Urgentie"</th>
                    <th scope="col">"Wie vraagt, leeftijd"</th>
                    <th scope="col">"Onderwerpen"</th>
                    <th scope="col">"Status"</th>
                    <th scope="col">"Opgepakt door"</th>
                    {show_team.then(|| view! { <th scope="col">"Team"</th> })}
                    <th scope="col">"Deadline eerste contact"</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
        <nav class="pages" aria-label="Pagina's">
            {first.map(|href| view! { <a href=href>"Eerste pagina"</a> })}
            {next.map(|href| view! { <a href=href rel="next">"Volgende pagina"</a> })}
        </nav>
    }
    .into_any()
}
