//! `GET /api/openapi.json`: the API's contract, built from the domain's own vocabulary (its
//! fields, closed sets, limits and municipality list), so it cannot drift from what the API
//! accepts.
//!
//! Built as JSON rather than derived: what a request may contain depends on who asks and how
//! they want to be contacted, which the draft's Rust type (all fields optional, as typed)
//! does not say. Each combination is one closed object in a `oneOf`.

use std::sync::LazyLock;

use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use kjr_domain::{
    AgeBand, ApiProblem, AskerKind, Channel, ChildKnows, ContactTime, Feeling, Field, Lang,
    MAX_MESSAGE_CHARS, MAX_NICKNAME_CHARS, MAX_VIA_PERSON_CHARS, MessageAuthor, Problem, SafeNow,
    Topic, municipality_names,
};
use serde_json::{Map, Value, json};

use crate::error::MAX_BODY_BYTES;
use crate::extract::IDEMPOTENCY_KEY;
use crate::startup::AppState;

/// The routes of this resource.
pub fn router() -> Router<AppState> {
    Router::new().route("/openapi.json", get(openapi))
}

/// Serves the document.
pub async fn openapi() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        Json(&*DOCUMENT),
    )
}

/// The document, built once.
pub static DOCUMENT: LazyLock<Value> = LazyLock::new(document);

fn names<T: Copy>(all: &[T], wire: fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|v| wire(*v)).collect()
}

/// Text without control characters; line breaks and tabs allowed where `multi_line`.
fn text_pattern(multi_line: bool) -> &'static str {
    if multi_line {
        "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$"
    } else {
        "^[^\\u0000-\\u001F\\u007F-\\u009F]*$"
    }
}

fn nullable(mut schema: Value) -> Value {
    schema["nullable"] = json!(true);
    schema
}

/// How the person may be contacted, grouped by what the address must be.
#[derive(Clone, Copy)]
enum ContactGroup {
    Mobile,
    Email,
    ViaPerson,
    /// "I'll check this website myself": no address, no contact times.
    OnWebsite,
}

impl ContactGroup {
    const ALL: [ContactGroup; 4] = [
        ContactGroup::Mobile,
        ContactGroup::Email,
        ContactGroup::ViaPerson,
        ContactGroup::OnWebsite,
    ];

    fn channels(self) -> Vec<&'static str> {
        Channel::ALL
            .iter()
            .copied()
            .filter(|c| match self {
                ContactGroup::Mobile => c.has_phone_number(),
                ContactGroup::Email => *c == Channel::Email,
                ContactGroup::ViaPerson => *c == Channel::ViaPerson,
                ContactGroup::OnWebsite => *c == Channel::OnWebsite,
            })
            .map(Channel::as_str)
            .collect()
    }

    fn contact(self) -> Value {
        match self {
            ContactGroup::Mobile => json!({
                "type": "string",
                "description": "A Dutch mobile number: 06 and 8 digits, also written +31 6…, 0031 6…, with spaces or dashes",
                "pattern": "^(\\+31|0031|0)6[ -]?[0-689]([ -]?[0-9]){7}$",
                "example": "06 12345678"
            }),
            ContactGroup::Email => json!({
                "type": "string",
                "format": "email",
                "maxLength": 254,
                "pattern": "^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]{1,20}(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]{1,20}){0,2}@([A-Za-z0-9]([A-Za-z0-9-]{0,30}[A-Za-z0-9])?\\.){1,3}[A-Za-z0-9][A-Za-z0-9-]{0,29}[A-Za-z0-9]$",
                "example": "naam@voorbeeld.nl"
            }),
            ContactGroup::ViaPerson => json!({
                "type": "string",
                "description": "Who to ask to reach the child, and how to reach that person",
                "maxLength": MAX_VIA_PERSON_CHARS,
                "pattern": "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*[^\\s\\u0000-\\u001F\\u007F-\\u009F][^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$",
                "example": "Juf Anna, via school"
            }),
            ContactGroup::OnWebsite => nullable(json!({
                "type": "string",
                "description": "No address is asked: the person reads the replies on the website with the reference and the code words",
                "pattern": "^\\s*$"
            })),
        }
    }
}

