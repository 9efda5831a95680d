//! The staff workspace's vocabulary, shared by the API and the staff app: who is signed in,
//! the queue, the request page, the actions on it and the audit trail.
//!
//! Times on the wire are [`Timestamp`]s (Unix seconds); the staff app shows them in
//! Europe/Amsterdam.

use serde::{Deserialize, Serialize};

use crate::{
    AgeBand, AskerKind, Channel, ChildKnows, ConfidantRequest, ContactTime, Feeling, Reference,
    RequestId, SafeNow, TeamId, Timestamp, Topic,
};

crate::wire_enum! {
    /// What a staff member may do.
    pub enum Role {
        /// Works on their own team's requests.
        Confidant = "confidant",
        /// Oversees every team.
        Coordinator = "coordinator",
    }
}

crate::wire_enum! {
    /// Which queue of a team a request waits in.
    pub enum Queue {
        /// The child said they are not safe now: handled first.
        Urgent = "urgent",
        /// Everything else.
        Normal = "normal",
    }
}

impl Queue {
    /// The queue a request belongs in: urgent when the child is not safe now.
    pub fn for_request(request: &ConfidantRequest) -> Self {
        if request.is_urgent() {
            Queue::Urgent
        } else {
            Queue::Normal
        }
    }
}

crate::wire_enum! {
    /// Where a request stands in its handling by a team.
    pub enum CaseStatus {
        /// In the queue, nobody has taken it yet.
        New = "new",
        /// A confidant has taken it and is trying to make contact.
        InProgress = "in_progress",
        /// The confidant has spoken with the person.
        ContactMade = "contact_made",
        /// Every agreed way was tried; nobody could be reached.
        Unreachable = "unreachable",
        /// Closing waits for a second colleague's approval.
        AwaitingApproval = "awaiting_approval",
        /// Handled.
        Closed = "closed",
    }
}

impl CaseStatus {
    /// Whether a request in this status still needs work (it is in a queue).
    pub fn is_open(self) -> bool {
        self != CaseStatus::Closed
    }

    /// The status in Dutch, for the staff app.
    pub fn label(self) -> &'static str {
        match self {
            CaseStatus::New => "Nieuw",
            CaseStatus::InProgress => "In behandeling",
            CaseStatus::ContactMade => "Contact gehad",
            CaseStatus::Unreachable => "Onbereikbaar",
            CaseStatus::AwaitingApproval => "Wacht op akkoord",
            CaseStatus::Closed => "Afgesloten",
        }
    }

    /// The statuses a staff member may set with the `status` action from this one (claiming,
    /// closing and approving have their own actions).
    pub fn may_become(self, next: CaseStatus) -> bool {
        use CaseStatus::*;
        matches!(
            (self, next),
            (InProgress, ContactMade)
                | (InProgress, Unreachable)
                | (ContactMade, InProgress)
                | (Unreachable, InProgress)
                | (Unreachable, ContactMade)
                // Taking back a request to close (the approver disagrees, or it was too soon).
                | (AwaitingApproval, InProgress)
        )
    }
}

crate::wire_enum! {
    /// Why a request is closed.
    pub enum CloseReason {
        /// The confidant has helped; the question is answered.
        Helped = "helped",
        /// Passed on to other help (Veilig Thuis, a complaints procedure, …).
        Referred = "referred",
        /// Every agreed way was tried; no contact was possible.
        NoContact = "no_contact",
        /// The person withdrew the question.
        Withdrawn = "withdrawn",
        /// The same question came in twice.
        Duplicate = "duplicate",
        /// Something else (say what in the text).
        Other = "other",
    }
}

impl CloseReason {
    /// The reason in Dutch, for the staff app.
    pub fn label(self) -> &'static str {
        match self {
            CloseReason::Helped => "Geholpen, vraag beantwoord",
            CloseReason::Referred => "Doorverwezen",
            CloseReason::NoContact => "Geen contact mogelijk",
            CloseReason::Withdrawn => "Vraag ingetrokken",
            CloseReason::Duplicate => "Dubbele vraag",
            CloseReason::Other => "Anders",
        }
    }
}

