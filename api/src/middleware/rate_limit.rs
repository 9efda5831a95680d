//! Rate limits on the API: per client (by IP address) and for everyone together, as token
//! buckets in memory. Locally they protect the one server; in Lambda each instance keeps its
//! own buckets, and API Gateway's stage throttling is the overall limit in front of them.
//!
//! Hand-written rather than `governor` or `tower_governor`: a request takes from both buckets
//! or from neither, so a child refused while everyone is busy keeps her own share and goes on
//! being told "busy" (with 112), not "you sent too many". `governor`'s limiters can only take
//! and never give back or look without taking, one after the other; `tower_governor`'s layer
//! also rounds the wait down to whole seconds (a `Retry-After` too short, or 0).

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use secrecy::{ExposeSecret, SecretString};

use crate::error::{ApiError, RateLimitScope};

/// How many API requests are allowed per minute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimits {
    /// From one client (IP address). Also the burst one client may send at once.
    pub per_client_per_minute: u32,
    /// From everyone together. Also the overall burst.
    pub total_per_minute: u32,
}

impl Default for RateLimits {
    fn default() -> Self {
        Self {
            per_client_per_minute: 20,
            total_per_minute: 3000,
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    updated: Instant,
}

impl Bucket {
    fn full(capacity: u32, now: Instant) -> Self {
        Self {
            tokens: f64::from(capacity),
            updated: now,
        }
    }

    /// Refills for the time passed; the wait until one token is there, if none is.
    fn refill(&mut self, per_minute: u32, now: Instant) -> Option<Duration> {
        let rate = f64::from(per_minute) / 60.0;
        let elapsed = now.saturating_duration_since(self.updated).as_secs_f64();
        self.tokens = (self.tokens + elapsed * rate).min(f64::from(per_minute));
        self.updated = now;
        (self.tokens < 1.0).then(|| Duration::from_secs_f64((1.0 - self.tokens) / rate))
    }
}

/// Past this many clients, buckets that have filled up again are forgotten.
const MAX_TRACKED_CLIENTS: usize = 10_000;

/// The buckets of one server (or Lambda instance).
#[derive(Debug)]
pub struct RateLimiter {
    limits: RateLimits,
    state: Mutex<(Bucket, HashMap<Option<IpAddr>, Bucket>)>,
    /// The secret CloudFront sends in [`ORIGIN_SECRET_HEADER`]: only with it is its
    /// `CloudFront-Viewer-Address` (the child's address) believed.
    origin_secret: Option<SecretString>,
}

/// The header in which CloudFront proves a request came through it (see the template).
pub const ORIGIN_SECRET_HEADER: &str = "x-kjr-origin-secret";

impl RateLimiter {
    /// Full buckets for `limits` (each at least 1 per minute).
    pub fn new(limits: RateLimits) -> Self {
        Self::behind_cloudfront(limits, None)
    }

    /// As [`RateLimiter::new`]; requests carrying `origin_secret` came through our
    /// CloudFront distribution, and their client is its `CloudFront-Viewer-Address`.
    pub fn behind_cloudfront(limits: RateLimits, origin_secret: Option<SecretString>) -> Self {
        let limits = RateLimits {
            per_client_per_minute: limits.per_client_per_minute.max(1),
            total_per_minute: limits.total_per_minute.max(1),
        };
        Self {
            state: Mutex::new((
                Bucket::full(limits.total_per_minute, Instant::now()),
                HashMap::new(),
            )),
            limits,
            origin_secret: origin_secret.filter(|s| !s.expose_secret().is_empty()),
        }
    }

    /// Takes one request from `client`'s bucket and the overall one, or says which limit is
    /// reached and how long to wait. A refused request costs nothing.
    pub fn check(&self, client: Option<IpAddr>, now: Instant) -> Result<(), ApiError> {
        let RateLimits {
            per_client_per_minute: per_client,
            total_per_minute: total,
        } = self.limits;
        let mut guard = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let (overall, clients) = &mut *guard;
        if clients.len() >= MAX_TRACKED_CLIENTS {
            clients.retain(|_, b| {
                b.refill(per_client, now);
                b.tokens < f64::from(per_client)
            });
        }
        let mine = clients
            .entry(client)
            .or_insert_with(|| Bucket::full(per_client, now));
        if let Some(wait) = mine.refill(per_client, now) {
            return Err(ApiError::RateLimited {
                scope: RateLimitScope::Client,
                retry_after: wait,
            });
        }
        if let Some(wait) = overall.refill(total, now) {
            return Err(ApiError::RateLimited {
                scope: RateLimitScope::Everyone,
                retry_after: wait,
            });
        }
        mine.tokens -= 1.0;
        overall.tokens -= 1.0;
        Ok(())
    }
}

/// The address in `CloudFront-Viewer-Address` (`IP:port`, IPv6 without brackets).
fn viewer_address(value: &str) -> Option<IpAddr> {
    let (ip, port) = value.rsplit_once(':')?;
    port.parse::<u16>().ok()?;
    ip.trim_matches(['[', ']']).parse().ok()
}

/// One IPv6 client usually has a whole /64: it counts as one client.
fn client_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) if v6.to_ipv4_mapped().is_none() => {
            let s = v6.segments();
            IpAddr::from([s[0], s[1], s[2], s[3], 0, 0, 0, 0])
        }
        IpAddr::V6(v6) => IpAddr::V4(
            v6.to_ipv4_mapped()
                .unwrap_or(std::net::Ipv4Addr::UNSPECIFIED),
        ),
        v4 => v4,
    }
}

