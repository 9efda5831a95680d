//! Notifications over SMTP, for self-hosting.

use async_trait::async_trait;
use lettre::message::Mailbox;
use lettre::transport::smtp::AsyncSmtpTransport;
use lettre::{AsyncTransport, Message, Tokio1Executor};

use super::{Notifier, NotifyError, TeamMail};

/// How to talk to the SMTP server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpSecurity {
    /// Plain SMTP: only for a relay on the same host or a trusted network.
    None,
    /// STARTTLS on the submission port.
    StartTls,
}

/// Sends notifications through an SMTP server.
pub struct SmtpNotifier {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl SmtpNotifier {
    /// A notifier using the server at `host:port`, sending from `from`.
    pub fn new(
        host: &str,
        port: u16,
        security: SmtpSecurity,
        from: &str,
    ) -> Result<Self, NotifyError> {
        let from = from
            .parse()
            .map_err(|e| NotifyError::Build(format!("sender address: {e}")))?;
        let transport = match security {
            SmtpSecurity::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host),
            SmtpSecurity::StartTls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host)
                .map_err(|e| NotifyError::Build(e.to_string()))?,
        }
        .port(port)
        .build();
        Ok(Self { transport, from })
    }
}

#[async_trait]
impl Notifier for SmtpNotifier {
    async fn notify(&self, n: &dyn TeamMail) -> Result<(), NotifyError> {
        let to: Mailbox = n
            .to()
            .parse()
            .map_err(|e| NotifyError::Build(format!("team address: {e}")))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(n.subject())
            .body(n.body())
            .map_err(|e| NotifyError::Build(e.to_string()))?;
        self.transport
            .send(message)
            .await
            .map_err(|e| NotifyError::Send(e.to_string()))?;
        Ok(())
    }
}
