//! Statistics for evaluators: counts per Veilig Thuis region × period × kind × channel, with
//! margins and national totals, under disclosure control. Pure: the store hands over counting
//! records, this module decides what may be shown.

pub mod charts;
pub mod disclosure;
pub mod form;
pub mod map;
pub mod period;
pub mod practice;
pub mod published;
pub mod render;
pub mod xlsx;

use chrono::{NaiveDate, Utc};
use meldcode::{Channel, Kind};
use serde::Serialize;

use disclosure::{Atoms, Key, Publication, Scope, Series};
use period::{Granularity, PeriodId};

/// Counting records per region, kind, channel and Amsterdam day (`2026-03-01`), as the store
/// keeps them (table `stats_day`).
pub struct DayCount {
    pub vt_region: String,
    pub kind: String,
    pub channel: String,
    pub day: String,
    pub count: u32,
}

/// One acknowledged report: its region, the Amsterdam day it was received, the minutes
/// until it was taken into intake, and the Amsterdam day of that.
pub struct AckMinutes {
    pub vt_region: String,
    pub day: NaiveDate,
    pub minutes: i64,
    pub acknowledged_on: NaiveDate,
}

/// The regions, in table order: their index is the `Series::region`.
pub fn regions() -> Vec<(String, String)> {
    meldcode::regions::latest()
        .regions()
        .map(|r| (r.code.clone(), r.name.clone()))
        .collect()
}

/// Counting records per series and Amsterdam day; rows of unknown regions, kinds or channels
/// are left out.
pub fn atoms(rows: &[DayCount], regions: &[(String, String)]) -> Atoms {
    let mut atoms = Atoms::new();
    for row in rows {
        let region = regions.iter().position(|(code, _)| *code == row.vt_region);
        let kind = Kind::ALL.iter().position(|k| k.code() == row.kind);
        let channel = Channel::ALL.iter().position(|c| c.code() == row.channel);
        let day = NaiveDate::parse_from_str(&row.day, "%Y-%m-%d").ok();
        let (Some(region), Some(kind), Some(channel), Some(day)) = (region, kind, channel, day) else {
            continue;
        };
        let series = Series {
            region: region as u8,
            kind: kind as u8,
            channel: channel as u8,
        };
        *atoms.entry((series, day)).or_default() += row.count;
    }
    atoms
}

/// One published number (contract: `count` is always a string).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Cell {
    pub period: String,
    pub vt_region: Option<String>,
    pub kind: Option<Kind>,
    pub channel: Option<Channel>,
    pub count: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RegionFacts {
    pub vt_region: String,
    pub name: String,
    /// Pharmacies with at least one active device.
    pub pharmacies: u32,
}

/// The median time to acknowledgement of one region's reports received in one period.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PeriodMedian {
    pub period: String,
    pub vt_region: String,
    /// In whole quarters of an hour; `null` when fewer than 10 of them were acknowledged before
    /// the period was published, or when the region's count of the period is hidden.
    pub minutes: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Table {
    pub period: Granularity,
    pub from: String,
    pub to: String,
    pub cells: Vec<Cell>,
    pub totals: Vec<Cell>,
    pub regions: Vec<RegionFacts>,
    /// Training uptake (oefenmodus): [`practice::Uptake::cells`].
    pub practice: Vec<practice::PracticeCell>,
    /// Per region and period of the range (regions in table order, then periods).
    pub medians: Vec<PeriodMedian>,
    pub generated_at: chrono::DateTime<Utc>,
}

impl Table {
    /// A published count of the totals; "0" where nothing was published.
    pub fn total(&self, period: &str, region: Option<&str>) -> &str {
        self.total_of(period, region, None)
    }

    /// A published total over channels: of one kind, or with `None` of all kinds; "0" where
    /// nothing was published.
    pub fn total_of(&self, period: &str, region: Option<&str>, kind: Option<Kind>) -> &str {
        self.totals
            .iter()
            .find(|c| c.period == period && c.vt_region.as_deref() == region && c.kind == kind && c.channel.is_none())
            .map_or("0", |c| c.count.as_str())
    }

    /// The periods of the range, in order.
    pub fn periods(&self) -> Vec<String> {
        self.totals
            .iter()
            .filter(|c| c.vt_region.is_none() && c.kind.is_none())
            .map(|c| c.period.clone())
            .collect()
    }

