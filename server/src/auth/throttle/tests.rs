use super::*;

const A: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(192, 0, 2, 1));
const B: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(198, 51, 100, 7));

fn delay_after(failures: u32) -> Duration {
    delay_after_free(failures, FREE_FAILURES)
}

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap_or(IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED))
}

fn v4(i: u32) -> IpAddr {
    IpAddr::V4(std::net::Ipv4Addr::from(0x0a00_0000 + i))
}

/// The attack: 60 guesses at the same moment. Only the free attempts and the one that starts
/// the wait are let through, whatever runs at once.
#[test]
fn a_burst_gets_no_more_than_the_free_attempts() {
    let t = LoginThrottle::default();
    let now = Instant::now();
    let granted = std::thread::scope(|s| {
        let runs: Vec<_> = (0..60).map(|_| s.spawn(|| t.reserve("anna", A, now).is_ok())).collect();
        runs.into_iter().filter_map(|r| r.join().ok()).filter(|ok| *ok).count()
    });
    assert_eq!(granted as u32, FREE_FAILURES + 1);
    assert_eq!(
        t.wait("anna", A, now),
        Some(FIRST_DELAY),
        "then the first wait, not 15 minutes"
    );
    assert_eq!(t.reserve("anna", B, now), Ok(()), "the owner elsewhere is not held up");
}

#[test]
fn delays_grow_after_the_free_failures_and_stop_at_the_cap() {
    let t = LoginThrottle::default();
    let mut now = Instant::now();
    for _ in 0..FREE_FAILURES {
        assert_eq!(t.reserve("anna", A, now), Ok(()));
    }
    assert_eq!(t.wait("anna", A, now), None, "typing mistakes cost nothing");
    let mut previous = Duration::ZERO;
    for _ in 0..12 {
        assert_eq!(t.reserve("anna", A, now), Ok(()));
        let wait = t.wait("anna", A, now).unwrap_or_default();
        assert!(wait > previous || wait == MAX_DELAY, "{wait:?} after {previous:?}");
        assert!(wait <= MAX_DELAY);
        assert_eq!(t.reserve("anna", A, now), Err(wait), "no try while waiting");
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
fn a_success_takes_its_reservation_back() {
    let t = LoginThrottle::default();
    let now = Instant::now();
    for _ in 0..20 {
        assert_eq!(t.reserve("anna", A, now), Ok(()));
        t.succeeded("anna", A, now);
    }
    assert_eq!(t.wait("anna", A, now), None, "twenty right passwords cost nothing");
    assert_eq!(t.reserve("anna", A, now), Ok(()));
    assert_eq!(t.len(), 1, "an attempt not yet known right counts");
}

#[test]
fn another_address_and_another_name_are_unaffected() {
    let t = LoginThrottle::default();
    let now = Instant::now();
    for _ in 0..20 {
        let _ = t.reserve("anna", A, now);
    }
    assert!(t.wait("anna", A, now).is_some());
    assert_eq!(t.wait("anna", B, now), None, "the right password from B is not held up");
    assert_eq!(t.wait("bram", A, now), None, "per name");
    t.succeeded("anna", B, now);
    assert!(t.wait("anna", A, now).is_some(), "a success elsewhere does not clear A");
    t.succeeded("anna", A, now);
    assert_eq!(t.wait("anna", A, now), None);
}

#[test]
fn ipv6_clients_are_keyed_by_their_64() {
    let t = LoginThrottle::default();
    let now = Instant::now();
    // One machine hopping through its /64: every address is the same client.
    for i in 0..10 {
        let _ = t.reserve("anna", ip(&format!("2001:db8:1:2::{i:x}")), now);
    }
    assert!(t.wait("anna", ip("2001:db8:1:2:ffff::1"), now).is_some());
    assert_eq!(t.wait("anna", ip("2001:db8:1:3::1"), now), None, "another /64");
    assert_eq!(client_key(ip("::ffff:192.0.2.1")), A);
    assert_eq!(client_key(A), A);
}

/// The attack: one name guessed from many addresses, a few guesses each. The name slows down
/// for every address but the owner's usual ones.
#[test]
fn a_name_guessed_from_many_addresses_slows_down_but_not_for_its_owner() {
    let t = LoginThrottle::default();
    let now = Instant::now();
    let owner = ip("203.0.113.5");
    assert_eq!(t.reserve("anna", owner, now), Ok(()));
    t.succeeded("anna", owner, now);
    let mut granted = 0;
    for i in 0..200 {
        for _ in 0..FREE_FAILURES {
            granted += u32::from(t.reserve("anna", v4(i), now).is_ok());
        }
    }
    assert_eq!(granted, FREE_NAME_FAILURES + 1, "the name's budget, not 200 × 4");
    assert!(t.wait("anna", v4(999), now).is_some(), "a new address waits");
    assert_eq!(
        t.reserve("anna", owner, now),
        Ok(()),
        "the owner's usual address does not"
    );
    t.succeeded("anna", owner, now);
    assert_eq!(t.wait("bram", v4(999), now), None, "another name is not touched");
    let later = now + MAX_DELAY;
    assert_eq!(t.wait("anna", v4(999), later), None, "no hard lock");
}

#[test]
fn without_a_name_budget_only_clients_are_counted() {
    let t = LoginThrottle::per_client();
    let now = Instant::now();
    for i in 0..200 {
        for _ in 0..FREE_FAILURES {
            assert_eq!(t.reserve("enrollment", v4(i), now), Ok(()), "client {i}");
        }
    }
    assert_eq!(
        t.reserve("enrollment", v4(999), now),
        Ok(()),
        "a new pharmacy is not held up"
    );
}

#[test]
fn the_bound_drops_the_oldest_entry_only() {
    let t = LoginThrottle::with_capacity(100);
    let now = Instant::now();
    for i in 0..100 {
        for _ in 0..10 {
            let _ = t.reserve(&format!("user{i}"), v4(i), now);
        }
    }
    assert_eq!(t.len(), 100);
    // Address 0 tries again later: it moves to the back, address 1 is now the oldest.
    let later = now + MAX_DELAY;
    let _ = t.reserve("user0", v4(0), later);
    let _ = t.reserve("flood", v4(200), later + Duration::from_secs(1));
    assert_eq!(t.len(), 100, "bounded");
    let check = later + Duration::from_secs(2);
    assert_eq!(t.wait("user1", v4(1), check), None, "the oldest entry went");
    assert!(t.wait("user0", v4(0), check).is_some(), "address 0 keeps its counter");
}

#[test]
fn old_failures_are_forgotten() {
    let t = LoginThrottle::default();
    let now = Instant::now();
    for _ in 0..10 {
        let _ = t.reserve("anna", A, now);
    }
    let next_day = now + FORGET_AFTER;
    let _ = t.reserve("bram", B, next_day);
    assert_eq!(t.len(), 1, "anna's day-old entry was dropped");
    assert_eq!(t.reserve("anna", A, next_day), Ok(()));
    assert_eq!(t.wait("anna", A, next_day), None, "counting starts again");
}

#[test]
fn retry_after_rounds_up() {
    assert_eq!(retry_after_secs(Duration::from_millis(1)), 1);
    assert_eq!(retry_after_secs(Duration::from_millis(29_001)), 30);
    assert_eq!(retry_after_secs(Duration::from_secs(30)), 30);
}
