//! Durable storage of requests: one trait, one file per backend.

pub mod dynamo;
mod sqlite;

use async_trait::async_trait;
pub use kjr_domain::staff::Queue;
use kjr_domain::{ConfidantRequest, IdempotencyKey, Reference};
use serde::{Deserialize, Serialize};

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
    /// Why (which rule matched), in English for staff and audits.
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
}

impl NewRequest {
    /// The request as stored right after it was created: new, not yet routed or notified.
    pub fn into_stored(self) -> StoredRequest {
        StoredRequest {
            id: self.id,
            reference: self.reference,
            request: self.request,
            received_at: self.received_at,
            expires_at: self.expires_at,
            status: Status::New,
            routing: None,
            notified_at: None,
        }
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

    /// A team's queue for a status: urgent first, then oldest first.
    async fn queue(&self, team: &TeamId, status: Status) -> Result<Vec<QueueEntry>, StoreError>;

    /// How many requests are stored (for operations and tests).
    async fn count(&self) -> Result<usize, StoreError>;

    /// Deletes requests past their retention date; returns how many.
    async fn purge_expired(&self, now: Timestamp) -> Result<usize, StoreError>;
}

/// A stored request's payload read back (and validated again, see [`ConfidantRequest`]).
pub(crate) fn request_from_payload(payload: &str) -> Result<ConfidantRequest, StoreError> {
    serde_json::from_str(payload).map_err(|e| {
        // serde's message can quote a stored value; keep only where it failed.
        let at = format!("{:?} error at {}:{}", e.classify(), e.line(), e.column());
        StoreError::corrupt("payload", at)
    })
}

/// The sort key of a queue entry: urgent before normal, then by arrival.
pub(crate) fn queue_sort_key(queue: Queue, received_at: Timestamp, id: &RequestId) -> String {
    let rank = match queue {
        Queue::Urgent => 0,
        Queue::Normal => 1,
    };
    format!("{rank}#{:012}#{id}", received_at.0)
}
