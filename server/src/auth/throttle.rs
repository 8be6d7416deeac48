//! Failed attempts slow down, with growing delays instead of a hard lock. Two budgets:
//! - per (name, client): a few typing mistakes are free, then each further try waits longer;
//! - per name across all clients: guessing one name from many addresses slows down too, except
//!   from the addresses where that name signed in before (its owner's usual places), so an
//!   attack elsewhere never locks the owner out.
//!
//! An attempt is **reserved** before its check runs and counted as a failure at once; a success
//! takes it back. A burst of any size therefore gets at most the free attempts, however many run
//! at the same moment. A client is keyed by its address, IPv6 by its /64 (one household or
//! machine gets a whole /64, so single IPv6 addresses are free to choose).
//!
//! Every map is bounded: entries are kept in the order of their last use; one unused for
//! [`FORGET_AFTER`] is dropped, and at [`CAPACITY`] the least recently used goes. Pure: the
//! caller passes `now`.

use std::net::{IpAddr, Ipv6Addr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use hashlink::LinkedHashMap;
use sha2::{Digest, Sha256};

/// Failures per (name, client) that cost nothing: typing mistakes.
pub const FREE_FAILURES: u32 = 4;
/// Failures per name across all clients that are not its usual ones, before that name slows down.
pub const FREE_NAME_FAILURES: u32 = 20;
/// The wait after the first failure beyond the free ones; it doubles with each further failure.
pub const FIRST_DELAY: Duration = Duration::from_secs(30);
pub const MAX_DELAY: Duration = Duration::from_secs(15 * 60);
/// A counter not used for this long starts again from zero.
pub const FORGET_AFTER: Duration = Duration::from_secs(24 * 3600);
/// How long an address where a name signed in stays one of its usual addresses.
pub const USUAL_FOR: Duration = Duration::from_secs(90 * 24 * 3600);
/// Usual addresses remembered per name (the most recent ones).
pub const USUAL_PER_NAME: usize = 8;
pub const CAPACITY: usize = 100_000;

/// A name as a digest: a key's size does not depend on what a client sends.
type Name = [u8; 32];

/// Who a client is for every limit: its address, or for IPv6 its /64.
pub fn client_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(Ipv6Addr::from(v6.to_bits() & !((1u128 << 64) - 1))),
        },
        v4 => v4,
    }
}

/// How long a counter waits after its `failures`-th failure in a row, `free` of them free.
fn delay_after_free(failures: u32, free: u32) -> Duration {
    match failures.checked_sub(free + 1) {
        None => Duration::ZERO,
        Some(doublings) => FIRST_DELAY
            .checked_mul(1u32.checked_shl(doublings).unwrap_or(u32::MAX))
            .map_or(MAX_DELAY, |d| d.min(MAX_DELAY)),
    }
}

#[derive(Clone, Copy)]
struct Counter {
    failures: u32,
    last_used: Instant,
    blocked_until: Instant,
}

impl Counter {
    fn wait(&self, now: Instant) -> Option<Duration> {
        (self.blocked_until > now).then(|| self.blocked_until - now)
    }
}

/// A bounded map of counters, least recently used first.
struct Counters<K: std::hash::Hash + Eq> {
    map: LinkedHashMap<K, Counter>,
    free: u32,
}

impl<K: std::hash::Hash + Eq + Copy> Counters<K> {
    fn new(free: u32) -> Self {
        Counters {
            map: LinkedHashMap::new(),
            free,
        }
    }

    fn wait(&self, key: &K, now: Instant) -> Option<Duration> {
        self.map.get(key)?.wait(now)
    }

    /// One more failure (reserved ahead of its check).
    fn count(&mut self, key: K, now: Instant, capacity: usize) {
        let failures = match self.map.remove(&key) {
            Some(old) if now.saturating_duration_since(old.last_used) < FORGET_AFTER => old.failures,
            _ => 0,
        }
        .saturating_add(1);
        let blocked_until = now + delay_after_free(failures, self.free);
        self.map.insert(
            key,
            Counter {
                failures,
                last_used: now,
                blocked_until,
            },
        );
        forget_old(&mut self.map, now, capacity, |c| c.last_used, FORGET_AFTER);
    }

    /// A reserved failure that turned out a success: taken back.
    fn uncount(&mut self, key: &K, now: Instant) {
        if let Some(c) = self.map.get_mut(key) {
            c.failures = c.failures.saturating_sub(1);
            c.blocked_until = c.blocked_until.min(now + delay_after_free(c.failures, self.free));
        }
    }
}

/// Drop entries unused for `forget_after` (oldest first), then whatever exceeds `capacity`.
fn forget_old<K: std::hash::Hash + Eq, V>(
    map: &mut LinkedHashMap<K, V>,
    now: Instant,
    capacity: usize,
    last_used: impl Fn(&V) -> Instant,
    forget_after: Duration,
) {
    while let Some((_, oldest)) = map.front() {
        let forgotten = now.saturating_duration_since(last_used(oldest)) >= forget_after;
        if !forgotten && map.len() <= capacity {
            break;
        }
        map.pop_front();
    }
}

