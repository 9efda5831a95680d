//! Everything typed into the form, as the domain's own values, and the draft it sends.

use kjr_domain::{
    AgeBand, AskerKind, Audience, Channel, ChildKnows, ContactTime, RequestDraft, SafeNow, Topic,
};
use leptos::prelude::*;

/// The form's answers. Choices hold the domain's enums; free text is kept as typed.
#[derive(Clone, Copy)]
pub struct Answers {
    pub asker: RwSignal<Option<AskerKind>>,
    pub child_knows: RwSignal<Option<ChildKnows>>,
    pub age_band: RwSignal<Option<AgeBand>>,
    pub topics: RwSignal<Vec<Topic>>,
    pub message: RwSignal<String>,
    pub nickname: RwSignal<String>,
    pub has_trusted_person: RwSignal<Option<bool>>,
    pub channel: RwSignal<Option<Channel>>,
    pub contact: RwSignal<String>,
    pub contact_times: RwSignal<Vec<ContactTime>>,
    pub may_leave_message: RwSignal<Option<bool>>,
    pub never_via_foster_parents: RwSignal<bool>,
    pub safe_now: RwSignal<Option<SafeNow>>,
    pub municipality: RwSignal<String>,
    pub municipality_unknown: RwSignal<bool>,
    /// The honeypot (see [`RequestDraft::website`]).
    pub website: RwSignal<String>,
}

impl Answers {
    /// An empty form, with who asks and the age band filled in from the audience it was
    /// opened for.
    pub fn new(voor: Option<Audience>) -> Self {
        let (asker, age_band) = match voor {
            Some(Audience::Under12) => (Some(AskerKind::Child), Some(AgeBand::Under12)),
            Some(Audience::TwelvePlus) => (Some(AskerKind::Child), Some(AgeBand::From12To17)),
            Some(Audience::FosterParent | Audience::Professional) | None => (None, None),
        };
        Self {
            asker: RwSignal::new(asker),
            child_knows: RwSignal::new(None),
            age_band: RwSignal::new(age_band),
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
            website: RwSignal::new(String::new()),
        }
    }

    /// The draft to validate and send: only what the visible questions asked.
    pub fn draft(self) -> RequestDraft {
        let asker = self.asker.get_untracked();
        let channel = self.channel.get_untracked();
        let wire = |v: Option<&'static str>| v.map(str::to_owned);
        RequestDraft {
            asker: wire(asker.map(AskerKind::as_str)),
            // Asked by the picture route only.
            feeling: None,
            child_knows: (asker == Some(AskerKind::OnBehalf))
                .then(|| wire(self.child_knows.get_untracked().map(ChildKnows::as_str)))
                .flatten(),
            // Only when the question is shown: a foster parent asking for themself is 18+, and
            // the API fills that in.
            age_band: asks_age(asker)
                .then(|| wire(self.age_band.get_untracked().map(AgeBand::as_str)))
                .flatten(),
            topics: in_list_order(Topic::ALL, self.topics, Topic::as_str),
            message: non_blank(self.message),
            nickname: non_blank(self.nickname),
            has_trusted_person: self.has_trusted_person.get_untracked(),
            channel: wire(channel.map(Channel::as_str)),
            // Nobody calls a person who reads the replies on the website: no address and no
            // safe times are sent then.
            contact: channel
                .filter(|c| c.reaches_out())
                .and_then(|_| non_blank(self.contact)),
            contact_times: if channel.is_some_and(|c| !c.reaches_out()) {
                Vec::new()
            } else {
                in_list_order(ContactTime::ALL, self.contact_times, ContactTime::as_str)
            },
            may_leave_message: asks_leave_message(channel)
                .then(|| self.may_leave_message.get_untracked())
                .flatten(),
            never_via_foster_parents: (asker != Some(AskerKind::FosterParent))
                .then(|| self.never_via_foster_parents.get_untracked()),
            safe_now: wire(self.safe_now.get_untracked().map(SafeNow::as_str)),
            municipality: if self.municipality_unknown.get_untracked() {
                None
            } else {
                non_blank(self.municipality)
            },
            website: non_blank(self.website),
        }
    }
}

/// Whether the age question is shown: for a child, or for an adult asking for a child. (A
/// foster parent asking for themself is 18+; before "who asks" is answered, we do not know
/// whose age to ask.)
pub fn asks_age(asker: Option<AskerKind>) -> bool {
    matches!(asker, Some(AskerKind::Child | AskerKind::OnBehalf))
}

/// Whether "may we leave a message?" is asked: only for a channel with a phone number.
pub fn asks_leave_message(channel: Option<Channel>) -> bool {
    channel.is_some_and(Channel::has_phone_number)
}

