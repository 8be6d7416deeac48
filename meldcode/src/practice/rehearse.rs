//! A practice run through the real [`Flow`], with a given set of choices: the scenario's model
//! run ([`Scenario::model`]), or the same with a mistake, as the tests make.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use uuid::Uuid;

use super::RunEvents;
use super::scenarios::{Fictional, Scenario};
use crate::afweging::Answers;
use crate::error::FieldError;
use crate::flow::{Draft, Flow, Question, Step};
use crate::report::*;

/// Every choice a practice run makes where the scenario decides the path.
#[derive(Debug, Clone, PartialEq)]
pub struct Choices {
    pub channel: Channel,
    pub acute_danger: bool,
    /// Tap 112 on this step (before answering it); `None`: never.
    pub call_112_at: Option<Step>,
    /// End the procedure right after the 112 call (the kind becomes `acuut_112`).
    pub stop_at_112: bool,
    /// Use "Verbergen" on this step; `None`: never.
    pub neutral_screen_at: Option<Step>,
    pub accompanied: bool,
    /// One age per child; empty: kindcheck "not applicable".
    pub children_ages: Vec<u8>,
    pub signals: Vec<SignalCategory>,
    pub consent: Consent,
    /// The afwegingskader's raw answers.
    pub afweging: Answers,
    pub kind: Kind,
    pub voicemail_ok: bool,
    pub sms_ok: bool,
    pub via_pharmacy: bool,
    pub perpetrator_in_household: Option<bool>,
}

impl Scenario {
    /// Start a practice run of this scenario (the app's "Oefenen"): a flow whose report says
    /// `"practice": true`, with the fictional data suggested.
    /// It starts as a real case does ([`crate::counter::start`]: afweging 1 answered by the
    /// codeword, the safe defaults), so practice trains the same screens; what the reporter
    /// picks (how long they are reachable) is left to them, as in a real case.
    pub fn start(&self, id: Uuid, now: DateTime<Utc>) -> Flow {
        let mut flow = crate::counter::start(id, now);
        self.fictional.suggest_data(&mut flow.draft);
        flow
    }

    /// The choices the meldcode expects: a run with them gets no "differed" in its feedback.
    pub fn model(&self) -> Choices {
        let e = &self.expect;
        let m = &self.model;
        Choices {
            channel: e.channel,
            acute_danger: e.acute_danger,
            call_112_at: e.call_112_by,
            stop_at_112: e.kinds.first() == Some(&Kind::Acuut112),
            neutral_screen_at: e.neutral_screen_by.map(|(step, _)| step),
            accompanied: e.accompanied,
            children_ages: m.children_ages.to_vec(),
            signals: m.signals.to_vec(),
            consent: e.consent.unwrap_or(Consent::Given),
            afweging: m.afweging,
            kind: e.kinds.first().copied().unwrap_or(Kind::Melding),
            voicemail_ok: false,
            sms_ok: false,
            via_pharmacy: e.phone_unsafe,
            perpetrator_in_household: m.perpetrator_in_household,
        }
    }
}

impl Fictional {
    /// Put the fictional data into the draft where nothing was entered yet (person, safe contact,
    /// reporter), and mark the draft as practice. The flow carries only what the kind takes.
    pub fn suggest(&self, draft: &mut Draft) {
        self.suggest_data(draft);
        if draft.reachable_until.is_none() {
            draft.reachable_until = Some(draft.started_at + Duration::hours(8));
        }
    }

    /// The fictional person, address, safe contact and reporter (marked practice); not the
    /// choices a reporter makes.
    pub fn suggest_data(&self, draft: &mut Draft) {
        draft.practice = true;
        let fill = |field: &mut String, value: &str| {
            if field.trim().is_empty() {
                *field = value.to_owned();
            }
        };
        fill(&mut draft.person_name, self.person_name);
        fill(&mut draft.street, self.street);
        fill(&mut draft.house_number, self.house_number);
        fill(&mut draft.postcode, self.postcode);
        fill(&mut draft.city, self.city);
        fill(&mut draft.gemeente, self.gemeente);
        fill(&mut draft.safe_phone, self.safe_phone);
        fill(&mut draft.safe_times, self.safe_times);
        fill(&mut draft.reporter_name, self.reporter_name);
        fill(&mut draft.reporter_phone, self.reporter_phone);
        if draft.date_of_birth.is_none() {
            draft.date_of_birth = NaiveDate::parse_from_str(self.date_of_birth, "%Y-%m-%d").ok();
        }
    }
}

