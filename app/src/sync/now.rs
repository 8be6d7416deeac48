//! Sending now from the command line (`masker19 --sync`), for administrators and the Windows
//! smoke test: what the window's "Nu opnieuw proberen" does (every queued report due now), then
//! one pass of the same sync the window runs ([`super::sync_once`]), and what is left.

use chrono::{DateTime, Utc};
use meldcode::delivery::DeliveryProblem;
use meldcode::status::LocalState;
use meldcode::texts::{Label, Lang};

use super::{SyncError, SyncSummary, blocking, client_for, sync_once};
use crate::store::Store;

/// What one "send now" did and what is left on the device.
#[derive(Debug, Clone, PartialEq)]
pub struct SendNow {
    pub summary: SyncSummary,
    /// Reports still queued (not accepted by the server yet).
    pub waiting: usize,
    /// The earliest next attempt of a waiting report.
    pub next_attempt: Option<DateTime<Utc>>,
    /// Reports the server refused or lost: never sent again; the pharmacist calls Veilig Thuis.
    pub rejected: usize,
    pub lost: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum SendNowError {
    #[error(
        "dit apparaat is nog niet gekoppeld: koppel het eerst met --server URL --enroll CODE / \
         this device is not enrolled yet: enroll it first with --server URL --enroll CODE"
    )]
    NotEnrolled,
    #[error(transparent)]
    Sync(#[from] SyncError),
}

/// Every queued report due now, then one sync pass at `now`.
pub async fn send_now(
    store: &Store,
    now: DateTime<Utc>,
    poll_interval: chrono::Duration,
) -> Result<SendNow, SendNowError> {
    let client = client_for(store)?.ok_or(SendNowError::NotEnrolled)?;
    blocking(store, move |s| s.retry_now(now)).await?;
    let summary = sync_once(store, &client, now, poll_interval).await?;
    let (outbox, next_attempt) = blocking(store, |s| Ok((s.outbox()?, s.next_due()?))).await?;
    let count = |state: LocalState| outbox.iter().filter(|e| e.state == state).count();
    Ok(SendNow {
        waiting: count(LocalState::Queued),
        next_attempt,
        rejected: count(LocalState::Rejected),
        lost: count(LocalState::Lost),
        summary,
    })
}

impl SendNow {
    /// `true` when nothing is left to send.
    pub fn done(&self) -> bool {
        self.waiting == 0
    }

    /// The one line on standard output: `sent=N waiting=N rejected=N lost=N`.
    pub fn line(&self) -> String {
        format!(
            "sent={} waiting={} rejected={} lost={}",
            self.summary.accepted.len(),
            self.waiting,
            self.rejected,
            self.lost
        )
    }

    /// Why reports are still waiting, in Dutch and then English (`None` when nothing waits).
    pub fn waiting_message(&self) -> Option<String> {
        if self.done() {
            return None;
        }
        let problem = DeliveryProblem::from_code(self.summary.problem.as_deref().unwrap_or_default());
        let when = self.next_attempt.map(|t| {
            t.with_timezone(&meldcode::TIME_ZONE)
                .format("%d-%m-%Y %H:%M")
                .to_string()
        });
        let n = self.waiting;
        let (nl_count, en_count) = if n == 1 {
            (
                "1 melding is nog niet verzonden".to_owned(),
                "1 report is not sent yet".to_owned(),
            )
        } else {
            (
                format!("{n} meldingen zijn nog niet verzonden"),
                format!("{n} reports are not sent yet"),
            )
        };
        let (nl_when, en_when) = when.map_or_else(
            || (String::new(), String::new()),
            |t| (format!(" Volgende poging: {t}."), format!(" Next attempt: {t}.")),
        );
        Some(format!(
            "{nl_count}. {}{nl_when}\n{en_count}. {}{en_when}",
            problem.label(Lang::Nl),
            problem.label(Lang::En)
        ))
    }
}