impl RateLimiter {
    /// The client's address: the child's as CloudFront saw it (only with the origin secret),
    /// else the TCP peer locally or API Gateway's `sourceIp` in Lambda. Other headers, such
    /// as `X-Forwarded-For`, are not trusted: anyone can send them.
    pub fn client_ip(
        &self,
        headers: &axum::http::HeaderMap,
        extensions: &axum::http::Extensions,
    ) -> Option<IpAddr> {
        let through_cloudfront = self.origin_secret.as_ref().is_some_and(|secret| {
            headers
                .get(ORIGIN_SECRET_HEADER)
                .is_some_and(|v| v.as_bytes() == secret.expose_secret().as_bytes())
        });
        if through_cloudfront
            && let Some(ip) = headers
                .get("cloudfront-viewer-address")
                .and_then(|v| v.to_str().ok())
                .and_then(viewer_address)
        {
            return Some(client_key(ip));
        }
        if let Some(ConnectInfo(addr)) = extensions.get::<ConnectInfo<SocketAddr>>() {
            return Some(client_key(addr.ip()));
        }
        match extensions.get::<lambda_http::request::RequestContext>() {
            Some(lambda_http::request::RequestContext::ApiGatewayV2(ctx)) => ctx
                .http
                .source_ip
                .as_deref()
                .and_then(|ip| ip.parse().ok())
                .map(client_key),
            _ => None,
        }
    }
}

