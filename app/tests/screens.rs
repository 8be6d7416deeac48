//! Each screen's key content, rendered without a display (VirtualDom + dioxus-ssr).

use chrono::Utc;
use masker19::answers::Input;
use masker19::config::Settings;
use masker19::state::{Action, AppState, Screen};
use masker19::store::{LocalState, OutboxEntry};
use meldcode::flow::Question as Q;
use meldcode::{Kind, Lang, Status};

mod common;
use common::{enrolled, entry, in_flow, render, submitted_screen, unlock};

#[test]
fn home_has_the_codeword_and_the_emergency_bar_in_both_languages() {
    let html = render(enrolled(Lang::Nl));
    for needle in [
        "id=\"btn-codeword\"",
        "Hulpvraag starten",
        "Bel 112",
        "Veilig Thuis 0800-2000",
        "Verbergen",
    ] {
        assert!(html.contains(needle), "{needle} in {html}");
    }
    assert!(!html.contains("pin-setup"), "a PIN is set");
    let en = render(enrolled(Lang::En));
    assert!(en.contains("Call 112") && en.contains("Hide") && en.contains("Start a request for help"));
}

#[test]
fn without_a_pin_home_asks_for_one_with_labelled_fields() {
    let s = AppState::start(
        Some("Demo".into()),
        None,
        None,
        Lang::Nl,
        Settings::default(),
        Utc::now(),
    );
    let html = render(s);
    assert!(html.contains("id=\"pin-setup\""));
    assert!(html.contains("for=\"pin-new\"") && html.contains("for=\"pin-again\""));
}

#[test]
fn first_start_asks_server_code_and_pin() {
    let html = render(AppState::start(
        None,
        None,
        None,
        Lang::Nl,
        Settings::default(),
        Utc::now(),
    ));
    for needle in [
        "id=\"first-start\"",
        "for=\"fs-server\"",
        "for=\"fs-code\"",
        "for=\"fs-pin\"",
        "https://",
    ] {
        assert!(html.contains(needle), "{needle}");
    }
}

#[test]
fn a_step_shows_progress_its_question_and_its_options() {
    let html = render(in_flow());
    assert!(html.contains("id=\"step-channel\""));
    assert!(html.contains("Stap 1<"), "{html}");
    assert!(html.contains("<progress"));
    assert!(html.contains("Hoe kwam de hulpvraag binnen?"));
    assert!(html.contains("id=\"q-channel-balie\"") && html.contains("role=\"radio\""));
    assert!(html.contains("Bel 112"), "112 stays one tap away inside the procedure");
}

#[test]
fn a_refused_step_says_what_is_missing() {
    let mut s = in_flow();
    s.update(Action::Next(Utc::now()));
    let html = render(s);
    assert!(html.contains("role=\"alert\""));
    assert!(html.contains("Kanaal: Dit moet nog worden ingevuld."), "{html}");
}

#[test]
fn accompanied_asks_to_keep_the_screen_neutral() {
    let mut s = in_flow();
    s.update(Action::Answer(Q::Channel, Input::Choose("balie".into())));
    s.update(Action::Next(Utc::now()));
    s.update(Action::Answer(Q::AcuteDanger, Input::Choose("no".into())));
    s.update(Action::Next(Utc::now()));
    s.update(Action::Answer(Q::Accompanied, Input::Choose("yes".into())));
    // The neutral screen at once, in the same tap; behind it the reminder.
    let html = render(s.clone());
    assert!(
        html.contains("id=\"neutral\"") && !html.contains("accompanied"),
        "{html}"
    );
    unlock(&mut s);
    let html = render(s);
    assert!(html.contains("id=\"accompanied\""));
    assert!(html.contains("Neutraal scherm tot de cliënt weg is"));
}

