//! The picture route for children under 12 (`/vraag/plaatjes`, `/en/ask/pictures`): six
//! screens with one question each and big picture buttons, sent as the same
//! [`kjr_domain::RequestDraft`] as the full form (`asker = child`, `age_band = under_12`).
//!
//! Every screen is in the page, hidden until pictures.js (loaded by site.js on this page
//! only) shows it; the answers' wire values come from the domain's enums, so the route and
//! the API share one vocabulary. The pictures are one inline sprite, part of this page only.

use kjr_domain::{Channel, ContactTime, Feeling, Helpline, Lang, SafeNow, Topic};
use maud::{Markup, PreEscaped, html};

use crate::content::{LangContent, Special, full_form_href};
use crate::layout::{body, heading};

/// The sprite: `<symbol id="pic-…">` elements, drawn for this route.
const SPRITE: &str = include_str!("../pictures/sprite.svg");

/// Who the trusted adult is, when the child chooses "via een grote mens". Stored as the
/// [`kjr_domain::ViaPerson`] text, in the page's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Adult {
    Teacher,
    Relative,
    Worker,
    FosterParent,
}

impl Adult {
    pub(crate) const ALL: &'static [Adult] = &[
        Adult::Teacher,
        Adult::Relative,
        Adult::Worker,
        Adult::FosterParent,
    ];
    fn id(self) -> &'static str {
        match self {
            Adult::Teacher => "teacher",
            Adult::Relative => "relative",
            Adult::Worker => "worker",
            Adult::FosterParent => "foster-parent",
        }
    }
}

/// Every text of the route in one language. Short words and short sentences: the reading
/// ease of each is tested (Flesch–Douma ≥ 85).
pub(crate) struct PictureWords {
    pub step_of: &'static str,
    pub say: &'static str,
    /// The sound switch's name; its state ("aan"/"uit") is shown beside it.
    pub sound: &'static str,
    pub sound_on: &'static str,
    pub sound_off: &'static str,
    pub back: &'static str,
    pub next: &'static str,
    pub pick_first: &'static str,
    pub feeling: &'static str,
    pub topics: &'static str,
    pub topics_hint: &'static str,
    pub words: &'static str,
    pub safe: &'static str,
    pub help_title: &'static str,
    pub help_text: &'static str,
    pub help_after: &'static str,
    pub reach: &'static str,
    pub who: &'static str,
    pub number: &'static str,
    pub number_hint: &'static str,
    pub number_first: &'static str,
    /// The API refused the number.
    pub number_wrong: &'static str,
    /// The API refused a typed text as too long.
    pub too_long: &'static str,
    /// The API refused a typed text for another reason.
    pub fix_this: &'static str,
    pub when: &'static str,
    pub name: &'static str,
    pub name_hint: &'static str,
    pub check: &'static str,
    pub no_name: &'static str,
    pub send: &'static str,
    pub sending: &'static str,
    pub failed: &'static str,
    pub sent: &'static str,
    pub code: &'static str,
    pub code_words: &'static str,
    pub keep: &'static str,
    /// `{when}`: "2 dagen", from the receipt.
    pub next_on_website: &'static str,
    pub next_reached: &'static str,
    pub day: &'static str,
    pub days: &'static str,
    pub hour: &'static str,
    pub hours: &'static str,
    pub read_reply: &'static str,
    pub to_home: &'static str,
    pub full_form: &'static str,
    pub no_script: &'static str,
}

