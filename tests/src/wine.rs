//! Running the Windows build under Wine (Debian's `wine64`) for the Windows smoke test: a fresh
//! prefix in a temporary directory, no display, each program bounded in time.
//!
//! Wine 8 has no `bcryptprimitives.dll`, whose `ProcessPrng` Rust's standard library imports, so
//! every Rust program would exit at once. The prefix gets a stand-in built here from
//! `tests/windows/processprng.c` with mingw; it lives only in the test's prefix and is never part
//! of the installer.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use anyhow::{Context, bail, ensure};

pub const WINE: &str = "/usr/lib/wine/wine64";
pub const WINESERVER: &str = "/usr/lib/wine/wineserver";
pub const MINGW_GCC: &str = "x86_64-w64-mingw32-gcc";
pub const MINGW_OBJDUMP: &str = "x86_64-w64-mingw32-objdump";

/// The Windows artifacts of a build: `MASKER19_WINDOWS_INSTALLER` and
/// `MASKER19_WINDOWS_QUEUE_HELPER`, else where `scripts/package-windows` and
/// `cargo build --release --target x86_64-pc-windows-gnu -p masker19 --example queue-test-report`
/// put them in the target directory.
pub fn artifacts() -> anyhow::Result<(PathBuf, PathBuf)> {
    let target = crate::server_bin()
        .parent()
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .context("no target directory")?;
    let installer = match std::env::var_os("MASKER19_WINDOWS_INSTALLER") {
        Some(p) => PathBuf::from(p),
        None => newest(&target.join("windows"), "-setup.exe")?,
    };
    let helper = std::env::var_os("MASKER19_WINDOWS_QUEUE_HELPER").map_or_else(
        || target.join("x86_64-pc-windows-gnu/release/examples/queue-test-report.exe"),
        PathBuf::from,
    );
    for p in [&installer, &helper] {
        ensure!(
            p.is_file(),
            "{} is missing: build the Windows app first (scripts/package-windows, and \
             cargo build --release --target x86_64-pc-windows-gnu -p masker19 --example queue-test-report)",
            p.display()
        );
    }
    Ok((installer, helper))
}

fn newest(dir: &Path, suffix: &str) -> anyhow::Result<PathBuf> {
    let mut found: Vec<(std::time::SystemTime, PathBuf)> = Vec::new();
    for e in std::fs::read_dir(dir).with_context(|| format!("{} (run scripts/package-windows)", dir.display()))? {
        let p = e?.path();
        if p.to_string_lossy().ends_with(suffix) {
            found.push((p.metadata()?.modified()?, p));
        }
    }
    found.sort();
    found
        .pop()
        .map(|(_, p)| p)
        .context(format!("no *{suffix} in {}", dir.display()))
}

/// A fresh Wine prefix; its wineserver (and every program in it) is ended when dropped.
pub struct Prefix {
    dir: tempfile::TempDir,
}

