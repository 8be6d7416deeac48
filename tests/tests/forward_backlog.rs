//! The forwarder with most regions at their limit: 24 regions whose receivers hang, each with a
//! backlog behind its 8 deliveries in flight. The backlog of full regions never takes the places
//! of deliveries that can start: the 25th region's reports still arrive (before: never, while
//! the hanging regions' backlog filled every due query), and the forwarder waits instead of
//! querying again and again.

use std::time::{Duration, Instant};

use masker19_e2e::flood::proc_cpu_time;
use masker19_e2e::receiver::{Behaviour, Receiver};
use masker19_e2e::{demo_server, set_webhook, with_fresh_id};

const HEALTHY: &str = "VT18";
const BACKLOG: usize = 10;
const PER_REGION: usize = 8;

#[test]
fn a_backlog_behind_hanging_regions_leaves_the_forwarder_idle() -> anyhow::Result<()> {
    let hanging = Receiver::start(Behaviour::Hang)?;
    let healthy = Receiver::start(Behaviour::Accept)?;
    let (_dir, server, device) = demo_server(&[])?;
    let api = server.client();
    let table = meldcode::regions::latest();
    // One municipality per region, to route a report there.
    let mut regions: Vec<(String, String)> = Vec::new();
    for region in table.regions() {
        if let Some(g) = table.gemeenten().find(|g| g.vt_code == region.code) {
            regions.push((region.code.clone(), g.code.clone()));
        }
    }
    anyhow::ensure!(regions.len() == 25, "a municipality for every region");
    for (region, _) in &regions {
        let url = if region == HEALTHY {
            healthy.url()
        } else {
            hanging.url()
        };
        set_webhook(&server.db, region, &url)?;
    }
    let template = api.example("melding")?;
    let hanging_regions: Vec<_> = regions.iter().filter(|(r, _)| r != HEALTHY).collect();
    // All at once (the deliveries time out after 10 s: the backlog must be there well before).
    std::thread::scope(|s| {
        let runs: Vec<_> = hanging_regions
            .iter()
            .map(|(_, gemeente)| {
                let (api, template, device) = (server.client(), &template, &device);
                s.spawn(move || {
                    for _ in 0..BACKLOG {
                        let mut report = with_fresh_id(template);
                        report["gemeente"] = serde_json::Value::from(gemeente.as_str());
                        api.submit(device, &report)?;
                    }
                    anyhow::Ok(())
                })
            })
            .collect();
        runs.into_iter()
            .try_for_each(|r| r.join().map_err(|_| anyhow::anyhow!("a submitter panicked"))?)
    })?;
    let full = hanging_regions.len() * PER_REGION;
    hanging.wait_until(Duration::from_secs(5), "every hanging region at its limit", |a| {
        a.len() >= full
    })?;
    let mut per: std::collections::BTreeMap<String, usize> = Default::default();
    for a in hanging.attempts() {
        *per.entry(a.body["data"]["vt_region"].as_str().unwrap_or("?").to_owned())
            .or_default() += 1;
    }

    // Every hanging region is full and has a backlog: measure what the server does meanwhile.
    let before = proc_cpu_time(server.pid())?;
    let t0 = Instant::now();
    std::thread::sleep(Duration::from_secs(2));
    let cpu = proc_cpu_time(server.pid())? - before;
    let share = cpu.as_secs_f64() / t0.elapsed().as_secs_f64();

    let (_, healthy_gemeente) = regions.iter().find(|(r, _)| r == HEALTHY).cloned().unwrap_or_default();
    for _ in 0..10 {
        let mut report = with_fresh_id(&template);
        report["gemeente"] = serde_json::Value::from(healthy_gemeente.as_str());
        api.submit(&device, &report)?;
    }
    healthy.wait_until(Duration::from_secs(5), "the healthy region's reports", |a| {
        a.iter().filter(|a| a.answered == 204).count() >= 10
    })?;
    assert_eq!(
        hanging.attempts().len(),
        full,
        "each hanging region has its limit in flight: {per:?}"
    );
    println!(
        "server CPU while {} regions hang: {:.1} % of a core",
        hanging_regions.len(),
        share * 100.0
    );
    assert!(
        share < 0.25,
        "the forwarder spins: {:.0} % of a core while every hanging region waits",
        share * 100.0
    );
    Ok(())
}
