//! A report's history on the device (its report page) filled by the real sync against the real
//! server binary: two attempts while the server cannot be reached, each with its problem; then
//! accepted, with the server's own history; polled again, nothing twice.

use chrono::Utc;
use masker19::config::ServerUrl;
use masker19::store::{HistoryEvent, Store};
use masker19::sync::{self, Client};
use masker19_e2e::{TestServer, temp_db};
use meldcode::delivery::DeliveryProblem;
use meldcode::{Kind, Status};

type R = anyhow::Result<()>;

#[test]
fn failed_attempts_acceptance_and_the_server_s_statuses_are_kept_once() -> R {
    let (_sdir, db) = temp_db()?;
    let server = TestServer::start(&db, true)?;
    let adir = tempfile::tempdir()?;
    let store = Store::open_dir(adir.path(), false)?;
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let code = server.info["enrollment_code"].clone();
    rt.block_on(sync::enroll_and_store(&store, &server.url, &code, None, "test"))?;
    let client = sync::client_for(&store)?.ok_or_else(|| anyhow::anyhow!("not enrolled"))?;

    let now = Utc::now() - chrono::Duration::minutes(5);
    let report = meldcode::examples::example(Kind::Melding, uuid::Uuid::new_v4(), now);
    store.enqueue(&report, now)?;
    // A port where nothing listens.
    let dead = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?;
    let token = store.setting(masker19::store::keys::DEVICE_TOKEN)?.unwrap_or_default();
    let offline = Client::new(ServerUrl::parse(&format!("http://{dead}"))?, token)?;
    let poll = chrono::Duration::seconds(0);
    rt.block_on(sync::sync_once(&store, &offline, now, poll))?;
    rt.block_on(sync::sync_once(
        &store,
        &offline,
        now + chrono::Duration::seconds(6),
        poll,
    ))?;
    let later = now + chrono::Duration::seconds(20);
    rt.block_on(sync::sync_once(&store, &client, later, poll))?;
    // Polled twice more: the server's history comes back each time, kept once.
    rt.block_on(sync::sync_once(
        &store,
        &client,
        later + chrono::Duration::seconds(1),
        poll,
    ))?;
    rt.block_on(sync::sync_once(
        &store,
        &client,
        later + chrono::Duration::seconds(2),
        poll,
    ))?;

    let events: Vec<HistoryEvent> = store.history(report.id)?.into_iter().map(|i| i.event).collect();
    let failed = HistoryEvent::AttemptFailed {
        problem: DeliveryProblem::Unreachable,
        http_status: None,
    };
    assert_eq!(events.iter().filter(|e| **e == failed).count(), 2, "{events:?}");
    assert_eq!(
        events.iter().filter(|e| **e == HistoryEvent::Accepted).count(),
        1,
        "{events:?}"
    );
    assert_eq!(
        events
            .iter()
            .filter(|e| **e == HistoryEvent::Server(Status::Received))
            .count(),
        1,
        "the server's 'received' once, however often polled: {events:?}"
    );
    assert_eq!(events.first(), Some(&HistoryEvent::Created));
    Ok(())
}
