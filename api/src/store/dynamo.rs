//! The cloud store: one DynamoDB table (single-table design).
//!
//! Items: `REQ#<id>`/`REQ` (the request), `IDEM#<key>`/`IDEM` (idempotency) and
//! `REF#<reference>`/`REF` (reference uniqueness), written in one conditional transaction.
//! The GSI `gsi1` holds queues: `gsi1pk = QUEUE#<team>#<status>`, `gsi1sk` sorts urgent first,
//! then by arrival. `expires_at` is the table's TTL attribute. The table's stream feeds the
//! routing Lambda.

use std::collections::HashMap;

use async_trait::async_trait;
use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::error::SdkError;
use aws_sdk_dynamodb::types::{AttributeValue, Put, TransactWriteItem};
use kjr_domain::{IdempotencyKey, Reference};
use serde::{Deserialize, Serialize};

use super::{
    CreateOutcome, NewRequest, Queue, QueueEntry, RoutingDecision, Status, Store, StoreError,
    StoredRequest, queue_sort_key,
};
use crate::ids::{RequestId, TeamId, Timestamp};

/// The queue partition of requests not yet routed.
const UNROUTED: &str = "unrouted";
/// The sort key of request items.
const REQ: &str = "REQ";

/// The DynamoDB backend.
#[derive(Clone)]
pub struct DynamoStore {
    client: Client,
    table: String,
}

type Item = HashMap<String, AttributeValue>;

/// The request item, `REQ#<id>`/`REQ`.
///
/// Its attribute names and types are the table's contract with `infra/template.yaml`, the
/// stream consumer and the Lambda tests: `pk`, `sk`, `gsi1pk`, `gsi1sk` are strings, the times
/// are numbers (`expires_at` is the TTL). An absent option is an absent attribute, never NULL:
/// `attribute_not_exists(notified_at)` finds the unfinished routing jobs.
#[derive(Serialize, Deserialize)]
struct RequestItem {
    pk: String,
    sk: String,
    id: String,
    reference: Reference,
    idempotency_key: IdempotencyKey,
    /// The request as JSON, as the SQLite store keeps it.
    payload: String,
    queue: Queue,
    status: Status,
    received_at: Timestamp,
    expires_at: Timestamp,
    gsi1pk: String,
    gsi1sk: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    team: Option<TeamId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    routing_reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    routed_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    notified_at: Option<Timestamp>,
}

/// An `IDEM#<key>`/`IDEM` or `REF#<reference>`/`REF` item: its key can exist once, and it
/// points at the request that took it. It expires with the request.
#[derive(Serialize, Deserialize)]
struct PointerItem {
    pk: String,
    sk: String,
    request_id: String,
    expires_at: Timestamp,
}

/// The primary key of an item.
#[derive(Serialize)]
struct Key {
    pk: String,
    sk: &'static str,
}

impl RequestItem {
    /// The item of a request about to be stored: new, in the unrouted partition.
    fn new(new: &NewRequest) -> Result<Self, StoreError> {
        let queue = Queue::for_request(&new.request);
        Ok(Self {
            pk: request_pk(&new.id),
            sk: REQ.to_owned(),
            id: new.id.to_string(),
            reference: new.reference.clone(),
            idempotency_key: new.idempotency_key.clone(),
            payload: serde_json::to_string(&new.request).map_err(StoreError::backend)?,
            queue,
            status: Status::New,
            received_at: new.received_at,
            expires_at: new.expires_at,
            gsi1pk: queue_pk(UNROUTED, Status::New),
            gsi1sk: queue_sort_key(queue, new.received_at, &new.id),
            team: None,
            routing_reason: None,
            routed_at: None,
            notified_at: None,
        })
    }

    fn from_item(item: Item) -> Result<Self, StoreError> {
        serde_dynamo::from_item(item).map_err(|e| StoreError::corrupt("request item", e))
    }

    fn request_id(&self) -> Result<RequestId, StoreError> {
        RequestId::parse(&self.id).ok_or_else(|| StoreError::corrupt("id", "not a request id"))
    }

