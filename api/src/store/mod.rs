//! Durable storage of requests: one trait, one file per backend.
//!
//! Besides the requests: their handling (`CaseState`, with a version for optimistic
//! locking), their audit trail (append-only, hash-chained events), and the staff side's
//! accounts, sessions and sign-in failures.

pub mod audit;
pub mod backup;
pub mod dynamo;
pub mod oidc;
mod sqlite;
pub mod staff;

use async_trait::async_trait;
pub use kjr_domain::staff::Queue;
use kjr_domain::staff::{AuditEntry, CaseEvent, CaseStatus, QueueFilter, StaffRef, StatusCount};
use kjr_domain::{ConfidantRequest, IdempotencyKey, Reference};
use serde::{Deserialize, Serialize};

pub use audit::{ChainError, verify_chain};
pub use oidc::OidcLogin;
pub use staff::{Account, FailureKey, Session, StaffMember};

pub use dynamo::DynamoStore;
pub use sqlite::SqliteStore;

use crate::ids::{RequestId, TeamId, Timestamp};

kjr_domain::wire_enum! {
    /// Where a request stands in its handling.
    pub enum Status {
        /// Stored, not yet routed to a team.
        New = "new",
        /// In a team's queue, waiting for a confidant.
        Routed = "routed",
    }
}

/// The routing decision, kept with the request so it can be traced later.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoutingDecision {
    /// The team that handles the request.
    pub team: TeamId,
    /// Urgent or normal queue.
    pub queue: Queue,
    /// Why (which rule matched), in Dutch for staff and audits.
    pub reason: String,
    /// When the decision was made.
    pub decided_at: Timestamp,
}

/// A request about to be stored.
#[derive(Debug, Clone)]
pub struct NewRequest {
    /// Internal id.
    pub id: RequestId,
    /// The reference shown to the person.
    pub reference: Reference,
    /// The client's key for this submission.
    pub idempotency_key: IdempotencyKey,
    /// The validated request.
    pub request: ConfidantRequest,
    /// When it arrived.
    pub received_at: Timestamp,
    /// When it must be deleted (retention).
    pub expires_at: Timestamp,
    /// When first contact is due.
    pub due_at: Timestamp,
    /// With "I'll check this website myself": the hash of the code words.
    pub code_hash: Option<String>,
}

impl NewRequest {
    /// The handling state of the request as it comes in.
    pub fn case_state(&self) -> CaseState {
        CaseState {
            conversation: self.code_hash.clone().map(|code_hash| ConversationState {
                code_hash,
                asker_waiting_since: None,
            }),
            ..CaseState::new(self.received_at, self.due_at)
        }
    }

    /// The request as stored right after it was created: new, not yet routed or notified.
    pub fn into_stored(self) -> StoredRequest {
        let case = self.case_state();
        StoredRequest {
            id: self.id,
            reference: self.reference,
            request: self.request,
            received_at: self.received_at,
            expires_at: self.expires_at,
            status: Status::New,
            routing: None,
            notified_at: None,
            case,
        }
    }

    /// The first event of the request's audit trail.
    pub fn received_event(&self) -> CaseEvent {
        CaseEvent::Received {
            urgency: Queue::for_request(&self.request),
        }
    }
}

/// Where a request stands in its handling by a team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseState {
    /// The handling status.
    pub status: CaseStatus,
    /// Counts changes of this state, for optimistic locking (0 when the request came in).
    pub version: u32,
    /// Who has taken it.
    pub claimed_by: Option<StaffRef>,
    /// Who changed it last (`None`: the system).
    pub changed_by: Option<StaffRef>,
    /// When it changed last.
    pub changed_at: Timestamp,
    /// When first contact is due.
    pub due_at: Timestamp,
    /// When first contact was made.
    pub first_contact_at: Option<Timestamp>,
    /// Whether "signs of abuse or danger" is marked.
    #[serde(default)]
    pub disclosure: bool,
    /// The Veilig Thuis step after a disclosure.
    #[serde(default)]
    pub veilig_thuis: Option<kjr_domain::staff::VeiligThuisRecord>,
    /// The request to close, or how it was closed.
    #[serde(default)]
    pub closing: Option<kjr_domain::staff::Closing>,
    /// The team it was transferred from.
    #[serde(default)]
    pub transferred_from: Option<TeamId>,
    /// At the top of its team's queue until someone takes it (after a transfer).
    #[serde(default)]
    pub first_in_queue: bool,
    /// A coordinator's legal hold (a complaint, an inspection): not deleted while it lasts.
    #[serde(default)]
    pub legal_hold: Option<kjr_domain::staff::LegalHold>,
    /// With "I'll check this website myself": what opens the conversation, and whether the
    /// person is waiting for an answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conversation: Option<ConversationState>,
}

