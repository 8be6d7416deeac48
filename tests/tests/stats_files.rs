//! The statistics as files and per period: the xlsx read back with a reader (types, flags,
//! names, sheets), and the median per region and period in hours and minutes.

use calamine::{Data, Reader, Xlsx};
use masker19_e2e::web::Web;
use masker19_e2e::{TestServer, insert_counting_records, open_store};

type R = anyhow::Result<()>;
const PASSWORD: &str = "evaluatie-wachtwoord";

fn evaluator_server() -> anyhow::Result<(tempfile::TempDir, TestServer, String)> {
    masker19_e2e::evaluator_server(PASSWORD)
}

/// VT21 gets 12 records in January 2025 (a rounded count), VT01 2 (`<5`), VT27 7 in February.
fn records() -> Vec<(String, String, String, String)> {
    let row = |region: &str, kind: &str, day: u32, month: u32| {
        (
            region.to_owned(),
            kind.to_owned(),
            "balie".to_owned(),
            format!("2025-{month:02}-{day:02}T10:00:00.000000Z"),
        )
    };
    let mut rows: Vec<_> = (1..=12).map(|d| row("VT21", "melding", d, 1)).collect();
    rows.extend((1..=2).map(|d| row("VT01", "adviesvraag", d, 1)));
    rows.extend((1..=7).map(|d| row("VT27", "melding", d, 2)));
    rows
}

fn text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => format!("{other:?}"),
    }
}

#[test]
fn the_workbook_opens_with_types_flags_and_names() -> R {
    let (_dir, server, token) = evaluator_server()?;
    insert_counting_records(&server.db, &records())?;
    let r = server
        .client()
        .http
        .get(format!(
            "{}/api/v1/stats?period=month&from=2025-01&to=2025-02&format=xlsx",
            server.url
        ))
        .bearer_auth(&token)
        .send()?;
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.headers()["content-type"].to_str()?,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert!(r.headers()["content-disposition"].to_str()?.ends_with(".xlsx\""));
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(r.bytes()?.to_vec()))?;
    assert_eq!(book.sheet_names(), ["Cellen", "Totalen", "Regio's", "Toelichting"]);

    let cells = book.worksheet_range("Cellen")?;
    let rows: Vec<&[Data]> = cells.rows().collect();
    let header: Vec<String> = rows[0].iter().map(text).collect();
    assert_eq!(
        header,
        [
            "Periode",
            "Regiocode",
            "Regio",
            "Soort",
            "Kanaal",
            "Aantal",
            "Afscherming"
        ]
    );
    assert_eq!(rows.len() - 1, 2 * 25 * 4 * 4, "every period × region × kind × channel");
    let find = |region: &str, period: &str, kind: &str| {
        rows.iter()
            .find(|r| {
                text(&r[0]) == period && text(&r[1]) == region && text(&r[3]) == kind && text(&r[4]) == "Aan de balie"
            })
            .map(|r| r.to_vec())
    };
    let big = find("VT21", "2025-01", "Melding").unwrap_or_default();
    assert_eq!(text(&big[2]), "Veilig Thuis West-Brabant");
    assert_eq!(big[5], Data::Float(10.0), "a number cell, rounded to 5: {big:?}");
    assert_eq!(text(&big[6]), "");
    let small = find("VT01", "2025-01", "Adviesvraag").unwrap_or_default();
    assert_eq!(
        (small[5].clone(), text(&small[6])),
        (Data::Empty, "<5".to_owned()),
        "{small:?}"
    );
    assert!(
        rows[1..].iter().all(|r| matches!(r[0], Data::String(_))),
        "periods are text, never dates"
    );
    assert!(rows[1..].iter().all(|r| matches!(
        (&r[5], text(&r[6]).as_str()),
        (Data::Float(_), "") | (Data::Empty, "<5" | "x")
    )));

    let totals = book.worksheet_range("Totalen")?;
    let national = totals
        .rows()
        .find(|r| text(&r[0]) == "2025-01" && text(&r[1]) == "alle" && text(&r[3]) == "alle" && text(&r[4]) == "alle")
        .map(|r| r.to_vec())
        .unwrap_or_default();
    assert_eq!(national.get(5), Some(&Data::Float(15.0)), "national January: 14 → 15");

    let regions = book.worksheet_range("Regio's")?;
    let header: Vec<String> = regions.rows().next().unwrap_or_default().iter().map(text).collect();
    assert_eq!(
        header[..4],
        ["Regiocode", "Regio", "Periode", "Apotheken (nu aangesloten)"]
    );
    assert_eq!(
        regions.rows().count() - 1,
        25 * 2,
        "per region: each month (no median over the range)"
    );
    let notes = book.worksheet_range("Toelichting")?;
    let all: String = notes
        .rows()
        .flat_map(|r| r.iter().map(text))
        .collect::<Vec<_>>()
        .join("\n");
    for needle in ["<5", "x ", "afgerond", "alle"] {
        assert!(all.contains(needle), "Toelichting explains {needle:?}");
    }
    // When it was made: dd-mm-jjjj HH:MM in Dutch time (not ISO, not UTC).
    let made = all
        .lines()
        .find_map(|l| l.strip_prefix("Gemaakt: "))
        .unwrap_or_default();
    let parsed = chrono::NaiveDateTime::parse_from_str(made, "%d-%m-%Y %H:%M");
    let now = chrono::Utc::now().with_timezone(&meldcode::TIME_ZONE).naive_local();
    assert!(
        parsed.is_ok_and(|t| (now - t).num_minutes().abs() <= 2),
        "Gemaakt: {made:?} is now in Dutch time ({now})"
    );
    Ok(())
}

