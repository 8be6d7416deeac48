//! The service manager's side of a `Type=notify` service (systemd): `READY=1` once the server
//! listens, and `WATCHDOG=1` from a periodic task for as long as the store answers and the
//! forwarder's loop goes round, so that a server that hangs is restarted. Without
//! `NOTIFY_SOCKET` (not started by a service manager) nothing is sent.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use chrono::Utc;
use sd_notify::NotifyState;

use crate::store::Store;

/// The forwarder counts as running when its loop went round within this many seconds (it
/// wakes at least every second).
const FORWARDER_STALE_SECS: i64 = 30;

/// Tell the service manager that the server listens and serves.
pub fn ready() {
    if let Err(e) = sd_notify::notify(&[NotifyState::Ready]) {
        tracing::warn!(error = %e, "could not tell the service manager READY=1");
    }
}

/// When the service manager watches this process (`WatchdogSec=`), send `WATCHDOG=1` at half
/// that interval while the server is alive; a server that stops answering is restarted.
pub fn spawn_watchdog(store: Store, forwarder_heartbeat: Arc<AtomicI64>) {
    let Some(interval) = sd_notify::watchdog_enabled() else {
        return;
    };
    let every = (interval / 2).max(Duration::from_millis(100));
    tokio::spawn(async move {
        let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
        loop {
            tick.tick().await;
            if alive(&store, &forwarder_heartbeat, every).await {
                if let Err(e) = sd_notify::notify(&[NotifyState::Watchdog]) {
                    tracing::warn!(error = %e, "could not send WATCHDOG=1");
                }
            } else {
                tracing::error!("the store or the forwarder does not answer: WATCHDOG=1 withheld");
            }
        }
    });
}

/// The store answers a read within `within`, and the forwarder's loop went round lately.
async fn alive(store: &Store, forwarder_heartbeat: &AtomicI64, within: Duration) -> bool {
    let read = store.read(|c| Ok(c.query_row("SELECT 1", [], |_| Ok(()))?));
    let store_ok = matches!(tokio::time::timeout(within, read).await, Ok(Ok(())));
    let beat = forwarder_heartbeat.load(Ordering::Relaxed);
    store_ok && Utc::now().timestamp() - beat <= FORWARDER_STALE_SECS
}
