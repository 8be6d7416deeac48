//! On every screen: 112, Veilig Thuis with its number, and quick hide; the 112 panel.

use dioxus::prelude::*;
use meldcode::texts::Ui as M;
use meldcode::{Label, Lang};

use super::Ui;
use crate::state::{Action, Panel, Screen};
use crate::texts::{P, T, VEILIG_THUIS_NUMBER};

#[component]
pub fn TopBar() -> Element {
    let ui = use_context::<Ui>();
    let (lang, enrolled, pharmacy, unsent) = {
        let s = ui.state.read();
        (
            s.lang,
            s.pharmacy.is_some(),
            s.pharmacy.clone().unwrap_or_default(),
            s.unsent(),
        )
    };
    let other = if lang == Lang::Nl { Lang::En } else { Lang::Nl };
    rsx! {
        header { class: "topbar",
            // Reachable by keyboard, never the first focus of a step (that is its heading).
            nav { class: "emergency", "aria-label": "{M::Call112.label(lang)}",
                button { id: "btn-112", r#type: "button", class: "btn-112",
                    onclick: move |_| ui.send(Action::Call112),
                    "{M::Call112.label(lang)}"
                }
                button { id: "btn-vt", r#type: "button", class: "btn-vt",
                    onclick: move |_| ui.send(Action::ShowVeiligThuis),
                    "{T::VeiligThuisShort.label(lang)}"
                }
                button { id: "btn-hide", r#type: "button", class: "btn-hide",
                    onclick: move |_| ui.send(Action::Hide),
                    "{T::Hide.label(lang)} (Esc)"
                }
            }
            if enrolled {
                nav { class: "places", "aria-label": "{T::Menu.label(lang)}",
                    span { class: "brand", "{pharmacy}" }
                    button { id: "nav-home", r#type: "button", class: "link", onclick: move |_| ui.send(Action::Go(Screen::Home)), "{T::Home.label(lang)}" }
                    button { id: "nav-reports", r#type: "button", class: "link", onclick: move |_| ui.send(Action::Go(Screen::Reports)),
                        "{T::Reports.label(lang)}"
                        if unsent > 0 {
                            span { class: "badge", " {unsent}" }
                        }
                    }
                    button { id: "nav-team", r#type: "button", class: "link", onclick: move |_| ui.send(Action::Go(Screen::Team)), "{T::TeamTitle.label(lang)}" }
                    button { id: "nav-lang", r#type: "button", class: "link", lang: other.code(), onclick: move |_| ui.send(Action::SetLang(other)), "{T::Language.label(lang)}" }
                }
            }
        }
    }
}

/// Opened by the 112 button: the number large and "112 gebeld?"; once answered, the recorded
/// time with "Ongedaan maken" for 10 s, and finishing or going on. Or Veilig Thuis' number.
#[component]
pub fn Panel112() -> Element {
    let ui = use_context::<Ui>();
    let (lang, panel, in_case, at_review, can_undo) = {
        let s = ui.state.read();
        let at_review = s
            .flow
            .as_ref()
            .is_some_and(|f| f.current() == meldcode::flow::Step::Review);
        (s.lang, s.panel, s.in_case(), at_review, s.can_undo_112())
    };
    // The undo button goes when its time is up.
    use_effect(use_reactive!(|can_undo| {
        if can_undo {
            spawn(async move {
                tokio::time::sleep(crate::state::UNDO_112.to_std().unwrap_or_default()).await;
                ui.send(Action::Tick(chrono::Utc::now()));
            });
        }
    }));
    let Some(panel) = panel else { return rsx! {} };
    // A practice run never dials: the same buttons and the same "112 gebeld?" (the reflex is what
    // is trained), no number to dial, and a line that says what you would do now.
    let practising = ui.state.read().practising();
    let dial = !practising && crate::platform::can_dial();
    if panel == Panel::VeiligThuis {
        return rsx! {
            section { id: "panel-vt", class: "panel-112 panel-vt", role: "dialog", "aria-labelledby": "panel-vt-title",
                h2 { id: "panel-vt-title", "{T::CallVeiligThuisTitle.label(lang)}" }
                if dial {
                    a { class: "big-number vt", href: "tel:08002000", "{VEILIG_THUIS_NUMBER}" }
                } else {
                    p { class: "big-number vt", "{VEILIG_THUIS_NUMBER}" }
                }
                if practising {
                    p { id: "practice-would", class: "practice-would", role: "status", "{P::WouldVeiligThuis.label(lang)}" }
                } else {
                    p { "{M::VeiligThuis.label(lang)}" }
                }
                div { class: "actions",
                    button { id: "btn-close-vt", r#type: "button", class: "primary", autofocus: true,
                        onclick: move |_| ui.send(Action::Close112), "{T::Close.label(lang)}" }
                }
            }
        };
    }
    let recorded = match panel {
        Panel::Called112 { at, .. } => Some(at),
        _ => None,
    };
    let (title, mark) = if practising {
        (
            format!("{} — {}", T::Call112Title.label(lang), P::NoCallInPractice.label(lang)),
            format!(" ({})", P::Mark.label(lang)),
        )
    } else {
        (T::Call112Title.label(lang).to_owned(), String::new())
    };
    rsx! {
        section { id: "panel-112", class: "panel-112", role: "alertdialog", "aria-labelledby": "panel-112-title",
            h2 { id: "panel-112-title", "{title}" }
            if dial {
                a { class: "big-number", href: "tel:112", "112" }
            } else {
                p { class: "big-number", "112" }
            }
            if practising {
                p { id: "practice-would", class: "practice-would", role: "status", "{P::Would112.label(lang)}" }
            } else {
                p { "{T::Call112Body.label(lang)}" }
            }
            if let Some(at) = recorded {
                p { class: "recorded", role: "status", "{M::Called112.label(lang)} {meldcode::describe::local_time(at)}{mark}" }
                // Once the undo has expired its button keeps its place, unseen: nothing below
                // it moves under a late tap.
                if can_undo {
                    button { id: "btn-undo-112", r#type: "button", class: "secondary",
                        onclick: move |_| ui.send(Action::Undo112(chrono::Utc::now())), "{T::Undo.label(lang)}" }
                } else {
                    button { id: "undo-112-spent", r#type: "button", class: "secondary spent", disabled: true,
                        tabindex: "-1", "aria-hidden": "true", "{T::Undo.label(lang)}" }
                }
            } else if in_case {
                p { class: "question", "{T::Called112Question.label(lang)}" }
            }
            if !practising {
                p { class: "vt-line", "{T::CallVeiligThuis.label(lang)}" }
            }
            div { class: "actions",
                if recorded.is_none() && in_case {
                    button { id: "btn-confirm-112", r#type: "button", class: "primary",
                        onclick: move |_| ui.send(Action::Confirm112(chrono::Utc::now())),
                        "{T::Called112Yes.label(lang)}"
                    }
                }
                if recorded.is_some() && in_case && !at_review {
                    button { id: "btn-stop-112", r#type: "button", class: "secondary",
                        onclick: move |_| ui.send(Action::Stop112(chrono::Utc::now())),
                        "{M::Stop112.label(lang)}"
                    }
                }
                button { id: "btn-close-112", r#type: "button", class: if recorded.is_none() && in_case { "secondary" } else { "primary" },
                    onclick: move |_| ui.send(Action::Close112),
                    if recorded.is_none() && in_case { "{T::NotCalled112.label(lang)}" } else { "{T::Close.label(lang)}" }
                }
            }
        }
    }
}

/// "Bel Veilig Thuis: 0800-2000", for every failure.
#[component]
pub fn CallVeiligThuis() -> Element {
    let ui = use_context::<Ui>();
    let lang = ui.state.read().lang;
    rsx! { p { class: "call-vt", role: "alert", "{T::CallVeiligThuis.label(lang)}" } }
}
