use kjr_domain::{
    AgeBand, AskerKind, Audience, Channel, ChildKnows, ContactTime, Field, FieldError, Lang,
    MAX_MESSAGE_CHARS, RequestDraft, SafeNow, Topic, municipalities,
};
use leptos::html::Div;
use leptos::prelude::*;

use crate::api::{self, SubmitError};
use crate::components::{
    CheckboxGroup, EmergencyHelp, ErrorSummary, FieldErrorText, FormErrors, RadioGroup,
};
use crate::i18n::{lang, t};
use crate::{LastReceipt, SentRequest};

/// Yes and no, as choices.
fn yes_no_choices() -> Vec<(&'static str, &'static str)> {
    vec![("yes", t("Ja", "Yes")), ("no", t("Nee", "No"))]
}

/// `/vraag` and `/en/ask`: the request form, for the audience in `?voor=`. The page's heading
/// and intro are static HTML above it.
#[component]
pub fn RequestPage() -> impl IntoView {
    let search = window().location().search().unwrap_or_default();
    let voor = Audience::from_query(&search);
    view! { <RequestForm voor/> }
}

/// Everything typed into the form. Choices hold the wire value of the chosen answer.
#[derive(Clone, Copy)]
struct Answers {
    asker: RwSignal<Option<&'static str>>,
    child_knows: RwSignal<Option<&'static str>>,
    age_band: RwSignal<Option<&'static str>>,
    topics: RwSignal<Vec<&'static str>>,
    message: RwSignal<String>,
    nickname: RwSignal<String>,
    has_trusted_person: RwSignal<Option<&'static str>>,
    channel: RwSignal<Option<&'static str>>,
    contact: RwSignal<String>,
    contact_times: RwSignal<Vec<&'static str>>,
    may_leave_message: RwSignal<Option<&'static str>>,
    never_via_foster_parents: RwSignal<bool>,
    safe_now: RwSignal<Option<&'static str>>,
    municipality: RwSignal<String>,
    municipality_unknown: RwSignal<bool>,
    /// The honeypot (see [`RequestDraft::website`]).
    website: RwSignal<String>,
}

impl Answers {
    /// An empty form, with who asks and the age band filled in from `voor`.
    fn new(voor: Option<Audience>) -> Self {
        let (asker, age_band) = match voor {
            Some(Audience::Under12) => (Some(AskerKind::Child), Some(AgeBand::Under12)),
            Some(Audience::TwelvePlus) => (Some(AskerKind::Child), Some(AgeBand::From12To17)),
            Some(Audience::FosterParent) | None => (None, None),
        };
        Self {
            asker: RwSignal::new(asker.map(AskerKind::as_str)),
            child_knows: RwSignal::new(None),
            age_band: RwSignal::new(age_band.map(AgeBand::as_str)),
            topics: RwSignal::new(Vec::new()),
            message: RwSignal::new(String::new()),
            nickname: RwSignal::new(String::new()),
            has_trusted_person: RwSignal::new(None),
            channel: RwSignal::new(None),
            contact: RwSignal::new(String::new()),
            contact_times: RwSignal::new(Vec::new()),
            may_leave_message: RwSignal::new(None),
            never_via_foster_parents: RwSignal::new(false),
            safe_now: RwSignal::new(None),
            municipality: RwSignal::new(String::new()),
            municipality_unknown: RwSignal::new(false),
            website: RwSignal::new(String::new()),
        }
    }

    /// Who asks (reactive).
    fn asker_kind(self) -> Option<AskerKind> {
        self.asker.get().and_then(AskerKind::from_wire)
    }

