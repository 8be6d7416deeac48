//! The runtime: opens the store, builds the first state, and runs the effects and the sync
//! worker around the views. The only place where the views meet IO.

use std::cell::RefCell;
use std::path::Path;
use std::rc::Rc;
use std::sync::Arc;

use chrono::Utc;
use dioxus::prelude::*;
use meldcode::Lang;

use crate::config::Settings;
use crate::state::{Action, AppState, Effect};
use crate::store::{DraftWriter, Store, StoreError, keys};
use crate::views::{Shell, Ui};

/// When `main` started (for the start-up probe).
pub static STARTED: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();

/// What the window starts with.
#[derive(Clone)]
pub struct Boot {
    pub store: Store,
    pub state: AppState,
}

/// Open the store in `dir` and build the first state (a draft found is restored behind the
/// neutral screen). When the store cannot be opened the window starts anyway, on a store in
/// memory, showing 112, Veilig Thuis and the reason (never no window at all: that would take
/// the numbers with it).
pub fn boot(dir: &Path, settings: Settings) -> Result<Boot, StoreError> {
    match open(dir, settings.clone()) {
        Ok(boot) => Ok(boot),
        Err(e) => {
            let store = Store::in_memory(dir)?;
            let mut state = AppState::start(None, None, None, Lang::default(), settings, Utc::now());
            state.unavailable = Some(format!("{e} ({})", dir.display()));
            Ok(Boot { store, state })
        }
    }
}

fn open(dir: &Path, settings: Settings) -> Result<Boot, StoreError> {
    let store = Store::open_dir(dir, crate::platform::keyring_enabled())?;
    let enrolled = store.setting(keys::DEVICE_TOKEN)?.is_some();
    let pharmacy = if enrolled {
        Some(store.setting(keys::PHARMACY)?.unwrap_or_default())
    } else {
        None
    };
    let lang = store
        .setting(keys::LANG)?
        .and_then(|l| Lang::from_code(&l))
        .unwrap_or_default();
    let mut state = AppState::start(
        pharmacy,
        store.setting(keys::PIN_HASH)?,
        store.load_draft()?,
        lang,
        settings,
        Utc::now(),
    );
    state.pharmacy_gemeente = store.setting(keys::PHARMACY_GEMEENTE)?;
    state.staff = crate::staff::load(&store)?;
    state.practice.history = store.practice_runs()?;
    state.device_id = store.setting(keys::DEVICE_ID)?;
    state.pin_lock = store
        .setting(keys::PIN_LOCK)?
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default();
    Ok(Boot { store, state })
}

/// Write a finished report to the outbox: [`Action::Enqueued`] once its line is durable (only
/// then does the case leave the screen), else [`Action::EnqueueFailed`] (disk full, a broken
/// file): the draft stays and the screen says it is not stored.
pub fn enqueue(store: &Store, report: &meldcode::Report, now: chrono::DateTime<Utc>) -> Action {
    match store.enqueue(report, now) {
        Ok(()) => Action::Enqueued(report.id),
        Err(_) => Action::EnqueueFailed(report.id),
    }
}

/// What carries out the effects: the store, the draft's writer thread (`None`: no thread could
/// be started, the draft is written here) and the sync worker's wake-up.
#[derive(Clone)]
struct Runtime {
    store: Store,
    drafts: Option<DraftWriter>,
    wake: Arc<tokio::sync::Notify>,
}