crate::wire_enum! {
    /// What was done with Veilig Thuis after a disclosure.
    pub enum VeiligThuisStep {
        /// Veilig Thuis was consulted (advice, no report).
        Consulted = "consulted",
        /// A report was made to Veilig Thuis.
        Reported = "reported",
    }
}

impl VeiligThuisStep {
    /// The step in Dutch, for the staff app.
    pub fn label(self) -> &'static str {
        match self {
            VeiligThuisStep::Consulted => "Advies gevraagd bij Veilig Thuis",
            VeiligThuisStep::Reported => "Melding gedaan bij Veilig Thuis",
        }
    }
}

crate::wire_enum! {
    /// How a contact attempt was made.
    pub enum AttemptChannel {
        Phone = "phone",
        Sms = "sms",
        Whatsapp = "whatsapp",
        Email = "email",
        /// Through the person the child named.
        ViaPerson = "via_person",
        /// Through the foster parents.
        ViaFosterParents = "via_foster_parents",
    }
}

impl AttemptChannel {
    /// The channel in Dutch, for the staff app.
    pub fn label(self) -> &'static str {
        match self {
            AttemptChannel::Phone => "Gebeld",
            AttemptChannel::Sms => "Sms",
            AttemptChannel::Whatsapp => "WhatsApp",
            AttemptChannel::Email => "E-mail",
            AttemptChannel::ViaPerson => "Via de genoemde persoon",
            AttemptChannel::ViaFosterParents => "Via de pleegouders",
        }
    }

    /// The attempt channel that matches the channel the person chose; none for a person who
    /// reads the replies on the website (nobody contacts them).
    pub fn from_channel(channel: Channel) -> Option<Self> {
        match channel {
            Channel::Phone => Some(AttemptChannel::Phone),
            Channel::Sms => Some(AttemptChannel::Sms),
            Channel::Whatsapp => Some(AttemptChannel::Whatsapp),
            Channel::Email => Some(AttemptChannel::Email),
            Channel::ViaPerson => Some(AttemptChannel::ViaPerson),
            Channel::OnWebsite => None,
        }
    }
}

crate::wire_enum! {
    /// What came of a contact attempt.
    pub enum AttemptResult {
        Reached = "reached",
        NoAnswer = "no_answer",
        MessageLeft = "message_left",
        WrongNumber = "wrong_number",
        /// The person answered but could not talk safely.
        NotSafeNow = "not_safe_to_talk",
    }
}

impl AttemptResult {
    /// The result in Dutch, for the staff app.
    pub fn label(self) -> &'static str {
        match self {
            AttemptResult::Reached => "Bereikt",
            AttemptResult::NoAnswer => "Geen antwoord",
            AttemptResult::MessageLeft => "Bericht achtergelaten",
            AttemptResult::WrongNumber => "Verkeerd nummer",
            AttemptResult::NotSafeNow => "Kon nu niet veilig praten",
        }
    }
}

crate::wire_enum! {
    /// A safe-contact preference that a contact attempt went against.
    pub enum SafeContactRule {
        /// Outside the times the person said are safe.
        OutsideSafeTimes = "outside_safe_times",
        /// A message was left although the person said no messages.
        MessageNotAllowed = "message_not_allowed",
        /// Through the foster parents although the person said never.
        ViaFosterParents = "via_foster_parents",
    }
}

impl SafeContactRule {
    /// The rule in Dutch, for the staff app.
    pub fn label(self) -> &'static str {
        match self {
            SafeContactRule::OutsideSafeTimes => "buiten de veilige tijden",
            SafeContactRule::MessageNotAllowed => "bericht achtergelaten terwijl dat niet mocht",
            SafeContactRule::ViaFosterParents => "via de pleegouders terwijl dat nooit mocht",
        }
    }
}

