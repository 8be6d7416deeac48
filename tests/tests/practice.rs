//! Oefenmodus on the server, end to end: practice reports (`"practice": true`) of every kind are
//! accepted as `recorded`, never reach the webhook or the outbox, are absent from the intake API
//! and pages, leave the report counts as they were, count as training uptake, and leave no
//! content in the store file (searched with its key, and raw in a plain test store).

use std::time::Duration;

use masker19_e2e::receiver::{Behaviour, Receiver};
use masker19_e2e::web::Web;
use masker19_e2e::{DEMO_PASSWORD, TestServer, demo_server, eventually, open_store, temp_db, with_fresh_id};
use serde_json::Value;

type R = anyhow::Result<()>;
const WAIT: Duration = Duration::from_secs(20);
/// The retry schedule walked fast: the first two slots (5 s, 5 min) pass in milliseconds.
const FAST: (&str, &str) = ("MASKER19_TEST_RETRY_SCALE", "0.00001");
/// Distinctive fictional data, searched for in the store afterwards.
const NAME: &str = "Fenna Oefenaar-7Q3Z";
const PHONE: &str = "06-19191919";

/// A practice copy of a server example: fresh id, the fictional person, `"practice": true`.
fn practice(example: &Value) -> Value {
    let mut r = with_fresh_id(example);
    r["practice"] = Value::Bool(true);
    if r.get("person").is_some_and(|p| !p.is_null()) {
        r["person"]["name"] = Value::from(NAME);
        r["safe_contact"]["phone"] = Value::from(PHONE);
    }
    r
}

fn stats(api: &masker19_e2e::Api, token: &str) -> anyhow::Result<Value> {
    let r = api.get("/api/v1/stats?period=month", Some(token))?;
    anyhow::ensure!(r.status == 200, "stats answered {}: {}", r.status, r.body);
    Ok(r.body)
}

/// Every text value in every table of the store, with its key: what the store holds.
fn store_text(db: &std::path::Path) -> anyhow::Result<String> {
    let conn = open_store(db)?;
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let mut all = String::new();
    for t in tables {
        let mut stmt = conn.prepare(&format!("SELECT * FROM \"{t}\""))?;
        let n = stmt.column_count();
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            for i in 0..n {
                if let Ok(Some(s)) = row.get::<_, Option<String>>(i) {
                    all.push_str(&s);
                    all.push('\n');
                }
            }
        }
    }
    Ok(all)
}

fn count(db: &std::path::Path, sql: &str, id: &str) -> anyhow::Result<i64> {
    Ok(open_store(db)?.query_row(sql, [id], |r| r.get(0))?)
}

