//! The language of the form: Dutch on Dutch pages, English on English pages.
//!
//! The page's language is read once per mount (see [`crate::mount`]). Texts are pairs of
//! `&'static str`, no i18n crate: the wasm must stay small. The domain and the API speak
//! Dutch only; their messages are translated here, by their exact Dutch text, and shown in
//! Dutch when there is no translation (better Dutch than nothing).

use std::cell::Cell;

use kjr_domain::{Channel, FieldError};

/// A language the form speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Nl,
    En,
}

impl Lang {
    /// The language of a `lang` attribute: `en…` is English, anything else Dutch.
    pub fn from_tag(tag: &str) -> Self {
        if tag.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("en")) {
            Lang::En
        } else {
            Lang::Nl
        }
    }
}

thread_local! {
    /// The language of the mounted form.
    static LANG: Cell<Lang> = const { Cell::new(Lang::Nl) };
}

/// Sets the language of the form (before it is mounted).
pub fn set_lang(lang: Lang) {
    LANG.with(|l| l.set(lang));
}

/// The language of the form.
pub fn lang() -> Lang {
    LANG.with(Cell::get)
}

/// `nl` or `en`, in the language of the form.
pub fn t(nl: &'static str, en: &'static str) -> &'static str {
    match lang() {
        Lang::Nl => nl,
        Lang::En => en,
    }
}

/// The English label of a channel (the Dutch one is [`Channel::label`]).
pub fn channel_label_en(channel: Channel) -> &'static str {
    match channel {
        Channel::Phone => "Phone call",
        Channel::Sms => "Text message (SMS)",
        Channel::Whatsapp => "WhatsApp",
        Channel::Email => "Email",
        Channel::ViaPerson => "Through someone I trust",
    }
}

/// The English name of a request field (the Dutch one is [`kjr_domain::field_label`]).
pub fn field_label_en(field: &str) -> Option<&'static str> {
    Some(match field {
        "asker" => "Who is asking",
        "child_knows" => "Whether the child knows",
        "age_band" => "Age",
        "topics" => "What it is about",
        "message" => "Message",
        "nickname" => "Name or nickname",
        "has_trusted_person" => "Someone to trust",
        "channel" => "How we get in touch",
        "contact" => "Number or address",
        "contact_times" => "When we may call or write",
        "may_leave_message" => "Leaving a message",
        "never_via_foster_parents" => "Never through the foster parents",
        "safe_now" => "Safe right now",
        "municipality" => "Municipality",
        "website" => "Leave this field empty",
        _ => return None,
    })
}

/// A general message (from the API) in the language of the form.
pub fn localised_message(dutch: String) -> String {
    match lang() {
        Lang::Nl => dutch,
        Lang::En => english(&dutch).map_or(dutch, str::to_owned),
    }
}

/// A field's problem in the language of the form: its label and its message.
pub fn localised_field_error(mut e: FieldError) -> FieldError {
    if lang() == Lang::En {
        if let Some(label) = field_label_en(&e.field) {
            e.label = label.to_owned();
        }
        if let Some(message) = english_for_field(&e.field, &e.message) {
            e.message = message.to_owned();
        }
    }
    e
}

/// The English of a field's Dutch problem: the messages the domain builds with `format!`
/// are recognised by their field and the start of their text, the others by [`english`].
fn english_for_field(field: &str, dutch: &str) -> Option<&'static str> {
    // `text.rs` also names the typed length; the English leaves it out (the message field
    // has a live counter). The limits are the domain's, checked by a test.
    if dutch.starts_with("Dit is te lang:") {
        return match field {
            "message" => {
                Some("This is too long. It can be at most 4000 characters. Make it a bit shorter.")
            }
            "nickname" => {
                Some("This is too long. It can be at most 60 characters. Make it a bit shorter.")
            }
            "contact" => {
                Some("This is too long. It can be at most 200 characters. Make it a bit shorter.")
            }
            _ => None,
        };
    }
    english(dutch)
}

/// The English of a Dutch message from the domain or the API, by its exact text.
fn english(dutch: &str) -> Option<&'static str> {
    // The API puts a parser's position in this one: "(regel 1, kolom 2)".
    if dutch.starts_with("De gegevens zijn geen geldig JSON-object") {
        return Some("The data is not a valid JSON object.");
    }
    ENGLISH
        .iter()
        .find(|(nl, _)| *nl == dutch)
        .map(|&(_, en)| en)
}

