//! After the purge a counting record keeps only what the statistics need (region, Amsterdam date,
//! kind, channel, pharmacy, minutes to acknowledgement): proved on the raw store file (a plain,
//! test-only store, so its bytes can be searched) and with SQL on it. Also: what is written
//! after the purge, and a WAL checkpoint that cannot complete.

use chrono::{DateTime, Duration, SecondsFormat, TimeZone, Utc};
use masker19_e2e::{Api, DEMO_PASSWORD, TestServer, admin_with, open_store, temp_db};
use serde_json::{Value, json};

type R = anyhow::Result<()>;
const PLAIN: (&str, &str) = ("MASKER19_TEST_PLAINTEXT_DB", "1");

fn file_contains(path: &std::path::Path, needle: &str) -> bool {
    std::fs::read(path).is_ok_and(|b| b.windows(needle.len()).any(|w| w == needle.as_bytes()))
}

fn on_disk(db: &std::path::Path, needle: &str) -> bool {
    file_contains(db, needle) || file_contains(&db.with_extension("db-wal"), needle)
}

fn post(api: &Api, path: &str, token: &str, body: Value) -> anyhow::Result<u16> {
    Ok(api.post_json(path, Some(token), &body)?.status)
}

fn purge(db: &std::path::Path, env: &[(&str, &str)]) -> anyhow::Result<std::process::Output> {
    let mut env = env.to_vec();
    env.push(PLAIN);
    admin_with(db, &["purge"], "", &env)
}

fn micros(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// The start of the Amsterdam date of `at`, in UTC.
fn amsterdam_day(at: DateTime<Utc>) -> DateTime<Utc> {
    let date = at.with_timezone(&meldcode::TIME_ZONE).date_naive();
    let midnight = meldcode::TIME_ZONE.from_local_datetime(&date.and_hms_opt(0, 0, 0).unwrap_or_default());
    midnight.earliest().map_or(at, |t| t.with_timezone(&Utc))
}

#[test]
fn a_purged_report_keeps_only_its_counting_record_on_disk() -> R {
    const REASON: &str = "SLUITREDEN-4e1b-na-gesprek";
    let (_dir, db) = temp_db()?;
    let server = TestServer::start_with(&db, true, &[PLAIN])?;
    let api = server.client();
    let device = api.enroll(&server.info["enrollment_code"])?;
    let intake = api.login("intake-vt01", DEMO_PASSWORD)?;
    let report = api.example("melding")?;
    api.submit(&device, &report)?;
    let id = report["id"].as_str().unwrap_or_default().to_owned();
    let path = |action: &str| format!("/api/v1/intake/reports/{id}/{action}");
    assert_eq!(post(&api, &path("acknowledge"), &intake, json!({}))?, 200);
    assert_eq!(post(&api, &path("close"), &intake, json!({"reason": REASON}))?, 200);
    server.kill9()?;

    // As if received 40 days ago, acknowledged 17.5 minutes later and closed a day after that.
    let received = Utc::now() - Duration::days(40);
    let received_at = micros(received);
    let conn = open_store(&db)?;
    conn.execute(
        "UPDATE report SET received_at = ?2, acknowledged_at = ?3, closed_at = ?4 WHERE id = ?1",
        [
            id.as_str(),
            &received_at,
            &micros(received + Duration::seconds(17 * 60 + 30)),
            &micros(received + Duration::days(1)),
        ],
    )?;
    let hash: String = conn.query_row("SELECT content_hash FROM report WHERE id = ?1", [&id], |r| r.get(0))?;
    drop(conn);
    for planted in [REASON, &hash, &received_at] {
        assert!(on_disk(&db, planted), "{planted} is on disk before the purge");
    }

    // Closed 39 days ago: past the default 30 days after closing.
    let out = purge(&db, &[])?;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8(out.stdout)?.contains(" 1 report"));

    for gone in [REASON, &hash, &received_at] {
        assert!(!on_disk(&db, gone), "{gone} is still on disk after the purge");
    }
    let conn = open_store(&db)?;
    type Row = (
        Option<i64>,
        Option<i64>,
        Option<String>,
        String,
        String,
        Option<String>,
        String,
        String,
    );
    let (pharmacy, device_id, reason, stored_hash, rec, ack, closed, purged): Row = conn.query_row(
        "SELECT pharmacy_id, device_id, close_reason, content_hash, received_at, acknowledged_at, closed_at, purged_at
         FROM report WHERE id = ?1",
        [&id],
        |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
            ))
        },
    )?;
    assert!(pharmacy.is_some(), "the pharmacy stays, to count pharmacies");
    assert_eq!(device_id, None, "no device");
    assert_eq!(reason, None, "no close reason");
    assert_eq!(stored_hash, "", "no content hash after the 30-day resubmission window");
    let day = amsterdam_day(received);
    assert_eq!(
        rec,
        day.to_rfc3339_opts(SecondsFormat::Secs, true),
        "the Amsterdam date only"
    );
    let ack = ack.as_deref().and_then(|a| DateTime::parse_from_rfc3339(a).ok());
    assert_eq!(
        ack.map(|a| (a.with_timezone(&Utc) - day).num_minutes()),
        Some(17),
        "the minutes to acknowledgement stay"
    );
    for at in [&closed, &purged] {
        assert!(!at.contains('.'), "no time finer than the date: {at}");
    }
    let fine: i64 = conn.query_row(
        "SELECT (SELECT count(*) FROM report_event WHERE report_id = ?1 AND instr(at, '.') > 0)
              + (SELECT count(*) FROM audit WHERE report_id = ?1 AND (instr(at, '.') > 0 OR detail IS NOT NULL))
              + (SELECT count(*) FROM outbox WHERE report_id = ?1 AND instr(created_at || coalesce(delivered_at, ''), '.') > 0)",
        [&id],
        |r| r.get(0),
    )?;
    assert_eq!(fine, 0, "history, audit and outbox keep dates only, no audit details");
    Ok(())
}

