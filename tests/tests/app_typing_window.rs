//! Typing, then a click at once, in the real app window under Xvfb: the in-app driver's `quick`
//! scenario types the observation and the reporter's name with real X key events (10 ms per
//! key) and clicks a choice beside each 50 ms after the last key, while every core of the
//! machine is busy with a spinning load. Not one character may be lost, in the field or in the
//! draft the review shows.
//!
//! Needs `DISPLAY` and the debug app binary; bounded in time.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use masker19_e2e::app::{AppRun, app_command, demo_and_enrolled_app};

const RUN: Duration = Duration::from_secs(180);

/// Busy threads on every core until dropped: the machine the counter's computer often is.
struct Load(Arc<AtomicBool>, Vec<std::thread::JoinHandle<()>>);

impl Load {
    fn start() -> Load {
        let stop = Arc::new(AtomicBool::new(false));
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let threads = (0..cores)
            .map(|_| {
                let stop = stop.clone();
                std::thread::spawn(move || {
                    let mut x: u64 = 1;
                    while !stop.load(Ordering::Relaxed) {
                        for _ in 0..10_000 {
                            x = x.wrapping_mul(6364136223846793005).wrapping_add(1);
                        }
                        std::hint::black_box(x);
                    }
                })
            })
            .collect();
        Load(stop, threads)
    }
}

impl Drop for Load {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
        for t in self.1.drain(..) {
            let _ = t.join();
        }
    }
}

#[test]
fn no_character_is_lost_when_a_choice_is_clicked_50_ms_after_typing_on_a_loaded_machine() -> anyhow::Result<()> {
    if std::env::var_os("DISPLAY").is_none() {
        anyhow::bail!("no DISPLAY: start Xvfb and export DISPLAY and WEBKIT_DISABLE_COMPOSITING_MODE=1");
    }
    let (_sdir, _server, data) = demo_and_enrolled_app()?;
    let gap = std::env::var("MASKER19_TEST_GAP_MS").unwrap_or_else(|_| "50".into());
    let mut cmd = app_command(data.path())?;
    cmd.env("MASKER19_TEST_DRIVER", "quick")
        .env("MASKER19_TEST_GAP_MS", &gap);
    let _load = Load::start();
    let mut run = AppRun::spawn(cmd)?;
    let line = run.wait_line("QUICK gap=", RUN)?;
    run.finish(RUN)?;
    println!("{line}");
    let lost: usize = line
        .split_whitespace()
        .find_map(|w| w.strip_prefix("lost="))
        .and_then(|v| v.parse().ok())
        .unwrap_or(usize::MAX);
    assert_eq!(lost, 0, "characters lost at a {gap} ms gap under load: {line}");
    Ok(())
}
