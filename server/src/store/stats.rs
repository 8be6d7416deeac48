//! What the statistics read: counting records (no personal data) and per-region facts.

use rusqlite::{Connection, params};

use crate::db::{StoreResult, parse_ts};
use crate::stats::HourCount;

/// A cheap fingerprint of the counting records, to know when a cached publication is stale:
/// records are only ever added (the purge keeps them), and a transfer adds history events.
pub fn version(conn: &Connection) -> StoreResult<(i64, i64)> {
    Ok(conn.query_row(
        "SELECT (SELECT coalesce(max(rowid), 0) FROM report), (SELECT coalesce(max(id), 0) FROM report_event)",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?)
}

/// Counting records per region, kind, channel and UTC hour of receipt.
pub fn hour_counts(conn: &Connection) -> StoreResult<Vec<HourCount>> {
    let mut stmt = conn.prepare(
        "SELECT vt_region, kind, channel, substr(received_at, 1, 13), count(*) FROM report
         WHERE vt_region IS NOT NULL GROUP BY 1, 2, 3, 4",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(HourCount {
            vt_region: r.get(0)?,
            kind: r.get(1)?,
            channel: r.get(2)?,
            utc_hour: r.get(3)?,
            count: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Pharmacies with at least one active device, per region.
pub fn enrolled_pharmacies(conn: &Connection) -> StoreResult<Vec<(String, u32)>> {
    let mut stmt = conn.prepare(
        "SELECT p.vt_region, count(DISTINCT p.id) FROM pharmacy p JOIN device d ON d.pharmacy_id = p.id
         WHERE d.revoked_at IS NULL GROUP BY 1",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Minutes from receipt to acknowledgement per region, for reports received in `[from, to)`
/// (RFC 3339 bounds).
pub fn acknowledgement_minutes(conn: &Connection, from: &str, to: &str) -> StoreResult<Vec<(String, i64)>> {
    let mut stmt = conn.prepare(
        "SELECT vt_region, received_at, acknowledged_at FROM report
         WHERE acknowledged_at IS NOT NULL AND received_at >= ?1 AND received_at < ?2 AND vt_region IS NOT NULL",
    )?;
    let rows = stmt.query_map(params![from, to], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?))
    })?;
    Ok(rows
        .filter_map(Result::ok)
        .filter_map(|(region, rec, ack)| Some((region, (parse_ts(&ack)? - parse_ts(&rec)?).num_minutes())))
        .collect())
}
