//! After submitting: the report's status; and the list of this device's reports by status,
//! without personal data.

use dioxus::prelude::*;
use meldcode::delivery::DeliveryProblem;
use meldcode::texts::{Ui as M, describe_error};
use meldcode::{Label, Lang};

use super::Ui;
use super::chrome::CallVeiligThuis;
use crate::state::{Action, Screen};
use crate::store::{LocalState, OutboxEntry};
use crate::texts::T;

/// One wording per state, from `meldcode`.
fn state_label(state: LocalState, lang: Lang) -> &'static str {
    state.label(lang)
}

/// Why it is not sent yet, in Dutch (a stored problem code).
fn problem_label(code: &str, lang: Lang) -> &'static str {
    DeliveryProblem::from_code(code).label(lang)
}

/// The server's reason for a rejection, in words (meldcode's texts for broken rules).
fn rejection_lines(e: &OutboxEntry, lang: Lang) -> Vec<String> {
    let Some(body) = &e.rejection else { return Vec::new() };
    if body.fields.is_empty() {
        vec![body.error.clone()]
    } else {
        body.fields.iter().map(|f| describe_error(f, lang)).collect()
    }
}

#[component]
pub fn Submitted(id: uuid::Uuid) -> Element {
    let ui = use_context::<Ui>();
    let (lang, entry, problem, overdue) = {
        let s = ui.state.read();
        let entry = s.entry(id).cloned();
        let overdue = entry
            .as_ref()
            .is_some_and(|e| e.needs_call(s.now, s.settings.ack_alert));
        (s.lang, entry, s.sync_problem.clone(), overdue)
    };
    let state = entry.as_ref().map_or(LocalState::Queued, |e| e.state);
    let failing = state == LocalState::Queued && entry.as_ref().is_some_and(|e| e.attempts > 0);
    let reasons = entry.as_ref().map(|e| rejection_lines(e, lang)).unwrap_or_default();
    let short = meldcode::intake::kenmerk(&id.to_string());
    rsx! {
        section { id: "submitted", class: "submitted",
            // The headline is the report's state: never "verstuurd" before the server accepted.
            h1 { id: "submitted-title", class: "status-{state.code()}", "{state_label(state, lang)}" }
            p { "{T::ColReference.label(lang)}: " code { "{short}" } }
            if let Some(e) = &entry {
                p { "{T::ColKind.label(lang)}: {e.kind.label(lang)}" super::practice::Mark { practice: e.practice } }
                if !e.kind.is_forwarded() {
                    p { class: "notice", "{M::CountOnly.label(lang)}" }
                }
            }
            p { id: "submitted-status", class: "status status-{state.code()}", role: "status",
                "{T::StatusOfReport.label(lang)}: {state_label(state, lang)}" }
            if failing {
                div { id: "not-sent", class: "problems", role: "alert",
                    p { "{T::NotSentYet.label(lang)}" }
                    if let Some(next) = entry.as_ref().and_then(|e| e.next_attempt_at) {
                        p { "{T::RetryAt.label(lang)}: {meldcode::describe::local_time(next)}" }
                    }
                    if let Some(p) = entry.as_ref().and_then(|e| e.last_error.clone()).or(problem) {
                        p { "{T::LastProblem.label(lang)}: {problem_label(&p, lang)}" }
                    }
                    RetryNow {}
                }
                CallVeiligThuis {}
            }
            if state == LocalState::Rejected {
                div { id: "rejected", class: "problems", role: "alert",
                    h2 { "{T::RejectedReason.label(lang)}" }
                    ul { for r in reasons { li { "{r}" } } }
                    p { "{T::RejectedKept.label(lang)}" }
                }
                CallVeiligThuis {}
                RejectedActions { id }
            }
            if state == LocalState::Lost {
                // The server no longer has it and it is too old to send again: call, then delete.
                div { id: "lost", class: "problems", role: "alert",
                    p { "{state_label(state, lang)}" }
                }
                CallVeiligThuis {}
                RejectedActions { id }
            }
            if overdue {
                p { class: "overdue", role: "alert", "{T::Overdue.label(lang)}" }
            }
            super::client::TurnToClient {}
            if entry.as_ref().is_some_and(|e| e.wiped) {
                p { class: "notice", "{T::Wiped.label(lang)}" }
            }
            div { class: "actions",
                button { id: "btn-home", r#type: "button", class: "primary", onclick: move |_| ui.send(Action::Go(Screen::Home)), "{T::Home.label(lang)}" }
                button { id: "btn-reports", r#type: "button", class: "secondary", onclick: move |_| ui.send(Action::Go(Screen::Reports)), "{T::Reports.label(lang)}" }
            }
        }
    }
}

#[component]
pub fn Reports() -> Element {
    let ui = use_context::<Ui>();
    let (lang, rows, unsent) = {
        let s = ui.state.read();
        let rows: Vec<(OutboxEntry, bool)> = s
            .reports
            .iter()
            .map(|e| (e.clone(), e.needs_call(s.now, s.settings.ack_alert)))
            .collect();
        (s.lang, rows, s.unsent())
    };
    rsx! {
        section { id: "reports", class: "reports",
            h1 { "{T::ReportsTitle.label(lang)}" }
            if unsent > 0 {
                div { id: "unsent", class: "problems", role: "status",
                    p { "{unsent} × {state_label(LocalState::Queued, lang)}" }
                    RetryNow {}
                }
            }
            if rows.is_empty() {
                p { "{T::NoReports.label(lang)}" }
            } else {
                table {
                    thead { tr {
                        th { scope: "col", "{T::ColReference.label(lang)}" }
                        th { scope: "col", "{T::ColKind.label(lang)}" }
                        th { scope: "col", "{T::ColWritten.label(lang)}" }
                        th { scope: "col", "{T::ColStatus.label(lang)}" }
                    } }
                    tbody {
                        for (e, overdue) in rows {
                            tr { key: "{e.id}", class: "status-{e.state.code()}",
                                td { button { r#type: "button", class: "link", id: "report-{e.id}",
                                    onclick: move |_| ui.send(Action::OpenReport(e.id)),
                                    code { {meldcode::intake::kenmerk(&e.id.to_string())} } } }
                                td { "{e.kind.label(lang)}" super::practice::Mark { practice: e.practice } }
                                td { "{meldcode::describe::local_time(e.queued_at)}" }
                                td {
                                    span { class: "status", "{state_label(e.state, lang)}" }
                                    if overdue {
                                        strong { class: "overdue", " — {T::Overdue.label(lang)}" }
                                    }
                                    if e.state == LocalState::Rejected {
                                        strong { class: "rejected-call", " — {T::RejectedCall.label(lang)}" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            super::report::ThisDevice {}
        }
    }
}

/// "Nu opnieuw proberen": send what waits, now.
#[component]
pub fn RetryNow() -> Element {
    let ui = use_context::<Ui>();
    let lang = ui.state.read().lang;
    rsx! {
        button { id: "btn-retry-now", r#type: "button", class: "secondary",
            onclick: move |_| ui.send(Action::RetryNow), "{T::RetryNow.label(lang)}" }
    }
}

/// Under a rejection (or a report the server lost): "Opnieuw versturen" when only the device's
/// clock was wrong and it is right now; "Verwijderen" behind the PIN.
#[component]
fn RejectedActions(id: uuid::Uuid) -> Element {
    let ui = use_context::<Ui>();
    let (lang, resend, wiped, delete) = {
        let s = ui.state.read();
        let entry = s.entry(id);
        let resend = entry.is_some_and(|e| e.can_resend(s.now));
        let wiped = entry.is_some_and(|e| e.wiped);
        let delete = s.delete.clone().filter(|d| d.id == id);
        (s.lang, resend, wiped, delete)
    };
    rsx! {
        if resend {
            p { class: "notice", "{T::ResendHint.label(lang)}" }
        }
        div { class: "actions",
            if resend {
                button { id: "btn-resend", r#type: "button", class: "primary",
                    onclick: move |_| ui.send(Action::Resend { id, now: chrono::Utc::now() }),
                    "{T::Resend.label(lang)}" }
            }
            if delete.is_none() && !wiped {
                button { id: "btn-delete", r#type: "button", class: "secondary",
                    onclick: move |_| ui.send(Action::AskDelete(id)), "{T::Delete.label(lang)}" }
            }
        }
        if let Some(d) = delete {
            form { id: "delete-form", class: "unlock",
                onsubmit: move |e: FormEvent| { e.prevent_default(); ui.send(Action::ConfirmDelete) },
                p { "{T::DeleteAsk.label(lang)}" }
                super::neutral::PinAttempt { id: "delete-pin", attempt: d.attempts,
                    on_input: move |v| ui.send(Action::DeletePinInput(v)) }
                button { id: "btn-delete-confirm", r#type: "submit", class: "secondary", "{T::DeleteConfirm.label(lang)}" }
                button { id: "btn-delete-cancel", r#type: "button", class: "link",
                    onclick: move |_| ui.send(Action::CancelDelete), "{T::Cancel.label(lang)}" }
                if d.error {
                    p { class: "error", role: "alert", "{T::PinWrong.label(lang)}" }
                }
            }
        }
    }
}
