//! A store that cannot be opened (a locked or unreachable keyring holds the key of an outbox that
//! exists) does not stop the app: the window starts anyway, with 112, Veilig Thuis 0800-2000
//! and the reason on screen, and nothing that could take a case. In the real window under Xvfb
//! (the in-app driver's `unavailable` scenario).
//!
//! Needs `DISPLAY` and the debug app binary; bounded in time.

use std::time::Duration;

use masker19_e2e::app::{AppRun, app_command};

const RUN: Duration = Duration::from_secs(90);

#[test]
fn without_its_key_the_app_still_starts_with_112_and_veilig_thuis_and_the_reason() -> anyhow::Result<()> {
    if std::env::var_os("DISPLAY").is_none() {
        anyhow::bail!("no DISPLAY: start Xvfb and export DISPLAY and WEBKIT_DISABLE_COMPOSITING_MODE=1");
    }
    // An outbox whose key is elsewhere (in a keyring that does not answer): no key file, no keyring.
    let data = tempfile::tempdir()?;
    std::fs::write(data.path().join("outbox.db"), vec![0x5a; 4096])?;
    let mut cmd = app_command(data.path())?;
    cmd.env("MASKER19_TEST_DRIVER", "unavailable");
    let mut run = AppRun::spawn(cmd)?;
    let line = run.wait_line("UNAVAILABLE", RUN)?;
    run.finish(RUN)?;
    println!("{line}");
    assert!(line.contains("112") && line.contains("0800-2000"), "{line}");
    assert!(
        line.contains("Waarom: the outbox exists but its key is missing"),
        "the reason: {line}"
    );
    assert!(!line.contains("Masker"), "nothing names the scheme: {line}");
    Ok(())
}
