//! The cloud store: one DynamoDB table (single-table design).
//!
//! Items: `REQ#<id>`/`REQ` (the request), `REQ#<id>`/`EVT#<seq>` (its audit events),
//! `IDEM#<key>`/`IDEM` (idempotency) and `REF#<reference>`/`REF` (reference uniqueness). A
//! request and its first event are written in one conditional transaction; every later event
//! in one with a condition on the request's chain head, so events never fork or get lost.
//! The GSI `gsi1` holds each team's queue: `gsi1pk = QUEUE#<team>#open|closed`; the sparse
//! GSI `gsi2` holds every team's (coordinators): `gsi2pk = QUEUE#*#open|closed`. Both sort
//! keys sort urgent first, then by arrival. Staff items: `ACCOUNT#<email>`/`ACCOUNT`,
//! `STAFF`/`<id>` (the directory), `SESSION#<hash>`/`SESSION` with `STAFFSESSIONS#<id>`/`<hash>`
//! beside it, and `FAIL#<key>`/`<time>#<n>` (failed sign-ins). `expires_at` is the table's TTL
//! attribute; code checks expiry itself, because TTL deletes late. The table's stream feeds
//! the routing Lambda.

use std::collections::HashMap;

use async_trait::async_trait;
use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::error::SdkError;
use aws_sdk_dynamodb::types::{AttributeValue, Put, TransactWriteItem};
use kjr_domain::{IdempotencyKey, Reference};
use serde::{Deserialize, Serialize};

use kjr_domain::staff::{AuditEntry, CaseEvent, CaseStatus, StaffId, StaffRef, StatusCount};

use super::OidcLogin;
use super::audit::{self, ChainHead, GENESIS};
use super::{
    Account, ApplyOutcome, CaseChange, CaseState, CreateOutcome, FailureKey, FirstContact,
    NewRequest, OutboxStatus, Queue, QueueQuery, QueueScope, QueueSlice, RoutingDecision, Session,
    StaffMember, Status, Store, StoreError, StoredRequest, asker_kind, queue_sort_key,
};
use crate::ids::{RequestId, TeamId, Timestamp};

/// The queue partition of requests not yet routed.
const UNROUTED: &str = "UNROUTED";
/// How often a write whose chain head moved meanwhile is tried again.
const CHAIN_RETRIES: usize = 8;
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
#[derive(Clone, Serialize, Deserialize)]
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
    gsi2pk: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    gsi2sk: Option<String>,
    /// The handling; absent on items written before the staff workspace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    case_state: Option<CaseState>,
    /// The columns the queue filters on.
    #[serde(default)]
    case_status: Option<CaseStatus>,
    #[serde(default)]
    version: u32,
    #[serde(default)]
    asker: Option<String>,
    #[serde(default)]
    age_band: Option<String>,
    #[serde(default)]
    topics: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    municipality: Option<String>,
    #[serde(default)]
    due_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    first_contact_at: Option<Timestamp>,
    /// The chain head of the audit trail.
    #[serde(default)]
    audit_seq: u32,
    #[serde(default = "genesis")]
    audit_hash: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    team: Option<TeamId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    routing_reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    routed_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    notified_at: Option<Timestamp>,
}

fn genesis() -> String {
    GENESIS.to_owned()
}

/// An audit event item, `REQ#<id>`/`EVT#<seq>`: the entry as JSON. It expires with its
/// request. The entry stays JSON text (not a DynamoDB map, whose keys have no order): events
/// are read tag-first (`kjr_domain::tagged`).
#[derive(Serialize, Deserialize)]
struct EventItem {
    pk: String,
    sk: String,
    entry: String,
    expires_at: Timestamp,
}

