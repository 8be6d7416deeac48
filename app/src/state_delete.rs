//! Deleting a rejected report from the device, behind the PIN.

use uuid::Uuid;

use super::{AppState, Effect, Screen};
use crate::store::LocalState;

/// Deleting a rejected report asks for the PIN first (as the neutral screen does).
#[derive(Debug, Clone, PartialEq)]
pub struct DeleteForm {
    pub id: Uuid,
    pub pin: String,
    pub error: bool,
}

impl AppState {
    /// "Verwijderen" on a rejected report opens the PIN prompt (nothing else can be deleted).
    pub(super) fn ask_delete(&mut self, id: Uuid) {
        if self.entry(id).is_some_and(|e| e.state == LocalState::Rejected) {
            self.delete = Some(DeleteForm {
                id,
                pin: String::new(),
                error: false,
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
        let ok = self.pin_hash.as_deref().is_some_and(|h| crate::pin::verify(&d.pin, h));
        d.pin.clear();
        if !ok {
            d.error = true;
            return vec![];
        }
        let id = d.id;
        self.delete = None;
        self.screen = Screen::Reports;
        vec![Effect::DeleteRejected(id)]
    }
}
