//! The pharmacy team on this device, and "Wie bent u?" on the reporter step.

use dioxus::prelude::*;
use meldcode::dates::Reachable;
use meldcode::{Label, ReporterRole};

use super::Ui;
use crate::state::{Action, Screen};
use crate::texts::T;

const ROLES: [ReporterRole; 2] = [ReporterRole::Pharmacist, ReporterRole::Assistant];

#[component]
pub fn Team() -> Element {
    let ui = use_context::<Ui>();
    let (lang, team, form, closing) = {
        let s = ui.state.read();
        (s.lang, s.staff.clone(), s.staff_form.clone(), s.closing)
    };
    let added = form.added;
    rsx! {
        section { id: "team", class: "team",
            h1 { id: "team-title", "{T::TeamTitle.label(lang)}" }
            p { class: "hint", "{T::TeamIntro.label(lang)}" }
            if !team.is_empty() {
                ul { class: "team-list",
                    for (i, m) in team.into_iter().enumerate() {
                        li { key: "{i}-{m.name}",
                            span { strong { "{m.name}" } " · {m.role.label(lang)} · {m.phone} · {m.reachable.label(closing, lang)}"
                                super::practice::StaffPracticed { name: m.name.clone() } }
                            button { id: "staff-remove-{i}", r#type: "button", class: "link",
                                onclick: move |_| ui.send(Action::RemoveStaff(i)), "{T::Remove.label(lang)}" }
                        }
                    }
                }
            }
            // The form is new for the next member (a list of one: Dioxus keys only a block's first node).
            for added in [added] {
                form { id: "staff-form", class: "card", key: "{added}",
                    onsubmit: move |e: FormEvent| { e.prevent_default(); ui.send(Action::AddStaff) },
                    h2 { "{T::TeamAdd.label(lang)}" }
                    label { r#for: "staff-name", "{T::StaffName.label(lang)}" }
                    input { id: "staff-name", r#type: "text", autocomplete: "off",
                        oninput: move |e: FormEvent| ui.send(Action::StaffName(e.value())) }
                    div { class: "options", role: "radiogroup", "aria-label": "{T::StaffRole.label(lang)}",
                        for (i, r) in ROLES.into_iter().enumerate() {
                            button { key: "{i}", id: "staff-role-{i}", r#type: "button", role: "radio",
                                class: if form.role == Some(r) { "option selected" } else { "option" },
                                "aria-checked": if form.role == Some(r) { "true" } else { "false" },
                                onclick: move |_| ui.send(Action::StaffRole(r)), "{r.label(lang)}" }
                        }
                    }
                    label { r#for: "staff-phone", "{T::StaffPhone.label(lang)}" }
                    input { id: "staff-phone", r#type: "tel", inputmode: "tel", autocomplete: "off",
                        oninput: move |e: FormEvent| ui.send(Action::StaffPhone(e.value())) }
                    div { class: "options", role: "radiogroup", "aria-label": "{T::StaffReachable.label(lang)}",
                        for r in Reachable::ALL {
                            button { key: "{r.code()}", id: "staff-reachable-{r.code()}", r#type: "button", role: "radio",
                                class: if form.reachable == r { "option selected" } else { "option" },
                                "aria-checked": if form.reachable == r { "true" } else { "false" },
                                onclick: move |_| ui.send(Action::StaffReachable(r)), "{r.label(closing, lang)}" }
                        }
                    }
                    for p in form.problems.clone() {
                        p { class: "error", role: "alert", "{p.label(lang)}" }
                    }
                    button { id: "btn-staff-add", r#type: "submit", class: "primary", "{T::TeamAdd.label(lang)}" }
                }
            }
        }
    }
}

/// "Wie bent u?": one tap fills the reporter.
#[component]
pub fn WhoAreYou() -> Element {
    let ui = use_context::<Ui>();
    let (lang, team) = {
        let s = ui.state.read();
        (s.lang, s.staff.clone())
    };
    if team.is_empty() {
        return rsx! {
            div { id: "no-team", class: "notice",
                p { "{T::NoTeamYet.label(lang)}" }
                button { id: "btn-set-up-team", r#type: "button", class: "secondary",
                    onclick: move |_| ui.send(Action::Go(Screen::Team)), "{T::SetUpTeam.label(lang)}" }
            }
        };
    }
    rsx! {
        div { id: "who-are-you", class: "field",
            h2 { class: "question", "{T::WhoAreYou.label(lang)}" }
            div { class: "options",
                for (i, m) in team.into_iter().enumerate() {
                    button { key: "{i}", id: "staff-{i}", r#type: "button", class: "option",
                        onclick: move |_| ui.send(Action::PickStaff(i)),
                        "{m.name} ({m.role.label(lang)})" }
                }
            }
        }
    }
}
