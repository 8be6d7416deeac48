//! The device is the last copy of a report: what the server tells it about keeping one, and the
//! answers that must never make it give up or duplicate a report the server accepted.

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use masker19_e2e::{DEMO_PASSWORD, admin_with, demo_server, open_store};
use serde_json::{Value, json};

type R = anyhow::Result<()>;

fn at(body: &Value, field: &str) -> anyhow::Result<DateTime<Utc>> {
    let text = body[field].as_str().unwrap_or_default();
    Ok(DateTime::parse_from_rfc3339(text)
        .map_err(|e| anyhow::anyhow!("{field} {text:?}: {e}"))?
        .with_timezone(&Utc))
}

/// A resend of an accepted report is recognised before the `created_at` window is checked: a
/// report that waited on the device until just inside the window, accepted, then sent again
/// (its answer was lost) once the window has passed, is answered `200`, never `422` (which the
/// app shows as rejected, so the pharmacist calls and a duplicate is made).
#[test]
fn a_resend_past_the_window_is_recognised_as_accepted() -> R {
    let (_dir, server, device) = demo_server(&[])?;
    let api = server.client();
    let mut report = api.example("melding")?;
    let created = Utc::now() - Duration::days(30) + Duration::seconds(2);
    report["created_at"] = json!(created.to_rfc3339_opts(SecondsFormat::Secs, true));
    let first = api.post_json("/api/v1/reports", Some(&device), &report)?;
    assert_eq!(first.status, 201, "{}", first.body);
    std::thread::sleep(std::time::Duration::from_millis(3_000));
    let again = api.post_json("/api/v1/reports", Some(&device), &report)?;
    assert_eq!(again.status, 200, "the same report, past the window: {}", again.body);
    assert_eq!(again.body["id"], report["id"]);
    // Another report past the window is still refused, naming the rule.
    let mut other = masker19_e2e::with_fresh_id(&report);
    other["signals"]["observed"] = json!("Iets anders gezien.");
    let late = api.post_json("/api/v1/reports", Some(&device), &other)?;
    assert_eq!(late.status, 422, "{}", late.body);
    assert_eq!(late.body["fields"][0]["rule"], "out_of_window");
    Ok(())
}

/// Every status body says until when the server keeps the report's personal data: 180 days
/// after receipt, or 30 days after closing when that is sooner (the defaults).
#[test]
fn the_status_says_until_when_the_report_is_kept() -> R {
    let (_dir, server, device) = demo_server(&[])?;
    let api = server.client();
    let report = api.example("melding")?;
    let id = report["id"].as_str().unwrap_or_default().to_owned();
    let created = api.post_json("/api/v1/reports", Some(&device), &report)?;
    assert_eq!(created.status, 201);
    let received = at(&created.body["history"][0], "at")?;
    assert_eq!(at(&created.body, "retained_until")?, received + Duration::days(180));
    let status = api.status_of(&device, &id)?;
    assert_eq!(at(&status.body, "retained_until")?, received + Duration::days(180));

    let intake = api.login("intake-vt01", DEMO_PASSWORD)?;
    let path = |action: &str| format!("/api/v1/intake/reports/{id}/{action}");
    assert_eq!(
        api.post_json(&path("acknowledge"), Some(&intake), &json!({}))?.status,
        200
    );
    assert_eq!(api.post_json(&path("close"), Some(&intake), &json!({}))?.status, 200);
    let closed = api.status_of(&device, &id)?;
    let history = closed.body["history"].as_array().cloned().unwrap_or_default();
    let closed_at = history
        .iter()
        .find(|e| e["status"] == "closed")
        .map(|e| at(e, "at"))
        .transpose()?
        .ok_or_else(|| anyhow::anyhow!("no closed event: {}", closed.body))?;
    assert_eq!(at(&closed.body, "retained_until")?, closed_at + Duration::days(30));
    Ok(())
}

/// A purged report cannot be transferred: the new region would get a delivery that becomes a
/// dead letter and an e-mail about a report nobody can read.
#[test]
fn a_purged_report_cannot_be_transferred() -> R {
    let (_dir, server, device) = demo_server(&[])?;
    let api = server.client();
    let report = api.example("melding")?;
    let id = report["id"].as_str().unwrap_or_default().to_owned();
    api.submit(&device, &report)?;
    let purged = admin_with(&server.db, &["purge"], "", &[("MASKER19_RETENTION_MAX_DAYS", "0")])?;
    assert!(purged.status.success(), "{}", String::from_utf8_lossy(&purged.stderr));
    let intake = api.login("intake-vt01", DEMO_PASSWORD)?;
    let refused = api.post_json(
        &format!("/api/v1/intake/reports/{id}/transfer"),
        Some(&intake),
        &json!({"vt_region": "VT18", "reason": "Woont in Rotterdam"}),
    )?;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert_eq!(refused.body["fields"][0]["rule"], "personal_data_purged");
    let store = open_store(&server.db)?;
    let to_vt18: i64 = store.query_row(
        "SELECT count(*) FROM outbox WHERE report_id = ?1 AND vt_region = 'VT18'",
        [&id],
        |r| r.get(0),
    )?;
    assert_eq!(to_vt18, 0, "no delivery to the other region");
    let region: String = store.query_row("SELECT vt_region FROM report WHERE id = ?1", [&id], |r| r.get(0))?;
    assert_eq!(region, "VT01", "the report stays where it was");
    Ok(())
}