const NL: PictureWords = PictureWords {
    step_of: "Vraag {n} van 6",
    say: "Lees voor",
    sound: "Geluid",
    sound_on: "aan",
    sound_off: "uit",
    back: "Terug",
    next: "Verder",
    pick_first: "Tik eerst op een plaatje.",
    feeling: "Hoe voel je je?",
    topics: "Waar gaat het over?",
    topics_hint: "Je mag meer dan één plaatje kiezen.",
    words: "Wil je er iets over zeggen? Dat hoeft niet.",
    safe: "Ben je nu veilig?",
    help_title: "Bel nu voor hulp",
    help_text: "Ben je in gevaar? Bel dan 112. Wil je praten? Bel De Kindertelefoon. Dat is gratis.",
    help_after: "Je vraag gaat ook naar ons. Tik dan op Verder.",
    reach: "Hoe krijg je antwoord?",
    who: "Wie is het?",
    number: "Wat is je nummer?",
    number_hint: "Zo: 06 12345678",
    number_first: "Typ je nummer. Of kies een ander plaatje.",
    number_wrong: "Dit nummer klopt niet. Kijk het nog eens na. Of kies een ander plaatje.",
    too_long: "Dit is te lang. Maak het wat korter.",
    fix_this: "Hier klopt iets niet. Kijk het nog eens na.",
    when: "Wanneer mag het?",
    name: "Hoe mogen we je noemen?",
    name_hint: "Dat hoeft niet. Zo: Sam of Tijger.",
    check: "Klopt het zo?",
    no_name: "Geen naam",
    send: "Verstuur",
    sending: "Even wachten …",
    failed: "Het lukt nu niet. Tik nog een keer op Verstuur.",
    sent: "Je vraag is verstuurd",
    code: "Dit is je code:",
    code_words: "Dit zijn je drie geheime woorden:",
    keep: "Schrijf ze op of onthoud ze. Laat ze aan niemand zien.",
    next_on_website: "Iemand van Jeugdstem leest je vraag. Over {when} lees je hier het antwoord.",
    next_reached: "Iemand van Jeugdstem leest je vraag. Binnen {when} krijg je antwoord.",
    day: "dag",
    days: "dagen",
    hour: "uur",
    hours: "uur",
    read_reply: "Lees je antwoord",
    to_home: "Naar het begin",
    full_form: "Wil je liever zelf alles typen? Dat kan ook.",
    no_script: "Dit werkt hier niet. Wil je nu praten? Bel dan 0800-0432. Dat is gratis.",
};

const EN: PictureWords = PictureWords {
    step_of: "Question {n} of 6",
    say: "Read aloud",
    sound: "Sound",
    sound_on: "on",
    sound_off: "off",
    back: "Back",
    next: "Next",
    pick_first: "First tap a picture.",
    feeling: "How do you feel?",
    topics: "What is it about?",
    topics_hint: "You may pick more than one picture.",
    words: "Do you want to say something about it? You don't have to.",
    safe: "Are you safe right now?",
    help_title: "Call for help now",
    help_text: "Are you in danger? Then call 112. Do you want to talk? Call De Kindertelefoon. It is free.",
    help_after: "Your question will reach us too. Then tap Next.",
    reach: "How do you get an answer?",
    who: "Who is it?",
    number: "What is your number?",
    number_hint: "Like this: 06 12345678",
    number_first: "Type your number. Or pick another picture.",
    number_wrong: "This number is not right. Check it again. Or pick another picture.",
    too_long: "This is too long. Make it a bit shorter.",
    fix_this: "Something is not right here. Check it again.",
    when: "When is it OK?",
    name: "What may we call you?",
    name_hint: "You don't have to. Like: Sam or Tiger.",
    check: "Is this right?",
    no_name: "No name",
    send: "Send",
    sending: "One moment …",
    failed: "It does not work right now. Tap Send again.",
    sent: "Your question has been sent",
    code: "This is your code:",
    code_words: "These are your three secret words:",
    keep: "Write them down or remember them. Show them to nobody.",
    next_on_website: "A confidant reads your question. In {when} you can read the answer here.",
    next_reached: "A confidant reads your question. Within {when} you get an answer.",
    day: "day",
    days: "days",
    hour: "hour",
    hours: "hours",
    read_reply: "Read your answer",
    to_home: "Back to the start",
    full_form: "Would you rather type everything yourself? You can.",
    no_script: "This does not work here. Do you want to talk now? Call 0800-0432. It is free.",
};

