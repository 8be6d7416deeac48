//! Forwarding to Veilig Thuis, end to end: the real server, a stand-in receiver verifying every
//! Standard Webhooks signature independently, the retry schedule (walked with the test clock),
//! dead letters, 410, and kill -9 in the middle of a delivery.

use std::time::Duration;

use masker19_e2e::receiver::{Behaviour, Receiver};
use masker19_e2e::{TestServer, admin, demo_server, eventually};

type R = anyhow::Result<()>;
const WAIT: Duration = Duration::from_secs(20);
/// The whole schedule (about 27.6 hours) in about a second.
const FAST: &[(&str, &str)] = &[("MASKER19_TEST_RETRY_SCALE", "0.00001")];

fn set_webhook(server: &TestServer, region: &str, url: &str) -> R {
    masker19_e2e::set_webhook(&server.db, region, url)
}

fn status(server: &TestServer, token: &str, id: &str) -> anyhow::Result<String> {
    Ok(server.client().status_of(token, id)?.body["status"]
        .as_str()
        .unwrap_or_default()
        .to_owned())
}

#[test]
fn meldingen_and_adviesvragen_are_delivered_signed_and_counting_kinds_never() -> R {
    let receiver = Receiver::start(Behaviour::Accept)?;
    let (_dir, server, token) = demo_server(&[])?;
    set_webhook(&server, "VT01", &receiver.url())?;
    let api = server.client();
    let mut forwarded = Vec::new();
    for kind in ["melding", "adviesvraag", "geen_melding", "acuut_112"] {
        let report = api.example(kind)?;
        api.submit(&token, &report)?;
        if kind == "melding" || kind == "adviesvraag" {
            forwarded.push(report);
        }
    }
    receiver.wait_until(WAIT, "two deliveries", |a| a.len() >= 2)?;
    std::thread::sleep(Duration::from_millis(300)); // nothing more may come
    let attempts = receiver.attempts();
    assert_eq!(attempts.len(), 2, "geen melding and acuut_112 are never forwarded");
    for report in &forwarded {
        let a = attempts
            .iter()
            .find(|a| a.body["data"]["id"] == report["id"])
            .ok_or(anyhow::anyhow!("not delivered"))?;
        assert!(a.verified, "the signature verifies independently");
        assert!(a.webhook_id.starts_with("msg_"));
        assert_eq!(a.body["type"], "report.received");
        assert_eq!(a.body["data"]["vt_region"], "VT01");
        assert_eq!(a.body["data"]["status"], "received");
        assert_eq!(a.body["data"]["signals"], report["signals"], "the report as accepted");
        assert!(a.body["timestamp"].is_string());
        let id = report["id"].as_str().unwrap_or_default();
        eventually(WAIT, "forwarded", || {
            Ok((status(&server, &token, id)? == "forwarded").then_some(()))
        })?;
    }
    Ok(())
}

#[test]
fn a_receiver_that_is_down_gets_the_report_when_it_comes_up() -> R {
    // Find a free port, then keep nothing listening there.
    let addr = Receiver::start(Behaviour::Accept)?.addr;
    let (_dir, server, token) = demo_server(FAST)?;
    set_webhook(&server, "VT01", &format!("http://{addr}/hook"))?;
    let api = server.client();
    let report = api.example("melding")?;
    api.submit(&token, &report)?;
    std::thread::sleep(Duration::from_millis(150));
    assert_eq!(
        status(&server, &token, report["id"].as_str().unwrap_or_default())?,
        "received"
    );
    let receiver = Receiver::start_on(addr, Behaviour::Accept)?;
    let delivered = receiver.wait_until(WAIT, "the delivery", |a| !a.is_empty())?;
    assert!(delivered[0].verified);
    Ok(())
}

