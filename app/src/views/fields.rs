//! One question as a labelled field, from [`crate::answers::widget`].

use dioxus::prelude::*;
use meldcode::Label;
use meldcode::dates::{DATE_PLACEHOLDER, TIME_PLACEHOLDER};
use meldcode::flow::Question;
use meldcode::texts::describe_error;

use super::Ui;
use crate::answers::{Input, TextKind, Widget};
use crate::state::Action;
use crate::texts::T;

#[component]
pub fn Field(q: Question) -> Element {
    let ui = use_context::<Ui>();
    let (lang, widget, errors, required) = {
        let s = ui.state.read();
        let Some(flow) = s.flow.as_ref() else { return rsx! {} };
        let typed = s.typed_errors.get(&q);
        let errors: Vec<String> = s
            .problems
            .iter()
            .filter(|p| Question::at_pointer(&p.path) == Some(q))
            .map(|p| match typed {
                // A date or time typed that is not one: say how to type it.
                Some(e) => format!("{}: {}", q.short(s.lang), e.label(s.lang)),
                None => describe_error(p, s.lang),
            })
            .collect();
        (
            s.lang,
            crate::answers::widget(flow, q, s.lang, s.context()),
            errors,
            flow.draft.is_required(q),
        )
    };
    let code = q.code();
    let id = format!("q-{code}");
    let label = q.label(lang);
    let help = q.help(lang);
    let invalid = if errors.is_empty() { "false" } else { "true" };
    let mark = if required { " *" } else { "" };
    let body = match widget {
        Widget::Choice { options, selected } => rsx! {
            div { class: "options", role: "radiogroup", "aria-labelledby": "{id}-label",
                for o in options {
                    button { key: "{o.code}", id: "{id}-{o.code}", r#type: "button", role: "radio",
                        class: if selected.as_deref() == Some(o.code.as_str()) { "option selected" } else { "option" },
                        "aria-checked": if selected.as_deref() == Some(o.code.as_str()) { "true" } else { "false" },
                        onclick: { let c = o.code.clone(); move |_| ui.send(Action::Answer(q, Input::Choose(c.clone()))) },
                        "{o.label}"
                    }
                }
            }
        },
        Widget::Multi { options, selected } => rsx! {
            div { class: "options multi", role: "group", "aria-labelledby": "{id}-label",
                for o in options {
                    button { key: "{o.code}", id: "{id}-{o.code}", r#type: "button", role: "checkbox",
                        class: if selected.contains(&o.code) { "option selected" } else { "option" },
                        "aria-checked": if selected.contains(&o.code) { "true" } else { "false" },
                        onclick: { let c = o.code.clone(); move |_| ui.send(Action::Answer(q, Input::Toggle(c.clone()))) },
                        "{o.label}"
                    }
                }
            }
        },
        Widget::Select { options, selected } => rsx! {
            select { id: "{id}", "aria-labelledby": "{id}-label", "aria-invalid": invalid,
                oninput: move |e: FormEvent| ui.send(Action::Answer(q, Input::Choose(e.value()))),
                option { value: "", selected: selected.is_none(), "{T::Choose.label(lang)}" }
                for o in options {
                    option { key: "{o.code}", value: "{o.code}", selected: selected.as_deref() == Some(o.code.as_str()), "{o.label}" }
                }
            }
        },
        Widget::Text {
            value,
            kind: TextKind::Long,
        } => rsx! {
            textarea { id: "{id}", "aria-labelledby": "{id}-label", "aria-invalid": invalid, rows: "3", initial_value: "{value}",
                oninput: move |e: FormEvent| ui.send(Action::Answer(q, Input::Text(e.value()))) }
        },
        Widget::Text { value, kind } => {
            // Dates and times are plain text fields the Dutch way (never type=date, whose order
            // and calendar follow the system's locale).
            let (ty, mode, placeholder) = match kind {
                TextKind::Phone => ("tel", "tel", ""),
                TextKind::Number => ("text", "numeric", ""),
                TextKind::Date => ("text", "numeric", DATE_PLACEHOLDER),
                TextKind::Time => ("text", "numeric", TIME_PLACEHOLDER),
                TextKind::Line | TextKind::Long => ("text", "text", ""),
            };
            rsx! {
                input { id: "{id}", r#type: ty, inputmode: mode, autocomplete: "off", "aria-labelledby": "{id}-label",
                    "aria-invalid": invalid, initial_value: "{value}", placeholder,
                    oninput: move |e: FormEvent| ui.send(Action::Answer(q, Input::Text(e.value()))) }
            }
        }
        Widget::Until {
            choices,
            selected,
            time,
        } => rsx! {
            div { class: "options", role: "radiogroup", "aria-labelledby": "{id}-label",
                for o in choices {
                    button { key: "{o.code}", id: "{id}-{o.code}", r#type: "button", role: "radio",
                        class: if selected.as_deref() == Some(o.code.as_str()) { "option selected" } else { "option" },
                        "aria-checked": if selected.as_deref() == Some(o.code.as_str()) { "true" } else { "false" },
                        onclick: { let c = o.code.clone(); move |_| ui.send(Action::Answer(q, Input::Choose(c.clone()))) },
                        "{o.label}"
                    }
                }
            }
            label { class: "until-time", r#for: "{id}", "{T::OrUntilTime.label(lang)}"
                input { id: "{id}", r#type: "text", inputmode: "numeric", autocomplete: "off",
                    placeholder: TIME_PLACEHOLDER, "aria-invalid": invalid, initial_value: "{time}",
                    oninput: move |e: FormEvent| ui.send(Action::Answer(q, Input::Text(e.value()))) }
            }
        },
        Widget::Ages { values } => rsx! {
            div { class: "ages", role: "group", "aria-labelledby": "{id}-label",
                for (i, v) in values.into_iter().enumerate() {
                    label { key: "{i}", r#for: "{id}-{i}", "{T::ChildAge.label(lang)} {i + 1}"
                        input { id: "{id}-{i}", r#type: "text", inputmode: "numeric", initial_value: "{v}",
                            oninput: move |e: FormEvent| ui.send(Action::Answer(q, Input::Age(i, e.value()))) }
                    }
                }
            }
        },
    };
    rsx! {
        div { class: "field", id: "field-{code}",
            label { id: "{id}-label", class: "question", r#for: "{id}", "{label}{mark}" }
            if let Some(h) = help {
                p { class: "hint", "{h}" }
            }
            {body}
            for e in errors {
                p { class: "error", role: "alert", "{e}" }
            }
        }
    }
}