/// A staff member's stable id: `local:<n>` for local accounts, `oidc:<issuer-hash>:<sub>` for
/// people from an identity provider.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct StaffId(pub String);

impl StaffId {
    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A staff member as others see them: id and name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffRef {
    /// Stable id.
    pub id: StaffId,
    /// Display name.
    pub name: String,
}

/// `POST /api/staff/session` with a local account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignIn {
    /// The account's e-mail address.
    pub email: String,
    /// The password.
    pub password: String,
    /// The 6-digit code of the authenticator app.
    pub code: String,
}

crate::flattened_struct! {
keys = StaffMeKeys;
/// `GET /api/staff/me`: who is signed in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffMe {
    /// Stable id and name.
    pub who: StaffRef;
    /// The team whose queue they work on (coordinators may have none).
    pub team: Option<TeamId>,
    /// Their role.
    pub role: Role,
    /// Every team, id and name (for filters and transfers).
    pub teams: Vec<TeamRef>,
    /// When the session ends at the latest (idle time may end it sooner).
    pub session_expires_at: Timestamp,
    /// Send this in the `X-Kjr-Csrf` header of every change.
    pub csrf_token: String,
}}

/// A team, id and name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamRef {
    /// Stable id.
    pub id: TeamId,
    /// Display name.
    pub name: String,
}

/// The filters of `GET /api/staff/requests` (query parameters).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QueueFilter {
    /// Only this status; without it, every open status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<CaseStatus>,
    /// Only urgent or only normal requests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub urgency: Option<Queue>,
    /// Only requests from this kind of asker.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub asker: Option<AskerKind>,
    /// Only this age band.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age_band: Option<AgeBand>,
    /// Only requests with this topic.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topic: Option<Topic>,
    /// Only this municipality.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub municipality: Option<String>,
    /// Only overdue requests (no first contact by the deadline).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overdue: Option<bool>,
    /// A coordinator's choice of team; confidants always see their own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<TeamId>,
    /// Where the previous page ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
    /// Rows per page (1–100, default 25).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
}

/// The largest page of the queue.
pub const MAX_QUEUE_PAGE: u32 = 100;
/// The page size when none is asked.
pub const DEFAULT_QUEUE_PAGE: u32 = 25;

/// One row of the queue: no contact details.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueRow {
    /// Internal id (for the link).
    pub id: RequestId,
    /// The reference the person has.
    pub reference: Reference,
    /// The team that handles it.
    pub team: TeamId,
    /// When it came in.
    pub received_at: Timestamp,
    /// Urgent or normal.
    pub urgency: Queue,
    /// Who asks.
    pub asker: AskerKind,
    /// Age band of the child.
    pub age_band: AgeBand,
    /// What it is about.
    pub topics: Vec<Topic>,
    /// Where it stands.
    pub status: CaseStatus,
    /// Who has taken it.
    pub claimed_by: Option<StaffRef>,
    /// When first contact is due.
    pub due_at: Timestamp,
    /// When first contact was made, if it was.
    pub first_contact_at: Option<Timestamp>,
    /// The person wrote on the website and no confidant has answered since.
    #[serde(default)]
    pub unanswered_message: bool,
}

/// How many requests of the filtered queue are in a status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusCount {
    /// The status.
    pub status: CaseStatus,
    /// How many.
    pub count: u32,
}

/// `GET /api/staff/requests`: a page of the queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueuePage {
    /// Urgent first, then oldest first.
    pub rows: Vec<QueueRow>,
    /// Open requests per status, for the team (or every team) the page shows.
    pub counts: Vec<StatusCount>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
    /// The server's clock, for "time left".
    pub now: Timestamp,
}