pub(crate) fn words(lang: Lang) -> &'static PictureWords {
    match lang {
        Lang::Nl => &NL,
        Lang::En => &EN,
    }
}

/// The one or two words under a picture.
fn feeling(f: Feeling, lang: Lang) -> (&'static str, &'static str) {
    let nl = lang == Lang::Nl;
    match f {
        Feeling::Happy => ("happy", if nl { "Blij" } else { "Happy" }),
        Feeling::Sad => ("sad", if nl { "Verdrietig" } else { "Sad" }),
        Feeling::Scared => ("scared", if nl { "Bang" } else { "Scared" }),
        Feeling::Angry => ("angry", if nl { "Boos" } else { "Angry" }),
        Feeling::DontKnow => ("dont-know", if nl { "Weet ik niet" } else { "Not sure" }),
    }
}

/// The topics the route offers: five of the domain's, in a child's words.
const TOPICS: &[Topic] = &[
    Topic::Home,
    Topic::Family,
    Topic::School,
    Topic::Body,
    Topic::Other,
];

fn topic(t: Topic, lang: Lang) -> (&'static str, &'static str) {
    let nl = lang == Lang::Nl;
    match t {
        Topic::Home => ("home", if nl { "Thuis" } else { "Home" }),
        Topic::Family => ("family", if nl { "Mijn familie" } else { "My family" }),
        Topic::School => ("school", "School"),
        Topic::Body => ("body", if nl { "Mijn lijf" } else { "My body" }),
        _ => ("other", if nl { "Iets anders" } else { "Something else" }),
    }
}

const SAFE: &[SafeNow] = &[SafeNow::Yes, SafeNow::No, SafeNow::NotSure];

fn safe(s: SafeNow, lang: Lang) -> (&'static str, &'static str) {
    let nl = lang == Lang::Nl;
    match s {
        SafeNow::Yes => ("safe-yes", if nl { "Ja" } else { "Yes" }),
        SafeNow::No => ("safe-no", if nl { "Nee" } else { "No" }),
        _ => (
            "safe-not-sure",
            if nl { "Weet ik niet" } else { "Not sure" },
        ),
    }
}

/// The ways to be reached that suit a child; the website first (the default without a
/// phone of their own).
const CHANNELS: &[Channel] = &[Channel::OnWebsite, Channel::ViaPerson, Channel::Phone];

fn channel(c: Channel, lang: Lang) -> (&'static str, &'static str) {
    let nl = lang == Lang::Nl;
    match c {
        Channel::OnWebsite => (
            "website",
            if nl {
                "Ik kijk hier zelf"
            } else {
                "I look here myself"
            },
        ),
        Channel::ViaPerson => (
            "adult",
            if nl {
                "Via een grote mens"
            } else {
                "Through a grown-up"
            },
        ),
        _ => ("phone", if nl { "Mijn telefoon" } else { "My phone" }),
    }
}

fn adult(a: Adult, lang: Lang) -> (&'static str, &'static str) {
    let nl = lang == Lang::Nl;
    match a {
        Adult::Teacher => ("teacher", if nl { "Juf of meester" } else { "My teacher" }),
        Adult::Relative => (
            "relative",
            if nl {
                "Iemand van mijn familie"
            } else {
                "Someone in my family"
            },
        ),
        Adult::Worker => (
            "worker",
            if nl {
                "Mijn begeleider"
            } else {
                "My care worker"
            },
        ),
        Adult::FosterParent => (
            "foster-parent",
            if nl {
                "Mijn pleegouder"
            } else {
                "My foster parent"
            },
        ),
    }
}

fn time(t: ContactTime, lang: Lang) -> (&'static str, &'static str) {
    let nl = lang == Lang::Nl;
    match t {
        ContactTime::Morning => ("morning", if nl { "Ochtend" } else { "Morning" }),
        ContactTime::Afternoon => ("afternoon", if nl { "Middag" } else { "Afternoon" }),
        ContactTime::Evening => ("evening", if nl { "Avond" } else { "Evening" }),
        ContactTime::Weekend => ("weekend", "Weekend"),
    }
}

