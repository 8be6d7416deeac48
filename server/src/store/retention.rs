//! The retention purge: personal data goes, the counting record stays, and after the purge it
//! keeps only what the statistics need: region, Amsterdam date, kind, channel, the pharmacy and
//! the minutes from receipt to acknowledgement. No device, no close reason, no audit
//! detail, no time finer than the Amsterdam date, and no content hash after the resubmission
//! window.

use chrono::{DateTime, Duration, NaiveTime, SecondsFormat, TimeZone, Utc};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use crate::db::{StoreError, StoreResult, parse_ts, ts};
use crate::settings::Settings;

/// The reports due for purging: `?1` closed before, `?2` received before.
const DUE: &str = "SELECT id FROM report
    WHERE purged_at IS NULL AND ((closed_at IS NOT NULL AND closed_at <= ?1) OR received_at <= ?2)";

/// Purged reports that still hold more than a counting record may: the same condition as the
/// partial index `report_purged_traces` (migration 004), so this reads that index only.
const TRACES: &str = "SELECT id, received_at, acknowledged_at, closed_at, purged_at FROM report
    WHERE purged_at IS NOT NULL AND (
    device_id IS NOT NULL OR close_reason IS NOT NULL OR instr(received_at, '.') > 0
    OR instr(coalesce(acknowledged_at, ''), '.') > 0 OR instr(coalesce(closed_at, ''), '.') > 0
    OR instr(purged_at, '.') > 0)";

/// An identical resubmission is recognised by its hash while the device may still send it
/// (`created_at` at most 30 days back); one day more, as the purged receipt time is the start of
/// its Amsterdam date.
const HASH_KEPT_DAYS: i64 = 31;

/// The times of a report's rows in other tables, coarsened to the Amsterdam date once purged.
const ROW_TIMES: &[(&str, &str)] = &[
    ("report_event", "at"),
    ("audit", "at"),
    ("outbox", "created_at"),
    ("outbox", "next_attempt_at"),
    ("outbox", "delivered_at"),
    ("outbox", "dead_at"),
    ("outbox", "cancelled_at"),
];