/// One combination of who asks and how to make contact, as a closed object.
fn request_variant(asker: AskerKind, group: ContactGroup) -> Value {
    let choice = |values: Vec<&'static str>| json!({"type": "string", "enum": values});
    let choices = |values: Vec<&'static str>| json!({"type": "array", "minItems": 1, "items": {"type": "string", "enum": values}});
    let ignored = || nullable(json!({"type": "string", "description": "Ignored for this asker"}));
    let mut required = vec![
        Field::Asker,
        Field::Topics,
        Field::Channel,
        Field::Contact,
        Field::ContactTimes,
        Field::SafeNow,
    ];
    let mut props = Map::new();
    let mut put = |field: Field, schema: Value| {
        props.insert(field.as_str().to_owned(), schema);
    };
    put(Field::Asker, choice(vec![asker.as_str()]));
    match asker {
        AskerKind::OnBehalf => {
            put(
                Field::ChildKnows,
                choice(names(ChildKnows::ALL, ChildKnows::as_str)),
            );
            required.push(Field::ChildKnows);
        }
        _ => put(Field::ChildKnows, ignored()),
    }
    match asker {
        AskerKind::FosterParent => put(
            Field::AgeBand,
            nullable(json!({
                "type": "string",
                "enum": [AgeBand::Adult.as_str()],
                "description": "A foster parent asking for themself is 18 or older; left out means the same"
            })),
        ),
        _ => {
            put(Field::AgeBand, choice(names(AgeBand::ALL, AgeBand::as_str)));
            required.push(Field::AgeBand);
        }
    }
    put(Field::SafeNow, choice(names(SafeNow::ALL, SafeNow::as_str)));
    put(Field::Topics, choices(names(Topic::ALL, Topic::as_str)));
    put(
        Field::Message,
        nullable(json!({
            "type": "string",
            "description": "The child's own words; characters counted as typed, then trimmed",
            "maxLength": MAX_MESSAGE_CHARS,
            "pattern": text_pattern(true)
        })),
    );
    put(
        Field::HasTrustedPerson,
        nullable(
            json!({"type": "boolean", "description": "Left out when not asked (the picture route)"}),
        ),
    );
    put(
        Field::Feeling,
        nullable(
            json!({"type": "string", "enum": names(Feeling::ALL, Feeling::as_str), "description": "How the child feels; asked by the picture route for children under 12"}),
        ),
    );
    put(
        Field::Nickname,
        nullable(json!({
            "type": "string",
            "description": "A first name or nickname, one line",
            "maxLength": MAX_NICKNAME_CHARS,
            "pattern": text_pattern(false)
        })),
    );
    put(Field::Channel, choice(group.channels()));
    put(Field::Contact, group.contact());
    match group {
        ContactGroup::OnWebsite => {
            // Nobody calls: no address and no safe times are asked.
            required.retain(|f| !matches!(f, Field::Contact | Field::ContactTimes));
            put(
                Field::ContactTimes,
                json!({"type": "array", "items": {"type": "string", "enum": names(ContactTime::ALL, ContactTime::as_str)}, "description": "Not asked for this channel"}),
            );
        }
        _ => put(
            Field::ContactTimes,
            choices(names(ContactTime::ALL, ContactTime::as_str)),
        ),
    }
    match group {
        ContactGroup::Mobile => {
            put(Field::MayLeaveMessage, json!({"type": "boolean"}));
            required.push(Field::MayLeaveMessage);
        }
        _ => put(
            Field::MayLeaveMessage,
            nullable(json!({"type": "boolean", "description": "Ignored without a phone number"})),
        ),
    }
    put(
        Field::NeverViaFosterParents,
        nullable(json!({"type": "boolean"})),
    );
    put(
        Field::Municipality,
        nullable(json!({"allOf": [{"$ref": "#/components/schemas/Municipality"}]})),
    );
    put(
        Field::Website,
        nullable(json!({
            "type": "string",
            "description": "A field people never see: anything but spaces is refused",
            "pattern": "^\\s*$"
        })),
    );
    required.sort_by_key(|f| f.form_position());
    json!({
        "title": format!("{} via {}", asker.as_str(), group.channels().join("/")),
        "type": "object",
        "additionalProperties": false,
        "required": names(&required, Field::as_str),
        "properties": props
    })
}

