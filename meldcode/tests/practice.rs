//! The oefenmodus: every scenario run through the real flow with its model choices gets no
//! "differed"; with a typical mistake, the specific feedback appears.

mod common;

use common::{id, now, started};
use meldcode::flow::Step;
use meldcode::practice::{Choices, Differed, SCENARIOS, ScenarioId, What, Why, feedback, rehearse};
use meldcode::texts::{Label, Lang};
use meldcode::*;

fn run(scenario: ScenarioId, choices: &Choices) -> (Report, meldcode::practice::Feedback) {
    let s = scenario.scenario();
    let (report, events) = rehearse(s, choices, id(scenario as u128 + 1), started(), now())
        .unwrap_or_else(|e| panic!("{scenario:?}: the flow refused the run: {e:?}"));
    let fb = feedback(s, &report, &events);
    (report, fb)
}

#[test]
fn every_scenario_run_with_its_model_choices_is_all_right() {
    assert_eq!(SCENARIOS.len(), 8);
    for (i, s) in SCENARIOS.iter().enumerate() {
        assert_eq!(s.id as usize, i, "SCENARIOS is in ScenarioId order");
        let (report, fb) = run(s.id, &s.model());
        assert!(report.practice, "{:?}: a practice report says so", s.id);
        assert!(fb.all_right(), "{:?}: {:#?}", s.id, fb.differed);
        assert!(fb.right.len() >= 3, "{:?}: {:?}", s.id, fb.right);
        assert!(s.expect.kinds.contains(&report.kind), "{:?}", s.id);
        assert_eq!(fb.seconds_taken, 20 * 60, "from created_at to the end of the run");
        // The same bytes the app sends are accepted by the same parser the server uses.
        let json = serde_json::to_vec(&report).expect("serialises");
        assert!(String::from_utf8_lossy(&json).contains("\"practice\":true"));
        assert_eq!(parse_report(&json, now()), Ok(report), "{:?}", s.id);
    }
}

/// A mistake in a scenario's choices and the feedback it must give.
struct Mistake {
    scenario: ScenarioId,
    change: fn(&mut Choices),
    want: Differed,
}

fn mistakes() -> Vec<Mistake> {
    use ScenarioId as S;
    let m = |scenario, change: fn(&mut Choices), what, why| Mistake {
        scenario,
        change,
        want: Differed { what, why },
    };
    vec![
        m(
            S::AloneConsents,
            |c| c.children_ages.clear(),
            What::Children { expected: 2, got: 0 },
            Why::KindcheckChildren,
        ),
        m(
            S::AloneConsents,
            |c| c.kind = Kind::Adviesvraag,
            What::Outcome {
                expected: Kind::Melding,
                got: Kind::Adviesvraag,
            },
            Why::StructuralUnsafety,
        ),
        m(
            S::Accompanied,
            |c| c.neutral_screen_at = None,
            What::NoNeutralScreen,
            Why::NeutralAccompanied,
        ),
        m(
            S::Accompanied,
            |c| c.neutral_screen_at = Some(Step::Signals),
            What::LateNeutralScreen { at: Step::Signals },
            Why::NeutralAccompanied,
        ),
        m(
            S::AcuteDanger,
            |c| {
                c.acute_danger = false;
                c.call_112_at = None;
                c.stop_at_112 = false;
                c.kind = Kind::Melding;
            },
            What::No112,
            Why::AcuteFirst,
        ),
        m(
            S::AcuteDanger,
            |c| {
                c.acute_danger = false;
                c.call_112_at = Some(Step::Kindcheck);
            },
            What::Late112 { at: Step::Kindcheck },
            Why::AcuteFirst,
        ),
        m(
            S::Bystander,
            |c| c.kind = Kind::Melding,
            What::Outcome {
                expected: Kind::Adviesvraag,
                got: Kind::Melding,
            },
            Why::Bystander,
        ),
        m(
            S::NoteAtBusyCounter,
            |c| c.channel = Channel::Balie,
            What::Channel {
                expected: Channel::Briefje,
                got: Channel::Balie,
            },
            Why::Channel,
        ),
        m(
            S::NoteAtBusyCounter,
            |c| c.neutral_screen_at = None,
            What::NoNeutralScreen,
            Why::NeutralBusyCounter,
        ),
        m(
            S::PhoneDelivery,
            |c| c.voicemail_ok = true,
            What::VoicemailOrSms,
            Why::PhoneUnsafe,
        ),
        m(
            S::PhoneDelivery,
            |c| {
                c.accompanied = false;
                c.consent = Consent::Given;
            },
            What::Accompanied { expected: true },
            Why::Accompanied,
        ),
        m(
            S::RefusedUnsafe,
            |c| c.kind = Kind::GeenMelding,
            What::Outcome {
                expected: Kind::Melding,
                got: Kind::GeenMelding,
            },
            Why::Meldrecht,
        ),
        m(
            S::RefusedUnsafe,
            |c| c.consent = Consent::Given,
            What::Consent {
                expected: Consent::Refused,
                got: Some(Consent::Given),
            },
            Why::ConsentRefused,
        ),
        m(
            S::NotConfirmed,
            |c| {
                c.afweging.suspicion = Some(Answer::Yes);
                c.afweging.unsafe_situation = Some(Answer::Yes);
                c.kind = Kind::Melding;
            },
            What::Outcome {
                expected: Kind::GeenMelding,
                got: Kind::Melding,
            },
            Why::NoSuspicion,
        ),
        m(
            S::NotConfirmed,
            |c| c.call_112_at = Some(Step::Channel),
            What::Needless112,
            Why::NoAcuteDanger,
        ),
    ]
}

