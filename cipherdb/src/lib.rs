//! Opening a SQLCipher database with its key: one rule in one place for the app's outbox and the
//! server's store.
//!
//! - A key is never empty and never short: [`DbKey::raw`] takes 64 hex digits (32 random bytes,
//!   used without key derivation), [`DbKey::passphrase`] at least [`MIN_PASSPHRASE_CHARS`]
//!   characters. An empty key would skip `PRAGMA key` and leave plain SQLite on disk.
//! - A key file is read only when its owner alone can read it (like ssh does with its keys), is
//!   made with mode 0600 and never replaced, and an empty one (a crash between creating and
//!   writing it) is refused rather than taken for "no key".
//! - [`open`]: `PRAGMA key` first, a read that proves the key, then WAL, `synchronous=FULL`,
//!   `foreign_keys`, `secure_delete` and a busy timeout. Migrations stay with each crate.
//! - [`snapshot`], [`check`] and [`rekey`]: a keyed copy of a live database, its integrity checks,
//!   and re-encryption in place.
//! - The key never appears in a `Debug` output.

mod copy;
mod key_file;

use std::path::Path;

use rusqlite::Connection;

pub use copy::{CheckError, check, open_keyed, rekey, snapshot};
pub use key_file::{create_key_file, key_file_beside, read_key_file};

/// The shortest passphrase accepted (a raw key is always 64 hex digits).
pub const MIN_PASSPHRASE_CHARS: usize = 32;

/// What went wrong with a key or with opening the database.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("the key is empty")]
    Empty,
    #[error("the key is too short: 64 hex digits or a passphrase of at least {MIN_PASSPHRASE_CHARS} characters")]
    TooShort,
    #[error("the key is not 64 hex digits")]
    NotHex,
    #[error("the key file {path} is empty (a crash while it was made?); remove it only if the database is new")]
    EmptyFile { path: String },
    #[error("the key file {path} can be read by others (mode {mode:04o}): chmod 600 {path}")]
    ReadableByOthers { path: String, mode: u32 },
    #[error("the key file {path}: {source}")]
    File { path: String, source: std::io::Error },
    #[error("random numbers unavailable: {0}")]
    Random(String),
}

#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("the database does not open with this key (file is not a database)")]
    WrongKey,
    #[error("database: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

/// A SQLCipher key that is known to be usable: never empty, never short.
#[derive(Clone, PartialEq, Eq)]
pub struct DbKey(Secret);

#[derive(Clone, PartialEq, Eq)]
enum Secret {
    /// 64 lowercase hex digits.
    Raw(String),
    Passphrase(String),
}

impl std::fmt::Debug for DbKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DbKey(…)")
    }
}

impl DbKey {
    /// 32 fresh random bytes.
    pub fn random() -> Result<DbKey, KeyError> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|e| KeyError::Random(e.to_string()))?;
        Ok(DbKey(Secret::Raw(hex::encode(bytes))))
    }

    /// Exactly 64 hex digits (surrounding whitespace ignored).
    pub fn raw(text: &str) -> Result<DbKey, KeyError> {
        let t = text.trim();
        if t.is_empty() {
            return Err(KeyError::Empty);
        }
        if t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()) {
            Ok(DbKey(Secret::Raw(t.to_ascii_lowercase())))
        } else {
            Err(KeyError::NotHex)
        }
    }

    /// 64 hex digits as a raw key, else a passphrase of at least [`MIN_PASSPHRASE_CHARS`]
    /// characters (surrounding whitespace ignored).
    pub fn raw_or_passphrase(text: &str) -> Result<DbKey, KeyError> {
        let t = text.trim();
        match DbKey::raw(t) {
            Ok(key) => Ok(key),
            Err(KeyError::Empty) => Err(KeyError::Empty),
            Err(_) if t.chars().count() < MIN_PASSPHRASE_CHARS => Err(KeyError::TooShort),
            Err(_) => Ok(DbKey(Secret::Passphrase(t.to_owned()))),
        }
    }

    /// The text a key file holds.
    pub fn as_text(&self) -> &str {
        match &self.0 {
            Secret::Raw(h) | Secret::Passphrase(h) => h,
        }
    }

    fn pragma_value(&self) -> String {
        match &self.0 {
            Secret::Raw(h) => format!("x'{h}'"),
            Secret::Passphrase(p) => p.clone(),
        }
    }
}

/// How a database is protected. `PlaintextForTests` exists so that a test can search the raw file
/// for purged data; it is never chosen by an empty key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Protection {
    Key(DbKey),
    PlaintextForTests,
}

/// Open (or create) the database at `path`: key first, a read that fails on a wrong key, then the
/// pragmas every connection of this project uses. The caller runs its own migrations.
pub fn open(path: &Path, protection: &Protection) -> Result<Connection, OpenError> {
    let conn = Connection::open(path)?;
    if let Protection::Key(key) = protection {
        conn.pragma_update(None, "key", key.pragma_value())?;
    }
    match conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0)) {
        Ok(_) => {}
        Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == rusqlite::ErrorCode::NotADatabase => {
            return Err(OpenError::WrongKey);
        }
        Err(e) => return Err(e.into()),
    }
    conn.pragma_update(None, "journal_mode", "WAL")?;
    // A report written is a report kept through a crash (clients delete their copy on 2xx).
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // Wiped personal data is overwritten on disk.
    conn.pragma_update(None, "secure_delete", "ON")?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    Ok(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_and_short_keys_are_refused() {
        assert!(matches!(DbKey::raw_or_passphrase(""), Err(KeyError::Empty)));
        assert!(matches!(DbKey::raw_or_passphrase("  \n"), Err(KeyError::Empty)));
        assert!(matches!(DbKey::raw_or_passphrase("kort"), Err(KeyError::TooShort)));
        assert!(matches!(DbKey::raw(""), Err(KeyError::Empty)));
        assert!(matches!(DbKey::raw("abc"), Err(KeyError::NotHex)));
        assert!(DbKey::raw_or_passphrase(&"x".repeat(MIN_PASSPHRASE_CHARS)).is_ok());
        assert!(DbKey::raw(&"A".repeat(64)).is_ok());
    }

    #[test]
    fn debug_never_shows_the_key() -> Result<(), KeyError> {
        let key = DbKey::raw_or_passphrase("een-lange-geheime-wachtzin-van-het-team")?;
        let shown = format!("{:?} {:?}", key, Protection::Key(key.clone()));
        assert!(!shown.contains("geheime"), "{shown}");
        Ok(())
    }

    #[test]
    fn a_wrong_key_does_not_open_and_the_file_is_encrypted() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("x.db");
        let key = Protection::Key(DbKey::random()?);
        open(&path, &key)?.execute_batch("CREATE TABLE t (v TEXT); INSERT INTO t VALUES ('geheim');")?;
        let other = Protection::Key(DbKey::random()?);
        assert!(matches!(open(&path, &other), Err(OpenError::WrongKey)));
        let bytes = std::fs::read(&path)?;
        assert!(!bytes.starts_with(b"SQLite format 3\0"));
        assert!(!bytes.windows(6).any(|w| w == b"geheim"));
        Ok(())
    }
}
