//! What the views send ([`Action`]) and what the runtime carries out ([`Effect`]).

use chrono::{DateTime, Utc};
use meldcode::flow::{Flow, Question, Step};
use meldcode::{Lang, Report};
use uuid::Uuid;

use super::Screen;
use crate::answers::Input;
use crate::store::OutboxEntry;

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    SetLang(Lang),
    /// "Masker 19" tapped: `id` becomes the report id.
    Codeword {
        id: Uuid,
        now: DateTime<Utc>,
    },
    Answer(Question, Input),
    Next(DateTime<Utc>),
    Back,
    GoTo(Step),
    /// 112 tapped: the number and "112 gebeld?"; nothing is recorded yet.
    Call112,
    /// "Ja, 112 gebeld".
    Confirm112(DateTime<Utc>),
    /// "Ongedaan maken" (within 10 s).
    Undo112(DateTime<Utc>),
    Close112,
    Stop112(DateTime<Utc>),
    /// The Veilig Thuis button: 0800-2000 large.
    ShowVeiligThuis,
    /// The clock moved on (a panel's timer).
    Tick(DateTime<Utc>),
    /// "Nu opnieuw proberen": send the queued reports now.
    RetryNow,
    Resume,
    Submit(DateTime<Utc>),
    Hide,
    UnlockInput(String),
    /// The PIN typed at the neutral screen, submitted at `now`.
    Unlock(DateTime<Utc>),
    PinInput(String),
    PinAgainInput(String),
    SavePin,
    PinSaved(String),
    Go(Screen),
    FirstServer(String),
    FirstCode(String),
    FirstPin(String),
    FirstPinAgain(String),
    Enroll,
    Enrolled {
        pharmacy: String,
        pin_hash: Option<String>,
    },
    EnrollFailed(String),
    Loaded {
        reports: Vec<OutboxEntry>,
        problem: Option<String>,
        now: DateTime<Utc>,
    },
    SaveFailed,
    /// The outbox write of the report `id` is durable: the case is done on this screen.
    Enqueued(Uuid),
    /// The outbox write of the report `id` failed: nothing was stored.
    EnqueueFailed(Uuid),
    /// "Opnieuw versturen" on a report rejected only for a wrong device clock.
    Resend {
        id: Uuid,
        now: DateTime<Utc>,
    },
    /// "Verwijderen" on a rejected report: asks for the PIN.
    AskDelete(Uuid),
    DeletePinInput(String),
    ConfirmDelete,
    CancelDelete,
    /// "Weggooien en opnieuw beginnen": asks for the PIN.
    AskDiscard,
    DiscardPinInput(String),
    ConfirmDiscard,
    CancelDiscard,
    StaffName(String),
    StaffRole(meldcode::ReporterRole),
    StaffPhone(String),
    StaffReachable(meldcode::dates::Reachable),
    AddStaff,
    RemoveStaff(usize),
    /// "Wie bent u?" on the reporter step.
    PickStaff(usize),
    /// Oefenmodus.
    Practice(super::PracticeAction),
    /// The screen turned to the client, its language, and back.
    Client(super::ClientAction),
    /// A report's page, from the list: its history is loaded.
    OpenReport(Uuid),
    HistoryLoaded(Uuid, Vec<crate::store::HistoryItem>),
}

/// Work for the runtime.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Save the draft at once (with everything typed before).
    SaveDraft(Box<Flow>),
    /// Save the draft once the typing pauses (a change made by typing).
    SaveTyped(Box<Flow>),
    /// Write to the outbox (removing the draft) and send; answered by [`Action::Enqueued`] or
    /// [`Action::EnqueueFailed`]. Until then the flow stays.
    Enqueue(Box<Report>),
    StorePin(String),
    /// Keep the wrong-PIN count and its wait in the store (a restart does not reset them).
    SavePinLock(crate::pin_lock::PinLock),
    Enroll {
        server: String,
        code: String,
        pin: String,
    },
    SaveLang(Lang),
    /// Put a rejected report back in the queue under its id (and wake the sender).
    Resend(Uuid),
    /// Delete a rejected report from the device (the PIN was checked).
    DeleteRejected(Uuid),
    /// Make every queued report due now and wake the sender.
    RetryNow,
    /// Remove the draft from the device (the PIN was checked).
    DiscardDraft,
    /// Keep the team in the encrypted store.
    SaveStaff(Vec<meldcode::staff::StaffMember>),
    /// Add a finished practice run to the device's history.
    RecordPractice(crate::store::PracticeRecord),
    /// Read a report's history for its page ([`Action::HistoryLoaded`]).
    LoadHistory(Uuid),
}
