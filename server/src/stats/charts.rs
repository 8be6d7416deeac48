//! What the `/stats` page draws, from the published numbers only: the map's shading and legend,
//! and the trend bars (small multiples per region and a national one). Hidden values (`<5`, `x`)
//! are hatched, never drawn as a length. Pure; the template writes the SVG.

use meldcode::Kind;

use super::Table;
use super::map::Map;

/// Fill colours of the map's classes, light to dark (contrast ≥ 3:1 against white from class 2).
pub const SHADES: [&str; 5] = ["#f1eef6", "#d4b9da", "#b07cc6", "#7b3fa6", "#4a1470"];
/// `<5`: diagonal hatching.
pub const HATCH: &str = "url(#arcering)";
/// `x` (hidden to protect another number): dots, another pattern than `<5`.
pub const HATCH_X: &str = "url(#stippen)";

/// One region on the map.
#[derive(Debug, Clone, PartialEq)]
pub struct MapRegion {
    pub code: String,
    pub name: String,
    pub path: String,
    pub text: String,
    pub fill: String,
}

/// One entry of the legend.
#[derive(Debug, Clone, PartialEq)]
pub struct LegendEntry {
    pub fill: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MapView {
    pub width: i64,
    pub height: i64,
    pub period: String,
    pub regions: Vec<MapRegion>,
    pub legend: Vec<LegendEntry>,
}

/// A class width that is a multiple of 5, so that 4 classes cover `max`.
fn step(max: u32) -> u32 {
    max.div_ceil(4).div_ceil(5).max(1) * 5
}

/// The map of `period`: each region shaded by its published total of `kind` (all kinds with
/// `None`), the same number its `<title>` and the screen-reader table give.
pub fn map_view(map: &Map, t: &Table, period: &str, kind: Option<Kind>) -> MapView {
    let totals: Vec<(&str, &str)> = t
        .regions
        .iter()
        .map(|r| (r.vt_region.as_str(), t.total_of(period, Some(&r.vt_region), kind)))
        .collect();
    let max = totals
        .iter()
        .filter_map(|(_, v)| v.parse::<u32>().ok())
        .max()
        .unwrap_or(0);
    let step = step(max);
    let fill = |text: &str| match text.parse::<u32>() {
        Ok(0) => SHADES[0].to_owned(),
        Ok(n) => SHADES[(n.div_ceil(step) as usize).clamp(1, 4)].to_owned(),
        Err(_) if text == "x" => HATCH_X.to_owned(),
        Err(_) => HATCH.to_owned(),
    };
    let regions = totals
        .iter()
        .filter_map(|(code, text)| {
            Some(MapRegion {
                code: (*code).to_owned(),
                name: t.region_name(code).to_owned(),
                path: map.region(code)?.path.clone(),
                text: (*text).to_owned(),
                fill: fill(text),
            })
        })
        .collect();
    let mut legend = vec![LegendEntry {
        fill: SHADES[0].into(),
        text: "0".into(),
    }];
    for class in 1..=4u32 {
        let (low, high) = ((class - 1) * step + 5, class * step);
        if low <= max.max(5) {
            legend.push(LegendEntry {
                fill: SHADES[class as usize].into(),
                text: if low >= high {
                    format!("{high}")
                } else {
                    format!("{low}–{high}")
                },
            });
        }
    }
    legend.push(LegendEntry {
        fill: HATCH.into(),
        text: "<5: 1 tot en met 4".into(),
    });
    legend.push(LegendEntry {
        fill: HATCH_X.into(),
        text: "x: afgeschermd om een ander getal te beschermen (kan ook een groot aantal zijn)".into(),
    });
    MapView {
        width: map.width,
        height: map.height,
        period: period.to_owned(),
        regions,
        legend,
    }
}

/// A trend chart's geometry in its own `viewBox` (`TREND_WIDTH` × `TREND_HEIGHT`): the bars
/// with a published length as one path, the hidden ones as another (hatched).
#[derive(Debug, Clone, PartialEq)]
pub struct Trend {
    pub code: String,
    pub name: String,
    pub shown: String,
    /// `<5`: low hatched stubs.
    pub hidden: String,
    /// `x`: full-height dashed outlines, as the value may be anything.
    pub unknown: String,
    /// The numbers, for screen readers: "2026-Q1: 15, 2026-Q2: <5".
    pub label: String,
    /// Each bar's published text, in order (written above or below the bars).
    pub values: Vec<String>,
}

pub const TREND_WIDTH: u32 = 240;
pub const TREND_HEIGHT: u32 = 60;
/// The height of a hatched `<5` stub.
const STUB: u32 = 6;

fn trend(code: &str, name: &str, values: &[(String, &str)], max: u32) -> Trend {
    let n = values.len().max(1) as u32;
    let slot = TREND_WIDTH as f64 / f64::from(n);
    let width = (slot * 0.8).max(0.5);
    let (mut shown, mut hidden, mut unknown) = (String::new(), String::new(), String::new());
    for (i, (_, text)) in values.iter().enumerate() {
        let x = f64::from(i as u32) * slot + (slot - width) / 2.0;
        match text.parse::<u32>() {
            Ok(0) => {}
            Ok(v) => {
                let h = (f64::from(v) * f64::from(TREND_HEIGHT) / f64::from(max.max(1))).max(1.0);
                shown.push_str(&format!(
                    "M{x:.1} {:.1}h{width:.1}V{TREND_HEIGHT}h-{width:.1}z",
                    f64::from(TREND_HEIGHT) - h
                ));
            }
            Err(_) if *text == "x" => unknown.push_str(&format!("M{x:.1} 1h{width:.1}V{TREND_HEIGHT}h-{width:.1}z")),
            Err(_) => hidden.push_str(&format!(
                "M{x:.1} {}h{width:.1}v{STUB}h-{width:.1}z",
                TREND_HEIGHT - STUB
            )),
        }
    }
    let label = values
        .iter()
        .map(|(p, v)| format!("{p}: {v}"))
        .collect::<Vec<_>>()
        .join(", ");
    Trend {
        code: code.to_owned(),
        name: name.to_owned(),
        shown,
        hidden,
        unknown,
        label,
        values: values.iter().map(|(_, v)| (*v).to_owned()).collect(),
    }
}

/// A region's code, name and published totals per period.
type Series<'a> = (&'a str, &'a str, Vec<(String, &'a str)>);

