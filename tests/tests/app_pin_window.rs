//! The PIN rules in the real app window under Xvfb, against the real server: the in-app
//! driver's `pin` scenario (debug builds) on a device enrolled without a PIN. "Masker 19" asks
//! for a PIN and starts no case; after the PIN is set, five wrong PINs at the neutral screen make
//! the next try wait, the right PIN does not open the screen during the wait, and the unlock after
//! it names the wrong attempts. Screenshots go to `target/screenshots/pin-*.png`.
//!
//! Needs `DISPLAY` and the debug app binary; bounded in time (the wait itself is 30 s).

use std::time::Duration;

use masker19_e2e::app::{AppRun, app_command, demo_and_enrolled_app, screenshots_dir};

const RUN: Duration = Duration::from_secs(150);

#[test]
fn no_pin_no_case_and_wrong_pins_wait_and_are_told_in_the_real_window() -> anyhow::Result<()> {
    if std::env::var_os("DISPLAY").is_none() {
        anyhow::bail!("no DISPLAY: start Xvfb and export DISPLAY and WEBKIT_DISABLE_COMPOSITING_MODE=1");
    }
    // Enrolled without --pin.
    let (_sdir, _server, data) = demo_and_enrolled_app()?;

    let mut cmd = app_command(data.path())?;
    cmd.env("MASKER19_TEST_DRIVER", "pin")
        .env("MASKER19_TEST_SHOTS", screenshots_dir()?)
        .env("MASKER19_TEST_SHOT_PREFIX", "pin");
    let mut run = AppRun::spawn(cmd)?;
    let line = run.wait_line("PIN wait=", RUN)?;
    run.finish(RUN)?;
    println!("{line}");
    assert!(
        line.contains("Te vaak een onjuiste code. Probeer het over"),
        "the fifth wrong PIN makes the next try wait: {line}"
    );
    assert!(
        line.contains("5 mislukte pogingen om het scherm te openen, laatste om"),
        "the unlock names the five wrong PINs: {line}"
    );
    Ok(())
}