impl Prefix {
    /// `wineboot -i` in a new temporary prefix, then the `ProcessPrng` stand-in in its system32.
    pub fn new() -> anyhow::Result<Prefix> {
        let prefix = Prefix {
            dir: tempfile::tempdir()?,
        };
        let boot = prefix.run(&["wineboot", "-i"], &[], Duration::from_secs(240))?;
        ensure!(
            boot.status.success(),
            "wineboot: {}",
            String::from_utf8_lossy(&boot.stderr)
        );
        prefix.wait()?;
        let shim_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("windows");
        let out = Command::new(MINGW_GCC)
            .args(["-O2", "-shared", "-o"])
            .arg(prefix.c_drive().join("windows/system32/bcryptprimitives.dll"))
            .arg(shim_dir.join("processprng.c"))
            .arg(shim_dir.join("processprng.def"))
            .arg("-ladvapi32")
            .output()
            .context(MINGW_GCC)?;
        ensure!(
            out.status.success(),
            "{MINGW_GCC}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        Ok(prefix)
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// `drive_c` (C:\) of the prefix.
    pub fn c_drive(&self) -> PathBuf {
        self.path().join("drive_c")
    }

    /// `%LOCALAPPDATA%` of the prefix's user.
    pub fn local_app_data(&self) -> anyhow::Result<PathBuf> {
        let users = self.c_drive().join("users");
        for e in std::fs::read_dir(&users)? {
            let p = e?.path().join("AppData/Local");
            if p.is_dir() && !p.starts_with(users.join("Public")) {
                return Ok(p);
            }
        }
        bail!("no user with AppData\\Local in {}", users.display())
    }

    fn command(&self, program: &str) -> Command {
        let mut cmd = Command::new(program);
        cmd.env("WINEPREFIX", self.path())
            .env("WINEDEBUG", "-all")
            // No Mono or Gecko installer prompts: nothing here needs them.
            .env("WINEDLLOVERRIDES", "mscoree,mshtml=")
            .env_remove("DISPLAY")
            .stdin(Stdio::null());
        // Wine hands the environment on to Windows programs: only what a test passes counts.
        for (k, _) in std::env::vars_os() {
            if k.to_string_lossy().starts_with("MASKER19_") {
                cmd.env_remove(k);
            }
        }
        cmd
    }

    /// `wine64 ARGS…` with extra environment (Wine passes it on to the Windows program); killed
    /// with the whole prefix after `timeout`.
    pub fn run(&self, args: &[&str], env: &[(&str, &str)], timeout: Duration) -> anyhow::Result<Output> {
        let mut cmd = self.command(WINE);
        cmd.args(args);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let (tx, rx) = mpsc::channel();
        let what = args.join(" ");
        std::thread::spawn(move || {
            let _ = tx.send(cmd.output());
        });
        match rx.recv_timeout(timeout) {
            Ok(out) => Ok(out.with_context(|| format!("wine64 {what}"))?),
            Err(_) => {
                self.kill();
                bail!("wine64 {what} did not finish within {timeout:?} (killed)")
            }
        }
    }

    /// Until every program in the prefix has ended (an NSIS uninstaller runs on as a copy of
    /// itself after the one started has exited) and the registry is written to disk.
    pub fn wait(&self) -> anyhow::Result<()> {
        let status = self.command(WINESERVER).arg("-w").status()?;
        ensure!(status.success(), "wineserver -w: {status}");
        Ok(())
    }

    fn kill(&self) {
        let _ = self.command(WINESERVER).arg("-k").status();
    }

    /// The prefix's registry files (`system.reg`, `user.reg`) as text, after [`Prefix::wait`].
    pub fn registry(&self, file: &str) -> anyhow::Result<String> {
        self.wait()?;
        Ok(std::fs::read_to_string(self.path().join(file))?)
    }
}

impl Drop for Prefix {
    fn drop(&mut self) {
        self.kill();
    }
}

/// `x86_64-w64-mingw32-objdump -p EXE`: the PE headers, imports and resource directory.
pub fn pe_headers(exe: &Path) -> anyhow::Result<String> {
    let out = Command::new(MINGW_OBJDUMP)
        .arg("-p")
        .arg(exe)
        .output()
        .context(MINGW_OBJDUMP)?;
    ensure!(
        out.status.success(),
        "{MINGW_OBJDUMP}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The value of `key` in the exe's version resource (`FileDescription`, `ProductName`, …): the
/// UTF-16 string that follows the key, after its padding to 4 bytes.
pub fn version_string(exe_bytes: &[u8], key: &str) -> Option<String> {
    let utf16 = |s: &str| s.encode_utf16().flat_map(u16::to_le_bytes).collect::<Vec<u8>>();
    let needle = [utf16(key), vec![0, 0]].concat();
    let at = exe_bytes.windows(needle.len()).position(|w| w == needle.as_slice())?;
    let mut i = at + needle.len();
    while i % 4 != 0 || exe_bytes.get(i..i + 2) == Some(&[0, 0]) {
        i += 2;
        if i > at + needle.len() + 8 {
            return None;
        }
    }
    let units: Vec<u16> = exe_bytes[i..]
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .take_while(|u| *u != 0)
        .collect();
    String::from_utf16(&units).ok()
}
