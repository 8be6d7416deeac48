//! Oefenmodus on screen: the "OEFENING" banner, the scenario picker with the practice history,
//! the 112 / Veilig Thuis panel that never dials, the feedback at the end, and the "Wat doe ik
//! nu?" card. Thin, like every view: the rules are in `state::practice` and `meldcode::practice`.

use dioxus::prelude::*;
use meldcode::practice::ScenarioId;
use meldcode::texts::FirstSeconds;
use meldcode::{Label, Lang};

use super::Ui;
use crate::state::{Action, PracticeAction, Screen};
use crate::texts::{P, T};

/// A screen opens at the top with the focus on its heading.
fn use_focus_heading(id: &'static str) {
    use_effect(move || {
        document::eval(&format!(
            "window.scrollTo(0, 0); const h = document.getElementById('{id}'); if (h) {{ h.focus({{ preventScroll: true }}); }}"
        ));
    });
}

/// On every screen while practising (the neutral screen too): the words, and a frame around
/// the window that stays in view while scrolling. On the neutral screen only the word
/// "OEFENING": nothing there may hint at a request for help.
#[component]
pub fn Banner(neutral: bool) -> Element {
    let ui = use_context::<Ui>();
    let (lang, scenario) = {
        let s = ui.state.read();
        (s.lang, s.practice.run.as_ref().map(|r| r.scenario))
    };
    rsx! {
        div { id: "practice-banner", class: "practice-banner", role: "note",
            strong { "{P::Banner.label(lang)}" }
            if !neutral {
                span { " — {P::BannerDetail.label(lang)}" }
                // The situation stays in sight for the whole run.
                if let Some(id) = scenario {
                    p { id: "practice-situation", class: "practice-situation",
                        strong { "{id.label(lang)}: " } "{id.situation(lang)}" }
                }
            }
        }
        div { class: "practice-frame", "aria-hidden": "true" }
    }
}

/// On the home screen, one tap each: the picker and the first-30-seconds card.
#[component]
pub fn HomeButtons() -> Element {
    let ui = use_context::<Ui>();
    let lang = ui.state.read().lang;
    rsx! {
        div { class: "home-practice",
            button { id: "btn-first-seconds", r#type: "button", class: "secondary first-seconds",
                onclick: move |_| ui.send(Action::Go(Screen::FirstSeconds)), "{P::FirstSeconds.label(lang)}" }
            button { id: "btn-practise", r#type: "button", class: "secondary",
                onclick: move |_| ui.send(Action::Practice(PracticeAction::Open)), "{P::Practise.label(lang)}" }
        }
    }
}

/// On the home screen during a run (instead of the real draft's "Weggooien"): go on or stop.
#[component]
pub fn HomeNotice() -> Element {
    let ui = use_context::<Ui>();
    let (lang, keeps) = {
        let s = ui.state.read();
        (s.lang, s.practice.run.as_ref().is_some_and(|r| r.keeps_real_case()))
    };
    rsx! {
        div { id: "practice-home", class: "notice",
            if keeps {
                p { "{P::RealDraftKept.label(lang)}" }
            }
            div { class: "actions",
                button { id: "btn-practice-continue", r#type: "button", class: "primary",
                    onclick: move |_| ui.send(Action::Go(Screen::Procedure)), "{P::Continue.label(lang)}" }
                StopButton {}
            }
        }
    }
}

#[component]
fn StopButton() -> Element {
    let ui = use_context::<Ui>();
    let lang = ui.state.read().lang;
    rsx! {
        button { id: "btn-practice-stop", r#type: "button", class: "secondary",
            onclick: move |_| ui.send(Action::Practice(PracticeAction::Stop)), "{P::Stop.label(lang)}" }
    }
}