/// How the person wants to be reached. The address is there only for the confidant who has
/// claimed the request, and for coordinators.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactView {
    /// Phone, text, WhatsApp, e-mail or through a person.
    pub channel: Channel,
    /// The number, e-mail address or person; `None` when this viewer may not see it.
    pub address: Option<String>,
    /// When contact is safe.
    pub contact_times: Vec<ContactTime>,
    /// May a message be left?
    pub may_leave_message: bool,
    /// Never through the foster parents.
    pub never_via_foster_parents: bool,
}

crate::flattened_struct! {
keys = RequestViewKeys;
/// `GET /api/staff/requests/{id}`: everything the person gave, and the handling so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestView {
    /// The queue row: reference, team, status, claim, deadline.
    pub row: QueueRow;
    /// Counts changes; send it back with a change.
    pub version: u32,
    /// Who changed it last, and when (for "changed by").
    pub changed_by: Option<StaffRef>,
    /// When it last changed.
    pub changed_at: Timestamp,
    /// Contact preferences, first on the page.
    pub contact: ContactView,
    /// With an adult asking for a child: does the child know?
    pub child_knows: Option<ChildKnows>,
    /// "Ben je nu veilig?"
    pub safe_now: SafeNow,
    /// Is there someone the child trusts? `None`: not asked (the picture route) or left open.
    pub has_trusted_person: Option<bool>,
    /// How the child feels, when the picture route asked it.
    pub feeling: Option<Feeling>,
    /// Name or nickname.
    pub nickname: Option<String>,
    /// The person's own words.
    pub message: Option<String>,
    /// Municipality, if given.
    pub municipality: Option<String>,
    /// Whether "signs of abuse or danger" is marked.
    pub disclosure: bool,
    /// The Veilig Thuis step, once recorded.
    pub veilig_thuis: Option<VeiligThuisRecord>,
    /// The request to close (awaiting approval), or how it was closed.
    pub closing: Option<Closing>,
    /// Whether closing needs a second colleague (urgent, or a disclosure).
    pub needs_four_eyes: bool,
    /// The team it came from, when it was transferred.
    pub transferred_from: Option<TeamId>,
    /// A legal hold, if one is on.
    pub legal_hold: Option<LegalHold>,
    /// When it will be deleted (`None`: not while it is open or on hold).
    pub deleted_after: Option<Timestamp>,
    /// The handling so far: claims, contact attempts, notes, status changes (not views).
    pub history: Vec<AuditEntry>,
    /// The server's clock.
    pub now: Timestamp,
}}

/// `POST …/claim`: take the request, or give it to a colleague.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClaimAction {
    /// The version the page showed.
    pub version: u32,
    /// A colleague to assign it to; absent means "me".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignee: Option<StaffId>,
}

/// `POST …/contact-attempts`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactAttemptAction {
    /// How.
    pub channel: AttemptChannel,
    /// What came of it.
    pub result: AttemptResult,
    /// A short note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Why a safe-contact preference had to be set aside; required when one was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub override_reason: Option<String>,
}

/// `POST …/messages`: a reply to a person who reads the replies on the website.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MessageAction {
    /// The reply, at most [`crate::MAX_MESSAGE_CHARS`] characters.
    pub text: String,
}

/// `POST …/notes`: an internal note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoteAction {
    /// The note.
    pub text: String,
}

/// `POST …/status`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusAction {
    /// The version the page showed.
    pub version: u32,
    /// The new status.
    pub status: CaseStatus,
}

/// `POST …/transfer`: move the request to another team, with a reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransferAction {
    /// The version the page showed.
    pub version: u32,
    /// The receiving team.
    pub team: TeamId,
    /// Why.
    pub reason: String,
}

/// `POST …/disclosure`: mark (or unmark) "signs of abuse or danger".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DisclosureAction {
    /// The version the page showed.
    pub version: u32,
    /// Whether there are signs of abuse or danger.
    pub disclosure: bool,
}

