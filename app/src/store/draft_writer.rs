//! The draft is written on its own thread, never on the window's: an SQLCipher write with
//! `synchronous=FULL` takes milliseconds to tens of milliseconds on a busy machine, and while
//! the window's thread waits, the webview hands it no further keys — a click then overtakes
//! the keys still queued and they land beside the field.
//!
//! A change made by typing is written once the typing pauses ([`TYPING_PAUSE`]), and never later
//! than [`TYPING_AT_MOST`] after the first unsaved key, so a half-done report survives a crash
//! with at most that much typing lost. Any other change (a choice, a step, 112, hiding) is written
//! at once, with everything typed before it. [`DraftWriter::cancel`] drops what is not written
//! and waits for a write under way: call it before the draft is removed (a report written to
//! the outbox, a draft discarded), so that no older draft is written after.

use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use meldcode::Flow;

use super::{Store, StoreError};

/// Quiet after the last key before the draft is written.
pub const TYPING_PAUSE: Duration = Duration::from_millis(400);
/// The longest a typed change waits while the typing goes on.
pub const TYPING_AT_MOST: Duration = Duration::from_millis(1500);

#[derive(Default)]
struct Pending {
    flow: Option<(Box<Flow>, DateTime<Utc>)>,
    /// When the pending draft is written.
    due: Option<Instant>,
    /// The first change not yet written.
    since: Option<Instant>,
}

struct Inner {
    store: Store,
    pending: Mutex<Pending>,
    changed: Condvar,
    /// Held while a draft is written.
    writing: Mutex<()>,
}

/// The draft's writer thread; cheap to clone.
#[derive(Clone)]
pub struct DraftWriter {
    inner: Arc<Inner>,
}

fn locked<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl DraftWriter {
    /// Start the writer thread; `failed` is called (on that thread) when a write fails.
    pub fn start(store: Store, failed: impl Fn(StoreError) + Send + 'static) -> std::io::Result<DraftWriter> {
        let inner = Arc::new(Inner {
            store,
            pending: Mutex::new(Pending::default()),
            changed: Condvar::new(),
            writing: Mutex::new(()),
        });
        let worker = inner.clone();
        std::thread::Builder::new()
            .name("draft-writer".into())
            .spawn(move || worker.run(failed))?;
        Ok(DraftWriter { inner })
    }

    /// Write `flow` at once (before anything typed after it).
    pub fn save(&self, flow: Box<Flow>, now: DateTime<Utc>) {
        self.put(flow, now, true);
    }

    /// Write `flow` once the typing pauses.
    pub fn save_typed(&self, flow: Box<Flow>, now: DateTime<Utc>) {
        self.put(flow, now, false);
    }

    fn put(&self, flow: Box<Flow>, now: DateTime<Utc>, at_once: bool) {
        let t = Instant::now();
        let mut p = locked(&self.inner.pending);
        let since = *p.since.get_or_insert(t);
        p.flow = Some((flow, now));
        p.due = Some(if at_once {
            t
        } else {
            (t + TYPING_PAUSE).min(since + TYPING_AT_MOST)
        });
        drop(p);
        self.inner.changed.notify_one();
    }

    /// Drop what is not written yet and wait for a write under way.
    pub fn cancel(&self) {
        *locked(&self.inner.pending) = Pending::default();
        drop(locked(&self.inner.writing));
    }

    /// Write what is pending now, on this thread (tests; the end of the program).
    pub fn flush(&self) -> Result<(), StoreError> {
        let _w = locked(&self.inner.writing);
        let taken = std::mem::take(&mut *locked(&self.inner.pending));
        match taken.flow {
            Some((flow, now)) => self.inner.store.save_draft(&flow, now),
            None => Ok(()),
        }
    }

    /// Nothing waits to be written.
    pub fn is_idle(&self) -> bool {
        let _w = locked(&self.inner.writing);
        locked(&self.inner.pending).flow.is_none()
    }
}