/// The Amsterdam date of an instant, stored as the instant that date begins (whole seconds, so
/// the statistics' bucketing by Amsterdam day, week, month ... is unchanged).
pub fn day_of(at: DateTime<Utc>) -> String {
    day_start(at).to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn day_start(at: DateTime<Utc>) -> DateTime<Utc> {
    let date = at.with_timezone(&meldcode::TIME_ZONE).date_naive();
    // Dutch clocks change at 02:00/03:00: midnight always exists.
    meldcode::TIME_ZONE
        .from_local_datetime(&date.and_time(NaiveTime::MIN))
        .earliest()
        .map_or(at, |t| t.with_timezone(&Utc))
}

/// When something about a report happened, as it may be stored: the Amsterdam date once the
/// report is purged, else the exact time.
pub fn written_at(purged: bool, now: DateTime<Utc>) -> String {
    if purged { day_of(now) } else { ts(now) }
}

/// Whether a report's personal data is purged: what is written about it afterwards (an intake
/// action, an audit line) keeps to what a counting record may hold.
pub fn is_purged(conn: &Connection, id: &str) -> StoreResult<bool> {
    let purged: Option<bool> = conn
        .prepare_cached("SELECT purged_at IS NOT NULL FROM report WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?;
    Ok(purged.unwrap_or(false))
}

/// Purge personal data `closed_days` after closing and, whatever the state, `max_days` after
/// receipt (dead letters included); strip every purged report down to its counting record (also
/// what was written after an earlier purge); drop content hashes past the resubmission window;
/// then checkpoint the WAL so it is gone from disk too (`secure_delete` is on). How many reports
/// lost their personal data. An incomplete checkpoint is an error (the next purge tries again).
pub fn purge(conn: &mut Connection, settings: &Settings, now: DateTime<Utc>) -> StoreResult<usize> {
    let closed_before = ts(now - Duration::days(settings.retention_closed_days));
    let received_before = ts(now - Duration::days(settings.retention_max_days));
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    tx.execute(
        &format!(
            "UPDATE outbox SET dead_at = coalesce(dead_at, ?3), last_error = 'purged'
             WHERE delivered_at IS NULL AND report_id IN ({DUE})"
        ),
        params![closed_before, received_before, ts(now)],
    )?;
    let n = tx.execute(
        &format!("UPDATE report SET body = NULL, close_reason = NULL, purged_at = ?3 WHERE body IS NOT NULL AND id IN ({DUE})"),
        params![closed_before, received_before, ts(now)],
    )?;
    // Counting kinds have no body from the start; their traces go on the same schedule.
    tx.execute(
        &format!("UPDATE report SET purged_at = ?3 WHERE id IN ({DUE})"),
        params![closed_before, received_before, ts(now)],
    )?;
    strip_to_counting_records(&tx)?;
    crate::store::practice::purge(&tx, now)?;
    tx.execute(
        "UPDATE report SET content_hash = '' WHERE purged_at IS NOT NULL AND content_hash <> '' AND received_at <= ?1",
        [ts(now - Duration::days(HASH_KEPT_DAYS))],
    )?;
    tx.commit()?;
    checkpoint(conn, n)?;
    Ok(n)
}

/// Every purged report that holds more than its counting record loses it: device, close reason,
/// audit details; its times become Amsterdam dates, keeping the minutes to acknowledgement.
fn strip_to_counting_records(conn: &Connection) -> StoreResult<()> {
    type Row = (String, String, Option<String>, Option<String>, String);
    let rows: Vec<Row> = conn
        .prepare(TRACES)?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?
        .collect::<Result<_, _>>()?;
    for (id, received_at, acknowledged_at, closed_at, purged_at) in rows {
        let received = parse_ts(&received_at).unwrap_or_else(Utc::now);
        let received_day = day_start(received);
        let acknowledged = acknowledged_at.as_deref().and_then(parse_ts).map(|at| {
            let minutes = (at - received).num_minutes();
            (received_day + Duration::minutes(minutes)).to_rfc3339_opts(SecondsFormat::Secs, true)
        });
        let day = |at: Option<&str>| at.and_then(parse_ts).map(day_of);
        conn.execute(
            "UPDATE report SET device_id = NULL, close_reason = NULL, received_at = ?2, acknowledged_at = ?3,
                 closed_at = ?4, purged_at = ?5 WHERE id = ?1",
            params![
                id,
                day_of(received),
                acknowledged,
                day(closed_at.as_deref()),
                day(Some(&purged_at)).unwrap_or(purged_at)
            ],
        )?;
        conn.execute("UPDATE audit SET detail = NULL WHERE report_id = ?1", [&id])?;
        for (table, column) in ROW_TIMES {
            coarsen(conn, table, column, &id)?;
        }
    }
    Ok(())
}

/// `table.column` of one report's rows, as Amsterdam dates.
fn coarsen(conn: &Connection, table: &str, column: &str, report_id: &str) -> StoreResult<()> {
    let rows: Vec<(i64, String)> = conn
        .prepare_cached(&format!(
            "SELECT rowid, {column} FROM {table} WHERE report_id = ?1 AND instr({column}, '.') > 0"
        ))?
        .query_map([report_id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let mut update = conn.prepare_cached(&format!("UPDATE {table} SET {column} = ?2 WHERE rowid = ?1"))?;
    for (rowid, at) in rows {
        if let Some(at) = parse_ts(&at) {
            update.execute(params![rowid, day_of(at)])?;
        }
    }
    Ok(())
}

/// Copy the WAL into the file and truncate it, so the old pages are gone from disk. A reader
/// that holds an old snapshot (beyond the busy timeout) keeps it from completing: that is said,
/// not hidden; the purge is committed and the next purge checkpoints again.
fn checkpoint(conn: &Connection, purged: usize) -> StoreResult<()> {
    let (busy, log, done): (i64, i64, i64) = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?))
    })?;
    if busy == 0 {
        return Ok(());
    }
    let message = format!(
        "purged {purged} report(s), but the WAL checkpoint could not complete (busy; {done} of {log} pages copied): \
         old pages may stay in the WAL file until the next purge"
    );
    Err(StoreError::Sqlite(rusqlite::Error::SqliteFailure(
        rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
        Some(message),
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_is_the_start_of_its_amsterdam_date() {
        let at = |s: &str| parse_ts(s).unwrap_or_default();
        // Winter (UTC+1) and summer (UTC+2), and 23:30 UTC already the next Amsterdam day.
        assert_eq!(day_of(at("2026-01-15T10:11:12.345678Z")), "2026-01-14T23:00:00Z");
        assert_eq!(day_of(at("2026-07-15T10:11:12.345678Z")), "2026-07-14T22:00:00Z");
        assert_eq!(day_of(at("2026-01-15T23:30:00.000001Z")), "2026-01-15T23:00:00Z");
        // The day a clock changes.
        assert_eq!(day_of(at("2026-03-29T12:00:00Z")), "2026-03-28T23:00:00Z");
    }
}
