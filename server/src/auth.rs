//! Secrets: device tokens and session tokens (random, stored as SHA-256), enrollment codes,
//! passwords (argon2), and comparing secrets; `passwords` runs the checks in a bounded pool,
//! `throttle` slows down failed logins.

pub mod passwords;
pub mod throttle;

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

/// Whether a secret sent by a client (a CSRF token) is the one expected: in constant time, so
/// the time taken tells nothing about how much of it was right; an empty secret never matches.
pub fn same_secret(expected: &str, given: &str) -> bool {
    use subtle::ConstantTimeEq;
    !expected.is_empty() && bool::from(expected.as_bytes().ct_eq(given.as_bytes()))
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
    fn secrets_match_only_when_equal_and_not_empty() {
        let token = new_token();
        assert!(same_secret(&token, &token.clone()));
        assert!(!same_secret(&token, &token[..token.len() - 1]));
        assert!(!same_secret(&token, ""));
        assert!(!same_secret("", ""), "a session without a CSRF token accepts no form");
    }
}
