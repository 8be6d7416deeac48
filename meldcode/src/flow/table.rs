//! The step table and the question table: the codeword procedure as data.

use super::{Draft, Question, Question as Q, Step};
use crate::afweging::{self, Question as Afw};
use crate::report::Kind;
use crate::texts::{Label, Lang};

const ALL: &[Kind] = &Kind::ALL;
const MELDING: &[Kind] = &[Kind::Melding];
const FORWARDED: &[Kind] = &[Kind::Melding, Kind::Adviesvraag];
const COUNTING: &[Kind] = &[Kind::GeenMelding, Kind::Acuut112];

use Condition::{AfterStop112, AfwegingFilled, AfwegingSkips, KindIn, KindNotIn};
use Need::{Optional, Required, RequiredWhen};

/// A condition on the draft, as data. Kind conditions are false while the kind is not known yet
/// (before the afwegingskader is complete and nothing was chosen).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Condition {
    /// The client is accompanied: assume the companion is the perpetrator.
    Accompanied,
    /// The afwegingskader skips this question after the earlier answers
    /// ([`afweging::expected`] is empty).
    AfwegingSkips(afweging::Question),
    /// The afwegingskader leaves one answer for this question, filled in automatically:
    /// `with_veilig_thuis` after question 2 "yes", and "yes" for question 2 after acute danger.
    AfwegingFilled(afweging::Question),
    KindIn(&'static [Kind]),
    KindNotIn(&'static [Kind]),
    /// The kindcheck was done (children can be counted).
    KindcheckDone,
    /// At least one child was counted.
    HasChildren,
    /// The reporter reports anonymously towards the family.
    Anonymous,
    /// The pharmacy is not the alternative contact point.
    NotViaPharmacy,
    /// The kind chosen on the outcome step overrides the afwegingskader's recommendation
    /// ([`afweging::is_override`]: an adviesvraag never does).
    Override,
    /// Some of the reporter's details were given (an adviesvraag's are then completed).
    ReporterStarted,
    /// The procedure ended with 112 at this step or an earlier one.
    AfterStop112,
}

impl Condition {
    /// Whether the condition holds for `draft`, evaluated for `step` (only `AfterStop112` looks
    /// at the step).
    pub fn holds(self, draft: &Draft, step: Step) -> bool {
        let answers = draft.afweging_answers();
        match self {
            Condition::Accompanied => draft.accompanied == Some(true),
            Condition::AfwegingSkips(q) => afweging::expected(q, &answers).is_empty(),
            Condition::AfwegingFilled(q) => afweging::expected(q, &answers).len() == 1,
            Condition::KindIn(kinds) => draft.kind().is_some_and(|k| kinds.contains(&k)),
            Condition::KindNotIn(kinds) => draft.kind().is_some_and(|k| !kinds.contains(&k)),
            Condition::KindcheckDone => draft.kindcheck_status == Some(crate::report::KindcheckStatus::Done),
            Condition::HasChildren => {
                Condition::KindcheckDone.holds(draft, step) && draft.children_count.is_some_and(|n| n > 0)
            }
            Condition::Anonymous => draft.disclosure == Some(crate::report::Disclosure::Anonymous),
            Condition::NotViaPharmacy => draft.via_pharmacy != Some(true),
            Condition::Override => match (draft.chosen(), draft.recommendation()) {
                (Some(kind), Some(rec)) => afweging::is_override(kind, rec.kind),
                _ => false,
            },
            Condition::ReporterStarted => draft.reporter_started(),
            Condition::AfterStop112 => draft.stopped_at_112.is_some_and(|s| step >= s),
        }
    }
}

/// Whether a shown question must be answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    Required,
    Optional,
    /// Required when any of the conditions holds, optional otherwise.
    RequiredWhen(&'static [Condition]),
}

/// One row of [`QUESTIONS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuestionDef {
    pub question: Question,
    pub code: &'static str,
    /// See [`Question::pointer`].
    pub pointer: &'static str,
    /// The kinds for which the question is asked and its answer is reported.
    pub kinds: &'static [Kind],
    /// Empty: always shown on its step; else shown when any of the conditions holds.
    pub shown_when: &'static [Condition],
    pub need: Need,
}

