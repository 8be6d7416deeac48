//! When it is safe to call the person: the safe-contact times, written in the person's words
//! ("Werkdagen tussen 10 en 12 uur", "ma t/m vr 9.30-11", "dagelijks na 20 uur"), read as days
//! and hours in Europe/Amsterdam, and the route intake should take now. Whatever cannot be read
//! for certain (a "niet", "behalve", a part of the day without hours, a number that belongs to no
//! range) is [`SafeRoute::Unreadable`]: then a person decides, never the reading.

use chrono::{DateTime, Datelike, Timelike, Utc};

use crate::report::SafeContact;
use crate::texts::Lang;

const DAY: u32 = 24 * 60;

/// The days (Monday first) and the time ranges (minutes after midnight, `start..end`; an end
/// before its start runs past midnight) when the person can be called.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SafeWindow {
    pub days: [bool; 7],
    pub ranges: Vec<(u32, u32)>,
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Time(u32),
    Word(String),
    Dash,
}

fn tokens(text: &str) -> Option<Vec<Token>> {
    let chars: Vec<char> = text.to_lowercase().chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            let hours: u32 = chars[start..i].iter().collect::<String>().parse().ok()?;
            let mut minutes = 0;
            if i + 2 < chars.len()
                && matches!(chars[i], ':' | '.')
                && chars[i + 1].is_ascii_digit()
                && chars[i + 2].is_ascii_digit()
                && chars.get(i + 3).is_none_or(|c| !c.is_ascii_digit())
            {
                minutes = (chars[i + 1].to_digit(10)? * 10) + chars[i + 2].to_digit(10)?;
                i += 3;
            }
            if i - start > 5 || hours > 24 || minutes > 59 || (hours == 24 && minutes > 0) {
                return None; // a phone number, a date or a typing error: not a time
            }
            out.push(Token::Time(hours * 60 + minutes));
        } else if c.is_alphabetic() || c == '/' || c == '\'' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphabetic() || chars[i] == '/' || chars[i] == '\'') {
                i += 1;
            }
            out.push(Token::Word(chars[start..i].iter().collect()));
        } else {
            if matches!(c, '-' | '–' | '—') {
                out.push(Token::Dash);
            }
            i += 1;
        }
    }
    Some(out)
}

const DAY_NAMES: [(&str, &str); 7] = [
    ("maandag", "ma"),
    ("dinsdag", "di"),
    ("woensdag", "wo"),
    ("donderdag", "do"),
    ("vrijdag", "vr"),
    ("zaterdag", "za"),
    ("zondag", "zo"),
];

fn day_of(word: &str) -> Option<usize> {
    DAY_NAMES
        .iter()
        .position(|(full, short)| word.starts_with(full) || word == *short || word.ends_with(full))
}

/// Words after which the text no longer says plainly when to call.
const DOUBT: [&str; 12] = [
    "niet",
    "behalve",
    "nooit",
    "geen",
    "uitgezonderd",
    "soms",
    "misschien",
    "wisselend",
    "ochtend",
    "middag",
    "avond",
    "nacht",
];

fn is_word(t: Option<&Token>, words: &[&str]) -> bool {
    matches!(t, Some(Token::Word(w)) if words.contains(&w.as_str()))
}

