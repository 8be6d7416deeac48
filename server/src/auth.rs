//! Secrets: device tokens and session tokens (random, stored as SHA-256), enrollment codes,
//! passwords (argon2), and the login rate limit.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use base64::Engine;
use sha2::{Digest, Sha256};

pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut buf = [0u8; N];
    // The OS random source failing is not something a server can work around.
    getrandom::fill(&mut buf).expect("the operating system provides random bytes");
    buf
}

/// A 256-bit bearer token, URL-safe base64.
pub fn new_token() -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(random_bytes::<32>())
}

/// How tokens and codes are stored: fast to check on every request.
pub fn sha256_hex(s: &str) -> String {
    hex::encode(Sha256::digest(s.as_bytes()))
}

/// Characters that cannot be mistaken for each other when typed from paper.
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/// An enrollment code such as `K7QM-3XPA-9TRD-W2HF` (80 bits).
pub fn new_enrollment_code() -> String {
    let groups: Vec<String> = random_bytes::<16>()
        .chunks(4)
        .map(|chunk| {
            chunk
                .iter()
                .map(|b| CODE_ALPHABET[usize::from(*b) % CODE_ALPHABET.len()] as char)
                .collect()
        })
        .collect();
    groups.join("-")
}

/// Codes are typed by people: case and spacing do not matter.
pub fn normalize_code(code: &str) -> String {
    let compact: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    compact
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

pub const MIN_PASSWORD_CHARS: usize = 12;

pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::encode_b64(&random_bytes::<16>()).map_err(|e| anyhow::anyhow!("salt: {e}"))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("argon2: {e}"))
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

/// A hash of a random password: verified against when the user does not exist, so that a wrong
/// name takes as long as a wrong password.
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash_password(&new_token()).unwrap_or_default())
}

/// 5 failed logins a minute per name and address; then 429 with `Retry-After`.
#[derive(Default)]
pub struct LoginLimiter {
    failures: Mutex<HashMap<(String, IpAddr), Vec<Instant>>>,
}

pub const LOGIN_FAILURES_PER_MINUTE: usize = 5;
const WINDOW: Duration = Duration::from_secs(60);

impl LoginLimiter {
    /// `Some(seconds to wait)` while this name and address are blocked.
    pub fn blocked(&self, name: &str, ip: IpAddr) -> Option<u64> {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        let list = map.entry((name.to_owned(), ip)).or_default();
        list.retain(|t| now.duration_since(*t) < WINDOW);
        (list.len() >= LOGIN_FAILURES_PER_MINUTE).then(|| {
            list.first()
                .map_or(60, |first| (WINDOW - now.duration_since(*first)).as_secs().max(1))
        })
    }

    pub fn failed(&self, name: &str, ip: IpAddr) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() > 100_000 {
            map.clear(); // bounded memory under a flood of names
        }
        map.entry((name.to_owned(), ip)).or_default().push(Instant::now());
    }

    pub fn succeeded(&self, name: &str, ip: IpAddr) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        map.remove(&(name.to_owned(), ip));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_typable_and_normalised() {
        let code = new_enrollment_code();
        assert_eq!(code.len(), 19);
        assert_eq!(normalize_code(&code.to_lowercase().replace('-', " ")), code);
        assert_ne!(new_enrollment_code(), code);
    }

    #[test]
    fn passwords_verify() -> anyhow::Result<()> {
        let h = hash_password("demo-wachtwoord-19")?;
        assert!(verify_password("demo-wachtwoord-19", &h));
        assert!(!verify_password("demo-wachtwoord-20", &h));
        assert!(!verify_password("x", "not a hash"));
        Ok(())
    }

    #[test]
    fn limiter_blocks_after_five_failures() {
        let l = LoginLimiter::default();
        let ip: IpAddr = [127, 0, 0, 1].into();
        for _ in 0..5 {
            assert_eq!(l.blocked("a", ip), None);
            l.failed("a", ip);
        }
        assert!(l.blocked("a", ip).is_some());
        assert_eq!(l.blocked("b", ip), None, "per name");
    }
}