    /// The draft to validate and send: only what the visible questions asked.
    fn draft(self) -> RequestDraft {
        let kind = self.asker.get_untracked().and_then(AskerKind::from_wire);
        let foster_parent = kind == Some(AskerKind::FosterParent);
        let channel = self.channel.get_untracked();
        RequestDraft {
            asker: self.asker.get_untracked().map(str::to_owned),
            child_knows: (kind == Some(AskerKind::OnBehalf))
                .then(|| self.child_knows.get_untracked().map(str::to_owned))
                .flatten(),
            // Only when the question is shown: a foster parent asking for themself is 18+, and
            // the API fills that in.
            age_band: asks_age(kind)
                .then(|| self.age_band.get_untracked().map(str::to_owned))
                .flatten(),
            topics: in_list_order(Topic::ALL.iter().map(|t| t.as_str()), self.topics),
            message: non_blank(self.message),
            nickname: non_blank(self.nickname),
            has_trusted_person: yes_no(self.has_trusted_person),
            channel: channel.map(str::to_owned),
            contact: channel.and_then(|_| non_blank(self.contact)),
            contact_times: in_list_order(
                ContactTime::ALL.iter().map(|t| t.as_str()),
                self.contact_times,
            ),
            may_leave_message: asks_leave_message(channel)
                .then(|| yes_no(self.may_leave_message))
                .flatten(),
            never_via_foster_parents: (!foster_parent)
                .then(|| self.never_via_foster_parents.get_untracked()),
            safe_now: self.safe_now.get_untracked().map(str::to_owned),
            municipality: if self.municipality_unknown.get_untracked() {
                None
            } else {
                non_blank(self.municipality)
            },
            website: non_blank(self.website),
        }
    }
}

/// Whether the age question is shown: for a child, or for an adult asking for a child. (A
/// foster parent asking for themself is 18+; before "who asks" is answered, we do not know
/// whose age to ask.)
fn asks_age(asker: Option<AskerKind>) -> bool {
    matches!(asker, Some(AskerKind::Child | AskerKind::OnBehalf))
}

/// Whether "may we leave a message?" is asked: only for a channel with a phone number.
fn asks_leave_message(channel: Option<&str>) -> bool {
    matches!(
        channel.and_then(Channel::from_wire),
        Some(Channel::Phone | Channel::Sms | Channel::Whatsapp)
    )
}

/// The text, unless it is empty or only spaces.
fn non_blank(text: RwSignal<String>) -> Option<String> {
    text.with_untracked(|t| (!t.trim().is_empty()).then(|| t.clone()))
}

/// `yes`/`no` as a bool.
fn yes_no(answer: RwSignal<Option<&'static str>>) -> Option<bool> {
    answer.get_untracked().map(|a| a == "yes")
}

/// The chosen values in the order of the list they come from, so that ticking the same boxes
/// in another order gives the same draft.
fn in_list_order(
    all: impl Iterator<Item = &'static str>,
    chosen: RwSignal<Vec<&'static str>>,
) -> Vec<String> {
    chosen.with_untracked(|chosen| {
        all.filter(|v| chosen.contains(v))
            .map(str::to_owned)
            .collect()
    })
}

/// The choices of a closed set as (wire value, label) pairs, labelled in the language of the
/// page.
fn choices<T: Copy>(
    all: &[T],
    wire: fn(T) -> &'static str,
    label: fn(T, Lang) -> &'static str,
) -> Vec<(&'static str, &'static str)> {
    let lang = lang();
    all.iter().map(|&v| (wire(v), label(v, lang))).collect()
}

