//! When the statistics publish: a period only from 31 days after its end (a device may keep a
//! report queued for 30 days), never the current one, and a published figure never changes. The
//! attacker requests every publication an evaluator can (every granularity, up to the newest
//! period the server will give) before and after a new report, a report of four weeks ago and a
//! transfer, and subtracts them.

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate, Utc};
use masker19_e2e::web::Web;
use masker19_e2e::{TestServer, insert_counting_records, open_store};
use serde_json::Value;

type R = anyhow::Result<()>;
const PASSWORD: &str = "evaluatie-wachtwoord";
const GRANULARITIES: [&str; 5] = ["week", "month", "quarter", "half_year", "year"];

/// Today in Europe/Amsterdam, as the server counts periods.
fn today() -> NaiveDate {
    Utc::now().with_timezone(&meldcode::TIME_ZONE).date_naive()
}

/// A day's period label, written independently of the server.
fn label(g: &str, day: NaiveDate) -> String {
    match g {
        "week" => format!("{}-W{:02}", day.iso_week().year(), day.iso_week().week()),
        "month" => format!("{}-{:02}", day.year(), day.month()),
        "quarter" => format!("{}-Q{}", day.year(), (day.month() - 1) / 3 + 1),
        "half_year" => format!("{}-H{}", day.year(), (day.month() - 1) / 6 + 1),
        _ => format!("{}", day.year()),
    }
}

fn stats(server: &TestServer, token: &str, query: &str) -> anyhow::Result<(u16, Value)> {
    let r = server.client().get(&format!("/api/v1/stats?{query}"), Some(token))?;
    Ok((r.status, r.body))
}

fn record(region: &str, kind: &str, at: &str) -> (String, String, String, String) {
    (region.into(), kind.into(), "balie".into(), at.into())
}

#[test]
fn a_period_is_published_31_days_after_its_end() -> R {
    let (_dir, server, token) = masker19_e2e::evaluator_server(PASSWORD)?;
    let now = masker19_e2e_now();
    insert_counting_records(
        &server.db,
        &[
            record("VT21", "melding", "2025-01-10T10:00:00.000000Z"),
            record("VT23", "melding", &now),
        ],
    )?;
    let today = today();
    for g in GRANULARITIES {
        let current = label(g, today);
        let (status, body) = stats(&server, &token, &format!("period={g}&from={current}&to={current}"))?;
        assert_eq!(status, 422, "{g} {current} is not published yet");
        let refused = body["fields"].as_array().is_some_and(|f| {
            f.iter()
                .any(|f| f["path"] == "/to" && f["rule"] == "period_not_published")
        });
        assert!(refused, "{g}: {}", body["fields"]);
    }
    // The last published month: the one before the month of 31 days ago.
    let back = today - Duration::days(31);
    let last = back.with_day(1).unwrap_or(back) - Duration::days(1);
    let (last, next) = (label("month", last), label("month", back));
    let (status, body) = stats(&server, &token, &format!("period=month&from={last}&to={last}"))?;
    assert_eq!(status, 200, "{last}: {body}");
    let (status, body) = stats(&server, &token, &format!("period=month&from={last}&to={next}"))?;
    assert_eq!(status, 422, "{next} is not published yet: {body}");
    let (status, body) = stats(&server, &token, "period=month")?;
    assert_eq!(
        (status, body["to"].as_str()),
        (200, Some(last.as_str())),
        "the default ends there"
    );

    let web = Web::new(&server.url)?;
    let session = web.login("eva", PASSWORD)?;
    let page = web.get("/stats?period=month", &session.cookie)?;
    assert_eq!(page.status, 200);
    assert!(page.body.contains(&format!("value=\"{last}\"")), "the form's Tot");
    let current = label("month", today);
    let page = web.get(
        &format!("/stats?period=month&from=2025-01&to={current}"),
        &session.cookie,
    )?;
    assert!(
        page.body.contains("Tot en met: deze periode is nog niet gepubliceerd"),
        "a Dutch message: {}",
        page.status
    );
    Ok(())
}

/// Today's UTC time in the store's format.
fn masker19_e2e_now() -> String {
    Utc::now().format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// Every published number an evaluator can request: per granularity, the longest range the
/// server gives up to today's period (or, when that is refused, up to its default end).
fn everything(server: &TestServer, token: &str) -> anyhow::Result<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    for g in GRANULARITIES {
        let from = label(g, NaiveDate::from_ymd_opt(2024, 1, 4).unwrap_or_default());
        let (mut status, mut body) = stats(
            server,
            token,
            &format!("period={g}&from={from}&to={}", label(g, today())),
        )?;
        if status == 422 {
            let (_, default) = stats(server, token, &format!("period={g}"))?;
            let to = default["to"].as_str().unwrap_or_default().to_owned();
            (status, body) = stats(server, token, &format!("period={g}&from={from}&to={to}"))?;
        }
        anyhow::ensure!(status == 200, "{g}: {body}");
        for c in body["cells"]
            .as_array()
            .into_iter()
            .flatten()
            .chain(body["totals"].as_array().into_iter().flatten())
        {
            let s = |k: &str| c[k].as_str().unwrap_or("").to_owned();
            let key = format!("{g} {} {} {} {}", s("period"), s("vt_region"), s("kind"), s("channel"));
            out.insert(key, s("count"));
        }
        for m in body["medians"].as_array().into_iter().flatten() {
            let key = format!("{g} {} {} median", m["period"], m["vt_region"]);
            out.insert(key, m["minutes"].to_string());
        }
    }
    Ok(out)
}

