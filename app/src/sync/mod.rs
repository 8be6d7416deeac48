//! Talking to the server: enrolment, sending the outbox with retries, polling statuses, sending
//! again a report the server lost, and wiping personal data once a report is settled or the
//! server's keeping of it has ended.
//!
//! What to do with an answer ([`classify`], [`classify_status`]) and when to try again
//! ([`backoff`]) are pure functions in `answer.rs`; [`sync_once`] is one pass over the outbox.

use std::time::Duration;

use chrono::{DateTime, Utc};
use meldcode::api::{EnrollRequest, EnrollResponse, ErrorBody, StatusBody};
use meldcode::delivery::DeliveryProblem;
use uuid::Uuid;

use crate::config::ServerUrl;
use crate::store::{Store, StoreError};

mod answer;
mod keys;
mod now;
pub use answer::{SendOutcome, StatusAnswer, backoff, classify, classify_status, parse_retry_after};
pub use keys::{KeysAnswer, refresh as refresh_keys};
pub use now::{SendNow, SendNowError, send_now};

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("the server cannot be reached: {0}")]
    Network(String),
    #[error("the server refused ({status}): {}", .body.error)]
    Refused { status: u16, body: Box<ErrorBody> },
    #[error("unexpected answer from the server ({0})")]
    Unexpected(u16),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("background task failed: {0}")]
    Task(String),
    #[error(transparent)]
    Address(#[from] crate::config::AddressError),
    #[error(transparent)]
    Pin(#[from] crate::pin::PinError),
}

impl SyncError {
    /// What went wrong, for the screen (in Dutch through `meldcode`'s wording).
    pub fn problem(&self) -> DeliveryProblem {
        match self {
            SyncError::Network(_) | SyncError::Address(_) => DeliveryProblem::Unreachable,
            SyncError::Refused { status, .. } | SyncError::Unexpected(status) => {
                DeliveryProblem::from_http(Some(*status))
            }
            SyncError::Store(_) | SyncError::Task(_) | SyncError::Pin(_) => DeliveryProblem::Device,
        }
    }
}

/// An HTTP client for one server and device.
#[derive(Debug, Clone)]
pub struct Client {
    http: reqwest::Client,
    base: ServerUrl,
    token: String,
}

/// Redirects are never followed (as in the server's forwarder): a 307 would resend a report,
/// with the device token, to another address. A 3xx is an answer like any other: the report stays
/// queued and the screen shows it.
fn http_client() -> Result<reqwest::Client, SyncError> {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(30))
        .build()
        .map_err(|e| SyncError::Network(e.to_string()))
}

/// Enroll this device with a one-time code.
pub async fn enroll(base: &ServerUrl, code: &str, device_name: &str) -> Result<EnrollResponse, SyncError> {
    let resp = http_client()?
        .post(base.join("/api/v1/enroll"))
        .json(&EnrollRequest {
            code: code.trim().to_owned(),
            device_name: device_name.to_owned(),
        })
        .send()
        .await
        .map_err(|e| SyncError::Network(e.to_string()))?;
    let status = resp.status().as_u16();
    let bytes = resp.bytes().await.map_err(|e| SyncError::Network(e.to_string()))?;
    match status {
        201 => serde_json::from_slice(&bytes).map_err(|_| SyncError::Unexpected(status)),
        400..=499 => Err(SyncError::Refused {
            status,
            body: Box::new(
                serde_json::from_slice(&bytes)
                    .unwrap_or_else(|_| ErrorBody::new(status, "", format!("HTTP {status}"), Vec::new())),
            ),
        }),
        _ => Err(SyncError::Unexpected(status)),
    }
}

