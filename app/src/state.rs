//! The app's state and its reducer: pure, no IO, no clock (actions carry `now`). The views
//! render an [`AppState`] and send [`Action`]s; [`AppState::update`] returns the [`Effect`]s the
//! runtime carries out (store, network).

use chrono::{DateTime, Utc};
use meldcode::flow::{Flow, Question, Step};
use meldcode::{FieldError, Label, Lang, Report};
use uuid::Uuid;

use crate::answers::{self, Input};
use crate::config::Settings;
use crate::store::OutboxEntry;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    /// Not enrolled: server address, enrolment code and PIN.
    FirstStart,
    Home,
    /// The procedure, one step per screen.
    Procedure,
    /// The status of a report just written to the outbox.
    Submitted(Uuid),
    /// This device's reports by status.
    Reports,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct FirstStartForm {
    pub server: String,
    pub code: String,
    pub pin: String,
    pub pin_again: String,
    pub error: Option<String>,
    pub busy: bool,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct PinForm {
    pub pin: String,
    pub pin_again: String,
    pub error: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AppState {
    pub lang: Lang,
    pub screen: Screen,
    /// The neutral screen covers everything; back with the PIN.
    pub hidden: bool,
    pub pin_hash: Option<String>,
    pub unlock_input: String,
    pub unlock_error: bool,
    pub pin_form: PinForm,
    pub first_start: FirstStartForm,
    /// The enrolled pharmacy's name (`None`: not enrolled).
    pub pharmacy: Option<String>,
    /// The procedure in progress.
    pub flow: Option<Flow>,
    /// What keeps the current step from moving on.
    pub problems: Vec<FieldError>,
    /// The flow was restored after a crash or restart.
    pub restored: bool,
    /// The 112 panel is open; the recorded call time when a procedure is in progress.
    pub panel_112: Option<Option<DateTime<Utc>>>,
    pub reports: Vec<OutboxEntry>,
    /// The last network problem of the sync worker.
    pub sync_problem: Option<String>,
    /// Saving to the local store failed: the screen says so.
    pub save_error: bool,
    /// The finished report could not be written to the outbox: it is not stored, the draft is
    /// kept, and the screen says so ("Niet opgeslagen — bel Veilig Thuis: 0800-2000").
    pub not_stored: bool,
    /// A rejected report about to be deleted, waiting for the PIN.
    pub delete: Option<DeleteForm>,
    pub settings: Settings,
    /// The time of the last refresh (for "not yet in intake" flags).
    pub now: DateTime<Utc>,
}

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
    Call112(DateTime<Utc>),
    Close112,
    Stop112(DateTime<Utc>),
    Resume,
    Submit(DateTime<Utc>),
    Hide,
    UnlockInput(String),
    Unlock,
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
}

/// Work for the runtime.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    SaveDraft(Box<Flow>),
    /// Write to the outbox (removing the draft) and send; answered by [`Action::Enqueued`] or
    /// [`Action::EnqueueFailed`]. Until then the flow stays.
    Enqueue(Box<Report>),
    StorePin(String),
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
}

impl AppState {
    /// The state at start: not enrolled → first start; a draft found → restored behind the
    /// neutral screen.
    pub fn start(
        pharmacy: Option<String>,
        pin_hash: Option<String>,
        draft: Option<Flow>,
        lang: Lang,
        settings: Settings,
        now: DateTime<Utc>,
    ) -> AppState {
        let restored = draft.is_some() && pharmacy.is_some();
        AppState {
            lang,
            screen: match (&pharmacy, restored) {
                (None, _) => Screen::FirstStart,
                (Some(_), true) => Screen::Procedure,
                (Some(_), false) => Screen::Home,
            },
            hidden: restored,
            pin_hash,
            unlock_input: String::new(),
            unlock_error: false,
            pin_form: PinForm::default(),
            first_start: FirstStartForm::default(),
            pharmacy,
            flow: draft,
            problems: Vec::new(),
            restored,
            panel_112: None,
            reports: Vec::new(),
            sync_problem: None,
            save_error: false,
            not_stored: false,
            delete: None,
            settings,
            now,
        }
    }

