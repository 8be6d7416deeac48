//! 200 concurrent logins with made-up names against the real server: the
//! password checks are bounded, so memory stays small, the excess is answered 503 with
//! `Retry-After`, and the server keeps answering health checks and accepting reports meanwhile.

use std::time::Duration;

use masker19_e2e::flood::{Flood, client_from, proc_status_kib, sign_ins_from};
use masker19_e2e::{demo_server, eventually};

/// The peak resident memory the server may reach under the flood.
const PEAK_RSS_LIMIT_KIB: u64 = 300 * 1024;
const CONCURRENT_LOGINS: usize = 200;

#[test]
fn a_login_flood_stays_bounded_while_reports_go_through() -> anyhow::Result<()> {
    let (_dir, server, device) = demo_server(&[])?;
    let report = server.client().example("melding")?;
    let base = server.url.clone();
    let rt = tokio::runtime::Runtime::new()?;
    let (tally, health, submitted) = rt.block_on(async {
        let flood = Flood::start(&base, CONCURRENT_LOGINS)?;
        // Well under way: every client has been answered at least once on average.
        let start = std::time::Instant::now();
        while flood.answers() < CONCURRENT_LOGINS {
            anyhow::ensure!(start.elapsed() < Duration::from_secs(120), "the flood got no answers");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let http = reqwest::Client::new();
        let health = http.get(format!("{base}/healthz")).send().await?.status().as_u16();
        let submitted = http
            .post(format!("{base}/api/v1/reports"))
            .bearer_auth(&device)
            .json(&report)
            .send()
            .await?
            .status()
            .as_u16();
        let during = flood.answers();
        // A few more rounds after the report, so the flood surrounds it.
        while flood.answers() < during + CONCURRENT_LOGINS {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        anyhow::Ok((flood.stop().await?, health, submitted))
    })?;
    let peak = proc_status_kib(server.pid(), "VmHWM")?;
    println!(
        "answers {} (401: {}, 503: {}), peak RSS {} MiB",
        tally.answers,
        tally.unauthorized,
        tally.busy,
        peak / 1024
    );
    assert!(
        tally.other.is_empty(),
        "only 401 and 503 with Retry-After: {:?}",
        &tally.other[..tally.other.len().min(5)]
    );
    assert!(tally.busy > 0, "beyond the pool and its queue the server answers 503");
    assert!(
        tally.unauthorized > 0,
        "made-up names are checked (and refused) inside the pool"
    );
    assert_eq!(health, 200, "/healthz answers during the flood");
    assert_eq!(submitted, 201, "a report submitted during the flood is accepted");
    assert!(
        peak < PEAK_RSS_LIMIT_KIB,
        "peak RSS {} MiB under {CONCURRENT_LOGINS} concurrent logins (limit 300 MiB)",
        peak / 1024
    );
    // The server is still whole: the report is there and a right password works.
    let api = server.client();
    let id = report["id"].as_str().unwrap_or_default();
    assert_eq!(api.status_of(&device, id)?.status, 200);
    eventually(Duration::from_secs(30), "a login after the flood", || {
        Ok(api.login("intake-vt01", masker19_e2e::DEMO_PASSWORD).ok())
    })?;
    Ok(())
}

/// The attack: 200 clients with made-up names from one address (127.0.0.1). Ten real sign-ins
/// from another address (127.0.0.2) meanwhile: each client has a bounded share of the password
/// checks, so the flood cannot take them all (before: 0 of 10 got in).
#[test]
fn a_flood_from_one_address_leaves_sign_ins_from_another_working() -> anyhow::Result<()> {
    let (_dir, server, _device) = demo_server(&[])?;
    let base = server.url.clone();
    let rt = tokio::runtime::Runtime::new()?;
    let (tally, signed_in, health) = rt.block_on(async {
        let flood = Flood::start(&base, CONCURRENT_LOGINS)?;
        let start = std::time::Instant::now();
        while flood.answers() < CONCURRENT_LOGINS {
            anyhow::ensure!(start.elapsed() < Duration::from_secs(120), "the flood got no answers");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let signed_in = sign_ins_from(&base, "127.0.0.2", 10, masker19_e2e::DEMO_PASSWORD).await?;
        let health = client_from("127.0.0.3")?
            .get(format!("{base}/healthz"))
            .send()
            .await?
            .status()
            .as_u16();
        anyhow::Ok((flood.stop().await?, signed_in, health))
    })?;
    let ok = signed_in.iter().filter(|s| **s == 201).count();
    println!(
        "flood answers {} (503: {}); real sign-ins {signed_in:?}",
        tally.answers, tally.busy
    );
    assert!(
        ok >= 9,
        "{ok} of 10 real sign-ins from another address got in: {signed_in:?}"
    );
    assert_eq!(health, 200, "/healthz answers during the flood");
    assert!(tally.busy > 0, "the flood beyond its share is answered 503");
    Ok(())
}
