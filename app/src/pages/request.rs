use kjr_domain::{
    AgeBand, AskerKind, Channel, ChildKnows, ContactTime, FieldError, IdempotencyKey,
    MAX_MESSAGE_CHARS, RequestDraft, SafeNow, Topic, municipalities,
};
use leptos::html::Div;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::{self, SubmitError};
use crate::components::{
    CheckboxGroup, EmergencyHelp, ErrorSummary, FieldErrorText, FormErrors, RadioGroup,
};
use crate::{LastReceipt, set_title};

/// The fields in the order the form shows them, so the error summary follows the page.
const FORM_ORDER: &[&str] = &[
    "asker",
    "child_knows",
    "age_band",
    "safe_now",
    "topics",
    "message",
    "has_trusted_person",
    "nickname",
    "channel",
    "contact",
    "contact_times",
    "may_leave_message",
    "never_via_foster_parents",
    "municipality",
];

const YES_NO: [(&str, &str); 2] = [("yes", "Ja"), ("no", "Nee")];

/// Who the form was opened for: `?voor=jonger-dan-12`, `12-plus`, `pleegouder`, or nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Voor {
    Under12,
    TwelvePlus,
    FosterParent,
    Unknown,
}

impl Voor {
    fn from_query(raw: Option<&str>) -> Self {
        match raw {
            Some("jonger-dan-12") => Voor::Under12,
            Some("12-plus") => Voor::TwelvePlus,
            Some("pleegouder") => Voor::FosterParent,
            _ => Voor::Unknown,
        }
    }
}

/// `/vraag`: the request form. Opening it for another audience (`?voor=`) starts a new form.
#[component]
pub fn RequestPage() -> impl IntoView {
    let query = use_query_map();
    let voor = Memo::new(move |_| Voor::from_query(query.read().get_str("voor")));
    move || {
        let voor = voor.get();
        let title = if voor == Voor::FosterParent {
            "Vraag hulp van een vertrouwenspersoon"
        } else {
            "Vraag een vertrouwenspersoon"
        };
        set_title(title);
        view! {
            <h1 tabindex="-1">{title}</h1>
            <p class="intro">
                "Vul in wat je wilt vertellen. Iemand van Jeugdstem neemt daarna contact met je op, "
                "zoals jij dat kiest. Je achternaam hoeven we niet te weten."
            </p>
            <RequestForm voor/>
        }
    }
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
}