/// Every text of the route that a child reads or hears, for the reading-ease test.
#[cfg(test)]
pub(crate) fn every_text(lang: Lang) -> Vec<String> {
    let w = words(lang);
    let mut out: Vec<String> = [
        w.pick_first,
        w.feeling,
        w.topics,
        w.topics_hint,
        w.words,
        w.safe,
        w.help_title,
        w.help_text,
        w.help_after,
        w.reach,
        w.who,
        w.number,
        w.number_first,
        w.number_wrong,
        w.too_long,
        w.fix_this,
        w.when,
        w.name,
        w.name_hint,
        w.check,
        w.failed,
        w.sent,
        w.code,
        w.code_words,
        w.keep,
        w.full_form,
        w.no_script,
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    for template in [w.next_on_website, w.next_reached] {
        out.push(template.replace("{when}", &format!("2 {}", w.days)));
    }
    out
}

/// A picture from the sprite; its text is next to it (so the picture itself is hidden from
/// screen readers), or `alt` names it.
fn picture(id: &str, alt: Option<&str>) -> Markup {
    html! {
        @match alt {
            Some(alt) => svg class="pic" viewBox="0 0 64 64" role="img" aria-label=(alt) focusable="false" {
                use href={ "#pic-" (id) } {}
            },
            None => svg class="pic" viewBox="0 0 64 64" aria-hidden="true" focusable="false" {
                use href={ "#pic-" (id) } {}
            },
        }
    }
}

/// A big picture button: the picture, one or two words, the answer's wire value.
fn choice(name: &str, value: &str, picture_id: &str, label: &str) -> Markup {
    html! {
        button type="button" class="pic-choice" data-answer=(name) data-value=(value)
            data-say=(label) aria-pressed="false" {
            (picture(picture_id, None))
            span { (label) }
        }
    }
}

/// The question of a screen, with its read-aloud button.
fn question(id: &str, text: &str, w: &PictureWords) -> Markup {
    question_with_hint(id, text, None, w)
}

/// The question of a screen; its read-aloud button also reads the hint under it.
fn question_with_hint(id: &str, text: &str, hint: Option<&str>, w: &PictureWords) -> Markup {
    html! {
        div class="question" {
            h2 id=(id) tabindex="-1" { (text) }
            (say_button(text, hint, w))
        }
    }
}

/// A second question on a screen (who, when), with its read-aloud button.
fn sub_question(id: &str, text: &str, w: &PictureWords) -> Markup {
    html! {
        div class="question" {
            h3 id=(id) { (text) }
            (say_button(text, None, w))
        }
    }
}

/// A speaker button that reads `text` (and `hint` after it); its name says what it reads, so
/// a screen reader tells the buttons of one screen apart.
fn say_button(text: &str, hint: Option<&str>, w: &PictureWords) -> Markup {
    let spoken = match hint {
        Some(hint) => format!("{text} {hint}"),
        None => text.to_owned(),
    };
    let name = format!("{}: {text}", w.say);
    html! {
        button type="button" class="say" data-say-text=(spoken) aria-label=(name) title=(w.say) {
            (picture("speaker", None))
        }
    }
}

fn nav(w: &PictureWords, back: bool) -> Markup {
    html! {
        div class="step-nav" {
            @if back {
                button type="button" class="button secondary" data-go="back" {
                    (picture("back", None)) span { (w.back) }
                }
            }
            button type="button" class="button" data-go="next" {
                span { (w.next) } (picture("next", None))
            }
        }
    }
}

fn step(n: usize, name: &str, w: &PictureWords, content: Markup) -> Markup {
    html! {
        // The first screen is there from the first paint (nothing moves when pictures.js
        // starts); without JavaScript noscript.css hides it.
        section class="step" data-step=(name) aria-labelledby={ "q-" (name) } hidden[n != 1] {
            p class="step-count" { (w.step_of.replace("{n}", &n.to_string())) }
            (content)
            p class="step-problem notice" role="alert" hidden {}
        }
    }
}

/// The route's page: a short introduction, the six screens and the confirmation.
pub(crate) fn page(content: &LangContent, lang: Lang) -> Markup {
    let w = words(lang);
    let page = content.special(Special::Pictures);
    let symbols = SPRITE
        .split_once('>')
        .and_then(|(_, rest)| rest.rsplit_once("</svg>"))
        .map_or("", |(inner, _)| inner);
    let texts = serde_json::json!({
        "pick_first": w.pick_first,
        "number_first": w.number_first,
        "number_wrong": w.number_wrong,
        "too_long": w.too_long,
        "fix_this": w.fix_this,
        "sending": w.sending,
        "failed": w.failed,
        "sound_on": w.sound_on,
        "sound_off": w.sound_off,
        "no_name": w.no_name,
        "next_on_website": w.next_on_website,
        "next_reached": w.next_reached,
        "day": w.day, "days": w.days, "hour": w.hour, "hours": w.hours,
        "voice": lang.words().read_aloud().voice,
        "no_voice": lang.words().read_aloud().no_voice,
    })
    .to_string();
    let (bold_112, rest_112) = lang.words().helpline_call(Helpline::Emergency);
    let (bold_kt, rest_kt) = lang.words().helpline_call(Helpline::Kindertelefoon);
    html! {
        svg class="sprite" hidden aria-hidden="true" { (PreEscaped(symbols)) }
        div id="page-intro" {
            (heading(&page.front.title))
            (body(&page.body))
        }
        div id="pictures" class="pictures" data-texts=(texts) data-lang=(lang.tag()) {
            p class="sound" {
                // A switch named "Geluid": a screen reader says its state once ("aan"),
                // while the word beside the name shows it to a child who reads.
                button type="button" id="pictures-sound" class="button secondary" role="switch"
                    aria-checked="true" aria-labelledby="pictures-sound-name" {
                    (picture("speaker", None))
                    // One flex item, so that "Geluid aan" wraps with large text.
                    span {
                        span id="pictures-sound-name" { (w.sound) } " "
                        span class="sound-state" aria-hidden="true" { (w.sound_on) }
                    }
                }
            }
            p class="voice-status" role="status" {}
            (step(1, "feeling", w, html! {
                (question("q-feeling", w.feeling, w))
                div class="pic-grid" role="group" aria-labelledby="q-feeling" {
                    @for f in Feeling::ALL {
                        @let (pic, label) = feeling(*f, lang);
                        (choice("feeling", f.as_str(), pic, label))
                    }
                }
                (nav(w, false))
            }))
            (step(2, "topics", w, html! {
                (question_with_hint("q-topics", w.topics, Some(w.topics_hint), w))
                p class="hint" { (w.topics_hint) }
                div class="pic-grid" role="group" aria-labelledby="q-topics" {
                    @for t in TOPICS {
                        @let (pic, label) = topic(*t, lang);
                        (choice("topics", t.as_str(), pic, label))
                    }
                }
                div class="question" {
                    label for="pictures-message" { (w.words) }
                    (say_button(w.words, None, w))
                }
                p class="field" {
                    textarea id="pictures-message" rows="3" maxlength=(kjr_domain::MAX_MESSAGE_CHARS) {}
                }
                (nav(w, true))
            }))
            (step(3, "safe", w, html! {
                (question("q-safe", w.safe, w))
                div class="pic-grid" role="group" aria-labelledby="q-safe" {
                    @for s in SAFE {
                        @let (pic, label) = safe(*s, lang);
                        (choice("safe_now", s.as_str(), pic, label))
                    }
                }
                section class="emergency pictures-help" aria-labelledby="help-now" hidden {
                    h3 id="help-now" tabindex="-1" { (w.help_title) }
                    p { (w.help_text) }
                    ul class="calls" {
                        li { a class="call big-call" href=(Helpline::Emergency.tel_href()) { span { strong { (bold_112) } (rest_112) } } }
                        li { a class="call big-call" href=(Helpline::Kindertelefoon.tel_href()) { span { strong { (bold_kt) } (rest_kt) } } }
                    }
                    p { (w.help_after) }
                }
                (nav(w, true))
            }))
            (step(4, "reach", w, html! {
                (question("q-reach", w.reach, w))
                div class="pic-grid" role="group" aria-labelledby="q-reach" {
                    @for c in CHANNELS {
                        @let (pic, label) = channel(*c, lang);
                        (choice("channel", c.as_str(), pic, label))
                    }
                }
                div class="reach-adult" hidden {
                    (sub_question("q-who", w.who, w))
                    div class="pic-grid" role="group" aria-labelledby="q-who" {
                        @for a in Adult::ALL {
                            @let (pic, label) = adult(*a, lang);
                            (choice("adult", a.id(), pic, label))
                        }
                    }
                }
                div class="reach-phone" hidden {
                    div class="question" {
                        label for="pictures-number" { (w.number) }
                        (say_button(w.number, None, w))
                    }
                    p class="field" {
                        span class="hint" id="pictures-number-hint" { (w.number_hint) }
                        input id="pictures-number" type="tel" inputmode="tel" autocomplete="off"
                            aria-describedby="pictures-number-hint";
                    }
                }
                div class="reach-when" hidden {
                    (sub_question("q-when", w.when, w))
                    div class="pic-grid" role="group" aria-labelledby="q-when" {
                        @for t in ContactTime::ALL {
                            @let (pic, label) = time(*t, lang);
                            (choice("contact_times", t.as_str(), pic, label))
                        }
                    }
                }
                (nav(w, true))
            }))
            (step(5, "name", w, html! {
                div class="question" {
                    h2 id="q-name" tabindex="-1" { label for="pictures-name" { (w.name) } }
                    (say_button(w.name, Some(w.name_hint), w))
                }
                p class="field" {
                    span class="hint" id="pictures-name-hint" { (w.name_hint) }
                    input id="pictures-name" type="text" autocomplete="off"
                        maxlength=(kjr_domain::MAX_NICKNAME_CHARS) aria-describedby="pictures-name-hint";
                }
                (nav(w, true))
            }))
            (step(6, "check", w, html! {
                (question("q-check", w.check, w))
                ul class="answers" {}
                p class="send-status" role="status" {}
                div class="step-nav" {
                    button type="button" class="button secondary" data-go="back" {
                        (picture("back", None)) span { (w.back) }
                    }
                    button type="button" class="button" data-go="send" { (w.send) }
                }
            }))
            section class="step sent" data-step="sent" aria-labelledby="q-sent" hidden {
                (picture("sent", None))
                div class="question" {
                    h2 id="q-sent" tabindex="-1" { (w.sent) }
                    button type="button" class="say" data-say-from="receipt" aria-label=(w.say) title=(w.say) {
                        (picture("speaker", None))
                    }
                }
                div id="receipt" {
                    p { (w.code) }
                    p class="reference" id="reference" {}
                    div class="words" hidden {
                        p { (w.code_words) }
                        p class="reference code-words" id="code-words" {}
                        p { (w.keep) }
                    }
                    p class="next-steps" {}
                }
                p class="read-reply" hidden {
                    a class="button" href=(Special::Reply.route(lang)) { (w.read_reply) }
                }
                p { a class="button secondary" href=(Special::Home.route(lang)) { (w.to_home) } }
            }
            noscript { p class="notice" { (w.no_script) } }
        }
        p class="full-form" {
            a href=(full_form_href(kjr_domain::Audience::Under12, lang)) { (w.full_form) }
        }
    }
}
