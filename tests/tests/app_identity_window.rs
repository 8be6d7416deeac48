//! What the desktop shows of the app window outside it, under Xvfb: taskbars and alt-tab group
//! by the window's class and show its icon, seen by whoever stands at the counter. The class is
//! neutral ("apotheek"/"Apotheek", never the scheme's name) and the icon is the plain pharmacy
//! cross of `assets/icon/apotheek.png` (256 px), not the toolkit's default (460 px).
//!
//! Needs `DISPLAY`, `xdotool`, `xprop` and the debug app binary; bounded in time.

use std::time::{Duration, Instant};

use masker19_e2e::app::{AppRun, app_command};

/// `xprop -id W [-f PROP 32c FORMAT] PROP`.
fn xprop(window: &str, prop: &str, format: Option<&str>) -> anyhow::Result<String> {
    let mut cmd = std::process::Command::new("xprop");
    cmd.args(["-id", window]);
    if let Some(f) = format {
        cmd.args(["-f", prop, "32c", f]);
    }
    let out = cmd.arg(prop).output()?;
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn the_window_class_and_icon_are_neutral() -> anyhow::Result<()> {
    if std::env::var_os("DISPLAY").is_none() {
        anyhow::bail!("no DISPLAY: start Xvfb and export DISPLAY and WEBKIT_DISABLE_COMPOSITING_MODE=1");
    }
    let data = tempfile::tempdir()?;
    let run = AppRun::spawn(app_command(data.path())?)?;
    let start = Instant::now();
    let window = loop {
        let out = std::process::Command::new("xdotool")
            .args(["search", "--onlyvisible", "--name", "Apotheek"])
            .output()?;
        if let Some(w) = String::from_utf8_lossy(&out.stdout).lines().next() {
            break w.to_owned();
        }
        anyhow::ensure!(start.elapsed() < Duration::from_secs(60), "no window called Apotheek");
        std::thread::sleep(Duration::from_millis(200));
    };
    std::thread::sleep(Duration::from_millis(500));
    let class = xprop(&window, "WM_CLASS", None)?;
    // _NET_WM_ICON(CARDINAL) = width, height, pixels…: the first two.
    let icon = xprop(&window, "_NET_WM_ICON", Some(" = $0, $1\n"))?;
    run.kill9()?;
    println!("{}", class.trim());
    println!("{}", icon.trim());
    assert!(
        class.contains("\"apotheek\", \"Apotheek\""),
        "the window's class is neutral: {class}"
    );
    assert!(!class.to_lowercase().contains("masker"), "{class}");
    assert!(
        icon.contains("= 256, 256"),
        "the pharmacy cross (256 px), not the default icon (460 px): {icon}"
    );
    Ok(())
}
