//! The counter under pressure, screen by screen without a display: uncontrolled text
//! fields, Dutch dates, the neutral window, focus and layout that hold still, 112 made safe, the
//! honest queue and starting again.

use chrono::Utc;
use masker19::answers::Input;
use masker19::state::{Action, AppState, Screen};
use masker19::store::LocalState;
use meldcode::flow::{Question as Q, Step};
use meldcode::{Kind, Lang};

mod common;
use common::{enrolled, entry, in_flow, render, submitted_screen, unlock};

/// A case walked with real answers to `step` (a melding for an accompanied client).
fn at_step(step: Step) -> AppState {
    let mut s = in_flow();
    let answers: &[(Q, &str)] = &[
        (Q::Channel, "balie"),
        (Q::AcuteDanger, "no"),
        (Q::Accompanied, "yes"),
        (Q::KindcheckStatus, "not_applicable"),
        (Q::Suspicion, "yes"),
        (Q::UnsafeSituation, "yes"),
    ];
    for _ in 0..20 {
        let current = s.flow.as_ref().map(|f| f.current());
        if current == Some(step) {
            return s;
        }
        for (q, c) in answers {
            if q.step() == current.unwrap_or(Step::Review) {
                s.update(Action::Answer(*q, Input::Choose((*c).into())));
                unlock(&mut s);
            }
        }
        if current == Some(Step::Person) {
            for (q, t) in [
                (Q::PersonName, "Test Persoon"),
                (Q::DateOfBirth, "15-03-1988"),
                (Q::Street, "Teststraat"),
                (Q::HouseNumber, "1"),
                (Q::Postcode, "1012 AB"),
                (Q::City, "Amsterdam"),
            ] {
                s.update(Action::Answer(q, Input::Text(t.into())));
            }
            s.update(Action::Answer(Q::Gemeente, Input::Choose("GM0363".into())));
        }
        if current == Some(Step::SafeContact) {
            s.update(Action::Answer(Q::SafeTimes, Input::Text("werkdagen".into())));
            for (q, c) in [
                (Q::VoicemailOk, "no"),
                (Q::SmsOk, "no"),
                (Q::NeverAtHome, "yes"),
                (Q::InterpreterNeeded, "no"),
                (Q::ViaPharmacy, "yes"),
            ] {
                s.update(Action::Answer(q, Input::Choose(c.into())));
            }
        }
        // A lone single choice has moved on by itself.
        if s.flow.as_ref().map(|f| f.current()) == current {
            s.update(Action::Next(Utc::now()));
        }
    }
    panic!("did not reach {step:?}: {:?}", s.problems);
}

/// Every `<tag …>` opening tag of a kind in the html.
fn tags<'a>(html: &'a str, tag: &str) -> Vec<&'a str> {
    html.split(&format!("<{tag} "))
        .skip(1)
        .map(|rest| rest.split('>').next().unwrap_or_default())
        .collect()
}

#[test]
fn text_fields_are_never_re_set_from_state_while_keys_arrive() {
    for step in [Step::Signals, Step::Person, Step::Reporter] {
        let html = render(at_step(step));
        let fields: Vec<&str> = tags(&html, "input")
            .into_iter()
            .chain(tags(&html, "textarea"))
            .collect();
        assert!(!fields.is_empty(), "{step:?}");
        for f in fields {
            assert!(
                !f.contains(" value=") && !f.starts_with("value="),
                "{step:?}: a controlled field <{f}>"
            );
        }
    }
}

#[test]
fn dates_are_dutch_text_fields_never_the_locale_s_date_picker() {
    for step in [Step::Consultation, Step::Person, Step::Reporter] {
        let html = render(at_step(step));
        assert!(
            !html.contains("type=\"date\"") && !html.contains("datetime-local"),
            "{step:?}"
        );
    }
    let html = render(at_step(Step::Person));
    let dob = tags(&html, "input")
        .into_iter()
        .find(|t| t.contains("id=\"q-date_of_birth\""))
        .unwrap_or_default();
    assert!(
        dob.contains("type=\"text\"") && dob.contains("placeholder=\"dd-mm-jjjj\""),
        "{dob}"
    );

    let mut s = at_step(Step::Person);
    s.update(Action::Answer(Q::DateOfBirth, Input::Text("1988-03-15".into())));
    s.update(Action::Next(Utc::now()));
    assert_eq!(s.flow.as_ref().map(|f| f.current()), Some(Step::Person), "refused");
    let html = render(s);
    assert!(
        html.contains("Vul de datum in als dd-mm-jjjj, bijvoorbeeld 15-03-1988."),
        "{html}"
    );
}

