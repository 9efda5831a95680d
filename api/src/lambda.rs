//! The Lambda side: the router function, fed by the table's stream and by a schedule.
//!
//! (The HTTP Lambda needs nothing of its own: it runs [`crate::startup::router`].)

use aws_lambda_events::event::dynamodb::Event;
use aws_lambda_events::event::streams::{DynamoDbBatchItemFailure, DynamoDbEventResponse};

use crate::ids::RequestId;
use crate::routing::{RoutingError, RoutingJob, process_request, run_pending_jobs};
use crate::store::dynamo::request_id_of_key;

/// The request a stream record asks to route or notify: a request item inserted, or
/// changed so that its team must be told again (the person wrote back: no `notified_at`).
fn new_request_id(record: &aws_lambda_events::event::dynamodb::EventRecord) -> Option<RequestId> {
    let notify_again =
        record.event_name == "MODIFY" && !record.change.new_image.contains_key("notified_at");
    if record.event_name != "INSERT" && !notify_again {
        return None;
    }
    let key = |name: &str| match record.change.keys.get(name) {
        Some(serde_dynamo::AttributeValue::S(s)) => Some(s.clone()),
        _ => None,
    };
    request_id_of_key(&key("pk")?, &key("sk")?)
}

/// Routes every new request in a batch of stream records. Failed records are reported so
/// Lambda retries them (and everything after them in the shard) without losing any.
pub async fn handle_stream_event(job: &RoutingJob, event: Event) -> DynamoDbEventResponse {
    let mut response = DynamoDbEventResponse::default();
    for record in &event.records {
        let Some(id) = new_request_id(record) else {
            continue;
        };
        match process_request(job, &id).await {
            Ok(()) => continue,
            Err(RoutingError::NotFound(_)) => {
                tracing::warn!(request_id = %id, "stream names a request that no longer exists");
                continue;
            }
            Err(e) => {
                tracing::error!(request_id = %id, error = %e, "routing from stream failed");
                let mut failure = DynamoDbBatchItemFailure::default();
                failure.item_identifier = record.change.sequence_number.clone();
                response.batch_item_failures.push(failure);
                // Report the first failure only: Lambda retries from there, in order.
                break;
            }
        }
    }
    response
}

/// What the router function answers to a scheduled sweep.
#[derive(Debug, serde::Serialize)]
pub struct SweepReport {
    /// Jobs finished now.
    pub finished: usize,
    /// Jobs that failed again (left for the next sweep).
    pub failed: usize,
}

/// The router function's entry point: a DynamoDB stream batch (`Records`), or the scheduled
/// sweep (`{"sweep": true}`) that re-runs routing jobs whose stream retries ran out.
pub async fn handle_router_event(
    job: &RoutingJob,
    payload: serde_json::Value,
) -> Result<serde_json::Value, lambda_runtime::Error> {
    if payload.get("Records").is_some() {
        let event: Event = serde_json::from_value(payload)?;
        return Ok(serde_json::to_value(handle_stream_event(job, event).await)?);
    }
    if payload.get("digest").and_then(serde_json::Value::as_bool) == Some(true) {
        let sent = crate::routing::digest::send_digests(job, crate::ids::Timestamp::now()).await?;
        return Ok(serde_json::json!({ "digests": sent }));
    }
    if payload.get("sweep").and_then(serde_json::Value::as_bool) == Some(true) {
        let (finished, failed) = run_pending_jobs(job).await?;
        tracing::info!(finished, failed, "sweep done");
        // The backlog after the sweep: the metric the backlog alarm watches.
        let outbox = job.store.outbox_status().await?;
        job.metrics.backlog(&outbox, crate::ids::Timestamp::now());
        return Ok(serde_json::to_value(SweepReport { finished, failed })?);
    }
    Err("unknown event: expected stream Records, {\"sweep\": true} or {\"digest\": true}".into())
}