    fn save(&self) -> Vec<Effect> {
        self.flow
            .as_ref()
            .map(|f| vec![Effect::SaveDraft(Box::new(f.clone()))])
            .unwrap_or_default()
    }

    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::SetLang(lang) => {
                self.lang = lang;
                return vec![Effect::SaveLang(lang)];
            }
            Action::Codeword { id, now } => {
                if self.flow.is_none() {
                    self.flow = Some(Flow::new(id, now));
                }
                self.problems.clear();
                self.restored = false;
                self.screen = Screen::Procedure;
                return self.save();
            }
            Action::Answer(q, input) => {
                let Some(flow) = self.flow.as_mut() else { return vec![] };
                answers::apply(flow, q, input);
                self.problems.retain(|p| Question::at_pointer(&p.path) != Some(q));
                return self.save();
            }
            Action::Next(now) => {
                let Some(flow) = self.flow.as_mut() else { return vec![] };
                match flow.next(now) {
                    Ok(_) => self.problems.clear(),
                    Err(p) => self.problems = p,
                }
                return self.save();
            }
            Action::Back => {
                if let Some(flow) = self.flow.as_mut() {
                    flow.back();
                    self.problems.clear();
                }
                return self.save();
            }
            Action::GoTo(step) => {
                if let Some(flow) = self.flow.as_mut()
                    && flow.go_back_to(step)
                {
                    self.problems.clear();
                }
                return self.save();
            }
            Action::Call112(now) => {
                let at = self.flow.as_mut().map(|f| f.call_112(now));
                self.panel_112 = Some(at);
                self.problems.retain(|p| p.path != "/acute_112_at");
                return self.save();
            }
            Action::Close112 => self.panel_112 = None,
            Action::Stop112(now) => {
                if let Some(flow) = self.flow.as_mut() {
                    match flow.stop_at_112(now) {
                        Ok(_) => {
                            self.problems.clear();
                            self.panel_112 = None;
                            self.screen = Screen::Procedure;
                        }
                        Err(p) => self.problems = p,
                    }
                }
                return self.save();
            }
            Action::Resume => {
                if let Some(flow) = self.flow.as_mut() {
                    flow.resume();
                }
                return self.save();
            }
            Action::Submit(now) => {
                let Some(flow) = self.flow.as_ref() else { return vec![] };
                match flow.to_report(now) {
                    Ok(report) => {
                        // The flow stays until the write is durable ([`Action::Enqueued`]).
                        self.problems.clear();
                        return vec![Effect::Enqueue(Box::new(report))];
                    }
                    Err(p) => self.problems = p,
                }
            }
            Action::Hide => {
                self.hidden = true;
                self.panel_112 = None;
                self.unlock_input.clear();
                self.unlock_error = false;
            }
            Action::UnlockInput(v) => {
                self.unlock_input = v;
                self.unlock_error = false;
            }
            Action::Unlock => {
                let ok = self
                    .pin_hash
                    .as_deref()
                    .is_none_or(|h| crate::pin::verify(&self.unlock_input, h));
                if ok {
                    self.hidden = false;
                    self.unlock_error = false;
                } else {
                    self.unlock_error = true;
                }
                self.unlock_input.clear();
            }
            Action::PinInput(v) => self.pin_form.pin = v,
            Action::PinAgainInput(v) => self.pin_form.pin_again = v,
            Action::SavePin => {
                let f = &mut self.pin_form;
                if crate::pin::is_valid(&f.pin) && f.pin == f.pin_again {
                    let pin = std::mem::take(&mut f.pin);
                    f.pin_again.clear();
                    f.error = false;
                    return vec![Effect::StorePin(pin)];
                }
                f.error = true;
            }
            Action::PinSaved(hash) => self.pin_hash = Some(hash),
            Action::Go(screen) => {
                if self.pharmacy.is_some() {
                    // Leaving the procedure keeps the draft; "Masker 19" resumes it.
                    self.screen = screen;
                }
            }
            Action::FirstServer(v) => self.first_start.server = v,
            Action::FirstCode(v) => self.first_start.code = v,
            Action::FirstPin(v) => self.first_start.pin = v,
            Action::FirstPinAgain(v) => self.first_start.pin_again = v,
            Action::Enroll => {
                let f = &mut self.first_start;
                if f.busy {
                    return vec![];
                }
                if !crate::pin::is_valid(&f.pin) || f.pin != f.pin_again {
                    f.error = Some(crate::texts::T::PinMismatch.label(self.lang).to_owned());
                    return vec![];
                }
                if let Err(e) = crate::config::ServerUrl::parse(&f.server) {
                    f.error = Some(e.to_string());
                    return vec![];
                }
                f.busy = true;
                f.error = None;
                return vec![Effect::Enroll {
                    server: f.server.trim().to_owned(),
                    code: f.code.trim().to_owned(),
                    pin: f.pin.clone(),
                }];
            }
            Action::Enrolled { pharmacy, pin_hash } => {
                self.pharmacy = Some(pharmacy);
                if pin_hash.is_some() {
                    self.pin_hash = pin_hash;
                }
                self.first_start = FirstStartForm::default();
                self.screen = Screen::Home;
            }
            Action::EnrollFailed(e) => {
                self.first_start.busy = false;
                self.first_start.error = Some(e);
            }
            Action::Loaded { reports, problem, now } => {
                self.reports = reports;
                self.sync_problem = problem;
                self.now = now;
            }
            Action::SaveFailed => self.save_error = true,
            Action::Enqueued(id) => {
                if self.flow.as_ref().is_some_and(|f| f.draft.id == id) {
                    self.flow = None;
                }
                self.not_stored = false;
                self.restored = false;
                self.screen = Screen::Submitted(id);
            }
            Action::EnqueueFailed(id) => {
                if self.flow.as_ref().is_some_and(|f| f.draft.id == id) {
                    self.not_stored = true;
                    self.screen = Screen::Procedure;
                }
            }
            Action::Resend { id, now } => {
                if self.entry(id).is_some_and(|e| e.can_resend(now)) {
                    return vec![Effect::Resend(id)];
                }
            }
            Action::AskDelete(id) => self.ask_delete(id),
            Action::DeletePinInput(v) => self.delete_pin_input(v),
            Action::ConfirmDelete => return self.confirm_delete(),
            Action::CancelDelete => self.delete = None,
        }
        Vec::new()
    }

    /// The outbox line of a report, if loaded.
    pub fn entry(&self, id: Uuid) -> Option<&OutboxEntry> {
        self.reports.iter().find(|e| e.id == id)
    }
}

#[path = "state_delete.rs"]
mod delete;
pub use delete::DeleteForm;

#[cfg(test)]
#[path = "state_tests.rs"]
mod tests;
