//! The forwarder: drains the outbox to each region's webhook (Standard Webhooks), with the
//! contract's retry schedule. At least once: a delivery is marked only after a 2xx, so a crash
//! in between sends it again with the same `webhook-id`.
//!
//! Regions are isolated: each delivery runs as its own task, at most [`PER_REGION`] at once for
//! one region and [`MAX_IN_FLIGHT`] in all. A region whose receiver hangs fills only its own
//! places until its requests time out; every other region's deliveries start as soon as they
//! are due.

mod deliver;
pub use deliver::webhook_data;
pub mod schedule;
pub mod signature;

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration as StdDuration;

use chrono::Utc;
use tokio::sync::Notify;
use tokio::task::{self, JoinSet};

use crate::db::{StoreResult, parse_ts};
use crate::settings::Settings;
use crate::store::Store;
use crate::store::outbox;

/// Deliveries to one region at once.
pub const PER_REGION: usize = 8;
/// Deliveries in flight in all (the 25 regions at their limit fit).
pub const MAX_IN_FLIGHT: usize = 200;
const IDLE_POLL: StdDuration = StdDuration::from_secs(1);
const REQUEST_TIMEOUT: StdDuration = StdDuration::from_secs(10);

#[derive(Clone)]
pub struct Forwarder {
    store: Store,
    http: reqwest::Client,
    settings: Arc<Settings>,
    /// Woken when a report is accepted, so delivery does not wait for the next poll.
    pub wake: Arc<Notify>,
    /// Unix seconds of the loop's last round: `/readyz` tells a stalled forwarder by it.
    pub heartbeat: Arc<AtomicI64>,
}

/// The deliveries under way: which outbox rows, and how many per region.
#[derive(Default)]
struct InFlight {
    tasks: JoinSet<StoreResult<()>>,
    rows: HashMap<task::Id, (i64, String)>,
    per_region: HashMap<String, usize>,
}

impl InFlight {
    fn ids(&self) -> Vec<i64> {
        self.rows.values().map(|(id, _)| *id).collect()
    }

    fn full_regions(&self) -> Vec<&str> {
        self.per_region
            .iter()
            .filter(|(_, n)| **n >= PER_REGION)
            .map(|(r, _)| r.as_str())
            .collect()
    }

    fn room_in(&self, region: &str) -> bool {
        self.per_region.get(region).copied().unwrap_or(0) < PER_REGION
    }

    fn start(&mut self, forwarder: &Forwarder, d: outbox::Due) {
        let row = (d.outbox_id, d.vt_region.clone());
        *self.per_region.entry(d.vt_region.clone()).or_default() += 1;
        let this = forwarder.clone();
        let handle = self.tasks.spawn(async move { this.deliver(d).await });
        self.rows.insert(handle.id(), row);
    }

    fn finish(&mut self, id: task::Id, outcome: Result<StoreResult<()>, task::JoinError>) {
        match outcome {
            Ok(Err(e)) => tracing::error!(error = %e, "forwarder: could not record an attempt"),
            Err(e) => tracing::error!(error = %e, "forwarder: delivery task failed"),
            Ok(Ok(())) => {}
        }
        if let Some((_, region)) = self.rows.remove(&id)
            && let Some(n) = self.per_region.get_mut(&region)
        {
            *n = n.saturating_sub(1);
            if *n == 0 {
                self.per_region.remove(&region);
            }
        }
    }

    fn reap(&mut self) {
        while let Some(done) = self.tasks.try_join_next_with_id() {
            match done {
                Ok((id, outcome)) => self.finish(id, Ok(outcome)),
                Err(e) => self.finish(e.id(), Err(e)),
            }
        }
    }
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
            heartbeat: Arc::new(AtomicI64::new(Utc::now().timestamp())),
        })
    }

    pub async fn run(self) {
        let mut flight = InFlight::default();
        loop {
            self.heartbeat.store(Utc::now().timestamp(), Ordering::Relaxed);
            flight.reap();
            let sleep = match self.start_due(&mut flight).await {
                Ok(true) => StdDuration::ZERO,
                Ok(false) => self.until_next_due(&flight).await,
                Err(e) => {
                    tracing::error!(error = %e, "forwarder: store fault; retrying");
                    IDLE_POLL
                }
            };
            if sleep.is_zero() {
                continue;
            }
            tokio::select! {
                Some(done) = flight.tasks.join_next_with_id() => match done {
                    Ok((id, outcome)) => flight.finish(id, Ok(outcome)),
                    Err(e) => flight.finish(e.id(), Err(e)),
                },
                _ = self.wake.notified() => {}
                _ = tokio::time::sleep(sleep) => {}
            }
        }
    }

    /// Start every due delivery there is room for; whether more may be waiting right now (the
    /// query was cut off by the overall limit).
    async fn start_due(&self, flight: &mut InFlight) -> StoreResult<bool> {
        let room = MAX_IN_FLIGHT.saturating_sub(flight.rows.len());
        if room == 0 {
            return Ok(false);
        }
        let now = Utc::now();
        let in_flight = flight.ids();
        let busy = flight.per_region.clone();
        let due = self
            .store
            .call(move |c| outbox::due(c, now, &in_flight, &busy, PER_REGION, room))
            .await?;
        let cut_off = due.len() == room;
        for d in due {
            if flight.room_in(&d.vt_region) {
                flight.start(self, d);
            }
        }
        Ok(cut_off && flight.rows.len() < MAX_IN_FLIGHT)
    }

    /// How long until a delivery falls due that could start (at most [`IDLE_POLL`]); a finished
    /// delivery or a new report ends the wait earlier.
    async fn until_next_due(&self, flight: &InFlight) -> StdDuration {
        let in_flight = flight.ids();
        let full: Vec<String> = flight.full_regions().into_iter().map(str::to_owned).collect();
        let next = self
            .store
            .call(move |c| {
                let full: Vec<&str> = full.iter().map(String::as_str).collect();
                outbox::next_due_at(c, &in_flight, &full)
            })
            .await
            .ok()
            .flatten()
            .and_then(|s| parse_ts(&s));
        schedule::pause_until(next, Utc::now(), IDLE_POLL)
    }
}