/// Enroll and keep what the device needs in the store: the server address, the device token
/// and the pharmacy's name (and the PIN's hash when one is given). Returns the pharmacy's name
/// and the PIN hash.
pub async fn enroll_and_store(
    store: &Store,
    server: &str,
    code: &str,
    pin: Option<&str>,
    device_name: &str,
) -> Result<(String, Option<String>), SyncError> {
    use crate::store::keys;
    let base = ServerUrl::parse(server)?;
    let pin_hash = pin.map(crate::pin::hash).transpose()?;
    let enrolled = enroll(&base, code, device_name).await?;
    let name = enrolled.pharmacy.name.clone();
    let (n, h) = (name.clone(), pin_hash.clone());
    blocking(store, move |s| {
        s.set_setting(keys::SERVER_URL, base.as_str())?;
        s.set_setting(keys::DEVICE_TOKEN, &enrolled.device_token)?;
        s.set_setting(keys::PHARMACY, &n)?;
        if let Some(id) = enrolled.device_id {
            s.set_setting(keys::DEVICE_ID, &id.to_string())?;
        }
        s.set_setting(keys::PHARMACY_GEMEENTE, &enrolled.pharmacy.gemeente)?;
        s.set_setting(keys::PHARMACY_REGION, &enrolled.pharmacy.vt_region)?;
        if let Some(h) = h {
            s.set_setting(keys::PIN_HASH, &h)?;
        }
        Ok(())
    })
    .await?;
    Ok((name, pin_hash))
}

/// The client for the enrolled server, if this device is enrolled.
pub fn client_for(store: &Store) -> Result<Option<Client>, SyncError> {
    use crate::store::keys;
    let (Some(url), Some(token)) = (store.setting(keys::SERVER_URL)?, store.setting(keys::DEVICE_TOKEN)?) else {
        return Ok(None);
    };
    Ok(Some(Client::new(ServerUrl::parse(&url)?, token)?))
}

impl Client {
    pub fn new(base: ServerUrl, token: String) -> Result<Client, SyncError> {
        Ok(Client {
            http: http_client()?,
            base,
            token,
        })
    }

    /// Send one report (its stored JSON, byte for byte the same on every retry).
    pub async fn submit(&self, report_json: String, now: DateTime<Utc>) -> SendOutcome {
        let sent = self
            .http
            .post(self.base.join("/api/v1/reports"))
            .bearer_auth(&self.token)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(report_json)
            .send()
            .await;
        let resp = match sent {
            Ok(r) => r,
            Err(_) => {
                return SendOutcome::Retry {
                    reason: DeliveryProblem::Unreachable.code().to_owned(),
                    status: None,
                    retry_after: None,
                };
            }
        };
        let status = resp.status().as_u16();
        let retry_after = resp
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, now));
        match resp.bytes().await {
            Ok(body) => classify(status, retry_after, &body),
            Err(_) => SendOutcome::Retry {
                reason: DeliveryProblem::Unreachable.code().to_owned(),
                status: Some(status),
                retry_after,
            },
        }
    }

    /// `GET /api/v1/reports/{id}/status`, classified by [`classify_status`].
    pub async fn status(&self, id: Uuid) -> StatusAnswer {
        let sent = self
            .http
            .get(self.base.join(&format!("/api/v1/reports/{id}/status")))
            .bearer_auth(&self.token)
            .send()
            .await;
        let Ok(resp) = sent else {
            return classify_status(None, b"");
        };
        let status = resp.status().as_u16();
        match resp.bytes().await {
            Ok(body) => classify_status(Some(status), &body),
            Err(_) => classify_status(None, b""),
        }
    }
}

/// What one pass did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SyncSummary {
    pub accepted: Vec<Uuid>,
    pub retrying: Vec<Uuid>,
    pub rejected: Vec<Uuid>,
    pub polled: Vec<Uuid>,
    pub wiped: Vec<Uuid>,
    /// Reports the server no longer had, queued again to be sent (the same id and bytes).
    pub resent: Vec<Uuid>,
    /// Reports the server no longer had and too old to be sent again: kept, shown as lost.
    pub lost: Vec<Uuid>,
    /// The last problem seen (for the screen), if any.
    pub problem: Option<String>,
}

async fn blocking<T: Send + 'static>(
    store: &Store,
    f: impl FnOnce(&Store) -> Result<T, StoreError> + Send + 'static,
) -> Result<T, SyncError> {
    let store = store.clone();
    tokio::task::spawn_blocking(move || f(&store))
        .await
        .map_err(|e| SyncError::Task(e.to_string()))?
        .map_err(SyncError::from)
}

