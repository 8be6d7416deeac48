//! Statistics for evaluators: access, formats, and disclosure control tested by an attacker who
//! solves linear programs over everything published at every granularity.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{Datelike, Duration, NaiveDate};
use good_lp::{Expression, ProblemVariables, Solution, SolverModel, constraint, microlp, variable};
use masker19_e2e::{TestServer, admin, insert_counting_records};
use serde_json::Value;

type R = anyhow::Result<()>;
const PASSWORD: &str = "evaluatie-wachtwoord";
const KINDS: [&str; 4] = ["melding", "adviesvraag", "geen_melding", "acuut_112"];
const CHANNELS: [&str; 4] = ["balie", "briefje", "telefoon", "bezorging"];

fn evaluator_server() -> anyhow::Result<(tempfile::TempDir, TestServer, String)> {
    masker19_e2e::evaluator_server(PASSWORD)
}

/// A small deterministic generator (no dependency on the server's own code).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

/// Records from 1 November 2024 to 31 March 2025, all in published periods (across a year and an ISO-week boundary): a big
/// region, a middling one and a small one, noon Amsterdam time.
fn generate(seed: u64) -> Vec<(String, String, String, String)> {
    let mut rng = Lcg(seed);
    let start = NaiveDate::from_ymd_opt(2024, 11, 1).unwrap_or_default();
    let mut rows = Vec::new();
    for (region, n) in [("VT01", 140), ("VT18", 45), ("VT27", 9)] {
        for _ in 0..n {
            let day = start + Duration::days(rng.next(151) as i64);
            let kind = KINDS[[0, 0, 0, 1, 2, 3][rng.next(6) as usize]];
            let channel = CHANNELS[[0, 0, 0, 0, 1, 2, 3][rng.next(7) as usize]];
            rows.push((
                region.to_owned(),
                kind.to_owned(),
                channel.to_owned(),
                format!("{day}T11:00:00.000000Z"),
            ));
        }
    }
    rows
}

fn stats(server: &TestServer, token: &str, query: &str) -> anyhow::Result<(u16, Value)> {
    let r = server.client().get(&format!("/api/v1/stats?{query}"), Some(token))?;
    Ok((r.status, r.body))
}

#[test]
fn who_may_see_the_counts() -> R {
    let (_dir, server, evaluator) = evaluator_server()?;
    let api = server.client();
    let out = admin(
        &server.db,
        &["user", "add", "--role", "intake", "--region", "VT01", "--name", "in"],
        &format!("{PASSWORD}\n"),
    )?;
    assert!(out.status.success());
    let intake = api.login("in", PASSWORD)?;
    let code = String::from_utf8(
        admin(
            &server.db,
            &["pharmacy", "add", "--name", "A", "--gemeente", "GM0363"],
            "",
        )?
        .stdout,
    )?;
    let device = api.enroll(code.trim())?;
    assert_eq!(api.get("/api/v1/stats", Some(&evaluator))?.status, 200);
    assert_eq!(api.get("/api/v1/stats", Some(&intake))?.status, 403);
    assert_eq!(api.get("/api/v1/stats", Some(&device))?.status, 401);
    assert_eq!(api.get("/api/v1/stats", None)?.status, 401);
    Ok(())
}

