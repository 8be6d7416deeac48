//! A report's history on this device, for its report page: written, queued, each send attempt
//! that failed and why, a rejection, accepted by the server, each status the server reported
//! back, and the wipe of its personal data. No personal data: times, states and problem codes.

use chrono::{DateTime, Utc};
use meldcode::Status;
use meldcode::api::HistoryEntry;
use meldcode::delivery::DeliveryProblem;
use rusqlite::{Connection, params};
use uuid::Uuid;

use super::{Store, StoreError, parse_ts, ts};

/// One thing that happened to a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HistoryEvent {
    /// The pharmacist finished the report (its `created_at`).
    Created,
    /// Written to this device's outbox.
    Queued,
    /// A send attempt that did not reach the server or was not accepted; tried again later.
    AttemptFailed {
        problem: DeliveryProblem,
        http_status: Option<u16>,
    },
    /// Refused by the server.
    Rejected { http_status: Option<u16> },
    /// Sent again after a rejection (the device's clock was put right).
    Resent,
    /// The server no longer had it (its status answered `404`): queued again under the same id
    /// (`resent`), or kept, too old to be sent again, for the pharmacist to call.
    Lost { resent: bool },
    /// Accepted by the server (its first 2xx).
    Accepted,
    /// A status the server reported back.
    Server(Status),
    /// The personal data was wiped from this device.
    Wiped,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryItem {
    pub at: DateTime<Utc>,
    pub event: HistoryEvent,
}

/// Note `event` of report `id` (each one once), on `conn` (a transaction, where it must go
/// together with a change of the outbox line).
pub(super) fn add_event(
    conn: &Connection,
    id: Uuid,
    at: DateTime<Utc>,
    event: &str,
    detail: &str,
    http_status: Option<u16>,
) -> Result<(), StoreError> {
    conn.execute(
        "INSERT OR IGNORE INTO outbox_event (report_id, at, event, detail, http_status)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![id.to_string(), ts(at), event, detail, http_status],
    )?;
    Ok(())
}

impl Store {
    fn add_event(
        &self,
        id: Uuid,
        at: DateTime<Utc>,
        event: &str,
        detail: &str,
        http_status: Option<u16>,
    ) -> Result<(), StoreError> {
        add_event(&self.lock(), id, at, event, detail, http_status)
    }

    /// A send attempt at `at` failed with `problem` (a [`DeliveryProblem`] code).
    pub fn record_attempt_failed(
        &self,
        id: Uuid,
        at: DateTime<Utc>,
        problem: &str,
        http_status: Option<u16>,
    ) -> Result<(), StoreError> {
        self.add_event(id, at, "attempt_failed", problem, http_status)
    }

    pub fn record_rejected_event(&self, id: Uuid, at: DateTime<Utc>, http_status: u16) -> Result<(), StoreError> {
        self.add_event(id, at, "rejected", "", Some(http_status))
    }

    pub fn record_resent_event(&self, id: Uuid, at: DateTime<Utc>) -> Result<(), StoreError> {
        self.add_event(id, at, "resent", "", None)
    }

    /// The server's `history` of a report (each entry is kept once, however often it is polled).
    pub fn record_server_history(&self, id: Uuid, history: &[HistoryEntry]) -> Result<(), StoreError> {
        for h in history {
            self.add_event(id, h.at, "server", h.status.code(), None)?;
        }
        Ok(())
    }

    /// Everything that happened to report `id`, oldest first (empty when it is not on the device).
    pub fn history(&self, id: Uuid) -> Result<Vec<HistoryItem>, StoreError> {
        let conn = self.lock();
        let mut items = Vec::new();
        let mut stmt = conn.prepare("SELECT created_at, queued_at, accepted_at, wiped_at FROM outbox WHERE id = ?1")?;
        let mut rows = stmt.query([id.to_string()])?;
        if let Some(row) = rows.next()? {
            let cols: [(Option<String>, HistoryEvent); 4] = [
                (row.get(0)?, HistoryEvent::Created),
                (row.get(1)?, HistoryEvent::Queued),
                (row.get(2)?, HistoryEvent::Accepted),
                (row.get(3)?, HistoryEvent::Wiped),
            ];
            for (at, event) in cols {
                if let Some(at) = at {
                    items.push(HistoryItem {
                        at: parse_ts(&at)?,
                        event,
                    });
                }
            }
        }
        let mut stmt =
            conn.prepare("SELECT at, event, detail, http_status FROM outbox_event WHERE report_id = ?1 ORDER BY seq")?;
        let mut rows = stmt.query([id.to_string()])?;
        while let Some(row) = rows.next()? {
            let (event, detail): (String, String) = (row.get(1)?, row.get(2)?);
            let http_status: Option<u16> = row.get(3)?;
            let event = match event.as_str() {
                "attempt_failed" => HistoryEvent::AttemptFailed {
                    problem: DeliveryProblem::from_code(&detail),
                    http_status,
                },
                "rejected" => HistoryEvent::Rejected { http_status },
                "resent" => HistoryEvent::Resent,
                "lost" => HistoryEvent::Lost {
                    resent: detail == "resent",
                },
                "server" => HistoryEvent::Server(
                    Status::from_code(&detail).ok_or_else(|| StoreError::Damaged(format!("status {detail}")))?,
                ),
                other => return Err(StoreError::Damaged(format!("history event {other}"))),
            };
            items.push(HistoryItem {
                at: parse_ts(&row.get::<_, String>(0)?)?,
                event,
            });
        }
        // Oldest first; at the same instant, in the order they were written (a stable sort).
        items.sort_by_key(|i| i.at);
        Ok(items)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use meldcode::Kind;

    #[test]
    fn the_history_keeps_attempts_and_each_server_status_once() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let store = Store::open_dir(dir.path(), false)?;
        let t0 = Utc::now() - chrono::Duration::hours(1);
        let report = meldcode::examples::example(Kind::Melding, Uuid::new_v4(), t0);
        store.enqueue(&report, t0)?;
        let t1 = t0 + chrono::Duration::minutes(1);
        store.record_attempt_failed(report.id, t1, DeliveryProblem::Unreachable.code(), None)?;
        let t2 = t0 + chrono::Duration::minutes(2);
        store.record_status(report.id, Status::Received, Some("VT20"), None, t2)?;
        let server = [
            HistoryEntry {
                status: Status::Received,
                at: t2,
            },
            HistoryEntry {
                status: Status::Forwarded,
                at: t2 + chrono::Duration::seconds(3),
            },
        ];
        store.record_server_history(report.id, &server)?;
        store.record_server_history(report.id, &server)?;
        let events: Vec<HistoryEvent> = store.history(report.id)?.into_iter().map(|i| i.event).collect();
        assert_eq!(
            events,
            [
                HistoryEvent::Created,
                HistoryEvent::Queued,
                HistoryEvent::AttemptFailed {
                    problem: DeliveryProblem::Unreachable,
                    http_status: None
                },
                HistoryEvent::Accepted,
                HistoryEvent::Server(Status::Received),
                HistoryEvent::Server(Status::Forwarded),
            ]
        );
        Ok(())
    }
}
