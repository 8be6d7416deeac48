//! A report's page: opened from the list of this device's reports, with its status history
//! read from the store (no personal data: times, states and problems).

use uuid::Uuid;

use super::{AppState, Effect, Screen};
use crate::store::HistoryItem;

impl AppState {
    pub(super) fn open_report(&mut self, id: Uuid) -> Vec<Effect> {
        if self.pharmacy.is_none() || self.entry(id).is_none() {
            return vec![];
        }
        self.client_close();
        self.screen = Screen::Report(id);
        if self.history.as_ref().is_none_or(|(shown, _)| *shown != id) {
            self.history = None;
        }
        vec![Effect::LoadHistory(id)]
    }

    pub(super) fn history_loaded(&mut self, id: Uuid, items: Vec<HistoryItem>) {
        if self.screen == Screen::Report(id) {
            self.history = Some((id, items));
        }
    }

    /// The report whose page is on screen.
    pub fn report_on_screen(&self) -> Option<Uuid> {
        match self.screen {
            Screen::Report(id) => Some(id),
            _ => None,
        }
    }
}
