//! Backup, restore and rekey with the real binary on real SQLCipher files: a backup taken while
//! the server accepts reports is encrypted with the database key and holds what was accepted
//! before it; restore is refused while a server runs and keeps the old file; after a rekey only
//! the new key opens the database.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use masker19_e2e::{TestServer, admin, admin_with, demo_server, with_fresh_id};
use serde_json::Value;
use sha2::{Digest, Sha256};

type R = anyhow::Result<()>;

/// The database's key, from the key file beside it.
fn key_of(db: &Path) -> anyhow::Result<String> {
    Ok(std::fs::read_to_string(cipherdb::key_file_beside(db))?
        .trim()
        .to_owned())
}

/// Open `path` with the raw key `key` (`None`: without a key) and read something.
fn open_with(path: &Path, key: Option<&str>) -> rusqlite::Result<rusqlite::Connection> {
    let conn = rusqlite::Connection::open(path)?;
    if let Some(key) = key {
        conn.pragma_update(None, "key", format!("x'{key}'"))?;
    }
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0))?;
    Ok(conn)
}

fn report_ids(conn: &rusqlite::Connection) -> anyhow::Result<Vec<String>> {
    let mut stmt = conn.prepare("SELECT id FROM report")?;
    let ids = stmt.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
    Ok(ids)
}

fn run(db: &Path, args: &[&str]) -> anyhow::Result<(i32, String, String)> {
    let out = admin(db, args, "")?;
    Ok((
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    ))
}

fn submit_n(server: &TestServer, token: &str, example: &Value, n: usize) -> anyhow::Result<Vec<String>> {
    let api = server.client();
    (0..n)
        .map(|_| {
            let report = with_fresh_id(example);
            api.submit(token, &report)?;
            Ok(report["id"].as_str().unwrap_or_default().to_owned())
        })
        .collect()
}

fn sha256_hex(path: &Path) -> anyhow::Result<String> {
    Ok(hex::encode(Sha256::digest(std::fs::read(path)?)))
}

#[test]
fn a_backup_while_reports_arrive_is_keyed_checked_complete_and_never_overwrites() -> R {
    let (dir, server, token) = demo_server(&[])?;
    let example = server.client().example("melding")?;
    let seeded = report_ids(&open_with(&server.db, Some(&key_of(&server.db)?))?)?.len();
    let before = submit_n(&server, &token, &example, 40)?;

    // A device keeps sending during the backup.
    let stop = Arc::new(AtomicBool::new(false));
    let sender = {
        let (stop, api, token, example) = (stop.clone(), server.client(), token.clone(), example.clone());
        std::thread::spawn(move || -> anyhow::Result<usize> {
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                api.submit(&token, &with_fresh_id(&example))?;
                n += 1;
            }
            Ok(n)
        })
    };
    std::thread::sleep(std::time::Duration::from_millis(100));
    let to = dir.path().join("backup.db");
    let to_text = to.to_string_lossy().into_owned();
    let (code, out, err) = run(&server.db, &["backup", "--to", &to_text])?;
    stop.store(true, Ordering::Relaxed);
    let during = sender.join().map_err(|_| anyhow::anyhow!("sender panicked"))??;
    assert_eq!(code, 0, "{err}");
    assert!(during > 0, "reports were accepted while the backup ran");

    // backup=FILE sha256=HEX reports=N, and the file is what it says.
    let fields: std::collections::HashMap<_, _> = out.split_whitespace().filter_map(|f| f.split_once('=')).collect();
    assert_eq!(fields.get("backup"), Some(&to_text.as_str()), "{out}");
    assert_eq!(fields.get("sha256").copied(), Some(sha256_hex(&to)?.as_str()), "{out}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&to)?.permissions().mode() & 0o777, 0o600);
    }

    let key = key_of(&server.db)?;
    let no_key = open_with(&to, None).map(|_| ()).map_err(|e| e.to_string());
    assert!(no_key.is_err_and(|e| e.contains("file is not a database")));
    let conn = open_with(&to, Some(&key))?;
    let integrity: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
    assert_eq!(integrity, "ok");
    let ids = report_ids(&conn)?;
    assert_eq!(fields.get("reports"), Some(&ids.len().to_string().as_str()), "{out}");
    for id in &before {
        assert!(
            ids.contains(id),
            "the backup holds every report accepted before it: {id}"
        );
    }
    assert!(ids.len() <= seeded + before.len() + during, "a snapshot, not more");
    let ended_at: String = open_with(&server.db, Some(&key))?.query_row(
        "SELECT value FROM meta WHERE key = 'last_backup_at'",
        [],
        |r| r.get(0),
    )?;
    assert!(ended_at.ends_with('Z'), "{ended_at}");

    // A second backup to the same file is refused and leaves it as it was.
    let (code, _, err) = run(&server.db, &["backup", "--to", &to_text])?;
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("exists"), "{err}");
    assert_eq!(Some(sha256_hex(&to)?.as_str()), fields.get("sha256").copied());
    Ok(())
}

