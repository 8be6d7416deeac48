//! Every question of the procedure as a widget the views can render, and the user's input back
//! into the draft. Pure: the views never touch the draft themselves.

use chrono::{DateTime, NaiveTime, Utc};
use meldcode::dates::{self, DateError, Reachable};
use meldcode::flow::{Flow, Question};
use meldcode::texts::Ui;
use meldcode::{Answer, Channel, Consent, Consulted, Disclosure, Kind, KindcheckStatus, Label, Lang, ReporterRole};
use meldcode::{SignalCategory, TIME_ZONE};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// One option of a choice: its wire code and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opt {
    pub code: String,
    pub label: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextKind {
    Line,
    Long,
    Phone,
    Number,
    /// `dd-mm-jjjj`, a plain text field (never `<input type=date>`: its order follows the
    /// system's locale, and 15-03-1988 became 3 December).
    Date,
    /// `uu:mm`, the moment today (or the nearest day it makes sense for).
    Time,
}

/// How a question is asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Widget {
    /// One of the options (large buttons, `role=radio`).
    Choice {
        options: Vec<Opt>,
        selected: Option<String>,
    },
    /// Any of the options (`role=checkbox`).
    Multi {
        options: Vec<Opt>,
        selected: Vec<String>,
    },
    /// A long list to pick from (`<select>`).
    Select {
        options: Vec<Opt>,
        selected: Option<String>,
    },
    Text {
        value: String,
        kind: TextKind,
    },
    /// One age per child.
    Ages {
        values: Vec<String>,
    },
    /// "Bereikbaar tot": quick choices, or a time typed.
    Until {
        choices: Vec<Opt>,
        selected: Option<String>,
        time: String,
    },
}

/// What the user did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// Picked an option (choice, select).
    Choose(String),
    /// Toggled an option (multi).
    Toggle(String),
    Text(String),
    /// The age of child `i`.
    Age(usize, String),
}

fn code<T: Serialize>(t: &T) -> String {
    serde_json::to_value(t)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn from_code<T: DeserializeOwned>(c: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::from(c)).ok()
}

fn opts<T: Serialize + Label>(items: &[T], lang: Lang) -> Vec<Opt> {
    items
        .iter()
        .map(|i| Opt {
            code: code(i),
            label: i.label(lang).to_owned(),
        })
        .collect()
}

fn choice<T: Serialize + Label>(items: &[T], selected: Option<&T>, lang: Lang) -> Widget {
    Widget::Choice {
        options: opts(items, lang),
        selected: selected.map(code),
    }
}

const YES: &str = "yes";
const NO: &str = "no";
const UNKNOWN: &str = "unknown";

fn yes_no(value: Option<bool>, with_unknown: bool, lang: Lang) -> Widget {
    let mut options = vec![
        Opt {
            code: YES.into(),
            label: Ui::Yes.label(lang).into(),
        },
        Opt {
            code: NO.into(),
            label: Ui::No.label(lang).into(),
        },
    ];
    if with_unknown {
        options.push(Opt {
            code: UNKNOWN.into(),
            label: Ui::Unknown.label(lang).into(),
        });
    }
    Widget::Choice {
        options,
        selected: value.map(|b| if b { YES } else { NO }.to_owned()),
    }
}

fn parse_bool(c: &str) -> Option<bool> {
    match c {
        YES => Some(true),
        NO => Some(false),
        _ => None,
    }
}

fn text(value: &str, kind: TextKind) -> Widget {
    Widget::Text {
        value: value.to_owned(),
        kind,
    }
}

/// `uu:mm` in Dutch time.
fn local_time(at: Option<DateTime<Utc>>) -> String {
    at.map(|t| dates::format_time(t.with_timezone(&TIME_ZONE).time()))
        .unwrap_or_default()
}

/// What the clock and the pharmacy say when an answer is put in: `now` (for times of day) and
/// the closing time (for "tot sluitingstijd").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Context {
    pub now: DateTime<Utc>,
    pub closing: NaiveTime,
}

/// Why the text typed for `q` is not an answer (a date or time the Dutch way), if it is not;
/// `None` for an empty field or a question that takes any text.
pub fn typed_error(q: Question, text: &str) -> Option<DateError> {
    if text.trim().is_empty() {
        return None;
    }
    match q {
        Question::DateOfBirth => dates::parse_date(text).err(),
        Question::ConsultedAt | Question::ReachableUntil => dates::parse_time(text).err(),
        _ => None,
    }
}

const KINDCHECK: [KindcheckStatus; 2] = [KindcheckStatus::Done, KindcheckStatus::NotApplicable];
const ROLES: [ReporterRole; 2] = [ReporterRole::Pharmacist, ReporterRole::Assistant];
const DISCLOSURES: [Disclosure; 2] = [Disclosure::Open, Disclosure::Anonymous];

