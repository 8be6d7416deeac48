//! The reducer without a window: the shortest paths (the interaction counts of BENCHMARKS.md),
//! never losing an answer, the neutral screen and the PIN.

use chrono::{Duration, Utc};
use meldcode::flow::{Question as Q, Step};
use meldcode::{Kind, Lang};

use super::*;
use crate::answers::Input;
use crate::store::LocalState;

pub(crate) fn enrolled() -> AppState {
    AppState::start(
        Some("Demo-apotheek".into()),
        crate::pin::hash("1919").ok(),
        None,
        Lang::Nl,
        Settings::default(),
        Utc::now(),
    )
}

/// Counts the user's interactions (taps and fields filled).
struct Walk {
    state: AppState,
    interactions: usize,
    effects: Vec<Effect>,
}

impl Walk {
    fn act(&mut self, a: Action) -> &mut Walk {
        self.interactions += 1;
        self.effects.extend(self.state.update(a));
        self
    }
    fn choose(&mut self, q: Q, c: &str) -> &mut Walk {
        self.act(Action::Answer(q, Input::Choose(c.into())))
    }
    fn text(&mut self, q: Q, t: &str) -> &mut Walk {
        self.act(Action::Answer(q, Input::Text(t.into())))
    }
    fn next(&mut self) -> &mut Walk {
        self.act(Action::Next(Utc::now()))
    }
    fn step(&self) -> Option<Step> {
        self.state.flow.as_ref().map(|f| f.current())
    }
}

/// The shortest path from "Masker 19" to a submitted melding (accompanied client, acute and
/// structural unsafety, contact through the pharmacy).
pub(crate) fn shortest_melding() -> (usize, AppState, Vec<Effect>) {
    let mut w = Walk {
        state: enrolled(),
        interactions: 0,
        effects: Vec::new(),
    };
    w.act(Action::Codeword {
        id: uuid::Uuid::new_v4(),
        now: Utc::now(),
    });
    // A lone single choice moves on by itself.
    w.choose(Q::Channel, "balie");
    w.choose(Q::AcuteDanger, "no");
    w.choose(Q::Accompanied, "yes");
    assert!(w.state.hidden, "\"Ja, begeleid\": the neutral screen in the same tap");
    w.choose(Q::KindcheckStatus, "not_applicable").next();
    w.next(); // signals: the codeword is preselected
    w.next(); // consultation: optional
    w.next(); // afweging 1: the codeword answers it (shown, changeable)
    w.choose(Q::UnsafeSituation, "yes");
    assert_eq!(w.step(), Some(Step::Outcome), "questions 3-5 go with Veilig Thuis");
    w.next(); // the recommendation (melding) is preselected
    w.text(Q::PersonName, "Test Persoon")
        .text(Q::DateOfBirth, "01-04-1990")
        .text(Q::Street, "Teststraat")
        .text(Q::HouseNumber, "1")
        .text(Q::Postcode, "1012 AB")
        .text(Q::City, "Amsterdam") // the gemeente follows the city
        .next();
    assert_eq!(w.step(), Some(Step::SafeContact), "{:?}", w.state.problems);
    // No voicemail, no SMS, never at home: preselected, shown for confirmation.
    w.text(Q::SafeTimes, "werkdagen 10-12")
        .choose(Q::ViaPharmacy, "yes")
        .next();
    assert_eq!(w.step(), Some(Step::Reporter), "{:?}", w.state.problems);
    w.text(Q::ReporterName, "A. Apotheker")
        .choose(Q::ReporterRole, "pharmacist")
        .text(Q::ReporterPhone, "020-1234567")
        .choose(Q::ReachableUntil, "tomorrow_noon")
        .next();
    assert_eq!(w.step(), Some(Step::Review), "{:?}", w.state.problems);
    w.act(Action::Submit(Utc::now()));
    (w.interactions, w.state, w.effects)
}