#[test]
fn restore_is_refused_while_served_then_keeps_the_old_file_and_the_server_starts_on_the_backup() -> R {
    let (dir, server, token) = demo_server(&[])?;
    let example = server.client().example("melding")?;
    let seeded = report_ids(&open_with(&server.db, Some(&key_of(&server.db)?))?)?.len();
    let kept_ids = submit_n(&server, &token, &example, 5)?;
    let backup = dir.path().join("nacht.db");
    let backup_text = backup.to_string_lossy().into_owned();
    let (code, _, err) = run(&server.db, &["backup", "--to", &backup_text])?;
    assert_eq!(code, 0, "{err}");
    let lost_ids = submit_n(&server, &token, &example, 3)?;

    let db = server.db.clone();
    let before = sha256_hex(&db)?;
    let (code, _, err) = run(&db, &["restore", "--from", &backup_text])?;
    assert_eq!(code, 1, "refused while the server runs: {err}");
    assert!(err.contains("stop the server"), "{err}");
    assert_eq!(sha256_hex(&db)?, before, "the database is untouched");

    server.kill9()?;
    // Not a backup of this database: refused, nothing changed.
    let stranger = dir.path().join("vreemd.db");
    std::fs::write(&stranger, vec![7u8; 8192])?;
    let (code, _, err) = run(&db, &["restore", "--from", &stranger.to_string_lossy()])?;
    assert_eq!(code, 1, "{err}");
    assert!(db.exists() && kept_files(&db)?.is_empty(), "nothing moved");

    let (code, out, err) = run(&db, &["restore", "--from", &backup_text])?;
    assert_eq!(code, 0, "{err}");
    assert!(out.contains(&format!("reports={}", seeded + 5)), "{out}");
    let kept = kept_files(&db)?;
    assert_eq!(kept.len(), 1, "the old database is kept: {kept:?}");
    let key = key_of(&db)?;
    let old_ids = report_ids(&open_with(&kept[0], Some(&key))?)?;
    assert!(
        lost_ids.iter().all(|id| old_ids.contains(id)),
        "the kept file holds the later reports"
    );

    let restarted = TestServer::start(&db, true)?;
    let api = restarted.client();
    for id in &kept_ids {
        assert_eq!(api.status_of(&token, id)?.status, 200, "in the backup: {id}");
    }
    for id in &lost_ids {
        assert_eq!(api.status_of(&token, id)?.status, 404, "after the backup: {id}");
    }
    Ok(())
}

/// The `DB.before-restore-*` files beside `db`.
fn kept_files(db: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let name = db
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let dir = db.parent().ok_or(anyhow::anyhow!("no directory"))?;
    let mut kept = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let file = entry?.file_name().to_string_lossy().into_owned();
        if file.starts_with(&format!("{name}.before-restore-")) && !file.ends_with("-wal") && !file.ends_with("-shm") {
            kept.push(dir.join(file));
        }
    }
    Ok(kept)
}

