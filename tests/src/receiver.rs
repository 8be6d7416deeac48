//! A stand-in Veilig Thuis webhook receiver on a loopback port. It verifies every signature with
//! an independent implementation (the `standardwebhooks` crate), records every attempt, and can
//! be told to fail, hang or answer 410.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

pub const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Behaviour {
    Accept,
    Status(u16),
    /// Answer this status with `Retry-After: seconds`.
    RetryAfter(u16, u64),
    /// Answer this status with `Retry-After` as an HTTP-date this many seconds ahead.
    RetryAfterDate(u16, u64),
    /// Hold the request open for a long time (a receiver that hangs).
    Hang,
}

#[derive(Debug, Clone)]
pub struct Attempt {
    pub webhook_id: String,
    pub verified: bool,
    pub body: Value,
    pub answered: u16,
    pub at: Instant,
    /// The request as it came, to verify it with another secret ([`Attempt::verifies_with`]).
    pub headers: HeaderMap,
    pub raw: Bytes,
}

impl Attempt {
    /// Whether a receiver that knows only `secret` accepts this delivery (`standardwebhooks`).
    pub fn verifies_with(&self, secret: &str) -> bool {
        standardwebhooks::Webhook::new(secret).is_ok_and(|w| w.verify(&self.raw, &self.headers).is_ok())
    }

    /// The `v1,` signatures in the `webhook-signature` header.
    pub fn signatures(&self) -> Vec<String> {
        let header = self.headers.get("webhook-signature").and_then(|v| v.to_str().ok());
        header.unwrap_or_default().split(' ').map(str::to_owned).collect()
    }
}

struct Shared {
    behaviour: Behaviour,
    attempts: Vec<Attempt>,
}

pub struct Receiver {
    pub addr: SocketAddr,
    shared: Arc<Mutex<Shared>>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Receiver {
    pub fn start(behaviour: Behaviour) -> anyhow::Result<Receiver> {
        Receiver::start_on("127.0.0.1:0".parse()?, behaviour)
    }

    /// Listen on `addr` (port 0: any free port).
    pub fn start_on(addr: SocketAddr, behaviour: Behaviour) -> anyhow::Result<Receiver> {
        let shared = Arc::new(Mutex::new(Shared {
            behaviour,
            attempts: Vec::new(),
        }));
        let listener = std::net::TcpListener::bind(addr)?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let state = shared.clone();
        let thread = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build() else {
                return;
            };
            rt.block_on(async move {
                let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
                    return;
                };
                let app = Router::new()
                    .route("/hook", axum::routing::post(hook))
                    .with_state(state);
                let _ = axum::serve(listener, app)
                    .with_graceful_shutdown(async {
                        let _ = stopped.await;
                    })
                    .await;
            });
        });
        Ok(Receiver {
            addr,
            shared,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    pub fn url(&self) -> String {
        format!("http://{}/hook", self.addr)
    }

    pub fn set(&self, behaviour: Behaviour) {
        self.lock().behaviour = behaviour;
    }

    pub fn attempts(&self) -> Vec<Attempt> {
        self.lock().attempts.clone()
    }

    /// Attempts that were answered 2xx, deduplicated by `webhook-id` as a real receiver must.
    pub fn delivered(&self) -> Vec<Attempt> {
        let mut seen = std::collections::HashSet::new();
        self.attempts()
            .into_iter()
            .filter(|a| (200..300).contains(&a.answered) && seen.insert(a.webhook_id.clone()))
            .collect()
    }

    /// Wait until `done` holds for the attempts, or fail after `timeout`.
    pub fn wait_until(
        &self,
        timeout: Duration,
        what: &str,
        done: impl Fn(&[Attempt]) -> bool,
    ) -> anyhow::Result<Vec<Attempt>> {
        let start = Instant::now();
        loop {
            let attempts = self.attempts();
            if done(&attempts) {
                return Ok(attempts);
            }
            if start.elapsed() > timeout {
                anyhow::bail!("timed out waiting for {what}; attempts so far: {}", attempts.len());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Shared> {
        self.shared.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

async fn hook(State(shared): State<Arc<Mutex<Shared>>>, headers: HeaderMap, body: Bytes) -> Response {
    let verified = standardwebhooks::Webhook::new(SECRET).is_ok_and(|w| w.verify(&body, &headers).is_ok());
    let webhook_id = headers
        .get("webhook-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let behaviour = shared.lock().map(|s| s.behaviour).unwrap_or(Behaviour::Accept);
    let answered = match behaviour {
        Behaviour::Accept => 204,
        Behaviour::Status(code) | Behaviour::RetryAfter(code, _) | Behaviour::RetryAfterDate(code, _) => code,
        Behaviour::Hang => 0,
    };
    let attempt = Attempt {
        webhook_id,
        verified,
        body: serde_json::from_slice(&body).unwrap_or(Value::Null),
        answered,
        at: Instant::now(),
        headers: headers.clone(),
        raw: body.clone(),
    };
    if let Ok(mut s) = shared.lock() {
        s.attempts.push(attempt);
    }
    match behaviour {
        Behaviour::Hang => {
            tokio::time::sleep(Duration::from_secs(60)).await;
            StatusCode::OK.into_response()
        }
        Behaviour::RetryAfter(code, secs) => (
            StatusCode::from_u16(code).unwrap_or(StatusCode::SERVICE_UNAVAILABLE),
            [("retry-after", secs.to_string())],
        )
            .into_response(),
        Behaviour::RetryAfterDate(code, secs) => (
            StatusCode::from_u16(code).unwrap_or(StatusCode::SERVICE_UNAVAILABLE),
            [(
                "retry-after",
                httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(secs)),
            )],
        )
            .into_response(),
        _ => StatusCode::from_u16(answered).unwrap_or(StatusCode::OK).into_response(),
    }
}
