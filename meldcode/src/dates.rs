//! Dates and times as Dutch people type and read them: `dd-mm-jjjj` (15-03-1988 is 15 March)
//! and `uu:mm`, and the quick choices for "bereikbaar tot". One place for these rules: the app
//! parses with them, the review and the intake pages show with them.

use chrono::{DateTime, Days, NaiveDate, NaiveTime, TimeZone, Utc};

use crate::texts::{Label, Lang};

/// Why a typed date or time is not one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum DateError {
    #[error("not in the form dd-mm-jjjj")]
    DateFormat,
    #[error("no such day in the calendar")]
    NoSuchDate,
    #[error("not in the form uu:mm")]
    TimeFormat,
    #[error("no such time of day")]
    NoSuchTime,
}

impl Label for DateError {
    fn label(&self, lang: Lang) -> &'static str {
        match self {
            DateError::DateFormat => lang.pick(
                "Vul de datum in als dd-mm-jjjj, bijvoorbeeld 15-03-1988.",
                "Enter the date as dd-mm-yyyy, for example 15-03-1988.",
            ),
            DateError::NoSuchDate => lang.pick(
                "Deze datum bestaat niet. Vul in als dd-mm-jjjj, bijvoorbeeld 15-03-1988.",
                "This date does not exist. Enter it as dd-mm-yyyy, for example 15-03-1988.",
            ),
            DateError::TimeFormat => lang.pick(
                "Vul de tijd in als uu:mm, bijvoorbeeld 17:30.",
                "Enter the time as hh:mm, for example 17:30.",
            ),
            DateError::NoSuchTime => lang.pick(
                "Deze tijd bestaat niet. Vul in als uu:mm, bijvoorbeeld 17:30.",
                "This time does not exist. Enter it as hh:mm, for example 17:30.",
            ),
        }
    }
}

/// The placeholder of a date field.
pub const DATE_PLACEHOLDER: &str = "dd-mm-jjjj";
/// The placeholder of a time field.
pub const TIME_PLACEHOLDER: &str = "uu:mm";

/// A date typed the Dutch way: day, month, year — `15-03-1988`, `15-3-1988`, `15/03/1988`,
/// `15.03.1988`, `15 03 1988` or `15031988`. The year has four digits (`15-03-88` is refused:
/// 1988 or 2088 is not for the app to guess).
pub fn parse_date(text: &str) -> Result<NaiveDate, DateError> {
    let t = text.trim();
    let parts: Vec<&str> = if t.len() == 8 && t.bytes().all(|b| b.is_ascii_digit()) {
        vec![&t[0..2], &t[2..4], &t[4..8]]
    } else {
        t.split(['-', '/', '.', ' ']).filter(|p| !p.is_empty()).collect()
    };
    let [day, month, year] = parts.as_slice() else {
        return Err(DateError::DateFormat);
    };
    let digits = |s: &str, max_len: usize| {
        (!s.is_empty() && s.len() <= max_len && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u32>().ok())
            .flatten()
    };
    let (Some(d), Some(m), Some(y)) = (digits(day, 2), digits(month, 2), digits(year, 4)) else {
        return Err(DateError::DateFormat);
    };
    if year.len() != 4 {
        return Err(DateError::DateFormat);
    }
    let y = i32::try_from(y).map_err(|_| DateError::DateFormat)?;
    NaiveDate::from_ymd_opt(y, m, d).ok_or(DateError::NoSuchDate)
}

/// `dd-mm-jjjj`.
pub fn format_date(date: NaiveDate) -> String {
    date.format("%d-%m-%Y").to_string()
}

/// A time of day: `17:30`, `17.30`, `1730`, `9:05`, `9`.
pub fn parse_time(text: &str) -> Result<NaiveTime, DateError> {
    let t = text.trim();
    let (h, m) = match t.split_once([':', '.']) {
        Some((h, m)) => (h, m),
        None if t.len() == 4 => (&t[..2], &t[2..]),
        None if t.len() == 3 => (&t[..1], &t[1..]),
        None => (t, "00"),
    };
    let ok =
        |s: &str, len: std::ops::RangeInclusive<usize>| len.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
    if !ok(h, 1..=2) || !ok(m, 2..=2) {
        return Err(DateError::TimeFormat);
    }
    let (h, m) = (h.parse().unwrap_or(99), m.parse().unwrap_or(99));
    NaiveTime::from_hms_opt(h, m, 0).ok_or(DateError::NoSuchTime)
}

