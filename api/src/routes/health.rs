//! `GET /api/health`: liveness. Not counted by the rate limits, so a monitor polling it never
//! locks out the children behind the same address.

use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;

use crate::startup::AppState;

/// The health answer.
#[derive(Serialize)]
pub struct Health {
    /// Always `ok` when the process answers.
    pub status: &'static str,
}

/// Liveness check.
pub async fn health() -> Json<Health> {
    Json(Health { status: "ok" })
}

/// The routes of this resource.
pub fn router() -> Router<AppState> {
    Router::new().route("/health", get(health))
}
