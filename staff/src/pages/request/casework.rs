//! Step 2 of the handling: signs of abuse or danger, the Veilig Thuis step, closing (with a
//! second colleague's approval when needed), transfer to another team and the legal hold.

use kjr_domain::TeamId;
use kjr_domain::staff::{
    ApproveCloseAction, CaseStatus, CloseAction, CloseReason, DisclosureAction, LegalHoldAction,
    MAX_NOTE_CHARS, RequestView, TransferAction, VeiligThuisAction, VeiligThuisStep,
};
use leptos::prelude::*;

use super::Case;
use super::actions::{keep_focus, optional};
use crate::components::{ChoiceSelect, Feedback, FeedbackLine, Submit};
use crate::session::Session;
use crate::time::date_time;

/// Whether the request is open and not waiting for approval (most step-2 changes need it).
fn workable(v: &RequestView) -> bool {
    v.row.status.is_open() && v.row.status != CaseStatus::AwaitingApproval
}

impl Case {
    /// `f` of the request as the server last sent it (tracked); `false` before it is there.
    pub(super) fn is(self, f: impl Fn(&RequestView) -> bool) -> bool {
        self.view.with(|v| v.as_ref().is_some_and(f))
    }

    /// Sends `body` to `action`; on success says `done`, else the server's message.
    fn send<B: serde::Serialize>(
        self,
        action: &str,
        body: &B,
        feedback: RwSignal<Option<Feedback>>,
        done: String,
        feedback_id: &'static str,
    ) -> impl Future<Output = bool> + use<B> {
        let url = crate::api::request_url(&self.id(), Some(action));
        self.send_act(
            url,
            serde_json::to_string(body).ok(),
            feedback,
            done,
            feedback_id,
        )
    }

    async fn send_act(
        self,
        url: String,
        body: Option<String>,
        feedback: RwSignal<Option<Feedback>>,
        done: String,
        feedback_id: &'static str,
    ) -> bool {
        let ok = match self.act_json(url, body).await {
            Ok(()) => {
                feedback.set(Some(Feedback::Done(done)));
                true
            }
            Err(e) => {
                feedback.set(Some(Feedback::Failed(e.message())));
                false
            }
        };
        keep_focus(feedback_id);
        ok
    }
}

/// A textarea with its label.
#[component]
fn TextField(id: &'static str, label: &'static str, value: RwSignal<String>) -> impl IntoView {
    view! {
        <p class="field">
            <label for=id>{label}</label>
            <textarea
                id=id
                rows="3"
                maxlength=MAX_NOTE_CHARS.to_string()
                prop:value=value
                on:input=move |ev| value.set(event_target_value(&ev))
            ></textarea>
        </p>
    }
}

/// Whether the request waits for a second colleague's approval (tracked).
pub fn awaiting(case: Case) -> bool {
    case.is(|v| v.row.status == CaseStatus::AwaitingApproval)
}

/// Every step-2 action, in the order a confidant meets them. Closing is here unless it
/// waits for approval (then it is first in the panel); both places share `close_feedback`.
#[component]
pub fn Casework(case: Case, close_feedback: RwSignal<Option<Feedback>>) -> impl IntoView {
    view! {
        <DisclosureForm case/>
        <Show when=move || case.is(|v| v.disclosure || v.veilig_thuis.is_some())>
            <VeiligThuisForm case/>
        </Show>
        <Show when=move || !awaiting(case)>
            <CloseForms case feedback=close_feedback/>
        </Show>
        <TransferForm case/>
        <Show when=move || Session::use_context().is_coordinator()>
            <LegalHoldForm case/>
        </Show>
    }
}

