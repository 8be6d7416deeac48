//! Benchmark: accepted → delivered at a stand-in Veilig Thuis receiver, p50/p99 over N reports,
//! the outbox drain rate (N reports queued while the receiver is down, then drained), and the
//! isolation of regions: p50/p95 to a healthy region (VT18) while another (VT01) hangs.
//! Runs the real server binary (MASKER19_SERVER_BIN, else target/release/masker19-server).
//!
//! `cargo run --release -p masker19-e2e --bin bench-forward -- [N]`

use std::collections::HashMap;
use std::time::{Duration, Instant};

use masker19_e2e::receiver::{Behaviour, Receiver};
use masker19_e2e::{TestServer, percentile, temp_db};

fn main() -> anyhow::Result<()> {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(1000);
    masker19_e2e::prefer_release_server();

    // 1. Latency: one report at a time, each timed from its 201 to its arrival at the receiver.
    let receiver = Receiver::start(Behaviour::Accept)?;
    let (_dir, db) = temp_db()?;
    let server = TestServer::start(&db, true)?;
    let api = server.client();
    let token = api.enroll(&server.info["enrollment_code"])?;
    masker19_e2e::set_webhook(&db, "VT01", &receiver.url())?;
    let template = api.example("melding")?;
    let mut accepted_at = HashMap::new();
    let mut submit_times = Vec::new();
    for _ in 0..n {
        let mut report = template.clone();
        let id = uuid::Uuid::new_v4().to_string();
        report["id"] = serde_json::Value::from(id.clone());
        let t0 = Instant::now();
        api.submit(&token, &report)?;
        submit_times.push(t0.elapsed());
        accepted_at.insert(id.clone(), Instant::now());
        receiver.wait_until(Duration::from_secs(10), "delivery", |a| {
            a.iter().any(|a| a.body["data"]["id"] == id.as_str())
        })?;
    }
    let mut latencies: Vec<Duration> = receiver
        .delivered()
        .iter()
        .filter_map(|a| Some(a.at - *accepted_at.get(a.body["data"]["id"].as_str()?)?))
        .collect();
    latencies.sort();
    submit_times.sort();
    println!("reports={n}");
    println!(
        "post_reports_p50_ms={:.2}",
        percentile(&submit_times, 0.5).as_secs_f64() * 1e3
    );
    println!(
        "post_reports_p99_ms={:.2}",
        percentile(&submit_times, 0.99).as_secs_f64() * 1e3
    );
    println!(
        "accepted_to_delivered_p50_ms={:.2}",
        percentile(&latencies, 0.5).as_secs_f64() * 1e3
    );
    println!(
        "accepted_to_delivered_p99_ms={:.2}",
        percentile(&latencies, 0.99).as_secs_f64() * 1e3
    );
    drop(server);

    // 2. Drain rate: N reports wait in the outbox (the receiver answers 503 with Retry-After),
    // then the receiver accepts; the rate is measured from the first to the last success.
    let receiver = Receiver::start(Behaviour::RetryAfter(503, 2))?;
    let (_dir2, db2) = temp_db()?;
    let server = TestServer::start(&db2, true)?;
    let api = server.client();
    let token = api.enroll(&server.info["enrollment_code"])?;
    masker19_e2e::set_webhook(&db2, "VT01", &receiver.url())?;
    for _ in 0..n {
        let mut report = template.clone();
        report["id"] = serde_json::Value::from(uuid::Uuid::new_v4().to_string());
        api.submit(&token, &report)?;
    }
    receiver.wait_until(Duration::from_secs(60), "first attempts", |a| a.len() >= n)?;
    receiver.set(Behaviour::Accept);
    receiver.wait_until(Duration::from_secs(120), "drain", |a| {
        a.iter().filter(|a| a.answered == 204).count() >= n
    })?;
    let ok: Vec<Instant> = receiver
        .attempts()
        .iter()
        .filter(|a| a.answered == 204)
        .map(|a| a.at)
        .collect();
    let span =
        ok.iter().max().copied().unwrap_or_else(Instant::now) - ok.iter().min().copied().unwrap_or_else(Instant::now);
    println!("drain_reports_per_s={:.0}", n as f64 / span.as_secs_f64().max(1e-6));
    println!("drain_seconds={:.3}", span.as_secs_f64());
    drop(server);
    isolation(&template, 1)?;
    isolation(&template, 24)
}

/// Part 3, isolation: the receivers of `regions` regions (VT01 first) accept and never answer
/// (the forwarder's 10 s timeout ends each try); 40 reports wait for one hanging region, or 10
/// for each of many, then 40 reports for Rotterdam (VT18, healthy) are timed from their 201 to
/// their arrival.
fn isolation(template: &serde_json::Value, regions: usize) -> anyhow::Result<()> {
    const HEALTHY: usize = 40;
    let per_region = if regions == 1 { 40 } else { 10 };
    let table = meldcode::regions::latest();
    let hanging_gemeenten: Vec<String> = table
        .regions()
        .filter(|r| r.code != "VT18")
        .take(regions)
        .filter_map(|r| table.gemeenten().find(|g| g.vt_code == r.code).map(|g| g.code.clone()))
        .collect();
    let hanging = Receiver::start(Behaviour::Hang)?;
    let healthy = Receiver::start(Behaviour::Accept)?;
    let (_dir, db) = temp_db()?;
    let server = TestServer::start(&db, true)?;
    let api = server.client();
    let token = api.enroll(&server.info["enrollment_code"])?;
    for g in &hanging_gemeenten {
        if let Some(r) = table.region_of(g) {
            masker19_e2e::set_webhook(&db, &r.code, &hanging.url())?;
        }
    }
    masker19_e2e::set_webhook(&db, "VT18", &healthy.url())?;
    let fresh = |gemeente: Option<&str>| {
        let mut report = template.clone();
        let id = uuid::Uuid::new_v4().to_string();
        report["id"] = serde_json::Value::from(id.clone());
        if let Some(g) = gemeente {
            report["gemeente"] = serde_json::Value::from(g);
        }
        (id, report)
    };
    for g in &hanging_gemeenten {
        for _ in 0..per_region {
            api.submit(&token, &fresh(Some(g)).1)?;
        }
    }
    let in_flight = hanging_gemeenten.len() * 8;
    hanging.wait_until(Duration::from_secs(10), "hanging attempts", |a| a.len() >= in_flight)?;
    let mut accepted_at = HashMap::new();
    for _ in 0..HEALTHY {
        let (id, report) = fresh(Some("GM0599"));
        api.submit(&token, &report)?;
        accepted_at.insert(id, Instant::now());
    }
    healthy.wait_until(Duration::from_secs(120), "healthy deliveries", |a| {
        a.iter().filter(|a| a.answered == 204).count() >= HEALTHY
    })?;
    let mut latencies: Vec<Duration> = healthy
        .delivered()
        .iter()
        .filter_map(|a| Some(a.at - *accepted_at.get(a.body["data"]["id"].as_str()?)?))
        .collect();
    latencies.sort();
    println!(
        "hanging_regions={} reports_per_hanging_region={per_region} healthy_region_reports={HEALTHY}",
        hanging_gemeenten.len()
    );
    println!(
        "healthy_region_p50_ms={:.2}",
        percentile(&latencies, 0.5).as_secs_f64() * 1e3
    );
    println!(
        "healthy_region_p95_ms={:.2}",
        percentile(&latencies, 0.95).as_secs_f64() * 1e3
    );
    drop(server);
    Ok(())
}
