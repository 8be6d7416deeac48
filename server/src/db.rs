//! Opening the store: SQLCipher key, pragmas, migrations; and the store's error type.

use std::path::{Path, PathBuf};

use chrono::{DateTime, SecondsFormat, Utc};
use cipherdb::{DbKey, Protection};
use rusqlite::Connection;
use rusqlite_migration::{M, Migrations};

const MIGRATIONS_SLICE: &[M<'static>] = &[
    M::up(include_str!("../migrations/001_init.sql")),
    M::up(include_str!("../migrations/002_forwarding_intake.sql")),
    M::up(include_str!("../migrations/003_stats_indexes.sql")),
    M::up(include_str!("../migrations/004_store_hardening.sql")),
    M::up(include_str!("../migrations/005_device_last_seen.sql")),
    M::up(include_str!("../migrations/006_intake_inbox.sql")),
    M::up(include_str!("../migrations/007_notify.sql")),
    M::up(include_str!("../migrations/008_stats_days.sql")),
    M::up(include_str!("../migrations/009_practice.sql")),
    M::up(include_str!("../migrations/010_no_token_prefix.sql")),
    M::up(include_str!("../migrations/011_second_factor.sql")),
    M::up(include_str!("../migrations/013_webhook_rotation.sql")),
    M::up(include_str!("../migrations/014_stats_frozen.sql")),
    M::up(include_str!("../migrations/015_region_keys.sql")),
    M::up(include_str!("../migrations/018_stats_published.sql")),
    M::up(include_str!("../migrations/019_stats_practice_published.sql")),
    M::up(include_str!("../migrations/020_intake_key.sql")),
];
pub const MIGRATIONS: Migrations<'static> = Migrations::from_slice(MIGRATIONS_SLICE);

