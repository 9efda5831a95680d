//! The confidant request: the raw [`RequestDraft`] as it comes from a form or the wire, and
//! the [`ConfidantRequest`] that only [`RequestDraft::validate`] can build.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::{
    Channel, ContactAddress, Field, FieldError, FreeText, Lang, Municipality, Nickname,
    Perspective, Problem, ValidationErrors,
};

crate::wire_enum! {
    /// Who fills in the form.
    pub enum AskerKind {
        /// The child or young person.
        Child = "child",
        /// A foster parent, asking for themself.
        FosterParent = "foster_parent",
        /// An adult asking on behalf of a child.
        OnBehalf = "on_behalf",
    }
}

crate::wire_enum! {
    /// When an adult asks on a child's behalf: does the child know?
    pub enum ChildKnows {
        Yes = "yes",
        No = "no",
        NotSure = "not_sure",
    }
}

crate::wire_enum! {
    /// Age band of the child the request is about (18+ for a foster parent asking for themself).
    pub enum AgeBand {
        Under12 = "under_12",
        From12To17 = "12_17",
        Adult = "18_plus",
    }
}

crate::wire_enum! {
    /// What the request is about, in the child's words.
    pub enum Topic {
        Home = "home",
        Unsafe = "unsafe",
        Family = "family",
        Worker = "worker",
        NotHeard = "not_heard",
        Placement = "placement",
        School = "school",
        /// The child's body and growing up.
        Body = "body",
        Complaint = "complaint",
        Rights = "rights",
        Other = "other",
    }
}

crate::wire_enum! {
    /// A part of the day when contact is safe.
    pub enum ContactTime {
        Morning = "morning",
        Afternoon = "afternoon",
        Evening = "evening",
        Weekend = "weekend",
    }
}

crate::wire_enum! {
    /// The answer to "Ben je nu veilig?".
    pub enum SafeNow {
        Yes = "yes",
        No = "no",
        /// "Ik weet het niet": a young child may not know (the picture route asks so).
        NotSure = "not_sure",
        RatherNotSay = "rather_not_say",
    }
}

crate::wire_enum! {
    /// How the child feels, as the picture route for children under 12 asks it first.
    pub enum Feeling {
        Happy = "happy",
        Sad = "sad",
        Scared = "scared",
        Angry = "angry",
        DontKnow = "dont_know",
    }
}

/// Gives each closed set of the form its label in a language, from [`crate::Words`].
macro_rules! labelled {
    ($($ty:ident => $words:ident),* $(,)?) => {$(
        impl $ty {
            /// The label people see, in `lang`.
            pub fn label(self, lang: Lang) -> &'static str {
                lang.words().$words(self)
            }
        }
    )*};
}

labelled! {
    AskerKind => asker,
    ChildKnows => child_knows,
    AgeBand => age_band,
    Topic => topic,
    ContactTime => contact_time,
    SafeNow => safe_now,
    Feeling => feeling,
    Channel => channel,
}

impl AskerKind {
    /// Whose situation a request by this asker is about.
    pub fn perspective(self) -> Perspective {
        if self == AskerKind::OnBehalf {
            Perspective::ForAChild
        } else {
            Perspective::Own
        }
    }
}

/// Who asks, with what that implies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Asker {
    /// The child or young person.
    Child,
    /// A foster parent, for themself.
    FosterParent,
    /// An adult on behalf of a child.
    OnBehalf {
        /// Whether the child knows about the request.
        child_knows: ChildKnows,
    },
}

/// A request as typed into the form or sent over the wire: every field raw and optional.
///
/// This is the JSON body of `POST /api/requests`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestDraft {
    /// `child`, `foster_parent` or `on_behalf`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub asker: Option<String>,
    /// With `on_behalf`: `yes`, `no` or `not_sure`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub child_knows: Option<String>,
    /// `under_12`, `12_17` or `18_plus`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age_band: Option<String>,
    /// How the child feels (`happy`, `sad`, `scared`, `angry`, `dont_know`), optional: the
    /// picture route asks it, the full form does not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feeling: Option<String>,
    /// Topic wire names, at least one.
    #[serde(default)]
    pub topics: Vec<String>,
    /// The child's own words, optional.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// A first name or nickname, optional.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nickname: Option<String>,
    /// Is there already someone the child trusts? Optional: the picture route does not ask.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub has_trusted_person: Option<bool>,
    /// Channel wire name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    /// The address for the channel (number, e-mail, or who and how).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
    /// Safe contact times, at least one.
    #[serde(default)]
    pub contact_times: Vec<String>,
    /// May we leave a message?
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub may_leave_message: Option<bool>,
    /// Never contact me through my foster parents (a checkbox: absent means no).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub never_via_foster_parents: Option<bool>,
    /// `yes`, `no` or `rather_not_say`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub safe_now: Option<String>,
    /// A municipality from the bundled list; absent or empty means "I don't know".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub municipality: Option<String>,
    /// The honeypot: a field people never see, so never fill. Anything in it means a bot
    /// filled the form, and the request is refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
}

