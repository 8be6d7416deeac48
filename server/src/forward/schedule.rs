//! The retry schedule (contract) and the Standard Webhooks signature. Pure.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::Duration;
use hmac::{Hmac, Mac};
use sha2::Sha256;

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

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("a webhook secret is `whsec_` followed by base64 (at least 24 bytes)")]
pub struct BadSecret;

/// The key of a `whsec_…` secret.
pub fn secret_key(secret: &str) -> Result<Vec<u8>, BadSecret> {
    let key = STANDARD
        .decode(secret.strip_prefix("whsec_").ok_or(BadSecret)?)
        .map_err(|_| BadSecret)?;
    if key.len() < 24 { Err(BadSecret) } else { Ok(key) }
}

/// `v1,<base64 HMAC-SHA256(key, "{id}.{timestamp}.{body}")>`
pub fn signature(key: &[u8], id: &str, timestamp: i64, body: &str) -> String {
    // HMAC takes a key of any length.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC accepts any key length");
    mac.update(format!("{id}.{timestamp}.{body}").as_bytes());
    format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
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
    fn secrets_and_signatures() {
        assert_eq!(secret_key("nope"), Err(BadSecret));
        assert_eq!(secret_key("whsec_c2hvcnQ="), Err(BadSecret));
        // The Standard Webhooks specification's own test vector.
        let key = secret_key("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").expect("valid");
        let sig = signature(
            &key,
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1614265330,
            r#"{"test": 2432232314}"#,
        );
        assert_eq!(sig, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }
}
