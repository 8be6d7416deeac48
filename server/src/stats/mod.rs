//! Statistics for evaluators: counts per Veilig Thuis region × period × kind × channel, with
//! margins and national totals, under disclosure control. Pure: the store hands over counting
//! records, this module decides what may be shown.

pub mod disclosure;
pub mod period;
pub mod practice;
pub mod render;

use chrono::{NaiveDateTime, Utc};
use meldcode::{Channel, Kind};
use serde::Serialize;

use disclosure::{Atoms, Key, Publication, Scope, Series};
use period::{Granularity, PeriodId};

/// Counting records per region, kind, channel and UTC hour (`2026-03-01T13`), as the store
/// aggregates them.
pub struct HourCount {
    pub vt_region: String,
    pub kind: String,
    pub channel: String,
    pub utc_hour: String,
    pub count: u32,
}

/// The regions, in table order: their index is the `Series::region`.
pub fn regions() -> Vec<(String, String)> {
    meldcode::regions::latest()
        .regions()
        .map(|r| (r.code.clone(), r.name.clone()))
        .collect()
}

/// Counting records per series and Amsterdam day (Dutch offsets are whole hours).
pub fn atoms(rows: &[HourCount], regions: &[(String, String)]) -> Atoms {
    let mut atoms = Atoms::new();
    for row in rows {
        let region = regions.iter().position(|(code, _)| *code == row.vt_region);
        let kind = Kind::ALL.iter().position(|k| k.code() == row.kind);
        let channel = Channel::ALL.iter().position(|c| c.code() == row.channel);
        let hour = NaiveDateTime::parse_from_str(&format!("{}:00:00", row.utc_hour), "%Y-%m-%dT%H:%M:%S").ok();
        let (Some(region), Some(kind), Some(channel), Some(hour)) = (region, kind, channel, hour) else {
            continue;
        };
        let day = hour.and_utc().with_timezone(&meldcode::TIME_ZONE).date_naive();
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
    /// Median minutes from receipt to acknowledgement of the range's reports; `null` when fewer
    /// than 5 were acknowledged.
    pub median_minutes_to_acknowledgement: Option<i64>,
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
    pub generated_at: chrono::DateTime<Utc>,
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

/// The median of minute durations, published only from 5 values on.
pub fn median_minutes(mut minutes: Vec<i64>) -> Option<i64> {
    if minutes.len() < 5 {
        return None;
    }
    minutes.sort_unstable();
    let n = minutes.len();
    Some(if n % 2 == 1 {
        minutes[n / 2]
    } else {
        (minutes[n / 2 - 1] + minutes[n / 2]) / 2
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_become_amsterdam_days() {
        let regions = regions();
        let row = |hour: &str| HourCount {
            vt_region: "VT01".into(),
            kind: "melding".into(),
            channel: "balie".into(),
            utc_hour: hour.into(),
            count: 1,
        };
        // 23:00 UTC on 31 December is 00:00 on 1 January in Amsterdam.
        let atoms = atoms(&[row("2025-12-31T23"), row("2025-12-31T22"), row("nonsense")], &regions);
        let days: Vec<String> = atoms.keys().map(|(_, d)| d.to_string()).collect();
        assert_eq!(days, ["2025-12-31", "2026-01-01"]);
    }

    #[test]
    fn medians_need_five_values() {
        assert_eq!(median_minutes(vec![1, 2, 3, 4]), None);
        assert_eq!(median_minutes(vec![50, 10, 30, 20, 40]), Some(30));
        assert_eq!(median_minutes(vec![10, 20, 30, 40, 50, 60]), Some(35));
    }
}
