//! English.

use crate::RequestReceipt;
use crate::{
    AgeBand, ApiProblem, AskerKind, Channel, ChildKnows, ContactTime, Direction, Feeling, Field,
    FieldError, Helpline, Perspective, Problem, ReadAloudWords, SafeNow, Shape, Topic, Words,
};

/// English.
pub struct English;

impl Words for English {
    fn direction(&self) -> Direction {
        Direction::Ltr
    }
    fn path_prefix(&self) -> &'static str {
        "/en"
    }
    fn name(&self) -> &'static str {
        "English"
    }

    fn field(&self, field: Field) -> &'static str {
        match field {
            Field::Asker => "Who is asking",
            Field::ChildKnows => "Whether the child knows",
            Field::AgeBand => "Age",
            Field::Feeling => "How the child feels",
            Field::SafeNow => "Safe right now",
            Field::Topics => "What it is about",
            Field::Message => "Message",
            Field::HasTrustedPerson => "Someone to trust",
            Field::Nickname => "Name or nickname",
            Field::Channel => "How we get in touch",
            Field::Contact => "Number or address",
            Field::ContactTimes => "When we may call or write",
            Field::MayLeaveMessage => "Leaving a message",
            Field::NeverViaFosterParents => "Never through the foster parents",
            Field::Municipality => "Municipality",
            Field::Website => "Leave this field empty",
        }
    }

    fn problem(&self, error: &FieldError, perspective: Perspective) -> String {
        let text = match error.problem {
            Problem::Required => match error.field {
                Field::Asker => "Choose who is asking this question.",
                Field::ChildKnows => {
                    "Choose whether the child knows that you are asking this question."
                }
                Field::AgeBand => match perspective {
                    Perspective::Own => "Choose how old you are.",
                    Perspective::ForAChild => "Choose how old the child is.",
                },
                Field::SafeNow => {
                    "Choose an answer to the question whether you are safe right now."
                }
                Field::Topics => "Choose at least one topic.",
                Field::HasTrustedPerson => "Choose yes or no.",
                Field::Channel => "Choose how we may contact you.",
                Field::ContactTimes => "Choose at least one time when we can safely reach you.",
                Field::MayLeaveMessage => "Choose whether we may leave a message.",
                _ => "Fill this in.",
            },
            Problem::UnknownChoice => match error.field.shape() {
                Shape::List => "We don’t know one of these choices. Choose from the list.",
                _ => "We don’t know this choice. Choose one of the answers.",
            },
            Problem::WrongType => match error.field.shape() {
                Shape::Text => "This field has the wrong form: we expect text.",
                Shape::List => "This field has the wrong form: we expect a list of texts.",
                Shape::Bool => "This field has the wrong form: we expect true or false.",
            },
            Problem::TooLong { max, length } => {
                return format!(
                    "This is too long: {length} characters. It can be at most {max} characters. Make it a bit shorter."
                );
            }
            Problem::ControlCharacter => {
                "There is a character in here that we can’t save. Remove it and try again."
            }
            Problem::ContactRequired { channel } => match channel {
                Channel::Email => "Fill in your email address, for example name@example.com.",
                Channel::ViaPerson => {
                    "Write down who we can ask to reach you, and how we can reach that person."
                }
                _ => "Fill in your mobile number, for example 06 12345678.",
            },
            Problem::InvalidContact { channel } => match channel {
                Channel::Email => {
                    "This email address is not right. An email address looks like name@example.com."
                }
                _ => {
                    "This mobile number is not right. A mobile number starts with 06 and has 10 digits, for example 06 12345678."
                }
            },
            Problem::MustBeEmpty => {
                "This field must stay empty. Empty it and send your request again."
            }
            Problem::UnknownMunicipality => {
                "We don’t know this municipality. Choose one from the list, or choose ‘I don’t know’."
            }
            Problem::FosterParentIsAdult => "A foster parent is 18 or older. Choose ‘18 or older’.",
        };
        text.to_owned()
    }

    fn api_problem(&self, problem: &ApiProblem) -> String {
        match *problem {
            ApiProblem::UnsupportedMediaType => {
                "Send the data as JSON, with the header Content-Type: application/json.".into()
            }
            ApiProblem::MissingIdempotencyKey => "The Idempotency-Key header is missing or wrong. Use 16 to 64 characters: letters, digits, - or _.".into(),
            ApiProblem::PayloadTooLarge { max_bytes } => format!(
                "Your message is too big. It can be at most {} kB. Make your text shorter.",
                max_bytes / 1024
            ),
            ApiProblem::UnreadableBody => "Your message did not arrive properly. Try again.".into(),
            ApiProblem::InvalidEncoding => "The data is not encoded properly. Send it as UTF-8.".into(),
            ApiProblem::MalformedJson { line, column } => {
                format!("The data is not a valid JSON object (line {line}, column {column}).")
            }
            ApiProblem::NotAnObject => {
                "The data is not a valid JSON object (we expect an object { … }).".into()
            }
            ApiProblem::ValidationFailed => "Not everything is filled in correctly. Look at the questions to see what is missing or needs to change.".into(),
            ApiProblem::IdempotencyKeyReused => "Your request had already arrived before you changed something. What you changed after that was not sent: tell the confidant.".into(),
            ApiProblem::RateLimited { .. } => "Too many messages were sent from this device or network in a short time. What you filled in is not lost. Wait a minute and then try again.".into(),
            ApiProblem::Busy { .. } => format!(
                "It is very busy right now. What you filled in is not lost. Wait a moment and then try again. Are you in danger right now? Call {}.",
                Helpline::Emergency.number()
            ),
            ApiProblem::NotFound => "This address does not exist.".into(),
            ApiProblem::MethodNotAllowed => "This address cannot take this request.".into(),
            ApiProblem::StorageUnavailable => "We can’t save your request right now. It has not been sent yet. Try again in a few minutes.".into(),
            ApiProblem::Unauthenticated => "You are not signed in (any more). Sign in again.".into(),
            ApiProblem::SignInFailed => "Signing in did not work. Check your e-mail address, password and the code from your app.".into(),
            ApiProblem::SignInLocked { retry_after_seconds } => format!(
                "Too many failed sign-ins. Try again in {} minutes.",
                retry_after_seconds.div_ceil(60)
            ),
            ApiProblem::CrossSiteRefused => "This change did not come from the portal's own pages and was refused.".into(),
            ApiProblem::Forbidden => "Your role does not allow this.".into(),
            ApiProblem::VersionConflict => "Someone else has just changed this request. Look at the new state; what you typed is still there.".into(),
            ApiProblem::InvalidTransition => "This is not possible in the request's current status.".into(),
            ApiProblem::OverrideReasonRequired { .. } => "This contact goes against what the person said is safe. Write down why it is needed anyway.".into(),
            ApiProblem::InvalidInput => "The data is not right.".into(),
            ApiProblem::IdentityProviderFailed => "Signing in through your organisation did not work. Try again.".into(),
            ApiProblem::VeiligThuisStepRequired => "There are signs of abuse or danger. First record what was done with Veilig Thuis (advice or a report).".into(),
            ApiProblem::SecondColleagueRequired => "You asked to close this. A second colleague must approve it.".into(),
            ApiProblem::ConversationNotFound => "That is not right. Check that you typed the reference and the three words well. Then try again.".into(),
            ApiProblem::ConversationLocked { retry_after_seconds } => format!(
                "You have tried too often. Try again in {} minutes. Do you want to talk to someone now? Call De Kindertelefoon: {}. Is there danger? Call {}.",
                retry_after_seconds.div_ceil(60).max(1),
                Helpline::Kindertelefoon.number(),
                Helpline::Emergency.number()
            ),
            ApiProblem::ConversationClosed => "This conversation has ended. You can still read it. You cannot write back any more. Do you want to talk again? Then send a new request.".into(),
            ApiProblem::NoConversation => "This person did not choose to read replies on the website. Make contact in the way they chose.".into(),
        }
    }

    fn unknown_fields(&self, names: &[String]) -> String {
        format!(
            "We don’t know these fields: {}. Only send the fields of the form.",
            names.join(", ")
        )
    }

    fn asker(&self, value: AskerKind) -> &'static str {
        match value {
            AskerKind::Child => "I’m the child or young person",
            AskerKind::FosterParent => "I’m a foster parent, asking for myself",
            AskerKind::OnBehalf => "I’m asking for a child",
        }
    }
    fn child_knows(&self, value: ChildKnows) -> &'static str {
        match value {
            ChildKnows::Yes => "Yes, the child knows",
            ChildKnows::No => "No, the child doesn’t know",
            ChildKnows::NotSure => "I don’t know",
        }
    }
    fn age_band(&self, value: AgeBand) -> &'static str {
        match value {
            AgeBand::Under12 => "Younger than 12",
            AgeBand::From12To17 => "12 to 17",
            AgeBand::Adult => "18 or older",
        }
    }
    fn topic(&self, value: Topic) -> &'static str {
        match value {
            Topic::Home => "How things are going in my foster family",
            Topic::Unsafe => "I don’t feel safe",
            Topic::Family => "Contact with my own family",
            Topic::Worker => "My foster care worker or guardian",
            Topic::NotHeard => "People don’t listen to me",
            Topic::Placement => "Where I live or am going to live",
            Topic::School => "School, friends or free time",
            Topic::Body => "My body or growing up",
            Topic::Complaint => "I want to make a complaint",
            Topic::Rights => "I want to know my rights",
            Topic::Other => "Something else",
        }
    }
    fn contact_time(&self, value: ContactTime) -> &'static str {
        match value {
            ContactTime::Morning => "Morning (8 am to 12 noon)",
            ContactTime::Afternoon => "Afternoon (12 noon to 5 pm)",
            ContactTime::Evening => "Evening (5 pm to 9 pm)",
            ContactTime::Weekend => "At the weekend",
        }
    }
    fn safe_now(&self, value: SafeNow) -> &'static str {
        match value {
            SafeNow::Yes => "Yes",
            SafeNow::No => "No",
            SafeNow::NotSure => "I don't know",
            SafeNow::RatherNotSay => "I’d rather not say",
        }
    }
    fn feeling(&self, value: Feeling) -> &'static str {
        match value {
            Feeling::Happy => "Happy",
            Feeling::Sad => "Sad",
            Feeling::Scared => "Scared",
            Feeling::Angry => "Angry",
            Feeling::DontKnow => "I don't know",
        }
    }
    fn channel(&self, value: Channel) -> &'static str {
        match value {
            Channel::Phone => "Phone call",
            Channel::Sms => "Text message (SMS)",
            Channel::Whatsapp => "WhatsApp",
            Channel::Email => "Email",
            Channel::ViaPerson => "Through someone I trust",
            Channel::OnWebsite => "I'll check this website myself",
        }
    }

    fn day_in_words(&self, weekday: u8, day: u8, month: u8) -> String {
        const DAYS: [&str; 7] = [
            "Monday",
            "Tuesday",
            "Wednesday",
            "Thursday",
            "Friday",
            "Saturday",
            "Sunday",
        ];
        const MONTHS: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
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
                "by {} at {:02}:{:02}",
                self.day_in_words(d.weekday, d.day, d.month),
                d.hour,
                d.minute
            ),
            None => format!(
                "within {}",
                super::within(hours, "hour", "hours", "day", "days")
            ),
        };
        let otherwise = match (due.is_some(), receipt.replies_on_website) {
            (false, _) => String::new(),
            (true, false) => format!(
                " Haven't heard anything by then? Send a new request and mention your reference. Or call De Kindertelefoon: {}.",
                Helpline::Kindertelefoon.number()
            ),
            (true, true) => format!(
                " No reply by then? Send a new request and mention your reference. Or call De Kindertelefoon: {}.",
                Helpline::Kindertelefoon.number()
            ),
        };
        if receipt.replies_on_website {
            let first = if urgent {
                "Your request goes first. "
            } else {
                ""
            };
            let danger = if urgent {
                format!(
                    " Are you in danger right now? Then call {} straight away.",
                    Helpline::Emergency.number()
                )
            } else {
                String::new()
            };
            return format!(
                "{first}A confidant from Jeugdstem will write back to you {within}. You read the reply here on this website, under ‘Read your reply’. There you type your reference and your three words.{danger}{otherwise}"
            );
        }
        if urgent {
            format!(
                "Your request goes first. A confidant from Jeugdstem will try to contact you {within}, in the way you chose. Are you in danger right now? Then call {} straight away.{otherwise}",
                Helpline::Emergency.number()
            )
        } else {
            format!(
                "A confidant from Jeugdstem will contact you {within}, in the way and at the time you chose.{otherwise}"
            )
        }
    }

    fn helpline_short(&self, helpline: Helpline) -> String {
        let n = helpline.number();
        match helpline {
            Helpline::Emergency => format!("{n} in danger"),
            Helpline::VeiligThuis => format!("Veilig Thuis (abuse helpline) {n}"),
            Helpline::Kindertelefoon => format!("Kindertelefoon (children’s helpline) {n}"),
        }
    }
    fn helpline_call(&self, helpline: Helpline) -> (String, String) {
        let n = helpline.number();
        match helpline {
            Helpline::Emergency => (format!("Call {n}"), " if there is danger right now".into()),
            Helpline::VeiligThuis => ("Veilig Thuis".into(), format!(" {n}, free, day and night")),
            Helpline::Kindertelefoon => ("De Kindertelefoon".into(), format!(" {n}, free")),
        }
    }

    fn read_aloud(&self) -> &'static ReadAloudWords {
        &ReadAloudWords {
            label: "Read aloud",
            play: "Read aloud",
            pause: "Pause",
            resume: "Continue",
            stop: "Stop",
            no_voice: "Reading aloud is not possible: this device has no English voice.",
            failed: "Reading aloud does not work right now. Try again later.",
            voice: "en-GB",
        }
    }
}
