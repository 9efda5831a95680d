//! Operational counters: requests accepted and routed, failed notifications, and the age of
//! the routing backlog. Counts and seconds only, never an id or anything a person wrote.
//!
//! Locally they are served in Prometheus text format on the operations listener
//! (`KJR_ADMIN_LISTEN`); in Lambda every change is also written to standard output as one
//! CloudWatch Embedded Metric Format line, which CloudWatch turns into the metrics the alarms
//! in `infra/template.yaml` watch.

use std::sync::Arc;

use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::Registry;

use crate::store::OutboxStatus;

/// The CloudWatch namespace of the metrics unless `KJR_METRICS_NAMESPACE` names another
/// (the template gives each stack its own, and its alarms read that).
pub const NAMESPACE: &str = "KenJeRechten";

/// One metric: its CloudWatch name, its Prometheus name and its help text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    /// A new request was stored (a 201, not a replay).
    RequestsAccepted,
    /// A request got its team and queue.
    RequestsRouted,
    /// A team notification could not be sent (the job stays and is retried).
    NotificationsFailed,
    /// Seconds the oldest unfinished routing job has waited (0: none waits).
    RoutingBacklogAge,
    /// How many routing jobs are unfinished.
    RoutingJobsPending,
}

impl Metric {
    /// Its name in CloudWatch.
    pub fn cloudwatch_name(self) -> &'static str {
        match self {
            Metric::RequestsAccepted => "RequestsAccepted",
            Metric::RequestsRouted => "RequestsRouted",
            Metric::NotificationsFailed => "NotificationsFailed",
            Metric::RoutingBacklogAge => "RoutingBacklogAgeSeconds",
            Metric::RoutingJobsPending => "RoutingJobsPending",
        }
    }

    fn unit(self) -> &'static str {
        match self {
            Metric::RoutingBacklogAge => "Seconds",
            _ => "Count",
        }
    }
}

/// The counters of one process.
pub struct Metrics {
    registry: Registry,
    accepted: Counter,
    routed: Counter,
    notifications_failed: Counter,
    backlog_age: Gauge,
    pending: Gauge,
    /// The namespace of Embedded Metric Format lines, when they are written (in Lambda).
    emf: Option<String>,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics")
            .field("emf", &self.emf)
            .finish_non_exhaustive()
    }
}

impl Metrics {
    /// Counters served in Prometheus format only (the local server).
    pub fn local() -> Arc<Self> {
        Arc::new(Self::new(None))
    }

    /// Counters that are also written as Embedded Metric Format lines in `namespace`.
    pub fn cloudwatch(namespace: impl Into<String>) -> Arc<Self> {
        Arc::new(Self::new(Some(namespace.into())))
    }

