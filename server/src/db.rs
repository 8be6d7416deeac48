//! Opening the store: SQLCipher key, pragmas, migrations; and the store's error type.

use std::path::{Path, PathBuf};

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::Connection;
use rusqlite_migration::{M, Migrations};

const MIGRATIONS_SLICE: &[M<'static>] = &[
    M::up(include_str!("../migrations/001_init.sql")),
    M::up(include_str!("../migrations/002_forwarding_intake.sql")),
    M::up(include_str!("../migrations/003_stats_indexes.sql")),
    M::up(include_str!("../migrations/004_store_hardening.sql")),
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
    Key(String),
    #[error("database connection closed")]
    Closed,
    /// The group commit that held this report failed (the batch's error, as text).
    #[error("commit failed: {0}")]
    Commit(String),
}

impl From<tokio_rusqlite::Error<StoreError>> for StoreError {
    fn from(e: tokio_rusqlite::Error<StoreError>) -> StoreError {
        match e {
            tokio_rusqlite::Error::Error(e) => e,
            tokio_rusqlite::Error::Close((_, e)) => StoreError::Sqlite(e),
            _ => StoreError::Closed,
        }
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

/// Where the key comes from: `MASKER19_DB_KEY`, else a key file beside the database
/// (`<db>.key`, mode 0600), made on first use.
#[derive(Debug, Clone)]
pub struct DbConfig {
    pub path: PathBuf,
    pub key: String,
}

impl DbConfig {
    pub fn resolve(path: &Path, settings: &crate::settings::Settings) -> StoreResult<DbConfig> {
        if settings.plaintext_db {
            return Ok(DbConfig {
                path: path.to_path_buf(),
                key: String::new(),
            });
        }
        let key = match std::env::var("MASKER19_DB_KEY") {
            Ok(k) if !k.is_empty() => k,
            _ => key_file(path)?,
        };
        Ok(DbConfig {
            path: path.to_path_buf(),
            key,
        })
    }

    /// Open a connection: key first, then pragmas, then migrations.
    pub fn open(&self) -> StoreResult<Connection> {
        let mut conn = Connection::open(&self.path)?;
        configure(&mut conn, &self.key)?;
        Ok(conn)
    }
}

/// A 64-hex-digit key is used raw (no key derivation on each open); anything else as a passphrase.
fn key_pragma(key: &str) -> String {
    if key.len() == 64 && key.chars().all(|c| c.is_ascii_hexdigit()) {
        format!("x'{key}'")
    } else {
        key.to_owned()
    }
}

fn key_file(db: &Path) -> StoreResult<String> {
    let mut name = db.as_os_str().to_owned();
    name.push(".key");
    let path = PathBuf::from(name);
    match std::fs::read_to_string(&path) {
        Ok(k) => Ok(k.trim().to_owned()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let key = hex::encode(crate::auth::random_bytes::<32>());
            write_private(&path, &key).map_err(|e| StoreError::Key(format!("{}: {e}", path.display())))?;
            Ok(key)
        }
        Err(e) => Err(StoreError::Key(format!("{}: {e}", path.display()))),
    }
}

fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(contents.as_bytes())?;
    file.sync_all()
}

pub fn configure(conn: &mut Connection, key: &str) -> StoreResult<()> {
    // An empty key (test-only setting) leaves SQLCipher's file in plain SQLite format.
    if !key.is_empty() {
        conn.pragma_update(None, "key", key_pragma(key))?;
    }
    // Fails with "file is not a database" on a wrong key: say so plainly.
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(()))
        .map_err(|e| StoreError::Key(format!("cannot open the database with this key ({e})")))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    // A report is acknowledged only after a durable commit: clients delete their copy on 2xx.
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "secure_delete", "ON")?;
    // 64 MiB of decrypted pages per connection (default 2 MiB): the statistics read every
    // counting record, and SQLCipher decrypts each page it has to read again.
    conn.pragma_update(None, "cache_size", -65536)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
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
            key: "a".repeat(64),
        };
        good.open()?.execute("INSERT INTO meta VALUES ('x', 'geheim')", [])?;
        let bad = DbConfig {
            path: path.clone(),
            key: "b".repeat(64),
        };
        assert!(matches!(bad.open(), Err(StoreError::Key(_))));
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
}

/// The server's connections, each on its own thread: one for everything that writes (SQLite
/// has one writer anyway), and one for the hot read-only look-ups (a device's token, a report's
/// status), which WAL lets run beside the writer.
#[derive(Clone)]
pub struct Store {
    conn: tokio_rusqlite::Connection,
    reader: tokio_rusqlite::Connection,
}

impl Store {
    pub async fn open(cfg: &DbConfig) -> StoreResult<Store> {
        let conn = tokio_rusqlite::Connection::open(&cfg.path).await?;
        let key = cfg.key.clone();
        conn.call(move |c| configure(c, &key)).await?;
        let reader = tokio_rusqlite::Connection::open(&cfg.path).await?;
        let key = cfg.key.clone();
        reader.call(move |c| configure(c, &key)).await?;
        Ok(Store { conn, reader })
    }

    /// A read-only query on the reading connection.
    pub async fn read<R, F>(&self, f: F) -> StoreResult<R>
    where
        R: Send + 'static,
        F: FnOnce(&Connection) -> StoreResult<R> + Send + 'static,
    {
        Ok(self.reader.call(move |c| f(c)).await?)
    }

    pub async fn call<R, F>(&self, f: F) -> StoreResult<R>
    where
        R: Send + 'static,
        F: FnOnce(&mut Connection) -> StoreResult<R> + Send + 'static,
    {
        Ok(self.conn.call(f).await?)
    }
}
