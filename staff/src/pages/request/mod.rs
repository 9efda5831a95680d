//! One request: the contact preferences first, then what the person told, the actions, and
//! the handling so far.

mod actions;
mod casework;
pub mod history;

use kjr_domain::staff::{ContactView, Queue, RequestView};
use kjr_domain::{Channel, Lang, RequestId, SafeNow};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use serde::Serialize;

use crate::api::{self, ApiError};
use crate::components::{Clock, Feedback, name_or_nobody, page_opened};
use crate::session::Session;
use crate::time::{date_time, time_left};

use actions::Actions;
use history::History;

/// The request being shown, and how to change it.
#[derive(Clone, Copy)]
pub struct Case {
    id: StoredValue<RequestId>,
    /// The request as the server last sent it.
    pub view: RwSignal<Option<RequestView>>,
    session: Session,
    /// Every form's feedback, emptied when a new change is sent (so no old "saved" stays).
    feedback: StoredValue<Vec<RwSignal<Option<Feedback>>>>,
}

impl Case {
    /// The request's id.
    pub fn id(self) -> RequestId {
        self.id.get_value()
    }

    /// A form's feedback line, emptied whenever any form sends a change.
    pub fn feedback(self) -> RwSignal<Option<Feedback>> {
        let line = RwSignal::new(None);
        self.feedback.update_value(|all| all.push(line));
        line
    }

    /// Opens the request (the server records that it was viewed).
    pub async fn load(self) -> Result<(), ApiError> {
        let view = self
            .session
            .get::<RequestView>(&api::request_url(&self.id(), None))
            .await?;
        self.view.set(Some(view));
        Ok(())
    }

    /// Sends `body` to the request's `action`; the answer is the request's new state. After a
    /// version conflict the request is loaded again, so the page shows what changed (forms
    /// keep what was typed: their drafts live outside the view).
    pub fn act<B: Serialize>(
        self,
        action: &str,
        body: &B,
    ) -> impl Future<Output = Result<(), ApiError>> + use<B> {
        // Serialised here so that one (non-generic) future serves every action: each
        // monomorphised copy cost the bundle about a kilobyte.
        self.act_json(
            api::request_url(&self.id(), Some(action)),
            serde_json::to_string(body).ok(),
        )
    }

    pub(super) async fn act_json(self, url: String, body: Option<String>) -> Result<(), ApiError> {
        let body = body.ok_or(ApiError::Unreadable)?;
        self.feedback
            .with_value(|all| all.iter().for_each(|line| line.set(None)));
        match self.session.post_json::<RequestView>(&url, body).await {
            Ok(view) => {
                self.view.set(Some(view));
                Ok(())
            }
            Err(e) => {
                if e.conflict().is_some() {
                    let _ = self.load().await;
                }
                Err(e)
            }
        }
    }

    /// The version the page shows, to send with a change.
    pub fn version(self) -> u32 {
        self.view
            .with_untracked(|v| v.as_ref().map_or(0, |v| v.version))
    }
}

/// The request screen at `/staff/requests/:id`.
#[component]
pub fn RequestPage() -> impl IntoView {
    let session = Session::use_context();
    page_opened("Vraag");
    let params = use_params_map();
    let id = params.with_untracked(|p| p.get("id").and_then(|id| RequestId::parse(&id)));
    let Some(id) = id else {
        return view! {
            <h1 tabindex="-1">"Deze vraag bestaat niet"</h1>
            <p><a href="/staff">"Naar de wachtrij"</a></p>
        }
        .into_any();
    };
    let case = Case {
        id: StoredValue::new(id.clone()),
        view: RwSignal::new(None),
        session,
        feedback: StoredValue::new(Vec::new()),
    };
    let failed = RwSignal::new(None::<ApiError>);
    // Opened once, when the person opens the page: never on a timer (each opening is in the
    // audit trail).
    leptos::task::spawn_local(async move {
        if let Err(e) = case.load().await {
            failed.set(Some(e));
        }
    });
    let clock = Clock::new();
    Effect::new(move |_| {
        if let Some(v) = case.view.get() {
            clock.sync(v.now);
            document().set_title(&format!("Vraag {} – Jeugdstem vragen", v.row.reference));
        }
    });
    let heading = move || {
        case.view
            .with(|v| v.as_ref().map(|v| format!("Vraag {}", v.row.reference)))
            .unwrap_or_else(|| "Vraag".into())
    };
    let audit_csv = format!("{}?format=csv", api::request_url(&id, Some("audit")));
    let audit_page = format!("/staff/requests/{id}/audit");
    view! {
        <p class="back">
            <a href="/staff">"← Terug naar de wachtrij"</a>
        </p>
        <h1 tabindex="-1">{heading}</h1>
        {move || {
            failed
                .get()
                .map(|e| {
                    let text = match e.problem() {
                        Some(kjr_domain::ApiProblem::NotFound) => {
                            "Deze vraag bestaat niet (meer). Misschien is de bewaartermijn voorbij.".to_owned()
                        }
                        _ => e.message(),
                    };
                    view! { <p class="feedback failed" role="alert">{text}</p> }
                })
        }}
        <Show when=move || case.view.with(Option::is_some)>
            <Badges case clock/>
            <div class="request-layout">
                <div class="request-main">
                    <ContactPreferences case/>
                    <Details case clock/>
                    <section aria-labelledby="history-h">
                        <h2 id="history-h">"Geschiedenis"</h2>
                        {move || case.view.get().map(|v| view! { <History entries=v.history/> })}
                        <p class="audit-links">
                            <a href=audit_csv.clone() download>"Audit-trail (CSV)"</a>
                            <a href=audit_page.clone()>"Audit-trail bekijken"</a>
                        </p>
                    </section>
                </div>
                <Actions case/>
            </div>
        </Show>
    }
    .into_any()
}

