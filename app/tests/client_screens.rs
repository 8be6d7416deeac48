//! The client's screen, the report page with its history and "Dit apparaat" (the device id an
//! administrator revokes), rendered without a display (VirtualDom + dioxus-ssr).

use chrono::{TimeZone, Utc};
use masker19::state::{Action, AppState, ClientAction, Screen};
use masker19::store::{HistoryEvent, HistoryItem, LocalState};
use meldcode::client_screen::ClientLang;
use meldcode::delivery::DeliveryProblem;
use meldcode::{Kind, Lang, Status};

mod common;
mod walk;
use common::{enrolled, entry, render};
use walk::at_review;

fn turned(mut s: AppState, lang: ClientLang) -> AppState {
    s.update(Action::Client(ClientAction::Turn));
    s.update(Action::Client(ClientAction::Lang(lang)));
    s
}

#[test]
fn the_client_screen_is_offered_on_the_review_only_when_the_client_is_alone() {
    let alone = render(at_review(true));
    assert!(alone.contains("id=\"btn-turn-to-client\""), "{alone}");
    assert!(alone.contains("Scherm naar cliënt draaien"));

    let mut accompanied = at_review(false);
    let html = render(accompanied.clone());
    assert!(html.contains("id=\"review\""), "the review is on screen");
    assert!(!html.contains("btn-turn-to-client"), "not offered while accompanied");
    // Not reachable by action either: turning and picking a language change nothing.
    accompanied.update(Action::Client(ClientAction::Turn));
    accompanied.update(Action::Client(ClientAction::Lang(ClientLang::Ar)));
    assert_eq!(accompanied.client_on_screen(), None);
    let html = render(accompanied);
    assert!(
        !html.contains("client-screen") && !html.contains("client-langs"),
        "{html}"
    );
    assert!(html.contains("id=\"review\""));
}

#[test]
fn the_client_picks_a_language_by_its_own_name() {
    let mut s = at_review(true);
    s.update(Action::Client(ClientAction::Turn));
    let html = render(s);
    assert!(html.contains("id=\"client-langs\""), "{html}");
    for l in ClientLang::ALL {
        assert!(
            html.contains(&format!("id=\"client-lang-{}\"", l.code())) && html.contains(l.own_name()),
            "{}",
            l.code()
        );
    }
    assert!(
        !html.contains("class=\"topbar\""),
        "the pharmacist's bar is not on the client's screen"
    );
    assert!(html.contains("id=\"btn-hide\""), "Verbergen stays");
}

#[test]
fn all_eight_languages_read_back_the_safe_number_and_times() {
    for l in ClientLang::ALL {
        let html = render(turned(at_review(true), l));
        assert!(html.contains("id=\"client-screen\""), "{}: {html}", l.code());
        assert!(html.contains(&format!("lang=\"{}\"", l.code())), "{}", l.code());
        assert!(html.contains("06-12345678"), "{}: the safe number", l.code());
        assert!(html.contains("10-12"), "{}: the safe times", l.code());
        assert_eq!(
            html.contains("werkdagen"),
            l == ClientLang::Nl,
            "{}: the safe times' words in the client's language",
            l.code()
        );
        assert!(html.contains("112"), "{}: 112 in danger", l.code());
        assert!(html.contains("id=\"btn-client-back\""), "{}", l.code());
        assert!(html.contains("id=\"btn-hide\""), "{}: Verbergen", l.code());
        assert_eq!(
            html.contains("class=\"not-reviewed\""),
            !l.reviewed(),
            "{}: draft translations say so",
            l.code()
        );
    }
}

#[test]
fn arabic_is_right_to_left_and_the_others_are_not() {
    let ar = render(turned(at_review(true), ClientLang::Ar));
    assert!(
        ar.contains("id=\"client-screen\" class=\"client client-screen\" lang=\"ar\" dir=\"rtl\""),
        "{ar}"
    );
    assert!(ar.contains("ما الذي سيحدث الآن"));
    let tr = render(turned(at_review(true), ClientLang::Tr));
    assert!(tr.contains("lang=\"tr\" dir=\"ltr\""), "{tr}");
}

#[test]
fn arabic_keeps_the_safe_number_times_and_latin_names_left_to_right() {
    let ar = render(turned(at_review(true), ClientLang::Ar));
    for run in ["06-12345678", "10-12", "Veilig Thuis", "112"] {
        assert!(
            ar.contains(&format!("<bdi dir=\"ltr\">{run}</bdi>")),
            "{run} isolated left to right: {ar}"
        );
    }
    assert!(!ar.contains("werkdagen"), "the safe times in Arabic: {ar}");
    assert!(ar.contains("أيام العمل"), "{ar}");
    // The way back: the Arabic word, a spaced separator, the Dutch word isolated.
    assert!(
        ar.contains("رجوع<span class=\"back-nl\"> · <span lang=\"nl\" dir=\"ltr\">Terug</span>"),
        "{ar}"
    );
    assert!(
        masker19::views::CSS.contains(".client-lines bdi { white-space: nowrap; }"),
        "an isolated number never breaks at its hyphen"
    );
    // Left-to-right languages need no isolation.
    let tr = render(turned(at_review(true), ClientLang::Tr));
    assert!(tr.contains("06-12345678") && !tr.contains("<bdi"), "{tr}");
}

