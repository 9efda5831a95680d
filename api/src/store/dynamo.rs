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

use super::{
    CreateOutcome, NewRequest, Queue, QueueEntry, RoutingDecision, Status, Store, StoreError,
    StoredRequest, queue_sort_key,
};
use crate::ids::{RequestId, TeamId, Timestamp};

/// The queue partition of requests not yet routed.
const UNROUTED: &str = "unrouted";

/// The DynamoDB backend.
#[derive(Clone)]
pub struct DynamoStore {
    client: Client,
    table: String,
}

type Item = HashMap<String, AttributeValue>;

fn s(v: impl Into<String>) -> AttributeValue {
    AttributeValue::S(v.into())
}

fn n(v: i64) -> AttributeValue {
    AttributeValue::N(v.to_string())
}

fn get_s<'a>(item: &'a Item, key: &str) -> Result<&'a str, StoreError> {
    item.get(key)
        .and_then(|v| v.as_s().ok())
        .map(String::as_str)
        .ok_or_else(|| StoreError::corrupt(format!("missing {key}")))
}

fn get_n(item: &Item, key: &str) -> Result<Option<i64>, StoreError> {
    item.get(key)
        .map(|v| {
            v.as_n()
                .ok()
                .and_then(|n| n.parse().ok())
                .ok_or_else(|| StoreError::corrupt(format!("bad number {key}")))
        })
        .transpose()
}

fn queue_pk(team: &str, status: Status) -> String {
    format!("QUEUE#{team}#{}", status.as_str())
}

/// The key of the request item with `id`.
pub fn request_key(id: &RequestId) -> Item {
    HashMap::from([
        ("pk".to_owned(), s(format!("REQ#{id}"))),
        ("sk".to_owned(), s("REQ")),
    ])
}

/// The request id of a request item's key, or `None` for other items (idempotency,
/// reference). Used by the stream consumer to pick out new requests.
pub fn request_id_of_key(pk: &str, sk: &str) -> Option<RequestId> {
    (sk == "REQ")
        .then(|| pk.strip_prefix("REQ#"))
        .flatten()
        .and_then(RequestId::parse)
}

