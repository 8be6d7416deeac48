//! Practice reports (oefenmodus): accepted like any report, kept as a count of training uptake
//! only. Their content is never stored, they never get an outbox row, and they live in
//! `practice_run`, apart from `report`, so no intake inbox, delivery or report count reads them.
//!
//! What a practice record holds is less than a counting record: the pharmacy and its region,
//! kind, channel, the time of receipt and the content hash (to answer a resubmission `200`). Once
//! the resubmission window is over, the hash goes and the time becomes the Amsterdam date.

use chrono::{DateTime, Duration, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use uuid::Uuid;

use crate::db::{StoreResult, parse_ts, ts};
use crate::stats::practice::PracticeHour;
use crate::store::directory::Device;
use crate::store::reports::Submitted;
use crate::store::retention::day_of;
use meldcode::api::{HistoryEntry, StatusBody};
use meldcode::{Kind, Report, Status};

/// As for reports: a resubmission is recognised while the device may still send it.
const HASH_KEPT_DAYS: i64 = 31;

/// Whether `id` is a practice report's id (a real report may never reuse it).
pub fn holds(conn: &Connection, id: &str) -> StoreResult<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM practice_run WHERE id = ?1")?
        .exists([id])?)
}

/// Accept one practice report inside the group commit's transaction: a count for the pharmacy's
/// region, nothing of its content.
pub fn submit_one(conn: &Connection, device: &Device, report: &Report, now: DateTime<Utc>) -> StoreResult<Submitted> {
    let id = report.id.to_string();
    let hash = meldcode::content_hash_of(&report.canonical_json());
    if conn
        .prepare_cached("SELECT 1 FROM report WHERE id = ?1")?
        .exists([&id])?
    {
        return Ok(Submitted::Conflict);
    }
    let existing: Option<(i64, String)> = conn
        .prepare_cached("SELECT pharmacy_id, content_hash FROM practice_run WHERE id = ?1")?
        .query_row([&id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    if let Some((pharmacy_id, stored_hash)) = existing {
        if pharmacy_id == device.pharmacy_id && stored_hash == hash {
            return Ok(status_of(conn, &id)?.map_or(Submitted::Conflict, Submitted::Identical));
        }
        return Ok(Submitted::Conflict);
    }
    // Uptake counts for the pharmacy's own region: the practice person's municipality is made up.
    let region: Option<String> = conn
        .prepare_cached("SELECT vt_region FROM pharmacy WHERE id = ?1")?
        .query_row([device.pharmacy_id], |r| r.get(0))
        .optional()?;
    let Some(region) = region else {
        return Ok(Submitted::Unroutable);
    };
    conn.prepare_cached(
        "INSERT INTO practice_run (id, pharmacy_id, vt_region, kind, channel, content_hash, received_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        id,
        device.pharmacy_id,
        region,
        report.kind.code(),
        report.channel.code(),
        hash,
        ts(now)
    ])?;
    let at = parse_ts(&ts(now)).unwrap_or(now);
    Ok(Submitted::Created(body(report.id, report.kind, at)))
}

fn body(id: Uuid, kind: Kind, at: DateTime<Utc>) -> StatusBody {
    StatusBody {
        id,
        kind,
        status: Status::Recorded,
        vt_region: None,
        history: vec![HistoryEntry {
            status: Status::Recorded,
            at,
        }],
        practice: true,
        retained_until: None,
    }
}

fn status_of(conn: &Connection, id: &str) -> StoreResult<Option<StatusBody>> {
    let row: Option<(String, String)> = conn
        .prepare_cached("SELECT kind, received_at FROM practice_run WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    Ok(row.and_then(|(kind, at)| Some(body(Uuid::parse_str(id).ok()?, Kind::from_code(&kind)?, parse_ts(&at)?))))
}

/// The status of a practice report for the pharmacy that sent it; `None` for anyone else.
pub fn status(conn: &Connection, id: &str, pharmacy_id: i64) -> StoreResult<Option<StatusBody>> {
    let owner: Option<i64> = conn
        .prepare_cached("SELECT pharmacy_id FROM practice_run WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?;
    if owner != Some(pharmacy_id) {
        return Ok(None);
    }
    status_of(conn, id)
}

/// Past the resubmission window a practice record keeps only its Amsterdam date, no hash. Runs
/// inside the retention purge's transaction. How many records were stripped.
pub fn purge(conn: &Connection, now: DateTime<Utc>) -> StoreResult<usize> {
    let before = ts(now - Duration::days(HASH_KEPT_DAYS));
    let rows: Vec<(String, String)> = conn
        .prepare_cached("SELECT id, received_at FROM practice_run WHERE purged_at IS NULL AND received_at <= ?1")?
        .query_map([&before], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let mut update = conn
        .prepare_cached("UPDATE practice_run SET received_at = ?2, content_hash = '', purged_at = ?3 WHERE id = ?1")?;
    for (id, received_at) in &rows {
        let day = parse_ts(received_at).map_or_else(|| received_at.clone(), day_of);
        update.execute(params![id, day, day_of(now)])?;
    }
    Ok(rows.len())
}

/// A fingerprint of the practice runs, to know when the cached uptake is stale: runs are only
/// ever added (the purge moves a time to the start of the same Amsterdam date).
pub fn version(conn: &Connection) -> StoreResult<i64> {
    Ok(conn.query_row("SELECT coalesce(max(rowid), 0) FROM practice_run", [], |r| r.get(0))?)
}

/// Practice runs per region, pharmacy and UTC hour of receipt: what the uptake statistics read.
pub fn hours(conn: &Connection) -> StoreResult<Vec<PracticeHour>> {
    let mut stmt = conn.prepare(
        "SELECT vt_region, pharmacy_id, substr(received_at, 1, 13), count(*) FROM practice_run GROUP BY 1, 2, 3",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(PracticeHour {
            vt_region: r.get(0)?,
            pharmacy_id: r.get(1)?,
            utc_hour: r.get(2)?,
            runs: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