impl SafeWindow {
    /// The window the text describes, or `None` when it cannot be read for certain.
    pub fn parse(text: &str) -> Option<SafeWindow> {
        let tokens = tokens(text)?;
        let mut days = [false; 7];
        let mut named_day = false;
        let mut ranges = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            match &tokens[i] {
                Token::Word(w) if DOUBT.iter().any(|d| w.contains(d)) && ranges.is_empty() && !has_time(&tokens) => {
                    return None;
                }
                Token::Word(w) if ["niet", "behalve", "nooit", "geen", "uitgezonderd"].contains(&w.as_str()) => {
                    return None;
                }
                Token::Word(w) if ["werkdagen", "weekdagen", "doordeweeks", "werkdag"].contains(&w.as_str()) => {
                    days[..5].iter_mut().for_each(|d| *d = true);
                    named_day = true;
                }
                Token::Word(w) if w.starts_with("weekend") => {
                    days[5..].iter_mut().for_each(|d| *d = true);
                    named_day = true;
                }
                Token::Word(w) if ["dagelijks", "altijd"].contains(&w.as_str()) => {
                    days = [true; 7];
                    named_day = true;
                }
                Token::Word(w)
                    if (w == "elke" || w == "iedere" || w == "alle")
                        && is_word(tokens.get(i + 1), &["dag", "dagen"]) =>
                {
                    days = [true; 7];
                    named_day = true;
                    i += 1;
                }
                Token::Word(w)
                    if w == "door" && is_word(tokens.get(i + 1), &["de"]) && is_word(tokens.get(i + 2), &["week"]) =>
                {
                    days[..5].iter_mut().for_each(|d| *d = true);
                    named_day = true;
                    i += 2;
                }
                Token::Word(w) if day_of(w).is_some() => {
                    let from = day_of(w).unwrap_or(0);
                    named_day = true;
                    // "ma t/m vr", "maandag tot en met vrijdag", "ma-vr"
                    let mut j = i + 1;
                    let mut through = false;
                    while let Some(t) = tokens.get(j) {
                        match t {
                            Token::Dash => through = true,
                            Token::Word(x) if ["t/m", "tot", "en", "met", "tm"].contains(&x.as_str()) => {
                                through |= x != "en" || through;
                            }
                            _ => break,
                        }
                        j += 1;
                    }
                    let to = match tokens.get(j) {
                        Some(Token::Word(x)) if through => day_of(x),
                        _ => None,
                    };
                    match to {
                        Some(to) => {
                            let mut d = from;
                            loop {
                                days[d] = true;
                                if d == to {
                                    break;
                                }
                                d = (d + 1) % 7;
                            }
                            i = j;
                        }
                        None => days[from] = true,
                    }
                }
                Token::Time(a) => {
                    // "10-12", "10 tot 12 uur", "tussen 10 en 12", "10.30 - 11.45"
                    let mut j = i + 1;
                    if is_word(tokens.get(j), &["uur", "u"]) {
                        j += 1;
                    }
                    let between = i > 0 && is_word(tokens.get(i - 1), &["tussen"]);
                    let joined = match tokens.get(j) {
                        Some(Token::Dash) => true,
                        Some(Token::Word(w)) if w == "tot" || w == "t/m" => true,
                        Some(Token::Word(w)) if w == "en" => between,
                        _ => false,
                    };
                    match (joined, tokens.get(j + 1)) {
                        (true, Some(Token::Time(b))) => {
                            ranges.push((*a, *b));
                            i = j + 1;
                        }
                        _ if i > 0 && is_word(tokens.get(i - 1), &["na", "vanaf", "vanaf", "sinds"]) => {
                            ranges.push((*a, DAY));
                        }
                        _ if i > 0 && is_word(tokens.get(i - 1), &["voor", "tot", "uiterlijk"]) => {
                            ranges.push((0, *a));
                        }
                        _ => return None, // a number that says no range
                    }
                }
                _ => {}
            }
            i += 1;
        }
        if ranges.is_empty() {
            return None;
        }
        if !named_day {
            days = [true; 7];
        }
        if ranges.iter().any(|(a, b)| a == b) {
            return None;
        }
        Some(SafeWindow { days, ranges })
    }

    /// Whether `now` falls in the window, in Europe/Amsterdam time.
    pub fn contains(&self, now: DateTime<Utc>) -> bool {
        let local = now.with_timezone(&crate::TIME_ZONE);
        let minute = local.hour() * 60 + local.minute();
        let today = local.weekday().num_days_from_monday() as usize;
        let yesterday = (today + 6) % 7;
        self.ranges.iter().any(|&(start, end)| {
            if start < end {
                self.days[today] && (start..end).contains(&minute)
            } else {
                // Past midnight: the evening belongs to today, the small hours to yesterday.
                (self.days[today] && minute >= start) || (self.days[yesterday] && minute < end)
            }
        })
    }
}

fn has_time(tokens: &[Token]) -> bool {
    tokens.iter().any(|t| matches!(t, Token::Time(_)))
}

/// How intake should reach the person now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SafeRoute {
    /// Inside the safe times: call the safe number.
    CallNow,
    /// Outside the safe times: do not call the person's number now.
    Outside,
    /// The safe times cannot be read for certain: read them and decide before calling.
    Unreadable,
    /// There is no safe number: only through the pharmacy.
    PharmacyOnly,
}

impl SafeRoute {
    /// The route for `safe` at `now`.
    pub fn of(safe: &SafeContact, now: DateTime<Utc>) -> SafeRoute {
        if safe.phone.trim().is_empty() {
            return SafeRoute::PharmacyOnly;
        }
        SafeRoute::of_times(&safe.safe_times, now)
    }

