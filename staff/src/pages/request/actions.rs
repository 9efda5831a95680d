//! What a staff member does with a request: take or assign it, record a contact attempt, add
//! a note, change its status. Each form keeps what was typed until the server accepted it.

use kjr_domain::ApiProblem;
use kjr_domain::staff::{
    AttemptChannel, AttemptResult, CaseStatus, ClaimAction, ContactAttemptAction, MAX_NOTE_CHARS,
    SafeContactRule, StaffId, StaffRef, StatusAction,
};
use kjr_domain::{Channel, MAX_MESSAGE_CHARS};
use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;

use super::Case;
use crate::api;
use crate::components::{Choice, ChoiceSelect, Feedback, FeedbackLine, Submit};
use crate::session::Session;

/// After an action: if the focused control disappeared (the page changed under it), focus
/// moves to the section's feedback, so keyboard users do not land at the top of the page.
pub(super) fn keep_focus(feedback_id: &'static str) {
    request_animation_frame(move || {
        let lost = document()
            .active_element()
            .is_none_or(|el| el.tag_name().eq_ignore_ascii_case("body"));
        if lost
            && let Some(el) = document()
                .get_element_by_id(feedback_id)
                .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    });
}

/// Every action on the request, beside its details.
#[component]
pub fn Actions(case: Case) -> impl IntoView {
    let close_feedback = case.feedback();
    view! {
        <aside class="actions-panel" aria-labelledby="actions-h">
            <h2 id="actions-h">"Acties"</h2>
            // A colleague opening the mail link to approve finds it first.
            <Show when=move || super::casework::awaiting(case)>
                <super::casework::CloseForms case feedback=close_feedback/>
            </Show>
            <ClaimForms case/>
            // Nobody is contacted when the person reads the replies on the website: the
            // reply takes the place of the contact attempt.
            <Show
                when=move || on_website(case)
                fallback=move || view! { <ContactAttemptForm case/> }
            >
                <MessageForm case/>
            </Show>
            <NoteForm case/>
            <StatusForm case/>
            <super::casework::Casework case close_feedback/>
        </aside>
    }
}

/// "Oppakken" and "Toewijzen aan".
#[component]
fn ClaimForms(case: Case) -> impl IntoView {
    let session = Session::use_context();
    let feedback = case.feedback();
    let assignee = RwSignal::new(String::new());
    let colleagues = session.load::<Vec<StaffRef>>(|| api::COLLEAGUES.into());
    let claim = Submit::new(move |to: &Option<StaffRef>| {
        let to = to.clone();
        async move {
            let body = ClaimAction {
                version: case.version(),
                assignee: to.as_ref().map(|t| t.id.clone()),
            };
            match case.act("claim", &body).await {
                Ok(()) => {
                    let done = match to {
                        Some(to) => format!("Toegewezen aan {}.", to.name),
                        None => {
                            "Je hebt de vraag opgepakt. De contactgegevens staan bovenaan.".into()
                        }
                    };
                    feedback.set(Some(Feedback::Done(done)));
                    assignee.set(String::new());
                }
                Err(e) => feedback.set(Some(Feedback::Failed(e.message()))),
            }
            keep_focus("claim-feedback");
        }
    });
    let mine = move || {
        let me = session.me().map(|me| me.who.id);
        case.view.with(|v| {
            v.as_ref()
                .and_then(|v| v.row.claimed_by.as_ref())
                .is_some_and(|c| Some(&c.id) == me.as_ref())
        })
    };
    let on_claim = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        claim.dispatch(None);
    };
    let on_assign = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let id = StaffId(assignee.get_untracked());
        let chosen = colleagues
            .get_untracked()
            .and_then(Result::ok)
            .and_then(|list| list.into_iter().find(|c| c.id == id));
        match chosen {
            Some(c) => {
                claim.dispatch(Some(c));
            }
            None => feedback.set(Some(Feedback::Failed("Kies eerst een collega.".into()))),
        }
    };
    let options = move || {
        match colleagues.get() {
        None => view! { <option value="">"Collega's laden…"</option> }.into_any(),
        Some(Err(_)) => view! { <option value="">"Collega's konden niet geladen worden"</option> }.into_any(),
        Some(Ok(list)) => view! {
            <option value="" prop:selected=move || assignee.get().is_empty()>"Kies een collega"</option>
            {list
                .into_iter()
                .map(|c| {
                    let id = c.id.0.clone();
                    view! {
                        <option value=c.id.0.clone() prop:selected=move || assignee.get() == id>
                            {c.name}
                        </option>
                    }
                })
                .collect_view()}
        }
        .into_any(),
    }
    };
    view! {
        <section class="action" aria-labelledby="claim-h">
            <h3 id="claim-h">"Oppakken of toewijzen"</h3>
            <Show
                when=mine
                fallback=move || {
                    view! {
                        <form on:submit=on_claim>
                            <button type="submit">
                                {move || if claim.pending().get() { "Bezig…" } else { "Oppakken" }}
                            </button>
                        </form>
                    }
                }
            >
                <p>"Je hebt deze vraag zelf opgepakt."</p>
            </Show>
            <form class="inline" on:submit=on_assign>
                <p class="field">
                    <label for="assignee">"Toewijzen aan"</label>
                    <select id="assignee" on:change=move |ev| assignee.set(event_target_value(&ev))>
                        {options}
                    </select>
                </p>
                <button type="submit" class="secondary">"Toewijzen"</button>
            </form>
            <div id="claim-feedback" tabindex="-1">
                <FeedbackLine feedback/>
            </div>
        </section>
    }
}

