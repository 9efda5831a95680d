//! The API of Ken je rechten: it validates confidant requests, stores them durably, routes them
//! to a Jeugdstem team and tells that team, without personal data, that a request is waiting.
//!
//! Where a request goes: `routes/` (HTTP) → `store/` (SQLite or DynamoDB) → `routing/` (team and
//! queue, run by the outbox worker locally or the stream Lambda in the cloud) → `notify/`.

pub mod auth;
pub mod calendar;
pub mod casework;
pub mod config;
pub mod conversation;
pub mod error;
pub mod extract;
pub mod ids;
pub mod lambda;
pub mod metrics;
pub mod middleware;
pub mod notify;
pub mod routes;
pub mod routing;
pub mod startup;
pub mod store;
pub mod telemetry;
