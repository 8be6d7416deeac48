//! An intake worker's wrapped key (the region's identity encrypted with the worker's passphrase),
//! kept byte for byte for that user alone.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use crate::db::{StoreResult, ts};

/// Store (or replace) the user's wrapped key.
pub fn put_intake_key(conn: &Connection, user_id: i64, wrapped: &[u8], now: DateTime<Utc>) -> StoreResult<()> {
    conn.execute(
        "INSERT INTO intake_key (user_id, wrapped, stored_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (user_id) DO UPDATE SET wrapped = excluded.wrapped, stored_at = excluded.stored_at",
        params![user_id, wrapped, ts(now)],
    )?;
    Ok(())
}

/// The user's wrapped key, exactly as stored.
pub fn intake_key(conn: &Connection, user_id: i64) -> StoreResult<Option<Vec<u8>>> {
    Ok(conn
        .query_row("SELECT wrapped FROM intake_key WHERE user_id = ?1", [user_id], |r| {
            r.get(0)
        })
        .optional()?)
}
