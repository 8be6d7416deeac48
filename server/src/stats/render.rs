//! The statistics as CSV for Dutch Excel. Pure.

use super::{Table, number_and_flag};

/// The `kind` of the CSV rows that are not counts: pharmacies per region (`period` empty: as
/// they are now) and the median minutes to acknowledgement per region and period (`flag` `x`
/// where none is published: fewer than 10 acknowledged, or the region's count hidden).
pub const CSV_PHARMACIES: &str = "apotheken";
pub const CSV_MEDIAN: &str = "mediaan_minuten_tot_in_behandeling";

/// CSV for Dutch Excel: `;` (Dutch Excel reads `,` as the decimal comma), UTF-8 with a BOM (so
/// Excel does not guess an old code page), CRLF line ends, RFC 4180 quoting. Columns
/// `period;vt_region;vt_naam;kind;channel;count;flag` (docs/contract.md): `count` a number, empty when
/// hidden, `flag` `<5` or `x`. The cells, then the totals with empty fields for "all", then the
/// pharmacies and medians per region.
pub fn csv(t: &Table) -> Result<Vec<u8>, csv::Error> {
    let mut out = "\u{feff}".as_bytes().to_vec();
    {
        let mut w = csv::WriterBuilder::new()
            .delimiter(b';')
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        w.write_record(["period", "vt_region", "vt_naam", "kind", "channel", "count", "flag"])?;
        for c in t.cells.iter().chain(&t.totals) {
            let region = c.vt_region.as_deref().unwrap_or("");
            let (number, flag) = number_and_flag(&c.count);
            let number = number.map(|n| n.to_string()).unwrap_or_default();
            w.write_record([
                c.period.as_str(),
                region,
                t.region_name(region),
                c.kind.map_or("", |k| k.code()),
                c.channel.map_or("", |ch| ch.code()),
                &number,
                flag,
            ])?;
        }
        for r in &t.regions {
            let pharmacies = r.pharmacies.to_string();
            w.write_record(["", &r.vt_region, &r.name, CSV_PHARMACIES, "", &pharmacies, ""])?;
        }
        let periods = t.medians.iter().map(|m| (m.period.as_str(), &m.vt_region, m.minutes));
        for (period, region, minutes) in periods {
            let (number, flag) = minutes.map_or((String::new(), "x"), |m| (m.to_string(), ""));
            w.write_record([period, region, t.region_name(region), CSV_MEDIAN, "", &number, flag])?;
        }
        w.flush()?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::Cell;
    use meldcode::{Channel, Kind};

    fn sample() -> Table {
        let cell = |region: Option<&str>, kind, channel, count: &str| Cell {
            period: "2026-Q1".into(),
            vt_region: region.map(str::to_owned),
            kind,
            channel,
            count: count.into(),
        };
        Table {
            period: crate::stats::period::Granularity::Quarter,
            from: "2026-Q1".into(),
            to: "2026-Q1".into(),
            cells: vec![
                cell(Some("VT21"), Some(Kind::Melding), Some(Channel::Balie), "<5"),
                cell(Some("VT21"), Some(Kind::Adviesvraag), Some(Channel::Balie), "15"),
            ],
            totals: vec![cell(Some("VT21"), None, None, "x"), cell(None, None, None, "10")],
            regions: vec![crate::stats::RegionFacts {
                vt_region: "VT21".into(),
                name: "Veilig Thuis West-Brabant".into(),
                pharmacies: 3,
            }],
            practice: Vec::new(),
            medians: vec![crate::stats::PeriodMedian {
                period: "2026-Q1".into(),
                vt_region: "VT21".into(),
                minutes: None,
            }],
            generated_at: chrono::Utc::now(),
        }
    }

    #[test]
    fn csv_opens_in_dutch_excel() -> Result<(), csv::Error> {
        let bytes = csv(&sample())?;
        assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]), "BOM");
        let text = String::from_utf8_lossy(&bytes[3..]).into_owned();
        assert_eq!(
            text,
            "period;vt_region;vt_naam;kind;channel;count;flag\r\n\
             2026-Q1;VT21;Veilig Thuis West-Brabant;melding;balie;;<5\r\n\
             2026-Q1;VT21;Veilig Thuis West-Brabant;adviesvraag;balie;15;\r\n\
             2026-Q1;VT21;Veilig Thuis West-Brabant;;;;x\r\n\
             2026-Q1;;;;;10;\r\n\
             ;VT21;Veilig Thuis West-Brabant;apotheken;;3;\r\n\
             2026-Q1;VT21;Veilig Thuis West-Brabant;mediaan_minuten_tot_in_behandeling;;;x\r\n"
        );
        Ok(())
    }

    #[test]
    fn the_workbook_is_a_zip_with_its_sheets() -> Result<(), rust_xlsxwriter::XlsxError> {
        let bytes = crate::stats::xlsx::workbook(&sample())?;
        assert!(bytes.starts_with(b"PK"), "xlsx is a zip");
        Ok(())
    }
}
