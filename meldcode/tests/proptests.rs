//! Property tests: parsing never panics, and every report the state machine produces validates.

mod common;

use chrono::Duration;
use common::*;
use meldcode::flow::{Flow, Question, Step};
use meldcode::*;
use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{Map, Value};

// ---------------------------------------------------------------- parse_report never panics

const FIELDS: &[&str] = &[
    "id",
    "schema_version",
    "kind",
    "created_at",
    "channel",
    "accompanied",
    "acute_112_at",
    "gemeente",
    "person",
    "kindcheck",
    "signals",
    "consultation",
    "conversation",
    "afweging",
    "safe_contact",
    "reporter",
    "name",
    "date_of_birth",
    "address",
    "street",
    "house_number",
    "postcode",
    "city",
    "bsn",
    "status",
    "children_count",
    "children_ages",
    "pregnant",
    "categories",
    "observed",
    "said",
    "interpretation",
    "consulted",
    "at",
    "advice",
    "consent",
    "suspicion",
    "unsafe_situation",
    "own_help",
    "help_accepted",
    "lasting_safety",
    "recommendation",
    "override_reason",
    "phone",
    "safe_times",
    "voicemail_ok",
    "sms_ok",
    "perpetrator_in_household",
    "never_at_home",
    "language",
    "interpreter_needed",
    "via_pharmacy",
    "role",
    "reachable_until",
    "disclosure",
    "anonymous_reason",
];

const CODES: &[&str] = &[
    "melding",
    "adviesvraag",
    "geen_melding",
    "acuut_112",
    "balie",
    "telefoon",
    "yes",
    "no",
    "with_veilig_thuis",
    "not_yet_known",
    "given",
    "not_asked_unsafe",
    "done",
    "not_applicable",
    "codeword",
    "physical",
    "pharmacist",
    "open",
    "anonymous",
    "aandachtsfunctionaris",
    "GM0363",
    "GM9999",
    "2026-03-02T10:00:00Z",
    "1990-04-01",
    "7f1c0a7e-2b8e-4f51-9c51-0c7d2f1f4a10",
    "1012 AB",
    "111222333",
    "06-12345678",
    "",
    "~1/~0",
];

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        (0u64..300).prop_map(Value::from),
        any::<f64>().prop_filter_map("finite", |f| serde_json::Number::from_f64(f).map(Value::Number)),
        ".{0,24}".prop_map(Value::from),
        select(CODES).prop_map(Value::from),
    ]
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![4 => select(FIELDS).prop_map(String::from), 1 => "[a-z_/~0-9]{0,10}"]
}

fn json() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(4, 96, 10, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::btree_map(key(), inner, 0..10).prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn object() -> impl Strategy<Value = Value> {
    prop::collection::btree_map(key(), json(), 0..20).prop_map(|m| Value::Object(m.into_iter().collect::<Map<_, _>>()))
}

/// Every JSON Pointer into `v` (the root excluded).
fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
    let children: Vec<(String, &Value)> = match v {
        Value::Object(m) => m
            .iter()
            .map(|(k, c)| (k.replace('~', "~0").replace('/', "~1"), c))
            .collect(),
        Value::Array(a) => a.iter().enumerate().map(|(i, c)| (i.to_string(), c)).collect(),
        _ => return,
    };
    for (token, child) in children {
        let p = format!("{at}/{token}");
        out.push(p.clone());
        pointers(child, p, out);
    }
}

#[derive(Debug, Clone)]
enum Mutation {
    Replace(usize, Value),
    Remove(usize),
    Insert(usize, String, Value),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), json()).prop_map(|(i, v)| Mutation::Replace(i, v)),
        any::<usize>().prop_map(Mutation::Remove),
        (any::<usize>(), key(), json()).prop_map(|(i, k, v)| Mutation::Insert(i, k, v)),
    ]
}