    pub fn region_name(&self, code: &str) -> &str {
        self.regions
            .iter()
            .find(|r| r.vt_region == code)
            .map_or("", |r| r.name.as_str())
    }
}

/// A published count as a number and a flag, for spreadsheets: `("20", None)` → `(Some(20), "")`,
/// `"<5"` and `"x"` → no number, the text as flag.
pub fn number_and_flag(count: &str) -> (Option<u32>, &str) {
    match count.parse::<u32>() {
        Ok(n) => (Some(n), ""),
        Err(_) => (None, count),
    }
}

/// Minutes as Dutch hours and minutes: 314 → "5 u 14 min", 45 → "45 min".
pub fn hours_minutes(minutes: i64) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} u"),
        (h, m) => format!("{h} u {m} min"),
    }
}

/// The cells and totals of `periods` at granularity `g`.
pub fn table_cells(
    p: &Publication,
    regions: &[(String, String)],
    g: Granularity,
    periods: &[PeriodId],
) -> (Vec<Cell>, Vec<Cell>) {
    let mut cells = Vec::new();
    let mut totals = Vec::new();
    for &period in periods {
        let label = g.label(period);
        let shown = |scope| {
            p.shown(&Key {
                granularity: g,
                period,
                scope,
            })
            .text()
        };
        for (r, (code, _)) in regions.iter().enumerate() {
            for (k, kind) in Kind::ALL.iter().enumerate() {
                for (c, channel) in Channel::ALL.iter().enumerate() {
                    let series = Series {
                        region: r as u8,
                        kind: k as u8,
                        channel: c as u8,
                    };
                    cells.push(Cell {
                        period: label.clone(),
                        vt_region: Some(code.clone()),
                        kind: Some(*kind),
                        channel: Some(*channel),
                        count: shown(Scope::Cell(series)),
                    });
                }
            }
            let count = shown(Scope::Region(r as u8));
            totals.push(Cell {
                period: label.clone(),
                vt_region: Some(code.clone()),
                kind: None,
                channel: None,
                count,
            });
            for (k, kind) in Kind::ALL.iter().enumerate() {
                totals.push(Cell {
                    period: label.clone(),
                    vt_region: Some(code.clone()),
                    kind: Some(*kind),
                    channel: None,
                    count: shown(Scope::RegionKind(r as u8, k as u8)),
                });
            }
        }
        for (k, kind) in Kind::ALL.iter().enumerate() {
            for (c, channel) in Channel::ALL.iter().enumerate() {
                let count = shown(Scope::KindChannel(k as u8, c as u8));
                totals.push(Cell {
                    period: label.clone(),
                    vt_region: None,
                    kind: Some(*kind),
                    channel: Some(*channel),
                    count,
                });
            }
        }
        totals.push(Cell {
            period: label,
            vt_region: None,
            kind: None,
            channel: None,
            count: shown(Scope::National),
        });
    }
    (cells, totals)
}

/// The medians per region and period of `periods` at granularity `g`, regions in `regions`' order.
/// A report counts only when it was acknowledged before it was frozen in the publication (so a
/// published median never changes); a region whose count of the period is hidden gets none.
pub fn period_medians(
    acks: &[AckMinutes],
    p: &Publication,
    regions: &[(String, String)],
    g: Granularity,
    periods: &[PeriodId],
) -> Vec<PeriodMedian> {
    let mut by_key: std::collections::HashMap<(&str, PeriodId), Vec<i64>> = std::collections::HashMap::new();
    for a in acks.iter().filter(|a| a.acknowledged_on < period::frozen_on(a.day)) {
        by_key
            .entry((a.vt_region.as_str(), g.of(a.day)))
            .or_default()
            .push(a.minutes);
    }
    regions
        .iter()
        .enumerate()
        .flat_map(|(r, (code, _))| {
            let by_key = &by_key;
            periods.iter().map(move |&period| {
                let hidden = p
                    .shown(&Key {
                        granularity: g,
                        period,
                        scope: Scope::Region(r as u8),
                    })
                    .is_hidden();
                PeriodMedian {
                    period: g.label(period),
                    vt_region: code.clone(),
                    minutes: (!hidden)
                        .then(|| median_minutes(by_key.get(&(code.as_str(), period)).cloned().unwrap_or_default()))
                        .flatten(),
                }
            })
        })
        .collect()
}

