//! Where each publishable number lives in the publication's dense arrays: one slot per
//! granularity × period with data × scope, laid out in the order of [`Key`] (granularity, period,
//! scope), so walking the slots in order is walking the keys in order. Pure.

use chrono::NaiveDate;

use super::{Key, Scope, Series};
use crate::stats::period::{Granularity, PeriodId};

/// The periods of the data's days, per granularity, and the scopes of its series.
pub(super) struct Layout {
    regions: usize,
    kinds: usize,
    channels: usize,
    pub scopes: usize,
    first_day: NaiveDate,
    /// Per day from `first_day`, per granularity: the index of its period in `periods`.
    period_of_day: Vec<[u32; 5]>,
    periods: [Vec<PeriodId>; 5],
    /// Per granularity: how many periods the granularities before it have.
    base: [usize; 5],
}

impl Layout {
    /// The layout of atoms sorted by series, then day; `None` without any.
    pub fn new(atoms: &[(Series, NaiveDate, u32)]) -> Option<Layout> {
        let first_day = atoms.iter().map(|a| a.1).min()?;
        let last_day = atoms.iter().map(|a| a.1).max()?;
        let dim = |f: fn(&Series) -> u8| atoms.iter().map(|a| f(&a.0) as usize + 1).max().unwrap_or(1);
        let (regions, kinds, channels) = (dim(|s| s.region), dim(|s| s.kind), dim(|s| s.channel));
        let mut periods: [Vec<PeriodId>; 5] = Default::default();
        let mut period_of_day = Vec::new();
        for day in first_day.iter_days().take_while(|d| *d <= last_day) {
            let mut slot = [0u32; 5];
            for (g, granularity) in Granularity::ALL.into_iter().enumerate() {
                let id = granularity.of(day);
                if periods[g].last() != Some(&id) {
                    periods[g].push(id);
                }
                slot[g] = (periods[g].len() - 1) as u32;
            }
            period_of_day.push(slot);
        }
        let mut base = [0; 5];
        for g in 1..5 {
            base[g] = base[g - 1] + periods[g - 1].len();
        }
        Some(Layout {
            regions,
            kinds,
            channels,
            scopes: regions * kinds * channels + regions + kinds * channels + 1 + regions * kinds,
            first_day,
            period_of_day,
            periods,
            base,
        })
    }

    /// How many slots there are.
    pub fn len(&self) -> usize {
        (self.base[4] + self.periods[4].len()) * self.scopes
    }

    fn scope_index(&self, scope: Scope) -> Option<usize> {
        let cells = self.regions * self.kinds * self.channels;
        let (k, c) = (self.kinds, self.channels);
        match scope {
            Scope::Cell(s) => ((s.region as usize) < self.regions && (s.kind as usize) < k && (s.channel as usize) < c)
                .then(|| (s.region as usize * k + s.kind as usize) * c + s.channel as usize),
            Scope::Region(r) => ((r as usize) < self.regions).then(|| cells + r as usize),
            Scope::KindChannel(kind, channel) => ((kind as usize) < k && (channel as usize) < c)
                .then(|| cells + self.regions + kind as usize * c + channel as usize),
            Scope::National => Some(cells + self.regions + k * c),
            Scope::RegionKind(r, kind) => ((r as usize) < self.regions && (kind as usize) < k)
                .then(|| cells + self.regions + k * c + 1 + r as usize * k + kind as usize),
        }
    }

    fn scope_at(&self, i: usize) -> Scope {
        let cells = self.regions * self.kinds * self.channels;
        let (k, c) = (self.kinds, self.channels);
        if i < cells {
            Scope::Cell(Series {
                region: (i / (k * c)) as u8,
                kind: (i / c % k) as u8,
                channel: (i % c) as u8,
            })
        } else if i < cells + self.regions {
            Scope::Region((i - cells) as u8)
        } else if i < cells + self.regions + k * c {
            let j = i - cells - self.regions;
            Scope::KindChannel((j / c) as u8, (j % c) as u8)
        } else if i == cells + self.regions + k * c {
            Scope::National
        } else {
            let j = i - (cells + self.regions + k * c + 1);
            Scope::RegionKind((j / k) as u8, (j % k) as u8)
        }
    }

    /// The slot of a key; `None` for a period without data or a series beyond the data.
    pub fn slot(&self, key: &Key) -> Option<usize> {
        let g = key.granularity as usize;
        let p = self.periods[g].binary_search(&key.period).ok()?;
        Some((self.base[g] + p) * self.scopes + self.scope_index(key.scope)?)
    }

    /// The row of a period, if the data reach it.
    pub fn row_of(&self, granularity: Granularity, period: PeriodId) -> Option<usize> {
        let g = granularity as usize;
        let p = self.periods[g].binary_search(&period).ok()?;
        Some(self.base[g] + p)
    }

    /// The granularity and period of a row.
    pub fn period_of_row(&self, row: usize) -> (Granularity, PeriodId) {
        let g = self.base.iter().rposition(|b| *b <= row).unwrap_or(0);
        (Granularity::ALL[g], self.periods[g][row - self.base[g]])
    }

    pub fn key(&self, slot: usize) -> Key {
        let row = slot / self.scopes;
        let g = self.base.iter().rposition(|b| *b <= row).unwrap_or(0);
        Key {
            granularity: Granularity::ALL[g],
            period: self.periods[g][row - self.base[g]],
            scope: self.scope_at(slot % self.scopes),
        }
    }

    /// The row (granularity and period) of a slot, and its scope.
    pub fn split(&self, slot: usize) -> (usize, Scope) {
        (slot / self.scopes, self.scope_at(slot % self.scopes))
    }

    /// How many rows (granularity × period) there are.
    pub fn rows(&self) -> usize {
        self.len() / self.scopes
    }

    /// The row of a day's period at granularity `g`.
    pub fn row(&self, g: usize, day: NaiveDate) -> usize {
        let offset = (day - self.first_day).num_days() as usize;
        self.base[g] + self.period_of_day[offset][g] as usize
    }

    /// The first day and the day after the last day of a row's period.
    pub fn days(&self, row: usize) -> (NaiveDate, NaiveDate) {
        let g = self.base.iter().rposition(|b| *b <= row).unwrap_or(0);
        let granularity = Granularity::ALL[g];
        let period = self.periods[g][row - self.base[g]];
        let start = granularity.start(period).unwrap_or(self.first_day);
        (start, granularity.end(period).unwrap_or(start))
    }

    /// The slots a report of `series` on `day` counts in, in the order of [`Granularity::ALL`]
    /// and, per granularity, cell, region, kind × channel, national, region × kind.
    pub fn containing(&self, series: Series, day: NaiveDate) -> [usize; 25] {
        let scopes = [
            Scope::Cell(series),
            Scope::Region(series.region),
            Scope::KindChannel(series.kind, series.channel),
            Scope::National,
            Scope::RegionKind(series.region, series.kind),
        ]
        .map(|s| self.scope_index(s).unwrap_or(0));
        let mut out = [0; 25];
        for g in 0..5 {
            let row = self.row(g, day);
            for (i, s) in scopes.iter().enumerate() {
                out[g * scopes.len() + i] = row * self.scopes + s;
            }
        }
        out
    }
}