/// "SPOED" and "Te laat", in words (not colour alone).
#[component]
fn Badges(case: Case, clock: Clock) -> impl IntoView {
    move || {
        case.view.get().map(|v| {
            let urgent = v.row.urgency == Queue::Urgent;
            let late = v.row.status.is_open()
                && v.row.first_contact_at.is_none()
                && v.row.due_at < clock.now();
            view! {
                <p class="badges">
                    {urgent.then(|| view! { <span class="badge urgent">"SPOED"</span> })}
                    {late.then(|| view! { <span class="badge late">"Te laat"</span> })}
                    {v.row.unanswered_message.then(|| view! { <span class="badge message">"Nieuw bericht"</span> })}
                    <span class="badge status">{v.row.status.label()}</span>
                </p>
            }
        })
    }
}

/// How the person wants to be reached: first and prominent.
#[component]
fn ContactPreferences(case: Case) -> impl IntoView {
    let contact = move || case.view.with(|v| v.as_ref().map(|v| v.contact.clone()));
    view! {
        <section class="contact-card" aria-labelledby="contact-h">
            <h2 id="contact-h">"Contact: zo wil de persoon bereikt worden"</h2>
            {move || contact().map(|c| view! { <ContactList contact=c/> })}
        </section>
    }
}

#[component]
fn ContactList(contact: ContactView) -> impl IntoView {
    if contact.channel == Channel::OnWebsite {
        return view! {
            <p class="never">"Bel, sms of mail NIET"</p>
            <p>
                "De persoon leest je antwoord alleen op de website, met de referentie en drie geheime woorden. Er gaat niets naar de persoon toe."
            </p>
        }
        .into_any();
    }
    let times = if contact.contact_times.is_empty() {
        "Geen voorkeur opgegeven".to_owned()
    } else {
        contact
            .contact_times
            .iter()
            .map(|t| t.label(Lang::Nl))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let address = match contact.address {
        Some(address) => view! { <dd class="address">{address}</dd> }.into_any(),
        None => view! {
            <dd class="hidden-address">"Alleen zichtbaar voor wie de vraag heeft opgepakt"</dd>
        }
        .into_any(),
    };
    view! {
        {contact
            .never_via_foster_parents
            .then(|| view! { <p class="never">"NOOIT via de pleegouders"</p> })}
        <dl class="facts contact">
            <dt>"Kanaal"</dt>
            <dd>{contact.channel.label(Lang::Nl)}</dd>
            <dt>"Adres"</dt>
            {address}
            <dt>"Veilige tijden"</dt>
            <dd>{times}</dd>
            <dt>"Mag een bericht achterlaten"</dt>
            <dd>{if contact.may_leave_message { "Ja" } else { "Nee" }}</dd>
        </dl>
    }
    .into_any()
}

/// What the person told, and where the request stands.
#[component]
fn Details(case: Case, clock: Clock) -> impl IntoView {
    let session = Session::use_context();
    move || {
        case.view.get().map(|v| {
            let unsafe_now = v.safe_now == SafeNow::No;
            let topics = v
                .row
                .topics
                .iter()
                .map(|t| t.label(Lang::Nl))
                .collect::<Vec<_>>()
                .join(", ");
            let due = v.row.due_at;
            let deadline = match v.row.first_contact_at {
                Some(at) => format!("{} (contact gehad {})", date_time(due), date_time(at)),
                None if !v.row.status.is_open() => date_time(due),
                None => format!("{} ({})", date_time(due), time_left(due, clock.now())),
            };
            view! {
                <section aria-labelledby="details-h">
                    <h2 id="details-h">"De vraag"</h2>
                    {v.disclosure
                        .then(|| {
                            view! {
                                <p class="unsafe">"Signalen van mishandeling of gevaar gemarkeerd"</p>
                            }
                        })}
                    {unsafe_now
                        .then(|| {
                            view! {
                                <p class="unsafe">
                                    "Nu veilig? Nee: de persoon gaf aan zich niet veilig te voelen."
                                </p>
                            }
                        })}
                    <dl class="facts">
                        <dt>"Wie vraagt"</dt>
                        <dd>{v.row.asker.label(Lang::Nl)}</dd>
                        <dt>"Leeftijd"</dt>
                        <dd>{v.row.age_band.label(Lang::Nl)}</dd>
                        {v.child_knows
                            .map(|k| {
                                view! {
                                    <dt>"Weet het kind ervan?"</dt>
                                    <dd>{k.label(Lang::Nl)}</dd>
                                }
                            })}
                        <dt>"Nu veilig?"</dt>
                        <dd class:unsafe-answer=unsafe_now>{v.safe_now.label(Lang::Nl)}</dd>
                        {v.feeling
                            .map(|f| {
                                view! {
                                    <dt>"Hoe het kind zich voelt"</dt>
                                    <dd>{f.label(Lang::Nl)}</dd>
                                }
                            })}
                        <dt>"Iemand die het kind vertrouwt"</dt>
                        <dd>
                            {match v.has_trusted_person {
                                Some(true) => "Ja",
                                Some(false) => "Nee",
                                None => "Niet gevraagd",
                            }}
                        </dd>
                        <dt>"Onderwerpen"</dt>
                        <dd>{topics}</dd>
                        <dt>"Naam of bijnaam"</dt>
                        <dd>{v.nickname.unwrap_or_else(|| "Niet opgegeven".into())}</dd>
                        <dt>"Bericht"</dt>
                        <dd class="message">{v.message.unwrap_or_else(|| "Geen bericht.".into())}</dd>
                        <dt>"Gemeente"</dt>
                        <dd>{v.municipality.unwrap_or_else(|| "Niet opgegeven".into())}</dd>
                        <dt>"Team"</dt>
                        <dd>{session.team_name(&v.row.team)}</dd>
                        {v.transferred_from
                            .map(|from| {
                                view! {
                                    <dt>"Overgedragen van"</dt>
                                    <dd>{session.team_name(&from)}</dd>
                                }
                            })}
                        <dt>"Binnengekomen"</dt>
                        <dd>{date_time(v.row.received_at)}</dd>
                        <dt>"Deadline eerste contact"</dt>
                        <dd>{deadline}</dd>
                        <dt>"Status"</dt>
                        <dd>{v.row.status.label()}</dd>
                        <dt>"Opgepakt door"</dt>
                        <dd>{name_or_nobody(v.row.claimed_by.as_ref())}</dd>
                        {v.closing
                            .map(|c| {
                                let state = match (c.closed_at, &c.approved_by) {
                                    (Some(at), Some(by)) => format!("afgesloten {} (akkoord van {})", date_time(at), by.name),
                                    (Some(at), None) => format!("afgesloten {}", date_time(at)),
                                    (None, _) => format!("gevraagd door {}, wacht op akkoord", c.requested_by.name),
                                };
                                view! {
                                    <dt>"Afsluiten"</dt>
                                    <dd>{format!("{}: {} – {state}", c.reason.label(), c.text)}</dd>
                                }
                            })}
                        {v.legal_hold
                            .clone()
                            .map(|h| {
                                view! {
                                    <dt>"Bewaarplicht"</dt>
                                    <dd>{format!("aan sinds {} door {}: {}", date_time(h.at), h.by.name, h.reason)}</dd>
                                }
                            })}
                        <dt>"Wordt verwijderd"</dt>
                        <dd>
                            {match (v.deleted_after, v.legal_hold.is_some()) {
                                (Some(at), _) => format!("na {}", date_time(at)),
                                (None, true) => "niet: de bewaarplicht staat aan".to_owned(),
                                (None, false) => "pas na het afsluiten (bewaartermijn)".to_owned(),
                            }}
                        </dd>
                    </dl>
                </section>
            }
        })
    }
}
