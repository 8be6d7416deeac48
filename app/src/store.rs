//! The app's local store: one SQLCipher database in the data directory holding the settings
//! (server, device token, PIN hash), the draft of the procedure in progress and the outbox.
//!
//! Blocking (rusqlite) behind a mutex; async callers go through `spawn_blocking`. The connection
//! is opened by [`cipherdb::open`] (the server's rule too): the key first, then WAL,
//! `synchronous=FULL` (a report written is a report kept through a crash) and `secure_delete`
//! (wiped personal data is overwritten on disk). The key comes from the OS keyring or a key file
//! read by [`cipherdb::read_key_file`] (refused when empty or readable by others).

mod draft_writer;
mod history;
mod last_copy;
mod outbox;
mod practice;
mod rejected;
mod sealed;
pub use sealed::DueReport;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use rusqlite_migration::{M, Migrations};

pub use draft_writer::DraftWriter;
pub use history::{HistoryEvent, HistoryItem};
pub use outbox::{LocalState, OutboxEntry};
pub use practice::PracticeRecord;

use crate::platform::{self, DbKey, KeyError};

const MIGRATION_LIST: &[M<'static>] = &[
    M::up(include_str!("../migrations/001_init.sql")),
    M::up(include_str!("../migrations/002_rejected_at.sql")),
    M::up(include_str!("../migrations/003_practice.sql")),
    M::up(include_str!("../migrations/004_report_history.sql")),
    M::up(include_str!("../migrations/005_retained_until.sql")),
    M::up(include_str!("../migrations/006_sealed.sql")),
];
const MIGRATIONS: Migrations<'static> = Migrations::from_slice(MIGRATION_LIST);

