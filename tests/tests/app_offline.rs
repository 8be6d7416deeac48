//! 100 reports queued in the app while the server is away, across app restarts, are all
//! delivered exactly once when the server comes back.

use std::collections::HashSet;

use chrono::{Duration, Utc};
use masker19::store::{LocalState, Store};
use masker19::sync;
use masker19_e2e::{TestServer, temp_db};
use meldcode::Kind;

#[test]
fn a_hundred_reports_queued_offline_across_restarts_arrive_exactly_once() -> anyhow::Result<()> {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let (_sdir, db) = temp_db()?;
    let server = TestServer::start(&db, true)?;
    let listen = server.url.trim_start_matches("http://").to_owned();
    let adir = tempfile::tempdir()?;
    let store = Store::open_dir(adir.path(), false)?;
    let code = server.info["enrollment_code"].clone();
    rt.block_on(sync::enroll_and_store(
        &store,
        &server.url,
        &code,
        Some("1919"),
        "balie",
    ))?;
    drop(store);
    server.kill9()?; // the server is away from now on

    let mut ids = Vec::new();
    let mut now = Utc::now();
    for restart in 0..4 {
        // Each round is a fresh start of the app: the store is opened again from its files.
        let store = Store::open_dir(adir.path(), false)?;
        let client = sync::client_for(&store)?.ok_or_else(|| anyhow::anyhow!("not enrolled"))?;
        assert_eq!(store.outbox()?.len(), ids.len(), "restart {restart}: nothing lost");
        for i in 0..25 {
            let kind = Kind::ALL[(restart * 25 + i) % 4];
            let report = meldcode::examples::example(kind, uuid::Uuid::new_v4(), now);
            store.enqueue(&report, now)?;
            ids.push(report.id);
        }
        // Trying while offline: every one stays queued.
        let sum = rt.block_on(sync::sync_once(&store, &client, now, Duration::seconds(30)))?;
        assert!(sum.accepted.is_empty() && sum.problem.is_some());
        assert!(store.outbox()?.iter().all(|e| e.state == LocalState::Queued));
        now += Duration::minutes(1);
    }

    // The server comes back on the same address; the app (restarted once more) drains its queue.
    let back = TestServer::start_at(&db, &listen, true, &[])?;
    let store = Store::open_dir(adir.path(), false)?;
    let client = sync::client_for(&store)?.ok_or_else(|| anyhow::anyhow!("not enrolled"))?;
    let mut accepted = HashSet::new();
    for _ in 0..20 {
        now += Duration::hours(1); // past any backoff
        let sum = rt.block_on(sync::sync_once(&store, &client, now, Duration::seconds(30)))?;
        accepted.extend(sum.accepted);
        if accepted.len() == ids.len() {
            break;
        }
    }
    assert_eq!(accepted.len(), 100, "every queued report accepted");
    assert!(store.outbox()?.iter().all(|e| e.state != LocalState::Queued));

    // Exactly once on the server: 100 reports from this pharmacy, each with its status.
    let conn = masker19_e2e::open_store(&db)?;
    let stored: i64 = conn.query_row("SELECT count(*) FROM report WHERE synthetic = 0", [], |r| r.get(0))?;
    assert_eq!(stored, 100);
    let token = store.setting("device_token")?.unwrap_or_default();
    let api = back.client();
    for id in &ids {
        let s = api.status_of(&token, &id.to_string())?;
        assert_eq!(s.status, 200, "{id}");
    }
    Ok(())
}