/// One row of [`STEPS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StepDef {
    pub step: Step,
    pub questions: &'static [Question],
    /// The step is skipped when any of these holds.
    pub skip_when: &'static [Condition],
}

/// The steps in order: one clear question per screen for the afwegingskader, the meldcode steps
/// before it, the outcome and what a report needs after it. A step is skipped when any of its
/// `skip_when` conditions holds ([`Condition::holds`]).
#[rustfmt::skip]
pub const STEPS: &[StepDef] = &[
    step(Step::Channel, &[Q::Channel], &[]),
    step(Step::Acute, &[Q::AcuteDanger], &[AfterStop112]),
    step(Step::Accompanied, &[Q::Accompanied], &[]),
    step(Step::Kindcheck, &[Q::KindcheckStatus, Q::ChildrenCount, Q::ChildrenAges, Q::Pregnant], &[AfterStop112]),
    step(Step::Signals, &[Q::SignalCategories, Q::Observed, Q::Said, Q::Interpretation], &[AfterStop112]),
    step(Step::Consultation, &[Q::Consulted, Q::ConsultedAt, Q::Advice], &[AfterStop112]),
    step(Step::Conversation, &[Q::Consent], &[Condition::Accompanied, AfterStop112]),
    step(Step::Suspicion, &[Q::Suspicion], &[AfterStop112]),
    step(Step::UnsafeSituation, &[Q::UnsafeSituation],
        &[AfwegingSkips(Afw::UnsafeSituation), AfwegingFilled(Afw::UnsafeSituation), AfterStop112]),
    step(Step::OwnHelp, &[Q::OwnHelp],
        &[AfwegingSkips(Afw::OwnHelp), AfwegingFilled(Afw::OwnHelp), AfterStop112]),
    step(Step::HelpAccepted, &[Q::HelpAccepted],
        &[AfwegingSkips(Afw::HelpAccepted), AfwegingFilled(Afw::HelpAccepted), AfterStop112]),
    step(Step::LastingSafety, &[Q::LastingSafety],
        &[AfwegingSkips(Afw::LastingSafety), AfwegingFilled(Afw::LastingSafety), AfterStop112]),
    step(Step::Outcome, &[Q::ChosenKind, Q::OverrideReason], &[AfterStop112]),
    step(Step::Person,
        &[Q::PersonName, Q::DateOfBirth, Q::Street, Q::HouseNumber, Q::Postcode, Q::City, Q::Gemeente, Q::Bsn],
        &[KindIn(COUNTING), AfterStop112]),
    step(Step::SafeContact,
        &[Q::SafePhone, Q::SafeTimes, Q::VoicemailOk, Q::SmsOk, Q::PerpetratorInHousehold, Q::NeverAtHome,
          Q::Language, Q::InterpreterNeeded, Q::ViaPharmacy],
        &[KindNotIn(MELDING), AfterStop112]),
    step(Step::Reporter,
        &[Q::ReporterName, Q::ReporterRole, Q::ReporterPhone, Q::ReachableUntil, Q::Disclosure, Q::AnonymousReason],
        &[KindIn(COUNTING), AfterStop112]),
    step(Step::Review, &[], &[]),
];

/// Melding: required. Adviesvraag: optional, but once the reporter's details are started they
/// must be complete.
const REPORTER: Need = RequiredWhen(&[KindIn(MELDING), Condition::ReporterStarted]);