#[test]
fn back_is_one_tap_and_hiding_closes_the_client_screen() {
    let mut s = turned(at_review(true), ClientLang::So);
    s.update(Action::Client(ClientAction::Back));
    let html = render(s.clone());
    assert!(
        html.contains("id=\"review\"") && !html.contains("client-screen"),
        "{html}"
    );

    let mut s = turned(at_review(true), ClientLang::Uk);
    s.update(Action::Hide);
    assert!(render(s.clone()).contains("id=\"neutral\""));
    s.update(Action::UnlockInput("1919".into()));
    s.update(Action::Unlock(chrono::Utc::now()));
    let html = render(s);
    assert!(
        html.contains("id=\"review\"") && !html.contains("client-screen"),
        "the pharmacist's screen comes back"
    );
}

#[test]
fn the_client_screen_is_offered_after_the_report_is_written() {
    let mut s = at_review(true);
    let id = s.flow.as_ref().map(|f| f.draft.id).expect("a flow");
    s.update(Action::Submit(Utc::now()));
    s.update(Action::Enqueued(id));
    s.update(Action::Loaded {
        reports: vec![{
            let mut e = entry(LocalState::Queued, Kind::Melding, 0);
            e.id = id;
            e
        }],
        problem: None,
        now: Utc::now(),
    });
    assert_eq!(s.screen, Screen::Submitted(id));
    assert!(render(s.clone()).contains("id=\"btn-turn-to-client\""));
    let html = render(turned(s.clone(), ClientLang::Pl));
    assert!(
        html.contains("id=\"client-screen\"") && html.contains("06-12345678"),
        "{html}"
    );

    // A new case forgets the block.
    s.update(Action::Go(Screen::Home));
    s.update(Action::Codeword {
        id: uuid::Uuid::new_v4(),
        now: Utc::now(),
    });
    s.update(Action::Go(Screen::Submitted(id)));
    assert!(!render(s).contains("btn-turn-to-client"));
}

#[test]
fn once_the_personal_data_is_wiped_the_client_screen_with_the_number_is_gone() {
    let mut s = at_review(true);
    let id = s.flow.as_ref().map(|f| f.draft.id).expect("a flow");
    s.update(Action::Submit(Utc::now()));
    s.update(Action::Enqueued(id));
    let line = |wiped: bool| {
        let mut e = entry(LocalState::Server(Status::Closed), Kind::Melding, 0);
        e.id = id;
        e.wiped = wiped;
        e
    };
    s.update(Action::Loaded {
        reports: vec![line(false)],
        problem: None,
        now: Utc::now(),
    });
    let mut turned_now = turned(s.clone(), ClientLang::Nl);
    assert!(render(turned_now.clone()).contains("06-12345678"));
    // The loop closed, the device wiped the report ("Persoonsgegevens gewist"), on screen or not.
    for st in [&mut s, &mut turned_now] {
        st.update(Action::Loaded {
            reports: vec![line(true)],
            problem: None,
            now: Utc::now(),
        });
        let html = render(st.clone());
        assert!(
            !html.contains("btn-turn-to-client") && !html.contains("06-12345678") && !html.contains("client-screen"),
            "{html}"
        );
        assert!(st.client.just_sent.is_none(), "the number has left memory too");
    }
}