/// The widget for question `q` with the flow's current answers.
pub fn widget(flow: &Flow, q: Question, lang: Lang, cx: Context) -> Widget {
    use Question as Q;
    let d = &flow.draft;
    match q {
        Q::Channel => choice(&Channel::ALL, d.channel.as_ref(), lang),
        Q::AcuteDanger => yes_no(d.acute_danger, false, lang),
        Q::Accompanied => yes_no(d.accompanied, false, lang),
        // The kindcheck starts with one yes/no: "Ja" is a kindcheck to do here, "Nee" is not
        // applicable.
        Q::KindcheckStatus => Widget::Choice {
            options: KINDCHECK
                .iter()
                .zip([Ui::Yes, Ui::No])
                .map(|(k, yn)| Opt {
                    code: code(k),
                    label: yn.label(lang).to_owned(),
                })
                .collect(),
            selected: d.kindcheck_status.as_ref().map(code),
        },
        Q::ChildrenCount => text(
            &d.children_count.map(|n| n.to_string()).unwrap_or_default(),
            TextKind::Number,
        ),
        Q::ChildrenAges => Widget::Ages {
            values: (0..usize::from(d.children_count.unwrap_or(0)))
                .map(|i| d.children_ages.get(i).map(u8::to_string).unwrap_or_default())
                .collect(),
        },
        Q::Pregnant => yes_no(d.pregnant, true, lang),
        Q::SignalCategories => Widget::Multi {
            options: opts(&SignalCategory::ALL, lang),
            selected: d.signal_categories.iter().map(code).collect(),
        },
        Q::Observed => text(&d.observed, TextKind::Long),
        Q::Said => text(&d.said, TextKind::Long),
        Q::Interpretation => text(&d.interpretation, TextKind::Long),
        Q::Consulted => Widget::Multi {
            options: opts(&Consulted::ALL, lang),
            selected: d.consulted.iter().map(code).collect(),
        },
        Q::ConsultedAt => text(&local_time(d.consulted_at), TextKind::Time),
        Q::Advice => text(&d.advice, TextKind::Long),
        Q::Consent => choice(&Consent::ALL, d.consent.as_ref(), lang),
        Q::Suspicion | Q::UnsafeSituation | Q::OwnHelp | Q::HelpAccepted | Q::LastingSafety => {
            let Some(afw) = q.afweging() else {
                return Widget::Choice {
                    options: Vec::new(),
                    selected: None,
                };
            };
            choice::<Answer>(flow.afweging_options(afw), d.afweging.get(afw).as_ref(), lang)
        }
        Q::ChosenKind => choice(&flow.kind_options(), d.chosen().as_ref(), lang),
        Q::OverrideReason => text(&d.override_reason, TextKind::Long),
        Q::Gemeente => {
            let mut options: Vec<Opt> = meldcode::regions::latest()
                .gemeenten()
                .map(|g| Opt {
                    code: g.code.clone(),
                    label: g.name.clone(),
                })
                .collect();
            options.sort_by(|a, b| a.label.cmp(&b.label));
            Widget::Select {
                options,
                selected: Some(d.gemeente.clone()).filter(|g| !g.is_empty()),
            }
        }
        Q::PersonName => text(&d.person_name, TextKind::Line),
        Q::DateOfBirth => text(
            &d.date_of_birth.map(dates::format_date).unwrap_or_default(),
            TextKind::Date,
        ),
        Q::Street => text(&d.street, TextKind::Line),
        Q::HouseNumber => text(&d.house_number, TextKind::Line),
        Q::Postcode => text(&d.postcode, TextKind::Line),
        Q::City => text(&d.city, TextKind::Line),
        Q::Bsn => text(&d.bsn, TextKind::Number),
        Q::SafePhone => text(&d.safe_phone, TextKind::Phone),
        Q::SafeTimes => text(&d.safe_times, TextKind::Line),
        Q::VoicemailOk => yes_no(d.voicemail_ok, false, lang),
        Q::SmsOk => yes_no(d.sms_ok, false, lang),
        Q::PerpetratorInHousehold => yes_no(d.perpetrator_in_household, true, lang),
        Q::NeverAtHome => yes_no(d.never_at_home, false, lang),
        Q::Language => text(&d.language, TextKind::Line),
        Q::InterpreterNeeded => yes_no(d.interpreter_needed, false, lang),
        Q::ViaPharmacy => yes_no(d.via_pharmacy, false, lang),
        Q::ReporterName => text(&d.reporter_name, TextKind::Line),
        Q::ReporterRole => choice(&ROLES, d.reporter_role.as_ref(), lang),
        Q::ReporterPhone => text(&d.reporter_phone, TextKind::Phone),
        Q::ReachableUntil => {
            let choices = dates::reachable_choices(cx.now, cx.closing);
            let selected = choices
                .iter()
                .find(|(_, at)| Some(*at) == d.reachable_until)
                .map(|(r, _)| r.code().to_owned());
            Widget::Until {
                choices: choices
                    .iter()
                    .map(|(r, _)| Opt {
                        code: r.code().to_owned(),
                        label: r.label(cx.closing, lang),
                    })
                    .collect(),
                time: if selected.is_some() {
                    String::new()
                } else {
                    local_time(d.reachable_until)
                },
                selected,
            }
        }
        Q::Disclosure => choice(&DISCLOSURES, d.disclosure.as_ref(), lang),
        Q::AnonymousReason => text(&d.anonymous_reason, TextKind::Long),
    }
}

