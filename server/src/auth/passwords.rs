//! Password checks in a bounded pool. One argon2 check takes about 19 MiB and 20 ms of a core;
//! on tokio's unbounded blocking pool 200 concurrent logins took 15.8 GiB. Here at most
//! `workers` checks run at once and a short queue waits for them; beyond it the caller answers
//! 503 with `Retry-After`. An unknown name is checked against a dummy hash, as expensively and
//! inside the same bound as a known one.

use std::sync::Arc;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::auth;

/// Checks running at once, at most (each holds about 19 MiB while it runs).
pub const MAX_WORKERS: usize = 8;
/// Checks that may wait for a worker, per worker.
pub const QUEUE_PER_WORKER: usize = 4;

#[derive(Debug, thiserror::Error)]
#[error("every password check slot is taken")]
pub struct Busy;

pub struct PasswordChecks {
    /// Running plus waiting checks.
    admission: Arc<Semaphore>,
    workers: Arc<Semaphore>,
}

/// A place in the pool (running or waiting); dropping it gives the place back.
pub struct Admission {
    admitted: OwnedSemaphorePermit,
    workers: Arc<Semaphore>,
}

impl PasswordChecks {
    pub fn new(workers: usize, queue: usize) -> PasswordChecks {
        let workers = workers.max(1);
        PasswordChecks {
            admission: Arc::new(Semaphore::new(workers + queue)),
            workers: Arc::new(Semaphore::new(workers)),
        }
    }

    /// About one worker per core, at most [`MAX_WORKERS`].
    pub fn for_this_machine() -> PasswordChecks {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        let workers = cores.clamp(1, MAX_WORKERS);
        PasswordChecks::new(workers, workers * QUEUE_PER_WORKER)
    }

    /// A place in the pool, or [`Busy`] at once when the queue is full.
    pub fn admit(&self) -> Result<Admission, Busy> {
        let admitted = self.admission.clone().try_acquire_owned().map_err(|_| Busy)?;
        Ok(Admission {
            admitted,
            workers: self.workers.clone(),
        })
    }
}

impl Admission {
    /// Wait for a worker and check `password` against `hash` (the dummy hash when the user does
    /// not exist). The places are held until the check ends, even if the caller goes away.
    pub async fn verify(self, password: String, hash: Option<String>) -> Result<bool, Busy> {
        let worker = self.workers.clone().acquire_owned().await.map_err(|_| Busy)?;
        let admitted = self.admitted;
        tokio::task::spawn_blocking(move || {
            let _places = (admitted, worker);
            let hash = hash.as_deref().unwrap_or_else(|| auth::dummy_hash());
            auth::verify_password(&password, hash)
        })
        .await
        .map_err(|_| Busy)
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
