//! What happened to a request, in words: the request page's history and the audit view.

use kjr_domain::staff::{AuditEntry, CaseEvent};
use leptos::prelude::*;

use crate::session::Session;
use crate::time::date_time;

/// One event in a sentence, and its details (notes, reasons) if it has any.
pub fn describe(entry: &AuditEntry, session: Session) -> (String, Vec<String>) {
    let actor = entry.actor.as_ref().map(|a| a.name.as_str());
    match &entry.event {
        CaseEvent::Received { urgency } => (
            format!(
                "Binnengekomen ({})",
                crate::components::urgency_label(*urgency).to_lowercase()
            ),
            Vec::new(),
        ),
        CaseEvent::Routed { team, reason } => (
            format!("Doorgestuurd naar {}", session.team_name(team)),
            vec![format!("Regel: {reason}")],
        ),
        CaseEvent::Notified { team } => (
            format!("Mailbox van {} ingelicht", session.team_name(team)),
            Vec::new(),
        ),
        CaseEvent::Viewed => ("Bekeken".into(), Vec::new()),
        CaseEvent::Exported { format } => {
            (format!("Audit-trail opgevraagd ({format})"), Vec::new())
        }
        CaseEvent::Claimed { assignee } => match actor {
            Some(actor) if entry.actor.as_ref().map(|a| &a.id) != Some(&assignee.id) => (
                format!("Toegewezen aan {} door {actor}", assignee.name),
                Vec::new(),
            ),
            _ => (format!("Opgepakt door {}", assignee.name), Vec::new()),
        },
        CaseEvent::ContactAttempt {
            channel,
            result,
            note,
            overrides,
            override_reason,
        } => {
            let mut details = Vec::new();
            if !overrides.is_empty() {
                let rules: Vec<&str> = overrides.iter().map(|r| r.label()).collect();
                details.push(format!("Tegen de voorkeur in: {}", rules.join(", ")));
                if let Some(reason) = override_reason {
                    details.push(format!("Waarom: {reason}"));
                }
            }
            if let Some(note) = note {
                details.push(format!("Notitie: {note}"));
            }
            (
                format!("Contactpoging: {} – {}", channel.label(), result.label()),
                details,
            )
        }
        CaseEvent::Note { text } => ("Notitie".into(), vec![text.clone()]),
        CaseEvent::MessageToAsker { text } => ("Antwoord op de website".into(), vec![text.clone()]),
        CaseEvent::MessageFromAsker { text, .. } => {
            ("Bericht van de vrager".into(), vec![text.clone()])
        }
        CaseEvent::StatusChanged { from, to } => (
            format!("Status: {} → {}", from.label(), to.label()),
            Vec::new(),
        ),
        CaseEvent::LegalHoldChanged { hold, reason } => (
            if *hold {
                "Bewaarplicht aangezet: niet verwijderen".into()
            } else {
                "Bewaarplicht eraf: de bewaartermijn loopt weer".into()
            },
            vec![format!("Waarom: {reason}")],
        ),
        CaseEvent::Transferred { from, to, reason } => (
            format!(
                "Overgedragen van {} naar {}",
                session.team_name(from),
                session.team_name(to)
            ),
            vec![format!("Waarom: {reason}")],
        ),
        CaseEvent::DisclosureMarked { disclosure } => (
            if *disclosure {
                "Gemarkeerd: signalen van mishandeling of gevaar".into()
            } else {
                "Markering signalen van mishandeling of gevaar weggehaald".into()
            },
            Vec::new(),
        ),
        CaseEvent::VeiligThuisRecorded { record } => (
            format!("{} (door {})", record.step.label(), record.by.name),
            std::iter::once(format!("Op {}", date_time(record.at)))
                .chain(record.note.iter().map(|n| format!("Afspraak: {n}")))
                .collect(),
        ),
        CaseEvent::CloseRequested { reason, text } => (
            format!("Afsluiten gevraagd: {}", reason.label()),
            vec![
                text.clone(),
                "Wacht op akkoord van een tweede collega.".into(),
            ],
        ),
        CaseEvent::Closed {
            reason,
            text,
            approved_by,
        } => (
            format!("Afgesloten: {}", reason.label()),
            std::iter::once(text.clone())
                .chain(
                    approved_by
                        .iter()
                        .map(|a| format!("Akkoord van {}", a.name)),
                )
                .collect(),
        ),
    }
}

/// The handling so far, newest first.
#[component]
pub fn History(entries: Vec<AuditEntry>) -> impl IntoView {
    let session = Session::use_context();
    let mut entries: Vec<AuditEntry> = entries
        .into_iter()
        .filter(|e| e.event.is_handling())
        .collect();
    entries.sort_by_key(|e| std::cmp::Reverse(e.seq));
    if entries.is_empty() {
        return view! { <p>"Nog niets gebeurd."</p> }.into_any();
    }
    view! {
        <ol class="history" reversed>
            {entries
                .into_iter()
                .map(|entry| {
                    let (what, details) = describe(&entry, session);
                    let overridden = matches!(
                        &entry.event, CaseEvent::ContactAttempt { overrides, .. } if !overrides.is_empty()
                    );
                    let who = entry.actor.as_ref().map(|a| a.name.clone()).unwrap_or_else(|| "Systeem".into());
                    view! {
                        <li class:override=overridden>
                            <p class="event">
                                {overridden.then(|| view! { <span class="badge late">"Tegen voorkeur"</span> " " })}
                                <strong>{what}</strong>
                            </p>
                            <p class="meta">{date_time(entry.at)} " · " {who}</p>
                            {details
                                .into_iter()
                                .map(|d| view! { <p class="detail">{d}</p> })
                                .collect_view()}
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
        .into_any()
}