/// The form itself. It stays mounted (and keeps what was typed) until the API accepts it.
#[component]
fn RequestForm(voor: Option<Audience>) -> impl IntoView {
    let a = Answers::new(voor);
    let errors = FormErrors::new();
    let summary_ref = NodeRef::<Div>::new();
    let send_failed = RwSignal::new(false);
    // One key for every attempt of this form, changed or not: if an earlier attempt did
    // arrive and only its answer got lost, the API recognises the key and gives that
    // request's receipt instead of storing a second request. The form is left after success,
    // so it never needs another key.
    let key = StoredValue::new(api::new_idempotency_key());
    let simple_words = voor == Some(Audience::Under12);

    let sending = RwSignal::new(false);
    let focus_summary = move || {
        request_animation_frame(move || {
            if let Some(summary) = summary_ref.try_get_untracked().flatten() {
                let _ = summary.focus();
            }
        });
    };

    let receipt = expect_context::<LastReceipt>();
    // A problem with the honeypot is never shown as a field error: a person cannot see the
    // field. A browser or password manager may have filled it; it is emptied and the person
    // is asked to send again (a bot that fills every field would fill it again).
    let honeypot_filled =
        move |mut problems: Vec<FieldError>| -> (Option<String>, Vec<FieldError>) {
            let before = problems.len();
            problems.retain(|e| e.field != Field::Website);
            if problems.len() == before {
                return (None, problems);
            }
            a.website.set(String::new());
            let note = t(
                "Je browser had een verborgen veld ingevuld. Dat is nu leeg gemaakt. Verstuur je vraag nog een keer.",
                "Your browser filled in a hidden field. It is empty now. Please send your request again.",
            );
            (Some(note.to_owned()), problems)
        };
    let send = move || {
        if sending.get_untracked() {
            return;
        }
        let draft = a.draft();
        if let Err(problems) = draft.validate() {
            send_failed.set(false);
            // The age question appears once "who asks" is answered; until then its error
            // would point at nothing.
            errors.perspective.set(problems.perspective);
            let mut problems = problems.fields;
            if !asks_age(a.asker.get_untracked().and_then(AskerKind::from_wire)) {
                problems.retain(|e| e.field != Field::AgeBand);
            }
            let (note, problems) = honeypot_filled(problems);
            errors.set(note, problems);
            focus_summary();
            return;
        }
        errors.set(None, Vec::new());
        send_failed.set(false);
        let key = key.get_value();
        let draft_perspective = draft.perspective();
        sending.set(true);
        leptos::task::spawn_local(async move {
            let result = api::submit_request(&draft, &key).await;
            // The form may have been replaced while the answer was on its way (the child went
            // to another page and back): then there is nothing left to update.
            if sending.try_set(false).is_some() {
                return;
            }
            match result {
                Ok(accepted) => {
                    receipt.0.set(Some(SentRequest {
                        accepted,
                        simple_words,
                    }));
                }
                Err(SubmitError::Rejected { problem, fields }) => {
                    let (note, fields) = honeypot_filled(fields);
                    let message = problem.map_or_else(
                        || {
                            t(
                                "Je vraag kon niet worden verstuurd. Kijk je antwoorden na en probeer het opnieuw.",
                                "Your request could not be sent. Check your answers and try again.",
                            )
                            .to_owned()
                        },
                        |p| lang().words().api_problem(&p),
                    );
                    errors.perspective.set(draft_perspective);
                    errors.set(note.or(Some(message)), fields);
                    focus_summary();
                }
                Err(SubmitError::Failed) => send_failed.set(true),
            }
        });
    };

    // Signals rather than closures: each distinct closure in a view costs its own copy of the
    // rendering code, a `Signal` of one type costs it once.
    let on_behalf = Signal::derive(move || a.asker_kind() == Some(AskerKind::OnBehalf));
    let not_on_behalf = Signal::derive(move || !on_behalf.get());
    let foster_parent = Signal::derive(move || a.asker_kind() == Some(AskerKind::FosterParent));
    // The age is asked once we know whose age it is: the child's own, or the foster child's.
    let age_hidden = Signal::derive(move || !asks_age(a.asker_kind()));
    let no_phone = Signal::derive(move || !asks_leave_message(a.channel.get()));
    let status = Signal::derive(move || {
        if sending.get() {
            t("Je vraag wordt verstuurd…", "Sending your request…")
        } else if send_failed.get() {
            t(
                "Het versturen is niet gelukt. Wat je hebt ingevuld is bewaard. \
                 Controleer je internet en probeer het opnieuw.",
                "Sending did not work. What you filled in has been kept. \
                 Check your internet connection and try again.",
            )
        } else {
            ""
        }
    });
    let not_failed = Signal::derive(move || !send_failed.get());
    let submit_label = Signal::derive(move || {
        if sending.get() {
            t("Bezig met versturen…", "Sending…")
        } else {
            t("Verstuur je vraag", "Send your request")
        }
    });

    let asker_question = match voor {
        Some(Audience::Under12 | Audience::TwelvePlus) => None,
        Some(Audience::FosterParent) => Some(view! {
            <RadioGroup
                field=Field::Asker
                legend=t("Voor wie vraag je hulp?", "Who are you asking for help for?")
                choices=vec![
                    ("foster_parent", t("Voor mezelf", "For myself")),
                    ("on_behalf", t("Voor mijn pleegkind", "For my foster child")),
                ]
                selected=a.asker
                errors
            />
        }),
        None => Some(view! {
            <RadioGroup
                field=Field::Asker
                legend=t("Wie vult dit formulier in?", "Who is filling in this form?")
                choices=choices(AskerKind::ALL, AskerKind::as_str, AskerKind::label)
                selected=a.asker
                errors
            />
        }),
    };

    view! {
        <form class="request-form" novalidate autocomplete="off" on:submit=move |ev| {
            ev.prevent_default();
            send();
        }>
            <ErrorSummary errors summary_ref/>
            {asker_question}
            <div hidden=not_on_behalf>
                <RadioGroup
                    field=Field::ChildKnows
                    legend=t(
                        "Weet het kind dat je deze vraag stelt?",
                        "Does the child know that you are asking this question?",
                    )
                    choices=choices(ChildKnows::ALL, ChildKnows::as_str, ChildKnows::label)
                    selected=a.child_knows
                    errors
                />
            </div>
            <div hidden=age_hidden>
                <RadioGroup
                    field=Field::AgeBand
                    legend=move || {
                        if on_behalf.get() {
                            t("Hoe oud is het kind?", "How old is the child?")
                        } else {
                            t("Hoe oud ben je?", "How old are you?")
                        }
                    }
                    choices=choices(AgeBand::ALL, AgeBand::as_str, AgeBand::label)
                    selected=a.age_band
                    errors
                />
            </div>
            <SafeNowQuestion selected=a.safe_now errors on_behalf/>
            <CheckboxGroup
                field=Field::Topics
                legend=t("Waar gaat het over?", "What is it about?")
                hint=t("Je mag meer dan één kiezen.", "You can choose more than one.")
                choices=choices(Topic::ALL, Topic::as_str, Topic::label)
                selected=a.topics
                errors
            />
            <MessageField text=a.message errors/>
            <RadioGroup
                field=Field::HasTrustedPerson
                legend=move || {
                    if on_behalf.get() {
                        t(
                            "Is er al iemand die het kind vertrouwt en met wie het kan praten?",
                            "Is there already someone the child trusts and can talk to?",
                        )
                    } else {
                        t(
                            "Is er al iemand die je vertrouwt en met wie je kunt praten?",
                            "Is there already someone you trust and can talk to?",
                        )
                    }
                }
                choices=yes_no_choices()
                selected=a.has_trusted_person
                errors
            />
            <div class="field">
                <label for="nickname">
                    {t("Hoe mogen we je noemen? ", "What can we call you? ")}
                    <span class="optional">{t("(mag je overslaan)", "(you can skip this)")}</span>
                </label>
                <p class="hint" id="nickname-hint">
                    {t("Een voornaam of bijnaam is genoeg.", "A first name or nickname is enough.")}
                </p>
                <FieldErrorText field=Field::Nickname errors/>
                <input
                    type="text"
                    id="nickname"
                    name="nickname"
                    autocomplete="off"
                    bind:value=a.nickname
                    aria-invalid=errors.invalid(Field::Nickname)
                    aria-describedby=errors.described_by(Field::Nickname, true)
                />
            </div>
            <RadioGroup
                field=Field::Channel
                legend=t("Hoe mogen we contact met je opnemen?", "How may we contact you?")
                choices=choices(Channel::ALL, Channel::as_str, Channel::label)
                selected=a.channel
                errors
            />
            <ContactField channel=a.channel text=a.contact errors/>
            <CheckboxGroup
                field=Field::ContactTimes
                legend=t("Wanneer kunnen we je veilig bereiken?", "When can we reach you safely?")
                hint=t("Kies alles wat kan.", "Choose every time that works.")
                choices=choices(ContactTime::ALL, ContactTime::as_str, ContactTime::label)
                selected=a.contact_times
                errors
            />
            <div hidden=no_phone>
                <RadioGroup
                    field=Field::MayLeaveMessage
                    legend=if simple_words {
                        t(
                            "Mogen we een berichtje sturen of inspreken als je niet opneemt?",
                            "If you don’t answer, may we send a short message or leave a voice message?",
                        )
                    } else {
                        t(
                            "Mogen we een bericht achterlaten (voicemail of sms) als je niet opneemt?",
                            "May we leave a message (voicemail or text) if you don’t answer?",
                        )
                    }
                    hint=t(
                        "Kies ‘Nee’ als iemand anders je telefoon kan zien of horen.",
                        "Choose ‘No’ if someone else can see or hear your phone.",
                    )
                    choices=yes_no_choices()
                    selected=a.may_leave_message
                    errors
                />
            </div>
            <div class="field choice" hidden=foster_parent>
                <input
                    type="checkbox"
                    id="never_via_foster_parents"
                    name="never_via_foster_parents"
                    bind:checked=a.never_via_foster_parents
                />
                <label for="never_via_foster_parents">
                    {Signal::derive(move || {
                        if on_behalf.get() {
                            t(
                                "Neem nooit contact op via de pleegouders van het kind",
                                "Never contact the child through their foster parents",
                            )
                        } else {
                            t(
                                "Neem nooit contact met me op via mijn pleegouders",
                                "Never contact me through my foster parents",
                            )
                        }
                    })}
                </label>
            </div>
            <MunicipalityField
                name=a.municipality
                unknown=a.municipality_unknown
                errors
                on_behalf
            />
            // The honeypot: off-screen and out of the tab order, so people never fill it;
            // bots that fill every field are refused by the API.
            <div class="hp" aria-hidden="true">
                <label for="kjr-leave-empty">
                    {t("Laat dit veld leeg", "Leave this field empty")}
                </label>
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
            <p hidden=foster_parent>
                {t(
                    "Je vraag gaat naar Jeugdstem. We sturen niets naar je pleegouders.",
                    "Your request goes to Jeugdstem. We don’t send anything to your foster parents.",
                )}
            </p>
            <div class="send-status" aria-live="polite">
                <p>{status}</p>
            </div>
            <p hidden=not_failed>
                <button type="button" id="retry" class="button" disabled=sending on:click=move |_| send()>
                    {t("Probeer het opnieuw", "Try again")}
                </button>
            </p>
            <button type="submit" id="submit" class="button" disabled=sending>
                {submit_label}
            </button>
        </form>
    }
}

