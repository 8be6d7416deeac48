//! The oefenmodus's reducer: a run beside a real case never touches it, and what the feedback
//! needs is noted at the right step.

use chrono::{Duration, Utc};
use meldcode::flow::{Question as Q, Step};
use meldcode::practice::ScenarioId;

use super::*;
use crate::answers::Input;
use crate::state::tests::enrolled;

fn start(s: &mut AppState, scenario: ScenarioId) -> Vec<Effect> {
    s.update(Action::Practice(PracticeAction::Start {
        scenario,
        id: Uuid::new_v4(),
        now: Utc::now(),
    }))
}

fn choose(s: &mut AppState, q: Q, c: &str) -> Vec<Effect> {
    s.update(Action::Answer(q, Input::Choose(c.into())))
}

/// A real case with an answer in it.
fn real_case() -> AppState {
    let mut s = enrolled();
    s.update(Action::Codeword {
        id: Uuid::new_v4(),
        now: Utc::now(),
    });
    choose(&mut s, Q::Channel, "telefoon");
    s
}

#[test]
fn a_run_beside_a_real_case_saves_nothing_and_stopping_puts_the_case_back_untouched() {
    let mut s = real_case();
    let real = s.flow.clone();
    assert!(start(&mut s, ScenarioId::AloneConsents).is_empty(), "nothing saved");
    let flow = s.flow.as_ref().map(|f| (f.draft.practice, f.draft.person_name.clone()));
    assert_eq!(
        flow,
        Some((true, "Fenna Oefenaar".to_owned())),
        "fictional data suggested"
    );
    assert_eq!(s.screen, Screen::Procedure);
    for effects in [
        choose(&mut s, Q::Channel, "balie"),
        s.update(Action::Next(Utc::now())),
        s.update(Action::Back),
        s.update(Action::Call112),
        s.update(Action::Confirm112(Utc::now())),
    ] {
        assert!(
            !effects.iter().any(|e| matches!(e, Effect::SaveDraft(_))),
            "a practice run never writes the draft slot: {effects:?}"
        );
    }
    // "Weggooien" is the real draft's: in a run it does nothing.
    s.update(Action::Go(Screen::Home));
    s.update(Action::AskDiscard);
    assert!(s.discard.is_none() && s.update(Action::ConfirmDiscard).is_empty());

    s.update(Action::Practice(PracticeAction::Stop));
    assert!(!s.practising());
    assert_eq!(s.flow, real, "the real case, exactly as it was");
    assert_eq!(s.screen, Screen::Home);
}

#[test]
fn verbergen_right_after_begeleid_ja_belongs_to_the_accompanied_step() {
    let mut s = enrolled();
    start(&mut s, ScenarioId::Accompanied);
    choose(&mut s, Q::Channel, "balie");
    choose(&mut s, Q::AcuteDanger, "no");
    choose(&mut s, Q::Accompanied, "yes");
    assert_eq!(
        s.flow.as_ref().map(|f| f.current()),
        Some(Step::Kindcheck),
        "moved on by itself"
    );
    s.update(Action::Hide);
    assert!(s.hidden, "Verbergen works as in a real case");
    assert_eq!(
        s.practice.run.as_ref().and_then(|r| r.neutral_screen_at),
        Some(Step::Accompanied)
    );
    s.update(Action::UnlockInput("0000".into()));
    s.update(Action::Unlock(Utc::now()));
    assert!(s.hidden && s.unlock_error, "a wrong PIN keeps it hidden");
    s.update(Action::UnlockInput("1919".into()));
    s.update(Action::Unlock(Utc::now()));
    assert!(!s.hidden);
    // A second Verbergen later changes nothing: the first one counts.
    choose(&mut s, Q::KindcheckStatus, "not_applicable");
    s.update(Action::Hide);
    assert_eq!(
        s.practice.run.as_ref().and_then(|r| r.neutral_screen_at),
        Some(Step::Accompanied)
    );
}

