//! The outbox: every finished report, written (with the draft removed, in one transaction)
//! before it is sent; its state as the app and the server see it; and the wipe of its personal
//! data once the loop is closed.

use chrono::{DateTime, Utc};
use meldcode::api::ErrorBody;
use meldcode::{Kind, Report, Status};
use rusqlite::{OptionalExtension, Row, params};
use uuid::Uuid;

use super::{Store, StoreError, parse_ts, ts};

/// How long a rejected report's personal data stays on the device.
pub const REJECTED_KEPT: chrono::Duration = chrono::Duration::days(30);

/// A report's state on this device (`meldcode`'s, with its wording).
pub use meldcode::status::LocalState;

/// One outbox line, without personal data: what the status list shows.
#[derive(Debug, Clone, PartialEq)]
pub struct OutboxEntry {
    pub id: Uuid,
    pub kind: Kind,
    pub created_at: DateTime<Utc>,
    pub queued_at: DateTime<Utc>,
    pub state: LocalState,
    pub attempts: u32,
    pub next_attempt_at: Option<DateTime<Utc>>,
    /// The last network or server problem (no personal data: a status line or a transport error).
    pub last_error: Option<String>,
    /// The server's reason for a rejection.
    pub rejection: Option<ErrorBody>,
    pub http_status: Option<u16>,
    pub vt_region: Option<String>,
    pub accepted_at: Option<DateTime<Utc>>,
    /// The personal data has been wiped from this device.
    pub wiped: bool,
    /// A rehearsal (oefenmodus): never forwarded, shown as "Oefening".
    pub practice: bool,
}

impl OutboxEntry {
    /// A report that goes to Veilig Thuis and is not yet in intake `threshold` after it was
    /// written: the pharmacist should call Veilig Thuis.
    pub fn needs_call(&self, now: DateTime<Utc>, threshold: chrono::Duration) -> bool {
        !self.practice
            && self.kind.is_forwarded()
            && !matches!(self.state, LocalState::Server(Status::Acknowledged | Status::Closed))
            && now - self.queued_at >= threshold
    }
}

const COLUMNS: &str = "id, kind, created_at, queued_at, state, attempts, next_attempt_at, last_error, rejection, \
                       http_status, vt_region, accepted_at, report IS NULL, practice";

fn opt_ts(s: Option<String>) -> Result<Option<DateTime<Utc>>, StoreError> {
    s.as_deref().map(parse_ts).transpose()
}

fn entry(row: &Row<'_>) -> Result<OutboxEntry, StoreError> {
    let id: String = row.get(0)?;
    let kind: String = row.get(1)?;
    let state: String = row.get(4)?;
    let rejection: Option<String> = row.get(8)?;
    Ok(OutboxEntry {
        id: Uuid::parse_str(&id).map_err(|e| StoreError::Damaged(e.to_string()))?,
        kind: Kind::from_code(&kind).ok_or_else(|| StoreError::Damaged(format!("kind {kind}")))?,
        created_at: parse_ts(&row.get::<_, String>(2)?)?,
        queued_at: parse_ts(&row.get::<_, String>(3)?)?,
        state: LocalState::from_code(&state).ok_or_else(|| StoreError::Damaged(format!("state {state}")))?,
        attempts: row.get(5)?,
        next_attempt_at: opt_ts(row.get(6)?)?,
        last_error: row.get(7)?,
        rejection: rejection.and_then(|r| serde_json::from_str(&r).ok()),
        http_status: row.get(9)?,
        vt_region: row.get(10)?,
        accepted_at: opt_ts(row.get(11)?)?,
        wiped: row.get(12)?,
        practice: row.get(13)?,
    })
}

impl Store {
    /// Write a finished report to the outbox and remove the draft, in one transaction. A second
    /// call with the same id (a double tap) changes nothing. A practice report never removes the
    /// draft: that is a real case kept while practising.
    pub fn enqueue(&self, report: &Report, now: DateTime<Utc>) -> Result<(), StoreError> {
        let json = serde_json::to_string(report).map_err(|e| StoreError::Damaged(e.to_string()))?;
        self.write(|tx| {
            tx.execute(
                "INSERT OR IGNORE INTO outbox (id, kind, created_at, queued_at, state, report, next_attempt_at, practice)
                 VALUES (?1, ?2, ?3, ?4, 'queued', ?5, ?4, ?6)",
                params![
                    report.id.to_string(),
                    report.kind.code(),
                    ts(report.created_at),
                    ts(now),
                    json,
                    report.practice
                ],
            )?;
            if !report.practice {
                tx.execute("DELETE FROM draft", [])?;
            }
            Ok(())
        })
    }