/// "Signalen van mishandeling of gevaar": a toggle button whose pressed state is the
/// server's (each press saves).
#[component]
fn DisclosureForm(case: Case) -> impl IntoView {
    let feedback = case.feedback();
    let marked = move || case.is(|v| v.disclosure);
    let send = Submit::new(move |on: &bool| {
        let body = DisclosureAction {
            version: case.version(),
            disclosure: *on,
        };
        let done = if *on {
            "Gemarkeerd: signalen van mishandeling of gevaar. Leg hieronder de Veilig Thuis-stap vast."
        } else {
            "Markering weggehaald."
        };
        async move {
            case.send(
                "disclosure",
                &body,
                feedback,
                done.into(),
                "disclosure-feedback",
            )
            .await;
        }
    });
    view! {
        <section class="action" aria-labelledby="disclosure-h">
            <h3 id="disclosure-h">"Signalen"</h3>
            <p>
                <button
                    type="button"
                    id="disclosure"
                    class="toggle"
                    aria-pressed=move || marked().to_string()
                    disabled=move || !case.is(workable)
                    on:click=move |_| send.dispatch(!marked())
                >
                    "Signalen van mishandeling of gevaar"
                </button>
            </p>
            <div id="disclosure-feedback" tabindex="-1">
                <FeedbackLine feedback/>
            </div>
        </section>
    }
}

