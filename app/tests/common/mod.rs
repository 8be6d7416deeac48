//! What the screen tests share: a state rendered without a display (VirtualDom + dioxus-ssr).
#![allow(dead_code)]

use chrono::Utc;
use dioxus::prelude::*;
use masker19::config::Settings;
use masker19::state::{Action, AppState, Screen};
use masker19::store::{LocalState, OutboxEntry};
use masker19::views::{Shell, Ui};
use meldcode::{Kind, Lang};

#[derive(Props, Clone)]
pub struct Root {
    pub state: AppState,
}

impl PartialEq for Root {
    fn eq(&self, _: &Root) -> bool {
        false
    }
}

thread_local! {
    /// The state signal of the last [`RootView`] rendered on this thread (to change it after).
    pub static STATE: std::cell::Cell<Option<Signal<AppState>>> = const { std::cell::Cell::new(None) };
}

#[allow(non_snake_case)]
pub fn RootView(props: Root) -> Element {
    let state = use_signal(|| props.state.clone());
    STATE.with(|s| s.set(Some(state)));
    use_context_provider(|| Ui { state, effects: None });
    rsx! { Shell {} }
}

pub fn render(state: AppState) -> String {
    let mut dom = VirtualDom::new_with_props(RootView, Root { state });
    dom.rebuild_in_place();
    dioxus_ssr::render(&dom)
}

pub fn enrolled(lang: Lang) -> AppState {
    AppState::start(
        Some("Demo-apotheek".into()),
        masker19::pin::hash("1919").ok(),
        None,
        lang,
        Settings::default(),
        Utc::now(),
    )
}

/// Back from the neutral screen with the PIN (\"Ja, begeleid\" puts it up by itself).
pub fn unlock(s: &mut AppState) {
    if s.hidden {
        s.update(masker19::state::Action::UnlockInput("1919".into()));
        s.update(masker19::state::Action::Unlock(Utc::now()));
    }
}

pub fn in_flow() -> AppState {
    let mut s = enrolled(Lang::Nl);
    s.update(Action::Codeword {
        id: uuid::Uuid::new_v4(),
        now: Utc::now(),
    });
    s
}

pub fn entry(state: LocalState, kind: Kind, hours_ago: i64) -> OutboxEntry {
    let t = Utc::now() - chrono::Duration::hours(hours_ago);
    OutboxEntry {
        id: uuid::Uuid::new_v4(),
        kind,
        created_at: t,
        queued_at: t,
        state,
        attempts: 2,
        next_attempt_at: Some(Utc::now()),
        last_error: Some("no connection".into()),
        rejection: None,
        http_status: None,
        vt_region: None,
        accepted_at: None,
        wiped: false,
        practice: false,
    }
}

/// The status screen of one outbox line.
pub fn submitted_screen(e: OutboxEntry) -> AppState {
    let mut s = enrolled(Lang::Nl);
    let id = e.id;
    s.update(Action::Loaded {
        reports: vec![e],
        problem: None,
        now: Utc::now(),
    });
    s.update(Action::Go(Screen::Submitted(id)));
    s
}
