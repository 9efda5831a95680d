//! Routing: which team handles a request, and in which queue.
//!
//! Rules come from a TOML file (`config/routing.toml` is bundled as the default).

pub mod digest;
mod worker;

use std::collections::HashMap;

use kjr_domain::{ConfidantRequest, Municipality, Province};
use serde::Deserialize;

pub use worker::{RoutingError, RoutingJob, process_request, run_outbox, run_pending_jobs};

use crate::ids::{TeamId, Timestamp};
use crate::store::{Queue, RoutingDecision};

/// The bundled default rules.
pub const DEFAULT_RULES: &str = include_str!("../../config/routing.toml");

/// A Jeugdstem team.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Team {
    /// Stable id (`zuid-holland`).
    pub id: TeamId,
    /// Display name.
    pub name: String,
    /// The team's functional mailbox for notifications.
    pub email: String,
}

/// Problems in a rules file.
#[derive(Debug, thiserror::Error)]
pub enum RulesError {
    /// Not valid TOML or not the expected shape.
    #[error("routing rules are not valid: {0}")]
    Parse(String),
    /// A rule refers to something that does not exist, or leaves a gap.
    #[error("routing rules are inconsistent: {0}")]
    Inconsistent(String),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRules {
    default_team: String,
    teams: Vec<RawTeam>,
    #[serde(default)]
    municipalities: HashMap<String, String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTeam {
    id: String,
    name: String,
    email: String,
    #[serde(default)]
    provinces: Vec<String>,
}

/// Validated routing rules: every province maps to exactly one team.
#[derive(Debug, Clone)]
pub struct RoutingRules {
    teams: Vec<Team>,
    by_province: HashMap<Province, usize>,
    by_municipality: HashMap<&'static str, usize>,
    default_team: usize,
}

impl RoutingRules {
    /// Parses and checks rules from TOML text.
    pub fn parse(text: &str) -> Result<Self, RulesError> {
        let raw: RawRules = toml::from_str(text).map_err(|e| RulesError::Parse(e.to_string()))?;
        let bad = |msg: String| Err(RulesError::Inconsistent(msg));
        let mut teams = Vec::new();
        let mut by_province = HashMap::new();
        for (index, t) in raw.teams.iter().enumerate() {
            if teams.iter().any(|x: &Team| x.id.0 == t.id) {
                return bad(format!("team {:?} is listed twice", t.id));
            }
            if !t.email.contains('@') {
                return bad(format!("team {:?} has no valid mailbox", t.id));
            }
            for p in &t.provinces {
                let Some(province) = Province::from_key(p) else {
                    return bad(format!("unknown province {p:?}"));
                };
                if by_province.insert(province, index).is_some() {
                    return bad(format!("province {p:?} is assigned twice"));
                }
            }
            teams.push(Team {
                id: TeamId(t.id.clone()),
                name: t.name.clone(),
                email: t.email.clone(),
            });
        }
        if let Some(p) = Province::ALL.iter().find(|p| !by_province.contains_key(p)) {
            return bad(format!("province {:?} has no team", p.key()));
        }
        let team_index = |id: &str| teams.iter().position(|t| t.id.0 == id);
        let Some(default_team) = team_index(&raw.default_team) else {
            return bad(format!(
                "default team {:?} does not exist",
                raw.default_team
            ));
        };
        let mut by_municipality = HashMap::new();
        for (name, team) in &raw.municipalities {
            let Some(m) = Municipality::find(name) else {
                return bad(format!("unknown municipality {name:?}"));
            };
            let Some(index) = team_index(team) else {
                return bad(format!(
                    "municipality {name:?} points at unknown team {team:?}"
                ));
            };
            by_municipality.insert(m.name(), index);
        }
        Ok(Self {
            teams,
            by_province,
            by_municipality,
            default_team,
        })
    }

    /// The bundled default rules.
    pub fn bundled() -> Self {
        Self::parse(DEFAULT_RULES).unwrap_or_else(|e| panic!("bundled routing rules: {e}"))
    }

    /// Every team.
    pub fn teams(&self) -> &[Team] {
        &self.teams
    }

    /// The team with `id`.
    pub fn team(&self, id: &TeamId) -> Option<&Team> {
        self.teams.iter().find(|t| &t.id == id)
    }

    /// Decides team and queue for a request.
    pub fn route(&self, request: &ConfidantRequest, now: Timestamp) -> RoutingDecision {
        let (index, why) = match request.municipality() {
            Some(m) => match self.by_municipality.get(m.name()) {
                Some(&i) => (i, format!("gemeente {} heeft een eigen regel", m.name())),
                None => (
                    self.by_province[&m.province()],
                    format!(
                        "gemeente {} ligt in provincie {}",
                        m.name(),
                        m.province().key()
                    ),
                ),
            },
            None => (self.default_team, "gemeente onbekend".to_owned()),
        };
        let queue = Queue::for_request(request);
        let team = &self.teams[index];
        RoutingDecision {
            team: team.id.clone(),
            queue,
            // In Dutch: the staff read it in the history and the audit trail.
            reason: format!(
                "{why} → {}; {}",
                team.name,
                if request.is_urgent() {
                    "spoed (de vrager is nu niet veilig)"
                } else {
                    "gewone wachtrij"
                }
            ),
            decided_at: now,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kjr_domain::RequestDraft;

    fn request(municipality: Option<&str>, safe_now: &str) -> ConfidantRequest {
        RequestDraft {
            asker: Some("child".into()),
            age_band: Some("12_17".into()),
            topics: vec!["home".into()],
            has_trusted_person: Some(true),
            channel: Some("sms".into()),
            contact: Some("0612345678".into()),
            contact_times: vec!["evening".into()],
            may_leave_message: Some(true),
            safe_now: Some(safe_now.into()),
            municipality: municipality.map(Into::into),
            ..RequestDraft::default()
        }
        .validate()
        .unwrap()
    }

    #[test]
    fn bundled_rules_cover_every_province() {
        let rules = RoutingRules::bundled();
        assert!(rules.teams().len() >= 2);
    }

    #[test]
    fn request_from_vlaardingen_goes_to_zuid_holland() {
        let d = RoutingRules::bundled().route(&request(Some("Vlaardingen"), "yes"), Timestamp(0));
        assert_eq!(d.team.as_str(), "zuid-holland");
        assert_eq!(d.queue, Queue::Normal);
    }

    #[test]
    fn unsafe_now_request_is_routed_to_the_urgent_queue_of_its_team() {
        let d = RoutingRules::bundled().route(&request(Some("Groningen"), "no"), Timestamp(0));
        assert_eq!(d.team.as_str(), "noord");
        assert_eq!(d.queue, Queue::Urgent);
        assert!(d.reason.contains("nu niet veilig"), "{}", d.reason);
    }

    #[test]
    fn municipality_override_wins_over_province() {
        let d = RoutingRules::bundled().route(&request(Some("Almere"), "yes"), Timestamp(0));
        assert_eq!(d.team.as_str(), "noord-holland");
    }

    #[test]
    fn unknown_municipality_goes_to_the_default_team() {
        let d = RoutingRules::bundled().route(&request(None, "rather_not_say"), Timestamp(0));
        assert_eq!(d.team.as_str(), "landelijk");
    }

    #[test]
    fn rules_with_a_province_gap_are_refused() {
        let text = r#"
            default_team = "a"
            [[teams]]
            id = "a"
            name = "A"
            email = "a@x.nl"
            provinces = ["groningen"]
        "#;
        assert!(matches!(
            RoutingRules::parse(text),
            Err(RulesError::Inconsistent(_))
        ));
    }

    #[test]
    fn rules_with_an_unknown_team_in_an_override_are_refused() {
        let text = DEFAULT_RULES.replace("\"Almere\" = \"noord-holland\"", "\"Almere\" = \"mars\"");
        assert!(RoutingRules::parse(&text).is_err());
    }
}
