//! Failed logins slow down per (name, client address), with growing delays instead of a hard
//! lock: the right password from another address is never held up, and whoever guesses from one
//! address waits longer after every miss. Pure: the caller passes `now`.
//!
//! The map is bounded: entries are kept in the order of their last failure; one not failed for
//! [`FORGET_AFTER`] is dropped, and when [`CAPACITY`] is reached the entry that failed longest ago
//! goes. Nobody else's counter is touched. (A flood of new names costs its sender one argon2 check
//! per name in the bounded pool of `auth/passwords.rs`, so churning the map is slow.)

use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use hashlink::LinkedHashMap;
use sha2::{Digest, Sha256};

/// Failures that cost nothing: typing mistakes.
pub const FREE_FAILURES: u32 = 4;
/// The wait after the first failure beyond the free ones; it doubles with each further failure.
pub const FIRST_DELAY: Duration = Duration::from_secs(30);
pub const MAX_DELAY: Duration = Duration::from_secs(15 * 60);
/// A (name, address) that has not failed for this long starts again from zero.
pub const FORGET_AFTER: Duration = Duration::from_secs(24 * 3600);
pub const CAPACITY: usize = 100_000;

/// The name as a digest: a key's size does not depend on what a client sends.
type Key = ([u8; 32], IpAddr);

struct Entry {
    failures: u32,
    last_failure: Instant,
    blocked_until: Instant,
}

/// How long a (name, address) waits after its `failures`-th failure in a row.
pub fn delay_after(failures: u32) -> Duration {
    match failures.checked_sub(FREE_FAILURES + 1) {
        None => Duration::ZERO,
        Some(doublings) => FIRST_DELAY
            .checked_mul(1u32.checked_shl(doublings).unwrap_or(u32::MAX))
            .map_or(MAX_DELAY, |d| d.min(MAX_DELAY)),
    }
}

pub struct LoginThrottle {
    entries: Mutex<LinkedHashMap<Key, Entry>>,
    capacity: usize,
}

impl Default for LoginThrottle {
    fn default() -> LoginThrottle {
        LoginThrottle::with_capacity(CAPACITY)
    }
}

fn key(name: &str, ip: IpAddr) -> Key {
    (Sha256::digest(name.as_bytes()).into(), ip)
}

