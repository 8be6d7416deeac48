//! Disclosure control, as the national statistics office does it: counts 1–4 are shown as `<5`,
//! larger counts rounded to a multiple of 5, 0 as 0; and secondary suppression (`x`) until no
//! hidden value can be worked out from anything published, at any granularity. Pure.
//!
//! The guarantee is constructive. A hidden value is safe when a *witness* exists: the data with
//! one report more or less, on a day and in a series inside that value, publishes exactly the
//! same everywhere (every cell, margin and national total, at every granularity). Both datasets
//! fit everything an attacker sees, and the hidden value differs by one between them, so it keeps
//! at least two feasible values. Where no witness exists, the values that block the best
//! candidate are suppressed too, and the search repeats.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;

use super::period::{Granularity, PeriodId};

/// A series of counting records: region, kind and channel (indices into their lists).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Series {
    pub region: u8,
    pub kind: u8,
    pub channel: u8,
}

/// What a published number covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    Cell(Series),
    /// A region's total over kinds and channels.
    Region(u8),
    /// The national total of one kind and channel.
    KindChannel(u8, u8),
    National,
}

impl Scope {
    fn weight(self) -> u32 {
        match self {
            Scope::Cell(_) => 1,
            Scope::Region(_) | Scope::KindChannel(..) => 4,
            Scope::National => 20,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    pub granularity: Granularity,
    pub period: PeriodId,
    pub scope: Scope,
}

/// A published count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    Zero,
    /// 1–4, shown as `<5`.
    Small,
    Rounded(u32),
    /// Secondary suppression, shown as `x`.
    Suppressed,
}

impl Shown {
    /// The primary rule for a true count.
    pub fn of(count: u32) -> Shown {
        match count {
            0 => Shown::Zero,
            1..=4 => Shown::Small,
            n => Shown::Rounded((n + 2) / 5 * 5),
        }
    }

    pub fn text(self) -> String {
        match self {
            Shown::Zero => "0".into(),
            Shown::Small => "<5".into(),
            Shown::Rounded(n) => n.to_string(),
            Shown::Suppressed => "x".into(),
        }
    }

    pub fn is_hidden(self) -> bool {
        matches!(self, Shown::Small | Shown::Suppressed)
    }
}

/// Counting records per series and Amsterdam day.
pub type Atoms = BTreeMap<(Series, NaiveDate), u32>;

/// Every number that can be published from the data, at every granularity, with its true count.
pub struct Publication {
    truth: HashMap<Key, u32>,
    shown: HashMap<Key, Shown>,
}

/// The days with records, by period and by period and series: where witnesses are looked for.
#[derive(Default)]
struct Candidates {
    by_period: HashMap<(Granularity, PeriodId), Vec<(Series, NaiveDate)>>,
    by_cell: HashMap<(Granularity, PeriodId, Series), Vec<(Series, NaiveDate)>>,
}

impl Candidates {
    /// The records' series and days that count in `key` (a superset for margins).
    fn within(&self, key: Key) -> &[(Series, NaiveDate)] {
        let found = match key.scope {
            Scope::Cell(series) => self.by_cell.get(&(key.granularity, key.period, series)),
            _ => self.by_period.get(&(key.granularity, key.period)),
        };
        found.map(Vec::as_slice).unwrap_or_default()
    }
}

/// The numbers a report of `series` on `day` counts in.
fn containing(series: Series, day: NaiveDate) -> impl Iterator<Item = Key> {
    Granularity::ALL.into_iter().flat_map(move |granularity| {
        let period = granularity.of(day);
        [
            Scope::Cell(series),
            Scope::Region(series.region),
            Scope::KindChannel(series.kind, series.channel),
            Scope::National,
        ]
        .into_iter()
        .map(move |scope| Key {
            granularity,
            period,
            scope,
        })
    })
}

fn covers(scope: Scope, s: Series) -> bool {
    match scope {
        Scope::Cell(c) => c == s,
        Scope::Region(r) => r == s.region,
        Scope::KindChannel(k, c) => k == s.kind && c == s.channel,
        Scope::National => true,
    }
}

impl Publication {
    pub fn new(atoms: &Atoms) -> Publication {
        let mut truth: HashMap<Key, u32> = HashMap::new();
        let mut index = Candidates::default();
        for (&(series, day), &n) in atoms.iter().filter(|(_, n)| **n > 0) {
            for key in containing(series, day) {
                *truth.entry(key).or_default() += n;
            }
            for g in Granularity::ALL {
                index.by_period.entry((g, g.of(day))).or_default().push((series, day));
                index
                    .by_cell
                    .entry((g, g.of(day), series))
                    .or_default()
                    .push((series, day));
            }
        }
        let shown = truth.iter().map(|(k, n)| (*k, Shown::of(*n))).collect();
        let mut publication = Publication { truth, shown };
        publication.suppress_until_safe(&index);
        publication
    }

