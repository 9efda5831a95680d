//! Dutch.

use super::{Either, Texts};

pub const TEXTS: Texts = Texts {
    yes: "Ja",
    no: "Nee",
    optional: "(mag je overslaan)",

    who_fills_in: "Wie vult dit formulier in?",
    who_for: "Voor wie vraag je hulp?",
    for_myself: "Voor mezelf",
    for_my_foster_child: "Voor mijn pleegkind",
    child_knows: "Weet het kind dat je deze vraag stelt?",
    age: Either {
        own: "Hoe oud ben je?",
        for_a_child: "Hoe oud is het kind?",
    },

    safe_now: Either {
        own: "Ben je nu veilig?",
        for_a_child: "Is het kind nu veilig?",
    },
    help_now_title: "Hulp die je nu kunt bellen",
    in_danger: |on_behalf, number| {
        let who = if on_behalf { "Is het kind" } else { "Ben je" };
        format!("{who} nu in gevaar? Wacht dan niet, maar bel meteen {number}.")
    },
    finish_the_form: "Je kunt dit formulier ook gewoon afmaken en versturen. \
                      Dan gaat jouw vraag voor: we pakken hem als eerste op.",

    topics: "Waar gaat het over?",
    more_than_one: "Je mag meer dan één kiezen.",
    message: "Wil je er iets over vertellen? ",
    message_hint: "Schrijf het in je eigen woorden. Kort is ook goed. ",
    counter: |n, max| format!("{n} van {max} tekens"),
    trusted_person: Either {
        own: "Is er al iemand die je vertrouwt en met wie je kunt praten?",
        for_a_child: "Is er al iemand die het kind vertrouwt en met wie het kan praten?",
    },
    nickname: "Hoe mogen we je noemen? ",
    nickname_hint: "Een voornaam of bijnaam is genoeg.",

    channel: "Hoe mogen we contact met je opnemen?",
    contact_phone: "Op welk mobiel nummer mogen we je bellen?",
    contact_sms: "Naar welk mobiel nummer mogen we een sms sturen?",
    contact_whatsapp: "Op welk mobiel nummer heb je WhatsApp?",
    contact_email: "Naar welk e-mailadres mogen we mailen?",
    contact_via_person: "Wie, en hoe bereiken we die persoon?",
    phone_hint: "Bijvoorbeeld 06 12345678.",
    email_hint: "Bijvoorbeeld naam@voorbeeld.nl.",
    via_person_hint: "Bijvoorbeeld: juf Anna, via school.",
    contact_times: "Wanneer kunnen we je veilig bereiken?",
    contact_times_hint: "Kies alles wat kan.",
    leave_message: "Mogen we een bericht achterlaten (voicemail of sms) als je niet opneemt?",
    leave_message_simple: "Mogen we een berichtje sturen of inspreken als je niet opneemt?",
    leave_message_hint: "Kies ‘Nee’ als iemand anders je telefoon kan zien of horen.",
    never_via_foster_parents: Either {
        own: "Neem nooit contact met me op via mijn pleegouders",
        for_a_child: "Neem nooit contact op via de pleegouders van het kind",
    },
    municipality: Either {
        own: "In welke gemeente woon je?",
        for_a_child: "In welke gemeente woont het kind?",
    },
    municipality_hint: "Begin met typen en kies uit de lijst. Weet je het niet? Kies dan ‘Weet ik niet’.",
    dont_know: "Weet ik niet",

    honeypot: "Laat dit veld leeg",
    honeypot_filled: "Je browser had een verborgen veld ingevuld. Dat is nu leeg gemaakt. \
                      Verstuur je vraag nog een keer.",
    nothing_to_foster_parents: "Je vraag gaat naar Jeugdstem. We sturen niets naar je pleegouders.",
    sending: "Je vraag wordt verstuurd…",
    send_failed: "Het versturen is niet gelukt. Wat je hebt ingevuld is bewaard. \
                  Controleer je internet en probeer het opnieuw.",
    retry: "Probeer het opnieuw",
    send_button: "Verstuur je vraag",
    sending_button: "Bezig met versturen…",
    not_sent: "Je vraag kon niet worden verstuurd. Kijk je antwoorden na en probeer het opnieuw.",

    error_prefix: "Let op: ",
    summary_title: "Kijk nog even naar je antwoorden",

    sent_title: "Je vraag is verstuurd",
    already_arrived: "Je vraag was al aangekomen. Wat je daarna nog veranderde, is niet meegestuurd. \
                      Vertel het aan de vertrouwenspersoon.",
    code_intro: "Dit is je code. Met deze code kan Jeugdstem je vraag terugvinden:",
    keep_code: "Schrijf je code alleen op als dat veilig is. \
                Je hebt de code niet nodig om geholpen te worden.",
    reference_intro: "Je referentie is:",
    keep_reference: "Bewaar de referentie of schrijf hem op, maar alleen als dat veilig is voor jou. \
                     Je hebt hem niet nodig om geholpen te worden.",
    words_intro: "Dit zijn je drie geheime woorden:",
    keep_words: "Met je referentie en deze drie woorden lees je het antwoord. \
                 Schrijf ze op of onthoud ze. Bewaar ze waar niemand anders ze vindt. \
                 We laten ze maar één keer zien.",
    keep_words_code: "Met je code en deze drie woorden lees je het antwoord. \
                      Schrijf ze op of onthoud ze. Bewaar ze waar niemand anders ze vindt. \
                      We laten ze maar één keer zien.",
    what_now: "Wat gebeurt er nu?",
    to_home: "Naar de startpagina",
};
