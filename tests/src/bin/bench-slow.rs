//! Benchmark: slow clients (slowloris) against the real server under a file limit: N
//! connections that send a request head a byte every 3 s. Prints how many the server refused
//! at once (503), when the last one was closed, `/healthz` latency from another client address
//! meanwhile, and the server's peak resident memory.
//! Runs the real server binary (MASKER19_SERVER_BIN, else target/release/masker19-server).
//!
//! `cargo run --release -p masker19-e2e --bin bench-slow -- [CONNECTIONS] [FILE_LIMIT]`

use std::net::{IpAddr, Ipv4Addr};
use std::time::{Duration, Instant};

use masker19_e2e::flood::proc_status_kib;
use masker19_e2e::slow::{SLOW_HEAD, SlowClients, healthz_from, raise_own_file_limit, socket_addr};
use masker19_e2e::{TestServer, percentile, temp_db};

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn main() -> anyhow::Result<()> {
    masker19_e2e::prefer_release_server();
    let mut args = std::env::args().skip(1);
    let connections: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1100);
    let file_limit: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(1024);
    raise_own_file_limit();
    let (_dir, db) = temp_db()?;
    let server = TestServer::start_with_file_limit(&db, false, file_limit)?;
    let other = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2));
    let opened = Instant::now();
    let mut slow = SlowClients::open(socket_addr(&server.url)?, connections, SLOW_HEAD)?;
    let open_took = opened.elapsed();
    let (mut health, mut failures, mut held_max) = (Vec::new(), Vec::new(), 0);
    let mut next_byte = Instant::now() + Duration::from_secs(3);
    let closed_all = loop {
        match healthz_from(&server.url, other, Duration::from_secs(5)) {
            Ok((200, took)) => health.push(took),
            Ok((status, _)) => failures.push(format!("/healthz {status}")),
            Err(e) => failures.push(format!("/healthz {e}")),
        }
        slow.poll();
        held_max = held_max.max(slow.still_open());
        if let Some(after) = slow.all_closed_after() {
            break Some(after);
        }
        if opened.elapsed() > Duration::from_secs(60) {
            break None;
        }
        if Instant::now() >= next_byte {
            slow.trickle(b'a');
            next_byte += Duration::from_secs(3);
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    health.sort();
    println!("slow connections: {connections}, server file limit: {file_limit}");
    println!(
        "opened in {:.0} ms; refused at once (503): {}",
        ms(open_took),
        slow.answered("503")
    );
    println!("held by the server at most: {held_max}");
    match closed_all {
        Some(after) => println!("all closed after {:.1} s", after.as_secs_f64()),
        None => println!("NOT all closed after 60 s: {} still open", slow.still_open()),
    }
    println!(
        "/healthz from another address meanwhile: {} answers, p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms, failures {}",
        health.len(),
        ms(percentile(&health, 0.5)),
        ms(percentile(&health, 0.99)),
        ms(health.last().copied().unwrap_or_default()),
        failures.len()
    );
    for f in failures.iter().take(5) {
        println!("  {f}");
    }
    println!(
        "server peak RSS: {:.1} MiB",
        proc_status_kib(server.pid(), "VmHWM")? as f64 / 1024.0
    );
    Ok(())
}