#[test]
fn a_mistake_in_every_scenario_gets_its_specific_feedback() {
    let mistakes = mistakes();
    for s in ScenarioId::ALL {
        assert!(mistakes.iter().any(|m| m.scenario == s), "{s:?} has no mistake tested");
    }
    for m in &mistakes {
        let mut choices = m.scenario.scenario().model();
        (m.change)(&mut choices);
        let (_, fb) = run(m.scenario, &choices);
        assert!(
            fb.differed.contains(&m.want),
            "{:?}: want {:?}, got {:#?}",
            m.scenario,
            m.want,
            fb.differed
        );
        assert!(!fb.all_right());
    }
}

#[test]
fn the_feedback_reads_as_the_issue_asks() {
    let mut choices = ScenarioId::Accompanied.scenario().model();
    choices.neutral_screen_at = None;
    let (_, fb) = run(ScenarioId::Accompanied, &choices);
    let why: Vec<&str> = fb.differed.iter().map(|d| d.why.label(Lang::Nl)).collect();
    assert!(
        why.contains(&"De cliënt was begeleid: het neutrale scherm had direct gemoeten."),
        "{why:?}"
    );

    let mut choices = ScenarioId::RefusedUnsafe.scenario().model();
    choices.kind = Kind::GeenMelding;
    let (_, fb) = run(ScenarioId::RefusedUnsafe, &choices);
    let d = fb
        .differed
        .iter()
        .find(|d| d.why == Why::Meldrecht)
        .expect("the meldrecht");
    assert_eq!(
        d.why.label(Lang::Nl),
        "Bij structurele onveiligheid is melden de norm, ook zonder toestemming: meldrecht, Wmo 2015 art. 5.2.6."
    );
    assert_eq!(
        d.what.text(Lang::Nl),
        "Besluit: u koos \"geen melding\", de meldcode verwacht \"melding\"."
    );
    assert_eq!(fb.time_text(Lang::Nl), "Tijd: 20 min 00 s");
}

#[test]
fn every_scenario_and_feedback_text_exists_in_both_languages() {
    for s in ScenarioId::ALL {
        assert_eq!(ScenarioId::from_code(s.code()), Some(s));
        for lang in Lang::ALL {
            assert!(
                !s.label(lang).is_empty() && s.situation(lang).len() > 80,
                "{s:?} {lang:?}"
            );
        }
        assert_ne!(s.situation(Lang::Nl), s.situation(Lang::En));
        // Every feedback this scenario can give, right or differed, has both texts.
        let (_, fb) = run(s, &s.scenario().model());
        for r in &fb.right {
            assert_ne!(r.text(Lang::Nl), r.text(Lang::En), "{r:?}");
        }
    }
    for m in mistakes() {
        let mut choices = m.scenario.scenario().model();
        (m.change)(&mut choices);
        let (_, fb) = run(m.scenario, &choices);
        for d in &fb.differed {
            assert_ne!(d.what.text(Lang::Nl), d.what.text(Lang::En), "{d:?}");
            assert_ne!(d.why.label(Lang::Nl), d.why.label(Lang::En), "{d:?}");
        }
    }
}

#[test]
fn a_real_report_has_no_practice_field_on_the_wire() {
    // The canonical JSON (and so the content hash) of a real report did not change.
    let r = meldcode::examples::example(Kind::Melding, id(99), now());
    assert!(!r.practice);
    assert!(!r.canonical_json().contains("practice"));
    let mut json: serde_json::Value = serde_json::to_value(&r).expect("serialises");
    json["practice"] = serde_json::Value::Bool(true);
    let parsed = parse_report(json.to_string().as_bytes(), now()).expect("a practice report is valid");
    assert!(parsed.practice);
}

#[test]
fn every_reason_has_a_dutch_and_an_english_sentence() {
    for w in Why::ALL {
        let (nl, en) = (w.label(Lang::Nl), w.label(Lang::En));
        assert!(nl.ends_with('.') && en.ends_with('.') && nl != en, "{w:?}");
    }
    let distinct: std::collections::HashSet<Why> = Why::ALL.into_iter().collect();
    assert_eq!(distinct.len(), Why::ALL.len(), "each reason listed once");
}
