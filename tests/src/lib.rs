//! Helpers for the end-to-end tests: the real `masker19-server` binary on a free loopback port
//! with its own SQLite file in a temporary directory (zero2prod's `spawn_app`, as a process).

pub mod app;
pub mod browser;
pub mod flood;
pub mod receiver;
pub mod smtp;
pub mod web;

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

use anyhow::{Context, bail};
use serde_json::Value;

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
        cmd.env("MASKER19_ALLOW_TEST_SETTINGS", "1").envs(env.iter().copied());
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
        let expected = if demo { 5 } else { 1 };
        while info.len() < expected {
            let Some(line) = lines.next() else {
                bail!("the server exited before printing its url")
            };
            if let Some((k, v)) = line?.split_once('=') {
                info.insert(k.to_owned(), v.to_owned());
            }
        }
        let url = info.get("url").cloned().context("no url= line")?;
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
        input.write_all(stdin.as_bytes())?;
    }
    Ok(child.wait_with_output()?)
}

/// A response: status, headers we care about, and the body as JSON (or `Null`).
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub retry_after: Option<String>,
    pub body: Value,
}

pub struct Api {
    pub base: String,
    pub http: reqwest::blocking::Client,
}

impl Reply {
    /// Status, `Retry-After` and the JSON body (`null` when it is not JSON) of an answer.
    pub fn read(resp: reqwest::blocking::Response) -> anyhow::Result<Reply> {
        let status = resp.status().as_u16();
        let retry_after = resp
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let text = resp.text()?;
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Ok(Reply {
            status,
            retry_after,
            body,
        })
    }
}

impl Api {
    pub fn send(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        content_type: Option<&str>,
        body: Vec<u8>,
    ) -> anyhow::Result<Reply> {
        let method = reqwest::Method::from_bytes(method.as_bytes())?;
        let mut req = self.http.request(method, format!("{}{}", self.base, path)).body(body);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(ct) = content_type {
            req = req.header("content-type", ct);
        }
        Reply::read(req.send()?)
    }

    pub fn post_json(&self, path: &str, token: Option<&str>, body: &Value) -> anyhow::Result<Reply> {
        self.send(
            "POST",
            path,
            token,
            Some("application/json"),
            body.to_string().into_bytes(),
        )
    }

    pub fn get(&self, path: &str, token: Option<&str>) -> anyhow::Result<Reply> {
        self.send("GET", path, token, None, Vec::new())
    }

    /// Enroll a device with a code; its bearer token.
    pub fn enroll(&self, code: &str) -> anyhow::Result<String> {
        let r = self.post_json(
            "/api/v1/enroll",
            None,
            &serde_json::json!({"code": code, "device_name": "balie-1"}),
        )?;
        if r.status != 201 {
            bail!("enroll answered {}: {}", r.status, r.body);
        }
        r.body["device_token"]
            .as_str()
            .map(str::to_owned)
            .context("device_token")
    }

    /// The server's own examples, from its OpenAPI document, each with a fresh id.
    pub fn examples(&self) -> anyhow::Result<Vec<(String, Value)>> {
        let doc = self.get("/api/v1/openapi.json", None)?.body;
        let examples = doc
            .pointer("/paths/~1api~1v1~1reports/post/requestBody/content/application~1json/examples")
            .and_then(Value::as_object)
            .context("no examples in the OpenAPI document")?;
        Ok(examples
            .iter()
            .map(|(kind, e)| {
                let mut v = e["value"].clone();
                v["id"] = Value::from(uuid::Uuid::new_v4().to_string());
                (kind.clone(), v)
            })
            .collect())
    }
}

/// A temporary directory for one test's database.
pub fn temp_db() -> anyhow::Result<(tempfile::TempDir, PathBuf)> {
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("masker19.db");
    Ok((dir, db))
}

/// The demo password of `serve --demo`.
pub const DEMO_PASSWORD: &str = "demo-wachtwoord-19";

/// A demo server (with `env`), and an enrolled device of the Demo-apotheek (VT01).
pub fn demo_server(env: &[(&str, &str)]) -> anyhow::Result<(tempfile::TempDir, TestServer, String)> {
    let (dir, db) = temp_db()?;
    let server = TestServer::start_with(&db, true, env)?;
    let token = server.client().enroll(&server.info["enrollment_code"])?;
    Ok((dir, server, token))
}

