//! Wrong PINs at the neutral screen slow down: four typing mistakes are free, the fifth wrong
//! PIN makes the next try wait 30 s, and every further one doubles the wait (at most an hour).
//! The wrong attempts are kept until the next unlock, which says how many there were and when
//! the last was, so whoever owns the device learns that someone tried. Pure: the caller passes
//! `now`; the app keeps this in its encrypted store, so a restart does not reset it.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// Wrong PINs in a row that cost nothing.
pub const FREE_WRONG: u32 = 4;
pub const FIRST_WAIT: Duration = Duration::seconds(30);
pub const MAX_WAIT: Duration = Duration::hours(1);

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PinLock {
    /// Wrong PINs since the last unlock.
    pub wrong: u32,
    pub last_wrong_at: Option<DateTime<Utc>>,
    pub blocked_until: Option<DateTime<Utc>>,
}

/// What the next unlock tells: `count` wrong PINs, the last at `last`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FailedAttempts {
    pub count: u32,
    pub last: DateTime<Utc>,
}

/// The wait after the `wrong`-th wrong PIN in a row.
pub fn wait_after(wrong: u32) -> Duration {
    match wrong.checked_sub(FREE_WRONG + 1) {
        None => Duration::zero(),
        Some(doublings) => FIRST_WAIT
            .checked_mul(1i32.checked_shl(doublings.min(30)).unwrap_or(i32::MAX))
            .map_or(MAX_WAIT, |d| d.min(MAX_WAIT)),
    }
}

impl PinLock {
    /// How long before the next try, while one must wait.
    pub fn wait(&self, now: DateTime<Utc>) -> Option<Duration> {
        self.blocked_until.filter(|until| *until > now).map(|until| until - now)
    }

    pub fn failed(&mut self, now: DateTime<Utc>) {
        self.wrong = self.wrong.saturating_add(1);
        self.last_wrong_at = Some(now);
        let wait = wait_after(self.wrong);
        self.blocked_until = (wait > Duration::zero()).then(|| now + wait);
    }

    /// The right PIN: the count starts again, and what happened before is told once.
    pub fn unlocked(&mut self) -> Option<FailedAttempts> {
        let told = self.last_wrong_at.map(|last| FailedAttempts {
            count: self.wrong,
            last,
        });
        *self = PinLock::default();
        told.filter(|t| t.count > 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fifth_wrong_pin_waits_30_s_and_each_next_one_doubles() {
        let waits: Vec<i64> = (1..=9).map(|n| wait_after(n).num_seconds()).collect();
        assert_eq!(waits, [0, 0, 0, 0, 30, 60, 120, 240, 480]);
        assert_eq!(wait_after(u32::MAX), MAX_WAIT);
    }

    #[test]
    fn the_attempts_are_told_at_the_next_unlock_and_then_forgotten() {
        let now = Utc::now();
        let mut lock = PinLock::default();
        for i in 0..5 {
            assert_eq!(lock.wait(now + Duration::seconds(i)), None, "attempt {i} may be made");
            lock.failed(now + Duration::seconds(i));
        }
        assert_eq!(lock.wait(now + Duration::seconds(4)), Some(FIRST_WAIT));
        let told = lock.unlocked();
        assert_eq!(
            told,
            Some(FailedAttempts {
                count: 5,
                last: now + Duration::seconds(4)
            })
        );
        assert_eq!(lock, PinLock::default());
        assert_eq!(lock.unlocked(), None, "told once");
    }
}
