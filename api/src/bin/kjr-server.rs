//! The local server: API + app + SQLite store + outbox worker on one port.

use kjr_api::config::Config;
use kjr_api::startup::Application;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    kjr_api::telemetry::init(false);
    let config = Config::from_env()?;
    let app = Application::build(config).await?;
    tracing::info!("listening on http://{}", app.local_addr()?);
    app.run().await?;
    Ok(())
}