#[test]
fn practice_reports_are_counted_as_uptake_and_go_nowhere_else() -> R {
    // The receiver fails every first attempt, so the real melding below is delivered only after
    // the first retry slot: by then any practice delivery would have come too.
    let receiver = Receiver::start(Behaviour::Status(503))?;
    let (_dir, server, device) = demo_server(&[FAST])?;
    masker19_e2e::set_webhook(&server.db, "VT01", &receiver.url())?;
    let api = server.client();
    let evaluator = api.login("evaluator", DEMO_PASSWORD)?;
    let intake = api.login("intake-vt01", DEMO_PASSWORD)?;
    let before = stats(&api, &evaluator)?;

    let mut ids = Vec::new();
    for kind in ["melding", "adviesvraag", "geen_melding", "acuut_112"] {
        let report = practice(&api.example(kind)?);
        let r = api.post_json("/api/v1/reports", Some(&device), &report)?;
        assert_eq!(r.status, 201, "{kind}: {}", r.body);
        assert_eq!(r.body["status"], "recorded", "{kind}");
        assert_eq!(r.body["practice"], true, "{kind}");
        assert_eq!(r.body["vt_region"], Value::Null, "{kind}");
        assert_eq!(r.body["kind"], kind);
        // An identical resubmission: 200, the same body.
        let again = api.post_json("/api/v1/reports", Some(&device), &report)?;
        assert_eq!((again.status, &again.body), (200, &r.body), "{kind}");
        let status = api.status_of(&device, report["id"].as_str().unwrap_or_default())?;
        assert_eq!((status.status, &status.body), (200, &r.body), "{kind}");
        ids.push(report["id"].as_str().unwrap_or_default().to_owned());
    }
    // Same id, other content: 409, as for any report; a real report may not take its id either.
    let mut changed = practice(&api.example("geen_melding")?);
    changed["id"] = Value::from(ids[2].clone());
    changed["channel"] = Value::from("telefoon");
    assert_eq!(api.post_json("/api/v1/reports", Some(&device), &changed)?.status, 409);
    let mut real_with_practice_id = api.example("geen_melding")?;
    real_with_practice_id["id"] = Value::from(ids[2].clone());
    assert_eq!(
        api.post_json("/api/v1/reports", Some(&device), &real_with_practice_id)?
            .status,
        409
    );
    // Validation is the same: a practice melding without its person is refused.
    let mut broken = practice(&api.example("melding")?);
    broken["person"] = Value::Null;
    assert_eq!(api.post_json("/api/v1/reports", Some(&device), &broken)?.status, 422);

    // The report counts are exactly what they were; the uptake counts the practice.
    let after = stats(&api, &evaluator)?;
    assert_eq!(before["cells"], after["cells"], "practice is never a report count");
    assert_eq!(before["totals"], after["totals"], "practice is never a report count");
    // Counted as uptake: the server keeps one run per practice report and nothing else of it.
    // This month is published only 31 days after its end: the published uptake does not move.
    let runs: i64 = open_store(&server.db)?.query_row("SELECT count(*) FROM practice_run", [], |r| r.get(0))?;
    assert_eq!(runs, 4, "one practice run per practice report");
    assert_eq!(
        before["practice"], after["practice"],
        "this month's uptake is not published yet"
    );
    assert!(
        before["practice"]
            .as_array()
            .into_iter()
            .flatten()
            .all(|c| c["pharmacies"] == "0"),
        "no uptake before: {}",
        before["practice"]
    );

    // The control: a real melding is delivered, after the first slot's failure.
    let real = api.example("melding")?;
    api.submit(&device, &real)?;
    receiver.wait_until(WAIT, "the real melding, on its second attempt", |a| a.len() >= 2)?;
    receiver.set(Behaviour::Accept);
    eventually(WAIT, "the real melding delivered", || {
        Ok(receiver
            .delivered()
            .iter()
            .any(|a| a.body["data"]["id"] == real["id"])
            .then_some(()))
    })?;
    std::thread::sleep(Duration::from_millis(300));
    for a in receiver.attempts() {
        assert_eq!(
            a.body["data"]["id"], real["id"],
            "only the real melding reaches the webhook"
        );
    }
    for id in &ids {
        assert_eq!(
            count(&server.db, "SELECT count(*) FROM outbox WHERE report_id = ?1", id)?,
            0
        );
        assert_eq!(count(&server.db, "SELECT count(*) FROM report WHERE id = ?1", id)?, 0);
        assert_eq!(
            count(&server.db, "SELECT count(*) FROM practice_run WHERE id = ?1", id)?,
            1
        );
    }

    // Not in the intake API, list or detail, in any state.
    let list = api.get("/api/v1/intake/reports?status=all", Some(&intake))?;
    assert_eq!(list.status, 200);
    let listed = list.body.to_string();
    assert!(
        listed.contains(real["id"].as_str().unwrap_or_default()),
        "the control is listed"
    );
    for id in &ids {
        assert!(!listed.contains(id.as_str()), "{id} in the intake list");
        assert_eq!(
            api.get(&format!("/api/v1/intake/reports/{id}"), Some(&intake))?.status,
            404
        );
    }
    // Nor in the intake pages.
    let web = Web::new(&server.url)?;
    let session = web.login("intake-vt01", DEMO_PASSWORD)?;
    let inbox = web.get("/intake", &session.cookie)?;
    assert_eq!(inbox.status, 200);
    assert!(
        inbox.body.contains(real["id"].as_str().unwrap_or_default()),
        "the control is shown"
    );
    for id in &ids {
        assert!(!inbox.body.contains(id.as_str()));
        assert_eq!(web.get(&format!("/intake/reports/{id}"), &session.cookie)?.status, 404);
    }
    assert!(!inbox.body.contains(NAME));

    let evaluator_web = web.login("evaluator", DEMO_PASSWORD)?;
    let page = web.get("/stats?period=month", &evaluator_web.cookie)?;
    assert!(page.body.contains("Geoefend"), "{}", page.body);
    assert!(
        !["&lt;5 van 1", "&#60;5 van 1"].iter().any(|t| page.body.contains(t)),
        "this month's practice is not published before the month is"
    );

    // Nothing of the practice content is in the store (read with its key).
    let stored = store_text(&server.db)?;
    assert!(
        stored.contains("Voorbeeld Persoon"),
        "the control's content is readable with the key"
    );
    assert!(!stored.contains(NAME) && !stored.contains(PHONE));
    Ok(())
}