fn item_to_stored(item: &Item) -> Result<StoredRequest, StoreError> {
    let queue =
        Queue::from_wire(get_s(item, "queue")?).ok_or_else(|| StoreError::corrupt("queue"))?;
    let routing = match (item.get("team"), get_n(item, "routed_at")?) {
        (Some(_), Some(at)) => Some(RoutingDecision {
            team: TeamId(get_s(item, "team")?.to_owned()),
            queue,
            reason: get_s(item, "routing_reason").unwrap_or_default().to_owned(),
            decided_at: Timestamp(at),
        }),
        _ => None,
    };
    Ok(StoredRequest {
        id: RequestId::parse(get_s(item, "id")?).ok_or_else(|| StoreError::corrupt("id"))?,
        reference: kjr_domain::Reference::parse(get_s(item, "reference")?)
            .ok_or_else(|| StoreError::corrupt("reference"))?,
        request: serde_json::from_str(get_s(item, "payload")?)
            .map_err(|_| StoreError::corrupt("payload"))?,
        received_at: Timestamp(get_n(item, "received_at")?.unwrap_or(0)),
        expires_at: Timestamp(get_n(item, "expires_at")?.unwrap_or(0)),
        status: Status::from_wire(get_s(item, "status")?)
            .ok_or_else(|| StoreError::corrupt("status"))?,
        routing,
        notified_at: get_n(item, "notified_at")?.map(Timestamp),
    })
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
            .expression_attribute_values(":req", s("REQ"))
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
            .expression_attribute_values(":pk", s(pk))
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
        let payload = serde_json::to_string(&new.request).map_err(StoreError::backend)?;
        let queue = Queue::for_request(&new.request);
        let mut request_item = request_key(&new.id);
        request_item.extend([
            ("id".to_owned(), s(new.id.as_str())),
            ("reference".to_owned(), s(new.reference.as_str())),
            (
                "idempotency_key".to_owned(),
                s(new.idempotency_key.as_str()),
            ),
            ("payload".to_owned(), s(payload)),
            ("queue".to_owned(), s(queue.as_str())),
            ("status".to_owned(), s(Status::New.as_str())),
            ("received_at".to_owned(), n(new.received_at.0)),
            ("expires_at".to_owned(), n(new.expires_at.0)),
            ("gsi1pk".to_owned(), s(queue_pk(UNROUTED, Status::New))),
            (
                "gsi1sk".to_owned(),
                s(queue_sort_key(queue, new.received_at, &new.id)),
            ),
        ]);
        let pointer = |pk: String, sk: &str| {
            HashMap::from([
                ("pk".to_owned(), s(pk)),
                ("sk".to_owned(), s(sk)),
                ("request_id".to_owned(), s(new.id.as_str())),
                ("expires_at".to_owned(), n(new.expires_at.0)),
            ])
        };
        let idem_pk = format!("IDEM#{}", new.idempotency_key.as_str());
        let result = self
            .client
            .transact_write_items()
            .transact_items(self.put(request_item, "pk")?)
            .transact_items(self.put(pointer(idem_pk.clone(), "IDEM"), "pk")?)
            .transact_items(self.put(
                pointer(format!("REF#{}", new.reference.as_str()), "REF"),
                "pk",
            )?)
            .send()
            .await;
        match result {
            Ok(_) => Ok(CreateOutcome::Created(StoredRequest {
                id: new.id,
                reference: new.reference,
                request: new.request,
                received_at: new.received_at,
                expires_at: new.expires_at,
                status: Status::New,
                routing: None,
                notified_at: None,
            })),
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
                        .get_item(HashMap::from([
                            ("pk".to_owned(), s(idem_pk)),
                            ("sk".to_owned(), s("IDEM")),
                        ]))
                        .await?
                        .ok_or_else(|| StoreError::backend("transaction cancelled"))?;
                    let id = RequestId::parse(get_s(&idem, "request_id")?)
                        .ok_or_else(|| StoreError::corrupt("request_id"))?;
                    let existing = self
                        .get(&id)
                        .await?
                        .ok_or_else(|| StoreError::corrupt("idempotency key without request"))?;
                    Ok(CreateOutcome::Existing(existing))
                } else if failed(2) {
                    Err(StoreError::ReferenceTaken)
                } else {
                    Err(StoreError::backend(format!(
                        "transaction cancelled: {reasons:?}"
                    )))
                }
            }
            Err(e) => Err(StoreError::backend(e.into_service_error())),
        }
    }

    async fn get(&self, id: &RequestId) -> Result<Option<StoredRequest>, StoreError> {
        self.get_item(request_key(id))
            .await?
            .map(|item| item_to_stored(&item))
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
            .set_key(Some(request_key(id)))
            .update_expression(
                "SET #status = :routed, team = :team, #queue = :queue, routing_reason = :reason, \
                 routed_at = :at, gsi1pk = :gpk, gsi1sk = :gsk",
            )
            .condition_expression("#status = :new")
            .expression_attribute_names("#status", "status")
            .expression_attribute_names("#queue", "queue")
            .expression_attribute_values(":routed", s(Status::Routed.as_str()))
            .expression_attribute_values(":new", s(Status::New.as_str()))
            .expression_attribute_values(":team", s(decision.team.as_str()))
            .expression_attribute_values(":queue", s(decision.queue.as_str()))
            .expression_attribute_values(":reason", s(decision.reason.clone()))
            .expression_attribute_values(":at", n(decision.decided_at.0))
            .expression_attribute_values(
                ":gpk",
                s(queue_pk(decision.team.as_str(), Status::Routed)),
            )
            .expression_attribute_values(
                ":gsk",
                s(queue_sort_key(decision.queue, current.received_at, id)),
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
            .set_key(Some(request_key(id)))
            .update_expression("SET notified_at = if_not_exists(notified_at, :at)")
            .condition_expression("attribute_exists(pk)")
            .expression_attribute_values(":at", n(at.0))
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
            if let Some(id) = RequestId::parse(get_s(&item, "id")?) {
                ids.push((get_n(&item, "received_at")?.unwrap_or(0), id));
            }
        }
        ids.sort();
        Ok(ids.into_iter().map(|(_, id)| id).collect())
    }

    async fn queue(&self, team: &TeamId, status: Status) -> Result<Vec<QueueEntry>, StoreError> {
        self.query_index(queue_pk(team.as_str(), status))
            .await?
            .iter()
            .map(|item| {
                let stored = item_to_stored(item)?;
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
