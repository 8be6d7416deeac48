//! Password checks in a bounded pool. One argon2 check takes about 19 MiB and 20 ms of a core;
//! on tokio's unbounded blocking pool 200 concurrent logins took 15.8 GiB. Here at most
//! `workers` checks run at once and a short queue waits for them; beyond it the caller answers
//! 503 with `Retry-After`. An unknown name is checked against a dummy hash, as expensively and
//! inside the same bound as a known one.

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
    _place: OwnedSemaphorePermit,
}

/// A fixed set of worker threads (not tokio's blocking pool, whose many short-lived threads each
/// keep an argon2-sized heap arena) and a bounded number of places for checks.
pub struct PasswordChecks {
    /// Running plus waiting checks.
    admission: Arc<Semaphore>,
    jobs: Mutex<Sender<Job>>,
}

/// A place in the pool (running or waiting); dropping it gives the place back.
pub struct Admission<'a> {
    place: OwnedSemaphorePermit,
    pool: &'a PasswordChecks,
}

impl PasswordChecks {
    pub fn new(workers: usize, queue: usize) -> PasswordChecks {
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
            jobs: Mutex::new(jobs),
        }
    }

    /// About one worker per core, at most [`MAX_WORKERS`].
    pub fn for_this_machine() -> PasswordChecks {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        let workers = cores.clamp(1, MAX_WORKERS);
        PasswordChecks::new(workers, workers * QUEUE_PER_WORKER)
    }

    /// A place in the pool, or [`Busy`] at once when the queue is full.
    pub fn admit(&self) -> Result<Admission<'_>, Busy> {
        let place = self.admission.clone().try_acquire_owned().map_err(|_| Busy)?;
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

    #[test]
    fn beyond_the_queue_is_busy_and_places_come_back() {
        let pool = PasswordChecks::new(1, 2);
        let first = pool.admit();
        let second = pool.admit();
        let third = pool.admit();
        assert!(first.is_ok() && second.is_ok() && third.is_ok());
        assert!(
            pool.admit().is_err(),
            "one worker and two waiting: the fourth is refused"
        );
        drop(second);
        assert!(pool.admit().is_ok(), "a place given back is free again");
    }

    #[tokio::test]
    async fn checks_known_and_unknown_names_inside_the_bound() -> anyhow::Result<()> {
        let pool = PasswordChecks::new(1, 0);
        let hash = auth::hash_password("lang-genoeg-wachtwoord")?;
        let ok = pool
            .admit()?
            .verify("lang-genoeg-wachtwoord".into(), Some(hash.clone()))
            .await?;
        assert!(ok);
        let wrong = pool.admit()?.verify("fout".into(), Some(hash)).await?;
        assert!(!wrong);
        let held = pool.admit()?;
        assert!(pool.admit().is_err(), "one place, taken");
        assert!(
            !held.verify("wat-dan-ook".into(), None).await?,
            "an unknown name never passes"
        );
        assert!(pool.admit().is_ok(), "the place is back after the check");
        Ok(())
    }
}
