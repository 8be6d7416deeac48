//! The app's outbox and sync logic without a window, against the real server binary: write,
//! send, the retry schedule, rejected, the wipe after acknowledgement, a simulated crash, and
//! the key.

use std::io::{Read, Write};
use std::time::Duration;

use chrono::Utc;
use masker19::config::ServerUrl;
use masker19::store::{LocalState, Store, StoreError};
use masker19::sync::{self, Client};
use masker19_e2e::app::files_containing;
use masker19_e2e::{DEMO_PASSWORD, TestServer, temp_db};
use meldcode::{Kind, Status};

type R = anyhow::Result<()>;

fn rt() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_current_thread().enable_all().build()?)
}

/// A demo server, and an app store in its own directory enrolled through the app's own code.
fn enrolled() -> anyhow::Result<(tempfile::TempDir, TestServer, tempfile::TempDir, Store, Client)> {
    let (sdir, db) = temp_db()?;
    let server = TestServer::start(&db, true)?;
    let adir = tempfile::tempdir()?;
    let store = Store::open_dir(adir.path(), false)?;
    let code = server.info["enrollment_code"].clone();
    rt()?.block_on(sync::enroll_and_store(&store, &server.url, &code, Some("1919"), "test"))?;
    let client = sync::client_for(&store)?.ok_or_else(|| anyhow::anyhow!("not enrolled"))?;
    Ok((sdir, server, adir, store, client))
}

fn melding() -> meldcode::Report {
    let mut r = meldcode::examples::example(Kind::Melding, uuid::Uuid::new_v4(), Utc::now());
    if let Some(p) = r.person.as_mut() {
        p.name = "Zebra Outboxtest".into();
    }
    r
}

/// The store keeps milliseconds.
fn now_ms() -> chrono::DateTime<Utc> {
    use chrono::SubsecRound;
    Utc::now().trunc_subsecs(3)
}

fn poll_interval() -> chrono::Duration {
    chrono::Duration::seconds(30)
}

#[test]
fn written_sent_acknowledged_then_wiped() -> R {
    let (_s, server, adir, store, client) = enrolled()?;
    let report = melding();
    let now = now_ms();
    store.enqueue(&report, now)?;
    assert_eq!(store.outbox()?[0].state, LocalState::Queued);

    let sum = rt()?.block_on(sync::sync_once(&store, &client, now, poll_interval()))?;
    assert_eq!(sum.accepted, vec![report.id]);
    let e = store.outbox_entry(report.id)?.ok_or_else(|| anyhow::anyhow!("gone"))?;
    assert_eq!(e.state, LocalState::Server(Status::Received));
    assert!(
        store.report_json(report.id)?.is_some(),
        "kept until Veilig Thuis has it"
    );

    let api = server.client();
    let intake = api.login("intake-vt01", DEMO_PASSWORD)?;
    let r = api.post_json(
        &format!("/api/v1/intake/reports/{}/acknowledge", report.id),
        Some(&intake),
        &serde_json::json!({}),
    )?;
    assert_eq!(r.status, 200);

    let later = now + poll_interval() * 2;
    let sum = rt()?.block_on(sync::sync_once(&store, &client, later, poll_interval()))?;
    assert_eq!(sum.wiped, vec![report.id]);
    let e = store.outbox_entry(report.id)?.ok_or_else(|| anyhow::anyhow!("gone"))?;
    assert_eq!(e.state, LocalState::Server(Status::Acknowledged));
    assert!(
        e.wiped && store.report_json(report.id)?.is_none(),
        "personal data wiped"
    );
    assert_eq!(e.kind, Kind::Melding, "a line without personal data stays");
    assert!(files_containing(adir.path(), b"Zebra Outboxtest")?.is_empty());
    Ok(())
}

