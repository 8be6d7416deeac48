//! The neutral screen: a plain stock list, nothing of the case; back with the PIN.

use dioxus::prelude::*;
use meldcode::Label;

use super::Ui;
use crate::state::Action;
use crate::texts::{NEUTRAL_STOCK, T};

#[component]
pub fn Neutral() -> Element {
    let ui = use_context::<Ui>();
    let (lang, attempt, error) = {
        let s = ui.state.read();
        (s.lang, s.unlock_attempts, s.unlock_error)
    };
    rsx! {
        div { id: "neutral", class: "neutral",
            h1 { "{T::NeutralTitle.label(lang)}" }
            table {
                thead { tr {
                    th { scope: "col", "{T::NeutralArticle.label(lang)}" }
                    th { scope: "col", "{T::NeutralStock.label(lang)}" }
                    th { scope: "col", "{T::NeutralLocation.label(lang)}" }
                } }
                tbody {
                    for (item, stock, place) in NEUTRAL_STOCK.iter() {
                        tr { key: "{item}", td { "{item}" } td { "{stock}" } td { "{place}" } }
                    }
                }
            }
            form { class: "unlock",
                onsubmit: move |e: FormEvent| { e.prevent_default(); ui.send(Action::Unlock) },
                label { r#for: "unlock-pin", "{T::Pin.label(lang)}" }
                // Uncontrolled (never re-set while keys arrive); a new attempt is a new, empty field.
                // Dioxus honours a key only on a block's first node, so the field is a list of one.
                for attempt in [attempt] {
                    input { key: "{attempt}", id: "unlock-pin", r#type: "password", inputmode: "numeric", autocomplete: "off",
                        autofocus: true, onmounted: move |e: MountedEvent| async move { let _ = e.set_focus(true).await; },
                        oninput: move |e: FormEvent| ui.send(Action::UnlockInput(e.value())),
                    }
                }
                button { id: "btn-unlock", r#type: "submit", class: "secondary", "{T::Unlock.label(lang)}" }
                if error {
                    p { class: "error", role: "alert", "{T::PinWrong.label(lang)}" }
                }
            }
        }
    }
}