#[test]
fn a_date_that_is_not_dutch_keeps_the_step_and_says_how() {
    let mut s = enrolled();
    s.update(Action::Codeword {
        id: uuid::Uuid::new_v4(),
        now: Utc::now(),
    });
    if let Some(f) = s.flow.as_mut() {
        f.draft.chosen_kind = Some(Kind::Melding);
    }
    s.update(Action::Answer(Q::DateOfBirth, Input::Text("1988-03-15".into())));
    assert_eq!(
        s.typed_errors.get(&Q::DateOfBirth),
        Some(&meldcode::dates::DateError::DateFormat)
    );
    s.update(Action::Answer(Q::DateOfBirth, Input::Text("15-03-1988".into())));
    assert!(s.typed_errors.is_empty());
    assert_eq!(
        s.flow.as_ref().and_then(|f| f.draft.date_of_birth),
        chrono::NaiveDate::from_ymd_opt(1988, 3, 15)
    );
}

#[test]
fn the_shortest_path_to_a_submitted_melding() {
    let (n, mut state, effects) = shortest_melding();
    let Some(Effect::Enqueue(report)) = effects.last() else {
        panic!("the last effect writes the outbox");
    };
    state.update(Action::Enqueued(report.id));
    assert!(matches!(state.screen, Screen::Submitted(_)));
    assert!(state.flow.is_none());
    assert_eq!(report.kind, Kind::Melding);
    assert!(matches!(effects[0], Effect::SaveDraft(_)), "every change is saved");
    println!("interactions from \"Masker 19\" to a submitted melding: {n}");
    assert_eq!(n, 27);
}

#[test]
fn one_tap_to_112_from_anywhere_and_it_is_recorded() {
    let mut s = enrolled();
    s.update(Action::Call112);
    assert_eq!(
        s.panel,
        Some(Panel::Ask112),
        "one tap from home: the panel with the number"
    );

    let mut s = enrolled();
    let now = Utc::now();
    s.update(Action::Codeword {
        id: uuid::Uuid::new_v4(),
        now,
    });
    s.update(Action::Call112);
    let effects = s.update(Action::Confirm112(now));
    assert!(matches!(s.panel, Some(Panel::Called112 { at, .. }) if at == now));
    assert!(matches!(&effects[..], [Effect::SaveDraft(f)] if f.draft.acute_112_at == Some(now)));
    s.update(Action::Stop112(now));
    assert_eq!(
        s.flow.as_ref().map(|f| f.current()),
        Some(Step::Channel),
        "channel is still needed"
    );
}

#[test]
fn going_back_never_loses_an_answer() {
    let mut s = enrolled();
    s.update(Action::Codeword {
        id: uuid::Uuid::new_v4(),
        now: Utc::now(),
    });
    s.update(Action::Answer(Q::Channel, Input::Choose("telefoon".into())));
    s.update(Action::Next(Utc::now()));
    s.update(Action::Back);
    assert_eq!(
        s.flow.as_ref().and_then(|f| f.draft.channel),
        Some(meldcode::Channel::Telefoon)
    );
    s.update(Action::Next(Utc::now()));
    s.update(Action::Next(Utc::now()));
    assert!(
        !s.problems.is_empty(),
        "acute danger unanswered: refused, with the reason"
    );
}

#[test]
fn a_restored_draft_waits_behind_the_neutral_screen_and_the_pin() {
    let flow = meldcode::Flow::new(uuid::Uuid::new_v4(), Utc::now());
    let mut s = AppState::start(
        Some("Demo".into()),
        crate::pin::hash("2468").ok(),
        Some(flow),
        Lang::Nl,
        Settings::default(),
        Utc::now(),
    );
    assert!(s.hidden && s.restored && s.screen == Screen::Procedure);
    s.update(Action::UnlockInput("1111".into()));
    s.update(Action::Unlock(Utc::now()));
    assert!(s.hidden && s.unlock_error);
    s.update(Action::UnlockInput("2468".into()));
    s.update(Action::Unlock(Utc::now()));
    assert!(!s.hidden);
}

#[test]
fn a_pin_is_set_only_when_both_entries_match() {
    let mut s = enrolled();
    s.update(Action::PinInput("1234".into()));
    s.update(Action::PinAgainInput("1235".into()));
    assert!(s.update(Action::SavePin).is_empty() && s.pin_form.error);
    s.update(Action::PinAgainInput("1234".into()));
    assert_eq!(s.update(Action::SavePin), vec![Effect::StorePin("1234".into())]);
}