    fn into_stored(self) -> Result<StoredRequest, StoreError> {
        let id = self.request_id()?;
        let routing = match (self.team, self.routed_at) {
            (Some(team), Some(decided_at)) => Some(RoutingDecision {
                team,
                queue: self.queue,
                reason: self.routing_reason.unwrap_or_default(),
                decided_at,
            }),
            _ => None,
        };
        Ok(StoredRequest {
            id,
            reference: self.reference,
            request: super::request_from_payload(&self.payload)?,
            received_at: self.received_at,
            expires_at: self.expires_at,
            status: self.status,
            routing,
            notified_at: self.notified_at,
        })
    }
}

/// `value` as an item, the way serde_dynamo writes every item of the table.
fn to_item(value: impl Serialize) -> Result<Item, StoreError> {
    serde_dynamo::to_item(value).map_err(StoreError::backend)
}

/// `value` as one attribute, for expressions: written as the items write it.
fn to_value(value: impl Serialize) -> Result<AttributeValue, StoreError> {
    serde_dynamo::to_attribute_value(value).map_err(StoreError::backend)
}

fn queue_pk(team: &str, status: Status) -> String {
    format!("QUEUE#{team}#{}", status.as_str())
}

fn request_pk(id: &RequestId) -> String {
    format!("REQ#{id}")
}

/// The key of the request item with `id`.
pub fn request_key(id: &RequestId) -> Result<Item, StoreError> {
    to_item(Key {
        pk: request_pk(id),
        sk: REQ,
    })
}

/// The request id of a request item's key, or `None` for other items (idempotency,
/// reference). Used by the stream consumer to pick out new requests.
pub fn request_id_of_key(pk: &str, sk: &str) -> Option<RequestId> {
    (sk == REQ)
        .then(|| pk.strip_prefix("REQ#"))
        .flatten()
        .and_then(RequestId::parse)
}

impl DynamoStore {
    /// A store on `table` through `client`.
    pub fn new(client: Client, table: impl Into<String>) -> Self {
        Self {
            client,
            table: table.into(),
        }
    }

    /// The table's name.
    pub fn table_name(&self) -> &str {
        &self.table
    }

    /// Builds the client from the environment (`AWS_ENDPOINT_URL` points it at moto locally).
    pub async fn from_env(table: impl Into<String>) -> Self {
        let config = aws_config::load_from_env().await;
        Self::new(Client::new(&config), table)
    }

    /// Creates the table with its GSI, stream and TTL, as `infra/template.yaml` does (for local
    /// DynamoDB-compatible servers and tests).
    pub async fn create_table(&self) -> Result<(), StoreError> {
        use aws_sdk_dynamodb::types::{
            AttributeDefinition, BillingMode, GlobalSecondaryIndex, KeySchemaElement, KeyType,
            Projection, ProjectionType, ScalarAttributeType, StreamSpecification, StreamViewType,
            TimeToLiveSpecification,
        };
        let attr = |name: &str| {
            AttributeDefinition::builder()
                .attribute_name(name)
                .attribute_type(ScalarAttributeType::S)
                .build()
                .map_err(StoreError::backend)
        };
        let key = |name: &str, kind: KeyType| {
            KeySchemaElement::builder()
                .attribute_name(name)
                .key_type(kind)
                .build()
                .map_err(StoreError::backend)
        };
        self.client
            .create_table()
            .table_name(&self.table)
            .billing_mode(BillingMode::PayPerRequest)
            .attribute_definitions(attr("pk")?)
            .attribute_definitions(attr("sk")?)
            .attribute_definitions(attr("gsi1pk")?)
            .attribute_definitions(attr("gsi1sk")?)
            .key_schema(key("pk", KeyType::Hash)?)
            .key_schema(key("sk", KeyType::Range)?)
            .global_secondary_indexes(
                GlobalSecondaryIndex::builder()
                    .index_name("gsi1")
                    .key_schema(key("gsi1pk", KeyType::Hash)?)
                    .key_schema(key("gsi1sk", KeyType::Range)?)
                    .projection(
                        Projection::builder()
                            .projection_type(ProjectionType::All)
                            .build(),
                    )
                    .build()
                    .map_err(StoreError::backend)?,
            )
            .stream_specification(
                StreamSpecification::builder()
                    .stream_enabled(true)
                    .stream_view_type(StreamViewType::NewImage)
                    .build()
                    .map_err(StoreError::backend)?,
            )
            .send()
            .await
            .map_err(|e| StoreError::backend(e.into_service_error()))?;
        self.client
            .update_time_to_live()
            .table_name(&self.table)
            .time_to_live_specification(
                TimeToLiveSpecification::builder()
                    .enabled(true)
                    .attribute_name("expires_at")
                    .build()
                    .map_err(StoreError::backend)?,
            )
            .send()
            .await
            .map_err(|e| StoreError::backend(e.into_service_error()))?;
        Ok(())
    }

