//! A transfer hands a report over: the old region's undelivered deliveries are cancelled in the
//! same transaction (a pending retry, and a dead letter that could be replayed), so the old
//! region's webhook never receives it again; the new region does. Checked on the outbox rows in
//! the real store file and with recording receivers.

use std::time::Duration;

use masker19_e2e::receiver::{Behaviour, Receiver};
use masker19_e2e::{Api, DEMO_PASSWORD, TestServer, admin, demo_server, eventually, open_store, set_webhook};
use serde_json::json;

type R = anyhow::Result<()>;
const WAIT: Duration = Duration::from_secs(20);
/// The whole retry schedule in about a second.
const FAST: &[(&str, &str)] = &[("MASKER19_TEST_RETRY_SCALE", "0.00001")];

/// Outbox rows of a report for a region that the forwarder would still send.
fn pending(server: &TestServer, report_id: &str, region: &str) -> anyhow::Result<i64> {
    Ok(open_store(&server.db)?.query_row(
        "SELECT count(*) FROM outbox WHERE report_id = ?1 AND vt_region = ?2 AND delivered_at IS NULL AND dead_at IS NULL",
        [report_id, region],
        |r| r.get(0),
    )?)
}

fn transfer(api: &Api, id: &str, to: &str) -> R {
    let intake = api.login("intake-vt01", DEMO_PASSWORD)?;
    let path = format!("/api/v1/intake/reports/{id}/transfer");
    let mut r = api.post_json(
        &path,
        Some(&intake),
        &json!({"vt_region": to, "reason": "Woont in Utrecht"}),
    )?;
    if r.status == 422 && r.body["fields"][0]["rule"] == "unknown_field" {
        // A server from before the contract's transfer reason.
        r = api.post_json(&path, Some(&intake), &json!({"vt_region": to}))?;
    }
    anyhow::ensure!(r.status == 200, "transfer answered {}: {}", r.status, r.body);
    Ok(())
}

/// Replay every dead letter, then wait until the new region has the transferred report.
fn replay_and_wait_for(server: &TestServer, new: &Receiver, id: &str) -> R {
    let out = admin(&server.db, &["deadletters", "replay"], "")?;
    anyhow::ensure!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    new.wait_until(WAIT, "the delivery to the new region", |a| {
        a.iter()
            .any(|a| a.answered < 300 && a.body["data"]["id"] == id && a.body["type"] == "report.transferred")
    })?;
    Ok(())
}

#[test]
fn a_transfer_cancels_the_old_regions_pending_retry() -> R {
    let old = Receiver::start(Behaviour::Status(500))?;
    let new = Receiver::start(Behaviour::Accept)?;
    // The real schedule: after the first failure the next attempt is 5 s away.
    let (_dir, server, token) = demo_server(&[])?;
    set_webhook(&server.db, "VT01", &old.url())?;
    set_webhook(&server.db, "VT18", &new.url())?;
    let api = server.client();
    let report = api.example("melding")?;
    api.submit(&token, &report)?;
    let id = report["id"].as_str().unwrap_or_default();
    old.wait_until(WAIT, "the first, failed attempt", |a| !a.is_empty())?;
    assert_eq!(pending(&server, id, "VT01")?, 1, "a retry to VT01 is pending");

    transfer(&api, id, "VT18")?;
    assert_eq!(
        pending(&server, id, "VT01")?,
        0,
        "the transfer cancelled the old region's retry in its own transaction"
    );
    old.set(Behaviour::Accept);
    replay_and_wait_for(&server, &new, id)?;
    assert_eq!(pending(&server, id, "VT01")?, 0, "a replay does not revive it");
    let dead = String::from_utf8(admin(&server.db, &["deadletters", "list"], "")?.stdout)?;
    assert!(!dead.contains(id), "a cancelled delivery is no dead letter: {dead}");
    // Past the 5 s slot of the cancelled retry: VT01 got nothing more.
    std::thread::sleep(Duration::from_secs(6));
    assert!(
        old.delivered().is_empty(),
        "VT01 received the report after handing it over"
    );
    assert_eq!(old.attempts().len(), 1);
    Ok(())
}

