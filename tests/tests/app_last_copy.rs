//! The pharmacy's device is the last copy of a report, with the app's real sync code and outbox
//! against the real server binary: a report the server lost (its database put back from an
//! older copy) is sent again while it may be, and said to be lost with the number to call when
//! it may not; a report that never settles is wiped from the device when the server's keeping
//! of it ends.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, SubsecRound, Utc};
use masker19::store::{HistoryEvent, LocalState, Store};
use masker19::sync::{self, Client};
use masker19_e2e::{TestServer, open_store, temp_db};
use meldcode::{Kind, Label, Lang, Status};
use uuid::Uuid;

type R = anyhow::Result<()>;

fn rt() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_current_thread().enable_all().build()?)
}

fn poll_interval() -> Duration {
    Duration::seconds(30)
}

/// The store keeps milliseconds.
fn now_ms() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(3)
}

/// The database file and the files that belong to it (its WAL, its key).
fn db_files(db: &Path) -> Vec<PathBuf> {
    ["", "-wal", "-shm", ".key"]
        .iter()
        .map(|suffix| PathBuf::from(format!("{}{suffix}", db.display())))
        .collect()
}

/// Copy the database (and its WAL and key) of a stopped server to `to`.
fn copy_db(db: &Path, to: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(to)?;
    for file in db_files(db) {
        if file.exists() {
            let name = file.file_name().ok_or_else(|| anyhow::anyhow!("no file name"))?;
            std::fs::copy(&file, to.join(name))?;
        }
    }
    Ok(())
}

/// Put the copy in `from` back in the place of the database `db`.
fn restore_db(from: &Path, db: &Path) -> anyhow::Result<()> {
    for file in db_files(db) {
        if file.exists() {
            std::fs::remove_file(&file)?;
        }
        let name = file.file_name().ok_or_else(|| anyhow::anyhow!("no file name"))?;
        let saved = from.join(name);
        if saved.exists() {
            std::fs::copy(&saved, &file)?;
        }
    }
    Ok(())
}

/// How often the server holds report `id`.
fn on_server(db: &Path, id: Uuid) -> anyhow::Result<i64> {
    let conn = open_store(db)?;
    Ok(
        conn.query_row("SELECT count(*) FROM report WHERE id = ?1", [id.to_string()], |r| {
            r.get(0)
        })?,
    )
}

/// A demo server with an enrolled device; the database as it was then is kept in `backup`.
struct Setup {
    _sdir: tempfile::TempDir,
    db: PathBuf,
    listen: String,
    backup: tempfile::TempDir,
    server: Option<TestServer>,
    _adir: tempfile::TempDir,
    store: Store,
    client: Client,
}

impl Setup {
    fn new() -> anyhow::Result<Setup> {
        let (sdir, db) = temp_db()?;
        let server = TestServer::start(&db, true)?;
        let listen = server.url.trim_start_matches("http://").to_owned();
        let adir = tempfile::tempdir()?;
        let store = Store::open_dir(adir.path(), false)?;
        let code = server.info["enrollment_code"].clone();
        rt()?.block_on(sync::enroll_and_store(
            &store,
            &server.url,
            &code,
            Some("1919"),
            "balie",
        ))?;
        let client = sync::client_for(&store)?.ok_or_else(|| anyhow::anyhow!("not enrolled"))?;
        // Last night's backup: the device is enrolled, no report is in it yet.
        server.kill9()?;
        let backup = tempfile::tempdir()?;
        copy_db(&db, backup.path())?;
        let server = TestServer::start_at(&db, &listen, true, &[])?;
        Ok(Setup {
            _sdir: sdir,
            db,
            listen,
            backup,
            server: Some(server),
            _adir: adir,
            store,
            client,
        })
    }

    /// The server loses its disk and is put back from the backup, on the same address.
    fn restore_from_backup(&mut self) -> R {
        if let Some(server) = self.server.take() {
            server.kill9()?;
        }
        restore_db(self.backup.path(), &self.db)?;
        // A demo database stays a demo: it is started as one again.
        self.server = Some(TestServer::start_at(&self.db, &self.listen, true, &[])?);
        Ok(())
    }

    fn sync(&self, now: DateTime<Utc>) -> anyhow::Result<sync::SyncSummary> {
        Ok(rt()?.block_on(sync::sync_once(&self.store, &self.client, now, poll_interval()))?)
    }

    /// A melding written now, sent and accepted.
    fn accepted_report(&self, now: DateTime<Utc>) -> anyhow::Result<Uuid> {
        let report = meldcode::examples::example(Kind::Melding, Uuid::new_v4(), now);
        self.store.enqueue(&report, now)?;
        let sum = self.sync(now)?;
        anyhow::ensure!(sum.accepted == vec![report.id], "not accepted: {sum:?}");
        Ok(report.id)
    }

    fn state(&self, id: Uuid) -> anyhow::Result<LocalState> {
        let e = self
            .store
            .outbox_entry(id)?
            .ok_or_else(|| anyhow::anyhow!("{id} gone"))?;
        Ok(e.state)
    }
}

