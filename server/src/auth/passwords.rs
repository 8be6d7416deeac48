//! Password checks in a bounded pool. One argon2 check takes about 19 MiB and 20 ms of a core;
//! on tokio's unbounded blocking pool 200 concurrent logins took 15.8 GiB. Here at most
//! `workers` checks run at once and a short queue waits for them; beyond it the caller answers
//! 503 with `Retry-After`. An unknown name is checked against a dummy hash, as expensively and
//! inside the same bound as a known one.
//!
//! Each client (an address, an IPv6 /64) holds at most its share of the places, running or
//! waiting: a flood from one client fills its share and is answered 503, while the other places
//! stay free for everyone else's sign-ins.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};

use tokio::sync::{OwnedSemaphorePermit, Semaphore, oneshot};

use crate::auth;

/// Checks running at once, at most (each holds about 19 MiB while it runs).
pub const MAX_WORKERS: usize = 8;
/// Checks that may wait for a worker, per worker.
pub const QUEUE_PER_WORKER: usize = 4;

#[derive(Debug, thiserror::Error)]
#[error("every password check slot is taken")]
pub struct Busy;

/// A check for a worker thread; its place in the pool is held until the check ends.
struct Job {
    password: String,
    hash: Option<String>,
    answer: oneshot::Sender<bool>,
    _place: Place,
}

/// Places held per client. Bounded by the pool: a client is in the map only while it holds a place.
type Shares = Arc<Mutex<HashMap<IpAddr, usize>>>;

/// One place in the pool, counted against its client's share; dropping it gives both back.
struct Place {
    _permit: OwnedSemaphorePermit,
    client: IpAddr,
    shares: Shares,
}

impl Drop for Place {
    fn drop(&mut self) {
        let mut shares = self.shares.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(held) = shares.get_mut(&self.client) {
            *held = held.saturating_sub(1);
            if *held == 0 {
                shares.remove(&self.client);
            }
        }
    }
}

/// A fixed set of worker threads (not tokio's blocking pool, whose many short-lived threads each
/// keep an argon2-sized heap arena) and a bounded number of places for checks.
pub struct PasswordChecks {
    /// Running plus waiting checks.
    admission: Arc<Semaphore>,
    /// Places one client may hold at once.
    share: usize,
    shares: Shares,
    jobs: Mutex<Sender<Job>>,
}

/// A place in the pool (running or waiting); dropping it gives the place back.
pub struct Admission<'a> {
    place: Place,
    pool: &'a PasswordChecks,
}

impl PasswordChecks {
    /// `workers` checks at once, `queue` waiting, and each client at most `share` of them.
    pub fn new(workers: usize, queue: usize, share: usize) -> PasswordChecks {
        let workers = workers.max(1);
        let (jobs, inbox) = channel::<Job>();
        let inbox = Arc::new(Mutex::new(inbox));
        for n in 0..workers {
            let inbox = inbox.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("password-check-{n}"))
                .spawn(move || work(&inbox));
            if let Err(e) = spawned {
                tracing::error!(error = %e, "no password check thread");
            }
        }
        PasswordChecks {
            admission: Arc::new(Semaphore::new(workers + queue)),
            share: share.max(1),
            shares: Shares::default(),
            jobs: Mutex::new(jobs),
        }
    }

    /// About one worker per core, at most [`MAX_WORKERS`]; one client may keep half the workers
    /// busy (at least one), so a flood from one address leaves a core for everyone else.
    pub fn for_this_machine() -> PasswordChecks {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        let workers = cores.clamp(1, MAX_WORKERS);
        PasswordChecks::new(workers, workers * QUEUE_PER_WORKER, workers.div_ceil(2))
    }

    /// A place in the pool for `client` (see [`crate::auth::throttle::client_key`]), or [`Busy`]
    /// at once when the pool is full or the client holds its share already.
    pub fn admit(&self, client: IpAddr) -> Result<Admission<'_>, Busy> {
        let mut shares = self.shares.lock().unwrap_or_else(|p| p.into_inner());
        let held = shares.get(&client).copied().unwrap_or(0);
        if held >= self.share {
            return Err(Busy);
        }
        let permit = self.admission.clone().try_acquire_owned().map_err(|_| Busy)?;
        shares.insert(client, held + 1);
        drop(shares);
        let place = Place {
            _permit: permit,
            client,
            shares: self.shares.clone(),
        };
        Ok(Admission { place, pool: self })
    }
}

