//! A measurement, not a guard (ignored; run with `--ignored --nocapture`): how many numbers that
//! were already published change when later periods get published and the secondary
//! suppression is computed again over more days. A published figure should never change; today
//! this prints a large count, so freezing the suppression pattern of published periods is still
//! to be done.

use super::*;
use crate::stats::period::frozen_on;

#[test]
#[ignore]
fn published_numbers_across_later_publications() {
    let mut state = 0x2545F4914F6CDD1Du64;
    let mut next = |m: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % m
    };
    let start = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or_default();
    let mut atoms = Atoms::new();
    for _ in 0..3000 {
        let day = start + chrono::Duration::days(next(700) as i64);
        let series = Series {
            region: ((next(25 * 25) as f64).sqrt() as usize % 25) as u8,
            kind: next(4) as u8,
            channel: next(4) as u8,
        };
        *atoms.entry((series, day)).or_default() += 1;
    }
    let until = |today: NaiveDate| -> Atoms {
        atoms
            .iter()
            .filter(|((_, day), _)| frozen_on(*day) <= today)
            .map(|(k, v)| (*k, *v))
            .collect()
    };
    let first = NaiveDate::from_ymd_opt(2025, 6, 15).unwrap_or_default();
    let before = Publication::new(&until(first));
    for days in [1, 7, 40, 100] {
        let after = Publication::new(&until(first + chrono::Duration::days(days)));
        let published: Vec<(Key, Shown)> = before
            .published()
            .filter(|(key, _)| key.granularity.is_published(key.period, first))
            .collect();
        let changed = published
            .iter()
            .filter(|(key, shown)| after.shown(key) != *shown)
            .count();
        eprintln!(
            "{days} days later: {changed} of {} published numbers changed",
            published.len()
        );
    }
}
