//! The codeword procedure as a state machine whose step table is data ([`STEPS`], [`QUESTIONS`]).
//!
//! A [`Flow`] is a [`Draft`] (every answer given so far) and the current [`Step`]. Which steps
//! are shown follows from the draft alone ([`Flow::is_skipped`]); answers of steps that become
//! skipped stay in the draft, so going back and forth never loses one, but are left out of the
//! report. 112 can be called at any step ([`Flow::call_112`]); the procedure can end there
//! ([`Flow::stop_at_112`]). [`Flow::to_report`] builds report v1 and validates it with
//! [`crate::validate::validate`]; the review step is reached only when that succeeds.

mod assemble;
mod draft;
mod table;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::afweging::{self, Recommendation};
use crate::error::{FieldError, Rule};
use crate::report::{Answer, Kind, Report};

pub use draft::Draft;
pub use table::{Condition, Need, QUESTIONS, QuestionDef, STEPS, StepDef, step_table_markdown};

/// One screen of the procedure. The order of the variants is the order of [`STEPS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    Channel,
    Acute,
    Accompanied,
    Kindcheck,
    Signals,
    Consultation,
    Conversation,
    Suspicion,
    UnsafeSituation,
    OwnHelp,
    HelpAccepted,
    LastingSafety,
    Outcome,
    Person,
    SafeContact,
    Reporter,
    Review,
}

impl Step {
    pub const ALL: [Step; 17] = [
        Step::Channel,
        Step::Acute,
        Step::Accompanied,
        Step::Kindcheck,
        Step::Signals,
        Step::Consultation,
        Step::Conversation,
        Step::Suspicion,
        Step::UnsafeSituation,
        Step::OwnHelp,
        Step::HelpAccepted,
        Step::LastingSafety,
        Step::Outcome,
        Step::Person,
        Step::SafeContact,
        Step::Reporter,
        Step::Review,
    ];

    /// This step's row of [`STEPS`].
    pub fn def(self) -> &'static StepDef {
        &STEPS[self as usize]
    }

    /// The snake_case code, as in JSON.
    pub fn code(self) -> &'static str {
        match self {
            Step::Channel => "channel",
            Step::Acute => "acute",
            Step::Accompanied => "accompanied",
            Step::Kindcheck => "kindcheck",
            Step::Signals => "signals",
            Step::Consultation => "consultation",
            Step::Conversation => "conversation",
            Step::Suspicion => "suspicion",
            Step::UnsafeSituation => "unsafe_situation",
            Step::OwnHelp => "own_help",
            Step::HelpAccepted => "help_accepted",
            Step::LastingSafety => "lasting_safety",
            Step::Outcome => "outcome",
            Step::Person => "person",
            Step::SafeContact => "safe_contact",
            Step::Reporter => "reporter",
            Step::Review => "review",
        }
    }
}

/// Every question the app asks. The order of the variants is the order of [`QUESTIONS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Question {
    Channel,
    AcuteDanger,
    Accompanied,
    KindcheckStatus,
    ChildrenCount,
    ChildrenAges,
    Pregnant,
    SignalCategories,
    Observed,
    Said,
    Interpretation,
    Consulted,
    ConsultedAt,
    Advice,
    Consent,
    Suspicion,
    UnsafeSituation,
    OwnHelp,
    HelpAccepted,
    LastingSafety,
    ChosenKind,
    OverrideReason,
    Gemeente,
    PersonName,
    DateOfBirth,
    Street,
    HouseNumber,
    Postcode,
    City,
    Bsn,
    SafePhone,
    SafeTimes,
    VoicemailOk,
    SmsOk,
    PerpetratorInHousehold,
    NeverAtHome,
    Language,
    InterpreterNeeded,
    ViaPharmacy,
    ReporterName,
    ReporterRole,
    ReporterPhone,
    ReachableUntil,
    Disclosure,
    AnonymousReason,
}

impl Question {
    pub const ALL: [Question; QUESTIONS.len()] = {
        let mut all = [Question::Channel; QUESTIONS.len()];
        let mut i = 0;
        while i < QUESTIONS.len() {
            all[i] = QUESTIONS[i].question;
            i += 1;
        }
        all
    };

