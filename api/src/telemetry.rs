//! Logging setup: human-readable locally, JSON in Lambda. Logs never carry personal data.

use tracing_subscriber::EnvFilter;

/// Installs the global subscriber; `json` for CloudWatch.
pub fn init(json: bool) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false);
    // A second init (tests) is harmless; ignore the error.
    let _ = if json {
        builder.json().without_time().try_init()
    } else {
        builder.try_init()
    };
}