#[test]
fn the_median_per_region_and_period_reads_in_hours_and_minutes() -> R {
    let (_dir, server, _token) = evaluator_server()?;
    insert_counting_records(&server.db, &records())?;
    // Acknowledge VT21's January reports (12) after 5 h 14 min, VT27's February ones (7) after 45 min.
    let conn = open_store(&server.db)?;
    conn.execute(
        "UPDATE report SET acknowledged_at = strftime('%Y-%m-%dT%H:%M:%S.000000Z', received_at, '+314 minutes')
         WHERE vt_region = 'VT21'",
        [],
    )?;
    conn.execute(
        "UPDATE report SET acknowledged_at = strftime('%Y-%m-%dT%H:%M:%S.000000Z', received_at, '+45 minutes')
         WHERE vt_region = 'VT27'",
        [],
    )?;
    // As intake writes an acknowledgement: into the report's history too.
    conn.execute(
        "INSERT INTO report_event (report_id, status, vt_region, at)
         SELECT id, 'acknowledged', vt_region, acknowledged_at FROM report WHERE acknowledged_at IS NOT NULL",
        [],
    )?;
    drop(conn);
    let (status, body) = {
        let token = server.client().login("eva", PASSWORD)?;
        let r = server
            .client()
            .get("/api/v1/stats?period=month&from=2025-01&to=2025-02", Some(&token))?;
        (r.status, r.body)
    };
    assert_eq!(status, 200);
    let median = |region: &str, period: &str| {
        body["medians"]
            .as_array()
            .and_then(|m| m.iter().find(|m| m["vt_region"] == region && m["period"] == period))
            .map(|m| m["minutes"].clone())
    };
    // Rounded to whole quarters of an hour: no single report's own time shows.
    assert_eq!(median("VT21", "2025-01"), Some(serde_json::json!(315)));
    assert_eq!(
        median("VT21", "2025-02"),
        Some(serde_json::Value::Null),
        "none that month"
    );
    assert_eq!(
        median("VT27", "2025-02"),
        Some(serde_json::Value::Null),
        "7 acknowledged: fewer than 10"
    );
    assert_eq!(
        median("VT01", "2025-01"),
        Some(serde_json::Value::Null),
        "none acknowledged"
    );
    assert!(
        body["regions"]
            .as_array()
            .is_some_and(|r| r.iter().all(|r| r.get("median_minutes_to_acknowledgement").is_none())),
        "no median over a range of periods"
    );

    let web = Web::new(&server.url)?;
    let session = web.login("eva", PASSWORD)?;
    let page = web.get("/stats?period=month&from=2025-01&to=2025-02", &session.cookie)?;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("5 u 15 min"), "hours and minutes");
    assert!(!page.body.contains("314 min") && !page.body.contains("5 u 14 min") && !page.body.contains("45 min"));
    Ok(())
}