    /// This question's row of [`QUESTIONS`].
    pub fn def(self) -> &'static QuestionDef {
        &QUESTIONS[self as usize]
    }

    /// The snake_case code, as in JSON.
    pub fn code(self) -> &'static str {
        self.def().code
    }

    /// The JSON Pointer of the answer in the report (`/kind` is the flow's own: the report's
    /// kind; `/afweging/acute_danger` is carried with the afwegingskader's answers).
    pub fn pointer(self) -> &'static str {
        self.def().pointer
    }

    /// The question a JSON Pointer of a [`FieldError`] is about, if any (`/kindcheck/children_ages/2`
    /// is about [`Question::ChildrenAges`]).
    pub fn at_pointer(path: &str) -> Option<Question> {
        Question::ALL.into_iter().find(|q| {
            let p = q.pointer();
            path == p || path.strip_prefix(p).is_some_and(|rest| rest.starts_with('/'))
        })
    }

    /// The step that asks this question.
    pub fn step(self) -> Step {
        STEPS
            .iter()
            .find(|d| d.questions.contains(&self))
            .map_or(Step::Review, |d| d.step)
    }

    /// The afwegingskader question this is, if it is one.
    pub fn afweging(self) -> Option<afweging::Question> {
        afweging::Question::ALL.into_iter().find(|a| Question::from(*a) == self)
    }
}

impl From<afweging::Question> for Question {
    fn from(q: afweging::Question) -> Question {
        match q {
            afweging::Question::Suspicion => Question::Suspicion,
            afweging::Question::UnsafeSituation => Question::UnsafeSituation,
            afweging::Question::OwnHelp => Question::OwnHelp,
            afweging::Question::HelpAccepted => Question::HelpAccepted,
            afweging::Question::LastingSafety => Question::LastingSafety,
        }
    }
}

/// The procedure in progress: serialise it to persist it, deserialise it to restore it after a
/// crash.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Flow {
    pub draft: Draft,
    current: Step,
}

impl Flow {
    /// Start when the pharmacist taps "Masker 19": `id` is the report id (UUID v4), kept
    /// through every retry; `now` becomes the draft's `started_at` and the report's `created_at`.
    pub fn new(id: Uuid, now: DateTime<Utc>) -> Flow {
        Flow {
            draft: Draft::new(id, now),
            current: Step::Channel,
        }
    }

    pub fn current(&self) -> Step {
        self.current
    }

    pub fn is_skipped(&self, step: Step) -> bool {
        self.draft.is_skipped(step)
    }

    /// The steps shown for the current answers, in order (always ending with `Review`).
    pub fn visible_steps(&self) -> Vec<Step> {
        Step::ALL.into_iter().filter(|s| !self.is_skipped(*s)).collect()
    }

    /// `(position of the current step, number of steps shown)`, 1-based, over the steps not
    /// skipped; the total changes when answers change which steps are shown.
    pub fn progress(&self) -> (usize, usize) {
        let visible = self.visible_steps();
        let before = visible.iter().filter(|s| **s < self.current).count();
        (before + 1, visible.len())
    }

    /// The questions shown on the current step, in order (some appear after an earlier answer
    /// on the same step, e.g. the children's ages after their number).
    pub fn questions(&self) -> Vec<Question> {
        self.draft.shown_questions(self.current)
    }

    /// The afwegingskader's recommendation and its reason, once its answers are complete.
    pub fn recommendation(&self) -> Option<Recommendation> {
        self.draft.recommendation()
    }

