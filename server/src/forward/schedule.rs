//! The retry schedule (docs/contract.md, "Webhook") and a receiver's `Retry-After`. Pure.

use chrono::{DateTime, Duration, Utc};

/// Waits after the 1st, 2nd, … failed attempt; after the 7th retry fails: a dead letter.
pub const RETRY_SCHEDULE: [Duration; 7] = [
    Duration::seconds(5),
    Duration::minutes(5),
    Duration::minutes(30),
    Duration::hours(2),
    Duration::hours(5),
    Duration::hours(10),
    Duration::hours(10),
];

/// A receiver's `Retry-After` replaces the next slot, up to this.
pub const MAX_RETRY_AFTER: Duration = Duration::hours(24);

/// The wait after the `failures`-th failed attempt, or `None`: it becomes a dead letter.
pub fn next_delay(failures: u32, retry_after: Option<Duration>) -> Option<Duration> {
    let slot = RETRY_SCHEDULE.get(usize::try_from(failures).ok()?.checked_sub(1)?)?;
    Some(retry_after.map_or(*slot, |r| r.clamp(Duration::zero(), MAX_RETRY_AFTER)))
}

/// How long a worker sleeps until `next` falls due: between 5 ms and `cap`, and `cap` when
/// nothing is waiting (the forwarder's and the notices' poll).
pub fn pause_until(next: Option<DateTime<Utc>>, now: DateTime<Utc>, cap: std::time::Duration) -> std::time::Duration {
    next.map_or(cap, |at| {
        (at - now)
            .to_std()
            .unwrap_or(std::time::Duration::ZERO)
            .clamp(std::time::Duration::from_millis(5), cap)
    })
}

/// A `Retry-After` value in either form of RFC 9110: delay-seconds or an HTTP-date (a date in
/// the past: retry now). Capped at [`MAX_RETRY_AFTER`]; anything else: `None` (the schedule).
pub fn parse_retry_after(value: &str, now: DateTime<Utc>) -> Option<Duration> {
    let value = value.trim();
    let wait = if let Ok(seconds) = value.parse::<u64>() {
        Duration::seconds(
            i64::try_from(seconds)
                .unwrap_or(i64::MAX)
                .min(MAX_RETRY_AFTER.num_seconds()),
        )
    } else {
        let at: DateTime<Utc> = httpdate::parse_http_date(value).ok()?.into();
        at - now
    };
    Some(wait.clamp(Duration::zero(), MAX_RETRY_AFTER))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seven_retries_then_a_dead_letter() {
        let waits: Vec<_> = (1..=8).map(|n| next_delay(n, None)).collect();
        assert_eq!(waits[0], Some(Duration::seconds(5)));
        assert_eq!(waits[6], Some(Duration::hours(10)));
        assert_eq!(waits[7], None);
        assert_eq!(next_delay(0, None), None);
        assert_eq!(next_delay(2, Some(Duration::hours(48))), Some(Duration::hours(24)));
        assert_eq!(next_delay(2, Some(Duration::seconds(7))), Some(Duration::seconds(7)));
        assert_eq!(next_delay(8, Some(Duration::seconds(7))), None);
    }

    #[test]
    fn retry_after_in_seconds_or_as_an_http_date() {
        let now = DateTime::parse_from_rfc3339("2026-12-02T12:00:00Z")
            .map(|t| t.with_timezone(&Utc))
            .expect("a date");
        assert_eq!(parse_retry_after("120", now), Some(Duration::seconds(120)));
        assert_eq!(parse_retry_after(" 7 ", now), Some(Duration::seconds(7)));
        assert_eq!(parse_retry_after("99999999999999999999", now), None);
        assert_eq!(parse_retry_after("18446744073709551615", now), Some(MAX_RETRY_AFTER));
        assert_eq!(
            parse_retry_after("Wed, 02 Dec 2026 12:01:30 GMT", now),
            Some(Duration::seconds(90))
        );
        assert_eq!(
            parse_retry_after("Wed, 02 Dec 2026 11:00:00 GMT", now),
            Some(Duration::zero())
        );
        assert_eq!(
            parse_retry_after("Fri, 04 Dec 2026 12:00:00 GMT", now),
            Some(MAX_RETRY_AFTER)
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-5", now), None);
    }
}
