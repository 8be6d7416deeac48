//! The review step: exactly what will be sent, as `meldcode::describe` labels it.

use dioxus::prelude::*;
use meldcode::Label;
use meldcode::texts::{Ui as M, describe_error};

use super::Ui;
use crate::state::Action;
use crate::texts::T;

#[component]
pub fn Review() -> Element {
    let ui = use_context::<Ui>();
    let s = ui.state.read();
    let Some(flow) = s.flow.as_ref() else { return rsx! {} };
    let lang = s.lang;
    let report = flow.to_report(chrono::Utc::now());
    drop(s);
    let report = match report {
        Ok(r) => r,
        Err(errors) => {
            return rsx! {
                div { class: "problems", role: "alert",
                    ul { for e in errors { li { "{describe_error(&e, lang)}" } } }
                }
            };
        }
    };
    let sections = meldcode::describe::describe(&report, lang);
    let counting = !report.kind.is_forwarded();
    rsx! {
        div { id: "review", class: "review",
            p { class: "intro", "{T::ReviewIntro.label(lang)}" }
            super::client::TurnToClient {}
            p { class: "kind", strong { "{M::Decision.label(lang)}: " } "{report.kind.label(lang)}" }
            if counting {
                p { class: "notice", "{M::CountOnly.label(lang)}" }
            }
            for section in sections {
                section { key: "{section.step.code()}", class: "review-section",
                    div { class: "review-head",
                        h2 { "{section.title}" }
                        button { r#type: "button", class: "link", id: "edit-{section.step.code()}",
                            onclick: move |_| ui.send(Action::GoTo(section.step)),
                            "{M::Edit.label(lang)}" }
                    }
                    dl {
                        for (i, row) in section.rows.into_iter().enumerate() {
                            div { key: "{i}", class: if row.prominent { "row prominent" } else { "row" },
                                dt { "{row.label}" }
                                dd { "{row.value}" }
                            }
                        }
                    }
                }
            }
        }
    }
}
