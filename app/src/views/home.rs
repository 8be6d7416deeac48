//! Home (one large "Masker 19"), the PIN set-up, and the first start (enrolment).

use dioxus::prelude::*;
use meldcode::Label;
use meldcode::texts::Ui as M;

use super::Ui;
use crate::state::{Action, Screen};
use crate::texts::T;

#[component]
pub fn Home() -> Element {
    let ui = use_context::<Ui>();
    let (lang, has_pin, in_progress, overdue, unsent, practising) = {
        let s = ui.state.read();
        let overdue = s
            .reports
            .iter()
            .filter(|e| e.needs_call(s.now, s.settings.ack_alert))
            .count();
        (
            s.lang,
            s.pin_hash.is_some(),
            s.flow.is_some(),
            overdue,
            s.unsent(),
            s.practising(),
        )
    };
    rsx! {
        section { class: "home",
            button { id: "btn-codeword", r#type: "button", class: "codeword",
                onclick: move |_| ui.send(Action::Codeword { id: uuid::Uuid::new_v4(), now: chrono::Utc::now() }),
                // Nothing of the scheme in large type: whoever stands beside the client sees it.
                span { class: "codeword-title", "{T::NewCase.label(lang)}" }
            }
            button { id: "btn-neutral-home", r#type: "button", class: "secondary neutral-now",
                onclick: move |_| ui.send(Action::Hide), "{T::NeutralScreen.label(lang)}" }
            super::practice::HomeButtons {}
            if practising {
                super::practice::HomeNotice {}
            } else if in_progress {
                div { class: "notice",
                    p { "{T::Restored.label(lang)}" }
                    Discard {}
                }
            }
            ul { class: "tips",
                li { "{M::NeutralResponse.label(lang)}" }
                li { "{M::KeepOutOfAis.label(lang)}" }
                li { "{M::VeiligThuis.label(lang)}" }
            }
            if unsent > 0 {
                div { id: "home-unsent", class: "problems", role: "status",
                    button { r#type: "button", class: "link", onclick: move |_| ui.send(Action::Go(Screen::Reports)),
                        span { class: "badge", "{unsent}" } " {T::UnsentBadge.label(lang)}" }
                    super::reports::RetryNow {}
                }
            }
            if overdue > 0 {
                button { id: "home-overdue", r#type: "button", class: "overdue",
                    onclick: move |_| ui.send(Action::Go(Screen::Reports)),
                    "{overdue} × {T::Overdue.label(lang)}"
                }
            }
            if !has_pin {
                PinSetup {}
            }
        }
    }
}

