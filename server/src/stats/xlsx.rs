//! The statistics as an Excel workbook (`format=xlsx`): typed number cells, the disclosure flag
//! in its own column, periods as text (Excel would turn `2026-01` into a date), Dutch column
//! names, region names beside codes; sheets for cells, totals, regions and an explanation. Pure.

use meldcode::texts::{Label, Lang};
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use super::{Cell, Table, hours_minutes, number_and_flag};

pub const SHEET_CELLS: &str = "Cellen";
pub const SHEET_TOTALS: &str = "Totalen";
pub const SHEET_REGIONS: &str = "Regio's";
pub const SHEET_NOTES: &str = "Toelichting";
/// What an empty dimension of a total means.
pub const ALL: &str = "alle";

const COUNT_COLUMNS: [&str; 7] = [
    "Periode",
    "Regiocode",
    "Regio",
    "Soort",
    "Kanaal",
    "Aantal",
    "Afscherming",
];
const REGION_COLUMNS: [&str; 6] = [
    "Regiocode",
    "Regio",
    "Periode",
    "Apotheken (nu aangesloten)",
    "Mediaan tot in behandeling (minuten)",
    "Mediaan tot in behandeling",
];

fn header(sheet: &mut Worksheet, columns: &[&str], widths: &[f64]) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    for (i, (name, width)) in columns.iter().zip(widths).enumerate() {
        sheet.write_string_with_format(0, i as u16, *name, &bold)?;
        sheet.set_column_width(i as u16, *width)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

/// Rows of published counts; `empty` is written where a total covers all of a dimension.
fn counts(sheet: &mut Worksheet, t: &Table, rows: &[Cell], empty: &str) -> Result<(), XlsxError> {
    header(sheet, &COUNT_COLUMNS, &[10.0, 11.0, 38.0, 16.0, 12.0, 9.0, 13.0])?;
    let text = Format::new().set_num_format("@");
    for (i, c) in rows.iter().enumerate() {
        let row = i as u32 + 1;
        let region = c.vt_region.as_deref();
        sheet.write_string_with_format(row, 0, &c.period, &text)?;
        sheet.write_string(row, 1, region.unwrap_or(empty))?;
        sheet.write_string(row, 2, region.map_or(empty, |r| t.region_name(r)))?;
        sheet.write_string(row, 3, c.kind.map_or(empty, |k| k.label(Lang::Nl)))?;
        sheet.write_string(row, 4, c.channel.map_or(empty, |ch| ch.label(Lang::Nl)))?;
        let (number, flag) = number_and_flag(&c.count);
        if let Some(n) = number {
            sheet.write_number(row, 5, f64::from(n))?;
        }
        if !flag.is_empty() {
            sheet.write_string(row, 6, flag)?;
        }
    }
    if !rows.is_empty() {
        sheet.autofilter(0, 0, rows.len() as u32, COUNT_COLUMNS.len() as u16 - 1)?;
    }
    Ok(())
}

fn regions(sheet: &mut Worksheet, t: &Table) -> Result<(), XlsxError> {
    header(sheet, &REGION_COLUMNS, &[11.0, 38.0, 24.0, 14.0, 18.0, 18.0])?;
    let mut row = 1;
    for r in &t.regions {
        let per_period = t.medians.iter().filter(|m| m.vt_region == r.vt_region);
        let lines = per_period.map(|m| (m.period.as_str(), m.minutes));
        for (period, minutes) in lines {
            sheet.write_string(row, 0, &r.vt_region)?;
            sheet.write_string(row, 1, &r.name)?;
            sheet.write_string(row, 2, period)?;
            sheet.write_number(row, 3, f64::from(r.pharmacies))?;
            match minutes {
                Some(m) => {
                    sheet.write_number(row, 4, m as f64)?;
                    sheet.write_string(row, 5, hours_minutes(m))?;
                }
                None => {
                    sheet.write_string(
                        row,
                        5,
                        "niet gepubliceerd: minder dan 10 in behandeling genomen of aantal afgeschermd",
                    )?;
                }
            }
            row += 1;
        }
    }
    Ok(())
}

/// The explanation sheet's lines.
pub const NOTES: &[&str] = &[
    "Masker 19: meldingen per Veilig Thuis-regio, tellingen zonder persoonsgegevens.",
    "Een melding telt in de periode van ontvangst (Nederlandse tijd), voor de regio die haar had toen die periode verscheen. Een periode verschijnt 31 dagen na het einde ervan; daarna verandert geen getal meer.",
    "Afscherming zoals het CBS dat doet:",
    "  <5  het aantal is 1, 2, 3 of 4; de kolom Aantal is dan leeg.",
    "  x   extra afgeschermd, zodat geen klein aantal uit totalen of andere cellen terug te rekenen is; Aantal is leeg. Achter x kan ook een groot aantal staan (zelfs een landelijk totaal): x zegt niets over de grootte.",
    "  Andere aantallen zijn afgerond op een veelvoud van 5; 0 is echt 0.",
    "Optellen: de cellen tellen door de afronding en afscherming niet precies op tot de totalen; gebruik de totalen.",
    "alle: in het blad Totalen betekent 'alle' dat het totaal over alle regio's, soorten of kanalen gaat.",
    "Apotheken: apotheken met ten minste één actief apparaat, zoals nu.",
    "Mediaan tot in behandeling: de middelste tijd van ontvangst tot in behandeling genomen, per regio en periode, afgerond op hele kwartieren; alleen vanaf 10 meldingen die in behandeling genomen waren voordat de periode verscheen, en niet waar het aantal van die regio en periode is afgeschermd.",
    "Periodes staan als tekst (2026-01 is januari 2026, 2026-W05 week 5, 2026-Q1 het eerste kwartaal, 2026-H1 het eerste halfjaar).",
];

/// When the file was made, in Dutch time: `07-12-2026 20:20`.
pub fn made_at(at: chrono::DateTime<chrono::Utc>) -> String {
    at.with_timezone(&meldcode::TIME_ZONE)
        .format("%d-%m-%Y %H:%M")
        .to_string()
}

pub fn workbook(t: &Table) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    counts(book.add_worksheet().set_name(SHEET_CELLS)?, t, &t.cells, "")?;
    counts(book.add_worksheet().set_name(SHEET_TOTALS)?, t, &t.totals, ALL)?;
    regions(book.add_worksheet().set_name(SHEET_REGIONS)?, t)?;
    let notes = book.add_worksheet().set_name(SHEET_NOTES)?;
    notes.set_column_width(0, 120.0)?;
    let title = Format::new().set_bold();
    notes.write_string_with_format(0, 0, "Toelichting", &title)?;
    for (i, line) in NOTES.iter().enumerate() {
        notes.write_string(i as u32 + 2, 0, *line)?;
    }
    notes.write_string(NOTES.len() as u32 + 3, 0, format!("Periode: {} t/m {}", t.from, t.to))?;
    notes.write_string(
        NOTES.len() as u32 + 4,
        0,
        format!("Gemaakt: {}", made_at(t.generated_at)),
    )?;
    book.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    #[test]
    fn made_reads_as_a_dutch_date_and_time() {
        let at = |y, m, d, h| {
            chrono::Utc
                .with_ymd_and_hms(y, m, d, h, 20, 0)
                .single()
                .unwrap_or_default()
        };
        assert_eq!(super::made_at(at(2026, 12, 7, 19)), "07-12-2026 20:20", "winter: UTC+1");
        assert_eq!(super::made_at(at(2026, 7, 1, 22)), "02-07-2026 00:20", "summer: UTC+2");
    }
}
