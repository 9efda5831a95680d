//! The queue's filters in the address bar: the page's query string is the [`QueueFilter`],
//! so Back, a reload and a shared link show the same queue. Empty parameters are left out.

use kjr_domain::staff::{CaseStatus, Queue, QueueFilter};
use kjr_domain::{AgeBand, AskerKind, TeamId, Topic};

/// Reads a filter from query parameters (`name`, `value`); unknown or empty values are
/// ignored, as the API would refuse them.
pub fn from_query<'a>(params: impl IntoIterator<Item = (&'a str, &'a str)>) -> QueueFilter {
    let mut filter = QueueFilter::default();
    for (name, value) in params {
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        match name {
            "status" => filter.status = CaseStatus::from_wire(value),
            "urgency" => filter.urgency = Queue::from_wire(value),
            "asker" => filter.asker = AskerKind::from_wire(value),
            "age_band" => filter.age_band = AgeBand::from_wire(value),
            "topic" => filter.topic = Topic::from_wire(value),
            "municipality" => filter.municipality = Some(value.to_owned()),
            "overdue" => filter.overdue = (value == "true").then_some(true),
            "team" => filter.team = Some(TeamId(value.to_owned())),
            "cursor" => filter.cursor = Some(value.to_owned()),
            "limit" => filter.limit = value.parse().ok(),
            _ => {}
        }
    }
    filter
}

/// The filter as a query string (`?status=new&overdue=true`), or `""` when it has none.
pub fn to_query(filter: &QueueFilter) -> String {
    let mut pairs: Vec<(&str, String)> = Vec::new();
    let mut add = |name, value: Option<String>| {
        if let Some(value) = value.filter(|v| !v.is_empty()) {
            pairs.push((name, value));
        }
    };
    add("status", filter.status.map(|s| s.as_str().into()));
    add("urgency", filter.urgency.map(|u| u.as_str().into()));
    add("asker", filter.asker.map(|a| a.as_str().into()));
    add("age_band", filter.age_band.map(|a| a.as_str().into()));
    add("topic", filter.topic.map(|t| t.as_str().into()));
    add("municipality", filter.municipality.clone());
    add(
        "overdue",
        filter.overdue.filter(|o| *o).map(|_| "true".into()),
    );
    add("team", filter.team.as_ref().map(|t| t.0.clone()));
    add("cursor", filter.cursor.clone());
    add("limit", filter.limit.map(|l| l.to_string()));
    if pairs.is_empty() {
        return String::new();
    }
    let joined: Vec<String> = pairs
        .iter()
        .map(|(name, value)| format!("{name}={}", encode(value)))
        .collect();
    format!("?{}", joined.join("&"))
}

/// Percent-encodes everything but unreserved characters (RFC 3986).
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_filter_survives_the_address_bar() {
        let filter = QueueFilter {
            status: Some(CaseStatus::InProgress),
            urgency: Some(Queue::Urgent),
            topic: Some(Topic::School),
            municipality: Some("'s-Hertogenbosch & Vught".into()),
            overdue: Some(true),
            team: Some(TeamId("zuid-holland".into())),
            cursor: Some("abc=".into()),
            ..QueueFilter::default()
        };
        let query = to_query(&filter);
        assert_eq!(
            query,
            "?status=in_progress&urgency=urgent&topic=school\
             &municipality=%27s-Hertogenbosch%20%26%20Vught&overdue=true&team=zuid-holland&cursor=abc%3D"
        );
        let decoded = [
            ("status", "in_progress"),
            ("urgency", "urgent"),
            ("topic", "school"),
            ("municipality", "'s-Hertogenbosch & Vught"),
            ("overdue", "true"),
            ("team", "zuid-holland"),
            ("cursor", "abc="),
        ];
        assert_eq!(from_query(decoded), filter);
    }

    #[test]
    fn empty_and_unknown_values_are_left_out() {
        let filter = from_query([
            ("status", ""),
            ("urgency", "urgentish"),
            ("municipality", "  "),
            ("overdue", ""),
            ("colour", "blue"),
        ]);
        assert_eq!(filter, QueueFilter::default());
        assert_eq!(to_query(&filter), "");
        let unchecked = QueueFilter {
            overdue: Some(false),
            ..QueueFilter::default()
        };
        assert_eq!(to_query(&unchecked), "");
    }
}
