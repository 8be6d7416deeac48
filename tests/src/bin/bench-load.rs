//! Load: reports from many enrolled pharmacies against the real server at its durable settings,
//! and in the same run the raw limit of this machine: the same number of inserts of the same
//! size straight into SQLite (SQLCipher, WAL, synchronous=FULL, one commit each).
//!
//! In the same run, once the plain runs are done, a region key list covering every region is
//! put in force and the same number of sealed reports (envelopes, sealed beforehand as the app
//! does) go through at full speed: the durable throughput of sealed reports beside plain ones.
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
    load_with(server, tokens, total, clients, rate, |_| {
        let mut report = template.clone();
        report["id"] = Value::from(uuid::Uuid::new_v4().to_string());
        report
    })
}

/// [`load`] with the `i`th body from `body`.
fn load_with(
    server: &TestServer,
    tokens: &[String],
    total: usize,
    clients: usize,
    rate: f64,
    body: impl Fn(usize) -> Value + Sync,
) -> anyhow::Result<(f64, Vec<Duration>, usize)> {
    let latencies = Arc::new(Mutex::new(Vec::with_capacity(total)));
    let errors = Arc::new(Mutex::new(0usize));
    let start = Instant::now();
    let deadline = start + Duration::from_secs(120);
    std::thread::scope(|scope| {
        for c in 0..clients {
            let body = &body;
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
                    let report = body(i);
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

/// A region key list of every region, signed by a scheme key made here, in force on `db`; the
/// list to seal with.
fn seal_every_region(db: &std::path::Path, dir: &std::path::Path) -> anyhow::Result<meldcode::sealed::KeyList> {
    use masker19_seal::sign::{SchemeKey, new_identity};
    let scheme = SchemeKey::generate()?;
    let regions: serde_json::Map<String, Value> = meldcode::regions::latest()
        .regions()
        .map(|r| {
            let (_, key) = new_identity("bench");
            let (_, recovery) = new_identity("bench");
            (
                r.code.clone(),
                serde_json::json!({"recipients": [{"id": "k", "age": key, "valid_from": "2020-01-01T00:00:00Z"}], "recovery": recovery}),
            )
        })
        .collect();
    let list = serde_json::json!({"version": 1, "issued_at": "2026-12-01T00:00:00Z", "regions": regions}).to_string();
    let (list_path, sig_path) = (dir.join("regions.json"), dir.join("regions.json.minisig"));
    std::fs::write(&list_path, &list)?;
    std::fs::write(&sig_path, scheme.sign(list.as_bytes())?)?;
    let out = masker19_e2e::admin_with(
        db,
        &[
            "region-keys",
            "set",
            "--list",
            &list_path.to_string_lossy(),
            "--sig",
            &sig_path.to_string_lossy(),
        ],
        "",
        &[("MASKER19_SCHEME_KEY", &scheme.public())],
    )?;
    anyhow::ensure!(
        out.status.success(),
        "region-keys set: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(meldcode::sealed::KeyList::parse(list.as_bytes())?)
}

fn main() -> anyhow::Result<()> {
    let arg = |i: usize, d: f64| std::env::args().nth(i).and_then(|a| a.parse::<f64>().ok()).unwrap_or(d);
    let (total, clients, rate) = (arg(1, 5000.0) as usize, arg(2, 16.0) as usize, arg(3, 500.0));
    masker19_e2e::prefer_release_server();
    let (dir, db) = temp_db()?;
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
    // Sealed, in the same run: the envelopes are made first (the app seals at the counter).
    let keys = seal_every_region(&db, dir.path())?;
    let report: meldcode::Report = serde_json::from_value(template.clone())?;
    let envelopes: Vec<Value> = (0..total)
        .map(|_| {
            let mut r = report.clone();
            r.id = uuid::Uuid::new_v4();
            let region = masker19::seal::region_of(&r, Some("GM0363"), None).unwrap_or_default();
            let e = masker19_seal::seal_report(&r, &region, &keys)?;
            Ok(serde_json::to_value(e)?)
        })
        .collect::<anyhow::Result<_>>()?;
    let envelope_bytes = envelopes.first().map_or(0, |e| e.to_string().len());
    let (sealed_rate, sealed_lat, sealed_err) =
        load_with(&server, &tokens, total, clients, 0.0, |i| envelopes[i].clone())?;
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
        "server_max_sealed_per_s={sealed_rate:.0} (ratio to plain {:.2}) envelope_bytes={envelope_bytes} p50_ms={:.2} p99_ms={:.2} errors={sealed_err}",
        sealed_rate / max_rate,
        pct(&sealed_lat, 0.5),
        pct(&sealed_lat, 0.99)
    );
    println!(
        "server_at_{rate:.0}_per_s: achieved={paced_rate:.0}/s p50_ms={:.2} p99_ms={:.2} errors={paced_err}",
        pct(&paced_lat, 0.5),
        pct(&paced_lat, 0.99)
    );
    Ok(())
}
