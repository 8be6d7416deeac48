//! Proof: `kill -9` the server again and again while several clients submit 10,000 reports and
//! retry as the app does. Afterwards every report that got a 2xx is stored exactly once and
//! delivered to the stand-in receiver (deduplicated by delivery id), and nothing is half-stored.
//!
//! `cargo run --release -p masker19-e2e --bin prove-crash -- [REPORTS] [CLIENTS] [KILL_EVERY_MS]`
//! Bounded: gives up after 300 s.

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use masker19_e2e::receiver::{Behaviour, Receiver};
use masker19_e2e::{Api, TestServer, admin, temp_db};
use serde_json::Value;

fn main() -> anyhow::Result<()> {
    let arg = |i: usize, d: u64| std::env::args().nth(i).and_then(|a| a.parse::<u64>().ok()).unwrap_or(d);
    let (total, clients, kill_every) = (arg(1, 10_000) as usize, arg(2, 4) as usize, arg(3, 400));
    masker19_e2e::prefer_release_server();
    let deadline = Instant::now() + Duration::from_secs(300);
    let receiver = Receiver::start(Behaviour::Accept)?;
    let (_dir, db) = temp_db()?;
    let out = admin(
        &db,
        &["pharmacy", "add", "--name", "Apotheek Crash", "--gemeente", "GM0363"],
        "",
    )?;
    anyhow::ensure!(out.status.success(), "pharmacy add");
    let code = String::from_utf8(out.stdout)?.trim().to_owned();
    masker19_e2e::set_webhook(&db, "VT01", &receiver.url())?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let listen = format!("127.0.0.1:{port}");
    let fast: &[(&str, &str)] = &[("MASKER19_TEST_RETRY_SCALE", "0.0001")];
    let first = TestServer::start_at(&db, &listen, false, fast)?;
    let api = first.client();
    let token = api.enroll(&code)?;
    let kinds: Vec<Value> = ["melding", "adviesvraag", "geen_melding", "acuut_112"]
        .iter()
        .map(|k| api.example(k))
        .collect::<Result<_, _>>()?;
    let server = Arc::new(Mutex::new(Some(first)));
    let base = format!("http://{listen}");

    let accepted = Arc::new(Mutex::new(Vec::<(String, bool)>::new()));
    let next = Arc::new(AtomicUsize::new(0));
    let (mut kills, mut answers_5xx_or_refused) = (0usize, 0usize);
    std::thread::scope(|scope| -> anyhow::Result<()> {
        let mut workers = Vec::new();
        for _ in 0..clients {
            let (accepted, next, kinds, token, base) = (
                accepted.clone(),
                next.clone(),
                kinds.clone(),
                token.clone(),
                base.clone(),
            );
            workers.push(scope.spawn(move || -> usize {
                let api = Api {
                    base,
                    http: reqwest::blocking::Client::builder()
                        .timeout(Duration::from_secs(5))
                        .build()
                        .unwrap_or_default(),
                };
                let mut retries = 0;
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    if i >= total || Instant::now() > deadline {
                        return retries;
                    }
                    let mut report = kinds[i % kinds.len()].clone();
                    report["id"] = Value::from(uuid::Uuid::new_v4().to_string());
                    let forwarded = i % kinds.len() < 2;
                    // Retry the very same report until it is accepted, as the app's outbox does.
                    loop {
                        match api.post_json("/api/v1/reports", Some(&token), &report) {
                            Ok(r) if r.status == 201 || r.status == 200 => break,
                            _ if Instant::now() > deadline => return retries,
                            _ => {
                                retries += 1;
                                std::thread::sleep(Duration::from_millis(20));
                            }
                        }
                    }
                    if let Ok(mut a) = accepted.lock() {
                        a.push((report["id"].as_str().unwrap_or_default().to_owned(), forwarded));
                    }
                }
            }));
        }
        // The killer.
        while !workers.iter().all(|w| w.is_finished()) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(kill_every));
            if let Ok(mut guard) = server.lock() {
                if let Some(s) = guard.take() {
                    s.kill9()?;
                    kills += 1;
                }
                *guard = Some(TestServer::start_at(&db, &listen, false, fast)?);
            }
        }
        for w in workers {
            answers_5xx_or_refused += w.join().unwrap_or(0);
        }
        Ok(())
    })?;

    let accepted = accepted.lock().map(|a| a.clone()).unwrap_or_default();
    anyhow::ensure!(
        accepted.len() == total,
        "only {} of {total} accepted before the deadline",
        accepted.len()
    );
    // Every accepted report is stored exactly once, with its history and (if forwarded) outbox row.
    let conn = masker19_e2e::open_store(&db)?;
    let rows: i64 = conn.query_row("SELECT count(*) FROM report", [], |r| r.get(0))?;
    let without_history: i64 = conn.query_row(
        "SELECT count(*) FROM report r WHERE NOT EXISTS (SELECT 1 FROM report_event e WHERE e.report_id = r.id)",
        [],
        |r| r.get(0),
    )?;
    let without_outbox: i64 = conn.query_row(
        "SELECT count(*) FROM report r WHERE kind IN ('melding','adviesvraag') AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.report_id = r.id)",
        [],
        |r| r.get(0),
    )?;
    let stored: HashSet<String> = {
        let mut stmt = conn.prepare("SELECT id FROM report")?;
        stmt.query_map([], |r| r.get::<_, String>(0))?
            .collect::<Result<_, _>>()?
    };
    let missing = accepted.iter().filter(|(id, _)| !stored.contains(id)).count();
    // Every accepted melding/adviesvraag reaches the receiver.
    let want: HashSet<&str> = accepted.iter().filter(|(_, f)| *f).map(|(id, _)| id.as_str()).collect();
    let waited = Instant::now();
    let delivered = loop {
        let got: HashSet<String> = receiver
            .delivered()
            .iter()
            .filter_map(|a| a.body["data"]["id"].as_str().map(str::to_owned))
            .collect();
        if want.iter().all(|id| got.contains(*id)) || waited.elapsed() > Duration::from_secs(120) {
            break got;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let undelivered = want.iter().filter(|id| !delivered.contains(**id)).count();
    let attempts = receiver.attempts().len();
    let unique_ids: HashSet<String> = receiver.attempts().iter().map(|a| a.webhook_id.clone()).collect();
    println!("reports={total} clients={clients} kills={kills} client_retries={answers_5xx_or_refused}");
    println!(
        "accepted={} stored_rows={rows} missing={missing} without_history={without_history} without_outbox={without_outbox}",
        accepted.len()
    );
    println!(
        "to_forward={} delivered_unique={} undelivered={undelivered} receiver_attempts={attempts} unique_webhook_ids={}",
        want.len(),
        delivered.len(),
        unique_ids.len()
    );
    let ok = rows as usize == total && missing == 0 && without_history == 0 && without_outbox == 0 && undelivered == 0;
    println!("{}", if ok { "PROOF HOLDS" } else { "PROOF FAILED" });
    anyhow::ensure!(ok, "the crash proof failed");
    Ok(())
}
