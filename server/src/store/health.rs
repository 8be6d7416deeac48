//! The store's side of readiness and metrics: a write it takes, and counts without personal data.

use chrono::{DateTime, Utc};
use rusqlite::Connection;

use crate::db::{StoreResult, parse_ts, ts};
use crate::store::{meta_get, meta_set};

/// Whether the database takes a write as large as the largest report now (a disk that is full
/// or read-only does not): 64 KiB written, committed and removed again.
pub fn take_a_write(conn: &Connection, now: DateTime<Utc>) -> StoreResult<()> {
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('ready_probe', hex(randomblob(32768)))
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [],
    )?;
    conn.execute("DELETE FROM meta WHERE key = 'ready_probe'", [])?;
    meta_set(conn, "ready_checked_at", &ts(now))?;
    Ok(())
}

/// One region's deliveries and its oldest report not yet taken into intake.
#[derive(Debug, Clone, Default)]
pub struct RegionHealth {
    pub vt_region: String,
    /// Not yet tried.
    pub pending: i64,
    /// Tried and failed, waiting for the next try.
    pub failing: i64,
    /// Dead letters (not cancelled by a transfer).
    pub dead: i64,
    pub oldest_unacknowledged_secs: Option<i64>,
}

/// What the gauges show: every region (zeros included), and the last backup's age.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    pub deliveries: Vec<RegionHealth>,
    pub last_backup_age_secs: Option<i64>,
}

pub fn snapshot(conn: &Connection, now: DateTime<Utc>) -> StoreResult<Snapshot> {
    let mut regions: Vec<RegionHealth> = meldcode::regions::latest()
        .regions()
        .map(|r| RegionHealth {
            vt_region: r.code.clone(),
            ..RegionHealth::default()
        })
        .collect();
    let mut stmt = conn.prepare_cached(
        "SELECT vt_region,
                sum(delivered_at IS NULL AND dead_at IS NULL AND attempts = 0),
                sum(delivered_at IS NULL AND dead_at IS NULL AND attempts > 0),
                sum(dead_at IS NOT NULL AND cancelled_at IS NULL AND delivered_at IS NULL)
         FROM outbox GROUP BY vt_region",
    )?;
    let counts = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, i64>(2)?,
            r.get::<_, i64>(3)?,
        ))
    })?;
    for row in counts {
        let (region, pending, failing, dead) = row?;
        if let Some(h) = regions.iter_mut().find(|h| h.vt_region == region) {
            (h.pending, h.failing, h.dead) = (pending, failing, dead);
        }
    }
    let mut stmt = conn.prepare_cached(
        "SELECT vt_region, min(received_at) FROM report
         WHERE status IN ('received', 'forwarded') AND synthetic = 0 GROUP BY vt_region",
    )?;
    let oldest = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    for row in oldest {
        let (region, at) = row?;
        if let (Some(h), Some(at)) = (regions.iter_mut().find(|h| h.vt_region == region), parse_ts(&at)) {
            h.oldest_unacknowledged_secs = Some((now - at).num_seconds().max(0));
        }
    }
    let last_backup_age_secs = meta_get(conn, "last_backup_at")?
        .as_deref()
        .and_then(parse_ts)
        .map(|at| (now - at).num_seconds().max(0));
    Ok(Snapshot {
        deliveries: regions,
        last_backup_age_secs,
    })
}
