//! One report of this device, opened from the list: its state and its history with dates and
//! times (dd-mm-jjjj HH:MM, Europe/Amsterdam), each problem in words. No personal data. And
//! "Dit apparaat": the id an administrator needs to revoke this device.

use dioxus::prelude::*;
use meldcode::{Label, Lang};

use super::Ui;
use crate::state::{Action, Screen};
use crate::store::{HistoryEvent, HistoryItem};
use crate::texts::{C, T};

/// What happened, in words.
fn event_text(event: &HistoryEvent, lang: Lang) -> String {
    match event {
        HistoryEvent::Created => C::Created.label(lang).to_owned(),
        HistoryEvent::Queued => C::Queued.label(lang).to_owned(),
        HistoryEvent::AttemptFailed { problem, http_status } => {
            let code = http_status.map(|s| format!(" (HTTP {s})")).unwrap_or_default();
            format!("{}: {}{code}", C::AttemptFailed.label(lang), problem.label(lang))
        }
        HistoryEvent::Rejected { http_status } => {
            let code = http_status.map(|s| format!(" (HTTP {s})")).unwrap_or_default();
            format!("{}{code}", C::Rejected.label(lang))
        }
        HistoryEvent::Resent => C::Resent.label(lang).to_owned(),
        HistoryEvent::Lost { resent: true } => C::LostResent.label(lang).to_owned(),
        HistoryEvent::Lost { resent: false } => C::LostKept.label(lang).to_owned(),
        HistoryEvent::Accepted => C::Accepted.label(lang).to_owned(),
        HistoryEvent::Server(status) => format!("{}: {}", C::ServerStatus.label(lang), status.label(lang)),
        HistoryEvent::Wiped => C::Wiped.label(lang).to_owned(),
    }
}

fn event_class(event: &HistoryEvent) -> &'static str {
    match event {
        HistoryEvent::AttemptFailed { .. } | HistoryEvent::Rejected { .. } | HistoryEvent::Lost { .. } => {
            "event problem"
        }
        _ => "event",
    }
}

#[component]
pub fn ReportPage(id: uuid::Uuid) -> Element {
    let ui = use_context::<Ui>();
    let (lang, entry, history) = {
        let s = ui.state.read();
        let history: Option<Vec<HistoryItem>> = s
            .history
            .as_ref()
            .filter(|(shown, _)| *shown == id)
            .map(|(_, items)| items.clone());
        (s.lang, s.entry(id).cloned(), history)
    };
    let Some(entry) = entry else { return rsx! {} };
    let short = meldcode::intake::kenmerk(&id.to_string());
    rsx! {
        section { id: "report-page", class: "report-page",
            h1 { id: "report-title", tabindex: "-1",
                onmounted: move |e: MountedEvent| async move { let _ = e.set_focus(true).await; },
                "{C::ReportTitle.label(lang)} " code { "{short}" } }
            p { "{T::ColKind.label(lang)}: {entry.kind.label(lang)}" }
            p { id: "report-state", class: "status status-{entry.state.code()}", role: "status",
                "{T::StatusOfReport.label(lang)}: {entry.state.label(lang)}" }
            h2 { "{C::HistoryTitle.label(lang)}" }
            if let Some(items) = history {
                table { id: "report-history", class: "history",
                    thead { tr {
                        th { scope: "col", "{C::ColWhen.label(lang)}" }
                        th { scope: "col", "{C::ColWhat.label(lang)}" }
                    } }
                    tbody {
                        for (i, item) in items.iter().enumerate() {
                            tr { key: "{i}", class: event_class(&item.event),
                                td { time { datetime: "{item.at.to_rfc3339()}", "{meldcode::describe::local_time_seconds(item.at)}" } }
                                td { "{event_text(&item.event, lang)}" }
                            }
                        }
                    }
                }
            } else {
                p { role: "status", "{C::HistoryLoading.label(lang)}" }
            }
            div { class: "actions",
                button { id: "btn-report-status", r#type: "button", class: "secondary",
                    onclick: move |_| ui.send(Action::Go(Screen::Submitted(id))), "{C::StatusAndActions.label(lang)}" }
                button { id: "btn-report-list", r#type: "button", class: "primary",
                    onclick: move |_| ui.send(Action::Go(Screen::Reports)), "{C::BackToList.label(lang)}" }
            }
        }
    }
}

/// "Dit apparaat: …": the id the server gave this device at enrolment (`device list`), for the
/// administrator who must revoke a lost or stolen device.
#[component]
pub fn ThisDevice() -> Element {
    let ui = use_context::<Ui>();
    let (lang, device) = {
        let s = ui.state.read();
        (s.lang, s.device_id.clone())
    };
    let Some(device) = device else { return rsx! {} };
    rsx! {
        div { id: "this-device", class: "this-device",
            p { "{C::ThisDevice.label(lang)}: " code { id: "device-id", "{device}" } }
            p { class: "hint", "{C::ThisDeviceHint.label(lang)}" }
        }
    }
}