pub const DB_FILE: &str = "outbox.db";

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(transparent)]
    Key(#[from] KeyError),
    #[error("the outbox does not open with this key (file is not a database)")]
    WrongKey,
    #[error("database: {0}")]
    Db(#[from] rusqlite::Error),
    #[error("database migration: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    #[error("stored data is damaged: {0}")]
    Damaged(String),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// Setting keys.
pub mod keys {
    pub const SERVER_URL: &str = "server_url";
    pub const DEVICE_TOKEN: &str = "device_token";
    pub const PHARMACY: &str = "pharmacy";
    /// The server's id of this device (`device list`), for an administrator revoking it.
    pub const DEVICE_ID: &str = "device_id";
    pub const PHARMACY_GEMEENTE: &str = "pharmacy_gemeente";
    /// The pharmacy team on this device (JSON, `meldcode::staff::StaffMember`s).
    pub const STAFF: &str = "staff";
    pub const PIN_HASH: &str = "pin_hash";
    /// Wrong PINs at the neutral screen and their wait (JSON, `crate::pin_lock::PinLock`).
    pub const PIN_LOCK: &str = "pin_lock";
    pub const LANG: &str = "lang";
    /// The scheme's minisign public key (`RW…`), pinned at enrollment with `--scheme-key`.
    pub const SCHEME_KEY: &str = "scheme_key";
    /// The last region key list verified with the scheme key (JSON `meldcode::sealed::SignedList`).
    pub const KEY_LIST: &str = "key_list";
    /// The `ETag` of that list, sent as `If-None-Match`.
    pub const KEY_LIST_ETAG: &str = "key_list_etag";
    /// "1" when the server said it has no list yet (404) and this device holds none.
    pub const KEY_LIST_ABSENT: &str = "key_list_absent";
    /// The last problem with the list (a bad signature, a downgrade), shown while reports wait.
    pub const KEY_LIST_PROBLEM: &str = "key_list_problem";
    /// The pharmacy's region at enrollment: where a report goes when no gemeente routes it.
    pub const PHARMACY_REGION: &str = "pharmacy_region";
}

/// A handle on the store; cheap to clone.
#[derive(Clone)]
pub struct Store {
    conn: Arc<Mutex<Connection>>,
    path: PathBuf,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

pub(crate) fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

pub(crate) fn parse_ts(s: &str) -> Result<DateTime<Utc>, StoreError> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| StoreError::Damaged(format!("time {s:?}: {e}")))
}

impl Store {
    /// Open (or create) the store in `dir` with the key from [`platform::load_or_create_key`].
    pub fn open_dir(dir: &Path, use_keyring: bool) -> Result<Store, StoreError> {
        std::fs::create_dir_all(dir)?;
        let path = dir.join(DB_FILE);
        let key = platform::load_or_create_key(dir, path.exists(), use_keyring)?;
        Store::open(&path, &key)
    }

    /// Open the database at `path` with `key`; a wrong key is [`StoreError::WrongKey`].
    pub fn open(path: &Path, key: &DbKey) -> Result<Store, StoreError> {
        let mut conn = cipherdb::open(path, &cipherdb::Protection::Key(key.clone())).map_err(|e| match e {
            cipherdb::OpenError::WrongKey => StoreError::WrongKey,
            cipherdb::OpenError::Sqlite(e) => StoreError::Db(e),
        })?;
        MIGRATIONS.to_latest(&mut conn)?;
        platform::owner_only(path);
        Ok(Store {
            conn: Arc::new(Mutex::new(conn)),
            path: path.to_path_buf(),
        })
    }

    /// A store in memory only, under a random key: what the window runs on when the real one in
    /// `dir` cannot be opened (it records nothing; its path says where the window's own files go).
    pub fn in_memory(dir: &Path) -> Result<Store, StoreError> {
        let key = DbKey::random().map_err(KeyError::from)?;
        let mut store = Store::open(Path::new(":memory:"), &key)?;
        store.path = dir.join("in-memory");
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock leaves SQLite consistent: keep going.
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .lock()
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    }

    pub fn set_setting(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.lock().execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }

    /// Save the procedure in progress (through [`DraftWriter`], off the window's thread).
    pub fn save_draft(&self, flow: &meldcode::Flow, now: DateTime<Utc>) -> Result<(), StoreError> {
        let json = serde_json::to_string(flow).map_err(|e| StoreError::Damaged(e.to_string()))?;
        self.lock().execute(
            "INSERT INTO draft (slot, flow, updated_at) VALUES (1, ?1, ?2)
             ON CONFLICT (slot) DO UPDATE SET flow = excluded.flow, updated_at = excluded.updated_at",
            params![json, ts(now)],
        )?;
        Ok(())
    }

    pub fn load_draft(&self) -> Result<Option<meldcode::Flow>, StoreError> {
        let json: Option<String> = self
            .lock()
            .query_row("SELECT flow FROM draft WHERE slot = 1", [], |r| r.get(0))
            .optional()?;
        json.map(|j| serde_json::from_str(&j).map_err(|e| StoreError::Damaged(format!("draft: {e}"))))
            .transpose()
    }

    pub fn clear_draft(&self) -> Result<(), StoreError> {
        self.lock().execute("DELETE FROM draft", [])?;
        Ok(())
    }

    /// Run `f` in an immediate transaction.
    fn write<T>(&self, f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T, StoreError>) -> Result<T, StoreError> {
        let mut conn = self.lock();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// Checkpoint the WAL into the main file and truncate it (after a wipe, so that no old page
    /// lingers in the WAL).
    pub fn checkpoint(&self) -> Result<(), StoreError> {
        self.lock()
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        assert!(MIGRATIONS.validate().is_ok());
    }

    #[test]
    fn the_store_does_not_open_without_its_key() -> Result<(), StoreError> {
        let dir = tempfile::tempdir()?;
        let store = Store::open_dir(dir.path(), false)?;
        store.set_setting(keys::PHARMACY, "Apotheek Geheim")?;
        drop(store);
        assert!(Store::open_dir(dir.path(), false).is_ok(), "reopens with its key file");

        let wrong = DbKey::random().map_err(KeyError::from)?;
        assert!(matches!(
            Store::open(&dir.path().join(DB_FILE), &wrong),
            Err(StoreError::WrongKey)
        ));

        std::fs::remove_file(platform::key_file(dir.path()))?;
        assert!(matches!(
            Store::open_dir(dir.path(), false),
            Err(StoreError::Key(KeyError::Missing))
        ));
        let raw = std::fs::read(dir.path().join(DB_FILE))?;
        assert!(!raw.windows(6).any(|w| w == b"Geheim"), "encrypted at rest");
        Ok(())
    }

    #[cfg(unix)]
    fn key_file_with(dir: &Path, text: &str, mode: u32) -> std::io::Result<()> {
        use std::os::unix::fs::PermissionsExt;
        let path = platform::key_file(dir);
        std::fs::write(&path, text)?;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode))
    }

    /// A crash between creating the key file and writing it leaves it empty: the outbox must
    /// not open (never as plain SQLite), and the error must say what is wrong.
    #[cfg(unix)]
    #[test]
    fn an_empty_key_file_gives_no_plaintext_outbox() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        key_file_with(dir.path(), "", 0o600)?;
        let err = Store::open_dir(dir.path(), false)
            .err()
            .ok_or("an empty key file must not open")?;
        assert!(err.to_string().contains("is empty"), "{err}");
        let db = dir.path().join(DB_FILE);
        assert!(
            !std::fs::read(&db).is_ok_and(|b| b.starts_with(b"SQLite format 3\0")),
            "no plaintext outbox"
        );
        Ok(())
    }

    #[cfg(unix)]
    #[test]
    fn a_key_file_others_can_read_is_refused() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        drop(Store::open_dir(dir.path(), false)?);
        let key = std::fs::read_to_string(platform::key_file(dir.path()))?;
        key_file_with(dir.path(), &key, 0o644)?;
        let err = Store::open_dir(dir.path(), false)
            .err()
            .ok_or("a readable key file must not open")?;
        assert!(err.to_string().contains("chmod 600"), "{err}");
        Ok(())
    }

    #[test]
    fn the_draft_survives_a_reopen() -> Result<(), StoreError> {
        let dir = tempfile::tempdir()?;
        let now = Utc::now();
        let mut flow = meldcode::Flow::new(uuid::Uuid::new_v4(), now);
        flow.draft.observed = "blauwe plek".into();
        Store::open_dir(dir.path(), false)?.save_draft(&flow, now)?;
        let back = Store::open_dir(dir.path(), false)?.load_draft()?;
        assert_eq!(back, Some(flow));
        Ok(())
    }
}
