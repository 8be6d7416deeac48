//! The Standard Webhooks signature of a delivery: the region's `whsec_…` secret and the
//! `webhook-signature` header. Pure.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

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

/// The `webhook-signature` header: `v1,<base64 HMAC-SHA256(key, "{id}.{timestamp}.{body}")>`.
pub fn webhook_signature(key: &[u8], id: &str, timestamp: i64, body: &str) -> String {
    // HMAC takes a key of any length.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC accepts any key length");
    mac.update(format!("{id}.{timestamp}.{body}").as_bytes());
    format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
}

/// The `webhook-signature` header during a rotation: one `v1,` signature per key, separated by
/// spaces (a receiver accepts the delivery when any one of them verifies).
pub fn webhook_signatures(keys: &[Vec<u8>], id: &str, timestamp: i64, body: &str) -> String {
    keys.iter()
        .map(|key| webhook_signature(key, id, timestamp, body))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_and_signatures() {
        assert_eq!(secret_key("nope"), Err(BadSecret));
        assert_eq!(secret_key("whsec_c2hvcnQ="), Err(BadSecret));
        // The Standard Webhooks specification's own test vector.
        let key = secret_key("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").expect("valid");
        let sig = webhook_signature(
            &key,
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1614265330,
            r#"{"test": 2432232314}"#,
        );
        assert_eq!(sig, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
        let other = vec![7u8; 32];
        let both = webhook_signatures(&[other.clone(), key.clone()], "msg_1", 1, "{}");
        let expected = [
            webhook_signature(&other, "msg_1", 1, "{}"),
            webhook_signature(&key, "msg_1", 1, "{}"),
        ];
        assert_eq!(both, expected.join(" "));
    }
}