#[test]
fn the_afwegingskader_shows_its_recommendation_and_why() {
    let mut s = in_flow();
    if let Some(f) = s.flow.as_mut() {
        f.draft.channel = Some(meldcode::Channel::Balie);
        f.draft.acute_danger = Some(false);
        f.draft.accompanied = Some(true);
        f.draft.kindcheck_status = Some(meldcode::KindcheckStatus::NotApplicable);
    }
    for _ in 0..6 {
        s.update(Action::Next(Utc::now()));
    }
    s.update(Action::Answer(Q::Suspicion, Input::Choose("yes".into())));
    s.update(Action::Next(Utc::now()));
    s.update(Action::Answer(Q::UnsafeSituation, Input::Choose("yes".into())));
    let html = render(s);
    assert!(html.contains("id=\"recommendation\""), "{html}");
    assert!(html.contains("melden bij Veilig Thuis is de norm"));
}

#[test]
fn the_neutral_screen_shows_nothing_of_the_case() {
    let mut s = in_flow();
    s.update(Action::Answer(Q::Channel, Input::Choose("balie".into())));
    s.update(Action::Hide);
    let html = render(s);
    assert!(html.contains("Apotheek — voorraad") && html.contains("id=\"unlock-pin\""));
    for secret in ["Masker", "112", "Veilig Thuis", "balie", "Hulpvraag"] {
        assert!(!html.contains(secret), "{secret} on the neutral screen");
    }
}

#[test]
fn the_status_screen_never_spins_silently() {
    let mut s = enrolled(Lang::Nl);
    let queued = entry(LocalState::Queued, Kind::Melding, 0);
    let id = queued.id;
    s.update(Action::Loaded {
        reports: vec![queued],
        problem: Some("no connection".into()),
        now: Utc::now(),
    });
    s.update(Action::Go(Screen::Submitted(id)));
    let html = render(s);
    assert!(
        html.contains("Nog niet verstuurd") && html.contains("Bel Veilig Thuis: 0800-2000"),
        "{html}"
    );
}

#[test]
fn a_rejection_shows_the_servers_reason_in_dutch() {
    let mut s = enrolled(Lang::Nl);
    let mut rejected = entry(LocalState::Rejected, Kind::Melding, 0);
    rejected.rejection = Some(meldcode::api::ErrorBody::new(
        422,
        "Unprocessable Entity",
        "the report breaks 1 rule(s)".into(),
        vec![meldcode::FieldError::new("/person/bsn", meldcode::Rule::Elfproef, "x")],
    ));
    let id = rejected.id;
    s.update(Action::Loaded {
        reports: vec![rejected],
        problem: None,
        now: Utc::now(),
    });
    s.update(Action::Go(Screen::Submitted(id)));
    let html = render(s);
    assert!(html.contains("Geweigerd door de server"));
    assert!(html.contains("BSN: Dit is geen geldig BSN (elfproef)."), "{html}");
    assert!(html.contains("Bel Veilig Thuis: 0800-2000"));
}

#[test]
fn the_list_flags_meldingen_not_in_intake_after_four_hours() {
    let mut s = enrolled(Lang::Nl);
    let old = entry(LocalState::Server(Status::Received), Kind::Melding, 5);
    let fresh = entry(LocalState::Server(Status::Received), Kind::Melding, 1);
    let done = entry(LocalState::Server(Status::Acknowledged), Kind::Melding, 9);
    let count = entry(LocalState::Server(Status::Recorded), Kind::GeenMelding, 9);
    s.update(Action::Loaded {
        reports: vec![old, fresh, done, count],
        problem: None,
        now: Utc::now(),
    });
    s.update(Action::Go(Screen::Reports));
    let html = render(s);
    assert_eq!(
        html.matches("nog niet in behandeling — bel Veilig Thuis: 0800-2000")
            .count(),
        1,
        "{html}"
    );
    assert!(
        html.contains("Verstuurd — in behandeling bij Veilig Thuis")
            && html.contains("Verstuurd — geteld (niet doorgestuurd)")
    );
}

#[test]
fn a_report_that_could_not_be_stored_says_so_and_keeps_the_case() {
    let mut s = in_flow();
    let id = s.flow.as_ref().map(|f| f.draft.id).unwrap_or_default();
    s.update(Action::EnqueueFailed(id));
    let html = render(s);
    assert!(html.contains("Niet opgeslagen — bel Veilig Thuis: 0800-2000"), "{html}");
    assert!(html.contains("id=\"step-channel\""), "the case stays on screen");
    assert!(!html.contains("id=\"submitted\""));
}