/// The conversation of a request whose asker reads the replies on the website.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationState {
    /// The argon2id hash of the code words (PHC string); never the words.
    pub code_hash: String,
    /// Since when the person's last message waits for a confidant's answer: the request is
    /// at the top of its team's queue meanwhile.
    #[serde(default)]
    pub asker_waiting_since: Option<Timestamp>,
}

impl CaseState {
    /// The state of a request that just came in.
    pub fn new(received_at: Timestamp, due_at: Timestamp) -> Self {
        Self {
            status: CaseStatus::New,
            version: 0,
            claimed_by: None,
            changed_by: None,
            changed_at: received_at,
            due_at,
            first_contact_at: None,
            disclosure: false,
            veilig_thuis: None,
            closing: None,
            transferred_from: None,
            first_in_queue: false,
            legal_hold: None,
            conversation: None,
        }
    }

    /// Whether the request goes to the top of its team's queue: just transferred in (until
    /// someone takes it), or the person wrote and waits for an answer.
    pub fn on_top(&self) -> bool {
        self.first_in_queue
            || self
                .conversation
                .as_ref()
                .is_some_and(|c| c.asker_waiting_since.is_some())
    }
}

/// A change to a request's handling: the events to append, and, for a state change, the new
/// state, made only if the request is still at `expected_version`.
#[derive(Debug, Clone)]
pub struct CaseChange {
    /// Who makes it.
    pub actor: Option<StaffRef>,
    /// When.
    pub at: Timestamp,
    /// The events, in order.
    pub events: Vec<CaseEvent>,
    /// The new state and the version it was computed from; `None` appends events only.
    pub state: Option<(u32, CaseState)>,
    /// The team it moves to (a transfer), with the state change.
    pub team: Option<TeamId>,
    /// A new deletion date (closing starts the retention period; a legal hold stops it).
    pub expires_at: Option<Timestamp>,
    /// The anonymous count to keep when this change is the first contact.
    pub first_contact: Option<FirstContact>,
    /// Tell the team again (the person wrote back): the request's notification job is
    /// opened again, in the same commit.
    pub renotify: bool,
}

/// An anonymous count: one request was first contacted. No id, no reference, nothing a
/// person wrote: it stays after the request is deleted, for the figures Jeugdstem reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FirstContact {
    /// ISO week of first contact (Europe/Amsterdam), e.g. `2026-W49`.
    pub week: String,
    /// The team that made contact.
    pub team: TeamId,
    /// Whether the request was urgent.
    pub urgent: bool,
    /// Minutes from arrival to first contact.
    pub minutes: u32,
    /// Whether contact was made by the deadline.
    pub within_deadline: bool,
}

/// What [`Store::apply`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApplyOutcome {
    /// Recorded; the request as it is now.
    Applied(Box<StoredRequest>),
    /// The request changed since `expected_version`: nothing was recorded; it as it is now.
    Conflict(Box<StoredRequest>),
}

/// Which requests a queue shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueueScope {
    /// One team's.
    Team(TeamId),
    /// Every team's (coordinators).
    All,
}

/// A page of a queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueSlice {
    /// The requests, urgent first, then oldest first.
    pub requests: Vec<StoredRequest>,
    /// The cursor of the next page, if there is one.
    pub next_cursor: Option<String>,
}

/// A checked queue cursor: the sort key of the last row of the page before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor(String);

