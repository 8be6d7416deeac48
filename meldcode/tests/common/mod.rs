//! Shared by the integration tests: a fixed clock and valid sample answers.
#![allow(dead_code)]

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use meldcode::afweging::Answers;
use meldcode::flow::{Flow, Question, Step};
use meldcode::*;
use uuid::Uuid;

/// A fixed "now" (the region table of 2025 applies to 2026).
pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 10, 0, 0)
        .single()
        .expect("a valid instant")
}

/// When the flow started: a little before [`now`].
pub fn started() -> DateTime<Utc> {
    now() - Duration::minutes(20)
}

/// A UUID v4 from a number, so that tests are deterministic.
pub fn id(n: u128) -> Uuid {
    uuid::Builder::from_random_bytes(n.to_le_bytes()).into_uuid()
}

pub fn new_flow(n: u128) -> Flow {
    Flow::new(id(n), started())
}

/// What a walk through the flow answers where the path is decided.
#[derive(Debug, Clone, Copy)]
pub struct Plan {
    pub accompanied: bool,
    /// Raw afwegingskader answers, one for each question the framework asks.
    pub afweging: Answers,
    /// The outcome chosen; `acuut_112` makes the walker call 112 first.
    pub kind: Kind,
}

/// Fill one shown question with a valid sample answer (the plan decides the path).
pub fn fill(flow: &mut Flow, q: Question, plan: &Plan) {
    let now = now();
    let d = &mut flow.draft;
    use Question as Q;
    match q {
        Q::Channel => d.channel = Some(Channel::Balie),
        Q::AcuteDanger => d.acute_danger = Some(false),
        Q::Accompanied => d.accompanied = Some(plan.accompanied),
        Q::KindcheckStatus => d.kindcheck_status = Some(KindcheckStatus::Done),
        Q::ChildrenCount => d.children_count = Some(2),
        Q::ChildrenAges => d.children_ages = (0..d.children_count.unwrap_or(0)).map(|i| i % 18).collect(),
        Q::Pregnant => d.pregnant = Some(false),
        Q::SignalCategories => {
            if !d.signal_categories.contains(&SignalCategory::Physical) {
                d.signal_categories.push(SignalCategory::Physical);
            }
        }
        Q::Observed => d.observed = "Blauwe plek op de onderarm.".into(),
        Q::Said => d.said = "Cliënt zei: \"Masker 19\".".into(),
        Q::Interpretation => d.interpretation = "Mogelijk huiselijk geweld.".into(),
        Q::Consulted => d.consulted = vec![Consulted::Aandachtsfunctionaris],
        Q::ConsultedAt => d.consulted_at = Some(now - Duration::minutes(5)),
        Q::Advice => d.advice = "Melden bij Veilig Thuis.".into(),
        Q::Consent => d.consent = Some(Consent::Given),
        Q::Suspicion | Q::UnsafeSituation | Q::OwnHelp | Q::HelpAccepted | Q::LastingSafety => {
            let a = q.afweging().expect("an afweging question");
            d.afweging.set(a, plan.afweging.get(a));
        }
        Q::ChosenKind => {
            if plan.kind == Kind::Acuut112 {
                flow.call_112(now);
            }
            flow.draft.chosen_kind = Some(plan.kind);
        }
        Q::OverrideReason => d.override_reason = "Cliënt wil eerst zelf advies.".into(),
        Q::Gemeente => d.gemeente = "GM0363".into(),
        Q::PersonName => d.person_name = "Voorbeeld Persoon".into(),
        Q::DateOfBirth => d.date_of_birth = NaiveDate::from_ymd_opt(1990, 4, 1),
        Q::Street => d.street = "Voorbeeldstraat".into(),
        Q::HouseNumber => d.house_number = "19".into(),
        Q::Postcode => d.postcode = "1012 AB".into(),
        Q::City => d.city = "Amsterdam".into(),
        Q::Bsn => d.bsn = "111222333".into(),
        Q::SafePhone => d.safe_phone = "06-12345678".into(),
        Q::SafeTimes => d.safe_times = "Werkdagen tussen 10 en 12 uur".into(),
        Q::VoicemailOk => d.voicemail_ok = Some(false),
        Q::SmsOk => d.sms_ok = Some(false),
        Q::PerpetratorInHousehold => d.perpetrator_in_household = Some(true),
        Q::NeverAtHome => d.never_at_home = Some(true),
        Q::Language => d.language = "Engels".into(),
        Q::InterpreterNeeded => d.interpreter_needed = Some(false),
        Q::ViaPharmacy => d.via_pharmacy = Some(true),
        Q::ReporterName => d.reporter_name = "A. de Apotheker".into(),
        Q::ReporterRole => d.reporter_role = Some(ReporterRole::Pharmacist),
        Q::ReporterPhone => d.reporter_phone = "020-1234567".into(),
        Q::ReachableUntil => d.reachable_until = Some(now + Duration::hours(8)),
        Q::Disclosure => d.disclosure = Some(Disclosure::Open),
        Q::AnonymousReason => d.anonymous_reason = "Melder vreest represailles.".into(),
    }
}

/// Fill every question the current step shows, in order (a question that appears after an
/// earlier answer on the same step is filled too).
pub fn fill_step(flow: &mut Flow, plan: &Plan) {
    for q in flow.current().def().questions {
        if flow.draft.is_shown(*q) {
            fill(flow, *q, plan);
        }
    }
}

/// Walk from the current step to the review, filling every shown question; the steps visited.
pub fn walk_to_review(flow: &mut Flow, plan: &Plan) -> Vec<Step> {
    let mut visited = vec![flow.current()];
    for _ in 0..Step::ALL.len() * 2 {
        if flow.current() == Step::Review {
            return visited;
        }
        fill_step(flow, plan);
        match flow.next(now()) {
            Ok(step) => visited.push(step),
            Err(e) => panic!("next() refused at {:?}: {e:?}\nplan {plan:?}", flow.current()),
        }
    }
    panic!("no review after {visited:?}");
}