/// `POST …/veilig-thuis`: the Veilig Thuis step after a disclosure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VeiligThuisAction {
    /// The version the page showed.
    pub version: u32,
    /// Consulted or reported.
    pub step: VeiligThuisStep,
    /// When it happened (not in the future); absent means now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<Timestamp>,
    /// What was agreed, with whom at Veilig Thuis.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The Veilig Thuis step as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VeiligThuisRecord {
    /// Consulted or reported.
    pub step: VeiligThuisStep,
    /// Who did it.
    pub by: StaffRef,
    /// When it happened.
    pub at: Timestamp,
    /// What was agreed.
    pub note: Option<String>,
}

/// `POST …/close`: close the request, or ask a colleague to approve closing it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CloseAction {
    /// The version the page showed.
    pub version: u32,
    /// Why.
    pub reason: CloseReason,
    /// In words.
    pub text: String,
}

/// `POST …/approve-close`: a second colleague approves closing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApproveCloseAction {
    /// The version the page showed.
    pub version: u32,
}

/// A request to close, waiting for a second colleague, or the closing as it was done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Closing {
    /// Why.
    pub reason: CloseReason,
    /// In words.
    pub text: String,
    /// Who asked to close.
    pub requested_by: StaffRef,
    /// When.
    pub requested_at: Timestamp,
    /// Who approved (four-eyes), if it needed approval.
    pub approved_by: Option<StaffRef>,
    /// When it was closed.
    pub closed_at: Option<Timestamp>,
}

/// `POST …/legal-hold` (coordinators): pause or resume deletion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LegalHoldAction {
    /// The version the page showed.
    pub version: u32,
    /// Whether the hold is on.
    pub hold: bool,
    /// Why (a complaint, an inspection).
    pub reason: String,
}

/// A legal hold as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LegalHold {
    /// Who put it on.
    pub by: StaffRef,
    /// When.
    pub at: Timestamp,
    /// Why.
    pub reason: String,
}

/// `GET /api/staff/overview` (coordinators): every team, and time to first contact per
/// week. The weekly figures come from anonymous counts, so they outlive the requests.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Overview {
    /// Open requests per team and status, and how many are overdue.
    pub teams: Vec<TeamOverview>,
    /// The last weeks, newest first.
    pub weeks: Vec<WeekFigures>,
    /// The server's clock.
    pub now: Timestamp,
}

/// One team's open requests.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamOverview {
    /// The team.
    pub team: TeamRef,
    /// Open requests per status.
    pub counts: Vec<StatusCount>,
    /// Open requests past their deadline without first contact.
    pub overdue: u32,
}

/// Time to first contact in one ISO week (by the week of first contact).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeekFigures {
    /// ISO week, e.g. `2026-W49`.
    pub week: String,
    /// Requests first contacted that week.
    pub contacted: u32,
    /// Median minutes from arrival to first contact.
    pub median_minutes: Option<u32>,
    /// 90th percentile of the same.
    pub p90_minutes: Option<u32>,
    /// How many of them were contacted by their deadline.
    pub within_deadline: u32,
}

/// The longest note, override reason or contact-attempt note, in characters.
pub const MAX_NOTE_CHARS: usize = 4_000;

