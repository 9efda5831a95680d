//! `/vraag` and `/en/ask`: the request form, one file per group of questions. The page's
//! heading and intro are static HTML above it.

mod answers;
mod contact;
mod place;
mod safety;
mod story;
mod who;

use kjr_domain::{AskerKind, Audience, Field, FieldError, IdempotencyKey, RequestDraft};
use leptos::html::Div;
use leptos::prelude::*;

use self::answers::{Answers, asks_age};
use self::contact::ContactQuestions;
use self::place::MunicipalityField;
use self::safety::SafeNowQuestion;
use self::story::StoryQuestions;
use self::who::{AskerQuestion, ChildQuestions};
use crate::api::{self, SubmitError};
use crate::components::{ErrorSummary, FormErrors};
use crate::i18n::{use_lang, use_texts};
use crate::{LastReceipt, SentRequest};

/// The form, for the audience in `?voor=`.
#[component]
pub fn RequestPage() -> impl IntoView {
    let search = window().location().search().unwrap_or_default();
    let voor = Audience::from_query(&search);
    view! { <RequestForm voor/> }
}

/// The form itself. It stays mounted (and keeps what was typed) until the API accepts it.
#[component]
fn RequestForm(voor: Option<Audience>) -> impl IntoView {
    let lang = use_lang();
    let t = use_texts();
    let a = Answers::new(voor);
    let errors = FormErrors::new(lang);
    let summary_ref = NodeRef::<Div>::new();
    let send_failed = RwSignal::new(false);
    // One key for every attempt of this form, changed or not: if an earlier attempt did
    // arrive and only its answer got lost, the API recognises the key and gives that
    // request's receipt instead of storing a second request. The form is left after success,
    // so it never needs another key.
    let key = StoredValue::new(api::new_idempotency_key());
    let simple_words = voor == Some(Audience::Under12);
    let receipt = expect_context::<LastReceipt>();

    let submit = Action::new_local(move |(draft, key): &(RequestDraft, IdempotencyKey)| {
        let (draft, key) = (draft.clone(), key.clone());
        async move { api::submit_request(&draft, &key, lang).await }
    });
    let sending = submit.pending();

    let focus_summary = move || {
        request_animation_frame(move || {
            if let Some(summary) = summary_ref.try_get_untracked().flatten() {
                let _ = summary.focus();
            }
        });
    };
    // A problem with the honeypot is never shown as a field error: a person cannot see the
    // field. A browser or password manager may have filled it; it is emptied and the person
    // is asked to send again (a bot that fills every field would fill it again).
    let honeypot_filled = move |mut problems: Vec<FieldError>| {
        let before = problems.len();
        problems.retain(|e| e.field != Field::Website);
        let filled = problems.len() < before;
        if filled {
            a.website.set(String::new());
        }
        (filled.then(|| t.honeypot_filled.to_owned()), problems)
    };
    let show_problems = move |general: Option<String>, problems: Vec<FieldError>| {
        let (note, problems) = honeypot_filled(problems);
        errors.set(note.or(general), problems);
        focus_summary();
    };

    let send = move || {
        if sending.get_untracked() {
            return;
        }
        let draft = a.draft();
        send_failed.set(false);
        errors.perspective.set(draft.perspective());
        if let Err(problems) = draft.validate() {
            // The age question appears once "who asks" is answered; until then its error
            // would point at nothing.
            let mut fields = problems.fields;
            if !asks_age(a.asker.get_untracked()) {
                fields.retain(|e| e.field != Field::AgeBand);
            }
            show_problems(None, fields);
            return;
        }
        errors.set(None, Vec::new());
        submit.dispatch_local((draft, key.get_value()));
    };

    // The answer, once it comes. If the form was replaced while it was on its way (the child
    // went to another page and back), this effect is gone with it.
    Effect::new(move |_| {
        let Some(result) = submit.value().get() else {
            return;
        };
        untrack(move || match result {
            Ok(accepted) => receipt.0.set(Some(SentRequest {
                accepted,
                simple_words,
            })),
            Err(SubmitError::Rejected { problem, fields }) => {
                let message =
                    problem.map_or_else(|| t.not_sent.to_owned(), |p| lang.words().api_problem(&p));
                show_problems(Some(message), fields);
            }
            Err(SubmitError::Failed) => send_failed.set(true),
        });
    });

    // Signals rather than closures: each distinct closure in a view costs its own copy of the
    // rendering code, a `Signal` of one type costs it once.
    let on_behalf = Signal::derive(move || a.asker.get() == Some(AskerKind::OnBehalf));
    let foster_parent = Signal::derive(move || a.asker.get() == Some(AskerKind::FosterParent));
    let status = Signal::derive(move || {
        if sending.get() {
            t.sending
        } else if send_failed.get() {
            t.send_failed
        } else {
            ""
        }
    });
    let not_failed = Signal::derive(move || !send_failed.get());
    let submit_label = Signal::derive(move || {
        if sending.get() {
            t.sending_button
        } else {
            t.send_button
        }
    });

    view! {
        <form class="request-form" novalidate autocomplete="off" on:submit=move |ev| {
            ev.prevent_default();
            send();
        }>
            <ErrorSummary errors summary_ref/>
            <AskerQuestion voor a errors/>
            <ChildQuestions a errors on_behalf/>
            <SafeNowQuestion selected=a.safe_now errors on_behalf/>
            <StoryQuestions a errors on_behalf/>
            <ContactQuestions a errors on_behalf foster_parent simple_words/>
            <MunicipalityField
                name=a.municipality
                unknown=a.municipality_unknown
                errors
                on_behalf
            />
            // The honeypot: off-screen and out of the tab order, so people never fill it;
            // bots that fill every field are refused by the API.
            <div class="hp" aria-hidden="true">
                <label for="kjr-leave-empty">{t.honeypot}</label>
                // A name and markers that autofill and password managers leave alone.
                <input
                    type="text"
                    id="kjr-leave-empty"
                    name="kjr-leave-empty"
                    tabindex="-1"
                    autocomplete="off"
                    data-1p-ignore=""
                    data-lpignore="true"
                    data-form-type="other"
                    bind:value=a.website
                />
            </div>
            <p hidden=foster_parent>{t.nothing_to_foster_parents}</p>
            <div class="send-status" aria-live="polite">
                <p>{status}</p>
            </div>
            <p hidden=not_failed>
                <button type="button" id="retry" class="button" disabled=sending on:click=move |_| send()>
                    {t.retry}
                </button>
            </p>
            <button type="submit" id="submit" class="button" disabled=sending>
                {submit_label}
            </button>
        </form>
    }
}
