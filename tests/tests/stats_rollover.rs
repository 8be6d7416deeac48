//! Published statistics never change, also when later periods get published. The attacker
//! requests every publication an evaluator can (every granularity; the longest range, every
//! single period and every pair of neighbours; JSON and CSV) before and after a new report, a
//! late report and a transfer, and again 40 and 100 days later (the server's statistics clock
//! set ahead), and subtracts any two: no number published once may differ anywhere, and a linear
//! program over everything ever published pins no hidden number.

use std::collections::{BTreeMap, HashMap};

use chrono::{Duration, NaiveDate, Utc};
use masker19_e2e::attacker::{Published, attack};
use masker19_e2e::{TestServer, insert_counting_records, open_store};
use serde_json::Value;

type R = anyhow::Result<()>;
const PASSWORD: &str = "evaluatie-wachtwoord";
const GRANULARITIES: [&str; 5] = ["week", "month", "quarter", "half_year", "year"];
/// Before any data, per granularity.
const EARLY: [&str; 5] = ["2026-W36", "2026-09", "2026-Q3", "2026-H2", "2026"];

fn stats(server: &TestServer, token: &str, query: &str) -> anyhow::Result<(u16, Value)> {
    let r = server.client().get(&format!("/api/v1/stats?{query}"), Some(token))?;
    Ok((r.status, r.body))
}

fn csv(server: &TestServer, token: &str, query: &str) -> anyhow::Result<String> {
    let r = server
        .client()
        .http
        .get(format!("{}/api/v1/stats?{query}&format=csv", server.url))
        .bearer_auth(token)
        .send()?;
    anyhow::ensure!(r.status() == 200, "csv {query}: {}", r.status());
    Ok(String::from_utf8_lossy(&r.bytes()?)
        .trim_start_matches('\u{feff}')
        .to_owned())
}

/// One snapshot: every number under every way of asking for it. A number answered differently
/// by two requests of the same snapshot is a finding too.
#[derive(Default)]
struct Snapshot {
    numbers: BTreeMap<String, String>,
    inconsistent: Vec<String>,
    requests: usize,
}

impl Snapshot {
    fn put(&mut self, key: String, value: String) {
        if let Some(old) = self.numbers.get(&key)
            && *old != value
        {
            self.inconsistent.push(format!("{key}: {old} / {value}"));
        }
        self.numbers.insert(key, value);
    }

    fn take(&mut self, g: &str, body: &Value) {
        for c in body["cells"]
            .as_array()
            .into_iter()
            .flatten()
            .chain(body["totals"].as_array().into_iter().flatten())
        {
            let s = |k: &str| c[k].as_str().unwrap_or("").to_owned();
            let key = format!("{g} {} {} {} {}", s("period"), s("vt_region"), s("kind"), s("channel"));
            self.put(key, s("count"));
        }
        for m in body["medians"].as_array().into_iter().flatten() {
            let s = |k: &str| m[k].as_str().unwrap_or("").to_owned();
            self.put(
                format!("{g} {} {} median", s("period"), s("vt_region")),
                m["minutes"].to_string(),
            );
        }
    }

    fn take_csv(&mut self, g: &str, text: &str) {
        for line in text.split("\r\n").skip(1).filter(|l| !l.is_empty()) {
            let f: Vec<&str> = line.split(';').collect();
            if f.len() != 7 || f[3] == "apotheken" {
                continue;
            }
            let value = if f[5].is_empty() { f[6] } else { f[5] };
            if f[3] == "mediaan_minuten_tot_in_behandeling" {
                let minutes = if f[5].is_empty() { "null" } else { f[5] };
                self.put(format!("{g} {} {} median", f[0], f[1]), minutes.to_owned());
            } else {
                self.put(format!("{g} {} {} {} {}", f[0], f[1], f[3], f[4]), value.to_owned());
            }
        }
    }
}

fn everything(server: &TestServer, token: &str) -> anyhow::Result<Snapshot> {
    let mut snap = Snapshot::default();
    for (g, early) in GRANULARITIES.into_iter().zip(EARLY) {
        let (_, default) = stats(server, token, &format!("period={g}"))?;
        let to = default["to"].as_str().unwrap_or_default().to_owned();
        let from = if early <= to.as_str() { early } else { to.as_str() };
        let query = format!("period={g}&from={from}&to={to}");
        let (status, body) = stats(server, token, &query)?;
        anyhow::ensure!(status == 200, "{query}: {body}");
        snap.take(g, &body);
        snap.take_csv(g, &csv(server, token, &query)?);
        snap.requests += 2;
        let periods: Vec<String> = body["totals"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|c| c["vt_region"].is_null() && c["kind"].is_null())
            .filter_map(|c| c["period"].as_str().map(str::to_owned))
            .collect();
        for (i, p) in periods.iter().enumerate() {
            let mut ranges = vec![(p.clone(), p.clone())];
            if let Some(next) = periods.get(i + 1) {
                ranges.push((p.clone(), next.clone()));
            }
            for (a, b) in ranges {
                let (status, body) = stats(server, token, &format!("period={g}&from={a}&to={b}"))?;
                anyhow::ensure!(status == 200, "{g} {a}..{b}: {body}");
                snap.take(g, &body);
                snap.requests += 1;
            }
        }
    }
    Ok(snap)
}

/// Today in Europe/Amsterdam.
fn today() -> NaiveDate {
    Utc::now().with_timezone(&meldcode::TIME_ZONE).date_naive()
}

fn at(day: NaiveDate, hour: u32) -> String {
    format!("{day}T{hour:02}:00:00.000000Z")
}

