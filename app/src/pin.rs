//! The PIN that brings the app back from the neutral screen, stored only as an argon2 hash.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PinError {
    #[error("a PIN is 4 to 8 digits")]
    Format,
    #[error("hashing failed: {0}")]
    Hash(String),
}

/// 4 to 8 digits.
pub fn is_valid(pin: &str) -> bool {
    (4..=8).contains(&pin.len()) && pin.bytes().all(|b| b.is_ascii_digit())
}

pub fn hash(pin: &str) -> Result<String, PinError> {
    if !is_valid(pin) {
        return Err(PinError::Format);
    }
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| PinError::Hash(e.to_string()))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| PinError::Hash(e.to_string()))?;
    argon2::Argon2::default()
        .hash_password(pin.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| PinError::Hash(e.to_string()))
}

/// Whether `pin` matches `stored`; a damaged hash never matches.
pub fn verify(pin: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|h| argon2::Argon2::default().verify_password(pin.as_bytes(), &h).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pin_verifies_only_itself() -> Result<(), PinError> {
        let h = hash("1919")?;
        assert!(!h.contains("1919"));
        assert!(verify("1919", &h));
        assert!(!verify("1920", &h));
        assert!(!verify("1919", "garbage"));
        assert_eq!(hash("12a4"), Err(PinError::Format));
        assert_eq!(hash("123"), Err(PinError::Format));
        Ok(())
    }
}
