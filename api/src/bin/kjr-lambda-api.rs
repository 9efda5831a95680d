//! The HTTP Lambda: the same `Router` as the local server, behind API Gateway (HTTP API v2).

use kjr_api::config::Config;
use kjr_api::metrics::Metrics;
use kjr_api::startup::{AppState, app};

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    kjr_api::telemetry::init(true);
    let config = Config::from_env()?;
    // The table's stream triggers routing in the cloud: no outbox worker to wake.
    let state = AppState::from_config(&config, None, Metrics::for_environment()).await?;
    lambda_http::run(app(state, None)).await
}
