//! The `/stats` map shades each region by the published count of the chosen period AND kind:
//! the page as the real server renders it, compared with the JSON's region × kind totals.

use masker19_e2e::web::Web;
use masker19_e2e::{evaluator_server, insert_counting_records};
use serde_json::Value;

type R = anyhow::Result<()>;
const PASSWORD: &str = "evaluatie-wachtwoord";
const HATCH: &str = "url(#arcering)";
const ZERO: &str = "#f1eef6";

/// All on 5 January 2026 at the counter (so every granularity publishes the same numbers): VT21
/// 22 meldingen and 10 adviesvragen, VT27 3 meldingen and 22 adviesvragen, VT01 13 adviesvragen.
/// Every margin a witness for VT27's 3 meldingen touches lies mid-way between two roundings
/// (25, 25, 70), so the `<5` needs no secondary suppression.
fn records() -> Vec<(String, String, String, String)> {
    let mut rows = Vec::new();
    for (region, kind, n) in [
        ("VT21", "melding", 22),
        ("VT21", "adviesvraag", 10),
        ("VT27", "melding", 3),
        ("VT27", "adviesvraag", 22),
        ("VT01", "adviesvraag", 13),
    ] {
        for i in 0..n {
            rows.push((
                region.to_owned(),
                kind.to_owned(),
                "balie".to_owned(),
                format!("2026-01-05T10:{i:02}:00.000000Z"),
            ));
        }
    }
    rows
}

/// A region's `<path>` on the map: its fill and the published value its `<title>` gives.
fn region(body: &str, code: &str) -> Option<(String, String)> {
    let map = &body[body.find("<svg class=\"map\"")?..];
    let start = map.find(&format!("<path data-vt=\"{code}\""))?;
    let path = &map[start..start + map[start..].find("</path>")?];
    let fill = path.split("fill=\"").nth(1)?.split('"').next()?.to_owned();
    let title = path.split("<title>").nth(1)?.split("</title>").next()?;
    let value = title.rsplit(": ").next()?.replace("&lt;", "<").replace("&#60;", "<");
    Some((fill, value))
}

/// The JSON's published total of a region in a period: of one kind, or of all kinds.
fn published(body: &Value, period: &str, code: &str, kind: Option<&str>) -> Option<String> {
    body["totals"]
        .as_array()?
        .iter()
        .find(|c| {
            c["period"] == period && c["vt_region"] == code && c["kind"].as_str() == kind && c["channel"].is_null()
        })
        .and_then(|c| c["count"].as_str().map(str::to_owned))
}

#[test]
fn the_map_shades_each_region_by_the_chosen_kind() -> R {
    let (_dir, server, token) = evaluator_server(PASSWORD)?;
    insert_counting_records(&server.db, &records())?;
    let json = server
        .client()
        .get("/api/v1/stats?period=month&from=2026-01&to=2026-01", Some(&token))?;
    assert_eq!(json.status, 200, "{}", json.body);
    let web = Web::new(&server.url)?;
    let session = web.login("eva", PASSWORD)?;
    let page = |kind: &str| -> anyhow::Result<String> {
        let p = web.get(
            &format!("/stats?period=month&from=2026-01&to=2026-01&kaart=2026-01&kaartsoort={kind}"),
            &session.cookie,
        )?;
        anyhow::ensure!(p.status == 200, "{}: {}", p.status, p.body);
        Ok(p.body)
    };

    // The selector offers every kind, and keeps the chosen one.
    let meldingen = page("melding")?;
    assert!(
        meldingen.contains(r#"<select id="kaartsoort" name="kaartsoort">"#),
        "a kind selector"
    );
    assert!(meldingen.contains(r#"<option value="melding" selected>"#));
    for kind in ["", "adviesvraag", "geen_melding", "acuut_112"] {
        assert!(meldingen.contains(&format!(r#"<option value="{kind}">"#)), "{kind}");
    }

    for kind in [None, Some("melding"), Some("adviesvraag"), Some("geen_melding")] {
        let body = page(kind.unwrap_or(""))?;
        for code in ["VT01", "VT21", "VT27", "VT10"] {
            let (fill, value) = region(&body, code).ok_or_else(|| anyhow::anyhow!("no {code} on the map"))?;
            // Where no total was published for that kind, the page shows 0, as the JSON's cells do.
            let expected = published(&json.body, "2026-01", code, kind).unwrap_or_else(|| "0".into());
            assert_eq!(value, expected, "{code} {kind:?}: the map shows what is published");
            assert_eq!(
                fill == HATCH,
                value == "<5" || value == "x",
                "{code} {kind:?}: hatched exactly when hidden ({fill}, {value})"
            );
            assert_eq!(fill == ZERO, value == "0", "{code} {kind:?}: {fill}, {value}");
        }
    }

    // The numbers themselves: a kind's map is not the total's.
    let total = page("")?;
    assert_eq!(region(&total, "VT21").map(|r| r.1).as_deref(), Some("30"));
    assert_eq!(region(&meldingen, "VT21").map(|r| r.1).as_deref(), Some("20"));
    let (vt27_fill, vt27) = region(&meldingen, "VT27").unwrap_or_default();
    assert!(vt27 == "<5" || vt27 == "x", "{vt27}");
    assert_eq!(vt27_fill, HATCH);
    assert_eq!(
        region(&total, "VT27").map(|r| r.1).as_deref(),
        Some("25"),
        "not hatched in all"
    );
    assert_eq!(region(&meldingen, "VT01"), Some((ZERO.to_owned(), "0".to_owned())));
    assert_eq!(
        region(&page("adviesvraag")?, "VT01").map(|r| r.1).as_deref(),
        Some("15")
    );
    assert!(total.contains("Kaart: alle soorten per regio in 2026-01"));
    assert!(meldingen.contains("Kaart: Melding per regio in 2026-01"));
    Ok(())
}