#[test]
fn a_dead_letter_of_the_old_region_is_not_replayed_to_it_after_a_transfer() -> R {
    let old = Receiver::start(Behaviour::Status(500))?;
    let new = Receiver::start(Behaviour::Accept)?;
    let (_dir, server, token) = demo_server(FAST)?;
    set_webhook(&server.db, "VT01", &old.url())?;
    set_webhook(&server.db, "VT18", &new.url())?;
    let api = server.client();
    let report = api.example("melding")?;
    api.submit(&token, &report)?;
    let id = report["id"].as_str().unwrap_or_default();
    eventually(WAIT, "a dead letter for VT01", || {
        let out = admin(&server.db, &["deadletters", "list"], "")?;
        Ok(String::from_utf8(out.stdout)?.contains(id).then_some(()))
    })?;
    let attempts = old.attempts().len();

    transfer(&api, id, "VT18")?;
    old.set(Behaviour::Accept);
    replay_and_wait_for(&server, &new, id)?;
    assert_eq!(pending(&server, id, "VT01")?, 0, "the dead letter stays cancelled");
    let delivered_to_old: i64 = open_store(&server.db)?.query_row(
        "SELECT count(*) FROM outbox WHERE report_id = ?1 AND vt_region = 'VT01' AND delivered_at IS NOT NULL",
        [id],
        |r| r.get(0),
    )?;
    assert_eq!(delivered_to_old, 0);
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        old.delivered().is_empty(),
        "VT01 received the report after handing it over"
    );
    assert_eq!(old.attempts().len(), attempts, "no attempt to VT01 after the transfer");
    Ok(())
}

/// Contract: `transfer` takes `{vt_region, reason}`; no or an empty reason is `422` naming
/// `/reason`, and nothing moves.
#[test]
fn a_transfer_without_a_reason_is_refused_and_nothing_moves() -> R {
    let (_dir, server, token) = demo_server(&[])?;
    let api = server.client();
    let report = api.example("melding")?;
    api.submit(&token, &report)?;
    let id = report["id"].as_str().unwrap_or_default();
    let intake = api.login("intake-vt01", DEMO_PASSWORD)?;
    let path = format!("/api/v1/intake/reports/{id}/transfer");
    for body in [
        json!({"vt_region": "VT18"}),
        json!({"vt_region": "VT18", "reason": ""}),
        json!({"vt_region": "VT18", "reason": "   "}),
        json!({"vt_region": "VT18", "reason": null}),
    ] {
        let r = api.post_json(&path, Some(&intake), &body)?;
        assert_eq!(r.status, 422, "{body}: {}", r.body);
        assert_eq!(
            (
                r.body["fields"][0]["path"].as_str(),
                r.body["fields"][0]["rule"].as_str()
            ),
            (Some("/reason"), Some("required")),
            "{body}"
        );
    }
    let r = api.post_json(
        &path,
        Some(&intake),
        &json!({"vt_region": "VT18", "reason": "x".repeat(4001)}),
    )?;
    assert_eq!(
        (r.status, r.body["fields"][0]["rule"].as_str()),
        (422, Some("max_length"))
    );
    assert_eq!(api.status_of(&token, id)?.body["vt_region"], "VT01", "still in VT01");
    Ok(())
}

