//! `masker19 --sync` (the real binary against the real server): it sends what is queued through
//! the window's own sync pass and exits 0 when nothing is left to send; with the server away it
//! says why in Dutch and English and exits 1; on a device that is not enrolled it says so.

use std::path::Path;

use chrono::Utc;
use masker19::store::{LocalState, Store};
use masker19_e2e::app::{app_command, demo_and_enrolled_app};
use masker19_e2e::open_store;
use meldcode::{Kind, Status};

type R = anyhow::Result<()>;

/// A melding written to the outbox of the data directory `data`, as finishing a case does.
fn queue(data: &Path) -> anyhow::Result<uuid::Uuid> {
    let store = Store::open_dir(data, false)?;
    let report = meldcode::examples::example(Kind::Melding, uuid::Uuid::new_v4(), Utc::now());
    store.enqueue(&report, Utc::now())?;
    Ok(report.id)
}

fn sync(data: &Path) -> anyhow::Result<(i32, String, String)> {
    let out = app_command(data)?.arg("--sync").output()?;
    Ok((
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    ))
}

#[test]
fn sync_sends_the_queued_report_and_exits_0() -> R {
    let (_s, server, data) = demo_and_enrolled_app()?;
    let id = queue(data.path())?;

    let (code, stdout, stderr) = sync(data.path())?;
    assert_eq!(code, 0, "stdout: {stdout}\nstderr: {stderr}");
    assert_eq!(stdout.trim(), "sent=1 waiting=0 rejected=0 lost=0");

    let on_server: i64 =
        open_store(&server.db)?.query_row("SELECT count(*) FROM report WHERE id = ?1", [id.to_string()], |r| {
            r.get(0)
        })?;
    assert_eq!(on_server, 1, "the server has the report");
    let entry = Store::open_dir(data.path(), false)?.outbox_entry(id)?;
    assert_eq!(entry.map(|e| e.state), Some(LocalState::Server(Status::Received)));

    // Nothing left: a second run sends nothing and still exits 0.
    let (code, stdout, _) = sync(data.path())?;
    assert_eq!((code, stdout.trim()), (0, "sent=0 waiting=0 rejected=0 lost=0"));
    Ok(())
}

#[test]
fn sync_with_the_server_away_says_why_and_exits_1() -> R {
    let (_s, server, data) = demo_and_enrolled_app()?;
    let id = queue(data.path())?;
    server.kill9()?;

    let (code, stdout, stderr) = sync(data.path())?;
    assert_eq!(code, 1, "stdout: {stdout}\nstderr: {stderr}");
    assert_eq!(stdout.trim(), "sent=0 waiting=1 rejected=0 lost=0");
    assert!(
        stderr.contains("1 melding is nog niet verzonden. Geen verbinding met de server"),
        "{stderr}"
    );
    assert!(
        stderr.contains("1 report is not sent yet. No connection to the server"),
        "{stderr}"
    );
    assert!(stderr.contains("Volgende poging: "), "{stderr}");
    let entry = Store::open_dir(data.path(), false)?.outbox_entry(id)?;
    assert_eq!(
        entry.map(|e| e.state),
        Some(LocalState::Queued),
        "kept to be sent later"
    );
    Ok(())
}

#[test]
fn sync_on_a_device_not_enrolled_exits_1() -> R {
    let data = tempfile::tempdir()?;
    let (code, stdout, stderr) = sync(data.path())?;
    assert_eq!(code, 1, "stdout: {stdout}\nstderr: {stderr}");
    assert!(stderr.contains("dit apparaat is nog niet gekoppeld"), "{stderr}");
    assert!(stderr.contains("this device is not enrolled yet"), "{stderr}");
    Ok(())
}