    pub fn shown(&self, key: &Key) -> Shown {
        self.shown.get(key).copied().unwrap_or(Shown::Zero)
    }

    /// The values that would change if a report of `series` on `day` were added (`delta` 1) or
    /// removed (`delta` −1): the blockers of that witness.
    fn blockers(&self, series: Series, day: NaiveDate, delta: i64) -> Vec<Key> {
        containing(series, day)
            .filter(|key| {
                let shown = self.shown(key);
                let changed = i64::from(self.truth.get(key).copied().unwrap_or(0)) + delta;
                shown != Shown::Suppressed && (changed < 0 || Shown::of(changed as u32) != shown)
            })
            .collect()
    }

    fn suppress_until_safe(&mut self, index: &Candidates) {
        let mut pending: Vec<Key> = self
            .shown
            .iter()
            .filter(|(_, s)| s.is_hidden())
            .map(|(k, _)| *k)
            .collect();
        pending.sort();
        while let Some(key) = pending.pop() {
            let candidates = index.within(key);
            let mut best: Option<(u32, Vec<Key>)> = None;
            for &(series, day) in candidates.iter().filter(|(s, _)| covers(key.scope, *s)) {
                for delta in [1, -1] {
                    let blockers = self.blockers(series, day, delta);
                    let cost: u32 = blockers
                        .iter()
                        .map(|b| b.scope.weight() * (b.granularity as u32 + 1))
                        .sum();
                    if best.as_ref().is_none_or(|(c, _)| cost < *c) {
                        best = Some((cost, blockers));
                    }
                }
                if best.as_ref().is_some_and(|(c, _)| *c == 0) {
                    break;
                }
            }
            for blocker in best.map(|(_, b)| b).unwrap_or_default() {
                self.shown.insert(blocker, Shown::Suppressed);
                pending.push(blocker);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, d).unwrap_or_default()
    }

    const A: Series = Series {
        region: 0,
        kind: 0,
        channel: 0,
    };
    const B: Series = Series {
        region: 0,
        kind: 1,
        channel: 0,
    };

    #[test]
    fn the_primary_rule() {
        let texts: Vec<String> = [0, 1, 4, 5, 7, 8, 12, 13]
            .map(Shown::of)
            .iter()
            .map(|s| s.text())
            .collect();
        assert_eq!(texts, ["0", "<5", "<5", "5", "5", "10", "10", "15"]);
    }

    #[test]
    fn a_single_report_stays_hidden_everywhere() {
        let atoms: Atoms = [((A, day(3)), 1)].into();
        let p = Publication::new(&atoms);
        for g in Granularity::ALL {
            let key = Key {
                granularity: g,
                period: g.of(day(3)),
                scope: Scope::Cell(A),
            };
            assert!(p.shown(&key).is_hidden(), "{g:?}");
        }
    }

    #[test]
    fn a_hidden_cell_pinned_by_a_total_at_its_edge_gets_secondary_suppression() {
        // A = 1 ("<5") and B = 6 ("5", i.e. 5–7): the region total 7 ("5") would pin A to 1–2
        // only together with A ≥ 1; with B ≥ 5 and A ≥ 1 the total 5–7 leaves A ≤ 2. No report
        // can be added (the total would become 8: "10") or removed (A would show 0) unseen, so
        // something more must be suppressed.
        let atoms: Atoms = [((A, day(3)), 1), ((B, day(3)), 6)].into();
        let p = Publication::new(&atoms);
        assert!(p.shown.values().any(|s| *s == Shown::Suppressed));
        let month = Granularity::Month.of(day(3));
        let b = Key {
            granularity: Granularity::Month,
            period: month,
            scope: Scope::Cell(B),
        };
        assert_eq!(
            p.shown(&b),
            Shown::Rounded(5),
            "what need not be hidden stays published"
        );
    }

    #[test]
    fn every_hidden_value_has_a_witness_afterwards() {
        let mut atoms = Atoms::new();
        for (i, n) in [1u32, 2, 3, 6, 1, 9, 4, 1, 12, 2].iter().enumerate() {
            let s = Series {
                region: (i % 3) as u8,
                kind: (i % 2) as u8,
                channel: 0,
            };
            atoms.insert((s, day(1 + (i as u32 * 3) % 28)), *n);
        }
        let p = Publication::new(&atoms);
        for (key, shown) in p.shown.iter().filter(|(_, s)| s.is_hidden()) {
            let witnessed = atoms
                .keys()
                .filter(|(s, d)| covers(key.scope, *s) && key.granularity.of(*d) == key.period)
                .any(|(s, d)| p.blockers(*s, *d, 1).is_empty() || p.blockers(*s, *d, -1).is_empty());
            assert!(witnessed, "{key:?} {shown:?}");
        }
    }
}
