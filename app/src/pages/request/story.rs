//! What it is about, in the child's own words, and who they already trust.

use kjr_domain::{Field, MAX_MESSAGE_CHARS, Topic};
use leptos::prelude::*;

use super::answers::Answers;
use crate::components::{CheckboxGroup, FieldErrorText, FormErrors, RadioGroup, options, yes_no};
use crate::i18n::use_texts;

/// Topics, the message, someone to trust and a nickname.
#[component]
pub fn StoryQuestions(a: Answers, errors: FormErrors, on_behalf: Signal<bool>) -> impl IntoView {
    let t = use_texts();
    let trusted = t.trusted_person;
    view! {
        <CheckboxGroup
            field=Field::Topics
            legend=t.topics
            hint=t.more_than_one
            choices=options(Topic::ALL)
            selected=a.topics
            errors
        />
        <MessageField text=a.message errors/>
        <RadioGroup
            field=Field::HasTrustedPerson
            legend=Signal::derive(move || trusted.pick(on_behalf.get()))
            choices=yes_no()
            selected=a.has_trusted_person
            errors
        />
        <div class="field">
            <label for="nickname">
                {t.nickname}
                <span class="optional">{t.optional}</span>
            </label>
            <p class="hint" id="nickname-hint">{t.nickname_hint}</p>
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
    }
}

/// The optional message with a live character count (part of its hint, so a screen reader
/// reads the count with the field).
#[component]
fn MessageField(text: RwSignal<String>, errors: FormErrors) -> impl IntoView {
    let t = use_texts();
    let counter = t.counter;
    let count =
        Signal::derive(move || counter(text.with(|t| t.chars().count()), MAX_MESSAGE_CHARS));
    view! {
        <div class="field">
            <label for="message">
                {t.message}
                <span class="optional">{t.optional}</span>
            </label>
            <p class="hint" id="message-hint">
                {t.message_hint}
                <span class="counter" id="message-count">
                    {count}
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
