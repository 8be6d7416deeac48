//! `masker19`: the pharmacy app. `masker19 --server URL --enroll CODE` enrolls and exits;
//! `masker19 --sync` sends what is queued and exits; `masker19` opens the window (desktop, or
//! through Dioxus mobile with `--features mobile`).
//!
//! On Windows it is a GUI program (no console window beside the app); the command line answers on
//! the console it was started from, and by its exit code, never in a dialog.
#![cfg_attr(windows, windows_subsystem = "windows")]

use anyhow::Context;
use masker19::cli::{self, Command};
use masker19::config::Settings;

fn main() {
    let _ = masker19::app::STARTED.set(std::time::Instant::now());
    #[cfg(windows)]
    masker19::windows::attach_parent_console();
    match run() {
        Ok(code) => std::process::exit(code),
        Err(e) => {
            eprintln!("masker19: {e:#}");
            std::process::exit(1);
        }
    }
}

/// Runs the command; the exit code when it finished.
fn run() -> anyhow::Result<i32> {
    let command = cli::parse(std::env::args().skip(1)).map_err(|e| anyhow::anyhow!("{e}\n\n{}", cli::USAGE))?;
    if cfg!(not(any(debug_assertions, feature = "bench-driver"))) && std::env::var_os("MASKER19_TEST_DRIVER").is_some()
    {
        anyhow::bail!("MASKER19_TEST_DRIVER: the test driver exists only in debug builds");
    }
    let dir = masker19::platform::data_dir()?;
    match command {
        Command::Help => {
            print!("{}", cli::USAGE);
            Ok(0)
        }
        Command::Enroll {
            server,
            code,
            pin,
            device_name,
            scheme_key,
        } => {
            // A wrong scheme key is refused before the one-time code is used up.
            if let Some(key) = &scheme_key {
                masker19_seal::scheme_public_key(key).context("--scheme-key is not a minisign public key (RW…)")?;
            }
            let store = masker19::store::Store::open_dir(&dir, masker19::platform::keyring_enabled())
                .with_context(|| format!("opening the local store in {}", dir.display()))?;
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
            let (pharmacy, _) = rt
                .block_on(masker19::sync::enroll_and_store(
                    &store,
                    &server,
                    &code,
                    pin.as_deref(),
                    &device_name,
                ))
                .context("enrolling failed")?;
            if let Some(key) = &scheme_key {
                masker19::seal::pin_scheme_key(&store, key).context("pinning the scheme key")?;
            }
            println!("enrolled={pharmacy}");
            Ok(0)
        }
        Command::Sync => {
            let store = masker19::store::Store::open_dir(&dir, masker19::platform::keyring_enabled())
                .with_context(|| format!("opening the local store in {}", dir.display()))?;
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
            let poll = Settings::from_env().poll_interval;
            let sent = rt.block_on(masker19::sync::send_now(&store, chrono::Utc::now(), poll))?;
            println!("{}", sent.line());
            match sent.waiting_message() {
                None => Ok(0),
                Some(why) => {
                    eprintln!("masker19: {why}");
                    Ok(1)
                }
            }
        }
        Command::Run => {
            let boot = masker19::app::boot(&dir, Settings::from_env())
                .with_context(|| format!("opening the local store in {}", dir.display()))?;
            launch(boot);
            Ok(0)
        }
    }
}

/// `MASKER19_WINDOW_SIZE=390x844` opens a phone-sized window (default 1024×768).
fn window_size() -> (f64, f64) {
    std::env::var("MASKER19_WINDOW_SIZE")
        .ok()
        .and_then(|v| {
            let (w, h) = v.split_once('x')?;
            Some((w.trim().parse().ok()?, h.trim().parse().ok()?))
        })
        .unwrap_or((1024.0, 768.0))
}

#[cfg(feature = "desktop")]
fn launch(boot: masker19::app::Boot) {
    use dioxus::desktop::{Config, LogicalPosition, LogicalSize, WindowBuilder};
    let (w, h) = window_size();
    let webview_dir = boot.store.path().with_file_name("webview");
    // Neutral at all times: the taskbar and alt-tab are seen by whoever stands at the counter
    // (the title, the window's class, the icon).
    masker19::platform::name_window_class();
    let icon = masker19::platform::window_icon()
        .and_then(|(rgba, w, h)| dioxus::desktop::tao::window::Icon::from_rgba(rgba, w, h).ok());
    let window = WindowBuilder::new()
        .with_window_icon(icon)
        .with_title(masker19::texts::WINDOW_TITLE)
        .with_inner_size(LogicalSize::new(w, h))
        .with_position(LogicalPosition::new(0.0, 0.0))
        .with_always_on_top(false);
    let config = Config::new()
        .with_window(window)
        .with_menu(None)
        .with_data_directory(webview_dir)
        .with_disable_context_menu(true);
    dioxus::LaunchBuilder::desktop()
        .with_cfg(config)
        .with_context(boot)
        .launch(masker19::app::App);
}

#[cfg(all(feature = "mobile", not(feature = "desktop")))]
fn launch(boot: masker19::app::Boot) {
    let _ = window_size();
    dioxus::LaunchBuilder::mobile()
        .with_context(boot)
        .launch(masker19::app::App);
}

#[cfg(not(any(feature = "desktop", feature = "mobile")))]
fn launch(_boot: masker19::app::Boot) {
    eprintln!("masker19: built without a window (enable the `desktop` or `mobile` feature)");
}
