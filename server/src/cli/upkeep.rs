//! Backup, restore and rekey of the database, and the lock by which they know that a server
//! holds it.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, anyhow, bail};
use chrono::{DateTime, Utc};
use cipherdb::{DbKey, Protection};
use rusqlite::{Connection, params};
use sha2::{Digest, Sha256};

use crate::db::{DbConfig, beside, key_file_path, ts};

/// The exclusive lock on `DB.lock`, held by a server for as long as it runs and by restore and
/// rekey while they work. The kernel lets go of it when the process ends, also on `kill -9`.
/// `None`: someone else holds it.
pub fn try_lock(db: &Path) -> anyhow::Result<Option<File>> {
    let path = beside(db, ".lock");
    let file = new_file_options(false)
        .open(&path)
        .with_context(|| format!("opening the lock file {}", path.display()))?;
    match file.try_lock() {
        Ok(()) => Ok(Some(file)),
        Err(std::fs::TryLockError::WouldBlock) => Ok(None),
        Err(std::fs::TryLockError::Error(e)) => Err(e).with_context(|| format!("locking {}", path.display())),
    }
}

/// The lock, or the error that a server holds the database.
pub fn lock_unserved(db: &Path) -> anyhow::Result<File> {
    try_lock(db)?.ok_or_else(|| {
        anyhow!(
            "a server holds {} (its lock file {} is locked): stop the server first",
            db.display(),
            beside(db, ".lock").display()
        )
    })
}

/// `backup --to FILE`: a snapshot of the database as it is, also while a server writes, encrypted
/// with the database key, checked, then put at `to` (mode 0600; an existing file is never
/// replaced). Prints `backup=FILE sha256=HEX reports=N`.
pub fn backup(db: &DbConfig, to: &Path, now: DateTime<Utc>) -> anyhow::Result<()> {
    if to.symlink_metadata().is_ok() {
        bail!("{} exists: a backup never replaces a file", to.display());
    }
    if !db.path.is_file() {
        bail!("{} does not exist", db.path.display());
    }
    // The database as the running server has it: no migrations from this binary.
    let source = cipherdb::open(&db.path, &db.protection).with_context(|| format!("opening {}", db.path.display()))?;
    let partial = beside(to, &format!(".partial-{}", std::process::id()));
    new_file_options(true)
        .open(&partial)
        .with_context(|| format!("creating {}", partial.display()))?;
    let written = (|| {
        cipherdb::snapshot(&source, &partial, &db.protection)?;
        let reports = checked(&partial, &db.protection)?;
        File::open(&partial)?.sync_all()?;
        std::fs::hard_link(&partial, to).map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => anyhow!("{} exists: a backup never replaces a file", to.display()),
            _ => anyhow!(e).context(format!("writing {}", to.display())),
        })?;
        sync_dir(to)?;
        Ok::<_, anyhow::Error>(reports)
    })();
    remove_with_journals(&partial);
    let reports = written?;
    source.execute(
        "INSERT INTO meta (key, value) VALUES ('last_backup_at', ?1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![ts(now)],
    )?;
    println!("backup={} sha256={} reports={reports}", to.display(), sha256_of(to)?);
    Ok(())
}

/// `restore --from FILE`: check the backup, keep the current database as
/// `DB.before-restore-<UTC time>`, put the backup in its place, and migrate it. Refused while a
/// server holds the database.
pub fn restore(db: &DbConfig, from: &Path, now: DateTime<Utc>) -> anyhow::Result<()> {
    let _lock = lock_unserved(&db.path)?;
    if !from.is_file() {
        bail!("{} is not a file", from.display());
    }
    let incoming = beside(&db.path, &format!(".restore-{}", std::process::id()));
    let installed = (|| {
        let mut target = new_file_options(true)
            .open(&incoming)
            .with_context(|| format!("creating {}", incoming.display()))?;
        std::io::copy(
            &mut File::open(from).with_context(|| format!("reading {}", from.display()))?,
            &mut target,
        )?;
        target.sync_all()?;
        drop(target);
        checked(&incoming, &db.protection).with_context(|| format!("checking {}", from.display()))?;
        let kept = keep_current(&db.path, now)?;
        std::fs::rename(&incoming, &db.path)?;
        sync_dir(&db.path)?;
        Ok::<_, anyhow::Error>(kept)
    })();
    remove_with_journals(&incoming);
    let kept = installed?;
    let conn = db.open().context("migrating the restored database")?;
    let reports = count_reports(&conn)?;
    let kept = kept.map(|k| k.display().to_string()).unwrap_or_else(|| "-".into());
    println!(
        "restored={} from={} kept={kept} reports={reports}",
        db.path.display(),
        from.display()
    );
    Ok(())
}