fn mutate(mut v: Value, mutations: &[Mutation]) -> Value {
    for m in mutations {
        let mut ps = Vec::new();
        pointers(&v, String::new(), &mut ps);
        if ps.is_empty() {
            break;
        }
        let pick = |i: usize| ps[i % ps.len()].clone();
        match m {
            Mutation::Replace(i, new) => {
                if let Some(slot) = v.pointer_mut(&pick(*i)) {
                    *slot = new.clone();
                }
            }
            Mutation::Remove(i) => {
                let p = pick(*i);
                let (parent, token) = p.rsplit_once('/').unwrap_or(("", ""));
                match v.pointer_mut(parent) {
                    Some(Value::Object(m)) => {
                        m.remove(&token.replace("~1", "/").replace("~0", "~"));
                    }
                    Some(Value::Array(a)) => {
                        if let Ok(i) = token.parse::<usize>()
                            && i < a.len()
                        {
                            a.remove(i);
                        }
                    }
                    _ => {}
                }
            }
            Mutation::Insert(i, k, new) => {
                let p = pick(*i);
                let parent = p.rsplit_once('/').map_or("", |(parent, _)| parent);
                if let Some(Value::Object(m)) = v.pointer_mut(parent) {
                    m.insert(k.clone(), new.clone());
                }
            }
        }
    }
    v
}

/// What must hold for any body: no panic, and a coherent answer.
fn check_parse(body: &[u8]) -> Result<(), TestCaseError> {
    let now = now();
    match parse_report(body, now) {
        Ok(report) => {
            prop_assert_eq!(validate::validate(&report, now), vec![]);
            let again = serde_json::to_vec(&report).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(parse_report(&again, now), Ok(report));
        }
        Err(Rejection::Malformed(msg)) => prop_assert!(!msg.is_empty()),
        Err(Rejection::Invalid(errors)) => {
            prop_assert!(!errors.is_empty());
            for e in &errors {
                prop_assert!(e.path.is_empty() || e.path.starts_with('/'), "{:?}", e);
                prop_assert!(!texts::describe_error(e, Lang::Nl).is_empty());
            }
        }
    }
    Ok(())
}

proptest! {
    #[test]
    fn parse_never_panics_on_bytes(body in prop::collection::vec(any::<u8>(), 0..512)) {
        check_parse(&body)?;
    }

    #[test]
    fn parse_never_panics_on_json_like_text(body in "[{}\\[\\]\":,.a-z0-9_ -]{0,200}") {
        check_parse(body.as_bytes())?;
    }

    #[test]
    fn parse_never_panics_on_json_values(value in json()) {
        check_parse(value.to_string().as_bytes())?;
    }

    #[test]
    fn parse_never_panics_on_json_objects(value in object()) {
        check_parse(value.to_string().as_bytes())?;
    }

    #[test]
    fn parse_never_panics_on_mutated_examples(
        kind in select(Kind::ALL.to_vec()),
        mutations in prop::collection::vec(mutation(), 1..6),
    ) {
        let example = examples::example(kind, id(42), now());
        let value = serde_json::to_value(&example).map_err(|e| TestCaseError::fail(e.to_string()))?;
        check_parse(mutate(value, &mutations).to_string().as_bytes())?;
    }
}

// ------------------------------------------- every report the state machine produces validates

