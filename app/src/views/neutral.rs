//! The neutral screen: a plain stock list, nothing of the case; back with the PIN.

use dioxus::prelude::*;
use meldcode::Label;

use super::Ui;
use crate::state::Action;
use crate::texts::{NEUTRAL_STOCK, T};

#[component]
pub fn Neutral() -> Element {
    let ui = use_context::<Ui>();
    let (lang, attempt, error, wait) = {
        let s = ui.state.read();
        (s.lang, s.unlock_attempts, s.unlock_error, s.pin_lock.wait(s.now))
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
                onsubmit: move |e: FormEvent| { e.prevent_default(); ui.send(Action::Unlock(chrono::Utc::now())) },
                PinAttempt { id: "unlock-pin", attempt, on_input: move |v| ui.send(Action::UnlockInput(v)) }
                button { id: "btn-unlock", r#type: "submit", class: "secondary", "{T::Unlock.label(lang)}" }
                if let Some(wait) = wait {
                    p { id: "pin-wait", class: "error", role: "alert", "{crate::texts::pin_wait(lang, wait)}" }
                } else if error {
                    p { class: "error", role: "alert", "{T::PinWrong.label(lang)}" }
                }
            }
        }
    }
}

/// The PIN, labelled and focused, for one attempt (unlock, delete, discard). Uncontrolled (never
/// re-set while keys arrive, so fast typing loses nothing) and made anew for every attempt, so a
/// wrong PIN never stays in the field. Dioxus honours a key only on a block's first node, so the
/// field is a keyed list of one.
#[component]
pub(super) fn PinAttempt(id: &'static str, attempt: u32, on_input: EventHandler<String>) -> Element {
    let lang = use_context::<Ui>().state.read().lang;
    rsx! {
        label { r#for: "{id}", "{T::Pin.label(lang)}" }
        for attempt in [attempt] {
            input { key: "{attempt}", id: "{id}", r#type: "password", inputmode: "numeric", autocomplete: "off",
                autofocus: true, onmounted: move |e: MountedEvent| async move { let _ = e.set_focus(true).await; },
                oninput: move |e: FormEvent| on_input.call(e.value()),
            }
        }
    }
}
