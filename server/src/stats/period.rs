//! Periods of the statistics (docs/contract.md, "Statistics"): `2026-W05`, `2026-03`,
//! `2026-Q1`, `2026-H1`, `2026`.
//! A report belongs to the period of its receipt date in Europe/Amsterdam. Pure.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// `week`, `month`, `quarter`, `half_year` or `year` (default `quarter`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Granularity {
    Week,
    Month,
    Quarter,
    HalfYear,
    Year,
}

/// Days from a period's end until it is published.
pub const PUBLICATION_DELAY_DAYS: i64 = 31;

/// The first day on which a report received on `day` counts in some published period: when its
/// week or its month (the shortest periods holding it) is published. From then on the report
/// counts for the region that held it on that day, whatever happens to it later.
pub fn frozen_on(day: NaiveDate) -> NaiveDate {
    [Granularity::Week, Granularity::Month]
        .into_iter()
        .filter_map(|g| g.published_on(g.of(day)))
        .min()
        .unwrap_or(day)
}

/// A period as a sortable number: the year times 100 plus the week, month, quarter or half.
pub type PeriodId = i32;

impl Granularity {
    pub const ALL: [Granularity; 5] = [
        Granularity::Week,
        Granularity::Month,
        Granularity::Quarter,
        Granularity::HalfYear,
        Granularity::Year,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Granularity::Week => "week",
            Granularity::Month => "month",
            Granularity::Quarter => "quarter",
            Granularity::HalfYear => "half_year",
            Granularity::Year => "year",
        }
    }

    pub fn from_code(code: &str) -> Option<Granularity> {
        Granularity::ALL.into_iter().find(|g| g.code() == code)
    }

    /// The period a day belongs to (ISO weeks belong to their ISO year).
    pub fn of(self, day: NaiveDate) -> PeriodId {
        match self {
            Granularity::Week => day.iso_week().year() * 100 + day.iso_week().week() as i32,
            Granularity::Month => day.year() * 100 + day.month() as i32,
            Granularity::Quarter => day.year() * 100 + day.month0() as i32 / 3 + 1,
            Granularity::HalfYear => day.year() * 100 + day.month0() as i32 / 6 + 1,
            Granularity::Year => day.year() * 100,
        }
    }

    pub fn label(self, id: PeriodId) -> String {
        let (year, n) = (id / 100, id % 100);
        match self {
            Granularity::Week => format!("{year}-W{n:02}"),
            Granularity::Month => format!("{year}-{n:02}"),
            Granularity::Quarter => format!("{year}-Q{n}"),
            Granularity::HalfYear => format!("{year}-H{n}"),
            Granularity::Year => format!("{year}"),
        }
    }

    /// Parse a label of this granularity; `None` if it is not one.
    pub fn parse(self, label: &str) -> Option<PeriodId> {
        let (year, rest) = match self {
            Granularity::Year => (label, ""),
            _ => label.split_once('-')?,
        };
        let year: i32 = year.parse().ok().filter(|y| (2000..=2100).contains(y))?;
        let n: i32 = match self {
            Granularity::Year => return (label.len() == 4).then_some(year * 100),
            Granularity::Week => rest.strip_prefix('W')?.parse().ok().filter(|w| (1..=53).contains(w))?,
            Granularity::Month => rest.parse().ok().filter(|m| (1..=12).contains(m) && rest.len() == 2)?,
            Granularity::Quarter => rest.strip_prefix('Q')?.parse().ok().filter(|q| (1..=4).contains(q))?,
            Granularity::HalfYear => rest.strip_prefix('H')?.parse().ok().filter(|h| (1..=2).contains(h))?,
        };
        if self == Granularity::Week && NaiveDate::from_isoywd_opt(year, n as u32, chrono::Weekday::Mon).is_none() {
            return None;
        }
        Some(year * 100 + n)
    }

    /// The first day of a period.
    pub fn start(self, id: PeriodId) -> Option<NaiveDate> {
        let (year, n) = (id / 100, (id % 100) as u32);
        match self {
            Granularity::Week => NaiveDate::from_isoywd_opt(year, n, chrono::Weekday::Mon),
            Granularity::Month => NaiveDate::from_ymd_opt(year, n, 1),
            Granularity::Quarter => NaiveDate::from_ymd_opt(year, (n - 1) * 3 + 1, 1),
            Granularity::HalfYear => NaiveDate::from_ymd_opt(year, (n - 1) * 6 + 1, 1),
            Granularity::Year => NaiveDate::from_ymd_opt(year, 1, 1),
        }
    }

    /// The day after the last day of a period.
    pub fn end(self, id: PeriodId) -> Option<NaiveDate> {
        let start = self.start(id)?;
        let months = match self {
            Granularity::Week => return Some(start + chrono::Duration::days(7)),
            Granularity::Month => 1,
            Granularity::Quarter => 3,
            Granularity::HalfYear => 6,
            Granularity::Year => 12,
        };
        start.checked_add_months(chrono::Months::new(months))
    }

    /// The first Amsterdam day a period is published: 31 days after its end, when no report can
    /// arrive for it any more (a device may keep a report queued for 30 days).
    pub fn published_on(self, id: PeriodId) -> Option<NaiveDate> {
        self.end(id)
            .map(|end| end + chrono::Duration::days(PUBLICATION_DELAY_DAYS))
    }

    /// Whether a period is published on `today` (an Amsterdam day).
    pub fn is_published(self, id: PeriodId, today: NaiveDate) -> bool {
        self.published_on(id).is_some_and(|day| day <= today)
    }

    /// The last period published on `today`.
    pub fn last_published(self, today: NaiveDate) -> PeriodId {
        let mut id = self.of(today);
        for _ in 0..16 {
            if self.is_published(id, today) {
                break;
            }
            // The period before: the one holding the day before this one's start.
            id = self
                .start(id)
                .map_or(id, |start| self.of(start - chrono::Duration::days(1)));
        }
        id
    }

    /// Every period from `from` to `to`, both included, in order.
    pub fn range(self, from: PeriodId, to: PeriodId) -> Vec<PeriodId> {
        let (Some(mut day), Some(last)) = (self.start(from), self.start(to)) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        while day <= last && out.len() < 600 {
            let id = self.of(day);
            if out.last() != Some(&id) {
                out.push(id);
            }
            day = match self {
                Granularity::Week => day + chrono::Duration::days(7),
                _ => day
                    .checked_add_months(chrono::Months::new(1))
                    .unwrap_or(last + chrono::Duration::days(1)),
            };
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_round_trip() {
        let d = NaiveDate::from_ymd_opt(2026, 1, 1).expect("date");
        for (g, want) in [
            (Granularity::Week, "2026-W01"),
            (Granularity::Month, "2026-01"),
            (Granularity::Quarter, "2026-Q1"),
            (Granularity::HalfYear, "2026-H1"),
            (Granularity::Year, "2026"),
        ] {
            assert_eq!(g.label(g.of(d)), want);
            assert_eq!(g.parse(want), Some(g.of(d)));
        }
        // 1 January 2027 lies in ISO week 53 of 2026.
        let d = NaiveDate::from_ymd_opt(2027, 1, 1).expect("date");
        assert_eq!(Granularity::Week.label(Granularity::Week.of(d)), "2026-W53");
        assert_eq!(Granularity::Week.parse("2025-W53"), None, "2025 has 52 ISO weeks");
        assert_eq!(Granularity::Month.parse("2026-13"), None);
        assert_eq!(Granularity::Quarter.parse("2026-03"), None);
    }

    #[test]
    fn a_period_is_published_31_days_after_its_end() {
        let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap_or_default();
        let m = Granularity::Month;
        let november = m.parse("2026-11").unwrap_or_default();
        assert_eq!(
            m.published_on(november),
            Some(day(1, 1).with_year(2027).unwrap_or_default())
        );
        assert!(!m.is_published(november, day(12, 31)));
        assert_eq!(m.label(m.last_published(day(12, 31))), "2026-10");
        // October ends on 1 November: published from 2 December.
        assert_eq!(m.label(m.last_published(day(12, 2))), "2026-10");
        assert_eq!(m.label(m.last_published(day(12, 1))), "2026-09");
        let w = Granularity::Week;
        // Week 43 runs 19–25 October 2026, its end is 26 October; published 26 November.
        assert_eq!(w.label(w.last_published(day(11, 26))), "2026-W43");
        assert_eq!(w.label(w.last_published(day(11, 25))), "2026-W42");
        let q = Granularity::Quarter;
        assert_eq!(q.label(q.last_published(day(12, 2))), "2026-Q3");
        let y = Granularity::Year;
        assert_eq!(y.label(y.last_published(day(12, 2))), "2025");
        // A report of 28 October is frozen when October is published (its week 44 ends 2 November).
        assert_eq!(frozen_on(day(10, 28)), day(12, 2));
        assert_eq!(frozen_on(day(10, 21)), day(11, 26));
    }

    #[test]
    fn ranges_are_whole_periods() {
        let g = Granularity::Quarter;
        let r = g.range(
            g.parse("2025-Q4").unwrap_or_default(),
            g.parse("2026-Q2").unwrap_or_default(),
        );
        let labels: Vec<String> = r.into_iter().map(|p| g.label(p)).collect();
        assert_eq!(labels, ["2025-Q4", "2026-Q1", "2026-Q2"]);
        let w = Granularity::Week;
        assert_eq!(
            w.range(
                w.parse("2026-W52").unwrap_or_default(),
                w.parse("2027-W02").unwrap_or_default()
            )
            .len(),
            4
        );
    }
}