#[test]
fn enrolment_refuses_plain_http_elsewhere() {
    let mut s = AppState::start(None, None, None, Lang::Nl, Settings::default(), Utc::now());
    assert_eq!(s.screen, Screen::FirstStart);
    for a in [
        Action::FirstServer("http://meld.example.nl".into()),
        Action::FirstCode("abc".into()),
        Action::FirstPin("1919".into()),
        Action::FirstPinAgain("1919".into()),
    ] {
        s.update(a);
    }
    assert!(s.update(Action::Enroll).is_empty());
    assert!(s.first_start.error.is_some());
    s.update(Action::FirstServer("http://127.0.0.1:8080".into()));
    assert!(matches!(&s.update(Action::Enroll)[..], [Effect::Enroll { .. }]));
}

#[test]
fn a_report_is_kept_as_a_draft_until_the_outbox_write_is_durable() {
    let (_, mut state, effects) = shortest_melding();
    let Some(Effect::Enqueue(report)) = effects.last() else {
        panic!("the last effect writes the outbox");
    };
    let id = report.id;
    assert!(state.flow.is_some(), "the flow stays until the write has succeeded");
    assert!(
        !matches!(state.screen, Screen::Submitted(_)),
        "not 'submitted' before it is stored"
    );

    // The write failed (disk full, ...): say so plainly, keep the draft.
    state.update(Action::EnqueueFailed(id));
    assert_eq!(state.flow.as_ref().map(|f| f.draft.id), Some(id));
    assert_eq!(state.screen, Screen::Procedure);
    assert!(state.not_stored);
    // The next "Masker 19" resumes this case instead of overwriting it.
    state.update(Action::Go(Screen::Home));
    let effects = state.update(Action::Codeword {
        id: uuid::Uuid::new_v4(),
        now: Utc::now(),
    });
    assert!(matches!(&effects[..], [Effect::SaveDraft(f)] if f.draft.id == id));

    // Tried again and stored: now it is submitted and the flow is gone.
    let effects = state.update(Action::Submit(Utc::now()));
    assert!(matches!(&effects[..], [Effect::Enqueue(r)] if r.id == id));
    state.update(Action::Enqueued(id));
    assert_eq!(state.screen, Screen::Submitted(id));
    assert!(state.flow.is_none() && !state.not_stored);
}

fn rejected_for_clock(ahead: Duration) -> OutboxEntry {
    let now = Utc::now();
    OutboxEntry {
        id: uuid::Uuid::new_v4(),
        kind: Kind::Melding,
        created_at: now + ahead,
        queued_at: now,
        state: LocalState::Rejected,
        attempts: 1,
        next_attempt_at: None,
        last_error: None,
        rejection: Some(meldcode::api::ErrorBody::new(
            422,
            "Unprocessable Entity",
            "the report breaks 1 rule(s)".into(),
            vec![meldcode::FieldError::new(
                "/created_at",
                meldcode::Rule::OutOfWindow,
                "x",
            )],
        )),
        http_status: Some(422),
        vt_region: None,
        accepted_at: None,
        wiped: false,
        practice: false,
    }
}

fn loaded(entries: Vec<OutboxEntry>) -> AppState {
    let mut s = enrolled();
    s.update(Action::Loaded {
        reports: entries,
        problem: None,
        now: Utc::now(),
    });
    s
}

#[test]
fn a_report_rejected_for_the_clock_is_resent_once_the_clock_is_right() {
    let e = rejected_for_clock(Duration::minutes(10));
    let id = e.id;
    let mut s = loaded(vec![e]);
    assert!(
        s.update(Action::Resend { id, now: Utc::now() }).is_empty(),
        "still outside the window"
    );
    let later = Utc::now() + Duration::minutes(6);
    assert_eq!(s.update(Action::Resend { id, now: later }), vec![Effect::Resend(id)]);
}

#[test]
fn deleting_a_rejected_report_needs_the_pin() {
    let e = rejected_for_clock(Duration::minutes(10));
    let id = e.id;
    let mut s = loaded(vec![e]);
    s.update(Action::Go(Screen::Submitted(id)));
    s.update(Action::AskDelete(id));
    s.update(Action::DeletePinInput("0000".into()));
    assert!(s.update(Action::ConfirmDelete).is_empty());
    assert!(s.delete.as_ref().is_some_and(|d| d.error && d.pin.is_empty()));
    s.update(Action::DeletePinInput("1919".into()));
    assert_eq!(s.update(Action::ConfirmDelete), vec![Effect::DeleteRejected(id)]);
    assert!(s.delete.is_none());
    assert_eq!(s.screen, Screen::Reports);
}