/// Carry out one effect; results come back as actions on `state`.
fn run_effect(effect: Effect, rt: &Runtime, mut state: Signal<AppState>) {
    let (store, wake) = (&rt.store, &rt.wake);
    let now = Utc::now();
    match effect {
        Effect::SaveDraft(flow) | Effect::SaveTyped(flow) if rt.drafts.is_none() => {
            if store.save_draft(&flow, now).is_err() {
                state.write().update(Action::SaveFailed);
            }
        }
        Effect::SaveDraft(flow) => rt.drafts.iter().for_each(|d| d.save(flow.clone(), now)),
        Effect::SaveTyped(flow) => rt.drafts.iter().for_each(|d| d.save_typed(flow.clone(), now)),
        Effect::Enqueue(report) => {
            // No older draft may be written once the outbox holds the report.
            rt.drafts.iter().for_each(DraftWriter::cancel);
            let action = enqueue(store, &report, now);
            // Sealed as soon as it is finished when the list allows; else the sync seals it.
            let _ = crate::seal::seal_pending(store, now);
            state.write().update(action);
            reload(store, state, now);
            wake.notify_one();
        }
        Effect::StorePin(pin) => match crate::pin::hash(&pin) {
            Ok(hash) if store.set_setting(keys::PIN_HASH, &hash).is_ok() => {
                state.write().update(Action::PinSaved(hash));
            }
            _ => {
                state.write().update(Action::SaveFailed);
            }
        },
        Effect::SavePinLock(lock) => {
            let saved = serde_json::to_string(&lock).map(|json| store.set_setting(keys::PIN_LOCK, &json));
            if !matches!(saved, Ok(Ok(()))) {
                state.write().update(Action::SaveFailed);
            }
        }
        Effect::SaveLang(lang) => {
            let _ = store.set_setting(keys::LANG, lang.code());
        }
        Effect::Resend(id) => {
            if store
                .resend_rejected(id, now)
                .and_then(|resent| {
                    if resent {
                        store.record_resent_event(id, now)
                    } else {
                        Ok(())
                    }
                })
                .is_err()
            {
                state.write().update(Action::SaveFailed);
            }
            reload(store, state, now);
            wake.notify_one();
        }
        Effect::SaveStaff(team) => {
            if crate::staff::save(store, &team).is_err() {
                state.write().update(Action::SaveFailed);
            }
        }
        Effect::RecordPractice(record) => {
            if store.add_practice_run(&record).is_err() {
                state.write().update(Action::SaveFailed);
            }
        }
        Effect::DiscardDraft => {
            rt.drafts.iter().for_each(DraftWriter::cancel);
            // Gone from the device: the WAL is checkpointed so no old page keeps it.
            if store.clear_draft().and_then(|()| store.checkpoint()).is_err() {
                state.write().update(Action::SaveFailed);
            }
        }
        Effect::RetryNow => {
            if store.retry_now(now).is_err() {
                state.write().update(Action::SaveFailed);
            }
            reload(store, state, now);
            wake.notify_one();
        }
        Effect::LoadHistory(id) => load_history(store, state, id),
        Effect::DeleteRejected(id) => {
            if store.delete_rejected(id).is_err() {
                state.write().update(Action::SaveFailed);
            }
            reload(store, state, now);
        }
        Effect::Enroll { server, code, pin } => {
            let store = store.clone();
            let wake = wake.clone();
            spawn(async move {
                let result = crate::sync::enroll_and_store(&store, &server, &code, Some(&pin), "apotheek-app").await;
                if let Ok(g) = store.setting(keys::PHARMACY_GEMEENTE) {
                    state.write().pharmacy_gemeente = g;
                }
                if let Ok(d) = store.setting(keys::DEVICE_ID) {
                    state.write().device_id = d;
                }
                let action = match result {
                    Ok((pharmacy, pin_hash)) => Action::Enrolled { pharmacy, pin_hash },
                    Err(e) => Action::EnrollFailed(e.to_string()),
                };
                state.write().update(action);
                wake.notify_one();
            });
        }
    }
}

/// Show the outbox as it is now (and the history of the report on screen).
fn reload(store: &Store, mut state: Signal<AppState>, now: chrono::DateTime<Utc>) {
    if let Ok(reports) = store.outbox() {
        let problem = state.read().sync_problem.clone();
        state.write().update(Action::Loaded { reports, problem, now });
    }
    let on_screen = state.read().report_on_screen();
    if let Some(id) = on_screen {
        load_history(store, state, id);
    }
}

/// Read a report's history for its page.
fn load_history(store: &Store, mut state: Signal<AppState>, id: uuid::Uuid) {
    match store.history(id) {
        Ok(items) => {
            state.write().update(Action::HistoryLoaded(id, items));
        }
        Err(_) => {
            state.write().update(Action::SaveFailed);
        }
    }
}

/// Send due reports, poll statuses, refresh the list; then wait for the next due attempt, the
/// poll interval, or a wake-up (a new report, an enrolment).
async fn sync_worker(store: Store, mut state: Signal<AppState>, wake: Arc<tokio::sync::Notify>) {
    let interval = state.read().settings.poll_interval;
    loop {
        let now = Utc::now();
        let problem = match crate::sync::client_for(&store) {
            Ok(Some(client)) => match crate::sync::sync_once(&store, &client, now, interval).await {
                Ok(sum) => sum.problem,
                Err(e) => Some(e.problem().code().to_owned()),
            },
            Ok(None) => None,
            Err(e) => Some(e.problem().code().to_owned()),
        };
        if let Ok(reports) = store.outbox() {
            state.write().update(Action::Loaded {
                reports,
                problem,
                now: Utc::now(),
            });
        }
        let on_screen = state.read().report_on_screen();
        if let Some(id) = on_screen {
            load_history(&store, state, id);
        }
        let next_due = store.next_due().ok().flatten();
        let until_due = next_due.map_or(interval, |t| t - Utc::now());
        let wait = until_due
            .min(interval)
            .to_std()
            .unwrap_or_default()
            .max(std::time::Duration::from_millis(500));
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = wake.notified() => {}
        }
    }
}