#[test]
fn the_raw_store_file_holds_no_practice_content() -> R {
    // A plain test store, so that the bytes on disk can be searched; a real melding with another
    // distinctive name shows that the search finds what is there.
    const CONTROL: &str = "Echte Controle-9K2W";
    let (_dir, db) = temp_db()?;
    let server = TestServer::start_with(&db, true, &[("MASKER19_TEST_PLAINTEXT_DB", "1")])?;
    let api = server.client();
    let device = api.enroll(&server.info["enrollment_code"])?;
    for kind in ["melding", "adviesvraag", "geen_melding", "acuut_112"] {
        api.submit(&device, &practice(&api.example(kind)?))?;
    }
    let mut real = api.example("melding")?;
    real["person"]["name"] = Value::from(CONTROL);
    api.submit(&device, &real)?;
    drop(server);
    let on_disk = |needle: &str| {
        ["db", "db-wal"].iter().any(|ext| {
            std::fs::read(db.with_extension(ext)).is_ok_and(|b| b.windows(needle.len()).any(|w| w == needle.as_bytes()))
        })
    };
    assert!(
        on_disk(CONTROL),
        "a real melding's content is on disk (the search works)"
    );
    assert!(!on_disk(NAME), "the practice person's name is nowhere in the file");
    assert!(!on_disk(PHONE), "nor the practice safe phone");
    Ok(())
}

#[test]
fn after_the_resubmission_window_a_practice_record_keeps_only_its_date() -> R {
    use chrono::{Duration as Days, SecondsFormat, TimeZone, Utc};
    let (_dir, server, device) = demo_server(&[])?;
    let api = server.client();
    let report = practice(&api.example("geen_melding")?);
    api.submit(&device, &report)?;
    let id = report["id"].as_str().unwrap_or_default().to_owned();
    let db = server.db.clone();
    server.kill9()?;
    // As if received 40 days ago.
    let received = Utc::now() - Days::days(40);
    let exact = received.to_rfc3339_opts(SecondsFormat::Micros, true);
    open_store(&db)?.execute(
        "UPDATE practice_run SET received_at = ?2 WHERE id = ?1",
        [id.as_str(), exact.as_str()],
    )?;
    let out = masker19_e2e::admin(&db, &["purge"], "")?;
    anyhow::ensure!(out.status.success(), "purge: {}", String::from_utf8_lossy(&out.stderr));
    let (hash, at, purged): (String, String, Option<String>) = open_store(&db)?.query_row(
        "SELECT content_hash, received_at, purged_at FROM practice_run WHERE id = ?1",
        [id.as_str()],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let date = received.with_timezone(&meldcode::TIME_ZONE).date_naive();
    let midnight = meldcode::TIME_ZONE
        .from_local_datetime(&date.and_hms_opt(0, 0, 0).unwrap_or_default())
        .earliest()
        .map(|t| t.with_timezone(&Utc).to_rfc3339_opts(SecondsFormat::Secs, true));
    assert_eq!(hash, "", "the hash goes after the resubmission window");
    assert_eq!(Some(at), midnight, "the time becomes the Amsterdam date");
    assert!(purged.is_some());
    Ok(())
}
