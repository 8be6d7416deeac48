//! One attempt at one delivery: sign, POST, and record what came of it.

use chrono::{DateTime, Duration, Utc};
use serde_json::Value;

use super::{Forwarder, schedule, signature};
use crate::db::StoreResult;
use crate::store::outbox::{self, Due};

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

impl Forwarder {
    /// Attempt `d` once and record the outcome (delivered, disabled, or the next retry).
    pub(super) async fn deliver(&self, d: Due) -> StoreResult<()> {
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
        let region = d.vt_region.clone();
        let previous = self
            .store
            .read(move |c| outbox::previous_secret(c, &region, now))
            .await?;
        let attempt = self.post(&d, &url, &secret, previous.as_deref(), &body).await;
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

    /// POST the delivery, signed with `secret` and, during a rotation, with `previous` too.
    async fn post(&self, d: &Due, url: &str, secret: &str, previous: Option<&str>, report: &str) -> Attempt {
        let Ok(key) = signature::secret_key(secret) else {
            return Attempt::Failed {
                error: "the region's webhook secret is invalid".into(),
                retry_after: None,
            };
        };
        let mut keys = vec![key];
        keys.extend(previous.and_then(|p| signature::secret_key(p).ok()));
        let payload = payload(d, report, Utc::now());
        let timestamp = Utc::now().timestamp();
        let signature = signature::webhook_signatures(&keys, &d.delivery_id, timestamp, &payload);
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
                    .and_then(|v| schedule::parse_retry_after(v, Utc::now())),
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
    let data = webhook_data(report, &d.vt_region, &d.status);
    serde_json::json!({ "type": d.event_type, "timestamp": crate::db::ts(now), "data": data }).to_string()
}

/// The webhook's `data`: the report as accepted (its stored JSON), plus `vt_region` and
/// `status`. Also the intake page's JSON download, for case systems without a webhook.
pub fn webhook_data(report: &str, vt_region: &str, status: &str) -> Value {
    let mut data: Value = serde_json::from_str(report).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut data {
        map.insert("vt_region".into(), Value::from(vt_region));
        map.insert("status".into(), Value::from(status));
    }
    data
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