/// The national trend, and one per region on a common scale (so regions compare by height).
pub fn trends(t: &Table) -> (Trend, Vec<Trend>, u32) {
    let periods = t.periods();
    let series = |region: Option<&str>| -> Vec<(String, &str)> {
        periods.iter().map(|p| (p.clone(), t.total(p, region))).collect()
    };
    let national = series(None);
    let national_max = national
        .iter()
        .filter_map(|(_, v)| v.parse::<u32>().ok())
        .max()
        .unwrap_or(0);
    let per_region: Vec<Series> = t
        .regions
        .iter()
        .map(|r| (r.vt_region.as_str(), r.name.as_str(), series(Some(&r.vt_region))))
        .collect();
    let max = per_region
        .iter()
        .flat_map(|(_, _, s)| s.iter().filter_map(|(_, v)| v.parse::<u32>().ok()))
        .max()
        .unwrap_or(0)
        .max(5);
    let regions = per_region
        .iter()
        .map(|(code, name, s)| trend(code, name, s, max))
        .collect();
    (trend("NL", "Nederland", &national, national_max.max(5)), regions, max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_are_multiples_of_five() {
        assert_eq!(step(0), 5);
        assert_eq!(step(20), 5);
        assert_eq!(step(21), 10);
        assert_eq!(step(400), 100);
    }

    #[test]
    fn hidden_values_are_stubs_and_zero_is_nothing() {
        let values = [
            ("2026-Q1".to_owned(), "20"),
            ("2026-Q2".to_owned(), "<5"),
            ("2026-Q3".to_owned(), "0"),
            ("2026-Q4".to_owned(), "x"),
        ];
        let t = trend("VT01", "A", &values, 20);
        assert_eq!(t.shown.matches('M').count(), 1);
        assert_eq!(t.hidden.matches('M').count(), 1, "<5: a stub");
        assert_eq!(t.unknown.matches('M').count(), 1, "x: a full-height outline");
        assert_eq!(t.values, ["20", "<5", "0", "x"]);
        assert!(t.shown.starts_with("M6.0 0.0h48.0"), "{}", t.shown);
        assert_eq!(t.label, "2026-Q1: 20, 2026-Q2: <5, 2026-Q3: 0, 2026-Q4: x");
    }
}
