//! The HTTP Lambda: the same `Router` as the local server, behind API Gateway (HTTP API v2).

use std::sync::Arc;

use kjr_api::config::Config;
use kjr_api::middleware::RateLimiter;
use kjr_api::startup::{AppState, Settings, build_store, router};

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    kjr_api::telemetry::init(true);
    let config = Config::from_env()?;
    let state = AppState {
        store: build_store(&config.store).await?,
        settings: Arc::new(Settings::from(&config)),
        // The table's stream triggers routing in the cloud.
        wake_outbox: None,
        // Per instance; API Gateway's throttling is the overall limit in front of it.
        limiter: Arc::new(RateLimiter::behind_cloudfront(
            config.rate_limits,
            config.origin_secret.clone().map(|s| s.0),
        )),
    };
    lambda_http::run(router(state)).await
}