/// The text, unless it is empty or only spaces.
fn non_blank(text: RwSignal<String>) -> Option<String> {
    text.with_untracked(|t| (!t.trim().is_empty()).then(|| t.clone()))
}

/// The chosen values in the order of the list they come from, so that ticking the same boxes
/// in another order gives the same draft.
fn in_list_order<T: Copy + PartialEq + Send + Sync + 'static>(
    all: &[T],
    chosen: RwSignal<Vec<T>>,
    wire: fn(T) -> &'static str,
) -> Vec<String> {
    chosen.with_untracked(|chosen| {
        all.iter()
            .filter(|v| chosen.contains(v))
            .map(|v| wire(*v).to_owned())
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use kjr_domain::Field;

    fn filled(voor: Option<Audience>) -> Answers {
        let a = Answers::new(voor);
        a.topics.set(vec![Topic::Other, Topic::Home]);
        a.message.set("  ".into());
        a.nickname.set("Sam".into());
        a.has_trusted_person.set(Some(false));
        a.channel.set(Some(Channel::Whatsapp));
        a.contact.set("06 12345678".into());
        a.contact_times
            .set(vec![ContactTime::Evening, ContactTime::Morning]);
        a.may_leave_message.set(Some(true));
        a.never_via_foster_parents.set(true);
        a.safe_now.set(Some(SafeNow::No));
        a.municipality.set("Vlaardingen".into());
        a
    }

    #[test]
    fn a_child_from_the_twelve_plus_page_sends_a_valid_urgent_draft() {
        let d = filled(Some(Audience::TwelvePlus)).draft();
        assert_eq!(d.asker.as_deref(), Some("child"));
        assert_eq!(d.age_band.as_deref(), Some("12_17"));
        assert_eq!(d.message, None, "a blank message is not sent");
        assert_eq!(d.never_via_foster_parents, Some(true));
        assert!(d.validate().unwrap().is_urgent());
    }

    #[test]
    fn choices_are_sent_in_list_order_whatever_the_order_of_ticking() {
        let d = filled(Some(Audience::Under12)).draft();
        assert_eq!(d.age_band.as_deref(), Some("under_12"));
        assert_eq!(d.topics, ["home", "other"]);
        assert_eq!(d.contact_times, ["morning", "evening"]);
    }

    #[test]
    fn a_foster_parent_for_themself_sends_no_age_band_and_no_foster_parent_choice() {
        let a = filled(Some(Audience::FosterParent));
        let errors = a.draft().validate().unwrap_err();
        assert!(
            errors.for_field(Field::Asker).is_some(),
            "who asks must be chosen"
        );
        a.asker.set(Some(AskerKind::FosterParent));
        a.age_band.set(Some(AgeBand::Under12));
        let d = a.draft();
        assert_eq!(d.age_band, None);
        assert_eq!(d.never_via_foster_parents, None);
        assert_eq!(d.validate().unwrap().age_band(), AgeBand::Adult);
    }

    #[test]
    fn asking_for_a_foster_child_sends_whether_the_child_knows() {
        let a = filled(Some(Audience::FosterParent));
        a.asker.set(Some(AskerKind::OnBehalf));
        a.age_band.set(Some(AgeBand::Under12));
        a.child_knows.set(Some(ChildKnows::NotSure));
        assert_eq!(a.draft().child_knows.as_deref(), Some("not_sure"));
        a.asker.set(Some(AskerKind::Child));
        assert_eq!(a.draft().child_knows, None, "a hidden answer is not sent");
    }

    #[test]
    fn not_knowing_the_municipality_sends_none_even_if_a_name_was_typed() {
        let a = filled(Some(Audience::TwelvePlus));
        a.municipality_unknown.set(true);
        assert_eq!(a.draft().municipality, None);
        assert!(a.draft().validate().is_ok());
    }

    #[test]
    fn leaving_a_message_is_only_sent_for_a_channel_with_a_phone_number() {
        let a = filled(Some(Audience::TwelvePlus));
        assert_eq!(a.draft().may_leave_message, Some(true));
        a.channel.set(Some(Channel::Email));
        a.contact.set("sam@voorbeeld.nl".into());
        assert_eq!(
            a.draft().may_leave_message,
            None,
            "a hidden answer is not sent"
        );
        assert!(a.draft().validate().is_ok());
        a.channel.set(Some(Channel::Sms));
        a.contact.set("06 12345678".into());
        a.may_leave_message.set(None);
        let errors = a.draft().validate().unwrap_err();
        assert!(
            errors.for_field(Field::MayLeaveMessage).is_some(),
            "asked again for sms"
        );
    }

    #[test]
    fn no_contact_is_sent_without_a_channel() {
        let a = filled(Some(Audience::TwelvePlus));
        a.channel.set(None);
        assert_eq!(a.draft().contact, None);
    }
}
