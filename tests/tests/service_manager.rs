//! The server under a service manager (systemd, as the package's `masker19.service` runs it):
//! `READY=1` on `NOTIFY_SOCKET` once it listens, `WATCHDOG=1` at half of `WATCHDOG_USEC`, and
//! the database key from the credential `db-key` in `$CREDENTIALS_DIRECTORY`
//! (`LoadCredential=`) when no other key is given.

use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::UnixDatagram;
use std::path::Path;
use std::time::{Duration, Instant};

use masker19_e2e::{TestServer, admin, admin_with, temp_db};

type R = anyhow::Result<()>;

/// The next datagram on the notify socket, as text.
fn next_message(socket: &UnixDatagram) -> anyhow::Result<String> {
    let mut buf = [0u8; 4096];
    let n = socket.recv(&mut buf)?;
    Ok(String::from_utf8_lossy(&buf[..n]).into_owned())
}

#[test]
fn under_systemd_the_server_says_ready_once_it_listens_and_feeds_the_watchdog() -> R {
    let (dir, db) = temp_db()?;
    let path = dir.path().join("notify.sock");
    let socket = UnixDatagram::bind(&path)?;
    socket.set_read_timeout(Some(Duration::from_secs(20)))?;
    let path_text = path.to_string_lossy().into_owned();
    // WatchdogSec=1: the server pings every half second.
    let env = [("NOTIFY_SOCKET", path_text.as_str()), ("WATCHDOG_USEC", "1000000")];
    let server = TestServer::start_with(&db, false, &env)?;

    let first = next_message(&socket)?;
    assert_eq!(first.trim(), "READY=1", "the first message");
    // By then it serves.
    assert_eq!(server.client().get("/readyz", None)?.status, 200);

    let start = Instant::now();
    let mut pings = 0;
    while pings < 3 {
        let message = next_message(&socket)?;
        assert_eq!(message.trim(), "WATCHDOG=1", "only watchdog pings follow");
        pings += 1;
    }
    let took = start.elapsed();
    assert!(
        took >= Duration::from_millis(900) && took < Duration::from_secs(5),
        "three pings at half the watchdog interval took {took:?}"
    );
    Ok(())
}

/// A credentials directory holding `db-key` (mode 0400), as systemd makes it.
fn credentials(dir: &Path, key: &str) -> anyhow::Result<String> {
    let creds = dir.join("credentials");
    std::fs::create_dir_all(&creds)?;
    let file = creds.join("db-key");
    std::fs::write(&file, format!("{key}\n"))?;
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o400))?;
    Ok(creds.to_string_lossy().into_owned())
}

#[test]
fn the_database_key_comes_from_the_service_managers_credential() -> R {
    let (dir, db) = temp_db()?;
    let key = "7e".repeat(32);
    let creds = credentials(dir.path(), &key)?;
    let env = [("CREDENTIALS_DIRECTORY", creds.as_str())];
    let out = admin_with(
        &db,
        &["pharmacy", "add", "--name", "Apotheek Dienst", "--gemeente", "GM0363"],
        "",
        &env,
    )?;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let beside = dir.path().join("masker19.db.key");
    assert!(!beside.exists(), "no key file is made beside the database");

    // The credential's key opens the file.
    let conn = rusqlite::Connection::open(&db)?;
    conn.pragma_update(None, "key", format!("x'{key}'"))?;
    let n: i64 = conn.query_row("SELECT count(*) FROM pharmacy", [], |r| r.get(0))?;
    assert_eq!(n, 1);
    drop(conn);

    // Without the credential there is no key: refused, and no new key is made.
    let out = admin(&db, &["pharmacy", "list"], "")?;
    assert_eq!(out.status.code(), Some(1));
    assert!(!beside.exists());

    // MASKER19_DB_KEY still comes first.
    let other = [("CREDENTIALS_DIRECTORY", creds.as_str()), ("MASKER19_DB_KEY", "ab")];
    let out = admin_with(&db, &["pharmacy", "list"], "", &other)?;
    assert_eq!(
        out.status.code(),
        Some(1),
        "a short MASKER19_DB_KEY is refused, not skipped"
    );

    let server = TestServer::start_with(&db, false, &env)?;
    assert_eq!(server.client().get("/readyz", None)?.status, 200);
    Ok(())
}

