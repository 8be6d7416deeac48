//! Benchmark: the statistics query over N generated counting records (default 1,000,000):
//! the first query after a change (aggregation + disclosure control over all granularities)
//! and repeated queries (p50/p99). `cargo run --release -p masker19-e2e --bin bench-stats -- [N]`;
//! with `MASKER19_TEST_SERVER_LOG=1 MASKER19_LOG=info` the server's log says where the time of
//! each query goes (`statistics rebuilt read_ms disclosure_ms`, `statistics answered`).

use std::time::{Duration, Instant};

use masker19_e2e::{TestServer, admin, generate_counting_records, temp_db};

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(i).copied().unwrap_or_default().as_secs_f64() * 1e3
}

fn main() -> anyhow::Result<()> {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    masker19_e2e::prefer_release_server();
    let (_dir, db) = temp_db()?;
    let out = admin(
        &db,
        &["user", "add", "--role", "evaluator", "--name", "eva"],
        "evaluatie-wachtwoord\n",
    )?;
    anyhow::ensure!(out.status.success(), "user add failed");
    // A pharmacy and its device, for the one record that arrives through the real path.
    let code = masker19_e2e::add_pharmacy(&db, "Apotheek Bench", "GM0363")?;
    let t0 = Instant::now();
    generate_counting_records(&db, n)?;
    println!(
        "records={n} (generated over 2024–2026 in {:.1} s)",
        t0.elapsed().as_secs_f64()
    );
    // The generated records reach back years: without this the retention purge at start-up
    // would strip most of them first (not what this measures) and hold the writer meanwhile.
    let server = TestServer::start_with(&db, false, &[("MASKER19_RETENTION_MAX_DAYS", "3650")])?;
    let api = server.client();
    let token = api.login("eva", "evaluatie-wachtwoord")?;
    // Up to the last published period (the default `to`): a period is published 31 days after
    // its end, so a fixed `to` of this year would be refused.
    let query = "/api/v1/stats?period=quarter&from=2024-Q1";
    let t = Instant::now();
    let r = api.get(query, Some(&token))?;
    anyhow::ensure!(r.status == 200, "stats answered {}", r.status);
    println!("first_query_ms={:.0}", t.elapsed().as_secs_f64() * 1e3);
    // One more counting record, through the real path: a melding submitted by an enrolled
    // device (validation, routing, the store's transaction and its triggers). The next query
    // sees a new fingerprint and rebuilds the publication.
    let device = api.enroll(&code)?;
    let report = api.example("melding")?;
    let t = Instant::now();
    api.submit(&device, &report)?;
    println!("submit_one_report_ms={:.0}", t.elapsed().as_secs_f64() * 1e3);
    let t = Instant::now();
    let r = api.get(query, Some(&token))?;
    anyhow::ensure!(r.status == 200, "stats answered {}", r.status);
    println!(
        "rebuild_after_one_more_record_ms={:.0}",
        t.elapsed().as_secs_f64() * 1e3
    );
    let mut times = Vec::new();
    for g in ["week", "month", "quarter", "half_year", "year"]
        .iter()
        .cycle()
        .take(100)
    {
        let from = match *g {
            "week" => "2026-W01",
            "month" => "2024-01",
            "quarter" => "2024-Q1",
            "half_year" => "2024-H1",
            _ => "2024",
        };
        let t = Instant::now();
        let r = api.get(&format!("/api/v1/stats?period={g}&from={from}"), Some(&token))?;
        anyhow::ensure!(r.status == 200, "stats answered {}", r.status);
        times.push(t.elapsed());
    }
    times.sort();
    println!("repeat_query_p50_ms={:.1}", percentile(&times, 0.5));
    println!("repeat_query_p99_ms={:.1}", percentile(&times, 0.99));
    Ok(())
}
