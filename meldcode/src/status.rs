//! A report's status on the server (docs/contract.md, "Statuses") and its transitions.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Accepted and stored (melding, adviesvraag).
    Received,
    /// The region's webhook answered 2xx.
    Forwarded,
    /// Taken into intake by Veilig Thuis.
    Acknowledged,
    /// Handed over to another region; it is `received` again there.
    Transferred,
    /// Done at Veilig Thuis.
    Closed,
    /// Geen melding or acuut_112: counted, not forwarded.
    Recorded,
}

impl Status {
    pub const ALL: [Status; 6] = [
        Status::Received,
        Status::Forwarded,
        Status::Acknowledged,
        Status::Transferred,
        Status::Closed,
        Status::Recorded,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Status::Received => "received",
            Status::Forwarded => "forwarded",
            Status::Acknowledged => "acknowledged",
            Status::Transferred => "transferred",
            Status::Closed => "closed",
            Status::Recorded => "recorded",
        }
    }

    pub fn from_code(code: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The statuses that may follow this one (docs/contract.md, "Statuses"). After `transferred`
    /// the report is `received` again in the new region.
    pub fn next(self) -> &'static [Status] {
        use Status::*;
        match self {
            Received => &[Forwarded, Acknowledged, Transferred, Closed],
            Forwarded => &[Acknowledged, Transferred, Closed],
            Acknowledged => &[Transferred, Closed],
            Transferred => &[Received],
            Closed | Recorded => &[],
        }
    }

    pub fn can_become(self, to: Status) -> bool {
        self.next().contains(&to)
    }

    /// Still waiting for Veilig Thuis to act on it.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            Status::Received | Status::Forwarded | Status::Acknowledged | Status::Transferred
        )
    }

    /// The pharmacy's loop is closed: its device may wipe the local personal data.
    pub fn is_settled(self) -> bool {
        matches!(self, Status::Acknowledged | Status::Closed | Status::Recorded)
    }
}

/// A report's state as the pharmacy's device sees it: the local states the server never sends
/// (`queued`, `rejected`, `lost`), or the server's status. Its wording for people is one sentence
/// per state ([`crate::texts::Label`]): the app never says "verstuurd" before the server accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LocalState {
    /// Written to the device's outbox, not yet accepted by the server.
    Queued,
    /// Refused by the server with a 4xx other than 401/408/429.
    Rejected,
    /// Accepted once, but the server no longer has it (its status answers `404`: it was put back
    /// from an older copy) and it is too old to be sent again ([`resend_when_lost`] says no).
    /// Kept until it is deleted behind the PIN; the pharmacist calls Veilig Thuis.
    Lost,
    Server(Status),
}

/// Whether a report the server lost may be sent again: while its `created_at` is within
/// [`crate::validate::MAX_AGE`] of `now` (an older one would be refused by the server's window).
pub fn resend_when_lost(created_at: chrono::DateTime<chrono::Utc>, now: chrono::DateTime<chrono::Utc>) -> bool {
    created_at >= now - crate::validate::MAX_AGE
}

impl LocalState {
    pub fn code(self) -> &'static str {
        match self {
            LocalState::Queued => "queued",
            LocalState::Rejected => "rejected",
            LocalState::Lost => "lost",
            LocalState::Server(s) => s.code(),
        }
    }

    pub fn from_code(code: &str) -> Option<LocalState> {
        match code {
            "queued" => Some(LocalState::Queued),
            "rejected" => Some(LocalState::Rejected),
            "lost" => Some(LocalState::Lost),
            other => Status::from_code(other).map(LocalState::Server),
        }
    }

    /// The loop is closed: Veilig Thuis acknowledged it, closed it, or it was only counted.
    pub fn is_settled(self) -> bool {
        matches!(self, LocalState::Server(s) if s.is_settled())
    }

    /// The server has accepted it (only then may a screen say "verstuurd").
    pub fn is_sent(self) -> bool {
        matches!(self, LocalState::Server(_))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_match_serde() {
        for s in Status::ALL {
            assert_eq!(Status::from_code(s.code()), Some(s));
            assert_eq!(serde_json::to_value(s).ok(), Some(serde_json::Value::from(s.code())));
        }
    }

    #[test]
    fn transitions_follow_the_contract() {
        use Status::*;
        assert!(Received.can_become(Forwarded));
        assert!(Forwarded.can_become(Closed), "closing without acknowledging is allowed");
        assert!(Acknowledged.can_become(Transferred));
        assert!(!Acknowledged.can_become(Forwarded));
        assert!(!Closed.can_become(Received));
        assert!(Recorded.next().is_empty());
        assert!(!Recorded.is_open() && Recorded.is_settled());
    }

    #[test]
    fn local_states_round_trip() {
        let all = [LocalState::Queued, LocalState::Rejected, LocalState::Lost]
            .into_iter()
            .chain(Status::ALL.map(LocalState::Server));
        for s in all {
            assert_eq!(LocalState::from_code(s.code()), Some(s));
            assert_eq!(
                s.is_sent(),
                !matches!(s, LocalState::Queued | LocalState::Rejected | LocalState::Lost)
            );
        }
    }

    #[test]
    fn a_lost_report_is_resent_only_within_30_days_of_its_creation() -> Result<(), &'static str> {
        use chrono::{Duration, TimeZone, Utc};
        let created = Utc
            .with_ymd_and_hms(2026, 3, 1, 9, 0, 0)
            .single()
            .ok_or("a valid date")?;
        assert!(resend_when_lost(created, created + Duration::minutes(1)));
        assert!(resend_when_lost(created, created + Duration::days(30)));
        assert!(!resend_when_lost(
            created,
            created + Duration::days(30) + Duration::seconds(1)
        ));
        assert!(
            resend_when_lost(created, created - Duration::hours(1)),
            "a slow device clock"
        );
        Ok(())
    }
}
