//! Deleting a rejected report, or one the server lost, from the device, behind the PIN.

use uuid::Uuid;

use super::{AppState, Effect, Screen};
use crate::store::LocalState;

/// Deleting a rejected report asks for the PIN first (as the neutral screen does).
#[derive(Debug, Clone, PartialEq)]
pub struct DeleteForm {
    pub id: Uuid,
    pub pin: String,
    pub error: bool,
    /// Attempts so far: each one gets a fresh, empty field.
    pub attempts: u32,
}

/// One PIN attempt: whether `pin` matches the PIN set (none set: never); the typed PIN is
/// cleared and counted, a wrong one noted.
fn attempt(hash: Option<&str>, pin: &mut String, error: &mut bool, attempts: &mut u32) -> bool {
    let ok = hash.is_some_and(|h| crate::pin::verify(pin, h));
    pin.clear();
    *attempts += 1;
    *error = !ok;
    ok
}

impl AppState {
    /// "Verwijderen" on a rejected report, or one the server lost, opens the PIN prompt (nothing
    /// else can be deleted).
    pub(super) fn ask_delete(&mut self, id: Uuid) {
        if self
            .entry(id)
            .is_some_and(|e| matches!(e.state, LocalState::Rejected | LocalState::Lost))
        {
            self.delete = Some(DeleteForm {
                id,
                pin: String::new(),
                error: false,
                attempts: 0,
            });
        }
    }

    pub(super) fn delete_pin_input(&mut self, pin: String) {
        if let Some(d) = self.delete.as_mut() {
            d.pin = pin;
            d.error = false;
        }
    }

    /// The PIN matches: delete and go to the list; else say so and keep asking. Without a PIN set
    /// nothing is deleted (the PIN is what keeps a passer-by from wiping a report).
    pub(super) fn confirm_delete(&mut self) -> Vec<Effect> {
        let Some(d) = self.delete.as_mut() else { return vec![] };
        if !attempt(self.pin_hash.as_deref(), &mut d.pin, &mut d.error, &mut d.attempts) {
            return vec![];
        }
        let id = d.id;
        self.delete = None;
        self.screen = Screen::Reports;
        vec![Effect::DeleteRejected(id)]
    }
}

/// Discarding the draft in progress ("Weggooien en opnieuw beginnen"): asks for confirmation
/// and the PIN.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DiscardForm {
    pub pin: String,
    pub error: bool,
    pub attempts: u32,
}

impl AppState {
    pub(super) fn ask_discard(&mut self) {
        if self.flow.is_some() {
            self.discard = Some(DiscardForm::default());
        }
    }

    pub(super) fn discard_pin_input(&mut self, pin: String) {
        if let Some(d) = self.discard.as_mut() {
            d.pin = pin;
            d.error = false;
        }
    }

    /// The PIN matches: the draft is gone (from the screen and the device) and a new case can
    /// start; else say so and keep asking. Without a PIN set nothing is discarded.
    pub(super) fn confirm_discard(&mut self) -> Vec<Effect> {
        let Some(d) = self.discard.as_mut() else { return vec![] };
        if !attempt(self.pin_hash.as_deref(), &mut d.pin, &mut d.error, &mut d.attempts) {
            return vec![];
        }
        self.discard = None;
        self.flow = None;
        self.restored = false;
        self.problems.clear();
        self.typed_errors.clear();
        self.not_stored = false;
        self.screen = Screen::Home;
        vec![Effect::DiscardDraft]
    }
}