/// The server is put back from a backup made before the report arrived: its status answers
/// `404`. The device sends the report again (same id, the same stored bytes) and the server
/// holds it exactly once.
#[test]
fn a_report_the_server_lost_is_sent_again_and_arrives_once() -> R {
    let mut s = Setup::new()?;
    let now = now_ms();
    let id = s.accepted_report(now)?;
    let bytes = s.store.report_json(id)?;
    assert!(bytes.is_some());
    assert_eq!(on_server(&s.db, id)?, 1);

    s.restore_from_backup()?;
    assert_eq!(on_server(&s.db, id)?, 0, "the backup does not have it");

    // The next poll hears `404`: the report goes back in the queue, its bytes untouched.
    let mut t = now + poll_interval() * 2;
    let sum = s.sync(t)?;
    assert_eq!(sum.resent, vec![id], "{sum:?}");
    assert_eq!(s.state(id)?, LocalState::Queued);
    let due = s.store.due(t)?;
    assert_eq!(due.len(), 1);
    assert_eq!(
        (due[0].0, Some(due[0].1.clone())),
        (id, bytes.clone()),
        "the same id and bytes"
    );

    // The next pass sends it: accepted, held once.
    t += Duration::seconds(1);
    let sum = s.sync(t)?;
    assert_eq!(sum.accepted, vec![id], "{sum:?}");
    assert_eq!(on_server(&s.db, id)?, 1, "sent again and held once");
    assert_eq!(s.state(id)?, LocalState::Server(Status::Received));
    assert_eq!(s.store.report_json(id)?, bytes, "kept until it settles");
    let events: Vec<HistoryEvent> = s.store.history(id)?.into_iter().map(|i| i.event).collect();
    assert!(events.contains(&HistoryEvent::Lost { resent: true }), "{events:?}");

    // Later passes poll it as before and never send it a second time.
    for _ in 0..3 {
        t += poll_interval() * 2;
        s.sync(t)?;
    }
    assert_eq!(on_server(&s.db, id)?, 1);
    assert_eq!(s.state(id)?, LocalState::Server(Status::Received));
    Ok(())
}

/// A report written more than 30 days ago that the server lost cannot be sent again (the
/// server would refuse it): the device says so, with the number to call, and keeps it.
#[test]
fn a_lost_report_older_than_30_days_is_kept_and_says_call_0800_2000() -> R {
    let mut s = Setup::new()?;
    let now = now_ms();
    let id = s.accepted_report(now)?;
    s.restore_from_backup()?;

    let late = now + meldcode::validate::MAX_AGE + Duration::hours(1);
    let sum = s.sync(late)?;
    assert_eq!(sum.lost, vec![id], "{sum:?}");
    for i in 1..3 {
        let sum = s.sync(late + poll_interval() * (2 * i))?;
        assert!(
            sum.accepted.is_empty() && sum.polled.is_empty() && sum.lost.is_empty(),
            "{sum:?}"
        );
    }
    assert_eq!(on_server(&s.db, id)?, 0, "never sent again");
    let state = s.state(id)?;
    assert_eq!(state.code(), "lost");
    assert_eq!(
        state.label(Lang::Nl),
        "Veilig Thuis heeft deze melding niet — bel 0800-2000"
    );
    assert!(state.label(Lang::En).contains("0800-2000"));
    assert!(!state.is_sent(), "never shown as sent");
    assert!(s.store.report_json(id)?.is_some(), "kept until deleted behind the PIN");
    let e = s.store.outbox_entry(id)?.ok_or_else(|| anyhow::anyhow!("gone"))?;
    assert!(!e.wiped);
    assert!(s.store.due(late + Duration::days(1))?.is_empty(), "not in the queue");
    let events: Vec<HistoryEvent> = s.store.history(id)?.into_iter().map(|i| i.event).collect();
    assert!(events.contains(&HistoryEvent::Lost { resent: false }), "{events:?}");
    // The pharmacist called; deleting it (behind the PIN in the app) removes it.
    assert!(s.store.delete_rejected(id)?);
    assert_eq!(s.store.outbox_entry(id)?, None);
    Ok(())
}

/// A report that never settles (nobody at Veilig Thuis acknowledges it) is wiped from the device
/// when the server's keeping of it ends (`retained_until`), and no longer polled.
#[test]
fn a_report_past_retained_until_is_wiped_from_the_device() -> R {
    let s = Setup::new()?;
    let now = now_ms();
    let id = s.accepted_report(now)?;

    // Still kept the day before.
    let before = now + Duration::days(179);
    let sum = s.sync(before)?;
    assert!(sum.wiped.is_empty(), "{sum:?}");
    assert!(s.store.report_json(id)?.is_some());

    let after = now + Duration::days(180) + Duration::minutes(1);
    let sum = s.sync(after)?;
    assert_eq!(sum.wiped, vec![id]);
    assert_eq!(s.store.report_json(id)?, None, "personal data wiped");
    let e = s
        .store
        .outbox_entry(id)?
        .ok_or_else(|| anyhow::anyhow!("the line stays"))?;
    assert!(e.wiped);
    assert_eq!(e.state, LocalState::Server(Status::Received));
    let sum = s.sync(after + Duration::hours(1))?;
    assert!(sum.polled.is_empty(), "no longer polled: {sum:?}");
    Ok(())
}