/// The published numbers that differ between two snapshots: what an attacker learns by
/// subtracting them.
fn differences(before: &BTreeMap<String, String>, after: &BTreeMap<String, String>) -> Vec<String> {
    let keys: std::collections::BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    keys.into_iter()
        .filter(|k| before.get(*k) != after.get(*k))
        .map(|k| format!("{k}: {:?} → {:?}", before.get(k), after.get(k)))
        .collect()
}

#[test]
fn an_evaluator_who_subtracts_publications_detects_no_report() -> R {
    let (_dir, server, token) = masker19_e2e::evaluator_server(PASSWORD)?;
    // Published periods: VT21 12 meldingen in January 2025, acknowledged after 30 minutes, and
    // a spread over 2024–2025; VT23 (Zeeland) has nothing.
    let mut rows: Vec<_> = (1..=12)
        .map(|d| record("VT21", "melding", &format!("2025-01-{d:02}T10:00:00.000000Z")))
        .collect();
    for i in 0..200u32 {
        let region = ["VT01", "VT13", "VT18", "VT27"][(i % 4) as usize];
        let kind = ["melding", "adviesvraag", "geen_melding"][(i % 3) as usize];
        let day = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or_default() + Duration::days((i * 3) as i64);
        rows.push(record(region, kind, &format!("{day}T09:00:00.000000Z")));
    }
    insert_counting_records(&server.db, &rows)?;
    let conn = open_store(&server.db)?;
    conn.execute(
        "UPDATE report SET status = 'acknowledged',
             acknowledged_at = strftime('%Y-%m-%dT%H:%M:%S.000000Z', received_at, '+30 minutes')
         WHERE vt_region = 'VT21'",
        [],
    )?;
    conn.execute(
        "INSERT INTO report_event (report_id, status, vt_region, at)
         SELECT id, 'acknowledged', vt_region, acknowledged_at FROM report WHERE acknowledged_at IS NOT NULL",
        [],
    )?;
    drop(conn);
    let before = everything(&server, &token)?;
    assert!(before.values().any(|v| v == "<5"), "the data hide something");

    // 1. A new report for Zeeland, at the counter, now.
    insert_counting_records(&server.db, &[record("VT23", "melding", &masker19_e2e_now())])?;
    let after_new = everything(&server, &token)?;
    // 2. A report received four weeks ago (its week and month are not published yet).
    let weeks_ago = (Utc::now() - Duration::days(28))
        .format("%Y-%m-%dT%H:%M:%S%.6fZ")
        .to_string();
    insert_counting_records(&server.db, &[record("VT23", "acuut_112", &weeks_ago)])?;
    let after_late = everything(&server, &token)?;
    // 3. One of VT21's published January reports transferred to Zeeland now, as intake does it
    //    (the acknowledgement is cleared), and acknowledged there.
    let conn = open_store(&server.db)?;
    let id: String = conn.query_row(
        "SELECT id FROM report WHERE vt_region = 'VT21' ORDER BY received_at LIMIT 1",
        [],
        |r| r.get(0),
    )?;
    let at = masker19_e2e_now();
    conn.execute(
        "INSERT INTO report_event (report_id, status, vt_region, at) VALUES (?1, 'transferred', 'VT21', ?2)",
        [&id, &at],
    )?;
    conn.execute(
        "UPDATE report SET status = 'received', vt_region = 'VT23', acknowledged_at = NULL WHERE id = ?1",
        [&id],
    )?;
    conn.execute(
        "UPDATE report SET status = 'acknowledged', acknowledged_at = ?2 WHERE id = ?1",
        [&id, &at],
    )?;
    conn.execute(
        "INSERT INTO report_event (report_id, status, vt_region, at) VALUES (?1, 'acknowledged', 'VT23', ?2)",
        [&id, &at],
    )?;
    drop(conn);
    let after_transfer = everything(&server, &token)?;

    let detected: Vec<(&str, Vec<String>)> = [
        ("new report", differences(&before, &after_new)),
        ("report of four weeks ago", differences(&after_new, &after_late)),
        ("transfer", differences(&after_late, &after_transfer)),
    ]
    .into_iter()
    .filter(|(_, d)| !d.is_empty())
    .collect();
    assert!(
        detected.is_empty(),
        "{} of 3 reports detected by subtracting publications: {detected:#?}",
        detected.len()
    );
    eprintln!(
        "attacker: {} published numbers per snapshot, 4 snapshots, 0 reports detected",
        before.len()
    );
    Ok(())
}
