//! Secrets: device tokens and session tokens (random, stored as SHA-256), enrollment codes,
//! passwords (argon2), and comparing secrets; `passwords` runs the checks in a bounded pool,
//! `throttle` slows down failed logins, `totp` makes and checks second-factor codes.

pub mod passwords;
pub mod throttle;
pub mod totp;

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, SaltString};
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

/// Whether `password` matches an argon2 `hash`, with argon2's working memory (about 19 MiB) in `blocks`, kept by the
/// caller for the next check: a worker thread that reuses it does not churn the allocator.
pub fn verify_password_reusing(password: &str, hash: &str, blocks: &mut Vec<argon2::Block>) -> bool {
    use subtle::ConstantTimeEq;
    let mut check = || -> Option<bool> {
        let parsed = PasswordHash::new(hash).ok()?;
        let algorithm = argon2::Algorithm::try_from(parsed.algorithm).ok()?;
        let version = argon2::Version::try_from(parsed.version.unwrap_or(0x13)).ok()?;
        let params = argon2::Params::try_from(&parsed).ok()?;
        let mut salt = [0u8; 64];
        let salt = parsed.salt?.decode_b64(&mut salt).ok()?;
        let expected = parsed.hash?;
        let mut out = vec![0u8; expected.len()];
        blocks.resize(params.block_count(), argon2::Block::default());
        Argon2::new(algorithm, version, params)
            .hash_password_into_with_memory(password.as_bytes(), salt, &mut out, &mut blocks[..])
            .ok()?;
        Some(bool::from(out.as_slice().ct_eq(expected.as_bytes())))
    };
    check().unwrap_or(false)
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
        let mut blocks = Vec::new();
        assert!(verify_password_reusing("demo-wachtwoord-19", &h, &mut blocks));
        assert!(!verify_password_reusing("demo-wachtwoord-20", &h, &mut blocks));
        assert!(!verify_password_reusing("x", "not a hash", &mut blocks));
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
