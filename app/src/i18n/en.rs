//! English.

use super::{Either, Texts};

pub const TEXTS: Texts = Texts {
    yes: "Yes",
    no: "No",
    optional: "(you can skip this)",

    who_fills_in: "Who is filling in this form?",
    who_for: "Who are you asking for help for?",
    for_myself: "For myself",
    for_my_foster_child: "For my foster child",
    child_knows: "Does the child know that you are asking this question?",
    age: Either {
        own: "How old are you?",
        for_a_child: "How old is the child?",
    },

    safe_now: Either {
        own: "Are you safe right now?",
        for_a_child: "Is the child safe right now?",
    },
    help_now_title: "Help you can call right now",
    in_danger: |on_behalf, number| {
        let who = if on_behalf { "Is the child" } else { "Are you" };
        format!("{who} in danger right now? Don’t wait: call {number} straight away.")
    },
    finish_the_form: "You can also just finish this form and send it. \
                      Then your request goes first: we pick it up before all others.",

    topics: "What is it about?",
    more_than_one: "You can choose more than one.",
    message: "Do you want to tell us about it? ",
    message_hint: "Write it in your own words. Short is fine too. ",
    counter: |n, max| format!("{n} of {max} characters"),
    trusted_person: Either {
        own: "Is there already someone you trust and can talk to?",
        for_a_child: "Is there already someone the child trusts and can talk to?",
    },
    nickname: "What can we call you? ",
    nickname_hint: "A first name or nickname is enough.",

    channel: "How may we contact you?",
    contact_phone: "Which mobile number may we call?",
    contact_sms: "Which mobile number may we send a text message to?",
    contact_whatsapp: "Which mobile number do you use for WhatsApp?",
    contact_email: "Which email address may we write to?",
    contact_via_person: "Who is it, and how do we reach that person?",
    phone_hint: "For example 06 12345678.",
    email_hint: "For example name@example.com.",
    via_person_hint: "For example: Miss Anna, through school.",
    contact_times: "When can we reach you safely?",
    contact_times_hint: "Choose every time that works.",
    leave_message: "May we leave a message (voicemail or text) if you don’t answer?",
    leave_message_simple: "If you don’t answer, may we send a short message or leave a voice message?",
    leave_message_hint: "Choose ‘No’ if someone else can see or hear your phone.",
    never_via_foster_parents: Either {
        own: "Never contact me through my foster parents",
        for_a_child: "Never contact the child through their foster parents",
    },
    municipality: Either {
        own: "Which municipality do you live in?",
        for_a_child: "Which municipality does the child live in?",
    },
    municipality_hint: "Start typing and choose from the list. Don’t know? Then choose ‘I don’t know’.",
    dont_know: "I don’t know",

    honeypot: "Leave this field empty",
    honeypot_filled: "Your browser filled in a hidden field. It is empty now. \
                      Please send your request again.",
    nothing_to_foster_parents: "Your request goes to Jeugdstem. We don’t send anything to your foster parents.",
    sending: "Sending your request…",
    send_failed: "Sending did not work. What you filled in has been kept. \
                  Check your internet connection and try again.",
    retry: "Try again",
    send_button: "Send your request",
    sending_button: "Sending…",
    not_sent: "Your request could not be sent. Check your answers and try again.",

    error_prefix: "Error: ",
    summary_title: "Take another look at your answers",

    sent_title: "Your request has been sent",
    already_arrived: "Your request had already arrived. What you changed after that was not sent. \
                      Tell the confidant.",
    code_intro: "This is your code. With this code, Jeugdstem can find your request again:",
    keep_code: "Only write your code down if that is safe. \
                You don’t need the code to get help.",
    reference_intro: "Your reference is:",
    keep_reference: "Keep the reference or write it down, but only if that is safe for you. \
                     You don’t need it to get help.",
    words_intro: "These are your three secret words:",
    keep_words: "With your reference and these three words you read the reply. \
                 Write them down or remember them. Keep them where nobody else can find them. \
                 We show them only once.",
    keep_words_code: "With your code and these three words you read the reply. \
                      Write them down or remember them. Keep them where nobody else can find them. \
                      We show them only once.",
    what_now: "What happens now?",
    to_home: "Go to the home page",
};
