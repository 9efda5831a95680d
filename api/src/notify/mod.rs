//! Notifications to a team that a request is waiting.
//!
//! A notification carries the reference, the team, the urgency and a link to the staff page —
//! never the child's words, name or contact details: mail travels through systems we do not
//! control.

mod ses;
mod smtp;

use async_trait::async_trait;
use kjr_domain::Reference;

pub use ses::SesNotifier;
pub use smtp::{SmtpNotifier, SmtpSecurity};

/// Parses `KJR_SMTP_SECURITY`.
pub fn smtp_security_from(raw: &str) -> Option<SmtpSecurity> {
    match raw {
        "none" => Some(SmtpSecurity::None),
        "starttls" => Some(SmtpSecurity::StartTls),
        _ => None,
    }
}

use crate::ids::RequestId;
use crate::routing::Team;
use crate::store::Queue;

/// What a team is told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamNotification {
    /// The request's reference.
    pub reference: Reference,
    /// The team's display name.
    pub team_name: String,
    /// The team's mailbox.
    pub to: String,
    /// Urgent or normal.
    pub queue: Queue,
    /// Link to the request on the staff side.
    pub staff_url: String,
}

impl TeamNotification {
    /// The notification for `team` about request `id`.
    pub fn new(
        reference: &Reference,
        id: &RequestId,
        team: &Team,
        queue: Queue,
        staff_base_url: &str,
    ) -> Self {
        Self {
            reference: reference.clone(),
            team_name: team.name.clone(),
            to: team.email.clone(),
            queue,
            staff_url: format!(
                "{}/staff/requests/{id}",
                staff_base_url.trim_end_matches('/')
            ),
        }
    }

    /// The subject line.
    pub fn subject(&self) -> String {
        match self.queue {
            Queue::Urgent => format!("SPOED: nieuwe hulpvraag {}", self.reference),
            Queue::Normal => format!("Nieuwe hulpvraag {}", self.reference),
        }
    }

    /// The plain-text body.
    pub fn body(&self) -> String {
        let urgency = match self.queue {
            Queue::Urgent => {
                "SPOED: de vrager gaf aan nu niet veilig te zijn. Pak deze vraag als eerste op."
            }
            Queue::Normal => "Normaal.",
        };
        format!(
            "Er staat een nieuwe hulpvraag klaar voor {team}.\n\n\
             Referentie: {reference}\n\
             Urgentie: {urgency}\n\n\
             Bekijk de vraag (inloggen vereist):\n{url}\n\n\
             Deze e-mail bevat bewust geen persoonsgegevens.\n",
            team = self.team_name,
            reference = self.reference,
            url = self.staff_url,
        )
    }
}

/// Notification failures.
#[derive(Debug, thiserror::Error)]
pub enum NotifyError {
    /// The message could not be built.
    #[error("could not build the notification: {0}")]
    Build(String),
    /// The mail service refused or could not be reached.
    #[error("could not send the notification: {0}")]
    Send(String),
}

/// Sends team notifications.
#[async_trait]
pub trait Notifier: Send + Sync + 'static {
    /// Sends one notification.
    async fn notify(&self, notification: &TeamNotification) -> Result<(), NotifyError>;
}

/// For local development without a mail server: logs that a notification would go out.
pub struct LogNotifier;

#[async_trait]
impl Notifier for LogNotifier {
    async fn notify(&self, n: &TeamNotification) -> Result<(), NotifyError> {
        tracing::info!(reference = %n.reference, team = %n.team_name, queue = n.queue.as_str(), "notification (log only)");
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::TeamId;

    #[test]
    fn notification_names_reference_team_urgency_and_link_only() {
        let team = Team {
            id: TeamId("noord".into()),
            name: "Team Noord".into(),
            email: "noord@x.nl".into(),
        };
        let id = RequestId::parse(&"a".repeat(32)).unwrap();
        let reference = Reference::parse("KJR-7F3K-9QX2").unwrap();
        let n = TeamNotification::new(
            &reference,
            &id,
            &team,
            Queue::Urgent,
            "https://kjr.example/",
        );
        assert_eq!(n.subject(), "SPOED: nieuwe hulpvraag KJR-7F3K-9QX2");
        assert!(n.body().contains("https://kjr.example/staff/requests/aaaa"));
        assert!(n.body().contains("Team Noord"));
    }
}