#[test]
fn network_errors_back_off_and_the_same_report_is_accepted_later() -> R {
    let (_s, server, _a, store, client) = enrolled()?;
    let report = melding();
    let now = now_ms();
    store.enqueue(&report, now)?;
    // A port where nothing listens: a network error.
    let dead = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?;
    let token = store.setting(masker19::store::keys::DEVICE_TOKEN)?.unwrap_or_default();
    let offline = Client::new(ServerUrl::parse(&format!("http://{dead}"))?, token)?;
    let rt = rt()?;

    rt.block_on(sync::sync_once(&store, &offline, now, poll_interval()))?;
    let e = store.outbox_entry(report.id)?.ok_or_else(|| anyhow::anyhow!("gone"))?;
    assert_eq!((e.state, e.attempts), (LocalState::Queued, 1));
    assert_eq!(e.next_attempt_at, Some(now + chrono::Duration::seconds(5)));
    // Kept as meldcode's problem code, shown in Dutch ("Geen verbinding met de server …").
    assert_eq!(
        e.last_error.as_deref(),
        Some(meldcode::delivery::DeliveryProblem::Unreachable.code())
    );

    let sum = rt.block_on(sync::sync_once(
        &store,
        &offline,
        now + chrono::Duration::seconds(2),
        poll_interval(),
    ))?;
    assert!(sum.retrying.is_empty(), "not due yet: nothing is sent");
    let t2 = now + chrono::Duration::seconds(6);
    rt.block_on(sync::sync_once(&store, &offline, t2, poll_interval()))?;
    let e = store.outbox_entry(report.id)?.ok_or_else(|| anyhow::anyhow!("gone"))?;
    assert_eq!(e.attempts, 2);
    assert_eq!(e.next_attempt_at, Some(t2 + chrono::Duration::seconds(10)), "doubled");

    let t3 = t2 + chrono::Duration::seconds(11);
    let sum = rt.block_on(sync::sync_once(&store, &client, t3, poll_interval()))?;
    assert_eq!(sum.accepted, vec![report.id], "the same id, once the server is back");

    // A crash after the server accepted but before the device noted it: the same bytes again
    // from another copy of the outbox give 200, which counts as accepted.
    let other_dir = tempfile::tempdir()?;
    let other = Store::open_dir(other_dir.path(), false)?;
    other.enqueue(&report, now)?;
    let sum = rt.block_on(sync::sync_once(&other, &client, t3, poll_interval()))?;
    assert_eq!(sum.accepted, vec![report.id]);
    let status = server.client().status_of(
        &store.setting(masker19::store::keys::DEVICE_TOKEN)?.unwrap_or_default(),
        &report.id.to_string(),
    )?;
    assert_eq!(status.body["status"], "received");
    Ok(())
}

#[test]
fn a_4xx_is_rejected_with_the_reason_kept_and_never_retried() -> R {
    let (_s, _server, _a, store, client) = enrolled()?;
    let mut report = melding();
    if let Some(p) = report.person.as_mut() {
        p.bsn = Some("123456789".into());
    }
    let now = now_ms();
    store.enqueue(&report, now)?;
    let sum = rt()?.block_on(sync::sync_once(&store, &client, now, poll_interval()))?;
    assert_eq!(sum.rejected, vec![report.id]);
    let e = store.outbox_entry(report.id)?.ok_or_else(|| anyhow::anyhow!("gone"))?;
    assert_eq!((e.state, e.http_status), (LocalState::Rejected, Some(422)));
    let reason = e.rejection.ok_or_else(|| anyhow::anyhow!("no reason"))?;
    assert!(reason.fields.iter().any(|f| f.path == "/person/bsn"), "{reason:?}");
    let dutch: Vec<String> = reason
        .fields
        .iter()
        .map(|f| meldcode::texts::describe_error(f, meldcode::Lang::Nl))
        .collect();
    assert!(dutch.iter().any(|l| l.contains("elfproef")), "{dutch:?}");
    assert!(store.due(now + chrono::Duration::days(1))?.is_empty(), "never retried");
    assert!(store.report_json(report.id)?.is_some(), "never deleted");
    Ok(())
}