#[test]
fn reachable_until_is_quick_choices_and_a_time() {
    let html = render(at_step(Step::Reporter));
    assert!(html.contains("id=\"q-reachable_until-tomorrow_noon\"") && html.contains("tot morgen 12:00"));
    assert!(html.contains("placeholder=\"uu:mm\""));
    let mut s = at_step(Step::Reporter);
    s.update(Action::Answer(Q::ReachableUntil, Input::Choose("tomorrow_noon".into())));
    assert!(s.flow.as_ref().and_then(|f| f.draft.reachable_until).is_some());
}

#[test]
fn the_window_is_neutral_without_tooltips() {
    assert!(!masker19::texts::WINDOW_TITLE.contains("Masker"));
    let mut hidden = in_flow();
    hidden.update(Action::Hide);
    for s in [enrolled(Lang::Nl), in_flow(), at_step(Step::Accompanied), hidden] {
        let html = render(s);
        assert!(
            !html.contains(" title="),
            "no tooltip stays over the neutral screen: {html}"
        );
        assert!(!html.contains("Toets Esc"));
    }
    let home = render(enrolled(Lang::Nl));
    assert!(
        !home.contains("Masker 19"),
        "nothing of the scheme large on the home screen: {home}"
    );
    assert!(
        home.contains("id=\"btn-neutral-home\""),
        "the neutral screen, one tap from home"
    );
}

#[test]
fn the_neutral_screen_focuses_the_pin_field() {
    let mut s = in_flow();
    s.update(Action::Hide);
    let html = render(s);
    let pin = tags(&html, "input")
        .into_iter()
        .find(|t| t.contains("id=\"unlock-pin\""))
        .unwrap_or_default();
    assert!(pin.contains("autofocus"), "{pin}");
}

#[test]
fn a_step_takes_the_focus_on_its_heading_not_on_112() {
    let html = render(in_flow());
    assert!(html.contains("<h1 id=\"step-title\" tabindex=\"-1\""), "{html}");
    // 112 and Veilig Thuis are buttons in the Tab order, neither focused first.
    let vt = tags(&html, "button").into_iter().find(|t| t.contains("id=\"btn-vt\""));
    assert!(vt.is_some(), "Veilig Thuis is a button: {html}");
    assert!(!html.contains("autofocus"), "nothing but the heading takes the focus");
}

#[test]
fn boxes_that_appear_after_an_answer_have_their_room_kept() {
    let html = render(at_step(Step::Accompanied));
    assert!(html.contains("id=\"accompanied-slot\""), "before the answer: {html}");
    assert!(!html.contains("id=\"accompanied\""));
    let html = render(at_step(Step::Suspicion));
    assert!(html.contains("id=\"advice-slot\"") && !html.contains("id=\"recommendation\""));
}

