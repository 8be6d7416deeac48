//! The honest queue: how many reports wait on this device, and "Nu opnieuw proberen".

use super::{AppState, Effect};
use crate::store::LocalState;

impl AppState {
    /// Reports written on this device and not yet accepted by the server.
    pub fn unsent(&self) -> usize {
        self.reports.iter().filter(|e| e.state == LocalState::Queued).count()
    }

    /// "Nu opnieuw proberen": every queued report is due now and the sender wakes up.
    pub(super) fn retry_now(&self) -> Vec<Effect> {
        if self.unsent() == 0 {
            return vec![];
        }
        vec![Effect::RetryNow]
    }
}
