use serde::{Deserialize, Serialize};

/// A problem with one field, with a Dutch message that says how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    /// The field's name on the wire (e.g. `contact`).
    pub field: String,
    /// The field's name in Dutch, as the form calls it (e.g. `Hoe we je bereiken`).
    pub label: String,
    /// What is wrong, in Dutch, for the person who filled in the form.
    pub message: String,
}

impl FieldError {
    /// A problem with `field`, explained by `message`.
    pub fn new(field: &str, message: impl Into<String>) -> Self {
        Self {
            field: field.to_owned(),
            label: field_label(field).unwrap_or(field).to_owned(),
            message: message.into(),
        }
    }
}

/// The Dutch name of a request field, for error messages and summaries.
pub fn field_label(field: &str) -> Option<&'static str> {
    Some(match field {
        "asker" => "Wie de vraag stelt",
        "child_knows" => "Of het kind het weet",
        "age_band" => "Leeftijd",
        "topics" => "Waar het over gaat",
        "message" => "Bericht",
        "nickname" => "Naam of bijnaam",
        "has_trusted_person" => "Iemand om te vertrouwen",
        "channel" => "Hoe we contact opnemen",
        "contact" => "Nummer of adres",
        "contact_times" => "Wanneer we mogen bellen of schrijven",
        "may_leave_message" => "Een bericht achterlaten",
        "never_via_foster_parents" => "Nooit via de pleegouders",
        "safe_now" => "Veilig op dit moment",
        "municipality" => "Gemeente",
        "website" => "Laat dit veld leeg",
        _ => return None,
    })
}

/// Every problem found in one draft; never empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidationErrors(pub Vec<FieldError>);

impl ValidationErrors {
    /// The message for `field`, if that field has a problem.
    pub fn for_field(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }
}
