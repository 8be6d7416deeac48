//! Formats of Dutch identifiers and numbers: BSN (elfproef), postcode, phone.

/// The BSN's elfproef: nine digits, weights 9…2 and −1, sum divisible by 11, not all zero.
pub fn passes_elfproef(bsn: &str) -> bool {
    let digits: Vec<i64> = bsn.chars().filter_map(|ch| ch.to_digit(10).map(i64::from)).collect();
    if digits.len() != 9 || bsn.chars().count() != 9 || digits.iter().all(|d| *d == 0) {
        return false;
    }
    let sum: i64 = digits
        .iter()
        .zip([9, 8, 7, 6, 5, 4, 3, 2, -1])
        .map(|(d, w)| d * w)
        .sum();
    sum % 11 == 0
}

/// `1234 AB` or `1234AB`, first digit not zero.
pub fn is_postcode(s: &str) -> bool {
    let compact: Vec<char> = s.chars().filter(|ch| *ch != ' ').collect();
    s.chars().count() <= 7
        && compact.len() == 6
        && compact[0] != '0'
        && compact[..4].iter().all(char::is_ascii_digit)
        && compact[4..].iter().all(char::is_ascii_alphabetic)
}

/// 8 to 15 digits, optionally a leading +, with spaces, dashes, dots or brackets between.
pub fn is_phone(s: &str) -> bool {
    let body = s.trim().strip_prefix('+').unwrap_or(s.trim());
    let digits = body.chars().filter(char::is_ascii_digit).count();
    s.chars().count() <= 32
        && (8..=15).contains(&digits)
        && body.chars().all(|ch| ch.is_ascii_digit() || " -.()".contains(ch))
}

/// Text without control characters (C0, DEL, C1) or the invisible marks that reorder what a
/// terminal shows (bidirectional embeddings, overrides and isolates): what is printed is what was
/// typed, on one line.
pub fn is_printable(s: &str) -> bool {
    !s.chars().any(is_unprintable)
}

/// A control character, or an invisible mark that reorders the text around it.
pub fn is_unprintable(ch: char) -> bool {
    ch.is_control() || matches!(ch, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elfproef() {
        assert!(passes_elfproef("111222333"));
        assert!(passes_elfproef("123456782"));
        assert!(!passes_elfproef("123456789"));
        assert!(!passes_elfproef("000000000"));
        assert!(!passes_elfproef("12345678"));
        assert!(!passes_elfproef("1234567820"));
        assert!(!passes_elfproef("12345678a"));
    }

    #[test]
    fn postcodes_and_phones() {
        assert!(is_postcode("1012 AB") && is_postcode("1012AB"));
        assert!(!is_postcode("0123 AB") && !is_postcode("1012 A") && !is_postcode("10 12 AB"));
        assert!(is_phone("0800-2000") && is_phone("+31 6 12345678") && is_phone("020 123 4567"));
        assert!(!is_phone("12345") && !is_phone("call me") && !is_phone("+31 6 1234 5678 9999 99"));
    }

    #[test]
    fn printable_text_has_no_control_characters() {
        assert!(is_printable("Kassa 2 — Apotheek Één"));
        for forged in [
            "a\tb",
            "a\nb",
            "a\rb",
            "\u{1b}[2J",
            "a\u{7f}",
            "\u{9b}31m",
            "\u{202e}gnp.exe",
        ] {
            assert!(!is_printable(forged), "{forged:?}");
        }
    }
}