/// Errors of the store. Every one is a fault of the server itself (the API answers 503).
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("migrations: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    #[error("database key: {0}")]
    Key(#[from] cipherdb::KeyError),
    #[error("MASKER19_DB_KEY: {0}")]
    KeySetting(cipherdb::KeyError),
    #[error("{db} exists but its key file {key_file} is missing: set MASKER19_DB_KEY or restore the key file")]
    KeyFileMissing { db: String, key_file: String },
    #[error("no key for {db}: put its key file at {key_file} (mode 0600) or set MASKER19_DB_KEY")]
    NoKey { db: String, key_file: String },
    #[error("cannot open the database with this key (file is not a database)")]
    WrongKey,
    #[error("password hashing failed: {0}")]
    PasswordHash(String),
    #[error("the demo pharmacy is missing from a database marked as seeded")]
    DemoPharmacyMissing,
    #[error("the database connection's thread has stopped")]
    ConnectionClosed,
    #[error("the group commit has stopped")]
    CommitterStopped,
    #[error("a background task panicked")]
    TaskPanicked,
    /// A row the store holds cannot be read back (named by table and key).
    #[error("unreadable row: {0}")]
    Unreadable(String),
    /// The group commit that held this report failed (the batch's error, as text).
    #[error("commit failed: {0}")]
    Commit(String),
}

impl From<tokio_rusqlite::Error<StoreError>> for StoreError {
    fn from(e: tokio_rusqlite::Error<StoreError>) -> StoreError {
        match e {
            tokio_rusqlite::Error::Error(e) => e,
            tokio_rusqlite::Error::Close((_, e)) => StoreError::Sqlite(e),
            _ => StoreError::ConnectionClosed,
        }
    }
}

impl From<cipherdb::OpenError> for StoreError {
    fn from(e: cipherdb::OpenError) -> StoreError {
        match e {
            cipherdb::OpenError::WrongKey => StoreError::WrongKey,
            cipherdb::OpenError::Sqlite(e) => StoreError::Sqlite(e),
        }
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

/// The database and how it is protected: the key from `MASKER19_DB_KEY`, else from the service
/// manager's credential `db-key` (`$CREDENTIALS_DIRECTORY/db-key`, systemd's `LoadCredential=`),
/// else from a key file beside the database (`<db>.key`, mode 0600), made when the database is
/// made. `Debug` never shows the key.
#[derive(Debug, Clone)]
pub struct DbConfig {
    pub path: PathBuf,
    pub protection: Protection,
}

impl DbConfig {
    /// The key's rules are [`cipherdb`]'s: an empty or short `MASKER19_DB_KEY`, an empty key file
    /// or one that others can read is an error, never plain SQLite.
    pub fn resolve(path: &Path, settings: &crate::settings::Settings) -> StoreResult<DbConfig> {
        DbConfig::resolve_key(path, settings, true)
    }

    /// As [`DbConfig::resolve`], but a missing key is an error, never a new key: for the commands
    /// that copy or re-encrypt a database made with a key of its own.
    pub fn resolve_existing(path: &Path, settings: &crate::settings::Settings) -> StoreResult<DbConfig> {
        DbConfig::resolve_key(path, settings, false)
    }

    /// Whether the key comes from the key file beside the database (not `MASKER19_DB_KEY`, not
    /// the service manager's credential).
    pub fn key_from_file(&self) -> bool {
        matches!(self.protection, Protection::Key(_)) && key_source() == KeySource::File
    }

    fn resolve_key(path: &Path, settings: &crate::settings::Settings, create: bool) -> StoreResult<DbConfig> {
        let protection = if settings.plaintext_db {
            Protection::PlaintextForTests
        } else if let Some(text) = std::env::var_os("MASKER19_DB_KEY") {
            Protection::Key(DbKey::raw_or_passphrase(&text.to_string_lossy()).map_err(StoreError::KeySetting)?)
        } else if let Some(key) = credential_key(std::env::var_os(CREDENTIALS_DIRECTORY).as_deref())? {
            Protection::Key(key)
        } else {
            Protection::Key(key_file(path, create)?)
        };
        Ok(DbConfig {
            path: path.to_path_buf(),
            protection,
        })
    }

    /// Open a connection: key first, then pragmas, then migrations.
    pub fn open(&self) -> StoreResult<Connection> {
        let mut conn = cipherdb::open(&self.path, &self.protection)?;
        configure(&mut conn)?;
        Ok(conn)
    }
}

/// Where the service manager puts the credentials it loaded for the service (`LoadCredential=`).
pub const CREDENTIALS_DIRECTORY: &str = "CREDENTIALS_DIRECTORY";
/// The name of the database key's credential: `LoadCredential=db-key:/etc/masker19/db.key`.
pub const KEY_CREDENTIAL: &str = "db-key";

/// Where the database key comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeySource {
    /// `MASKER19_DB_KEY`.
    Setting,
    /// The service manager's credential `db-key`.
    Credential,
    /// The key file beside the database.
    File,
}

/// Where the key comes from in this process's environment (the order [`DbConfig::resolve`]
/// takes them in).
pub fn key_source() -> KeySource {
    if std::env::var_os("MASKER19_DB_KEY").is_some() {
        KeySource::Setting
    } else if std::env::var_os(CREDENTIALS_DIRECTORY).is_some_and(|dir| Path::new(&dir).join(KEY_CREDENTIAL).exists()) {
        KeySource::Credential
    } else {
        KeySource::File
    }
}

/// The key in the credential `db-key` of the credentials directory `dir`; `None` without a
/// directory or without that credential. The same rules as a key file (not readable by others,
/// not empty; 64 hex digits or a passphrase).
fn credential_key(dir: Option<&std::ffi::OsStr>) -> StoreResult<Option<DbKey>> {
    let Some(dir) = dir.filter(|d| !d.is_empty()) else {
        return Ok(None);
    };
    Ok(cipherdb::read_key_file(
        &Path::new(dir).join(KEY_CREDENTIAL),
        DbKey::raw_or_passphrase,
    )?)
}

/// `path` with `suffix` appended to its file name (`masker19.db` → `masker19.db.key`).
pub fn beside(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// The key file of the database `db`.
pub fn key_file_path(db: &Path) -> PathBuf {
    cipherdb::key_file_beside(db)
}

/// The key file beside the database; a new key only together with a new database (a new key
/// would never open an existing one), and only when `create`.
fn key_file(db: &Path, create: bool) -> StoreResult<DbKey> {
    let path = key_file_path(db);
    if let Some(key) = cipherdb::read_key_file(&path, DbKey::raw_or_passphrase)? {
        return Ok(key);
    }
    if !create {
        return Err(StoreError::NoKey {
            db: db.display().to_string(),
            key_file: path.display().to_string(),
        });
    }
    if db.exists() {
        return Err(StoreError::KeyFileMissing {
            db: db.display().to_string(),
            key_file: path.display().to_string(),
        });
    }
    let key = DbKey::random()?;
    cipherdb::create_key_file(&path, &key)?;
    Ok(key)
}

/// The server's own pragmas and its migrations, after [`cipherdb::open`].
fn configure(conn: &mut Connection) -> StoreResult<()> {
    // 64 MiB of decrypted pages per connection (default 2 MiB): the statistics read every
    // counting record, and SQLCipher decrypts each page it has to read again.
    conn.pragma_update(None, "cache_size", -65536)?;
    MIGRATIONS.to_latest(conn)?;
    Ok(())
}

/// Times in the store: UTC RFC 3339 with microseconds, so that text order is time order.
pub fn ts(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

pub fn parse_ts(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s).ok().map(|t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        assert!(MIGRATIONS.validate().is_ok());
    }

    #[test]
    fn a_wrong_key_does_not_open_the_store() -> anyhow::Result<()> {
        let dir = std::env::temp_dir().join(format!("m19-key-{}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        let path = dir.join("k.db");
        let good = DbConfig {
            path: path.clone(),
            protection: Protection::Key(DbKey::raw(&"a".repeat(64))?),
        };
        good.open()?.execute("INSERT INTO meta VALUES ('x', 'geheim')", [])?;
        let bad = DbConfig {
            path: path.clone(),
            protection: Protection::Key(DbKey::raw(&"b".repeat(64))?),
        };
        assert!(matches!(bad.open(), Err(StoreError::WrongKey)));
        for file in [path.clone(), dir.join("k.db-wal")] {
            let bytes = std::fs::read(&file).unwrap_or_default();
            assert!(
                !bytes.windows(6).any(|w| w == b"geheim"),
                "{} is encrypted",
                file.display()
            );
        }
        std::fs::remove_dir_all(&dir)?;
        Ok(())
    }

    /// systemd's `LoadCredential=db-key:/etc/masker19/db.key` gives the service the key as
    /// `$CREDENTIALS_DIRECTORY/db-key` (mode 0400, the service's user): that key opens the store.
    #[test]
    fn the_key_is_read_from_the_credentials_directory() -> anyhow::Result<()> {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("m19-cred-{}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        assert!(
            credential_key(None)?.is_none(),
            "no credentials directory: no key from it"
        );
        assert!(credential_key(Some(dir.as_os_str()))?.is_none(), "no db-key in it");

        let credential = dir.join(KEY_CREDENTIAL);
        std::fs::write(&credential, format!("{}\n", "d".repeat(64)))?;
        std::fs::set_permissions(&credential, std::fs::Permissions::from_mode(0o400))?;
        let key = credential_key(Some(dir.as_os_str()))?;
        assert_eq!(
            key.clone().map(Protection::Key),
            Some(Protection::Key(DbKey::raw(&"d".repeat(64))?))
        );
        let config = DbConfig {
            path: dir.join("c.db"),
            protection: Protection::Key(key.ok_or_else(|| anyhow::anyhow!("no key"))?),
        };
        config.open()?;

        // A credential others may read is refused like such a key file, never used.
        std::fs::set_permissions(&credential, std::fs::Permissions::from_mode(0o644))?;
        assert!(credential_key(Some(dir.as_os_str())).is_err());
        std::fs::remove_dir_all(&dir)?;
        Ok(())
    }

    #[test]
    fn debug_of_the_config_does_not_show_the_key() -> anyhow::Result<()> {
        let secret = "een-lange-geheime-wachtzin-voor-de-server";
        let config = DbConfig {
            path: PathBuf::from("m.db"),
            protection: Protection::Key(DbKey::raw_or_passphrase(secret)?),
        };
        let shown = format!("{config:?}");
        assert!(!shown.contains(secret) && !shown.contains("geheime"), "{shown}");
        Ok(())
    }
}
