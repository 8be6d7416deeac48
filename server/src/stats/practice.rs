//! Training uptake (oefenmodus): per region and period, the pharmacies that practised and the
//! practice runs, under the same disclosure control as the report counts. Pure.
//!
//! - Runs add up like reports: they get a [`Publication`] of their own (a region is one series,
//!   with the national total as its margin), so the primary rule, the secondary suppression and
//!   the guarantee across every granularity are exactly those of [`super::disclosure`].
//! - Pharmacies that practised are distinct counts: they do not add up, so no sum of published
//!   numbers pins them. They get the primary rule (0, `<5`, rounded to 5), and `x` wherever a
//!   runs number they bound is `x` (a pharmacy count of 0 would tell that the hidden runs are 0).
//! - For the whole range (`period: null`), only the pharmacies are published: a range of periods
//!   is not a number every granularity publishes, so its runs would be a new margin.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;

use super::disclosure::{Atoms, Frozen, Key, Publication, Scope, Series, Shown};
use super::period::{Granularity, PeriodId, frozen_on};

/// Practice runs per region, pharmacy and UTC hour (`2026-03-01T13`), as the store reads them.
pub struct PracticeHour {
    pub vt_region: String,
    pub pharmacy_id: i64,
    pub utc_hour: String,
    pub runs: u32,
}

/// One published uptake figure (contract: counts are strings, as `cells`).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PracticeCell {
    /// `null`: the whole range, `from` to `to`.
    pub period: Option<String>,
    /// `null`: the Netherlands.
    pub vt_region: Option<String>,
    /// Pharmacies that practised at least once.
    pub pharmacies: String,
    /// Practice runs; `null` for the whole range.
    pub runs: Option<String>,
}

/// The uptake of the whole data set, ready to publish at any granularity.
pub struct Uptake {
    runs: Publication,
    /// Per region (index into the region list): the pharmacies that practised, per Amsterdam day.
    by_region: Vec<BTreeMap<NaiveDate, BTreeSet<i64>>>,
}

impl Uptake {
    #[cfg(test)]
    pub fn new(rows: &[PracticeHour], regions: &[(String, String)]) -> Uptake {
        Uptake::published(rows, regions, &Frozen::new(), NaiveDate::MAX)
    }

    /// The uptake as published on `today`: only runs of days in a published period count (a run
    /// of today changes nothing anyone can see), and the periods in `frozen` show what they
    /// showed when first published.
    pub fn published(rows: &[PracticeHour], regions: &[(String, String)], frozen: &Frozen, today: NaiveDate) -> Uptake {
        let mut atoms = Atoms::new();
        let mut by_region = vec![BTreeMap::<NaiveDate, BTreeSet<i64>>::new(); regions.len()];
        for row in rows.iter().filter(|r| r.runs > 0) {
            let region = regions.iter().position(|(code, _)| *code == row.vt_region);
            let hour = NaiveDateTime::parse_from_str(&format!("{}:00:00", row.utc_hour), "%Y-%m-%dT%H:%M:%S").ok();
            let (Some(region), Some(hour)) = (region, hour) else {
                continue;
            };
            let day = hour.and_utc().with_timezone(&meldcode::TIME_ZONE).date_naive();
            if frozen_on(day) > today {
                continue;
            }
            let series = Series {
                region: region as u8,
                kind: 0,
                channel: 0,
            };
            *atoms.entry((series, day)).or_default() += row.runs;
            by_region[region].entry(day).or_default().insert(row.pharmacy_id);
        }
        Uptake {
            runs: Publication::with_frozen(&atoms, frozen),
            by_region,
        }
    }

    /// The runs' periods published on `today` and not yet in `frozen`: to be kept.
    pub fn newly_published(&self, frozen: &Frozen, today: NaiveDate) -> Frozen {
        self.runs.newly_published(frozen, today)
    }

    fn runs(&self, g: Granularity, period: PeriodId, region: Option<usize>) -> Shown {
        self.runs.shown(&Key {
            granularity: g,
            period,
            scope: region.map_or(Scope::National, |r| Scope::Region(r as u8)),
        })
    }

