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

/// A mail to a team's mailbox: never personal data.
pub trait TeamMail: Send + Sync {
    /// The team's mailbox.
    fn to(&self) -> &str;
    /// The subject line.
    fn subject(&self) -> String;
    /// The plain-text body.
    fn body(&self) -> String;
}

impl TeamMail for TeamNotification {
    fn to(&self) -> &str {
        &self.to
    }
    fn subject(&self) -> String {
        TeamNotification::subject(self)
    }
    fn body(&self) -> String {
        TeamNotification::body(self)
    }
}

/// The daily digest of a team: how many requests are open per status, and which are
/// overdue (by reference and deadline only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamDigest {
    /// The team's display name.
    pub team_name: String,
    /// The team's mailbox.
    pub to: String,
    /// The day it is for, in words ("dinsdag 1 december").
    pub day: String,
    /// Open requests per status.
    pub counts: Vec<kjr_domain::staff::StatusCount>,
    /// Overdue requests: reference and deadline (Dutch time, in words).
    pub overdue: Vec<(Reference, String)>,
    /// The staff workspace.
    pub staff_url: String,
}

impl TeamMail for TeamDigest {
    fn to(&self) -> &str {
        &self.to
    }
    fn subject(&self) -> String {
        let open: u32 = self.counts.iter().map(|c| c.count).sum();
        match self.overdue.len() {
            0 => format!("Dagoverzicht {}: {open} open", self.team_name),
            n => format!("Dagoverzicht {}: {open} open, {n} te laat", self.team_name),
        }
    }
    fn body(&self) -> String {
        let mut body = format!("Dagoverzicht van {} voor {}.\n\n", self.team_name, self.day);
        if self.counts.is_empty() {
            body.push_str("Er staan geen open vragen.\n");
        } else {
            body.push_str("Open vragen per status:\n");
            for c in &self.counts {
                body.push_str(&format!("- {}: {}\n", c.status.label(), c.count));
            }
        }
        if !self.overdue.is_empty() {
            body.push_str("\nTe laat (nog geen eerste contact voor de deadline):\n");
            for (reference, due) in &self.overdue {
                body.push_str(&format!("- {reference}: deadline {due}\n"));
            }
        }
        body.push_str(&format!(
            "\nOpen de werkplek (inloggen vereist):\n{}\n\nDeze e-mail bevat bewust geen persoonsgegevens.\n",
            self.staff_url
        ));
        body
    }
}

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
    /// The person wrote back on the website (a new message, not a new request).
    pub new_message: bool,
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
            new_message: false,
        }
    }

    /// The notification that the person wrote back (without the message).
    pub fn of_new_message(mut self) -> Self {
        self.new_message = true;
        self
    }

    /// The subject line.
    pub fn subject(&self) -> String {
        if self.new_message {
            return format!("Nieuw bericht bij hulpvraag {}", self.reference);
        }
        match self.queue {
            Queue::Urgent => format!("SPOED: nieuwe hulpvraag {}", self.reference),
            Queue::Normal => format!("Nieuwe hulpvraag {}", self.reference),
        }
    }

    /// The plain-text body.
    pub fn body(&self) -> String {
        if self.new_message {
            return format!(
                "De vrager van {reference} ({team}) heeft op de website teruggeschreven.\n\n\
                 Het bericht staat bovenaan de wachtrij. Lees het en antwoord op de pagina van de vraag (inloggen vereist):\n{url}\n\n\
                 Deze e-mail bevat bewust geen persoonsgegevens en niet het bericht zelf.\n",
                team = self.team_name,
                reference = self.reference,
                url = self.staff_url,
            );
        }
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
    /// Sends one mail to a team.
    async fn notify(&self, mail: &dyn TeamMail) -> Result<(), NotifyError>;
}

/// For local development without a mail server: logs that a notification would go out.
pub struct LogNotifier;

#[async_trait]
impl Notifier for LogNotifier {
    async fn notify(&self, mail: &dyn TeamMail) -> Result<(), NotifyError> {
        tracing::info!(subject = %mail.subject(), "notification (log only)");
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
        let message = n.of_new_message();
        assert_eq!(
            message.subject(),
            "Nieuw bericht bij hulpvraag KJR-7F3K-9QX2"
        );
        assert!(
            message
                .body()
                .contains("https://kjr.example/staff/requests/aaaa")
        );
    }
}
