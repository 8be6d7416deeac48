//! Oefenmodus on screen, rendered without a display: a practice run walked through the real
//! actions (the same reducer the window uses), with the "OEFENING" banner asserted on every
//! screen on the way; the specific feedback of a wrong choice; the 112 panel that never dials;
//! the first-30-seconds card one tap from home; "Oefening" in the device's list.

use chrono::{Duration, Utc};
use masker19::answers::Input;
use masker19::state::{Action, AppState, Effect, PracticeAction, Screen};
use masker19::store::LocalState;
use meldcode::flow::{Question as Q, Step};
use meldcode::practice::{Choices, ScenarioId};
use meldcode::{Kind, Lang};
use serde::Serialize;

mod common;
use common::{enrolled, entry, in_flow, render};

const BANNER: &str = "id=\"practice-banner\"";

fn code<T: Serialize>(t: &T) -> String {
    serde_json::to_value(t)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn yes_no(b: bool) -> Input {
    Input::Choose(if b { "yes" } else { "no" }.into())
}

/// What a pharmacist taps for question `q`, as `choices` say (the fictional data answers the
/// rest; free texts stay empty).
fn input(s: &AppState, q: Q, c: &Choices) -> Vec<Input> {
    let Some(flow) = s.flow.as_ref() else { return vec![] };
    let d = &flow.draft;
    match q {
        Q::Channel => vec![Input::Choose(code(&c.channel))],
        Q::AcuteDanger => vec![yes_no(c.acute_danger)],
        Q::Accompanied => vec![yes_no(c.accompanied)],
        Q::KindcheckStatus => vec![Input::Choose(
            if c.children_ages.is_empty() {
                "not_applicable"
            } else {
                "done"
            }
            .into(),
        )],
        Q::ChildrenCount => vec![Input::Text(c.children_ages.len().to_string())],
        Q::ChildrenAges => (c.children_ages.iter().enumerate())
            .map(|(i, a)| Input::Age(i, a.to_string()))
            .collect(),
        Q::Pregnant => vec![yes_no(false)],
        Q::SignalCategories => (c.signals.iter())
            .filter(|x| !d.signal_categories.contains(x))
            .map(|x| Input::Toggle(code(x)))
            .collect(),
        Q::Consent => vec![Input::Choose(code(&c.consent))],
        Q::Suspicion | Q::UnsafeSituation | Q::OwnHelp | Q::HelpAccepted | Q::LastingSafety => q
            .afweging()
            .and_then(|a| c.afweging.get(a))
            .map(|a| vec![Input::Choose(code(&a))])
            .unwrap_or_default(),
        Q::ChosenKind => vec![Input::Choose(code(&c.kind))],
        Q::OverrideReason => vec![Input::Text("Oefening: een ander besluit.".into())],
        Q::SafePhone if d.safe_phone.is_empty() && !c.via_pharmacy => vec![Input::Text("06-00000000".into())],
        Q::VoicemailOk => vec![yes_no(c.voicemail_ok)],
        Q::SmsOk => vec![yes_no(c.sms_ok)],
        Q::PerpetratorInHousehold => vec![
            c.perpetrator_in_household
                .map_or(Input::Choose("unknown".into()), yes_no),
        ],
        Q::NeverAtHome | Q::ViaPharmacy => vec![yes_no(c.via_pharmacy)],
        Q::ReporterRole => vec![Input::Choose("pharmacist".into())],
        // The reporter picks it, as in a real case (nothing prefilled).
        Q::ReachableUntil => vec![Input::Choose("tomorrow_noon".into())],
        Q::Disclosure => vec![Input::Choose("open".into())],
        _ => vec![],
    }
}

fn assert_banner(s: &AppState, on: &str) {
    let html = render(s.clone());
    assert!(
        html.contains(BANNER) && html.contains("OEFENING"),
        "no banner on {on}: {html}"
    );
}

/// Walk `scenario` with `choices` through the real actions, from the picker to the feedback,
/// asserting the banner on every screen: the procedure's steps, the panels, the neutral screen,
/// the review, and the feedback.
fn walk(scenario: ScenarioId, choices: &Choices) -> AppState {
    walk_from(enrolled(Lang::Nl), scenario, choices)
}

/// The model run of `scenario` from state `s` (its staff pick and history kept).
fn walk_as(s: &AppState, scenario: ScenarioId) -> AppState {
    walk_from(s.clone(), scenario, &scenario.scenario().model())
}

fn walk_from(mut s: AppState, scenario: ScenarioId, choices: &Choices) -> AppState {
    s.update(Action::Practice(PracticeAction::Open));
    let start = Utc::now() - Duration::minutes(3);
    s.update(Action::Practice(PracticeAction::Start {
        scenario,
        id: uuid::Uuid::new_v4(),
        now: start,
    }));
    let now = Utc::now();
    for _ in 0..Step::ALL.len() * 3 {
        let Some(step) = s.flow.as_ref().map(|f| f.current()) else {
            break;
        };
        assert_banner(&s, step.code());
        if step == Step::Review {
            break;
        }
        if choices.call_112_at == Some(step) && s.flow.as_ref().is_none_or(|f| f.draft.acute_112_at.is_none()) {
            s.update(Action::Call112);
            assert_banner(&s, "the 112 panel");
            let html = render(s.clone());
            assert!(
                html.contains("Nu zou u 112 bellen") && !html.contains("href=\"tel:"),
                "{html}"
            );
            s.update(Action::Confirm112(now));
            if choices.stop_at_112 {
                s.update(Action::Stop112(now));
                continue;
            }
            s.update(Action::Close112);
        }
        for q in step.def().questions {
            if s.flow
                .as_ref()
                .is_some_and(|f| f.current() == step && f.draft.is_shown(*q))
            {
                for i in input(&s, *q, choices) {
                    s.update(Action::Answer(*q, i));
                }
                // "Verbergen" right after the answer that calls for it (a lone choice may
                // already have moved on).
                // ("Ja, begeleid" puts it up by itself.)
                if choices.neutral_screen_at == Some(step) && *q == step.def().questions[0] {
                    if !s.hidden {
                        s.update(Action::Hide);
                    }
                    assert_banner(&s, "the neutral screen");
                    let neutral = render(s.clone());
                    assert!(neutral.contains("id=\"neutral\""));
                    assert!(!neutral.contains("hulpvraag"), "nothing hints at the case: {neutral}");
                    s.update(Action::UnlockInput("1919".into()));
                    s.update(Action::Unlock(chrono::Utc::now()));
                    assert!(!s.hidden, "the PIN works as in a real case");
                }
                if s.hidden {
                    s.update(Action::UnlockInput("1919".into()));
                    s.update(Action::Unlock(chrono::Utc::now()));
                }
            }
        }
        if s.flow.as_ref().is_some_and(|f| f.current() == step) {
            s.update(Action::Next(now));
        }
    }
    let effects = s.update(Action::Submit(now));
    let Some(Effect::Enqueue(report)) = effects.first() else {
        panic!("the review did not submit: {effects:?} {:?}", s.problems)
    };
    assert!(report.practice, "the report says practice: true");
    let effects = s.update(Action::Enqueued(report.id));
    assert!(matches!(&effects[..], [Effect::RecordPractice(r)] if r.scenario == scenario));
    assert_eq!(s.screen, Screen::PracticeFeedback);
    assert_banner(&s, "the feedback");
    s
}

#[test]
fn every_scenario_walked_right_shows_all_right_with_the_banner_on_every_screen() {
    for id in ScenarioId::ALL {
        let s = walk(id, &id.scenario().model());
        let html = render(s.clone());
        assert!(html.contains("id=\"feedback-all-right\""), "{id:?}: {html}");
        assert!(!html.contains("id=\"feedback-differed\""), "{id:?}: {html}");
        assert!(html.contains("Tijd: 3 min"), "the time taken: {html}");
        assert!(!s.practising(), "the run is over");
        assert_eq!(s.practice.history.len(), 1);
    }
}

#[test]
fn an_accompanied_client_is_hidden_in_the_same_tap_so_no_verbergen_is_missed() {
    let id = ScenarioId::Accompanied;
    let mut no_verbergen = id.scenario().model();
    no_verbergen.neutral_screen_at = None;
    let html = render(walk(id, &no_verbergen));
    assert!(html.contains("id=\"feedback-all-right\""), "{html}");
    assert!(
        !html.contains("De cliënt was begeleid: het neutrale scherm had direct gemoeten."),
        "{html}"
    );
}

#[test]
fn a_refused_consent_reported_as_geen_melding_explains_meldrecht() {
    let id = ScenarioId::RefusedUnsafe;
    let mut wrong = id.scenario().model();
    wrong.kind = Kind::GeenMelding;
    let html = render(walk(id, &wrong));
    assert!(html.contains("meldrecht, Wmo 2015 art. 5.2.6"), "{html}");
}

#[test]
fn the_first_30_seconds_card_is_one_tap_from_home_also_in_practice() {
    let home = render(enrolled(Lang::Nl));
    assert!(home.contains("id=\"btn-first-seconds\"") && home.contains("Wat doe ik nu?"));
    let mut s = enrolled(Lang::Nl);
    s.update(Action::Go(Screen::FirstSeconds));
    let html = render(s.clone());
    assert!(html.contains("id=\"first-seconds\""), "{html}");
    assert!(html.contains("Herhaal het codewoord niet hardop"));
    assert!(html.contains("spreekkamer") && html.contains("112"));

    s.update(Action::Go(Screen::Home));
    s.update(Action::Practice(PracticeAction::Start {
        scenario: ScenarioId::AloneConsents,
        id: uuid::Uuid::new_v4(),
        now: Utc::now(),
    }));
    s.update(Action::Go(Screen::Home));
    let home = render(s.clone());
    assert!(
        home.contains(BANNER) && home.contains("id=\"btn-first-seconds\""),
        "{home}"
    );
    s.update(Action::Go(Screen::FirstSeconds));
    let card = render(s.clone());
    assert!(card.contains(BANNER) && card.contains("Wat doe ik nu?"), "{card}");
    let en = {
        let mut e = s.clone();
        e.update(Action::SetLang(Lang::En));
        render(e)
    };
    assert!(en.contains("What do I do now?") && en.contains("PRACTICE"), "{en}");
}

#[test]
fn the_112_button_in_practice_never_dials_and_the_real_draft_records_no_call() {
    // A real case in progress, then a practice run beside it.
    let mut s = in_flow();
    let real_id = s.flow.as_ref().map(|f| f.draft.id);
    s.update(Action::Answer(Q::Channel, Input::Choose("balie".into())));
    let real = s.flow.clone();
    s.update(Action::Practice(PracticeAction::Start {
        scenario: ScenarioId::AcuteDanger,
        id: uuid::Uuid::new_v4(),
        now: Utc::now(),
    }));
    s.update(Action::Answer(Q::Channel, Input::Choose("balie".into())));
    s.update(Action::Answer(Q::AcuteDanger, Input::Choose("yes".into())));
    s.update(Action::Call112);
    let html = render(s.clone());
    assert!(html.contains("Nu zou u 112 bellen"), "{html}");
    assert!(
        !html.contains("tel:112") && !html.contains("tel:08002000"),
        "never a number to dial"
    );
    let effects = s.update(Action::Confirm112(Utc::now()));
    assert!(effects.is_empty(), "nothing saved into the draft slot: {effects:?}");
    assert_eq!(s.practice.run.as_ref().and_then(|r| r.called_112_at), Some(Step::Acute));
    let kept = s.practice.run.as_ref().and_then(|r| r.real_case().cloned());
    assert_eq!(kept, real, "the real draft records no call");
    s.update(Action::Close112);
    s.update(Action::ShowVeiligThuis);
    let html = render(s.clone());
    assert!(
        html.contains("Nu zou u Veilig Thuis bellen") && !html.contains("href=\"tel:"),
        "{html}"
    );
    s.update(Action::Close112);

    // "Hulpvraag starten" puts the real case back at once, untouched.
    s.update(Action::Codeword {
        id: uuid::Uuid::new_v4(),
        now: Utc::now(),
    });
    assert!(!s.practising());
    assert_eq!(s.flow.as_ref().map(|f| f.draft.id), real_id);
    assert_eq!(s.flow.as_ref().and_then(|f| f.draft.acute_112_at), None);
    assert!(!render(s).contains(BANNER), "no banner on a real case");
}

#[test]
fn the_picker_lists_the_eight_situations_and_the_history_per_staff_member() {
    let mut s = enrolled(Lang::Nl);
    s.update(Action::Practice(PracticeAction::Open));
    let html = render(s.clone());
    for id in ScenarioId::ALL {
        assert!(html.contains(&format!("id=\"practise-{}\"", id.code())), "{id:?}");
    }
    assert!(html.contains("Een briefje aan een drukke balie") && html.contains("Nog niet geoefend"));
    let en = {
        let mut e = s.clone();
        e.update(Action::SetLang(Lang::En));
        render(e)
    };
    assert!(en.contains("A note at a busy counter"), "{en}");

    let mut wrong = ScenarioId::NotConfirmed.scenario().model();
    wrong.call_112_at = Some(Step::Acute);
    let mut done = walk(ScenarioId::NotConfirmed, &wrong);
    done.update(Action::Practice(PracticeAction::Open));
    let html = render(done);
    assert!(html.contains("Het vermoeden bevestigt zich niet"), "{html}");
    assert!(
        html.contains("<td>Geen profiel</td>") && html.contains("<td>1</td>"),
        "one differed: {html}"
    );
}

#[test]
fn practice_reports_are_marked_oefening_in_the_list_and_never_overdue() {
    let mut s = enrolled(Lang::Nl);
    let mut e = entry(LocalState::Server(meldcode::Status::Recorded), Kind::Melding, 30);
    e.practice = true;
    let real = entry(LocalState::Queued, Kind::Melding, 0);
    s.update(Action::Loaded {
        reports: vec![e, real],
        problem: None,
        now: Utc::now(),
    });
    s.update(Action::Go(Screen::Reports));
    let html = render(s);
    assert_eq!(html.matches("class=\"practice-mark\"").count(), 1, "{html}");
    assert!(
        !html.contains("class=\"overdue\""),
        "a practice run never asks to call Veilig Thuis"
    );
}

#[test]
fn the_team_screen_shows_how_often_each_member_practised() {
    let mut s = enrolled(Lang::Nl);
    s.staff = vec![meldcode::staff::StaffMember {
        name: "A. de Apotheker".into(),
        role: meldcode::ReporterRole::Pharmacist,
        phone: "020-1234567".into(),
        reachable: meldcode::dates::Reachable::UntilClosing,
    }];
    s.update(Action::Go(Screen::Team));
    assert!(!render(s.clone()).contains("Geoefend"), "not practised yet");
    s.update(Action::Practice(PracticeAction::Staff(Some("A. de Apotheker".into()))));
    for _ in 0..2 {
        s = walk_as(&s, ScenarioId::Bystander);
    }
    s.update(Action::Go(Screen::Team));
    let html = render(s);
    assert!(html.contains("Geoefend: 2×"), "{html}");
}

#[test]
fn practice_starts_as_a_real_case_does_with_the_situation_in_sight() {
    let mut s = enrolled(Lang::Nl);
    s.update(Action::Practice(PracticeAction::Open));
    s.update(Action::Practice(PracticeAction::Start {
        scenario: ScenarioId::AloneConsents,
        id: uuid::Uuid::new_v4(),
        now: Utc::now(),
    }));
    let real = meldcode::counter::start(uuid::Uuid::new_v4(), Utc::now()).draft;
    let d = &s.flow.as_ref().expect("a run").draft;
    assert!(
        d.afweging == real.afweging,
        "afweging 1 answered by the codeword, as in a real case"
    );
    assert_eq!(
        (d.voicemail_ok, d.sms_ok, d.never_at_home, d.via_pharmacy),
        (real.voicemail_ok, real.sms_ok, real.never_at_home, real.via_pharmacy),
        "the same safe defaults"
    );
    assert_eq!(d.reachable_until, None, "no \"tot\" time filled in for the reporter");
    let html = render(s);
    assert!(
        html.contains("id=\"practice-situation\"")
            && html.contains(
                ScenarioId::AloneConsents
                    .situation(Lang::Nl)
                    .split('"')
                    .next()
                    .unwrap_or("?")
            ),
        "the situation stays in sight during the run: {html}"
    );
}

#[test]
fn no_praise_for_a_consent_the_app_filled_in() {
    let id = ScenarioId::Accompanied;
    let html = render(walk(id, &id.scenario().model()));
    assert!(html.contains("id=\"feedback-all-right\""), "{html}");
    assert!(
        !html.contains("Toestemming juist vastgelegd"),
        "accompanied: the app recorded \"not asked\" itself: {html}"
    );
}
