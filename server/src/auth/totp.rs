//! The second factor's secrets and codes: TOTP (RFC 6238: HMAC-SHA-1, 6 digits, 30-second steps,
//! one step of clock skew either way) with `totp-rs`, its QR code as SVG with `qrcode`, and
//! single-use recovery codes. Pure: the caller passes the time.

use qrcode::QrCode;
use qrcode::render::svg;
use totp_rs::{Algorithm, Builder, Secret, Totp};

/// Seconds per time step.
pub const STEP_SECS: u64 = 30;
/// Recovery codes handed out at setup.
pub const RECOVERY_CODES: usize = 10;
/// The name authenticator apps show above the code.
pub const ISSUER: &str = "Masker 19";

/// A new secret of 160 bits (RFC 4226's recommendation), as unpadded base32.
pub fn new_secret() -> String {
    Secret::from(super::random_bytes::<20>()).to_base32()
}

/// The generator for a stored base32 secret; `None` for one that is not base32 or too short.
fn generator(secret_b32: &str, account: &str) -> Option<Totp> {
    let secret = Secret::try_from_base32(secret_b32).ok()?;
    Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(6)
        .with_skew(1)
        .with_step_duration(STEP_SECS)
        .with_secret(secret)
        .with_issuer(Some(ISSUER))
        .with_account_name(account_label(account))
        .build()
        .ok()
}

/// An account name as an `otpauth:` label allows it (no colon; never empty).
fn account_label(account: &str) -> String {
    let label: String = account.chars().map(|c| if c == ':' { '-' } else { c }).collect();
    if label.trim().is_empty() {
        "gebruiker".into()
    } else {
        label
    }
}

/// Whether `code` looks like a TOTP code (six digits, spaces allowed) rather than a recovery code.
pub fn is_totp_code(code: &str) -> bool {
    let digits: Vec<char> = code.chars().filter(|c| !c.is_whitespace()).collect();
    digits.len() == 6 && digits.iter().all(char::is_ascii_digit)
}

/// The time step of `code` for this secret at `unix_secs`, within one step either way; `None`
/// when it matches none. Whether the step was used already is the caller's to check.
pub fn matching_step(secret_b32: &str, code: &str, unix_secs: u64) -> Option<u64> {
    let compact: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if !is_totp_code(&compact) {
        return None;
    }
    generator(secret_b32, "x")?.check(&compact, unix_secs)
}

/// The code of time step `step`.
#[cfg(test)]
pub fn code_at_step(secret_b32: &str, step: u64) -> Option<String> {
    Some(generator(secret_b32, "x")?.generate(step * STEP_SECS).to_string())
}

/// The `otpauth://totp/…` address an authenticator app reads from the QR code.
pub fn otpauth_url(secret_b32: &str, account: &str) -> Option<String> {
    generator(secret_b32, account)?.to_url().ok()
}

/// The QR code of the `otpauth:` address as an SVG document (black on white, with a quiet zone).
pub fn qr_svg(secret_b32: &str, account: &str) -> Option<String> {
    let url = otpauth_url(secret_b32, account)?;
    let code = QrCode::new(url.as_bytes()).ok()?;
    Some(
        code.render::<svg::Color>()
            .min_dimensions(220, 220)
            .dark_color(svg::Color("#000000"))
            .light_color(svg::Color("#ffffff"))
            .build(),
    )
}

/// Fresh recovery codes, such as `K7QM-3XPA-9TRD-W2HF` (80 bits each), to be shown once.
pub fn new_recovery_codes() -> Vec<String> {
    (0..RECOVERY_CODES).map(|_| super::new_enrollment_code()).collect()
}

/// How a recovery code is stored: SHA-256 of its normalised form (case and spacing do not matter).
pub fn recovery_code_hash(code: &str) -> String {
    super::sha256_hex(&super::normalize_code(code))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238, appendix B: the SHA-1 seed "12345678901234567890"; 6 digits are the last six of 8.
    const RFC_SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    #[test]
    fn codes_are_those_of_rfc_6238() {
        for (time, eight) in [
            (59u64, "94287082"),
            (1_111_111_109, "07081804"),
            (2_000_000_000, "69279037"),
        ] {
            assert_eq!(code_at_step(RFC_SECRET, time / STEP_SECS).as_deref(), Some(&eight[2..]));
            assert_eq!(matching_step(RFC_SECRET, &eight[2..], time), Some(time / STEP_SECS));
        }
    }

    #[test]
    fn one_step_of_skew_either_way_and_no_more() {
        let now = 1_700_000_000u64;
        let step = now / STEP_SECS;
        for (offset, accepted) in [(-2i64, false), (-1, true), (0, true), (1, true), (2, false)] {
            let at = step.checked_add_signed(offset).unwrap_or_default();
            let code = code_at_step(RFC_SECRET, at).unwrap_or_default();
            let found = matching_step(RFC_SECRET, &code, now);
            assert_eq!(found.is_some(), accepted, "offset {offset}");
            if accepted {
                assert_eq!(found, Some(at));
            }
        }
    }

    #[test]
    fn malformed_codes_and_secrets_match_nothing() {
        let now = 1_700_000_000u64;
        for code in ["", "12345", "1234567", "abcdef", "١٢٣٤٥٦", "12 34 5x"] {
            assert_eq!(matching_step(RFC_SECRET, code, now), None, "{code:?}");
        }
        assert_eq!(matching_step("not base32!", "123456", now), None);
        assert_eq!(matching_step("AAAA", "123456", now), None, "too short a secret");
        let spaced = code_at_step(RFC_SECRET, now / STEP_SECS).unwrap_or_default();
        let spaced = format!("{} {}", &spaced[..3], &spaced[3..]);
        assert!(
            matching_step(RFC_SECRET, &spaced, now).is_some(),
            "spaces as apps show them"
        );
    }

    #[test]
    fn secrets_recovery_codes_and_the_qr_code() {
        let secret = new_secret();
        assert_eq!(secret.len(), 32, "160 bits in base32");
        assert_ne!(new_secret(), secret);
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), RECOVERY_CODES);
        assert_eq!(
            recovery_code_hash(&codes[0].to_lowercase()),
            recovery_code_hash(&codes[0])
        );
        let url = otpauth_url(&secret, "anna:de vries").unwrap_or_default();
        assert!(url.starts_with("otpauth://totp/") && url.contains(&secret), "{url}");
        let svg = qr_svg(&secret, "anna").unwrap_or_default();
        assert!(svg.contains("<svg") && svg.contains("</svg>"));
        assert!(!svg.contains("<script"));
    }
}