impl LoginThrottle {
    pub fn with_capacity(capacity: usize) -> LoginThrottle {
        LoginThrottle {
            entries: Mutex::new(LinkedHashMap::new()),
            capacity: capacity.max(1),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, LinkedHashMap<Key, Entry>> {
        self.entries.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// `Some(time left)` while this name and address must wait before the next try.
    pub fn wait(&self, name: &str, ip: IpAddr, now: Instant) -> Option<Duration> {
        let map = self.lock();
        let entry = map.get(&key(name, ip))?;
        (entry.blocked_until > now).then(|| entry.blocked_until - now)
    }

    /// A wrong name or password from this address.
    pub fn failed(&self, name: &str, ip: IpAddr, now: Instant) {
        let mut map = self.lock();
        let key = key(name, ip);
        let failures = match map.remove(&key) {
            Some(old) if now.saturating_duration_since(old.last_failure) < FORGET_AFTER => old.failures,
            _ => 0,
        }
        .saturating_add(1);
        map.insert(
            key,
            Entry {
                failures,
                last_failure: now,
                blocked_until: now + delay_after(failures),
            },
        );
        // Oldest failures first: drop the forgotten ones, then whatever exceeds the bound.
        while let Some((_, oldest)) = map.front() {
            let forgotten = now.saturating_duration_since(oldest.last_failure) >= FORGET_AFTER;
            if !forgotten && map.len() <= self.capacity {
                break;
            }
            map.pop_front();
        }
    }

    /// The right password: this name and address start again from zero.
    pub fn succeeded(&self, name: &str, ip: IpAddr) {
        self.lock().remove(&key(name, ip));
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.lock().len()
    }
}

/// Whole seconds for `Retry-After`, rounded up, at least 1.
pub fn retry_after_secs(wait: Duration) -> u64 {
    (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(192, 0, 2, 1));
    const B: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(198, 51, 100, 7));

    #[test]
    fn delays_grow_after_the_free_failures_and_stop_at_the_cap() {
        let t = LoginThrottle::default();
        let mut now = Instant::now();
        for _ in 0..FREE_FAILURES {
            assert_eq!(t.wait("anna", A, now), None);
            t.failed("anna", A, now);
        }
        assert_eq!(t.wait("anna", A, now), None, "typing mistakes cost nothing");
        let mut previous = Duration::ZERO;
        for _ in 0..12 {
            t.failed("anna", A, now);
            let wait = t.wait("anna", A, now).unwrap_or_default();
            assert!(wait > previous || wait == MAX_DELAY, "{wait:?} after {previous:?}");
            assert!(wait <= MAX_DELAY);
            previous = wait;
            now += wait; // the client waited as told
            assert_eq!(t.wait("anna", A, now), None, "no hard lock: the wait ends");
        }
        assert_eq!(previous, MAX_DELAY);
        assert_eq!(delay_after(FREE_FAILURES + 1), FIRST_DELAY);
        assert_eq!(delay_after(FREE_FAILURES + 2), FIRST_DELAY * 2);
        assert_eq!(delay_after(u32::MAX), MAX_DELAY);
    }

    #[test]
    fn another_address_and_another_name_are_unaffected() {
        let t = LoginThrottle::default();
        let now = Instant::now();
        for _ in 0..20 {
            t.failed("anna", A, now);
        }
        assert!(t.wait("anna", A, now).is_some());
        assert_eq!(t.wait("anna", B, now), None, "the right password from B is not held up");
        assert_eq!(t.wait("bram", A, now), None, "per name");
        t.succeeded("anna", B);
        assert!(t.wait("anna", A, now).is_some(), "a success elsewhere does not clear A");
        t.succeeded("anna", A);
        assert_eq!(t.wait("anna", A, now), None);
    }

    #[test]
    fn the_bound_drops_the_oldest_entry_only() {
        let t = LoginThrottle::with_capacity(100);
        let now = Instant::now();
        let ip = |i: u8| IpAddr::V4(std::net::Ipv4Addr::new(10, 0, 0, i));
        for i in 0..100 {
            for _ in 0..10 {
                t.failed("anna", ip(i), now);
            }
        }
        assert_eq!(t.len(), 100);
        // Address 0 fails again: it moves to the back, address 1 is now the oldest.
        t.failed("anna", ip(0), now + Duration::from_secs(1));
        t.failed("flood", ip(200), now + Duration::from_secs(2));
        assert_eq!(t.len(), 100, "bounded");
        let later = now + Duration::from_secs(3);
        assert_eq!(t.wait("anna", ip(1), later), None, "the oldest entry went");
        for i in (0..100).filter(|i| *i != 1) {
            assert!(t.wait("anna", ip(i), later).is_some(), "address {i} keeps its counter");
        }
    }

    #[test]
    fn old_failures_are_forgotten() {
        let t = LoginThrottle::default();
        let now = Instant::now();
        for _ in 0..10 {
            t.failed("anna", A, now);
        }
        let next_day = now + FORGET_AFTER;
        t.failed("bram", B, next_day);
        assert_eq!(t.len(), 1, "anna's day-old entry was dropped");
        t.failed("anna", A, next_day);
        assert_eq!(t.wait("anna", A, next_day), None, "counting starts again");
    }

    #[test]
    fn retry_after_rounds_up() {
        assert_eq!(retry_after_secs(Duration::from_millis(1)), 1);
        assert_eq!(retry_after_secs(Duration::from_millis(29_001)), 30);
        assert_eq!(retry_after_secs(Duration::from_secs(30)), 30);
    }
}