fn toggle<T: PartialEq + DeserializeOwned>(list: &mut Vec<T>, c: &str) {
    if let Some(item) = from_code::<T>(c) {
        if let Some(pos) = list.iter().position(|x| *x == item) {
            list.remove(pos);
        } else {
            list.push(item);
        }
    }
}

/// Put the user's input for question `q` into the draft. Input that does not fit (an unknown
/// code, a number out of range) leaves the answer empty, so that the step says what is missing.
pub fn apply(flow: &mut Flow, q: Question, input: Input, cx: Context) {
    use Question as Q;
    let d = &mut flow.draft;
    let (choose, txt) = match &input {
        Input::Choose(c) => (Some(c.as_str()), None),
        Input::Text(t) => (None, Some(t.clone())),
        Input::Toggle(c) => {
            match q {
                Q::SignalCategories => toggle(&mut d.signal_categories, c),
                Q::Consulted => toggle(&mut d.consulted, c),
                _ => {}
            }
            return;
        }
        Input::Age(i, v) => {
            let (i, age) = (*i, v.trim().parse::<u8>().ok());
            match age {
                Some(a) if i < d.children_ages.len() => d.children_ages[i] = a,
                Some(a) if i == d.children_ages.len() => d.children_ages.push(a),
                None if i < d.children_ages.len() => d.children_ages.truncate(i),
                _ => {}
            }
            return;
        }
    };
    let c = choose.unwrap_or_default();
    let t = txt.unwrap_or_default();
    match q {
        Q::Channel => d.channel = from_code(c),
        Q::AcuteDanger => d.acute_danger = parse_bool(c),
        Q::Accompanied => d.accompanied = parse_bool(c),
        Q::KindcheckStatus => d.kindcheck_status = from_code(c),
        Q::ChildrenCount => d.children_count = t.trim().parse().ok(),
        Q::ChildrenAges | Q::SignalCategories | Q::Consulted => {}
        Q::Pregnant => d.pregnant = parse_bool(c),
        Q::Observed => d.observed = t,
        Q::Said => d.said = t,
        Q::Interpretation => d.interpretation = t,
        Q::ConsultedAt => {
            d.consulted_at = dates::parse_time(&t).ok().and_then(|time| dates::last_at(cx.now, time));
        }
        Q::Advice => d.advice = t,
        Q::Consent => d.consent = from_code(c),
        Q::Suspicion | Q::UnsafeSituation | Q::OwnHelp | Q::HelpAccepted | Q::LastingSafety => {
            if let Some(afw) = q.afweging() {
                d.afweging.set(afw, from_code(c));
            }
        }
        Q::ChosenKind => d.chosen_kind = from_code::<Kind>(c),
        Q::OverrideReason => d.override_reason = t,
        Q::Gemeente => d.gemeente = c.to_owned(),
        Q::PersonName => d.person_name = t,
        Q::DateOfBirth => d.date_of_birth = dates::parse_date(&t).ok(),
        Q::Street => d.street = t,
        Q::HouseNumber => d.house_number = t,
        Q::Postcode => d.postcode = t,
        Q::City => d.city = t,
        Q::Bsn => d.bsn = t,
        Q::SafePhone => d.safe_phone = t,
        Q::SafeTimes => d.safe_times = t,
        Q::VoicemailOk => d.voicemail_ok = parse_bool(c),
        Q::SmsOk => d.sms_ok = parse_bool(c),
        Q::PerpetratorInHousehold => d.perpetrator_in_household = parse_bool(c),
        Q::NeverAtHome => d.never_at_home = parse_bool(c),
        Q::Language => d.language = t,
        Q::InterpreterNeeded => d.interpreter_needed = parse_bool(c),
        Q::ViaPharmacy => d.via_pharmacy = parse_bool(c),
        Q::ReporterName => d.reporter_name = t,
        Q::ReporterRole => d.reporter_role = from_code(c),
        Q::ReporterPhone => d.reporter_phone = t,
        Q::ReachableUntil => {
            d.reachable_until = match choose {
                Some(c) => Reachable::ALL
                    .into_iter()
                    .find(|r| r.code() == c)
                    .and_then(|r| r.at(cx.now, cx.closing)),
                None => dates::parse_time(&t).ok().and_then(|time| dates::next_at(cx.now, time)),
            };
        }
        Q::Disclosure => d.disclosure = from_code(c),
        Q::AnonymousReason => d.anonymous_reason = t,
    }
}

#[cfg(test)]
mod tests;