/// "Ben je nu veilig?" Answering "Nee" ("No") shows the emergency numbers at once, before sending.
#[component]
fn SafeNowQuestion(
    selected: RwSignal<Option<&'static str>>,
    errors: FormErrors,
    on_behalf: Signal<bool>,
) -> impl IntoView {
    view! {
        <RadioGroup
            field=Field::SafeNow
            legend=move || {
                if on_behalf.get() {
                    t("Is het kind nu veilig?", "Is the child safe right now?")
                } else {
                    t("Ben je nu veilig?", "Are you safe right now?")
                }
            }
            choices=choices(SafeNow::ALL, SafeNow::as_str, SafeNow::label)
            selected
            errors
        />
        // Always in the page and shown by un-hiding, which a live region announces as an
        // addition: cheaper in code than inserting it.
        <div id="safe_now-help" aria-live="polite">
            <div hidden=Signal::derive(move || selected.get() != Some(SafeNow::No.as_str()))>
                <EmergencyHelp on_behalf/>
            </div>
        </div>
    }
}

/// The optional message with a live character count (part of its hint, so a screen reader
/// reads the count with the field).
#[component]
fn MessageField(text: RwSignal<String>, errors: FormErrors) -> impl IntoView {
    let (of, characters) = (t("van", "of"), t("tekens", "characters"));
    let counter = Signal::derive(move || {
        format!(
            "{} {of} {MAX_MESSAGE_CHARS} {characters}",
            text.with(|t| t.chars().count())
        )
    });
    view! {
        <div class="field">
            <label for="message">
                {t("Wil je er iets over vertellen? ", "Do you want to tell us about it? ")}
                <span class="optional">{t("(mag je overslaan)", "(you can skip this)")}</span>
            </label>
            <p class="hint" id="message-hint">
                {t(
                    "Schrijf het in je eigen woorden. Kort is ook goed. ",
                    "Write it in your own words. Short is fine too. ",
                )}
                <span class="counter" id="message-count">
                    {counter}
                </span>
            </p>
            <FieldErrorText field=Field::Message errors/>
            <textarea
                id="message"
                name="message"
                rows="5"
                autocomplete="off"
                bind:value=text
                aria-invalid=errors.invalid(Field::Message)
                aria-describedby=errors.described_by(Field::Message, true)
            ></textarea>
        </div>
    }
}

