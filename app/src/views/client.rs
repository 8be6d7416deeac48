//! The screen turned to the client: first the language, by its own name; then, in large type and
//! in that language, what happens next (`meldcode::client_screen`); another language is one
//! tap. One tap back; "Verbergen" (and Esc) still hides at once, always in sight. Offered only while [`AppState::client_offered`] holds.
//!
//! [`AppState::client_offered`]: crate::state::AppState::client_offered

use dioxus::prelude::*;
use meldcode::Label;
use meldcode::client_screen::{ClientLang, ClientScreen};
use meldcode::client_words::ltr_runs;

use super::Ui;
use crate::state::{Action, ClientAction};
use crate::texts::{C, T};

/// "Scherm naar cliënt draaien", where the client's screen may be offered.
#[component]
pub fn TurnToClient() -> Element {
    let ui = use_context::<Ui>();
    let (lang, offered) = {
        let s = ui.state.read();
        (s.lang, s.client_offered())
    };
    if !offered {
        return rsx! {};
    }
    rsx! {
        div { id: "turn-to-client", class: "turn-to-client",
            button { id: "btn-turn-to-client", r#type: "button", class: "secondary",
                onclick: move |_| ui.send(Action::Client(ClientAction::Turn)),
                "{C::TurnToClient.label(lang)}" }
            p { class: "hint", "{C::TurnHint.label(lang)}" }
        }
    }
}

/// The whole window while it is turned to the client: the language choice, or the client's
/// screen.
#[component]
pub fn ClientView(screen: Option<ClientScreen>) -> Element {
    let ui = use_context::<Ui>();
    let lang = ui.state.read().lang;
    let hide = rsx! {
        button { id: "btn-hide", r#type: "button", class: "btn-hide client-hide",
            onclick: move |_| ui.send(Action::Hide), "{T::Hide.label(lang)} (Esc)" }
    };
    let Some(screen) = screen else {
        return rsx! {
            section { id: "client-langs", class: "client client-langs", "aria-labelledby": "client-langs-title",
                div { class: "client-bar", {hide} }
                h1 { id: "client-langs-title", tabindex: "-1",
                    onmounted: move |e: MountedEvent| async move { let _ = e.set_focus(true).await; },
                    "{C::ChooseLang.label(lang)}" }
                ul { class: "client-lang-list",
                    for l in ClientLang::ALL {
                        li { key: "{l.code()}",
                            button { id: "client-lang-{l.code()}", r#type: "button", class: "client-lang",
                                lang: l.code(), dir: if l.rtl() { "rtl" } else { "ltr" },
                                onclick: move |_| ui.send(Action::Client(ClientAction::Lang(l))),
                                "{l.own_name()}" }
                        }
                    }
                }
                div { class: "actions",
                    button { id: "btn-client-back", r#type: "button", class: "primary",
                        onclick: move |_| ui.send(Action::Client(ClientAction::Back)), "{C::Back.label(lang)}" }
                }
            }
        };
    };
    let l = screen.lang;
    let dir = if l.rtl() { "rtl" } else { "ltr" };
    // Another language is one tap: each by its own name, in its own direction.
    let switch = rsx! {
        nav { class: "client-switch", "aria-label": "{C::ChooseLang.label(lang)}",
            for other in ClientLang::ALL.into_iter().filter(|o| *o != l) {
                button { key: "{other.code()}", id: "client-switch-{other.code()}", r#type: "button", class: "client-switch-lang",
                    lang: other.code(), dir: if other.rtl() { "rtl" } else { "ltr" },
                    onclick: move |_| ui.send(Action::Client(ClientAction::Lang(other))),
                    "{other.own_name()}" }
            }
        }
    };
    // The way back carries the pharmacist's word too, whatever the client reads.
    let back_nl = (l != ClientLang::Nl).then(|| C::Back.label(lang));
    rsx! {
        section { id: "client-screen", class: "client client-screen", lang: l.code(), dir,
            "aria-labelledby": "client-title",
            // The bar and the way back stay in sight; only the lines between them scroll.
            div { class: "client-bar", {switch} {hide} }
            div { id: "client-body", class: "client-body",
                h1 { id: "client-title", tabindex: "-1",
                    onmounted: move |e: MountedEvent| async move { let _ = e.set_focus(true).await; },
                    "{screen.title}" }
                ul { class: "client-lines",
                    for (i, line) in screen.lines.iter().enumerate() {
                        li { key: "{i}", {line_view(line, l.rtl())} }
                    }
                }
                if !l.reviewed() {
                    p { class: "not-reviewed", lang: "nl", dir: "ltr", "{C::NotReviewed.label(lang)}" }
                }
            }
            div { class: "actions",
                button { id: "btn-client-back", r#type: "button", class: "primary client-back",
                    onclick: move |_| ui.send(Action::Client(ClientAction::Back)),
                    "{screen.back}"
                    if let Some(nl) = back_nl {
                        // The separator belongs to the client's direction, the word to Dutch:
                        // "رجوع · Terug", never "· Terugرجوع".
                        span { class: "back-nl", " · ",
                            span { lang: "nl", dir: "ltr", "{nl}" }
                        }
                    }
                }
            }
        }
    }
}

/// A line of the client's screen. In a right-to-left language, numbers, times and Latin names
/// are isolated left to right, so that "06-12345678" keeps its order.
fn line_view(line: &str, rtl: bool) -> Element {
    if !rtl {
        return rsx! { "{line}" };
    }
    rsx! {
        for (ltr, part) in ltr_runs(line) {
            if ltr {
                bdi { dir: "ltr", "{part}" }
            } else {
                "{part}"
            }
        }
    }
}
