//! The conversation of a request sent with "I'll check this website myself"
//! ([`crate::Channel::OnWebsite`]): what the person sends to open it and to write back, and
//! what the API answers. Nobody is ever contacted for such a request; the person reads the
//! replies on the website with the reference and the code words of the confirmation.

use serde::{Deserialize, Serialize};

use crate::{Reference, Timestamp};

/// How many code words open a conversation.
pub const CODE_WORD_COUNT: usize = 3;

/// After this long without activity the reply page closes the conversation and forgets it.
pub const CONVERSATION_IDLE_SECONDS: u32 = 10 * 60;

/// `POST /api/conversations/open`: the reference and the code words, as typed (capitals,
/// accents and extra spaces do not matter).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpenConversation {
    /// The reference, e.g. `KJR-7F3K-9QX2`.
    pub reference: String,
    /// The three code words.
    pub code_words: String,
}

/// `POST /api/conversations/messages`: a message from the person, with what opens the
/// conversation (nothing is kept in the browser between the two calls).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChildMessage {
    /// The reference.
    pub reference: String,
    /// The three code words.
    pub code_words: String,
    /// The message, at most [`crate::MAX_MESSAGE_CHARS`] characters.
    pub text: String,
}

crate::wire_enum! {
    /// Who wrote a message of the conversation.
    pub enum MessageAuthor {
        /// The person who asked.
        Asker = "asker",
        /// A Jeugdstem confidant.
        Confidant = "confidant",
    }
}

/// One message of a conversation, as the person sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationMessage {
    /// Who wrote it.
    pub from: MessageAuthor,
    /// The confidant's first name (absent for the person's own messages).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The text.
    pub text: String,
    /// When it was written.
    pub at: Timestamp,
}

/// What opening a conversation, or writing in it, answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conversation {
    /// The request's reference.
    pub reference: Reference,
    /// Every message, oldest first. The request itself (what the person wrote in the form)
    /// is not repeated here.
    pub messages: Vec<ConversationMessage>,
    /// Whether the person can still write (not once the request is closed).
    pub open: bool,
    /// The longest message, in characters.
    pub max_message_chars: u32,
    /// Seconds without activity after which the page closes the conversation.
    pub idle_seconds: u32,
}