#[test]
fn begeleid_ja_puts_up_the_neutral_screen_in_the_same_tap_in_practice_too() {
    let mut s = enrolled();
    start(&mut s, ScenarioId::Accompanied);
    choose(&mut s, Q::Channel, "balie");
    choose(&mut s, Q::AcuteDanger, "no");
    choose(&mut s, Q::Accompanied, "yes");
    assert!(s.hidden, "no second tap");
    assert_eq!(
        s.practice.run.as_ref().and_then(|r| r.neutral_screen_at),
        Some(Step::Accompanied)
    );
}

#[test]
fn the_codeword_during_a_run_goes_straight_to_the_real_case() {
    let mut s = real_case();
    let real_id = s.flow.as_ref().map(|f| f.draft.id);
    s.update(Action::Go(Screen::Home));
    start(&mut s, ScenarioId::Bystander);
    let effects = s.update(Action::Codeword {
        id: Uuid::new_v4(),
        now: Utc::now(),
    });
    assert!(!s.practising());
    assert_eq!(
        s.flow.as_ref().map(|f| f.draft.id),
        real_id,
        "the real case, not a new one"
    );
    assert!(matches!(&effects[..], [Effect::SaveDraft(f)] if !f.draft.practice));

    // Without a real case, the codeword starts a new one (not the practice flow).
    let mut s = enrolled();
    start(&mut s, ScenarioId::Bystander);
    s.update(Action::Codeword {
        id: Uuid::new_v4(),
        now: Utc::now(),
    });
    assert!(s.flow.as_ref().is_some_and(|f| !f.draft.practice));
}

#[test]
fn the_end_of_a_run_gives_feedback_a_history_line_and_the_real_case_back() {
    let mut s = real_case();
    let real = s.flow.clone();
    s.update(Action::Practice(PracticeAction::Staff(Some("A. de Apotheker".into()))));
    let started = Utc::now() - Duration::seconds(125);
    s.update(Action::Practice(PracticeAction::Start {
        scenario: ScenarioId::NotConfirmed,
        id: Uuid::new_v4(),
        now: started,
    }));
    // The scenario's model answers, put straight into the draft (the walk through the screens
    // is in app/tests/practice_screens.rs).
    let scenario = ScenarioId::NotConfirmed.scenario();
    let id = s.flow.as_ref().map(|f| f.draft.id).unwrap_or_default();
    let flow = rehearsed_flow(scenario, id, started);
    assert_eq!(flow.current(), Step::Review);
    s.flow = Some(flow);
    let now = Utc::now();
    let effects = s.update(Action::Submit(now));
    let Some(Effect::Enqueue(report)) = effects.first() else {
        panic!("{effects:?}")
    };
    assert!(report.practice);
    let effects = s.update(Action::Enqueued(report.id));
    let Some(Effect::RecordPractice(record)) = effects.first() else {
        panic!("{effects:?}")
    };
    assert_eq!(record.staff.as_deref(), Some("A. de Apotheker"));
    assert_eq!((record.scenario, record.differed), (ScenarioId::NotConfirmed, 0));
    assert!((125..130).contains(&record.seconds_taken), "{}", record.seconds_taken);
    assert_eq!(s.practice.history.first(), Some(record));
    assert_eq!(s.screen, Screen::PracticeFeedback);
    assert!(s.practice_banner() && !s.practising());
    assert_eq!(s.flow, real, "the real case is back, untouched");
}

/// A flow at its review with the scenario's model answers, as the real flow reaches it.
fn rehearsed_flow(scenario: &meldcode::practice::Scenario, id: Uuid, started: chrono::DateTime<Utc>) -> meldcode::Flow {
    let c = scenario.model();
    let mut flow = scenario.start(id, started);
    let d = &mut flow.draft;
    d.channel = Some(c.channel);
    d.acute_danger = Some(false);
    d.accompanied = Some(false);
    d.kindcheck_status = Some(meldcode::KindcheckStatus::NotApplicable);
    d.signal_categories = c.signals.clone();
    d.consent = Some(c.consent);
    d.afweging = c.afweging;
    for _ in 0..Step::ALL.len() * 2 {
        if flow.current() == Step::Review || flow.next(started).is_err() {
            break;
        }
    }
    flow
}