    async fn get_item(&self, key: Item) -> Result<Option<Item>, StoreError> {
        let out = self
            .client
            .get_item()
            .table_name(&self.table)
            .set_key(Some(key))
            .consistent_read(true)
            .send()
            .await
            .map_err(|e| StoreError::backend(e.into_service_error()))?;
        Ok(out.item)
    }

    fn put(&self, item: Item, unique_key: &str) -> Result<TransactWriteItem, StoreError> {
        Ok(TransactWriteItem::builder()
            .put(
                Put::builder()
                    .table_name(&self.table)
                    .set_item(Some(item))
                    .condition_expression(format!("attribute_not_exists({unique_key})"))
                    .build()
                    .map_err(StoreError::backend)?,
            )
            .build())
    }

    /// Every request item matching `filter` (which may use `:req` = `REQ`), all pages.
    async fn scan_requests(&self, filter: &str) -> Result<Vec<Item>, StoreError> {
        self.client
            .scan()
            .table_name(&self.table)
            .filter_expression(filter)
            .expression_attribute_values(":req", to_value(REQ)?)
            .into_paginator()
            .items()
            .send()
            .try_collect()
            .await
            .map_err(|e| StoreError::backend(e.into_service_error()))
    }

    /// Every item of one `gsi1` partition, all pages.
    async fn query_index(&self, pk: String) -> Result<Vec<Item>, StoreError> {
        self.client
            .query()
            .table_name(&self.table)
            .index_name("gsi1")
            .key_condition_expression("gsi1pk = :pk")
            .expression_attribute_values(":pk", to_value(pk)?)
            .into_paginator()
            .items()
            .send()
            .try_collect()
            .await
            .map_err(|e| StoreError::backend(e.into_service_error()))
    }
}