/// Every question, in the order of [`Question::ALL`] (a test keeps them aligned): its code, the
/// JSON Pointer of its answer in the report, whether it must be answered, and for which kinds
/// and when it is shown.
#[rustfmt::skip]
pub const QUESTIONS: &[QuestionDef] = &[
    q(Q::Channel, "channel", "/channel", Required),
    q(Q::AcuteDanger, "acute_danger", "/afweging/acute_danger", Required),
    q(Q::Accompanied, "accompanied", "/accompanied", Required),
    q(Q::KindcheckStatus, "kindcheck_status", "/kindcheck/status", Required),
    q(Q::ChildrenCount, "children_count", "/kindcheck/children_count", Required).shown(&[Condition::KindcheckDone]),
    q(Q::ChildrenAges, "children_ages", "/kindcheck/children_ages", Required).shown(&[Condition::HasChildren]),
    q(Q::Pregnant, "pregnant", "/kindcheck/pregnant", Optional),
    q(Q::SignalCategories, "signal_categories", "/signals/categories", Required),
    q(Q::Observed, "observed", "/signals/observed", Optional),
    q(Q::Said, "said", "/signals/said", Optional),
    q(Q::Interpretation, "interpretation", "/signals/interpretation", Optional),
    q(Q::Consulted, "consulted", "/consultation/consulted", Optional),
    q(Q::ConsultedAt, "consulted_at", "/consultation/at", Optional),
    q(Q::Advice, "advice", "/consultation/advice", Optional),
    q(Q::Consent, "consent", "/conversation/consent", Required),
    q(Q::Suspicion, "suspicion", "/afweging/suspicion", Required),
    q(Q::UnsafeSituation, "unsafe_situation", "/afweging/unsafe_situation", Required),
    q(Q::OwnHelp, "own_help", "/afweging/own_help", Required),
    q(Q::HelpAccepted, "help_accepted", "/afweging/help_accepted", Required),
    q(Q::LastingSafety, "lasting_safety", "/afweging/lasting_safety", Required),
    q(Q::ChosenKind, "chosen_kind", "/kind", Required),
    q(Q::OverrideReason, "override_reason", "/afweging/override_reason", Required).shown(&[Condition::Override]),
    q(Q::Gemeente, "gemeente", "/gemeente", RequiredWhen(&[KindIn(MELDING)])).only(FORWARDED),
    q(Q::PersonName, "person_name", "/person/name", Required).only(MELDING),
    q(Q::DateOfBirth, "date_of_birth", "/person/date_of_birth", Required).only(MELDING),
    q(Q::Street, "street", "/person/address/street", Required).only(MELDING),
    q(Q::HouseNumber, "house_number", "/person/address/house_number", Required).only(MELDING),
    q(Q::Postcode, "postcode", "/person/address/postcode", Required).only(MELDING),
    q(Q::City, "city", "/person/address/city", Required).only(MELDING),
    q(Q::Bsn, "bsn", "/person/bsn", Optional).only(MELDING),
    q(Q::SafePhone, "safe_phone", "/safe_contact/phone", RequiredWhen(&[Condition::NotViaPharmacy])).only(MELDING),
    q(Q::SafeTimes, "safe_times", "/safe_contact/safe_times", Required).only(MELDING),
    q(Q::VoicemailOk, "voicemail_ok", "/safe_contact/voicemail_ok", Required).only(MELDING),
    q(Q::SmsOk, "sms_ok", "/safe_contact/sms_ok", Required).only(MELDING),
    q(Q::PerpetratorInHousehold, "perpetrator_in_household", "/safe_contact/perpetrator_in_household", Optional)
        .only(MELDING),
    q(Q::NeverAtHome, "never_at_home", "/safe_contact/never_at_home", Required).only(MELDING),
    q(Q::Language, "language", "/safe_contact/language", Optional).only(MELDING),
    q(Q::InterpreterNeeded, "interpreter_needed", "/safe_contact/interpreter_needed", Required).only(MELDING),
    q(Q::ViaPharmacy, "via_pharmacy", "/safe_contact/via_pharmacy", Required).only(MELDING),
    q(Q::ReporterName, "reporter_name", "/reporter/name", REPORTER).only(FORWARDED),
    q(Q::ReporterRole, "reporter_role", "/reporter/role", REPORTER).only(FORWARDED),
    q(Q::ReporterPhone, "reporter_phone", "/reporter/phone", REPORTER).only(FORWARDED),
    q(Q::ReachableUntil, "reachable_until", "/reporter/reachable_until", REPORTER).only(FORWARDED),
    q(Q::Disclosure, "disclosure", "/reporter/disclosure", REPORTER).only(FORWARDED),
    q(Q::AnonymousReason, "anonymous_reason", "/reporter/anonymous_reason", Required)
        .only(FORWARDED)
        .shown(&[Condition::Anonymous]),
];