/// One check of a transfer's rules: a `422` lists every broken one (an unknown region and no
/// reason, a region of its own and a reason that is too long), each at its field with its rule
/// and an English sentence, and the report stays where it is.
#[test]
fn a_transfer_that_breaks_two_rules_is_refused_naming_both() -> R {
    let (_dir, server, token) = demo_server(&[])?;
    let api = server.client();
    let report = api.example("melding")?;
    api.submit(&token, &report)?;
    let id = report["id"].as_str().unwrap_or_default();
    let intake = api.login("intake-vt01", DEMO_PASSWORD)?;
    let path = format!("/api/v1/intake/reports/{id}/transfer");
    let fields = |body: serde_json::Value| -> anyhow::Result<Vec<(String, String, String)>> {
        let r = api.post_json(&path, Some(&intake), &body)?;
        anyhow::ensure!(r.status == 422, "{body}: {} {}", r.status, r.body);
        Ok(r.body["fields"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|f| {
                let s = |k: &str| f[k].as_str().unwrap_or_default().to_owned();
                (s("path"), s("rule"), s("message"))
            })
            .collect())
    };
    let both = fields(json!({"vt_region": "VT99", "reason": ""}))?;
    let rules: Vec<(&str, &str)> = both.iter().map(|(p, r, _)| (p.as_str(), r.as_str())).collect();
    assert_eq!(
        rules,
        [("/vt_region", "invalid_value"), ("/reason", "required")],
        "{both:?}"
    );
    assert_eq!(both[0].2, "VT99 is not a Veilig Thuis region");
    assert_eq!(both[1].2, "a transfer needs a reason");
    let both = fields(json!({"vt_region": "VT01", "reason": "x".repeat(4001)}))?;
    let rules: Vec<(&str, &str)> = both.iter().map(|(p, r, _)| (p.as_str(), r.as_str())).collect();
    assert_eq!(
        rules,
        [("/vt_region", "invalid_value"), ("/reason", "max_length")],
        "{both:?}"
    );
    assert_eq!(api.status_of(&token, id)?.body["vt_region"], "VT01", "still in VT01");
    Ok(())
}

/// The old region keeps a stub without content: `status=transferred` lists when, to whom, why
/// and by whom, and nothing of the report; the new region has it open.
#[test]
fn the_old_region_keeps_a_stub_without_content() -> R {
    let (_dir, server, token) = demo_server(&[])?;
    let api = server.client();
    let report = api.example("melding")?;
    api.submit(&token, &report)?;
    let id = report["id"].as_str().unwrap_or_default();
    transfer(&api, id, "VT18")?;
    let vt01 = api.login("intake-vt01", DEMO_PASSWORD)?;
    assert_eq!(
        api.get(&format!("/api/v1/intake/reports/{id}"), Some(&vt01))?.status,
        404,
        "the old region loses access to the content"
    );
    let open = api.get("/api/v1/intake/reports", Some(&vt01))?.body;
    assert_eq!(open["total"], 0);
    assert_eq!(open["counts"]["transferred"], 1);
    let stubs = api.get("/api/v1/intake/reports?status=transferred", Some(&vt01))?.body;
    assert_eq!(stubs["total"], 1);
    let stub = &stubs["reports"][0];
    assert_eq!(stub["id"], id);
    assert_eq!(stub["to_region"], "VT18");
    assert_eq!(stub["reason"], "Woont in Utrecht");
    assert_eq!(stub["transferred_by"], "intake-vt01");
    assert_eq!(stub["status"], "transferred");
    assert!(stub["transferred_at"].is_string());
    let text = stubs.to_string();
    for content in [
        "Voorbeeld Persoon",
        "06-12345678",
        "safe_times",
        "pharmacy",
        "person",
        "gemeente",
    ] {
        assert!(
            !text.contains(content),
            "a stub carries no content: {content} in {text}"
        );
    }
    let searched = api.get(
        &format!("/api/v1/intake/reports?status=transferred&q={}", &id[..8]),
        Some(&vt01),
    )?;
    assert_eq!(searched.body["total"], 1, "a stub is found by its kenmerk");

    let vt18 = api.login("intake-vt18", DEMO_PASSWORD)?;
    let theirs = api.get("/api/v1/intake/reports", Some(&vt18))?.body;
    assert_eq!(theirs["reports"][0]["id"], id, "open in the new region");
    assert_eq!(theirs["counts"]["transferred"], 0, "the new region has no stub of it");
    let shown = api.get(&format!("/api/v1/intake/reports/{id}"), Some(&vt18))?.body;
    let transfer = shown["audit"]
        .as_array()
        .and_then(|a| a.iter().find(|e| e["action"] == "transfer").cloned())
        .unwrap_or_default();
    assert_eq!(
        (transfer["to_region"].as_str(), transfer["detail"].as_str()),
        (Some("VT18"), Some("Woont in Utrecht")),
        "the reason travels with the report's audit log"
    );
    Ok(())
}