    /// Every line, newest first.
    pub fn outbox(&self) -> Result<Vec<OutboxEntry>, StoreError> {
        let conn = self.lock();
        let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM outbox ORDER BY queued_at DESC"))?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            out.push(entry(row)?);
        }
        Ok(out)
    }

    pub fn outbox_entry(&self, id: Uuid) -> Result<Option<OutboxEntry>, StoreError> {
        let conn = self.lock();
        let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM outbox WHERE id = ?1"))?;
        let mut rows = stmt.query([id.to_string()])?;
        rows.next()?.map(entry).transpose()
    }

    /// The stored report JSON (`None` once wiped).
    pub fn report_json(&self, id: Uuid) -> Result<Option<String>, StoreError> {
        Ok(self
            .lock()
            .query_row("SELECT report FROM outbox WHERE id = ?1", [id.to_string()], |r| {
                r.get(0)
            })
            .optional()?
            .flatten())
    }

    /// Queued reports whose next attempt is due: `(id, JSON to send)` (the envelope of a sealed
    /// report, else the report).
    pub fn due(&self, now: DateTime<Utc>) -> Result<Vec<(Uuid, String)>, StoreError> {
        let conn = self.lock();
        let mut stmt = conn.prepare(
            "SELECT id, coalesce(envelope, report) FROM outbox
             WHERE state = 'queued' AND report IS NOT NULL AND next_attempt_at <= ?1
             ORDER BY queued_at",
        )?;
        let rows = stmt.query_map([ts(now)], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        let mut out = Vec::new();
        for row in rows {
            let (id, json) = row?;
            out.push((
                Uuid::parse_str(&id).map_err(|e| StoreError::Damaged(e.to_string()))?,
                json,
            ));
        }
        Ok(out)
    }

    /// The earliest next attempt of a queued report.
    pub fn next_due(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        let t: Option<String> = self.lock().query_row(
            "SELECT min(next_attempt_at) FROM outbox WHERE state = 'queued' AND report IS NOT NULL",
            [],
            |r| r.get(0),
        )?;
        opt_ts(t)
    }

    /// "Nu opnieuw proberen": every queued report is due at `now` (its attempts and backoff
    /// stay as they are; the next failure waits as long as it would have).
    pub fn retry_now(&self, now: DateTime<Utc>) -> Result<usize, StoreError> {
        Ok(self.lock().execute(
            "UPDATE outbox SET next_attempt_at = ?1 WHERE state = 'queued' AND report IS NOT NULL AND next_attempt_at > ?1",
            params![ts(now)],
        )?)
    }

    /// A failed attempt that will be retried at `next`.
    pub fn record_retry(
        &self,
        id: Uuid,
        next: DateTime<Utc>,
        error: &str,
        http_status: Option<u16>,
    ) -> Result<(), StoreError> {
        self.lock().execute(
            "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?2, last_error = ?3, http_status = ?4
             WHERE id = ?1 AND state = 'queued'",
            params![id.to_string(), ts(next), error, http_status],
        )?;
        Ok(())
    }

    /// Refused by the server at `now`: kept (with its report) and never retried blindly; its
    /// personal data is wiped after [`REJECTED_KEPT`] ([`Store::wipe_old_rejected`]).
    pub fn record_rejected(
        &self,
        id: Uuid,
        http_status: u16,
        reason: &ErrorBody,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let json = serde_json::to_string(reason).map_err(|e| StoreError::Damaged(e.to_string()))?;
        self.lock().execute(
            "UPDATE outbox SET attempts = attempts + 1, state = 'rejected', rejection = ?2, http_status = ?3,
                 next_attempt_at = NULL, rejected_at = ?4
             WHERE id = ?1 AND state = 'queued'",
            params![id.to_string(), json, http_status, ts(now)],
        )?;
        Ok(())
    }

    /// Wipe the personal data of reports rejected more than [`REJECTED_KEPT`] before `now` (the
    /// line stays, without personal data, for the status list). Returns how many were wiped.
    pub fn wipe_old_rejected(&self, now: DateTime<Utc>) -> Result<usize, StoreError> {
        let n = self.lock().execute(
            "UPDATE outbox SET report = NULL, envelope = NULL, wiped_at = ?1
             WHERE state = 'rejected' AND report IS NOT NULL AND rejected_at <= ?2",
            params![ts(now), ts(now - REJECTED_KEPT)],
        )?;
        if n > 0 {
            self.checkpoint()?;
        }
        Ok(n)
    }

    /// The server's status (after a submit or a poll), with until when the server keeps the
    /// report (`retained_until`; an older server that does not say leaves the last one known).
    /// Once it is settled the report's personal data is wiped in the same transaction.
    pub fn record_status(
        &self,
        id: Uuid,
        status: Status,
        vt_region: Option<&str>,
        retained_until: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let settled = status.is_settled();
        self.write(|tx| {
            tx.execute(
                "UPDATE outbox SET state = ?2, vt_region = ?3, polled_at = ?4,
                     accepted_at = coalesce(accepted_at, ?4), next_attempt_at = NULL, last_error = NULL,
                     attempts = attempts + (state = 'queued'), retained_until = coalesce(?5, retained_until)
                 WHERE id = ?1 AND state NOT IN ('rejected', 'lost')",
                params![
                    id.to_string(),
                    status.code(),
                    vt_region,
                    ts(now),
                    retained_until.map(ts)
                ],
            )?;
            if settled {
                tx.execute(
                    "UPDATE outbox SET report = NULL, envelope = NULL, settled_at = coalesce(settled_at, ?2),
                         wiped_at = coalesce(wiped_at, ?2)
                     WHERE id = ?1",
                    params![id.to_string(), ts(now)],
                )?;
            }
            Ok(())
        })?;
        if settled {
            self.checkpoint()?;
        }
        Ok(settled)
    }

    /// A poll that did not give a status (network error, 5xx): try again after the interval.
    pub fn record_polled(&self, id: Uuid, now: DateTime<Utc>) -> Result<(), StoreError> {
        self.lock().execute(
            "UPDATE outbox SET polled_at = ?2 WHERE id = ?1",
            params![id.to_string(), ts(now)],
        )?;
        Ok(())
    }

    /// Accepted reports not yet settled, still holding their personal data, whose last poll is
    /// older than `interval` (one wiped when the server's keeping of it ended is not asked about).
    pub fn to_poll(&self, now: DateTime<Utc>, interval: chrono::Duration) -> Result<Vec<Uuid>, StoreError> {
        let conn = self.lock();
        let mut stmt = conn.prepare(
            "SELECT id FROM outbox
             WHERE state IN ('received', 'forwarded', 'transferred') AND report IS NOT NULL
               AND (polled_at IS NULL OR polled_at <= ?1)
             ORDER BY queued_at",
        )?;
        let rows = stmt.query_map([ts(now - interval)], |r| r.get::<_, String>(0))?;
        let mut out = Vec::new();
        for row in rows {
            out.push(Uuid::parse_str(&row?).map_err(|e| StoreError::Damaged(e.to_string()))?);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_now_makes_queued_reports_due_at_once() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let store = Store::open_dir(dir.path(), false)?;
        let now = Utc::now();
        let report = meldcode::examples::example(Kind::Melding, Uuid::new_v4(), now);
        store.enqueue(&report, now)?;
        store.record_retry(report.id, now + chrono::Duration::minutes(15), "unreachable", None)?;
        assert!(store.due(now)?.is_empty(), "waits for its backoff");
        assert_eq!(store.retry_now(now)?, 1);
        assert_eq!(store.due(now)?.len(), 1, "due now");
        assert_eq!(
            store.outbox_entry(report.id)?.map(|e| e.attempts),
            Some(1),
            "attempts kept"
        );
        Ok(())
    }

    #[test]
    fn a_rejected_report_is_wiped_after_30_days() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let store = Store::open_dir(dir.path(), false)?;
        let now = Utc::now();
        let report = meldcode::examples::example(Kind::Melding, Uuid::new_v4(), now);
        store.enqueue(&report, now)?;
        let reason = ErrorBody::new(
            422,
            "Unprocessable Entity",
            "the report breaks 1 rule(s)".into(),
            vec![meldcode::FieldError::new(
                "/created_at",
                meldcode::Rule::OutOfWindow,
                "x",
            )],
        );
        store.record_rejected(report.id, 422, &reason, now)?;
        assert_eq!(store.wipe_old_rejected(now + chrono::Duration::days(29))?, 0);
        assert!(store.report_json(report.id)?.is_some(), "kept for 29 days");
        assert_eq!(store.wipe_old_rejected(now + REJECTED_KEPT)?, 1);
        assert_eq!(store.report_json(report.id)?, None);
        let entry = store.outbox_entry(report.id)?.ok_or("the line stays")?;
        assert!(entry.wiped && entry.state == LocalState::Rejected);
        Ok(())
    }
}