/// Answer one shown question as the choices say (what they do not decide: the fictional data,
/// or left empty where optional).
fn answer(flow: &mut Flow, q: Question, c: &Choices) {
    let d = &mut flow.draft;
    use Question as Q;
    match q {
        Q::Channel => d.channel = Some(c.channel),
        Q::AcuteDanger => d.acute_danger = Some(c.acute_danger),
        Q::Accompanied => d.accompanied = Some(c.accompanied),
        Q::KindcheckStatus => {
            d.kindcheck_status = Some(if c.children_ages.is_empty() {
                KindcheckStatus::NotApplicable
            } else {
                KindcheckStatus::Done
            })
        }
        Q::ChildrenCount => d.children_count = Some(u8::try_from(c.children_ages.len()).unwrap_or(u8::MAX)),
        Q::ChildrenAges => d.children_ages = c.children_ages.clone(),
        Q::Pregnant => d.pregnant = Some(false),
        Q::SignalCategories => d.signal_categories = c.signals.clone(),
        Q::Consent => d.consent = Some(c.consent),
        Q::Suspicion | Q::UnsafeSituation | Q::OwnHelp | Q::HelpAccepted | Q::LastingSafety => {
            if let Some(a) = q.afweging() {
                d.afweging.set(a, c.afweging.get(a));
            }
        }
        Q::ChosenKind => d.chosen_kind = Some(c.kind),
        Q::OverrideReason => d.override_reason = "Oefening: een ander besluit dan het advies.".into(),
        Q::SafePhone if d.safe_phone.trim().is_empty() && !c.via_pharmacy => d.safe_phone = "06-00000000".into(),
        Q::VoicemailOk => d.voicemail_ok = Some(c.voicemail_ok),
        Q::SmsOk => d.sms_ok = Some(c.sms_ok),
        Q::PerpetratorInHousehold => d.perpetrator_in_household = c.perpetrator_in_household,
        Q::NeverAtHome => d.never_at_home = Some(c.via_pharmacy),
        Q::ViaPharmacy => d.via_pharmacy = Some(c.via_pharmacy),
        Q::ReporterRole => d.reporter_role = Some(ReporterRole::Pharmacist),
        Q::Disclosure => d.disclosure = Some(Disclosure::Open),
        // Free texts, consultation, BSN, language: optional, left empty; the fictional data
        // (suggested at the start) answers the rest.
        _ => {}
    }
}

/// Run `scenario` through the real flow with `choices`: the practice report (validated, with
/// `"practice": true`) and the run's events. The run starts at `started`; every action happens
/// at `now`, which is also when it finishes. An error is the flow refusing a step, as it would
/// refuse the pharmacist (e.g. acute danger without a 112 call).
pub fn rehearse(
    scenario: &Scenario,
    choices: &Choices,
    id: Uuid,
    started: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(Report, RunEvents), Vec<FieldError>> {
    let mut flow = scenario.start(id, started);
    // The reporter's own choice (reachable for the day), as a person running it would make.
    scenario.fictional.suggest(&mut flow.draft);
    let mut events = RunEvents {
        neutral_screen_at: None,
        called_112_at: None,
        finished_at: now,
    };
    for _ in 0..Step::ALL.len() * 3 {
        let step = flow.current();
        if step == Step::Review {
            let report = flow.to_report(now)?;
            return Ok((report, events));
        }
        if choices.neutral_screen_at == Some(step) && events.neutral_screen_at.is_none() {
            events.neutral_screen_at = Some(step);
        }
        if choices.call_112_at == Some(step) && events.called_112_at.is_none() {
            flow.call_112(now);
            events.called_112_at = Some(step);
            if choices.stop_at_112 {
                flow.stop_at_112(now)?;
                continue;
            }
        }
        // A question can appear after an earlier answer on the same step (the children's ages).
        for q in step.def().questions {
            if flow.draft.is_shown(*q) {
                answer(&mut flow, *q, choices);
            }
        }
        flow.next(now)?;
    }
    Err(vec![FieldError::new(
        "/kind",
        crate::error::Rule::Inconsistent,
        "the practice run did not reach the review",
    )])
}
