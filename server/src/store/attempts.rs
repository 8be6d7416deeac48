//! What the two delivery queues share: forwarding's `outbox` and notification's `notice` record
//! a failed attempt the same way.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};

use crate::db::{StoreResult, ts};

/// A queue of attempts, by its table.
#[derive(Debug, Clone, Copy)]
pub enum Queue {
    /// Webhook deliveries; a cancelled one (a transfer) is no longer tried.
    Outbox,
    /// Notification e-mails.
    Notice,
}

impl Queue {
    /// The table, and the condition under which a row still takes attempts.
    fn table(self) -> (&'static str, &'static str) {
        match self {
            Queue::Outbox => ("outbox", "cancelled_at IS NULL"),
            Queue::Notice => ("notice", "dead_at IS NULL"),
        }
    }
}

/// A failed attempt: again at `next`, or with `None` given up (a dead letter). The error is
/// kept to 300 characters.
pub fn failed(
    conn: &Connection,
    queue: Queue,
    id: i64,
    error: &str,
    next: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let error: String = error.chars().take(300).collect();
    let (table, live) = queue.table();
    let (column, at) = match next {
        Some(at) => ("next_attempt_at", at),
        None => ("dead_at", now),
    };
    conn.execute(
        &format!("UPDATE {table} SET attempts = attempts + 1, last_error = ?1, {column} = ?2 WHERE id = ?3 AND {live}"),
        params![error, ts(at), id],
    )?;
    Ok(())
}