impl Answers {
    /// An empty form, with who asks and the age band filled in from `voor`.
    fn new(voor: Voor) -> Self {
        let (asker, age_band) = match voor {
            Voor::Under12 => (Some(AskerKind::Child), Some(AgeBand::Under12)),
            Voor::TwelvePlus => (Some(AskerKind::Child), Some(AgeBand::From12To17)),
            Voor::FosterParent | Voor::Unknown => (None, None),
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
            // A foster parent asking for themself is 18+; the API fills that in.
            age_band: (!foster_parent)
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
            may_leave_message: yes_no(self.may_leave_message),
            never_via_foster_parents: (!foster_parent)
                .then(|| self.never_via_foster_parents.get_untracked()),
            safe_now: self.safe_now.get_untracked().map(str::to_owned),
            municipality: if self.municipality_unknown.get_untracked() {
                None
            } else {
                non_blank(self.municipality)
            },
        }
    }
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
/// in another order gives the same draft (and so the same idempotency key).
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

/// Sorts field errors into the order of the form.
fn in_form_order(mut errors: Vec<FieldError>) -> Vec<FieldError> {
    errors.sort_by_key(|e| {
        FORM_ORDER
            .iter()
            .position(|f| *f == e.field)
            .unwrap_or(FORM_ORDER.len())
    });
    errors
}

/// The choices of a closed set as (wire value, label) pairs.
fn choices<T: Copy>(
    all: &[T],
    wire: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
) -> Vec<(&'static str, &'static str)> {
    all.iter().map(|&v| (wire(v), label(v))).collect()
}

/// The form itself. It stays mounted (and keeps what was typed) until the API accepts it.
#[component]
fn RequestForm(voor: Voor) -> impl IntoView {
    let a = Answers::new(voor);
    let errors = FormErrors::new();
    let summary_ref = NodeRef::<Div>::new();
    let send_failed = RwSignal::new(false);
    // The key of the last attempt and the draft it was made for: an unchanged draft is resent
    // with the same key, so the API can recognise a resend after a lost answer.
    let last_attempt = StoredValue::new(None::<(RequestDraft, IdempotencyKey)>);

    let sending = RwSignal::new(false);
    let focus_summary = move || {
        request_animation_frame(move || {
            if let Some(summary) = summary_ref.get_untracked() {
                let _ = summary.focus();
            }
        });
    };

    let receipt = expect_context::<LastReceipt>();
    let navigate = StoredValue::new_local(use_navigate());
    let send = move || {
        if sending.get_untracked() {
            return;
        }
        let draft = a.draft();
        if let Err(problems) = draft.validate() {
            send_failed.set(false);
            errors.set(None, in_form_order(problems.0));
            focus_summary();
            return;
        }
        errors.set(None, Vec::new());
        send_failed.set(false);
        let key = last_attempt
            .with_value(|last| match last {
                Some((sent, key)) if *sent == draft => Some(key.clone()),
                _ => None,
            })
            .unwrap_or_else(api::new_idempotency_key);
        last_attempt.set_value(Some((draft.clone(), key.clone())));
        sending.set(true);
        leptos::task::spawn_local(async move {
            let result = api::submit_request(&draft, &key).await;
            sending.set(false);
            match result {
                Ok(r) => {
                    receipt.0.set(Some(r));
                    navigate.with_value(|navigate| {
                        navigate(
                            "/bevestiging",
                            NavigateOptions {
                                replace: true,
                                ..NavigateOptions::default()
                            },
                        )
                    });
                }
                Err(SubmitError::Rejected(body)) => {
                    errors.set(Some(body.message), in_form_order(body.fields));
                    focus_summary();
                }
                Err(SubmitError::Failed) => send_failed.set(true),
            }
        });
    };

    let on_behalf = move || a.asker_kind() == Some(AskerKind::OnBehalf);
    let foster_parent = move || a.asker_kind() == Some(AskerKind::FosterParent);

    let asker_question = match voor {
        Voor::Under12 | Voor::TwelvePlus => None,
        Voor::FosterParent => Some(view! {
            <RadioGroup
                field="asker"
                legend="Voor wie vraag je hulp?"
                choices=vec![("foster_parent", "Voor mezelf"), ("on_behalf", "Voor mijn pleegkind")]
                selected=a.asker
                errors
            />
        }),
        Voor::Unknown => Some(view! {
            <RadioGroup
                field="asker"
                legend="Wie vult dit formulier in?"
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
            <Show when=on_behalf>
                <RadioGroup
                    field="child_knows"
                    legend="Weet het kind dat je deze vraag stelt?"
                    choices=choices(ChildKnows::ALL, ChildKnows::as_str, ChildKnows::label)
                    selected=a.child_knows
                    errors
                />
            </Show>
            <Show when=move || !foster_parent()>
                <RadioGroup
                    field="age_band"
                    legend=move || if on_behalf() { "Hoe oud is het kind?" } else { "Hoe oud ben je?" }
                    choices=choices(AgeBand::ALL, AgeBand::as_str, AgeBand::label)
                    selected=a.age_band
                    errors
                />
            </Show>
            <SafeNowQuestion selected=a.safe_now errors on_behalf/>
            <CheckboxGroup
                field="topics"
                legend="Waar gaat het over?"
                hint="Je mag meer dan één kiezen."
                choices=choices(Topic::ALL, Topic::as_str, Topic::label)
                selected=a.topics
                errors
            />
            <MessageField text=a.message errors/>
            <RadioGroup
                field="has_trusted_person"
                legend=move || {
                    if on_behalf() {
                        "Is er al iemand die het kind vertrouwt en met wie het kan praten?"
                    } else {
                        "Is er al iemand die je vertrouwt en met wie je kunt praten?"
                    }
                }
                choices=YES_NO.to_vec()
                selected=a.has_trusted_person
                errors
            />
            <div class="field">
                <label for="nickname">
                    "Hoe mogen we je noemen? " <span class="optional">"(mag je overslaan)"</span>
                </label>
                <p class="hint" id="nickname-hint">"Een voornaam of bijnaam is genoeg."</p>
                <FieldErrorText field="nickname" errors/>
                <input
                    type="text"
                    id="nickname"
                    name="nickname"
                    autocomplete="off"
                    bind:value=a.nickname
                    aria-invalid=errors.invalid("nickname")
                    aria-describedby=errors.described_by("nickname", true)
                />
            </div>
            <RadioGroup
                field="channel"
                legend="Hoe mogen we contact met je opnemen?"
                choices=choices(&Channel::ALL, Channel::as_str, Channel::label)
                selected=a.channel
                errors
            />
            <ContactField channel=a.channel text=a.contact errors/>
            <CheckboxGroup
                field="contact_times"
                legend="Wanneer kunnen we je veilig bereiken?"
                hint="Kies alles wat kan."
                choices=choices(ContactTime::ALL, ContactTime::as_str, ContactTime::label)
                selected=a.contact_times
                errors
            />
            <RadioGroup
                field="may_leave_message"
                legend="Mogen we een bericht achterlaten (voicemail of sms) als je niet opneemt?"
                hint="Kies ‘Nee’ als iemand anders je telefoon kan zien of horen."
                choices=YES_NO.to_vec()
                selected=a.may_leave_message
                errors
            />
            <Show when=move || !foster_parent()>
                <div class="field choice single">
                    <input
                        type="checkbox"
                        id="never_via_foster_parents"
                        name="never_via_foster_parents"
                        bind:checked=a.never_via_foster_parents
                    />
                    <label for="never_via_foster_parents">
                        {move || {
                            if on_behalf() {
                                "Neem nooit contact op via de pleegouders van het kind"
                            } else {
                                "Neem nooit contact met me op via mijn pleegouders"
                            }
                        }}
                    </label>
                </div>
            </Show>
            <MunicipalityField
                name=a.municipality
                unknown=a.municipality_unknown
                errors
                on_behalf
            />
            <Show when=move || !foster_parent()>
                <p class="reassure">"Je vraag gaat naar Jeugdstem. We sturen niets naar je pleegouders."</p>
            </Show>
            <div class="send-status" aria-live="polite">
                {move || sending.get().then(|| view! { <p>"Je vraag wordt verstuurd…"</p> })}
                {move || {
                    send_failed
                        .get()
                        .then(|| {
                            view! {
                                <div class="send-failed">
                                    <p>
                                        "Het versturen is niet gelukt. Wat je hebt ingevuld is bewaard. "
                                        "Controleer je internet en probeer het opnieuw."
                                    </p>
                                    <button
                                        type="button"
                                        id="retry"
                                        class="button"
                                        disabled=move || sending.get()
                                        on:click=move |_| send()
                                    >
                                        "Probeer het opnieuw"
                                    </button>
                                </div>
                            }
                        })
                }}
            </div>
            <button type="submit" id="submit" class="button" disabled=move || sending.get()>
                {move || if sending.get() { "Bezig met versturen…" } else { "Verstuur je vraag" }}
            </button>
        </form>
    }
}

/// "Ben je nu veilig?" Answering "Nee" shows the emergency numbers at once, before sending.
#[component]
fn SafeNowQuestion(
    selected: RwSignal<Option<&'static str>>,
    errors: FormErrors,
    on_behalf: impl Fn() -> bool + Copy + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <RadioGroup
            field="safe_now"
            legend=move || if on_behalf() { "Is het kind nu veilig?" } else { "Ben je nu veilig?" }
            choices=choices(SafeNow::ALL, SafeNow::as_str, SafeNow::label)
            selected
            errors
        />
        <div id="safe_now-help" aria-live="polite">
            {move || (selected.get() == Some(SafeNow::No.as_str())).then(|| view! { <EmergencyHelp/> })}
        </div>
    }
}

/// The optional message with a live character count.
#[component]
fn MessageField(text: RwSignal<String>, errors: FormErrors) -> impl IntoView {
    let count = move || text.with(|t| t.chars().count());
    view! {
        <div class="field">
            <label for="message">
                "Wil je er iets over vertellen? " <span class="optional">"(mag je overslaan)"</span>
            </label>
            <p class="hint" id="message-hint">"Schrijf het in je eigen woorden. Kort is ook goed."</p>
            <FieldErrorText field="message" errors/>
            <textarea
                id="message"
                name="message"
                rows="5"
                autocomplete="off"
                bind:value=text
                aria-invalid=errors.invalid("message")
                aria-describedby=move || {
                    let base = errors.described_by("message", true)().unwrap_or_default();
                    format!("{base} message-count")
                }
            ></textarea>
            <p class="counter" id="message-count" class:over={move || count() > MAX_MESSAGE_CHARS}>
                {move || format!("{} van {MAX_MESSAGE_CHARS} tekens", count())}
            </p>
        </div>
    }
}

/// The address for the chosen channel; its label and keyboard follow the channel.
#[component]
fn ContactField(
    channel: RwSignal<Option<&'static str>>,
    text: RwSignal<String>,
    errors: FormErrors,
) -> impl IntoView {
    let channel = move || channel.get().and_then(Channel::from_wire);
    move || {
        channel().map(|ch| {
            let (label, hint, kind, inputmode) = match ch {
                Channel::Phone => (
                    "Op welk mobiel nummer mogen we je bellen?",
                    "Bijvoorbeeld 06 12345678.",
                    "tel",
                    "tel",
                ),
                Channel::Sms => (
                    "Naar welk mobiel nummer mogen we een sms sturen?",
                    "Bijvoorbeeld 06 12345678.",
                    "tel",
                    "tel",
                ),
                Channel::Whatsapp => (
                    "Op welk mobiel nummer heb je WhatsApp?",
                    "Bijvoorbeeld 06 12345678.",
                    "tel",
                    "tel",
                ),
                Channel::Email => (
                    "Naar welk e-mailadres mogen we mailen?",
                    "Bijvoorbeeld naam@voorbeeld.nl.",
                    "email",
                    "email",
                ),
                Channel::ViaPerson => (
                    "Wie, en hoe bereiken we die persoon?",
                    "Bijvoorbeeld: juf Anna, via school.",
                    "text",
                    "text",
                ),
            };
            view! {
                <div class="field">
                    <label for="contact">{label}</label>
                    <p class="hint" id="contact-hint">{hint}</p>
                    <FieldErrorText field="contact" errors/>
                    <input
                        type=kind
                        inputmode=inputmode
                        id="contact"
                        name="contact"
                        autocomplete="off"
                        bind:value=text
                        aria-invalid=errors.invalid("contact")
                        aria-describedby=errors.described_by("contact", true)
                    />
                </div>
            }
        })
    }
}

/// The municipality, picked from the bundled list, or "Weet ik niet".
#[component]
fn MunicipalityField(
    name: RwSignal<String>,
    unknown: RwSignal<bool>,
    errors: FormErrors,
    on_behalf: impl Fn() -> bool + Copy + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for="municipality">
                {move || {
                    if on_behalf() {
                        "In welke gemeente woont het kind?"
                    } else {
                        "In welke gemeente woon je?"
                    }
                }}
            </label>
            <p class="hint" id="municipality-hint">"Begin met typen en kies uit de lijst."</p>
            <FieldErrorText field="municipality" errors/>
            <input
                type="text"
                id="municipality"
                name="municipality"
                list="gemeenten"
                autocomplete="off"
                bind:value=name
                disabled=move || unknown.get()
                aria-invalid=errors.invalid("municipality")
                aria-describedby=errors.described_by("municipality", true)
            />
            <datalist id="gemeenten">
                {municipalities()
                    .iter()
                    .map(|m| view! { <option value=m.name()></option> })
                    .collect_view()}
            </datalist>
            <div class="choice single">
                <input
                    type="checkbox"
                    id="municipality-unknown"
                    name="municipality-unknown"
                    bind:checked=unknown
                />
                <label for="municipality-unknown">"Weet ik niet"</label>
            </div>
        </div>
    }
}