#[test]
fn json_and_csv_follow_the_contract() -> R {
    let (_dir, server, token) = evaluator_server()?;
    insert_counting_records(&server.db, &generate(7))?;
    let (status, body) = stats(&server, &token, "period=quarter&from=2024-Q4&to=2025-Q1")?;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        (body["period"].as_str(), body["from"].as_str(), body["to"].as_str()),
        (Some("quarter"), Some("2024-Q4"), Some("2025-Q1"))
    );
    let cells = body["cells"].as_array().cloned().unwrap_or_default();
    assert_eq!(cells.len(), 2 * 25 * 4 * 4, "every region × kind × channel × period");
    assert!(cells.iter().all(|c| c["count"].is_string()));
    let allowed = |s: &str| s == "0" || s == "<5" || s == "x" || s.parse::<u32>().is_ok_and(|n| n % 5 == 0 && n > 0);
    assert!(cells.iter().all(|c| allowed(c["count"].as_str().unwrap_or("?"))));
    assert!(
        body["totals"]
            .as_array()
            .is_some_and(|t| t.iter().any(|c| c["vt_region"].is_null() && c["kind"].is_null()))
    );
    let vt01 = body["regions"]
        .as_array()
        .and_then(|r| r.iter().find(|r| r["vt_region"] == "VT01").cloned())
        .unwrap_or_default();
    assert!(vt01["pharmacies"].is_number());

    let r = server
        .client()
        .http
        .get(format!(
            "{}/api/v1/stats?period=year&from=2024&to=2025&format=csv",
            server.url
        ))
        .bearer_auth(&token)
        .send()?;
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"].to_str()?.starts_with("text/csv"));
    let bytes = r.bytes()?;
    assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]), "BOM for Excel");
    let text = std::str::from_utf8(&bytes[3..])?;
    assert!(text.starts_with("period;vt_region;vt_naam;kind;channel;count;flag\r\n"));
    let rows: Vec<Vec<&str>> = text
        .split("\r\n")
        .skip(1)
        .filter(|l| !l.is_empty())
        .map(|l| l.split(';').collect())
        .collect();
    assert!(
        rows.len() > 800 && rows.iter().all(|r| r.len() == 7),
        "7 columns on every line"
    );
    for r in &rows {
        // `count` is a number or empty, and empty exactly when `flag` says why.
        let (count, flag) = (r[5], r[6]);
        assert!(
            (count.parse::<u32>().is_ok() && flag.is_empty()) || (count.is_empty() && ["<5", "x"].contains(&flag)),
            "{r:?}"
        );
    }
    let named = |code: &str, name: &str| rows.iter().filter(|r| r[1] == code).all(|r| r[2] == name);
    assert!(named("VT21", "Veilig Thuis West-Brabant") && named("VT01", "Veilig Thuis Amsterdam-Amstelland"));
    assert!(
        rows.iter()
            .any(|r| r[0] == "2025" && r[1].is_empty() && r[3].is_empty() && r[4].is_empty())
    );
    let pharmacies = rows.iter().filter(|r| r[3] == "apotheken").count();
    let medians = rows
        .iter()
        .filter(|r| r[3] == "mediaan_minuten_tot_in_behandeling")
        .count();
    assert_eq!(
        (pharmacies, medians),
        (25, 25 * 2),
        "per region; medians for each year (none over the range)"
    );

    for (query, path) in [
        ("period=day", "/period"),
        ("period=month&from=2026-13", "/from"),
        ("period=year&from=2026&to=2025", "/to"),
        ("format=xml", "/format"),
        ("colour=red", "/colour"),
    ] {
        let (status, body) = stats(&server, &token, query)?;
        assert_eq!(status, 422, "{query}");
        assert!(
            body["fields"]
                .as_array()
                .is_some_and(|f| f.iter().any(|f| f["path"] == path)),
            "{query}: {body}"
        );
    }
    Ok(())
}

