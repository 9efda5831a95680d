//! HTTP routes, one file per resource.

pub mod health;
pub mod openapi;
pub mod pages;
pub mod requests;
