//! Notice of new reports by e-mail: when a report reaches a region's inbox (new, or handed over
//! to it) and the region has a notification address (`region set-notify`), a notice is queued
//! in the same transaction ([`notices::queue`]); this worker sends the queue over SMTP
//! (`MASKER19_SMTP_*`, with lettre) with the webhook's retry schedule, then gives up and logs it
//! without personal data. A notice never holds report content ([`message::compose`]) and never
//! blocks or fails a report: the report is accepted whatever the SMTP server does.

pub mod message;

use std::sync::Arc;
use std::time::Duration as StdDuration;

use chrono::Utc;
use lettre::message::header::ContentType;
use lettre::message::{Mailbox, Message};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{Address, AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

use crate::db::{StoreResult, parse_ts};
use crate::forward::schedule;
use crate::settings::{Settings, SmtpSettings, SmtpTls};
use crate::store::{Store, notices};

/// Notices sent in one round; the rest follow at once in the next.
const BATCH: usize = 20;
const IDLE_POLL: StdDuration = StdDuration::from_secs(1);
/// One SMTP conversation at most this long (connect, TLS, send).
const SEND_TIMEOUT: StdDuration = StdDuration::from_secs(10);

/// An e-mail address (`region set-notify --email`), as the SMTP transport takes it.
pub fn parse_address(text: &str) -> Result<Address, lettre::address::AddressError> {
    text.trim().parse()
}

pub struct Notifier {
    store: Store,
    settings: Arc<Settings>,
    from: Mailbox,
    transport: AsyncSmtpTransport<Tokio1Executor>,
}

impl Notifier {
    /// The worker, or `None` when no SMTP server is set (notices then wait in the queue).
    pub fn new(store: Store, settings: Arc<Settings>) -> anyhow::Result<Option<Notifier>> {
        let Some(smtp) = settings.smtp.clone() else {
            return Ok(None);
        };
        // Checked in the settings already; this is the typed value.
        let from: Mailbox = smtp
            .from
            .parse()
            .map_err(|e| anyhow::anyhow!("MASKER19_SMTP_FROM is not an e-mail address: {e}"))?;
        Ok(Some(Notifier {
            store,
            from,
            transport: transport(&smtp)?,
            settings,
        }))
    }

    pub async fn run(self) {
        loop {
            let pause = match self.send_due().await {
                Ok(true) => continue,
                Ok(false) => self.until_next_due().await,
                Err(e) => {
                    tracing::error!(error = %e, "notices: store fault; retrying");
                    IDLE_POLL
                }
            };
            tokio::time::sleep(pause).await;
        }
    }

    /// Send the due notices one after another; whether there were any.
    async fn send_due(&self) -> StoreResult<bool> {
        let due = self.store.call(|c| notices::due(c, Utc::now(), BATCH)).await?;
        let any = !due.is_empty();
        for notice in due {
            self.attempt(notice).await?;
        }
        Ok(any)
    }

    async fn until_next_due(&self) -> StdDuration {
        let next = self
            .store
            .call(|c| notices::next_due_at(c))
            .await
            .ok()
            .flatten()
            .and_then(|s| parse_ts(&s));
        schedule::pause_until(next, Utc::now(), IDLE_POLL)
    }

    /// One attempt at one notice, and its outcome in the store.
    async fn attempt(&self, n: notices::DueNotice) -> StoreResult<()> {
        let outcome = self.send(&n).await;
        let now = Utc::now();
        let id = n.id;
        match outcome {
            Ok(()) => self.store.call(move |c| notices::sent(c, id, now)).await,
            Err(failure) => {
                let failures = n.attempts + 1;
                let next = schedule::next_delay(failures, None).map(|wait| now + self.settings.scale_retry(wait));
                // Neither the address nor the server's answer goes to the log: only what failed.
                if next.is_none() {
                    tracing::warn!(notice = id, region = %n.vt_region, failures, kind = failure.kind, "e-mail notice given up");
                } else {
                    tracing::info!(notice = id, region = %n.vt_region, failures, kind = failure.kind, "e-mail notice failed; will retry");
                }
                self.store
                    .call(move |c| notices::failed(c, id, &failure.detail, next, now))
                    .await
            }
        }
    }

    async fn send(&self, n: &notices::DueNotice) -> Result<(), Failure> {
        let to = parse_address(&n.email).map_err(|e| Failure {
            kind: "address",
            detail: format!("the region's notification address is invalid: {e}"),
        })?;
        let (subject, body) = message::compose(&n.report_id, n.event, self.settings.public_url.as_ref());
        let mail = Message::builder()
            .from(self.from.clone())
            .to(Mailbox::new(None, to))
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body)
            .map_err(|e| Failure {
                kind: "message",
                detail: e.to_string(),
            })?;
        self.transport.send(mail).await.map(|_| ()).map_err(|e| Failure {
            kind: if e.is_timeout() {
                "timeout"
            } else if e.is_permanent() {
                "refused permanently"
            } else if e.is_transient() {
                "refused for now"
            } else {
                "connection"
            },
            detail: e.to_string(),
        })
    }
}

/// Why an attempt failed: `kind` for the log, `detail` for the store.
struct Failure {
    kind: &'static str,
    detail: String,
}

fn transport(s: &SmtpSettings) -> anyhow::Result<AsyncSmtpTransport<Tokio1Executor>> {
    let builder = match s.tls {
        SmtpTls::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&s.host),
        SmtpTls::StartTls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&s.host)?,
        SmtpTls::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&s.host)?,
    };
    let mut builder = builder.port(s.port).timeout(Some(SEND_TIMEOUT));
    if let Some((user, password)) = &s.credentials {
        builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
    }
    Ok(builder.build())
}
