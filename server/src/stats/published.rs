//! The frozen publication as the store keeps it (table `stats_published`): per granularity code
//! and period label, a JSON object of scope → published text, scopes written with region, kind
//! and channel codes (`VT01|melding|balie`, `VT01||`, `VT01|melding|`, `|melding|balie`, `||`),
//! so a new order of the region table cannot move a number. Pure.

use std::collections::BTreeMap;

use meldcode::{Channel, Kind};

use super::disclosure::{Frozen, Scope, Series, Shown};
use super::period::Granularity;

/// One stored period: granularity code, period label, cells as JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredPeriod {
    pub granularity: String,
    pub period: String,
    pub cells: String,
}

fn scope_code(scope: Scope, regions: &[(String, String)]) -> Option<String> {
    let region = |r: u8| regions.get(r as usize).map(|(code, _)| code.as_str());
    let kind = |k: u8| Kind::ALL.get(k as usize).map(|k| k.code());
    let channel = |c: u8| Channel::ALL.get(c as usize).map(|c| c.code());
    Some(match scope {
        Scope::Cell(s) => format!("{}|{}|{}", region(s.region)?, kind(s.kind)?, channel(s.channel)?),
        Scope::Region(r) => format!("{}||", region(r)?),
        Scope::RegionKind(r, k) => format!("{}|{}|", region(r)?, kind(k)?),
        Scope::KindChannel(k, c) => format!("|{}|{}", kind(k)?, channel(c)?),
        Scope::National => "||".to_owned(),
    })
}

fn parse_scope(code: &str, regions: &[(String, String)]) -> Option<Scope> {
    let mut parts = code.split('|');
    let (r, k, c) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let index = |found: Option<usize>| found.and_then(|i| u8::try_from(i).ok());
    let region = || index(regions.iter().position(|(code, _)| code == r));
    let kind = || index(Kind::ALL.iter().position(|x| x.code() == k));
    let channel = || index(Channel::ALL.iter().position(|x| x.code() == c));
    Some(match (r.is_empty(), k.is_empty(), c.is_empty()) {
        (false, false, false) => Scope::Cell(Series {
            region: region()?,
            kind: kind()?,
            channel: channel()?,
        }),
        (false, true, true) => Scope::Region(region()?),
        (false, false, true) => Scope::RegionKind(region()?, kind()?),
        (true, false, false) => Scope::KindChannel(kind()?, channel()?),
        (true, true, true) => Scope::National,
        _ => return None,
    })
}

/// Periods to store.
pub fn encode(frozen: &Frozen, regions: &[(String, String)]) -> Vec<StoredPeriod> {
    frozen
        .rows()
        .map(|(&(g, period), cells)| {
            let cells: BTreeMap<String, String> = cells
                .iter()
                .filter_map(|(scope, shown)| Some((scope_code(*scope, regions)?, shown.text())))
                .collect();
            StoredPeriod {
                granularity: g.code().to_owned(),
                period: g.label(period),
                cells: serde_json::to_string(&cells).unwrap_or_else(|_| "{}".to_owned()),
            }
        })
        .collect()
}

/// Stored periods back; a row that cannot be read is an error (a published period must never
/// be built afresh by accident).
pub fn decode(rows: &[StoredPeriod], regions: &[(String, String)]) -> Result<Frozen, String> {
    let mut frozen = Frozen::new();
    for row in rows {
        let bad = || format!("stats_published {} {}", row.granularity, row.period);
        let g = Granularity::from_code(&row.granularity).ok_or_else(bad)?;
        let period = g.parse(&row.period).ok_or_else(bad)?;
        let cells: BTreeMap<String, String> = serde_json::from_str(&row.cells).map_err(|_| bad())?;
        let mut shown = Vec::with_capacity(cells.len());
        for (scope, text) in &cells {
            shown.push((
                parse_scope(scope, regions).ok_or_else(bad)?,
                Shown::parse(text).ok_or_else(bad)?,
            ));
        }
        frozen.insert(g, period, shown);
    }
    Ok(frozen)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_periods_read_back_the_same() {
        let regions = super::super::regions();
        let s = Series {
            region: 24,
            kind: 3,
            channel: 2,
        };
        let mut frozen = Frozen::new();
        let cells = vec![
            (Scope::Cell(s), Shown::Small),
            (Scope::Region(24), Shown::Suppressed),
            (Scope::RegionKind(24, 3), Shown::Rounded(15)),
            (Scope::KindChannel(3, 2), Shown::Rounded(5)),
            (Scope::National, Shown::Rounded(80)),
        ];
        let g = Granularity::Week;
        let week = g.parse("2026-W05").unwrap_or_default();
        frozen.insert(g, week, cells);
        let stored = encode(&frozen, &regions);
        assert_eq!(stored[0].period, "2026-W05");
        assert!(stored[0].cells.contains("\"||\":\"80\""), "{}", stored[0].cells);
        let mut back = decode(&stored, &regions).unwrap_or_default();
        back.sort();
        frozen.sort();
        assert_eq!(back, frozen);
        let broken = StoredPeriod {
            cells: "{\"VT99||\":\"x\"}".into(),
            ..stored[0].clone()
        };
        assert!(decode(&[broken], &regions).is_err());
    }
}