/// "Weggooien en opnieuw beginnen": confirmation with the PIN.
#[component]
fn Discard() -> Element {
    let ui = use_context::<Ui>();
    let (lang, form) = {
        let s = ui.state.read();
        (s.lang, s.discard.clone())
    };
    let Some(d) = form else {
        return rsx! {
            button { id: "btn-discard", r#type: "button", class: "secondary",
                onclick: move |_| ui.send(Action::AskDiscard), "{T::Discard.label(lang)}" }
        };
    };
    rsx! {
        form { id: "discard-form", class: "unlock",
            onsubmit: move |e: FormEvent| { e.prevent_default(); ui.send(Action::ConfirmDiscard) },
            p { "{T::DiscardAsk.label(lang)}" }
            super::neutral::PinAttempt { id: "discard-pin", attempt: d.attempts,
                on_input: move |v| ui.send(Action::DiscardPinInput(v)) }
            button { id: "btn-discard-confirm", r#type: "submit", class: "secondary", "{T::DiscardConfirm.label(lang)}" }
            button { id: "btn-discard-cancel", r#type: "button", class: "link",
                onclick: move |_| ui.send(Action::CancelDiscard), "{T::Cancel.label(lang)}" }
            if d.error {
                p { class: "error", role: "alert", "{T::PinWrong.label(lang)}" }
            }
        }
    }
}

#[component]
fn PinSetup() -> Element {
    let ui = use_context::<Ui>();
    let (lang, form, required) = {
        let s = ui.state.read();
        (s.lang, s.pin_form.clone(), s.pin_required)
    };
    rsx! {
        form { id: "pin-setup", class: "card",
            onsubmit: move |e: FormEvent| { e.prevent_default(); ui.send(Action::SavePin) },
            h2 { "{T::PinSetTitle.label(lang)}" }
            if required {
                p { id: "pin-required", class: "error", role: "alert", "{T::PinRequired.label(lang)}" }
            }
            p { "{T::NoPinYet.label(lang)}" }
            label { r#for: "pin-new", "{T::Pin.label(lang)}" }
            input { id: "pin-new", r#type: "password", inputmode: "numeric", autocomplete: "off",
                autofocus: required,
                "aria-describedby": "pin-rules", initial_value: "{form.pin}",
                oninput: move |e: FormEvent| ui.send(Action::PinInput(e.value())) }
            label { r#for: "pin-again", "{T::PinConfirm.label(lang)}" }
            input { id: "pin-again", r#type: "password", inputmode: "numeric", autocomplete: "off",
                initial_value: "{form.pin_again}",
                oninput: move |e: FormEvent| ui.send(Action::PinAgainInput(e.value())) }
            p { id: "pin-rules", class: "hint", "{T::PinRules.label(lang)}" }
            if form.error {
                p { class: "error", role: "alert", "{T::PinMismatch.label(lang)}" }
            }
            button { id: "btn-pin-save", r#type: "submit", class: "primary", "{T::PinSave.label(lang)}" }
        }
    }
}

#[component]
pub fn FirstStart() -> Element {
    let ui = use_context::<Ui>();
    let (lang, f) = {
        let s = ui.state.read();
        (s.lang, s.first_start.clone())
    };
    rsx! {
        form { id: "first-start", class: "card",
            onsubmit: move |e: FormEvent| { e.prevent_default(); ui.send(Action::Enroll) },
            h1 { "{T::FirstStartTitle.label(lang)}" }
            p { "{T::FirstStartIntro.label(lang)}" }
            label { r#for: "fs-server", "{T::ServerAddress.label(lang)}" }
            input { id: "fs-server", r#type: "url", autocomplete: "off", "aria-describedby": "fs-server-hint",
                initial_value: "{f.server}", placeholder: "https://",
                oninput: move |e: FormEvent| ui.send(Action::FirstServer(e.value())) }
            p { id: "fs-server-hint", class: "hint", "{T::ServerHint.label(lang)}" }
            label { r#for: "fs-code", "{T::EnrollCode.label(lang)}" }
            input { id: "fs-code", r#type: "text", autocomplete: "off", initial_value: "{f.code}",
                oninput: move |e: FormEvent| ui.send(Action::FirstCode(e.value())) }
            label { r#for: "fs-pin", "{T::Pin.label(lang)}" }
            input { id: "fs-pin", r#type: "password", inputmode: "numeric", "aria-describedby": "fs-pin-hint",
                initial_value: "{f.pin}", oninput: move |e: FormEvent| ui.send(Action::FirstPin(e.value())) }
            label { r#for: "fs-pin-again", "{T::PinConfirm.label(lang)}" }
            input { id: "fs-pin-again", r#type: "password", inputmode: "numeric",
                initial_value: "{f.pin_again}", oninput: move |e: FormEvent| ui.send(Action::FirstPinAgain(e.value())) }
            p { id: "fs-pin-hint", class: "hint", "{T::PinRules.label(lang)} {T::NoPinYet.label(lang)}" }
            if let Some(e) = f.error {
                p { class: "error", role: "alert", "{e}" }
            }
            button { id: "btn-enroll", r#type: "submit", class: "primary", disabled: f.busy,
                if f.busy { "{T::Enrolling.label(lang)}" } else { "{T::Enroll.label(lang)}" }
            }
        }
    }
}
