//! Every answer of the procedure, and what follows from them: the kind, the recommendation,
//! which steps and questions are shown, and what is still missing.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{Need, Question, STEPS, Step};
use crate::afweging::{self, Answers, Recommendation};
use crate::error::{FieldError, Rule};
use crate::report::*;

/// Every answer given so far. Nothing is ever removed when a step becomes skipped: what the
/// report carries is decided by [`Draft::to_report`]. Text answers are empty when not given.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Draft {
    /// The report id (UUID v4), minted when the pharmacist tapped "Masker 19".
    pub id: Uuid,
    pub started_at: DateTime<Utc>,
    /// When 112 was first called; `None`: not called.
    pub acute_112_at: Option<DateTime<Utc>>,
    /// The step at which the procedure ended with the 112 call.
    pub stopped_at_112: Option<Step>,
    /// A rehearsal (oefenmodus, [`crate::practice`]): the report says `"practice": true`.
    pub practice: bool,

    pub channel: Option<Channel>,
    /// Local only: the answer that sends the pharmacist to 112 first.
    pub acute_danger: Option<bool>,
    pub accompanied: Option<bool>,

    pub kindcheck_status: Option<KindcheckStatus>,
    pub children_count: Option<u8>,
    /// One age per child; extra ages (after lowering the count) are kept but not reported.
    pub children_ages: Vec<u8>,
    pub pregnant: Option<bool>,

    /// Starts with the codeword itself: someone asked for help.
    pub signal_categories: Vec<SignalCategory>,
    pub observed: String,
    pub said: String,
    pub interpretation: String,

    pub consulted: Vec<Consulted>,
    pub consulted_at: Option<DateTime<Utc>>,
    pub advice: String,

    /// Not asked when the client is accompanied (the report says `not_asked_unsafe`).
    pub consent: Option<Consent>,

    /// The raw answers; [`Answers::effective`] reads them as the framework does.
    pub afweging: Answers,
    /// `None`: the recommendation.
    pub chosen_kind: Option<Kind>,
    /// Sent as `afweging.override_reason` for a melding or adviesvraag; for a counting kind
    /// required all the same but kept in the pharmacy's own record.
    pub override_reason: String,

    /// CBS code of the municipality where the person lives (`GM0363`).
    pub gemeente: String,
    pub person_name: String,
    pub date_of_birth: Option<NaiveDate>,
    pub street: String,
    pub house_number: String,
    pub postcode: String,
    pub city: String,
    pub bsn: String,

    pub safe_phone: String,
    pub safe_times: String,
    pub voicemail_ok: Option<bool>,
    pub sms_ok: Option<bool>,
    /// `None`: unknown.
    pub perpetrator_in_household: Option<bool>,
    pub never_at_home: Option<bool>,
    /// Empty: Dutch.
    pub language: String,
    pub interpreter_needed: Option<bool>,
    pub via_pharmacy: Option<bool>,

    pub reporter_name: String,
    pub reporter_role: Option<ReporterRole>,
    pub reporter_phone: String,
    pub reachable_until: Option<DateTime<Utc>>,
    /// *Open melden, tenzij*: starts as `Open`.
    pub disclosure: Option<Disclosure>,
    pub anonymous_reason: String,
}

fn given(s: &str) -> bool {
    !s.trim().is_empty()
}

impl Draft {
    /// An empty draft with the defaults: the codeword as a signal, open reporting, no
    /// interpreter.
    pub fn new(id: Uuid, started_at: DateTime<Utc>) -> Draft {
        Draft {
            id,
            started_at,
            signal_categories: vec![SignalCategory::Codeword],
            disclosure: Some(Disclosure::Open),
            interpreter_needed: Some(false),
            ..Draft::default()
        }
    }

    /// The afwegingskader answers as the framework reads them (skipped ones dropped,
    /// `with_veilig_thuis` filled in).
    pub fn afweging_answers(&self) -> Answers {
        Answers {
            acute_danger: self.acute_danger == Some(true),
            ..self.afweging
        }
        .effective()
    }

    pub fn recommendation(&self) -> Option<Recommendation> {
        afweging::recommend(&self.afweging_answers())
    }

    /// The report's kind: `acuut_112` after stopping at 112, else [`Draft::chosen`].
    pub fn kind(&self) -> Option<Kind> {
        if self.stopped_at_112.is_some() {
            Some(Kind::Acuut112)
        } else {
            self.chosen()
        }
    }

    /// The outcome chosen on the outcome step: the chosen kind, else the recommendation; `None`
    /// while neither is known.
    pub fn chosen(&self) -> Option<Kind> {
        self.chosen_kind.or_else(|| self.recommendation().map(|r| r.kind))
    }

    pub(super) fn reporter_started(&self) -> bool {
        given(&self.reporter_name)
            || given(&self.reporter_phone)
            || self.reporter_role.is_some()
            || self.reachable_until.is_some()
    }

    pub fn is_skipped(&self, step: Step) -> bool {
        step.def().skip_when.iter().any(|c| c.holds(self, step))
    }

    /// Whether `q` is shown: on a step that is not skipped, for the kind, when its conditions
    /// hold.
    pub fn is_shown(&self, q: Question) -> bool {
        let def = q.def();
        let step = q.step();
        !self.is_skipped(step)
            && self.kind().is_none_or(|k| def.kinds.contains(&k))
            && (def.shown_when.is_empty() || def.shown_when.iter().any(|c| c.holds(self, step)))
    }

    /// Whether `q` must be answered now (it is shown and its need applies).
    pub fn is_required(&self, q: Question) -> bool {
        let step = q.step();
        self.is_shown(q)
            && match q.def().need {
                Need::Required => true,
                Need::Optional => false,
                Need::RequiredWhen(conds) => conds.iter().any(|c| c.holds(self, step)),
            }
    }

