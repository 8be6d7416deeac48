//! Published numbers across later publications: day after day new periods get published and the
//! secondary suppression is computed again over more days, yet no number published before
//! changes (`x` and `<5` included), and every hidden value, old or new, keeps a witness.

use super::*;
use crate::stats::period::frozen_on;

fn generated() -> Atoms {
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
    atoms
}

/// Every hidden value has a witness: one report more or less, inside it, changes nothing shown.
fn witnessed(p: &Publication, atoms: &Atoms) -> Vec<Key> {
    let Some(layout) = p.layout.as_ref() else {
        return Vec::new();
    };
    p.published()
        .filter(|(_, s)| s.is_hidden())
        .filter(|(key, _)| {
            !atoms
                .keys()
                .filter(|(s, d)| covers(key.scope, *s) && key.granularity.of(*d) == key.period)
                .any(|(s, d)| p.blockers(layout, *s, *d, 1).is_empty() || p.blockers(layout, *s, *d, -1).is_empty())
        })
        .map(|(key, _)| key)
        .collect()
}

#[test]
fn published_numbers_never_change_across_later_publications() {
    let atoms = generated();
    let until = |today: NaiveDate| -> Atoms {
        atoms
            .iter()
            .filter(|((_, day), _)| frozen_on(*day) <= today)
            .map(|(k, v)| (*k, *v))
            .collect()
    };
    let first = NaiveDate::from_ymd_opt(2025, 6, 15).unwrap_or_default();
    let mut frozen = Frozen::new();
    // Everything ever published, as it was first shown.
    let mut seen: BTreeMap<Key, Shown> = BTreeMap::new();
    let (mut changed, mut checked) = (0usize, 0usize);
    for days in 0..=100 {
        let today = first + chrono::Duration::days(days);
        let data = until(today);
        let p = Publication::with_frozen(&data, &frozen);
        for (key, shown) in &seen {
            checked += 1;
            if p.shown(key) != *shown {
                changed += 1;
                if changed <= 5 {
                    eprintln!("{today}: {key:?} {shown:?} → {:?}", p.shown(key));
                }
            }
        }
        for (key, shown) in p.published() {
            if key.granularity.is_published(key.period, today) {
                seen.entry(key).or_insert(shown);
            }
        }
        assert_eq!(p.unwitnessed(), 0, "{today}");
        if days % 20 == 0 {
            let open = witnessed(&p, &data);
            assert!(
                open.is_empty(),
                "{today}: {} hidden without a witness: {open:?}",
                open.len()
            );
        }
        frozen.merge(p.newly_published(&frozen, today));
    }
    eprintln!(
        "{} published numbers, {checked} comparisons over 100 days: {changed} changed",
        seen.len()
    );
    assert_eq!(changed, 0, "published numbers changed");
}

#[test]
fn without_freezing_they_would_change() {
    // The same data built from scratch 40 days later: what the frozen periods prevent.
    let atoms = generated();
    let until = |today: NaiveDate| -> Atoms {
        atoms
            .iter()
            .filter(|((_, day), _)| frozen_on(*day) <= today)
            .map(|(k, v)| (*k, *v))
            .collect()
    };
    let first = NaiveDate::from_ymd_opt(2025, 6, 15).unwrap_or_default();
    let before = Publication::new(&until(first));
    let after = Publication::new(&until(first + chrono::Duration::days(40)));
    let changed = before
        .published()
        .filter(|(key, _)| key.granularity.is_published(key.period, first))
        .filter(|(key, shown)| after.shown(key) != *shown)
        .count();
    assert!(changed > 0, "the data must exercise re-suppression");
}