/// The address for the chosen channel; its label, hint and keyboard follow the channel, and
/// it is hidden until a channel is chosen.
#[component]
fn ContactField(
    channel: RwSignal<Option<&'static str>>,
    text: RwSignal<String>,
    errors: FormErrors,
) -> impl IntoView {
    // (label, hint, input type)
    let texts = move || {
        let phone_hint = t("Bijvoorbeeld 06 12345678.", "For example 06 12345678.");
        match channel.get().and_then(Channel::from_wire) {
            Some(Channel::Phone) => (
                t(
                    "Op welk mobiel nummer mogen we je bellen?",
                    "Which mobile number may we call?",
                ),
                phone_hint,
                "tel",
            ),
            Some(Channel::Sms) => (
                t(
                    "Naar welk mobiel nummer mogen we een sms sturen?",
                    "Which mobile number may we send a text message to?",
                ),
                phone_hint,
                "tel",
            ),
            Some(Channel::Whatsapp) => (
                t(
                    "Op welk mobiel nummer heb je WhatsApp?",
                    "Which mobile number do you use for WhatsApp?",
                ),
                phone_hint,
                "tel",
            ),
            Some(Channel::Email) => (
                t(
                    "Naar welk e-mailadres mogen we mailen?",
                    "Which email address may we write to?",
                ),
                t(
                    "Bijvoorbeeld naam@voorbeeld.nl.",
                    "For example name@example.com.",
                ),
                "email",
            ),
            Some(Channel::ViaPerson) => (
                t(
                    "Wie, en hoe bereiken we die persoon?",
                    "Who is it, and how do we reach that person?",
                ),
                t(
                    "Bijvoorbeeld: juf Anna, via school.",
                    "For example: Miss Anna, through school.",
                ),
                "text",
            ),
            None => ("", "", "text"),
        }
    };
    let label = Signal::derive(move || texts().0);
    let hint = Signal::derive(move || texts().1);
    // `type` and `inputmode` are the same word for these three kinds.
    let kind = Signal::derive(move || texts().2);
    let hidden = Signal::derive(move || channel.get().is_none());
    view! {
        <div class="field" hidden=hidden>
            <label for="contact">{label}</label>
            <p class="hint" id="contact-hint">{hint}</p>
            <FieldErrorText field=Field::Contact errors/>
            <input
                type=kind
                inputmode=kind
                id="contact"
                name="contact"
                autocomplete="off"
                bind:value=text
                aria-invalid=errors.invalid(Field::Contact)
                aria-describedby=errors.described_by(Field::Contact, true)
            />
        </div>
    }
}