/// `(value, max)` of the progress bar.
fn bar(html: &str) -> (usize, usize) {
    let tag = tags(html, "progress").into_iter().next().unwrap_or_default();
    let attr = |name: &str| {
        tag.split(&format!("{name}=\""))
            .nth(1)
            .and_then(|r| r.split('"').next())
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (attr("value"), attr("max"))
}

#[test]
fn the_progress_bar_never_goes_backwards() {
    let mut last = (0, 1);
    // Every step this case shows (accompanied: no conversation; afweging 2 = yes: 3-5 skipped).
    let shown = Step::ALL.into_iter().filter(|s| {
        !matches!(
            s,
            Step::Conversation | Step::OwnHelp | Step::HelpAccepted | Step::LastingSafety | Step::Review
        )
    });
    for step in shown {
        let now = bar(&render(at_step(step)));
        assert!(now.0 * last.1 > last.0 * now.1, "{step:?}: {last:?} → {now:?}");
        last = now;
    }
}

#[test]
fn veilig_thuis_does_something_on_desktop() {
    let mut s = in_flow();
    s.update(Action::ShowVeiligThuis);
    let html = render(s);
    assert!(html.contains("id=\"panel-vt\"") && html.contains("big-number vt") && html.contains("0800-2000"));
}

#[test]
fn calling_112_asks_before_it_records_and_offers_undo() {
    let mut s = in_flow();
    s.update(Action::Call112);
    let html = render(s.clone());
    assert!(
        html.contains("112 gebeld?") && html.contains("id=\"btn-confirm-112\""),
        "{html}"
    );
    assert!(!html.contains("class=\"recorded\""));
    s.update(Action::Confirm112(Utc::now()));
    let html = render(s);
    assert!(
        html.contains("id=\"btn-undo-112\"") && html.contains("Ongedaan maken"),
        "{html}"
    );
}

#[test]
fn the_queue_is_honest_in_dutch() {
    let mut s = enrolled(Lang::Nl);
    let queued = entry(LocalState::Queued, Kind::Melding, 0);
    let id = queued.id;
    s.update(Action::Loaded {
        reports: vec![queued, entry(LocalState::Queued, Kind::Adviesvraag, 1)],
        problem: Some("no connection".into()),
        now: Utc::now(),
    });
    let home = render(s.clone());
    assert!(
        home.contains("id=\"home-unsent\"") && home.contains(">2<"),
        "a badge: {home}"
    );
    assert!(home.contains("Nu opnieuw proberen"));
    s.update(Action::Go(Screen::Submitted(id)));
    let html = render(s);
    assert!(html.contains("Opgeslagen — nog niet verstuurd"), "{html}");
    assert!(
        !html.contains("Opgeslagen en verstuurd"),
        "never 'verstuurd' before the server accepted"
    );
    assert!(!html.contains("no connection"), "no English: {html}");
    assert!(html.contains("Geen verbinding met de server"));
    assert!(html.contains("id=\"btn-retry-now\""));
}

#[test]
fn an_accepted_report_says_what_the_server_did() {
    let e = entry(LocalState::Server(meldcode::Status::Received), Kind::Melding, 0);
    assert!(render(submitted_screen(e)).contains("Verstuurd — ontvangen door de server"));
}

#[test]
fn a_draft_can_be_discarded_with_the_pin() {
    let mut s = in_flow();
    s.update(Action::Go(Screen::Home));
    assert!(render(s.clone()).contains("id=\"btn-discard\""));
    s.update(Action::AskDiscard);
    let html = render(s.clone());
    assert!(html.contains("id=\"discard-pin\"") && html.contains("type=\"password\""));
    s.update(Action::DiscardPinInput("0000".into()));
    s.update(Action::ConfirmDiscard);
    assert!(s.flow.is_some(), "a wrong PIN discards nothing");
    assert!(render(s.clone()).contains("Onjuiste code."));
    s.update(Action::DiscardPinInput("1919".into()));
    let effects = s.update(Action::ConfirmDiscard);
    assert!(s.flow.is_none() && s.screen == Screen::Home);
    assert_eq!(effects, vec![masker19::state::Effect::DiscardDraft]);
}

#[test]
fn the_kindcheck_starts_with_one_yes_or_no() {
    let html = render(at_step(Step::Kindcheck));
    let yes = html.split("id=\"q-kindcheck_status-done\"").nth(1).unwrap_or_default();
    let no = html
        .split("id=\"q-kindcheck_status-not_applicable\"")
        .nth(1)
        .unwrap_or_default();
    assert!(
        yes.split("</button>").next().unwrap_or_default().ends_with(">Ja"),
        "{html}"
    );
    assert!(
        no.split("</button>").next().unwrap_or_default().ends_with(">Nee"),
        "{html}"
    );
}

#[test]
fn without_a_team_the_reporter_step_suggests_setting_it_up_and_keeps_the_case() {
    let mut s = at_step(Step::Reporter);
    assert!(s.staff.is_empty());
    let html = render(s.clone());
    assert!(
        html.contains("id=\"no-team\"") && html.contains("id=\"btn-set-up-team\""),
        "{html}"
    );
    let case = s.flow.clone();
    s.update(Action::Go(Screen::Team));
    assert_eq!(s.screen, Screen::Team);
    assert_eq!(s.flow, case, "the case is kept");
}