/// "Veilig Thuis-stap vastleggen": consulted or reported, with a note; and the step as
/// recorded.
#[component]
fn VeiligThuisForm(case: Case) -> impl IntoView {
    let feedback = case.feedback();
    let step = RwSignal::new(None::<VeiligThuisStep>);
    let note = RwSignal::new(String::new());
    let send = Submit::new(move |step: &VeiligThuisStep| {
        let body = VeiligThuisAction {
            version: case.version(),
            step: *step,
            at: None,
            note: optional(note.get_untracked()),
        };
        async move {
            if case
                .send(
                    "veilig-thuis",
                    &body,
                    feedback,
                    "Veilig Thuis-stap vastgelegd.".into(),
                    "vt-feedback",
                )
                .await
            {
                note.set(String::new());
            }
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match step.get_untracked() {
            Some(s) => send.dispatch(s),
            None => feedback.set(Some(Feedback::Failed(
                "Kies wat je met Veilig Thuis hebt gedaan.".into(),
            ))),
        }
    };
    let recorded = move || {
        case.view.with(|v| {
            v.as_ref().and_then(|v| v.veilig_thuis.clone()).map(|r| {
                view! {
                    <p class="recorded">
                        <strong>{r.step.label()}</strong>
                        {format!(" – door {}, {}", r.by.name, date_time(r.at))}
                        {r.note.map(|n| view! { <span class="detail">{n}</span> })}
                    </p>
                }
            })
        })
    };
    view! {
        <section class="action" aria-labelledby="vt-h">
            <h3 id="vt-h">"Veilig Thuis"</h3>
            {recorded}
            <Show when=move || case.is(workable)>
                <form class="stack" on:submit=on_submit>
                    <fieldset>
                        <legend>"Veilig Thuis-stap vastleggen"</legend>
                        {VeiligThuisStep::ALL
                            .iter()
                            .map(|&s| {
                                let id = format!("vt-{}", s.as_str());
                                view! {
                                    <p class="field check">
                                        <input
                                            type="radio"
                                            name="vt-step"
                                            id=id.clone()
                                            on:change=move |_| step.set(Some(s))
                                        />
                                        <label for=id>{s.label()}</label>
                                    </p>
                                }
                            })
                            .collect_view()}
                    </fieldset>
                    <TextField id="vt-note" label="Wat is afgesproken, met wie (niet verplicht)" value=note/>
                    <p>
                        <button type="submit">
                            {move || if send.pending().get() { "Bezig…" } else { "Stap vastleggen" }}
                        </button>
                    </p>
                </form>
            </Show>
            <div id="vt-feedback" tabindex="-1">
                <FeedbackLine feedback/>
            </div>
        </section>
    }
}

/// Closing: the form, or (awaiting approval) what was asked and "Goedkeuren en afsluiten".
#[component]
pub fn CloseForms(case: Case, feedback: RwSignal<Option<Feedback>>) -> impl IntoView {
    let session = Session::use_context();
    let reason = RwSignal::new(None::<CloseReason>);
    let text = RwSignal::new(String::new());
    let close = Submit::new(move |body: &CloseAction| {
        let body = body.clone();
        let done = if case.is(|v| v.needs_four_eyes) {
            "Gevraagd om af te sluiten. Een tweede collega moet het goedkeuren."
        } else {
            "De vraag is afgesloten."
        };
        async move {
            if case
                .send("close", &body, feedback, done.into(), "close-feedback")
                .await
            {
                reason.set(None);
                text.set(String::new());
            }
        }
    });
    let approve = Submit::new(move |_: &()| {
        let body = ApproveCloseAction {
            version: case.version(),
        };
        async move {
            case.send(
                "approve-close",
                &body,
                feedback,
                "Goedgekeurd. De vraag is afgesloten.".into(),
                "close-feedback",
            )
            .await;
        }
    });
    let on_close = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Some(reason), Some(text)) = (reason.get_untracked(), optional(text.get_untracked()))
        else {
            feedback.set(Some(Feedback::Failed(
                "Kies een reden en schrijf een toelichting.".into(),
            )));
            return;
        };
        close.dispatch(CloseAction {
            version: case.version(),
            reason,
            text,
        });
    };
    let on_approve = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        approve.dispatch(());
    };
    let body = move || {
        let v = case.view.get()?;
        let status = v.row.status;
        Some(match (status, v.closing) {
            (CaseStatus::AwaitingApproval, Some(c)) => {
                let me = session.me().map(|me| me.who.id);
                let own = me.as_ref() == Some(&c.requested_by.id);
                view! {
                    <dl class="facts">
                        <dt>"Gevraagd door"</dt>
                        <dd>{format!("{}, {}", c.requested_by.name, date_time(c.requested_at))}</dd>
                        <dt>"Reden"</dt>
                        <dd>{c.reason.label()}</dd>
                        <dt>"Toelichting"</dt>
                        <dd class="message">{c.text}</dd>
                    </dl>
                    {if own {
                        view! {
                            <p class="notice">
                                "Je hebt zelf gevraagd om af te sluiten. Een tweede collega moet het goedkeuren."
                            </p>
                        }
                            .into_any()
                    } else {
                        view! {
                            <form on:submit=on_approve>
                                <button type="submit">
                                    {move || if approve.pending().get() { "Bezig…" } else { "Goedkeuren en afsluiten" }}
                                </button>
                            </form>
                        }
                            .into_any()
                    }}
                }
                .into_any()
            }
            (CaseStatus::Closed, _) => view! { <p>"De vraag is afgesloten."</p> }.into_any(),
            (CaseStatus::New, _) => {
                view! { <p>"Pak de vraag eerst op; daarna kun je haar afsluiten."</p> }.into_any()
            }
            _ => {
                let four_eyes = v.needs_four_eyes;
                view! {
                    <form class="stack" on:submit=on_close>
                        <ChoiceSelect
                            id="close-reason"
                            label="Reden"
                            options=CloseReason::ALL.to_vec()
                            value=reason
                            none="Kies een reden"
                        />
                        <TextField id="close-text" label="Toelichting (verplicht)" value=text/>
                        {four_eyes
                            .then(|| {
                                view! {
                                    <p class="hint">
                                        "Spoed of signalen van gevaar: een tweede collega keurt het afsluiten goed."
                                    </p>
                                }
                            })}
                        <p>
                            <button type="submit">
                                {move || {
                                    if close.pending().get() {
                                        "Bezig…"
                                    } else if four_eyes {
                                        "Vragen om afsluiten (tweede collega keurt goed)"
                                    } else {
                                        "Afsluiten"
                                    }
                                }}
                            </button>
                        </p>
                    </form>
                }
                .into_any()
            }
        })
    };
    view! {
        <section class="action" aria-labelledby="close-h">
            <h3 id="close-h">"Afsluiten"</h3>
            {body}
            <div id="close-feedback" tabindex="-1">
                <FeedbackLine feedback/>
            </div>
        </section>
    }
}