/// The municipality, picked from the bundled list, or "Weet ik niet" ("I don’t know").
#[component]
fn MunicipalityField(
    name: RwSignal<String>,
    unknown: RwSignal<bool>,
    errors: FormErrors,
    on_behalf: Signal<bool>,
) -> impl IntoView {
    let label = Signal::derive(move || {
        if on_behalf.get() {
            t(
                "In welke gemeente woont het kind?",
                "Which municipality does the child live in?",
            )
        } else {
            t(
                "In welke gemeente woon je?",
                "Which municipality do you live in?",
            )
        }
    });
    view! {
        <div class="field">
            <label for="municipality">{label}</label>
            <p class="hint" id="municipality-hint">
                {t(
                    "Begin met typen en kies uit de lijst. Weet je het niet? Kies dan ‘Weet ik niet’.",
                    "Start typing and choose from the list. Don’t know? Then choose ‘I don’t know’.",
                )}
            </p>
            <FieldErrorText field=Field::Municipality errors/>
            <input
                type="text"
                id="municipality"
                name="municipality"
                list="gemeenten"
                autocomplete="off"
                bind:value=name
                disabled=unknown
                aria-invalid=errors.invalid(Field::Municipality)
                aria-describedby=errors.described_by(Field::Municipality, true)
            />
            <datalist id="gemeenten">
                {municipalities()
                    .iter()
                    .map(|m| view! { <option value=m.name()></option> })
                    .collect_view()}
            </datalist>
            <div class="choice">
                <input
                    type="checkbox"
                    id="municipality-unknown"
                    name="municipality-unknown"
                    bind:checked=unknown
                />
                <label for="municipality-unknown">{t("Weet ik niet", "I don’t know")}</label>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filled(voor: Option<Audience>) -> Answers {
        let a = Answers::new(voor);
        a.topics.set(vec!["other", "home"]);
        a.message.set("  ".into());
        a.nickname.set("Sam".into());
        a.has_trusted_person.set(Some("no"));
        a.channel.set(Some("whatsapp"));
        a.contact.set("06 12345678".into());
        a.contact_times.set(vec!["evening", "morning"]);
        a.may_leave_message.set(Some("yes"));
        a.never_via_foster_parents.set(true);
        a.safe_now.set(Some("no"));
        a.municipality.set("Vlaardingen".into());
        a
    }

    #[test]
    fn a_child_from_the_twelve_plus_page_sends_a_valid_urgent_draft() {
        let d = filled(Some(Audience::TwelvePlus)).draft();
        assert_eq!(d.asker.as_deref(), Some("child"));
        assert_eq!(d.age_band.as_deref(), Some("12_17"));
        assert_eq!(d.message, None, "a blank message is not sent");
        assert_eq!(d.never_via_foster_parents, Some(true));
        assert!(d.validate().unwrap().is_urgent());
    }

    #[test]
    fn choices_are_sent_in_list_order_whatever_the_order_of_ticking() {
        let d = filled(Some(Audience::Under12)).draft();
        assert_eq!(d.age_band.as_deref(), Some("under_12"));
        assert_eq!(d.topics, ["home", "other"]);
        assert_eq!(d.contact_times, ["morning", "evening"]);
    }

    #[test]
    fn a_foster_parent_for_themself_sends_no_age_band_and_no_foster_parent_choice() {
        let a = filled(Some(Audience::FosterParent));
        let errors = a.draft().validate().unwrap_err();
        assert!(
            errors.for_field(Field::Asker).is_some(),
            "who asks must be chosen"
        );
        a.asker.set(Some("foster_parent"));
        a.age_band.set(Some("under_12"));
        let d = a.draft();
        assert_eq!(d.age_band, None);
        assert_eq!(d.never_via_foster_parents, None);
        assert_eq!(d.validate().unwrap().age_band(), AgeBand::Adult);
    }

    #[test]
    fn asking_for_a_foster_child_sends_whether_the_child_knows() {
        let a = filled(Some(Audience::FosterParent));
        a.asker.set(Some("on_behalf"));
        a.age_band.set(Some("under_12"));
        a.child_knows.set(Some("not_sure"));
        assert_eq!(a.draft().child_knows.as_deref(), Some("not_sure"));
        a.asker.set(Some("child"));
        assert_eq!(a.draft().child_knows, None, "a hidden answer is not sent");
    }

    #[test]
    fn not_knowing_the_municipality_sends_none_even_if_a_name_was_typed() {
        let a = filled(Some(Audience::TwelvePlus));
        a.municipality_unknown.set(true);
        assert_eq!(a.draft().municipality, None);
        assert!(a.draft().validate().is_ok());
    }

    #[test]
    fn leaving_a_message_is_only_sent_for_a_channel_with_a_phone_number() {
        let a = filled(Some(Audience::TwelvePlus));
        assert_eq!(a.draft().may_leave_message, Some(true));
        a.channel.set(Some("email"));
        a.contact.set("sam@voorbeeld.nl".into());
        assert_eq!(
            a.draft().may_leave_message,
            None,
            "a hidden answer is not sent"
        );
        assert!(a.draft().validate().is_ok());
        a.channel.set(Some("sms"));
        a.contact.set("06 12345678".into());
        a.may_leave_message.set(None);
        let errors = a.draft().validate().unwrap_err();
        assert!(
            errors.for_field(Field::MayLeaveMessage).is_some(),
            "asked again for sms"
        );
    }

    #[test]
    fn no_contact_is_sent_without_a_channel() {
        let a = filled(Some(Audience::TwelvePlus));
        a.channel.set(None);
        assert_eq!(a.draft().contact, None);
    }
}