    pub(super) fn shown_questions(&self, step: Step) -> Vec<Question> {
        step.def()
            .questions
            .iter()
            .copied()
            .filter(|q| self.is_shown(*q))
            .collect()
    }

    /// Whether `q` has an answer (for the afwegingskader: an answer the framework takes).
    pub fn is_answered(&self, q: Question) -> bool {
        use Question as Q;
        match q {
            Q::Channel => self.channel.is_some(),
            Q::AcuteDanger => self.acute_danger.is_some(),
            Q::Accompanied => self.accompanied.is_some(),
            Q::KindcheckStatus => self.kindcheck_status.is_some(),
            Q::ChildrenCount => self.children_count.is_some(),
            Q::ChildrenAges => self.children_ages.len() >= usize::from(self.children_count.unwrap_or(0)),
            Q::Pregnant => self.pregnant.is_some(),
            Q::SignalCategories => !self.signal_categories.is_empty(),
            Q::Observed => given(&self.observed),
            Q::Said => given(&self.said),
            Q::Interpretation => given(&self.interpretation),
            Q::Consulted => !self.consulted.is_empty(),
            Q::ConsultedAt => self.consulted_at.is_some(),
            Q::Advice => given(&self.advice),
            Q::Consent => self.consent.is_some(),
            Q::Suspicion | Q::UnsafeSituation | Q::OwnHelp | Q::HelpAccepted | Q::LastingSafety => {
                q.afweging().is_some_and(|a| self.afweging_answers().get(a).is_some())
            }
            Q::ChosenKind => self.kind().is_some(),
            Q::OverrideReason => given(&self.override_reason),
            Q::Gemeente => given(&self.gemeente),
            Q::PersonName => given(&self.person_name),
            Q::DateOfBirth => self.date_of_birth.is_some(),
            Q::Street => given(&self.street),
            Q::HouseNumber => given(&self.house_number),
            Q::Postcode => given(&self.postcode),
            Q::City => given(&self.city),
            Q::Bsn => given(&self.bsn),
            Q::SafePhone => given(&self.safe_phone),
            Q::SafeTimes => given(&self.safe_times),
            Q::VoicemailOk => self.voicemail_ok.is_some(),
            Q::SmsOk => self.sms_ok.is_some(),
            Q::PerpetratorInHousehold => self.perpetrator_in_household.is_some(),
            Q::NeverAtHome => self.never_at_home.is_some(),
            Q::Language => given(&self.language),
            Q::InterpreterNeeded => self.interpreter_needed.is_some(),
            Q::ViaPharmacy => self.via_pharmacy.is_some(),
            Q::ReporterName => given(&self.reporter_name),
            Q::ReporterRole => self.reporter_role.is_some(),
            Q::ReporterPhone => given(&self.reporter_phone),
            Q::ReachableUntil => self.reachable_until.is_some(),
            Q::Disclosure => self.disclosure.is_some(),
            Q::AnonymousReason => given(&self.anonymous_reason),
        }
    }

    /// The required answers missing on `step`, and the 112 call that acute danger or the kind
    /// `acuut_112` needs first.
    pub fn missing(&self, step: Step) -> Vec<FieldError> {
        let mut out: Vec<FieldError> = self
            .shown_questions(step)
            .into_iter()
            .filter(|q| self.is_required(*q) && !self.is_answered(*q))
            .map(|q| FieldError::new(q.pointer(), Rule::Required, "this question must be answered"))
            .collect();
        let needs_112 = match step {
            Step::Acute => self.acute_danger == Some(true),
            Step::Outcome => self.chosen() == Some(Kind::Acuut112),
            _ => false,
        };
        if needs_112 && self.acute_112_at.is_none() && !self.is_skipped(step) {
            out.push(FieldError::new("/acute_112_at", Rule::Required, "call 112 first"));
        }
        out
    }

    /// Everything that keeps the flow on `step`: [`Draft::missing`], then the rules of
    /// [`crate::validate`] broken by this step's shown answers. They are checked on the report
    /// as a melding or adviesvraag would carry it, also while the outcome is unknown or a count:
    /// a free text that stays local must still fit if the outcome changes later.
    pub(super) fn problems(&self, step: Step, now: DateTime<Utc>) -> Vec<FieldError> {
        let mut out = self.missing(step);
        let shown = self.shown_questions(step);
        let kind = self.kind().filter(|k| k.is_forwarded()).unwrap_or(Kind::Melding);
        let report = self.assemble(kind);
        for e in crate::validate::validate(&report, now) {
            let Some(q) = Question::at_pointer(&e.path) else {
                continue;
            };
            if shown.contains(&q) && !out.iter().any(|m| Question::at_pointer(&m.path) == Some(q)) {
                out.push(e);
            }
        }
        out
    }

    /// Report v1 from the answers, validated: see [`super::Flow::to_report`].
    pub fn to_report(&self, now: DateTime<Utc>) -> Result<Report, Vec<FieldError>> {
        let Some(kind) = self.kind() else {
            return Err(vec![FieldError::new(
                Question::ChosenKind.pointer(),
                Rule::Required,
                "choose an outcome",
            )]);
        };
        let missing: Vec<FieldError> = STEPS
            .iter()
            .filter(|d| !self.is_skipped(d.step))
            .flat_map(|d| self.missing(d.step))
            .collect();
        if !missing.is_empty() {
            return Err(missing);
        }
        let report = self.assemble(kind);
        let errors = crate::validate::validate(&report, now);
        if errors.is_empty() { Ok(report) } else { Err(errors) }
    }
}