#[test]
fn the_report_page_shows_its_history_in_dutch_with_dutch_dates() {
    let mut s = enrolled(Lang::Nl);
    let e = entry(LocalState::Server(Status::Forwarded), Kind::Melding, 1);
    let id = e.id;
    s.update(Action::Loaded {
        reports: vec![e],
        problem: None,
        now: Utc::now(),
    });
    s.update(Action::Go(Screen::Reports));
    let list = render(s.clone());
    assert!(list.contains(&format!("id=\"report-{id}\"")));
    assert!(!list.contains("Test Persoon"), "no personal data on the list");

    s.update(Action::OpenReport(id));
    assert_eq!(s.screen, Screen::Report(id));
    // 14 March 2026, 13:05 UTC is 14:05 in Amsterdam (winter time); 2 July 09:30 UTC is 11:30.
    let at = |m, d, h, min| Utc.with_ymd_and_hms(2026, m, d, h, min, 0).single().expect("a time");
    let items = vec![
        HistoryItem {
            at: at(3, 14, 13, 5),
            event: HistoryEvent::Created,
        },
        HistoryItem {
            at: at(3, 14, 13, 5),
            event: HistoryEvent::Queued,
        },
        HistoryItem {
            at: at(3, 14, 13, 6),
            event: HistoryEvent::AttemptFailed {
                problem: DeliveryProblem::Unreachable,
                http_status: None,
            },
        },
        HistoryItem {
            at: at(3, 14, 13, 8),
            event: HistoryEvent::AttemptFailed {
                problem: DeliveryProblem::ServerBusy,
                http_status: Some(503),
            },
        },
        HistoryItem {
            at: at(7, 2, 9, 30),
            event: HistoryEvent::Accepted,
        },
        HistoryItem {
            at: at(7, 2, 9, 30),
            event: HistoryEvent::Server(Status::Received),
        },
        HistoryItem {
            at: at(7, 2, 9, 31),
            event: HistoryEvent::Server(Status::Forwarded),
        },
    ];
    s.update(Action::HistoryLoaded(id, items));
    let html = render(s);
    assert!(html.contains("id=\"report-history\""), "{html}");
    for needle in [
        "14-03-2026 14:05",
        "14-03-2026 14:08",
        "02-07-2026 11:30",
        "02-07-2026 11:31",
        "Afgerond door de apotheker",
        "Opgeslagen op dit apparaat, in de wachtrij",
        "Verzendpoging mislukt: ",
        "(HTTP 503)",
        "Aangenomen door de server",
        "Server meldt: Ontvangen",
        "Server meldt: Doorgestuurd naar Veilig Thuis",
    ] {
        assert!(html.contains(needle), "{needle} in {html}");
    }
    assert!(!html.contains("PM") && !html.contains("03/14"), "24 h, day first");
}

#[test]
fn the_report_page_opens_only_for_a_report_of_this_device() {
    let mut s = enrolled(Lang::Nl);
    let effects = s.update(Action::OpenReport(uuid::Uuid::new_v4()));
    assert!(effects.is_empty());
    assert_eq!(s.screen, Screen::Home);
}

#[test]
fn this_device_s_id_is_on_the_reports_page() {
    let mut s = enrolled(Lang::Nl);
    s.device_id = Some("7f3c2a90-1b2c-4d5e-8f90-a1b2c3d4e5f6".into());
    s.update(Action::Go(Screen::Reports));
    let html = render(s.clone());
    assert!(html.contains("id=\"this-device\""), "{html}");
    assert!(html.contains("Dit apparaat: ") && html.contains("7f3c2a90-1b2c-4d5e-8f90-a1b2c3d4e5f6"));
    assert!(html.contains("beheerder"));
    s.device_id = None;
    assert!(
        !render(s).contains("this-device"),
        "not shown before enrolment gave one"
    );
}

#[test]
fn tigrinya_has_a_font_the_app_carries_with_its_licence() {
    use masker19::views::fonts::{ETHIOPIC_FAMILY, FONTS_CSS};
    assert!(
        FONTS_CSS.starts_with("@font-face")
            && FONTS_CSS.contains(&format!("font-family: \"{ETHIOPIC_FAMILY}\""))
            && FONTS_CSS.contains("url(data:font/ttf;base64,AAEAAA"),
        "the font is compiled in as a data: URI"
    );
    assert!(FONTS_CSS.contains("U+1200-139F"), "for the Ethiopic blocks");
    assert!(
        masker19::views::CSS.contains(&format!(
            ".client {{ font-family: system-ui, \"Segoe UI\", Roboto, \"Noto Sans\", \"{ETHIOPIC_FAMILY}\""
        )),
        "the client's screen lists the font"
    );
    let ti = render(turned(at_review(true), ClientLang::Ti));
    assert!(
        ti.contains("class=\"client client-screen\" lang=\"ti\""),
        "{}",
        &ti[..ti.len().min(2000)]
    );
    let licence = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../assets/fonts/OFL.txt"))
        .expect("the font's licence is in the repository");
    assert!(licence.contains("SIL OPEN FONT LICENSE Version 1.1") && licence.contains("Noto Sans Ethiopic"));
}

#[test]
fn the_report_history_tells_attempts_in_one_minute_apart_by_their_seconds() {
    let mut s = enrolled(Lang::Nl);
    let e = entry(LocalState::Queued, Kind::Melding, 1);
    let id = e.id;
    s.update(Action::Loaded {
        reports: vec![e],
        problem: None,
        now: Utc::now(),
    });
    s.update(Action::OpenReport(id));
    let failed = |sec| HistoryItem {
        at: Utc.with_ymd_and_hms(2026, 3, 14, 13, 6, sec).single().expect("a time"),
        event: HistoryEvent::AttemptFailed {
            problem: DeliveryProblem::Unreachable,
            http_status: None,
        },
    };
    s.update(Action::HistoryLoaded(id, vec![failed(10), failed(40)]));
    let html = render(s);
    assert!(
        html.contains("14-03-2026 14:06:10") && html.contains("14-03-2026 14:06:40"),
        "{html}"
    );
}