#[test]
fn a_close_reason_written_after_the_purge_is_not_kept() -> R {
    const REASON: &str = "LATE-REDEN-77c0-persoonlijk";
    let (_dir, db) = temp_db()?;
    let server = TestServer::start_with(&db, true, &[PLAIN])?;
    let api = server.client();
    let device = api.enroll(&server.info["enrollment_code"])?;
    let report = api.example("melding")?;
    api.submit(&device, &report)?;
    let id = report["id"].as_str().unwrap_or_default().to_owned();
    server.kill9()?;
    // Open past the maximum retention: purged whatever its state.
    let out = purge(&db, &[("MASKER19_RETENTION_MAX_DAYS", "0")])?;
    assert!(String::from_utf8(out.stdout)?.contains(" 1 report"));

    let server = TestServer::start_with(&db, true, &[PLAIN])?;
    let api = server.client();
    let intake = api.login("intake-vt01", DEMO_PASSWORD)?;
    let status = post(
        &api,
        &format!("/api/v1/intake/reports/{id}/close"),
        &intake,
        json!({"reason": REASON}),
    )?;
    assert_eq!(status, 200, "closing is still possible");
    server.kill9()?;
    let conn = open_store(&db)?;
    let (reason, closed): (Option<String>, String) =
        conn.query_row("SELECT close_reason, closed_at FROM report WHERE id = ?1", [&id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    assert_eq!(reason, None, "no close reason on a purged report");
    assert!(
        !closed.contains('.'),
        "closed on a date, not at a microsecond: {closed}"
    );
    let details: i64 = conn.query_row(
        "SELECT count(*) FROM audit WHERE report_id = ?1 AND (detail IS NOT NULL OR instr(at, '.') > 0)",
        [&id],
        |r| r.get(0),
    )?;
    assert_eq!(details, 0, "no audit detail, no fine time");
    assert!(!on_disk(&db, REASON), "the reason is nowhere on disk");

    // What something else wrote after the purge goes with the next purge.
    conn.execute(
        "UPDATE report SET close_reason = ?2 WHERE id = ?1",
        [id.as_str(), REASON],
    )?;
    drop(conn);
    let out = purge(&db, &[])?;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!on_disk(&db, REASON), "purged again");
    Ok(())
}

#[test]
fn a_checkpoint_that_cannot_complete_is_reported_and_done_by_the_next_purge() -> R {
    const MARKER: &str = "WALMARKER-0b5e-persoonsgegevens";
    let (_dir, db) = temp_db()?;
    let server = TestServer::start_with(&db, true, &[PLAIN])?;
    let api = server.client();
    let device = api.enroll(&server.info["enrollment_code"])?;
    let mut report = api.example("melding")?;
    report["signals"]["observed"] = Value::from(MARKER);
    api.submit(&device, &report)?;
    server.kill9()?;

    // A reader holding an old snapshot keeps the WAL from being checkpointed.
    let reader = open_store(&db)?;
    reader.execute_batch("BEGIN")?;
    let _: i64 = reader.query_row("SELECT count(*) FROM report", [], |r| r.get(0))?;
    let out = purge(&db, &[("MASKER19_RETENTION_MAX_DAYS", "0")])?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "an incomplete checkpoint is not a success");
    assert!(stderr.contains("checkpoint"), "and says so: {stderr}");
    drop(reader);

    let out = purge(&db, &[])?;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!on_disk(&db, MARKER), "the next purge completed the checkpoint");
    Ok(())
}