crate::tagged_enum! {
tag = "action";
twin = CaseEventTwin;
/// What happened to a request: one event of its audit trail. (Deserialized tag-first: see
/// [`crate::tagged`].)
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaseEvent {
    /// The request came in.
    Received {
        /// Urgent or normal.
        urgency: Queue,
    },
    /// The routing rules chose a team.
    Routed {
        /// The team.
        team: TeamId,
        /// Which rule matched.
        reason: String,
    },
    /// The team mailbox was told (without personal data).
    Notified {
        /// The team.
        team: TeamId,
    },
    /// A staff member opened the request page.
    Viewed,
    /// A staff member exported the audit trail.
    Exported {
        /// `json` or `csv`.
        format: String,
    },
    /// Taken by, or given to, a staff member.
    Claimed {
        /// Who has it now.
        assignee: StaffRef,
    },
    /// A contact attempt.
    ContactAttempt {
        /// How.
        channel: AttemptChannel,
        /// What came of it.
        result: AttemptResult,
        /// A short note.
        note: Option<String>,
        /// Preferences it went against.
        overrides: Vec<SafeContactRule>,
        /// Why.
        override_reason: Option<String>,
    },
    /// An internal note.
    Note {
        /// The note.
        text: String,
    },
    /// A confidant's reply, for the person to read on the website.
    MessageToAsker {
        /// The reply.
        text: String,
    },
    /// The person wrote back on the website.
    MessageFromAsker {
        /// The message.
        text: String,
        /// The client's `Idempotency-Key`, so a repeated send adds nothing.
        idempotency_key: String,
    },
    /// The status changed.
    StatusChanged {
        /// Before.
        from: CaseStatus,
        /// After.
        to: CaseStatus,
    },
    /// Moved to another team.
    Transferred {
        /// The team it was with.
        from: TeamId,
        /// The team it is with now.
        to: TeamId,
        /// Why.
        reason: String,
    },
    /// "Signs of abuse or danger" marked or unmarked.
    DisclosureMarked {
        /// Whether there are signs.
        disclosure: bool,
    },
    /// The Veilig Thuis step.
    VeiligThuisRecorded {
        /// What was done, by whom, when.
        record: VeiligThuisRecord,
    },
    /// Asked to close; waits for a second colleague.
    CloseRequested {
        /// Why.
        reason: CloseReason,
        /// In words.
        text: String,
    },
    /// A coordinator put a legal hold on (or took it off): deletion pauses while it lasts.
    LegalHoldChanged {
        /// Whether the hold is on now.
        hold: bool,
        /// Why.
        reason: String,
    },
    /// Closed.
    Closed {
        /// Why.
        reason: CloseReason,
        /// In words.
        text: String,
        /// The second colleague, when it needed one.
        approved_by: Option<StaffRef>,
    },
}
}

impl CaseEvent {
    /// The event's name on the wire (`action`).
    pub fn action(&self) -> &'static str {
        match self {
            CaseEvent::Received { .. } => "received",
            CaseEvent::Routed { .. } => "routed",
            CaseEvent::Notified { .. } => "notified",
            CaseEvent::Viewed => "viewed",
            CaseEvent::Exported { .. } => "exported",
            CaseEvent::Claimed { .. } => "claimed",
            CaseEvent::ContactAttempt { .. } => "contact_attempt",
            CaseEvent::Note { .. } => "note",
            CaseEvent::MessageToAsker { .. } => "message_to_asker",
            CaseEvent::MessageFromAsker { .. } => "message_from_asker",
            CaseEvent::StatusChanged { .. } => "status_changed",
            CaseEvent::Transferred { .. } => "transferred",
            CaseEvent::DisclosureMarked { .. } => "disclosure_marked",
            CaseEvent::VeiligThuisRecorded { .. } => "veilig_thuis_recorded",
            CaseEvent::CloseRequested { .. } => "close_requested",
            CaseEvent::Closed { .. } => "closed",
            CaseEvent::LegalHoldChanged { .. } => "legal_hold_changed",
        }
    }

    /// Whether the request page's history shows it (views and exports are only in the audit).
    pub fn is_handling(&self) -> bool {
        !matches!(self, CaseEvent::Viewed | CaseEvent::Exported { .. })
    }
}

/// One event of a request's audit trail, with its place in the hash chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// 1 for the first event of the request, then one more each time.
    pub seq: u32,
    /// When.
    pub at: Timestamp,
    /// Who; `None` for the system (receiving, routing, notifying).
    pub actor: Option<StaffRef>,
    /// What.
    pub event: CaseEvent,
    /// The hash of the event before (64 zeros for the first).
    pub prev_hash: String,
    /// SHA-256 over this event and `prev_hash`, hex.
    pub hash: String,
}
