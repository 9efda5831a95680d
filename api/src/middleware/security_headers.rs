//! The security headers every response carries, from the local server and the Lambda alike.
//! CloudFront sends the same set (`SecurityHeadersPolicy` in `infra/template.yaml`); a test
//! checks that the two Content-Security-Policies are the same text.

use axum::http::header::{self, HeaderName, HeaderValue};
use axum::response::Response;

/// Only our own files; wasm may be compiled; no inline script or style; never in a frame.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self'; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Two years, subdomains too.
pub const STRICT_TRANSPORT_SECURITY: &str = "max-age=63072000; includeSubDomains";

/// No powerful feature is ever needed.
pub const PERMISSIONS_POLICY: &str = "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()";

/// The headers, by name.
pub const HEADERS: &[(&str, &str)] = &[
    ("content-security-policy", CONTENT_SECURITY_POLICY),
    ("strict-transport-security", STRICT_TRANSPORT_SECURITY),
    ("referrer-policy", "no-referrer"),
    ("x-content-type-options", "nosniff"),
    ("x-frame-options", "DENY"),
    ("permissions-policy", PERMISSIONS_POLICY),
    ("cross-origin-opener-policy", "same-origin"),
];

/// Adds the security headers, and `Cache-Control: no-store` to pages, API answers and the
/// search index's chunks: a shared phone's browser cache must not keep a copy of what a child
/// saw, searched or sent.
pub async fn security_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    for (name, value) in HEADERS {
        headers.insert(
            HeaderName::from_static(name),
            HeaderValue::from_static(value),
        );
    }
    let private = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| {
            t.starts_with("text/html")
                || t.starts_with("application/json")
                // The search index's chunks (Pagefind's .pf_* files): they hold the pages' text
                // for the words someone searched.
                || t.starts_with("application/octet-stream")
        });
    if private {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}
