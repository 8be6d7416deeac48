//! Driving Debian's headless Chromium through chromedriver (WebDriver, with fantoccini).

use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::Context;
use fantoccini::{Client, ClientBuilder};
use serde_json::json;

/// A chromedriver process and a WebDriver session of a fresh headless Chromium.
pub struct Browser {
    pub client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
}

impl Browser {
    pub async fn start() -> anyhow::Result<Browser> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            // Its own process group, which its Chromium joins: see `kill_all`.
            .process_group(0)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("starting chromedriver (Debian package chromium-driver)")?;
        let profile = tempfile::tempdir()?;
        let args = [
            "--headless".to_owned(),
            "--no-sandbox".to_owned(),
            "--disable-gpu".to_owned(),
            "--disable-background-networking".to_owned(),
            "--disable-component-update".to_owned(),
            "--disable-sync".to_owned(),
            "--no-first-run".to_owned(),
            "--window-size=1280,1000".to_owned(),
            format!("--user-data-dir={}", profile.path().display()),
        ];
        let caps = json!({ "goog:chromeOptions": { "binary": "/usr/bin/chromium", "args": args } });
        let caps = caps.as_object().cloned().context("capabilities")?;
        let url = format!("http://127.0.0.1:{port}");
        let start = Instant::now();
        let client = loop {
            match ClientBuilder::native().capabilities(caps.clone()).connect(&url).await {
                Ok(c) => break c,
                Err(_) if start.elapsed() < Duration::from_secs(20) => {
                    tokio::time::sleep(Duration::from_millis(100)).await
                }
                Err(e) => anyhow::bail!("no WebDriver session: {e}"),
            }
        };
        Ok(Browser {
            client,
            driver,
            _profile: profile,
        })
    }

    /// Save a screenshot (PNG) for people to look at.
    pub async fn screenshot(&self, path: &std::path::Path) -> anyhow::Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(path, self.client.screenshot().await?)?;
        Ok(())
    }

    /// A Chrome DevTools command through chromedriver (`POST /session/{id}/goog/cdp/execute`),
    /// e.g. `Emulation.setDeviceMetricsOverride` for a viewport narrower than headless allows.
    pub async fn cdp(&self, cmd: &str, params: serde_json::Value) -> anyhow::Result<serde_json::Value> {
        Ok(self
            .client
            .issue_cmd(Cdp {
                cmd: cmd.to_owned(),
                params,
            })
            .await?)
    }

    /// Lay the page out `width` CSS pixels wide (`None`: the window's own width again).
    pub async fn viewport_width(&self, width: Option<u32>) -> anyhow::Result<()> {
        match width {
            Some(w) => {
                let metrics = json!({"width": w, "height": 800, "deviceScaleFactor": 1, "mobile": false});
                self.cdp("Emulation.setDeviceMetricsOverride", metrics).await?
            }
            None => self.cdp("Emulation.clearDeviceMetricsOverride", json!({})).await?,
        };
        Ok(())
    }

    /// Press Tab, as a keyboard user moves the focus.
    pub async fn press_tab(&self) -> anyhow::Result<()> {
        use fantoccini::actions::{InputSource, KeyAction, KeyActions};
        use fantoccini::key::Key;
        let tab = char::from(Key::Tab);
        let keys = KeyActions::new("keyboard".into())
            .then(KeyAction::Down { value: tab })
            .then(KeyAction::Up { value: tab });
        self.client.perform_actions(keys).await?;
        Ok(())
    }

    /// End the session; dropping `self` then ends the processes.
    pub async fn close(self) -> anyhow::Result<()> {
        let _ = self.client.clone().close().await;
        Ok(())
    }

    /// Kill chromedriver and the Chromium it started (its process group), once, from `drop`
    /// (after `wait` the id may be another process's). Killing chromedriver alone left a whole
    /// Chromium running after every failed browser test.
    fn kill_all(&mut self) {
        let group = format!("-{}", self.driver.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        self.kill_all();
    }
}

/// chromedriver's own command for the DevTools protocol.
#[derive(Debug)]
struct Cdp {
    cmd: String,
    params: serde_json::Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for Cdp {
    fn endpoint(&self, base: &url::Url, session: Option<&str>) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/goog/cdp/execute", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _url: &url::Url) -> (http::Method, Option<String>) {
        let body = json!({"cmd": self.cmd, "params": self.params});
        (http::Method::POST, Some(body.to_string()))
    }
}