#[test]
fn after_a_rekey_the_old_key_fails_and_the_new_one_opens_and_serves() -> R {
    let (dir, server, token) = demo_server(&[])?;
    let example = server.client().example("melding")?;
    let ids = submit_n(&server, &token, &example, 3)?;
    let db = server.db.clone();
    let old_key = key_of(&db)?;
    let new_key = "5a".repeat(32);
    let new_key_file = dir.path().join("nieuwe.key");
    std::fs::write(&new_key_file, &new_key)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&new_key_file, std::fs::Permissions::from_mode(0o600))?;
    }
    let new_key_text = new_key_file.to_string_lossy().into_owned();

    let (code, _, err) = run(&db, &["rekey", "--new-key-file", &new_key_text])?;
    assert_eq!(code, 1, "refused while the server runs: {err}");
    assert!(open_with(&db, Some(&old_key)).is_ok(), "still the old key");

    let all = report_ids(&open_with(&db, Some(&old_key))?)?;
    server.kill9()?;
    let (code, out, err) = run(&db, &["rekey", "--new-key-file", &new_key_text])?;
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("rekeyed="), "{out}");
    let old = open_with(&db, Some(&old_key)).map(|_| ()).map_err(|e| e.to_string());
    assert!(
        old.is_err_and(|e| e.contains("file is not a database")),
        "the old key fails"
    );
    assert_eq!(report_ids(&open_with(&db, Some(&new_key))?)?, all);
    assert_eq!(
        key_of(&db)?,
        new_key,
        "the key file beside the database holds the new key"
    );

    let restarted = TestServer::start(&db, true)?;
    assert_eq!(restarted.client().status_of(&token, &ids[0])?.status, 200);
    drop(restarted);

    // A key from MASKER19_DB_KEY: the database is rekeyed and the setting is the operator's to
    // change; the key file is left alone.
    std::fs::write(&new_key_file, "c3".repeat(32))?;
    let env = [("MASKER19_DB_KEY", new_key.as_str())];
    let out = admin_with(&db, &["rekey", "--new-key-file", &new_key_text], "", &env)?;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("set MASKER19_DB_KEY"));
    assert!(open_with(&db, Some(&"c3".repeat(32))).is_ok());
    assert_eq!(key_of(&db)?, new_key, "the key file is not the source and stays");
    Ok(())
}

#[test]
fn a_second_server_on_the_same_database_is_refused_and_kill_9_lets_go_of_it() -> R {
    let (_dir, server, _token) = demo_server(&[])?;
    let db = server.db.clone();
    assert!(TestServer::start(&db, true).is_err(), "one server per database");
    server.kill9()?;
    let again = TestServer::start(&db, true)?;
    assert_eq!(again.client().get("/healthz", None)?.status, 200);
    Ok(())
}

#[test]
fn on_a_new_machine_restore_needs_the_key_and_never_makes_one() -> R {
    let (dir, server, token) = demo_server(&[])?;
    let example = server.client().example("melding")?;
    let ids = submit_n(&server, &token, &example, 2)?;
    let backup = dir.path().join("nacht.db");
    let (code, _, err) = run(&server.db, &["backup", "--to", &backup.to_string_lossy()])?;
    assert_eq!(code, 0, "{err}");
    drop(server);

    let new_machine = tempfile::tempdir()?;
    let db = new_machine.path().join("masker19.db");
    let key_file = new_machine.path().join("masker19.db.key");
    let (code, _, err) = run(&db, &["restore", "--from", &backup.to_string_lossy()])?;
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("masker19.db.key"), "{err}");
    assert!(!key_file.exists() && !db.exists(), "no new key, no new database");

    std::fs::copy(dir.path().join("masker19.db.key"), &key_file)?;
    let (code, out, err) = run(&db, &["restore", "--from", &backup.to_string_lossy()])?;
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("kept=-"), "{out}");
    let server = TestServer::start(&db, true)?;
    for id in &ids {
        assert_eq!(server.client().status_of(&token, id)?.status, 200);
    }
    Ok(())
}
