//! A flood of `POST /api/v1/session` with made-up names (bounded password checks), for the test
//! and the benchmark, and the server process's memory as the kernel counts it.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use anyhow::Context;
use serde_json::{Value, json};

/// What the flood was answered.
#[derive(Debug, Default)]
pub struct Tally {
    pub answers: usize,
    pub unauthorized: usize,
    /// 503s with a `Retry-After` and a JSON error body.
    pub busy: usize,
    /// Anything else: other statuses, 503s without `Retry-After` or JSON, connection errors.
    pub other: Vec<String>,
}

impl Tally {
    fn add(&mut self, other: Tally) {
        self.answers += other.answers;
        self.unauthorized += other.unauthorized;
        self.busy += other.busy;
        self.other.extend(other.other);
    }
}

/// `workers` concurrent clients, each logging in again as soon as it is answered, until stopped.
pub struct Flood {
    stop: Arc<AtomicBool>,
    answers: Arc<AtomicUsize>,
    workers: Vec<tokio::task::JoinHandle<Tally>>,
}

impl Flood {
    /// Start the flood on the current tokio runtime.
    pub fn start(base: &str, workers: usize) -> anyhow::Result<Flood> {
        let http = reqwest::Client::builder().build()?;
        let stop = Arc::new(AtomicBool::new(false));
        let answers = Arc::new(AtomicUsize::new(0));
        let url = format!("{base}/api/v1/session");
        let workers = (0..workers)
            .map(|w| {
                let (http, url, stop, answers) = (http.clone(), url.clone(), stop.clone(), answers.clone());
                tokio::spawn(async move {
                    let mut tally = Tally::default();
                    let mut round = 0u64;
                    while !stop.load(Ordering::Relaxed) {
                        let body =
                            json!({"name": format!("onbekend-{w}-{round}"), "password": "geen-idee-welk-wachtwoord"});
                        tally.add(answer(http.post(&url).json(&body).send().await).await);
                        answers.fetch_add(1, Ordering::Relaxed);
                        round += 1;
                    }
                    tally
                })
            })
            .collect();
        Ok(Flood { stop, answers, workers })
    }

    /// Answers received so far.
    pub fn answers(&self) -> usize {
        self.answers.load(Ordering::Relaxed)
    }

    pub async fn stop(self) -> anyhow::Result<Tally> {
        self.stop.store(true, Ordering::Relaxed);
        let mut tally = Tally::default();
        for w in self.workers {
            tally.add(w.await?);
        }
        Ok(tally)
    }
}

async fn answer(sent: reqwest::Result<reqwest::Response>) -> Tally {
    let mut t = Tally {
        answers: 1,
        ..Tally::default()
    };
    let resp = match sent {
        Ok(r) => r,
        Err(e) => {
            t.other.push(format!("error: {e}"));
            return t;
        }
    };
    let status = resp.status().as_u16();
    let retry_after = resp
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let body: Value = resp.json().await.unwrap_or(Value::Null);
    match status {
        401 => t.unauthorized += 1,
        503 if retry_after.is_some_and(|s| s >= 1) && body["error"].is_string() && body["fields"].is_array() => {
            t.busy += 1
        }
        _ => t.other.push(format!("{status} retry-after={retry_after:?} {body}")),
    }
    t
}

/// A client whose connections come from `local` (another loopback address than the flood's
/// 127.0.0.1), as a second person signing in from elsewhere would.
pub fn client_from(local: &str) -> anyhow::Result<reqwest::Client> {
    Ok(reqwest::Client::builder()
        .local_address(Some(local.parse()?))
        .timeout(std::time::Duration::from_secs(30))
        .build()?)
}

/// Real sign-ins from `local`, one after the other, each as a different demo intake user (a
/// name is signed in once: no second factor's time step is used twice); the status of each.
pub async fn sign_ins_from(base: &str, local: &str, count: usize, password: &str) -> anyhow::Result<Vec<u16>> {
    let http = client_from(local)?;
    let mut statuses = Vec::new();
    for region in meldcode::regions::latest().regions().take(count) {
        let name = format!("intake-{}", region.code.to_lowercase());
        let code = crate::totp::next_code(base, &name)?;
        let body = json!({"name": name, "password": password, "code": code});
        let status = http
            .post(format!("{base}/api/v1/session"))
            .json(&body)
            .send()
            .await
            .map_or(0, |r| r.status().as_u16());
        statuses.push(status);
    }
    Ok(statuses)
}

/// A line of `/proc/<pid>/status` in KiB (`VmHWM`: the peak resident set; `VmRSS`: now).
pub fn proc_status_kib(pid: u32, field: &str) -> anyhow::Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .with_context(|| format!("no {field} in /proc/{pid}/status"))
}

/// The CPU time a process has used so far (user and system), from `/proc/<pid>/stat`.
pub fn proc_cpu_time(pid: u32) -> anyhow::Result<std::time::Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    // The fields after the command name (which may hold spaces, inside parentheses).
    let rest = stat.rsplit_once(')').map(|(_, r)| r).context("no ')' in stat")?;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the whole line: 12 and 13 after the name.
    let ticks: u64 = [11, 12]
        .iter()
        .map(|i| fields.get(*i).and_then(|f| f.parse::<u64>().ok()).unwrap_or(0))
        .sum();
    // Linux reports these in USER_HZ, which is 100 on every architecture Linux supports today.
    Ok(std::time::Duration::from_millis(ticks * 10))
}
