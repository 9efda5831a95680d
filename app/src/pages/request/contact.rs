//! How and when Jeugdstem may make contact, safely.

use kjr_domain::{Channel, ContactTime, Field};
use leptos::prelude::*;

use super::answers::{Answers, asks_leave_message};
use crate::components::{CheckboxGroup, FieldErrorText, FormErrors, RadioGroup, options, yes_no};
use crate::i18n::use_texts;

/// The way of contact, its address, safe times, leaving a message and "never through the
/// foster parents".
#[component]
pub fn ContactQuestions(
    a: Answers,
    errors: FormErrors,
    on_behalf: Signal<bool>,
    foster_parent: Signal<bool>,
    simple_words: bool,
) -> impl IntoView {
    let t = use_texts();
    let no_phone = Signal::derive(move || !asks_leave_message(a.channel.get()));
    // "I'll check this website myself": nobody calls, so no address, times or "never via".
    let on_website = Signal::derive(move || a.channel.get() == Some(Channel::OnWebsite));
    let never_via = t.never_via_foster_parents;
    view! {
        <RadioGroup
            field=Field::Channel
            legend=t.channel
            choices=options(Channel::ALL)
            selected=a.channel
            errors
        />
        <ContactField channel=a.channel text=a.contact errors/>
        <div hidden=on_website>
            <CheckboxGroup
                field=Field::ContactTimes
                legend=t.contact_times
                hint=t.contact_times_hint
                choices=options(ContactTime::ALL)
                selected=a.contact_times
                errors
            />
        </div>
        <div hidden=no_phone>
            <RadioGroup
                field=Field::MayLeaveMessage
                legend=if simple_words { t.leave_message_simple } else { t.leave_message }
                hint=t.leave_message_hint
                choices=yes_no()
                selected=a.may_leave_message
                errors
            />
        </div>
        <div class="field choice" hidden=move || foster_parent.get() || on_website.get()>
            <input
                type="checkbox"
                id="never_via_foster_parents"
                name="never_via_foster_parents"
                bind:checked=a.never_via_foster_parents
            />
            <label for="never_via_foster_parents">
                {Signal::derive(move || never_via.pick(on_behalf.get()))}
            </label>
        </div>
    }
}

/// The address for the chosen channel; its label, hint and keyboard follow the channel, and
/// it is hidden until a channel is chosen.
#[component]
fn ContactField(
    channel: RwSignal<Option<Channel>>,
    text: RwSignal<String>,
    errors: FormErrors,
) -> impl IntoView {
    let t = use_texts();
    // (label, hint, input type)
    let texts = move || match channel.get() {
        Some(Channel::Phone) => (t.contact_phone, t.phone_hint, "tel"),
        Some(Channel::Sms) => (t.contact_sms, t.phone_hint, "tel"),
        Some(Channel::Whatsapp) => (t.contact_whatsapp, t.phone_hint, "tel"),
        Some(Channel::Email) => (t.contact_email, t.email_hint, "email"),
        Some(Channel::ViaPerson) => (t.contact_via_person, t.via_person_hint, "text"),
        Some(Channel::OnWebsite) | None => ("", "", "text"),
    };
    let label = Signal::derive(move || texts().0);
    let hint = Signal::derive(move || texts().1);
    // `type` and `inputmode` are the same word for these three kinds.
    let kind = Signal::derive(move || texts().2);
    let hidden = Signal::derive(move || channel.get().is_none_or(|c| !c.reaches_out()));
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
