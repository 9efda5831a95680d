//! The Lambda side: the stream consumer that routes new requests.
//!
//! (The HTTP Lambda needs nothing of its own: it runs [`crate::startup::router`].)

use aws_lambda_events::event::dynamodb::Event;
use aws_lambda_events::event::streams::{DynamoDbBatchItemFailure, DynamoDbEventResponse};

use crate::ids::RequestId;
use crate::routing::{RoutingJob, process_request};
use crate::store::dynamo::request_id_of_key;

/// The request id a stream record announces, if it is the insert of a request item.
fn new_request_id(record: &aws_lambda_events::event::dynamodb::EventRecord) -> Option<RequestId> {
    if record.event_name != "INSERT" {
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
        if let Err(e) = process_request(job, &id).await {
            tracing::error!(request_id = %id, error = %e, "routing from stream failed");
            let mut failure = DynamoDbBatchItemFailure::default();
            failure.item_identifier = record.change.sequence_number.clone();
            response.batch_item_failures.push(failure);
            // Report the first failure only: Lambda retries from there, in order.
            break;
        }
    }
    response
}