#[test]
fn five_hundreds_walk_the_schedule_to_a_dead_letter_and_replay_delivers_it() -> R {
    let receiver = Receiver::start(Behaviour::Status(500))?;
    let (_dir, server, token) = demo_server(FAST)?;
    set_webhook(&server, "VT01", &receiver.url())?;
    let api = server.client();
    let report = api.example("melding")?;
    api.submit(&token, &report)?;
    // One attempt and seven retries.
    let attempts = receiver.wait_until(WAIT, "eight attempts", |a| a.len() >= 8)?;
    let listing = eventually(WAIT, "a dead letter", || {
        let out = admin(&server.db, &["deadletters", "list"], "")?;
        let text = String::from_utf8(out.stdout)?;
        Ok((text.lines().count() == 2).then_some(text))
    })?;
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(receiver.attempts().len(), 8, "no ninth attempt");
    let id = &attempts[0].webhook_id;
    assert!(
        attempts.iter().all(|a| &a.webhook_id == id && a.verified),
        "one delivery id across retries"
    );
    // The waits follow the schedule (scaled): each gap is at least its slot. Only lower bounds,
    // which a loaded machine cannot break (it only makes waits longer); retries that ignore the
    // schedule break them at once.
    let gaps: Vec<Duration> = attempts.windows(2).map(|w| w[1].at - w[0].at).collect();
    let slots_s = [5.0, 300.0, 1_800.0, 7_200.0, 18_000.0, 36_000.0, 36_000.0];
    for (gap, slot) in gaps.iter().zip(slots_s) {
        let scaled = Duration::from_secs_f64(slot * 0.00001 * 0.9);
        assert!(*gap >= scaled, "a gap of {gap:?} for a slot of {slot} s: gaps {gaps:?}");
    }
    let row = listing.lines().nth(1).unwrap_or_default();
    assert!(
        row.starts_with(id.as_str()) && row.contains("\t8\t") && row.contains("HTTP 500"),
        "{row}"
    );

    receiver.set(Behaviour::Accept);
    let out = admin(&server.db, &["deadletters", "replay", id], "")?;
    assert!(out.status.success());
    receiver.wait_until(WAIT, "the replayed delivery", |a| a.iter().any(|a| a.answered == 204))?;
    assert_eq!(receiver.delivered().len(), 1);
    assert_eq!(receiver.delivered()[0].webhook_id, *id);
    let out = admin(&server.db, &["deadletters", "list"], "")?;
    assert_eq!(
        String::from_utf8(out.stdout)?.lines().count(),
        1,
        "no dead letters left"
    );
    Ok(())
}

#[test]
fn retry_after_replaces_the_next_slot() -> R {
    // Retry-After 1 s (unscaled) instead of the scaled 5 s → the second attempt comes ~1 s later.
    let receiver = Receiver::start(Behaviour::RetryAfter(503, 1))?;
    let (_dir, server, token) = demo_server(&[("MASKER19_TEST_RETRY_SCALE", "1")])?;
    set_webhook(&server, "VT01", &receiver.url())?;
    let api = server.client();
    api.submit(&token, &api.example("adviesvraag")?)?;
    let a = receiver.wait_until(WAIT, "a retry", |a| a.len() >= 2)?;
    let gap = a[1].at - a[0].at;
    assert!(
        gap >= Duration::from_millis(900) && gap < Duration::from_secs(4),
        "gap {gap:?}"
    );
    Ok(())
}

#[test]
fn retry_after_as_an_http_date_replaces_the_next_slot() -> R {
    // An HTTP-date 2 s ahead instead of the (unscaled) 5 s slot: the retry comes within ~3 s.
    let receiver = Receiver::start(Behaviour::RetryAfterDate(503, 2))?;
    let (_dir, server, token) = demo_server(&[("MASKER19_TEST_RETRY_SCALE", "1")])?;
    set_webhook(&server, "VT01", &receiver.url())?;
    let api = server.client();
    api.submit(&token, &api.example("adviesvraag")?)?;
    let a = receiver.wait_until(WAIT, "a retry", |a| a.len() >= 2)?;
    let gap = a[1].at - a[0].at;
    assert!(gap < Duration::from_millis(4500), "gap {gap:?}: the date was ignored");
    Ok(())
}

/// Lower bound on the old batching: with more hanging deliveries than two batches of 32 ahead
/// of them, the healthy region's reports could not start before two 10 s timeouts (20 s).
#[test]
fn a_hanging_region_does_not_hold_up_another() -> R {
    const HANGING: usize = 70;
    const HEALTHY: usize = 10;
    let hanging = Receiver::start(Behaviour::Hang)?;
    let healthy = Receiver::start(Behaviour::Accept)?;
    let (_dir, server, token) = demo_server(&[])?;
    set_webhook(&server, "VT01", &hanging.url())?;
    set_webhook(&server, "VT18", &healthy.url())?;
    let api = server.client();
    let template = api.example("melding")?;
    for _ in 0..HANGING {
        let mut report = template.clone();
        report["id"] = serde_json::Value::from(uuid::Uuid::new_v4().to_string());
        api.submit(&token, &report)?;
    }
    hanging.wait_until(WAIT, "the hanging region's first attempts", |a| !a.is_empty())?;
    let start = std::time::Instant::now();
    for _ in 0..HEALTHY {
        let mut report = template.clone();
        report["id"] = serde_json::Value::from(uuid::Uuid::new_v4().to_string());
        report["gemeente"] = serde_json::Value::from("GM0599"); // Rotterdam: VT18
        assert_eq!(api.submit(&token, &report)?["vt_region"], "VT18");
    }
    // 15 s: far beyond what isolated regions need, well short of the old 20 s lower bound.
    healthy.wait_until(Duration::from_secs(15), "every healthy delivery", |a| {
        a.iter().filter(|a| a.answered == 204).count() >= HEALTHY
    })?;
    assert!(start.elapsed() < Duration::from_secs(15));
    assert!(hanging.delivered().is_empty(), "the hanging region answered nothing");
    drop(server); // closes the hanging connections before the receivers stop
    Ok(())
}

