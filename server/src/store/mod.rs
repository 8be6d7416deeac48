//! The store's queries: plain functions over a `rusqlite::Connection`, used by the HTTP handlers
//! (inside the async connection's thread), the background workers and the admin CLI alike; and
//! [`Store`], the server's connections that run them.

pub mod attempts;
mod connections;
pub mod directory;
pub mod health;
pub mod inbox;
pub mod intake;
pub mod notices;
pub mod outbox;
pub mod practice;
pub mod region_keys;
pub mod reports;
pub mod retention;
pub mod stats;

pub use connections::Store;

use rusqlite::{Connection, OptionalExtension};

pub fn meta_get(conn: &Connection, key: &str) -> rusqlite::Result<Option<String>> {
    conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()
}

pub fn meta_set(conn: &Connection, key: &str, value: &str) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [key, value],
    )?;
    Ok(())
}
