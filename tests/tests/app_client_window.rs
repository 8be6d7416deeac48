//! The client's screen, the report page and the 112 panel in the real app window under Xvfb,
//! against the real server: the in-app driver's `client` scenario (debug builds) at desktop
//! (1024x768) and phone (390x844) size. It turns the screen to the client (Arabic right to left,
//! Dutch, Turkish), goes back in one tap, hides with Escape from it, sends the melding, opens
//! the report page with the server's history and finds "Dit apparaat"; then it opens the 112
//! panel over a step and prints where the step's heading is. At 1024x768 the heading must stay
//! clear of the sticky step buttons. The client's screen fits 1024x768 (nothing under a bar,
//! "Verbergen" in sight) and another language is one tap. Screenshots go to
//! `target/screenshots/client-*.png`.
//!
//! Needs `DISPLAY` (scripts/test starts Xvfb) and the debug app binary; bounded in time.

use std::time::Duration;

use masker19_e2e::app::{AppRun, app_command, demo_and_enrolled_app, files_containing, screenshots_dir};

type R = anyhow::Result<()>;

const RUN: Duration = Duration::from_secs(150);

/// Where the step's heading was with the 112 panel open: `(top, bottom, nav_top, height, seen)`
/// (`seen`: the point in the heading's middle shows the heading, nothing over it).
fn heading(line: &str) -> (i64, i64, i64, i64, i64) {
    let figure = |name: &str| -> i64 {
        line.split_whitespace()
            .find_map(|w| w.strip_prefix(&format!("{name}=")))
            .and_then(|v| v.parse().ok())
            .unwrap_or(i64::MIN)
    };
    (
        figure("top"),
        figure("bottom"),
        figure("nav_top"),
        figure("height"),
        figure("seen"),
    )
}

fn client_scenario(size: &str, prefix: &str) -> anyhow::Result<Vec<String>> {
    let (_sdir, _server, data) = demo_and_enrolled_app()?;

    let mut cmd = app_command(data.path())?;
    cmd.env("MASKER19_TEST_DRIVER", "client")
        .env("MASKER19_TEST_SHOTS", screenshots_dir()?)
        .env("MASKER19_TEST_SHOT_PREFIX", prefix)
        .env("MASKER19_WINDOW_SIZE", size);
    let mut run = AppRun::spawn(cmd)?;
    let lines = vec![
        run.wait_line("CLIENTFIT", RUN)?,
        run.wait_line("CLIENTSWITCH", RUN)?,
        run.wait_line("HEADING112 state=ask", RUN)?,
        run.wait_line("HEADING112 state=called", RUN)?,
    ];
    run.finish(RUN)?;
    for line in &lines {
        println!("{size}: {line}");
    }

    // The safe number and the name were on screen, never in a file of the app.
    for needle in ["06-12345678", "Zebra Cliënt"] {
        let found = files_containing(data.path(), needle.as_bytes())?;
        assert!(found.is_empty(), "{needle} found in {found:?}");
    }
    Ok(lines)
}

#[test]
fn the_client_screen_and_the_report_page_in_the_real_window() -> R {
    if std::env::var_os("DISPLAY").is_none() {
        anyhow::bail!(
            "no DISPLAY: start Xvfb (scripts/test does) and export DISPLAY and WEBKIT_DISABLE_COMPOSITING_MODE=1"
        );
    }
    // One window at a time (xdotool and screenshots take the whole display).
    for (size, prefix, height) in [("1024x768", "client-desktop", 768), ("390x844", "client-phone", 844)] {
        let lines = client_scenario(size, prefix)?;
        let (fit, switch) = (&lines[0], &lines[1]);
        assert!(
            fit.contains("covered=0") && fit.contains("hide_seen=1"),
            "{size}: the client's last line is clear of the way back and \"Verbergen\" in sight: {fit}"
        );
        if height == 768 {
            assert!(
                fit.contains("fits=1"),
                "{size}: the client's screen fits the window: {fit}"
            );
        }
        assert!(
            switch.contains("taps=1"),
            "{size}: another language is one tap: {switch}"
        );
        for line in &lines[2..] {
            let (top, bottom, nav_top, h, seen) = heading(line);
            assert_eq!(h, height, "{size}: the window's height");
            assert!(
                seen == 1 && top >= 0 && bottom <= nav_top,
                "{size}: with the 112 panel open the step's heading ({top}..{bottom}) must be visible, \
                 clear of the sticky step buttons (from {nav_top}): {line}"
            );
        }
    }
    Ok(())
}