#[async_trait]
impl Store for DynamoStore {
    async fn create(&self, new: NewRequest) -> Result<CreateOutcome, StoreError> {
        let pointer = |pk: String, sk: &'static str| {
            to_item(PointerItem {
                pk,
                sk: sk.to_owned(),
                request_id: new.id.to_string(),
                expires_at: new.expires_at,
            })
        };
        let idem_pk = format!("IDEM#{}", new.idempotency_key.as_str());
        let result = self
            .client
            .transact_write_items()
            .transact_items(self.put(to_item(RequestItem::new(&new)?)?, "pk")?)
            .transact_items(self.put(pointer(idem_pk.clone(), "IDEM")?, "pk")?)
            .transact_items(self.put(
                pointer(format!("REF#{}", new.reference.as_str()), "REF")?,
                "pk",
            )?)
            .send()
            .await;
        match result {
            Ok(_) => Ok(CreateOutcome::Created(new.into_stored())),
            Err(SdkError::ServiceError(err)) if err.err().is_transaction_canceled_exception() => {
                let reasons: Vec<Option<String>> = match err.err() {
                    aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError::TransactionCanceledException(t) => t
                        .cancellation_reasons()
                        .iter()
                        .map(|r| r.code().map(str::to_owned))
                        .collect(),
                    _ => Vec::new(),
                };
                let failed = |i: usize| {
                    reasons
                        .get(i)
                        .and_then(|c| c.as_deref())
                        .is_some_and(|c| c == "ConditionalCheckFailed")
                };
                if failed(1) || reasons.is_empty() {
                    let idem = self
                        .get_item(to_item(Key {
                            pk: idem_pk,
                            sk: "IDEM",
                        })?)
                        .await?
                        .ok_or_else(|| StoreError::backend(err.into_err()))?;
                    let idem: PointerItem = serde_dynamo::from_item(idem)
                        .map_err(|e| StoreError::corrupt("idempotency item", e))?;
                    let id = RequestId::parse(&idem.request_id)
                        .ok_or_else(|| StoreError::corrupt("request_id", "not a request id"))?;
                    let existing = self.get(&id).await?.ok_or_else(|| {
                        StoreError::corrupt("request_id", "idempotency key without its request")
                    })?;
                    Ok(CreateOutcome::Existing(existing))
                } else if failed(2) {
                    Err(StoreError::ReferenceTaken)
                } else {
                    Err(StoreError::backend(err.into_err()))
                }
            }
            Err(e) => Err(StoreError::backend(e.into_service_error())),
        }
    }

    async fn get(&self, id: &RequestId) -> Result<Option<StoredRequest>, StoreError> {
        self.get_item(request_key(id)?)
            .await?
            .map(|item| RequestItem::from_item(item)?.into_stored())
            .transpose()
    }

    async fn record_routing(
        &self,
        id: &RequestId,
        decision: &RoutingDecision,
    ) -> Result<bool, StoreError> {
        let Some(current) = self.get(id).await? else {
            return Err(StoreError::backend(format!("request {id} not found")));
        };
        let result = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(request_key(id)?))
            .update_expression(
                "SET #status = :routed, team = :team, #queue = :queue, routing_reason = :reason, \
                 routed_at = :at, gsi1pk = :gpk, gsi1sk = :gsk",
            )
            .condition_expression("#status = :new")
            .expression_attribute_names("#status", "status")
            .expression_attribute_names("#queue", "queue")
            .expression_attribute_values(":routed", to_value(Status::Routed)?)
            .expression_attribute_values(":new", to_value(Status::New)?)
            .expression_attribute_values(":team", to_value(&decision.team)?)
            .expression_attribute_values(":queue", to_value(decision.queue)?)
            .expression_attribute_values(":reason", to_value(&decision.reason)?)
            .expression_attribute_values(":at", to_value(decision.decided_at)?)
            .expression_attribute_values(
                ":gpk",
                to_value(queue_pk(decision.team.as_str(), Status::Routed))?,
            )
            .expression_attribute_values(
                ":gsk",
                to_value(queue_sort_key(decision.queue, current.received_at, id))?,
            )
            .send()
            .await;
        match result {
            Ok(_) => Ok(true),
            Err(SdkError::ServiceError(err))
                if err.err().is_conditional_check_failed_exception() =>
            {
                Ok(false)
            }
            Err(e) => Err(StoreError::backend(e.into_service_error())),
        }
    }

    async fn mark_notified(&self, id: &RequestId, at: Timestamp) -> Result<(), StoreError> {
        self.client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(request_key(id)?))
            .update_expression("SET notified_at = if_not_exists(notified_at, :at)")
            .condition_expression("attribute_exists(pk)")
            .expression_attribute_values(":at", to_value(at)?)
            .send()
            .await
            .map_err(|e| StoreError::backend(e.into_service_error()))?;
        Ok(())
    }

    async fn pending_jobs(&self) -> Result<Vec<RequestId>, StoreError> {
        // Requests whose team was not notified yet (routed or not). In the cloud the stream
        // runs these jobs; this is the sweep for the ones whose stream retries ran out.
        let mut ids = Vec::new();
        for item in self
            .scan_requests("sk = :req AND attribute_not_exists(notified_at)")
            .await?
        {
            let item = RequestItem::from_item(item)?;
            if let Some(id) = RequestId::parse(&item.id) {
                ids.push((item.received_at, id));
            }
        }
        ids.sort();
        Ok(ids.into_iter().map(|(_, id)| id).collect())
    }

    async fn queue(&self, team: &TeamId, status: Status) -> Result<Vec<QueueEntry>, StoreError> {
        self.query_index(queue_pk(team.as_str(), status))
            .await?
            .into_iter()
            .map(|item| {
                let stored = RequestItem::from_item(item)?.into_stored()?;
                Ok(QueueEntry {
                    queue: stored.routing.as_ref().map_or(Queue::Normal, |r| r.queue),
                    id: stored.id,
                    reference: stored.reference,
                    received_at: stored.received_at,
                })
            })
            .collect()
    }

    async fn count(&self) -> Result<usize, StoreError> {
        Ok(self.scan_requests("sk = :req").await?.len())
    }

    async fn purge_expired(&self, _now: Timestamp) -> Result<usize, StoreError> {
        // DynamoDB's TTL on `expires_at` deletes expired items by itself.
        Ok(0)
    }
}
