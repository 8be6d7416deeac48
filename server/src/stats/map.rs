//! The map of the Veilig Thuis regions: the CBS / PDOK TopoJSON (`assets/map/`) decoded,
//! projected and simplified once, at first use, into one SVG path per region. Shared borders are
//! arcs in TopoJSON, so each is simplified once and neighbouring regions keep meeting exactly.
//! Pure.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use serde_json::Value;

const TOPOJSON: &str = include_str!("../../../assets/map/veiligthuisregio_2025.topojson");
const OBJECT: &str = "veiligthuisregio_2025";
/// Map units per quantised TopoJSON unit (0.001°): the map is about 290 × 350 units.
const SCALE: f64 = 1.0 / 8.0;
/// Douglas–Peucker tolerance in map units: about a pixel at the size the page shows the map.
const TOLERANCE: f64 = 0.9;

/// One region's outline, as SVG path data in the map's `viewBox`.
#[derive(Debug, Clone, PartialEq)]
pub struct RegionShape {
    pub code: String,
    pub path: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Map {
    pub width: i64,
    pub height: i64,
    pub regions: Vec<RegionShape>,
}

#[derive(Debug, thiserror::Error)]
pub enum MapError {
    #[error("the map file is not JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("the map file lacks {0}")]
    Missing(&'static str),
    #[error("the map refers to arc {0}, which it does not have")]
    Arc(i64),
}

/// The compiled-in map (checked by tests: a failure is a build defect, and the page then shows
/// the table without a map).
pub static MAP: LazyLock<Option<Map>> = LazyLock::new(|| match Map::parse(TOPOJSON) {
    Ok(map) => Some(map),
    Err(e) => {
        tracing::error!(error = %e, "region map");
        None
    }
});

type Point = (f64, f64);

fn num(v: &Value) -> Option<f64> {
    v.as_f64()
}

/// Perpendicular distance of `p` from the line through `a` and `b`.
fn distance(p: Point, a: Point, b: Point) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len = (dx * dx + dy * dy).sqrt();
    if len == 0.0 {
        return ((p.0 - a.0).powi(2) + (p.1 - a.1).powi(2)).sqrt();
    }
    ((p.0 - a.0) * dy - (p.1 - a.1) * dx).abs() / len
}

/// Douglas–Peucker: the points that stay, endpoints always.
fn simplify(points: &[Point]) -> Vec<Point> {
    if points.len() < 3 {
        return points.to_vec();
    }
    let mut keep = vec![false; points.len()];
    keep[0] = true;
    keep[points.len() - 1] = true;
    let mut stack = vec![(0, points.len() - 1)];
    while let Some((first, last)) = stack.pop() {
        let (mut worst, mut at) = (0.0, first);
        for (i, p) in points.iter().enumerate().take(last).skip(first + 1) {
            let d = distance(*p, points[first], points[last]);
            if d > worst {
                (worst, at) = (d, i);
            }
        }
        if worst > TOLERANCE {
            keep[at] = true;
            stack.push((first, at));
            stack.push((at, last));
        }
    }
    points.iter().zip(keep).filter(|(_, k)| *k).map(|(p, _)| *p).collect()
}

impl Map {
    pub fn parse(text: &str) -> Result<Map, MapError> {
        let topo: Value = serde_json::from_str(text)?;
        let scale = &topo["transform"]["scale"];
        let translate = &topo["transform"]["translate"];
        let (Some(sx), Some(sy), Some(ty)) = (num(&scale[0]), num(&scale[1]), num(&translate[1])) else {
            return Err(MapError::Missing("transform"));
        };
        // Equirectangular, squeezed by the cosine of the middle latitude (about 52.2°).
        let arcs = topo["arcs"].as_array().ok_or(MapError::Missing("arcs"))?;
        let mid_lat = (ty + 1.4f64).to_radians();
        let squeeze = mid_lat.cos() * sx / sy;
        let decoded: Vec<Vec<Point>> = arcs
            .iter()
            .map(|arc| {
                let (mut x, mut y) = (0.0, 0.0);
                arc.as_array()
                    .map(|pts| {
                        pts.iter()
                            .filter_map(|p| {
                                x += num(&p[0])?;
                                y += num(&p[1])?;
                                Some((x * squeeze * SCALE, y * SCALE))
                            })
                            .collect()
                    })
                    .unwrap_or_default()
            })
            .collect();
        let top = decoded.iter().flatten().map(|p| p.1).fold(f64::MIN, f64::max);
        let right = decoded.iter().flatten().map(|p| p.0).fold(f64::MIN, f64::max);
        // Integer map units, north up: one arc = one list of points, used by both neighbours.
        let arcs: Vec<Vec<(i64, i64)>> = decoded
            .iter()
            .map(|a| {
                let mut pts: Vec<(i64, i64)> = simplify(a)
                    .into_iter()
                    .map(|(x, y)| (x.round() as i64, (top - y).round() as i64))
                    .collect();
                pts.dedup();
                pts
            })
            .collect();
        let geometries = topo["objects"][OBJECT]["geometries"]
            .as_array()
            .ok_or(MapError::Missing("objects.veiligthuisregio_2025.geometries"))?;
        let mut regions = BTreeMap::new();
        for g in geometries {
            let code = g["properties"]["statcode"]
                .as_str()
                .ok_or(MapError::Missing("statcode"))?;
            let polygons: Vec<&Value> = match g["type"].as_str() {
                Some("Polygon") => vec![&g["arcs"]],
                Some("MultiPolygon") => g["arcs"].as_array().map(|p| p.iter().collect()).unwrap_or_default(),
                _ => return Err(MapError::Missing("Polygon or MultiPolygon")),
            };
            let mut path = String::new();
            for ring in polygons.iter().filter_map(|p| p.as_array()).flatten() {
                path.push_str(&ring_path(ring, &arcs)?);
            }
            regions.insert(code.to_owned(), path);
        }
        Ok(Map {
            width: right.ceil() as i64 + 1,
            height: top.ceil() as i64 + 1,
            regions: regions
                .into_iter()
                .map(|(code, path)| RegionShape { code, path })
                .collect(),
        })
    }