/// `rekey --new-key-file FILE`: re-encrypt the database in place with the key in FILE. When the
/// key came from the key file beside the database, that file gets the new key and the old one is
/// kept as `DB.key.before-rekey-<UTC time>` (older backups need it); from `MASKER19_DB_KEY`, the
/// operator changes that setting. Refused while a server holds the database.
pub fn rekey(db: &DbConfig, new_key_file: &Path, now: DateTime<Utc>) -> anyhow::Result<()> {
    let _lock = lock_unserved(&db.path)?;
    if !db.path.is_file() {
        bail!("{} does not exist", db.path.display());
    }
    if matches!(db.protection, Protection::PlaintextForTests) {
        bail!("this database is not encrypted");
    }
    let new = cipherdb::read_key_file(new_key_file, DbKey::raw_or_passphrase)?
        .ok_or_else(|| anyhow!("{} does not exist", new_key_file.display()))?;
    if db.protection == Protection::Key(new.clone()) {
        bail!("the new key is the current key");
    }
    let conn = db.open().with_context(|| format!("opening {}", db.path.display()))?;
    cipherdb::check(&conn)?;
    // The old key file is kept before anything changes; the new key goes into place after.
    let key_file = key_file_path(&db.path);
    let old = beside(&key_file, &format!(".before-rekey-{}", stamp(now)));
    if db.key_from_file() {
        std::fs::hard_link(&key_file, &old).with_context(|| format!("keeping the old key as {}", old.display()))?;
    }
    if let Err(e) = cipherdb::rekey(&conn, &new) {
        if db.key_from_file() {
            let _ = std::fs::remove_file(&old);
        }
        return Err(anyhow!(e).context("rekey failed; the database keeps its old key"));
    }
    conn.close().map_err(|(_, e)| e)?;
    let rekeyed = DbConfig {
        path: db.path.clone(),
        protection: Protection::Key(new.clone()),
    };
    let reopened = rekeyed.open().map_err(anyhow::Error::from).and_then(|c| {
        cipherdb::check(&c)?;
        Ok(())
    });
    if let Err(e) = reopened {
        bail!(
            "the database was re-encrypted with the key in {}, but checking it with that key failed: {e:#}",
            new_key_file.display()
        );
    }
    if !db.key_from_file() {
        if crate::db::key_source() == crate::db::KeySource::Credential {
            println!(
                "rekeyed={} key=credential: put the new key into the file the service's LoadCredential=db-key reads (/etc/masker19/db.key) before the server starts again",
                db.path.display()
            );
        } else {
            println!(
                "rekeyed={} key=MASKER19_DB_KEY: set MASKER19_DB_KEY to the new key before the server starts again",
                db.path.display()
            );
        }
        return Ok(());
    }
    let fresh = beside(&key_file, &format!(".new-{}", std::process::id()));
    cipherdb::create_key_file(&fresh, &new)?;
    std::fs::rename(&fresh, &key_file)?;
    sync_dir(&key_file)?;
    println!(
        "rekeyed={} key_file={} old_key={}",
        db.path.display(),
        key_file.display(),
        old.display()
    );
    Ok(())
}

/// Open `path` with the key, run both integrity checks, and count its reports.
fn checked(path: &Path, protection: &Protection) -> anyhow::Result<i64> {
    let conn = cipherdb::open_keyed(path, protection).map_err(|e| match e {
        cipherdb::OpenError::WrongKey => anyhow!("it does not open with the database key (file is not a database)"),
        e => anyhow!(e),
    })?;
    cipherdb::check(&conn)?;
    let reports = count_reports(&conn)?;
    conn.close().map_err(|(_, e)| e)?;
    Ok(reports)
}

fn count_reports(conn: &Connection) -> anyhow::Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM report", [], |r| r.get(0))?)
}

/// Move the database (with its write-ahead log, which may hold the last transactions) aside as
/// `DB.before-restore-<UTC time>`; `None` when there is none.
fn keep_current(db: &Path, now: DateTime<Utc>) -> anyhow::Result<Option<PathBuf>> {
    if db.symlink_metadata().is_err() {
        // A log or shared-memory file without its database would be applied to the new one.
        for stale in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(beside(db, stale));
        }
        return Ok(None);
    }
    let kept = beside(db, &format!(".before-restore-{}", stamp(now)));
    if kept.symlink_metadata().is_ok() {
        bail!("{} exists already: try again in a second", kept.display());
    }
    std::fs::rename(db, &kept).with_context(|| format!("keeping {} as {}", db.display(), kept.display()))?;
    let wal = beside(db, "-wal");
    if wal.exists() {
        std::fs::rename(&wal, beside(&kept, "-wal"))?;
    }
    let _ = std::fs::remove_file(beside(db, "-shm"));
    sync_dir(db)?;
    Ok(Some(kept))
}

/// `20261207T213000Z`: a UTC time for a file name.
fn stamp(now: DateTime<Utc>) -> String {
    now.format("%Y%m%dT%H%M%SZ").to_string()
}

/// Options for a file only its owner reads; `new`: it must not exist yet.
fn new_file_options(new: bool) -> OpenOptions {
    let mut options = OpenOptions::new();
    options.read(true).write(true);
    if new {
        options.create_new(true);
    } else {
        options.create(true).truncate(false);
    }
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
}

fn remove_with_journals(path: &Path) {
    for suffix in ["", "-journal", "-wal", "-shm"] {
        let _ = std::fs::remove_file(beside(path, suffix));
    }
}

/// Make a rename or a new name in the directory of `path` durable.
fn sync_dir(path: &Path) -> anyhow::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    File::open(dir)?.sync_all()?;
    Ok(())
}

fn sha256_of(path: &Path) -> anyhow::Result<String> {
    let mut hasher = Sha256::new();
    std::io::copy(&mut File::open(path)?, &mut hasher)?;
    hasher.flush()?;
    Ok(hex::encode(hasher.finalize()))
}