/// The rules an `override_reason_required` answer names.
fn rules_of(problem: Option<&ApiProblem>) -> Option<Vec<SafeContactRule>> {
    match problem {
        Some(&ApiProblem::OverrideReasonRequired {
            outside_safe_times,
            message_not_allowed,
            via_foster_parents,
        }) => Some(
            [
                (outside_safe_times, SafeContactRule::OutsideSafeTimes),
                (message_not_allowed, SafeContactRule::MessageNotAllowed),
                (via_foster_parents, SafeContactRule::ViaFosterParents),
            ]
            .into_iter()
            .filter_map(|(set, rule)| set.then_some(rule))
            .collect(),
        ),
        _ => None,
    }
}

pub(super) fn optional(text: String) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

/// A contact attempt: channel (the person's own by default), result and a note; a reason
/// when it goes against what the person asked.
#[component]
fn ContactAttemptForm(case: Case) -> impl IntoView {
    let feedback = case.feedback();
    let channel = RwSignal::new(None::<AttemptChannel>);
    let result = RwSignal::new(None::<AttemptResult>);
    let note = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let overrides = RwSignal::new(Vec::<SafeContactRule>::new());
    // The person's own channel, once the request is there (a reload keeps the choice).
    Effect::new(move |_| {
        if let Some(own) = case.view.with(|v| v.as_ref().map(|v| v.contact.channel))
            && channel.get_untracked().is_none()
        {
            channel.set(AttemptChannel::from_channel(own));
        }
    });
    let send = Submit::new(move |body: &ContactAttemptAction| {
        let body = body.clone();
        async move {
            match case.act("contact-attempts", &body).await {
                Ok(()) => {
                    feedback.set(Some(Feedback::Done("Contactpoging opgeslagen.".into())));
                    result.set(None);
                    note.set(String::new());
                    reason.set(String::new());
                    overrides.set(Vec::new());
                }
                Err(e) => match rules_of(e.problem()) {
                    Some(rules) => {
                        let words: Vec<&str> = rules.iter().map(|r| r.label()).collect();
                        feedback.set(Some(Feedback::Failed(format!(
                            "Deze poging gaat in tegen wat de persoon vroeg: {}. Schrijf hieronder waarom dit toch nodig is en sla opnieuw op.",
                            words.join(", ")
                        ))));
                        overrides.set(rules);
                        crate::components::focus_after_render("#attempt-reason");
                    }
                    None => feedback.set(Some(Feedback::Failed(e.message()))),
                },
            }
            keep_focus("attempt-feedback");
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Some(channel), Some(result)) = (channel.get_untracked(), result.get_untracked())
        else {
            feedback.set(Some(Feedback::Failed(
                "Kies het kanaal en het resultaat.".into(),
            )));
            return;
        };
        let override_reason = optional(reason.get_untracked());
        if !overrides.get_untracked().is_empty() && override_reason.is_none() {
            feedback.set(Some(Feedback::Failed(
                "Schrijf waarom dit toch nodig is.".into(),
            )));
            crate::components::focus_after_render("#attempt-reason");
            return;
        }
        send.dispatch(ContactAttemptAction {
            channel,
            result,
            note: optional(note.get_untracked()),
            override_reason,
        });
    };
    view! {
        <section class="action" aria-labelledby="attempt-h">
            <h3 id="attempt-h">"Contactpoging"</h3>
            <form class="stack" on:submit=on_submit>
                <ChoiceSelect
                    id="attempt-channel"
                    label="Kanaal"
                    options=AttemptChannel::all().to_vec()
                    value=channel
                />
                <ChoiceSelect
                    id="attempt-result"
                    label="Resultaat"
                    options=AttemptResult::all().to_vec()
                    value=result
                    none="Kies het resultaat"
                />
                <p class="field">
                    <label for="attempt-note">"Notitie (niet verplicht)"</label>
                    <textarea
                        id="attempt-note"
                        rows="3"
                        maxlength=MAX_NOTE_CHARS.to_string()
                        prop:value=note
                        on:input=move |ev| note.set(event_target_value(&ev))
                    ></textarea>
                </p>
                <Show when=move || !overrides.with(Vec::is_empty)>
                    <div class="override">
                        <p>
                            "Dit gaat in tegen de voorkeur: "
                            <strong>
                                {move || {
                                    overrides
                                        .get()
                                        .iter()
                                        .map(|r| r.label())
                                        .collect::<Vec<_>>()
                                        .join(", ")
                                }}
                            </strong>
                        </p>
                        <p class="field">
                            <label for="attempt-reason">"Waarom is dit toch nodig? (verplicht)"</label>
                            <textarea
                                id="attempt-reason"
                                rows="3"
                                required
                                aria-required="true"
                                maxlength=MAX_NOTE_CHARS.to_string()
                                prop:value=reason
                                on:input=move |ev| reason.set(event_target_value(&ev))
                            ></textarea>
                        </p>
                    </div>
                </Show>
                <p>
                    <button type="submit">
                        {move || if send.pending().get() { "Bezig…" } else { "Contactpoging opslaan" }}
                    </button>
                </p>
            </form>
            <div id="attempt-feedback" tabindex="-1">
                <FeedbackLine feedback/>
            </div>
        </section>
    }
}

/// Whether the person reads the replies on the website.
fn on_website(case: Case) -> bool {
    case.view.with(|v| {
        v.as_ref()
            .is_some_and(|v| v.contact.channel == Channel::OnWebsite)
    })
}

/// The body of a note and of a reply: one text.
#[derive(Clone, serde::Serialize)]
struct TextBody {
    text: String,
}

/// What differs between the note form and the reply form.
struct TextForm {
    /// The action's path under the request.
    action: &'static str,
    /// The prefix of the element ids.
    id: &'static str,
    /// The id of the feedback line (it takes focus after sending).
    feedback_id: &'static str,
    heading: &'static str,
    label: &'static str,
    button: &'static str,
    done: &'static str,
    empty: &'static str,
    max_chars: usize,
}

/// A reply for the website: the person reads it there with the reference and the code words.
#[component]
fn MessageForm(case: Case) -> impl IntoView {
    text_form(
        case,
        TextForm {
            action: "messages",
            id: "message",
            feedback_id: "message-feedback",
            heading: "Antwoord op de website",
            label: "Je antwoord: kort en in eenvoudige woorden (de persoon leest het op de website)",
            button: "Antwoord plaatsen",
            done: "Antwoord geplaatst. De persoon leest het op de website.",
            empty: "Schrijf eerst een antwoord.",
            max_chars: MAX_MESSAGE_CHARS,
        },
    )
}

/// An internal note.
#[component]
fn NoteForm(case: Case) -> impl IntoView {
    text_form(
        case,
        TextForm {
            action: "notes",
            id: "note",
            feedback_id: "note-feedback",
            heading: "Notitie",
            label: "Interne notitie (de persoon ziet dit niet)",
            button: "Notitie opslaan",
            done: "Notitie opgeslagen.",
            empty: "Schrijf eerst een notitie.",
            max_chars: MAX_NOTE_CHARS,
        },
    )
}

/// One text and a button; what was typed stays until the server accepted it.
fn text_form(case: Case, form: TextForm) -> impl IntoView {
    let feedback = case.feedback();
    let text = RwSignal::new(String::new());
    let TextForm {
        action,
        id,
        feedback_id,
        heading,
        label,
        button,
        done,
        empty,
        max_chars,
    } = form;
    let send = Submit::new(move |body: &TextBody| {
        let body = body.clone();
        async move {
            match case.act(action, &body).await {
                Ok(()) => {
                    feedback.set(Some(Feedback::Done(done.into())));
                    text.set(String::new());
                }
                Err(e) => feedback.set(Some(Feedback::Failed(e.message()))),
            }
            keep_focus(feedback_id);
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match optional(text.get_untracked()) {
            Some(text) => {
                send.dispatch(TextBody { text });
            }
            None => feedback.set(Some(Feedback::Failed(empty.into()))),
        }
    };
    view! {
        <section class="action" aria-labelledby=format!("{id}-h")>
            <h3 id=format!("{id}-h")>{heading}</h3>
            <form class="stack" on:submit=on_submit>
                <p class="field">
                    <label for=format!("{id}-text")>{label}</label>
                    <textarea
                        id=format!("{id}-text")
                        rows="4"
                        maxlength=max_chars.to_string()
                        prop:value=text
                        on:input=move |ev| text.set(event_target_value(&ev))
                    ></textarea>
                </p>
                <p>
                    <button type="submit">
                        {move || if send.pending().get() { "Bezig…" } else { button }}
                    </button>
                </p>
            </form>
            <div id=feedback_id tabindex="-1">
                <FeedbackLine feedback/>
            </div>
        </section>
    }
}

/// A new status, from those the current one may become.
#[component]
fn StatusForm(case: Case) -> impl IntoView {
    let feedback = case.feedback();
    let next = RwSignal::new(None::<CaseStatus>);
    let current = Memo::new(move |_| case.view.with(|v| v.as_ref().map(|v| v.row.status)));
    let send = Submit::new(move |status: &CaseStatus| {
        let body = StatusAction {
            version: case.version(),
            status: *status,
        };
        async move {
            match case.act("status", &body).await {
                Ok(()) => {
                    feedback.set(Some(Feedback::Done(format!(
                        "Status is nu: {}.",
                        body.status.label()
                    ))));
                    next.set(None);
                }
                Err(e) => feedback.set(Some(Feedback::Failed(e.message()))),
            }
            keep_focus("status-feedback");
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match next.get_untracked() {
            Some(status) => {
                send.dispatch(status);
            }
            None => feedback.set(Some(Feedback::Failed(
                "Kies eerst een nieuwe status.".into(),
            ))),
        }
    };
    let form = move || {
        let Some(current) = current.get() else {
            return ().into_any();
        };
        let allowed: Vec<CaseStatus> = CaseStatus::all()
            .iter()
            .copied()
            .filter(|s| current.may_become(*s))
            .collect();
        if allowed.is_empty() {
            let why = if current == CaseStatus::New {
                "Pak de vraag eerst op; daarna kun je de status veranderen."
            } else {
                "Vanuit deze status kun je hier geen andere kiezen."
            };
            return view! { <p>"Status: " {current.label()} ". " {why}</p> }.into_any();
        }
        view! {
            <form class="inline" on:submit=on_submit>
                <ChoiceSelect
                    id="status-next"
                    label="Nieuwe status"
                    options=allowed
                    value=next
                    none="Kies een status"
                />
                <button type="submit">
                    {move || if send.pending().get() { "Bezig…" } else { "Status opslaan" }}
                </button>
            </form>
        }
        .into_any()
    };
    view! {
        <section class="action" aria-labelledby="status-h">
            <h3 id="status-h">"Status"</h3>
            {form}
            <div id="status-feedback" tabindex="-1">
                <FeedbackLine feedback/>
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_override_answer_names_each_preference_it_goes_against() {
        let problem = ApiProblem::OverrideReasonRequired {
            outside_safe_times: true,
            message_not_allowed: false,
            via_foster_parents: true,
        };
        assert_eq!(
            rules_of(Some(&problem)),
            Some(vec![
                SafeContactRule::OutsideSafeTimes,
                SafeContactRule::ViaFosterParents
            ])
        );
        assert_eq!(rules_of(Some(&ApiProblem::Forbidden)), None);
    }
}
