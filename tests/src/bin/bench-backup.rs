//! Benchmark: `backup` of a store with N generated counting records (default 1,000,000): its
//! time and file size, and `POST /api/v1/reports` latency while it runs against the same load
//! without a backup.
//!
//! `cargo run --release -p masker19-e2e --bin bench-backup -- [N] [CLIENTS]`
//! (server: `MASKER19_SERVER_BIN`, else the release build).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use masker19_e2e::{TestServer, admin, generate_counting_records, percentile, temp_db, with_fresh_id};
use serde_json::Value;

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// `clients` devices submit one report after another until `stop`; when each request started
/// and how long it took.
fn load(
    server: &TestServer,
    tokens: &[String],
    template: &Value,
    stop: &AtomicBool,
) -> anyhow::Result<Vec<(Instant, Duration)>> {
    let mut all = Vec::new();
    std::thread::scope(|scope| {
        let handles: Vec<_> = tokens
            .iter()
            .map(|token| {
                let api = server.client();
                scope.spawn(move || -> anyhow::Result<Vec<(Instant, Duration)>> {
                    let mut times = Vec::new();
                    while !stop.load(Ordering::Relaxed) {
                        let t = Instant::now();
                        api.submit(token, &with_fresh_id(template))?;
                        times.push((t, t.elapsed()));
                    }
                    Ok(times)
                })
            })
            .collect();
        for h in handles {
            all.extend(h.join().map_err(|_| anyhow::anyhow!("a client panicked"))??);
        }
        Ok::<_, anyhow::Error>(())
    })?;
    Ok(all)
}

/// Run `backup --to FILE`; when it started, its wall time and what it printed.
fn backup(server: &TestServer, to: &std::path::Path) -> anyhow::Result<(Instant, Duration, String)> {
    let t = Instant::now();
    let out = admin(&server.db, &["backup", "--to", &to.to_string_lossy()], "")?;
    let took = t.elapsed();
    anyhow::ensure!(out.status.success(), "backup: {}", String::from_utf8_lossy(&out.stderr));
    Ok((t, took, String::from_utf8(out.stdout)?.trim().to_owned()))
}

/// The latencies of the requests that started in `[from, from + length)`, sorted.
fn within(times: &[(Instant, Duration)], from: Instant, length: Duration) -> Vec<Duration> {
    let mut v: Vec<_> = times
        .iter()
        .filter(|(at, _)| *at >= from && *at < from + length)
        .map(|(_, d)| *d)
        .collect();
    v.sort_unstable();
    v
}

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1_000_000);
    let clients: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(4);
    masker19_e2e::prefer_release_server();
    let (dir, db) = temp_db()?;
    let code = masker19_e2e::add_pharmacy(&db, "Apotheek Bench", "GM0363")?;
    let t0 = Instant::now();
    generate_counting_records(&db, n)?;
    println!("records={n} (generated in {:.1} s)", t0.elapsed().as_secs_f64());
    // The generated records reach back years: keep the start-up purge from working on them.
    let server = TestServer::start_with(&db, false, &[("MASKER19_RETENTION_MAX_DAYS", "3650")])?;
    let api = server.client();
    let mut tokens = vec![api.enroll(&code)?];
    for _ in 1..clients {
        let out = admin(&db, &["pharmacy", "code", "Apotheek Bench"], "")?;
        tokens.push(api.enroll(String::from_utf8(out.stdout)?.trim())?);
    }
    let template = api.example("melding")?;
    println!("database_mib={:.1}", std::fs::metadata(&db)?.len() as f64 / 1048576.0);

    // The backup alone.
    let quiet = dir.path().join("quiet.db");
    let (_, took, printed) = backup(&server, &quiet)?;
    println!(
        "backup_idle_s={:.2} backup_mib={:.1}",
        took.as_secs_f64(),
        std::fs::metadata(&quiet)?.len() as f64 / 1048576.0
    );
    println!("  {printed}");

    // The same load without and with a backup running, each as long as a backup takes.
    let window = took.max(Duration::from_secs(5));
    let stop = AtomicBool::new(false);
    let start = Instant::now();
    let without = std::thread::scope(|scope| {
        let worker = scope.spawn(|| load(&server, &tokens, &template, &stop));
        std::thread::sleep(window);
        stop.store(true, Ordering::Relaxed);
        worker.join().map_err(|_| anyhow::anyhow!("load panicked"))?
    })?;
    let without = within(&without, start, window);
    let stop = Arc::new(AtomicBool::new(false));
    let busy = dir.path().join("busy.db");
    let (during, (busy_at, busy_took, busy_printed)) = std::thread::scope(|scope| {
        let worker = scope.spawn(|| load(&server, &tokens, &template, &stop));
        std::thread::sleep(Duration::from_millis(500));
        let result = backup(&server, &busy);
        std::thread::sleep(Duration::from_millis(200));
        stop.store(true, Ordering::Relaxed);
        let times = worker.join().map_err(|_| anyhow::anyhow!("load panicked"))??;
        Ok::<_, anyhow::Error>((times, result?))
    })?;
    let during = within(&during, busy_at, busy_took);
    println!("backup_under_load_s={:.2}", busy_took.as_secs_f64());
    println!("  {busy_printed}");
    let (p50, p99) = (percentile(&without, 0.5), percentile(&without, 0.99));
    let (d50, d99) = (percentile(&during, 0.5), percentile(&during, 0.99));
    println!("clients={clients}");
    println!(
        "post_without_backup n={} p50_ms={:.1} p99_ms={:.1}",
        without.len(),
        ms(p50),
        ms(p99)
    );
    println!(
        "post_during_backup n={} p50_ms={:.1} p99_ms={:.1}",
        during.len(),
        ms(d50),
        ms(d99)
    );
    println!("p99_ratio={:.2}", ms(d99) / ms(p99).max(0.001));
    drop(server);
    Ok(())
}