/// The scenario picker, "Wie oefent?" and the history.
#[component]
pub fn Picker() -> Element {
    use_focus_heading("practice-title");
    let ui = use_context::<Ui>();
    let (lang, team, staff, practising) = {
        let s = ui.state.read();
        let team: Vec<String> = s.staff.iter().map(|m| m.name.clone()).collect();
        (s.lang, team, s.practice.staff.clone(), s.practising())
    };
    rsx! {
        section { id: "practice", class: "practice",
            h1 { id: "practice-title", tabindex: "-1", "{P::PickerTitle.label(lang)}" }
            p { class: "hint", "{P::PickerIntro.label(lang)}" }
            if practising {
                StopButton {}
            }
            if !team.is_empty() {
                div { class: "options", role: "radiogroup", "aria-label": "{P::WhoPractises.label(lang)}",
                    h2 { class: "question", "{P::WhoPractises.label(lang)}" }
                    for (i, name) in team.into_iter().enumerate() {
                        StaffOption { key: "{i}", i, name: Some(name), picked: staff.clone() }
                    }
                    StaffOption { i: usize::MAX, name: None, picked: staff.clone() }
                }
            }
            ol { class: "scenarios",
                for id in ScenarioId::ALL {
                    li { key: "{id.code()}", class: "scenario card", id: "scenario-{id.code()}",
                        h2 { "{id.label(lang)}" }
                        p { "{id.situation(lang)}" }
                        button { id: "practise-{id.code()}", r#type: "button", class: "primary",
                            onclick: move |_| ui.send(Action::Practice(PracticeAction::Start {
                                scenario: id, id: uuid::Uuid::new_v4(), now: chrono::Utc::now() })),
                            "{P::StartScenario.label(lang)}" }
                    }
                }
            }
            History {}
        }
    }
}

#[component]
fn StaffOption(i: usize, name: Option<String>, picked: Option<String>) -> Element {
    let ui = use_context::<Ui>();
    let lang = ui.state.read().lang;
    let on = picked == name;
    let label = name.clone().unwrap_or_else(|| P::NoProfile.label(lang).to_owned());
    let id = if name.is_some() {
        format!("practice-staff-{i}")
    } else {
        "practice-staff-none".into()
    };
    rsx! {
        button { id: "{id}", r#type: "button", role: "radio",
            class: if on { "option selected" } else { "option" },
            "aria-checked": if on { "true" } else { "false" },
            onclick: move |_| ui.send(Action::Practice(PracticeAction::Staff(name.clone()))), "{label}" }
    }
}

