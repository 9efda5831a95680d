//! HTTP routes, one file per resource, each with its own `router()`, merged here.
//!
//! A new resource is a file with a `router()` added below; the staff area is the folder
//! `staff/`, every route of it behind its auth extractors.

pub mod conversations;
pub mod health;
pub mod openapi;
pub mod pages;
pub mod requests;
pub mod staff;

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;

use crate::error::{ApiError, MAX_BODY_BYTES};
use crate::middleware::rate_limit;
use crate::startup::AppState;

async fn not_found() -> ApiError {
    ApiError::NotFound
}

async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}

/// A resource's routes, answering other methods with the API's own 405.
fn resource(routes: Router<AppState>) -> Router<AppState> {
    routes.method_not_allowed_fallback(method_not_allowed)
}

/// Everything under `/api`. Only the routes that take what people send are counted by the
/// rate limits: a monitor polling the health check or a tool reading the contract must not
/// lock out the children behind the same address.
pub fn router(state: AppState) -> Router {
    let limiter = Arc::clone(&state.limiter);
    let limited = resource(requests::router().merge(conversations::router())).layer(
        axum::middleware::from_fn_with_state(limiter, rate_limit::limit),
    );
    Router::new()
        .merge(resource(health::router()))
        .merge(resource(openapi::router()))
        .merge(resource(staff::router()))
        .merge(limited)
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(state)
}
