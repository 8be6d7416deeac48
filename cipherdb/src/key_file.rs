//! Key files: made once with mode 0600, read only while no one but the owner can read them.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::{DbKey, KeyError};

fn file_error(path: &Path) -> impl FnOnce(std::io::Error) -> KeyError + '_ {
    move |source| KeyError::File {
        path: path.display().to_string(),
        source,
    }
}

/// The key file that belongs to the database `db`: its file name with `.key` appended
/// (`masker19.db` → `masker19.db.key`). Every program and test finds a key file by this one rule.
pub fn key_file_beside(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(".key");
    PathBuf::from(name)
}

/// The key in `path`; `Ok(None)` when there is no such file. `parse` checks the text
/// ([`DbKey::raw`] or [`DbKey::raw_or_passphrase`]). Refused: a file that its group or others can
/// read or write, and an empty file.
pub fn read_key_file(path: &Path, parse: fn(&str) -> Result<DbKey, KeyError>) -> Result<Option<DbKey>, KeyError> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(file_error(path)(e)),
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).map_err(file_error(path))?.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(KeyError::ReadableByOthers {
                path: path.display().to_string(),
                mode,
            });
        }
    }
    if text.trim().is_empty() {
        return Err(KeyError::EmptyFile {
            path: path.display().to_string(),
        });
    }
    parse(&text).map(Some)
}

/// Write a new key file with mode 0600, durably; never replaces an existing file.
pub fn create_key_file(path: &Path, key: &DbKey) -> Result<(), KeyError> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).map_err(file_error(path))?;
    file.write_all(key.as_text().as_bytes()).map_err(file_error(path))?;
    file.sync_all().map_err(file_error(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_file_is_the_database_name_with_key_appended() {
        // Not `with_extension`: a database that is not called `*.db` keeps its whole name.
        assert_eq!(
            key_file_beside(Path::new("/d/masker19.db")),
            Path::new("/d/masker19.db.key")
        );
        assert_eq!(
            key_file_beside(Path::new("/d/store.sqlite")),
            Path::new("/d/store.sqlite.key")
        );
        assert_eq!(key_file_beside(Path::new("/d/store")), Path::new("/d/store.key"));
    }

    #[test]
    fn a_key_file_round_trips_and_is_never_replaced() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("k.key");
        assert_eq!(read_key_file(&path, DbKey::raw)?, None);
        let key = DbKey::random()?;
        create_key_file(&path, &key)?;
        assert_eq!(read_key_file(&path, DbKey::raw)?, Some(key.clone()));
        assert!(create_key_file(&path, &key).is_err());
        Ok(())
    }

    #[cfg(unix)]
    #[test]
    fn empty_and_readable_key_files_are_refused() -> Result<(), Box<dyn std::error::Error>> {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("k.key");
        std::fs::write(&path, "")?;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
        assert!(matches!(
            read_key_file(&path, DbKey::raw),
            Err(KeyError::EmptyFile { .. })
        ));
        std::fs::write(&path, "a".repeat(64))?;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644))?;
        assert!(matches!(
            read_key_file(&path, DbKey::raw),
            Err(KeyError::ReadableByOthers { mode: 0o644, .. })
        ));
        Ok(())
    }
}
