//! What each period showed when it was first published, so that no later build changes it: per
//! granularity and period, every number that was not 0 (`x` and `<5` included). Pure; the store
//! keeps it (table `stats_published`) and hands it back on every build.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::layout::Layout;
use super::{Key, Publication, Scope, Shown};
use crate::stats::period::{Granularity, PeriodId};

/// Per published period: its numbers that were not 0, by scope.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Frozen {
    rows: BTreeMap<(Granularity, PeriodId), Vec<(Scope, Shown)>>,
}

impl Shown {
    /// The published text back as a value: `0`, `<5`, `x` or a multiple of 5.
    pub fn parse(text: &str) -> Option<Shown> {
        match text {
            "0" => Some(Shown::Zero),
            "<5" => Some(Shown::Small),
            "x" => Some(Shown::Suppressed),
            n => n.parse().ok().filter(|n| n % 5 == 0 && *n > 0).map(Shown::Rounded),
        }
    }
}

impl Frozen {
    pub fn new() -> Frozen {
        Frozen::default()
    }

    /// Record what a period showed (its numbers that were not 0).
    pub fn insert(&mut self, granularity: Granularity, period: PeriodId, shown: Vec<(Scope, Shown)>) {
        self.rows.insert((granularity, period), shown);
    }

    #[cfg(test)]
    /// Add periods frozen since (a period already held keeps what it had).
    pub fn merge(&mut self, newer: Frozen) {
        for (key, cells) in newer.rows {
            self.rows.entry(key).or_insert(cells);
        }
    }

    #[cfg(test)]
    /// Every period's numbers in scope order (to compare two of them).
    pub fn sort(&mut self) {
        for cells in self.rows.values_mut() {
            cells.sort_by_key(|(scope, _)| *scope);
        }
    }

    pub fn contains(&self, granularity: Granularity, period: PeriodId) -> bool {
        self.rows.contains_key(&(granularity, period))
    }

    /// How many periods are frozen.
    pub fn periods(&self) -> usize {
        self.rows.len()
    }

    pub fn rows(&self) -> impl Iterator<Item = (&(Granularity, PeriodId), &Vec<(Scope, Shown)>)> {
        self.rows.iter()
    }

    /// Put the frozen periods' numbers in place and mark their slots fixed.
    pub(super) fn apply(&self, layout: &Layout, shown: &mut [Shown], fixed: &mut [bool]) {
        for (&(granularity, period), cells) in &self.rows {
            let Some(row) = layout.row_of(granularity, period) else {
                continue;
            };
            for slot in row * layout.scopes..(row + 1) * layout.scopes {
                shown[slot] = Shown::Zero;
                fixed[slot] = true;
            }
            for &(scope, value) in cells {
                let key = Key {
                    granularity,
                    period,
                    scope,
                };
                if let Some(slot) = layout.slot(&key) {
                    shown[slot] = value;
                }
            }
        }
    }
}

impl Publication {
    /// The periods published on `today` that `frozen` does not hold yet, with what they show
    /// now: to be kept, so that they show the same for ever.
    pub fn newly_published(&self, frozen: &Frozen, today: NaiveDate) -> Frozen {
        let mut out = Frozen::new();
        let Some(layout) = self.layout.as_ref() else {
            return out;
        };
        for row in 0..layout.rows() {
            let (granularity, period) = layout.period_of_row(row);
            if frozen.contains(granularity, period) || !granularity.is_published(period, today) {
                continue;
            }
            let cells = (row * layout.scopes..(row + 1) * layout.scopes)
                .filter(|&slot| self.shown[slot] != Shown::Zero)
                .map(|slot| (layout.key(slot).scope, self.shown[slot]))
                .collect();
            out.insert(granularity, period, cells);
        }
        out
    }
}