/// Records over the nine weeks before today: a big region, a middling one and a small one.
fn generate() -> Vec<(String, String, String, String)> {
    let mut state = 0x9E3779B97F4A7C15u64;
    let mut next = |n: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % n
    };
    let first = today() - Duration::days(63);
    let mut rows = Vec::new();
    for (region, n) in [("VT01", 70), ("VT18", 24), ("VT27", 7)] {
        for _ in 0..n {
            let day = first + Duration::days(next(63) as i64);
            let kind = ["melding", "melding", "adviesvraag", "geen_melding", "acuut_112"][next(5) as usize];
            let channel = ["balie", "balie", "balie", "briefje", "telefoon", "bezorging"][next(6) as usize];
            rows.push((region.into(), kind.into(), channel.into(), at(day, 11)));
        }
    }
    rows
}

fn start(db: &std::path::Path, days_ahead: i64) -> anyhow::Result<TestServer> {
    TestServer::start_with(
        db,
        false,
        &[("MASKER19_TEST_STATS_DAYS_AHEAD", &days_ahead.to_string())],
    )
}

/// Move a report to another region as intake does (the acknowledgement cleared).
fn transfer(db: &std::path::Path, id: &str, to: &str) -> R {
    let conn = open_store(db)?;
    let now = Utc::now().format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string();
    conn.execute(
        "INSERT INTO report_event (report_id, status, vt_region, at)
         SELECT id, 'transferred', vt_region, ?2 FROM report WHERE id = ?1",
        [id, &now],
    )?;
    conn.execute(
        "UPDATE report SET status = 'received', vt_region = ?2, acknowledged_at = NULL WHERE id = ?1",
        [id, to],
    )?;
    Ok(())
}

#[test]
fn no_published_number_changes_and_none_is_pinned_across_publications() -> R {
    let (dir, server, token) = masker19_e2e::evaluator_server(PASSWORD)?;
    let db = server.db.clone();
    insert_counting_records(&db, &generate())?;
    drop(server);
    let mut server = start(&db, 0)?;
    let mut snapshots: Vec<(&str, Snapshot)> = vec![("today", everything(&server, &token)?)];

    insert_counting_records(
        &db,
        &[("VT23".into(), "melding".into(), "balie".into(), at(today(), 9))],
    )?;
    snapshots.push(("a new report", everything(&server, &token)?));
    let late = at(today() - Duration::days(28), 9);
    insert_counting_records(&db, &[("VT23".into(), "acuut_112".into(), "balie".into(), late)])?;
    snapshots.push(("a late report", everything(&server, &token)?));
    let conn = open_store(&db)?;
    let ids: Vec<String> = conn
        .prepare("SELECT id FROM report WHERE vt_region = 'VT27' ORDER BY received_at")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    drop(conn);
    // The oldest (its period published) and the newest (not yet) of the small region.
    for id in [ids.first(), ids.last()].into_iter().flatten() {
        transfer(&db, id, "VT23")?;
    }
    snapshots.push(("two transfers", everything(&server, &token)?));
    drop(server);
    server = start(&db, 40)?;
    snapshots.push(("40 days later", everything(&server, &token)?));
    insert_counting_records(
        &db,
        &[("VT23".into(), "melding".into(), "briefje".into(), at(today(), 10))],
    )?;
    snapshots.push(("40 days later, a new report", everything(&server, &token)?));
    drop(server);
    server = start(&db, 100)?;
    snapshots.push(("100 days later", everything(&server, &token)?));

    // Subtract any two: a number both show must be the same.
    let mut changed = Vec::new();
    for (i, (a, before)) in snapshots.iter().enumerate() {
        assert!(before.inconsistent.is_empty(), "{a}: {:#?}", before.inconsistent);
        for (b, after) in &snapshots[i + 1..] {
            for (key, value) in &before.numbers {
                if let Some(later) = after.numbers.get(key)
                    && later != value
                {
                    changed.push(format!("{a} → {b}: {key}: {value} → {later}"));
                }
            }
        }
    }
    let first = snapshots[0].1.numbers.len();
    let last = snapshots[snapshots.len() - 1].1.numbers.len();
    assert!(last > first, "later publications add periods: {first} → {last}");
    assert!(
        changed.is_empty(),
        "{} published numbers changed: {:#?}",
        changed.len(),
        &changed[..changed.len().min(30)]
    );

    // Everything ever published, as one set of constraints.
    let mut published: HashMap<Published, String> = HashMap::new();
    for (_, snap) in &snapshots {
        for (key, value) in &snap.numbers {
            let f: Vec<&str> = key.split(' ').collect();
            if f.len() == 5 {
                let p = (f[0], f[1], f[2], f[3], f[4]);
                published.insert(
                    (p.0.into(), p.1.into(), p.2.into(), p.3.into(), p.4.into()),
                    value.clone(),
                );
            }
        }
    }
    let first_day = today() - Duration::days(70);
    let found = attack(&published, first_day, 80)?;
    assert!(found.hidden > 20, "the data must hide something: {found:?}");
    assert!(
        found.pinned.is_empty(),
        "{} of {} hidden pinned: {:#?}",
        found.pinned.len(),
        found.hidden,
        found.pinned
    );
    let requests: usize = snapshots.iter().map(|(_, s)| s.requests).sum();
    eprintln!(
        "attacker: {} snapshots, {requests} requests, {last} numbers in the last; 0 changed; {} unknowns, {} hidden, 0 pinned",
        snapshots.len(),
        found.unknowns,
        found.hidden
    );
    drop(server);
    drop(dir);
    Ok(())
}