/// Random answers, valid or not, and random moves.
#[derive(Debug, Clone)]
struct Choices {
    channel: Channel,
    acute_danger: bool,
    accompanied: bool,
    afweging_picks: Vec<usize>,
    kind: Option<Kind>,
    call_at: Option<usize>,
    stop_at: Option<usize>,
    backs: Vec<(usize, usize)>,
    kindcheck: (bool, u8, Vec<u8>, Option<bool>),
    categories: Vec<SignalCategory>,
    texts: Vec<String>,
    consulted: (Vec<Consulted>, Option<i64>),
    consent: Consent,
    gemeente: &'static str,
    person: (String, Option<i32>, String, &'static str),
    safe: (String, Option<bool>, Option<bool>, Option<bool>, Option<bool>),
    reporter: (String, Option<ReporterRole>, String, Option<i64>, Disclosure),
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![6 => ".{0,40}", 1 => Just(String::new()), 1 => Just("x".repeat(4_001))]
}

fn choices() -> impl Strategy<Value = Choices> {
    (
        (
            select(Channel::ALL.to_vec()),
            any::<bool>(),
            any::<bool>(),
            prop::collection::vec(0usize..3, 5),
        ),
        (
            prop::option::of(select(Kind::ALL.to_vec())),
            prop::option::of(0usize..20),
            prop::option::weighted(0.3, 0usize..20),
            prop::collection::vec((0usize..30, 1usize..6), 0..3),
        ),
        (
            any::<bool>(),
            0u8..23,
            prop::collection::vec(0u8..20, 0..24),
            prop::option::of(any::<bool>()),
        ),
        (
            prop::sample::subsequence(SignalCategory::ALL.to_vec(), 0..=7),
            prop::collection::vec(text(), 5),
        ),
        (
            prop::sample::subsequence(Consulted::ALL.to_vec(), 0..=4),
            prop::option::of(-120i64..30),
        ),
        (
            select(Consent::ALL.to_vec()),
            select(vec!["GM0363", "GM0599", "GM9999", "", "Amsterdam"]),
        ),
        (
            ".{0,30}",
            prop::option::of(-5i32..130),
            "[0-9A-Za-z ]{0,8}",
            select(vec!["", "111222333", "123456789", "12"]),
        ),
        (
            "[0-9+ -]{0,16}",
            prop::option::of(any::<bool>()),
            prop::option::of(any::<bool>()),
            prop::option::of(any::<bool>()),
            prop::option::of(any::<bool>()),
        ),
        (
            ".{0,30}",
            prop::option::of(select(vec![ReporterRole::Pharmacist, ReporterRole::Assistant])),
            "[0-9+ -]{0,16}",
            prop::option::of(-60i64..600),
            select(vec![Disclosure::Open, Disclosure::Anonymous]),
        ),
    )
        .prop_map(
            |(
                (channel, acute_danger, accompanied, afweging_picks),
                (kind, call_at, stop_at, backs),
                kindcheck,
                (categories, texts),
                consulted,
                (consent, gemeente),
                person,
                safe,
                reporter,
            )| Choices {
                channel,
                acute_danger,
                accompanied,
                afweging_picks,
                kind,
                call_at,
                stop_at,
                backs,
                kindcheck,
                categories,
                texts,
                consulted,
                consent,
                gemeente,
                person,
                safe,
                reporter,
            },
        )
}

/// Answer a shown question from the choices (possibly invalidly).
fn answer(flow: &mut Flow, q: Question, c: &Choices) {
    let now = now();
    let afweging_options = q.afweging().map(|a| flow.afweging_options(a));
    let d = &mut flow.draft;
    use Question as Q;
    match q {
        Q::Channel => d.channel = Some(c.channel),
        Q::AcuteDanger => d.acute_danger = Some(c.acute_danger),
        Q::Accompanied => d.accompanied = Some(c.accompanied),
        Q::KindcheckStatus => {
            d.kindcheck_status = Some(if c.kindcheck.0 {
                KindcheckStatus::Done
            } else {
                KindcheckStatus::NotApplicable
            })
        }
        Q::ChildrenCount => d.children_count = Some(c.kindcheck.1),
        Q::ChildrenAges => d.children_ages = c.kindcheck.2.clone(),
        Q::Pregnant => d.pregnant = c.kindcheck.3,
        Q::SignalCategories => d.signal_categories = c.categories.clone(),
        Q::Observed => d.observed = c.texts[0].clone(),
        Q::Said => d.said = c.texts[1].clone(),
        Q::Interpretation => d.interpretation = c.texts[2].clone(),
        Q::Consulted => d.consulted = c.consulted.0.clone(),
        Q::ConsultedAt => d.consulted_at = c.consulted.1.map(|m| now + Duration::minutes(m)),
        Q::Advice => d.advice = c.texts[3].clone(),
        Q::Consent => d.consent = Some(c.consent),
        Q::Suspicion | Q::UnsafeSituation | Q::OwnHelp | Q::HelpAccepted | Q::LastingSafety => {
            if let (Some(a), Some(options)) = (q.afweging(), afweging_options) {
                let pick = c.afweging_picks[a as usize] % options.len().max(1);
                d.afweging.set(a, options.get(pick).copied());
            }
        }
        Q::ChosenKind => d.chosen_kind = c.kind,
        Q::OverrideReason => d.override_reason = c.texts[4].clone(),
        Q::Gemeente => d.gemeente = c.gemeente.into(),
        Q::PersonName => d.person_name = c.person.0.clone(),
        Q::DateOfBirth => d.date_of_birth = c.person.1.map(|y| years_before(now, y)),
        Q::Street | Q::HouseNumber | Q::City => {
            let v = c.person.0.clone();
            match q {
                Q::Street => d.street = v,
                Q::HouseNumber => d.house_number = v,
                _ => d.city = v,
            }
        }
        Q::Postcode => d.postcode = c.person.2.clone(),
        Q::Bsn => d.bsn = c.person.3.into(),
        Q::SafePhone => d.safe_phone = c.safe.0.clone(),
        Q::SafeTimes => d.safe_times = c.texts[4].clone(),
        Q::VoicemailOk => d.voicemail_ok = c.safe.1,
        Q::SmsOk => d.sms_ok = c.safe.2,
        Q::PerpetratorInHousehold => d.perpetrator_in_household = c.safe.1,
        Q::NeverAtHome => d.never_at_home = c.safe.3,
        Q::Language => d.language = c.texts[3].chars().take(10).collect(),
        Q::InterpreterNeeded => d.interpreter_needed = c.safe.4,
        Q::ViaPharmacy => d.via_pharmacy = c.safe.4,
        Q::ReporterName => d.reporter_name = c.reporter.0.clone(),
        Q::ReporterRole => d.reporter_role = c.reporter.1,
        Q::ReporterPhone => d.reporter_phone = c.reporter.2.clone(),
        Q::ReachableUntil => d.reachable_until = c.reporter.3.map(|m| now + Duration::minutes(m)),
        Q::Disclosure => d.disclosure = Some(c.reporter.4),
        Q::AnonymousReason => d.anonymous_reason = c.texts[2].clone(),
    }
}

fn run_flow(n: u128, c: &Choices) -> Result<(), TestCaseError> {
    let now = now();
    let plan = Plan {
        accompanied: c.accompanied,
        afweging: Default::default(),
        kind: c.kind.unwrap_or(Kind::Melding),
    };
    let mut flow = new_flow(n);
    let mut visits = 0;
    let mut stopped = false;
    while flow.current() != Step::Review {
        visits += 1;
        prop_assert!(visits < 200, "no review: {:?}", flow);
        if c.call_at == Some(visits) {
            flow.call_112(now);
        }
        if c.stop_at == Some(visits) && !stopped {
            flow.call_112(now);
            flow.stop_at_112(now)
                .map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
            stopped = true;
            continue;
        }
        if let Some((_, k)) = c.backs.iter().find(|(at, _)| *at == visits) {
            for _ in 0..*k {
                flow.back();
            }
            continue;
        }
        let step = flow.current();
        for q in step.def().questions {
            if flow.draft.is_shown(*q) {
                answer(&mut flow, *q, c);
            }
        }
        let mut tries = 0;
        while let Err(errors) = flow.next(now) {
            tries += 1;
            prop_assert!(tries < 4, "still refused at {:?}: {:?}", step, errors);
            prop_assert!(!errors.is_empty());
            let shown = flow.questions();
            for e in &errors {
                if e.path == "/acute_112_at" {
                    flow.call_112(now);
                    continue;
                }
                let q = Question::at_pointer(&e.path);
                prop_assert!(q.is_some(), "an error no screen can show: {:?}", e);
                let q = q.unwrap_or(Question::Channel);
                prop_assert!(shown.contains(&q), "at {:?}, an error about {:?}: {:?}", step, q, e);
                if q.afweging().is_some() {
                    let a = q.afweging().unwrap_or(meldcode::afweging::Question::Suspicion);
                    let first = flow.afweging_options(a).first().copied();
                    flow.draft.afweging.set(a, first);
                } else if q == Question::ChosenKind {
                    flow.draft.chosen_kind = None;
                } else {
                    fill(&mut flow, q, &plan);
                }
            }
        }
    }
    let report = flow.to_report(now);
    prop_assert!(report.is_ok(), "at the review, yet {:?}", report);
    let report = report.map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
    prop_assert_eq!(validate::validate(&report, now), vec![]);
    prop_assert_eq!(
        report.kind == Kind::Acuut112,
        flow.is_stopped_at_112() || flow.draft.chosen() == Some(Kind::Acuut112)
    );
    if flow.is_stopped_at_112() {
        prop_assert!(report.person.is_none() && report.reporter.is_none() && report.safe_contact.is_none());
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn every_report_the_flow_produces_validates(n in any::<u128>(), c in choices()) {
        run_flow(n, &c)?;
    }
}

/// A date `years` years before `now`.
fn years_before(now: chrono::DateTime<chrono::Utc>, years: i32) -> chrono::NaiveDate {
    use chrono::Datelike;
    let d = now.date_naive();
    d.with_year(d.year() - years).unwrap_or(d)
}
