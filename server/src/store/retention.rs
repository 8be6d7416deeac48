//! The retention purge: personal data goes, the counting record stays.

use chrono::{DateTime, Duration, Utc};
use rusqlite::{Connection, TransactionBehavior, params};

use crate::db::{StoreResult, ts};
use crate::settings::Settings;

/// The reports due for purging: `?1` closed before, `?2` received before.
const DUE: &str = "SELECT id FROM report
    WHERE body IS NOT NULL AND ((closed_at IS NOT NULL AND closed_at <= ?1) OR received_at <= ?2)";

/// Purge personal data `closed_days` after closing and, whatever the state, `max_days` after
/// receipt (dead letters included); then checkpoint the WAL so it is gone from disk too
/// (`secure_delete` is on). How many reports were purged.
pub fn purge(conn: &mut Connection, settings: &Settings, now: DateTime<Utc>) -> StoreResult<usize> {
    let closed_before = ts(now - Duration::days(settings.retention_closed_days));
    let received_before = ts(now - Duration::days(settings.retention_max_days));
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    tx.execute(
        &format!("UPDATE audit SET detail = NULL WHERE report_id IN ({DUE})"),
        params![closed_before, received_before],
    )?;
    tx.execute(
        &format!(
            "UPDATE outbox SET dead_at = coalesce(dead_at, ?3), last_error = 'purged'
             WHERE delivered_at IS NULL AND report_id IN ({DUE})"
        ),
        params![closed_before, received_before, ts(now)],
    )?;
    let n = tx.execute(
        &format!("UPDATE report SET body = NULL, close_reason = NULL, purged_at = ?3 WHERE id IN ({DUE})"),
        params![closed_before, received_before, ts(now)],
    )?;
    tx.commit()?;
    if n > 0 {
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    }
    Ok(n)
}