/// A valid confidant request. Only [`RequestDraft::validate`] builds one: even reading one
/// back from storage goes through its draft and the same checks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RequestDraft", into = "RequestDraft")]
pub struct ConfidantRequest {
    asker: Asker,
    age_band: AgeBand,
    feeling: Option<Feeling>,
    topics: Vec<Topic>,
    message: Option<FreeText>,
    nickname: Option<Nickname>,
    has_trusted_person: Option<bool>,
    channel: Channel,
    contact: ContactAddress,
    contact_times: Vec<ContactTime>,
    may_leave_message: bool,
    never_via_foster_parents: bool,
    safe_now: SafeNow,
    municipality: Option<Municipality>,
}

impl ConfidantRequest {
    /// Who asks.
    pub fn asker(&self) -> Asker {
        self.asker
    }
    /// Age band of the child (18+ for a foster parent).
    pub fn age_band(&self) -> AgeBand {
        self.age_band
    }
    /// How the child feels, if asked.
    pub fn feeling(&self) -> Option<Feeling> {
        self.feeling
    }
    /// What it is about.
    pub fn topics(&self) -> &[Topic] {
        &self.topics
    }
    /// The child's own words.
    pub fn message(&self) -> Option<&FreeText> {
        self.message.as_ref()
    }
    /// First name or nickname.
    pub fn nickname(&self) -> Option<&Nickname> {
        self.nickname.as_ref()
    }
    /// Is there already someone the child trusts? `None`: not asked or not answered.
    pub fn has_trusted_person(&self) -> Option<bool> {
        self.has_trusted_person
    }
    /// How to make contact.
    pub fn channel(&self) -> Channel {
        self.channel
    }
    /// Where to make contact.
    pub fn contact(&self) -> &ContactAddress {
        &self.contact
    }
    /// When contact is safe.
    pub fn contact_times(&self) -> &[ContactTime] {
        &self.contact_times
    }
    /// May we leave a message?
    pub fn may_leave_message(&self) -> bool {
        self.may_leave_message
    }
    /// Never via the foster parents.
    pub fn never_via_foster_parents(&self) -> bool {
        self.never_via_foster_parents
    }
    /// The answer to "Ben je nu veilig?".
    pub fn safe_now(&self) -> SafeNow {
        self.safe_now
    }
    /// Where the child lives, if known.
    pub fn municipality(&self) -> Option<Municipality> {
        self.municipality
    }
    /// A child who says they are not safe now goes first.
    pub fn is_urgent(&self) -> bool {
        self.safe_now == SafeNow::No
    }

    /// The request back as a draft (what the form would send for it).
    pub fn to_draft(&self) -> RequestDraft {
        let (asker, child_knows) = match self.asker {
            Asker::Child => (AskerKind::Child, None),
            Asker::FosterParent => (AskerKind::FosterParent, None),
            Asker::OnBehalf { child_knows } => (AskerKind::OnBehalf, Some(child_knows)),
        };
        RequestDraft {
            asker: Some(asker.as_str().into()),
            child_knows: child_knows.map(|k| k.as_str().into()),
            age_band: Some(self.age_band.as_str().into()),
            feeling: self.feeling.map(|f| f.as_str().into()),
            topics: self.topics.iter().map(|t| t.as_str().into()).collect(),
            message: self.message.as_ref().map(|m| m.as_str().into()),
            nickname: self.nickname.as_ref().map(|n| n.as_str().into()),
            has_trusted_person: self.has_trusted_person,
            channel: Some(self.channel.as_str().into()),
            contact: (self.contact != ContactAddress::OnWebsite)
                .then(|| self.contact.as_str().into()),
            contact_times: self
                .contact_times
                .iter()
                .map(|t| t.as_str().into())
                .collect(),
            may_leave_message: Some(self.may_leave_message),
            never_via_foster_parents: Some(self.never_via_foster_parents),
            safe_now: Some(self.safe_now.as_str().into()),
            municipality: self.municipality.map(|m| m.name().into()),
            website: None,
        }
    }
}

