//! Helpers for the end-to-end tests: the real `masker19-server` binary on a free loopback port
//! with its own SQLite file in a temporary directory (zero2prod's `spawn_app`, as a process).

pub mod api;
pub mod app;
pub mod attacker;
pub mod browser;
pub mod ceremony;
pub mod counting;
pub mod flood;
pub mod receiver;
pub mod server;
pub mod slow;
pub mod smtp;
pub mod totp;
pub mod web;
pub mod wine;

use std::path::{Path, PathBuf};

use anyhow::bail;
pub use api::{Api, Reply};
pub use counting::{generate_counting_records, insert_counting_records};
use serde_json::Value;
pub use server::{TestServer, add_pharmacy, admin, admin_with, prefer_release_server, server_bin, set_webhook};

/// A temporary directory for one test's database.
pub fn temp_db() -> anyhow::Result<(tempfile::TempDir, PathBuf)> {
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("masker19.db");
    Ok((dir, db))
}

/// The demo password of `serve --demo`.
pub const DEMO_PASSWORD: &str = "demo-wachtwoord-19";

/// A demo server (with `env`), and an enrolled device of the Demo-apotheek (VT01).
pub fn demo_server(env: &[(&str, &str)]) -> anyhow::Result<(tempfile::TempDir, TestServer, String)> {
    let (dir, db) = temp_db()?;
    let server = TestServer::start_with(&db, true, env)?;
    let token = server.client().enroll(&server.info["enrollment_code"])?;
    Ok((dir, server, token))
}

/// Poll `check` every 20 ms until it gives `Some`, or fail after `timeout`.
pub fn eventually<T>(
    timeout: std::time::Duration,
    what: &str,
    mut check: impl FnMut() -> anyhow::Result<Option<T>>,
) -> anyhow::Result<T> {
    let start = std::time::Instant::now();
    loop {
        if let Some(v) = check()? {
            return Ok(v);
        }
        if start.elapsed() > timeout {
            bail!("timed out waiting for {what}");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// A server on a fresh database with one evaluator, `eva`, and that evaluator's bearer token.
pub fn evaluator_server(password: &str) -> anyhow::Result<(tempfile::TempDir, TestServer, String)> {
    let (dir, db) = temp_db()?;
    let out = admin(
        &db,
        &["user", "add", "--role", "evaluator", "--name", "eva"],
        &format!("{password}\n"),
    )?;
    anyhow::ensure!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let server = TestServer::start(&db, false)?;
    let token = server.client().login("eva", password)?;
    Ok((dir, server, token))
}

/// A copy of a report with a fresh id.
pub fn with_fresh_id(report: &Value) -> Value {
    let mut r = report.clone();
    r["id"] = Value::from(uuid::Uuid::new_v4().to_string());
    r
}

/// A connection to a server's store file, for checking what is really in it: with the store's
/// own key file, or plain when there is none (`MASKER19_TEST_PLAINTEXT_DB`).
pub fn open_store(db: &Path) -> anyhow::Result<rusqlite::Connection> {
    let key = cipherdb::read_key_file(&cipherdb::key_file_beside(db), cipherdb::DbKey::raw_or_passphrase)?;
    let protection = key.map_or(cipherdb::Protection::PlaintextForTests, cipherdb::Protection::Key);
    let conn = cipherdb::open_keyed(db, &protection)?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    Ok(conn)
}

/// The `p`-quantile (0..=1) of sorted durations; zero when there are none.
pub fn percentile(sorted: &[std::time::Duration], p: f64) -> std::time::Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(i).copied().unwrap_or_default()
}

/// Safe-contact times written as a person would, around the current Amsterdam hour: a window
/// that holds now (from an hour ago to two hours ahead), or one that does not (three to five
/// hours ahead). Every day, so the test runs any day of the week.
pub fn safe_times_around_now(inside: bool) -> String {
    use chrono::Timelike;
    let hour = chrono::Utc::now().with_timezone(&meldcode::TIME_ZONE).hour();
    let (from, to) = if inside {
        (hour + 23, hour + 2)
    } else {
        (hour + 3, hour + 5)
    };
    format!("Elke dag tussen {} en {} uur", from % 24, to % 24)
}
