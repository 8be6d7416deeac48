//! The notice queue in the store: a region's notification address, queueing a notice in the
//! transaction of the report or transfer, and the worker's due notices and outcomes.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use crate::db::{StoreResult, ts};

/// Set (or replace) the region's notification address.
pub fn set_address(conn: &Connection, vt_region: &str, email: &str, now: DateTime<Utc>) -> StoreResult<()> {
    conn.execute(
        "INSERT INTO region_notify (vt_region, email, updated_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (vt_region) DO UPDATE SET email = excluded.email, updated_at = excluded.updated_at",
        params![vt_region, email, ts(now)],
    )?;
    Ok(())
}

/// Why a notice is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// A new report reached the region's inbox.
    Received,
    /// A report was handed over to the region.
    Transferred,
}

impl Event {
    pub fn code(self) -> &'static str {
        match self {
            Event::Received => "received",
            Event::Transferred => "transferred",
        }
    }

    fn from_code(code: &str) -> Event {
        if code == "transferred" {
            Event::Transferred
        } else {
            Event::Received
        }
    }
}

/// Queue a notice to `vt_region` about report `report_id`, inside the caller's transaction (the
/// report's or the transfer's), when the region has an address; due at once (`at`). Unsent
/// notices of the report to other regions are cancelled: they lost access to it.
pub fn queue(conn: &Connection, report_id: &str, vt_region: &str, event: Event, at: &str) -> StoreResult<()> {
    conn.prepare_cached(
        "UPDATE notice SET dead_at = ?3, last_error = 'cancelled: transferred'
         WHERE report_id = ?1 AND vt_region <> ?2 AND sent_at IS NULL AND dead_at IS NULL",
    )?
    .execute(params![report_id, vt_region, at])?;
    conn.prepare_cached(
        "INSERT INTO notice (report_id, vt_region, event_type, created_at, next_attempt_at)
         SELECT ?1, vt_region, ?3, ?4, ?4 FROM region_notify WHERE vt_region = ?2",
    )?
    .execute(params![report_id, vt_region, event.code(), at])?;
    Ok(())
}

/// A notice that is due, with its recipient.
#[derive(Debug, Clone)]
pub struct DueNotice {
    pub id: i64,
    pub report_id: String,
    pub vt_region: String,
    pub event: Event,
    pub email: String,
    pub attempts: u32,
}

/// Due notices, oldest first, at most `limit`.
pub fn due(conn: &Connection, now: DateTime<Utc>, limit: usize) -> StoreResult<Vec<DueNotice>> {
    let mut stmt = conn.prepare_cached(
        "SELECT n.id, n.report_id, n.vt_region, n.event_type, a.email, n.attempts
         FROM notice n JOIN region_notify a ON a.vt_region = n.vt_region
         WHERE n.sent_at IS NULL AND n.dead_at IS NULL AND n.next_attempt_at <= ?1
         ORDER BY n.next_attempt_at, n.id LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![ts(now), limit as i64], |r| {
        Ok(DueNotice {
            id: r.get(0)?,
            report_id: r.get(1)?,
            vt_region: r.get(2)?,
            event: Event::from_code(&r.get::<_, String>(3)?),
            email: r.get(4)?,
            attempts: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// When the next unsent notice falls due, if any.
pub fn next_due_at(conn: &Connection) -> StoreResult<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT min(next_attempt_at) FROM notice WHERE sent_at IS NULL AND dead_at IS NULL",
            [],
            |r| r.get(0),
        )
        .optional()?
        .flatten())
}

pub fn sent(conn: &Connection, id: i64, now: DateTime<Utc>) -> StoreResult<()> {
    conn.execute(
        "UPDATE notice SET sent_at = ?2, attempts = attempts + 1, last_error = NULL WHERE id = ?1",
        params![id, ts(now)],
    )?;
    Ok(())
}

/// A failed attempt: again at `next`, or with `None` given up.
pub fn failed(
    conn: &Connection,
    id: i64,
    error: &str,
    next: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    crate::store::attempts::failed(conn, crate::store::attempts::Queue::Notice, id, error, next, now)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::MIGRATIONS;

    fn store() -> anyhow::Result<Connection> {
        let mut conn = Connection::open_in_memory()?;
        MIGRATIONS.to_latest(&mut conn)?;
        for id in ["r1", "r2"] {
            conn.execute(
                "INSERT INTO report (id, kind, channel, vt_region, status, content_hash, received_at)
                 VALUES (?1, 'melding', 'balie', 'VT01', 'received', 'h', '2026-12-02T10:00:00Z')",
                [id],
            )?;
        }
        Ok(conn)
    }

    #[test]
    fn only_a_region_with_an_address_gets_a_notice() -> anyhow::Result<()> {
        let conn = store()?;
        let now = Utc::now();
        queue(&conn, "r1", "VT01", Event::Received, &ts(now))?;
        assert!(due(&conn, now, 10)?.is_empty(), "VT01 has no address yet");
        set_address(&conn, "VT01", "intake@vt01.example.nl", now)?;
        queue(&conn, "r2", "VT01", Event::Received, &ts(now))?;
        let due = due(&conn, now, 10)?;
        assert_eq!(due.len(), 1);
        assert_eq!(
            (due[0].report_id.as_str(), due[0].email.as_str()),
            ("r2", "intake@vt01.example.nl")
        );
        Ok(())
    }

    #[test]
    fn a_transfer_cancels_the_old_regions_unsent_notice() -> anyhow::Result<()> {
        let conn = store()?;
        let now = Utc::now();
        set_address(&conn, "VT01", "a@vt01.example.nl", now)?;
        set_address(&conn, "VT20", "b@vt20.example.nl", now)?;
        queue(&conn, "r1", "VT01", Event::Received, &ts(now))?;
        queue(&conn, "r1", "VT20", Event::Transferred, &ts(now))?;
        let due = due(&conn, now, 10)?;
        assert_eq!(due.len(), 1);
        assert_eq!((due[0].vt_region.as_str(), due[0].event), ("VT20", Event::Transferred));
        Ok(())
    }

    #[test]
    fn a_failed_notice_waits_and_is_given_up_without_a_next_slot() -> anyhow::Result<()> {
        let conn = store()?;
        let now = Utc::now();
        set_address(&conn, "VT01", "a@vt01.example.nl", now)?;
        queue(&conn, "r1", "VT01", Event::Received, &ts(now))?;
        let id = due(&conn, now, 10)?[0].id;
        failed(
            &conn,
            id,
            "connection refused",
            Some(now + chrono::Duration::seconds(5)),
            now,
        )?;
        assert!(due(&conn, now, 10)?.is_empty(), "not before its retry");
        let later = now + chrono::Duration::seconds(6);
        assert_eq!(due(&conn, later, 10)?[0].attempts, 1);
        failed(&conn, id, "connection refused", None, later)?;
        assert!(
            due(&conn, later + chrono::Duration::days(1), 10)?.is_empty(),
            "given up"
        );
        assert_eq!(next_due_at(&conn)?, None);
        Ok(())
    }
}