impl Cursor {
    /// Parses a cursor from a query string.
    pub fn parse(raw: &str) -> Option<Self> {
        let mut parts = raw.split('#');
        let rank = parts.next()?;
        let at = parts.next()?;
        let id = parts.next()?;
        let ok = matches!(rank, "0" | "1")
            && at.len() == 12
            && at.bytes().all(|b| b.is_ascii_digit())
            && RequestId::parse(id).is_some()
            && parts.next().is_none();
        ok.then(|| Self(raw.to_owned()))
    }
    /// The sort key.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The queue filter with its cursor checked, and the clock for "overdue".
#[derive(Debug, Clone)]
pub struct QueueQuery {
    /// Whose queue.
    pub scope: QueueScope,
    /// The filters (status `None`: every open status).
    pub filter: QueueFilter,
    /// Where the page starts.
    pub after: Option<Cursor>,
    /// Rows per page.
    pub limit: u32,
    /// Now, for `overdue`.
    pub now: Timestamp,
}

impl QueueQuery {
    /// Whether `r` passes the filters (both backends also filter in their queries; this is
    /// the one definition, used where a backend cannot express a filter).
    pub fn matches(&self, r: &StoredRequest) -> bool {
        let f = &self.filter;
        let team_ok = match &self.scope {
            QueueScope::Team(t) => r.routing.as_ref().is_some_and(|d| &d.team == t),
            QueueScope::All => r.routing.is_some(),
        };
        let status_ok = match f.status {
            Some(s) => r.case.status == s,
            None => r.case.status.is_open(),
        };
        team_ok
            && status_ok
            && f.urgency
                .is_none_or(|u| Queue::for_request(&r.request) == u)
            && f.asker.is_none_or(|a| asker_kind(&r.request) == a)
            && f.age_band.is_none_or(|a| r.request.age_band() == a)
            && f.topic.is_none_or(|t| r.request.topics().contains(&t))
            && f.municipality.as_deref().is_none_or(|m| {
                r.request
                    .municipality()
                    .is_some_and(|x| x.name().eq_ignore_ascii_case(m))
            })
            && (f.overdue != Some(true) || is_overdue(&r.case, self.now))
    }
}

/// Whether first contact is late: not made, and the deadline passed.
pub fn is_overdue(case: &CaseState, now: Timestamp) -> bool {
    case.first_contact_at.is_none() && case.due_at < now && case.status.is_open()
}

/// Who asks, as the closed set the queue filters on.
pub fn asker_kind(request: &ConfidantRequest) -> kjr_domain::AskerKind {
    match request.asker() {
        kjr_domain::Asker::Child => kjr_domain::AskerKind::Child,
        kjr_domain::Asker::FosterParent => kjr_domain::AskerKind::FosterParent,
        kjr_domain::Asker::OnBehalf { .. } => kjr_domain::AskerKind::OnBehalf,
    }
}

/// A request as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredRequest {
    /// Internal id.
    pub id: RequestId,
    /// The reference shown to the person.
    pub reference: Reference,
    /// The validated request.
    pub request: ConfidantRequest,
    /// When it arrived.
    pub received_at: Timestamp,
    /// When it will be deleted.
    pub expires_at: Timestamp,
    /// Where it stands.
    pub status: Status,
    /// The routing decision, once made.
    pub routing: Option<RoutingDecision>,
    /// When the team was notified, once it was.
    pub notified_at: Option<Timestamp>,
    /// Its handling.
    pub case: CaseState,
}

impl StoredRequest {
    /// The sort key of the request in its queue.
    pub fn sort_key(&self) -> String {
        case_sort_key(&self.request, &self.case, self.received_at, &self.id)
    }
}

/// One line of a team's queue (what a staff list shows; no personal data).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueEntry {
    /// Internal id.
    pub id: RequestId,
    /// The reference.
    pub reference: Reference,
    /// Urgent or normal.
    pub queue: Queue,
    /// When it arrived.
    pub received_at: Timestamp,
}

/// The routing jobs at a glance, for readiness and the metrics: counts and times only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct OutboxStatus {
    /// How many routing jobs are not finished.
    pub pending: usize,
    /// When the oldest of them came in.
    pub oldest_pending_since: Option<Timestamp>,
    /// When a team was last notified of a request (of the requests still stored).
    pub last_notified_at: Option<Timestamp>,
}

impl OutboxStatus {
    /// Seconds the oldest unfinished job has waited at `now` (0 when there is none).
    pub fn backlog_age_seconds(&self, now: Timestamp) -> i64 {
        self.oldest_pending_since
            .map_or(0, |since| (now.0 - since.0).max(0))
    }
}