/// The fewest acknowledged reports a median is published for.
pub const MEDIAN_MIN_REPORTS: usize = 10;

/// The median of minute durations, published only from 10 values on and rounded to the nearest
/// whole quarter of an hour (so no single report's own time shows).
pub fn median_minutes(mut minutes: Vec<i64>) -> Option<i64> {
    if minutes.len() < MEDIAN_MIN_REPORTS {
        return None;
    }
    minutes.sort_unstable();
    let n = minutes.len();
    let median = if n % 2 == 1 {
        minutes[n / 2]
    } else {
        (minutes[n / 2 - 1] + minutes[n / 2]) / 2
    };
    Some((median + 7).div_euclid(15) * 15)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_rows_become_atoms() {
        let regions = regions();
        let row = |region: &str, day: &str| DayCount {
            vt_region: region.into(),
            kind: "melding".into(),
            channel: "balie".into(),
            day: day.into(),
            count: 2,
        };
        let rows = [
            row("VT01", "2026-01-01"),
            row("VT01", "2025-12-31"),
            row("VT01", "nonsense"),
            row("VT99", "2026-01-01"),
        ];
        let atoms = atoms(&rows, &regions);
        let days: Vec<String> = atoms.keys().map(|(_, d)| d.to_string()).collect();
        assert_eq!(days, ["2025-12-31", "2026-01-01"]);
        assert!(atoms.values().all(|n| *n == 2));
    }

    #[test]
    fn durations_read_as_hours_and_minutes() {
        assert_eq!(hours_minutes(314), "5 u 14 min");
        assert_eq!(hours_minutes(45), "45 min");
        assert_eq!(hours_minutes(120), "2 u");
        assert_eq!(hours_minutes(60 * 30 + 1), "30 u 1 min");
        assert_eq!(number_and_flag("15"), (Some(15), ""));
        assert_eq!(number_and_flag("<5"), (None, "<5"));
        assert_eq!(number_and_flag("x"), (None, "x"));
    }

    #[test]
    fn medians_need_ten_values_and_are_whole_quarters() {
        // Five reports, as in 7, 13, 21, 42, 95: the median would be one report's own time.
        assert_eq!(median_minutes(vec![7, 13, 21, 42, 95]), None);
        assert_eq!(median_minutes((1..=9).collect()), None);
        assert_eq!(median_minutes(vec![7, 13, 21, 42, 95, 7, 13, 21, 42, 95]), Some(15));
        assert_eq!(median_minutes((1..=11).map(|i| i * 5).collect()), Some(30));
        assert_eq!(median_minutes(vec![22; 10]), Some(15));
        assert_eq!(median_minutes(vec![23; 10]), Some(30));
        assert_eq!(median_minutes(vec![314; 10]), Some(315));
    }

    #[test]
    fn no_median_beside_a_hidden_count_or_after_publication() {
        let regions = regions();
        let day = NaiveDate::from_ymd_opt(2026, 3, 10).unwrap_or_default();
        let ack = |on: NaiveDate| AckMinutes {
            vt_region: regions[0].0.clone(),
            day,
            minutes: 30,
            acknowledged_on: on,
        };
        let acks: Vec<AckMinutes> = (0..10).map(|_| ack(day)).collect();
        let g = Granularity::Month;
        let march = g.of(day);
        let series = Series {
            region: 0,
            kind: 0,
            channel: 0,
        };
        let mut counted = Atoms::new();
        counted.insert((series, day), 10);
        for i in 1..4u8 {
            counted.insert((Series { region: i, ..series }, day), 10);
        }
        let p = Publication::new(&counted);
        let m = period_medians(&acks, &p, &regions, g, &[march]);
        assert_eq!(m[0].minutes, Some(30));
        // Acknowledged after March was published: left out, too few remain.
        let late: Vec<AckMinutes> = (0..10)
            .map(|i| ack(if i == 0 { day + chrono::Duration::days(60) } else { day }))
            .collect();
        assert_eq!(period_medians(&late, &p, &regions, g, &[march])[0].minutes, None);
        // The region's count is hidden (<5): no median beside it.
        let mut few = Atoms::new();
        few.insert((series, day), 3);
        let p = Publication::new(&few);
        assert_eq!(period_medians(&acks, &p, &regions, g, &[march])[0].minutes, None);
    }
}