/// A one-shot HTTP server answering every request with `response`.
fn canned(response: &'static str) -> anyhow::Result<std::net::SocketAddr> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr()?;
    std::thread::spawn(move || {
        for mut stream in listener.incoming().map_while(Result::ok) {
            let _ = stream.set_read_timeout(Some(Duration::from_millis(300)));
            let mut buf = [0u8; 65536];
            let _ = stream.read(&mut buf);
            let _ = stream.write_all(response.as_bytes());
        }
    });
    Ok(addr)
}

#[test]
fn retry_after_on_429_and_503_sets_the_next_attempt() -> R {
    let dir = tempfile::tempdir()?;
    let store = Store::open_dir(dir.path(), false)?;
    let rt = rt()?;
    for (response, wait) in [
        (
            "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 120\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}",
            120,
        ),
        (
            "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 7\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}",
            7,
        ),
        (
            "HTTP/1.1 500 Internal Server Error\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}",
            5,
        ),
    ] {
        let report = melding();
        let now = now_ms();
        store.enqueue(&report, now)?;
        let addr = canned(response)?;
        let client = Client::new(ServerUrl::parse(&format!("http://{addr}"))?, "t".into())?;
        rt.block_on(sync::sync_once(&store, &client, now, poll_interval()))?;
        let e = store.outbox_entry(report.id)?.ok_or_else(|| anyhow::anyhow!("gone"))?;
        assert_eq!(e.state, LocalState::Queued, "{response}");
        assert_eq!(
            e.next_attempt_at,
            Some(now + chrono::Duration::seconds(wait)),
            "{response}"
        );
        // Out of the way for the next round.
        store.record_retry(report.id, now + chrono::Duration::days(1), "parked", None)?;
    }
    Ok(())
}

#[test]
fn a_half_finished_report_is_restored_after_a_crash() -> R {
    let dir = tempfile::tempdir()?;
    let store = Store::open_dir(dir.path(), false)?;
    let mut flow = meldcode::Flow::new(uuid::Uuid::new_v4(), Utc::now());
    flow.draft.observed = "Zebra halverwege".into();
    store.save_draft(&flow, Utc::now())?;
    // The files as they are on disk at this moment, while the store is still open: a crash.
    let crashed = tempfile::tempdir()?;
    for name in ["outbox.db", "outbox.db-wal", "outbox.key"] {
        let from = dir.path().join(name);
        if from.exists() {
            std::fs::copy(&from, crashed.path().join(name))?;
        }
    }
    let restored = Store::open_dir(crashed.path(), false)?.load_draft()?;
    assert_eq!(restored, Some(flow));
    assert!(
        files_containing(crashed.path(), b"Zebra halverwege")?.is_empty(),
        "encrypted at rest"
    );
    Ok(())
}

#[test]
fn the_outbox_does_not_open_without_its_key() -> R {
    let dir = tempfile::tempdir()?;
    Store::open_dir(dir.path(), false)?.enqueue(&melding(), Utc::now())?;
    let key = masker19::platform::key_file(dir.path());
    let saved = std::fs::read_to_string(&key)?;
    std::fs::write(&key, "0".repeat(64))?;
    assert!(matches!(Store::open_dir(dir.path(), false), Err(StoreError::WrongKey)));
    std::fs::remove_file(&key)?;
    assert!(matches!(
        Store::open_dir(dir.path(), false),
        Err(StoreError::Key(masker19::platform::KeyError::Missing))
    ));
    std::fs::write(&key, saved)?;
    // A key file is read only while its owner alone can read it (cipherdb's rule).
    #[cfg(unix)]
    std::fs::set_permissions(
        &key,
        <std::fs::Permissions as std::os::unix::fs::PermissionsExt>::from_mode(0o600),
    )?;
    assert_eq!(Store::open_dir(dir.path(), false)?.outbox()?.len(), 1);
    Ok(())
}
