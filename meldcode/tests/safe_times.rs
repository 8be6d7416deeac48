//! The safe-contact times as intake reads them: any text is read without a panic, and a window
//! written as people write it holds exactly the hours it names, in Amsterdam time.

use chrono::{DateTime, TimeZone, Timelike, Utc};
use meldcode::intake::{SafeRoute, SafeWindow};
use proptest::prelude::*;

/// 7 December 2026 (a Monday) at `hour`:`minute`, Amsterdam time.
fn monday_at(hour: u32, minute: u32) -> DateTime<Utc> {
    meldcode::TIME_ZONE
        .with_ymd_and_hms(2026, 12, 7, hour, minute, 0)
        .single()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_default()
}

proptest! {
    #[test]
    fn any_text_is_read_without_a_panic(text in "[0-9a-z:.\\- –/']{0,80}") {
        let window = SafeWindow::parse(&text);
        let _ = window.map(|w| w.contains(Utc::now()));
        let _ = SafeRoute::of_times(&text, Utc::now());
    }

    #[test]
    fn a_window_holds_exactly_its_hours(from in 0u32..24, to in 0u32..24, hour in 0u32..24, minute in 0u32..60) {
        prop_assume!(from != to);
        let text = format!("Elke dag tussen {from} en {to} uur");
        let window = SafeWindow::parse(&text);
        prop_assert!(window.is_some(), "{}", text);
        let now = monday_at(hour, minute);
        let h = now.with_timezone(&meldcode::TIME_ZONE).hour();
        let inside = if from < to { (from..to).contains(&h) } else { h >= from || h < to };
        prop_assert_eq!(window.map(|w| w.contains(now)), Some(inside), "{} at {}:{}", text, hour, minute);
    }
}