/// What [`Store::create`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CreateOutcome {
    /// The request is new and now stored (with its routing job).
    Created(StoredRequest),
    /// The idempotency key was used before: this is what was stored then.
    Existing(StoredRequest),
}

/// Storage failures. Their text names fields, ids and the backend's own error, never what a
/// person wrote: it goes to logs.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The freshly minted reference is already taken; mint another.
    #[error("reference already taken")]
    ReferenceTaken,
    /// The backend failed; the source is its error.
    #[error("storage backend failed: {0}")]
    Backend(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// A stored record could not be read back: which field, and why.
    #[error("stored record is corrupt: {field}: {source}")]
    Corrupt {
        /// The field (or item) that could not be read.
        field: &'static str,
        /// Why; never the stored value of a field a person filled in.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

impl StoreError {
    pub(crate) fn backend(e: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        StoreError::Backend(e.into())
    }
    pub(crate) fn corrupt(
        field: &'static str,
        why: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        StoreError::Corrupt {
            field,
            source: why.into(),
        }
    }
}

/// Durable storage of requests. Both backends pass the same contract tests.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Stores a new request, its idempotency key and its routing job in one atomic, durable
    /// commit; or returns what was stored before under the same key.
    async fn create(&self, new: NewRequest) -> Result<CreateOutcome, StoreError>;

    /// Reads one request.
    async fn get(&self, id: &RequestId) -> Result<Option<StoredRequest>, StoreError>;

    /// Reads the request with this reference.
    async fn find_by_reference(
        &self,
        reference: &Reference,
    ) -> Result<Option<StoredRequest>, StoreError>;

    /// Records the routing decision; `false` if the request was already routed.
    async fn record_routing(
        &self,
        id: &RequestId,
        decision: &RoutingDecision,
    ) -> Result<bool, StoreError>;

    /// Records that the team was notified and so finishes the routing job.
    async fn mark_notified(&self, id: &RequestId, at: Timestamp) -> Result<(), StoreError>;

    /// Requests whose routing job is not finished (the outbox), oldest first.
    async fn pending_jobs(&self) -> Result<Vec<RequestId>, StoreError>;

    /// How many routing jobs are unfinished, since when, and the last notification.
    async fn outbox_status(&self) -> Result<OutboxStatus, StoreError>;

    /// A page of a queue: urgent first, then oldest first, filtered.
    async fn queue(&self, query: &QueueQuery) -> Result<QueueSlice, StoreError>;

    /// How many open requests of the scope are in each open status (statuses with none
    /// are left out).
    async fn status_counts(&self, scope: &QueueScope) -> Result<Vec<StatusCount>, StoreError>;

    /// Records a change of a request's handling and its events, atomically, chaining each
    /// event to the one before. `Ok(None)` if there is no such request.
    async fn apply(
        &self,
        id: &RequestId,
        change: CaseChange,
    ) -> Result<Option<ApplyOutcome>, StoreError>;

    /// The whole audit trail of a request, oldest first, and the hash the request records
    /// as its last (to detect a removed last event).
    async fn audit_trail(
        &self,
        id: &RequestId,
    ) -> Result<Option<(Vec<AuditEntry>, audit::ChainHead)>, StoreError>;

    /// Every stored request's id (for `audit verify`).
    async fn request_ids(&self) -> Result<Vec<RequestId>, StoreError>;

    /// Creates a local account; `false` if the e-mail address has one already.
    async fn create_account(&self, account: &Account) -> Result<bool, StoreError>;

    /// Replaces a local account (disable, reset MFA, the last used code).
    async fn update_account(&self, account: &Account) -> Result<(), StoreError>;

    /// The local account of a (normalised) e-mail address.
    async fn account(&self, email: &str) -> Result<Option<Account>, StoreError>;

    /// Adds or refreshes a staff member in the directory (at sign-in).
    async fn upsert_staff(&self, member: &StaffMember) -> Result<(), StoreError>;

    /// Every staff member in the directory.
    async fn staff_directory(&self) -> Result<Vec<StaffMember>, StoreError>;

    /// Stores a new session.
    async fn create_session(&self, session: &Session) -> Result<(), StoreError>;

    /// The session whose token hashes to `token_hash`.
    async fn session(&self, token_hash: &str) -> Result<Option<Session>, StoreError>;

    /// Records activity on a session (for the idle timeout).
    async fn touch_session(&self, token_hash: &str, at: Timestamp) -> Result<(), StoreError>;

    /// Ends a session.
    async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError>;

    /// Ends every session of a staff member (account disabled).
    async fn delete_sessions_of(
        &self,
        staff: &kjr_domain::staff::StaffId,
    ) -> Result<(), StoreError>;

    /// Records a failed sign-in under `key`; it is forgotten after `keep_until`.
    async fn record_sign_in_failure(
        &self,
        key: &FailureKey,
        at: Timestamp,
        keep_until: Timestamp,
    ) -> Result<(), StoreError>;

    /// The failed sign-ins under `key` since `since`, oldest first.
    async fn sign_in_failures(
        &self,
        key: &FailureKey,
        since: Timestamp,
    ) -> Result<Vec<Timestamp>, StoreError>;

    /// Forgets the failed sign-ins under `key` (after a successful one).
    async fn clear_sign_in_failures(&self, key: &FailureKey) -> Result<(), StoreError>;

    /// The anonymous first-contact counts of the given ISO weeks.
    async fn first_contacts(&self, weeks: &[String]) -> Result<Vec<FirstContact>, StoreError>;

    /// A team's open routed requests, every page (for operations and tests).
    async fn routed_queue(&self, team: &TeamId) -> Result<Vec<QueueEntry>, StoreError> {
        let mut query = QueueQuery {
            scope: QueueScope::Team(team.clone()),
            filter: QueueFilter::default(),
            after: None,
            limit: kjr_domain::staff::MAX_QUEUE_PAGE,
            now: Timestamp::now(),
        };
        let mut out = Vec::new();
        loop {
            let slice = self.queue(&query).await?;
            out.extend(slice.requests.into_iter().map(|r| QueueEntry {
                queue: Queue::for_request(&r.request),
                id: r.id,
                reference: r.reference,
                received_at: r.received_at,
            }));
            match slice.next_cursor.as_deref().and_then(Cursor::parse) {
                Some(c) => query.after = Some(c),
                None => return Ok(out),
            }
        }
    }

    /// How many requests are stored (for operations and tests).
    async fn count(&self) -> Result<usize, StoreError>;

    /// Deletes requests past their retention date; returns how many.
    async fn purge_expired(&self, now: Timestamp) -> Result<usize, StoreError>;

    /// Stores a started OIDC sign-in (and forgets expired ones).
    async fn create_oidc_login(&self, login: &OidcLogin) -> Result<(), StoreError>;

    /// Takes the started OIDC sign-in whose state hashes to `state_hash`: deletes it and
    /// returns it, once; `None` if there is none, or it expired before `now`.
    async fn take_oidc_login(
        &self,
        state_hash: &str,
        now: Timestamp,
    ) -> Result<Option<OidcLogin>, StoreError>;
}

/// A stored request's payload read back (and validated again, see [`ConfidantRequest`]).
pub(crate) fn request_from_payload(payload: &str) -> Result<ConfidantRequest, StoreError> {
    serde_json::from_str(payload).map_err(|e| {
        // serde's message can quote a stored value; keep only where it failed.
        let at = format!("{:?} error at {}:{}", e.classify(), e.line(), e.column());
        StoreError::corrupt("payload", at)
    })
}

/// The sort key of a request with its handling: first the urgent ones and those just
/// transferred in (until someone takes them), then by arrival.
pub(crate) fn case_sort_key(
    request: &ConfidantRequest,
    case: &CaseState,
    received_at: Timestamp,
    id: &RequestId,
) -> String {
    let queue = if case.on_top() {
        Queue::Urgent
    } else {
        Queue::for_request(request)
    };
    queue_sort_key(queue, received_at, id)
}

/// The sort key of a queue entry: urgent before normal, then by arrival.
pub(crate) fn queue_sort_key(queue: Queue, received_at: Timestamp, id: &RequestId) -> String {
    let rank = match queue {
        Queue::Urgent => 0,
        Queue::Normal => 1,
    };
    format!("{rank}#{:012}#{id}", received_at.0)
}
