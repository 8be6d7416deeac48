//! Benchmark: 200 concurrent logins with made-up names from one address (127.0.0.1) for ~15 s
//! against the real server: the server's peak resident memory, `/healthz` latency meanwhile, the
//! latency of reports submitted during the flood, and how many of 10 real sign-ins from another
//! address (127.0.0.2) get in.
//! Runs the real server binary (MASKER19_SERVER_BIN, else target/release/masker19-server).
//!
//! `cargo run --release -p masker19-e2e --bin bench-login -- [CLIENTS] [SECONDS]`

use std::time::{Duration, Instant};

use masker19_e2e::flood::{Flood, proc_status_kib, sign_ins_from};
use masker19_e2e::{demo_server, percentile, with_fresh_id};

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn main() -> anyhow::Result<()> {
    masker19_e2e::prefer_release_server();
    let mut args = std::env::args().skip(1);
    let clients: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(200);
    let seconds: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(15);
    let (_dir, server, device) = demo_server(&[])?;
    let report = server.client().example("melding")?;
    let base = server.url.clone();
    let rss_before = proc_status_kib(server.pid(), "VmRSS")?;
    let rt = tokio::runtime::Runtime::new()?;
    let (tally, mut health, mut submits, failures, signed_in) = rt.block_on(async {
        let flood = Flood::start(&base, clients)?;
        // Real sign-ins from elsewhere, one after the other, once the flood is under way.
        let sign_ins = tokio::spawn({
            let base = base.clone();
            async move {
                tokio::time::sleep(Duration::from_secs(2)).await;
                sign_ins_from(&base, "127.0.0.2", 10, masker19_e2e::DEMO_PASSWORD).await
            }
        });
        let http = reqwest::Client::new();
        let (mut health, mut submits, mut failures) = (Vec::new(), Vec::new(), Vec::new());
        let start = Instant::now();
        let mut next_submit = start;
        while start.elapsed() < Duration::from_secs(seconds) {
            let t0 = Instant::now();
            let status = http.get(format!("{base}/healthz")).send().await?.status().as_u16();
            health.push(t0.elapsed());
            if status != 200 {
                failures.push(format!("/healthz {status}"));
            }
            if Instant::now() >= next_submit {
                let t0 = Instant::now();
                let status = http
                    .post(format!("{base}/api/v1/reports"))
                    .bearer_auth(&device)
                    .json(&with_fresh_id(&report))
                    .send()
                    .await?
                    .status()
                    .as_u16();
                submits.push(t0.elapsed());
                if status != 201 {
                    failures.push(format!("report {status}"));
                }
                next_submit += Duration::from_millis(500);
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let signed_in = sign_ins.await??;
        anyhow::Ok((flood.stop().await?, health, submits, failures, signed_in))
    })?;
    let peak = proc_status_kib(server.pid(), "VmHWM")?;
    health.sort();
    submits.sort();
    println!("clients={clients} seconds={seconds}");
    println!(
        "login_answers={} unauthorized_401={} busy_503={} other={}",
        tally.answers,
        tally.unauthorized,
        tally.busy,
        tally.other.len()
    );
    println!(
        "real_sign_ins_from_another_address ok={} of {} {signed_in:?}",
        signed_in.iter().filter(|s| **s == 201).count(),
        signed_in.len()
    );
    println!("rss_before_mib={:.1}", rss_before as f64 / 1024.0);
    println!("peak_rss_mib={:.1}", peak as f64 / 1024.0);
    println!(
        "healthz n={} p50_ms={:.2} p99_ms={:.2} max_ms={:.2}",
        health.len(),
        ms(percentile(&health, 0.5)),
        ms(percentile(&health, 0.99)),
        ms(health.last().copied().unwrap_or_default())
    );
    println!(
        "report_submit n={} p50_ms={:.2} p99_ms={:.2} max_ms={:.2}",
        submits.len(),
        ms(percentile(&submits, 0.5)),
        ms(percentile(&submits, 0.99)),
        ms(submits.last().copied().unwrap_or_default())
    );
    anyhow::ensure!(failures.is_empty(), "failures during the flood: {failures:?}");
    anyhow::ensure!(
        tally.other.is_empty(),
        "unexpected login answers: {:?}",
        &tally.other[..tally.other.len().min(5)]
    );
    Ok(())
}
