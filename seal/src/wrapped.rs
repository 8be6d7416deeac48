//! An intake worker's key as the server keeps it: the region's identity file encrypted with a
//! passphrase the worker chose (age v1, one `scrypt` stanza, as `age -p` writes it), armored or
//! binary. The server only checks the shape (it cannot and must not open it); the worker's
//! browser wraps and unwraps.

use std::io::Read;

use age::armor::ArmoredReader;
use age::secrecy::SecretString;
use base64::Engine;
use base64::engine::general_purpose::STANDARD_NO_PAD;

use crate::OpenError;

/// The largest wrapped key the server keeps: an identity file of a few keys is well under 1 KiB.
pub const MAX_WRAPPED_BYTES: usize = 16 * 1024;
/// The largest scrypt work factor (log2 N) accepted: age's own default is 18; beyond 22 a
/// worker's browser would take minutes to unlock.
pub const MAX_LOG_N: u8 = 22;

/// Why a wrapped key is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WrappedProblem {
    #[error("the key file is empty")]
    Empty,
    #[error("the key file is larger than {MAX_WRAPPED_BYTES} bytes")]
    TooLarge,
    #[error("not an age v1 file (armored or binary): {0}")]
    NotAge(String),
    #[error("an age file, but not encrypted with a passphrase alone: exactly one scrypt stanza is required")]
    NotPassphrase,
    #[error("the scrypt stanza needs a 16-byte salt and a work factor from 1 to {MAX_LOG_N}")]
    ScryptArguments,
}

/// Check that `bytes` is an age v1 file encrypted to exactly one passphrase (scrypt), with
/// sane scrypt arguments, at most [`MAX_WRAPPED_BYTES`].
pub fn check_wrapped(bytes: &[u8]) -> Result<(), WrappedProblem> {
    if bytes.is_empty() {
        return Err(WrappedProblem::Empty);
    }
    if bytes.len() > MAX_WRAPPED_BYTES {
        return Err(WrappedProblem::TooLarge);
    }
    let decryptor =
        age::Decryptor::new(ArmoredReader::new(bytes)).map_err(|e| WrappedProblem::NotAge(e.to_string()))?;
    if !decryptor.is_scrypt() {
        return Err(WrappedProblem::NotPassphrase);
    }
    let mut plain = Vec::with_capacity(bytes.len());
    ArmoredReader::new(bytes)
        .read_to_end(&mut plain)
        .map_err(|e| WrappedProblem::NotAge(e.to_string()))?;
    let stanza = plain
        .split(|b| *b == b'\n')
        .nth(1)
        .ok_or(WrappedProblem::NotPassphrase)?;
    match stanza.split(|b| *b == b' ').collect::<Vec<_>>().as_slice() {
        [b"->", b"scrypt", salt, log_n] if scrypt_arguments_ok(salt, log_n) => Ok(()),
        [b"->", b"scrypt", ..] => Err(WrappedProblem::ScryptArguments),
        _ => Err(WrappedProblem::NotPassphrase),
    }
}

fn scrypt_arguments_ok(salt: &[u8], log_n: &[u8]) -> bool {
    let salt_ok = STANDARD_NO_PAD.decode(salt).is_ok_and(|s| s.len() == 16);
    let digits = !log_n.is_empty() && log_n.iter().all(u8::is_ascii_digit) && log_n[0] != b'0';
    let n_ok = digits
        && std::str::from_utf8(log_n)
            .ok()
            .and_then(|s| s.parse::<u8>().ok())
            .is_some_and(|n| (1..=MAX_LOG_N).contains(&n));
    salt_ok && n_ok
}

/// Unwrap a worker's key with the passphrase: the identity file's text. A work factor above
/// [`MAX_LOG_N`] is refused rather than computed.
pub fn unwrap_with_passphrase(wrapped: &[u8], passphrase: &str) -> Result<Vec<u8>, OpenError> {
    check_wrapped(wrapped).map_err(|e| OpenError::Age(e.to_string()))?;
    let mut identity = age::scrypt::Identity::new(SecretString::from(passphrase.to_owned()));
    identity.set_max_work_factor(MAX_LOG_N);
    let decryptor = age::Decryptor::new(ArmoredReader::new(wrapped)).map_err(|e| OpenError::Age(e.to_string()))?;
    let mut reader = decryptor
        .decrypt(std::iter::once(&identity as &dyn age::Identity))
        .map_err(|e| OpenError::Age(e.to_string()))?;
    let mut plain = Vec::new();
    reader
        .read_to_end(&mut plain)
        .map_err(|e| OpenError::Age(e.to_string()))?;
    Ok(plain)
}

#[cfg(all(test, feature = "sign"))]
mod tests {
    use super::*;
    use crate::sign::wrap_with_passphrase;

    #[test]
    fn a_passphrase_file_passes_and_unwraps_armored_or_binary() {
        let armored = wrap_with_passphrase(b"AGE-SECRET-KEY-1X\n", "geheim", 10).unwrap_or_default();
        assert_eq!(check_wrapped(armored.as_bytes()), Ok(()));
        let mut binary = Vec::new();
        let _ = ArmoredReader::new(armored.as_bytes()).read_to_end(&mut binary);
        assert_eq!(check_wrapped(&binary), Ok(()));
        assert_eq!(
            unwrap_with_passphrase(&binary, "geheim").ok().as_deref(),
            Some(&b"AGE-SECRET-KEY-1X\n"[..])
        );
        assert!(unwrap_with_passphrase(armored.as_bytes(), "fout").is_err());
    }

    #[test]
    fn anything_else_is_refused() {
        assert_eq!(check_wrapped(b""), Err(WrappedProblem::Empty));
        assert_eq!(
            check_wrapped(&[b'a'; MAX_WRAPPED_BYTES + 1]),
            Err(WrappedProblem::TooLarge)
        );
        assert!(matches!(
            check_wrapped(b"AGE-SECRET-KEY-1X"),
            Err(WrappedProblem::NotAge(_))
        ));
        let to_recipient =
            crate::seal_bytes(b"x", &[&age::x25519::Identity::generate().to_public().to_string()]).unwrap_or_default();
        assert_eq!(
            check_wrapped(to_recipient.as_bytes()),
            Err(WrappedProblem::NotPassphrase)
        );
        let strong = wrap_with_passphrase(b"x", "geheim", 10).unwrap_or_default();
        let mut binary = Vec::new();
        let _ = ArmoredReader::new(strong.as_bytes()).read_to_end(&mut binary);
        let at = binary.windows(4).position(|w| w == b" 10\n").unwrap_or_default();
        binary[at + 1] = b'3';
        assert_eq!(check_wrapped(&binary), Err(WrappedProblem::ScryptArguments));
    }
}