#[test]
fn a_rejected_report_in_the_list_shows_0800_2000_beside_it() {
    let mut s = enrolled(Lang::Nl);
    let rejected = entry(LocalState::Rejected, Kind::Melding, 0);
    s.update(Action::Loaded {
        reports: vec![rejected],
        problem: None,
        now: Utc::now(),
    });
    s.update(Action::Go(Screen::Reports));
    let html = render(s);
    let row = html
        .split("<tr")
        .find(|r| r.contains("status-rejected"))
        .unwrap_or_default();
    assert!(row.contains("bel Veilig Thuis: 0800-2000"), "{row}");
}

fn rejected_for(path: &str, rule: meldcode::Rule) -> OutboxEntry {
    let mut e = entry(LocalState::Rejected, Kind::Melding, 0);
    e.rejection = Some(meldcode::api::ErrorBody::new(
        422,
        "Unprocessable Entity",
        "the report breaks 1 rule(s)".into(),
        vec![meldcode::FieldError::new(path, rule, "x")],
    ));
    e
}

#[test]
fn a_report_rejected_for_the_clock_offers_to_send_it_again() {
    let html = render(submitted_screen(rejected_for(
        "/created_at",
        meldcode::Rule::OutOfWindow,
    )));
    assert!(
        html.contains("id=\"btn-resend\"") && html.contains("Opnieuw versturen"),
        "{html}"
    );
    let html = render(submitted_screen(rejected_for("/person/bsn", meldcode::Rule::Elfproef)));
    assert!(
        !html.contains("btn-resend"),
        "a wrong BSN is not fixed by sending again"
    );
    assert!(html.contains("Bel Veilig Thuis: 0800-2000"));
}

#[test]
fn deleting_a_rejected_report_asks_for_the_pin() {
    let e = rejected_for("/person/bsn", meldcode::Rule::Elfproef);
    let id = e.id;
    let mut s = submitted_screen(e);
    assert!(render(s.clone()).contains("id=\"btn-delete\""));
    s.update(Action::AskDelete(id));
    s.update(Action::DeletePinInput("0000".into()));
    s.update(Action::ConfirmDelete);
    let html = render(s);
    assert!(
        html.contains("id=\"delete-pin\"") && html.contains("type=\"password\""),
        "{html}"
    );
    assert!(html.contains("Onjuiste code."), "{html}");
}

#[test]
fn a_report_the_server_lost_says_call_0800_2000_and_is_deleted_behind_the_pin() {
    let e = entry(LocalState::Lost, Kind::Melding, 24 * 31);
    let id = e.id;
    let mut s = submitted_screen(e);
    let html = render(s.clone());
    assert!(
        html.contains("Veilig Thuis heeft deze melding niet — bel 0800-2000"),
        "{html}"
    );
    assert!(!html.contains("Verstuurd"), "never shown as sent: {html}");
    assert!(
        html.contains("id=\"btn-delete\"") && !html.contains("btn-resend"),
        "{html}"
    );
    s.update(Action::AskDelete(id));
    s.update(Action::DeletePinInput("1919".into()));
    assert_eq!(
        s.update(Action::ConfirmDelete),
        vec![masker19::state::Effect::DeleteRejected(id)]
    );
}

#[test]
fn the_kenmerk_is_the_one_intake_reads_out_upper_case_everywhere() {
    let e = entry(LocalState::Server(Status::Received), Kind::Melding, 0);
    let id = e.id;
    let upper = meldcode::intake::kenmerk(&id.to_string());
    let lower = upper.to_ascii_lowercase();
    assert_ne!(
        upper, lower,
        "an id with letters in its first 8 digits would show the difference"
    );
    let mut s = submitted_screen(e);
    let mut pages = vec![render(s.clone())];
    s.update(Action::Go(Screen::Reports));
    pages.push(render(s.clone()));
    s.update(Action::OpenReport(id));
    pages.push(render(s));
    for html in pages {
        assert!(html.contains(&format!("<code>{upper}</code>")), "{upper} on: {html}");
        assert!(!html.contains(&format!(">{lower}")), "{lower} shown on: {html}");
    }
}
