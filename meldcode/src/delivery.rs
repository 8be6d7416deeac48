//! Why a report has not reached the server yet, in words for the pharmacy: one reason per kind
//! of failure, stored by its stable code on the device and shown in Dutch (never a transport
//! library's English, such as "no connection").

use crate::texts::{Label, Lang};

/// Why sending failed (the report stays queued and is tried again).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DeliveryProblem {
    /// No answer at all: no network, the server down, a time-out.
    Unreachable,
    /// 401: this device's link to the server is no longer valid.
    NotLinked,
    /// 408, 429 or 5xx: the server is busy or has a fault of its own.
    ServerBusy,
    /// 3xx: the server address points elsewhere (a redirect is never followed).
    Redirected,
    /// An answer the app cannot read.
    Unreadable,
    /// The local store could not be read or written.
    Device,
    /// The server no longer had the report (it was put back from an older copy): sent again.
    Lost,
    /// The report's region receives sealed reports only and this device has no valid region
    /// key list to seal it with: it waits.
    SealKeys,
}

impl DeliveryProblem {
    pub const ALL: [DeliveryProblem; 8] = [
        DeliveryProblem::Unreachable,
        DeliveryProblem::NotLinked,
        DeliveryProblem::ServerBusy,
        DeliveryProblem::Redirected,
        DeliveryProblem::Unreadable,
        DeliveryProblem::Device,
        DeliveryProblem::Lost,
        DeliveryProblem::SealKeys,
    ];

    /// The stable code kept on the device.
    pub fn code(self) -> &'static str {
        match self {
            DeliveryProblem::Unreachable => "unreachable",
            DeliveryProblem::NotLinked => "not_linked",
            DeliveryProblem::ServerBusy => "server_busy",
            DeliveryProblem::Redirected => "redirected",
            DeliveryProblem::Unreadable => "unreadable",
            DeliveryProblem::Device => "device",
            DeliveryProblem::Lost => "lost",
            DeliveryProblem::SealKeys => "seal_keys",
        }
    }

    /// A stored code back; anything else (an older free text) counts as unreachable, so no
    /// foreign sentence ever reaches the screen.
    pub fn from_code(code: &str) -> DeliveryProblem {
        DeliveryProblem::ALL
            .into_iter()
            .find(|p| p.code() == code)
            .unwrap_or(DeliveryProblem::Unreachable)
    }

    /// The problem an HTTP status of a failed attempt means (`None`: no answer at all).
    pub fn from_http(status: Option<u16>) -> DeliveryProblem {
        match status {
            None => DeliveryProblem::Unreachable,
            Some(401) => DeliveryProblem::NotLinked,
            Some(300..=399) => DeliveryProblem::Redirected,
            Some(200 | 201) => DeliveryProblem::Unreadable,
            Some(_) => DeliveryProblem::ServerBusy,
        }
    }
}

impl Label for DeliveryProblem {
    fn label(&self, lang: Lang) -> &'static str {
        let (nl, en) = match self {
            DeliveryProblem::Unreachable => (
                "Geen verbinding met de server (netwerk of server niet bereikbaar).",
                "No connection to the server (network or server unreachable).",
            ),
            DeliveryProblem::NotLinked => (
                "De server herkent dit apparaat niet meer: koppel het opnieuw.",
                "The server no longer recognises this device: link it again.",
            ),
            DeliveryProblem::ServerBusy => (
                "De server is druk of heeft een storing.",
                "The server is busy or has a fault.",
            ),
            DeliveryProblem::Redirected => (
                "Het serveradres verwijst door; controleer het adres.",
                "The server address redirects; check the address.",
            ),
            DeliveryProblem::Unreadable => (
                "Het antwoord van de server was onleesbaar.",
                "The server's answer could not be read.",
            ),
            DeliveryProblem::Device => (
                "Lezen of schrijven op dit apparaat mislukte.",
                "Reading or writing on this device failed.",
            ),
            DeliveryProblem::Lost => (
                "De server had deze melding niet meer (teruggezet van een oudere kopie); ze wordt opnieuw verstuurd.",
                "The server no longer had this report (restored from an older copy); it is sent again.",
            ),
            DeliveryProblem::SealKeys => (
                "Wacht op de sleutels van Veilig Thuis: deze melding wordt pas verstuurd als ze verzegeld kan worden. Is het dringend? Bel Veilig Thuis: 0800-2000.",
                "Waiting for Veilig Thuis's keys: this report is sent once it can be sealed. Is it urgent? Call Veilig Thuis: 0800-2000.",
            ),
        };
        lang.pick(nl, en)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_problem_has_a_dutch_sentence_and_a_stable_code() {
        for p in DeliveryProblem::ALL {
            assert_eq!(DeliveryProblem::from_code(p.code()), p);
            assert!(!p.label(Lang::Nl).is_empty());
        }
        assert_eq!(
            DeliveryProblem::from_code("no connection"),
            DeliveryProblem::Unreachable
        );
        assert_eq!(DeliveryProblem::from_http(Some(503)), DeliveryProblem::ServerBusy);
        assert_eq!(DeliveryProblem::from_http(Some(307)), DeliveryProblem::Redirected);
    }
}