/// Middleware: refuses a request over the limits with 429 and `Retry-After`.
pub async fn limit(
    State(limiter): State<Arc<RateLimiter>>,
    request: Request,
    next: Next,
) -> Response {
    match limiter.check(
        limiter.client_ip(request.headers(), request.extensions()),
        Instant::now(),
    ) {
        Ok(()) => next.run(request).await,
        Err(e) => {
            tracing::warn!(error = %e, "rate limit reached");
            e.into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(last: u8) -> Option<IpAddr> {
        Some(IpAddr::from([127, 0, 0, last]))
    }

    /// Which limit refused the request, if one did.
    fn refused_for(checked: Result<(), ApiError>) -> Option<RateLimitScope> {
        match checked {
            Err(ApiError::RateLimited { scope, .. }) => Some(scope),
            _ => None,
        }
    }

    #[test]
    fn one_client_gets_its_share_then_waits() {
        let limiter = RateLimiter::new(RateLimits {
            per_client_per_minute: 3,
            total_per_minute: 100,
        });
        let t = Instant::now();
        for _ in 0..3 {
            assert!(limiter.check(ip(1), t).is_ok());
        }
        match limiter.check(ip(1), t) {
            Err(ApiError::RateLimited {
                scope: RateLimitScope::Client,
                retry_after,
            }) => assert_eq!(retry_after.as_secs(), 20),
            other => panic!("{other:?}"),
        }
        // Another client is not affected; the first may send again after 20 s.
        assert!(limiter.check(ip(2), t).is_ok());
        assert!(limiter.check(ip(1), t + Duration::from_secs(20)).is_ok());
    }

    #[test]
    fn cloudfront_viewer_address_counts_only_with_the_origin_secret() {
        let limiter = RateLimiter::behind_cloudfront(
            RateLimits::default(),
            Some(SecretString::from("s3cret")),
        );
        let request = |secret: &str, viewer: &str| {
            Request::builder()
                .header(ORIGIN_SECRET_HEADER, secret)
                .header("cloudfront-viewer-address", viewer)
                .body(axum::body::Body::empty())
                .unwrap()
        };
        assert_eq!(
            limiter.client_ip(
                request("s3cret", "203.0.113.7:51234").headers(),
                request("s3cret", "203.0.113.7:51234").extensions()
            ),
            Some(IpAddr::from([203, 0, 113, 7]))
        );
        assert_eq!(
            limiter.client_ip(
                request("s3cret", "2001:db8:1:2:3:4:5:6:443").headers(),
                request("s3cret", "2001:db8:1:2:3:4:5:6:443").extensions()
            ),
            Some(IpAddr::from([0x2001, 0xdb8, 1, 2, 0, 0, 0, 0])),
            "IPv6 counts per /64"
        );
        // Without the secret anyone could pick an address per request.
        assert_eq!(
            limiter.client_ip(
                request("guess", "203.0.113.7:1").headers(),
                request("guess", "203.0.113.7:1").extensions()
            ),
            None
        );
        assert_eq!(
            RateLimiter::new(RateLimits::default()).client_ip(
                request("s3cret", "203.0.113.7:1").headers(),
                request("s3cret", "203.0.113.7:1").extensions()
            ),
            None
        );
    }

    #[test]
    fn everyone_together_is_limited_too() {
        let limiter = RateLimiter::new(RateLimits {
            per_client_per_minute: 100,
            total_per_minute: 2,
        });
        let t = Instant::now();
        assert!(limiter.check(ip(1), t).is_ok());
        assert!(limiter.check(ip(2), t).is_ok());
        assert_eq!(
            refused_for(limiter.check(ip(3), t)),
            Some(RateLimitScope::Everyone)
        );
    }

    #[test]
    fn a_request_refused_because_everyone_is_busy_leaves_the_clients_share() {
        let limiter = RateLimiter::new(RateLimits {
            per_client_per_minute: 3,
            total_per_minute: 3,
        });
        let t = Instant::now();
        for _ in 0..3 {
            assert!(limiter.check(ip(1), t).is_ok());
        }
        // More tries than client 2's share: each is told "busy", never "too many from you".
        for _ in 0..4 {
            assert_eq!(
                refused_for(limiter.check(ip(2), t)),
                Some(RateLimitScope::Everyone)
            );
        }
        // And gets through as soon as everyone's bucket has room again.
        assert!(limiter.check(ip(2), t + Duration::from_secs(20)).is_ok());
    }

    #[test]
    fn forgotten_clients_are_the_ones_with_full_buckets() {
        let limiter = RateLimiter::new(RateLimits {
            per_client_per_minute: 1,
            total_per_minute: u32::MAX,
        });
        let t = Instant::now();
        for i in 0..MAX_TRACKED_CLIENTS {
            let addr = IpAddr::from([10, (i >> 16) as u8, (i >> 8) as u8, i as u8]);
            assert!(limiter.check(Some(addr), t).is_ok());
        }
        // A minute later every bucket is full again and the map is cleared on the next call.
        assert!(limiter.check(ip(1), t + Duration::from_secs(60)).is_ok());
        assert!(limiter.state.lock().unwrap().1.len() < 10);
    }
}
