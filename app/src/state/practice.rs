//! Oefenmodus in the app's reducer: a practice run goes through the real flow and the real
//! screens, while the real case (if one is in progress) waits untouched beside it: the draft
//! slot of the store is never written during a run ([`AppState::save`] saves nothing), a practice
//! report never removes the draft ([`crate::store::Store::enqueue`]), and "Hulpvraag starten"
//! ends the run and goes straight back to the real case. What only the app sees — the step of
//! the first 112 tap and of the first "Verbergen", the end — is kept as `meldcode`'s
//! [`RunEvents`], and the feedback at the end is `meldcode::practice::feedback`'s.

use chrono::{DateTime, Utc};
use meldcode::flow::{Flow, Step};
use meldcode::practice::{Feedback, RunEvents, ScenarioId};
use uuid::Uuid;

use super::{Action, AppState, Effect, Screen};
use crate::store::PracticeRecord;

#[derive(Debug, Clone, PartialEq)]
pub enum PracticeAction {
    /// "Oefenen" on the home screen: the scenario picker.
    Open,
    /// "Wie oefent?": the staff profile (its name) the run belongs to; `None`: no profile.
    Staff(Option<String>),
    /// A scenario picked: its run starts with `id` as the practice report's id.
    Start {
        scenario: ScenarioId,
        id: Uuid,
        now: DateTime<Utc>,
    },
    /// "Oefening stoppen": the run is dropped, nothing is sent, the real case is back.
    Stop,
}

/// What the real case looked like when the run started; put back when it ends.
#[derive(Debug, Clone, PartialEq)]
struct Kept {
    flow: Option<Flow>,
    restored: bool,
    gemeente_by_hand: bool,
    not_stored: bool,
}

/// A practice run in progress.
#[derive(Debug, Clone, PartialEq)]
pub struct PracticeRun {
    pub scenario: ScenarioId,
    pub staff: Option<String>,
    pub neutral_screen_at: Option<Step>,
    pub called_112_at: Option<Step>,
    /// "Versturen" tapped: the end of the run.
    pub finished_at: Option<DateTime<Utc>>,
    /// The step of the last answer given: a lone choice moves on by itself, so "Verbergen"
    /// tapped right after "begeleid: ja" belongs to that step, not to the next one.
    answered_on: Option<Step>,
    kept: Kept,
}

impl PracticeRun {
    /// A real case waits beside this run.
    pub fn keeps_real_case(&self) -> bool {
        self.kept.flow.is_some()
    }

    /// The real case waiting beside this run (read-only: nothing in a run changes it).
    pub fn real_case(&self) -> Option<&Flow> {
        self.kept.flow.as_ref()
    }
}

/// The end of a run: the feedback screen.
#[derive(Debug, Clone, PartialEq)]
pub struct PracticeResult {
    pub feedback: Feedback,
    pub report_id: Uuid,
    pub staff: Option<String>,
}

/// The oefenmodus's part of the app state.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PracticeState {
    pub run: Option<PracticeRun>,
    pub result: Option<PracticeResult>,
    /// "Wie oefent?" on the picker.
    pub staff: Option<String>,
    /// This device's practice history, newest first.
    pub history: Vec<PracticeRecord>,
}

impl AppState {
    /// A practice run is in progress.
    pub fn practising(&self) -> bool {
        self.practice.run.is_some()
    }

    /// The "OEFENING" banner shows: during a run and on its feedback.
    pub fn practice_banner(&self) -> bool {
        self.practising() || self.screen == Screen::PracticeFeedback
    }

    pub(super) fn practice_action(&mut self, action: PracticeAction) -> Vec<Effect> {
        if self.pharmacy.is_none() {
            return vec![];
        }
        match action {
            PracticeAction::Open => self.screen = Screen::Practice,
            PracticeAction::Staff(staff) => self.practice.staff = staff,
            // Practice hides and unlocks as a real case does: not without a PIN.
            PracticeAction::Start { .. } if self.pin_hash.is_none() => {
                self.pin_required = true;
                self.screen = Screen::Home;
            }
            PracticeAction::Start { scenario, id, now } => {
                // A run already going is dropped first: the real case is what is kept.
                self.end_practice();
                let kept = Kept {
                    flow: self.flow.take(),
                    restored: self.restored,
                    gemeente_by_hand: self.gemeente_by_hand,
                    not_stored: self.not_stored,
                };
                self.now = now;
                self.flow = Some(scenario.scenario().start(id, now));
                self.restored = false;
                self.gemeente_by_hand = false;
                self.not_stored = false;
                self.clear_screen_state();
                self.practice.result = None;
                self.practice.run = Some(PracticeRun {
                    scenario,
                    staff: self.practice.staff.clone(),
                    neutral_screen_at: None,
                    called_112_at: None,
                    finished_at: None,
                    answered_on: None,
                    kept,
                });
                self.screen = Screen::Procedure;
            }
            PracticeAction::Stop => {
                self.end_practice();
                self.screen = Screen::Home;
            }
        }
        // Never a draft saved: the store's draft slot belongs to the real case.
        vec![]
    }

