//! A melding walked with real answers to its review step, shared by the screen tests.
#![allow(dead_code)]

use chrono::Utc;
use masker19::answers::Input;
use masker19::state::{Action, AppState};
use meldcode::flow::{Question as Q, Step};

use super::common::{in_flow, unlock};

/// A melding walked with real answers to the review step; `alone`: the client is not
/// accompanied (asked at the counter, consent given, a safe number).
pub fn at_review(alone: bool) -> AppState {
    let mut s = in_flow();
    let answers: &[(Q, &str)] = &[
        (Q::Channel, "balie"),
        (Q::AcuteDanger, "no"),
        (Q::Accompanied, if alone { "no" } else { "yes" }),
        (Q::KindcheckStatus, "not_applicable"),
        (Q::Consent, "given"),
        (Q::Suspicion, "yes"),
        (Q::UnsafeSituation, "yes"),
    ];
    for _ in 0..25 {
        let current = s.flow.as_ref().map(|f| f.current());
        if current == Some(Step::Review) {
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
            s.update(Action::Answer(Q::SafePhone, Input::Text("06-12345678".into())));
            s.update(Action::Answer(Q::SafeTimes, Input::Text("werkdagen 10-12 uur".into())));
            s.update(Action::Answer(Q::ViaPharmacy, Input::Choose("no".into())));
        }
        if current == Some(Step::Reporter) {
            for (q, t) in [(Q::ReporterName, "A. Apotheker"), (Q::ReporterPhone, "020-1234567")] {
                s.update(Action::Answer(q, Input::Text(t.into())));
            }
            s.update(Action::Answer(Q::ReporterRole, Input::Choose("pharmacist".into())));
            s.update(Action::Answer(Q::ReachableUntil, Input::Choose("tomorrow_noon".into())));
        }
        if s.flow.as_ref().map(|f| f.current()) == current {
            s.update(Action::Next(Utc::now()));
        }
    }
    panic!(
        "did not reach the review: {:?} {:?}",
        s.flow.map(|f| f.current()),
        s.problems
    );
}