impl TryFrom<RequestDraft> for ConfidantRequest {
    type Error = String;
    fn try_from(draft: RequestDraft) -> Result<Self, String> {
        // Field names and codes only: never what was typed.
        draft.validate().map_err(|e| e.to_string())
    }
}

impl From<ConfidantRequest> for RequestDraft {
    fn from(request: ConfidantRequest) -> Self {
        request.to_draft()
    }
}

/// Collects field errors while a draft is checked.
#[derive(Default)]
struct Collector(Vec<FieldError>);

impl Collector {
    fn push(&mut self, field: Field, problem: Problem) {
        self.0.push(FieldError::new(field, problem));
    }
    /// A required single choice from a closed set.
    fn choice<T>(
        &mut self,
        field: Field,
        raw: &Option<String>,
        parse: fn(&str) -> Option<T>,
    ) -> Option<T> {
        match raw.as_deref() {
            None | Some("") => {
                self.push(field, Problem::Required);
                None
            }
            Some(value) => {
                let parsed = parse(value);
                if parsed.is_none() {
                    self.push(field, Problem::UnknownChoice);
                }
                parsed
            }
        }
    }
    /// An optional single choice: absent or empty is `Some(None)`, unknown is an error.
    fn optional_choice<T>(
        &mut self,
        field: Field,
        raw: &Option<String>,
        parse: fn(&str) -> Option<T>,
    ) -> Option<Option<T>> {
        match raw.as_deref() {
            None | Some("") => Some(None),
            Some(_) => self.choice(field, raw, parse).map(Some),
        }
    }
    /// A required multiple choice: at least one, each known, duplicates dropped.
    fn choices<T: PartialEq>(
        &mut self,
        field: Field,
        raw: &[String],
        parse: fn(&str) -> Option<T>,
    ) -> Vec<T> {
        let mut out = Vec::new();
        for value in raw {
            match parse(value) {
                Some(v) if !out.contains(&v) => out.push(v),
                Some(_) => {}
                None => {
                    self.push(field, Problem::UnknownChoice);
                    return Vec::new();
                }
            }
        }
        if out.is_empty() && raw.is_empty() {
            self.push(field, Problem::Required);
        }
        out
    }
    /// A required yes/no answer.
    fn yes_no(&mut self, field: Field, raw: Option<bool>) -> Option<bool> {
        if raw.is_none() {
            self.push(field, Problem::Required);
        }
        raw
    }
    /// A field with its own parser.
    fn parsed<T>(&mut self, result: Result<T, FieldError>) -> Option<T> {
        result.map_err(|e| self.0.push(e)).ok()
    }
}

impl RequestDraft {
    /// Reads a draft from a JSON object, naming every unknown field and every field of the
    /// wrong JSON type; those fields are left empty in the draft.
    pub fn from_json_object(
        object: serde_json::Map<String, serde_json::Value>,
    ) -> (Self, ValidationErrors) {
        fn take<T: DeserializeOwned + Default>(
            errors: &mut Vec<FieldError>,
            field: Field,
            value: serde_json::Value,
        ) -> T {
            serde_json::from_value(value).unwrap_or_else(|_| {
                errors.push(FieldError::new(field, Problem::WrongType));
                T::default()
            })
        }
        let mut d = RequestDraft::default();
        let mut errors = ValidationErrors::default();
        for (key, v) in object {
            let Some(field) = Field::from_wire(&key) else {
                errors.unknown_fields.push(key);
                continue;
            };
            let e = &mut errors.fields;
            match field {
                Field::Asker => d.asker = take(e, field, v),
                Field::ChildKnows => d.child_knows = take(e, field, v),
                Field::AgeBand => d.age_band = take(e, field, v),
                Field::Feeling => d.feeling = take(e, field, v),
                Field::SafeNow => d.safe_now = take(e, field, v),
                Field::Topics => d.topics = take(e, field, v),
                Field::Message => d.message = take(e, field, v),
                Field::HasTrustedPerson => d.has_trusted_person = take(e, field, v),
                Field::Nickname => d.nickname = take(e, field, v),
                Field::Channel => d.channel = take(e, field, v),
                Field::Contact => d.contact = take(e, field, v),
                Field::ContactTimes => d.contact_times = take(e, field, v),
                Field::MayLeaveMessage => d.may_leave_message = take(e, field, v),
                Field::NeverViaFosterParents => d.never_via_foster_parents = take(e, field, v),
                Field::Municipality => d.municipality = take(e, field, v),
                Field::Website => d.website = take(e, field, v),
            }
        }
        errors.perspective = d.perspective();
        (d, errors)
    }