/// `uu:mm`.
pub fn format_time(time: NaiveTime) -> String {
    time.format("%H:%M").to_string()
}

/// `time` in Dutch time on the day of `day` (the earlier instant on the autumn change).
fn at_local(day: NaiveDate, time: NaiveTime) -> Option<DateTime<Utc>> {
    crate::TIME_ZONE
        .from_local_datetime(&day.and_time(time))
        .earliest()
        .map(|t| t.with_timezone(&Utc))
}

/// The next moment it is `time` in the Netherlands after `now`: today, or tomorrow when today's
/// has passed ("bereikbaar tot 9:00" typed in the evening means tomorrow morning).
pub fn next_at(now: DateTime<Utc>, time: NaiveTime) -> Option<DateTime<Utc>> {
    let today = now.with_timezone(&crate::TIME_ZONE).date_naive();
    match at_local(today, time) {
        Some(t) if t > now => Some(t),
        _ => at_local(today.checked_add_days(Days::new(1))?, time),
    }
}

/// A time of day typed for a moment that has already happened today ("geraadpleegd om 10:15"):
/// today at that time, or yesterday when that would lie after `now`.
pub fn last_at(now: DateTime<Utc>, time: NaiveTime) -> Option<DateTime<Utc>> {
    let today = now.with_timezone(&crate::TIME_ZONE).date_naive();
    match at_local(today, time) {
        Some(t) if t <= now => Some(t),
        _ => at_local(today.checked_sub_days(Days::new(1))?, time),
    }
}

/// A quick choice for "bereikbaar tot".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reachable {
    #[default]
    /// Today until the pharmacy closes (offered while it is open).
    UntilClosing,
    /// Tomorrow at noon.
    TomorrowNoon,
    /// Tomorrow until the pharmacy closes.
    TomorrowClosing,
}

impl Reachable {
    pub const ALL: [Reachable; 3] = [
        Reachable::UntilClosing,
        Reachable::TomorrowNoon,
        Reachable::TomorrowClosing,
    ];

    /// A stable code (the app's button ids).
    pub fn code(self) -> &'static str {
        match self {
            Reachable::UntilClosing => "until_closing",
            Reachable::TomorrowNoon => "tomorrow_noon",
            Reachable::TomorrowClosing => "tomorrow_closing",
        }
    }

    /// The moment this choice means, seen at `now` with the pharmacy closing at `closing`;
    /// `None` when it does not apply (closing time today has passed).
    pub fn at(self, now: DateTime<Utc>, closing: NaiveTime) -> Option<DateTime<Utc>> {
        let today = now.with_timezone(&crate::TIME_ZONE).date_naive();
        let tomorrow = today.checked_add_days(Days::new(1))?;
        let noon = NaiveTime::from_hms_opt(12, 0, 0)?;
        match self {
            Reachable::UntilClosing => at_local(today, closing).filter(|t| *t > now),
            Reachable::TomorrowNoon => at_local(tomorrow, noon),
            Reachable::TomorrowClosing => at_local(tomorrow, closing),
        }
    }

    /// "tot sluitingstijd 17:30", "tot morgen 12:00", "tot morgen 17:30".
    pub fn label(self, closing: NaiveTime, lang: Lang) -> String {
        let c = format_time(closing);
        match self {
            Reachable::UntilClosing => format!("{} {c}", lang.pick("tot sluitingstijd", "until closing time")),
            Reachable::TomorrowNoon => lang.pick("tot morgen 12:00", "until tomorrow 12:00").to_owned(),
            Reachable::TomorrowClosing => format!("{} {c}", lang.pick("tot morgen", "until tomorrow")),
        }
    }
}