impl Api {
    /// A fresh, valid report of `kind` from the server's own examples.
    pub fn example(&self, kind: &str) -> anyhow::Result<Value> {
        self.examples()?
            .into_iter()
            .find(|(k, _)| k == kind)
            .map(|(_, v)| v)
            .context("no such kind")
    }

    /// Submit a report; it must be accepted (201). Its status body.
    pub fn submit(&self, token: &str, report: &Value) -> anyhow::Result<Value> {
        let r = self.post_json("/api/v1/reports", Some(token), report)?;
        if r.status != 201 {
            bail!("submit answered {}: {}", r.status, r.body);
        }
        Ok(r.body)
    }

    pub fn status_of(&self, token: &str, id: &str) -> anyhow::Result<Reply> {
        self.get(&format!("/api/v1/reports/{id}/status"), Some(token))
    }

    /// A session token for a user (201 expected).
    pub fn login(&self, name: &str, password: &str) -> anyhow::Result<String> {
        let r = self.post_json(
            "/api/v1/session",
            None,
            &serde_json::json!({"name": name, "password": password}),
        )?;
        if r.status != 201 {
            bail!("login of {name} answered {}: {}", r.status, r.body);
        }
        r.body["token"].as_str().map(str::to_owned).context("token")
    }
}

/// Poll `check` every 20 ms until it gives `Some`, or fail after `timeout`.
pub fn eventually<T>(
    timeout: std::time::Duration,
    what: &str,
    mut check: impl FnMut() -> anyhow::Result<Option<T>>,
) -> anyhow::Result<T> {
    let start = std::time::Instant::now();
    loop {
        if let Some(v) = check()? {
            return Ok(v);
        }
        if start.elapsed() > timeout {
            bail!("timed out waiting for {what}");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// Write counting records (no personal data) straight into a server's store, as if received at
/// the given times: for statistics tests and benchmarks. `(vt_region, kind, channel, received_at)`.
pub fn insert_counting_records(db: &Path, rows: &[(String, String, String, String)]) -> anyhow::Result<()> {
    let mut conn = open_store(db)?;
    let tx = conn.transaction()?;
    {
        let mut stmt = tx.prepare(
            "INSERT INTO report (id, kind, channel, vt_region, status, content_hash, received_at, synthetic)
             VALUES (?1, ?2, ?3, ?4, 'recorded', 'generated', ?5, 1)",
        )?;
        for (region, kind, channel, at) in rows {
            stmt.execute([&uuid::Uuid::new_v4().to_string(), kind, channel, region, at])?;
        }
    }
    tx.commit()?;
    Ok(())
}

/// A server on a fresh database with one evaluator, `eva`, and that evaluator's bearer token.
pub fn evaluator_server(password: &str) -> anyhow::Result<(tempfile::TempDir, TestServer, String)> {
    let (dir, db) = temp_db()?;
    let out = admin(
        &db,
        &["user", "add", "--role", "evaluator", "--name", "eva"],
        &format!("{password}\n"),
    )?;
    anyhow::ensure!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let server = TestServer::start(&db, false)?;
    let token = server.client().login("eva", password)?;
    Ok((dir, server, token))
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

/// A copy of a report with a fresh id.
pub fn with_fresh_id(report: &Value) -> Value {
    let mut r = report.clone();
    r["id"] = Value::from(uuid::Uuid::new_v4().to_string());
    r
}

/// A connection to a server's store file, for checking what is really in it: with the store's
/// own key file, or plain when there is none (`MASKER19_TEST_PLAINTEXT_DB`).
pub fn open_store(db: &Path) -> anyhow::Result<rusqlite::Connection> {
    let conn = rusqlite::Connection::open(db)?;
    if let Ok(key) = std::fs::read_to_string(db.with_extension("db.key")) {
        conn.pragma_update(None, "key", format!("x'{}'", key.trim()))?;
    }
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    Ok(conn)
}

/// The `p`-quantile (0..=1) of sorted durations; zero when there are none.
pub fn percentile(sorted: &[std::time::Duration], p: f64) -> std::time::Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(i).copied().unwrap_or_default()
}
