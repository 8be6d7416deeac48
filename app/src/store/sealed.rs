//! The outbox's sealed side: reports that wait to be sealed, and the envelope kept once they are
//! (sent byte for byte on every retry).

use chrono::{DateTime, Utc};
use rusqlite::params;
use uuid::Uuid;

use super::{Store, StoreError, ts};

/// A queued report due to be sent: what to send, and whether it is a melding or adviesvraag
/// that is still in clear (not sealed yet).
#[derive(Debug, Clone, PartialEq)]
pub struct DueReport {
    pub id: Uuid,
    pub json: String,
    pub unsealed: bool,
}

fn uuid(s: &str) -> Result<Uuid, StoreError> {
    Uuid::parse_str(s).map_err(|e| StoreError::Damaged(e.to_string()))
}

/// A real melding or adviesvraag: what may be sealed.
const SEALABLE: &str = "practice = 0 AND kind IN ('melding', 'adviesvraag')";

impl Store {
    /// Queued meldingen and adviesvragen not sealed yet: `(id, report JSON)`.
    pub fn unsealed(&self) -> Result<Vec<(Uuid, String)>, StoreError> {
        let conn = self.lock();
        let mut stmt = conn.prepare(&format!(
            "SELECT id, report FROM outbox
             WHERE state = 'queued' AND report IS NOT NULL AND envelope IS NULL AND {SEALABLE}
             ORDER BY queued_at"
        ))?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        let mut out = Vec::new();
        for row in rows {
            let (id, json) = row?;
            out.push((uuid(&id)?, json));
        }
        Ok(out)
    }

    /// Keep the envelope of a sealed report (once: a report is sealed one time only).
    pub fn set_envelope(&self, id: Uuid, envelope: &str) -> Result<bool, StoreError> {
        Ok(self.lock().execute(
            "UPDATE outbox SET envelope = ?2 WHERE id = ?1 AND envelope IS NULL AND report IS NOT NULL",
            params![id.to_string(), envelope],
        )? == 1)
    }

    /// The envelope kept for a report, if it was sealed.
    pub fn envelope(&self, id: Uuid) -> Result<Option<String>, StoreError> {
        use rusqlite::OptionalExtension;
        Ok(self
            .lock()
            .query_row("SELECT envelope FROM outbox WHERE id = ?1", [id.to_string()], |r| {
                r.get(0)
            })
            .optional()?
            .flatten())
    }

    /// Queued reports whose next attempt is due, with what to send: the envelope when the report
    /// was sealed, else the report.
    pub fn due_to_send(&self, now: DateTime<Utc>) -> Result<Vec<DueReport>, StoreError> {
        let conn = self.lock();
        let mut stmt = conn.prepare(&format!(
            "SELECT id, coalesce(envelope, report), envelope IS NULL AND {SEALABLE} FROM outbox
             WHERE state = 'queued' AND report IS NOT NULL AND next_attempt_at <= ?1
             ORDER BY queued_at"
        ))?;
        let rows = stmt.query_map([ts(now)], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, bool>(2)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, json, unsealed) = row?;
            out.push(DueReport {
                id: uuid(&id)?,
                json,
                unsealed,
            });
        }
        Ok(out)
    }
}