    /// For the Lambda binaries: EMF (in `KJR_METRICS_NAMESPACE`, default [`NAMESPACE`]) when
    /// running in Lambda, else local.
    pub fn for_environment() -> Arc<Self> {
        if std::env::var_os("AWS_LAMBDA_FUNCTION_NAME").is_none() {
            return Self::local();
        }
        Self::cloudwatch(
            std::env::var("KJR_METRICS_NAMESPACE")
                .ok()
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| NAMESPACE.to_owned()),
        )
    }

    fn new(emf: Option<String>) -> Self {
        let (accepted, routed, notifications_failed) = Default::default();
        let (backlog_age, pending) = Default::default();
        let mut registry = Registry::with_prefix("kjr");
        // prometheus-client adds `_total` to the names of counters.
        let counters: [(&str, &str, &Counter); 3] = [
            (
                "requests_accepted",
                "Requests stored (201 answers, not replays)",
                &accepted,
            ),
            (
                "requests_routed",
                "Requests given a team and a queue",
                &routed,
            ),
            (
                "notifications_failed",
                "Team notifications that could not be sent (they are retried)",
                &notifications_failed,
            ),
        ];
        for (name, help, counter) in counters {
            registry.register(name, help, counter.clone());
        }
        let gauges: [(&str, &str, &Gauge); 2] = [
            (
                "routing_backlog_age_seconds",
                "Seconds the oldest unfinished routing job has waited",
                &backlog_age,
            ),
            ("routing_jobs_pending", "Unfinished routing jobs", &pending),
        ];
        for (name, help, gauge) in gauges {
            registry.register(name, help, gauge.clone());
        }
        Self {
            registry,
            accepted,
            routed,
            notifications_failed,
            backlog_age,
            pending,
            emf,
        }
    }

    /// A request was stored.
    pub fn request_accepted(&self) {
        self.accepted.inc();
        self.emit(&[(Metric::RequestsAccepted, 1)]);
    }

    /// A request was routed.
    pub fn request_routed(&self) {
        self.routed.inc();
        self.emit(&[(Metric::RequestsRouted, 1)]);
    }

    /// A notification failed.
    pub fn notification_failed(&self) {
        self.notifications_failed.inc();
        self.emit(&[(Metric::NotificationsFailed, 1)]);
    }

    /// The routing backlog as the store sees it now.
    pub fn backlog(&self, status: &OutboxStatus, now: kjr_domain::Timestamp) {
        let age = status.backlog_age_seconds(now);
        let pending = i64::try_from(status.pending).unwrap_or(i64::MAX);
        self.backlog_age.set(age);
        self.pending.set(pending);
        self.emit(&[
            (Metric::RoutingBacklogAge, age),
            (Metric::RoutingJobsPending, pending),
        ]);
    }

    /// The counters in Prometheus text format.
    pub fn render(&self) -> String {
        let mut out = String::new();
        // Writing into a String cannot fail.
        let _ = encode(&mut out, &self.registry);
        out
    }

    fn emit(&self, values: &[(Metric, i64)]) {
        if let Some(namespace) = &self.emf {
            let line = emf_line(namespace, values, jiff::Timestamp::now().as_millisecond());
            println!("{line}");
        }
    }
}

/// One Embedded Metric Format record: the values, and the `_aws` metadata that declares
/// them as metrics of `namespace` without dimensions.
pub fn emf_line(namespace: &str, values: &[(Metric, i64)], at_millis: i64) -> String {
    let mut record = serde_json::Map::new();
    let declared: Vec<serde_json::Value> = values
        .iter()
        .map(|(m, _)| serde_json::json!({ "Name": m.cloudwatch_name(), "Unit": m.unit() }))
        .collect();
    record.insert(
        "_aws".into(),
        serde_json::json!({
            "Timestamp": at_millis,
            "CloudWatchMetrics": [{
                "Namespace": namespace,
                "Dimensions": [[]],
                "Metrics": declared,
            }],
        }),
    );
    for (m, v) in values {
        record.insert(m.cloudwatch_name().into(), (*v).into());
    }
    serde_json::Value::Object(record).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use kjr_domain::Timestamp;

    #[test]
    fn prometheus_text_names_every_counter() {
        let m = Metrics::local();
        m.request_accepted();
        m.request_accepted();
        m.notification_failed();
        m.backlog(
            &OutboxStatus {
                pending: 3,
                oldest_pending_since: Some(Timestamp(100)),
                last_notified_at: None,
            },
            Timestamp(160),
        );
        let text = m.render();
        for line in [
            "# TYPE kjr_requests_accepted counter",
            "kjr_requests_accepted_total 2",
            "kjr_requests_routed_total 0",
            "kjr_notifications_failed_total 1",
            "kjr_routing_backlog_age_seconds 60",
            "kjr_routing_jobs_pending 3",
            "# EOF",
        ] {
            assert!(text.lines().any(|l| l == line), "{line} missing in\n{text}");
        }
    }

    #[test]
    fn an_emf_line_declares_its_metrics() {
        let line = emf_line(
            "KenJeRechten/test",
            &[(Metric::RoutingBacklogAge, 42)],
            1_700_000_000_000,
        );
        let v: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(v["RoutingBacklogAgeSeconds"], 42);
        let declared = &v["_aws"]["CloudWatchMetrics"][0];
        assert_eq!(declared["Namespace"], "KenJeRechten/test");
        assert_eq!(declared["Metrics"][0]["Name"], "RoutingBacklogAgeSeconds");
        assert_eq!(declared["Metrics"][0]["Unit"], "Seconds");
        assert_eq!(v["_aws"]["Timestamp"], 1_700_000_000_000_i64);
    }
}