    /// The answers an afwegingskader question takes now (empty: skipped).
    pub fn afweging_options(&self, q: afweging::Question) -> &'static [Answer] {
        afweging::expected(q, &self.draft.afweging_answers())
    }

    /// The kinds that can be chosen on the outcome step: `acuut_112` only after a 112 call.
    pub fn kind_options(&self) -> Vec<Kind> {
        Kind::ALL
            .into_iter()
            .filter(|k| *k != Kind::Acuut112 || self.draft.acute_112_at.is_some())
            .collect()
    }

    /// The procedure ended with the 112 call (the report's kind is then `acuut_112`).
    pub fn is_stopped_at_112(&self) -> bool {
        self.draft.stopped_at_112.is_some()
    }

    /// Go to the next step shown. Refuses, staying where it is, with every problem of the current
    /// step: a required answer missing (rule `required` at [`Question::pointer`]), an answer that
    /// breaks a rule of [`crate::validate`] (its own path and rule; map it back with
    /// [`Question::at_pointer`]), or `/acute_112_at` `required` when acute danger or the kind
    /// `acuut_112` needs a 112 call first. Moving on to `Review` also needs the whole report to
    /// validate ([`Flow::to_report`]); its errors may then point at earlier steps. At `Review`
    /// this returns `Ok(Review)`.
    pub fn next(&mut self, now: DateTime<Utc>) -> Result<Step, Vec<FieldError>> {
        if self.current == Step::Review {
            return Ok(Step::Review);
        }
        if !self.is_skipped(self.current) {
            let problems = self.draft.problems(self.current, now);
            if !problems.is_empty() {
                return Err(problems);
            }
        }
        let target = Step::ALL
            .into_iter()
            .find(|s| *s > self.current && !self.is_skipped(*s))
            .unwrap_or(Step::Review);
        if target == Step::Review {
            self.to_report(now)?;
        }
        self.current = target;
        Ok(target)
    }

    /// Go to the previous step shown; from `Review` after [`Flow::stop_at_112`], resume the
    /// procedure where it stopped instead. At the first step nothing changes.
    pub fn back(&mut self) -> Step {
        if self.current == Step::Review && self.is_stopped_at_112() {
            return self.resume();
        }
        if let Some(prev) = Step::ALL
            .into_iter()
            .rev()
            .find(|s| *s < self.current && !self.is_skipped(*s))
        {
            self.current = prev;
        }
        self.current
    }

    /// Jump back to an earlier step that is shown (the review screen's "wijzigen"); `false`
    /// when `step` is not shown or not before the current one.
    pub fn go_back_to(&mut self, step: Step) -> bool {
        if step < self.current && !self.is_skipped(step) {
            self.current = step;
            true
        } else {
            false
        }
    }

    /// Record that 112 was called (the first call is kept); the flow goes on where it was.
    /// Returns the recorded time.
    pub fn call_112(&mut self, now: DateTime<Utc>) -> DateTime<Utc> {
        *self.draft.acute_112_at.get_or_insert(now)
    }

    /// End the procedure at the 112 call: the report's kind becomes `acuut_112` and the steps
    /// from the current one on are skipped (their answers are kept). The flow goes to `Review`,
    /// or first to `Channel` or `Accompanied` when those counted answers are still missing;
    /// returns that step. Refused (nothing changes) without a 112 call (`/acute_112_at`
    /// `required`) and at `Review`, where there is nothing left to stop (`/kind`
    /// `inconsistent`): a melding with a 112 call noted stays a melding.
    pub fn stop_at_112(&mut self, now: DateTime<Utc>) -> Result<Step, Vec<FieldError>> {
        if self.draft.acute_112_at.is_none() {
            return Err(vec![FieldError::new(
                "/acute_112_at",
                Rule::Required,
                "call 112 before ending the procedure there",
            )]);
        }
        if self.current == Step::Review {
            return Err(vec![FieldError::new(
                "/kind",
                Rule::Inconsistent,
                "the procedure is complete; the 112 call is noted",
            )]);
        }
        self.draft.stopped_at_112 = Some(self.current);
        let missing = Step::ALL
            .into_iter()
            .filter(|s| *s != Step::Review && !self.is_skipped(*s))
            .find(|s| !self.draft.missing(*s).is_empty());
        self.current = match missing {
            Some(step) => step,
            None if self.to_report(now).is_ok() => Step::Review,
            // Not expected: the steps before were checked on the way. Show the last one.
            None => Step::ALL
                .into_iter()
                .rev()
                .find(|s| *s != Step::Review && !self.is_skipped(*s))
                .unwrap_or(Step::Channel),
        };
        Ok(self.current)
    }

    /// Undo [`Flow::stop_at_112`]: back to the step where the procedure stopped (the 112 call
    /// stays recorded). Returns the current step.
    pub fn resume(&mut self) -> Step {
        if let Some(step) = self.draft.stopped_at_112.take() {
            self.current = step;
        }
        self.current
    }

    /// Report v1 from the draft, validated with [`crate::validate::validate`] against `now`.
    /// `created_at` is the draft's `started_at`, so the same draft always yields the same report
    /// (a resubmission is identical). Errors: every required answer missing on a step shown (at
    /// the question's pointer), else every broken rule of the report.
    pub fn to_report(&self, now: DateTime<Utc>) -> Result<Report, Vec<FieldError>> {
        self.draft.to_report(now)
    }
}