/// Record a status from the server; a settled one wipes the report's personal data.
async fn record_status(
    store: &Store,
    id: Uuid,
    b: StatusBody,
    now: DateTime<Utc>,
    sum: &mut SyncSummary,
) -> Result<(), SyncError> {
    let settled = blocking(store, move |s| {
        let settled = s.record_status(id, b.status, b.vt_region.as_deref(), b.retained_until, now)?;
        s.record_server_history(id, &b.history)?;
        Ok(settled)
    })
    .await?;
    if settled {
        sum.wiped.push(id);
    }
    Ok(())
}

/// The server does not have report `id`: queued again while its `created_at` allows a resend
/// ([`meldcode::status::resend_when_lost`]), else kept as lost for the pharmacist to call.
async fn lost(store: &Store, id: Uuid, now: DateTime<Utc>, sum: &mut SyncSummary) -> Result<(), SyncError> {
    let resent = blocking(store, move |s| {
        let Some(entry) = s.outbox_entry(id)? else {
            return Ok(None);
        };
        if meldcode::status::resend_when_lost(entry.created_at, now) && s.requeue_lost(id, now)? {
            return Ok(Some(true));
        }
        Ok(s.mark_lost(id, now)?.then_some(false))
    })
    .await?;
    match resent {
        Some(true) => sum.resent.push(id),
        Some(false) => sum.lost.push(id),
        None => {}
    }
    Ok(())
}

/// One pass: wipe what may no longer be kept (rejected over 30 days ago, or past the server's
/// `retained_until`), send every due queued report, then poll accepted reports not yet settled
/// (at most once per `poll_interval`), wiping personal data when a status settles and putting
/// back in the queue a report the server no longer has.
pub async fn sync_once(
    store: &Store,
    client: &Client,
    now: DateTime<Utc>,
    poll_interval: chrono::Duration,
) -> Result<SyncSummary, SyncError> {
    let mut sum = SyncSummary::default();
    blocking(store, move |s| s.wipe_old_rejected(now)).await?;
    sum.wiped = blocking(store, move |s| s.wipe_past_retention(now)).await?;
    keys::refresh(store, client).await?;
    let waiting = blocking(store, move |s| crate::seal::seal_pending(s, now)).await?;
    let due = blocking(store, move |s| s.due_to_send(now)).await?;
    for crate::store::DueReport { id, json, unsealed } in due {
        let outcome = if unsealed && waiting.contains(&id) {
            // Never in clear to a region that may be sealed: it waits for a valid list.
            SendOutcome::Retry {
                reason: DeliveryProblem::SealKeys.code().to_owned(),
                status: None,
                retry_after: None,
            }
        } else {
            client.submit(json, now).await
        };
        match outcome {
            SendOutcome::Accepted(b) => {
                record_status(store, id, b, now, &mut sum).await?;
                sum.accepted.push(id);
            }
            SendOutcome::Retry {
                reason,
                status,
                retry_after,
            } => {
                let attempts = blocking(store, move |s| Ok(s.outbox_entry(id)?.map_or(0, |e| e.attempts))).await?;
                let wait = backoff(attempts + 1, retry_after);
                let next = now + chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::minutes(15));
                let r = reason.clone();
                blocking(store, move |s| {
                    s.record_retry(id, next, &r, status)?;
                    s.record_attempt_failed(id, now, &r, status)
                })
                .await?;
                sum.retrying.push(id);
                sum.problem = Some(reason);
            }
            SendOutcome::Rejected { status, body } => {
                blocking(store, move |s| {
                    s.record_rejected(id, status, &body, now)?;
                    s.record_rejected_event(id, now, status)
                })
                .await?;
                sum.rejected.push(id);
            }
        }
    }
    let to_poll = blocking(store, move |s| s.to_poll(now, poll_interval)).await?;
    for id in to_poll {
        match client.status(id).await {
            StatusAnswer::Status(b) => {
                record_status(store, id, b, now, &mut sum).await?;
                sum.polled.push(id);
            }
            StatusAnswer::Lost => lost(store, id, now, &mut sum).await?,
            StatusAnswer::Later(problem) => {
                blocking(store, move |s| s.record_polled(id, now)).await?;
                sum.problem = Some(problem.code().to_owned());
            }
        }
    }
    Ok(sum)
}

#[cfg(test)]
mod tests;
