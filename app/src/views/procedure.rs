//! The procedure: one step per screen, with its progress, its questions, what keeps it from
//! moving on, and back/forward. The review step is in [`super::review`].

use dioxus::prelude::*;
use meldcode::Label;
use meldcode::flow::Step;
use meldcode::texts::{Ui as M, describe_error};

use super::Ui;
use super::fields::Field;
use crate::state::Action;
use crate::texts::T;

/// To the top, focus on the step's heading.
const FOCUS_HEADING: &str = "window.scrollTo(0, 0); const h = document.getElementById('step-title'); if (h) { h.focus({ preventScroll: true }); }";

/// The client is accompanied: keep the screen neutral.
#[component]
fn Accompanied() -> Element {
    let ui = use_context::<Ui>();
    let lang = ui.state.read().lang;
    rsx! {
        aside { id: "accompanied", class: "accompanied",
            h2 { "{T::AccompaniedTitle.label(lang)}" }
            p { "{T::AccompaniedBody.label(lang)}" }
            button { id: "btn-hide-until-left", r#type: "button", class: "secondary",
                onclick: move |_| ui.send(Action::Hide), "{T::HideUntilLeft.label(lang)}" }
        }
    }
}

#[component]
pub fn Procedure() -> Element {
    let ui = use_context::<Ui>();
    // Each step opens at the top with the focus on its heading (never on 112): Tab goes on to
    // its first answer. (A hook: before any early return.)
    let opened = ui.state.read().flow.as_ref().map(|f| f.current());
    use_effect(use_reactive!(|opened| {
        let _ = opened;
        document::eval(FOCUS_HEADING);
    }));
    let s = ui.state.read();
    let Some(flow) = s.flow.as_ref() else { return rsx! {} };
    let lang = s.lang;
    let step = flow.current();
    let progress = meldcode::progress::Progress::of(flow);
    let pos = progress.number;
    let questions = flow.questions();
    let accompanied = flow.draft.accompanied == Some(true) && step >= Step::Accompanied;
    // Boxes that appear after an answer have their room kept from the start, so that nothing
    // moves under the finger.
    let accompanied_slot = step == Step::Accompanied;
    let called = flow.draft.acute_112_at;
    let needs_112 = step == Step::Acute && flow.draft.acute_danger == Some(true) && called.is_none();
    let advice_slot = step >= Step::Suspicion && step <= Step::Outcome;
    let recommendation = advice_slot.then(|| flow.recommendation()).flatten();
    let stopped = flow.is_stopped_at_112();
    let restored = s.restored;
    let save_error = s.save_error;
    let not_stored = s.not_stored;
    let general: Vec<String> = s
        .problems
        .iter()
        .filter(|p| meldcode::flow::Question::at_pointer(&p.path).is_none_or(|q| !questions.contains(&q)))
        .map(|p| describe_error(p, lang))
        .collect();
    let review = step == Step::Review;
    let drawn = s.fields_drawn;
    drop(s);
    rsx! {
        section { id: "step-{step.code()}", class: "procedure",
            div { class: "progress",
                label { r#for: "progress-bar", "{M::StepOf.label(lang)} {pos}" }
                progress { id: "progress-bar", max: "{progress.max}", value: "{progress.value}", "aria-label": "{T::Progress.label(lang)}" }
            }
            h1 { id: "step-title", tabindex: "-1", "{step.label(lang)}" }
            if restored {
                p { class: "notice", role: "status", "{T::Restored.label(lang)}" }
            }
            if not_stored {
                p { id: "not-stored", class: "error", role: "alert", "{T::NotStored.label(lang)}" }
            }
            if save_error {
                p { class: "error", role: "alert", "{T::SaveError.label(lang)}" }
            }
            if let Some(at) = called {
                p { class: "recorded", "{M::Called112.label(lang)} {meldcode::describe::local_time(at)}" }
            }
            if accompanied && !accompanied_slot {
                Accompanied {}
            }
            if needs_112 {
                div { class: "urgent", role: "alert",
                    p { "{M::Call112First.label(lang)}" }
                    button { id: "btn-112-inline", r#type: "button", class: "btn-112",
                        onclick: move |_| ui.send(Action::Call112), "{M::Call112.label(lang)}" }
                }
            }
            if stopped {
                div { class: "notice",
                    p { "{M::Stopped112.label(lang)}" }
                    button { id: "btn-resume", r#type: "button", class: "secondary",
                        onclick: move |_| ui.send(Action::Resume), "{M::Resume.label(lang)}" }
                }
            }
            if step == Step::Reporter {
                super::team::WhoAreYou {}
            }
            if review {
                super::review::Review {}
            } else {
                for q in questions {
                    Field { key: "{q.code()}-{drawn}", q }
                }
                p { class: "hint", "{T::RequiredNote.label(lang)}" }
            }
            if accompanied_slot {
                div { id: "accompanied-slot", class: "slot slot-accompanied",
                    if accompanied {
                        Accompanied {}
                    }
                }
            }
            if advice_slot {
                div { id: "advice-slot", class: "slot slot-advice", "aria-live": "polite",
                    if let Some(rec) = recommendation {
                        aside { id: "recommendation", class: "recommendation",
                            h2 { "{M::Recommendation.label(lang)}: {rec.kind.label(lang)}" }
                            p { strong { "{T::Because.label(lang)}: " } "{rec.reason.label(lang)}" }
                        }
                    }
                }
            }
            if !general.is_empty() {
                div { class: "problems", role: "alert",
                    h2 { "{T::Problems.label(lang)}" }
                    ul { for g in general { li { "{g}" } } }
                }
            }
            nav { class: "stepnav",
                button { id: "btn-back", r#type: "button", class: "secondary", disabled: pos == 1 && !stopped,
                    onclick: move |_| ui.send(Action::Back), "{M::Back.label(lang)}" }
                if review {
                    button { id: "btn-submit", r#type: "button", class: "primary",
                        onclick: move |_| ui.send(Action::Submit(chrono::Utc::now())), "{M::Submit.label(lang)}" }
                } else {
                    button { id: "btn-next", r#type: "button", class: "primary",
                        onclick: move |_| ui.send(Action::Next(chrono::Utc::now())), "{M::Next.label(lang)}" }
                }
            }
        }
    }
}