fn work(inbox: &Mutex<Receiver<Job>>) {
    let mut blocks = Vec::new();
    loop {
        let job = match inbox.lock().unwrap_or_else(|p| p.into_inner()).recv() {
            Ok(job) => job,
            Err(_) => return, // the pool is gone
        };
        let Job {
            password,
            hash,
            answer,
            _place: place,
        } = job;
        let hash = hash.as_deref().unwrap_or_else(|| auth::dummy_hash());
        let ok = auth::verify_password_reusing(&password, hash, &mut blocks);
        // The place comes back before the answer, so whoever is woken by it finds it free.
        drop(place);
        let _ = answer.send(ok);
    }
}

impl Admission<'_> {
    /// Wait for a worker and check `password` against `hash` (the dummy hash when the user does
    /// not exist). The place is held until the check ends, even if the caller goes away.
    pub async fn verify(self, password: String, hash: Option<String>) -> Result<bool, Busy> {
        let (answer, answered) = oneshot::channel();
        let job = Job {
            password,
            hash,
            answer,
            _place: self.place,
        };
        self.pool
            .jobs
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .send(job)
            .map_err(|_| Busy)?;
        answered.await.map_err(|_| Busy)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(i: u8) -> IpAddr {
        IpAddr::V4(std::net::Ipv4Addr::new(192, 0, 2, i))
    }

    #[test]
    fn beyond_the_queue_is_busy_and_places_come_back() {
        let pool = PasswordChecks::new(1, 2, 1);
        let first = pool.admit(client(1));
        let second = pool.admit(client(2));
        let third = pool.admit(client(3));
        assert!(first.is_ok() && second.is_ok() && third.is_ok());
        assert!(
            pool.admit(client(4)).is_err(),
            "one worker and two waiting: the fourth is refused"
        );
        drop(second);
        assert!(pool.admit(client(4)).is_ok(), "a place given back is free again");
    }

    /// The attack: one client asks for every place. It gets its share; the rest stay free.
    #[test]
    fn one_client_holds_its_share_and_no_more() {
        let pool = PasswordChecks::new(2, 8, 1);
        let flood: Vec<_> = (0..200).filter_map(|_| pool.admit(client(1)).ok()).collect();
        assert_eq!(flood.len(), 1, "the flood's share");
        let others: Vec<_> = (2..11).filter_map(|i| pool.admit(client(i)).ok()).collect();
        assert_eq!(others.len(), 9, "every other client finds a place");
        drop(flood);
        assert!(pool.admit(client(1)).is_ok(), "the share comes back");
        assert!(
            pool.shares.lock().map(|s| s.len() <= 10).unwrap_or(false),
            "bounded by the pool"
        );
    }

    #[tokio::test]
    async fn checks_known_and_unknown_names_inside_the_bound() -> anyhow::Result<()> {
        let pool = PasswordChecks::new(1, 0, 1);
        let me = client(1);
        let hash = auth::hash_password("lang-genoeg-wachtwoord")?;
        let ok = pool
            .admit(me)?
            .verify("lang-genoeg-wachtwoord".into(), Some(hash.clone()))
            .await?;
        assert!(ok);
        let wrong = pool.admit(me)?.verify("fout".into(), Some(hash)).await?;
        assert!(!wrong);
        let held = pool.admit(me)?;
        assert!(pool.admit(client(2)).is_err(), "one place, taken");
        assert!(
            !held.verify("wat-dan-ook".into(), None).await?,
            "an unknown name never passes"
        );
        assert!(pool.admit(me).is_ok(), "the place is back after the check");
        Ok(())
    }
}
