//! End to end in the real app window under Xvfb, against the real server: enroll from the
//! command line, walk every screen to a submitted melding with the in-app driver (a debug-only
//! flag), check on the server that it arrived; then kill the app in the middle of a second
//! report, start it again and find the draft restored behind the neutral screen and the PIN;
//! finally search the app's files byte by byte for the test's personal data. Screenshots go to
//! `target/screenshots/` at desktop and phone size. The observation, a name and a Dutch date
//! are typed with real key events at 10 ms per key (`xdotool`) and must arrive intact; the
//! window's title stays neutral. A second test walks the counter melding with real clicks and
//! keys only and asserts `meldcode::counter`'s targets.
//!
//! Needs `DISPLAY` (scripts/test starts Xvfb), `xdotool` and the debug app binary; bounded in
//! time.

use std::time::Duration;

use masker19_e2e::app::{AppRun, app_command, enroll_cli, files_containing, screenshots_dir};
use masker19_e2e::{DEMO_PASSWORD, TestServer, temp_db};

type R = anyhow::Result<()>;

const RUN: Duration = Duration::from_secs(150);
const PHONE: &str = "390x844";
const DESKTOP: &str = "1024x768";

/// One app window at a time: `xdotool` types into whichever window has the focus, so two
/// windows on one display would take each other's keys (cargo runs tests in parallel).
static ONE_WINDOW: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn display_ready() -> anyhow::Result<()> {
    if std::env::var_os("DISPLAY").is_none() {
        anyhow::bail!(
            "no DISPLAY: start Xvfb (scripts/test does) and export DISPLAY and WEBKIT_DISABLE_COMPOSITING_MODE=1"
        );
    }
    Ok(())
}

fn driven(data: &std::path::Path, scenario: &str, size: &str, prefix: &str, secret: &str) -> anyhow::Result<AppRun> {
    let mut cmd = app_command(data)?;
    cmd.env("MASKER19_TEST_DRIVER", scenario)
        .env("MASKER19_TEST_SHOTS", screenshots_dir()?)
        .env("MASKER19_TEST_SHOT_PREFIX", prefix)
        .env("MASKER19_TEST_SECRET", secret)
        .env("MASKER19_WINDOW_SIZE", size);
    AppRun::spawn(cmd)
}

/// The visible X windows (what a taskbar and alt-tab show) whose title contains `name`.
fn windows_named(name: &str) -> anyhow::Result<Vec<String>> {
    let out = std::process::Command::new("xdotool")
        .args(["search", "--onlyvisible", "--name", name])
        .output()?;
    Ok(String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_owned)
        .collect())
}

/// The counter's measure (`meldcode::counter`'s targets): the shortest melding for a client who
/// is alone, with a saved profile, driven by real pointer clicks and keys only (typing at 10 ms
/// per key), every interaction and character counted by the driver; then the report on the server holds what was typed.
#[test]
fn the_counter_melding_in_real_clicks_and_keys_meets_the_targets() -> R {
    let _window = ONE_WINDOW.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    display_ready()?;
    let (_sdir, db) = temp_db()?;
    let server = TestServer::start(&db, true)?;
    let data = tempfile::tempdir()?;
    let out = enroll_cli(data.path(), &server.url, &server.info["enrollment_code"])?;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let mut run = driven(data.path(), "counted", DESKTOP, "counted", "ZEBRA-DRIE")?;
    let line = run.wait_line("COUNT", RUN)?;
    run.finish(RUN)?;
    let figure = |name: &str| -> usize {
        line.split_whitespace()
            .find_map(|w| w.strip_prefix(&format!("{name}=")))
            .and_then(|v| v.parse().ok())
            .unwrap_or(usize::MAX)
    };
    let (n, typed, neutral) = (figure("interactions"), figure("typed"), figure("neutral"));
    println!("counter melding: {n} interactions, {typed} characters typed; {neutral} to the neutral screen");
    assert!(n <= meldcode::counter::MAX_INTERACTIONS, "{n} interactions");
    assert!(typed <= meldcode::counter::MAX_TYPED, "{typed} characters");
    assert!(
        neutral <= meldcode::counter::MAX_TO_NEUTRAL,
        "{neutral} to the neutral screen"
    );

    let api = server.client();
    let intake = api.login("intake-vt01", DEMO_PASSWORD)?;
    let list = api.get("/api/v1/intake/reports", Some(&intake))?;
    let id = list.body["reports"][0]["id"].as_str().unwrap_or_default().to_owned();
    let shown = api.get(&format!("/api/v1/intake/reports/{id}"), Some(&intake))?;
    let r = &shown.body["report"];
    assert_eq!(r["person"]["name"], "Test Persoon", "{r}");
    assert_eq!(r["person"]["date_of_birth"], "1988-03-15");
    assert_eq!(r["gemeente"], "GM0363", "suggested from the city");
    assert_eq!(
        r["signals"]["observed"],
        "Blauwe plek op de onderarm, schrikt van geluid"
    );
    assert_eq!(
        r["reporter"]["name"], "A. de Apotheker",
        "the saved profile, in one tap"
    );
    assert_eq!(r["safe_contact"]["voicemail_ok"], false);
    Ok(())
}