/// An item that holds one JSON document (accounts, directory, sessions).
#[derive(Serialize, Deserialize)]
struct DocItem {
    pk: String,
    sk: String,
    doc: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    expires_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    last_seen_at: Option<Timestamp>,
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

/// A key with an owned sort key.
#[derive(Serialize)]
struct OwnedKey {
    pk: String,
    sk: String,
}

fn event_sk(seq: u32) -> String {
    format!("EVT#{seq:010}")
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
            gsi1pk: UNROUTED.to_owned(),
            gsi1sk: queue_sort_key(queue, new.received_at, &new.id),
            gsi2pk: None,
            gsi2sk: None,
            case_state: Some(new.case_state()),
            case_status: Some(CaseStatus::New),
            version: 0,
            asker: Some(asker_kind(&new.request).as_str().to_owned()),
            age_band: Some(new.request.age_band().as_str().to_owned()),
            topics: new
                .request
                .topics()
                .iter()
                .map(|t| t.as_str().to_owned())
                .collect(),
            municipality: new.request.municipality().map(|m| m.name().to_owned()),
            due_at: Some(new.due_at),
            first_contact_at: None,
            audit_seq: 0,
            audit_hash: genesis(),
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

    fn head(&self) -> ChainHead {
        ChainHead {
            seq: self.audit_seq,
            hash: self.audit_hash.clone(),
        }
    }

    fn into_stored(self) -> Result<StoredRequest, StoreError> {
        let id = self.request_id()?;
        let case = self.case_state.clone().unwrap_or_else(|| {
            CaseState::new(self.received_at, self.due_at.unwrap_or(self.received_at))
        });
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
            case,
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

/// The queue partition of a routed request: its team's (or `*`, every team's), open or
/// closed.
fn queue_pk(team: &str, open: bool) -> String {
    format!("QUEUE#{team}#{}", if open { "open" } else { "closed" })
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
            .attribute_definitions(attr("gsi2pk")?)
            .attribute_definitions(attr("gsi2sk")?)
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
            .global_secondary_indexes(
                GlobalSecondaryIndex::builder()
                    .index_name("gsi2")
                    .key_schema(key("gsi2pk", KeyType::Hash)?)
                    .key_schema(key("gsi2sk", KeyType::Range)?)
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
        self.scan_request_attributes(filter, None).await
    }

    /// As [`Self::scan_requests`], reading only `projection` of each item when given.
    async fn scan_request_attributes(
        &self,
        filter: &str,
        projection: Option<&str>,
    ) -> Result<Vec<Item>, StoreError> {
        self.client
            .scan()
            .table_name(&self.table)
            .filter_expression(filter)
            .set_projection_expression(projection.map(str::to_owned))
            .expression_attribute_values(":req", to_value(REQ)?)
            .into_paginator()
            .items()
            .send()
            .try_collect()
            .await
            .map_err(|e| StoreError::backend(e.into_service_error()))
    }

    /// The request item with `id`, as stored.
    async fn request_item(&self, id: &RequestId) -> Result<Option<RequestItem>, StoreError> {
        self.get_item(request_key(id)?)
            .await?
            .map(RequestItem::from_item)
            .transpose()
    }

    /// The request an `IDEM#…`/`IDEM` or `REF#…`/`REF` item points at, if the item exists.
    async fn pointed_at(
        &self,
        pk: String,
        sk: &'static str,
    ) -> Result<Option<RequestId>, StoreError> {
        let Some(item) = self.get_item(to_item(Key { pk, sk })?).await? else {
            return Ok(None);
        };
        let pointer: PointerItem =
            serde_dynamo::from_item(item).map_err(|e| StoreError::corrupt("pointer item", e))?;
        RequestId::parse(&pointer.request_id)
            .map(Some)
            .ok_or_else(|| StoreError::corrupt("request_id", "not a request id"))
    }

    /// One transaction: the update of the request item (only if its chain head is still
    /// `head`, and `condition` holds), and the events chained after `head`. `Ok(false)` when
    /// a condition failed (the caller reads again and decides).
    async fn append(
        &self,
        item: &RequestItem,
        update: Update,
        actor: &Option<StaffRef>,
        at: Timestamp,
        events: &[CaseEvent],
    ) -> Result<bool, StoreError> {
        let head = item.head();
        let (entries, new_head) = audit::extend(&head, actor, at, events);
        let id = item.request_id()?;
        let mut sets = update.sets.clone();
        sets.push("audit_seq = :new_seq".into());
        sets.push("audit_hash = :new_hash".into());
        let head_condition = if head.seq == 0 {
            "(attribute_not_exists(audit_seq) OR audit_seq = :old_seq)"
        } else {
            "audit_seq = :old_seq"
        };
        let condition = match &update.condition {
            Some(c) => format!("attribute_exists(pk) AND {head_condition} AND ({c})"),
            None => format!("attribute_exists(pk) AND {head_condition}"),
        };
        let mut values = update.values.clone();
        values.insert(":new_seq".into(), to_value(new_head.seq)?);
        values.insert(":new_hash".into(), to_value(&new_head.hash)?);
        values.insert(":old_seq".into(), to_value(head.seq)?);
        let mut request_update = aws_sdk_dynamodb::types::Update::builder()
            .table_name(&self.table)
            .set_key(Some(request_key(&id)?))
            .update_expression(if update.removes.is_empty() {
                format!("SET {}", sets.join(", "))
            } else {
                format!(
                    "SET {} REMOVE {}",
                    sets.join(", "),
                    update.removes.join(", ")
                )
            })
            .condition_expression(condition)
            .set_expression_attribute_values(Some(values));
        if !update.names.is_empty() {
            request_update =
                request_update.set_expression_attribute_names(Some(update.names.clone()));
        }
        let mut transaction = self.client.transact_write_items().transact_items(
            TransactWriteItem::builder()
                .update(request_update.build().map_err(StoreError::backend)?)
                .build(),
        );
        for entry in &entries {
            let event = to_item(EventItem {
                pk: request_pk(&id),
                sk: event_sk(entry.seq),
                entry: serde_json::to_string(entry).map_err(StoreError::backend)?,
                expires_at: update.expires_at.unwrap_or(item.expires_at),
            })?;
            transaction = transaction.transact_items(self.put(event, "pk")?);
        }
        if let Some(fc) = &update.first_contact {
            let nonce: u64 = u64::from_le_bytes(crate::ids::random_bytes());
            let stat = to_item(DocItem {
                pk: format!("STATS#{}", fc.week),
                sk: format!("{}#{nonce:020}", fc.team),
                doc: serde_json::to_string(fc).map_err(StoreError::backend)?,
                expires_at: None,
                last_seen_at: None,
            })?;
            transaction = transaction.transact_items(self.put(stat, "pk")?);
        }
        match transaction.send().await {
            Ok(_) => Ok(true),
            Err(SdkError::ServiceError(err)) if err.err().is_transaction_canceled_exception() => {
                Ok(false)
            }
            Err(e) => Err(StoreError::backend(e.into_service_error())),
        }
    }

    /// Gives every item that belongs to a request (its events, its idempotency and reference
    /// items) the request's new TTL, so that all of it goes when the request goes.
    async fn retag_expiry(
        &self,
        item: &RequestItem,
        expires_at: Timestamp,
    ) -> Result<(), StoreError> {
        let id = item.request_id()?;
        let events = self
            .query_all(
                None,
                "pk = :pk AND begins_with(sk, :evt)",
                HashMap::from([
                    (":pk".to_owned(), to_value(request_pk(&id))?),
                    (":evt".to_owned(), to_value("EVT#")?),
                ]),
            )
            .await?;
        let mut keys: Vec<OwnedKey> = Vec::new();
        for event in events {
            let event: EventItem =
                serde_dynamo::from_item(event).map_err(|e| StoreError::corrupt("event item", e))?;
            keys.push(OwnedKey {
                pk: event.pk,
                sk: event.sk,
            });
        }
        keys.push(OwnedKey {
            pk: format!("IDEM#{}", item.idempotency_key.as_str()),
            sk: "IDEM".into(),
        });
        keys.push(OwnedKey {
            pk: format!("REF#{}", item.reference.as_str()),
            sk: "REF".into(),
        });
        for key in keys {
            self.client
                .update_item()
                .table_name(&self.table)
                .set_key(Some(to_item(key)?))
                .update_expression("SET expires_at = :at")
                .condition_expression("attribute_exists(pk)")
                .expression_attribute_values(":at", to_value(expires_at)?)
                .send()
                .await
                .map_err(|e| StoreError::backend(e.into_service_error()))?;
        }
        Ok(())
    }

    /// Every item of a query, all pages.
    async fn query_all(
        &self,
        index: Option<&str>,
        condition: &str,
        values: HashMap<String, AttributeValue>,
    ) -> Result<Vec<Item>, StoreError> {
        self.client
            .query()
            .table_name(&self.table)
            .set_index_name(index.map(str::to_owned))
            .key_condition_expression(condition)
            .set_expression_attribute_values(Some(values))
            .into_paginator()
            .items()
            .send()
            .try_collect()
            .await
            .map_err(|e| StoreError::backend(e.into_service_error()))
    }

    async fn put_doc(&self, doc: DocItem, condition: Option<&str>) -> Result<bool, StoreError> {
        let result = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(to_item(doc)?))
            .set_condition_expression(condition.map(str::to_owned))
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

    async fn get_doc(&self, pk: String, sk: String) -> Result<Option<DocItem>, StoreError> {
        self.get_item(to_item(OwnedKey { pk, sk })?)
            .await?
            .map(|item| {
                serde_dynamo::from_item::<_, DocItem>(item)
                    .map_err(|e| StoreError::corrupt("document item", e))
            })
            .transpose()
    }

    async fn delete_key(&self, pk: String, sk: String) -> Result<(), StoreError> {
        self.client
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(to_item(OwnedKey { pk, sk })?))
            .send()
            .await
            .map_err(|e| StoreError::backend(e.into_service_error()))?;
        Ok(())
    }
}

/// What a change sets on the request item, beside the chain head.
#[derive(Default)]
struct Update {
    sets: Vec<String>,
    condition: Option<String>,
    values: HashMap<String, AttributeValue>,
    names: HashMap<String, String>,
    /// A new TTL for the request and every item that goes with it.
    expires_at: Option<Timestamp>,
    /// An anonymous count to write in the same transaction.
    first_contact: Option<FirstContact>,
    /// Attributes to remove.
    removes: Vec<&'static str>,
}

impl Update {
    fn set(mut self, attribute: &str, value: AttributeValue) -> Self {
        let placeholder = format!(":{}", attribute.trim_start_matches('#'));
        self.sets.push(format!("{attribute} = {placeholder}"));
        if let Some(name) = attribute.strip_prefix('#') {
            self.names.insert(attribute.to_owned(), name.to_owned());
        }
        self.values.insert(placeholder, value);
        self
    }

    fn value(mut self, placeholder: &str, value: AttributeValue) -> Self {
        self.values.insert(placeholder.to_owned(), value);
        self
    }

    fn when(mut self, condition: &str) -> Self {
        self.condition = Some(condition.to_owned());
        self
    }

    /// Sets the handling and the attributes the queues sort and filter on.
    fn case(
        self,
        current: &StoredRequest,
        case: &CaseState,
        moves_to: Option<&TeamId>,
    ) -> Result<Self, StoreError> {
        let mut update = self
            .set("case_state", to_value(case)?)
            .set("case_status", to_value(case.status)?)
            .set("version", to_value(case.version)?)
            .set("due_at", to_value(case.due_at)?);
        if let Some(at) = case.first_contact_at {
            update = update.set("first_contact_at", to_value(at)?);
        }
        if let Some(team) = moves_to {
            update = update.set("team", to_value(team)?);
        }
        if let Some(team) = moves_to.or(current.routing.as_ref().map(|r| &r.team)) {
            let sort_key =
                super::case_sort_key(&current.request, case, current.received_at, &current.id);
            let open = case.status.is_open();
            update = update
                .set("gsi1pk", to_value(queue_pk(team.as_str(), open))?)
                .set("gsi1sk", to_value(&sort_key)?)
                .set("gsi2pk", to_value(queue_pk("*", open))?)
                .set("gsi2sk", to_value(&sort_key)?);
        }
        Ok(update)
    }
}

/// The filter expression of a queue query.
fn queue_filter(
    query: &QueueQuery,
) -> Result<(Vec<String>, HashMap<String, AttributeValue>), StoreError> {
    let f = &query.filter;
    let mut clauses = Vec::new();
    let mut values = HashMap::new();
    if let Some(status) = f.status {
        clauses.push("case_status = :status".to_owned());
        values.insert(":status".into(), to_value(status)?);
    }
    if let Some(u) = f.urgency {
        clauses.push("#queue = :urgency".to_owned());
        values.insert(":urgency".into(), to_value(u)?);
    }
    if let Some(a) = f.asker {
        clauses.push("asker = :asker".to_owned());
        values.insert(":asker".into(), to_value(a.as_str())?);
    }
    if let Some(a) = f.age_band {
        clauses.push("age_band = :age_band".to_owned());
        values.insert(":age_band".into(), to_value(a.as_str())?);
    }
    if let Some(t) = f.topic {
        clauses.push("contains(topics, :topic)".to_owned());
        values.insert(":topic".into(), to_value(t.as_str())?);
    }
    if let Some(m) = &f.municipality {
        clauses.push("municipality = :municipality".to_owned());
        values.insert(":municipality".into(), to_value(m)?);
    }
    if f.overdue == Some(true) {
        clauses.push("attribute_not_exists(first_contact_at) AND due_at < :now".to_owned());
        values.insert(":now".into(), to_value(query.now)?);
    }
    Ok((clauses, values))
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
        let mut item = RequestItem::new(&new)?;
        let (entries, head) = audit::extend(
            &ChainHead::empty(),
            &None,
            new.received_at,
            &[new.received_event()],
        );
        item.audit_seq = head.seq;
        item.audit_hash = head.hash;
        let mut transaction = self
            .client
            .transact_write_items()
            .transact_items(self.put(to_item(item)?, "pk")?)
            .transact_items(self.put(pointer(idem_pk.clone(), "IDEM")?, "pk")?)
            .transact_items(self.put(
                pointer(format!("REF#{}", new.reference.as_str()), "REF")?,
                "pk",
            )?);
        for entry in &entries {
            transaction = transaction.transact_items(self.put(
                to_item(EventItem {
                    pk: request_pk(&new.id),
                    sk: event_sk(entry.seq),
                    entry: serde_json::to_string(entry).map_err(StoreError::backend)?,
                    expires_at: new.expires_at,
                })?,
                "pk",
            )?);
        }
        let result = transaction.send().await;
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
                    let id = self
                        .pointed_at(idem_pk, "IDEM")
                        .await?
                        .ok_or_else(|| StoreError::backend(err.into_err()))?;
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
        self.request_item(id)
            .await?
            .map(RequestItem::into_stored)
            .transpose()
    }

    async fn find_by_reference(
        &self,
        reference: &Reference,
    ) -> Result<Option<StoredRequest>, StoreError> {
        match self
            .pointed_at(format!("REF#{}", reference.as_str()), "REF")
            .await?
        {
            Some(id) => self.get(&id).await,
            None => Ok(None),
        }
    }

    async fn record_routing(
        &self,
        id: &RequestId,
        decision: &RoutingDecision,
    ) -> Result<bool, StoreError> {
        for _ in 0..CHAIN_RETRIES {
            let Some(current) = self.request_item(id).await? else {
                return Err(StoreError::backend(format!("request {id} not found")));
            };
            if current.status != Status::New {
                return Ok(false);
            }
            let sort_key = queue_sort_key(decision.queue, current.received_at, id);
            let update = Update::default()
                .set("#status", to_value(Status::Routed)?)
                .set("team", to_value(&decision.team)?)
                .set("#queue", to_value(decision.queue)?)
                .set("routing_reason", to_value(&decision.reason)?)
                .set("routed_at", to_value(decision.decided_at)?)
                .set("gsi1pk", to_value(queue_pk(decision.team.as_str(), true))?)
                .set("gsi1sk", to_value(&sort_key)?)
                .set("gsi2pk", to_value(queue_pk("*", true))?)
                .set("gsi2sk", to_value(&sort_key)?)
                .value(":new", to_value(Status::New)?)
                .when("#status = :new");
            let events = [CaseEvent::Routed {
                team: decision.team.clone(),
                reason: decision.reason.clone(),
            }];
            if self
                .append(&current, update, &None, decision.decided_at, &events)
                .await?
            {
                return Ok(true);
            }
        }
        Err(StoreError::backend(format!(
            "request {id}: chain head kept moving"
        )))
    }

    async fn mark_notified(&self, id: &RequestId, at: Timestamp) -> Result<(), StoreError> {
        for _ in 0..CHAIN_RETRIES {
            let Some(current) = self.request_item(id).await? else {
                return Err(StoreError::backend(format!("request {id} not found")));
            };
            if current.notified_at.is_some() {
                return Ok(());
            }
            let events: Vec<CaseEvent> = current
                .team
                .iter()
                .map(|team| CaseEvent::Notified { team: team.clone() })
                .collect();
            let update = Update::default()
                .set("notified_at", to_value(at)?)
                .when("attribute_not_exists(notified_at)");
            if self.append(&current, update, &None, at, &events).await? {
                return Ok(());
            }
        }
        Err(StoreError::backend(format!(
            "request {id}: chain head kept moving"
        )))
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

    async fn outbox_status(&self) -> Result<OutboxStatus, StoreError> {
        // One scan of the request items' two times (the sweep scans the same way); readiness
        // in the cloud reuses its answer for a while (`KJR_READY_CACHE_SECONDS`).
        let items = self
            .scan_request_attributes("sk = :req", Some("received_at, notified_at, pending_since"))
            .await?;
        let time = |item: &Item, name: &'static str| -> Result<Option<Timestamp>, StoreError> {
            item.get(name)
                .map(|v| {
                    v.as_n()
                        .ok()
                        .and_then(|n| n.parse().ok())
                        .map(Timestamp)
                        .ok_or_else(|| StoreError::corrupt(name, "not a number"))
                })
                .transpose()
        };
        let mut status = OutboxStatus::default();
        for item in &items {
            match time(item, "notified_at")? {
                Some(at) => status.last_notified_at = status.last_notified_at.max(Some(at)),
                None => {
                    status.pending += 1;
                    // A job opened again (the person wrote back) waits since then.
                    let since = match time(item, "pending_since")? {
                        Some(at) => Some(at),
                        None => time(item, "received_at")?,
                    };
                    if let Some(at) = since {
                        status.oldest_pending_since = Some(
                            status
                                .oldest_pending_since
                                .map_or(at, |old: Timestamp| old.min(at)),
                        );
                    }
                }
            }
        }
        Ok(status)
    }

    async fn queue(&self, query: &QueueQuery) -> Result<QueueSlice, StoreError> {
        let open = query.filter.status.is_none_or(CaseStatus::is_open);
        let (index, pk_name, sk_name, pk) = match &query.scope {
            QueueScope::Team(team) => ("gsi1", "gsi1pk", "gsi1sk", queue_pk(team.as_str(), open)),
            QueueScope::All => ("gsi2", "gsi2pk", "gsi2sk", queue_pk("*", open)),
        };
        let (clauses, mut values) = queue_filter(query)?;
        values.insert(":pk".into(), to_value(&pk)?);
        let mut condition = format!("{pk_name} = :pk");
        if let Some(after) = &query.after {
            condition.push_str(&format!(" AND {sk_name} > :after"));
            values.insert(":after".into(), to_value(after.as_str())?);
        }
        let wanted = query.limit as usize + 1;
        let mut requests = Vec::new();
        let mut start: Option<Item> = None;
        loop {
            let mut request = self
                .client
                .query()
                .table_name(&self.table)
                .index_name(index)
                .key_condition_expression(&condition)
                .set_expression_attribute_values(Some(values.clone()))
                .limit((wanted - requests.len()).max(10) as i32)
                .set_exclusive_start_key(start.take());
            if !clauses.is_empty() {
                request = request.filter_expression(clauses.join(" AND "));
                if query.filter.urgency.is_some() {
                    request = request.expression_attribute_names("#queue", "queue");
                }
            }
            let out = request
                .send()
                .await
                .map_err(|e| StoreError::backend(e.into_service_error()))?;
            for item in out.items.unwrap_or_default() {
                let stored = RequestItem::from_item(item)?.into_stored()?;
                if query.matches(&stored) {
                    requests.push(stored);
                }
            }
            start = out.last_evaluated_key;
            if requests.len() >= wanted || start.is_none() {
                break;
            }
        }
        requests.truncate(wanted);
        let next_cursor = if requests.len() > query.limit as usize {
            requests.truncate(query.limit as usize);
            requests.last().map(StoredRequest::sort_key)
        } else {
            None
        };
        Ok(QueueSlice {
            requests,
            next_cursor,
        })
    }

    async fn status_counts(&self, scope: &QueueScope) -> Result<Vec<StatusCount>, StoreError> {
        let (index, pk_name, pk) = match scope {
            QueueScope::Team(team) => ("gsi1", "gsi1pk", queue_pk(team.as_str(), true)),
            QueueScope::All => ("gsi2", "gsi2pk", queue_pk("*", true)),
        };
        let items = self
            .query_all(
                Some(index),
                &format!("{pk_name} = :pk"),
                HashMap::from([(":pk".to_owned(), to_value(pk)?)]),
            )
            .await?;
        let mut counts: Vec<StatusCount> = Vec::new();
        for item in items {
            let status = RequestItem::from_item(item)?
                .case_status
                .unwrap_or(CaseStatus::New);
            match counts.iter_mut().find(|c| c.status == status) {
                Some(c) => c.count += 1,
                None => counts.push(StatusCount { status, count: 1 }),
            }
        }
        counts.sort_by_key(|c| c.status);
        Ok(counts)
    }

    async fn apply(
        &self,
        id: &RequestId,
        change: CaseChange,
    ) -> Result<Option<ApplyOutcome>, StoreError> {
        for _ in 0..CHAIN_RETRIES {
            let Some(current) = self.request_item(id).await? else {
                return Ok(None);
            };
            let mut update = Update::default();
            if let Some((expected, state)) = &change.state {
                let version = current.case_state.as_ref().map_or(0, |c| c.version);
                let stored = current.clone().into_stored()?;
                if version != *expected {
                    return Ok(Some(ApplyOutcome::Conflict(Box::new(stored))));
                }
                if let Some(expires_at) = change.expires_at {
                    update = update.set("expires_at", to_value(expires_at)?);
                    update.expires_at = Some(expires_at);
                }
                update.first_contact = change.first_contact.clone();
                update = update
                    .case(&stored, state, change.team.as_ref())?
                    .value(":expected", to_value(*expected)?)
                    .when(if *expected == 0 {
                        "attribute_not_exists(version) OR version = :expected"
                    } else {
                        "version = :expected"
                    });
            }
            if change.renotify {
                // The notification job again: the stream (or the sweep) tells the team.
                update.removes.push("notified_at");
                update = update.set("pending_since", to_value(change.at)?);
            }
            if self
                .append(&current, update, &change.actor, change.at, &change.events)
                .await?
            {
                if let Some(expires_at) = change.expires_at {
                    self.retag_expiry(&current, expires_at).await?;
                }
                let now = self.get(id).await?.ok_or_else(|| {
                    StoreError::backend(format!("request {id} vanished after a change"))
                })?;
                return Ok(Some(ApplyOutcome::Applied(Box::new(now))));
            }
        }
        Err(StoreError::backend(format!(
            "request {id}: chain head kept moving"
        )))
    }

    async fn audit_trail(
        &self,
        id: &RequestId,
    ) -> Result<Option<(Vec<AuditEntry>, ChainHead)>, StoreError> {
        let Some(item) = self.request_item(id).await? else {
            return Ok(None);
        };
        let items = self
            .query_all(
                None,
                "pk = :pk AND begins_with(sk, :evt)",
                HashMap::from([
                    (":pk".to_owned(), to_value(request_pk(id))?),
                    (":evt".to_owned(), to_value("EVT#")?),
                ]),
            )
            .await?;
        let mut entries = Vec::with_capacity(items.len());
        for item in items {
            let event: EventItem =
                serde_dynamo::from_item(item).map_err(|e| StoreError::corrupt("event item", e))?;
            entries.push(
                serde_json::from_str::<AuditEntry>(&event.entry)
                    .map_err(|e| StoreError::corrupt("audit entry", e))?,
            );
        }
        Ok(Some((entries, item.head())))
    }

    async fn request_ids(&self) -> Result<Vec<RequestId>, StoreError> {
        let mut ids = Vec::new();
        for item in self.scan_requests("sk = :req").await? {
            ids.push(RequestItem::from_item(item)?.request_id()?);
        }
        ids.sort();
        Ok(ids)
    }

    async fn create_account(&self, account: &Account) -> Result<bool, StoreError> {
        self.put_doc(
            DocItem {
                pk: format!("ACCOUNT#{}", account.email),
                sk: "ACCOUNT".into(),
                doc: serde_json::to_string(account).map_err(StoreError::backend)?,
                expires_at: None,
                last_seen_at: None,
            },
            Some("attribute_not_exists(pk)"),
        )
        .await
    }

    async fn update_account(&self, account: &Account) -> Result<(), StoreError> {
        self.put_doc(
            DocItem {
                pk: format!("ACCOUNT#{}", account.email),
                sk: "ACCOUNT".into(),
                doc: serde_json::to_string(account).map_err(StoreError::backend)?,
                expires_at: None,
                last_seen_at: None,
            },
            Some("attribute_exists(pk)"),
        )
        .await?;
        Ok(())
    }

    async fn account(&self, email: &str) -> Result<Option<Account>, StoreError> {
        self.get_doc(format!("ACCOUNT#{email}"), "ACCOUNT".into())
            .await?
            .map(|d| serde_json::from_str(&d.doc).map_err(|e| StoreError::corrupt("account", e)))
            .transpose()
    }

    async fn upsert_staff(&self, member: &StaffMember) -> Result<(), StoreError> {
        self.put_doc(
            DocItem {
                pk: "STAFF".into(),
                sk: member.id.as_str().to_owned(),
                doc: serde_json::to_string(member).map_err(StoreError::backend)?,
                expires_at: None,
                last_seen_at: None,
            },
            None,
        )
        .await?;
        Ok(())
    }

    async fn staff_directory(&self) -> Result<Vec<StaffMember>, StoreError> {
        let items = self
            .query_all(
                None,
                "pk = :pk",
                HashMap::from([(":pk".to_owned(), to_value("STAFF")?)]),
            )
            .await?;
        items
            .into_iter()
            .map(|item| {
                let doc: DocItem = serde_dynamo::from_item(item)
                    .map_err(|e| StoreError::corrupt("staff item", e))?;
                serde_json::from_str(&doc.doc).map_err(|e| StoreError::corrupt("staff member", e))
            })
            .collect()
    }

    async fn create_session(&self, session: &Session) -> Result<(), StoreError> {
        let doc = serde_json::to_string(session).map_err(StoreError::backend)?;
        let put = |pk: String, sk: String| -> Result<TransactWriteItem, StoreError> {
            Ok(TransactWriteItem::builder()
                .put(
                    Put::builder()
                        .table_name(&self.table)
                        .set_item(Some(to_item(DocItem {
                            pk,
                            sk,
                            doc: doc.clone(),
                            expires_at: Some(session.expires_at),
                            last_seen_at: Some(session.last_seen_at),
                        })?))
                        .build()
                        .map_err(StoreError::backend)?,
                )
                .build())
        };
        self.client
            .transact_write_items()
            .transact_items(put(
                format!("SESSION#{}", session.token_hash),
                "SESSION".into(),
            )?)
            .transact_items(put(
                format!("STAFFSESSIONS#{}", session.member.id.as_str()),
                session.token_hash.clone(),
            )?)
            .send()
            .await
            .map_err(|e| StoreError::backend(e.into_service_error()))?;
        Ok(())
    }

    async fn session(&self, token_hash: &str) -> Result<Option<Session>, StoreError> {
        let Some(doc) = self
            .get_doc(format!("SESSION#{token_hash}"), "SESSION".into())
            .await?
        else {
            return Ok(None);
        };
        let mut session: Session =
            serde_json::from_str(&doc.doc).map_err(|e| StoreError::corrupt("session", e))?;
        if let Some(at) = doc.last_seen_at {
            session.last_seen_at = at;
        }
        Ok(Some(session))
    }

    async fn touch_session(&self, token_hash: &str, at: Timestamp) -> Result<(), StoreError> {
        let result = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(to_item(OwnedKey {
                pk: format!("SESSION#{token_hash}"),
                sk: "SESSION".into(),
            })?))
            .update_expression("SET last_seen_at = :at")
            .condition_expression("attribute_exists(pk)")
            .expression_attribute_values(":at", to_value(at)?)
            .send()
            .await;
        match result {
            Ok(_) => Ok(()),
            Err(SdkError::ServiceError(err))
                if err.err().is_conditional_check_failed_exception() =>
            {
                Ok(())
            }
            Err(e) => Err(StoreError::backend(e.into_service_error())),
        }
    }

