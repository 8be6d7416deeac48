//! The 112 and Veilig Thuis panels: 112 is recorded only after "112 gebeld?" is answered, can be
//! undone for [`UNDO_112`], and is never written into a draft from outside the procedure.

use chrono::{DateTime, Duration, Utc};

use super::{AppState, Effect, Screen};

/// How long "112 gebeld" can be undone.
pub const UNDO_112: Duration = Duration::seconds(10);

/// A panel over the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Panel {
    /// 112 tapped: the number large and, inside a case, "112 gebeld?". Nothing recorded yet.
    Ask112,
    /// "Ja, 112 gebeld" at `at`; undoable until `undo_until` (only when this call was the first
    /// recorded: an earlier call is never taken back).
    Called112 {
        at: DateTime<Utc>,
        undo_until: Option<DateTime<Utc>>,
    },
    /// Veilig Thuis: 0800-2000 large.
    VeiligThuis,
}

impl AppState {
    /// A case is on screen (the 112 answer belongs to it).
    pub fn in_case(&self) -> bool {
        self.screen == Screen::Procedure && self.flow.is_some()
    }

    pub(super) fn ask_112(&mut self) {
        self.panel = Some(Panel::Ask112);
    }

    /// "Ja, 112 gebeld": recorded in the case on screen; outside the procedure (home, the list)
    /// nothing is written, not even into a draft kept from before.
    pub(super) fn confirm_112(&mut self, now: DateTime<Utc>) -> Vec<Effect> {
        self.now = now;
        if !self.in_case() {
            self.panel = None;
            return vec![];
        }
        let Some(flow) = self.flow.as_mut() else { return vec![] };
        let first = flow.draft.acute_112_at.is_none();
        let at = flow.call_112(now);
        self.panel = Some(Panel::Called112 {
            at,
            undo_until: first.then_some(now + UNDO_112),
        });
        self.problems.retain(|p| p.path != "/acute_112_at");
        self.save()
    }

    /// "Ongedaan maken" within [`UNDO_112`]: the call is no longer recorded.
    pub(super) fn undo_112(&mut self, now: DateTime<Utc>) -> Vec<Effect> {
        let Some(Panel::Called112 {
            at,
            undo_until: Some(until),
        }) = self.panel
        else {
            return vec![];
        };
        if now > until {
            return vec![];
        }
        if let Some(flow) = self.flow.as_mut()
            && flow.draft.acute_112_at == Some(at)
            && !flow.is_stopped_at_112()
        {
            flow.draft.acute_112_at = None;
        }
        self.panel = None;
        self.save()
    }

    /// Whether "Ongedaan maken" is still offered at the state's clock.
    pub fn can_undo_112(&self) -> bool {
        matches!(self.panel, Some(Panel::Called112 { undo_until: Some(until), .. }) if self.now <= until)
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;
    use crate::state::Action;
    use crate::state::tests::enrolled;

    fn in_case() -> AppState {
        let mut s = enrolled();
        s.update(Action::Codeword {
            id: uuid::Uuid::new_v4(),
            now: Utc::now(),
        });
        s
    }

    fn called(s: &AppState) -> Option<DateTime<Utc>> {
        s.flow.as_ref().and_then(|f| f.draft.acute_112_at)
    }

    #[test]
    fn a_tap_on_112_records_nothing_until_confirmed() {
        let mut s = in_case();
        assert!(s.update(Action::Call112).is_empty(), "nothing saved");
        assert_eq!(s.panel, Some(Panel::Ask112));
        assert_eq!(called(&s), None, "one stray tap or Enter records no call");
        s.update(Action::Close112);
        assert_eq!((s.panel, called(&s)), (None, None));
        let now = Utc::now();
        s.update(Action::Call112);
        let effects = s.update(Action::Confirm112(now));
        assert_eq!(called(&s), Some(now));
        assert!(matches!(&effects[..], [Effect::SaveDraft(f)] if f.draft.acute_112_at == Some(now)));
        assert!(s.can_undo_112());
    }

    #[test]
    fn a_recorded_112_call_can_be_undone_for_ten_seconds() {
        let mut s = in_case();
        let now = Utc::now();
        s.update(Action::Call112);
        s.update(Action::Confirm112(now));
        s.update(Action::Undo112(now + Duration::seconds(9)));
        assert_eq!(called(&s), None, "undone");

        s.update(Action::Call112);
        s.update(Action::Confirm112(now));
        s.update(Action::Tick(now + Duration::seconds(11)));
        assert!(!s.can_undo_112(), "the undo button goes after 10 s");
        s.update(Action::Undo112(now + Duration::seconds(11)));
        assert_eq!(called(&s), Some(now), "too late: the call stays recorded");

        // A second "gebeld" never takes the first call back.
        s.update(Action::Call112);
        s.update(Action::Confirm112(now + Duration::seconds(30)));
        s.update(Action::Undo112(now + Duration::seconds(31)));
        assert_eq!(called(&s), Some(now));
    }

    #[test]
    fn confirming_112_on_the_home_screen_never_writes_into_a_kept_draft() {
        let mut s = in_case();
        s.update(Action::Go(Screen::Home));
        assert!(s.flow.is_some(), "the draft is kept");
        s.update(Action::Call112);
        assert_eq!(s.panel, Some(Panel::Ask112), "the number, at once");
        let effects = s.update(Action::Confirm112(Utc::now()));
        assert!(effects.is_empty() && called(&s).is_none(), "nothing written silently");
    }
}
