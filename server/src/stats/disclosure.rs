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
//!
//! Published figures never change. What a period showed when it was first published is kept
//! ([`Frozen`]) and given back on every later build: those numbers, `x` included, are fixed, and
//! the search may suppress only numbers not yet published. Every hidden value, old or new, still
//! needs a witness, so an aggregate spanning frozen and new periods cannot be subtracted to
//! reveal a hidden number of either.

mod frozen;
mod layout;
#[cfg(test)]
mod rollover;

pub use frozen::Frozen;

use std::collections::BTreeMap;

use chrono::NaiveDate;

use layout::Layout;

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
    /// A region's total of one kind over channels (what the map of one kind shows).
    RegionKind(u8, u8),
}

impl Scope {
    fn weight(self) -> u32 {
        match self {
            Scope::Cell(_) => 1,
            Scope::RegionKind(..) => 2,
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

/// Every number that can be published from the data, at every granularity, with its true count:
/// dense arrays over [`Layout`]'s slots, so building and checking cost follows the number of
/// non-empty series × days, with no hashing.
pub struct Publication {
    layout: Option<Layout>,
    /// The non-empty atoms, sorted by series, then day (the order witnesses are tried in).
    atoms: Vec<(Series, NaiveDate, u32)>,
    truth: Vec<u32>,
    shown: Vec<Shown>,
    /// Slots of periods published before: their shown value is fixed.
    fixed: Vec<bool>,
    /// Hidden values for which no witness could be found without changing a fixed number.
    unwitnessed: usize,
}

/// What suppressing these slots costs: margins and coarser granularities weigh more.
fn weights(layout: &Layout, slots: &[usize]) -> u32 {
    slots
        .iter()
        .map(|&slot| {
            let key = layout.key(slot);
            key.scope.weight() * (key.granularity as u32 + 1)
        })
        .sum()
}

fn covers(scope: Scope, s: Series) -> bool {
    match scope {
        Scope::Cell(c) => c == s,
        Scope::Region(r) => r == s.region,
        Scope::KindChannel(k, c) => k == s.kind && c == s.channel,
        Scope::National => true,
        Scope::RegionKind(r, k) => r == s.region && k == s.kind,
    }
}

impl Publication {
    #[cfg(test)]
    pub fn new(atoms: &Atoms) -> Publication {
        Publication::with_frozen(atoms, &Frozen::new())
    }

    /// The publication of `atoms` where the periods in `frozen` show what they showed before.
    pub fn with_frozen(atoms: &Atoms, frozen: &Frozen) -> Publication {
        let atoms: Vec<(Series, NaiveDate, u32)> = atoms
            .iter()
            .filter(|(_, n)| **n > 0)
            .map(|(&(s, d), &n)| (s, d, n))
            .collect();
        let Some(layout) = Layout::new(&atoms) else {
            return Publication {
                layout: None,
                atoms,
                truth: Vec::new(),
                shown: Vec::new(),
                fixed: Vec::new(),
                unwitnessed: 0,
            };
        };
        let mut truth = vec![0u32; layout.len()];
        // Per row (granularity × period): the atoms in it, in atom order.
        let mut by_row: Vec<Vec<u32>> = vec![Vec::new(); layout.rows()];
        for (i, &(series, day, n)) in atoms.iter().enumerate() {
            for slot in layout.containing(series, day) {
                truth[slot] += n;
            }
            for g in 0..5 {
                by_row[layout.row(g, day)].push(i as u32);
            }
        }
        let mut shown: Vec<Shown> = truth.iter().map(|n| Shown::of(*n)).collect();
        let mut fixed = vec![false; truth.len()];
        frozen.apply(&layout, &mut shown, &mut fixed);
        let mut publication = Publication {
            layout: Some(layout),
            atoms,
            truth,
            shown,
            fixed,
            unwitnessed: 0,
        };
        publication.suppress_until_safe(&by_row);
        publication
    }

    /// How many hidden values have no witness (0 unless a number published before pins one).
    pub fn unwitnessed(&self) -> usize {
        self.unwitnessed
    }

    pub fn shown(&self, key: &Key) -> Shown {
        self.layout
            .as_ref()
            .and_then(|l| l.slot(key))
            .map_or(Shown::Zero, |slot| self.shown[slot])
    }

    /// Every number with data behind it, and what is published for it.
    #[cfg(test)]
    pub fn published(&self) -> impl Iterator<Item = (Key, Shown)> + '_ {
        self.layout.iter().flat_map(move |l| {
            (0..l.len())
                .filter(|&slot| self.truth[slot] > 0)
                .map(move |slot| (l.key(slot), self.shown[slot]))
        })
    }

    /// The values that would change if a report of `series` on `day` were added (`delta` 1) or
    /// removed (`delta` −1): the blockers of that witness.
    fn blockers(&self, layout: &Layout, series: Series, day: NaiveDate, delta: i64) -> Vec<usize> {
        layout
            .containing(series, day)
            .into_iter()
            .filter(|&slot| {
                let shown = self.shown[slot];
                let changed = i64::from(self.truth[slot]) + delta;
                shown != Shown::Suppressed && (changed < 0 || Shown::of(changed as u32) != shown)
            })
            .collect()
    }

    /// The atoms a slot's value counts (for margins a superset, filtered by [`covers`]): for a
    /// cell, the series' days in the period, a contiguous run of the sorted atoms.
    fn candidates<'a>(&'a self, layout: &Layout, by_row: &'a [Vec<u32>], slot: usize) -> Vec<u32> {
        let (row, scope) = layout.split(slot);
        match scope {
            Scope::Cell(series) => {
                let (start, end) = layout.days(row);
                let from = self.atoms.partition_point(|a| (a.0, a.1) < (series, start));
                let to = self.atoms.partition_point(|a| (a.0, a.1) < (series, end));
                (from as u32..to as u32).collect()
            }
            _ => by_row[row]
                .iter()
                .copied()
                .filter(|&i| covers(scope, self.atoms[i as usize].0))
                .collect(),
        }
    }

    fn suppress_until_safe(&mut self, by_row: &[Vec<u32>]) {
        let Some(layout) = self.layout.take() else {
            return;
        };
        // Ascending slots are ascending keys: the search takes the largest first, as before.
        let mut pending: Vec<usize> = (0..self.shown.len()).filter(|&s| self.shown[s].is_hidden()).collect();
        while let Some(slot) = pending.pop() {
            let mut best: Option<(u32, Vec<usize>)> = None;
            for i in self.candidates(&layout, by_row, slot) {
                let (series, day, _) = self.atoms[i as usize];
                for delta in [1, -1] {
                    let blockers = self.blockers(&layout, series, day, delta);
                    if blockers.iter().any(|&b| self.fixed[b]) {
                        // A published number cannot be hidden afterwards.
                        continue;
                    }
                    let cost = weights(&layout, &blockers);
                    if best.as_ref().is_none_or(|(c, _)| cost < *c) {
                        best = Some((cost, blockers));
                    }
                }
                if best.as_ref().is_some_and(|(c, _)| *c == 0) {
                    break;
                }
            }
            if best.is_none() && self.truth[slot] > 0 {
                self.unwitnessed += 1;
            }
            for blocker in best.map(|(_, b)| b).unwrap_or_default() {
                self.shown[blocker] = Shown::Suppressed;
                pending.push(blocker);
            }
        }
        self.layout = Some(layout);
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
        assert!(p.published().any(|(_, s)| s == Shown::Suppressed));
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
        let layout = p.layout.as_ref().expect("a layout for data");
        let hidden: Vec<(Key, Shown)> = p.published().filter(|(_, s)| s.is_hidden()).collect();
        assert!(!hidden.is_empty());
        for (key, shown) in hidden {
            let witnessed = atoms
                .keys()
                .filter(|(s, d)| covers(key.scope, *s) && key.granularity.of(*d) == key.period)
                .any(|(s, d)| p.blockers(layout, *s, *d, 1).is_empty() || p.blockers(layout, *s, *d, -1).is_empty());
            assert!(witnessed, "{key:?} {shown:?}");
        }
    }
}