/// The practice history per staff profile: no personal data.
#[component]
fn History() -> Element {
    let ui = use_context::<Ui>();
    let (lang, rows) = {
        let s = ui.state.read();
        (s.lang, s.practice.history.clone())
    };
    rsx! {
        section { id: "practice-history",
            h2 { "{P::HistoryTitle.label(lang)}" }
            if rows.is_empty() {
                p { "{P::HistoryEmpty.label(lang)}" }
            } else {
                table {
                    thead { tr {
                        th { scope: "col", "{P::ColStaff.label(lang)}" }
                        th { scope: "col", "{P::ColScenario.label(lang)}" }
                        th { scope: "col", "{P::ColDate.label(lang)}" }
                        th { scope: "col", "{P::ColTime.label(lang)}" }
                        th { scope: "col", "{P::ColRight.label(lang)}" }
                        th { scope: "col", "{P::ColDiffered.label(lang)}" }
                    } }
                    tbody {
                        for (i, r) in rows.into_iter().enumerate() {
                            tr { key: "{i}",
                                td { "{r.staff.clone().unwrap_or_else(|| P::NoProfile.label(lang).to_owned())}" }
                                td { "{r.scenario.label(lang)}" }
                                td { "{meldcode::describe::local_time(r.finished_at)}" }
                                td { "{r.seconds_taken / 60} min {r.seconds_taken % 60:02} s" }
                                td { "{r.right}" }
                                td { "{r.differed}" }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The feedback at the end of a run, from `meldcode::practice::feedback`.
#[component]
pub fn Feedback() -> Element {
    use_focus_heading("feedback-title");
    let ui = use_context::<Ui>();
    let (lang, result) = {
        let s = ui.state.read();
        (s.lang, s.practice.result.clone())
    };
    let Some(result) = result else { return rsx! {} };
    let f = result.feedback;
    let right: Vec<String> = f.right.iter().map(|r| r.text(lang)).collect();
    let differed: Vec<(String, &'static str)> = f
        .differed
        .iter()
        .map(|d| (d.what.text(lang), d.why.label(lang)))
        .collect();
    rsx! {
        section { id: "practice-feedback", class: "practice-feedback",
            h1 { id: "feedback-title", tabindex: "-1", "{P::FeedbackTitle.label(lang)}" }
            p { class: "kind", strong { "{f.scenario.label(lang)}" } }
            p { id: "feedback-time", "{f.time_text(lang)}" }
            if f.all_right() {
                p { id: "feedback-all-right", class: "notice", "{P::AllRight.label(lang)}" }
            }
            if !differed.is_empty() {
                section { id: "feedback-differed", class: "differed",
                    h2 { "{P::Differed.label(lang)}" }
                    ul {
                        for (i, (what, why)) in differed.into_iter().enumerate() {
                            li { key: "{i}", p { strong { "{what}" } } p { "{P::Why.label(lang)}: {why}" } }
                        }
                    }
                }
            }
            section { id: "feedback-right", class: "right",
                h2 { "{P::Right.label(lang)}" }
                ul { for (i, r) in right.into_iter().enumerate() { li { key: "{i}", "{r}" } } }
            }
            p { class: "hint", "{P::FeedbackSentNote.label(lang)}" }
            div { class: "actions",
                button { id: "btn-practise-again", r#type: "button", class: "primary",
                    onclick: move |_| ui.send(Action::Practice(PracticeAction::Open)), "{P::Again.label(lang)}" }
                button { id: "btn-home", r#type: "button", class: "secondary",
                    onclick: move |_| ui.send(Action::Go(Screen::Home)), "{T::Home.label(lang)}" }
            }
        }
    }
}

/// "Wat doe ik nu?": the first 30 seconds at the counter.
#[component]
pub fn FirstSecondsCard() -> Element {
    use_focus_heading("first-seconds-title");
    let ui = use_context::<Ui>();
    let lang = ui.state.read().lang;
    rsx! {
        section { id: "first-seconds", class: "first-seconds-card card",
            h1 { id: "first-seconds-title", tabindex: "-1", "{FirstSeconds::Title.label(lang)}" }
            p { class: "hint", "{FirstSeconds::Intro.label(lang)}" }
            ol {
                for (i, line) in FirstSeconds::STEPS.into_iter().enumerate() {
                    li { key: "{i}", "{line.label(lang)}" }
                }
            }
            div { class: "actions",
                button { id: "btn-home", r#type: "button", class: "primary",
                    onclick: move |_| ui.send(Action::Go(Screen::Home)), "{T::Home.label(lang)}" }
            }
        }
    }
}

/// On the Team screen, beside a staff member: how often they practised on this device, and when
/// last.
#[component]
pub fn StaffPracticed(name: String) -> Element {
    let ui = use_context::<Ui>();
    let (lang, runs, last) = {
        let s = ui.state.read();
        let mine: Vec<_> = s
            .practice
            .history
            .iter()
            .filter(|r| r.staff.as_deref() == Some(&name))
            .collect();
        (s.lang, mine.len(), mine.first().map(|r| r.finished_at))
    };
    let Some(last) = last else { return rsx! {} };
    let date = last.with_timezone(&meldcode::TIME_ZONE).format("%d-%m-%Y").to_string();
    rsx! { span { class: "staff-practised", " · {P::Practised.label(lang)}: {runs}× ({P::Last.label(lang)} {date})" } }
}

/// "Oefening" beside a report in the device's lists.
#[component]
pub fn Mark(practice: bool) -> Element {
    let ui = use_context::<Ui>();
    let lang: Lang = ui.state.read().lang;
    if !practice {
        return rsx! {};
    }
    rsx! { span { class: "practice-mark", " {P::Mark.label(lang)}" } }
}