/// "Overdragen aan een ander team", with a reason.
#[component]
fn TransferForm(case: Case) -> impl IntoView {
    let session = Session::use_context();
    let feedback = case.feedback();
    let team = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let send = Submit::new(move |body: &TransferAction| {
        let body = body.clone();
        let done = format!("Overgedragen aan {}.", session.team_name(&body.team));
        async move {
            if case
                .send("transfer", &body, feedback, done, "transfer-feedback")
                .await
            {
                team.set(String::new());
                reason.set(String::new());
            }
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let chosen = team.get_untracked();
        let (false, Some(reason)) = (chosen.is_empty(), optional(reason.get_untracked())) else {
            feedback.set(Some(Feedback::Failed(
                "Kies een team en schrijf waarom.".into(),
            )));
            return;
        };
        send.dispatch(TransferAction {
            version: case.version(),
            team: TeamId(chosen),
            reason,
        });
    };
    let options = move || {
        let current = case.view.with(|v| v.as_ref().map(|v| v.row.team.clone()));
        let teams = session.me().map(|me| me.teams).unwrap_or_default();
        teams
            .into_iter()
            .filter(|t| Some(&t.id) != current.as_ref())
            .map(|t| {
                let id = t.id.0;
                let selected = id.clone();
                view! {
                    <option value=id prop:selected=move || team.get() == selected>{t.name}</option>
                }
            })
            .collect_view()
    };
    view! {
        <Show when=move || case.is(workable)>
            <section class="action" aria-labelledby="transfer-h">
                <h3 id="transfer-h">"Overdragen"</h3>
                <form class="stack" on:submit=on_submit>
                    <p class="field">
                        <label for="transfer-team">"Naar team"</label>
                        <select id="transfer-team" on:change=move |ev| team.set(event_target_value(&ev))>
                            <option value="" prop:selected=move || team.get().is_empty()>
                                "Kies een team"
                            </option>
                            {options}
                        </select>
                    </p>
                    <TextField id="transfer-reason" label="Waarom (verplicht)" value=reason/>
                    <p>
                        <button type="submit" class="secondary">
                            {move || if send.pending().get() { "Bezig…" } else { "Overdragen" }}
                        </button>
                    </p>
                </form>
                <div id="transfer-feedback" tabindex="-1">
                    <FeedbackLine feedback/>
                </div>
            </section>
        </Show>
    }
}

/// The legal hold (coordinators): deletion paused, with a reason.
#[component]
fn LegalHoldForm(case: Case) -> impl IntoView {
    let feedback = case.feedback();
    let reason = RwSignal::new(String::new());
    let held = move || case.is(|v| v.legal_hold.is_some());
    let send = Submit::new(move |body: &LegalHoldAction| {
        let body = body.clone();
        let done = if body.hold {
            "Bewaarplicht aangezet: de vraag wordt niet verwijderd."
        } else {
            "Bewaarplicht opgeheven."
        };
        async move {
            if case
                .send("legal-hold", &body, feedback, done.into(), "hold-feedback")
                .await
            {
                reason.set(String::new());
            }
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match optional(reason.get_untracked()) {
            Some(reason) => send.dispatch(LegalHoldAction {
                version: case.version(),
                hold: !held(),
                reason,
            }),
            None => feedback.set(Some(Feedback::Failed("Schrijf waarom.".into()))),
        }
    };
    view! {
        <section class="action" aria-labelledby="hold-h">
            <h3 id="hold-h">"Bewaarplicht"</h3>
            <form class="stack" on:submit=on_submit>
                <TextField id="hold-reason" label="Waarom (verplicht)" value=reason/>
                <p>
                    <button type="submit" class="secondary">
                        {move || {
                            if send.pending().get() {
                                "Bezig…"
                            } else if held() {
                                "Bewaarplicht opheffen"
                            } else {
                                "Bewaarplicht aanzetten"
                            }
                        }}
                    </button>
                </p>
            </form>
            <div id="hold-feedback" tabindex="-1">
                <FeedbackLine feedback/>
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::components::Choice;

    #[test]
    fn close_reasons_and_veilig_thuis_steps_are_choices_with_dutch_text() {
        for r in CloseReason::ALL {
            assert_eq!(<CloseReason as Choice>::parse(r.wire()), Some(*r));
            assert!(!r.text().is_empty());
        }
        assert_eq!(
            <VeiligThuisStep as Choice>::parse("reported"),
            Some(VeiligThuisStep::Reported)
        );
    }
}