/// `masker19-admin` (the package's `/usr/sbin/masker19-admin`) runs a command as the service
/// runs: as the service's user, with the settings file and the key handed over as the credential
/// `db-key`. The database it makes belongs to that user, no key file lands beside it, standard
/// input reaches the command, and the credentials directory is gone afterwards. Needs root
/// (`runuser`); run as `nobody` here.
#[test]
fn masker19_admin_runs_a_command_as_the_service_user_with_the_key_credential() -> R {
    use std::io::Write;
    use std::os::unix::fs::MetadataExt;
    use std::process::{Command, Stdio};
    if !is_root() {
        eprintln!("skipped: masker19-admin needs root");
        return Ok(());
    }
    let dir = tempfile::tempdir()?;
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755))?;
    let state = dir.path().join("state");
    let run = dir.path().join("run");
    std::fs::create_dir_all(&state)?;
    std::fs::create_dir_all(&run)?;
    let nobody = Command::new("id").args(["-u", "nobody"]).output()?;
    let nobody_uid: u32 = String::from_utf8_lossy(&nobody.stdout).trim().parse()?;
    std::os::unix::fs::chown(&state, Some(nobody_uid), None)?;
    let key = dir.path().join("db.key");
    std::fs::write(&key, "5c".repeat(32))?;
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600))?;
    let settings = dir.path().join("default");
    std::fs::write(&settings, "# comment\n#MASKER19_PUBLIC_URL=\nMASKER19_LOG=warn\n")?;
    // The server binary where the service user may run it.
    let server = dir.path().join("masker19-server");
    std::fs::copy(masker19_e2e::server_bin(), &server)?;
    std::fs::set_permissions(&server, std::fs::Permissions::from_mode(0o755))?;
    let db = state.join("masker19.db");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../packaging/masker19-admin");
    let admin = |args: &[&str], stdin: &str| -> anyhow::Result<std::process::Output> {
        let mut child = Command::new(&script)
            .args(args)
            .env("MASKER19_ADMIN_USER", "nobody")
            .env("MASKER19_ADMIN_DB", &db)
            .env("MASKER19_ADMIN_KEY", &key)
            .env("MASKER19_ADMIN_SETTINGS", &settings)
            .env("MASKER19_ADMIN_SERVER", &server)
            .env("MASKER19_ADMIN_RUN", &run)
            .env_remove("MASKER19_DB_KEY")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()?;
        if let Some(mut input) = child.stdin.take() {
            input.write_all(stdin.as_bytes())?;
        }
        Ok(child.wait_with_output()?)
    };

    let out = admin(
        &["user", "add", "--role", "evaluator", "--name", "eva"],
        "een-lang-wachtwoord-19\n",
    )?;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        std::fs::metadata(&db)?.uid(),
        nobody_uid,
        "the database is the service user's"
    );
    assert!(
        !state.join("masker19.db.key").exists(),
        "no key file beside the database"
    );
    assert_eq!(std::fs::read_dir(&run)?.count(), 0, "the credentials directory is gone");

    // The key of /etc/masker19/db.key is the database's key.
    let conn = rusqlite::Connection::open(&db)?;
    conn.pragma_update(None, "key", format!("x'{}'", "5c".repeat(32)))?;
    let users: i64 = conn.query_row("SELECT count(*) FROM user", [], |r| r.get(0))?;
    assert_eq!(users, 1, "the password came through standard input");
    drop(conn);

    let backup = state.join("nacht.db");
    let out = admin(&["backup", "--to", &backup.to_string_lossy()], "")?;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("backup="));
    assert_eq!(std::fs::metadata(&backup)?.uid(), nobody_uid);
    assert_eq!(std::fs::read_dir(&run)?.count(), 0);
    Ok(())
}

fn is_root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}
