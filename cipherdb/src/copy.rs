//! Copies and keys of a whole database: an online snapshot under the same key, the two integrity
//! checks, and re-encryption in place.

use std::path::Path;

use rusqlite::Connection;

use crate::{OpenError, Protection};

/// Open `path` with its key and prove the key with a read, without the pragmas of [`crate::open`]
/// (a copy stays in the journal mode it was written in).
pub fn open_keyed(path: &Path, protection: &Protection) -> Result<Connection, OpenError> {
    let conn = Connection::open(path)?;
    if let Protection::Key(key) = protection {
        conn.pragma_update(None, "key", key.pragma_value())?;
    }
    match conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0)) {
        Ok(_) => Ok(conn),
        Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == rusqlite::ErrorCode::NotADatabase => {
            Err(OpenError::WrongKey)
        }
        Err(e) => Err(e.into()),
    }
}

/// Copy the database behind `source` into the empty or new file `dest`, encrypted with
/// `protection` (the source's own key: SQLCipher copies pages between databases of one key).
/// All pages are copied in one step, inside one read transaction: a consistent snapshot, and
/// writers on other connections go on meanwhile (WAL).
pub fn snapshot(source: &Connection, dest: &Path, protection: &Protection) -> Result<(), OpenError> {
    let mut target = Connection::open(dest)?;
    if let Protection::Key(key) = protection {
        target.pragma_update(None, "key", key.pragma_value())?;
    }
    {
        use rusqlite::backup::StepResult;
        let backup = rusqlite::backup::Backup::new(source, &mut target)?;
        // A step of -1 pages copies everything at once; busy or locked: a writer holds a lock
        // that SQLite's busy handler did not wait out, so try again a little later.
        let mut tries = 0;
        loop {
            match backup.step(-1)? {
                StepResult::Done => break,
                StepResult::More => {}
                _ if tries < 600 => {
                    tries += 1;
                    std::thread::sleep(std::time::Duration::from_millis(100));
                }
                _ => {
                    return Err(OpenError::Sqlite(rusqlite::Error::SqliteFailure(
                        rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
                        Some("the database stayed locked for a minute".into()),
                    )));
                }
            }
        }
    }
    target.close().map_err(|(_, e)| e)?;
    Ok(())
}

/// What [`check`] found wrong: the rows of `integrity_check` and `cipher_integrity_check`.
#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    #[error("{0}")]
    Open(#[from] OpenError),
    #[error("database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("the integrity check failed: {0}")]
    Damaged(String),
}

/// `PRAGMA integrity_check` (one row `ok`) and `PRAGMA cipher_integrity_check` (no rows) on an
/// open connection.
pub fn check(conn: &Connection) -> Result<(), CheckError> {
    let rows = |sql: &str| -> Result<Vec<String>, rusqlite::Error> {
        let mut stmt = conn.prepare(sql)?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        rows.collect()
    };
    let integrity = rows("PRAGMA integrity_check")?;
    if integrity != ["ok"] {
        return Err(CheckError::Damaged(integrity.join("; ")));
    }
    let cipher = rows("PRAGMA cipher_integrity_check")?;
    if !cipher.is_empty() {
        return Err(CheckError::Damaged(cipher.join("; ")));
    }
    Ok(())
}

/// Re-encrypt the database behind `conn` with `new` (`PRAGMA rekey`). The write-ahead log is
/// folded in first and the database left in rollback-journal mode, so the rekey rewrites every
/// page in one journaled transaction; [`crate::open`] turns WAL on again.
pub fn rekey(conn: &Connection, new: &crate::DbKey) -> Result<(), rusqlite::Error> {
    conn.pragma_update(None, "journal_mode", "DELETE")?;
    conn.pragma_update(None, "rekey", new.pragma_value())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::DbKey;

    #[test]
    fn a_snapshot_opens_with_the_key_only_and_passes_both_checks() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let key = Protection::Key(DbKey::random()?);
        let source = crate::open(&dir.path().join("a.db"), &key)?;
        source.execute_batch("CREATE TABLE t (v TEXT); INSERT INTO t VALUES ('geheim');")?;
        let copy = dir.path().join("b.db");
        snapshot(&source, &copy, &key)?;
        let conn = open_keyed(&copy, &key)?;
        check(&conn)?;
        let v: String = conn.query_row("SELECT v FROM t", [], |r| r.get(0))?;
        assert_eq!(v, "geheim");
        let other = Protection::Key(DbKey::random()?);
        assert!(matches!(open_keyed(&copy, &other), Err(OpenError::WrongKey)));
        assert!(!std::fs::read(&copy)?.windows(6).any(|w| w == b"geheim"));
        Ok(())
    }

    #[test]
    fn after_a_rekey_only_the_new_key_opens() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("a.db");
        let (old, new) = (DbKey::random()?, DbKey::random()?);
        let conn = crate::open(&path, &Protection::Key(old.clone()))?;
        conn.execute_batch("CREATE TABLE t (v TEXT); INSERT INTO t VALUES ('x');")?;
        rekey(&conn, &new)?;
        drop(conn);
        assert!(matches!(
            crate::open(&path, &Protection::Key(old)),
            Err(OpenError::WrongKey)
        ));
        let conn = crate::open(&path, &Protection::Key(new))?;
        check(&conn)?;
        Ok(())
    }
}