#[test]
fn the_app_window_end_to_end() -> R {
    let _window = ONE_WINDOW.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    display_ready()?;
    let (_sdir, db) = temp_db()?;
    let server = TestServer::start(&db, true)?;
    let data = tempfile::tempdir()?;

    // The contract: plain http elsewhere is refused; the enrollment exits 0.
    let refused = enroll_cli(data.path(), "http://meld.example.nl", "X")?;
    assert!(!refused.status.success(), "plain http to another host is refused");
    let out = enroll_cli(data.path(), &server.url, &server.info["enrollment_code"])?;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    // 1. Every screen to a submitted melding, in the desktop window.
    let first = "ZEBRA-EEN";
    driven(data.path(), "melding", DESKTOP, "desktop", first)?.finish(RUN)?;

    let api = server.client();
    let intake = api.login("intake-vt01", DEMO_PASSWORD)?;
    let list = api.get("/api/v1/intake/reports", Some(&intake))?;
    let reports = list.body["reports"].as_array().cloned().unwrap_or_default();
    assert_eq!(reports.len(), 1, "the melding arrived: {}", list.body);
    let id = reports[0]["id"].as_str().unwrap_or_default().to_owned();
    let shown = api.get(&format!("/api/v1/intake/reports/{id}"), Some(&intake))?;
    assert_eq!(shown.body["report"]["kind"], "melding");
    // Both typed with real key events at 10 ms per key: not one character lost.
    assert_eq!(shown.body["report"]["person"]["name"], format!("{first} Persoon"));
    assert_eq!(
        shown.body["report"]["signals"]["observed"],
        format!("Blauwe plek op de linker onderarm, zegt van de trap gevallen te zijn ({first}-OBS)")
    );
    assert_eq!(
        shown.body["report"]["person"]["date_of_birth"], "1988-03-15",
        "15-03-1988 typed the Dutch way is 15 March"
    );
    assert!(
        shown.body["report"]["acute_112_at"].is_string(),
        "the 112 call is noted"
    );

    // 2. A second report, killed half-way (phone size), restored behind the neutral screen.
    let second = "ZEBRA-TWEE";
    let mut run = driven(data.path(), "midway", PHONE, "phone", second)?;
    run.wait_line("DRIVER midway", RUN)?;
    // The window's title is neutral (taskbar, alt-tab) in the middle of a case.
    assert!(windows_named("Masker")?.is_empty(), "a window title shows the scheme");
    assert!(!windows_named("Apotheek")?.is_empty(), "the window is called Apotheek");
    run.kill9()?;
    driven(data.path(), "restored", PHONE, "phone", second)?.finish(RUN)?;

    // 3. No personal data of the test in any file of the app, byte for byte.
    for needle in [first, second, "Persoon", "0612345678"] {
        let found = files_containing(data.path(), needle.as_bytes())?;
        assert!(found.is_empty(), "{needle} found in {found:?}");
    }
    Ok(())
}
