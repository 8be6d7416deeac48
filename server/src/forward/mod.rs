//! The forwarder: drains the outbox to each region's webhook (Standard Webhooks), with the
//! contract's retry schedule. At least once: a delivery is marked only after a 2xx, so a crash
//! in between sends it again with the same `webhook-id`.

pub mod schedule;

use std::sync::Arc;
use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use serde_json::Value;
use tokio::sync::Notify;
use tokio::task::JoinSet;

use crate::db::{Store, StoreResult, parse_ts};
use crate::settings::Settings;
use crate::store::outbox::{self, Due};

const BATCH: usize = 32;
const IDLE_POLL: StdDuration = StdDuration::from_secs(1);
const REQUEST_TIMEOUT: StdDuration = StdDuration::from_secs(10);

/// What one attempt came to.
#[derive(Debug, PartialEq)]
enum Attempt {
    Delivered,
    Gone,
    Failed {
        error: String,
        retry_after: Option<Duration>,
    },
}

#[derive(Clone)]
pub struct Forwarder {
    store: Store,
    http: reqwest::Client,
    settings: Arc<Settings>,
    /// Woken when a report is accepted, so delivery does not wait for the next poll.
    pub wake: Arc<Notify>,
}

impl Forwarder {
    pub fn new(store: Store, settings: Arc<Settings>) -> anyhow::Result<Forwarder> {
        let http = reqwest::Client::builder()
            .timeout(REQUEST_TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent("masker19-forwarder/1")
            .build()?;
        Ok(Forwarder {
            store,
            http,
            settings,
            wake: Arc::new(Notify::new()),
        })
    }

    pub async fn run(self) {
        loop {
            let sleep = match self.drain_once().await {
                Ok(0) => self.until_next_due().await,
                Ok(_) => StdDuration::ZERO,
                Err(e) => {
                    tracing::error!(error = %e, "forwarder: store fault; retrying");
                    IDLE_POLL
                }
            };
            if !sleep.is_zero() {
                tokio::select! {
                    _ = self.wake.notified() => {}
                    _ = tokio::time::sleep(sleep) => {}
                }
            }
        }
    }

    /// Attempt every due delivery once (concurrently, a batch at a time); how many.
    pub async fn drain_once(&self) -> StoreResult<usize> {
        let now = Utc::now();
        let due = self.store.call(move |c| outbox::due(c, now, BATCH)).await?;
        let n = due.len();
        let mut tasks = JoinSet::new();
        for d in due {
            let this = self.clone();
            tasks.spawn(async move { this.deliver(d).await });
        }
        while let Some(done) = tasks.join_next().await {
            match done {
                Ok(Err(e)) => tracing::error!(error = %e, "forwarder: could not record an attempt"),
                Err(e) => tracing::error!(error = %e, "forwarder: delivery task failed"),
                Ok(Ok(())) => {}
            }
        }
        Ok(n)
    }

    async fn until_next_due(&self) -> StdDuration {
        let next = self
            .store
            .call(|c| outbox::next_due_at(c))
            .await
            .ok()
            .flatten()
            .and_then(|s| parse_ts(&s));
        next.map_or(IDLE_POLL, |at| {
            (at - Utc::now()).to_std().unwrap_or(StdDuration::ZERO).min(IDLE_POLL)
        })
    }

    async fn deliver(&self, d: Due) -> StoreResult<()> {
        let now = Utc::now();
        let Some(body) = d.body.clone() else {
            let id = d.outbox_id;
            return self
                .store
                .call(move |c| outbox::failed(c, id, "personal data purged before delivery", None, now))
                .await;
        };
        let Some((url, secret)) = d.webhook.clone() else {
            return self.store.call(move |c| outbox::delivered(c, &d, false, now)).await;
        };
        let attempt = self.post(&d, &url, &secret, &body).await;
        let now = Utc::now();
        match attempt {
            Attempt::Delivered => self.store.call(move |c| outbox::delivered(c, &d, true, now)).await,
            Attempt::Gone => {
                tracing::warn!(region = %d.vt_region, "webhook answered 410: disabled until set again");
                self.store
                    .call(move |c| outbox::disable_webhook(c, &d.vt_region, now))
                    .await
            }
            Attempt::Failed { error, retry_after } => {
                let failures = d.attempts + 1;
                let next =
                    schedule::next_delay(failures, retry_after).map(|wait| now + self.settings.scale_retry(wait));
                tracing::warn!(delivery = %d.delivery_id, failures, dead = next.is_none(), %error, "delivery failed");
                let id = d.outbox_id;
                self.store.call(move |c| outbox::failed(c, id, &error, next, now)).await
            }
        }
    }

    async fn post(&self, d: &Due, url: &str, secret: &str, report: &str) -> Attempt {
        let Ok(key) = schedule::secret_key(secret) else {
            return Attempt::Failed {
                error: "the region's webhook secret is invalid".into(),
                retry_after: None,
            };
        };
        let payload = payload(d, report, Utc::now());
        let timestamp = Utc::now().timestamp();
        let signature = schedule::signature(&key, &d.delivery_id, timestamp, &payload);
        let sent = self
            .http
            .post(url)
            .header("content-type", "application/json")
            .header("webhook-id", &d.delivery_id)
            .header("webhook-timestamp", timestamp.to_string())
            .header("webhook-signature", signature)
            .body(payload)
            .send()
            .await;
        match sent {
            Ok(r) if r.status().is_success() => Attempt::Delivered,
            Ok(r) if r.status() == reqwest::StatusCode::GONE => Attempt::Gone,
            Ok(r) => Attempt::Failed {
                error: format!("HTTP {}", r.status().as_u16()),
                retry_after: r
                    .headers()
                    .get("retry-after")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.trim().parse::<i64>().ok())
                    .map(Duration::seconds),
            },
            Err(e) => Attempt::Failed {
                error: error_kind(&e),
                retry_after: None,
            },
        }
    }
}

/// The webhook body: `{"type", "timestamp", "data": <the report as accepted + vt_region + status>}`.
fn payload(d: &Due, report: &str, now: DateTime<Utc>) -> String {
    let mut data: Value = serde_json::from_str(report).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut data {
        map.insert("vt_region".into(), Value::from(d.vt_region.clone()));
        map.insert("status".into(), Value::from(d.status.clone()));
    }
    serde_json::json!({ "type": d.event_type, "timestamp": crate::db::ts(now), "data": data }).to_string()
}

/// A network error, without the URL (logs and the dead-letter list hold no secrets).
fn error_kind(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "timeout".into()
    } else if e.is_connect() {
        "connection refused or unreachable".into()
    } else {
        "network error".into()
    }
}
