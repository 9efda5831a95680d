//! Layers around every response: security headers and the rate limits.

pub mod rate_limit;
pub mod security_headers;

pub use rate_limit::{RateLimiter, RateLimits};
pub use security_headers::{
    CONTENT_SECURITY_POLICY, HEADERS as SECURITY_HEADERS, security_headers,
};
