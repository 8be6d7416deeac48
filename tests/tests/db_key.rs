//! The database key's rules, against the real binary: no key, no database (SQLCipher,
//! the key from `MASKER19_DB_KEY` or a key file with mode 0600).

use std::path::Path;

use masker19_e2e::{admin, admin_with, temp_db};

type R = anyhow::Result<()>;

const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// The database file is absent, or does not start with plain SQLite's header.
fn not_plaintext(db: &Path) -> bool {
    match std::fs::read(db) {
        Ok(bytes) => !bytes.starts_with(SQLITE_HEADER),
        Err(e) => e.kind() == std::io::ErrorKind::NotFound,
    }
}

fn key_file(db: &Path) -> std::path::PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(".key");
    name.into()
}

#[test]
fn an_empty_db_key_is_refused_and_makes_no_plaintext_database() -> R {
    for key in ["", "   ", "kort"] {
        let (_dir, db) = temp_db()?;
        let out = admin_with(&db, &["pharmacy", "list"], "", &[("MASKER19_DB_KEY", key)])?;
        assert_eq!(out.status.code(), Some(1), "MASKER19_DB_KEY={key:?} is refused");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("MASKER19_DB_KEY"),
            "the message names the setting: {stderr}"
        );
        assert!(not_plaintext(&db), "no plain SQLite file for MASKER19_DB_KEY={key:?}");
        assert!(!key_file(&db).exists(), "no silent fallback to a key file");
    }
    Ok(())
}

#[test]
fn an_empty_key_file_is_refused_and_makes_no_plaintext_database() -> R {
    use std::os::unix::fs::OpenOptionsExt;
    let (_dir, db) = temp_db()?;
    // A crash between creating the key file and writing it leaves it empty.
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(key_file(&db))?;
    let out = admin(&db, &["pharmacy", "list"], "")?;
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("empty"), "says what is wrong: {stderr}");
    assert!(not_plaintext(&db));
    Ok(())
}

#[test]
fn a_key_file_others_can_read_is_refused() -> R {
    use std::os::unix::fs::PermissionsExt;
    let (_dir, db) = temp_db()?;
    let first = admin(&db, &["pharmacy", "list"], "")?;
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    let key = key_file(&db);
    assert_eq!(std::fs::metadata(&key)?.permissions().mode() & 0o777, 0o600);
    assert!(not_plaintext(&db), "encrypted with the key file's key");
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644))?;
    let out = admin(&db, &["pharmacy", "list"], "")?;
    assert_eq!(out.status.code(), Some(1), "a group/other-readable key file is refused");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("0644") || stderr.contains("chmod"),
        "says what is wrong: {stderr}"
    );
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600))?;
    assert!(
        admin(&db, &["pharmacy", "list"], "")?.status.success(),
        "0600 opens again"
    );
    Ok(())
}
