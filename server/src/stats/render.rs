//! The statistics as CSV for Dutch Excel and as an SVG bar chart. Pure.

use super::Cell;

/// CSV for Dutch Excel: `;` (Dutch Excel reads `,` as the decimal comma), UTF-8 with a BOM (so
/// Excel does not guess an old code page), CRLF line ends, RFC 4180 quoting; the columns of the
/// JSON cells, then the totals with empty fields for "all".
pub fn csv(cells: &[Cell], totals: &[Cell]) -> Result<Vec<u8>, csv::Error> {
    let mut out = "\u{feff}".as_bytes().to_vec();
    {
        let mut w = csv::WriterBuilder::new()
            .delimiter(b';')
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        w.write_record(["period", "vt_region", "kind", "channel", "count"])?;
        for c in cells.iter().chain(totals) {
            w.write_record([
                c.period.as_str(),
                c.vt_region.as_deref().unwrap_or(""),
                c.kind.map_or("", |k| k.code()),
                c.channel.map_or("", |ch| ch.code()),
                c.count.as_str(),
            ])?;
        }
        w.flush()?;
    }
    Ok(out)
}

/// One bar of the chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub code: String,
    pub name: String,
    pub text: String,
    pub y: u32,
    pub width: u32,
    /// Hidden values (`<5`, `x`) are drawn as a short hatched stub, never as a length.
    pub hidden: bool,
}

pub const BAR_HEIGHT: u32 = 18;
pub const BAR_GAP: u32 = 6;
pub const CHART_WIDTH: u32 = 420;

/// Bars per region from the published region totals of one period: the chart shows exactly
/// what the table shows, with the same suppression.
pub fn bars(region_totals: &[(String, String, String)]) -> Vec<Bar> {
    let max = region_totals
        .iter()
        .filter_map(|(_, _, t)| t.parse::<u32>().ok())
        .max()
        .unwrap_or(0)
        .max(5);
    region_totals
        .iter()
        .enumerate()
        .map(|(i, (code, name, text))| {
            let value = text.parse::<u32>().ok();
            Bar {
                code: code.clone(),
                name: name.clone(),
                text: text.clone(),
                y: i as u32 * (BAR_HEIGHT + BAR_GAP),
                width: value.map_or(12, |v| v * CHART_WIDTH / max),
                hidden: value.is_none(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use meldcode::{Channel, Kind};

    #[test]
    fn csv_opens_in_dutch_excel() -> Result<(), csv::Error> {
        let cell = Cell {
            period: "2026-Q1".into(),
            vt_region: Some("VT01".into()),
            kind: Some(Kind::Melding),
            channel: Some(Channel::Balie),
            count: "<5".into(),
        };
        let total = Cell {
            period: "2026-Q1".into(),
            vt_region: None,
            kind: None,
            channel: None,
            count: "10".into(),
        };
        let bytes = csv(&[cell], &[total])?;
        assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]), "BOM");
        let text = String::from_utf8_lossy(&bytes[3..]).into_owned();
        assert_eq!(
            text,
            "period;vt_region;kind;channel;count\r\n2026-Q1;VT01;melding;balie;<5\r\n2026-Q1;;;;10\r\n"
        );
        Ok(())
    }

    #[test]
    fn hidden_totals_have_no_length() {
        let b = bars(&[
            ("VT01".into(), "A".into(), "20".into()),
            ("VT02".into(), "B".into(), "<5".into()),
        ]);
        assert_eq!(b[0].width, CHART_WIDTH);
        assert!(b[1].hidden && b[1].width < 20);
    }
}