#[test]
fn gone_disables_the_endpoint_until_it_is_set_again() -> R {
    let receiver = Receiver::start(Behaviour::Status(410))?;
    let (_dir, server, token) = demo_server(FAST)?;
    set_webhook(&server, "VT01", &receiver.url())?;
    let api = server.client();
    api.submit(&token, &api.example("melding")?)?;
    receiver.wait_until(WAIT, "the first attempt", |a| !a.is_empty())?;
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(receiver.attempts().len(), 1, "no retries to a disabled endpoint");
    receiver.set(Behaviour::Accept);
    set_webhook(&server, "VT01", &receiver.url())?;
    receiver.wait_until(WAIT, "delivery after re-enabling", |a| {
        a.iter().any(|a| a.answered == 204)
    })?;
    Ok(())
}

#[test]
fn kill_9_in_the_middle_of_a_delivery_loses_nothing() -> R {
    let receiver = Receiver::start(Behaviour::Hang)?;
    let (dir, server, token) = demo_server(FAST)?;
    set_webhook(&server, "VT01", &receiver.url())?;
    let api = server.client();
    let report = api.example("melding")?;
    api.submit(&token, &report)?;
    receiver.wait_until(WAIT, "a delivery in flight", |a| !a.is_empty())?;
    let db = server.db.clone();
    server.kill9()?;
    receiver.set(Behaviour::Accept);
    let restarted = TestServer::start_with(&db, true, FAST)?;
    receiver.wait_until(WAIT, "delivery after restart", |a| a.iter().any(|a| a.answered == 204))?;
    let delivered = receiver.delivered();
    assert_eq!(delivered.len(), 1, "deduplicated by webhook-id: exactly one report");
    assert_eq!(delivered[0].body["data"]["id"], report["id"]);
    let all = receiver.attempts();
    assert!(
        all.iter().all(|a| a.webhook_id == delivered[0].webhook_id),
        "the retry reuses the delivery id"
    );
    let id = report["id"].as_str().unwrap_or_default();
    eventually(WAIT, "forwarded", || {
        Ok((status(&restarted, &token, id)? == "forwarded").then_some(()))
    })?;
    drop(dir);
    Ok(())
}

#[test]
fn a_transfer_is_forwarded_to_the_new_region() -> R {
    let receiver = Receiver::start(Behaviour::Accept)?;
    let (_dir, server, token) = demo_server(&[])?;
    set_webhook(&server, "VT18", &receiver.url())?;
    let api = server.client();
    let report = api.example("melding")?;
    api.submit(&token, &report)?;
    let id = report["id"].as_str().unwrap_or_default();
    let intake = api.login("intake-vt01", masker19_e2e::DEMO_PASSWORD)?;
    let r = api.post_json(
        &format!("/api/v1/intake/reports/{id}/transfer"),
        Some(&intake),
        &serde_json::json!({"vt_region": "VT18", "reason": "Woont in Utrecht"}),
    )?;
    assert_eq!(
        (r.status, r.body["status"].as_str()),
        (200, Some("received")),
        "{}",
        r.body
    );
    let a = receiver.wait_until(WAIT, "the transferred delivery", |a| !a.is_empty())?;
    assert_eq!(a[0].body["type"], "report.transferred");
    assert_eq!(a[0].body["data"]["vt_region"], "VT18");
    let st = api.status_of(&token, id)?.body;
    assert_eq!(st["vt_region"], "VT18");
    let history: Vec<&str> = st["history"]
        .as_array()
        .map(|h| h.iter().filter_map(|e| e["status"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(&history[..3], ["received", "transferred", "received"]);
    assert_eq!(
        api.get(&format!("/api/v1/intake/reports/{id}"), Some(&intake))?.status,
        404,
        "the old region loses access"
    );
    let vt18 = api.login("intake-vt18", masker19_e2e::DEMO_PASSWORD)?;
    let seen = api.get(&format!("/api/v1/intake/reports/{id}"), Some(&vt18))?;
    assert_eq!(seen.status, 200);
    let actions: Vec<&str> = seen.body["audit"]
        .as_array()
        .map(|a| a.iter().filter_map(|e| e["action"].as_str()).collect())
        .unwrap_or_default();
    assert!(
        actions.contains(&"transfer"),
        "the audit log travels with the report: {actions:?}"
    );
    Ok(())
}
