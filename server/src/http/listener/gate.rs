//! The connection cap: at most so many connections in all, and at most a share of them from
//! one client address, so one client cannot take every connection (or file descriptor).

use std::collections::HashMap;
use std::net::{IpAddr, Ipv6Addr};
use std::sync::{Arc, Mutex, MutexGuard};

use ipnet::IpNet;

pub struct Gate {
    max: usize,
    max_per_client: usize,
    /// Reverse proxies: every client comes through them, so they are held to the total only.
    exempt: Vec<IpNet>,
    open: Mutex<Open>,
}

#[derive(Default)]
struct Open {
    total: usize,
    per_client: HashMap<IpAddr, usize>,
}

/// One admitted connection; dropping it frees its place.
pub struct Ticket {
    gate: Arc<Gate>,
    client: Option<IpAddr>,
}

/// An IPv6 client is one /64 (a single host usually holds the whole block); IPv4 as it is.
pub fn client_key(ip: IpAddr) -> IpAddr {
    match ip.to_canonical() {
        IpAddr::V6(v6) => IpAddr::V6(Ipv6Addr::from(v6.to_bits() & !((1u128 << 64) - 1))),
        v4 => v4,
    }
}

impl Gate {
    pub fn new(max: usize, max_per_client: usize, exempt: Vec<IpNet>) -> Arc<Gate> {
        Arc::new(Gate {
            max,
            max_per_client,
            exempt,
            open: Mutex::new(Open::default()),
        })
    }

    fn open(&self) -> MutexGuard<'_, Open> {
        // The counts stay consistent whatever panicked while holding the lock.
        self.open.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// A place for a connection from `peer`, or `None` when there is none.
    pub fn admit(self: &Arc<Self>, peer: IpAddr) -> Option<Ticket> {
        let client = (!self.exempt.iter().any(|net| net.contains(&peer))).then(|| client_key(peer));
        let mut open = self.open();
        if open.total >= self.max {
            return None;
        }
        if let Some(key) = client {
            let n = open.per_client.entry(key).or_insert(0);
            if *n >= self.max_per_client {
                return None;
            }
            *n += 1;
        }
        open.total += 1;
        Some(Ticket {
            gate: self.clone(),
            client,
        })
    }
}

impl Drop for Ticket {
    fn drop(&mut self) {
        let mut open = self.gate.open();
        open.total = open.total.saturating_sub(1);
        if let Some(key) = self.client
            && let Some(n) = open.per_client.get_mut(&key)
        {
            *n -= 1;
            if *n == 0 {
                open.per_client.remove(&key);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap_or(IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED))
    }

    #[test]
    fn one_client_gets_its_share_and_others_still_get_in() {
        let gate = Gate::new(8, 2, vec![IpNet::from(ip("10.0.0.1"))]);
        let a: Vec<_> = (0..5).filter_map(|_| gate.admit(ip("192.0.2.1"))).collect();
        assert_eq!(a.len(), 2);
        // Another address of the same IPv6 /64 is the same client.
        let b1 = gate.admit(ip("2001:db8::1"));
        let b2 = gate.admit(ip("2001:db8::ffff:1"));
        assert!(b1.is_some() && b2.is_some() && gate.admit(ip("2001:db8::2")).is_none());
        // A trusted proxy is held to the total only.
        let proxy: Vec<_> = (0..10).filter_map(|_| gate.admit(ip("10.0.0.1"))).collect();
        assert_eq!(proxy.len(), 4);
        assert!(gate.admit(ip("192.0.2.9")).is_none(), "the total is reached");
        drop(a);
        assert!(
            gate.admit(ip("192.0.2.1")).is_some(),
            "a closed connection frees its place"
        );
    }
}