    pub fn region(&self, code: &str) -> Option<&RegionShape> {
        self.regions.iter().find(|r| r.code == code)
    }
}

/// One closed ring as `M x y l dx dy … z`: arcs in order, a negative index `~i` read backwards.
fn ring_path(ring: &Value, arcs: &[Vec<(i64, i64)>]) -> Result<String, MapError> {
    let mut points: Vec<(i64, i64)> = Vec::new();
    for index in ring.as_array().into_iter().flatten() {
        let i = index.as_i64().ok_or(MapError::Missing("arc index"))?;
        let arc = arcs.get(if i < 0 { !i } else { i } as usize).ok_or(MapError::Arc(i))?;
        let mut pts = arc.clone();
        if i < 0 {
            pts.reverse();
        }
        // Each arc starts where the last one ended.
        let skip = usize::from(!points.is_empty());
        points.extend(pts.into_iter().skip(skip));
    }
    points.dedup();
    let Some(&(x0, y0)) = points.first() else {
        return Ok(String::new());
    };
    let mut d = format!("M{x0} {y0}l");
    let mut last = (x0, y0);
    for &(x, y) in &points[1..] {
        let (dx, dy) = (x - last.0, y - last.1);
        // A minus sign separates numbers by itself.
        if !d.ends_with('l') && dx >= 0 {
            d.push(' ');
        }
        d.push_str(&dx.to_string());
        if dy >= 0 {
            d.push(' ');
        }
        d.push_str(&dy.to_string());
        last = (x, y);
    }
    d.push('z');
    Ok(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_map_has_every_region_of_the_table_and_stays_small() {
        let map = MAP.as_ref().expect("the compiled-in map parses");
        let codes: Vec<&str> = map.regions.iter().map(|r| r.code.as_str()).collect();
        let table: Vec<String> = meldcode::regions::latest().regions().map(|r| r.code.clone()).collect();
        assert_eq!(codes, table);
        let bytes: usize = map.regions.iter().map(|r| r.path.len()).sum();
        assert!(bytes < 9_000, "{bytes} bytes of path data");
        assert!(
            (250..350).contains(&map.width) && (300..400).contains(&map.height),
            "{map:?}"
        );
        assert!(
            map.regions
                .iter()
                .all(|r| r.path.starts_with('M') && r.path.ends_with('z'))
        );
    }

    #[test]
    fn simplification_keeps_the_endpoints_and_drops_what_lies_on_the_line() {
        let line = [(0.0, 0.0), (1.0, 0.1), (2.0, 0.0), (3.0, 5.0), (4.0, 0.0)];
        assert_eq!(simplify(&line), vec![(0.0, 0.0), (2.0, 0.0), (3.0, 5.0), (4.0, 0.0)]);
    }

    #[test]
    fn a_broken_map_is_an_error_not_a_panic() {
        assert!(Map::parse("{").is_err());
        assert!(Map::parse(r#"{"type":"Topology"}"#).is_err());
        let bad_arc = r#"{"transform":{"scale":[1,1],"translate":[0,0]},"arcs":[[[0,0],[1,1]]],
            "objects":{"veiligthuisregio_2025":{"geometries":[{"type":"Polygon","arcs":[[5]],"properties":{"statcode":"VT01"}}]}}}"#;
        assert!(matches!(Map::parse(bad_arc), Err(MapError::Arc(5))));
    }
}
