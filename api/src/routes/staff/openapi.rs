//! The staff routes in `/api/openapi.json`: their paths, parameters, bodies and answers,
//! from the domain's closed sets and limits. A test checks that every route of
//! [`super::table`] is described here.

use kjr_domain::staff::{
    AttemptChannel, AttemptResult, CaseStatus, CloseReason, MAX_NOTE_CHARS, MAX_QUEUE_PAGE, Queue,
    Role, SafeContactRule, VeiligThuisStep,
};
use kjr_domain::{AgeBand, AskerKind, Channel, ChildKnows, ContactTime, Feeling, SafeNow, Topic};
use serde_json::{Map, Value, json};

use crate::auth::{CSRF_HEADER, SESSION_COOKIE};

fn names<T: Copy>(all: &[T], wire: fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|v| wire(*v)).collect()
}

fn enum_of<T: Copy>(all: &[T], wire: fn(T) -> &'static str) -> Value {
    json!({"type": "string", "enum": names(all, wire)})
}

fn schema(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

fn ok(description: &str, body: Value) -> Value {
    json!({"description": description, "content": {"application/json": {"schema": body}}})
}

/// An error answer with the codes it can carry.
fn error(description: &str, codes: &[&str]) -> Value {
    json!({
        "description": description,
        "content": {"application/json": {"schema": {
            "allOf": [{"$ref": "#/components/schemas/ApiErrorBody"}],
            "properties": {"error": {"type": "string", "enum": codes}}
        }}}
    })
}

/// The answers every signed-in route can give besides its own.
fn signed_in_answers(change: bool) -> Map<String, Value> {
    let mut answers = Map::new();
    answers.insert(
        "401".into(),
        error("No live session: sign in", &["unauthenticated"]),
    );
    answers.insert(
        "405".into(),
        error("Another method", &["method_not_allowed"]),
    );
    answers.insert(
        "503".into(),
        error(
            "Storage unavailable; nothing changed",
            &["storage_unavailable"],
        ),
    );
    let forbidden: &[&str] = if change {
        &[
            "cross_site_refused",
            "forbidden",
            "second_colleague_required",
        ]
    } else {
        &["forbidden"]
    };
    answers.insert(
        "403".into(),
        error(
            "Not from the portal's own pages, or the role does not allow it",
            forbidden,
        ),
    );
    if change {
        answers.insert(
            "400".into(),
            error(
                "Not JSON or not UTF-8",
                &["unreadable_body", "invalid_encoding", "malformed_json"],
            ),
        );
        answers.insert(
            "413".into(),
            error("Body too large", &["payload_too_large"]),
        );
        answers.insert(
            "415".into(),
            error("Not application/json", &["unsupported_media_type"]),
        );
    }
    answers.insert(
        "422".into(),
        error(
            "The body or query does not have the documented shape",
            &["invalid_input", "override_reason_required"],
        ),
    );
    answers
}

fn operation(
    id: &str,
    summary: &str,
    change: bool,
    request: Option<&str>,
    mut answers: Map<String, Value>,
    parameters: Vec<Value>,
) -> Value {
    for (code, answer) in signed_in_answers(change) {
        answers.entry(code).or_insert(answer);
    }
    let mut op = json!({
        "operationId": id,
        "tags": ["staff"],
        "summary": summary,
        "security": if change {
            json!([{"staffSession": [], "csrfToken": []}])
        } else {
            json!([{"staffSession": []}])
        },
        "parameters": parameters,
        "responses": answers,
    });
    if let Some(body) = request {
        op["requestBody"] =
            json!({"required": true, "content": {"application/json": {"schema": schema(body)}}});
    }
    op
}

fn id_parameter() -> Value {
    json!({"name": "id", "in": "path", "required": true, "description": "The request's internal id",
           "schema": {"type": "string", "pattern": "^[0-9a-f]{32}$"}})
}

fn query(name: &str, description: &str, schema: Value) -> Value {
    json!({"name": name, "in": "query", "required": false, "description": description, "schema": schema})
}

fn answers(list: &[(&str, Value)]) -> Map<String, Value> {
    list.iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect()
}

/// The staff paths (under `/api`) and the schemas they use.
pub fn describe(
    teams: &[&str],
    municipalities: &[&str],
) -> (Map<String, Value>, Map<String, Value>) {
    let view = ok("The request page as it is now", schema("RequestView"));
    let not_found = error("No such request, or another team's", &["not_found"]);
    let conflict = error(
        "Changed since this version (`conflict` says by whom), or not possible in this status",
        &[
            "version_conflict",
            "invalid_transition",
            "veilig_thuis_step_required",
        ],
    );
    let change = |id: &str, summary: &str, body: &str, extra: &[(&str, Value)]| {
        let mut list = vec![("200", view.clone()), ("404", not_found.clone())];
        list.extend(extra.iter().cloned());
        operation(
            id,
            summary,
            true,
            Some(body),
            answers(&list),
            vec![id_parameter()],
        )
    };
    let mut paths = Map::new();
    paths.insert(
        "/api/staff/sign-in/options".into(),
        json!({"get": {
            "operationId": "signInOptions", "tags": ["staff"], "summary": "How staff can sign in",
            "responses": {
                "200": ok("The ways to sign in", schema("SignInOptions")),
                "405": error("Another method", &["method_not_allowed"])
            }
        }}),
    );
    let mut locked = error(
        "Too many failed sign-ins for this account or address",
        &["sign_in_locked"],
    );
    locked["headers"] = json!({"Retry-After": {"description": "Seconds to wait", "schema": {"type": "integer", "minimum": 1}}});
    paths.insert("/api/staff/session".into(), json!({
        "post": {
            "operationId": "signIn", "tags": ["staff"],
            "summary": "Sign in with a local account (password and authenticator code)",
            "requestBody": {"required": true, "content": {"application/json": {"schema": schema("SignIn")}}},
            "responses": {
                "200": {"description": "Signed in; the session cookie is set (HttpOnly)",
                        "headers": {"Set-Cookie": {"schema": {"type": "string"}}},
                        "content": {"application/json": {"schema": schema("StaffMe")}}},
                "400": error("Not JSON or not UTF-8", &["unreadable_body", "invalid_encoding", "malformed_json"]),
                "401": error("The same answer whether the account, the password or the code was wrong", &["sign_in_failed"]),
                "403": error("Not from the portal's own pages", &["cross_site_refused"]),
                "405": error("Another method", &["method_not_allowed"]),
                "413": error("Body too large", &["payload_too_large"]),
                "415": error("Not application/json", &["unsupported_media_type"]),
                "422": error("Not the documented shape", &["invalid_input"]),
                "429": locked,
                "503": error("Storage unavailable", &["storage_unavailable"])
            }
        },
        "delete": operation("signOut", "Sign out: the session ends on the server", true, None,
            answers(&[("204", json!({"description": "Signed out; the cookie is cleared"}))]), vec![])
    }));
    let redirect = json!({"description": "To the identity provider, or back to the staff app (signed in, or with `sign_in_error`)",
        "headers": {"Location": {"schema": {"type": "string"}}}});
    let not_configured = error("No identity provider is configured", &["not_found"]);
    paths.insert("/api/staff/sign-in/oidc".into(), json!({"get": {
        "operationId": "signInOidc", "tags": ["staff"],
        "summary": "Sign in through the organisation's identity provider (authorization code + PKCE)",
        "parameters": [query("return_to", "Where in the staff app to come back to (a path under /staff)", json!({"type": "string"}))],
        "responses": {"303": redirect.clone(), "404": not_configured.clone(),
            "405": error("Another method", &["method_not_allowed"])}
    }}));
    paths.insert(
        "/api/staff/sign-in/oidc/callback".into(),
        json!({"get": {
            "operationId": "signInOidcCallback", "tags": ["staff"],
            "summary": "Where the identity provider sends the browser back",
            "parameters": [
                query("code", "The authorization code", json!({"type": "string"})),
                query("state", "The state this sign-in started with", json!({"type": "string"})),
                query("iss", "The provider that answers (RFC 9207)", json!({"type": "string"})),
                query("error", "The provider's refusal", json!({"type": "string"}))
            ],
            "responses": {"303": redirect, "404": not_configured,
                "405": error("Another method", &["method_not_allowed"])}
        }}),
    );
    paths.insert(
        "/api/staff/me".into(),
        json!({"get": operation("me", "Who is signed in", false, None,
        answers(&[("200", ok("The signed-in staff member", schema("StaffMe")))]), vec![])}),
    );
    paths.insert("/api/staff/colleagues".into(), json!({"get": operation("colleagues",
        "Whom a request can be assigned to", false, None,
        answers(&[("200", ok("Staff members", json!({"type": "array", "items": schema("StaffRef")})))]), vec![])}));
    let cursor = json!({"type": "string", "pattern": "^[01]#[0-9]{12}#[0-9a-f]{32}$"});
    paths.insert("/api/staff/overview".into(), json!({"get": operation("overview",
        "Coordinators: open requests per team and status, overdue, and time to first contact per week (from anonymous counts)",
        false, None, answers(&[("200", ok("The overview", schema("Overview")))]), vec![])}));
    paths.insert("/api/staff/requests".into(), json!({"get": operation("queue",
        "The queue: urgent first, then oldest first; no contact details", false, None,
        answers(&[("200", ok("A page of the queue", schema("QueuePage")))]),
        vec![
            query("status", "Only this status (default: every open one)", enum_of(CaseStatus::ALL, CaseStatus::as_str)),
            query("urgency", "Only urgent or only normal", enum_of(Queue::ALL, Queue::as_str)),
            query("asker", "Who asks", enum_of(AskerKind::ALL, AskerKind::as_str)),
            query("age_band", "Age band", enum_of(AgeBand::ALL, AgeBand::as_str)),
            query("topic", "With this topic", enum_of(Topic::ALL, Topic::as_str)),
            query("municipality", "Where the child lives", json!({"type": "string", "enum": municipalities})),
            query("overdue", "Only requests past their deadline without first contact", json!({"type": "boolean"})),
            query("team", "A coordinator's choice of team (a confidant: their own)", json!({"type": "string", "enum": teams})),
            query("cursor", "`next_cursor` of the page before", cursor),
            query("limit", "Rows per page", json!({"type": "integer", "minimum": 1, "maximum": MAX_QUEUE_PAGE})),
        ])}));
    paths.insert("/api/staff/requests/{id}".into(), json!({"get": operation("request",
        "Everything the person gave, and the handling so far (the opening is recorded)", false, None,
        answers(&[("200", ok("The request page", schema("RequestView"))), ("404", not_found.clone())]),
        vec![id_parameter()])}));
    paths.insert("/api/staff/requests/{id}/claim".into(), json!({"post": change("claim",
        "Take the request, or assign it to a colleague", "ClaimAction", &[("409", conflict.clone())])}));
    paths.insert(
        "/api/staff/requests/{id}/contact-attempts".into(),
        json!({"post": change("contactAttempt",
        "Record a contact attempt; one against a safe-contact preference needs a reason",
        "ContactAttemptAction", &[("409", conflict.clone())])}),
    );
    paths.insert(
        "/api/staff/requests/{id}/notes".into(),
        json!({"post": change("note",
        "Add an internal note", "NoteAction", &[])}),
    );
    paths.insert(
        "/api/staff/requests/{id}/messages".into(),
        json!({"post": change("message",
        "Reply to a person who reads the replies on the website (channel `on_website`); nothing is sent to them",
        "MessageAction", &[("409", error("Closed, awaiting approval, or the person chose another way of contact", &["invalid_transition", "no_conversation", "version_conflict"]))])}),
    );
    paths.insert(
        "/api/staff/requests/{id}/status".into(),
        json!({"post": change("status",
        "Change the status (new → in progress → contact made, or unreachable)", "StatusAction",
        &[("409", conflict.clone())])}),
    );
    paths.insert("/api/staff/requests/{id}/transfer".into(), json!({"post": change("transfer",
        "Move the request to another team, with a reason; it goes to the top of that queue with its deadline",
        "TransferAction", &[("409", conflict.clone())])}));
    paths.insert("/api/staff/requests/{id}/disclosure".into(), json!({"post": change("disclosure",
        "Mark or unmark signs of abuse or danger (closing then needs the Veilig Thuis step and a second colleague)",
        "DisclosureAction", &[("409", conflict.clone())])}));
    paths.insert(
        "/api/staff/requests/{id}/veilig-thuis".into(),
        json!({"post": change("veiligThuis",
        "Record the Veilig Thuis step: consulted or reported, by whom, when",
        "VeiligThuisAction", &[("409", conflict.clone())])}),
    );
    paths.insert("/api/staff/requests/{id}/close".into(), json!({"post": change("close",
        "Close, or, when urgent or with signs of abuse or danger, ask a second colleague to approve",
        "CloseAction", &[("409", conflict.clone())])}));
    paths.insert(
        "/api/staff/requests/{id}/approve-close".into(),
        json!({"post": change("approveClose",
        "A second colleague (not the one who asked) approves closing",
        "ApproveCloseAction", &[("409", conflict.clone())])}),
    );
    paths.insert(
        "/api/staff/requests/{id}/legal-hold".into(),
        json!({"post": change("legalHold",
        "Coordinators: pause deletion (a complaint, an inspection), or resume it",
        "LegalHoldAction", &[("409", conflict.clone())])}),
    );
    paths.insert("/api/staff/requests/{id}/audit".into(), json!({"get": operation("audit",
        "The whole audit trail of one request, as JSON or as CSV (the export is recorded)", false, None,
        answers(&[
            ("200", json!({"description": "Every event, oldest first", "content": {
                "application/json": {"schema": schema("AuditTrail")},
                "text/csv": {"schema": {"type": "string"}}
            }})),
            ("404", not_found),
        ]),
        vec![id_parameter(), query("format", "json (default) or csv", json!({"type": "string", "enum": ["json", "csv"]}))])}));

    let text = |max: usize| {
        json!({"type": "string", "minLength": 1, "maxLength": max,
        "pattern": "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*[^\\s\\u0000-\\u001F\\u007F-\\u009F][^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$"})
    };
    let optional_text = json!({"type": "string", "maxLength": MAX_NOTE_CHARS,
        "pattern": "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$"});
    let time = json!({"type": "integer", "description": "Unix seconds"});
    let staff_ref = schema("StaffRef");
    let nullable = |mut v: Value| {
        if v.get("$ref").is_some() {
            v = json!({"allOf": [v]});
        }
        v["nullable"] = json!(true);
        v
    };
    let row_properties = json!({
        "id": {"type": "string", "pattern": "^[0-9a-f]{32}$"},
        "reference": {"type": "string", "pattern": "^KJR-[2-9A-HJKMNP-TW-Z]{4}-[2-9A-HJKMNP-TW-Z]{4}$"},
        "team": {"type": "string"},
        "received_at": time,
        "urgency": enum_of(Queue::ALL, Queue::as_str),
        "asker": enum_of(AskerKind::ALL, AskerKind::as_str),
        "age_band": enum_of(AgeBand::ALL, AgeBand::as_str),
        "topics": {"type": "array", "items": enum_of(Topic::ALL, Topic::as_str)},
        "status": enum_of(CaseStatus::ALL, CaseStatus::as_str),
        "claimed_by": nullable(staff_ref.clone()),
        "due_at": time,
        "first_contact_at": nullable(time.clone()),
        "unanswered_message": {"type": "boolean", "description": "The person wrote on the website and no confidant has answered since"}
    });
    let row_required = [
        "id",
        "reference",
        "team",
        "received_at",
        "urgency",
        "asker",
        "age_band",
        "topics",
        "status",
        "claimed_by",
        "due_at",
        "first_contact_at",
    ];
    let mut view_properties = row_properties.as_object().cloned().unwrap_or_default();
    for (k, v) in json!({
        "version": {"type": "integer", "minimum": 0},
        "changed_by": nullable(staff_ref.clone()),
        "changed_at": time,
        "contact": schema("ContactView"),
        "child_knows": nullable(enum_of(ChildKnows::ALL, ChildKnows::as_str)),
        "safe_now": enum_of(SafeNow::ALL, SafeNow::as_str),
        "has_trusted_person": nullable(json!({"type": "boolean", "description": "null: not asked or not answered"})),
        "feeling": nullable(enum_of(Feeling::ALL, Feeling::as_str)),
        "nickname": nullable(json!({"type": "string"})),
        "message": nullable(json!({"type": "string"})),
        "municipality": nullable(json!({"type": "string"})),
        "history": {"type": "array", "items": schema("AuditEntry")},
        "now": time,
        "disclosure": {"type": "boolean"},
        "veilig_thuis": nullable(schema("VeiligThuisRecord")),
        "closing": nullable(schema("Closing")),
        "needs_four_eyes": {"type": "boolean"},
        "transferred_from": nullable(json!({"type": "string"})),
        "legal_hold": nullable(schema("LegalHold")),
        "deleted_after": nullable(json!({"type": "integer", "description": "When it will be deleted; null while open or on hold"}))
    })
    .as_object()
    .cloned()
    .unwrap_or_default()
    {
        view_properties.insert(k, v);
    }
    let mut view_required: Vec<&str> = row_required.to_vec();
    view_required.extend([
        "version",
        "changed_by",
        "changed_at",
        "contact",
        "child_knows",
        "safe_now",
        "has_trusted_person",
        "feeling",
        "nickname",
        "message",
        "municipality",
        "history",
        "now",
        "disclosure",
        "veilig_thuis",
        "closing",
        "needs_four_eyes",
        "transferred_from",
        "legal_hold",
        "deleted_after",
    ]);
    let event = |action: &str, props: Value, required: &[&str]| {
        let mut properties = props.as_object().cloned().unwrap_or_default();
        properties.insert("action".into(), json!({"type": "string", "enum": [action]}));
        let mut req = vec!["action"];
        req.extend(required);
        json!({"type": "object", "additionalProperties": false, "required": req, "properties": properties})
    };
    let events = vec![
        event(
            "received",
            json!({"urgency": enum_of(Queue::ALL, Queue::as_str)}),
            &["urgency"],
        ),
        event(
            "routed",
            json!({"team": {"type": "string"}, "reason": {"type": "string"}}),
            &["team", "reason"],
        ),
        event("notified", json!({"team": {"type": "string"}}), &["team"]),
        event("viewed", json!({}), &[]),
        event(
            "exported",
            json!({"format": {"type": "string"}}),
            &["format"],
        ),
        event(
            "claimed",
            json!({"assignee": staff_ref.clone()}),
            &["assignee"],
        ),
        event(
            "contact_attempt",
            json!({
                "channel": enum_of(AttemptChannel::ALL, AttemptChannel::as_str),
                "result": enum_of(AttemptResult::ALL, AttemptResult::as_str),
                "note": nullable(json!({"type": "string"})),
                "overrides": {"type": "array", "items": enum_of(SafeContactRule::ALL, SafeContactRule::as_str)},
                "override_reason": nullable(json!({"type": "string"}))
            }),
            &["channel", "result", "note", "overrides", "override_reason"],
        ),
        event("note", json!({"text": {"type": "string"}}), &["text"]),
        event(
            "message_to_asker",
            json!({"text": {"type": "string"}}),
            &["text"],
        ),
        event(
            "message_from_asker",
            json!({"text": {"type": "string"}, "idempotency_key": {"type": "string"}}),
            &["text", "idempotency_key"],
        ),
        event(
            "status_changed",
            json!({
                "from": enum_of(CaseStatus::ALL, CaseStatus::as_str),
                "to": enum_of(CaseStatus::ALL, CaseStatus::as_str)
            }),
            &["from", "to"],
        ),
        event(
            "transferred",
            json!({"from": {"type": "string"}, "to": {"type": "string"}, "reason": {"type": "string"}}),
            &["from", "to", "reason"],
        ),
        event(
            "disclosure_marked",
            json!({"disclosure": {"type": "boolean"}}),
            &["disclosure"],
        ),
        event(
            "veilig_thuis_recorded",
            json!({"record": schema("VeiligThuisRecord")}),
            &["record"],
        ),
        event(
            "close_requested",
            json!({"reason": enum_of(CloseReason::ALL, CloseReason::as_str), "text": {"type": "string"}}),
            &["reason", "text"],
        ),
        event(
            "closed",
            json!({
                "reason": enum_of(CloseReason::ALL, CloseReason::as_str),
                "text": {"type": "string"},
                "approved_by": nullable(schema("StaffRef"))
            }),
            &["reason", "text", "approved_by"],
        ),
        event(
            "legal_hold_changed",
            json!({"hold": {"type": "boolean"}, "reason": {"type": "string"}}),
            &["hold", "reason"],
        ),
    ];
    let object = |required: &[&str], properties: Value| json!({"type": "object", "additionalProperties": false, "required": required, "properties": properties});
    let mut schemas = Map::new();
    let mut add = |name: &str, value: Value| {
        schemas.insert(name.to_owned(), value);
    };
    add(
        "SignInOptions",
        object(
            &["local", "oidc"],
            json!({
                "local": {"type": "boolean"},
                "oidc": nullable(object(&["label"], json!({"label": {"type": "string"}})))
            }),
        ),
    );
    add(
        "SignIn",
        object(
            &["email", "password", "code"],
            json!({
                "email": {"type": "string", "maxLength": 254},
                "password": {"type": "string", "maxLength": 1024},
                "code": {"type": "string", "pattern": "^[0-9]{6}$"}
            }),
        ),
    );
    add(
        "StaffRef",
        object(
            &["id", "name"],
            json!({"id": {"type": "string"}, "name": {"type": "string"}}),
        ),
    );
    add(
        "TeamRef",
        object(
            &["id", "name"],
            json!({"id": {"type": "string"}, "name": {"type": "string"}}),
        ),
    );
    add(
        "StaffMe",
        object(
            &[
                "id",
                "name",
                "team",
                "role",
                "teams",
                "session_expires_at",
                "csrf_token",
            ],
            json!({
                "id": {"type": "string"},
                "name": {"type": "string"},
                "team": nullable(json!({"type": "string"})),
                "role": enum_of(Role::ALL, Role::as_str),
                "teams": {"type": "array", "items": schema("TeamRef")},
                "session_expires_at": time,
                "csrf_token": {"type": "string", "description": format!("Send it in `{CSRF_HEADER}` with every change")}
            }),
        ),
    );
    add("QueueRow", object(&row_required, row_properties));
    add(
        "StatusCount",
        object(
            &["status", "count"],
            json!({
                "status": enum_of(CaseStatus::ALL, CaseStatus::as_str),
                "count": {"type": "integer", "minimum": 0}
            }),
        ),
    );
    add(
        "QueuePage",
        object(
            &["rows", "counts", "next_cursor", "now"],
            json!({
                "rows": {"type": "array", "items": schema("QueueRow")},
                "counts": {"type": "array", "items": schema("StatusCount")},
                "next_cursor": nullable(json!({"type": "string"})),
                "now": time
            }),
        ),
    );
    add(
        "ContactView",
        object(
            &[
                "channel",
                "address",
                "contact_times",
                "may_leave_message",
                "never_via_foster_parents",
            ],
            json!({
                "channel": enum_of(Channel::ALL, Channel::as_str),
                "address": nullable(json!({"type": "string", "description": "Only for whoever claimed the request, and coordinators"})),
                "contact_times": {"type": "array", "items": enum_of(ContactTime::ALL, ContactTime::as_str)},
                "may_leave_message": {"type": "boolean"},
                "never_via_foster_parents": {"type": "boolean"}
            }),
        ),
    );
    add(
        "RequestView",
        json!({"type": "object", "additionalProperties": false,
        "required": view_required, "properties": view_properties}),
    );
    add("CaseEvent", json!({"oneOf": events}));
    add(
        "AuditEntry",
        object(
            &["seq", "at", "actor", "event", "prev_hash", "hash"],
            json!({
                "seq": {"type": "integer", "minimum": 1},
                "at": time,
                "actor": nullable(staff_ref),
                "event": schema("CaseEvent"),
                "prev_hash": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                "hash": {"type": "string", "pattern": "^[0-9a-f]{64}$"}
            }),
        ),
    );
    add(
        "AuditTrail",
        object(
            &["reference", "entries"],
            json!({
                "reference": {"type": "string"},
                "entries": {"type": "array", "items": schema("AuditEntry")}
            }),
        ),
    );
    add(
        "ClaimAction",
        object(
            &["version"],
            json!({
                "version": {"type": "integer", "minimum": 0, "maximum": u32::MAX},
                "assignee": {"type": "string", "nullable": true, "pattern": "^(local|oidc):[^\\s]+$", "description": "A colleague's staff id; absent or null means me"}
            }),
        ),
    );
    add(
        "ContactAttemptAction",
        object(
            &["channel", "result"],
            json!({
                "channel": enum_of(AttemptChannel::ALL, AttemptChannel::as_str),
                "result": enum_of(AttemptResult::ALL, AttemptResult::as_str),
                "note": optional_text.clone(),
                "override_reason": optional_text
            }),
        ),
    );
    add(
        "NoteAction",
        object(&["text"], json!({"text": text(MAX_NOTE_CHARS)})),
    );
    add(
        "MessageAction",
        object(
            &["text"],
            json!({"text": text(kjr_domain::MAX_MESSAGE_CHARS)}),
        ),
    );
    let version = json!({"type": "integer", "minimum": 0, "maximum": u32::MAX});
    add(
        "TransferAction",
        object(
            &["version", "team", "reason"],
            json!({
                "version": version, "team": {"type": "string", "enum": teams}, "reason": text(MAX_NOTE_CHARS)
            }),
        ),
    );
    add(
        "DisclosureAction",
        object(
            &["version", "disclosure"],
            json!({
                "version": version, "disclosure": {"type": "boolean"}
            }),
        ),
    );
    add(
        "VeiligThuisAction",
        object(
            &["version", "step"],
            json!({
                "version": version,
                "step": enum_of(VeiligThuisStep::ALL, VeiligThuisStep::as_str),
                "at": {"type": "integer", "nullable": true, "description": "When it happened (Unix seconds, not in the future, not before the request came in); absent means now"},
                "note": optional_text_for_schema()
            }),
        ),
    );
    add(
        "VeiligThuisRecord",
        object(
            &["step", "by", "at", "note"],
            json!({
                "step": enum_of(VeiligThuisStep::ALL, VeiligThuisStep::as_str),
                "by": schema("StaffRef"),
                "at": time,
                "note": {"type": "string", "nullable": true}
            }),
        ),
    );
    add(
        "CloseAction",
        object(
            &["version", "reason", "text"],
            json!({
                "version": version, "reason": enum_of(CloseReason::ALL, CloseReason::as_str), "text": text(MAX_NOTE_CHARS)
            }),
        ),
    );
    add(
        "Overview",
        object(
            &["teams", "weeks", "now"],
            json!({
                "teams": {"type": "array", "items": object(&["team", "counts", "overdue"], json!({
                    "team": schema("TeamRef"),
                    "counts": {"type": "array", "items": schema("StatusCount")},
                    "overdue": {"type": "integer", "minimum": 0}
                }))},
                "weeks": {"type": "array", "items": object(&["week", "contacted", "median_minutes", "p90_minutes", "within_deadline"], json!({
                    "week": {"type": "string", "pattern": "^[0-9]{4}-W[0-9]{2}$"},
                    "contacted": {"type": "integer", "minimum": 0},
                    "median_minutes": {"type": "integer", "nullable": true},
                    "p90_minutes": {"type": "integer", "nullable": true},
                    "within_deadline": {"type": "integer", "minimum": 0}
                }))},
                "now": time
            }),
        ),
    );
    add(
        "LegalHoldAction",
        object(
            &["version", "hold", "reason"],
            json!({
                "version": version, "hold": {"type": "boolean"}, "reason": text(MAX_NOTE_CHARS)
            }),
        ),
    );
    add(
        "LegalHold",
        object(
            &["by", "at", "reason"],
            json!({
                "by": schema("StaffRef"), "at": time, "reason": {"type": "string"}
            }),
        ),
    );
    add(
        "ApproveCloseAction",
        object(&["version"], json!({"version": version})),
    );
    add(
        "Closing",
        object(
            &[
                "reason",
                "text",
                "requested_by",
                "requested_at",
                "approved_by",
                "closed_at",
            ],
            json!({
                "reason": enum_of(CloseReason::ALL, CloseReason::as_str),
                "text": {"type": "string"},
                "requested_by": schema("StaffRef"),
                "requested_at": time,
                "approved_by": {"allOf": [schema("StaffRef")], "nullable": true},
                "closed_at": {"type": "integer", "nullable": true}
            }),
        ),
    );
    add(
        "StatusAction",
        object(
            &["version", "status"],
            json!({
                "version": {"type": "integer", "minimum": 0, "maximum": u32::MAX},
                "status": enum_of(CaseStatus::ALL, CaseStatus::as_str)
            }),
        ),
    );
    (paths, schemas)
}

fn optional_text_for_schema() -> Value {
    json!({"type": "string", "nullable": true, "maxLength": MAX_NOTE_CHARS,
        "pattern": "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$"})
}

/// The security schemes of the staff routes.
pub fn security_schemes() -> Value {
    json!({
        "staffSession": {"type": "apiKey", "in": "cookie", "name": SESSION_COOKIE,
            "description": "The session cookie set by signing in (HttpOnly)"},
        "csrfToken": {"type": "apiKey", "in": "header", "name": CSRF_HEADER,
            "description": "`csrf_token` of /api/staff/me; changes also need the portal's Origin"}
    })
}
