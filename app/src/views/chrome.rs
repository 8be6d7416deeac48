//! On every screen: 112, Veilig Thuis with its number, and quick hide; the 112 panel.

use dioxus::prelude::*;
use meldcode::texts::Ui as M;
use meldcode::{Label, Lang};

use super::Ui;
use crate::state::{Action, Screen};
use crate::texts::T;

#[component]
pub fn TopBar() -> Element {
    let ui = use_context::<Ui>();
    let (lang, enrolled, pharmacy) = {
        let s = ui.state.read();
        (s.lang, s.pharmacy.is_some(), s.pharmacy.clone().unwrap_or_default())
    };
    let other = if lang == Lang::Nl { Lang::En } else { Lang::Nl };
    let dial = crate::platform::can_dial();
    rsx! {
        header { class: "topbar",
            nav { class: "emergency", "aria-label": "{M::Call112.label(lang)}",
                button { id: "btn-112", r#type: "button", class: "btn-112",
                    onclick: move |_| ui.send(Action::Call112(chrono::Utc::now())),
                    "{M::Call112.label(lang)}"
                }
                if dial {
                    a { id: "btn-vt", class: "btn-vt", href: "tel:08002000", "{T::VeiligThuisShort.label(lang)}" }
                } else {
                    span { id: "btn-vt", class: "btn-vt", role: "note", "{T::VeiligThuisShort.label(lang)}" }
                }
                button { id: "btn-hide", r#type: "button", class: "btn-hide", title: "{T::HideHint.label(lang)}",
                    onclick: move |_| ui.send(Action::Hide),
                    "{T::Hide.label(lang)} (Esc)"
                }
            }
            if enrolled {
                nav { class: "places", "aria-label": "{T::AppName.label(lang)}",
                    span { class: "brand", "{T::AppName.label(lang)}" span { class: "pharmacy", " · {pharmacy}" } }
                    button { id: "nav-home", r#type: "button", class: "link", onclick: move |_| ui.send(Action::Go(Screen::Home)), "{T::Home.label(lang)}" }
                    button { id: "nav-reports", r#type: "button", class: "link", onclick: move |_| ui.send(Action::Go(Screen::Reports)), "{T::Reports.label(lang)}" }
                    button { id: "nav-lang", r#type: "button", class: "link", lang: other.code(), onclick: move |_| ui.send(Action::SetLang(other)), "{T::Language.label(lang)}" }
                }
            }
        }
    }
}

/// Opened by the 112 button: the number, the recorded time, and finishing or going on.
#[component]
pub fn Panel112() -> Element {
    let ui = use_context::<Ui>();
    let (lang, panel, in_flow, at_review) = {
        let s = ui.state.read();
        let at_review = s
            .flow
            .as_ref()
            .is_some_and(|f| f.current() == meldcode::flow::Step::Review);
        (s.lang, s.panel_112, s.flow.is_some(), at_review)
    };
    let Some(recorded) = panel else { return rsx! {} };
    let dial = crate::platform::can_dial();
    rsx! {
        section { id: "panel-112", class: "panel-112", role: "alertdialog", "aria-labelledby": "panel-112-title",
            h2 { id: "panel-112-title", "{T::Call112Title.label(lang)}" }
            if dial {
                a { class: "big-number", href: "tel:112", "112" }
            } else {
                p { class: "big-number", "112" }
            }
            p { "{T::Call112Body.label(lang)}" }
            if let Some(at) = recorded {
                p { class: "recorded", "{M::Called112.label(lang)} {meldcode::describe::local_time(at)}" }
            }
            p { class: "vt-line", "{T::CallVeiligThuis.label(lang)}" }
            div { class: "actions",
                if in_flow && !at_review {
                    button { id: "btn-stop-112", r#type: "button", class: "secondary",
                        onclick: move |_| ui.send(Action::Stop112(chrono::Utc::now())),
                        "{M::Stop112.label(lang)}"
                    }
                }
                button { id: "btn-close-112", r#type: "button", class: "primary",
                    onclick: move |_| ui.send(Action::Close112),
                    "{T::Close.label(lang)}"
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