impl Inner {
    fn run(&self, failed: impl Fn(StoreError)) {
        loop {
            // Wait until a draft is due.
            let mut p = locked(&self.pending);
            loop {
                match p.due {
                    None => p = self.changed.wait(p).unwrap_or_else(|e| e.into_inner()),
                    Some(due) => {
                        let now = Instant::now();
                        if due <= now {
                            break;
                        }
                        p = self
                            .changed
                            .wait_timeout(p, due - now)
                            .unwrap_or_else(|e| e.into_inner())
                            .0;
                    }
                }
            }
            drop(p);
            // Take it while holding `writing`: `cancel` then waits for this write to end.
            let _w = locked(&self.writing);
            let taken = {
                let mut p = locked(&self.pending);
                if p.due.is_some_and(|d| d <= Instant::now()) {
                    std::mem::take(&mut *p).flow
                } else {
                    None
                }
            };
            if let Some((flow, now)) = taken
                && let Err(e) = self.store.save_draft(&flow, now)
            {
                failed(e);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flow(observed: &str) -> Box<Flow> {
        let mut f = meldcode::counter::start(uuid::Uuid::new_v4(), Utc::now());
        f.draft.observed = observed.into();
        Box::new(f)
    }

    fn wait_idle(w: &DraftWriter) {
        let start = Instant::now();
        while !w.is_idle() {
            assert!(start.elapsed() < Duration::from_secs(5), "never written");
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    #[test]
    fn typing_is_written_once_it_pauses_and_a_choice_at_once() -> Result<(), StoreError> {
        let dir = tempfile::tempdir()?;
        let store = Store::open_dir(dir.path(), false)?;
        let w = DraftWriter::start(store.clone(), |e| panic!("{e}"))?;
        w.save_typed(flow("Blauwe"), Utc::now());
        std::thread::sleep(TYPING_PAUSE / 4);
        assert!(store.load_draft()?.is_none(), "not while the keys come");
        w.save_typed(flow("Blauwe plek"), Utc::now());
        wait_idle(&w);
        assert_eq!(
            store.load_draft()?.map(|f| f.draft.observed).as_deref(),
            Some("Blauwe plek")
        );
        w.save(flow("Blauwe plek in de hals"), Utc::now());
        std::thread::sleep(Duration::from_millis(100));
        assert!(w.is_idle(), "a choice is written at once");
        assert_eq!(
            store.load_draft()?.map(|f| f.draft.observed).as_deref(),
            Some("Blauwe plek in de hals")
        );
        Ok(())
    }

    #[test]
    fn typing_that_goes_on_is_written_within_the_limit() -> Result<(), StoreError> {
        let dir = tempfile::tempdir()?;
        let store = Store::open_dir(dir.path(), false)?;
        let w = DraftWriter::start(store.clone(), |e| panic!("{e}"))?;
        let start = Instant::now();
        let mut typed = String::new();
        while store.load_draft()?.is_none() {
            assert!(
                start.elapsed() < TYPING_AT_MOST + Duration::from_millis(500),
                "never written while typing"
            );
            typed.push('x');
            w.save_typed(flow(&typed), Utc::now());
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(())
    }

    #[test]
    fn a_cancelled_draft_is_never_written_after_the_draft_is_removed() -> Result<(), StoreError> {
        let dir = tempfile::tempdir()?;
        let store = Store::open_dir(dir.path(), false)?;
        let w = DraftWriter::start(store.clone(), |e| panic!("{e}"))?;
        for i in 0..50 {
            w.save(flow(&format!("poging {i}")), Utc::now());
            w.save_typed(flow("getypt"), Utc::now());
            w.cancel();
            store.clear_draft()?;
            std::thread::sleep(Duration::from_millis(2));
            assert!(store.load_draft()?.is_none(), "an old draft came back ({i})");
        }
        std::thread::sleep(TYPING_AT_MOST);
        assert!(store.load_draft()?.is_none(), "an old draft came back later");
        Ok(())
    }
}