#[test]
fn only_a_rejected_report_can_be_deleted() {
    let mut queued = rejected_for_clock(Duration::zero());
    queued.state = LocalState::Queued;
    let id = queued.id;
    let mut s = loaded(vec![queued]);
    s.update(Action::AskDelete(id));
    assert!(s.delete.is_none());
    assert!(s.update(Action::ConfirmDelete).is_empty());
}

/// The attack: a device enrolled without a PIN. No case starts before a PIN is set (first start
/// asks for one), and the neutral screen never opens without one, whatever is typed.
#[test]
fn without_a_pin_no_case_starts_and_the_neutral_screen_stays_shut() {
    let now = Utc::now();
    let mut s = AppState::start(Some("Demo".into()), None, None, Lang::Nl, Settings::default(), now);
    s.update(Action::Codeword {
        id: uuid::Uuid::new_v4(),
        now,
    });
    assert!(s.flow.is_none(), "no case before a PIN");
    assert!(s.pin_required && s.screen == Screen::Home, "the PIN is asked for");
    // Escape without a PIN would lock the user out: the PIN form is asked for instead.
    s.update(Action::Hide);
    assert!(!s.hidden && s.pin_required);
    // A screen hidden anyway (a PIN removed from the store) never opens without one, and the
    // tries are not counted as wrong PINs.
    s.hidden = true;
    for typed in ["", "0000", "1919"] {
        s.update(Action::UnlockInput(typed.into()));
        s.update(Action::Unlock(now));
        assert!(s.hidden, "{typed:?} opened the neutral screen without a PIN");
    }
    assert_eq!(s.pin_lock, crate::pin_lock::PinLock::default());
    // A draft left by an older version without a PIN is not hidden behind a screen that
    // cannot be opened: the home screen asks for the PIN first.
    let flow = meldcode::Flow::new(uuid::Uuid::new_v4(), now);
    let s = AppState::start(
        Some("Demo".into()),
        None,
        Some(flow),
        Lang::Nl,
        Settings::default(),
        now,
    );
    assert!(!s.hidden && s.pin_required && s.screen == Screen::Home);
}

/// The attack: guessing the PIN. From the fifth wrong one each try waits longer (30 s, then
/// doubling), even the right PIN; the next unlock says how many wrong PINs were tried.
#[test]
fn wrong_pins_make_the_next_try_wait_and_are_told_at_the_unlock() {
    let mut s = enrolled();
    let now = Utc::now();
    s.update(Action::Hide);
    for i in 0..5 {
        s.update(Action::UnlockInput(format!("000{i}")));
        s.update(Action::Unlock(now + Duration::seconds(i)));
    }
    let last = now + Duration::seconds(4);
    s.update(Action::UnlockInput("1919".into()));
    let effects = s.update(Action::Unlock(last + Duration::seconds(10)));
    assert!(s.hidden, "the right PIN waits too while the wait lasts");
    assert!(effects.is_empty(), "a refused try changes nothing");
    assert_eq!(
        s.pin_lock.wait(last + Duration::seconds(10)),
        Some(Duration::seconds(20))
    );
    s.update(Action::UnlockInput("1919".into()));
    let effects = s.update(Action::Unlock(last + Duration::seconds(30)));
    assert!(!s.hidden, "after the wait the right PIN opens");
    assert!(matches!(effects.as_slice(), [Effect::SavePinLock(l)] if *l == crate::pin_lock::PinLock::default()));
    let told = s.unlock_notice.map(|n| (n.count, n.last));
    assert_eq!(told, Some((5, last)));
    let text = crate::texts::failed_attempts(
        Lang::Nl,
        s.unlock_notice
            .unwrap_or(crate::pin_lock::FailedAttempts { count: 0, last }),
    );
    assert!(text.starts_with("5 mislukte pogingen"), "{text}");
}
