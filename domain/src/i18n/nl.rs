//! Dutch, the default language.

use crate::RequestReceipt;
use crate::{
    AgeBand, ApiProblem, AskerKind, Channel, ChildKnows, ContactTime, Direction, Feeling, Field,
    FieldError, Helpline, Perspective, Problem, ReadAloudWords, SafeNow, Shape, Topic, Words,
};

/// Dutch.
pub struct Dutch;

impl Words for Dutch {
    fn direction(&self) -> Direction {
        Direction::Ltr
    }
    fn path_prefix(&self) -> &'static str {
        "/nl"
    }
    fn name(&self) -> &'static str {
        "Nederlands"
    }

    fn field(&self, field: Field) -> &'static str {
        match field {
            Field::Asker => "Wie de vraag stelt",
            Field::ChildKnows => "Of het kind het weet",
            Field::AgeBand => "Leeftijd",
            Field::Feeling => "Hoe het kind zich voelt",
            Field::SafeNow => "Veilig op dit moment",
            Field::Topics => "Waar het over gaat",
            Field::Message => "Bericht",
            Field::HasTrustedPerson => "Iemand om te vertrouwen",
            Field::Nickname => "Naam of bijnaam",
            Field::Channel => "Hoe we contact opnemen",
            Field::Contact => "Nummer of adres",
            Field::ContactTimes => "Wanneer we mogen bellen of schrijven",
            Field::MayLeaveMessage => "Een bericht achterlaten",
            Field::NeverViaFosterParents => "Nooit via de pleegouders",
            Field::Municipality => "Gemeente",
            Field::Website => "Laat dit veld leeg",
        }
    }

    fn problem(&self, error: &FieldError, perspective: Perspective) -> String {
        let text = match error.problem {
            Problem::Required => match error.field {
                Field::Asker => "Kies wie deze vraag stelt.",
                Field::ChildKnows => "Kies of het kind weet dat je deze vraag stelt.",
                Field::AgeBand => match perspective {
                    Perspective::Own => "Kies hoe oud je bent.",
                    Perspective::ForAChild => "Kies hoe oud het kind is.",
                },
                Field::SafeNow => "Kies een antwoord op de vraag of je nu veilig bent.",
                Field::Topics => "Kies minstens één onderwerp.",
                Field::HasTrustedPerson => "Kies ja of nee.",
                Field::Channel => "Kies hoe we contact met je mogen opnemen.",
                Field::ContactTimes => {
                    "Kies minstens één moment waarop we je veilig kunnen bereiken."
                }
                Field::MayLeaveMessage => "Kies of we een bericht mogen achterlaten.",
                _ => "Vul dit in.",
            },
            Problem::UnknownChoice => match error.field.shape() {
                Shape::List => "Een van deze keuzes kennen we niet. Kies uit de lijst.",
                _ => "Deze keuze kennen we niet. Kies een van de antwoorden.",
            },
            Problem::WrongType => match error.field.shape() {
                Shape::Text => "Dit veld heeft de verkeerde vorm: we verwachten tekst.",
                Shape::List => {
                    "Dit veld heeft de verkeerde vorm: we verwachten een lijst met teksten."
                }
                Shape::Bool => "Dit veld heeft de verkeerde vorm: we verwachten true of false.",
            },
            Problem::TooLong { max, length } => {
                return format!(
                    "Dit is te lang: {length} tekens. Het mag maximaal {max} tekens zijn. Maak het wat korter."
                );
            }
            Problem::ControlCharacter => {
                "Hier staat een teken in dat we niet kunnen opslaan. Haal het weg en probeer het opnieuw."
            }
            Problem::ContactRequired { channel } => match channel {
                Channel::Email => "Vul je e-mailadres in, bijvoorbeeld naam@voorbeeld.nl.",
                Channel::ViaPerson => {
                    "Schrijf op wie we kunnen vragen om jou te bereiken, en hoe we die persoon bereiken."
                }
                _ => "Vul je mobiele nummer in, bijvoorbeeld 06 12345678.",
            },
            Problem::InvalidContact { channel } => match channel {
                Channel::Email => {
                    "Dit e-mailadres klopt niet. Een e-mailadres ziet eruit als naam@voorbeeld.nl."
                }
                _ => {
                    "Dit mobiele nummer klopt niet. Een mobiel nummer begint met 06 en heeft 10 cijfers, bijvoorbeeld 06 12345678."
                }
            },
            Problem::MustBeEmpty => {
                "Dit veld moet leeg blijven. Maak het leeg en verstuur je vraag opnieuw."
            }
            Problem::UnknownMunicipality => {
                "Deze gemeente kennen we niet. Kies een gemeente uit de lijst, of kies ‘Weet ik niet’."
            }
            Problem::FosterParentIsAdult => {
                "Een pleegouder is 18 jaar of ouder. Kies ‘18 of ouder’."
            }
        };
        text.to_owned()
    }

    fn api_problem(&self, problem: &ApiProblem) -> String {
        match *problem {
            ApiProblem::UnsupportedMediaType => {
                "Stuur de gegevens als JSON, met de header Content-Type: application/json.".into()
            }
            ApiProblem::MissingIdempotencyKey => "De header Idempotency-Key ontbreekt of klopt niet. Gebruik 16 tot 64 tekens: letters, cijfers, - of _.".into(),
            ApiProblem::PayloadTooLarge { max_bytes } => format!(
                "Het bericht is te groot. Het mag maximaal {} kB zijn. Maak je tekst korter.",
                max_bytes / 1024
            ),
            ApiProblem::UnreadableBody => "Het bericht kwam niet goed aan. Probeer het opnieuw.".into(),
            ApiProblem::InvalidEncoding => "De gegevens zijn niet goed gecodeerd. Stuur ze als UTF-8.".into(),
            ApiProblem::MalformedJson { line, column } => format!(
                "De gegevens zijn geen geldig JSON-object (regel {line}, kolom {column})."
            ),
            ApiProblem::NotAnObject => {
                "De gegevens zijn geen geldig JSON-object (we verwachten een object { … }).".into()
            }
            ApiProblem::ValidationFailed => "Niet alles is goed ingevuld. Kijk bij de velden wat er nog mist of anders moet.".into(),
            ApiProblem::IdempotencyKeyReused => "Je vraag was al aangekomen voordat je iets veranderde. Wat je daarna veranderde, is niet meegestuurd: vertel het aan de vertrouwenspersoon.".into(),
            ApiProblem::RateLimited { .. } => "Er zijn in korte tijd te veel berichten verstuurd vanaf dit apparaat of netwerk. Wat je hebt ingevuld is niet weg. Wacht een minuut en probeer het dan opnieuw.".into(),
            ApiProblem::Busy { .. } => format!(
                "Het is nu erg druk. Wat je hebt ingevuld is niet weg. Wacht even en probeer het dan opnieuw. Is er nu gevaar? Bel {}.",
                Helpline::Emergency.number()
            ),
            ApiProblem::NotFound => "Dit adres bestaat niet.".into(),
            ApiProblem::MethodNotAllowed => "Dit adres kan dit verzoek niet aannemen.".into(),
            ApiProblem::StorageUnavailable => "Het opslaan lukt nu niet. Je vraag is nog niet verstuurd. Probeer het over een paar minuten opnieuw.".into(),
            ApiProblem::Unauthenticated => "Je bent niet (meer) ingelogd. Log opnieuw in.".into(),
            ApiProblem::SignInFailed => "Inloggen is niet gelukt. Controleer je e-mailadres, wachtwoord en code uit je app.".into(),
            ApiProblem::SignInLocked { retry_after_seconds } => format!(
                "Te vaak een verkeerde inlog. Probeer het over {} minuten opnieuw.",
                retry_after_seconds.div_ceil(60)
            ),
            ApiProblem::CrossSiteRefused => "Deze wijziging kwam niet van de pagina's van het portaal en is geweigerd.".into(),
            ApiProblem::Forbidden => "Dit mag je niet met jouw rol.".into(),
            ApiProblem::VersionConflict => "Iemand anders heeft deze vraag net gewijzigd. Bekijk de nieuwe stand; wat je typte staat er nog.".into(),
            ApiProblem::InvalidTransition => "Dit kan niet in de status waarin de vraag nu staat.".into(),
            ApiProblem::OverrideReasonRequired { .. } => "Dit contact gaat in tegen wat de vrager veilig vindt. Schrijf op waarom het toch nodig is.".into(),
            ApiProblem::InvalidInput => "De gegevens kloppen niet.".into(),
            ApiProblem::IdentityProviderFailed => "Inloggen via je organisatie is niet gelukt. Probeer het opnieuw.".into(),
            ApiProblem::VeiligThuisStepRequired => "Er zijn signalen van mishandeling of gevaar. Leg eerst vast wat er met Veilig Thuis is gedaan (advies of melding).".into(),
            ApiProblem::SecondColleagueRequired => "Jij vroeg om af te sluiten. Een tweede collega moet dit goedkeuren.".into(),
            ApiProblem::ConversationNotFound => "Dit klopt niet. Kijk of je de referentie en de drie woorden goed hebt getypt. Probeer het dan nog eens.".into(),
            ApiProblem::ConversationLocked { retry_after_seconds } => format!(
                "Je hebt het te vaak geprobeerd. Probeer het over {} minuten weer. Wil je nu met iemand praten? Bel De Kindertelefoon: {}. Is er gevaar? Bel {}.",
                retry_after_seconds.div_ceil(60).max(1),
                Helpline::Kindertelefoon.number(),
                Helpline::Emergency.number()
            ),
            ApiProblem::ConversationClosed => "Dit gesprek is klaar. Je kunt het nog lezen. Terugschrijven kan niet meer. Wil je weer praten? Stuur dan een nieuwe vraag.".into(),
            ApiProblem::NoConversation => "Deze vrager koos niet voor antwoord op de website. Neem contact op zoals de vrager koos.".into(),
        }
    }

    fn unknown_fields(&self, names: &[String]) -> String {
        format!(
            "Deze velden kennen we niet: {}. Stuur alleen de velden van het formulier.",
            names.join(", ")
        )
    }

    fn asker(&self, value: AskerKind) -> &'static str {
        match value {
            AskerKind::Child => "Ik ben het kind of de jongere zelf",
            AskerKind::FosterParent => "Ik ben pleegouder en vraag het voor mezelf",
            AskerKind::OnBehalf => "Ik vraag het voor een kind",
        }
    }
    fn child_knows(&self, value: ChildKnows) -> &'static str {
        match value {
            ChildKnows::Yes => "Ja, het kind weet het",
            ChildKnows::No => "Nee, het kind weet het niet",
            ChildKnows::NotSure => "Weet ik niet",
        }
    }
    fn age_band(&self, value: AgeBand) -> &'static str {
        match value {
            AgeBand::Under12 => "Jonger dan 12",
            AgeBand::From12To17 => "12 tot en met 17",
            AgeBand::Adult => "18 of ouder",
        }
    }
    fn topic(&self, value: Topic) -> &'static str {
        match value {
            Topic::Home => "Hoe het gaat in mijn pleeggezin",
            Topic::Unsafe => "Ik voel me niet veilig",
            Topic::Family => "Contact met mijn eigen familie",
            Topic::Worker => "Mijn pleegzorgbegeleider of voogd",
            Topic::NotHeard => "Er wordt niet naar mij geluisterd",
            Topic::Placement => "Waar ik woon of ga wonen",
            Topic::School => "School, vrienden of vrije tijd",
            Topic::Body => "Mijn lichaam of opgroeien",
            Topic::Complaint => "Ik wil een klacht indienen",
            Topic::Rights => "Ik wil weten wat mijn rechten zijn",
            Topic::Other => "Iets anders",
        }
    }
    fn contact_time(&self, value: ContactTime) -> &'static str {
        match value {
            ContactTime::Morning => "Ochtend (8 tot 12 uur)",
            ContactTime::Afternoon => "Middag (12 tot 17 uur)",
            ContactTime::Evening => "Avond (17 tot 21 uur)",
            ContactTime::Weekend => "In het weekend",
        }
    }
    fn safe_now(&self, value: SafeNow) -> &'static str {
        match value {
            SafeNow::Yes => "Ja",
            SafeNow::No => "Nee",
            SafeNow::NotSure => "Ik weet het niet",
            SafeNow::RatherNotSay => "Zeg ik liever niet",
        }
    }
    fn feeling(&self, value: Feeling) -> &'static str {
        match value {
            Feeling::Happy => "Blij",
            Feeling::Sad => "Verdrietig",
            Feeling::Scared => "Bang",
            Feeling::Angry => "Boos",
            Feeling::DontKnow => "Ik weet het niet",
        }
    }
    fn channel(&self, value: Channel) -> &'static str {
        match value {
            Channel::Phone => "Bellen",
            Channel::Sms => "Sms",
            Channel::Whatsapp => "WhatsApp",
            Channel::Email => "E-mail",
            Channel::ViaPerson => "Via iemand die ik vertrouw",
            Channel::OnWebsite => "Ik heb geen eigen telefoon: ik kijk zelf op deze website",
        }
    }

    fn day_in_words(&self, weekday: u8, day: u8, month: u8) -> String {
        const DAYS: [&str; 7] = [
            "maandag",
            "dinsdag",
            "woensdag",
            "donderdag",
            "vrijdag",
            "zaterdag",
            "zondag",
        ];
        const MONTHS: [&str; 12] = [
            "januari",
            "februari",
            "maart",
            "april",
            "mei",
            "juni",
            "juli",
            "augustus",
            "september",
            "oktober",
            "november",
            "december",
        ];
        format!(
            "{} {day} {}",
            DAYS[usize::from(weekday.clamp(1, 7) - 1)],
            MONTHS[usize::from(month.clamp(1, 12) - 1)]
        )
    }

    fn next_steps(&self, receipt: &RequestReceipt) -> String {
        let (urgent, hours, due) = (
            receipt.urgent,
            receipt.respond_within_hours,
            receipt.due.as_ref(),
        );
        let within = match due {
            Some(d) => format!(
                "uiterlijk {} om {:02}:{:02}",
                self.day_in_words(d.weekday, d.day, d.month),
                d.hour,
                d.minute
            ),
            None => format!(
                "binnen {}",
                super::within(hours, "uur", "uur", "dag", "dagen")
            ),
        };
        let otherwise = match (due.is_some(), receipt.replies_on_website) {
            (false, _) => String::new(),
            (true, false) => format!(
                " Heb je dan nog niets gehoord? Stuur dan een nieuwe vraag en noem je referentie. Of bel De Kindertelefoon: {}.",
                Helpline::Kindertelefoon.number()
            ),
            (true, true) => format!(
                " Staat er dan nog geen antwoord? Stuur dan een nieuwe vraag en noem je referentie. Of bel De Kindertelefoon: {}.",
                Helpline::Kindertelefoon.number()
            ),
        };
        if receipt.replies_on_website {
            let first = if urgent { "Je vraag gaat voor. " } else { "" };
            let danger = if urgent {
                format!(
                    " Is er nu gevaar? Bel dan meteen {}.",
                    Helpline::Emergency.number()
                )
            } else {
                String::new()
            };
            return format!(
                "{first}Een vertrouwenspersoon van Jeugdstem schrijft je {within} terug. Je leest het antwoord hier op de site, bij ‘Lees je antwoord’. Daar typ je je referentie en je drie woorden.{danger}{otherwise}"
            );
        }
        if urgent {
            format!(
                "Je vraag gaat voor. Een vertrouwenspersoon van Jeugdstem probeert {within} contact met je op te nemen, op de manier die jij koos. Is er nu gevaar? Bel dan meteen {}.{otherwise}",
                Helpline::Emergency.number()
            )
        } else {
            format!(
                "Een vertrouwenspersoon van Jeugdstem neemt {within} contact met je op, op de manier en het moment die jij koos.{otherwise}"
            )
        }
    }

    fn helpline_short(&self, helpline: Helpline) -> String {
        let n = helpline.number();
        match helpline {
            Helpline::Emergency => format!("{n} bij gevaar"),
            Helpline::VeiligThuis => format!("Veilig Thuis {n}"),
            Helpline::Kindertelefoon => format!("Kindertelefoon {n}"),
        }
    }
    fn helpline_call(&self, helpline: Helpline) -> (String, String) {
        let n = helpline.number();
        match helpline {
            Helpline::Emergency => (format!("Bel {n}"), " als er nu gevaar is".into()),
            Helpline::VeiligThuis => ("Veilig Thuis".into(), format!(" {n}, gratis, dag en nacht")),
            Helpline::Kindertelefoon => ("De Kindertelefoon".into(), format!(" {n}, gratis")),
        }
    }

    fn read_aloud(&self) -> &'static ReadAloudWords {
        &ReadAloudWords {
            label: "Voorlezen",
            play: "Lees voor",
            pause: "Pauze",
            resume: "Verder",
            stop: "Stop",
            no_voice: "Voorlezen gaat niet: dit apparaat heeft geen Nederlandse stem.",
            failed: "Voorlezen lukt nu niet. Probeer het later nog eens.",
            voice: "nl-NL",
        }
    }
}
