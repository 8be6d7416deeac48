//! Thin Dioxus views: each renders the [`AppState`] it is given and sends [`Action`]s back
//! through [`Ui`]. No rule, text or IO lives here.

mod chrome;
mod client;
mod fields;
pub mod fonts;
mod home;
mod neutral;
mod practice;
mod procedure;
mod report;
mod reports;
mod review;
mod team;

use dioxus::prelude::*;
use meldcode::Label;

use crate::state::{Action, AppState, Effect, Screen};
use crate::texts::T;

/// The stylesheet, compiled in (a binary run outside `dx` gets no `asset!()`): the app's, then
/// the client's screen's and the report page's.
pub const CSS: &str = concat!(
    include_str!("../../assets/app.css"),
    include_str!("../../assets/client.css")
);

/// The state and the way back: views send actions; effects go to the runtime (none in tests).
#[derive(Clone, Copy)]
pub struct Ui {
    pub state: Signal<AppState>,
    pub effects: Option<Callback<Effect>>,
}

impl Ui {
    pub fn send(&self, action: Action) {
        let mut state = self.state;
        let effects = state.write().update(action);
        if let Some(cb) = self.effects {
            for e in effects {
                cb.call(e);
            }
        }
    }

    pub fn t(&self, t: T) -> &'static str {
        t.label(self.state.read().lang)
    }
}

/// Everything on screen: the neutral screen when hidden, else the emergency bar and the screen.
#[component]
pub fn Shell() -> Element {
    let ui = use_context::<Ui>();
    if let Some(why) = ui.state.read().unavailable.clone() {
        let lang = ui.state.read().lang;
        return rsx! {
            document::Title { "{crate::texts::WINDOW_TITLE}" }
            document::Style { {CSS} }
            main { id: "unavailable", class: "content unavailable",
                p { class: "big-number", "112" }
                p { class: "big-number vt", "0800-2000" }
                p { role: "alert", "{T::Unavailable.label(lang)}" }
                p { class: "hint", "{T::UnavailableWhy.label(lang)}: {why}" }
            }
        };
    }
    let (hidden, screen, lang, practice, turned, notice) = {
        let s = ui.state.read();
        (
            s.hidden,
            s.screen,
            s.lang,
            s.practice_banner(),
            s.client_on_screen(),
            s.unlock_notice,
        )
    };
    if hidden {
        return rsx! {
            document::Title { "{crate::texts::WINDOW_TITLE}" }
            document::Style { {CSS} }
            if practice {
                practice::Banner { neutral: true }
            }
            neutral::Neutral {}
        };
    }
    if let Some(screen) = turned {
        return rsx! {
            document::Title { "{crate::texts::WINDOW_TITLE}" }
            document::Style { {CSS} }
            document::Style { {fonts::FONTS_CSS.as_str()} }
            if practice {
                practice::Banner { neutral: false }
            }
            client::ClientView { screen }
        };
    }
    rsx! {
        document::Title { "{crate::texts::WINDOW_TITLE}" }
        document::Style { {CSS} }
        div { class: "app", lang: lang.code(),
            if practice {
                practice::Banner { neutral: false }
            }
            chrome::TopBar {}
            chrome::Panel112 {}
            main { id: "main", class: "content",
                if let Some(attempts) = notice {
                    p { id: "unlock-notice", class: "notice", role: "status",
                        "{crate::texts::failed_attempts(lang, attempts)}" }
                }
                match screen {
                    Screen::FirstStart => rsx! { home::FirstStart {} },
                    Screen::Home => rsx! { home::Home {} },
                    Screen::Procedure => rsx! { procedure::Procedure {} },
                    Screen::Submitted(id) => rsx! { reports::Submitted { id } },
                    Screen::Reports => rsx! { reports::Reports {} },
                    Screen::Team => rsx! { team::Team {} },
                    Screen::Practice => rsx! { practice::Picker {} },
                    Screen::PracticeFeedback => rsx! { practice::Feedback {} },
                    Screen::FirstSeconds => rsx! { practice::FirstSecondsCard {} },
                    Screen::Report(id) => rsx! { report::ReportPage { id } },
                }
            }
        }
    }
}