    /// Distinct pharmacies that practised on days in `[from, to)`, in a region or nationally.
    fn pharmacies(&self, region: Option<usize>, from: NaiveDate, to: NaiveDate) -> u32 {
        let mut seen = BTreeSet::new();
        for (r, days) in self.by_region.iter().enumerate() {
            if region.is_none_or(|want| want == r) {
                for pharmacies in days.range(from..to).map(|(_, p)| p) {
                    seen.extend(pharmacies.iter().copied());
                }
            }
        }
        seen.len() as u32
    }

    fn pharmacies_shown(count: u32, mut runs: impl Iterator<Item = Shown>) -> Shown {
        if runs.any(|s| s == Shown::Suppressed) {
            Shown::Suppressed
        } else {
            Shown::of(count)
        }
    }

    /// Per period of `periods` (granularity `g`), per region in list order, then the
    /// Netherlands: pharmacies and runs; then the same for the whole range (`period: null`).
    pub fn cells(&self, regions: &[(String, String)], g: Granularity, periods: &[PeriodId]) -> Vec<PracticeCell> {
        let scopes: Vec<Option<usize>> = (0..regions.len()).map(Some).chain([None]).collect();
        let code = |r: Option<usize>| r.map(|r| regions[r].0.clone());
        let mut out = Vec::new();
        for &period in periods {
            let (Some(from), Some(to)) = (g.start(period), g.end(period)) else {
                continue;
            };
            for &r in &scopes {
                let runs = self.runs(g, period, r);
                out.push(PracticeCell {
                    period: Some(g.label(period)),
                    vt_region: code(r),
                    pharmacies: Self::pharmacies_shown(self.pharmacies(r, from, to), [runs].into_iter()).text(),
                    runs: Some(runs.text()),
                });
            }
        }
        let first = periods.first().and_then(|p| g.start(*p));
        let last = periods.last().and_then(|p| g.end(*p));
        if let (Some(from), Some(to)) = (first, last) {
            for &r in &scopes {
                let runs = periods.iter().map(|p| self.runs(g, *p, r));
                out.push(PracticeCell {
                    period: None,
                    vt_region: code(r),
                    pharmacies: Self::pharmacies_shown(self.pharmacies(r, from, to), runs).text(),
                    runs: None,
                });
            }
        }
        out
    }
}