/// The pharmacy's closing time when none is set: 17:30.
pub fn default_closing() -> NaiveTime {
    NaiveTime::from_hms_opt(17, 30, 0).unwrap_or(NaiveTime::MIN)
}

/// The quick choices that apply at `now`, with the moment each means.
pub fn reachable_choices(now: DateTime<Utc>, closing: NaiveTime) -> Vec<(Reachable, DateTime<Utc>)> {
    Reachable::ALL
        .into_iter()
        .filter_map(|r| Some((r, r.at(now, closing)?)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn a_dutch_date_is_day_month_year() {
        for typed in [
            "15-03-1988",
            "15-3-1988",
            "15/03/1988",
            "15.03.1988",
            " 15 03 1988 ",
            "15031988",
        ] {
            assert_eq!(parse_date(typed), Ok(ymd(1988, 3, 15)), "{typed}");
        }
        assert_eq!(
            parse_date("03-12-1988"),
            Ok(ymd(1988, 12, 3)),
            "3 December, never 12 March"
        );
        assert_eq!(format_date(ymd(1988, 3, 15)), "15-03-1988");
    }

    #[test]
    fn what_is_not_a_date_says_why() {
        assert_eq!(parse_date("31-02-1990"), Err(DateError::NoSuchDate));
        assert_eq!(parse_date("15-13-1988"), Err(DateError::NoSuchDate));
        for bad in [
            "",
            "15-03-88",
            "1988-03-15",
            "15-03",
            "vijftien maart",
            "15-03-1988-1",
            "1-1-19888",
        ] {
            assert_eq!(parse_date(bad), Err(DateError::DateFormat), "{bad}");
        }
        assert!(DateError::DateFormat.label(Lang::Nl).contains("dd-mm-jjjj"));
    }

    #[test]
    fn times_of_day() {
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default();
        for (typed, want) in [
            ("17:30", t(17, 30)),
            ("17.30", t(17, 30)),
            ("1730", t(17, 30)),
            ("9:05", t(9, 5)),
            ("905", t(9, 5)),
            ("9", t(9, 0)),
        ] {
            assert_eq!(parse_time(typed), Ok(want), "{typed}");
        }
        assert_eq!(parse_time("25:00"), Err(DateError::NoSuchTime));
        assert_eq!(parse_time("half zes"), Err(DateError::TimeFormat));
        assert_eq!(parse_time("17:3"), Err(DateError::TimeFormat));
    }

    #[test]
    fn quick_choices_for_reachable_until() {
        // 10:00 in Amsterdam (winter, UTC+1).
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).single().unwrap_or_default();
        let closing = default_closing();
        let choices = reachable_choices(now, closing);
        let until = choices
            .iter()
            .find(|(r, _)| *r == Reachable::UntilClosing)
            .map(|(_, t)| *t);
        assert_eq!(until, Utc.with_ymd_and_hms(2026, 11, 23, 16, 30, 0).single());
        let noon = choices
            .iter()
            .find(|(r, _)| *r == Reachable::TomorrowNoon)
            .map(|(_, t)| *t);
        assert_eq!(noon, Utc.with_ymd_and_hms(2026, 11, 24, 11, 0, 0).single());
        // After closing time only tomorrow is offered.
        let evening = Utc
            .with_ymd_and_hms(2026, 11, 23, 19, 0, 0)
            .single()
            .unwrap_or_default();
        assert!(
            reachable_choices(evening, closing)
                .iter()
                .all(|(r, _)| *r != Reachable::UntilClosing)
        );
        assert_eq!(
            Reachable::UntilClosing.label(closing, Lang::Nl),
            "tot sluitingstijd 17:30"
        );
        // A time typed in the evening for the morning is tomorrow's.
        let nine = NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default();
        assert_eq!(
            next_at(evening, nine),
            Utc.with_ymd_and_hms(2026, 11, 24, 8, 0, 0).single()
        );
        assert_eq!(
            last_at(evening, nine),
            Utc.with_ymd_and_hms(2026, 11, 23, 8, 0, 0).single()
        );
    }
}
