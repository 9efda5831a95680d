//! The routing Lambda: consumes the table's DynamoDB stream, routes new requests and notifies
//! their team; a schedule also sends it `{"sweep": true}` to finish jobs whose retries ran out.

use kjr_api::config::Config;
use kjr_api::lambda::handle_router_event;
use kjr_api::metrics::Metrics;
use kjr_api::startup::{build_routing_job, build_store};
use lambda_runtime::{LambdaEvent, service_fn};

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    kjr_api::telemetry::init(true);
    let config = Config::from_env()?;
    let store = build_store(&config.store).await?;
    let job = build_routing_job(&config, store, Metrics::for_environment()).await?;
    let job = &job;
    lambda_runtime::run(service_fn(
        move |event: LambdaEvent<serde_json::Value>| async move {
            handle_router_event(job, event.payload).await
        },
    ))
    .await
}
