//! The client's screen: the pharmacist turns the screen towards a client who is alone, and it
//! says in the client's language what happens next (`meldcode::client_screen`). Offered on the
//! review step (the client can check the safe number and times before it is sent) and on the
//! status screen of the report just written. Never while the client is accompanied: the rule is
//! `meldcode`'s, checked again at every render, so no action can bring it on screen then.

use meldcode::client_screen::{self, ClientLang, ClientScreen};
use meldcode::flow::Step;
use meldcode::{Report, SafeContact};
use uuid::Uuid;

use super::{AppState, Screen};

/// What the client's screen is doing.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ClientState {
    /// Turned towards the client: `None` is the pharmacist's own screen.
    pub view: Option<ClientView>,
    /// The safe-contact block of the report just written to the outbox, for its status screen
    /// (in memory only, and only when the client was alone; gone when the next case starts).
    pub just_sent: Option<(Uuid, SafeContact)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientView {
    /// `None`: the client (or the pharmacist) still picks the language.
    pub lang: Option<ClientLang>,
}

/// What the pharmacist and the client tap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientAction {
    /// "Scherm naar cliënt draaien": the choice of language.
    Turn,
    /// A language, chosen by its own name.
    Lang(ClientLang),
    /// Back to the pharmacist's screen (one tap).
    Back,
}

impl AppState {
    /// The safe-contact block the client's screen would read back here, if it may be offered:
    /// the review step of a melding for a client who is alone, or the status screen of the
    /// report just written.
    fn client_source(&self) -> Option<SafeContact> {
        match self.screen {
            Screen::Procedure => {
                let flow = self.flow.as_ref()?;
                if flow.current() != Step::Review {
                    return None;
                }
                let report = flow.to_report(self.now).ok()?;
                client_screen::client_screen(&report, ClientLang::Nl)?;
                report.safe_contact
            }
            // Not once the device has wiped the report's personal data.
            Screen::Submitted(id) if self.entry(id).is_some_and(|e| e.wiped) => None,
            Screen::Submitted(id) => self
                .client
                .just_sent
                .as_ref()
                .filter(|(sent, _)| *sent == id)
                .map(|(_, safe)| safe.clone()),
            _ => None,
        }
    }

    /// "Scherm naar cliënt draaien" is shown here.
    pub fn client_offered(&self) -> bool {
        !self.hidden && self.panel.is_none() && self.client_source().is_some()
    }

    /// The screen turned to the client now, if any: the language choice (`Some(None)`) or the
    /// client's screen in their language.
    pub fn client_on_screen(&self) -> Option<Option<ClientScreen>> {
        let view = self.client.view?;
        let safe = self.client_source()?;
        Some(view.lang.map(|lang| client_screen::screen_for(&safe, lang)))
    }

    pub(super) fn client_action(&mut self, action: ClientAction) {
        match action {
            ClientAction::Turn if self.client_offered() => {
                self.client.view = Some(ClientView { lang: None });
            }
            ClientAction::Turn => {}
            ClientAction::Lang(lang) => {
                if self.client.view.is_some() && self.client_source().is_some() {
                    self.client.view = Some(ClientView { lang: Some(lang) });
                }
            }
            ClientAction::Back => self.client.view = None,
        }
    }

    /// A report was written: its block stays for its status screen when the client was alone.
    pub(super) fn client_report_written(&mut self, report: &Report) {
        self.client.view = None;
        self.client.just_sent = client_screen::client_screen(report, ClientLang::Nl)
            .and(report.safe_contact.clone())
            .map(|safe| (report.id, safe));
    }

    /// The outbox as it is now: once a report's personal data is wiped from the device, its
    /// safe number leaves memory too, and its screen is closed.
    pub(super) fn client_outbox_loaded(&mut self) {
        let wiped = |id| self.entry(id).is_some_and(|e| e.wiped);
        if self.client.just_sent.as_ref().is_some_and(|(id, _)| wiped(*id)) {
            self.client.just_sent = None;
            self.client.view = None;
        }
    }

    /// Hidden, a new case, another screen: the client's screen is closed (after the PIN the
    /// pharmacist's own screen comes back).
    pub(super) fn client_close(&mut self) {
        self.client.view = None;
    }
}
