//! The real app window under Xvfb, with real X keys and clicks (the in-app driver's `steady`
//! scenario): Enter on a choice reached with Tab chooses it, and on a chosen one confirms the step; "Ja, begeleid" puts up the neutral
//! screen in that one tap; the 112 panel's buttons do not move when "Ongedaan maken" expires
//! (a late tap would land on another button).
//!
//! Needs `DISPLAY` and the debug app binary; bounded in time (the undo itself lasts 10 s).

use std::time::Duration;

use masker19_e2e::app::{AppRun, app_command, demo_and_enrolled_app};

const RUN: Duration = Duration::from_secs(150);

#[test]
fn enter_chooses_accompanied_hides_in_one_tap_and_the_112_buttons_stay_put() -> anyhow::Result<()> {
    if std::env::var_os("DISPLAY").is_none() {
        anyhow::bail!("no DISPLAY: start Xvfb and export DISPLAY and WEBKIT_DISABLE_COMPOSITING_MODE=1");
    }
    let (_sdir, _server, data) = demo_and_enrolled_app()?;
    let mut cmd = app_command(data.path())?;
    cmd.env("MASKER19_TEST_DRIVER", "steady");
    let mut run = AppRun::spawn(cmd)?;
    let line = run.wait_line("STEADY ", RUN)?;
    run.finish(RUN)?;
    println!("{line}");
    let field = |name: &str| {
        line.split_whitespace()
            .find_map(|w| w.strip_prefix(&format!("{name}=")))
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(field("enter"), "true", "Enter on a focused choice chooses it: {line}");
    assert_eq!(
        field("confirmed"),
        "true",
        "Enter on a chosen choice confirms the step: {line}"
    );
    assert_eq!(
        field("accompanied"),
        "true",
        "\"Ja, begeleid\" puts up the neutral screen in one tap: {line}"
    );
    assert_eq!(field("moved"), "0", "the 112 panel's buttons stay put: {line}");
    Ok(())
}