    async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
        if let Some(session) = self.session(token_hash).await? {
            self.delete_key(
                format!("STAFFSESSIONS#{}", session.member.id.as_str()),
                token_hash.to_owned(),
            )
            .await?;
        }
        self.delete_key(format!("SESSION#{token_hash}"), "SESSION".into())
            .await
    }

    async fn delete_sessions_of(&self, staff: &StaffId) -> Result<(), StoreError> {
        let pk = format!("STAFFSESSIONS#{}", staff.as_str());
        let items = self
            .query_all(
                None,
                "pk = :pk",
                HashMap::from([(":pk".to_owned(), to_value(&pk)?)]),
            )
            .await?;
        for item in items {
            let doc: DocItem = serde_dynamo::from_item(item)
                .map_err(|e| StoreError::corrupt("session index item", e))?;
            self.delete_key(format!("SESSION#{}", doc.sk), "SESSION".into())
                .await?;
            self.delete_key(pk.clone(), doc.sk).await?;
        }
        Ok(())
    }

    async fn record_sign_in_failure(
        &self,
        key: &FailureKey,
        at: Timestamp,
        keep_until: Timestamp,
    ) -> Result<(), StoreError> {
        let nonce: u32 = u32::from_le_bytes(crate::ids::random_bytes());
        self.put_doc(
            DocItem {
                pk: format!("FAIL#{}", key.as_str()),
                sk: format!("{:012}#{nonce:010}", at.0),
                doc: String::new(),
                expires_at: Some(keep_until),
                last_seen_at: None,
            },
            None,
        )
        .await?;
        Ok(())
    }

    async fn sign_in_failures(
        &self,
        key: &FailureKey,
        since: Timestamp,
    ) -> Result<Vec<Timestamp>, StoreError> {
        let items = self
            .query_all(
                None,
                "pk = :pk AND sk >= :since",
                HashMap::from([
                    (
                        ":pk".to_owned(),
                        to_value(format!("FAIL#{}", key.as_str()))?,
                    ),
                    (":since".to_owned(), to_value(format!("{:012}", since.0))?),
                ]),
            )
            .await?;
        let mut out = Vec::new();
        for item in items {
            let doc: DocItem = serde_dynamo::from_item(item)
                .map_err(|e| StoreError::corrupt("failure item", e))?;
            let at = doc
                .sk
                .split('#')
                .next()
                .and_then(|t| t.parse::<i64>().ok())
                .ok_or_else(|| StoreError::corrupt("failure item", "malformed sort key"))?;
            out.push(Timestamp(at));
        }
        Ok(out)
    }

    async fn first_contacts(&self, weeks: &[String]) -> Result<Vec<FirstContact>, StoreError> {
        let mut out = Vec::new();
        for week in weeks {
            let items = self
                .query_all(
                    None,
                    "pk = :pk",
                    HashMap::from([(":pk".to_owned(), to_value(format!("STATS#{week}"))?)]),
                )
                .await?;
            for item in items {
                let doc: DocItem = serde_dynamo::from_item(item)
                    .map_err(|e| StoreError::corrupt("stats item", e))?;
                out.push(
                    serde_json::from_str(&doc.doc)
                        .map_err(|e| StoreError::corrupt("first contact", e))?,
                );
            }
        }
        Ok(out)
    }

    async fn clear_sign_in_failures(&self, key: &FailureKey) -> Result<(), StoreError> {
        let pk = format!("FAIL#{}", key.as_str());
        let items = self
            .query_all(
                None,
                "pk = :pk",
                HashMap::from([(":pk".to_owned(), to_value(&pk)?)]),
            )
            .await?;
        for item in items {
            let doc: DocItem = serde_dynamo::from_item(item)
                .map_err(|e| StoreError::corrupt("failure item", e))?;
            self.delete_key(pk.clone(), doc.sk).await?;
        }
        Ok(())
    }

    async fn count(&self) -> Result<usize, StoreError> {
        Ok(self.scan_requests("sk = :req").await?.len())
    }

    async fn purge_expired(&self, _now: Timestamp) -> Result<usize, StoreError> {
        // DynamoDB's TTL on `expires_at` deletes expired items by itself.
        Ok(0)
    }

    async fn create_oidc_login(&self, login: &OidcLogin) -> Result<(), StoreError> {
        let doc = DocItem {
            pk: format!("{OIDC_LOGIN}#{}", login.state_hash),
            sk: OIDC_LOGIN.into(),
            doc: serde_json::to_string(login).map_err(StoreError::backend)?,
            expires_at: Some(login.expires_at),
            last_seen_at: None,
        };
        self.put_doc(doc, None).await.map(|_| ())
    }

    async fn take_oidc_login(
        &self,
        state_hash: &str,
        now: Timestamp,
    ) -> Result<Option<OidcLogin>, StoreError> {
        // DeleteItem returning the old item: of two callbacks with the same state, only one
        // gets it back.
        let out = self
            .client
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(to_item(OwnedKey {
                pk: format!("{OIDC_LOGIN}#{state_hash}"),
                sk: OIDC_LOGIN.into(),
            })?))
            .return_values(aws_sdk_dynamodb::types::ReturnValue::AllOld)
            .send()
            .await
            .map_err(|e| StoreError::backend(e.into_service_error()))?;
        let Some(item) = out.attributes.filter(|a| !a.is_empty()) else {
            return Ok(None);
        };
        let doc: DocItem =
            serde_dynamo::from_item(item).map_err(|e| StoreError::corrupt("oidc login item", e))?;
        // TTL deletes late: an expired one may still be there.
        if doc.expires_at.is_none_or(|at| at <= now) {
            return Ok(None);
        }
        serde_json::from_str(&doc.doc)
            .map(Some)
            .map_err(|e| StoreError::corrupt("oidc login", e))
    }
}

/// The partition prefix and sort key of started OIDC sign-ins, `OIDC#<state hash>`/`OIDC`.
const OIDC_LOGIN: &str = "OIDC";