    fn clear_screen_state(&mut self) {
        self.problems.clear();
        self.typed_errors.clear();
        self.fields_drawn += 1;
        self.panel = None;
        self.discard = None;
    }

    /// The real case back as it was; the run's flow is dropped (nothing sent).
    fn end_practice(&mut self) -> Option<PracticeRun> {
        let run = self.practice.run.take()?;
        self.flow = run.kept.flow.clone();
        self.restored = run.kept.restored;
        self.gemeente_by_hand = run.kept.gemeente_by_hand;
        self.not_stored = run.kept.not_stored;
        self.clear_screen_state();
        Some(run)
    }

    /// The actions that behave differently during a run, seen before the normal reducer:
    /// `Some` when handled here, `None` to go on as in a real case (after noting what the
    /// feedback needs).
    pub(super) fn practice_intercept(&mut self, action: &Action) -> Option<Vec<Effect>> {
        let in_case = self.in_case();
        let step = self.flow.as_ref().map(Flow::current);
        let flow_id = self.flow.as_ref().map(|f| f.draft.id);
        let run = self.practice.run.as_mut()?;
        // The step a tap belongs to: the one on screen, or the one just answered if a lone
        // choice moved on by itself.
        let at = step.map(|s| run.answered_on.map_or(s, |a| a.min(s)));
        match action {
            // A real client comes first: the run ends, the real case opens (or starts).
            Action::Codeword { .. } => {
                self.end_practice();
                None
            }
            Action::Answer(..) if in_case => {
                run.answered_on = step;
                None
            }
            Action::Next(_) | Action::Back | Action::GoTo(_) => {
                run.answered_on = None;
                None
            }
            Action::Call112 => {
                if in_case && run.called_112_at.is_none() {
                    run.called_112_at = at;
                }
                None
            }
            Action::Hide => {
                if in_case && run.neutral_screen_at.is_none() {
                    run.neutral_screen_at = at;
                }
                None
            }
            Action::Submit(now) => {
                run.finished_at = Some(*now);
                None
            }
            Action::Enqueued(id) if flow_id == Some(*id) => Some(self.finish_practice(*id)),
            // Discarding is for the real draft: a run is stopped with "Oefening stoppen".
            Action::AskDiscard | Action::ConfirmDiscard => Some(vec![]),
            _ => None,
        }
    }

    /// The practice report is in the outbox: the feedback, the history line, the real case back.
    fn finish_practice(&mut self, id: Uuid) -> Vec<Effect> {
        let flow = self.flow.clone();
        let Some(run) = self.end_practice() else { return vec![] };
        let finished = run.finished_at.unwrap_or(self.now);
        let Some(report) = flow.and_then(|f| f.to_report(finished).ok()) else {
            self.screen = Screen::Home;
            return vec![];
        };
        let events = RunEvents {
            neutral_screen_at: run.neutral_screen_at,
            called_112_at: run.called_112_at,
            finished_at: finished,
        };
        let feedback = meldcode::practice::feedback(run.scenario.scenario(), &report, &events);
        let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        let record = PracticeRecord {
            scenario: run.scenario,
            finished_at: finished,
            seconds_taken: feedback.seconds_taken,
            right: count(feedback.right.len()),
            differed: count(feedback.differed.len()),
            staff: run.staff.clone(),
        };
        self.practice.history.insert(0, record.clone());
        self.practice.result = Some(PracticeResult {
            feedback,
            report_id: id,
            staff: run.staff,
        });
        self.screen = Screen::PracticeFeedback;
        vec![Effect::RecordPractice(record)]
    }
}

#[cfg(test)]
mod tests;