/// The root component.
#[component]
pub fn App() -> Element {
    let boot = use_context::<Boot>();
    let state = use_signal(|| boot.state.clone());
    let wake = use_hook(|| Arc::new(tokio::sync::Notify::new()));
    // A failed draft write, from the writer thread.
    let failures = use_hook(|| {
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel::<()>();
        (tx, Rc::new(RefCell::new(Some(rx))))
    });
    let rt = use_hook(|| {
        let tx = failures.0.clone();
        Runtime {
            store: boot.store.clone(),
            drafts: DraftWriter::start(boot.store.clone(), move |_| {
                let _ = tx.send(());
            })
            .ok(),
            wake: wake.clone(),
        }
    });
    use_future(move || {
        let rx = failures.1.borrow_mut().take();
        async move {
            let Some(mut rx) = rx else { return };
            let mut state = state;
            while rx.recv().await.is_some() {
                state.write().update(Action::SaveFailed);
            }
        }
    });
    let effects = use_callback(move |e: Effect| run_effect(e, &rt, state));
    let ui = use_context_provider(|| Ui {
        state,
        effects: Some(effects),
    });
    {
        let (store, wake) = (boot.store.clone(), wake.clone());
        use_future(move || sync_worker(store.clone(), state, wake.clone()));
    }
    // Escape hides at once, wherever the focus is. A field that gets the focus is never left
    // under the sticky bars (top: emergency buttons, bottom: the step's buttons).
    use_future(move || async move {
        let mut listener = document::eval(
            "document.addEventListener('keydown', (e) => {
               if (e.key === 'Escape') { dioxus.send('hide'); return; }
               // Enter confirms a step (not in a text area, not on a button or in a form, which
               // have their own Enter; never the review's \"Versturen\").
               const t = e.target;
               // On a choice, Enter chooses it as Space does; on one already chosen (and on a
               // box to tick, which Space ticks) it confirms the step.
               if (e.key === 'Enter' && !e.isComposing && t && t.closest && t.closest('.options')) {
                 const chosen = t.getAttribute('role') === 'checkbox' || t.getAttribute('aria-checked') === 'true';
                 const next = document.getElementById('btn-next');
                 if (chosen && next) { e.preventDefault(); next.click(); }
                 return;
               }
               if (e.key === 'Enter' && !e.isComposing && t && t.tagName !== 'TEXTAREA' && t.tagName !== 'BUTTON'
                   && t.tagName !== 'A' && t.tagName !== 'SELECT' && !(t.closest && t.closest('form'))) {
                 const next = document.getElementById('btn-next');
                 if (next) { e.preventDefault(); next.click(); }
               }
             });
             // Keys reach the page one by one, each after the last was handled, while a click
             // comes at once: on a busy machine a click overtakes keys still on their way. So a
             // click while a field is being typed in leaves the focus in the field (the late keys
             // still land there), and a button that leaves the step waits until the keys are in.
             // The emergency bar and its panels never wait.
             let lastKey = 0;
             const settled = new WeakSet();
             document.addEventListener('keydown', () => { lastKey = performance.now(); }, true);
             const typing = () => {
               const a = document.activeElement;
               return !!a && (a.tagName === 'TEXTAREA'
                 || (a.tagName === 'INPUT' && !['checkbox', 'radio', 'button', 'submit'].includes(a.type)));
             };
             const urgent = (b) => !!b.closest('.topbar, .panel-112');
             const quiet = () => performance.now() - lastKey > 250;
             document.addEventListener('mousedown', (e) => {
               const b = e.target.closest && e.target.closest('button, a');
               if (b && typing() && !urgent(b)) { e.preventDefault(); }
             }, true);
             document.addEventListener('click', (e) => {
               const b = e.target.closest && e.target.closest('button');
               if (!b || settled.delete(b) || !typing() || urgent(b) || b.closest('.options') || quiet()) { return; }
               e.preventDefault();
               e.stopImmediatePropagation();
               const later = () => {
                 if (!quiet()) { setTimeout(later, 30); return; }
                 settled.add(b);
                 b.click();
               };
               setTimeout(later, 30);
             }, true);
             document.addEventListener('focusin', (e) => {
               const t = e.target;
               // Only answers: a scroll under a button being pressed would lose its click.
               if (!t || !t.closest || !t.matches('input, textarea, select, [role=radio], [role=checkbox]')
                   || t.closest('.stepnav, .topbar, .actions')) { return; }
               const r = t.getBoundingClientRect();
               const bar = document.querySelector('.topbar');
               const nav = document.querySelector('.stepnav');
               const top = bar ? bar.getBoundingClientRect().bottom : 0;
               const bottom = nav ? nav.getBoundingClientRect().top : window.innerHeight;
               if (r.bottom > bottom - 8 || r.top < top + 8) { t.scrollIntoView({ block: 'center' }); }
             });
             await new Promise(() => {});",
        );
        while listener.recv::<String>().await.is_ok() {
            ui.send(Action::Hide);
        }
    });
    // `MASKER19_STARTUP_PROBE=1`: print the time from process start to the first screen in the
    // webview (for app/bench.sh; release builds too).
    use_future(|| async {
        if std::env::var_os("MASKER19_STARTUP_PROBE").is_none() {
            return;
        }
        loop {
            let shown = document::eval("return document.querySelector('#main, #neutral, #first-start') !== null;")
                .join::<bool>()
                .await;
            if shown.unwrap_or(false) {
                let ms = STARTED.get().map_or(0, |t| t.elapsed().as_millis());
                println!("first-screen ms={ms}");
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
    });
    #[cfg(any(debug_assertions, feature = "bench-driver"))]
    crate::driver::use_driver();
    rsx! { Shell {} }
}
