//! Oefenmodus end to end in the real app window under Xvfb, against the real server: the in-app
//! driver's `practice` scenario (a debug-only flag) opens "Wat doe ik nu?" and the scenario
//! picker from the home screen, practises "Het vermoeden bevestigt zich niet" through the real
//! steps with the "OEFENING" banner on every screen (the neutral screen too, with its PIN), taps
//! 112 where it is not needed (the panel says what you would do and offers no number to dial),
//! and reads the feedback and the history; then this test checks on the server that the practice
//! report was counted as training uptake and reached no intake inbox. Screenshots of the picker,
//! a step and the feedback at desktop and phone size go to `target/screenshots/`.
//!
//! Needs `DISPLAY`, `xdotool` and the debug app binary; bounded in time.

use std::time::Duration;

use masker19_e2e::DEMO_PASSWORD;
use masker19_e2e::app::{AppRun, app_command, demo_and_enrolled_app, screenshots_dir};
use serde_json::Value;

type R = anyhow::Result<()>;

const RUN: Duration = Duration::from_secs(150);

fn driven(data: &std::path::Path, size: &str, prefix: &str) -> anyhow::Result<AppRun> {
    let mut cmd = app_command(data)?;
    cmd.env("MASKER19_TEST_DRIVER", "practice")
        .env("MASKER19_TEST_SHOTS", screenshots_dir()?)
        .env("MASKER19_TEST_SHOT_PREFIX", prefix)
        .env("MASKER19_WINDOW_SIZE", size);
    AppRun::spawn(cmd)
}

/// VT01's practice runs this month, as the statistics show them (`"<5"` under the disclosure
/// control), or `None` when there are none.
fn uptake(stats: &Value) -> Option<String> {
    stats["practice"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|c| c["vt_region"] == "VT01" && c["period"] == stats["to"] && c["runs"] != "0")
        .map(|c| c["runs"].to_string())
}

#[test]
fn a_practice_run_in_the_real_window_is_counted_as_uptake_and_reaches_no_inbox() -> R {
    if std::env::var_os("DISPLAY").is_none() {
        anyhow::bail!("no DISPLAY: start Xvfb and export DISPLAY and WEBKIT_DISABLE_COMPOSITING_MODE=1");
    }
    let (_sdir, server, data) = demo_and_enrolled_app()?;
    let db = server.db.clone();

    let api = server.client();
    let evaluator = api.login("evaluator", DEMO_PASSWORD)?;
    let before = api.get("/api/v1/stats?period=month", Some(&evaluator))?;
    assert_eq!(uptake(&before.body), None, "no uptake before: {}", before.body);

    // Desktop first, then phone size on the same device (its history then holds two runs).
    let mut desktop = driven(data.path(), "1024x768", "desktop")?;
    let line = desktop.wait_line("PRACTICE", RUN)?;
    desktop.finish(RUN)?;
    assert!(
        line.contains("sent=recorded"),
        "the server recorded the practice: {line}"
    );
    driven(data.path(), "390x844", "phone")?.finish(RUN)?;

    // Counted as uptake: the server keeps the two runs (and nothing else of them). This month
    // is published only 31 days after its end, so the published statistics do not change yet.
    let runs: i64 = masker19_e2e::open_store(&db)?.query_row("SELECT count(*) FROM practice_run", [], |r| r.get(0))?;
    assert_eq!(runs, 2, "both practice runs are counted as uptake");
    let after = api.get("/api/v1/stats?period=month", Some(&evaluator))?;
    assert_eq!(
        uptake(&after.body),
        None,
        "not published before the month is: {}",
        after.body
    );
    assert_eq!(before.body["totals"], after.body["totals"], "never a report count");

    let intake = api.login("intake-vt01", DEMO_PASSWORD)?;
    let list = api.get("/api/v1/intake/reports", Some(&intake))?;
    assert_eq!(
        list.body["reports"].as_array().map(Vec::len),
        Some(0),
        "no practice in an intake inbox: {}",
        list.body
    );
    Ok(())
}