fn error_body(codes: &[&str]) -> Value {
    json!({
        "content": {"application/json": {"schema": {
            "allOf": [{"$ref": "#/components/schemas/ApiErrorBody"}],
            "properties": {"error": {"type": "string", "enum": codes}}
        }}}
    })
}

fn document() -> Value {
    let problem_codes: Vec<&str> = [
        Problem::Required,
        Problem::UnknownChoice,
        Problem::WrongType,
        Problem::TooLong { max: 0, length: 0 },
        Problem::ControlCharacter,
        Problem::ContactRequired {
            channel: Channel::Phone,
        },
        Problem::InvalidContact {
            channel: Channel::Phone,
        },
        Problem::MustBeEmpty,
        Problem::UnknownMunicipality,
        Problem::FosterParentIsAdult,
    ]
    .iter()
    .map(|p| p.code())
    .collect();
    let all_errors: Vec<String> = [
        ApiProblem::UnsupportedMediaType,
        ApiProblem::MissingIdempotencyKey,
        ApiProblem::PayloadTooLarge { max_bytes: 0 },
        ApiProblem::UnreadableBody,
        ApiProblem::InvalidEncoding,
        ApiProblem::MalformedJson { line: 0, column: 0 },
        ApiProblem::NotAnObject,
        ApiProblem::ValidationFailed,
        ApiProblem::IdempotencyKeyReused,
        ApiProblem::RateLimited {
            retry_after_seconds: 0,
        },
        ApiProblem::Busy {
            retry_after_seconds: 0,
        },
        ApiProblem::NotFound,
        ApiProblem::MethodNotAllowed,
        ApiProblem::StorageUnavailable,
        ApiProblem::Unauthenticated,
        ApiProblem::SignInFailed,
        ApiProblem::SignInLocked {
            retry_after_seconds: 0,
        },
        ApiProblem::CrossSiteRefused,
        ApiProblem::Forbidden,
        ApiProblem::VersionConflict,
        ApiProblem::InvalidTransition,
        ApiProblem::OverrideReasonRequired {
            outside_safe_times: false,
            message_not_allowed: false,
            via_foster_parents: false,
        },
        ApiProblem::InvalidInput,
        ApiProblem::IdentityProviderFailed,
        ApiProblem::VeiligThuisStepRequired,
        ApiProblem::SecondColleagueRequired,
        ApiProblem::ConversationNotFound,
        ApiProblem::ConversationLocked {
            retry_after_seconds: 0,
        },
        ApiProblem::ConversationClosed,
        ApiProblem::NoConversation,
    ]
    .iter()
    .filter_map(|p| {
        serde_json::to_value(p).ok()?["error"]
            .as_str()
            .map(str::to_owned)
    })
    .collect();
    let mut towns: Vec<&str> = municipality_names().collect();
    towns.push("");
    let variants: Vec<Value> = AskerKind::ALL
        .iter()
        .flat_map(|a| ContactGroup::ALL.map(|g| request_variant(*a, g)))
        .collect();
    let retry_after = json!({
        "Retry-After": {"description": "Seconds to wait", "schema": {"type": "integer", "minimum": 1}}
    });
    let mut too_many = error_body(&["rate_limited", "busy"]);
    too_many["description"] =
        json!("Too many requests from this client or from everyone; nothing was stored");
    too_many["headers"] = retry_after.clone();
    let mut unavailable = error_body(&["storage_unavailable"]);
    unavailable["description"] = json!("Storage unavailable; nothing was stored");
    unavailable["headers"] = retry_after;
    let described = |mut v: Value, d: &str| {
        v["description"] = json!(d);
        v
    };
    let not_allowed = described(error_body(&["method_not_allowed"]), "Another method");
    let mut conversation_locked = error_body(&["conversation_locked", "rate_limited", "busy"]);
    conversation_locked["description"] =
        json!("Too many wrong tries for this reference or from this address, or too many requests");
    conversation_locked["headers"] = too_many["headers"].clone();
    let rules = crate::routing::RoutingRules::parse(crate::routing::DEFAULT_RULES).ok();
    let teams: Vec<&str> = rules
        .iter()
        .flat_map(|r| r.teams().iter().map(|t| t.id.as_str()))
        .collect();
    let places: Vec<&str> = municipality_names().collect();
    let (staff_paths, staff_schemas) = super::staff::openapi::describe(&teams, &places);
    let mut document = json!({
        "openapi": "3.0.3",
        "info": {
            "title": "Ken je rechten API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": format!(
                "Confidant requests for foster children (Jeugdstem). Messages are in {}; clients translate by the codes `error` and `problem`.",
                Lang::DEFAULT.words().name()
            )
        },
        "paths": {
            "/api/requests": {
                "post": {
                    "operationId": "createRequest",
                    "tags": ["requests"],
                    "summary": "Ask for a confidant",
                    "parameters": [{
                        "name": IDEMPOTENCY_KEY,
                        "in": "header",
                        "required": true,
                        "description": "One key per submission: a retry with the same key and body gets the same answer",
                        "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]{16,64}$"}
                    }],
                    "requestBody": {
                        "required": true,
                        "content": {"application/json": {
                            "schema": {"$ref": "#/components/schemas/RequestDraft"},
                            "example": {
                                "asker": "child",
                                "age_band": "12_17",
                                "safe_now": "yes",
                                "topics": ["home"],
                                "message": "Ik wil met iemand praten.",
                                "has_trusted_person": false,
                                "nickname": "Sam",
                                "channel": "whatsapp",
                                "contact": "06 12345678",
                                "contact_times": ["afternoon"],
                                "may_leave_message": false,
                                "never_via_foster_parents": true,
                                "municipality": "Vlaardingen"
                            }
                        }}
                    },
                    "responses": {
                        "201": {
                            "description": "Stored; a team will be told",
                            "headers": {"Idempotent-Replayed": {
                                "description": "`true` when this key's request was stored before",
                                "schema": {"type": "string", "enum": ["true"]}
                            }},
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/RequestReceipt"}}}
                        },
                        "400": described(error_body(&["missing_idempotency_key", "unreadable_body", "invalid_encoding", "malformed_json", "not_an_object"]), "Not JSON, not UTF-8, not an object, or no idempotency key; nothing was stored"),
                        "405": not_allowed.clone(),
                        "409": described(error_body(&["idempotency_key_reused"]), "The key was used before for other content; `receipt` is the request stored then"),
                        "413": described(error_body(&["payload_too_large"]), &format!("Body larger than {} kB", MAX_BODY_BYTES / 1024)),
                        "415": described(error_body(&["unsupported_media_type"]), "Not application/json"),
                        "422": described(error_body(&["validation_failed"]), "Fields missing, unknown or invalid; each is named"),
                        "429": too_many,
                        "503": unavailable.clone()
                    }
                }
            },
            "/api/conversations/open": {
                "post": {
                    "operationId": "openConversation",
                    "tags": ["conversations"],
                    "summary": "Read the replies: open a conversation with the reference and the code words",
                    "description": "For requests sent with channel `on_website`. An unknown reference and wrong code words get the same answer, in the same time. Five wrong tries within 15 minutes lock the reference for 15 minutes; many from one address lock that address.",
                    "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/OpenConversation"}}}},
                    "responses": {
                        "200": {"description": "The conversation", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Conversation"}}}},
                        "400": described(error_body(&["unreadable_body", "invalid_encoding", "malformed_json"]), "Not JSON or not UTF-8"),
                        "404": described(error_body(&["conversation_not_found"]), "No conversation with this reference and these code words"),
                        "405": not_allowed.clone(),
                        "413": described(error_body(&["payload_too_large"]), &format!("Body larger than {} kB", MAX_BODY_BYTES / 1024)),
                        "415": described(error_body(&["unsupported_media_type"]), "Not application/json"),
                        "422": described(error_body(&["invalid_input"]), "Not the documented shape"),
                        "429": conversation_locked.clone(),
                        "503": unavailable.clone()
                    }
                }
            },
            "/api/conversations/messages": {
                "post": {
                    "operationId": "writeMessage",
                    "tags": ["conversations"],
                    "summary": "Write back to the confidant",
                    "description": "Opens the conversation as `openConversation` does, then adds the message. The request goes to the top of its team's queue and the team mailbox is told, without the message. The same idempotency key again adds nothing.",
                    "parameters": [{
                        "name": IDEMPOTENCY_KEY,
                        "in": "header",
                        "required": true,
                        "description": "One key per message: a retry with the same key adds nothing",
                        "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]{16,64}$"}
                    }],
                    "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ChildMessage"}}}},
                    "responses": {
                        "201": {
                            "description": "Stored; the conversation as it is now",
                            "headers": {"Idempotent-Replayed": {
                                "description": "`true` when this key's message was stored before",
                                "schema": {"type": "string", "enum": ["true"]}
                            }},
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Conversation"}}}
                        },
                        "400": described(error_body(&["missing_idempotency_key", "unreadable_body", "invalid_encoding", "malformed_json"]), "Not JSON, not UTF-8, or no idempotency key"),
                        "404": described(error_body(&["conversation_not_found"]), "No conversation with this reference and these code words"),
                        "405": not_allowed.clone(),
                        "409": described(error_body(&["conversation_closed"]), "The request is closed: the conversation can be read, not written to"),
                        "413": described(error_body(&["payload_too_large"]), &format!("Body larger than {} kB", MAX_BODY_BYTES / 1024)),
                        "415": described(error_body(&["unsupported_media_type"]), "Not application/json"),
                        "422": described(error_body(&["invalid_input", "validation_failed"]), "Not the documented shape, or the message is empty or longer than 4,000 characters"),
                        "429": conversation_locked,
                        "503": unavailable
                    }
                }
            },
            "/api/health": {
                "get": {
                    "operationId": "health",
                    "tags": ["health"],
                    "summary": "Liveness",
                    "responses": {
                        "200": {"description": "The process answers", "content": {"application/json": {"schema": {
                            "type": "object", "additionalProperties": false, "required": ["status"],
                            "properties": {"status": {"type": "string", "enum": ["ok"]}}
                        }}}},
                        "405": not_allowed.clone()
                    }
                }
            },
            "/api/health/ready": {
                "get": {
                    "operationId": "ready",
                    "tags": ["health"],
                    "summary": "Readiness: the store answers and no routing job waits too long",
                    "description": "Counts and times only. 503 (same body) when the store does not answer or the oldest unfinished routing job is older than `max_backlog_seconds`.",
                    "responses": {
                        "200": {"description": "Ready", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Readiness"}}}},
                        "503": {"description": "Not ready", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Readiness"}}}},
                        "405": not_allowed.clone()
                    }
                }
            },
            "/api/openapi.json": {
                "get": {
                    "operationId": "openapi",
                    "tags": ["health"],
                    "summary": "This document",
                    "responses": {
                        "200": {"description": "The OpenAPI document", "content": {"application/json": {"schema": {"type": "object"}}}},
                        "405": not_allowed
                    }
                }
            }
        },
        "components": {"schemas": {
            "Readiness": {
                "type": "object", "additionalProperties": false,
                "required": ["status", "store", "max_backlog_seconds", "checked_at"],
                "properties": {
                    "status": {"type": "string", "enum": ["ready", "backlog", "store_unavailable"]},
                    "store": {"type": "boolean", "description": "Whether the store answered"},
                    "pending_jobs": {"type": "integer", "minimum": 0, "description": "Unfinished routing jobs"},
                    "oldest_pending_seconds": {"type": "integer", "minimum": 0, "description": "How long the oldest of them has waited"},
                    "last_notification_at": {"type": "integer", "description": "When a team was last notified (Unix seconds)"},
                    "max_backlog_seconds": {"type": "integer", "minimum": 1},
                    "checked_at": {"type": "integer", "description": "When this was measured (Unix seconds)"}
                }
            },
            "RequestDraft": {
                "description": "A confidant request. What is required depends on who asks (`asker`) and how they want to be contacted (`channel`).",
                "oneOf": variants
            },
            "Municipality": {
                "type": "string",
                "description": "A municipality from the bundled list (official or common name); empty or left out means unknown",
                "enum": towns
            },
            "RequestReceipt": {
                "type": "object",
                "additionalProperties": false,
                "required": ["reference", "urgent", "respond_within_hours", "next_steps"],
                "properties": {
                    "reference": {"type": "string", "pattern": "^KJR-[2-9A-HJKMNP-TW-Z]{4}-[2-9A-HJKMNP-TW-Z]{4}$", "example": "KJR-7F3K-9QX2"},
                    "urgent": {"type": "boolean"},
                    "respond_within_hours": {"type": "integer", "minimum": 0},
                    "due": {
                        "type": "object", "additionalProperties": false,
                        "description": "At the latest when first contact is due, in the teams' working hours, as a day and time in the Netherlands",
                        "required": ["at", "weekday", "day", "month", "hour", "minute"],
                        "properties": {
                            "at": {"type": "integer", "description": "Unix seconds"},
                            "weekday": {"type": "integer", "minimum": 1, "maximum": 7, "description": "1 = Monday"},
                            "day": {"type": "integer", "minimum": 1, "maximum": 31},
                            "month": {"type": "integer", "minimum": 1, "maximum": 12},
                            "hour": {"type": "integer", "minimum": 0, "maximum": 23},
                            "minute": {"type": "integer", "minimum": 0, "maximum": 59}
                        }
                    },
                    "replies_on_website": {"type": "boolean", "description": "The person reads the replies on the website (channel `on_website`)"},
                    "code_words": {"type": "string", "description": "With `on_website`, in the answer that stored the request (or a replay within an hour, which replaces them): the three code words, shown once", "example": "appel fiets wolk"},
                    "next_steps": {"type": "string", "description": "Who will make contact, how and when, in Dutch"}
                }
            },
            "OpenConversation": {
                "type": "object", "additionalProperties": false,
                "required": ["reference", "code_words"],
                "properties": {
                    "reference": {"type": "string", "maxLength": 40, "description": "As typed: any case, dashes and spaces optional", "example": "KJR-7F3K-9QX2"},
                    "code_words": {"type": "string", "maxLength": 200, "description": "The three code words as typed: capitals, accents and extra spaces do not matter", "example": "appel fiets wolk"}
                }
            },
            "ChildMessage": {
                "type": "object", "additionalProperties": false,
                "required": ["reference", "code_words", "text"],
                "properties": {
                    "reference": {"type": "string", "maxLength": 40, "example": "KJR-7F3K-9QX2"},
                    "code_words": {"type": "string", "maxLength": 200, "example": "appel fiets wolk"},
                    "text": {"type": "string", "minLength": 1, "maxLength": MAX_MESSAGE_CHARS, "pattern": "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*[^\\s\\u0000-\\u001F\\u007F-\\u009F][^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$", "example": "Dank je. Ik wil praten."}
                }
            },
            "Conversation": {
                "type": "object", "additionalProperties": false,
                "required": ["reference", "messages", "open", "max_message_chars", "idle_seconds"],
                "properties": {
                    "reference": {"type": "string", "pattern": "^KJR-[2-9A-HJKMNP-TW-Z]{4}-[2-9A-HJKMNP-TW-Z]{4}$"},
                    "messages": {"type": "array", "description": "Oldest first", "items": {
                        "type": "object", "additionalProperties": false,
                        "required": ["from", "text", "at"],
                        "properties": {
                            "from": {"type": "string", "enum": names(MessageAuthor::ALL, MessageAuthor::as_str)},
                            "name": {"type": "string", "description": "The confidant's first name"},
                            "text": {"type": "string"},
                            "at": {"type": "integer", "description": "Unix seconds"}
                        }
                    }},
                    "open": {"type": "boolean", "description": "Whether the person can still write (not once the request is closed)"},
                    "max_message_chars": {"type": "integer", "minimum": 1},
                    "idle_seconds": {"type": "integer", "minimum": 1, "description": "The page closes the conversation after this long without activity"}
                }
            },
            "FieldErrorBody": {
                "type": "object",
                "additionalProperties": false,
                "required": ["field", "problem", "label", "message"],
                "properties": {
                    "field": {"type": "string", "enum": names(Field::ALL, Field::as_str)},
                    "problem": {"type": "string", "enum": problem_codes},
                    "max": {"type": "integer", "description": "With too_long"},
                    "length": {"type": "integer", "description": "With too_long"},
                    "channel": {"type": "string", "enum": names(Channel::ALL, Channel::as_str), "description": "With contact_required and invalid_contact"},
                    "label": {"type": "string"},
                    "message": {"type": "string"}
                }
            },
            "ApiErrorBody": {
                "type": "object",
                "additionalProperties": false,
                "required": ["error", "message"],
                "properties": {
                    "error": {"type": "string", "enum": all_errors},
                    "message": {"type": "string", "description": "What went wrong and what to do, in Dutch"},
                    "max_bytes": {"type": "integer", "description": "With payload_too_large"},
                    "line": {"type": "integer", "description": "With malformed_json"},
                    "column": {"type": "integer", "description": "With malformed_json"},
                    "retry_after_seconds": {"type": "integer", "description": "With rate_limited, busy and sign_in_locked"},
                    "fields": {"type": "array", "items": {"$ref": "#/components/schemas/FieldErrorBody"}},
                    "unknown_fields": {"type": "array", "items": {"type": "string"}},
                    "receipt": {"$ref": "#/components/schemas/RequestReceipt"},
                    "conflict": {
                        "type": "object", "additionalProperties": false,
                        "description": "With version_conflict: the current version, who changed it and when",
                        "required": ["version", "changed_by", "changed_at"],
                        "properties": {
                            "version": {"type": "integer", "minimum": 0},
                            "changed_by": {"allOf": [{"$ref": "#/components/schemas/StaffRef"}], "nullable": true},
                            "changed_at": {"type": "integer"}
                        }
                    },
                    "outside_safe_times": {"type": "boolean", "description": "With override_reason_required"},
                    "message_not_allowed": {"type": "boolean", "description": "With override_reason_required"},
                    "via_foster_parents": {"type": "boolean", "description": "With override_reason_required"}
                }
            }
        }, "securitySchemes": super::staff::openapi::security_schemes()}
    });
    if let Some(paths) = document["paths"].as_object_mut() {
        paths.extend(staff_paths);
    }
    if let Some(schemas) = document["components"]["schemas"].as_object_mut() {
        schemas.extend(staff_schemas);
    }
    document
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_request_is_accepted_by_the_domain() {
        let example = DOCUMENT["paths"]["/api/requests"]["post"]["requestBody"]["content"]
            ["application/json"]["example"]
            .clone();
        let Value::Object(object) = example else {
            panic!("example is an object")
        };
        assert!(kjr_domain::RequestDraft::parse_json_object(object).is_ok());
    }

    #[test]
    fn every_staff_route_is_described() {
        for route in crate::routes::staff::table() {
            let path = format!("/api{}", route.path);
            let method = route.method.as_str().to_ascii_lowercase();
            assert!(
                DOCUMENT["paths"][&path][&method].is_object(),
                "{method} {path} is not in the OpenAPI document"
            );
        }
    }

    #[test]
    fn every_field_is_described_in_every_variant() {
        let variants = DOCUMENT["components"]["schemas"]["RequestDraft"]["oneOf"]
            .as_array()
            .unwrap();
        assert_eq!(
            variants.len(),
            AskerKind::ALL.len() * ContactGroup::ALL.len()
        );
        for v in variants {
            for f in Field::ALL {
                assert!(
                    v["properties"][f.as_str()].is_object(),
                    "{f} in {}",
                    v["title"]
                );
            }
        }
    }
}