const fn step(step: Step, questions: &'static [Question], skip_when: &'static [Condition]) -> StepDef {
    StepDef {
        step,
        questions,
        skip_when,
    }
}

const fn q(question: Question, code: &'static str, pointer: &'static str, need: Need) -> QuestionDef {
    QuestionDef {
        question,
        code,
        pointer,
        kinds: ALL,
        shown_when: &[],
        need,
    }
}

impl QuestionDef {
    /// Asked, and reported, only for these kinds.
    const fn only(self, kinds: &'static [Kind]) -> QuestionDef {
        QuestionDef { kinds, ..self }
    }

    /// Shown (on its step) only when any of these conditions holds.
    const fn shown(self, shown_when: &'static [Condition]) -> QuestionDef {
        QuestionDef { shown_when, ..self }
    }
}

/// The step table as Markdown, in Dutch, generated from [`STEPS`], [`QUESTIONS`] and the texts:
/// the README shows it between `<!-- steps:begin -->` and `<!-- steps:end -->`.
pub fn step_table_markdown() -> String {
    let mut out =
        String::from("| # | step | titel | vragen | verplicht | overgeslagen als |\n|---|---|---|---|---|---|\n");
    for (i, def) in STEPS.iter().enumerate() {
        let questions = grouped(def.questions.iter().map(|q| {
            let d = q.def();
            let mut notes = Vec::new();
            if d.kinds != ALL {
                notes.push(kinds_nl(d.kinds));
            }
            if !d.shown_when.is_empty() {
                notes.push(format!("als {}", conditions_nl(d.shown_when)));
            }
            (d.code, notes.join("; "))
        }));
        let required = grouped(def.questions.iter().filter_map(|q| {
            let d = q.def();
            match d.need {
                Required => Some((d.code, String::new())),
                RequiredWhen(conds) => Some((d.code, format!("als {}", conditions_nl(conds)))),
                Optional => None,
            }
        }));
        let skip = if def.skip_when.is_empty() {
            "nooit".to_owned()
        } else {
            conditions_nl(def.skip_when)
        };
        out.push_str(&format!(
            "| {} | `{}` | {} | {} | {} | {} |\n",
            i + 1,
            def.step.code(),
            def.step.label(Lang::Nl),
            questions,
            required,
            skip
        ));
    }
    out
}

/// `` `a`, `b` (note); `c` ``: consecutive codes with the same note share it.
fn grouped(items: impl Iterator<Item = (&'static str, String)>) -> String {
    let mut groups: Vec<(Vec<String>, String)> = Vec::new();
    for (code, note) in items {
        match groups.last_mut() {
            Some((codes, last)) if *last == note => codes.push(format!("`{code}`")),
            _ => groups.push((vec![format!("`{code}`")], note)),
        }
    }
    if groups.is_empty() {
        return "—".to_owned();
    }
    let parts: Vec<String> = groups
        .into_iter()
        .map(|(codes, note)| {
            if note.is_empty() {
                codes.join(", ")
            } else {
                format!("{} ({note})", codes.join(", "))
            }
        })
        .collect();
    parts.join("; ")
}

fn conditions_nl(conds: &[Condition]) -> String {
    conds
        .iter()
        .map(|c| c.describe(Lang::Nl))
        .collect::<Vec<_>>()
        .join(" of ")
}

fn kinds_nl(kinds: &[Kind]) -> String {
    kinds
        .iter()
        .map(|k| k.label(Lang::Nl).to_lowercase())
        .collect::<Vec<_>>()
        .join(", ")
}
