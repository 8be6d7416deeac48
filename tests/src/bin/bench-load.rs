//! Load: reports from many enrolled pharmacies against the real server at its durable settings,
//! and in the same run the raw limit of this machine: the same number of inserts of the same
//! size straight into SQLite (SQLCipher, WAL, synchronous=FULL, one commit each).
//!
//! `cargo run --release -p masker19-e2e --bin bench-load -- [REPORTS] [CLIENTS] [RATE]`
//! Bounded: it stops after REPORTS reports (default 5000) or 120 s, whichever comes first.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use masker19_e2e::{TestServer, admin, temp_db};
use serde_json::Value;

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn pct(sorted: &[Duration], p: f64) -> f64 {
    sorted
        .get(((sorted.len() as f64 - 1.0) * p).round() as usize)
        .copied()
        .map_or(0.0, ms)
}

/// Submit `total` reports from `clients` threads; `rate` reports/s in all (0: as fast as possible).
fn load(
    server: &TestServer,
    tokens: &[String],
    template: &Value,
    total: usize,
    clients: usize,
    rate: f64,
) -> anyhow::Result<(f64, Vec<Duration>, usize)> {
    let latencies = Arc::new(Mutex::new(Vec::with_capacity(total)));
    let errors = Arc::new(Mutex::new(0usize));
    let start = Instant::now();
    let deadline = start + Duration::from_secs(120);
    std::thread::scope(|scope| {
        for c in 0..clients {
            let (latencies, errors) = (latencies.clone(), errors.clone());
            let api = server.client();
            let token = tokens[c % tokens.len()].clone();
            scope.spawn(move || {
                let mine = (c..total).step_by(clients);
                for i in mine {
                    if rate > 0.0 {
                        let due = start + Duration::from_secs_f64(i as f64 / rate);
                        if let Some(wait) = due.checked_duration_since(Instant::now()) {
                            std::thread::sleep(wait);
                        }
                    }
                    if Instant::now() > deadline {
                        break;
                    }
                    let mut report = template.clone();
                    report["id"] = Value::from(uuid::Uuid::new_v4().to_string());
                    let t = Instant::now();
                    let ok = api
                        .post_json("/api/v1/reports", Some(&token), &report)
                        .is_ok_and(|r| r.status == 201);
                    let took = t.elapsed();
                    if ok {
                        latencies.lock().map(|mut l| l.push(took)).ok();
                    } else {
                        errors.lock().map(|mut e| *e += 1).ok();
                    }
                }
            });
        }
    });
    let secs = start.elapsed().as_secs_f64();
    let mut l = latencies.lock().map(|l| l.clone()).unwrap_or_default();
    l.sort();
    let errors = errors.lock().map(|e| *e).unwrap_or(0);
    Ok((l.len() as f64 / secs, l, errors))
}

/// The raw limit: `n` single-row commits of `body` into a fresh SQLCipher file, durable.
fn raw_sqlite(n: usize, body: &str) -> anyhow::Result<f64> {
    let dir = tempfile::tempdir()?;
    let conn = rusqlite::Connection::open(dir.path().join("raw.db"))?;
    conn.pragma_update(None, "key", format!("x'{}'", "ab".repeat(32)))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.execute("CREATE TABLE report (id TEXT PRIMARY KEY, body TEXT NOT NULL)", [])?;
    let start = Instant::now();
    for _ in 0..n {
        conn.execute(
            "INSERT INTO report VALUES (?1, ?2)",
            [uuid::Uuid::new_v4().to_string(), body.to_owned()],
        )?;
    }
    Ok(n as f64 / start.elapsed().as_secs_f64())
}

fn main() -> anyhow::Result<()> {
    let arg = |i: usize, d: f64| std::env::args().nth(i).and_then(|a| a.parse::<f64>().ok()).unwrap_or(d);
    let (total, clients, rate) = (arg(1, 5000.0) as usize, arg(2, 16.0) as usize, arg(3, 500.0));
    masker19_e2e::prefer_release_server();
    let (_dir, db) = temp_db()?;
    let mut codes = Vec::new();
    for (i, gm) in [
        "GM0363", "GM0599", "GM0014", "GM0772", "GM0855", "GM0758", "GM0034", "GM0518",
    ]
    .iter()
    .enumerate()
    {
        let out = admin(
            &db,
            &["pharmacy", "add", "--name", &format!("Apotheek {i}"), "--gemeente", gm],
            "",
        )?;
        anyhow::ensure!(out.status.success(), "pharmacy add failed");
        codes.push(String::from_utf8(out.stdout)?.trim().to_owned());
    }
    let server = TestServer::start(&db, false)?;
    let api = server.client();
    let tokens: Vec<String> = codes.iter().map(|c| api.enroll(c)).collect::<Result<_, _>>()?;
    let template = api.example("melding")?;
    let body = template.to_string();

    let raw = raw_sqlite(total, &body)?;
    let (max_rate, max_lat, max_err) = load(&server, &tokens, &template, total, clients, 0.0)?;
    let (paced_rate, paced_lat, paced_err) = load(&server, &tokens, &template, total, clients, rate)?;
    println!("report_bytes={}", body.len());
    println!("pharmacies={} clients={clients} reports_per_run={total}", tokens.len());
    println!("raw_sqlite_commits_per_s={raw:.0}");
    println!(
        "server_max_reports_per_s={max_rate:.0} (ratio to raw {:.2}) p50_ms={:.2} p99_ms={:.2} errors={max_err}",
        max_rate / raw,
        pct(&max_lat, 0.5),
        pct(&max_lat, 0.99)
    );
    println!(
        "server_at_{rate:.0}_per_s: achieved={paced_rate:.0}/s p50_ms={:.2} p99_ms={:.2} errors={paced_err}",
        pct(&paced_lat, 0.5),
        pct(&paced_lat, 0.99)
    );
    Ok(())
}