/// The `/stats` page's "Geoefend": the published pharmacies that practised against the enrolled
/// ones, e.g. `10 van 40 (ca. 25%)`, `<5 van 12`, `x`.
pub fn share_text(pharmacies: &str, enrolled: u32) -> String {
    match pharmacies.parse::<u32>() {
        Ok(n) if enrolled > 0 => {
            let percent = (u64::from(n) * 100 + u64::from(enrolled) / 2) / u64::from(enrolled);
            format!("{n} van {enrolled} (ca. {}%)", percent.min(100))
        }
        Ok(n) => n.to_string(),
        Err(_) if pharmacies == "x" => pharmacies.to_owned(),
        Err(_) => format!("{pharmacies} van {enrolled}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn regions() -> Vec<(String, String)> {
        super::super::regions()
    }

    fn row(region: &str, pharmacy: i64, hour: &str, runs: u32) -> PracticeHour {
        PracticeHour {
            vt_region: region.into(),
            pharmacy_id: pharmacy,
            utc_hour: hour.into(),
            runs,
        }
    }

    fn find<'a>(cells: &'a [PracticeCell], period: Option<&str>, region: Option<&str>) -> &'a PracticeCell {
        cells
            .iter()
            .find(|c| c.period.as_deref() == period && c.vt_region.as_deref() == region)
            .unwrap_or_else(|| panic!("no cell {period:?} {region:?}"))
    }

    #[test]
    fn runs_and_pharmacies_per_region_and_period_under_the_primary_rule() {
        let regions = regions();
        // VT01: 9 pharmacies practise in March, one of them twice; VT02: one pharmacy once.
        let mut rows: Vec<PracticeHour> = (1..=9).map(|p| row("VT01", p, "2026-03-02T09", 1)).collect();
        rows.push(row("VT01", 1, "2026-03-20T09", 1));
        rows.push(row("VT02", 50, "2026-03-03T09", 1));
        let uptake = Uptake::new(&rows, &regions);
        let g = Granularity::Month;
        let march = g.parse("2026-03").expect("a month");
        let april = g.parse("2026-04").expect("a month");
        let cells = uptake.cells(&regions, g, &[march, april]);
        let vt01 = find(&cells, Some("2026-03"), Some("VT01"));
        assert_eq!((vt01.pharmacies.as_str(), vt01.runs.as_deref()), ("10", Some("10")));
        let vt02 = find(&cells, Some("2026-03"), Some("VT02"));
        assert_eq!(vt02.pharmacies, "<5");
        let april_vt01 = find(&cells, Some("2026-04"), Some("VT01"));
        assert_eq!(
            (april_vt01.pharmacies.as_str(), april_vt01.runs.as_deref()),
            ("0", Some("0"))
        );
        let range = find(&cells, None, Some("VT01"));
        assert_eq!((range.pharmacies.as_str(), range.runs.as_deref()), ("10", None));
        let national = find(&cells, None, None);
        assert_eq!(national.pharmacies, "10", "10 distinct pharmacies in all");
    }

    #[test]
    fn pharmacies_are_hidden_wherever_their_runs_are() {
        // A region with 1 run and one with 6: the national total (7, "5") would pin the small one
        // unless something more is suppressed; a pharmacy count beside an `x` is `x` as well.
        let regions = regions();
        let mut rows = vec![row("VT01", 1, "2026-03-02T09", 1)];
        rows.extend((2..=7).map(|p| row("VT02", p, "2026-03-02T09", 1)));
        let uptake = Uptake::new(&rows, &regions);
        let g = Granularity::Month;
        let march = g.parse("2026-03").expect("a month");
        let cells = uptake.cells(&regions, g, &[march]);
        let suppressed: Vec<&PracticeCell> = cells.iter().filter(|c| c.runs.as_deref() == Some("x")).collect();
        assert!(!suppressed.is_empty(), "{cells:#?}");
        for c in suppressed {
            assert_eq!(c.pharmacies, "x", "{c:?}");
        }
    }

    #[test]
    fn the_share_of_enrolled_pharmacies() {
        assert_eq!(share_text("10", 40), "10 van 40 (ca. 25%)");
        assert_eq!(share_text("10", 9), "10 van 9 (ca. 100%)");
        assert_eq!(share_text("<5", 12), "<5 van 12");
        assert_eq!(share_text("0", 12), "0 van 12 (ca. 0%)");
        assert_eq!(share_text("x", 12), "x");
        assert_eq!(share_text("0", 0), "0");
    }

    #[test]
    fn published_uptake_never_changes_across_later_publications() {
        let regions = regions();
        let mut state = 0x2545F4914F6CDD1Du64;
        let mut next = |m: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % m
        };
        let start = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap_or_default();
        let rows: Vec<PracticeHour> = (0..400)
            .map(|_| {
                let pharmacy = next(40) as i64;
                let day = start + chrono::Duration::days(next(330) as i64);
                row(
                    &regions[(pharmacy % 6) as usize].0,
                    pharmacy,
                    &format!("{day}T{:02}", 8 + next(10)),
                    1,
                )
            })
            .collect();
        let first = NaiveDate::from_ymd_opt(2025, 6, 15).unwrap_or_default();
        let (mut frozen, mut seen) = (Frozen::new(), BTreeMap::new());
        let mut changed = Vec::new();
        for days in 0..=100 {
            let today = first + chrono::Duration::days(days);
            let uptake = Uptake::published(&rows, &regions, &frozen, today);
            for g in Granularity::ALL {
                let last = g.last_published(today);
                let periods = g.range(g.of(start), last);
                for c in uptake
                    .cells(&regions, g, &periods)
                    .into_iter()
                    .filter(|c| c.period.is_some())
                {
                    let key = (g, c.period.clone(), c.vt_region.clone());
                    let value = (c.pharmacies.clone(), c.runs.clone());
                    match seen.get(&key) {
                        Some(old) if *old != value => changed.push(format!("{today}: {key:?} {old:?} → {value:?}")),
                        Some(_) => {}
                        None => {
                            seen.insert(key, value);
                        }
                    }
                }
            }
            frozen.merge(uptake.newly_published(&frozen, today));
        }
        assert!(
            seen.values().any(|(_, runs)| runs.as_deref() == Some("x")),
            "the data hide runs"
        );
        assert!(
            changed.is_empty(),
            "{} changed: {:#?}",
            changed.len(),
            &changed[..changed.len().min(10)]
        );
    }
}