    /// Reads and checks a JSON object in one go: every problem, of shape or of content, once
    /// per field.
    pub fn parse_json_object(
        object: serde_json::Map<String, serde_json::Value>,
    ) -> Result<ConfidantRequest, ValidationErrors> {
        let (draft, mut errors) = Self::from_json_object(object);
        match draft.validate() {
            Ok(request) if errors.fields.is_empty() && errors.unknown_fields.is_empty() => {
                Ok(request)
            }
            Ok(_) => Err(errors),
            Err(more) => {
                for e in more.fields {
                    if errors.for_field(e.field).is_none() {
                        errors.fields.push(e);
                    }
                }
                Err(errors)
            }
        }
    }

    /// Whose situation this draft is about, for the wording of its problems.
    pub fn perspective(&self) -> Perspective {
        self.asker
            .as_deref()
            .and_then(AskerKind::from_wire)
            .map_or(Perspective::Own, AskerKind::perspective)
    }

    /// Checks every field (all problems at once) and builds the request.
    pub fn validate(&self) -> Result<ConfidantRequest, ValidationErrors> {
        let mut c = Collector::default();
        let kind = c.choice(Field::Asker, &self.asker, AskerKind::from_wire);
        let asker = match kind {
            Some(AskerKind::Child) => Some(Asker::Child),
            Some(AskerKind::FosterParent) => Some(Asker::FosterParent),
            Some(AskerKind::OnBehalf) => c
                .choice(Field::ChildKnows, &self.child_knows, ChildKnows::from_wire)
                .map(|child_knows| Asker::OnBehalf { child_knows }),
            None => None,
        };
        let age_band = if asker == Some(Asker::FosterParent) && self.age_band.is_none() {
            Some(AgeBand::Adult)
        } else {
            c.choice(Field::AgeBand, &self.age_band, AgeBand::from_wire)
        };
        if asker == Some(Asker::FosterParent) && matches!(age_band, Some(a) if a != AgeBand::Adult)
        {
            c.push(Field::AgeBand, Problem::FosterParentIsAdult);
        }
        let feeling = c.optional_choice(Field::Feeling, &self.feeling, Feeling::from_wire);
        let topics = c.choices(Field::Topics, &self.topics, Topic::from_wire);
        let message = c
            .parsed(FreeText::parse(self.message.as_deref().unwrap_or("")))
            .flatten();
        let nickname = c
            .parsed(Nickname::parse(self.nickname.as_deref().unwrap_or("")))
            .flatten();
        let channel = c.choice(Field::Channel, &self.channel, Channel::from_wire);
        let contact = channel
            .and_then(|ch| c.parsed(ch.parse_address(self.contact.as_deref().unwrap_or(""))));
        // Nobody calls a child who reads the replies on the website: safe times are not
        // asked then (any sent must still be known choices).
        let times_asked = channel.is_none_or(Channel::reaches_out);
        let contact_times = if !times_asked && self.contact_times.is_empty() {
            Vec::new()
        } else {
            c.choices(
                Field::ContactTimes,
                &self.contact_times,
                ContactTime::from_wire,
            )
        };
        // A voicemail or text only exists for phone channels; for e-mail or a named person
        // the question is not asked and the answer is "no".
        let may_leave_message = match channel {
            Some(ch) if ch.has_phone_number() => {
                c.yes_no(Field::MayLeaveMessage, self.may_leave_message)
            }
            _ => Some(self.may_leave_message.unwrap_or(false)),
        };
        let safe_now = c.choice(Field::SafeNow, &self.safe_now, SafeNow::from_wire);
        if self
            .website
            .as_deref()
            .is_some_and(|w| !w.trim().is_empty())
        {
            c.push(Field::Website, Problem::MustBeEmpty);
        }
        let municipality = match self.municipality.as_deref().map(str::trim) {
            None | Some("") => Some(None),
            Some(name) => match Municipality::find(name) {
                Some(m) => Some(Some(m)),
                None => {
                    c.push(Field::Municipality, Problem::UnknownMunicipality);
                    None
                }
            },
        };

        match (
            asker,
            age_band,
            channel,
            contact,
            feeling,
            may_leave_message,
            safe_now,
            municipality,
        ) {
            (
                Some(asker),
                Some(age_band),
                Some(channel),
                Some(contact),
                Some(feeling),
                Some(may_leave_message),
                Some(safe_now),
                Some(municipality),
            ) if c.0.is_empty() => Ok(ConfidantRequest {
                asker,
                age_band,
                feeling,
                topics,
                message,
                nickname,
                has_trusted_person: self.has_trusted_person,
                channel,
                contact,
                contact_times,
                may_leave_message,
                never_via_foster_parents: self.never_via_foster_parents.unwrap_or(false),
                safe_now,
                municipality,
            }),
            _ => Err(ValidationErrors {
                fields: c.0,
                unknown_fields: Vec::new(),
                perspective: self.perspective(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn child_draft() -> RequestDraft {
        RequestDraft {
            asker: Some("child".into()),
            age_band: Some("12_17".into()),
            topics: vec!["home".into(), "not_heard".into()],
            message: Some("Ik wil met iemand praten.".into()),
            nickname: Some("Sam".into()),
            has_trusted_person: Some(false),
            channel: Some("whatsapp".into()),
            contact: Some("06 12345678".into()),
            contact_times: vec!["afternoon".into()],
            may_leave_message: Some(false),
            never_via_foster_parents: Some(true),
            safe_now: Some("no".into()),
            municipality: Some("Vlaardingen".into()),
            ..RequestDraft::default()
        }
    }

    #[test]
    fn complete_child_draft_is_valid_and_urgent_when_not_safe() {
        let r = child_draft().validate().unwrap();
        assert!(r.is_urgent());
        assert_eq!(r.contact().as_str(), "+31612345678");
        assert_eq!(r.municipality().unwrap().name(), "Vlaardingen");
    }

    #[test]
    fn validated_request_round_trips_through_its_draft() {
        let r = child_draft().validate().unwrap();
        assert_eq!(r.to_draft().validate().unwrap(), r);
    }

    #[test]
    fn empty_draft_names_every_required_field() {
        let errors = RequestDraft::default().validate().unwrap_err();
        for field in [
            Field::Asker,
            Field::AgeBand,
            Field::Topics,
            Field::Channel,
            Field::ContactTimes,
            Field::SafeNow,
        ] {
            assert!(errors.for_field(field).is_some(), "{field}: {errors:?}");
        }
        // Asked by one form only, so never required.
        for field in [Field::Feeling, Field::HasTrustedPerson] {
            assert!(errors.for_field(field).is_none(), "{field}: {errors:?}");
        }
    }

    #[test]
    fn the_feeling_is_optional_and_must_be_a_known_one() {
        let mut draft = child_draft();
        assert_eq!(draft.validate().unwrap().feeling(), None);
        draft.feeling = Some("scared".into());
        let request = draft.validate().unwrap();
        assert_eq!(request.feeling(), Some(Feeling::Scared));
        assert_eq!(request.to_draft().validate().unwrap(), request);
        draft.feeling = Some("grumpy".into());
        let errors = draft.validate().unwrap_err();
        assert_eq!(
            errors.for_field(Field::Feeling),
            Some(Problem::UnknownChoice)
        );
    }

    #[test]
    fn leaving_a_message_is_asked_only_for_phone_channels() {
        let mut d = child_draft();
        d.may_leave_message = None;
        assert!(
            d.validate()
                .unwrap_err()
                .for_field(Field::MayLeaveMessage)
                .is_some()
        );
        d.channel = Some("email".into());
        d.contact = Some("sam@voorbeeld.nl".into());
        assert!(!d.validate().unwrap().may_leave_message());
    }

    #[test]
    fn stored_request_that_no_longer_validates_cannot_be_read_back() {
        let mut json = serde_json::to_value(child_draft().validate().unwrap()).unwrap();
        json["contact"] = "not a number".into();
        let err = serde_json::from_value::<ConfidantRequest>(json).unwrap_err();
        assert!(err.to_string().contains("contact"));
        assert!(
            !err.to_string().contains("not a number"),
            "no typed content in errors"
        );
    }

    #[test]
    fn errors_for_an_adult_asking_for_a_child_speak_about_the_child() {
        let d = RequestDraft {
            asker: Some("on_behalf".into()),
            child_knows: Some("yes".into()),
            ..RequestDraft::default()
        };
        let errors = d.validate().unwrap_err();
        assert_eq!(errors.for_field(Field::AgeBand), Some(Problem::Required));
        let e = FieldError::new(Field::AgeBand, Problem::Required);
        assert_eq!(
            e.message(Lang::Nl, errors.perspective),
            "Kies hoe oud het kind is."
        );
    }

    #[test]
    fn adult_on_behalf_must_say_whether_the_child_knows() {
        let mut d = child_draft();
        d.asker = Some("on_behalf".into());
        let errors = d.validate().unwrap_err();
        assert!(errors.for_field(Field::ChildKnows).is_some());
        d.child_knows = Some("not_sure".into());
        assert!(d.validate().is_ok());
    }

    #[test]
    fn foster_parent_is_an_adult_without_being_asked() {
        let mut d = child_draft();
        d.asker = Some("foster_parent".into());
        d.age_band = None;
        assert_eq!(d.validate().unwrap().age_band(), AgeBand::Adult);
        d.age_band = Some("under_12".into());
        assert!(
            d.validate().unwrap_err().for_field(Field::AgeBand)
                == Some(Problem::FosterParentIsAdult)
        );
    }

    #[test]
    fn a_filled_honeypot_is_refused_and_an_empty_one_is_fine() {
        let mut d = child_draft();
        d.website = Some(String::new());
        assert!(d.validate().is_ok());
        d.website = Some("https://spam.example".into());
        let errors = d.validate().unwrap_err();
        assert_eq!(errors.fields.len(), 1);
        assert_eq!(errors.for_field(Field::Website), Some(Problem::MustBeEmpty));
    }

    #[test]
    fn unknown_municipality_is_refused_but_not_knowing_is_fine() {
        let mut d = child_draft();
        d.municipality = Some("Atlantis".into());
        assert!(
            d.validate()
                .unwrap_err()
                .for_field(Field::Municipality)
                .is_some()
        );
        d.municipality = None;
        assert_eq!(d.validate().unwrap().municipality(), None);
    }

    #[test]
    fn address_must_match_the_channel() {
        let mut d = child_draft();
        d.channel = Some("email".into());
        let errors = d.validate().unwrap_err();
        assert_eq!(
            errors.for_field(Field::Contact),
            Some(Problem::InvalidContact {
                channel: Channel::Email
            })
        );
    }

    #[test]
    fn json_object_with_unknown_and_mistyped_fields_names_each() {
        let value = serde_json::json!({
            "asker": "child",
            "topics": "home",
            "has_trusted_person": "ja",
            "colour": "blue"
        });
        let serde_json::Value::Object(map) = value else {
            unreachable!()
        };
        let errors = RequestDraft::parse_json_object(map).unwrap_err();
        assert_eq!(errors.for_field(Field::Topics), Some(Problem::WrongType));
        assert_eq!(
            errors.for_field(Field::HasTrustedPerson),
            Some(Problem::WrongType)
        );
        assert_eq!(errors.unknown_fields, ["colour"]);
        assert!(errors.for_field(Field::Asker).is_none());
        assert!(
            errors.for_field(Field::SafeNow).is_some(),
            "missing fields are named too"
        );
    }

    #[test]
    fn draft_field_list_matches_the_serialised_draft() {
        let value = serde_json::to_value(child_draft_all_fields()).unwrap();
        let keys: Vec<&str> = value
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let mut expected: Vec<&str> = Field::ALL.iter().map(|f| f.as_str()).collect();
        expected.sort_unstable();
        let mut keys = keys;
        keys.sort_unstable();
        assert_eq!(keys, expected);
    }

    fn child_draft_all_fields() -> RequestDraft {
        RequestDraft {
            child_knows: Some("yes".into()),
            feeling: Some("happy".into()),
            website: Some(String::new()),
            ..child_draft()
        }
    }
}