struct State {
    /// Whether a name has a budget across clients (logins); without one only clients are counted.
    name_budget: bool,
    per_client: Counters<(Name, IpAddr)>,
    per_name: Counters<Name>,
    /// Where each name signed in lately, most recent last. Written only on a success, so a flood
    /// of wrong guesses cannot push an owner's address out.
    usual: LinkedHashMap<Name, Vec<(IpAddr, Instant)>>,
}

impl State {
    /// Whether the name's shared budget leaves this client alone.
    fn is_usual(&self, name: &Name, client: IpAddr, now: Instant) -> bool {
        !self.name_budget
            || self.usual.get(name).is_some_and(|places| {
                places
                    .iter()
                    .any(|(ip, at)| *ip == client && now.saturating_duration_since(*at) < USUAL_FOR)
            })
    }
}

pub struct LoginThrottle {
    state: Mutex<State>,
    capacity: usize,
}

impl Default for LoginThrottle {
    fn default() -> LoginThrottle {
        LoginThrottle::with_capacity(CAPACITY)
    }
}

impl LoginThrottle {
    /// Per client only, no budget per name: for one-time codes, whose "name" is shared by every
    /// pharmacy (a budget across clients would let one attacker lock everyone out).
    pub fn per_client() -> LoginThrottle {
        let throttle = LoginThrottle::default();
        throttle.lock().name_budget = false;
        throttle
    }
}

fn digest(name: &str) -> Name {
    Sha256::digest(name.as_bytes()).into()
}

impl LoginThrottle {
    pub fn with_capacity(capacity: usize) -> LoginThrottle {
        LoginThrottle {
            state: Mutex::new(State {
                name_budget: true,
                per_client: Counters::new(FREE_FAILURES),
                per_name: Counters::new(FREE_NAME_FAILURES),
                usual: LinkedHashMap::new(),
            }),
            capacity: capacity.max(1),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// `Some(time left)` while this name must wait before a try from this address.
    pub fn wait(&self, name: &str, ip: IpAddr, now: Instant) -> Option<Duration> {
        let state = self.lock();
        let (name, client) = (digest(name), client_key(ip));
        let own = state.per_client.wait(&(name, client), now);
        let shared = if state.is_usual(&name, client, now) {
            None
        } else {
            state.per_name.wait(&name, now)
        };
        own.max(shared)
    }

    /// Reserve one attempt for this name from this address, counted as a failure until
    /// [`LoginThrottle::succeeded`] takes it back; `Err(time left)` while it must wait.
    pub fn reserve(&self, name: &str, ip: IpAddr, now: Instant) -> Result<(), Duration> {
        let mut state = self.lock();
        let (name, client) = (digest(name), client_key(ip));
        // Checked under the same lock as the count: two reservations cannot both pass the check.
        let usual = state.is_usual(&name, client, now);
        let own = state.per_client.wait(&(name, client), now);
        let shared = (!usual).then(|| state.per_name.wait(&name, now)).flatten();
        if let Some(wait) = own.max(shared) {
            return Err(wait);
        }
        state.per_client.count((name, client), now, self.capacity);
        if !usual {
            state.per_name.count(name, now, self.capacity);
        }
        Ok(())
    }

    /// A wrong answer in a step that reserved nothing (the code that confirms a second factor's
    /// setup): counted like a reserved attempt that failed.
    pub fn failed(&self, name: &str, ip: IpAddr, now: Instant) {
        let mut state = self.lock();
        let (name, client) = (digest(name), client_key(ip));
        let usual = state.is_usual(&name, client, now);
        state.per_client.count((name, client), now, self.capacity);
        if !usual {
            state.per_name.count(name, now, self.capacity);
        }
    }

    /// The right answer: this name and address start again from zero, the reserved failure of
    /// the name's budget is taken back, and the address becomes one of the name's usual ones.
    pub fn succeeded(&self, name: &str, ip: IpAddr, now: Instant) {
        let mut state = self.lock();
        let (name, client) = (digest(name), client_key(ip));
        state.per_client.map.remove(&(name, client));
        if !state.is_usual(&name, client, now) {
            state.per_name.uncount(&name, now);
        }
        let mut places = state.usual.remove(&name).unwrap_or_default();
        places.retain(|(ip, at)| *ip != client && now.saturating_duration_since(*at) < USUAL_FOR);
        places.push((client, now));
        if places.len() > USUAL_PER_NAME {
            places.remove(0);
        }
        state.usual.insert(name, places);
        let capacity = self.capacity;
        forget_old(
            &mut state.usual,
            now,
            capacity,
            |places| places.last().map_or(now, |(_, at)| *at),
            USUAL_FOR,
        );
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.lock().per_client.map.len()
    }
}

/// Whole seconds for `Retry-After`, rounded up, at least 1.
pub fn retry_after_secs(wait: Duration) -> u64 {
    (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1)
}

#[cfg(test)]
mod tests;
