//! The app's state and its reducer: pure, no IO, no clock (actions carry `now`). The views
//! render an [`AppState`] and send [`Action`]s; [`AppState::update`] returns the [`Effect`]s the
//! runtime carries out (store, network).

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveTime, Utc};
use meldcode::dates::DateError;
use meldcode::flow::{Flow, Question};
use meldcode::{FieldError, Label, Lang};
use uuid::Uuid;

use crate::answers;
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
    /// The pharmacy team on this device.
    Team,
    /// Oefenmodus: the scenario picker and this device's practice history.
    Practice,
    /// The feedback at the end of a practice run.
    PracticeFeedback,
    /// "Wat doe ik nu?": the first 30 seconds at the counter.
    FirstSeconds,
    /// One report of this device: its status history.
    Report(Uuid),
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
    /// Unlock attempts so far: each one gets a fresh, empty PIN field.
    pub unlock_attempts: u32,
    /// Wrong PINs since the last unlock, and the wait they imposed (kept in the store).
    pub pin_lock: crate::pin_lock::PinLock,
    /// After an unlock: the wrong PINs tried before it, told once.
    pub unlock_notice: Option<crate::pin_lock::FailedAttempts>,
    /// "Masker 19" was tapped before a PIN was set: the home screen asks for one first (without
    /// a PIN, the neutral screen could not be left again, or anyone could leave it).
    pub pin_required: bool,
    pub pin_form: PinForm,
    pub first_start: FirstStartForm,
    /// The enrolled pharmacy's name (`None`: not enrolled).
    pub pharmacy: Option<String>,
    /// The pharmacy's gemeente (the person's, when nothing else is known).
    pub pharmacy_gemeente: Option<String>,
    /// The gemeente was picked by hand: the city no longer changes it.
    pub gemeente_by_hand: bool,
    /// The procedure in progress.
    pub flow: Option<Flow>,
    /// What keeps the current step from moving on.
    pub problems: Vec<FieldError>,
    /// Dates and times typed that are not one (the draft holds no answer for them): shown, and
    /// they keep the step from moving on.
    pub typed_errors: BTreeMap<Question, DateError>,
    /// Text fields are uncontrolled (a value re-set while keys arrive loses them); when an
    /// answer changes other than by typing (a quick choice, a profile), this count goes up and
    /// the step's fields are drawn afresh.
    pub fields_drawn: u32,
    /// The pharmacy's closing time ("bereikbaar tot sluitingstijd").
    pub closing: NaiveTime,
    /// The flow was restored after a crash or restart.
    pub restored: bool,
    /// The 112 or Veilig Thuis panel, when open.
    pub panel: Option<Panel>,
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
    /// The draft about to be discarded, waiting for the PIN.
    pub discard: Option<DiscardForm>,
    /// The pharmacy team on this device ("Wie bent u?").
    pub staff: Vec<meldcode::staff::StaffMember>,
    pub staff_form: StaffForm,
    pub settings: Settings,
    /// The time of the last refresh (for "not yet in intake" flags).
    pub now: DateTime<Utc>,
    /// Oefenmodus: the run in progress, its feedback, the history.
    pub practice: PracticeState,
    /// The screen turned to the client.
    pub client: ClientState,
    /// The history of the report on its page (loaded from the store).
    pub history: Option<(Uuid, Vec<crate::store::HistoryItem>)>,
    /// The server's id of this device, for an administrator who must revoke it.
    pub device_id: Option<String>,
    /// The local store could not be opened (a locked keyring, a missing key, a broken disk):
    /// why. The window then shows 112 and Veilig Thuis and nothing that could take a case.
    pub unavailable: Option<String>,
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
        // A draft waits behind the neutral screen only where a PIN can bring it back.
        let restored = draft.is_some() && pharmacy.is_some() && pin_hash.is_some();
        let pin_required = draft.is_some() && pharmacy.is_some() && pin_hash.is_none();
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
            unlock_attempts: 0,
            pin_lock: Default::default(),
            unlock_notice: None,
            pin_required,
            pin_form: PinForm::default(),
            first_start: FirstStartForm::default(),
            pharmacy,
            pharmacy_gemeente: None,
            gemeente_by_hand: false,
            flow: draft,
            problems: Vec::new(),
            typed_errors: BTreeMap::new(),
            fields_drawn: 0,
            closing: meldcode::dates::default_closing(),
            restored,
            panel: None,
            reports: Vec::new(),
            sync_problem: None,
            save_error: false,
            not_stored: false,
            delete: None,
            discard: None,
            staff: Vec::new(),
            staff_form: StaffForm::default(),
            settings,
            now,
            practice: PracticeState::default(),
            client: ClientState::default(),
            history: None,
            device_id: None,
            unavailable: None,
        }
    }

    /// The PIN at the neutral screen: never without one, and not while wrong PINs make it wait.
    fn unlock(&mut self, now: DateTime<Utc>) -> Vec<Effect> {
        self.now = now;
        let pin = std::mem::take(&mut self.unlock_input);
        self.unlock_attempts += 1;
        let Some(hash) = self.pin_hash.as_deref() else {
            return Vec::new();
        };
        if self.pin_lock.wait(now).is_some() {
            return Vec::new();
        }
        let ok = crate::pin::verify(&pin, hash);
        if ok {
            self.hidden = false;
            self.unlock_error = false;
            self.unlock_notice = self.pin_lock.unlocked();
        } else {
            self.unlock_error = true;
            self.pin_lock.failed(now);
        }
        vec![Effect::SavePinLock(self.pin_lock.clone())]
    }

    pub(super) fn save(&self) -> Vec<Effect> {
        if self.practising() {
            // The draft slot holds the real case, never a practice run.
            return Vec::new();
        }
        self.flow
            .as_ref()
            .map(|f| vec![Effect::SaveDraft(Box::new(f.clone()))])
            .unwrap_or_default()
    }

    /// A change made by typing: saved once the typing pauses.
    pub(super) fn save_typed(&self) -> Vec<Effect> {
        self.save()
            .into_iter()
            .map(|e| match e {
                Effect::SaveDraft(flow) => Effect::SaveTyped(flow),
                other => other,
            })
            .collect()
    }

    /// The clock and the pharmacy, for answers that depend on them.
    pub fn context(&self) -> answers::Context {
        answers::Context {
            now: self.now,
            closing: self.closing,
        }
    }

    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        if let Some(effects) = self.practice_intercept(&action) {
            return effects;
        }
        match action {
            Action::SetLang(lang) => {
                self.lang = lang;
                return vec![Effect::SaveLang(lang)];
            }
            Action::Codeword { .. } if self.pin_hash.is_none() => {
                self.pin_required = true;
                self.screen = Screen::Home;
            }
            Action::Codeword { id, now } => {
                self.now = now;
                self.client = ClientState::default();
                if self.flow.is_none() {
                    self.flow = Some(meldcode::counter::start(id, now));
                    self.gemeente_by_hand = false;
                }
                self.problems.clear();
                self.restored = false;
                self.screen = Screen::Procedure;
                return self.save();
            }
            Action::Answer(q, input) => {
                let accompanied =
                    q == Question::Accompanied && matches!(&input, answers::Input::Choose(c) if c == "yes");
                let mut effects = self.answer(q, input);
                // "Ja, begeleid": the neutral screen at once, in the same tap.
                if accompanied && self.flow.as_ref().is_some_and(|f| f.draft.accompanied == Some(true)) {
                    effects.extend(self.update(Action::Hide));
                }
                return effects;
            }
            Action::Next(now) => return self.next(now),
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
            Action::Call112 => self.ask_112(),
            Action::Confirm112(now) => return self.confirm_112(now),
            Action::Undo112(now) => return self.undo_112(now),
            Action::ShowVeiligThuis => self.panel = Some(Panel::VeiligThuis),
            Action::Tick(now) => self.now = now,
            Action::RetryNow => return self.retry_now(),
            Action::Close112 => self.panel = None,
            Action::Stop112(now) => {
                if let Some(flow) = self.flow.as_mut() {
                    match flow.stop_at_112(now) {
                        Ok(_) => {
                            self.problems.clear();
                            self.panel = None;
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
                        self.client_report_written(&report);
                        return vec![Effect::Enqueue(Box::new(report))];
                    }
                    Err(p) => self.problems = p,
                }
            }
            // Without a PIN nothing can bring the screen back (and no case is open): the home
            // screen asks for a PIN instead of locking the user out.
            Action::Hide if self.pin_hash.is_none() => {
                self.pin_required = true;
                self.screen = Screen::Home;
            }
            Action::Hide => {
                self.hidden = true;
                self.unlock_notice = None;
                self.client_close();
                self.panel = None;
                self.unlock_input.clear();
                self.unlock_error = false;
            }
            Action::UnlockInput(v) => {
                self.unlock_input = v;
                self.unlock_error = false;
            }
            Action::Unlock(now) => return self.unlock(now),
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
            Action::PinSaved(hash) => {
                self.pin_hash = Some(hash);
                self.pin_required = false;
            }
            Action::Go(screen) => {
                if self.pharmacy.is_some() {
                    // Leaving the procedure keeps the draft; "Masker 19" resumes it.
                    self.screen = screen;
                    self.client_close();
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
                self.client_outbox_loaded();
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
            Action::AskDiscard => self.ask_discard(),
            Action::DiscardPinInput(v) => self.discard_pin_input(v),
            Action::ConfirmDiscard => return self.confirm_discard(),
            Action::CancelDiscard => self.discard = None,
            Action::StaffName(v) => self.staff_form.name = v,
            Action::StaffRole(r) => self.staff_form.role = Some(r),
            Action::StaffPhone(v) => self.staff_form.phone = v,
            Action::StaffReachable(r) => self.staff_form.reachable = r,
            Action::AddStaff => return self.add_staff(),
            Action::RemoveStaff(i) => return self.remove_staff(i),
            Action::PickStaff(i) => return self.pick_staff(i),
            Action::Practice(a) => return self.practice_action(a),
            Action::Client(a) => self.client_action(a),
            Action::OpenReport(id) => return self.open_report(id),
            Action::HistoryLoaded(id, items) => self.history_loaded(id, items),
        }
        Vec::new()
    }

    /// The outbox line of a report, if loaded.
    pub fn entry(&self, id: Uuid) -> Option<&OutboxEntry> {
        self.reports.iter().find(|e| e.id == id)
    }
}

mod answering;

mod actions;
pub use actions::{Action, Effect};

mod delete;
pub use delete::{DeleteForm, DiscardForm};

mod staff;
pub use staff::StaffForm;

mod queue;

mod panels;
pub use panels::{Panel, UNDO_112};

mod practice;
pub use practice::{PracticeAction, PracticeResult, PracticeRun, PracticeState};
mod client;
pub use client::{ClientAction, ClientState, ClientView};

mod report;

#[cfg(test)]
mod tests;