    /// For an inbox row: "nu binnen/buiten de veilige tijden" (`None`: nothing certain to say).
    pub fn now_short(self, lang: Lang) -> Option<&'static str> {
        match self {
            SafeRoute::CallNow => Some(lang.pick("nu binnen de veilige tijden", "now within the safe times")),
            SafeRoute::Outside => Some(lang.pick("nu buiten de veilige tijden", "now outside the safe times")),
            SafeRoute::Unreadable | SafeRoute::PharmacyOnly => None,
        }
    }

    /// The route for safe times `text` alone (an inbox row knows no more): [`SafeRoute::CallNow`],
    /// [`SafeRoute::Outside`] or [`SafeRoute::Unreadable`].
    pub fn of_times(text: &str, now: DateTime<Utc>) -> SafeRoute {
        match SafeWindow::parse(text) {
            Some(w) if w.contains(now) => SafeRoute::CallNow,
            Some(_) => SafeRoute::Outside,
            None => SafeRoute::Unreadable,
        }
    }

    /// Whether the person's number may be dialled with one tap now.
    pub fn may_dial(self) -> bool {
        self == SafeRoute::CallNow
    }

    /// What intake should do now, in a sentence; `via_pharmacy`: the pharmacy may be used.
    pub fn advice(self, via_pharmacy: bool, lang: Lang) -> &'static str {
        let (nl, en) = match (self, via_pharmacy) {
            (SafeRoute::CallNow, true) => (
                "Nu veilig: het is binnen de veilige tijden. Bel het veilige nummer; buiten die tijden gaat het contact via de apotheek.",
                "Safe now: it is within the safe times. Call the safe number; outside those times, contact goes through the pharmacy.",
            ),
            (SafeRoute::CallNow, false) => (
                "Nu veilig: het is binnen de veilige tijden. Bel het veilige nummer.",
                "Safe now: it is within the safe times. Call the safe number.",
            ),
            (SafeRoute::Outside, true) => (
                "Nu niet het nummer van de cliënt bellen: het is buiten de veilige tijden. Neem nu contact op via de apotheek.",
                "Do not call the client's number now: it is outside the safe times. Contact them through the pharmacy now.",
            ),
            (SafeRoute::Outside, false) => (
                "Nu niet bellen: het is buiten de veilige tijden. Wacht tot de veilige tijden.",
                "Do not call now: it is outside the safe times. Wait for the safe times.",
            ),
            (SafeRoute::Unreadable, true) => (
                "Controleer zelf de veilige tijden hieronder voordat u belt. Twijfelt u: neem contact op via de apotheek.",
                "Check the safe times below yourself before calling. In doubt: contact them through the pharmacy.",
            ),
            (SafeRoute::Unreadable, false) => (
                "Controleer zelf de veilige tijden hieronder voordat u belt: bel alleen binnen die tijden.",
                "Check the safe times below yourself before calling: call only within them.",
            ),
            (SafeRoute::PharmacyOnly, _) => (
                "Er is geen veilig nummer van de cliënt: neem contact op via de apotheek.",
                "There is no safe number of the client: contact them through the pharmacy.",
            ),
        };
        lang.pick(nl, en)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        crate::TIME_ZONE
            .with_ymd_and_hms(y, mo, d, h, mi, 0)
            .single()
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default()
    }

    #[test]
    fn the_usual_ways_of_writing_safe_times_are_read() {
        let w = SafeWindow::parse("Werkdagen tussen 10 en 12 uur").expect("read");
        assert_eq!(w.ranges, [(600, 720)]);
        assert_eq!(w.days, [true, true, true, true, true, false, false]);
        // Monday 7 December 2026, Amsterdam time.
        assert!(w.contains(at(2026, 12, 7, 10, 0)));
        assert!(w.contains(at(2026, 12, 7, 11, 59)));
        assert!(!w.contains(at(2026, 12, 7, 12, 0)));
        assert!(!w.contains(at(2026, 12, 5, 11, 0)), "a Saturday");
        let w = SafeWindow::parse("ma t/m vr 9.30-11 uur").expect("read");
        assert_eq!(w.ranges, [(570, 660)]);
        assert!(!w.days[5]);
        let w = SafeWindow::parse("dagelijks na 20 uur").expect("read");
        assert_eq!((w.ranges.clone(), w.days), (vec![(1200, DAY)], [true; 7]));
        let w = SafeWindow::parse("Elke dag tussen 23 en 1 uur").expect("read");
        assert!(w.contains(at(2026, 12, 7, 23, 30)) && w.contains(at(2026, 12, 8, 0, 30)));
        assert!(!w.contains(at(2026, 12, 8, 1, 0)));
        let w = SafeWindow::parse("dinsdag en donderdag 14:00 - 16:00").expect("read");
        assert_eq!(w.days, [false, true, false, true, false, false, false]);
        let w = SafeWindow::parse("werkdagen 9-11 en 14-16").expect("read");
        assert_eq!(w.ranges, [(540, 660), (840, 960)]);
    }

    #[test]
    fn what_cannot_be_read_for_certain_is_left_to_a_person() {
        for text in [
            "'s ochtends",
            "werkdagen, niet op woensdag, 10-12",
            "bel 06-12345678",
            "als hij weg is",
            "na de middag",
            "10 uur",
        ] {
            assert_eq!(SafeWindow::parse(text), None, "{text}");
        }
    }
}
