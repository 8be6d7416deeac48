//! The real `masker19-server` binary: `serve` on a free loopback port, and its admin commands.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

use anyhow::{Context, bail};

use crate::{Api, receiver};

/// The server binary of the same build profile as the running test (`target/<profile>/`), or
/// `MASKER19_SERVER_BIN`.
pub fn server_bin() -> PathBuf {
    if let Some(path) = std::env::var_os("MASKER19_SERVER_BIN") {
        return PathBuf::from(path);
    }
    let exe = std::env::current_exe().unwrap_or_default();
    // target/<profile>/deps/<test binary>
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .unwrap_or_default();
    profile_dir.join("masker19-server")
}

/// A running server; killed (SIGKILL) when dropped.
pub struct TestServer {
    pub url: String,
    /// The `key=value` lines it printed (`url`, and with `--demo` the demo credentials).
    pub info: HashMap<String, String>,
    pub db: PathBuf,
    child: Child,
}

impl TestServer {
    /// Start `serve` on a free port with the database `db`; waits until it printed its url.
    pub fn start(db: &Path, demo: bool) -> anyhow::Result<TestServer> {
        TestServer::start_with(db, demo, &[])
    }

    /// As [`TestServer::start`], with extra environment variables (test settings are allowed).
    pub fn start_with(db: &Path, demo: bool, env: &[(&str, &str)]) -> anyhow::Result<TestServer> {
        TestServer::start_at(db, "127.0.0.1:0", demo, env)
    }

    /// As [`TestServer::start_with`], listening on `listen`.
    pub fn start_at(db: &Path, listen: &str, demo: bool, env: &[(&str, &str)]) -> anyhow::Result<TestServer> {
        TestServer::spawn(db, listen, demo, env, None)
    }

    /// As [`TestServer::start`], under a file limit of `files` (soft and hard, as `ulimit -n`).
    pub fn start_with_file_limit(db: &Path, demo: bool, files: u64) -> anyhow::Result<TestServer> {
        TestServer::spawn(db, "127.0.0.1:0", demo, &[], Some(files))
    }

    fn spawn(
        db: &Path,
        listen: &str,
        demo: bool,
        env: &[(&str, &str)],
        file_limit: Option<u64>,
    ) -> anyhow::Result<TestServer> {
        let bin = server_bin();
        if !bin.exists() {
            bail!(
                "{} does not exist: build it first (`cargo build --workspace --bins`)",
                bin.display()
            );
        }
        let mut cmd = Command::new(&bin);
        cmd.arg("--db").arg(db).args(["serve", "--listen", listen]);
        if demo {
            cmd.arg("--demo");
        }
        // A demo server receives reports v1 unless a test asks for the sealed demo with
        // `MASKER19_TEST_DEMO_PLAINTEXT=0` (see `TestServer::sealed_demo`): most tests post
        // report v1 and are about something else.
        cmd.env("MASKER19_ALLOW_TEST_SETTINGS", "1")
            .env("MASKER19_TEST_DEMO_PLAINTEXT", "1")
            .envs(env.iter().copied());
        if let Some(files) = file_limit {
            use std::os::unix::process::CommandExt;
            // SAFETY: setrlimit is async-signal-safe and touches nothing of the parent.
            unsafe {
                cmd.pre_exec(move || rlimit::setrlimit(rlimit::Resource::NOFILE, files, files));
            }
        }
        let mut child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            // MASKER19_TEST_SERVER_LOG=1 shows the server's log (debugging a test or benchmark).
            .stderr(if std::env::var_os("MASKER19_TEST_SERVER_LOG").is_some() {
                Stdio::inherit()
            } else {
                Stdio::null()
            })
            .spawn()?;
        let stdout = child.stdout.take().context("server stdout")?;
        let mut info = HashMap::new();
        let mut lines = BufReader::new(stdout).lines();
        let expected = if demo { 9 } else { 1 };
        while info.len() < expected {
            let Some(line) = lines.next() else {
                bail!("the server exited before printing its url")
            };
            if let Some((k, v)) = line?.split_once('=') {
                info.insert(k.to_owned(), v.to_owned());
            }
        }
        let url = info.get("url").cloned().context("no url= line")?;
        crate::totp::register_server(&url, db, info.get("totp_secret").map(String::as_str));
        Ok(TestServer {
            url,
            info,
            db: db.to_path_buf(),
            child,
        })
    }

    /// The server's process id (to read its memory from `/proc`).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// `kill -9`: no chance to flush or clean up.
    pub fn kill9(mut self) -> anyhow::Result<()> {
        self.child.kill()?;
        self.child.wait()?;
        Ok(())
    }

    pub fn client(&self) -> Api {
        Api {
            base: self.url.clone(),
            http: reqwest::blocking::Client::new(),
        }
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Run an admin command against a database, with `stdin` as standard input.
pub fn admin(db: &Path, args: &[&str], stdin: &str) -> anyhow::Result<Output> {
    admin_with(db, args, stdin, &[])
}

/// As [`admin`], with extra environment variables.
pub fn admin_with(db: &Path, args: &[&str], stdin: &str, env: &[(&str, &str)]) -> anyhow::Result<Output> {
    let mut child = Command::new(server_bin())
        .env("MASKER19_ALLOW_TEST_SETTINGS", "1")
        .envs(env.iter().copied())
        .arg("--db")
        .arg(db)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    if let Some(mut input) = child.stdin.take() {
        // A command that refuses its arguments exits without reading its input: not an error of
        // the test (its exit status and stderr say what happened).
        match input.write_all(stdin.as_bytes()) {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
            other => other?,
        }
    }
    Ok(child.wait_with_output()?)
}

/// `pharmacy add --name NAME --gemeente GEMEENTE`: the one-time enrollment code it printed,
/// alone on standard output.
pub fn add_pharmacy(db: &Path, name: &str, gemeente: &str) -> anyhow::Result<String> {
    let out = admin(db, &["pharmacy", "add", "--name", name, "--gemeente", gemeente], "")?;
    anyhow::ensure!(
        out.status.success(),
        "pharmacy add: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let code = String::from_utf8(out.stdout)?;
    anyhow::ensure!(code.lines().count() == 1, "the code alone on standard output: {code:?}");
    Ok(code.trim().to_owned())
}

/// Point [`server_bin`] at the release build unless `MASKER19_SERVER_BIN` says otherwise (for the
/// benchmark and proof binaries). Call it first thing in `main`, before any thread starts.
pub fn prefer_release_server() {
    if std::env::var_os("MASKER19_SERVER_BIN").is_none() {
        let release = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/release/masker19-server");
        // SAFETY: called at the start of `main`, before any other thread exists.
        unsafe { std::env::set_var("MASKER19_SERVER_BIN", release) };
    }
}

/// `region set-webhook REGION --url URL` with the stand-in receiver's secret.
pub fn set_webhook(db: &Path, region: &str, url: &str) -> anyhow::Result<()> {
    let out = admin(
        db,
        &[
            "region",
            "set-webhook",
            region,
            "--url",
            url,
            "--secret",
            receiver::SECRET,
        ],
        "",
    )?;
    anyhow::ensure!(
        out.status.success(),
        "set-webhook: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(())
}
