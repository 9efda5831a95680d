//! Notifications through Amazon SES (v2), in the cloud.

use async_trait::async_trait;
use aws_sdk_sesv2::Client;
use aws_sdk_sesv2::types::{Body, Content, Destination, EmailContent, Message};

use super::{Notifier, NotifyError, TeamMail};

/// Sends notifications with SES.
pub struct SesNotifier {
    client: Client,
    from: String,
    configuration_set: Option<String>,
}

impl SesNotifier {
    /// A notifier sending from the verified identity `from`.
    pub fn new(client: Client, from: impl Into<String>, configuration_set: Option<String>) -> Self {
        Self {
            client,
            from: from.into(),
            configuration_set,
        }
    }
}

fn content(text: String) -> Result<Content, NotifyError> {
    Content::builder()
        .data(text)
        .charset("UTF-8")
        .build()
        .map_err(|e| NotifyError::Build(e.to_string()))
}

#[async_trait]
impl Notifier for SesNotifier {
    async fn notify(&self, n: &dyn TeamMail) -> Result<(), NotifyError> {
        let message = Message::builder()
            .subject(content(n.subject())?)
            .body(Body::builder().text(content(n.body())?).build())
            .build();
        self.client
            .send_email()
            .from_email_address(&self.from)
            .destination(Destination::builder().to_addresses(n.to()).build())
            .content(EmailContent::builder().simple(message).build())
            .set_configuration_set_name(self.configuration_set.clone())
            .send()
            .await
            .map_err(|e| NotifyError::Send(e.into_service_error().to_string()))?;
        Ok(())
    }
}