/// Which published numbers a record of (region, kind, channel) on `day` counts in, per
/// granularity: written independently of the server.
fn labels(day: NaiveDate) -> [(&'static str, String); 5] {
    let w = day.iso_week();
    [
        ("week", format!("{}-W{:02}", w.year(), w.week())),
        ("month", format!("{}-{:02}", day.year(), day.month())),
        ("quarter", format!("{}-Q{}", day.year(), (day.month() - 1) / 3 + 1)),
        ("half_year", format!("{}-H{}", day.year(), (day.month() - 1) / 6 + 1)),
        ("year", format!("{}", day.year())),
    ]
}

/// The attacker: every number published at every granularity becomes a linear constraint on
/// the unknown counts per series and day; for each hidden number, minimise and maximise it.
#[test]
fn no_hidden_count_can_be_worked_out_from_everything_published() -> R {
    let (_dir, server, token) = evaluator_server()?;
    insert_counting_records(&server.db, &generate(19))?;
    let ranges = [
        ("week", "2024-W44", "2025-W14"),
        ("month", "2024-11", "2025-03"),
        ("quarter", "2024-Q4", "2025-Q1"),
        ("half_year", "2024-H2", "2025-H1"),
        ("year", "2024", "2025"),
    ];
    // published[(granularity, period, region|"", kind|"", channel|"")] = text
    let mut published: HashMap<(String, String, String, String, String), String> = HashMap::new();
    for (g, from, to) in ranges {
        let (status, body) = stats(&server, &token, &format!("period={g}&from={from}&to={to}"))?;
        assert_eq!(status, 200, "{body}");
        for c in body["cells"]
            .as_array()
            .into_iter()
            .flatten()
            .chain(body["totals"].as_array().into_iter().flatten())
        {
            let s = |k: &str| c[k].as_str().unwrap_or("").to_owned();
            published.insert(
                (g.into(), s("period"), s("vt_region"), s("kind"), s("channel")),
                s("count"),
            );
        }
    }
    let shown = |g: &str, p: &str, r: &str, k: &str, c: &str| {
        published
            .get(&(g.into(), p.into(), r.into(), k.into(), c.into()))
            .cloned()
    };

    // Unknowns: counts per (region, kind, channel, day) that no published "0" forces to zero.
    let regions: BTreeSet<String> = published
        .keys()
        .map(|k| k.2.clone())
        .filter(|r| !r.is_empty())
        .collect();
    let first = NaiveDate::from_ymd_opt(2024, 10, 28).unwrap_or_default();
    let mut atoms: Vec<(String, &str, &str, NaiveDate)> = Vec::new();
    for r in &regions {
        for k in KINDS {
            for c in CHANNELS {
                for d in 0..170 {
                    let day = first + Duration::days(d);
                    let open = labels(day)
                        .iter()
                        .all(|(g, p)| shown(g, p, r, k, c).is_some_and(|t| t != "0"));
                    if open {
                        atoms.push((r.clone(), k, c, day));
                    }
                }
            }
        }
    }
    // Constraints: every published number over the atoms it covers.
    let mut groups: BTreeMap<(String, String, String, String, String), Vec<usize>> = BTreeMap::new();
    for (i, (r, k, c, day)) in atoms.iter().enumerate() {
        for (g, p) in labels(*day) {
            for key in [
                (g.to_owned(), p.clone(), r.clone(), k.to_string(), c.to_string()),
                (g.to_owned(), p.clone(), r.clone(), String::new(), String::new()),
                (g.to_owned(), p.clone(), r.clone(), k.to_string(), String::new()),
                (g.to_owned(), p.clone(), String::new(), k.to_string(), c.to_string()),
                (g.to_owned(), p.clone(), String::new(), String::new(), String::new()),
            ] {
                groups.entry(key).or_default().push(i);
            }
        }
    }
    let bounds = |text: &str| -> Option<(f64, f64)> {
        match text {
            "x" => None,
            "0" => Some((0.0, 0.0)),
            "<5" => Some((1.0, 4.0)),
            "5" => Some((5.0, 7.0)),
            n => n.parse::<f64>().ok().map(|n| (n - 2.0, n + 2.0)),
        }
    };
    let hidden: Vec<_> = groups
        .keys()
        .filter(|k| published.get(*k).is_some_and(|t| t == "<5" || t == "x"))
        .cloned()
        .collect();
    assert!(
        hidden.len() > 20,
        "the generated data must hide something: {}",
        hidden.len()
    );
    let solve = |target: &(String, String, String, String, String), maximise: bool| -> anyhow::Result<f64> {
        let mut vars = ProblemVariables::new();
        let x: Vec<_> = atoms.iter().map(|_| vars.add(variable().min(0.0))).collect();
        let objective: Expression = groups[target].iter().map(|i| x[*i]).sum();
        let mut model = if maximise {
            vars.maximise(objective.clone())
        } else {
            vars.minimise(objective.clone())
        }
        .using(microlp);
        for (key, members) in &groups {
            let Some((lo, hi)) = published.get(key).and_then(|t| bounds(t)) else {
                continue;
            };
            let sum: Expression = members.iter().map(|i| x[*i]).sum();
            model = model.with(constraint!(sum.clone() >= lo)).with(constraint!(sum <= hi));
        }
        let solution = model.solve().map_err(|e| anyhow::anyhow!("LP: {e}"))?;
        Ok(solution.eval(&objective))
    };
    let mut pinned = Vec::new();
    for target in &hidden {
        let (lo, hi) = (solve(target, false)?, solve(target, true)?);
        if hi - lo < 1.0 - 1e-6 {
            pinned.push(format!("{target:?} = {} ∈ [{lo}, {hi}]", published[target]));
        }
    }
    assert!(
        pinned.is_empty(),
        "{} of {} hidden values pinned: {pinned:#?}",
        pinned.len(),
        hidden.len()
    );
    eprintln!(
        "attacker: {} unknowns, {} published numbers, {} hidden values, none pinned",
        atoms.len(),
        groups.len(),
        hidden.len()
    );
    Ok(())
}
