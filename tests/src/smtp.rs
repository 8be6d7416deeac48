//! A real SMTP server for the notification tests: aiosmtpd (PyPI, pinned in
//! `tests/smtp/requirements.txt`) run by `tests/smtp/receive.py` on a loopback port, from the
//! venv that `scripts/setup-system` makes under the target dir (or `MASKER19_TEST_PYTHON`).

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use anyhow::{Context, bail};
use serde_json::Value;

/// The venv's Python: `<target>/py-venv/bin/python` beside the running test's profile dir.
fn python() -> PathBuf {
    if let Some(path) = std::env::var_os("MASKER19_TEST_PYTHON") {
        return PathBuf::from(path);
    }
    let exe = std::env::current_exe().unwrap_or_default();
    // target/<profile>/deps/<test binary>
    let target = exe.ancestors().nth(3).map(PathBuf::from).unwrap_or_default();
    target.join("py-venv/bin/python")
}

/// A running aiosmtpd; killed when dropped. Each message it received is a JSON value with
/// `mail_from`, `rcpt_tos`, `subject`, `to`, `body` (decoded) and `raw`.
pub struct SmtpReceiver {
    pub port: u16,
    child: Child,
    mails: mpsc::Receiver<Value>,
}

impl SmtpReceiver {
    /// Listen on 127.0.0.1:`port` (0: any free port).
    pub fn start(port: u16) -> anyhow::Result<SmtpReceiver> {
        let python = python();
        if !python.exists() {
            bail!(
                "{} does not exist: run scripts/setup-system (it installs aiosmtpd)",
                python.display()
            );
        }
        let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("smtp/receive.py");
        let mut child = Command::new(&python)
            .arg(script)
            .arg(port.to_string())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .context("starting aiosmtpd")?;
        let mut lines = BufReader::new(child.stdout.take().context("aiosmtpd stdout")?).lines();
        let first = lines.next().context("aiosmtpd exited before listening")??;
        let port = first
            .strip_prefix("port=")
            .and_then(|p| p.parse().ok())
            .with_context(|| format!("aiosmtpd said {first:?}"))?;
        let (tx, mails) = mpsc::channel();
        std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                if let Ok(mail) = serde_json::from_str(&line)
                    && tx.send(mail).is_err()
                {
                    break;
                }
            }
        });
        Ok(SmtpReceiver { port, child, mails })
    }

    /// The next message received, waiting at most `timeout`.
    pub fn next_mail(&self, timeout: Duration) -> anyhow::Result<Value> {
        self.mails
            .recv_timeout(timeout)
            .context("no e-mail arrived at the SMTP server")
    }
}

impl Drop for SmtpReceiver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A loopback port that nothing listens on (free a moment ago).
pub fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}
