//! Helpers for the app's end-to-end tests: the built `masker19` binary (`target/<profile>/`, or
//! `MASKER19_APP_BIN`), run with its own data directory, bounded in time, and byte searches of
//! its files.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

/// The app binary of the same build profile as the running test (`target/<profile>/masker19`;
/// its test driver exists only in debug builds), or `MASKER19_APP_BIN`.
pub fn app_bin() -> PathBuf {
    if let Some(path) = std::env::var_os("MASKER19_APP_BIN") {
        return PathBuf::from(path);
    }
    let exe = std::env::current_exe().unwrap_or_default();
    // target/<profile>/deps/<test binary>
    exe.parent()
        .and_then(Path::parent)
        .map(|profile| profile.join("masker19"))
        .unwrap_or_default()
}

/// `target/screenshots/` (made when missing).
pub fn screenshots_dir() -> anyhow::Result<PathBuf> {
    let dir = crate::server_bin()
        .parent()
        .and_then(Path::parent)
        .map(|t| t.join("screenshots"))
        .context("no target directory")?;
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// A command for the app with its data directory and no keyring (CI has none).
pub fn app_command(data_dir: &Path) -> anyhow::Result<Command> {
    let bin = app_bin();
    if !bin.exists() {
        bail!(
            "{} does not exist: build it first (`cargo build --workspace --bins`)",
            bin.display()
        );
    }
    let mut cmd = Command::new(bin);
    cmd.env("MASKER19_DATA_DIR", data_dir)
        .env("MASKER19_KEYRING", "off")
        .env("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
        .stdin(Stdio::null());
    Ok(cmd)
}

/// `masker19 --server URL --enroll CODE [--pin PIN]`.
pub fn enroll_cli(data_dir: &Path, url: &str, code: &str) -> anyhow::Result<Output> {
    Ok(app_command(data_dir)?
        .args(["--server", url, "--enroll", code])
        .output()?)
}

/// A demo server and an app data directory enrolled with it through the command line (without a
/// PIN: the app asks for one before the first case). Keep the first two alive while the app runs.
pub fn demo_and_enrolled_app() -> anyhow::Result<(tempfile::TempDir, crate::TestServer, tempfile::TempDir)> {
    let (sdir, db) = crate::temp_db()?;
    let server = crate::TestServer::start(&db, true)?;
    let data = tempfile::tempdir()?;
    let out = enroll_cli(data.path(), &server.url, &server.info["enrollment_code"])?;
    anyhow::ensure!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    Ok((sdir, server, data))
}

/// A running app window; killed (SIGKILL) when dropped.
pub struct AppRun {
    child: Child,
    lines: mpsc::Receiver<String>,
    stderr: std::thread::JoinHandle<String>,
}

impl AppRun {
    /// Start `cmd` (from [`app_command`]) and collect its output.
    pub fn spawn(mut cmd: Command) -> anyhow::Result<AppRun> {
        let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn()?;
        let stdout = child.stdout.take().context("stdout")?;
        let stderr = child.stderr.take().context("stderr")?;
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let stderr = std::thread::spawn(move || {
            let mut all = String::new();
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if line.contains("DRIVER") || all.len() < 20_000 {
                    all.push_str(&line);
                    all.push('\n');
                }
            }
            all
        });
        Ok(AppRun { child, lines, stderr })
    }

    /// Wait for a stdout line containing `needle`.
    pub fn wait_line(&mut self, needle: &str, timeout: Duration) -> anyhow::Result<String> {
        let end = Instant::now() + timeout;
        loop {
            let left = end.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) if line.contains(needle) => return Ok(line),
                Ok(_) => {}
                Err(mpsc::RecvTimeoutError::Timeout) => bail!("the app did not print {needle:?} within {timeout:?}"),
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    let status = self.child.wait()?;
                    let stderr = std::mem::replace(&mut self.stderr, std::thread::spawn(String::new))
                        .join()
                        .unwrap_or_default();
                    bail!(
                        "the app exited ({status}) before printing {needle:?}:\n{}",
                        tail(&stderr)
                    )
                }
            }
        }
    }

    /// Wait for the app to exit; killed and failed after `timeout`. Its stderr on failure.
    pub fn finish(mut self, timeout: Duration) -> anyhow::Result<()> {
        let end = Instant::now() + timeout;
        let status = loop {
            if let Some(s) = self.child.try_wait()? {
                break Some(s);
            }
            if Instant::now() > end {
                break None;
            }
            std::thread::sleep(Duration::from_millis(100));
        };
        let _ = self.child.kill();
        let _ = self.child.wait();
        let stderr = std::mem::replace(&mut self.stderr, std::thread::spawn(String::new))
            .join()
            .unwrap_or_default();
        let driver: Vec<&str> = stderr.lines().filter(|l| l.contains("DRIVER")).collect();
        match status {
            Some(s) if s.success() => Ok(()),
            Some(s) => bail!("the app exited with {s}: {}\n{}", driver.join("\n"), tail(&stderr)),
            None => bail!(
                "the app did not finish within {timeout:?} (killed): {}",
                driver.join("\n")
            ),
        }
    }

    /// `kill -9`, as a crash.
    pub fn kill9(mut self) -> anyhow::Result<()> {
        self.child.kill()?;
        self.child.wait()?;
        Ok(())
    }
}

impl Drop for AppRun {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn tail(s: &str) -> &str {
    let start = s.len().saturating_sub(2000);
    let start = (start..s.len()).find(|i| s.is_char_boundary(*i)).unwrap_or(s.len());
    &s[start..]
}

/// Every file under `dir` (recursively) that contains `needle`.
pub fn files_containing(dir: &Path, needle: &[u8]) -> anyhow::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d)? {
            let path = e?.path();
            if path.is_dir() {
                stack.push(path);
            } else if std::fs::read(&path).is_ok_and(|bytes| bytes.windows(needle.len()).any(|w| w == needle)) {
                found.push(path);
            }
        }
    }
    Ok(found)
}