/// (Dutch, English) pairs of the messages of the domain and the API. A table rather than a
/// `match`: it compiles to less wasm.
const ENGLISH: &[(&str, &str)] = &[
    // The domain: domain/src/request.rs.
    (
        "Deze keuze kennen we niet. Kies een van de antwoorden.",
        "We don’t know this choice. Choose one of the answers.",
    ),
    (
        "Een van deze keuzes kennen we niet. Kies uit de lijst.",
        "We don’t know one of these choices. Choose from the list.",
    ),
    (
        "Dit veld heeft de verkeerde vorm: we verwachten tekst.",
        "This field has the wrong form: we expect text.",
    ),
    (
        "Dit veld heeft de verkeerde vorm: we verwachten een lijst met teksten.",
        "This field has the wrong form: we expect a list of texts.",
    ),
    (
        "Dit veld heeft de verkeerde vorm: we verwachten true of false.",
        "This field has the wrong form: we expect true or false.",
    ),
    (
        "Dit veld kennen we niet. Stuur alleen de velden van het formulier.",
        "We don’t know this field. Only send the fields of the form.",
    ),
    (
        "Kies wie deze vraag stelt.",
        "Choose who is asking this question.",
    ),
    (
        "Kies of het kind weet dat je deze vraag stelt.",
        "Choose whether the child knows that you are asking this question.",
    ),
    ("Kies hoe oud het kind is.", "Choose how old the child is."),
    ("Kies hoe oud je bent.", "Choose how old you are."),
    (
        "Een pleegouder is 18 jaar of ouder. Kies ‘18 of ouder’.",
        "A foster parent is 18 or older. Choose ‘18 or older’.",
    ),
    ("Kies minstens één onderwerp.", "Choose at least one topic."),
    ("Kies ja of nee.", "Choose yes or no."),
    (
        "Kies hoe we contact met je mogen opnemen.",
        "Choose how we may contact you.",
    ),
    (
        "Kies minstens één moment waarop we je veilig kunnen bereiken.",
        "Choose at least one time when we can safely reach you.",
    ),
    (
        "Kies of we een bericht mogen achterlaten.",
        "Choose whether we may leave a message.",
    ),
    (
        "Kies een antwoord op de vraag of je nu veilig bent.",
        "Choose an answer to the question whether you are safe right now.",
    ),
    (
        "Dit veld moet leeg blijven. Maak het leeg en verstuur je vraag opnieuw.",
        "This field must stay empty. Empty it and send your request again.",
    ),
    (
        "Deze gemeente kennen we niet. Kies een gemeente uit de lijst, of kies ‘Weet ik niet’.",
        "We don’t know this municipality. Choose one from the list, or choose ‘I don’t know’.",
    ),
    // The domain: domain/src/text.rs.
    (
        "Hier staat een teken in dat we niet kunnen opslaan. Haal het weg en probeer het opnieuw.",
        "There is a character in here that we can’t save. Remove it and try again.",
    ),
    (
        "Schrijf op wie we kunnen vragen om jou te bereiken, en hoe we die persoon bereiken.",
        "Write down who we can ask to reach you, and how we can reach that person.",
    ),
    // The domain: domain/src/contact.rs.
    (
        "Dit mobiele nummer klopt niet. Een mobiel nummer begint met 06 en heeft 10 cijfers, bijvoorbeeld 06 12345678.",
        "This mobile number is not right. A mobile number starts with 06 and has 10 digits, for example 06 12345678.",
    ),
    (
        "Vul je mobiele nummer in, bijvoorbeeld 06 12345678.",
        "Fill in your mobile number, for example 06 12345678.",
    ),
    (
        "Vul je e-mailadres in, bijvoorbeeld naam@voorbeeld.nl.",
        "Fill in your email address, for example name@example.com.",
    ),
    (
        "Dit e-mailadres klopt niet. Een e-mailadres ziet eruit als naam@voorbeeld.nl.",
        "This email address is not right. An email address looks like name@example.com.",
    ),
    // The API: api/src/error.rs.
    (
        "Stuur de gegevens als JSON, met de header Content-Type: application/json.",
        "Send the data as JSON, with the header Content-Type: application/json.",
    ),
    (
        "De header Idempotency-Key ontbreekt of klopt niet. Gebruik 16 tot 64 tekens: letters, cijfers, - of _.",
        "The Idempotency-Key header is missing or wrong. Use 16 to 64 characters: letters, digits, - or _.",
    ),
    (
        "Het bericht is te groot. Het mag maximaal 64 kB zijn. Maak je tekst korter.",
        "Your message is too big. It can be at most 64 kB. Make your text shorter.",
    ),
    (
        "Het bericht kwam niet goed aan. Probeer het opnieuw.",
        "Your message did not arrive properly. Try again.",
    ),
    (
        "De gegevens zijn niet goed gecodeerd. Stuur ze als UTF-8.",
        "The data is not encoded properly. Send it as UTF-8.",
    ),
    (
        "Niet alles is goed ingevuld. Kijk bij de velden wat er nog mist of anders moet.",
        "Not everything is filled in correctly. Look at the questions to see what is missing or needs to change.",
    ),
    (
        "Je vraag was al aangekomen voordat je iets veranderde. Wat je daarna veranderde, is niet meegestuurd: vertel het aan de vertrouwenspersoon.",
        "Your request had already arrived before you changed something. What you changed after that was not sent: tell the confidant.",
    ),
    (
        "Er zijn in korte tijd te veel berichten verstuurd vanaf dit apparaat of netwerk. Wat je hebt ingevuld is niet weg. Wacht een minuut en probeer het dan opnieuw.",
        "Too many messages were sent from this device or network in a short time. What you filled in is not lost. Wait a minute and then try again.",
    ),
    (
        "Het is nu erg druk. Wat je hebt ingevuld is niet weg. Wacht even en probeer het dan opnieuw. Is er nu gevaar? Bel 112.",
        "It is very busy right now. What you filled in is not lost. Wait a moment and then try again. Are you in danger right now? Call 112.",
    ),
    ("Dit adres bestaat niet.", "This address does not exist."),
    (
        "Het opslaan lukt nu niet. Je vraag is nog niet verstuurd. Probeer het over een paar minuten opnieuw.",
        "We can’t save your request right now. It has not been sent yet. Try again in a few minutes.",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;
    use kjr_domain::{
        DRAFT_FIELDS, MAX_MESSAGE_CHARS, MAX_NICKNAME_CHARS, MAX_VIA_PERSON_CHARS, RequestDraft,
    };

    /// A draft that passes, to spoil one field at a time.
    fn valid() -> RequestDraft {
        RequestDraft {
            asker: Some("child".into()),
            age_band: Some("12_17".into()),
            topics: vec!["home".into()],
            has_trusted_person: Some(false),
            channel: Some("whatsapp".into()),
            contact: Some("06 12345678".into()),
            contact_times: vec!["evening".into()],
            may_leave_message: Some(false),
            safe_now: Some("yes".into()),
            ..RequestDraft::default()
        }
    }

    fn bad_drafts() -> Vec<RequestDraft> {
        let with = |change: fn(&mut RequestDraft)| {
            let mut d = valid();
            change(&mut d);
            d
        };
        vec![
            RequestDraft::default(),
            RequestDraft {
                asker: Some("on_behalf".into()),
                ..RequestDraft::default()
            },
            with(|d| d.asker = Some("robot".into())),
            with(|d| {
                d.asker = Some("foster_parent".into());
                d.age_band = Some("under_12".into());
            }),
            with(|d| {
                d.asker = Some("on_behalf".into());
                d.child_knows = Some("maybe".into());
            }),
            with(|d| d.topics = vec!["home".into(), "aliens".into()]),
            with(|d| d.contact = Some("12345".into())),
            with(|d| d.contact = None),
            with(|d| d.may_leave_message = None),
            with(|d| {
                d.channel = Some("email".into());
                d.contact = Some("sam@".into());
            }),
            with(|d| {
                d.channel = Some("email".into());
                d.contact = None;
            }),
            with(|d| {
                d.channel = Some("via_person".into());
                d.contact = Some(" ".into());
            }),
            with(|d| {
                d.channel = Some("via_person".into());
                d.contact = Some("x".repeat(MAX_VIA_PERSON_CHARS + 1));
            }),
            with(|d| d.channel = Some("pigeon".into())),
            with(|d| d.municipality = Some("Atlantis".into())),
            with(|d| d.message = Some("x".repeat(MAX_MESSAGE_CHARS + 1))),
            with(|d| d.message = Some("a\0b".into())),
            with(|d| d.nickname = Some("x".repeat(MAX_NICKNAME_CHARS + 1))),
            with(|d| d.nickname = Some("Sam\nmy".into())),
            with(|d| d.website = Some("https://spam.example".into())),
        ]
    }

    #[test]
    fn lang_attributes_starting_with_en_are_english() {
        assert_eq!(Lang::from_tag("en"), Lang::En);
        assert_eq!(Lang::from_tag("en-GB"), Lang::En);
        assert_eq!(Lang::from_tag("nl"), Lang::Nl);
        assert_eq!(Lang::from_tag(""), Lang::Nl);
        assert_eq!(Lang::from_tag("e"), Lang::Nl);
    }

    #[test]
    fn every_problem_the_form_can_find_has_an_english_message_and_label() {
        let mut seen = std::collections::HashSet::new();
        for draft in bad_drafts() {
            let errors = draft.validate().expect_err("a bad draft").0;
            for e in errors {
                seen.insert(e.message.clone());
                assert!(
                    english_for_field(&e.field, &e.message).is_some(),
                    "no English for {}: {}",
                    e.field,
                    e.message
                );
                assert!(field_label_en(&e.field).is_some(), "{}", e.field);
            }
        }
        // Every message `validate` can give: 24 when this was written.
        assert!(seen.len() >= 24, "only {} different problems", seen.len());
    }

    #[test]
    fn every_problem_with_the_shape_of_the_json_has_an_english_message() {
        let value = serde_json::json!({
            "asker": 1,
            "topics": "home",
            "has_trusted_person": "ja",
            "colour": "blue"
        });
        let serde_json::Value::Object(object) = value else {
            unreachable!()
        };
        let (_, errors) = RequestDraft::from_json_object(object);
        assert_eq!(errors.len(), 4);
        for e in errors {
            assert!(english(&e.message).is_some(), "{}", e.message);
        }
    }

    #[test]
    fn every_message_of_the_api_has_an_english_translation() {
        // Copied from `ApiError::parts` in api/src/error.rs.
        for dutch in [
            "Stuur de gegevens als JSON, met de header Content-Type: application/json.",
            "De header Idempotency-Key ontbreekt of klopt niet. Gebruik 16 tot 64 tekens: letters, cijfers, - of _.",
            "Het bericht is te groot. Het mag maximaal 64 kB zijn. Maak je tekst korter.",
            "Het bericht kwam niet goed aan. Probeer het opnieuw.",
            "De gegevens zijn niet goed gecodeerd. Stuur ze als UTF-8.",
            "De gegevens zijn geen geldig JSON-object (regel 1, kolom 2).",
            "De gegevens zijn geen geldig JSON-object (we verwachten een object { … }).",
            "Niet alles is goed ingevuld. Kijk bij de velden wat er nog mist of anders moet.",
            "Je vraag was al aangekomen voordat je iets veranderde. Wat je daarna veranderde, is niet meegestuurd: vertel het aan de vertrouwenspersoon.",
            "Er zijn in korte tijd te veel berichten verstuurd vanaf dit apparaat of netwerk. Wat je hebt ingevuld is niet weg. Wacht een minuut en probeer het dan opnieuw.",
            "Het is nu erg druk. Wat je hebt ingevuld is niet weg. Wacht even en probeer het dan opnieuw. Is er nu gevaar? Bel 112.",
            "Dit adres bestaat niet.",
            "Het opslaan lukt nu niet. Je vraag is nog niet verstuurd. Probeer het over een paar minuten opnieuw.",
        ] {
            assert!(english(dutch).is_some(), "{dutch}");
        }
    }

    #[test]
    fn the_english_length_limits_are_the_domains() {
        for (field, max) in [
            ("message", MAX_MESSAGE_CHARS),
            ("nickname", MAX_NICKNAME_CHARS),
            ("contact", MAX_VIA_PERSON_CHARS),
        ] {
            let english = english_for_field(field, "Dit is te lang: 9999 tekens.").unwrap();
            assert!(english.contains(&format!(" {max} ")), "{field}: {english}");
        }
    }

    #[test]
    fn every_field_has_an_english_label() {
        for field in DRAFT_FIELDS {
            assert!(field_label_en(field).is_some(), "{field}");
        }
    }

    #[test]
    fn problems_are_shown_in_the_language_of_the_page() {
        let e = FieldError::new("has_trusted_person", "Kies ja of nee.");
        set_lang(Lang::Nl);
        assert_eq!(localised_field_error(e.clone()), e);
        assert_eq!(
            localised_message("Dit adres bestaat niet.".into()),
            "Dit adres bestaat niet."
        );
        set_lang(Lang::En);
        let english = localised_field_error(e);
        assert_eq!(english.label, "Someone to trust");
        assert_eq!(english.message, "Choose yes or no.");
        assert_eq!(
            localised_message("Dit adres bestaat niet.".into()),
            "This address does not exist."
        );
        // Unknown Dutch stays Dutch rather than disappearing.
        let unknown = localised_field_error(FieldError::new("colour", "Kleur klopt niet."));
        assert_eq!(
            (unknown.label.as_str(), unknown.message.as_str()),
            ("colour", "Kleur klopt niet.")
        );
        set_lang(Lang::Nl);
    }
}
